using ThreatLedger.Stix;
using ThreatLedger.Storage;
using static ThreatLedger.Storage.Tests.StixBuilders;

namespace ThreatLedger.Storage.Tests;

/// <summary>DeleteAsync (TAXII DELETE): versions go with their edges and search entries; a promoted version is indexed anew.</summary>
public abstract partial class StoreConformance
{
    [SkippableFact]
    public async Task Delete_AllVersions_RemovesObjectEdgesAndSearch()
    {
        using var store = NewStore();
        var group = IntrusionSet("Deletable Otter");
        var tool = Tool("kept tool");
        await PutOk(store, group);
        await PutOk(store, group.DeepClone().AsObject().At(2));
        await PutOk(store, tool);
        await PutOk(store, Relationship("uses", group.IdOf(), tool.IdOf()));

        Assert.Equal(2, await store.DeleteAsync(group.IdOf()));

        Assert.Null(await store.GetAsync(group.IdOf()));
        Assert.Empty(await store.GetVersionsAsync(group.IdOf()));
        Assert.Empty(await store.SearchAsync(new SearchQuery { Text = "Deletable Otter" }));
        // The relationship stays (it is another object); its end is now reported as not in the store.
        var dangling = Assert.Single(await store.EdgesAsync(tool.IdOf(), EdgeDirection.Incoming, ["uses"]));
        Assert.Equal((group.IdOf(), false), (dangling.Id, dangling.InStore));
        Assert.Equal(0, await store.DeleteAsync(group.IdOf()));
        Assert.NotNull(await store.GetAsync(tool.IdOf()));
    }

    [SkippableFact]
    public async Task Delete_LatestOnly_PromotesThePreviousVersion_WithItsSearchAndEdges()
    {
        using var store = NewStore();
        var target = Tool("target tool");
        await PutOk(store, target);
        var v1 = IntrusionSet("Old Name Heron").With("description", "uses the target");
        await PutOk(store, v1);
        var v2 = v1.DeepClone().AsObject().At(3).With("name", "New Name Heron");
        await PutOk(store, v2);
        await PutOk(store, Relationship("uses", v1.IdOf(), target.IdOf()));

        Assert.Equal(1, await store.DeleteAsync(v1.IdOf(), VersionFilter.Parse("last")));

        var now = await store.GetAsync(v1.IdOf());
        Assert.NotNull(now);
        Assert.Equal(StixTimestamp.Parse((string)v1["modified"]!), now!.Version);
        Assert.True(now.IsLatest);
        Assert.Single(await store.GetVersionsAsync(v1.IdOf()));
        Assert.Equal(v1.IdOf(), Assert.Single(await store.SearchAsync(new SearchQuery { Text = "Old Name Heron" })).Id);
        Assert.Empty(await store.SearchAsync(new SearchQuery { Text = "New Name Heron" }));
        Assert.Contains(await store.EdgesAsync(v1.IdOf(), EdgeDirection.Outgoing, ["uses"]), e => e.Id == target.IdOf());

        // It was re-learned: it is the newest addition, so a TAXII client polling added_after sees it again.
        var page = await store.QueryAsync(new ObjectQuery { Limit = 1000 });
        Assert.Equal(v1.IdOf(), page.Items.OrderBy(o => o.Sequence).Last(o => o.Type == "intrusion-set").Id);
    }

    [SkippableFact]
    public async Task Delete_FirstOrAGivenVersion_LeavesTheLatestAlone()
    {
        using var store = NewStore();
        var v1 = IntrusionSet("Layered Crane");
        await PutOk(store, v1);
        await PutOk(store, v1.DeepClone().AsObject().At(2));
        await PutOk(store, v1.DeepClone().AsObject().At(4));

        Assert.Equal(1, await store.DeleteAsync(v1.IdOf(), VersionFilter.Parse("first")));
        Assert.Equal(1, await store.DeleteAsync(v1.IdOf(), VersionFilter.Exactly(StixTimestamp.Parse(Ts(2)))));
        Assert.Equal(0, await store.DeleteAsync(v1.IdOf(), VersionFilter.Exactly(StixTimestamp.Parse(Ts(9)))));

        var left = Assert.Single(await store.GetVersionsAsync(v1.IdOf()));
        Assert.Equal(StixTimestamp.Parse(Ts(4)), left.Version);
        Assert.Single(await store.SearchAsync(new SearchQuery { Text = "Layered Crane" }));
    }
}
