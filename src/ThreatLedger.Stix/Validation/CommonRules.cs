using System.Collections.Frozen;
using ThreatLedger.Stix.Serialization;

namespace ThreatLedger.Stix.Validation;

/// <summary>Rules every object follows, whatever its type.</summary>
internal static class CommonRules
{
    private static readonly FrozenSet<string> s_reserved = new[] { "severity", "action", "username", "phone_numbers" }.ToFrozenSet(StringComparer.Ordinal);

    public static void Validate(StixObject obj, StixTypeInfo info, ValidationContext ctx)
    {
        if (obj.SpecVersion is { } version && !string.Equals(version, "2.1", StringComparison.Ordinal))
        {
            ctx.Error("spec-version", "spec_version", $"'{ValueRules.Short(version)}' is not supported; STIX 2.1 objects must say \"2.1\"");
        }

        if (obj is StixCommonObject common && common.Created is { } created && common.Modified is { } modified && modified < created)
        {
            ctx.Error("modified-before-created", "modified", $"modified ({modified}) must not be earlier than created ({created})");
        }

        if (obj.CustomPropertiesOrNull is { } custom)
        {
            foreach (var (name, value) in custom)
            {
                // A defined property kept raw because its value was unusable has been reported already.
                if (info.Find(name) is null)
                {
                    CheckCustomProperty(obj, name, value, ctx);
                }
            }
        }

        if (obj.Id.IsWellFormed)
        {
            CheckUuidVersion(obj, info, ctx);
        }
    }

    private static void CheckCustomProperty(StixObject obj, string name, JsonRaw value, ValidationContext ctx)
    {
        string path = JsonPathNames.Member(name);
        if (s_reserved.Contains(name))
        {
            ctx.Error("reserved-property", path, $"'{name}' is reserved by STIX 2.1 and must not be used");
            return;
        }

        if (obj is MarkingDefinition && name is "modified" or "revoked")
        {
            ctx.Warning("marking-versioned", path, "marking definitions are not versioned in STIX 2.1; consider removing '" + name + "'");
            return;
        }

        if (!StixNames.IsValidPropertyName(name))
        {
            ctx.Error("custom-property-name", path, $"custom property name '{ValueRules.Short(name)}' must be 3–250 characters of a–z, 0–9 and '_', starting with a letter");
            return;
        }

        if (value.ValueKind == System.Text.Json.JsonValueKind.Array && value.Utf8.Length <= 2 + CountWhitespace(value.Utf8.Span))
        {
            ctx.Error("empty-list", path, "a list must contain at least one value (omit the property instead)");
        }

        if (name.EndsWith("_bin", StringComparison.Ordinal) && (value.GetString() is not { } b || !ValueRules.IsBase64(b)))
        {
            ctx.Error("binary-format", path, "a property whose name ends in _bin must hold base64-encoded binary data");
        }
        else if (name.EndsWith("_hex", StringComparison.Ordinal) && (value.GetString() is not { } h || !ValueRules.IsHex(h)))
        {
            ctx.Error("hex-format", path, "a property whose name ends in _hex must hold hexadecimal data");
        }
    }

    private static int CountWhitespace(ReadOnlySpan<byte> utf8)
    {
        int n = 0;
        foreach (byte b in utf8)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                n++;
            }
        }

        return n;
    }

    private static void CheckUuidVersion(StixObject obj, StixTypeInfo info, ValidationContext ctx)
    {
        var uuid = obj.Id.Value.AsSpan(obj.Id.Value.Length - 36);
        int version = StixNames.UuidVersion(uuid);
        if (info.Kind == StixObjectKind.CyberObservable)
        {
            if (version is not (4 or 5))
            {
                ctx.Warning("uuid-version", "id", "SCO ids should use a version 5 UUID (or version 4 when no contributing properties are present)");
            }
            else if (version == 5)
            {
                DeterministicIds.Check(obj, ctx);
            }
        }
        else if (info.Kind != StixObjectKind.Unknown && version != 4)
        {
            ctx.Warning("uuid-version", "id", $"ids of {obj.Type} objects should use a version 4 (random) UUID, not version {version}");
        }
    }
}
