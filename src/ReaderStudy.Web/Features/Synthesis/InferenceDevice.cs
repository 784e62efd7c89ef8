using ReaderStudy.Core.Synthesis;

namespace ReaderStudy.Web.Features.Synthesis;

/// <summary>Where this server runs synthetic-map generators, found once (loading the CUDA provider takes a moment) and logged.</summary>
public sealed class InferenceDevice(ILogger<InferenceDevice> logger)
{
    private readonly Lazy<(string Provider, string? CudaProblem)> detected = new(() =>
    {
        var found = GeneratorModel.DetectProvider();
        logger.LogInformation("Synthetic maps run on {Provider}{Why}", found.Provider, found.CudaProblem is null ? "" : $" ({found.CudaProblem})");
        return found;
    });

    public string Provider => detected.Value.Provider;

    public string Description => detected.Value.CudaProblem is null
        ? "Synthetic maps run on the GPU (ONNX Runtime CUDA provider)."
        : "Synthetic maps run on the CPU: the ONNX Runtime CUDA provider did not load on this server.";
}

