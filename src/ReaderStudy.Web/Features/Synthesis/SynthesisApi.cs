using Hangfire;
using System.Security.Claims;
using ReaderStudy.Web.Features.Accounts;
using ReaderStudy.Web.Features.Import;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Synthesis;

public static class SynthesisApi
{
    public static WebApplicationBuilder AddReaderStudySynthesis(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<InferenceDevice>();
        builder.Services.AddSingleton<GeneratorSessions>();
        builder.Services.AddScoped<GeneratorRegistry>();
        builder.Services.AddScoped<SyntheticMapService>();
        builder.Services.AddScoped<SynthesisBatches>();
        builder.Services.AddScoped<SynthesisWorker>();
        builder.AddSynthesisJobQueue();
        return builder;
    }

    public static void MapSynthesisApi(this IEndpointRouteBuilder endpoints)
    {
        // Hangfire's own dashboard for administrators: every job, its retries and the exceptions behind a failure.
        // Access is the portal's Admin policy alone (no Hangfire filter, whose default admits only local requests).
        endpoints.MapHangfireDashboard("/admin/jobs", new DashboardOptions { Authorization = [], DashboardTitle = "ReaderStudy background jobs", AppPath = "/admin" },
                endpoints.ServiceProvider.GetRequiredService<JobStorage>())
            .RequireAuthorization(PortalPolicies.Administer);

        var generators = endpoints.MapGroup("/api/generators").RequireAuthorization(PortalPolicies.Coordinate);
        generators.MapGet("", (GeneratorRegistry registry, CancellationToken ct) => registry.ListAsync(ct));

        // Multipart: "model" (the .onnx file) and "manifest" (its JSON manifest, as a file or a field).
        generators.MapPost("", async (HttpRequest request, GeneratorRegistry registry, StudyImports imports, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (UploadRequest.Refusal(request, imports.MaxUploadBytes, "the model and its manifest") is { } refusal)
            {
                return refusal;
            }
            var form = await request.ReadFormAsync(ct);
            var model = form.Files.GetFile("model");
            var manifest = form.Files.GetFile("manifest") is { } file ? await new StreamReader(file.OpenReadStream()).ReadToEndAsync(ct) : form["manifest"].ToString();
            if (model is null || string.IsNullOrWhiteSpace(manifest))
            {
                return Results.Problem(statusCode: 400, title: "Model or manifest missing", detail: "Send the .onnx file as 'model' and its JSON manifest as 'manifest'.");
            }
            var path = Path.Combine(Directory.CreateTempSubdirectory("readerstudy-model-").FullName, "model.onnx");
            try
            {
                await using (var target = File.Create(path))
                {
                    await model.CopyToAsync(target, ct);
                }
                return Results.Ok(await registry.RegisterAsync(path, manifest, user.Identity?.Name ?? "coordinator", ct));
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
            }
        }).DisableAntiforgery().RequireRateLimiting(Accounts.AccountsExtensions.UploadRateLimit);

        var batches = endpoints.MapGroup("/api/studies/{studyId:guid}/synthesis-batches").RequireAuthorization(StudyPolicies.Coordinate);
        batches.MapGet("", (Guid studyId, SynthesisBatches service, CancellationToken ct) => service.ListAsync(studyId, ct));
        batches.MapPost("", async (Guid studyId, NewSynthesisBatch request, SynthesisBatches service, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok(await service.StartAsync(studyId, request, user.Identity?.Name ?? "coordinator", ct)));
        batches.MapPost("/{batchId:guid}/cancel", async (Guid studyId, Guid batchId, SynthesisBatches service, CancellationToken ct) =>
            await service.CancelAsync(studyId, batchId, ct) ? Results.NoContent() : Results.NotFound());
        batches.MapPost("/{batchId:guid}/retry", async (Guid studyId, Guid batchId, SynthesisBatches service, CancellationToken ct) =>
            await service.RetryAsync(studyId, batchId, ct) is { } batch ? Results.Ok(batch) : Results.NotFound());

        endpoints.MapPost("/api/studies/{studyId:guid}/synthesize",
                async (Guid studyId, SynthesisRequest request, SyntheticMapService service, CancellationToken ct) => Results.Ok(await service.GenerateAsync(studyId, request, ct)))
            .RequireAuthorization(StudyPolicies.Coordinate);
    }
}
