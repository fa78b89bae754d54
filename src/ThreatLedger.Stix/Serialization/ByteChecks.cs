using System.Text;
using System.Text.Json;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix.Serialization;

/// <summary>
/// Rules checked on the UTF-8 bytes of a value while reading, without decoding it into the model:
/// the common properties present in almost every object go through here.
/// </summary>
internal static class ByteChecks
{
    /// <summary>Longest text decoded on the stack for a check (ids are at most 250 + 2 + 36 characters).</summary>
    private const int StackChars = 320;

    /// <summary>A string token within the length bound whose escapes decode; reports and returns false otherwise.</summary>
    public static bool IsString(ref Utf8JsonReader reader, ValidationContext ctx, LazyPath path)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            ctx.AddAt(StixSeverity.Error, "property-type", path.ToString(), $"must be a string, not {StixProperty.Describe(reader.TokenType)}", reader.TokenStartIndex);
            reader.Skip();
            return false;
        }

        if (reader.ValueSpan.Length > ctx.Options.MaxStringLength)
        {
            ctx.AddAt(StixSeverity.Error, "limit-string-length", path.ToString(), $"string of {reader.ValueSpan.Length} bytes is longer than the limit of {ctx.Options.MaxStringLength} bytes", reader.TokenStartIndex);
            return false;
        }

        if (!SafeText.CanDecodeToken(ref reader))
        {
            ctx.AddAt(StixSeverity.Error, "invalid-text", path.ToString(), "is not valid Unicode text (a lone surrogate escape such as \\\\uD800); STIX requires I-JSON (RFC 7493)", reader.TokenStartIndex);
            return false;
        }

        return true;
    }

    /// <summary>Transcodes UTF-8 text into <paramref name="chars"/> when it fits, else into a new string.</summary>
    public static ReadOnlySpan<char> Chars(ReadOnlySpan<byte> utf8, Span<char> chars)
    {
        if (utf8.Length <= chars.Length)
        {
            int n = Encoding.UTF8.GetChars(utf8, chars);
            return chars[..n];
        }

        return Encoding.UTF8.GetString(utf8).AsSpan();
    }

    /// <summary>Only a–z, 0–9 and '-' (relationship types, kill chain names).</summary>
    public static bool IsLowerHyphenated(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return false;
        }

        foreach (byte b in utf8)
        {
            if (!((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An identifier reference: well formed and of a type the property accepts (checked on the UTF-8 bytes).</summary>
    public static void Reference(ref Utf8JsonReader reader, RefTarget target, LazyPath path, ValidationContext ctx)
    {
        if (reader.ValueIsEscaped)
        {
            string text = reader.GetString()!;
            int sepChars = StixId.FindSeparator(text.AsSpan());
            if (sepChars < 0)
            {
                ctx.AddAt(StixSeverity.Error, "ref-format", path.ToString(), $"'{ValueRules.Short(text)}' is not a STIX identifier (type--uuid)", reader.TokenStartIndex);
            }
            else if (!target.Allows(text.AsSpan(0, sepChars)))
            {
                ctx.AddAt(StixSeverity.Error, "ref-type", path.ToString(), $"must reference {target.Describe()}, not a '{text[..sepChars]}'", reader.TokenStartIndex);
            }

            return;
        }

        var id = reader.ValueSpan;

        // Documents repeat the same references (the creator, the markings): a value already found good
        // for this kind of reference in this document needs no second look.
        if (ctx.References.Seen(target, id))
        {
            return;
        }

        int sep = StixId.FindSeparator(id);
        if (sep < 0)
        {
            ctx.AddAt(StixSeverity.Error, "ref-format", path.ToString(), $"'{ValueRules.Short(Encoding.UTF8.GetString(id))}' is not a STIX identifier (type--uuid)", reader.TokenStartIndex);
            return;
        }

        if (!target.Allows(id[..sep]))
        {
            ctx.AddAt(StixSeverity.Error, "ref-type", path.ToString(), $"must reference {target.Describe()}, not a '{Encoding.UTF8.GetString(id[..sep])}'", reader.TokenStartIndex);
            return;
        }

        ctx.References.Remember(target, (int)reader.TokenStartIndex + 1, id.Length);
    }

    /// <summary>The object's own id: well formed, matching its type, and (SHOULD) the right UUID version.</summary>
    public static void Identifier(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        ReadOnlySpan<byte> id = reader.ValueSpan;
        byte[]? decoded = null;
        if (reader.ValueIsEscaped)
        {
            decoded = Encoding.UTF8.GetBytes(reader.GetString()!);
            id = decoded;
        }

        int sep = StixId.FindSeparator(id);
        if (sep < 0)
        {
            string text = Encoding.UTF8.GetString(id);
            ctx.AddAt(StixSeverity.Error, "id-format", "id", $"'{(text.Length <= 80 ? text : text[..77] + "...")}' is not a STIX identifier; use {target.Type}--<RFC 4122 UUID>, e.g. {target.Type}--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", reader.TokenStartIndex);
            return;
        }

        if (!AsciiEquals(id[..sep], target.Type))
        {
            ctx.AddAt(StixSeverity.Error, "id-type-mismatch", "id", $"the id's type part '{Encoding.UTF8.GetString(id[..sep])}' does not match the object type '{target.Type}'", reader.TokenStartIndex);
        }

        int version = id[sep + 2 + 14] - '0';
        var kind = target.Info.Kind;
        if (kind == StixObjectKind.CyberObservable)
        {
            if (version is not (4 or 5))
            {
                ctx.AddAt(StixSeverity.Warning, "uuid-version", "id", "SCO ids should use a version 5 UUID (or version 4 when no contributing properties are present)", reader.TokenStartIndex);
            }
        }
        else if (kind != StixObjectKind.Unknown && version != 4)
        {
            ctx.AddAt(StixSeverity.Warning, "uuid-version", "id", $"ids of {target.Type} objects should use a version 4 (random) UUID, not version {version}", reader.TokenStartIndex);
        }
    }

    private static bool AsciiEquals(ReadOnlySpan<byte> utf8, string text)
    {
        if (utf8.Length != text.Length)
        {
            return false;
        }

        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] != text[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A timestamp: RFC 3339 in UTC, and millisecond precision where required.</summary>
    public static void Timestamp(ref Utf8JsonReader reader, string path, bool requireMilliseconds, ValidationContext ctx, out bool valid, out StixTimestamp ts)
    {
        valid = reader.ValueIsEscaped
            ? StixTimestamp.TryParse(SafeText.TryGetString(ref reader), out ts)
            : StixTimestamp.TryParse(reader.ValueSpan, out ts);
        if (!valid)
        {
            string text = reader.ValueSpan.Length > 64 ? "(a long string)" : "'" + (SafeText.TryGetString(ref reader) ?? "(invalid text)") + "'";
            ctx.AddAt(StixSeverity.Error, "timestamp-format", path, $"{text} is not a STIX timestamp; use YYYY-MM-DDTHH:mm:ss[.s+]Z in UTC, e.g. 2021-07-19T00:00:00.000Z", reader.TokenStartIndex);
            return;
        }

        if (requireMilliseconds && ts.FractionDigits < 3)
        {
            ctx.AddAt(StixSeverity.Error, "timestamp-precision", path, $"'{ts}' must be precise to the millisecond (at least three fractional digits, e.g. .000Z)", reader.TokenStartIndex);
        }
    }
}
