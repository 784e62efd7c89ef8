using System.Runtime.Intrinsics;

namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// How physical values become 16-bit stored values for a whole series: integral values in 0..65535 are
/// stored as they are, and so are integral values in −32768..32767 (signed); anything else as signed values scaled so the largest magnitude uses most of the
/// range, zero staying zero. Not-a-number is stored as zero.
/// </summary>
internal sealed record StoredEncoding(bool Signed, double Slope, double Intercept)
{
    public static StoredEncoding For(ReadOnlySpan<float> values)
    {
        var (integral, min, max) = Range(values);
        if (integral && min >= 0 && max <= ushort.MaxValue)
        {
            return new StoredEncoding(false, 1, 0);
        }
        // Whole signed numbers (Hounsfield units) are stored as they are, as CT scanners do.
        if (integral && min >= short.MinValue && max <= short.MaxValue)
        {
            return new StoredEncoding(true, 1, 0);
        }
        var magnitude = Math.Max(Math.Abs(min), Math.Abs(max));
        // Round the slope to what DS can hold so the written header reproduces it exactly.
        var slope = magnitude == 0 ? 1 : double.Parse(DataSetBuilder.FormatDs(magnitude / 32000), System.Globalization.CultureInfo.InvariantCulture);
        return new StoredEncoding(true, slope, 0);
    }

    /// <summary>Whether every finite value is whole, and the least and greatest finite values (0 included), sixteen values at a time.</summary>
    private static (bool Integral, double Min, double Max) Range(ReadOnlySpan<float> values)
    {
        // A value that is not finite counts as 0: it is stored as 0, and 0 is whole and already within the range.
        var (whole, least, greatest) = (Vector512<float>.AllBitsSet, Vector512<float>.Zero, Vector512<float>.Zero);
        var infinity = Vector512.Create(float.PositiveInfinity);
        var i = 0;
        for (; i <= values.Length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var v = Vector512.Create(values.Slice(i, Vector512<float>.Count));
            v = Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(v), infinity), v, Vector512<float>.Zero);
            whole &= Vector512.Equals(v, Vector512.Round(v));
            (least, greatest) = (Vector512.Min(least, v), Vector512.Max(greatest, v));
        }
        var (integral, min, max) = (whole.AsUInt32() == Vector512<uint>.AllBitsSet, 0.0, 0.0);
        for (var lane = 0; lane < Vector512<float>.Count; lane++)
        {
            (min, max) = (Math.Min(min, least[lane]), Math.Max(max, greatest[lane]));
        }
        foreach (var v in values[i..])
        {
            if (float.IsFinite(v))
            {
                integral &= v == MathF.Round(v);
                (min, max) = (Math.Min(min, v), Math.Max(max, v));
            }
        }
        return (integral, min, max);
    }

    public void Encode(ReadOnlySpan<float> values, byte[] target)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            var stored = float.IsFinite(v) ? Math.Round((v - Intercept) / Slope) : 0;
            if (Signed)
            {
                BitConverter.TryWriteBytes(target.AsSpan(2 * i), (short)Math.Clamp(stored, short.MinValue, short.MaxValue));
            }
            else
            {
                BitConverter.TryWriteBytes(target.AsSpan(2 * i), (ushort)Math.Clamp(stored, 0, ushort.MaxValue));
            }
        }
    }
}
