using System.Text;
using System.Text.Json;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix.Serialization;

/// <summary>Everything the reader, writer and validator know about one STIX type.</summary>
internal sealed class StixTypeInfo
{
    private readonly Dictionary<string, StixProperty> _byName;
    private readonly Dictionary<string, StixProperty>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StixTypeInfo(string type, StixObjectKind kind, Func<StixObject> factory, StixProperty[] properties, Action<StixObject, ValidationContext>? rules)
    {
        if (properties.Length > 64)
        {
            throw new InvalidOperationException($"{type} has more than 64 properties");
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

        _lookup = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

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

        var utf8 = reader.ValueSpan;
        if (utf8.Length > 64)
        {
            return null;
        }

        Span<char> chars = stackalloc char[64];
        int n = Encoding.UTF8.GetChars(utf8, chars);
        return _lookup.TryGetValue(chars[..n], out var p) ? p : null;
    }

    /// <summary>Writes the object: defined properties in table order, then custom properties in source order.</summary>
    public void Write(Utf8JsonWriter writer, StixObject obj)
    {
        writer.WriteStartObject();
        foreach (var p in Properties)
        {
            if (p.IsPresent(obj))
            {
                p.Write(writer, obj);
            }
        }

        NestedReader.WriteCustom(writer, obj.CustomPropertiesOrNull);

        writer.WriteEndObject();
    }

    /// <summary>Runs every rule on the object: required properties, each property's rules, then the type's rules.</summary>
    public void Validate(StixObject obj, ValidationContext ctx)
    {
        ulong seen = ctx.Seen;
        bool fromSource = ctx.FromSource;
        foreach (var p in Properties)
        {
            bool present = p.IsPresent(obj);
            if (p.Required && !present && !(fromSource && (seen & (1UL << p.Index)) != 0))
            {
                ctx.Error("required-property", string.Empty, $"required property '{p.Name}' is missing; add it to the {obj.Type}");
                continue;
            }

            if (present)
            {
                p.Validate(obj, ctx);
            }
        }

        CommonRules.Validate(obj, this, ctx);
        Rules?.Invoke(obj, ctx);
    }
}
