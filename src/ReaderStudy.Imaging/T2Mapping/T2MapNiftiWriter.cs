using System.Text.Json;
using ReaderStudy.Core.T2Mapping;
using ReaderStudy.Imaging.Nifti;

namespace ReaderStudy.Imaging.T2Mapping;

/// <summary>Writes a fit's maps as NIfTI (float32, on exactly the input's grid and affine) with a JSON sidecar of provenance.</summary>
public static class T2MapNiftiWriter
{
    public static IReadOnlyList<string> Write(string folder, int[] dimensions, double[,] affine, T2Maps maps, T2FitOptions options,
        IReadOnlyList<double> echoTimesMs, string source)
    {
        Directory.CreateDirectory(folder);
        var method = options.Method == T2FitMethod.LogLinear ? "weighted log-linear" : "Levenberg-Marquardt";
        var files = new List<string>();
        void One(string name, float[] values, string description)
        {
            var path = Path.Combine(folder, name + ".nii.gz");
            NiftiWriter.Write(path, dimensions[..3], values, affine, description);
            files.Add(path);
        }
        One("t2", maps.T2, "T2 ms");
        One("s0", maps.S0, "S0");
        One("r2", maps.R2, "R2 of the fit");
        One("reliable", [.. maps.Reliable.Select(r => r ? 1f : 0f)], "1 reliable 0 unreliable");
        File.WriteAllText(Path.Combine(folder, "t2.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Quantity"] = "T2",
            ["Units"] = "ms",
            ["Method"] = $"Mono-exponential T2 fit ({method})",
            ["EchoTimesMs"] = echoTimesMs,
            ["FirstEchoExcluded"] = options.ExcludeFirstEcho,
            ["ClipMs"] = new[] { options.ClipMin, options.ClipMax },
            ["MinR2"] = options.MinR2,
            ["Source"] = source,
            ["Software"] = "ReaderStudy",
        }, new JsonSerializerOptions { WriteIndented = true }));
        return files;
    }
}
