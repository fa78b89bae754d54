using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace ThreatLedger.Stix.Patterning;

/// <summary>
/// Recursive-descent parser for the STIX 2.1 patterning grammar. Precedence, loosest first:
/// FOLLOWEDBY, OR, AND (observation level; all left-associative), then qualifiers (postfix, bind to the
/// immediately preceding bracketed or parenthesised expression); inside brackets OR, then AND.
/// Recursion only happens through brackets and parentheses, so depth is bounded by <see cref="PatternOptions.MaxDepth"/>.
/// A syntax error stops parsing (reported once, at its column); validation problems are collected and parsing goes on.
/// </summary>
internal sealed class PatternParser
{
    private const string ExampleComparison = "file:name = 'x'";
    private const string ExampleTimestamp = "t'2016-06-01T00:00:00Z'";

    private static readonly string[] s_cyberObservableTypes =
    [
        "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file",
        "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url",
        "user-account", "windows-registry-key", "x509-certificate",
    ];

    private static readonly TimeSpan s_regexTimeout = TimeSpan.FromSeconds(1);

    private readonly string _text;
    private readonly PatternOptions _options;
    private readonly List<PatternToken> _tokens;
    private readonly List<PatternDiagnostic> _diagnostics = [];
    private int _position;
    private int _depth;

    private PatternParser(string text, PatternOptions options)
    {
        _text = text;
        _options = options;
        _tokens = PatternLexer.Tokenize(text);
    }

    /// <summary>The 18 cyber-observable object types defined by STIX 2.1.</summary>
    internal static IReadOnlyList<string> CyberObservableTypes => s_cyberObservableTypes;

    private PatternToken Current => _tokens[_position];

    public static PatternParseResult Parse(string text, PatternOptions options)
    {
        if (text.Length > options.MaxLength)
        {
            string message = string.Create(
                CultureInfo.InvariantCulture,
                $"the pattern is {text.Length} characters long, more than the maximum of {options.MaxLength}; shorten it or raise PatternOptions.MaxLength");
            return new PatternParseResult(null, [new PatternDiagnostic(PatternSeverity.Error, options.MaxLength + 1, message)]);
        }

        var parser = new PatternParser(text, options);
        PatternExpression? expression = null;
        try
        {
            expression = parser.ParsePattern();
        }
        catch (PatternSyntaxException)
        {
            // The syntax error has been recorded; there is no tree.
        }

        // OrderBy is stable: diagnostics at the same column keep the order they were found in.
        PatternDiagnostic[] diagnostics = [.. parser._diagnostics.OrderBy(d => d.Column)];
        return new PatternParseResult(expression, diagnostics);
    }

