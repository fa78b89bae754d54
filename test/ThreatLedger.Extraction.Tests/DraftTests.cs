using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ThreatLedger.Ledger;
using ThreatLedger.Stix;
using ThreatLedger.Stix.Tests;
using ThreatLedger.Stix.Validation;
using ThreatLedger.Storage;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Extraction.Tests;

/// <summary>Drafts are kept apart from the knowledge until reviewed; accepting writes valid STIX; rejecting teaches a false positive.</summary>
public sealed class DraftTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tl-draft-" + Guid.NewGuid().ToString("N"));

    public DraftTests() => System.IO.Directory.CreateDirectory(_dir);

    [SkippableFact]
    public async Task FoundingDocument_Draft_IsNotShared_UntilAccepted_ThenItsClaimsAnswerTheLedger()
    {
        string path = SharedData.SkipIfMissing("..", "scenario", "seed-2021-07-21.ja.txt");
        using var store = SqliteStixStore.Open(Path.Combine(_dir, "s.db"));
        Assert.Equal(0, (await StarterPack.LoadAsync(store)).Failed);
        long before = (await store.StatsAsync()).Objects;
        var doc = DocumentReader.Read(await System.IO.File.ReadAllBytesAsync(path));
        var entities = await Extractor.ExtractAsync(doc.Text, await GazetteerBuilder.BuildAsync(store), new ExtractOptions { Lang = "ja", Published = new DateOnly(2021, 7, 21) }, store);
        var drafts = new DraftStore(store);

        var draft = await drafts.CreateAsync("日米にEU英からNATOまで", "ja", new DateOnly(2021, 7, 21), "seed-2021-07-21.ja.txt", entities);

        // Stored, but not knowledge: no new objects, nothing in queries.
        Assert.Equal(before, (await store.StatsAsync()).Objects);
        Assert.Null(await store.GetAsync(draft.Id));
        Assert.Equal(entities.Count, (await drafts.GetAsync(draft.Id))!.Items.Count);

        var result = await drafts.ReviewAsync(draft.Id, [], [], acceptAll: true);

        Assert.All(result.Written, w => Assert.True(w.Succeeded, w.Message));
        var report = JsonNode.Parse((await store.GetAsync(draft.Id))!.Json.Span)!;
        var refs = report["object_refs"]!.AsArray().Select(r => (string)r!).ToList();
        var apt40 = (await EntityResolution.ResolveAsync(store, "APT40"))!.RepresentativeId;
        Assert.Contains(apt40, refs);
        Assert.Equal("ja", (string?)report["lang"]);
        Assert.Contains("ransomware", report["labels"]!.AsArray().Select(l => (string)l!));
        Assert.NotEmpty(report["extensions"]![ThreatLedger.Ledger.LedgerExtension.Id]!["provenance"]!.AsArray());

        // MOFA's claim about APT40 is now in the ledger, with the wording and its confidence.
        var claims = await AttributionQueries.ClaimsAboutAsync(store, "APT40", directOnly: true);
        var fromText = Assert.Single(claims, c => c.Author == "Ministry of Foreign Affairs of Japan" && c.Wording is not null && c.Wording.Contains("可能性が高い", StringComparison.Ordinal));
        Assert.Equal((85, "2021-07-19", "Government of the People's Republic of China"), (fromText.Confidence!.Value, fromText.Date, fromText.Sponsor));

        // Every object written is valid STIX.
        foreach (var w in result.Written)
        {
            var json = (await store.GetAsync(w.Id!))!.JsonText;
            Assert.Empty(StixJson.Read(System.Text.Encoding.UTF8.GetBytes(json)).Diagnostics.Where(d => d.Severity == StixSeverity.Error).Select(d => d.ToString()));
        }

        // Accepting again (nothing left to accept) writes nothing.
        var again = await drafts.ReviewAsync(draft.Id, [], [], acceptAll: true);
        Assert.Empty(again.Accepted);
        Assert.Empty(again.Written);
        Assert.Single(await store.GetVersionsAsync(draft.Id));
    }

    [Fact]
    public async Task Rejecting_RemembersTheSurfaceForm_AndLaterIngestionLeavesItOut()
    {
        using var store = SqliteStixStore.Open(Path.Combine(_dir, "fp.db"));
        var drafts = new DraftStore(store);
        var gazetteer = await GazetteerBuilder.BuildAsync(store);
        const string text = "Exchange Server was hit; the wiper spread. Ransomware followed.";
        var first = await Extractor.ExtractAsync(text, gazetteer, new ExtractOptions(), store);
        var draft = await drafts.CreateAsync("t", "en", null, "t.txt", first);
        string wiper = draft.Items.Single(i => i.Entity.Value as string == "wiper").Id;

        var review = await drafts.ReviewAsync(draft.Id, [], [wiper], acceptAll: false);
        Assert.Equal([wiper], review.Rejected);
        Assert.Empty(review.Written);
        Assert.Null(await store.GetAsync(draft.Id));

        var later = await Extractor.ExtractAsync(text, gazetteer, new ExtractOptions { FalsePositives = await drafts.FalsePositivesAsync() }, store);
        Assert.DoesNotContain(later, e => e.Value as string == "wiper");
        Assert.Contains(later, e => e.Value as string == "ransomware");

        await Assert.ThrowsAsync<KeyNotFoundException>(() => drafts.ReviewAsync(draft.Id, ["i99"], [], false));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => drafts.ReviewAsync("report--00000000-0000-4000-8000-000000000000", [], [], true));
    }

    [Theory]
    [InlineData("ipv4", "203.0.113.7", "[ipv4-addr:value = '203.0.113.7']")]
    [InlineData("url", "http://a.example/it's", "[url:value = 'http://a.example/it\\'s']")]
    [InlineData("sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']")]
    public void Indicators_GetValidStixPatterns(string kind, string value, string expected)
    {
        string? pattern = DraftStore.Pattern(kind, value);
        Assert.Equal(expected, pattern);
        Assert.Empty(ThreatLedger.Stix.Patterning.StixPattern.Parse(pattern!).Diagnostics);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_dir, true);
    }
}
