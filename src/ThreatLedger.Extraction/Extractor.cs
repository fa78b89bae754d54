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

    /// <summary>Host names (lower case) of the document's own site: links to them are references, not indicators.</summary>
    public IReadOnlySet<string>? OwnHosts { get; init; }

    /// <summary>Surface forms rejected in review, as (kind, <see cref="MatchText.Key"/>): not reported again.</summary>
    public IReadOnlySet<(string Kind, string Key)>? FalsePositives { get; init; }
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

    /// <summary>Extracts everything from <paramref name="text"/>; actors are resolved through <paramref name="store"/> (a new resolver each call).</summary>
    public static Task<IReadOnlyList<Entity>> ExtractAsync(string text, Gazetteer gazetteer, ExtractOptions options, IStixStore? store = null, AccessFilter? access = null, CancellationToken ct = default) =>
        ExtractAsync(text, gazetteer, options, store is null ? null : new ActorResolver(store, access), ct);

    /// <summary>Extracts everything from <paramref name="text"/>; <paramref name="resolver"/> (kept across documents) links actors to the store's entities.</summary>
    public static async Task<IReadOnlyList<Entity>> ExtractAsync(string text, Gazetteer gazetteer, ExtractOptions options, ActorResolver? resolver, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(gazetteer);
        ArgumentNullException.ThrowIfNull(options);
        // Indicators first: a name inside one (uk in evil.co.uk, a group's name in a URL path) is not a mention.
        var iocs = Iocs.Find(text, options.OwnHosts).ToList();
        var inIoc = new Taken(text.Length);
        foreach (var ioc in iocs.Where(i => i.Kind is "domain" or "url" or "email"))
        {
            inIoc.Add(ioc.Start, ioc.End);
        }

        var mentions = Dictionary(text, gazetteer).Where(m => inIoc.Free(m.Start, m.End)).ToList();
        var covered = new Taken(text.Length);
        foreach (var m in mentions)
        {
            covered.Add(m.Start, m.End);
        }

        var found = new Found(text, options.FalsePositives);

        // Known names: actors are resolved to one entity whatever alias is used.
        foreach (var m in mentions)
        {
            if (m.Entry.Kind == "threat-actor" && resolver is not null && await resolver.ResolveAsync(m.Entry.Value, ct).ConfigureAwait(false) is { } hit)
            {
                if (!found.Seen("threat-actor", hit.Id, m.Start, m.End))
                {
                    found.Add("threat-actor", hit.Id, new Entity { Kind = "threat-actor", Text = text[m.Start..m.End], Value = hit.Name, Id = hit.Id, Aliases = hit.Aliases, Rule = m.Entry.Rule }, m.Start, m.End);
                }

                continue;
            }

            string key = m.Entry.Id ?? m.Entry.Value;
            if (!found.Seen(m.Entry.Kind, key, m.Start, m.End))
            {
                found.Add(m.Entry.Kind, key, new Entity { Kind = m.Entry.Kind, Text = text[m.Start..m.End], Value = m.Entry.Value, Id = m.Entry.Id, Rule = m.Entry.Rule }, m.Start, m.End);
            }
        }

        // Names the store does not hold, by the vendors' naming schemes: candidates, only where no known name and no indicator is
        // (a group the store knows under any alias stays the dictionary's linked match).
        foreach (var (value, start, end, rule) in ActorNames.Find(text, covered) ?? [])
        {
            if (!covered.Free(start, end) || !inIoc.Free(start, end))
            {
                continue;
            }

            covered.Add(start, end);

            // ボルト・タイフーン beside Volt Typhoon is another spelling of the group the text already names: a mention of it, not a new group.
            if (value.Contains('・', StringComparison.Ordinal) && found.Entities.Find(e => e.Kind == "threat-actor" && e.Id is not null
                && (ActorNames.SameAsLatin(value, (string)e.Value) || e.Aliases?.Any(a => ActorNames.SameAsLatin(value, a)) == true)) is { } known)
            {
                found.Seen("threat-actor", known.Id!, start, end);
                continue;
            }

            if (!found.Seen("threat-actor", value, start, end))
            {
                found.Add("threat-actor", value, new Entity { Kind = "threat-actor", Text = text[start..end], Value = value, Rule = rule, Score = ActorNames.Score }, start, end);
            }
        }

        foreach (Match m in text.Contains("cve", StringComparison.OrdinalIgnoreCase) ? CveRegex().Matches(text) : Enumerable.Empty<Match>())
        {
            string id = CveId(m.Value);
            if (!found.Seen("vulnerability", id, m.Index, m.Index + m.Length))
            {
                found.Add("vulnerability", id, new Entity { Kind = "vulnerability", Text = m.Value, Value = id, Rule = "CVE id" }, m.Index, m.Index + m.Length);
            }
        }

        foreach (var (kind, value, start, end, rule) in iocs)
        {
            // A domain inside a name already recognised (a product, an actor) is not an indicator.
            if ((kind == "domain" && !covered.Free(start, end)) || found.Seen(kind, value, start, end))
            {
                continue;
            }

            found.Add(kind, value, new Entity { Kind = kind, Text = text[start..end], Value = value, Rule = rule }, start, end);
        }

        var dates = Dates.Find(text, options.Published).ToList();
        foreach (var (value, start, end, rule) in dates)
        {
            if (!found.Seen("date", value, start, end))
            {
                found.Add("date", value, new Entity { Kind = "date", Text = text[start..end], Value = value, Rule = rule }, start, end);
            }
        }

        var entities = found.Entities;
        entities.AddRange(Claims.Find(text, entities, dates, options.Published));
        return entities;
    }

    // Dictionary matches in original offsets, with the boundary and context rules applied, in text order
    // (a list owned by this thread's scratch buffers: copy it before the next call).
    private static List<(int Start, int End, GazetteerEntry Entry)> Dictionary(string text, Gazetteer gazetteer)
    {
        // The folded text in this thread's scratch buffers (a report's worth of characters and offsets each time).
        var scratch = Scratch.For(text.Length);
        var matches = scratch.Matches;
        matches.Clear();
        int n = MatchText.FoldInto(text, scratch.Chars, scratch.Starts, scratch.Ends);
        gazetteer.Matches(scratch.Chars.AsSpan(0, n), matches);
        for (int k = 0; k < matches.Count; k++)
        {
            matches[k] = (scratch.Starts[matches[k].Start], scratch.Ends[matches[k].End - 1], matches[k].Entry);
        }

        var candidates = scratch.Candidates;
        candidates.Clear();
        foreach (var (start, end, entry) in matches)
        {

            // Latin names do not fire inside longer Latin words (Tick in Ticket), but do next to kana and kanji (APT40は).
            if ((start > 0 && char.IsAsciiLetterOrDigit(text[start - 1]) && char.IsAsciiLetterOrDigit(text[start]))
                || (end < text.Length && char.IsAsciiLetterOrDigit(text[end]) && char.IsAsciiLetterOrDigit(text[end - 1])))
            {
                continue;
            }

            if (entry.CaseSensitive && !SameLetters(text.AsSpan(start, end - start), entry.Surface))
            {
                continue;
            }

            candidates.Add((start, end, entry));
        }

        // Longest first; a shorter match inside a kept longer one goes (中国 inside 中国国家安全部), equal spans stay together.
        // owner[i] is 1 + the index of the kept span covering character i (linear in the text, however many matches).
        var owner = scratch.Owner;
        Array.Clear(owner, 0, text.Length + 1);
        var kept = scratch.Kept;
        kept.Clear();
        {
            candidates.Sort((x, y) => (y.End - y.Start) != (x.End - x.Start) ? (y.End - y.Start) - (x.End - x.Start) : x.Start - y.Start);
            foreach (var c in candidates)
            {
                bool clash = false;
                for (int i = c.Start; i < c.End && !clash; i++)
                {
                    clash = owner[i] != 0 && (kept[owner[i] - 1].Start != c.Start || kept[owner[i] - 1].End != c.End);
                }

                // A country named inside an organisation's name (the Government of the United Kingdom, 中国政府) is a mention of the country too;
                // so are a product, an attack type and a country inside a campaign's name (the SolarWinds Orion supply-chain compromise).
                if (clash && owner[c.Start] != 0 && kept[owner[c.Start] - 1] is var outer && outer.Start <= c.Start && c.End <= outer.End
                    && ((c.Entry.Kind == "country" && outer.Entry.Kind == "organization") || (c.Entry.Kind is "country" or "product" or "attack-type" && outer.Entry.Kind == "campaign")))
                {
                    kept.Add(c);
                    continue;
                }

                // A generic ministry name right after another country's name (中国外務省, ドイツ外務省) is that country's ministry, not the one in the store.
                // The country name is shorter than the ministry's (中国 before 外務省) and so not kept yet: the candidates are looked at.
                if (!clash && c.Entry.Kind == "organization" && c.Start > 0 && s_genericOrgans.Contains(c.Entry.Surface) && ForeignNameEndsAt(candidates, c.Start, c.Entry.Value))
                {
                    continue;
                }

                if (!clash)
                {
                    kept.Add(c);
                    if (owner[c.Start] == 0)
                    {
                        Array.Fill(owner, kept.Count, c.Start, c.End - c.Start);
                    }
                }
            }

            // One-character Japanese forms (米, 英, 日) count only in ・-lists (米・EU・英・日), next to another name (日米) or before 政府, 側, 軍…
            HashSet<int>? dropped = null;
            foreach (var k in kept)
            {
                int s = k.Start;
                if (k.End - s != 1 || text[s] <= 0x3000 || dropped?.Contains(s) == true)
                {
                    continue;
                }

                bool listed = (s + 1 < text.Length && text[s + 1] == '・') || (s > 0 && text[s - 1] == '・')
                    || (s > 0 && owner[s - 1] != 0) || (s + 1 < text.Length && owner[s + 1] != 0);
                bool governed = s + 1 < text.Length && Governed(text.AsSpan(s + 1));
                bool afterDigit = s > 0 && char.IsDigit(text[s - 1]);
                if (!(listed || governed) || afterDigit)
                {
                    (dropped ??= []).Add(s);
                }
            }

            if (dropped is not null)
            {
                kept.RemoveAll(k => k.End - k.Start == 1 && dropped.Contains(k.Start));
            }
        }

        // In text order; stable (insertion sort of a few dozen), so equal spans keep the longest-first order.
        for (int i = 1; i < kept.Count; i++)
        {
            var k = kept[i];
            int j = i - 1;
            while (j >= 0 && kept[j].Start > k.Start)
            {
                kept[j + 1] = kept[j];
                j--;
            }

            kept[j + 1] = k;
        }

        return kept;
    }

    // What a text mentions, one entity per (kind, key) with all its spans; rejected surface forms are left out.
    private sealed class Found(string text, IReadOnlySet<(string Kind, string Key)>? rejected)
    {
        private readonly Dictionary<(string Kind, string Key), int> _byKey = [];

        public List<Entity> Entities { get; } = [];

        // True when nothing is left to do: the entity exists (the span is added to it) or the surface was rejected in review.
        public bool Seen(string kind, string key, int start, int end)
        {
            if (rejected is { Count: > 0 } && rejected.Contains((kind, MatchText.Key(text[start..end]))))
            {
                return true;
            }

            if (!_byKey.TryGetValue((kind, key), out int index))
            {
                return false;
            }

            // A span is recorded once (the same characters can be matched through two names of one entity).
            var spans = Entities[index].Spans;
            foreach (var span in spans)
            {
                if (span[0] == start && span[1] == end)
                {
                    return true;
                }
            }

            spans.Add([start, end]);
            return true;
        }

        // A new entity (after Seen said there is none), with its first span.
        public void Add(string kind, string key, Entity entity, int start, int end)
        {
            int index = Entities.Count;
            _byKey[(kind, key)] = index;
            Entities.Add(entity);
            entity.Spans.Add([start, end]);
        }
    }

    // Buffers reused by one thread's calls: the folded text, its offsets, and the owner of each character.
    private sealed class Scratch
    {
        [ThreadStatic]
        private static Scratch? t_current;

        public char[] Chars = [];
        public int[] Starts = [];
        public int[] Ends = [];
        public int[] Owner = [];

        // The automaton's matches, those that pass the boundary rules, and those kept (the caller copies them).
        public readonly List<(int Start, int End, GazetteerEntry Entry)> Matches = [];
        public readonly List<(int Start, int End, GazetteerEntry Entry)> Candidates = [];
        public readonly List<(int Start, int End, GazetteerEntry Entry)> Kept = [];

        public static Scratch For(int length)
        {
            if (length >= 1 << 20)
            {
                // A very large document gets buffers of its own, not kept for the thread's lifetime.
                return new Scratch { Chars = new char[length + 1], Starts = new int[length + 1], Ends = new int[length + 1], Owner = new int[length + 1] };
            }

            var s = t_current ??= new Scratch();
            if (s.Chars.Length < length + 1)
            {
                int size = Math.Max(length + 1, s.Chars.Length * 2);
                (s.Chars, s.Starts, s.Ends, s.Owner) = (new char[size], new int[size], new int[size], new int[size]);
            }

            return s;
        }
    }

    // Whether a country's or organisation's name other than the organ's own country (Japan for 外務省, the United States for
    // Department of Justice) ends right where the organ's name starts. Only run for generic organ names, which are rare.
    private static bool ForeignNameEndsAt(List<(int Start, int End, GazetteerEntry Entry)> candidates, int at, string organ)
    {
        string home = organ.EndsWith("of Japan", StringComparison.Ordinal) ? "JP" : organ.StartsWith("United States", StringComparison.Ordinal) ? "US" : string.Empty;
        foreach (var (_, end, entry) in candidates)
        {
            if (end != at || entry.Kind is not ("country" or "organization"))
            {
                continue;
            }

            string country = entry.Kind == "country" ? entry.Value : entry.Value switch
            {
                "Government of Japan" => "JP",
                "Government of the United States" => "US",
                _ => entry.Value,
            };
            if (country != home)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly HashSet<string> s_genericOrgans = new(StringComparer.Ordinal) { "外務省", "警察庁", "国防省", "司法省", "財務省", "Ministry of Foreign Affairs", "Foreign Ministry", "Department of Justice", "Treasury" };

    private static readonly string[] s_governedBy = ["政府", "政権", "側", "軍", "当局", "首相", "大統領", "外務", "国防", "司法"];

    private static bool Governed(ReadOnlySpan<char> after)
    {
        foreach (var w in s_governedBy)
        {
            if (after.StartsWith(w, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // The same letters and digits in the same case, whatever else lies between them (Tick, T-ick).
    private static bool SameLetters(ReadOnlySpan<char> a, string b)
    {
        int i = 0, j = 0;
        while (true)
        {
            while (i < a.Length && !char.IsLetterOrDigit(a[i]))
            {
                i++;
            }

            while (j < b.Length && !char.IsLetterOrDigit(b[j]))
            {
                j++;
            }

            if (i == a.Length || j == b.Length)
            {
                return i == a.Length && j == b.Length;
            }

            if (a[i++] != b[j++])
            {
                return false;
            }
        }
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9])CVE[-‐‑–—_ ]?\d{4}[-‐‑–—_ ]\d{4,7}(?!\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CveRegex();

    // CVE-2021-26855 from any of the spellings the pattern accepts (cve 2021 26855, CVE‐2021‐26855, CVE_2021_26855).
    private static string CveId(string written) => string.Create(written.Length, written, static (span, w) =>
    {
        for (int i = 0; i < w.Length; i++)
        {
            char c = w[i];
            span[i] = char.IsWhiteSpace(c) || c is '‐' or '‑' or '–' or '—' or '_' ? '-' : char.ToUpperInvariant(c);
        }
    });

    internal static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
