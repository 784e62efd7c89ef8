using ReaderStudy.Web.Components;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;
using ReaderStudy.Web.Features.Accounts;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.StudyResults;

public static class ResultsApi
{
    public static void MapResultsApi(this IEndpointRouteBuilder endpoints)
    {
        // The statistician's view of a study; the analyses themselves arrive with the statistics feature.
        endpoints.MapGet("/api/studies/{studyId:guid}/results", async (Guid studyId, IDbContextFactory<ReaderStudyDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == studyId, ct);
            var readers = await db.StudyMembers.CountAsync(m => m.StudyId == studyId && m.Role == PortalRoles.Reader, ct);
            return new StudyResultsSummary(study.Id, study.Name, study.State, readers);
        }).RequireAuthorization(PortalPolicies.Analyse, StudyPolicies.Analyse).NoStore();

        endpoints.MapGet("/api/studies/{studyId:guid}/results/full", (Guid studyId, double? margin, double? nonInferiorityMargin, ResultsService results, CancellationToken ct) =>
                results.ComputeAsync(studyId, margin ?? ResultsService.DefaultEquivalenceMargin, ct, nonInferiorityMargin ?? ResultsService.DefaultNonInferiorityMargin))
            .RequireAuthorization(PortalPolicies.Analyse, StudyPolicies.Analyse).NoStore();

        endpoints.MapGet("/api/studies/{studyId:guid}/exports/" + MapsNiftiExport.FileName, async (Guid studyId, MapsNiftiExport maps, IDbContextFactory<ReaderStudyDbContext> dbFactory, CancellationToken ct) =>
        {
            var content = await maps.RenderAsync(studyId, ct);
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                db.Audit("results.exported", studyId, MapsNiftiExport.FileName);
                await db.SaveChangesAsync(ct);
            }
            return Results.File(content, "application/zip", MapsNiftiExport.FileName);
        }).RequireAuthorization(PortalPolicies.Analyse, StudyPolicies.Analyse).NoStore();

        endpoints.MapGet("/api/studies/{studyId:guid}/exports/{file}", async (Guid studyId, string file, ResultsExports exports, IDbContextFactory<ReaderStudyDbContext> dbFactory, CancellationToken ct) =>
        {
            if (!ResultsExports.Files.TryGetValue(file, out var contentType))
            {
                return Results.NotFound();
            }
            var content = await exports.RenderAsync(studyId, file, ct);
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                db.Audit("results.exported", studyId, file);
                await db.SaveChangesAsync(ct);
            }
            return Results.File(content, contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.EndsWith("json", StringComparison.Ordinal) ? contentType + "; charset=utf-8" : contentType, file);
        }).RequireAuthorization(PortalPolicies.Analyse, StudyPolicies.Analyse).NoStore();
    }

    public static WebApplicationBuilder AddReaderStudyResults(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ResultsService>();
        builder.Services.AddScoped<ResultsExports>();
        builder.Services.AddScoped<MapsNiftiExport>();
        return builder;
    }
}
