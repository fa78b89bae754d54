using System.Text;
using System.Text.Json;

namespace ThreatLedger.Stix;

/// <summary>
/// A JSON value kept as the UTF-8 text it was read from: custom properties, extensions, dictionaries
/// and other open content round-trip through it verbatim (numbers keep their exact text).
/// </summary>
public sealed class JsonRaw : IEquatable<JsonRaw>
{
    private readonly ReadOnlyMemory<byte> _utf8;

    private JsonRaw(ReadOnlyMemory<byte> utf8, JsonValueKind kind)
    {
        _utf8 = utf8;
        ValueKind = kind;
    }

    /// <summary>The JSON text, UTF-8.</summary>
    public ReadOnlyMemory<byte> Utf8 => _utf8;

    /// <summary>The kind of the value (object, array, string, number, true, false, null).</summary>
    public JsonValueKind ValueKind { get; }

    /// <summary>Parses and keeps a JSON value.</summary>
    /// <exception cref="JsonException">The text is not one JSON value.</exception>
    public static JsonRaw Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, JsonCopy.DeepReader);
        reader.Read();
        return Read(ref reader, bytes.AsMemory());
    }

    /// <summary>Keeps the given UTF-8 JSON text as it is (the caller vouches that it is one JSON value).</summary>
    internal static JsonRaw FromUtf8(ReadOnlyMemory<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8.Span, JsonCopy.DeepReader);
        reader.Read();
        return Read(ref reader, utf8);
    }

    /// <summary>Wraps a string value.</summary>
    public static JsonRaw FromString(string value) => FromElement(JsonSerializerValue(value));

    /// <summary>Wraps any element (copied).</summary>
    public static JsonRaw FromElement(JsonElement element) =>
        new(Encoding.UTF8.GetBytes(element.GetRawText()), element.ValueKind);

    private static JsonElement JsonSerializerValue(string value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStringValue(value);
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory, JsonCopy.DeepDocument);
        return doc.RootElement.Clone();
    }

    /// <summary>
    /// Reads the value at the reader's current token and copies its text out of <paramref name="source"/>,
    /// which must be the buffer the reader runs over.
    /// </summary>
    internal static JsonRaw Read(ref Utf8JsonReader reader, ReadOnlyMemory<byte> source)
    {
        var kind = reader.TokenType switch
        {
            JsonTokenType.StartObject => JsonValueKind.Object,
            JsonTokenType.StartArray => JsonValueKind.Array,
            JsonTokenType.String => JsonValueKind.String,
            JsonTokenType.Number => JsonValueKind.Number,
            JsonTokenType.True => JsonValueKind.True,
            JsonTokenType.False => JsonValueKind.False,
            _ => JsonValueKind.Null,
        };
        long start = reader.TokenStartIndex;
        reader.Skip();
        long end = reader.BytesConsumed;
        return new JsonRaw(source[(int)start..(int)end], kind);
    }

    /// <summary>The value as a <see cref="JsonElement"/> (a new parse; for inspection, not hot paths).</summary>
    public JsonElement ToElement()
    {
        using var doc = JsonDocument.Parse(_utf8, JsonCopy.DeepDocument);
        return doc.RootElement.Clone();
    }

    /// <summary>The string value when <see cref="ValueKind"/> is String, else null.</summary>
    public string? GetString()
    {
        if (ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var reader = new Utf8JsonReader(_utf8.Span, JsonCopy.DeepReader);
        reader.Read();
        return reader.GetString();
    }

    /// <summary>Writes the value re-emitting tokens, so indentation follows the writer and numbers keep their text.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var reader = new Utf8JsonReader(_utf8.Span, JsonCopy.DeepReader);
        JsonCopy.CopyValue(ref reader, writer);
    }

    /// <summary>The JSON text.</summary>
    public override string ToString() => Encoding.UTF8.GetString(_utf8.Span);

    /// <summary>Semantic equality: same JSON value (member order ignored, number text compared exactly).</summary>
    public bool Equals(JsonRaw? other)
    {
        if (other is null)
        {
            return false;
        }

        if (_utf8.Span.SequenceEqual(other._utf8.Span))
        {
            return true;
        }

        using var a = JsonDocument.Parse(_utf8, JsonCopy.DeepDocument);
        using var b = JsonDocument.Parse(other._utf8, JsonCopy.DeepDocument);
        return JsonCopy.DeepEquals(a.RootElement, b.RootElement);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is JsonRaw other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)ValueKind;
}
