using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Cli.Accounts;

/// <summary>
/// `readerstudy users add`: an account made on the server itself, above all the first administrator of a
/// deployment that runs without the demo seed (and so without any account).
/// </summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var email = new Option<string>("--email") { Description = "The account's e-mail address, which is also its sign-in name.", Required = true };
        var name = new Option<string?>("--name") { Description = "The name shown in the portal, e.g. \"Dr. Ada Lovelace\"; the e-mail address when left out." };
        var role = new Option<string>("--role") { Description = "Admin, Coordinator, Reader or Statistician.", Required = true };
        role.AcceptOnlyFromAmong([.. PortalRoles.All]);
        var passwordFromStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input; otherwise a strong one is generated and printed once." };
        var add = new Command("add", "Create a portal account with one role.")
        {
            email, name, role, passwordFromStdin, PortalDatabase.DataFolder, PortalDatabase.Postgres,
        };
        add.SetAction(async (result, cancellationToken) =>
        {
            var generated = !result.GetValue(passwordFromStdin);
            var password = generated ? NewPassword() : (await Console.In.ReadLineAsync(cancellationToken) ?? "").TrimEnd('\r', '\n');
            await using var services = AccountServices(result);
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ReaderStudyDbContext>().Database.MigrateAsync(cancellationToken);
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var missing in PortalRoles.All.Where(r => !roles.Roles.Any(x => x.Name == r)).ToList())
            {
                await roles.CreateAsync(new IdentityRole(missing));
            }
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var address = result.GetValue(email)!;
            var user = new PortalUser { UserName = address, Email = address, EmailConfirmed = true, DisplayName = result.GetValue(name) ?? address };
            var created = await users.CreateAsync(user, password);
            if (created.Succeeded)
            {
                created = await users.AddToRoleAsync(user, result.GetValue(role)!);
            }
            if (!created.Succeeded)
            {
                result.InvocationConfiguration.Error.WriteLine($"readerstudy users add: {string.Join(" ", created.Errors.Select(e => e.Description))}");
                return 2;
            }
            result.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["email"] = address,
                ["role"] = result.GetValue(role),
                ["password"] = generated ? password : null,
            }, CliJson.Options));
            return 0;
        });
        return new Command("users", "Portal accounts.") { add };
    }

    // The portal's own Identity set-up (password policy, stores) on the database the command was pointed at.
    private static ServiceProvider AccountServices(ParseResult result)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddScoped(_ => PortalDatabase.Open(result));
        services.AddPortalIdentity();
        return services.BuildServiceProvider();
    }

    /// <summary>20 characters from every class the policy asks for, drawn with a cryptographic generator.</summary>
    private static string NewPassword()
    {
        const string lower = "abcdefghijkmnpqrstuvwxyz", upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", digits = "23456789", symbols = "-_.!#%+=";
        var all = lower + upper + digits + symbols;
        var chars = new[] { lower, upper, digits, symbols }.Select(set => set[RandomNumberGenerator.GetInt32(set.Length)])
            .Concat(Enumerable.Range(0, 16).Select(_ => all[RandomNumberGenerator.GetInt32(all.Length)])).ToArray();
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
