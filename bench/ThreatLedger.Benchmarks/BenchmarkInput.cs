using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using ThreatLedger.Stix;

namespace ThreatLedger.Benchmarks;

/// <summary>
/// The bundles the benchmarks read and write: the first N objects of MITRE ATT&amp;CK Enterprise
/// (<c>shared/data/attack/enterprise-attack.json.gz</c>, next to the repository or under
/// <c>THREATLEDGER_SHARED</c>) kept byte for byte, or, when that file is absent, N synthetic
/// indicators and relationships built with the typed classes, so the suite always runs.
/// The release's <c>x-mitre-collection</c> manifest (its first object: one 2.8 MB object listing every
/// object in the release) is left out, so that N = 1 is one ordinary object.
/// </summary>
public static class BenchmarkInput
{
    /// <summary>Set to 1 to use the synthetic objects even when ATT&amp;CK is available.</summary>
    public const string SyntheticVariable = "THREATLEDGER_BENCH_SYNTHETIC";

    private const string SharedVariable = "THREATLEDGER_SHARED";

    private static readonly Lazy<byte[]?> s_attack = new(LoadAttackObjects);

    private static List<(int Start, int Length)>? s_attackObjects;

    /// <summary>The bundle id written by the serialize benchmarks.</summary>
    public static StixId BundleId { get; } = StixId.Parse("bundle--5d0092c5-5f74-4287-9642-33f4c354e56d");

    /// <summary>Where the objects come from, for the summary table.</summary>
    public static string Describe(int count)
    {
        if (s_attack.Value is not null && s_attackObjects is { } objects)
        {
            return count <= objects.Count
                ? "ATT&CK enterprise, first " + count.ToString(CultureInfo.InvariantCulture)
                : "ATT&CK enterprise, all " + objects.Count.ToString(CultureInfo.InvariantCulture);
        }

        return "synthetic indicators+relationships";
    }

    /// <summary>A bundle of <paramref name="count"/> objects, UTF-8.</summary>
    public static byte[] Bundle(int count)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, StixJson.WriterOptions(indented: false)))
        {
            if (s_attack.Value is { } source && s_attackObjects is { } objects)
            {
                // The objects' original bytes, copied verbatim into a new bundle.
                writer.WriteStartObject();
                writer.WriteString("type"u8, "bundle"u8);
                writer.WriteString("id"u8, BundleId.Value);
                writer.WriteStartArray("objects"u8);
                foreach (var (start, length) in objects.Take(count))
                {
                    writer.WriteRawValue(source.AsSpan(start, length), skipInputValidation: true);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            else
            {
                StixJson.WriteBundle(writer, BundleId, Synthetic(count));
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Synthetic objects: an indicator, then a relationship from it to a malware family, repeated.</summary>
    public static IEnumerable<StixObject> Synthetic(int count)
    {
        var created = StixTimestamp.Parse("2024-03-01T09:30:00.000Z");
        var identity = StixId.Parse("identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01");
        var malware = StixId.Parse("malware--fdd60b30-b67c-41e3-b0b9-f01faf20d111");
        StixId indicator = default;
        for (int i = 0; i < count; i++)
        {
            if (i % 2 == 0)
            {
                indicator = Id("indicator", i);
                yield return new Indicator
                {
                    Id = indicator,
                    SpecVersion = "2.1",
                    CreatedByRef = identity,
                    Created = created,
                    Modified = created,
                    Name = "C2 address " + i.ToString(CultureInfo.InvariantCulture),
                    Description = "Outbound connections to this address indicate an active implant.",
                    IndicatorTypes = ["malicious-activity"],
                    Pattern = string.Create(CultureInfo.InvariantCulture, $"[ipv4-addr:value = '198.51.{(i >> 8) & 0xFF}.{i & 0xFF}']"),
                    PatternType = "stix",
                    ValidFrom = created,
                    KillChainPhases = [new KillChainPhase { KillChainName = "mitre-attack", PhaseName = "command-and-control" }],
                    ExternalReferences = [new ExternalReference { SourceName = "threatledger-bench", Url = "https://example.org/ioc/" + i.ToString(CultureInfo.InvariantCulture) }],
                };
            }
            else
            {
                yield return new Relationship
                {
                    Id = Id("relationship", i),
                    SpecVersion = "2.1",
                    CreatedByRef = identity,
                    Created = created,
                    Modified = created,
                    RelationshipType = "indicates",
                    SourceRef = indicator,
                    TargetRef = malware,
                };
            }
        }
    }

    private static StixId Id(string type, int i) =>
        StixId.Create(type, new Guid(i, 0x1f3d, 0x4b54, 0xb4, 0x4f, 0xda, 0xc4, 0x2c, 0x3a, 0x8f, 0x02));

    private static byte[]? LoadAttackObjects()
    {
        if (Environment.GetEnvironmentVariable(SyntheticVariable) == "1" || FindAttack() is not { } path)
        {
            return null;
        }

        byte[] bytes;
        using (var file = System.IO.File.OpenRead(path))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var memory = new MemoryStream())
        {
            gzip.CopyTo(memory);
            bytes = memory.ToArray();
        }

        // Find each entry of the top-level "objects" array without building a DOM.
        var objects = new List<(int, int)>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 256 });
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isObjects = reader.ValueTextEquals("objects"u8);
            reader.Read();
            if (!isObjects || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                int start = (int)reader.TokenStartIndex;
                bool manifest = TypeOf(reader) == "x-mitre-collection";
                reader.Skip();
                if (!manifest)
                {
                    objects.Add((start, (int)reader.BytesConsumed - start));
                }
            }
        }

        if (objects.Count == 0)
        {
            return null;
        }

        s_attackObjects = objects;
        return bytes;
    }

    /// <summary>The "type" of the object the reader is on (a copy of the reader is moved, not the caller's).</summary>
    private static string? TypeOf(Utf8JsonReader probe)
    {
        int depth = probe.CurrentDepth;
        while (probe.Read() && !(probe.TokenType == JsonTokenType.EndObject && probe.CurrentDepth == depth))
        {
            bool isType = probe.ValueTextEquals("type"u8);
            probe.Read();
            if (isType)
            {
                return probe.TokenType == JsonTokenType.String ? probe.GetString() : null;
            }

            probe.Skip();
        }

        return null;
    }

    private static string? FindAttack()
    {
        var roots = new List<string>();
        if (Environment.GetEnvironmentVariable(SharedVariable) is { Length: > 0 } shared)
        {
            roots.Add(Path.Combine(shared, "data"));
            roots.Add(shared);
        }

        // BenchmarkDotNet runs each benchmark from a generated project under bin/, so walk up from there:
        // shared/ is a sibling of the repository root.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            roots.Add(Path.Combine(dir.FullName, "shared", "data"));
        }

        return roots.Select(r => Path.Combine(r, "attack", "enterprise-attack.json.gz")).FirstOrDefault(System.IO.File.Exists);
    }
}
