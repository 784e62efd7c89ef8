namespace ReaderStudy.Testing;

/// <summary>The read-only ../shared folder beside the repository: real DICOM samples and reference data sets.</summary>
public static class SharedFolder
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared")), .. parts]);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ReaderStudy.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("ReaderStudy.sln not found above the test binaries.");
    }
}
