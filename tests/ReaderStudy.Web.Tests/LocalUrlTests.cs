using ReaderStudy.Web.Features.Accounts;

namespace ReaderStudy.Web.Tests;

public sealed class LocalUrlTests
{
    [Theory]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("studies", "/studies")]
    [InlineData("/results/abc", "/results/abc")]
    [InlineData("//evil.example/phish", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/\\evil.example", "/")]
    public void OrHome_KeepsLocalPathsAndRefusesOtherSites(string? returnUrl, string expected) =>
        Assert.Equal(expected, LocalUrl.OrHome(returnUrl));
}
