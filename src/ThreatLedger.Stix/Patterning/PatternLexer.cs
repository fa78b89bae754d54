using System.Globalization;
using System.Text;

namespace ThreatLedger.Stix.Patterning;

/// <summary>
/// Splits a pattern into tokens following the lexer rules of the STIX 2.1 grammar (STIXPattern.g4): case-sensitive
/// keywords, whitespace and <c>/* */</c> and <c>//</c> comments skipped. Lexing stops at the first token that no
/// grammar rule can accept (an <see cref="TokenKind.Error"/> or <see cref="TokenKind.Unknown"/> token), so the
/// parser reports problems strictly from left to right.
/// </summary>
internal static class PatternLexer
{
    private const int MaxShownLength = 40;

    public static List<PatternToken> Tokenize(string text)
    {
        var tokens = new List<PatternToken>();
        int pos = 0;
        while (true)
        {
            PatternToken? triviaError = SkipTrivia(text, ref pos);
            if (triviaError is not null)
            {
                tokens.Add(triviaError);
                return tokens;
            }

            if (pos >= text.Length)
            {
                tokens.Add(new PatternToken(TokenKind.End, text.Length, string.Empty));
                return tokens;
            }

            PatternToken token = NextToken(text, pos);
            tokens.Add(token);
            if (token.Kind is TokenKind.Error or TokenKind.Unknown)
            {
                return tokens;
            }

            pos = token.End;
        }
    }

    /// <summary>Shortens text for use in a message.</summary>
    public static string Shorten(string text) =>
        text.Length <= MaxShownLength ? text : string.Concat(text.AsSpan(0, MaxShownLength - 3), "...");

    private static bool IsWhiteSpace(char c) => c switch
    {
        ' ' or '\t' or '\r' or '\n' or '\v' or '\f' => true,
        '\u0085' or '\u00a0' or '\u1680' or '\u2028' or '\u2029' or '\u202f' or '\u205f' or '\u3000' => true,
        >= '\u2000' and <= '\u200a' => true,
        _ => false,
    };

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-';

    private static PatternToken? SkipTrivia(string text, ref int pos)
    {
        while (pos < text.Length)
        {
            char c = text[pos];
            if (IsWhiteSpace(c))
            {
                pos++;
            }
            else if (c == '/' && pos + 1 < text.Length && text[pos + 1] == '*')
            {
                int close = text.IndexOf("*/", pos + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    return Error(pos, "/*", string.Create(
                        CultureInfo.InvariantCulture,
                        $"unterminated comment: the '/*' at column {pos + 1} has no closing '*/'"));
                }

                pos = close + 2;
            }
            else if (c == '/' && pos + 1 < text.Length && text[pos + 1] == '/')
            {
                pos += 2;
                while (pos < text.Length && text[pos] != '\r' && text[pos] != '\n')
                {
                    pos++;
                }
            }
            else
            {
                break;
            }
        }

        return null;
    }

    private static PatternToken NextToken(string text, int pos)
    {
        char c = text[pos];
        char next = pos + 1 < text.Length ? text[pos + 1] : '\0';
        switch (c)
        {
            case '[':
                return Simple(TokenKind.LBracket, text, pos, 1);
            case ']':
                return Simple(TokenKind.RBracket, text, pos, 1);
            case '(':
                return Simple(TokenKind.LParen, text, pos, 1);
            case ')':
                return Simple(TokenKind.RParen, text, pos, 1);
            case ':':
                return Simple(TokenKind.Colon, text, pos, 1);
            case ',':
                return Simple(TokenKind.Comma, text, pos, 1);
            case '*':
                return Simple(TokenKind.Asterisk, text, pos, 1);
            case '.':
                return char.IsAsciiDigit(next) ? LexNumber(text, pos) : Simple(TokenKind.Dot, text, pos, 1);
            case '=':
                return Simple(TokenKind.Equal, text, pos, next == '=' ? 2 : 1);
            case '!':
                return next == '='
                    ? Simple(TokenKind.NotEqual, text, pos, 2)
                    : Unknown(text, pos, " (did you mean '!='?)");
            case '<':
                return next switch
                {
                    '=' => Simple(TokenKind.LessOrEqual, text, pos, 2),
                    '>' => Simple(TokenKind.NotEqual, text, pos, 2),
                    _ => Simple(TokenKind.Less, text, pos, 1),
                };
            case '>':
                return Simple(next == '=' ? TokenKind.GreaterOrEqual : TokenKind.Greater, text, pos, next == '=' ? 2 : 1);
            case '\'':
                return LexString(text, pos);
            case '+' or '-':
                bool startsNumber = char.IsAsciiDigit(next)
                    || (next == '.' && pos + 2 < text.Length && char.IsAsciiDigit(text[pos + 2]));
                return startsNumber ? LexNumber(text, pos) : Unknown(text, pos, string.Empty);
            case '"':
                return Unknown(text, pos, " (strings are written with single quotes, e.g. 'text')");
            case '/':
                return Unknown(text, pos, " (regular expressions are written as quoted strings, e.g. '^a.*z$')");
            default:
                break;
        }

        if (char.IsAsciiDigit(c))
        {
            return LexNumber(text, pos);
        }

        if (IsIdentifierStart(c))
        {
            if (next == '\'' && c is 't' or 'h' or 'b')
            {
                return LexPrefixedLiteral(text, pos);
            }

            int end = pos + 1;
            while (end < text.Length && IsIdentifierPart(text[end]))
            {
                end++;
            }

            string word = text.Substring(pos, end - pos);
            return new PatternToken(PatternToken.KeywordKind(word) ?? TokenKind.Identifier, pos, word);
        }

        return Unknown(text, pos, string.Empty);
    }

