using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Studies;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Studies;
using ReaderStudy.Web.Features.Synthesis;

namespace ReaderStudy.Web.Features.Data;

/// <summary>The steps every demo study shares: created with the demo's members, its generator registered, its cases built and the study opened.</summary>
public sealed class DemoStudySetup(
    UserManager<PortalUser> users,
    IDbContextFactory<ReaderStudyDbContext> dbFactory,
    TimeProvider clock,
    ReadingDesign reading,
    StudyService studies,
    GeneratorRegistry generators,
    Microsoft.Extensions.Options.IOptions<DemoOptions> demo,
    ILogger<DemoStudySetup> logger)
{
    /// <summary>A new study of <paramref name="kind"/> with the demo's coordinator, readers and statistician; null when it exists already.</summary>
    public async Task<Guid?> CreateAsync(string name, StudyKind kind, string description)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        if (await db.Studies.AnyAsync(s => s.Name == name))
        {
            return null;
        }
        var study = new Study { Name = name, Description = description, CreatedAt = clock.GetUtcNow() };
        study.UseKind(kind);
        foreach (var account in DemoAccount.With(demo.Value.ExtraReaders).Where(a => a.Role != PortalRoles.Admin))
        {
            var user = await users.FindByEmailAsync(account.Email);
            study.Members.Add(new StudyMember { UserId = user!.Id, Role = account.Role, AddedAt = clock.GetUtcNow() });
        }
        db.Studies.Add(study);
        await db.SaveChangesAsync();
        return study.Id;
    }

    /// <summary>A model from the app's DemoModels folder (its manifest beside it), registered as uploaded by "demo seed"; null when the file is missing.</summary>
    public async Task<RegisteredGenerator?> RegisterModelAsync(string fileName)
    {
        var model = Path.Combine(AppContext.BaseDirectory, "DemoModels", fileName);
        if (!File.Exists(model))
        {
            logger.LogWarning("Demo generator not found at {Path}; none registered", model);
            return null;
        }
        var registered = await generators.RegisterAsync(model, await File.ReadAllTextAsync(Path.ChangeExtension(model, ".manifest.json")), "demo seed");
        logger.LogInformation("Demo generator {Name} {Version} registered, checked on {Provider}", registered.Name, registered.Version, registered.CheckedOn);
        return registered;
    }

    /// <summary>Builds the cases and opens the study; a study the blinding check stops stays a draft, and the portal still starts.</summary>
    public async Task OpenAsync(Guid studyId)
    {
        await reading.BuildCasesAsync(studyId);
        try
        {
            await studies.SetStateAsync(studyId, StudyState.Open);
        }
        catch (StudyRuleException e)
        {
            // Only a deliberately leaky configuration gets here.
            logger.LogWarning("Demo study {Study} left a draft: {Reason}", studyId, e.Message);
        }
    }
}
