using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ThreatLedger.Storage;

namespace ThreatLedger.Server.Tests;

/// <summary>TAXII 2.1 over real HTTP on loopback, written from the specification's MUSTs (sections 1.6, 3, 4, 5).</summary>
public sealed class TaxiiTests
{
    private const string Objects = "api/collections/" + TaxiiServer.Collection + "/objects/";

    [Fact]
    public async Task Discovery_ApiRoot_Collections_AnswerWithTaxiiMediaType()
    {
        await using var server = await TaxiiServer.StartAsync();
        using var client = server.Client();

        using var discovery = await TaxiiServer.JsonAsync(await client.GetAsync("taxii2/"));
        string root = discovery.RootElement.GetProperty("api_roots")[0].GetString()!;
        Assert.Equal(new Uri(server.BaseAddress, "api/").ToString(), root);
        Assert.Equal(root, discovery.RootElement.GetProperty("default").GetString());

        using var apiRoot = await TaxiiServer.JsonAsync(await client.GetAsync(root));
        Assert.Equal(TaxiiServer.MediaType, apiRoot.RootElement.GetProperty("versions")[0].GetString());
        Assert.Equal(1 << 20, apiRoot.RootElement.GetProperty("max_content_length").GetInt64());

        using var collections = await TaxiiServer.JsonAsync(await client.GetAsync("api/collections/"));
        var c = collections.RootElement.GetProperty("collections")[0];
        Assert.Equal((TaxiiServer.Collection, true, true), (c.GetProperty("id").GetString(), c.GetProperty("can_read").GetBoolean(), c.GetProperty("can_write").GetBoolean()));
        using var one = await TaxiiServer.JsonAsync(await client.GetAsync("api/collections/" + TaxiiServer.Collection + "/"));
        Assert.Equal("application/stix+json;version=2.1", one.RootElement.GetProperty("media_types")[0].GetString());

        // A reader may read, not write.
        using var reader = server.Client("reader-green");
        using var readerView = await TaxiiServer.JsonAsync(await reader.GetAsync("api/collections/"));
        Assert.False(readerView.RootElement.GetProperty("collections")[0].GetProperty("can_write").GetBoolean());

        var missing = await client.GetAsync("api/collections/00000000-0000-4000-8000-000000000000/objects/");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var error = await TaxiiServer.JsonAsync(missing);
        Assert.Equal("404", error.RootElement.GetProperty("http_status").GetString());
    }

    [Fact]
    public async Task Authentication_BearerAndBasic_NoneOrWrongIs401_RevokedTokenIs401()
    {
        await using var server = await TaxiiServer.StartAsync();
        using var anonymous = server.Client(null);
        var none = await anonymous.GetAsync("taxii2/");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("Basic", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        using (var error = await TaxiiServer.JsonAsync(none))
        {
            Assert.Equal("401", error.RootElement.GetProperty("http_status").GetString());
        }

        using var basic = server.Client(null);
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("analyst:" + server.Tokens["analyst"])));
        Assert.Equal(HttpStatusCode.OK, (await basic.GetAsync("taxii2/")).StatusCode);

