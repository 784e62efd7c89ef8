using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReaderStudy.Core.Synthesis;

/// <summary>What a researcher's exported generator expects and gives: written beside the .onnx file as NAME.manifest.json.</summary>
public sealed record GeneratorManifest
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    public string InputName { get; init; } = "anatomic";
    public string OutputName { get; init; } = "t2";
    /// <summary>One per input channel, in channel order: which anatomic series feeds it and how it is normalized.</summary>
    public required IReadOnlyList<GeneratorChannel> Channels { get; init; }
    /// <summary>The model's in-plane grid; slices are resampled to it and back. Null: the model takes any size.</summary>
    public int? Height { get; init; }
    public int? Width { get; init; }
    /// <summary>T2 in ms = output × OutputScaleMs + OutputOffsetMs.</summary>
    public double OutputScaleMs { get; init; } = 1;
    public double OutputOffsetMs { get; init; }
    public int BatchSize { get; init; } = 8;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static GeneratorManifest Read(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (GeneratorException e)
        {
            throw new GeneratorException($"{path}: {e.Message}");
        }
    }

    public static GeneratorManifest Parse(string json)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<GeneratorManifest>(json, Json)
                ?? throw new GeneratorException("the manifest is empty.");
            if (string.IsNullOrWhiteSpace(manifest.Name) || string.IsNullOrWhiteSpace(manifest.Version))
            {
                throw new GeneratorException("the manifest must give the model's name and version.");
            }
            return manifest.Channels is null || manifest.Channels.Count == 0 ? throw new GeneratorException("the manifest names no input channels.") : manifest;
        }
        catch (JsonException e)
        {
            throw new GeneratorException($"not a generator manifest ({e.Message}).");
        }
    }

    /// <summary>MODEL.onnx → MODEL.manifest.json.</summary>
    public static string PathBeside(string modelPath) => Path.ChangeExtension(modelPath, ".manifest.json");

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>normalized = (value − Mean) / Scale, the same as the generator saw in training.</summary>
public sealed record GeneratorChannel(string Series, double Mean = 0, double Scale = 1);
