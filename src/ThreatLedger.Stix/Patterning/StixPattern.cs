namespace ThreatLedger.Stix.Patterning;

/// <summary>Entry point for parsing and validating STIX 2.1 patterns (STIX 2.1 section 9, "STIX Patterning").</summary>
public static class StixPattern
{
    /// <summary>
    /// Parses a STIX 2.1 pattern such as <c>[file:hashes.'SHA-256' = '...'] WITHIN 300 SECONDS</c> and
    /// validates it beyond its syntax (object type names, timestamps, qualifier values, regular expressions,
    /// literal kinds expected by each operator).
    /// </summary>
    /// <param name="pattern">The pattern text.</param>
    /// <param name="options">Length and nesting limits; <see cref="PatternOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>
    /// The syntax tree (when the syntax is correct) and the diagnostics. Problems in the content are always
    /// reported as diagnostics, never as exceptions.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is <see langword="null"/>.</exception>
    public static PatternParseResult Parse(string pattern, PatternOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return PatternParser.Parse(pattern, options ?? PatternOptions.Default);
    }
}
