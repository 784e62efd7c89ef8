using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Imaging.Dicom;

/// <summary>Guesses what a series is from its headers, and says which rule decided, so a coordinator can judge and override it.</summary>
public static class SeriesClassifier
{
    public static (SeriesKind Kind, string Rule) Classify(IReadOnlyList<DicomImage> images)
    {
        var first = images[0];
        if (first.Modality == "SEG" || first.SopClassUid == DicomUids.SegmentationStorage)
        {
            return (SeriesKind.Segmentation, "modality SEG (DICOM Segmentation)");
        }
        if (first.Modality != "MR")
        {
            return (SeriesKind.Other, $"modality {(first.Modality.Length == 0 ? "missing" : first.Modality)}, not MR");
        }
        var echoTimes = images.Select(i => i.EchoTime).OfType<double>().Distinct().Order().ToList();
        if (echoTimes.Count >= 3)
        {
            return (SeriesKind.Mese, $"{echoTimes.Count} echo times ({string.Join(", ", echoTimes)} ms) in one series");
        }
        if (first.ImageType.Contains("T2 MAP", StringComparison.OrdinalIgnoreCase) || first.ImageType.Contains("T2MAP", StringComparison.OrdinalIgnoreCase))
        {
            return (SeriesKind.T2Map, $"image type {first.ImageType}");
        }
        // A Parametric Map's frame type names its quantity in value 3 (DERIVED\PRIMARY\T2\…).
        if (first.ImageType.Split('\\') is ["DERIVED", _, "T2", ..])
        {
            return (SeriesKind.T2Map, $"image type {first.ImageType} (a T2 parametric map)");
        }
        if (first.SeriesDescription.Contains("T2 map", StringComparison.OrdinalIgnoreCase) || first.SeriesDescription.Contains("T2map", StringComparison.OrdinalIgnoreCase))
        {
            return (SeriesKind.T2Map, $"series description '{first.SeriesDescription}'");
        }
        return (SeriesKind.Anatomic, echoTimes.Count <= 1 ? "MR series with a single echo time" : $"MR series with {echoTimes.Count} echo times (too few for a T2 fit)");
    }

    /// <summary>
    /// The kind a series has in a study of <paramref name="profile"/>'s kind: in a CT or projection study its CT or
    /// mammograms are the compared images; in a grayscale MR study a fat-suppressed MR series is (the others are
    /// the generator's anatomic inputs). Quantitative map studies keep the header's guess.
    /// </summary>
    public static (SeriesKind Kind, string Rule) ForStudy(StudyKindProfile profile, SeriesKind kind, string rule, DicomImage first)
    {
        if (profile.ComparedKind != SeriesKind.ComparedImage || kind == SeriesKind.Segmentation)
        {
            return (kind, rule);
        }
        if (first.Modality != "MR" && profile.ComparedModalities.Contains(first.Modality))
        {
            return (SeriesKind.ComparedImage, $"modality {first.Modality}: the images a {profile.Title} study compares");
        }
        if (first.Modality == "MR" && kind == SeriesKind.Anatomic && profile.ComparedModalities.Contains("MR") && FatSuppressed(first) is { } why)
        {
            return (SeriesKind.ComparedImage, $"fat-suppressed MR ({why}): the images a {profile.Title} study compares");
        }
        return (kind, rule);
    }

    private static readonly string[] FatSuppressionWords = ["FAT SAT", "FATSAT", "FAT-SAT", "FAT SUPP", "FAT-SUPP", "STIR", "SPAIR", "SPIR", "DIXON W", "WATER"];

    private static string? FatSuppressed(DicomImage image)
    {
        if (image.ScanOptions.Split('\\').Any(o => o.Trim() is "FS" or "SFS" or "FATSAT"))
        {
            return $"scan options {image.ScanOptions}";
        }
        var description = image.SeriesDescription.ToUpperInvariant();
        var word = FatSuppressionWords.FirstOrDefault(description.Contains)
            ?? (description.Split([' ', '_', '-', '/'], StringSplitOptions.RemoveEmptyEntries).Contains("FS") ? "FS" : null);
        return word is null ? null : $"series description '{image.SeriesDescription}'";
    }
}
