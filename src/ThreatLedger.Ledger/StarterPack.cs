using ThreatLedger.Storage;

namespace ThreatLedger.Ledger;

/// <summary>
/// The starter pack (docs/adr/0003-attribution-ledger.md, point 6): STIX 2.1 data written by the
/// ThreatLedger team from public sources and embedded in the product. Every object has a fixed id,
/// so loading the pack again adds nothing, and loading a newer pack adds only new objects and
/// new versions.
/// </summary>
public static class StarterPack
{
    /// <summary>The pack's version; the embedded bundle is <c>starter-pack/pack-{Version}.json</c>.</summary>
    public const int Version = 1;

    /// <summary>The embedded resource's name.</summary>
    internal const string ResourceName = "ThreatLedger.Ledger.starter-pack.pack-1.json";

    /// <summary>Opens the embedded bundle (UTF-8 JSON); the caller disposes the stream.</summary>
    /// <exception cref="InvalidOperationException">The resource is missing from the assembly.</exception>
    public static Stream Open() =>
        typeof(StarterPack).Assembly.GetManifestResourceStream(ResourceName)
        ?? throw new InvalidOperationException($"the starter pack resource '{ResourceName}' is missing");

    /// <summary>Imports the pack into <paramref name="store"/>; objects already stored come back as unchanged.</summary>
    /// <param name="store">The store to load.</param>
    /// <param name="ct">Cancels the import.</param>
    public static async Task<ImportSummary> LoadAsync(IStixStore store, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var input = Open();
        await using (input.ConfigureAwait(false))
        {
            return await StixImporter.ImportAsync(store, input, $"starter-pack-{Version}.json", cancellationToken: ct).ConfigureAwait(false);
        }
    }
}
