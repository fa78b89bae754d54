using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace ThreatLedger.Extraction;

/// <summary>A document's text, as extraction sees it: decoded, and for HTML the article without the page's chrome.</summary>
/// <param name="Text">The text (spans are offsets into it).</param>
/// <param name="Encoding">The encoding detected.</param>
/// <param name="Format">text or html.</param>
/// <param name="Title">The HTML title, if any.</param>
public sealed record DocumentText(string Text, string Encoding, string Format, string? Title);

/// <summary>Decodes bytes (UTF-8, UTF-16 by BOM, Shift_JIS, EUC-JP by meta or content) and strips HTML to its article.</summary>
public static partial class DocumentReader
{
    static DocumentReader() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Reads a document: HTML is recognised by its content; Markdown and AsciiDoc by the file name's extension.</summary>
    public static DocumentText Read(byte[] bytes, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var (text, encoding) = Decode(bytes);
        if (LooksLikeHtml(text))
        {
            return Html(text, encoding);
        }

        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        string ext = Path.GetExtension(fileName ?? string.Empty).ToLowerInvariant();
        return ext switch
        {
            ".md" or ".markdown" => new DocumentText(Markdown(text), encoding, "markdown", null),
            ".adoc" or ".asciidoc" => new DocumentText(AsciiDoc(text), encoding, "asciidoc", null),
            _ => new DocumentText(text, encoding, "text", null),
        };
    }

    // Markdown's markup out, its words and link targets kept: headings, quotes, bullets, emphasis marks, backticks; [text](url) → text url.
    private static string Markdown(string text)
    {
        text = MdLinkRegex().Replace(text, m => m.Groups[1].Value + " " + m.Groups[2].Value);
        text = MdLinePrefixRegex().Replace(text, string.Empty);
        text = text.Replace("```", string.Empty, StringComparison.Ordinal).Replace("`", string.Empty, StringComparison.Ordinal);
        return MdEmphasisRegex().Replace(text, "$1");
    }

    // AsciiDoc's markup out: = headings, * bullets, link:url[text] and url[text] → text url.
    private static string AsciiDoc(string text)
    {
        text = AdocLinkRegex().Replace(text, m => m.Groups[2].Value + " " + m.Groups[1].Value);
        return AdocLinePrefixRegex().Replace(text, string.Empty);
    }

    [GeneratedRegex(@"!?\[([^\]\n]*)\]\(([^)\s]+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex MdLinkRegex();

    [GeneratedRegex(@"(?m)^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+\.[ \t]+)", RegexOptions.CultureInvariant)]
    private static partial Regex MdLinePrefixRegex();

    [GeneratedRegex(@"(?<![\w*])\*{1,2}([^*\n]+)\*{1,2}(?![\w*])", RegexOptions.CultureInvariant)]
    private static partial Regex MdEmphasisRegex();

    [GeneratedRegex(@"(?:link:)?((?:https?|ftp)://[^\s\[]+)\[([^\]\n]*)\]", RegexOptions.CultureInvariant)]
    private static partial Regex AdocLinkRegex();

    [GeneratedRegex(@"(?m)^[ \t]*(?:={1,6}[ \t]+|\*{1,5}[ \t]+|\.{1,5}[ \t]+)", RegexOptions.CultureInvariant)]
    private static partial Regex AdocLinePrefixRegex();

    /// <summary>Decodes: a BOM wins, then an HTML/XML charset declaration, then valid UTF-8, then whichever of Shift_JIS and EUC-JP decodes cleanly.</summary>
    public static (string Text, string Encoding) Decode(byte[] bytes)
    {
        if (bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }))
        {
            return (System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3), "utf-8");
        }

