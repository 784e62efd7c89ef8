using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Import;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Pacs;

public static class PacsApi
{
    public static WebApplicationBuilder AddReaderStudyPacs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PacsSettings>().BindConfiguration(PacsSettings.Section);
        builder.Services.AddHttpClient<DicomWebClient>(DicomWebClient.HttpClientName, (services, http) =>
            http.Timeout = TimeSpan.FromSeconds(Math.Max(1, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PacsSettings>>().Value.TimeoutSeconds)));
        builder.Services.AddScoped<PacsRetrieval>();
        return builder;
    }

    /// <summary>Coordinators search the configured PACS and pull series into their study; the server is the operator's setting.</summary>
    public static void MapPacsApi(this IEndpointRouteBuilder endpoints)
    {
        var study = endpoints.MapGroup("/api/studies/{studyId:guid}/pacs").RequireAuthorization(StudyPolicies.Coordinate);

        study.MapGet("/studies", async (Guid studyId, string? patientId, string? accessionNumber, PacsRetrieval pacs, CancellationToken ct) =>
        {
            try
            {
                return Results.Ok(await pacs.SearchAsync(studyId, patientId, accessionNumber, ct));
            }
            catch (PacsException e)
            {
                return Results.Problem(statusCode: 502, title: "PACS search failed", detail: e.Message);
            }
        });

        study.MapPost("/import", async (Guid studyId, PacsImportRequest request, PacsRetrieval pacs, CancellationToken ct) =>
        {
            try
            {
                var options = new ImportOptions { Deidentification = new DeidentificationOptions { CleanDescriptors = request.CleanDescriptors, RetainLongitudinalTemporalInformation = request.RetainDates } };
                return Results.Ok(await pacs.ImportAsync(studyId, request.Series, options, ct));
            }
            catch (PacsException e)
            {
                return Results.Problem(statusCode: 502, title: "PACS retrieval failed", detail: e.Message);
            }
        });
    }
}
