using System.Text;
using System.Text.Json;
using ThreatLedger.Stix;

namespace ThreatLedger.Cli;

/// <summary><c>threatledger print FILE</c>: read into the model and write back (findings go to stderr).</summary>
internal static class PrintCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--compact"], []);
        if (o.Positional.Count != 1)
        {
            throw new UsageException("print needs exactly one FILE (or - for standard input)");
        }

        string file = o.Positional[0];
        StixDocument doc;
        try
        {
            doc = StixJson.Read(InputFile.ReadAllBytes(file), null, file == "-" ? "<stdin>" : file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            stderr.WriteLine($"threatledger: cannot read {file}: {ex.Message}");
            return CommandLine.Usage;
        }

        foreach (var d in doc.Diagnostics)
        {
            if (d.Severity == Stix.Validation.StixSeverity.Error)
            {
                stderr.WriteLine(d.ToString());
            }
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, StixJson.WriterOptions(indented: !o.Has("--compact"))))
        {
            switch (doc.Kind)
            {
                case StixDocumentKind.Bundle:
                    StixJson.WriteBundle(w, doc.BundleId ?? StixId.NewId("bundle").Value, doc.Objects);
                    break;
                case StixDocumentKind.Object when doc.Objects.Count == 1:
                    StixJson.Write(w, doc.Objects[0]);
                    break;
                case StixDocumentKind.Envelope:
                    w.WriteStartObject();
                    w.WriteStartArray("objects");
                    foreach (var obj in doc.Objects)
                    {
                        StixJson.Write(w, obj);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                    break;
                default:
                    w.WriteStartArray();
                    foreach (var obj in doc.Objects)
                    {
                        StixJson.Write(w, obj);
                    }

                    w.WriteEndArray();
                    break;
            }
        }

        stdout.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        return doc.ErrorCount > 0 ? CommandLine.Failed : CommandLine.Ok;
    }
}
