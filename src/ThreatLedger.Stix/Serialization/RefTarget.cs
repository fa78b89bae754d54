namespace ThreatLedger.Stix.Serialization;

/// <summary>Groups of object types a reference may point at.</summary>
[Flags]
internal enum RefKinds
{
    None = 0,
    DomainObject = 1,
    CyberObservable = 2,
    RelationshipObject = 4,
    MetaObject = 8,
    Any = DomainObject | CyberObservable | RelationshipObject | MetaObject,
}

/// <summary>What a reference property may point at: groups of types and/or named types.</summary>
internal sealed class RefTarget
{
    private readonly HashSet<string> _types;

    private readonly byte[][] _utf8Types;

    public RefTarget(RefKinds kinds, params string[] types)
    {
        Kinds = kinds;
        _types = new HashSet<string>(types, StringComparer.Ordinal);
        _utf8Types = types.Select(t => System.Text.Encoding.UTF8.GetBytes(t)).ToArray();
    }

    /// <summary>The same as <see cref="Allows(ReadOnlySpan{char})"/> for a UTF-8 type name.</summary>
    public bool Allows(ReadOnlySpan<byte> type)
    {
        if (Kinds == RefKinds.Any)
        {
            return true;
        }

        foreach (var t in _utf8Types)
        {
            if (type.SequenceEqual(t))
            {
                return true;
            }
        }

        return AllowsKind(StixTypeRegistry.Find(type));
    }

    private bool AllowsKind(StixTypeInfo? info)
    {
        if (info is null)
        {
            // A custom or extension-defined type: the kind is not knowable from the id, so a
            // reference that accepts any SDO or SCO accepts it.
            return (Kinds & (RefKinds.DomainObject | RefKinds.CyberObservable)) != 0;
        }

        var kind = info.Kind switch
        {
            StixObjectKind.DomainObject => RefKinds.DomainObject,
            StixObjectKind.CyberObservable => RefKinds.CyberObservable,
            StixObjectKind.RelationshipObject => RefKinds.RelationshipObject,
            _ => RefKinds.MetaObject,
        };
        return (Kinds & kind) != 0;
    }

    public RefKinds Kinds { get; }

    /// <summary>True when an id of the given type may be referenced.</summary>
    public bool Allows(ReadOnlySpan<char> type)
    {
        if (Kinds == RefKinds.Any)
        {
            return true;
        }

        var lookup = _types.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.Contains(type))
        {
            return true;
        }

        return AllowsKind(StixTypeRegistry.Find(type));
    }

    /// <summary>A readable description for messages, e.g. "an SDO or SCO" or "identity".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Kinds == RefKinds.Any)
        {
            return "any STIX object";
        }

        if ((Kinds & RefKinds.DomainObject) != 0)
        {
            parts.Add("an SDO");
        }

        if ((Kinds & RefKinds.CyberObservable) != 0)
        {
            parts.Add("an SCO");
        }

        foreach (var t in _types.Order(StringComparer.Ordinal))
        {
            parts.Add(t);
        }

        return parts.Count switch
        {
            0 => "nothing",
            1 => parts[0],
            _ => string.Join(", ", parts.Take(parts.Count - 1)) + " or " + parts[^1],
        };
    }
}
