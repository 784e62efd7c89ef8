namespace ReaderStudy.Core.T2Mapping;

/// <summary>A multi-echo spin-echo acquisition: one volume per echo, all on the same voxel grid.</summary>
public sealed class EchoTrain
{
    public EchoTrain(string name, IReadOnlyList<double> echoTimesMs, IReadOnlyList<float[]> echoes)
    {
        if (echoTimesMs.Count != echoes.Count)
        {
            throw new T2FitException($"{name}: {echoTimesMs.Count} echo times for {echoes.Count} echo volumes.");
        }
        var duplicated = echoTimesMs.GroupBy(t => t).FirstOrDefault(g => g.Count() > 1);
        if (duplicated is not null)
        {
            throw new T2FitException($"{name}: echo times {string.Join(", ", echoTimesMs)} ms: duplicated echo time {duplicated.Key} ms.");
        }
        if (echoTimesMs.Any(t => !double.IsFinite(t) || t <= 0))
        {
            throw new T2FitException($"{name}: echo times {string.Join(", ", echoTimesMs)} ms: every echo time must be a positive number.");
        }
        if (echoes.Count < 2)
        {
            throw new T2FitException($"{name}: a T2 fit needs at least two echoes, got {echoes.Count}.");
        }
        if (echoes.Select(e => e.Length).Distinct().Count() != 1)
        {
            throw new T2FitException($"{name}: echo volumes differ in size ({string.Join(", ", echoes.Select(e => e.Length))} voxels).");
        }
        var order = Enumerable.Range(0, echoes.Count).OrderBy(i => echoTimesMs[i]).ToArray();
        Name = name;
        EchoTimesMs = [.. order.Select(i => echoTimesMs[i])];
        Echoes = [.. order.Select(i => echoes[i])];
    }

    public string Name { get; }
    public IReadOnlyList<double> EchoTimesMs { get; }
    public IReadOnlyList<float[]> Echoes { get; }
    public int VoxelCount => Echoes[0].Length;
}
