using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ThreatLedger.Stix.Identifiers;

/// <summary>
/// Name-based UUIDs of version 5 (RFC 4122 section 4.3, RFC 9562 section 5.5: SHA-1), as STIX 2.1
/// section 2.9 uses them for deterministic cyber-observable (SCO) identifiers, and helpers
/// to inspect a <see cref="Guid"/>'s version and write it in STIX form.
/// </summary>
/// <remarks>
/// All byte-level work uses the RFC's network (big-endian) byte order, not the mixed-endian
/// layout of <see cref="Guid.ToByteArray()"/>.
/// </remarks>
public static class Uuid5
{
    /// <summary>
    /// The namespace STIX 2.1 (section 2.9) prescribes for SCO identifiers:
    /// <c>00abedb4-aa42-466c-9c01-fed23315a9b7</c>.
    /// </summary>
    public static readonly Guid StixScoNamespace = new("00abedb4-aa42-466c-9c01-fed23315a9b7");

    /// <summary>
    /// Creates the version-5 UUID of <paramref name="name"/> in <paramref name="namespace"/>:
    /// the first 16 bytes of SHA-1(namespace in network byte order ‖ name), with the version
    /// set to 5 and the variant to RFC 4122.
    /// </summary>
    /// <param name="namespace">The namespace UUID (for STIX SCOs, <see cref="StixScoNamespace"/>).</param>
    /// <param name="name">The name, as bytes (for STIX SCOs, the RFC 8785 canonical UTF-8 JSON).</param>
    /// <returns>The version-5 UUID.</returns>
    [SuppressMessage(
        "Security",
        "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "RFC 4122/9562 define UUIDv5 with SHA-1; it is used as an identifier, not for security.")]
    public static Guid Create(Guid @namespace, ReadOnlySpan<byte> name)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);

        Span<byte> namespaceBytes = stackalloc byte[16];
        if (!@namespace.TryWriteBytes(namespaceBytes, bigEndian: true, out _))
        {
            throw new InvalidOperationException("Could not write the namespace UUID's bytes.");
        }

        sha1.AppendData(namespaceBytes);
        sha1.AppendData(name);

        Span<byte> hash = stackalloc byte[20];
        if (!sha1.TryGetHashAndReset(hash, out _))
        {
            throw new InvalidOperationException("Could not compute the SHA-1 hash.");
        }

        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50); // version 5 in the high nibble of time_hi_and_version
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // variant 10xx (RFC 4122) in clock_seq_hi_and_reserved
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>
    /// Creates the version-5 UUID of <paramref name="name"/>, encoded as UTF-8, in
    /// <paramref name="namespace"/>.
    /// </summary>
    /// <param name="namespace">The namespace UUID.</param>
    /// <param name="name">The name; it is hashed as its UTF-8 bytes.</param>
    /// <returns>The version-5 UUID.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public static Guid Create(Guid @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Create(@namespace, Encoding.UTF8.GetBytes(name));
    }

    /// <summary>
    /// Gets the version number of <paramref name="id"/> (the high nibble of octet 6 in network
    /// byte order), whatever its variant.
    /// </summary>
    /// <param name="id">The UUID.</param>
    /// <returns>The version, 0 to 15.</returns>
    public static int GetVersion(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return bytes[6] >> 4;
    }

    /// <summary>
    /// Tells whether <paramref name="id"/> has the RFC 4122 / RFC 9562 variant (bits <c>10</c>
    /// at the top of octet 8 in network byte order).
    /// </summary>
    /// <param name="id">The UUID.</param>
    /// <returns><see langword="true"/> if the variant is RFC 4122's.</returns>
    public static bool IsRfc4122Variant(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return (bytes[8] & 0xC0) == 0x80;
    }

    /// <summary>
    /// Tells whether <paramref name="id"/> is an RFC 4122 version-5 (name-based, SHA-1) UUID, as
    /// STIX 2.1 requires for SCO identifiers derived from ID-contributing properties.
    /// </summary>
    /// <param name="id">The UUID.</param>
    /// <returns><see langword="true"/> for version 5 with the RFC 4122 variant.</returns>
    public static bool IsVersion5(Guid id) => GetVersion(id) == 5 && IsRfc4122Variant(id);

    /// <summary>
    /// Tells whether <paramref name="id"/> is an RFC 4122 version-4 (random) UUID, as STIX 2.1
    /// requires for SDO, SRO and other non-deterministic identifiers.
    /// </summary>
    /// <param name="id">The UUID.</param>
    /// <returns><see langword="true"/> for version 4 with the RFC 4122 variant.</returns>
    public static bool IsVersion4(Guid id) => GetVersion(id) == 4 && IsRfc4122Variant(id);

    /// <summary>
    /// Writes <paramref name="g"/> as STIX identifiers carry it: lower-case hex in the
    /// 8-4-4-4-12 form, without braces (for example <c>00abedb4-aa42-466c-9c01-fed23315a9b7</c>).
    /// </summary>
    /// <param name="g">The UUID.</param>
    /// <returns>The 36-character string.</returns>
    public static string ToStixString(Guid g) => g.ToString("D", CultureInfo.InvariantCulture).ToLowerInvariant();
}
