using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ThreatLedger.Storage;

namespace ThreatLedger.Ledger;

/// <summary>One object that stands for the entity, and why.</summary>
/// <param name="Id">The object id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Matched">The name or alias that matched.</param>
/// <param name="Why">How it was found.</param>
public sealed record EntityMember(string Id, string? Name, string Matched, string Why);

/// <summary>The entity behind a name: the objects (from ATT&amp;CK, MISP, the starter pack…) that share its names.</summary>
/// <param name="Query">The name asked about.</param>
/// <param name="RepresentativeId">The object shown first: an ATT&amp;CK group when one is among them, else the best direct match.</param>
/// <param name="Members">Every object, direct matches first.</param>
/// <param name="Ambiguous">True when the direct matches do not all share a name with each other (several entities answer to the name).</param>
public sealed record Entity(string Query, string RepresentativeId, IReadOnlyList<EntityMember> Members, bool Ambiguous);

/// <summary>A name of an entity and who coined it.</summary>
/// <param name="Name">The name.</param>
/// <param name="CoinedBy">Who coined it, when known.</param>
/// <param name="How">How that is known: an alias record of the source, or a vendor's public naming convention.</param>
/// <param name="Source">Where the name was recorded.</param>
public sealed record AliasRow(string Name, string? CoinedBy, string? How, string Source);

/// <summary>Resolves names to entities across sources, without merging anything.</summary>
public static class EntityResolution
{
    private static readonly string[] s_subjectTypes = ["intrusion-set", "campaign", "threat-actor"];

