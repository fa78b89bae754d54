using System.Buffers;
using ThreatLedger.Stix;

namespace ThreatLedger.Storage;

/// <summary>One stored version of one STIX object.</summary>
/// <param name="Id">The STIX id.</param>
/// <param name="Type">The STIX type.</param>
/// <param name="SpecVersion">The object's spec_version ("2.1" when absent).</param>
/// <param name="Version">The version: <c>modified</c>, else <c>created</c>, else the first date_added (objects that are not versioned).</param>
/// <param name="DateAdded">When this store learned this version (microsecond precision).</param>
/// <param name="Sequence">The store's own order of arrival; strictly increasing with <paramref name="DateAdded"/>.</param>
/// <param name="IsLatest">Whether this is the newest version the store holds now.</param>
/// <param name="Tlp">The TLP level of the object's markings, if it has any.</param>
/// <param name="Json">The object exactly as stored (UTF-8 JSON).</param>
public sealed record StoredObject(
    string Id,
    string Type,
    string SpecVersion,
    StixTimestamp Version,
    StixTimestamp DateAdded,
    long Sequence,
    bool IsLatest,
    TlpLevel? Tlp,
    ReadOnlyMemory<byte> Json)
{
    /// <summary>The JSON as a string.</summary>
    public string JsonText => System.Text.Encoding.UTF8.GetString(Json.Span);
}

/// <summary>What happened to one object given to <see cref="IStixStore.PutAsync"/>.</summary>
public enum PutOutcome
{
    /// <summary>A new id: its first version was stored.</summary>
    Added,

    /// <summary>A newer version of a known id: stored and now the latest.</summary>
    NewVersion,

    /// <summary>An older version of a known id that the store lacked: stored, the latest stays newer.</summary>
    OlderVersion,

    /// <summary>This version was already stored with the same content: nothing changed.</summary>
    Unchanged,

    /// <summary>Not stored; <see cref="PutItemResult.Message"/> says why and what to do.</summary>
    Failed,
}

/// <summary>The result for one object of a put, in input order.</summary>
/// <param name="Index">Position of the object in its input (0-based).</param>
/// <param name="Id">The object id, when it had one.</param>
/// <param name="Version">The version, when known.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Message">Why it failed (with the fix), or a note.</param>
public sealed record PutItemResult(int Index, string? Id, string? Version, PutOutcome Outcome, string? Message = null)
{
    /// <summary>True unless the object failed.</summary>
    public bool Succeeded => Outcome != PutOutcome.Failed;
}

/// <summary>TLP levels, ordered from least to most restricted (TLP 1.0 WHITE counts as CLEAR).</summary>
public enum TlpLevel
{
    /// <summary>TLP:CLEAR (TLP 1.0: WHITE).</summary>
    Clear = 0,

    /// <summary>TLP:GREEN.</summary>
    Green = 1,

    /// <summary>TLP:AMBER.</summary>
    Amber = 2,

    /// <summary>TLP:AMBER+STRICT.</summary>
    AmberStrict = 3,

    /// <summary>TLP:RED.</summary>
    Red = 4,
}

/// <summary>
/// Who may see what: objects above <see cref="MaxTlp"/> are left out inside the query itself
/// (ids, counts, neighbours and search alike). Objects without a TLP marking count as <see cref="Unmarked"/>.
/// </summary>
/// <param name="MaxTlp">The highest TLP level visible.</param>
/// <param name="Unmarked">The level assumed for objects without a TLP marking.</param>
public sealed record AccessFilter(TlpLevel MaxTlp, TlpLevel Unmarked = TlpLevel.Clear)
{
    /// <summary>Sees everything.</summary>
    public static AccessFilter Everything { get; } = new(TlpLevel.Red, TlpLevel.Clear);

    /// <summary>Whether the unmarked objects are visible.</summary>
    public bool UnmarkedVisible => Unmarked <= MaxTlp;
}

/// <summary>Which versions of each object a query returns (TAXII <c>match[version]</c>).</summary>
public sealed class VersionFilter
{
    private VersionFilter(bool first, bool last, bool all, IReadOnlyList<StixTimestamp> at)
    {
        First = first;
        Last = last;
        All = all;
        At = at;
    }

    /// <summary>The newest version only (the TAXII default).</summary>
    public static VersionFilter Latest { get; } = new(false, true, false, []);

