using System.Security.Claims;
using ReaderStudy.Web.Features.Accounts;

namespace ReaderStudy.Web.Features.Studies;

public static class StudyApi
{
    public static void MapStudyApi(this IEndpointRouteBuilder endpoints)
    {
        var studies = endpoints.MapGroup("/api/studies").RequireAuthorization();

        studies.MapGet("/", (StudyService service, ClaimsPrincipal user, CancellationToken ct) => service.ListAsync(user, ct));

        studies.MapPost("/", async (NewStudy request, StudyService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var study = await service.CreateAsync(user, request, ct);
            return TypedResults.Created($"/api/studies/{study.Id}", study);
        }).RequireAuthorization(PortalPolicies.Coordinate);

        var study = studies.MapGroup("/{studyId:guid}");

        study.MapGet("/", async (Guid studyId, StudyService service, CancellationToken ct) =>
            await service.GetAsync(studyId, ct) is { } found ? Results.Ok(found) : Results.NotFound())
            .RequireAuthorization(StudyPolicies.View);

        // Corrections of a draft (StudyCorrections): the study itself, a subject, a series.
        study.MapPut("/", (Guid studyId, StudyEdit edit, StudyCorrections corrections, CancellationToken ct) => corrections.EditAsync(studyId, edit, ct))
            .RequireAuthorization(StudyPolicies.Coordinate);
        study.MapDelete("/", (Guid studyId, StudyCorrections corrections, CancellationToken ct) => corrections.DeleteStudyAsync(studyId, ct))
            .RequireAuthorization(StudyPolicies.Coordinate);
        study.MapDelete("/subjects/{subjectId:guid}", (Guid studyId, Guid subjectId, StudyCorrections corrections, CancellationToken ct) => corrections.DeleteSubjectAsync(studyId, subjectId, ct))
            .RequireAuthorization(StudyPolicies.Coordinate);
        study.MapDelete("/series/{seriesId:guid}", (Guid studyId, Guid seriesId, StudyCorrections corrections, CancellationToken ct) => corrections.DeleteSeriesAsync(studyId, seriesId, ct))
            .RequireAuthorization(StudyPolicies.Coordinate);

        study.MapGet("/members", (Guid studyId, StudyService service, CancellationToken ct) => service.MembersAsync(studyId, ct))
            .RequireAuthorization(StudyPolicies.Coordinate);

        study.MapPost("/members", async (Guid studyId, NewStudyMember request, StudyService service, CancellationToken ct) =>
        {
            await service.AddMemberAsync(studyId, request, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(StudyPolicies.Coordinate);

        study.MapPost("/invitations", (Guid studyId, NewStudyMember request, StudyInvitations invitations, ClaimsPrincipal user, CancellationToken ct) =>
            invitations.InviteAsync(studyId, request, user.Identity?.Name ?? "", ct)).RequireAuthorization(StudyPolicies.Coordinate);
        study.MapGet("/invitations", (Guid studyId, StudyInvitations invitations, CancellationToken ct) => invitations.OpenAsync(studyId, ct))
            .RequireAuthorization(StudyPolicies.Coordinate);
        study.MapDelete("/invitations/{invitationId:guid}", async (Guid studyId, Guid invitationId, StudyInvitations invitations, CancellationToken ct) =>
        {
            await invitations.WithdrawAsync(studyId, invitationId, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(StudyPolicies.Coordinate);

        study.MapDelete("/members/{userId}/{role}", async (Guid studyId, string userId, string role, StudyService service, CancellationToken ct) =>
        {
            await service.RemoveMemberAsync(studyId, userId, role, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(StudyPolicies.Coordinate);

        study.MapPost("/state", async (Guid studyId, StudyStateChange request, StudyService service, CancellationToken ct) =>
        {
            await service.SetStateAsync(studyId, request.State, ct, request.OverrideReason);
            return TypedResults.NoContent();
        }).RequireAuthorization(StudyPolicies.Coordinate);
    }
}
