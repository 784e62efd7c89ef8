using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReaderStudy.Core.Auditing;

/// <summary>
/// The audit log as a hash chain: each row's hash covers its content and the previous row's hash, so a row
/// changed, removed or slipped in afterwards breaks the chain at that row. Rows are linked in the order they
/// are written (under a database lock), which <see cref="Verify"/> follows link by link.
/// </summary>
public static class AuditChain
{
    public static string HashOf(AuditEntry entry) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f',
            entry.PreviousHash, entry.At.UtcTicks.ToString(CultureInfo.InvariantCulture), entry.UserId ?? "", entry.UserName, entry.Action,
            entry.StudyId?.ToString() ?? "", entry.EntityKey ?? "", entry.Details))));

    /// <summary>Links <paramref name="entries"/>, in order, after the row whose hash is <paramref name="last"/>.</summary>
    public static void Seal(IEnumerable<AuditEntry> entries, string last)
    {
        foreach (var entry in entries)
        {
            entry.PreviousHash = last;
            entry.Hash = last = HashOf(entry);
        }
    }

    /// <summary>Whether the chain is intact, and if not, which rows break it and how.</summary>
    public static AuditVerification Verify(IReadOnlyList<AuditEntry> rows)
    {
        var unsealed = rows.Count(r => r.Hash.Length == 0);
        var sealedRows = rows.Where(r => r.Hash.Length > 0).OrderBy(r => r.Id).ToList();
        var problems = new List<string>();
        foreach (var row in sealedRows.Where(r => HashOf(r) != r.Hash))
        {
            problems.Add($"row {row.Id} ({row.At:u}, {row.Action}): its content does not match its hash; it was changed after it was written");
        }
        var byHash = sealedRows.GroupBy(r => r.Hash).ToDictionary(g => g.Key, g => g.First());
        var successors = sealedRows.GroupBy(r => r.PreviousHash).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var row in sealedRows.Where(r => r.PreviousHash.Length > 0 && !byHash.ContainsKey(r.PreviousHash)))
        {
            problems.Add($"row {row.Id} ({row.At:u}, {row.Action}): the row before it is missing; it was removed or changed");
        }
        foreach (var (previous, next) in successors.Where(s => s.Value.Count > 1))
        {
            problems.Add($"rows {string.Join(", ", next.Select(r => r.Id))} all follow {(previous.Length == 0 ? "the start of the chain" : $"row {byHash.GetValueOrDefault(previous)?.Id}")}: the chain forks there");
        }
        return new AuditVerification(sealedRows.Count, unsealed, problems);
    }
}

/// <summary><paramref name="Unsealed"/> rows predate the chain (written before it existed) and are not tamper-evident.</summary>
public sealed record AuditVerification(int Rows, int Unsealed, IReadOnlyList<string> Problems)
{
    public bool Intact => Problems.Count == 0;
}
