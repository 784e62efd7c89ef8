using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReaderStudy.Cli;

/// <summary>How the commands print JSON: indented, snake_case keys, enums as kebab-case names, text unescaped.</summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };
}
