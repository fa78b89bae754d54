using System.Text;
using ThreatLedger.Stix;
using static ThreatLedger.Storage.Tests.StixBuilders;

namespace ThreatLedger.Storage.Tests;

public abstract partial class StoreConformance
{
    [SkippableFact]
    public async Task Query_ByIdsAndTypes_ListsAreOredAndAnded()
    {
        using var store = NewStore();
        var a = IntrusionSet("A");
        var b = IntrusionSet("B");
        var m = Malware("M");
        var t = Tool("T");
        await PutAllOk(store, a, b, m, t);

        var byIds = await QueryAll(store, new ObjectQuery { Ids = [a.IdOf(), m.IdOf(), NewId("tool")] });
        var byTypes = await QueryAll(store, new ObjectQuery { Types = ["intrusion-set", "tool"] });
        var both = await QueryAll(store, new ObjectQuery { Ids = [a.IdOf(), m.IdOf()], Types = ["malware"] });
        var everything = await QueryAll(store, new ObjectQuery());

        Assert.Equal([a.IdOf(), m.IdOf()], byIds.Select(o => o.Id));
        Assert.Equal([a.IdOf(), b.IdOf(), t.IdOf()], byTypes.Select(o => o.Id));
        Assert.Equal([m.IdOf()], both.Select(o => o.Id));
        Assert.Equal(4, everything.Count);
    }

    [SkippableFact]
    public async Task Query_BySpecVersion()
    {
        using var store = NewStore();
        var a = IntrusionSet("A");
        await PutOk(store, a);
        string oldId = NewId("indicator");
        string json20 = $$"""{"type":"indicator","spec_version":"2.0","id":"{{oldId}}","created":"{{Created}}","modified":"{{Ts(0)}}","pattern":"[ipv4-addr:value = '198.51.100.1']","valid_from":"{{Created}}"}""";
        var r = await store.PutAsync([PreparedObject.From(Encoding.UTF8.GetBytes(json20), 0, false)]);
        Assert.Equal(PutOutcome.Added, r[0].Outcome);

        var v21 = await QueryAll(store, new ObjectQuery { SpecVersions = ["2.1"] });
        var v20 = await QueryAll(store, new ObjectQuery { SpecVersions = ["2.0"] });
        var either = await QueryAll(store, new ObjectQuery { SpecVersions = ["2.0", "2.1"] });

        Assert.Equal([a.IdOf()], v21.Select(o => o.Id));
        Assert.Equal([oldId], v20.Select(o => o.Id));
        Assert.Equal("2.0", v20[0].SpecVersion);
        Assert.Equal(2, either.Count);
    }

    [SkippableFact]
    public async Task Query_VersionFilters_FirstLastAllAndTimestamps()
    {
        using var store = NewStore();
        var x = IntrusionSet("X", day: 2);
        var single = Tool("Single", day: 4);
        await PutOk(store, x);
        await PutOk(store, single);
        await PutOk(store, x.At(3));
        await PutOk(store, x.At(1)); // older version, learned last

        async Task<List<(string Id, StixTimestamp Version)>> Run(VersionFilter f) =>
            (await QueryAll(store, new ObjectQuery { Versions = f })).Select(o => (o.Id, o.Version)).OrderBy(p => p.Id, StringComparer.Ordinal).ThenBy(p => p.Version).ToList();

        List<(string, StixTimestamp)> Expect(params (string, StixTimestamp)[] e) => e.OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2).ToList();

