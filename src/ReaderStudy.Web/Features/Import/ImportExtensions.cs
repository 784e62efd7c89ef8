using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Storage;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Import;
using ReaderStudy.Web.Features.Data;

namespace ReaderStudy.Web.Features.Import;

public static class ImportExtensions
{
    /// <summary>Runs the DICOM worker loop and exits when the portal was started as its own worker.</summary>
    public static void ServeDicomWorkerIfAsked(string[] args)
    {
        if (args is [DicomWorker.Verb])
        {
            Environment.Exit(DicomIsolation.Serve(Console.In, Console.Out));
        }
    }

    public static WebApplicationBuilder AddReaderStudyImport(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportSettings>().BindConfiguration(ImportSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ImageStoreSettings>().BindConfiguration("Storage:Images");
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<ImageStoreSettings>>().Value.Create(services.GetRequiredService<DataFolder>().Path));
        builder.Services.AddScoped<StudyImports>();
        builder.Services.AddScoped<SeriesCatalog>();
        builder.Services.AddScoped<NiftiMaps>();
        // Uploaded files are decoded in a worker process first: a file that kills GDCM is refused, not the portal.
        DicomWorker.Current = DicomWorker.ForAssembly(typeof(Program).Assembly.Location, DicomWorker.Verb);
        builder.Services.Configure<FormOptions>(options => options.MultipartBodyLengthLimit = long.MaxValue);
        return builder;
    }
}

/// <summary>Runs imports for the portal: one context per import, so the audit log names the importing user.</summary>
public sealed class StudyImports(IDbContextFactory<ReaderStudyDbContext> dbFactory, IImageStore store, TimeProvider clock, IOptions<ImportSettings> settings)
{
    public long MaxUploadBytes => settings.Value.MaxUploadBytes;

    public async Task<ImportReport> ImportAsync(Guid studyId, IReadOnlyList<string> paths, ImportOptions options, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await RequireNotClosedAsync(db, studyId, cancellationToken);
        return await new StudyImporter(db, store, clock).ImportAsync(studyId, paths, options with { ZipLimits = settings.Value.ZipLimits() }, progress, cancellationToken);
    }

    /// <summary>A closed study's data are the evidence of its results: nothing is added to it.</summary>
    public async Task RequireNotClosedAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await RequireNotClosedAsync(db, studyId, cancellationToken);
    }

    internal static async Task RequireNotClosedAsync(ReaderStudyDbContext db, Guid studyId, CancellationToken cancellationToken)
    {
        if (await db.Studies.AnyAsync(s => s.Id == studyId && s.State == Core.Studies.StudyState.Closed, cancellationToken))
        {
            throw new Studies.StudyRuleException("This study is closed: nothing more can be imported into it.");
        }
    }
}
