namespace ThreatLedger.Stix.Patterning;

/// <summary>How serious a <see cref="PatternDiagnostic"/> is.</summary>
public enum PatternSeverity
{
    /// <summary>The pattern is not valid STIX 2.1 patterning.</summary>
    Error,

    /// <summary>The pattern is valid but probably not what was meant (for example an unknown object type).</summary>
    Warning,
}

/// <summary>A problem found while parsing or validating a STIX pattern.</summary>
/// <param name="Severity">Whether the problem makes the pattern invalid.</param>
/// <param name="Column">1-based position, in UTF-16 characters of the pattern string, of the offending token.</param>
/// <param name="Message">Plain-English description of what is wrong and what was expected.</param>
public sealed record PatternDiagnostic(PatternSeverity Severity, int Column, string Message)
{
    /// <summary>Formats the diagnostic as <c>error at column 5: message</c>.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString()
    {
        string severity = Severity == PatternSeverity.Error ? "error" : "warning";
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{severity} at column {Column}: {Message}");
    }
}
