using ThreatLedger.Stix.Tests;
using ThreatLedger.Storage;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Server.Tests;

/// <summary>The TAXII client against the real server, as another platform would use it: push the ATT&amp;CK ICS bundle, pull it elsewhere.</summary>
public sealed class TaxiiClientTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tl-client-" + Guid.NewGuid().ToString("N"));

    public TaxiiClientTests() => System.IO.Directory.CreateDirectory(_dir);

    [SkippableFact]
    public async Task PushIcs_InSeveralRequestsWithStatusPolling_ThenPullIntoAnotherStore_AndPullAgainBringsNothing()
    {
        string ics = SharedData.SkipIfMissing("attack", "ics-attack.json");

        // max_content_length of 1 MiB forces several POSTs for the ~5 MB bundle.
        await using var server = await TaxiiServer.StartAsync(new ServerOptions { MaxContentLength = 1 << 20 });
        var apiRoot = new Uri(server.BaseAddress, "api/");
        using var analyst = TaxiiClient.Create(server.Tokens["analyst"]);
        PushResult pushed;
        using (var input = File.OpenRead(ics))
        {
            pushed = await new TaxiiClient(analyst).PushAsync(apiRoot, TaxiiServer.Collection, TaxiiClient.ReadObjects(input));
        }

        Assert.Equal((1826L, 1826L, 0L), (pushed.Total, pushed.Succeeded, pushed.Failed));
        Assert.True(pushed.Requests > 1, $"{pushed.Requests} requests");
        Assert.Equal(1826, (await server.Store.StatsAsync()).Objects);

        // One AMBER object the GREEN reader must never receive.
        const string amber = "intrusion-set--20000000-0000-4000-8000-000000000001";
        await server.PutAsync(TaxiiServer.IntrusionSet(amber, "Amber only", TaxiiServer.Amber));

        using var local = SqliteStixStore.Open(Path.Combine(_dir, "local.db"));
        using var green = TaxiiClient.Create(server.Tokens["reader-green"], "reader-green");
        var client = new TaxiiClient(green);
        int pagesSeen = 0;
        var pulled = await client.PullAsync(apiRoot, TaxiiServer.Collection, local, limit: 100, progress: (p, _) => pagesSeen = p);

        Assert.Equal((1826L, 1826L, 0L), (pulled.Summary.Total, pulled.Summary.Added, pulled.Summary.Failed));
        Assert.Equal(19, pulled.Pages);
        Assert.Equal(19, pagesSeen);
        Assert.Null(await local.GetAsync(amber));
        Assert.Equal(1826, (await local.StatsAsync()).Objects);

        // Incremental: after the last date_added seen, nothing new; a new object arrives alone.
        var again = await client.PullAsync(apiRoot, TaxiiServer.Collection, local, pulled.LastDateAdded);
        Assert.Equal(0, again.Summary.Total);
        const string later = "intrusion-set--20000000-0000-4000-8000-000000000002";
        await server.PutAsync(TaxiiServer.IntrusionSet(later, "Later"));
        var third = await client.PullAsync(apiRoot, TaxiiServer.Collection, local, pulled.LastDateAdded);
        Assert.Equal((1L, 1L), (third.Summary.Total, third.Summary.Added));
        Assert.NotNull(await local.GetAsync(later));
    }

    [Fact]
    public async Task Push_ByAReader_FailsWithTheServersTaxiiError()
    {
        await using var server = await TaxiiServer.StartAsync();
        using var reader = TaxiiClient.Create(server.Tokens["reader-red"]);
        var objects = new[] { (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(TaxiiServer.IntrusionSet("intrusion-set--20000000-0000-4000-8000-000000000003", "X")) };

        var ex = await Assert.ThrowsAsync<IOException>(() => new TaxiiClient(reader).PushAsync(new Uri(server.BaseAddress, "api/"), TaxiiServer.Collection, objects));

        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
        Assert.Contains("reader", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_dir, true);
    }
}
