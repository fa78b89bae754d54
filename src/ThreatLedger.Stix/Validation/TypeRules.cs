using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ThreatLedger.Stix.Validation;

/// <summary>The rules of STIX 2.1 that tie several properties of one type together.</summary>
internal static partial class TypeRules
{
    private static readonly Dictionary<string, Action<StixObject, ValidationContext>> s_rules = new(StringComparer.Ordinal)
    {
        ["campaign"] = static (o, c) => { var x = (Campaign)o; Order(x.FirstSeen, x.LastSeen, "first_seen", "last_seen", c); },
        ["intrusion-set"] = static (o, c) => { var x = (IntrusionSet)o; Order(x.FirstSeen, x.LastSeen, "first_seen", "last_seen", c); },
        ["threat-actor"] = static (o, c) => { var x = (ThreatActor)o; Order(x.FirstSeen, x.LastSeen, "first_seen", "last_seen", c); },
        ["infrastructure"] = static (o, c) => { var x = (Infrastructure)o; Order(x.FirstSeen, x.LastSeen, "first_seen", "last_seen", c); },
        ["indicator"] = static (o, c) => Indicator((Indicator)o, c),
        ["malware"] = static (o, c) => Malware((Malware)o, c),
        ["malware-analysis"] = static (o, c) => MalwareAnalysis((MalwareAnalysis)o, c),
        ["observed-data"] = static (o, c) => ObservedData((ObservedData)o, c),
        ["location"] = static (o, c) => Location((Location)o, c),
        ["relationship"] = static (o, c) => Relationship((Relationship)o, c),
        ["sighting"] = static (o, c) => { var x = (Sighting)o; Order(x.FirstSeen, x.LastSeen, "first_seen", "last_seen", c); },
        ["artifact"] = static (o, c) => Artifact((Artifact)o, c),
        ["ipv4-addr"] = static (o, c) => Ipv4(((IPv4Address)o).Value, c),
        ["ipv6-addr"] = static (o, c) => Ipv6(((IPv6Address)o).Value, c),
        ["mac-addr"] = static (o, c) => Mac(((MacAddress)o).Value, c),
        ["domain-name"] = static (o, c) => Domain(((DomainName)o).Value, c),
        ["email-addr"] = static (o, c) => Email(((EmailAddress)o).Value, c),
        ["url"] = static (o, c) => UrlValue(((Url)o).Value, c),
        ["email-message"] = static (o, c) => EmailMessage((EmailMessage)o, c),
        ["file"] = static (o, c) => { File((File)o, c); CharacterSet(((File)o).NameEnc, "name_enc", c); },
        ["network-traffic"] = static (o, c) => NetworkTraffic((NetworkTraffic)o, c),
        ["process"] = static (o, c) => AtLeastOneProperty(o, c),
        ["windows-registry-key"] = static (o, c) => RegistryKey((WindowsRegistryKey)o, c),
        ["software"] = static (o, c) => Software((Software)o, c),
        ["directory"] = static (o, c) => CharacterSet(((Directory)o).PathEnc, "path_enc", c),
        ["x509-certificate"] = static (o, c) => AtLeastOneProperty(o, c),
        ["marking-definition"] = static (o, c) => MarkingDefinitionRules.Validate((MarkingDefinition)o, c),
        ["language-content"] = static (o, c) => LanguageContent((LanguageContent)o, c),
        ["extension-definition"] = static (o, c) => ExtensionDefinition((ExtensionDefinition)o, c),
    };

    public static Action<StixObject, ValidationContext>? For(string type) => s_rules.GetValueOrDefault(type);

    /// <summary>
    /// Absent from the object: not set, and not kept verbatim either (a value the reader could not take is
    /// kept raw and reported once; rules about presence must not report it again as missing).
    /// </summary>
    private static bool Absent<TValue>(StixObject o, TValue? value, string name) =>
        value is null && !(o.CustomPropertiesOrNull?.ContainsKey(name) ?? false);

    private static void Order(StixTimestamp? first, StixTimestamp? last, string firstName, string lastName, ValidationContext ctx, bool strictlyLater = false)
    {
        if (first is not { } f || last is not { } l)
        {
            return;
        }

        if (l < f || (strictlyLater && l == f))
        {
            ctx.Error("time-order", lastName, $"{lastName} ({l}) must be {(strictlyLater ? "later than" : "later than or equal to")} {firstName} ({f})");
        }
    }

