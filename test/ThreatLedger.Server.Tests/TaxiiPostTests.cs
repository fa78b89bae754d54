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
