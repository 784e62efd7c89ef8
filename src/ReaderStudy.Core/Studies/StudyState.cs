namespace ReaderStudy.Core.Studies;

public enum StudyState
{
    Draft = 0,
    Open = 1,
    Closed = 2,
}
