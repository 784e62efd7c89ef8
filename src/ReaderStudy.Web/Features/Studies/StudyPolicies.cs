namespace ReaderStudy.Web.Features.Studies;

/// <summary>Policy names for study-scoped pages and endpoints; each route carries a {studyId}.</summary>
public static class StudyPolicies
{
    public const string View = "Study." + nameof(StudyActivity.View);
    public const string Coordinate = "Study." + nameof(StudyActivity.Coordinate);
    public const string Analyse = "Study." + nameof(StudyActivity.Analyse);
    public const string Read = "Study." + nameof(StudyActivity.Read);
}
