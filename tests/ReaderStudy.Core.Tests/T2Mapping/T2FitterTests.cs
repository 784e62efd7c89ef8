using System.Diagnostics;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.T2Mapping;
using ReaderStudy.Testing;
using Xunit.Abstractions;

namespace ReaderStudy.Core.Tests.T2Mapping;

public sealed class T2FitterTests(ITestOutputHelper output)
{
    private static readonly double[] OaiEchoTimes = [10, 20, 30, 40, 50, 60, 70];

    private static EchoTrain Train(IReadOnlyList<double[]> voxelSignals, double[]? echoTimes = null)
    {
        var te = echoTimes ?? OaiEchoTimes;
        var echoes = te.Select((_, e) => voxelSignals.Select(s => (float)s[e]).ToArray()).ToList();
        return new EchoTrain("test MESE", te, echoes);
    }

    [Theory]
    [InlineData(T2FitMethod.LogLinear)]
    [InlineData(T2FitMethod.Nonlinear)]
    public void Fit_NoiseFreeDecays_RecoverT2Within0Point1Percent(T2FitMethod method)
    {
        var truth = Enumerable.Range(0, 40).Select(i => 5 + i * 5.0).ToArray(); // 5 to 200 ms
        var train = Train([.. truth.Select(t2 => OaiEchoTimes.Select(te => 800 * Math.Exp(-te / t2)).ToArray())]);

        var maps = T2Fitter.Fit(train, new T2FitOptions { Method = method, ClipMax = 1000 });

        for (var v = 0; v < truth.Length; v++)
        {
            Assert.True(Math.Abs(maps.T2[v] - truth[v]) <= 0.001 * truth[v], $"T2 {truth[v]} ms fitted as {maps.T2[v]} ms");
            Assert.True(maps.Reliable[v]);
        }
    }

    [Theory]
    [InlineData(T2FitMethod.LogLinear)]
    [InlineData(T2FitMethod.Nonlinear)]
    public void Fit_Phantom_MatchesTrueRegionalT2Within1Ms(T2FitMethod method)
    {
        var subject = KneePhantom.Generate(0, new KneePhantomOptions { Size = 192, Slices = 10, Seed = 5 });
        var train = new EchoTrain("phantom MESE", subject.Options.EchoTimesMs, subject.Echoes);

        var maps = T2Fitter.Fit(train, new T2FitOptions { Method = method });

        foreach (var (region, voxels, trueT2) in subject.RegionTruth())
        {
            var mask = Enumerable.Range(0, subject.VoxelCount).Select(v => subject.InRegion(v, region)).ToArray();
            var fitted = maps.MeanT2(mask);
            output.WriteLine($"{method} {region.Name,-40} {voxels,6} voxels  true {trueT2,6:F2} ms  fitted {fitted,6:F2} ms  error {fitted - trueT2,6:F3} ms");
            Assert.True(Math.Abs(fitted - trueT2) < 1, $"{region.Name}: true {trueT2:F2} ms, fitted {fitted:F2} ms");
        }
    }

    [Fact]
    public void Fit_DegenerateVoxels_AreUnreliableWithFiniteValues()
    {
        var train = Train(
        [
            [0, 0, 0, 0, 0, 0, 0],
            [500, 0, 0, 0, 0, 0, 0],
            [100, 120, 140, 160, 180, 200, 220],
            [500, double.NaN, 300, 200, 150, 100, 80],
            [300, 300, 300, 300, 300, 300, 300],
            [500, 400, 320, 256, 205, 164, 131],
        ]);

        var maps = T2Fitter.Fit(train, new T2FitOptions { Method = T2FitMethod.Nonlinear });

        Assert.Equal([false, false, false, false, false, true], maps.Reliable);
        Assert.All(maps.T2.Concat(maps.S0).Concat(maps.R2), v => Assert.True(float.IsFinite(v)));
        Assert.Equal(5, maps.Unreliable);
        Assert.InRange(maps.T2[5], 44.5, 45.0);
    }

    [Fact]
    public void Fit_ExcludeFirstEchoAndMask_FitOnlyWhatIsAsked()
    {
        // A stimulated-echo-like first echo that is too low: excluding it recovers the true 40 ms.
        double[] voxel = [.. OaiEchoTimes.Select((te, i) => (i == 0 ? 0.8 : 1) * 600 * Math.Exp(-te / 40))];
        var train = Train([voxel, voxel]);

        var all = T2Fitter.Fit(train, new T2FitOptions());
        var excluded = T2Fitter.Fit(train, new T2FitOptions { ExcludeFirstEcho = true, Mask = [true, false] });

        Assert.True(Math.Abs(all.T2[0] - 40) > 1);
        Assert.Equal(40, excluded.T2[0], 3);
        Assert.Equal((1, 0f), (excluded.VoxelsFitted, excluded.T2[1]));
    }

    [Theory]
    [InlineData(new[] { 10.0, 20, 20, 40 }, "duplicated echo time 20 ms")]
    [InlineData(new[] { 10.0 }, "at least two echoes")]
    [InlineData(new[] { 10.0, -20 }, "must be a positive number")]
    public void EchoTrain_BadEchoTimes_AreRefusedWithTheReason(double[] echoTimes, string reason)
    {
        var error = Assert.Throws<T2FitException>(() => new EchoTrain("MESE series 3", echoTimes, [.. echoTimes.Select(_ => new float[4])]));

        Assert.Contains("MESE series 3", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Nonlinear_AgreesWithSciPyCurveFit_MedianWithin0Point05Ms()
    {
        var random = new Random(42);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var voxels = Enumerable.Range(0, 400).Select(_ =>
        {
            var t2 = 20 + 60 * random.NextDouble();
            return OaiEchoTimes.Select(te => 600 * Math.Exp(-te / t2) + 6 * Gaussian()).ToArray();
        }).ToList();
        var train = Train(voxels);
        var folder = Directory.CreateTempSubdirectory("readerstudy-scipy-").FullName;
        var echoesPath = Path.Combine(folder, "echoes.f32");
        var outPath = Path.Combine(folder, "t2.f32");
        File.WriteAllBytes(echoesPath, [.. train.Echoes.SelectMany(e => e).SelectMany(BitConverter.GetBytes)]);

        using (var python = Process.Start(new ProcessStartInfo("/usr/bin/python3",
                   [Path.Combine(SharedFolder.RepositoryRoot, "bench", "scipy_t2_fit.py"), echoesPath, string.Join(',', OaiEchoTimes), outPath])
               { RedirectStandardError = true, RedirectStandardOutput = true })!)
        {
            var error = python.StandardError.ReadToEnd();
            python.WaitForExit();
            Assert.True(python.ExitCode == 0, error);
        }
        var bytes = File.ReadAllBytes(outPath);
        var scipy = Enumerable.Range(0, voxels.Count).Select(i => BitConverter.ToSingle(bytes, 4 * i)).ToArray();
        Directory.Delete(folder, recursive: true);

        var ours = T2Fitter.Fit(train, new T2FitOptions { Method = T2FitMethod.Nonlinear, ClipMax = 1000 });

        var differences = scipy.Zip(ours.T2, (s, o) => Math.Abs(s - o)).Order().ToArray();
        var median = differences[differences.Length / 2];
        output.WriteLine($"median |ours - SciPy| = {median:E3} ms, max = {differences[^1]:E3} ms");
        Assert.True(median < 0.05, $"median difference {median} ms");
    }
}
