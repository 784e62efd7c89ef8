using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Web.Features.Reading;

namespace ReaderStudy.Web.Features.StudyResults;

/// <summary>The study's data in the shapes statisticians' tools want: tidy CSV, JSON, iMRMC input, a data dictionary and a one-file report.</summary>
public sealed class ResultsExports(ResultsService results, ReadingOversight oversight, IDbContextFactory<ReaderStudyDbContext> dbFactory)
{
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        ["answers.csv"] = "text/csv",
        ["answers.parquet"] = "application/vnd.apache.parquet",
        ["key.csv"] = "text/csv",
        ["regional-t2.csv"] = "text/csv",
        ["results.json"] = "application/json",
        ["imrmc.txt"] = "text/plain",
        ["mrmc.csv"] = "text/csv",
        ["data-dictionary.md"] = "text/markdown",
        ["report.html"] = "text/html",
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<byte[]> RenderAsync(Guid studyId, string file, CancellationToken cancellationToken = default) =>
        file == "answers.parquet"
            ? await ParquetAsync(await results.AnswerRowsAsync(studyId, cancellationToken), cancellationToken)
            : Encoding.UTF8.GetBytes(await RenderTextAsync(studyId, file, cancellationToken));

    private static async Task<byte[]> ParquetAsync(IReadOnlyList<AnswerRow> rows, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await Parquet.Serialization.ParquetSerializer.SerializeAsync(rows.Select(ParquetAnswerRow.From), stream, cancellationToken: cancellationToken);
        return stream.ToArray();
    }

    private async Task<string> RenderTextAsync(Guid studyId, string file, CancellationToken cancellationToken) => file switch
    {
        "answers.csv" => Csv(await results.AnswerRowsAsync(studyId, cancellationToken)),
        "key.csv" => Csv(await oversight.KeyAsync(studyId, cancellationToken)),
        "regional-t2.csv" => Csv(await RegionalAsync(studyId, cancellationToken)),
        "results.json" => JsonSerializer.Serialize(await results.ComputeAsync(studyId, cancellationToken), Json),
        "imrmc.txt" => await ImrmcAsync(studyId, cancellationToken),
        "mrmc.csv" => MrmcCsv(await results.DiagnosticReadingsAsync(studyId, cancellationToken)),
        "data-dictionary.md" => DataDictionary,
        "report.html" => await ReportAsync(studyId, cancellationToken),
        _ => throw new KeyNotFoundException(file),
    };

    private async Task<IReadOnlyList<RegionalT2Row>> RegionalAsync(Guid studyId, CancellationToken cancellationToken) =>
        (await FindingsAsync(studyId, cancellationToken)).Regional;

