using ThreatLedger.Stix.Patterning;

namespace ThreatLedger.Stix.Validation;

/// <summary>An indicator's STIX pattern must parse (§9); pattern findings carry the column within the pattern.</summary>
internal static class PatternRules
{
    public static void Check(string pattern, ValidationContext ctx)
    {
        var result = StixPattern.Parse(pattern);
        foreach (var d in result.Diagnostics)
        {
            string message = $"pattern column {d.Column}: {d.Message}";
            if (d.Severity == PatternSeverity.Error)
            {
                ctx.Error("pattern", "pattern", message);
            }
            else
            {
                ctx.Warning("pattern", "pattern", message);
            }
        }
    }
}
