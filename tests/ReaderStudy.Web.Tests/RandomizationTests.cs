using ReaderStudy.Web.Features.Reading;

namespace ReaderStudy.Web.Tests;

public sealed class RandomizationTests
{
    [Fact]
    public void Draw_SameSeed_GivesTheSameDesign()
    {
        var a = Randomization.Draw(1234, 12);
        var b = Randomization.Draw(1234, 12);

        Assert.Equal(a.Order, b.Order);
        Assert.Equal(a.RealOnLeft, b.RealOnLeft);
    }

    [Fact]
    public void TwoReaders_GetDifferentOrders_FromTheStudySeed()
    {
        var first = Randomization.Draw(Randomization.ReaderSeed(2026, "reader-a"), 10);
        var second = Randomization.Draw(Randomization.ReaderSeed(2026, "reader-b"), 10);

        Assert.NotEqual(first.Order, second.Order);
        Assert.Equal(Enumerable.Range(0, 10), first.Order.Order());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(40)]
    [InlineData(101)]
    public void Sides_AreBalancedWithinOne_ForEverySeed(int cases)
    {
        for (var seed = 1; seed <= 200; seed++)
        {
            var left = Randomization.Draw(seed, cases).RealOnLeft.Count(l => l);
            Assert.InRange(left, cases / 2, (cases + 1) / 2);
        }
    }
}

public sealed class AnnotationValueTests
{
    [Fact]
    public void MeanAround_AveragesTheDiscOnly()
    {
        var slice = new float[5 * 5];
        slice[2 * 5 + 2] = 10;          // centre
        slice[2 * 5 + 3] = 20;          // inside radius 1
        slice[0] = 1000;                // far corner, outside

        var mean = AnnotationValue.MeanAround(slice, 5, 5, column: 2, row: 2, radius: 1);

        Assert.Equal(30.0 / 5, mean, 12);
    }

    [Fact]
    public void TryParse_RoundTrips_AndRefusesNonsense()
    {
        var value = new AnnotationValue(3, 40, 50, 3, 41.25);

        Assert.True(AnnotationValue.TryParse(value.ToJson(), out var parsed));
        Assert.Equal(value, parsed);
        Assert.False(AnnotationValue.TryParse("left", out _));
        Assert.False(AnnotationValue.TryParse("{\"slice\":1,\"column\":1,\"row\":1,\"radius\":0,\"meanT2\":1}", out _));
        Assert.False(AnnotationValue.TryParse("{\"slice\":1,\"column\":1,\"row\":1,\"radius\":2,\"meanT2\":1,\"shape\":\"ellipse\"}", out _));
        Assert.False(AnnotationValue.TryParse("{\"slice\":1,\"column\":1,\"row\":1,\"radius\":2,\"meanT2\":1,\"shape\":\"star\"}", out _));
    }

    [Fact]
    public void InEllipse_MeasuresTheEnclosedVoxelsOnly_WithSampleSd_AndAreaFromThePixelSpacing()
    {
        // 9 x 9, values = column; the ellipse (radius 3 across, 1 down) around (4, 4); NaN (no value) inside is left out.
        var slice = new float[9 * 9];
        for (var i = 0; i < slice.Length; i++)
        {
            slice[i] = i % 9;
        }
        slice[4 * 9 + 4] = float.NaN;
        slice[0] = 1000;

        var ellipse = AnnotationValue.InEllipse(slice, 9, 9, sliceIndex: 2, column: 4, row: 4, radiusColumns: 3, radiusRows: 1, rowSpacing: 0.5, columnSpacing: 0.25);

        // Inside: row 4, columns 1..7 but 4 (6 voxels); rows 3 and 5, column 4 only ((0/3)^2 + 1 <= 1).
        double[] inside = [1, 2, 3, 5, 6, 7, 4, 4];
        var mean = inside.Average();
        var sd = Math.Sqrt(inside.Sum(v => (v - mean) * (v - mean)) / (inside.Length - 1));
        Assert.Equal((AnnotationValue.Ellipse, 2, 8, Math.Round(mean, 2), Math.Round(sd, 2), 8 * 0.125), (ellipse!.Shape, ellipse.Slice, ellipse.Voxels!.Value, ellipse.MeanT2, ellipse.Sd!.Value, ellipse.AreaMm2!.Value));
        Assert.True(AnnotationValue.TryParse(ellipse.ToJson(), out var parsed));
        Assert.Equal(ellipse, parsed);
        Assert.Null(AnnotationValue.InEllipse(new float[81].Select(_ => float.NaN).ToArray(), 9, 9, 0, 4, 4, 2, 2, 1, 1));
    }

