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
