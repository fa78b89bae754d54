using System.Text;
using System.Text.Json;
using ThreatLedger.Stix;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Cli;

/// <summary><c>threatledger validate FILE...</c>: every finding with its place, then a summary.</summary>
internal static class ValidateCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json", "--no-warnings"], ["--max-depth", "--max-string-length"]);
        if (o.Positional.Count == 0)
        {
            throw new UsageException("validate needs at least one FILE (or - for standard input)");
        }

        var options = new StixReaderOptions
        {
            MaxDepth = o.Int("--max-depth", StixReaderOptions.Default.MaxDepth),
            MaxStringLength = o.Int("--max-string-length", StixReaderOptions.Default.MaxStringLength),
            Warnings = !o.Has("--no-warnings"),
        };

        bool json = o.Has("--json");
        var results = new List<(string File, StixDocument? Document, string? IoError)>();
        foreach (var file in o.Positional)
        {
            try
            {
                var bytes = InputFile.ReadAllBytes(file);
                results.Add((file, StixJson.Read(bytes, options, file == "-" ? "<stdin>" : file), null));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                results.Add((file, null, ex.Message));
            }
        }

        if (json)
        {
            WriteJson(results, stdout);
        }
        else
        {
            WriteText(results, stdout, stderr);
        }

        if (results.Exists(r => r.IoError is not null))
        {
            return CommandLine.Usage;
        }

        return results.Exists(r => r.Document!.ErrorCount > 0) ? CommandLine.Failed : CommandLine.Ok;
    }

    private static void WriteText(List<(string File, StixDocument? Document, string? IoError)> results, TextWriter stdout, TextWriter stderr)
    {
        int files = 0, objects = 0, errors = 0, warnings = 0;
        var sb = new StringBuilder();
        foreach (var (file, doc, ioError) in results)
        {
            if (ioError is not null)
            {
                stderr.WriteLine($"threatledger: cannot read {file}: {ioError}");
                continue;
            }

            files++;
            objects += doc!.Objects.Count;
            errors += doc.ErrorCount;
            warnings += doc.WarningCount;
            foreach (var d in doc.Diagnostics)
            {
                sb.Append(d.ToString()).Append('\n');
            }

            stdout.Write(sb.ToString());
            sb.Clear();
        }

        stdout.WriteLine($"{files} file{(files == 1 ? string.Empty : "s")}, {objects} object{(objects == 1 ? string.Empty : "s")}: {errors} error{(errors == 1 ? string.Empty : "s")}, {warnings} warning{(warnings == 1 ? string.Empty : "s")}");
    }

    private static void WriteJson(List<(string File, StixDocument? Document, string? IoError)> results, TextWriter stdout)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, StixJson.WriterOptions(indented: true)))
        {
            int errors = 0, warnings = 0, objects = 0;
            w.WriteStartObject();
            w.WriteStartArray("files");
            foreach (var (file, doc, ioError) in results)
            {
                w.WriteStartObject();
                w.WriteString("file", file);
                if (ioError is not null)
                {
                    w.WriteString("io_error", ioError);
                    w.WriteEndObject();
                    continue;
                }

                errors += doc!.ErrorCount;
                warnings += doc.WarningCount;
                objects += doc.Objects.Count;
                w.WriteNumber("objects", doc.Objects.Count);
                w.WriteNumber("errors", doc.ErrorCount);
                w.WriteNumber("warnings", doc.WarningCount);
                w.WriteStartArray("findings");
                foreach (var d in doc.Diagnostics)
                {
                    w.WriteStartObject();
                    w.WriteString("severity", d.Severity == StixSeverity.Error ? "error" : "warning");
                    w.WriteString("code", d.Code);
                    w.WriteString("path", d.Path);
                    if (d.ObjectId is not null)
                    {
                        w.WriteString("object_id", d.ObjectId);
                    }

                    w.WriteNumber("line", d.Line);
                    w.WriteNumber("column", d.Column);
                    w.WriteString("message", d.Message);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("objects", objects);
            w.WriteNumber("errors", errors);
            w.WriteNumber("warnings", warnings);
            w.WriteBoolean("valid", errors == 0 && !results.Exists(r => r.IoError is not null));
            w.WriteEndObject();
        }

        stdout.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
