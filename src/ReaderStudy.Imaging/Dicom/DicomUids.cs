namespace ReaderStudy.Imaging.Dicom;

/// <summary>New DICOM UIDs (2.25 + a random UUID as a decimal integer, PS3.5 B.2), valid without a registered root.</summary>
public static class DicomUids
{
    public const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string DigitalMammographyForPresentationStorage = "1.2.840.10008.5.1.4.1.1.1.2";
    public const string DigitalXRayForPresentationStorage = "1.2.840.10008.5.1.4.1.1.1";
    public const string SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";

    public static string New() => "2.25." + new System.Numerics.BigInteger([.. Guid.NewGuid().ToByteArray(), 0]).ToString();

    /// <summary>A UID derived from a seed and a name, so phantom data with the same seed get the same UIDs.</summary>
    public static string FromSeed(string seedAndName)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seedAndName));
        return "2.25." + new System.Numerics.BigInteger([.. hash[..16], 0]).ToString();
    }
}
