namespace ReaderStudy.Web.Features.Accounts;

/// <summary>Guards redirects after sign-in against open redirects to other sites.</summary>
public static class LocalUrl
{
    public static string OrHome(string? url)
    {
        if (string.IsNullOrEmpty(url) || !Uri.IsWellFormedUriString(url, UriKind.Relative)
            || url.StartsWith("//", StringComparison.Ordinal) || url.StartsWith("/\\", StringComparison.Ordinal))
        {
            return "/";
        }
        return url.StartsWith('/') ? url : "/" + url;
    }
}
