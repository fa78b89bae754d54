using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using ThreatLedger.Ledger;

namespace ThreatLedger.Server.Tests;

/// <summary>The REST API over real HTTP: the brief's questions on the starter pack, objects, exports, the feed, problem details, OpenAPI.</summary>
public sealed class RestTests
{
    private const string TickReport = "report--30000000-0000-4000-8000-000000000001";
    private const string AmberReport = "report--30000000-0000-4000-8000-000000000002";

    private static async Task<TaxiiServer> StartWithPackAsync()
    {
        var server = await TaxiiServer.StartAsync();
        Assert.Equal(0, (await StarterPack.LoadAsync(server.Store)).Failed);
        var tick = (await AttributionQueries.ResolveAsync(server.Store, "Tick")).First();
        await server.PutAsync(
            $$"""{"type":"report","spec_version":"2.1","id":"{{TickReport}}","created":"2021-04-21T00:00:00.000Z","modified":"2021-04-21T00:00:00.000Z","name":"Tick と 61419部隊","published":"2021-04-21T00:00:00Z","lang":"ja","report_types":["threat-actor"],"object_refs":["{{tick}}"]}""",
            $$"""{"type":"report","spec_version":"2.1","id":"{{AmberReport}}","created":"2022-01-01T00:00:00.000Z","modified":"2022-01-01T00:00:00.000Z","name":"Amber note on Tick","published":"2022-01-01T00:00:00Z","report_types":["threat-actor"],"object_refs":["{{tick}}"],"object_marking_refs":["{{TaxiiServer.Amber}}"]}""");
        return server;
    }

    [Fact]
    public async Task Questions_Q1ToQ5_AnswerFromTheStarterPack()
    {
        await using var server = await StartWithPackAsync();
        using var client = server.Client("analyst");

        // Q1: who attributed APT40, when, how.
        using (var q1 = JsonDocument.Parse(await client.GetStringAsync("rest/attribution?name=APT40")))
        {
            var claims = q1.RootElement.EnumerateArray().ToList();
            Assert.Contains(claims, c => c.GetProperty("response").GetString() == "indictment" && c.GetProperty("date").GetString() == "2021-07-19");
            Assert.Contains(claims, c => c.GetProperty("estimative_phrase").GetString() == "可能性が高い");
            Assert.Contains(claims, c => c.GetProperty("relation").GetString() == "joint-statement" && c.GetProperty("stance").GetString() == "acknowledges");
        }

        // Q2: the 2021-07-19 statement and who stayed out.
        using (var q2 = JsonDocument.Parse(await client.GetStringAsync("rest/statements?about=APT40")))
        {
            var july = q2.RootElement.EnumerateArray().Single(s => s.GetProperty("date").GetString() == "2021-07-19");
            Assert.Equal("KR", july.GetProperty("declined")[0].GetProperty("country").GetString());
        }

        // Q3: names and who coined them (the pack alone: vendors' conventions).
        using (var q3 = JsonDocument.Parse(await client.GetStringAsync("rest/aliases?name=APT40")))
        {
            Assert.Contains(q3.RootElement.EnumerateArray(), a => a.GetProperty("name").GetString() == "Kryptonite Panda" && a.GetProperty("coined_by").GetString() == "CrowdStrike");
        }

        // Q4: claims made by 2021-07-01 are fewer than today's.
        using (var then = JsonDocument.Parse(await client.GetStringAsync("rest/attribution?name=APT40&as_of=2021-07-01")))
        using (var now = JsonDocument.Parse(await client.GetStringAsync("rest/attribution?name=APT40")))
        {
            Assert.True(then.RootElement.GetArrayLength() < now.RootElement.GetArrayLength());
        }

        // Q5: reports mentioning Tick, newest first; the AMBER one shows to the AMBER analyst only.
        using (var q5 = JsonDocument.Parse(await client.GetStringAsync("rest/reports?about=BRONZE%20BUTLER")))
        {
            Assert.Equal([AmberReport, TickReport], q5.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        }

        using var green = server.Client("reader-green");
        using (var q5Green = JsonDocument.Parse(await green.GetStringAsync("rest/reports?about=Tick")))
        {
            Assert.Equal([TickReport], q5Green.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        }

        using (var consensus = JsonDocument.Parse(await client.GetStringAsync("rest/consensus?name=APT40")))
        {
            Assert.False(consensus.RootElement.GetProperty("conflict").GetBoolean());
        }

        var unknown = await client.GetAsync("rest/attribution?name=Nobody%20Here");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("rest/attribution?name=APT40&as_of=July")).StatusCode);
    }

