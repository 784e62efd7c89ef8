using System.CommandLine;
using System.Diagnostics;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Imaging.Phantom;
using Spectre.Console;

namespace ReaderStudy.Cli.Phantom;

/// <summary>`readerstudy phantom --out DIR [--kind knee|pelvis|mammography] [--subjects N] [--seed S] [--size 256]`: phantom DICOM with ground truth for demos and tests.</summary>
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
        var kind = new Option<string>("--kind") { Description = "knee (T2 maps), pelvis (MR and CT, for synthetic CT) or mammography (real and synthetic 2-D views).", DefaultValueFactory = _ => "knee" };
        kind.AcceptOnlyFromAmong("knee", "pelvis", "mammography");
        var command = new Command("phantom", "Write phantom subjects as DICOM with their truth in manifest.json. knee: DESS, IW TSE and T1 series, a 7-echo MESE train, the true T2 map and a cartilage SEG; "
            + "pelvis: axial T1 MR, CT (HU) and a SEG (bone, sacroiliac joint, muscle, fat), some subjects with an erosion; mammography: a real (MONOCHROME1) and a synthetic (MONOCHROME2) view per subject.")
        {
            output, kind, subjects, seed, size, slices, noise, noLesions,
        };
        command.SetAction(result =>
        {
            var count = result.GetValue(subjects);
            if (count < 1 || result.GetValue(size) is < 32 or > 4096 || result.GetValue(slices) < 1)
            {
                result.InvocationConfiguration.Error.WriteLine("readerstudy phantom: --subjects must be ≥ 1, --size 32 to 4096 and --slices ≥ 1.");
                return 2;
            }
            var folder = result.GetValue(output)!.FullName;
            switch (result.GetValue(kind))
            {
                case "pelvis":
                    var pelvis = PelvisStudyWriter.Generate(folder, count, new PelvisPhantomOptions { Seed = result.GetValue(seed), Size = result.GetValue(size), Slices = result.GetValue(slices) });
                    result.InvocationConfiguration.Output.WriteLine($"{pelvis.Subjects.Count} pelvis subject(s) ({pelvis.Subjects.Count(s => s.HasErosion)} with an erosion) in {folder}; truth in manifest.json");
                    return 0;
                case "mammography":
                    // --size is the number of columns; rows keep the detector's 5:4 aspect.
                    var mammography = MammographyStudyWriter.Generate(folder, count,
                        new MammographyPhantomOptions { Seed = result.GetValue(seed), Columns = result.GetValue(size), Rows = result.GetValue(size) * 5 / 4, PixelMm = 200.0 / result.GetValue(size) });
                    result.InvocationConfiguration.Output.WriteLine($"{mammography.Subjects.Count} mammography subject(s), a real and a synthetic view each, in {folder}; which is which in manifest.json");
                    return 0;
            }
            var options = new KneePhantomOptions
            {
                Seed = result.GetValue(seed),
                Size = result.GetValue(size),
                Slices = result.GetValue(slices),
                NoiseFraction = result.GetValue(noise),
                Lesions = !result.GetValue(noLesions),
            };
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
