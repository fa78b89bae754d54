using System.Text;
using ThreatLedger.Stix;
using static ThreatLedger.Storage.Tests.StixBuilders;

namespace ThreatLedger.Storage.Tests;

/// <summary>Cases found by a second reader of the store (each failed before its fix).</summary>
public abstract partial class StoreConformance
{
    [SkippableFact]
    public async Task Put_SameVersionWrittenWithOtherTimestampPrecision_IsUnchanged()
    {
        using var store = NewStore();
        var id = NewId("malware");
        var a = Malware("x", id).With("created", "2021-01-01T00:00:00.000Z").With("modified", "2021-01-01T00:00:00.000Z");
        var b = Malware("x", id).With("created", "2021-01-01T00:00:00.000Z").With("modified", "2021-01-01T00:00:00.000000Z");
        await PutOk(store, a);

        var r = Assert.Single(await Put(store, b));

        Assert.Equal(PutOutcome.Unchanged, r.Outcome);
        Assert.Single(await store.GetVersionsAsync(id));
    }

    [SkippableFact]
    public async Task Put_NulCharacterInText_IsStoredAndSearchable_OnEveryBackend()
    {
        using var store = NewStore();
        var m = Malware("nul\u0000name").With("description", "before\u0000after");

        var r = Assert.Single(await Put(store, m));

        Assert.Equal(PutOutcome.Added, r.Outcome);
        Assert.Equal("before\u0000after", Prop((await store.GetAsync(m.IdOf()))!, "description"));
        Assert.Equal([m.IdOf()], (await store.SearchAsync(new SearchQuery { Text = "after" })).Select(h => h.Id));
    }

    [SkippableFact]
    public async Task Search_Scores_AreTheSameOnEveryBackend()
    {
        using var store = NewStore();
        var one = Tool("zeta one");
        var two = Tool("zeta two").With("description", "about zeta");
        await PutAllOk(store, one, two);

        var hits = await store.SearchAsync(new SearchQuery { Text = "zeta" });

        // Name contains (20) + text contains (1) for the second; the name alone does not count as text.
        Assert.Equal([(two.IdOf(), 21.0), (one.IdOf(), 20.0)], hits.Select(h => (h.Id, h.Score)));
    }

    [SkippableFact]
    public async Task Access_HiddenLatestVersion_HidesTheObjectOnEveryPath()
    {
        using var store = NewStore();
        var id = NewId("malware");
        await PutOk(store, Malware("m", id, day: 0).Marked(TlpLevel.Green));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var between = ClockNow();
        Clock.Advance(TimeSpan.FromSeconds(1));
        await PutOk(store, Malware("m", id, day: 1).Marked(TlpLevel.Red));
        var green = new AccessFilter(TlpLevel.Green);

        Assert.Null(await store.GetAsync(id, access: green));
        Assert.Null(await store.GetAsync(id, V(0), access: green));
        Assert.Empty(await store.GetVersionsAsync(id, access: green));

        // What a GREEN reader could see then, it may still see as of then.
        Assert.NotNull(await store.GetAsync(id, asOf: between, access: green));
        Assert.Single(await store.GetVersionsAsync(id, between, green));
    }

    [SkippableFact]
    public async Task Access_Stats_CountOnlyWhatTheCallerMaySee()
    {
        using var store = NewStore();
        var open = Malware("open").Marked(TlpLevel.Green);
        var secret = Malware("secret").Marked(TlpLevel.Red);
        var tool = Tool("t").Marked(TlpLevel.Red);
        var rel = Relationship("uses", secret.IdOf(), tool.IdOf()).Marked(TlpLevel.Red);
        await PutAllOk(store, open, secret, tool, rel);

        var all = await store.StatsAsync();
        var green = await store.StatsAsync(new AccessFilter(TlpLevel.Green));

        Assert.Equal(4, all.Objects);
        Assert.Equal(1, green.Objects);
        Assert.Equal(1, green.Versions);
        Assert.Equal(0, green.Edges);
        Assert.Equal(new Dictionary<string, long> { ["malware"] = 1 }, green.ByType);
    }

