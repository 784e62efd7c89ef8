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
        var integral = true;
        var max = 0.0;
        var min = 0.0;
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                continue;
            }
            integral &= v == MathF.Round(v);
            max = Math.Max(max, v);
            min = Math.Min(min, v);
        }
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
