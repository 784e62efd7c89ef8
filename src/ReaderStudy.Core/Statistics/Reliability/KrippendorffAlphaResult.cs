namespace ReaderStudy.Core.Statistics.Reliability;

/// <summary>Krippendorff's alpha; <see cref="N"/> counts the pairable units (those with two or more ratings) and <see cref="PairableValues"/> the values in them.</summary>
public sealed record KrippendorffAlphaResult(string Level, double Alpha, int N, int PairableValues);
