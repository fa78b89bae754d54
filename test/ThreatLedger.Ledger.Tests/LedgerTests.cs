using Microsoft.Data.Sqlite;
using ThreatLedger.Stix;
using ThreatLedger.Stix.Validation;
using ThreatLedger.Storage;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Ledger.Tests;

public sealed class LedgerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tl-ledger-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteStixStore _store;

    public LedgerTests()
    {
        System.IO.Directory.CreateDirectory(_dir);
        _store = SqliteStixStore.Open(Path.Combine(_dir, "ledger.db"));
        using var input = LedgerFixture.Stream();
        var summary = StixImporter.ImportAsync(_store, input, "ledger.json").GetAwaiter().GetResult();
        Assert.True(summary.Failed == 0, string.Join("; ", summary.Failures.Select(f => f.Id + ": " + f.Message)));
    }

    [Fact]
    public void LedgerObjects_AreValidStix_WithoutErrorsOrWarnings()
    {
        var doc = StixJson.Read(System.Text.Encoding.UTF8.GetBytes(LedgerFixture.Bundle()));

        Assert.Empty(doc.Diagnostics.Where(d => d.Severity == StixSeverity.Error).Select(d => d.ToString()));
        Assert.Equal(LedgerFixture.Objects().Count, doc.Objects.Count);
    }

    [Fact]
    public async Task Attribution_AnyAlias_ListsEveryClaimWithItsAuthor_TwoClaimantsAreTwoClaims()
    {
        foreach (var name in new[] { "Example Group 7", "kryptic otter", "ＫＲＹＰＴＩＣ ＯＴＴＥＲ", "エグザンプル7" })
        {
            var claims = await AttributionQueries.ClaimsAboutAsync(_store, name);

            Assert.Equal([LedgerFixture.OldClaim, LedgerFixture.ClaimA, LedgerFixture.Indictment, LedgerFixture.ClaimB], claims.Select(c => c.ClaimId));
        }

        var all = await AttributionQueries.ClaimsAboutAsync(_store, "Kryptic Otter");
        var a = all.Single(c => c.ClaimId == LedgerFixture.ClaimA);
        Assert.Equal(("Government of Arcadia", "2021-07-19", "Example Group 7", "Arcadian Ministry of Secrets", "statement", 85, "highly likely", "https://example.org/arcadia/statement"),
            (a.Author, a.Date, a.Subject, a.Sponsor, a.Response, a.Confidence!.Value, a.EstimativePhrase, a.Source));
        Assert.Equal(LedgerFixture.Statement, a.JointStatementId);
        var b = all.Single(c => c.ClaimId == LedgerFixture.ClaimB);
        Assert.Equal(("Government of Borduria", "可能性が高い", (int?)null), (b.Author, b.EstimativePhrase, b.Confidence));
        Assert.Equal("indictment", all.Single(c => c.ClaimId == LedgerFixture.Indictment).Response);
    }

    [Fact]
    public async Task Attribution_AsOf_KeepsClaimsMadeByThatDate()
    {
        var then = await AttributionQueries.ClaimsAboutAsync(_store, "Kryptic Otter", new DateOnly(2021, 7, 1));

        Assert.Equal([LedgerFixture.OldClaim], then.Select(c => c.ClaimId));
        Assert.Equal(4, (await AttributionQueries.ClaimsAboutAsync(_store, "Kryptic Otter", new DateOnly(2021, 7, 19))).Count);
    }

    [Fact]
    public async Task Attribution_UnknownOrPartialName_ResolvesToNothing()
    {
        Assert.Empty(await AttributionQueries.ResolveAsync(_store, "Otter"));
        Assert.Empty(await AttributionQueries.ClaimsAboutAsync(_store, "Nobody"));
    }

    [Fact]
    public async Task Statements_ListParticipantsWithCountries_AndWhoDeclined()
    {
        var s = Assert.Single(await AttributionQueries.StatementsAsync(_store, "Kryptic Otter"));

        Assert.Equal("2021-07-19", s.Date);
        Assert.Equal([("Government of Arcadia", "XA"), ("Government of Borduria", "XB")], s.Participants.Select(p => (p.Name!, p.Country!)));
        Assert.Equal([("Government of Carpania", "XC")], s.Declined.Select(p => (p.Name!, p.Country!)));
        Assert.Equal([LedgerFixture.ClaimA, LedgerFixture.ClaimB], s.ClaimIds);
        Assert.Empty(await AttributionQueries.StatementsAsync(_store, "Nobody"));
        Assert.Single(await AttributionQueries.StatementsAsync(_store));
    }

    [Fact]
    public void Claim_RejectsUnknownResponseAndBadConfidence()
    {
        var spec = new ClaimSpec(LedgerFixture.Arcadia, LedgerFixture.Group, LedgerFixture.Sponsor, new DateOnly(2021, 7, 19), "https://example.org");

        Assert.Throws<ArgumentException>(() => Claims.Claim(spec with { ResponseType = "tweet" }, "2021-07-19T00:00:00.000Z"));
        Assert.Throws<ArgumentException>(() => Claims.Claim(spec with { Confidence = 101 }, "2021-07-19T00:00:00.000Z"));
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_dir, true);
    }
}

