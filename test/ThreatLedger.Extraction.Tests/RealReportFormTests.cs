namespace ThreatLedger.Extraction.Tests;

/// <summary>
/// Forms that real advisories, notices, vendor blogs and news use and the dev corpus did not: each case is
/// a short text of its own, not a sentence of the corpus.
/// </summary>
public sealed class RealReportFormTests
{
    private static async Task<IReadOnlyList<Entity>> Extract(string text, DateOnly? published = null, Gazetteer? g = null) =>
        await Extractor.ExtractAsync(text, g ?? await GazetteerBuilder.BuildAsync(null), new ExtractOptions { Published = published });

    private static List<string> Values(IEnumerable<Entity> entities, string kind) => entities.Where(e => e.Kind == kind).Select(e => e.Value.ToString()!).ToList();

    [Fact]
    public async Task Ipv4_ACidrBlockIsARangeNotAnAddress()
    {
        var found = await Extract("Block 198.51.100.0/24 and 192.0.2[.]128/25 at the edge; the confirmed host was 203.0.113.5/ (see log) and 203.0.113.6.");
        Assert.Equal(["203.0.113.5", "203.0.113.6"], Values(found, "ipv4"));
    }

    [Fact]
    public async Task Iocs_FullWidthDigitsDotsAndBrackets_AreReadAsTheirAsciiForms()
    {
        var found = await Extract("通信先：２０３．０．１１３．４０、送信元：ops［＠］example［．］net、中継：198．51．100．７");
        Assert.Equal(["203.0.113.40", "198.51.100.7"], Values(found, "ipv4"));
        Assert.Equal(["ops@example.net"], Values(found, "email"));
        var ip = found.First(e => e.Kind == "ipv4");
        Assert.Equal("２０３．０．１１３．４０", ip.Text);
    }

    [Theory]
    [InlineData("Volumes rose in Q2 2021 before", "2021-04,2021-06")]
    [InlineData("during the fourth quarter of 2020 the", "2020-10,2020-12")]
    [InlineData("2019年第1四半期に急増した", "2019-01,2019-03")]
    [InlineData("2022年第３四半期から", "2022-07,2022-09")]
    public async Task Dates_AQuarterIsARange_ItsFirstAndLastMonth(string text, string expected) =>
        Assert.Equal(expected.Split(','), Values(await Extract(text, new DateOnly(2025, 1, 1)), "date"));

    [Fact]
    public async Task Dates_JapaneseRangeEndWithoutAYear_TakesTheStartsYear() =>
        Assert.Equal(["2022-04", "2022-06"], Values(await Extract("2022年4月〜6月にかけて観測された", new DateOnly(2025, 1, 1)), "date"));

    [Fact]
    public async Task Dates_SameYearSameMonthAndTheNextMonth_FollowTheDateBefore()
    {
        var found = await Extract("2019年3月に侵入が判明し、同年6月上旬に再び攻撃があった。翌月12日には声明が出た。2018年11月に公表し、同月20日に更新した。", new DateOnly(2021, 1, 1));
        Assert.Equal(["2019-03", "2019-06", "2019-07-12", "2018-11", "2018-11-20"], Values(found, "date"));
    }

    [Fact]
    public async Task Dates_SameYearWithoutAnEarlierDate_IsNotADate() =>
        Assert.Empty(Values(await Extract("同年代の技術者と翌月の予定", new DateOnly(2021, 1, 1)), "date"));

    [Theory]
    [InlineData("The intrusions began in late August and peaked in the second half of October.", "2022-08,2022-10")]
    [InlineData("Exploitation started in December, before the patch.", "2021-12")]
    [InlineData("A fix is expected in early February.", "2023-02")]
    [InlineData("Next year's audit will report in December.", "2022-12")]
    public async Task Dates_AMonthAfterAPreposition_IsTheLatestSuchMonthNotAfterThePublication(string text, string expected) =>
        Assert.Equal(expected.Split(','), Values(await Extract(text, new DateOnly(2022, 11, 30)), "date"));

