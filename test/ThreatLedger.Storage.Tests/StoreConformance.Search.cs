using System.Text.Json.Nodes;
using static ThreatLedger.Storage.Tests.StixBuilders;

namespace ThreatLedger.Storage.Tests;

public abstract partial class StoreConformance
{
    private static JsonObject Apt40() =>
        IntrusionSet("APT40")
            .With("aliases", Arr("Leviathan", "TEMP.Periscope"))
            .With("labels", Arr("espionage-cluster"))
            .With("external_references", new JsonArray(new JsonObject
            {
                ["source_name"] = "mitre-attack",
                ["external_id"] = "G0065",
                ["url"] = "https://attack.mitre.org/groups/G0065",
            }));

    private async Task<(IStixStore Store, JsonObject Apt40, JsonObject Described, JsonObject Aliased, JsonObject Tools)> SearchFixture()
    {
        var store = NewStore();
        var apt40 = Apt40();
        var described = IntrusionSet("Kryptonite Panda").With("description", "中国国家安全部の支援を受けるグループ");
        var aliased = ThreatActor("MSS Unit").With("aliases", Arr("国家安全部系"));
        var tools = Malware("Leviathan Toolkit").With("description", "used by the group");
        await PutAllOk(store, apt40, described, aliased, tools, IntrusionSet("Unrelated").With("description", "nothing to see"));
        return (store, apt40, described, aliased, tools);
    }

    private static async Task<List<string>> Find(IStixStore store, string text, IReadOnlyList<string>? types = null, AccessFilter? access = null) =>
        (await store.SearchAsync(new SearchQuery { Text = text, Types = types, Access = access })).Select(h => h.Id).ToList();

    [SkippableFact]
    public async Task Search_ByName_IgnoresCaseAndWidth()
    {
        var (store, apt40, _, _, _) = await SearchFixture();
        using var owner = store;

        var exact = await store.SearchAsync(new SearchQuery { Text = "APT40" });
        var lower = await Find(store, "apt40");
        var fullWidth = await Find(store, "ＡＰＴ４０");
        var padded = await Find(store, "\u3000 apt40  ");

        var hit = Assert.Single(exact);
        Assert.Equal((apt40.IdOf(), "intrusion-set", "APT40"), (hit.Id, hit.Type, hit.Name));
        Assert.True(hit.Score > 0);
        Assert.Equal([apt40.IdOf()], lower);
        Assert.Equal([apt40.IdOf()], fullWidth);
        Assert.Equal([apt40.IdOf()], padded);
        Assert.Empty(await Find(store, "apt41"));
        Assert.Empty(await Find(store, "   "));
    }

