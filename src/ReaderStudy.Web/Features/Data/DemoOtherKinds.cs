using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Storage;
using ReaderStudy.Core.Studies;
using ReaderStudy.Imaging.Import;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Studies;
using ReaderStudy.Web.Features.Synthesis;

namespace ReaderStudy.Web.Features.Data;

/// <summary>
/// The demo's studies of other kinds, set up as a coordinator would: a synthetic-CT study (pelvis phantom MR and CT,
/// synthetic CT made by the demo MR-to-CT generator) and a mammography study (real and synthetic views, read one at a time).
/// </summary>
public sealed class DemoOtherKinds(
    UserManager<PortalUser> users,
    IDbContextFactory<ReaderStudyDbContext> dbFactory,
    IOptions<DemoOptions> demo,
    TimeProvider clock,
    IImageStore store,
    ReadingDesign reading,
    StudyService studies,
    GeneratorRegistry generators,
    SyntheticMapService syntheticImages,
    ILogger<DemoOtherKinds> logger)
{
    public const string PelvisStudyName = "Pelvis synthetic CT phantom demo";
    public const string MammographyStudyName = "Mammography phantom demo";

    public async Task SeedAsync()
    {
        if (await CreateAsync(PelvisStudyName, StudyKind.Ct,
                "Blinded comparison of real and synthetic (from T1-weighted MR) CT of the sacroiliac joints, built from the pelvis phantom.") is { } pelvis)
        {
            await SeedPelvisAsync(pelvis);
        }
        if (await CreateAsync(MammographyStudyName, StudyKind.Projection,
                "Real or synthetic? Craniocaudal mammograms read one at a time, built from the mammography phantom.") is { } mammography)
        {
            await SeedMammographyAsync(mammography);
        }
    }

    // The study, with the demo's coordinator, readers and statistician; null when it exists already.
    private async Task<Guid?> CreateAsync(string name, StudyKind kind, string description)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        if (await db.Studies.AnyAsync(s => s.Name == name))
        {
            return null;
        }
        var study = new Study { Name = name, Description = description, CreatedAt = clock.GetUtcNow() };
        study.UseKind(kind);
        foreach (var account in DemoAccount.All.Where(a => a.Role != PortalRoles.Admin))
        {
            var user = await users.FindByEmailAsync(account.Email);
            study.Members.Add(new StudyMember { UserId = user!.Id, Role = account.Role, AddedAt = clock.GetUtcNow() });
        }
        db.Studies.Add(study);
        await db.SaveChangesAsync();
        return study.Id;
    }

    private async Task SeedPelvisAsync(Guid studyId)
    {
        var folder = Directory.CreateTempSubdirectory("readerstudy-demo-pelvis-").FullName;
        try
        {
            PelvisStudyWriter.Generate(folder, demo.Value.PhantomSubjects, new PelvisPhantomOptions { Size = 128, Slices = 8, Seed = 2026 });
            await ImportAsync(studyId, folder);
            // The phantom's CT is the acquired, real one.
            await SetOriginsAsync(studyId, _ => MapOrigin.Real);
            var model = Path.Combine(AppContext.BaseDirectory, "DemoModels", "pelvis-sct.onnx");
            var generator = await generators.RegisterAsync(model, await File.ReadAllTextAsync(Path.ChangeExtension(model, ".manifest.json")), "demo seed");
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                foreach (var subject in await db.Subjects.Where(s => s.StudyId == studyId).Select(s => s.Id).ToListAsync())
                {
                    await syntheticImages.GenerateAsync(studyId, new SynthesisRequest(subject, generator.Id));
                }
            }
            await reading.UseDefaultQuestionsAsync(studyId);
            await reading.AddQuestionAsync(studyId, new Question { Kind = QuestionKind.YesNo, Text = "Erosion of a sacroiliac joint?", PerImage = true, Required = true });
            await OpenAsync(studyId);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task SeedMammographyAsync(Guid studyId)
    {
        var folder = Directory.CreateTempSubdirectory("readerstudy-demo-mammography-").FullName;
        try
        {
            MammographyStudyWriter.Generate(folder, demo.Value.PhantomSubjects, new MammographyPhantomOptions { Rows = 640, Columns = 512, PixelMm = 0.4, Seed = 2026 });
            await ImportAsync(studyId, folder);
            await SetOriginsAsync(studyId, series => series.Description == MammographyStudyWriter.SyntheticDescription ? MapOrigin.Synthetic : MapOrigin.Real);
            await reading.UseDefaultQuestionsAsync(studyId);
            await OpenAsync(studyId);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task ImportAsync(Guid studyId, string folder)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var report = await new StudyImporter(db, store, clock).ImportAsync(studyId, [folder], new ImportOptions());
        logger.LogInformation("Demo study {Study}: {Series} phantom series imported", studyId, report.Imported);
    }

    private async Task SetOriginsAsync(Guid studyId, Func<ImagingSeries, MapOrigin> origin)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        foreach (var series in await db.Series.Where(s => s.StudyId == studyId && s.Kind == SeriesKind.ComparedImage).ToListAsync())
        {
            series.Origin = origin(series);
        }
        await db.SaveChangesAsync();
    }

    private async Task OpenAsync(Guid studyId)
    {
        await reading.BuildCasesAsync(studyId);
        try
        {
            await studies.SetStateAsync(studyId, StudyState.Open);
        }
        catch (StudyRuleException e)
        {
            logger.LogWarning("Demo study {Study} left a draft: {Reason}", studyId, e.Message);
        }
    }
}
