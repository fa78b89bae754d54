namespace ThreatLedger.Stix.Patterning;

/// <summary>The outcome of <see cref="StixPattern.Parse(string, PatternOptions?)"/>.</summary>
public sealed class PatternParseResult
{
    internal PatternParseResult(PatternExpression? expression, IReadOnlyList<PatternDiagnostic> diagnostics)
    {
        Expression = expression;
        Diagnostics = diagnostics;
        bool valid = true;
        foreach (PatternDiagnostic diagnostic in diagnostics)
        {
            if (diagnostic.Severity == PatternSeverity.Error)
            {
                valid = false;
                break;
            }
        }

        IsValid = valid;
    }

    /// <summary>
    /// The syntax tree, or <see langword="null"/> when the pattern could not be parsed at all (a syntax error,
    /// an input that is too long or too deeply nested). A tree is still returned when the syntax is correct but
    /// validation found errors, such as an impossible timestamp.
    /// </summary>
    public PatternExpression? Expression { get; }

    /// <summary>Every error and warning found, ordered by column.</summary>
    public IReadOnlyList<PatternDiagnostic> Diagnostics { get; }

    /// <summary><see langword="true"/> when <see cref="Diagnostics"/> contains no errors (warnings are allowed).</summary>
    public bool IsValid { get; }
}
