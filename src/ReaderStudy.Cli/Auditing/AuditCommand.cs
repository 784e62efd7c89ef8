using System.CommandLine;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Auditing;

namespace ReaderStudy.Cli.Auditing;

/// <summary>`readerstudy audit verify`: is the audit log's hash chain intact, and if not, where does it break?</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var verify = new Command("verify", "Check the audit log's hash chain; exit 0 if intact, 1 if a row was changed, removed or inserted afterwards.")
        {
            PortalDatabase.DataFolder, PortalDatabase.Postgres,
        };
        verify.SetAction(async (result, cancellationToken) =>
        {
            await using var db = PortalDatabase.Open(result);
            var rows = await db.AuditLog.AsNoTracking().ToListAsync(cancellationToken);
            var verification = AuditChain.Verify(rows);
            result.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["intact"] = verification.Intact,
                ["rows"] = verification.Rows,
                ["rows_before_the_chain"] = verification.Unsealed,
                ["problems"] = verification.Problems,
            }, CliJson.Options));
            return verification.Intact ? 0 : 1;
        });
        return new Command("audit", "The audit log.") { verify };
    }
}
