using System.CommandLine;

namespace ReaderStudy.Cli;

/// <summary>The `readerstudy` command tree; each feature adds its command here.</summary>
public static class CommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("ReaderStudy: blinded reader studies of synthetic quantitative MRI, from the command line.");
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(Stats.StatsCommand.Create());
        root.Subcommands.Add(Phantom.PhantomCommand.Create());
        root.Subcommands.Add(Dicom.DicomInfoCommand.Create());
        root.Subcommands.Add(T2Mapping.T2FitCommand.Create());
        root.Subcommands.Add(Import.ImportCommand.Create());
        root.Subcommands.Add(Synthesis.SynthesizeCommand.Create());
        root.Subcommands.Add(Accounts.UsersCommand.Create());
        root.Subcommands.Add(Auditing.AuditCommand.Create());
        root.Subcommands.Add(Backup.BackupCommand.Create());
        root.Subcommands.Add(Backup.RestoreCommand.Create());
        root.Subcommands.Add(Storage.StoreCommand.Create());
        return root;
    }
}
