namespace ReaderStudy.Core.Studies;

/// <summary>What kind of images a study compares; chosen when the study is created. Each is a <see cref="StudyKindProfile"/>.</summary>
public enum StudyKind
{
    /// <summary>Quantitative maps (knee cartilage T2 in ms): a colour map with its scale in physical units.</summary>
    QuantitativeMap = 0,
    /// <summary>Grayscale MR (synthetic fat-suppressed from non-fat-suppressed sequences): signal in arbitrary units, normalized per image.</summary>
    GrayscaleMr = 1,
    /// <summary>CT in Hounsfield units (synthetic CT from MRI): named window presets, the same on both panes.</summary>
    Ct = 2,
    /// <summary>Projection X-ray or mammography: one large 2-D image per case, zoom and pan, no slices.</summary>
    Projection = 3,
}
