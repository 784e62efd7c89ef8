using Microsoft.AspNetCore.Authorization;

namespace ReaderStudy.Web.Features.Studies;

public static class StudiesExtensions
{
    public static WebApplicationBuilder AddReaderStudyStudies(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<StudyAccess>();
        builder.Services.AddScoped<StudyService>();
        builder.Services.AddScoped<StudyInvitations>();
        builder.Services.AddScoped<InvitationLinks>();
        builder.Services.AddScoped<StudyCorrections>();
        builder.Services.AddExceptionHandler<StudyRuleProblems>();
        builder.Services.AddProblemDetails();
        builder.Services.AddScoped<IAuthorizationHandler, StudyAccessHandler>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(StudyPolicies.View, p => p.AddRequirements(new StudyAccessRequirement(StudyActivity.View)))
            .AddPolicy(StudyPolicies.Coordinate, p => p.AddRequirements(new StudyAccessRequirement(StudyActivity.Coordinate)))
            .AddPolicy(StudyPolicies.Analyse, p => p.AddRequirements(new StudyAccessRequirement(StudyActivity.Analyse)))
            .AddPolicy(StudyPolicies.Read, p => p.AddRequirements(new StudyAccessRequirement(StudyActivity.Read)));
        return builder;
    }
}
