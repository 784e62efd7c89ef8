using System.Globalization;
using System.Text;

namespace ReaderStudy.Imaging.Dicom;

/// <summary>Reads values out of a GDCM data set, nested sequences included; the counterpart of <see cref="DataSetBuilder"/>.</summary>
internal static class DataSetReader
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<gdcm.DataSet, object> KeepAlive = new();

    static DataSetReader() => GdcmWarnings.Start();

    public static byte[]? Bytes(gdcm.DataSet ds, ushort group, ushort element)
    {
        using var tag = new gdcm.Tag(group, element);
        if (!ds.FindDataElement(tag))
        {
            return null;
        }
        var value = ds.GetDataElement(tag).GetByteValue();
        if (value is null)
        {
            return null;
        }
        var length = (uint)value.GetLength();
        var buffer = new byte[length];
        return value.GetBuffer(buffer, length) ? buffer : null;
    }

    /// <summary>A VR's two letters ("??" when unknown), from GDCM's constant table: SWIG's <c>VR.toString()</c> returns a
    /// buffer shared by every thread, so two threads reading VRs at once could read each other's ("DI" from DA and UI).</summary>
    public static string VrName(gdcm.VR vr) => gdcm.VR.GetVRString(vr.GetVRField()) ?? "";

    public static string Text(gdcm.DataSet ds, ushort group, ushort element) =>
        Bytes(ds, group, element) is { } bytes ? Encoding.Latin1.GetString(bytes).TrimEnd('\0', ' ').Trim() : "";

    public static double[] Decimals(gdcm.DataSet ds, ushort group, ushort element) =>
        [.. Text(ds, group, element).Split('\\', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))];

    /// <summary>The first value of a binary double (FD), e.g. Effective Echo Time in an MR Echo Sequence.</summary>
    public static double? Double(gdcm.DataSet ds, ushort group, ushort element) =>
        Bytes(ds, group, element) is { Length: >= 8 } bytes ? BitConverter.ToDouble(bytes) : null;

    public static ushort? UnsignedShort(gdcm.DataSet ds, ushort group, ushort element) =>
        Bytes(ds, group, element) is { Length: >= 2 } bytes ? BitConverter.ToUInt16(bytes) : null;

    /// <summary>The nested data sets of a sequence's items, in order; empty when the sequence is absent.</summary>
    public static IReadOnlyList<gdcm.DataSet> Items(gdcm.DataSet ds, ushort group, ushort element)
    {
        using var tag = new gdcm.Tag(group, element);
        if (!ds.FindDataElement(tag))
        {
            return [];
        }
        var sequence = ds.GetDataElement(tag).GetValueAsSQ();
        if (sequence is null)
        {
            return [];
        }
        var count = sequence.GetNumberOfItems();
        List<gdcm.DataSet> items = [.. Enumerable.Range(1, (int)count).Select(i => sequence.GetItem((uint)i).GetNestedDataSet())];
        // The items live in the sequence, which may be one GDCM decoded for this call (a sequence stored as bytes):
        // each item's proxy keeps the sequence's smart pointer alive, or the GC could free it under the caller.
        foreach (var item in items)
        {
            KeepAlive.AddOrUpdate(item, sequence);
        }
        return items;
    }

    /// <summary>The first item's data set of a sequence (functional groups hold one item per macro).</summary>
    public static gdcm.DataSet? First(gdcm.DataSet ds, ushort group, ushort element) =>
        Items(ds, group, element) is [var first, ..] ? first : null;
}
