using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ThreatLedger.Stix.Serialization;

namespace ThreatLedger.Stix.Validation;

/// <summary>Rules on single values shared by many properties.</summary>
internal static partial class ValueRules
{
    /// <summary>Bytes an RFC 3986 URI never holds unescaped: controls, space, DEL, quote and angle brackets.</summary>
    private static readonly SearchValues<byte> s_notInUrl = SearchValues.Create([.. Enumerable.Range(0, 0x21).Select(b => (byte)b), 0x7f, (byte)'"', (byte)'<', (byte)'>']);

    private static readonly SearchValues<char> s_lowerHyphen = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    public static bool IsLowerHyphenated(string s) => s.Length > 0 && !s.AsSpan().ContainsAnyExcept(s_lowerHyphen);

    public static bool IsHex(string s)
    {
        if (s.Length % 2 != 0)
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsBase64(string s) => Base64.IsValid(s);

    /// <summary>RFC 3986 absolute URI shape: a scheme, ':', then at least one character and no whitespace or control characters.</summary>
    public static bool IsAbsoluteUrl(string s) => IsAbsoluteUrl(System.Text.Encoding.UTF8.GetBytes(s));

    /// <summary>The same check on UTF-8 text.</summary>
    public static bool IsAbsoluteUrl(ReadOnlySpan<byte> s)
    {
        if (s.Length < 3 || !char.IsAsciiLetter((char)s[0]))
        {
            return false;
        }

        int colon = -1;
        for (int i = 1; i < s.Length; i++)
        {
            byte b = s[i];
            if (b == ':')
            {
                colon = i;
                break;
            }

            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'+' or (byte)'-' or (byte)'.'))
            {
                return false;
            }
        }

        if (colon < 0 || colon == s.Length - 1)
        {
            return false;
        }

