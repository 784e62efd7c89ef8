using System.Diagnostics;
using ReaderStudy.Testing;

namespace ReaderStudy.Cli.Tests;

/// <summary>
/// The command line as deploy/lib/cli.sh installs it: deploy/test.sh publishes it once and names it in
/// READERSTUDY_CLI; run alone, the tests publish it themselves (a few minutes, once).
/// </summary>
public sealed class PublishedCommandLine
{
    public PublishedCommandLine()
    {
        Launcher = Environment.GetEnvironmentVariable("READERSTUDY_CLI") is { Length: > 0 } given ? given : Publish();
        Folder = Path.GetDirectoryName(Launcher)!;
    }

    public string Launcher { get; }
    public string Folder { get; }

    public (int Exit, string Output, string Error) Run(params string[] args) => Run(Launcher, args);

    public static (int Exit, string Output, string Error) Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    private static string Publish()
    {
        var destination = Path.Combine(Path.GetTempPath(), "readerstudy-published-cli");
        var (exit, output, error) = Run("bash", "-c", $"cd '{SharedFolder.RepositoryRoot}' && source deploy/lib/prerequisites.sh && source deploy/lib/cli.sh && publish_cli '{destination}'");
        if (exit != 0)
        {
            throw new InvalidOperationException($"publishing the command line failed ({exit}): {output}{error}");
        }
        return Path.Combine(destination, "readerstudy");
    }
}
