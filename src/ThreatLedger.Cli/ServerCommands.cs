using Microsoft.Extensions.Hosting;
using ThreatLedger.Server;
using ThreatLedger.Storage;

namespace ThreatLedger.Cli;

/// <summary><c>threatledger serve</c> and <c>threatledger users</c>.</summary>
internal static class ServerCommands
{
    /// <summary>Runs the server until Ctrl+C (or SIGTERM).</summary>
    public static int Serve(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--empty"], ["--db", "--urls", "--unmarked", "--max-content-length", "--rate-limit"]);
        var options = new ServerOptions
        {
            Urls = o.Get("--urls") ?? "http://127.0.0.1:5080",
            UnmarkedTlp = Clearance(o.Get("--unmarked") ?? "clear", "--unmarked"),
            MaxContentLength = o.Get("--max-content-length") is not { } m ? 100L << 20
                : long.TryParse(m, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long max) && max > 0 ? max
                : throw new UsageException($"--max-content-length needs a number of bytes, not '{m}'"),
            RateLimitPerSecond = o.Int("--rate-limit", 200),
        };
        using var store = StoreOpener.Open(o, status: stderr);
        var app = ServerHost.Build(store, options);
        app.Start();
        foreach (var url in app.Urls)
        {
            stdout.WriteLine($"threatledger: serving {StoreOpener.Redact(StoreOpener.Resolve(o))} at {url} (TAXII 2.1 discovery: {url.TrimEnd('/')}/taxii2/)");
        }

        if (new UserDirectory(store).ListAsync().GetAwaiter().GetResult().Count == 0)
        {
            stderr.WriteLine("threatledger: no users yet; add one with 'threatledger users add NAME --role admin --clearance red'");
        }

        stdout.Flush();
        app.WaitForShutdown();
        return CommandLine.Ok;
    }

    /// <summary><c>users add|list|token|revoke</c>.</summary>
    public static int Users(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is not ("add" or "list" or "token" or "revoke" or "tokens" or "password" or "audit"))
        {
            throw new UsageException("users needs a subcommand: users add NAME --role admin|analyst|reader --clearance clear|green|amber|amber+strict|red, users list, users tokens, users token NAME, users revoke TOKEN-ID, users password NAME (reads it from standard input), users audit [--limit N]");
        }

        var o = Options.Parse(args[1..], ["--json", "--empty"], ["--db", "--role", "--clearance", "--limit"]);
        using var store = StoreOpener.Open(o, create: args[0] == "add", status: stderr);
        var users = new UserDirectory(store);
        switch (args[0])
        {
            case "add":
            {
                string name = o.Positional.Count == 1 ? o.Positional[0] : throw new UsageException("users add needs one NAME");
                var role = Parse(() => UserDirectory.ParseRole(o.Get("--role") ?? throw new UsageException("users add needs --role admin|analyst|reader")));
                var clearance = Clearance(o.Get("--clearance") ?? throw new UsageException("users add needs --clearance clear|green|amber|amber+strict|red"), "--clearance");
                string token;
                try
                {
                    token = users.AddAsync(name, role, clearance).GetAwaiter().GetResult();
                }
                catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
                {
                    stderr.WriteLine($"threatledger: {ex.Message}");
                    return CommandLine.Failed;
                }

                if (o.Has("--json"))
                {
                    Output.Json(stdout, w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("name", name);
                        w.WriteString("token", token);
                        w.WriteEndObject();
                    });
                }
                else
                {
                    stdout.WriteLine($"user {name} ({role.ToString().ToLowerInvariant()}, clearance {UserDirectory.ClearanceName(clearance)}); API token (shown once, keep it secret):");
                    stdout.WriteLine(token);
                }

                return CommandLine.Ok;
            }

            case "token":
            {
                string name = o.Positional.Count == 1 ? o.Positional[0] : throw new UsageException("users token needs one NAME");
                try
                {
                    stdout.WriteLine(users.NewTokenAsync(name).GetAwaiter().GetResult());
                    return CommandLine.Ok;
                }
                catch (KeyNotFoundException ex)
                {
                    stderr.WriteLine($"threatledger: {ex.Message}");
                    return CommandLine.Failed;
                }
            }

            case "revoke":
            {
                string id = o.Positional.Count == 1 ? o.Positional[0] : throw new UsageException("users revoke needs one TOKEN-ID (see 'threatledger users tokens')");
                if (users.RevokeAsync(id).GetAwaiter().GetResult())
                {
                    stdout.WriteLine($"revoked {id}");
                    return CommandLine.Ok;
                }

                stderr.WriteLine($"threatledger: no active token with id '{id}' (see 'threatledger users tokens')");
                return CommandLine.Failed;
            }

