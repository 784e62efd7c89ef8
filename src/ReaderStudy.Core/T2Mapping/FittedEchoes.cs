using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ReaderStudy.Core.T2Mapping;

/// <summary>
/// The echoes a fit uses (the train, less the first echo when it is excluded), and exp(−R·TE) at all of
/// them for eight voxels at once.
/// </summary>
internal sealed class FittedEchoes
{
    public FittedEchoes(EchoTrain train, int firstEcho)
    {
        Volumes = [.. train.Echoes.Skip(firstEcho)];
        EchoTimesMs = [.. train.EchoTimesMs.Skip(firstEcho)];
        Spacing = EchoTimesMs[1] - EchoTimesMs[0];
        // MESE echoes are almost always evenly spaced: then exp(−R·TEₖ) = exp(−R·TE₀)·qᵏ with q = exp(−R·ΔTE),
        // two exponentials per evaluation instead of one per echo; the product's rounding (k ulp) is far
        // below the fit's tolerance.
        EvenlySpaced = EchoTimesMs.Select((te, k) => Math.Abs(te - (EchoTimesMs[0] + k * Spacing))).Max() <= 1e-9 * EchoTimesMs[^1];
    }

    public float[][] Volumes { get; }
    public double[] EchoTimesMs { get; }
    public int Count => EchoTimesMs.Length;
    private double Spacing { get; }
    private bool EvenlySpaced { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Decays(Vector512<double> rate, Span<Vector512<double>> decay)
    {
        if (EvenlySpaced)
        {
            var step = Vector512.Exp(-rate * Spacing);
            var d = Vector512.Exp(-rate * EchoTimesMs[0]);
            for (var k = 0; k < decay.Length; k++)
            {
                decay[k] = d;
                d *= step;
            }
            return;
        }
        for (var k = 0; k < decay.Length; k++)
        {
            decay[k] = Vector512.Exp(-rate * EchoTimesMs[k]);
        }
    }
}
