using System.Text;
using ThreatLedger.Stix.Identifiers;

namespace ThreatLedger.Stix.Tests.Identifiers;

public sealed class Uuid5Tests
{
    private static readonly Guid s_dnsNamespace = new("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    private static readonly Guid s_urlNamespace = new("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    [Fact]
    public void StixScoNamespace_HasSpecValue()
    {
        Assert.Equal("00abedb4-aa42-466c-9c01-fed23315a9b7", Uuid5.ToStixString(Uuid5.StixScoNamespace));

        Span<byte> bytes = stackalloc byte[16];
        Assert.True(Uuid5.StixScoNamespace.TryWriteBytes(bytes, bigEndian: true, out _));
        Assert.Equal("00abedb4aa42466c9c01fed23315a9b7", Convert.ToHexStringLower(bytes));
    }

    // Known answers, each produced identically by Python's uuid.uuid5 and node's uuid v5.
    [Theory]
    [InlineData("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org", "886313e1-3b8a-5372-9b90-0c9aee199e5d")] // Python docs
    [InlineData("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "http://python.org/", "4c565f0d-3f5a-5890-b41b-20cf47701c5e")]
    [InlineData("00abedb4-aa42-466c-9c01-fed23315a9b7", "", "541cb4a8-fbf0-5832-816e-d17fd10b36c4")]
    [InlineData("00abedb4-aa42-466c-9c01-fed23315a9b7", "{\"value\":\"bücher.example\"}", "dbf3aff2-b3cd-57d2-9616-0ddfde9d01ad")]
    public void Create_KnownAnswers(string @namespace, string name, string expected)
    {
        var ns = new Guid(@namespace);

        Assert.Equal(expected, Uuid5.ToStixString(Uuid5.Create(ns, Encoding.UTF8.GetBytes(name))));
        Assert.Equal(expected, Uuid5.ToStixString(Uuid5.Create(ns, name)));
    }

    [Fact]
    public void Create_PythonOrgInDns_EqualsGuidParsedFromText() =>
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), Uuid5.Create(s_dnsNamespace, "python.org"u8));

    [Fact]
    public void Create_SetsVersionAndVariant()
    {
        for (var i = 0; i < 256; i++)
        {
            var id = Uuid5.Create(s_urlNamespace, [(byte)i]);

            Assert.Equal(5, Uuid5.GetVersion(id));
            Assert.True(Uuid5.IsRfc4122Variant(id));
            Assert.True(Uuid5.IsVersion5(id));
            Assert.False(Uuid5.IsVersion4(id));
        }
    }

    [Fact]
    public void Create_DependsOnNamespaceAndName()
    {
        var a = Uuid5.Create(s_dnsNamespace, "example.com"u8);

        Assert.Equal(a, Uuid5.Create(s_dnsNamespace, "example.com"u8));
        Assert.NotEqual(a, Uuid5.Create(s_urlNamespace, "example.com"u8));
        Assert.NotEqual(a, Uuid5.Create(s_dnsNamespace, "example.org"u8));
    }

    [Fact]
    public void Create_NullStringName_Throws() =>
        Assert.Throws<ArgumentNullException>(() => Uuid5.Create(s_dnsNamespace, (string)null!));

    [Fact]
    public void IsVersion4_RandomGuid_True()
    {
        var id = Guid.NewGuid();

        Assert.True(Uuid5.IsVersion4(id));
        Assert.False(Uuid5.IsVersion5(id));
        Assert.Equal(4, Uuid5.GetVersion(id));
    }

    [Theory]
    [InlineData("6ba7b810-9dad-11d1-80b4-00c04fd430c8", 1, true)] // RFC 4122 DNS namespace: version 1
    [InlineData("00abedb4-aa42-466c-9c01-fed23315a9b7", 4, true)] // the STIX namespace itself is a v4
    [InlineData("886313e1-3b8a-5372-9b90-0c9aee199e5d", 5, true)]
    [InlineData("886313e1-3b8a-5372-1b90-0c9aee199e5d", 5, false)] // NCS variant (0xxx)
    [InlineData("886313e1-3b8a-5372-db90-0c9aee199e5d", 5, false)] // Microsoft variant (110x)
    [InlineData("00000000-0000-0000-0000-000000000000", 0, false)]
    [InlineData("0192d4e1-7a3b-7c4d-8e5f-123456789abc", 7, true)]
    public void GetVersionAndVariant_ReadNetworkOrderBytes(string text, int version, bool rfcVariant)
    {
        var id = new Guid(text);

        Assert.Equal(version, Uuid5.GetVersion(id));
        Assert.Equal(rfcVariant, Uuid5.IsRfc4122Variant(id));
        Assert.Equal(version == 5 && rfcVariant, Uuid5.IsVersion5(id));
        Assert.Equal(version == 4 && rfcVariant, Uuid5.IsVersion4(id));
    }

    [Fact]
    public void ToStixString_IsLowerCaseDFormat()
    {
        var id = new Guid("{886313E1-3B8A-5372-9B90-0C9AEE199E5D}");

        Assert.Equal("886313e1-3b8a-5372-9b90-0c9aee199e5d", Uuid5.ToStixString(id));
    }
}
