using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Storage;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Synthesis;

/// <summary>
/// The generators coordinators uploaded: checked on upload (nothing is registered when a check fails), immutable,
/// and kept open once used (see <see cref="GeneratorSessions"/>).
/// </summary>
public sealed class GeneratorRegistry(IDbContextFactory<ReaderStudyDbContext> dbFactory, IImageStore store, GeneratorSessions sessions, TimeProvider clock)
{
    public async Task<RegisteredGenerator> RegisterAsync(string modelFile, string manifestJson, string uploadedBy, CancellationToken cancellationToken = default)
    {
        var manifest = ParseManifest(manifestJson);
        string sha256, provider;
        try
        {
            using var model = GeneratorModel.Open(modelFile, manifest, GeneratorDevice.Auto);
            (sha256, provider) = (model.Sha256, model.Provider);
        }
        catch (GeneratorException e)
        {
            throw new StudyRuleException(e.Message);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.Generators.AsNoTracking().SingleOrDefaultAsync(g => g.Name == manifest.Name && g.Version == manifest.Version, cancellationToken);
        if (existing is not null)
        {
            return existing.Sha256 == sha256 ? existing
                : throw new StudyRuleException($"{manifest.Name} {manifest.Version} is already registered with another file (sha256 {existing.Sha256[..12]}…); registered models never change, so give this one a new version.");
        }
        var (hash, bytes) = await store.PutAsync(modelFile, cancellationToken);
        var generator = new RegisteredGenerator
        {
            Name = manifest.Name,
            Version = manifest.Version,
            Sha256 = hash,
            Bytes = bytes,
            ManifestJson = manifest.ToJson(),
            CheckedOn = provider,
            UploadedBy = uploadedBy,
            UploadedAt = clock.GetUtcNow(),
        };
        db.Generators.Add(generator);
        await db.SaveChangesAsync(cancellationToken);
        return generator;
    }

    public Task<IReadOnlyList<RegisteredGenerator>> ListAsync(CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => ListOnceAsync(ct), cancellationToken);

    private async Task<IReadOnlyList<RegisteredGenerator>> ListOnceAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Generators.AsNoTracking().OrderBy(g => g.Name).ThenBy(g => g.Version).ToListAsync(cancellationToken);
    }

    /// <summary>The shared, already-checked session of a registered generator.</summary>
    public async Task<GeneratorModel> OpenAsync(Guid generatorId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var generator = await db.Generators.AsNoTracking().SingleOrDefaultAsync(g => g.Id == generatorId, cancellationToken)
            ?? throw new StudyRuleException("No such generator.");
        var path = await store.GetLocalPathAsync(generator.Sha256, cancellationToken);
        return sessions.Open(generator.Id, path, ParseManifest(generator.ManifestJson));
    }

    private static GeneratorManifest ParseManifest(string json)
    {
        try
        {
            return GeneratorManifest.Parse(json);
        }
        catch (GeneratorException e)
        {
            throw new StudyRuleException(e.Message);
        }
    }
}
