using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ThreatLedger.Server.Tests;

/// <summary>Passwords, the audit log, rate limits and security headers, over real HTTP.</summary>
public sealed class SecurityTests
{
    [Fact]
    public async Task Passwords_AreKeyDerived_BasicAcceptsThem_WrongOnesAre401_ShortOnesRefused()
    {
        await using var server = await TaxiiServer.StartAsync();
        var users = new UserDirectory(server.Store);
        await Assert.ThrowsAsync<ArgumentException>(() => users.SetPasswordAsync("analyst", "short"));
        await users.SetPasswordAsync("analyst", "correct horse battery staple");

        string? stored = await server.Store.GetSettingAsync("user:analyst");
        Assert.Contains("pbkdf2-sha256$600000$", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", stored, StringComparison.Ordinal);

        using var client = server.Client(null);
        client.DefaultRequestHeaders.Authorization = Basic("analyst", "correct horse battery staple");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("taxii2/")).StatusCode);
        client.DefaultRequestHeaders.Authorization = Basic("analyst", "correct horse battery stapler");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("taxii2/")).StatusCode);
        client.DefaultRequestHeaders.Authorization = Basic("admin", "correct horse battery staple");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("taxii2/")).StatusCode);
    }

    [Fact]
    public async Task AuditLog_RecordsLogins_FailedLogins_UserChanges_WritesAndDeletes()
    {
        await using var server = await TaxiiServer.StartAsync();
        using var analyst = server.Client("analyst");
        const string id = "intrusion-set--40000000-0000-4000-8000-000000000001";
        var posted = await analyst.PostAsync("api/collections/" + TaxiiServer.Collection + "/objects/", TaxiiServer.Envelope(TaxiiServer.IntrusionSet(id, "Audited")));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        for (int i = 0; i < 100 && await server.Store.GetAsync(id) is null; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(HttpStatusCode.OK, (await analyst.DeleteAsync("api/collections/" + TaxiiServer.Collection + "/objects/" + id + "/")).StatusCode);
        using var stranger = server.Client(null);
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "tl_" + new string('B', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("taxii2/")).StatusCode);

        IReadOnlyList<Storage.AuditEntry> log = [];
        for (int i = 0; i < 100 && !log.Any(e => e.Action == "write"); i++)
        {
            await Task.Delay(20);
            log = await server.Store.AuditLogAsync(1000);
        }

        Assert.Contains(log, e => e.Action == "user-add" && e.Detail!.StartsWith("analyst: analyst, clearance amber", StringComparison.Ordinal));
        Assert.Contains(log, e => (e.Actor, e.Action) == ("analyst", "login"));
        Assert.Contains(log, e => (e.Actor, e.Action) == ("analyst", "write") && e.Detail!.Contains("1 added", StringComparison.Ordinal));
        Assert.Contains(log, e => (e.Actor, e.Action, e.Detail) == ("analyst", "delete", id + ": 1 versions"));
        Assert.Contains(log, e => e.Action == "login-failed" && e.Actor == "127.0.0.1");
    }

    [Fact]
    public async Task RateLimit_PerUser_Answers429WithRetryAfter_OtherUsersUnaffected()
    {
        await using var server = await TaxiiServer.StartAsync(new ServerOptions { RateLimitPerSecond = 2 });
        using var greedy = server.Client("reader-red");
        var codes = new List<HttpResponseMessage>();
        for (int i = 0; i < 10; i++)
        {
            codes.Add(await greedy.GetAsync("taxii2/"));
        }

        var limited = codes.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.True(codes.Count(r => r.StatusCode == HttpStatusCode.OK) >= 4);
        Assert.Equal("1", limited[0].Headers.GetValues("Retry-After").Single());
        Assert.Contains("429", await limited[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var other = server.Client("reader-clear");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("taxii2/")).StatusCode);
    }

    [Fact]
    public async Task EveryAnswer_CarriesSecurityHeaders()
    {
        await using var server = await TaxiiServer.StartAsync();
        using var client = server.Client();
        foreach (var path in new[] { "taxii2/", "rest/search?q=x", "nothing-here" })
        {
            var r = await client.GetAsync(path);
            Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", r.Headers.GetValues("X-Frame-Options").Single());
            Assert.False(r.Headers.Contains("Server"));
        }
    }

    private static AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + secret)));
}