    [SkippableFact]
    public async Task Access_Neighbors_HiddenAndMissingEndpointsLookTheSame()
    {
        using var store = NewStore();
        var hidden = Malware("hidden").Marked(TlpLevel.Red);
        var missing = NewId("tool");
        var report = Report("r", [hidden.IdOf(), missing]).Marked(TlpLevel.Green);
        await PutAllOk(store, hidden, report);

        var green = await store.NeighborsAsync(report.IdOf(), new NeighborQuery { Access = new AccessFilter(TlpLevel.Green) });
        var admin = await store.NeighborsAsync(report.IdOf(), new NeighborQuery());

        Assert.DoesNotContain(green, n => n.Id == hidden.IdOf() || n.Id == missing);
        Assert.Contains(admin, n => n.Id == hidden.IdOf() && n.InStore);
        Assert.Contains(admin, n => n.Id == missing && !n.InStore);
    }

    [SkippableFact]
    public async Task Import_WhenTheStoreFails_TheErrorSurfacesInsteadOfHanging()
    {
        using var store = NewStore();
        using var failing = new FailingStore(store, failOnPut: 2);
        var bundle = new StringBuilder("{\"type\":\"bundle\",\"id\":\"bundle--" + Guid.NewGuid() + "\",\"objects\":[");
        for (int i = 0; i < 50; i++)
        {
            bundle.Append(i == 0 ? string.Empty : ",").Append(Malware("m" + i).ToJsonString());
        }

        bundle.Append("]}");
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(bundle.ToString()));

        var import = StixImporter.ImportAsync(failing, input, "bundle.json", new ImportOptions { BatchSize = 1 });
        var finished = await Task.WhenAny(import, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(import, finished);
        var ex = await Assert.ThrowsAsync<IOException>(() => import);
        Assert.Equal("injected store failure", ex.Message);
        Assert.Equal(1, (await store.StatsAsync()).Objects);
    }

    /// <summary>A real store whose n-th put throws, as a lost connection or a full disk would.</summary>
    private sealed class FailingStore(IStixStore inner, int failOnPut) : IStixStore
    {
        private int _puts;

        public string Backend => inner.Backend;

        public bool Created => inner.Created;

        public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default) => inner.GetSettingAsync(key, cancellationToken);

        public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default) => inner.SetSettingAsync(key, value, cancellationToken);

        public Task AuditAsync(AuditEntry entry, CancellationToken cancellationToken = default) => inner.AuditAsync(entry, cancellationToken);

        public Task<IReadOnlyList<AuditEntry>> AuditLogAsync(int limit = 100, CancellationToken cancellationToken = default) => inner.AuditLogAsync(limit, cancellationToken);

        public Task<IReadOnlyList<PutItemResult>> PutAsync(IReadOnlyList<PreparedObject> batch, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _puts) == failOnPut ? throw new IOException("injected store failure") : inner.PutAsync(batch, cancellationToken);

        public Task<StoredObject?> GetAsync(string id, StixTimestamp? version = null, StixTimestamp? asOf = null, AccessFilter? access = null, CancellationToken cancellationToken = default) =>
            inner.GetAsync(id, version, asOf, access, cancellationToken);

        public Task<IReadOnlyList<StoredObject>> GetVersionsAsync(string id, StixTimestamp? asOf = null, AccessFilter? access = null, CancellationToken cancellationToken = default) =>
            inner.GetVersionsAsync(id, asOf, access, cancellationToken);

        public Task<Page<StoredObject>> QueryAsync(ObjectQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

        public Task<Page<ManifestEntry>> ManifestAsync(ObjectQuery query, CancellationToken cancellationToken = default) => inner.ManifestAsync(query, cancellationToken);

        public Task<IReadOnlyList<Neighbor>> NeighborsAsync(string id, NeighborQuery query, CancellationToken cancellationToken = default) => inner.NeighborsAsync(id, query, cancellationToken);

        public Task<IReadOnlyList<Neighbor>> EdgesAsync(string id, EdgeDirection direction, IReadOnlyList<string>? kinds = null, AccessFilter? access = null, int limit = 10_000, CancellationToken cancellationToken = default) =>
            inner.EdgesAsync(id, direction, kinds, access, limit, cancellationToken);

        public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default) => inner.SearchAsync(query, cancellationToken);

        public Task<int> DeleteAsync(string id, VersionFilter? versions = null, CancellationToken cancellationToken = default) => inner.DeleteAsync(id, versions, cancellationToken);

        public Task<StoreStats> StatsAsync(AccessFilter? access = null, CancellationToken cancellationToken = default) => inner.StatsAsync(access, cancellationToken);

        public void Dispose()
        {
        }
    }
}

