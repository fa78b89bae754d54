using System.Text.Json.Nodes;
using ThreatLedger.Storage;

namespace ThreatLedger.Ledger;

/// <summary>One sponsor named for an entity, with who names it.</summary>
/// <param name="SponsorId">The sponsor as named.</param>
/// <param name="Sponsor">Its name.</param>
/// <param name="StateId">The state it belongs to (following the sponsor's own attributed-to links), or the sponsor itself.</param>
/// <param name="State">That state's name.</param>
/// <param name="Country">The state's country (ISO 3166-1 alpha-2) from a located-at location of the state or the sponsor, if recorded.</param>
/// <param name="Governments">Distinct government claimants.</param>
/// <param name="Others">Distinct other claimants (vendors, trackers).</param>
public sealed record SponsorCount(string SponsorId, string? Sponsor, string StateId, string? State, string? Country, int Governments, int Others);

/// <summary>How many independent parties attribute an entity, to whom, and whether they disagree.</summary>
/// <param name="EntityId">The entity (its representative object).</param>
/// <param name="Claims">All claims.</param>
/// <param name="Governments">Distinct government claimants (identities with a government sector).</param>
/// <param name="Others">Distinct other claimants.</param>
/// <param name="Sponsors">Per sponsor named.</param>
/// <param name="Conflict">
/// True when the claims point at more than one state: sponsors are compared by country where one is
/// recorded (the PRC's MSS, MISP's "State of China" and the EU's "actors operating from China" agree),
/// otherwise by the state object.
/// </param>
public sealed record ConsensusSummary(string EntityId, int Claims, int Governments, int Others, IReadOnlyList<SponsorCount> Sponsors, bool Conflict);

/// <summary>The consensus summary of the ledger.</summary>
public static class Consensus
{
    /// <summary>Summarises the claims about the entity behind <paramref name="name"/>; null when nothing is named so.</summary>
    public static async Task<ConsensusSummary?> SummariseAsync(IStixStore store, string name, AccessFilter? access = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var entity = await EntityResolution.ResolveAsync(store, name, access).ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        var claims = await AttributionQueries.ClaimsAboutAsync(store, name, access: access, directOnly: true).ConfigureAwait(false);
        var governments = new HashSet<string>(StringComparer.Ordinal);
        var others = new HashSet<string>(StringComparer.Ordinal);
        var perSponsor = new Dictionary<string, (HashSet<string> Gov, HashSet<string> Other)>(StringComparer.Ordinal);
        var isGovernment = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var c in claims.Where(c => c.AuthorId is not null && c.AuthorId != LedgerExtension.IdentityId))
        {
            if (!isGovernment.TryGetValue(c.AuthorId!, out bool gov))
            {
                var author = await StoreJson.GetAsync(store, c.AuthorId!, access).ConfigureAwait(false);
                isGovernment[c.AuthorId!] = gov = (author?["sectors"] as JsonArray ?? []).Any(s => ((string?)s)?.StartsWith("government", StringComparison.Ordinal) == true);
            }

            (gov ? governments : others).Add(c.AuthorId!);
            if (!perSponsor.TryGetValue(c.SponsorId, out var sets))
            {
                perSponsor[c.SponsorId] = sets = (new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
            }

            (gov ? sets.Gov : sets.Other).Add(c.AuthorId!);
        }

        var sponsors = new List<SponsorCount>();
        foreach (var (sponsorId, sets) in perSponsor)
        {
            string state = await StateOfAsync(store, sponsorId, access).ConfigureAwait(false);
            sponsors.Add(new SponsorCount(
                sponsorId,
                await StoreJson.NameAsync(store, sponsorId, access).ConfigureAwait(false),
                state,
                await StoreJson.NameAsync(store, state, access).ConfigureAwait(false),
                await CountryOfAsync(store, state, access).ConfigureAwait(false) ?? await CountryOfAsync(store, sponsorId, access).ConfigureAwait(false),
                sets.Gov.Count,
                sets.Other.Count));
        }

        return new ConsensusSummary(
            entity.RepresentativeId,
            claims.Count,
            governments.Count,
            others.Count,
            sponsors.OrderByDescending(s => s.Governments + s.Others).ToList(),
            sponsors.Select(s => s.Country ?? s.StateId).Distinct(StringComparer.Ordinal).Count() > 1);
    }

    // A sponsor organ (an MSS, a PLA unit) is linked to its state by attributed-to; follow up to three links.
    private static async Task<string> StateOfAsync(IStixStore store, string sponsorId, AccessFilter? access)
    {
        string current = sponsorId;
        for (int i = 0; i < 3; i++)
        {
            var up = await store.EdgesAsync(current, EdgeDirection.Outgoing, ["attributed-to"], access).ConfigureAwait(false);
            if (up.Count == 0)
            {
                break;
            }

            current = up.Select(e => e.Id).Order(StringComparer.Ordinal).First();
        }

        return current;
    }

    private static async Task<string?> CountryOfAsync(IStixStore store, string id, AccessFilter? access)
    {
        foreach (var l in await store.EdgesAsync(id, EdgeDirection.Outgoing, ["located-at"], access).ConfigureAwait(false))
        {
            if (await StoreJson.GetAsync(store, l.Id, access).ConfigureAwait(false) is { } loc && (string?)loc["country"] is { Length: 2 } cc)
            {
                return cc.ToUpperInvariant();
            }
        }

        return null;
    }
}
