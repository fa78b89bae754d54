using System.Collections.Concurrent;
using ThreatLedger.Ledger;
using ThreatLedger.Storage;

namespace ThreatLedger.Extraction;

/// <summary>An actor as the store knows it: its representative object, name and every alias.</summary>
/// <param name="Id">The representative object (the one <c>threatledger resolve</c> gives first).</param>
/// <param name="Name">Its name.</param>
/// <param name="Aliases">Every name of the entity.</param>
public sealed record ResolvedActor(string Id, string Name, IReadOnlyList<string> Aliases);

/// <summary>Resolves actor names to the store's entities (<see cref="EntityResolution"/>), remembering each answer: keep one per store for many documents.</summary>
public sealed class ActorResolver(IStixStore store, AccessFilter? access = null)
{
    private readonly ConcurrentDictionary<string, Task<ResolvedActor?>> _known = new(StringComparer.Ordinal);

    /// <summary>The entity behind <paramref name="name"/>, or null when the store has none.</summary>
    public Task<ResolvedActor?> ResolveAsync(string name, CancellationToken ct = default) =>
        _known.TryGetValue(name, out var known) ? known : _known.GetOrAdd(name, n => LookUpAsync(n, ct));

    private async Task<ResolvedActor?> LookUpAsync(string name, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var entity = await EntityResolution.ResolveAsync(store, name, access).ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        var aliases = await EntityResolution.AliasesAsync(store, name, access).ConfigureAwait(false);
        string representative = entity.Members.FirstOrDefault(x => x.Id == entity.RepresentativeId)?.Name ?? name;
        return new ResolvedActor(entity.RepresentativeId, representative, aliases.Select(a => a.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList());
    }
}
