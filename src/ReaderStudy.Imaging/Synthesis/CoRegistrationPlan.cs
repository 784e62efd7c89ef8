using ReaderStudy.Core.Synthesis;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Synthesis;

/// <summary>
/// The map is made on the target grid (the first channel's, or a given series'); every channel acquired on another grid
/// (a different matrix, field of view or slice stack) is co-registered onto it by DICOM geometry. The plan is checked
/// from the headers before any pixel is read (same frame of reference, enough overlap); each target slice is then
/// resampled only when the model comes to it, so resampling overlaps inference instead of preceding it.
/// </summary>
internal sealed class CoRegistrationPlan
{
    /// <summary>Below this overlap an input is taken to be the wrong series (another knee, another station), not resampled.</summary>
    private const double MinimumCoverage = 0.5;

    // Inputs that share a grid (one session's series often do) are resampled together, each voxel's place found once.
    private sealed class Group(int[] channels, GridMapping mapping, float[][] outputs)
    {
        public int[] Channels { get; } = channels;
        public GridMapping Mapping { get; } = mapping;
        public float[][] Outputs { get; } = outputs;
        public int Resampled { get; set; }
    }

    private readonly List<Group> groups;
    private readonly HashSet<int> resampled;

    private CoRegistrationPlan(List<Group> groups, IReadOnlyList<string> coRegistered) =>
        (this.groups, resampled, CoRegistered) = (groups, [.. groups.SelectMany(g => g.Channels)], coRegistered);

    /// <summary>The channels (by the manifest's series names) resampled onto the target grid.</summary>
    public IReadOnlyList<string> CoRegistered { get; }

    /// <param name="inputs">Each channel's grid and frame of reference, in the manifest's order.</param>
    public static CoRegistrationPlan For(IReadOnlyList<(VolumeGeometry Geometry, string Frame)> inputs, VolumeGeometry target, string frame, string targetName,
        GeneratorManifest manifest)
    {
        var elsewhere = new List<int>();
        for (var i = 0; i < inputs.Count; i++)
        {
            if (SameGrid(target, inputs[i].Geometry))
            {
                continue;
            }
            var otherFrame = inputs[i].Frame;
            if (frame.Length == 0 || frame != otherFrame)
            {
                throw new GeneratorException($"Input '{manifest.Channels[i].Series}' is on another grid than '{targetName}' and in another frame of reference " +
                    $"({Describe(otherFrame)} vs {Describe(frame)}), so it cannot be co-registered by DICOM geometry; give series from one session.");
            }
            elsewhere.Add(i);
        }
        var groups = new List<Group>();
        while (elsewhere.Count > 0)
        {
            var grid = inputs[elsewhere[0]].Geometry;
            var together = elsewhere.Where(i => SameGrid(grid, inputs[i].Geometry)).ToArray();
            var mapping = new GridMapping(grid, target);
            var coverage = mapping.Coverage();
            if (coverage < MinimumCoverage)
            {
                throw new GeneratorException($"Input '{manifest.Channels[together[0]].Series}' ({Describe(grid)}) covers only {coverage:P0} of '{targetName}' ({Describe(target)}); " +
                    "the series hardly overlap, so they are not of one knee and one session.");
            }
            groups.Add(new Group(together, mapping, [.. together.Select(_ => new float[target.Columns * target.Rows * target.Slices])]));
            elsewhere.RemoveAll(together.Contains);
        }
        return new CoRegistrationPlan(groups, [.. groups.SelectMany(g => g.Channels).Order().Select(i => manifest.Channels[i].Series)]);
    }

    /// <summary>What the model reads for each channel: the input itself where it lies on the target grid, else its resampled values.</summary>
    public IReadOnlyList<float[]> ModelInputs(IReadOnlyList<float[]> inputs)
    {
        var channels = inputs.ToArray();
        foreach (var group in groups)
        {
            for (var k = 0; k < group.Channels.Length; k++)
            {
                channels[group.Channels[k]] = group.Outputs[k];
            }
        }
        return channels;
    }

    /// <summary>
    /// Makes the first <paramref name="targetSlices"/> target slices of every channel ready for the model: waits (through
    /// <paramref name="waitFor"/>: channel, slices from its first) for the input slices they are made from, and resamples
    /// the co-registered ones not yet resampled. Called in slice order, one call at a time.
    /// </summary>
    public void Prepare(int targetSlices, IReadOnlyList<float[]> inputs, Action<int, int> waitFor)
    {
        for (var c = 0; c < inputs.Count; c++)
        {
            if (!resampled.Contains(c))
            {
                waitFor(c, targetSlices);
            }
        }
        foreach (var group in groups.Where(g => g.Resampled < targetSlices))
        {
            var needed = group.Mapping.SourceSlicesFor(targetSlices);
            foreach (var c in group.Channels)
            {
                waitFor(c, needed);
            }
            group.Mapping.Resample([.. group.Channels.Select(c => inputs[c])], group.Outputs, group.Resampled, targetSlices);
            group.Resampled = targetSlices;
        }
    }

    public static bool SameGrid(VolumeGeometry a, VolumeGeometry b) =>
        a.Rows == b.Rows && a.Columns == b.Columns && a.Slices == b.Slices
        && Math.Abs(a.SliceSpacing - b.SliceSpacing) < 1e-3 && Math.Abs(a.RowSpacing - b.RowSpacing) < 1e-4 && Math.Abs(a.ColumnSpacing - b.ColumnSpacing) < 1e-4
        && a.Origin.Zip(b.Origin).All(p => Math.Abs(p.First - p.Second) < 1e-2)
        && a.RowDirection.Zip(b.RowDirection).Concat(a.ColumnDirection.Zip(b.ColumnDirection)).All(p => Math.Abs(p.First - p.Second) < 1e-4);

    private static string Describe(VolumeGeometry g) => $"{g.Columns}x{g.Rows}x{g.Slices}, {g.ColumnSpacing:0.###}x{g.RowSpacing:0.###}x{g.SliceSpacing:0.###} mm";

    private static string Describe(string frameOfReference) => frameOfReference.Length == 0 ? "none given" : frameOfReference;
}
