using Amazon.S3;
using Amazon.S3.Model;

namespace ReaderStudy.Core.Storage;

/// <summary>
/// The image store in an S3-compatible bucket (AWS S3, MinIO, Ceph…). Objects are keyed by content hash;
/// decoding needs files, so reads go through a local cache folder, which never goes stale because a key's
/// content never changes.
/// </summary>
public sealed class S3ImageStore(IAmazonS3 s3, string bucket, string prefix, string cacheFolder) : IImageStore
{
    private readonly string cache = Directory.CreateDirectory(cacheFolder).FullName;

    public async Task<(string Hash, long Bytes)> PutAsync(string sourceFile, CancellationToken cancellationToken = default)
    {
        var hash = await ContentHash.OfFileAsync(sourceFile, cancellationToken);
        var size = new FileInfo(sourceFile).Length;
        if (!await ContainsAsync(hash, cancellationToken))
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = Key(hash), FilePath = sourceFile, ContentType = "application/dicom", UseChunkEncoding = false }, cancellationToken);
        }
        return (hash, size);
    }

    public async Task<string> GetLocalPathAsync(string hash, CancellationToken cancellationToken = default)
    {
        var local = Path.Combine(cache, ContentHash.RelativePath(hash));
        if (File.Exists(local))
        {
            return local;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        using var response = await s3.GetObjectAsync(bucket, Key(hash), cancellationToken);
        var partial = $"{local}.{Guid.NewGuid():N}.partial";
        await using (var file = File.Create(partial))
        {
            await response.ResponseStream.CopyToAsync(file, cancellationToken);
        }
        File.Move(partial, local, overwrite: true);
        return local;
    }

    public async Task<bool> ContainsAsync(string hash, CancellationToken cancellationToken = default)
    {
        try
        {
            await s3.GetObjectMetadataAsync(bucket, Key(hash), cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task DeleteAsync(string hash, CancellationToken cancellationToken = default)
    {
        await s3.DeleteObjectAsync(bucket, Key(hash), cancellationToken);
        File.Delete(Path.Combine(cache, ContentHash.RelativePath(hash)));
    }

    private string Key(string hash) => prefix + ContentHash.RelativePath(hash).Replace(Path.DirectorySeparatorChar, '/');
}
