using System.Globalization;
using System.Text.Json;

namespace ThreatLedger.Stix.Validation;

/// <summary>
/// Finds where a relative JSON path (<c>external_references[1].url</c>) starts inside an object's
/// source bytes. Only used when there is something to report, so valid documents pay nothing.
/// </summary>
internal static class JsonPathLocator
{
    /// <summary>Byte offset of the deepest token on the path; the object's start when nothing matches.</summary>
    public static long Locate(ReadOnlySpan<byte> source, long objectStart, long objectEnd, string relativePath)
    {
        if (objectStart < 0 || objectEnd <= objectStart || objectEnd > source.Length)
        {
            return objectStart;
        }

        var segments = Split(relativePath);
        var reader = new Utf8JsonReader(source[(int)objectStart..(int)objectEnd], JsonCopy.DeepReader);
        long best = objectStart;
        try
        {
            if (!reader.Read())
            {
                return best;
            }

            foreach (var segment in segments)
            {
                if (segment.Name is not null)
                {
                    if (reader.TokenType != JsonTokenType.StartObject || !FindProperty(ref reader, segment.Name))
                    {
                        return best;
                    }

                    best = objectStart + reader.TokenStartIndex;
                    reader.Read();
                }
                else
                {
                    if (reader.TokenType != JsonTokenType.StartArray || !FindIndex(ref reader, segment.Index))
                    {
                        return best;
                    }

                    best = objectStart + reader.TokenStartIndex;
                }
            }

            // Point at the value when the path ends on a property (its name was matched last).
            return segments.Count == 0 ? best : objectStart + reader.TokenStartIndex;
        }
        catch (JsonException)
        {
            return best;
        }
    }

    private static bool FindProperty(ref Utf8JsonReader reader, string name)
    {
        int depth = reader.CurrentDepth;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth)
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1)
            {
                if (reader.ValueTextEquals(name))
                {
                    return true;
                }

                reader.Read();
                reader.Skip();
            }
        }

        return false;
    }

    private static bool FindIndex(ref Utf8JsonReader reader, int index)
    {
        int depth = reader.CurrentDepth;
        int i = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == depth)
            {
                return false;
            }

            if (i == index)
            {
                return true;
            }

            reader.Skip();
            i++;
        }

        return false;
    }

    private readonly record struct Segment(string? Name, int Index);

    private static List<Segment> Split(string path)
    {
        var segments = new List<Segment>();
        int i = 0;
        while (i < path.Length)
        {
            char c = path[i];
            if (c == '.')
            {
                i++;
                continue;
            }

            if (c == '[')
            {
                int close = path.IndexOf(']', i);
                if (close < 0)
                {
                    break;
                }

                var inner = path.AsSpan(i + 1, close - i - 1);
                if (inner.Length >= 2 && inner[0] == '\'' && inner[^1] == '\'')
                {
                    segments.Add(new Segment(inner[1..^1].ToString(), -1));
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    segments.Add(new Segment(null, index));
                }

                i = close + 1;
                continue;
            }

            int end = i;
            while (end < path.Length && path[end] is not ('.' or '['))
            {
                end++;
            }

            segments.Add(new Segment(path[i..end], -1));
            i = end;
        }

        return segments;
    }
}
