using System.Globalization;
using ThreatLedger.Extraction;

namespace ThreatLedger.Cli;

/// <summary><c>threatledger review [REPORT-ID] [--accept ITEM...] [--reject ITEM...] [--accept-all] [--json]</c>.</summary>
internal static class ReviewCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json", "--accept-all"], ["--db", "--accept", "--reject"]);
        using var store = StoreOpener.Open(o, create: false);
        var drafts = new DraftStore(store);
        if (o.Positional.Count == 0)
        {
            foreach (var id in drafts.ListAsync().GetAwaiter().GetResult())
            {
                var d = drafts.GetAsync(id).GetAwaiter().GetResult()!;
                stdout.WriteLine(FormattableString.Invariant($"{d.Id}\t{d.Created}\t{d.Items.Count(i => i.Status == "proposed")} proposed, {d.Items.Count(i => i.Status == "accepted")} accepted, {d.Items.Count(i => i.Status == "rejected")} rejected\t{d.Name}"));
            }

            return CommandLine.Ok;
        }

        string draftId = o.Positional[0];
        var accept = Items(o.All("--accept"), o.Positional.Skip(1));
        var reject = o.All("--reject");
        try
        {
            if (accept.Count > 0 || reject.Count > 0 || o.Has("--accept-all"))
            {
                var r = drafts.ReviewAsync(draftId, accept, reject, o.Has("--accept-all")).GetAwaiter().GetResult();
                stdout.WriteLine(FormattableString.Invariant($"accepted {r.Accepted.Count}, rejected {r.Rejected.Count}; wrote {r.Written.Count(w => w.Succeeded)} objects ({r.Written.Count(w => w.Outcome == ThreatLedger.Storage.PutOutcome.Added)} new){(r.Written.Any(w => !w.Succeeded) ? "; failed: " + string.Join("; ", r.Written.Where(w => !w.Succeeded).Select(w => w.Id + ": " + w.Message)) : string.Empty)}"));
            }

            var draft = drafts.GetAsync(draftId).GetAwaiter().GetResult() ?? throw new KeyNotFoundException($"no draft '{draftId}'; 'threatledger review' lists them");
            if (o.Has("--json"))
            {
                stdout.WriteLine(DraftStore.ToJson(draft).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            }
            else
            {
                Print(stdout, draft);
            }

            return CommandLine.Ok;
        }
        catch (KeyNotFoundException ex)
        {
            stderr.WriteLine($"threatledger: {ex.Message}");
            return CommandLine.Failed;
        }
    }

    /// <summary>One line per item: id, status, kind, value, spans, rule.</summary>
    public static void Print(TextWriter stdout, Draft draft)
    {
        foreach (var i in draft.Items)
        {
            var e = i.Entity;
            string value = e.Value is ClaimValue c
                ? $"{c.Type}: {c.Author ?? "?"} → {c.Subject ?? "-"}{(c.Sponsor is null ? string.Empty : " → " + c.Sponsor)} ({c.Date}{(c.Confidence is null ? string.Empty : ", confidence " + c.Confidence.Value.ToString(CultureInfo.InvariantCulture))})"
                : e.Value.ToString() ?? string.Empty;
            stdout.WriteLine($"{i.Id,-4} {i.Status,-9} {e.Kind,-14} {value}{(e.Id is null ? string.Empty : "  " + e.Id)}  {string.Join(' ', e.Spans.Select(s => $"[{s[0]},{s[1]}]"))}  ({e.Rule})");
        }
    }

    private static List<string> Items(List<string> accept, IEnumerable<string> extra) => [.. accept, .. extra];
}