    private static void Indicator(Indicator x, ValidationContext ctx)
    {
        Order(x.ValidFrom, x.ValidUntil, "valid_from", "valid_until", ctx, strictlyLater: true);
        if (x.Pattern is not null && string.Equals(x.PatternType, "stix", StringComparison.Ordinal))
        {
            PatternRules.Check(x.Pattern, ctx);
        }
    }

    private static void Malware(Malware x, ValidationContext ctx)
    {
        Order(x.FirstSeen, x.LastSeen, "first_seen", "last_seen", ctx);
        if (x.IsFamily == true && Absent(x, x.Name, "name"))
        {
            ctx.Error("required-property", string.Empty, "a malware family (is_family: true) must have a name");
        }
    }

    private static void MalwareAnalysis(MalwareAnalysis x, ValidationContext ctx)
    {
        if (Absent(x, x.Result, "result") && Absent(x, x.AnalysisScoRefs, "analysis_sco_refs"))
        {
            ctx.Error("required-one-of", string.Empty, "malware-analysis must have result or analysis_sco_refs (or both)");
        }

        if (x.AnalysisStarted is { } started && x.AnalysisEnded is { } ended && ended < started)
        {
            // No MUST in §4.12 orders these two; an analysis that ends before it starts is still suspect.
            ctx.Warning("time-order", "analysis_ended", $"analysis_ended ({ended}) is earlier than analysis_started ({started})");
        }
    }

    private static void ObservedData(ObservedData x, ValidationContext ctx)
    {
        Order(x.FirstObserved, x.LastObserved, "first_observed", "last_observed", ctx);
        if (x.Objects is not null && x.ObjectRefs is not null)
        {
            ctx.Error("exclusive-properties", "objects", "observed-data must have object_refs or objects, not both");
        }
        else if (Absent(x, x.Objects, "objects") && Absent(x, x.ObjectRefs, "object_refs"))
        {
            ctx.Error("required-one-of", string.Empty, "observed-data must have object_refs (the observed SCOs)");
        }
        else if (x.Objects is not null)
        {
            ctx.Warning("deprecated-property", "objects", "'objects' is deprecated in STIX 2.1; put the SCOs in the bundle and list them in object_refs");
        }

        if (x.ObjectRefs is { Count: > 0 } refs && !refs.Exists(r => r.IsWellFormed && Serialization.StixTypeRegistry.Find(r.TypeSpan) is not { Kind: not StixObjectKind.CyberObservable }))
        {
            ctx.Error("required-one-of", "object_refs", "object_refs must reference at least one SCO (the observed data itself)");
        }
    }

    private static void Location(Location x, ValidationContext ctx)
    {
        if ((x.Latitude is null) != (x.Longitude is null))
        {
            ctx.Error("dependent-property", x.Latitude is null ? "longitude" : "latitude", "latitude and longitude must be given together");
        }

        if (x.Precision is not null && (x.Latitude is null || x.Longitude is null))
        {
            ctx.Error("dependent-property", "precision", "precision requires latitude and longitude");
        }

        if (Absent(x, x.Region, "region") && Absent(x, x.Country, "country") && (Absent(x, x.Latitude, "latitude") || Absent(x, x.Longitude, "longitude")))
        {
            ctx.Error("required-one-of", string.Empty, "a location needs region, country, or latitude and longitude");
        }

        if (x.Country is { } country && !(country.Length == 2 && char.IsAsciiLetterUpper(country[0]) && char.IsAsciiLetterUpper(country[1])))
        {
            ctx.Warning("country-code", "country", $"'{ValueRules.Short(country)}' should be an ISO 3166-1 alpha-2 code such as JP or CN");
        }
    }

    private static void Relationship(Relationship x, ValidationContext ctx)
    {
        Order(x.StartTime, x.StopTime, "start_time", "stop_time", ctx, strictlyLater: true);
    }

    private static void Artifact(Artifact x, ValidationContext ctx)
    {
        if (Absent(x, x.PayloadBin, "payload_bin") && Absent(x, x.Url, "url"))
        {
            ctx.Error("required-one-of", string.Empty, "an artifact needs payload_bin or url");
        }

        if (x.PayloadBin is not null && x.Url is not null)
        {
            ctx.Error("exclusive-properties", "url", "an artifact has payload_bin or url, not both");
        }

        if (x.Url is not null && x.Hashes is null)
        {
            ctx.Error("dependent-property", "url", "an artifact with url must also have hashes");
        }

        if (x.DecryptionKey is not null && x.EncryptionAlgorithm is null)
        {
            ctx.Error("dependent-property", "decryption_key", "decryption_key requires encryption_algorithm");
        }
    }

