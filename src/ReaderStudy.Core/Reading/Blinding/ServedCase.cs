namespace ReaderStudy.Core.Reading.Blinding;

/// <summary>The features of what readers receive for a case's real and synthetic map.</summary>
public sealed record ServedCase(int CaseNumber, ImageFeatures Real, ImageFeatures Synthetic);
