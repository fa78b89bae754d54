using System.Text;

namespace ThreatLedger.Stix.Tests.Schema;

/// <summary>
/// Guards the schema harness itself: every schema file is registered and resolvable offline, and a
/// non-conforming object is rejected with the errors that matter (so the conformance tests cannot pass
/// vacuously).
/// </summary>
public sealed class SchemaHarnessTests
{
    private const string GoodIndicator = """
        {"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
         "created": "2016-04-06T20:03:48.000Z", "modified": "2016-04-06T20:03:48.000Z",
         "pattern": "[ipv4-addr:value = '198.51.100.3']", "pattern_type": "stix", "valid_from": "2016-01-01T00:00:00Z"}
        """;

    [SkippableFact]
    public void EverySchemaFile_IsRegistered_AndEachObjectTypeHasOne()
    {
        var schemas = StixSchemaSet.Require();
        string dir = SharedData.PathOf("stix2-json-schemas", "schemas")!;
        Assert.Equal(System.IO.Directory.GetFiles(dir, "*.json", SearchOption.AllDirectories).Length, schemas.FileCount);

        // 19 SDOs + 2 SROs + 18 SCOs + 3 meta objects.
        Assert.Equal(42, schemas.Types.Count);
    }

    [SkippableFact]
    public void ConformingObject_Passes()
    {
        var check = StixSchemaSet.Require().Check(Encoding.UTF8.GetBytes(GoodIndicator));
        Assert.Equal("sdos/indicator.json", check.SchemaName);
        Assert.True(check.IsValid, check.Describe("indicator"));
    }

    [SkippableFact]
    public void NonConformingObject_IsRejected_WithTheRelevantErrorsOnly()
    {
        // created without milliseconds (core.json requires them) and no pattern (indicator.json requires it).
        string bad = GoodIndicator
            .Replace("\"created\": \"2016-04-06T20:03:48.000Z\"", "\"created\": \"2016-04-06T20:03:48Z\"", StringComparison.Ordinal)
            .Replace("\"pattern\": \"[ipv4-addr:value = '198.51.100.3']\", ", string.Empty, StringComparison.Ordinal);
        var check = StixSchemaSet.Require().Check(Encoding.UTF8.GetBytes(bad));

        Assert.False(check.IsValid);
        Assert.Contains(check.Errors, e => e.Contains("required", StringComparison.Ordinal) && e.Contains("\"pattern\"", StringComparison.Ordinal));
        Assert.Contains(check.Errors, e => e.StartsWith("at '/created'", StringComparison.Ordinal));

        // Failed branches of anyOf/oneOf that passed overall, and the subschemas of not, are not reported.
        Assert.DoesNotContain(check.Errors, e => e.Contains("/anyOf/", StringComparison.Ordinal) || e.Contains("/not", StringComparison.Ordinal));
        Assert.Equal(2, check.Errors.Count);
    }

    [SkippableFact]
    public void CustomObject_IsCheckedAgainstTheCoreSchema()
    {
        var schemas = StixSchemaSet.Require();
        const string Tactic = """
            {"type": "x-mitre-tactic", "spec_version": "2.1", "id": "x-mitre-tactic--ffd5bcee-6e16-4dd2-8eca-7b3beedf33ca",
             "created": "2018-10-17T00:14:20.652Z", "modified": "2022-04-25T14:00:00.188Z", "name": "Initial Access",
             "x_mitre_shortname": "initial-access"}
            """;
        var good = schemas.Check(Encoding.UTF8.GetBytes(Tactic));
        Assert.Equal("common/core.json", good.SchemaName);
        Assert.True(good.IsValid, good.Describe("x-mitre-tactic"));

        var bad = schemas.Check(Encoding.UTF8.GetBytes(Tactic.Replace("\"spec_version\": \"2.1\", ", string.Empty, StringComparison.Ordinal)));
        Assert.False(bad.IsValid);
        Assert.Contains(bad.Errors, e => e.Contains("spec_version", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void WrittenBundle_ConformsToBundleSchema()
    {
        var schemas = StixSchemaSet.Require();
        var objects = new StixObject[] { Some.Indicator(), Some.Malware(), Some.Relationship(), Some.IPv4Address(), Some.File() };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, StixJson.WriterOptions(indented: false)))
        {
            StixJson.WriteBundle(writer, Some.IdFor("bundle"), objects);
        }

        var check = schemas.Check(buffer.WrittenMemory);
        Assert.Equal("common/bundle.json", check.SchemaName);
        Assert.True(check.IsValid, check.Describe("bundle"));
    }
}
