using ReaderStudy.Core.Phantom;
using ReaderStudy.Imaging.Phantom;

namespace ReaderStudy.Bench;

/// <summary>The phantom target: 10 subjects of 256×256×20 written as DICOM in under 10 s.</summary>
internal static class PhantomBench
{
    public static void Run()
    {
        var folder = Directory.CreateTempSubdirectory("readerstudy-bench-phantom-").FullName;
        try
        {
            var files = 0;
            var (seconds, _) = Measure.Time(3, () =>
            {
                Directory.Delete(folder, recursive: true);
                var manifest = PhantomGenerator.Generate(folder, 10, new KneePhantomOptions { Seed = 1 });
                files = manifest.Subjects.Sum(s => s.Series.Sum(x => x.Files));
            });
            Console.WriteLine("| what | median | detail |");
            Console.WriteLine("|---|---|---|");
            Measure.Row("phantom: 10 subjects of 256x256x20 to DICOM", seconds, $"{files} files, {files / seconds:F0} files/s");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