    /// <summary>Every version.</summary>
    public static VersionFilter AllVersions { get; } = new(false, false, true, []);

    /// <summary>The oldest version only.</summary>
    public static VersionFilter Earliest { get; } = new(true, false, false, []);

    /// <summary>Include the oldest version.</summary>
    public bool First { get; }

    /// <summary>Include the newest version.</summary>
    public bool Last { get; }

    /// <summary>Include every version.</summary>
    public bool All { get; }

    /// <summary>Include the versions with exactly these timestamps.</summary>
    public IReadOnlyList<StixTimestamp> At { get; }

    /// <summary>
    /// Parses a TAXII <c>match[version]</c> value: a comma-separated list of <c>first</c>, <c>last</c>,
    /// <c>all</c> and timestamps.
    /// </summary>
    /// <exception cref="FormatException">A value is none of these.</exception>
    public static VersionFilter Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Latest;
        }

        bool first = false, last = false, all = false;
        var at = new List<StixTimestamp>();
        foreach (var raw in text.Split(','))
        {
            var v = raw.Trim();
            switch (v)
            {
                case "first": first = true; break;
                case "last": last = true; break;
                case "all": all = true; break;
                default:
                    if (!StixTimestamp.TryParse(v, out var t))
                    {
                        throw new FormatException($"match[version] value '{v}' is not first, last, all or a timestamp such as 2021-07-19T00:00:00.000Z");
                    }

                    at.Add(t);
                    break;
            }
        }

        return new VersionFilter(first, last, all, at);
    }

    /// <summary>A filter for exactly one version.</summary>
    public static VersionFilter Exactly(StixTimestamp version) => new(false, false, false, [version]);
}

/// <summary>A TAXII-style object query. Every list is an OR; the lists are ANDed.</summary>
public sealed record ObjectQuery
{
    /// <summary>match[id].</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    /// <summary>match[type].</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary>match[version]; latest when null.</summary>
    public VersionFilter? Versions { get; init; }

    /// <summary>match[spec_version]; when null, all spec versions.</summary>
    public IReadOnlyList<string>? SpecVersions { get; init; }

    /// <summary>added_after: only versions added strictly after this moment.</summary>
    public StixTimestamp? AddedAfter { get; init; }

    /// <summary>The store as it was at this moment: versions added later are ignored, and "latest" means latest then.</summary>
    public StixTimestamp? AsOf { get; init; }

    /// <summary>Page size (at most <see cref="MaxLimit"/>).</summary>
    public int Limit { get; init; } = 100;

    /// <summary>The <see cref="Page{T}.Next"/> cursor of the previous page.</summary>
    public string? Next { get; init; }

    /// <summary>Who is asking; everything when null.</summary>
    public AccessFilter? Access { get; init; }

    /// <summary>The largest page a store returns.</summary>
    public const int MaxLimit = 10_000;
}

/// <summary>One page of results, in date_added order.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items.</param>
/// <param name="More">Whether more items follow.</param>
/// <param name="Next">An opaque cursor for the next page (null when there is none).</param>
public sealed record Page<T>(IReadOnlyList<T> Items, bool More, string? Next);

/// <summary>What <see cref="IStixStore.QueryJsonAsync"/> wrote: how many objects, whether more follow, and the date_added range.</summary>
/// <param name="Count">Objects written.</param>
/// <param name="More">Whether more objects match after this page.</param>
/// <param name="Next">The cursor for the next page, when there is one.</param>
/// <param name="FirstAdded">The earliest date_added on the page (none when it is empty).</param>
/// <param name="LastAdded">The latest date_added on the page (none when it is empty).</param>
public sealed record JsonPage(int Count, bool More, string? Next, StixTimestamp? FirstAdded, StixTimestamp? LastAdded)
{
    /// <summary>Writes a materialised page the way <see cref="IStixStore.QueryJsonAsync"/> does.</summary>
    public static JsonPage Write(Page<StoredObject> page, System.Buffers.IBufferWriter<byte> output)
    {
        StixTimestamp? first = null, last = null;
        for (int i = 0; i < page.Items.Count; i++)
        {
            var o = page.Items[i];
            if (i > 0)
            {
                output.Write(","u8);
            }

            output.Write(o.Json.Span);
            if (first is null || o.DateAdded.Ticks < first.Value.Ticks)
            {
                first = o.DateAdded;
            }

            if (last is null || o.DateAdded.Ticks > last.Value.Ticks)
            {
                last = o.DateAdded;
            }
        }

        return new JsonPage(page.Items.Count, page.More, page.Next, first, last);
    }
}

