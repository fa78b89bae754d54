using static ThreatLedger.Storage.Tests.StixBuilders;

namespace ThreatLedger.Storage.Tests;

public abstract partial class StoreConformance
{
    private static readonly AccessFilter s_green = new(TlpLevel.Green);
    private static readonly AccessFilter s_greenMarkedOnly = new(TlpLevel.Green, Unmarked: TlpLevel.Red);

    [SkippableFact]
    public async Task Access_TlpLevel_IsTheHighestMarking()
    {
        using var store = NewStore();
        var green = Tool("G").Marked(TlpLevel.Green);
        var both = Tool("GA").Marked(TlpLevel.Green, TlpLevel.AmberStrict);
        var white = Tool("W").With("object_marking_refs", Arr(ThreatLedger.Stix.Validation.MarkingDefinitionRules.Tlp1Ids["white"]));
        var amber1 = Tool("A1").With("object_marking_refs", Arr(ThreatLedger.Stix.Validation.MarkingDefinitionRules.Tlp1Ids["amber"]));
        var statement = StatementMarking("internal");
        var withStatement = Tool("S").With("object_marking_refs", Arr(statement.IdOf()));
        await PutAllOk(store, green, both, white, amber1, statement, withStatement);

        Assert.Equal(TlpLevel.Green, (await store.GetAsync(green.IdOf()))!.Tlp);
        Assert.Equal(TlpLevel.AmberStrict, (await store.GetAsync(both.IdOf()))!.Tlp);
        Assert.Equal(TlpLevel.Clear, (await store.GetAsync(white.IdOf()))!.Tlp);
        Assert.Equal(TlpLevel.Amber, (await store.GetAsync(amber1.IdOf()))!.Tlp);
        Assert.Null((await store.GetAsync(withStatement.IdOf()))!.Tlp);
        Assert.Null(await store.GetAsync(both.IdOf(), access: new AccessFilter(TlpLevel.Amber)));
        Assert.NotNull(await store.GetAsync(both.IdOf(), access: new AccessFilter(TlpLevel.AmberStrict)));
        Assert.NotNull(await store.GetAsync(white.IdOf(), access: new AccessFilter(TlpLevel.Clear)));
    }

    [SkippableFact]
    public async Task Access_Green_NeverSeesAmberThroughGetVersionsQueryOrManifest()
    {
        using var store = NewStore();
        var amber = IntrusionSet("Secret", day: 1).Marked(TlpLevel.Amber);
        var green = IntrusionSet("Shared").Marked(TlpLevel.Green);
        var unmarked = IntrusionSet("Public");
        await PutAllOk(store, amber, green, unmarked);
        await PutOk(store, amber.At(2));
        string[] ids = [amber.IdOf(), green.IdOf(), unmarked.IdOf()];

        Assert.Null(await store.GetAsync(amber.IdOf(), access: s_green));
        Assert.Null(await store.GetAsync(amber.IdOf(), version: V(1), access: s_green));
        Assert.Empty(await store.GetVersionsAsync(amber.IdOf(), access: s_green));
        Assert.Equal(2, (await store.GetVersionsAsync(amber.IdOf(), access: new AccessFilter(TlpLevel.Amber))).Count);
        Assert.NotNull(await store.GetAsync(amber.IdOf(), access: AccessFilter.Everything));

        foreach (var versions in new[] { VersionFilter.Latest, VersionFilter.AllVersions, VersionFilter.Earliest })
        {
            var q = new ObjectQuery { Ids = ids, Versions = versions, Access = s_green };
            var seen = await QueryAll(store, q);
            Assert.Equal(new[] { green.IdOf(), unmarked.IdOf() }, seen.Select(o => o.Id));
            var manifest = await store.ManifestAsync(q);
            Assert.Equal(new[] { green.IdOf(), unmarked.IdOf() }, manifest.Items.Select(m => m.Id));
        }

        var byType = await QueryAll(store, new ObjectQuery { Types = ["intrusion-set"], Access = s_green, Versions = VersionFilter.AllVersions });
        Assert.Equal(2, byType.Count);
        // A page of one: the hidden rows do not leave empty pages or give themselves away in More.
        var first = await store.QueryAsync(new ObjectQuery { Ids = [amber.IdOf(), green.IdOf()], Limit = 1, Access = s_green });
        Assert.Equal([green.IdOf()], first.Items.Select(o => o.Id));
        Assert.False(first.More);
        var everything = await QueryAll(store, new ObjectQuery { Ids = ids, Versions = VersionFilter.AllVersions });
        Assert.Equal(4, everything.Count);
    }