    private static void Ipv4(string? value, ValidationContext ctx)
    {
        if (value is null)
        {
            return;
        }

        if (!TryAddress(value, AddressFamily.InterNetwork, 32))
        {
            ctx.Error("value-format", "value", $"'{ValueRules.Short(value)}' is not an IPv4 address or CIDR block (e.g. 198.51.100.3 or 198.51.100.0/24)");
        }
    }

    private static void Ipv6(string? value, ValidationContext ctx)
    {
        if (value is null)
        {
            return;
        }

        if (!TryAddress(value, AddressFamily.InterNetworkV6, 128))
        {
            ctx.Error("value-format", "value", $"'{ValueRules.Short(value)}' is not an IPv6 address or CIDR block (e.g. 2001:db8::1 or 2001:db8::/32)");
        }
    }

    private static bool TryAddress(string value, AddressFamily family, int maxPrefix)
    {
        var span = value.AsSpan();
        int slash = span.IndexOf('/');
        if (slash >= 0)
        {
            if (!int.TryParse(span[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int prefix) || prefix > maxPrefix)
            {
                return false;
            }

            span = span[..slash];
        }

        if (family == AddressFamily.InterNetwork)
        {
            // IPAddress.TryParse accepts shorthand such as "1.2"; STIX wants dotted quads.
            int dots = 0;
            foreach (char c in span)
            {
                if (c == '.')
                {
                    dots++;
                }
                else if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }

            if (dots != 3)
            {
                return false;
            }
        }

        return IPAddress.TryParse(span, out var address) && address.AddressFamily == family;
    }

    private static void Mac(string? value, ValidationContext ctx)
    {
        if (value is not null && !MacAddressPattern().IsMatch(value))
        {
            ctx.Error("value-format", "value", $"'{ValueRules.Short(value)}' must be a lower-case, colon-delimited MAC-48 address such as d2:fb:49:24:37:18");
        }
    }

    private static void Domain(string? value, ValidationContext ctx)
    {
        if (value is not null && !DomainPattern().IsMatch(value))
        {
            ctx.Error("value-format", "value", $"'{ValueRules.Short(value)}' is not a domain name (labels of letters, digits and hyphens separated by dots)");
        }
    }

    private static void Email(string? value, ValidationContext ctx)
    {
        if (value is not null && !EmailPattern().IsMatch(value))
        {
            ctx.Error("value-format", "value", $"'{ValueRules.Short(value)}' is not an email address (local@domain, without a display name)");
        }
    }

    private static void UrlValue(string? value, ValidationContext ctx)
    {
        if (value is not null && !ValueRules.IsAbsoluteUrl(value))
        {
            ctx.Error("value-format", "value", $"'{ValueRules.Short(value)}' is not an absolute URL (RFC 3986)");
        }
    }

    private static void EmailMessage(EmailMessage x, ValidationContext ctx)
    {
        if (x.IsMultipart == false && x.BodyMultipart is not null)
        {
            ctx.Error("dependent-property", "body_multipart", "body_multipart is only allowed when is_multipart is true");
        }

        if (x.IsMultipart == true && x.Body is not null)
        {
            ctx.Error("dependent-property", "body", "body is only allowed when is_multipart is false; use body_multipart");
        }

        if (x.BodyMultipart is { ValueKind: not JsonValueKind.Array })
        {
            ctx.Error("property-type", "body_multipart", "must be a list of MIME parts");
        }
    }

    private static void File(File x, ValidationContext ctx)
    {
        if (Absent(x, x.Hashes, "hashes") && Absent(x, x.Name, "name"))
        {
            ctx.Error("required-one-of", string.Empty, "a file needs hashes or name (or both)");
        }
    }

    private static void NetworkTraffic(NetworkTraffic x, ValidationContext ctx)
    {
        if (Absent(x, x.SrcRef, "src_ref") && Absent(x, x.DstRef, "dst_ref"))
        {
            ctx.Error("required-one-of", string.Empty, "network-traffic needs src_ref or dst_ref (or both)");
        }

        Order(x.Start, x.End, "start", "end", ctx);
        if (x.IsActive == true && x.End is not null)
        {
            ctx.Error("exclusive-properties", "end", "end must not be present while is_active is true");
        }

        if (x.Protocols is { } protocols)
        {
            for (int i = 0; i < protocols.Count; i++)
            {
                if (!string.Equals(protocols[i], protocols[i].ToLowerInvariant(), StringComparison.Ordinal))
                {
                    ctx.Warning("protocol-case", "protocols[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", $"protocol names should be lower case ('{protocols[i].ToLowerInvariant()}')");
                }
            }
        }
    }

    private static readonly string[] s_hiveAbbreviations = ["HKLM", "HKCU", "HKCR", "HKU", "HKCC"];

    private static void RegistryKey(WindowsRegistryKey x, ValidationContext ctx)
    {
        if (x.Key is not { } key)
        {
            return;
        }

        foreach (string abbreviation in s_hiveAbbreviations)
        {
            if (key.StartsWith(abbreviation + "\\", StringComparison.OrdinalIgnoreCase) || key.Equals(abbreviation, StringComparison.OrdinalIgnoreCase))
            {
                ctx.Error("value-format", "key", $"the hive must be written in full (e.g. HKEY_LOCAL_MACHINE, not {abbreviation})");
                return;
            }
        }
    }

    private static void Software(Software x, ValidationContext ctx)
    {
        if (x.Languages is not { } languages)
        {
            return;
        }

        for (int i = 0; i < languages.Count; i++)
        {
            if (!LanguageCode().IsMatch(languages[i]))
            {
                ctx.Error("lang-format", "languages[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", $"'{ValueRules.Short(languages[i])}' is not an ISO 639-2 language code (e.g. eng, jpn)");
            }
        }
    }

    private static void CharacterSet(string? value, string property, ValidationContext ctx)
    {
        if (value is not null && !CharsetName().IsMatch(value))
        {
            ctx.Error("value-format", property, $"'{ValueRules.Short(value)}' is not an IANA character set name (e.g. UTF-8, windows-1252)");
        }
    }

    private static void AtLeastOneProperty(StixObject o, ValidationContext ctx)
    {
        var info = Serialization.StixTypeRegistry.For(o);
        int count = (o.CustomPropertiesOrNull?.Count ?? 0) + (o.Extensions?.Count ?? 0);
        foreach (var p in info.Properties)
        {
            if (p.Name is not ("type" or "id" or "spec_version" or "object_marking_refs" or "granular_markings" or "defanged" or "extensions") && p.IsPresent(o))
            {
                count++;
            }
        }

        if (count == 0)
        {
            ctx.Error("required-one-of", string.Empty, $"a {o.Type} must have at least one property besides type and id");
        }
    }

    private static void LanguageContent(LanguageContent x, ValidationContext ctx)
    {
        if (x.Contents is null)
        {
            return;
        }

        var reader = new Utf8JsonReader(x.Contents.Utf8.Span, JsonCopy.DeepReader);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string tag = reader.GetString()!;
            if (!StixNames.IsLanguageTag(tag))
            {
                ctx.Error("lang-format", "contents['" + tag + "']", $"'{ValueRules.Short(tag)}' is not an RFC 5646 language tag");
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                ctx.Error("property-type", "contents['" + tag + "']", "each language must map to an object of translated properties");
            }

            reader.Skip();
        }
    }

