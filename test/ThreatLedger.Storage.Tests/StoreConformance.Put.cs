using System.Text;
using ThreatLedger.Stix;
using static ThreatLedger.Storage.Tests.StixBuilders;

namespace ThreatLedger.Storage.Tests;

public abstract partial class StoreConformance
{
    [SkippableFact]
    public async Task Put_NewObject_IsAddedWithItsVersion()
    {
        using var store = NewStore();
        var a = IntrusionSet("APT40", day: 0);

        var r = Assert.Single(await Put(store, a));

        Assert.Equal(PutOutcome.Added, r.Outcome);
        Assert.Equal(0, r.Index);
        Assert.Equal(a.IdOf(), r.Id);
        Assert.Equal(Ts(0), r.Version);
        Assert.Null(r.Message);
        var got = await store.GetAsync(a.IdOf());
        Assert.NotNull(got);
        Assert.Equal("intrusion-set", got.Type);
        Assert.Equal("2.1", got.SpecVersion);
        Assert.Equal(V(0), got.Version);
        Assert.True(got.IsLatest);
        Assert.Null(got.Tlp);
        Assert.Equal("APT40", Prop(got, "name"));
    }

    [SkippableFact]
    public async Task Put_SameObjectAgain_IsUnchangedAndStoresNothing()
    {
        using var store = NewStore();
        var a = IntrusionSet("APT40");
        await PutOk(store, a);
        var first = await store.GetAsync(a.IdOf());
        Clock.Advance(TimeSpan.FromMinutes(1));

        var r = Assert.Single(await Put(store, a));

        Assert.Equal(PutOutcome.Unchanged, r.Outcome);
        Assert.Equal(Ts(0), r.Version);
        var versions = await store.GetVersionsAsync(a.IdOf());
        Assert.Single(versions);
        Assert.Equal(first!.DateAdded, versions[0].DateAdded);
        Assert.Equal(first.Sequence, versions[0].Sequence);
        var stats = await store.StatsAsync();
        Assert.Equal(1, stats.Versions);
    }

    [SkippableFact]
    public async Task Put_SameContentWithOtherPropertyOrder_IsUnchanged()
    {
        using var store = NewStore();
        string id = NewId("intrusion-set");
        string json1 = $$"""{"type":"intrusion-set","spec_version":"2.1","id":"{{id}}","created":"{{Created}}","modified":"{{Ts(0)}}","name":"APT40","aliases":["Leviathan"]}""";
        string json2 = $$"""{ "aliases": [ "Leviathan" ], "name": "APT40", "modified": "{{Ts(0)}}", "created": "{{Created}}", "id": "{{id}}", "spec_version": "2.1", "type": "intrusion-set" }""";

        var r1 = await store.PutAsync([PreparedObject.From(Encoding.UTF8.GetBytes(json1), 0, false)]);
        var r2 = await store.PutAsync([PreparedObject.From(Encoding.UTF8.GetBytes(json2), 0, false)]);

        Assert.Equal(PutOutcome.Added, r1[0].Outcome);
        Assert.Equal(PutOutcome.Unchanged, r2[0].Outcome);
    }

    [SkippableFact]
    public async Task Put_NewerModified_IsNewVersionAndBecomesLatest()
    {
        using var store = NewStore();
        var v1 = IntrusionSet("APT40", day: 0);
        await PutOk(store, v1);

        var r = Assert.Single(await Put(store, v1.At(5).With("description", "updated")));

        Assert.Equal(PutOutcome.NewVersion, r.Outcome);
        Assert.Equal(Ts(5), r.Version);
        var latest = await store.GetAsync(v1.IdOf());
        Assert.Equal(V(5), latest!.Version);
        Assert.Equal("updated", Prop(latest, "description"));
        var versions = await store.GetVersionsAsync(v1.IdOf());
        Assert.Equal([false, true], versions.Select(v => v.IsLatest));
    }

