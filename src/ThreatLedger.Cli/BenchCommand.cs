using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ThreatLedger.Stix;

namespace ThreatLedger.Cli;

/// <summary>
/// <c>threatledger bench stix FILE</c>: parse+validate the bytes N times and, in the same process, run a
/// bare <see cref="Utf8JsonReader"/> token loop over the same bytes (the floor). Prints medians and the ratio.
/// </summary>
internal static class BenchCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length > 0 && args[0] == "generate")
        {
            return StoreBench.Generate(args[1..], stdout);
        }

        if (args.Length > 0 && args[0] == "store")
        {
            return StoreBench.Run(args[1..], stdout, stderr);
        }

        if (args.Length > 0 && args[0] == "serve")
        {
            return ServeBench.Run(args[1..], stdout, stderr);
        }

        if (args.Length > 0 && args[0] == "extract")
        {
            return ExtractBench.Run(args[1..], stdout, stderr);
        }

        if (args.Length == 0 || args[0] != "stix")
        {
            throw new UsageException("bench needs a target: bench stix FILE, bench store FILE, bench store --queries --db DB --source FILE, bench serve [--source FILE] [--ics FILE], bench extract [--megabytes N] [--db DB] [--out FILE], or bench generate OUT");
        }

        var o = Options.Parse(args[1..], [], ["--iterations"]);
        if (o.Positional.Count != 1)
        {
            throw new UsageException("bench stix needs exactly one FILE");
        }

        int iterations = o.Int("--iterations", 15);
        string file = o.Positional[0];
        byte[] bytes;
        try
        {
            bytes = InputFile.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            stderr.WriteLine($"threatledger: cannot read {file}: {ex.Message}");
            return CommandLine.Usage;
        }

        // Warm up both paths so tiered compilation has reached its optimised code before timing.
        var first = StixJson.Read(bytes);
        long tokens = Scan(bytes);
        for (int i = 0; i < 4; i++)
        {
            GC.KeepAlive(StixJson.Read(bytes));
            Scan(bytes);
        }

        var parse = new double[iterations];
        var scan = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            // Alternate the two so drift in machine load hits both alike.
            var sw = Stopwatch.StartNew();
            var doc = StixJson.Read(bytes);
            parse[i] = sw.Elapsed.TotalSeconds;
            GC.KeepAlive(doc);
            sw.Restart();
            tokens = Scan(bytes);
            scan[i] = sw.Elapsed.TotalSeconds;
        }

        double parseMedian = Median(parse);
        double scanMedian = Median(scan);

        // Each iteration times both paths back to back, so their quotient cancels most of this machine's
        // drift; the ratio reported is the median of those per-iteration quotients.
        var ratios = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            ratios[i] = scan[i] / parse[i];
        }

        double mb = bytes.Length / 1e6;
        int objects = first.Objects.Count;
        var ci = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(ci, $"file: {file} ({mb:F1} MB, {objects} objects, {tokens} tokens, {first.ErrorCount} errors, {first.WarningCount} warnings)"));
        stdout.WriteLine(string.Create(ci, $"iterations: {iterations} (median reported)"));
        stdout.WriteLine(string.Create(ci, $"parse+validate: {parseMedian * 1000:F1} ms  {objects / parseMedian:F0} objects/s  {mb / parseMedian:F1} MB/s"));
        stdout.WriteLine(string.Create(ci, $"raw Utf8JsonReader scan: {scanMedian * 1000:F1} ms  {objects / scanMedian:F0} objects/s  {mb / scanMedian:F1} MB/s"));
        stdout.WriteLine(string.Create(ci, $"peak working set: {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB"));
        stdout.WriteLine(string.Create(ci, $"ratio of medians: {scanMedian / parseMedian:F3}"));
        stdout.WriteLine(string.Create(ci, $"ratio: {Median(ratios):F3}"));
        return CommandLine.Ok;
    }

    /// <summary>The floor: visit every token and touch its value span, nothing else.</summary>
    internal static long Scan(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 256 });
        long tokens = 0;
        long checksum = 0;
        while (reader.Read())
        {
            tokens++;
            checksum += reader.ValueSpan.Length;
        }

        return tokens + (checksum & 0);
    }

    internal static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