    private static PatternToken Simple(TokenKind kind, string text, int pos, int length) =>
        new(kind, pos, text.Substring(pos, length));

    private static PatternToken Error(int pos, string text, string message) =>
        new(TokenKind.Error, pos, text) { Message = message };

    private static PatternToken Unknown(string text, int pos, string hint)
    {
        // Keep a surrogate pair together so the message can show the whole character.
        int length = char.IsHighSurrogate(text[pos]) && pos + 1 < text.Length && char.IsLowSurrogate(text[pos + 1]) ? 2 : 1;
        return new PatternToken(TokenKind.Unknown, pos, text.Substring(pos, length)) { Message = hint };
    }

    private static PatternToken LexNumber(string text, int pos)
    {
        int end = pos;
        if (text[end] is '+' or '-')
        {
            end++;
        }

        int digitsStart = end;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        int digitCount = end - digitsStart;
        bool isFloat = end + 1 < text.Length && text[end] == '.' && char.IsAsciiDigit(text[end + 1]);
        if (isFloat)
        {
            end += 2;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            string floatText = text.Substring(pos, end - pos);
            double value = double.Parse(floatText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            if (double.IsInfinity(value))
            {
                return Error(pos, floatText, $"the number {Shorten(floatText)} is too large to be a floating-point value");
            }

            return new PatternToken(TokenKind.Float, pos, floatText) { FloatValue = value };
        }

        string intText = text.Substring(pos, end - pos);
        if (digitCount > 1 && text[digitsStart] == '0')
        {
            return Error(pos, intText, $"the integer {Shorten(intText)} has a leading zero; write integers without leading zeros");
        }

        if (!long.TryParse(intText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return Error(pos, intText, $"the integer {Shorten(intText)} is out of range; integers must fit in 64 bits (at most 9223372036854775807)");
        }

        return new PatternToken(TokenKind.Integer, pos, intText) { IntegerValue = integer, FloatValue = integer };
    }

    private static PatternToken LexString(string text, int pos)
    {
        StringBuilder? builder = null;
        int segmentStart = pos + 1;
        int i = pos + 1;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\'')
            {
                string value;
                if (builder is null)
                {
                    value = text.Substring(pos + 1, i - pos - 1);
                }
                else
                {
                    builder.Append(text, segmentStart, i - segmentStart);
                    value = builder.ToString();
                }

                return new PatternToken(TokenKind.String, pos, text.Substring(pos, i + 1 - pos)) { Value = value };
            }

            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    break;
                }

                char escaped = text[i + 1];
                if (escaped is not ('\'' or '\\'))
                {
                    string shown = char.IsControl(escaped) || char.IsSurrogate(escaped)
                        ? string.Create(CultureInfo.InvariantCulture, $"a backslash followed by U+{(int)escaped:X4}")
                        : string.Concat("'\\", escaped.ToString(), "'");
                    return Error(i, text.Substring(i, 2), $"invalid escape sequence {shown} in a string literal; only \\' and \\\\ are allowed (write \\\\ for a backslash)");
                }

                builder ??= new StringBuilder();
                builder.Append(text, segmentStart, i - segmentStart).Append(escaped);
                i += 2;
                segmentStart = i;
                continue;
            }

