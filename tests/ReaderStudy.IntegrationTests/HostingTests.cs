using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReaderStudy.Core.Data;
using ReaderStudy.Web.Features.Hosting;

namespace ReaderStudy.IntegrationTests;

/// <summary>
/// What several portal processes on one database rely on: a sign-in made at one is honoured by another (the cookie
/// keys live in the database, not in a process's home folder), and each process does only the part its role names.
/// </summary>
public sealed class HostingTests
{
    [Fact]
    public async Task SignInAtOneProcess_IsHonouredByAnotherOnTheSameDatabase_AndRefusedByAPortalOnAnother()
    {
        using var first = new PortalFactory(TestDatabase.Postgres);
        using var second = new PortalFactory(TestDatabase.Postgres, new Dictionary<string, string> { ["Database:ConnectionString"] = first.ConnectionString });
        using var stranger = new PortalFactory(TestDatabase.Postgres);
        using var client = first.NewClient();
        var signIn = await client.SignInAsync(DemoUsers.Coordinator);
        var cookie = AuthCookie(signIn);

        using var atSecond = CookieRequest(second, cookie);
        using var atStranger = CookieRequest(stranger, cookie);

        Assert.Equal(HttpStatusCode.OK, (await atSecond.GetAsync("/api/studies")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await atStranger.GetAsync("/api/studies")).StatusCode);
        await using var db = first.NewDbContext();
        Assert.Single(await db.DataProtectionKeys.ToListAsync());
        // The framework's key is kept out of the study's audit trail.
        Assert.DoesNotContain(await db.AuditLog.Select(a => a.Action).ToListAsync(), a => a.Contains("DataProtection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithAKeyCertificate_TheStoredKeyIsEncrypted_AndStillOpensTheSignIn()
    {
        var certificate = Path.Combine(Directory.CreateTempSubdirectory("readerstudy-key-certificate-").FullName, "keys.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=ReaderStudy cookie keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(certificate, made.Export(X509ContentType.Pfx, "pfx-pass"));
        }
        var settings = new Dictionary<string, string> { ["Hosting:KeyCertificatePath"] = certificate, ["Hosting:KeyCertificatePassword"] = "pfx-pass" };
        using var plain = new PortalFactory(TestDatabase.Sqlite);
        using var portal = new PortalFactory(TestDatabase.Sqlite, settings);

        using var client = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        using var plainClient = await plain.NewClient().SignedInAsAsync(DemoUsers.Coordinator);

        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/api/studies")).StatusCode);
        await using var db = portal.NewDbContext();
        var stored = Assert.Single(await db.DataProtectionKeys.ToListAsync()).Xml!;
        Assert.Contains("EncryptedData", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", stored, StringComparison.Ordinal);
        // Without a certificate the key is stored as the framework writes it: the check above can tell the two apart.
        await using var plainDb = plain.NewDbContext();
        Assert.Contains("<value>", Assert.Single(await plainDb.DataProtectionKeys.ToListAsync()).Xml!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerProcess_ServesNoPageOrApi_ButAnswersHealthAndRunsJobs()
    {
        using var portal = new PortalFactory(TestDatabase.Postgres, new Dictionary<string, string> { ["Hosting:Role"] = "Worker" });
        using var http = portal.CreateClient(new() { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/Account/Login")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/antiforgery")).StatusCode);
        Assert.True(RunsJobs(portal));
    }

    [Fact]
    public async Task WebProcess_ServesPages_ButRunsNoJobs()
    {
        using var portal = new PortalFactory(TestDatabase.Postgres, new Dictionary<string, string> { ["Hosting:Role"] = "Web" });
        using var http = portal.CreateClient(new() { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/Account/Login")).StatusCode);
        Assert.False(RunsJobs(portal));
    }

    [Fact]
    public void WebRoleOnSqlite_StopsTheStartWithAMessageNamingTheSetting()
    {
        using var portal = new PortalFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["Hosting:Role"] = "Web" });

        var error = Assert.ThrowsAny<Exception>(() => portal.CreateClient());

        Assert.Contains("Hosting:Role", Flatten(error), StringComparison.Ordinal);
    }

    // Hangfire's server is a hosted service; a process runs jobs exactly when one is registered.
    private static bool RunsJobs(PortalFactory portal) =>
        portal.Services.GetServices<IHostedService>().Any(s => s.GetType().Name.Contains("BackgroundJobServer", StringComparison.Ordinal));

    /// <summary>The sign-in cookie the portal set, as a browser would send it back.</summary>
    private static string AuthCookie(HttpResponseMessage signIn) =>
        signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("ReaderStudy.Auth=", StringComparison.Ordinal));

    private static HttpClient CookieRequest(PortalFactory portal, string cookie)
    {
        var http = portal.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        http.DefaultRequestHeaders.Add("Cookie", cookie);
        return http;
    }

    private static string Flatten(Exception error) => error.InnerException is null ? error.Message : $"{error.Message} {Flatten(error.InnerException)}";
}
