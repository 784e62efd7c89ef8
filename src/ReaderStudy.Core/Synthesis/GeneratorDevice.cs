namespace ReaderStudy.Core.Synthesis;

/// <summary>Auto: the CUDA provider when it loads, the CPU otherwise. Cuda: CUDA or an error.</summary>
public enum GeneratorDevice
{
    Auto,
    Cpu,
    Cuda,
}
