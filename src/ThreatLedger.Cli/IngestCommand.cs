using System.Globalization;
using System.Text.Json;
using ThreatLedger.Extraction;

namespace ThreatLedger.Cli;

/// <summary>
/// <c>threatledger ingest FILE|URL|- [--lang ja|en|auto] [--published YYYY-MM-DD] [--format entities|stix] [--db DB]</c>:
/// what a report says, linked to what the store knows, with the text behind every item (issue 5, first slice).
/// </summary>
internal static class IngestCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json", "--no-store"], ["--db", "--lang", "--published", "--format"]);
        if (o.Positional.Count != 1)
        {
            throw new UsageException("ingest needs one FILE, URL or - (standard input)");
        }

        string source = o.Positional[0];
        DateOnly? published = null;
        if (o.Get("--published") is { } p)
        {
            published = DateOnly.TryParseExact(p, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d
                : throw new UsageException($"--published needs a date such as 2021-07-21, not '{p}'");
        }

        string? format = o.Get("--format");
        if (format is not (null or "entities" or "stix"))
        {
            throw new UsageException($"--format is 'entities' (a JSON array of what was found) or 'stix' (the draft as a STIX bundle), not '{format}'");
        }

        byte[] bytes;
        try
        {
            bytes = Download.IsUrl(source) ? ReadUrl(source) : InputFile.ReadAllBytes(source);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            stderr.WriteLine($"threatledger: cannot read {source}: {ex.Message}");
            return CommandLine.Usage;
        }

        var doc = DocumentReader.Read(bytes, Download.IsUrl(source) ? new Uri(source).AbsolutePath : source);
        string lang = o.Get("--lang") is { } l && l != "auto"
            ? (l is "ja" or "en" ? l : throw new UsageException($"--lang is ja, en or auto, not '{l}'"))
            : Extractor.DetectLanguage(doc.Text);

        // The store's names link what is found to what is known; without a store, only the built-in vocabularies are used.
        // Printing entities only reads the store; making a draft writes one (a new store gets the starter pack).
        bool draft = format is null or "stix" && !o.Has("--json");
        if (draft && o.Has("--no-store"))
        {
            throw new UsageException("a draft is kept in a store: drop --no-store, or print what was found with --format entities");
        }

        using var store = o.Has("--no-store") ? null : draft ? StoreOpener.Open(o, status: stderr) : TryOpen(o, stderr);
        var drafts = store is null ? null : new DraftStore(store);
        var gazetteer = GazetteerBuilder.BuildAsync(store).GetAwaiter().GetResult();
        var ownHosts = Download.IsUrl(source) ? new HashSet<string>([new Uri(source).Host], StringComparer.OrdinalIgnoreCase) : null;
        var options = new ExtractOptions { Lang = lang, Published = published, OwnHosts = ownHosts, FalsePositives = drafts?.FalsePositivesAsync().GetAwaiter().GetResult() };
        var entities = Extractor.ExtractAsync(doc.Text, gazetteer, options, store).GetAwaiter().GetResult();

        if (!draft)
        {
            Output.Json(stdout, w => WriteEntities(w, entities));
            return CommandLine.Ok;
        }

        string name = doc.Title ?? doc.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? source;
        var made = drafts!.CreateAsync(name, lang, published, source, entities).GetAwaiter().GetResult();
        if (format == "stix")
        {
            stdout.WriteLine(drafts.ToBundleAsync(made).GetAwaiter().GetResult().ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            stderr.WriteLine($"draft {made.Id} stored (not shared); review: threatledger review {made.Id} --accept-all");
            return CommandLine.Ok;
        }

        stdout.WriteLine(FormattableString.Invariant($"draft {made.Id}: '{made.Name}' ({doc.Format}, {doc.Encoding}, {lang}, {doc.Text.Length} characters), {made.Items.Count} items, not shared until reviewed"));
        ReviewCommand.Print(stdout, made);
        stdout.WriteLine($"review: threatledger review {made.Id} --accept ITEM... | --reject ITEM... | --accept-all");
        return CommandLine.Ok;
    }

    private static ThreatLedger.Storage.IStixStore? TryOpen(Options o, TextWriter stderr)
    {
        try
        {
            return StoreOpener.Open(o, create: false);
        }
        catch (StoreOpenException ex)
        {
            stderr.WriteLine($"threatledger: {ex.Message}; matching with the built-in vocabularies only");
            return null;
        }
    }

    private static byte[] ReadUrl(string url)
    {
        using var input = Download.Open(url, out _);
        using var ms = new MemoryStream();
        input.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>The entity format: kind, text, value, aliases, id, spans (and the rule and score behind each).</summary>
    internal static void WriteEntities(Utf8JsonWriter w, IReadOnlyList<Entity> entities)
    {
        w.WriteStartArray();
        foreach (var e in entities.OrderBy(e => e.Spans.Min(s => s[0])))
        {
            w.WriteStartObject();
            w.WriteString("kind", e.Kind);
            w.WriteString("text", e.Text);
            w.WritePropertyName("value");
            if (e.Value is ClaimValue c)
            {
                w.WriteStartObject();
                w.WriteString("type", c.Type);
                w.WriteString("author", c.Author);
                w.WriteString("subject", c.Subject);
                w.WriteString("sponsor", c.Sponsor);
                w.WriteString("date", c.Date);
                Output.NumberOrNull(w, "confidence", c.Confidence);

                w.WriteString("wording", c.Wording);
                if (c.Participants is { } participants)
                {
                    w.WriteStartArray("participants");
                    foreach (var party in participants)
                    {
                        w.WriteStringValue(party);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }
            else
            {
                w.WriteStringValue(e.Value.ToString());
            }

            if (e.Aliases is { } aliases)
            {
                w.WriteStartArray("aliases");
                foreach (var a in aliases)
                {
                    w.WriteStringValue(a);
                }

                w.WriteEndArray();
            }

            if (e.Id is not null)
            {
                w.WriteString("id", e.Id);
            }

            w.WriteStartArray("spans");
            foreach (var s in e.Spans)
            {
                w.WriteStartArray();
                w.WriteNumberValue(s[0]);
                w.WriteNumberValue(s[1]);
                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteString("rule", e.Rule);
            w.WriteNumber("score", e.Score);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
