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
        // Where every slice goes, from the headers alone: the inputs' pixels are then decoded slice by slice while the model
        // runs (co-registered ones resampled as the model comes to each slice), and of the grid's own series (the real map)
        // only the headers are read. A file whose header cannot be read alone sends everything to a whole read, which says why.
        var headers = names.Select((name, c) => StreamedInputs.Headers(inputs[c], name)).ToList();
        var gridHeaders = gridOf is null ? headers[0] : StreamedInputs.Headers(gridOf, gridName!);
        if (gridHeaders is { } grid && headers.All(h => h is not null))
        {
            return Streamed(model, [.. headers.Select(h => h!.Value)], grid, gridOf is null ? manifest.Channels[0].Series : grid.Headers[0].SeriesDescription,
                outputFolder, slicesDone, clock);
        }
        var volumes = inputs.Select((paths, c) => LoadOneSeries(paths, names[c])).ToList();
        var target = gridOf is null ? volumes[0] : LoadOneSeries(gridOf, gridName!);
        var targetName = gridOf is null ? manifest.Channels[0].Series : target.SeriesDescription;
        var frame = target.Slices[0].FrameOfReferenceUid;
        var plan = CoRegistrationPlan.For([.. volumes.Select(v => (v.Geometry, v.Slices[0].FrameOfReferenceUid))], target.Geometry, frame, targetName, manifest);
        var (map, inference) = Generate(model, plan, [.. volumes.Select(v => v.Values)], target.Geometry, slicesDone, (_, _) => { });
        return Written(model, volumes, frame, target.Geometry, map, plan.CoRegistered, targetName, outputFolder, inference, clock);
    }

    private static Result Streamed(GeneratorModel model, IReadOnlyList<(IReadOnlyList<DicomImage> Headers, VolumeGeometry Geometry)> series,
        (IReadOnlyList<DicomImage> Headers, VolumeGeometry Geometry) grid, string targetName, string outputFolder, IProgress<int>? slicesDone, Stopwatch clock)
    {
        var frame = grid.Headers[0].FrameOfReferenceUid;
        // Checked before any pixel is read: a series from another session or another knee is refused at once.
        var plan = CoRegistrationPlan.For([.. series.Select(s => (s.Geometry, s.Headers[0].FrameOfReferenceUid))], grid.Geometry, frame, targetName, model.Manifest);
        using var streamed = StreamedInputs.Start(series);
        var (map, inference) = Generate(model, plan, streamed.Channels, grid.Geometry, slicesDone, streamed.WaitFor);
        return Written(model, streamed.Volumes(), frame, grid.Geometry, map, plan.CoRegistered, targetName, outputFolder, inference, clock);
    }

    private static (float[] Map, TimeSpan Inference) Generate(GeneratorModel model, CoRegistrationPlan plan, IReadOnlyList<float[]> inputs, VolumeGeometry grid,
        IProgress<int>? slicesDone, Action<int, int> waitFor)
    {
        var inference = Stopwatch.StartNew();
        var map = model.Generate(plan.ModelInputs(inputs), grid.Slices, grid.Rows, grid.Columns, slicesDone, slices => plan.Prepare(slices, inputs, waitFor));
        return (map, inference.Elapsed);
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
}
