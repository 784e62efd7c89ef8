using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Statistics;
using ReaderStudy.Core.Statistics.Agreement;
using ReaderStudy.Core.Statistics.Comparison;
using ReaderStudy.Core.Statistics.Reliability;
using ReaderStudy.Core.Storage;
using ReaderStudy.Core.Studies;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.StudyResults;

/// <summary>The study's statistics, computed from the answers joined to the key once the study closes.</summary>
public sealed class ResultsService(IDbContextFactory<ReaderStudyDbContext> dbFactory, IImageStore store, TimeProvider clock)
{
    /// <summary>The default equivalence margin: accuracy within 50 % ± 10 points counts as "could not tell them apart".</summary>
    public const double DefaultEquivalenceMargin = 0.10;

    /// <summary>Every answer joined to the key; refused while the study is open, since the key is sealed until then.</summary>
    public async Task<IReadOnlyList<AnswerRow>> AnswerRowsAsync(Guid studyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await RequireClosedAsync(db, studyId, cancellationToken);
        var single = await db.Studies.Where(s => s.Id == studyId).Select(s => s.ReadingMode).SingleAsync(cancellationToken) is var mode && mode.ShowsOneImage();
        var rows = await (from a in db.Answers.AsNoTracking()
                          join t in db.Trials on a.TrialId equals t.Id
                          join c in db.Cases on t.CaseId equals c.Id
                          join s in db.Subjects on c.SubjectId equals s.Id
                          join q in db.Questions on a.QuestionId equals q.Id
                          join u in db.Users on t.ReaderId equals u.Id
                          where a.StudyId == studyId
                          select new { u.Email, c.Number, s.Pseudonym, t.Position, t.RealOnLeft, t.Seed, t.IsRepeat, q.Order, q.Text, q.Kind, a.Side, a.Value, a.AnsweredAt, t.SecondsSpent })
            .ToListAsync(cancellationToken);
        // Answers joined to the key are the unblinded results: every read of them is on the record.
        db.Audit("results.read", studyId, $"{rows.Count} answer(s) with the key");
        await db.SaveChangesAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Email).ThenBy(r => r.Position).ThenBy(r => r.Order).ThenBy(r => r.Side).Select(r =>
        {
            // Single-image reading: the one image shown is real when RealOnLeft; every answer is about it.
            var origin = single ? (r.RealOnLeft ? "real" : "synthetic") : r.Side.Length == 0 ? "" : (r.Side == "left") == r.RealOnLeft ? "real" : "synthetic";
            int? correct = r.Kind != QuestionKind.WhichIsReal ? null : r.Value switch
            {
                "left" or "right" => (r.Value == "left") == r.RealOnLeft ? 1 : 0,
                "real" or "synthetic" => (r.Value == "real") == r.RealOnLeft ? 1 : 0,
                _ => null,
            };
            return new AnswerRow(r.Email!, r.Number, r.Pseudonym, r.Position, r.RealOnLeft, r.Seed, r.IsRepeat, r.Order, r.Text, r.Kind.ToString(), r.Side, origin, r.Value, correct, r.AnsweredAt, Math.Round(r.SecondsSpent, 1));
        })];
    }

    public async Task<StudyResultsModel> ComputeAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        await ComputeAsync(studyId, DefaultEquivalenceMargin, cancellationToken);

    /// <summary>Diagnostic reading: the synthetic map's reader-averaged AUC may be at most this much below the real map's.</summary>
    public const double DefaultNonInferiorityMargin = 0.05;

    /// <param name="margin">The equivalence margin around 50 % the statistician chose (0 to 0.5, exclusive).</param>
    /// <param name="findings">What the images give, when the caller has read it already (another margin changes none of it).</param>
    public async Task<StudyResultsModel> ComputeAsync(Guid studyId, double margin, CancellationToken cancellationToken = default, double nonInferiorityMargin = DefaultNonInferiorityMargin,
        ImageFindings? findings = null)
    {
        if (margin is <= 0 or >= 0.5)
        {
            throw new StudyRuleException($"The equivalence margin must lie between 0 and 0.5 (50 percentage points); {margin} was given.");
        }
        var rows = await AnswerRowsAsync(studyId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == studyId, cancellationToken);
        var notes = new List<string>();
        findings ??= await ImageFindingsAsync(studyId, cancellationToken);
        var regional = findings.Regional;
        var cases = await db.Cases.CountAsync(c => c.StudyId == studyId, cancellationToken);
        var readers = rows.Select(r => r.Reader).Distinct().Order().ToList();

        var firstReadings = rows.Where(r => !r.IsRepeat).ToList();
        var accuracy = readers.Select(reader => Accuracy(reader, firstReadings.Where(r => r.Reader == reader).ToList(), margin))
            .Append(Accuracy("all readers (pooled)", firstReadings, margin, pooled: true)).OfType<ReaderAccuracy>().ToList();
        var grades = firstReadings.Where(r => r.QuestionKind == nameof(QuestionKind.Likert) && r.ImageOrigin.Length > 0).GroupBy(r => r.Question)
            .SelectMany(q => readers.Select(reader => Grades(q.Key, reader, [.. q.Where(r => r.Reader == reader)])).Append(Grades(q.Key, "all readers (pooled)", [.. q])))
            .ToList();
        var (kappa, kappaNote) = CorrectnessAgreement(firstReadings, readers);
        var intra = IntraReader(rows, readers);
        var (mrmc, mrmcNote) = Mrmc(firstReadings, readers);
        if (mrmcNote is not null)
        {
            notes.Add($"Multi-reader multi-case AUC: {mrmcNote}");
        }
        var agreement = regional.GroupBy(r => r.Region).Select(g => RegionAgreementOf(g.Key, [.. g])).ToList();
        var slices = findings.SliceMeans;
        if (slices.Count > 0)
        {
            agreement.Add(RegionAgreementOf($"{FirstSegmentName(study, regional)}, per slice", slices));
        }
        var excluded = await db.Subjects.Where(s => s.StudyId == studyId && s.ExcludedReason != null).OrderBy(s => s.Pseudonym)
            .Select(s => s.Pseudonym + " (" + s.ExcludedReason + ")").ToListAsync(cancellationToken);
        if (excluded.Count > 0)
        {
            notes.Add($"Excluded by the coordinator before opening, so in no analysis: {string.Join("; ", excluded)}.");
        }
        if (cases < 3)
        {
            notes.Add($"Only {cases} case(s): correlation and agreement across cases need at least 3.");
        }
        var diagnostic = await DiagnosticAsync(db, study, firstReadings, nonInferiorityMargin, notes, cancellationToken);
        return new StudyResultsModel(study.Name, clock.GetUtcNow(), readers.Count, cases, accuracy, grades, kappa, kappaNote, agreement,
            findings.Similarity, notes, intra, mrmc, Reliability(firstReadings, readers),
            new StudyBlinding(study.Presentation().Summary(), study.BlindingVerdict, study.BlindingOverrideReason), diagnostic,
            study.Profile.Quantity, study.Profile.Units, FirstSegmentName(study, regional).ToLowerInvariant());
    }

    // The knee's first segment is femoral cartilage; other studies name theirs in the segmentation.
    private static string FirstSegmentName(Core.Studies.Study study, IReadOnlyList<RegionalT2Row> regional) =>
        study.Kind == Core.Studies.StudyKind.QuantitativeMap ? "Femoral cartilage" : regional.FirstOrDefault(r => r.Segment == 1)?.Region ?? "Segment 1";

    /// <summary>The diagnostic readings as the long MRMC table: reader, modality (real or synthetic), subject, truth, rating.</summary>
    public async Task<IReadOnlyList<MrmcReading>> DiagnosticReadingsAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        await DiagnosticReadingsAsync(studyId, await AnswerRowsAsync(studyId, cancellationToken), cancellationToken);

    /// <summary>The same, from answer rows the caller has already read.</summary>
    public async Task<IReadOnlyList<MrmcReading>> DiagnosticReadingsAsync(Guid studyId, IReadOnlyList<AnswerRow> rows, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return DiagnosticReadings(await TruthAsync(db, studyId, cancellationToken), [.. rows.Where(r => !r.IsRepeat)]);
    }

    private static Task<Dictionary<string, bool>> TruthAsync(ReaderStudyDbContext db, Guid studyId, CancellationToken cancellationToken) =>
        db.Subjects.AsNoTracking().Where(s => s.StudyId == studyId && s.ReferenceTruth != null).ToDictionaryAsync(s => s.Pseudonym, s => s.ReferenceTruth!.Value, cancellationToken);

    // The diagnostic rating is the form's first question (ReadingDesign.DefaultQuestions puts it there).
    private static List<MrmcReading> DiagnosticReadings(Dictionary<string, bool> truth, IReadOnlyList<AnswerRow> rows) =>
        [.. rows.Where(r => r.QuestionOrder == 1 && r.ImageOrigin.Length > 0 && truth.ContainsKey(r.Subject)
                && double.TryParse(r.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            .Select(r => new MrmcReading(r.Reader, r.ImageOrigin, r.Subject, truth[r.Subject], double.Parse(r.Value, System.Globalization.CultureInfo.InvariantCulture)))];

    private static async Task<DiagnosticEquivalence?> DiagnosticAsync(ReaderStudyDbContext db, Core.Studies.Study study, IReadOnlyList<AnswerRow> rows, double margin, List<string> notes, CancellationToken cancellationToken)
    {
        if (study.ReadingMode != ReadingMode.Diagnostic)
        {
            return null;
        }
        try
        {
            var comparison = ObuchowskiRockette.Compare(MrmcReadings.From(DiagnosticReadings(await TruthAsync(db, study.Id, cancellationToken), rows)));
            return new DiagnosticEquivalence(study.DiagnosticFinding, comparison, comparison.NonInferiorityOf("synthetic", margin));
        }
        catch (StatisticsException e)
        {
            notes.Add($"Diagnostic equivalence: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Everything the results take from the images (regional mean T2 of the real and the synthetic map of every case
    /// over the subject's segmentation, per-slice means, similarity), read from the maps once; or, once the retention setting has
    /// removed the study's images, as they were kept at that moment.
    /// </summary>
    public async Task<ImageFindings> ImageFindingsAsync(Guid studyId, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var kept = await db.Studies.Where(s => s.Id == studyId).Select(s => s.ImageFindings).SingleAsync(cancellationToken);
            if (kept is not null)
            {
                return ImageFindings.FromJson(kept);
            }
        }
        var pairs = await PairsAsync(studyId, cancellationToken);
        return new ImageFindings(Regional(pairs), SliceMeans(pairs), Similarity(pairs));
    }

    private static List<RegionalT2Row> Regional(IReadOnlyList<Pair> pairs)
    {
        var result = new List<RegionalT2Row>();
        foreach (var item in pairs)
        {
            foreach (var (number, label) in item.Segmentation.Segments)
            {
                var mask = item.Segmentation.MaskFor(number, item.Positions, item.Normal);
                var (real, synthetic, count) = (0.0, 0.0, 0);
                for (var v = 0; v < mask.Length; v++)
                {
                    if (mask[v])
                    {
                        real += item.Real[v];
                        synthetic += item.Synthetic[v];
                        count++;
                    }
                }
                if (count > 0)
                {
                    result.Add(new RegionalT2Row(item.Case, item.Subject, number, label, count, Math.Round(real / count, 4), Math.Round(synthetic / count, 4)));
                }
            }
        }
        return result;
    }

    /// <summary>Femoral cartilage mean T2 of every slice of every case (slices with at least 10 cartilage voxels).</summary>
    private static List<RegionalT2Row> SliceMeans(IReadOnlyList<Pair> pairs)
    {
        var result = new List<RegionalT2Row>();
        foreach (var item in pairs)
        {
            var mask = item.Segmentation.MaskFor(item.Segmentation.Segments[0].Number, item.Positions, item.Normal);
            var sliceLength = item.Rows * item.Columns;
            for (var slice = 0; slice < item.Positions.Count; slice++)
            {
                var voxels = Enumerable.Range(slice * sliceLength, sliceLength).Where(v => mask[v]).ToList();
                if (voxels.Count >= 10)
                {
                    result.Add(new RegionalT2Row(item.Case, item.Subject, item.Segmentation.Segments[0].Number, $"slice {slice + 1}", voxels.Count,
                        Math.Round(voxels.Average(v => item.Real[v]), 4), Math.Round(voxels.Average(v => item.Synthetic[v]), 4)));
                }
            }
        }
        return result;
    }

    private static IReadOnlyList<GradeReliability> Reliability(IReadOnlyList<AnswerRow> rows, IReadOnlyList<string> readers) =>
        [.. rows.Where(r => r.QuestionKind == nameof(QuestionKind.Likert) && r.ImageOrigin == "synthetic").GroupBy(r => r.Question).Select(q =>
        {
            var table = q.GroupBy(r => r.Case).Select(c => (IReadOnlyList<double?>)[.. readers.Select(reader =>
                c.FirstOrDefault(r => r.Reader == reader) is { } answer ? double.Parse(answer.Value, System.Globalization.CultureInfo.InvariantCulture) : (double?)null)]).ToList();
            try
            {
                return new GradeReliability(q.Key, KrippendorffAlpha.Compute(new RatingTable(table), MeasurementLevel.Ordinal), null);
            }
            catch (StatisticsException e)
            {
                return new GradeReliability(q.Key, null, e.Message);
            }
        })];

    private static List<PairSimilarity> Similarity(IReadOnlyList<Pair> pairs)
    {
        var result = new List<PairSimilarity>();
        foreach (var item in pairs)
        {
            var cartilage = item.Segmentation.MaskFor(item.Segmentation.Segments[0].Number, item.Positions, item.Normal);
            var tissueOutside = cartilage.Select((inside, v) => !inside && item.Real[v] > item.TissueAbove).ToArray();
            if (!cartilage.Any(c => c) || !tissueOutside.Any(c => c))
            {
                continue;
            }
            var real = Enumerable.Range(0, cartilage.Length).Where(v => cartilage[v]).Select(v => (double)item.Real[v]).ToArray();
            var synthetic = Enumerable.Range(0, cartilage.Length).Where(v => cartilage[v]).Select(v => (double)item.Synthetic[v]).ToArray();
            CorrelationResult? pearson = null;
            ConcordanceResult? ccc = null;
            try
            {
                (pearson, ccc) = (Correlation.Pearson(synthetic, real), Concordance.Lin(synthetic, real));
            }
            catch (StatisticsException)
            {
                // A constant map (e.g. clipped everywhere) has no voxel-level correlation; the similarity still stands.
            }
            result.Add(new PairSimilarity(item.Case, item.Subject,
                ImageSimilarity.Compare(item.Real, item.Synthetic, item.Rows, item.Columns, cartilage, item.Range),
                ImageSimilarity.Compare(item.Real, item.Synthetic, item.Rows, item.Columns, tissueOutside, item.Range), pearson, ccc));
        }
        return result;
    }

    private sealed record Pair(int Case, string Subject, float[] Real, float[] Synthetic, int Rows, int Columns, DicomSegmentation Segmentation, IReadOnlyList<double> Positions, double[] Normal, double Range, double TissueAbove);

    private async Task<IReadOnlyList<Pair>> PairsAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == studyId, cancellationToken);
        var cases = await db.Cases.AsNoTracking().Where(c => c.StudyId == studyId).OrderBy(c => c.Number).ToListAsync(cancellationToken);
        var pairs = new List<Pair>();
        foreach (var c in cases)
        {
            var subject = await db.Subjects.Where(s => s.Id == c.SubjectId).Select(s => s.Pseudonym).SingleAsync(cancellationToken);
            var segmentation = await db.Series.AsNoTracking().Include(s => s.Images).FirstOrDefaultAsync(s => s.SubjectId == c.SubjectId && s.Kind == SeriesKind.Segmentation, cancellationToken);
            var real = await LoadAsync(db, c.RealSeriesId, cancellationToken);
            var synthetic = await LoadAsync(db, c.SyntheticSeriesId, cancellationToken);
            if (segmentation is null || segmentation.Images.Count == 0 || real is null || synthetic is null || real.Values.Length != synthetic.Values.Length)
            {
                continue;
            }
            var seg = DicomSegmentation.Read(await store.GetLocalPathAsync(segmentation.Images[0].ContentHash, cancellationToken));
            if (seg.Segments.Count == 0 || seg.Rows != real.Geometry.Rows || seg.Columns != real.Geometry.Columns)
            {
                continue;
            }
            pairs.Add(new Pair(c.Number, subject, real.Values, synthetic.Values, real.Geometry.Rows, real.Geometry.Columns, seg,
                [.. real.Slices.Select(s => s.SlicePosition())], real.Geometry.Normal, study.DisplayMax - study.DisplayMin, study.Profile.TissueAbove));
        }
        return pairs;
    }

    private async Task<LoadedVolume?> LoadAsync(ReaderStudyDbContext db, Guid seriesId, CancellationToken cancellationToken)
    {
        var images = await db.SeriesImages.AsNoTracking().Where(i => i.SeriesId == seriesId).ToListAsync(cancellationToken);
        if (images.Count == 0)
        {
            return null;
        }
        var decoded = new List<DicomImage>();
        foreach (var image in images)
        {
            decoded.Add(DicomReader.Read(await store.GetLocalPathAsync(image.ContentHash, cancellationToken)));
        }
        return VolumeLoader.Stack(decoded, $"series {seriesId}");
    }

    /// <summary>Realness score per case of one reader: the image chosen as real gets 5 + confidence, the other 6 − confidence.</summary>
    internal static Dictionary<int, (double Real, double Synthetic)> RealnessScores(IReadOnlyList<AnswerRow> rows)
    {
        var confidence = rows.Where(r => r.QuestionKind == nameof(QuestionKind.Likert) && r.Side.Length == 0 && r.QuestionOrder == 2)
            .GroupBy(r => (r.Reader, r.Case)).ToDictionary(g => g.Key, g => int.Parse(g.First().Value, System.Globalization.CultureInfo.InvariantCulture));
        var scores = new Dictionary<int, (double, double)>();
        foreach (var choice in rows.Where(r => r.Correct.HasValue && r.Value is "left" or "right" && confidence.ContainsKey((r.Reader, r.Case))))
        {
            var c = confidence[(choice.Reader, choice.Case)];
            var (chosen, other) = (5.0 + c, 6.0 - c);
            scores[choice.Case] = choice.Correct == 1 ? (chosen, other) : (other, chosen);
        }
        return scores;
    }

    private static (MrmcResult?, string?) Mrmc(IReadOnlyList<AnswerRow> rows, IReadOnlyList<string> readers)
    {
        var perReader = readers.Select(reader => RealnessScores([.. rows.Where(r => r.Reader == reader)])).ToList();
        IEnumerable<int> shared = perReader.Count == 0 ? [] : perReader[0].Keys;
        foreach (var scores in perReader.Skip(1))
        {
            shared = shared.Intersect(scores.Keys);
        }
        var common = shared.Order().ToList();
        try
        {
            return (MrmcAuc.Analyse([.. perReader.Select(s => (IReadOnlyList<(double, double)>)[.. common.Select(c => s[c])])]), null);
        }
        catch (StatisticsException e)
        {
            return (null, e.Message);
        }
    }

    /// <remarks>
    /// The pooled row gets no ROC curve: pooling every reader's ratings into one curve treats readings of the same
    /// case as independent, and its DeLong interval is too narrow. Its AUC is the reader-averaged one of the
    /// multi-reader multi-case analysis (see <see cref="Mrmc"/>).
    /// </remarks>
    private static ReaderAccuracy? Accuracy(string reader, IReadOnlyList<AnswerRow> rows, double margin, bool pooled = false)
    {
        var choices = rows.Where(r => r.Correct.HasValue).ToList();
        if (choices.Count == 0)
        {
            return null;
        }
        var correct = choices.Sum(r => r.Correct!.Value);
        RocResult? roc = null;
        var scores = pooled ? [] : RealnessScores(rows).Values.ToList();
        if (scores.Count > 0)
        {
            roc = RocAnalysis.Analyse([.. scores.Select(s => s.Real)], [.. scores.Select(s => s.Synthetic)]);
        }
        return new ReaderAccuracy(reader, BinomialTest.Test(correct, choices.Count), EquivalenceTest.Binomial(correct, choices.Count, margin), roc);
    }

    private static GradeComparison Grades(string question, string reader, IReadOnlyList<AnswerRow> rows)
    {
        var pairs = rows.GroupBy(r => (r.Reader, r.Case))
            .Select(g => (Real: g.FirstOrDefault(r => r.ImageOrigin == "real")?.Value, Synthetic: g.FirstOrDefault(r => r.ImageOrigin == "synthetic")?.Value))
            .Where(p => p.Real is not null && p.Synthetic is not null)
            .Select(p => (Real: double.Parse(p.Real!, System.Globalization.CultureInfo.InvariantCulture), Synthetic: double.Parse(p.Synthetic!, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        var (real, synthetic) = (pairs.Select(p => p.Real).ToArray(), pairs.Select(p => p.Synthetic).ToArray());
        PairedTTestResult? t = null;
        WilcoxonResult? w = null;
        string? note = null;
        try
        {
            t = PairedTTest.Test(real, synthetic);
        }
        catch (StatisticsException e)
        {
            note = $"paired t: {e.Message}";
        }
        try
        {
            w = WilcoxonSignedRank.Test(real, synthetic);
        }
        catch (StatisticsException e)
        {
            note = (note is null ? "" : note + " ") + $"Wilcoxon: {e.Message}";
        }
        return new GradeComparison(question, reader, pairs.Count, pairs.Count == 0 ? double.NaN : real.Average(), pairs.Count == 0 ? double.NaN : synthetic.Average(), t, w, note);
    }

    private static (FleissKappaResult?, string?) CorrectnessAgreement(IReadOnlyList<AnswerRow> rows, IReadOnlyList<string> readers)
    {
        if (readers.Count < 2)
        {
            return (null, "Inter-reader agreement needs at least two readers.");
        }
        var table = rows.Where(r => r.Correct.HasValue).GroupBy(r => r.Case)
            .Select(g => (IReadOnlyList<double?>)[.. readers.Select(reader => (double?)g.FirstOrDefault(r => r.Reader == reader)?.Correct)])
            .ToList();
        try
        {
            return (FleissKappa.Compute(new RatingTable(table)), null);
        }
        catch (StatisticsException e)
        {
            return (null, $"Fleiss' kappa on correct answers: {e.Message}");
        }
    }

    /// <summary>Each reader's first and repeated "which is real" answers on the repeated cases: Cohen's kappa on correct vs incorrect.</summary>
    private static IReadOnlyList<IntraReaderAgreement> IntraReader(IReadOnlyList<AnswerRow> rows, IReadOnlyList<string> readers)
    {
        var result = new List<IntraReaderAgreement>();
        foreach (var reader in readers)
        {
            var mine = rows.Where(r => r.Reader == reader && r.Correct.HasValue).ToList();
            var pairs = mine.Where(r => r.IsRepeat)
                // Single-image reading repeats an image, so the first reading is of the same image when there is one.
                .Select(repeat => (First: mine.Where(r => !r.IsRepeat && r.Case == repeat.Case).OrderByDescending(r => r.RealOnLeft == repeat.RealOnLeft).FirstOrDefault(), Repeat: repeat))
                .Where(p => p.First is not null).ToList();
            if (pairs.Count == 0)
            {
                continue;
            }
            var agreement = pairs.Count(p => p.First!.Correct == p.Repeat.Correct) / (double)pairs.Count;
            try
            {
                var kappa = CohenKappa.Compute([.. pairs.Select(p => (double)p.First!.Correct!.Value)], [.. pairs.Select(p => (double)p.Repeat.Correct!.Value)]);
                result.Add(new IntraReaderAgreement(reader, pairs.Count, agreement, kappa, null));
            }
            catch (StatisticsException e)
            {
                result.Add(new IntraReaderAgreement(reader, pairs.Count, agreement, null, e.Message));
            }
        }
        return result;
    }

    private static RegionAgreement RegionAgreementOf(string region, IReadOnlyList<RegionalT2Row> rows)
    {
        var (real, synthetic) = (rows.Select(r => r.RealMeanMs).ToArray(), rows.Select(r => r.SyntheticMeanMs).ToArray());
        T? Try<T>(Func<T> compute, List<string> notes) where T : class
        {
            try { return compute(); } catch (StatisticsException e) { notes.Add(e.Message); return null; }
        }
        var notes = new List<string>();
        var result = new RegionAgreement(region, rows.Count,
            Try(() => Correlation.Pearson(synthetic, real), notes), Try(() => Correlation.Spearman(synthetic, real), notes),
            Try(() => Concordance.Lin(synthetic, real), notes),
            Try(() => AbsoluteAgreement(rows), notes),
            Try(() => BlandAltman.Analyse(synthetic, real), notes), Try(() => LinearRegression.Fit(real, synthetic), notes),
            notes.Count == 0 ? null : string.Join(" ", notes.Distinct()));
        return result;
    }

    // The two methods as two "raters" of each case: ICC for absolute agreement, single measurement (Shrout-Fleiss ICC2).
    private static IccResult AbsoluteAgreement(IReadOnlyList<RegionalT2Row> rows)
    {
        if (rows.Count < 3)
        {
            throw new StatisticsException($"the intraclass correlation needs at least 3 cases, got {rows.Count}.");
        }
        var icc = IntraclassCorrelation.All(new RatingTable([.. rows.Select(r => (IReadOnlyList<double?>)[r.RealMeanMs, r.SyntheticMeanMs])])).Single(i => i.Type == "ICC2");
        return new[] { icc.Value, icc.CiLower, icc.CiUpper, icc.F, icc.P }.All(double.IsFinite)
            ? icc
            : throw new StatisticsException("the intraclass correlation is undefined: the cases do not vary.");
    }

    private static async Task RequireClosedAsync(ReaderStudyDbContext db, Guid studyId, CancellationToken cancellationToken)
    {
        var state = await db.Studies.Where(s => s.Id == studyId).Select(s => s.State).SingleAsync(cancellationToken);
        if (state != StudyState.Closed)
        {
            throw new StudyRuleException("Results need the randomization key, which is sealed until the study closes.");
        }
    }
}
