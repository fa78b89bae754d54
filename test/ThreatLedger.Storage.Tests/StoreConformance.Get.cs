using ThreatLedger.Stix;
using static ThreatLedger.Storage.Tests.StixBuilders;

namespace ThreatLedger.Storage.Tests;

public abstract partial class StoreConformance
{
    [SkippableFact]
    public async Task Get_ByVersion_ReturnsThatVersion_UnknownVersionOrIdIsNull()
    {
        using var store = NewStore();
        var v1 = Malware("Emotet v1", day: 1);
        await PutOk(store, v1);
        await PutOk(store, v1.At(2).With("name", "Emotet v2"));
        await PutOk(store, v1.At(3).With("name", "Emotet v3"));

        var latest = await store.GetAsync(v1.IdOf());
        var second = await store.GetAsync(v1.IdOf(), version: V(2));

        Assert.Equal("Emotet v3", Prop(latest!, "name"));
        Assert.True(latest!.IsLatest);
        Assert.Equal("Emotet v2", Prop(second!, "name"));
        Assert.Equal(V(2), second!.Version);
        Assert.False(second.IsLatest);
        Assert.Null(await store.GetAsync(v1.IdOf(), version: V(4)));
        Assert.Null(await store.GetAsync(NewId("malware")));
    }

    [SkippableFact]
    public async Task Get_AsOf_SeesTheStoreAsItWasThen()
    {
        using var store = NewStore();
        var v1 = IntrusionSet("APT40 v1", day: 1);
        var beforeFirst = new StixTimestamp(Clock.Now.UtcDateTime.AddSeconds(-1), 6);
        await PutOk(store, v1);
        var firstAdded = (await store.GetAsync(v1.IdOf()))!.DateAdded;
        Clock.Advance(TimeSpan.FromMinutes(1));
        var between = ClockNow();
        Clock.Advance(TimeSpan.FromMinutes(1));
        await PutOk(store, v1.At(2).With("name", "APT40 v2"));
        var secondAdded = (await store.GetAsync(v1.IdOf()))!.DateAdded;

        Assert.Equal("APT40 v1", Prop((await store.GetAsync(v1.IdOf(), asOf: between))!, "name"));
        Assert.Equal(V(1), (await store.GetAsync(v1.IdOf(), asOf: firstAdded))!.Version);
        Assert.Equal(V(2), (await store.GetAsync(v1.IdOf(), asOf: secondAdded))!.Version);
        Assert.Null(await store.GetAsync(v1.IdOf(), asOf: beforeFirst));
        Assert.Null(await store.GetAsync(v1.IdOf(), version: V(2), asOf: between));
        Assert.NotNull(await store.GetAsync(v1.IdOf(), version: V(1), asOf: between));
    }

    [SkippableFact]
    public async Task Get_AsOf_AnOlderVersionLearnedLater_IsUnknownBeforeThen()
    {
        using var store = NewStore();
        var v5 = IntrusionSet("v5", day: 5);
        await PutOk(store, v5);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var between = ClockNow();
        Clock.Advance(TimeSpan.FromMinutes(1));
        await PutOk(store, v5.At(1).With("name", "v1"));

        Assert.Single(await store.GetVersionsAsync(v5.IdOf(), asOf: between));
        Assert.Null(await store.GetAsync(v5.IdOf(), version: V(1), asOf: between));
        Assert.Equal(V(5), (await store.GetAsync(v5.IdOf(), asOf: between))!.Version);
    }

    [SkippableFact]
    public async Task GetVersions_AreOldestFirst_AndAsOfLimitsThem()
    {
        using var store = NewStore();
        var v3 = Tool("t", day: 3);
        await PutOk(store, v3);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await PutOk(store, v3.At(1));
        Clock.Advance(TimeSpan.FromMinutes(1));
        var afterTwo = ClockNow();
        Clock.Advance(TimeSpan.FromMinutes(1));
        await PutOk(store, v3.At(7));
        await PutOk(store, v3.At(5));

        var all = await store.GetVersionsAsync(v3.IdOf());
        var then = await store.GetVersionsAsync(v3.IdOf(), asOf: afterTwo);

        Assert.Equal([V(1), V(3), V(5), V(7)], all.Select(v => v.Version));
        Assert.Equal([false, false, false, true], all.Select(v => v.IsLatest));
        Assert.All(all, v => Assert.Equal(v3.IdOf(), v.Id));
        Assert.Equal([V(1), V(3)], then.Select(v => v.Version));
        Assert.Empty(await store.GetVersionsAsync(NewId("tool")));
    }

    [SkippableFact]
    public async Task Get_ReturnsTheObjectJson()
    {
        using var store = NewStore();
        var a = IntrusionSet("APT40").With("aliases", Arr("Leviathan", "国家安全部系")).With("description", "中国国家安全部の支援を受けるグループ");
        await PutOk(store, a);

        var got = await store.GetAsync(a.IdOf());
        var parsed = StixJson.ParseObject(got!.JsonText);

        Assert.Equal(a.IdOf(), parsed.Id.Value);
        Assert.Equal("intrusion-set", parsed.Type);
        Assert.Equal("中国国家安全部の支援を受けるグループ", Prop(got, "description"));
    }
}
