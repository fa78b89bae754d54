using static ThreatLedger.Storage.Tests.StixBuilders;

namespace ThreatLedger.Storage.Tests;

public abstract partial class StoreConformance
{
    private static string Describe(IEnumerable<Neighbor> ns) =>
        string.Join("; ", ns.Select(n => $"{n.Id} d{n.Depth} {n.Direction} {n.Kind} via {n.Via ?? "-"} from {n.From} {(n.InStore ? "in" : "missing")}"));

    [SkippableFact]
    public async Task Neighbors_Relationship_IsSeenFromBothEnds()
    {
        using var store = NewStore();
        var a = IntrusionSet("A");
        var m = Malware("M");
        var r = Relationship("uses", a.IdOf(), m.IdOf());
        await PutAllOk(store, a, m, r);

        var fromA = await store.NeighborsAsync(a.IdOf(), new NeighborQuery());
        var fromM = await store.NeighborsAsync(m.IdOf(), new NeighborQuery());

        Assert.Equal(new Neighbor(m.IdOf(), "malware", 1, a.IdOf(), EdgeDirection.Outgoing, "uses", r.IdOf(), true), Assert.Single(fromA));
        Assert.Equal(new Neighbor(a.IdOf(), "intrusion-set", 1, m.IdOf(), EdgeDirection.Incoming, "uses", r.IdOf(), true), Assert.Single(fromM));
    }

    [SkippableFact]
    public async Task Neighbors_KindTypeAndDirectionFilters()
    {
        using var store = NewStore();
        var a = IntrusionSet("A");
        var m = Malware("M");
        var t = Tool("T");
        var actor = ThreatActor("Actor");
        var other = IntrusionSet("Other");
        await PutAllOk(
            store,
            a,
            m,
            t,
            actor,
            other,
            Relationship("uses", a.IdOf(), m.IdOf()),
            Relationship("uses", a.IdOf(), t.IdOf()),
            Relationship("attributed-to", a.IdOf(), actor.IdOf()),
            Relationship("uses", other.IdOf(), m.IdOf()));

        var uses = await store.NeighborsAsync(a.IdOf(), new NeighborQuery { Kinds = ["uses"] });
        var malware = await store.NeighborsAsync(a.IdOf(), new NeighborQuery { Types = ["malware"] });
        var attributed = await store.NeighborsAsync(a.IdOf(), new NeighborQuery { Kinds = ["attributed-to"] });
        var mOut = await store.NeighborsAsync(m.IdOf(), new NeighborQuery { Direction = EdgeDirection.Outgoing });
        var mIn = await store.NeighborsAsync(m.IdOf(), new NeighborQuery { Direction = EdgeDirection.Incoming });
        var aIn = await store.NeighborsAsync(a.IdOf(), new NeighborQuery { Direction = EdgeDirection.Incoming });

        Assert.Equal(new[] { m.IdOf(), t.IdOf() }.Order(StringComparer.Ordinal), uses.Select(n => n.Id).Order(StringComparer.Ordinal));
        Assert.Equal([m.IdOf()], malware.Select(n => n.Id));
        Assert.Equal([actor.IdOf()], attributed.Select(n => n.Id));
        Assert.Empty(mOut);
        Assert.Equal(new[] { a.IdOf(), other.IdOf() }.Order(StringComparer.Ordinal), mIn.Select(n => n.Id).Order(StringComparer.Ordinal));
        Assert.All(mIn, n => Assert.Equal(EdgeDirection.Incoming, n.Direction));
        Assert.Empty(aIn);
    }

