using ThreatLedger.Stix.Patterning;

namespace ThreatLedger.Stix.Tests.Patterning;

/// <summary>One test case per row of the fixture files in Fixtures/patterns.</summary>
public sealed class PatternFixtureTests
{
    public static TheoryData<int, string> ValidPatterns => PatternFixtures.Valid();

    public static TheoryData<int, int, string, string> WarningPatterns => PatternFixtures.WithColumn("warnings.txt");

    public static TheoryData<int, int, string, string> InvalidPatterns => PatternFixtures.WithColumn("invalid.txt");

    [Theory]
    [MemberData(nameof(ValidPatterns))]
    public void Valid_Pattern_ParsesWithoutDiagnosticsAndRoundTrips(int line, string pattern)
    {
        PatternParseResult result = StixPattern.Parse(pattern);

        Assert.True(result.IsValid, $"valid.txt:{line}: {Describe(result)}");
        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Expression);

        // The canonical text must parse to the same canonical text.
        string canonical = result.Expression.ToString();
        PatternParseResult again = StixPattern.Parse(canonical);
        Assert.True(again.IsValid, $"valid.txt:{line}: canonical form '{canonical}' is invalid: {Describe(again)}");
        Assert.Equal(canonical, again.Expression?.ToString());
    }

    [Theory]
    [MemberData(nameof(WarningPatterns))]
    public void Warning_Pattern_IsValidWithOneWarningAtColumn(int line, int column, string fragment, string pattern)
    {
        PatternParseResult result = StixPattern.Parse(pattern);

        Assert.True(result.IsValid, $"warnings.txt:{line}: {Describe(result)}");
        Assert.NotNull(result.Expression);
        PatternDiagnostic warning = Assert.Single(result.Diagnostics);
        Assert.Equal(PatternSeverity.Warning, warning.Severity);
        Assert.Equal(column, warning.Column);
        Assert.Contains(fragment, warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidPatterns))]
    public void Invalid_Pattern_FirstErrorHasColumnAndMessage(int line, int column, string fragment, string pattern)
    {
        PatternParseResult result = StixPattern.Parse(pattern);

        Assert.False(result.IsValid, $"invalid.txt:{line}: expected an error");
        PatternDiagnostic? first = null;
        foreach (PatternDiagnostic diagnostic in result.Diagnostics)
        {
            Assert.InRange(diagnostic.Column, 1, pattern.Length + 1);
            if (first is null && diagnostic.Severity == PatternSeverity.Error)
            {
                first = diagnostic;
            }
        }

        Assert.NotNull(first);
        Assert.True(column == first.Column, $"invalid.txt:{line}: expected column {column}, got {first}");
        Assert.Contains(fragment, first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixtures_HaveAtLeastOneHundredRows()
    {
        int valid = PatternFixtures.Valid().Count() + PatternFixtures.WithColumn("warnings.txt").Count();
        int invalid = PatternFixtures.WithColumn("invalid.txt").Count();

        Assert.True(valid >= 55, $"only {valid} valid fixtures");
        Assert.True(invalid >= 60, $"only {invalid} invalid fixtures");
    }

    private static string Describe(PatternParseResult result) =>
        string.Join("; ", result.Diagnostics.Select(d => d.ToString()));
}
