using Microsoft.Extensions.Options;

namespace ReaderStudy.Web.Features.Data;

/// <summary>The resolved, existing data folder.</summary>
public sealed class DataFolder
{
    public DataFolder(IOptions<StorageOptions> options, IWebHostEnvironment environment)
    {
        Path = System.IO.Path.GetFullPath(options.Value.DataFolder, environment.ContentRootPath);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }
}
