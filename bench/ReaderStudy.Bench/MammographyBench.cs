using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Reading.Presentation;
using ReaderStudy.Core.Studies;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Phantom;

namespace ReaderStudy.Bench;

/// <summary>
/// A full-field mammogram (3000 x 3750 by default) through what a reader's request costs the server: reading the stored
/// MONOCHROME1 DICOM to display values, the whole-image normalization (once per image, then cached), the presentation,
/// and the bytes sent.
/// </summary>
internal static class MammographyBench
{
    public static void Run(int columns)
    {
        var root = Directory.CreateTempSubdirectory("readerstudy-bench-mammo-").FullName;
        try
        {
            var options = new MammographyPhantomOptions { Columns = columns, Rows = columns * 5 / 4, PixelMm = 0.07, Seed = 1 };
            var (write, _) = Measure.Time(1, () => MammographyStudyWriter.Generate(Path.Combine(root, "phantom"), 1, options));
            var subject = Directory.GetDirectories(Path.Combine(root, "phantom")).Single();
            var real = Directory.GetFiles(Path.Combine(subject, "real")).Single();
            var synthetic = Directory.GetFiles(Path.Combine(subject, "synthetic")).Single();
            var settings = new Study { Kind = StudyKind.Projection }.Presentation() with
            {
                RangeMin = StudyKindProfile.Projection.DisplayMin, RangeMax = StudyKindProfile.Projection.DisplayMax, Step = StudyKindProfile.Projection.Step,
            };
            float[] shown = [], other = [];
            var (read, readMb) = Measure.Time(3, () => (shown, other) = (DicomReader.Read(real).DisplayValues(), DicomReader.Read(synthetic).DisplayValues()));
            var scale = 1.0;
            var (normalize, _) = Measure.Time(3, () => scale = MapPresentation.NormalizationScale(shown, settings));
            var presented = new float[shown.Length];
            var (present, presentMb) = Measure.Time(5, () => MapPresentation.Present(shown, other, settings, presented, scale));
            Console.WriteLine("| what | median | detail |");
            Console.WriteLine("|---|---|---|");
            var pixels = $"{options.Columns}x{options.Rows}";
            Measure.Row($"mammography phantom, one subject ({pixels}, real and synthetic)", write, "generate and write both views");
            Measure.Row($"read both stored views to display values ({pixels})", read, $"{readMb:F0} MB allocated");
            Measure.Row("normalization scale of one view (once per image, cached)", normalize, "99.5th percentile of positive values");
            Measure.Row("presentation of one view (per request)", present, $"{presentMb:F1} MB allocated; {shown.Length * 4 / 1e6:F0} MB of float32 sent per view");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
