using Microsoft.Data.Sqlite;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Extraction.Tests;

/// <summary>
/// Authors the store does not hold (a vendor, a national CERT): written as the text names them, without an
/// id, and only where a name stands right before a reporting verb. Short invented texts, against a store
/// holding the starter pack.
/// </summary>
public sealed class UnlinkedAuthorTests : PackStoreTests
{
    private const string Mss = "Ministry of State Security of the People's Republic of China";
    private async Task<(IReadOnlyList<Entity> Found, SqliteStixStore Store)> Extract(string text)
    {
        var store = await OpenPackStoreAsync();
        return (await ExtractAsync(store, text, new DateOnly(2024, 5, 10)), store);
    }

    private async Task<List<(string Type, string? Author, string? Subject, string? Sponsor)>> ClaimsIn(string text) =>
        ClaimsOf(await ExtractWithPackAsync(text, new DateOnly(2024, 5, 10)));

    [Fact]
    public async Task English_VendorBeforeAReportingVerb_IsTheAuthor_ByName()
    {
        var claims = await ClaimsIn("Last month Fabrikam Labs published its yearly review. Fabrikam Labs attributed the break-ins at two shipyards to APT40, which it ties to the MSS.");

        Assert.Contains(("attribution", "Fabrikam Labs", "APT40", Mss), claims);
        Assert.DoesNotContain(("attribution", null, "APT40", Mss), claims);
    }

    [Fact]
    public async Task English_AgencyAcronymBeforeSaid_IsTheAuthor()
    {
        var claims = await ClaimsIn("On Tuesday the CERT-PL said that Sandworm Team was behind the outage at a heating plant.");

        Assert.Contains(("attribution", "CERT-PL", "Sandworm Team", null), claims);
    }

    [Fact]
    public async Task English_CommonNounsAtTheSentenceStart_AreNotAuthors()
    {
        var claims = await ClaimsIn("Researchers attributed the break-ins to APT40, which they tie to the MSS. Officials said APT40 was behind the theft.");

        Assert.DoesNotContain(claims, c => c.Author is "Researchers" or "Officials");
    }

    [Fact]
    public async Task UnlinkedAuthor_AcceptingTheDraft_LeavesItsClaimProposed_WritesNoRelationship()
    {
        var (found, store) = await Extract("Last month Fabrikam Labs published its yearly review. Fabrikam Labs attributed the break-ins at two shipyards to APT40, which it ties to the MSS.");
        using (store)
        {
            var claim = Assert.Single(found, e => e.Value is ClaimValue { Author: "Fabrikam Labs" });
            Assert.Null(((ClaimValue)claim.Value).AuthorId);
            var drafts = new DraftStore(store);
            var draft = await drafts.CreateAsync("t", "en", null, "t.txt", found);

            var result = await drafts.ReviewAsync(draft.Id, [], [], acceptAll: true);

            // The rest is accepted and written; the claim stays a proposal (no relationship: the ledger needs an identity for its author).
            Assert.All(result.Written, w => Assert.True(w.Succeeded, w.Message));
            Assert.Contains(result.Written, w => w.Id == draft.Id);
            Assert.DoesNotContain(result.Written, w => w.Id!.StartsWith("relationship--", StringComparison.Ordinal));
            var item = (await drafts.GetAsync(draft.Id))!.Items.Single(i => i.Entity.Value is ClaimValue { Author: "Fabrikam Labs" });
            Assert.Equal("proposed", item.Status);
            Assert.DoesNotContain(item.Id, result.Accepted);

            // Asking for it by id does not accept it either.
            var again = await drafts.ReviewAsync(draft.Id, [item.Id], [], acceptAll: false);
            Assert.Empty(again.Accepted);
        }

        SqliteConnection.ClearAllPools();
    }
}
