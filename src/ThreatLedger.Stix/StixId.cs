using System.Diagnostics.CodeAnalysis;

namespace ThreatLedger.Stix;

/// <summary>
/// A STIX identifier, <c>object-type--UUID</c> (STIX 2.1 §2.9). Equality is ordinal on the text.
/// </summary>
/// <remarks>
/// A value read from a document that does not follow the format is kept as it was written
/// (<see cref="IsWellFormed"/> is false) so that a diagnostic can name it and the document can be
/// written back unchanged; <see cref="Parse"/> and <see cref="TryParse"/> only accept well-formed ids.
/// </remarks>
public readonly struct StixId : IEquatable<StixId>, IComparable<StixId>
{
    private readonly string? _value;
    private readonly int _separator;

    private StixId(string value, int separator)
    {
        _value = value;
        _separator = separator;
    }

    /// <summary>The identifier text, e.g. <c>indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True when this is the default value (no identifier).</summary>
    public bool IsEmpty => _value is null;

    /// <summary>True when the text is <c>type--uuid</c> with a valid type name and an RFC 4122 UUID.</summary>
    public bool IsWellFormed => _separator > 0;

    /// <summary>The object type part (before <c>--</c>); empty when the id is not well formed.</summary>
    public ReadOnlySpan<char> TypeSpan => _separator > 0 ? _value.AsSpan(0, _separator) : default;

    /// <summary>The object type part as a string; empty when the id is not well formed.</summary>
    public string Type => _separator > 0 ? _value![.._separator] : string.Empty;

    /// <summary>The UUID part; <see cref="Guid.Empty"/> when the id is not well formed.</summary>
    public Guid Uuid => _separator > 0 ? Guid.Parse(_value.AsSpan(_separator + 2)) : Guid.Empty;

    /// <summary>Builds an id from a type and a UUID.</summary>
    /// <exception cref="ArgumentException">The type is not a valid STIX type name.</exception>
    public static StixId Create(string type, Guid uuid)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!StixNames.IsValidTypeName(type))
        {
            throw new ArgumentException($"'{type}' is not a valid STIX type name.", nameof(type));
        }

        return new StixId(type + "--" + uuid.ToString("D"), type.Length);
    }

    /// <summary>Builds a new random (version 4) id for the given type.</summary>
    public static StixId NewId(string type) => Create(type, Guid.NewGuid());

    /// <summary>Parses a well-formed identifier.</summary>
    /// <exception cref="FormatException">The text is not <c>type--uuid</c>.</exception>
    public static StixId Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var id)
            ? id
            : throw new FormatException($"'{value}' is not a STIX identifier (expected type--uuid, e.g. indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f).");
    }

    /// <summary>Parses a well-formed identifier; false when the text is not <c>type--uuid</c>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out StixId id)
    {
        id = default;
        if (value is null)
        {
            return false;
        }

        int sep = FindSeparator(value);
        if (sep < 0)
        {
            return false;
        }

        id = new StixId(value, sep);
        return true;
    }

    /// <summary>Keeps any text as an id, well formed or not; used when reading documents.</summary>
    internal static StixId FromText(string value)
    {
        int sep = FindSeparator(value);
        return new StixId(value, sep < 0 ? 0 : sep);
    }

    private static int FindSeparator(string value) => FindSeparator(value.AsSpan());

    /// <summary>The same as <see cref="FindSeparator(ReadOnlySpan{char})"/> on UTF-8 bytes.</summary>
    internal static int FindSeparator(ReadOnlySpan<byte> value)
    {
        if (value.Length < 3 + 2 + 36)
        {
            return -1;
        }

        int sep = value.Length - 38;
        if (value[sep] != '-' || value[sep + 1] != '-')
        {
            return -1;
        }

        return StixNames.IsValidTypeName(value[..sep]) && StixNames.IsRfc4122Uuid(value[(sep + 2)..]) ? sep : -1;
    }

    /// <summary>Index of the "--" before the UUID when the text is a well-formed id, else -1.</summary>
    internal static int FindSeparator(ReadOnlySpan<char> value)
    {
        // The UUID part is 36 characters; the separator sits right before it.
        if (value.Length < 3 + 2 + 36)
        {
            return -1;
        }

        int sep = value.Length - 38;
        if (value[sep] != '-' || value[sep + 1] != '-')
        {
            return -1;
        }

        if (!StixNames.IsValidTypeName(value[..sep]) || !StixNames.IsRfc4122Uuid(value[(sep + 2)..]))
        {
            return -1;
        }

        return sep;
    }

    /// <inheritdoc/>
    public bool Equals(StixId other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is StixId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <inheritdoc/>
    public int CompareTo(StixId other) => string.CompareOrdinal(_value, other._value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Equality.</summary>
    public static bool operator ==(StixId left, StixId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(StixId left, StixId right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(StixId left, StixId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(StixId left, StixId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(StixId left, StixId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(StixId left, StixId right) => left.CompareTo(right) >= 0;
}
