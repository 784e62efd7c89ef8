using System.IO.Compression;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Import;

/// <summary>
/// Unpacks an uploaded zip within limits: every entry stays inside the target folder, and the entry count, the
/// total size and each entry's compression ratio are checked against what the archive declares and, since a
/// header can lie, against what is actually written.
/// </summary>
internal sealed class SafeZip(ZipLimits limits)
{
    private long written;
    private int entries;

    public void Extract(string archive, string target)
    {
        var root = Directory.CreateDirectory(target).FullName + Path.DirectorySeparatorChar;
        try
        {
            using var zip = ZipFile.OpenRead(archive);
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/'))
                {
                    continue;
                }
                if (++entries > limits.MaxEntries)
                {
                    throw new UploadLimitException($"{Path.GetFileName(archive)} holds more than {limits.MaxEntries} files, the limit of one upload (Import:ZipMaxEntries).");
                }
                var path = Path.GetFullPath(Path.Combine(root, entry.FullName));
                if (!path.StartsWith(root, StringComparison.Ordinal) || Path.IsPathRooted(entry.FullName))
                {
                    throw new DicomReadException($"{Path.GetFileName(archive)}: the entry '{entry.FullName}' points outside the archive's folder; the archive is refused.");
                }
                if (entry.Length > 1 << 20 && entry.Length > limits.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
                {
                    throw new UploadLimitException($"{Path.GetFileName(archive)}: '{entry.FullName}' unpacks {entry.Length / Math.Max(1, entry.CompressedLength)} times its packed size (limit {limits.MaxCompressionRatio}, Import:ZipMaxCompressionRatio); the archive is refused.");
                }
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using var source = entry.Open();
                using var destination = File.Create(path);
                Copy(source, destination, archive);
            }
        }
        catch (InvalidDataException e)
        {
            throw new DicomReadException($"{archive}: not a readable zip archive ({e.Message}).");
        }
    }

    private void Copy(Stream source, Stream destination, string archive)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            written += read;
            if (written > limits.MaxUncompressedBytes)
            {
                throw new UploadLimitException($"{Path.GetFileName(archive)}: the upload unpacks to more than {limits.MaxUncompressedBytes >> 20} MiB, the limit of one upload (Import:ZipMaxUncompressedBytes).");
            }
            destination.Write(buffer, 0, read);
        }
    }
}