    [SkippableFact]
    public async Task Put_OlderModified_IsOlderVersionAndLatestStays()
    {
        using var store = NewStore();
        var v5 = IntrusionSet("APT40 v5", day: 5);
        await PutOk(store, v5);

        var r = Assert.Single(await Put(store, v5.At(1).With("name", "APT40 v1")));

        Assert.Equal(PutOutcome.OlderVersion, r.Outcome);
        Assert.Equal(Ts(1), r.Version);
        var latest = await store.GetAsync(v5.IdOf());
        Assert.Equal(V(5), latest!.Version);
        Assert.Equal("APT40 v5", Prop(latest, "name"));
        var old = await store.GetAsync(v5.IdOf(), version: V(1));
        Assert.NotNull(old);
        Assert.False(old.IsLatest);
        Assert.Equal("APT40 v1", Prop(old, "name"));
    }

    [SkippableFact]
    public async Task Put_SameVersionDifferentContent_FailsWithMessageAndKeepsTheStoredContent()
    {
        using var store = NewStore();
        var a = IntrusionSet("APT40", day: 3);
        await PutOk(store, a);

        var r = Assert.Single(await Put(store, a.With("description", "changed without a new modified")));

        Assert.Equal(PutOutcome.Failed, r.Outcome);
        Assert.False(r.Succeeded);
        Assert.Equal(a.IdOf(), r.Id);
        Assert.False(string.IsNullOrWhiteSpace(r.Message));
        Assert.Contains("modified", r.Message, StringComparison.Ordinal);
        var stored = Assert.Single(await store.GetVersionsAsync(a.IdOf()));
        Assert.Null(Prop(stored, "description"));
    }

    [SkippableFact]
    public async Task Put_ObservableSameContent_IsUnchanged_DifferentContent_Fails()
    {
        using var store = NewStore();
        var ip = Ipv4("198.51.100.7");
        var added = Assert.Single(await Put(store, ip));
        Assert.Equal(PutOutcome.Added, added.Outcome);
        Clock.Advance(TimeSpan.FromSeconds(1));

        var same = Assert.Single(await Put(store, ip));
        var changed = Assert.Single(await Put(store, ip.With("value", "198.51.100.8")));

        Assert.Equal(PutOutcome.Unchanged, same.Outcome);
        Assert.Equal(PutOutcome.Failed, changed.Outcome);
        Assert.False(string.IsNullOrWhiteSpace(changed.Message));
        var stored = Assert.Single(await store.GetVersionsAsync(ip.IdOf()));
        Assert.Equal("198.51.100.7", Prop(stored, "value"));
        // Unversioned: the version is the first date_added.
        Assert.Equal(stored.DateAdded.Ticks, stored.Version.Ticks);
    }

