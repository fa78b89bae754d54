using Npgsql;
using ThreatLedger.Storage.Postgres;

namespace ThreatLedger.Storage.Tests;

/// <summary>
/// The PostgreSQL server named by <c>THREATLEDGER_TEST_PG</c> (a key=value connection string to its
/// <c>postgres</c> database). Hands out fresh databases and drops whatever is left at the end.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    /// <summary>The environment variable.</summary>
    public const string EnvironmentVariable = "THREATLEDGER_TEST_PG";

    /// <summary>Why the PostgreSQL tests skip.</summary>
    public const string SkipReason = "PostgreSQL not available: set THREATLEDGER_TEST_PG (scripts/test.sh starts a throwaway server)";

    private readonly Lock _gate = new();
    private readonly HashSet<string> _databases = new(StringComparer.Ordinal);

    /// <summary>Reads the environment.</summary>
    public PostgresServer()
    {
        string? cs = Environment.GetEnvironmentVariable(EnvironmentVariable);
        AdminConnectionString = string.IsNullOrWhiteSpace(cs) ? null : PostgresStixStore.ToKeyValue(cs);
    }

    /// <summary>The server's maintenance connection string, or null when none was given.</summary>
    public string? AdminConnectionString { get; }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public string CreateDatabase()
    {
        string name = "tl_" + Guid.NewGuid().ToString("N");
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                Execute($"CREATE DATABASE {name}");
                break;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                // Another session is copying template1 at the same moment: try again shortly.
                Thread.Sleep(50 * attempt);
            }
        }

        lock (_gate)
        {
            _databases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabase"/>.</summary>
    public void DropDatabase(string connectionString)
    {
        string name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        Execute($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        lock (_gate)
        {
            _databases.Remove(name);
        }
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand(sql, connection);
        cmd.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (AdminConnectionString is null)
        {
            return;
        }

        string[] left;
        lock (_gate)
        {
            left = [.. _databases];
        }

        foreach (string name in left)
        {
            try
            {
                Execute($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            }
            catch (NpgsqlException)
            {
            }
        }

        NpgsqlConnection.ClearAllPools();
    }
}

/// <summary>The conformance suite against PostgreSQL: a fresh database per store, dropped afterwards.</summary>
public sealed class PostgresConformance(PostgresServer server) : StoreConformance, IClassFixture<PostgresServer>
{
    private readonly List<(IStixStore Store, string ConnectionString)> _stores = [];
    private readonly List<IStixStore> _others = [];

    /// <inheritdoc />
    protected override IStixStore CreateStore(TimeProvider clock)
    {
        Skip.If(server.AdminConnectionString is null, PostgresServer.SkipReason);
        string cs = server.CreateDatabase();
        IStixStore store;
        try
        {
            store = PostgresStixStore.Open(cs, clock);
        }
        catch
        {
            server.DropDatabase(cs);
            throw;
        }

        Assert.Equal("postgres", store.Backend);
        _stores.Add((store, cs));
        return store;
    }

    /// <inheritdoc />
    protected override IStixStore OpenAgain(IStixStore store, TimeProvider clock)
    {
        string cs = _stores.First(s => ReferenceEquals(s.Store, store)).ConnectionString;
        var again = PostgresStixStore.Open(cs, clock);
        _others.Add(again);
        return again;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var other in _others)
            {
                other.Dispose();
            }

            _others.Clear();
            foreach (var (store, cs) in _stores)
            {
                store.Dispose();
                try
                {
                    server.DropDatabase(cs);
                }
                catch (NpgsqlException)
                {
                    // The fixture tries again at the end.
                }
            }

            _stores.Clear();
        }

        base.Dispose(disposing);
    }
}
