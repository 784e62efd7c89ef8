using System.Diagnostics;

namespace ReaderStudy.Testing;

/// <summary>
/// Files written by other toolkits (pydicom, nibabel, dcm2niix from Debian), so the portal's readers are tested on
/// other people's conventions rather than on what its own writers produce.
/// </summary>
public static class OtherToolkits
{
    /// <summary>An Enhanced MR Image file holding <paramref name="singleFrameFiles"/> as frames, written by pydicom.</summary>
    /// <param name="order">slice-outer (acquisition order), echo-outer or shuffled.</param>
    public static string EnhancedMr(IEnumerable<string> singleFrameFiles, string target, string order = "slice-outer")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        Run("/usr/bin/python3", [Script("enhanced_mr.py"), target, order, .. singleFrameFiles]);
        return target;
    }

    /// <summary>Runs tests/ReaderStudy.Testing/Toolkits/nifti_samples.py (nibabel): samples, dump, stack4d or shift.</summary>
    public static string Nibabel(params string[] arguments) => Run("/usr/bin/python3", [Script("nifti_samples.py"), .. arguments]);

    /// <summary>dcm2niix on a DICOM folder: gzipped NIfTI with BIDS sidecars, named <paramref name="name"/> (multi-echo: name_e1 …).</summary>
    public static string Dcm2niix(string dicomFolder, string outFolder, string name)
    {
        Directory.CreateDirectory(outFolder);
        Run("dcm2niix", ["-z", "y", "-b", "y", "-f", name, "-o", outFolder, dicomFolder]);
        return outFolder;
    }

    public static string Script(string name) => Path.Combine(SharedFolder.RepositoryRoot, "tests", "ReaderStudy.Testing", "Toolkits", name);

    /// <summary>Runs a tool to its end; a failure throws with what the tool wrote to stderr.</summary>
    public static string Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {error.Result}");
        }
        return output;
    }
}
