using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatLedger.Stix.Identifiers;

namespace ThreatLedger.Ledger;

/// <summary>
/// Converts a MISP galaxy cluster file (the <c>threat-actor</c> galaxy) into STIX 2.1: each cluster
/// becomes an <c>intrusion-set</c> (id from the cluster's uuid) with its synonyms as aliases and, in
/// the ledger extension, who coined each name (<c>origin:NAME</c>, <c>name-attribution</c>); its
/// country an <c>originates-from</c> location; a CFR suspected state sponsor an <c>attributed-to</c>
/// claim authored by the CFR tracker, with MISP's attribution confidence; its refs external
/// references; its "similar" links to other clusters (MITRE ATT&amp;CK groups share their uuids)
/// proposed equivalences — proposed, never merged.
/// </summary>
/// <remarks>
/// MISP clusters carry no dates. Every object gets created = modified = 2000-01-01T00:00:00Z plus the
/// galaxy's <c>version</c> in seconds, so importing the same galaxy again changes nothing and a newer
/// galaxy release adds new versions.
/// </remarks>
public static class MispGalaxy
{
    private static readonly Guid s_namespace = new("6f1d3c2a-8e4b-4f7a-9c5d-2b1a0e9f8d7c");

    /// <summary>Whether the start of a JSON document looks like a MISP galaxy cluster file rather than STIX.</summary>
    public static bool LooksLikeGalaxy(ReadOnlySpan<byte> head)
    {
        string text = Encoding.UTF8.GetString(head);
        return text.TrimStart().StartsWith('{')
            && text.Contains("\"values\"", StringComparison.Ordinal)
            && text.Contains("\"uuid\"", StringComparison.Ordinal)
            && !text.Contains("\"objects\"", StringComparison.Ordinal)
            && !text.Contains("\"spec_version\"", StringComparison.Ordinal);
    }

    /// <summary>Converts a galaxy file into a STIX bundle (UTF-8 JSON).</summary>
    /// <exception cref="FormatException">The document is not a galaxy cluster file; the message says what is missing.</exception>
    public static byte[] ToStixBundle(ReadOnlySpan<byte> galaxyJson)
    {
        var objects = Convert(galaxyJson);
        var bundle = new JsonObject { ["type"] = "bundle", ["id"] = "bundle--" + Guid.NewGuid().ToString("D"), ["objects"] = new JsonArray(objects.Select(o => (JsonNode?)o).ToArray()) };
        return Encoding.UTF8.GetBytes(bundle.ToJsonString());
    }

