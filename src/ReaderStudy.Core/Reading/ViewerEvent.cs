namespace ReaderStudy.Core.Reading;

/// <summary>What a reader did in the viewer during a trial (slice change, window/level, zoom), for perception analyses.</summary>
public sealed class ViewerEvent
{
    public long Id { get; set; }
    public Guid TrialId { get; set; }
    public DateTimeOffset At { get; set; }
    public string Kind { get; set; } = "";
    public string Detail { get; set; } = "";
}
