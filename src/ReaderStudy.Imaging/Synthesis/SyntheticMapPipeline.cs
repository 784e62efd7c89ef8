using System.Diagnostics;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.T2Mapping;

namespace ReaderStudy.Imaging.Synthesis;

/// <summary>DICOM in, DICOM out: anatomic series (one folder per generator channel) → a synthetic series (a T2 map, a CT, an MR image, as the manifest's output says) that references them.</summary>
public static class SyntheticMapPipeline
{
    /// <param name="Map">The synthetic T2 values (ms) on the first input's grid, at full float precision; the written
    /// DICOM stores them as 16-bit integers with a rescale slope, as the MR Image IOD requires.</param>
    /// <param name="CoRegistered">The inputs that were resampled onto the first input's grid, by channel name.</param>
    public sealed record Result(string SeriesInstanceUid, string Folder, int Slices, string Provider, TimeSpan Inference, TimeSpan Total,
        float[] Map, VolumeGeometry Geometry, IReadOnlyList<string> CoRegistered)
    {
        public double SlicesPerSecond => Slices / Math.Max(1e-9, Total.TotalSeconds);
    }

    /// <summary>One folder per channel, each holding one series.</summary>
    public static Result Run(GeneratorModel model, IReadOnlyList<string> inputFolders, string outputFolder, IProgress<int>? slicesDone = null,
        string? gridOf = null) =>
        Run(model, [.. inputFolders.Select(folder => (IReadOnlyList<string>)[folder])], outputFolder, slicesDone, gridOf is null ? null : [gridOf]);

    /// <summary>The DICOM files (or folders) of one series per channel, read where they lie.</summary>
    /// <param name="gridOf">A series (the subject's real T2 map, say) whose grid the map is made on, so the two compare voxel by voxel;
    /// null: the first input's grid.</param>
    public static Result Run(GeneratorModel model, IReadOnlyList<IReadOnlyList<string>> inputs, string outputFolder, IProgress<int>? slicesDone = null,
        IReadOnlyList<string>? gridOf = null)
    {
        var clock = Stopwatch.StartNew();
        var manifest = model.Manifest;
        if (inputs.Count != manifest.Channels.Count)
        {
            throw new GeneratorException($"{manifest.Name} takes {manifest.Channels.Count} input series ({string.Join(", ", manifest.Channels.Select(c => c.Series))}); {inputs.Count} folders given.");
        }
        var names = inputs.Select((paths, c) => paths.Count == 1 ? paths[0] : $"input '{manifest.Channels[c].Series}'").ToList();
        var gridName = gridOf is null ? null : gridOf.Count == 1 ? gridOf[0] : "the output grid's series";
        // Where every slice goes, from the headers alone: when every input already lies on the map's grid (the common
        // case), the model starts on the first slices while the rest are decoded, and the grid's own series (the real
        // map) is never decoded at all. Otherwise every input is read whole and co-registered.
        var headers = names.Select((name, c) => StreamedInputs.Headers(inputs[c], name)).ToList();
        var gridHeaders = gridOf is null ? headers[0] : StreamedInputs.Headers(gridOf, gridName!);
        if (gridHeaders is { } grid && headers.All(h => h is { } series && SameGrid(series.Geometry, grid.Geometry)))
        {
            return Streamed(model, [.. headers.Select(h => h!.Value)], grid, gridOf is null ? manifest.Channels[0].Series : grid.Headers[0].SeriesDescription,
                outputFolder, slicesDone, clock);
        }
        var volumes = inputs.Select((paths, c) => LoadOneSeries(paths, names[c])).ToList();
        // The grid's own series gives only its geometry: its pixels are decoded only when its headers could not be read alone.
        var target = gridOf is null ? volumes[0]
            : gridHeaders is { } known ? new LoadedVolume(known.Headers[0].SeriesInstanceUid, known.Headers[0].SeriesDescription, known.Geometry, [], known.Headers)
            : LoadOneSeries(gridOf, gridName!);
        var targetName = gridOf is null ? manifest.Channels[0].Series : target.SeriesDescription;
        var (channels, coRegistered) = OnGrid(volumes, target, targetName, manifest);
        var inference = Stopwatch.StartNew();
        var map = model.Generate(channels, target.Geometry.Slices, target.Geometry.Rows, target.Geometry.Columns, slicesDone);
        inference.Stop();
        return Written(model, volumes, target.Slices[0].FrameOfReferenceUid, target.Geometry, map, coRegistered, targetName, outputFolder, inference.Elapsed, clock);
    }