/// <summary>EdgesAsync: every edge, not one per neighbour.</summary>
public abstract partial class StoreConformance
{
    [SkippableFact]
    public async Task Edges_TwoRelationshipsToTheSameEnd_AreBothListed_KindsAndAccessApply()
    {
        using var store = NewStore();
        var group = IntrusionSet("g");
        var sponsor = ThreatActor("s");
        var r1 = Relationship("attributed-to", group.IdOf(), sponsor.IdOf());
        var r2 = Relationship("attributed-to", group.IdOf(), sponsor.IdOf()).Marked(TlpLevel.Amber);
        var r3 = Relationship("uses", group.IdOf(), sponsor.IdOf());
        await PutAllOk(store, group, sponsor, r1, r2, r3);

        var all = await store.EdgesAsync(group.IdOf(), EdgeDirection.Outgoing, ["attributed-to"]);
        var green = await store.EdgesAsync(group.IdOf(), EdgeDirection.Outgoing, ["attributed-to"], new AccessFilter(TlpLevel.Green));
        var incoming = await store.EdgesAsync(sponsor.IdOf(), EdgeDirection.Incoming);

        Assert.Equal(new[] { r1.IdOf(), r2.IdOf() }.Order(), all.Select(e => e.Via!).Order());
        Assert.Equal([r1.IdOf()], green.Select(e => e.Via));
        Assert.Equal(3, incoming.Count);
        Assert.All(incoming, e => Assert.Equal((group.IdOf(), EdgeDirection.Incoming), (e.Id, e.Direction)));
    }
}

/// <summary>Settings: a small key/value table beside the objects (the starter pack version lives there).</summary>
public abstract partial class StoreConformance
{
    [SkippableFact]
    public async Task Settings_SetGetOverwrite_SurviveReopening_AndAreNotObjects()
    {
        using var store = NewStore();
        Assert.True(store.Created);
        Assert.Null(await store.GetSettingAsync("starter_pack"));

        await store.SetSettingAsync("starter_pack", "1");
        await store.SetSettingAsync("starter_pack", "2");
        await store.SetSettingAsync("other", "x");

        Assert.Equal("2", await store.GetSettingAsync("starter_pack"));
        Assert.Equal(0, (await store.StatsAsync()).Objects);
        using var again = OpenAgain(store, Clock);
        Assert.False(again.Created);
        Assert.Equal("2", await again.GetSettingAsync("starter_pack"));
        Assert.Equal("x", await again.GetSettingAsync("other"));
        Assert.Null(await again.GetSettingAsync("schema"));
    }
}

/// <summary>The audit log: append-only, newest first, kept across opens.</summary>
public abstract partial class StoreConformance
{
    [SkippableFact]
    public async Task Audit_AppendsAndListsNewestFirst_AndSurvivesReopening()
    {
        using var store = NewStore();
        var t0 = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        await store.AuditAsync(new AuditEntry(t0, "alice", "login", null));
        await store.AuditAsync(new AuditEntry(t0.AddSeconds(1), "alice", "write", "status 1: 3 objects, 1 failed"));
        await store.AuditAsync(new AuditEntry(t0.AddSeconds(2), "203.0.113.9", "login-failed", "unknown token"));

        using var again = OpenAgain(store, Clock);
        var log = await again.AuditLogAsync();
        Assert.Equal(["login-failed", "write", "login"], log.Select(e => e.Action));
        Assert.Equal((t0.AddSeconds(1), "alice", "status 1: 3 objects, 1 failed"), (log[1].At, log[1].Actor, log[1].Detail));
        Assert.Null(log[2].Detail);
        Assert.Single(await again.AuditLogAsync(1));
        Assert.Equal(0, (await again.StatsAsync()).Objects);
    }
}
