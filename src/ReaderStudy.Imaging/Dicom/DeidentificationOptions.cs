namespace ReaderStudy.Imaging.Dicom;

/// <summary>The PS3.15 Annex E options a coordinator can select on import.</summary>
public sealed record DeidentificationOptions
{
    /// <summary>Retain Longitudinal Temporal Information with Full Dates: dates and times are kept.</summary>
    public bool RetainLongitudinalTemporalInformation { get; init; }
    /// <summary>Clean Descriptors: series and study descriptions and protocol names are kept (they name sequences, not people).</summary>
    public bool CleanDescriptors { get; init; } = true;

    public string MethodDescription =>
        "PS3.15 Basic Application Level Confidentiality Profile"
        + (RetainLongitudinalTemporalInformation ? "; Retain Longitudinal Temporal Information With Full Dates Option" : "")
        + (CleanDescriptors ? "; Clean Descriptors Option" : "");
}
