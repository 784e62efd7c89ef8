namespace ReaderStudy.Core.Phantom;

/// <summary>
/// One synthetic breast as a craniocaudal view, in display sense (high is bright) on a 12-bit scale: the "real"
/// image and a "synthetic" one of the same breast outline with other fibroglandular texture, as an image
/// generator would draw it.
/// </summary>
public sealed class MammogramSubject
{
    public required int Index { get; init; }
    public required string Pseudonym { get; init; }
    public required MammographyPhantomOptions Options { get; init; }
    public required float[] Real { get; init; }
    public required float[] Synthetic { get; init; }
    /// <summary>Breast laterality, "L" or "R".</summary>
    public required string Laterality { get; init; }
}
