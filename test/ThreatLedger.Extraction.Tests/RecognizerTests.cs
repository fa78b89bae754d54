using System.Text;

namespace ThreatLedger.Extraction.Tests;

/// <summary>The recognisers one by one, on the built-in vocabularies and a small invented gazetteer.</summary>
public sealed class RecognizerTests
{
    private static async Task<IReadOnlyList<Entity>> Extract(string text, DateOnly? published = null, Gazetteer? g = null, IReadOnlySet<string>? ownHosts = null) =>
        await Extractor.ExtractAsync(text, g ?? await Invented(), new ExtractOptions { Published = published, OwnHosts = ownHosts });

    private static async Task<Gazetteer> Invented()
    {
        var g = await GazetteerBuilder.BuildAsync(null);
        g.Add(new GazetteerEntry("threat-actor", "APT40", "APT40", "intrusion-set--1", "name"));
        g.Add(new GazetteerEntry("threat-actor", "Tick", "Tick", "intrusion-set--2", "name", CaseSensitive: true));
        g.Add(new GazetteerEntry("threat-actor", "APT40", "Kryptonite Panda", "intrusion-set--1", "alias"));
        return g;
    }

    private static List<string> Values(IEnumerable<Entity> entities, string kind) => entities.Where(e => e.Kind == kind).Select(e => e.Value.ToString()!).ToList();

    [Theory]
    [InlineData("APT40は中国政府を背景に持つ")]
    [InlineData("ＡＰＴ４０が")]
    [InlineData("the APT 40 group")]
    [InlineData("apt-40 activity")]
    [InlineData("KRYPTONITE PANDA,")]
    public async Task Actors_MatchAcrossWidthCaseSpacingAndNextToKana(string text)
    {
        var found = await Extract(text);
        var actor = Assert.Single(found, e => e.Kind == "threat-actor");
        Assert.Equal("APT40", actor.Value);
        var span = Assert.Single(actor.Spans);
        Assert.Equal(actor.Text, text[span[0]..span[1]]);
    }

    [Theory]
    [InlineData("Buy a Ticket now")]
    [InlineData("a tick on the list")]
    [InlineData("APT401 is another")]
    public async Task Actors_DoNotFireInsideLongerWords_OrInTheWrongCaseForCommonWords(string text) =>
        Assert.DoesNotContain(await Extract(text), e => e.Kind == "threat-actor" && e.Value as string is "APT40" or "Tick"); // APT401 itself is a candidate by Mandiant's scheme

    [Fact]
    public async Task Tick_InItsOwnCase_NextToJapanese()
    {
        var found = await Extract("61419部隊を背景に持つTick(ティック)といわれる");
        Assert.Equal("Tick", Assert.Single(found, e => e.Kind == "threat-actor").Value);
    }

    [Fact]
    public async Task Iocs_DefangedFormsAreRefanged_FileNamesAreNotDomains_OwnLinksAreNotIndicators()
    {
        const string text = "C2 at hxxp://evil-update[.]com/gate.php and 203.0.113[.]7, backup 198.51.100.23; mail ops[@]bad-mail[.]net; " +
            "drops invoice.pdf and svchost.exe; also www.example.org and 2001:db8::1; see https://advisories.example.gov/aa21-200a for details; " +
            "md5 d41d8cd98f00b204e9800998ecf8427e sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709 " +
            "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        var found = await Extract(text, ownHosts: new HashSet<string>(["advisories.example.gov"]));

        Assert.Equal(["http://evil-update.com/gate.php"], Values(found, "url"));
        Assert.Equal(["203.0.113.7", "198.51.100.23"], Values(found, "ipv4"));
        Assert.Equal(["ops@bad-mail.net"], Values(found, "email"));
        Assert.Equal(["www.example.org"], Values(found, "domain"));
        Assert.Equal(["2001:db8::1"], Values(found, "ipv6"));
        Assert.Equal(["d41d8cd98f00b204e9800998ecf8427e"], Values(found, "md5"));
        Assert.Single(Values(found, "sha1"));
        Assert.Single(Values(found, "sha256"));
        var url = found.Single(e => e.Kind == "url");
        Assert.Equal("hxxp://evil-update[.]com/gate.php", text[url.Spans[0][0]..url.Spans[0][1]]);
    }

    [Fact]
    public async Task Iocs_NextToJapaneseText_AreFound()
    {
        var found = await Extract("通信先は203.0.113[.]9、ドメインはevil-update[.]comで、URLはhxxps://evil-update[.]com/a、連絡先はops@bad-mail.netでした。");
        Assert.Equal(["203.0.113.9"], Values(found, "ipv4"));
        Assert.Equal(["https://evil-update.com/a"], Values(found, "url"));
        Assert.Equal(["ops@bad-mail.net"], Values(found, "email"));
        Assert.Contains("evil-update.com", Values(found, "domain"));
    }

