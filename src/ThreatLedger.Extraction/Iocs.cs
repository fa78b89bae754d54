using System.Net;
using System.Text.RegularExpressions;

namespace ThreatLedger.Extraction;

/// <summary>
/// Indicators of compromise: IPv4, IPv6, domains, URLs, e-mail addresses, MD5/SHA-1/SHA-256/SHA-512,
/// including defanged forms (hxxp, [.], (.), [dot], [:], [@]), refanged in the value. File names that
/// merely look like domains are not domains.
/// </summary>
internal static partial class Iocs
{
    // Top-level domains accepted for bare domains (a short list of the common ones plus every two-letter country code shape).
    private static readonly HashSet<string> s_tlds = new(StringComparer.OrdinalIgnoreCase)
    {
        "com", "net", "org", "info", "biz", "io", "co", "xyz", "top", "online", "site", "club", "live", "app", "dev", "cloud", "tech", "pro", "name", "mobi", "asia", "gov", "edu", "mil", "int", "onion", "icu", "shop", "store", "work", "space", "website", "news", "ltd", "vip", "cc", "tk", "ml", "ga", "cf", "gq",
    };

    // Extensions that make a dotted word a file name, not a domain.
    private static readonly HashSet<string> s_fileExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "exe", "dll", "sys", "bat", "cmd", "ps1", "vbs", "js", "jar", "doc", "docx", "xls", "xlsx", "xlsm", "ppt", "pptx", "pdf", "rtf", "zip", "rar", "7z", "gz", "tar", "iso", "lnk", "hta", "msi", "txt", "log", "dat", "bin", "py", "sh", "php", "asp", "aspx", "jsp", "html", "htm", "png", "jpg", "gif", "tmp", "ini", "cfg", "conf", "json", "xml", "csv", "db", "scr", "cpl", "ocx",
    };

    private static readonly HashSet<string> s_extensionLike = new(StringComparer.OrdinalIgnoreCase) { "md", "go", "so", "ai", "pl", "ps", "rs", "cs", "vb", "sh", "js", "py", "rb", "db", "gz", "7z", "am", "ts", "mo", "po", "in", "ml" };

    // Full-width forms Japanese notices write indicators with (２０３．０．１１３．４０, ops［＠］example［．］net).
    private static readonly System.Buffers.SearchValues<char> s_fullWidthIocChars = System.Buffers.SearchValues.Create("０１２３４５６７８９．［］＠");

    public static IEnumerable<(string Kind, string Value, int Start, int End, string Rule)> Find(string text, IReadOnlySet<string>? ownHosts = null)
    {
        // Read those as their ASCII forms, one character for one so offsets stay; most texts have none and are used as they are.
        if (text.AsSpan().ContainsAny(s_fullWidthIocChars))
        {
            text = string.Create(text.Length, text, static (span, src) =>
            {
                for (int i = 0; i < src.Length; i++)
                {
                    char c = src[i];
                    span[i] = c is (>= '０' and <= '９') or '．' or '［' or '］' or '＠' ? (char)(c - 0xFEE0) : c;
                }
            });
        }

        var taken = new Taken(text.Length);
        bool Free(int s, int e) => taken.Free(s, e);

        // From each "//": the scheme is at most eight characters before it (hxxps[:]//).
        foreach (Match m in Anchored.Matches(UrlRegex(), text, "//", 10))
        {
            string raw = m.Value.TrimEnd('.', ',', ')', ']', '}', '」', '）', ';', ':');
            string url = Refang(raw);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                continue;
            }

            taken.Add(m.Index, m.Index + raw.Length);

            // Links to the advisory's own site are references, not indicators; so is a plain (not defanged)
            // link the text points readers to ("see our write-up at …", "…もあわせてご覧ください").
            if (ownHosts?.Contains(uri.Host) == true || (raw == url && ReferenceCue().IsMatch(text.AsSpan(Math.Max(0, m.Index - 80), Math.Min(80, m.Index)))) || (raw == url && ReferenceAfter().IsMatch(text.AsSpan(m.Index + raw.Length, Math.Min(30, text.Length - m.Index - raw.Length)))))
            {
                continue;
            }

            yield return ("url", url, m.Index, m.Index + raw.Length, raw != url ? "url (defanged)" : "url");
        }

        // E-mail addresses are found from their @ (or [@], [at]) rather than by a pattern tried at every letter.
        foreach (Match m in Emails(text))
        {
            if (!Free(m.Index, m.Index + m.Length))
            {
                continue;
            }

            string email = Refang(m.Value).ToLowerInvariant();
            if (email.Split('@') is [_, var host] && IsDomain(host))
            {
                taken.Add(m.Index, m.Index + m.Length);
                yield return ("email", email, m.Index, m.Index + m.Length, "email");
            }
        }

        // Hashes: maximal runs of hex digits of exactly 32, 40, 64 or 128 characters.
        foreach (var (start, end) in HexRuns(text))
        {
            int length = end - start;
            string kind = length switch { 32 => "md5", 40 => "sha1", 64 => "sha256", 128 => "sha512", _ => string.Empty };
            if (kind.Length > 0 && Free(start, end))
            {
                taken.Add(start, end);
                yield return (kind, text[start..end].ToLowerInvariant(), start, end, kind);
            }
        }

        foreach (Match m in MayHoldIpv6(text) ? Ipv6Regex().Matches(text) : Enumerable.Empty<Match>())
        {
            string ip = m.Value.Replace("[:]", ":", StringComparison.Ordinal);
            if (Free(m.Index, m.Index + m.Length) && !IsPrefixLength(text, m.Index + m.Length) && ip.Count(c => c == ':') >= 2 && IPAddress.TryParse(ip, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                taken.Add(m.Index, m.Index + m.Length);
                yield return ("ipv6", a.ToString(), m.Index, m.Index + m.Length, "ipv6");
            }
        }

        // IPv4 addresses and domains: one linear pass over dotted tokens (much cheaper than patterns that start at every letter or digit).
        foreach (var (start, end) in DottedTokens(text))
        {
            if (!Free(start, end))
            {
                continue;
            }

            string raw = text[start..end];
            string value = Refang(raw).ToLowerInvariant();
            var labels = value.Split('.');
            if (labels.Length == 4 && labels.All(l => l.Length is >= 1 and <= 3 && l.All(char.IsAsciiDigit)))
            {
                // 198.51.100.0/24 is a block of addresses (a range to watch), not one address.
                if (IsPrefixLength(text, end))
                {
                    taken.Add(start, end);
                    continue;
                }

                if (IPAddress.TryParse(value, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    taken.Add(start, end);
                    yield return ("ipv4", value, start, end, value != raw ? "ipv4 (defanged)" : "ipv4");
                }
            }
            else if (IsDomain(value) && ownHosts?.Contains(value) != true)
            {
                taken.Add(start, end);
                yield return ("domain", value, start, end, value != raw.ToLowerInvariant() ? "domain (defanged)" : "domain");
            }
        }
    }

    // Maximal runs of hex digits at least 32 long. A run that long covers every 32nd position, so only
    // those are looked at; a hex digit there is followed back and forth to its run's ends.
    private static IEnumerable<(int Start, int End)> HexRuns(string text)
    {
        int i = 0;
        while (i + 32 <= text.Length)
        {
            int probe = i + 31;
            if (!char.IsAsciiHexDigit(text[probe]))
            {
                i = probe + 1;
                continue;
            }

            int start = probe, end = probe + 1;
            while (start > 0 && char.IsAsciiHexDigit(text[start - 1]))
            {
                start--;
            }

            while (end < text.Length && char.IsAsciiHexDigit(text[end]))
            {
                end++;
            }

            if (end - start >= 32)
            {
                yield return (start, end);
            }

            i = end + 1;
        }
    }

    // The e-mail pattern, run only from the start of the word before the next @, [@] or [at] (the pattern
    // itself starts with a class that matches at every letter). No match can start between the previous
    // match and that word, so the matches are those a scan of the whole text gives.
    private static IEnumerable<Match> Emails(string text)
    {
        int from = 0;
        while (from < text.Length)
        {
            int at = NextAt(text, from);
            if (at < 0)
            {
                yield break;
            }

            int start = at;
            while (start > from && IsLocalChar(text[start - 1]))
            {
                start--;
            }

            var m = EmailRegex().Match(text, start);
            if (!m.Success)
            {
                yield break;
            }

            yield return m;
            from = m.Index + m.Length;
        }
    }

    private static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    private static int NextAt(string text, int from)
    {
        var rest = text.AsSpan(from);
        int plain = rest.IndexOf('@');
        int bracket = rest.IndexOf("[at]", StringComparison.OrdinalIgnoreCase);
        if (plain > 0 && rest[plain - 1] == '[')
        {
            plain--; // [@]: the local part ends before the bracket
        }

        int first = plain < 0 ? bracket : bracket < 0 ? plain : Math.Min(plain, bracket);
        return first < 0 ? -1 : from + first;
    }

    // An IPv6 address needs "::" or three groups of hex digits joined by colons; most texts have neither.
    private static bool MayHoldIpv6(string text)
    {
        if (text.Contains("::", StringComparison.Ordinal))
        {
            return true;
        }

        for (int at = text.IndexOf(':', StringComparison.Ordinal); at >= 0; at = text.IndexOf(':', at + 1))
        {
            int j = at + 1;
            while (j < text.Length && j - at <= 4 && char.IsAsciiHexDigit(text[j]))
            {
                j++;
            }

            if (j > at + 1 && j < text.Length && text[j] == ':' && at > 0 && char.IsAsciiHexDigit(text[at - 1]) && j + 1 < text.Length && char.IsAsciiHexDigit(text[j + 1]))
            {
                return true;
            }
        }

        return false;
    }

    // Maximal runs of letters, digits and hyphens joined by dots or defanged dots ([.], (.), [dot], (dot)),
    // with at least one dot, not glued to a longer word, an e-mail address or a path on either side.
    // Found from each separator (a token has one), so text without dots is skipped at vector speed.
    private static IEnumerable<(int Start, int End)> DottedTokens(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            int at = text.AsSpan(i).IndexOfAny(s_separatorStarts);
            if (at < 0)
            {
                yield break;
            }

            int sep = i + at;
            int width = Separator(text, sep);
            if (width == 0 || sep == 0 || !IsHostChar(text[sep - 1]) || sep + width >= text.Length || !IsHostChar(text[sep + width]))
            {
                i = sep + 1;
                continue;
            }

            // The token's start: back over host characters to the first one not preceded by one.
            int start = sep - 1;
            while (start > 0 && IsHostChar(text[start - 1]))
            {
                start--;
            }

            // Forward, label by label, as long as separators join them.
            int j = sep, end = sep;
            while (true)
            {
                int w = Separator(text, j);
                if (w == 0 || j + w >= text.Length || !IsHostChar(text[j + w]))
                {
                    break;
                }

                j += w;
                while (j < text.Length && IsHostChar(text[j]))
                {
                    j++;
                }

                end = j;
            }

            i = end;
            if (start > 0 && text[start - 1] is '_' or '@' or '.' or '/')
            {
                continue;
            }

            if (end >= text.Length || (text[end] != '_' && text[end] != '@'))
            {
                yield return (start, end);
            }
        }
    }

    // "/8" to "/32" (or "/128" for IPv6) right after an address: a CIDR prefix length, not a path.
    private static bool IsPrefixLength(string text, int end)
    {
        if (end + 1 >= text.Length || text[end] != '/' || !char.IsAsciiDigit(text[end + 1]))
        {
            return false;
        }

        int j = end + 1;
        while (j < text.Length && j - end <= 3 && char.IsAsciiDigit(text[j]))
        {
            j++;
        }

        return j - end <= 4 && (j == text.Length || !char.IsAsciiLetterOrDigit(text[j]) && text[j] != '/');
    }

    private static readonly System.Buffers.SearchValues<char> s_separatorStarts = System.Buffers.SearchValues.Create(".[(");

    private static bool IsHostChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    private static int Separator(string text, int i)
    {
        if (i >= text.Length)
        {
            return 0;
        }

        if (text[i] == '.')
        {
            return 1;
        }

        var rest = text.AsSpan(i);
        return rest.StartsWith("[.]", StringComparison.Ordinal) || rest.StartsWith("(.)", StringComparison.Ordinal) ? 3
            : rest.StartsWith("[dot]", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("(dot)", StringComparison.OrdinalIgnoreCase) ? 5
            : 0;
    }

    [GeneratedRegex(@"(?:\b(?:see|read|our|write-?up|blog|guidance|guide|reference|references|source|sources|link|bulletin|page|at our|published at)\b|出典|参照|参考|記事|詳細は|こちら|リンク)[^\n。.]{0,60}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceCue();

    [GeneratedRegex(@"^[）)」]?\s*(?:もあわせてご覧|をご覧|を参照|参照)", RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceAfter();

    public static string Refang(string s) => s
        .Replace("hxxps", "https", StringComparison.OrdinalIgnoreCase).Replace("hxxp", "http", StringComparison.OrdinalIgnoreCase)
        .Replace("[.]", ".", StringComparison.Ordinal).Replace("(.)", ".", StringComparison.Ordinal).Replace("{.}", ".", StringComparison.Ordinal)
        .Replace("[dot]", ".", StringComparison.OrdinalIgnoreCase).Replace("(dot)", ".", StringComparison.OrdinalIgnoreCase)
        .Replace("[:]", ":", StringComparison.Ordinal).Replace("[://]", "://", StringComparison.Ordinal)
        .Replace("[@]", "@", StringComparison.Ordinal).Replace("[at]", "@", StringComparison.OrdinalIgnoreCase);

    private static bool IsDomain(string domain)
    {
        var labels = domain.Split('.');
        if (labels.Length < 2 || labels.Any(l => l.Length is 0 or > 63))
        {
            return false;
        }

        string tld = labels[^1];
        if (s_fileExtensions.Contains(tld) && !s_tlds.Contains(tld))
        {
            return false;
        }

        // Two-letter country domains that are also common file extensions (readme.md, main.go, run.pl) need a third label (www.example.pl).
        if (s_extensionLike.Contains(tld) && labels.Length < 3)
        {
            return false;
        }

        return (s_tlds.Contains(tld) || (tld.Length == 2 && tld.All(char.IsAsciiLetter))) && !labels.All(l => l.All(char.IsAsciiDigit));
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:h(?:tt|xx)ps?|s?ftp|ldaps?)(?::|\[:\])//(?:[^\s<>""'「」（）()\u3000、。]|\(\.\)|\[\.\])+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlRegex();

    [GeneratedRegex(@"(?<![A-Za-z0-9_.@])[A-Za-z0-9._%+-]+(?:@|\[@\]|\[at\])[A-Za-z0-9-]+(?:(?:\.|\[\.\]|\(\.\)|\[dot\])[A-Za-z0-9-]+)+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();



    [GeneratedRegex(@"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}(?::|\[:\])){2,7}[0-9A-Fa-f]{1,4}(?![0-9A-Fa-f:])", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv6Regex();


}
