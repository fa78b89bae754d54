namespace ThreatLedger.Stix.Patterning;

internal enum TokenKind
{
    End,
    Error,
    Unknown,
    Identifier,
    String,
    Integer,
    Float,
    Timestamp,
    Hex,
    Binary,
    True,
    False,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Colon,
    Dot,
    Comma,
    Asterisk,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    And,
    Or,
    Not,
    FollowedBy,
    Like,
    Matches,
    IsSubset,
    IsSuperset,
    Exists,
    Last,
    In,
    Start,
    Stop,
    Seconds,
    Within,
    Repeats,
    Times,
}

/// <summary>One lexical token. Fatal lexer problems are <see cref="TokenKind.Error"/> tokens; a literal that is
/// well delimited but has bad content carries a <see cref="Problem"/> that the parser reports when it uses it.</summary>
internal sealed class PatternToken
{
    public PatternToken(TokenKind kind, int start, string text)
    {
        Kind = kind;
        Start = start;
        Text = text;
    }

    public TokenKind Kind { get; }

    /// <summary>0-based index of the first character.</summary>
    public int Start { get; }

    /// <summary>The source text of the token.</summary>
    public string Text { get; }

    public int Column => Start + 1;

    public int End => Start + Text.Length;

    /// <summary>Decoded string value, or the text between the quotes of a t/h/b literal.</summary>
    public string? Value { get; init; }

    /// <summary>Message of an Error token, or a hint for an Unknown token.</summary>
    public string? Message { get; init; }

    /// <summary>Validation problem with the literal's content (an error, reported by the parser).</summary>
    public string? Problem { get; init; }

    /// <summary>1-based column of <see cref="Problem"/>.</summary>
    public int ProblemColumn { get; init; }

    public long IntegerValue { get; init; }

    public double FloatValue { get; init; }

    public byte[]? Bytes { get; init; }

    public PatternTimestamp? Timestamp { get; init; }

    public static TokenKind? KeywordKind(string text) => text switch
    {
        "AND" => TokenKind.And,
        "OR" => TokenKind.Or,
        "NOT" => TokenKind.Not,
        "FOLLOWEDBY" => TokenKind.FollowedBy,
        "LIKE" => TokenKind.Like,
        "MATCHES" => TokenKind.Matches,
        "ISSUBSET" => TokenKind.IsSubset,
        "ISSUPERSET" => TokenKind.IsSuperset,
        "EXISTS" => TokenKind.Exists,
        "LAST" => TokenKind.Last,
        "IN" => TokenKind.In,
        "START" => TokenKind.Start,
        "STOP" => TokenKind.Stop,
        "SECONDS" => TokenKind.Seconds,
        "WITHIN" => TokenKind.Within,
        "REPEATS" => TokenKind.Repeats,
        "TIMES" => TokenKind.Times,
        "true" => TokenKind.True,
        "false" => TokenKind.False,
        _ => null,
    };
}
