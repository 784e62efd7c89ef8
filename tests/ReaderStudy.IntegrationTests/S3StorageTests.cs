using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Storage;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>The image store in an S3-compatible bucket (s3rver on loopback), end to end through the portal.</summary>
public sealed class S3StorageTests(S3Portal portal) : IClassFixture<S3Portal>
{
    [Fact]
    public async Task Portal_WithS3Storage_ImportsIntoTheBucket_AndServesTheImagesBack()
    {
        Assert.IsType<S3ImageStore>(portal.Services.GetRequiredService<IImageStore>());
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"S3 {Guid.NewGuid():N}", ""));
        var study = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!;
        var folder = Directory.CreateTempSubdirectory("readerstudy-s3-").FullName;
        var manifest = PhantomGenerator.Generate(folder, 1, new KneePhantomOptions { Size = 32, Slices = 2, Seed = 9 });
        var files = Directory.GetFiles(Path.Combine(folder, manifest.Subjects[0].Pseudonym, "t2-truth"));
        var content = new MultipartFormDataContent();
        foreach (var file in files)
        {
            content.Add(new ByteArrayContent(File.ReadAllBytes(file)), "files", Path.GetFileName(file));
        }

        var import = await coordinator.Http.PostAsync($"/api/studies/{study.Id}/import", content);

        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var series = (await coordinator.Http.GetFromJsonAsync<List<Web.Features.Import.SeriesView>>($"/api/studies/{study.Id}/series", PortalJson.Options))!.Single();
        var slice = await coordinator.Http.GetByteArrayAsync($"/api/studies/{study.Id}/series/{series.Id}/slices/0");
        Assert.Equal(32 * 32 * 4, slice.Length);
        await using var db = portal.NewDbContext();
        var hash = await db.SeriesImages.Where(i => i.SeriesId == series.Id).Select(i => i.ContentHash).FirstAsync();
        Assert.True(await portal.Services.GetRequiredService<IImageStore>().ContainsAsync(hash));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task S3Store_PutTwice_KeepsOneObject_AndReadsBackTheSameBytes()
    {
        var store = portal.Services.GetRequiredService<IImageStore>();
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))]);

        var first = await store.PutAsync(file);
        var second = await store.PutAsync(file);
        var local = await store.GetLocalPathAsync(first.Hash);

        Assert.Equal(first, second);
        Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(local));
        Assert.False(await store.ContainsAsync(new string('0', 64)));
        File.Delete(file);
    }
}
