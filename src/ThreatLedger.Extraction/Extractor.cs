using System.Globalization;
using System.Text.RegularExpressions;
using ThreatLedger.Ledger;
using ThreatLedger.Storage;

namespace ThreatLedger.Extraction;

/// <summary>What the extractor needs to know about a document.</summary>
public sealed record ExtractOptions
{
    /// <summary>ja, en, or null to detect.</summary>
    public string? Lang { get; init; }

    /// <summary>The publication date (relative dates are resolved against it).</summary>
    public DateOnly? Published { get; init; }

    /// <summary>Host names of the document's own site: links to them are references, not indicators.</summary>
    public IReadOnlySet<string>? OwnHosts { get; init; }
}

/// <summary>
/// Finds entities, indicators, dates and claims in a text, each with its spans and the alias or rule
/// that matched (issue 5). Known names come from the <see cref="Gazetteer"/> (store + built-in
/// vocabularies); actors are resolved to the store's entity (<see cref="EntityResolution"/>), so an
/// alias links to the group already known, never to a new one.
/// </summary>
public static partial class Extractor
{
    /// <summary>Detects Japanese by the share of kana and kanji among letters.</summary>
    public static string DetectLanguage(string text)
    {
        int cjk = 0, latin = 0;
        foreach (char c in text)
        {
            if (c is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF')
            {
                cjk++;
            }
            else if (char.IsAsciiLetter(c))
            {
                latin++;
            }
        }

        return cjk * 3 >= latin ? "ja" : "en";
    }

    /// <summary>Extracts everything from <paramref name="text"/>.</summary>
    public static async Task<IReadOnlyList<Entity>> ExtractAsync(string text, Gazetteer gazetteer, ExtractOptions options, IStixStore? store = null, AccessFilter? access = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(gazetteer);
        ArgumentNullException.ThrowIfNull(options);
        var mentions = Dictionary(text, gazetteer);
        var entities = new List<Entity>();
        var byKey = new Dictionary<(string Kind, string Key), Entity>();

        void Mention(string kind, string key, Func<Entity> create, int start, int end)
        {
            if (!byKey.TryGetValue((kind, key), out var e))
            {
                e = create();
                byKey[(kind, key)] = e;
                entities.Add(e);
            }

            if (!e.Spans.Any(s => s[0] == start && s[1] == end))
            {
                e.Spans.Add([start, end]);
            }
        }

        // Known names: actors are resolved to one entity whatever alias is used.
        var resolved = new Dictionary<string, (string Id, string Name, IReadOnlyList<string> Aliases)?>(StringComparer.Ordinal);
        foreach (var m in mentions)
        {
            string surface = text[m.Start..m.End];
            if (m.Entry.Kind == "threat-actor" && store is not null)
            {
                if (!resolved.TryGetValue(m.Entry.Value, out var r))
                {
                    var entity = await EntityResolution.ResolveAsync(store, m.Entry.Value, access).ConfigureAwait(false);
                    if (entity is not null)
                    {
                        var aliases = await EntityResolution.AliasesAsync(store, m.Entry.Value, access).ConfigureAwait(false);
                        string name = entity.Members.FirstOrDefault(x => x.Id == entity.RepresentativeId)?.Name ?? m.Entry.Value;
                        r = (entity.RepresentativeId, name, aliases.Select(a => a.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList());
                    }

                    resolved[m.Entry.Value] = r;
                }

                if (r is { } hit)
                {
                    Mention("threat-actor", hit.Id, () => new Entity { Kind = "threat-actor", Text = surface, Value = hit.Name, Id = hit.Id, Aliases = hit.Aliases, Rule = m.Entry.Rule }, m.Start, m.End);
                    continue;
                }
            }

            Mention(m.Entry.Kind, m.Entry.Id ?? m.Entry.Value, () => new Entity { Kind = m.Entry.Kind, Text = surface, Value = m.Entry.Value, Id = m.Entry.Id, Rule = m.Entry.Rule }, m.Start, m.End);
        }

        foreach (Match m in CveRegex().Matches(text))
        {
            string id = Regex.Replace(m.Value.ToUpperInvariant(), @"[\s‐‑–—_]", "-");
            Mention("vulnerability", id, () => new Entity { Kind = "vulnerability", Text = m.Value, Value = id, Rule = "CVE id" }, m.Index, m.Index + m.Length);
        }

        foreach (var (kind, value, start, end, rule) in Iocs.Find(text, options.OwnHosts is null ? null : new HashSet<string>(options.OwnHosts, StringComparer.OrdinalIgnoreCase)))
        {
            // A domain inside a name already recognised (a product, an actor) is not an indicator.
            if (kind == "domain" && mentions.Any(x => start < x.End && x.Start < end))
            {
                continue;
            }

            Mention(kind, value, () => new Entity { Kind = kind, Text = text[start..end], Value = value, Rule = rule }, start, end);
        }

        var dates = Dates.Find(text, options.Published).ToList();
        foreach (var (value, start, end, rule) in dates)
        {
            Mention("date", value, () => new Entity { Kind = "date", Text = text[start..end], Value = value, Rule = rule }, start, end);
        }

        entities.AddRange(Claims.Find(text, entities, dates, options.Published));
        return entities;
    }

    // Dictionary matches in original offsets, with the boundary and context rules applied, longest first.
    private static List<(int Start, int End, GazetteerEntry Entry)> Dictionary(string text, Gazetteer gazetteer)
    {
        var folded = MatchText.Of(text);
        var candidates = new List<(int Start, int End, GazetteerEntry Entry)>();
        foreach (var (fs, fe, entry) in gazetteer.Matches(folded.Text))
        {
            int start = folded.Start(fs), end = folded.End(fe - 1);
            string surface = text[start..end];

            // Latin names do not fire inside longer Latin words (Tick in Ticket), but do next to kana and kanji (APT40は).
            if ((start > 0 && char.IsAsciiLetterOrDigit(text[start - 1]) && char.IsAsciiLetterOrDigit(text[start]))
                || (end < text.Length && char.IsAsciiLetterOrDigit(text[end]) && char.IsAsciiLetterOrDigit(text[end - 1])))
            {
                continue;
            }

            if (entry.CaseSensitive && !string.Equals(Letters(surface), Letters(entry.Surface), StringComparison.Ordinal))
            {
                continue;
            }

            candidates.Add((start, end, entry));
        }

        // Longest first; a shorter match inside a kept longer one goes (中国 inside 中国国家安全部), equal spans stay together.
        var kept = new List<(int Start, int End, GazetteerEntry Entry)>();
        foreach (var c in candidates.OrderByDescending(c => c.End - c.Start).ThenBy(c => c.Start))
        {
            if (!kept.Any(k => c.Start < k.End && k.Start < c.End && !(k.Start == c.Start && k.End == c.End)))
            {
                kept.Add(c);
            }
        }

        // One-character Japanese forms (米, 英, 日) count only in ・-lists (米・EU・英・日), next to another name (日米) or before 政府, 側, 軍…
        var singles = kept.Where(k => k.End - k.Start == 1 && text[k.Start] > 0x3000).ToList();
        foreach (var s in singles)
        {
            bool listed = (s.End < text.Length && text[s.End] == '・') || (s.Start > 0 && text[s.Start - 1] == '・')
                || kept.Any(o => !(o.Start == s.Start && o.End == s.End) && (o.End == s.Start || o.Start == s.End));
            bool governed = s.End < text.Length && Regex.IsMatch(text[s.End..Math.Min(text.Length, s.End + 3)], "^(政府|政権|側|軍|当局|首相|大統領|外務|国防|司法)");
            bool afterDigit = s.Start > 0 && char.IsDigit(text[s.Start - 1]);
            if (!(listed || governed) || afterDigit)
            {
                kept.RemoveAll(k => k.Start == s.Start && k.End == s.End);
            }
        }

        return kept.OrderBy(k => k.Start).ToList();
    }

    private static string Letters(string s) => new(s.Where(char.IsLetterOrDigit).ToArray());

    [GeneratedRegex(@"(?<![A-Za-z0-9])CVE[-‐‑–—_ ]?\d{4}[-‐‑–—_ ]\d{4,7}(?!\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CveRegex();

    internal static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
