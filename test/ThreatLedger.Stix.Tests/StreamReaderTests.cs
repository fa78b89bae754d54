using System.IO.Compression;
using System.Text;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix.Tests;

public sealed class StreamReaderTests
{
    /// <summary>A stream that hands out a few bytes per read, so objects straddle every buffer boundary.</summary>
    private sealed class TrickleStream(byte[] bytes, int step) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, step));
    }

    private static string Key(StixDiagnostic d) => $"{d.Severity} {d.Code} {d.Line}:{d.Column} {d.Path} {d.ObjectId}";

    public static TheoryData<string> BundleFixtures()
    {
        var data = new TheoryData<string>();
        foreach (string path in System.IO.Directory.EnumerateFiles(System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "invalid"), "*.json").Order(StringComparer.Ordinal))
        {
            string name = System.IO.Path.GetFileNameWithoutExtension(path);
            string expected = System.IO.File.ReadAllText(System.IO.Path.ChangeExtension(path, ".expected"));
            // Documented differences: limits on the whole document, malformed-JSON columns on lines with
            // non-ASCII text (bytes, not characters), and invalid UTF-8 (reported per object when streaming).
            if (!expected.Contains("# options", StringComparison.Ordinal) && name != "json-syntax-multibyte-column" && !name.StartsWith("invalid-utf8", StringComparison.Ordinal) && !name.StartsWith("limit-depth", StringComparison.Ordinal))
            {
                data.Add(name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BundleFixtures))]
    public void ReadObjects_InvalidFixture_GivesTheFindingsReadGives(string name)
    {
        byte[] bytes = System.IO.File.ReadAllBytes(System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "invalid", name + ".json"));
        var whole = StixJson.Read(bytes);

        var items = StixStreamReader.ReadObjects(new TrickleStream(bytes, 7)).ToList();

        var expected = whole.Diagnostics.Select(Key).Order(StringComparer.Ordinal).ToList();
        var actual = items.SelectMany(i => i.Diagnostics).Select(Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(whole.Objects.Count, items.Count(i => i.Object is not null));
    }

    private const string Bid = "\"id\":\"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"";
    private const string Mutex = "{\"type\":\"mutex\",\"spec_version\":\"2.1\",\"id\":\"mutex--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"name\":\"m\"}";
    private const string Bad = "{\"type\":\"mutex\",\"spec_version\":\"2.1\",\"id\":\"mutex--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"name\":\"m\",\"Bad.Name\":1}";

    public static TheoryData<string, string> EdgeDocuments() => new()
    {
        { "byte order mark", "\uFEFF{\"type\":\"bundle\"," + Bid + ",\"objects\":[" + Mutex + "," + Bad + "]}" },
        { "sorted keys, bad id", "{\"id\":\"bundle--x\",\"objects\":[" + Mutex + "],\"type\":\"bundle\"}" },
        { "sorted keys, no id", "{\"objects\":[" + Bad + "],\"type\":\"bundle\"}" },
        { "empty objects, sorted", "{\"id\":\"bundle--x\",\"objects\":[],\"type\":\"bundle\"}" },
        { "id not a string", "{\"type\":\"bundle\",\"id\":5,\"objects\":[" + Mutex + "]}" },
        { "non-ASCII before a finding", "{\"type\":\"bundle\"," + Bid + ",\"objects\":[" + Mutex.TrimEnd('}') + ",\"x_note\":\"日本語テキスト\"}," + Bad + "]}" },
        { "trailing data", "[" + Mutex + "] {}" },
        { "nested envelope entry", "[{\"objects\":[" + Mutex + "," + Bad + "]}]" },
        { "nested bundle entry", "[{\"type\":\"bundle\"," + Bid + ",\"objects\":[" + Mutex + "," + Bad + "]}]" },
        { "object with objects", "{\"type\":\"x-thing\",\"id\":\"x-thing--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"objects\":[" + Mutex + "]}" },
        { "leading whitespace, single object", "\n\n  " + Bad },
        { "two objects arrays", "{\"type\":\"bundle\"," + Bid + ",\"objects\":[" + Mutex + "],\"objects\":[" + Bad + "]}" },
        { "spec_version twice", "{\"type\":\"bundle\",\"spec_version\":\"2.0\"," + Bid + ",\"objects\":[" + Mutex + "],\"spec_version\":\"2.0\"}" },
        { "truncated", "{\"type\":\"bundle\"," + Bid + ",\n\"objects\":[\n" + Mutex + ",\n{\"type\":" },
        { "CRLF", "{\r\n\"type\":\"bundle\",\r\n" + Bid + ",\r\n\"objects\":[\r\n" + Bad + "\r\n]}" },
    };

    [Theory]
    [MemberData(nameof(EdgeDocuments))]
    public void ReadObjects_EdgeDocument_GivesTheFindingsReadGives(string label, string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        var whole = StixJson.Read(bytes);

        var items = StixStreamReader.ReadObjects(new TrickleStream(bytes, 7)).ToList();

        var expected = whole.Diagnostics.Select(Key).Order(StringComparer.Ordinal).ToList();
        var actual = items.SelectMany(i => i.Diagnostics).Select(Key).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(actual), $"{label}:{Environment.NewLine}read   {string.Join(" | ", expected)}{Environment.NewLine}stream {string.Join(" | ", actual)}");
        Assert.Equal(whole.Objects.Select(o => o.Type), items.Where(i => i.Object is not null).Select(i => i.Object!.Type));
    }

    [Fact]
    public void ReadObjects_DocumentOverTheSizeLimit_IsAFindingNotAnException()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("[" + Mutex + "," + Mutex + "]");

        var items = StixStreamReader.ReadObjects(new TrickleStream(bytes, 7), new StixReaderOptions { MaxDocumentSize = 150 }).ToList();

        Assert.Equal("limit-document-size", items[^1].Diagnostics.Single().Code);
    }

    [SkippableFact]
    public void ReadObjects_EnterpriseAttack_ReadsEveryObjectInOrderWithoutFindings()
    {
        string path = SharedData.SkipIfMissing("attack", "enterprise-attack.json.gz");
        byte[] bytes = Schema.SchemaCorpus.Load("attack/enterprise-attack.json.gz");
        var whole = StixJson.Read(bytes);
        using var gzip = new GZipStream(System.IO.File.OpenRead(path), CompressionMode.Decompress);

        var ids = new List<string>();
        int findings = 0;
        foreach (var item in StixStreamReader.ReadObjects(gzip))
        {
            findings += item.Diagnostics.Count;
            if (item.Object is { } obj)
            {
                ids.Add(obj.Id.Value);
            }
        }

        Assert.Equal(24_772, ids.Count);
        Assert.Equal(0, findings);
        Assert.Equal(whole.Objects.Select(o => o.Id.Value), ids);
    }

    [Fact]
    public void ReadObjects_SingleObjectDocument_IsReadWhole()
    {
        const string json = """{"type":"mutex","id":"mutex--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"Global\\lock"}""";

        var items = StixStreamReader.ReadObjects(new TrickleStream(Encoding.UTF8.GetBytes(json), 5), new StixReaderOptions { Warnings = false }).ToList();

        var item = Assert.Single(items);
        Assert.IsType<Mutex>(item.Object);
        Assert.Empty(item.Diagnostics);
    }

    [Fact]
    public void ReadObjects_TruncatedBundle_KeepsTheObjectsBeforeTheBreak()
    {
        const string json = "{\"type\":\"bundle\",\"id\":\"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"objects\":[\n{\"type\":\"mutex\",\"id\":\"mutex--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"name\":\"a\"},\n{\"type\":\"mutex\",";

        var items = StixStreamReader.ReadObjects(new TrickleStream(Encoding.UTF8.GetBytes(json), 3), new StixReaderOptions { Warnings = false }).ToList();

        Assert.Single(items, i => i.Object is not null);
        Assert.Equal("json-syntax", items[^1].Diagnostics.Single().Code);
    }
}
