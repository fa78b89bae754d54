using Npgsql;
using ThreatLedger.Storage.Postgres;

namespace ThreatLedger.Storage.Tests;

/// <summary>Connection strings PostgresStixStore.Open accepts (no server needed).</summary>
public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void ToKeyValue_Url_BecomesKeyValuePairs()
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresStixStore.ToKeyValue("postgres://analyst:p%40ss%3Aword@db.example.org:6543/threat%20ledger"));

        Assert.Equal("db.example.org", b.Host);
        Assert.Equal(6543, b.Port);
        Assert.Equal("analyst", b.Username);
        Assert.Equal("p@ss:word", b.Password);
        Assert.Equal("threat ledger", b.Database);
    }

    [Fact]
    public void ToKeyValue_UrlWithoutPortOrPassword_UsesTheDefaults()
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresStixStore.ToKeyValue("postgresql://analyst@localhost/tl"));

        Assert.Equal("localhost", b.Host);
        Assert.Equal(5432, b.Port);
        Assert.Equal("analyst", b.Username);
        Assert.Null(b.Password);
        Assert.Equal("tl", b.Database);
    }

    [Fact]
    public void ToKeyValue_KeyValueString_PassesThrough()
    {
        const string cs = "Host=127.0.0.1;Port=55432;Username=threatledger;Database=postgres";

        Assert.Equal(cs, PostgresStixStore.ToKeyValue(cs));
    }
}
