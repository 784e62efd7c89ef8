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
    /// <summary>What the generator makes: a T2 map in ms (the default), a CT in HU, an MR image in arbitrary units.</summary>
    public GeneratorOutput Output { get; init; } = GeneratorOutput.T2Map;
    /// <summary>The output quantity (T2 in ms, CT in HU) = output × OutputScaleMs + OutputOffsetMs; the names keep the first manifests' spelling.</summary>
    public double OutputScaleMs { get; init; } = 1;
    public double OutputOffsetMs { get; init; }
    public int BatchSize { get; init; } = 8;
    /// <summary>
    /// Optional tiling, for a model trained on patches at the scanner's resolution: each slice is cut into
    /// Height × Width tiles that overlap by this many pixels (blended with linear weights across the overlap)
    /// instead of being resampled to the model grid. Null: resample.
    /// </summary>
    public int? TileOverlap { get; init; }

    public const int MaxGrid = 4096;
    public const int MaxBatch = 256;
    public const int MaxChannels = 16;
    public const int MaxText = 200;
    public const long MaxBatchFloats = 64L << 20;

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
            // Bounds are checked before anything is allocated from them: a grid or batch from the manifest sizes buffers.
            foreach (var (what, text) in new[] { ("name", manifest.Name), ("version", manifest.Version), ("inputName", manifest.InputName), ("outputName", manifest.OutputName) }
                         .Concat(manifest.Channels.Select(c => ("channel series", c.Series ?? ""))))
            {
                if (text.Length > MaxText)
                {
                    throw new GeneratorException($"the manifest's {what} is {text.Length} characters long; at most {MaxText} are allowed.");
                }
            }
            if (manifest.Output is null || manifest.Output.Modality is not ("MR" or "CT")
                || new[] { manifest.Output.Quantity, manifest.Output.Units }.Any(t => t is null || t.Length > MaxText))
            {
                throw new GeneratorException($"the manifest's output must name modality MR or CT, a quantity and units of at most {MaxText} characters (e.g. {{\"modality\": \"CT\", \"quantity\": \"HU\", \"units\": \"HU\"}}).");
            }
            if (manifest.Channels.Count > MaxChannels)
            {
                throw new GeneratorException($"the manifest names {manifest.Channels.Count} input channels; at most {MaxChannels} are allowed.");
            }
            foreach (var (what, size) in new[] { ("height", manifest.Height), ("width", manifest.Width) })
            {
                if (size is { } n && n is < 1 or > MaxGrid)
                {
                    throw new GeneratorException($"the manifest's {what} is {n}; a model grid is 1 to {MaxGrid} pixels.");
                }
            }
            if (manifest.BatchSize is < 1 or > MaxBatch)
            {
                throw new GeneratorException($"the manifest's batchSize is {manifest.BatchSize}; it must be 1 to {MaxBatch}.");
            }
            var floats = (long)manifest.BatchSize * manifest.Channels.Count * (manifest.Height ?? 1) * (manifest.Width ?? 1);
            if (floats > MaxBatchFloats)
            {
                throw new GeneratorException($"a batch of {manifest.BatchSize} x {manifest.Channels.Count} channel(s) x {manifest.Height}x{manifest.Width} is {floats * 4 >> 20} MiB of input; at most {MaxBatchFloats * 4 >> 20} MiB is allowed: lower batchSize.");
            }
            if (!double.IsFinite(manifest.OutputScaleMs) || !double.IsFinite(manifest.OutputOffsetMs) || manifest.Channels.Any(c => !double.IsFinite(c.Mean) || !double.IsFinite(c.Scale) || c.Scale == 0))
            {
                throw new GeneratorException("the manifest's scales and offsets must be finite numbers, and no channel scale may be 0.");
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

/// <summary>What a generator writes: the DICOM modality of its series, the quantity and its units (UCUM, "" for arbitrary units).</summary>
public sealed record GeneratorOutput(string Modality = "MR", string Quantity = "T2", string Units = "ms")
{
    public static readonly GeneratorOutput T2Map = new();

    public bool IsT2Map => Modality == "MR" && Quantity == "T2";

    /// <summary>"T2 map (ms)", "CT (HU)", "MR (signal)".</summary>
    public string Describe() => IsT2Map ? "T2 map (ms)" : $"{Modality} ({(Units.Length > 0 ? Units : Quantity)})";
}

/// <summary>normalized = (value − Mean) / Scale, the same as the generator saw in training.</summary>
public sealed record GeneratorChannel(string Series, double Mean = 0, double Scale = 1);
