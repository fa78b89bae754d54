using System.Text.Json.Nodes;

namespace ThreatLedger.Ledger;

/// <summary>
/// ThreatLedger's published STIX 2.1 extension (docs/adr/0003-attribution-ledger.md): a property
/// extension that carries, on an <c>attributed-to</c> relationship, what the core has no property
/// for (statement date, response, original wording, estimative phrase, joint statement), and on a
/// <c>grouping</c> that is a joint statement, its date and participants. Consumers that ignore it
/// still see standard relationships with their <c>created_by_ref</c>.
/// </summary>
public static class LedgerExtension
{
    /// <summary>The extension-definition's id (fixed: it is published).</summary>
    public const string Id = "extension-definition--9a907a2b-0aa7-4e19-9aea-d641b145fd53";

    /// <summary>ThreatLedger's own identity, the creator of the extension definition.</summary>
    public const string IdentityId = "identity--118b7c4c-78e0-4143-8245-c2628c6a9761";

    /// <summary>The grouping context that marks a joint attribution statement.</summary>
    public const string JointStatementContext = "joint-attribution-statement";

    /// <summary>The relationship type recording that a party did not join a joint statement.</summary>
    public const string DeclinedToJoin = "declined-to-join";

    private const string Created = "2026-11-26T00:00:00.000Z";

    // Version 1.1.0 (starter pack part 2): stance, declined-to-join basis, alias records and equivalences described.
    // Version 1.2.0 (part 3): the provenance of an ingested report's items.
    private const string DefinitionModified = "2026-11-27T06:00:00.000Z";

    /// <summary>The identity object of ThreatLedger (the extension's creator).</summary>
    public static JsonObject Identity() => new()
    {
        ["type"] = "identity",
        ["spec_version"] = "2.1",
        ["id"] = IdentityId,
        ["created"] = Created,
        ["modified"] = Created,
        ["name"] = "ThreatLedger",
        ["identity_class"] = "system",
    };

    /// <summary>The extension-definition object (its latest version).</summary>
    public static JsonObject Definition() => new()
    {
        ["type"] = "extension-definition",
        ["spec_version"] = "2.1",
        ["id"] = Id,
        ["created_by_ref"] = IdentityId,
        ["created"] = Created,
        ["modified"] = DefinitionModified,
        ["name"] = "ThreatLedger attribution ledger",
        ["description"] = "Attribution claims with their author, date, response and original wording; joint statements and the parties that declined to join.",
        ["schema"] = "Property extension. On relationship (attributed-to, a claim; created_by_ref is the claimant): statement_date (YYYY-MM-DD), response_type (statement | advisory | indictment | sanction), response_ref, wording, wording_lang, estimative_phrase, stance (attributes, the default | acknowledges: the author endorses other parties' attributions without making its own), joint_statement_ref. On grouping (context joint-attribution-statement): statement_date, participant_refs. On relationship (declined-to-join, party to grouping): basis (how the refusal is known). On intrusion-set, threat-actor and campaign: alias_records, a list of {name, coined_by, source, misp_name_attribution}. On relationship (related-to between two descriptions of one group): equivalence (proposed | accepted | rejected) and reason. On report (written from an ingested document): provenance, one entry per item, {item (the draft item's number), kind, text (as written), object_ref, spans (a list of [start, end] character offsets into the document as read), rule (the alias or rule that matched), score (0 to 1)}. Defined in ThreatLedger's docs/adr/0003-attribution-ledger.md and docs/adr/0005-extraction.md.",
        ["version"] = "1.2.0",
        ["extension_types"] = new JsonArray("property-extension"),
    };

    /// <summary>Reads the extension's content from an object, if it has it.</summary>
    public static JsonObject? Of(JsonNode? stixObject) =>
        stixObject?["extensions"]?[Id] as JsonObject;
}