    [SkippableFact]
    public async Task Put_MarkingDefinitionSameContent_IsUnchanged_DifferentContent_Fails()
    {
        using var store = NewStore();
        var m = StatementMarking("Copyright 2021 Example Corp");
        Assert.Equal(PutOutcome.Added, Assert.Single(await Put(store, m)).Outcome);

        var same = Assert.Single(await Put(store, m));
        var changed = Assert.Single(await Put(store, m.With("definition", new System.Text.Json.Nodes.JsonObject { ["statement"] = "Copyright 2022 Example Corp" })));

        Assert.Equal(PutOutcome.Unchanged, same.Outcome);
        Assert.Equal(PutOutcome.Failed, changed.Outcome);
        Assert.Contains("marking", changed.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Single(await store.GetVersionsAsync(m.IdOf()));
    }

    [SkippableFact]
    public async Task Put_SeveralVersionsOfOneIdInOneBatch_AreEachDecidedInOrder()
    {
        using var store = NewStore();
        var v2 = IntrusionSet("APT40 v2", day: 2);
        var v1 = v2.At(1).With("name", "APT40 v1");
        var v3 = v2.At(3).With("name", "APT40 v3");

        var results = await Put(store, v2, v1, v3, v2, v3.With("name", "conflict"));

        Assert.Equal(
            [PutOutcome.Added, PutOutcome.OlderVersion, PutOutcome.NewVersion, PutOutcome.Unchanged, PutOutcome.Failed],
            results.Select(r => r.Outcome));
        var versions = await store.GetVersionsAsync(v2.IdOf());
        Assert.Equal([V(1), V(2), V(3)], versions.Select(v => v.Version));
        Assert.Equal([false, false, true], versions.Select(v => v.IsLatest));
        Assert.Equal("APT40 v3", Prop((await store.GetAsync(v2.IdOf()))!, "name"));
        var latest = Assert.Single((await store.QueryAsync(new ObjectQuery { Ids = [v2.IdOf()] })).Items);
        Assert.Equal(V(3), latest.Version);
        var stats = await store.StatsAsync();
        Assert.Equal(1, stats.Objects);
        Assert.Equal(3, stats.Versions);
    }

    [SkippableFact]
    public async Task Put_OneFailureInABatch_DoesNotStopTheOthers()
    {
        using var store = NewStore();
        var existing = IntrusionSet("Existing");
        await PutOk(store, existing);
        var a = IntrusionSet("A");
        var c = Malware("C");

        var results = await Put(store, a, existing.With("description", "conflicting"), c);

        Assert.Equal([PutOutcome.Added, PutOutcome.Failed, PutOutcome.Added], results.Select(r => r.Outcome));
        Assert.NotNull(await store.GetAsync(a.IdOf()));
        Assert.NotNull(await store.GetAsync(c.IdOf()));
        Assert.Equal(3, (await store.StatsAsync()).Objects);
    }

    [SkippableFact]
    public async Task Put_Results_AreInInputOrderWithTheGivenIndexes()
    {
        using var store = NewStore();
        var objects = Enumerable.Range(0, 6).Select(i => i % 2 == 0 ? IntrusionSet("Set " + i) : Tool("Tool " + i)).ToList();
        var batch = objects.Select((o, i) => o.Prepare(100 + i)).ToList();

        var results = await store.PutAsync(batch);

        Assert.Equal(Enumerable.Range(100, 6), results.Select(r => r.Index));
        Assert.Equal(objects.Select(o => o.IdOf()), results.Select(r => r.Id));
        Assert.All(results, r => Assert.Equal(PutOutcome.Added, r.Outcome));
        Assert.Empty(await store.PutAsync([]));
    }

    [SkippableFact]
    public async Task Put_DateAdded_IsMicrosecondsAndStrictlyIncreasing_EvenWhenTheClockStandsStillOrGoesBack()
    {
        using var store = NewStore();
        Clock.Advance(TimeSpan.FromTicks(1234567)); // not a whole microsecond
        var start = Clock.Now;
        var batch1 = Enumerable.Range(0, 5).Select(i => Tool("T" + i)).ToArray();
        var batch2 = Enumerable.Range(0, 3).Select(i => Tool("U" + i)).ToArray();
        await PutAllOk(store, batch1);
        Clock.Advance(TimeSpan.FromHours(-1));
        await PutAllOk(store, batch2);

        var all = await QueryAll(store, new ObjectQuery { Versions = VersionFilter.AllVersions });

        Assert.Equal(8, all.Count);
        Assert.Equal(batch1.Concat(batch2).Select(o => o.IdOf()), all.Select(o => o.Id));
        Assert.All(all, o => AssertMicroseconds(o.DateAdded));
        long firstExpected = start.UtcTicks - (start.UtcTicks % 10);
        Assert.Equal(firstExpected, all[0].DateAdded.Ticks);
        for (int i = 1; i < all.Count; i++)
        {
            Assert.True(all[i].DateAdded > all[i - 1].DateAdded, $"date_added of row {i} is not after row {i - 1}");
            Assert.True(all[i].Sequence > all[i - 1].Sequence);
        }
    }

    [SkippableFact]
    public async Task Put_DateAdded_FollowsTheClock()
    {
        using var store = NewStore();
        var a = Tool("A");
        var b = Tool("B");
        await PutOk(store, a);
        Clock.Advance(TimeSpan.FromMinutes(10));
        var expected = ClockNow();
        await PutOk(store, b);

        var got = await store.GetAsync(b.IdOf());

        Assert.Equal(expected.Ticks, got!.DateAdded.Ticks);
    }
}
