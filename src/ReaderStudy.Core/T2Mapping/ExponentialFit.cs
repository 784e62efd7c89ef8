namespace ReaderStudy.Core.T2Mapping;

/// <summary>Fits of S(TE) = S0·exp(−R·TE) (+ C) to one voxel's echoes; R = 1/T2.</summary>
public static class ExponentialFit
{
    /// <summary>
    /// Weighted least squares on ln S with weights S²: the variance of ln S is about σ²/S², so the
    /// weights undo the log's amplification of noise in the late, weak echoes.
    /// </summary>
    public static bool LogLinear(ReadOnlySpan<double> te, ReadOnlySpan<double> signal, out double s0, out double rate)
    {
        double w = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var i = 0; i < te.Length; i++)
        {
            var weight = signal[i] * signal[i];
            var y = Math.Log(signal[i]);
            w += weight;
            sx += weight * te[i];
            sy += weight * y;
            sxx += weight * te[i] * te[i];
            sxy += weight * te[i] * y;
        }
        var denominator = w * sxx - sx * sx;
        if (w <= 0 || denominator <= 0)
        {
            (s0, rate) = (0, 0);
            return false;
        }
        var slope = (w * sxy - sx * sy) / denominator;
        rate = -slope;
        s0 = Math.Exp((sy - slope * sx) / w);
        return double.IsFinite(s0) && double.IsFinite(rate);
    }

    /// <summary>Levenberg-Marquardt with Marquardt's diagonal scaling, from the given start; unweighted, as SciPy's curve_fit.</summary>
    public static void LevenbergMarquardt(ReadOnlySpan<double> te, ReadOnlySpan<double> signal, ref double s0, ref double rate, ref double offset, bool fitOffset, int maxIterations)
    {
        var lambda = 1e-3;
        var cost = Cost(te, signal, s0, rate, offset);
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            // Normal equations JᵀJ·δ = Jᵀr for (S0, R, C).
            double a00 = 0, a01 = 0, a02 = 0, a11 = 0, a12 = 0, a22 = 0, g0 = 0, g1 = 0, g2 = 0;
            for (var i = 0; i < te.Length; i++)
            {
                var decay = Math.Exp(-rate * te[i]);
                var residual = signal[i] - (s0 * decay + offset);
                var j0 = decay;
                var j1 = -s0 * te[i] * decay;
                a00 += j0 * j0; a01 += j0 * j1; a11 += j1 * j1;
                g0 += j0 * residual; g1 += j1 * residual;
                if (fitOffset)
                {
                    a02 += j0; a12 += j1; a22 += 1; g2 += residual;
                }
            }
            var improved = false;
            while (lambda < 1e12)
            {
                if (!Solve(a00 * (1 + lambda), a01, a02, a11 * (1 + lambda), a12, fitOffset ? a22 * (1 + lambda) : 1, g0, g1, fitOffset ? g2 : 0,
                        out var d0, out var d1, out var d2))
                {
                    lambda *= 10;
                    continue;
                }
                var (n0, n1, n2) = (s0 + d0, rate + d1, offset + d2);
                var trial = Cost(te, signal, n0, n1, n2);
                if (trial <= cost)
                {
                    var converged = cost - trial <= 1e-15 * cost + 1e-300 && Math.Abs(d1) <= 1e-12 * Math.Abs(rate);
                    (s0, rate, offset, cost) = (n0, n1, n2, trial);
                    lambda = Math.Max(lambda / 10, 1e-12);
                    improved = !converged;
                    break;
                }
                lambda *= 10;
            }
            if (!improved)
            {
                return;
            }
        }
    }

    public static double RSquared(ReadOnlySpan<double> te, ReadOnlySpan<double> signal, double s0, double rate, double offset)
    {
        double mean = 0;
        foreach (var s in signal)
        {
            mean += s;
        }
        mean /= signal.Length;
        double residual = 0, total = 0;
        for (var i = 0; i < te.Length; i++)
        {
            var r = signal[i] - (s0 * Math.Exp(-rate * te[i]) + offset);
            residual += r * r;
            total += (signal[i] - mean) * (signal[i] - mean);
        }
        return total == 0 ? 0 : 1 - residual / total;
    }

    private static double Cost(ReadOnlySpan<double> te, ReadOnlySpan<double> signal, double s0, double rate, double offset)
    {
        double sum = 0;
        for (var i = 0; i < te.Length; i++)
        {
            var r = signal[i] - (s0 * Math.Exp(-rate * te[i]) + offset);
            sum += r * r;
        }
        return sum;
    }

    // Symmetric 3x3 solve by Cramer's rule; with no offset the third row is the identity.
    private static bool Solve(double a00, double a01, double a02, double a11, double a12, double a22, double b0, double b1, double b2,
        out double x0, out double x1, out double x2)
    {
        var det = a00 * (a11 * a22 - a12 * a12) - a01 * (a01 * a22 - a12 * a02) + a02 * (a01 * a12 - a11 * a02);
        if (det == 0 || !double.IsFinite(det))
        {
            (x0, x1, x2) = (0, 0, 0);
            return false;
        }
        x0 = (b0 * (a11 * a22 - a12 * a12) - a01 * (b1 * a22 - a12 * b2) + a02 * (b1 * a12 - a11 * b2)) / det;
        x1 = (a00 * (b1 * a22 - a12 * b2) - b0 * (a01 * a22 - a12 * a02) + a02 * (a01 * b2 - b1 * a02)) / det;
        x2 = (a00 * (a11 * b2 - b1 * a12) - a01 * (a01 * b2 - b1 * a02) + b0 * (a01 * a12 - a11 * a02)) / det;
        return true;
    }
}
