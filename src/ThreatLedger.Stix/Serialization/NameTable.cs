using System.Text;
using System.Text.Json;

namespace ThreatLedger.Stix.Serialization;

/// <summary>
/// Reuses one string per distinct property name within a document: ATT&amp;CK repeats the same
/// x_mitre_* names on every object, and allocating each again is measurable.
/// </summary>
internal sealed class NameTable
{
    private const int MaxNames = 4096;
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    public string Get(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > 128)
        {
            return reader.GetString()!;
        }

        Span<char> chars = stackalloc char[128];
        int n = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
        var lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars[..n], out var name))
        {
            return name;
        }

        name = new string(chars[..n]);
        if (_names.Count < MaxNames)
        {
            _names.Add(name, name);
        }

        return name;
    }
}
