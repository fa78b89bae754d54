using System.Text.Json;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix.Serialization;

/// <summary>Reads members of a nested object, keeping undefined ones verbatim.</summary>
internal static class NestedReader
{
    /// <summary>Reads one member; returns false for a name it does not define (kept verbatim instead).</summary>
    public delegate bool MemberReader(ref Utf8JsonReader reader, string name, string path);

    public static void ReadMembers(ref Utf8JsonReader reader, ValidationContext ctx, string path, StixDictionary custom, MemberReader member)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            reader.Read();
            string memberPath = Validation.JsonPathNames.Child(path, name);
            if (!member(ref reader, name, memberPath))
            {
                custom.Add(new(name, JsonRaw.Read(ref reader, ctx.Source)));
            }
        }
    }

    public static string? String(ref Utf8JsonReader reader, ValidationContext ctx, string path)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            ctx.AddAt(StixSeverity.Error, "property-type", path, $"must be a string, not {StixProperty.Describe(reader.TokenType)}", reader.TokenStartIndex);
            reader.Skip();
            return null;
        }

        return reader.GetString();
    }

    public static Utf8Text Text(ref Utf8JsonReader reader, ValidationContext ctx, string path)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            ctx.AddAt(StixSeverity.Error, "property-type", path, $"must be a string, not {StixProperty.Describe(reader.TokenType)}", reader.TokenStartIndex);
            reader.Skip();
            return default;
        }

        var text = Utf8Text.FromToken(ref reader, ctx.Source);
        if (!text.CanDecode)
        {
            ctx.AddAt(StixSeverity.Error, "invalid-text", path, "is not valid Unicode text (a lone surrogate escape such as \\uD800); STIX requires I-JSON (RFC 7493)", reader.TokenStartIndex);
            return default;
        }

        return text;
    }

    public static void WriteCustom(Utf8JsonWriter writer, StixDictionary? custom)
    {
        if (custom is null)
        {
            return;
        }

        foreach (var kv in custom)
        {
            writer.WritePropertyName(kv.Key);
            kv.Value.WriteTo(writer);
        }
    }
}

internal sealed class KillChainPhasesProperty<T>(string name, Func<T, List<KillChainPhase>?> get, Action<T, List<KillChainPhase>?> set)
    : StixProperty(name)
    where T : StixObject
{
    private static readonly JsonEncodedText s_killChainName = JsonEncodedText.Encode("kill_chain_name");
    private static readonly JsonEncodedText s_phaseName = JsonEncodedText.Encode("phase_name");

    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            TypeError(ref reader, ctx, Name, "a list of kill chain phases");
            return;
        }

        var list = new List<KillChainPhase>();
        int i = 0;
        int before = ctx.FindingCount;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string path = ItemPath(i++);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                TypeError(ref reader, ctx, path, "an object with kill_chain_name and phase_name");
                continue;
            }

            var phase = new KillChainPhase();
            NestedReader.ReadMembers(ref reader, ctx, path, phase.CustomProperties, (ref Utf8JsonReader r, string n, string p) =>
            {
                switch (n)
                {
                    case "kill_chain_name":
                        phase.KillChainName = NestedReader.String(ref r, ctx, p);
                        return true;
                    case "phase_name":
                        phase.PhaseName = NestedReader.String(ref r, ctx, p);
                        return true;
                    default:
                        return false;
                }
            });
            list.Add(phase);
        }

        if (ctx.FindingCount == before)
        {
            set((T)target, list);
        }
    }

    public override bool IsPresent(StixObject target) => get((T)target) is not null;

    public override void Write(Utf8JsonWriter writer, StixObject target)
    {
        writer.WriteStartArray(EncodedName);
        foreach (var phase in get((T)target)!)
        {
            writer.WriteStartObject();
            if (phase.KillChainName is not null)
            {
                writer.WriteString(s_killChainName, phase.KillChainName);
            }

            if (phase.PhaseName is not null)
            {
                writer.WriteString(s_phaseName, phase.PhaseName);
            }

            NestedReader.WriteCustom(writer, phase.CustomPropertiesOrNull);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public override void Validate(StixObject target, ValidationContext ctx)
    {
        var list = get((T)target)!;
        CheckNotEmpty(list.Count, ctx);
        for (int i = 0; i < list.Count; i++)
        {
            var phase = list[i];
            string path = ItemPath(i);
            if (phase.KillChainName is null)
            {
                ctx.Error("required-property", path, "kill chain phase is missing the required property 'kill_chain_name'");
            }
            else if (!ValueRules.IsLowerHyphenated(phase.KillChainName))
            {
                ctx.Warning("kill-chain-format", path + ".kill_chain_name", $"'{phase.KillChainName}' should be lower case with hyphens instead of spaces or underscores");
            }

            if (phase.PhaseName is null)
            {
                ctx.Error("required-property", path, "kill chain phase is missing the required property 'phase_name'");
            }
            else if (!ValueRules.IsLowerHyphenated(phase.PhaseName))
            {
                ctx.Warning("kill-chain-format", path + ".phase_name", $"'{phase.PhaseName}' should be lower case with hyphens instead of spaces or underscores");
            }
        }
    }
}

internal sealed class HashesProperty<T>(string name, Func<T, StixHashes?> get, Action<T, StixHashes?> set)
    : StixProperty(name)
    where T : StixObject
{
    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx) =>
        set((T)target, HashesCodec.Read(ref reader, ctx, Name));

    public override bool IsPresent(StixObject target) => get((T)target) is not null;

    public override void Write(Utf8JsonWriter writer, StixObject target) => HashesCodec.Write(writer, EncodedName, get((T)target)!);

    public override void Validate(StixObject target, ValidationContext ctx) => ValueRules.CheckHashes(get((T)target)!, Name, ctx);
}

