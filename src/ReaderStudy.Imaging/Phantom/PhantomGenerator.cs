using System.Text.Json;
using ReaderStudy.Core.Phantom;

namespace ReaderStudy.Imaging.Phantom;

/// <summary>Generates and writes several phantom subjects in parallel, then the manifest.</summary>
public static class PhantomGenerator
{
    public static readonly JsonSerializerOptions ManifestJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static PhantomManifest Generate(string outputFolder, int subjects, KneePhantomOptions options, IProgress<int>? progress = null)
    {
        Directory.CreateDirectory(outputFolder);
        var written = new PhantomManifestSubject[subjects];
        var done = 0;
        Parallel.For(0, subjects, i =>
        {
            written[i] = PhantomStudyWriter.Write(outputFolder, KneePhantom.Generate(i, options));
            progress?.Report(Interlocked.Increment(ref done));
        });
        var manifest = new PhantomManifest(options.Seed, options.Size, options.Slices, options.NoiseFraction, options.EchoTimesMs, written);
        File.WriteAllText(Path.Combine(outputFolder, "manifest.json"), JsonSerializer.Serialize(manifest, ManifestJson));
        return manifest;
    }
}
