using System.Text;
using ThreatLedger.Stix.Patterning;

namespace ThreatLedger.Stix.Tests.Patterning;

/// <summary>Operator precedence, associativity, qualifier binding and the shape of the syntax tree.</summary>
public sealed class PatternAstTests
{
    [Theory]
    // The example from the spec discussion: AND groups before OR (the short type names only add type-name errors).
    [InlineData("[a:b = 1] OR [c:d = 2] AND [e:f = 3]", "Or([a:b = 1], And([c:d = 2], [e:f = 3]))")]
    [InlineData("[x-a:b = 1] AND [x-c:d = 2] OR [x-e:f = 3]", "Or(And([x-a:b = 1], [x-c:d = 2]), [x-e:f = 3])")]
    // FOLLOWEDBY is the loosest observation operator.
    [InlineData(
        "[x-a:b = 1] AND [x-c:d = 2] FOLLOWEDBY [x-e:f = 3] OR [x-g:h = 4]",
        "FollowedBy(And([x-a:b = 1], [x-c:d = 2]), Or([x-e:f = 3], [x-g:h = 4]))")]
    [InlineData(
        "[x-a:b = 1] FOLLOWEDBY [x-c:d = 2] AND [x-e:f = 3]",
        "FollowedBy([x-a:b = 1], And([x-c:d = 2], [x-e:f = 3]))")]
    // Chains of one operator are one node, operands in source order (left-associative).
    [InlineData(
        "[x-a:b = 1] FOLLOWEDBY [x-c:d = 2] FOLLOWEDBY [x-e:f = 3]",
        "FollowedBy([x-a:b = 1], [x-c:d = 2], [x-e:f = 3])")]
    // Parentheses override precedence.
    [InlineData(
        "([x-a:b = 1] OR [x-c:d = 2]) AND [x-e:f = 3]",
        "And(Group(Or([x-a:b = 1], [x-c:d = 2])), [x-e:f = 3])")]
    [InlineData(
        "[x-a:b = 1] AND ([x-c:d = 2] FOLLOWEDBY [x-e:f = 3])",
        "And([x-a:b = 1], Group(FollowedBy([x-c:d = 2], [x-e:f = 3])))")]
    // Qualifiers bind to the bracketed or parenthesised expression right before them, tighter than AND.
    [InlineData(
        "[x-a:b = 1] AND [x-c:d = 2] WITHIN 5 SECONDS",
        "And([x-a:b = 1], Qualified([x-c:d = 2] | WITHIN 5 SECONDS))")]
    [InlineData(
        "([x-a:b = 1] AND [x-c:d = 2]) WITHIN 5 SECONDS",
        "Qualified(Group(And([x-a:b = 1], [x-c:d = 2])) | WITHIN 5 SECONDS)")]
    [InlineData(
        "[x-a:b = 1] REPEATS 5 TIMES WITHIN 1800 SECONDS",
        "Qualified([x-a:b = 1] | REPEATS 5 TIMES | WITHIN 1800 SECONDS)")]
    [InlineData(
        "[x-a:b = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z' OR [x-c:d = 2]",
        "Or(Qualified([x-a:b = 1] | START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'), [x-c:d = 2])")]
    // Comparison level: AND before OR, parentheses override.
    [InlineData("[x-a:b = 1 OR x-a:c = 2 AND x-a:d = 3]", "[Or(x-a:b = 1, And(x-a:c = 2, x-a:d = 3))]")]
    [InlineData("[x-a:b = 1 AND x-a:c = 2 OR x-a:d = 3]", "[Or(And(x-a:b = 1, x-a:c = 2), x-a:d = 3)]")]
    [InlineData("[(x-a:b = 1 OR x-a:c = 2) AND x-a:d = 3]", "[And(Group(Or(x-a:b = 1, x-a:c = 2)), x-a:d = 3)]")]
    [InlineData("[x-a:b = 1 AND x-a:c = 2 AND x-a:d = 3]", "[And(x-a:b = 1, x-a:c = 2, x-a:d = 3)]")]
    public void Parse_AppliesPrecedence(string pattern, string expectedShape)
    {
        PatternParseResult result = StixPattern.Parse(pattern);

        Assert.NotNull(result.Expression);
        Assert.Equal(expectedShape, Shape(result.Expression));
    }

