using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace ReaderStudy.Web.Features.Pacs;

/// <summary>
/// Talks DICOMweb (PS3.18) to the configured PACS: QIDO-RS for studies and their series, WADO-RS for a series'
/// instances as multipart/related application/dicom. Every failure becomes a <see cref="PacsException"/> that names
/// the server and what went wrong (unreachable, too slow, credentials refused, an answer that is not DICOMweb).
/// </summary>
public sealed partial class DicomWebClient(HttpClient http, IOptions<PacsSettings> options)
{
    public const string HttpClientName = "pacs";

    private PacsSettings Settings => options.Value;
    private string Server => $"{Settings.Name} ({Settings.DicomWebUrl})";

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)*$")]
    private static partial Regex Uid();

    public static bool IsUid(string value) => value.Length is > 0 and <= 64 && Uid().IsMatch(value);

    /// <summary>Studies matching a patient ID or an accession number (QIDO wildcards * and ? allowed), each with its series.</summary>
    public async Task<IReadOnlyList<PacsStudy>> SearchAsync(string? patientId, string? accessionNumber, CancellationToken cancellationToken)
    {
        var query = new List<string> { "includefield=00081030", "limit=50" };
        if (!string.IsNullOrWhiteSpace(patientId))
        {
            query.Add("PatientID=" + Uri.EscapeDataString(patientId.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(accessionNumber))
        {
            query.Add("AccessionNumber=" + Uri.EscapeDataString(accessionNumber.Trim()));
        }
        if (query.Count == 2)
        {
            throw new PacsException("Give a patient ID or an accession number to search the PACS by.");
        }
        var studies = new List<PacsStudy>();
        foreach (var study in await QueryAsync("studies?" + string.Join('&', query), cancellationToken))
        {
            var uid = Text(study, "0020000D");
            if (!IsUid(uid))
            {
                continue;
            }
            var series = await QueryAsync($"studies/{uid}/series?includefield=0008103E&includefield=00201209", cancellationToken);
            studies.Add(new PacsStudy(uid, Text(study, "00100020"), Text(study, "00100010"), Text(study, "00080050"), Text(study, "00080020"), Text(study, "00081030"),
                [.. series.Select(s => new PacsSeries(Text(s, "0020000E"), Text(s, "00080060"), Text(s, "0008103E"), Number(s, "00200011"), Number(s, "00201209")))
                    .Where(s => IsUid(s.SeriesInstanceUid)).OrderBy(s => s.SeriesNumber ?? int.MaxValue)]));
        }
        return studies;
    }

    /// <summary>Writes every instance of a series into <paramref name="folder"/> (one file per part); refuses past <paramref name="maxBytes"/>.</summary>
    public async Task<IReadOnlyList<string>> RetrieveSeriesAsync(string studyUid, string seriesUid, string folder, long maxBytes, CancellationToken cancellationToken)
    {
        if (!IsUid(studyUid) || !IsUid(seriesUid))
        {
            throw new PacsException("Study and series are named by DICOM UIDs (digits and dots).");
        }
        using var request = Request($"studies/{studyUid}/series/{seriesUid}");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("multipart/related; type=\"application/dicom\""));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var boundary = response.Content.Headers.ContentType?.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
        if (response.Content.Headers.ContentType?.MediaType != "multipart/related" || string.IsNullOrEmpty(boundary))
        {
            throw new PacsException($"{Server} answered series {seriesUid} with {response.Content.Headers.ContentType?.ToString() ?? "no content type"}, not multipart/related DICOM.");
        }
        var files = new List<string>();
        long total = 0;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var reader = new MultipartReader(boundary, body);
            var buffer = new byte[1 << 16];
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                var path = Path.Combine(folder, $"{seriesUid}-{files.Count:D5}.dcm");
                files.Add(path);
                await using var file = File.Create(path);
                int read;
                while ((read = await section.Body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    // Counted as it arrives: a PACS (or whoever answers in its name) cannot fill the disk.
                    if ((total += read) > maxBytes)
                    {
                        throw new PacsException($"Series {seriesUid} on {Server} is larger than the portal's import limit ({maxBytes / 1048576} MiB); nothing of it was imported.");
                    }
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or HttpRequestException)
        {
            throw new PacsException($"{Server} broke off sending series {seriesUid} ({e.Message}); nothing of it was imported.");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PacsException($"{Server} did not finish sending series {seriesUid} within {Settings.TimeoutSeconds} s; nothing of it was imported.");
        }
        if (files.Count == 0)
        {
            throw new PacsException($"{Server} holds no instances of series {seriesUid}.");
        }
        return files;
    }

    private async Task<List<JsonElement>> QueryAsync(string relative, CancellationToken cancellationToken)
    {
        using var request = Request(relative);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return [];
        }
        try
        {
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
            return json.ValueKind == JsonValueKind.Array ? [.. json.EnumerateArray().Select(e => e.Clone())] : throw new JsonException("not an array");
        }
        catch (JsonException e)
        {
            throw new PacsException($"{Server} answered a search with something that is not DICOM JSON ({e.Message}).");
        }
    }

    private HttpRequestMessage Request(string relative)
    {
        if (!Settings.Configured)
        {
            throw new PacsException("No PACS is configured (Pacs:DicomWebUrl).");
        }
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(Settings.DicomWebUrl.TrimEnd('/') + "/"), relative));
        if (Settings.BearerToken.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Settings.BearerToken);
        }
        else if (Settings.UserName.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Settings.UserName}:{Settings.Password}")));
        }
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, cancellationToken);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PacsException($"{Server} did not answer within {Settings.TimeoutSeconds} s.");
        }
        catch (HttpRequestException e)
        {
            throw new PacsException($"{Server} cannot be reached: {e.Message}");
        }
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            response.Dispose();
            throw new PacsException($"{Server} refused the portal's credentials ({(int)response.StatusCode} {response.StatusCode}); check Pacs:UserName/Password or Pacs:BearerToken.");
        }
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new PacsException($"{Server} answered {(int)response.StatusCode} {response.ReasonPhrase} to {request.RequestUri!.PathAndQuery}.");
        }
        return response;
    }

    private static string Text(JsonElement item, string tag)
    {
        if (!item.TryGetProperty(tag, out var element) || !element.TryGetProperty("Value", out var values) || values.GetArrayLength() == 0)
        {
            return "";
        }
        var first = values[0];
        return first.ValueKind switch
        {
            JsonValueKind.String => first.GetString()!,
            JsonValueKind.Number => first.GetRawText(),
            JsonValueKind.Object when first.TryGetProperty("Alphabetic", out var name) => name.GetString() ?? "",
            _ => "",
        };
    }

    private static int? Number(JsonElement item, string tag) => int.TryParse(Text(item, tag), out var n) ? n : null;
}

public sealed record PacsStudy(string StudyInstanceUid, string PatientId, string PatientName, string AccessionNumber, string StudyDate, string Description,
    IReadOnlyList<PacsSeries> Series);

public sealed record PacsSeries(string SeriesInstanceUid, string Modality, string Description, int? SeriesNumber, int? Instances);

public sealed class PacsException(string message) : Exception(message);
