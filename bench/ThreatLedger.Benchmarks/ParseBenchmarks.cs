using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ThreatLedger.Stix;

namespace ThreatLedger.Benchmarks;

/// <summary>
/// Reading a bundle of N objects: <see cref="StixJson.Read"/> (typed objects, every validation rule,
/// placed diagnostics) against <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/>
/// on the same bytes (a generic DOM, no STIX semantics).
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives its generated runner from the benchmark class.</remarks>
[MemoryDiagnoser]
[InputColumn]
public class ParseBenchmarks
{
    private static readonly StixReaderOptions s_noValidation = new() { Validate = false, Warnings = false };

    private byte[] _bundle = [];

    [Params(1, 100, 10_000)]
    public int Objects { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bundle = BenchmarkInput.Bundle(Objects);
        var check = StixJson.Read(_bundle);
        if (check.Objects.Count != Objects && check.Objects.Count != check.TotalEntries)
        {
            throw new InvalidOperationException($"expected {Objects} objects, read {check.Objects.Count}");
        }

        Console.WriteLine($"// ParseBenchmarks: {BenchmarkInput.Describe(Objects)}: {_bundle.Length:N0} bytes, {check.Objects.Count} objects, {check.ErrorCount} errors, {check.WarningCount} warnings");
    }

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse")]
    public int JsonDocumentParse()
    {
        using var doc = JsonDocument.Parse(_bundle.AsMemory());
        return doc.RootElement.GetProperty("objects"u8).GetArrayLength();
    }

    [Benchmark(Description = "StixJson.Read")]
    public int StixJsonRead() => StixJson.Read(_bundle).Objects.Count;

    [Benchmark(Description = "StixJson.Read (Validate = false)")]
    public int StixJsonReadWithoutValidation() => StixJson.Read(_bundle, s_noValidation).Objects.Count;
}
