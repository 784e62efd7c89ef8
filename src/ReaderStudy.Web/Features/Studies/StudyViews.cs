using ReaderStudy.Core.Studies;

namespace ReaderStudy.Web.Features.Studies;

/// <summary>A study as listed on dashboards: no members, nothing a reader should not see.</summary>
public sealed record StudySummary(Guid Id, string Name, string Description, StudyState State, int ReaderCount, DateTimeOffset CreatedAt, StudyKind Kind = StudyKind.QuantitativeMap, DateTimeOffset? ImagesReleasedAt = null);

/// <summary>A study member as a coordinator sees them.</summary>
public sealed record StudyMemberView(string UserId, string Email, string DisplayName, string Role);

/// <param name="Kind">What the study compares; sets how images are imported and presented (default: quantitative T2 maps).</param>
public sealed record NewStudy(string Name, string Description, StudyKind Kind = StudyKind.QuantitativeMap);

public sealed record NewStudyMember(string Email, string Role);

/// <summary>Move a study on; <paramref name="OverrideReason"/> opens it although the blinding check found a leak.</summary>
public sealed record StudyStateChange(StudyState State, string? OverrideReason = null);
