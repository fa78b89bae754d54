using Microsoft.Data.Sqlite;
using ThreatLedger.Ledger;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Extraction.Tests;

/// <summary>
/// Who takes part in a claim: organs written with their country in the possessive, parties of joint
/// statements, and sentences that name no party at all. Short invented texts, against a store holding the
/// starter pack.
/// </summary>
public sealed class ClaimPartyTests : IDisposable
{
    private const string Mss = "Ministry of State Security of the People's Republic of China";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tl-claimparty-" + Guid.NewGuid().ToString("N"));

    public ClaimPartyTests() => System.IO.Directory.CreateDirectory(_dir);

    private async Task<IReadOnlyList<Entity>> Extract(string text)
    {
        using var store = SqliteStixStore.Open(Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db"));
        Assert.Equal(0, (await StarterPack.LoadAsync(store)).Failed);
        var found = await Extractor.ExtractAsync(text, await GazetteerBuilder.BuildAsync(store), new ExtractOptions { Published = new DateOnly(2024, 5, 10) }, store);
        SqliteConnection.ClearAllPools();
        return found;
    }

    private static List<(string Type, string? Author, string? Subject, string? Sponsor)> Claims(IReadOnlyList<Entity> found) =>
        found.Where(e => e.Kind == "claim").Select(e => (ClaimValue)e.Value).Select(c => (c.Type, c.Author, c.Subject, c.Sponsor)).ToList();

    [Fact]
    public async Task English_CountryPossessiveOrgan_IsTheOrganisation_AndSpeaks()
    {
        var found = await Extract("Japan's Ministry of Foreign Affairs said on Friday that APT10 was behind the intrusions, acting for the MSS.");

        var mofa = Assert.Single(found, e => e.Kind == "organization" && (string)e.Value == "Ministry of Foreign Affairs of Japan");
        Assert.Equal("Japan's Ministry of Foreign Affairs", mofa.Text);
        Assert.Contains(("attribution", "Ministry of Foreign Affairs of Japan", "APT10", Mss), Claims(found));
    }

    [Fact]
    public async Task English_PossessiveOfACountryThatNamesItsGovernment_KeepsTheGovernment()
    {
        var found = await Extract("The advisory links the group to China's Ministry of State Security.");

        Assert.Contains(found, e => e.Kind == "organization" && (string)e.Value == "Government of the People's Republic of China");
    }

    [Fact]
    public void Possessives_NeedAnOrganOfTwoWordsAndACountryName()
    {
        Assert.Contains("Japan's National Police Agency", GazetteerBuilder.Possessives("National Police Agency of Japan").Select(p => p.Alias));
        Assert.Contains("China's Ministry of State Security", GazetteerBuilder.Possessives(Mss).Select(p => p.Alias));
        Assert.Empty(GazetteerBuilder.Possessives("Government of Japan"));
        Assert.Empty(GazetteerBuilder.Possessives("Main Directorate of the General Staff of the Russian Armed Forces"));
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
