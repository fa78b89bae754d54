using System.Buffers;
using System.Text.Json;

namespace ThreatLedger.Stix;

/// <summary>Token-level JSON helpers shared by the reader and writer.</summary>
internal static class JsonCopy
{
    /// <summary>Re-parsing values already bounded by the reader's depth limit: do not impose a second, lower one.</summary>
    public static readonly JsonDocumentOptions DeepDocument = new() { MaxDepth = 4096 };

    /// <summary>The same for readers over values already read once.</summary>
    public static readonly JsonReaderOptions DeepReader = new() { MaxDepth = 4096 };

    /// <summary>Copies the value at (or after) the reader's position to the writer, token by token.</summary>
    public static void CopyValue(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        if (reader.TokenType == JsonTokenType.None)
        {
            reader.Read();
        }

        int depth = reader.CurrentDepth;
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    writer.WriteStartObject();
                    break;
                case JsonTokenType.EndObject:
                    writer.WriteEndObject();
                    break;
                case JsonTokenType.StartArray:
                    writer.WriteStartArray();
                    break;
                case JsonTokenType.EndArray:
                    writer.WriteEndArray();
                    break;
                case JsonTokenType.PropertyName:
                    WriteName(ref reader, writer);
                    break;
                case JsonTokenType.String:
                    WriteString(ref reader, writer);
                    break;
                case JsonTokenType.Number:
                    writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                    break;
                case JsonTokenType.True:
                    writer.WriteBooleanValue(true);
                    break;
                case JsonTokenType.False:
                    writer.WriteBooleanValue(false);
                    break;
                case JsonTokenType.Null:
                    writer.WriteNullValue();
                    break;
                default:
                    break;
            }

            if (reader.CurrentDepth == depth && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName))
            {
                return;
            }
        }
        while (reader.Read());
    }

    /// <summary>Writes the name (or string) at the reader as a property name.</summary>
    public static void WriteName(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        if (!reader.ValueIsEscaped)
        {
            writer.WritePropertyName(reader.ValueSpan);
            return;
        }

        writer.WritePropertyName(Serialization.SafeText.TryGetString(ref reader) ?? System.Text.Encoding.UTF8.GetString(reader.ValueSpan));
    }

    private static void WriteString(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        if (!reader.ValueIsEscaped)
        {
            writer.WriteStringValue(reader.ValueSpan);
            return;
        }

        int max = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            int n = reader.CopyString(rented);
            writer.WriteStringValue(rented.AsSpan(0, n));
        }
        catch (InvalidOperationException)
        {
            // An escape that does not decode (a lone surrogate) was reported when read; keep it as written.
            byte[] raw = new byte[reader.ValueSpan.Length + 2];
            raw[0] = (byte)'"';
            reader.ValueSpan.CopyTo(raw.AsSpan(1));
            raw[^1] = (byte)'"';
            writer.WriteRawValue(raw, skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Structural equality of two JSON values; numbers compare by their text, object members by name.</summary>
    public static bool DeepEquals(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                int countA = 0;
                foreach (var p in a.EnumerateObject())
                {
                    countA++;
                    if (!b.TryGetProperty(p.Name, out var other) || !DeepEquals(p.Value, other))
                    {
                        return false;
                    }
                }

                int countB = 0;
                foreach (var unused in b.EnumerateObject())
                {
                    countB++;
                }

                return countA == countB;
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength())
                {
                    return false;
                }

                using (var ea = a.EnumerateArray().GetEnumerator())
                using (var eb = b.EnumerateArray().GetEnumerator())
                {
                    while (ea.MoveNext() && eb.MoveNext())
                    {
                        if (!DeepEquals(ea.Current, eb.Current))
                        {
                            return false;
                        }
                    }
                }

                return true;
            case JsonValueKind.String:
                return string.Equals(a.GetString(), b.GetString(), StringComparison.Ordinal);
            case JsonValueKind.Number:
                return a.GetRawText() == b.GetRawText();
            default:
                return true;
        }
    }
}
