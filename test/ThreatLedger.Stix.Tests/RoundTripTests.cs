using System.Text.Json;

namespace ThreatLedger.Stix.Tests;

public sealed class RoundTripTests
{
    public static TheoryData<string> SharedBundles()
    {
        var data = new TheoryData<string>();
        foreach (var f in new[]
        {
            "attack/enterprise-attack.json.gz", "attack/ics-attack.json", "attack/mobile-attack.json", "attack/mobile-attack-17.1.json",
            "stix-common-objects/extension-definitions.json", "stix-common-objects/identities.json", "stix-common-objects/marking-definitions.json",
            "stix2-json-schemas/examples/indicator-for-c2-ip-address.json", "stix2-json-schemas/examples/indicator-to-campaign-relationship.json",
            "stix2-json-schemas/examples/indicators-for-C2-with-COA.json", "stix2-json-schemas/examples/infrastructure.json",
            "stix2-json-schemas/examples/interop-objectmarking-test.json", "stix2-json-schemas/examples/malicious-email-indicator-with-attachment.json",
            "stix2-json-schemas/examples/threat-reports/apt1.json", "stix2-json-schemas/examples/threat-reports/poisonivy.json",
        })
        {
            data.Add(f);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(SharedBundles))]
    public void Read_SharedBundle_ValidatesWithoutErrorsAndRoundTripsObjectByObject(string relative)
    {
        byte[] bytes = Schema.SchemaCorpus.Load(relative);

        var doc = StixJson.Read(bytes, fileName: relative);

        Assert.True(doc.ErrorCount == 0, string.Join('\n', doc.Diagnostics.Where(d => d.Severity == Validation.StixSeverity.Error).Take(10)));
        using var original = JsonDocument.Parse(bytes);
        var originals = original.RootElement.ValueKind == JsonValueKind.Array
            ? original.RootElement.EnumerateArray().ToList()
            : original.RootElement.TryGetProperty("objects", out var objects) ? objects.EnumerateArray().ToList() : [original.RootElement];
        Assert.Equal(originals.Count, doc.Objects.Count);
        for (int i = 0; i < originals.Count; i++)
        {
            using var written = JsonDocument.Parse(StixJson.SerializeToUtf8Bytes(doc.Objects[i]));
            string? difference = JsonDiff.Find(originals[i], written.RootElement, "$");
            Assert.True(difference is null, $"{relative} object {i} ({doc.Objects[i].Id}) changed at {difference}");
        }
    }