    [Fact]
    public async Task Dates_MonthWordsThatAreNotMonths_AreNotDates() =>
        Assert.Empty(Values(await Extract("May we add that it may be fine? The March agenda and the May release.", new DateOnly(2022, 11, 30)), "date"));

    [Fact]
    public async Task Countries_NationalityAdjectivesNameTheCountry()
    {
        var found = await Extract("Chinese and Russian operators, a North Korean cluster, Iranian hackers and Australian, Canadian and Polish agencies.");
        Assert.Equal(["CN", "RU", "KP", "IR", "AU", "CA", "PL"], Values(found, "country"));
    }

    [Fact]
    public async Task Countries_AdjectivesInOtherWordsOrLowerCase_DoNotCount() =>
        Assert.Empty(Values(await Extract("polish the draft; the indochinese tiger; german-style sausages"), "country"));

    [Fact]
    public async Task Countries_CapitalsStandingForTheirState()
    {
        Assert.Equal(["CN", "KP", "RU"], Values(await Extract("Beijing denied it, Pyongyang said nothing and Moscow called it a lie."), "country"));
        Assert.Equal(["CN", "IR"], Values(await Extract("北京とテヘランは関与を否定した。"), "country"));
    }

    [Fact]
    public async Task Countries_MoreOfThoseRealReportsName() =>
        Assert.Equal(["SG", "PH", "PL", "GU", "TR", "SA"], Values(await Extract("Victims in Singapore, the Philippines, Poland, Guam, Türkiye and Saudi Arabia."), "country"));

    [Fact]
    public async Task AttackTypes_TheftOfCryptocurrency_IsNotPlainDataTheft()
    {
        var found = await Extract("the theft of bitcoin worth $300 million");
        Assert.Equal(["cryptocurrency theft"], Values(found, "attack-type"));
    }

    [Theory]
    [InlineData("scanning of on-prem Exchange servers")]
    [InlineData("the ProxyLogon flaws")]
    public async Task Products_ExchangeInTheFormsAdvisoriesUse(string text) =>
        Assert.Equal(["Microsoft Exchange Server"], Values(await Extract(text), "product"));

    [Fact]
    public async Task Products_CitrixBleed_IsNetScaler() =>
        Assert.Equal(["Citrix NetScaler"], Values(await Extract("patch Citrix Bleed now"), "product"));

    [Fact]
    public async Task ACampaignNamedAfterAProduct_StillNamesTheProductAndTheAttackType()
    {
        var g = await GazetteerBuilder.BuildAsync(null);
        g.Add(new GazetteerEntry("campaign", "SolarWinds Orion supply-chain compromise", "SolarWinds Orion supply-chain compromise", "campaign--1", "name"));
        var found = await Extract("behind the SolarWinds Orion supply chain compromise of 2020", g: g);
        Assert.Equal(["SolarWinds Orion"], Values(found, "product"));
        Assert.Equal(["supply chain compromise"], Values(found, "attack-type"));
        Assert.Single(found, e => e.Kind == "campaign");
    }

    [Fact]
    public async Task AForeignMinistryAfterItsCountrysName_IsNotJapansMinistry()
    {
        var g = await GazetteerBuilder.BuildAsync(null);
        g.Add(new GazetteerEntry("organization", "Ministry of Foreign Affairs of Japan", "外務省", "identity--1", "alias"));
        g.Add(new GazetteerEntry("organization", "Government of the People's Republic of China", "中国", "identity--2", "alias"));
        var found = await Extract("北京の中国外務省報道官は反発した。", g: g);
        Assert.DoesNotContain("Ministry of Foreign Affairs of Japan", Values(found, "organization"));
        Assert.Contains("Ministry of Foreign Affairs of Japan", Values(await Extract("外務省は声明を出した。", g: g), "organization"));
        g = await GazetteerBuilder.BuildAsync(null);
        g.Add(new GazetteerEntry("organization", "Ministry of Foreign Affairs of Japan", "外務省", "identity--1", "alias"));
        Assert.Contains("Ministry of Foreign Affairs of Japan", Values(await Extract("日本外務省は声明を出した。", g: g), "organization"));
    }
}
