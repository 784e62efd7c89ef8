namespace ReaderStudy.Core.Series;

/// <summary>What an imported series is in the study's workflow; the coordinator can override the portal's guess.</summary>
public enum SeriesKind
{
    Other = 0,
    Anatomic = 1,
    /// <summary>A multi-echo spin-echo train, from which real T2 maps are fitted.</summary>
    Mese = 2,
    T2Map = 3,
    Segmentation = 4,
    /// <summary>An image read against its counterpart (a real or synthetic CT, fat-suppressed MR or mammogram) in a study that is not of maps.</summary>
    ComparedImage = 5,
}
