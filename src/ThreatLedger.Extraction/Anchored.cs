using System.Buffers;
using System.Text.RegularExpressions;

namespace ThreatLedger.Extraction;

/// <summary>
/// Runs a pattern only near its anchor: for patterns whose every match holds an anchor (a literal such
/// as <c>//</c> or <c>年</c>) at most <c>before</c> characters after the match's start, but whose first
/// character class would be tried at almost every letter or digit of a text. Each search starts at the
/// earlier of the previous match's end and a little before the next anchor, so the matches are exactly
/// those a scan of the whole text gives.
/// </summary>
internal static class Anchored
{
    /// <summary>The matches of <paramref name="regex"/> in <paramref name="text"/>, searched from each <paramref name="anchor"/>.</summary>
    public static IEnumerable<Match> Matches(Regex regex, string text, string anchor, int before) =>
        Matches(regex, text, before, from => text.IndexOf(anchor, from, StringComparison.Ordinal));

    /// <summary>The matches of <paramref name="regex"/>, searched from each of several anchors.</summary>
    public static IEnumerable<Match> Matches(Regex regex, string text, SearchValues<string> anchors, int before) =>
        Matches(regex, text, before, from => text.AsSpan(from).IndexOfAny(anchors) is var at and >= 0 ? from + at : -1);

    private static IEnumerable<Match> Matches(Regex regex, string text, int before, Func<int, int> nextAnchor)
    {
        int from = 0;
        while (from < text.Length)
        {
            int at = nextAnchor(from);
            if (at < 0 || regex.Match(text, Math.Max(from, at - before)) is not { Success: true } m)
            {
                yield break;
            }

            yield return m;
            from = m.Index + Math.Max(1, m.Length);
        }
    }
}
