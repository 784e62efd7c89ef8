using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Auditing;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Core.T2Mapping;

namespace ReaderStudy.Core.Data;

/// <summary>
/// The portal's database. Every save appends audit entries for what it changes, so no feature can
/// forget to audit a write, and audit entries themselves can never be changed or deleted.
/// </summary>
public sealed class ReaderStudyDbContext(DbContextOptions<ReaderStudyDbContext> options, IAuditActor? actor = null, TimeProvider? clock = null)
    : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    private readonly IAuditActor actor = actor ?? new SystemActor();
    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    public DbSet<Study> Studies => Set<Study>();
    public DbSet<StudyMember> StudyMembers => Set<StudyMember>();
    public DbSet<StudyInvitation> StudyInvitations => Set<StudyInvitation>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<Subject> Subjects => Set<Subject>();
    public DbSet<ImagingSeries> Series => Set<ImagingSeries>();
    public DbSet<SeriesImage> SeriesImages => Set<SeriesImage>();
    public DbSet<Question> Questions => Set<Question>();
    public DbSet<ReadingCase> Cases => Set<ReadingCase>();
    public DbSet<Trial> Trials => Set<Trial>();
    public DbSet<Answer> Answers => Set<Answer>();
    public DbSet<ViewerEvent> ViewerEvents => Set<ViewerEvent>();
    public DbSet<RegisteredGenerator> Generators => Set<RegisteredGenerator>();
    public DbSet<SynthesisBatch> SynthesisBatches => Set<SynthesisBatch>();
    public DbSet<SynthesisFailure> SynthesisFailures => Set<SynthesisFailure>();
    public DbSet<T2FitBatch> T2FitBatches => Set<T2FitBatch>();
    public DbSet<T2FitFailure> T2FitFailures => Set<T2FitFailure>();
    public DbSet<T2FitReliability> T2FitReliabilities => Set<T2FitReliability>();

    /// <summary>The keys that protect sign-in cookies and form tokens, shared by every portal process on this database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Appends an audit entry for an action that is not an entity change (a failed sign-in, an export).</summary>
    public void Audit(string action, Guid? studyId = null, string details = "") =>
        AuditLog.Add(NewEntry(action, studyId, entityKey: null, details));

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ReaderStudyDbContext).Assembly);
        if (Database.IsSqlite())
        {
            // SQLite cannot order or compare DateTimeOffset; store it as a sortable binary number there.
            foreach (var property in builder.Model.GetEntityTypes().SelectMany(t => t.GetProperties())
                         .Where(p => p.ClrType == typeof(DateTimeOffset) || p.ClrType == typeof(DateTimeOffset?)))
            {
                property.SetValueConverter(new DateTimeOffsetToBinaryConverter());
            }
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Saves with audit rows. A new row whose key the database assigns (an answer) is audited under that real
    /// key: it is saved first, then its audit row, in one transaction, so neither exists without the other.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Inside a caller's transaction the turn is already the caller's; taking it again could wait on ourselves.
        using var turn = Database.CurrentTransaction is null && Database.IsSqlite()
            ? await SqliteWriters.EnterAsync(Database.GetConnectionString() ?? "", cancellationToken)
            : null;
        return await SaveWithAuditAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private async Task<int> SaveWithAuditAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var awaitingKeys = AppendAuditEntries();
        if (!ChangeTracker.Entries<AuditEntry>().Any(e => e.State == EntityState.Added) && awaitingKeys.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        // Audit rows are chained in the order they are written: one writer at a time, across processes too.
        var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            await LockAuditChainAsync(cancellationToken);
            await SealAuditEntriesAsync(cancellationToken);
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (awaitingKeys.Count > 0)
            {
                foreach (var (entry, audit) in awaitingKeys)
                {
                    audit.EntityKey = KeyOf(entry);
                    AuditLog.Add(audit);
                }
                await SealAuditEntriesAsync(cancellationToken);
                await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
            return saved;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    private async Task LockAuditChainAsync(CancellationToken cancellationToken)
    {
        // SQLite's transactions already hold the write lock (BEGIN IMMEDIATE); PostgreSQL takes a transaction-scoped advisory lock.
        if (Database.IsNpgsql())
        {
            await Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7261)", cancellationToken);
        }
    }

    private async Task SealAuditEntriesAsync(CancellationToken cancellationToken)
    {
        // Sealed in the order the rows will be inserted (their temporary keys, given as they were added), so that the
        // highest Id is the chain's tip: the change tracker's own order is not that, and sealing by it forked the chain.
        var added = ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added && e.Entity.Hash.Length == 0)
            .OrderBy(e => e.Property(a => a.Id).CurrentValue).Select(e => e.Entity).ToList();
        if (added.Count == 0)
        {
            return;
        }
        var last = await AuditLog.AsNoTracking().Where(e => e.Hash != "").OrderByDescending(e => e.Id).Select(e => e.Hash).FirstOrDefaultAsync(cancellationToken) ?? "";
        AuditChain.Seal(added, last);
    }

    private static string? KeyOf(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry) =>
        entry.Metadata.FindPrimaryKey() is { } pk ? string.Join(",", pk.Properties.Select(p => entry.Property(p.Name).CurrentValue)) : null;

    /// <summary>Adds the audit rows of this save; returns those that wait for a database-assigned key.</summary>
    private List<(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry Entry, AuditEntry Audit)> AppendAuditEntries()
    {
        var awaitingKeys = new List<(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry, AuditEntry)>();
        ChangeTracker.DetectChanges();
        var entries = new List<AuditEntry>();
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.Entity is AuditEntry)
            {
                if (entry.State is EntityState.Modified or EntityState.Deleted)
                {
                    throw new InvalidOperationException("The audit log is append-only: an audit entry cannot be changed or deleted.");
                }
                continue;
            }
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            if (entry.Entity is SeriesImage or T2FitReliability or ViewerEvent or DataProtectionKey)
            {
                // Files of a series, and a fitted map's reliability, are saved with their series, whose own entry records the import;
                // viewer events are a log of their own; cookie keys are the framework's, rotated on its own schedule.
                continue;
            }
            var studyId = entry.Entity switch
            {
                Study s => s.Id,
                IStudyScoped scoped => scoped.StudyId,

                _ => (Guid?)null,
            };
            var details = entry.State == EntityState.Modified
                ? string.Join(",", entry.Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name))
                : "";
            if (entry.Entity is IAuditDescribed described)
            {
                details = details.Length == 0 ? described.AuditDetails : $"{described.AuditDetails}; {details}";
            }
            var audit = NewEntry($"{entry.Metadata.ClrType.Name}.{entry.State.ToString().ToLowerInvariant()}", studyId, KeyOf(entry), details);
            if (entry.State == EntityState.Added && entry.Metadata.FindPrimaryKey()?.Properties.Any(p => entry.Property(p.Name).IsTemporary) == true)
            {
                awaitingKeys.Add((entry, audit));
                continue;
            }
            entries.Add(audit);
        }
        AuditLog.AddRange(entries);
        return awaitingKeys;
    }

    private AuditEntry NewEntry(string action, Guid? studyId, string? entityKey, string details) => new()
    {
        // Whole milliseconds: both databases keep that much (SQLite's binary form holds 0.1 ms, PostgreSQL 1 µs), so the
        // hash computed now matches the row read back.
        At = clock.GetUtcNow() is var now ? now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMillisecond)) : default,
        UserId = actor.UserId,
        UserName = actor.UserName,
        Action = action,
        StudyId = studyId,
        EntityKey = entityKey,
        Details = details,
    };
}
