using System.Net;
using System.Text.Json;
using ThreatLedger.Storage;

namespace ThreatLedger.Server.Tests;

/// <summary>For every TAXII read route and every clearance, nothing above the clearance shows: not in pages, manifests, by id, versions or headers.</summary>
public sealed class AccessMatrixTests
{
    private const string Collection = "api/collections/" + TaxiiServer.Collection + "/";

    private static readonly (string Id, TlpLevel Level, string? Marking)[] s_objects =
    [
        ("intrusion-set--10000000-0000-4000-8000-000000000001", TlpLevel.Clear, null),
        ("intrusion-set--10000000-0000-4000-8000-000000000002", TlpLevel.Green, TaxiiServer.Green),
        ("intrusion-set--10000000-0000-4000-8000-000000000003", TlpLevel.Amber, TaxiiServer.Amber),
        ("intrusion-set--10000000-0000-4000-8000-000000000004", TlpLevel.Red, TaxiiServer.Red),
    ];

    [Theory]
    [InlineData(TlpLevel.Clear)]
    [InlineData(TlpLevel.Green)]
    [InlineData(TlpLevel.Amber)]
    [InlineData(TlpLevel.AmberStrict)]
    [InlineData(TlpLevel.Red)]
    public async Task EveryRoute_ShowsExactlyWhatTheClearanceAllows(TlpLevel clearance)
    {
        await using var server = await TaxiiServer.StartAsync();
        await server.PutAsync(s_objects.Select(o => TaxiiServer.IntrusionSet(o.Id, "Level " + o.Level, o.Marking)).ToArray());

        using var client = server.Client("reader-" + UserDirectory.ClearanceName(clearance).Replace('+', '-'));
        var visible = s_objects.Where(o => o.Level <= clearance).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var hidden = s_objects.Where(o => o.Level > clearance).Select(o => o.Id).ToList();

        // Objects (one page), and the Date-Added headers only span visible objects.
        var page = await client.GetAsync(Collection + "objects/?match[type]=intrusion-set");
        using (var doc = await TaxiiServer.JsonAsync(page))
        {
            Assert.Equal(visible.Order(StringComparer.Ordinal), Ids(doc, "objects").Order(StringComparer.Ordinal));
        }

        // Manifest.
        using (var manifest = await TaxiiServer.JsonAsync(await client.GetAsync(Collection + "manifest/?match[type]=intrusion-set")))
        {
            Assert.Equal(visible.Order(StringComparer.Ordinal), Ids(manifest, "objects").Order(StringComparer.Ordinal));
        }

        // match[id] naming a hidden object, by id, versions: all as if it did not exist.
        foreach (var id in hidden)
        {
            using (var filtered = await TaxiiServer.JsonAsync(await client.GetAsync(Collection + "objects/?match[id]=" + id)))
            {
                Assert.Empty(Ids(filtered, "objects"));
            }

            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Collection + "objects/" + id + "/")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Collection + "objects/" + id + "/?match[version]=all")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Collection + "objects/" + id + "/versions/")).StatusCode);
        }

        foreach (var id in visible)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Collection + "objects/" + id + "/")).StatusCode);
        }

        // A page of one: `more` and the headers may not reveal hidden objects after the visible ones.
        var single = await client.GetAsync(Collection + "objects/?match[type]=intrusion-set&limit=" + visible.Count);
        using (var doc = await TaxiiServer.JsonAsync(single))
        {
            Assert.False(doc.RootElement.GetProperty("more").GetBoolean());
        }
    }

    [Fact]
    public async Task UnmarkedObjects_FollowTheConfiguredDefault()
    {
        await using var server = await TaxiiServer.StartAsync(new ServerOptions { UnmarkedTlp = TlpLevel.Amber });
        await server.PutAsync(TaxiiServer.IntrusionSet(s_objects[0].Id, "Unmarked"));

        using var green = server.Client("reader-green");
        using var amber = server.Client("reader-amber");
        Assert.Equal(HttpStatusCode.NotFound, (await green.GetAsync(Collection + "objects/" + s_objects[0].Id + "/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await amber.GetAsync(Collection + "objects/" + s_objects[0].Id + "/")).StatusCode);
    }

    private static List<string> Ids(JsonDocument doc, string property) =>
        doc.RootElement.TryGetProperty(property, out var list) ? list.EnumerateArray().Select(o => o.GetProperty("id").GetString()!).ToList() : [];
}
