using System.Globalization;
using System.Text.Json.Nodes;
using ThreatLedger.Storage;

namespace ThreatLedger.Ledger;

/// <summary>One claim of attribution, resolved for display.</summary>
/// <param name="ClaimId">The claim (relationship) id.</param>
/// <param name="Author">The claimant's name.</param>
/// <param name="AuthorId">The claimant's id.</param>
/// <param name="Date">The statement date (YYYY-MM-DD), or null when the source gives none.</param>
/// <param name="Subject">Who is blamed (name).</param>
/// <param name="SubjectId">Who is blamed (id).</param>
/// <param name="Sponsor">Who is said to be behind it (name).</param>
/// <param name="SponsorId">Who is said to be behind it (id).</param>
/// <param name="Response">statement, advisory, indictment or sanction.</param>
/// <param name="Confidence">0–100, if given.</param>
/// <param name="EstimativePhrase">The estimative wording, verbatim.</param>
/// <param name="Wording">The claim's sentence, verbatim.</param>
/// <param name="Source">The statement's URL.</param>
/// <param name="JointStatementId">The joint statement it was part of.</param>
public sealed record ClaimRow(
    string ClaimId, string? Author, string? AuthorId, string? Date, string? Subject, string SubjectId, string? Sponsor, string SponsorId,
    string Response, int? Confidence, string? EstimativePhrase, string? Wording, string? Source, string? JointStatementId)
{
    /// <summary>"attributes", or "acknowledges" when the author endorses other parties' attributions without making its own.</summary>
    public string Stance { get; init; } = "attributes";

    /// <summary>
    /// How the claim relates to the entity asked about: "direct" (its subject is the entity) or
    /// "joint-statement" (made in the same joint statement as a direct claim, about another subject —
    /// e.g. the US statement of 2021-07-19 names the Exchange compromise, not APT40).
    /// </summary>
    public string Relation { get; init; } = "direct";
}

/// <summary>A party to a joint statement (or one that declined).</summary>
/// <param name="Id">Its identity id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Country">Its country (ISO 3166-1 alpha-2), from a located-at location, if recorded.</param>
public sealed record Party(string Id, string? Name, string? Country);

/// <summary>A joint statement with its participants, the parties that declined, and its claims.</summary>
/// <param name="Id">The grouping id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Date">The statement date (YYYY-MM-DD).</param>
/// <param name="Participants">Who joined.</param>
/// <param name="Declined">Who was recorded as not joining.</param>
/// <param name="ClaimIds">The claims made in it.</param>
/// <param name="Source">Its URL.</param>
public sealed record StatementRow(string Id, string? Name, string Date, IReadOnlyList<Party> Participants, IReadOnlyList<Party> Declined, IReadOnlyList<string> ClaimIds, string? Source);

/// <summary>The ledger's questions, answered from any <see cref="IStixStore"/>.</summary>
public static class AttributionQueries
{
    /// <summary>
    /// The subjects a name stands for: intrusion sets, campaigns and threat actors whose name or one
    /// of whose aliases is the name (compared after folding case and width), and the objects of other
    /// sources that share one of their names (<see cref="EntityResolution"/>).
    /// </summary>
    public static async Task<IReadOnlyList<string>> ResolveAsync(IStixStore store, string name, AccessFilter? access = null) =>
        (await EntityResolution.ResolveAsync(store, name, access).ConfigureAwait(false))?.Members.Select(m => m.Id).ToList() ?? [];

    /// <summary>
    /// Every claim about the entity behind <paramref name="name"/>, oldest first; with <paramref name="asOf"/>,
    /// only claims made by then. Unless <paramref name="directOnly"/>, the other claims of the joint
    /// statements those claims were made in follow, marked <see cref="ClaimRow.Relation"/> = "joint-statement".
    /// ThreatLedger's own undated links from a state organ to its state are structure, not claims, and are left out.
    /// </summary>
    public static async Task<IReadOnlyList<ClaimRow>> ClaimsAboutAsync(IStixStore store, string name, DateOnly? asOf = null, AccessFilter? access = null, bool directOnly = false)
    {
        var rows = new List<ClaimRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool Include(ClaimRow row) =>
            (asOf is null || (row.Date is not null && string.CompareOrdinal(row.Date, Day(asOf.Value)) <= 0))
            && !(row.AuthorId == LedgerExtension.IdentityId && row.Date is null);

        foreach (var subject in await ResolveAsync(store, name, access).ConfigureAwait(false))
        {
            var edges = await store.EdgesAsync(subject, EdgeDirection.Outgoing, ["attributed-to"], access).ConfigureAwait(false);
            foreach (var via in edges.Where(e => e.Via is not null).Select(e => e.Via!).Distinct(StringComparer.Ordinal))
            {
                // With an as-of date, claims without a known date are left out: nobody can say they were made by then.
                if (seen.Add(via) && await ClaimAsync(store, via, access).ConfigureAwait(false) is { } row && Include(row))
                {
                    rows.Add(row);
                }
            }
        }

        if (!directOnly)
        {
            foreach (var statement in rows.Select(r => r.JointStatementId).OfType<string>().Distinct(StringComparer.Ordinal).ToList())
            {
                if (await StoreJson.GetAsync(store, statement, access).ConfigureAwait(false) is not { } grouping)
                {
                    continue;
                }

                foreach (var r in (grouping["object_refs"] as JsonArray ?? []).Select(n => (string?)n).OfType<string>())
                {
                    if (r.StartsWith("relationship--", StringComparison.Ordinal) && seen.Add(r)
                        && await ClaimAsync(store, r, access).ConfigureAwait(false) is { } row && Include(row))
                    {
                        rows.Add(row with { Relation = "joint-statement" });
                    }
                }
            }
        }

        return rows.OrderBy(r => r.Date ?? string.Empty, StringComparer.Ordinal).ThenBy(r => r.Relation, StringComparer.Ordinal).ThenBy(r => r.Author, StringComparer.Ordinal).ToList();
    }

