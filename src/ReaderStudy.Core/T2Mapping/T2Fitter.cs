using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace ReaderStudy.Core.T2Mapping;

/// <summary>
/// Fits a mono-exponential decay to every voxel of an echo train: blocks of voxels in parallel, and within a
/// block the voxels to fit (inside the mask, above the background) eight at a time in vector lanes
/// (<see cref="LaneFit"/>). Arithmetic is in double (the inputs are float); nothing is allocated per voxel.
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
        var echoes = new FittedEchoes(train, firstEcho);
        var background = options.Mask is null ? BackgroundLevel.Of(echoes.Volumes[0], options.BackgroundFraction) : float.NegativeInfinity;
        var outputs = new T2Outputs(voxels);
        var totals = new int[3];
        var blocks = (voxels + BlockSize - 1) / BlockSize;
        Parallel.For(0, blocks, () => new Counts(echoes.Count), (block, _, counts) =>
        {
            var chosen = counts.Chosen.AsSpan();
            Span<Vector512<double>> scratch = stackalloc Vector512<double>[LaneFit.ScratchLength(echoes)];
            var start = block * BlockSize;
            var end = Math.Min(voxels, start + BlockSize);
            var n = 0;
            for (var v = start; v < end; v++)
            {
                if (options.Mask is { } m && !m[v])
                {
                    continue;
                }
                // NaN is not below the background level, so a broken voxel is fitted and found unfittable.
                if (echoes.Volumes[0][v] < background)
                {
                    counts.Background++;
                    continue;
                }
                chosen[n++] = v;
                outputs.Fitted[v] = true;
            }
            counts.Unreliable += new LaneFit(echoes, options, outputs, scratch).Fit(chosen[..n], counts.Starts);
            counts.Fitted += n;
            return counts;
        }, counts =>
        {
            Interlocked.Add(ref totals[0], counts.Fitted);
            Interlocked.Add(ref totals[1], counts.Unreliable);
            Interlocked.Add(ref totals[2], counts.Background);
        });
        return new T2Maps(outputs.T2, outputs.S0, outputs.R2, outputs.Reliable, totals[0], totals[1], totals[2], clock.Elapsed) { Fitted = outputs.Fitted };
    }

    /// <summary>A worker's tallies, and the buffers it reuses block after block.</summary>
    private sealed class Counts(int echoes)
    {
        public readonly int[] Chosen = new int[BlockSize];
        public readonly BlockStarts Starts = new(BlockSize, echoes);
        public int Fitted;
        public int Unreliable;
        public int Background;
    }
}
