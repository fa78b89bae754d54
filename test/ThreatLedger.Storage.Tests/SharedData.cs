namespace ThreatLedger.Storage.Tests;

/// <summary>
/// Finds the shared data folder beside the repository (<c>../shared/data</c> relative to the folder
/// holding ThreatLedger.slnx), or the folder named by <c>THREATLEDGER_SHARED</c>. Tests that need it
/// skip with a reason when it is absent.
/// </summary>
internal static class SharedData
{
    /// <summary>Overrides the search: the <c>shared</c> folder or its <c>data</c> folder.</summary>
    public const string EnvironmentVariable = "THREATLEDGER_SHARED";

    private static readonly Lazy<string?> s_dataDirectory = new(Locate);

    /// <summary>The <c>shared/data</c> folder, or null.</summary>
    public static string? DataDirectory => s_dataDirectory.Value;

    /// <summary>Skips the calling test unless the entry exists; returns its path.</summary>
    public static string SkipIfMissing(params string[] parts)
    {
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        Skip.If(
            DataDirectory is null,
            env is { Length: > 0 }
                ? $"shared test data not found: {EnvironmentVariable}='{env}' has no data folder"
                : $"shared test data not found: set {EnvironmentVariable} to the 'shared' folder, or place it next to the repository root (../shared/data beside ThreatLedger.slnx)");
        string path = Path.Combine([DataDirectory!, .. parts]);
        Skip.If(!File.Exists(path), $"shared test data file not found: {path}");
        return path;
    }

    private static string? Locate()
    {
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            foreach (string candidate in new[] { Path.Combine(env, "data"), env })
            {
                if (Directory.Exists(Path.Combine(candidate, "attack")))
                {
                    return Path.GetFullPath(candidate);
                }
            }

            return null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(Path.Combine(candidate, "attack")))
            {
                return candidate;
            }
        }

        return null;
    }
}
