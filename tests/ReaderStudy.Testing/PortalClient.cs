using System.Net.Http.Json;
using System.Net;
using System.Text.RegularExpressions;

namespace ReaderStudy.Testing;

/// <summary>An HTTP client with its own cookie jar that signs in through the real sign-in form.</summary>
public sealed partial class PortalClient(HttpClient http) : IDisposable
{
    public const string DemoPassword = "Demo-pass-2026";

    public HttpClient Http => http;

    /// <summary>Posts the sign-in form as a browser would (antiforgery token included); returns the raw response.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string email, string password = DemoPassword)
    {
        var form = await http.GetStringAsync("/Account/Login");
        var token = AntiforgeryToken().Match(form);
        if (!token.Success)
        {
            throw new InvalidOperationException("The sign-in page has no antiforgery token.");
        }
        return await http.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>Signs in and insists it worked.</summary>
    public async Task<PortalClient> SignedInAsAsync(string email, string password = DemoPassword)
    {
        var response = await SignInAsync(email, password);
        if (response.StatusCode != HttpStatusCode.Redirect || response.RedirectPath().Contains("Account", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }
        await TakeAntiforgeryTokenAsync();
        return this;
    }

    /// <summary>Every API call that changes something carries the antiforgery token, as the portal's own pages do.</summary>
    public async Task TakeAntiforgeryTokenAsync()
    {
        var token = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/antiforgery");
        http.DefaultRequestHeaders.Remove(token.GetProperty("header").GetString()!);
        http.DefaultRequestHeaders.Add(token.GetProperty("header").GetString()!, token.GetProperty("token").GetString());
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

/// <summary>Reads where a redirect points, whether the server wrote it relative or absolute.</summary>
public static class RedirectExtensions
{
    public static string RedirectPath(this HttpResponseMessage response) =>
        response.Headers.Location is not { } location ? ""
        : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
}