    /// <summary>Converts a galaxy file into STIX objects.</summary>
    /// <exception cref="FormatException">The document is not a galaxy cluster file.</exception>
    public static List<JsonObject> Convert(ReadOnlySpan<byte> galaxyJson)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(galaxyJson.ToArray());
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the MISP galaxy file is not valid JSON: {ex.Message}", ex);
        }

        if (root?["values"] is not JsonArray values || (string?)root["uuid"] is not { } galaxyUuid)
        {
            throw new FormatException("a MISP galaxy cluster file needs 'uuid' and a 'values' array at the top level");
        }

        int version = root["version"] is JsonValue v && v.TryGetValue<int>(out int n) ? n : 0;
        string time = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(version).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        string galaxyName = (string?)root["name"] ?? "galaxy";

        var output = new List<JsonObject>();
        var made = new HashSet<string>(StringComparer.Ordinal);
        void Add(JsonObject o)
        {
            if (made.Add((string)o["id"]!))
            {
                output.Add(o);
            }
        }

        string misp = "identity--" + galaxyUuid;
        Add(Sdo("identity", misp, time, $"MISP galaxy: {galaxyName}", ("identity_class", "system")));
        string cfr = Id("identity", "cfr-cyber-operations-tracker");

        foreach (var cluster in values.OfType<JsonObject>())
        {
            if ((string?)cluster["uuid"] is not { } uuid || (string?)cluster["value"] is not { } name)
            {
                continue;
            }

            string id = "intrusion-set--" + StixUuid(uuid);
            var meta = cluster["meta"] as JsonObject ?? [];
            var synonyms = Strings(meta["synonyms"]);
            var coinedBy = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in meta)
            {
                if (key.StartsWith("origin:", StringComparison.Ordinal) && (string?)value is { } who)
                {
                    coinedBy[key["origin:".Length..]] = who;
                }
            }

            var attributed = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in Strings(meta["name-attribution"]))
            {
                int colon = entry.LastIndexOf(':');
                if (colon > 0)
                {
                    attributed[entry[..colon]] = entry[(colon + 1)..];
                }
            }

            var aliases = synonyms.Concat(attributed.Keys).Where(a => a != name).Distinct(StringComparer.Ordinal).ToList();
            var records = new JsonArray();
            foreach (var alias in aliases)
            {
                var record = new JsonObject { ["name"] = alias, ["source"] = "misp-galaxy:" + galaxyUuid };
                if (coinedBy.TryGetValue(alias, out var who))
                {
                    record["coined_by"] = who;
                }

                if (attributed.TryGetValue(alias, out var org))
                {
                    record["misp_name_attribution"] = org;
                }

                records.Add(record);
            }

            var refs = new JsonArray(new JsonObject { ["source_name"] = "misp-galaxy", ["external_id"] = uuid, ["description"] = galaxyName });
            foreach (var url in Strings(meta["refs"]).Where(u => Uri.TryCreate(u, UriKind.Absolute, out _)).Distinct(StringComparer.Ordinal))
            {
                refs.Add(new JsonObject { ["source_name"] = "misp-galaxy-ref", ["url"] = url });
            }

            // The ATT&CK groups the cluster cites (refs to attack.mitre.org/groups/Gnnnn, or a Gnnnn synonym) join it to ATT&CK (Equivalences.ProposeAsync).
            foreach (var g in AttackGroupIds(meta))
            {
                refs.Add(new JsonObject { ["source_name"] = "mitre-attack-cited", ["external_id"] = g, ["url"] = $"https://attack.mitre.org/groups/{g}/" });
            }

            var set = Sdo("intrusion-set", id, time, name);
            set["created_by_ref"] = misp;
            if ((string?)cluster["description"] is { Length: > 0 } description)
            {
                set["description"] = description;
            }

            if (aliases.Count > 0)
            {
                set["aliases"] = new JsonArray(aliases.Select(a => (JsonNode?)a).ToArray());
                set["extensions"] = new JsonObject { [LedgerExtension.Id] = new JsonObject { ["extension_type"] = "property-extension", ["alias_records"] = records } };
            }

            set["external_references"] = refs;
            Add(set);

            if ((string?)meta["country"] is { Length: 2 } country)
            {
                string loc = Id("location", "country:" + country.ToUpperInvariant());
                var location = Sdo("location", loc, time, null);
                location["country"] = country.ToUpperInvariant();
                Add(location);
                Add(Relationship(Id("relationship", uuid + ":originates-from"), "originates-from", id, loc, misp, time));
            }

            if ((string?)meta["cfr-suspected-state-sponsor"] is { Length: > 0 } sponsor && !sponsor.Equals("Unknown", StringComparison.OrdinalIgnoreCase))
            {
                Add(Sdo("identity", cfr, time, "Council on Foreign Relations Cyber Operations Tracker", ("identity_class", "organization")));
                string actor = Id("threat-actor", "state-sponsor:" + sponsor);
                var ta = Sdo("threat-actor", actor, time, $"State of {sponsor} (suspected sponsor)");
                ta["threat_actor_types"] = new JsonArray("nation-state");
                Add(ta);

                // The sponsor's state as a country, so claims naming "State of China" and the PRC's MSS are seen to agree.
                if (SponsorCountry(sponsor) is { } sponsorCountry)
                {
                    string sloc = Id("location", "country:" + sponsorCountry);
                    var slocation = Sdo("location", sloc, time, null);
                    slocation["country"] = sponsorCountry;
                    Add(slocation);
                    Add(Relationship(Id("relationship", "state-sponsor:" + sponsor + ":located-at"), "located-at", actor, sloc, misp, time));
                }

                var claim = Relationship(Id("relationship", uuid + ":cfr-sponsor"), "attributed-to", id, actor, cfr, time);
                if (meta["attribution-confidence"] is JsonValue c && int.TryParse(c.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int confidence) && confidence is >= 0 and <= 100)
                {
                    claim["confidence"] = confidence;
                }

                claim["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "misp-galaxy", ["external_id"] = uuid, ["description"] = "cfr-suspected-state-sponsor in the MISP threat-actor galaxy" });
                claim["extensions"] = new JsonObject { [LedgerExtension.Id] = new JsonObject { ["extension_type"] = "property-extension", ["response_type"] = "statement" } };
                Add(claim);
            }

            foreach (var related in (cluster["related"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if ((string?)related["type"] == "similar" && (string?)related["dest-uuid"] is { } dest)
                {
                    var eq = Relationship(Id("relationship", uuid + ":similar:" + dest), "related-to", id, "intrusion-set--" + StixUuid(dest), misp, time);
                    string? likelihood = Strings(related["tags"]).Select(t => t.Split('"')).Where(p => p.Length > 1 && p[0].Contains("likelihood-probability", StringComparison.Ordinal)).Select(p => p[1]).FirstOrDefault();
                    int confidence = likelihood switch { "almost-certain" => 95, "very-likely" => 85, "likely" => 65, "roughly-even-chance" => 50, "unlikely" => 30, _ => 50 };
                    eq["confidence"] = confidence;
                    eq["extensions"] = new JsonObject
                    {
                        [LedgerExtension.Id] = new JsonObject
                        {
                            ["extension_type"] = "property-extension",
                            ["equivalence"] = "proposed",
                            ["reason"] = "MISP galaxy 'similar' link" + (likelihood is null ? string.Empty : $" ({likelihood})"),
                        },
                    };
                    Add(eq);
                }
            }
        }

        return output;
    }

    /// <summary>
    /// The cluster's uuid when it is an RFC 4122 UUID (versions 1–5), as STIX requires; otherwise (MISP
    /// has begun to use version 7) a version 5 UUID derived from it, the same every time.
    /// </summary>
    public static string StixUuid(string mispUuid)
    {
        if (Guid.TryParse(mispUuid, out var g) && Uuid5.IsRfc4122Variant(g) && Uuid5.GetVersion(g) is >= 1 and <= 5)
        {
            return Uuid5.ToStixString(g);
        }

        return Uuid5.ToStixString(Uuid5.Create(s_namespace, "misp-uuid:" + mispUuid.ToLowerInvariant()));
    }

    /// <summary>The ATT&amp;CK group ids (G0065) a cluster cites in its refs or synonyms.</summary>
    internal static IEnumerable<string> AttackGroupIds(JsonNode? meta)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var url in Strings(meta?["refs"]))
        {
            var m = s_attackGroupUrl.Match(url);
            if (m.Success)
            {
                ids.Add(m.Groups[1].Value);
            }
        }

        foreach (var name in Strings(meta?["synonyms"]).Concat(Strings(meta?["name-attribution"]).Select(e => e.Split(':')[0])))
        {
            if (s_attackGroupId.IsMatch(name))
            {
                ids.Add(name);
            }
        }

        return ids;
    }

    private static readonly System.Text.RegularExpressions.Regex s_attackGroupUrl = new(@"^https?://attack\.mitre\.org/groups/(G\d{4})(?:/|$)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
    private static readonly System.Text.RegularExpressions.Regex s_attackGroupId = new(@"^G\d{4}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>ISO 3166-1 alpha-2 codes for the state names the CFR tracker uses as suspected sponsors.</summary>
    internal static string? SponsorCountry(string sponsor) => sponsor switch
    {
        "China" or "People's Republic of China" => "CN",
        "Russian Federation" or "Russia" => "RU",
        "Iran (Islamic Republic of)" or "Iran" => "IR",
        "Korea (Democratic People's Republic of)" or "North Korea" => "KP",
        "Korea (Republic of)" or "South Korea" => "KR",
        "United States" or "US" => "US",
        "Palestine" => "PS",
        "Pakistan" => "PK",
        "India" => "IN",
        "Belarus" => "BY",
        "France" => "FR",
        "United Arab Emirates" => "AE",
        "Vietnam" or "Viet Nam" => "VN",
        "Spain" => "ES",
        "Israel" => "IL",
        "Lebanon" => "LB",
        _ => null,
    };

    private static string Id(string type, string key) => type + "--" + Uuid5.ToStixString(Uuid5.Create(s_namespace, key));

    private static List<string> Strings(JsonNode? node) => node switch
    {
        JsonArray a => a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private static JsonObject Sdo(string type, string id, string time, string? name, params (string Key, string Value)[] extra)
    {
        var o = new JsonObject { ["type"] = type, ["spec_version"] = "2.1", ["id"] = id, ["created"] = time, ["modified"] = time };
        if (name is not null)
        {
            o["name"] = name;
        }

        foreach (var (k, v) in extra)
        {
            o[k] = v;
        }

        return o;
    }

    private static JsonObject Relationship(string id, string type, string source, string target, string createdBy, string time) => new()
    {
        ["type"] = "relationship",
        ["spec_version"] = "2.1",
        ["id"] = id,
        ["created_by_ref"] = createdBy,
        ["created"] = time,
        ["modified"] = time,
        ["relationship_type"] = type,
        ["source_ref"] = source,
        ["target_ref"] = target,
    };
}
