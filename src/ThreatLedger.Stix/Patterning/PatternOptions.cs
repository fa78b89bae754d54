namespace ThreatLedger.Stix.Patterning;

/// <summary>
/// Limits applied by <see cref="StixPattern.Parse(string, PatternOptions?)"/>. Patterns that go past a
/// limit are reported with an error diagnostic instead of being parsed.
/// </summary>
public sealed class PatternOptions
{
    private readonly int _maxLength = 65536;
    private readonly int _maxDepth = 64;

    /// <summary>The options used when none are given: 65,536 characters and 64 levels of nesting.</summary>
    public static PatternOptions Default { get; } = new();

    /// <summary>
    /// The longest pattern, in UTF-16 characters, that will be parsed. Longer input gives an error.
    /// Must be positive; the default is 65,536.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public int MaxLength
    {
        get => _maxLength;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _maxLength = value;
        }
    }

    /// <summary>
    /// The deepest nesting of observation brackets and parentheses (at both the observation and the
    /// comparison level) that will be parsed. Deeper input gives an error. Must be positive; the default is 64.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public int MaxDepth
    {
        get => _maxDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _maxDepth = value;
        }
    }
}
