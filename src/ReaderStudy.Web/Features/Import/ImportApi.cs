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
                var report = UploadReport.Shown(await imports.ImportAsync(studyId, paths, options, null, ct), folder);
                return report.StoppedBecause is null ? Results.Ok(report)
                    : Results.Problem(statusCode: StatusCodes.Status507InsufficientStorage, title: "A disk is full", detail: report.StoppedBecause,
                        extensions: new Dictionary<string, object?> { ["series"] = report.Series });
            }
            catch (UploadLimitException e)
            {
                return Results.Problem(statusCode: 413, title: "Upload unpacks past the limits", detail: UploadReport.Hide(e.Message, folder));
            }
            catch (DicomReadException e)
            {
                return Results.Problem(statusCode: 400, title: "Unreadable upload", detail: UploadReport.Hide(e.Message, folder));
            }
            catch (IOException e) when (Core.Storage.StorageFull.Reason(e) is { } full)
            {
                // The upload could not even be saved to the temporary folder: nothing reached the study.
                return Results.Problem(statusCode: StatusCodes.Status507InsufficientStorage, title: "A disk is full", detail: $"Nothing was imported: {UploadReport.Hide(full, folder)}.");
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

        // A MESE echo train as NIfTI: per-echo files with their BIDS sidecars, or one 4-D file and its sidecar.
        study.MapPost("/subjects/{subjectId:guid}/nifti-mese", async (Guid studyId, Guid subjectId, HttpRequest request, NiftiMaps maps, StudyImports imports,
            CancellationToken ct, [FromQuery] Guid? gridSeriesId = null) =>
        {
            if (UploadRequest.Refusal(request, imports.MaxUploadBytes, "the NIfTI echo train") is { } refusal)
            {
                return refusal;
            }
            var form = await request.ReadFormAsync(ct);
            var names = form.Files.Select(f => Path.GetFileName(f.FileName)).ToList();
            if (names.Count == 0 || names.Any(n => !ReaderStudy.Imaging.T2Mapping.NiftiMese.IsNifti(n) && !n.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                || names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            {
                return Results.Problem(statusCode: 400, title: "Not a NIfTI echo train",
                    detail: $"Send the echoes' NIfTI files (.nii, .nii.gz) with their JSON sidecars, each name once; got {string.Join(", ", names)}.");
            }
            var folder = Directory.CreateTempSubdirectory("readerstudy-upload-").FullName;
            try
            {
                foreach (var file in form.Files)
                {
                    await using var target = File.Create(Path.Combine(folder, Path.GetFileName(file.FileName)));
                    await file.CopyToAsync(target, ct);
                }
                return Results.Ok(await maps.ImportMeseAsync(studyId, subjectId, folder, gridSeriesId, ct));
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
