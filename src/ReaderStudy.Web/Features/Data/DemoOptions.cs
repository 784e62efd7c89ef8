namespace ReaderStudy.Web.Features.Data;

/// <summary>The "Demo" configuration section.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Create the demo accounts and the demo study on start-up (never in a real deployment).</summary>
    public bool Seed { get; set; }

    /// <summary>The password every demo account gets; printed on start-up.</summary>
    public string Password { get; set; } = "Demo-pass-2026";

    /// <summary>Knee phantom subjects imported into the demo study, and their image size.</summary>
    public int PhantomSubjects { get; set; } = 3;
    public int PhantomSize { get; set; } = 192;
    public int PhantomSlices { get; set; } = 16;

    /// <summary>Readers beyond the two demo readers (reader3@…, reader4@…), members of the demo studies; bench/ load tests use them.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 10_000)]
    public int ExtraReaders { get; set; }

    /// <summary>Also seed a synthetic-CT study (pelvis phantom) and a mammography study beside the knee study.</summary>
    public bool OtherKinds { get; set; } = true;
}
