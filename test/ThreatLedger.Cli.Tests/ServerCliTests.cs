using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using ThreatLedger.Stix.Tests;
using static ThreatLedger.Cli.Tests.CliRunner;

namespace ThreatLedger.Cli.Tests;

/// <summary>The server as a user starts it (a real 'threatledger serve' process), driven by 'threatledger users' and 'threatledger taxii'.</summary>
public sealed class ServerCliTests
{
    private const string Collection = "365fed99-08fa-fdcd-a1b3-fb247eb41d01";

    [SkippableFact]
    public async Task Serve_NewStoreWithPack_UsersAddGivesAToken_TaxiiPushThenPullIntoAnotherStore_Incrementally()
    {
        string ics = SharedData.SkipIfMissing("attack", "ics-attack.json");
        using var served = new TestDb("sqlite");
        using var local = new TestDb("sqlite");

        var added = Run("users", "add", "ana", "--role", "analyst", "--clearance", "amber", "--db", served.Db, "--json");
        Assert.Equal(0, added.Exit);
        string token;
        using (var doc = JsonDocument.Parse(added.Out))
        {
            Assert.Equal("ana", doc.RootElement.GetProperty("name").GetString());
            token = doc.RootElement.GetProperty("token").GetString()!;
        }

        Assert.Contains("ana\tanalyst\tamber", Run("users", "list", "--db", served.Db).Out, StringComparison.Ordinal);
        Assert.Equal(1, Run("users", "add", "ana", "--role", "reader", "--clearance", "clear", "--db", served.Db).Exit);
        Assert.Equal(2, Run("users", "add", "bob", "--role", "boss", "--clearance", "clear", "--db", served.Db).Exit);

        using var server = Start(served.Db, out string url);
        try
        {
            string apiRoot = url.TrimEnd('/') + "/api/";

            // The new store got the starter pack when 'users add' created it; the server shows it.
            using (var http = new HttpClient())
            {
                http.DefaultRequestHeaders.Accept.ParseAdd("application/taxii+json;version=2.1");
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var found = await http.GetAsync($"{apiRoot}collections/{Collection}/objects/?match[type]=grouping");
                Assert.Equal(HttpStatusCode.OK, found.StatusCode);
                Assert.Contains("joint-attribution-statement", await found.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            var push = Run("taxii", "push", apiRoot, "--collection", Collection, ics, "--token", token);
            Assert.Equal(0, push.Exit);
            Assert.Contains("pushed 1826 objects", push.Out, StringComparison.Ordinal);
            Assert.Contains("1826 accepted, 0 refused", push.Out, StringComparison.Ordinal);

            var pull = Run("taxii", "pull", apiRoot, "--collection", Collection, "--token", token, "--user", "ana", "--db", local.Db, "--empty", "--limit", "500");
            Assert.Equal(0, pull.Exit);
            var m = Regex.Match(pull.Out, @"pulled (\d+) objects in (\d+) pages: (\d+) added");
            Assert.True(m.Success, pull.Out);
            int pulled = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(pulled >= 1826, pull.Out);
            Assert.Equal(m.Groups[1].Value, m.Groups[3].Value);

            // The next pull starts where this one stopped.
            var again = Run("taxii", "pull", apiRoot, "--collection", Collection, "--token", token, "--db", local.Db);
            Assert.Contains("pulled 0 objects", again.Out, StringComparison.Ordinal);
            Assert.Contains("added after", again.Out, StringComparison.Ordinal);

            var wrong = Run("taxii", "pull", apiRoot, "--collection", Collection, "--token", "tl_wrong", "--db", local.Db);
            Assert.Equal(1, wrong.Exit);
            Assert.Contains("401", wrong.Err, StringComparison.Ordinal);

            // The audit log (read while the server runs) has the user's creation, the writes and the failed login.
            string audit = "";
            for (int i = 0; i < 50 && !audit.Contains("login-failed", StringComparison.Ordinal); i++)
            {
                await Task.Delay(50);
                audit = Run("users", "audit", "--db", served.Db, "--limit", "1000").Out;
            }

            Assert.Contains("\tuser-add\tana: analyst, clearance amber", audit, StringComparison.Ordinal);
            Assert.Contains("ana\twrite\tstatus ", audit, StringComparison.Ordinal);
            Assert.Contains("\tlogin-failed\t", audit, StringComparison.Ordinal);
        }
        finally
        {
            server.Kill();
            server.WaitForExit();
        }
    }

    private static Process Start(string db, out string url)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "threatledger.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "exec", cli, "serve", "--db", db, "--urls", "http://127.0.0.1:0" })
        {
            psi.ArgumentList.Add(a);
        }

        var p = Process.Start(psi)!;
        var line = p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        var m = Regex.Match(line ?? string.Empty, @" at (http://127\.0\.0\.1:\d+)");
        if (!m.Success)
        {
            p.Kill();
            throw new InvalidOperationException($"serve did not say where it listens: '{line}' {p.StandardError.ReadToEnd()}");
        }

        url = m.Groups[1].Value;
        return p;
    }
}
