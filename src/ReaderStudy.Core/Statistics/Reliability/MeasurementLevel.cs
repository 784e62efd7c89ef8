namespace ReaderStudy.Core.Statistics.Reliability;

/// <summary>How differences between two values count in Krippendorff's alpha.</summary>
public enum MeasurementLevel
{
    Nominal,
    Ordinal,
    Interval,
    Ratio,
}
