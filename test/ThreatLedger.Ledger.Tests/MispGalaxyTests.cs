using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ThreatLedger.Stix;
using ThreatLedger.Stix.Tests;
using ThreatLedger.Stix.Validation;
using ThreatLedger.Storage;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Ledger.Tests;

public sealed class MispGalaxyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tl-misp-" + Guid.NewGuid().ToString("N"));

    public MispGalaxyTests() => System.IO.Directory.CreateDirectory(_dir);

    private const string Small = """
        {"authors":["t"],"category":"actor","description":"d","name":"Threat Actor","source":"s","type":"threat-actor",
         "uuid":"7cdff317-a673-4474-84ec-4f1754947823","version":349,
         "values":[
          {"value":"Group A","uuid":"5b4b6980-3bc7-11e8-84d6-879aaac37dd9","description":"An invented group.",
           "meta":{"country":"XA","synonyms":["Otter A","TEMP.A"],"origin:TEMP.A":"Vendor One","name-attribution":["G9999:aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"],
                   "cfr-suspected-state-sponsor":"Arcadia","attribution-confidence":"50","refs":["https://example.org/a","not a url"]},
           "related":[{"dest-uuid":"7113eaa5-ba79-4fb3-b68a-398ee9cd698e","type":"similar","tags":["estimative-language:likelihood-probability=\"likely\""]},
                      {"dest-uuid":"019514dc-c894-751f-8cfd-ff2b932ff451","type":"uses"}]},
          {"value":"Group B","uuid":"019514dc-c894-751f-8cfd-ff2b932ff451","meta":{}}
         ]}
        """;

    [Fact]
    public void Detection_TellsGalaxyFilesFromStix()
    {
        Assert.True(MispGalaxy.LooksLikeGalaxy(Encoding.UTF8.GetBytes(Small)));
        Assert.False(MispGalaxy.LooksLikeGalaxy("{\"type\":\"bundle\",\"id\":\"bundle--x\",\"objects\":[]}"u8));
        Assert.Throws<FormatException>(() => MispGalaxy.Convert("{\"values\":3}"u8));
    }

    [Fact]
    public void Convert_ClusterBecomesIntrusionSet_WithAliasesProvenanceCountrySponsorAndProposedEquivalence()
    {
        var objects = MispGalaxy.Convert(Encoding.UTF8.GetBytes(Small));
        var doc = StixJson.Read(Encoding.UTF8.GetBytes(new JsonObject { ["type"] = "bundle", ["id"] = "bundle--" + Guid.NewGuid(), ["objects"] = new JsonArray(objects.Select(o => (JsonNode?)o.DeepClone()).ToArray()) }.ToJsonString()));
        Assert.Empty(doc.Diagnostics.Where(d => d.Severity == StixSeverity.Error).Select(d => d.ToString()));

        var a = objects.Single(o => (string?)o["name"] == "Group A");
        Assert.Equal("intrusion-set--5b4b6980-3bc7-11e8-84d6-879aaac37dd9", (string?)a["id"]);
        Assert.Equal(["Otter A", "TEMP.A", "G9999"], a["aliases"]!.AsArray().Select(n => (string)n!));
        var records = LedgerExtension.Of(a)!["alias_records"]!.AsArray();
        Assert.Equal("Vendor One", (string?)records.Single(r => (string?)r!["name"] == "TEMP.A")!["coined_by"]);
        Assert.Equal("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", (string?)records.Single(r => (string?)r!["name"] == "G9999")!["misp_name_attribution"]);
        Assert.Equal(["https://example.org/a", "https://attack.mitre.org/groups/G9999/"], a["external_references"]!.AsArray().Select(r => (string?)r!["url"]).OfType<string>());
        Assert.Equal("G9999", (string?)a["external_references"]!.AsArray().Single(r => (string?)r!["source_name"] == "mitre-attack-cited")!["external_id"]);

        Assert.Contains(objects, o => (string?)o["type"] == "location" && (string?)o["country"] == "XA");
        Assert.Contains(objects, o => (string?)o["relationship_type"] == "originates-from" && (string?)o["source_ref"] == (string?)a["id"]);
        var claim = objects.Single(o => (string?)o["relationship_type"] == "attributed-to");
        Assert.Equal(50, (int)claim["confidence"]!);
        var eq = objects.Single(o => (string?)o["relationship_type"] == "related-to");
        Assert.Equal("intrusion-set--7113eaa5-ba79-4fb3-b68a-398ee9cd698e", (string?)eq["target_ref"]);
        Assert.Equal(("proposed", 65), ((string?)LedgerExtension.Of(eq)!["equivalence"], (int)eq["confidence"]!));

        // MISP's newer version-7 uuids are not RFC 4122: a stable version-5 id stands in for them.
        var b = objects.Single(o => (string?)o["name"] == "Group B");
        Assert.Equal("intrusion-set--" + MispGalaxy.StixUuid("019514dc-c894-751f-8cfd-ff2b932ff451"), (string?)b["id"]);
        Assert.NotEqual("intrusion-set--019514dc-c894-751f-8cfd-ff2b932ff451", (string?)b["id"]);
        Assert.Equal(MispGalaxy.StixUuid("019514dc-c894-751f-8cfd-ff2b932ff451"), MispGalaxy.StixUuid("019514DC-C894-751F-8CFD-FF2B932FF451"));
    }

    [Fact]
    public async Task Sponsors_GetTheirCountry_UnknownIsNoClaim_AndCitedAttackGroupsAreProposedOnce()
    {
        const string galaxy = """
            {"name":"Threat Actor","type":"threat-actor","uuid":"7cdff317-a673-4474-84ec-4f1754947823","version":1,
             "values":[
              {"value":"Group C","uuid":"6b4b6980-3bc7-11e8-84d6-879aaac37dd9","meta":{"cfr-suspected-state-sponsor":"Korea (Democratic People's Republic of)","refs":["https://attack.mitre.org/groups/G9998/"]}},
              {"value":"Group D","uuid":"7b4b6980-3bc7-11e8-84d6-879aaac37dd9","meta":{"cfr-suspected-state-sponsor":"Unknown","synonyms":["G9997"]}}
             ]}
            """;
        var objects = MispGalaxy.Convert(Encoding.UTF8.GetBytes(galaxy));
        var sponsor = objects.Single(o => (string?)o["type"] == "threat-actor");
        var located = objects.Single(o => (string?)o["relationship_type"] == "located-at");
        Assert.Equal((string?)sponsor["id"], (string?)located["source_ref"]);
        Assert.Equal("KP", (string?)objects.Single(o => (string?)o["id"] == (string?)located["target_ref"])!["country"]);
        Assert.Single(objects, o => (string?)o["relationship_type"] == "attributed-to");

        // Two ATT&CK-like groups; C cites G9998, D cites G9997 and already has a rejected equivalence with it.
        using var store = SqliteStixStore.Open(Path.Combine(_dir, "links.db"));
        const string attackC = "intrusion-set--0a1b2c3d-1111-4aaa-8bbb-000000009998", attackD = "intrusion-set--0a1b2c3d-1111-4aaa-8bbb-000000009997";
        foreach (var (id, gid) in new[] { (attackC, "G9998"), (attackD, "G9997") })
        {
            await store.PutAsync([PreparedObject.From(StixJson.ParseObject($$"""
                {"type":"intrusion-set","spec_version":"2.1","id":"{{id}}","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"{{gid}} group",
                 "external_references":[{"source_name":"mitre-attack","external_id":"{{gid}}"}]}
                """))]);
        }

        Assert.Equal(0, (await Import(store, Encoding.UTF8.GetBytes(galaxy))).Failed);
        string groupD = (string)objects.Single(o => (string?)o["name"] == "Group D")["id"]!;
        Assert.True((await Equivalences.SetAsync(store, groupD, attackD, "rejected", "not the same group")).Succeeded);

        Assert.Equal(1, await Equivalences.ProposeAttackLinksAsync(store));
        Assert.Equal(0, await Equivalences.ProposeAttackLinksAsync(store));
        string groupC = (string)objects.Single(o => (string?)o["name"] == "Group C")["id"]!;
        Assert.Equal("proposed", (await Equivalences.FindAsync(store, groupC, attackC))!.Value.State);
        Assert.Equal("rejected", (await Equivalences.FindAsync(store, groupD, attackD))!.Value.State);
    }

    [SkippableFact]
    public async Task SharedThreatActorGalaxy_ImportsEveryActor_AndAgainIsUnchanged()
    {
        string path = SharedData.SkipIfMissing("misp-galaxy", "threat-actor.json");
        var bytes = await System.IO.File.ReadAllBytesAsync(path);
        var clusters = JsonNode.Parse(bytes)!["values"]!.AsArray().Count;
        using var store = SqliteStixStore.Open(Path.Combine(_dir, "misp.db"));

        var first = await Import(store, bytes);
        var second = await Import(store, bytes);

        Assert.Equal(0, first.Failed);
        Assert.Equal(first.Total, first.Added);
        Assert.Equal(first.Total, second.Unchanged);
        Assert.Equal(clusters, (await store.StatsAsync()).ByType["intrusion-set"]);

        // APT40's MISP cluster: found by a synonym, its aliases keep who coined them, and a proposed
        // equivalence points at the ATT&CK group's id (Leviathan).
        var hit = (await store.SearchAsync(new SearchQuery { Text = "TEMP.Periscope", Types = ["intrusion-set"] })).First();
        Assert.Equal("APT40", hit.Name);
        var edges = await store.EdgesAsync(hit.Id, EdgeDirection.Outgoing, ["related-to"]);
        Assert.Contains(edges, e => e.Id == "intrusion-set--7113eaa5-ba79-4fb3-b68a-398ee9cd698e");
    }

    private static async Task<ImportSummary> Import(IStixStore store, byte[] galaxy)
    {
        using var input = new MemoryStream(MispGalaxy.ToStixBundle(galaxy));
        return await StixImporter.ImportAsync(store, input, "threat-actor.json");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_dir, true);
    }
}