    internal static bool IsValidTypeName(string name, out string reason)
    {
        reason = string.Empty;
        if (name.Length is < 3 or > 250)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"its length is {name.Length}");
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-')
            {
                reason = $"it contains {PatternLexer.DescribeChar(c)}";
                return false;
            }
        }

        return true;
    }

    private PatternExpression ParsePattern()
    {
        if (Current.Kind == TokenKind.End)
        {
            AddError(1, $"the pattern is empty; expected an observation expression such as [{ExampleComparison}]");
            throw new PatternSyntaxException();
        }

        PatternExpression expression = ParseFollowedBy();
        PatternToken token = Current;
        switch (token.Kind)
        {
            case TokenKind.End:
                return expression;
            case TokenKind.RParen:
                Fail(token, "found ')' without a matching '('");
                break;
            case TokenKind.RBracket:
                Fail(token, "found ']' without a matching '['");
                break;
            default:
                Fail(token, Expected("AND, OR, FOLLOWEDBY, a qualifier (WITHIN, REPEATS, START) or the end of the pattern", token));
                break;
        }

        return expression;
    }

    // ---------------------------------------------------------------- observation level

    private PatternExpression ParseFollowedBy()
    {
        PatternExpression first = ParseObservationOr(null);
        if (Current.Kind != TokenKind.FollowedBy)
        {
            return first;
        }

        var operands = new List<PatternExpression> { first };
        while (Current.Kind == TokenKind.FollowedBy)
        {
            PatternToken op = Advance();
            operands.Add(ParseObservationOr(op));
        }

        return new CompoundObservationExpression(first.Column, ObservationOperator.FollowedBy, operands);
    }

    private PatternExpression ParseObservationOr(PatternToken? after)
    {
        PatternExpression first = ParseObservationAnd(after);
        if (Current.Kind != TokenKind.Or)
        {
            return first;
        }

        var operands = new List<PatternExpression> { first };
        while (Current.Kind == TokenKind.Or)
        {
            PatternToken op = Advance();
            operands.Add(ParseObservationAnd(op));
        }

        return new CompoundObservationExpression(first.Column, ObservationOperator.Or, operands);
    }

    private PatternExpression ParseObservationAnd(PatternToken? after)
    {
        PatternExpression first = ParseQualified(after);
        if (Current.Kind != TokenKind.And)
        {
            return first;
        }

        var operands = new List<PatternExpression> { first };
        while (Current.Kind == TokenKind.And)
        {
            PatternToken op = Advance();
            operands.Add(ParseQualified(op));
        }

        return new CompoundObservationExpression(first.Column, ObservationOperator.And, operands);
    }

    private PatternExpression ParseQualified(PatternToken? after)
    {
        PatternExpression operand = ParseObservationPrimary(after);
        List<PatternQualifier>? qualifiers = null;
        while (true)
        {
            PatternToken keyword = Current;
            PatternQualifier qualifier;
            switch (keyword.Kind)
            {
                case TokenKind.Within:
                    qualifier = ParseWithin();
                    break;
                case TokenKind.Repeats:
                    qualifier = ParseRepeats();
                    break;
                case TokenKind.Start:
                    qualifier = ParseStartStop();
                    break;
                default:
                    return qualifiers is null
                        ? operand
                        : new QualifiedObservationExpression(operand.Column, operand, qualifiers);
            }

            qualifiers ??= [];
            foreach (PatternQualifier previous in qualifiers)
            {
                if (previous.GetType() == qualifier.GetType())
                {
                    AddWarning(keyword.Column, $"{keyword.Text} is applied a second time to the same observation expression; this is legal but probably a mistake");
                    break;
                }
            }

            qualifiers.Add(qualifier);
        }
    }

    private PatternExpression ParseObservationPrimary(PatternToken? after)
    {
        PatternToken open = Current;
        switch (open.Kind)
        {
            case TokenKind.LBracket:
            {
                Advance();
                Enter(open);
                ComparisonExpression comparison = ParseComparisonOr();
                PatternToken close = Current;
                if (close.Kind != TokenKind.RBracket)
                {
                    Fail(close, Expected(
                        string.Create(CultureInfo.InvariantCulture, $"']' to close the observation expression opened at column {open.Column}"),
                        close));
                }

                Advance();
                Leave();
                return new ObservationExpression(open.Column, comparison);
            }

            case TokenKind.LParen:
            {
                Advance();
                Enter(open);
                PatternExpression inner = ParseFollowedBy();
                PatternToken close = Current;
                if (close.Kind != TokenKind.RParen)
                {
                    Fail(close, Expected(
                        string.Create(CultureInfo.InvariantCulture, $"')' to close the parenthesis opened at column {open.Column}"),
                        close));
                }

                Advance();
                Leave();
                return new ObservationGroupExpression(open.Column, inner);
            }

            default:
                string where = after is null ? string.Empty : $" after {after.Text}";
                if (open.Kind == TokenKind.Identifier && Peek(1).Kind == TokenKind.Colon)
                {
                    Fail(open, $"expected '[' to start an observation expression{where} but found {Describe(open)}; comparisons must be enclosed in square brackets, e.g. [{ExampleComparison}]");
                }

                Fail(open, Expected($"an observation expression ('[' or '('){where}", open));
                throw new PatternSyntaxException();
        }
    }

    private WithinQualifier ParseWithin()
    {
        PatternToken keyword = Advance();
        PatternToken number = Current;
        if (number.Kind is not (TokenKind.Integer or TokenKind.Float))
        {
            Fail(number, Expected("a positive number of seconds after WITHIN", number));
        }

        Advance();
        if (number.FloatValue <= 0)
        {
            AddError(number.Column, $"WITHIN needs a positive number of seconds, but {PatternLexer.Shorten(number.Text)} is not positive");
        }

        PatternToken unit = Current;
        if (unit.Kind != TokenKind.Seconds)
        {
            string hint = unit.Kind == TokenKind.Identifier && unit.Text.ToUpperInvariant() != "SECONDS"
                ? "; WITHIN windows are always given in SECONDS"
                : string.Empty;
            Fail(unit, Expected($"SECONDS after 'WITHIN {PatternLexer.Shorten(number.Text)}'", unit) + hint);
        }

        Advance();
        return new WithinQualifier(keyword.Column, number.FloatValue, number.Text);
    }

    private RepeatsQualifier ParseRepeats()
    {
        PatternToken keyword = Advance();
        PatternToken number = Current;
        long count = 0;
        if (number.Kind == TokenKind.Integer)
        {
            count = number.IntegerValue;
            if (count <= 0)
            {
                AddError(number.Column, $"REPEATS needs a positive whole number of times, but {PatternLexer.Shorten(number.Text)} is not positive");
            }
        }
        else if (number.Kind == TokenKind.Float)
        {
            AddError(number.Column, $"REPEATS needs a positive whole number of times, but {PatternLexer.Shorten(number.Text)} is not a whole number");
        }
        else
        {
            Fail(number, Expected("a positive whole number after REPEATS", number));
        }

        Advance();
        PatternToken unit = Current;
        if (unit.Kind != TokenKind.Times)
        {
            Fail(unit, Expected($"TIMES after 'REPEATS {PatternLexer.Shorten(number.Text)}'", unit));
        }

        Advance();
        return new RepeatsQualifier(keyword.Column, count, number.Text);
    }

    private StartStopQualifier ParseStartStop()
    {
        PatternToken keyword = Advance();
        TimestampLiteral start = ParseQualifierTimestamp("START");
        PatternToken stopKeyword = Current;
        if (stopKeyword.Kind != TokenKind.Stop)
        {
            Fail(stopKeyword, Expected("STOP and a timestamp after the START timestamp", stopKeyword));
        }

        Advance();
        TimestampLiteral stop = ParseQualifierTimestamp("STOP");
        if (start.Parts is { } startParts && stop.Parts is { } stopParts && PatternTimestamp.Compare(startParts, stopParts) >= 0)
        {
            AddError(stop.Column, $"the START time {PatternLexer.Shorten(start.SourceText)} must be earlier than the STOP time {PatternLexer.Shorten(stop.SourceText)}");
        }

        return new StartStopQualifier(keyword.Column, start, stop);
    }

    private TimestampLiteral ParseQualifierTimestamp(string keyword)
    {
        PatternToken token = Current;
        switch (token.Kind)
        {
            case TokenKind.Timestamp:
                Advance();
                ReportProblem(token);
                return new TimestampLiteral(token.Column, token.Text, token.Value ?? string.Empty, token.Timestamp);
            case TokenKind.String:
            {
                Advance();
                AddError(token.Column, $"{keyword} needs a timestamp literal such as {ExampleTimestamp}, not a plain string; put a t before the opening quote");
                string value = token.Value ?? string.Empty;
                PatternTimestamp? parts = PatternTimestamp.TryParse(value, out PatternTimestamp parsed, out _) ? parsed : null;
                return new TimestampLiteral(token.Column, token.Text, value, parts);
            }

            default:
                Fail(token, Expected($"a timestamp such as {ExampleTimestamp} after {keyword}", token));
                throw new PatternSyntaxException();
        }
    }

    // ---------------------------------------------------------------- comparison level

    private ComparisonExpression ParseComparisonOr()
    {
        ComparisonExpression first = ParseComparisonAnd(null);
        if (Current.Kind != TokenKind.Or)
        {
            return first;
        }

        var operands = new List<ComparisonExpression> { first };
        while (Current.Kind == TokenKind.Or)
        {
            PatternToken op = Advance();
            operands.Add(ParseComparisonAnd(op));
        }

        return new CompoundComparisonExpression(first.Column, ComparisonLogicalOperator.Or, operands);
    }

    private ComparisonExpression ParseComparisonAnd(PatternToken? after)
    {
        ComparisonExpression first = ParseComparisonPrimary(after);
        if (Current.Kind != TokenKind.And)
        {
            return first;
        }

        var operands = new List<ComparisonExpression> { first };
        while (Current.Kind == TokenKind.And)
        {
            PatternToken op = Advance();
            operands.Add(ParseComparisonPrimary(op));
        }

        return new CompoundComparisonExpression(first.Column, ComparisonLogicalOperator.And, operands);
    }

    private ComparisonExpression ParseComparisonPrimary(PatternToken? after)
    {
        PatternToken token = Current;
        switch (token.Kind)
        {
            case TokenKind.LParen:
            {
                Advance();
                Enter(token);
                ComparisonExpression inner = ParseComparisonOr();
                PatternToken close = Current;
                if (close.Kind != TokenKind.RParen)
                {
                    Fail(close, Expected(
                        string.Create(CultureInfo.InvariantCulture, $"')' to close the parenthesis opened at column {token.Column}"),
                        close));
                }

                Advance();
                Leave();
                return new ComparisonGroupExpression(token.Column, inner);
            }

            case TokenKind.Exists:
            {
                Advance();
                ObjectPath path = ParseObjectPath(token);
                PatternToken next = Current;
                if (IsComparisonOperator(next.Kind) || next.Kind == TokenKind.Not || IsLiteral(next.Kind))
                {
                    Fail(next, $"EXISTS takes only an object path, with no operator or value; found {Describe(next)} after 'EXISTS {PatternLexer.Shorten(path.ToString())}'");
                }

                return new PropertyComparison(token.Column, path, ComparisonOperator.Exists, false, null);
            }

            case TokenKind.Identifier:
                return ParseComparison();

            case TokenKind.Not:
                Fail(token, $"NOT cannot start a comparison; write it just before the operator, e.g. file:name NOT = 'x'");
                break;

            case TokenKind.RBracket when _position > 0 && _tokens[_position - 1].Kind == TokenKind.LBracket:
                Fail(token, $"the observation expression is empty; expected a comparison such as {ExampleComparison} between '[' and ']'");
                break;

            default:
                break;
        }

        string where = after is null ? string.Empty : $" after {after.Text}";
        Fail(token, Expected($"a comparison such as {ExampleComparison}{where}", token));
        throw new PatternSyntaxException();
    }

    private PropertyComparison ParseComparison()
    {
        ObjectPath path = ParseObjectPath(null);
        PatternToken? not = null;
        if (Current.Kind == TokenKind.Not)
        {
            not = Advance();
        }

        PatternToken opToken = Current;
        if (ToComparisonOperator(opToken.Kind) is not { } op)
        {
            if (opToken.Kind == TokenKind.Exists)
            {
                Fail(opToken, $"EXISTS is written before the object path and takes no value, e.g. EXISTS {PatternLexer.Shorten(path.ToString())}");
            }

            string where = not is not null ? "after NOT" : $"after the object path '{PatternLexer.Shorten(path.ToString())}'";
            Fail(opToken, Expected($"a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET or ISSUPERSET) {where}", opToken));
            throw new PatternSyntaxException();
        }

        Advance();
        string opText = not is not null ? "NOT " + opToken.Text : opToken.Text;
        PatternLiteral value = op == ComparisonOperator.In ? ParseSet(opText) : ParseComparisonValue(op, opText);
        return new PropertyComparison(path.Column, path, op, not is not null, value);
    }

    private PatternLiteral ParseComparisonValue(ComparisonOperator op, string opText)
    {
        bool needsString = op is ComparisonOperator.Like or ComparisonOperator.Matches or ComparisonOperator.IsSubset or ComparisonOperator.IsSuperset;
        PatternToken token = Current;
        if (!IsLiteral(token.Kind))
        {
            if (token.Kind == TokenKind.LParen && op is ComparisonOperator.Equal or ComparisonOperator.NotEqual)
            {
                Fail(token, $"'{opText}' compares with a single value; use IN for a set of values, e.g. file:name IN ('a', 'b')");
            }

            string what = needsString ? $"a string literal after {opText}" : $"a literal value after '{opText}'";
            Fail(token, Expected(what, token) + LiteralHint(token));
        }

        PatternLiteral literal = ParseScalarLiteral();
        switch (op)
        {
            case ComparisonOperator.LessThan or ComparisonOperator.LessThanOrEqual
                or ComparisonOperator.GreaterThan or ComparisonOperator.GreaterThanOrEqual
                when literal.Kind == LiteralKind.Boolean:
                AddError(literal.Column, $"'{opText}' cannot be used with a boolean; only = and != accept true or false");
                break;
            case ComparisonOperator.Like or ComparisonOperator.Matches or ComparisonOperator.IsSubset or ComparisonOperator.IsSuperset
                when literal is not StringLiteral:
                AddError(literal.Column, $"{opText} needs a string literal but found {KindName(literal.Kind)} ({PatternLexer.Shorten(literal.SourceText)})");
                break;
            case ComparisonOperator.Matches:
                CheckRegex((StringLiteral)literal);
                break;
            case ComparisonOperator.IsSubset or ComparisonOperator.IsSuperset:
                string address = ((StringLiteral)literal).Value;
                if (!IsAddressOrCidr(address))
                {
                    AddWarning(literal.Column, $"'{PatternLexer.Shorten(address)}' is not an IP address or CIDR block; {opText} expects something like '198.51.100.0/24'");
                }

                break;
            default:
                break;
        }

        return literal;
    }

    private SetLiteral ParseSet(string opText)
    {
        PatternToken open = Current;
        if (open.Kind != TokenKind.LParen)
        {
            Fail(open, Expected($"a parenthesised set of literals after {opText}, e.g. ('a', 'b')", open) + LiteralHint(open));
        }

        Advance();
        var items = new List<PatternLiteral>();
        if (Current.Kind == TokenKind.RParen)
        {
            PatternToken emptyClose = Advance();
            AddWarning(open.Column, "the set after IN is empty, so it contains no value to compare with; expected at least one literal");
            return new SetLiteral(open.Column, _text.Substring(open.Start, emptyClose.End - open.Start), items);
        }

        while (true)
        {
            PatternToken token = Current;
            if (!IsLiteral(token.Kind))
            {
                if (token.Kind == TokenKind.LParen)
                {
                    Fail(token, "sets cannot be nested; expected a literal value such as 'a' or 42");
                }

                Fail(token, Expected(
                    string.Create(CultureInfo.InvariantCulture, $"a literal value in the set opened at column {open.Column}"),
                    token) + LiteralHint(token));
            }

            PatternLiteral item = ParseScalarLiteral();
            if (items.Count > 0 && !SameSetKind(items[0].Kind, item.Kind))
            {
                AddError(item.Column, $"all values in an IN set must be of one kind, but {KindName(item.Kind)} follows {KindName(items[0].Kind)}");
            }

            items.Add(item);
            PatternToken separator = Current;
            if (separator.Kind == TokenKind.Comma)
            {
                Advance();
                continue;
            }

            if (separator.Kind == TokenKind.RParen)
            {
                Advance();
                return new SetLiteral(open.Column, _text.Substring(open.Start, separator.End - open.Start), items);
            }

            Fail(separator, Expected(
                string.Create(CultureInfo.InvariantCulture, $"',' or ')' in the set opened at column {open.Column}"),
                separator));
        }
    }

    private PatternLiteral ParseScalarLiteral()
    {
        PatternToken token = Advance();
        ReportProblem(token);
        return token.Kind switch
        {
            TokenKind.String => new StringLiteral(token.Column, token.Text, token.Value ?? string.Empty),
            TokenKind.Integer => new IntegerLiteral(token.Column, token.Text, token.IntegerValue),
            TokenKind.Float => new FloatLiteral(token.Column, token.Text, token.FloatValue),
            TokenKind.True => new BooleanLiteral(token.Column, token.Text, true),
            TokenKind.False => new BooleanLiteral(token.Column, token.Text, false),
            TokenKind.Timestamp => new TimestampLiteral(token.Column, token.Text, token.Value ?? string.Empty, token.Timestamp),
            TokenKind.Hex => new HexLiteral(token.Column, token.Text, token.Value ?? string.Empty, token.Bytes ?? []),
            _ => new BinaryLiteral(token.Column, token.Text, token.Value ?? string.Empty, token.Bytes ?? []),
        };
    }

    private ObjectPath ParseObjectPath(PatternToken? exists)
    {
        PatternToken typeToken = Current;
        if (typeToken.Kind != TokenKind.Identifier)
        {
            string where = exists is null ? string.Empty : " after EXISTS";
            Fail(typeToken, Expected($"an object path such as file:name{where}", typeToken));
        }

        Advance();
        string objectType = typeToken.Text;
        if (!IsValidTypeName(objectType, out string reason))
        {
            AddError(typeToken.Column, $"the object type '{PatternLexer.Shorten(objectType)}' is not a valid STIX type name ({reason}); expected 3 to 250 characters of lower-case a-z, digits 0-9 and '-'");
        }
        else if (!objectType.StartsWith("x-", StringComparison.Ordinal) && Array.IndexOf(s_cyberObservableTypes, objectType) < 0)
        {
            AddWarning(typeToken.Column, $"the object type '{PatternLexer.Shorten(objectType)}' is not a STIX 2.1 cyber-observable type; custom types should start with 'x-'");
        }

        PatternToken colon = Current;
        if (colon.Kind != TokenKind.Colon)
        {
            Fail(colon, Expected($"':' after the object type '{PatternLexer.Shorten(objectType)}'", colon));
        }

        Advance();
        var components = new List<PathComponent> { ParsePropertyName($"'{PatternLexer.Shorten(objectType)}:'") };
        while (true)
        {
            PatternToken token = Current;
            if (token.Kind == TokenKind.Dot)
            {
                Advance();
                components.Add(ParsePropertyName("'.'"));
            }
            else if (token.Kind == TokenKind.LBracket)
            {
                Advance();
                PatternToken index = Current;
                PathComponent component;
                if (index.Kind == TokenKind.Integer)
                {
                    component = new PathComponent(token.Column, PathComponentKind.Index, null, false, index.IntegerValue);
                }
                else if (index.Kind == TokenKind.Asterisk)
                {
                    component = new PathComponent(token.Column, PathComponentKind.AnyIndex, null, false, null);
                }
                else
                {
                    Fail(index, Expected("a list index (an integer or '*') after '['", index));
                    throw new PatternSyntaxException();
                }

                Advance();
                PatternToken close = Current;
                if (close.Kind != TokenKind.RBracket)
                {
                    Fail(close, Expected(
                        string.Create(CultureInfo.InvariantCulture, $"']' to close the list index opened at column {token.Column}"),
                        close));
                }

                Advance();
                components.Add(component);
            }
            else
            {
                return new ObjectPath(typeToken.Column, objectType, components);
            }
        }
    }

    private PathComponent ParsePropertyName(string after)
    {
        PatternToken token = Current;
        if (token.Kind == TokenKind.String)
        {
            Advance();
            return new PathComponent(token.Column, PathComponentKind.Property, token.Value ?? string.Empty, true, null);
        }

        if (token.Kind != TokenKind.Identifier)
        {
            Fail(token, Expected($"a property name or quoted key after {after}", token));
        }

        Advance();
        if (token.Text.Contains('-', StringComparison.Ordinal))
        {
            AddError(token.Column, $"the property name '{PatternLexer.Shorten(token.Text)}' contains '-', which is only allowed in a quoted key; write it as '{PatternLexer.Shorten(token.Text)}' in single quotes");
        }

        return new PathComponent(token.Column, PathComponentKind.Property, token.Text, false, null);
    }

    // ---------------------------------------------------------------- checks

    private void CheckRegex(StringLiteral literal)
    {
        try
        {
            _ = new Regex(literal.Value, RegexOptions.CultureInvariant, s_regexTimeout);
        }
        catch (ArgumentException ex)
        {
            AddError(literal.Column, $"the MATCHES value is not a valid regular expression ({ex.Message}); expected a regular expression in a string literal, with backslashes doubled");
        }
    }

    private static bool IsAddressOrCidr(string text)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        ReadOnlySpan<char> address = slash < 0 ? text : text.AsSpan(0, slash);
        if (!IPAddress.TryParse(address, out IPAddress? ip))
        {
            return false;
        }

        bool isV4 = ip.AddressFamily == AddressFamily.InterNetwork;
        if (isV4 && address.Count('.') != 3)
        {
            return false;
        }

        if (slash < 0)
        {
            return true;
        }

        ReadOnlySpan<char> prefix = text.AsSpan(slash + 1);
        return prefix.Length is > 0 and <= 3
            && int.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out int bits)
            && bits <= (isV4 ? 32 : 128);
    }

    private static bool SameSetKind(LiteralKind first, LiteralKind other) =>
        first == other || (first is LiteralKind.Integer or LiteralKind.Float && other is LiteralKind.Integer or LiteralKind.Float);

    private static bool IsLiteral(TokenKind kind) => kind is TokenKind.String or TokenKind.Integer or TokenKind.Float
        or TokenKind.True or TokenKind.False or TokenKind.Timestamp or TokenKind.Hex or TokenKind.Binary;

    private static bool IsComparisonOperator(TokenKind kind) => ToComparisonOperator(kind) is not null;

    private static ComparisonOperator? ToComparisonOperator(TokenKind kind) => kind switch
    {
        TokenKind.Equal => ComparisonOperator.Equal,
        TokenKind.NotEqual => ComparisonOperator.NotEqual,
        TokenKind.Less => ComparisonOperator.LessThan,
        TokenKind.LessOrEqual => ComparisonOperator.LessThanOrEqual,
        TokenKind.Greater => ComparisonOperator.GreaterThan,
        TokenKind.GreaterOrEqual => ComparisonOperator.GreaterThanOrEqual,
        TokenKind.In => ComparisonOperator.In,
        TokenKind.Like => ComparisonOperator.Like,
        TokenKind.Matches => ComparisonOperator.Matches,
        TokenKind.IsSubset => ComparisonOperator.IsSubset,
        TokenKind.IsSuperset => ComparisonOperator.IsSuperset,
        _ => null,
    };

    private static string KindName(LiteralKind kind) => kind switch
    {
        LiteralKind.String => "a string",
        LiteralKind.Integer => "an integer",
        LiteralKind.Float => "a floating-point number",
        LiteralKind.Boolean => "a boolean",
        LiteralKind.Timestamp => "a timestamp",
        LiteralKind.Hex => "a hex literal",
        LiteralKind.Binary => "a binary literal",
        _ => "a set",
    };

    // ---------------------------------------------------------------- plumbing

    private PatternToken Advance()
    {
        PatternToken token = _tokens[_position];
        if (_position < _tokens.Count - 1)
        {
            _position++;
        }

        return token;
    }

    private PatternToken Peek(int offset) => _tokens[Math.Min(_position + offset, _tokens.Count - 1)];

    private void Enter(PatternToken open)
    {
        _depth++;
        if (_depth > _options.MaxDepth)
        {
            Fail(open, string.Create(
                CultureInfo.InvariantCulture,
                $"brackets and parentheses are nested more than {_options.MaxDepth} levels deep; simplify the pattern or raise PatternOptions.MaxDepth"));
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            Fail(open, "brackets and parentheses are nested too deeply to parse with the stack space available");
        }
    }

    private void Leave() => _depth--;

    private void ReportProblem(PatternToken token)
    {
        if (token.Problem is not null)
        {
            AddError(token.ProblemColumn, token.Problem);
        }
    }

    private void AddError(int column, string message) =>
        _diagnostics.Add(new PatternDiagnostic(PatternSeverity.Error, column, message));

    private void AddWarning(int column, string message) =>
        _diagnostics.Add(new PatternDiagnostic(PatternSeverity.Warning, column, message));

    /// <summary>Records a syntax error and abandons the parse. A lexer error token reports its own message instead.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fail(PatternToken token, string message)
    {
        if (token.Kind == TokenKind.Error)
        {
            AddError(token.Column, token.Message ?? "invalid input");
        }
        else
        {
            AddError(token.Column, message);
        }

        throw new PatternSyntaxException();
    }

    private static string Expected(string what, PatternToken found) => $"expected {what} but found {Describe(found)}{Hint(found)}";

    private static string Describe(PatternToken token) => token.Kind switch
    {
        TokenKind.End => "the end of the pattern",
        TokenKind.Unknown when token.Text.Length == 2 => $"the unexpected character '{token.Text}'",
        TokenKind.Unknown => $"the unexpected character {PatternLexer.DescribeChar(token.Text[0])}",
        TokenKind.String => $"the string {PatternLexer.Shorten(token.Text)}",
        _ => $"'{PatternLexer.Shorten(token.Text)}'",
    };

    private static string Hint(PatternToken token)
    {
        if (token.Kind == TokenKind.Unknown)
        {
            return token.Message ?? string.Empty;
        }

        if (token.Kind != TokenKind.Identifier)
        {
            return string.Empty;
        }

        string upper = token.Text.ToUpperInvariant();
        if (upper is not ("TRUE" or "FALSE") && PatternToken.KeywordKind(upper) is not null)
        {
            return $" (keywords are case-sensitive: did you mean '{upper}'?)";
        }

        return string.Empty;
    }

    private static string LiteralHint(PatternToken token)
    {
        if (token.Kind != TokenKind.Identifier)
        {
            return string.Empty;
        }

        string lower = token.Text.ToLowerInvariant();
        if (lower is "true" or "false")
        {
            return $"; booleans are written in lower case: {lower}";
        }

        return "; strings must be enclosed in single quotes, e.g. 'text'";
    }

    /// <summary>Thrown internally to abandon the parse after a syntax error; never escapes <see cref="Parse"/>.</summary>
    private sealed class PatternSyntaxException : Exception
    {
        public PatternSyntaxException()
            : base("syntax error")
        {
        }
    }
}
