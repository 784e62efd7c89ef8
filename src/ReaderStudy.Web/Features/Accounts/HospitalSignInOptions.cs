namespace ReaderStudy.Web.Features.Accounts;

/// <summary>The "Authentication:OpenIdConnect" section: the hospital's single sign-on provider, if any.</summary>
public sealed class HospitalSignInOptions
{
    public const string Section = "Authentication:OpenIdConnect";
    public const string Scheme = "oidc";

    public string Authority { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string DisplayName { get; set; } = "Hospital sign-in";

    /// <summary>Only for a provider on loopback in a test: production providers publish their metadata over HTTPS.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}
