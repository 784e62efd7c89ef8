namespace ReaderStudy.Core.Reading.Blinding;

/// <summary>
/// One reading as the detector sees it: which case, and where the real map is. Paired reading: the real map is on
/// the left when <paramref name="RealOnLeft"/>. Single-image reading: the one image shown is the real map when it is true.
/// </summary>
public sealed record BlindingTrial(int CaseNumber, bool RealOnLeft);
