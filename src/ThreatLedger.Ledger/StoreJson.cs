using System.Text.Json.Nodes;
using ThreatLedger.Storage;

namespace ThreatLedger.Ledger;

/// <summary>The latest version of an object as a JSON tree (the ledger reads its objects this way).</summary>
internal static class StoreJson
{
    public static async Task<JsonNode?> GetAsync(IStixStore store, string id, AccessFilter? access) =>
        await store.GetAsync(id, access: access).ConfigureAwait(false) is { } o ? JsonNode.Parse(o.Json.Span) : null;

    public static async Task<string?> NameAsync(IStixStore store, string id, AccessFilter? access) =>
        (string?)(await GetAsync(store, id, access).ConfigureAwait(false))?["name"];
}
