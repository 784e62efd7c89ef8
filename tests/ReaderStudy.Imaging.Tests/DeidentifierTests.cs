using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Testing;

namespace ReaderStudy.Imaging.Tests;

public sealed class DeidentifierTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-deid-").FullName;

    private static string Remap(string uid) => DicomUids.FromSeed("test-key/" + uid);

    [Fact]
    public void Deidentify_FileWithEveryProfileAttributeFilled_LeavesNoOriginalValue()
    {
        var filled = Path.Combine(folder, "filled.dcm");
        var written = ProfileFixture.WriteWithEveryProfileAttribute(SharedFolder.Path("dicom-samples", "MR_small.dcm"), filled);
        var output = Path.Combine(folder, "clean.dcm");

        Deidentifier.Deidentify(filled, output, "RS-0001", Remap, new DeidentificationOptions { CleanDescriptors = false });

        Assert.True(written.Count > 500, $"only {written.Count} profile attributes were filled");
        var kept = written
            .Select(w => (Tag: w.Key, Before: w.Value, After: ProfileFixture.ValueOf(output, w.Key.Group, w.Key.Element)))
            .Where(x => x.After is not null && x.After.Length > 0 && (x.After == x.Before || x.After == "sequence with items" || x.After.Contains(ProfileFixture.Marker, StringComparison.Ordinal)))
            .Select(x => $"({x.Tag.Group:X4},{x.Tag.Element:X4}) kept '{x.After}'")
            .ToList();
        Assert.Empty(kept);
        Assert.Equal("RS-0001", ProfileFixture.ValueOf(output, 0x0010, 0x0010));
        Assert.Equal("RS-0001", ProfileFixture.ValueOf(output, 0x0010, 0x0020));
        Assert.Equal("YES", ProfileFixture.ValueOf(output, 0x0012, 0x0062));
    }

    [Fact]
    public void Deidentify_UidsAreRemappedConsistently_AndPixelsUntouched()
    {
        var source = SharedFolder.Path("dicom-samples", "MR_small.dcm");
        var original = DicomReader.Read(source);
        var (a, b) = (Path.Combine(folder, "a.dcm"), Path.Combine(folder, "b.dcm"));

        Deidentifier.Deidentify(source, a, "RS-0002", Remap, new DeidentificationOptions());
        Deidentifier.Deidentify(source, b, "RS-0002", Remap, new DeidentificationOptions());

        var (first, second) = (DicomReader.Read(a), DicomReader.Read(b));
        Assert.Equal(Remap(original.SeriesInstanceUid), first.SeriesInstanceUid);
        Assert.Equal(first.SopInstanceUid, second.SopInstanceUid);
        Assert.NotEqual(original.StudyInstanceUid, first.StudyInstanceUid);
        Assert.Equal(original.StoredValues, first.StoredValues);
    }

    [Fact]
    public void Deidentify_Options_KeepDatesAndDescriptorsOnlyWhenSelected()
    {
        var filled = Path.Combine(folder, "filled.dcm");
        ProfileFixture.WriteWithEveryProfileAttribute(SharedFolder.Path("dicom-samples", "MR_small.dcm"), filled);
        var (strict, retaining) = (Path.Combine(folder, "strict.dcm"), Path.Combine(folder, "retaining.dcm"));

        Deidentifier.Deidentify(filled, strict, "RS-3", Remap, new DeidentificationOptions { CleanDescriptors = false });
        Deidentifier.Deidentify(filled, retaining, "RS-3", Remap, new DeidentificationOptions { CleanDescriptors = true, RetainLongitudinalTemporalInformation = true });

        Assert.Equal("", ProfileFixture.ValueOf(strict, 0x0008, 0x0020));               // Study Date emptied
        Assert.Equal("19700101", ProfileFixture.ValueOf(retaining, 0x0008, 0x0020));    // kept with full dates
        Assert.Null(ProfileFixture.ValueOf(strict, 0x0008, 0x103E));                    // Series Description removed
        Assert.NotNull(ProfileFixture.ValueOf(retaining, 0x0008, 0x103E));              // kept by Clean Descriptors
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