    [SkippableFact]
    public async Task Search_AliasAndExternalId_AreFound()
    {
        var (store, apt40, _, _, tools) = await SearchFixture();
        using var owner = store;

        Assert.Equal([apt40.IdOf()], await Find(store, "periscope"));
        Assert.Equal([apt40.IdOf()], await Find(store, "G0065"));
        Assert.Equal([apt40.IdOf()], await Find(store, "g0065"));
        Assert.Equal([apt40.IdOf()], await Find(store, "Ｇ００６５"));
        Assert.Equal([apt40.IdOf()], await Find(store, "espionage"));
        var leviathan = await Find(store, "leviathan");
        Assert.Equal(new[] { apt40.IdOf(), tools.IdOf() }.Order(StringComparer.Ordinal), leviathan.Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Search_JapaneseSubstrings_AreFoundInDescriptionsAndAliases()
    {
        var (store, _, described, aliased, _) = await SearchFixture();
        using var owner = store;

        var mss = await Find(store, "国家安全部");
        var china = await Find(store, "中国");
        var support = await Find(store, "支援");
        var oneChar = await Find(store, "系");

        Assert.Equal(new[] { described.IdOf(), aliased.IdOf() }.Order(StringComparer.Ordinal), mss.Order(StringComparer.Ordinal));
        // The alias match ranks above the description match.
        Assert.Equal(aliased.IdOf(), mss[0]);
        Assert.Equal([described.IdOf()], china);
        Assert.Equal([described.IdOf()], support);
        Assert.Equal([aliased.IdOf()], oneChar);
        Assert.Empty(await Find(store, "国家安全保障"));
    }

    [SkippableFact]
    public async Task Search_Quotes_MakePhrases_AndAStrayQuoteMatchesNothingByItself()
    {
        using var store = NewStore();
        var beacon = Malware("Cobalt Strike Beacon");
        var reversed = Malware("Strike Cobalt").With("description", "a \"quoted\" word");
        var apt40 = IntrusionSet("APT40");
        await PutAllOk(store, beacon, reversed, apt40);

        Assert.Equal([beacon.IdOf()], await Find(store, "\"cobalt strike\""));
        Assert.Equal([beacon.IdOf()], await Find(store, "\"Cobalt Strike"));
        Assert.Equal(2, (await Find(store, "cobalt strike")).Count);
        Assert.Equal([apt40.IdOf()], await Find(store, "\"APT40"));
        Assert.Equal([apt40.IdOf()], await Find(store, "APT40\""));
        Assert.Equal([reversed.IdOf()], await Find(store, "\"quoted\""));
        Assert.Empty(await Find(store, "\""));
        Assert.Empty(await Find(store, "\" \""));

        // A phrase ranks like a name: the exact name scores highest.
        var hit = (await store.SearchAsync(new SearchQuery { Text = "\"cobalt strike beacon\"" }))[0];
        Assert.Equal(beacon.IdOf(), hit.Id);
        Assert.True(hit.Score >= 100);
    }

    [SkippableFact]
    public async Task Search_HalfWidthKatakana_FindsFullWidth()
    {
        using var store = NewStore();
        var m = Malware("サンプルマルウェア").With("description", "ガジェット型");
        await PutAllOk(store, m, Tool("Other"));

        Assert.Equal([m.IdOf()], await Find(store, "ｻﾝﾌﾟﾙ"));
        Assert.Equal([m.IdOf()], await Find(store, "ﾏﾙｳｪｱ"));
        Assert.Equal([m.IdOf()], await Find(store, "ｶﾞｼﾞｪｯﾄ"));
        Assert.Equal([m.IdOf()], await Find(store, "サンプル"));
    }

    [SkippableFact]
    public async Task Search_SeveralWords_MustAllOccur()
    {
        var (store, apt40, described, _, tools) = await SearchFixture();
        using var owner = store;

        Assert.Equal([apt40.IdOf()], await Find(store, "leviathan g0065"));
        Assert.Equal([apt40.IdOf()], await Find(store, "G0065 APT"));
        Assert.Equal([tools.IdOf()], await Find(store, "Leviathan group"));
        Assert.Equal([described.IdOf()], await Find(store, "panda 中国"));
        Assert.Empty(await Find(store, "leviathan 国家安全部"));
        Assert.Empty(await Find(store, "apt40 missingword"));
    }

    [SkippableFact]
    public async Task Search_Ranking_ExactNameThenAliasThenNameThenText()
    {
        using var store = NewStore();
        var text = Tool("Scanner").With("description", "a scanner seen with Cobalt in 2021");
        var nameContains = Malware("Cobalt Strike Beacon");
        var exactAlias = IntrusionSet("Carbanak").With("aliases", Arr("FIN7 Affiliate", "Cobalt"));
        var exactName = Tool("Cobalt");
        var aliasContains = ThreatActor("Gold Kingswood").With("aliases", Arr("Cobalt Gang"));
        await PutAllOk(store, text, nameContains, exactAlias, exactName, aliasContains, Tool("Unrelated"));

        var hits = await store.SearchAsync(new SearchQuery { Text = "cobalt" });

        Assert.Equal(
            [exactName.IdOf(), exactAlias.IdOf(), nameContains.IdOf(), aliasContains.IdOf(), text.IdOf()],
            hits.Select(h => h.Id));
        for (int i = 1; i < hits.Count; i++)
        {
            Assert.True(hits[i - 1].Score > hits[i].Score, $"hit {i - 1} should score above hit {i}");
        }
    }

    [SkippableFact]
    public async Task Search_TypesAndLimit()
    {
        var (store, apt40, _, _, tools) = await SearchFixture();
        using var owner = store;

        Assert.Equal([tools.IdOf()], await Find(store, "leviathan", types: ["malware"]));
        Assert.Equal([apt40.IdOf()], await Find(store, "leviathan", types: ["intrusion-set", "tool"]));
        Assert.Empty(await Find(store, "leviathan", types: ["report"]));
        Assert.Single(await store.SearchAsync(new SearchQuery { Text = "leviathan", Limit = 1 }));
    }

    [SkippableFact]
    public async Task Search_OnlyTheLatestVersionIsSearched()
    {
        using var store = NewStore();
        var v1 = IntrusionSet("Oldname", day: 1).With("aliases", Arr("Firstalias"));
        await PutOk(store, v1);
        Assert.Single(await Find(store, "oldname"));

        await PutOk(store, v1.At(2).With("name", "Newname").With("aliases", Arr("Secondalias")));
        await PutOk(store, v1.At(0).With("name", "Ancientname"));

        Assert.Empty(await Find(store, "oldname"));
        Assert.Empty(await Find(store, "firstalias"));
        Assert.Empty(await Find(store, "ancientname"));
        var hit = Assert.Single(await store.SearchAsync(new SearchQuery { Text = "newname" }));
        Assert.Equal("Newname", hit.Name);
        Assert.Single(await Find(store, "secondalias"));
    }

    [SkippableFact]
    public async Task Search_ObservableValuesAndHashes()
    {
        using var store = NewStore();
        var ip = Ipv4("203.0.113.45");
        var file = new JsonObject
        {
            ["type"] = "file",
            ["spec_version"] = "2.1",
            ["id"] = NewId("file"),
            ["name"] = "payload.exe",
            ["hashes"] = new JsonObject { ["SHA-256"] = "6f2a1b86c0d4e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2" },
        };
        await PutAllOk(store, ip, file);

        Assert.Equal([ip.IdOf()], await Find(store, "203.0.113.45"));
        Assert.Equal([file.IdOf()], await Find(store, "6F2A1B86C0D4"));
        Assert.Equal([file.IdOf()], await Find(store, "payload"));
    }
}

public abstract partial class StoreConformance
{
    [SkippableFact]
    public async Task Search_SpecialCharacters_AreLiteral()
    {
        using var store = NewStore();
        var path = Tool(@"C:\Windows\Temp\evil_100%.exe");
        var quoted = Tool("say \"hello\" (o'brien)");
        var plain = Tool("Windows Temp evil 100 exe");
        var glob = Tool("what?[x]*y");
        var globLookalike = Tool("whatA[x]Zy xy");
        await PutAllOk(store, path, quoted, plain, glob, globLookalike);

        Assert.Equal([path.IdOf()], await Find(store, "_100%"));
        Assert.Equal([path.IdOf()], await Find(store, "%"));
        Assert.Equal([path.IdOf()], await Find(store, "_"));
        Assert.Equal([path.IdOf()], await Find(store, @"\temp\"));
        Assert.Equal([quoted.IdOf()], await Find(store, "\"hello\""));
        Assert.Equal([quoted.IdOf()], await Find(store, "(o'brien)"));
        Assert.Equal([quoted.IdOf()], await Find(store, "o'"));
        Assert.Empty(await Find(store, "hello*"));
        Assert.Equal([glob.IdOf()], await Find(store, "t?[x]*y"));
        Assert.Equal([glob.IdOf()], await Find(store, "?"));
        Assert.Equal([glob.IdOf()], await Find(store, "]*"));
        Assert.Equal(new[] { glob.IdOf(), globLookalike.IdOf() }.Order(StringComparer.Ordinal), (await Find(store, "[x]")).Order(StringComparer.Ordinal));
        Assert.Empty(await Find(store, "[a-z]"));
        Assert.Equal(3, (await Find(store, "temp")).Count + (await Find(store, "hello")).Count);
    }
}
