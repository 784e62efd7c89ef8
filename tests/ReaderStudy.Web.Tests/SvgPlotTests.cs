using System.Xml.Linq;
using ReaderStudy.Web.Features.StudyResults;

namespace ReaderStudy.Web.Tests;

public sealed class SvgPlotTests
{
    [Fact]
    public void Bars_DrawsOneBarPerFiniteValue_WithItsValueOnHover_AndTallerBarsForLargerValues()
    {
        var svg = SvgPlots.Bars("Mean T2", "T2 (ms)", ["medial", "lateral"],
            [("real", "#111111", [40.0, 50.0]), ("synthetic", "#222222", [20.0, double.NaN])]);

        var bars = XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "rect" && e.Elements().Any(c => c.Name.LocalName == "title")).ToList();
        Assert.Equal(3, bars.Count);
        var titles = bars.Select(b => b.Elements().Single().Value).ToList();
        Assert.Contains("lateral, real: 50", titles);
        Assert.Contains("medial, synthetic: 20", titles);
        double Height(XElement bar) => double.Parse(bar.Attribute("height")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(2.5, Height(bars[2]) / Height(bars[1]), 2);
    }
}
