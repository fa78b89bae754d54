using System.Globalization;
using System.Text.Json;

namespace ThreatLedger.Extraction;

/// <summary>Precision, recall and F1 for one kind.</summary>
/// <param name="Kind">The kind (or "all").</param>
/// <param name="TruePositives">Found and in the gold labels.</param>
/// <param name="FalsePositives">Found, not in the gold labels.</param>
/// <param name="FalseNegatives">In the gold labels, not found.</param>
public sealed record KindScore(string Kind, int TruePositives, int FalsePositives, int FalseNegatives)
{
    /// <summary>TP / (TP + FP); 1 when nothing was found and nothing was expected.</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? (FalseNegatives == 0 ? 1 : 0) : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN); 1 when nothing was expected.</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>The harmonic mean of precision and recall.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>One miss or false alarm, for looking into.</summary>
/// <param name="Document">The report's file name.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Value">Its value.</param>
/// <param name="Missed">True for a false negative, false for a false positive.</param>
public sealed record EvalError(string Document, string Kind, string Value, bool Missed);

/// <summary>
/// Scores extraction against a labelled corpus: each <c>NN.txt</c> or <c>NN.html</c> beside an
/// <c>NN.gold.json</c> (<c>lang</c>, <c>published</c>, <c>entities</c>: kind and value). Items are
/// compared per document as (kind, value) sets; actors are compared as the store's entities, so an
/// alias in the labels counts as its group. Only <see cref="ScoredKinds"/> are scored, and claims
/// (kind <c>claim</c>, value {type, author, subject, sponsor}) when the corpus labels them.
/// </summary>
public static class Evaluation
{
    /// <summary>The kinds the entity format names with a text value (claims are scored by their fields; malware, tools and campaigns are not labelled).</summary>
    public static IReadOnlySet<string> ScoredKinds { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "threat-actor", "organization", "country", "vulnerability", "product", "attack-type", "ipv4", "ipv6", "domain", "url", "email", "md5", "sha1", "sha256", "sha512", "date",
    };

    /// <summary>Scores every labelled document in <paramref name="directory"/>.</summary>
    public static async Task<(IReadOnlyList<KindScore> Scores, IReadOnlyList<EvalError> Errors, int Documents)> RunAsync(string directory, Gazetteer gazetteer, ActorResolver? resolver, CancellationToken ct = default)
    {
        var counts = new Dictionary<string, (int Tp, int Fp, int Fn)>(StringComparer.Ordinal);
        var errors = new List<EvalError>();
        int documents = 0;
        // Each gold file read once; claims are scored when the corpus labels them (any gold entry of kind claim).
        var golds = new List<(string Path, byte[] Bytes)>();
        foreach (var goldPath in Directory.EnumerateFiles(directory, "*.gold.json").Order(StringComparer.Ordinal))
        {
            golds.Add((goldPath, await File.ReadAllBytesAsync(goldPath, ct).ConfigureAwait(false)));
        }

        bool labelsClaims = golds.Any(g => g.Bytes.AsSpan().IndexOf("\"claim\""u8) >= 0);
        foreach (var (goldPath, goldBytes) in golds)
        {
            string stem = goldPath[..^".gold.json".Length];
            string? docPath = new[] { stem + ".txt", stem + ".html", stem + ".md" }.FirstOrDefault(File.Exists);
            if (docPath is null)
            {
                throw new FileNotFoundException($"{goldPath} has no document beside it (expected {Path.GetFileName(stem)}.txt, .html or .md)");
            }

            using var gold = JsonDocument.Parse(goldBytes);
            var root = gold.RootElement;
            DateOnly? published = root.TryGetProperty("published", out var p) && DateOnly.TryParseExact(p.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
            string? lang = root.TryGetProperty("lang", out var l) ? l.GetString() : null;
            var doc = DocumentReader.Read(await File.ReadAllBytesAsync(docPath, ct).ConfigureAwait(false), docPath);
            var found = await Extractor.ExtractAsync(doc.Text, gazetteer, new ExtractOptions { Lang = lang, Published = published }, resolver, ct).ConfigureAwait(false);

            var expected = new HashSet<(string Kind, string Value)>();
            foreach (var e in root.GetProperty("entities").EnumerateArray())
            {
                string kind = e.GetProperty("kind").GetString()!;
                var v = e.GetProperty("value");
                if (kind == "claim")
                {
                    string? Field(string name) => v.TryGetProperty(name, out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                    expected.Add((kind, await ClaimKeyAsync(Field("type")!, Field("author"), Field("subject"), Field("sponsor"), resolver, ct).ConfigureAwait(false)));
                    continue;
                }

                expected.Add((kind, await KeyAsync(kind, v.GetString()!, resolver, ct).ConfigureAwait(false)));
            }

            var actual = new HashSet<(string Kind, string Value)>();
            foreach (var e in found.Where(e => ScoredKinds.Contains(e.Kind) && e.Value is string))
            {
                actual.Add((e.Kind, e.Kind == "threat-actor" && e.Id is not null ? e.Id : (string)e.Value));
            }

            // Claims only where the labels have them (a labelled document without claims says it has none).
            if (labelsClaims)
            {
                foreach (var c in found.Select(e => e.Value).OfType<ClaimValue>())
                {
                    actual.Add(("claim", await ClaimKeyAsync(c.Type, c.Author, c.Subject, c.Sponsor, resolver, ct).ConfigureAwait(false)));
                }
            }

            string name = Path.GetFileName(docPath);
            foreach (var kind in expected.Select(x => x.Kind).Concat(actual.Select(x => x.Kind)).Distinct())
            {
                var c = counts.GetValueOrDefault(kind);
                foreach (var x in expected.Where(x => x.Kind == kind))
                {
                    if (actual.Contains(x))
                    {
                        c.Tp++;
                    }
                    else
                    {
                        c.Fn++;
                        errors.Add(new EvalError(name, kind, x.Value, Missed: true));
                    }
                }

                foreach (var x in actual.Where(x => x.Kind == kind && !expected.Contains(x)))
                {
                    c.Fp++;
                    errors.Add(new EvalError(name, kind, x.Value, Missed: false));
                }

                counts[kind] = c;
            }

            documents++;
        }

        var scores = counts.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => new KindScore(k.Key, k.Value.Tp, k.Value.Fp, k.Value.Fn)).ToList();
        scores.Add(new KindScore("all", scores.Sum(s => s.TruePositives), scores.Sum(s => s.FalsePositives), scores.Sum(s => s.FalseNegatives)));
        return (scores, errors, documents);
    }

    // A claim is compared by its type, author, subject (as the store's entity) and sponsor; its date, wording and confidence are not scored.
    private static async Task<string> ClaimKeyAsync(string type, string? author, string? subject, string? sponsor, ActorResolver? resolver, CancellationToken ct) =>
        string.Join(" | ", type, author ?? "-", subject is null ? "-" : await KeyAsync("threat-actor", subject, resolver, ct).ConfigureAwait(false), sponsor ?? "-");

    // Actors are compared as the store's entities (an alias in the labels is its group).
    private static async Task<string> KeyAsync(string kind, string value, ActorResolver? resolver, CancellationToken ct) =>
        kind == "threat-actor" && resolver is not null && await resolver.ResolveAsync(value, ct).ConfigureAwait(false) is { } actor ? actor.Id : value;
}
