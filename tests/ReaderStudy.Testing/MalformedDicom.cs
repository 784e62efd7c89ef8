namespace ReaderStudy.Testing;

/// <summary>DICOM files that make GDCM fail an assertion (SIGABRT), written byte by byte from a shared sample.</summary>
public static class MalformedDicom
{
    /// <summary>
    /// An "RT Dose" object whose Number of Frames (0028,0008) has the VR US instead of IS, as some writers produce:
    /// GDCM's Attribute&lt;0028,0008&gt; asserts on it while reading the image, which aborts the process.
    /// </summary>
    public static string RtDoseWithWrongNumberOfFramesVr(string folder)
    {
        var bytes = File.ReadAllBytes(SharedFolder.Path("dicom-samples", "MR_small.dcm")).ToList();
        byte[] rows = [0x28, 0x00, 0x10, 0x00, (byte)'U', (byte)'S'];
        bytes.InsertRange(IndexOf(bytes, rows), [0x28, 0x00, 0x08, 0x00, (byte)'U', (byte)'S', 0x02, 0x00, 0x01, 0x00]);
        byte[] modality = [0x08, 0x00, 0x60, 0x00, (byte)'C', (byte)'S', 0x02, 0x00, (byte)'M', (byte)'R'];
        var at = IndexOf(bytes, modality);
        bytes.RemoveRange(at, modality.Length);
        bytes.InsertRange(at, [0x08, 0x00, 0x60, 0x00, (byte)'C', (byte)'S', 0x06, 0x00, .. "RTDOSE"u8.ToArray()]);
        var path = Path.Combine(folder, "rtdose_1frame.dcm");
        File.WriteAllBytes(path, [.. bytes]);
        return path;
    }

    private static int IndexOf(List<byte> bytes, byte[] pattern)
    {
        for (var i = 0; i + pattern.Length <= bytes.Count; i++)
        {
            if (pattern.Select((b, j) => bytes[i + j] == b).All(x => x))
            {
                return i;
            }
        }
        throw new InvalidOperationException("The sample does not hold the expected element.");
    }
}
