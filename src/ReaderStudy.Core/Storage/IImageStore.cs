namespace ReaderStudy.Core.Storage;

/// <summary>
/// Where the portal keeps DICOM files: content-addressed by the SHA-256 of their bytes, so storing a file
/// twice is a no-op and a stored file never changes under its name.
/// </summary>
public interface IImageStore
{
    /// <summary>Stores a copy of the file; returns its hash (hex) and size.</summary>
    Task<(string Hash, long Bytes)> PutAsync(string sourceFile, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a file the caller is done with (a temporary file, such as a de-identified copy) and removes it: a store
    /// that can moves it in rather than copying it.
    /// </summary>
    async Task<(string Hash, long Bytes)> TakeAsync(string file, CancellationToken cancellationToken = default)
    {
        var stored = await PutAsync(file, cancellationToken);
        File.Delete(file);
        return stored;
    }

    /// <summary>A local file holding the stored bytes (DICOM decoding needs a file): the file itself, or a cached copy.</summary>
    Task<string> GetLocalPathAsync(string hash, CancellationToken cancellationToken = default);

    Task<bool> ContainsAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>Removes the file; nothing happens if it is not there. Only for files nothing refers to any more.</summary>
    Task DeleteAsync(string hash, CancellationToken cancellationToken = default);
}
