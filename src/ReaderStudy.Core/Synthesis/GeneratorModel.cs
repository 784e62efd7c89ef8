using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ReaderStudy.Core.Synthesis;

/// <summary>
/// An ONNX generator checked against its manifest and kept open: one session per model, shared, since
/// creating it (and the CUDA context) costs far more than a batch of slices.
/// </summary>
public sealed partial class GeneratorModel : IDisposable
{
    // Size used for the dummy inference of a model that takes any in-plane size.
    private const int ProbeSize = 64;
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();

    static GeneratorModel()
    {
        // ONNX Runtime logs a failed CUDA load as an error on stderr; on a CPU-only server that is the expected case, reported once by us instead.
        OrtEnv.Instance().EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
    }

    private GeneratorModel(InferenceSession session, GeneratorManifest manifest, string provider, string sha256)
    {
        this.session = session;
        Manifest = manifest;
        Provider = provider;
        Sha256 = sha256;
    }

    public GeneratorManifest Manifest { get; }
    /// <summary>"CUDA" or "CPU": the execution provider that runs this model.</summary>
    public string Provider { get; }
    public string Sha256 { get; }

    /// <summary>Opens, checks the tensors against the manifest, and runs one dummy inference; any mismatch is a <see cref="GeneratorException"/> naming the tensor and both shapes.</summary>
    public static GeneratorModel Open(string modelPath, GeneratorManifest manifest, GeneratorDevice device)
    {
        var bytes = File.ReadAllBytes(modelPath);
        var (options, provider) = SessionOptionsFor(device);
        InferenceSession session;
        try
        {
            session = new InferenceSession(bytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new GeneratorException($"{Path.GetFileName(modelPath)}: not a model ONNX Runtime can open ({e.Message.Trim()}).");
        }
        var model = new GeneratorModel(session, manifest, provider, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        try
        {
            model.CheckTensors(Path.GetFileName(modelPath));
            model.Probe(Path.GetFileName(modelPath));
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Generates a map for a stack of slices: <paramref name="channels"/> holds one volume per manifest channel,
    /// each slices × rows × columns, already on one grid. Returns the map in ms on that grid.
    /// </summary>
    /// <param name="slicesNeeded">For inputs still being read: called before a batch's slices are read from
    /// <paramref name="channels"/>, with how many slices from the first it needs; returns once they are there.</param>
    public float[] Generate(IReadOnlyList<float[]> channels, int slices, int rows, int columns, IProgress<int>? slicesDone = null, Action<int>? slicesNeeded = null)
    {
        if (channels.Count != Manifest.Channels.Count)
        {
            throw new GeneratorException($"{Manifest.Name} takes {Manifest.Channels.Count} channels ({string.Join(", ", Manifest.Channels.Select(c => c.Series))}); {channels.Count} given.");
        }
        if (Manifest.TileOverlap is { } overlap)
        {
            return GenerateTiled(channels, slices, rows, columns, overlap, slicesDone, slicesNeeded);
        }
        var (height, width) = (Manifest.Height ?? rows, Manifest.Width ?? columns);
        var (sliceSize, planeSize) = (rows * columns, height * width);
        var (outScale, outOffset) = ((float)Manifest.OutputScaleMs, (float)Manifest.OutputOffsetMs);
        var result = new float[slices * sliceSize];
        RunInBatches(slices, channels.Count, height, width,
            fill: (first, count, input) =>
            {
                slicesNeeded?.Invoke(first + count);
                for (var b = 0; b < count; b++)
                {
                    for (var c = 0; c < channels.Count; c++)
                    {
                        var target = input.AsSpan((b * channels.Count + c) * planeSize, planeSize);
                        SliceResampler.Resize(channels[c].AsSpan((first + b) * sliceSize, sliceSize), rows, columns, target, height, width);
                        var (mean, scale) = ((float)Manifest.Channels[c].Mean, (float)Manifest.Channels[c].Scale);
                        for (var i = 0; i < target.Length; i++)
                        {
                            target[i] = (target[i] - mean) / scale;
                        }
                    }
                }
            },
            unpack: (first, count, output) =>
            {
                for (var b = 0; b < count; b++)
                {
                    var plane = output.AsSpan(b * planeSize, planeSize);
                    for (var i = 0; i < plane.Length; i++)
                    {
                        plane[i] = plane[i] * outScale + outOffset;
                    }
                    SliceResampler.Resize(plane, height, width, result.AsSpan((first + b) * sliceSize, sliceSize), rows, columns);
                }
            },
            done: n => slicesDone?.Report(n));
        return result;
    }

    /// <summary>
    /// Runs <paramref name="items"/> model inputs (slices or tiles) through the model in batches of the manifest's size, over
    /// two pairs of buffers that ONNX Runtime reads and writes in place: while it runs one batch, the next batch's input is
    /// filled and the previous batch's output unpacked on other threads, so the model waits on neither (on a GPU the
    /// CPU's part would otherwise stand between every two batches). Unpacking keeps batch order, one batch at a time,
    /// so outputs that add into the same pixels (overlapping tiles) add in the same order as in a plain loop.
    /// </summary>
    private void RunInBatches(int items, int channels, int height, int width, Action<int, int, float[]> fill, Action<int, int, float[]> unpack, Action<int> done)
    {
        var batch = Math.Max(1, Manifest.BatchSize);
        var planeSize = height * width;
        float[][] inputs = [new float[batch * channels * planeSize], new float[batch * channels * planeSize]];
        float[][] outputs = [new float[batch * planeSize], new float[batch * planeSize]];
        var batches = (items + batch - 1) / batch;
        Task Fill(int index) => Task.Run(() => fill(index * batch, Math.Min(batch, items - index * batch), inputs[index % 2]));
        var filling = Fill(0);
        var unpacking = Task.CompletedTask;
        Task[] unpackedFrom = [Task.CompletedTask, Task.CompletedTask];
        try
        {
            for (var index = 0; index < batches; index++)
            {
                var (first, count) = (index * batch, Math.Min(batch, items - index * batch));
                var (input, output) = (inputs[index % 2], outputs[index % 2]);
                filling.GetAwaiter().GetResult();
                // The batch two before last used this output buffer: it must be unpacked before the model overwrites it.
                unpackedFrom[index % 2].GetAwaiter().GetResult();
                if (index + 1 < batches)
                {
                    filling = Fill(index + 1);
                }
                using (var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, count * channels * planeSize), [count, channels, height, width]))
                using (var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(0, count * planeSize), [count, 1, height, width]))
                {
                    session.Run(runOptions, [Manifest.InputName], [inputValue], [Manifest.OutputName], [outputValue]);
                }
                var previous = unpacking;
                unpacking = unpackedFrom[index % 2] = Task.Run(() =>
                {
                    previous.GetAwaiter().GetResult();
                    unpack(first, count, output);
                });
                done(first + count);
            }
            unpacking.GetAwaiter().GetResult();
        }
        finally
        {
            // After a failed run no filling or unpacking may still write into the caller's arrays once this returns;
            // their own failures, if any, matter less than the one already on its way.
            Task.WhenAll(filling, unpacking).ContinueWith(_ => { }, TaskScheduler.Default).Wait();
        }
    }

    public void Dispose()
    {
        runOptions.Dispose();
        session.Dispose();
    }

    /// <summary>Which provider --device auto would use on this machine, and why not CUDA where it does not load.</summary>
    public static (string Provider, string? CudaProblem) DetectProvider()
    {
        try
        {
            var (options, provider) = SessionOptionsFor(GeneratorDevice.Cuda);
            options.Dispose();
            return (provider, null);
        }
        catch (GeneratorException e)
        {
            return ("CPU", e.Message);
        }
    }

    private static (SessionOptions Options, string Provider) SessionOptionsFor(GeneratorDevice device)
    {
        var options = new SessionOptions();
        if (device == GeneratorDevice.Cpu)
        {
            return (options, "CPU");
        }
        try
        {
            options.AppendExecutionProvider_CUDA(0);
            return (options, "CUDA");
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            Trace.TraceWarning($"CUDA execution provider did not load, running on the CPU: {FirstLine(e.Message)}");
            if (device == GeneratorDevice.Cuda)
            {
                options.Dispose();
                throw new GeneratorException($"--device cuda: the CUDA execution provider did not load on this machine ({FirstLine(e.Message)}). Use --device auto or cpu to run on the CPU.");
            }
            options.Dispose();
            return (new SessionOptions(), "CPU");
        }
    }

    private void CheckTensors(string file)
    {
        var expectedInput = $"[batch, {Manifest.Channels.Count}, {Manifest.Height?.ToString() ?? "height"}, {Manifest.Width?.ToString() ?? "width"}] float";
        if (!session.InputMetadata.TryGetValue(Manifest.InputName, out var input))
        {
            throw new GeneratorException($"{file}: no input tensor '{Manifest.InputName}' as the manifest says; the model's inputs are {Describe(session.InputMetadata)}.");
        }
        CheckTensor(file, "input", Manifest.InputName, input, Manifest.Channels.Count, expectedInput);
        if (!session.OutputMetadata.TryGetValue(Manifest.OutputName, out var output))
        {
            throw new GeneratorException($"{file}: no output tensor '{Manifest.OutputName}' as the manifest says; the model's outputs are {Describe(session.OutputMetadata)}.");
        }
        CheckTensor(file, "output", Manifest.OutputName, output, 1, $"[batch, 1, {Manifest.Height?.ToString() ?? "height"}, {Manifest.Width?.ToString() ?? "width"}] float");
    }

    private void CheckTensor(string file, string role, string name, NodeMetadata tensor, int channels, string expected)
    {
        var actual = Describe(tensor);
        string Mismatch(string what) => $"{file}: {role} tensor '{name}' {what}: the manifest expects {expected}, the model has {actual}.";
        if (!tensor.IsTensor || tensor.ElementDataType != TensorElementType.Float)
        {
            throw new GeneratorException(Mismatch("is not float"));
        }
        var dims = tensor.Dimensions;
        if (dims.Length != 4)
        {
            throw new GeneratorException(Mismatch($"has rank {dims.Length}, not 4"));
        }
        if (dims[1] >= 0 && dims[1] != channels)
        {
            throw new GeneratorException(Mismatch($"has {dims[1]} channels, not {channels}"));
        }
        if ((Manifest.Height is { } h && dims[2] >= 0 && dims[2] != h) || (Manifest.Width is { } w && dims[3] >= 0 && dims[3] != w))
        {
            throw new GeneratorException(Mismatch("has another in-plane size"));
        }
        if ((Manifest.Height is null && dims[2] >= 0) || (Manifest.Width is null && dims[3] >= 0))
        {
            throw new GeneratorException(Mismatch("has a fixed in-plane size the manifest does not give"));
        }
    }

    private void Probe(string file)
    {
        var (height, width) = (Manifest.Height ?? ProbeSize, Manifest.Width ?? ProbeSize);
        var zeros = Enumerable.Range(0, Manifest.Channels.Count).Select(_ => new float[height * width]).ToList();
        try
        {
            var map = Generate(zeros, 1, height, width);
            if (map.Length != height * width)
            {
                throw new GeneratorException($"{file}: a dummy inference gave {map.Length} values, not {height * width}.");
            }
        }
        catch (OnnxRuntimeException e)
        {
            throw new GeneratorException($"{file}: a dummy inference on [1, {Manifest.Channels.Count}, {height}, {width}] failed ({FirstLine(e.Message)}).");
        }
    }

    private static string Describe(IReadOnlyDictionary<string, NodeMetadata> tensors) =>
        string.Join(", ", tensors.Select(t => $"'{t.Key}' {Describe(t.Value)}"));

    private static string Describe(NodeMetadata tensor) =>
        $"[{string.Join(", ", tensor.Dimensions.Select((d, i) => d >= 0 ? d.ToString() : tensor.SymbolicDimensions.ElementAtOrDefault(i) is { Length: > 0 } s ? s : "?"))}] "
        + (tensor.IsTensor ? tensor.ElementDataType.ToString().ToLowerInvariant() : "non-tensor");

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
