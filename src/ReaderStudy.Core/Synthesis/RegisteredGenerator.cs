namespace ReaderStudy.Core.Synthesis;

/// <summary>
/// A generator a coordinator uploaded and the portal checked. Immutable: a new version is a new row, and the
/// ONNX file lives in the image store under its SHA-256, which every synthetic map made with it records.
/// </summary>
public sealed class RegisteredGenerator
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public long Bytes { get; set; }
    public string ManifestJson { get; set; } = "";
    /// <summary>The provider its check inference ran on.</summary>
    public string CheckedOn { get; set; } = "";
    public string UploadedBy { get; set; } = "";
    public DateTimeOffset UploadedAt { get; set; }
}