        Assert.Equal(Expect((x.IdOf(), V(3)), (single.IdOf(), V(4))), await Run(VersionFilter.Latest));
        Assert.Equal(Expect((x.IdOf(), V(3)), (single.IdOf(), V(4))), await Run(VersionFilter.Parse(null)));
        Assert.Equal(Expect((x.IdOf(), V(1)), (single.IdOf(), V(4))), await Run(VersionFilter.Earliest));
        Assert.Equal(Expect((x.IdOf(), V(1)), (x.IdOf(), V(2)), (x.IdOf(), V(3)), (single.IdOf(), V(4))), await Run(VersionFilter.AllVersions));
        Assert.Equal(Expect((x.IdOf(), V(1)), (x.IdOf(), V(3)), (single.IdOf(), V(4))), await Run(VersionFilter.Parse("first,last")));
        Assert.Equal(Expect((x.IdOf(), V(2))), await Run(VersionFilter.Exactly(V(2))));
        Assert.Equal(Expect((x.IdOf(), V(2)), (single.IdOf(), V(4))), await Run(VersionFilter.Parse($"{Ts(2)},{Ts(4)}")));
        Assert.Equal(Expect((x.IdOf(), V(1)), (x.IdOf(), V(2)), (single.IdOf(), V(4))), await Run(VersionFilter.Parse($"first, {Ts(2)}")));
        Assert.Equal(Expect((x.IdOf(), V(1)), (x.IdOf(), V(2)), (x.IdOf(), V(3)), (single.IdOf(), V(4))), await Run(VersionFilter.Parse("all,first")));
        Assert.Throws<FormatException>(() => VersionFilter.Parse("newest"));
    }

    [SkippableFact]
    public async Task Query_AddedAfter_IsStrictlyAfter()
    {
        using var store = NewStore();
        var a = Tool("A");
        var b = Tool("B");
        var c = Tool("C");
        await PutOk(store, a);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await PutOk(store, b);
        var bAdded = (await store.GetAsync(b.IdOf()))!.DateAdded;
        Clock.Advance(TimeSpan.FromMinutes(1));
        await PutOk(store, c);
        await PutOk(store, a.At(9));

        var afterB = await QueryAll(store, new ObjectQuery { AddedAfter = bAdded });
        var afterBAll = await QueryAll(store, new ObjectQuery { AddedAfter = bAdded, Versions = VersionFilter.AllVersions });
        var beforeEverything = await QueryAll(store, new ObjectQuery { AddedAfter = StixTimestamp.Parse("2000-01-01T00:00:00Z") });

        Assert.Equal([c.IdOf(), a.IdOf()], afterB.Select(o => o.Id));
        Assert.Equal(V(9), afterB[1].Version);
        Assert.Equal([c.IdOf(), a.IdOf()], afterBAll.Select(o => o.Id));
        Assert.Equal(3, beforeEverything.Count);
    }

    [SkippableFact]
    public async Task Query_AsOf_LatestMeansLatestThen()
    {
        using var store = NewStore();
        var a = IntrusionSet("A", day: 1);
        await PutOk(store, a);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var then = ClockNow();
        Clock.Advance(TimeSpan.FromMinutes(1));
        var b = IntrusionSet("B");
        await PutOk(store, a.At(2));
        await PutOk(store, b);

        var past = await QueryAll(store, new ObjectQuery { AsOf = then });
        var pastAll = await QueryAll(store, new ObjectQuery { AsOf = then, Versions = VersionFilter.AllVersions });
        var pastFirstLast = await QueryAll(store, new ObjectQuery { AsOf = then, Versions = VersionFilter.Parse("first,last") });
        var now = await QueryAll(store, new ObjectQuery());

        var only = Assert.Single(past);
        Assert.Equal((a.IdOf(), V(1)), (only.Id, only.Version));
        Assert.Single(pastAll);
        Assert.Single(pastFirstLast);
        Assert.Equal([(b.IdOf(), V(0)), (a.IdOf(), V(2))], now.Select(o => (o.Id, o.Version)).OrderBy(p => p.Version).ToList());
        var manifest = await store.ManifestAsync(new ObjectQuery { AsOf = then });
        Assert.Equal(V(1), Assert.Single(manifest.Items).Version);
    }

    [SkippableFact]
    public async Task Query_Paging_ReturnsEveryObjectOnceInDateAddedOrder()
    {
        using var store = NewStore();
        var objects = Enumerable.Range(0, 250).Select(i => i % 3 == 0 ? Malware("M" + i) : IntrusionSet("S" + i)).ToArray();
        await PutAllOk(store, objects);

        var seen = new List<StoredObject>();
        var q = new ObjectQuery { Limit = 7 };
        int pages = 0;
        while (true)
        {
            var page = await store.QueryAsync(q);
            pages++;
            Assert.True(page.Items.Count <= 7);
            seen.AddRange(page.Items);
            if (!page.More)
            {
                Assert.Null(page.Next);
                break;
            }

            Assert.Equal(7, page.Items.Count);
            q = q with { Next = page.Next };
        }

        Assert.Equal(36, pages);
        Assert.Equal(objects.Select(o => o.IdOf()), seen.Select(o => o.Id));
        for (int i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i].DateAdded > seen[i - 1].DateAdded);
        }

        // An exact multiple of the page size: the last full page says there is no more (no empty page).
        var tens = new List<Page<StoredObject>>();
        for (var p = await store.QueryAsync(new ObjectQuery { Limit = 10 }); ; p = await store.QueryAsync(new ObjectQuery { Limit = 10, Next = p.Next }))
        {
            tens.Add(p);
            if (!p.More)
            {
                break;
            }
        }

        Assert.Equal(25, tens.Count);
        Assert.All(tens, p => Assert.Equal(10, p.Items.Count));
        Assert.Equal(objects.Select(o => o.IdOf()), tens.SelectMany(p => p.Items).Select(o => o.Id));
    }

    [SkippableFact]
    public async Task Query_Paging_WritesBetweenPagesComeAtTheEnd()
    {
        using var store = NewStore();
        var old = Enumerable.Range(0, 40).Select(i => Tool("old" + i)).ToArray();
        await PutAllOk(store, old);
        var added = new List<string>();

        var seen = new List<string>();
        var q = new ObjectQuery { Limit = 7 };
        for (int n = 0; ; n++)
        {
            var page = await store.QueryAsync(q);
            seen.AddRange(page.Items.Select(o => o.Id));
            if (!page.More)
            {
                break;
            }

            if (n < 4)
            {
                Clock.Advance(TimeSpan.FromSeconds(1));
                var fresh = new[] { Tool($"new{n}a"), Tool($"new{n}b") };
                await PutAllOk(store, fresh);
                added.AddRange(fresh.Select(f => f.IdOf()));
            }

            q = q with { Next = page.Next };
        }

        Assert.Equal(old.Select(o => o.IdOf()).Concat(added), seen);
    }

    [SkippableFact]
    public async Task Query_Paging_WorksWithFiltersAndAllVersions()
    {
        using var store = NewStore();
        var sets = Enumerable.Range(0, 12).Select(i => IntrusionSet("S" + i, day: 1)).ToArray();
        var tools = Enumerable.Range(0, 12).Select(i => Tool("T" + i)).ToArray();
        await PutAllOk(store, sets.Concat(tools).ToArray());
        await PutAllOk(store, sets.Select(s => s.At(2)).ToArray());

        var all = await QueryAll(store, new ObjectQuery { Types = ["intrusion-set"], Versions = VersionFilter.AllVersions, Limit = 5 });
        var latest = await QueryAll(store, new ObjectQuery { Types = ["intrusion-set"], Limit = 5 });

        Assert.Equal(24, all.Count);
        Assert.Equal(24, all.Select(o => (o.Id, o.Version)).Distinct().Count());
        Assert.Equal(sets.Select(s => s.IdOf()), latest.Select(o => o.Id));
        Assert.All(latest, o => Assert.Equal(V(2), o.Version));
    }

    [SkippableFact]
    public async Task Query_BadCursor_IsFormatException()
    {
        using var store = NewStore();
        await PutAllOk(store, Tool("a"), Tool("b"), Tool("c"));
        var good = await store.QueryAsync(new ObjectQuery { Limit = 1 });
        Assert.NotNull(good.Next);

        foreach (var bad in new[] { "not a cursor!", "bm9wZQ", good.Next + "x%", Convert.ToBase64String(Encoding.ASCII.GetBytes("s1.-3")) })
        {
            await Assert.ThrowsAsync<FormatException>(() => store.QueryAsync(new ObjectQuery { Next = bad }));
            await Assert.ThrowsAsync<FormatException>(() => store.ManifestAsync(new ObjectQuery { Next = bad }));
        }
    }

    [SkippableFact]
    public async Task Manifest_MatchesQuery_PageForPage()
    {
        using var store = NewStore();
        var x = IntrusionSet("X", day: 1);
        await PutAllOk(store, Enumerable.Range(0, 9).Select(i => Tool("T" + i)).Append(x).ToArray());
        Clock.Advance(TimeSpan.FromSeconds(3));
        await PutOk(store, x.At(2));
        await PutOk(store, Ipv4("192.0.2.1"));

        foreach (var f in new[] { VersionFilter.Latest, VersionFilter.AllVersions, VersionFilter.Earliest })
        {
            var q = new ObjectQuery { Versions = f, Limit = 4 };
            while (true)
            {
                var page = await store.QueryAsync(q);
                var manifest = await store.ManifestAsync(q);
                Assert.Equal(page.More, manifest.More);
                Assert.Equal(page.Next, manifest.Next);
                Assert.Equal(
                    page.Items.Select(o => (o.Id, o.Version, o.DateAdded)),
                    manifest.Items.Select(m => (m.Id, m.Version, m.DateAdded)));
                Assert.All(manifest.Items, m => Assert.StartsWith("application/stix+json", m.MediaType, StringComparison.Ordinal));
                if (!page.More)
                {
                    break;
                }

                q = q with { Next = page.Next };
            }
        }
    }
}
