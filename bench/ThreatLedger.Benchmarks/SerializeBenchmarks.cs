using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ThreatLedger.Stix;

namespace ThreatLedger.Benchmarks;

/// <summary>
/// Writing a bundle of N objects to an <see cref="ArrayBufferWriter{T}"/>: <see cref="StixJson.WriteBundle"/>
/// from typed objects against <see cref="JsonElement.WriteTo"/> of a <see cref="JsonDocument"/> holding the same
/// bundle. Both reuse one buffer and one <see cref="Utf8JsonWriter"/> with the same options, so the
/// allocations measured are the serializer's own.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives its generated runner from the benchmark class.</remarks>
[MemoryDiagnoser]
[InputColumn]
public class SerializeBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private Utf8JsonWriter? _writer;
    private JsonDocument? _document;
    private IReadOnlyList<StixObject> _objects = [];

    [Params(1, 100, 10_000)]
    public int Objects { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        byte[] bundle = BenchmarkInput.Bundle(Objects);
        _objects = StixJson.Read(bundle).Objects;
        _document = JsonDocument.Parse(bundle);
        _writer = new Utf8JsonWriter(_buffer, StixJson.WriterOptions(indented: false));
        Console.WriteLine($"// SerializeBenchmarks: {BenchmarkInput.Describe(Objects)}: {_objects.Count} objects, {bundle.Length:N0} bytes");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer?.Dispose();
        _document?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "JsonElement.WriteTo")]
    public int JsonElementWriteTo()
    {
        var writer = Start();
        _document!.RootElement.WriteTo(writer);
        writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "StixJson.WriteBundle")]
    public int StixJsonWriteBundle()
    {
        var writer = Start();
        StixJson.WriteBundle(writer, BenchmarkInput.BundleId, _objects);
        writer.Flush();
        return _buffer.WrittenCount;
    }

    private Utf8JsonWriter Start()
    {
        _buffer.ResetWrittenCount();
        _writer!.Reset(_buffer);
        return _writer;
    }
}
