using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>Roles and study membership, through the real HTTP pipeline, on each database engine.</summary>
public abstract class AccessControlTests(PortalFactory portal)
{
    private async Task<Guid> DemoStudyIdAsync()
    {
        await using var db = portal.NewDbContext();
        return await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
    }

    private async Task<StudySummary> CreateStudyAsync(PortalClient coordinator)
    {
        var response = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Access test {Guid.NewGuid():N}", "made by a test"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!;
    }

    [Theory]
    [InlineData("/studies")]
    [InlineData("/admin/users")]
    [InlineData("/admin/audit")]
    [InlineData("/results")]
    public async Task Reader_OpeningCoordinatorStatisticianOrAdminPage_IsDenied403(string page)
    {
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);

        var response = await reader.Http.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.RedirectPath());
        var denied = await reader.Http.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Reader_CallingCoordinatorStatisticianOrAdminApi_Gets403()
    {
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        var demo = await DemoStudyIdAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.PostAsJsonAsync("/api/studies", new NewStudy("reader's study", ""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync($"/api/studies/{demo}/members")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.PostAsJsonAsync($"/api/studies/{demo}/members", new NewStudyMember(DemoUsers.Reader1, "Coordinator"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync($"/api/studies/{demo}/results")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync("/api/admin/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync("/api/admin/audit")).StatusCode);
    }

    [Fact]
    public async Task Reader_SeesOnlyStudiesTheyAreAssignedTo()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        using var reader1 = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        using var reader2 = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader2);
        var study = await CreateStudyAsync(coordinator);
        var added = await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/members", new NewStudyMember(DemoUsers.Reader2, "Reader"));
        Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await reader1.Http.GetAsync($"/api/studies/{study.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader2.Http.GetAsync($"/api/studies/{study.Id}")).StatusCode);
        var reader1Studies = await reader1.Http.GetFromJsonAsync<List<StudySummary>>("/api/studies", PortalJson.Options);
        var reader2Studies = await reader2.Http.GetFromJsonAsync<List<StudySummary>>("/api/studies", PortalJson.Options);
        Assert.DoesNotContain(reader1Studies!, s => s.Id == study.Id);
        Assert.Contains(reader2Studies!, s => s.Id == study.Id);
    }

    [Fact]
    public async Task Coordinator_ListsMembers_WithRolesAndNames()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var study = await CreateStudyAsync(coordinator);
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/members", new NewStudyMember(DemoUsers.Reader2, "Reader"));
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/members", new NewStudyMember(DemoUsers.Reader1, "Reader"));

        var members = await coordinator.Http.GetFromJsonAsync<List<StudyMemberView>>($"/api/studies/{study.Id}/members", PortalJson.Options);

        Assert.Equal(
            [("Coordinator", DemoUsers.Coordinator), ("Reader", DemoUsers.Reader1), ("Reader", DemoUsers.Reader2)],
            members!.Select(m => (m.Role, m.Email)));
        Assert.Equal("Dr. Rhea Reader", members![1].DisplayName);
    }

    [Fact]
    public async Task AddMember_WithoutThatPortalRole_IsRefusedWithTheReason()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var study = await CreateStudyAsync(coordinator);

        var response = await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/members", new NewStudyMember(DemoUsers.Statistician, "Reader"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("cannot join as Reader: ask an administrator for an account with the Reader role", await response.Content.ReadAsStringAsync());
        // An e-mail without any account gets the same answer, so membership errors reveal no accounts.
        var unknown = await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/members", new NewStudyMember("nobody@hospital.test", "Reader"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("nobody@hospital.test cannot join as Reader: ask an administrator for an account with the Reader role", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Coordinator_NotAMemberOfAStudy_CannotManageIt()
    {
        using var admin = await portal.NewClient().SignedInAsAsync(DemoUsers.Admin);
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var adminsStudy = await CreateStudyAsync(admin);

        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.Http.GetAsync($"/api/studies/{adminsStudy.Id}/members")).StatusCode);
        var page = await coordinator.Http.GetAsync($"/studies/{adminsStudy.Id}");
        Assert.StartsWith("/Account/AccessDenied", page.RedirectPath());
    }

    [Fact]
    public async Task Statistician_SeesResultsOfTheirStudy_CoordinatorOnlyAfterItCloses()
    {
        using var statistician = await portal.NewClient().SignedInAsAsync(DemoUsers.Statistician);
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var study = await CreateStudyAsync(coordinator);
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/members", new NewStudyMember(DemoUsers.Statistician, "Statistician"));

        Assert.Equal(HttpStatusCode.OK, (await statistician.Http.GetAsync($"/api/studies/{study.Id}/results")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.Http.GetAsync($"/api/studies/{study.Id}/results")).StatusCode);
        await ReadableStudy.PrepareAsync(portal, study.Id);
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/state", new StudyStateChange(Core.Studies.StudyState.Open))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/state", new StudyStateChange(Core.Studies.StudyState.Closed))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.Http.GetAsync($"/api/studies/{study.Id}/results")).StatusCode);
    }

    [Fact]
    public async Task StudyState_CannotGoBackwards_ClearError()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var study = await CreateStudyAsync(coordinator);

        var response = await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/state", new StudyStateChange(Core.Studies.StudyState.Closed));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("A draft study cannot become closed", await response.Content.ReadAsStringAsync());
    }
}

public sealed class AccessControlOnSqlite(SqlitePortal portal) : AccessControlTests(portal), IClassFixture<SqlitePortal>;

public sealed class AccessControlOnPostgres(PostgresPortal portal) : AccessControlTests(portal), IClassFixture<PostgresPortal>;
