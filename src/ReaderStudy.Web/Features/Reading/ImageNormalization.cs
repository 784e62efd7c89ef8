using System.Collections.Concurrent;
using ReaderStudy.Core.Reading.Presentation;
using ReaderStudy.Web.Features.Viewing;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>
/// Each stored image's normalization factor for arbitrary-unit studies (grayscale MR, mammography), computed once
/// over the whole image and kept: stored series never change, and a reader's slice requests must not re-read a volume.
/// </summary>
public sealed class ImageNormalization
{
    private readonly ConcurrentDictionary<(Guid Series, double Target), Task<double>> scales = new();

    public Task<double> ScaleAsync(SeriesVolumes volumes, Guid studyId, Guid seriesId, PresentationSettings settings, CancellationToken cancellationToken)
    {
        if (settings.NormalizeTo is not { } target)
        {
            return Task.FromResult(1.0);
        }
        var key = (seriesId, target);
        var task = scales.GetOrAdd(key, _ => ComputeAsync(volumes, studyId, seriesId, settings));
        // A failed computation (a database fault, a request gone) is not remembered: this caller computes afresh.
        if (task.IsFaulted || task.IsCanceled)
        {
            scales.TryRemove(new KeyValuePair<(Guid, double), Task<double>>(key, task));
            task = scales.GetOrAdd(key, _ => ComputeAsync(volumes, studyId, seriesId, settings));
        }
        return task.WaitAsync(cancellationToken);
    }

    private static async Task<double> ComputeAsync(SeriesVolumes volumes, Guid studyId, Guid seriesId, PresentationSettings settings)
    {
        var slices = await volumes.SlicesAsync(studyId, seriesId, 0, CancellationToken.None) ?? [];
        var values = new List<float>();
        foreach (var slice in slices)
        {
            values.AddRange(await volumes.ValuesAsync(slice, CancellationToken.None));
        }
        return MapPresentation.NormalizationScale(values, settings);
    }
}
