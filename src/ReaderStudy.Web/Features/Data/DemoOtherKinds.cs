using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Storage;
using ReaderStudy.Core.Studies;
using ReaderStudy.Imaging.Import;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Synthesis;

namespace ReaderStudy.Web.Features.Data;

/// <summary>
/// The demo's studies of other kinds, set up as a coordinator would: a synthetic-CT study (pelvis phantom MR and CT,
/// synthetic CT made by the demo MR-to-CT generator) and a mammography study (real and synthetic views, read one at a time).
/// </summary>
public sealed class DemoOtherKinds(
    IDbContextFactory<ReaderStudyDbContext> dbFactory,
    IOptions<DemoOptions> demo,
    TimeProvider clock,
    IImageStore store,
    ReadingDesign reading,
    DemoStudySetup setup,
    SyntheticMapService syntheticImages,
    ILogger<DemoOtherKinds> logger)
{
    public const string PelvisStudyName = "Pelvis synthetic CT phantom demo";
    public const string MammographyStudyName = "Mammography phantom demo";

    public async Task SeedAsync()
    {
        if (await setup.CreateAsync(PelvisStudyName, StudyKind.Ct,
                "Blinded comparison of real and synthetic (from T1-weighted MR) CT of the sacroiliac joints, built from the pelvis phantom.") is { } pelvis)
        {
            await SeedPelvisAsync(pelvis);
        }
        if (await setup.CreateAsync(MammographyStudyName, StudyKind.Projection,
                "Real or synthetic? Craniocaudal mammograms read one at a time, built from the mammography phantom.") is { } mammography)
        {
            await SeedMammographyAsync(mammography);
        }
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
            var generator = await setup.RegisterModelAsync("pelvis-sct.onnx")
                ?? throw new InvalidOperationException("The pelvis demo study needs its generator, DemoModels/pelvis-sct.onnx.");
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                foreach (var subject in await db.Subjects.Where(s => s.StudyId == studyId).Select(s => s.Id).ToListAsync())
                {
                    await syntheticImages.GenerateAsync(studyId, new SynthesisRequest(subject, generator.Id));
                }
            }
            await reading.UseDefaultQuestionsAsync(studyId);
            await reading.AddQuestionAsync(studyId, new Question { Kind = QuestionKind.YesNo, Text = "Erosion of a sacroiliac joint?", PerImage = true, Required = true });
            await setup.OpenAsync(studyId);
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
            await setup.OpenAsync(studyId);
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
}
