using System.Text.Json.Nodes;

namespace ThreatLedger.Ledger;

/// <summary>What a claim says (docs/adr/0003-attribution-ledger.md).</summary>
/// <param name="AuthorId">The claimant (an identity): the relationship's <c>created_by_ref</c>.</param>
/// <param name="SubjectId">Who is blamed: an intrusion-set, campaign or threat-actor.</param>
/// <param name="SponsorId">Who is said to be behind it.</param>
/// <param name="StatementDate">When the claim was made.</param>
/// <param name="SourceUrl">Where it was made.</param>
public sealed record ClaimSpec(string AuthorId, string SubjectId, string SponsorId, DateOnly StatementDate, string SourceUrl)
{
    /// <summary>0–100, from the estimative wording.</summary>
    public int? Confidence { get; init; }

    /// <summary>The estimative phrase verbatim (e.g. "highly likely", 可能性が高い).</summary>
    public string? EstimativePhrase { get; init; }

    /// <summary>The sentence that makes the claim, verbatim.</summary>
    public string? Wording { get; init; }

    /// <summary>The language of <see cref="Wording"/>.</summary>
    public string? WordingLang { get; init; }

    /// <summary>statement, advisory, indictment or sanction.</summary>
    public string ResponseType { get; init; } = "statement";

    /// <summary>
    /// "attributes" (the default: the author makes the attribution) or "acknowledges" (the author
    /// endorses other parties' attributions without making its own, as NATO did on 2021-07-19).
    /// </summary>
    public string? Stance { get; init; }

    /// <summary>The report that is the response (the indictment, say), if recorded.</summary>
    public string? ResponseRef { get; init; }

    /// <summary>The joint statement (grouping) the claim was made in, if any.</summary>
    public string? JointStatementRef { get; init; }

    /// <summary>A fixed id (packs use fixed ids so reloading is idempotent); a new one when null.</summary>
    public string? Id { get; init; }
}

/// <summary>Builds ledger objects as plain STIX 2.1 JSON.</summary>
public static class Claims
{
    /// <summary>The response types a claim may carry.</summary>
    public static IReadOnlyList<string> ResponseTypes { get; } = ["statement", "advisory", "indictment", "sanction"];

    /// <summary>An <c>attributed-to</c> relationship authored by the claimant, with the ledger extension.</summary>
    /// <exception cref="ArgumentException">The response type is not one of <see cref="ResponseTypes"/>, or the confidence is outside 0–100.</exception>
    public static JsonObject Claim(ClaimSpec spec, string created)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!ResponseTypes.Contains(spec.ResponseType))
        {
            throw new ArgumentException($"response type '{spec.ResponseType}' is not one of {string.Join(", ", ResponseTypes)}", nameof(spec));
        }

        if (spec.Stance is not null and not ("attributes" or "acknowledges"))
        {
            throw new ArgumentException($"stance '{spec.Stance}' is not attributes or acknowledges", nameof(spec));
        }

        if (spec.Confidence is < 0 or > 100)
        {
            throw new ArgumentException("confidence must be 0–100", nameof(spec));
        }

        var ext = new JsonObject
        {
            ["extension_type"] = "property-extension",
            ["statement_date"] = spec.StatementDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["response_type"] = spec.ResponseType,
        };
        Optional(ext, "response_ref", spec.ResponseRef);
        Optional(ext, "wording", spec.Wording);
        Optional(ext, "wording_lang", spec.WordingLang);
        Optional(ext, "stance", spec.Stance);
        Optional(ext, "estimative_phrase", spec.EstimativePhrase);
        Optional(ext, "joint_statement_ref", spec.JointStatementRef);

        var claim = new JsonObject
        {
            ["type"] = "relationship",
            ["spec_version"] = "2.1",
            ["id"] = spec.Id ?? "relationship--" + Guid.NewGuid().ToString("D"),
            ["created_by_ref"] = spec.AuthorId,
            ["created"] = created,
            ["modified"] = created,
            ["relationship_type"] = "attributed-to",
            ["source_ref"] = spec.SubjectId,
            ["target_ref"] = spec.SponsorId,
            ["start_time"] = spec.StatementDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T00:00:00.000Z",
            ["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "statement", ["url"] = spec.SourceUrl }),
            ["extensions"] = new JsonObject { [LedgerExtension.Id] = ext },
        };
        if (spec.Confidence is { } c)
        {
            claim["confidence"] = c;
        }

        return claim;
    }

    /// <summary>A joint statement: a grouping of its claims and participants.</summary>
    public static JsonObject JointStatement(string id, string name, DateOnly date, IEnumerable<string> participantIds, IEnumerable<string> claimIds, string sourceUrl, string created)
    {
        var participants = participantIds.ToList();
        var refs = new JsonArray();
        foreach (var r in claimIds.Concat(participants))
        {
            refs.Add(r);
        }

        var ext = new JsonObject
        {
            ["extension_type"] = "property-extension",
            ["statement_date"] = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["participant_refs"] = new JsonArray(participants.Select(p => (JsonNode?)p).ToArray()),
        };
        return new JsonObject
        {
            ["type"] = "grouping",
            ["spec_version"] = "2.1",
            ["id"] = id,
            ["created"] = created,
            ["modified"] = created,
            ["name"] = name,
            ["context"] = LedgerExtension.JointStatementContext,
            ["object_refs"] = refs,
            ["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "statement", ["url"] = sourceUrl }),
            ["extensions"] = new JsonObject { [LedgerExtension.Id] = ext },
        };
    }

    /// <summary>A party that did not join a joint statement, as reported by <paramref name="reportedById"/>.</summary>
    public static JsonObject DeclinedToJoin(string partyId, string statementId, string reportedById, string sourceUrl, string created, string? id = null) => new()
    {
        ["type"] = "relationship",
        ["spec_version"] = "2.1",
        ["id"] = id ?? "relationship--" + Guid.NewGuid().ToString("D"),
        ["created_by_ref"] = reportedById,
        ["created"] = created,
        ["modified"] = created,
        ["relationship_type"] = LedgerExtension.DeclinedToJoin,
        ["source_ref"] = partyId,
        ["target_ref"] = statementId,
        ["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "report", ["url"] = sourceUrl }),
    };

    private static void Optional(JsonObject o, string name, string? value)
    {
        if (value is not null)
        {
            o[name] = value;
        }
    }
}
