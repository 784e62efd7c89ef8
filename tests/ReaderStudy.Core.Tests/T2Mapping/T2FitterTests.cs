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
        // The all-zero voxel is background (not fitted); the other four were fitted and found wanting.
        Assert.Equal((5, 4, 1), (maps.VoxelsFitted, maps.Unreliable, maps.Background));
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
    public void Nonlinear_AgreesWithSciPyCurveFit_Within0Point001Ms()
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
        Assert.True(differences[^1] < 1e-3, $"largest difference {differences[^1]} ms (median {median} ms)");
    }

    [Fact]
    public void Nonlinear_WithANoiseOffset_RecoversT2AboveAConstantFloor_WhichTheTwoParameterFitDoesNot()
    {
        // S = S0·exp(−TE/T2) + C with C a tenth of S0: the three-parameter fit (its own 3x3 step) recovers T2; the
        // two-parameter fit, blind to C, reads the floor as a slower decay.
        var truth = Enumerable.Range(0, 19).Select(i => 15 + i * 5.0).ToArray(); // 15 to 105 ms, part-filling the last lane group
        var train = Train([.. truth.Select(t2 => OaiEchoTimes.Select(te => 1000 * Math.Exp(-te / t2) + 100).ToArray())]);

        var withOffset = T2Fitter.Fit(train, new T2FitOptions { Method = T2FitMethod.Nonlinear, FitNoiseOffset = true, ClipMax = 1000 });
        var without = T2Fitter.Fit(train, new T2FitOptions { Method = T2FitMethod.Nonlinear, ClipMax = 1000 });

        for (var v = 0; v < truth.Length; v++)
        {
            Assert.True(Math.Abs(withOffset.T2[v] - truth[v]) <= 0.001 * truth[v], $"T2 {truth[v]} ms fitted with the offset as {withOffset.T2[v]} ms");
            Assert.True(without.T2[v] > truth[v] * 1.05, $"T2 {truth[v]} ms fitted without the offset as {without.T2[v]} ms");
        }
    }

    [Theory]
    [InlineData(T2FitMethod.LogLinear)]
    [InlineData(T2FitMethod.Nonlinear)]
    public void Fit_UnevenlySpacedEchoes_RecoverT2(T2FitMethod method)
    {
        // Uneven echo times take the one-exponential-per-echo path; seven voxels leave a part-filled lane group.
        double[] echoTimes = [8, 17, 29, 41, 60];
        double[] truth = [12, 25, 33, 47, 58, 80, 95];
        var train = Train([.. truth.Select(t2 => echoTimes.Select(te => 900 * Math.Exp(-te / t2)).ToArray())], echoTimes);

        var maps = T2Fitter.Fit(train, new T2FitOptions { Method = method });

        Assert.All(truth.Select((t2, v) => (t2, fitted: maps.T2[v])), p => Assert.Equal(p.t2, p.fitted, 0.01));
        Assert.Equal((7, 0), (maps.VoxelsFitted, maps.Unreliable));
    }

    [Fact]
    public void Fit_Lanes_AVoxelFitsTheSameWhateverItsNeighbours()
    {
        // Eight voxels share one vector; each must stop on its own, and a lane freed takes the next voxel. A clean
        // voxel beside noise, broken voxels and slow-converging ones, in the first vector and in a lane refilled
        // after others finished, gives the same T2 as alone, to the last bit.
        double[] clean = [.. OaiEchoTimes.Select(te => 640 * Math.Exp(-te / 37.5) + 3 * Math.Sin(te))];
        double[] noise = [7, 2, 9, 4, 8, 1, 6];
        double[] broken = [500, double.NaN, 300, 200, 150, 100, 80];
        double[] slow = [.. OaiEchoTimes.Select(te => 50 * Math.Exp(-te / 400) + 40)];
        var options = new T2FitOptions { Method = T2FitMethod.Nonlinear, BackgroundFraction = 0, MinR2 = 0 };

        var alone = T2Fitter.Fit(Train([clean]), options);
        var together = T2Fitter.Fit(Train([noise, broken, clean, slow, noise, slow, broken, noise, slow, noise, clean, slow]), options);

        Assert.All(new[] { 2, 10 }, v =>
        {
            Assert.Equal(alone.T2[0], together.T2[v]);
            Assert.Equal(alone.S0[0], together.S0[v]);
            Assert.Equal(alone.R2[0], together.R2[v]);
        });
        Assert.InRange(together.T2[2], 37, 38);
    }

    [Fact]
    public void Fit_NoiseFloor_LeavesOutOnlyTheEchoesBelowIt()
    {
        // Late echoes lost in noise (1) drag the fit toward a long T2; with a floor of 5 only the echoes above it count.
        double[] voxel = [.. OaiEchoTimes.Select((te, i) => i < 4 ? 600 * Math.Exp(-te / 20) : 1)];
        var train = Train([voxel, voxel, voxel, voxel, voxel]);

        var floored = T2Fitter.Fit(train, new T2FitOptions { Method = T2FitMethod.Nonlinear, NoiseFloor = 5 });
        var unfloored = T2Fitter.Fit(train, new T2FitOptions { Method = T2FitMethod.Nonlinear, ClipMax = 1000, MinR2 = 0 });

        Assert.All(floored.T2, t2 => Assert.Equal(20, t2, 0.001));
        Assert.All(unfloored.T2, t2 => Assert.True(Math.Abs(t2 - 20) > 0.5, $"without a floor the fit gave {t2} ms"));
    }

    [Fact]
    public void Fit_PhantomBackgroundSkip_LeavesEveryTissueVoxelAsTheFullFitHasIt()
    {
        var subject = KneePhantom.Generate(0, new KneePhantomOptions { Size = 192, Slices = 10, Seed = 5 });
        var train = new EchoTrain("phantom MESE", subject.Options.EchoTimesMs, subject.Echoes);

        var full = T2Fitter.Fit(train, new T2FitOptions { Method = T2FitMethod.Nonlinear, BackgroundFraction = 0 });
        var skipped = T2Fitter.Fit(train, new T2FitOptions { Method = T2FitMethod.Nonlinear });

        var tissue = Enumerable.Range(0, subject.VoxelCount).Where(v => subject.Labels[v] != Tissue.Background).ToArray();
        Assert.All(tissue, v => Assert.Equal(full.T2[v], skipped.T2[v]));
        Assert.True(skipped.Background > 0);
        // What the skip removes is air: noise that sometimes passes the R² test by chance.
        var lost = Enumerable.Range(0, subject.VoxelCount).Where(v => full.Reliable[v] && !skipped.Reliable[v]).ToArray();
        Assert.All(lost, v => Assert.Equal(Tissue.Background, subject.Labels[v]));
    }

    [Fact]
    public void Fit_Background_IsSkippedAndCountedWithoutAMask_AndFittedWithOne()
    {
        var tissue = OaiEchoTimes.Select(te => 800 * Math.Exp(-te / 40)).ToArray();
        var air = OaiEchoTimes.Select(te => 12 * Math.Exp(-te / 30)).ToArray(); // 1.5 % of tissue: a clean decay, but air
        var train = Train([tissue, air, tissue, air, air]);

        var skipped = T2Fitter.Fit(train, new T2FitOptions());
        var everything = T2Fitter.Fit(train, new T2FitOptions { BackgroundFraction = 0 });
        var masked = T2Fitter.Fit(train, new T2FitOptions { Mask = [false, true, false, false, false] });

        Assert.Equal((2, 3), (skipped.VoxelsFitted, skipped.Background));
        Assert.Equal([40f, 0, 40f, 0, 0], skipped.T2.Select(t => MathF.Round(t, 3)));
        Assert.Equal([true, false, true, false, false], skipped.Reliable);
        Assert.Equal((5, 0), (everything.VoxelsFitted, everything.Background));
        Assert.Equal(30, everything.T2[1], 0.001);
        Assert.Equal((1, 0), (masked.VoxelsFitted, masked.Background));
        Assert.Equal(30, masked.T2[1], 0.001);
    }
}
