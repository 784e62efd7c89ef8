using ReaderStudy.Core.Studies;

namespace ReaderStudy.Web.Features.StudyResults;

public sealed record StudyResultsSummary(Guid StudyId, string Name, StudyState State, int Readers);
