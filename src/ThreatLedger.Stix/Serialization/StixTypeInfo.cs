using System.Text;
using System.Text.Json;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix.Serialization;

/// <summary>Everything the reader, writer and validator know about one STIX type.</summary>
internal sealed class StixTypeInfo
{
    private readonly Dictionary<string, StixProperty> _byName;

    private static readonly string[] s_commonNames =
    [
        "spec_version", "id", "created_by_ref", "created", "modified", "revoked", "labels", "confidence", "lang",
        "external_references", "object_marking_refs", "granular_markings", "extensions", "defanged",
    ];

    public StixTypeInfo(string type, StixObjectKind kind, Func<StixObject> factory, StixProperty[] properties, Action<StixObject, ValidationContext>? rules, int ownFrom = -1)
    {
        if (properties.Length > 64)
        {
            throw new InvalidOperationException($"{type} has more than 64 properties");
        }

        // The generated classes address their own properties by table index (tools/modelgen.cs).
        if (ownFrom >= 0 && ownFrom < properties.Length && Array.IndexOf(s_commonNames, properties[ownFrom].Name) >= 0)
        {
            throw new InvalidOperationException($"{type}: its own properties must start at index {ownFrom}; regenerate with tools/modelgen.cs");
        }

        Type = type;
        Kind = kind;
        Factory = factory;
        Properties = properties;
        Rules = rules;
        _byName = new Dictionary<string, StixProperty>(StringComparer.Ordinal);
        for (int i = 0; i < properties.Length; i++)
        {
            properties[i].Index = i;
            _byName.Add(properties[i].Name, properties[i]);
        }

        foreach (var p in properties)
        {
            byte[] name = Encoding.UTF8.GetBytes(p.Name);
            int slot = Slot(name);
            while (_table[slot] is not null)
            {
                slot = (slot + 1) & (TableSize - 1);
            }

            _table[slot] = (name, p);
        }
        foreach (var p in properties)
        {
            _requiredMask |= p.Required ? 1UL << p.Index : 0;
            _withObjectMask |= p.ValidatesWithObject ? 1UL << p.Index : 0;
        }

        CommonSlots = new int[s_commonNames.Length];
        for (int i = 0; i < s_commonNames.Length; i++)
        {
            CommonSlots[i] = _byName.TryGetValue(s_commonNames[i], out var p) ? p.Index : -1;
        }
    }

    /// <summary>Table index of each <see cref="CommonSlot"/> in this type, or -1.</summary>
    public int[] CommonSlots { get; }

    public string Type { get; }

    public StixObjectKind Kind { get; }

    public Func<StixObject> Factory { get; }

    public StixProperty[] Properties { get; }

    public Action<StixObject, ValidationContext>? Rules { get; }

    public StixProperty? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Finds the property whose name is at the reader (a PropertyName token) without allocating.</summary>
    public StixProperty? Find(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return Find(reader.GetString()!);
        }

        // Names are compared as UTF-8 in an open-addressing table keyed on length and three bytes.
        var utf8 = reader.ValueSpan;
        if (utf8.IsEmpty)
        {
            return null;
        }

        int slot = Slot(utf8);
        while (_table[slot] is { } entry)
        {
            if (utf8.SequenceEqual(entry.Name))
            {
                return entry.Property;
            }

            slot = (slot + 1) & (TableSize - 1);
        }

        return null;
    }

    private const int TableSize = 256;
    private readonly (byte[] Name, StixProperty Property)?[] _table = new (byte[], StixProperty)?[TableSize];

    private static int Slot(ReadOnlySpan<byte> name) =>
        ((name.Length * 31) + (name[0] * 7) + (name[name.Length >> 1] * 3) + name[^1]) & (TableSize - 1);

    private readonly ulong _requiredMask;
    private readonly ulong _withObjectMask;

    /// <summary>
    /// Writes the object: defined properties in table order, then custom properties in source order.
    /// A property still held as an offset into the source is copied token by token without decoding.
    /// </summary>
    public void Write(Utf8JsonWriter writer, StixObject obj)
    {
        writer.WriteStartObject();
        var slots = obj.Slots;
        var source = obj.Source.Span;
        ulong written = 0;
        foreach (var p in Properties)
        {
            int slot = slots is null ? 0 : Volatile.Read(ref slots[p.Index]);
            if (slot > 0)
            {
                writer.WritePropertyName(p.EncodedName);
                CopyFrom(source, slot - 1, writer);
                written |= 1UL << p.Index;
            }
            else if (p.IsPresent(obj))
            {
                p.Write(writer, obj);
                written |= 1UL << p.Index;
            }
        }

        // A defined property whose source value could not be taken is kept as a custom property under
        // its own name; once the typed property is set in code, only the typed value is written.
        if (obj.CustomSlotCount > 0)
        {
            int first = Properties.Length;
            for (int i = 0; i < obj.CustomSlotCount; i++)
            {
                var name = new Utf8JsonReader(source[slots![first + (2 * i)]..], JsonCopy.DeepReader);
                name.Read();
                if (Find(ref name) is { } defined && (written & (1UL << defined.Index)) != 0)
                {
                    continue;
                }

                JsonCopy.WriteName(ref name, writer);
                CopyFrom(source, slots[first + (2 * i) + 1], writer);
            }
        }
        else if (obj.CustomPropertiesOrNull is { } custom)
        {
            foreach (var kv in custom)
            {
                if (Find(kv.Key) is { } defined && (written & (1UL << defined.Index)) != 0)
                {
                    continue;
                }

                writer.WritePropertyName(kv.Key);
                kv.Value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Copies the value at <paramref name="offset"/>: as raw text for compact output (it was checked when
    /// read), token by token for indented output so the layout follows the writer.
    /// </summary>
    private static void CopyFrom(ReadOnlySpan<byte> source, int offset, Utf8JsonWriter writer)
    {
        var reader = new Utf8JsonReader(source[offset..], JsonCopy.DeepReader);
        reader.Read();
        if (writer.Options.Indented)
        {
            JsonCopy.CopyValue(ref reader, writer);
            return;
        }

        reader.Skip();
        writer.WriteRawValue(source.Slice(offset, (int)reader.BytesConsumed), skipInputValidation: true);
    }

    /// <summary>
    /// The rules that need the whole object, run right after it is read: required properties (judged
    /// from what the source held), rules on values that refer to the rest of the object, then the
    /// common and type rules. Rules on single values ran while reading (<see cref="StixProperty.Check"/>).
    /// </summary>
    public void ValidateObject(StixObject obj, ValidationContext ctx)
    {
        ulong seen = ctx.Seen;
        if ((seen & _requiredMask) != _requiredMask)
        {
            foreach (var p in Properties)
            {
                if (p.Required && (seen & (1UL << p.Index)) == 0)
                {
                    ctx.Error("required-property", string.Empty, $"required property '{p.Name}' is missing; add it to the {obj.Type}");
                }
            }
        }

        if ((seen & _withObjectMask) != 0)
        {
            foreach (var p in Properties)
            {
                if (p.ValidatesWithObject && (seen & (1UL << p.Index)) != 0 && p.IsPresent(obj))
                {
                    p.Validate(obj, ctx);
                }
            }
        }

        CommonRules.Validate(obj, this, ctx);
        Rules?.Invoke(obj, ctx);
    }
}
