namespace ReaderStudy.Testing;

/// <summary>The throwaway S3-compatible server (s3rver) that deploy/test.sh starts on loopback, with bucket "readerstudy-test".</summary>
public static class S3Server
{
    public const string Variable = "READERSTUDY_TEST_S3";
    public const string Bucket = "readerstudy-test";

    public static string Url => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException($"{Variable} is not set: run the tests with deploy/test.sh, which starts s3rver and sets it.");

    /// <summary>Portal settings that put images in the test bucket under a prefix of their own.</summary>
    public static Dictionary<string, string> PortalSettings() => new()
    {
        ["Storage:Images:Kind"] = "S3",
        ["Storage:Images:S3ServiceUrl"] = Url,
        ["Storage:Images:S3Bucket"] = Bucket,
        ["Storage:Images:S3Prefix"] = $"test-{Guid.NewGuid():N}/",
        ["Storage:Images:S3AccessKey"] = "S3RVER",
        ["Storage:Images:S3SecretKey"] = "S3RVER",
    };
}

/// <summary>The portal with its images in the S3 test bucket.</summary>
public sealed class S3Portal() : PortalFactory(TestDatabase.Sqlite, S3Server.PortalSettings());
