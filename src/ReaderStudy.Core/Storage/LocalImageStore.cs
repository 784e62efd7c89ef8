namespace ReaderStudy.Core.Storage;

/// <summary>The image store in a local folder (the default).</summary>
public sealed class LocalImageStore(string root) : IImageStore
{
    public string Root { get; } = Directory.CreateDirectory(root).FullName;

    public async Task<(string Hash, long Bytes)> PutAsync(string sourceFile, CancellationToken cancellationToken = default)
    {
        var hash = await ContentHash.OfFileAsync(sourceFile, cancellationToken);
        var target = PathOf(hash);
        var size = new FileInfo(sourceFile).Length;
        if (File.Exists(target))
        {
            return (hash, size);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Copy under a temporary name, then rename: a reader never sees half a file.
        var partial = $"{target}.{Guid.NewGuid():N}.partial";
        try
        {
            File.Copy(sourceFile, partial);
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

    public async Task<(string Hash, long Bytes)> TakeAsync(string file, CancellationToken cancellationToken = default)
    {
        var hash = await ContentHash.OfFileAsync(file, cancellationToken);
        var target = PathOf(hash);
        var size = new FileInfo(file).Length;
        if (File.Exists(target))
        {
            File.Delete(file);
            return (hash, size);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Renamed in under a temporary name first: on another file system the move is a copy, and a reader must never
        // see half a file.
        var partial = $"{target}.{Guid.NewGuid():N}.partial";
        try
        {
            File.Move(file, partial);
            File.Move(partial, target, overwrite: true);
        }
        catch (IOException)
        {
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
