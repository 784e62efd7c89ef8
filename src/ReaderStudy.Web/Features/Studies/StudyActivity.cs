namespace ReaderStudy.Web.Features.Studies;

/// <summary>What a user wants to do with one study; each needs its own kind of membership.</summary>
public enum StudyActivity
{
    /// <summary>See that the study exists, its name and state: any member.</summary>
    View,
    /// <summary>Change its design, members and state: a coordinator member (or an admin).</summary>
    Coordinate,
    /// <summary>See results and exports: a statistician member, a coordinator member once the study is closed, or an admin.</summary>
    Analyse,
    /// <summary>Read cases: a reader member, and nobody else.</summary>
    Read,
}