public sealed class MergeAndConsensusTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tl-merge-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteStixStore _store;
    private const string Heron = "intrusion-set--7c3d8e2f-1a4b-4c5d-9e6f-0a1b2c3d4e5f";
    private const string HeronClaim = "relationship--8d4e9f3a-2b5c-4d6e-8f7a-1b2c3d4e5f6a";
    private const string OtherSponsor = "threat-actor--9e5f0a4b-3c6d-4e7f-9a8b-2c3d4e5f6a7b";

    public MergeAndConsensusTests()
    {
        System.IO.Directory.CreateDirectory(_dir);
        _store = SqliteStixStore.Open(Path.Combine(_dir, "ledger.db"));
        using var input = LedgerFixture.Stream();
        StixImporter.ImportAsync(_store, input, "ledger.json").GetAwaiter().GetResult();
        var heron = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "intrusion-set", ["spec_version"] = "2.1", ["id"] = Heron, ["created"] = "2022-01-01T00:00:00.000Z", ["modified"] = "2022-01-01T00:00:00.000Z", ["name"] = "Shadow Heron",
        };
        var sponsor = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "threat-actor", ["spec_version"] = "2.1", ["id"] = OtherSponsor, ["created"] = "2022-01-01T00:00:00.000Z", ["modified"] = "2022-01-01T00:00:00.000Z", ["name"] = "Bordurian Bureau",
        };
        var claim = Claims.Claim(new ClaimSpec(LedgerFixture.Carpania, Heron, OtherSponsor, new DateOnly(2022, 3, 1), "https://example.org/carpania") { Id = HeronClaim }, "2022-03-01T00:00:00.000Z");
        var put = _store.PutAsync([.. new[] { heron, sponsor, claim }.Select(o => PreparedObject.From(StixJson.ParseObject(o.ToJsonString())))]).GetAwaiter().GetResult();
        Assert.All(put, r => Assert.True(r.Succeeded, r.Message));
    }

    [Fact]
    public async Task Merge_BringsTheOtherObjectsClaims_Unmerge_TakesThemAway_BothKeptAsVersions()
    {
        Assert.DoesNotContain(await AttributionQueries.ClaimsAboutAsync(_store, "Kryptic Otter"), c => c.ClaimId == HeronClaim);

        var merged = await Equivalences.SetAsync(_store, LedgerFixture.Group, Heron, "accepted", "same infrastructure");
        Assert.Equal(PutOutcome.Added, merged.Outcome);
        Assert.Contains(await AttributionQueries.ClaimsAboutAsync(_store, "Kryptic Otter"), c => c.ClaimId == HeronClaim);

        var unmerged = await Equivalences.SetAsync(_store, LedgerFixture.Group, Heron, "rejected", "different operators");
        Assert.Equal(PutOutcome.NewVersion, unmerged.Outcome);
        Assert.DoesNotContain(await AttributionQueries.ClaimsAboutAsync(_store, "Kryptic Otter"), c => c.ClaimId == HeronClaim);
        Assert.Equal(2, (await _store.GetVersionsAsync(merged.Id!)).Count);
    }

    [Fact]
    public async Task Consensus_CountsGovernments_AndFlagsSponsorsOfDifferentStates()
    {
        var before = await Consensus.SummariseAsync(_store, "Kryptic Otter");
        Assert.NotNull(before);
        Assert.Equal((4, 2, 0, false), (before.Claims, before.Governments, before.Others, before.Conflict));

        await Equivalences.SetAsync(_store, LedgerFixture.Group, Heron, "accepted", "same infrastructure");
        var after = await Consensus.SummariseAsync(_store, "Kryptic Otter");

        Assert.NotNull(after);
        Assert.Equal((5, 3, true), (after.Claims, after.Governments, after.Conflict));
        Assert.Equal(2, after.Sponsors.Count);
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_dir, true);
    }
}
