using System.Security.Cryptography;

namespace ReaderStudy.Core.Storage;

/// <summary>
/// A content-addressed store of DICOM files in a local folder: a file's name is the SHA-256 of its bytes,
/// so storing the same file twice is a no-op and a stored file can never change under its name.
/// </summary>
public sealed class ImageStore(string root)
{
    public string Root { get; } = Directory.CreateDirectory(root).FullName;

    /// <summary>Stores a copy of the file; returns its hash (hex) and size.</summary>
    public async Task<(string Hash, long Bytes)> PutAsync(string sourceFile, CancellationToken cancellationToken = default)
    {
        string hash;
        await using (var source = File.OpenRead(sourceFile))
        {
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(source, cancellationToken));
        }
        var target = PathOf(hash);
        var size = new FileInfo(sourceFile).Length;
        if (File.Exists(target))
        {
            return (hash, size);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Copy under a temporary name, then rename: a reader never sees half a file.
        var partial = $"{target}.{Guid.NewGuid():N}.partial";
        File.Copy(sourceFile, partial);
        File.Move(partial, target, overwrite: true);
        return (hash, size);
    }

    public string PathOf(string hash)
    {
        if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"'{hash}' is not a SHA-256 content hash.", nameof(hash));
        }
        return Path.Combine(Root, hash[..2], hash[2..4], hash + ".dcm");
    }

    public bool Contains(string hash) => File.Exists(PathOf(hash));

    public Stream OpenRead(string hash) => File.OpenRead(PathOf(hash));
}
