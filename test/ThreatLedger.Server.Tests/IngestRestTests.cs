using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ThreatLedger.Ledger;

namespace ThreatLedger.Server.Tests;

/// <summary>Ingestion and review over REST: a draft that nobody sees until an analyst accepts it.</summary>
public sealed class IngestRestTests
{
    private const string Text = "2024年7月8日、オーストラリアは、APT40は中国国家安全部を背景に持つ可能性が高いと発表した。通信先は203.0.113[.]9。";

    [Fact]
    public async Task Ingest_MakesADraft_ReviewWritesItsClaim_ReadersMayNot_InternalUrlsAreRefused()
    {
        await using var server = await TaxiiServer.StartAsync();
        Assert.Equal(0, (await StarterPack.LoadAsync(server.Store)).Failed);
        using var analyst = server.Client("analyst");

        var posted = await analyst.PostAsJsonAsync("rest/ingest", new { text = Text, published = "2024-07-09", name = "APT40 advisory" });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        using var draft = JsonDocument.Parse(await posted.Content.ReadAsStringAsync());
        string id = draft.RootElement.GetProperty("id").GetString()!;
        var items = draft.RootElement.GetProperty("items").EnumerateArray().ToList();
        var claim = items.Single(i => i.GetProperty("kind").GetString() == "claim");
        Assert.Equal(("Government of Australia", "APT40", "Ministry of State Security of the People's Republic of China", 85),
            (claim.GetProperty("value").GetProperty("author").GetString(), claim.GetProperty("value").GetProperty("subject").GetString(),
             claim.GetProperty("value").GetProperty("sponsor").GetString(), claim.GetProperty("value").GetProperty("confidence").GetInt32()));
        Assert.Contains(items, i => i.GetProperty("kind").GetString() == "ipv4" && i.GetProperty("value").GetString() == "203.0.113.9");

        // Not knowledge yet: the report is not an object, and the claim is not in the ledger.
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync("rest/objects/" + id)).StatusCode);
        Assert.Equal(0, (await AttributionQueries.ClaimsAboutAsync(server.Store, "APT40", directOnly: true)).Count(c => c.Date == "2024-07-08" && c.Wording is not null));
        using (var list = JsonDocument.Parse(await analyst.GetStringAsync("rest/drafts")))
        {
            Assert.Contains(list.RootElement.EnumerateArray(), d => d.GetString() == id);
        }

        using var reader = server.Client("reader-red");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("rest/ingest", new { text = Text })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("rest/drafts/" + id)).StatusCode);

        var reviewed = await analyst.PostAsJsonAsync($"rest/drafts/{id}/review", new { accept_all = true });
        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("rest/objects/" + id)).StatusCode);
        using (var q1 = JsonDocument.Parse(await analyst.GetStringAsync("rest/attribution?name=APT40&direct=true")))
        {
            Assert.Contains(q1.RootElement.EnumerateArray(), c => c.GetProperty("author").GetString() == "Government of Australia" && c.GetProperty("date").GetString() == "2024-07-08" && c.GetProperty("wording").GetString() != null);
        }

        foreach (var url in new[] { server.BaseAddress + "taxii2/", "http://10.0.0.1/x", "http://[::1]/", "file:///etc/passwd" })
        {
            var refused = await analyst.PostAsJsonAsync("rest/ingest", new { url });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("URL refused", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var raw = new StringContent("<html><body><article><p>" + Text + "</p></article><footer>© blog</footer></body></html>", Encoding.UTF8, "text/html");
        Assert.Equal(HttpStatusCode.Created, (await analyst.PostAsync("rest/ingest?published=2024-07-09", raw)).StatusCode);
    }
}
