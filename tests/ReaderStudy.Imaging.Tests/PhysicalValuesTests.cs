using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Tests;

/// <summary>
/// Stored values become physical values, and a written series' values its stored encoding, several at a time: the
/// results must be those of the one-at-a-time rules, to the bit, wherever in the vectors (or the tail after them) a
/// value that decides them falls.
/// </summary>
public sealed class PhysicalValuesTests
{
    private static DicomImage Image(int[] stored, double slope, double intercept) => new()
    {
        Path = "x.dcm", Modality = "MR", SopClassUid = "", SopInstanceUid = "", StudyInstanceUid = "", SeriesInstanceUid = "", FrameOfReferenceUid = "",
        SeriesDescription = "", SeriesNumber = 1, InstanceNumber = 1, ImageType = "", TransferSyntaxUid = "", EchoTime = null, RepetitionTime = null,
        BurnedInAnnotation = "", Rows = 1, Columns = stored.Length, Frames = 1, PixelSpacing = [1, 1], ImagePosition = [0, 0, 0], ImageOrientation = [1, 0, 0, 0, 1, 0],
        Slope = slope, Intercept = intercept, StoredValues = stored,
    };

    [Theory]
    [InlineData(1, 0)]
    [InlineData(0.0373, -1024.5)]
    [InlineData(1e-7, 3.3)]
    public void PhysicalValues_AreTheOneAtATimeValues_ToTheBit(double slope, double intercept)
    {
        var random = new Random(11);
        // 1,003 values: vectors of eight and a tail of three.
        int[] stored = [.. Enumerable.Range(0, 1003).Select(_ => random.Next(-70000, 70000)), int.MaxValue, int.MinValue];

        var values = Image(stored, slope, intercept).Values();

        Assert.Equal(stored.Select(s => BitConverter.SingleToInt32Bits((float)(s * slope + intercept))), values.Select(BitConverter.SingleToInt32Bits));
    }

    /// <summary>The rule as it was written one value at a time, before it went sixteen at a time.</summary>
    private static (bool Integral, double Min, double Max) OneAtATime(float[] values)
    {
        var (integral, min, max) = (true, 0.0, 0.0);
        foreach (var v in values.Where(float.IsFinite))
        {
            integral &= v == MathF.Round(v);
            (min, max) = (Math.Min(min, v), Math.Max(max, v));
        }
        return (integral, min, max);
    }

    public static TheoryData<string, int> Deciding() => new()
    {
        { "fraction", 3 }, { "fraction", 40 }, { "fraction", 1000 },
        { "large", 5 }, { "large", 999 },
        { "negative", 17 }, { "negative", 1001 },
        { "negative fraction", 64 }, { "negative fraction", 1002 },
    };

    [Theory]
    [MemberData(nameof(Deciding))]
    public void StoredEncoding_IsDecidedByAnyValue_InTheVectorsOrTheTail(string what, int at)
    {
        var random = new Random(at);
        // Whole numbers 0..4000 with NaN and infinities about, which count as nothing; 1,003 values: 62 vectors of sixteen and a tail of eleven.
        var values = Enumerable.Range(0, 1003).Select(_ => (float)random.Next(0, 4000)).ToArray();
        (values[7], values[300], values[1002 - (at == 1002 ? 1 : 0)]) = (float.NaN, float.PositiveInfinity, float.NegativeInfinity);
        values[at] = what switch
        {
            "fraction" => 12.5f,
            "large" => 123456f,
            "negative" => -2000f,
            _ => -0.25f,
        };
        var (integral, min, max) = OneAtATime(values);

        var encoding = StoredEncoding.For(values);

        var expected = integral && min >= 0 && max <= ushort.MaxValue ? new StoredEncoding(false, 1, 0)
            : integral && min >= short.MinValue && max <= short.MaxValue ? new StoredEncoding(true, 1, 0)
            : new StoredEncoding(true, double.Parse(DataSetBuilder.FormatDs(Math.Max(-min, max) / 32000), System.Globalization.CultureInfo.InvariantCulture), 0);
        Assert.Equal(expected, encoding);
        Assert.NotEqual(new StoredEncoding(false, 1, 0), encoding);
    }

    [Fact]
    public void StoredEncoding_OfWholeNumbersWithNaN_StoresThemAsTheyAre()
    {
        var values = Enumerable.Range(0, 100).Select(i => i % 9 == 0 ? float.NaN : i * 600f).ToArray();

        Assert.Equal(new StoredEncoding(false, 1, 0), StoredEncoding.For(values));
        Assert.Equal(new StoredEncoding(true, 1, 0), StoredEncoding.For([.. values.Select(v => -v / 2)]));
    }
}
