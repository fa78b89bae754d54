using System.Text;

namespace ThreatLedger.Stix.Patterning;

/// <summary>
/// A comparison-level expression (inside the brackets of an observation expression): one of
/// <see cref="PropertyComparison"/>, <see cref="ComparisonGroupExpression"/> or <see cref="CompoundComparisonExpression"/>.
/// </summary>
public abstract class ComparisonExpression : PatternNode
{
    private protected ComparisonExpression(int column)
        : base(column)
    {
    }
}

/// <summary>A single comparison such as <c>file:size &gt; 1024</c>, <c>file:name NOT LIKE 'a%'</c> or <c>EXISTS file:name</c>.</summary>
public sealed class PropertyComparison : ComparisonExpression
{
    internal PropertyComparison(int column, ObjectPath path, ComparisonOperator @operator, bool isNegated, PatternLiteral? value)
        : base(column)
    {
        Path = path;
        Operator = @operator;
        IsNegated = isNegated;
        Value = value;
    }

    /// <summary>The object path on the left of the operator.</summary>
    public ObjectPath Path { get; }

    /// <summary>The comparison operator.</summary>
    public ComparisonOperator Operator { get; }

    /// <summary><see langword="true"/> when the operator is preceded by <c>NOT</c>.</summary>
    public bool IsNegated { get; }

    /// <summary>
    /// The literal on the right of the operator (a <see cref="SetLiteral"/> for <c>IN</c>);
    /// <see langword="null"/> for <see cref="ComparisonOperator.Exists"/>.
    /// </summary>
    public PatternLiteral? Value { get; }

    internal override void WriteTo(StringBuilder builder)
    {
        if (Operator == ComparisonOperator.Exists)
        {
            builder.Append("EXISTS ");
            Path.WriteTo(builder);
            return;
        }

        Path.WriteTo(builder);
        builder.Append(' ');
        if (IsNegated)
        {
            builder.Append("NOT ");
        }

        builder.Append(OperatorText(Operator));
        if (Value is not null)
        {
            builder.Append(' ');
            Value.WriteTo(builder);
        }
    }

    internal static string OperatorText(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessThanOrEqual => "<=",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        ComparisonOperator.In => "IN",
        ComparisonOperator.Like => "LIKE",
        ComparisonOperator.Matches => "MATCHES",
        ComparisonOperator.IsSubset => "ISSUBSET",
        ComparisonOperator.IsSuperset => "ISSUPERSET",
        _ => "EXISTS",
    };
}

/// <summary>A parenthesised comparison expression such as <c>(file:name = 'a' OR file:name = 'b')</c>.</summary>
public sealed class ComparisonGroupExpression : ComparisonExpression
{
    internal ComparisonGroupExpression(int column, ComparisonExpression inner)
        : base(column)
    {
        Inner = inner;
    }

    /// <summary>The expression between the parentheses.</summary>
    public ComparisonExpression Inner { get; }

    internal override void WriteTo(StringBuilder builder)
    {
        builder.Append('(');
        Inner.WriteTo(builder);
        builder.Append(')');
    }
}

/// <summary>
/// Two or more comparison expressions joined by the same operator, in source order. AND binds tighter than OR,
/// so an OR node may have AND operands but not the reverse (except through a <see cref="ComparisonGroupExpression"/>).
/// </summary>
public sealed class CompoundComparisonExpression : ComparisonExpression
{
    internal CompoundComparisonExpression(int column, ComparisonLogicalOperator @operator, IReadOnlyList<ComparisonExpression> operands)
        : base(column)
    {
        Operator = @operator;
        Operands = operands;
    }

    /// <summary>The operator joining the operands.</summary>
    public ComparisonLogicalOperator Operator { get; }

    /// <summary>The joined expressions, at least two, in source order.</summary>
    public IReadOnlyList<ComparisonExpression> Operands { get; }

    internal override void WriteTo(StringBuilder builder)
    {
        string separator = Operator == ComparisonLogicalOperator.And ? " AND " : " OR ";
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
