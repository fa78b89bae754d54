using System.Text.Json;
using ThreatLedger.Stix.Tests;
using static ThreatLedger.Cli.Tests.CliRunner;

namespace ThreatLedger.Cli.Tests;

/// <summary>'threatledger ingest' as a new user runs it on the founding document.</summary>
public sealed class IngestCliTests
{
    [SkippableFact]
    public void Ingest_FoundingDocument_FormatEntities_GivesKindTextValueIdAliasesAndSpans()
    {
        string seed = SharedData.SkipIfMissing("..", "scenario", "seed-2021-07-21.ja.txt");
        using var db = new TestDb("sqlite");
        Assert.Equal(0, Run("pack", "load", "--db", db.Db).Exit);

        var (exit, output, _) = Run("ingest", seed, "--lang", "ja", "--published", "2021-07-21", "--format", "entities", "--db", db.Db);

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var items = doc.RootElement.EnumerateArray().ToList();
        string text = File.ReadAllText(seed).Replace("\r\n", "\n", StringComparison.Ordinal);
        foreach (var e in items)
        {
            Assert.True(e.TryGetProperty("kind", out _) && e.TryGetProperty("text", out _) && e.TryGetProperty("value", out _) && e.TryGetProperty("spans", out _));
        }

        var apt40 = items.Single(e => e.GetProperty("kind").GetString() == "threat-actor" && e.GetProperty("value").GetString() == "APT40");
        Assert.StartsWith("intrusion-set--", apt40.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Contains(apt40.GetProperty("aliases").EnumerateArray(), a => a.GetString() == "Leviathan");
        var span = apt40.GetProperty("spans")[0];
        Assert.Equal("APT40", text[span[0].GetInt32()..span[1].GetInt32()]);

        Assert.Contains(items, e => e.GetProperty("kind").GetString() == "date" && e.GetProperty("value").GetString() == "2020-09");
        Assert.Contains(items, e => e.GetProperty("kind").GetString() == "country" && e.GetProperty("value").GetString() == "KR");
        var claim = items.First(e => e.GetProperty("kind").GetString() == "claim" && e.GetProperty("value").GetProperty("subject").GetString() == "Tick");
        Assert.Equal(("attribution", "PLA Unit 61419", 85), (claim.GetProperty("value").GetProperty("type").GetString(), claim.GetProperty("value").GetProperty("sponsor").GetString(), claim.GetProperty("value").GetProperty("confidence").GetInt32()));

        // --format stix: the draft as a STIX bundle (report with provenance, locations, the proposed claims), valid, and not yet knowledge.
        long before = CountObjects(db.Db);
        var stix = Run("ingest", seed, "--lang", "ja", "--published", "2021-07-21", "--format", "stix", "--db", db.Db);
        Assert.Equal(0, stix.Exit);
        string bundle = Path.Combine(db.Dir, "draft.json");
        File.WriteAllText(bundle, stix.Out);
        var check = Run("validate", bundle);
        Assert.Equal(0, check.Exit);
        using (var b = JsonDocument.Parse(stix.Out))
        {
            var objects = b.RootElement.GetProperty("objects").EnumerateArray().ToList();
            var report = objects.Single(o => o.GetProperty("type").GetString() == "report");
            Assert.True(report.GetProperty("extensions").GetProperty(ThreatLedger.Ledger.LedgerExtension.Id).GetProperty("provenance").GetArrayLength() > 10);
            Assert.Contains(objects, o => o.GetProperty("type").GetString() == "relationship" && o.GetProperty("relationship_type").GetString() == "attributed-to");
        }

        Assert.Equal(before, CountObjects(db.Db));

        // Without a store the built-in vocabularies still work, and a bad option is a usage error.
        var bare = Run("ingest", seed, "--no-store", "--format", "entities", "--published", "2021-07-21");
        Assert.Contains("\"2018-10\"", bare.Out, StringComparison.Ordinal);
        Assert.Equal(2, Run("ingest", seed, "--published", "July").Exit);
    }

    private static long CountObjects(string db)
    {
        using var stats = JsonDocument.Parse(Run("stats", "--db", db, "--json").Out);
        return stats.RootElement.GetProperty("objects").GetInt64();
    }
}
