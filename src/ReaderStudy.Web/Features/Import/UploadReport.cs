using System.Text.RegularExpressions;
using ReaderStudy.Imaging.Import;

namespace ReaderStudy.Web.Features.Import;

/// <summary>An import report as the coordinator sees it: files named as they were uploaded, no server path anywhere.</summary>
public static partial class UploadReport
{
    public static ImportReport Shown(ImportReport report, string uploadFolder) => new(
        [.. report.Series.Select(s => s with { Message = Hide(s.Message, uploadFolder) })],
        [.. report.FileErrors.Select(e => e with { File = OriginalName(e.File, uploadFolder), Error = Hide(e.Error, uploadFolder) })],
        report.FilesRead, report.Elapsed) { StoppedBecause = report.StoppedBecause is { } why ? Hide(why, uploadFolder) : null };

    /// <summary>Every temporary path in <paramref name="text"/> becomes the uploaded name it stands for.</summary>
    public static string Hide(string text, string uploadFolder) =>
        TemporaryPath.Replace(text, match => OriginalName(match.Value, uploadFolder));

    // Uploaded files are saved as NNNNN-name in the upload folder; files of a zip under a zip-GUID folder of the import's work folder.
    private static string OriginalName(string path, string uploadFolder)
    {
        if (path.StartsWith(uploadFolder + "/", StringComparison.Ordinal))
        {
            var relative = path[(uploadFolder.Length + 1)..];
            return relative.Length > 6 && relative[5] == '-' && relative[..5].All(char.IsAsciiDigit) ? relative[6..] : relative;
        }
        var zip = ZipEntry().Match(path);
        return zip.Success ? zip.Groups[1].Value : Path.GetFileName(path);
    }

    private static readonly Regex TemporaryPath = new(Regex.Escape(Path.GetTempPath()) + @"[^\s'""():;,]+", RegexOptions.Compiled);

    [GeneratedRegex(@"/zip-[0-9a-f]{32}/(.+)$")]
    private static partial Regex ZipEntry();
}
