using System.Globalization;
using System.Text.Json;
using ReaderStudy.Core.T2Mapping;
using ReaderStudy.Imaging.Nifti;

namespace ReaderStudy.Imaging.T2Mapping;

/// <summary>
/// A MESE echo train held as NIfTI, as dcm2niix writes it: one file per echo with a JSON sidecar giving EchoTime in
/// seconds (BIDS), or one 4-D file whose sidecar lists the echo times (EchoTime as a list, or EchoTimes).
/// </summary>
public sealed record NiftiMese(EchoTrain Train, NiftiVolume FirstEcho)
{
    public static bool IsNifti(string path) =>
        path.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>A file or folder of NIfTI images (and no DICOM) is read as NIfTI.</summary>
    public static bool Holds(string path) =>
        File.Exists(path) ? IsNifti(path)
        : Directory.Exists(path) && Directory.EnumerateFiles(path).Any(IsNifti);

    public static NiftiMese Load(string path)
    {
        var files = File.Exists(path) ? [path] : Directory.EnumerateFiles(path).Where(IsNifti).Order(StringComparer.Ordinal).ToList();
        var images = files.Select(f => (Image: NiftiReader.Read(f), Times: EchoTimesMs(f))).ToList();
        List<(double EchoTime, float[] Values, NiftiVolume Image)> echoes;
        if (images is [var only] && only.Image.Volumes > 1)
        {
            if (only.Times.Count != only.Image.Volumes)
            {
                throw new NiftiException($"{only.Image.Path}: {only.Image.Volumes} volumes but its sidecar gives {only.Times.Count} echo time(s).");
            }
            echoes = [.. only.Times.Select((te, t) => (te, only.Image.Volume(t), only.Image))];
        }
        else
        {
            var multi = images.FirstOrDefault(i => i.Image.Volumes > 1 || i.Times.Count != 1);
            if (multi.Image is not null)
            {
                throw new NiftiException($"{multi.Image.Path}: {multi.Image.Volumes} volume(s) with {multi.Times.Count} echo time(s) beside other echo files; give one file per echo, or one 4-D file.");
            }
            echoes = [.. images.Select(i => (i.Times[0], i.Image.Values, i.Image))];
        }
        if (echoes.Count < 3)
        {
            throw new T2FitException($"{path}: {echoes.Count} echo(es) in NIfTI; a T2 fit needs three or more echo times.");
        }
        var first = echoes[0].Image;
        foreach (var (_, _, image) in echoes)
        {
            if (image.Nx != first.Nx || image.Ny != first.Ny || image.Nz != first.Nz || !SameAffine(image.Affine, first.Affine))
            {
                throw new NiftiException($"{image.Path}: grid {image.Grid} does not match {first.Path} ({first.Grid}, or a different affine); every echo must be on one grid.");
            }
        }
        var duplicate = echoes.GroupBy(e => e.EchoTime).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new T2FitException($"{path}: echo time {duplicate.Key} ms appears {duplicate.Count()} times.");
        }
        var ordered = echoes.OrderBy(e => e.EchoTime).ToList();
        return new NiftiMese(new EchoTrain($"NIfTI MESE {path}", [.. ordered.Select(e => e.EchoTime)], [.. ordered.Select(e => e.Values)]), first);
    }

    /// <summary>Echo times (ms) from the BIDS sidecar beside <paramref name="nifti"/> (EchoTime is in seconds).</summary>
    public static IReadOnlyList<double> EchoTimesMs(string nifti)
    {
        var stem = nifti.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? nifti[..^7] : nifti[..^4];
        var sidecar = stem + ".json";
        if (!File.Exists(sidecar))
        {
            throw new NiftiException($"{nifti}: no JSON sidecar ({Path.GetFileName(sidecar)}) giving its EchoTime; dcm2niix writes one with -b y.");
        }
        JsonElement json;
        try
        {
            json = JsonDocument.Parse(File.ReadAllText(sidecar)).RootElement;
        }
        catch (JsonException e)
        {
            throw new NiftiException($"{sidecar}: not valid JSON ({e.Message}).");
        }
        var times = json.TryGetProperty("EchoTimes", out var list) ? list
            : json.TryGetProperty("EchoTime", out var single) ? single
            : throw new NiftiException($"{sidecar}: no EchoTime (seconds) in the sidecar.");
        double[] seconds = times.ValueKind switch
        {
            JsonValueKind.Number => [times.GetDouble()],
            JsonValueKind.Array when times.EnumerateArray().All(t => t.ValueKind == JsonValueKind.Number) => [.. times.EnumerateArray().Select(t => t.GetDouble())],
            _ => throw new NiftiException($"{sidecar}: EchoTime {times.GetRawText()} is not a number of seconds."),
        };
        if (seconds.Any(s => s is <= 0 or > 1))
        {
            throw new NiftiException($"{sidecar}: EchoTime {string.Join(", ", seconds.Select(s => s.ToString(CultureInfo.InvariantCulture)))} is not in seconds (BIDS: 0.01 for 10 ms).");
        }
        // Seconds to ms, rounded off the float noise of the sidecar (0.030000000000000002).
        return [.. seconds.Select(s => Math.Round(s * 1000, 6))];
    }

    private static bool SameAffine(double[,] a, double[,] b) =>
        Enumerable.Range(0, 3).All(r => Enumerable.Range(0, 4).All(c => Math.Abs(a[r, c] - b[r, c]) < 1e-3));
}
