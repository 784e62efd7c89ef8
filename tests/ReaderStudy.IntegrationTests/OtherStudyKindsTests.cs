using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Web.Features.Data;
using ReaderStudy.Web.Features.Import;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.StudyResults;
using ReaderStudy.Web.Features.Studies;
using ReaderStudy.Web.Features.Synthesis;

namespace ReaderStudy.IntegrationTests;

/// <summary>Studies that are not of knee T2 maps: the demo's synthetic-CT and mammography studies, import by kind, and what readers receive.</summary>
public abstract class OtherStudyKindsTests(PortalFactory portal) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-kinds-it-").FullName;

    private async Task<Guid> StudyAsync(string name)
    {
        await using var db = portal.NewDbContext();
        return await db.Studies.Where(s => s.Name == name).Select(s => s.Id).SingleAsync();
    }

    [Fact]
    public async Task DemoStudies_OfCtAndMammography_OpenWithACasePerSubject_PairedByOrigin()
    {
        await using var db = portal.NewDbContext();
        foreach (var (name, kind, modality) in new[] { (DemoOtherKinds.PelvisStudyName, StudyKind.Ct, "CT"), (DemoOtherKinds.MammographyStudyName, StudyKind.Projection, "MG") })
        {
            var study = await db.Studies.SingleAsync(s => s.Name == name);
            Assert.Equal((kind, StudyState.Open), (study.Kind, study.State));
            var cases = await db.Cases.Where(c => c.StudyId == study.Id).ToListAsync();
            Assert.Equal(3, cases.Count);
            foreach (var c in cases)
            {
                var real = await db.Series.SingleAsync(s => s.Id == c.RealSeriesId);
                var synthetic = await db.Series.SingleAsync(s => s.Id == c.SyntheticSeriesId);
                Assert.Equal((SeriesKind.ComparedImage, MapOrigin.Real, modality), (real.Kind, real.Origin, real.Modality));
                Assert.Equal((SeriesKind.ComparedImage, MapOrigin.Synthetic, modality), (synthetic.Kind, synthetic.Origin, synthetic.Modality));
                Assert.Equal(real.SubjectId, synthetic.SubjectId);
            }
        }
        var pelvis = await StudyAsync(DemoOtherKinds.PelvisStudyName);
        // The synthetic CTs were made by the demo MR-to-CT generator from each subject's T1-weighted MR.
        Assert.All(await db.Series.Where(s => s.StudyId == pelvis && s.Origin == MapOrigin.Synthetic).ToListAsync(),
            s => Assert.Contains("pelvis synthetic CT (phantom demo)", s.KindRule));
    }

    [Fact]
    public async Task CtStudy_SetUpFromScratch_ReadAndClosed_GivesMeanHounsfieldUnitsPerSegment_AndTheReportSaysHu()
    {
        // A coordinator's whole path through the API: create, import MR, CT and SEG, mark the CT real, synthesize, open, close.
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var (study, manifest) = await CtStudySetup.CreateClosedAsync(coordinator, portal.NewDbContext, folder);

        using var statistician = await portal.NewClient().SignedInAsAsync(DemoUsers.Statistician);
        var response = await statistician.Http.GetAsync($"/api/studies/{study}/results/full");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(("HU", "HU"), (json.GetProperty("quantity").GetString(), json.GetProperty("units").GetString()));
        var regions = json.GetProperty("t2Agreement").EnumerateArray().Select(a => a.GetProperty("region").GetString()).ToList();
        Assert.Equal(["Bone", "Sacroiliac joint", "Muscle", "Fat", "Bone, per slice"], regions);
        using var scope = portal.Services.CreateScope();
        var results = scope.ServiceProvider.GetRequiredService<ResultsService>();
        var rows = (await results.ImageFindingsAsync(study)).Regional;
        Assert.Equal(12, rows.Count);
        foreach (var row in rows)
        {
            // The real CT's mean per segment is the phantom's truth up to noise; the synthetic CT is close in soft tissue.
            var truth = manifest.Subjects.Select(s => s.Segments.Single(x => x.Name == row.Region).TrueMeanHu!.Value).ToList();
            Assert.Contains(truth, t => Math.Abs(t - row.RealMeanMs) < 3);
            if (row.Region is "Fat" or "Muscle")
            {
                Assert.InRange(row.SyntheticMeanMs - row.RealMeanMs, -25, 25);
            }
        }
        // The NIfTI export gives every real and synthetic CT in HU, with its sidecar.
        var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await statistician.Http.GetByteArrayAsync($"/api/studies/{study}/exports/maps-nifti.zip")));
        var volumes = zip.Entries.Where(e => e.FullName.EndsWith("-hu.nii.gz", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, volumes.Count);
        Assert.Equal(3, volumes.Count(e => e.FullName.Contains("-real-", StringComparison.Ordinal)));
        var sidecar = JsonDocument.Parse(zip.GetEntry(volumes[0].FullName.Replace(".nii.gz", ".json", StringComparison.Ordinal))!.Open()).RootElement;
        Assert.Equal(("HU", "HU"), (sidecar.GetProperty("Quantity").GetString(), sidecar.GetProperty("Units").GetString()));
        var exported = Path.Combine(folder, "exported.nii.gz");
        await using (var source = volumes.First(e => e.FullName.Contains("-real-", StringComparison.Ordinal)).Open())
        await using (var target = File.Create(exported))
        {
            await source.CopyToAsync(target);
        }
        Assert.Equal(-1000, Imaging.Nifti.NiftiReader.Read(exported).Values.Min());

        var table = ResultsReport.Tables.T2(await results.ComputeAsync(study, 0.1));
        Assert.Contains("Synthetic vs real HU, regional means across cases", table);
        Assert.Contains("Bias, HU (95 % limits of agreement)", table);
        Assert.Contains("SSIM in bone", table);
    }

    [Fact]
    public async Task Import_RefusesAModalityTheStudyKindDoesNotTake_NamingTheKind_AndClassifiesWhatItTakes()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var ct = (await coordinator.Http.GetFromJsonAsync<StudySummary>($"/api/studies/{await coordinator.CreateStudyAsync($"CT {Guid.NewGuid():N}", StudyKind.Ct)}", PortalJson.Options))!;
        var knee = (await coordinator.Http.GetFromJsonAsync<StudySummary>($"/api/studies/{await coordinator.CreateStudyAsync($"Knee {Guid.NewGuid():N}")}", PortalJson.Options))!;
        Assert.Equal((StudyKind.Ct, StudyKind.QuantitativeMap), (ct.Kind, knee.Kind));
        var pelvis = PelvisStudyWriter.Generate(Path.Combine(folder, "pelvis"), 1, new PelvisPhantomOptions { Size = 48, Slices = 3, Seed = 5 });
        var pelvisFiles = Directory.GetFiles(Path.Combine(folder, "pelvis", pelvis.Subjects[0].Pseudonym), "*.dcm", SearchOption.AllDirectories);
        var mammography = MammographyStudyWriter.Generate(Path.Combine(folder, "mammography"), 1, new MammographyPhantomOptions { Rows = 80, Columns = 64, PixelMm = 2, Seed = 5 });
        var mammogram = Directory.GetFiles(Path.Combine(folder, "mammography"), "*.dcm", SearchOption.AllDirectories).First();

        var refusedMg = await coordinator.ImportFilesAsync(ct.Id, [mammogram]);
        var refusedCt = await coordinator.ImportFilesAsync(knee.Id, [.. pelvisFiles.Where(f => f.Contains("/ct/", StringComparison.Ordinal))]);
        var imported = await coordinator.ImportFilesAsync(ct.Id, pelvisFiles);

        Assert.Equal("Refused", refusedMg[0].GetProperty("status").GetString());
        Assert.Contains("modality MG; a CT (Hounsfield units) study takes CT, MR, SEG series", refusedMg[0].GetProperty("message").GetString());
        Assert.Contains("modality CT; a Quantitative map (T2) study takes MR, SEG series", refusedCt[0].GetProperty("message").GetString());
        Assert.All(imported, s => Assert.Equal("Imported", s.GetProperty("status").GetString()));
        var series = await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{ct.Id}/series", PortalJson.Options);
        Assert.Equal([SeriesKind.Anatomic, SeriesKind.ComparedImage, SeriesKind.Segmentation], series!.OrderBy(s => s.SeriesNumber).Select(s => s.Kind));
        await using var db = portal.NewDbContext();
        Assert.Equal(0, await db.Series.CountAsync(s => s.StudyId == knee.Id));

        // Building cases says why there are none: first no origin, then no synthetic CT for the subject.
        async Task<JsonElement> BuildAsync() => JsonDocument.Parse(await (await coordinator.Http.PostAsync($"/api/studies/{ct.Id}/reading/cases/build", null)).Content.ReadAsStringAsync()).RootElement;
        var unmarked = await BuildAsync();
        var realCt = series.Single(s => s.Kind == SeriesKind.ComparedImage);
        (await coordinator.Http.PutAsJsonAsync($"/api/studies/{ct.Id}/series/{realCt.Id}/origin", new ReadingApi.OriginChange(MapOrigin.Real), PortalJson.Options)).EnsureSuccessStatusCode();
        var unpaired = await BuildAsync();
        Assert.Equal(0, unmarked.GetProperty("cases").GetInt32());
        Assert.Equal("No CT is marked real or synthetic: choose each one's origin on the study page.", unmarked.GetProperty("skipped")[0].GetString());
        Assert.Equal("S-0001: a real CT but no synthetic one.", unpaired.GetProperty("skipped")[0].GetString());
    }

    [Fact]
    public async Task GrayscaleMrStudy_PairsTheFatSuppressedSeries_AndReadersGetThemNormalizedAlike()
    {
        // A real fat-suppressed series from the scanner, and a synthetic one exported at a third of its scale.
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var study = await coordinator.CreateStudyAsync($"Synthetic FS {Guid.NewGuid():N}", StudyKind.GrayscaleMr);
        var geometry = Imaging.Dicom.VolumeGeometry.Sagittal(32, 3, 0.5, 3);
        var random = new Random(9);
        var real = Enumerable.Range(0, 32 * 32 * 3).Select(i => (float)Math.Round(i % 32 < 4 ? 0 : 200 + 1800 * random.NextDouble())).ToArray();
        var (patient, studyUid, frame) = ("FS-1", Imaging.Dicom.DicomUids.New(), Imaging.Dicom.DicomUids.New());
        Imaging.Dicom.SeriesInfo Info(int number, string description) => new()
        {
            PatientName = "FS^ONE", PatientId = patient, StudyInstanceUid = studyUid, SeriesInstanceUid = Imaging.Dicom.DicomUids.New(), FrameOfReferenceUid = frame,
            SeriesNumber = number, SeriesDescription = description, ImageType = "ORIGINAL\\PRIMARY\\M", EchoTime = 30, RepetitionTime = 3000,
        };
        Imaging.Dicom.DicomSeriesWriter.Write(Path.Combine(folder, "pd"), Info(1, "SAG PD"), geometry, [.. real.Select(v => MathF.Round(v * 0.8f))]);
        Imaging.Dicom.DicomSeriesWriter.Write(Path.Combine(folder, "fs"), Info(2, "SAG PD FS"), geometry, real);
        Imaging.Dicom.DicomSeriesWriter.Write(Path.Combine(folder, "fs-synthetic"), Info(3, "SAG PD FS generated"), geometry, [.. real.Select(v => MathF.Round(v / 3))]);
        await coordinator.ImportFilesAsync(study, Directory.GetFiles(folder, "*.dcm", SearchOption.AllDirectories));
        var series = (await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{study}/series", PortalJson.Options))!.OrderBy(s => s.SeriesNumber).ToList();
        Assert.Equal([SeriesKind.Anatomic, SeriesKind.ComparedImage, SeriesKind.ComparedImage], series.Select(s => s.Kind));
        foreach (var (view, origin) in new[] { (series[1], MapOrigin.Real), (series[2], MapOrigin.Synthetic) })
        {
            (await coordinator.Http.PutAsJsonAsync($"/api/studies/{study}/series/{view.Id}/origin", new ReadingApi.OriginChange(origin), PortalJson.Options)).EnsureSuccessStatusCode();
        }
        (await coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/members", new NewStudyMember(DemoUsers.Reader2, "Reader"), PortalJson.Options)).EnsureSuccessStatusCode();
        (await coordinator.Http.PostAsync($"/api/studies/{study}/reading/questions/default", null)).EnsureSuccessStatusCode();
        (await coordinator.Http.PostAsync($"/api/studies/{study}/reading/cases/build", null)).EnsureSuccessStatusCode();
        var opened = await coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/state", new StudyStateChange(StudyState.Open, "One case is too few for the check to decide; this test reads what is served."), PortalJson.Options);
        Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());

        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader2);
        var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{study}/session", PortalJson.Options))!;
        var trial = (await reader.Http.GetFromJsonAsync<ReaderTrial>($"/api/reading/trials/{session.Trials.Single().TrialId}", PortalJson.Options))!;
        Assert.Equal("Which image is the real MR image?", session.Questions[0].Text);
        var description = JsonDocument.Parse(await reader.Http.GetStringAsync(trial.LeftImage)).RootElement;
        Assert.Equal(("gray", "signal", 3), (description.GetProperty("colormap").GetString(), description.GetProperty("quantity").GetString(), description.GetProperty("slices").GetInt32()));
        for (var slice = 0; slice < 3; slice++)
        {
            var left = MemoryMarshal.Cast<byte, float>(await reader.Http.GetByteArrayAsync(trial.LeftImage.Replace("/volume", $"/slices/{slice}", StringComparison.Ordinal))).ToArray();
            var right = MemoryMarshal.Cast<byte, float>(await reader.Http.GetByteArrayAsync(trial.RightImage.Replace("/volume", $"/slices/{slice}", StringComparison.Ordinal))).ToArray();
            // Real and a-third-scale synthetic reach the reader on one scale: equal but for rounding at level boundaries.
            Assert.True(left.Zip(right).Count(p => Math.Abs(p.First - p.Second) > StudyKindProfile.NormalizedStep) == 0);
            Assert.InRange(left.Max() - right.Max(), -StudyKindProfile.NormalizedStep, StudyKindProfile.NormalizedStep);
            Assert.All(left.Concat(right), v => Assert.Equal(0, v % StudyKindProfile.NormalizedStep));
        }
    }

    [Fact]
    public async Task ColourMap_IsTheStudysChoiceFromAFixedList_AndGreyKindsOfferNone()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var (map, ct) = (await coordinator.CreateStudyAsync($"Map {Guid.NewGuid():N}"), await coordinator.CreateStudyAsync($"CT {Guid.NewGuid():N}", StudyKind.Ct));
        async Task<HttpResponseMessage> SetAsync(Guid study, string colormap)
        {
            var current = (await coordinator.Http.GetFromJsonAsync<ReadingSettingsChange>($"/api/studies/{study}/reading/settings", PortalJson.Options))!;
            return await coordinator.Http.PutAsJsonAsync($"/api/studies/{study}/reading/settings", current with { Colormap = colormap }, PortalJson.Options);
        }

        var magma = await SetAsync(map, "magma");
        var rainbow = await SetAsync(map, "rainbow");
        var colourCt = await SetAsync(ct, "viridis");

        Assert.True(magma.IsSuccessStatusCode, await magma.Content.ReadAsStringAsync());
        Assert.Equal("magma", (await coordinator.Http.GetFromJsonAsync<ReadingSettingsChange>($"/api/studies/{map}/reading/settings", PortalJson.Options))!.Colormap);
        Assert.Contains("'rainbow' is not a colour map of a Quantitative map (T2) study; choose viridis, magma, jet", await rainbow.Content.ReadAsStringAsync());
        Assert.Contains("choose gray", await colourCt.Content.ReadAsStringAsync());
        Assert.Equal("gray", (await coordinator.Http.GetFromJsonAsync<ReadingSettingsChange>($"/api/studies/{ct}/reading/settings", PortalJson.Options))!.Colormap);
    }

    [Fact]
    public async Task MammographyReader_GetsOneGrayscaleImagePerTrial_NormalizedOnTheStudysLevels_AndNeverTheOther()
    {
        var studyId = await StudyAsync(DemoOtherKinds.MammographyStudyName);
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{studyId}/session", PortalJson.Options))!;
        Assert.Equal(6, session.Trials.Count);
        Assert.Equal("Is this image real or synthetic?", session.Questions[0].Text);
        var percentiles = new List<double>();
        foreach (var summary in session.Trials)
        {
            var trial = (await reader.Http.GetFromJsonAsync<ReaderTrial>($"/api/reading/trials/{summary.TrialId}", PortalJson.Options))!;
            var description = JsonDocument.Parse(await reader.Http.GetStringAsync(trial.LeftImage)).RootElement;
            Assert.Equal(("gray", false, 1), (description.GetProperty("colormap").GetString(), description.GetProperty("scrollsSlices").GetBoolean(), description.GetProperty("slices").GetInt32()));
            Assert.Equal(3, description.GetProperty("presets").GetArrayLength());
            Assert.Equal(HttpStatusCode.NotFound, (await reader.Http.GetAsync(trial.RightImage)).StatusCode);
            var values = MemoryMarshal.Cast<byte, float>(await reader.Http.GetByteArrayAsync(trial.LeftImage.Replace("/volume", "/slices/0", StringComparison.Ordinal))).ToArray();
            Assert.All(values, v => Assert.Equal(0, v % StudyKindProfile.NormalizedStep));
            var positive = values.Where(v => v > 0).Order().ToArray();
            percentiles.Add(positive[(int)(positive.Length * 0.995)]);
        }
        // Real (MONOCHROME1, 12 bits) and synthetic (MONOCHROME2, 10 bits) alike: the 99.5th percentile at 1000.
        Assert.All(percentiles, p => Assert.InRange(p, 990, 1010));
    }

    [Fact]
    public async Task CtReader_GetsHounsfieldUnitsWithTheCtPresets_AirAtMinus1000()
    {
        var studyId = await StudyAsync(DemoOtherKinds.PelvisStudyName);
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader2);
        var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{studyId}/session", PortalJson.Options))!;
        Assert.Equal(("HU", "HU"), (session.Quantity, session.Units));
        Assert.Contains(session.Questions, q => q.Text == "Erosion of a sacroiliac joint?");
        var trial = (await reader.Http.GetFromJsonAsync<ReaderTrial>($"/api/reading/trials/{session.Trials[0].TrialId}", PortalJson.Options))!;

        var description = JsonDocument.Parse(await reader.Http.GetStringAsync(trial.RightImage)).RootElement;
        var values = MemoryMarshal.Cast<byte, float>(await reader.Http.GetByteArrayAsync(trial.RightImage.Replace("/volume", "/slices/1", StringComparison.Ordinal))).ToArray();

        Assert.Equal(("HU", "gray", true), (description.GetProperty("units").GetString(), description.GetProperty("colormap").GetString(), description.GetProperty("scrollsSlices").GetBoolean()));
        Assert.Equal([-1024.0, 3071.0], description.GetProperty("displayRange").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(["Bone", "Soft tissue", "Lung"], description.GetProperty("presets").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(-1000, values.Min());
        Assert.Contains(values, v => v > 700);
    }

    [Fact]
    public async Task Synthesis_WithAGeneratorOfAnotherKind_IsRefusedNamingBoth()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var generators = (await coordinator.Http.GetFromJsonAsync<List<RegisteredGenerator>>("/api/generators", PortalJson.Options))!;
        var knee = generators.Single(g => g.Name.StartsWith("knee T2", StringComparison.Ordinal));
        var pelvis = generators.Single(g => g.Name.StartsWith("pelvis", StringComparison.Ordinal));
        var (ctStudy, kneeStudy) = (await StudyAsync(DemoOtherKinds.PelvisStudyName), await StudyAsync(StartupSeeder.DemoStudyName));
        await using var db = portal.NewDbContext();
        var (ctSubject, kneeSubject) = (await db.Subjects.FirstAsync(s => s.StudyId == ctStudy), await db.Subjects.FirstAsync(s => s.StudyId == kneeStudy));

        var t2IntoCt = await coordinator.Http.PostAsJsonAsync($"/api/studies/{ctStudy}/synthesize", new SynthesisRequest(ctSubject.Id, knee.Id));
        var ctIntoKnee = await coordinator.Http.PostAsJsonAsync($"/api/studies/{kneeStudy}/synthesize", new SynthesisRequest(kneeSubject.Id, pelvis.Id));

        Assert.Equal(HttpStatusCode.BadRequest, t2IntoCt.StatusCode);
        Assert.Contains("makes T2 map (ms); this CT (Hounsfield units) study compares CT images", await t2IntoCt.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, ctIntoKnee.StatusCode);
        Assert.Contains("makes CT (HU); this Quantitative map (T2) study compares T2 map images", await ctIntoKnee.Content.ReadAsStringAsync());
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

public sealed class OtherStudyKindsOnSqlite(OtherKindsPortal portal) : OtherStudyKindsTests(portal), IClassFixture<OtherKindsPortal>;

public sealed class OtherStudyKindsOnPostgres(OtherKindsPostgresPortal portal) : OtherStudyKindsTests(portal), IClassFixture<OtherKindsPostgresPortal>;
