using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.T2Fitting;

public static class T2MapApi
{
    public static WebApplicationBuilder AddReaderStudyT2Maps(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<T2MapService>();
        return builder;
    }

    public static void MapT2MapApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/api/studies/{studyId:guid}/series/{seriesId:guid}/t2-fit",
                async (Guid studyId, Guid seriesId, T2FitRequest request, T2MapService service, CancellationToken ct) =>
                    Results.Ok(await service.FitAsync(studyId, seriesId, request, null, ct)))
            .RequireAuthorization(StudyPolicies.Coordinate);
}