    /// <summary>One claim by its relationship id.</summary>
    public static async Task<ClaimRow?> ClaimAsync(IStixStore store, string claimId, AccessFilter? access = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (await StoreJson.GetAsync(store, claimId, access).ConfigureAwait(false) is not { } claim || (string?)claim["relationship_type"] != "attributed-to")
        {
            return null;
        }

        var ext = LedgerExtension.Of(claim);
        string subject = (string)claim["source_ref"]!, sponsor = (string)claim["target_ref"]!;
        string? author = (string?)claim["created_by_ref"];
        string? date = (string?)ext?["statement_date"] ?? ((string?)claim["start_time"])?[..10];
        return new ClaimRow(
            claimId,
            author is null ? null : await StoreJson.NameAsync(store, author, access).ConfigureAwait(false),
            author,
            date,
            await StoreJson.NameAsync(store, subject, access).ConfigureAwait(false),
            subject,
            await StoreJson.NameAsync(store, sponsor, access).ConfigureAwait(false),
            sponsor,
            (string?)ext?["response_type"] ?? "statement",
            claim["confidence"] is JsonValue c ? c.GetValue<int>() : null,
            (string?)ext?["estimative_phrase"],
            (string?)ext?["wording"],
            (string?)claim["external_references"]?[0]?["url"],
            (string?)ext?["joint_statement_ref"])
        {
            Stance = (string?)ext?["stance"] ?? "attributes",
        };
    }

    /// <summary>Joint statements, oldest first; with <paramref name="about"/>, only those with a claim about that entity.</summary>
    public static async Task<IReadOnlyList<StatementRow>> StatementsAsync(IStixStore store, string? about = null, AccessFilter? access = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var subjects = about is null ? null : (await ResolveAsync(store, about, access).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var rows = new List<StatementRow>();
        string? next = null;
        do
        {
            var page = await store.QueryAsync(new ObjectQuery { Types = ["grouping"], Limit = 1000, Next = next, Access = access }).ConfigureAwait(false);
            foreach (var g in page.Items)
            {
                var json = JsonNode.Parse(g.Json.Span)!;
                if ((string?)json["context"] != LedgerExtension.JointStatementContext)
                {
                    continue;
                }

                var ext = LedgerExtension.Of(json);
                var claimIds = new List<string>();
                foreach (var r in (json["object_refs"] as JsonArray ?? []).Select(n => (string?)n).OfType<string>())
                {
                    if (r.StartsWith("relationship--", StringComparison.Ordinal) && await StoreJson.GetAsync(store, r, access).ConfigureAwait(false) is { } rel
                        && (string?)rel["relationship_type"] == "attributed-to")
                    {
                        if (subjects is null || subjects.Contains((string)rel["source_ref"]!))
                        {
                            claimIds.Add(r);
                        }
                    }
                }

                if (subjects is not null && claimIds.Count == 0)
                {
                    continue;
                }

                var participants = new List<Party>();
                foreach (var p in (ext?["participant_refs"] as JsonArray ?? []).Select(n => (string?)n).OfType<string>())
                {
                    participants.Add(await PartyAsync(store, p, access).ConfigureAwait(false));
                }

                var declined = new List<Party>();
                var refusals = await store.EdgesAsync(g.Id, EdgeDirection.Incoming, [LedgerExtension.DeclinedToJoin], access).ConfigureAwait(false);
                foreach (var d in refusals)
                {
                    declined.Add(await PartyAsync(store, d.Id, access).ConfigureAwait(false));
                }

                rows.Add(new StatementRow(
                    g.Id,
                    (string?)json["name"],
                    (string?)ext?["statement_date"] ?? ((string)json["created"]!)[..10],
                    participants,
                    declined,
                    claimIds,
                    (string?)json["external_references"]?[0]?["url"]));
            }

            next = page.Next;
        }
        while (next is not null);

        return rows.OrderBy(r => r.Date, StringComparer.Ordinal).ToList();
    }

    private static async Task<Party> PartyAsync(IStixStore store, string id, AccessFilter? access)
    {
        string? country = null;
        var located = await store.EdgesAsync(id, EdgeDirection.Outgoing, ["located-at"], access).ConfigureAwait(false);
        foreach (var l in located)
        {
            if (await StoreJson.GetAsync(store, l.Id, access).ConfigureAwait(false) is { } loc && (string?)loc["country"] is { } cc)
            {
                country = cc.ToUpperInvariant();
                break;
            }
        }

        return new Party(id, await StoreJson.NameAsync(store, id, access).ConfigureAwait(false), country);
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
