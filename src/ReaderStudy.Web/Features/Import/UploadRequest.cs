namespace ReaderStudy.Web.Features.Import;

/// <summary>The checks every multipart upload endpoint makes before reading a byte of the body.</summary>
public static class UploadRequest
{
    /// <summary>A problem response when the upload is over the limit or not multipart; null when it may be read.</summary>
    public static IResult? Refusal(HttpRequest request, long maxBytes, string what)
    {
        if (request.ContentLength > maxBytes)
        {
            return Results.Problem(statusCode: 413, title: "Upload too large",
                detail: $"The upload is {request.ContentLength / (1 << 20)} MiB; the limit is {maxBytes / (1 << 20)} MiB (Import:MaxUploadBytes).");
        }
        return request.HasFormContentType ? null
            : Results.Problem(statusCode: 400, title: "Not a file upload", detail: $"Send {what} as multipart/form-data.");
    }
}
