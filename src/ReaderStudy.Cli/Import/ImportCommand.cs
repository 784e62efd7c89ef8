using System.CommandLine;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Storage;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Import;
using Spectre.Console;

namespace ReaderStudy.Cli.Import;

/// <summary>`readerstudy import --study NAME PATH...`: de-identify and store DICOM series in a study.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "DICOM files, folders or zip archives.", Arity = ArgumentArity.OneOrMore };
        var study = new Option<string>("--study") { Description = "Name of the study to import into.", Required = true };
        var retainDates = new Option<bool>("--retain-dates") { Description = "Retain Longitudinal Temporal Information (full dates)." };
        var noCleanDescriptors = new Option<bool>("--no-clean-descriptors") { Description = "Remove series and study descriptions too." };
        var keepOriginals = new Option<bool>("--keep-originals") { Description = "Also store the original, identifiable files." };
        var command = new Command("import", "De-identify DICOM files (PS3.15 basic profile) and store them, series by series, in a study.")
        {
            paths, study, retainDates, noCleanDescriptors, keepOriginals, PortalDatabase.DataFolder, PortalDatabase.Postgres,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var db = PortalDatabase.Open(result);
            await db.Database.MigrateAsync(cancellationToken);
            var name = result.GetValue(study)!;
            var target = await db.Studies.SingleOrDefaultAsync(s => s.Name == name, cancellationToken);
            if (target is null)
            {
                result.InvocationConfiguration.Error.WriteLine($"readerstudy import: no study named '{name}'; create it in the portal first.");
                return 2;
            }
            var importer = new StudyImporter(db, new LocalImageStore(PortalDatabase.StoreFolder(result)), TimeProvider.System);
            var options = new ImportOptions
            {
                Deidentification = new DeidentificationOptions
                {
                    RetainLongitudinalTemporalInformation = result.GetValue(retainDates),
                    CleanDescriptors = !result.GetValue(noCleanDescriptors),
                },
                KeepOriginals = result.GetValue(keepOriginals),
            };
            try
            {
                ImportReport? report = null;
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(result.InvocationConfiguration.Error) });
                await console.Progress().StartAsync(async progress =>
                {
                    var reading = progress.AddTask("Reading files");
                    var storing = progress.AddTask("Storing series");
                    report = await importer.ImportAsync(target.Id, result.GetValue(paths)!, options, new Progress<ImportProgress>(p =>
                    {
                        var task = p.Step == "Reading" ? reading : storing;
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                    }), cancellationToken);
                    reading.Value = reading.MaxValue;
                    storing.Value = storing.MaxValue;
                });
                result.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new
                {
                    study = name,
                    files_read = report!.FilesRead,
                    seconds = Math.Round(report.Elapsed.TotalSeconds, 3),
                    files_per_second = Math.Round(report.FilesRead / Math.Max(1e-9, report.Elapsed.TotalSeconds), 1),
                    series = report.Series,
                    file_errors = report.FileErrors,
                    stopped_because = report.StoppedBecause,
                }, CliJson.Options));
                if (report.StoppedBecause is not null)
                {
                    result.InvocationConfiguration.Error.WriteLine($"readerstudy import: {report.StoppedBecause}");
                    return 2;
                }
                return report.Series.Any(s => s.Status == SeriesImportStatus.Refused) || report.FileErrors.Count > 0 ? 1 : 0;
            }
            catch (Exception e) when (e is DicomReadException or UploadLimitException or IOException)
            {
                result.InvocationConfiguration.Error.WriteLine($"readerstudy import: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
