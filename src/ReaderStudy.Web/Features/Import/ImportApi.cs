using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using ReaderStudy.Core.Series;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Import;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Import;

public static class ImportApi
{
    public static void MapImportApi(this IEndpointRouteBuilder endpoints)
    {
        var study = endpoints.MapGroup("/api/studies/{studyId:guid}").RequireAuthorization(StudyPolicies.Coordinate);

        // Multipart upload of DICOM files or zip archives; the report says what happened to every series and file.
        study.MapPost("/import", async (Guid studyId, HttpRequest request, StudyImports imports, CancellationToken ct,
            [FromQuery] bool retainDates = false, [FromQuery] bool cleanDescriptors = true, [FromQuery] bool keepOriginals = false) =>
        {
            if (UploadRequest.Refusal(request, imports.MaxUploadBytes, "the DICOM files or zip archives") is { } refusal)
            {
                return refusal;
            }
            // Refused before the body is read, so a closed study costs no upload.
            await imports.RequireNotClosedAsync(studyId, ct);
            var form = await request.ReadFormAsync(ct);
            if (form.Files.Count == 0)
            {
                return Results.Problem(statusCode: 400, title: "No files", detail: "The upload holds no files.");
            }
            var folder = Directory.CreateTempSubdirectory("readerstudy-upload-").FullName;
            try
            {
                var paths = new List<string>();
                foreach (var file in form.Files)
                {
                    var path = Path.Combine(folder, $"{paths.Count:D5}-{Path.GetFileName(file.FileName)}");
                    await using (var target = File.Create(path))
                    {
                        await file.CopyToAsync(target, ct);
                    }
                    paths.Add(path);
                }
                var options = new ImportOptions
                {
                    Deidentification = new DeidentificationOptions { RetainLongitudinalTemporalInformation = retainDates, CleanDescriptors = cleanDescriptors },
                    KeepOriginals = keepOriginals,
                };
                var report = await imports.ImportAsync(studyId, paths, options, null, ct);
                return Results.Ok(UploadReport.Shown(report, folder));
            }
            catch (UploadLimitException e)
            {
                return Results.Problem(statusCode: 413, title: "Upload unpacks past the limits", detail: UploadReport.Hide(e.Message, folder));
            }
            catch (DicomReadException e)
            {
                return Results.Problem(statusCode: 400, title: "Unreadable upload", detail: UploadReport.Hide(e.Message, folder));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }).DisableAntiforgery().RequireRateLimiting(Accounts.AccountsExtensions.UploadRateLimit);

        study.MapGet("/series", (Guid studyId, SeriesCatalog catalog, CancellationToken ct) => catalog.ListAsync(studyId, ct));

        study.MapGet("/nifti-maps/targets", (Guid studyId, NiftiMaps maps, CancellationToken ct) => maps.TargetsAsync(studyId, ct));

        // One NIfTI map for one subject, placed on the grid of the subject's MESE (or of the series named).
        study.MapPost("/subjects/{subjectId:guid}/nifti-maps", async (Guid studyId, Guid subjectId, HttpRequest request, NiftiMaps maps, StudyImports imports,
            CancellationToken ct, [FromQuery] MapOrigin origin = MapOrigin.Unknown, [FromQuery] Guid? gridSeriesId = null) =>
        {
            if (UploadRequest.Refusal(request, imports.MaxUploadBytes, "the NIfTI map") is { } refusal)
            {
                return refusal;
            }
            var form = await request.ReadFormAsync(ct);
            if (form.Files is not [var file])
            {
                return Results.Problem(statusCode: 400, title: "One file", detail: $"The upload holds {form.Files.Count} files; send one NIfTI map (.nii or .nii.gz).");
            }
            var name = Path.GetFileName(file.FileName);
            if (!ReaderStudy.Imaging.T2Mapping.NiftiMese.IsNifti(name))
            {
                return Results.Problem(statusCode: 400, title: "Not NIfTI", detail: $"{name}: a NIfTI map ends in .nii or .nii.gz.");
            }
            var folder = Directory.CreateTempSubdirectory("readerstudy-upload-").FullName;
            try
            {
                var path = Path.Combine(folder, name);
                await using (var target = File.Create(path))
                {
                    await file.CopyToAsync(target, ct);
                }
                return Results.Ok(await maps.ImportAsync(studyId, subjectId, path, name, origin, gridSeriesId, ct));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }).DisableAntiforgery().RequireRateLimiting(Accounts.AccountsExtensions.UploadRateLimit);

        study.MapPut("/series/{seriesId:guid}/kind", async (Guid studyId, Guid seriesId, SeriesKindChange change, SeriesCatalog catalog, ClaimsPrincipal user, CancellationToken ct) =>
            await catalog.SetKindAsync(studyId, seriesId, change.Kind, user.Identity?.Name ?? "coordinator", ct) ? Results.NoContent() : Results.NotFound());
    }
}