        // Another user's token under this name, and a made-up token, are refused.
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("analyst:" + server.Tokens["admin"])));
        Assert.Equal(HttpStatusCode.Unauthorized, (await basic.GetAsync("taxii2/")).StatusCode);
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "tl_" + new string('A', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, (await basic.GetAsync("taxii2/")).StatusCode);

        var users = new UserDirectory(server.Store);
        var token = (await users.TokensAsync()).Single(t => t.User == "analyst");
        Assert.True(await users.RevokeAsync(token.Id));
        using var revoked = server.Client("analyst");
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync("taxii2/")).StatusCode);
    }

    [Fact]
    public async Task ContentNegotiation_406ForOtherAccept_415ForOtherContentType_413AboveMaxContentLength()
    {
        await using var server = await TaxiiServer.StartAsync(new ServerOptions { MaxContentLength = 4096 });
        using var client = server.Client();
        using var html = new HttpRequestMessage(HttpMethod.Get, "taxii2/");
        html.Headers.Accept.ParseAdd("text/html");
        Assert.Equal(HttpStatusCode.NotAcceptable, (await client.SendAsync(html)).StatusCode);
        using var taxii20 = new HttpRequestMessage(HttpMethod.Get, "taxii2/");
        taxii20.Headers.TryAddWithoutValidation("Accept", "application/taxii+json;version=2.0");
        Assert.Equal(HttpStatusCode.NotAcceptable, (await client.SendAsync(taxii20)).StatusCode);

        var plain = new StringContent("{\"objects\":[]}", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync(Objects, plain)).StatusCode);

        var big = TaxiiServer.Envelope(Enumerable.Range(0, 60).Select(i => TaxiiServer.IntrusionSet($"intrusion-set--{Guid.NewGuid()}", "Group " + i)).ToArray());
        var tooLarge = await client.PostAsync(Objects, big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        using var error = await TaxiiServer.JsonAsync(tooLarge);
        Assert.Contains("4096", error.RootElement.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await server.Store.StatsAsync()).Objects);
    }

    [Fact]
    public async Task Post_IsAcceptedWithAStatus_ThatCompletesWithSuccessesAndFailures_ReadersMayNotPost()
    {
        await using var server = await TaxiiServer.StartAsync();
        using var client = server.Client("analyst");
        string good1 = TaxiiServer.IntrusionSet("intrusion-set--6a2e2e5c-0b1a-4e8e-9b5e-3d2f1a0c9b71", "One");
        string good2 = TaxiiServer.IntrusionSet("intrusion-set--7b3f3f6d-1c2b-4f9f-8c6f-4e3a2b1d0c82", "Two");
        string bad = """{"type":"intrusion-set","spec_version":"2.1","id":"intrusion-set--8c4a4a7e-2d3c-4a0a-9d7a-5f4b3c2e1d93","created":"2021-01-01T00:00:00.000Z","modified":"2021-01-01T00:00:00.000Z"}""";

        var posted = await client.PostAsync(Objects, TaxiiServer.Envelope(good1, bad, good2));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        using var first = await TaxiiServer.JsonAsync(posted);
        string statusId = first.RootElement.GetProperty("id").GetString()!;

        using (var status = await TaxiiServer.CompletedStatusAsync(client, statusId))
        {
            var s = status.RootElement;
            Assert.Equal(("complete", 3, 2, 1, 0), (s.GetProperty("status").GetString(), s.GetProperty("total_count").GetInt32(), s.GetProperty("success_count").GetInt32(), s.GetProperty("failure_count").GetInt32(), s.GetProperty("pending_count").GetInt32()));
            var failure = s.GetProperty("failures")[0];
            Assert.Equal("intrusion-set--8c4a4a7e-2d3c-4a0a-9d7a-5f4b3c2e1d93", failure.GetProperty("id").GetString());
            Assert.Contains("name", failure.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(2, (await server.Store.StatsAsync()).Objects);

        // Another reader cannot post, nor read someone else's status.
        using var reader = server.Client("reader-red");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync(Objects, TaxiiServer.Envelope(good1))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"api/status/{statusId}/")).StatusCode);
    }

    [Fact]
    public async Task Objects_LargePages_ArriveWhole_WithTheirContentLength()
    {
        // Pages far above the server's first buffer (256 KB): 40 objects of about 30 KB of UTF-8 each.
        await using var server = await TaxiiServer.StartAsync();
        var ids = Enumerable.Range(0, 40).Select(i => $"intrusion-set--{new Guid(i, 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 2)}").ToList();
        var names = ids.Select((_, i) => $"Group {i} " + new string('漢', 10_000 + i)).ToList();
        await server.PutAsync(ids.Select((id, i) => TaxiiServer.IntrusionSet(id, names[i])).ToArray());
        using var client = server.Client("reader-clear");

        foreach (int limit in new[] { 1, 9, 40 })
        {
            var seen = new List<(string Id, string Name)>();
            string? next = null;
            do
            {
                var r = await client.GetAsync(Objects + $"?limit={limit}&match[type]=intrusion-set" + (next is null ? string.Empty : "&next=" + Uri.EscapeDataString(next)));
                var bytes = await r.Content.ReadAsByteArrayAsync();
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                Assert.Equal(bytes.Length, r.Content.Headers.ContentLength);
                using var page = JsonDocument.Parse(bytes);
                seen.AddRange(page.RootElement.GetProperty("objects").EnumerateArray().Select(o => (o.GetProperty("id").GetString()!, o.GetProperty("name").GetString()!)));
                next = page.RootElement.GetProperty("more").GetBoolean() ? page.RootElement.GetProperty("next").GetString() : null;
            }
            while (next is not null);

            Assert.Equal(ids.Zip(names), seen);
        }
    }

    [Fact]
    public async Task Objects_PagingWithLimitAndNext_CoversEverythingOnce_WithDateAddedHeaders()
    {
        await using var server = await TaxiiServer.StartAsync(new ServerOptions { MaxPageSize = 40 });
        var ids = Enumerable.Range(0, 95).Select(i => $"intrusion-set--{new Guid(i, 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 1)}").ToList();
        await server.PutAsync(ids.Select((id, i) => TaxiiServer.IntrusionSet(id, "Group " + i)).ToArray());
        using var client = server.Client("reader-clear");

        var seen = new List<string>();
        string? next = null;
        int pages = 0;
        string? lastDate = null;
        do
        {
            // limit=1000 is lowered to the server's page size (40).
            var r = await client.GetAsync(Objects + "?limit=1000" + (next is null ? string.Empty : "&next=" + Uri.EscapeDataString(next)));
            using var page = await TaxiiServer.JsonAsync(r);
            var objects = page.RootElement.GetProperty("objects").EnumerateArray().ToList();
            Assert.True(objects.Count <= 40);
            seen.AddRange(objects.Select(o => o.GetProperty("id").GetString()!));
            string first = r.Headers.GetValues("X-TAXII-Date-Added-First").Single(), last = r.Headers.GetValues("X-TAXII-Date-Added-Last").Single();
            Assert.True(string.CompareOrdinal(first, last) <= 0);
            Assert.True(lastDate is null || string.CompareOrdinal(lastDate, first) < 0);
            lastDate = last;
            bool more = page.RootElement.GetProperty("more").GetBoolean();
            next = more ? page.RootElement.GetProperty("next").GetString() : null;
            pages++;
        }
        while (next is not null);

        Assert.Equal(3, pages);
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));

        // added_after: only what was added after the given moment.
        var after = await client.GetAsync(Objects + "?added_after=" + Uri.EscapeDataString(lastDate!));
        using (var empty = await TaxiiServer.JsonAsync(after))
        {
            Assert.False(empty.RootElement.TryGetProperty("objects", out _));
            Assert.False(empty.RootElement.GetProperty("more").GetBoolean());
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(Objects + "?added_after=yesterday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(Objects + "?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(Objects + "?next=not-a-cursor")).StatusCode);
    }

    [Fact]
    public async Task Filters_ById_Versions_Manifest_AndMatchFilters()
    {
        await using var server = await TaxiiServer.StartAsync();
        const string id = "intrusion-set--9d5b5b8f-3e4d-4b1b-8e8b-6a5c4d3f2e04";
        await server.PutAsync(TaxiiServer.IntrusionSet(id, "Versioned", modified: "2021-01-01T00:00:00.000Z"));
        await server.PutAsync(TaxiiServer.IntrusionSet(id, "Versioned v2", modified: "2022-01-01T00:00:00.000Z"));
        await server.PutAsync("""{"type":"identity","spec_version":"2.1","id":"identity--0e6c6c9a-4f5e-4c2c-9f9c-7b6d5e4a3f15","created":"2021-01-01T00:00:00.000Z","modified":"2021-01-01T00:00:00.000Z","name":"Someone"}""");
        using var client = server.Client();

        using (var latest = await TaxiiServer.JsonAsync(await client.GetAsync(Objects + id + "/")))
        {
            Assert.Equal("Versioned v2", latest.RootElement.GetProperty("objects")[0].GetProperty("name").GetString());
        }

        using (var all = await TaxiiServer.JsonAsync(await client.GetAsync(Objects + id + "/?match[version]=all")))
        {
            Assert.Equal(2, all.RootElement.GetProperty("objects").GetArrayLength());
        }

        using (var first = await TaxiiServer.JsonAsync(await client.GetAsync(Objects + id + "/?match[version]=first")))
        {
            Assert.Equal("Versioned", Assert.Single(first.RootElement.GetProperty("objects").EnumerateArray()).GetProperty("name").GetString());
        }

        using (var versions = await TaxiiServer.JsonAsync(await client.GetAsync(Objects + id + "/versions/")))
        {
            Assert.Equal(["2021-01-01T00:00:00.000Z", "2022-01-01T00:00:00.000Z"], versions.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        }

        using (var types = await TaxiiServer.JsonAsync(await client.GetAsync(Objects + "?match[type]=identity")))
        {
            Assert.Equal("identity", Assert.Single(types.RootElement.GetProperty("objects").EnumerateArray()).GetProperty("type").GetString());
        }

        using (var manifest = await TaxiiServer.JsonAsync(await client.GetAsync("api/collections/" + TaxiiServer.Collection + "/manifest/?match[id]=" + id + "&match[version]=all")))
        {
            var entries = manifest.RootElement.GetProperty("objects").EnumerateArray().ToList();
            Assert.Equal(2, entries.Count);
            Assert.All(entries, e => Assert.Equal((id, "application/stix+json;version=2.1"), (e.GetProperty("id").GetString(), e.GetProperty("media_type").GetString())));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Objects + "intrusion-set--00000000-0000-4000-8000-000000000000/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Objects + "intrusion-set--00000000-0000-4000-8000-000000000000/versions/")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(Objects + "?match[version]=sometime")).StatusCode);
    }

    [Fact]
    public async Task Delete_ByAnalyst_RemovesVersions_ReaderIs403_HiddenIs404()
    {
        await using var server = await TaxiiServer.StartAsync();
        const string id = "intrusion-set--ad5b5b8f-3e4d-4b1b-8e8b-6a5c4d3f2e05";
        const string red = "intrusion-set--bd5b5b8f-3e4d-4b1b-8e8b-6a5c4d3f2e06";
        await server.PutAsync(TaxiiServer.IntrusionSet(id, "v1", modified: "2021-01-01T00:00:00.000Z"));
        await server.PutAsync(TaxiiServer.IntrusionSet(id, "v2", modified: "2022-01-01T00:00:00.000Z"));
        await server.PutAsync(TaxiiServer.IntrusionSet(red, "red", TaxiiServer.Red));

        using var reader = server.Client("reader-red");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.DeleteAsync(Objects + id + "/")).StatusCode);

        // The analyst (AMBER) cannot see the RED object, so for them it does not exist.
        using var analyst = server.Client("analyst");
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.DeleteAsync(Objects + red + "/")).StatusCode);
        Assert.NotNull(await server.Store.GetAsync(red));

        // Only the latest version: v1 is the object again.
        Assert.Equal(HttpStatusCode.OK, (await analyst.DeleteAsync(Objects + id + "/?match[version]=last")).StatusCode);
        using (var now = await TaxiiServer.JsonAsync(await analyst.GetAsync(Objects + id + "/")))
        {
            Assert.Equal("v1", now.RootElement.GetProperty("objects")[0].GetProperty("name").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await analyst.DeleteAsync(Objects + id + "/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync(Objects + id + "/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.DeleteAsync(Objects + id + "/")).StatusCode);
    }
}

