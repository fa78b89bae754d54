using System.Collections.Frozen;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix.Serialization;

/// <summary>The STIX 2.1 types this library defines, by name.</summary>
internal static partial class StixTypeRegistry
{
    private static readonly FrozenDictionary<string, StixTypeInfo> s_types = GeneratedTypes().ToFrozenDictionary(t => t.Type, StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, StixTypeInfo>.AlternateLookup<ReadOnlySpan<char>> s_lookup = s_types.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The table used for types this library does not define.</summary>
    public static StixTypeInfo Unknown { get; } = new("(unknown)", StixObjectKind.Unknown, static () => new UnknownObject("x-unknown"), CommonProperties.Unknown(), TypeRules.For("(unknown)"));

    public static IEnumerable<StixTypeInfo> All => s_types.Values;

    public static StixTypeInfo? Find(ReadOnlySpan<char> type) => s_lookup.TryGetValue(type, out var info) ? info : null;

    private static readonly (byte[] Name, StixTypeInfo Info)[][] s_byLength = BucketByLength();

    /// <summary>Finds a registered type by its UTF-8 name without decoding it.</summary>
    public static StixTypeInfo? Find(ReadOnlySpan<byte> type)
    {
        if (type.Length >= s_byLength.Length)
        {
            return null;
        }

        foreach (var (name, info) in s_byLength[type.Length])
        {
            if (type.SequenceEqual(name))
            {
                return info;
            }
        }

        return null;
    }

    private static (byte[], StixTypeInfo)[][] BucketByLength()
    {
        int longest = s_types.Keys.Max(k => k.Length);
        var buckets = new (byte[], StixTypeInfo)[longest + 1][];
        for (int length = 0; length <= longest; length++)
        {
            buckets[length] = s_types.Values.Where(t => t.Type.Length == length).Select(t => (System.Text.Encoding.UTF8.GetBytes(t.Type), t)).ToArray();
        }

        return buckets;
    }

    /// <summary>The table for an object: its type's, unless it is an <see cref="UnknownObject"/> (whatever its type name says).</summary>
    public static StixTypeInfo For(StixObject obj) => obj is UnknownObject ? Unknown : Find(obj.Type) ?? Unknown;
}
