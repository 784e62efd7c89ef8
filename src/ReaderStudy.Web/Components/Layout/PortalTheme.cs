using MudBlazor;

namespace ReaderStudy.Web.Components.Layout;

/// <summary>The portal's colours: calm, high-contrast, and no red/green pairs that could hint at "real" or "synthetic".</summary>
public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1d4e89", Secondary = "#00798c", AppbarBackground = "#1d4e89" },
        PaletteDark = new PaletteDark { Primary = "#7fb3e6", Secondary = "#4fc1d1", AppbarBackground = "#12263f" },
    };
}
