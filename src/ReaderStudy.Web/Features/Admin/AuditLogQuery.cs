using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Web.Features.Admin;

/// <summary>Finds audit entries by study, person, kind of change and time, newest first, with each study's name.</summary>
public sealed class AuditLogQuery(IDbContextFactory<ReaderStudyDbContext> dbFactory)
{
    public const int Largest = 10_000;

    public async Task<IReadOnlyList<AuditRow>> FindAsync(AuditFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.AuditLog.AsNoTracking();
        if (filter.StudyId is { } study)
        {
            query = query.Where(e => e.StudyId == study);
        }
        if (!string.IsNullOrWhiteSpace(filter.User))
        {
            var user = filter.User.Trim().ToLower();
            query = query.Where(e => e.UserName.ToLower().Contains(user));
        }
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim().ToLower();
            query = query.Where(e => e.Action.ToLower().Contains(action));
        }
        if (filter.From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }
        if (filter.To is { } to)
        {
            query = query.Where(e => e.At < to);
        }
        var entries = await query.OrderByDescending(e => e.Id).Take(Math.Clamp(filter.Take, 1, Largest)).ToListAsync(cancellationToken);
        var studyIds = entries.Select(e => e.StudyId).OfType<Guid>().Distinct().ToList();
        var names = await db.Studies.AsNoTracking().Where(s => studyIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        return [.. entries.Select(e => new AuditRow(e.Id, e.At, e.UserName, e.Action, e.StudyId,
            e.StudyId is { } id ? names.GetValueOrDefault(id, "(deleted study)") : null, e.EntityKey, e.Details))];
    }

    /// <summary>The entries as CSV (ISO 8601 times, one row per entry), for a reviewer's spreadsheet.</summary>
    public static string Csv(IEnumerable<AuditRow> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using var csv = new CsvWriter(text, CultureInfo.InvariantCulture);
        csv.WriteField("id");
        foreach (var column in new[] { "at_utc", "user", "action", "study_id", "study", "entity", "details" })
        {
            csv.WriteField(column);
        }
        csv.NextRecord();
        foreach (var row in rows)
        {
            csv.WriteField(row.Id);
            csv.WriteField(row.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            csv.WriteField(row.UserName);
            csv.WriteField(row.Action);
            csv.WriteField(row.StudyId?.ToString() ?? "");
            csv.WriteField(row.StudyName ?? "");
            csv.WriteField(row.EntityKey ?? "");
            csv.WriteField(row.Details);
            csv.NextRecord();
        }
        csv.Flush();
        return text.ToString();
    }
}

/// <summary>What to look for in the audit log; empty parts match everything. Times are UTC, To exclusive.</summary>
public sealed record AuditFilter(Guid? StudyId = null, string? User = null, string? Action = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Take = 300);

/// <summary>One audit entry as people read it: the study's name beside its id ("(deleted study)" once it is gone).</summary>
public sealed record AuditRow(long Id, DateTimeOffset At, string UserName, string Action, Guid? StudyId, string? StudyName, string? EntityKey, string Details);