    [Fact]
    public async Task Urls_OtherSchemesAndDefangedHosts_ButNotLinksTheTextPointsReadersTo()
    {
        var found = await Extract("Payload from ldap://198.51.100.23:1389/Exploit and hxxps://asset-update.example(.)net/api/v2/check; see our write-up at https://blog.example.com/2023/lotl.");
        Assert.Equal(["ldap://198.51.100.23:1389/Exploit", "https://asset-update.example.net/api/v2/check"], Values(found, "url"));
    }

    [Theory]
    [InlineData("before 3 March, assume compromise", "2021-03-03")]
    [InlineData("on the evening of Friday 8 April", "2021-04-08")]
    [InlineData("since 2014 the group", "2014")]
    [InlineData("今月10日に公表された", "2021-07-10")]
    public async Task Dates_WithoutAYearTakeThePublicationsYear_BareYearsNeedAPreposition(string text, string expected)
    {
        Assert.Equal([expected], Values(await Extract(text, new DateOnly(2021, 7, 21)), "date"));
        Assert.Empty(Values(await Extract("port 2022 and 1433 open", new DateOnly(2021, 7, 21)), "date"));
        Assert.Empty(Values(await Extract("path /2021/07/19/ and 2021/13/40 and 12/2021/7/1", new DateOnly(2021, 7, 21)), "date"));
    }

    [Fact]
    public async Task Countries_InsideAnOrganisationsName_AreMentionedToo()
    {
        var g = await Invented();
        g.Add(new GazetteerEntry("organization", "Government of the United Kingdom", "Government of the United Kingdom", "identity--uk", "name"));
        var found = await Extract("The Government of the United Kingdom said so.", g: g);
        Assert.Equal(["Government of the United Kingdom"], Values(found, "organization"));
        Assert.Equal(["GB"], Values(found, "country"));
    }

    [Fact]
    public async Task FindingsOfTheSecondReader_CountryDomains_FileNames_MonthVerbs_WeekdaySpans()
    {
        // A country code inside a domain is the domain, not the country.
        var uk = await Extract("Backup server evil.co.uk and evil[.]example[.]us were used.");
        Assert.Equal(["evil.co.uk", "evil.example.us"], Values(uk, "domain"));
        Assert.Empty(Values(uk, "country"));

        // File names with two-letter extensions are not domains; a third label makes it a host.
        Assert.Empty(Values(await Extract("see readme.md, main.go, lib.so, image.ai, run.pl and doc.ps"), "domain"));
        Assert.Equal(["www.example.pl"], Values(await Extract("served from www.example.pl"), "domain"));

        // "may" and "march" are verbs.
        Assert.Empty(Values(await Extract("Version 2 may crash. He will march 10 miles.", new DateOnly(2021, 7, 21)), "date"));

        // "on Monday": the span is the weekday.
        const string text = "It was seen on Monday.";
        var monday = Assert.Single(await Extract(text, new DateOnly(2021, 7, 21)), e => e.Kind == "date");
        Assert.Equal("Monday", text[monday.Spans[0][0]..monday.Spans[0][1]]);
    }

