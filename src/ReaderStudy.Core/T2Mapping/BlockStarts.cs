using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ReaderStudy.Core.T2Mapping;

/// <summary>
/// A block's voxels that Levenberg-Marquardt refines, each with the log-linear fit it starts from: S0, R, the
/// cost and the decays there, and the spread of its signal (for R²). Reused block after block.
/// </summary>
internal sealed class BlockStarts(int capacity, int echoes)
{
    public int Echoes { get; } = echoes;
    public int[] Voxel { get; } = new int[capacity];
    public double[] S0 { get; } = new double[capacity];
    public double[] Rate { get; } = new double[capacity];
    public double[] Cost { get; } = new double[capacity];
    public double[] Spread { get; } = new double[capacity];
    /// <summary>exp(−R·TE) at each echo, voxel after voxel.</summary>
    public double[] Decay { get; } = new double[capacity * echoes];

    public void Add(int index, int voxel, double s0, double rate, double cost, double spread, ReadOnlySpan<Vector512<double>> decay, int lane)
    {
        (Voxel[index], S0[index], Rate[index], Cost[index], Spread[index]) = (voxel, s0, rate, cost, spread);
        var decays = MemoryMarshal.Cast<Vector512<double>, double>(decay);
        for (var k = 0; k < Echoes; k++)
        {
            Decay[index * Echoes + k] = decays[k * Vector512<double>.Count + lane];
        }
    }
}
