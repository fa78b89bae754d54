using ThreatLedger.Stix;

namespace ThreatLedger.Storage;

/// <summary>A version the store already holds, as the planner needs it.</summary>
/// <param name="Id">The object id.</param>
/// <param name="VersionTicks">Its version (ticks).</param>
/// <param name="VersionText">Its version as stored.</param>
/// <param name="IsLatest">Whether it is the latest.</param>
/// <param name="Json">Its JSON, to tell an unchanged object from a conflicting one.</param>
internal sealed record ExistingVersion(string Id, long VersionTicks, string VersionText, bool IsLatest, byte[] Json);

/// <summary>One row to insert.</summary>
/// <param name="Object">The object.</param>
/// <param name="Version">Its version.</param>
/// <param name="DateAdded">Its date_added.</param>
/// <param name="IsLatest">Whether it becomes the latest (then the previous latest is demoted and its edges and search text replaced).</param>
/// <param name="ReplacesLatest">Whether a previous latest version exists (stored or earlier in the batch) that must be demoted.</param>
public sealed record PlannedInsert(PreparedObject Object, StixTimestamp Version, StixTimestamp DateAdded, bool IsLatest, bool ReplacesLatest = false);

/// <summary>
/// Decides, for a batch and what the store already holds, what each object becomes. The same code
/// serves every backend, so the put semantics cannot drift between them.
/// </summary>
internal static class PutPlanner
{
    /// <summary>date_added values are microseconds: what TAXII servers commonly give and PostgreSQL keeps.</summary>
    public const long TicksPerMicrosecond = 10;

    /// <summary>The first date_added for a new batch: now, but always after the last one given.</summary>
    public static long NextDateAddedTicks(TimeProvider clock, long lastTicks)
    {
        long now = clock.GetUtcNow().UtcTicks;
        now -= now % TicksPerMicrosecond;
        return Math.Max(now, lastTicks + TicksPerMicrosecond);
    }

    public static StixTimestamp DateAdded(long ticks) => new(new DateTime(ticks, DateTimeKind.Utc), 6);

    public static (List<PutItemResult> Results, List<PlannedInsert> Inserts) Plan(
        IReadOnlyList<PreparedObject> batch, IEnumerable<ExistingVersion> existing, long firstDateAddedTicks)
    {
        static bool Same(ExistingVersion stored, PreparedObject o) => PreparedObject.SameContent(stored.Json, o.Json);

        var byId = new Dictionary<string, List<ExistingVersion>>(StringComparer.Ordinal);
        foreach (var e in existing)
        {
            if (!byId.TryGetValue(e.Id, out var list))
            {
                byId[e.Id] = list = [];
            }

            list.Add(e);
        }

        var results = new List<PutItemResult>(batch.Count);
        var inserts = new List<PlannedInsert>();
        long next = firstDateAddedTicks;
        foreach (var o in batch)
        {
            byId.TryGetValue(o.Id, out var versions);
            versions ??= [];
            if (o.Unversioned)
            {
                if (versions.Count > 0)
                {
                    var stored = versions[0];
                    results.Add(Same(stored, o)
                        ? new PutItemResult(o.Index, o.Id, stored.VersionText, PutOutcome.Unchanged)
                        : new PutItemResult(o.Index, o.Id, stored.VersionText, PutOutcome.Failed,
                            $"{(o.Type == "marking-definition" ? "a marking definition" : "a cyber-observable")} with this id is already stored with different content; "
                            + "STIX 2.1 does not version these objects, so a changed one needs a new id"));
                    continue;
                }

                var added = DateAdded(next);
                next += TicksPerMicrosecond;
                inserts.Add(new PlannedInsert(o, added, added, true));
                Remember(byId, o, added, true);
                results.Add(new PutItemResult(o.Index, o.Id, added.ToString(), PutOutcome.Added));
                continue;
            }

            if (o.Version is not { } version)
            {
                results.Add(new PutItemResult(o.Index, o.Id, null, PutOutcome.Failed,
                    "the object has neither modified nor created, so it has no version; add created and modified"));
                continue;
            }

            var same = versions.Find(v => v.VersionTicks == version.Ticks);
            if (same is not null)
            {
                results.Add(Same(same, o)
                    ? new PutItemResult(o.Index, o.Id, same.VersionText, PutOutcome.Unchanged)
                    : new PutItemResult(o.Index, o.Id, version.ToString(), PutOutcome.Failed,
                        $"version {version} of {o.Id} is already stored with different content; a changed object needs a later modified timestamp"));
                continue;
            }

            var latest = versions.Find(v => v.IsLatest);
            bool isLatest = latest is null || version.Ticks > latest.VersionTicks;
            var dateAdded = DateAdded(next);
            next += TicksPerMicrosecond;
            inserts.Add(new PlannedInsert(o, version, dateAdded, isLatest, isLatest && latest is not null));
            if (isLatest && latest is not null)
            {
                versions[versions.IndexOf(latest)] = latest with { IsLatest = false };
            }

            Remember(byId, o, version, isLatest);
            results.Add(new PutItemResult(o.Index, o.Id, version.ToString(),
                latest is null ? PutOutcome.Added : isLatest ? PutOutcome.NewVersion : PutOutcome.OlderVersion));
        }

        return (results, inserts);
    }

    private static void Remember(Dictionary<string, List<ExistingVersion>> byId, PreparedObject o, StixTimestamp version, bool isLatest)
    {
        if (!byId.TryGetValue(o.Id, out var list))
        {
            byId[o.Id] = list = [];
        }

        list.Add(new ExistingVersion(o.Id, version.Ticks, version.ToString(), isLatest, o.Json));
    }
}
