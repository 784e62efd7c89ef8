using ReaderStudy.Web.Components;
using System.Security.Claims;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Series;
using ReaderStudy.Web.Features.Accounts;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Reading;

public static class ReadingApi
{
    public static WebApplicationBuilder AddReaderStudyReading(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ReadingSettings>(builder.Configuration.GetSection(ReadingSettings.Section));
        builder.Services.AddScoped<ReadingDesign>();
        builder.Services.AddScoped<CaseChoices>();
        builder.Services.AddScoped<ReadingService>();
        builder.Services.AddScoped<ReadingImages>();
        builder.Services.AddScoped<ReadingContext>();
        builder.Services.AddSingleton<ImageNormalization>();
        builder.Services.AddScoped<ReadingOversight>();
        builder.Services.AddScoped<BlindingCheck>();
        return builder;
    }

    public static void MapReadingApi(this IEndpointRouteBuilder endpoints)
    {
        // Everything a reader's browser receives passes through these endpoints (see ReadingImages).
        var reading = endpoints.MapGroup("/api/reading").RequireAuthorization(PortalPolicies.Read);

        reading.MapGet("/studies/{studyId:guid}/session", (Guid studyId, ClaimsPrincipal user, ReadingService service, CancellationToken ct) =>
            service.SessionAsync(user, studyId, ct)).RequireAuthorization(StudyPolicies.Read);

        reading.MapGet("/trials/{trialId:guid}", async (Guid trialId, ClaimsPrincipal user, ReadingService service, CancellationToken ct) =>
            await service.TrialAsync(user, trialId, ct) is { } trial ? Results.Ok(trial) : Results.NotFound());

        reading.MapPut("/trials/{trialId:guid}/answers", async (Guid trialId, AnswerInput answer, ClaimsPrincipal user, ReadingService service, CancellationToken ct) =>
        {
            try
            {
                await service.SaveAnswerAsync(user, trialId, answer, ct);
                return Results.NoContent();
            }
            catch (KeyNotFoundException)
            {
                return Results.NotFound();
            }
        });

        reading.MapPost("/trials/{trialId:guid}/submit", async (Guid trialId, double? seconds, ClaimsPrincipal user, ReadingService service, CancellationToken ct) =>
        {
            try
            {
                return Results.Ok(await service.SubmitAsync(user, trialId, seconds ?? 0, ct));
            }
            catch (KeyNotFoundException)
            {
                return Results.NotFound();
            }
        });

        // Time on a case the browser reports when the reader leaves it without submitting (another case, the tab closed).
        reading.MapPost("/trials/{trialId:guid}/time", async (Guid trialId, CaseTime time, ClaimsPrincipal user, ReadingService service, CancellationToken ct) =>
        {
            await service.AddTimeAsync(user, trialId, time.Seconds, ct);
            return Results.NoContent();
        });
        reading.MapPost("/trials/{trialId:guid}/events", async (Guid trialId, List<ViewerEventInput> events, ClaimsPrincipal user, ReadingService service, CancellationToken ct) =>
            await service.LogEventsAsync(user, trialId, events, ct) ? Results.NoContent() : Results.NotFound());

        reading.MapGet("/images/{token}/volume", async (string token, ClaimsPrincipal user, ReadingImages images, HttpContext http, CancellationToken ct) =>
        {
            var image = await images.ResolveAsync(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", token, ct);
            var json = image is null ? null : await images.DescribeAsync(image, token, ct);
            SameHeaders(http);
            return json is null ? Results.NotFound() : Results.Text(json, "application/json");
        });

        reading.MapGet("/images/{token}/slices/{index:int}", async (string token, int index, ClaimsPrincipal user, ReadingImages images, HttpContext http, CancellationToken ct) =>
        {
            var image = await images.ResolveAsync(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", token, ct);
            var bytes = image is null ? null : await images.SliceAsync(image, index, ct);
            SameHeaders(http);
            return bytes is null ? Results.NotFound() : Results.Bytes(bytes, ReadingImages.ContentType);
        });

        // The context pane: the subject's anatomic series the study names, one for both images.
        reading.MapGet("/trials/{trialId:guid}/context/volume", async (Guid trialId, ClaimsPrincipal user, ReadingContext context, HttpContext http, CancellationToken ct) =>
        {
            var volume = await context.DescribeAsync(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", trialId, ct);
            SameHeaders(http);
            return volume is null ? Results.NotFound() : Results.Ok(volume);
        });
        reading.MapGet("/trials/{trialId:guid}/context/slices/{index:int}", async (Guid trialId, int index, ClaimsPrincipal user, ReadingContext context, HttpContext http, CancellationToken ct) =>
        {
            var bytes = await context.SliceAsync(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", trialId, index, ct);
            SameHeaders(http);
            return bytes is null ? Results.NotFound() : Results.Bytes(bytes, ReadingImages.ContentType);
        });

        // The subject's segmentation for outlines, where the study shows them: the same bytes for both images of a pair.
        reading.MapGet("/images/{token}/outline/{index:int}", async (string token, int index, ClaimsPrincipal user, ReadingImages images, HttpContext http, CancellationToken ct) =>
        {
            var image = await images.ResolveAsync(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", token, ct);
            var labels = image is null ? null : await images.OutlineAsync(image, index, ct);
            SameHeaders(http);
            return labels is null ? Results.NotFound() : Results.Bytes(labels, ReadingImages.ContentType);
        });

        var design = endpoints.MapGroup("/api/studies/{studyId:guid}/reading").RequireAuthorization(StudyPolicies.Coordinate);
        design.MapPut("/settings", async (Guid studyId, ReadingSettingsChange change, ReadingOversight oversight, CancellationToken ct) =>
        {
            await oversight.ChangeSettingsAsync(studyId, change, ct);
            return Results.NoContent();
        });
        design.MapGet("/settings", (Guid studyId, ReadingOversight oversight, CancellationToken ct) => oversight.SettingsAsync(studyId, ct));
        design.MapGet("/questions", (Guid studyId, ReadingDesign reading, CancellationToken ct) => reading.QuestionsAsync(studyId, ct));
        design.MapPost("/questions/default", (Guid studyId, ReadingDesign reading, CancellationToken ct) => reading.UseDefaultQuestionsAsync(studyId, ct));
        design.MapPost("/questions", (Guid studyId, Question question, ReadingDesign reading, CancellationToken ct) => reading.AddQuestionAsync(studyId, question, ct));
        design.MapPut("/questions/{questionId:guid}", (Guid studyId, Guid questionId, Question question, ReadingDesign reading, CancellationToken ct) => reading.EditQuestionAsync(studyId, questionId, question, ct));
        design.MapDelete("/questions/{questionId:guid}", async (Guid studyId, Guid questionId, ReadingDesign reading, CancellationToken ct) =>
        {
            await reading.DeleteQuestionAsync(studyId, questionId, ct);
            return Results.NoContent();
        });
        // The reference standard of a diagnostic study: text/csv with the columns subject,truth.
        design.MapPut("/reference-standard", async (Guid studyId, HttpRequest request, ReadingDesign reading, CancellationToken ct) =>
        {
            if (request.ContentLength > ReferenceStandardLimit)
            {
                return Results.Problem(statusCode: 413, title: "Request too large", detail: $"A reference standard is at most {ReferenceStandardLimit / (1 << 20)} MiB of CSV.");
            }
            using var text = new StreamReader(request.Body);
            var content = await text.ReadToEndAsync(ct);
            return Results.Ok(await reading.ImportReferenceStandardAsync(studyId, new StringReader(content), ct));
        });
        design.MapPost("/cases/build", async (Guid studyId, ReadingDesign reading, CancellationToken ct) => Results.Ok(await reading.BuildCasesExplainedAsync(studyId, ct)));
        design.MapGet("/cases/subjects", (Guid studyId, CaseChoices choices, CancellationToken ct) => choices.ListAsync(studyId, ct));
        design.MapPut("/cases/subjects/{subjectId:guid}", (Guid studyId, Guid subjectId, CaseChoice choice, CaseChoices choices, CancellationToken ct) => choices.ChooseAsync(studyId, subjectId, choice, ct));
        design.MapGet("/progress", (Guid studyId, ReadingOversight oversight, CancellationToken ct) => oversight.ProgressAsync(studyId, ct));
        design.MapGet("/progress/cases", (Guid studyId, ReadingOversight oversight, CancellationToken ct) => oversight.ProgressByCaseAsync(studyId, ct));
        design.MapGet("/blinding-check", (Guid studyId, ReadingOversight oversight, CancellationToken ct) => oversight.CheckBlindingAsync(studyId, ct));
        endpoints.MapPut("/api/studies/{studyId:guid}/series/{seriesId:guid}/origin", async (Guid studyId, Guid seriesId, OriginChange change, ReadingOversight oversight, CancellationToken ct) =>
                await oversight.SetOriginAsync(studyId, seriesId, change.Origin, ct) ? Results.NoContent() : Results.NotFound())
            .RequireAuthorization(StudyPolicies.Coordinate);

        endpoints.MapGet("/api/studies/{studyId:guid}/reading/key", (Guid studyId, ReadingOversight oversight, CancellationToken ct) => oversight.KeyAsync(studyId, ct))
            .RequireAuthorization(PortalPolicies.Analyse, StudyPolicies.Analyse).NoStore();
    }

    private const long ReferenceStandardLimit = 5 << 20;

    // Both images of a pair leave with the same headers (the blinding check tests the same list).
    private static void SameHeaders(HttpContext http)
    {
        foreach (var (name, value) in ReadingImages.Headers)
        {
            http.Response.Headers[name] = value;
        }
    }

    public sealed record OriginChange(MapOrigin Origin);

    public sealed record CaseTime(double Seconds);
}
