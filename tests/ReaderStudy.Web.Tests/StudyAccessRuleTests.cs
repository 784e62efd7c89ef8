using System.Security.Claims;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Tests;

/// <summary>The membership rule on its own: portal role AND study membership, per activity.</summary>
public sealed class StudyAccessRuleTests
{
    private static ClaimsPrincipal User(params string[] roles) =>
        new(new ClaimsIdentity(roles.Select(r => new Claim(ClaimTypes.Role, r)), "test"));

    [Theory]
    // portal role, member roles, state, activity, allowed
    [InlineData("Reader", "Reader", StudyState.Open, StudyActivity.Read, true)]
    [InlineData("Reader", "", StudyState.Open, StudyActivity.Read, false)]
    [InlineData("Reader", "", StudyState.Open, StudyActivity.View, false)]
    [InlineData("Reader", "Reader", StudyState.Closed, StudyActivity.Analyse, false)]
    [InlineData("Reader", "Reader", StudyState.Open, StudyActivity.Coordinate, false)]
    [InlineData("Admin", "", StudyState.Open, StudyActivity.Coordinate, true)]
    [InlineData("Admin", "", StudyState.Open, StudyActivity.Read, false)]
    [InlineData("Coordinator", "Coordinator", StudyState.Open, StudyActivity.Coordinate, true)]
    [InlineData("Coordinator", "Coordinator", StudyState.Open, StudyActivity.Analyse, false)]
    [InlineData("Coordinator", "Coordinator", StudyState.Closed, StudyActivity.Analyse, true)]
    [InlineData("Coordinator", "Reader", StudyState.Open, StudyActivity.Coordinate, false)]
    [InlineData("Statistician", "Statistician", StudyState.Draft, StudyActivity.Analyse, true)]
    [InlineData("Statistician", "Statistician", StudyState.Open, StudyActivity.Read, false)]
    public void Allows_FollowsRoleAndMembership(string portalRole, string memberRole, StudyState state, StudyActivity activity, bool allowed)
    {
        var memberRoles = memberRole.Length == 0 ? Array.Empty<string>() : [memberRole];

        Assert.Equal(allowed, StudyAccess.Allows(User(portalRole), memberRoles, state, activity));
    }
}
