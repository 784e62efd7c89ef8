namespace ReaderStudy.Imaging.Dicom;

/// <summary>Saving a GDCM file: the meta header is rebuilt from the data set (new UIDs included) before writing.</summary>
/// <remarks>
/// A new file is always taken from a writer (<c>writer.GetFile()</c>): GDCM's smart pointers would delete a
/// file created on the .NET side once the writer lets go of it, and the .NET wrapper would delete it again.
/// </remarks>
internal static class GdcmFiles
{
    static GdcmFiles() => GdcmWarnings.Start();

    /// <summary>Writes a file read by a reader, keeping its transfer syntax.</summary>
    public static void Save(gdcm.File file, string path)
    {
        using var writer = new gdcm.Writer();
        writer.SetFile(file);
        Save(writer, path, null);
    }

    /// <summary>Writes the writer's own file in <paramref name="transferSyntax"/> (null keeps the file's).</summary>
    public static void Save(gdcm.Writer writer, string path, gdcm.TransferSyntax.TSType? transferSyntax)
    {
        var file = writer.GetFile();
        var header = file.GetHeader();
        var syntax = transferSyntax is { } type ? new gdcm.TransferSyntax(type) : header.GetDataSetTransferSyntax();
        header.Clear();
        header.SetDataSetTransferSyntax(syntax);
        header.FillFromDataSet(file.GetDataSet());
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // GDCM asserts, aborting the whole process, when it cannot open the file (a folder in the way, no permission):
        // opening it here first turns that into an IOException that says why.
        try
        {
            using (File.Open(path, FileMode.Create, FileAccess.Write))
            {
            }
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"{path}: cannot be written ({e.Message})", e);
        }
        writer.SetFileName(path);
        if (!writer.Write())
        {
            throw new IOException($"{path}: GDCM could not write the file.");
        }
    }
}
