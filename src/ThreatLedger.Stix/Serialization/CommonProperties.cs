namespace ThreatLedger.Stix.Serialization;

/// <summary>The property tables shared by groups of types (§3.2 common properties).</summary>
internal static class CommonProperties
{
    private static readonly RefTarget s_identity = new(RefKinds.None, "identity");

    /// <summary>SDOs, SROs, language-content and extension-definition.</summary>
    public static StixProperty[] Common<T>()
        where T : StixCommonObject =>
    [
        new TypeProperty<T>(),
        new StringProperty<T>("spec_version", static o => o.SpecVersion, static (o, v) => o.SpecVersion = v, StringFormat.SpecVersion) { Required = true },
        new IdProperty<T>() { Required = true },
        new RefProperty<T>("created_by_ref", static o => o.CreatedByRef, static (o, v) => o.CreatedByRef = v, s_identity),
        new TimestampProperty<T>("created", static o => o.Created, static (o, v) => o.Created = v, requireMilliseconds: true) { Required = true },
        new TimestampProperty<T>("modified", static o => o.Modified, static (o, v) => o.Modified = v, requireMilliseconds: true) { Required = true },
        new BooleanProperty<T>("revoked", static o => o.Revoked, static (o, v) => o.Revoked = v),
        new StringListProperty<T>("labels", static o => o.Labels, static (o, v) => o.Labels = v),
        new Int32Property<T>("confidence", static o => o.Confidence, static (o, v) => o.Confidence = v, 0, 100),
        new StringProperty<T>("lang", static o => o.Lang, static (o, v) => o.Lang = v, StringFormat.LanguageTag),
        new ExternalReferencesProperty<T>(),
        new ObjectMarkingRefsProperty<T>(),
        new GranularMarkingsProperty<T>(),
        new ExtensionsProperty<T>(),
    ];

    /// <summary>Types this library does not define: common properties are read when present, none required but type and id.</summary>
    public static StixProperty[] Unknown() =>
    [
        new TypeProperty<UnknownObject>(),
        new StringProperty<UnknownObject>("spec_version", static o => o.SpecVersion, static (o, v) => o.SpecVersion = v, StringFormat.SpecVersion),
        new IdProperty<UnknownObject>() { Required = true },
        new RefProperty<UnknownObject>("created_by_ref", static o => o.CreatedByRef, static (o, v) => o.CreatedByRef = v, s_identity),
        new TimestampProperty<UnknownObject>("created", static o => o.Created, static (o, v) => o.Created = v, requireMilliseconds: true),
        new TimestampProperty<UnknownObject>("modified", static o => o.Modified, static (o, v) => o.Modified = v, requireMilliseconds: true),
        new BooleanProperty<UnknownObject>("revoked", static o => o.Revoked, static (o, v) => o.Revoked = v),
        new StringListProperty<UnknownObject>("labels", static o => o.Labels, static (o, v) => o.Labels = v),
        new Int32Property<UnknownObject>("confidence", static o => o.Confidence, static (o, v) => o.Confidence = v, 0, 100),
        new StringProperty<UnknownObject>("lang", static o => o.Lang, static (o, v) => o.Lang = v, StringFormat.LanguageTag),
        new ExternalReferencesProperty<UnknownObject>(),
        new ObjectMarkingRefsProperty<UnknownObject>(),
        new GranularMarkingsProperty<UnknownObject>(),
        new ExtensionsProperty<UnknownObject>(),
    ];

    /// <summary>SCOs (§6.1): no created/modified; spec_version optional; defanged.</summary>
    public static StixProperty[] CyberObservable<T>()
        where T : StixCyberObservable =>
    [
        new TypeProperty<T>(),
        new StringProperty<T>("spec_version", static o => o.SpecVersion, static (o, v) => o.SpecVersion = v, StringFormat.SpecVersion),
        new IdProperty<T>() { Required = true },
        new ObjectMarkingRefsProperty<T>(),
        new GranularMarkingsProperty<T>(),
        new BooleanProperty<T>("defanged", static o => o.Defanged, static (o, v) => o.Defanged = v),
        new ExtensionsProperty<T>(),
    ];

    /// <summary>Marking definitions (§7.2.1): created but never modified (they cannot be versioned).</summary>
    public static StixProperty[] MarkingDefinition<T>()
        where T : StixCommonObject =>
    [
        new TypeProperty<T>(),
        new StringProperty<T>("spec_version", static o => o.SpecVersion, static (o, v) => o.SpecVersion = v, StringFormat.SpecVersion) { Required = true },
        new IdProperty<T>() { Required = true },
        new RefProperty<T>("created_by_ref", static o => o.CreatedByRef, static (o, v) => o.CreatedByRef = v, s_identity),
        new TimestampProperty<T>("created", static o => o.Created, static (o, v) => o.Created = v, requireMilliseconds: true) { Required = true },
        new ExternalReferencesProperty<T>(),
        new ObjectMarkingRefsProperty<T>(),
        new GranularMarkingsProperty<T>(),
        new ExtensionsProperty<T>(),
    ];
}
