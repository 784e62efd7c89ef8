namespace ReaderStudy.Core.Reading;

public enum QuestionKind
{
    /// <summary>Paired mode: "left" or "right". Single mode: "real" or "synthetic".</summary>
    WhichIsReal,
    /// <summary>1 to 5.</summary>
    Likert,
    /// <summary>One of the question's options.</summary>
    Choice,
    /// <summary>"yes" or "no".</summary>
    YesNo,
    Number,
    Text,
}
