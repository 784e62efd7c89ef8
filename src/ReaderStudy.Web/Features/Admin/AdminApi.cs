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

        admin.MapPost("/users", async (NewUser request, UserAdministration users) =>
        {
            var user = await users.CreateAsync(request);
            return TypedResults.Created($"/api/admin/users/{user.Id}", user);
        });

        admin.MapPost("/users/{userId}/unlock", async (string userId, UserAdministration users) =>
        {
            await users.UnlockAsync(userId);
            return TypedResults.NoContent();
        });

        admin.MapGet("/audit", (AuditLogQuery audit, Guid? studyId, int? take, CancellationToken ct) =>
            audit.NewestAsync(studyId, take ?? 200, ct));
    }
}