            case "password":
            {
                string name = o.Positional.Count == 1 ? o.Positional[0] : throw new UsageException("users password needs one NAME; the password is read from standard input");
                string password = Console.In.ReadLine() ?? string.Empty;
                try
                {
                    users.SetPasswordAsync(name, password).GetAwaiter().GetResult();
                }
                catch (Exception ex) when (ex is KeyNotFoundException or ArgumentException)
                {
                    stderr.WriteLine($"threatledger: {ex.Message}");
                    return CommandLine.Failed;
                }

                stdout.WriteLine($"password set for {name} (PBKDF2-HMAC-SHA256, {UserDirectory.PasswordIterations} iterations)");
                return CommandLine.Ok;
            }

            case "audit":
                foreach (var e in store.AuditLogAsync(o.Int("--limit", 100)).GetAwaiter().GetResult())
                {
                    stdout.WriteLine($"{e.At:yyyy-MM-dd'T'HH:mm:ss'Z'}\t{e.Actor}\t{e.Action}\t{e.Detail}");
                }

                return CommandLine.Ok;

            case "tokens":
                foreach (var t in users.TokensAsync().GetAwaiter().GetResult())
                {
                    stdout.WriteLine($"{t.Id}\t{t.User}\tcreated {t.Created}\t{(t.Revoked is null ? "active" : "revoked " + t.Revoked)}");
                }

                return CommandLine.Ok;

            default:
                var list = users.ListAsync().GetAwaiter().GetResult();
                if (o.Has("--json"))
                {
                    Output.Json(stdout, w =>
                    {
                        w.WriteStartArray();
                        foreach (var u in list)
                        {
                            w.WriteStartObject();
                            w.WriteString("name", u.Name);
                            w.WriteString("role", u.Role.ToString().ToLowerInvariant());
                            w.WriteString("clearance", UserDirectory.ClearanceName(u.Clearance));
                            w.WriteString("created", u.Created);
                            w.WriteEndObject();
                        }

                        w.WriteEndArray();
                    });
                }
                else
                {
                    foreach (var u in list)
                    {
                        stdout.WriteLine($"{u.Name}\t{u.Role.ToString().ToLowerInvariant()}\t{UserDirectory.ClearanceName(u.Clearance)}\t{u.Created}");
                    }
                }

                return CommandLine.Ok;
        }
    }

    private static TlpLevel Clearance(string text, string option) => Parse(() => UserDirectory.ParseClearance(text), option);

    private static T Parse<T>(Func<T> parse, string? option = null)
    {
        try
        {
            return parse();
        }
        catch (FormatException ex)
        {
            throw new UsageException(option is null ? ex.Message : $"{option}: {ex.Message}");
        }
    }
}

