using ReaderStudy.Web.Features.Studies;
using ReaderStudy.Web.Features.T2Fitting;

namespace ReaderStudy.Web.Features.Viewing;

public static class ViewingApi
{
    public static WebApplicationBuilder AddReaderStudyViewing(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SeriesVolumes>();
        builder.Services.AddScoped<SegmentationOutlines>();
        builder.Services.AddSingleton<OutlinePlacements>();
        return builder;
    }

    /// <summary>The coordinator's view of imported and derived series. Readers never use these: their images come through the reading API.</summary>
    public static void MapViewingApi(this IEndpointRouteBuilder endpoints)
    {
        var series = endpoints.MapGroup("/api/studies/{studyId:guid}/series/{seriesId:guid}").RequireAuthorization(StudyPolicies.Coordinate);

        series.MapGet("/volume", async (Guid studyId, Guid seriesId, int? echo, SeriesVolumes volumes, SegmentationOutlines outlines, UnreliableVoxels unreliable, CancellationToken ct) =>
        {
            var volume = await volumes.DescribeAsync(studyId, seriesId, echo ?? 0, $"/api/studies/{studyId}/series/{seriesId}/slices/{{index}}?echo={echo ?? 0}", ct);
            if (volume is null)
            {
                return Results.NotFound();
            }
            // The coordinator sees the subject's segmentation over any series on its grid, to check that they agree,
            // and a fitted map's unreliable voxels, which the map itself stores as 0 ms like the background.
            return Results.Ok(volume with
            {
                OutlineUrlTemplate = await outlines.AvailableAsync(studyId, seriesId, ct) ? $"/api/studies/{studyId}/series/{seriesId}/outline/{{index}}" : null,
                UnreliableUrlTemplate = await unreliable.AvailableAsync(studyId, seriesId, ct) ? $"/api/studies/{studyId}/series/{seriesId}/unreliable/{{index}}" : null,
            });
        });

        series.MapGet("/slices/{index:int}", async (Guid studyId, Guid seriesId, int index, int? echo, SeriesVolumes volumes, CancellationToken ct) =>
            await volumes.SliceAsync(studyId, seriesId, echo ?? 0, index, ct) is { } bytes
                ? Results.Bytes(bytes, "application/octet-stream")
                : Results.NotFound());

        series.MapGet("/outline/{index:int}", async (Guid studyId, Guid seriesId, int index, SegmentationOutlines outlines, CancellationToken ct) =>
            await outlines.SliceAsync(studyId, seriesId, index, ct) is { } labels
                ? Results.Bytes(labels, "application/octet-stream")
                : Results.NotFound());

        series.MapGet("/unreliable/{index:int}", async (Guid studyId, Guid seriesId, int index, UnreliableVoxels unreliable, CancellationToken ct) =>
            await unreliable.SliceAsync(studyId, seriesId, index, ct) is { } fits
                ? Results.Bytes(fits, "application/octet-stream")
                : Results.NotFound());
    }
}
