using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Series;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Studies;
using ReaderStudy.Web.Features.Synthesis;
using ReaderStudy.Web.Features.T2Fitting;
using ReaderStudy.Core.Storage;
using ReaderStudy.Core.Studies;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Imaging.Import;
using ReaderStudy.Imaging.Phantom;

namespace ReaderStudy.Web.Features.Data;

/// <summary>Creates the portal roles and, when the demo is enabled, the demo accounts and the demo study.</summary>
public sealed class StartupSeeder(
    RoleManager<IdentityRole> roles,
    UserManager<PortalUser> users,
    IDbContextFactory<ReaderStudyDbContext> dbFactory,
    IOptions<DemoOptions> demo,
    TimeProvider clock,
    IImageStore store,
    T2MapService t2Maps,
    ReadingDesign reading,
    SyntheticMapService syntheticMaps,
    DemoStudySetup setup,
    DemoOtherKinds otherKinds,
    ILogger<StartupSeeder> logger)
{
    public const string DemoStudyName = "Knee T2 phantom demo";

    public async Task SeedAsync()
    {
        foreach (var role in PortalRoles.All.Where(r => !roles.Roles.Any(x => x.Name == r)))
        {
            Require(await roles.CreateAsync(new IdentityRole(role)), $"role {role}");
        }
        if (!demo.Value.Seed)
        {
            return;
        }
        foreach (var account in DemoAccount.With(demo.Value.ExtraReaders))
        {
            if (await users.FindByEmailAsync(account.Email) is not null)
            {
                continue;
            }
            var user = new PortalUser { UserName = account.Email, Email = account.Email, EmailConfirmed = true, DisplayName = account.DisplayName };
            Require(await users.CreateAsync(user, demo.Value.Password), account.Email);
            Require(await users.AddToRoleAsync(user, account.Role), account.Email);
        }
        await SeedDemoStudyAsync();
        var generator = await SeedDemoGeneratorAsync();
        await SeedDemoImagesAsync(generator);
        if (demo.Value.OtherKinds)
        {
            await otherKinds.SeedAsync();
        }
        PrintDemoAccounts();
    }

    private Task SeedDemoStudyAsync() => setup.CreateAsync(DemoStudyName, StudyKind.QuantitativeMap,
        "Blinded comparison of real (MESE-fitted) and synthetic (generator) femoral cartilage T2 maps, built from the knee phantom.");

    /// <summary>The demo study's images: knee phantom subjects, imported like any coordinator's DICOM.</summary>
    private async Task SeedDemoImagesAsync(RegisteredGenerator? generator)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var study = await db.Studies.SingleAsync(s => s.Name == DemoStudyName);
        if (await db.Series.AnyAsync(s => s.StudyId == study.Id))
        {
            return;
        }
        var folder = Directory.CreateTempSubdirectory("readerstudy-demo-phantom-").FullName;
        try
        {
            PhantomGenerator.Generate(folder, demo.Value.PhantomSubjects, new KneePhantomOptions { Size = demo.Value.PhantomSize, Slices = demo.Value.PhantomSlices, Seed = 2026 });
            var report = await new StudyImporter(db, store, clock).ImportAsync(study.Id, [folder], new ImportOptions());
            logger.LogInformation("Demo study: {Series} phantom series imported for {Subjects} subjects", report.Imported, demo.Value.PhantomSubjects);
            await PrepareDemoReadingAsync(db, study.Id, generator);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // The U-Net trained on the phantom (docs/demo-model.md), registered so a coordinator can generate a synthetic map at once.
    private Task<RegisteredGenerator?> SeedDemoGeneratorAsync() => setup.RegisterModelAsync("knee-t2-unet.onnx");

    /// <summary>
    /// Real maps are fitted from each subject's MESE and synthetic ones generated from its anatomic series by the
    /// demo generator, as a coordinator would; the phantom's ground-truth map is kept as a map of unknown origin,
    /// outside the cases. Only without the demo generator does the truth map stand in for the synthetic one.
    /// Then cases, the default form, and the study opens.
    /// </summary>
    private async Task PrepareDemoReadingAsync(ReaderStudyDbContext db, Guid studyId, RegisteredGenerator? generator)
    {
        var meses = await db.Series.Where(s => s.StudyId == studyId && s.Kind == SeriesKind.Mese).Select(s => s.Id).ToListAsync();
        foreach (var mese in meses)
        {
            await t2Maps.FitAsync(studyId, mese, new T2FitRequest());
        }
        if (generator is not null)
        {
            foreach (var subject in await db.Subjects.Where(s => s.StudyId == studyId).Select(s => s.Id).ToListAsync())
            {
                var made = await syntheticMaps.GenerateAsync(studyId, new SynthesisRequest(subject, generator.Id));
                logger.LogInformation("Demo study: synthetic map {Series} generated on {Provider} in {Seconds} s", made.SyntheticSeriesId, made.Provider, made.Seconds);
            }
        }
        else
        {
            foreach (var truth in await db.Series.Where(s => s.StudyId == studyId && s.Kind == SeriesKind.T2Map && s.Origin == MapOrigin.Unknown).ToListAsync())
            {
                truth.Origin = MapOrigin.Synthetic;
            }
            await db.SaveChangesAsync();
        }
        await reading.UseDefaultQuestionsAsync(studyId);
        await setup.OpenAsync(studyId);
    }

    private void PrintDemoAccounts()
    {
        // Printed on the console, not only logged, so a newcomer sees how to sign in.
        Console.WriteLine();
        Console.WriteLine("ReaderStudy demo accounts (password for all: " + demo.Value.Password + "):");
        foreach (var account in DemoAccount.All)
        {
            Console.WriteLine($"  {account.Role,-13} {account.Email}");
        }
        if (demo.Value.ExtraReaders > 0)
        {
            Console.WriteLine($"  {"Reader",-13} reader3@readerstudy.local … reader{2 + demo.Value.ExtraReaders}@readerstudy.local");
        }
        Console.WriteLine();
        logger.LogInformation("Demo accounts and the study '{Study}' are ready", DemoStudyName);
    }

    private static void Require(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Seeding {what} failed: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
