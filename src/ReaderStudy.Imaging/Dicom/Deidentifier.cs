namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// De-identifies DICOM files by the Basic Application Level Confidentiality Profile (PS3.15 Annex E), over
/// GDCM's list of the profile's attributes: the patient becomes the study pseudonym, UIDs are remapped by
/// the caller's consistent mapping, type 2 attributes are emptied, and everything else on the list and
/// every private attribute is removed.
/// </summary>
public static class Deidentifier
{
    static Deidentifier() => GdcmWarnings.Start();

    private static readonly HashSet<(ushort, ushort)> Descriptors =
    [
        (0x0008, 0x103E), (0x0008, 0x1030), (0x0018, 0x1030),
    ];

    /// <summary>
    /// Every attribute the profile acts on: PS3.15 (2023) Table E.1-1, plus any that GDCM's own (older) list
    /// adds, which are removed.
    /// </summary>
    internal static IReadOnlyDictionary<(ushort Group, ushort Element), ConfidentialityProfile.Action> ProfileAttributes { get; } =
        gdcm.Anonymizer.GetBasicApplicationLevelConfidentialityProfileAttributes()
            .Select(t => (t.GetGroup(), t.GetElement()))
            .Where(t => !ConfidentialityProfile.Attributes.ContainsKey(t))
            .Aggregate(new Dictionary<(ushort, ushort), ConfidentialityProfile.Action>(ConfidentialityProfile.Attributes), (all, t) =>
            {
                all[t] = ConfidentialityProfile.Action.Remove;
                return all;
            });

    // The profile's tags made once and only read from then on (by every thread): building ~600 SWIG tags per file was
    // a good part of de-identifying it.
    private static readonly (ushort Group, ushort Element, ConfidentialityProfile.Action Action, gdcm.Tag Tag)[] ProfileTags =
        [.. ProfileAttributes.Select(a => (a.Key.Group, a.Key.Element, a.Value, new gdcm.Tag(a.Key.Group, a.Key.Element)))];

    private static readonly gdcm.Tag[] OverlayTags =
        [.. Enumerable.Range(0, 16).SelectMany(i => new ushort[] { 0x3000, 0x4000 }.Select(element => new gdcm.Tag((ushort)(0x6000 + 2 * i), element)))];

    /// <summary>Writes the de-identified copy of <paramref name="source"/> to <paramref name="target"/>.</summary>
    /// <param name="remapUid">A consistent mapping of original to new UIDs (the same for every file of a study).</param>
    public static void Deidentify(string source, string target, string pseudonym, Func<string, string> remapUid, DeidentificationOptions options)
    {
        using var reader = new gdcm.Reader();
        reader.SetFileName(source);
        if (!reader.Read())
        {
            throw new DicomReadException($"{source}: not readable as DICOM; nothing de-identified.");
        }
        var file = reader.GetFile();
        var ds = file.GetDataSet();
        using var anonymizer = new gdcm.Anonymizer();
        anonymizer.SetFile(file);
        anonymizer.RemovePrivateTags();
        foreach (var (group, element, action, tag) in ProfileTags)
        {
            if (!ds.FindDataElement(tag))
            {
                continue;
            }
            var vr = VrOf(ds, tag);
            if ((group, element) is (0x0010, 0x0010) or (0x0010, 0x0020))
            {
                new DataSetBuilder(ds).Text(group, element, group == 0x0010 && element == 0x0010 ? "PN" : "LO", pseudonym);
            }
            else if (action == ConfidentialityProfile.Action.RemapUid || vr == "UI")
            {
                var original = DataSetReader.Text(ds, group, element);
                if (original.Length == 0)
                {
                    EmptyValue(ds, tag, vr);
                }
                else
                {
                    new DataSetBuilder(ds).Text(group, element, "UI", string.Join('\\', original.Split('\\').Select(remapUid)));
                }
            }
            else if (options.RetainLongitudinalTemporalInformation && vr is "DA" or "DT" or "TM")
            {
                continue;
            }
            else if (options.CleanDescriptors && Descriptors.Contains((group, element)))
            {
                continue;
            }
            else if (action == ConfidentialityProfile.Action.Empty)
            {
                EmptyValue(ds, tag, vr);
            }
            else
            {
                ds.Remove(tag);
            }
        }
        // Overlays can carry burned-in text; the profile removes their data and comments.
        foreach (var overlay in OverlayTags)
        {
            ds.Remove(overlay);
        }
        new DataSetBuilder(ds)
            .Text(0x0012, 0x0062, "CS", "YES")
            .Text(0x0012, 0x0063, "LO", options.MethodDescription[..Math.Min(64, options.MethodDescription.Length)]);

        GdcmFiles.Save(file, target);
    }

    // Done here rather than with gdcm.Anonymizer, which aborts the process on attributes its dictionary lacks.
    private static void EmptyValue(gdcm.DataSet ds, gdcm.Tag tag, string vr)
    {
        if (vr == "SQ")
        {
            new DataSetBuilder(ds).Sequence(tag.GetGroup(), tag.GetElement());
        }
        else
        {
            new DataSetBuilder(ds).Bytes(tag.GetGroup(), tag.GetElement(), vr.Length == 2 && vr != "??" ? vr : "UN", []);
        }
    }

    internal static string VrOf(gdcm.DataSet ds, gdcm.Tag tag)
    {
        var explicitVr = DataSetReader.VrName(ds.GetDataElement(tag).GetVR());
        if (explicitVr.Length == 2 && explicitVr != "??" && explicitVr != "UN")
        {
            return explicitVr;
        }
        return DictionaryVr(tag);
    }

    private static string DictionaryVr(gdcm.Tag tag) => DataSetReader.VrName(gdcm.Global.GetInstance().GetDicts().GetDictEntry(tag).GetVR());

    /// <summary>Each attribute's VR as the de-identifier reads it, explicit and from the dictionary, <paramref name="times"/>
    /// over, in a data set of its own: how many reads were not the attribute's own VR (tests, without SWIG types
    /// leaving this project).</summary>
    internal static int WrongVrReads(IReadOnlyList<(ushort Group, ushort Element, string Vr)> attributes, int times)
    {
        using var ds = new gdcm.DataSet();
        var builder = new DataSetBuilder(ds);
        foreach (var (group, element, vr) in attributes)
        {
            builder.Text(group, element, vr, "1");
        }
        var wrong = 0;
        for (var i = 0; i < times; i++)
        {
            var (group, element, vr) = attributes[i % attributes.Count];
            using var tag = new gdcm.Tag(group, element);
            wrong += (VrOf(ds, tag) == vr ? 0 : 1) + (DictionaryVr(tag) == vr ? 0 : 1);
        }
        return wrong;
    }
}
