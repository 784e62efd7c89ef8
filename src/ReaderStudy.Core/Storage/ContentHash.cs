using System.Security.Cryptography;

namespace ReaderStudy.Core.Storage;

/// <summary>The content address of a stored file: SHA-256 of its bytes, lower-case hex.</summary>
public static class ContentHash
{
    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var source = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(source, cancellationToken));
    }

    public static string Validate(string hash) =>
        hash.Length == 64 && hash.All(Uri.IsHexDigit) ? hash : throw new ArgumentException($"'{hash}' is not a SHA-256 content hash.", nameof(hash));

    /// <summary>Sharded relative path: ab/cd/abcd….dcm, so no folder holds millions of files.</summary>
    public static string RelativePath(string hash) => Path.Combine(Validate(hash)[..2], hash[2..4], hash + ".dcm");
}
