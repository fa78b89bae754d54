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

    public static StixTypeInfo For(StixObject obj) => Find(obj.Type) ?? Unknown;
}
