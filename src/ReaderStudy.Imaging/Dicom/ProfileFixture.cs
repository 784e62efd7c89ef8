namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// Test support: copies a file and fills every attribute of the confidentiality profile with a recognisable
/// value, so a test can check each attribute after de-identification. Lives here because only this
/// project touches GDCM.
/// </summary>
internal static class ProfileFixture
{
    public const string Marker = "SECRET";

    /// <returns>The value written into each attribute (text as written; binary VRs as their bytes in hex).</returns>
    public static IReadOnlyDictionary<(ushort Group, ushort Element), string> WriteWithEveryProfileAttribute(string source, string target)
    {
        using var reader = new gdcm.Reader();
        reader.SetFileName(source);
        if (!reader.Read())
        {
            throw new DicomReadException($"{source}: not readable");
        }
        var file = reader.GetFile();
        var ds = new DataSetBuilder(file.GetDataSet());
        var written = new Dictionary<(ushort, ushort), string>();
        var serial = 0;
        foreach (var (group, element) in Deidentifier.ProfileAttributes.Keys.Order())
        {
            if (group is 0x7FE0 or < 0x0008 || group % 2 == 1 || (group, element) is (0xFFFA, 0xFFFA) or (0xFFFC, 0xFFFC))
            {
                continue;
            }
            using var tag = new gdcm.Tag(group, element);
            var vr = DataSetReader.VrName(gdcm.Global.GetInstance().GetDicts().GetDictEntry(tag).GetVR());
            serial++;
            var text = vr switch
            {
                "DA" => "19700101",
                "DT" => "19700101120000",
                "TM" => "120000",
                "AS" => "042Y",
                "DS" or "IS" => (40 + serial).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "UI" => $"1.2.826.0.1.3680043.9.7777.{serial}",
                "PN" => $"{Marker}^PERSON{serial}",
                "CS" => $"{Marker}{serial}",
                "AE" => $"{Marker}AE{serial}",
                _ => $"{Marker} VALUE {serial}",
            };
            switch (vr)
            {
                case "SQ":
                    ds.Sequence(group, element, item => item.Text(0x0010, 0x0010, "PN", $"{Marker}^NESTED{serial}"));
                    written[(group, element)] = $"sequence {serial}";
                    break;
                case "US" or "SS" or "UL" or "SL" or "FL" or "FD" or "OB" or "OW" or "OB or OW" or "US or SS" or "UN" or "AT" or "OF" or "OD" or "OL" or "SV" or "UV" or "OV":
                    var bytes = vr switch
                    {
                        "US" or "SS" or "US or SS" => BitConverter.GetBytes((ushort)(1000 + serial)),
                        "FD" or "OD" => BitConverter.GetBytes(1000.5 + serial),
                        "SV" or "UV" or "OV" => BitConverter.GetBytes(1000L + serial),
                        _ => BitConverter.GetBytes(1000 + serial),
                    };
                    ds.Bytes(group, element, vr.Length == 2 ? vr : vr.StartsWith("US", StringComparison.Ordinal) ? "US" : "OB", bytes);
                    written[(group, element)] = Convert.ToHexString(bytes);
                    break;
                default:
                    ds.Text(group, element, vr.Length == 2 && vr != "??" ? vr : "LO", text);
                    written[(group, element)] = text;
                    break;
            }
        }
        // Overlays (repeating groups 6000-601E, not in the dictionary as such) can carry burned-in text: the first and last.
        foreach (ushort group in (ushort[])[0x6000, 0x601E])
        {
            var bits = BitConverter.GetBytes(0x5A5A0000 + group);
            ds.Bytes(group, 0x3000, "OW", bits);
            written[(group, 0x3000)] = Convert.ToHexString(bits);
            var comment = $"{Marker} OVERLAY {group:X4}";
            ds.Text(group, 0x4000, "LT", comment);
            written[(group, 0x4000)] = comment;
        }
        GdcmFiles.Save(file, target);
        return written;
    }

    /// <summary>An attribute's value after the fact: null when absent, "" when empty, else text or hex as written.</summary>
    public static string? ValueOf(string path, ushort group, ushort element)
    {
        using var reader = new gdcm.Reader();
        reader.SetFileName(path);
        reader.Read();
        var ds = reader.GetFile().GetDataSet();
        using var tag = new gdcm.Tag(group, element);
        if (!ds.FindDataElement(tag))
        {
            return null;
        }
        var de = ds.GetDataElement(tag);
        // Only a sequence may be read as one: GDCM crashes parsing other values as items.
        if (DataSetReader.VrName(de.GetVR()) == "SQ")
        {
            return DataSetReader.Items(ds, group, element).Count == 0 ? "" : "sequence with items";
        }
        var bytes = DataSetReader.Bytes(ds, group, element);
        if (bytes is null || bytes.Length == 0)
        {
            return "";
        }
        var text = DataSetReader.Text(ds, group, element);
        return text.All(c => c >= 32 && c < 127) ? text : Convert.ToHexString(bytes);
    }
}
