using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Storage;
using ReaderStudy.Core.Studies;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Web.Features.Viewing;

/// <summary>Serves a stored series to the viewer: its geometry, then each slice's physical values as float32.</summary>
public sealed class SeriesVolumes(IDbContextFactory<ReaderStudyDbContext> dbFactory, IImageStore store)
{
    /// <summary>Slices of one volume in display order: for a MESE series, the first echo's slices (echo chosen by the caller).</summary>
    public async Task<IReadOnlyList<SeriesImage>?> SlicesAsync(Guid studyId, Guid seriesId, int echo, CancellationToken cancellationToken) =>
        (await LoadAsync(studyId, seriesId, echo, cancellationToken))?.Slices;

    // The series' kind and its slices in display order, in one query.
    private async Task<(SeriesKind Kind, IReadOnlyList<SeriesImage> Slices)?> LoadAsync(Guid studyId, Guid seriesId, int echo, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var series = await db.Series.AsNoTracking().Include(s => s.Images).SingleOrDefaultAsync(s => s.StudyId == studyId && s.Id == seriesId, cancellationToken);
        if (series is null)
        {
            return null;
        }
        await Features.Retention.StudyRetention.EnsureImagesKeptAsync(db, studyId, cancellationToken);
        var echoes = series.Images.Select(i => i.EchoTimeMs).Distinct().Order().ToList();
        var wanted = echoes.Count > 1 ? echoes[Math.Clamp(echo, 0, echoes.Count - 1)] : echoes.FirstOrDefault();
        return (series.Kind, [.. series.Images.Where(i => echoes.Count <= 1 || i.EchoTimeMs == wanted).OrderBy(i => i.SlicePosition)]);
    }

    public async Task<VolumeDescription?> DescribeAsync(Guid studyId, Guid seriesId, int echo, string sliceUrlTemplate, CancellationToken cancellationToken)
    {
        if (await LoadAsync(studyId, seriesId, echo, cancellationToken) is not (var kind, var slices) || slices.Count == 0)
        {
            return null;
        }
        if (kind == SeriesKind.Segmentation)
        {
            // One multi-frame file: its slices are the frames' planes, its values the segment numbers.
            var seg = await SegmentationAsync(slices[0], cancellationToken);
            var (planes, labels) = seg.LabelVolume();
            return new VolumeDescription(seg.Rows, seg.Columns, planes.Count, seg.PixelSpacing[0], seg.PixelSpacing[1], seg.Orientation[..3], seg.Orientation[3..],
                planes, "segment", "", [0, Math.Max(1, labels.Max())], "gray", sliceUrlTemplate, ValueStep: 1);
        }
        var images = new List<DicomImage>();
        foreach (var slice in slices)
        {
            images.Add(DicomReader.Read(await store.GetLocalPathAsync(slice.ContentHash, cancellationToken)));
        }
        var first = images[0];
        var orientation = first.ImageOrientation.Length == 6 ? first.ImageOrientation : [1, 0, 0, 0, 1, 0];
        var spacing = first.PixelSpacing.Length == 2 ? first.PixelSpacing : [1, 1];
        // A map in its profile's colours and range; CT in HU, opening in the soft-tissue window; anything else in grey
        // over the range that holds most of its signal.
        var (map, ct) = (StudyKindProfile.QuantitativeMap, StudyKindProfile.Ct);
        var soft = ct.Presets.Single(p => p.Name == "Soft tissue");
        var (quantity, units, range, colormap, presets) =
            kind == SeriesKind.T2Map ? (map.Quantity, map.Units, new[] { map.DisplayMin, map.DisplayMax }, map.Colormap, map.Presets)
            : first.Modality == "CT" ? (ct.Quantity, ct.Units, new[] { soft.Lower, soft.Upper }, "gray", ct.Presets)
            : ("signal", "", Percentiles(images), "gray", (IReadOnlyList<WindowPreset>?)null);
        return new VolumeDescription(first.Rows, first.Columns, images.Count, spacing[0], spacing[1], orientation[..3], orientation[3..],
            [.. images.Select(i => i.ImagePosition.Length == 3 ? i.ImagePosition : [0, 0, i.SlicePosition()])],
            quantity, units, range, colormap, sliceUrlTemplate, Presets: presets);
    }

    public async Task<byte[]?> SliceAsync(Guid studyId, Guid seriesId, int echo, int index, CancellationToken cancellationToken) =>
        await SliceValuesAsync(studyId, seriesId, echo, index, cancellationToken) is { } values ? ToBytes(values) : null;

    /// <summary>A slice's physical values as stored, or null where the series has no such slice.</summary>
    public async Task<float[]?> SliceValuesAsync(Guid studyId, Guid seriesId, int echo, int index, CancellationToken cancellationToken)
    {
        if (await LoadAsync(studyId, seriesId, echo, cancellationToken) is not (var kind, var slices))
        {
            return null;
        }
        if (kind == SeriesKind.Segmentation && slices is [var only])
        {
            var seg = await SegmentationAsync(only, cancellationToken);
            var (positions, labels) = seg.LabelVolume();
            var length = seg.Rows * seg.Columns;
            return index < 0 || index >= positions.Count ? null : labels[(index * length)..((index + 1) * length)];
        }
        return index < 0 || index >= slices.Count ? null : await ValuesAsync(slices[index], cancellationToken);
    }

    private async Task<DicomSegmentation> SegmentationAsync(SeriesImage file, CancellationToken cancellationToken) =>
        DicomSegmentation.Read(await store.GetLocalPathAsync(file.ContentHash, cancellationToken));

    public async Task<float[]> ValuesAsync(SeriesImage slice, CancellationToken cancellationToken) =>
        DicomReader.Read(await store.GetLocalPathAsync(slice.ContentHash, cancellationToken)).DisplayValues();

    public static byte[] ToBytes(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    // A display window that ignores the brightest 0.5 % (fluid, fat) so tissue contrast is visible at first sight.
    private static double[] Percentiles(IReadOnlyList<DicomImage> images)
    {
        var values = images.SelectMany(i => i.DisplayValues()).Where(v => v > 0).Order().ToArray();
        return values.Length == 0 ? [0, 1] : [0, values[(int)(values.Length * 0.995)]];
    }
}
