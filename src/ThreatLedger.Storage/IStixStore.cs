using ThreatLedger.Stix;

namespace ThreatLedger.Storage;

/// <summary>
/// A versioned STIX store (semantics in docs/adr/0002-versioned-store.md). Every backend passes the
/// same conformance suite. Stores are safe to use from several threads; writes are serialised.
/// </summary>
public interface IStixStore : IDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    public string Backend { get; }

    /// <summary>True when opening this store created it (a new file or a database without ThreatLedger's tables).</summary>
    public bool Created { get; }

    /// <summary>A store setting (e.g. which starter pack version it holds); null when unset.</summary>
    public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Appends an entry to the audit log (its own transaction; the log is never rewritten).</summary>
    public Task AuditAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The newest audit entries, newest first.</summary>
    public Task<IReadOnlyList<AuditEntry>> AuditLogAsync(int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Sets a store setting, in its own transaction.</summary>
    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a batch in one transaction: all of it or none of it. Same id and version with the same
    /// content is unchanged; a new version is added; SCOs and marking definitions are never versioned.
    /// </summary>
    /// <returns>One result per object, in input order.</returns>
    public Task<IReadOnlyList<PutItemResult>> PutAsync(IReadOnlyList<PreparedObject> batch, CancellationToken cancellationToken = default);

    /// <summary>
    /// One object: the latest version, or the version given; with <paramref name="asOf"/>, as the store
    /// knew it at that moment. Null when there is no such object (or the caller may not see it).
    /// </summary>
    public Task<StoredObject?> GetAsync(string id, StixTimestamp? version = null, StixTimestamp? asOf = null, AccessFilter? access = null, CancellationToken cancellationToken = default);

    /// <summary>Every version of one object, oldest first (as the store knew them at <paramref name="asOf"/>).</summary>
    public Task<IReadOnlyList<StoredObject>> GetVersionsAsync(string id, StixTimestamp? asOf = null, AccessFilter? access = null, CancellationToken cancellationToken = default);

    /// <summary>A TAXII-style page of objects in date_added order.</summary>
    /// <exception cref="FormatException">The <see cref="ObjectQuery.Next"/> cursor is not one this store issued.</exception>
    public Task<Page<StoredObject>> QueryAsync(ObjectQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same page as <see cref="QueryAsync"/>, written as JSON: the objects exactly as stored,
    /// separated by commas (the inside of a JSON array), into <paramref name="output"/>. Servers use it
    /// to send a page without materialising one object per row.
    /// </summary>
    public async Task<JsonPage> QueryJsonAsync(ObjectQuery query, System.Buffers.IBufferWriter<byte> output, CancellationToken cancellationToken = default)
    {
        var page = await QueryAsync(query, cancellationToken).ConfigureAwait(false);
        return JsonPage.Write(page, output);
    }

    /// <summary>The same page as <see cref="QueryAsync"/>, as manifest entries.</summary>
    public Task<Page<ManifestEntry>> ManifestAsync(ObjectQuery query, CancellationToken cancellationToken = default);

    /// <summary>Walks the graph from <paramref name="id"/> (breadth first, nearest first).</summary>
    public Task<IReadOnlyList<Neighbor>> NeighborsAsync(string id, NeighborQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every edge at <paramref name="id"/> (not one per neighbour, as <see cref="NeighborsAsync"/> gives):
    /// e.g. all the <c>attributed-to</c> claims about a group, several of which reach the same sponsor.
    /// Edges whose relationship or far end the caller may not see are left out.
    /// </summary>
    public Task<IReadOnlyList<Neighbor>> EdgesAsync(string id, EdgeDirection direction, IReadOnlyList<string>? kinds = null, AccessFilter? access = null, int limit = 10_000, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes versions of one object (all of them by default; TAXII <c>match[version]</c> otherwise), with
    /// their edges and search entries. When the latest version goes and older ones stay, the newest of
    /// those becomes the latest again, indexed anew, with a new date_added (the store learned it anew).
    /// </summary>
    /// <returns>How many versions were deleted (0 when none matched).</returns>
    public Task<int> DeleteAsync(string id, VersionFilter? versions = null, CancellationToken cancellationToken = default);

    /// <summary>Full-text search over the latest versions, best first.</summary>
    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default);

    /// <summary>Counts (of what <paramref name="access"/> may see).</summary>
    public Task<StoreStats> StatsAsync(AccessFilter? access = null, CancellationToken cancellationToken = default);
}