        return s[(colon + 1)..].IndexOfAny(s_notInUrl) < 0;
    }

    public static void CheckString(string value, StringFormat format, Vocabulary? vocabulary, string path, ValidationContext ctx)
    {
        switch (format)
        {
            case StringFormat.Hex when !IsHex(value):
                ctx.Error("hex-format", path, "must be hexadecimal with an even number of digits (0-9, a-f)");
                break;
            case StringFormat.Base64 when !IsBase64(value):
                ctx.Error("binary-format", path, "must be base64-encoded binary data (RFC 4648)");
                break;
            case StringFormat.Url when !IsAbsoluteUrl(value):
                ctx.Error("url-format", path, $"'{Short(value)}' is not an absolute URL (RFC 3986), e.g. https://example.org/report");
                break;
            case StringFormat.LanguageTag when !StixNames.IsLanguageTag(value):
                ctx.Error("lang-format", path, $"'{Short(value)}' is not an RFC 5646 language tag such as en, ja or zh-Hans");
                break;
            default:
                break;
        }

        if (vocabulary is null || vocabulary.Contains(value))
        {
            return;
        }

        if (vocabulary.IsOpen)
        {
            ctx.Warning("vocab-open", path, $"'{Short(value)}' is not in the open vocabulary {vocabulary.Name}; use one of its values where one fits");
        }
        else
        {
            ctx.Error("vocab-enum", path, $"'{Short(value)}' is not allowed; use one of: {string.Join(", ", vocabulary.Values)}");
        }
    }

    public static void CheckRef(StixId id, RefTarget target, string path, ValidationContext ctx)
    {
        if (!id.IsWellFormed)
        {
            ctx.Error("ref-format", path, $"'{Short(id.Value)}' is not a STIX identifier (type--uuid)");
            return;
        }

        if (!target.Allows(id.TypeSpan))
        {
            ctx.Error("ref-type", path, $"must reference {target.Describe()}, not a '{id.Type}'");
        }
    }

    public static void CheckDictionary(JsonRaw raw, string path, ValidationContext ctx)
    {
        var reader = new Utf8JsonReader(raw.Utf8.Span, JsonCopy.DeepReader);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ctx.Error("property-type", path, "must be an object (a dictionary)");
            return;
        }

        int count = 0;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            count++;
            string key = reader.GetString()!;
            if (!keys.Add(key))
            {
                ctx.Error("duplicate-key", path + "['" + key + "']", $"dictionary key '{Short(key)}' appears more than once; keep one");
            }

            if (!StixNames.IsValidDictionaryKey(key))
            {
                ctx.Error("dictionary-key", path + "['" + key + "']", $"dictionary key '{Short(key)}' must be 1–250 ASCII letters, digits, '-' or '_'");
            }

            reader.Read();
            reader.Skip();
        }

        if (count == 0)
        {
            ctx.Error("empty-dictionary", path, "dictionary must have at least one entry (omit the property instead)");
        }
    }

    private static readonly (string Name, Regex Pattern)[] s_hashFormats =
    [
        ("MD5", HexOf32()),
        ("SHA-1", HexOf40()),
        ("SHA-256", HexOf64()),
        ("SHA-512", HexOf128()),
        ("SHA3-256", HexOf64()),
        ("SHA3-512", HexOf128()),
        ("SSDEEP", Ssdeep()),
        ("TLSH", Tlsh()),
    ];

    public static void CheckHashes(StixHashes hashes, string path, ValidationContext ctx)
    {
        if (hashes.Count == 0)
        {
            ctx.Error("empty-dictionary", path, "hashes must have at least one entry (omit the property instead)");
        }

        foreach (var (key, value) in hashes)
        {
            string keyPath = JsonPathNames.Child(path, key);
            if (key.Length is < 3 or > 250 || !StixNames.IsValidDictionaryKey(key))
            {
                ctx.Error("hash-key", keyPath, $"hash algorithm name '{Short(key)}' must be 3–250 ASCII letters, digits, '-' or '_'");
                continue;
            }

            foreach (var (name, pattern) in s_hashFormats)
            {
                if (string.Equals(name, key, StringComparison.Ordinal))
                {
                    if (!pattern.IsMatch(value))
                    {
                        ctx.Error("hash-value", keyPath, $"'{Short(value)}' is not a valid {name} value");
                    }

                    break;
                }

                if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase) || string.Equals(name.Replace("-", string.Empty, StringComparison.Ordinal), key.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
                {
                    ctx.Warning("hash-algorithm", keyPath, $"use the vocabulary name '{name}' instead of '{key}'");
                    break;
                }
            }
        }
    }

    public static void CheckGranularMarking(StixObject target, GranularMarking gm, string path, ValidationContext ctx)
    {
        if (gm.Selectors is null)
        {
            ctx.Error("required-property", path, "granular marking is missing the required property 'selectors'");
        }
        else if (gm.Selectors.Count == 0)
        {
            ctx.Error("empty-list", path + ".selectors", "selectors must contain at least one selector");
        }

        if (gm.Lang is not null && gm.MarkingRef is not null)
        {
            ctx.Error("granular-marking-exclusive", path, "a granular marking has either marking_ref or lang, not both");
        }
        else if (gm.Lang is null && gm.MarkingRef is null)
        {
            ctx.Error("granular-marking-target", path, "a granular marking needs marking_ref (a marking-definition) or lang");
        }

        if (gm.MarkingRef is { } mr)
        {
            CheckRef(mr, new RefTarget(RefKinds.None, "marking-definition"), path + ".marking_ref", ctx);
        }

        if (gm.Lang is not null && !StixNames.IsLanguageTag(gm.Lang))
        {
            ctx.Error("lang-format", path + ".lang", $"'{Short(gm.Lang)}' is not an RFC 5646 language tag");
        }

        if (gm.Selectors is { Count: > 0 })
        {
            using var doc = JsonDocument.Parse(StixJson.SerializeToUtf8Bytes(target), JsonCopy.DeepDocument);
            for (int i = 0; i < gm.Selectors.Count; i++)
            {
                if (!SelectorResolves(doc.RootElement, gm.Selectors[i]))
                {
                    ctx.Error("selector", path + ".selectors[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", $"selector '{Short(gm.Selectors[i])}' does not point at a property of this object");
                }
            }
        }
    }

    /// <summary>Follows a selector such as <c>external_references.[0].url</c> through the object.</summary>
    internal static bool SelectorResolves(JsonElement root, string selector)
    {
        var current = root;
        foreach (var part in selector.Split('.'))
        {
            if (part.Length >= 3 && part[0] == '[' && part[^1] == ']')
            {
                if (current.ValueKind != JsonValueKind.Array || !int.TryParse(part.AsSpan(1, part.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index) || index >= current.GetArrayLength())
                {
                    return false;
                }

                current = current[index];
            }
            else if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Predefined SCO extensions (§6) and the object types they belong to.</summary>
    private static readonly Dictionary<string, string> s_predefinedExtensions = new(StringComparer.Ordinal)
    {
        ["archive-ext"] = "file",
        ["ntfs-ext"] = "file",
        ["pdf-ext"] = "file",
        ["raster-image-ext"] = "file",
        ["windows-pebinary-ext"] = "file",
        ["http-request-ext"] = "network-traffic",
        ["icmp-ext"] = "network-traffic",
        ["socket-ext"] = "network-traffic",
        ["tcp-ext"] = "network-traffic",
        ["windows-process-ext"] = "process",
        ["windows-service-ext"] = "process",
        ["unix-account-ext"] = "user-account",
    };

    public static void CheckExtensions(StixObject target, ValidationContext ctx)
    {
        var extensions = target.Extensions!;
        if (extensions.Count == 0)
        {
            ctx.Error("empty-dictionary", "extensions", "extensions must have at least one entry (omit the property instead)");
        }

        foreach (var (key, value) in extensions)
        {
            string path = "extensions['" + key + "']";
            if (key.StartsWith("extension-definition--", StringComparison.Ordinal))
            {
                if (!StixId.TryParse(key, out _))
                {
                    ctx.Error("extension-key", path, $"'{Short(key)}' is not a valid extension-definition identifier");
                    continue;
                }

                CheckExtensionType(value, path, ctx);
                continue;
            }

            if (!key.EndsWith("-ext", StringComparison.Ordinal) || !StixNames.IsValidTypeName(key))
            {
                ctx.Error("extension-key", path, $"extension name '{Short(key)}' must be an extension-definition id or a predefined name ending in -ext");
                continue;
            }

            if (s_predefinedExtensions.TryGetValue(key, out var owner))
            {
                if (!string.Equals(owner, target.Type, StringComparison.Ordinal))
                {
                    ctx.Error("extension-not-allowed", path, $"the predefined extension '{key}' belongs to '{owner}' objects, not '{target.Type}'");
                }
                else
                {
                    CheckPredefinedExtension(key, value, path, ctx);
                }
            }
            else
            {
                ctx.Warning("extension-deprecated", path, $"'{key}' is not a predefined extension; define it with an extension-definition object instead");
            }
        }
    }

    /// <summary>Required properties of the predefined SCO extensions (§6.7.2–6.16.2); the others need at least one property.</summary>
    private static readonly Dictionary<string, string[]> s_extensionRequired = new(StringComparer.Ordinal)
    {
        ["archive-ext"] = ["contains_refs"],
        ["windows-pebinary-ext"] = ["pe_type"],
        ["http-request-ext"] = ["request_method", "request_value"],
        ["icmp-ext"] = ["icmp_type_hex", "icmp_code_hex"],
        ["socket-ext"] = ["address_family"],
    };

    private static void CheckPredefinedExtension(string key, JsonRaw value, string path, ValidationContext ctx)
    {
        using var doc = JsonDocument.Parse(value.Utf8, JsonCopy.DeepDocument);
        var content = doc.RootElement;
        bool empty = true;
        foreach (var unused in content.EnumerateObject())
        {
            empty = false;
            break;
        }

        if (empty)
        {
            ctx.Error("empty-dictionary", path, $"the {key} extension must have at least one property");
        }

        if (s_extensionRequired.TryGetValue(key, out var required))
        {
            foreach (string name in required)
            {
                if (!content.TryGetProperty(name, out _))
                {
                    ctx.Error("required-property", path, $"the {key} extension is missing its required property '{name}'");
                }
            }
        }
    }

    private static void CheckExtensionType(JsonRaw value, string path, ValidationContext ctx)
    {
        var reader = new Utf8JsonReader(value.Utf8.Span, JsonCopy.DeepReader);
        reader.Read();
        bool any = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            any = true;
            if (reader.ValueTextEquals("extension_type"u8))
            {
                reader.Read();
                string? t = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (t is null || !Vocabularies.ExtensionType.Contains(t))
                {
                    ctx.Error("vocab-enum", path + ".extension_type", $"extension_type must be one of: {string.Join(", ", Vocabularies.ExtensionType.Values)}");
                }

                return;
            }

            reader.Read();
            reader.Skip();
        }

        ctx.Error("required-property", path, any
            ? "an extension-definition extension must say its extension_type (e.g. property-extension)"
            : "extension content must not be empty; it needs at least extension_type");
    }

    public static bool IsCveId(string s) => CveId().IsMatch(s);

    public static bool IsCapecId(string s) => CapecId().IsMatch(s);

    internal static string Short(string s) => s.Length <= 80 ? s : s[..77] + "...";

    [GeneratedRegex(@"^[a-fA-F0-9]{32}\z")]
    private static partial Regex HexOf32();

    [GeneratedRegex(@"^[a-fA-F0-9]{40}\z")]
    private static partial Regex HexOf40();

    [GeneratedRegex(@"^[a-fA-F0-9]{64}\z")]
    private static partial Regex HexOf64();

    [GeneratedRegex(@"^[a-fA-F0-9]{128}\z")]
    private static partial Regex HexOf128();

    [GeneratedRegex(@"^[a-zA-Z0-9/+:.]{1,128}\z")]
    private static partial Regex Ssdeep();

    [GeneratedRegex(@"^(T1)?[a-fA-F0-9]{70}\z")]
    private static partial Regex Tlsh();

    [GeneratedRegex(@"^CVE-[0-9]{4}-(0[0-9]{3}|[1-9][0-9]{3,})\z")]
    private static partial Regex CveId();

    [GeneratedRegex(@"^CAPEC-[0-9]+\z")]
    private static partial Regex CapecId();
}
