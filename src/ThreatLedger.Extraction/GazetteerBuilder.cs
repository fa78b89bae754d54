using System.Text.Json;
using ThreatLedger.Storage;

namespace ThreatLedger.Extraction;

/// <summary>Builds the gazetteer from the store (every name and alias of actors, malware, tools, campaigns and identities) and the built-in vocabularies.</summary>
public static class GazetteerBuilder
{
    private static readonly Dictionary<string, string> s_kinds = new(StringComparer.Ordinal)
    {
        ["intrusion-set"] = "threat-actor",
        ["threat-actor"] = "threat-actor",
        ["malware"] = "malware",
        ["tool"] = "tool",
        ["campaign"] = "campaign",
        ["identity"] = "organization",
    };

    /// <summary>The gazetteer for <paramref name="store"/> (null: the built-in vocabularies only), seen through <paramref name="access"/>.</summary>
    public static async Task<Gazetteer> BuildAsync(IStixStore? store, AccessFilter? access = null, CancellationToken ct = default)
    {
        var g = new Gazetteer();
        foreach (var (code, names) in Lexicon.Countries)
        {
            foreach (var n in names)
            {
                g.Add(new GazetteerEntry("country", code, n, null, $"country name '{n}' (built-in)"));
            }
        }

        foreach (var (code, words) in Lexicon.CountryWords)
        {
            foreach (var w in words)
            {
                g.Add(new GazetteerEntry("country", code, w, null, $"country word '{w}' (built-in)", CaseSensitive: true));
            }
        }

        foreach (var (product, names) in Lexicon.Products)
        {
            foreach (var n in names)
            {
                g.Add(new GazetteerEntry("product", product, n, null, $"product name '{n}' (built-in)"));
            }
        }

        foreach (var (term, names) in Lexicon.AttackTypes)
        {
            foreach (var n in names)
            {
                g.Add(new GazetteerEntry("attack-type", term, n, null, $"attack type '{n}' (built-in)"));
            }
        }

        if (store is null)
        {
            return g;
        }

        string? next = null;
        do
        {
            var page = await store.QueryAsync(new ObjectQuery { Types = [.. s_kinds.Keys], Limit = 1000, Next = next, Access = access }, ct).ConfigureAwait(false);
            foreach (var o in page.Items)
            {
                using var doc = JsonDocument.Parse(o.Json);
                var root = doc.RootElement;
                if (!root.TryGetProperty("name", out var nameElement) || nameElement.GetString() is not { Length: > 0 } name)
                {
                    continue;
                }

                // Identities of individuals and generic sectors are not what reports name; state organs are organisations.
                string kind = s_kinds[o.Type];
                if (o.Type == "identity" && root.TryGetProperty("identity_class", out var cls) && cls.GetString() is "individual" or "system" or "unknown")
                {
                    continue;
                }

                if (o.Type == "threat-actor" && root.TryGetProperty("threat_actor_types", out var tat) && tat.EnumerateArray().Any(t => t.GetString() == "nation-state")
                    && !name.StartsWith("State of", StringComparison.Ordinal) && !name.Contains("(organ not named)", StringComparison.Ordinal) && !name.Contains("(no state organ named)", StringComparison.Ordinal) && !name.Contains("(unit not named)", StringComparison.Ordinal))
                {
                    kind = "organization";
                }
                else if (o.Type == "threat-actor" && name.Contains('(', StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var alias in Names(root).Prepend(name).Distinct(StringComparer.Ordinal))
                {
                    if (MatchText.Key(alias).Length < 2 && !(kind == "organization" && alias.Length == 1 && alias[0] > 0x3000))
                    {
                        continue;
                    }

                    // A short single word that is also an English word (Tick, Turla is not) must match its case.
                    bool caseSensitive = alias.Length <= 5 && alias.All(char.IsAsciiLetter);
                    g.Add(new GazetteerEntry(kind, name, alias, o.Id, alias == name ? $"name of {o.Type} {name}" : $"alias '{alias}' of {o.Type} {name}", caseSensitive));
                }
            }

            next = page.Next;
        }
        while (next is not null);

        return g;
    }

    private static IEnumerable<string> Names(JsonElement root)
    {
        foreach (var property in new[] { "aliases", "x_mitre_aliases", "x_threatledger_aliases" })
        {
            if (root.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var a in list.EnumerateArray())
                {
                    if (a.ValueKind == JsonValueKind.String && a.GetString() is { Length: > 0 } s)
                    {
                        yield return s;
                    }
                }
            }
        }
    }
}
