namespace ReaderStudy.Core.T2Mapping;

/// <summary>The maps a fit writes into, voxel by voxel.</summary>
internal sealed record T2Outputs(float[] T2, float[] S0, float[] R2, bool[] Reliable)
{
    public T2Outputs(int voxels)
        : this(new float[voxels], new float[voxels], new float[voxels], new bool[voxels])
    {
    }
}
