using System.Text;
using System.Text.Json;

namespace ThreatLedger.Stix.Serialization;

/// <summary>A custom property name seen in a document, with the name rules already decided.</summary>
internal sealed class CustomName(string name, int id)
{
    public string Name { get; } = name;

    public int Id { get; } = id;

    public bool Reserved { get; } = name is "severity" or "action" or "username" or "phone_numbers";

    public bool Valid { get; } = StixNames.IsValidPropertyName(name);

    public bool Binary { get; } = name.EndsWith("_bin", StringComparison.Ordinal);

    public bool Hex { get; } = name.EndsWith("_hex", StringComparison.Ordinal);
}

/// <summary>
/// One <see cref="CustomName"/> per distinct property name within a document, found from the UTF-8
/// bytes: ATT&amp;CK repeats the same x_mitre_* names on every object, so each is decoded and judged once.
/// </summary>
internal sealed class NameTable
{
    private const int MaxNames = 4096;
    private readonly Dictionary<ulong, List<(byte[] Utf8, CustomName Name)>> _names = [];
    private int _count;

    /// <summary>
    /// The name at the reader. Escaped names are looked up by their decoded bytes, so both spellings of
    /// one name are one entry. Past <c>MaxNames</c> distinct names, new ones get id -1 (not shared).
    /// </summary>
    public CustomName Get(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> utf8 = reader.ValueIsEscaped || reader.HasValueSequence
            ? Encoding.UTF8.GetBytes(reader.GetString()!)
            : reader.ValueSpan;
        return Get(utf8);
    }

    private CustomName Get(ReadOnlySpan<byte> utf8)
    {
        ulong hash = Fnv1a(utf8);
        if (_names.TryGetValue(hash, out var bucket))
        {
            foreach (var (bytes, known) in bucket)
            {
                if (utf8.SequenceEqual(bytes))
                {
                    return known;
                }
            }
        }

        if (_count >= MaxNames)
        {
            return new CustomName(Encoding.UTF8.GetString(utf8), -1);
        }

        var name = new CustomName(Encoding.UTF8.GetString(utf8), _count++);
        {
            if (bucket is null)
            {
                bucket = [];
                _names.Add(hash, bucket);
            }

            bucket.Add((utf8.ToArray(), name));
        }

        return name;
    }

    /// <summary>
    /// A cheap key for short names: the length and the first and last eight bytes. Equal keys are
    /// confirmed byte by byte, so collisions cost a comparison, never a wrong answer.
    /// </summary>
    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        ulong head, tail;
        if (bytes.Length >= 8)
        {
            head = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            tail = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[^8..]);
        }
        else
        {
            Span<byte> padded = stackalloc byte[8];
            padded.Clear();
            bytes.CopyTo(padded);
            head = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(padded);
            tail = 0;
        }

        return (head * 0x9E3779B97F4A7C15) ^ (tail * 0xC2B2AE3D27D4EB4F) ^ (ulong)bytes.Length;
    }
}
