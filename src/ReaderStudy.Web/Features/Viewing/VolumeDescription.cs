using ReaderStudy.Core.Studies;

namespace ReaderStudy.Web.Features.Viewing;

/// <summary>
/// What the browser viewer needs to place a series' slices in space and label its values: geometry in
/// DICOM patient coordinates (mm), and the quantity and units of the values it will fetch slice by slice
/// (for a reader's image, the step every presented value is a multiple of), the named windows a reader may choose,
/// whether there are slices to scroll (not for a projection image), and where the subject's segmentation outlines
/// are fetched slice by slice when they are shown over the image; for the coordinator, where a fitted map's unreliable
/// voxels are (never in a reader's description: only real maps have them).
/// </summary>
public sealed record VolumeDescription(
    int Rows,
    int Columns,
    int Slices,
    double RowSpacing,
    double ColumnSpacing,
    double[] RowDirection,
    double[] ColumnDirection,
    IReadOnlyList<double[]> SlicePositions,
    string Quantity,
    string Units,
    double[] DisplayRange,
    string Colormap,
    string SliceUrlTemplate,
    double? ValueStep = null,
    IReadOnlyList<WindowPreset>? Presets = null,
    bool ScrollsSlices = true,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? OutlineUrlTemplate = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? UnreliableUrlTemplate = null);
