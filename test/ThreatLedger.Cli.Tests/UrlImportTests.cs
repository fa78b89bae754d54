using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using static ThreatLedger.Cli.Tests.CliRunner;

namespace ThreatLedger.Cli.Tests;

/// <summary>Imports from a real HTTP server on loopback.</summary>
public sealed class UrlImportTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _base;
    private readonly CancellationTokenSource _stop = new();

    public UrlImportTests()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _base = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_base);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            string path = ctx.Request.Url!.AbsolutePath;
            if (path == "/bundle.json")
            {
                var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "good.json"));
                ctx.Response.ContentLength64 = bytes.Length;
                await ctx.Response.OutputStream.WriteAsync(bytes);
            }
            else if (path == "/moved")
            {
                ctx.Response.StatusCode = 302;
                ctx.Response.RedirectLocation = _base + "bundle.json";
            }
            else
            {
                ctx.Response.StatusCode = 404;
            }

            ctx.Response.Close();
        }
    }

    [Fact]
    public void Import_FromUrl_FollowsARedirect_AndA404IsAClearError()
    {
        using var db = new TestDb("sqlite");

        var (exit, output, _) = Run("import", _base + "moved", "--db", db.Db, "--empty", "--json");
        Assert.Equal(0, exit);
        using (var status = JsonDocument.Parse(output))
        {
            Assert.Equal(3, status.RootElement.GetProperty("success_count").GetInt32());
        }

        var missing = Run("import", _base + "nothing.json", "--db", db.Db, "--empty");
        Assert.Equal(2, missing.Exit);
        Assert.Contains("answered 404", missing.Err, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }
}
