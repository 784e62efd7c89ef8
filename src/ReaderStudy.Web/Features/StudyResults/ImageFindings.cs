using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReaderStudy.Web.Features.StudyResults;

/// <summary>What a study's results take from its images rather than from its answers.</summary>
public sealed record ImageFindings(IReadOnlyList<RegionalT2Row> Regional, IReadOnlyList<RegionalT2Row> SliceMeans, IReadOnlyList<PairSimilarity> Similarity)
{
    // A PSNR of identical maps is infinite; the kept findings must say so as they were computed.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ImageFindings FromJson(string json) => JsonSerializer.Deserialize<ImageFindings>(json, Json)
        ?? throw new InvalidOperationException("The kept image findings are empty.");
}
