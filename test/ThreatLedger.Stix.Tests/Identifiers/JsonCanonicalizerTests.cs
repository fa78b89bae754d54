using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ThreatLedger.Stix.Identifiers;

namespace ThreatLedger.Stix.Tests.Identifiers;

public sealed class JsonCanonicalizerTests
{
    private static string Canon(string json) =>
        Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(json)));

    // RFC 8785 Appendix B: IEEE-754 bit patterns and their JCS/ECMAScript form.
    // Cross-checked with node's JSON.stringify (an ECMAScript implementation).
    [Theory]
    [InlineData(0x0000000000000000UL, "0")]
    [InlineData(0x8000000000000000UL, "0")] // minus zero
    [InlineData(0x0000000000000001UL, "5e-324")]
    [InlineData(0x8000000000000001UL, "-5e-324")]
    [InlineData(0x7fefffffffffffffUL, "1.7976931348623157e+308")]
    [InlineData(0xffefffffffffffffUL, "-1.7976931348623157e+308")]
    [InlineData(0x4340000000000000UL, "9007199254740992")]
    [InlineData(0xc340000000000000UL, "-9007199254740992")]
    [InlineData(0x4430000000000000UL, "295147905179352830000")]
    [InlineData(0x44b52d02c7e14af5UL, "9.999999999999997e+22")]
    [InlineData(0x44b52d02c7e14af6UL, "1e+23")]
    [InlineData(0x44b52d02c7e14af7UL, "1.0000000000000001e+23")]
    [InlineData(0x444b1ae4d6e2ef4eUL, "999999999999999700000")]
    [InlineData(0x444b1ae4d6e2ef4fUL, "999999999999999900000")]
    [InlineData(0x444b1ae4d6e2ef50UL, "1e+21")]
    [InlineData(0x3eb0c6f7a0b5ed8cUL, "9.999999999999997e-7")]
    [InlineData(0x3eb0c6f7a0b5ed8dUL, "0.000001")]
    [InlineData(0x41b3de4355555553UL, "333333333.3333332")]
    [InlineData(0x41b3de4355555554UL, "333333333.33333325")]
    [InlineData(0x41b3de4355555555UL, "333333333.3333333")]
    [InlineData(0x41b3de4355555556UL, "333333333.3333334")]
    [InlineData(0x41b3de4355555557UL, "333333333.33333343")]
    [InlineData(0xbecbf647612f3696UL, "-0.0000033333333333333333")]
    [InlineData(0x43143ff3c1cb0959UL, "1424953923781206.2")]
    public void Numbers_Rfc8785AppendixB_MatchPublishedForm(ulong bits, string expected)
    {
        var value = BitConverter.UInt64BitsToDouble(bits);

        Assert.Equal(expected, JsonCanonicalizer.FormatNumber(value));

        // And through the public API: the round-trip text of the double, parsed and re-serialized.
        var json = value.ToString("R", CultureInfo.InvariantCulture);
        Assert.Equal(expected, Canon(json));
    }

    [Theory]
    [InlineData(0x7fffffffffffffffUL)] // NaN
    [InlineData(0x7ff0000000000000UL)] // Infinity
    [InlineData(0xfff0000000000000UL)] // -Infinity
    public void FormatNumber_NonFinite_Throws(ulong bits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonCanonicalizer.FormatNumber(BitConverter.UInt64BitsToDouble(bits)));

    // Plain notation for 1e-6 <= |x| < 1e21, exponential otherwise (ECMA-262 Number::toString).
    // Every expected value here was cross-checked against node.
    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("-0.0e5", "0")]
    [InlineData("123", "123")]
    [InlineData("4.50", "4.5")]
    [InlineData("2e-3", "0.002")]
    [InlineData("1E30", "1e+30")]
    [InlineData("100", "100")]
    [InlineData("0.1", "0.1")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("1e21", "1e+21")]
    [InlineData("999999999999999999999", "1e+21")]
    [InlineData("12345678901234567890", "12345678901234567000")]
    [InlineData("9007199254740994", "9007199254740994")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("1e-6", "0.000001")]
    [InlineData("1.5e-6", "0.0000015")]
    [InlineData("5e-7", "5e-7")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("0.000000000000000000000000001", "1e-27")]
    [InlineData("-1.5e-10", "-1.5e-10")]
    [InlineData("1e300", "1e+300")]
    [InlineData("333333333.33333329", "333333333.3333333")]
    [InlineData("1e-400", "0")] // underflows to zero, which is a finite double
    public void Numbers_JsonText_FormattedAsEcmaScript(string json, string expected) =>
        Assert.Equal(expected, Canon(json));

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("[1.8e308]")]
    public void Numbers_OutOfDoubleRange_Throw(string json)
    {
        var ex = Assert.Throws<ArgumentException>(() => Canon(json));
        Assert.Contains("range", ex.Message, StringComparison.Ordinal);
    }

    // RFC 8785 section 3.2.2 input and section 3.2.3 output; the UTF-8 bytes are those of section 3.2.4.
    [Fact]
    public void Canonicalize_Rfc8785MainExample_MatchesPublishedBytes()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50,
                          2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string expectedHex =
            "7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c22" +
            "6e756d62657273223a5b3333333333333333332e333333333333332c31652b33" +
            "302c342e352c302e3030322c31652d32375d2c22737472696e67223a22e282ac" +
            "245c75303030665c6e4127425c225c5c5c5c5c222f227d";

        var output = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(input));

        Assert.Equal(expectedHex, Convert.ToHexStringLower(output));
        Assert.Equal(
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}",
            Encoding.UTF8.GetString(output));
    }

    // RFC 8785 section 3.2.3: sorting by UTF-16 code units puts U+1F600 (surrogates D83D DE00)
    // before U+FB33, although its code point is larger.
    [Fact]
    public void Canonicalize_Rfc8785SortingExample_SortsByUtf16CodeUnits()
    {
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;

        var json = Canon(input);

        Assert.Equal(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\"," +
            "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\"," +
            "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
            json);

        using var document = JsonDocument.Parse(json);
        var values = document.RootElement.EnumerateObject().Select(p => p.Value.GetString()!).ToArray();
        string[] expected =
            [
                "Carriage Return",
                "One",
                "Control",
                "Latin Small Letter O With Diaeresis",
                "Euro Sign",
                "Emoji: Grinning Face",
                "Hebrew Letter Dalet With Dagesh",
            ];
        Assert.Equal(expected, values);
    }

    [Fact]
    public void Canonicalize_Strings_EscapedMinimally()
    {
        // Input escapes everything; output keeps only the escapes JCS requires.
        const string input = "{\"a\":\"\\u0000\\u0001\\u0008\\u0009\\u000a\\u000b\\u000c\\u000d\\u001f\\u007f\\\"\\\\\\/\\u00e9\\u20ac\\ud83d\\ude00\"}";

        var output = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(input));

        Assert.Equal(
            "{\"a\":\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\u007f\\\"\\\\/\u00e9\u20ac\ud83d\ude00\"}",
            Encoding.UTF8.GetString(output));
        // Non-ASCII is written as raw UTF-8 (U+00E9 is C3 A9), not escaped.
        Assert.Contains("c3a9", Convert.ToHexStringLower(output), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"\\u001A\"", "\"\\u001a\"")] // lower-case hex on output
    [InlineData("\"\\u001e\"", "\"\\u001e\"")]
    [InlineData("\"\"", "\"\"")]
    [InlineData("\"plain\"", "\"plain\"")]
    public void Canonicalize_ControlCharacterEscapes_UseLowerCaseHex(string json, string expected) =>
        Assert.Equal(expected, Canon(json));

    [Theory]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("null", "null")]
    [InlineData(" \t\r\n null \n", "null")]
    [InlineData("{}", "{}")]
    [InlineData("[]", "[]")]
    [InlineData("{ }", "{}")]
    [InlineData("[ [ ], { } ]", "[[],{}]")]
    public void Canonicalize_LiteralsAndEmptyContainers(string json, string expected) =>
        Assert.Equal(expected, Canon(json));

    [Fact]
    public void Canonicalize_WhitespaceAndNestedObjects_SortedAtEveryLevel()
    {
        const string input = """
              { "b" : [ 1 , { "z" : 1, "y" : [ { "d": 2, "c": 1 } ] } ] ,
            	"a" : true, "A": false, "aa": null, "": "empty" }
            """;

        Assert.Equal(
            "{\"\":\"empty\",\"A\":false,\"a\":true,\"aa\":null,\"b\":[1,{\"y\":[{\"c\":1,\"d\":2}],\"z\":1}]}",
            Canon(input));
    }

    [Fact]
    public void Canonicalize_ArrayOrder_Preserved() =>
        Assert.Equal("[3,1,2,\"b\",\"a\"]", Canon("[3, 1, 2, \"b\", \"a\"]"));

    [Fact]
    public void Canonicalize_MemberNamesWithEscapes_SortedByUnescapedName() =>
        Assert.Equal("{\"a\":2,\"b\":1}", Canon("{\"\\u0062\":1,\"\\u0061\":2}"));

    [Fact]
    public void Canonicalize_IsIdempotent()
    {
        const string input = "{\"z\":[1E2,-0,0.5e1],\"a\":{\"\\u00e9\":\"\\n\",\"e\":1e-9}}";

        var once = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(input));
        var twice = JsonCanonicalizer.Canonicalize(once);

        Assert.Equal("{\"a\":{\"e\":1e-9,\"\u00e9\":\"\\n\"},\"z\":[100,0,5]}", Encoding.UTF8.GetString(once));
        Assert.Equal(once, twice);
    }

    [Fact]
    public void Canonicalize_JsonElementOverload_MatchesSpanOverload()
    {
        const string input = "{\"value\":\"198.51.100.3\",\"type\":\"ipv4-addr\",\"n\":[1.0,2e1]}";
        using var document = JsonDocument.Parse(input);
        var writer = new ArrayBufferWriter<byte>();

        JsonCanonicalizer.Canonicalize(document.RootElement, writer);

        Assert.Equal("{\"n\":[1,20],\"type\":\"ipv4-addr\",\"value\":\"198.51.100.3\"}", Encoding.UTF8.GetString(writer.WrittenSpan));
        Assert.Equal(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(input)), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Canonicalize_JsonElementOverload_SubElement()
    {
        using var document = JsonDocument.Parse("{\"outer\":{\"b\":2,\"a\":1}}");
        var writer = new ArrayBufferWriter<byte>();

        JsonCanonicalizer.Canonicalize(document.RootElement.GetProperty("outer"), writer);

        Assert.Equal("{\"a\":1,\"b\":2}", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void Canonicalize_JsonElementOverload_NullWriter_Throws()
    {
        using var document = JsonDocument.Parse("1");
        Assert.Throws<ArgumentNullException>(() => JsonCanonicalizer.Canonicalize(document.RootElement, null!));
    }

    [Fact]
    public void Canonicalize_JsonElementOverload_DefaultElement_Throws() =>
        Assert.Throws<ArgumentException>(() => JsonCanonicalizer.Canonicalize(default(JsonElement), new ArrayBufferWriter<byte>()));

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}", "\"a\"")]
    [InlineData("{\"a\":1,\"\\u0061\":2}", "\"a\"")] // same name, different escaping
    [InlineData("[{\"x\":{\"dup\":1,\"b\":0,\"dup\":1}}]", "\"dup\"")]
    public void Canonicalize_DuplicateMemberNames_Throw(string json, string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => Canon(json));
        Assert.Contains("duplicate member name", ex.Message, StringComparison.Ordinal);
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonicalize_JsonElementWithDuplicateMemberNames_Throws()
    {
        // JsonDocument accepts duplicates by default; the canonicalizer must not.
        using var document = JsonDocument.Parse("{\"b\":1,\"b\":2}");
        var ex = Assert.Throws<ArgumentException>(() => JsonCanonicalizer.Canonicalize(document.RootElement, new ArrayBufferWriter<byte>()));
        Assert.Contains("duplicate member name \"b\"", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{\"a\":1,}")]
    [InlineData("[1,]")]
    [InlineData("{'a':1}")]
    [InlineData("{a:1}")]
    [InlineData("/* c */ 1")]
    [InlineData("1 // c")]
    [InlineData("1 2")]
    [InlineData("{} {}")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("+1")]
    [InlineData("TRUE")]
    [InlineData("\"unterminated")]
    [InlineData("\"tab\tinside\"")]
    [InlineData("\"\\x41\"")]
    public void Canonicalize_InvalidJson_ThrowsArgumentException(string json)
    {
        var ex = Assert.Throws<ArgumentException>(() => Canon(json));
        Assert.StartsWith("Invalid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonicalize_InvalidUtf8_ThrowsArgumentException()
    {
        byte[] json = [(byte)'"', 0xC3, 0x28, (byte)'"'];
        var ex = Assert.Throws<ArgumentException>(() => JsonCanonicalizer.Canonicalize(json));
        Assert.StartsWith("Invalid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("\"\\udc00\"")]
    [InlineData("\"\\ud83dx\"")]
    [InlineData("{\"\\ud800\":1}")]
    public void Canonicalize_LoneSurrogates_ThrowArgumentException(string json)
    {
        var ex = Assert.Throws<ArgumentException>(() => Canon(json));
        Assert.StartsWith("Invalid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonicalize_DeepButReasonableNesting_Works()
    {
        var json = new string('[', 200) + new string(']', 200);
        Assert.Equal(json, Canon(json));
    }
}
