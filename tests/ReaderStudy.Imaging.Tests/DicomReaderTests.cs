using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Testing;

namespace ReaderStudy.Imaging.Tests;

/// <summary>Real files written by other toolkits (../shared/dicom-samples), decoded through GDCM.</summary>
public sealed class DicomReaderTests
{
    private static string Sample(string name) => SharedFolder.Path("dicom-samples", name);

    [Theory]
    [InlineData("MR_small.dcm", "1.2.840.10008.1.2.1")]
    [InlineData("MR_small_implicit.dcm", "1.2.840.10008.1.2")]
    [InlineData("MR_small_bigendian.dcm", "1.2.840.10008.1.2.2")]
    [InlineData("MR_small_RLE.dcm", "1.2.840.10008.1.2.5")]
    [InlineData("MR_small_jp2klossless.dcm", "1.2.840.10008.1.2.4.90")]
    public void Read_EveryEncodingOfMrSmall_GivesTheReferencePixels(string file, string transferSyntax)
    {
        var reference = DicomReader.Read(Sample("MR_small.dcm"));

        var image = DicomReader.Read(Sample(file));

        Assert.Equal(transferSyntax, image.TransferSyntaxUid);
        Assert.Equal(("MR", 64, 64), (image.Modality, image.Rows, image.Columns));
        Assert.Equal(2125338L, image.StoredValues.Sum(p => (long)p));
        Assert.Equal(reference.StoredValues, image.StoredValues);
    }

    [Fact]
    public void Stack_SlicesGiveTheirPhysicalValues_AndAnImageOfTwoFramesIsRefusedNamingIt()
    {
        var slice = DicomReader.Read(Sample("MR_small.dcm"));
        var (r, c) = (slice.ImageOrientation[..3], slice.ImageOrientation[3..]);
        double[] normal = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]];
        var next = slice with { Path = "next.dcm", ImagePosition = [.. slice.ImagePosition.Zip(normal, (p, n) => p + 5 * n)], Slope = 2, Intercept = -1 };
        var volume = VolumeLoader.Stack([next, slice], "two slices");
        var expected = volume.Slices.SelectMany(s => s.StoredValues.Select(v => (float)(v * s.Slope + s.Intercept))).ToArray();
        Assert.Equal(expected, volume.Values);
        Assert.NotEqual(volume.Values[..4096], volume.Values[4096..]);

        var twoFrames = next with { Path = "two-frames.dcm", StoredValues = [.. next.StoredValues, .. next.StoredValues] };
        var error = Assert.Throws<DicomReadException>(() => VolumeLoader.Stack([slice, twoFrames], "the series"));
        Assert.Contains("two-frames.dcm holds 2 frame(s)", error.Message);
    }

    [Fact]
    public void Read_TruncatedFile_IsRefusedNamingTheFile()
    {
        var error = Assert.Throws<DicomReadException>(() => DicomReader.Read(Sample("MR_truncated.dcm")));

        Assert.Contains("MR_truncated.dcm", error.Message);
    }

    [Fact]
    public void Read_CtFile_ReportsItsModality()
    {
        var image = DicomReader.Read(Sample("CT_small.dcm"));

        Assert.Equal("CT", image.Modality);
        Assert.Equal((128, 128), (image.Rows, image.Columns));
    }

    [Fact]
    public void Read_NotDicomAtAll_IsRefusedNamingTheFile()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"not-dicom-{Guid.NewGuid():N}.dcm");
        File.WriteAllText(path, "this is a text file, not an image");
        try
        {
            var error = Assert.Throws<DicomReadException>(() => DicomReader.Read(path));
            Assert.Contains(path, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