    [SkippableFact]
    public async Task Neighbors_DepthTwo_WalksBreadthFirst()
    {
        using var store = NewStore();
        var a = IntrusionSet("A");
        var m = Malware("M");
        var victim = Identity("Victim");
        var far = Identity("Far");
        await PutAllOk(
            store,
            a,
            m,
            victim,
            far,
            Relationship("uses", a.IdOf(), m.IdOf()),
            Relationship("targets", m.IdOf(), victim.IdOf()),
            Relationship("related-to", victim.IdOf(), far.IdOf()));

        var one = await store.NeighborsAsync(a.IdOf(), new NeighborQuery { Depth = 1 });
        var two = await store.NeighborsAsync(a.IdOf(), new NeighborQuery { Depth = 2 });
        var twoIdentities = await store.NeighborsAsync(a.IdOf(), new NeighborQuery { Depth = 2, Types = ["identity"] });

        Assert.Equal([m.IdOf()], one.Select(n => n.Id));
        Assert.Equal(2, two.Count);
        Assert.Equal((m.IdOf(), 1, a.IdOf()), (two[0].Id, two[0].Depth, two[0].From));
        Assert.Equal((victim.IdOf(), 2, m.IdOf(), "targets", EdgeDirection.Outgoing), (two[1].Id, two[1].Depth, two[1].From, two[1].Kind, two[1].Direction));
        // The walk passes through the malware even though only identities are listed.
        Assert.Equal([victim.IdOf()], twoIdentities.Select(n => n.Id));
        Assert.DoesNotContain(two, n => n.Id == a.IdOf());
    }

    [SkippableFact]
    public async Task Neighbors_EmbeddedReferences_AreEdgesWithoutVia()
    {
        using var store = NewStore();
        var author = Identity("Author");
        var a = IntrusionSet("A").With("created_by_ref", author.IdOf());
        var m = Malware("M");
        var report = Report("Report", [a.IdOf(), m.IdOf()]).With("created_by_ref", author.IdOf()).Marked(TlpLevel.Clear);
        await PutAllOk(store, author, a, m, report);

        var fromReport = await store.NeighborsAsync(report.IdOf(), new NeighborQuery());
        var toAuthor = await store.NeighborsAsync(author.IdOf(), new NeighborQuery());
        var fromM = await store.NeighborsAsync(m.IdOf(), new NeighborQuery());

        Assert.Equal(3, fromReport.Count);
        Assert.Contains(new Neighbor(author.IdOf(), "identity", 1, report.IdOf(), EdgeDirection.Outgoing, "created_by_ref", null, true), fromReport);
        Assert.Contains(new Neighbor(a.IdOf(), "intrusion-set", 1, report.IdOf(), EdgeDirection.Outgoing, "object_refs", null, true), fromReport);
        Assert.Contains(new Neighbor(m.IdOf(), "malware", 1, report.IdOf(), EdgeDirection.Outgoing, "object_refs", null, true), fromReport);
        // object_marking_refs make no edges (the TLP marking is not stored, and would be reported missing).
        Assert.DoesNotContain(fromReport, n => n.Id.StartsWith("marking-definition--", StringComparison.Ordinal));
        Assert.Equal(new[] { a.IdOf(), report.IdOf() }.Order(StringComparer.Ordinal), toAuthor.Select(n => n.Id).Order(StringComparer.Ordinal));
        Assert.All(toAuthor, n => Assert.Equal((EdgeDirection.Incoming, "created_by_ref", (string?)null), (n.Direction, n.Kind, n.Via)));
        Assert.Equal(new Neighbor(report.IdOf(), "report", 1, m.IdOf(), EdgeDirection.Incoming, "object_refs", null, true), Assert.Single(fromM));
    }

