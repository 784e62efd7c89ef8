using Microsoft.ML.OnnxRuntime;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Imaging.Synthesis;

namespace ReaderStudy.Bench;

/// <summary>
/// Synthesis throughput with the 54 M-parameter pix2pix U-Net (tools/models/make_pix2pix_unet.py): DICOM in to DICOM
/// out through the app, against the bare ONNX Runtime call on the same tensors. The ratio is the app's overhead (goal &lt; 1.15).
/// </summary>
internal static class SynthesisBench
{
    private const int Slices = 32;
    private const int Rounds = 7;

    public static void Run(string modelPath, GeneratorDevice device)
    {
        var folder = Directory.CreateTempSubdirectory("readerstudy-bench-synth-").FullName;
        try
        {
            var manifest = GeneratorManifest.Read(GeneratorManifest.PathBeside(modelPath));
            PhantomGenerator.Generate(folder, 1, new KneePhantomOptions { Seed = 2, Size = 256, Slices = Slices });
            var subject = Directory.GetDirectories(folder).Single();
            string[] inputs = [.. new[] { "dess", "iw-tse", "t1" }.Take(manifest.Channels.Count).Select(s => Path.Combine(subject, s))];
            using var model = GeneratorModel.Open(modelPath, manifest, device);
            var output = Path.Combine(folder, "out");
            // The portal makes the map on the real map's grid: here one of 0.9 the pixel size, shifted 2 mm, so every input is co-registered.
            var grid = RealMapGrid(inputs[0], Path.Combine(folder, "real-map-grid"));
            var inModel = new List<double>();
            var outsideModel = new List<double>();
            void EndToEnd(string? gridOf)
            {
                if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
                var result = SyntheticMapPipeline.Run(model, inputs, output, gridOf: gridOf);
                if (gridOf is null)
                {
                    // Where the end-to-end time goes: the model's call (filling and unpacking the tensors with it, and
                    // decoding the pixels of inputs already on the map's grid, which overlaps it), and everything around
                    // it (reading the headers, or whole inputs that must be co-registered; writing the output series).
                    inModel.Add(result.Inference.TotalSeconds);
                    outsideModel.Add((result.Total - result.Inference).TotalSeconds);
                }
            }
            using var bare = new BareOnnxRuntime(modelPath, manifest, model.Provider);
            // The same pipeline with a 1x1 convolution in the U-Net's place (same channels, size and batches): what is left
            // is the work around the model alone, which on two cores ONNX Runtime keeps busy cannot hide behind it.
            var pointwise = Path.Combine(AppContext.BaseDirectory, "../../../../../tests/ReaderStudy.Testing/Models/three_channels.onnx");
            using var aroundModel = GeneratorModel.Open(pointwise, manifest with { OutputScaleMs = 1, OutputOffsetMs = 0 }, device);
            using var barePointwise = new BareOnnxRuntime(pointwise, manifest, model.Provider);
            void AroundAlone(string? gridOf)
            {
                if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
                SyntheticMapPipeline.Run(aroundModel, inputs, output, gridOf: gridOf);
            }
            // The three in turn, round after round, so that a busy spell of the machine weighs on all of them alike
            // (run one after the other, a drift between them showed as a ratio from 1.01 to 1.13 for the same code).
            Action[] runs = [() => EndToEnd(null), () => EndToEnd(grid), bare.Run, () => AroundAlone(null), () => AroundAlone(grid), barePointwise.Run];
            foreach (var run in runs) run();
            var times = runs.Select(_ => new List<double>()).ToArray();
            var cpu = runs.Select(_ => new List<double>()).ToArray();
            var allocated = new double[runs.Length];
            var process = System.Diagnostics.Process.GetCurrentProcess();
            for (var round = 0; round < Rounds; round++)
            {
                for (var r = 0; r < runs.Length; r++)
                {
                    var bytes = GC.GetTotalAllocatedBytes(precise: true);
                    process.Refresh();
                    var cpuBefore = process.TotalProcessorTime;
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    runs[r]();
                    times[r].Add(clock.Elapsed.TotalSeconds);
                    process.Refresh();
                    // CPU time is not charged for what another guest of a shared host takes (steal), so it varies less than wall.
                    cpu[r].Add((process.TotalProcessorTime - cpuBefore).TotalSeconds);
                    allocated[r] += (GC.GetTotalAllocatedBytes(precise: true) - bytes) / (double)(1 << 20) / Rounds;
                }
            }
            double Median(IEnumerable<double> values) => values.Order().ElementAt(Rounds / 2);
            var (endToEnd, coRegistered, bareSeconds) = (Median(times[0]), Median(times[1]), Median(times[2]));
            Console.WriteLine("| what | median | detail |");
            Console.WriteLine("|---|---|---|");
            Measure.Row($"synthesize end to end ({model.Provider}): {Slices} slices 256x256, 3 DICOM series in, 1 out", endToEnd,
                $"{Slices / endToEnd:F2} slices/s, {allocated[0]:F0} MB managed allocation per run");
            Measure.Row($"synthesize end to end ({model.Provider}), all {inputs.Length} inputs co-registered onto another grid", coRegistered,
                $"{Slices / coRegistered:F2} slices/s, {allocated[1]:F0} MB managed allocation per run");
            Measure.Row($"bare ONNX Runtime Run, same batches ({model.Provider})", bareSeconds, $"{Slices / bareSeconds:F2} slices/s");
            Console.WriteLine($"overhead ratio (end to end / bare), median of {Rounds} rounds' ratios: {Median(times[0].Zip(times[2], (e, b) => e / b)):F3}; "
                + $"with co-registration: {Median(times[1].Zip(times[2], (e, b) => e / b)):F3}");
            Console.WriteLine($"CPU time (all threads), end to end / bare, median of {Rounds} rounds' ratios: {Median(cpu[0].Zip(cpu[2], (e, b) => e / b)):F3} "
                + $"({Median(cpu[0]):F3} s / {Median(cpu[2]):F3} s); with co-registration: {Median(cpu[1].Zip(cpu[2], (e, b) => e / b)):F3}");
            Console.WriteLine($"end to end, split (medians of {Rounds} rounds): the model's call {Median(inModel.Skip(1)):F3} s "
                + $"({Median(inModel.Skip(1).Zip(times[2], (m, b) => m / b)):F3} of bare, decoding the inputs during it), reading headers and writing the series around it {Median(outsideModel.Skip(1)):F3} s");
            // The work around the model alone: the pipeline with the 1x1 convolution less that convolution run bare (its own
            // call and ONNX Runtime's idle spinning), over the bare U-Net; CPU time, which a busy neighbour on the host hardly moves.
            double Around(int r) => Median(cpu[r].Zip(cpu[5], (a, b) => a - b));
            Console.WriteLine($"the work around the model alone (the pipeline with a 1x1 convolution in its place, less that convolution bare), medians of {Rounds} rounds: "
                + $"{Around(3):F3} s of CPU, co-registered {Around(4):F3} s (the convolution bare: {Median(cpu[5]):F3} s of CPU, {Median(times[5]):F3} s wall)");
            Console.WriteLine($"bare + that work, over bare, by CPU time: {1 + Around(3) / Median(cpu[2]):F3}, co-registered {1 + Around(4) / Median(cpu[2]):F3}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string RealMapGrid(string dessFolder, string folder)
    {
        var dess = VolumeLoader.Stack(DicomScanner.Scan([dessFolder]).Images, dessFolder);
        var g = dess.Geometry;
        var grid = g with
        {
            ColumnSpacing = 0.9 * g.ColumnSpacing, RowSpacing = 0.9 * g.RowSpacing,
            Origin = [.. g.Origin.Zip(g.RowDirection, (o, r) => o + 2 * r)],
        };
        var source = dess.Slices[0];
        DicomSeriesWriter.Write(folder, new SeriesInfo
        {
            PatientName = "BENCH", PatientId = "BENCH", StudyInstanceUid = source.StudyInstanceUid, SeriesInstanceUid = DicomUids.New(),
            FrameOfReferenceUid = source.FrameOfReferenceUid, SeriesNumber = 900, SeriesDescription = "real T2 map grid", ImageType = "DERIVED\\SECONDARY\\T2 MAP",
        }, grid, new float[grid.Columns * grid.Rows * grid.Slices]);
        return folder;
    }

    // The same session options, batch size and tensor shapes as the app, with inputs already in memory.
    /// <summary>InferenceSession.Run alone on tensors of the pipeline's shapes and batch size, with the same session options.</summary>
    private sealed class BareOnnxRuntime : IDisposable
    {
        private readonly SessionOptions options = new();
        private readonly InferenceSession session;
        private readonly RunOptions runOptions = new();
        private readonly GeneratorManifest manifest;
        private readonly float[] input;
        private readonly (int Height, int Width, int Channels) shape;

        public BareOnnxRuntime(string modelPath, GeneratorManifest manifest, string provider)
        {
            if (provider == "CUDA")
            {
                options.AppendExecutionProvider_CUDA(0);
            }
            session = new InferenceSession(modelPath, options);
            this.manifest = manifest;
            shape = (manifest.Height ?? 256, manifest.Width ?? 256, manifest.Channels.Count);
            input = new float[manifest.BatchSize * shape.Channels * shape.Height * shape.Width];
            for (var i = 0; i < input.Length; i++) input[i] = (i % 977) / 977f;
        }

        public void Run()
        {
            var (height, width, channels) = shape;
            for (var first = 0; first < Slices; first += manifest.BatchSize)
            {
                var count = Math.Min(manifest.BatchSize, Slices - first);
                using var tensor = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, count * channels * height * width), [count, channels, height, width]);
                using var outputs = session.Run(runOptions, [manifest.InputName], [tensor], [manifest.OutputName]);
            }
        }

        public void Dispose()
        {
            session.Dispose();
            runOptions.Dispose();
            options.Dispose();
        }
    }
}
