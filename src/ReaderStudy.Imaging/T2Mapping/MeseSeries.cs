using ReaderStudy.Core.T2Mapping;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.T2Mapping;

/// <summary>A MESE series read from DICOM: its echo train, geometry, and the instances a derived map references.</summary>
public sealed record MeseSeries(EchoTrain Train, LoadedVolume FirstEcho, IReadOnlyList<LoadedVolume> EchoVolumes)
{
    /// <summary>Groups a series' images by echo (Echo Numbers, else Echo Time) and checks that the echoes form a train.</summary>
    public static MeseSeries FromImages(IReadOnlyList<DicomImage> images)
    {
        var first = images[0];
        var name = $"MESE series {first.SeriesNumber?.ToString() ?? first.SeriesInstanceUid} ('{first.SeriesDescription}')";
        if (images.Any(i => i.EchoTime is null))
        {
            throw new T2FitException($"{name}: {images.Count(i => i.EchoTime is null)} image(s) have no echo time.");
        }
        var byEchoTime = images.GroupBy(i => i.EchoTime!.Value).OrderBy(g => g.Key).ToList();
        var echoTimes = byEchoTime.Select(g => g.Key).ToList();
        var slicesPerEcho = byEchoTime.Select(g => g.Count()).ToList();
        var expected = slicesPerEcho.Max();
        if (slicesPerEcho.Distinct().Count() > 1)
        {
            // An echo time with twice the slices is a duplicated echo; one with fewer is a missing echo image.
            var odd = byEchoTime.First(g => g.Count() != slicesPerEcho.GroupBy(c => c).MaxBy(c => c.Count())!.Key);
            var typical = slicesPerEcho.GroupBy(c => c).MaxBy(c => c.Count())!.Key;
            throw new T2FitException(odd.Count() > typical
                ? $"{name}: echo times {string.Join(", ", echoTimes)} ms: duplicated echo time {odd.Key} ms ({odd.Count()} images, others {typical})."
                : $"{name}: echo time {odd.Key} ms has {odd.Count()} images, others {typical}: missing echo images.");
        }
        if (echoTimes.Count < 2)
        {
            throw new T2FitException($"{name}: only one echo time ({echoTimes[0]} ms); a T2 fit needs an echo train.");
        }
        var volumes = byEchoTime.Select(g => VolumeLoader.Stack([.. g], $"{name}, echo {g.Key} ms")).ToList();
        return new MeseSeries(new EchoTrain(name, echoTimes, [.. volumes.Select(v => v.Values)]), volumes[0], volumes);
    }
}
