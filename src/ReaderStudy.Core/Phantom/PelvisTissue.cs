namespace ReaderStudy.Core.Phantom;

/// <summary>The tissues of the pelvis phantom, with their CT density and T1-weighted MR signal.</summary>
public enum PelvisTissue : byte
{
    Air = 0,
    Fat = 1,
    Muscle = 2,
    CorticalBone = 3,
    /// <summary>Trabecular bone with fatty marrow.</summary>
    Marrow = 4,
    /// <summary>Sacroiliac joint space (cartilage and fluid).</summary>
    Joint = 5,
    /// <summary>An erosion: bone replaced by soft tissue at the joint's iliac side (the lesion readers look for).</summary>
    Erosion = 6,
}

public static class PelvisTissues
{
    /// <summary>CT density, HU (marrow varies per subject around this).</summary>
    public static double Hounsfield(PelvisTissue tissue) => tissue switch
    {
        PelvisTissue.Air => -1000,
        PelvisTissue.Fat => -100,
        PelvisTissue.Muscle => 45,
        PelvisTissue.CorticalBone => 1200,
        PelvisTissue.Marrow => 250,
        PelvisTissue.Joint => 30,
        PelvisTissue.Erosion => 35,
        _ => 0,
    };

    /// <summary>T1-weighted spin-echo signal (arbitrary units; fat and fatty marrow bright, cortex dark).</summary>
    public static double T1Signal(PelvisTissue tissue) => tissue switch
    {
        PelvisTissue.Fat => 900,
        PelvisTissue.Muscle => 350,
        PelvisTissue.CorticalBone => 50,
        PelvisTissue.Marrow => 700,
        PelvisTissue.Joint => 300,
        PelvisTissue.Erosion => 250,
        _ => 0,
    };
}