internal static class HashesCodec
{
    public static StixHashes? Read(ref Utf8JsonReader reader, ValidationContext ctx, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ctx.AddAt(StixSeverity.Error, "property-type", path, $"must be an object mapping hash algorithm to value, not {StixProperty.Describe(reader.TokenType)}", reader.TokenStartIndex);
            reader.Skip();
            return null;
        }

        var hashes = new StixHashes();
        int before = ctx.FindingCount;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            reader.Read();
            string keyPath = Validation.JsonPathNames.Child(path, key);
            if (hashes.Get(key) is not null)
            {
                ctx.AddAt(StixSeverity.Error, "duplicate-key", keyPath, $"hash algorithm '{Validation.ValueRules.Short(key)}' appears more than once; keep one", reader.TokenStartIndex);
            }

            string? value = NestedReader.String(ref reader, ctx, keyPath);
            if (value is not null)
            {
                hashes.Add(new(key, value));
            }
        }

        return ctx.FindingCount > before ? null : hashes;
    }

    public static void Write(Utf8JsonWriter writer, JsonEncodedText name, StixHashes hashes)
    {
        writer.WriteStartObject(name);
        foreach (var kv in hashes)
        {
            writer.WriteString(kv.Key, kv.Value);
        }

        writer.WriteEndObject();
    }
}

