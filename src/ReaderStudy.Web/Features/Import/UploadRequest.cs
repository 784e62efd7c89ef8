namespace ReaderStudy.Web.Features.Import;

/// <summary>The checks every multipart upload endpoint makes before reading a byte of the body.</summary>
public static class UploadRequest
{
    /// <summary>A problem response when the upload is over the limit or not multipart; null when it may be read.</summary>
    public static IResult? Refusal(HttpRequest request, long maxBytes, string what)
    {
        // One limit for every way in: Kestrel's own (30 MB by default) would otherwise end the upload with a 500.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxBytes;
        }
        if (request.ContentLength > maxBytes)
        {
            return Results.Problem(statusCode: 413, title: "Upload too large",
                detail: $"The upload is {request.ContentLength / (1 << 20)} MiB; the limit is {maxBytes / (1 << 20)} MiB (Import:MaxUploadBytes).");
        }
        return request.HasFormContentType ? null
            : Results.Problem(statusCode: 400, title: "Not a file upload", detail: $"Send {what} as multipart/form-data.");
    }
}
