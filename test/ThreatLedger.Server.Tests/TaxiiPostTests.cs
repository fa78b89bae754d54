using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ThreatLedger.Server.Tests;

/// <summary>POST to a collection: what is not an envelope is 400 at once; the status counts while the import runs.</summary>
public sealed class TaxiiPostTests
{
    private const string Objects = "api/collections/" + TaxiiServer.Collection + "/objects/";
    private const string One = "intrusion-set--1a2b3c4d-0000-4000-8000-000000000001";
    private const string Two = "intrusion-set--1a2b3c4d-0000-4000-8000-000000000002";

    [Theory]
    [InlineData("[]", "$: ", "an array")]
    [InlineData("\"objects\"", "$: ", "a string")]
    [InlineData("42", "$: ", "a number")]
    [InlineData("null", "$: ", "null")]
    [InlineData("{}", "$: ", "'objects'")]
    [InlineData("{\"more\":false}", "$: ", "'objects'")]
    [InlineData("{\"objects\":{}}", "$.objects: ", "an object")]
    [InlineData("{\"objects\":\"x\"}", "$.objects: ", "a string")]
    [InlineData("{\"objects\":null}", "$.objects: ", "null")]
    [InlineData("{\"objects\":[],\"objects\":[]}", "$.objects: ", "twice")]
    [InlineData("{\"objects\":[],\"more\":\"yes\"}", "$.more: ", "true or false")]
    [InlineData("{\"objects\":[],\"next\":1}", "$.next: ", "a string")]
    [InlineData("{\"type\":\"bundle\",\"id\":\"bundle--1a2b3c4d-0000-4000-8000-000000000009\",\"objects\":[]}", "$.type: ", "bundle")]
    [InlineData("", "$: ", "empty")]
    [InlineData("{\"objects\":[{\"type\":\"intrusion-set\",}]}", "$.objects[0].type: ", "malformed JSON")]
    [InlineData("{\"objects\":[{},\n{\"name\":\"x\"", "$.objects[1].name: ", "line 2")]
    [InlineData("{\"objects\":[1,]}", "$.objects[0]: ", "trailing comma")]
    [InlineData("{\"objects\":[]} []", "$: ", "malformed JSON")]
    public async Task Post_NotAnEnvelope_Is400WithATaxiiError_NamingThePath(string body, string path, string reason)
    {
        await using var server = await TaxiiServer.StartAsync();
        using var client = server.Client("analyst");

        var posted = await client.PostAsync(Objects, TaxiiServer.Body(body));

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        using var error = await TaxiiServer.JsonAsync(posted);
        var e = error.RootElement;
        Assert.Equal("400", e.GetProperty("http_status").GetString());
        Assert.Equal("Not a TAXII envelope", e.GetProperty("title").GetString());
        string description = e.GetProperty("description").GetString()!;
        Assert.StartsWith(path, description, StringComparison.Ordinal);
        Assert.Contains(reason, description, StringComparison.Ordinal);
        Assert.Equal(0, (await server.Store.StatsAsync()).Objects);
    }

    [Fact]
    public async Task Post_WellFormedEnvelope_WithBadEntries_IsAccepted_EachEntryJudgedInTheStatus()
    {
        await using var server = await TaxiiServer.StartAsync();
        using var client = server.Client("analyst");

        var posted = await client.PostAsync(Objects, TaxiiServer.Body("{\"more\":false,\"objects\":[42," + TaxiiServer.IntrusionSet(One, "One") + ",{\"type\":\"intrusion-set\"}]}"));

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        using var first = await TaxiiServer.JsonAsync(posted);
        using var status = await TaxiiServer.CompletedStatusAsync(client, first.RootElement.GetProperty("id").GetString()!);
        var s = status.RootElement;
        Assert.Equal((3, 1, 2, 0), Counts(s));
        Assert.Equal(One, s.GetProperty("successes")[0].GetProperty("id").GetString());
        Assert.Contains(s.GetProperty("failures").EnumerateArray(), f => f.GetProperty("id").GetString() == "objects[0]");
        Assert.Equal(1, (await server.Store.StatsAsync()).Objects);
    }

