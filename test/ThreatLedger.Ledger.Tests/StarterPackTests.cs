using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ThreatLedger.Stix;
using ThreatLedger.Stix.Validation;
using ThreatLedger.Storage;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Ledger.Tests;

/// <summary>The embedded starter pack: valid STIX, idempotent to load, and answering the ledger's questions.</summary>
public sealed class StarterPackTests : IDisposable
{
    // Ids written once into starter-pack/pack-1.json (and pack-2.json for the later ones).
    private const string UnitedStates = "identity--ff1d38a7-2b91-4be1-9a20-815ae9474f7d";
    private const string Cisa = "identity--c600f0be-2ddc-4ecb-bc51-250c540aef5f";
    private const string Justice = "identity--ed5cad5b-6866-49fb-814a-1d8ace274fb0";
    private const string UnitedKingdom = "identity--0c98f4ec-c298-4ea5-9f59-764668a8f451";
    private const string Japan = "identity--1f822f3f-6a63-4117-8eab-55596f34f6e2";
    private const string JapanMofa = "identity--1f37b0dc-76ee-4286-ab45-8453aecb689b";
    private const string EuropeanUnion = "identity--6d8cce00-f0f5-4c16-a4f4-9d4ea1589ab2";
    private const string Nato = "identity--cc1df5f3-312b-40c5-9746-80c5fb36f0c0";
    private const string Canada = "identity--d5bcc230-3ffb-4a3a-881e-d983687e9b4a";
    private const string Australia = "identity--f8aed750-6ee4-4e9e-88bd-a97ee1d8207c";
    private const string NewZealand = "identity--4f53a1f8-2496-4564-b9de-8fa7e8cc3a1c";
    private const string SouthKorea = "identity--53a1cfc6-8679-4815-9ba4-d917aa504126";
    private const string Created = "2026-11-26T00:00:00.000Z";
    private const string Part2 = "2026-11-27T00:00:00.000Z";
    private const string Part3 = "2026-11-27T06:00:00.000Z";
    private const string Part4 = "2026-11-27T12:00:00.000Z";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tl-pack-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteStixStore _store;

