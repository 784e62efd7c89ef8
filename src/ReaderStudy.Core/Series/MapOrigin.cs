namespace ReaderStudy.Core.Series;

/// <summary>Where a quantitative map came from; the secret a reader must never learn from the portal.</summary>
public enum MapOrigin
{
    Unknown = 0,
    Real = 1,
    Synthetic = 2,
}
