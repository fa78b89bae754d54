using System.Text;
using System.Text.Json;

namespace ThreatLedger.Stix;

/// <summary>
/// A string property value that is either a .NET string (set in code) or a slice of the JSON document
/// it was read from, decoded only when asked for. Reading a large bundle therefore does not copy or
/// transcode text nobody looks at; the slice keeps the document's buffer alive.
/// </summary>
internal readonly struct Utf8Text
{
    private readonly ReadOnlyMemory<byte> _token;
    private readonly string? _value;
    private readonly bool _escaped;

    private Utf8Text(ReadOnlyMemory<byte> token, bool escaped)
    {
        _token = token;
        _escaped = escaped;
        _value = null;
    }

    private Utf8Text(string? value)
    {
        _value = value;
        _token = default;
        _escaped = false;
    }

    public bool HasValue => _value is not null || !_token.IsEmpty;

    /// <summary>Wraps a string (null means absent).</summary>
    public static Utf8Text From(string? value) => new(value);

    /// <summary>Keeps the string token at the reader (quotes included) as a slice of <paramref name="source"/>.</summary>
    public static Utf8Text FromToken(ref Utf8JsonReader reader, ReadOnlyMemory<byte> source)
    {
        int start = (int)reader.TokenStartIndex;
        int end = (int)reader.BytesConsumed;
        return new Utf8Text(source[start..end], reader.ValueIsEscaped);
    }

    /// <summary>The UTF-8 content without quotes, when it needs no unescaping.</summary>
    public bool TryGetUnescapedUtf8(out ReadOnlySpan<byte> utf8)
    {
        if (_value is null && !_escaped && !_token.IsEmpty)
        {
            utf8 = _token.Span[1..^1];
            return true;
        }

        utf8 = default;
        return false;
    }

    public override string? ToString()
    {
        if (_value is not null || _token.IsEmpty)
        {
            return _value;
        }

        if (!_escaped)
        {
            return Encoding.UTF8.GetString(_token.Span[1..^1]);
        }

        var reader = new Utf8JsonReader(_token.Span);
        reader.Read();
        return reader.GetString();
    }

    public void Write(Utf8JsonWriter writer, JsonEncodedText name)
    {
        if (TryGetUnescapedUtf8(out var utf8))
        {
            writer.WriteString(name, utf8);
        }
        else if (_escaped && !CanDecode)
        {
            // Keep text the reader flagged (a lone surrogate escape) exactly as it was written.
            writer.WritePropertyName(name);
            writer.WriteRawValue(_token.Span, skipInputValidation: true);
        }
        else
        {
            writer.WriteString(name, ToString());
        }
    }

    /// <summary>False for an escaped token that does not decode to valid UTF-16 (a lone surrogate).</summary>
    public bool CanDecode => !_escaped || Serialization.SafeText.CanDecode(_token.Span);
}