/// <summary>A TAXII manifest entry: one version of one object, without its content.</summary>
/// <param name="Id">The object id.</param>
/// <param name="DateAdded">When the store learned this version.</param>
/// <param name="Version">The version.</param>
/// <param name="MediaType">The media type.</param>
public sealed record ManifestEntry(string Id, StixTimestamp DateAdded, StixTimestamp Version, string MediaType = "application/stix+json;version=2.1");

/// <summary>The direction of an edge relative to the node asked about.</summary>
public enum EdgeDirection
{
    /// <summary>Both directions.</summary>
    Both,

    /// <summary>From the node (it is the relationship's source, or it holds the reference).</summary>
    Outgoing,

    /// <summary>To the node.</summary>
    Incoming,
}

/// <summary>A graph walk from one object.</summary>
public sealed record NeighborQuery
{
    /// <summary>How many hops (1 = direct neighbours).</summary>
    public int Depth { get; init; } = 1;

    /// <summary>Which edges to follow.</summary>
    public EdgeDirection Direction { get; init; } = EdgeDirection.Both;

    /// <summary>Only neighbours of these types (the walk still passes through other types).</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary>Only edges of these kinds (relationship types such as <c>uses</c>, or reference properties such as <c>created_by_ref</c>).</summary>
    public IReadOnlyList<string>? Kinds { get; init; }

    /// <summary>The most neighbours returned in all.</summary>
    public int Limit { get; init; } = 1000;

    /// <summary>The most edges followed out of any one node (hubs such as the creator identity).</summary>
    public int FanOut { get; init; } = 500;

    /// <summary>Who is asking; everything when null.</summary>
    public AccessFilter? Access { get; init; }
}

/// <summary>One neighbour found by a walk.</summary>
/// <param name="Id">The neighbour's id.</param>
/// <param name="Type">The neighbour's type.</param>
/// <param name="Depth">Hops from the start.</param>
/// <param name="From">The node it was reached from.</param>
/// <param name="Direction">Direction of the edge as seen from <paramref name="From"/>.</param>
/// <param name="Kind">The relationship type or the reference property.</param>
/// <param name="Via">The relationship or sighting that makes the edge, or null for an embedded reference.</param>
/// <param name="InStore">False when the reference points at an object this store does not hold.</param>
public sealed record Neighbor(string Id, string Type, int Depth, string From, EdgeDirection Direction, string Kind, string? Via, bool InStore);

/// <summary>A full-text search.</summary>
public sealed record SearchQuery
{
    /// <summary>
    /// The words to find; every word must occur (as a substring, after folding case and width). Words in
    /// double quotes must occur together, as one phrase; see <see cref="TextFolding.Words"/>.
    /// </summary>
    public required string Text { get; init; }

    /// <summary>Only these types.</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary>The most hits returned.</summary>
    public int Limit { get; init; } = 20;

    /// <summary>Who is asking; everything when null.</summary>
    public AccessFilter? Access { get; init; }
}

/// <summary>One search hit (the latest version of an object).</summary>
/// <param name="Id">The object id.</param>
/// <param name="Type">The object type.</param>
/// <param name="Name">Its display name.</param>
/// <param name="Score">Higher is better: exact name, then name, aliases and external ids, then text.</param>
public sealed record SearchHit(string Id, string Type, string? Name, double Score);

/// <summary>Counts of what a store holds.</summary>
/// <param name="Objects">Distinct ids.</param>
/// <param name="Versions">Stored versions.</param>
/// <param name="Edges">Graph edges of the latest versions.</param>
/// <param name="ByType">Distinct ids per type.</param>
/// <param name="SizeBytes">Size on disk, when known.</param>
public sealed record StoreStats(long Objects, long Versions, long Edges, IReadOnlyDictionary<string, long> ByType, long? SizeBytes);

/// <summary>One entry of the audit log: who did what, when.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="Actor">The user (or "anonymous", or the address a failed login came from).</param>
/// <param name="Action">What: login, login-failed, write, delete, user-add, token-revoke…</param>
/// <param name="Detail">Particulars (an object id, a status id and counts, a reason).</param>
public sealed record AuditEntry(DateTime At, string Actor, string Action, string? Detail);
