namespace ReaderStudy.Core.Studies;

/// <summary>An entity that belongs to one study, so its audit entries name the study.</summary>
public interface IStudyScoped
{
    Guid StudyId { get; }
}
