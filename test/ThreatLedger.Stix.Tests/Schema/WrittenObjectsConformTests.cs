using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace ThreatLedger.Stix.Tests.Schema;

/// <summary>
/// Every object ThreatLedger writes must conform to the official OASIS STIX 2.1 JSON schema for its type:
/// each shared document is read with <see cref="StixJson.Read"/>, each object written back with
/// <see cref="StixJson.SerializeToUtf8Bytes"/>, and that output is evaluated. Every object is checked, the
/// whole of ATT&amp;CK Enterprise included (24,772 objects, about 8 s on two cores; no sampling). Custom
/// types without an OASIS schema (x-mitre-*) are checked against common/core.json, the schema bundle.json
/// applies to custom objects, and counted in the test output.
/// </summary>
public sealed class WrittenObjectsConformTests
{
    private readonly ITestOutputHelper _output;

    public WrittenObjectsConformTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        foreach (string doc in SchemaCorpus.Documents())
        {
            data.Add(doc);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Documents))]
    public void EveryWrittenObject_ConformsToTheSchemaOfItsType(string document)
    {
        byte[] bytes = SchemaCorpus.Load(document);
        var schemas = StixSchemaSet.Require();
        var clock = Stopwatch.StartNew();
        var read = StixJson.Read(bytes, fileName: document);
        Assert.NotEmpty(read.Objects);

        int count = read.Objects.Count;
        var checks = new SchemaCheck[count];
        var written = new byte[count][];
        Parallel.For(0, count, i =>
        {
            written[i] = StixJson.SerializeToUtf8Bytes(read.Objects[i]);
            checks[i] = schemas.Check(written[i]);
        });

        // A written object that fails is a writer bug unless the source object already failed the same way
        // (ThreatLedger keeps what it reads, so non-conforming source data is written back as it was).
        var introduced = new List<string>();
        var inherited = new List<string>();
        JsonElement[]? sources = null;
        for (int i = 0; i < count; i++)
        {
            if (checks[i].IsValid)
            {
                continue;
            }

            sources ??= SourceObjects(bytes, read);
            string id = read.Objects[i].Id.Value;
            var sourceCheck = i < sources.Length ? schemas.Check(sources[i]) : null;
            bool sameAsSource = sourceCheck is { IsValid: false } && checks[i].Errors.All(sourceCheck.Errors.Contains);
            (sameAsSource ? inherited : introduced).Add(checks[i].Describe(id) + Environment.NewLine + "    written: " + Encoding.UTF8.GetString(written[i]));
        }

        var summary = Summarise(document, read, checks, schemas, inherited.Count, clock.Elapsed);
        _output.WriteLine(summary);
        foreach (string line in inherited.Take(10))
        {
            _output.WriteLine("inherited from the source (not a writer bug): " + line);
        }

        Assert.True(introduced.Count == 0, $"{introduced.Count} written object(s) do not conform to their schema although the source did.{Environment.NewLine}{summary}{Environment.NewLine}{string.Join(Environment.NewLine, introduced.Take(20))}");
    }

    private static JsonElement[] SourceObjects(byte[] bytes, StixDocument read)
    {
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        var objects = root.ValueKind == JsonValueKind.Array ? root
            : root.TryGetProperty("objects", out var list) ? list
            : default;
        if (objects.ValueKind != JsonValueKind.Array)
        {
            return read.Objects.Count == 1 ? [root.Clone()] : [];
        }

        // Objects are kept in document order; an entry that could not be read at all shifts the indexes, so
        // only use the source when every entry was read.
        return objects.GetArrayLength() == read.Objects.Count ? objects.EnumerateArray().Select(e => e.Clone()).ToArray() : [];
    }

    private static string Summarise(string document, StixDocument read, SchemaCheck[] checks, StixSchemaSet schemas, int inherited, TimeSpan elapsed)
    {
        var byType = read.Objects.Select((o, i) => (o.Type, Check: checks[i]))
            .GroupBy(x => x.Type, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{document}: {read.Objects.Count} objects written and checked in {elapsed.TotalSeconds:0.0} s ({read.ErrorCount} reader errors, {read.WarningCount} warnings in the source; {inherited} schema failures inherited from the source)").AppendLine();
        int custom = 0;
        foreach (var g in byType)
        {
            bool own = schemas.HasSchemaFor(g.Key);
            int failed = g.Count(x => !x.Check.IsValid);
            if (!own)
            {
                custom += g.Count();
            }

            sb.Append(CultureInfo.InvariantCulture, $"  {g.Key,-28} {g.Count(),6}  {(own ? g.First().Check.SchemaName : "no OASIS schema: checked against " + string.Join(" / ", g.Select(x => x.Check.SchemaName).Distinct(StringComparer.Ordinal)))}{(failed > 0 ? $"  ({failed} failed)" : string.Empty)}").AppendLine();
        }

        sb.Append(CultureInfo.InvariantCulture, $"  custom objects without an OASIS schema (checked against the core schemas only): {custom}");
        return sb.ToString();
    }
}
