using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Core.Accounts;

/// <summary>One account policy for the portal and the command line, so an account made by either signs in to both.</summary>
public static class PortalIdentityOptions
{
    /// <summary>Accounts and roles in the portal's database under the portal's policy; the web app adds sign-in on top.</summary>
    public static IdentityBuilder AddPortalIdentity(this IServiceCollection services) =>
        services.AddIdentityCore<PortalUser>(Apply).AddRoles<IdentityRole>().AddEntityFrameworkStores<ReaderStudyDbContext>();

    public static void Apply(IdentityOptions options)
    {
        options.User.RequireUniqueEmail = true;
        options.Password.RequiredLength = 10;
        options.Password.RequireDigit = true;
        options.Password.RequireLowercase = true;
        options.Password.RequireUppercase = true;
        options.Password.RequireNonAlphanumeric = true;
        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
    }
}
