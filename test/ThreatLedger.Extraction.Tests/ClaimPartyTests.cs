namespace ThreatLedger.Extraction.Tests;

/// <summary>
/// Who takes part in a claim: organs written with their country in the possessive, parties of joint
/// statements, and sentences that name no party at all. Short invented texts, against a store holding the
/// starter pack.
/// </summary>
public sealed class ClaimPartyTests : PackStoreTests
{
    private const string Mss = "Ministry of State Security of the People's Republic of China";
    private Task<IReadOnlyList<Entity>> Extract(string text) => ExtractWithPackAsync(text, new DateOnly(2024, 5, 10));

    [Fact]
    public async Task English_CountryPossessiveOrgan_IsTheOrganisation_AndSpeaks()
    {
        var found = await Extract("Japan's Ministry of Foreign Affairs said on Friday that APT10 was behind the intrusions, acting for the MSS.");

        var mofa = Assert.Single(found, e => e.Kind == "organization" && (string)e.Value == "Ministry of Foreign Affairs of Japan");
        Assert.Equal("Japan's Ministry of Foreign Affairs", mofa.Text);
        Assert.Contains(("attribution", "Ministry of Foreign Affairs of Japan", "APT10", Mss), ClaimsOf(found));
    }

    [Fact]
    public async Task English_PossessiveOfACountryThatNamesItsGovernment_KeepsTheGovernment()
    {
        var found = await Extract("The advisory links the group to China's Ministry of State Security.");

        Assert.Contains(found, e => e.Kind == "organization" && (string)e.Value == "Government of the People's Republic of China");
    }

    [Fact]
    public async Task Japanese_TwoGovernmentsSanctioningTogether_AreTwoAuthors()
    {
        var claims = ClaimsOf(await Extract("米国政府と英国政府は3日、ラザルスの資金洗浄を助けたとして、同グループの協力者に制裁を科すと発表した。"));

        Assert.Contains(("sanction", "Government of the United States", "Lazarus Group", null), claims);
        Assert.Contains(("sanction", "Government of the United Kingdom", "Lazarus Group", null), claims);
    }

    [Fact]
    public async Task Japanese_GroupConnectedToAnOrgan_IsAnAttribution()
    {
        var claims = ClaimsOf(await Extract("英国政府は、国家安全部とつながるAPT31が議員を狙っていたと発表した。"));

        Assert.Contains(("attribution", "Government of the United Kingdom", "APT31", Mss), claims);
    }

    [Fact]
    public async Task Japanese_AbbreviationInBracketsAfterTheName_StillSpeaks()
    {
        var claims = ClaimsOf(await Extract("APT10は長年、造船会社を狙ってきた。米司法省（DOJ）は8日、同グループの構成員2人の起訴を公表した。"));

        Assert.Contains(("indictment", "United States Department of Justice", "APT10", null), claims);
    }

    [Fact]
    public async Task English_IndictmentWithoutAnAuthor_IsNoClaim()
    {
        var claims = ClaimsOf(await Extract("Reading the APT10 indictment: what prosecutors found"));

        Assert.DoesNotContain(claims, c => c.Type == "indictment");
    }

    [Fact]
    public async Task English_SanctionsAgainstCompanies_DoNotTakeTheGroupOfThePrecedingSentence()
    {
        var claims = ClaimsOf(await Extract("Investigators track the intruders as APT28. On Monday the Treasury imposed sanctions against three firms in Russia that rented servers out."));

        Assert.Contains(("sanction", "United States Department of the Treasury", null, null), claims);
        Assert.DoesNotContain(("sanction", "United States Department of the Treasury", "APT28", null), claims);
    }

    [Fact]
    public async Task Japanese_OrganUnderAnotherOrgan_IsNoSponsorOfTheGroup()
    {
        var claims = ClaimsOf(await Extract("外務省は、米国政府傘下の連邦捜査局（FBI）とともに、APT40に関する注意喚起を出した。"));

        Assert.DoesNotContain(claims, c => c.Type == "attribution" && c.Sponsor == "Government of the United States");
        Assert.Contains(("attribution", "National Police Agency of Japan", "APT10", Mss), ClaimsOf(await Extract("警察庁は、国家安全部傘下のグループ「APT10」が研究機関を狙ったと発表した。")));
    }

    [Fact]
    public void Possessives_NeedAnOrganOfTwoWordsAndACountryName()
    {
        Assert.Contains("Japan's National Police Agency", GazetteerBuilder.Possessives("National Police Agency of Japan").Select(p => p.Alias));
        Assert.Contains("China's Ministry of State Security", GazetteerBuilder.Possessives(Mss).Select(p => p.Alias));
        Assert.Empty(GazetteerBuilder.Possessives("Government of Japan"));
        Assert.Empty(GazetteerBuilder.Possessives("Main Directorate of the General Staff of the Russian Armed Forces"));
    }
}