    private static void ExtensionDefinition(ExtensionDefinition x, ValidationContext ctx)
    {
        if (x.CreatedByRef is null)
        {
            ctx.Error("required-property", string.Empty, "required property 'created_by_ref' is missing; an extension definition must name its author");
        }

        if (x.ExtensionTypes is { } types && types.Contains("toplevel-property-extension") && x.ExtensionProperties is null)
        {
            ctx.Warning("dependent-property", "extension_properties", "a toplevel-property-extension should list its extension_properties");
        }
    }

    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*\z")]
    private static partial Regex LanguageCode();

    [GeneratedRegex(@"^[a-zA-Z0-9/.+_:-]{2,250}\z")]
    private static partial Regex CharsetName();

    [GeneratedRegex(@"^([0-9a-f]{2}:){5}[0-9a-f]{2}\z")]
    private static partial Regex MacAddressPattern();

    [GeneratedRegex(@"^(?=.{1,253}\.?\z)([\p{L}\p{N}_]([\p{L}\p{N}_-]{0,61}[\p{L}\p{N}_])?\.)*[\p{L}\p{N}_]([\p{L}\p{N}_-]{0,61}[\p{L}\p{N}_])?\.?\z")]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^[^\s<>@]+@[^\s<>@]+\z")]
    private static partial Regex EmailPattern();
}
