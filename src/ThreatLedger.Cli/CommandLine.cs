namespace ThreatLedger.Cli;

/// <summary>Dispatches the first argument to a verb; each verb is its own class.</summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.Write(HelpText);
            return args.Length == 0 ? Usage : Ok;
        }

        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "validate" => ValidateCommand.Run(rest, stdout, stderr),
                "print" => PrintCommand.Run(rest, stdout, stderr),
                "bench" => BenchCommand.Run(rest, stdout, stderr),
                "import" => ImportCommand.Run(rest, stdout, stderr),
                "get" => GetCommand.Run(rest, stdout, stderr),
                "find" => FindCommand.Run(rest, stdout, stderr),
                "neighbors" or "neighbours" => NeighborsCommand.Run(rest, stdout, stderr),
                "stats" => StatsCommand.Run(rest, stdout, stderr),
                "attribution" => LedgerCommands.Attribution(rest, stdout, stderr),
                "statements" => LedgerCommands.Statements(rest, stdout, stderr),
                "pack" => LedgerCommands.Pack(rest, stdout, stderr),
                "resolve" => LedgerCommands.Resolve(rest, stdout, stderr),
                "aliases" => LedgerCommands.Aliases(rest, stdout, stderr),
                "export" => LedgerCommands.Export(rest, stdout, stderr),
                "consensus" => LedgerCommands.ConsensusCommand(rest, stdout, stderr),
                "merge" => LedgerCommands.Merge(rest, stdout, stderr, merge: true),
                "unmerge" => LedgerCommands.Merge(rest, stdout, stderr, merge: false),
                "serve" => ServerCommands.Serve(rest, stdout, stderr),
                "users" => ServerCommands.Users(rest, stdout, stderr),
                "taxii" => TaxiiCommands.Run(rest, stdout, stderr),
                "collections" => CollectionCommands.Run(rest, stdout, stderr),
                "ingest" => IngestCommand.Run(rest, stdout, stderr),
                "review" => ReviewCommand.Run(rest, stdout, stderr),
                "eval" => EvalCommand.Run(rest, stdout, stderr),
                "--version" or "version" => Version(stdout),
                _ => UsageError(stderr, $"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException ex)
        {
            return UsageError(stderr, ex.Message);
        }
        catch (StoreOpenException ex)
        {
            stderr.WriteLine($"threatledger: {ex.Message}");
            return Usage;
        }
    }

    public static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine($"threatledger: {message}");
        stderr.WriteLine("Run 'threatledger --help' for the commands and their options.");
        return Usage;
    }

    private static int Version(TextWriter stdout)
    {
        stdout.WriteLine("threatledger " + (typeof(CommandLine).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"));
        return Ok;
    }

    public const string HelpText = """
        threatledger — a knowledge base for state-sponsored threat actors and public attribution (STIX 2.1)

        Usage:
          threatledger validate FILE... [--json] [--no-warnings] [--max-depth N] [--max-string-length N]
              Check STIX 2.1 bundles or objects (.json, .json.gz, or - for stdin).
              One line per finding: FILE:LINE:COLUMN: error|warning: JSONPATH (OBJECT-ID): message
              Exit 0 without errors (warnings allowed), 1 with errors, 2 for usage or I/O problems.
          threatledger print FILE [--compact]
              Read FILE into the object model and write it back as JSON (a round-trip check).
          threatledger import FILE... [--db DB] [--empty] [--json] [--no-progress] [--batch-size N]
              A new store first gets the starter pack (--empty: not). Stream STIX bundles (.json, .json.gz, - for stdin, or an http(s) URL) into the store, in batched
              transactions; MISP galaxy cluster files are recognised and converted.
              Prints added / new versions / unchanged / failed with reasons; --json prints a TAXII 2.1 status resource.
          threatledger get ID [--version TIMESTAMP|all] [--as-of TIMESTAMP|DATE] [--db DB] [--json]
              The latest version of an object, a given version, all versions, or what the store knew at a moment.
          threatledger find [--type T]... [--text WORDS] [--limit N] [--db DB] [--json]
              Search names, aliases, external ids, labels and descriptions (case-, width- and script-insensitive).
          threatledger neighbors ID [--depth N] [--type T] [--kind K] [--direction in|out|both] [--limit N] [--db DB] [--json]
              Walk relationships, sightings and embedded references.
          threatledger stats [--db DB] [--json]
              Distinct objects, stored versions, edges, size, and objects per type.
          threatledger attribution NAME [--as-of DATE] [--direct] [--db DB] [--json]
              Every claim of attribution about the group, campaign or actor behind NAME (any alias):
              author, date, subject, sponsor, response, confidence, wording, source (claims made by DATE),
              then the other claims of the same joint statements (--direct: not).
          threatledger statements [--about NAME] [--db DB] [--json]
              Joint attribution statements: date, participants, parties that declined, claims.
          threatledger resolve NAME [--db DB] [--json]
              The objects (ATT&CK, MISP, starter pack…) that stand for NAME, best first, and why; says when it is ambiguous.
          threatledger aliases NAME [--db DB] [--json]
              Every name of the entity behind NAME, who coined it (alias records, vendors' naming conventions) and where.
          threatledger consensus NAME [--db DB] [--json]
              How many governments and others attribute the entity, per sponsor; conflicting states flagged.
          threatledger merge A B [--reason TEXT] / threatledger unmerge A B [--reason TEXT]
              Record that two objects are (or are not) the same entity, as a new version: nothing is overwritten.
          threatledger export [--out FILE] [--db DB]
              The latest version of every object as one STIX 2.1 bundle.
          threatledger pack load [--db DB] [--json]
              Load the starter pack (public attributions written by the team, each with its source) into a store
              that lacks it; new stores get it by themselves.
          threatledger ingest FILE|URL|- [--lang ja|en|auto] [--published YYYY-MM-DD] [--format entities|stix] [--db DB] [--no-store]
              What a report (text or HTML, Japanese or English) names: actors linked to the store's entities, organisations,
              countries, products, attack types, CVEs, indicators (defanged ones refanged), dates and claims, each with its
              character spans and the alias or rule that matched. Without --format, a draft report is stored (not shared);
              --format stix also prints it as a STIX bundle; --format entities prints what was found as a JSON array instead.
          threatledger eval DIR [--db DB] [--json] [--errors]
              Precision, recall and F1 per kind on a labelled corpus (NN.txt or NN.html beside NN.gold.json; corpus/dev).
          threatledger review [REPORT-ID] [--accept ITEM...] [--reject ITEM...] [--accept-all] [--json] [--db DB]
              Drafts and their items; accepting writes the report and its objects (claims, indicators, CVEs, places);
              a rejected name is remembered and not reported again.
          threatledger serve [--db DB] [--urls http://127.0.0.1:5080] [--unmarked TLP] [--max-content-length BYTES] [--rate-limit N]
              The server: TAXII 2.1 at /taxii2/ (discovery) and /api/ (collections, objects, manifest, versions,
              status), the REST API at /rest/ (described at /openapi/v1.json, browsable at /docs), an Atom feed at
              /feed.atom; every request authenticated with an API token or password; each user sees only what their
              TLP clearance allows; N requests per second per user (default 200).
          threatledger users add NAME --role admin|analyst|reader --clearance clear|green|amber|amber+strict|red [--json]
          threatledger users list|tokens [--json] / users token NAME / users revoke TOKEN-ID
          threatledger users password NAME (the password on standard input) / users audit [--limit N]
              Users of the server and their API tokens (a token is printed once; the store keeps only its hash);
              passwords are kept as PBKDF2 hashes; the audit log lists logins, failed logins, user changes and writes.
          threatledger collections add --title T [--type TYPE]... [--read ROLES] [--write ROLES] / collections list / collections remove ID
              TAXII collections as views of the store: some types (or all), readable and writable by some roles.
          threatledger taxii pull API-ROOT-URL --collection ID [--token T] [--user NAME] [--full] [--limit N] [--db DB]
              Pull a TAXII 2.1 collection into the store, page by page; the next pull starts where this one stopped.
          threatledger taxii push API-ROOT-URL --collection ID FILE... [--token T] [--user NAME]
              Push bundles to a TAXII 2.1 collection in envelopes below its max_content_length; waits for each status.
              The token may also come from $THREATLEDGER_TAXII_TOKEN.

          DB is a file path (default ./threatledger.db, or $THREATLEDGER_DB) or a PostgreSQL connection string
          (Host=...;Database=...;Username=... or postgres://user:password@host:port/database).

          threatledger bench stix FILE [--iterations N]
              Time parse+validate against a bare Utf8JsonReader scan of the same bytes; the last line is "ratio: R".

        """;
}

/// <summary>A problem with the command line itself (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
