using System.Buffers;
using System.Text;
using ThreatLedger.Stix;
using static ThreatLedger.Storage.Tests.StixBuilders;

namespace ThreatLedger.Storage.Tests;

public abstract partial class StoreConformance
{
    /// <summary>
    /// The page a server sends as JSON (SQLite reads it through its own statement, without StoredObject
    /// rows) holds exactly what <see cref="IStixStore.QueryAsync"/> gives for the same query: the same
    /// objects byte for byte, in the same order, the same more/next, and the page's date_added range.
    /// </summary>
    [SkippableFact]
    public async Task QueryJson_IsThePageQueryGives_ForEveryFilterAccessAndPage()
    {
        using var store = NewStore();
        var amber = IntrusionSet("Secret 日本語", day: 1).Marked(TlpLevel.Amber);
        var green = IntrusionSet("Shared").Marked(TlpLevel.Green);
        var versioned = Malware("Versioned", day: 1);
        var tools = Enumerable.Range(0, 23).Select(i => Tool("T" + i).With("description", new string('x', i * 50))).ToArray();
        await PutAllOk(store, [amber, green, versioned, .. tools]);
        await PutOk(store, versioned.At(2));
        await PutOk(store, amber.At(3));
        var middle = (await store.QueryAsync(new ObjectQuery { Limit = 10 })).Items[^1].DateAdded;

        ObjectQuery[] queries =
        [
            new() { Limit = 7 },
            new() { Limit = 1000 },
            new() { Limit = 5, Types = ["tool"] },
            new() { Limit = 3, Ids = [amber.IdOf(), green.IdOf(), versioned.IdOf()] },
            new() { Limit = 4, Access = s_green, Versions = VersionFilter.AllVersions },
            new() { Limit = 4, Access = s_greenMarkedOnly },
            new() { Limit = 2, Versions = VersionFilter.Earliest, Ids = [versioned.IdOf(), amber.IdOf()] },
            new() { Limit = 2, Versions = VersionFilter.Exactly(V(2)) },
            new() { Limit = 6, AddedAfter = middle },
            new() { Limit = 6, SpecVersions = ["2.0"] },
        ];

        foreach (var query in queries)
        {
            var q = query;
            while (true)
            {
                var expected = await store.QueryAsync(q);
                var buffer = new ArrayBufferWriter<byte>();
                var page = await store.QueryJsonAsync(q, buffer);
                string expectedJson = string.Join(",", expected.Items.Select(o => o.JsonText));

                Assert.Equal(expectedJson, Encoding.UTF8.GetString(buffer.WrittenSpan));
                Assert.Equal(expected.Items.Count, page.Count);
                Assert.Equal(expected.More, page.More);
                Assert.Equal(expected.Next, page.Next);
                Assert.Equal(expected.Items.Count == 0 ? null : expected.Items.Min(o => o.DateAdded.Ticks), page.FirstAdded?.Ticks);
                Assert.Equal(expected.Items.Count == 0 ? null : expected.Items.Max(o => o.DateAdded.Ticks), page.LastAdded?.Ticks);
                if (!page.More)
                {
                    break;
                }

                q = q with { Next = page.Next };
            }
        }

        // Every JSON page parses as an array of the objects (here: all 26 latest versions, one page).
        var all = new ArrayBufferWriter<byte>();
        var whole = await store.QueryJsonAsync(new ObjectQuery { Limit = 1000 }, all);
        var parsed = System.Text.Json.JsonDocument.Parse("[" + Encoding.UTF8.GetString(all.WrittenSpan) + "]");
        Assert.Equal(26, whole.Count);
        Assert.Equal(26, parsed.RootElement.GetArrayLength());
        Assert.Equal(amber.IdOf(), parsed.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()).Single(id => id == amber.IdOf()));
        await Assert.ThrowsAsync<FormatException>(() => store.QueryJsonAsync(new ObjectQuery { Next = "not-a-cursor" }, new ArrayBufferWriter<byte>()));
    }
}
