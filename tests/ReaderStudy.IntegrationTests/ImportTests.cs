using System.Runtime.InteropServices;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Storage;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Web.Features.Import;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>DICOM import through the HTTP API, on each database engine, with real files.</summary>
public abstract class ImportTests(PortalFactory portal) : IDisposable
{
    private readonly string phantom = Directory.CreateTempSubdirectory("readerstudy-import-test-").FullName;

    private async Task<(PortalClient Coordinator, Guid StudyId)> NewStudyAsync()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Import {Guid.NewGuid():N}", ""));
        return (coordinator, (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!.Id);
    }

    private string PhantomSubject()
    {
        var manifest = PhantomGenerator.Generate(phantom, 1, new KneePhantomOptions { Size = 48, Slices = 3, Seed = 77 });
        return Path.Combine(phantom, manifest.Subjects[0].Pseudonym);
    }

    private static MultipartFormDataContent Upload(IEnumerable<string> files)
    {
        var content = new MultipartFormDataContent();
        foreach (var file in files)
        {
            content.Add(new ByteArrayContent(File.ReadAllBytes(file)), "files", Path.GetFileName(file));
        }
        return content;
    }

    private static async Task<JsonElement> ImportAsync(PortalClient client, Guid studyId, IEnumerable<string> files)
    {
        var response = await client.Http.PostAsync($"/api/studies/{studyId}/import", Upload(files));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static string[] Statuses(JsonElement report) =>
        [.. report.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("status").GetString()!)];

    [Fact]
    public async Task Import_PhantomSubject_StoresEverySeriesClassifiedAndDeidentified()
    {
        var (coordinator, studyId) = await NewStudyAsync();
        var files = Directory.GetFiles(PhantomSubject(), "*.dcm", SearchOption.AllDirectories);

        var report = await ImportAsync(coordinator, studyId, files);

        Assert.All(Statuses(report), s => Assert.Equal("Imported", s));
        var series = await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{studyId}/series", PortalJson.Options);
        Assert.Equal(
            [SeriesKind.Anatomic, SeriesKind.Anatomic, SeriesKind.Anatomic, SeriesKind.Mese, SeriesKind.T2Map, SeriesKind.Segmentation],
            series!.OrderBy(s => s.SeriesNumber).Select(s => s.Kind));
        Assert.All(series, s => Assert.Equal("S-0001", s.Subject));
        Assert.Equal(21, series.Single(s => s.Kind == SeriesKind.Mese).Images);

        await using var db = portal.NewDbContext();
        var stored = await db.SeriesImages.Where(i => db.Series.Any(s => s.Id == i.SeriesId && s.StudyId == studyId)).ToListAsync();
        Assert.Equal(files.Length, stored.Count);
        var store = portal.Services.GetRequiredService<IImageStore>();
        var image = DicomReader.Read(await store.GetLocalPathAsync(stored[0].ContentHash));
        Assert.DoesNotContain("PHANTOM", image.SopInstanceUid + image.SeriesInstanceUid);
        var original = DicomReader.Read(files.First(f => f.Contains("dess", StringComparison.Ordinal)));
        Assert.DoesNotContain(stored, s => s.SopInstanceUid == original.SopInstanceUid);
    }

