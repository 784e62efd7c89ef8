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
    /// <summary>
    /// Optional tiling, for a model trained on patches at the scanner's resolution: each slice is cut into
    /// Height × Width tiles that overlap by this many pixels (blended with linear weights across the overlap)
    /// instead of being resampled to the model grid. Null: resample.
    /// </summary>
    public int? TileOverlap { get; init; }

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
            if (manifest.Channels is null || manifest.Channels.Count == 0)
            {
                throw new GeneratorException("the manifest names no input channels.");
            }
            if (manifest.TileOverlap is { } overlap)
            {
                if (manifest.Height is not { } height || manifest.Width is not { } width)
                {
                    throw new GeneratorException("tileOverlap needs the model's tile size: give height and width.");
                }
                if (overlap < 0 || 2 * overlap >= Math.Min(height, width))
                {
                    throw new GeneratorException($"tileOverlap {overlap} must be at least 0 and less than half the tile ({width}x{height}).");
                }
            }
            return manifest;
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