/// <summary>Collections as configurable views: types, and which roles may read and write.</summary>
public sealed class CollectionViewTests
{
    [Fact]
    public async Task View_ShowsOnlyItsTypes_ToItsRoles_AndRefusesOtherTypesOnPost()
    {
        await using var server = await TaxiiServer.StartAsync();
        var view = await new CollectionDirectory(server.Store).AddAsync("Groups only", "intrusion sets", ["intrusion-set"], [Role.Analyst, Role.Admin], [Role.Admin]);
        const string group = "intrusion-set--50000000-0000-4000-8000-000000000001";
        await server.PutAsync(
            TaxiiServer.IntrusionSet(group, "In view"),
            """{"type":"identity","spec_version":"2.1","id":"identity--50000000-0000-4000-8000-000000000002","created":"2021-01-01T00:00:00.000Z","modified":"2021-01-01T00:00:00.000Z","name":"Not in view"}""");
        string objects = $"api/collections/{view.Id}/objects/";

        // A reader does not even see it.
        using var reader = server.Client("reader-red");
        using (var list = await TaxiiServer.JsonAsync(await reader.GetAsync("api/collections/")))
        {
            Assert.DoesNotContain(list.RootElement.GetProperty("collections").EnumerateArray(), c => c.GetProperty("id").GetString() == view.Id);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync(objects)).StatusCode);

