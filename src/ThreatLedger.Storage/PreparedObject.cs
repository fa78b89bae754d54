using System.Text.Json;
using ThreatLedger.Stix;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Storage;

/// <summary>One graph edge, as stored for the latest version of its owner.</summary>
/// <param name="Source">The node the edge leaves.</param>
/// <param name="Target">The node the edge reaches.</param>
/// <param name="Kind">The relationship type, <c>sighting</c>, or the reference property name.</param>
/// <param name="Via">The relationship or sighting id, or null for an embedded reference.</param>
public sealed record EdgeSpec(string Source, string Target, string Kind, string? Via);

/// <summary>The folded text a search looks in, by weight.</summary>
/// <param name="DisplayName">The name as written, for results.</param>
/// <param name="Name">Folded name (or the observable's value).</param>
/// <param name="Aliases">Folded aliases, one per line.</param>
/// <param name="Keys">Folded external ids, labels and hashes, one per line.</param>
/// <param name="Body">Folded description and other free text.</param>
public sealed record SearchFields(string? DisplayName, string Name, string Aliases, string Keys, string Body);

/// <summary>
/// An object ready for a store: its JSON, its version, a hash of its canonical form (RFC 8785), its
/// TLP level, its edges and its search text. Built once, outside any transaction.
/// </summary>
public sealed class PreparedObject
{
    private PreparedObject()
    {
    }

    /// <summary>Position in the input (0-based).</summary>
    public int Index { get; private init; }

    /// <summary>The STIX id.</summary>
    public string Id { get; private init; } = string.Empty;

    /// <summary>The STIX type.</summary>
    public string Type { get; private init; } = string.Empty;

    /// <summary>spec_version ("2.1" when absent).</summary>
    public string SpecVersion { get; private init; } = "2.1";

    /// <summary>modified, else created; null for objects that are not versioned (SCOs, marking definitions).</summary>
    public StixTimestamp? Version { get; private init; }

    /// <summary>SCOs and marking definitions: one content per id, never a second version (STIX 2.1 §3.6).</summary>
    public bool Unversioned { get; private init; }

    /// <summary>The JSON to store.</summary>
    public byte[] Json { get; private init; } = [];

    /// <summary>The TLP level of the object's markings, if any.</summary>
    public TlpLevel? Tlp { get; private init; }

    /// <summary>The marking definitions referenced by object_marking_refs.</summary>
    public IReadOnlyList<string> Markings { get; private init; } = [];

    /// <summary>The edges this object makes.</summary>
    public IReadOnlyList<EdgeSpec> Edges { get; private init; } = [];

    /// <summary>Its search text.</summary>
    public SearchFields Search { get; private init; } = new(null, string.Empty, string.Empty, string.Empty, string.Empty);

    private static readonly Dictionary<string, TlpLevel> s_tlp = BuildTlp();

    private static Dictionary<string, TlpLevel> BuildTlp()
    {
        var map = new Dictionary<string, TlpLevel>(StringComparer.Ordinal);
        foreach (var (colour, id) in MarkingDefinitionRules.Tlp1Ids)
        {
            map[id] = colour switch { "white" => TlpLevel.Clear, "green" => TlpLevel.Green, "amber" => TlpLevel.Amber, _ => TlpLevel.Red };
        }

        foreach (var (level, id) in MarkingDefinitionRules.Tlp2Ids)
        {
            map[id] = level switch
            {
                "clear" => TlpLevel.Clear,
                "green" => TlpLevel.Green,
                "amber" => TlpLevel.Amber,
                "amber+strict" => TlpLevel.AmberStrict,
                _ => TlpLevel.Red,
            };
        }

        return map;
    }

    /// <summary>The TLP level of a marking-definition id, if it is one of the canonical TLP markings.</summary>
    public static TlpLevel? TlpOf(string markingId) => s_tlp.TryGetValue(markingId, out var l) ? l : null;

    /// <summary>Prepares a valid object read by the STIX core.</summary>
    public static PreparedObject From(StixObject obj, int index = 0) => From(StixJson.SerializeToUtf8Bytes(obj), index, obj.Kind == StixObjectKind.CyberObservable);

