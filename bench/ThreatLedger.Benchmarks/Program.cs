using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Runs the benchmarks chosen on the command line, e.g.:
//   dotnet run -c Release --project bench/ThreatLedger.Benchmarks -- --filter '*' --job short
// Reports go to bench/ThreatLedger.Benchmarks/BenchmarkDotNet.Artifacts (git-ignored) unless --artifacts says otherwise.
var config = DefaultConfig.Instance.WithArtifactsPath(ArtifactsPath());
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);

static string ArtifactsPath()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "ThreatLedger.Benchmarks.csproj")))
        {
            return Path.Combine(dir.FullName, "BenchmarkDotNet.Artifacts");
        }
    }

    return Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts");
}
