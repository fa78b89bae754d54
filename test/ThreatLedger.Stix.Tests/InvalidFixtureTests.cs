using System.Globalization;
using System.Text;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix.Tests;

/// <summary>
/// One test case per fixture in Fixtures/invalid: NAME.json is a STIX document with one deliberate
/// defect and NAME.expected lists every finding the validator must report for it, one per line:
/// <c>SEVERITY CODE LINE:COLUMN PATH | MESSAGE-FRAGMENT</c>. Lines starting with '#' are comments;
/// <c># options: Name=Value ...</c> sets <see cref="StixReaderOptions"/> for the fixture (for the limit rules).
/// Fixtures named <c>warning-*</c> break a SHOULD rule only: they must produce warnings and no error.
/// </summary>
public sealed class InvalidFixtureTests
{
    private const string InvalidFolder = "invalid";
    private const string WarningPrefix = "warning-";

    /// <summary>Every error code the fixtures in Fixtures/invalid exercise: all 55 the reader and validator report in documents.</summary>
    private static readonly string[] s_coveredErrorCodes =
    [
        "binary-format", "custom-property-name", "dependent-property", "dictionary-key", "duplicate-key", "duplicate-property",
        "empty-dictionary", "empty-list", "exclusive-properties", "extension-key", "extension-not-allowed",
        "external-id-format", "external-reference-content", "granular-marking-exclusive", "granular-marking-target", "hash-key",
        "hash-value", "hex-format", "id-format", "id-type-mismatch", "invalid-text", "invalid-utf8", "json-syntax",
        "lang-format", "limit-depth", "limit-document-size", "limit-findings", "limit-objects", "limit-string-length",
        "marking-statement", "marking-tlp", "marking-tlp-id", "marking-tlp2", "missing-type",
        "modified-before-created", "null-value", "pattern", "property-type", "range",
        "ref-format", "ref-type", "relationship-type-format", "required-one-of", "required-property",
        "reserved-property", "root-kind", "selector", "spec-version", "time-order",
        "timestamp-format", "timestamp-precision", "type-format", "url-format", "value-format", "vocab-enum",
    ];

    public static TheoryData<string> InvalidFixtures => Names(InvalidFolder);

    [Theory]
    [MemberData(nameof(InvalidFixtures))]
    public void Validate_InvalidFixture_ReportsExpectedDiagnostics(string name)
    {
        var fixture = Fixture.Load(InvalidFolder, name);

        StixDocument document = fixture.Read();

        if (name.StartsWith(WarningPrefix, StringComparison.Ordinal))
        {
            Assert.True(document.ErrorCount == 0, $"{name}: a SHOULD fixture must not produce errors:{Environment.NewLine}{Describe(document.Diagnostics)}");
            Assert.Contains(document.Diagnostics, d => d.Severity == StixSeverity.Warning);
        }
        else
        {
            Assert.True(document.ErrorCount > 0, $"{name}: expected at least one error, got:{Environment.NewLine}{Describe(document.Diagnostics)}");
        }

        string differences = fixture.Differences(document.Diagnostics);
        Assert.True(differences.Length == 0, $"{name}.json:{Environment.NewLine}{differences}");
    }

    /// <summary>
    /// What is found in a document is found again in the objects read from it: each object (bad values
    /// kept verbatim) checked with <see cref="StixJson.Validate"/> gives the same findings by code and
    /// path as the document did for it. This ties the writer and the reader's rules together. A repeated
    /// property is a defect of the text only (the object holds one value), so it is left out.
    /// </summary>
    [Theory]
    [MemberData(nameof(InvalidFixtures))]
    public void Validate_ObjectsOfInvalidFixture_GiveTheFindingsTheDocumentGave(string name)
    {
        var fixture = Fixture.Load(InvalidFolder, name);
        var document = fixture.Read();

        for (int i = 0; i < document.Objects.Count; i++)
        {
            var obj = document.Objects[i];
            string prefix = ObjectPath(document, obj, i);
            var expected = document.Diagnostics
                .Where(d => d.Code is not ("limit-findings" or "duplicate-property") && (d.Path == prefix || d.Path.StartsWith(prefix + ".", StringComparison.Ordinal) || d.Path.StartsWith(prefix + "[", StringComparison.Ordinal)) && d.ObjectId == (obj.Id.IsEmpty ? null : obj.Id.Value))
                .Select(d => (d.Code, Path: d.Path[prefix.Length..]))
                .Order().ToList();
            var actual = StixJson.Validate(obj, fixture.Options).Where(d => d.Code != "limit-findings").Select(d => (d.Code, Path: d.Path[1..])).Order().ToList();

            Assert.True(expected.SequenceEqual(actual), $"{name} object {i}: in the document {string.Join("; ", expected)}{Environment.NewLine}on its own {string.Join("; ", actual)}");
        }
    }