    [Fact]
    public async Task Objects_Search_Versions_Neighbors_UnderTheCallersClearance()
    {
        await using var server = await StartWithPackAsync();
        using var green = server.Client("reader-green");
        using var amber = server.Client("analyst");

        using (var hits = JsonDocument.Parse(await green.GetStringAsync("rest/search?q=" + Uri.EscapeDataString("外務省"))))
        {
            Assert.Contains(hits.RootElement.EnumerateArray(), h => h.GetProperty("name").GetString() == "Ministry of Foreign Affairs of Japan");
        }

        using (var hits = JsonDocument.Parse(await green.GetStringAsync("rest/search?q=Amber%20note")))
        {
            Assert.Empty(hits.RootElement.EnumerateArray());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await green.GetAsync("rest/objects/" + AmberReport)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await green.GetAsync("rest/objects/" + AmberReport + "/versions")).StatusCode);
        var visible = await amber.GetAsync("rest/objects/" + AmberReport);
        Assert.Equal(HttpStatusCode.OK, visible.StatusCode);
        Assert.Equal("application/stix+json", visible.Content.Headers.ContentType?.MediaType);

        using (var versions = JsonDocument.Parse(await amber.GetStringAsync("rest/objects/" + AmberReport + "/versions")))
        {
            Assert.True(Assert.Single(versions.RootElement.EnumerateArray()).GetProperty("latest").GetBoolean());
        }

        // The Tick group's neighbours: the AMBER report is there for AMBER, not for GREEN.
        string tick = (await AttributionQueries.ResolveAsync(server.Store, "Tick")).First();
        using (var n = JsonDocument.Parse(await amber.GetStringAsync($"rest/objects/{tick}/neighbors")))
        {
            Assert.Contains(n.RootElement.EnumerateArray(), e => e.GetProperty("id").GetString() == AmberReport);
        }