    [Theory]
    [InlineData("2021-07-19T00:00:00Z")]
    [InlineData("2021-07-19T00:00:00.1Z")]
    [InlineData("2021-07-19T00:00:00.000Z")]
    [InlineData("2021-07-19T00:00:00.123456Z")]
    [InlineData("2021-07-19T00:00:00.1234567Z")]
    [InlineData("2021-07-19T00:00:00.123456789012Z")]
    public void Write_Timestamp_KeepsPrecisionText(string text)
    {
        string json = $$"""{"type":"campaign","spec_version":"2.1","id":"campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z","name":"Operation Example","first_seen":"{{text}}"}""";

        var campaign = StixJson.ParseObject<Campaign>(json);

        Assert.Equal(text, campaign.FirstSeen!.Value.ToString());
        Assert.Contains($"\"first_seen\":\"{text}\"", StixJson.Serialize(campaign), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_CustomPropertiesAndUnknownType_ComeBackVerbatim()
    {
        const string json = """
            {"type":"x-acme-widget","spec_version":"2.1","id":"x-acme-widget--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z",
             "x_acme_score":1.50,"x_acme_big":12345678901234567890,"x_acme_nested":{"a":[1e3,true,null,"\u65e5\u672c"]},"name_ja":"国家安全部",
             "extensions":{"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e":{"extension_type":"toplevel-property-extension"}}}
            """;

        var obj = StixJson.ParseObject(json);
        string written = StixJson.Serialize(obj);

        Assert.IsType<UnknownObject>(obj);
        using var a = JsonDocument.Parse(json);
        using var b = JsonDocument.Parse(written);
        Assert.Null(JsonDiff.Find(a.RootElement, b.RootElement, "$"));
        Assert.Contains("\"x_acme_score\":1.50", written, StringComparison.Ordinal);
        Assert.Contains("12345678901234567890", written, StringComparison.Ordinal);
        Assert.Contains("国家安全部", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PropertyExtensionOnSdo_IsKeptAndTypedPropertiesStillRead()
    {
        const string json = """
            {"type":"identity","spec_version":"2.1","id":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2021-07-19T00:00:00.000Z","modified":"2021-07-19T00:00:00.000Z",
             "name":"外務省","identity_class":"organization",
             "extensions":{"extension-definition--66e2492a-bbd3-4be6-88f5-cc91a017a498":{"extension_type":"property-extension","contact_numbers":[{"contact_number_type":"work-phone","contact_number":"+81-3-3580-3311"}]}}}
            """;

        var identity = StixJson.ParseObject<Identity>(json);

        Assert.Equal("外務省", identity.Name);
        Assert.Single(identity.Extensions!);
        using var a = JsonDocument.Parse(json);
        using var b = JsonDocument.Parse(StixJson.Serialize(identity));
        Assert.Null(JsonDiff.Find(a.RootElement, b.RootElement, "$"));
    }

    [Fact]
    public void Write_ObjectBuiltInCode_ReadsBackEqual()
    {
        var created = new StixTimestamp(new DateTime(2021, 7, 19, 0, 0, 0, DateTimeKind.Utc));
        var relationship = new Relationship
        {
            Id = StixId.Parse("relationship--1b6a2c6e-2f5b-4c4e-9a51-0b3c53c3c0a1"),
            SpecVersion = "2.1",
            Created = created,
            Modified = created,
            RelationshipType = "attributed-to",
            SourceRef = StixId.Parse("intrusion-set--7d2f1c6e-2f5b-4c4e-9a51-0b3c53c3c0a2"),
            TargetRef = StixId.Parse("threat-actor--3c2f1c6e-2f5b-4c4e-9a51-0b3c53c3c0a3"),
            Confidence = 85,
            Description = "Japan's MOFA judged APT40 highly likely to be backed by the Chinese government.",
        };

        Assert.Empty(StixJson.Validate(relationship));
        var back = StixJson.ParseObject<Relationship>(StixJson.Serialize(relationship, indented: true));

        Assert.Equal(relationship.SourceRef, back.SourceRef);
        Assert.Equal(relationship.TargetRef, back.TargetRef);
        Assert.Equal(85, back.Confidence);
        Assert.Equal(relationship.Description, back.Description);
        Assert.Equal("2021-07-19T00:00:00.000Z", back.Created!.Value.ToString());
    }
}

/// <summary>Finds the first difference between two JSON values (member order ignored, number text exact).</summary>
internal static class JsonDiff
{
    public static string? Find(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: {expected.ValueKind} became {actual.ValueKind}";
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var p in expected.EnumerateObject())
                {
                    names.Add(p.Name);
                    if (!actual.TryGetProperty(p.Name, out var other))
                    {
                        return $"{path}.{p.Name}: missing";
                    }

                    string? d = Find(p.Value, other, path + "." + p.Name);
                    if (d is not null)
                    {
                        return d;
                    }
                }

                foreach (var p in actual.EnumerateObject())
                {
                    if (!names.Contains(p.Name))
                    {
                        return $"{path}.{p.Name}: added";
                    }
                }

                return null;
            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength())
                {
                    return $"{path}: length {expected.GetArrayLength()} became {actual.GetArrayLength()}";
                }

                for (int i = 0; i < expected.GetArrayLength(); i++)
                {
                    string? d = Find(expected[i], actual[i], $"{path}[{i}]");
                    if (d is not null)
                    {
                        return d;
                    }
                }

                return null;
            case JsonValueKind.String:
                return string.Equals(expected.GetString(), actual.GetString(), StringComparison.Ordinal) ? null : $"{path}: '{expected.GetString()}' became '{actual.GetString()}'";
            case JsonValueKind.Number:
                return expected.GetRawText() == actual.GetRawText() ? null : $"{path}: {expected.GetRawText()} became {actual.GetRawText()}";
            default:
                return null;
        }
    }
}
