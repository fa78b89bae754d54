using System.Text;

namespace ThreatLedger.Stix.Patterning;

/// <summary>
/// A literal value on the right of a comparison operator: <see cref="StringLiteral"/>, <see cref="IntegerLiteral"/>,
/// <see cref="FloatLiteral"/>, <see cref="BooleanLiteral"/>, <see cref="TimestampLiteral"/>, <see cref="HexLiteral"/>,
/// <see cref="BinaryLiteral"/> or <see cref="SetLiteral"/>.
/// </summary>
public abstract class PatternLiteral : PatternNode
{
    private protected PatternLiteral(int column, LiteralKind kind, string sourceText)
        : base(column)
    {
        Kind = kind;
        SourceText = sourceText;
    }

    /// <summary>The kind of literal.</summary>
    public LiteralKind Kind { get; }

    /// <summary>The literal exactly as written in the pattern, including quotes and prefixes.</summary>
    public string SourceText { get; }

    internal override void WriteTo(StringBuilder builder) => builder.Append(SourceText);
}

/// <summary>A string literal such as <c>'it\'s'</c>; only <c>\'</c> and <c>\\</c> escapes exist.</summary>
public sealed class StringLiteral : PatternLiteral
{
    internal StringLiteral(int column, string sourceText, string value)
        : base(column, LiteralKind.String, sourceText)
    {
        Value = value;
    }

    /// <summary>The string with escapes removed.</summary>
    public string Value { get; }

    internal static void AppendQuoted(StringBuilder builder, string value)
    {
        builder.Append('\'');
        foreach (char c in value)
        {
            if (c is '\'' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        builder.Append('\'');
    }
}

/// <summary>An integer literal such as <c>1024</c> or <c>-1</c> (64-bit signed range).</summary>
public sealed class IntegerLiteral : PatternLiteral
{
    internal IntegerLiteral(int column, string sourceText, long value)
        : base(column, LiteralKind.Integer, sourceText)
    {
        Value = value;
    }

    /// <summary>The value.</summary>
    public long Value { get; }
}

/// <summary>A floating-point literal such as <c>7.0</c> or <c>-.5</c>.</summary>
public sealed class FloatLiteral : PatternLiteral
{
    internal FloatLiteral(int column, string sourceText, double value)
        : base(column, LiteralKind.Float, sourceText)
    {
        Value = value;
    }

    /// <summary>The value.</summary>
    public double Value { get; }
}

/// <summary>A boolean literal: <c>true</c> or <c>false</c> (lower case only).</summary>
public sealed class BooleanLiteral : PatternLiteral
{
    internal BooleanLiteral(int column, string sourceText, bool value)
        : base(column, LiteralKind.Boolean, sourceText)
    {
        Value = value;
    }

    /// <summary>The value.</summary>
    public bool Value { get; }
}

/// <summary>A timestamp literal such as <c>t'2021-07-19T00:00:00.123Z'</c>.</summary>
public sealed class TimestampLiteral : PatternLiteral
{
    internal TimestampLiteral(int column, string sourceText, string value, PatternTimestamp? parts)
        : base(column, LiteralKind.Timestamp, sourceText)
    {
        Value = value;
        Parts = parts;
        Instant = parts?.ToInstant();
    }

    /// <summary>The text between the quotes, e.g. <c>2021-07-19T00:00:00Z</c>.</summary>
    public string Value { get; }

    /// <summary>
    /// The point in time (UTC, fractions beyond 100 ns truncated), or <see langword="null"/> when the timestamp is
    /// invalid, is a leap second (<c>:60</c>) or has year 0000, none of which <see cref="DateTimeOffset"/> can hold.
    /// </summary>
    public DateTimeOffset? Instant { get; }

    /// <summary>The validated fields, or <see langword="null"/> when the timestamp is invalid.</summary>
    internal PatternTimestamp? Parts { get; }
}

/// <summary>A hex literal such as <c>h'ffd8'</c>.</summary>
public sealed class HexLiteral : PatternLiteral
{
    private readonly byte[] _bytes;

    internal HexLiteral(int column, string sourceText, string value, byte[] bytes)
        : base(column, LiteralKind.Hex, sourceText)
    {
        Value = value;
        _bytes = bytes;
    }

    /// <summary>The hex digits between the quotes.</summary>
    public string Value { get; }

    /// <summary>The decoded bytes (empty when the literal is invalid).</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;
}

/// <summary>A binary literal such as <c>b'dGVzdA=='</c> (base64).</summary>
public sealed class BinaryLiteral : PatternLiteral
{
    private readonly byte[] _bytes;

    internal BinaryLiteral(int column, string sourceText, string value, byte[] bytes)
        : base(column, LiteralKind.Binary, sourceText)
    {
        Value = value;
        _bytes = bytes;
    }

    /// <summary>The base64 text between the quotes.</summary>
    public string Value { get; }

    /// <summary>The decoded bytes (empty when the literal is invalid).</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;
}

/// <summary>A parenthesised set of literals used with <c>IN</c>, such as <c>(80, 443)</c>.</summary>
public sealed class SetLiteral : PatternLiteral
{
    internal SetLiteral(int column, string sourceText, IReadOnlyList<PatternLiteral> items)
        : base(column, LiteralKind.Set, sourceText)
    {
        Items = items;
    }

    /// <summary>The elements, in source order (never sets themselves).</summary>
    public IReadOnlyList<PatternLiteral> Items { get; }

    internal override void WriteTo(StringBuilder builder)
    {
        builder.Append('(');
        for (int i = 0; i < Items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            Items[i].WriteTo(builder);
        }

        builder.Append(')');
    }
}
