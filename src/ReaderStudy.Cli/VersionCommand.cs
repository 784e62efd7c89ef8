using System.CommandLine;
using System.Reflection;

namespace ReaderStudy.Cli;

internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the ReaderStudy version and the runtime it runs on.");
        command.SetAction(result =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            result.InvocationConfiguration.Output.WriteLine($"readerstudy {version.Split('+')[0]} (.NET {Environment.Version})");
            return 0;
        });
        return command;
    }
}
