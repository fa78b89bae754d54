using System.Text.Json.Nodes;
using ThreatLedger.Stix;

namespace ThreatLedger.Storage.Tests;

/// <summary>
/// The behaviour every <see cref="IStixStore"/> backend must share. Each backend derives a class that
/// supplies fresh, empty stores; every test here runs unchanged against each of them. Tests are
/// <see cref="SkippableFactAttribute"/>s so a backend that is not available (no PostgreSQL server)
/// skips them from <see cref="CreateStore"/> with a reason.
/// </summary>
public abstract partial class StoreConformance : IDisposable
{
    /// <summary>The store's clock: it only moves when a test moves it.</summary>
    protected ManualClock Clock { get; } = new();

    /// <summary>A new, empty store using <paramref name="clock"/>. Each call gives another store.</summary>
    protected abstract IStixStore CreateStore(TimeProvider clock);

    /// <summary>
    /// Another handle on the same store as <paramref name="store"/> (as another process would open it),
    /// which stays open whether or not <paramref name="store"/> is disposed.
    /// </summary>
    protected abstract IStixStore OpenAgain(IStixStore store, TimeProvider clock);

    /// <summary>A new, empty store on <see cref="Clock"/>.</summary>
    protected IStixStore NewStore() => CreateStore(Clock);

    /// <summary>Prepares and puts the objects as one batch (indexes are their positions).</summary>
    protected static Task<IReadOnlyList<PutItemResult>> Put(IStixStore store, params JsonObject[] objects) =>
        store.PutAsync(objects.Select((o, i) => o.Prepare(i)).ToList());

    /// <summary>Puts one object and asserts it succeeded.</summary>
    protected static async Task<PutItemResult> PutOk(IStixStore store, JsonObject obj)
    {
        var r = Assert.Single(await Put(store, obj));
        Assert.True(r.Succeeded, r.Message);
        return r;
    }

    /// <summary>Puts the objects as one batch and asserts they all succeeded.</summary>
    protected static async Task PutAllOk(IStixStore store, params JsonObject[] objects)
    {
        var results = await Put(store, objects);
        Assert.All(results, r => Assert.True(r.Succeeded, $"{r.Id}: {r.Message}"));
    }

    /// <summary>Every page of a query, following the cursor.</summary>
    protected static async Task<List<StoredObject>> QueryAll(IStixStore store, ObjectQuery query)
    {
        var all = new List<StoredObject>();
        var q = query;
        for (int guard = 0; guard < 100_000; guard++)
        {
            var page = await store.QueryAsync(q);
            all.AddRange(page.Items);
            if (!page.More)
            {
                Assert.Null(page.Next);
                return all;
            }

            Assert.NotNull(page.Next);
            q = q with { Next = page.Next };
        }

        throw new InvalidOperationException("paging did not end");
    }

    /// <summary>The stored object's JSON property, as a string.</summary>
    protected static string? Prop(StoredObject o, string name) =>
        JsonNode.Parse(o.JsonText)![name]?.GetValue<string>();

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the stores the test created.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Checks a timestamp against the store's clock: microseconds, no finer.</summary>
    protected static void AssertMicroseconds(StixTimestamp t) => Assert.Equal(0, t.Ticks % 10);

    /// <summary>The clock's time as a STIX timestamp (microseconds).</summary>
    protected StixTimestamp ClockNow() => new(Clock.Now.UtcDateTime, 6);
}
