namespace ReaderStudy.Imaging.Dicom;

/// <summary>What a written series says about itself: identity, acquisition, and for derived maps their units and sources.</summary>
public sealed record SeriesInfo
{
    public required string PatientName { get; init; }
    public required string PatientId { get; init; }
    public required string StudyInstanceUid { get; init; }
    public required string SeriesInstanceUid { get; init; }
    public required string FrameOfReferenceUid { get; init; }
    public required int SeriesNumber { get; init; }
    public required string SeriesDescription { get; init; }
    /// <summary>e.g. ORIGINAL\PRIMARY\M or DERIVED\SECONDARY\T2 MAP.</summary>
    public required string ImageType { get; init; }
    /// <summary>MR (default), CT (values in HU) or MG/DX (a projection image, one per series).</summary>
    public string Modality { get; init; } = "MR";
    /// <summary>MONOCHROME2 (default) or MONOCHROME1 (high values dark, as many mammograms are stored).</summary>
    public string PhotometricInterpretation { get; init; } = "MONOCHROME2";
    /// <summary>Bits Stored; a MONOCHROME1 series is written inverted within them (values must be whole numbers in 0..2^bits−1).</summary>
    public int BitsStored { get; init; } = 16;
    public string StudyDate { get; init; } = "20260101";
    public string StudyDescription { get; init; } = "";
    public string ScanningSequence { get; init; } = "SE";
    public double? EchoTime { get; init; }
    public double? RepetitionTime { get; init; }
    public int? EchoNumber { get; init; }
    /// <summary>UCUM units of the values (e.g. "ms"); set for quantitative maps, written as Real World Value Mapping.</summary>
    public string? Units { get; init; }
    public string? QuantityLabel { get; init; }
    /// <summary>Series these images were derived from (MESE echoes for a T2 map), with their instances.</summary>
    public IReadOnlyList<SourceSeries> Sources { get; init; } = [];
    /// <summary>R or L for a knee; empty where unknown.</summary>
    public string Laterality { get; init; } = "";
    public string? DerivationDescription { get; init; }
}
