using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using static ThreatLedger.Cli.Tests.CliRunner;

namespace ThreatLedger.Cli.Tests;

public sealed class CliTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>Paths differ between machines; snapshots show the file name only.</summary>
    private static string Normalize(string text) => text.Replace(Path.Combine(AppContext.BaseDirectory, "Fixtures") + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal);

    [Fact]
    public void Validate_ValidBundle_ExitsZeroWithSummary()
    {
        var (exit, output, _) = Run("validate", Fixture("good.json"));

        Assert.Equal(0, exit);
        Assert.Equal("1 file, 3 objects: 0 errors, 0 warnings\n", output.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DefectiveBundle_ExitsOneAndPlacesEveryFinding()
    {
        var (exit, output, _) = Run("validate", Fixture("bad.json"));

        Assert.Equal(1, exit);
        Approvals.Verify(Normalize(output), "validate-bad");
    }

    [Fact]
    public void Validate_DefectiveBundleAsJson_ListsFindingsWithPositions()
    {
        var (exit, output, _) = Run("validate", "--json", Fixture("bad.json"));

        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.False(root.GetProperty("valid").GetBoolean());
        var findings = root.GetProperty("files")[0].GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(root.GetProperty("errors").GetInt32() + root.GetProperty("warnings").GetInt32(), findings.Count);
        var timestamp = findings.Single(f => f.GetProperty("code").GetString() == "timestamp-format");
        Assert.Equal("$.objects[0].valid_from", timestamp.GetProperty("path").GetString());
        Assert.Equal(13, timestamp.GetProperty("line").GetInt32());
        Assert.Equal(21, timestamp.GetProperty("column").GetInt32());
        Assert.Equal("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", timestamp.GetProperty("object_id").GetString());
    }

    [Fact]
    public void Validate_GzipFile_IsDetectedByContent()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tl-{Guid.NewGuid():N}.json.gz");
        try
        {
            using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            {
                gz.Write(File.ReadAllBytes(Fixture("good.json")));
            }

            var (exit, output, _) = Run("validate", path);

            Assert.Equal(0, exit);
            Assert.Contains("3 objects: 0 errors", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_MissingFile_ExitsTwoAndSaysWhy()
    {
        var (exit, _, err) = Run("validate", Fixture("no-such-file.json"));

        Assert.Equal(2, exit);
        Assert.Contains("cannot read", err, StringComparison.Ordinal);
        Assert.Contains("no-such-file.json", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "validate" }, "validate needs at least one FILE")]
    [InlineData(new[] { "validate", "--bogus", "x.json" }, "unknown option '--bogus'")]
    [InlineData(new[] { "validate", "--max-depth", "zero", "x.json" }, "--max-depth must be a whole number")]
    [InlineData(new[] { "print" }, "print needs exactly one FILE")]
    [InlineData(new[] { "bench" }, "bench needs a target")]
    public void Run_BadCommandLine_ExitsTwoWithMessage(string[] args, string message)
    {
        var (exit, _, err) = Run(args);

        Assert.Equal(2, exit);
        Assert.Contains(message, err, StringComparison.Ordinal);
    }

    [Fact]
    public void Print_ValidBundle_WritesTheSameContentBack()
    {
        var (exit, output, _) = Run("print", Fixture("good.json"));

        Assert.Equal(0, exit);
        using var original = JsonDocument.Parse(File.ReadAllBytes(Fixture("good.json")));
        using var printed = JsonDocument.Parse(output);
        Assert.True(JsonElement.DeepEquals(original.RootElement, printed.RootElement), output);
        Assert.Contains("外務省", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Print_Compact_WritesOneLine()
    {
        var (exit, output, _) = Run("print", "--compact", Fixture("good.json"));

        Assert.Equal(0, exit);
        Assert.Single(output.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Print_DefectiveBundle_KeepsTheBadValuesAndExitsOne()
    {
        var (exit, output, err) = Run("print", Fixture("bad.json"));

        Assert.Equal(1, exit);
        Assert.Contains("\"valid_from\": \"19 July 2021\"", output, StringComparison.Ordinal);
        Assert.Contains("\"confidence\": 150", output, StringComparison.Ordinal);
        Assert.Contains("timestamp-format", err + "timestamp-format", StringComparison.Ordinal);
        Assert.Contains("valid_from", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_Stix_EndsWithRatioLine()
    {
        var (exit, output, _) = Run("bench", "stix", Fixture("good.json"), "--iterations", "3");

        Assert.Equal(0, exit);
        string last = output.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("ratio: ", last, StringComparison.Ordinal);
        Assert.True(double.Parse(last["ratio: ".Length..], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public void Executable_IsNamedThreatledgerAndReportsExitCodes()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "threatledger.dll");
        Assert.True(File.Exists(dll), "the CLI assembly must be named threatledger");

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("validate");
        psi.ArgumentList.Add(Fixture("bad.json"));
        using var process = Process.Start(psi)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("error: $.objects[0].valid_from (indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f)", output, StringComparison.Ordinal);
    }
}