    /// <summary>The JSON path of an object read from the document.</summary>
    private static string ObjectPath(StixDocument document, StixObject obj, int i) => document.Kind switch
    {
        StixDocumentKind.Object => "$",
        _ => document.Diagnostics.FirstOrDefault(d => d.ObjectId == obj.Id.Value)?.Path is { } p && p.IndexOf(']', StringComparison.Ordinal) is int close and > 0
            ? p[..(close + 1)]
            : string.Create(CultureInfo.InvariantCulture, $"{(document.Kind == StixDocumentKind.Array ? "$" : "$.objects")}[{i}]"),
    };

    [Fact]
    public void Fixtures_EveryDocumentHasExpectations()
    {
        string directory = FolderPath(InvalidFolder);
        var documents = System.IO.Directory.EnumerateFiles(directory, "*.json").Select(System.IO.Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        var expectations = System.IO.Directory.EnumerateFiles(directory, "*.expected").Select(System.IO.Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(documents, expectations);
    }

    [Fact]
    public void Fixtures_CoverEveryErrorCode()
    {
        var covered = new SortedSet<string>(StringComparer.Ordinal);
        int errorFixtures = 0;
        foreach (string name in Names(InvalidFolder))
        {
            if (name.StartsWith(WarningPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            errorFixtures++;
            foreach (var d in Fixture.Load(InvalidFolder, name).Read().Diagnostics)
            {
                if (d.Severity == StixSeverity.Error)
                {
                    covered.Add(d.Code);
                }
            }
        }

        var missing = s_coveredErrorCodes.Where(c => !covered.Contains(c)).ToList();
        Assert.True(missing.Count == 0, $"no fixture triggers: {string.Join(", ", missing)}");
        Assert.True(covered.Count >= 55, $"only {covered.Count} distinct error codes are covered: {string.Join(", ", covered)}");
        Assert.True(errorFixtures >= 70, $"only {errorFixtures} invalid fixtures");
    }

    private static TheoryData<string> Names(string folder)
    {
        var data = new TheoryData<string>();
        foreach (string path in System.IO.Directory.EnumerateFiles(FolderPath(folder), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(System.IO.Path.GetFileNameWithoutExtension(path));
        }

        return data;
    }

    private static string FolderPath(string folder) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", folder);

    private static string Describe(IEnumerable<StixDiagnostic> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Select(d => "  " + Format(d)));

    private static string Format(StixDiagnostic d) =>
        string.Create(CultureInfo.InvariantCulture, $"{(d.Severity == StixSeverity.Error ? "error" : "warning")} {d.Code} {d.Line}:{d.Column} {d.Path} | {d.Message}");

    /// <summary>One expected finding: everything must match exactly except the message, which must contain the fragment.</summary>
    private sealed record Expectation(StixSeverity Severity, string Code, int Line, int Column, string Path, string MessageFragment)
    {
        public bool Matches(StixDiagnostic d) =>
            d.Severity == Severity && d.Line == Line && d.Column == Column
            && string.Equals(d.Code, Code, StringComparison.Ordinal)
            && string.Equals(d.Path, Path, StringComparison.Ordinal)
            && d.Message.Contains(MessageFragment, StringComparison.Ordinal);

        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"{(Severity == StixSeverity.Error ? "error" : "warning")} {Code} {Line}:{Column} {Path} | {MessageFragment}");
    }

    private sealed class Fixture
    {
        private Fixture(string name, byte[] document, List<Expectation> expectations, StixReaderOptions options)
        {
            Name = name;
            Document = document;
            Expectations = expectations;
            Options = options;
        }

        public string Name { get; }

        public byte[] Document { get; }

        public List<Expectation> Expectations { get; }

        public StixReaderOptions Options { get; }

        public static Fixture Load(string folder, string name)
        {
            string directory = FolderPath(folder);
            byte[] document = System.IO.File.ReadAllBytes(System.IO.Path.Combine(directory, name + ".json"));
            string[] lines = System.IO.File.ReadAllLines(System.IO.Path.Combine(directory, name + ".expected"), Encoding.UTF8);
            var expectations = new List<Expectation>();
            var options = StixReaderOptions.Default;
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].TrimEnd('\r');
                string where = string.Create(CultureInfo.InvariantCulture, $"{name}.expected:{i + 1}");
                if (line.Length == 0)
                {
                    continue;
                }

                if (line.StartsWith("# options:", StringComparison.Ordinal))
                {
                    options = ParseOptions(line["# options:".Length..], where);
                }
                else if (!line.StartsWith('#'))
                {
                    expectations.Add(ParseExpectation(line, where));
                }
            }

            if (expectations.Count == 0)
            {
                throw new InvalidDataException($"{name}.expected lists no finding");
            }

            return new Fixture(name, document, expectations, options);
        }

        public StixDocument Read() => StixJson.Read(Document, Options, Name + ".json");

        /// <summary>Missing and unexpected findings, one per line; empty when the findings are exactly the expected ones.</summary>
        public string Differences(IReadOnlyList<StixDiagnostic> actual)
        {
            var unmatched = actual.ToList();
            var report = new StringBuilder();
            foreach (var expected in Expectations)
            {
                int index = unmatched.FindIndex(expected.Matches);
                if (index < 0)
                {
                    report.Append("  missing:    ").AppendLine(expected.ToString());
                }
                else
                {
                    unmatched.RemoveAt(index);
                }
            }

            foreach (var extra in unmatched)
            {
                report.Append("  unexpected: ").AppendLine(Format(extra));
            }

            if (report.Length > 0)
            {
                report.AppendLine("  all findings:").AppendLine(Describe(actual));
            }

            return report.ToString();
        }

        private static Expectation ParseExpectation(string line, string where)
        {
            int bar = line.IndexOf(" | ", StringComparison.Ordinal);
            string[] head = bar < 0 ? [] : line[..bar].Split(' ', 4);
            if (head.Length != 4)
            {
                throw new InvalidDataException($"{where}: expected 'SEVERITY CODE LINE:COLUMN PATH | MESSAGE-FRAGMENT'");
            }

            StixSeverity severity = head[0] switch
            {
                "error" => StixSeverity.Error,
                "warning" => StixSeverity.Warning,
                _ => throw new InvalidDataException($"{where}: severity must be error or warning, not '{head[0]}'"),
            };
            string[] position = head[2].Split(':');
            if (position.Length != 2
                || !int.TryParse(position[0], NumberStyles.None, CultureInfo.InvariantCulture, out int lineNumber)
                || !int.TryParse(position[1], NumberStyles.None, CultureInfo.InvariantCulture, out int column))
            {
                throw new InvalidDataException($"{where}: '{head[2]}' is not LINE:COLUMN");
            }

            return new Expectation(severity, head[1], lineNumber, column, head[3], line[(bar + 3)..]);
        }

        private static StixReaderOptions ParseOptions(string text, string where)
        {
            var defaults = StixReaderOptions.Default;
            int maxDepth = defaults.MaxDepth;
            int maxStringLength = defaults.MaxStringLength;
            long maxDocumentSize = defaults.MaxDocumentSize;
            int maxObjects = defaults.MaxObjects;
            int maxFindings = defaults.MaxFindingsPerObject;
            foreach (string setting in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = setting.Split('=', 2);
                if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                {
                    throw new InvalidDataException($"{where}: expected Name=Number, not '{setting}'");
                }

                switch (parts[0])
                {
                    case nameof(StixReaderOptions.MaxDepth):
                        maxDepth = checked((int)value);
                        break;
                    case nameof(StixReaderOptions.MaxStringLength):
                        maxStringLength = checked((int)value);
                        break;
                    case nameof(StixReaderOptions.MaxDocumentSize):
                        maxDocumentSize = value;
                        break;
                    case nameof(StixReaderOptions.MaxObjects):
                        maxObjects = checked((int)value);
                        break;
                    case nameof(StixReaderOptions.MaxFindingsPerObject):
                        maxFindings = checked((int)value);
                        break;
                    default:
                        throw new InvalidDataException($"{where}: unknown option '{parts[0]}'");
                }
            }

            return new StixReaderOptions
            {
                MaxDepth = maxDepth,
                MaxStringLength = maxStringLength,
                MaxDocumentSize = maxDocumentSize,
                MaxObjects = maxObjects,
                MaxFindingsPerObject = maxFindings,
                Validate = defaults.Validate,
                Warnings = defaults.Warnings,
            };
        }
    }
}
