using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Data;
using ReaderStudy.Imaging.Import;
using ReaderStudy.Web.Features.Import;

namespace ReaderStudy.Web.Features.Pacs;

/// <summary>
/// Pulls series from the PACS into a study through the same import as an upload: the same classification,
/// de-identification and refusals, one transaction per series. Who searched and what was retrieved is audited.
/// </summary>
public sealed class PacsRetrieval(DicomWebClient pacs, StudyImports imports, IDbContextFactory<ReaderStudyDbContext> dbFactory, IOptions<PacsSettings> settings)
{
    public bool Configured => settings.Value.Configured;
    public string Name => settings.Value.Name;

    public async Task<IReadOnlyList<PacsStudy>> SearchAsync(Guid studyId, string? patientId, string? accessionNumber, CancellationToken cancellationToken)
    {
        var found = await pacs.SearchAsync(patientId, accessionNumber, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Audit("pacs.searched", studyId, $"patient ID '{patientId}', accession '{accessionNumber}': {found.Count} study(ies)");
        await db.SaveChangesAsync(cancellationToken);
        return found;
    }

    public async Task<ImportReport> ImportAsync(Guid studyId, IReadOnlyList<PacsSeriesChoice> series, ImportOptions options, CancellationToken cancellationToken)
    {
        if (series.Count == 0)
        {
            throw new PacsException("Choose at least one series to retrieve.");
        }
        await imports.RequireNotClosedAsync(studyId, cancellationToken);
        var folder = Directory.CreateTempSubdirectory("readerstudy-pacs-").FullName;
        try
        {
            long budget = imports.MaxUploadBytes;
            var files = new List<string>();
            foreach (var choice in series)
            {
                // All series are fetched before anything is stored, so an unreachable PACS halfway stores nothing.
                var retrieved = await pacs.RetrieveSeriesAsync(choice.StudyInstanceUid, choice.SeriesInstanceUid, folder, budget, cancellationToken);
                files.AddRange(retrieved);
                budget -= retrieved.Sum(f => new FileInfo(f).Length);
            }
            var report = await imports.ImportAsync(studyId, files, options, null, cancellationToken);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.Audit("pacs.retrieved", studyId, $"{series.Count} series from {settings.Value.Name}: {string.Join(", ", series.Select(s => s.SeriesInstanceUid))}");
            await db.SaveChangesAsync(cancellationToken);
            return UploadReport.Shown(report, folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed record PacsSeriesChoice(string StudyInstanceUid, string SeriesInstanceUid);

public sealed record PacsImportRequest(IReadOnlyList<PacsSeriesChoice> Series, bool CleanDescriptors = true, bool RetainDates = false);
