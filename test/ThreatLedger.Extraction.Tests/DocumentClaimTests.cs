namespace ThreatLedger.Extraction.Tests;

/// <summary>
/// Claims whose parts are spread over neighbouring sentences: the group named in one sentence and the
/// statement in the next, a party saying it reached the same finding, a passive tie. Short invented
/// texts (none taken from the dev corpus), against a store holding the starter pack.
/// </summary>
public sealed class DocumentClaimTests : PackStoreTests
{
    private const string Mss = "Ministry of State Security of the People's Republic of China";
    private const string Gru = "Main Directorate of the General Staff of the Russian Armed Forces";
    private async Task<List<(string Type, string? Author, string? Subject, string? Sponsor)>> ClaimsIn(string text) =>
        ClaimsOf(await ExtractWithPackAsync(text, new DateOnly(2024, 5, 10)));

    [Fact]
    public async Task English_StatementWithoutGroup_TakesTheGroupOfThePrecedingSentence()
    {
        var claims = await ClaimsIn("APT31 has targeted lawmakers across Europe for years. On Monday the Government of Australia said the MSS was behind those operations.");

        Assert.Contains(("attribution", "Government of Australia", "APT31", Mss), claims);
    }

    [Fact]
    public async Task English_SecondPartyReachingTheSameConclusion_IsAnotherAuthor_GroupFromTheNextSentence()
    {
        var claims = await ClaimsIn("On Friday the Government of New Zealand blamed the GRU for a wave of intrusions into its ministries, and Canada reached the same conclusion. The intruders are tracked by vendors as APT28.");

        Assert.Contains(("attribution", "Government of New Zealand", "APT28", Gru), claims);
        Assert.Contains(("attribution", "Government of Canada", "APT28", Gru), claims);
    }

    [Fact]
    public async Task English_IndictmentOfPeople_TakesTheGroupNamedInTheNextSentence()
    {
        var claims = await ClaimsIn("The United States Department of Justice has indicted four officers of a Russian military unit. According to the filing, their unit is the one industry calls Sandworm Team.");

        Assert.Contains(("indictment", "United States Department of Justice", "Sandworm Team", null), claims);
        Assert.DoesNotContain(("indictment", "United States Department of Justice", null, null), claims);
    }

    [Fact]
    public async Task English_PassiveTie_AfterAParagraphBreak_ForTheSameGroup()
    {
        var claims = await ClaimsIn("Sandworm Team hit a water utility in March.\n\nThe same group, which investigators have tied to the GRU, returned in May.");

        Assert.Contains(("attribution", null, "Sandworm Team", Gru), claims);
    }

    [Fact]
    public async Task Japanese_StatementWithoutGroup_TakesTheGroupOfThePrecedingSentence()
    {
        var claims = await ClaimsIn("MirrorFaceは2019年以降、研究者や報道機関を狙ってきた。警察庁は、一連の攻撃に中国政府が関与していると結論づけた。");

        Assert.Contains(("attribution", "National Police Agency of Japan", "MirrorFace", "Government of the People's Republic of China"), claims);
    }

    [Fact]
    public async Task Japanese_PartyVoicingTheSameView_InTheNextSentence_IsAnotherAuthor()
    {
        var claims = await ClaimsIn("外務省は、ラザルスが北朝鮮政府の指示を受けて活動していると発表した。警察庁も同日、同様の見解を示した。");

        const string dprk = "Government of the Democratic People's Republic of Korea";
        Assert.Contains(("attribution", "Ministry of Foreign Affairs of Japan", "Lazarus Group", dprk), claims);
        Assert.Contains(("attribution", "National Police Agency of Japan", "Lazarus Group", dprk), claims);
    }
}
