using ThreatLedger.Stix.Patterning;

namespace ThreatLedger.Stix.Tests.Patterning;

/// <summary>Validation rules that are easier to state in code than as fixture rows.</summary>
public sealed class PatternValidationTests
{
    private static readonly string[] s_cyberObservableTypes =
    [
        "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file",
        "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url",
        "user-account", "windows-registry-key", "x509-certificate",
    ];

    public static TheoryData<string> CyberObservableTypes => new(s_cyberObservableTypes);

    [Fact]
    public void CyberObservableTypes_AreTheEighteenFromStix21()
    {
        Assert.Equal(18, s_cyberObservableTypes.Distinct().Count());
        Assert.Equal(s_cyberObservableTypes.Order(StringComparer.Ordinal), PatternParser.CyberObservableTypes.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CyberObservableTypes))]
    public void Parse_StixCyberObservableType_HasNoDiagnostics(string type)
    {
        PatternParseResult result = StixPattern.Parse($"[{type}:id = 'x']");

        Assert.True(result.IsValid);
        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("x-acme")]
    [InlineData("x--")]
    [InlineData("x-0123456789-abc")]
    public void Parse_CustomType_HasNoWarning(string type) =>
        Assert.Empty(StixPattern.Parse($"[{type}:id = 'x']").Diagnostics);

    [Fact]
    public void Parse_TypeNameOf250Characters_IsAcceptedAnd251IsNot()
    {
        string ok = "x-" + new string('a', 248);
        string tooLong = ok + "a";

        Assert.True(StixPattern.Parse($"[{ok}:id = 1]").IsValid);
        PatternDiagnostic error = Assert.Single(StixPattern.Parse($"[{tooLong}:id = 1]").Diagnostics);
        Assert.Equal(2, error.Column);
        Assert.Contains("its length is 251", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralValidationErrors_AreAllReportedInColumnOrder()
    {
        PatternParseResult result = StixPattern.Parse(
            "[File:created = t'2021-02-30T00:00:00Z' AND file:magic_number_hex = h'abc'] REPEATS 0 TIMES");

        Assert.NotNull(result.Expression);
        Assert.Equal([2, 17, 69, 85], result.Diagnostics.Select(d => d.Column));
        Assert.All(result.Diagnostics, d => Assert.Equal(PatternSeverity.Error, d.Severity));
    }

    [Fact]
    public void Parse_WarningsAndErrorsTogether_IsInvalid()
    {
        PatternParseResult result = StixPattern.Parse("[foo:bar = 1] WITHIN 0 SECONDS");

        Assert.False(result.IsValid);
        Assert.Collection(
            result.Diagnostics,
            d => Assert.Equal((PatternSeverity.Warning, 2), (d.Severity, d.Column)),
            d => Assert.Equal((PatternSeverity.Error, 22), (d.Severity, d.Column)));
    }

    [Fact]
    public void Parse_SurrogatePairOutsideString_IsShownWhole()
    {
        PatternDiagnostic error = Assert.Single(StixPattern.Parse("[file:name = 'a'] \U0001F600").Diagnostics);

        Assert.Equal(19, error.Column);
        Assert.Contains("the unexpected character '\U0001F600'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NonAsciiInsideString_IsAccepted() =>
        Assert.True(StixPattern.Parse("[file:name = '\U0001F600 r\u00e9sum\u00e9']").IsValid);

    [Fact]
    public void Diagnostic_ToString_IncludesSeverityAndColumn()
    {
        var diagnostic = new PatternDiagnostic(PatternSeverity.Warning, 7, "something odd");

        Assert.Equal("warning at column 7: something odd", diagnostic.ToString());
    }
}
