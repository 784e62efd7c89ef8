using ReaderStudy.Core.Storage;

namespace ReaderStudy.Cli.Backup;

/// <summary>
/// The local image store's files, copied by content address. A file is never changed once stored, so a copy that
/// exists under its hash is the same file, and a restored file is checked against its name.
/// </summary>
internal static class ImageFiles
{
    public sealed record Copied(int Files, long Bytes, IReadOnlyList<string> Missing, IReadOnlyList<string> Damaged);

    /// <summary>Copies the files named by <paramref name="hashes"/> from one store folder to another and checks every copy.</summary>
    public static async Task<Copied> CopyAsync(string fromStore, string toStore, IEnumerable<string> hashes, CancellationToken cancellationToken)
    {
        var from = new LocalImageStore(fromStore);
        var to = new LocalImageStore(toStore);
        var missing = new List<string>();
        var damaged = new List<string>();
        var (files, bytes) = (0, 0L);
        foreach (var hash in hashes.Order(StringComparer.Ordinal))
        {
            var source = from.PathOf(hash);
            if (!File.Exists(source))
            {
                missing.Add(hash);
                continue;
            }
            var (stored, size) = await to.PutAsync(source, cancellationToken);
            if (stored != hash || await ContentHash.OfFileAsync(to.PathOf(hash), cancellationToken) != hash)
            {
                damaged.Add(hash);
                continue;
            }
            files++;
            bytes += size;
        }
        return new Copied(files, bytes, missing, damaged);
    }
}
