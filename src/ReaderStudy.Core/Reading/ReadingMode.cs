namespace ReaderStudy.Core.Reading;

public enum ReadingMode
{
    /// <summary>Two images side by side, one real and one synthetic: which is real, how sure, and grades per image.</summary>
    PairedWhichIsReal,
    /// <summary>One image at a time: real or synthetic, how sure, grades.</summary>
    SingleRealOrSynthetic,
    /// <summary>Image quality grades only; nobody is asked which is real.</summary>
    GradingOnly,
    /// <summary>
    /// Diagnostic equivalence: one image at a time, every case read in both modalities (real map, synthetic map),
    /// a confidence rating that the finding is present; analysed against the reference standard as an MRMC ROC study.
    /// </summary>
    Diagnostic,
}

public static class ReadingModes
{
    /// <summary>The reader sees one image per trial (which image it is, real or synthetic, is the trial's secret).</summary>
    public static bool ShowsOneImage(this ReadingMode mode) => mode is ReadingMode.SingleRealOrSynthetic or ReadingMode.Diagnostic;
}
