namespace ReaderStudy.Core.T2Mapping;

/// <summary>The maps a fit writes into, voxel by voxel; <c>Fitted</c> tells a fitted voxel from background left alone.</summary>
internal sealed record T2Outputs(float[] T2, float[] S0, float[] R2, bool[] Reliable, bool[] Fitted)
{
    public T2Outputs(int voxels)
        : this(new float[voxels], new float[voxels], new float[voxels], new bool[voxels], new bool[voxels])
    {
    }
}
