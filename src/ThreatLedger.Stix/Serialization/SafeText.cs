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

    /// <summary>
    /// True when the escaped string token at the reader decodes, checked without making a string: only
    /// \u escapes can fail (a lone surrogate), so text without them needs no work.
    /// </summary>
    public static bool CanDecodeToken(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped || reader.ValueSpan.IndexOf("\\u"u8) < 0)
        {
            return true;
        }

        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            reader.CopyString(rented);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
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
