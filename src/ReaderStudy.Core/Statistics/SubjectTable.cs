using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace ReaderStudy.Core.Statistics;

/// <summary>
/// A CSV with a header and one row per subject, as statisticians hand it over. Cells are read as
/// invariant-culture numbers; an empty cell is a missing value. Errors name the column and line.
/// </summary>
public sealed class SubjectTable
{
    private SubjectTable(string source, IReadOnlyList<string> columns, IReadOnlyList<string[]> cells)
    {
        Source = source;
        Columns = columns;
        Cells = cells;
    }

    public string Source { get; }
    public IReadOnlyList<string> Columns { get; }
    private IReadOnlyList<string[]> Cells { get; }
    public int RowCount => Cells.Count;

    public static SubjectTable Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new StatisticsException($"{path}: no such file.");
        }
        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    public static SubjectTable Parse(TextReader text, string source)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = true, TrimOptions = TrimOptions.Trim, BadDataFound = null };
        using var csv = new CsvReader(text, config);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            throw new StatisticsException($"{source}: the file is empty; expected a header row.");
        }
        var rows = new List<string[]>();
        while (csv.Read())
        {
            var record = csv.Parser.Record ?? [];
            if (record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            if (record.Length != header.Length)
            {
                throw new StatisticsException($"{source}, line {csv.Parser.RawRow}: {record.Length} cells, but the header has {header.Length} columns.");
            }
            rows.Add(record);
        }
        if (rows.Count == 0)
        {
            throw new StatisticsException($"{source}: no data rows under the header.");
        }
        return new SubjectTable(source, header, rows);
    }

    public int IndexOf(string column)
    {
        var index = Columns.ToList().FindIndex(c => c.Equals(column, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index
            : throw new StatisticsException($"{Source}: no column '{column}'; the columns are {string.Join(", ", Columns)}.");
    }

    /// <summary>A column that must be complete (no empty cells).</summary>
    public double[] Numbers(string column)
    {
        var j = IndexOf(column);
        return [.. Enumerable.Range(0, RowCount).Select(i => Number(i, j) ?? throw new StatisticsException($"{Source}, row {i + 1}, column '{Columns[j]}': the cell is empty."))];
    }

    /// <summary>A column of labels (reader, modality, case): trimmed text, none empty.</summary>
    public string[] Labels(string column)
    {
        var j = IndexOf(column);
        return [.. Enumerable.Range(0, RowCount).Select(i => string.IsNullOrWhiteSpace(Cells[i][j])
            ? throw new StatisticsException($"{Source}, row {i + 1}, column '{Columns[j]}': the cell is empty.")
            : Cells[i][j].Trim())];
    }

    /// <summary>A column of 0/1 truth (1 = positive); anything else is an error naming the cell.</summary>
    public bool[] Truth(string column)
    {
        var values = Numbers(column);
        var bad = Array.FindIndex(values, v => v is not (0 or 1));
        return bad < 0 ? [.. values.Select(v => v == 1)]
            : throw new StatisticsException($"{Source}, row {bad + 1}, column '{Columns[IndexOf(column)]}': truth must be 0 or 1, found {values[bad]}.");
    }

    /// <summary>Every column but the first (the subject id), empty cells as missing ratings.</summary>
    public Reliability.RatingTable Ratings()
    {
        if (Columns.Count < 3)
        {
            throw new StatisticsException($"{Source}: a rating table needs a subject column and at least two rater columns; it has {Columns.Count} column(s).");
        }
        return new Reliability.RatingTable([.. Enumerable.Range(0, RowCount).Select(i => (IReadOnlyList<double?>)[.. Enumerable.Range(1, Columns.Count - 1).Select(j => Number(i, j))])]);
    }

    private double? Number(int row, int column)
    {
        var cell = Cells[row][column];
        if (string.IsNullOrWhiteSpace(cell) || cell.Equals("NA", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new StatisticsException($"{Source}, row {row + 1}, column '{Columns[column]}': '{cell}' is not a number.");
    }
}
