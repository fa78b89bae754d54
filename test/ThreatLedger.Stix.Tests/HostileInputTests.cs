using System.Text;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix.Tests;

public sealed class HostileInputTests
{
    private static StixDocument Read(string json, StixReaderOptions? options = null) => StixJson.Read(Encoding.UTF8.GetBytes(json), options);

    [Fact]
    public void Read_DeepNesting_ReportsDepthLimitWithoutCrashing()
    {
        string json = "{\"type\":\"x-deep\",\"id\":\"x-deep--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"x_deep\":" + new string('[', 100_000) + new string(']', 100_000) + "}";

        var doc = Read(json);

        var d = Assert.Single(doc.Diagnostics);
        Assert.Equal("limit-depth", d.Code);
        Assert.Contains("deeper than the limit of 64", d.Message, StringComparison.Ordinal);
        Assert.Equal(1, d.Line);
    }

    [Fact]
    public void Read_LongString_ReportsStringLimit()
    {
        string json = $$"""{"type":"intrusion-set","spec_version":"2.1","id":"intrusion-set--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2021-07-19T00:00:00.000Z","modified":"2021-07-19T00:00:00.000Z","name":"APT40","description":"{{new string('a', 5000)}}"}""";

        var doc = Read(json, new StixReaderOptions { MaxStringLength = 1000 });

        var d = Assert.Single(doc.Diagnostics);
        Assert.Equal("limit-string-length", d.Code);
        Assert.Equal("$.description", d.Path);
    }

    [Fact]
    public void Read_DocumentOverSizeLimit_IsRefusedBeforeParsing()
    {
        var doc = Read("{\"type\":\"bundle\",\"id\":\"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"objects\":[]}", new StixReaderOptions { MaxDocumentSize = 10 });

        Assert.Equal("limit-document-size", Assert.Single(doc.Diagnostics).Code);
        Assert.Empty(doc.Objects);
    }

    [Fact]
    public void Read_TooManyObjects_KeepsTheFirstOnesAndSaysSo()
    {
        var sb = new StringBuilder("{\"type\":\"bundle\",\"id\":\"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"objects\":[");
        for (int i = 0; i < 5; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",").Append("{\"type\":\"mutex\",\"id\":\"mutex--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"name\":\"m\"}");
        }

        var doc = Read(sb.Append("]}").ToString(), new StixReaderOptions { MaxObjects = 3, Warnings = false });

        Assert.Equal(3, doc.Objects.Count);
        Assert.Contains(doc.Diagnostics, d => d.Code == "limit-objects");
    }

    [Fact]
    public void Read_TruncatedJson_KeepsObjectsBeforeTheDamageAndPlacesIt()
    {
        const string json = "{\n\"type\": \"bundle\",\n\"id\": \"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\n\"objects\": [\n{\"type\":\"mutex\",\"spec_version\":\"2.1\",\"id\":\"mutex--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"name\":\"m\"},\n{\"type\":\"mutex\", \"name\": tru";

        var doc = Read(json, new StixReaderOptions { Warnings = false });

        Assert.Single(doc.Objects);
        var d = Assert.Single(doc.Diagnostics);
        Assert.Equal("json-syntax", d.Code);
        Assert.Equal(6, d.Line);
        Assert.StartsWith("malformed JSON", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ByteOrderMark_IsSkipped()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "{\"type\":\"mutex\",\"id\":\"mutex--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"name\":\"m\"}"u8];

        var doc = StixJson.Read(bytes, new StixReaderOptions { Warnings = false });

        Assert.True(doc.IsValid);
        Assert.Single(doc.Objects);
    }

    [Theory]
    [InlineData("")]
    [InlineData("42")]
    [InlineData("\"bundle\"")]
    [InlineData("{} {}")]
    public void Read_NotAStixDocument_ReportsOneError(string json)
    {
        var doc = Read(json);

        Assert.False(doc.IsValid);
        Assert.Empty(doc.Objects);
    }

    [Fact]
    public void Read_RandomMutations_NeverThrow()
    {
        byte[] seed = Encoding.UTF8.GetBytes("""
            {"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[
             {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2021-07-19T00:00:00.000Z","modified":"2021-07-19T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.3']","pattern_type":"stix","valid_from":"2021-07-19T00:00:00Z","external_references":[{"source_name":"cve","external_id":"CVE-2021-26855"}],"granular_markings":[{"marking_ref":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","selectors":["pattern"]}]},
             {"type":"file","id":"file--8e2e2d2b-17d4-5cbf-938f-98ee46b3cd3f","hashes":{"SHA-256":"35a01331e9ad96f751278b891b6ea09699806faedfa237d40513d92ad1b7100f"},"name":"a.exe","extensions":{"ntfs-ext":{"sid":"1"}}},
             {"type":"x-custom","id":"x-custom--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","x_value":{"a":[1,2,{"b":null}]}}]}
            """);
        var random = new Random(20260719);
        const string alphabet = "{}[]\",:0123456789abcdefz-.\\ tnul";
        int documents = 0;
        for (int i = 0; i < 3000; i++)
        {
            byte[] mutated = (byte[])seed.Clone();
            int edits = random.Next(1, 6);
            for (int e = 0; e < edits; e++)
            {
                mutated[random.Next(mutated.Length)] = (byte)alphabet[random.Next(alphabet.Length)];
            }

            var doc = StixJson.Read(mutated);
            documents++;
            foreach (var d in doc.Diagnostics)
            {
                Assert.False(string.IsNullOrEmpty(d.Message));
                Assert.True(d.Line >= 0 && d.Column >= 0);
            }
        }

        Assert.Equal(3000, documents);
    }

    [Fact]
    public void Read_DuplicateProperty_IsAnError()
    {
        var doc = Read("""{"type":"mutex","id":"mutex--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"a","name":"b"}""", new StixReaderOptions { Warnings = false });

        var d = Assert.Single(doc.Diagnostics);
        Assert.Equal("duplicate-property", d.Code);
        Assert.Equal(StixSeverity.Error, d.Severity);
    }
}
