using System.CommandLine;
using System.Diagnostics;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Imaging.Phantom;
using Spectre.Console;

namespace ReaderStudy.Cli.Phantom;

/// <summary>`readerstudy phantom --out DIR [--subjects N] [--seed S] [--size 256]`: realistic knee DICOM for demos and tests.</summary>
internal static class PhantomCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the subjects and manifest.json into.", Required = true };
        var subjects = new Option<int>("--subjects") { Description = "Number of subjects.", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed writes the same files.", DefaultValueFactory = _ => 1 };
        var size = new Option<int>("--size") { Description = "Rows and columns of every image.", DefaultValueFactory = _ => 256 };
        var slices = new Option<int>("--slices") { Description = "Slices per series.", DefaultValueFactory = _ => 20 };
        var noise = new Option<double>("--noise") { Description = "Rician noise σ as a fraction of the brightest first-echo signal.", DefaultValueFactory = _ => 0.01 };
        var noLesions = new Option<bool>("--no-lesions") { Description = "Leave out the focal lesions of raised T2." };
        var command = new Command("phantom", "Write knee phantom subjects as DICOM: DESS, IW TSE and T1 series, a 7-echo MESE train, the true T2 map, a cartilage SEG and manifest.json.")
        {
            output, subjects, seed, size, slices, noise, noLesions,
        };
        command.SetAction(result =>
        {
            var count = result.GetValue(subjects);
            if (count < 1 || result.GetValue(size) is < 32 or > 1024 || result.GetValue(slices) < 1)
            {
                result.InvocationConfiguration.Error.WriteLine("readerstudy phantom: --subjects must be ≥ 1, --size 32 to 1024 and --slices ≥ 1.");
                return 2;
            }
            var options = new KneePhantomOptions
            {
                Seed = result.GetValue(seed),
                Size = result.GetValue(size),
                Slices = result.GetValue(slices),
                NoiseFraction = result.GetValue(noise),
                Lesions = !result.GetValue(noLesions),
            };
            var folder = result.GetValue(output)!.FullName;
            var clock = Stopwatch.StartNew();
            PhantomManifest? manifest = null;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(result.InvocationConfiguration.Error) });
            console.Progress().Start(progress =>
            {
                var task = progress.AddTask("Writing phantom subjects", maxValue: count);
                manifest = PhantomGenerator.Generate(folder, count, options, new Progress<int>(done => task.Value = done));
                task.Value = count;
            });
            result.InvocationConfiguration.Output.WriteLine(
                $"{manifest!.Subjects.Count} subject(s), {manifest.Subjects.Sum(s => s.Series.Sum(x => x.Files))} files in {folder} ({clock.Elapsed.TotalSeconds:F1} s); truth in manifest.json");
            return 0;
        });
        return command;
    }
}