    /// <summary>Prepares an object from its JSON (already validated).</summary>
    /// <param name="json">One STIX object.</param>
    /// <param name="index">Its position in the input.</param>
    /// <param name="isObservable">Whether it is an SCO (not versioned).</param>
    public static PreparedObject From(byte[] json, int index, bool isObservable)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        string id = root.GetProperty("id").GetString()!;
        string type = root.GetProperty("type").GetString()!;
        string spec = Str(root, "spec_version") ?? "2.1";
        StixTimestamp? version = null;
        if (TryTime(root, "modified", out var m))
        {
            version = m;
        }
        else if (TryTime(root, "created", out var c))
        {
            version = c;
        }

        bool unversioned = isObservable || type == "marking-definition";

        var markings = new List<string>();
        TlpLevel? tlp = null;
        if (root.TryGetProperty("object_marking_refs", out var mr) && mr.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in mr.EnumerateArray())
            {
                if (e.GetString() is { } mid)
                {
                    markings.Add(mid);
                    if (TlpOf(mid) is { } level && (tlp is null || level > tlp))
                    {
                        tlp = level;
                    }
                }
            }
        }

        if (type == "marking-definition" && TlpOf(id) is { } own)
        {
            // The TLP markings themselves are public definitions.
            tlp ??= own == TlpLevel.Clear ? TlpLevel.Clear : null;
        }

        return new PreparedObject
        {
            Index = index,
            Id = id,
            Type = type,
            SpecVersion = spec,
            Version = unversioned ? null : version,
            Unversioned = unversioned,
            Json = json,
            Tlp = tlp,
            Markings = markings,
            Edges = EdgesOf(root, id, type),
            Search = SearchOf(root),
        };
    }

    /// <summary>
    /// Whether two JSON texts of one object have the same content: equal bytes, or else equal JSON
    /// values where member order, formatting, number spelling (1.0 = 1e0) and timestamp spelling
    /// (<c>…00Z</c> = <c>…00.000Z</c>) do not count as changes.
    /// </summary>
    public static bool SameContent(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.SequenceEqual(b))
        {
            return true;
        }

        using var x = JsonDocument.Parse(a.ToArray());
        using var y = JsonDocument.Parse(b.ToArray());
        return Equivalent(x.RootElement, y.RootElement);
    }

    private static bool Equivalent(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                int count = 0;
                foreach (var p in a.EnumerateObject())
                {
                    count++;
                    if (!b.TryGetProperty(p.Name, out var other) || !Equivalent(p.Value, other))
                    {
                        return false;
                    }
                }

                return count == b.EnumerateObject().Count();
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength())
                {
                    return false;
                }

                using (var ea = a.EnumerateArray())
                using (var eb = b.EnumerateArray())
                {
                    while (ea.MoveNext() && eb.MoveNext())
                    {
                        if (!Equivalent(ea.Current, eb.Current))
                        {
                            return false;
                        }
                    }
                }

                return true;
            case JsonValueKind.String:
                string sa = a.GetString()!, sb = b.GetString()!;
                return sa == sb
                    || (StixTimestamp.TryParse(sa, out var ta) && StixTimestamp.TryParse(sb, out var tb) && ta.Ticks == tb.Ticks);
            case JsonValueKind.Number:
                return a.GetRawText() == b.GetRawText()
                    || (a.TryGetDecimal(out var da) && b.TryGetDecimal(out var db) && da == db)
                    || a.GetDouble().Equals(b.GetDouble());
            default:
                return true;
        }
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool TryTime(JsonElement o, string name, out StixTimestamp value)
    {
        value = default;
        return Str(o, name) is { } s && StixTimestamp.TryParse(s, out value);
    }

    private static List<EdgeSpec> EdgesOf(JsonElement root, string id, string type)
    {
        var edges = new List<EdgeSpec>();
        edges.AddRange(RawEdgesOf(root, id, type).Where(e => IsId(e.Source) && IsId(e.Target))
            .Select(e => e.Kind.Contains('\0', StringComparison.Ordinal) ? e with { Kind = e.Kind.Replace('\0', '\uFFFD') } : e));
        return edges;
    }

    /// <summary>Only well-formed STIX ids become graph nodes (custom *_ref properties may hold anything).</summary>
    private static bool IsId(string value) => StixId.TryParse(value, out var sid) && sid.IsWellFormed;

    private static List<EdgeSpec> RawEdgesOf(JsonElement root, string id, string type)
    {
        var edges = new List<EdgeSpec>();
        if (type == "relationship")
        {
            if (Str(root, "source_ref") is { } s && Str(root, "target_ref") is { } t)
            {
                edges.Add(new EdgeSpec(s, t, Str(root, "relationship_type") ?? "related-to", id));
            }
        }
        else if (type == "sighting" && Str(root, "sighting_of_ref") is { } of
            && root.TryGetProperty("where_sighted_refs", out var where) && where.ValueKind == JsonValueKind.Array)
        {
            foreach (var w in where.EnumerateArray())
            {
                if (w.GetString() is { } ws)
                {
                    edges.Add(new EdgeSpec(of, ws, "sighting", id));
                }
            }
        }

        foreach (var p in root.EnumerateObject())
        {
            string name = p.Name;
            if (name is "object_marking_refs" || (type == "relationship" && name is "source_ref" or "target_ref"))
            {
                continue;
            }

            if (name.EndsWith("_ref", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.String)
            {
                edges.Add(new EdgeSpec(id, p.Value.GetString()!, name, null));
            }
            else if (name.EndsWith("_refs", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.Array)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var e in p.Value.EnumerateArray())
                {
                    if (e.ValueKind == JsonValueKind.String && seen.Add(e.GetString()!))
                    {
                        edges.Add(new EdgeSpec(id, e.GetString()!, name, null));
                    }
                }
            }
        }

        return edges;
    }

    private static readonly string[] s_nameProperties = ["name", "value", "path", "key", "user_id", "account_login", "subject", "display_name", "number"];
    private static readonly string[] s_bodyProperties = ["description", "pattern", "objective", "abstract", "content", "explanation", "context", "x_mitre_detection"];

    private static SearchFields SearchOf(JsonElement root)
    {
        string? display = null;
        foreach (var n in s_nameProperties)
        {
            if (root.TryGetProperty(n, out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            {
                display = v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();
                break;
            }
        }

        var aliases = new List<string>();
        var keys = new List<string>();
        var body = new List<string>();
        foreach (var p in root.EnumerateObject())
        {
            if (p.Name.EndsWith("aliases", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.Array)
            {
                AddStrings(p.Value, aliases);
            }
        }

        if (root.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Array)
        {
            AddStrings(labels, keys);
        }

        if (root.TryGetProperty("external_references", out var refs) && refs.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in refs.EnumerateArray())
            {
                if (r.ValueKind == JsonValueKind.Object && Str(r, "external_id") is { } eid)
                {
                    keys.Add(eid);
                }
            }
        }

        if (root.TryGetProperty("hashes", out var hashes) && hashes.ValueKind == JsonValueKind.Object)
        {
            foreach (var h in hashes.EnumerateObject())
            {
                if (h.Value.ValueKind == JsonValueKind.String)
                {
                    keys.Add(h.Value.GetString()!);
                }
            }
        }

        foreach (var b in s_bodyProperties)
        {
            if (Str(root, b) is { } s)
            {
                body.Add(s);
            }
        }

        return new SearchFields(
            display?.Replace('\0', ' '),
            TextFolding.Fold(display) ?? string.Empty,
            FoldLines(aliases),
            FoldLines(keys),
            FoldLines(body));
    }

    // Each value folded on its own, one per line, so that a word never spans two values.
    private static string FoldLines(List<string> values) => string.Join('\n', values.Select(v => TextFolding.Fold(v)));

    private static void AddStrings(JsonElement array, List<string> into)
    {
        foreach (var e in array.EnumerateArray())
        {
            if (e.ValueKind == JsonValueKind.String)
            {
                into.Add(e.GetString()!);
            }
        }
    }
}