        // The analyst reads it (only intrusion sets, even when asking for identities) but may not write.
        using var analyst = server.Client("analyst");
        using (var one = await TaxiiServer.JsonAsync(await analyst.GetAsync($"api/collections/{view.Id}/")))
        {
            Assert.Equal((true, false), (one.RootElement.GetProperty("can_read").GetBoolean(), one.RootElement.GetProperty("can_write").GetBoolean()));
        }

        using (var page = await TaxiiServer.JsonAsync(await analyst.GetAsync(objects)))
        {
            Assert.Equal([group], page.RootElement.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        }

        using (var identities = await TaxiiServer.JsonAsync(await analyst.GetAsync(objects + "?match[type]=identity")))
        {
            Assert.False(identities.RootElement.TryGetProperty("objects", out _));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync(objects + "identity--50000000-0000-4000-8000-000000000002/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsync(objects, TaxiiServer.Envelope(TaxiiServer.IntrusionSet("intrusion-set--50000000-0000-4000-8000-000000000003", "x")))).StatusCode);

        // The admin writes; the identity in the same envelope is refused with the reason.
        using var admin = server.Client("admin");
        var posted = await admin.PostAsync(objects, TaxiiServer.Envelope(
            TaxiiServer.IntrusionSet("intrusion-set--50000000-0000-4000-8000-000000000004", "Accepted"),
            """{"type":"identity","spec_version":"2.1","id":"identity--50000000-0000-4000-8000-000000000005","created":"2021-01-01T00:00:00.000Z","modified":"2021-01-01T00:00:00.000Z","name":"Refused"}"""));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        using var accepted = await TaxiiServer.JsonAsync(posted);
        string statusId = accepted.RootElement.GetProperty("id").GetString()!;
        using (var status = await TaxiiServer.CompletedStatusAsync(admin, statusId))
        {
            var s = status.RootElement;
            Assert.Equal((2, 1, 1), (s.GetProperty("total_count").GetInt32(), s.GetProperty("success_count").GetInt32(), s.GetProperty("failure_count").GetInt32()));
            var refused = s.GetProperty("failures")[0];
            Assert.Equal("identity--50000000-0000-4000-8000-000000000005", refused.GetProperty("id").GetString());
            Assert.Contains("holds only intrusion-set", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Null(await server.Store.GetAsync("identity--50000000-0000-4000-8000-000000000005"));
        Assert.NotNull(await server.Store.GetAsync("intrusion-set--50000000-0000-4000-8000-000000000004"));
    }
}
