using System.Text;

namespace ThreatLedger.Storage;

/// <summary>
/// Folds text for search: full-width Latin letters, digits and punctuation to ASCII, half-width
/// katakana to full width, the ideographic space to a space, runs of white space to one space, and
/// everything to lower case. Works without ICU (the product runs with invariant globalization), so
/// it does this itself rather than through <see cref="string.Normalize(NormalizationForm)"/>.
/// </summary>
public static class TextFolding
{
    // Half-width katakana U+FF61..U+FF9F to their full-width forms (punctuation, then ｦ..ﾝ, then marks).
    private const string HalfKana =
        "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜";

    /// <summary>Folds <paramref name="text"/>; null stays null.</summary>
    public static string? Fold(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var sb = new StringBuilder(text.Length);
        bool space = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = FoldAt(text, ref i);
            if (c is '\u3000' or '\u00A0' or '\0')
            {
                // U+0000 cannot be stored in PostgreSQL text; in search text it is just a separator.
                c = ' ';
            }

            if (char.IsWhiteSpace(c))
            {
                if (!space && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                space = true;
                continue;
            }

            space = false;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length)
            {
                sb.Append(c).Append(text[++i]);
                continue;
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        if (sb.Length > 0 && sb[^1] == ' ')
        {
            sb.Length--;
        }

        return sb.ToString();
    }

    /// <summary>
    /// The character at <paramref name="i"/> with full-width Latin folded to ASCII and half-width katakana
    /// to full width (a following half-width voiced mark is combined, advancing <paramref name="i"/>);
    /// case and spaces are left to the caller.
    /// </summary>
    public static char FoldAt(string text, ref int i)
    {
        ArgumentNullException.ThrowIfNull(text);
        char c = text[i];
        if (c is >= '\uFF01' and <= '\uFF5E')
        {
            return (char)(c - 0xFEE0);
        }

        if (c is >= '\uFF61' and <= '\uFF9F')
        {
            c = HalfKana[c - 0xFF61];

            // A following half-width voiced or semi-voiced mark combines with the kana.
            if (i + 1 < text.Length && text[i + 1] is '\uFF9E' or '\uFF9F')
            {
                char combined = Voice(c, text[i + 1] == '\uFF9F');
                if (combined != c)
                {
                    c = combined;
                    i++;
                }
            }
        }

        return c;
    }

    private static char Voice(char kana, bool semi)
    {
        if (semi)
        {
            return kana is >= 'ハ' and <= 'ホ' && (kana - 'ハ') % 3 == 0 ? (char)(kana + 2) : kana;
        }

        if (kana == 'ウ')
        {
            return 'ヴ';
        }

        // カ..ト (with gaps for small kana) and ハ..ホ take the next code point when voiced.
        if ((kana is >= 'カ' and <= 'ヂ' && (kana - 'カ') % 2 == 0) || kana is 'ツ' or 'テ' or 'ト')
        {
            return (char)(kana + 1);
        }

        return kana is >= 'ハ' and <= 'ホ' && (kana - 'ハ') % 3 == 0 ? (char)(kana + 1) : kana;
    }

    /// <summary>
    /// The terms of a search query, folded: its words, split at spaces, except that the text between two
    /// double quotes (ASCII or full-width) is one term, spaces and all (a phrase). A quote without a partner
    /// opens a phrase that runs to the end of the query. Quotes are never part of a term, so a query of
    /// quotes and spaces alone has no terms (and finds nothing).
    /// </summary>
    public static IReadOnlyList<string> Words(string query)
    {
        var terms = new List<string>();
        bool phrase = false;
        foreach (string part in (Fold(query) ?? string.Empty).Split('"'))
        {
            if (!phrase)
            {
                terms.AddRange(part.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            else if (part.Trim() is { Length: > 0 } inside)
            {
                terms.Add(inside);
            }

            phrase = !phrase;
        }

        return terms;
    }
}
