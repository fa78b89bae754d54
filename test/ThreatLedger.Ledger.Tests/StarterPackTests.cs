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
    // Ids written once into starter-pack/pack-1.json.
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
    private const string Created = "2026-11-26T00:00:00.000Z";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tl-pack-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteStixStore _store;

    public StarterPackTests()
    {
        System.IO.Directory.CreateDirectory(_dir);
        _store = SqliteStixStore.Open(Path.Combine(_dir, "pack.db"));
    }

    [Fact]
    public void Pack_IsValidStix_WithNoErrors_AndOnlyTheJointStatementContextWarnings()
    {
        var doc = StixJson.Read(PackBytes());

        Assert.Empty(doc.Diagnostics.Where(d => d.Severity == StixSeverity.Error).Select(d => d.ToString()));

        // The only warnings: the ADR's open-vocabulary grouping context, once per joint statement.
        var warnings = doc.Diagnostics.Where(d => d.Severity == StixSeverity.Warning).ToList();
        Assert.All(warnings, w => Assert.Equal(("vocab-open", true), (w.Code, w.Message.Contains(LedgerExtension.JointStatementContext, StringComparison.Ordinal))));
        Assert.Equal(Objects().Count(o => Type(o) == "grouping"), warnings.Count);
        Assert.Equal(Objects().Count, doc.Objects.Count);
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
        var objects = Objects();
        Assert.Equal(objects.Count, objects.Select(Id).Distinct(StringComparer.Ordinal).Count());
        foreach (var o in objects)
        {
            var uuid = Guid.Parse(Id(o)[(Id(o).IndexOf("--", StringComparison.Ordinal) + 2)..]);
            Assert.Equal(4, uuid.Version);
            Assert.Equal(("2.1", Created, Created), ((string?)o["spec_version"], (string?)o["created"], (string?)o["modified"]));
        }

        // Every reference points inside the pack.
        var ids = objects.Select(Id).ToHashSet(StringComparer.Ordinal);
        foreach (var o in objects)
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
        Assert.Equal(Objects().Count, first.Added);

        var second = await StarterPack.LoadAsync(_store);
        Assert.Equal((0L, 0L, 0L, (long)Objects().Count), (second.Failed, second.Added, second.NewVersions, second.Unchanged));
        Assert.Equal(1, StarterPack.Version);
    }

    [Fact]
    public async Task Apt40_TheClaimsOf19July2021_EachWithItsAuthor()
    {
        await LoadAsync();
        var claims = await AttributionQueries.ClaimsAboutAsync(_store, "APT40");
        var day = claims.Where(c => c.Date == "2021-07-19").ToList();

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
    public async Task Statements_19July2021_HasItsParticipantsWithCountries_AndNoOneRecordedAsDeclining()
    {
        await LoadAsync();
        var statements = await AttributionQueries.StatementsAsync(_store, "APT40");
        var s = statements.Single(r => r.Date == "2021-07-19");

        Assert.Equal(
            [(UnitedStates, "US"), (UnitedKingdom, "GB"), (EuropeanUnion, null), (Nato, null), (Canada, "CA"), (Japan, "JP"), (Australia, "AU"), (NewZealand, "NZ")],
            s.Participants.Select(p => (p.Id, p.Country)));
        Assert.All(s.Participants, p => Assert.False(string.IsNullOrEmpty(p.Name)));

        // South Korea: no source says it declined, so nothing is recorded.
        Assert.Empty(s.Declined);
        Assert.DoesNotContain(Objects(), o => (string?)o["relationship_type"] == LedgerExtension.DeclinedToJoin);

        // NATO takes part without a claim of its own; only APT40 claims are listed for "APT40".
        var claims = await Task.WhenAll(s.ClaimIds.Select(id => AttributionQueries.ClaimAsync(_store, id)));
        Assert.All(claims, c => Assert.Equal(("APT40", s.Id), (c!.Subject!, c.JointStatementId!)));
        Assert.DoesNotContain(claims, c => c!.AuthorId == Nato);
        Assert.Equal(5, claims.Length);

        Assert.Equal(2, statements.Count);
        Assert.Equal(3, (await AttributionQueries.StatementsAsync(_store)).Count);
        var all = (await AttributionQueries.StatementsAsync(_store)).Single(r => r.Id == s.Id);
        Assert.Equal(14, all.ClaimIds.Count);
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
        Assert.Equal(60, claims.Count);
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
            };
            var expected = Claims.Claim(spec, Created);

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

        Assert.Equal(17, claims.Count - beyond.Count);
        Assert.Equal(43, beyond.Count);
        Assert.Equal(beyond.Count, beyond.Select(c => (c.Author, c.Subject, c.Date)).Distinct().Count());
        Assert.True(beyond.Select(c => c.Date[..4]).Distinct().Count() >= 6);
        Assert.True(beyond.Select(c => c.Author).Distinct().Count() >= 12);
        Assert.True(beyond.Select(c => c.Sponsor).Distinct().Count() >= 10);
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

    private static byte[] PackBytes()
    {
        using var s = StarterPack.Open();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    private static List<JsonObject> Objects() =>
        JsonNode.Parse(PackBytes())!["objects"]!.AsArray().Select(n => n!.AsObject()).ToList();

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
