using ReaderStudy.Core.Auditing;

namespace ReaderStudy.Core.Tests;

public sealed class AuditChainTests
{
    private static List<AuditEntry> Chain(int rows)
    {
        var entries = Enumerable.Range(1, rows).Select(i => new AuditEntry
        {
            Id = i, At = new DateTimeOffset(2026, 12, 2, 9, 0, i, TimeSpan.Zero), UserName = "coordinator@x", Action = "Answer.added", Details = $"row {i}",
        }).ToList();
        AuditChain.Seal(entries.Take(3), "");
        AuditChain.Seal(entries.Skip(3), entries[2].Hash);
        return entries;
    }

    [Fact]
    public void Verify_AnUntouchedChain_IsIntact()
    {
        var verification = AuditChain.Verify(Chain(6));

        Assert.True(verification.Intact, string.Join("; ", verification.Problems));
        Assert.Equal(6, verification.Rows);
    }

    [Fact]
    public void Verify_ARowChangedAfterwards_IsNamed()
    {
        var rows = Chain(6);
        rows[3].Details = "trial of another reader";

        Assert.Equal(["row 4 (2026-12-02 09:00:04Z, Answer.added): its content does not match its hash; it was changed after it was written"], AuditChain.Verify(rows).Problems);
    }

    [Fact]
    public void Verify_ARowRemoved_NamesTheRowAfterTheGap()
    {
        var rows = Chain(6);
        rows.RemoveAt(2);

        Assert.Equal(["row 4 (2026-12-02 09:00:04Z, Answer.added): the row before it is missing; it was removed or changed"], AuditChain.Verify(rows).Problems);
    }

    [Fact]
    public void Verify_ARowRehashedToHideAChange_BreaksTheLinkAfterIt()
    {
        var rows = Chain(6);
        rows[1].Details = "forged";
        rows[1].Hash = AuditChain.HashOf(rows[1]);

        Assert.Equal(["row 3 (2026-12-02 09:00:03Z, Answer.added): the row before it is missing; it was removed or changed"], AuditChain.Verify(rows).Problems);
    }
}
