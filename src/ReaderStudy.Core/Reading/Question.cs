using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Reading;

/// <summary>One typed question of a study's reading form.</summary>
public sealed class Question : IStudyScoped
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid StudyId { get; set; }
    public int Order { get; set; }
    public QuestionKind Kind { get; set; }
    public string Text { get; set; } = "";
    /// <summary>Options of a choice question, separated by '|'; for Likert, the labels of 1 and 5.</summary>
    public string Options { get; set; } = "";
    public bool Required { get; set; } = true;
    /// <summary>Asked once for each image of a pair (e.g. SNR of the left and of the right image).</summary>
    public bool PerImage { get; set; }
}
