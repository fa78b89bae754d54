using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace ThreatLedger.Stix.Identifiers;

/// <summary>
/// Serializes JSON according to the JSON Canonicalization Scheme (JCS, RFC 8785), the
/// serialization that STIX 2.1 (section 2.9) hashes to derive deterministic SCO identifiers.
/// </summary>
/// <remarks>
/// <para>
/// The output is UTF-8 without whitespace. Object members are sorted by the UTF-16 code units
/// of their (unescaped) names; strings are escaped minimally (<c>"</c>, <c>\</c> and the C0
/// control characters, using <c>\b \t \n \f \r</c> where they exist and <c>\u00xx</c> with
/// lower-case hex otherwise); numbers are written as ECMAScript's
/// <c>Number.prototype.toString</c> writes an IEEE-754 double; <c>true</c>, <c>false</c> and
/// <c>null</c> are written as they are.
/// </para>
/// <para>
/// Input that is not I-JSON (RFC 7493) is rejected with an <see cref="ArgumentException"/>:
/// malformed JSON, duplicate member names, strings holding lone surrogates, and numbers that
/// do not fit a finite double.
/// </para>
/// </remarks>
public static class JsonCanonicalizer
{
    private const int MaxDepth = 256;

    // Longest ECMAScript number form: "-0.00000" + 17 digits = 25 chars; "R" output is at most 24.
    private const int MaxNumberChars = 32;

    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
    };

    /// <summary>
    /// Parses <paramref name="utf8Json"/> and returns its RFC 8785 canonical form as UTF-8 bytes.
    /// </summary>
    /// <param name="utf8Json">One JSON text (RFC 8259) encoded as UTF-8.</param>
    /// <returns>The canonical serialization, UTF-8 encoded, without a byte-order mark.</returns>
    /// <exception cref="ArgumentException">
    /// The input is not valid JSON, holds duplicate member names or lone surrogates, or holds a
    /// number outside the range of a finite double.
    /// </exception>
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions
        {
            AllowTrailingCommas = false,
            CommentHandling = JsonCommentHandling.Disallow,
            MaxDepth = MaxDepth,
        });

        JsonDocument document;
        try
        {
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Invalid JSON: {ex.Message}", nameof(utf8Json), ex);
        }

        using (document)
        {
            // ParseValue stops after the first value; anything but whitespace after it is an error.
            try
            {
                if (reader.Read())
                {
                    throw new ArgumentException(
                        $"Invalid JSON: unexpected data after the end of the JSON value at byte {reader.TokenStartIndex}.",
                        nameof(utf8Json));
                }
            }
            catch (JsonException ex)
            {
                throw new ArgumentException(
                    $"Invalid JSON: unexpected data after the end of the JSON value: {ex.Message}",
                    nameof(utf8Json),
                    ex);
            }

            var output = new ArrayBufferWriter<byte>(Math.Max(16, utf8Json.Length));
            WriteValue(document.RootElement, output, nameof(utf8Json));
            return output.WrittenSpan.ToArray();
        }
    }

    /// <summary>
    /// Writes the RFC 8785 canonical form of <paramref name="element"/> to <paramref name="output"/>
    /// as UTF-8.
    /// </summary>
    /// <param name="element">The JSON value to canonicalize.</param>
    /// <param name="output">The writer that receives the UTF-8 bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="element"/> is undefined (<c>default</c>), or holds duplicate member names,
    /// lone surrogates, or a number outside the range of a finite double. Nothing is guaranteed
    /// about what was already written to <paramref name="output"/> when this is thrown.
    /// </exception>
    public static void Canonicalize(JsonElement element, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteValue(element, output, nameof(element));
    }

    private static void WriteValue(JsonElement element, IBufferWriter<byte> output, string paramName)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(element, output, paramName);
                break;
            case JsonValueKind.Array:
                WriteArray(element, output, paramName);
                break;
            case JsonValueKind.String:
                WriteString(GetString(element, paramName), output, paramName);
                break;
            case JsonValueKind.Number:
                WriteNumber(element, output, paramName);
                break;
            case JsonValueKind.True:
                output.Write("true"u8);
                break;
            case JsonValueKind.False:
                output.Write("false"u8);
                break;
            case JsonValueKind.Null:
                output.Write("null"u8);
                break;
            default:
                throw new ArgumentException("The JSON element is undefined (default JsonElement).", paramName);
        }
    }

    private static void WriteObject(JsonElement element, IBufferWriter<byte> output, string paramName)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();

        var members = new List<KeyValuePair<string, JsonElement>>();
        foreach (var property in element.EnumerateObject())
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException ex)
            {
                throw new ArgumentException($"Invalid JSON: a member name is not valid UTF-16 text: {ex.Message}", paramName, ex);
            }

            members.Add(new KeyValuePair<string, JsonElement>(name, property.Value));
        }

        // string.CompareOrdinal compares UTF-16 code units, which is what RFC 8785 section 3.2.3 requires.
        members.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));

        output.Write("{"u8);
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                if (string.Equals(members[i - 1].Key, members[i].Key, StringComparison.Ordinal))
                {
                    throw new ArgumentException(
                        $"Invalid I-JSON: duplicate member name \"{members[i].Key}\" in an object.",
                        paramName);
                }

                output.Write(","u8);
            }

            WriteString(members[i].Key, output, paramName);
            output.Write(":"u8);
            WriteValue(members[i].Value, output, paramName);
        }

        output.Write("}"u8);
    }

    private static void WriteArray(JsonElement element, IBufferWriter<byte> output, string paramName)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();

        output.Write("["u8);
        var first = true;
        foreach (var item in element.EnumerateArray())
        {
            if (!first)
            {
                output.Write(","u8);
            }

            first = false;
            WriteValue(item, output, paramName);
        }

        output.Write("]"u8);
    }

    private static string GetString(JsonElement element, string paramName)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException($"Invalid JSON: a string is not valid UTF-16 text: {ex.Message}", paramName, ex);
        }
    }

    private static void WriteString(string value, IBufferWriter<byte> output, string paramName)
    {
        output.Write("\""u8);

        var runStart = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\')
            {
                if (char.IsSurrogate(c))
                {
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        i++;
                        continue;
                    }

                    throw new ArgumentException(
                        $"Invalid I-JSON: lone surrogate U+{(int)c:X4} in a string.",
                        paramName);
                }

                continue;
            }

            WriteUtf8(value.AsSpan(runStart, i - runStart), output);
            runStart = i + 1;

            switch (c)
            {
                case '"':
                    output.Write("\\\""u8);
                    break;
                case '\\':
                    output.Write("\\\\"u8);
                    break;
                case '\b':
                    output.Write("\\b"u8);
                    break;
                case '\f':
                    output.Write("\\f"u8);
                    break;
                case '\n':
                    output.Write("\\n"u8);
                    break;
                case '\r':
                    output.Write("\\r"u8);
                    break;
                case '\t':
                    output.Write("\\t"u8);
                    break;
                default:
                    var escape = output.GetSpan(6);
                    "\\u00"u8.CopyTo(escape);
                    escape[4] = HexDigitLower(c >> 4);
                    escape[5] = HexDigitLower(c & 0xF);
                    output.Advance(6);
                    break;
            }
        }

        WriteUtf8(value.AsSpan(runStart), output);
        output.Write("\""u8);
    }

    private static byte HexDigitLower(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private static void WriteUtf8(ReadOnlySpan<char> text, IBufferWriter<byte> output)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var byteCount = Encoding.UTF8.GetByteCount(text);
        var destination = output.GetSpan(byteCount);
        var written = Encoding.UTF8.GetBytes(text, destination);
        output.Advance(written);
    }

    private static void WriteNumber(JsonElement element, IBufferWriter<byte> output, string paramName)
    {
        var raw = element.GetRawText();
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new ArgumentException(
                $"Invalid I-JSON: the number {raw} is outside the range of an IEEE-754 double.",
                paramName);
        }

        Span<char> chars = stackalloc char[MaxNumberChars];
        var length = FormatNumber(value, chars);
        var destination = output.GetSpan(length);
        for (var i = 0; i < length; i++)
        {
            destination[i] = (byte)chars[i];
        }

        output.Advance(length);
    }

    /// <summary>
    /// Formats a finite double as ECMAScript's <c>Number::toString</c> (ECMA-262, 6.1.6.1.20) does,
    /// which is what RFC 8785 section 3.2.2.3 prescribes.
    /// </summary>
    /// <param name="value">A finite double.</param>
    /// <returns>The ECMAScript string form.</returns>
    internal static string FormatNumber(double value)
    {
        Span<char> chars = stackalloc char[MaxNumberChars];
        var length = FormatNumber(value, chars);
        return new string(chars[..length]);
    }

    private static int FormatNumber(double value, Span<char> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "NaN and infinities have no JSON form.");
        }

        if (value == 0)
        {
            // Covers -0 as well: ECMAScript writes both as "0".
            destination[0] = '0';
            return 1;
        }

        // "R" yields the shortest digit string that round-trips (the "k as small as possible"
        // requirement of ECMA-262); "E16" would give 17 digits, too many. Reformat it
        // into digits + exponent, then apply the ECMAScript layout rules.
        Span<char> roundTrip = stackalloc char[MaxNumberChars];
        if (!Math.Abs(value).TryFormat(roundTrip, out var rtLength, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("Could not format a double.");
        }

        roundTrip = roundTrip[..rtLength];

        // Split into mantissa and exponent parts.
        var exponent = 0;
        var ePos = roundTrip.IndexOfAny('E', 'e');
        ReadOnlySpan<char> mantissa = roundTrip;
        if (ePos >= 0)
        {
            exponent = int.Parse(roundTrip[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = roundTrip[..ePos];
        }

        // Collect significant digits s (k of them) and n, with value = s * 10^(n - k).
        Span<char> digits = stackalloc char[MaxNumberChars];
        var k = 0;
        var pointPos = -1;
        for (var i = 0; i < mantissa.Length; i++)
        {
            var c = mantissa[i];
            if (c == '.')
            {
                pointPos = k;
                continue;
            }

            digits[k++] = c;
        }

        var integerDigits = pointPos >= 0 ? pointPos : k;

        // Strip leading zeros (e.g. "0.001"), adjusting the count of integer digits.
        var lead = 0;
        while (lead < k - 1 && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..k];
        k -= lead;
        integerDigits -= lead;

        // Strip trailing zeros (e.g. "100"): they are not significant.
        while (k > 1 && digits[k - 1] == '0')
        {
            k--;
        }

        digits = digits[..k];
        var n = integerDigits + exponent;

        var pos = 0;
        if (value < 0)
        {
            destination[pos++] = '-';
        }

        if (k <= n && n <= 21)
        {
            // Integer: the digits followed by n - k zeros.
            digits.CopyTo(destination[pos..]);
            pos += k;
            destination.Slice(pos, n - k).Fill('0');
            pos += n - k;
        }
        else if (0 < n && n <= 21)
        {
            // Decimal point inside the digits.
            digits[..n].CopyTo(destination[pos..]);
            pos += n;
            destination[pos++] = '.';
            digits[n..].CopyTo(destination[pos..]);
            pos += k - n;
        }
        else if (-6 < n && n <= 0)
        {
            // "0." then -n zeros then the digits.
            destination[pos++] = '0';
            destination[pos++] = '.';
            destination.Slice(pos, -n).Fill('0');
            pos += -n;
            digits.CopyTo(destination[pos..]);
            pos += k;
        }
        else
        {
            // Exponential: d[.ddd]e±x with x = n - 1.
            destination[pos++] = digits[0];
            if (k > 1)
            {
                destination[pos++] = '.';
                digits[1..].CopyTo(destination[pos..]);
                pos += k - 1;
            }

            destination[pos++] = 'e';
            var e = n - 1;
            destination[pos++] = e < 0 ? '-' : '+';
            if (!Math.Abs(e).TryFormat(destination[pos..], out var eLength, default, CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("Could not format an exponent.");
            }

            pos += eLength;
        }

        return pos;
    }
}
