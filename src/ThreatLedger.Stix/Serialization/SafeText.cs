using System.Text.Json;

namespace ThreatLedger.Stix.Serialization;

/// <summary>
/// Reading string tokens that may hold escapes the reader accepts but cannot decode (lone UTF-16
/// surrogates such as \uD800): those are not I-JSON (RFC 7493) and become findings, not exceptions.
/// </summary>
internal static class SafeText
{
    /// <summary>The unescaped string, or null when the token cannot be decoded.</summary>
    public static string? TryGetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>True when every escaped string and property name in the value at the reader decodes; the reader is not moved.</summary>
    public static bool CanDecode(ReadOnlySpan<byte> valueUtf8)
    {
        if (valueUtf8.IndexOf("\\u"u8) < 0)
        {
            return true;
        }

        var reader = new Utf8JsonReader(valueUtf8, JsonCopy.DeepReader);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    reader.GetString();
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException)
        {
            return false;
        }
    }
}