    private async Task<ImageFindings> FindingsAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await results.AnswerRowsAsync(studyId, cancellationToken); // the same sealing rule as the answers
        return await results.ImageFindingsAsync(studyId, cancellationToken);
    }

    // The maps are read once for the report's statistics and its plots.
    private async Task<string> ReportAsync(Guid studyId, CancellationToken cancellationToken)
    {
        var findings = await FindingsAsync(studyId, cancellationToken);
        return ResultsReport.Html(await results.ComputeAsync(studyId, ResultsService.DefaultEquivalenceMargin, cancellationToken, findings: findings), findings.Regional);
    }

    private static string Csv<T>(IEnumerable<T> rows)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        // ISO 8601 with its offset (2026-12-02T18:30:28.1234567+00:00; times are kept in UTC), which R, pandas and
        // spreadsheets read without a format string.
        csv.Context.TypeConverterOptionsCache.GetOptions<DateTimeOffset>().Formats = ["O"];
        csv.WriteRecords(rows);
        return writer.ToString();
    }

    /// <summary>Diagnostic reading: the long table RJafroc, MRMCaov and `readerstudy stats mrmc` read.</summary>
    private static string MrmcCsv(IReadOnlyList<Core.Statistics.Comparison.MrmcReading> readings)
    {
        var csv = new StringBuilder("reader,modality,case,truth,rating\n");
        foreach (var r in readings.OrderBy(r => r.Reader, StringComparer.Ordinal).ThenBy(r => r.Modality, StringComparer.Ordinal).ThenBy(r => r.Case, StringComparer.Ordinal))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{r.Reader},{r.Modality},{r.Case},{(r.Truth ? 1 : 0)},{r.Rating}\n");
        }
        return csv.ToString();
    }

    /// <summary>
    /// iMRMC input: truth rows (reader -1) then one score per reader, case and modality. Diagnostic reading: cases are
    /// subjects with the reference standard, modalities real and synthetic, scores the confidence ratings. Otherwise:
    /// each case's two images, modality 1 "reading", scores for "is real".
    /// </summary>
    private async Task<string> ImrmcAsync(Guid studyId, CancellationToken cancellationToken)
    {
        var rows = await results.AnswerRowsAsync(studyId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await db.Studies.AsNoTracking().Where(s => s.Id == studyId).Select(s => new { s.Name, s.ReadingMode, s.DiagnosticFinding }).SingleAsync(cancellationToken);
        var name = study.Name;
        var text = new StringBuilder();
        if (study.ReadingMode == Core.Reading.ReadingMode.Diagnostic)
        {
            var readings = await results.DiagnosticReadingsAsync(studyId, rows, cancellationToken);
            text.AppendLine($"ReaderStudy export for iMRMC: {name}, diagnostic reading of {study.DiagnosticFinding}");
            text.AppendLine("Cases are subjects (truth from the reference standard); modalities real and synthetic; scores are the readers' confidence that the finding is present.");
            text.AppendLine("BEGIN DATA:");
            foreach (var (subject, truth) in readings.Select(r => (r.Case, r.Truth)).Distinct().OrderBy(c => c.Case, StringComparer.Ordinal))
            {
                text.AppendLine($"-1,{subject},0,{(truth ? 1 : 0)}");
            }
            foreach (var r in readings.OrderBy(r => r.Reader, StringComparer.Ordinal).ThenBy(r => r.Case, StringComparer.Ordinal).ThenBy(r => r.Modality, StringComparer.Ordinal))
            {
                text.AppendLine(FormattableString.Invariant($"{r.Reader},{r.Case},{r.Modality},{r.Rating}"));
            }
            return text.ToString();
        }
        text.AppendLine($"ReaderStudy export for iMRMC: {name}");
        text.AppendLine("Each case has two images: <case>-real (truth 1) and <case>-synthetic (truth 0).");
        text.AppendLine("Score: the image chosen as real gets 5 + confidence, the other 6 - confidence (1 to 10; higher = more likely real).");
        text.AppendLine("BEGIN DATA:");
        foreach (var number in rows.Select(r => r.Case).Distinct().Order())
        {
            text.AppendLine($"-1,{number}-real,0,1");
            text.AppendLine($"-1,{number}-synthetic,0,0");
        }
        foreach (var reader in rows.Where(r => !r.IsRepeat).Select(r => r.Reader).Distinct())
        {
            foreach (var (number, score) in ResultsService.RealnessScores([.. rows.Where(r => r.Reader == reader && !r.IsRepeat)]).OrderBy(s => s.Key))
            {
                text.AppendLine(FormattableString.Invariant($"{reader},{number}-real,1,{score.Real}"));
                text.AppendLine(FormattableString.Invariant($"{reader},{number}-synthetic,1,{score.Synthetic}"));
            }
        }
        return text.ToString();
    }

    public const string DataDictionary = """
        # ReaderStudy export data dictionary

        ## answers.csv: one row per reader × case × question (× image for per-image questions)
        | column | meaning |
        |---|---|
        | Reader | the reader's account (email) |
        | Case | case number in the study |
        | Subject | the subject's pseudonym |
        | Position | the case's place in this reader's order (1 = first read) |
        | RealOnLeft | paired reading: true when the real map was shown on the left; single-image reading: true when the image shown was the real one |
        | Seed | the seed this reader's order and sides were drawn from |
        | IsRepeat | true for the second reading of a case (after the washout), used for intra-reader agreement |
        | QuestionOrder, Question, QuestionKind | the question's place in the form, its text and type (WhichIsReal, Likert 1-5, YesNo, Choice, Number, Text) |
        | Side | left or right for a per-image question, empty for a question about the case |
        | ImageOrigin | real or synthetic: the image a per-image answer is about |
        | Value | the answer as given |
        | Correct | 1 / 0 for "which is real" answers, empty otherwise |
        | AnsweredAt | when the answer was last given, ISO 8601 in UTC (2026-12-02T18:30:28.1234567+00:00) |
        | SecondsOnCase | the reader's time on the case, seconds, summed over visits |

        answers.parquet holds the same rows and columns (AnsweredAt as UTC).

        ## key.csv: the randomization, one row per reader × case (TrialId, Reader, CaseNumber, Subject, Position, RealOnLeft, Seed)

        ## regional-t2.csv: one row per case × cartilage region
        | column | meaning |
        |---|---|
        | Segment, Region | segment number and name in the subject's cartilage segmentation |
        | Voxels | voxels in the region |
        | RealMeanMs, SyntheticMeanMs | mean T2 of the region in the real and the synthetic map, ms |

        ## results.json: every statistic of the results page, with its method's inputs and confidence intervals
        `blinding` records how images reached readers (clip range, quantization step, background rule, the same for
        the real and the synthetic map), the blinding check's verdict when the study opened, and any written override.

        ## imrmc.txt: input for the FDA iMRMC software (truth rows, then reader scores per image)
        Diagnostic studies: cases are subjects with the reference standard's truth, modalities real and synthetic.

        ## mrmc.csv: diagnostic studies, one row per reader × map × case
        | column | meaning |
        |---|---|
        | reader | the reader's account (email) |
        | modality | real or synthetic: the map the reader rated |
        | case | the subject's pseudonym |
        | truth | the reference standard: 1 finding present, 0 absent |
        | rating | the reader's confidence that the finding is present (the form's first question) |

        The same table `readerstudy stats mrmc --csv mrmc.csv` analyses (Obuchowski-Rockette/Hillis).
        """;
}
