using System.Collections;
using System.Text;
using System.Text.Json;

namespace ReaderStudy.Cli.Stats;

/// <summary>
/// Writes an analysis's result (keys to numbers, text, flags and lists of such) as indented JSON with
/// Utf8JsonWriter: no reflection, so the command compiles ahead of time and starts without serializer set-up.
/// </summary>
internal static class StatsJson
{
    public static string Write(object result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            Value(writer, result);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Value(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case IDictionary<string, object?> fields:
                writer.WriteStartObject();
                foreach (var (key, field) in fields)
                {
                    writer.WritePropertyName(key);
                    Value(writer, field);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Value(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"stats output: no JSON form for {value.GetType().Name}.");
        }
    }
}