internal sealed class ExternalReferencesProperty<T>() : StixProperty("external_references")
    where T : StixCommonObject
{
    private static readonly JsonEncodedText s_sourceName = JsonEncodedText.Encode("source_name");
    private static readonly JsonEncodedText s_description = JsonEncodedText.Encode("description");
    private static readonly JsonEncodedText s_url = JsonEncodedText.Encode("url");
    private static readonly JsonEncodedText s_hashes = JsonEncodedText.Encode("hashes");
    private static readonly JsonEncodedText s_externalId = JsonEncodedText.Encode("external_id");

    public override bool Check(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            TypeError(ref reader, ctx, Name, "a list of external references");
            return false;
        }

        long listStart = reader.TokenStartIndex;
        int i = 0;
        bool ok = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var path = new LazyPath(Name, i++);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                TypeError(ref reader, ctx, path.ToString(), "an object with source_name");
                ok = false;
                continue;
            }

            ok &= CheckOne(ref reader, path, ctx);
        }

        if (ok && i == 0)
        {
            ctx.AddAt(StixSeverity.Error, "empty-list", Name, "list must contain at least one value (omit the property instead)", listStart);
        }

        return ok;
    }

    /// <summary>One external reference, on its bytes (§2.5): source_name, some content, URL and id formats.</summary>
    private static bool CheckOne(ref Utf8JsonReader reader, LazyPath path, ValidationContext ctx)
    {
        long start = reader.TokenStartIndex;
        bool ok = true;
        bool hasSource = false, hasContent = false, isCve = false, isCapec = false;
        string? externalId = null;
        long externalIdAt = -1;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("source_name"u8))
            {
                reader.Read();
                if (ok &= ByteChecks.IsString(ref reader, ctx, path.Member("source_name")))
                {
                    hasSource = true;
                    isCve = reader.ValueTextEquals("cve"u8);
                    isCapec = reader.ValueTextEquals("capec"u8);
                }
            }
            else if (reader.ValueTextEquals("url"u8))
            {
                reader.Read();
                if (ok &= ByteChecks.IsString(ref reader, ctx, path.Member("url")))
                {
                    hasContent = true;
                    if (reader.ValueIsEscaped ? !ValueRules.IsAbsoluteUrl(reader.GetString()!) : !ValueRules.IsAbsoluteUrl(reader.ValueSpan))
                    {
                        ctx.AddAt(StixSeverity.Error, "url-format", path.Member("url").ToString(), $"'{ValueRules.Short(reader.GetString()!)}' is not an absolute URL (RFC 3986)", reader.TokenStartIndex);
                    }
                }
            }
            else if (reader.ValueTextEquals("external_id"u8))
            {
                reader.Read();
                if (ok &= ByteChecks.IsString(ref reader, ctx, path.Member("external_id")))
                {
                    hasContent = true;
                    externalIdAt = reader.TokenStartIndex;
                }
            }
            else if (reader.ValueTextEquals("description"u8))
            {
                reader.Read();
                if (ok &= ByteChecks.IsString(ref reader, ctx, path.Member("description")))
                {
                    hasContent = true;
                }
            }
            else if (reader.ValueTextEquals("hashes"u8))
            {
                reader.Read();
                int before = ctx.FindingCount;
                var hashes = HashesCodec.Read(ref reader, ctx, path.Member("hashes").ToString());
                if (hashes is null || ctx.FindingCount > before)
                {
                    ok = false;
                }
                else
                {
                    ValueRules.CheckHashes(hashes, path.Member("hashes").ToString(), ctx);
                }
            }
            else
            {
                reader.Read();
                long at = reader.TokenStartIndex;
                reader.Skip();
                if (!SafeText.CanDecode(ctx.Source.Span[(int)at..(int)reader.BytesConsumed]))
                {
                    ctx.AddAt(StixSeverity.Error, "invalid-text", path.ToString(), "holds text that is not valid Unicode (a lone surrogate escape such as \\uD800); STIX requires I-JSON (RFC 7493)", at);
                    ok = false;
                }
            }
        }

        if (!ok)
        {
            return false;
        }

        if (!hasSource)
        {
            ctx.AddAt(StixSeverity.Error, "required-property", path.ToString(), "external reference is missing the required property 'source_name'", start);
        }

        if (!hasContent)
        {
            ctx.AddAt(StixSeverity.Error, "external-reference-content", path.ToString(), "external reference must have at least one of description, url or external_id", start);
        }

        if ((isCve || isCapec) && externalIdAt >= 0)
        {
            // Only cve and capec references have an id format; decode the id for those alone.
            var idReader = new Utf8JsonReader(ctx.Source.Span[(int)externalIdAt..], JsonCopy.DeepReader);
            idReader.Read();
            externalId = idReader.ValueSpan.Length <= 64 ? idReader.GetString() : string.Empty;
        }

        if (isCve && (externalId is null || !ValueRules.IsCveId(externalId)))
        {
            ctx.AddAt(StixSeverity.Error, "external-id-format", path.Member("external_id").ToString(), "a 'cve' reference must have external_id of the form CVE-YYYY-NNNN (e.g. CVE-2021-26855)", externalIdAt >= 0 ? externalIdAt : start);
        }
        else if (isCapec && (externalId is null || !ValueRules.IsCapecId(externalId)))
        {
            ctx.AddAt(StixSeverity.Error, "external-id-format", path.Member("external_id").ToString(), "a 'capec' reference must have external_id of the form CAPEC-N (e.g. CAPEC-66)", externalIdAt >= 0 ? externalIdAt : start);
        }

        return true;
    }

    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            TypeError(ref reader, ctx, Name, "a list of external references");
            return;
        }

        var list = new List<ExternalReference>();
        int i = 0;
        int before = ctx.FindingCount;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string path = ItemPath(i++);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                TypeError(ref reader, ctx, path, "an object with source_name");
                continue;
            }

            var er = new ExternalReference();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.ValueTextEquals("source_name"u8))
                {
                    reader.Read();
                    er.SourceNameUtf8 = NestedReader.Text(ref reader, ctx, path + ".source_name");
                }
                else if (reader.ValueTextEquals("url"u8))
                {
                    reader.Read();
                    er.UrlUtf8 = NestedReader.Text(ref reader, ctx, path + ".url");
                }
                else if (reader.ValueTextEquals("external_id"u8))
                {
                    reader.Read();
                    er.ExternalIdUtf8 = NestedReader.Text(ref reader, ctx, path + ".external_id");
                }
                else if (reader.ValueTextEquals("description"u8))
                {
                    reader.Read();
                    er.DescriptionUtf8 = NestedReader.Text(ref reader, ctx, path + ".description");
                }
                else if (reader.ValueTextEquals("hashes"u8))
                {
                    reader.Read();
                    er.Hashes = HashesCodec.Read(ref reader, ctx, path + ".hashes");
                }
                else
                {
                    string name = reader.GetString()!;
                    reader.Read();
                    er.CustomProperties.Add(new(name, JsonRaw.Read(ref reader, ctx.Source)));
                }
            }

            list.Add(er);
        }

        if (ctx.FindingCount == before)
        {
            ((T)target).ExternalReferences = list;
        }
    }

    public override bool IsPresent(StixObject target) => ((T)target).ExternalReferences is not null;

    public override void Write(Utf8JsonWriter writer, StixObject target)
    {
        writer.WriteStartArray(EncodedName);
        foreach (var er in ((T)target).ExternalReferences!)
        {
            writer.WriteStartObject();
            if (er.SourceNameUtf8.HasValue)
            {
                er.SourceNameUtf8.Write(writer, s_sourceName);
            }

            if (er.DescriptionUtf8.HasValue)
            {
                er.DescriptionUtf8.Write(writer, s_description);
            }

            if (er.UrlUtf8.HasValue)
            {
                er.UrlUtf8.Write(writer, s_url);
            }

            if (er.Hashes is not null)
            {
                HashesCodec.Write(writer, s_hashes, er.Hashes);
            }

            if (er.ExternalIdUtf8.HasValue)
            {
                er.ExternalIdUtf8.Write(writer, s_externalId);
            }

            NestedReader.WriteCustom(writer, er.CustomPropertiesOrNull);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}

internal sealed class GranularMarkingsProperty<T>() : StixProperty("granular_markings")
    where T : StixObject
{
    public override bool ValidatesWithObject => true;

    private static readonly JsonEncodedText s_lang = JsonEncodedText.Encode("lang");
    private static readonly JsonEncodedText s_markingRef = JsonEncodedText.Encode("marking_ref");
    private static readonly JsonEncodedText s_selectors = JsonEncodedText.Encode("selectors");

    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            TypeError(ref reader, ctx, Name, "a list of granular markings");
            return;
        }

        var list = new List<GranularMarking>();
        int i = 0;
        int before = ctx.FindingCount;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string path = ItemPath(i++);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                TypeError(ref reader, ctx, path, "an object with selectors and marking_ref or lang");
                continue;
            }

            var gm = new GranularMarking();
            NestedReader.ReadMembers(ref reader, ctx, path, gm.CustomProperties, (ref Utf8JsonReader r, string n, string p) =>
            {
                switch (n)
                {
                    case "lang":
                        gm.Lang = NestedReader.String(ref r, ctx, p);
                        return true;
                    case "marking_ref":
                        string? s = NestedReader.String(ref r, ctx, p);
                        gm.MarkingRef = s is null ? null : StixId.FromText(s);
                        return true;
                    case "selectors":
                        if (r.TokenType != JsonTokenType.StartArray)
                        {
                            ctx.AddAt(StixSeverity.Error, "property-type", p, "must be a list of selector strings", r.TokenStartIndex);
                            r.Skip();
                            return true;
                        }

                        gm.Selectors = [];
                        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                        {
                            string? sel = NestedReader.String(ref r, ctx, p);
                            if (sel is not null)
                            {
                                gm.Selectors.Add(sel);
                            }
                        }

                        return true;
                    default:
                        return false;
                }
            });
            list.Add(gm);
        }

        if (ctx.FindingCount == before)
        {
            target.GranularMarkings = list;
        }
    }

    public override bool IsPresent(StixObject target) => target.GranularMarkings is not null;

    public override void Write(Utf8JsonWriter writer, StixObject target)
    {
        writer.WriteStartArray(EncodedName);
        foreach (var gm in target.GranularMarkings!)
        {
            writer.WriteStartObject();
            if (gm.Lang is not null)
            {
                writer.WriteString(s_lang, gm.Lang);
            }

            if (gm.MarkingRef is { } mr)
            {
                writer.WriteString(s_markingRef, mr.Value);
            }

            if (gm.Selectors is not null)
            {
                writer.WriteStartArray(s_selectors);
                foreach (var s in gm.Selectors)
                {
                    writer.WriteStringValue(s);
                }

                writer.WriteEndArray();
            }

            NestedReader.WriteCustom(writer, gm.CustomPropertiesOrNull);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public override void Validate(StixObject target, ValidationContext ctx)
    {
        var list = target.GranularMarkings!;
        CheckNotEmpty(list.Count, ctx);
        for (int i = 0; i < list.Count; i++)
        {
            ValueRules.CheckGranularMarking(target, list[i], ItemPath(i), ctx);
        }
    }
}

internal sealed class ExtensionsProperty<T>() : StixProperty("extensions")
    where T : StixObject
{
    public override bool ValidatesWithObject => true;

    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            TypeError(ref reader, ctx, Name, "an object mapping extension names to extension content");
            return;
        }

        var dict = new StixDictionary();
        int before = ctx.FindingCount;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                TypeError(ref reader, ctx, Name + "['" + key + "']", "an object");
                continue;
            }

            if (dict.ContainsKey(key))
            {
                ctx.AddAt(StixSeverity.Error, "duplicate-key", Name + "['" + key + "']", $"extension '{Validation.ValueRules.Short(key)}' appears more than once; keep one", reader.TokenStartIndex);
            }

            dict.Add(new(key, JsonRaw.Read(ref reader, ctx.Source)));
        }

        if (ctx.FindingCount == before)
        {
            target.Extensions = dict;
        }
    }

    public override bool IsPresent(StixObject target) => target.Extensions is not null;

    public override void Write(Utf8JsonWriter writer, StixObject target)
    {
        writer.WriteStartObject(EncodedName);
        NestedReader.WriteCustom(writer, target.Extensions!);
        writer.WriteEndObject();
    }

    public override void Validate(StixObject target, ValidationContext ctx) => ValueRules.CheckExtensions(target, ctx);
}

internal sealed class ObjectMarkingRefsProperty<T>() : StixProperty("object_marking_refs")
    where T : StixObject
{
    private static readonly RefTarget s_target = new(RefKinds.None, "marking-definition");
    private readonly RefListProperty<T> _inner = new("object_marking_refs", static o => o.ObjectMarkingRefs, static (o, v) => o.ObjectMarkingRefs = v, s_target);

    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx) => _inner.Read(ref reader, target, ctx);

    public override bool IsPresent(StixObject target) => target.ObjectMarkingRefs is not null;

    public override void Write(Utf8JsonWriter writer, StixObject target) => _inner.Write(writer, target);

    public override bool Check(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx) => _inner.Check(ref reader, target, ctx);
}
