using ReaderStudy.Core.Series;

namespace ReaderStudy.Web.Features.Import;

/// <summary>An imported series as the coordinator sees it.</summary>
public sealed record SeriesView(Guid Id, string Subject, int? SeriesNumber, string Description, string Modality, SeriesKind Kind, string KindRule, bool KindOverridden,
    int Images, int Rows, int Columns, string EchoTimesMs, DateTimeOffset ImportedAt, MapOrigin Origin = MapOrigin.Unknown);

public sealed record SeriesKindChange(SeriesKind Kind);
