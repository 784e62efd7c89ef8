using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using ReaderStudy.Core.Accounts;

namespace ReaderStudy.Web.Features.Accounts;

/// <summary>
/// Wrong passwords lock out the client that typed them, not the account: after five failures for one account from
/// one address, that address waits 15 minutes for that account, while the reader signs in from their own machine.
/// Unknown accounts cost a password hash too, so the answer's timing does not tell which accounts exist.
/// </summary>
/// <remarks>Counts are kept per process; behind several portal processes each counts its own share.</remarks>
public sealed class SignInThrottle(TimeProvider clock, IPasswordHasher<PortalUser> hasher)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<(string Account, string Client), (int Failures, DateTimeOffset Since)> failures = new();
    private readonly Lazy<string> decoyHash = new(() => hasher.HashPassword(new PortalUser(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));

    public bool IsLockedOut(string account, string client) =>
        failures.TryGetValue(Key(account, client), out var entry) && entry.Failures >= MaxFailures && clock.GetUtcNow() - entry.Since < Window;

    public void Failed(string account, string client) =>
        failures.AddOrUpdate(Key(account, client), _ => (1, clock.GetUtcNow()),
            (_, entry) => clock.GetUtcNow() - entry.Since >= Window ? (1, clock.GetUtcNow()) : (entry.Failures + 1, entry.Since));

    public void Succeeded(string account, string client) => failures.TryRemove(Key(account, client), out _);

    /// <summary>Whether some address is locked out of this account now (shown to administrators).</summary>
    public bool IsLockedOutAnywhere(string account) =>
        failures.Any(f => f.Key.Account == account.Trim().ToUpperInvariant() && f.Value.Failures >= MaxFailures && clock.GetUtcNow() - f.Value.Since < Window);

    /// <summary>An administrator's unlock: every address may try again.</summary>
    public void Clear(string account)
    {
        foreach (var key in failures.Keys.Where(k => k.Account == account.Trim().ToUpperInvariant()))
        {
            failures.TryRemove(key, out _);
        }
    }

    /// <summary>Spends what checking a real password costs, for an account that does not exist.</summary>
    public void SpendAsMuchAsARealCheck(string password) => hasher.VerifyHashedPassword(new PortalUser(), decoyHash.Value, password);

    private static (string, string) Key(string account, string client) => (account.Trim().ToUpperInvariant(), client);
}
