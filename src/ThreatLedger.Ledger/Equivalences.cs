using System.Globalization;
using System.Text.Json.Nodes;
using ThreatLedger.Stix;
using ThreatLedger.Storage;

namespace ThreatLedger.Ledger;

/// <summary>
/// Merging and unmerging: an equivalence between two objects is a <c>related-to</c> relationship whose
/// ledger extension says <c>proposed</c>, <c>accepted</c> or <c>rejected</c>. Merging writes a new
/// version saying accepted, unmerging one saying rejected — nothing is overwritten, the store keeps
/// every version, so the history of a merge is the history of that relationship.
/// </summary>
public static class Equivalences
{
    /// <summary>The equivalence state between two objects (latest version), or null when none is recorded.</summary>
    public static async Task<(string RelationshipId, string State)?> FindAsync(IStixStore store, string a, string b, AccessFilter? access = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        foreach (var e in await store.EdgesAsync(a, EdgeDirection.Both, ["related-to"], access).ConfigureAwait(false))
        {
            if (e.Id == b && e.Via is { } via && await store.GetAsync(via, access: access).ConfigureAwait(false) is { } rel
                && (string?)LedgerExtension.Of(JsonNode.Parse(rel.Json.Span))?["equivalence"] is { } state)
            {
                return (via, state);
            }
        }

        return null;
    }

    /// <summary>Records <paramref name="state"/> (accepted or rejected) between two objects as a new version (or a new relationship).</summary>
    /// <exception cref="ArgumentException">The state is not accepted/rejected/proposed, or the two ids are the same.</exception>
    public static async Task<PutItemResult> SetAsync(IStixStore store, string a, string b, string state, string reason, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (state is not ("accepted" or "rejected" or "proposed"))
        {
            throw new ArgumentException("state must be accepted, rejected or proposed", nameof(state));
        }

        if (a == b)
        {
            throw new ArgumentException("an object cannot be merged with itself", nameof(b));
        }

        var now = (clock ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        string time = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        JsonObject rel;
        if (await FindAsync(store, a, b).ConfigureAwait(false) is { } found && await store.GetAsync(found.RelationshipId).ConfigureAwait(false) is { } stored)
        {
            rel = JsonNode.Parse(stored.Json.Span)!.AsObject();

            // A new version must be later than the stored one, even when the clock is not.
            var previous = StixTimestamp.Parse((string)rel["modified"]!);
            if (!StixTimestamp.TryParse(time, out var t) || t <= previous)
            {
                time = new DateTime(previous.Ticks, DateTimeKind.Utc).AddMilliseconds(1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            }
        }
        else
        {
            rel = new JsonObject
            {
                ["type"] = "relationship",
                ["spec_version"] = "2.1",
                ["id"] = "relationship--" + Guid.NewGuid().ToString("D"),
                ["created_by_ref"] = LedgerExtension.IdentityId,
                ["created"] = time,
                ["relationship_type"] = "related-to",
                ["source_ref"] = a,
                ["target_ref"] = b,
            };
        }

        rel["modified"] = time;
        var ext = LedgerExtension.Of(rel) ?? new JsonObject { ["extension_type"] = "property-extension" };
        ext["equivalence"] = state;
        ext["reason"] = reason;
        rel["extensions"] = new JsonObject { [LedgerExtension.Id] = ext.DeepClone() };
        var obj = StixJson.ParseObject(rel.ToJsonString());
        var results = await store.PutAsync([PreparedObject.From(obj)]).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>
    /// Links intrusion sets from other sources to the MITRE ATT&amp;CK groups they describe, as
    /// <em>proposed</em> equivalences (never merged): a set that cites an ATT&amp;CK group id (a MISP
    /// cluster's ref to attack.mitre.org/groups/G0065) gets a <c>related-to</c> with confidence 90. The
    /// relationship id is derived from the pair, so running this again writes nothing new; a pair that
    /// already has an equivalence (proposed, accepted or rejected, e.g. MISP's own "similar" link) is left alone.
    /// </summary>
    /// <returns>How many equivalences were proposed now.</returns>
    public static async Task<int> ProposeAttackLinksAsync(IStixStore store, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var attackGroups = new Dictionary<string, string>(StringComparer.Ordinal);
        var citing = new List<(string Id, string GroupId)>();
        string? next = null;
        do
        {
            var page = await store.QueryAsync(new ObjectQuery { Types = ["intrusion-set"], Limit = 1000, Next = next }, ct).ConfigureAwait(false);
            foreach (var o in page.Items)
            {
                foreach (var r in JsonNode.Parse(o.Json.Span)?["external_references"] as JsonArray ?? [])
                {
                    if ((string?)r?["external_id"] is not { } gid)
                    {
                        continue;
                    }

                    switch ((string?)r["source_name"])
                    {
                        case "mitre-attack": attackGroups[gid] = o.Id; break;
                        case "mitre-attack-cited": citing.Add((o.Id, gid)); break;
                    }
                }
            }

            next = page.Next;
        }
        while (next is not null);

        var batch = new List<PreparedObject>();
        foreach (var (id, gid) in citing)
        {
            if (!attackGroups.TryGetValue(gid, out var group) || group == id || await FindAsync(store, id, group).ConfigureAwait(false) is not null)
            {
                continue;
            }

            var rel = new JsonObject
            {
                ["type"] = "relationship",
                ["spec_version"] = "2.1",
                ["id"] = "relationship--" + Stix.Identifiers.Uuid5.ToStixString(Stix.Identifiers.Uuid5.Create(s_linkNamespace, id + "|" + group)),
                ["created_by_ref"] = LedgerExtension.IdentityId,
                ["created"] = LinkTime,
                ["modified"] = LinkTime,
                ["relationship_type"] = "related-to",
                ["source_ref"] = id,
                ["target_ref"] = group,
                ["confidence"] = 90,
                ["extensions"] = new JsonObject
                {
                    [LedgerExtension.Id] = new JsonObject
                    {
                        ["extension_type"] = "property-extension",
                        ["equivalence"] = "proposed",
                        ["reason"] = $"cites the ATT&CK group {gid}",
                    },
                },
            };
            batch.Add(PreparedObject.From(StixJson.ParseObject(rel.ToJsonString())));
        }

        if (batch.Count == 0)
        {
            return 0;
        }

        var results = await store.PutAsync(batch, ct).ConfigureAwait(false);
        return results.Count(r => r.Outcome == PutOutcome.Added);
    }

    // Proposed links carry a fixed date so that proposing again is idempotent.
    private const string LinkTime = "2026-11-27T00:00:00.000Z";

    private static readonly Guid s_linkNamespace = new("0b5d7f3e-2a41-4c8e-9d6f-7e1a3b5c9d20");
}
