using System.Diagnostics;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.T2Mapping;

namespace ReaderStudy.Bench;

/// <summary>T2 fitting over an OAI-sized MESE volume (384×384×27, 7 echoes), and SciPy's curve_fit on the same voxels.</summary>
internal static class T2FitBench
{
    public static void Run()
    {
        var subject = KneePhantom.Generate(0, new KneePhantomOptions { Size = 384, Slices = 27, Seed = 1 });
        var train = new EchoTrain("bench MESE", subject.Options.EchoTimesMs, subject.Echoes);
        var cartilage = subject.Labels.Select(t => t is Tissue.FemoralCartilage or Tissue.TibialCartilage).ToArray();
        Console.WriteLine($"volume: 384x384x27 = {train.VoxelCount:N0} voxels, 7 echoes; cartilage mask {cartilage.Count(c => c):N0} voxels");
        Console.WriteLine("| what | median | detail |");
        Console.WriteLine("|---|---|---|");

        var (logLinear, logAlloc) = Measure.Time(5, () => T2Fitter.Fit(train, new T2FitOptions()));
        Measure.Row("log-linear (weighted), whole volume", logLinear, $"{train.VoxelCount / logLinear / 1e6:F1} M voxels/s, {logAlloc:F0} MB allocated (the four output maps)");
        var (nonlinear, nlAlloc) = Measure.Time(3, () => T2Fitter.Fit(train, new T2FitOptions { Method = T2FitMethod.Nonlinear }));
        Measure.Row("nonlinear (Levenberg-Marquardt), whole volume", nonlinear, $"{train.VoxelCount / nonlinear / 1e6:F2} M voxels/s, {nlAlloc:F0} MB allocated");
        var (masked, _) = Measure.Time(5, () => T2Fitter.Fit(train, new T2FitOptions { Method = T2FitMethod.Nonlinear, Mask = cartilage }));
        Measure.Row("nonlinear, cartilage mask only", masked, $"{cartilage.Count(c => c) / masked / 1e6:F2} M voxels/s");

        // The ratio compares like with like: both fits on the same kind of voxels (cartilage), per voxel.
        ScipyReference(train, cartilage, masked / cartilage.Count(c => c));
    }

    /// <summary>SciPy is timed on the cartilage voxels only (per-voxel curve_fit over 4 M voxels would take an hour); the ratio is per voxel.</summary>
    private static void ScipyReference(EchoTrain train, bool[] mask, double oursPerVoxel)
    {
        var voxels = Enumerable.Range(0, mask.Length).Where(v => mask[v]).Take(20000).ToArray();
        var folder = Directory.CreateTempSubdirectory("readerstudy-bench-").FullName;
        var echoes = Path.Combine(folder, "echoes.f32");
        using (var stream = File.Create(echoes))
        {
            foreach (var echo in train.Echoes)
            {
                foreach (var v in voxels)
                {
                    stream.Write(BitConverter.GetBytes(echo[v]));
                }
            }
        }
        var script = Path.Combine(AppContext.BaseDirectory, "../../../../scipy_t2_fit.py");
        using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, echoes, string.Join(',', train.EchoTimesMs), Path.Combine(folder, "t2.f32")])
            { RedirectStandardOutput = true, RedirectStandardError = true });
        if (python is null)
        {
            Console.WriteLine("SciPy reference: /usr/bin/python3 did not start");
            return;
        }
        var output = python.StandardOutput.ReadToEnd();
        var error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Directory.Delete(folder, recursive: true);
        if (python.ExitCode != 0 || !double.TryParse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            Console.WriteLine($"SciPy reference failed: {error.Trim()}");
            return;
        }
        var perVoxel = seconds / voxels.Length;
        Measure.Row($"SciPy curve_fit per voxel (DOSMA-style), {voxels.Length:N0} cartilage voxels", seconds,
            $"{1 / perVoxel:F0} voxels/s; whole volume would take about {perVoxel * train.VoxelCount / 60:F0} min; ours (nonlinear, cartilage) is {perVoxel / oursPerVoxel:F0}x faster per voxel");
    }
}