    [SkippableFact]
    public async Task Neighbors_Sighting_LinksWhatWasSeenToWhereItWasSeen()
    {
        using var store = NewStore();
        var m = Malware("M");
        var where1 = Identity("SOC 1");
        var where2 = Identity("SOC 2");
        var s = Sighting(m.IdOf(), [where1.IdOf(), where2.IdOf()]);
        await PutAllOk(store, m, where1, where2, s);

        var fromM = await store.NeighborsAsync(m.IdOf(), new NeighborQuery { Kinds = ["sighting"] });
        var fromWhere = await store.NeighborsAsync(where1.IdOf(), new NeighborQuery { Kinds = ["sighting"] });
        var fromSighting = await store.NeighborsAsync(s.IdOf(), new NeighborQuery { Direction = EdgeDirection.Outgoing });

        Assert.Equal(new[] { where1.IdOf(), where2.IdOf() }.Order(StringComparer.Ordinal), fromM.Select(n => n.Id).Order(StringComparer.Ordinal));
        Assert.All(fromM, n => Assert.Equal((EdgeDirection.Outgoing, "sighting", s.IdOf()), (n.Direction, n.Kind, n.Via)));
        Assert.Equal(new Neighbor(m.IdOf(), "malware", 1, where1.IdOf(), EdgeDirection.Incoming, "sighting", s.IdOf(), true), Assert.Single(fromWhere));
        // The sighting's own reference properties are embedded edges.
        Assert.Contains(fromSighting, n => n.Id == m.IdOf() && n.Kind == "sighting_of_ref" && n.Via is null);
        Assert.Contains(fromSighting, n => n.Id == where2.IdOf() && n.Kind == "where_sighted_refs" && n.Via is null);
    }

    [SkippableFact]
    public async Task Neighbors_DanglingReference_IsReportedAsNotInStore()
    {
        using var store = NewStore();
        var a = IntrusionSet("A");
        string missingMalware = NewId("malware");
        string missingAuthor = NewId("identity");
        var r = Relationship("uses", a.IdOf(), missingMalware);
        await PutAllOk(store, a.With("created_by_ref", missingAuthor), r);

        var found = await store.NeighborsAsync(a.IdOf(), new NeighborQuery { Depth = 2 });

        Assert.Equal(2, found.Count);
        Assert.Contains(new Neighbor(missingMalware, "malware", 1, a.IdOf(), EdgeDirection.Outgoing, "uses", r.IdOf(), false), found);
        Assert.Contains(new Neighbor(missingAuthor, "identity", 1, a.IdOf(), EdgeDirection.Outgoing, "created_by_ref", null, false), found);
        Assert.Empty(await store.NeighborsAsync(missingMalware, new NeighborQuery()));
    }

    [SkippableFact]
    public async Task Neighbors_NewVersionOfARelationship_ReplacesItsEdge()
    {
        using var store = NewStore();
        var a = IntrusionSet("A");
        var m1 = Malware("M1");
        var m2 = Malware("M2");
        var m3 = Malware("M3");
        var r = Relationship("uses", a.IdOf(), m1.IdOf(), day: 2);
        await PutAllOk(store, a, m1, m2, m3, r);
        Assert.Equal([m1.IdOf()], (await store.NeighborsAsync(a.IdOf(), new NeighborQuery())).Select(n => n.Id));

        Assert.Equal(PutOutcome.NewVersion, (await PutOk(store, r.At(3).With("target_ref", m2.IdOf()))).Outcome);
        Assert.Equal(PutOutcome.OlderVersion, (await PutOk(store, r.At(1).With("target_ref", m3.IdOf()))).Outcome);

        var fromA = await store.NeighborsAsync(a.IdOf(), new NeighborQuery());
        Assert.Equal([m2.IdOf()], fromA.Select(n => n.Id));
        Assert.Empty(await store.NeighborsAsync(m1.IdOf(), new NeighborQuery()));
        Assert.Empty(await store.NeighborsAsync(m3.IdOf(), new NeighborQuery()));
        Assert.Single(await store.NeighborsAsync(m2.IdOf(), new NeighborQuery()));
    }

    [SkippableFact]
    public async Task Neighbors_NewVersionDroppingAReference_RemovesTheEmbeddedEdge()
    {
        using var store = NewStore();
        var author = Identity("Author");
        var other = Identity("Other");
        var a = IntrusionSet("A", day: 1).With("created_by_ref", author.IdOf());
        await PutAllOk(store, author, other, a);

        await PutOk(store, a.At(2).With("created_by_ref", other.IdOf()));

        Assert.Empty(await store.NeighborsAsync(author.IdOf(), new NeighborQuery()));
        Assert.Equal([other.IdOf()], (await store.NeighborsAsync(a.IdOf(), new NeighborQuery())).Select(n => n.Id));
        Assert.Equal(1, (await store.StatsAsync()).Edges);
    }

