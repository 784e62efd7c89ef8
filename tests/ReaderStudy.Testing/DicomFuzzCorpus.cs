namespace ReaderStudy.Testing;

/// <summary>
/// Broken variants of every DICOM sample the tests hold: cut at several points, bytes flipped at random (seeded),
/// lengths and VRs garbled in the header, and the file that makes GDCM abort. Written into a folder of the test's own.
/// </summary>
public static class DicomFuzzCorpus
{
    public static IReadOnlyList<string> Write(string folder, int seed = 20261202)
    {
        var random = new Random(seed);
        var files = new List<string> { MalformedDicom.RtDoseWithWrongNumberOfFramesVr(folder) };
        foreach (var sample in Directory.GetFiles(SharedFolder.Path("dicom-samples"), "*.dcm").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(sample);
            var name = Path.GetFileNameWithoutExtension(sample);
            void Add(string variant, byte[] content)
            {
                var path = Path.Combine(folder, $"{name}-{variant}.dcm");
                File.WriteAllBytes(path, content);
                files.Add(path);
            }
            foreach (var fraction in new[] { 0.1, 0.5, 0.9 })
            {
                Add($"cut{fraction * 100:0}", bytes[..(int)(bytes.Length * fraction)]);
            }
            for (var variant = 0; variant < 2; variant++)
            {
                var flipped = (byte[])bytes.Clone();
                for (var i = 0; i < 16; i++)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                }
                Add($"flip{variant}", flipped);
            }
            // Garbled VRs and lengths where the header lies (after the preamble): the parser's own ground.
            var garbled = (byte[])bytes.Clone();
            for (var i = 0; i < 24; i++)
            {
                garbled[132 + random.Next(Math.Min(600, garbled.Length - 132))] = (byte)random.Next(256);
            }
            Add("header", garbled);
        }
        return files;
    }
}