    public StarterPackTests()
    {
        System.IO.Directory.CreateDirectory(_dir);
        _store = SqliteStixStore.Open(Path.Combine(_dir, "pack.db"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Part_IsValidStix_WithNoErrors_AndOnlyTheJointStatementContextWarnings(int part)
    {
        var doc = StixJson.Read(PackBytes(part));

        Assert.Empty(doc.Diagnostics.Where(d => d.Severity == StixSeverity.Error).Select(d => d.ToString()));

        // The only warnings: the ADR's open-vocabulary grouping context, once per joint statement.
        var warnings = doc.Diagnostics.Where(d => d.Severity == StixSeverity.Warning).ToList();
        Assert.All(warnings, w => Assert.Equal(("vocab-open", true), (w.Code, w.Message.Contains(LedgerExtension.JointStatementContext, StringComparison.Ordinal))));
        Assert.Equal(PartObjects(part).Count(o => Type(o) == "grouping"), warnings.Count);
        Assert.Equal(PartObjects(part).Count, doc.Objects.Count);
    }

    [Fact]
    public void Pack_CarriesTheLedgerExtensionObjects_Exactly()
    {
        Assert.True(JsonNode.DeepEquals(LedgerExtension.Identity(), Objects().Single(o => Id(o) == LedgerExtension.IdentityId)));
        Assert.True(JsonNode.DeepEquals(LedgerExtension.Definition(), Objects().Single(o => Id(o) == LedgerExtension.Id)));
    }

    [Fact]
    public void Pack_HasFixedUniqueVersion4Ids_AndPackDates()
    {
        // Later parts hold new objects (created then) and new versions of part-1 objects (modified then).
        var first = PartObjects(1).Select(Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (part, date) in new[] { (1, Created), (2, Part2), (3, Part3), (4, Part4) })
        {
            var objects = PartObjects(part);
            Assert.Equal(objects.Count, objects.Select(Id).Distinct(StringComparer.Ordinal).Count());
            foreach (var o in objects)
            {
                var uuid = Guid.Parse(Id(o)[(Id(o).IndexOf("--", StringComparison.Ordinal) + 2)..]);
                Assert.Equal(4, uuid.Version);
                string created = part > 1 && first.Contains(Id(o)) ? Created : date;
                Assert.Equal(("2.1", created, date), ((string?)o["spec_version"], (string?)o["created"], (string?)o["modified"]));
            }
        }

        var objectsAll = Objects();

        // Every reference points inside the pack.
        var ids = objectsAll.Select(Id).ToHashSet(StringComparer.Ordinal);
        foreach (var o in objectsAll)
        {
            foreach (var r in Refs(o))
            {
                Assert.Contains(r, ids);
            }
        }
    }

    [Fact]
    public async Task Load_StoresEverything_AndLoadingAgainChangesNothing()
    {
        var first = await StarterPack.LoadAsync(_store);

        Assert.True(first.Failed == 0, string.Join("; ", first.Failures.Select(f => f.Id + ": " + f.Message)));
        int updated = NewVersionsAbove(1);
        Assert.Equal((Objects().Count, updated), ((int)first.Added, (int)first.NewVersions));
        Assert.Equal(StarterPack.ObjectIds().Count, Objects().Count);

        var second = await StarterPack.LoadAsync(_store);
        long parts = Enumerable.Range(1, StarterPack.Version).Sum(p => PartObjects(p).Count);
        Assert.Equal((0L, 0L, 0L, parts), (second.Failed, second.Added, second.NewVersions, second.Unchanged));
        Assert.Equal(4, StarterPack.Version);
    }

    [Fact]
    public async Task Ensure_NewStoreGetsThePack_EmptySkipsIt_AndAStoreAtVersion1IsUpgradedWithTheLaterPartsOnly()
    {
        Assert.True(_store.Created);
        var loaded = await StarterPack.EnsureAsync(_store);
        Assert.Equal(("loaded", (long)Objects().Count), (loaded.Action, loaded.Summary!.Added));
        Assert.Equal(StarterPack.Version, await StarterPack.InstalledVersionAsync(_store));
        Assert.Equal("none", (await StarterPack.EnsureAsync(_store)).Action);

        // --empty: a new store stays empty, and later opens do not add the pack behind the user's back.
        using (var empty = SqliteStixStore.Open(Path.Combine(_dir, "empty.db")))
        {
            Assert.Equal("skipped", (await StarterPack.EnsureAsync(empty, empty: true)).Action);
            Assert.Equal("none", (await StarterPack.EnsureAsync(empty)).Action);
            Assert.Equal(0, (await empty.StatsAsync()).Objects);
            Assert.Equal(0, await StarterPack.InstalledVersionAsync(empty));
        }

        // A store made with pack 1 (as the previous release did) gets part 2 on its next open.
        using var old = SqliteStixStore.Open(Path.Combine(_dir, "old.db"));
        using (var part1 = StarterPack.Open(1))
        {
            Assert.Equal(0, (await StixImporter.ImportAsync(old, part1, "pack-1.json")).Failed);
        }

        await old.SetSettingAsync(StarterPack.SettingKey, "1");
        var upgraded = await StarterPack.EnsureAsync(old);
        int updated = NewVersionsAbove(1);
        int above = Enumerable.Range(2, StarterPack.Version - 1).Sum(p => PartObjects(p).Count);
        Assert.Equal(("upgraded", 1, above - updated, updated, 0), (upgraded.Action, upgraded.FromVersion, (int)upgraded.Summary!.Added, (int)upgraded.Summary.NewVersions, (int)upgraded.Summary.Unchanged));
        Assert.Equal(Objects().Count, (await old.StatsAsync()).Objects);

        // The 2021-07-19 statement's earlier version stays in the history.
        Assert.Equal(2, (await old.GetVersionsAsync("grouping--10924310-574d-4e98-b6e3-d58f1c7e1695")).Count);
    }

    [Fact]
    public async Task Ensure_AStoreAtVersion3GetsExactlyPart4_NewVersionsOfTheGroupsItNamesAgain()
    {
        for (int part = 1; part <= 3; part++)
        {
            using var s = StarterPack.Open(part);
            Assert.Equal(0, (await StixImporter.ImportAsync(_store, s, $"pack-{part}.json")).Failed);
        }

        await _store.SetSettingAsync(StarterPack.SettingKey, "3");
        var upgraded = await StarterPack.EnsureAsync(_store);

        // Part 4 holds only new versions of objects of parts 1-3 (13: eleven intrusion sets and two GRU organs).
        Assert.Equal(("upgraded", 3, 0, 13, 0), (upgraded.Action, upgraded.FromVersion, (int)upgraded.Summary!.Added, (int)upgraded.Summary.NewVersions, (int)upgraded.Summary.Unchanged));
        Assert.Equal(PartObjects(4).Count, (int)upgraded.Summary.NewVersions);
        Assert.Equal(4, await StarterPack.InstalledVersionAsync(_store));
        Assert.Equal(2, (await _store.GetVersionsAsync("intrusion-set--dce99ecd-15f9-43c0-b22c-bb0b012445e2")).Count);
    }

    [Fact]
    public async Task Ensure_AnInterruptedLoadIsResumedOnTheNextOpen()
    {
        await _store.SetSettingAsync(StarterPack.SettingKey, "loading");
        // The first 50 objects of part 1 made it before the process died.
        var bundle = new JsonObject { ["type"] = "bundle", ["id"] = "bundle--" + Guid.NewGuid(), ["objects"] = new JsonArray(PartObjects(1).Take(50).Select(o => o.DeepClone()).ToArray()) };
        using (var partial = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(bundle.ToJsonString())))
        {
            Assert.Equal(50, (await StixImporter.ImportAsync(_store, partial, "partial.json")).Added);
        }

        var resumed = await StarterPack.EnsureAsync(_store);

        Assert.Equal("resumed", resumed.Action);
        Assert.Equal(Objects().Count, (await _store.StatsAsync()).Objects);
        Assert.Equal(StarterPack.Version, await StarterPack.InstalledVersionAsync(_store));
    }

    [Fact]
    public async Task Apt40_TheClaimsOf19July2021_EachWithItsAuthor()
    {
        await LoadAsync();
        var claims = await AttributionQueries.ClaimsAboutAsync(_store, "APT40");
        var day = claims.Where(c => c.Date == "2021-07-19" && c.Relation == "direct").ToList();

        Assert.Equal(
            new[] { UnitedKingdom, EuropeanUnion, JapanMofa, Canada, NewZealand, Cisa, Justice }.Order(StringComparer.Ordinal),
            day.Select(c => c.AuthorId!).Order(StringComparer.Ordinal));

        var japan = day.Single(c => c.AuthorId == JapanMofa);
        Assert.Equal(("Ministry of Foreign Affairs of Japan", "可能性が高い", 85, "https://www.mofa.go.jp/press/danwa/press6e_000312.html"),
            (japan.Author, japan.EstimativePhrase, japan.Confidence!.Value, japan.Source));
        Assert.Equal("Chinese state (organ not named)", japan.Sponsor);

        var indictment = day.Single(c => c.Response == "indictment");
        Assert.Equal((Justice, "APT40", "Ministry of State Security of the People's Republic of China"), (indictment.AuthorId!, indictment.Subject!, indictment.Sponsor!));
        Assert.Null(indictment.JointStatementId);

        // The same claims through an alias, and the later ones too: Japan's Chief Cabinet Secretary the next day, the 2024 joint advisory.
        Assert.Equal(claims.Select(c => c.ClaimId), (await AttributionQueries.ClaimsAboutAsync(_store, "Kryptonite Panda")).Select(c => c.ClaimId));
        Assert.Contains(claims, c => c.Date == "2021-07-20" && c.AuthorId == Japan && c.EstimativePhrase == "highly likely");
        var advisory2024 = claims.Where(c => c.JointStatementId is not null && string.CompareOrdinal(c.Date, "2024-07") > 0 && string.CompareOrdinal(c.Date, "2024-08") < 0).ToList();
        Assert.Equal(9, advisory2024.Count);
    }

    [Fact]
    public async Task Apt40_TheOtherClaimsOfThe19July2021Statements_FollowAsJointStatementClaims()
    {
        await LoadAsync();
        var claims = await AttributionQueries.ClaimsAboutAsync(_store, "Leviathan");
        var joint = claims.Where(c => c.Relation == "joint-statement").ToList();

        // The US (White House), Australia and NATO named the Exchange compromise, not APT40: they come with the statement.
        foreach (var author in new[] { UnitedStates, Australia, Nato })
        {
            var c = Assert.Single(joint, c => c.AuthorId == author);
            Assert.Equal(("2021-07-19", "Microsoft Exchange Server compromise (2021)", "grouping--10924310-574d-4e98-b6e3-d58f1c7e1695"), (c.Date, c.Subject, c.JointStatementId));
        }

        Assert.Equal("acknowledges", joint.Single(c => c.AuthorId == Nato).Stance);
        Assert.All(claims.Where(c => c.AuthorId != Nato), c => Assert.Equal("attributes", c.Stance));
        Assert.All(joint, c => Assert.NotEqual("APT40", c.Subject));
        Assert.Equal(10, joint.Count);

        // directOnly and as-of leave them out / keep them by date.
        Assert.DoesNotContain(await AttributionQueries.ClaimsAboutAsync(_store, "Leviathan", directOnly: true), c => c.Relation != "direct");
        Assert.Empty(await AttributionQueries.ClaimsAboutAsync(_store, "Leviathan", asOf: new DateOnly(2021, 7, 18)));
    }

    [Fact]
    public async Task Statements_19July2021_HasItsParticipantsWithCountries_AndSouthKoreaDeclining()
    {
        await LoadAsync();
        var statements = await AttributionQueries.StatementsAsync(_store, "APT40");
        var s = statements.Single(r => r.Date == "2021-07-19");

        Assert.Equal(
            [(UnitedStates, "US"), (UnitedKingdom, "GB"), (EuropeanUnion, null), (Nato, null), (Canada, "CA"), (Japan, "JP"), (Australia, "AU"), (NewZealand, "NZ")],
            s.Participants.Select(p => (p.Id, p.Country)));
        Assert.All(s.Participants, p => Assert.False(string.IsNullOrEmpty(p.Name)));

        // South Korea: recorded as not joining, on indirect evidence (sources and a lowered confidence on the relationship).
        var declined = Assert.Single(s.Declined);
        Assert.Equal((SouthKorea, "KR"), (declined.Id, declined.Country));
        var refusal = Objects().Single(o => (string?)o["relationship_type"] == LedgerExtension.DeclinedToJoin);
        Assert.Equal((SouthKorea, s.Id, 60), ((string)refusal["source_ref"]!, (string)refusal["target_ref"]!, (int)refusal["confidence"]!));
        Assert.True(refusal["external_references"]!.AsArray().Count >= 2);
        Assert.False(string.IsNullOrEmpty((string?)LedgerExtension.Of(refusal)?["basis"]));

        // About "APT40", only the claims whose subject is APT40 are listed; NATO's acknowledgement is about Exchange.
        var claims = await Task.WhenAll(s.ClaimIds.Select(id => AttributionQueries.ClaimAsync(_store, id)));
        Assert.All(claims, c => Assert.Equal(("APT40", s.Id), (c!.Subject!, c.JointStatementId!)));
        Assert.DoesNotContain(claims, c => c!.AuthorId == Nato);
        Assert.Equal(5, claims.Length);

        Assert.Equal(2, statements.Count);
        Assert.Equal(3, (await AttributionQueries.StatementsAsync(_store)).Count);
        var all = (await AttributionQueries.StatementsAsync(_store)).Single(r => r.Id == s.Id);
        Assert.Equal(15, all.ClaimIds.Count);
    }

    [Fact]
    public async Task Tick_JapanAttributesItToPlaUnit61419()
    {
        await LoadAsync();

        foreach (var name in new[] { "Tick", "BRONZE BUTLER", "ティック" })
        {
            var c = Assert.Single(await AttributionQueries.ClaimsAboutAsync(_store, name));
            Assert.Equal((Japan, "2021-04-20", "PLA Unit 61419", 85, "可能性が高く"), (c.AuthorId!, c.Date, c.Sponsor!, c.Confidence!.Value, c.EstimativePhrase!));
        }

        var unit = Assert.Single(await AttributionQueries.ResolveAsync(_store, "人民解放軍61419部隊"));
        Assert.StartsWith("threat-actor--", unit, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryAttribution_HasASourceUrl_AndEveryClaimIsShapedAsClaimsBuildsIt()
    {
        var attributions = Objects().Where(o => (string?)o["relationship_type"] == "attributed-to").ToList();
        Assert.All(attributions, a => Assert.StartsWith("http", (string?)a["external_references"]?[0]?["url"] ?? "", StringComparison.Ordinal));

        var claims = attributions.Where(a => LedgerExtension.Of(a) is not null).ToList();
        Assert.Equal(61, claims.Count);
        foreach (var actual in claims)
        {
            var ext = LedgerExtension.Of(actual)!;
            var spec = new ClaimSpec(
                (string)actual["created_by_ref"]!, (string)actual["source_ref"]!, (string)actual["target_ref"]!,
                DateOnly.ParseExact((string)ext["statement_date"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture), (string)actual["external_references"]![0]!["url"]!)
            {
                Id = Id(actual),
                Confidence = actual["confidence"] is JsonValue c ? c.GetValue<int>() : null,
                EstimativePhrase = (string?)ext["estimative_phrase"],
                ResponseType = (string)ext["response_type"]!,
                JointStatementRef = (string?)ext["joint_statement_ref"],
                Stance = (string?)ext["stance"],
            };
            var expected = Claims.Claim(spec, (string)actual["created"]!);

            // A pack claim may add a description and further sources after the statement itself.
            Assert.True(JsonNode.DeepEquals(expected["external_references"]![0], actual["external_references"]![0]), Id(actual));
            expected["external_references"] = actual["external_references"]!.DeepClone();
            if (actual["description"] is { } d)
            {
                expected["description"] = d.DeepClone();
            }

            Assert.True(JsonNode.DeepEquals(expected, actual), Id(actual));
        }

        // The rest are ThreatLedger's structural links from a sponsor organ to its state.
        Assert.All(attributions.Except(claims), a => Assert.Equal(
            (LedgerExtension.IdentityId, "threat-actor", "identity"),
            ((string)a["created_by_ref"]!, Type((string)a["source_ref"]!), Type((string)a["target_ref"]!))));
    }

    [Fact]
    public void JointStatements_AreShapedAsClaimsBuildsThem()
    {
        foreach (var actual in Objects().Where(o => Type(o) == "grouping"))
        {
            var ext = LedgerExtension.Of(actual)!;
            var participants = ext["participant_refs"]!.AsArray().Select(n => (string)n!).ToList();
            var claimIds = actual["object_refs"]!.AsArray().Select(n => (string)n!).Where(r => r.StartsWith("relationship--", StringComparison.Ordinal)).ToList();
            var expected = Claims.JointStatement(
                Id(actual), (string)actual["name"]!, DateOnly.ParseExact((string)ext["statement_date"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                participants, claimIds, (string)actual["external_references"]![0]!["url"]!, Created);
            expected["modified"] = actual["modified"]!.DeepClone();
            expected["external_references"] = actual["external_references"]!.DeepClone();
            expected["description"] = actual["description"]!.DeepClone();

            Assert.True(JsonNode.DeepEquals(expected, actual), Id(actual));

            // Each claim in a statement points back to it.
            Assert.All(claimIds, c => Assert.Equal(Id(actual), (string?)LedgerExtension.Of(Objects().Single(o => Id(o) == c))!["joint_statement_ref"]));
        }
    }

    [Fact]
    public void Pack_HasManyClaimsBeyond19July2021_AcrossYearsAuthorsAndSponsors()
    {
        var claims = Objects().Where(o => LedgerExtension.Of(o) is { } e && (string?)e["statement_date"] is not null && Type(o) == "relationship")
            .Select(o => (Author: (string)o["created_by_ref"]!, Subject: (string)o["source_ref"]!, Sponsor: (string)o["target_ref"]!, Date: (string)LedgerExtension.Of(o)!["statement_date"]!))
            .ToList();
        var beyond = claims.Where(c => c.Date != "2021-07-19").ToList();

        Assert.Equal(18, claims.Count - beyond.Count);
        Assert.Equal(43, beyond.Count);
        Assert.Equal(beyond.Count, beyond.Select(c => (c.Author, c.Subject, c.Date)).Distinct().Count());
        Assert.True(beyond.Select(c => c.Date[..4]).Distinct().Count() >= 6);
        Assert.True(beyond.Select(c => c.Author).Distinct().Count() >= 12);
        Assert.True(beyond.Select(c => c.Sponsor).Distinct().Count() >= 10);
    }

    [Theory]
    [InlineData("Midnight Blizzard", "APT29")]
    [InlineData("NOBELIUM", "APT29")]
    [InlineData("ミッドナイト・ブリザード", "APT29")]
    [InlineData("Forest Blizzard", "APT28")]
    [InlineData("Seashell Blizzard", "Sandworm Team")]
    [InlineData("APT44", "Sandworm Team")]
    [InlineData("HIDDEN COBRA", "Lazarus Group")]
    [InlineData("Diamond Sleet", "Lazarus Group")]
    [InlineData("Silk Typhoon", "HAFNIUM")]
    [InlineData("ボルト・タイフーン", "Volt Typhoon")]
    [InlineData("Earth Kasha", "MirrorFace")]
    [InlineData("ミラーフェイス", "MirrorFace")]
    [InlineData("トレイダートレイター", "TraderTraitor")]
    public async Task Resolve_FindsAPackGroupByTheNameAnotherVendorOrTheJapanesePressUses(string name, string group)
    {
        await LoadAsync();

        // Part 4: the pack's groups under other vendors' names and their Japanese renderings, one object each.
        var entity = await EntityResolution.ResolveAsync(_store, name);
        Assert.NotNull(entity);
        var member = Assert.Single(entity.Members);
        Assert.Equal((group, "exact alias", false), (member.Name, member.Why, entity.Ambiguous));
    }

    [Fact]
    public async Task Aliases_NewNamesCarryWhoCoinedThemAndASource()
    {
        await LoadAsync();

        var rows = await EntityResolution.AliasesAsync(_store, "APT29");
        var midnight = Assert.Single(rows, r => r.Name == "Midnight Blizzard");
        Assert.Equal("Microsoft", midnight.CoinedBy);
        Assert.StartsWith("alias record", midnight.How, StringComparison.Ordinal);

        // Every alias a part-4 version adds has a record with who coined it and a public URL.
        foreach (var o in PartObjects(4))
        {
            var records = o["extensions"]![LedgerExtension.Id]!["alias_records"]!.AsArray();
            var earlier = Enumerable.Range(1, 3).SelectMany(PartObjects).Where(p => Id(p) == Id(o)).SelectMany(p => p["aliases"]?.AsArray().Select(a => (string)a!) ?? []).ToHashSet(StringComparer.Ordinal);
            var added = o["aliases"]!.AsArray().Select(a => (string)a!).Where(a => !earlier.Contains(a)).ToList();
            Assert.NotEmpty(added);
            Assert.Equal(added, records.Select(r => (string)r!["name"]!));
            Assert.All(records, r => Assert.True(
                !string.IsNullOrWhiteSpace((string?)r!["coined_by"]) && Uri.TryCreate((string?)r["source"], UriKind.Absolute, out var u) && u.Scheme.StartsWith("http", StringComparison.Ordinal),
                r!.ToJsonString()));
        }
    }

    [Fact]
    public async Task Search_FindsGovernmentsByTheirJapaneseNamesAndShortForms()
    {
        await LoadAsync();

        foreach (var (text, id) in new[] { ("外務省", JapanMofa), ("米国", UnitedStates), ("MOFA", JapanMofa), ("英国", UnitedKingdom), ("北大西洋条約機構", Nato), ("欧州連合", EuropeanUnion), ("日本政府", Japan) })
        {
            var hits = await _store.SearchAsync(new SearchQuery { Text = text, Types = ["identity"] });
            Assert.True(hits.Count > 0 && hits[0].Id == id, text);
        }

        Assert.Equal("Five Eyes", (await _store.SearchAsync(new SearchQuery { Text = "ファイブ・アイズ", Types = ["identity"] }))[0].Name);
        Assert.Contains(await _store.SearchAsync(new SearchQuery { Text = "中国国家安全部", Types = ["threat-actor"] }), h => h.Name == "Ministry of State Security of the People's Republic of China");
    }

    [Fact]
    public async Task States_HaveCountries_AndSponsorOrgansBelongToTheirState()
    {
        await LoadAsync();

        foreach (var (name, cc) in new[] { ("Ministry of State Security of the People's Republic of China", "CN"), ("PLA Unit 61419", "CN"), ("GRU Unit 74455", "RU"), ("Foreign Intelligence Service of the Russian Federation", "RU") })
        {
            var actor = Objects().Single(o => Type(o) == "threat-actor" && (string?)o["name"] == name);
            var state = Objects().Single(o => (string?)o["relationship_type"] == "attributed-to" && (string?)o["source_ref"] == Id(actor));
            var located = await _store.EdgesAsync((string)state["target_ref"]!, EdgeDirection.Outgoing, ["located-at"]);
            var location = await _store.GetAsync(Assert.Single(located).Id);
            Assert.Equal(cc, (string?)JsonNode.Parse(location!.Json.Span)!["country"]);
        }
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_dir, true);
    }

    private async Task LoadAsync()
    {
        var summary = await StarterPack.LoadAsync(_store);
        Assert.True(summary.Failed == 0, string.Join("; ", summary.Failures.Select(f => f.Id + ": " + f.Message)));
    }

    private static byte[] PackBytes(int part)
    {
        using var s = StarterPack.Open(part);
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    private static List<JsonObject> PartObjects(int part) =>
        JsonNode.Parse(PackBytes(part))!["objects"]!.AsArray().Select(n => n!.AsObject()).ToList();

    /// <summary>How many objects of the parts after <paramref name="part"/> are new versions of objects of an earlier part.</summary>
    private static int NewVersionsAbove(int part)
    {
        var seen = Enumerable.Range(1, part).SelectMany(PartObjects).Select(Id).ToHashSet(StringComparer.Ordinal);
        int updated = 0;
        for (int p = part + 1; p <= StarterPack.Version; p++)
        {
            foreach (var o in PartObjects(p))
            {
                updated += seen.Add(Id(o)) ? 0 : 1;
            }
        }

        return updated;
    }

    /// <summary>The pack as a store holding it sees it: the latest version of every object across the parts.</summary>
    private static List<JsonObject> Objects()
    {
        var latest = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        for (int part = 1; part <= StarterPack.Version; part++)
        {
            foreach (var o in PartObjects(part))
            {
                latest[Id(o)] = o;
            }
        }

        return latest.Values.ToList();
    }

    private static string Id(JsonNode o) => (string)o["id"]!;

    private static string Type(JsonNode o) => (string)o["type"]!;

    private static string Type(string id) => id[..id.IndexOf("--", StringComparison.Ordinal)];

    private static IEnumerable<string> Refs(JsonObject o)
    {
        foreach (var (name, value) in o)
        {
            if (name.EndsWith("_ref", StringComparison.Ordinal) && value is JsonValue v)
            {
                yield return v.GetValue<string>();
            }
            else if (name.EndsWith("_refs", StringComparison.Ordinal) && value is JsonArray a)
            {
                foreach (var r in a)
                {
                    yield return (string)r!;
                }
            }
            else if (value is JsonObject inner)
            {
                foreach (var r in Refs(inner))
                {
                    yield return r;
                }
            }
        }
    }
}
