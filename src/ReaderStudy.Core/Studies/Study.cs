namespace ReaderStudy.Core.Studies;

/// <summary>One validation study: its design, its members and its state.</summary>
public sealed class Study
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>What the study compares (T2 maps, CT, grayscale MR, mammograms): how images are imported and presented.</summary>
    public StudyKind Kind { get; set; } = StudyKind.QuantitativeMap;
    /// <summary>What kind of map is validated, e.g. "T2 (ms)" or "synthetic CT (HU)".</summary>
    public string QuantityLabel { get; set; } = "T2 (ms)";
    public StudyState State { get; set; } = StudyState.Draft;
    public DateTimeOffset CreatedAt { get; set; }
    public List<StudyMember> Members { get; set; } = [];
    public Reading.ReadingMode ReadingMode { get; set; } = Reading.ReadingMode.PairedWhichIsReal;
    /// <summary>The seed every reader's order and sides are drawn from (with the reader), recorded so the design can be reproduced.</summary>
    public int RandomSeed { get; set; } = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue);
    /// <summary>May a reader change a submitted case?</summary>
    public bool AllowAnswerChanges { get; set; }
    /// <summary>Cases each reader reads a second time, after all others (the first pass is the washout), for intra-reader agreement.</summary>
    public int RepeatedCases { get; set; }
    /// <summary>Diagnostic reading: the finding rated, e.g. "cartilage lesion in the medial femoral condyle".</summary>
    public string DiagnosticFinding { get; set; } = "";
    /// <summary>Diagnostic reading: the two readings of one subject are at least this many cases apart in a reader's order.</summary>
    public int DiagnosticSpacing { get; set; }
    /// <summary>Diagnostic reading: days between a reader's first and second block (0: the second follows at once).</summary>
    public int DiagnosticWashoutDays { get; set; }
    /// <summary>The presented range of maps, ms: both maps of a pair are clipped to it and displayed with it.</summary>
    public double DisplayMin { get; set; }
    public double DisplayMax { get; set; } = 100;
    /// <summary>Every presented value is a whole multiple of this, ms (0: as stored).</summary>
    public double PresentationStep { get; set; } = Reading.Presentation.PresentationSettings.Default.Step;
    public Reading.Presentation.PresentationMask PresentationMask { get; set; } = Reading.Presentation.PresentationSettings.Default.Mask;
    /// <summary>The colour map readers' maps open with (viridis, magma or jet; grey for other kinds); a reader may switch in the viewer.</summary>
    public string Colormap { get; set; } = "viridis";
    /// <summary>Readers see the subject's segmentation outlined over both images (and may hide it); the same outline for both.</summary>
    public bool OutlineSegmentation { get; set; }
    /// <summary>
    /// The description of the subject's anatomic series readers see beside the pair as context (SAG DESS, say), linked
    /// to it; empty for none. One pane for both images, so it tells nothing of which is which.
    /// </summary>
    public string ContextSeries { get; set; } = "";
    /// <summary>The blinding check's verdict when the study was opened, kept for the report.</summary>
    public string? BlindingVerdict { get; set; }
    /// <summary>The coordinator's written reason for opening although the blinding check found a leak.</summary>
    public string? BlindingOverrideReason { get; set; }
    /// <summary>When the study was closed; the retention period counts from it.</summary>
    public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>When the retention setting removed the study's images; the study's results stand on <see cref="ImageFindings"/> since.</summary>
    public DateTimeOffset? ImagesReleasedAt { get; set; }
    /// <summary>What the results took from the images (regional means, per-slice means, similarity), kept as JSON when the images were removed.</summary>
    public string? ImageFindings { get; set; }
    /// <summary>The study's secret for de-identification: keys the UID remapping and the patient keys. Never shown.</summary>
    public string DeidentificationKey { get; set; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>What readers receive is one function of these settings, for the real and the synthetic map alike.</summary>
    public Reading.Presentation.PresentationSettings Presentation()
    {
        var profile = Profile;
        return new(DisplayMin, DisplayMax, PresentationStep, PresentationMask, profile.ZeroIsBackground, profile.Units, profile.NormalizeTo);
    }

    public StudyKindProfile Profile => StudyKindProfile.For(Kind);

    /// <summary>Sets the kind and the presentation defaults that go with it (a new study, or a draft whose kind changes).</summary>
    public void UseKind(StudyKind kind)
    {
        var profile = StudyKindProfile.For(kind);
        (Kind, QuantityLabel, DisplayMin, DisplayMax, PresentationStep, Colormap) = (kind, profile.QuantityLabel, profile.DisplayMin, profile.DisplayMax, profile.Step, profile.Colormap);
        // Projection images are read one at a time, "real or synthetic?", as in the published mammography study.
        ReadingMode = profile.Slices ? ReadingMode : Reading.ReadingMode.SingleRealOrSynthetic;
    }
}
