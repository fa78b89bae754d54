using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix;

/// <summary>
/// Bad STIX data: carries the JSON path, line, column and object id of the first problem.
/// Thrown by the single-object convenience API; documents report all findings as <see cref="StixDiagnostic"/>s instead.
/// </summary>
public sealed class StixFormatException : FormatException
{
    /// <summary>Creates an exception with a message only.</summary>
    public StixFormatException()
        : this("invalid STIX data")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public StixFormatException(string message)
        : base(message)
    {
        Path = "$";
    }

    /// <summary>Creates an exception with a message and inner exception.</summary>
    public StixFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = "$";
    }

    private StixFormatException(StixDiagnostic diagnostic, IReadOnlyList<StixDiagnostic> all)
        : base(Describe(diagnostic))
    {
        Path = diagnostic.Path;
        Line = diagnostic.Line;
        Column = diagnostic.Column;
        ObjectId = diagnostic.ObjectId;
        Code = diagnostic.Code;
        Diagnostics = all;
    }

    /// <summary>JSON path of the first problem.</summary>
    public string Path { get; }

    /// <summary>1-based line, 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>1-based column, 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>The id of the object concerned, when known.</summary>
    public string? ObjectId { get; }

    /// <summary>The rule name of the first problem.</summary>
    public string? Code { get; }

    /// <summary>Every finding, errors and warnings.</summary>
    public IReadOnlyList<StixDiagnostic> Diagnostics { get; } = [];

    /// <summary>The exception for a document's first error.</summary>
    public static StixFormatException FromDiagnostics(IReadOnlyList<StixDiagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        foreach (var d in diagnostics)
        {
            if (d.Severity == StixSeverity.Error)
            {
                return new StixFormatException(d, diagnostics);
            }
        }

        throw new ArgumentException("no error among the diagnostics", nameof(diagnostics));
    }

    /// <summary>A required property is absent.</summary>
    public static StixFormatException MissingRequiredProperty(string path, string property) =>
        new(new StixDiagnostic(StixSeverity.Error, "required-property", path, null, $"required property '{property}' is missing"), []);

    /// <summary>The document holds no STIX object.</summary>
    public static StixFormatException NoObject(string path) =>
        new(new StixDiagnostic(StixSeverity.Error, "no-object", path, null, "the document holds no STIX object"), []);

    private static string Describe(StixDiagnostic d) =>
        d.Line > 0
            ? $"{d.Path}: {d.Message} (line {d.Line}, column {d.Column}{(d.ObjectId is null ? string.Empty : ", object " + d.ObjectId)})"
            : $"{d.Path}: {d.Message}{(d.ObjectId is null ? string.Empty : " (object " + d.ObjectId + ")")}";
}