    [SkippableFact]
    public async Task Access_UnmarkedObjects_FollowTheUnmarkedLevel()
    {
        using var store = NewStore();
        var green = Tool("Green").Marked(TlpLevel.Green);
        var unmarked = Tool("Unmarked");
        await PutAllOk(store, green, unmarked);

        Assert.NotNull(await store.GetAsync(unmarked.IdOf(), access: s_green));
        Assert.Null(await store.GetAsync(unmarked.IdOf(), access: s_greenMarkedOnly));
        Assert.Null(await store.GetAsync(unmarked.IdOf(), access: new AccessFilter(TlpLevel.Amber, Unmarked: TlpLevel.Red)));
        Assert.NotNull(await store.GetAsync(green.IdOf(), access: s_greenMarkedOnly));
        Assert.Empty(await store.GetVersionsAsync(unmarked.IdOf(), access: s_greenMarkedOnly));
        Assert.Equal([green.IdOf()], (await QueryAll(store, new ObjectQuery { Access = s_greenMarkedOnly })).Select(o => o.Id));
        Assert.Equal([green.IdOf(), unmarked.IdOf()], (await QueryAll(store, new ObjectQuery { Access = s_green })).Select(o => o.Id));
        Assert.Equal([green.IdOf()], (await store.ManifestAsync(new ObjectQuery { Access = s_greenMarkedOnly })).Items.Select(o => o.Id));
        Assert.Empty(await store.SearchAsync(new SearchQuery { Text = "unmarked", Access = s_greenMarkedOnly }));
        Assert.Single(await store.SearchAsync(new SearchQuery { Text = "unmarked", Access = s_green }));
    }

    [SkippableFact]
    public async Task Access_Green_NeverSeesAmberInNeighbors()
    {
        using var store = NewStore();
        var a = IntrusionSet("A").Marked(TlpLevel.Green);
        var amberMalware = Malware("Amber malware").Marked(TlpLevel.Amber);
        var greenTool = Tool("Green tool").Marked(TlpLevel.Green);
        var unmarkedTool = Tool("Unmarked tool");
        var secretRel = Relationship("uses", a.IdOf(), greenTool.IdOf()).Marked(TlpLevel.Amber);
        var amberReport = Report("Amber report", [a.IdOf()]).Marked(TlpLevel.Amber);
        var amberIs = IntrusionSet("Amber set").Marked(TlpLevel.Amber);
        var behindAmber = Tool("Behind amber");
        await PutAllOk(
            store,
            behindAmber,
            Relationship("uses", amberMalware.IdOf(), behindAmber.IdOf()),
            a,
            amberMalware,
            greenTool,
            unmarkedTool,
            secretRel,
            amberReport,
            amberIs,
            Relationship("uses", a.IdOf(), amberMalware.IdOf()),
            Relationship("uses", a.IdOf(), unmarkedTool.IdOf()),
            Relationship("uses", amberIs.IdOf(), unmarkedTool.IdOf()));

        var everything = await store.NeighborsAsync(a.IdOf(), new NeighborQuery { Depth = 2 });
        var green = await store.NeighborsAsync(a.IdOf(), new NeighborQuery { Depth = 2, Access = s_green });
        var fromTool = await store.NeighborsAsync(unmarkedTool.IdOf(), new NeighborQuery { Access = s_green });
        var fromAmber = await store.NeighborsAsync(amberIs.IdOf(), new NeighborQuery { Access = s_green });

        Assert.Contains(everything, n => n.Id == amberMalware.IdOf());
        Assert.Contains(everything, n => n.Id == greenTool.IdOf() && n.Via == secretRel.IdOf());
        Assert.Contains(everything, n => n.Id == amberReport.IdOf());
        Assert.Contains(everything, n => n.Id == amberIs.IdOf());
        Assert.Contains(everything, n => n.Id == behindAmber.IdOf());
        // Nothing behind a hidden node either: the walk does not pass through what the caller may not see.
        Assert.Equal([unmarkedTool.IdOf()], green.Select(n => n.Id));
        Assert.DoesNotContain(green, n => n.Via == secretRel.IdOf());
        Assert.Equal([a.IdOf()], fromTool.Select(n => n.Id));
        Assert.Empty(fromAmber);
    }

