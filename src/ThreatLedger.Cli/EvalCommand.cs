using System.Globalization;
using ThreatLedger.Extraction;

namespace ThreatLedger.Cli;

/// <summary><c>threatledger eval DIR [--db DB] [--json] [--errors]</c>: precision, recall and F1 per kind on a labelled corpus.</summary>
internal static class EvalCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json", "--errors"], ["--db"]);
        if (o.Positional.Count != 1 || !Directory.Exists(o.Positional[0]))
        {
            throw new UsageException("eval needs one DIR of NN.txt|NN.html files with NN.gold.json labels beside them (see corpus/dev/README.md)");
        }

        using var store = o.Get("--db") is null && Environment.GetEnvironmentVariable("THREATLEDGER_DB") is null && !File.Exists(StoreOpener.DefaultFile) ? null : StoreOpener.Open(o, create: false);
        if (store is null)
        {
            stderr.WriteLine("threatledger: no store: actors and organisations are matched with the built-in vocabularies only (give --db with the starter pack loaded)");
        }

        var gazetteer = GazetteerBuilder.BuildAsync(store).GetAwaiter().GetResult();
        var (scores, errors, documents) = Evaluation.RunAsync(o.Positional[0], gazetteer, store is null ? null : new ActorResolver(store)).GetAwaiter().GetResult();
        if (o.Has("--json"))
        {
            Output.Json(stdout, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("documents", documents);
                w.WriteStartArray("kinds");
                foreach (var s in scores)
                {
                    w.WriteStartObject();
                    w.WriteString("kind", s.Kind);
                    w.WriteNumber("tp", s.TruePositives);
                    w.WriteNumber("fp", s.FalsePositives);
                    w.WriteNumber("fn", s.FalseNegatives);
                    w.WriteNumber("precision", Math.Round(s.Precision, 4));
                    w.WriteNumber("recall", Math.Round(s.Recall, 4));
                    w.WriteNumber("f1", Math.Round(s.F1, 4));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return CommandLine.Ok;
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{documents} documents"));
        stdout.WriteLine($"{"kind",-14} {"tp",5} {"fp",5} {"fn",5} {"precision",10} {"recall",8} {"f1",6}");
        foreach (var s in scores)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Kind,-14} {s.TruePositives,5} {s.FalsePositives,5} {s.FalseNegatives,5} {s.Precision,10:F3} {s.Recall,8:F3} {s.F1,6:F3}"));
        }

        if (o.Has("--errors"))
        {
            foreach (var e in errors)
            {
                stdout.WriteLine($"{(e.Missed ? "missed" : "extra "),-6} {e.Document}\t{e.Kind}\t{e.Value}");
            }
        }

        return CommandLine.Ok;
    }
}
