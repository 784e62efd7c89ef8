using System.Security.Claims;
using ReaderStudy.Web.Components;
using ReaderStudy.Web.Features.Accounts;

namespace ReaderStudy.Web.Features.Admin;

public static class AdminApi
{
    public static WebApplicationBuilder AddReaderStudyAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<UserAdministration>();
        builder.Services.AddScoped<AuditLogQuery>();
        return builder;
    }

    public static void MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/admin").RequireAuthorization(PortalPolicies.Administer);

        admin.MapGet("/users", (UserAdministration users, CancellationToken ct) => users.ListAsync(ct));
        admin.MapGet("/invitations", (Studies.StudyInvitations invitations, CancellationToken ct) => invitations.OpenAsync(null, ct));

        admin.MapPost("/users", async (NewUser request, UserAdministration users) =>
        {
            var user = await users.CreateAsync(request);
            return TypedResults.Created($"/api/admin/users/{user.Id}", user);
        });

        admin.MapPut("/users/{userId}/roles", (string userId, RolesChange change, UserAdministration users, ClaimsPrincipal me) =>
            users.SetRolesAsync(userId, change.Roles, me.Identity?.Name ?? ""));
        admin.MapPost("/users/{userId}/deactivate", (string userId, UserAdministration users, ClaimsPrincipal me) =>
            users.DeactivateAsync(userId, me.Identity?.Name ?? ""));
        admin.MapPost("/users/{userId}/reactivate", (string userId, UserAdministration users) => users.ReactivateAsync(userId));
        admin.MapPut("/users/{userId}/password", async (string userId, PasswordChange change, UserAdministration users) =>
        {
            await users.SetPasswordAsync(userId, change.Password);
            return TypedResults.NoContent();
        });

        admin.MapPost("/users/{userId}/unlock", async (string userId, UserAdministration users) =>
        {
            await users.UnlockAsync(userId);
            return TypedResults.NoContent();
        });

        // ?studyId=&user=&action=&from=&to=&take= (user and action match any part, case aside; times in UTC, to exclusive).
        admin.MapGet("/audit", (AuditLogQuery audit, Guid? studyId, string? user, string? action, DateTimeOffset? from, DateTimeOffset? to, int? take, CancellationToken ct) =>
            audit.FindAsync(new AuditFilter(studyId, user, action, from, to, take ?? 200), ct)).NoStore();
        admin.MapGet("/audit.csv", async (AuditLogQuery audit, Guid? studyId, string? user, string? action, DateTimeOffset? from, DateTimeOffset? to, int? take, CancellationToken ct) =>
        {
            var rows = await audit.FindAsync(new AuditFilter(studyId, user, action, from, to, take ?? AuditLogQuery.Largest), ct);
            return Results.File(System.Text.Encoding.UTF8.GetBytes(AuditLogQuery.Csv(rows)), "text/csv; charset=utf-8", "audit-log.csv");
        }).NoStore();
    }
}
