using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.T2Mapping;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Nifti;
using ReaderStudy.Imaging.T2Mapping;

namespace ReaderStudy.Cli.T2Mapping;

/// <summary>`readerstudy t2-fit --mese DIR --out DIR …`: a real T2 map from a MESE series, as DICOM, with a JSON summary.</summary>
internal static class T2FitCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Command Create()
    {
        var mese = new Option<string>("--mese")
        {
            Description = "Folder holding the MESE series (the only multi-echo series in it); or NIfTI: a folder of per-echo files with JSON sidecars (dcm2niix), or one 4-D file.",
            Required = true,
        };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the T2, S0, R² and reliability maps into.", Required = true };
        var format = new Option<string?>("--format")
        {
            Description = "dicom (16-bit MR image series), parametric-map (the T2 map as one float32 DICOM Parametric Map) or nifti "
                + "(float32 on the input's grid and affine); default: the input's format.",
        };
        format.AcceptOnlyFromAmong("dicom", "parametric-map", "nifti");
        var method = new Option<string>("--method") { Description = "loglinear (weighted) or nonlinear (Levenberg-Marquardt).", DefaultValueFactory = _ => "loglinear" };
        method.AcceptOnlyFromAmong("loglinear", "nonlinear");
        var excludeFirst = new Option<bool>("--exclude-first-echo") { Description = "Leave out the first echo (stimulated-echo contamination)." };
        var mask = new Option<FileInfo?>("--mask") { Description = "A DICOM SEG, or a NIfTI label image on the MESE's grid: fit only inside it and report the mean T2 there." };
        var segment = new Option<int?>("--segment") { Description = "Segment number (SEG) or label value (NIfTI) of --mask to use (default: all together)." };
        var clip = new Option<string>("--clip") { Description = "T2 range MIN,MAX in ms; values outside are clipped and marked unreliable.", DefaultValueFactory = _ => "0,100" };
        var minR2 = new Option<double>("--min-r2") { Description = "R² below which a voxel is marked unreliable.", DefaultValueFactory = _ => 0.8 };
        var noiseFloor = new Option<double>("--noise-floor") { Description = "Echoes with signal below this are left out of a voxel's fit.", DefaultValueFactory = _ => 0 };
        var background = new Option<double>("--background")
        {
            Description = "Without --mask, voxels whose first fitted echo is below this fraction of bright tissue's signal are background and not fitted; 0 fits every voxel.",
            DefaultValueFactory = _ => 0.05,
        };
        var command = new Command("t2-fit", "Fit a real T2 map to a MESE echo train and write it (and S0, R², reliability) as DICOM or NIfTI.")
        {
            mese, output, format, method, excludeFirst, mask, segment, clip, minR2, noiseFloor, background,
        };
        command.SetAction(result =>
        {
            try
            {
                var clock = Stopwatch.StartNew();
                var input = Path.GetFullPath(result.GetValue(mese)!);
                var fromNifti = NiftiMese.Holds(input);
                var wanted = result.GetValue(format) ?? (fromNifti ? "nifti" : "dicom");
                if (fromNifti && wanted != "nifti")
                {
                    throw new T2FitException($"{input}: DICOM maps need DICOM input (NIfTI carries no patient, study or frame of reference); use --format nifti.");
                }
                var (train, grid) = fromNifti ? FromNifti(input) : FromDicom(input);
                var range = ParseClip(result.GetValue(clip)!);
                var maskFile = result.GetValue(mask);
                var maskVoxels = maskFile is null ? null
                    : NiftiMese.IsNifti(maskFile.FullName) ? LoadLabels(maskFile.FullName, result.GetValue(segment), grid)
                    : grid.Dicom is { } dicom ? LoadMask(maskFile.FullName, result.GetValue(segment), dicom)
                    : throw new T2FitException($"{maskFile.FullName}: a DICOM SEG cannot be placed on NIfTI input; give the mask as NIfTI.");
                var options = new T2FitOptions
                {
                    Method = result.GetValue(method) == "nonlinear" ? T2FitMethod.Nonlinear : T2FitMethod.LogLinear,
                    ExcludeFirstEcho = result.GetValue(excludeFirst),
                    ClipMin = range.Min,
                    ClipMax = range.Max,
                    MinR2 = result.GetValue(minR2),
                    NoiseFloor = result.GetValue(noiseFloor),
                    BackgroundFraction = result.GetValue(background),
                    Mask = maskVoxels,
                };
                var maps = T2Fitter.Fit(train, options);
                var outFolder = result.GetValue(output)!.FullName;
                var (seriesUid, t2Folder) = wanted == "nifti"
                    ? (null, T2MapNiftiWriter.Write(outFolder, grid.Dimensions, grid.Affine, maps, options, train.EchoTimesMs, input)[0])
                    : T2MapWriter.Write(outFolder, grid.Dicom!, maps, options, parametricMap: wanted == "parametric-map") is var written ? (written.T2SeriesUid, written.Folder) : default;
                var mean = maskVoxels is null ? double.NaN : maps.MeanT2(maskVoxels);
                result.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["method"] = result.GetValue(method),
                    ["echo_times_ms"] = train.EchoTimesMs,
                    ["format"] = wanted,
                    ["voxels_fitted"] = maps.VoxelsFitted,
                    ["unreliable"] = maps.Unreliable,
                    ["background_skipped"] = maps.Background,
                    ["mean_t2_in_mask"] = double.IsFinite(mean) ? Math.Round(mean, 4) : null,
                    ["fit_seconds"] = Math.Round(maps.Elapsed.TotalSeconds, 3),
                    ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
                    ["t2_series_uid"] = seriesUid,
                    [wanted == "nifti" ? "t2_file" : "t2_folder"] = t2Folder,
                }, Json));
                return 0;
            }
            catch (Exception e) when (e is T2FitException or DicomReadException or NiftiException)
            {
                result.InvocationConfiguration.Error.WriteLine($"readerstudy t2-fit: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    /// <summary>Where the echoes' voxels are: a NIfTI grid (size and affine), and for DICOM input the series itself.</summary>
    private sealed record Grid(int[] Dimensions, double[,] Affine, MeseSeries? Dicom);

    private static (EchoTrain, Grid) FromNifti(string input)
    {
        var nifti = NiftiMese.Load(input);
        return (nifti.Train, new Grid(nifti.FirstEcho.Dimensions, nifti.FirstEcho.Affine, null));
    }

    private static (EchoTrain, Grid) FromDicom(string input)
    {
        var series = LoadMese(input);
        var geometry = series.FirstEcho.Geometry;
        return (series.Train, new Grid([geometry.Columns, geometry.Rows, geometry.Slices], NiftiGeometry.AffineOf(geometry), series));
    }

    private static bool[] LoadLabels(string path, int? label, Grid grid)
    {
        var labels = NiftiGeometry.OnGrid(NiftiReader.Read(path), 0, grid.Affine, grid.Dimensions[..3], "the MESE's grid");
        return [.. labels.Select(v => label is { } wanted ? Math.Abs(v - wanted) < 0.5 : v != 0)];
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
