namespace ReaderStudy.Core.Reading;

public enum ReadingMode
{
    /// <summary>Two images side by side, one real and one synthetic: which is real, how sure, and grades per image.</summary>
    PairedWhichIsReal,
    /// <summary>One image at a time: real or synthetic, how sure, grades.</summary>
    SingleRealOrSynthetic,
    /// <summary>Image quality grades only; nobody is asked which is real.</summary>
    GradingOnly,
}
