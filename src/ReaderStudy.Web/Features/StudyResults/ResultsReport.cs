using System.Globalization;
using System.Net;
using System.Text;
using ReaderStudy.Core.Statistics.Comparison;

namespace ReaderStudy.Web.Features.StudyResults;

/// <summary>The study report as one HTML file: every table and plot, no external resources.</summary>
public static class ResultsReport
{
    private static string F(double? v, string format = "0.###") => v is { } d && double.IsFinite(d) ? d.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string E(string s) => WebUtility.HtmlEncode(s);

    public static string Html(StudyResultsModel model, IReadOnlyList<RegionalT2Row> regional)
    {
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{E(model.Study)}: results</title>");
        html.Append("<style>body{font-family:system-ui,sans-serif;margin:24px;color:#12263f}table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #c3cdd9;padding:4px 8px;text-align:right}th{background:#eef2f7}td:first-child,th:first-child{text-align:left}.plots{display:flex;gap:16px;flex-wrap:wrap}</style></head><body>");
        html.Append($"<h1>{E(model.Study)}</h1><p>{model.Readers} reader(s), {model.Cases} case(s); generated {model.GeneratedAt:yyyy-MM-dd HH:mm} UTC by ReaderStudy.</p>");
        foreach (var note in model.Notes)
        {
            html.Append($"<p><em>{E(note)}</em></p>");
        }
        html.Append($"<h2>Blinding</h2><p id='blinding'>Readers received both maps of every pair through one presentation: {E(model.Blinding.Presentation)}. "
            + $"Blinding check at opening: {E(model.Blinding.Verdict ?? "not recorded (study opened before the check existed)")}.</p>");
        if (model.Blinding.OverrideReason is { Length: > 0 } reason)
        {
            html.Append($"<p><strong>Opened although the blinding check found a leak; the coordinator's reason:</strong> {E(reason)}</p>");
        }
        html.Append(Tables.Diagnostic(model));
        html.Append(Tables.Accuracy(model));
        html.Append(Tables.Grades(model));
        html.Append(Tables.Agreement(model));
        html.Append(Tables.T2(model));
        html.Append("<div class='plots'>");
        foreach (var figure in Figures(model, regional))
        {
            html.Append(figure.Svg);
        }
        html.Append("</div></body></html>");
        return html.ToString();
    }

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>Every plot of the results, each drawn twice from the same figures: static SVG and a Plotly figure.</summary>
    public static IEnumerable<ResultsFigure> Figures(StudyResultsModel model, IReadOnlyList<RegionalT2Row> regional)
    {
        var femoral = regional.Where(r => r.Segment == 1).ToList();
        var (quantity, axis) = (model.Quantity, model.QuantityWithUnits);
        if (femoral.Count > 0)
        {
            var subjects = femoral.Select(r => $"{r.Subject} (case {r.Case})").ToList();
            var title = $"{Capital(model.FirstSegment)} mean {quantity}";
            IReadOnlyList<(double, double)> points = [.. femoral.Select(r => (r.RealMeanMs, r.SyntheticMeanMs))];
            yield return new(SvgPlots.Scatter(title, points, $"real {axis}", $"synthetic {axis}"), PlotlyFigures.Scatter(title, points, subjects, $"real {axis}", $"synthetic {axis}"));
            var ba = model.T2Agreement.FirstOrDefault(a => a.Region == femoral[0].Region)?.BlandAltman;
            if (ba is not null)
            {
                var baTitle = $"Bland-Altman, {model.FirstSegment}";
                IReadOnlyList<(double, double)> differences = [.. femoral.Select(r => ((r.RealMeanMs + r.SyntheticMeanMs) / 2, r.SyntheticMeanMs - r.RealMeanMs))];
                yield return new(SvgPlots.BlandAltman(baTitle, differences, ba.Bias, ba.LoaLower, ba.LoaUpper), PlotlyFigures.BlandAltman(baTitle, differences, subjects, ba.Bias, ba.LoaLower, ba.LoaUpper));
            }
        }
        var regions = model.T2Agreement.Where(a => !a.Region.EndsWith(", per slice", StringComparison.Ordinal)).Select(a => a.Region).ToList();
        if (regions.Count > 0)
        {
            var means = regions.Select(region => (Real: regional.Where(r => r.Region == region).Select(r => r.RealMeanMs).DefaultIfEmpty(double.NaN).Average(),
                Synthetic: regional.Where(r => r.Region == region).Select(r => r.SyntheticMeanMs).DefaultIfEmpty(double.NaN).Average())).ToList();
            yield return Bars(model.Units == "ms" && quantity == "T2" ? "Mean T2 per cartilage region" : $"Mean {quantity} per segment", axis, [.. regions.Select(r => r.Replace("Femoral condyle ", "", StringComparison.Ordinal))],
                [("real", "#1d4e89", [.. means.Select(m => m.Real)]), ("synthetic", "#4fc1d1", [.. means.Select(m => m.Synthetic)])]);
        }
        var pooledGrades = model.Grades.Where(g => g.Reader == "all readers (pooled)").ToList();
        if (pooledGrades.Count > 0)
        {
            yield return Bars("Mean grade, real vs synthetic (all readers)", "grade (1 to 5)", [.. pooledGrades.Select(g => g.Question)],
                [("real", "#1d4e89", [.. pooledGrades.Select(g => g.RealMean)]), ("synthetic", "#4fc1d1", [.. pooledGrades.Select(g => g.SyntheticMean)])]);
        }
        if (model.Diagnostic is { } diagnostic)
        {
            IReadOnlyList<(string, string, IReadOnlyList<(double, double)>)> byModality = [.. diagnostic.Comparison.Modalities.Select(modality =>
                (modality, modality == "real" ? "#1d4e89" : "#4fc1d1",
                 (IReadOnlyList<(double, double)>)[.. RocAveraging.Vertical([.. diagnostic.Comparison.ReaderAucs.Where(a => a.Modality == modality).Select(a => a.Curve)]).Select(p => (p.Fpr, p.Tpr))]))];
            var title = $"ROC for {diagnostic.Finding}, reader-averaged per map";
            yield return new(SvgPlots.Curves(title, byModality), PlotlyFigures.Curves(title, byModality));
            foreach (var modality in diagnostic.Comparison.Modalities)
            {
                var curves = diagnostic.Comparison.ReaderAucs.Where(a => a.Modality == modality).Select(a => a.Curve).ToList();
                yield return Roc($"ROC on the {modality} map: each reader and reader-averaged", curves);
            }
        }
        var readerCurves = model.Accuracy.Where(a => a.Roc is not null).Select(a => a.Roc!.Curve).ToList();
        if (readerCurves.Count > 0)
        {
            yield return Roc($"ROC per reader and reader-averaged (AUC {F(RocAveraging.Area(RocAveraging.Vertical(readerCurves)), "0.00")})", readerCurves);
        }
    }

