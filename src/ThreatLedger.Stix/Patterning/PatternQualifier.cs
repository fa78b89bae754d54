using System.Text;

namespace ThreatLedger.Stix.Patterning;

/// <summary>
/// A qualifier on an observation expression: <see cref="WithinQualifier"/>, <see cref="RepeatsQualifier"/>
/// or <see cref="StartStopQualifier"/>.
/// </summary>
public abstract class PatternQualifier : PatternNode
{
    private protected PatternQualifier(int column)
        : base(column)
    {
    }
}

/// <summary><c>WITHIN n SECONDS</c>: the qualified observations must all occur within the time window.</summary>
public sealed class WithinQualifier : PatternQualifier
{
    internal WithinQualifier(int column, double seconds, string sourceText)
        : base(column)
    {
        Seconds = seconds;
        SourceText = sourceText;
    }

    /// <summary>The length of the window in seconds (positive in a valid pattern; integer or fractional).</summary>
    public double Seconds { get; }

    /// <summary>The number as written in the pattern.</summary>
    public string SourceText { get; }

    internal override void WriteTo(StringBuilder builder) => builder.Append("WITHIN ").Append(SourceText).Append(" SECONDS");
}

/// <summary><c>REPEATS n TIMES</c>: the qualified expression must match n times.</summary>
public sealed class RepeatsQualifier : PatternQualifier
{
    internal RepeatsQualifier(int column, long count, string sourceText)
        : base(column)
    {
        Count = count;
        SourceText = sourceText;
    }

    /// <summary>How many times the expression must match (positive in a valid pattern).</summary>
    public long Count { get; }

    /// <summary>The number as written in the pattern.</summary>
    public string SourceText { get; }

    internal override void WriteTo(StringBuilder builder) => builder.Append("REPEATS ").Append(SourceText).Append(" TIMES");
}

/// <summary><c>START t'...' STOP t'...'</c>: the observations must occur in the half-open time range [start, stop).</summary>
public sealed class StartStopQualifier : PatternQualifier
{
    internal StartStopQualifier(int column, TimestampLiteral start, TimestampLiteral stop)
        : base(column)
    {
        Start = start;
        Stop = stop;
    }

    /// <summary>The inclusive start of the range.</summary>
    public TimestampLiteral Start { get; }

    /// <summary>The exclusive end of the range; later than <see cref="Start"/> in a valid pattern.</summary>
    public TimestampLiteral Stop { get; }

    internal override void WriteTo(StringBuilder builder)
    {
        builder.Append("START ");
        Start.WriteTo(builder);
        builder.Append(" STOP ");
        Stop.WriteTo(builder);
    }
}
