using System.Diagnostics;

namespace ReaderStudy.IntegrationTests;

/// <summary>
/// What this machine can check of deploy/Dockerfile without Docker: the publish commands it runs give a portal and a
/// proxy that start from the publish folder alone, with the files the image needs, and deploy/smoke.sh (what a
/// machine with Docker runs against compose) passes against them: health, sign-in, an answer saved and read back.
/// </summary>
public sealed class ContainerImageTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("readerstudy-image-").FullName;

    [Fact]
    public async Task PublishedAsTheDockerfileDoes_PortalAndProxyRun_AndTheSmokeScriptPasses()
    {
        var root = SharedFolder.RepositoryRoot;
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(root, "deploy", "Dockerfile"));
        Assert.Contains("dotnet publish src/ReaderStudy.Web -c Release -o /app", dockerfile, StringComparison.Ordinal);
        Assert.Contains("dotnet publish src/ReaderStudy.Proxy -c Release -o /app/proxy", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"ReaderStudy.Web.dll\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains("\"proxy/ReaderStudy.Proxy.dll\"", await File.ReadAllTextAsync(Path.Combine(root, "deploy", "compose.yaml")), StringComparison.Ordinal);
        var app = Path.Combine(work, "app");
        // The suite has built in Release already; --no-build publishes that build, as the image's `dotnet publish` would.
        await RunAsync(root, "dotnet", ["publish", "src/ReaderStudy.Web", "-c", "Release", "--no-build", "-o", app]);
        await RunAsync(root, "dotnet", ["publish", "src/ReaderStudy.Proxy", "-c", "Release", "--no-build", "-o", Path.Combine(app, "proxy")]);

        foreach (var file in new[] { "ReaderStudy.Web.dll", "proxy/ReaderStudy.Proxy.dll", "appsettings.json", "gdcm-sharp.dll", "libgdcmsharpglue.so",
                     "DemoModels/knee-t2-unet.onnx" })
        {
            Assert.True(File.Exists(Path.Combine(app, file)), $"the image would lack {file}");
        }
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(app, "wwwroot", "assets"), "*.js"));
        Assert.Empty(Directory.GetFiles(app, "*Tests.dll"));

        using var portal = await PortalProcess.StartAsync(Path.Combine(app, "ReaderStudy.Web.dll"),
            PortalProcess.DemoSettings(TestDatabase.Sqlite, "", Path.Combine(work, "data")), port: null, "/health/ready");
        using var proxy = await PortalProcess.StartProxyAsync(new Dictionary<string, PortalProcess> { ["web-1"] = portal }, Path.Combine(app, "proxy", "ReaderStudy.Proxy.dll"));
        var smoke = await RunAsync(root, "bash", ["deploy/smoke.sh"], ("SMOKE_AGAINST", proxy.Address.ToString().TrimEnd('/')));

        Assert.Contains("smoke: passed", smoke, StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(string folder, string program, string[] arguments, (string Name, string Value)? environment = null)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        if (environment is { } variable)
        {
            start.Environment[variable.Name] = variable.Value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}):\n{await output}\n{await errors}");
        return await output;
    }

    public void Dispose()
    {
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
    }
}