    [Fact]
    public async Task Import_EnhancedMrMese_IsStoredFittedAndViewedExactlyAsTheClassicSeries()
    {
        var subject = PhantomSubject();
        var classicFiles = Directory.GetFiles(subject, "*.dcm", SearchOption.AllDirectories);
        var meseFiles = Directory.GetFiles(Path.Combine(subject, "mese"));
        var enhanced = OtherToolkits.EnhancedMr(meseFiles, Path.Combine(phantom, "enhanced", "mese.dcm"), "slice-outer");
        var (coordinator, classicStudy) = await NewStudyAsync();
        var (_, enhancedStudy) = await NewStudyAsync();
        await ImportAsync(coordinator, classicStudy, classicFiles);

        var report = await ImportAsync(coordinator, enhancedStudy, [.. classicFiles.Except(meseFiles), enhanced]);

        Assert.All(Statuses(report), s => Assert.Equal("Imported", s));
        async Task<SeriesView> Mese(Guid study) =>
            (await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{study}/series", PortalJson.Options))!.Single(s => s.Kind == SeriesKind.Mese);
        var (classic, fromEnhanced) = (await Mese(classicStudy), await Mese(enhancedStudy));
        Assert.Equal(meseFiles.Length, fromEnhanced.Images);
        Assert.Equal(classic.EchoTimesMs, fromEnhanced.EchoTimesMs);
        var volume = await coordinator.Http.GetFromJsonAsync<JsonElement>($"/api/studies/{enhancedStudy}/series/{fromEnhanced.Id}/volume?echo=3");
        Assert.Equal(3, volume.GetProperty("slices").GetInt32());

        Assert.Equal(await FittedMapAsync(coordinator, classicStudy, classic.Id), await FittedMapAsync(coordinator, enhancedStudy, fromEnhanced.Id));

        var again = await ImportAsync(coordinator, enhancedStudy, [enhanced]);
        Assert.Equal(["AlreadyImported"], Statuses(again));
    }

    /// <summary>Fits a T2 map to a stored MESE through the API and returns its three slices as served.</summary>
    private static async Task<List<byte[]>> FittedMapAsync(PortalClient coordinator, Guid study, Guid mese)
    {
        var fit = await coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/series/{mese}/t2-fit", new Web.Features.T2Fitting.T2FitRequest(), PortalJson.Options);
        Assert.True(fit.IsSuccessStatusCode, await fit.Content.ReadAsStringAsync());
        var map = (await fit.Content.ReadFromJsonAsync<Web.Features.T2Fitting.T2FitOutcome>(PortalJson.Options))!.T2SeriesId;
        return [.. await Task.WhenAll(Enumerable.Range(0, 3).Select(i => coordinator.Http.GetByteArrayAsync($"/api/studies/{study}/series/{map}/slices/{i}")))];
    }

    private static MultipartFormDataContent NiftiUpload(string file, string? name = null) =>
        new() { { new ByteArrayContent(File.ReadAllBytes(file)), "file", name ?? Path.GetFileName(file) } };

    [Fact]
    public async Task NiftiMap_FromDcm2niix_IsStoredOnTheSubjectsGrid_AsASyntheticMapThatNamesItsFile_AndExported()
    {
        var subject = PhantomSubject();
        var (coordinator, studyId) = await NewStudyAsync();
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/members", new NewStudyMember(DemoUsers.Statistician, "Statistician"));
        await ImportAsync(coordinator, studyId, Directory.GetFiles(subject, "*.dcm", SearchOption.AllDirectories));
        // The phantom's ground-truth map, as a model's output would arrive: NIfTI from dcm2niix, rows flipped.
        OtherToolkits.Dcm2niix(Path.Combine(subject, "t2-truth"), Path.Combine(phantom, "nifti"), "model_output");
        var nifti = Path.Combine(phantom, "nifti", "model_output.nii.gz");
        var target = Assert.Single((await coordinator.Http.GetFromJsonAsync<List<NiftiMapTarget>>($"/api/studies/{studyId}/nifti-maps/targets", PortalJson.Options))!);
        Assert.StartsWith("series 4 (Mese)", target.DefaultGrid);

        var response = await coordinator.Http.PostAsync($"/api/studies/{studyId}/subjects/{target.SubjectId}/nifti-maps?origin=Synthetic", NiftiUpload(nifti));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var imported = (await response.Content.ReadFromJsonAsync<NiftiMapImported>(PortalJson.Options))!;
        var series = (await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{studyId}/series", PortalJson.Options))!;
        var map = series.Single(s => s.Id == imported.SeriesId);
        var truth = series.Single(s => s.Kind == SeriesKind.T2Map && s.Id != imported.SeriesId);
        Assert.Equal((SeriesKind.T2Map, MapOrigin.Synthetic, "S-0001"), (map.Kind, map.Origin, map.Subject));
        Assert.Contains($"imported from NIfTI model_output.nii.gz (sha256 {imported.Sha256[..12]})", map.KindRule);
        for (var slice = 0; slice < 3; slice++)
        {
            float[] Values(byte[] bytes) => [.. Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, 4 * i))];
            var ours = Values(await coordinator.Http.GetByteArrayAsync($"/api/studies/{studyId}/series/{map.Id}/slices/{slice}"));
            var expected = Values(await coordinator.Http.GetByteArrayAsync($"/api/studies/{studyId}/series/{truth.Id}/slices/{slice}"));
            Assert.All(ours.Zip(expected), p => Assert.True(Math.Abs(p.First - p.Second) < 0.01, $"slice {slice}: {p.First} vs {p.Second}"));
        }

        var again = await coordinator.Http.PostAsync($"/api/studies/{studyId}/subjects/{target.SubjectId}/nifti-maps?origin=Synthetic", NiftiUpload(nifti));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already imported", await again.Content.ReadAsStringAsync());

        using var statistician = await portal.NewClient().SignedInAsAsync(DemoUsers.Statistician);
        var zipBytes = await statistician.Http.GetByteArrayAsync($"/api/studies/{studyId}/exports/maps-nifti.zip");
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(zipBytes));
        var names = zip.Entries.Select(e => e.FullName).Order().ToList();
        Assert.Contains($"S-0001/{map.SeriesNumber}-synthetic-t2.nii.gz", names);
        Assert.Contains($"S-0001/{truth.SeriesNumber}-unknown-t2.nii.gz", names);
        var exported = Path.Combine(phantom, "exported.nii.gz");
        System.IO.Compression.ZipFileExtensions.ExtractToFile(zip.GetEntry($"S-0001/{map.SeriesNumber}-synthetic-t2.nii.gz")!, exported);
        var original = Imaging.Nifti.NiftiReader.Read(nifti);
        var back = Imaging.Nifti.NiftiReader.Read(exported);
        // Back out as NIfTI: its own voxel order, but the same voxels at the same places as the file that came in.
        Assert.All(Imaging.Nifti.NiftiGeometry.OnGrid(back, 0, original.Affine, original.Dimensions[..3], "the input").Zip(original.Values),
            p => Assert.True(Math.Abs(p.First - p.Second) < 0.01, $"{p.First} vs {p.Second}"));
        var sidecar = JsonDocument.Parse(zip.GetEntry($"S-0001/{map.SeriesNumber}-synthetic-t2.json")!.Open()).RootElement;
        Assert.Equal(("Synthetic", "ms"), (sidecar.GetProperty("Origin").GetString(), sidecar.GetProperty("Units").GetString()));
        Assert.Contains(imported.Sha256[..12], sidecar.GetProperty("Provenance").GetString());
    }

    [Fact]
    public async Task NiftiMese_FromDcm2niix_IsStoredOnTheSubjectsGrid_AndFitsExactlyAsTheDicomMese()
    {
        var subject = PhantomSubject();
        var meseFiles = Directory.GetFiles(Path.Combine(subject, "mese"));
        var allFiles = Directory.GetFiles(subject, "*.dcm", SearchOption.AllDirectories);
        var nifti = OtherToolkits.Dcm2niix(Path.Combine(subject, "mese"), Path.Combine(phantom, "nifti-mese"), "mese");
        var (coordinator, dicomStudy) = await NewStudyAsync();
        var (_, niftiStudy) = await NewStudyAsync();
        await ImportAsync(coordinator, dicomStudy, allFiles);
        // The NIfTI study has the subject's DICOM without its MESE: the ground-truth map's grid places the echoes.
        await ImportAsync(coordinator, niftiStudy, allFiles.Except(meseFiles));
        var subjectId = (await coordinator.Http.GetFromJsonAsync<List<NiftiMapTarget>>($"/api/studies/{niftiStudy}/nifti-maps/targets", PortalJson.Options))!.Single().SubjectId;

        var response = await coordinator.Http.PostAsync($"/api/studies/{niftiStudy}/subjects/{subjectId}/nifti-mese", Upload(Directory.GetFiles(nifti)));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var imported = (await response.Content.ReadFromJsonAsync<NiftiMapImported>(PortalJson.Options))!;
        Assert.Contains("ground truth", imported.Grid);
        async Task<SeriesView> Mese(Guid study) =>
            (await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{study}/series", PortalJson.Options))!.Single(s => s.Kind == SeriesKind.Mese);
        var (fromDicom, fromNifti) = (await Mese(dicomStudy), await Mese(niftiStudy));
        Assert.Equal(fromNifti.Id, imported.SeriesId);
        Assert.Equal((21, "10,20,30,40,50,60,70"), (fromNifti.Images, fromNifti.EchoTimesMs));
        Assert.Equal(await FittedMapAsync(coordinator, dicomStudy, fromDicom.Id), await FittedMapAsync(coordinator, niftiStudy, fromNifti.Id));

        File.Delete(Path.Combine(nifti, "mese_e4.json"));
        var refused = await coordinator.Http.PostAsync($"/api/studies/{niftiStudy}/subjects/{subjectId}/nifti-mese", Upload(Directory.GetFiles(nifti)));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var detail = await refused.Content.ReadAsStringAsync();
        Assert.Contains("mese_e4.nii.gz: no JSON sidecar", detail);
        Assert.DoesNotContain("readerstudy-upload-", detail);
    }

    [Fact]
    public async Task NiftiMap_ShiftedTruncatedOrUnlabelled_IsRefusedByName_AndNothingIsStored_AndReadersAreForbidden()
    {
        var subject = PhantomSubject();
        var (coordinator, studyId) = await NewStudyAsync();
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/members", new NewStudyMember(DemoUsers.Reader1, "Reader"));
        await ImportAsync(coordinator, studyId, Directory.GetFiles(subject, "*.dcm", SearchOption.AllDirectories));
        OtherToolkits.Dcm2niix(Path.Combine(subject, "t2-truth"), Path.Combine(phantom, "nifti"), "map");
        var nifti = Path.Combine(phantom, "nifti", "map.nii.gz");
        OtherToolkits.Nibabel("shift", nifti, Path.Combine(phantom, "shifted.nii.gz"), "3");
        var bytes = File.ReadAllBytes(nifti);
        File.WriteAllBytes(Path.Combine(phantom, "cut.nii.gz"), bytes[..(bytes.Length / 2)]);
        var subjectId = (await coordinator.Http.GetFromJsonAsync<List<NiftiMapTarget>>($"/api/studies/{studyId}/nifti-maps/targets", PortalJson.Options))!.Single().SubjectId;
        await using var db = portal.NewDbContext();
        var before = await db.Series.CountAsync(s => s.StudyId == studyId);
        async Task<(HttpStatusCode, string)> Send(string file, string origin = "Synthetic")
        {
            var response = await coordinator.Http.PostAsync($"/api/studies/{studyId}/subjects/{subjectId}/nifti-maps?origin={origin}", NiftiUpload(file));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var shifted = await Send(Path.Combine(phantom, "shifted.nii.gz"));
        var cut = await Send(Path.Combine(phantom, "cut.nii.gz"));
        var unlabelled = await Send(nifti, "Unknown");
        var notNifti = await coordinator.Http.PostAsync($"/api/studies/{studyId}/subjects/{subjectId}/nifti-maps?origin=Real", NiftiUpload(nifti, "map.dcm"));
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        var byReader = await reader.Http.PostAsync($"/api/studies/{studyId}/subjects/{subjectId}/nifti-maps?origin=Real", NiftiUpload(nifti));

        Assert.Equal(HttpStatusCode.BadRequest, shifted.Item1);
        Assert.Contains("shifted.nii.gz: its grid", shifted.Item2);
        Assert.Contains("does not lie on series 4", shifted.Item2);
        Assert.DoesNotContain("readerstudy-upload-", shifted.Item2);
        Assert.Equal(HttpStatusCode.BadRequest, cut.Item1);
        Assert.Contains("cut.nii.gz", cut.Item2);
        Assert.Contains("truncated", cut.Item2);
        Assert.Equal(HttpStatusCode.BadRequest, unlabelled.Item1);
        Assert.Contains("real (measured) or synthetic", unlabelled.Item2);
        Assert.Equal(HttpStatusCode.BadRequest, notNifti.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byReader.StatusCode);
        Assert.Equal(before, await db.Series.CountAsync(s => s.StudyId == studyId));
    }

    [Fact]
    public async Task Import_AFloatParametricMap_IsStoredAsAT2MapWithItsValues()
    {
        var subject = PhantomSubject();
        var (coordinator, studyId) = await NewStudyAsync();
        var meseImages = DicomScanner.Scan([Path.Combine(subject, "mese")]).Images;
        var mese = Imaging.T2Mapping.MeseSeries.FromImages(meseImages);
        var maps = Core.T2Mapping.T2Fitter.Fit(mese.Train, new Core.T2Mapping.T2FitOptions());
        var written = Imaging.T2Mapping.T2MapWriter.Write(Path.Combine(phantom, "fit"), mese, maps, new Core.T2Mapping.T2FitOptions(), parametricMap: true);
        var parametricMap = Assert.Single(Directory.GetFiles(written.Folder));

        var report = await ImportAsync(coordinator, studyId, [.. Directory.GetFiles(Path.Combine(subject, "mese")), parametricMap]);

        Assert.All(Statuses(report), s => Assert.Equal("Imported", s));
        var map = (await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{studyId}/series", PortalJson.Options))!.Single(s => s.Kind == SeriesKind.T2Map);
        Assert.Equal((3, "S-0001"), (map.Images, map.Subject));
        Assert.Contains("parametric map", map.KindRule);
        var sliceLength = mese.FirstEcho.Geometry.Rows * mese.FirstEcho.Geometry.Columns;
        var magnitude = maps.T2.Max(Math.Abs);
        for (var slice = 0; slice < 3; slice++)
        {
            var bytes = await coordinator.Http.GetByteArrayAsync($"/api/studies/{studyId}/series/{map.Id}/slices/{slice}");
            var stored = Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, 4 * i)).ToArray();
            // Stored as 16-bit MR images, the float values come back to within half a step of the series' slope.
            Assert.All(stored.Zip(maps.T2.AsSpan(slice * sliceLength, sliceLength).ToArray()),
                p => Assert.True(Math.Abs(p.First - p.Second) <= magnitude / 32000, $"slice {slice}: {p.First} vs {p.Second}"));
        }
    }

    [Fact]
    public async Task Viewer_AMultiFrameSegmentation_OpensAsItsSlicesWithSegmentNumbers()
    {
        var subject = PhantomSubject();
        var (coordinator, studyId) = await NewStudyAsync();
        await ImportAsync(coordinator, studyId, Directory.GetFiles(subject, "*.dcm", SearchOption.AllDirectories));
        var seg = (await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{studyId}/series", PortalJson.Options))!.Single(s => s.Kind == SeriesKind.Segmentation);

        var volume = await coordinator.Http.GetFromJsonAsync<JsonElement>($"/api/studies/{studyId}/series/{seg.Id}/volume");

        // Before, the one SEG file opened as "slice 1 of 1" of its first frame.
        Assert.Equal(3, volume.GetProperty("slices").GetInt32());
        Assert.Equal("segment", volume.GetProperty("quantity").GetString());
        // Each slice's labels against the masks the T2 fit uses, on the ground-truth map's slices.
        var original = DicomSegmentation.Read(Path.Combine(subject, "segmentation", "cartilage.dcm"));
        var truth = VolumeLoader.Stack([.. Directory.GetFiles(Path.Combine(subject, "t2-truth")).Select(DicomReader.Read)], "truth");
        var positions = truth.Slices.Select(s => s.SlicePosition()).ToList();
        var masks = original.Segments.Select(s => (s.Number, Mask: original.MaskFor(s.Number, positions, truth.Geometry.Normal))).ToList();
        var length = original.Rows * original.Columns;
        for (var slice = 0; slice < 3; slice++)
        {
            var bytes = await coordinator.Http.GetByteArrayAsync($"/api/studies/{studyId}/series/{seg.Id}/slices/{slice}");
            var labels = Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, 4 * i)).ToArray();
            var expected = Enumerable.Range(0, length).Select(i => (float)masks.Where(m => m.Mask[slice * length + i]).Select(m => m.Number).DefaultIfEmpty(0).Max()).ToArray();
            Assert.Equal(expected, labels);
        }
        Assert.True(original.Segments.Count >= 2);
    }

    [Fact]
    public async Task Import_SameFilesTwice_ChangesNothing()
    {
        var (coordinator, studyId) = await NewStudyAsync();
        var files = Directory.GetFiles(PhantomSubject(), "*.dcm", SearchOption.AllDirectories);
        await ImportAsync(coordinator, studyId, files);
        await using var db = portal.NewDbContext();
        var before = await db.SeriesImages.CountAsync();

        var again = await ImportAsync(coordinator, studyId, files);

        Assert.All(Statuses(again), s => Assert.Equal("AlreadyImported", s));
        Assert.Equal(before, await db.SeriesImages.CountAsync());
        Assert.Equal(1, await db.Subjects.CountAsync(s => s.StudyId == studyId));
    }

    [Fact]
    public async Task Import_TruncatedFileAndCt_AreRefusedByName_AndNothingOfThemIsStored()
    {
        var (coordinator, studyId) = await NewStudyAsync();
        var samples = new[] { "MR_small.dcm", "MR_small_RLE.dcm", "MR_truncated.dcm", "CT_small.dcm" }.Select(f => SharedFolder.Path("dicom-samples", f));

        var report = await ImportAsync(coordinator, studyId, samples);

        var messages = report.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("message").GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains("MR_truncated.dcm", StringComparison.Ordinal) && m.Contains("nothing of the series was stored", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("modality CT", StringComparison.Ordinal));
        Assert.Contains(report.GetProperty("fileErrors").EnumerateArray(), e => e.GetProperty("file").GetString() == "MR_truncated.dcm");
        await using var db = portal.NewDbContext();
        Assert.Equal(0, await db.Series.CountAsync(s => s.StudyId == studyId));
    }

    [Fact]
    public async Task Import_AFileThatKillsGdcm_IsRefusedByNameAndModality_AndThePortalStaysUp()
    {
        var (coordinator, studyId) = await NewStudyAsync();
        // A name of this test's own: the SQLite and PostgreSQL variants run at once, and the check for leftovers
        // below looks through every upload folder.
        var bad = Path.Combine(phantom, $"rtdose_1frame-{Guid.NewGuid():N}.dcm");
        File.Copy(MalformedDicom.RtDoseWithWrongNumberOfFramesVr(phantom), bad);
        var name = Path.GetFileName(bad);

        var report = await ImportAsync(coordinator, studyId, [bad, SharedFolder.Path("dicom-samples", "MR_small.dcm")]);

        var error = Assert.Single(report.GetProperty("fileErrors").EnumerateArray());
        Assert.Equal(name, error.GetProperty("file").GetString());
        Assert.StartsWith($"{name}: the DICOM decoder (GDCM) fails fatally on this file (modality RTDOSE)", error.GetProperty("error").GetString());
        Assert.DoesNotContain("/tmp", report.ToString());
        Assert.Equal(["Imported"], Statuses(report));
        Assert.Equal(HttpStatusCode.OK, (await coordinator.Http.GetAsync("/health/live")).StatusCode);
        Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), "readerstudy-upload-*").SelectMany(d => Directory.GetFiles(d, $"*{name}", SearchOption.AllDirectories)));
        await using var db = portal.NewDbContext();
        Assert.Equal(["MR"], await db.Series.Where(s => s.StudyId == studyId).Select(s => s.Modality).ToListAsync());
    }

    [Fact]
    public async Task Import_IsCoordinatorOnly_AndAudited()
    {
        var (coordinator, studyId) = await NewStudyAsync();
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/members", new NewStudyMember(DemoUsers.Reader1, "Reader"));
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        var files = Directory.GetFiles(Path.Combine(PhantomSubject(), "t2-truth"));

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.PostAsync($"/api/studies/{studyId}/import", Upload(files))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync($"/api/studies/{studyId}/series")).StatusCode);
        await ImportAsync(coordinator, studyId, files);

        await using var db = portal.NewDbContext();
        var entries = await db.AuditLog.Where(e => e.StudyId == studyId && e.UserName == DemoUsers.Coordinator).Select(e => e.Action).ToListAsync();
        Assert.Contains("ImagingSeries.added", entries);
        Assert.Contains("Subject.added", entries);
    }

    [Fact]
    public async Task SeriesKind_OverriddenByTheCoordinator_IsKeptWithWhoDidIt()
    {
        var (coordinator, studyId) = await NewStudyAsync();
        await ImportAsync(coordinator, studyId, Directory.GetFiles(Path.Combine(PhantomSubject(), "t2-truth")));
        var series = (await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{studyId}/series", PortalJson.Options))!.Single();

        var response = await coordinator.Http.PutAsJsonAsync($"/api/studies/{studyId}/series/{series.Id}/kind", new SeriesKindChange(SeriesKind.Other), PortalJson.Options);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var changed = (await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{studyId}/series", PortalJson.Options))!.Single();
        Assert.Equal((SeriesKind.Other, true), (changed.Kind, changed.KindOverridden));
        Assert.Contains(DemoUsers.Coordinator, changed.KindRule);
    }

    public void Dispose() => Directory.Delete(phantom, recursive: true);
}

public sealed class ImportOnSqlite(SqlitePortal portal) : ImportTests(portal), IClassFixture<SqlitePortal>;

public sealed class ImportOnPostgres(PostgresPortal portal) : ImportTests(portal), IClassFixture<PostgresPortal>;

public sealed class HugeUploadTests(SmallUploadPortal portal) : IClassFixture<SmallUploadPortal>
{
    [Fact]
    public async Task Import_UploadOverTheLimit_IsRefusedWith413NamingTheLimit()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Huge {Guid.NewGuid():N}", ""));
        var study = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!;
        var content = new MultipartFormDataContent { { new ByteArrayContent(new byte[200_000]), "files", "big.dcm" } };

        var response = await coordinator.Http.PostAsync($"/api/studies/{study.Id}/import", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Import:MaxUploadBytes", await response.Content.ReadAsStringAsync());
        await using var db = portal.NewDbContext();
        Assert.Equal(0, await db.Series.CountAsync(s => s.StudyId == study.Id));
    }
}

public abstract class T2FitApiTests(PortalFactory portal)
{
    private async Task<(PortalClient Coordinator, Guid StudyId, List<Web.Features.Import.SeriesView> Series)> DemoAsync()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        await using var db = portal.NewDbContext();
        var studyId = await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
        var series = await coordinator.Http.GetFromJsonAsync<List<Web.Features.Import.SeriesView>>($"/api/studies/{studyId}/series", PortalJson.Options);
        return (coordinator, studyId, series!);
    }

    [Fact]
    public async Task T2Fit_OnTheDemoMese_StoresAT2MapOfTheSameSubject_WithCartilageMean()
    {
        var (coordinator, studyId, series) = await DemoAsync();
        var mese = series.First(s => s.Kind == SeriesKind.Mese);

        var response = await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/series/{mese.Id}/t2-fit",
            new Web.Features.T2Fitting.T2FitRequest(Core.T2Mapping.T2FitMethod.Nonlinear), PortalJson.Options);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = (await response.Content.ReadFromJsonAsync<Web.Features.T2Fitting.T2FitOutcome>(PortalJson.Options))!;
        Assert.InRange(outcome.MeanT2InFemoralCartilage!.Value, 30, 55);
        var after = await coordinator.Http.GetFromJsonAsync<List<Web.Features.Import.SeriesView>>($"/api/studies/{studyId}/series", PortalJson.Options);
        var map = after!.Single(s => s.Id == outcome.T2SeriesId);
        Assert.Equal((SeriesKind.T2Map, mese.Subject, mese.Images / 7), (map.Kind, map.Subject, map.Images));
        Assert.Contains("Levenberg-Marquardt", map.KindRule);
    }

    [Fact]
    public async Task T2Fit_KeepsWhichZeroVoxelsAreUnreliableFits_ForTheCoordinatorsOverlay_VoxelForVoxelWithTheMap_AndNotForReaders()
    {
        var (coordinator, studyId, series) = await DemoAsync();
        var mese = series.First(s => s.Kind == SeriesKind.Mese);
        // A clip range that cartilage at 40-50 ms exceeds: those voxels are stored at the bound and marked unreliable.
        var response = await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/series/{mese.Id}/t2-fit",
            new Web.Features.T2Fitting.T2FitRequest(ClipMax: 40), PortalJson.Options);
        var outcome = (await response.Content.ReadFromJsonAsync<Web.Features.T2Fitting.T2FitOutcome>(PortalJson.Options))!;
        Assert.True(outcome.Unreliable > 0);
        var volume = System.Text.Json.JsonDocument.Parse(await coordinator.Http.GetStringAsync($"/api/studies/{studyId}/series/{outcome.T2SeriesId}/volume")).RootElement;
        var template = volume.GetProperty("unreliableUrlTemplate").GetString()!;

        var (unreliable, notFitted) = (0, 0);
        for (var s = 0; s < volume.GetProperty("slices").GetInt32(); s++)
        {
            var fits = await coordinator.Http.GetByteArrayAsync(template.Replace("{index}", $"{s}"));
            var map = MemoryMarshal.Cast<byte, float>(await coordinator.Http.GetByteArrayAsync($"/api/studies/{studyId}/series/{outcome.T2SeriesId}/slices/{s}")).ToArray();
            Assert.Equal(map.Length, fits.Length);
            for (var v = 0; v < fits.Length; v++)
            {
                // Each voxel says what its stored value is: background 0 ms, a reliable fit inside the clip range,
                // an unreliable one 0 ms (too little decay explained) or the bound. A slice out of order breaks this.
                switch (fits[v])
                {
                    case 0: Assert.Equal(0f, map[v]); notFitted++; break;
                    case 1: Assert.InRange(map[v], 0.01f, 40.05f); break;
                    case 2: Assert.True(map[v] == 0f || Math.Abs(map[v] - 40f) < 0.05f, $"unreliable voxel stored as {map[v]} ms"); unreliable++; break;
                    default: Assert.Fail($"voxel fit {fits[v]}"); break;
                }
            }
        }
        Assert.Equal((outcome.Unreliable, outcome.Background), (unreliable, notFitted));
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.Http.GetAsync(template.Replace("{index}", "999"))).StatusCode);

        // A reader has no way to it: the coordinator's endpoint is refused, and a reader's images never name it.
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync(template.Replace("{index}", "0"))).StatusCode);
        var session = (await reader.Http.GetFromJsonAsync<Web.Features.Reading.ReaderSession>($"/api/reading/studies/{studyId}/session", PortalJson.Options))!;
        var trial = (await reader.Http.GetFromJsonAsync<Web.Features.Reading.ReaderTrial>($"/api/reading/trials/{session.Trials[0].TrialId}", PortalJson.Options))!;
        foreach (var image in new[] { trial.LeftImage, trial.RightImage })
        {
            Assert.DoesNotContain("unreliable", await reader.Http.GetStringAsync(image), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task T2Fit_OnASeriesThatIsNotMese_IsRefusedWithTheReason()
    {
        var (coordinator, studyId, series) = await DemoAsync();
        var anatomic = series.First(s => s.Kind == SeriesKind.Anatomic);

        var response = await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/series/{anatomic.Id}/t2-fit", new Web.Features.T2Fitting.T2FitRequest(), PortalJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not MESE", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task T2Fit_ByAReader_IsForbidden()
    {
        var (_, studyId, series) = await DemoAsync();
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);

        var response = await reader.Http.PostAsJsonAsync($"/api/studies/{studyId}/series/{series[0].Id}/t2-fit", new Web.Features.T2Fitting.T2FitRequest(), PortalJson.Options);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync($"/api/studies/{studyId}/series/{series[0].Id}/volume")).StatusCode);
    }
}

public sealed class T2FitApiOnSqlite(SqlitePortal portal) : T2FitApiTests(portal), IClassFixture<SqlitePortal>;

public sealed class T2FitApiOnPostgres(PostgresPortal portal) : T2FitApiTests(portal), IClassFixture<PostgresPortal>;
