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
    /// <summary>A point marked in the image (shift+click); the answer records where and the mean T2 around it.</summary>
    Annotation,
}
