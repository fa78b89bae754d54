using System.Collections.Concurrent;
using System.Diagnostics;

namespace ThreatLedger.Server;

/// <summary>
/// Failed logins per address in a fixed window: once an address has used its budget, its requests are
/// turned away (429) before any credential is checked, until the window ends.
/// </summary>
internal sealed class FailureBudget(int failures, TimeSpan window)
{
    private readonly ConcurrentDictionary<string, (int Count, long Since)> _seen = new(StringComparer.Ordinal);
    private readonly long _window = (long)(window.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Whether <paramref name="key"/> has used its budget in the current window.</summary>
    public bool Exhausted(string key) =>
        _seen.TryGetValue(key, out var e) && Stopwatch.GetTimestamp() - e.Since < _window && e.Count >= failures;

    /// <summary>Counts a failed login from <paramref name="key"/>.</summary>
    public void Record(string key)
    {
        long now = Stopwatch.GetTimestamp();
        if (_seen.Count > 100_000)
        {
            _seen.Clear();
        }

        _seen.AddOrUpdate(key, _ => (1, now), (_, e) => now - e.Since >= _window ? (1, now) : (e.Count + 1, e.Since));
    }
}
