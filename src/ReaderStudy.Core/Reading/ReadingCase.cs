using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Reading;

/// <summary>What a reader judges once: a subject's real and synthetic T2 maps of the same slices.</summary>
public sealed class ReadingCase : IStudyScoped
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid StudyId { get; set; }
    public Guid SubjectId { get; set; }
    public Guid RealSeriesId { get; set; }
    public Guid SyntheticSeriesId { get; set; }
    public int Number { get; set; }
}
