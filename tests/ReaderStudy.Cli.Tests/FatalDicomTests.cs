using System.Diagnostics;
using System.Text.Json;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Testing;

namespace ReaderStudy.Cli.Tests;

/// <summary>A file that makes GDCM abort the process is refused by name; the command line itself survives.</summary>
public sealed class FatalDicomTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-fatal-").FullName;

    private static (int Exit, string Output, string Error) RunProcess(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "readerstudy")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    [Fact]
    public void TheCraftedFile_DoesKillAProcessThatDecodesItUnprotected()
    {
        // The flaw the isolation exists for: without it, reading this file aborts (SIGABRT, exit 134).
        var bad = MalformedDicom.RtDoseWithWrongNumberOfFramesVr(folder);
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "readerstudy"), [DicomWorker.Verb]) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var worker = Process.Start(start)!;
        worker.StandardInput.WriteLine(bad);
        worker.StandardInput.Close();
        worker.StandardOutput.ReadToEnd();
        worker.WaitForExit();

        Assert.Equal(134, worker.ExitCode);
    }

    [Fact]
    public void DicomInfo_WithAFileThatKillsGdcm_RefusesItByNameAndModality_AndReadsTheRest()
    {
        var bad = MalformedDicom.RtDoseWithWrongNumberOfFramesVr(folder);
        File.Copy(SharedFolder.Path("dicom-samples", "MR_small.dcm"), Path.Combine(folder, "good.dcm"));

        var (exit, output, error) = RunProcess("dicom", "info", folder);

        Assert.True(exit == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        var refusal = json.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal(bad, refusal.GetProperty("file").GetString());
        Assert.Contains($"{bad}: the DICOM decoder (GDCM) fails fatally on this file (modality RTDOSE)", refusal.GetProperty("error").GetString());
        Assert.Equal("MR", json.GetProperty("series")[0].GetProperty("modality").GetString());
    }

    [Fact]
    public void Scan_InAWorker_RefusesEveryFatalFile_WithTheHostAlive()
    {
        var worker = DicomWorker.ForAssembly(Path.Combine(AppContext.BaseDirectory, "readerstudy.dll"), DicomWorker.Verb);
        var first = MalformedDicom.RtDoseWithWrongNumberOfFramesVr(Directory.CreateDirectory(Path.Combine(folder, "a")).FullName);
        var second = MalformedDicom.RtDoseWithWrongNumberOfFramesVr(Directory.CreateDirectory(Path.Combine(folder, "c")).FullName);
        File.Copy(SharedFolder.Path("dicom-samples", "MR_small.dcm"), Path.Combine(folder, "b.dcm"));
        File.Copy(SharedFolder.Path("dicom-samples", "CT_small.dcm"), Path.Combine(folder, "d.dcm"));

        var scan = DicomScanner.Scan([folder], keepPixels: false, isolation: worker);

        Assert.Equal([first, second], scan.Errors.Select(e => e.File).Order(StringComparer.Ordinal));
        Assert.Equal(["CT", "MR"], scan.Images.Select(i => i.Modality).Order());
    }

    [Fact]
    public void AWorkerThatEndedAnUpload_ServesTheNext_WhileOneAFileKilled_IsReplaced()
    {
        var worker = DicomWorker.ForAssembly(Path.Combine(AppContext.BaseDirectory, "readerstudy.dll"), DicomWorker.Verb);
        var good = Directory.CreateDirectory(Path.Combine(folder, "good")).FullName;
        File.Copy(SharedFolder.Path("dicom-samples", "MR_small.dcm"), Path.Combine(good, "b.dcm"));
        File.Copy(SharedFolder.Path("dicom-samples", "CT_small.dcm"), Path.Combine(good, "d.dcm"));
        Assert.Empty(DicomScanner.Scan([good], keepPixels: false, isolation: worker).Errors);

        // The next upload is read by the worker kept from the first: no process is started for it.
        var before = DicomWorker.ProcessesStarted;
        var again = DicomScanner.Scan([good], keepPixels: false, isolation: worker);
        Assert.Equal(["CT", "MR"], again.Images.Select(i => i.Modality).Order());
        Assert.Equal(before, DicomWorker.ProcessesStarted);

        // A file that kills the worker: refused, and the files after it read by a new worker; the dead one is never
        // handed out again, so the upload after that reads every file.
        var fatal = MalformedDicom.RtDoseWithWrongNumberOfFramesVr(Directory.CreateDirectory(Path.Combine(folder, "a")).FullName);
        var mixed = DicomScanner.Scan([Path.GetDirectoryName(fatal)!, good], keepPixels: false, isolation: worker);
        Assert.Equal([fatal], mixed.Errors.Select(e => e.File));
        Assert.Equal(["CT", "MR"], mixed.Images.Select(i => i.Modality).Order());
        Assert.True(DicomWorker.ProcessesStarted > before);
        var after = DicomScanner.Scan([good], keepPixels: false, isolation: worker);
        Assert.Empty(after.Errors);
        Assert.Equal(2, after.Images.Count);
    }

    [Fact]
    public void DicomInfo_OnTheFuzzCorpus_NeverDies_AndAccountsForEveryFile()
    {
        var corpus = DicomFuzzCorpus.Write(Directory.CreateDirectory(Path.Combine(folder, "fuzz")).FullName);

        var (exit, output, error) = RunProcess("dicom", "info", Path.Combine(folder, "fuzz"));

        Assert.True(exit is 0 or 1, $"exit {exit}: {error}");
        var json = JsonDocument.Parse(output).RootElement;
        var read = json.GetProperty("series").EnumerateArray().Sum(s => s.GetProperty("files").GetInt32());
        var errors = json.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(corpus.Count, read + errors.Count);
        Assert.All(errors, e => Assert.Contains(Path.GetFileName(e.GetProperty("file").GetString()!), e.GetProperty("error").GetString()));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
