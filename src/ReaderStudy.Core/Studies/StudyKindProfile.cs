using ReaderStudy.Core.Series;

namespace ReaderStudy.Core.Studies;

/// <summary>
/// How a kind of study is imported and presented: which modalities it takes, which series are the compared
/// (real or synthetic) images, and how readers see them. A presentation profile, not a code path: every kind
/// goes through the same import, pairing, blinding and statistics.
/// </summary>
/// <param name="Modalities">DICOM modalities the study imports; anything else is refused with the kind named.</param>
/// <param name="ComparedModalities">Modalities of the compared images (the generator's output, and the real images it imitates).</param>
/// <param name="ComparedKind">The series kind of the compared images: T2 maps, or plain compared images.</param>
/// <param name="ZeroIsBackground">A 0 value means "no value" (quantitative maps); otherwise only non-finite values do, and values may be negative (HU).</param>
/// <param name="NormalizeTo">Arbitrary-unit images are scaled so their 99.5th percentile of positive values is this, each image alike, so a global gain never tells one image from the other; null: physical units, not scaled.</param>
/// <param name="Slices">Readers scroll through slices; false for projection images (one 2-D image per case).</param>
public sealed record StudyKindProfile(
    StudyKind Kind,
    string Title,
    string ComparedNoun,
    IReadOnlyList<string> Modalities,
    IReadOnlyList<string> ComparedModalities,
    SeriesKind ComparedKind,
    string Quantity,
    string Units,
    string Colormap,
    double DisplayMin,
    double DisplayMax,
    double Step,
    bool ZeroIsBackground,
    double? NormalizeTo,
    bool Slices,
    IReadOnlyList<WindowPreset> Presets)
{
    /// <summary>A voxel above this value is tissue rather than background (air is −1000 HU in CT; 0 is no value elsewhere), for similarity measures outside the segments.</summary>
    public double TissueAbove { get; init; }

    /// <summary>The colour maps a map study may present with (its default first); grey-scale kinds have only "gray".</summary>
    public IReadOnlyList<string> Colormaps => Colormap == "gray" ? ["gray"] : ["viridis", "magma", "jet"];

    /// <summary>The scale arbitrary-unit images are normalized to (their 99.5th percentile).</summary>
    public const double NormalizedScale = 1000;

    /// <summary>
    /// The presentation step of normalized images: 200 levels up to the 99.5th percentile, finer than a display's 256 grey
    /// levels can show over a window, and coarser than an 8-bit image's own levels once normalized (1000 / 255 ≈ 3.9),
    /// so an image stored with fewer bits does not fill fewer levels (its count of distinct values would tell it apart).
    /// </summary>
    public const double NormalizedStep = 5;

    public static readonly StudyKindProfile QuantitativeMap = new(StudyKind.QuantitativeMap, "Quantitative map (T2)", "T2 map",
        ["MR", "SEG"], ["MR"], SeriesKind.T2Map, "T2", "ms", "viridis", 0, 100, 0.1, ZeroIsBackground: true, NormalizeTo: null, Slices: true,
        [new("Cartilage 0–100 ms", 0, 100), new("Full 0–200 ms", 0, 200)]);

    public static readonly StudyKindProfile GrayscaleMr = new(StudyKind.GrayscaleMr, "Grayscale MR", "MR image",
        ["MR", "SEG"], ["MR"], SeriesKind.ComparedImage, "signal", "", "gray", 0, 1200, NormalizedStep, ZeroIsBackground: false, NormalizeTo: NormalizedScale, Slices: true,
        [new("Default", 0, 1000), new("Bright", 0, 600), new("Full", 0, 1200)]);

    public static readonly StudyKindProfile Ct = new(StudyKind.Ct, "CT (Hounsfield units)", "CT",
        ["CT", "MR", "SEG"], ["CT"], SeriesKind.ComparedImage, "HU", "HU", "gray", -1024, 3071, 1, ZeroIsBackground: false, NormalizeTo: null, Slices: true,
        [WindowPreset.FromCentreWidth("Bone", 400, 1800), WindowPreset.FromCentreWidth("Soft tissue", 40, 400), WindowPreset.FromCentreWidth("Lung", -600, 1500)])
    {
        TissueAbove = -950,
    };

    public static readonly StudyKindProfile Projection = new(StudyKind.Projection, "Projection X-ray / mammography", "image",
        ["MG", "DX", "CR"], ["MG", "DX", "CR"], SeriesKind.ComparedImage, "signal", "", "gray", 0, 1200, NormalizedStep, ZeroIsBackground: false, NormalizeTo: NormalizedScale, Slices: false,
        [new("Default", 0, 1000), new("Dense tissue", 400, 1100), new("Full", 0, 1200)]);

    public static IReadOnlyList<StudyKindProfile> All { get; } = [QuantitativeMap, GrayscaleMr, Ct, Projection];

    public static StudyKindProfile For(StudyKind kind) => All.Single(p => p.Kind == kind);

    /// <summary>The default quantity label of a new study of this kind, e.g. "T2 (ms)", "HU".</summary>
    public string QuantityLabel => Units.Length == 0 ? Quantity : Quantity == Units ? Units : $"{Quantity} ({Units})";

    public bool Takes(string modality) => Modalities.Contains(modality, StringComparer.OrdinalIgnoreCase);

    /// <summary>The refusal for a series this kind of study does not take.</summary>
    public string Refusal(string modality) =>
        $"modality {(modality.Length == 0 ? "missing" : modality)}; a {Title} study takes {string.Join(", ", Modalities)} series.";
}
