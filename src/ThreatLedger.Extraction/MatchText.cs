using System.Text;

namespace ThreatLedger.Extraction;

/// <summary>
/// Text prepared for dictionary matching, with a map back to the original: case, full width and
/// half-width katakana folded (as <see cref="Storage.TextFolding"/> does for search), and the
/// characters that vary inside names — spaces, hyphens and dashes, dots, middle dots, underscores —
/// dropped, so <c>APT 40</c>, <c>APT-40</c>, <c>ＡＰＴ４０</c> and <c>apt40</c> are one key, and so are
/// マイクロソフト・エクスチェンジ and マイクロソフトエクスチェンジ.
/// </summary>
public sealed class MatchText
{
    private MatchText(string text, int[] starts, int[] ends)
    {
        Text = text;
        _starts = starts;
        _ends = ends;
    }

    private readonly int[] _starts;
    private readonly int[] _ends;

    /// <summary>The folded, compacted text.</summary>
    public string Text { get; }

    /// <summary>The original offset where folded character <paramref name="i"/> starts.</summary>
    public int Start(int i) => _starts[i];

    /// <summary>The original offset just after folded character <paramref name="i"/>.</summary>
    public int End(int i) => _ends[i];

    /// <summary>Folds <paramref name="original"/>, keeping where each character came from.</summary>
    public static MatchText Of(string original)
    {
        ArgumentNullException.ThrowIfNull(original);

        // Folding never makes text longer: arrays of the original's length, filled once, no resizing.
        var chars = new char[original.Length];
        var starts = new int[original.Length];
        var ends = new int[original.Length];
        int n = FoldInto(original, chars, starts, ends);
        return new MatchText(new string(chars, 0, n), starts, ends);
    }

    /// <summary>
    /// Folds <paramref name="original"/> into caller-owned buffers (each at least as long as it), for a
    /// caller that reuses them: the folded characters, and where each came from. Returns the folded length.
    /// </summary>
    internal static int FoldInto(string original, Span<char> chars, Span<int> starts, Span<int> ends)
    {
        int n = 0;
        for (int i = 0; i < original.Length; i++)
        {
            int from = i;
            char c = Fold(original, ref i);
            if (c == '\0')
            {
                continue;
            }

            chars[n] = c;
            starts[n] = from;
            ends[n] = i + 1;
            n++;
        }

        return n;
    }

    /// <summary>The key a name is matched by (the same folding, no offsets).</summary>
    public static string Key(string name)
    {
        var sb = new StringBuilder(name.Length);
        for (int i = 0; i < name.Length; i++)
        {
            char c = Fold(name, ref i);
            if (c != '\0')
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    // One folded character for text[i] (advancing i past a combined voiced mark), or '\0' to drop it.
    private static char Fold(string text, ref int i)
    {
        char c = text[i];
        if (c < 0x80)
        {
            // ASCII (most of an English text): lower case, the separators dropped, nothing else to fold.
            return char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f' or '-' or '_' or '.' ? '\0' : c;
        }

        if (c is > '\u3000' and < '\uA000' and not '・')
        {
            // Kana and kanji: no case, no width to fold.
            return c;
        }

        c = Storage.TextFolding.FoldAt(text, ref i);
        if (char.IsWhiteSpace(c) || c is '-' or '_' or '.' or '・' or '･' or '‐' or '‑' or '‒' or '–' or '—' or '\u00A0' or '\u3000')
        {
            return '\0';
        }

        return char.ToLowerInvariant(c);
    }
}