    [SkippableFact]
    public async Task Neighbors_FanOutAndLimit_AreRespected()
    {
        using var store = NewStore();
        var hub = IntrusionSet("Hub");
        var spokes = Enumerable.Range(0, 10).Select(i => Malware("M" + i)).ToArray();
        var leaves = spokes.Select((s, i) => Tool("T" + i)).ToArray();
        var objects = new List<System.Text.Json.Nodes.JsonObject> { hub };
        objects.AddRange(spokes);
        objects.AddRange(leaves);
        objects.AddRange(spokes.Select(s => Relationship("uses", hub.IdOf(), s.IdOf())));
        objects.AddRange(spokes.Select((s, i) => Relationship("uses", s.IdOf(), leaves[i].IdOf())));
        await PutAllOk(store, objects.ToArray());

        var all = await store.NeighborsAsync(hub.IdOf(), new NeighborQuery { Depth = 2 });
        var fanOut = await store.NeighborsAsync(hub.IdOf(), new NeighborQuery { FanOut = 3 });
        var limited = await store.NeighborsAsync(hub.IdOf(), new NeighborQuery { Limit = 4 });
        var limitedDeep = await store.NeighborsAsync(hub.IdOf(), new NeighborQuery { Depth = 2, Limit = 13 });

        Assert.Equal(20, all.Count);
        Assert.Equal(20, all.Select(n => n.Id).Distinct().Count());
        Assert.Equal(3, fanOut.Count);
        Assert.Equal(4, limited.Count);
        Assert.Equal(13, limitedDeep.Count);
        Assert.Equal(10, limitedDeep.Count(n => n.Depth == 1));
        Assert.True(limitedDeep.Take(10).All(n => n.Depth == 1), "nearest first");
    }
}

public abstract partial class StoreConformance
{
    [SkippableFact]
    public async Task Neighbors_FanOut_CountsOnlyEdgesOfTheRequestedKinds()
    {
        using var store = NewStore();
        var hub = Identity("Hub");
        var reports = Enumerable.Range(0, 6).Select(i => Report("R" + i, [hub.IdOf()]).With("created_by_ref", hub.IdOf())).ToArray();
        var a = IntrusionSet("A");
        await PutOk(store, hub);
        await PutAllOk(store, reports);
        await PutAllOk(store, a, Relationship("related-to", a.IdOf(), hub.IdOf()));

        var related = await store.NeighborsAsync(hub.IdOf(), new NeighborQuery { Kinds = ["related-to"], FanOut = 3 });

        Assert.Equal([a.IdOf()], related.Select(n => n.Id));
    }

    [SkippableFact]
    public async Task Neighbors_FanOut_BoundsEdgesFollowedFromANodeInBothDirections()
    {
        using var store = NewStore();
        var x = Malware("X");
        var targets = Enumerable.Range(0, 3).Select(i => Tool("T" + i)).ToArray();
        var users = Enumerable.Range(0, 3).Select(i => IntrusionSet("U" + i)).ToArray();
        var objects = new List<System.Text.Json.Nodes.JsonObject> { x };
        objects.AddRange(targets);
        objects.AddRange(users);
        objects.AddRange(targets.Select(t => Relationship("uses", x.IdOf(), t.IdOf())));
        objects.AddRange(users.Select(u => Relationship("uses", u.IdOf(), x.IdOf())));
        await PutAllOk(store, objects.ToArray());

        Assert.Equal(6, (await store.NeighborsAsync(x.IdOf(), new NeighborQuery())).Count);
        Assert.Equal(3, (await store.NeighborsAsync(x.IdOf(), new NeighborQuery { FanOut = 3, Direction = EdgeDirection.Outgoing })).Count);
        Assert.Equal(3, (await store.NeighborsAsync(x.IdOf(), new NeighborQuery { FanOut = 3 })).Count);
    }
}
