namespace ThreatLedger.Stix;

/// <summary>An external reference (§2.5): a non-STIX source such as an ATT&amp;CK id, a CVE or a URL.</summary>
public sealed class ExternalReference
{
    /// <summary><c>source_name</c> (required).</summary>
    public string? SourceName { get => SourceNameUtf8.ToString(); set => SourceNameUtf8 = Utf8Text.From(value); }

    internal Utf8Text SourceNameUtf8 { get; set; }

    /// <summary><c>description</c>.</summary>
    public string? Description { get => DescriptionUtf8.ToString(); set => DescriptionUtf8 = Utf8Text.From(value); }

    internal Utf8Text DescriptionUtf8 { get; set; }

    /// <summary><c>url</c>.</summary>
    public string? Url { get => UrlUtf8.ToString(); set => UrlUtf8 = Utf8Text.From(value); }

    internal Utf8Text UrlUtf8 { get; set; }

    /// <summary><c>hashes</c> of the content at <see cref="Url"/>.</summary>
    public StixHashes? Hashes { get; set; }

    /// <summary><c>external_id</c>, e.g. G0065, T1190, CVE-2021-26855.</summary>
    public string? ExternalId { get => ExternalIdUtf8.ToString(); set => ExternalIdUtf8 = Utf8Text.From(value); }

    internal Utf8Text ExternalIdUtf8 { get; set; }

    private StixDictionary? _customProperties;

    /// <summary>Properties the specification does not define, kept verbatim (created on first use).</summary>
    public StixDictionary CustomProperties => _customProperties ??= new();

    internal StixDictionary? CustomPropertiesOrNull => _customProperties;
}

/// <summary>A kill chain phase (§2.7).</summary>
public sealed class KillChainPhase
{
    /// <summary><c>kill_chain_name</c>, e.g. mitre-attack.</summary>
    public string? KillChainName { get; set; }

    /// <summary><c>phase_name</c>, e.g. initial-access.</summary>
    public string? PhaseName { get; set; }

    private StixDictionary? _customProperties;

    /// <summary>Properties the specification does not define, kept verbatim (created on first use).</summary>
    public StixDictionary CustomProperties => _customProperties ??= new();

    internal StixDictionary? CustomPropertiesOrNull => _customProperties;
}

/// <summary>A granular marking (§7.2.3): a marking or language applied to selected properties.</summary>
public sealed class GranularMarking
{
    /// <summary><c>lang</c>: the language of the selected text (exclusive with <see cref="MarkingRef"/>).</summary>
    public string? Lang { get; set; }

    /// <summary><c>marking_ref</c>: the marking definition applied.</summary>
    public StixId? MarkingRef { get; set; }

    /// <summary><c>selectors</c>: paths of the properties the marking applies to.</summary>
    public List<string>? Selectors { get; set; }

    private StixDictionary? _customProperties;

    /// <summary>Properties the specification does not define, kept verbatim (created on first use).</summary>
    public StixDictionary CustomProperties => _customProperties ??= new();

    internal StixDictionary? CustomPropertiesOrNull => _customProperties;
}

/// <summary>A hashes dictionary (§2.7 hashes type): algorithm name → hex (or ssdeep/TLSH) value, in source order.</summary>
public sealed class StixHashes : List<KeyValuePair<string, string>>
{
    /// <summary>The value for an algorithm, or null.</summary>
    public string? Get(string algorithm)
    {
        foreach (var kv in this)
        {
            if (string.Equals(kv.Key, algorithm, StringComparison.Ordinal))
            {
                return kv.Value;
            }
        }

        return null;
    }

    /// <summary>Adds or replaces the value for an algorithm.</summary>
    public void Set(string algorithm, string value)
    {
        for (int i = 0; i < Count; i++)
        {
            if (string.Equals(this[i].Key, algorithm, StringComparison.Ordinal))
            {
                this[i] = new(algorithm, value);
                return;
            }
        }

        Add(new(algorithm, value));
    }
}

/// <summary>An ordered dictionary of JSON values kept verbatim (custom properties, extensions, open dictionaries).</summary>
public sealed class StixDictionary : List<KeyValuePair<string, JsonRaw>>
{
    /// <summary>Finds a value by name (ordinal).</summary>
    public bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JsonRaw? value)
    {
        foreach (var kv in this)
        {
            if (string.Equals(kv.Key, name, StringComparison.Ordinal))
            {
                value = kv.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>True when a value with that name exists.</summary>
    public bool ContainsKey(string name) => TryGetValue(name, out _);

    /// <summary>Adds or replaces a value.</summary>
    public void Set(string name, JsonRaw value)
    {
        for (int i = 0; i < Count; i++)
        {
            if (string.Equals(this[i].Key, name, StringComparison.Ordinal))
            {
                this[i] = new(name, value);
                return;
            }
        }

        Add(new(name, value));
    }
}
