using System.Globalization;

namespace ThreatLedger.Stix.Validation;

/// <summary>
/// Collects findings for one object at a time: where the object sits in its document (for paths and
/// positions) and which properties were present in the source (for required-property checks).
/// </summary>
public sealed class ValidationContext
{
    private readonly List<StixDiagnostic> _diagnostics;
    private string? _basePath;
    private int _objectIndex = -1;
    private int _objectFindings;
    private string _arrayPath = "$.objects";

    /// <summary>Creates a context that appends findings to the given list.</summary>
    public ValidationContext(List<StixDiagnostic> diagnostics, StixReaderOptions? options = null)
    {
        _diagnostics = diagnostics ?? throw new ArgumentNullException(nameof(diagnostics));
        Options = options ?? StixReaderOptions.Default;
    }

    /// <summary>Property names seen in this document, so repeated custom names share one string.</summary>
    internal Serialization.NameTable Names { get; } = new();

    /// <summary>The created timestamp of the object being read, when it had a valid one.</summary>
    internal StixTimestamp? Created { get; set; }

    /// <summary>The modified timestamp of the object being read, when it had a valid one.</summary>
    internal StixTimestamp? Modified { get; set; }

    /// <summary>References already found good in this document.</summary>
    internal Serialization.ReferenceCache References { get; } = new();

    /// <summary>Scratch for the object being read: value offset + 1 per property of its type (64 at most).</summary>
    internal int[] SlotScratch { get; } = new int[64];

    /// <summary>Scratch for the object being read: (name offset, value offset) of its custom properties.</summary>
    internal List<int> CustomOffsets { get; } = [];

    /// <summary>Scratch for the object being read: its custom property names (duplicates are errors).</summary>
    internal HashSet<int> CustomNames { get; } = [];

    /// <summary>Scratch for the object being read: custom names the document's name table did not keep (duplicates are errors).</summary>
    internal HashSet<string> UnsharedNames { get; } = new(StringComparer.Ordinal);

    /// <summary>The limits and switches in force.</summary>
    public StixReaderOptions Options { get; }

    /// <summary>Number of findings so far (a field read, for the per-property hot path).</summary>
    internal int FindingCount => _diagnostics.Count;

    /// <summary>All findings so far.</summary>
    public IReadOnlyList<StixDiagnostic> Diagnostics => _diagnostics;

    /// <summary>The id of the object being checked, for messages.</summary>
    public string? ObjectId { get; set; }

    /// <summary>Bit i set when property i of the object's type was present in the source.</summary>
    internal ulong Seen { get; set; }

    /// <summary>The source buffer and the object's byte range, used to place findings.</summary>
    internal ReadOnlyMemory<byte> Source
    {
        get => _source;
        set
        {
            _source = value;
            References.Reset(value);
        }
    }

    private ReadOnlyMemory<byte> _source;

    internal long ObjectStart { get; set; } = -1;

    internal long ObjectEnd { get; set; } = -1;

    /// <summary>Sets the JSON path of the object: "$" for a lone object, "$.objects[i]" inside a bundle.</summary>
    internal void SetObject(int indexInBundle, string? arrayPath = "$.objects")
    {
        _objectIndex = indexInBundle;
        _basePath = indexInBundle < 0 ? "$" : null;
        _arrayPath = arrayPath ?? "$.objects";
        ObjectId = null;
        Seen = 0;
        Created = null;
        Modified = null;
        _objectFindings = 0;
    }

    /// <summary>The JSON path of the current object.</summary>
    public string BasePath => _basePath ??= _objectIndex < 0
        ? "$"
        : string.Create(CultureInfo.InvariantCulture, $"{_arrayPath}[{_objectIndex}]");

    /// <summary>Joins the object's path and a relative path ("" for the object itself).</summary>
    public string PathOf(string relative) =>
        relative.Length == 0 ? BasePath : relative[0] == '[' ? BasePath + relative : BasePath + "." + relative;

    /// <summary>Reports a broken MUST rule about the value at a path relative to the object.</summary>
    public void Error(string code, string relativePath, string message) => Add(StixSeverity.Error, code, relativePath, message, -1);

    /// <summary>Reports a broken SHOULD rule about the value at a path relative to the object.</summary>
    public void Warning(string code, string relativePath, string message) => Add(StixSeverity.Warning, code, relativePath, message, -1);

    /// <summary>Reports a finding at a known byte offset (found while reading).</summary>
    internal void AddAt(StixSeverity severity, string code, string relativePath, string message, long offset) =>
        Add(severity, code, relativePath, message, offset);

    /// <summary>Reports a finding whose path is already absolute (document-level findings).</summary>
    internal void AddAbsolute(StixSeverity severity, string code, string path, string message, long offset, string? objectId = null)
    {
        if (severity == StixSeverity.Warning && !Options.Warnings)
        {
            return;
        }

        _diagnostics.Add(new StixDiagnostic(severity, code, path, objectId, message) { Offset = offset });
    }

    private void Add(StixSeverity severity, string code, string relativePath, string message, long offset)
    {
        if (severity == StixSeverity.Warning && !Options.Warnings)
        {
            return;
        }

        // Bounded: each finding may re-scan the object to place it, so a hostile object cannot make this quadratic without limit.
        if (++_objectFindings > Options.MaxFindingsPerObject)
        {
            if (_objectFindings == Options.MaxFindingsPerObject + 1)
            {
                _diagnostics.Add(new StixDiagnostic(StixSeverity.Error, "limit-findings", BasePath, ObjectId, $"more than {Options.MaxFindingsPerObject} findings in this object; the rest are not reported") { Offset = ObjectStart });
            }

            return;
        }

        // While the object is still being read its end is unknown; such findings are placed when it ends (PlacePending).
        if (offset < 0 && ObjectStart >= 0 && ObjectEnd > ObjectStart && !Source.IsEmpty)
        {
            offset = JsonPathLocator.Locate(Source.Span, ObjectStart, ObjectEnd, relativePath);
        }

        _diagnostics.Add(new StixDiagnostic(severity, code, PathOf(relativePath), ObjectId, message) { Offset = offset });
    }

    /// <summary>Places findings made while the current object was read, now that its extent is known.</summary>
    internal void PlacePending(int from)
    {
        for (int i = from; i < _diagnostics.Count; i++)
        {
            var d = _diagnostics[i];
            if (d.Offset < 0 && d.Line == 0)
            {
                string relative = d.Path.Length > BasePath.Length ? d.Path[BasePath.Length..] : string.Empty;
                d.Offset = JsonPathLocator.Locate(Source.Span, ObjectStart, ObjectEnd, relative);
            }
        }
    }

    /// <summary>Number of errors recorded so far.</summary>
    public int ErrorCount => StixDiagnostic.CountErrors(_diagnostics);
}
