namespace ReaderStudy.Web.Features.Pacs;

/// <summary>The hospital's DICOMweb server (QIDO-RS search, WADO-RS retrieve); set by the operator, never by a user.</summary>
public sealed class PacsSettings
{
    public const string Section = "Pacs";

    /// <summary>Base URL of the DICOMweb service, e.g. https://pacs.example.org/dicom-web/; empty: no PACS.</summary>
    public string DicomWebUrl { get; set; } = "";
    /// <summary>What coordinators see the server called.</summary>
    public string Name { get; set; } = "PACS";
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";
    /// <summary>An OAuth bearer token, for servers behind a token gateway (instead of user name and password).</summary>
    public string BearerToken { get; set; } = "";
    public int TimeoutSeconds { get; set; } = 30;

    public bool Configured => DicomWebUrl.Length > 0;
}