    [Fact]
    public void ShiftJis_PlainText_IsNotReadAsEucJp()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        foreach (var sample in new[] { "2021年7月19日、米国、英国、日本などの政府は、中国国家安全部がサイバー攻撃に関与していると発表した。", "、evil.example.com" })
        {
            var read = DocumentReader.Read(Encoding.GetEncoding("shift_jis").GetBytes(sample));
            Assert.Equal((sample, "shift_jis"), (read.Text, read.Encoding));
        }
    }

    [Fact]
    public async Task Cves_AreUpperCasedAndNormalised()
    {
        var found = await Extract("Exploited cve-2021-26855 and CVE–2021–27065 (脆弱性CVE-2021-26857を悪用)");
        Assert.Equal(["CVE-2021-26855", "CVE-2021-27065", "CVE-2021-26857"], Values(found, "vulnerability"));
    }

    [Theory]
    [InlineData("令和3年7月19日に発表", "2021-07-19")]
    [InlineData("平成30年12月21日の談話", "2018-12-21")]
    [InlineData("2021年7月19日", "2021-07-19")]
    [InlineData("２０２１年３月に公表", "2021-03")]
    [InlineData("on 19 July 2021 the", "2021-07-19")]
    [InlineData("On July 19, 2021, the", "2021-07-19")]
    [InlineData("since March 2021", "2021-03")]
    [InlineData("dated 2021-07-19.", "2021-07-19")]
    [InlineData("2021/7/19に公表", "2021-07-19")]
    [InlineData("更新日 2021/07/09", "2021-07-09")]
    [InlineData("今年3月に公表された", "2021-03")]
    [InlineData("昨年から続く", "2020")]
    [InlineData("先月発表した", "2021-06")]
    [InlineData("政権は19日、声明で", "2021-07-19")]
    [InlineData("said last week that", "2021-07-14")]
    [InlineData("announced on Monday that", "2021-07-19")]
    public async Task Dates_AbsolutePartialAndRelativeToThePublication(string text, string expected)
    {
        var found = await Extract(text, new DateOnly(2021, 7, 21));
        Assert.Equal([expected], Values(found, "date"));
    }

    [Fact]
    public async Task Dates_YearsJoinedToAYearAfterAPreposition_AreYearsToo()
    {
        Assert.Equal(["2019", "2024"], Values(await Extract("cyberattacks between 2019 and 2024 against", new DateOnly(2025, 1, 1)), "date"));
        Assert.Equal(["2015", "2016", "2017"], Values(await Extract("in 2015, 2016 and 2017 the group", new DateOnly(2025, 1, 1)), "date"));
        Assert.Equal(["2006"], Values(await Extract("From around 2006 it broke into", new DateOnly(2025, 1, 1)), "date"));
        Assert.Empty(Values(await Extract("ports 2019 and 2024 were open", new DateOnly(2025, 1, 1)), "date"));
    }

    [Fact]
    public async Task Dates_ARangeGivesBothEnds_TheTwoDigitYearInTheStartsCentury()
    {
        var found = await Extract("2018年10月から20年9月までの間に", new DateOnly(2021, 7, 21));
        Assert.Equal(["2018-10", "2020-09"], Values(found, "date"));
    }

    [Fact]
    public async Task Countries_ShortFormsCountOnlyInListsOrBeforeGovernment()
    {
        Assert.Equal(["US", "GB", "JP"], Values(await Extract("【米・EU・英・日・NATO】"), "country").Where(v => v != "EU").ToList());
        Assert.Empty(Values(await Extract("毎日、米を食べる"), "country"));
        Assert.Equal(["US"], Values(await Extract("米政府は"), "country"));
        Assert.Equal(["KR"], Values(await Extract("韓国は参加しなかった"), "country"));
    }

    [Fact]
    public async Task ProductsAndAttackTypes_InBothLanguages_MapToOneVocabulary()
    {
        var found = await Extract("マイクロソフト・エクスチェンジ・サーバーの脆弱性、ランサムウエアとクリプトジャッキング; Microsoft Exchange Server, ransomware");
        Assert.Equal(["Microsoft Exchange Server"], Values(found, "product"));
        Assert.Equal(["ransomware", "cryptojacking"], Values(found, "attack-type"));
        Assert.Equal(2, found.Single(e => e.Kind == "product").Spans.Count);
        Assert.Equal(2, found.Single(e => e.Value.ToString() == "ransomware").Spans.Count);
    }

    [Fact]
    public void Encodings_ShiftJisAndEucJp_AreDetected_AndMetaCharsetIsHonoured()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        const string text = "我が国としても、APT40は中国政府を背景に持つものである可能性が高いと評価しており、";
        foreach (var name in new[] { "shift_jis", "euc-jp" })
        {
            var read = DocumentReader.Read(Encoding.GetEncoding(name).GetBytes(text));
            Assert.Equal((text, name), (read.Text, read.Encoding));
        }

        string html = "<html><head><meta charset=\"Shift_JIS\"><title>T</title></head><body><article><p>" + text + "</p></article></body></html>";
        var page = DocumentReader.Read(Encoding.GetEncoding("shift_jis").GetBytes(html));
        Assert.Equal(("html", "shift_jis", "T"), (page.Format, page.Encoding, page.Title));
        Assert.Equal(text, page.Text);
    }

    [Fact]
    public void MarkdownAndAsciiDoc_LoseTheirMarkup_KeepWordsAndLinkTargets()
    {
        const string md = "# APT40 update\n\n> Quoted **highly likely** text\n- C2: `203.0.113[.]7`\n- See [the advisory](https://advisories.example.com/a1)\n";
        Assert.Equal("APT40 update\n\nQuoted highly likely text\nC2: 203.0.113[.]7\nSee the advisory https://advisories.example.com/a1\n", DocumentReader.Read(Encoding.UTF8.GetBytes(md), "note.md").Text);
        const string adoc = "= Report\n* Tick uses link:https://c2.example.net/x[the C2]\n";
        Assert.Equal("Report\nTick uses the C2 https://c2.example.net/x\n", DocumentReader.Read(Encoding.UTF8.GetBytes(adoc), "r.adoc").Text);
        Assert.Equal(md, DocumentReader.Read(Encoding.UTF8.GetBytes(md), "note.txt").Text);
    }

    [Fact]
    public void Html_KeepsTheArticle_DropsNavigationShareButtonsRankingsScriptsAndFooters()
    {
        const string html = """
            <!DOCTYPE html><html><head><title>Post</title><script>var tracking = "APT1";</script></head><body>
            <nav><a href="/">Home</a> <a href="/apt28">APT28 archive</a></nav>
            <div class="sidebar">Popular: Lazarus</div>
            <article><h1>Statement</h1><p>The UK attributes APT40 to the MSS.</p><p>Second paragraph.</p>
              <div class="share-buttons"><a>Share on Twitter</a></div></article>
            <div class="ranking"><a href="https://blog.example/rank">にほんブログ村</a></div>
            <footer>Privacy policy</footer></body></html>
            """;
        var read = DocumentReader.Read(Encoding.UTF8.GetBytes(html));
        Assert.Equal("Statement\nThe UK attributes APT40 to the MSS.\nSecond paragraph.", read.Text);
    }
}
