namespace ThreatLedger.Stix;

/// <summary>Bounds and switches for reading STIX JSON. Hostile input hits a bound and gets a clear error.</summary>
public sealed class StixReaderOptions
{
    /// <summary>The defaults: depth 64, strings up to 8 MiB, documents up to 2 GiB, 10 million objects.</summary>
    public static StixReaderOptions Default { get; } = new();

    /// <summary>Maximum JSON nesting depth (objects and arrays).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Maximum length of one string value, in UTF-8 bytes.</summary>
    public int MaxStringLength { get; init; } = 8 * 1024 * 1024;

    /// <summary>Maximum size of one document, in bytes.</summary>
    public long MaxDocumentSize { get; init; } = int.MaxValue;

    /// <summary>Maximum number of objects in one bundle.</summary>
    public int MaxObjects { get; init; } = 10_000_000;

    /// <summary>Maximum findings reported for one object; past it one last finding says how many were left out.</summary>
    public int MaxFindingsPerObject { get; init; } = 1000;

    /// <summary>
    /// Whether to run the rules that need the whole object (required properties, cross-property rules)
    /// after each object; the checks on single values always run while reading, as part of reading them.
    /// </summary>
    public bool Validate { get; init; } = true;

    /// <summary>Whether to report SHOULD-level findings (warnings).</summary>
    public bool Warnings { get; init; } = true;
}