    [Fact]
    public void Parse_ShortTypeNames_StillBuildsTreeButReportsTypeErrors()
    {
        PatternParseResult result = StixPattern.Parse("[a:b = 1] OR [c:d = 2] AND [e:f = 3]");

        Assert.False(result.IsValid);
        Assert.NotNull(result.Expression);
        Assert.Equal([2, 15, 29], result.Diagnostics.Select(d => d.Column));
        Assert.All(result.Diagnostics, d => Assert.Contains("not a valid STIX type name", d.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SyntaxError_ReturnsNoTree()
    {
        PatternParseResult result = StixPattern.Parse("[file:name = ]");

        Assert.Null(result.Expression);
        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("=", ComparisonOperator.Equal)]
    [InlineData("==", ComparisonOperator.Equal)]
    [InlineData("!=", ComparisonOperator.NotEqual)]
    [InlineData("<>", ComparisonOperator.NotEqual)]
    [InlineData("<", ComparisonOperator.LessThan)]
    [InlineData("<=", ComparisonOperator.LessThanOrEqual)]
    [InlineData(">", ComparisonOperator.GreaterThan)]
    [InlineData(">=", ComparisonOperator.GreaterThanOrEqual)]
    public void Parse_ScalarOperators_MapToEnum(string op, ComparisonOperator expected)
    {
        PropertyComparison comparison = SingleComparison($"[file:size {op} 10]");

        Assert.Equal(expected, comparison.Operator);
        Assert.False(comparison.IsNegated);
        Assert.Equal(10, Assert.IsType<IntegerLiteral>(comparison.Value).Value);
    }

    [Theory]
    [InlineData("[file:name NOT IN ('a')]", ComparisonOperator.In)]
    [InlineData("[file:name NOT LIKE 'a%']", ComparisonOperator.Like)]
    [InlineData("[file:name NOT MATCHES 'a+']", ComparisonOperator.Matches)]
    [InlineData("[ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']", ComparisonOperator.IsSubset)]
    [InlineData("[ipv4-addr:value NOT ISSUPERSET '10.0.0.0/8']", ComparisonOperator.IsSuperset)]
    [InlineData("[file:size NOT >= 1]", ComparisonOperator.GreaterThanOrEqual)]
    public void Parse_Not_SetsIsNegated(string pattern, ComparisonOperator expected)
    {
        PropertyComparison comparison = SingleComparison(pattern);

        Assert.Equal(expected, comparison.Operator);
        Assert.True(comparison.IsNegated);
    }

    [Fact]
    public void Parse_Exists_HasNoValue()
    {
        PropertyComparison comparison = SingleComparison("[EXISTS windows-registry-key:values[*].name]");

        Assert.Equal(ComparisonOperator.Exists, comparison.Operator);
        Assert.Null(comparison.Value);
        Assert.Equal(2, comparison.Column);
        Assert.Equal(9, comparison.Path.Column);
        Assert.Equal("EXISTS windows-registry-key:values[*].name", comparison.ToString());
    }

    [Fact]
    public void Parse_ObjectPath_HasEveryComponentKind()
    {
        ObjectPath path = SingleComparison("[file:extensions.'windows-pebinary-ext'.sections[*].entropy[-1] > 7.0]").Path;

        Assert.Equal("file", path.ObjectType);
        Assert.Collection(
            path.Components,
            c => AssertProperty(c, "extensions", quoted: false),
            c => AssertProperty(c, "windows-pebinary-ext", quoted: true),
            c => AssertProperty(c, "sections", quoted: false),
            c => Assert.Equal(PathComponentKind.AnyIndex, c.Kind),
            c => AssertProperty(c, "entropy", quoted: false),
            c =>
            {
                Assert.Equal(PathComponentKind.Index, c.Kind);
                Assert.Equal(-1, c.Index);
            });
        Assert.Equal("file:extensions.'windows-pebinary-ext'.sections[*].entropy[-1]", path.ToString());
    }

    [Fact]
    public void Parse_QuotedKeyWithEscapes_IsUnescaped()
    {
        ObjectPath path = SingleComparison(@"[x-acme:map.'it\'s' = 1]").Path;

        Assert.Equal("it's", path.Components[1].Name);
        Assert.Equal(@"x-acme:map.'it\'s'", path.ToString());
    }

    [Fact]
    public void Parse_Literals_HaveDecodedValues()
    {
        Assert.Equal(@"O'Reilly \ co", Assert.IsType<StringLiteral>(Value(@"[software:vendor = 'O\'Reilly \\ co']")).Value);
        Assert.Equal(-42, Assert.IsType<IntegerLiteral>(Value("[x-a:n = -42]")).Value);
        Assert.Equal(long.MinValue, Assert.IsType<IntegerLiteral>(Value("[x-a:n = -9223372036854775808]")).Value);
        Assert.Equal(-0.25, Assert.IsType<FloatLiteral>(Value("[x-a:n = -.25]")).Value);
        Assert.True(Assert.IsType<BooleanLiteral>(Value("[x-a:n = true]")).Value);
        Assert.False(Assert.IsType<BooleanLiteral>(Value("[x-a:n = false]")).Value);
        Assert.Equal(new byte[] { 0xff, 0xd8 }, Assert.IsType<HexLiteral>(Value("[file:magic_number_hex = h'FFd8']")).Bytes.ToArray());
        Assert.Equal("test"u8.ToArray(), Assert.IsType<BinaryLiteral>(Value("[artifact:payload_bin = b'dGVzdA==']")).Bytes.ToArray());

        TimestampLiteral timestamp = Assert.IsType<TimestampLiteral>(Value("[file:created = t'2021-07-19T01:02:03.1234567Z']"));
        Assert.Equal("2021-07-19T01:02:03.1234567Z", timestamp.Value);
        Assert.Equal(new DateTimeOffset(2021, 7, 19, 1, 2, 3, TimeSpan.Zero).AddTicks(1234567), timestamp.Instant);

        TimestampLiteral leapSecond = Assert.IsType<TimestampLiteral>(Value("[file:created = t'2016-12-31T23:59:60Z']"));
        Assert.Null(leapSecond.Instant);
    }

    [Fact]
    public void Parse_SetLiteral_KeepsItemsInOrder()
    {
        SetLiteral set = Assert.IsType<SetLiteral>(Value("[network-traffic:dst_port IN (80, 443,8443)]"));

        Assert.Equal(LiteralKind.Set, set.Kind);
        Assert.Equal(new long[] { 80, 443, 8443 }, set.Items.Select(i => Assert.IsType<IntegerLiteral>(i).Value));
        Assert.Equal("(80, 443,8443)", set.SourceText);
        Assert.Equal(30, set.Column);
    }

    [Fact]
    public void Parse_Qualifiers_ExposeValues()
    {
        PatternParseResult result = StixPattern.Parse(
            "[file:name = 'a'] REPEATS 3 TIMES WITHIN 2.5 SECONDS START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'");

        QualifiedObservationExpression qualified = Assert.IsType<QualifiedObservationExpression>(result.Expression);
        Assert.Collection(
            qualified.Qualifiers,
            q => Assert.Equal(3, Assert.IsType<RepeatsQualifier>(q).Count),
            q => Assert.Equal(2.5, Assert.IsType<WithinQualifier>(q).Seconds),
            q =>
            {
                StartStopQualifier startStop = Assert.IsType<StartStopQualifier>(q);
                Assert.Equal(new DateTimeOffset(2016, 6, 1, 0, 0, 0, TimeSpan.Zero), startStop.Start.Instant);
                Assert.Equal(new DateTimeOffset(2016, 7, 1, 0, 0, 0, TimeSpan.Zero), startStop.Stop.Instant);
            });
        Assert.Equal(19, qualified.Qualifiers[0].Column);
    }

    [Fact]
    public void Parse_NodeColumns_PointAtSource()
    {
        PatternParseResult result = StixPattern.Parse("[file:name = 'a']  AND\n([process:name LIKE 'x%'])");

        CompoundObservationExpression and = Assert.IsType<CompoundObservationExpression>(result.Expression);
        Assert.Equal(1, and.Column);
        ObservationGroupExpression group = Assert.IsType<ObservationGroupExpression>(and.Operands[1]);
        Assert.Equal(24, group.Column);
        ObservationExpression inner = Assert.IsType<ObservationExpression>(group.Inner);
        PropertyComparison like = Assert.IsType<PropertyComparison>(inner.Comparison);
        Assert.Equal(26, like.Column);
        Assert.Equal(44, like.Value?.Column);
    }

    [Fact]
    public void ToString_NormalisesWhitespaceAndComments()
    {
        PatternParseResult result = StixPattern.Parse(
            "[ file : name==  'a' ]/* c */AND\t[file:size<>1] // tail");

        Assert.Equal("[file:name = 'a'] AND [file:size != 1]", result.Expression?.ToString());
    }

    private static void AssertProperty(PathComponent component, string name, bool quoted)
    {
        Assert.Equal(PathComponentKind.Property, component.Kind);
        Assert.Equal(name, component.Name);
        Assert.Equal(quoted, component.IsQuoted);
        Assert.Null(component.Index);
    }

    private static PropertyComparison SingleComparison(string pattern)
    {
        PatternParseResult result = StixPattern.Parse(pattern);
        Assert.True(result.IsValid, string.Join("; ", result.Diagnostics));
        ObservationExpression observation = Assert.IsType<ObservationExpression>(result.Expression);
        return Assert.IsType<PropertyComparison>(observation.Comparison);
    }

    private static PatternLiteral Value(string pattern) =>
        SingleComparison(pattern).Value ?? throw new InvalidOperationException("no value");

    /// <summary>Writes the tree as nested calls so that grouping is visible.</summary>
    private static string Shape(PatternNode node)
    {
        var builder = new StringBuilder();
        Write(builder, node);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, PatternNode node)
    {
        switch (node)
        {
            case ObservationExpression observation:
                builder.Append('[');
                Write(builder, observation.Comparison);
                builder.Append(']');
                break;
            case ObservationGroupExpression group:
                builder.Append("Group(");
                Write(builder, group.Inner);
                builder.Append(')');
                break;
            case CompoundObservationExpression compound:
                WriteCall(builder, compound.Operator.ToString(), compound.Operands);
                break;
            case QualifiedObservationExpression qualified:
                builder.Append("Qualified(");
                Write(builder, qualified.Operand);
                foreach (PatternQualifier qualifier in qualified.Qualifiers)
                {
                    builder.Append(" | ").Append(qualifier);
                }

                builder.Append(')');
                break;
            case ComparisonGroupExpression group:
                builder.Append("Group(");
                Write(builder, group.Inner);
                builder.Append(')');
                break;
            case CompoundComparisonExpression compound:
                WriteCall(builder, compound.Operator.ToString(), compound.Operands);
                break;
            default:
                builder.Append(node);
                break;
        }
    }

    private static void WriteCall<T>(StringBuilder builder, string name, IReadOnlyList<T> operands)
        where T : PatternNode
    {
        builder.Append(name).Append('(');
        for (int i = 0; i < operands.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            Write(builder, operands[i]);
        }

        builder.Append(')');
    }
}
