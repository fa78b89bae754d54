namespace ThreatLedger.Stix.Serialization;

/// <summary>The common properties whose place in a type's table differs between SDOs, SCOs and marking definitions.</summary>
internal enum CommonSlot
{
    SpecVersion,
    Id,
    CreatedByRef,
    Created,
    Modified,
    Revoked,
    Labels,
    Confidence,
    Lang,
    ExternalReferences,
    ObjectMarkingRefs,
    GranularMarkings,
    Extensions,
    Defanged,
}
