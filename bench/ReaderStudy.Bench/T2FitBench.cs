using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.T2Mapping;

namespace ReaderStudy.Bench;

/// <summary>
/// T2 fitting over an OAI-sized MESE volume (384×384×27, 7 echoes) beside the field's references run in the
/// same command: SciPy's per-voxel curve_fit (as DOSMA) and a vectorized NumPy log-linear fit, with the
/// memory-bandwidth floor. Ratios are per CPU second, so the machine's core count does not flatter them.
/// </summary>
internal static class T2FitBench
{
    private const int SciPyVoxels = 20000;
    private const int NumPyRounds = 5;
    private const int SciPyRounds = 3;

    public static void Run()
    {
        var subject = KneePhantom.Generate(0, new KneePhantomOptions { Size = 384, Slices = 27, Seed = 1 });
        var train = new EchoTrain("bench MESE", subject.Options.EchoTimesMs, subject.Echoes);
        var cartilage = subject.Labels.Select(t => t is Tissue.FemoralCartilage or Tissue.TibialCartilage).ToArray();
        var voxels = train.VoxelCount;
        var background = T2Fitter.Fit(train, new T2FitOptions()).Background;
        Console.WriteLine($"volume: 384x384x27 = {voxels:N0} voxels, 7 echoes; cartilage mask {cartilage.Count(c => c):N0} voxels; "
            + $"background (first echo under 5 % of bright tissue) {background:N0} voxels; {Environment.ProcessorCount} cores, "
            + $"{(Vector512.IsHardwareAccelerated ? "512-bit vectors" : Vector256.IsHardwareAccelerated ? "256-bit vectors (the fit's 512-bit lanes run as two halves)" : "no vector hardware")}");
        Console.WriteLine("| what | median wall | CPU | detail |");
        Console.WriteLine("|---|---|---|---|");

        var ours = new Dictionary<string, (double Wall, double Cpu)>
        {
            ["log-linear, every voxel"] = Measure.WallAndCpu(7, () => T2Fitter.Fit(train, new T2FitOptions { BackgroundFraction = 0 })),
            ["log-linear, background skipped"] = Measure.WallAndCpu(7, () => T2Fitter.Fit(train, new T2FitOptions())),
            ["nonlinear (Levenberg-Marquardt), every voxel"] = Measure.WallAndCpu(5, () => T2Fitter.Fit(train, new T2FitOptions { Method = T2FitMethod.Nonlinear, BackgroundFraction = 0 })),
            ["nonlinear, background skipped"] = Measure.WallAndCpu(5, () => T2Fitter.Fit(train, new T2FitOptions { Method = T2FitMethod.Nonlinear })),
            ["nonlinear, cartilage mask only"] = Measure.WallAndCpu(7, () => T2Fitter.Fit(train, new T2FitOptions { Method = T2FitMethod.Nonlinear, Mask = cartilage })),
        };
        foreach (var (what, (wall, cpu)) in ours)
        {
            var fitted = what.Contains("cartilage") ? cartilage.Count(c => c) : what.Contains("skipped") ? voxels - background : voxels;
            Row(what, wall, cpu, $"{fitted / wall / 1e6:F2} M voxels/s fitted ({fitted:N0})");
        }

        var folder = Directory.CreateTempSubdirectory("readerstudy-bench-").FullName;
        try
        {
            var everyNth = Enumerable.Range(0, SciPyVoxels).Select(i => (int)((long)i * voxels / SciPyVoxels)).ToArray();
            var inCartilage = Enumerable.Range(0, voxels).Where(v => cartilage[v]).Take(SciPyVoxels).ToArray();
            // SciPy and ours in turn too, as NumPy below: on this shared machine SciPy alone took 3.2 s one day and 8.2 s another.
            var nonlinear = new T2FitOptions { Method = T2FitMethod.Nonlinear, BackgroundFraction = 0 };
            var skipping = new T2FitOptions { Method = T2FitMethod.Nonlinear };
            var scipyRounds = new List<((double Wall, double Cpu) SciPy, double EveryVoxel, double Skipping)>();
            for (var round = 0; round < SciPyRounds; round++)
            {
                if (SciPy(train, everyNth, folder) is not { } sv)
                {
                    break;
                }
                scipyRounds.Add((sv, Measure.WallAndCpu(3, () => T2Fitter.Fit(train, nonlinear)).CpuSeconds, Measure.WallAndCpu(3, () => T2Fitter.Fit(train, skipping)).CpuSeconds));
            }
            var scipyCartilage = SciPy(train, inCartilage, folder);
            var numpyEchoes = WriteVolume(train, folder);
            if (scipyRounds.Count == SciPyRounds)
            {
                double Median(IEnumerable<double> values) => values.Order().ElementAt(SciPyRounds / 2);
                var perVoxel = Median(scipyRounds.Select(r => r.SciPy.Cpu)) / SciPyVoxels;
                double Ratio(Func<((double Wall, double Cpu) SciPy, double EveryVoxel, double Skipping), double> ours) =>
                    Median(scipyRounds.Select(r => r.SciPy.Cpu / SciPyVoxels * voxels / ours(r)));
                Row($"SciPy curve_fit per voxel (DOSMA), {SciPyVoxels:N0} voxels spread over the volume (median of {SciPyRounds} rounds, each beside ours)",
                    Median(scipyRounds.Select(r => r.SciPy.Wall)), Median(scipyRounds.Select(r => r.SciPy.Cpu)),
                    $"the whole volume would take {perVoxel * voxels:F0} s of CPU; ours in the same rounds: **{Ratio(r => r.EveryVoxel):F0}×** per CPU second fitting every voxel "
                    + $"({Median(scipyRounds.Select(r => r.EveryVoxel)):F3} s), **{Ratio(r => r.Skipping):F0}×** skipping background ({Median(scipyRounds.Select(r => r.Skipping)):F3} s) (medians of the rounds' ratios)");
            }
            if (scipyCartilage is { } sc)
            {
                var perVoxel = sc.Cpu / inCartilage.Length;
                var oursPerVoxel = ours["nonlinear, cartilage mask only"].Cpu / cartilage.Count(c => c);
                Row($"SciPy curve_fit per voxel, {inCartilage.Length:N0} cartilage voxels", sc.Wall, sc.Cpu,
                    $"ours on the cartilage mask: **{perVoxel / oursPerVoxel:F0}×** per CPU second");
            }
            // NumPy and ours in turn, round after round, so that a busy spell of this shared machine weighs on both alike
            // (NumPy alone took 0.8 to 2.0 s on one day); the ratio is the median of the rounds' ratios.
            var rounds = new List<((double Wall, double Cpu) NumPy, (double Wall, double Cpu) Ours)>();
            for (var round = 0; round < NumPyRounds; round++)
            {
                if (Python("numpy_t2_loglinear.py", numpyEchoes, string.Join(',', train.EchoTimesMs)) is not { } np)
                {
                    break;
                }
                rounds.Add((np, Measure.WallAndCpu(3, () => T2Fitter.Fit(train, new T2FitOptions { BackgroundFraction = 0 }))));
            }
            if (rounds.Count == NumPyRounds)
            {
                double Median(IEnumerable<double> values) => values.Order().ElementAt(NumPyRounds / 2);
                Row($"NumPy log-linear, vectorized in chunks of 1 M voxels, every voxel (median of {NumPyRounds} rounds, each beside one of ours)",
                    Median(rounds.Select(r => r.NumPy.Wall)), Median(rounds.Select(r => r.NumPy.Cpu)),
                    $"ours (every voxel) in the same rounds {Median(rounds.Select(r => r.Ours.Wall)):F3} s: **{Median(rounds.Select(r => r.NumPy.Wall / r.Ours.Wall)):F1}×** wall, "
                    + $"{Median(rounds.Select(r => r.NumPy.Cpu / r.Ours.Cpu)):F1}× per CPU second (medians of the rounds' ratios)");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Floor(train);
    }

    private static void Row(string what, double wall, double cpu, string detail) =>
        Console.WriteLine($"| {what} | {wall:F3} s | {cpu:F3} s | {detail} |");

    /// <summary>The physical floor: reading the echoes and writing the four maps once, at the machine's measured memory bandwidth.</summary>
    private static void Floor(EchoTrain train)
    {
        var bytes = (double)train.VoxelCount * (train.Echoes.Count * sizeof(float) + 3 * sizeof(float) + sizeof(bool));
        var buffer = new float[64 << 20];
        Random.Shared.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffer.AsSpan()));
        var (wall, _) = Measure.WallAndCpu(5, () => ReadAll(buffer));
        var bandwidth = buffer.Length * (double)sizeof(float) / wall;
        Console.WriteLine($"| memory floor | {bytes / bandwidth:F3} s | | {bytes / 1e6:F0} MB read and written per volume at {bandwidth / 1e9:F1} GB/s (measured: a parallel vector sum over 256 MB) |");
        // Every fit returns four new whole-volume maps; on a virtual machine, first touching new pages costs more than the bandwidth says.
        var (fresh, freshCpu) = Measure.WallAndCpu(5, () =>
        {
            var maps = new T2Maps(new float[train.VoxelCount], new float[train.VoxelCount], new float[train.VoxelCount], new bool[train.VoxelCount], 0, 0, 0, TimeSpan.Zero);
            for (var v = 0; v < train.VoxelCount; v += 1024)
            {
                (maps.T2[v], maps.S0[v], maps.R2[v], maps.Reliable[v]) = (1, 1, 1, true);
            }
        });
        Console.WriteLine($"| the four output maps alone | {fresh:F3} s | {freshCpu:F3} s | allocating {train.VoxelCount * 13.0 / 1e6:F0} MB of maps and touching each page once, as every fit must |");
    }

    private static float ReadAll(float[] buffer)
    {
        const int Chunk = 1 << 20;
        var total = 0f;
        var gate = new object();
        Parallel.For(0, buffer.Length / Chunk, chunk =>
        {
            var sum = Vector256<float>.Zero;
            var span = buffer.AsSpan(chunk * Chunk, Chunk);
            for (var i = 0; i < span.Length; i += Vector256<float>.Count)
            {
                sum += Vector256.Create<float>(span.Slice(i, Vector256<float>.Count));
            }
            lock (gate)
            {
                total += Vector256.Sum(sum);
            }
        });
        return total;
    }

    private static (double Wall, double Cpu)? SciPy(EchoTrain train, int[] voxels, string folder)
    {
        var echoes = Path.Combine(folder, "sample.f32");
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
        return Python("scipy_t2_fit.py", echoes, string.Join(',', train.EchoTimesMs), Path.Combine(folder, "t2.f32"));
    }

    private static string WriteVolume(EchoTrain train, string folder)
    {
        var echoes = Path.Combine(folder, "volume.f32");
        using (var stream = File.Create(echoes))
        {
            foreach (var echo in train.Echoes)
            {
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(echo.AsSpan()));
            }
        }
        return echoes;
    }

    private static (double Wall, double Cpu)? Python(string script, params string[] arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "../../../..", script);
        using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", [path, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true });
        if (python is null)
        {
            Console.WriteLine($"{script}: /usr/bin/python3 did not start");
            return null;
        }
        var output = python.StandardOutput.ReadToEndAsync();
        var error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        var parts = output.Result.Trim().Split(' ');
        if (python.ExitCode != 0 || parts.Length != 2)
        {
            Console.WriteLine($"{script} failed: {error.Trim()}");
            return null;
        }
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