    [Fact]
    public async Task Status_OutlivesARestart_ForItsOwnerAndAdmins_Only()
    {
        await using var server = await TaxiiServer.StartAsync();
        string statusId;
        string before;
        using (var client = server.Client("analyst"))
        {
            var posted = await client.PostAsync(Objects, TaxiiServer.Body("{\"objects\":[42," + TaxiiServer.IntrusionSet(One, "One") + "]}"));
            using var first = await TaxiiServer.JsonAsync(posted);
            statusId = first.RootElement.GetProperty("id").GetString()!;
            using var done = await TaxiiServer.CompletedStatusAsync(client, statusId);
            before = done.RootElement.GetRawText();
        }

        await server.RestartAsync();

        using (var owner = server.Client("analyst"))
        {
            var r = await owner.GetAsync($"api/status/{statusId}/");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            using var after = await TaxiiServer.JsonAsync(r);
            Assert.Equal(before, after.RootElement.GetRawText());
            Assert.Equal((2, 1, 1, 0), Counts(after.RootElement));
        }

        using var admin = server.Client("admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"api/status/{statusId}/")).StatusCode);
        using var other = server.Client("reader-red");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"api/status/{statusId}/")).StatusCode);
    }

    [Fact]
    public async Task Status_SavedWhilePending_ByAServerThatStopped_IsCompleteWithTheUnreachedEntriesAsFailures()
    {
        await using var server = await TaxiiServer.StartAsync();
        // What a server that stopped mid-import leaves: its last save, 3 of 10 written, 7 pending.
        string id = Guid.NewGuid().ToString();
        await server.Store.SetSettingAsync("taxii-status:" + id, $$$"""{"user":"analyst","status":{"id":"{{{id}}}","status":"pending","request_timestamp":"2026-11-27T00:00:00.000000Z","total_count":10,"success_count":3,"failure_count":0,"pending_count":7}}""");

        using var client = server.Client("analyst");
        using var status = await TaxiiServer.JsonAsync(await client.GetAsync($"api/status/{id}/"));
        var s = status.RootElement;

        Assert.Equal("complete", s.GetProperty("status").GetString());
        Assert.Equal((10, 3, 7, 0), Counts(s));
        var failure = Assert.Single(s.GetProperty("failures").EnumerateArray());
        Assert.Contains("server stopped", failure.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"api/status/{Guid.NewGuid()}/")).StatusCode);
    }

    [Fact]
    public async Task Status_WhileTheImportWaits_CountsTheEnvelope_AndWhatIsStillPending()
    {
        await using var server = await TaxiiServer.StartAsync();
        using var client = server.Client("analyst");
        string statusId;

        // A first request logs the analyst in (a login is written to the audit log, and remembered for 5 s).
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/collections/")).StatusCode);

        // Another connection holds the store's write lock, so the import reads the envelope and then waits.
        using (var blocker = new SqliteConnection($"Data Source={server.Store.Path};Pooling=False"))
        {
            blocker.Open();
            using var hold = blocker.BeginTransaction(deferred: false);

            var posted = await client.PostAsync(Objects, TaxiiServer.Envelope(TaxiiServer.IntrusionSet(One, "One"), "42", TaxiiServer.IntrusionSet(Two, "Two")));

            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            using var accepted = await TaxiiServer.JsonAsync(posted);
            var a = accepted.RootElement;
            statusId = a.GetProperty("id").GetString()!;
            Assert.Equal("pending", a.GetProperty("status").GetString());
            var (total, success, failure, pending) = Counts(a);
            Assert.Equal((3, 0), (total, success));
            Assert.Equal(total, success + failure + pending);

            // The unreadable entry is refused before anything is written; the two objects wait for the lock.
            JsonElement s;
            for (int i = 0; ; i++)
            {
                using var polled = await TaxiiServer.JsonAsync(await client.GetAsync($"api/status/{statusId}/"));
                s = polled.RootElement.Clone();
                if (s.GetProperty("failure_count").GetInt32() == 1 || i == 200)
                {
                    break;
                }

                await Task.Delay(50);
            }

            Assert.Equal("pending", s.GetProperty("status").GetString());
            Assert.Equal((3, 0, 1, 2), Counts(s));
            Assert.Equal("objects[1]", s.GetProperty("failures")[0].GetProperty("id").GetString());
            hold.Rollback();
        }

        using var done = await TaxiiServer.CompletedStatusAsync(client, statusId);
        Assert.Equal("complete", done.RootElement.GetProperty("status").GetString());
        Assert.Equal((3, 2, 1, 0), Counts(done.RootElement));
    }

    private static (int Total, int Success, int Failure, int Pending) Counts(JsonElement s) =>
        (s.GetProperty("total_count").GetInt32(), s.GetProperty("success_count").GetInt32(), s.GetProperty("failure_count").GetInt32(), s.GetProperty("pending_count").GetInt32());
}
