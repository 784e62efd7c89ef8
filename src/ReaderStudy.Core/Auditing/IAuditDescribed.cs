namespace ReaderStudy.Core.Auditing;

/// <summary>An entity whose audit rows say more than its key: what it belongs to (an answer's trial and question).</summary>
public interface IAuditDescribed
{
    string AuditDetails { get; }
}
