using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ThreatLedger.Server.Tests;

/// <summary>What a second reader found (each reproduced first): writes and deletes around hidden objects, drafts and clearance, bad request shapes, internal URLs, login floods.</summary>
public sealed class ReviewFindingsTests
{
    private const string Objects = "api/collections/" + TaxiiServer.Collection + "/objects/";
    private const string Secret = "intrusion-set--aaaaaaaa-0000-4000-8000-000000000001";

    [Fact]
    public async Task AGreenAnalyst_CannotOverwriteOrDeleteAnAmberObject_NorLearnItsVersion()
    {
        await using var server = await TaxiiServer.StartAsync();
        await server.PutAsync(TaxiiServer.IntrusionSet(Secret, "Zebra secret", TaxiiServer.Amber, modified: "2024-01-01T00:00:00.000Z"));
        await new UserDirectory(server.Store).AddAsync("ga", Role.Analyst, Storage.TlpLevel.Green).ContinueWith(t => server.Tokens["ga"] = t.Result);
        using var ga = server.Client("ga");

        // Same id, same version, other content — and a newer unmarked version: both refused, with the same neutral reason.
        foreach (string modified in new[] { "2024-01-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z" })
        {
            var posted = await ga.PostAsync(Objects, TaxiiServer.Envelope(TaxiiServer.IntrusionSet(Secret, "overwrite", modified: modified)));
            using var accepted = await TaxiiServer.JsonAsync(posted);
            using var status = await TaxiiServer.CompletedStatusAsync(ga, accepted.RootElement.GetProperty("id").GetString()!);
            var failure = status.RootElement.GetProperty("failures")[0].GetProperty("message").GetString()!;
            Assert.Equal($"'{Secret}' cannot be written by 'ga'", failure);
            Assert.DoesNotContain("2024", failure, StringComparison.Ordinal);
        }

        Assert.Single(await server.Store.GetVersionsAsync(Secret));

        // An object with a visible newer version over a hidden older one cannot be deleted by the GREEN analyst.
        const string mixed = "intrusion-set--aaaaaaaa-0000-4000-8000-000000000002";
        await server.PutAsync(TaxiiServer.IntrusionSet(mixed, "was amber", TaxiiServer.Amber, modified: "2024-01-01T00:00:00.000Z"));
        await server.PutAsync(TaxiiServer.IntrusionSet(mixed, "now green", TaxiiServer.Green, modified: "2025-01-01T00:00:00.000Z"));
        Assert.Equal(HttpStatusCode.OK, (await ga.GetAsync(Objects + mixed + "/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ga.DeleteAsync(Objects + mixed + "/")).StatusCode);
        Assert.Equal(2, (await server.Store.GetVersionsAsync(mixed)).Count);
        Assert.Equal(HttpStatusCode.NotFound, (await ga.DeleteAsync(Objects + Secret + "/")).StatusCode);
    }

    [Fact]
    public async Task Drafts_AreSeenAndReviewedOnlyAtTheirMakersClearance_AndWhatTheyWriteIsMarkedSo()
    {
        await using var server = await TaxiiServer.StartAsync();
        await server.PutAsync(TaxiiServer.IntrusionSet(Secret, "ZebraSecretGroup", TaxiiServer.Amber));
        server.Tokens["ga"] = await new UserDirectory(server.Store).AddAsync("ga", Role.Analyst, Storage.TlpLevel.Green);
        using var amber = server.Client("analyst");
        using var green = server.Client("ga");

        var posted = await amber.PostAsJsonAsync("rest/ingest", new { text = "ZebraSecretGroup used CVE-2021-26855 against 203.0.113.5." });
        using var draft = JsonDocument.Parse(await posted.Content.ReadAsStringAsync());
        string id = draft.RootElement.GetProperty("id").GetString()!;
        Assert.Contains("ZebraSecretGroup", draft.RootElement.ToString(), StringComparison.Ordinal);

        using (var list = JsonDocument.Parse(await green.GetStringAsync("rest/drafts")))
        {
            Assert.DoesNotContain(list.RootElement.EnumerateArray(), d => d.GetString() == id);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await green.GetAsync("rest/drafts/" + id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await green.PostAsJsonAsync($"rest/drafts/{id}/review", new { accept_all = true })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await amber.PostAsJsonAsync($"rest/drafts/{id}/review", new { accept_all = true })).StatusCode);
        var report = await server.Store.GetAsync(id);
        Assert.Equal(Storage.TlpLevel.Amber, report!.Tlp);
        Assert.Equal(HttpStatusCode.NotFound, (await green.GetAsync("rest/objects/" + id)).StatusCode);

        // Accepting nothing writes nothing.
        var none = await amber.PostAsJsonAsync($"rest/drafts/{id}/review", new { accept = Array.Empty<string>() });
        using (var result = JsonDocument.Parse(await none.Content.ReadAsStringAsync()))
        {
            Assert.Empty(result.RootElement.GetProperty("written").EnumerateArray());
        }
    }

    [Theory]
    [InlineData("rest/ingest", """{"text":"x","published":5}""")]
    [InlineData("rest/ingest", "[1,2]")]
    [InlineData("rest/ingest", "\"str\"")]
    [InlineData("rest/ingest", """{"url":1}""")]
    [InlineData("rest/ingest", """{"text":"x","lang":{}}""")]
    public async Task OddJsonShapes_Are400ProblemDetails_Not500(string path, string body)
    {
        await using var server = await TaxiiServer.StartAsync();
        using var analyst = server.Client("analyst");
        var r = await analyst.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);

        var posted = await analyst.PostAsJsonAsync("rest/ingest", new { text = "APT40" });
        string id = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        foreach (var review in new[] { """{"accept_all":"yes"}""", """{"accept_all":1}""", """{"accept":[1]}""", "[1]", """{"accept":"i1"}""" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await analyst.PostAsync($"rest/drafts/{id}/review", new StringContent(review, Encoding.UTF8, "application/json"))).StatusCode);
        }
    }

    [Theory]
    [InlineData("http://[::127.0.0.1]/")]
    [InlineData("http://[64:ff9b::7f00:1]/")]
    [InlineData("http://[2002:7f00:1::]/")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://255.255.255.255/")]
    [InlineData("http://127.0.0.1/")]
    public async Task Ingest_RefusesUrlsThatReachInternalAddresses(string url)
    {
        await using var server = await TaxiiServer.StartAsync();
        using var analyst = server.Client("analyst");
        var r = await analyst.PostAsJsonAsync("rest/ingest", new { url });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("internal address", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFloodOfBadTokensFromOneAddress_IsTurnedAwayWith429_BeforeTheirCheck()
    {
        await using var server = await TaxiiServer.StartAsync();
        using var stranger = server.Client(null);
        var codes = new List<HttpStatusCode>();
        for (int i = 0; i < 60; i++)
        {
            stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "tl_" + i.ToString("D43", System.Globalization.CultureInfo.InvariantCulture));
            codes.Add((await stranger.GetAsync("taxii2/")).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, codes);
        int failedLogins = (await server.Store.AuditLogAsync(10_000)).Count(e => e.Action == "login-failed");
        Assert.True(failedLogins < 60, $"{failedLogins} failed logins were checked and logged");
    }

    [Fact]
    public async Task Cursors_AreOpaque_CannotBeForged_AndBelongToTheirUser()
    {
        await using var server = await TaxiiServer.StartAsync();
        await server.PutAsync(Enumerable.Range(1, 5).Select(i => TaxiiServer.IntrusionSet($"intrusion-set--bbbbbbbb-0000-4000-8000-00000000000{i}", "G" + i)).ToArray());
        using var green = server.Client("reader-green");
        using var page = await TaxiiServer.JsonAsync(await green.GetAsync(Objects + "?limit=2"));
        string next = page.RootElement.GetProperty("next").GetString()!;

        // The store's own cursor form ("s1.<sequence>", base64url) is refused, so positions cannot be probed.
        Assert.Equal(HttpStatusCode.BadRequest, (await green.GetAsync(Objects + "?next=czEuMw")).StatusCode);
        Assert.DoesNotContain("s1.", Encoding.UTF8.GetString(Convert.FromBase64String(next.Replace('-', '+').Replace('_', '/').PadRight((next.Length + 3) / 4 * 4, '='))), StringComparison.Ordinal);
        using var other = server.Client("reader-red");
        Assert.Equal(HttpStatusCode.BadRequest, (await other.GetAsync(Objects + "?next=" + next)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await green.GetAsync(Objects + "?limit=2&next=" + next)).StatusCode);
    }

    [Fact]
    public async Task BindingErrorsGetABody_AndAHugeLimitIsLowered()
    {
        await using var server = await TaxiiServer.StartAsync(new ServerOptions { MaxPageSize = 40 });
        using var client = server.Client();
        foreach (var path in new[] { "rest/search?q=a&limit=abc", "rest/attribution?name=APT40&direct=maybe", "rest/search" })
        {
            var r = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"status\":400", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Objects + "?limit=99999999999999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(Objects + "?limit=0")).StatusCode);
    }
}