    [Fact]
    public void InPolygon_MeasuresTheVoxelsWhoseCentresAreInside_AndAConcaveNotchIsLeftOut()
    {
        // 10 x 10, values = row * 10 + column; a U shape: the square 2..6 with the notch column 4, rows 2..4 cut out.
        var slice = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();
        int[][] outline = [[2, 2], [3, 2], [3, 5], [5, 5], [5, 2], [6, 2], [6, 7], [2, 7]];

        var measured = AnnotationValue.InPolygon(slice, 10, 10, 0, outline, rowSpacing: 0.5, columnSpacing: 0.5);

        // Voxel centres strictly inside (even-odd rule, centres on the left and top edges count): rows 2..6 of columns
        // 2 and 5, rows 5..6 of columns 3 and 4; the notch (columns 3..4, rows 2..4) is outside.
        var expected = new List<double>();
        for (var r = 2; r <= 6; r++)
        {
            for (var c = 2; c <= 5; c++)
            {
                if (!(c is 3 or 4 && r < 5))
                {
                    expected.Add(r * 10 + c);
                }
            }
        }
        Assert.Equal(expected.Count, measured!.Voxels);
        Assert.Equal(Math.Round(expected.Average(), 2), measured.MeanT2);
        Assert.Equal(expected.Count * 0.25, measured.AreaMm2);
        Assert.True(AnnotationValue.TryParse(measured.ToJson(), out var parsed));
        Assert.Equal(measured, parsed);
        Assert.Null(AnnotationValue.InPolygon(slice, 10, 10, 0, [[1, 1], [2, 2]], 1, 1));
    }

    [Fact]
    public void Along_GivesTheLengthInMillimetres_FromTheSpacingOfRowsAndColumns()
    {
        var slice = Enumerable.Repeat(40f, 100).ToArray();

        var line = AnnotationValue.Along(slice, 10, 10, 3, [[1, 1], [4, 5]], rowSpacing: 2, columnSpacing: 1);

        Assert.Equal((AnnotationValue.Length, 3, Math.Round(Math.Sqrt(3 * 3 + 8 * 8), 2), 40.0), (line!.Shape, line.Slice, line.LengthMm!.Value, line.MeanT2));
        Assert.True(AnnotationValue.TryParse(line.ToJson(), out _));
        Assert.Null(AnnotationValue.Along(slice, 10, 10, 0, [[1, 1], [40, 5]], 1, 1));
    }
}

/// <summary>The diagnostic design: every case once per block, in opposite maps, a subject's readings spaced apart.</summary>
public sealed class DiagnosticDesignTests
{
    [Theory]
    [InlineData(1, 10, 0)]
    [InlineData(2, 10, 6)]
    [InlineData(3, 25, 20)]
    [InlineData(4, 7, 7)]
    [InlineData(5, 1, 1)]
    public void EveryCase_OncePerBlock_InOppositeMaps_AtLeastTheSpacingApart(int seed, int cases, int spacing)
    {
        var order = Randomization.DrawDiagnostic(seed, cases, spacing);

        Assert.Equal(2 * cases, order.Count);
        Assert.All(order.Take(cases), item => Assert.Equal(1, item.Block));
        Assert.All(order.Skip(cases), item => Assert.Equal(2, item.Block));
        Assert.Equal(Enumerable.Range(0, cases), order.Take(cases).Select(i => i.Case).Order());
        Assert.Equal(Enumerable.Range(0, cases), order.Skip(cases).Select(i => i.Case).Order());
        Assert.InRange(order.Take(cases).Count(i => i.Real), cases / 2, (cases + 1) / 2);
        for (var c = 0; c < cases; c++)
        {
            var (first, second) = (order.ToList().FindIndex(i => i.Case == c), order.ToList().FindLastIndex(i => i.Case == c));
            Assert.NotEqual(order[first].Real, order[second].Real);
            Assert.True(second - first >= spacing, $"case {c}: readings {second - first} apart, spacing {spacing}");
        }
        Assert.Equal(order, Randomization.DrawDiagnostic(seed, cases, spacing));
    }

    [Fact]
    public void ASpacingLongerThanABlock_IsRefusedWithTheLimit()
    {
        var refused = Assert.Throws<ReaderStudy.Web.Features.Studies.StudyRuleException>(() => Randomization.DrawDiagnostic(1, 8, 9));
        Assert.Contains("at most 8", refused.Message);
    }
}
