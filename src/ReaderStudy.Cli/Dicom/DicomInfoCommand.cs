using System.CommandLine;
using System.Text.Json;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Cli.Dicom;

/// <summary>`readerstudy dicom info PATH...`: per series, what it is and what is wrong with it, as JSON.</summary>
internal static class DicomInfoCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "DICOM files or folders (searched recursively).", Arity = ArgumentArity.OneOrMore };
        var info = new Command("info", "Print, per series, modality, description, dimensions, transfer syntax, echo times, classification and errors as JSON.") { paths };
        info.SetAction(result =>
        {
            var scan = DicomScanner.Scan(result.GetValue(paths)!, keepPixels: false, isolation: DicomWorker.Current);
            result.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new { series = scan.Series, errors = scan.Errors }, CliJson.Options));
            return scan.Series.Count == 0 && scan.Errors.Count > 0 ? 1 : 0;
        });
        return new Command("dicom", "Inspect DICOM files.") { info };
    }
}
