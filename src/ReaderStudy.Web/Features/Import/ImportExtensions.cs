using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Storage;
using ReaderStudy.Imaging.Import;
using ReaderStudy.Web.Features.Data;

namespace ReaderStudy.Web.Features.Import;

public static class ImportExtensions
{
    public static WebApplicationBuilder AddReaderStudyImport(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportSettings>().BindConfiguration(ImportSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ImageStoreSettings>().BindConfiguration("Storage:Images");
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<ImageStoreSettings>>().Value.Create(services.GetRequiredService<DataFolder>().Path));
        builder.Services.AddScoped<StudyImports>();
        builder.Services.AddScoped<SeriesCatalog>();
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
        return await new StudyImporter(db, store, clock).ImportAsync(studyId, paths, options, progress, cancellationToken);
    }
}
