using System.Globalization;

namespace ThreatLedger.Stix.Validation;

/// <summary>How bad a finding is: a MUST of the specification broken (error) or a SHOULD (warning).</summary>
public enum StixSeverity
{
    /// <summary>The object breaks a MUST rule of STIX 2.1 (or is not valid JSON).</summary>
    Error,

    /// <summary>The object breaks a SHOULD rule, or uses a value outside an open vocabulary.</summary>
    Warning,
}

/// <summary>One finding about a document, with where it is and what to do.</summary>
public sealed class StixDiagnostic
{
    /// <summary>Creates a finding.</summary>
    public StixDiagnostic(StixSeverity severity, string code, string path, string? objectId, string message)
    {
        Severity = severity;
        Code = code;
        Path = path;
        ObjectId = objectId;
        Message = message;
    }

    /// <summary>Error or warning.</summary>
    public StixSeverity Severity { get; }

    /// <summary>A stable rule name such as <c>required-property</c> or <c>ref-type</c>.</summary>
    public string Code { get; }

    /// <summary>JSON path of the offending value, e.g. <c>$.objects[3].valid_from</c>.</summary>
    public string Path { get; internal set; }

    /// <summary>The id of the object the finding is about, when known.</summary>
    public string? ObjectId { get; internal set; }

    /// <summary>What is wrong and how to fix it.</summary>
    public string Message { get; }

    /// <summary>1-based line in the source document; 0 when the object did not come from text.</summary>
    public int Line { get; internal set; }

    /// <summary>1-based column (in characters) in the source document; 0 when unknown.</summary>
    public int Column { get; internal set; }

    /// <summary>Byte offset in the source document, -1 when unknown (used to compute line and column).</summary>
    internal long Offset { get; set; } = -1;

    /// <summary>The file the document came from, when read from a file.</summary>
    public string? File { get; set; }

    /// <summary>Number of errors (not warnings) among the findings.</summary>
    public static int CountErrors(IEnumerable<StixDiagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        int n = 0;
        foreach (var d in diagnostics)
        {
            if (d.Severity == StixSeverity.Error)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary><c>FILE:LINE:COLUMN: error|warning: JSONPATH (OBJECT-ID): message</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{File ?? "-"}:{Line}:{Column}: {(Severity == StixSeverity.Error ? "error" : "warning")}: {Path}{(ObjectId is null ? string.Empty : " (" + ObjectId + ")")}: {Message}");
}
