namespace ThreatLedger.Stix.Tests;

/// <summary>
/// Finds the shared data folder that lives next to the repository (<c>../shared/data</c> relative to
/// the folder holding ThreatLedger.slnx), or the folder named by <c>THREATLEDGER_SHARED</c>.
/// Tests that need it call <see cref="SkipIfMissing"/> so they are skipped, not failed, when it is absent.
/// </summary>
internal static class SharedData
{
    /// <summary>Environment variable that overrides the search: the <c>shared</c> folder (or its <c>data</c> folder).</summary>
    public const string EnvironmentVariable = "THREATLEDGER_SHARED";

    private static readonly Lazy<string?> s_dataDirectory = new(Locate);

    /// <summary>The <c>shared/data</c> folder, or null when it cannot be found.</summary>
    public static string? DataDirectory => s_dataDirectory.Value;

    /// <summary>True when the shared data folder was found.</summary>
    public static bool IsAvailable => DataDirectory is not null;

    /// <summary>Why tests that need the data are skipped.</summary>
    public static string MissingReason =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } set
            ? $"shared test data not found: {EnvironmentVariable}='{set}' has no data folder (expected <shared>/data/stix2-json-schemas or <shared>/data/attack)"
            : $"shared test data not found: set {EnvironmentVariable} to the 'shared' folder, or place it next to the repository root (../shared/data beside ThreatLedger.slnx)";

    /// <summary>A path inside <c>shared/data</c>; null when the data folder is absent.</summary>
    public static string? PathOf(params string[] parts) =>
        DataDirectory is { } root ? Path.Combine([root, .. parts]) : null;

    /// <summary>Skips the calling test when the data folder (or the given entry inside it) is missing.</summary>
    public static string SkipIfMissing(params string[] parts)
    {
        Skip.If(DataDirectory is null, MissingReason);
        string path = Path.Combine([DataDirectory!, .. parts]);
        Skip.If(!System.IO.File.Exists(path) && !System.IO.Directory.Exists(path), $"shared test data entry not found: {path}");
        return path;
    }

    private static string? Locate()
    {
        string? fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            foreach (string candidate in new[] { Path.Combine(fromEnv, "data"), fromEnv })
            {
                if (System.IO.Directory.Exists(candidate) && LooksLikeData(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }

            return null;
        }

        // Walk up from the test binaries (…/test/ThreatLedger.Stix.Tests/bin/Debug/net10.0): shared/ is a
        // sibling of the repository root (the folder with ThreatLedger.slnx), so the first ancestor that
        // holds shared/data is the parent of the repository root.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data");
            if (System.IO.Directory.Exists(candidate) && LooksLikeData(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool LooksLikeData(string dir) =>
        System.IO.Directory.Exists(Path.Combine(dir, "stix2-json-schemas")) || System.IO.Directory.Exists(Path.Combine(dir, "attack"));
}
