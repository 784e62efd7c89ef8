namespace ReaderStudy.Core.Storage;

/// <summary>The "Storage" choices for images: a local folder (default) or an S3-compatible bucket.</summary>
public sealed class ImageStoreSettings
{
    /// <summary>"Local" or "S3".</summary>
    public string Kind { get; set; } = "Local";
    /// <summary>S3 endpoint URL for a non-AWS service (MinIO etc.); empty for AWS.</summary>
    public string S3ServiceUrl { get; set; } = "";
    public string S3Region { get; set; } = "us-east-1";
    public string S3Bucket { get; set; } = "";
    public string S3Prefix { get; set; } = "readerstudy/";
    public string S3AccessKey { get; set; } = "";
    public string S3SecretKey { get; set; } = "";

    /// <summary>Builds the configured store; local files and the S3 read cache live under <paramref name="dataFolder"/>.</summary>
    public IImageStore Create(string dataFolder)
    {
        if (Kind.Equals("Local", StringComparison.OrdinalIgnoreCase))
        {
            return new LocalImageStore(Path.Combine(dataFolder, "store"));
        }
        if (!Kind.Equals("S3", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Storage:Images:Kind '{Kind}' is not supported: use 'Local' or 'S3'.");
        }
        if (string.IsNullOrWhiteSpace(S3Bucket))
        {
            throw new InvalidOperationException("Storage:Images:S3Bucket is required when Storage:Images:Kind is 'S3'.");
        }
        // Checksums only when required: S3-compatible servers differ in their support of trailing checksums.
        var config = new Amazon.S3.AmazonS3Config
        {
            ForcePathStyle = true,
            RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrWhiteSpace(S3ServiceUrl))
        {
            config.ServiceURL = S3ServiceUrl;
            config.AuthenticationRegion = S3Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(S3Region);
        }
        var client = string.IsNullOrWhiteSpace(S3AccessKey)
            ? new Amazon.S3.AmazonS3Client(config)
            : new Amazon.S3.AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(S3AccessKey, S3SecretKey), config);
        return new S3ImageStore(client, S3Bucket, S3Prefix, Path.Combine(dataFolder, "s3-cache"));
    }
}
