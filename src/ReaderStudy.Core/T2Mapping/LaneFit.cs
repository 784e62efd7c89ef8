using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector512<double>;

namespace ReaderStudy.Core.T2Mapping;

/// <summary>
/// Fits S(TE) = S0·exp(−R·TE) (+ C), R = 1/T2, to a block's voxels eight at a time, one per lane of a
/// 512-bit vector: first the weighted log-linear fit of every voxel, then (if asked) Levenberg-Marquardt
/// from it, where lanes whose voxels have converged take the next voxels (a few at a time), so a slow voxel
/// holds up no other. Echoes left out of a voxel's fit (under the noise floor) carry weight 0, so every lane runs
/// the same code; a lane's arithmetic never mixes with another's, so a voxel fits the same beside any other.
/// Eight lanes, not four, even where the processor has only 256-bit registers: the JIT then runs each operation
/// as two independent halves, whose latencies overlap (the fit's chains of exp, divide and solve are long), so
/// it is faster there too (measured in docs/benchmarks.md).
/// </summary>
internal ref partial struct LaneFit
{
    public const int Lanes = 8;

    private readonly FittedEchoes echoes;
    private readonly T2FitOptions options;
    private readonly T2Outputs outputs;
    private readonly Span<V> signal;
    private readonly Span<V> weight;
    private readonly Span<V> decay;
    private readonly Span<V> trial;

    public LaneFit(FittedEchoes echoes, T2FitOptions options, T2Outputs outputs, Span<V> scratch)
    {
        this.echoes = echoes;
        this.options = options;
        this.outputs = outputs;
        var n = echoes.Count;
        signal = scratch[..n];
        weight = scratch.Slice(n, n);
        decay = scratch.Slice(2 * n, n);
        trial = scratch.Slice(3 * n, n);
    }

    public static int ScratchLength(FittedEchoes echoes) => 4 * echoes.Count;

    /// <summary>Fits the chosen voxels and writes their maps; returns how many are unreliable.</summary>
    public readonly int Fit(ReadOnlySpan<int> chosen, BlockStarts starts)
    {
        var unreliable = 0;
        var nonlinear = options.Method == T2FitMethod.Nonlinear && options.MaxIterations > 0;
        var queued = 0;
        for (var i = 0; i < chosen.Length; i += Lanes)
        {
            var count = Math.Min(Lanes, chosen.Length - i);
            var group = chosen.Slice(i, count);
            var fittable = Load(group);
            var (s0, rate) = LogLinear(ref fittable);
            echoes.Decays(rate, decay);
            var cost = Cost(decay, s0, V.Zero);
            var spread = Spread();
            if (!nonlinear)
            {
                unreliable += Write(group, fittable, s0, rate, RSquared(cost, spread));
                continue;
            }
            for (var lane = 0; lane < count; lane++)
            {
                if (fittable.AsInt64()[lane] != 0)
                {
                    starts.Add(queued++, group[lane], s0[lane], rate[lane], cost[lane], spread[lane], decay, lane);
                }
                else
                {
                    unreliable += Write(group[lane], false, 0, 0, 0);
                }
            }
        }
        return nonlinear ? unreliable + LevenbergMarquardt(starts, queued) : unreliable;
    }

    /// <summary>Writes a group's maps by the same rules as a single voxel's, without a branch per voxel; returns how many are unreliable.</summary>
    private readonly int Write(ReadOnlySpan<int> voxels, V fittable, V s0, V rate, V r2)
    {
        var fitted = fittable & Positive(rate) & Finite(rate) & Finite(s0);
        var explained = fitted & Vector512.GreaterThanOrEqual(r2, Vector512.Create(options.MinR2));
        var exact = V.One / rate;
        var clipped = Vector512.Min(Vector512.Max(exact, Vector512.Create(options.ClipMin)), Vector512.Create(options.ClipMax));
        var t2 = Vector512.ConditionalSelect(explained, clipped, V.Zero);
        var shownS0 = Vector512.ConditionalSelect(fitted, s0, V.Zero);
        var shownR2 = Vector512.ConditionalSelect(fitted & Finite(r2), r2, V.Zero);
        var reliable = (explained & Vector512.Equals(clipped, exact)).ExtractMostSignificantBits();
        var count = voxels.Length;
        if (count == Lanes && voxels[Lanes - 1] - voxels[0] == Lanes - 1)
        {
            var v = voxels[0];
            Vector256.Narrow(t2.GetLower(), t2.GetUpper()).StoreUnsafe(ref outputs.T2[v]);
            Vector256.Narrow(shownS0.GetLower(), shownS0.GetUpper()).StoreUnsafe(ref outputs.S0[v]);
            Vector256.Narrow(shownR2.GetLower(), shownR2.GetUpper()).StoreUnsafe(ref outputs.R2[v]);
        }
        else
        {
            for (var lane = 0; lane < count; lane++)
            {
                (outputs.T2[voxels[lane]], outputs.S0[voxels[lane]], outputs.R2[voxels[lane]]) = ((float)t2[lane], (float)shownS0[lane], (float)shownR2[lane]);
            }
        }
        for (var lane = 0; lane < count; lane++)
        {
            outputs.Reliable[voxels[lane]] = ((reliable >> lane) & 1) != 0;
        }
        return count - BitOperations.PopCount(reliable & ((1u << count) - 1));
    }

    /// <summary>Writes one voxel's maps by the group's rules (one lane used); returns 1 when it is unreliable.</summary>
    private readonly int Write(int voxel, bool fitted, double s0, double rate, double r2) =>
        Write(new ReadOnlySpan<int>(in voxel), fitted ? V.AllBitsSet : V.Zero, Vector512.Create(s0), Vector512.Create(rate), Vector512.Create(r2));

    /// <summary>Gathers a group's echoes; a lane is fittable when it holds a voxel, no echo is NaN or infinite, and two echoes clear the noise floor.</summary>
    private readonly V Load(ReadOnlySpan<int> voxels)
    {
        var count = voxels.Length;
        var fittable = Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)count)).AsDouble();
        // Lanes past the group's end read its last voxel again (and are masked off), so every read is in bounds.
        Span<int> at = stackalloc int[Lanes];
        for (var lane = 0; lane < Lanes; lane++)
        {
            at[lane] = voxels[Math.Min(lane, count - 1)];
        }
        var contiguous = count == Lanes && at[Lanes - 1] - at[0] == Lanes - 1;
        var floor = Vector512.Create(options.NoiseFloor);
        var used = V.Zero;
        for (var k = 0; k < echoes.Count; k++)
        {
            var volume = echoes.Volumes[k];
            V s;
            if (contiguous)
            {
                var eight = Vector256.LoadUnsafe(ref volume[at[0]]);
                s = Vector512.Create(Vector256.WidenLower(eight), Vector256.WidenUpper(eight));
            }
            else
            {
                s = Vector512.Create(volume[at[0]], volume[at[1]], volume[at[2]], volume[at[3]], volume[at[4]], volume[at[5]], volume[at[6]], volume[at[7]]);
            }
            fittable &= Finite(s);
            signal[k] = s;
            weight[k] = Counted(s, floor);
            used += weight[k];
        }
        fittable &= Vector512.GreaterThanOrEqual(used, Vector512.Create(2.0));
        for (var k = 0; k < echoes.Count; k++)
        {
            // Idle and broken lanes compute on zeros, so no NaN spreads into a sum.
            signal[k] = Vector512.ConditionalSelect(fittable, signal[k], V.Zero);
            weight[k] &= fittable;
        }
        return fittable;
    }

    /// <summary>1 where an echo counts in the fit (positive and not under the noise floor), else 0.</summary>
    private static V Counted(V s, V floor) => Vector512.GreaterThan(s, V.Zero) & Vector512.GreaterThanOrEqual(s, floor) & V.One;

    /// <summary>Weighted least squares on ln S, weights S² (the variance of ln S is about σ²/S², so the weights undo the log's amplification of noise in late echoes).</summary>
    private readonly (V S0, V Rate) LogLinear(ref V fittable)
    {
        V w = V.Zero, sx = V.Zero, sy = V.Zero, sxx = V.Zero, sxy = V.Zero;
        var smallest = Vector512.Create(1e-300);
        for (var k = 0; k < echoes.Count; k++)
        {
            var te = Vector512.Create(echoes.EchoTimesMs[k]);
            var s = signal[k];
            var wk = weight[k] * s * s;
            var y = Vector512.Log(Vector512.Max(s, smallest));
            w += wk;
            sx += wk * te;
            sy += wk * y;
            sxx += wk * te * te;
            sxy += wk * te * y;
        }
        var denominator = w * sxx - sx * sx;
        var slope = (w * sxy - sx * sy) / denominator;
        var rate = -slope;
        var s0 = Vector512.Exp((sy - slope * sx) / w);
        fittable &= Positive(w) & Positive(denominator) & Positive(rate) & Finite(s0) & Finite(rate);
        return (Vector512.ConditionalSelect(fittable, s0, V.Zero), Vector512.ConditionalSelect(fittable, rate, V.Zero));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly V Cost(ReadOnlySpan<V> decays, V s0, V offset)
    {
        var sum = V.Zero;
        for (var k = 0; k < echoes.Count; k++)
        {
            var r = weight[k] * (signal[k] - (s0 * decays[k] + offset));
            sum += r * r;
        }
        return sum;
    }

    /// <summary>The spread of the signal about its mean over the echoes fitted (the total sum of squares).</summary>
    private readonly V Spread()
    {
        V n = V.Zero, total = V.Zero;
        for (var k = 0; k < echoes.Count; k++)
        {
            n += weight[k];
            total += weight[k] * signal[k];
        }
        var mean = total / n;
        var spread = V.Zero;
        for (var k = 0; k < echoes.Count; k++)
        {
            var d = weight[k] * (signal[k] - mean);
            spread += d * d;
        }
        return spread;
    }

    /// <summary>Share of the signal's variance (over the echoes fitted) that the fit explains.</summary>
    private static V RSquared(V cost, V spread) =>
        Vector512.ConditionalSelect(Vector512.Equals(spread, V.Zero), V.Zero, V.One - cost / spread);

    private static double RSquared(double cost, double spread) => spread == 0 ? 0 : 1 - cost / spread;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Finite(V x) => Vector512.LessThan(Vector512.Abs(x), Vector512.Create(double.PositiveInfinity));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Positive(V x) => Vector512.GreaterThan(x, V.Zero);
}
