using Microsoft.AspNetCore.Diagnostics;

namespace ReaderStudy.Web.Features.Studies;

/// <summary>Turns a broken study rule into a 400 problem whose detail is the rule's message.</summary>
public sealed class StudyRuleProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not StudyRuleException rule)
        {
            return false;
        }
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Title = "The request breaks a study rule.", Detail = rule.Message, Status = 400 },
        });
    }
}
