using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ThreatLedger.Ledger;
using ThreatLedger.Stix;
using ThreatLedger.Stix.Validation;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Extraction.Tests;

/// <summary>
/// Groups the store does not hold, found by the vendors' naming schemes as candidates (no id, a lower score),
/// while names the store holds stay linked. Short invented texts, English and Japanese.
/// </summary>
public sealed class ActorNameTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tl-actornames-" + Guid.NewGuid().ToString("N"));

    public ActorNameTests() => System.IO.Directory.CreateDirectory(_dir);

    private static async Task<Gazetteer> Invented()
    {
        var g = await GazetteerBuilder.BuildAsync(null);
        g.Add(new GazetteerEntry("threat-actor", "APT40", "APT40", "intrusion-set--1", "name"));
        g.Add(new GazetteerEntry("threat-actor", "APT40", "Kryptonite Panda", "intrusion-set--1", "alias"));
        g.Add(new GazetteerEntry("threat-actor", "Volt Typhoon", "Volt Typhoon", "intrusion-set--2", "name"));
        g.Add(new GazetteerEntry("threat-actor", "Tick", "BRONZE BUTLER", "intrusion-set--3", "alias"));
        return g;
    }

    private static async Task<List<Entity>> Actors(string text) =>
        (await Extractor.ExtractAsync(text, await Invented(), new ExtractOptions())).Where(e => e.Kind == "threat-actor").ToList();

    [Theory]
    [InlineData("Analysts linked the intrusions to APT41 last year.", "APT41", "Mandiant APT")]
    [InlineData("The actor, tracked as UNC3886, exploited the hypervisor.", "UNC3886", "Mandiant UNC")]
    [InlineData("Point-of-sale malware from FIN7 was seen again.", "FIN7", "Mandiant FIN")]
    [InlineData("Earlier reporting called them TEMP.Veles before a number was given.", "TEMP.Veles", "Mandiant TEMP")]
    [InlineData("Telecom carriers were breached by Salt Typhoon, the advisory says.", "Salt Typhoon", "Microsoft weather")]
    [InlineData("Phishing by Star Blizzard targeted think tanks.", "Star Blizzard", "Microsoft weather")]
    [InlineData("Joint guidance on SALT TYPHOON was issued.", "Salt Typhoon", "Microsoft weather")]
    [InlineData("A forged key let Storm-0558 read mailboxes.", "Storm-0558", "Microsoft Storm")]
    [InlineData("The cluster Storm 1152 sold accounts.", "Storm-1152", "Microsoft Storm")]
    [InlineData("Extortion by DEV-0537 hit several firms.", "DEV-0537", "Microsoft DEV")]
    [InlineData("Lures from TA453 posed as journalists.", "TA453", "Proofpoint TA")]
    [InlineData("Firewalls were backdoored by UAT4356 in the campaign.", "UAT4356", "Cisco Talos UAT")]
    [InlineData("Routers were backdoored by UAT-5918 too.", "UAT5918", "Cisco Talos UAT")]
    [InlineData("Gaming firms were hit by Earth Lusca again.", "Earth Lusca", "Trend Micro Earth")]
    [InlineData("Secureworks attributes it to BRONZE PRESIDENT, which uses PlugX.", "BRONZE PRESIDENT", "Secureworks")]
    [InlineData("The group Charming Kitten sent lures by e-mail.", "Charming Kitten", "CrowdStrike")]
    [InlineData("Ransomware by Wizard Spider spread fast.", "Wizard Spider", "CrowdStrike")]
    [InlineData("Reports on WICKED PANDA followed.", "Wicked Panda", "CrowdStrike")]
    public async Task English_EachScheme_GivesACandidate_InItsCanonicalSpelling(string text, string value, string scheme)
    {
        var actor = Assert.Single(await Actors(text));
        Assert.Equal(value, actor.Value);
        Assert.Null(actor.Id);
        Assert.Equal("naming scheme: " + scheme, actor.Rule);
        Assert.True(actor.Score < 1.0);
        Assert.Equal(actor.Text, text[actor.Spans[0][0]..actor.Spans[0][1]]);
    }

    [Theory]
    [InlineData("中国系のSalt Typhoonは通信事業者に侵入した。", "Salt Typhoon")]
    [InlineData("APT41が関与したとみられる。", "APT41")]
    [InlineData("「Earth Lusca」と呼ばれるグループ", "Earth Lusca")]
    [InlineData("攻撃グループUNC3886による", "UNC3886")]
    [InlineData("ソルト・タイフーンと呼ばれる集団が通信網に侵入した。", "ソルト・タイフーン")]
    [InlineData("「ミッドナイトブリザード」の活動", "ミッドナイト・ブリザード")]
    [InlineData("ミスティックパンダによる攻撃", "ミスティック・パンダ")]
    public async Task Japanese_LatinNamesNextToKana_AndKatakanaForms_AreCandidates(string text, string value)
    {
        var actor = Assert.Single(await Actors(text));
        Assert.Equal(value, actor.Value);
        Assert.Null(actor.Id);
    }

    [Theory]
    [InlineData("APT40 and its alias Kryptonite Panda were named.")]
    [InlineData("KRYPTONITE PANDA was named.")]
    [InlineData("Volt Typhoon stayed hidden for years.")]
    [InlineData("BRONZE BUTLERは日本を狙う。")]
    public async Task KnownNames_StayTheDictionarysLinkedMatch(string text)
    {
        var actors = await Actors(text);
        Assert.NotEmpty(actors);
        Assert.All(actors, a => Assert.NotNull(a.Id));
    }

    [Fact]
    public async Task KatakanaForm_BesideTheLatinNameOfAKnownGroup_IsAMentionOfIt()
    {
        const string text = "米英は「ボルト・タイフーン」（Volt Typhoon）に警戒を呼びかけた。";
        var actor = Assert.Single(await Actors(text));
        Assert.Equal("intrusion-set--2", actor.Id);
        Assert.Equal(2, actor.Spans.Count);
    }

    [Fact]
    public async Task KatakanaForm_OfAnotherGroup_IsNotMergedIntoTheKnownOne()
    {
        var actors = await Actors("ソルト・タイフーンはVolt Typhoonとは別の集団だ。");
        Assert.Contains(actors, a => a.Id is null && (string)a.Value == "ソルト・タイフーン");
        Assert.Contains(actors, a => a.Id == "intrusion-set--2");
    }

    // Guards: everyday phrases built from the scheme words, which no version of the extractor took.
    [Theory]
    [InlineData("The zoo welcomed a Red Panda cub and a Giant Panda on loan.")]
    [InlineData("Visitors saw a Polar Bear and a Big Bear statue.")]
    [InlineData("The new Apple TV ships next week.")]
    [InlineData("Ask your TA about the APT lecture and the UNC path.")]
    [InlineData("Earth observation satellites and Earth Day events, seen in Google Earth Pro.")]
    [InlineData("Heavy Rain and a Super Typhoon closed the port; the Eurofighter Typhoon stayed grounded.")]
    [InlineData("Mac OS X Snow Leopard and a Tower Crane.")]
    [InlineData("THE IRON CURTAIN FELL; the GOLD STANDARD ended.")]
    [InlineData("Form FIN 10-K, version APT2024, ticket TA12 and a Bearer token.")]
    [InlineData("上野動物園のジャイアントパンダとレッサーパンダ、スーパータイフーンの接近")]
    public async Task CommonPhrases_AreNotTaken(string text) => Assert.Empty(await Actors(text));

    [Fact]
    public async Task NamesInsideIndicators_AreNotTaken()
    {
        // A reference link ("see …") is not an indicator, and a name in its path is still not a mention.
        var actors = await Actors("See https://research.example.com/APT41/Salt Typhoon-notes, C2 hxxps://evil-update[.]com/FIN7/x, mail UNC3886@example.org or TA453.example.net.");
        Assert.DoesNotContain(actors, a => (string)a.Value is "APT41" or "FIN7" or "UNC3886" or "TA453" or "Salt Typhoon");
    }

    [Fact]
    public async Task Draft_Candidate_AcceptedAsAnIntrusionSet_ClaimAboutItWaitsForIt_RejectedOnesAreLeftOutLater()
    {
        using var store = SqliteStixStore.Open(Path.Combine(_dir, "draft.db"));
        Assert.Equal(0, (await StarterPack.LoadAsync(store)).Failed);
        var gazetteer = await GazetteerBuilder.BuildAsync(store);
        const string text = "The United States attributed Salt Typhoon to the MSS. Storm-0558 was also active.";
        var entities = await Extractor.ExtractAsync(text, gazetteer, new ExtractOptions { Published = new DateOnly(2025, 1, 10) }, store);
        var drafts = new DraftStore(store);
        var draft = await drafts.CreateAsync("t", "en", new DateOnly(2025, 1, 10), "https://news.example.com/a", entities);
        string salt = draft.Items.Single(i => i.Entity.Kind == "threat-actor" && i.Entity.Value as string == "Salt Typhoon").Id;
        string storm = draft.Items.Single(i => i.Entity.Kind == "threat-actor" && i.Entity.Value as string == "Storm-0558").Id;
        string claim = draft.Items.Single(i => i.Entity.Value is ClaimValue { Subject: "Salt Typhoon" }).Id;

        // The claim alone waits: its subject is not a store object yet.
        var first = await drafts.ReviewAsync(draft.Id, [claim], [storm], acceptAll: false);
        Assert.Empty(first.Accepted);
        Assert.Equal([storm], first.Rejected);

        // Accepting the candidate writes a valid intrusion-set; the claim about it can then be accepted and names it.
        var second = await drafts.ReviewAsync(draft.Id, [salt, claim], [], acceptAll: false);
        Assert.Equal([salt, claim], second.Accepted);
        Assert.All(second.Written, w => Assert.True(w.Succeeded, w.Message));
        var group = JsonNode.Parse(second.Written.Select(w => store.GetAsync(w.Id!).Result!.JsonText).Single(j => j.Contains("\"intrusion-set\"", StringComparison.Ordinal)))!;
        Assert.Equal("Salt Typhoon", (string?)group["name"]);
        Assert.DoesNotContain(StixJson.Read(System.Text.Encoding.UTF8.GetBytes(group.ToJsonString())).Diagnostics, d => d.Severity == StixSeverity.Error);
        var relationship = second.Written.Select(w => JsonNode.Parse(store.GetAsync(w.Id!).Result!.JsonText)!).Single(o => (string?)o["type"] == "relationship");
        Assert.Contains((string)group["id"]!, relationship.ToJsonString(), StringComparison.Ordinal);

        // The rejected name is not reported again; the accepted one is now in the store, so the dictionary links it.
        var later = await Extractor.ExtractAsync("Storm-0558 and Salt Typhoon again.", await GazetteerBuilder.BuildAsync(store),
            new ExtractOptions { FalsePositives = await drafts.FalsePositivesAsync() }, store);
        var actor = Assert.Single(later, e => e.Kind == "threat-actor");
        Assert.Equal("Salt Typhoon", actor.Value);
        Assert.Equal((string)group["id"]!, actor.Id);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
