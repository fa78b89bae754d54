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
        var possessives = new List<(string Name, string Id, string Type)>();
        var organisationForms = new HashSet<string>(StringComparer.Ordinal);
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

                if (kind == "organization")
                {
                    possessives.Add((name, o.Id, o.Type));
                }

                foreach (var alias in Names(root).Prepend(name).Distinct(StringComparer.Ordinal))
                {
                    if (kind == "organization")
                    {
                        organisationForms.Add(alias);
                    }

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

        // Possessive forms, except where the country's name is itself an organisation's form ("China" for its government):
        // "China's Ministry of State Security" as one name would hide that mention of the government.
        foreach (var (name, id, type) in possessives)
        {
            foreach (var (alias, country) in Possessives(name))
            {
                if (!organisationForms.Contains(country))
                {
                    g.Add(new GazetteerEntry("organization", name, alias, id, $"'{alias}': possessive form of {type} {name}"));
                }
            }
        }

        return g;
    }

    // "National Police Agency of Japan" is also written "Japan's National Police Agency": for an organisation named
    // "<organ> of <country>", the organ after the country's English name in the possessive. The organ has at least two
    // words (not "Government of Japan" → "Japan's Government", which names the country as much as its government).
    internal static IEnumerable<(string Alias, string Country)> Possessives(string name)
    {
        for (int at = name.IndexOf(" of ", StringComparison.Ordinal); at > 0; at = name.IndexOf(" of ", at + 1, StringComparison.Ordinal))
        {
            string organ = name[..at], country = name[(at + 4)..];
            country = country.StartsWith("the ", StringComparison.Ordinal) ? country[4..] : country;
            if (!organ.Contains(' ', StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (_, names) in Lexicon.Countries)
            {
                if (!names.Contains(country, StringComparer.Ordinal))
                {
                    continue;
                }

                // English names only, and none that ends in s or a full stop ("the U.S.'s" is not how anyone writes it).
                foreach (var n in names)
                {
                    if (System.Text.Ascii.IsValid(n) && n.Length > 2 && n[^1] is not ('s' or '.'))
                    {
                        yield return (n + "'s " + organ, n);
                        yield return (n + "\u2019s " + organ, n);
                    }
                }

                yield break;
            }
        }
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
