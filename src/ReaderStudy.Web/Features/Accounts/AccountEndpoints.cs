using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Web.Features.Accounts;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/Account");

        account.MapPost("/Logout", async (SignInManager<PortalUser> signIn, IDbContextFactory<ReaderStudyDbContext> dbFactory) =>
        {
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                db.Audit("account.signed-out");
                await db.SaveChangesAsync();
            }
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("~/Account/Login");
        }).RequireAuthorization();

        account.MapPost("/ExternalLogin", (SignInManager<PortalUser> signIn, [FromForm] string? returnUrl) =>
        {
            var callback = $"/Account/ExternalLoginCallback?returnUrl={Uri.EscapeDataString(LocalUrl.OrHome(returnUrl))}";
            var properties = signIn.ConfigureExternalAuthenticationProperties(HospitalSignInOptions.Scheme, callback);
            return TypedResults.Challenge(properties, [HospitalSignInOptions.Scheme]);
        }).AllowAnonymous();

        account.MapGet("/ExternalLoginCallback", ExternalLoginCallbackAsync).AllowAnonymous();
    }

    /// <summary>
    /// Hospital sign-in maps to accounts an administrator created, or completes a coordinator's invitation of that
    /// e-mail: the portal never creates an account from an identity provider on its own, since study membership must be
    /// granted deliberately.
    /// </summary>
    private static async Task<IResult> ExternalLoginCallbackAsync(
        SignInManager<PortalUser> signIn, UserManager<PortalUser> users, Studies.InvitationLinks invitations, IDbContextFactory<ReaderStudyDbContext> dbFactory, string? returnUrl)
    {
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null)
        {
            return Denied("The hospital sign-in did not complete; try again.");
        }
        var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: true);
        if (!result.Succeeded && !result.IsLockedOut)
        {
            var email = info.Principal.FindFirst(System.Security.Claims.ClaimTypes.Email)?.Value;
            var user = email is null ? null : await users.FindByEmailAsync(email)
                ?? await invitations.CompleteBySignInAsync(email, info.Principal.FindFirst(System.Security.Claims.ClaimTypes.Name)?.Value);
            if (user is null)
            {
                return Denied($"No ReaderStudy account belongs to {email ?? "this sign-in"}, and no study invites it; ask a study's coordinator to invite you, or an administrator to create an account.");
            }
            await users.AddLoginAsync(user, info);
            result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: true);
        }
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            db.Audit(result.Succeeded ? "account.signed-in-external" : "account.sign-in-failed-external", details: info.LoginProvider);
            await db.SaveChangesAsync();
        }
        if (result.IsLockedOut)
        {
            return TypedResults.LocalRedirect("~/Account/Lockout");
        }
        return result.Succeeded ? TypedResults.LocalRedirect(LocalUrl.OrHome(returnUrl)) : Denied("The hospital sign-in was refused.");
    }

    private static IResult Denied(string message) =>
        TypedResults.LocalRedirect($"~/Account/Login?error={Uri.EscapeDataString(message)}");
}