        if (bytes.AsSpan().StartsWith(new byte[] { 0xFF, 0xFE }))
        {
            return (System.Text.Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2), "utf-16le");
        }

        if (bytes.AsSpan().StartsWith(new byte[] { 0xFE, 0xFF }))
        {
            return (System.Text.Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2), "utf-16be");
        }

        string head = System.Text.Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 4096));
        if (CharsetRegex().Match(head) is { Success: true } m)
        {
            string name = (m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToLowerInvariant() switch { "shift-jis" or "sjis" or "x-sjis" or "windows-31j" or "cp932" => "shift_jis", var n => n };
            try
            {
                var declared = System.Text.Encoding.GetEncoding(name);
                return (declared.GetString(bytes), declared.WebName);
            }
            catch (ArgumentException)
            {
                // An unknown charset name: detect instead.
            }
        }

        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes), "utf-8");
        }
        catch (DecoderFallbackException)
        {
            // Code-page decoders put '?' for bytes they cannot read: decode strictly, and take the first that reads everything
            // (or, when neither does, the one with more kana and kanji).
            foreach (var name in new[] { "shift_jis", "euc-jp" })
            {
                try
                {
                    return (System.Text.Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetString(bytes), name);
                }
                catch (DecoderFallbackException)
                {
                    // Not this one.
                }
            }

            var best = new[] { "shift_jis", "euc-jp" }
                .Select(n => (Name: n, Text: System.Text.Encoding.GetEncoding(n).GetString(bytes)))
                .OrderByDescending(c => c.Text.Count(ch => ch is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF'))
                .First();
            return (best.Text, best.Name);
        }
    }

    private static bool LooksLikeHtml(string text)
    {
        var start = text.AsSpan().TrimStart();
        return start.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase)
            || (start.StartsWith("<", StringComparison.Ordinal) && text.Contains("<body", StringComparison.OrdinalIgnoreCase));
    }

    // Blocks that are page chrome rather than the article: navigation, share buttons, rankings, ads, footers, scripts.
    private static readonly string[] s_dropTags = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "iframe", "svg", "template", "select", "menu"];

    private static DocumentText Html(string html, string encoding)
    {
        var doc = new HtmlParser().ParseDocument(html);
        foreach (var tag in s_dropTags)
        {
            foreach (var e in doc.QuerySelectorAll(tag).ToList())
            {
                e.Remove();
            }
        }

        foreach (var e in doc.All.Where(e => ChromeRegex().IsMatch((e.ClassName ?? string.Empty) + " " + (e.Id ?? string.Empty))).ToList())
        {
            e.Remove();
        }

        var root = doc.QuerySelector("article") ?? doc.QuerySelector("main") ?? doc.QuerySelector("[itemprop=articleBody]") ?? (IElement?)doc.Body;
        var sb = new StringBuilder();
        if (root is not null)
        {
            Text(root, sb);
        }

        string text = Regex.Replace(sb.ToString(), @"[ \t\u00A0]+\n", "\n");
        text = Regex.Replace(text, @"\n{3,}", "\n\n").Trim();
        return new DocumentText(text, encoding, "html", doc.Title);
    }

    private static void Text(INode node, StringBuilder sb)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText t)
            {
                sb.Append(Regex.Replace(t.Data, @"\s+", " "));
            }
            else if (child is IElement e)
            {
                bool block = e.LocalName is "p" or "div" or "br" or "li" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "tr" or "section" or "blockquote" or "pre" or "table" or "ul" or "ol" or "dd" or "dt";
                if (e.LocalName == "pre")
                {
                    sb.Append('\n').Append(e.TextContent).Append('\n');
                    continue;
                }

                Text(e, sb);
                if (block)
                {
                    sb.Append('\n');
                }
            }
        }
    }

    [GeneratedRegex(@"<meta[^>]+charset\s*=\s*[""']?([A-Za-z0-9_-]+)|<\?xml[^>]+encoding\s*=\s*[""']([A-Za-z0-9_-]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CharsetRegex();

    [GeneratedRegex(@"(?:^|[\s_-])(share|sns|social|ranking|rank|ads?|advert\w*|banner|breadcrumbs?|footer|header|nav\w*|menu|sidebar|comments?|related|widget|popular|pager|pagination|tags?)(?:$|[\s_-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ChromeRegex();
}
