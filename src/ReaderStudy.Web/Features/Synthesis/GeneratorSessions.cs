using System.Collections.Concurrent;
using ReaderStudy.Core.Synthesis;

namespace ReaderStudy.Web.Features.Synthesis;

/// <summary>One open ONNX Runtime session per registered generator, shared by every request: opening one (and a CUDA context) costs seconds.</summary>
public sealed class GeneratorSessions : IDisposable
{
    private readonly ConcurrentDictionary<Guid, Lazy<GeneratorModel>> open = new();

    public GeneratorModel Open(Guid generatorId, string path, GeneratorManifest manifest) =>
        open.GetOrAdd(generatorId, _ => new Lazy<GeneratorModel>(() => GeneratorModel.Open(path, manifest, GeneratorDevice.Auto))).Value;

    public void Dispose()
    {
        foreach (var model in open.Values.Where(m => m.IsValueCreated))
        {
            model.Value.Dispose();
        }
    }
}
