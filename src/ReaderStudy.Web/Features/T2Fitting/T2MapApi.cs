using System.Security.Claims;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.T2Fitting;

public static class T2MapApi
{
    public static WebApplicationBuilder AddReaderStudyT2Maps(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<T2MapService>();
        builder.Services.AddScoped<T2FitBatches>();
        builder.Services.AddScoped<T2FitWorker>();
        builder.Services.AddScoped<UnreliableVoxels>();
        return builder;
    }

    public static void MapT2MapApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/studies/{studyId:guid}/series/{seriesId:guid}/t2-fit",
                async (Guid studyId, Guid seriesId, T2FitRequest request, T2MapService service, CancellationToken ct) =>
                    Results.Ok(await service.FitAsync(studyId, seriesId, request, cancellationToken: ct)))
            .RequireAuthorization(StudyPolicies.Coordinate);

        var batches = endpoints.MapGroup("/api/studies/{studyId:guid}/t2-fit-batches").RequireAuthorization(StudyPolicies.Coordinate);
        batches.MapGet("", (Guid studyId, T2FitBatches service, CancellationToken ct) => service.ListAsync(studyId, ct));
        batches.MapPost("", async (Guid studyId, NewT2FitBatch request, T2FitBatches service, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok(await service.StartAsync(studyId, request, user.Identity?.Name ?? "coordinator", ct)));
        batches.MapPost("/{batchId:guid}/cancel", async (Guid studyId, Guid batchId, T2FitBatches service, CancellationToken ct) =>
            await service.CancelAsync(studyId, batchId, ct) ? Results.NoContent() : Results.NotFound());
    }
}
