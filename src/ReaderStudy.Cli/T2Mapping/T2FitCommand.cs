using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.T2Mapping;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.T2Mapping;

namespace ReaderStudy.Cli.T2Mapping;

/// <summary>`readerstudy t2-fit --mese DIR --out DIR …`: a real T2 map from a MESE series, as DICOM, with a JSON summary.</summary>
internal static class T2FitCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Command Create()
    {
        var mese = new Option<DirectoryInfo>("--mese") { Description = "Folder holding the MESE series (the only multi-echo series in it).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the T2, S0, R² and reliability series into.", Required = true };
        var method = new Option<string>("--method") { Description = "loglinear (weighted) or nonlinear (Levenberg-Marquardt).", DefaultValueFactory = _ => "loglinear" };
        method.AcceptOnlyFromAmong("loglinear", "nonlinear");
        var excludeFirst = new Option<bool>("--exclude-first-echo") { Description = "Leave out the first echo (stimulated-echo contamination)." };
        var mask = new Option<FileInfo?>("--mask") { Description = "A DICOM SEG: fit only inside it and report the mean T2 there." };
        var segment = new Option<int?>("--segment") { Description = "Segment number of --mask to use (default: all segments together)." };
        var clip = new Option<string>("--clip") { Description = "T2 range MIN,MAX in ms; values outside are clipped and marked unreliable.", DefaultValueFactory = _ => "0,100" };
        var minR2 = new Option<double>("--min-r2") { Description = "R² below which a voxel is marked unreliable.", DefaultValueFactory = _ => 0.8 };
        var noiseFloor = new Option<double>("--noise-floor") { Description = "Echoes with signal below this are left out of a voxel's fit.", DefaultValueFactory = _ => 0 };
        var command = new Command("t2-fit", "Fit a real T2 map to a MESE echo train and write it (and S0, R², reliability) as DICOM.")
        {
            mese, output, method, excludeFirst, mask, segment, clip, minR2, noiseFloor,
        };
        command.SetAction(result =>
        {
            try
            {
                var clock = Stopwatch.StartNew();
                var series = LoadMese(result.GetValue(mese)!.FullName);
                var range = ParseClip(result.GetValue(clip)!);
                var maskFile = result.GetValue(mask);
                var maskVoxels = maskFile is null ? null : LoadMask(maskFile.FullName, result.GetValue(segment), series);
                var options = new T2FitOptions
                {
                    Method = result.GetValue(method) == "nonlinear" ? T2FitMethod.Nonlinear : T2FitMethod.LogLinear,
                    ExcludeFirstEcho = result.GetValue(excludeFirst),
                    ClipMin = range.Min,
                    ClipMax = range.Max,
                    MinR2 = result.GetValue(minR2),
                    NoiseFloor = result.GetValue(noiseFloor),
                    Mask = maskVoxels,
                };
                var maps = T2Fitter.Fit(series.Train, options);
                var written = T2MapWriter.Write(result.GetValue(output)!.FullName, series, maps, options);
                var mean = maskVoxels is null ? double.NaN : maps.MeanT2(maskVoxels);
                result.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["method"] = result.GetValue(method),
                    ["echo_times_ms"] = series.Train.EchoTimesMs,
                    ["voxels_fitted"] = maps.VoxelsFitted,
                    ["unreliable"] = maps.Unreliable,
                    ["mean_t2_in_mask"] = double.IsFinite(mean) ? Math.Round(mean, 4) : null,
                    ["fit_seconds"] = Math.Round(maps.Elapsed.TotalSeconds, 3),
                    ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
                    ["t2_series_uid"] = written.T2SeriesUid,
                    ["t2_folder"] = written.Folder,
                }, Json));
                return 0;
            }
            catch (Exception e) when (e is T2FitException or DicomReadException)
            {
                result.InvocationConfiguration.Error.WriteLine($"readerstudy t2-fit: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static MeseSeries LoadMese(string folder)
    {
        var scan = DicomScanner.Scan([folder]);
        if (scan.Errors.Count > 0)
        {
            throw new DicomReadException(string.Join("; ", scan.Errors.Select(e => e.Error)));
        }
        var candidates = scan.Series.Where(s => s.Classification == SeriesKind.Mese).ToList();
        if (candidates.Count != 1)
        {
            throw new T2FitException(candidates.Count == 0
                ? $"{folder}: no MESE series (a series with three or more echo times); found {string.Join(", ", scan.Series.Select(s => $"'{s.SeriesDescription}' ({s.EchoTimesMs.Count} echo times)"))}."
                : $"{folder}: {candidates.Count} MESE series; put one per folder.");
        }
        return MeseSeries.FromImages([.. scan.Images.Where(i => i.SeriesInstanceUid == candidates[0].SeriesInstanceUid)]);
    }

    private static bool[] LoadMask(string path, int? segment, MeseSeries series)
    {
        var seg = DicomSegmentation.Read(path);
        var geometry = series.FirstEcho.Geometry;
        var positions = series.FirstEcho.Slices.Select(s => s.SlicePosition()).ToList();
        if (seg.Rows != geometry.Rows || seg.Columns != geometry.Columns)
        {
            throw new T2FitException($"{path}: the mask is {seg.Columns}x{seg.Rows}, the MESE images {geometry.Columns}x{geometry.Rows}.");
        }
        var numbers = segment is { } n ? [n] : seg.Segments.Select(s => s.Number).ToArray();
        if (segment is { } wanted && seg.Segments.All(s => s.Number != wanted))
        {
            throw new T2FitException($"{path}: no segment {wanted}; it has {string.Join(", ", seg.Segments.Select(s => $"{s.Number} {s.Label}"))}.");
        }
        var mask = new bool[series.Train.VoxelCount];
        foreach (var number in numbers)
        {
            var part = seg.MaskFor(number, positions, geometry.Normal);
            for (var v = 0; v < mask.Length; v++)
            {
                mask[v] |= part[v];
            }
        }
        return mask;
    }

    private static (double Min, double Max) ParseClip(string text)
    {
        var parts = text.Split(',');
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max) && min < max)
        {
            return (min, max);
        }
        throw new T2FitException($"--clip '{text}': expected MIN,MAX in ms with MIN < MAX, e.g. 0,100.");
    }
}
