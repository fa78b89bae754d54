using Microsoft.Data.Sqlite;
using ThreatLedger.Ledger;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Extraction.Tests;

/// <summary>
/// Tests that extract from short texts against a new store holding the starter pack: each store is a file
/// in a folder of the test class's own, removed when the class is done.
/// </summary>
public abstract class PackStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tl-packstore-" + Guid.NewGuid().ToString("N"));

    protected PackStoreTests() => System.IO.Directory.CreateDirectory(_dir);

    /// <summary>A new store with the starter pack loaded (the caller disposes it).</summary>
    protected async Task<SqliteStixStore> OpenPackStoreAsync()
    {
        var store = SqliteStixStore.Open(Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db"));
        Assert.Equal(0, (await StarterPack.LoadAsync(store)).Failed);
        return store;
    }

    /// <summary>What <paramref name="text"/> holds, read against <paramref name="store"/>'s names.</summary>
    protected static async Task<IReadOnlyList<Entity>> ExtractAsync(SqliteStixStore store, string text, DateOnly published) =>
        await Extractor.ExtractAsync(text, await GazetteerBuilder.BuildAsync(store), new ExtractOptions { Published = published }, store);

    /// <summary>What <paramref name="text"/> holds, read against a new store holding the pack.</summary>
    protected async Task<IReadOnlyList<Entity>> ExtractWithPackAsync(string text, DateOnly published)
    {
        IReadOnlyList<Entity> found;
        using (var store = await OpenPackStoreAsync())
        {
            found = await ExtractAsync(store, text, published);
        }

        SqliteConnection.ClearAllPools();
        return found;
    }

    /// <summary>The claims among <paramref name="found"/>, as (type, author, subject, sponsor).</summary>
    protected static List<(string Type, string? Author, string? Subject, string? Sponsor)> ClaimsOf(IEnumerable<Entity> found) =>
        found.Where(e => e.Kind == "claim").Select(e => (ClaimValue)e.Value).Select(c => (c.Type, c.Author, c.Subject, c.Sponsor)).ToList();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
    }
}
