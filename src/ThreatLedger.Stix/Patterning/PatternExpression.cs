using System.Text;

namespace ThreatLedger.Stix.Patterning;

/// <summary>
/// An observation-level expression: the root of a parsed pattern. It is one of
/// <see cref="ObservationExpression"/>, <see cref="ObservationGroupExpression"/>,
/// <see cref="CompoundObservationExpression"/> or <see cref="QualifiedObservationExpression"/>.
/// </summary>
public abstract class PatternExpression : PatternNode
{
    private protected PatternExpression(int column)
        : base(column)
    {
    }
}

/// <summary>A bracketed comparison expression such as <c>[file:name = 'a.exe']</c>.</summary>
public sealed class ObservationExpression : PatternExpression
{
    internal ObservationExpression(int column, ComparisonExpression comparison)
        : base(column)
    {
        Comparison = comparison;
    }

    /// <summary>The comparison expression between the brackets.</summary>
    public ComparisonExpression Comparison { get; }

    internal override void WriteTo(StringBuilder builder)
    {
        builder.Append('[');
        Comparison.WriteTo(builder);
        builder.Append(']');
    }
}

/// <summary>A parenthesised observation expression such as <c>([a:b = 1] OR [c:d = 2])</c>.</summary>
public sealed class ObservationGroupExpression : PatternExpression
{
    internal ObservationGroupExpression(int column, PatternExpression inner)
        : base(column)
    {
        Inner = inner;
    }

    /// <summary>The expression between the parentheses.</summary>
    public PatternExpression Inner { get; }

    internal override void WriteTo(StringBuilder builder)
    {
        builder.Append('(');
        Inner.WriteTo(builder);
        builder.Append(')');
    }
}

/// <summary>
/// Two or more observation expressions joined by the same operator, in source order. A chain such as
/// <c>A AND B AND C</c> is one node with three operands; operator precedence (AND, then OR, then FOLLOWEDBY)
/// is already applied, so an operand is never a compound expression with the same operator.
/// </summary>
public sealed class CompoundObservationExpression : PatternExpression
{
    internal CompoundObservationExpression(int column, ObservationOperator @operator, IReadOnlyList<PatternExpression> operands)
        : base(column)
    {
        Operator = @operator;
        Operands = operands;
    }

    /// <summary>The operator joining the operands.</summary>
    public ObservationOperator Operator { get; }

    /// <summary>The joined expressions, at least two, in source order.</summary>
    public IReadOnlyList<PatternExpression> Operands { get; }

    internal override void WriteTo(StringBuilder builder)
    {
        string separator = Operator switch
        {
            ObservationOperator.And => " AND ",
            ObservationOperator.Or => " OR ",
            _ => " FOLLOWEDBY ",
        };
        for (int i = 0; i < Operands.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(separator);
            }

            Operands[i].WriteTo(builder);
        }
    }
}

/// <summary>
/// An observation expression followed by one or more qualifiers, e.g. <c>[a:b = 1] REPEATS 2 TIMES WITHIN 60 SECONDS</c>.
/// Qualifiers bind tighter than AND, OR and FOLLOWEDBY: in <c>A AND B WITHIN 5 SECONDS</c> only <c>B</c> is qualified.
/// </summary>
public sealed class QualifiedObservationExpression : PatternExpression
{
    internal QualifiedObservationExpression(int column, PatternExpression operand, IReadOnlyList<PatternQualifier> qualifiers)
        : base(column)
    {
        Operand = operand;
        Qualifiers = qualifiers;
    }

    /// <summary>The qualified expression (a bracketed or parenthesised expression).</summary>
    public PatternExpression Operand { get; }

    /// <summary>The qualifiers, in the order written; each applies to everything to its left.</summary>
    public IReadOnlyList<PatternQualifier> Qualifiers { get; }

    internal override void WriteTo(StringBuilder builder)
    {
        Operand.WriteTo(builder);
        foreach (PatternQualifier qualifier in Qualifiers)
        {
            builder.Append(' ');
            qualifier.WriteTo(builder);
        }
    }
}