    // Public naming conventions of vendors (a name's shape says who coined it).
    private static readonly (Regex Pattern, string Vendor)[] s_conventions =
    [
        (new Regex(@"\b(Panda|Bear|Kitten|Chollima|Spider|Tiger|Buffalo|Jackal|Leopard|Crane|Ocelot)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), "CrowdStrike"),
        (new Regex(@"\b(Typhoon|Blizzard|Sandstorm|Sleet|Tempest|Hail|Cyclone|Flood|Dust)$|^Storm-\d{4}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), "Microsoft"),
        (new Regex(@"^(BRONZE|IRON|COBALT|NICKEL|TIN|GOLD|ALUMINUM|PLATINUM|COPPER|ZINC|CHROMIUM) [A-Z]+$", RegexOptions.CultureInvariant), "Secureworks"),
        (new Regex(@"^(APT\d+|TEMP\.[A-Za-z]+|UNC\d+|FIN\d+)$", RegexOptions.CultureInvariant), "Mandiant (FireEye)"),
        (new Regex(@"^TA\d{3,4}$", RegexOptions.CultureInvariant), "Proofpoint"),
        (new Regex(@"^Earth [A-Z][a-z]+$", RegexOptions.CultureInvariant), "Trend Micro"),
        (new Regex(@"^G\d{4}$", RegexOptions.CultureInvariant), "MITRE ATT&CK (group id)"),
    ];

    /// <summary>The entity behind <paramref name="name"/>: exact name/alias matches, then objects sharing any of their names (one step).</summary>
    public static async Task<Entity?> ResolveAsync(IStixStore store, string name, AccessFilter? access = null) =>
        (await ResolveCoreAsync(store, name, access).ConfigureAwait(false))?.Entity;

    // The entity and the JSON of each member, read once.
    private static async Task<(Entity Entity, Dictionary<string, JsonNode?> Docs)?> ResolveCoreAsync(IStixStore store, string name, AccessFilter? access)
    {
        ArgumentNullException.ThrowIfNull(store);
        var direct = await ExactAsync(store, name, access).ConfigureAwait(false);
        if (direct.Count == 0)
        {
            return null;
        }

        var members = new List<EntityMember>();
        var docs = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        async Task Add(string id, string? matched, string why)
        {
            var json = await StoreJson.GetAsync(store, id, access).ConfigureAwait(false);
            docs[id] = json;
            members.Add(new EntityMember(id, (string?)json?["name"], matched ?? (string?)json?["name"] ?? id, why));
        }

        foreach (var (id, why) in direct)
        {
            await Add(id, name, why).ConfigureAwait(false);
        }

        var directSet = direct.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in direct.Select(d => d.Id).ToList())
        {
            // Merged objects (an accepted equivalence) belong to the entity too.
            foreach (var e in await store.EdgesAsync(id, EdgeDirection.Both, ["related-to"], access).ConfigureAwait(false))
            {
                if (!docs.ContainsKey(e.Id) && e.Via is not null && await Equivalences.FindAsync(store, id, e.Id, access).ConfigureAwait(false) is { State: "accepted" })
                {
                    await Add(e.Id, null, $"merged with {id} (accepted equivalence {e.Via})").ConfigureAwait(false);
                }
            }

            foreach (var other in Names(docs[id]))
            {
                foreach (var (match, _) in await ExactAsync(store, other, access).ConfigureAwait(false))
                {
                    // An unmerge (a rejected equivalence) keeps a name-sharing object out.
                    if (docs.ContainsKey(match)
                        || (!directSet.Contains(match) && await Equivalences.FindAsync(store, id, match, access).ConfigureAwait(false) is { State: "rejected" }))
                    {
                        continue;
                    }

                    await Add(match, other, $"shares the name '{other}' with {id}").ConfigureAwait(false);
                }
            }
        }

        // Ambiguous when two direct matches share no name with each other.
        var directNames = directSet.ToDictionary(id => id, id => Names(docs[id]), StringComparer.Ordinal);
        bool ambiguous = directNames.Any(a => directNames.Any(b => a.Key != b.Key && !a.Value.Overlaps(b.Value)));

        // The ATT&CK group itself (not a pack object that cites its G-id) stands for the entity; ties by id.
        var groups = members.Where(m => IsAttackGroup(docs[m.Id]))
            .Select(m => ((string?)docs[m.Id]?["created_by_ref"] == LedgerExtension.IdentityId ? 1 : 0, m.Id))
            .ToList();
        string representative = groups.Count > 0 ? groups.Min().Id : members[0].Id;

        return (new Entity(name, representative, members, ambiguous), docs);
    }

    /// <summary>Every name of the entity behind <paramref name="name"/>, with who coined it where the sources or a vendor's naming convention say.</summary>
    public static async Task<IReadOnlyList<AliasRow>> AliasesAsync(IStixStore store, string name, AccessFilter? access = null)
    {
        if (await ResolveCoreAsync(store, name, access).ConfigureAwait(false) is not { } resolved)
        {
            return [];
        }

        var rows = new Dictionary<string, AliasRow>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in resolved.Entity.Members)
        {
            var json = resolved.Docs[m.Id];
            string source = SourceOf(json);
            var records = LedgerExtension.Of(json)?["alias_records"] as JsonArray ?? [];
            foreach (var n in Names(json))
            {
                var record = records.OfType<JsonObject>().FirstOrDefault(r => (string?)r["name"] == n);
                string? coined = (string?)record?["coined_by"];
                string? how = coined is null ? null : "alias record (" + source + ")";
                if (coined is null && Convention(n) is { } vendor)
                {
                    (coined, how) = (vendor, "naming convention");
                }

                if (!rows.TryGetValue(n, out var existing) || (existing.CoinedBy is null && coined is not null) || (existing.How == "naming convention" && how?.StartsWith("alias record", StringComparison.Ordinal) == true))
                {
                    rows[n] = new AliasRow(n, coined, how, source);
                }
            }
        }

        return rows.Values.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The vendor whose public naming convention a name follows, if any.</summary>
    public static string? Convention(string name) => s_conventions.FirstOrDefault(c => c.Pattern.IsMatch(name)).Vendor;

    private static async Task<List<(string Id, string Why)>> ExactAsync(IStixStore store, string name, AccessFilter? access)
    {
        var hits = await store.SearchAsync(new SearchQuery { Text = name, Types = s_subjectTypes, Limit = 50, Access = access }).ConfigureAwait(false);

        // Scores: 100 and more = the whole query is the name, 50 and more = it is one alias (ADR 0002).
        return hits.Where(h => h.Score >= 50).Select(h => (h.Id, h.Score >= 100 ? "exact name" : "exact alias")).ToList();
    }

    private static HashSet<string> Names(JsonNode? json)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if ((string?)json?["name"] is { } n)
        {
            set.Add(n);
        }

        foreach (var p in json?.AsObject() ?? [])
        {
            if (p.Key.EndsWith("aliases", StringComparison.Ordinal) && p.Value is JsonArray a)
            {
                foreach (var s in a.Select(x => (string?)x).OfType<string>())
                {
                    set.Add(s);
                }
            }
        }

        return set;
    }

    private static string SourceOf(JsonNode? json)
    {
        foreach (var r in json?["external_references"] as JsonArray ?? [])
        {
            switch ((string?)r?["source_name"])
            {
                case "mitre-attack": return "MITRE ATT&CK " + (string?)r!["external_id"];
                case "misp-galaxy": return "MISP galaxy";
            }
        }

        return (string?)json?["created_by_ref"] == LedgerExtension.IdentityId ? "ThreatLedger starter pack" : "store";
    }

    private static bool IsAttackGroup(JsonNode? json) =>
        json?["external_references"] is JsonArray refs
        && refs.Any(r => (string?)r?["source_name"] == "mitre-attack" && ((string?)r?["external_id"])?.StartsWith('G') == true);
}
