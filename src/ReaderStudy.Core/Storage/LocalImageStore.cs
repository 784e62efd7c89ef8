namespace ReaderStudy.Core.Storage;

/// <summary>The image store in a local folder (the default).</summary>
public sealed class LocalImageStore(string root) : IImageStore
{
    public string Root { get; } = Directory.CreateDirectory(root).FullName;

    public Task<(string Hash, long Bytes)> PutAsync(string sourceFile, CancellationToken cancellationToken = default) =>
        StoreAsync(sourceFile, move: false, cancellationToken);

    /// <summary>Moves the file in instead of copying it.</summary>
    public Task<(string Hash, long Bytes)> TakeAsync(string file, CancellationToken cancellationToken = default) =>
        StoreAsync(file, move: true, cancellationToken);

    private async Task<(string Hash, long Bytes)> StoreAsync(string file, bool move, CancellationToken cancellationToken)
    {
        var hash = await ContentHash.OfFileAsync(file, cancellationToken);
        var target = PathOf(hash);
        var size = new FileInfo(file).Length;
        if (File.Exists(target))
        {
            if (move)
            {
                File.Delete(file);
            }
            return (hash, size);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // In under a temporary name first, then renamed: a reader never sees half a file (a move to another file
        // system is a copy too).
        var partial = $"{target}.{Guid.NewGuid():N}.partial";
        try
        {
            if (move)
            {
                File.Move(file, partial);
            }
            else
            {
                File.Copy(file, partial);
            }
            File.Move(partial, target, overwrite: true);
        }
        catch (IOException)
        {
            // A full disk leaves the copy cut short: nothing of it may stay, under any name.
            File.Delete(partial);
            throw;
        }
        return (hash, size);
    }

    public Task<string> GetLocalPathAsync(string hash, CancellationToken cancellationToken = default) =>
        File.Exists(PathOf(hash)) ? Task.FromResult(PathOf(hash)) : throw new FileNotFoundException($"The image store has no file {hash}.");

    public Task<bool> ContainsAsync(string hash, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(PathOf(hash)));

    public Task DeleteAsync(string hash, CancellationToken cancellationToken = default)
    {
        File.Delete(PathOf(hash));
        return Task.CompletedTask;
    }

    public string PathOf(string hash) => Path.Combine(Root, ContentHash.RelativePath(hash));
}
