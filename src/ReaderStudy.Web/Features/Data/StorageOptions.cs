using System.ComponentModel.DataAnnotations;

namespace ReaderStudy.Web.Features.Data;

/// <summary>The "Storage" configuration section: where the portal keeps its files.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The data folder (SQLite database, image store); relative paths are under the app's content root.</summary>
    [Required(ErrorMessage = "Storage:DataFolder must name a folder.")]
    public string DataFolder { get; set; } = "data";
}
