using System.CommandLine;

namespace ReaderStudy.Cli.Tests;

public sealed class CommandLineTests
{
    internal static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CommandLine.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Help_ListsTheCommands()
    {
        var (exit, output, _) = Run("--help");

        Assert.Equal(0, exit);
        Assert.Contains("version", output);
        Assert.Contains("blinded reader studies", output);
    }

    [Fact]
    public void Version_PrintsTheProductVersion()
    {
        var (exit, output, _) = Run("version");

        Assert.Equal(0, exit);
        Assert.Matches(@"^readerstudy 0\.1\.0 \(\.NET 10\.", output);
    }

    [Fact]
    public void UnknownCommand_FailsWithAMessage()
    {
        var (exit, _, error) = Run("no-such-command");

        Assert.NotEqual(0, exit);
        Assert.Contains("no-such-command", error);
    }
}
