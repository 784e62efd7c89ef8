namespace ReaderStudy.Core.Statistics;

/// <summary>The alternative hypothesis of a test, named as in R.</summary>
public enum Alternative
{
    TwoSided,
    /// <summary>The statistic (or the first sample minus the second) is greater than under the null.</summary>
    Greater,
    Less,
}
