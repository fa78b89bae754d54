using System.Buffers;
using System.Text;

namespace ThreatLedger.Extraction;

/// <summary>
/// Threat-actor names the store does not hold, recognised by the naming schemes vendors document
/// (ADR 0005, decision 11): Mandiant's APT41, UNC3886, FIN7, TEMP.Veles; Microsoft's weather families
/// (Salt Typhoon, Star Blizzard…) and Storm-0558, DEV-0537; Proofpoint's TA453; Cisco Talos's UAT4356;
/// Trend Micro's Earth Lusca; Secureworks' BRONZE PRESIDENT; CrowdStrike's animals (Charming Kitten);
/// and, in Japanese, the katakana forms ending in タイフーン, ブリザード or パンダ. Each name is returned
/// in the scheme's canonical spelling; the extractor keeps only those the dictionary left free.
/// </summary>
internal static class ActorNames
{
    /// <summary>How sure a scheme match is: below a dictionary match, which names a group the store knows.</summary>
    public const double Score = 0.8;

    private static readonly string[] s_weather = ["Typhoon", "Blizzard", "Sleet", "Sandstorm", "Tempest", "Hail", "Cyclone", "Dust", "Flood", "Rain", "Tsunami"];
    private static readonly string[] s_animals = ["Panda", "Bear", "Chollima", "Kitten", "Spider", "Jackal", "Tiger", "Buffalo", "Leopard", "Ocelot", "Crane", "Lynx"];
    private static readonly string[] s_elements = ["ALUMINUM", "BRONZE", "COBALT", "COPPER", "GOLD", "IRON", "NICKEL", "PLATINUM", "TIN", "ZINC"];
    private static readonly string[] s_japaneseFamilies = ["タイフーン", "ブリザード", "パンダ"];

    // Every name holds one of these literals, case-sensitive: the prefixes, and the family words with the space before them
    // (the first word is read backwards from there). Everything else runs only at these places. Two sets, not one: .NET's
    // vectorised search slows down sharply with sixty-odd values in one set (14 ms against 6 ms for both halves on 8 MB).
    private static readonly SearchValues<string> s_prefixAnchors = SearchValues.Create(
        ["APT", "UNC", "FIN", "TEMP.", "Storm", "STORM", "DEV", "Dev", "TA", "UAT", "Earth ", .. s_elements.Select(e => e + " ")],
        StringComparison.Ordinal);

    // Ignoring case: half as many values as listing the title-case and upper-case forms, and twice as fast; FamilyAt
    // accepts only those two forms.
    private static readonly SearchValues<string> s_familyAnchors = SearchValues.Create(
        [.. s_weather.Select(w => " " + w), .. s_animals.Select(a => " " + a)],
        StringComparison.OrdinalIgnoreCase);

