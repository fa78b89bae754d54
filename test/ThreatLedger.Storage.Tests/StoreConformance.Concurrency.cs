using static ThreatLedger.Storage.Tests.StixBuilders;

namespace ThreatLedger.Storage.Tests;

public abstract partial class StoreConformance
{
    private static void AssertStrictlyIncreasing(IReadOnlyList<StoredObject> bySequence)
    {
        for (int i = 1; i < bySequence.Count; i++)
        {
            Assert.True(bySequence[i].Sequence > bySequence[i - 1].Sequence, $"sequence of row {i} is not after row {i - 1}");
            Assert.True(bySequence[i].DateAdded > bySequence[i - 1].DateAdded, $"date_added of row {i} ({bySequence[i].DateAdded}) is not after row {i - 1} ({bySequence[i - 1].DateAdded})");
        }
    }

    [SkippableFact]
    public async Task Put_ConcurrentWriters_AreSerialised()
    {
        using var store = NewStore();
        var shared = IntrusionSet("Shared", day: 0);
        const int Writers = 6, Batches = 5;

        var work = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var results = new List<PutItemResult>();
            for (int b = 0; b < Batches; b++)
            {
                results.AddRange(await Put(store, Tool($"w{w}b{b}x"), shared, Tool($"w{w}b{b}y"), shared.At((w * Batches) + b + 1)));
            }

            return results;
        })).ToArray();
        var all = (await Task.WhenAll(work)).SelectMany(r => r).ToList();

        Assert.All(all, r => Assert.True(r.Succeeded, r.Message));
        var forShared = all.Where(r => r.Id == shared.IdOf()).ToList();
        Assert.Equal(1, forShared.Count(r => r.Outcome == PutOutcome.Added));
        Assert.Equal((Writers * Batches) - 1, forShared.Count(r => r.Outcome == PutOutcome.Unchanged));
        var rows = await QueryAll(store, new ObjectQuery { Versions = VersionFilter.AllVersions, Limit = 1000 });
        Assert.Equal((Writers * Batches * 3) + 1, rows.Count);
        AssertStrictlyIncreasing(rows);
        var versions = await store.GetVersionsAsync(shared.IdOf());
        Assert.Equal((Writers * Batches) + 1, versions.Count);
        Assert.Equal(V(Writers * Batches), Assert.Single(versions, v => v.IsLatest).Version);
        var stats = await store.StatsAsync();
        Assert.Equal((Writers * Batches * 2) + 1, stats.Objects);
    }

    [SkippableFact]
    public async Task Put_TwoHandlesOnOneStore_WriteInOneOrder()
    {
        using var first = NewStore();
        var otherClock = new ManualClock(Clock.Now.AddHours(-2)); // the other process's clock is behind
        using var second = OpenAgain(first, otherClock);

        var a = Enumerable.Range(0, 40).Select(i => Tool("a" + i)).ToArray();
        var b = Enumerable.Range(0, 40).Select(i => Tool("b" + i)).ToArray();
        await Task.WhenAll(
            Task.Run(async () =>
            {
                foreach (var chunk in a.Chunk(4))
                {
                    await PutAllOk(first, chunk);
                }
            }),
            Task.Run(async () =>
            {
                foreach (var chunk in b.Chunk(4))
                {
                    await PutAllOk(second, chunk);
                }
            }));

        var fromFirst = await QueryAll(first, new ObjectQuery { Limit = 1000 });
        var fromSecond = await QueryAll(second, new ObjectQuery { Limit = 1000 });
        Assert.Equal(80, fromFirst.Count);
        Assert.Equal(fromFirst.Select(o => (o.Id, o.Sequence, o.DateAdded)), fromSecond.Select(o => (o.Id, o.Sequence, o.DateAdded)));
        AssertStrictlyIncreasing(fromFirst);
    }

    [SkippableFact]
    public async Task Store_OpenedAgain_KeepsEverything_AndDateAddedKeepsGrowing()
    {
        var a = IntrusionSet("Kept", day: 1).With("aliases", Arr("Retained"));
        var m = Malware("M");
        StoredObject before;
        IStixStore again;
        using (var store = NewStore())
        {
            await PutAllOk(store, a, m, Relationship("uses", a.IdOf(), m.IdOf()));
            before = (await store.GetAsync(a.IdOf()))!;
            again = OpenAgain(store, new ManualClock(Clock.Now.AddDays(-1)));
        }

        using (again)
        {
            Assert.Equal(before.Sequence, (await again.GetAsync(a.IdOf()))!.Sequence);
            Assert.Single(await again.SearchAsync(new SearchQuery { Text = "retained" }));
            Assert.Single(await again.NeighborsAsync(a.IdOf(), new NeighborQuery()));
            Assert.Equal(PutOutcome.Unchanged, (await PutOk(again, a)).Outcome);
            Assert.Equal(PutOutcome.NewVersion, (await PutOk(again, a.At(2))).Outcome);
            var after = (await again.GetAsync(a.IdOf()))!;
            Assert.True(after.DateAdded > before.DateAdded);
            Assert.True(after.Sequence > before.Sequence);
        }
    }

    [SkippableFact]
    public async Task Query_Paging_NewVersionsDuringPaging_AppearAtTheEnd()
    {
        using var store = NewStore();
        var old = Enumerable.Range(0, 20).Select(i => Tool("t" + i, day: 1)).ToArray();
        await PutAllOk(store, old);

        var seen = new List<StoredObject>();
        var q = new ObjectQuery { Limit = 5 };
        for (int n = 0; ; n++)
        {
            var page = await store.QueryAsync(q);
            seen.AddRange(page.Items);
            if (n == 0)
            {
                // old[2] was already returned; old[12] was not yet.
                await PutAllOk(store, old[2].At(2), old[12].At(2));
            }

            if (!page.More)
            {
                break;
            }

            q = q with { Next = page.Next };
        }

        var expected = old.Select(o => o.IdOf()).Where(id => id != old[12].IdOf()).Append(old[2].IdOf()).Append(old[12].IdOf());
        Assert.Equal(expected, seen.Select(o => o.Id));
        Assert.Equal([V(2), V(2)], seen.TakeLast(2).Select(o => o.Version));
    }
}
