using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Reading;
using ReaderStudy.Web.Features.Viewing;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>
/// The one place a reader's images come from. An image is addressed by a random token of a trial side;
/// both images of a pair get the geometry of the real map, the study's fixed display range and the same
/// colour map, so what the browser receives differs only in pixel values.
/// </summary>
public sealed class ReadingImages(IDbContextFactory<ReaderStudyDbContext> dbFactory, SeriesVolumes volumes, IOptions<ReadingSettings> settings)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record ResolvedImage(Guid StudyId, Guid ValuesSeriesId, Guid GeometrySeriesId, double DisplayMin, double DisplayMax);

    /// <summary>The image behind a token, if the token belongs to one of this reader's trials (null otherwise).</summary>
    public async Task<ResolvedImage?> ResolveAsync(string readerId, string token, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var hit = await (from t in db.Trials
                         join c in db.Cases on t.CaseId equals c.Id
                         join s in db.Studies on t.StudyId equals s.Id
                         where t.ReaderId == readerId && (t.LeftImageToken == token || t.RightImageToken == token) && s.State != Core.Studies.StudyState.Draft
                         select new { t.LeftImageToken, t.RealOnLeft, c.RealSeriesId, c.SyntheticSeriesId, s.Id, s.DisplayMin, s.DisplayMax })
            .SingleOrDefaultAsync(cancellationToken);
        if (hit is null)
        {
            return null;
        }
        var left = hit.LeftImageToken == token;
        var real = left == hit.RealOnLeft;
        return new ResolvedImage(hit.Id, real ? hit.RealSeriesId : hit.SyntheticSeriesId, hit.RealSeriesId, hit.DisplayMin, hit.DisplayMax);
    }

    /// <summary>The description JSON exactly as the reader's browser receives it.</summary>
    public async Task<string?> DescribeAsync(ResolvedImage image, string token, CancellationToken cancellationToken)
    {
        var geometry = await volumes.DescribeAsync(image.StudyId, image.GeometrySeriesId, 0, $"/api/reading/images/{token}/slices/{{index}}", cancellationToken);
        if (geometry is null)
        {
            return null;
        }
        var description = geometry with { Quantity = "T2", Units = "ms", Colormap = "viridis", DisplayRange = [image.DisplayMin, image.DisplayMax] };
        var node = JsonSerializer.SerializeToNode(description, Json)!.AsObject();
        if (settings.Value.ExposeSeriesDescription)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            node["seriesDescription"] = await db.Series.Where(s => s.Id == image.ValuesSeriesId).Select(s => s.Description).SingleAsync(cancellationToken);
        }
        return node.ToJsonString(Json);
    }

    public Task<byte[]?> SliceAsync(ResolvedImage image, int index, CancellationToken cancellationToken) =>
        volumes.SliceAsync(image.StudyId, image.ValuesSeriesId, 0, index, cancellationToken);
}