    private static ResultsFigure Bars(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<(string, string, IReadOnlyList<double>)> series) =>
        new(SvgPlots.Bars(title, yLabel, categories, series), PlotlyFigures.Bars(title, yLabel, categories, series));

    private static ResultsFigure Roc(string title, IReadOnlyList<IReadOnlyList<RocPoint>> curves)
    {
        IReadOnlyList<IReadOnlyList<(double, double)>> readers = [.. curves.Select(c => (IReadOnlyList<(double, double)>)[.. c.Select(p => (p.Fpr, p.Tpr))])];
        IReadOnlyList<(double, double)> averaged = [.. RocAveraging.Vertical(curves).Select(p => (p.Fpr, p.Tpr))];
        return new(SvgPlots.Roc(title, readers, averaged), PlotlyFigures.Roc(title, readers, averaged));
    }

    /// <summary>The tables, shared by the report and the results page.</summary>
    public static class Tables
    {
        public static string Accuracy(StudyResultsModel model)
        {
            var margin = model.Accuracy.FirstOrDefault()?.Equivalence.Margin ?? ResultsService.DefaultEquivalenceMargin;
            var html = new StringBuilder($"<h2>Telling real from synthetic</h2><table><tr><th>Reader</th><th>Correct</th><th>Accuracy</th><th>95 % CI (Clopper-Pearson)</th><th>p (exact binomial vs 50 %)</th><th>Equivalent to chance ±{F(margin * 100, "0.#")} points (TOST p)</th><th>AUC (95 % CI, DeLong)</th></tr>");
            foreach (var a in model.Accuracy)
            {
                html.Append($"<tr data-testid='accuracy-row'><td>{E(a.Reader)}</td><td>{a.Accuracy.Successes} / {a.Accuracy.N}</td><td>{F(a.Accuracy.Proportion, "0.0%")}</td><td>{F(a.Accuracy.CiLower, "0.0%")} to {F(a.Accuracy.CiUpper, "0.0%")}</td><td>{F(a.Accuracy.P, "0.0000")}</td>");
                html.Append($"<td>{(a.Equivalence.Equivalent ? "yes" : "not shown")} (TOST p = {F(a.Equivalence.P, "0.0000")})</td><td>{AucCell(a, model.Mrmc)}</td></tr>");
            }
            html.Append("</table>");
            if (model.Mrmc is { } m)
            {
                html.Append($"<p data-testid='mrmc'>Multi-reader multi-case (Obuchowski-Rockette, Hillis df): mean AUC {F(m.MeanAuc, "0.000")} ({MrmcInterval(m, "0.000")}), ");
                html.Append($"t {F(m.T, "0.00")} on {F(m.Df, "0.0")} df, p {F(m.P, "0.0000")} against 0.5; {m.Readers} readers, {m.Cases} cases.</p>");
            }
            return html.ToString();
        }

        // The pooled row shows the reader-averaged AUC with its random-readers, random-cases interval.
        private static string AucCell(ReaderAccuracy a, MrmcResult? mrmc) => a.Roc is { } r
            ? $"{F(r.Auc, "0.00")} ({F(r.CiLower, "0.00")} to {F(r.CiUpper, "0.00")})"
            : a.Reader == "all readers (pooled)" && mrmc is { } m
                ? $"<span data-testid='reader-averaged-auc'>{F(m.MeanAuc, "0.00")} ({MrmcInterval(m, "0.00")}), reader-averaged, OR/Hillis</span>"
                : "–";

        // With very few readers the reader variance has almost no degrees of freedom: an interval that leaves 0-1
        // says nothing about an AUC, so it is named for what it is instead of printed as a result.
        public static string MrmcInterval(MrmcResult m, string format) =>
            m.CiLower < 0 || m.CiUpper > 1 || !double.IsFinite(m.CiLower) || !double.IsFinite(m.CiUpper)
                ? $"95 % CI not estimable with {m.Readers} readers: the computed {F(m.CiLower, format)} to {F(m.CiUpper, format)} leaves 0–1; more readers are needed"
                : $"95 % CI {F(m.CiLower, format)} to {F(m.CiUpper, format)}";

        /// <summary>Diagnostic reading: reader AUCs per map, reader-averaged AUCs and their difference (OR/Hillis), non-inferiority.</summary>
        public static string Diagnostic(StudyResultsModel model)
        {
            if (model.Diagnostic is not { } d)
            {
                return "";
            }
            var c = d.Comparison;
            var html = new StringBuilder($"<h2>Diagnosing {E(d.Finding)}: real vs synthetic map</h2>");
            html.Append($"<p>{c.Readers.Count} readers, {c.Positives} cases with the finding and {c.Negatives} without (reference standard); each reader read every case on both maps. Empirical (trapezoidal) AUC; Obuchowski-Rockette with Hillis's degrees of freedom, covariances by the jackknife.</p>");
            html.Append("<table><tr><th>Map</th><th>Reader-averaged AUC</th><th>SE</th><th>df</th><th>95 % CI (random readers and cases)</th></tr>");
            foreach (var m in c.ModalitiesRandomReadersRandomCases)
            {
                html.Append($"<tr data-testid='diagnostic-modality'><td>{E(m.Modality)}</td><td>{F(m.Auc, "0.000")}</td><td>{F(m.Se, "0.0000")}</td><td>{F(m.Df, "0.0")}</td><td>{F(m.CiLower, "0.000")} to {F(m.CiUpper, "0.000")}</td></tr>");
            }
            html.Append("</table><table><tr><th>Generalizes to</th><th>Real − synthetic AUC</th><th>95 % CI</th><th>Test</th><th>p</th></tr>");
            foreach (var (label, t, statistic) in new[]
            {
                ("readers and cases (random, Hillis)", c.RandomReadersRandomCases, $"F({F(c.RandomReadersRandomCases.Df1, "0")}, {F(c.RandomReadersRandomCases.Df2, "0.00")}) = {F(c.RandomReadersRandomCases.Statistic, "0.00")}"),
                ("cases, these readers (fixed readers)", c.FixedReadersRandomCases, $"χ²({F(c.FixedReadersRandomCases.Df1, "0")}) = {F(c.FixedReadersRandomCases.Statistic, "0.00")}"),
                ("readers, these cases (fixed cases)", c.RandomReadersFixedCases, $"F({F(c.RandomReadersFixedCases.Df1, "0")}, {F(c.RandomReadersFixedCases.Df2, "0")}) = {F(c.RandomReadersFixedCases.Statistic, "0.00")}"),
            })
            {
                html.Append($"<tr data-testid='diagnostic-difference'><td>{label}</td><td>{F(t.Difference, "0.000")}</td><td>{F(t.CiLower, "0.000")} to {F(t.CiUpper, "0.000")}</td><td>{statistic}</td><td>{F(t.P, "0.0000")}</td></tr>");
            }
            html.Append("</table>");
            var n = d.NonInferiority;
            html.Append($"<p data-testid='noninferiority'>Non-inferiority of the synthetic map at a margin of {F(n.Margin, "0.###")} AUC: <strong>{(n.NonInferior ? "shown" : "not shown")}</strong> ");
            html.Append($"(synthetic − real {F(n.Difference, "0.000")}, lower 95 % bound {F(n.LowerBound, "0.000")} against −{F(n.Margin, "0.###")}; one-sided p {F(n.P, "0.0000")}).</p>");
            html.Append("<table><tr><th>Reader</th><th>Map</th><th>AUC (95 % CI, DeLong)</th></tr>");
            foreach (var a in c.ReaderAucs.OrderBy(a => a.Reader, StringComparer.Ordinal).ThenBy(a => a.Modality, StringComparer.Ordinal))
            {
                html.Append($"<tr data-testid='diagnostic-reader'><td>{E(a.Reader)}</td><td>{E(a.Modality)}</td><td>{F(a.Auc, "0.000")} ({F(a.CiLower, "0.000")} to {F(a.CiUpper, "0.000")})</td></tr>");
            }
            return html.Append("</table>").ToString();
        }

        public static string Grades(StudyResultsModel model)
        {
            var html = new StringBuilder("<h2>Image quality grades, real vs synthetic</h2><table><tr><th>Criterion</th><th>Reader</th><th>Pairs</th><th>Real mean</th><th>Synthetic mean</th><th>Paired t (df), p</th><th>Mean difference (95 % CI)</th><th>Cohen's d<sub>z</sub></th><th>Wilcoxon V, p</th></tr>");
            foreach (var g in model.Grades)
            {
                html.Append($"<tr><td>{E(g.Question)}</td><td>{E(g.Reader)}</td><td>{g.Pairs}</td><td>{F(g.RealMean, "0.00")}</td><td>{F(g.SyntheticMean, "0.00")}</td>");
                html.Append(g.PairedT is { } t ? $"<td>{F(t.T, "0.00")} ({F(t.Df, "0")}), {F(t.P, "0.0000")}</td><td>{F(t.MeanDifference, "0.00")} ({F(t.CiLower, "0.00")} to {F(t.CiUpper, "0.00")})</td><td>{F(t.EffectSizeDz, "0.00")}</td>" : $"<td colspan='3'>{E(g.Note ?? "")}</td>");
                html.Append(g.Wilcoxon is { } w ? $"<td>{F(w.V, "0.#")}, {F(w.P, "0.0000")}</td></tr>" : "<td>–</td></tr>");
            }
            return html.Append("</table>").ToString();
        }

        public static string Agreement(StudyResultsModel model) =>
            "<h2>Agreement between readers</h2>" + (model.CorrectnessAgreement is { } k
                ? $"<p>Fleiss' kappa on correct vs incorrect answers: {F(k.Kappa)} (z {F(k.Z, "0.00")}, p {F(k.P, "0.0000")}; {k.Subjects} cases, {k.Raters} readers).</p>"
                : $"<p>{E(model.CorrectnessAgreementNote ?? "")}</p>")
            + (model.GradeReliability.Count == 0 ? "" : "<table><tr><th>Grade of the synthetic images</th><th>Krippendorff's alpha (ordinal)</th></tr>"
                + string.Concat(model.GradeReliability.Select(g => $"<tr><td>{E(g.Question)}</td><td>{(g.Alpha is { } a ? F(a.Alpha) : E(g.Note ?? "–"))}</td></tr>")) + "</table>")
            + (model.IntraReader.Count == 0 ? "" : "<h2>Agreement of each reader with themselves (repeated cases)</h2><table><tr><th>Reader</th><th>Repeated cases</th><th>Same answer</th><th>Cohen's kappa (95 % CI)</th></tr>"
                + string.Concat(model.IntraReader.Select(i => $"<tr><td>{E(i.Reader)}</td><td>{i.RepeatedCases}</td><td>{F(i.Agreement, "0.0%")}</td><td>{(i.Kappa is { } c ? $"{F(c.Kappa)} ({F(c.CiLower)} to {F(c.CiUpper)})" : E(i.Note ?? "–"))}</td></tr>")) + "</table>");

        public static string T2(StudyResultsModel model)
        {
            var units = model.Units.Length == 0 ? "" : $", {E(model.Units)}";
            var html = new StringBuilder($"<h2>Synthetic vs real {E(model.Quantity)}, regional means across cases</h2><table><tr><th>Region</th><th>Cases</th><th>Pearson r (95 % CI)</th><th>Spearman ρ</th><th>Lin's CCC (95 % CI)</th><th>ICC(A,1) (95 % CI)</th><th>Bias{units} (95 % limits of agreement)</th><th>Slope, intercept</th></tr>");
            foreach (var a in model.T2Agreement)
            {
                html.Append($"<tr data-testid='t2-row'><td>{E(a.Region)}</td><td>{a.Cases}</td>");
                html.Append($"<td>{(a.Pearson is { } p ? $"{F(p.R)} ({F(p.CiLower)} to {F(p.CiUpper)})" : "–")}</td>");
                html.Append($"<td>{(a.Spearman is { } rho ? F(rho.R) : "–")}</td>");
                html.Append($"<td>{(a.Ccc is { } c ? $"{F(c.Ccc)} ({F(c.CiLower)} to {F(c.CiUpper)})" : "–")}</td>");
                html.Append($"<td>{(a.Icc is { } icc ? $"{F(icc.Value)} ({F(icc.CiLower)} to {F(icc.CiUpper)})" : "–")}</td>");
                html.Append($"<td>{(a.BlandAltman is { } b ? $"{F(b.Bias, "0.00")} ({F(b.LoaLower, "0.00")} to {F(b.LoaUpper, "0.00")})" : "–")}</td>");
                html.Append($"<td>{(a.Regression is { } r ? $"{F(r.Slope, "0.00")}, {F(r.Intercept, "0.00")}" : E(a.Note ?? "–"))}</td></tr>");
            }
            var region = E(model.FirstSegment);
            html.Append($"</table><h2>Per case: voxel agreement in {region} and image similarity (synthetic vs real)</h2><table><tr><th>Case</th><th>Subject</th><th>Voxel Pearson r</th><th>Voxel CCC</th><th>SSIM in {region}</th><th>PSNR in {region} (dB)</th><th>NRMSE in {region}</th><th>SSIM outside</th><th>PSNR outside (dB)</th><th>NRMSE outside</th></tr>");
            foreach (var s in model.Similarity)
            {
                html.Append($"<tr><td>{s.Case}</td><td>{E(s.Subject)}</td><td>{F(s.VoxelPearson?.R)}</td><td>{F(s.VoxelCcc?.Ccc)}</td><td>{F(s.InsideCartilage.Ssim)}</td><td>{F(s.InsideCartilage.PsnrDb, "0.0")}</td><td>{F(s.InsideCartilage.Nrmse)}</td><td>{F(s.OutsideCartilage.Ssim)}</td><td>{F(s.OutsideCartilage.PsnrDb, "0.0")}</td><td>{F(s.OutsideCartilage.Nrmse)}</td></tr>");
            }
            return html.Append("</table>").ToString();
        }
    }
}
