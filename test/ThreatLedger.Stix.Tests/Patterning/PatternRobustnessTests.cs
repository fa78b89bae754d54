using System.Text;
using ThreatLedger.Stix.Patterning;

namespace ThreatLedger.Stix.Tests.Patterning;

/// <summary>Limits, degenerate input and fuzzing: the parser reports problems and never throws.</summary>
public sealed class PatternRobustnessTests
{
    private static readonly string[] s_fragments =
    [
        "[", "]", "(", ")", ":", ",", ".", "*", "=", "==", "!=", "<>", "<", "<=", ">", ">=", "'", "\\", "\"", "+", "-", "/",
        " ", "\t", "\n", "\u00a0", "\u2003", "\u00a7", "\0", "\ud83d", "0", "1", "07", "1.5", "-3", "a", "x", "_", "t", "h", "b",
        "AND", "OR", "NOT", "FOLLOWEDBY", "WITHIN", "SECONDS", "REPEATS", "TIMES", "START", "STOP", "IN", "LIKE",
        "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS", "LAST", "true", "false", "and", "within",
        "file", "file:name", "x-acme:k", ".'SHA-256'", "[*]", "[0]", "'x'", "'a\\'b'", "'(('", "t'2021-07-19T00:00:00Z'",
        "t'2021-02-30T00:00:00Z'", "h'", "h'ab'", "h'abc'", "b'", "b'dGVzdA=='", "b'===='", "/*", "*/", "//",
    ];

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => StixPattern.Parse(null!));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" \t\r\n\u00a0\u3000")]
    [InlineData("/* only a comment */")]
    [InlineData("// only a comment")]
    public void Parse_EmptyInput_ReportsEmptyPatternAtColumnOne(string pattern)
    {
        PatternParseResult result = StixPattern.Parse(pattern);

        Assert.Null(result.Expression);
        PatternDiagnostic error = Assert.Single(result.Diagnostics);
        Assert.Equal(PatternSeverity.Error, error.Severity);
        Assert.Equal(1, error.Column);
        Assert.Contains("the pattern is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MultiLineWhitespace_IsAccepted()
    {
        PatternParseResult result = StixPattern.Parse("[file:name = 'a']\r\n\tAND\n[file:size > 1]\n// done\n");

        Assert.True(result.IsValid, string.Join("; ", result.Diagnostics));
    }

    [Fact]
    public void Parse_InputLongerThanMaxLength_ReportsLengthError()
    {
        string pattern = "[file:name = '" + new string('a', 70_000) + "']";

        PatternParseResult result = StixPattern.Parse(pattern);

        Assert.Null(result.Expression);
        PatternDiagnostic error = Assert.Single(result.Diagnostics);
        Assert.Equal(65_537, error.Column);
        Assert.Contains("more than the maximum of 65536", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CustomMaxLength_IsApplied()
    {
        var options = new PatternOptions { MaxLength = 17 };

        Assert.True(StixPattern.Parse("[file:name = 'a']", options).IsValid);
        PatternParseResult tooLong = StixPattern.Parse("[file:name = 'ab']", options);
        Assert.Equal(18, Assert.Single(tooLong.Diagnostics).Column);
    }

    [Fact]
    public void Parse_PatternOfExactlyDefaultMaxLength_IsParsed()
    {
        string prefix = "[file:name = '";
        string pattern = prefix + new string('a', PatternOptions.Default.MaxLength - prefix.Length - 2) + "']";

        Assert.Equal(65_536, pattern.Length);
        Assert.True(StixPattern.Parse(pattern).IsValid);
    }

    [Fact]
    public void Parse_HundredThousandOpenParentheses_ReportsDepthError()
    {
        string pattern = new('(', 100_000);

        PatternParseResult result = StixPattern.Parse(pattern, new PatternOptions { MaxLength = 200_000 });

        Assert.Null(result.Expression);
        PatternDiagnostic error = Assert.Single(result.Diagnostics);
        Assert.Equal(65, error.Column);
        Assert.Contains("nested more than 64 levels deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HundredThousandOpenParentheses_WithDefaultOptions_ReportsAnErrorWithoutCrashing()
    {
        PatternParseResult result = StixPattern.Parse(new string('(', 100_000));

        Assert.False(result.IsValid);
        Assert.Contains("maximum of 65536", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepComparisonParentheses_ReportsDepthError()
    {
        string pattern = "[" + new string('(', 50_000) + "file:name = 'a'" + new string(')', 50_000) + "]";

        PatternParseResult result = StixPattern.Parse(pattern, new PatternOptions { MaxLength = 200_000 });

        PatternDiagnostic error = Assert.Single(result.Diagnostics);
        Assert.Equal(65, error.Column);
        Assert.Contains("nested more than 64 levels deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnlimitedDepth_StillStopsBeforeTheStackRunsOut()
    {
        string pattern = new string('(', 500_000) + "[file:name = 'a']" + new string(')', 500_000);
        var options = new PatternOptions { MaxLength = int.MaxValue, MaxDepth = int.MaxValue };

        PatternParseResult result = StixPattern.Parse(pattern, options);

        Assert.False(result.IsValid);
        Assert.Contains("nested too deeply", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void Parse_NestingAtTheLimit_IsAccepted(int depth, bool valid)
    {
        // The brackets of the observation count as one level.
        string pattern = new string('(', depth - 1) + "[file:name = 'a']" + new string(')', depth - 1);

        Assert.Equal(valid, StixPattern.Parse(pattern).IsValid);
    }

    [Fact]
    public void Parse_LongFlatChains_DoNotRecurse()
    {
        var builder = new StringBuilder("[file:size = 0");
        for (int i = 1; i < 3_000; i++)
        {
            builder.Append(" OR file:size = ").Append(i);
        }

        builder.Append(']');
        for (int i = 0; i < 2_000; i++)
        {
            builder.Append(" FOLLOWEDBY [file:name = 'a'] WITHIN 1 SECONDS");
        }

        PatternParseResult result = StixPattern.Parse(builder.ToString(), new PatternOptions { MaxLength = 1_000_000 });

        Assert.True(result.IsValid, string.Join("; ", result.Diagnostics));
        CompoundObservationExpression chain = Assert.IsType<CompoundObservationExpression>(result.Expression);
        Assert.Equal(2_001, chain.Operands.Count);
        Assert.NotEmpty(chain.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void PatternOptions_NonPositiveLimits_Throw(int value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PatternOptions { MaxDepth = value });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PatternOptions { MaxLength = value });
    }

    [Fact]
    public void Parse_RandomGarbage_NeverThrows()
    {
        var random = new Random(20210719);
        for (int i = 0; i < 4_000; i++)
        {
            var builder = new StringBuilder();
            int pieces = random.Next(0, 25);
            for (int p = 0; p < pieces; p++)
            {
                builder.Append(s_fragments[random.Next(s_fragments.Length)]);
                if (random.Next(3) == 0)
                {
                    builder.Append(' ');
                }
            }

            AssertWellBehaved(builder.ToString());
        }
    }

    [Fact]
    public void Parse_MutatedValidPatterns_NeverThrow()
    {
        var random = new Random(1337);
        string[] seeds = [.. PatternFixtures.ReadLines("valid.txt").Select(row => row.Text)];
        const string Alphabet = "[]():,.*=!<>'\\\"+-/ tTbhxzZ019_ANDORNOTIN\u00a7";
        for (int i = 0; i < 4_000; i++)
        {
            var text = new StringBuilder(seeds[random.Next(seeds.Length)]);
            int edits = random.Next(1, 4);
            for (int e = 0; e < edits; e++)
            {
                int at = random.Next(text.Length + 1);
                switch (random.Next(3))
                {
                    case 0 when at < text.Length:
                        text.Remove(at, 1);
                        break;
                    case 1 when at < text.Length:
                        text[at] = Alphabet[random.Next(Alphabet.Length)];
                        break;
                    default:
                        text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                        break;
                }
            }

            AssertWellBehaved(text.ToString());
        }
    }

    private static void AssertWellBehaved(string pattern)
    {
        PatternParseResult result;
        try
        {
            result = StixPattern.Parse(pattern);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"Parse threw {ex.GetType().Name} for pattern: {pattern}");
            return;
        }

        foreach (PatternDiagnostic diagnostic in result.Diagnostics)
        {
            Assert.InRange(diagnostic.Column, 1, pattern.Length + 1);
            Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message));
        }

        if (result.Expression is null)
        {
            Assert.False(result.IsValid, $"no tree but no error for: {pattern}");
        }
        else if (result.IsValid)
        {
            // Whatever is accepted must print to text that is accepted again.
            string canonical = result.Expression.ToString();
            Assert.True(StixPattern.Parse(canonical).IsValid, $"'{pattern}' printed as invalid '{canonical}'");
        }
    }
}
