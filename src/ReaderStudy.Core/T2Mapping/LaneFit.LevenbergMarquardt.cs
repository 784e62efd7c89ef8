using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector512<double>;

namespace ReaderStudy.Core.T2Mapping;

/// <summary>Levenberg-Marquardt with Marquardt's diagonal scaling, unweighted as SciPy's curve_fit, one voxel per lane.</summary>
internal ref partial struct LaneFit
{
    // Relative step below which a voxel has converged (proposed, or just taken: the next would be smaller
    // still): ten times finer than SciPy's default xtol, so the two agree far inside 1e-3 ms.
    private const double StepTolerance = 1e-9;
    private const double LargestDamping = 1e12;
    // Refilling costs about a step, so idle lanes wait until this many are idle (or all are).
    private const int RefillWhenIdle = 2;

    // Where each lane's state sits in memory while lanes are refilled (in registers while they step).
    private const int ActiveAt = 0, FreshAt = 1, S0At = 2, RateAt = 3, OffsetAt = 4, LambdaAt = 5, CostAt = 6, StepsAt = 7, StateLength = 8;

    private readonly int LevenbergMarquardt(BlockStarts starts, int count)
    {
        Span<int> laneEntry = stackalloc int[Lanes];
        Span<V> state = stackalloc V[StateLength];
        var next = 0;
        var unreliable = 0;
        var tolerance = Vector512.Create(StepTolerance);
        var maxSteps = Vector512.Create((double)options.MaxIterations);
        var fitOffset = options.FitNoiseOffset;
        Refill(state, starts, count, ref next, laneEntry);
        var (active, fresh, s0, rate, offset, lambda, cost, steps) = (state[ActiveAt], state[FreshAt], state[S0At], state[RateAt], state[OffsetAt], state[LambdaAt], state[CostAt], state[StepsAt]);
        V a00 = V.Zero, a01 = V.Zero, a02 = V.Zero, a11 = V.Zero, a12 = V.Zero, a22 = V.One, g0 = V.Zero, g1 = V.Zero, g2 = V.Zero;
        while (active != V.Zero)
        {
            if (fresh != V.Zero)
            {
                // JᵀJ and Jᵀr for (S0, R, C) at the lanes' new points, with the closed-form Jacobian of S0·exp(−R·TE) + C.
                V n00 = V.Zero, n01 = V.Zero, n02 = V.Zero, n11 = V.Zero, n12 = V.Zero, n22 = fitOffset ? V.Zero : V.One, h0 = V.Zero, h1 = V.Zero, h2 = V.Zero;
                for (var k = 0; k < echoes.Count; k++)
                {
                    var w = weight[k];
                    var j0 = w * decay[k];
                    var j1 = -(s0 * echoes.EchoTimesMs[k]) * j0;
                    var r = w * (signal[k] - (s0 * decay[k] + offset));
                    n00 += j0 * j0;
                    n01 += j0 * j1;
                    n11 += j1 * j1;
                    h0 += j0 * r;
                    h1 += j1 * r;
                    if (fitOffset)
                    {
                        n02 += j0;
                        n12 += j1;
                        n22 += w;
                        h2 += r;
                    }
                }
                a00 = Vector512.ConditionalSelect(fresh, n00, a00);
                a01 = Vector512.ConditionalSelect(fresh, n01, a01);
                a02 = Vector512.ConditionalSelect(fresh, n02, a02);
                a11 = Vector512.ConditionalSelect(fresh, n11, a11);
                a12 = Vector512.ConditionalSelect(fresh, n12, a12);
                a22 = Vector512.ConditionalSelect(fresh, n22, a22);
                g0 = Vector512.ConditionalSelect(fresh, h0, g0);
                g1 = Vector512.ConditionalSelect(fresh, h1, g1);
                g2 = Vector512.ConditionalSelect(fresh, h2, g2);
            }
            var scale = V.One + lambda;
            V d0, d1, d2;
            var solved = fitOffset
                ? Solve(a00 * scale, a01, a02, a11 * scale, a12, a22 * scale, g0, g1, g2, out d0, out d1, out d2)
                : Solve(a00 * scale, a01, a11 * scale, g0, g1, out d0, out d1, out d2);
            // A step this small changes nothing a map shows: the voxel has converged where it stands.
            var converged = active & solved & Small(d0, d1, d2, s0, rate, tolerance);
            var attempt = active & solved & ~converged;
            var better = V.Zero;
            if (attempt != V.Zero)
            {
                var (n0, n1, n2) = (s0 + d0, rate + d1, offset + d2);
                echoes.Decays(n1, trial);
                var trialCost = Cost(trial, n0, n2);
                better = attempt & Vector512.LessThanOrEqual(trialCost, cost);
                if (better != V.Zero)
                {
                    s0 = Vector512.ConditionalSelect(better, n0, s0);
                    rate = Vector512.ConditionalSelect(better, n1, rate);
                    offset = Vector512.ConditionalSelect(better, n2, offset);
                    cost = Vector512.ConditionalSelect(better, trialCost, cost);
                    lambda = Vector512.ConditionalSelect(better, Vector512.Max(lambda * 0.1, Vector512.Create(1e-12)), lambda);
                    steps += better & V.One;
                    for (var k = 0; k < echoes.Count; k++)
                    {
                        decay[k] = Vector512.ConditionalSelect(better, trial[k], decay[k]);
                    }
                }
            }
            fresh = better;
            var rejected = active & ~converged & ~better;
            lambda = Vector512.ConditionalSelect(rejected, lambda * 10, lambda);
            // Done: the step just taken was already negligible, no damping finds a lower cost (the voxel
            // stands at its minimum), or the step budget is spent.
            var finished = converged
                | (better & Small(d0, d1, d2, s0 - d0, rate - d1, tolerance))
                | (rejected & Vector512.GreaterThanOrEqual(lambda, Vector512.Create(LargestDamping)))
                | (better & Vector512.GreaterThanOrEqual(steps, maxSteps));
            if (finished == V.Zero)
            {
                continue;
            }
            for (var lane = 0; lane < Lanes; lane++)
            {
                if (finished.AsInt64()[lane] != 0)
                {
                    var entry = laneEntry[lane];
                    unreliable += Write(starts.Voxel[entry], true, s0[lane], rate[lane], RSquared(cost[lane], starts.Spread[entry]));
                }
            }
            active &= ~finished;
            var idle = Lanes - BitOperations.PopCount(active.ExtractMostSignificantBits());
            if (next < count && (idle >= RefillWhenIdle || active == V.Zero))
            {
                (state[ActiveAt], state[FreshAt], state[S0At], state[RateAt], state[OffsetAt], state[LambdaAt], state[CostAt], state[StepsAt]) = (active, fresh, s0, rate, offset, lambda, cost, steps);
                Refill(state, starts, count, ref next, laneEntry);
                (active, fresh, s0, rate, offset, lambda, cost, steps) = (state[ActiveAt], state[FreshAt], state[S0At], state[RateAt], state[OffsetAt], state[LambdaAt], state[CostAt], state[StepsAt]);
            }
        }
        return unreliable;
    }

    /// <summary>
    /// Puts the next queued voxels into the idle lanes, each at its log-linear fit, written lane by lane into
    /// the vectors' memory (cheaper than rebuilding each vector).
    /// </summary>
    private readonly void Refill(Span<V> state, BlockStarts starts, int count, ref int next, Span<int> laneEntry)
    {
        var lanes = MemoryMarshal.Cast<V, double>(state);
        var signals = MemoryMarshal.Cast<V, double>(signal);
        var weights = MemoryMarshal.Cast<V, double>(weight);
        var decays = MemoryMarshal.Cast<V, double>(decay);
        var on = BitConverter.Int64BitsToDouble(-1);
        for (var lane = 0; lane < Lanes && next < count; lane++)
        {
            if (BitConverter.DoubleToInt64Bits(lanes[ActiveAt * Lanes + lane]) != 0)
            {
                continue;
            }
            var voxel = starts.Voxel[next];
            laneEntry[lane] = next;
            for (var k = 0; k < echoes.Count; k++)
            {
                double s = echoes.Volumes[k][voxel];
                signals[k * Lanes + lane] = s;
                weights[k * Lanes + lane] = s > 0 && s >= options.NoiseFloor ? 1.0 : 0.0;
                decays[k * Lanes + lane] = starts.Decay[next * starts.Echoes + k];
            }
            (lanes[ActiveAt * Lanes + lane], lanes[FreshAt * Lanes + lane]) = (on, on);
            (lanes[S0At * Lanes + lane], lanes[RateAt * Lanes + lane], lanes[CostAt * Lanes + lane]) = (starts.S0[next], starts.Rate[next], starts.Cost[next]);
            (lanes[OffsetAt * Lanes + lane], lanes[LambdaAt * Lanes + lane], lanes[StepsAt * Lanes + lane]) = (0, 1e-3, 0);
            next++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Small(V d0, V d1, V d2, V s0, V rate, V tolerance) =>
        Vector512.LessThanOrEqual(Vector512.Abs(d1), tolerance * Vector512.Abs(rate))
        & Vector512.LessThanOrEqual(Vector512.Abs(d0), tolerance * Vector512.Abs(s0))
        & Vector512.LessThanOrEqual(Vector512.Abs(d2), tolerance * Vector512.Abs(s0));

    // Symmetric 3x3 solve by Cramer's rule, lane by lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Solve(V a00, V a01, V a02, V a11, V a12, V a22, V b0, V b1, V b2, out V x0, out V x1, out V x2)
    {
        var det = a00 * (a11 * a22 - a12 * a12) - a01 * (a01 * a22 - a12 * a02) + a02 * (a01 * a12 - a11 * a02);
        x0 = (b0 * (a11 * a22 - a12 * a12) - a01 * (b1 * a22 - a12 * b2) + a02 * (b1 * a12 - a11 * b2)) / det;
        x1 = (a00 * (b1 * a22 - a12 * b2) - b0 * (a01 * a22 - a12 * a02) + a02 * (a01 * b2 - b1 * a02)) / det;
        x2 = (a00 * (a11 * b2 - b1 * a12) - a01 * (a01 * b2 - b1 * a02) + b0 * (a01 * a12 - a11 * a02)) / det;
        return ~Vector512.Equals(det, V.Zero) & Finite(det) & Finite(x0) & Finite(x1) & Finite(x2);
    }

    // Without the offset the third row is the identity and the third entries of the matrix and the gradient are 0: the 3x3
    // rule above then reduces, term for term, to this one (its extra terms add exact zeros), so the steps are the same to
    // the bit, for about a third of the arithmetic and one division fewer per step.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Solve(V a00, V a01, V a11, V b0, V b1, out V x0, out V x1, out V x2)
    {
        var det = a00 * a11 - a01 * a01;
        x0 = (b0 * a11 - a01 * b1) / det;
        x1 = (a00 * b1 - b0 * a01) / det;
        x2 = V.Zero;
        return ~Vector512.Equals(det, V.Zero) & Finite(det) & Finite(x0) & Finite(x1);
    }
}
