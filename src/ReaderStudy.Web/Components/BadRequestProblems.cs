using Microsoft.AspNetCore.Diagnostics;

namespace ReaderStudy.Web.Components;

/// <summary>A request the server cannot read (a body over the limit, a broken form) is the caller's problem: its own status, a plain message, no trace.</summary>
public sealed class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Title = bad.StatusCode == 413 ? "Request too large" : "Unreadable request", Detail = bad.Message, Status = bad.StatusCode },
        });
    }
}
