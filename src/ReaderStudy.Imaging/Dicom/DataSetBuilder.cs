using System.Globalization;
using System.Text;

namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// Fills a GDCM data set element by element (explicit VR little endian). GDCM does the file encoding;
/// this class only turns .NET values into each VR's value bytes, padded to even length.
/// </summary>
internal sealed class DataSetBuilder(gdcm.DataSet dataSet)
{
    static DataSetBuilder() => GdcmWarnings.Start();

    public gdcm.DataSet DataSet => dataSet;

    public DataSetBuilder Text(ushort group, ushort element, string vr, string? value)
    {
        var padding = vr == "UI" ? '\0' : ' ';
        var text = value ?? "";
        if (text.Length % 2 == 1)
        {
            text += padding;
        }
        return Bytes(group, element, vr, Encoding.ASCII.GetBytes(text));
    }

    public DataSetBuilder Decimals(ushort group, ushort element, params double[] values) =>
        Text(group, element, "DS", string.Join('\\', values.Select(FormatDs)));

    public DataSetBuilder Integers(ushort group, ushort element, params int[] values) =>
        Text(group, element, "IS", string.Join('\\', values.Select(v => v.ToString(CultureInfo.InvariantCulture))));

    public DataSetBuilder UnsignedShort(ushort group, ushort element, ushort value) =>
        Bytes(group, element, "US", BitConverter.GetBytes(value));

    public DataSetBuilder Double(ushort group, ushort element, double value) =>
        Bytes(group, element, "FD", BitConverter.GetBytes(value));

    public DataSetBuilder Bytes(ushort group, ushort element, string vr, byte[] value)
    {
        using var tag = new gdcm.Tag(group, element);
        using var de = new gdcm.DataElement(tag);
        // GDCM copies the VR and the length; the SWIG proxies are freed here, not left to the finalizer.
        using var valueRepresentation = new gdcm.VR(Enum.Parse<gdcm.VR.VRType>(vr));
        using var length = new gdcm.VL((uint)value.Length);
        de.SetVR(valueRepresentation);
        // An empty array would reach GDCM as a null pointer; a zero length over a real buffer is an empty value.
        de.SetByteValue(value.Length == 0 ? new byte[2] : value, length);
        dataSet.Replace(de);
        return this;
    }

    /// <summary>A sequence of items, each filled by its own builder callback.</summary>
    public DataSetBuilder Sequence(ushort group, ushort element, params Action<DataSetBuilder>[] items)
    {
        using var sequence = gdcm.SequenceOfItems.New();
        foreach (var fill in items)
        {
            // GDCM copies the item into the sequence: the proxy is freed here, not left to the finalizer (a series' slices
            // each referencing every source image made thousands a series).
            using var item = new gdcm.Item();
            item.SetVLToUndefined();
            fill(new DataSetBuilder(item.GetNestedDataSet()));
            sequence.AddItem(item);
        }
        sequence.SetLengthToUndefined();
        using var tag = new gdcm.Tag(group, element);
        using var de = new gdcm.DataElement(tag);
        using var sq = new gdcm.VR(gdcm.VR.VRType.SQ);
        de.SetVR(sq);
        de.SetValue(sequence.__ref__());
        de.SetVLToUndefined();
        dataSet.Replace(de);
        // __ref__() hands GDCM the bare sequence: without this, the GC may finalize the smart pointer's proxy (the
        // sequence's only reference) while SetValue runs, and GDCM reads freed memory (segfaults in the test runs).
        GC.KeepAlive(sequence);
        return this;
    }

    /// <summary>The element (a sequence with every item in it) as built once in <paramref name="built"/>, instead of building it again.</summary>
    /// <remarks>GDCM shares a sequence's items between the copies by a reference count that is not thread-safe: a data set
    /// copied from must be copied from, and freed, on one thread.</remarks>
    public DataSetBuilder CopyOf(DataSetBuilder built, ushort group, ushort element)
    {
        using var tag = new gdcm.Tag(group, element);
        if (built.DataSet.FindDataElement(tag))
        {
            using var de = built.DataSet.GetDataElement(tag);
            dataSet.Replace(de);
        }
        return this;
    }

    /// <summary>Writes <paramref name="text"/> into a sequence item of a fresh data set and reads it back (tests the
    /// sequence's lifetime without SWIG types leaving this project).</summary>
    internal static string ThroughASequence(string text)
    {
        using var ds = new gdcm.DataSet();
        new DataSetBuilder(ds).Sequence(0x0040, 0x9096, item => item.Text(0x0028, 0x3003, "LO", text));
        return DataSetReader.First(ds, 0x0040, 0x9096) is { } item ? DataSetReader.Text(item, 0x0028, 0x3003) : "";
    }

    /// <summary>DS allows 16 characters: keep as many significant digits as fit.</summary>
    internal static string FormatDs(double value)
    {
        for (var digits = 10; digits > 1; digits--)
        {
            var text = value.ToString("G" + digits, CultureInfo.InvariantCulture);
            if (text.Length <= 16)
            {
                return text;
            }
        }
        return value.ToString("E6", CultureInfo.InvariantCulture);
    }
}
