using System.Text;
using System.Text.Json.Nodes;

namespace ThreatLedger.Ledger.Tests;

/// <summary>
/// A small, invented ledger (fictional states and groups, so no real attribution is asserted by a
/// test): one group with aliases in two languages, a sponsor, three governments with countries,
/// a joint statement by two of them, a party that declined, an indictment and an older claim.
/// </summary>
public static class LedgerFixture
{
    public const string Group = "intrusion-set--5d1c6f0e-8a43-4c1e-9c6b-2f7d8e9a0b11";
    public const string Sponsor = "threat-actor--6e2d7a1f-9b54-4d2f-8d7c-3a8e9f0b1c22";
    public const string Arcadia = "identity--7f3e8b2a-0c65-4e3a-9e8d-4b9f0a1c2d33";
    public const string Borduria = "identity--8a4f9c3b-1d76-4f4b-8f9e-5c0a1b2d3e44";
    public const string Carpania = "identity--9b5a0d4c-2e87-4a5c-9a0f-6d1b2c3e4f55";
    public const string Statement = "grouping--0c6b1e5d-3f98-4b6d-8b1a-7e2c3d4f5a66";
    public const string ClaimA = "relationship--1d7c2f6e-4a09-4c7e-9c2b-8f3d4e5a6b77";
    public const string ClaimB = "relationship--2e8d3a7f-5b1a-4d8f-8d3c-9a4e5f6b7c88";
    public const string Indictment = "relationship--3f9e4b8a-6c2b-4e9a-9e4d-0b5f6a7c8d99";
    public const string OldClaim = "relationship--4a0f5c9b-7d3c-4f0b-8f5e-1c6a7b8d9e00";
    public const string Declined = "relationship--5b1a6d0c-8e4d-4a1c-9a6f-2d7b8c9e0f11";
    private const string Created = "2021-07-19T00:00:00.000Z";

    public static List<JsonObject> Objects()
    {
        var list = new List<JsonObject>
        {
            LedgerExtension.Identity(),
            LedgerExtension.Definition(),
            Sdo("intrusion-set", Group, "Example Group 7", ("aliases", new JsonArray("Kryptic Otter", "エグザンプル7"))),
            Sdo("threat-actor", Sponsor, "Arcadian Ministry of Secrets", ("threat_actor_types", new JsonArray("nation-state"))),
        };
        foreach (var (id, name, cc) in new[] { (Arcadia, "Government of Arcadia", "XA"), (Borduria, "Government of Borduria", "XB"), (Carpania, "Government of Carpania", "XC") })
        {
            var government = Sdo("identity", id, name, ("identity_class", "organization"));
            government["sectors"] = new JsonArray("government-national");
            list.Add(government);
            string loc = "location--" + id[10..];
            list.Add(new JsonObject { ["type"] = "location", ["spec_version"] = "2.1", ["id"] = loc, ["created"] = Created, ["modified"] = Created, ["country"] = cc });
            list.Add(new JsonObject
            {
                ["type"] = "relationship", ["spec_version"] = "2.1", ["id"] = "relationship--" + id[10..], ["created"] = Created, ["modified"] = Created,
                ["relationship_type"] = "located-at", ["source_ref"] = id, ["target_ref"] = loc,
            });
        }

        list.Add(Claims.Claim(new ClaimSpec(Arcadia, Group, Sponsor, new DateOnly(2021, 7, 19), "https://example.org/arcadia/statement")
        {
            Id = ClaimA, Confidence = 85, EstimativePhrase = "highly likely", Wording = "Example Group 7 is highly likely backed by the Arcadian Ministry of Secrets.", WordingLang = "en", JointStatementRef = Statement,
        }, Created));
        list.Add(Claims.Claim(new ClaimSpec(Borduria, Group, Sponsor, new DateOnly(2021, 7, 19), "https://example.org/borduria/statement")
        {
            Id = ClaimB, EstimativePhrase = "可能性が高い", WordingLang = "ja", JointStatementRef = Statement,
        }, Created));
        list.Add(Claims.Claim(new ClaimSpec(Arcadia, Group, Sponsor, new DateOnly(2021, 7, 19), "https://example.org/arcadia/indictment") { Id = Indictment, ResponseType = "indictment" }, Created));
        list.Add(Claims.Claim(new ClaimSpec(Borduria, Group, Sponsor, new DateOnly(2018, 12, 20), "https://example.org/borduria/2018") { Id = OldClaim, Confidence = 50 }, "2018-12-20T00:00:00.000Z"));
        list.Add(Claims.JointStatement(Statement, "Joint statement on Example Group 7", new DateOnly(2021, 7, 19), [Arcadia, Borduria], [ClaimA, ClaimB], "https://example.org/joint", Created));
        list.Add(Claims.DeclinedToJoin(Carpania, Statement, Arcadia, "https://example.org/news/carpania", Created, Declined));
        return list;
    }

    public static string Bundle() =>
        new JsonObject { ["type"] = "bundle", ["id"] = "bundle--6c2b7e1d-9f5e-4b2d-8b7a-3e8c9d0f1a22", ["objects"] = new JsonArray(Objects().Select(o => (JsonNode?)o).ToArray()) }.ToJsonString();

    public static MemoryStream Stream() => new(Encoding.UTF8.GetBytes(Bundle()));

    private static JsonObject Sdo(string type, string id, string name, params (string Name, JsonNode? Value)[] extra)
    {
        var o = new JsonObject { ["type"] = type, ["spec_version"] = "2.1", ["id"] = id, ["created"] = Created, ["modified"] = Created, ["name"] = name };
        foreach (var (n, v) in extra)
        {
            o[n] = v;
        }

        return o;
    }

    private static (string, JsonNode?) Pair(string n, string v) => (n, JsonValue.Create(v));

    private static JsonObject Sdo(string type, string id, string name, (string Name, string Value) extra) => Sdo(type, id, name, Pair(extra.Name, extra.Value));
}