    private static Result Streamed(GeneratorModel model, IReadOnlyList<(IReadOnlyList<DicomImage> Headers, VolumeGeometry Geometry)> series,
        (IReadOnlyList<DicomImage> Headers, VolumeGeometry Geometry) grid, string gridName, string outputFolder, IProgress<int>? slicesDone, Stopwatch clock)
    {
        using var streamed = StreamedInputs.Start(series);
        var geometry = grid.Geometry;
        var inference = Stopwatch.StartNew();
        var map = model.Generate(streamed.Channels, geometry.Slices, geometry.Rows, geometry.Columns, slicesDone, streamed.WaitForSlices);
        inference.Stop();
        return Written(model, streamed.Volumes(), grid.Headers[0].FrameOfReferenceUid, geometry, map, [], gridName, outputFolder, inference.Elapsed, clock);
    }

    private static Result Written(GeneratorModel model, IReadOnlyList<LoadedVolume> volumes, string frameOfReference, VolumeGeometry geometry, float[] map,
        IReadOnlyList<string> coRegistered, string targetName, string outputFolder, TimeSpan inference, Stopwatch clock)
    {
        var manifest = model.Manifest;

        var source = volumes[0].Slices[0];
        var output = manifest.Output;
        if (output.Modality == "CT")
        {
            // A CT stores whole Hounsfield units, as scanners do.
            for (var i = 0; i < map.Length; i++)
            {
                map[i] = MathF.Round(map[i]);
            }
        }
        var info = new SeriesInfo
        {
            Modality = output.Modality,
            PatientName = T2MapWriter.ReadPatient(source.Path, 0x0010, 0x0010),
            PatientId = T2MapWriter.ReadPatient(source.Path, 0x0010, 0x0020),
            StudyInstanceUid = source.StudyInstanceUid,
            SeriesInstanceUid = DicomUids.New(),
            FrameOfReferenceUid = frameOfReference,
            SeriesNumber = 100 * (source.SeriesNumber ?? 0) + 50,
            SeriesDescription = output.IsT2Map ? $"Synthetic T2 map ({manifest.Name} {manifest.Version})" : $"Synthetic {output.Modality} ({manifest.Name} {manifest.Version})",
            ImageType = output.IsT2Map ? "DERIVED\\SECONDARY\\T2 MAP" : output.Modality == "CT" ? "DERIVED\\SECONDARY\\AXIAL" : "DERIVED\\SECONDARY\\M",
            // Quantitative MR carries its units as Real World Value Mapping; CT's are HU by definition.
            Units = output.Modality == "MR" && output.Units.Length > 0 ? output.Units : null,
            QuantityLabel = output.Modality == "MR" && output.Units.Length > 0 ? output.Quantity : null,
            Sources = [.. volumes.Select(v => SourceSeries.Of(v.SeriesInstanceUid, v.Slices))],
            DerivationDescription = $"Generated by {manifest.Name} {manifest.Version} (ONNX sha256 {model.Sha256}) on {model.Provider} from {string.Join(", ", manifest.Channels.Select(c => c.Series))}"
                + (coRegistered.Count > 0 ? $"; {string.Join(", ", coRegistered)} resampled onto the grid of {targetName} by DICOM geometry" : ""),
        };
        DicomSeriesWriter.Write(outputFolder, info, geometry, map);
        return new Result(info.SeriesInstanceUid, outputFolder, geometry.Slices, model.Provider, inference, clock.Elapsed, map, geometry, coRegistered);
    }

