using System.Text;
using ThreatLedger.Stix.Identifiers;

namespace ThreatLedger.Stix.Tests.Identifiers;

/// <summary>
/// STIX 2.1 section 2.9: an SCO id is type--UUIDv5(StixScoNamespace, JCS(ID-contributing properties)).
/// Every expected id below was produced identically by two independent implementations:
/// Python (uuid.uuid5 + json.dumps(sort_keys=True, separators=(',', ':'))) and
/// node (the "canonicalize" RFC 8785 reference package + the "uuid" package's v5).
/// </summary>
public sealed class StixScoIdentifierTests
{
    private static string ScoId(string type, string idContributingJson) =>
        type + "--" + Uuid5.ToStixString(
            Uuid5.Create(Uuid5.StixScoNamespace, JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(idContributingJson))));

    [Theory]
    [InlineData("ipv4-addr", "{\"value\":\"198.51.100.3\"}", "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4")]
    [InlineData("ipv6-addr", "{\"value\":\"2001:0db8:85a3:0000:0000:8a2e:0370:7334\"}", "ipv6-addr--85a85a8c-ee99-5722-946d-3c3a3270fc6f")]
    [InlineData("domain-name", "{\"value\":\"example.com\"}", "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7")]
    [InlineData("email-addr", "{\"value\":\"jdoe@example.com\"}", "email-addr--6deb37bd-12b7-54ae-805f-5f7146f3d171")]
    [InlineData("url", "{\"value\":\"https://example.com/research/index.html\"}", "url--47c3cf9a-5027-5bf0-997a-017c7edc7c55")]
    [InlineData("mac-addr", "{\"value\":\"d2:fb:49:24:37:18\"}", "mac-addr--757b1725-9903-54f5-a855-1240691d7659")]
    public void ScoId_SingleValue_KnownAnswers(string type, string json, string expected)
    {
        var id = ScoId(type, json);

        Assert.Equal(expected, id);
        Assert.True(Uuid5.IsVersion5(new Guid(id[(type.Length + 2)..])));
    }

    [Fact]
    public void ScoId_Ipv4_WhitespaceDoesNotMatter() =>
        Assert.Equal("ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", ScoId("ipv4-addr", "  {\n  \"value\" : \"198.51.100.3\"\n}\n"));

    [Theory]
    // Member order in the input must not matter: "name" before "hashes" is sorted after it.
    [InlineData("{\"name\":\"foo.exe\",\"hashes\":{\"SHA-256\":\"35a01331e9ad96f751278b891b6ea09699806faedfa237d40513d92ad1b7100f\"}}")]
    [InlineData("{\"hashes\":{\"SHA-256\":\"35a01331e9ad96f751278b891b6ea09699806faedfa237d40513d92ad1b7100f\"},\"name\":\"foo.exe\"}")]
    public void ScoId_FileWithHashAndName_KnownAnswer(string json) =>
        Assert.Equal("file--99123570-8331-5731-b126-7723fa5bde2f", ScoId("file", json));

    [Fact]
    public void ScoId_FileWithTwoHashes_NestedKeysSorted()
    {
        // "SHA-256" sorts after "MD5"; the nested object must be canonicalized too.
        const string json =
            "{\"hashes\":{\"SHA-256\":\"35a01331e9ad96f751278b891b6ea09699806faedfa237d40513d92ad1b7100f\"," +
            "\"MD5\":\"8a431d6b4f7b4b0ef7a7d4f5c6c2a1d1\"},\"name\":\"foo.exe\"}";

        Assert.Equal(
            "{\"hashes\":{\"MD5\":\"8a431d6b4f7b4b0ef7a7d4f5c6c2a1d1\",\"SHA-256\":\"35a01331e9ad96f751278b891b6ea09699806faedfa237d40513d92ad1b7100f\"},\"name\":\"foo.exe\"}",
            Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(json))));
        Assert.Equal("file--8ae27913-0755-5cdc-9a31-38156389aa79", ScoId("file", json));
    }
}
