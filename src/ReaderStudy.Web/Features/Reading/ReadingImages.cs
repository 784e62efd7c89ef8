using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Reading.Blinding;
using ReaderStudy.Core.Reading.Presentation;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.Viewing;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>
/// The one place a reader's images come from. An image is addressed by a random token of a trial side. Both
/// images of a pair are described with the real map's geometry and the study's presentation, and their values
/// go through <see cref="MapPresentation"/> with the same settings and the same common background, so what the
/// browser receives is one function of the study's presentation settings, never of how a map was made.
/// The blinding check (<see cref="ServeCaseAsync"/>) builds its evidence through exactly these methods.
/// </summary>
public sealed class ReadingImages(IDbContextFactory<ReaderStudyDbContext> dbFactory, SeriesVolumes volumes, ImageNormalization normalization, SegmentationOutlines outlines,
    IOptions<ReadingSettings> settings)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public const string ContentType = "application/octet-stream";

    /// <summary>The headers every reading image leaves with, whichever map it is; nothing is cached where another user could find it.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Headers =
    [
        new("Cache-Control", "no-store, private"),
        new("X-Content-Type-Options", "nosniff"),
    ];

    /// <summary>A trial side's image: the image shown, the other image of its pair (for the common background), the real one (for geometry), and how the study presents them.</summary>
    public sealed record ResolvedImage(Guid StudyId, Guid ShownSeriesId, Guid OtherSeriesId, Guid GeometrySeriesId, PresentationSettings Presentation, StudyKindProfile Profile, string Colormap,
        bool Outline = false);

    /// <summary>The image behind a token, if the token belongs to one of this reader's trials in an open study (null otherwise).</summary>
    public async Task<ResolvedImage?> ResolveAsync(string readerId, string token, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var hit = await (from t in db.Trials
                         join c in db.Cases on t.CaseId equals c.Id
                         join s in db.Studies on t.StudyId equals s.Id
                         where t.ReaderId == readerId && (t.LeftImageToken == token || t.RightImageToken == token) && s.State == StudyState.Open
                         select new { t.LeftImageToken, t.RealOnLeft, c.RealSeriesId, c.SyntheticSeriesId, Study = s })
            .SingleOrDefaultAsync(cancellationToken);
        var left = hit?.LeftImageToken == token;
        // Single-image reading shows one image per trial: the other map of the pair is not the reader's to fetch.
        if (hit is null || (hit.Study.ReadingMode.ShowsOneImage() && !left))
        {
            return null;
        }
        var (shown, other) = left == hit.RealOnLeft ? (hit.RealSeriesId, hit.SyntheticSeriesId) : (hit.SyntheticSeriesId, hit.RealSeriesId);
        return new ResolvedImage(hit.Study.Id, shown, other, hit.RealSeriesId, hit.Study.Presentation(), hit.Study.Profile, hit.Study.Colormap, hit.Study.OutlineSegmentation);
    }

    /// <summary>The description JSON exactly as the reader's browser receives it.</summary>
    public async Task<string?> DescribeAsync(ResolvedImage image, string token, CancellationToken cancellationToken)
    {
        var geometry = await volumes.DescribeAsync(image.StudyId, image.GeometrySeriesId, 0, SliceUrlTemplate(token), cancellationToken);
        return geometry is null ? null : await SerializeAsync(Present(geometry, image, token), image, cancellationToken);
    }

    /// <summary>
    /// The subject's segmentation on the slice, for outlines, where the study shows them: placed on the real map's grid
    /// (the geometry of both images), so the same bytes for either image of the pair.
    /// </summary>
    public Task<byte[]?> OutlineAsync(ResolvedImage image, int index, CancellationToken cancellationToken) =>
        image.Outline ? outlines.SliceAsync(image.StudyId, image.GeometrySeriesId, index, cancellationToken) : Task.FromResult<byte[]?>(null);

    /// <summary>
    /// One slice as the reader's browser receives it: presented float32 values, or null where either map of the pair
    /// lacks the slice (the geometry's real map is always one of the two, so its slice count bounds the index too).
    /// </summary>
    public async Task<byte[]?> SliceAsync(ResolvedImage image, int index, CancellationToken cancellationToken)
    {
        var shown = await volumes.SliceValuesAsync(image.StudyId, image.ShownSeriesId, 0, index, cancellationToken);
        var other = await volumes.SliceValuesAsync(image.StudyId, image.OtherSeriesId, 0, index, cancellationToken);
        if (shown is null || other is null)
        {
            return null;
        }
        var scale = await normalization.ScaleAsync(volumes, image.StudyId, image.ShownSeriesId, image.Presentation, cancellationToken);
        return PresentedBytes(shown, other, image.Presentation, scale);
    }

    /// <summary>
    /// For the blinding check: everything a reader's browser would receive for both maps of a case, built by the
    /// methods the endpoints use, each slice read once for the pair.
    /// </summary>
    public async Task<(ServedImage Real, ServedImage Synthetic)> ServeCaseAsync(Study study, ReadingCase readingCase, int tokenLength, CancellationToken cancellationToken)
    {
        var (studyId, presentation, profile) = (study.Id, study.Presentation(), study.Profile);
        var token = new string('x', tokenLength);
        var real = new ResolvedImage(studyId, readingCase.RealSeriesId, readingCase.SyntheticSeriesId, readingCase.RealSeriesId, presentation, profile, study.Colormap, study.OutlineSegmentation);
        var synthetic = real with { ShownSeriesId = readingCase.SyntheticSeriesId, OtherSeriesId = readingCase.RealSeriesId };
        var geometry = await volumes.DescribeAsync(studyId, readingCase.RealSeriesId, 0, SliceUrlTemplate(token), cancellationToken);
        var slices = geometry?.Slices ?? 0;
        var realSlices = await volumes.SlicesAsync(studyId, readingCase.RealSeriesId, 0, cancellationToken) ?? [];
        var syntheticSlices = await volumes.SlicesAsync(studyId, readingCase.SyntheticSeriesId, 0, cancellationToken) ?? [];
        var (realBytes, syntheticBytes) = (new byte[]?[slices], new byte[]?[slices]);
        var realScale = await normalization.ScaleAsync(volumes, studyId, readingCase.RealSeriesId, presentation, cancellationToken);
        var syntheticScale = await normalization.ScaleAsync(volumes, studyId, readingCase.SyntheticSeriesId, presentation, cancellationToken);
        for (var i = 0; i < slices; i++)
        {
            var r = i < realSlices.Count ? await volumes.ValuesAsync(realSlices[i], cancellationToken) : null;
            var s = i < syntheticSlices.Count ? await volumes.ValuesAsync(syntheticSlices[i], cancellationToken) : null;
            (realBytes[i], syntheticBytes[i]) = r is null || s is null ? (null, null) : (PresentedBytes(r, s, presentation, realScale), PresentedBytes(s, r, presentation, syntheticScale));
        }
        async Task<ServedImage> Served(ResolvedImage image, byte[]?[] bytes) => new(
            geometry is null ? "" : await SerializeAsync(Present(geometry, image, token), image, cancellationToken),
            HeaderText(), geometry?.Rows ?? 0, geometry?.Columns ?? 0, bytes);
        return (await Served(real, realBytes), await Served(synthetic, syntheticBytes));
    }

    private static string SliceUrlTemplate(string token) => $"/api/reading/images/{token}/slices/{{index}}";

    // What the browser is told follows from the study alone: its kind's quantity, units, colour map, presets and slicing.
    private static VolumeDescription Present(VolumeDescription geometry, ResolvedImage image, string token) =>
        geometry with
        {
            Quantity = image.Profile.Quantity, Units = image.Profile.Units, DisplayRange = [image.Presentation.RangeMin, image.Presentation.RangeMax],
            Colormap = image.Profile.Colormaps.Contains(image.Colormap) ? image.Colormap : image.Profile.Colormap,
            ValueStep = image.Presentation.Step > 0 ? image.Presentation.Step : null, Presets = image.Profile.Presets, ScrollsSlices = image.Profile.Slices,
            OutlineUrlTemplate = image.Outline ? $"/api/reading/images/{token}/outline/{{index}}" : null,
        };

    private async Task<string> SerializeAsync(VolumeDescription description, ResolvedImage image, CancellationToken cancellationToken)
    {
        var node = JsonSerializer.SerializeToNode(description, Json)!.AsObject();
        if (settings.Value.ExposeSeriesDescription)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            node["seriesDescription"] = await db.Series.Where(s => s.Id == image.ShownSeriesId).Select(s => s.Description).SingleAsync(cancellationToken);
        }
        return node.ToJsonString(Json);
    }

    private static byte[]? PresentedBytes(float[] shown, float[] other, PresentationSettings presentation, double scale) =>
        shown.Length == other.Length ? SeriesVolumes.ToBytes(MapPresentation.Present(shown, other, presentation, scale)) : null;

    private static string HeaderText() => string.Join("\n", Headers.Select(h => $"{h.Key}: {h.Value}").Append($"Content-Type: {ContentType}"));
}