    private static LoadedVolume LoadOneSeries(IReadOnlyList<string> paths, string folder)
    {
        var scan = DicomScanner.Scan(paths);
        if (scan.Errors.Count > 0)
        {
            throw new DicomReadException(string.Join("; ", scan.Errors.Select(e => $"{e.File}: {e.Error}")));
        }
        if (scan.Series.Count != 1)
        {
            throw new GeneratorException($"{folder}: holds {scan.Series.Count} series; put each input series in a folder of its own.");
        }
        return VolumeLoader.Stack(scan.Images, folder);
    }

    /// <summary>Below this overlap an input is taken to be the wrong series (another knee, another station), not resampled.</summary>
    private const double MinimumCoverage = 0.5;

    // The map is made on the target grid (the first channel's, or a given series'); every channel acquired on another
    // grid (a different matrix, field of view or slice stack) is co-registered onto it by DICOM geometry.
    private static (float[][] Channels, IReadOnlyList<string> CoRegistered) OnGrid(IReadOnlyList<LoadedVolume> volumes, LoadedVolume target, string targetName,
        GeneratorManifest manifest)
    {
        var channels = new float[volumes.Count][];
        var frame = target.Slices[0].FrameOfReferenceUid;
        var elsewhere = new List<int>();
        for (var i = 0; i < volumes.Count; i++)
        {
            var volume = volumes[i];
            if (SameGrid(target.Geometry, volume.Geometry))
            {
                channels[i] = volume.Values;
                continue;
            }
            var otherFrame = volume.Slices[0].FrameOfReferenceUid;
            if (frame.Length == 0 || frame != otherFrame)
            {
                throw new GeneratorException($"Input '{manifest.Channels[i].Series}' is on another grid than '{targetName}' and in another frame of reference " +
                    $"({Describe(otherFrame)} vs {Describe(frame)}), so it cannot be co-registered by DICOM geometry; give series from one session.");
            }
            elsewhere.Add(i);
        }
        // Inputs that share a grid (one session's series often do) are resampled together, each voxel's place found once.
        while (elsewhere.Count > 0)
        {
            var grid = volumes[elsewhere[0]].Geometry;
            var together = elsewhere.Where(i => SameGrid(grid, volumes[i].Geometry)).ToList();
            var resampled = GridResampler.Resample(grid, [.. together.Select(i => volumes[i].Values)], target.Geometry, out var coverage);
            if (coverage < MinimumCoverage)
            {
                throw new GeneratorException($"Input '{manifest.Channels[together[0]].Series}' ({Describe(grid)}) covers only {coverage:P0} of '{targetName}' ({Describe(target.Geometry)}); " +
                    "the series hardly overlap, so they are not of one knee and one session.");
            }
            for (var k = 0; k < together.Count; k++)
            {
                channels[together[k]] = resampled[k];
            }
            elsewhere.RemoveAll(together.Contains);
        }
        var coRegistered = Enumerable.Range(0, volumes.Count).Where(i => channels[i] != volumes[i].Values).Select(i => manifest.Channels[i].Series).ToList();
        return (channels, coRegistered);
    }

    private static bool SameGrid(VolumeGeometry a, VolumeGeometry b) =>
        a.Rows == b.Rows && a.Columns == b.Columns && a.Slices == b.Slices
        && Math.Abs(a.SliceSpacing - b.SliceSpacing) < 1e-3 && Math.Abs(a.RowSpacing - b.RowSpacing) < 1e-4 && Math.Abs(a.ColumnSpacing - b.ColumnSpacing) < 1e-4
        && a.Origin.Zip(b.Origin).All(p => Math.Abs(p.First - p.Second) < 1e-2)
        && a.RowDirection.Zip(b.RowDirection).Concat(a.ColumnDirection.Zip(b.ColumnDirection)).All(p => Math.Abs(p.First - p.Second) < 1e-4);

    private static string Describe(VolumeGeometry g) => $"{g.Columns}x{g.Rows}x{g.Slices}, {g.ColumnSpacing:0.###}x{g.RowSpacing:0.###}x{g.SliceSpacing:0.###} mm";

    private static string Describe(string frameOfReference) => frameOfReference.Length == 0 ? "none given" : frameOfReference;
}
