using System.IO.Compression;

namespace ThreatLedger.Stix.Tests;

/// <summary>Finds the team's shared test data (../shared/data beside the repository); never copied into the repo.</summary>
internal static class TestData
{
    private static readonly Lazy<string?> s_root = new(Locate);

    /// <summary>The shared data folder, or null when it is not there (tests then skip).</summary>
    public static string? Root => s_root.Value;

    public const string MissingMessage = "../shared/data is not present beside the repository (set THREATLEDGER_SHARED to its shared/ folder); skipping tests that read the shared STIX data";

    public static string PathOf(string relative) => System.IO.Path.Combine(Root ?? throw new InvalidOperationException(MissingMessage), relative);

    /// <summary>Reads a file, gunzipping .gz.</summary>
    public static byte[] ReadBytes(string path)
    {
        if (!path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return System.IO.File.ReadAllBytes(path);
        }

        using var gz = new GZipStream(System.IO.File.OpenRead(path), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }

    private static string? Locate()
    {
        string? env = Environment.GetEnvironmentVariable("THREATLEDGER_SHARED");
        if (env is { Length: > 0 } && System.IO.Directory.Exists(System.IO.Path.Combine(env, "data")))
        {
            return System.IO.Path.Combine(env, "data");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (System.IO.Directory.Exists(candidate) && System.IO.File.Exists(System.IO.Path.Combine(candidate, "attack", "ics-attack.json")))
            {
                return candidate;
            }
        }

        return null;
    }
}
