using System.Text.Json;
using System.Text.Json.Serialization;
using ThreatLedger.Storage;

namespace ThreatLedger.Server;

/// <summary>
/// A TAXII collection: a view of the one store, limited to some object types (or all), readable and
/// writable by some roles. The default collection holds every accepted object.
/// </summary>
/// <param name="Id">Its id (a UUID).</param>
/// <param name="Title">Its title.</param>
/// <param name="Description">What it holds.</param>
/// <param name="Types">The STIX types it shows and accepts; null for all.</param>
/// <param name="CanRead">Roles that may read it.</param>
/// <param name="CanWrite">Roles that may add to it (and delete from it).</param>
public sealed record CollectionView(string Id, string Title, string? Description, IReadOnlyList<string>? Types, IReadOnlyList<Role> CanRead, IReadOnlyList<Role> CanWrite)
{
    /// <summary>Whether the view shows or accepts objects of <paramref name="type"/>.</summary>
    public bool Holds(string type) => Types is null || Types.Contains(type, StringComparer.Ordinal);
}

/// <summary>The collections of a store, kept in its settings (<c>collections</c>); the default one is built in.</summary>
public sealed class CollectionDirectory(IStixStore store)
{
    /// <summary>The default collection's id.</summary>
    public const string DefaultId = "365fed99-08fa-fdcd-a1b3-fb247eb41d01";

    private static readonly JsonSerializerOptions s_json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The built-in collection: every object, readable by all, writable by analysts and admins.</summary>
    public static CollectionView Default { get; } = new(DefaultId, "All accepted objects", "Every object in the ThreatLedger store that your clearance allows.", null, [Role.Reader, Role.Analyst, Role.Admin], [Role.Analyst, Role.Admin]);

    /// <summary>Every collection, the default first.</summary>
    public async Task<IReadOnlyList<CollectionView>> ListAsync(CancellationToken ct = default) =>
        [Default, .. await CustomAsync(ct).ConfigureAwait(false)];

    /// <summary>One collection, or null.</summary>
    /// <remarks>The default collection is built in, so asking for it reads nothing from the store (every TAXII read asks).</remarks>
    public async Task<CollectionView?> GetAsync(string id, CancellationToken ct = default) =>
        id == DefaultId ? Default : (await CustomAsync(ct).ConfigureAwait(false)).FirstOrDefault(c => c.Id == id);

    /// <summary>Adds a view; returns it with its new id.</summary>
    /// <exception cref="ArgumentException">No title, an unknown type name, or no role may read it.</exception>
    public async Task<CollectionView> AddAsync(string title, string? description, IReadOnlyList<string>? types, IReadOnlyList<Role> canRead, IReadOnlyList<Role> canWrite, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new ArgumentException("a collection needs a title", nameof(title));
        }

        if (types is not null && types.FirstOrDefault(t => !System.Text.RegularExpressions.Regex.IsMatch(t, "^[a-z0-9][a-z0-9-]{1,248}$")) is { } bad)
        {
            throw new ArgumentException($"'{bad}' is not a STIX type name (lower-case letters, digits and hyphens, e.g. intrusion-set)", nameof(types));
        }

        var view = new CollectionView(Guid.NewGuid().ToString(), title.Trim(), description, types?.Count > 0 ? types : null, canRead, canWrite);
        var all = (await CustomAsync(ct).ConfigureAwait(false)).Append(view).ToList();
        await store.SetSettingAsync("collections", JsonSerializer.Serialize(all, s_json), ct).ConfigureAwait(false);
        return view;
    }

    /// <summary>Removes a view (not the default one); true when it existed. The objects stay in the store.</summary>
    public async Task<bool> RemoveAsync(string id, CancellationToken ct = default)
    {
        var all = (await CustomAsync(ct).ConfigureAwait(false)).ToList();
        if (all.RemoveAll(c => c.Id == id) == 0)
        {
            return false;
        }

        await store.SetSettingAsync("collections", JsonSerializer.Serialize(all, s_json), ct).ConfigureAwait(false);
        return true;
    }

    private async Task<IReadOnlyList<CollectionView>> CustomAsync(CancellationToken ct) =>
        await store.GetSettingAsync("collections", ct).ConfigureAwait(false) is { } json
            ? JsonSerializer.Deserialize<List<CollectionView>>(json, s_json) ?? []
            : [];
}