        using (var n = JsonDocument.Parse(await green.GetStringAsync($"rest/objects/{tick}/neighbors")))
        {
            Assert.DoesNotContain(n.RootElement.EnumerateArray(), e => e.GetProperty("id").GetString() == AmberReport);
            Assert.Contains(n.RootElement.EnumerateArray(), e => e.GetProperty("id").GetString() == TickReport);
        }
    }

    [Fact]
    public async Task Search_Quotes_MakePhrases_AStrayQuoteFindsNothingUnrelated_QuotesAloneAre400()
    {
        const string Apt40 = "intrusion-set--40000000-0000-4000-8000-000000000001";
        const string Beacon = "malware--40000000-0000-4000-8000-000000000002";
        const string Reversed = "malware--40000000-0000-4000-8000-000000000003";
        await using var server = await TaxiiServer.StartAsync();
        await server.PutAsync(
            TaxiiServer.IntrusionSet(Apt40, "APT40"),
            $$"""{"type":"malware","spec_version":"2.1","id":"{{Beacon}}","created":"2021-01-01T00:00:00.000Z","modified":"2021-01-01T00:00:00.000Z","name":"Cobalt Strike Beacon","is_family":true}""",
            $$"""{"type":"malware","spec_version":"2.1","id":"{{Reversed}}","created":"2021-01-01T00:00:00.000Z","modified":"2021-01-01T00:00:00.000Z","name":"Strike Cobalt","is_family":true,"description":"the \"other\" one"}""");
        using var client = server.Client("reader-green");

        async Task<List<string?>> Ids(string q)
        {
            var r = await client.GetAsync("rest/search?q=" + Uri.EscapeDataString(q));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            using var hits = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
            return hits.RootElement.EnumerateArray().Select(h => h.GetProperty("id").GetString()).Order(StringComparer.Ordinal).ToList();
        }

        // An unbalanced quote opens a phrase that runs to the end; a trailing one is dropped.
        Assert.Equal([Apt40], await Ids("\"APT40"));
        Assert.Equal([Apt40], await Ids("APT40\""));
        Assert.Equal([Apt40], await Ids("＂ＡＰＴ４０"));
        Assert.Equal([Beacon], await Ids("\"cobalt strike\""));
        Assert.Equal([Beacon], await Ids("beacon \"cobalt strike"));
        Assert.Equal([Beacon, Reversed], await Ids("cobalt strike"));
        Assert.Equal([Reversed], await Ids("\"other\""));

        // Quotes and spaces alone leave nothing to look for.
        foreach (string q in new[] { "\"", "\"\"", "\" \"", "＂" })
        {
            var r = await client.GetAsync("rest/search?q=" + Uri.EscapeDataString(q));
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
            Assert.Equal("Empty search text", problem.RootElement.GetProperty("title").GetString());
            Assert.Contains("empty", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Exports_BundleAndCsv_FollowClearance_FeedIsAnonymousAndClearOnly()
    {
        await using var server = await StartWithPackAsync();
        using var green = server.Client("reader-green");

        var bundle = await green.GetAsync("rest/export");
        Assert.Equal("application/stix+json", bundle.Content.Headers.ContentType?.MediaType);
        using (var doc = JsonDocument.Parse(await bundle.Content.ReadAsStringAsync()))
        {
            var ids = doc.RootElement.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("id").GetString()).ToList();
            Assert.Contains(TickReport, ids);
            Assert.DoesNotContain(AmberReport, ids);
            Assert.Equal((await server.Store.StatsAsync(new Storage.AccessFilter(Storage.TlpLevel.Green))).Objects, ids.Count);
        }

        string csv = await green.GetStringAsync("rest/claims.csv");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("claim_id,date,author,subject,sponsor,response,confidence", lines[0], StringComparison.Ordinal);
        Assert.Equal(61, lines.Length - 1);
        Assert.Contains(lines, l => l.Contains("Ministry of Foreign Affairs of Japan", StringComparison.Ordinal) && l.Contains("可能性が高い", StringComparison.Ordinal));

        using var anonymous = server.Client(null);
        var feed = await anonymous.GetAsync("feed.atom");
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        var atom = XDocument.Parse(await feed.Content.ReadAsStringAsync());
        XNamespace a = "http://www.w3.org/2005/Atom";
        Assert.Equal(["urn:stix:" + TickReport], atom.Root!.Elements(a + "entry").Select(e => e.Element(a + "id")!.Value));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("rest/export")).StatusCode);
    }

    [Fact]
    public async Task OpenApi_DescribesTheRestAndTaxiiRoutes_DocsPageIsServedLocally()
    {
        await using var server = await TaxiiServer.StartAsync();
        using var anonymous = server.Client(null);
        using var doc = JsonDocument.Parse(await anonymous.GetStringAsync("openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var p in new[] { "/rest/search", "/rest/attribution", "/rest/statements", "/rest/aliases", "/rest/reports", "/rest/export", "/rest/claims.csv", "/api/collections/{id}/objects" })
        {
            Assert.Contains(p, paths);
        }

        string html = await anonymous.GetStringAsync("docs/");
        Assert.Contains("scalar.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn.", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("docs/scalar.js")).StatusCode);
    }
}
