using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static ThreatLedger.Storage.Tests.StixBuilders;

namespace ThreatLedger.Storage.Tests;

public abstract partial class StoreConformance
{
    [SkippableFact]
    public async Task Stats_CountIdsVersionsEdgesAndTypes()
    {
        using var store = NewStore();
        var empty = await store.StatsAsync();
        Assert.Equal((0L, 0L, 0L), (empty.Objects, empty.Versions, empty.Edges));
        Assert.Empty(empty.ByType);

        var a = IntrusionSet("A", day: 1);
        var b = IntrusionSet("B");
        var m = Malware("M");
        await PutAllOk(store, a, b, m, Ipv4("192.0.2.10"), Relationship("uses", a.IdOf(), m.IdOf()));
        await PutOk(store, a.At(2));
        await PutOk(store, a.At(3));
        await PutOk(store, a.At(0));

        var stats = await store.StatsAsync();

        Assert.Equal(5, stats.Objects);
        Assert.Equal(8, stats.Versions);
        Assert.Equal(1, stats.Edges);
        Assert.Equal(2, stats.ByType["intrusion-set"]);
        Assert.Equal(1, stats.ByType["malware"]);
        Assert.Equal(1, stats.ByType["ipv4-addr"]);
        Assert.Equal(1, stats.ByType["relationship"]);
        Assert.Equal(4, stats.ByType.Count);
        Assert.True(stats.SizeBytes is null or > 0);
    }

    private static MemoryStream Bundle(params JsonNode[] objects)
    {
        var bundle = new JsonObject
        {
            ["type"] = "bundle",
            ["id"] = NewId("bundle"),
            ["objects"] = new JsonArray(objects.Select(o => o.DeepClone()).ToArray()),
        };
        return new MemoryStream(Encoding.UTF8.GetBytes(bundle.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
    }

    [SkippableFact]
    public async Task Import_OneInvalidObject_FailsWithItsReason_OthersAreStored_AndReimportIsUnchanged()
    {
        using var store = NewStore();
        var a = IntrusionSet("APT40");
        var m = Malware("M");
        var invalid = Sdo("intrusion-set"); // no name
        var r = Relationship("uses", a.IdOf(), m.IdOf());

        ImportSummary first;
        using (var s = Bundle(a, m, invalid, r))
        {
            first = await StixImporter.ImportAsync(store, s, "test-bundle.json");
        }

        Assert.Equal((3L, 1L, 0L, 4L), (first.Added, first.Failed, first.Unchanged, first.Total));
        var failure = Assert.Single(first.Failures);
        Assert.Equal(2, failure.Index);
        Assert.Equal(invalid.IdOf(), failure.Id);
        Assert.Equal(PutOutcome.Failed, failure.Outcome);
        Assert.Contains("name", failure.Message, StringComparison.Ordinal);
        Assert.Contains("test-bundle.json", failure.Message, StringComparison.Ordinal);
        Assert.Equal([0, 1, 3], first.Successes.Select(x => x.Index).Order());
        Assert.NotNull(await store.GetAsync(r.IdOf()));
        Assert.Null(await store.GetAsync(invalid.IdOf()));

        ImportSummary again;
        using (var s = Bundle(a, m, invalid, r))
        {
            again = await StixImporter.ImportAsync(store, s, "test-bundle.json", new ImportOptions { BatchSize = 2 });
        }

        Assert.Equal((0L, 3L, 1L), (again.Added, again.Unchanged, again.Failed));
        Assert.All(again.Successes, x => Assert.Equal(PutOutcome.Unchanged, x.Outcome));
        var stats = await store.StatsAsync();
        Assert.Equal((3L, 3L), (stats.Objects, stats.Versions));
    }

    [SkippableFact]
    public async Task Import_ReportsEachWrittenBatch_WithTheCountsSoFar()
    {
        using var store = NewStore();
        var written = new List<(long Succeeded, long Failed)>();

        ImportSummary summary;
        using (var s = Bundle(IntrusionSet("One"), IntrusionSet("Two"), Sdo("intrusion-set"), IntrusionSet("Four"), IntrusionSet("Five")))
        {
            summary = await StixImporter.ImportAsync(store, s, "batches.json", new ImportOptions { BatchSize = 2 }, batchWritten: soFar => written.Add((soFar.Succeeded, soFar.Failed)));
        }

        // Three batches (2, 2, 1); the object without a name fails in the second.
        Assert.Equal([(2L, 0L), (3L, 1L), (4L, 1L)], written);
        Assert.Equal((4L, 1L), (summary.Succeeded, summary.Failed));
    }

    [SkippableFact]
    public async Task Import_SharedAttackIcsBundle_StoresEveryObject_AndReimportIsUnchanged()
    {
        string path = SharedData.SkipIfMissing("attack", "ics-attack.json");
        int count;
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(path)))
        {
            count = doc.RootElement.GetProperty("objects").GetArrayLength();
        }

        using var store = NewStore();
        ImportSummary first;
        await using (var s = File.OpenRead(path))
        {
            first = await StixImporter.ImportAsync(store, s, "ics-attack.json");
        }

        Assert.True(first.Failed == 0, string.Join("\n", first.Failures.Take(5).Select(f => $"{f.Index} {f.Id}: {f.Message}")));
        Assert.Equal(count, first.Succeeded);
        Assert.Equal(count, first.Added);

        ImportSummary again;
        await using (var s = File.OpenRead(path))
        {
            again = await StixImporter.ImportAsync(store, s, "ics-attack.json");
        }

        Assert.Equal(count, again.Unchanged);
        Assert.Equal(count, again.Total);
        var stats = await store.StatsAsync();
        Assert.Equal(count, stats.Objects);
        Assert.Equal(count, stats.Versions);
        Assert.True(stats.Edges > 0);
        Assert.NotEmpty(await store.SearchAsync(new SearchQuery { Text = "T0800" }));
    }
}