    // First words that make a family word an everyday phrase, not a name: articles and pronouns, months and days,
    // and the words that name weather, animals, machines and metaphors (Heavy Rain, Red Panda, Polar Bear,
    // Snow Leopard, Tower Crane, Russian Bear, Eurofighter Typhoon). Compared ignoring case.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> s_commonFirstWords = new HashSet<string>(
        ["The", "A", "An", "This", "That", "These", "Those", "Our", "Your", "Their", "His", "Her", "Its", "My", "One", "Two", "Each", "Every", "Any", "Some", "No",
         "Of", "In", "On", "At", "For", "With", "From", "By", "To", "And", "Or", "But", "As", "If", "New", "Old", "Mr", "Mrs", "Ms", "Dr", "Operation",
         "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
         "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Spring", "Summer", "Autumn", "Fall", "Winter",
         "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Downtown",
         // weather and its machines
         "Heavy", "Light", "Acid", "Flash", "Freezing", "Tropical", "Super", "Severe", "Strong", "Deadly", "Massive", "Sudden", "Perfect", "Desert", "Monsoon",
         "Torrential", "Cosmic", "Fairy", "Purple", "Black", "Golden", "Gold", "Snow", "Sand", "Ice", "Eurofighter", "Hawker", "Pontiac",
         // animals, toys and metaphors
         "Big", "Great", "Little", "Baby", "Mother", "Mama", "Papa", "Giant", "Lesser", "Red", "Polar", "Brown", "Grizzly", "Teddy", "Sun", "Moon", "Sloth", "Spectacled",
         "Kodiak", "Pooh", "Yogi", "Care", "Smokey", "Paddington", "Gummy", "Panda", "Fu", "Trash", "Clouded", "Amur", "Persian", "Arabian", "African", "Asian", "American",
         "Bengal", "Siberian", "Sumatran", "Malayan", "Tasmanian", "White", "Paper", "Tamil", "Celtic", "Crouching", "Water", "Cape", "Wild", "Sandhill", "Whooping", "Tower",
         "Mobile", "Gantry", "Overhead", "Iberian", "Canada", "Canadian", "Eurasian", "Wolf", "Jumping", "House", "Garden", "Widow", "Recluse", "Crab", "Camel", "Orb",
         "Cute", "Sex", "Russian", "Chinese", "Korean", "Iranian", "Spotted", "Striped", "Young"],
        StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    // Second words that make "Earth X" a common expression (Earth Day, Earth Observation, Google Earth Engine).
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> s_commonEarth = new HashSet<string>(
        ["Day", "Hour", "Week", "Month", "Year", "Observation", "Observatory", "Observing", "Science", "Sciences", "Scientist", "Summit", "Orbit", "Orbiting", "Station",
         "Engine", "Pro", "Studio", "System", "Systems", "Institute", "Network", "Resources", "Sensing", "Explorer", "Online", "Energy", "Fund", "Friendly", "Rise", "Wind",
         "Water", "Moon", "Mars", "Sun", "Mother", "Imaging", "Data", "Map", "Maps", "Overshoot", "Charter", "Council", "Alliance", "Island", "Song", "Simulator", "Sciences",
         "Satellite", "Satellites", "Mission", "Missions", "Surface", "Magnetic", "Atmosphere", "Climate", "Shelter", "Works", "Angel", "Bound", "Care"],
        StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    // Words before "Earth" that make it the planet or a product (Google Earth, Mother Earth, Middle Earth, Down to Earth).
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> s_beforeEarth = new HashSet<string>(
        ["Google", "Planet", "Mother", "Middle", "Flat", "Scorched", "Rare", "Low", "Near", "Blue", "Whole"],
        StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    // Second words that make an upper-case metal an everyday phrase (IRON DOME, GOLD STANDARD, ZINC OXIDE).
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> s_commonMetal = new HashSet<string>(
        ["MAN", "DOME", "AGE", "STANDARD", "MEDAL", "MEDALS", "MEDALIST", "OXIDE", "WIRE", "CAN", "ORE", "CURTAIN", "FIST", "MINE", "MINES", "PRICE", "PRICES", "BAR", "BARS",
         "COIN", "COINS", "CARD", "MEMBER", "MEMBERS", "STATUS", "PLAN", "PLUS", "SPONSOR", "SPONSORS", "PARTNER", "PARTNERS", "LEVEL", "TIER", "EDITION", "RUSH",
         "SUPPORT", "CERTIFIED", "AND", "OR", "THE", "FOR", "WITH"],
        StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    // Katakana first parts that make the family word the animal or the weather (ジャイアントパンダ, レッサーパンダ, スーパータイフーン).
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> s_commonKatakana = new HashSet<string>(
        ["ジャイアント", "レッサー", "スーパー", "ベビー", "ベイビー", "ママ", "パパ", "リトル", "ビッグ", "ホワイト", "ブラック", "レッド"],
        StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// The names in <paramref name="text"/> that follow a scheme, in text order, as (canonical value, start, end, rule); null when
    /// there are none. Spans <paramref name="taken"/> already holds (the dictionary's names, APT40 in a report about it) are skipped
    /// before any string is made.
    /// </summary>
    public static List<(string Value, int Start, int End, string Rule)>? Find(string text, Taken? taken = null)
    {
        List<(string Value, int Start, int End, string Rule)>? found = null;
        Scan(text, s_prefixAnchors, taken, ref found);
        Scan(text, s_familyAnchors, taken, ref found);

        // Katakana forms only in text that has something beyond ASCII (most English reports are skipped by one vectorised check).
        // One plain search per family word: three of them are much cheaper than one multi-string search over kana and kanji.
        if (!Ascii.IsValid(text))
        {
            foreach (string family in s_japaneseFamilies)
            {
                for (int from = 0; from < text.Length;)
                {
                    int at = text.AsSpan(from).IndexOf(family, StringComparison.Ordinal);
                    if (at < 0)
                    {
                        break;
                    }

                    at += from;
                    if (KatakanaAt(text, at, taken) is { } hit)
                    {
                        (found ??= []).Add(hit);
                    }

                    from = at + 1;
                }
            }
        }

        found?.Sort((x, y) => x.Start - y.Start);
        return found;
    }

    private static void Scan(string text, SearchValues<string> anchors, Taken? taken, ref List<(string Value, int Start, int End, string Rule)>? found)
    {
        int from = 0;
        while (from < text.Length)
        {
            int at = text.AsSpan(from).IndexOfAny(anchors);
            if (at < 0)
            {
                return;
            }

            at += from;

            // Inside a name the dictionary found (APT40, BRONZE MOHAWK, Kryptonite Panda): nothing to do.
            if (taken?.Free(at, at + 1) == false)
            {
                from = at + 1;
                continue;
            }

            if (LatinAt(text, at, taken) is { } hit && !InLink(text, hit.Start, hit.End))
            {
                (found ??= []).Add(hit);
                from = Math.Max(hit.End, at + 1);
            }
            else
            {
                from = at + 1;
            }
        }
    }

    // The name whose anchor literal starts at text[at], if the scheme's shape and the guards hold.
    private static (string Value, int Start, int End, string Rule)? LatinAt(string text, int at, Taken? taken)
    {
        var rest = text.AsSpan(at);
        if (text[at] == ' ')
        {
            return FamilyAt(text, at, taken);
        }

        if (!LeftFree(text, at))
        {
            return null;
        }

        if (rest.StartsWith("APT", StringComparison.Ordinal))
        {
            return Numbered(text, at, taken, 3, 1, 3, " -", "APT", "naming scheme: Mandiant APT");
        }

        if (rest.StartsWith("UNC", StringComparison.Ordinal))
        {
            return Numbered(text, at, taken, 3, 3, 5, "-", "UNC", "naming scheme: Mandiant UNC");
        }

        if (rest.StartsWith("FIN", StringComparison.Ordinal))
        {
            return Numbered(text, at, taken, 3, 1, 2, string.Empty, "FIN", "naming scheme: Mandiant FIN");
        }

        if (rest.StartsWith("UAT", StringComparison.Ordinal))
        {
            return Numbered(text, at, taken, 3, 3, 4, "-", "UAT", "naming scheme: Cisco Talos UAT");
        }

        if (rest.StartsWith("TEMP.", StringComparison.Ordinal))
        {
            int end = TitleWordEnd(text, at + 5);
            return end > 0 ? (text[at..end], at, end, "naming scheme: Mandiant TEMP") : null;
        }

        if (rest.StartsWith("TA", StringComparison.Ordinal))
        {
            return Numbered(text, at, taken, 2, 3, 4, string.Empty, "TA", "naming scheme: Proofpoint TA");
        }

        if (rest.StartsWith("Storm", StringComparison.Ordinal) || rest.StartsWith("STORM", StringComparison.Ordinal))
        {
            return Numbered(text, at, taken, 5, 4, 4, "-‐‑– ", "Storm-", "naming scheme: Microsoft Storm", separatorRequired: true);
        }

        if (rest.StartsWith("DEV", StringComparison.Ordinal) || rest.StartsWith("Dev", StringComparison.Ordinal))
        {
            return Numbered(text, at, taken, 3, 4, 4, "-‐‑–", "DEV-", "naming scheme: Microsoft DEV", separatorRequired: true);
        }

        if (rest.StartsWith("Earth ", StringComparison.Ordinal))
        {
            int end = TitleWordEnd(text, at + 6);
            if (end < 0 || s_commonEarth.Contains(text.AsSpan(at + 6, end - at - 6)) || (WordBefore(text, at) is { Length: > 0 } before && s_beforeEarth.Contains(before)))
            {
                return null;
            }

            return (text[at..end], at, end, "naming scheme: Trend Micro Earth");
        }

        foreach (string metal in s_elements)
        {
            if (rest.StartsWith(metal, StringComparison.Ordinal) && rest.Length > metal.Length && rest[metal.Length] == ' ')
            {
                return Metal(text, at, metal.Length);
            }
        }

        return null;
    }

    // A prefix and a number (APT41, UNC3886, Storm-0558), with the separators the vendors' own pages and the press write.
    private static (string, int, int, string)? Numbered(string text, int at, Taken? taken, int prefixLength, int minDigits, int maxDigits, string separators, string canonical, string rule, bool separatorRequired = false)
    {
        int i = at + prefixLength;
        if (i < text.Length && separators.Contains(text[i], StringComparison.Ordinal))
        {
            i++;
        }
        else if (separatorRequired)
        {
            return null;
        }

        int digits = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]) && i - digits <= maxDigits)
        {
            i++;
        }

        int n = i - digits;
        if (n < minDigits || n > maxDigits || !RightFree(text, i) || taken?.Free(at, i) == false)
        {
            return null;
        }

        return (string.Concat(canonical, text.AsSpan(digits, n)), at, i, rule);
    }

    // Secureworks: an upper-case metal and an upper-case word of three letters or more (BRONZE PRESIDENT), not inside an upper-case heading.
    private static (string, int, int, string)? Metal(string text, int at, int metalLength)
    {
        int start = at + metalLength + 1, i = start;
        while (i < text.Length && char.IsAsciiLetterUpper(text[i]))
        {
            i++;
        }

        if (i - start < 3 || !RightFree(text, i) || s_commonMetal.Contains(text.AsSpan(start, i - start)) || InUpperCaseRun(text, at, i))
        {
            return null;
        }

        return (text[at..i], at, i, "naming scheme: Secureworks");
    }

    // Microsoft and CrowdStrike: a capitalised word, one space, the family word (text[at] is the space). Both words in
    // title case (Salt Typhoon), or both in upper case as CrowdStrike and some advisories write them (SALT TYPHOON, FANCY BEAR).
    private static (string, int, int, string)? FamilyAt(string text, int at, Taken? taken)
    {
        int ws = at;
        while (ws > 0 && char.IsAsciiLetter(text[ws - 1]))
        {
            ws--;
        }

        if (at - ws < 2 || (ws > 0 && (char.IsAsciiDigit(text[ws - 1]) || text[ws - 1] is '-' or '_' or '\'' or '’')))
        {
            return null;
        }

        var first = text.AsSpan(ws, at - ws);
        int familyStart = at + 1;
        int fe = familyStart;
        while (fe < text.Length && char.IsAsciiLetter(text[fe]))
        {
            fe++;
        }

        var family = text.AsSpan(familyStart, fe - familyStart);
        bool upper = char.IsAsciiLetterUpper(family[^1]);
        if (upper && !IsUpper(family))
        {
            return null;
        }

        bool firstOk = upper ? IsUpper(first) : char.IsAsciiLetterUpper(first[0]) && IsLower(first[1..]);
        if (!firstOk || !RightFree(text, fe) || s_commonFirstWords.Contains(first) || (upper && InUpperCaseRun(text, ws, fe)) || taken?.Free(ws, fe) == false)
        {
            return null;
        }

        string? rule = null;
        foreach (string w in s_weather)
        {
            if (family.Equals(w, upper ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                rule = "naming scheme: Microsoft weather";
            }
        }

        foreach (string a in s_animals)
        {
            if (family.Equals(a, upper ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                rule = "naming scheme: CrowdStrike";
            }
        }

        // The anchor also matches the start of a longer word (Bearer, Rainbow): RightFree above rejects those; this catches the rest.
        if (rule is null)
        {
            return null;
        }

        string value = upper ? string.Concat(TitleCase(first), " ", TitleCase(family)) : string.Concat(first, " ", family);
        return (value, ws, fe, rule);
    }

    // Katakana: a katakana first part (two characters or more), an optional ・, the family word; written with ・ between them.
    private static (string, int, int, string)? KatakanaAt(string text, int at, Taken? taken)
    {
        string family = text.AsSpan(at).StartsWith("パンダ", StringComparison.Ordinal) ? "パンダ" : text.AsSpan(at).StartsWith("タイフーン", StringComparison.Ordinal) ? "タイフーン" : "ブリザード";
        int end = at + family.Length;
        if (end < text.Length && IsKatakana(text[end]))
        {
            return null;
        }

        int firstEnd = at > 0 && text[at - 1] == '・' ? at - 1 : at;
        int start = firstEnd;
        while (start > 0 && IsKatakana(text[start - 1]))
        {
            start--;
        }

        var first = text.AsSpan(start, firstEnd - start);
        if (first.Length < 2 || first[0] is '・' or 'ー' || s_commonKatakana.Contains(first) || taken?.Free(start, end) == false)
        {
            return null;
        }

        return (string.Concat(first, "・", family), start, end, family == "パンダ" ? "naming scheme: CrowdStrike (katakana)" : "naming scheme: Microsoft weather (katakana)");
    }

    /// <summary>
    /// Whether a katakana candidate (ボルト・タイフーン) is the same group as a known name written in Latin letters (Volt Typhoon):
    /// the same family word, and a first part opening with the same consonant (ボ and V, ソ and S, リ and L).
    /// </summary>
    public static bool SameAsLatin(string katakana, string latin)
    {
        int dot = katakana.LastIndexOf('・');
        int space = latin.LastIndexOf(' ');
        if (dot < 1 || space < 1 || latin.Length - space < 2)
        {
            return false;
        }

        string family = katakana[(dot + 1)..] switch { "タイフーン" => "Typhoon", "ブリザード" => "Blizzard", "パンダ" => "Panda", _ => string.Empty };
        return latin.AsSpan(space + 1).Equals(family, StringComparison.OrdinalIgnoreCase) && Consonant(katakana[0]) == LatinConsonant(latin[0]);
    }

    // The consonant a katakana opens with, in classes that katakana does not tell apart (b/v, r/l, s/sh/c, h/f); '\0' for a vowel.
    private static char Consonant(char kana) => kana switch
    {
        >= 'カ' and <= 'ゴ' => (kana - 'カ') % 2 == 0 ? 'k' : 'g',
        >= 'サ' and <= 'ゾ' => (kana - 'サ') % 2 == 0 ? 's' : 'z',
        >= 'タ' and <= 'ド' => kana is 'ダ' or 'ヂ' or 'ヅ' or 'デ' or 'ド' ? 'd' : 't',
        >= 'ナ' and <= 'ノ' => 'n',
        >= 'ハ' and <= 'ポ' => ((kana - 'ハ') % 3) switch { 0 => 'h', 1 => 'b', _ => 'p' },
        >= 'マ' and <= 'モ' => 'm',
        >= 'ャ' and <= 'ヨ' => 'y',
        >= 'ラ' and <= 'ロ' => 'r',
        'ワ' => 'w',
        'ヴ' => 'b',
        _ => '\0',
    };

    private static char LatinConsonant(char c) => char.ToLowerInvariant(c) switch
    {
        'a' or 'e' or 'i' or 'o' or 'u' => '\0',
        'v' => 'b',
        'l' => 'r',
        'c' => 'k',
        'q' => 'k',
        'f' => 'h',
        'j' => 'z',
        var other => other,
    };

    // Whether the name is part of a link or an address (a path in https://…/APT41/, UNC3886@…). Indicators are excluded by the
    // extractor, but a plain link the text points readers to is a reference, not an indicator, and still not a mention.
    private static bool InLink(string text, int start, int end)
    {
        int s = start;
        while (s > 0 && !char.IsWhiteSpace(text[s - 1]) && start - s < 300)
        {
            s--;
        }

        int e = end;
        while (e < text.Length && !char.IsWhiteSpace(text[e]) && e - end < 300)
        {
            e++;
        }

        var before = text.AsSpan(s, start - s);
        return before.Contains("//", StringComparison.Ordinal) || before.Contains('@') || text.AsSpan(end, e - end).Contains('@');
    }

    private static bool IsKatakana(char c) => c is >= '\u30A1' and <= '\u30FC';

    // Latin names do not start or end inside a longer Latin word or number, but do next to kana and kanji (APT41は).
    private static bool LeftFree(string text, int at) => at == 0 || !char.IsAsciiLetterOrDigit(text[at - 1]);

    private static bool RightFree(string text, int end) => end >= text.Length || !char.IsAsciiLetterOrDigit(text[end]);

    // The end of a capitalised word of three letters or more starting at i (Lusca, Veles), or -1.
    private static int TitleWordEnd(string text, int i)
    {
        if (i >= text.Length || !char.IsAsciiLetterUpper(text[i]))
        {
            return -1;
        }

        int end = i + 1;
        while (end < text.Length && char.IsAsciiLetterLower(text[end]))
        {
            end++;
        }

        return end - i >= 3 && RightFree(text, end) ? end : -1;
    }

    // The Latin word right before text[at], separated by one space (empty when there is none).
    private static ReadOnlySpan<char> WordBefore(string text, int at)
    {
        if (at < 2 || text[at - 1] != ' ')
        {
            return default;
        }

        int s = at - 1;
        while (s > 0 && char.IsAsciiLetter(text[s - 1]))
        {
            s--;
        }

        return text.AsSpan(s, at - 1 - s);
    }

    // Whether the words on either side of text[start..end] are upper case too: a heading or a shouted line, not a name in running text.
    private static bool InUpperCaseRun(string text, int start, int end)
    {
        var before = WordBefore(text, start);
        if (before.Length >= 2 && IsUpper(before))
        {
            return true;
        }

        int s = end + 1;
        if (end >= text.Length || text[end] != ' ')
        {
            return false;
        }

        int e = s;
        while (e < text.Length && char.IsAsciiLetter(text[e]))
        {
            e++;
        }

        return e - s >= 2 && IsUpper(text.AsSpan(s, e - s));
    }

    private static bool IsUpper(ReadOnlySpan<char> word)
    {
        foreach (char c in word)
        {
            if (!char.IsAsciiLetterUpper(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLower(ReadOnlySpan<char> word)
    {
        foreach (char c in word)
        {
            if (!char.IsAsciiLetterLower(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string TitleCase(ReadOnlySpan<char> word) => string.Create(word.Length, word.ToString(), static (span, w) =>
    {
        span[0] = char.ToUpperInvariant(w[0]);
        for (int i = 1; i < w.Length; i++)
        {
            span[i] = char.ToLowerInvariant(w[i]);
        }
    });
}
