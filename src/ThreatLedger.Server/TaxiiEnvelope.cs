using System.Globalization;
using System.Text;
using System.Text.Json;
using ThreatLedger.Stix;

namespace ThreatLedger.Server;

/// <summary>
/// Checks that a POSTed body is a TAXII 2.1 envelope (section 3.7) before it is accepted: well-formed JSON
/// whose root is an object with an <c>objects</c> array (once), <c>more</c> a boolean and <c>next</c> a
/// string when present, and no <c>type</c> (a STIX bundle or object is not an envelope). The entries of
/// <c>objects</c> are not judged here: each is accepted or refused on its own in the status resource.
/// </summary>
internal static class TaxiiEnvelope
{
    /// <summary>
    /// The number of entries in the envelope's <c>objects</c> array; or false, with what is wrong in
    /// <paramref name="problem"/> as <c>JSONPATH: reason</c> (with the line and byte for malformed JSON).
    /// </summary>
    /// <param name="body">The request body, UTF-8 (a byte order mark is skipped).</param>
    /// <param name="options">The reader's bounds (nesting depth, number of objects) the import will apply.</param>
    /// <param name="count">The entries in <c>objects</c>, good or bad.</param>
    /// <param name="problem">Why the body is not an envelope.</param>
    public static bool TryCount(ReadOnlySpan<byte> body, StixReaderOptions options, out int count, out string problem)
    {
        count = 0;
        problem = string.Empty;
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            body = body[3..];
        }

        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            problem = "$: the body is empty; POST an envelope, {\"objects\": [...]}";
            return false;
        }

        // Where the reader is, for the path of an error: one frame per open object or array.
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = options.MaxDepth });
        var member = Member.Other;
        bool sawObjects = false;
        try
        {
            while (reader.Read())
            {
                var token = reader.TokenType;
                if (token == JsonTokenType.PropertyName)
                {
                    frames[^1] = frames[^1] with { NameStart = (int)reader.TokenStartIndex + 1, NameLength = reader.ValueSpan.Length };
                    if (frames.Count == 1)
                    {
                        member = reader.ValueTextEquals("objects"u8) ? Member.Objects
                            : reader.ValueTextEquals("more"u8) ? Member.More
                            : reader.ValueTextEquals("next"u8) ? Member.Next
                            : reader.ValueTextEquals("type"u8) ? Member.Type
                            : Member.Other;
                    }

                    continue;
                }

                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    frames.RemoveAt(frames.Count - 1);
                    continue;
                }

                // A value starts: in an array it is the next entry.
                if (frames.Count > 0 && frames[^1].IsArray)
                {
                    frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
                }

                string? wrong = frames.Count switch
                {
                    0 when token != JsonTokenType.StartObject => $"$: a TAXII envelope is a JSON object, {{\"objects\": [...]}}, not {StixJson.DescribeToken(token)}",
                    1 when member == Member.Objects && sawObjects => "$.objects: appears twice; send one objects array",
                    1 when member == Member.Objects && token != JsonTokenType.StartArray => $"$.objects: must be an array of STIX objects, not {StixJson.DescribeToken(token)}",
                    1 when member == Member.More && token is not (JsonTokenType.True or JsonTokenType.False) => $"$.more: must be true or false, not {StixJson.DescribeToken(token)}",
                    1 when member == Member.Next && token != JsonTokenType.String => $"$.next: must be a string, not {StixJson.DescribeToken(token)}",
                    1 when member == Member.Type => "$.type: a TAXII envelope has no type; this looks like a STIX bundle or object: POST its objects as {\"objects\": [...]}",
                    _ => null,
                };
                if (wrong is not null)
                {
                    problem = wrong;
                    return false;
                }

                sawObjects |= frames.Count == 1 && member == Member.Objects;
                if (frames.Count == 2 && member == Member.Objects && frames[1].IsArray && ++count > options.MaxObjects)
                {
                    problem = $"$.objects: more than {options.MaxObjects} objects; send them in several envelopes";
                    return false;
                }

                if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    frames.Add(new Frame(token == JsonTokenType.StartArray, -1, 0, 0));
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Only a property name of the envelope itself is decoded here (to compare it).
            problem = $"{Path(body, frames)}: a property name is not valid Unicode text (e.g. a lone surrogate escape such as \\uD800); TAXII requires I-JSON (RFC 7493)";
            return false;
        }
        catch (JsonException ex)
        {
            string reason = ex.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? $"JSON nesting is deeper than the limit of {options.MaxDepth} levels"
                : Trim(ex.Message);
            problem = string.Create(CultureInfo.InvariantCulture, $"{Path(body, frames)}: malformed JSON: {reason} (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})");
            return false;
        }

        if (!sawObjects)
        {
            problem = "$: required property 'objects' is missing; POST {\"objects\": [...]}";
            return false;
        }

        return true;
    }

    private enum Member
    {
        Other,
        Objects,
        More,
        Next,
        Type,
    }

    /// <summary>An open object (with the name last read, as a slice of the body) or array (with the entry last started).</summary>
    private readonly record struct Frame(bool IsArray, int Index, int NameStart, int NameLength);

    private static string Path(ReadOnlySpan<byte> body, List<Frame> frames)
    {
        var sb = new StringBuilder("$");
        foreach (var f in frames)
        {
            if (f.IsArray && f.Index >= 0)
            {
                sb.Append('[').Append(f.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else if (!f.IsArray && f.NameLength > 0)
            {
                // The name as sent (escapes and all), cut short: it is the sender's text, not ours.
                var name = body.Slice(f.NameStart, f.NameLength);
                sb.Append('.').Append(Encoding.UTF8.GetString(name[..Math.Min(name.Length, 64)])).Append(name.Length > 64 ? "…" : string.Empty);
            }
        }

        return sb.ToString();
    }

    // The reader's message without its own position (given in the caller's form instead) or its advice to
    // the programmer ("Change the reader options"), which means nothing to the sender.
    private static string Trim(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        string text = cut > 0 ? message[..cut] : message;
        int advice = text.IndexOf(" Change the reader options", StringComparison.Ordinal);
        return (advice > 0 ? text[..advice] : text).TrimEnd('.');
    }
}
