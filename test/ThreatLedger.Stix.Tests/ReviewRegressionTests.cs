using System.Text;
using System.Text.Json;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix.Tests;

/// <summary>Defects found by a second reader of the first slice; each test failed before its fix.</summary>
public sealed class ReviewRegressionTests
{
    private const string Id = "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
    private const string Common = "\"spec_version\":\"2.1\",\"created\":\"2021-07-19T00:00:00.000Z\",\"modified\":\"2021-07-19T00:00:00.000Z\"";

    private static StixDocument Read(string json, StixReaderOptions? options = null) =>
        StixJson.Read(Encoding.UTF8.GetBytes(json), options ?? new StixReaderOptions { Warnings = false });

    private static List<string> Codes(StixDocument doc) => doc.Diagnostics.Select(d => d.Code).ToList();

    [Theory]
    [InlineData("{\"type\":\"\\uD800\",\"id\":\"x\"}")]
    [InlineData("{\"type\":\"x-foo\",\"id\":\"x-foo--" + Id + "\",\"\\uD800\":1}")]
    [InlineData("{\"type\":\"intrusion-set\",\"id\":\"intrusion-set--" + Id + "\"," + Common + ",\"name\":\"\\uD800\"}")]
    [InlineData("{\"type\":\"x-foo\",\"id\":\"x-foo--" + Id + "\",\"x_text\":\"\\uDC00\"}")]
    public void Read_LoneSurrogateEscape_IsAFindingNotAnException(string json)
    {
        var doc = Read(json);

        Assert.Contains("invalid-text", Codes(doc));
        foreach (var obj in doc.Objects)
        {
            _ = StixJson.Serialize(obj);
        }
    }

    [Fact]
    public void Read_InvalidUtf8_IsPlacedAtTheBadByte()
    {
        byte[] bytes = [.. "{\n\"type\":\"x-"u8, 0xFF, .. "\"}"u8];

        var doc = StixJson.Read(bytes);

        var d = Assert.Single(doc.Diagnostics);
        Assert.Equal("invalid-utf8", d.Code);
        Assert.Equal(2, d.Line);
        Assert.Equal(11, d.Column);
    }

