using System.Globalization;
using System.Text.Json;
using ThreatLedger.Storage;

namespace ThreatLedger.Ledger;

/// <summary>What <see cref="StarterPack.EnsureAsync"/> did to a store.</summary>
/// <param name="Action">"loaded" (a new store), "upgraded" (from an older pack), "resumed" (a load that had been interrupted), "skipped" (a new store created empty) or "none".</param>
/// <param name="FromVersion">The pack version the store held before (0 for none).</param>
/// <param name="Summary">The import summary when parts were loaded.</param>
public sealed record PackOutcome(string Action, int FromVersion, ImportSummary? Summary);

/// <summary>
/// The starter pack (docs/adr/0003-attribution-ledger.md, point 6): STIX 2.1 data written by the
/// ThreatLedger team from public sources and embedded in the product. The pack is a series of
/// parts, <c>starter-pack/pack-N.json</c>: part 1 is the first release, each later part holds only
/// the new objects and new versions of that release. Every object has a fixed id, so loading a part
/// again adds nothing; a store records the version it holds in its settings, and an upgrade loads
/// only the parts above it.
/// </summary>
public static class StarterPack
{
    /// <summary>The current pack version: the number of the last part.</summary>
    public const int Version = 4;

    /// <summary>The store setting that records the pack version a store holds ("none" for a store created empty).</summary>
    public const string SettingKey = "starter_pack";

    private const string Loading = "loading";

    /// <summary>Opens the embedded part <paramref name="part"/> (UTF-8 JSON); the caller disposes the stream.</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such part.</exception>
    /// <exception cref="InvalidOperationException">The resource is missing from the assembly.</exception>
    public static Stream Open(int part)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(part, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(part, Version);
        string name = string.Create(CultureInfo.InvariantCulture, $"ThreatLedger.Ledger.starter-pack.pack-{part}.json");
        return typeof(StarterPack).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the starter pack resource '{name}' is missing");
    }

    /// <summary>The distinct ids in parts 1 to <paramref name="version"/>: what a store holding that pack version has from it.</summary>
    public static IReadOnlySet<string> ObjectIds(int version = Version)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int part = 1; part <= Math.Min(version, Version); part++)
        {
            using var s = Open(part);
            using var doc = JsonDocument.Parse(s);
            foreach (var o in doc.RootElement.GetProperty("objects").EnumerateArray())
            {
                ids.Add(o.GetProperty("id").GetString()!);
            }
        }

        return ids;
    }

    /// <summary>Imports the parts after <paramref name="fromVersion"/> into <paramref name="store"/>, in order; objects already stored come back as unchanged.</summary>
    /// <param name="store">The store to load.</param>
    /// <param name="fromVersion">The version the store already holds (0: load every part).</param>
    /// <param name="ct">Cancels the import.</param>
    public static async Task<ImportSummary> LoadAsync(IStixStore store, int fromVersion = 0, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var total = new ImportSummary();
        for (int part = Math.Max(1, fromVersion + 1); part <= Version; part++)
        {
            var input = Open(part);
            await using (input.ConfigureAwait(false))
            {
                total.Merge(await StixImporter.ImportAsync(store, input, $"starter-pack-{part}.json", cancellationToken: ct).ConfigureAwait(false));
            }
        }

        return total;
    }

    /// <summary>
    /// Brings the pack in <paramref name="store"/> up to date: a store this open created gets the whole
    /// pack (unless <paramref name="empty"/>), a store holding an older version gets the newer parts, an
    /// interrupted load is resumed. A store created empty, or one made before packs were recorded, is
    /// left alone (<c>threatledger pack load</c> adds the pack to it).
    /// </summary>
    /// <exception cref="InvalidOperationException">A part failed to load (the setting is left so the next open retries).</exception>
    public static async Task<PackOutcome> EnsureAsync(IStixStore store, bool empty = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        string? setting = await store.GetSettingAsync(SettingKey, ct).ConfigureAwait(false);
        string action;
        int from = 0;
        if (setting is null && store.Created)
        {
            if (empty)
            {
                await store.SetSettingAsync(SettingKey, "none", ct).ConfigureAwait(false);
                return new PackOutcome("skipped", 0, null);
            }

            action = "loaded";
        }
        else if (setting == Loading)
        {
            action = "resumed";
        }
        else if (int.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out from) && from < Version)
        {
            action = "upgraded";
        }
        else
        {
            return new PackOutcome("none", from, null);
        }

        return new PackOutcome(action, from, await InstallAsync(store, action == "upgraded" ? from : 0, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Loads the parts after <paramref name="fromVersion"/> and records the pack version in the store's
    /// settings; while it runs the setting says "loading", so an interrupted load is resumed on the next open.
    /// </summary>
    /// <exception cref="InvalidOperationException">A part failed to load (the setting stays "loading").</exception>
    public static async Task<ImportSummary> InstallAsync(IStixStore store, int fromVersion = 0, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await store.SetSettingAsync(SettingKey, Loading, ct).ConfigureAwait(false);
        var summary = await LoadAsync(store, fromVersion, ct).ConfigureAwait(false);
        if (summary.Failed > 0)
        {
            throw new InvalidOperationException($"the starter pack did not load: {summary.Failed} objects failed, first: {summary.Failures.FirstOrDefault()?.Message}");
        }

        await store.SetSettingAsync(SettingKey, Version.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        return summary;
    }

    /// <summary>The pack version <paramref name="store"/> holds: 0 when none (or unknown), -1 while a load is unfinished.</summary>
    public static async Task<int> InstalledVersionAsync(IStixStore store, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        string? setting = await store.GetSettingAsync(SettingKey, ct).ConfigureAwait(false);
        return setting == Loading ? -1 : int.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : 0;
    }
}