/// <summary><c>threatledger taxii pull|push</c>: a TAXII 2.1 client.</summary>
internal static class TaxiiCommands
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is not ("pull" or "push"))
        {
            throw new UsageException("taxii needs a subcommand: taxii pull API-ROOT-URL --collection ID [--token T] [--user NAME] [--full] [--db DB], or taxii push API-ROOT-URL --collection ID FILE...");
        }

        var o = Options.Parse(args[1..], ["--json", "--full", "--empty"], ["--db", "--collection", "--token", "--user", "--limit"]);
        if (o.Positional.Count == 0 || !Download.IsUrl(o.Positional[0]))
        {
            throw new UsageException($"taxii {args[0]} needs the API root URL first, e.g. http://127.0.0.1:5080/api/");
        }

        var apiRoot = new Uri(o.Positional[0]);
        string collection = o.Get("--collection") ?? throw new UsageException("--collection ID is required (GET API-ROOT/collections/ lists them)");
        string? token = o.Get("--token") ?? Environment.GetEnvironmentVariable("THREATLEDGER_TAXII_TOKEN");
        using var http = TaxiiClient.Create(token, o.Get("--user"));
        var client = new TaxiiClient(http);
        try
        {
            return args[0] == "pull" ? Pull(o, client, apiRoot, collection, stdout, stderr) : Push(o, client, apiRoot, collection, stdout);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or TaskCanceledException)
        {
            stderr.WriteLine($"threatledger: {ex.Message}");
            return CommandLine.Failed;
        }
    }

    private static int Pull(Options o, TaxiiClient client, Uri apiRoot, string collection, TextWriter stdout, TextWriter stderr)
    {
        using var store = StoreOpener.Open(o, status: stderr);
        string key = "taxii-pull:" + TaxiiClient.ObjectsUrl(apiRoot, collection).AbsoluteUri;
        string? since = o.Has("--full") ? null : store.GetSettingAsync(key).GetAwaiter().GetResult();
        var result = client.PullAsync(apiRoot, collection, store, since, o.Int("--limit", 1000)).GetAwaiter().GetResult();
        if (result.LastDateAdded is { } last)
        {
            store.SetSettingAsync(key, last).GetAwaiter().GetResult();
        }

        var s = result.Summary;
        stdout.WriteLine(FormattableString.Invariant($"pulled {s.Total} objects in {result.Pages} pages{(since is null ? string.Empty : " added after " + since)}: {s.Added} added, {s.NewVersions} new versions, {s.OlderVersions} older versions, {s.Unchanged} unchanged, {s.Failed} failed; next pull starts after {result.LastDateAdded ?? "(nothing yet)"}"));
        foreach (var f in s.Failures.Take(20))
        {
            stdout.WriteLine($"  failed: {f.Id}: {f.Message}");
        }

        return s.Failed > 0 ? CommandLine.Failed : CommandLine.Ok;
    }

    private static int Push(Options o, TaxiiClient client, Uri apiRoot, string collection, TextWriter stdout)
    {
        if (o.Positional.Count < 2)
        {
            throw new UsageException("taxii push needs at least one FILE after the URL");
        }

        int exit = CommandLine.Ok;
        foreach (var file in o.Positional.Skip(1))
        {
            using var input = StixImporter.OpenInput(file, out _);
            var r = client.PushAsync(apiRoot, collection, TaxiiClient.ReadObjects(input)).GetAwaiter().GetResult();
            stdout.WriteLine(FormattableString.Invariant($"{file}: pushed {r.Total} objects in {r.Requests} requests: {r.Succeeded} accepted, {r.Failed} refused"));
            foreach (var f in r.Failures.Take(20))
            {
                stdout.WriteLine($"  refused: {f}");
            }

            if (r.Failed > 0)
            {
                exit = CommandLine.Failed;
            }
        }

        return exit;
    }
}

/// <summary><c>threatledger collections add|list|remove</c>: TAXII collections as views of the store.</summary>
internal static class CollectionCommands
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is not ("add" or "list" or "remove"))
        {
            throw new UsageException("collections needs a subcommand: collections add --title T [--type TYPE]... [--read ROLES] [--write ROLES] [--description D], collections list, collections remove ID");
        }

        var o = Options.Parse(args[1..], ["--json", "--empty"], ["--db", "--title", "--type", "--read", "--write", "--description"]);
        using var store = StoreOpener.Open(o, create: args[0] == "add", status: stderr);
        var collections = new CollectionDirectory(store);
        switch (args[0])
        {
            case "add":
                try
                {
                    var types = o.All("--type");
                    var view = collections.AddAsync(
                        o.Get("--title") ?? throw new UsageException("collections add needs --title"),
                        o.Get("--description"),
                        types.Count == 0 ? null : types,
                        Roles(o.Get("--read") ?? "reader,analyst,admin"),
                        Roles(o.Get("--write") ?? "analyst,admin")).GetAwaiter().GetResult();
                    stdout.WriteLine(view.Id);
                    return CommandLine.Ok;
                }
                catch (ArgumentException ex)
                {
                    stderr.WriteLine($"threatledger: {ex.Message}");
                    return CommandLine.Failed;
                }

            case "remove":
                if (o.Positional.Count != 1)
                {
                    throw new UsageException("collections remove needs one ID");
                }

                if (collections.RemoveAsync(o.Positional[0]).GetAwaiter().GetResult())
                {
                    stdout.WriteLine($"removed {o.Positional[0]} (its objects stay in the store)");
                    return CommandLine.Ok;
                }

                stderr.WriteLine($"threatledger: no collection '{o.Positional[0]}' that can be removed (the default one cannot)");
                return CommandLine.Failed;

            default:
                foreach (var v in collections.ListAsync().GetAwaiter().GetResult())
                {
                    string roles(IReadOnlyList<Role> r) => string.Join(',', r.Select(x => x.ToString().ToLowerInvariant()));
                    stdout.WriteLine($"{v.Id}\t{v.Title}\ttypes: {(v.Types is null ? "all" : string.Join(',', v.Types))}\tread: {roles(v.CanRead)}\twrite: {roles(v.CanWrite)}");
                }

                return CommandLine.Ok;
        }
    }

    private static List<Role> Roles(string text)
    {
        try
        {
            return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(UserDirectory.ParseRole).Distinct().ToList();
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}
