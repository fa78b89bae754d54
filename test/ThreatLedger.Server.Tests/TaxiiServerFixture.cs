using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using ThreatLedger.Server;
using ThreatLedger.Stix;
using ThreatLedger.Storage;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Server.Tests;

/// <summary>A real server on a free loopback port over a new SQLite store, with one user per role and clearance.</summary>
public sealed class TaxiiServer : IAsyncDisposable
{
    public const string Collection = "365fed99-08fa-fdcd-a1b3-fb247eb41d01";
    public const string MediaType = "application/taxii+json;version=2.1";

    // TLP 1.0 marking definitions (STIX 2.1 section 7.2.1.4: fixed ids).
    public const string Green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
    public const string Amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
    public const string Red = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tl-server-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private ServerOptions _options = new();

    public SqliteStixStore Store { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Tokens by user name.</summary>
    public Dictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);

    public static async Task<TaxiiServer> StartAsync(ServerOptions? options = null)
    {
        var s = new TaxiiServer();
        System.IO.Directory.CreateDirectory(s._dir);
        s.Store = SqliteStixStore.Open(Path.Combine(s._dir, "server.db"));
        var users = new UserDirectory(s.Store);
        s.Tokens["admin"] = await users.AddAsync("admin", Role.Admin, TlpLevel.Red);
        s.Tokens["analyst"] = await users.AddAsync("analyst", Role.Analyst, TlpLevel.Amber);
        foreach (var level in Enum.GetValues<TlpLevel>())
        {
            string name = "reader-" + UserDirectory.ClearanceName(level).Replace('+', '-');
            s.Tokens[name] = await users.AddAsync(name, Role.Reader, level);
        }

        s._options = new ServerOptions
        {
            Urls = "http://127.0.0.1:0",
            MaxContentLength = options?.MaxContentLength ?? 1 << 20,
            MaxPageSize = options?.MaxPageSize ?? 1000,
            UnmarkedTlp = options?.UnmarkedTlp ?? TlpLevel.Clear,
            RateLimitPerSecond = options?.RateLimitPerSecond ?? 1000,
        };
        await s.StartAppAsync();
        return s;
    }

    /// <summary>Stops the server and its store, and starts a new server process-state over the same file (a restart).</summary>
    public async Task RestartAsync()
    {
        await _app!.StopAsync();
        await _app.DisposeAsync();
        Store.Dispose();
        SqliteConnection.ClearAllPools();
        Store = SqliteStixStore.Open(Path.Combine(_dir, "server.db"));
        await StartAppAsync();
    }

    private async Task StartAppAsync()
    {
        _app = ServerHost.Build(Store, _options);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First());
    }

    /// <summary>A client authenticated as <paramref name="user"/> (Bearer), accepting TAXII 2.1.</summary>
    public HttpClient Client(string? user = "admin")
    {
        var c = new HttpClient { BaseAddress = BaseAddress };
        c.DefaultRequestHeaders.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(MediaType));
        if (user is not null)
        {
            c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens[user]);
        }

        return c;
    }

    public async Task PutAsync(params string[] objectsJson)
    {
        var results = await Store.PutAsync(objectsJson.Select(j => PreparedObject.From(StixJson.ParseObject(j))).ToList());
        Assert.All(results, r => Assert.True(r.Succeeded, r.Message));
    }

    public static string IntrusionSet(string id, string name, string? marking = null, string modified = "2021-01-01T00:00:00.000Z") =>
        $$"""{"type":"intrusion-set","spec_version":"2.1","id":"{{id}}","created":"2021-01-01T00:00:00.000Z","modified":"{{modified}}","name":"{{name}}"{{(marking is null ? "" : $",\"object_marking_refs\":[\"{marking}\"]")}}}""";

    public static async Task<JsonDocument> JsonAsync(HttpResponseMessage r)
    {
        Assert.Equal(MediaType, r.Content.Headers.ContentType?.ToString().Replace(" ", "", StringComparison.Ordinal));
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync());
    }

    /// <summary>Polls a status resource until it is complete (at most ten seconds).</summary>
    public static async Task<JsonDocument> CompletedStatusAsync(HttpClient client, string statusId)
    {
        for (int i = 0; ; i++)
        {
            var status = await JsonAsync(await client.GetAsync($"api/status/{statusId}/"));
            if (status.RootElement.GetProperty("status").GetString() == "complete" || i == 200)
            {
                return status;
            }

            status.Dispose();
            await Task.Delay(50);
        }
    }

    public static StringContent Envelope(params string[] objectsJson) => Body("{\"objects\":[" + string.Join(',', objectsJson) + "]}");

    /// <summary>A POST body of TAXII 2.1 JSON, as given (an envelope or not).</summary>
    public static StringContent Body(string text)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(MediaType);
        return content;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Store.Dispose();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_dir, true);
    }
}