            i++;
        }

        return Error(pos, "'", string.Create(
            CultureInfo.InvariantCulture,
            $"unterminated string literal: the quote at column {pos + 1} is never closed; expected a closing '"));
    }

    private static PatternToken LexPrefixedLiteral(string text, int pos)
    {
        char prefix = text[pos];
        string what = prefix switch
        {
            't' => "timestamp",
            'h' => "hex",
            _ => "binary",
        };
        int close = text.IndexOf('\'', pos + 2);
        if (close < 0)
        {
            return Error(pos, text.Substring(pos, 2), string.Create(
                CultureInfo.InvariantCulture,
                $"unterminated {what} literal: the quote at column {pos + 2} is never closed; expected a closing '"));
        }

        string inner = text.Substring(pos + 2, close - pos - 2);
        string source = text.Substring(pos, close + 1 - pos);
        return prefix switch
        {
            't' => TimestampToken(pos, source, inner),
            'h' => HexToken(pos, source, inner),
            _ => BinaryToken(pos, source, inner),
        };
    }

    private static PatternToken TimestampToken(int pos, string source, string inner)
    {
        if (PatternTimestamp.TryParse(inner, out PatternTimestamp timestamp, out string reason))
        {
            return new PatternToken(TokenKind.Timestamp, pos, source) { Value = inner, Timestamp = timestamp };
        }

        return new PatternToken(TokenKind.Timestamp, pos, source)
        {
            Value = inner,
            Problem = $"invalid timestamp {Shorten(source)}: {reason}",
            ProblemColumn = pos + 1,
        };
    }

    private static PatternToken HexToken(int pos, string source, string inner)
    {
        for (int i = 0; i < inner.Length; i++)
        {
            if (!char.IsAsciiHexDigit(inner[i]))
            {
                return new PatternToken(TokenKind.Hex, pos, source)
                {
                    Value = inner,
                    Bytes = [],
                    Problem = $"the hex literal contains {DescribeChar(inner[i])}, which is not a hex digit; expected only 0-9, a-f and A-F",
                    ProblemColumn = pos + 3 + i,
                };
            }
        }

        if (inner.Length % 2 != 0)
        {
            return new PatternToken(TokenKind.Hex, pos, source)
            {
                Value = inner,
                Bytes = [],
                Problem = string.Create(
                    CultureInfo.InvariantCulture,
                    $"the hex literal has an odd number of hex digits ({inner.Length}); expected an even number, two per byte"),
                ProblemColumn = pos + 1,
            };
        }

        return new PatternToken(TokenKind.Hex, pos, source) { Value = inner, Bytes = Convert.FromHexString(inner) };
    }

    private static PatternToken BinaryToken(int pos, string source, string inner)
    {
        const string Expected = "expected base64: groups of four characters from A-Z, a-z, 0-9, '+' and '/', with '=' padding only at the end";
        string? problem = null;
        int problemColumn = pos + 1;
        int padding = 0;
        for (int i = 0; i < inner.Length && problem is null; i++)
        {
            char c = inner[i];
            if (c == '=')
            {
                padding++;
            }
            else if (padding > 0)
            {
                problem = $"the binary literal has {DescribeChar(c)} after '=' padding; {Expected}";
                problemColumn = pos + 3 + i;
            }
            else if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '/')
            {
                problem = $"the binary literal contains {DescribeChar(c)}, which is not a base64 character; {Expected}";
                problemColumn = pos + 3 + i;
            }
        }

        if (problem is null)
        {
            if (inner.Length == 0)
            {
                problem = $"the binary literal is empty; {Expected}";
            }
            else if (inner.Length % 4 != 0)
            {
                problem = string.Create(
                    CultureInfo.InvariantCulture,
                    $"the binary literal has {inner.Length} characters, which is not a multiple of four; {Expected}");
            }
            else if (padding > 2)
            {
                problem = $"the binary literal has too much '=' padding; {Expected}";
            }
        }

        byte[] bytes = [];
        if (problem is null)
        {
            byte[] buffer = new byte[inner.Length / 4 * 3];
            if (Convert.TryFromBase64String(inner, buffer, out int written))
            {
                bytes = buffer.AsSpan(0, written).ToArray();
            }
            else
            {
                problem = $"the binary literal is not valid base64; {Expected}";
            }
        }

        return new PatternToken(TokenKind.Binary, pos, source)
        {
            Value = inner,
            Bytes = bytes,
            Problem = problem,
            ProblemColumn = problemColumn,
        };
    }

    internal static string DescribeChar(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c)
            ? string.Create(CultureInfo.InvariantCulture, $"the character U+{(int)c:X4}")
            : string.Concat("'", c.ToString(), "'");
}
