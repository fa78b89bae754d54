using System.Globalization;
using System.Text.RegularExpressions;

namespace ThreatLedger.Extraction;

/// <summary>
/// Dates in Japanese and English: absolute (2021-07-19, 2021/7/19, 19 July 2021, July 19, 2021, 2021年7月19日,
/// 令和3年7月19日), partial (2021年3月, March 2021), relative to the publication date (今年3月, 昨年,
/// 先月, 19日, last week, yesterday, on Monday) and ranges (2018年10月から20年9月まで: both ends).
/// Values are YYYY, YYYY-MM or YYYY-MM-DD.
/// </summary>
internal static partial class Dates
{
    private static readonly string[] s_months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    // Cheap gates: a pattern whose anchor words do not occur in the text is not run at all.
    private static readonly System.Buffers.SearchValues<string> s_monthWords = System.Buffers.SearchValues.Create(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], StringComparison.OrdinalIgnoreCase);

    private static readonly System.Buffers.SearchValues<string> s_quarterWords = System.Buffers.SearchValues.Create(["Q1", "Q2", "Q3", "Q4", "quarter"], StringComparison.OrdinalIgnoreCase);

    private static readonly string[] s_quarterOrdinals = ["first", "second", "third", "fourth", "1st", "2nd", "3rd", "4th"];

    private static readonly System.Buffers.SearchValues<string> s_relativeWords = System.Buffers.SearchValues.Create(
        ["yesterday", "today", "last ", "this year", "on monday", "on tuesday", "on wednesday", "on thursday", "on friday", "on saturday", "on sunday"], StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<Match> When(bool run, Regex regex, string text) => run ? regex.Matches(text) : [];

    public static IEnumerable<(string Value, int Start, int End, string Rule)> Find(string text, DateOnly? published)
    {
        // Full-width digits count as digits (one for one, so offsets stay); most texts have none and are used as they are.
        string t = !text.AsSpan().ContainsAnyInRange('０', '９') ? text : string.Create(text.Length, text, (span, src) =>
        {
            for (int i = 0; i < src.Length; i++)
            {
                span[i] = src[i] is >= '０' and <= '９' ? (char)(src[i] - '０' + '0') : src[i];
            }
        });
        var taken = new Taken(text.Length);
        bool Free(int s, int e) => taken.Free(s, e);
        var found = new List<(string, int, int, string)>();
        void Add(string value, int s, int e, string rule)
        {
            if (Free(s, e))
            {
                taken.Add(s, e);
                found.Add((value, s, e, rule));
            }
        }

        bool hasYear = t.Contains('年', StringComparison.Ordinal);
        var months = MonthWords(t);

        // Ranges first: 2018年10月から20年9月まで — the second year may be written with two digits.
        foreach (Match m in When(hasYear, JaRangeRegex(), t))
        {
            int y1 = int.Parse(m.Groups["y1"].Value, CultureInfo.InvariantCulture);

            // 2024年1月〜3月: an end without a year is in the start's year.
            int y2 = m.Groups["y2"].Success ? int.Parse(m.Groups["y2"].Value, CultureInfo.InvariantCulture) : y1;
            if (y2 < 100)
            {
                y2 += y1 / 100 * 100;
            }

            if (Month(m.Groups["m1"].Value) is { } m1 && Month(m.Groups["m2"].Value) is { } m2)
            {
                var first = m.Groups["m1"];
                var second = m.Groups["y2"].Success ? m.Groups["y2"] : m.Groups["m2"];
                Add(Ym(y1, m1), m.Index, first.Index + first.Length + 1, "date range start (ja)");
                Add(Ym(y2, m2), second.Index, m.Groups["m2"].Index + m.Groups["m2"].Length + 1, "date range end (ja, two-digit year after the start's century)");
            }
        }

        // A quarter (Q3 2023, the third quarter of 2023, 2023年第3四半期) is a range: its first and last month,
        // the first on whichever of the quarter and the year comes first in the text, the last on the other.
        foreach (Match m in t.Contains("四半期", StringComparison.Ordinal) ? JaQuarterRegex().Matches(t) : Anchored.Matches(EnQuarterRegex(), t, s_quarterWords, 8))
        {
            var q = m.Groups["q"];
            var y = m.Groups["y"];
            int quarter = q.Value[^1] is >= '1' and <= '4' and var c ? c - '0' : Array.IndexOf(s_quarterOrdinals, q.Value.ToLowerInvariant()) % 4 + 1;
            int year = int.Parse(y.Value, CultureInfo.InvariantCulture);
            var (early, late) = q.Index < y.Index ? (q, y) : (y, q);
            int lateEnd = late == q ? m.Index + m.Length : late.Index + late.Length;
            if (Free(m.Index, m.Index + m.Length))
            {
                Add(Ym(year, quarter * 3 - 2), m.Index, early.Index + early.Length, "quarter (first month)");
                Add(Ym(year, quarter * 3), late.Index, lateEnd, "quarter (last month)");
            }
        }

        foreach (Match m in When(hasYear, EraRegex(), t))
        {
            int n = m.Groups["n"].Value == "元" ? 1 : int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            int year = (m.Groups["era"].Value switch { "令和" => 2018, "平成" => 1988, _ => 1925 }) + n;
            Add(Full(year, m.Groups["m"].Value, m.Groups["d"].Value), m.Index, m.Index + m.Length, "Japanese era date (" + m.Groups["era"].Value + ")");
        }

        foreach (Match m in hasYear ? Anchored.Matches(JaDateRegex(), t, "年", 4) : [])
        {
            int year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
            Add(Full(year, m.Groups["m"].Value, m.Groups["d"].Value), m.Index, m.Index + m.Length, "date (ja)");
        }

        foreach (Match m in Anchored.Matches(IsoRegex(), t, "-", 4))
        {
            if (DateOnly.TryParseExact(m.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                Add(m.Value, m.Index, m.Index + m.Length, "ISO 8601 date");
            }
        }

        // 2021/7/19 and 2021/07/19 (common in Japanese advisories); not inside a path (/2021/07/19/).
        foreach (Match m in Anchored.Matches(SlashRegex(), t, "/", 4))
        {
            if (DateOnly.TryParseExact(m.Value, "yyyy/M/d", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                Add(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), m.Index, m.Index + m.Length, "date (year/month/day)");
            }
        }

        foreach (Match m in AroundMonths(EnDayMonthRegex(), t, months))
        {
            if (Capitalised(m.Groups["mon"].Value) && Month(m.Groups["mon"].Value) is { } mon)
            {
                Add(Ymd(int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture), mon, m.Groups["d"].Value), m.Index, m.Index + m.Length, "date (en, day month year)");
            }
        }

        foreach (Match m in AroundMonths(EnMonthDayRegex(), t, months))
        {
            if (Capitalised(m.Groups["mon"].Value) && Month(m.Groups["mon"].Value) is { } mon)
            {
                string value = m.Groups["d"].Success
                    ? Ymd(int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture), mon, m.Groups["d"].Value)
                    : Ym(int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture), mon);
                Add(value, m.Index, m.Index + m.Length, m.Groups["d"].Success ? "date (en, month day year)" : "month (en)");
            }
        }

        foreach (Match m in AroundYears(EnYearRegex(), t))
        {
            var y = m.Groups["y"];
            Add(y.Value, y.Index, y.Index + y.Length, "year (en)");

            // Years joined to it (in 2015 and 2016, between 2019 and 2024, from 2017 to 2022).
            for (int after = y.Index + y.Length; YearChainRegex().Match(t, after, Math.Min(32, t.Length - after)) is { Success: true } next && next.Length < 32;)
            {
                var ny = next.Groups["y"];
                Add(ny.Value, ny.Index, ny.Index + ny.Length, "year (en, joined to another)");
                after = ny.Index + ny.Length;
            }
        }

        if (published is { } p)
        {
            foreach (Match m in When(hasYear, JaRelativeRegex(), t))
            {
                int year = m.Groups["rel"].Value switch { "今年" or "本年" => p.Year, "昨年" or "去年" => p.Year - 1, "一昨年" => p.Year - 2, _ => p.Year + 1 };
                if (m.Groups["m"].Success && Month(m.Groups["m"].Value) is { } mon)
                {
                    Add(m.Groups["d"].Success ? Ymd(year, mon, m.Groups["d"].Value) : Ym(year, mon), m.Index, m.Index + m.Length, $"relative date ({m.Groups["rel"].Value}, from the publication date)");
                }
                else
                {
                    Add(year.ToString(CultureInfo.InvariantCulture), m.Index, m.Index + m.Length, $"relative year ({m.Groups["rel"].Value})");
                }
            }

            foreach (Match m in When(t.Contains('月', StringComparison.Ordinal), JaMonthWordRegex(), t))
            {
                var month = m.Value[..2] switch { "先月" or "前月" => p.AddMonths(-1), "今月" or "本月" => p, _ => p.AddMonths(1) };
                Add(m.Groups["d"].Success ? Ymd(month.Year, month.Month, m.Groups["d"].Value) : Ym(month.Year, month.Month), m.Index, m.Index + m.Length, $"relative month ({m.Value[..2]})");
            }

            // English day and month without a year (3 March, Friday 8 April, March 3): the latest such day not after the publication.
            foreach (Match m in AroundMonths(EnNoYearRegex(), t, months))
            {
                if (Capitalised(m.Groups["mon"].Value) && Month(m.Groups["mon"].Value) is { } mon && int.TryParse(m.Groups["d"].Value, CultureInfo.InvariantCulture, out int day) && day is >= 1 and <= 31)
                {
                    int year = new DateOnly(p.Year, mon, 1) > p ? p.Year - 1 : p.Year;
                    Add(Ymd(year, mon, m.Groups["d"].Value), m.Index, m.Index + m.Length, "day and month (year from the publication date)");
                }
            }

            // 7月19日 (M月D日 without a year): found from each 月, not by a pattern tried at every digit.
            for (int at = t.IndexOf('月', StringComparison.Ordinal); at >= 0; at = t.IndexOf('月', at + 1))
            {
                int ms = Digits(t, at, back: true), de = Digits(t, at + 1, back: false);
                if (ms < at && (ms == 0 || (!char.IsDigit(t[ms - 1]) && t[ms - 1] != '年')) && de > at + 1 && de < t.Length && t[de] == '日'
                    && Month(t[ms..at]) is { } mon && int.Parse(t[(at + 1)..de], CultureInfo.InvariantCulture) is >= 1 and <= 31)
                {
                    // The latest such day not after the publication.
                    int year = new DateOnly(p.Year, mon, 1) > p ? p.Year - 1 : p.Year;
                    Add(Ymd(year, mon, t[(at + 1)..de]), ms, de + 1, "month and day (year from the publication date)");
                }
            }

            // 19日 alone: the day in the publication's month (or the month before, if later than the publication).
            for (int at = t.IndexOf('日', StringComparison.Ordinal); at >= 0; at = t.IndexOf('日', at + 1))
            {
                int ds = Digits(t, at, back: true);
                bool next = at + 1 < t.Length && t[at + 1] is '本' or '間' or '前' or '後' or '付';
                if (ds < at && at - ds <= 2 && (ds == 0 || (!char.IsDigit(t[ds - 1]) && t[ds - 1] != '月')) && !next
                    && int.Parse(t[ds..at], CultureInfo.InvariantCulture) is var d and >= 1 and <= 31)
                {
                    var date = d <= p.Day ? new DateOnly(p.Year, p.Month, d) : p.AddMonths(-1) is var prev && d <= DateTime.DaysInMonth(prev.Year, prev.Month) ? new DateOnly(prev.Year, prev.Month, d) : (DateOnly?)null;
                    if (date is { } dd)
                    {
                        Add(dd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ds, at + 1, "day of month (month and year from the publication date)");
                    }
                }
            }

            foreach (Match m in Anchored.Matches(EnRelativeRegex(), t, s_relativeWords, 8))
            {
                string w = m.Value.ToLowerInvariant();
                string? value = w switch
                {
                    "yesterday" => p.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    "today" => p.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    "last week" => p.AddDays(-7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    "last month" => Ym(p.AddMonths(-1).Year, p.AddMonths(-1).Month),
                    "last year" => (p.Year - 1).ToString(CultureInfo.InvariantCulture),
                    "this year" or "earlier this year" => p.Year.ToString(CultureInfo.InvariantCulture),
                    _ when w.StartsWith("on ", StringComparison.Ordinal) => LastWeekday(p, w[3..]),
                    _ => null,
                };
                if (value is not null)
                {
                    // "on Monday": the span is the weekday.
                    int from = w.StartsWith("on ", StringComparison.Ordinal) ? m.Index + 3 : m.Index;
                    Add(value, from, m.Index + m.Length, $"relative date ('{m.Value}', from the publication date)");
                }
            }
        }

        if (published is { } pub)
        {
            // A capitalised month after a preposition (in December, since late August, the second half of
            // October) with no day or year: the latest such month not after the publication. \G keeps each
            // try at the month word; the preposition is looked for behind it.
            foreach (int at in months)
            {
                if (!Free(at, at + 3) || BareMonthRegex().Match(t, at) is not { Success: true } m || !Capitalised(m.Value) || Month(m.Value) is not { } mon)
                {
                    continue;
                }

                // Said of what is to come (a patch expected in early May) it is the next such month instead.
                bool future = FutureCue().IsMatch(t.AsSpan(Math.Max(0, at - 60), Math.Min(60, at)));
                int year = future ? (mon < pub.Month ? pub.Year + 1 : pub.Year) : mon > pub.Month ? pub.Year - 1 : pub.Year;
                Add(Ym(year, mon), m.Index, m.Index + m.Length, future ? "month after a preposition (the next one after the publication date)" : "month after a preposition (year from the publication date)");
            }
        }

        // Spans never overlap (each pattern takes only free characters), so starts are distinct.
        found.Sort((x, y) => x.Item2.CompareTo(y.Item2));

        // 同年/同月 (the year or month of the date before) and 翌年/翌月 (the one after it), each resolved in
        // text order against the dates found so far, its own result included.
        if (hasYear || t.Contains('月', StringComparison.Ordinal))
        {
            Anaphora(t, found, taken);
        }

        return found;
    }

    private static readonly string[] s_anaphora = ["同年", "同月", "翌年", "翌月"];

    private static void Anaphora(string t, List<(string Value, int Start, int End, string Rule)> found, Taken taken)
    {
        List<int>? anchors = null;
        foreach (string word in s_anaphora)
        {
            for (int at = t.IndexOf(word, StringComparison.Ordinal); at >= 0; at = t.IndexOf(word, at + 2, StringComparison.Ordinal))
            {
                (anchors ??= []).Add(at);
            }
        }

        if (anchors is null)
        {
            return;
        }

        anchors.Sort();
        foreach (int at in anchors)
        {
            // 同年代 and 同年齢 are "the same generation/age", not a date.
            if (at + 2 < t.Length && t[at + 2] is '代' or '齢' or '比' || !taken.Free(at, at + 2))
            {
                continue;
            }

            int before = found.FindLastIndex(f => f.Start < at);
            if (before < 0)
            {
                continue;
            }

            string basis = found[before].Value;
            int year = int.Parse(basis.AsSpan(0, 4), CultureInfo.InvariantCulture);
            int? month = basis.Length >= 7 ? int.Parse(basis.AsSpan(5, 2), CultureInfo.InvariantCulture) : null;
            bool ofYear = t[at + 1] == '年';
            int end = at + 2;
            int m2 = 0, d2 = 0;
            if (ofYear)
            {
                year += t[at] == '翌' ? 1 : 0;
                (m2, end) = Number(t, end, '月');
            }
            else
            {
                if (month is not { } mm)
                {
                    continue;
                }

                var first = new DateOnly(year, mm, 1).AddMonths(t[at] == '翌' ? 1 : 0);
                (year, m2) = (first.Year, first.Month);
            }

            if (m2 is < 0 or > 12)
            {
                continue;
            }

            if (m2 > 0)
            {
                (d2, int dayEnd) = Number(t, end, '日');
                if (d2 > 0 && d2 <= DateTime.DaysInMonth(year, m2))
                {
                    end = dayEnd;
                }
                else
                {
                    d2 = 0;
                }
            }

            string value = m2 == 0 ? year.ToString(CultureInfo.InvariantCulture) : d2 == 0 ? Ym(year, m2) : Ymd(year, m2, d2.ToString(CultureInfo.InvariantCulture));
            if (taken.Free(at, end))
            {
                taken.Add(at, end);
                found.Insert(before + 1, (value, at, end, $"{t.AsSpan(at, 2)} (from the date before)"));
            }
        }
    }

    // One or two digits at i followed by unit: the number and where the unit ends; (0, i) when there are none.
    private static (int Value, int End) Number(string t, int i, char unit)
    {
        int e = Digits(t, i, back: false);
        return e > i && e < t.Length && t[e] == unit ? (int.Parse(t.AsSpan(i, e - i), CultureInfo.InvariantCulture), e + 1) : (0, i);
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    // Where capitalised month words start (March, Sept, MAY; not march or maybe): the English month patterns run only there.
    private static List<int> MonthWords(string t)
    {
        var found = new List<int>();
        for (int i = 0; i < t.Length;)
        {
            int at = t.AsSpan(i).IndexOfAny(s_monthWords);
            if (at < 0)
            {
                break;
            }

            int p = i + at;
            if (char.IsUpper(t[p]) && (p == 0 || !IsWordChar(t[p - 1])))
            {
                found.Add(p);
            }

            i = p + 1;
        }

        return found;
    }

    // The matches of an English month pattern that contain one of the month words, each found in a window
    // from the day before the month (19th July) to a little after it: the patterns start with a class that
    // matches at every digit and at most letters, so running them over the whole text is slow.
    private static IEnumerable<Match> AroundMonths(Regex regex, string t, List<int> months)
    {
        int lastEnd = 0;
        foreach (int p in months)
        {
            if (p < lastEnd)
            {
                continue;
            }

            // Back over spaces, an ordinal suffix and one or two digits (a day written first).
            int ws = p, j = p;
            while (j > 0 && p - j < 8 && char.IsWhiteSpace(t[j - 1]))
            {
                j--;
            }

            if (j < p)
            {
                int k = j;
                while (k > 0 && j - k < 2 && char.IsAsciiLetter(t[k - 1]))
                {
                    k--;
                }

                int d = k;
                while (d > 0 && k - d < 2 && char.IsAsciiDigit(t[d - 1]))
                {
                    d--;
                }

                if (d < k && (d == 0 || !IsWordChar(t[d - 1])))
                {
                    ws = Math.Max(d, lastEnd);
                }
            }

            int we = Math.Min(t.Length, p + 48);
            while (we < t.Length && IsWordChar(t[we]))
            {
                we++;
            }

            var m = regex.Match(t, ws, we - ws);
            if (m.Success && m.Index <= p && p < m.Index + m.Length)
            {
                lastEnd = m.Index + m.Length;
                yield return m;
            }
        }
    }

    // The matches of the English year pattern (in 2019, since 2020, mid-2021), found from each 19xx/20xx
    // run of four digits, looking back a few words for the preposition.
    private static IEnumerable<Match> AroundYears(Regex regex, string t)
    {
        for (int i = 0; i < t.Length;)
        {
            int at = t.AsSpan(i).IndexOfAnyInRange('0', '9');
            if (at < 0)
            {
                yield break;
            }

            int a = i + at, b = a;
            while (b < t.Length && char.IsAsciiDigit(t[b]))
            {
                b++;
            }

            i = b;
            if (b - a != 4 || !(t[a] == '1' && t[a + 1] == '9' || t[a] == '2' && t[a + 1] == '0') || a == 0 || !(char.IsWhiteSpace(t[a - 1]) || t[a - 1] == '-'))
            {
                continue;
            }

            // Start the window at a word's start, so a word boundary there is one in the text too.
            int ws = Math.Max(0, a - 24);
            while (ws > 0 && ws < a && IsWordChar(t[ws - 1]))
            {
                ws++;
            }

            int we = Math.Min(t.Length, b + 2);
            var m = regex.Match(t, ws, we - ws);
            if (m.Success && m.Groups["y"].Index == a)
            {
                yield return m;
            }
        }
    }

    // Where a run of ASCII digits ending before (back) or starting at position i ends: at most two digits.
    private static int Digits(string t, int i, bool back)
    {
        if (back)
        {
            int j = i;
            while (j > 0 && i - j < 2 && char.IsAsciiDigit(t[j - 1]))
            {
                j--;
            }

            return j;
        }

        int k = i;
        while (k < t.Length && k - i < 2 && char.IsAsciiDigit(t[k]))
        {
            k++;
        }

        return k;
    }

    // English month names are written with a capital (March, MARCH); "march" and "may" are verbs.
    private static bool Capitalised(string month) => month.Length > 0 && char.IsUpper(month[0]);

    private static string? LastWeekday(DateOnly p, string day)
    {
        if (!Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out var dow))
        {
            return null;
        }

        var d = p;
        do
        {
            d = d.AddDays(-1);
        }
        while (d.DayOfWeek != dow);
        return d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static int? Month(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
        {
            return n is >= 1 and <= 12 ? n : null;
        }

        string t = text.ToLowerInvariant().TrimEnd('.');
        int i = Array.FindIndex(s_months, m => m == t || (t.Length >= 3 && m.StartsWith(t, StringComparison.Ordinal)));
        return i >= 0 ? i + 1 : null;
    }

    private static string Ym(int y, int m) => string.Create(CultureInfo.InvariantCulture, $"{y:D4}-{m:D2}");

    private static string Ymd(int y, int m, string d) => string.Create(CultureInfo.InvariantCulture, $"{y:D4}-{m:D2}-{int.Parse(d, CultureInfo.InvariantCulture):D2}");

    private static string Full(int year, string month, string day) =>
        !month.Equals(string.Empty, StringComparison.Ordinal) && Month(month) is { } m
            ? day.Length > 0 ? Ymd(year, m, day) : Ym(year, m)
            : year.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(?<y1>\d{4})年(?<m1>\d{1,2})月(?:\d{1,2}日)?(?:から|～|〜|-|－)(?:(?<y2>\d{2}|\d{4})年)?(?<m2>\d{1,2})月(?:\d{1,2}日)?(?:まで)?", RegexOptions.CultureInvariant)]
    private static partial Regex JaRangeRegex();

    [GeneratedRegex(@"\b(?:Q(?<q>[1-4])\s*(?:of\s+)?(?<y>(?:19|20)\d{2})|(?<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?(?<y>(?:19|20)\d{2}))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnQuarterRegex();

    [GeneratedRegex(@"(?<!\d)(?<y>(?:19|20)\d{2})年(?:の)?第?(?<q>[1-4])四半期", RegexOptions.CultureInvariant)]
    private static partial Regex JaQuarterRegex();

    [GeneratedRegex(@"\G(?<=\b(?:in|since|from|until|till|by|during|early|late|mid|through|before|after|around|and|to|of)[\s-]+)(?:January|February|March|April|May|June|July|August|September|October|November|December)\b(?![\s,]*\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BareMonthRegex();

    // Words before a month in the same sentence that put it in the future.
    [GeneratedRegex(@"\b(?:expect\w*|will|shall|schedul\w*|due|plan\w*|upcoming)\b[^.!?\n]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FutureCue();

    [GeneratedRegex(@"(?<era>令和|平成|昭和)(?<n>元|\d{1,2})年(?:(?<m>\d{1,2})月(?:(?<d>\d{1,2})日)?)?", RegexOptions.CultureInvariant)]
    private static partial Regex EraRegex();

    [GeneratedRegex(@"(?<!\d)(?<y>(?:19|20)\d{2})年(?:(?<m>\d{1,2})月(?:(?<d>\d{1,2})日)?)?", RegexOptions.CultureInvariant)]
    private static partial Regex JaDateRegex();

    [GeneratedRegex(@"(?<!\d)(?:19|20)\d{2}-\d{2}-\d{2}(?![\d:T])", RegexOptions.CultureInvariant)]
    private static partial Regex IsoRegex();

    [GeneratedRegex(@"(?<![\d/.])(?:19|20)\d{2}/\d{1,2}/\d{1,2}(?![\d/])", RegexOptions.CultureInvariant)]
    private static partial Regex SlashRegex();

    [GeneratedRegex(@"\b(?<d>\d{1,2})(?:st|nd|rd|th)?\s+(?<mon>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?,?\s+(?<y>(?:19|20)\d{2})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnDayMonthRegex();

    [GeneratedRegex(@"\b(?<mon>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+(?:(?<d>\d{1,2})(?:st|nd|rd|th)?,?\s+)?(?<y>(?:19|20)\d{2})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnMonthDayRegex();

    [GeneratedRegex(@"(?<rel>一昨年|今年|本年|昨年|去年|来年)(?:(?<m>\d{1,2})月(?:(?<d>\d{1,2})日)?)?", RegexOptions.CultureInvariant)]
    private static partial Regex JaRelativeRegex();

    [GeneratedRegex(@"(?:先月|前月|今月|本月|来月)(?:(?<d>\d{1,2})日)?", RegexOptions.CultureInvariant)]
    private static partial Regex JaMonthWordRegex();



    [GeneratedRegex(@"\b(?:(?<d>\d{1,2})(?:st|nd|rd|th)?\s+(?<mon>January|February|March|April|May|June|July|August|September|October|November|December)|(?<mon>January|February|March|April|May|June|July|August|September|October|November|December)\s+(?<d>\d{1,2})(?:st|nd|rd|th)?)\b(?!,?\s*\d{4})(?!\s*(?:19|20)\d{2})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnNoYearRegex();

    [GeneratedRegex(@"\b(?:in|since|from|until|till|by|during|early|late|mid|of|through|before|after|between|around|circa)[\s-]+(?<y>(?:19|20)\d{2})\b(?![-/]\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnYearRegex();

    [GeneratedRegex(@"^\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or|to|through|until|[-–])\s*)(?<y>(?:19|20)\d{2})\b(?![-/]\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex YearChainRegex();

    [GeneratedRegex(@"\b(?:yesterday|today|last week|last month|last year|earlier this year|this year|on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnRelativeRegex();
}
