using System.Text;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix.Tests;

/// <summary>Objects read from text keep offsets and decode on first use; these pin down that behaviour.</summary>
public sealed class LazyModelTests
{
    private const string Id = "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
    private const string Common = "\"spec_version\":\"2.1\",\"created\":\"2021-07-19T00:00:00.000Z\",\"modified\":\"2021-07-19T00:00:00.000Z\"";

    private static StixDocument Read(string json, StixReaderOptions? options = null) =>
        StixJson.Read(Encoding.UTF8.GetBytes(json), options ?? new StixReaderOptions { Warnings = false });

    [Fact]
    public void Get_ValueLongerThanTheDefaultLimit_DecodesUnderTheDocumentsOwnLimit()
    {
        string description = new('d', 9 * 1024 * 1024);
        var doc = Read($$"""{"type":"intrusion-set","id":"intrusion-set--{{Id}}",{{Common}},"name":"APT40","description":"{{description}}"}""", new StixReaderOptions { MaxStringLength = 16 << 20 });

        var set = Assert.IsType<IntrusionSet>(Assert.Single(doc.Objects));

        Assert.True(doc.IsValid);
        Assert.Equal(description.Length, set.Description!.Length);
        Assert.Contains("\"description\"", StixJson.Serialize(set), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DistinctEscapedCustomNames_AreNotDuplicates()
    {
        var doc = Read($$"""{"type":"x-a","id":"x-a--{{Id}}","x_\u0061aa":1,"x_\u0062bb":2}""");

        Assert.True(doc.IsValid, string.Join('\n', doc.Diagnostics));
        string written = StixJson.Serialize(doc.Objects[0]);
        Assert.Contains("\"x_aaa\":1", written, StringComparison.Ordinal);
        Assert.Contains("\"x_bbb\":2", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SameCustomNameSpelledTwoWays_IsADuplicate()
    {
        var doc = Read($$"""{"type":"x-a","id":"x-a--{{Id}}","x_aaa":1,"x_\u0061aa":2}""");

        Assert.Equal("duplicate-property", Assert.Single(doc.Diagnostics).Code);
    }

    [Fact]
    public void Read_DuplicateCustomNameAfterManyDistinctNames_IsStillFound()
    {
        var sb = new StringBuilder("{\"type\":\"bundle\",\"id\":\"bundle--" + Id + "\",\"objects\":[");
        sb.Append("{\"type\":\"x-a\",\"id\":\"x-a--").Append(Id).Append('"');
        for (int i = 0; i < 5000; i++)
        {
            sb.Append(",\"x_name").Append(i).Append("\":1");
        }

        sb.Append("},{\"type\":\"x-a\",\"id\":\"x-a--").Append(Id).Append("\",\"x_dupdup\":1,\"x_dupdup\":2}]}");

        var doc = Read(sb.ToString());

        Assert.Equal("duplicate-property", Assert.Single(doc.Diagnostics).Code);
    }

    [Fact]
    public void Get_FromManyThreadsAtOnce_EveryReadSeesTheValue()
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < 3000; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",").Append("{\"type\":\"intrusion-set\",\"id\":\"intrusion-set--").Append(Guid.NewGuid().ToString("D")).Append("\",").Append(Common)
              .Append(",\"name\":\"n").Append(i).Append("\",\"description\":\"d").Append(i).Append("\",\"x_k\":").Append(i).Append('}');
        }

        var doc = Read(sb.Append(']').ToString(), new StixReaderOptions { Validate = false, Warnings = false });
        int missing = 0;
        using var barrier = new Barrier(4);
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            barrier.SignalAndWait();
            foreach (IntrusionSet set in doc.Objects)
            {
                if (set.Name is null || set.Description is null || !set.CustomProperties.ContainsKey("x_k"))
                {
                    Interlocked.Increment(ref missing);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(0, missing);
        Assert.All(doc.Objects, o => Assert.Contains("\"description\"", StixJson.Serialize(o), StringComparison.Ordinal));
    }

    [Fact]
    public void Write_AfterTheFindingLimit_KeepsValuesThatCouldNotBeTaken()
    {
        var doc = Read($$"""{"type":"intrusion-set","id":"intrusion-set--{{Id}}",{{Common}},"lang":5,"name":7,"confidence":"high"}""", new StixReaderOptions { MaxFindingsPerObject = 1, Warnings = false });
        string written = StixJson.Serialize(doc.Objects[0]);

        Assert.Contains("\"lang\":5", written, StringComparison.Ordinal);
        Assert.Contains("\"name\":7", written, StringComparison.Ordinal);
        Assert.Contains("\"confidence\":\"high\"", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_UnknownObjectNamedLikeADefinedType_Works()
    {
        var obj = new UnknownObject("indicator") { Id = StixId.Parse("indicator--" + Id) };

        Assert.Contains("\"type\":\"indicator\"", StixJson.Serialize(obj), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_TypedValueSetOverAKeptBadValue_IsWrittenOnce()
    {
        var doc = Read($$"""{"type":"intrusion-set","id":"intrusion-set--{{Id}}",{{Common}},"name":"APT40","confidence":500}""");
        var set = (IntrusionSet)doc.Objects[0];

        set.Confidence = 50;
        string written = StixJson.Serialize(set);

        Assert.Contains("\"confidence\":50", written, StringComparison.Ordinal);
        Assert.DoesNotContain("500", written, StringComparison.Ordinal);
        Assert.DoesNotContain(StixJson.Validate(set), d => d.Severity == StixSeverity.Error);
    }

    [Fact]
    public void Write_PropertySetOrClearedInCode_ReplacesTheSourceValue()
    {
        var doc = Read($$"""{"type":"intrusion-set","id":"intrusion-set--{{Id}}",{{Common}},"name":"APT40","description":"old","aliases":["Leviathan"]}""");
        var set = (IntrusionSet)doc.Objects[0];

        set.Description = null;
        set.Aliases!.Add("TEMP.Periscope");
        set.Name = "APT 40";
        string written = StixJson.Serialize(set);

        Assert.DoesNotContain("description", written, StringComparison.Ordinal);
        Assert.Contains("\"aliases\":[\"Leviathan\",\"TEMP.Periscope\"]", written, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"APT 40\"", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadTextInsideAnExternalReference_IsAFinding()
    {
        var doc = Read($$"""{"type":"intrusion-set","id":"intrusion-set--{{Id}}",{{Common}},"name":"APT40","external_references":[{"source_name":"x","url":"https://example.org","x_y":"\uD800"}]}""");

        Assert.Contains(doc.Diagnostics, d => d.Code == "invalid-text");
    }
}
