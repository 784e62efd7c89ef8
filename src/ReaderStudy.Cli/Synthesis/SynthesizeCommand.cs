using System.CommandLine;
using System.Text.Json;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Synthesis;

namespace ReaderStudy.Cli.Synthesis;

/// <summary>`readerstudy synthesize --model FILE --input DIR... --out DIR [--device auto|cpu|cuda]`: a synthetic T2 map from anatomic DICOM.</summary>
internal static class SynthesizeCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Command Create()
    {
        var modelOption = new Option<FileInfo>("--model") { Description = "The generator's .onnx file; its manifest is read from MODEL.manifest.json beside it unless --manifest is given.", Required = true };
        var manifestOption = new Option<FileInfo?>("--manifest") { Description = "The generator's manifest (channels, grid, normalization, output scaling)." };
        var inputs = new Option<DirectoryInfo[]>("--input") { Description = "One folder per input channel, in the manifest's channel order, each holding one anatomic series.", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the synthetic T2 map series into.", Required = true };
        var gridOf = new Option<DirectoryInfo?>("--grid-of") { Description = "A series folder (the real T2 map, say) whose grid the map is made on; the inputs are co-registered onto it by DICOM geometry. Default: the first input's grid." };
        var device = new Option<string>("--device") { Description = "auto (CUDA when it loads, else CPU), cpu, or cuda (fail without it).", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        var command = new Command("synthesize", "Generate a synthetic T2 map from anatomic series with an ONNX generator, and write it as DICOM.")
        {
            modelOption, manifestOption, inputs, output, gridOf, device,
        };
        command.SetAction(result =>
        {
            var name = result.GetValue(modelOption)!.FullName;
            try
            {
                var manifestPath = result.GetValue(manifestOption)?.FullName ?? GeneratorManifest.PathBeside(name);
                if (!File.Exists(manifestPath))
                {
                    throw new GeneratorException($"{manifestPath}: no manifest; give one with --manifest.");
                }
                if (!File.Exists(name))
                {
                    throw new GeneratorException($"{name}: no such model file.");
                }
                var chosen = Enum.Parse<GeneratorDevice>(result.GetValue(device)!, ignoreCase: true);
                using var model = GeneratorModel.Open(name, GeneratorManifest.Read(manifestPath), chosen);
                var done = SyntheticMapPipeline.Run(model, [.. result.GetValue(inputs)!.Select(d => d.FullName)], result.GetValue(output)!.FullName,
                    gridOf: result.GetValue(gridOf)?.FullName);
                result.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["model"] = $"{model.Manifest.Name} {model.Manifest.Version}",
                    ["model_sha256"] = model.Sha256,
                    ["provider"] = done.Provider,
                    ["slices"] = done.Slices,
                    ["co_registered"] = done.CoRegistered,
                    ["slices_per_second"] = Math.Round(done.SlicesPerSecond, 2),
                    ["inference_seconds"] = Math.Round(done.Inference.TotalSeconds, 3),
                    ["seconds"] = Math.Round(done.Total.TotalSeconds, 3),
                    ["series_uid"] = done.SeriesInstanceUid,
                    ["folder"] = done.Folder,
                }, Json));
                return 0;
            }
            catch (Exception e) when (e is GeneratorException or DicomReadException)
            {
                result.InvocationConfiguration.Error.WriteLine($"readerstudy synthesize: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
