namespace ReaderStudy.Web.Features.Retention;

/// <summary>How long the portal keeps what identifies patients once a study is over.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>
    /// Days after a study closes that its images (de-identified DICOM, kept originals) are removed from the image
    /// store. Answers, the key, the audit log and the results stay: what the results took from the images is kept
    /// with the study first. Unset (the default): images are kept for good.
    /// </summary>
    public int? ClosedStudyImagesDays { get; set; }
}
