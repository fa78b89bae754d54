using System.Globalization;
using ThreatLedger.Ledger;

namespace ThreatLedger.Cli;

/// <summary><c>threatledger attribution NAME</c> and <c>threatledger statements</c>.</summary>
internal static class LedgerCommands
{
    public static int Attribution(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json"], ["--db", "--as-of"]);
        if (o.Positional.Count == 0)
        {
            throw new UsageException("attribution needs a NAME (any name or alias of a group, campaign or actor)");
        }

        string name = string.Join(' ', o.Positional);
        DateOnly? asOf = null;
        if (o.Get("--as-of") is { } text)
        {
            asOf = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d
                : throw new UsageException($"--as-of needs a date such as 2021-07-01 (claims made by then), not '{text}'");
        }

        using var store = StoreOpener.Open(o, create: false);
        if (AttributionQueries.ResolveAsync(store, name).GetAwaiter().GetResult().Count == 0)
        {
            stderr.WriteLine($"threatledger: no group, campaign or actor is named '{name}' (by name or alias); try 'threatledger find --text {name}'");
            return CommandLine.Failed;
        }

        var claims = AttributionQueries.ClaimsAboutAsync(store, name, asOf).GetAwaiter().GetResult();
        if (o.Has("--json"))
        {
            Output.Json(stdout, w =>
            {
                w.WriteStartArray();
                foreach (var c in claims)
                {
                    w.WriteStartObject();
                    w.WriteString("claim", c.ClaimId);
                    w.WriteString("author", c.Author);
                    w.WriteString("author_id", c.AuthorId);
                    w.WriteString("date", c.Date);
                    w.WriteString("subject", c.Subject);
                    w.WriteString("subject_id", c.SubjectId);
                    w.WriteString("sponsor", c.Sponsor);
                    w.WriteString("sponsor_id", c.SponsorId);
                    w.WriteString("response", c.Response);
                    if (c.Confidence is { } conf)
                    {
                        w.WriteNumber("confidence", conf);
                    }
                    else
                    {
                        w.WriteNull("confidence");
                    }

                    w.WriteString("estimative_phrase", c.EstimativePhrase);
                    w.WriteString("wording", c.Wording);
                    w.WriteString("source", c.Source);
                    w.WriteString("joint_statement", c.JointStatementId);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return CommandLine.Ok;
        }

        foreach (var c in claims)
        {
            string confidence = c.Confidence is { } v ? v.ToString(CultureInfo.InvariantCulture) : "-";
            stdout.WriteLine($"{c.Date ?? "(undated)"}  {c.Author}: {c.Subject} -> {c.Sponsor}  [{c.Response}, confidence {confidence}{(c.EstimativePhrase is null ? string.Empty : ", \"" + c.EstimativePhrase + "\"")}]  {c.Source}  ({c.ClaimId})");
        }

        if (claims.Count == 0)
        {
            stderr.WriteLine($"threatledger: no claims about '{name}'{(asOf is null ? string.Empty : " made by " + o.Get("--as-of"))}");
        }

        return CommandLine.Ok;
    }

    public static int Statements(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json"], ["--db", "--about"]);
        using var store = StoreOpener.Open(o, create: false);
        var rows = AttributionQueries.StatementsAsync(store, o.Get("--about")).GetAwaiter().GetResult();
        if (o.Has("--json"))
        {
            Output.Json(stdout, w =>
            {
                w.WriteStartArray();
                foreach (var s in rows)
                {
                    w.WriteStartObject();
                    w.WriteString("id", s.Id);
                    w.WriteString("name", s.Name);
                    w.WriteString("date", s.Date);
                    Parties(w, "participants", s.Participants);
                    Parties(w, "declined", s.Declined);
                    w.WriteStartArray("claims");
                    foreach (var c in s.ClaimIds)
                    {
                        w.WriteStringValue(c);
                    }

                    w.WriteEndArray();
                    w.WriteString("source", s.Source);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return CommandLine.Ok;
        }

        foreach (var s in rows)
        {
            stdout.WriteLine($"{s.Date}  {s.Name}  ({s.Id})");
            stdout.WriteLine($"  joined:   {string.Join(", ", s.Participants.Select(Label))}");
            stdout.WriteLine($"  declined: {(s.Declined.Count == 0 ? "(none recorded)" : string.Join(", ", s.Declined.Select(Label)))}");
            stdout.WriteLine($"  claims:   {s.ClaimIds.Count}   source: {s.Source}");
        }

        if (rows.Count == 0)
        {
            stderr.WriteLine("threatledger: no joint statements" + (o.Get("--about") is { } a ? $" about '{a}'" : string.Empty));
        }

        return CommandLine.Ok;
    }

    /// <summary><c>threatledger pack load</c>: loads the starter pack (idempotent: a second load changes nothing).</summary>
    public static int Pack(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] != "load")
        {
            throw new UsageException("pack needs a subcommand: pack load [--db DB] [--json]");
        }

        var o = Options.Parse(args[1..], ["--json"], ["--db"]);
        using var store = StoreOpener.Open(o);
        var s = StarterPack.LoadAsync(store).GetAwaiter().GetResult();
        if (o.Has("--json"))
        {
            Output.Json(stdout, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("pack_version", StarterPack.Version);
                w.WriteNumber("total_count", s.Total);
                w.WriteNumber("added", s.Added);
                w.WriteNumber("new_versions", s.NewVersions);
                w.WriteNumber("unchanged", s.Unchanged);
                w.WriteNumber("failed", s.Failed);
                w.WriteEndObject();
            });
        }
        else
        {
            stdout.WriteLine(FormattableString.Invariant($"starter pack {StarterPack.Version}: {s.Total} objects: {s.Added} added, {s.NewVersions} new versions, {s.Unchanged} unchanged, {s.Failed} failed"));
            foreach (var f in s.Failures.Take(20))
            {
                stdout.WriteLine($"  failed: {f.Id}: {f.Message}");
            }
        }

        return s.Failed > 0 ? CommandLine.Failed : CommandLine.Ok;
    }

    private static string Label(Party p) => p.Country is null ? p.Name ?? p.Id : $"{p.Name ?? p.Id} ({p.Country})";

    private static void Parties(System.Text.Json.Utf8JsonWriter w, string name, IReadOnlyList<Party> parties)
    {
        w.WriteStartArray(name);
        foreach (var p in parties)
        {
            w.WriteStartObject();
            w.WriteString("id", p.Id);
            w.WriteString("name", p.Name);
            w.WriteString("country", p.Country);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
