namespace ThreatLedger.Stix;

/// <summary>What part of STIX 2.1 an object type belongs to.</summary>
public enum StixObjectKind
{
    /// <summary>A STIX Domain Object (§4).</summary>
    DomainObject,

    /// <summary>A STIX Relationship Object (§5).</summary>
    RelationshipObject,

    /// <summary>A STIX Cyber-observable Object (§6).</summary>
    CyberObservable,

    /// <summary>A STIX Meta Object: marking definition, language content, extension definition (§7).</summary>
    MetaObject,

    /// <summary>A type this library does not define (a custom object or one defined by an extension).</summary>
    Unknown,
}

/// <summary>
/// The root of every STIX object. Properties the type does not define are kept in
/// <see cref="CustomProperties"/> with their exact JSON, so nothing read is lost when written back.
/// </summary>
public abstract class StixObject
{
    /// <summary>Creates an object of the given type.</summary>
    protected StixObject(string type)
    {
        Type = type;
    }

    /// <summary><c>type</c>: the STIX type name.</summary>
    public string Type { get; internal set; }

    /// <summary><c>id</c>: the identifier.</summary>
    public StixId Id { get; set; }

    /// <summary><c>spec_version</c>: "2.1" (required on SDOs, SROs and meta objects; optional on SCOs).</summary>
    public string? SpecVersion { get; set; }

    /// <summary><c>object_marking_refs</c>: marking definitions that apply to the whole object.</summary>
    public List<StixId>? ObjectMarkingRefs { get; set; }

    /// <summary><c>granular_markings</c>: markings that apply to parts of the object.</summary>
    public List<GranularMarking>? GranularMarkings { get; set; }

    /// <summary><c>extensions</c>: predefined (<c>*-ext</c>) and extension-definition extensions, kept verbatim.</summary>
    public StixDictionary? Extensions { get; set; }

    private StixDictionary? _customProperties;

    /// <summary>Properties not defined for this type (custom or top-level extension properties), in source order.</summary>
    public StixDictionary CustomProperties => _customProperties ??= new();

    /// <summary>True when the object has custom properties (without creating the collection).</summary>
    public bool HasCustomProperties => _customProperties is { Count: > 0 };

    internal StixDictionary? CustomPropertiesOrNull => _customProperties;

    /// <summary>The source text of floating-point values, so 1.0 or 1e2 are written back as read while the value is unchanged.</summary>
    internal List<(string Name, double Value, ReadOnlyMemory<byte> Text)>? NumberTexts { get; set; }

    /// <summary>Which part of STIX the object belongs to.</summary>
    public abstract StixObjectKind Kind { get; }

    /// <summary>Reads a custom property as a string (null when absent or not a string).</summary>
    public string? GetCustomString(string name) =>
        _customProperties is not null && _customProperties.TryGetValue(name, out var raw) ? raw.GetString() : null;
}

/// <summary>
/// Objects with the common properties of SDOs and SROs (§3.2): creator, created/modified, revocation,
/// labels, confidence, language and external references.
/// </summary>
public abstract class StixCommonObject : StixObject
{
    /// <summary>Creates an object of the given type.</summary>
    protected StixCommonObject(string type)
        : base(type)
    {
    }

    /// <summary><c>created_by_ref</c>: the identity that created the object.</summary>
    public StixId? CreatedByRef { get; set; }

    /// <summary><c>created</c>: when the first version was created (millisecond precision at least).</summary>
    public StixTimestamp? Created { get; set; }

    /// <summary><c>modified</c>: when this version was created; never before <see cref="Created"/>.</summary>
    public StixTimestamp? Modified { get; set; }

    /// <summary><c>revoked</c>: whether the creator has revoked the object.</summary>
    public bool? Revoked { get; set; }

    /// <summary><c>labels</c>: terms that classify the object.</summary>
    public List<string>? Labels { get; set; }

    /// <summary><c>confidence</c>: 0–100.</summary>
    public int? Confidence { get; set; }

    /// <summary><c>lang</c>: RFC 5646 language of the text properties.</summary>
    public string? Lang { get; set; }

    /// <summary><c>external_references</c>: non-STIX sources (ATT&amp;CK ids, CVEs, URLs).</summary>
    public List<ExternalReference>? ExternalReferences { get; set; }
}

/// <summary>A STIX Domain Object (§4).</summary>
public abstract class StixDomainObject : StixCommonObject
{
    /// <summary>Creates an SDO of the given type.</summary>
    protected StixDomainObject(string type)
        : base(type)
    {
    }

    /// <inheritdoc/>
    public override StixObjectKind Kind => StixObjectKind.DomainObject;
}

/// <summary>A STIX Relationship Object (§5): <see cref="Relationship"/> or <see cref="Sighting"/>.</summary>
public abstract class StixRelationshipObject : StixCommonObject
{
    /// <summary>Creates an SRO of the given type.</summary>
    protected StixRelationshipObject(string type)
        : base(type)
    {
    }

    /// <inheritdoc/>
    public override StixObjectKind Kind => StixObjectKind.RelationshipObject;
}

/// <summary>A STIX Cyber-observable Object (§6).</summary>
public abstract class StixCyberObservable : StixObject
{
    /// <summary>Creates an SCO of the given type.</summary>
    protected StixCyberObservable(string type)
        : base(type)
    {
    }

    /// <summary><c>defanged</c>: whether the values were defanged.</summary>
    public bool? Defanged { get; set; }

    /// <inheritdoc/>
    public override StixObjectKind Kind => StixObjectKind.CyberObservable;
}

/// <summary>
/// An object whose type this library does not define: a custom object (<c>x-…</c>) or one defined by a
/// <c>new-sdo</c>/<c>new-sco</c>/<c>new-sro</c> extension. Common properties are read when present;
/// everything else is kept verbatim.
/// </summary>
public sealed class UnknownObject : StixCommonObject
{
    /// <summary>Creates an object of a type this library does not define.</summary>
    public UnknownObject(string type)
        : base(type)
    {
    }

    /// <inheritdoc/>
    public override StixObjectKind Kind => StixObjectKind.Unknown;
}
