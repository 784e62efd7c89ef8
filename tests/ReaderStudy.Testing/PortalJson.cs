using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReaderStudy.Testing;

/// <summary>The portal API's JSON conventions (web defaults, enums as names), for reading its answers in tests.</summary>
public static class PortalJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