    [Fact]
    public void Write_TimestampWithVeryLongFraction_RoundTrips()
    {
        string ts = "2022-01-01T00:00:00." + new string('1', 40_000) + "Z";
        var doc = Read($$"""{"type":"indicator","id":"indicator--{{Id}}",{{Common}},"pattern":"[file:name = 'a']","pattern_type":"stix","valid_from":"2021-07-19T00:00:00Z","valid_until":"{{ts}}"}""");

        Assert.True(doc.IsValid, string.Join('\n', doc.Diagnostics));
        Assert.Contains(ts, StixJson.Serialize(doc.Objects[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EscapedTimestamp_IsAccepted()
    {
        var doc = Read($$"""{"type":"intrusion-set","id":"intrusion-set--{{Id}}","spec_version":"2.1","created":"2021-01-01T00:00:00\u002e000Z","modified":"2021-01-01T00:00:00.000Z","name":"APT40"}""");

        Assert.True(doc.IsValid, string.Join('\n', doc.Diagnostics));
    }

    [Fact]
    public void Read_LeapSecond_IsAcceptedAndKeptAsText()
    {
        var doc = Read($$"""{"type":"campaign","id":"campaign--{{Id}}",{{Common}},"name":"c","first_seen":"2016-12-31T23:59:60Z"}""");

        Assert.True(doc.IsValid, string.Join('\n', doc.Diagnostics));
        Assert.Contains("\"first_seen\":\"2016-12-31T23:59:60Z\"", StixJson.Serialize(doc.Objects[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteBundle_WithoutObjects_OmitsTheEmptyList()
    {
        var doc = Read($$"""{"type":"bundle","id":"bundle--{{Id}}"}""");
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            StixJson.WriteBundle(w, doc.BundleId!, doc.Objects);
        }

        Assert.True(doc.IsValid);
        Assert.True(StixJson.Read(stream.ToArray()).IsValid, Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Read_DeepCustomValueUnderRaisedDepthLimit_DoesNotLoseTheDocument()
    {
        string deep = new string('[', 80) + new string(']', 80);
        string json = $$"""{"type":"bundle","id":"bundle--{{Id}}","objects":[{"type":"domain-name","id":"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7","value":"example.com","x_deep":{{deep}}},{"type":"mutex","id":"mutex--{{Id}}"}]}""";

        var doc = Read(json, new StixReaderOptions { MaxDepth = 200, Warnings = false });

        Assert.Equal(2, doc.Objects.Count);
        Assert.Equal(["required-property"], Codes(doc));
    }

    [Theory]
    [InlineData("_abc")]
    [InlineData("1ab")]
    public void Read_CustomPropertyNotStartingWithALetter_IsAnError(string name)
    {
        var doc = Read($$"""{"type":"intrusion-set","id":"intrusion-set--{{Id}}",{{Common}},"name":"APT40","{{name}}":1}""");

        Assert.Equal(["custom-property-name"], Codes(doc));
    }

    [Fact]
    public void Read_ObservedDataWithoutAnyScoReference_IsAnError()
    {
        var doc = Read($$"""{"type":"observed-data","id":"observed-data--{{Id}}",{{Common}},"first_observed":"2021-07-19T00:00:00Z","last_observed":"2021-07-19T00:00:00Z","number_observed":1,"object_refs":["relationship--{{Id}}"]}""");

        Assert.Equal(["required-one-of"], Codes(doc));
    }

    [Fact]
    public void Read_ObservedDataReferencingASighting_IsAllowed()
    {
        var doc = Read($$"""{"type":"observed-data","id":"observed-data--{{Id}}",{{Common}},"first_observed":"2021-07-19T00:00:00Z","last_observed":"2021-07-19T00:00:00Z","number_observed":1,"object_refs":["sighting--{{Id}}","ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"]}""");

        Assert.True(doc.IsValid, string.Join('\n', doc.Diagnostics));
    }

    [Fact]
    public void Read_ArtifactWithNeitherPayloadNorUrl_IsAnError()
    {
        var doc = Read($$"""{"type":"artifact","id":"artifact--{{Id}}","mime_type":"text/plain"}""");

        Assert.Equal(["required-one-of"], Codes(doc));
    }

    [Theory]
    [InlineData("\"hashes\":{\"MD5\":\"d41d8cd98f00b204e9800998ecf8427e\\n\"}", "hash-value")]
    [InlineData("\"hashes\":{\"MD5\":\"d41d8cd98f00b204e9800998ecf8427e\",\"MD5\":\"d41d8cd98f00b204e9800998ecf8427f\"}", "duplicate-key")]
    public void Read_BadHashes_AreErrors(string hashes, string code)
    {
        var doc = Read($$"""{"type":"file","id":"file--{{Id}}","name":"a.exe",{{hashes}}}""");

        Assert.Contains(code, Codes(doc));
    }

    [Fact]
    public void Read_CveIdWithTrailingNewline_IsAnError()
    {
        var doc = Read($$"""{"type":"vulnerability","id":"vulnerability--{{Id}}",{{Common}},"name":"ProxyLogon","external_references":[{"source_name":"cve","external_id":"CVE-2021-26855\n"}]}""");

        Assert.Equal(["external-id-format"], Codes(doc));
    }

    [Fact]
    public void Write_FloatingPointValues_KeepTheirText()
    {
        var doc = Read($$"""{"type":"location","id":"location--{{Id}}",{{Common}},"latitude":1.0,"longitude":12.3456789012345678901,"precision":1e2}""");
        string written = StixJson.Serialize(doc.Objects[0]);

        Assert.True(doc.IsValid, string.Join('\n', doc.Diagnostics));
        Assert.Contains("\"latitude\":1.0", written, StringComparison.Ordinal);
        Assert.Contains("\"longitude\":12.3456789012345678901", written, StringComparison.Ordinal);
        Assert.Contains("\"precision\":1e2", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ObjectWithManyBadValues_ReportsABoundedNumberOfFindings()
    {
        var refs = string.Join(',', Enumerable.Range(0, 3000).Select(i => $"\"bad-{i}\""));
        var doc = Read($$"""{"type":"report","id":"report--{{Id}}",{{Common}},"name":"r","published":"2021-07-19T00:00:00Z","object_refs":[{{refs}}]}""", new StixReaderOptions { MaxFindingsPerObject = 100, Warnings = false });

        Assert.Equal(101, doc.Diagnostics.Count);
        Assert.Single(doc.Diagnostics, d => d.Code == "limit-findings");
    }

    [Fact]
    public void Read_ManyCustomPropertiesWithADuplicate_FindsTheDuplicate()
    {
        var props = string.Join(',', Enumerable.Range(0, 500).Select(i => $"\"x_p{i}\":{i}"));
        var doc = Read($$"""{"type":"x-bulk","id":"x-bulk--{{Id}}",{{props}},"x_p7":1}""");

        Assert.Equal(["duplicate-property"], Codes(doc));
    }
}
