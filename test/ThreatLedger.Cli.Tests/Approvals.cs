namespace ThreatLedger.Cli.Tests;

/// <summary>
/// Approved-file snapshots: compares text with Approved/NAME.approved.txt in the source tree and,
/// on a mismatch, writes NAME.received.txt beside it for review (rename it to approve).
/// </summary>
internal static class Approvals
{
    public static void Verify(string received, string name)
    {
        string dir = Path.Combine(SourceDirectory(), "Approved");
        string approvedPath = Path.Combine(dir, name + ".approved.txt");
        string receivedPath = Path.Combine(dir, name + ".received.txt");
        string normalized = received.Replace("\r\n", "\n", StringComparison.Ordinal);
        string? approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath) : null;
        if (approved == normalized)
        {
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }

            return;
        }

        Directory.CreateDirectory(dir);
        File.WriteAllText(receivedPath, normalized);
        Assert.Fail(approved is null
            ? $"no approved snapshot for {name}; review {receivedPath} and rename it to {name}.approved.txt"
            : $"output differs from {approvedPath}; see {receivedPath}");
    }

    private static string SourceDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ThreatLedger.Cli.Tests.csproj")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the test project's source folder");
    }
}
