namespace ReaderStudy.Web.Features.Studies;

/// <summary>A request that breaks a study rule; its message says what and is shown to the user as it is.</summary>
public sealed class StudyRuleException(string message) : Exception(message);
