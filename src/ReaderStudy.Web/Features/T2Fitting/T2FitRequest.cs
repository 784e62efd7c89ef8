using ReaderStudy.Core.T2Mapping;

namespace ReaderStudy.Web.Features.T2Fitting;

/// <summary>A coordinator's choice of fit for a MESE series.</summary>
public sealed record T2FitRequest(T2FitMethod Method = T2FitMethod.LogLinear, bool ExcludeFirstEcho = false, double ClipMin = 0, double ClipMax = 100);

/// <summary>The outcome: the new T2 map series and what the fit found.</summary>
public sealed record T2FitOutcome(Guid T2SeriesId, int VoxelsFitted, int Unreliable, int Background, double? MeanT2InFemoralCartilage, double FitSeconds, double TotalSeconds);
