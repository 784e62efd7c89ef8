namespace ReaderStudy.Core.Statistics.Reliability;

/// <summary>One Shrout-Fleiss intraclass correlation, named and computed as R's psych::ICC.</summary>
public sealed record IccResult(string Type, string Description, double Value, double F, double Df1, double Df2, double P, double CiLower, double CiUpper);
