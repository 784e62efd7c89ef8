namespace ReaderStudy.Core.Studies;

/// <summary>A named display window a reader can choose, in the study's units (e.g. "Bone": −500 to 1300 HU).</summary>
public sealed record WindowPreset(string Name, double Lower, double Upper)
{
    /// <summary>From the radiologist's centre and width (CT convention: W 400, L 40).</summary>
    public static WindowPreset FromCentreWidth(string name, double centre, double width) => new(name, centre - width / 2, centre + width / 2);
}
