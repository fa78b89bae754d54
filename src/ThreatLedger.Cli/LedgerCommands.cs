using System.Globalization;
using ThreatLedger.Ledger;

namespace ThreatLedger.Cli;

/// <summary><c>threatledger attribution NAME</c> and <c>threatledger statements</c>.</summary>
internal static class LedgerCommands
{
    public static int Attribution(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json", "--direct"], ["--db", "--as-of"]);
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

        var claims = AttributionQueries.ClaimsAboutAsync(store, name, asOf, directOnly: o.Has("--direct")).GetAwaiter().GetResult();
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
                    Output.NumberOrNull(w, "confidence", c.Confidence);

                    w.WriteString("estimative_phrase", c.EstimativePhrase);
                    w.WriteString("wording", c.Wording);
                    w.WriteString("source", c.Source);
                    w.WriteString("joint_statement", c.JointStatementId);
                    w.WriteString("stance", c.Stance);
                    w.WriteString("relation", c.Relation);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return CommandLine.Ok;
        }

        foreach (var c in claims)
        {
            string confidence = c.Confidence is { } v ? v.ToString(CultureInfo.InvariantCulture) : "-";
            string stance = c.Stance == "attributes" ? string.Empty : $", {c.Stance} others' attribution";
            string relation = c.Relation == "direct" ? string.Empty : "  (same joint statement)";
            stdout.WriteLine($"{c.Date ?? "(undated)"}  {c.Author}: {c.Subject} -> {c.Sponsor}  [{c.Response}, confidence {confidence}{(c.EstimativePhrase is null ? string.Empty : ", \"" + c.EstimativePhrase + "\"")}{stance}]  {c.Source}  ({c.ClaimId}){relation}");
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

    /// <summary><c>threatledger resolve NAME</c>: candidate objects for a name, best first, and why.</summary>
    public static int Resolve(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json"], ["--db"]);
        string name = NameArgument(o, "resolve");

        using var store = StoreOpener.Open(o, create: false);
        var entity = EntityResolution.ResolveAsync(store, name).GetAwaiter().GetResult();
        if (entity is null)
        {
            stderr.WriteLine($"threatledger: nothing is named '{name}'; try 'threatledger find --text {name}'");
            return CommandLine.Failed;
        }

        var ordered = entity.Members.OrderBy(m => m.Id == entity.RepresentativeId ? 0 : 1).ToList();
        if (o.Has("--json"))
        {
            Output.Json(stdout, w =>
            {
                w.WriteStartObject();
                w.WriteString("query", name);
                w.WriteString("entity", entity.RepresentativeId);
                w.WriteBoolean("ambiguous", entity.Ambiguous);
                w.WriteStartArray("candidates");
                foreach (var m in ordered)
                {
                    w.WriteStartObject();
                    w.WriteString("id", m.Id);
                    w.WriteString("name", m.Name);
                    w.WriteString("matched", m.Matched);
                    w.WriteString("why", m.Why);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return CommandLine.Ok;
        }

        if (entity.Ambiguous)
        {
            stdout.WriteLine($"'{name}' is ambiguous: the direct matches below share no name with each other");
        }

        foreach (var m in ordered)
        {
            stdout.WriteLine($"{m.Id}	{m.Name}	matched '{m.Matched}': {m.Why}");
        }

        return CommandLine.Ok;
    }

    /// <summary><c>threatledger aliases NAME</c>: every name of the entity, who coined it and where it is recorded.</summary>
    public static int Aliases(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json"], ["--db"]);
        string name = NameArgument(o, "aliases");

        using var store = StoreOpener.Open(o, create: false);
        var rows = EntityResolution.AliasesAsync(store, name).GetAwaiter().GetResult();
        if (rows.Count == 0)
        {
            stderr.WriteLine($"threatledger: nothing is named '{name}'");
            return CommandLine.Failed;
        }

        if (o.Has("--json"))
        {
            Output.Json(stdout, w =>
            {
                w.WriteStartArray();
                foreach (var r in rows)
                {
                    w.WriteStartObject();
                    w.WriteString("name", r.Name);
                    w.WriteString("coined_by", r.CoinedBy);
                    w.WriteString("how", r.How);
                    w.WriteString("source", r.Source);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return CommandLine.Ok;
        }

        foreach (var r in rows)
        {
            stdout.WriteLine($"{r.Name}	{r.CoinedBy ?? "-"}{(r.How is null ? string.Empty : " (" + r.How + ")")}	{r.Source}");
        }

        return CommandLine.Ok;
    }

    /// <summary><c>threatledger export [--out FILE]</c>: the latest version of every object as one STIX bundle.</summary>
    public static int Export(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, [], ["--db", "--out"]);
        using var store = StoreOpener.Open(o, create: false);
        string? path = o.Get("--out");
        using var file = path is null ? null : System.IO.File.Create(path);
        var output = file ?? Console.OpenStandardOutput();
        long count = ThreatLedger.Storage.StixExport.WriteBundleAsync(store, output).GetAwaiter().GetResult();

        if (path is not null)
        {
            stdout.WriteLine(FormattableString.Invariant($"exported {count} objects to {path}"));
        }

        return CommandLine.Ok;
    }

    /// <summary><c>threatledger consensus NAME</c>: how many independent parties attribute the entity, to whom, and whether they disagree.</summary>
    public static int ConsensusCommand(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json"], ["--db"]);
        string name = NameArgument(o, "consensus");

        using var store = StoreOpener.Open(o, create: false);
        var s = Consensus.SummariseAsync(store, name).GetAwaiter().GetResult();
        if (s is null)
        {
            stderr.WriteLine($"threatledger: nothing is named '{name}'");
            return CommandLine.Failed;
        }

        if (o.Has("--json"))
        {
            Output.Json(stdout, w =>
            {
                w.WriteStartObject();
                w.WriteString("entity", s.EntityId);
                w.WriteNumber("claims", s.Claims);
                w.WriteNumber("governments", s.Governments);
                w.WriteNumber("others", s.Others);
                w.WriteBoolean("conflict", s.Conflict);
                w.WriteStartArray("sponsors");
                foreach (var p in s.Sponsors)
                {
                    w.WriteStartObject();
                    w.WriteString("sponsor", p.Sponsor);
                    w.WriteString("sponsor_id", p.SponsorId);
                    w.WriteString("state", p.State);
                    w.WriteString("country", p.Country);
                    w.WriteNumber("governments", p.Governments);
                    w.WriteNumber("others", p.Others);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return CommandLine.Ok;
        }

        stdout.WriteLine(FormattableString.Invariant($"{name}: {s.Claims} claims by {s.Governments} governments and {s.Others} others{(s.Conflict ? "; CONFLICT: the claims point at more than one state" : string.Empty)}"));
        foreach (var p in s.Sponsors)
        {
            stdout.WriteLine(FormattableString.Invariant($"  {p.Sponsor} (state: {p.State}{(p.Country is null ? string.Empty : ", " + p.Country)}): {p.Governments} governments, {p.Others} others"));
        }

        return CommandLine.Ok;
    }

    /// <summary><c>threatledger merge A B</c> / <c>unmerge A B</c>: records an accepted or rejected equivalence as a new version.</summary>
    public static int Merge(string[] args, TextWriter stdout, TextWriter stderr, bool merge)
    {
        var o = Options.Parse(args, ["--json"], ["--db", "--reason"]);
        if (o.Positional.Count != 2)
        {
            throw new UsageException($"{(merge ? "merge" : "unmerge")} needs two object ids, A and B");
        }

        using var store = StoreOpener.Open(o, create: false);
        foreach (var id in o.Positional)
        {
            if (store.GetAsync(id).GetAwaiter().GetResult() is null)
            {
                stderr.WriteLine($"threatledger: no object {id} in the store (merge takes ids; 'threatledger resolve NAME' finds them)");
                return CommandLine.Failed;
            }
        }

        var r = Equivalences.SetAsync(store, o.Positional[0], o.Positional[1], merge ? "accepted" : "rejected", o.Get("--reason") ?? (merge ? "merged by an analyst" : "unmerged by an analyst")).GetAwaiter().GetResult();
        stdout.WriteLine($"{(merge ? "merged" : "unmerged")}: {r.Id} version {r.Version} ({r.Outcome})");
        return r.Succeeded ? CommandLine.Ok : CommandLine.Failed;
    }

    /// <summary><c>threatledger pack load</c>: loads the starter pack (idempotent: a second load changes nothing).</summary>
    public static int Pack(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] != "load")
        {
            throw new UsageException("pack needs a subcommand: pack load [--db DB] [--json]");
        }

        var o = Options.Parse(args[1..], ["--json"], ["--db"]);
        using var store = StoreOpener.Open(o, ensurePack: false);
        var s = StarterPack.InstallAsync(store).GetAwaiter().GetResult();
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

    /// <summary>The NAME of a verb: all positional words (names have spaces), required.</summary>
    private static string NameArgument(Options o, string verb) =>
        o.Positional.Count > 0 ? string.Join(' ', o.Positional) : throw new UsageException($"{verb} needs a NAME");

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
