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
    private StixDictionary? _customProperties;
    private Serialization.StixTypeInfo? _info;

    /// <summary>Creates an object of the given type.</summary>
    protected StixObject(string type)
    {
        Type = type;
    }

    /// <summary><c>type</c>: the STIX type name.</summary>
    public string Type { get; internal set; }

    /// <summary><c>id</c>: the identifier.</summary>
    public StixId Id
    {
        get => GetCommon<StixId>(Serialization.CommonSlot.Id);
        set => SetCommon(Serialization.CommonSlot.Id, value);
    }

    /// <summary><c>spec_version</c>: "2.1" (required on SDOs, SROs and meta objects; optional on SCOs).</summary>
    public string? SpecVersion
    {
        get => GetCommon<string?>(Serialization.CommonSlot.SpecVersion);
        set => SetCommon(Serialization.CommonSlot.SpecVersion, value);
    }

    /// <summary><c>object_marking_refs</c>: marking definitions that apply to the whole object.</summary>
    public List<StixId>? ObjectMarkingRefs
    {
        get => GetCommon<List<StixId>?>(Serialization.CommonSlot.ObjectMarkingRefs);
        set => SetCommon(Serialization.CommonSlot.ObjectMarkingRefs, value);
    }

    /// <summary><c>granular_markings</c>: markings that apply to parts of the object.</summary>
    public List<GranularMarking>? GranularMarkings
    {
        get => GetCommon<List<GranularMarking>?>(Serialization.CommonSlot.GranularMarkings);
        set => SetCommon(Serialization.CommonSlot.GranularMarkings, value);
    }

    /// <summary><c>extensions</c>: predefined (<c>*-ext</c>) and extension-definition extensions, kept verbatim.</summary>
    public StixDictionary? Extensions
    {
        get => GetCommon<StixDictionary?>(Serialization.CommonSlot.Extensions);
        set => SetCommon(Serialization.CommonSlot.Extensions, value);
    }

    /// <summary>Properties not defined for this type (custom or top-level extension properties), in source order.</summary>
    public StixDictionary CustomProperties => CustomPropertiesOrNull ?? (_customProperties = new());

    /// <summary>True when the object has custom properties (without creating the collection).</summary>
    public bool HasCustomProperties => _customProperties is { Count: > 0 } || CustomSlotCount > 0;

    internal StixDictionary? CustomPropertiesOrNull
    {
        get
        {
            if (CustomSlotCount > 0)
            {
                MaterializeCustomProperties();
            }

            return _customProperties;
        }
    }

    /// <summary>The source text of floating-point values, so 1.0 or 1e2 are written back as read while the value is unchanged.</summary>
    internal List<(string Name, double Value, ReadOnlyMemory<byte> Text)>? NumberTexts { get; set; }

    /// <summary>Which part of STIX the object belongs to.</summary>
    public abstract StixObjectKind Kind { get; }

    /// <summary>Reads a custom property as a string (null when absent or not a string).</summary>
    public string? GetCustomString(string name) =>
        CustomPropertiesOrNull is { } custom && custom.TryGetValue(name, out var raw) ? raw.GetString() : null;

    // --- Lazy reading -------------------------------------------------------------------------
    // An object read from a document keeps the document's buffer and, per property of its type's
    // table, the offset of the value (Slots: offset + 1; 0 = absent or already decoded). A property
    // is decoded on first access; writing an untouched property copies its bytes. Custom properties
    // are kept as (name offset, value offset) pairs until asked for. Reading one object from several
    // threads at once is safe (decoding happens once, under the object's lock); setting properties
    // while other threads read the same object is not.

    internal Serialization.StixTypeInfo Info
    {
        get => _info ??= Serialization.StixTypeRegistry.For(this);
        set => _info = value;
    }

    internal ReadOnlyMemory<byte> Source { get; set; }

    internal int[]? Slots { get; set; }

    /// <summary>Number of custom properties still held as offsets: (name, value) pairs after the table's slots in <see cref="Slots"/>.</summary>
    internal int CustomSlotCount { get; set; }

    private object?[]? _values;

    /// <summary>The value of property <paramref name="index"/> (decoding it first if it is still an offset).</summary>
    internal T GetValue<T>(int index)
    {
        Load(index);
        return _values is { } values && values[index] is T value ? value : default!;
    }

    /// <summary>Sets property <paramref name="index"/>; its source bytes no longer apply.</summary>
    internal void SetValue<T>(int index, T value)
    {
        var values = _values ?? Interlocked.CompareExchange(ref _values, new object?[Info.Properties.Length + CommonSlotCount], null) ?? _values!;
        values[index] = value;
        Touch(index);
    }

    private const int CommonSlotCount = (int)Serialization.CommonSlot.Defanged + 1;

    /// <summary>Where a common property lives: its table index, or a spare place for one the type does not define.</summary>
    private int CommonIndex(Serialization.CommonSlot which) =>
        Info.CommonSlots[(int)which] is int index and >= 0 ? index : Info.Properties.Length + (int)which;

    internal T GetCommon<T>(Serialization.CommonSlot which) => GetValue<T>(CommonIndex(which));

    internal void SetCommon<T>(Serialization.CommonSlot which, T value) => SetValue(CommonIndex(which), value);

    /// <summary>Decodes property <paramref name="index"/> of the type's table if it is still only an offset.</summary>
    internal void Load(int index)
    {
        var slots = Slots;
        if (slots is null || index >= Info.Properties.Length || Volatile.Read(ref slots[index]) == 0)
        {
            return;
        }

        // Decode under the object's lock and clear the offset only once the value is stored, so a
        // reader on another thread either waits or finds the value (never an empty slot and no value).
        lock (slots)
        {
            int slot = slots[index];
            if (slot == 0)
            {
                return;
            }

            Info.Properties[index].Load(this, Source, slot - 1);
            Volatile.Write(ref slots[index], 0);
        }
    }

    /// <summary>Marks property <paramref name="index"/> as set in code: its source bytes no longer apply.</summary>
    internal void Touch(int index)
    {
        var slots = Slots;
        if (slots is not null && index < Info.Properties.Length)
        {
            slots[index] = 0;
        }
    }

    private void MaterializeCustomProperties()
    {
        var slots = Slots!;
        lock (slots)
        {
            if (CustomSlotCount > 0)
            {
                BuildCustomProperties(slots);
            }
        }
    }

    private void BuildCustomProperties(int[] slots)
    {
        int first = Info.Properties.Length;
        int count = CustomSlotCount;
        var dictionary = _customProperties ?? new StixDictionary();
        for (int i = 0; i < count; i++)
        {
            var nameReader = new System.Text.Json.Utf8JsonReader(Source.Span[slots[first + (2 * i)]..], JsonCopy.DeepReader);
            nameReader.Read();
            string name = Serialization.SafeText.TryGetString(ref nameReader) ?? System.Text.Encoding.UTF8.GetString(nameReader.ValueSpan);
            dictionary.Add(new(name, JsonRaw.FromUtf8(Source[slots[first + (2 * i) + 1]..])));
        }

        // Publish the dictionary before saying the offsets no longer apply.
        Volatile.Write(ref _customProperties, dictionary);
        CustomSlotCount = 0;
    }
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
    public StixId? CreatedByRef
    {
        get => GetCommon<StixId?>(Serialization.CommonSlot.CreatedByRef);
        set => SetCommon(Serialization.CommonSlot.CreatedByRef, value);
    }

    /// <summary><c>created</c>: when the first version was created (millisecond precision at least).</summary>
    public StixTimestamp? Created
    {
        get => GetCommon<StixTimestamp?>(Serialization.CommonSlot.Created);
        set => SetCommon(Serialization.CommonSlot.Created, value);
    }

    /// <summary><c>modified</c>: when this version was created; never before <see cref="Created"/>.</summary>
    public StixTimestamp? Modified
    {
        get => GetCommon<StixTimestamp?>(Serialization.CommonSlot.Modified);
        set => SetCommon(Serialization.CommonSlot.Modified, value);
    }

    /// <summary><c>revoked</c>: whether the creator has revoked the object.</summary>
    public bool? Revoked
    {
        get => GetCommon<bool?>(Serialization.CommonSlot.Revoked);
        set => SetCommon(Serialization.CommonSlot.Revoked, value);
    }

    /// <summary><c>labels</c>: terms that classify the object.</summary>
    public List<string>? Labels
    {
        get => GetCommon<List<string>?>(Serialization.CommonSlot.Labels);
        set => SetCommon(Serialization.CommonSlot.Labels, value);
    }

    /// <summary><c>confidence</c>: 0–100.</summary>
    public int? Confidence
    {
        get => GetCommon<int?>(Serialization.CommonSlot.Confidence);
        set => SetCommon(Serialization.CommonSlot.Confidence, value);
    }

    /// <summary><c>lang</c>: RFC 5646 language of the text properties.</summary>
    public string? Lang
    {
        get => GetCommon<string?>(Serialization.CommonSlot.Lang);
        set => SetCommon(Serialization.CommonSlot.Lang, value);
    }

    /// <summary><c>external_references</c>: non-STIX sources (ATT&amp;CK ids, CVEs, URLs).</summary>
    public List<ExternalReference>? ExternalReferences
    {
        get => GetCommon<List<ExternalReference>?>(Serialization.CommonSlot.ExternalReferences);
        set => SetCommon(Serialization.CommonSlot.ExternalReferences, value);
    }
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
    public bool? Defanged
    {
        get => GetCommon<bool?>(Serialization.CommonSlot.Defanged);
        set => SetCommon(Serialization.CommonSlot.Defanged, value);
    }

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