    [SkippableFact]
    public async Task Access_Green_NeverFindsAmberInSearch()
    {
        using var store = NewStore();
        var amber = IntrusionSet("Nightshade").Marked(TlpLevel.Amber);
        var green = IntrusionSet("Nightshade Jr").Marked(TlpLevel.Green);
        await PutAllOk(store, amber, green);

        Assert.Equal([green.IdOf()], (await store.SearchAsync(new SearchQuery { Text = "nightshade", Access = s_green })).Select(h => h.Id));
        Assert.Equal([green.IdOf()], (await store.SearchAsync(new SearchQuery { Text = "nightshade", Access = s_green, Limit = 1 })).Select(h => h.Id));
        Assert.Equal(2, (await store.SearchAsync(new SearchQuery { Text = "nightshade", Access = new AccessFilter(TlpLevel.Amber) })).Count);
        Assert.Equal(2, (await store.SearchAsync(new SearchQuery { Text = "nightshade" })).Count);
    }

    [SkippableFact]
    public async Task Access_NewVersionChangingTheMarking_ChangesVisibility()
    {
        using var store = NewStore();
        var v1 = Tool("Reclassified", day: 1).Marked(TlpLevel.Green);
        await PutOk(store, v1);
        await PutOk(store, v1.At(2).Marked(TlpLevel.Red));

        Assert.Null(await store.GetAsync(v1.IdOf(), access: s_green));
        // The object is now RED: its earlier GREEN version is hidden with it (ADR 0002).
        Assert.Empty(await store.GetVersionsAsync(v1.IdOf(), access: s_green));
        Assert.Empty(await store.SearchAsync(new SearchQuery { Text = "reclassified", Access = s_green }));
        Assert.Empty(await QueryAll(store, new ObjectQuery { Access = s_green }));
        Assert.Empty(await QueryAll(store, new ObjectQuery { Access = s_green, Versions = VersionFilter.AllVersions }));
        Assert.Empty(await QueryAll(store, new ObjectQuery { Access = s_green, Versions = VersionFilter.Earliest }));
        Assert.Equal(2, (await QueryAll(store, new ObjectQuery { Versions = VersionFilter.AllVersions })).Count);
    }

    [SkippableFact]
    public async Task Access_Declassified_FirstIsTheFirstVisibleVersion_AndTheHiddenOneLeavesNoTrace()
    {
        using var store = NewStore();
        var v1 = Tool("Declassified", day: 1).Marked(TlpLevel.Amber);
        var v2 = v1.At(2).Marked(TlpLevel.Green);
        await PutOk(store, v1);
        await PutOk(store, v2);
        var q = new ObjectQuery { Ids = [v1.IdOf()], Versions = VersionFilter.Earliest, Access = s_green };

        // GREEN sees one version, v2: it is both the first and the last (match[version]=first must not answer "nothing").
        Assert.Equal([V(2)], (await QueryAll(store, q)).Select(o => o.Version));
        Assert.Equal([V(2)], (await store.ManifestAsync(q)).Items.Select(m => m.Version));
        Assert.Equal([V(2)], (await store.GetVersionsAsync(v1.IdOf(), access: s_green)).Select(o => o.Version));
        Assert.Null(await store.GetAsync(v1.IdOf(), version: V(1), access: s_green));

        // Whoever may see AMBER still gets v1 as the first.
        Assert.Equal([V(1)], (await QueryAll(store, q with { Access = new AccessFilter(TlpLevel.Amber) })).Select(o => o.Version));
        Assert.Equal([V(1)], (await QueryAll(store, q with { Access = null })).Select(o => o.Version));
    }
}
