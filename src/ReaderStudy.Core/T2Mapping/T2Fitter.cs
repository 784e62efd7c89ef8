using System.Diagnostics;

namespace ReaderStudy.Core.T2Mapping;

/// <summary>
/// Fits a mono-exponential decay to every voxel of an echo train, in parallel over blocks of voxels with
/// per-block scratch buffers (no allocation per voxel). Arithmetic is in double: the inputs are float.
/// </summary>
public static class T2Fitter
{
    private const int BlockSize = 4096;

    public static T2Maps Fit(EchoTrain train, T2FitOptions options)
    {
        var voxels = train.VoxelCount;
        if (options.Mask is { } mask && mask.Length != voxels)
        {
            throw new T2FitException($"{train.Name}: the mask has {mask.Length} voxels, the echo train {voxels}.");
        }
        var firstEcho = options.ExcludeFirstEcho ? 1 : 0;
        if (train.Echoes.Count - firstEcho < 2)
        {
            throw new T2FitException($"{train.Name}: {train.Echoes.Count} echoes leave fewer than two to fit once the first is excluded.");
        }
        if (options.ClipMin >= options.ClipMax)
        {
            throw new T2FitException($"clip range {options.ClipMin} to {options.ClipMax} ms is empty.");
        }

        var clock = Stopwatch.StartNew();
        var maps = (T2: new float[voxels], S0: new float[voxels], R2: new float[voxels], Reliable: new bool[voxels]);
        var fitted = 0;
        var unreliable = 0;
        var blocks = (voxels + BlockSize - 1) / BlockSize;
        Parallel.For(0, blocks, () => (Fitted: 0, Unreliable: 0), (block, _, counts) =>
        {
            Span<double> te = stackalloc double[train.Echoes.Count];
            Span<double> signal = stackalloc double[train.Echoes.Count];
            var end = Math.Min(voxels, (block + 1) * BlockSize);
            for (var v = block * BlockSize; v < end; v++)
            {
                if (options.Mask is { } m && !m[v])
                {
                    continue;
                }
                var fit = FitVoxel(train, options, v, firstEcho, te, signal);
                maps.T2[v] = (float)fit.T2;
                maps.S0[v] = (float)fit.S0;
                maps.R2[v] = (float)fit.R2;
                maps.Reliable[v] = fit.Reliable;
                counts.Fitted++;
                if (!fit.Reliable)
                {
                    counts.Unreliable++;
                }
            }
            return counts;
        }, counts =>
        {
            Interlocked.Add(ref fitted, counts.Fitted);
            Interlocked.Add(ref unreliable, counts.Unreliable);
        });
        return new T2Maps(maps.T2, maps.S0, maps.R2, maps.Reliable, fitted, unreliable, clock.Elapsed);
    }

    private static VoxelFit FitVoxel(EchoTrain train, T2FitOptions options, int voxel, int firstEcho, Span<double> te, Span<double> signal)
    {
        var n = 0;
        for (var e = firstEcho; e < train.Echoes.Count; e++)
        {
            double s = train.Echoes[e][voxel];
            if (double.IsNaN(s) || double.IsInfinity(s))
            {
                return VoxelFit.Unfitted;
            }
            if (s > 0 && s >= options.NoiseFloor)
            {
                te[n] = train.EchoTimesMs[e];
                signal[n] = s;
                n++;
            }
        }
        if (n < 2)
        {
            return VoxelFit.Unfitted;
        }
        var te2 = te[..n];
        var s2 = signal[..n];
        if (!ExponentialFit.LogLinear(te2, s2, out var s0, out var rate) || rate <= 0)
        {
            return VoxelFit.Unfitted;
        }
        var offset = 0.0;
        if (options.Method == T2FitMethod.Nonlinear)
        {
            ExponentialFit.LevenbergMarquardt(te2, s2, ref s0, ref rate, ref offset, options.FitNoiseOffset, options.MaxIterations);
            if (rate <= 0 || !double.IsFinite(rate) || !double.IsFinite(s0))
            {
                return VoxelFit.Unfitted;
            }
        }
        var t2 = 1 / rate;
        var r2 = ExponentialFit.RSquared(te2, s2, s0, rate, offset);
        if (!(r2 >= options.MinR2))
        {
            // Noise (air, or a voxel the model does not describe): no T2 worth showing.
            return new VoxelFit(0, s0, double.IsFinite(r2) ? r2 : 0, false);
        }
        var clipped = Math.Clamp(t2, options.ClipMin, options.ClipMax);
        return new VoxelFit(clipped, s0, r2, clipped == t2);
    }

    private readonly record struct VoxelFit(double T2, double S0, double R2, bool Reliable)
    {
        public static readonly VoxelFit Unfitted = new(0, 0, 0, false);
    }
}
