using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Web.Features.Studies;

/// <summary>Creating studies, choosing their members and moving them through draft, open and closed.</summary>
/// <remarks>Callers have already passed the study's authorization policy; this class enforces the study's own rules.</remarks>
public sealed class StudyService(IDbContextFactory<ReaderStudyDbContext> dbFactory, TimeProvider clock, Reading.BlindingCheck blinding)
{
    public Task<IReadOnlyList<StudySummary>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => ListOnceAsync(user, ct), cancellationToken);

    private async Task<IReadOnlyList<StudySummary>> ListOnceAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var studies = await StudyAccess.Visible(db, user).AsNoTracking()
            .Select(s => new StudySummary(s.Id, s.Name, s.Description, s.State, s.Members.Count(m => m.Role == PortalRoles.Reader), s.CreatedAt, s.Kind, s.ImagesReleasedAt))
            .ToListAsync(cancellationToken);
        return [.. studies.OrderByDescending(s => s.CreatedAt)];
    }

    public Task<StudySummary?> GetAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => GetOnceAsync(studyId, ct), cancellationToken);

    private async Task<StudySummary?> GetOnceAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Studies.AsNoTracking().Where(s => s.Id == studyId)
            .Select(s => new StudySummary(s.Id, s.Name, s.Description, s.State, s.Members.Count(m => m.Role == PortalRoles.Reader), s.CreatedAt, s.Kind, s.ImagesReleasedAt))
            .SingleOrDefaultAsync(cancellationToken);
    }

    public Task<IReadOnlyList<StudyMemberView>> MembersAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => MembersOnceAsync(studyId, ct), cancellationToken);

    private async Task<IReadOnlyList<StudyMemberView>> MembersOnceAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.StudyMembers.AsNoTracking().Where(m => m.StudyId == studyId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.Email, u.DisplayName, m.Role })
            .OrderBy(m => m.Role).ThenBy(m => m.Email)
            .Select(m => new StudyMemberView(m.Id, m.Email!, m.DisplayName, m.Role))
            .ToListAsync(cancellationToken);
    }

    public Task<StudySummary> CreateAsync(ClaimsPrincipal creator, NewStudy request, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunUnsentAsync(ct => CreateOnceAsync(creator, request, ct), cancellationToken);

    private async Task<StudySummary> CreateOnceAsync(ClaimsPrincipal creator, NewStudy request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await FreeNameAsync(db, request.Name, null, cancellationToken);
        if (!Enum.IsDefined(request.Kind))
        {
            throw new StudyRuleException($"'{request.Kind}' is not a kind of study; choose one of {string.Join(", ", Enum.GetNames<StudyKind>())}.");
        }
        var study = new Study { Name = name, Description = request.Description.Trim(), CreatedAt = clock.GetUtcNow() };
        study.UseKind(request.Kind);
        if (creator.IsInRole(PortalRoles.Coordinator))
        {
            study.Members.Add(new StudyMember { UserId = creator.FindFirstValue(ClaimTypes.NameIdentifier)!, Role = PortalRoles.Coordinator, AddedAt = clock.GetUtcNow() });
        }
        db.Studies.Add(study);
        await db.SaveChangesAsync(cancellationToken);
        return new StudySummary(study.Id, study.Name, study.Description, study.State, 0, study.CreatedAt, study.Kind);
    }

    /// <summary>The name trimmed, if it is 1 to 200 characters and no other study has it.</summary>
    internal static async Task<string> FreeNameAsync(ReaderStudyDbContext db, string requested, Guid? renamedStudy, CancellationToken cancellationToken)
    {
        var name = requested.Trim();
        if (name.Length is 0 or > 200)
        {
            throw new StudyRuleException("A study needs a name of 1 to 200 characters.");
        }
        if (await db.Studies.AnyAsync(s => s.Name == name && s.Id != renamedStudy, cancellationToken))
        {
            throw new StudyRuleException($"A study named '{name}' already exists.");
        }
        return name;
    }

    public Task AddMemberAsync(Guid studyId, NewStudyMember request, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunUnsentAsync(ct => AddMemberOnceAsync(studyId, request, ct), cancellationToken);

    private async Task AddMemberOnceAsync(Guid studyId, NewStudyMember request, CancellationToken cancellationToken)
    {
        StudyInvitations.RequireStudyRole(request.Role);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var userId = await StudyInvitations.UserInRoleAsync(db, request.Email.Trim().ToUpperInvariant(), request.Role, cancellationToken);
        if (userId is null)
        {
            // One answer for both cases: a coordinator learns nothing about which accounts exist or what roles they hold.
            throw new StudyRuleException($"{request.Email} cannot join as {request.Role}: ask an administrator for an account with the {request.Role} role under that e-mail.");
        }
        await StudyInvitations.JoinAsync(db, studyId, userId, request.Role, clock.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task RemoveMemberAsync(Guid studyId, string userId, string role, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunUnsentAsync(ct => RemoveMemberOnceAsync(studyId, userId, role, ct), cancellationToken);

    private async Task RemoveMemberOnceAsync(Guid studyId, string userId, string role, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var member = await db.StudyMembers.SingleOrDefaultAsync(m => m.StudyId == studyId && m.UserId == userId && m.Role == role, cancellationToken)
            ?? throw new StudyRuleException("That person is not a member of this study in that role.");
        db.StudyMembers.Remove(member);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Studies only move forward: draft to open to closed. Closing unblinds the results to coordinators. A study opens
    /// only if the blinding check on the trials it draws finds no leak, or with the coordinator's written reason,
    /// which the audit log and the report keep.
    /// </summary>
    public Task SetStateAsync(Guid studyId, StudyState state, CancellationToken cancellationToken = default, string? overrideReason = null) =>
        DatabaseRetry.RunUnsentAsync(ct => SetStateOnceAsync(studyId, state, overrideReason, ct), cancellationToken);

    private async Task SetStateOnceAsync(Guid studyId, StudyState state, string? overrideReason, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await db.Studies.SingleAsync(s => s.Id == studyId, cancellationToken);
        if (state != study.State + 1)
        {
            throw new StudyRuleException($"A {study.State.ToString().ToLowerInvariant()} study cannot become {state.ToString().ToLowerInvariant()}: studies go draft, open, closed.");
        }
        if (state == StudyState.Open)
        {
            var trials = await Reading.ReadingDesign.DrawTrialsAsync(db, study, cancellationToken);
            var report = await blinding.CheckAsync(db, study, trials, planned: false, cancellationToken);
            var reason = overrideReason?.Trim() ?? "";
            if (!report.Passed && reason.Length < 20)
            {
                throw new StudyRuleException($"The blinding check found what tells the real map from the synthetic one, so the study stays a draft: {string.Join("; ", report.Leaks.Take(5))}"
                    + (report.Leaks.Count > 5 ? $" (and {report.Leaks.Count - 5} more)" : "") + ". Change the presentation settings, or open with a written reason (at least 20 characters).");
            }
            var verdict = report.Verdict();
            study.BlindingVerdict = verdict[..Math.Min(2000, verdict.Length)];
            if (!report.Passed)
            {
                study.BlindingOverrideReason = reason[..Math.Min(4000, reason.Length)];
                db.Audit("blinding.override", study.Id, $"{reason} | {study.BlindingVerdict}"[..Math.Min(4000, reason.Length + 3 + study.BlindingVerdict.Length)]);
            }
        }
        study.State = state;
        if (state == StudyState.Closed)
        {
            study.ClosedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
