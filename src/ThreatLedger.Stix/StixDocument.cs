using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix;

/// <summary>How the root of a document was shaped.</summary>
public enum StixDocumentKind
{
    /// <summary>Nothing could be read.</summary>
    None,

    /// <summary>A bundle (§8).</summary>
    Bundle,

    /// <summary>A single STIX object.</summary>
    Object,

    /// <summary>A bare JSON array of objects.</summary>
    Array,

    /// <summary>A TAXII envelope: an object with "objects" and no "type".</summary>
    Envelope,
}

/// <summary>
/// The result of reading a document: every object that could be read (good and bad), each finding,
/// and per-object error counts so a caller can keep the good objects and report the bad ones.
/// </summary>
public sealed class StixDocument
{
    internal StixDocument(StixDocumentKind kind, string? bundleId, List<StixObject> objects, List<int> objectErrors, List<StixDiagnostic> diagnostics, int totalEntries)
    {
        Kind = kind;
        BundleId = bundleId;
        Objects = objects;
        ObjectErrorCounts = objectErrors;
        Diagnostics = diagnostics;
        TotalEntries = totalEntries;
        ErrorCount = StixDiagnostic.CountErrors(diagnostics);
        WarningCount = diagnostics.Count - ErrorCount;
    }

    /// <summary>The root's shape.</summary>
    public StixDocumentKind Kind { get; }

    /// <summary>The bundle id, when the root is a bundle.</summary>
    public string? BundleId { get; }

    /// <summary>Objects read, in document order (including those with errors).</summary>
    public IReadOnlyList<StixObject> Objects { get; }

    /// <summary>For each entry of <see cref="Objects"/>, the number of errors found in it (0 = valid).</summary>
    public IReadOnlyList<int> ObjectErrorCounts { get; }

    /// <summary>Number of entries in the objects array, including ones that could not be read at all.</summary>
    public int TotalEntries { get; }

    /// <summary>All findings, in document order.</summary>
    public IReadOnlyList<StixDiagnostic> Diagnostics { get; }

    /// <summary>Number of errors.</summary>
    public int ErrorCount { get; }

    /// <summary>Number of warnings.</summary>
    public int WarningCount { get; }

    /// <summary>True when there is no error (warnings allowed).</summary>
    public bool IsValid => ErrorCount == 0;
}
