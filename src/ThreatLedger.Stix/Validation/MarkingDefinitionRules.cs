using System.Text.Json;

namespace ThreatLedger.Stix.Validation;

/// <summary>Marking definitions (§7.2): TLP 1.0 and statement definitions, TLP 2.0 through its extension.</summary>
public static class MarkingDefinitionRules
{
    /// <summary>The id of the TLP 2.0 extension definition (OASIS stix-common-objects).</summary>
    public const string Tlp2ExtensionId = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

    /// <summary>The canonical TLP 1.0 marking definitions of STIX 2.1 §7.2.1.4, by colour.</summary>
    public static IReadOnlyDictionary<string, string> Tlp1Ids { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["white"] = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        ["green"] = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        ["amber"] = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        ["red"] = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
    };

    /// <summary>The canonical TLP 2.0 marking definitions (OASIS stix-common-objects), by level.</summary>
    public static IReadOnlyDictionary<string, string> Tlp2Ids { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["clear"] = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        ["green"] = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        ["amber"] = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        ["amber+strict"] = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        ["red"] = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    };

    internal static void Validate(MarkingDefinition x, ValidationContext ctx)
    {
        bool hasExtensions = x.Extensions is { Count: > 0 };
        if (!hasExtensions)
        {
            if (x.DefinitionType is null)
            {
                ctx.Error("required-property", string.Empty, "required property 'definition_type' is missing (tlp or statement), or give the marking through an extension");
            }

            if (x.Definition is null)
            {
                ctx.Error("required-property", string.Empty, "required property 'definition' is missing, or give the marking through an extension");
            }
        }

        if (x.DefinitionType is not null && x.Definition is not null)
        {
            CheckDefinition(x, ctx);
        }

        if (x.Extensions is not null && x.Extensions.TryGetValue(Tlp2ExtensionId, out var tlp2))
        {
            CheckTlp2(x, tlp2, ctx);
        }
    }

    private static void CheckDefinition(MarkingDefinition x, ValidationContext ctx)
    {
        using var doc = JsonDocument.Parse(x.Definition!.Utf8, JsonCopy.DeepDocument);
        var def = doc.RootElement;
        switch (x.DefinitionType)
        {
            case "tlp":
                if (!def.TryGetProperty("tlp", out var tlp) || tlp.ValueKind != JsonValueKind.String || !Tlp1Ids.ContainsKey(tlp.GetString()!))
                {
                    ctx.Error("marking-tlp", "definition", "a tlp definition must be {\"tlp\": \"white\" | \"green\" | \"amber\" | \"red\"}");
                    return;
                }

                string colour = tlp.GetString()!;
                foreach (var (c, id) in Tlp1Ids)
                {
                    if (string.Equals(id, x.Id.Value, StringComparison.Ordinal) && !string.Equals(c, colour, StringComparison.Ordinal))
                    {
                        ctx.Error("marking-tlp-id", "definition.tlp", $"{x.Id} is the canonical TLP:{c.ToUpperInvariant()} marking but says '{colour}'");
                    }
                }

                // §7.2.1.4: only the four predefined TLP marking definitions may exist.
                if (!Tlp1Ids.Values.Contains(x.Id.Value))
                {
                    ctx.Error("marking-tlp-id", "id", $"TLP:{colour.ToUpperInvariant()} should use the canonical id {Tlp1Ids[colour]}; other TLP 1.0 marking definitions must not be created");
                }

                break;
            case "statement":
                if (!def.TryGetProperty("statement", out var statement) || statement.ValueKind != JsonValueKind.String)
                {
                    ctx.Error("marking-statement", "definition", "a statement definition must be {\"statement\": \"...\"}");
                }

                break;
            default:
                ctx.Warning("marking-definition-type", "definition_type", $"'{ValueRules.Short(x.DefinitionType!)}' is neither tlp nor statement; consumers may not understand it");
                break;
        }
    }

    private static void CheckTlp2(MarkingDefinition x, JsonRaw ext, ValidationContext ctx)
    {
        using var doc = JsonDocument.Parse(ext.Utf8, JsonCopy.DeepDocument);
        string path = "extensions['" + Tlp2ExtensionId + "'].tlp_2_0";
        if (!doc.RootElement.TryGetProperty("tlp_2_0", out var level) || level.ValueKind != JsonValueKind.String || !Tlp2Ids.ContainsKey(level.GetString()!))
        {
            ctx.Error("marking-tlp2", path, "the TLP 2.0 extension needs tlp_2_0: clear, green, amber, amber+strict or red");
            return;
        }

        string value = level.GetString()!;
        foreach (var (l, id) in Tlp2Ids)
        {
            if (string.Equals(id, x.Id.Value, StringComparison.Ordinal) && !string.Equals(l, value, StringComparison.Ordinal))
            {
                ctx.Error("marking-tlp-id", path, $"{x.Id} is the canonical TLP:{l.ToUpperInvariant()} marking but says '{value}'");
            }
        }
    }
}
