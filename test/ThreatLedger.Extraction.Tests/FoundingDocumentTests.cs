using Microsoft.Data.Sqlite;
using ThreatLedger.Ledger;
using ThreatLedger.Stix.Tests;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Extraction.Tests;

/// <summary>
/// The founding document (../shared/scenario/seed-2021-07-21.ja.txt, read from the shared folder),
/// against a real store holding the starter pack: what PRODUCT.md lists, each with spans that cut
/// out the text it was found in.
/// </summary>
public sealed class FoundingDocumentTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tl-extract-" + Guid.NewGuid().ToString("N"));

    public FoundingDocumentTests() => System.IO.Directory.CreateDirectory(_dir);

    [Fact]
    public async Task EnglishCoordinatedAttribution_OneClaimPerAuthor_TheOrganAfterTheVerbIsTheSponsor()
    {
        using var store = SqliteStixStore.Open(Path.Combine(_dir, "e.db"));
        Assert.Equal(0, (await StarterPack.LoadAsync(store)).Failed);
        const string text = "On 19 July 2021 the Government of the United Kingdom and the Government of the United States publicly attributed the group tracked as APT40 to China's Ministry of State Security (MSS).";

        var found = await Extractor.ExtractAsync(text, await GazetteerBuilder.BuildAsync(store), new ExtractOptions { Published = new DateOnly(2021, 7, 21) }, store);

        // Two authors, not the country named inside each government's name; the sponsor is the organ after "attributed … to", not the US (nearer the verb) or China (its possessor).
        var claims = found.Where(e => e.Kind == "claim").Select(e => (ClaimValue)e.Value).Select(c => (c.Type, c.Author, c.Subject, c.Sponsor)).ToList();
        const string mss = "Ministry of State Security of the People's Republic of China";
        Assert.Equal(
            [("attribution", "Government of the United Kingdom", "APT40", mss), ("attribution", "Government of the United States", "APT40", mss)],
            claims);
    }

    [SkippableFact]
    public async Task Seed_YieldsActorsOrganisationsProductAttackTypesDatesAndClaims_EachWithSpans()
    {
        string path = SharedData.SkipIfMissing("..", "scenario", "seed-2021-07-21.ja.txt");
        using var store = SqliteStixStore.Open(Path.Combine(_dir, "s.db"));
        Assert.Equal(0, (await StarterPack.LoadAsync(store)).Failed);
        var doc = DocumentReader.Read(await File.ReadAllBytesAsync(path));
        Assert.Equal("ja", Extractor.DetectLanguage(doc.Text));

        var found = await Extractor.ExtractAsync(doc.Text, await GazetteerBuilder.BuildAsync(store), new ExtractOptions { Lang = "ja", Published = new DateOnly(2021, 7, 21) }, store);

        // Every mention's span cuts out text that is a form of what was found.
        foreach (var e in found.Where(e => e.Kind != "claim"))
        {
            Assert.All(e.Spans, s => Assert.True(s[1] > s[0] && s[1] <= doc.Text.Length, e.Kind + " " + e.Value));
        }

        // APT40 and Tick, linked to the store's entities (the same ones 'resolve' gives), not new ones.
        foreach (var name in new[] { "APT40", "Tick" })
        {
            var actor = Assert.Single(found, e => e.Kind == "threat-actor" && (string)e.Value == name);
            Assert.Equal((await EntityResolution.ResolveAsync(store, name))!.RepresentativeId, actor.Id);
            Assert.NotEmpty(actor.Aliases!);
        }

        var tick = found.Single(e => e.Kind == "threat-actor" && e.Value as string == "Tick");
        Assert.Equal(["Tick", "ティック"], tick.Spans.Select(s => doc.Text[s[0]..s[1]]));

        var organisations = found.Where(e => e.Kind == "organization").Select(e => (string)e.Value).ToHashSet();
        foreach (var o in new[]
        {
            "Ministry of State Security of the People's Republic of China", "PLA Unit 61419", "Government of the United States", "European Union",
            "Government of the United Kingdom", "North Atlantic Treaty Organization", "Government of Japan", "Government of Canada",
            "Government of Australia", "Government of New Zealand", "Government of the Republic of Korea", "Ministry of Foreign Affairs of Japan",
        })
        {
            Assert.Contains(o, organisations);
        }

        var countries = found.Where(e => e.Kind == "country").Select(e => (string)e.Value).ToHashSet();
        Assert.Superset(new HashSet<string> { "US", "GB", "JP", "CA", "AU", "NZ", "KR", "CN" }, countries);

        Assert.Equal("Microsoft Exchange Server", Assert.Single(found, e => e.Kind == "product").Value);
        Assert.Superset(new HashSet<string> { "ransomware", "cryptojacking", "data theft", "extortion" }, found.Where(e => e.Kind == "attack-type").Select(e => (string)e.Value).ToHashSet());

        var dates = found.Where(e => e.Kind == "date").ToDictionary(e => (string)e.Value);
        Assert.Superset(new HashSet<string> { "2018-10", "2020-09", "2021-03", "2021-07-19" }, dates.Keys.ToHashSet());
        Assert.Equal("今年3月", doc.Text[dates["2021-03"].Spans[0][0]..dates["2021-03"].Spans[0][1]]);
        Assert.Equal("19日", doc.Text[dates["2021-07-19"].Spans[0][0]..dates["2021-07-19"].Spans[0][1]]);

        // Claims: Japan's MOFA on APT40 (可能性が高い → 85) and on Tick / Unit 61419, the US indictment, South Korea not joining.
        var claims = found.Where(e => e.Kind == "claim").Select(e => (Entity: e, Value: (ClaimValue)e.Value)).ToList();
        var mofaApt40 = Assert.Single(claims, c => c.Value is { Type: "attribution", Author: "Ministry of Foreign Affairs of Japan", Subject: "APT40" });
        Assert.Equal(("Government of the People's Republic of China", 85, "2021-07-19"), (mofaApt40.Value.Sponsor, mofaApt40.Value.Confidence, mofaApt40.Value.Date));
        Assert.Contains("可能性が高い", doc.Text[mofaApt40.Entity.Spans[0][0]..mofaApt40.Entity.Spans[0][1]], StringComparison.Ordinal);
        var mofaTick = Assert.Single(claims, c => c.Value is { Type: "attribution", Author: "Ministry of Foreign Affairs of Japan", Subject: "Tick" });
        Assert.Equal(("PLA Unit 61419", 85), (mofaTick.Value.Sponsor, mofaTick.Value.Confidence));
        Assert.Single(claims, c => c.Value is { Type: "indictment", Author: "Government of the United States", Subject: "APT40" });
        // The joint statement with its participants (not the state it accuses).
        var joint = claims.Where(c => c.Value.Type == "joint-statement").Select(c => c.Value.Participants!).ToList();
        Assert.Contains(joint, p => new[] { "Government of the United States", "European Union", "North Atlantic Treaty Organization", "Government of the United Kingdom", "Government of Japan" }.All(p.Contains));
        Assert.DoesNotContain(joint, p => p.Contains("Government of the People's Republic of China") || p.Contains("Ministry of State Security of the People's Republic of China"));

        var declined = Assert.Single(claims, c => c.Value.Type == "declined-to-join");
        Assert.Equal("Government of the Republic of Korea", declined.Value.Author);
        Assert.Equal(3, declined.Entity.Spans.Count);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_dir, true);
    }
}
