using System.Globalization;
using System.Text.Json;
using Json.Schema;

namespace ThreatLedger.Stix.Tests.Schema;

/// <summary>The outcome of checking one JSON object against its STIX schema.</summary>
/// <param name="SchemaName">The schema used, relative to the schemas folder (e.g. <c>sdos/indicator.json</c>).</param>
/// <param name="IsValid">Whether the object conforms.</param>
/// <param name="Errors">The evaluation errors that made it fail (empty when valid), one line each.</param>
internal sealed record SchemaCheck(string SchemaName, bool IsValid, IReadOnlyList<string> Errors)
{
    /// <summary>The errors as one indented block, for assertion messages.</summary>
    public string Describe(string objectId) =>
        $"{objectId} does not conform to {SchemaName}:{Environment.NewLine}    " + string.Join(Environment.NewLine + "    ", Errors);
}

/// <summary>
/// The official OASIS STIX 2.1 JSON schemas (draft 2020-12) from <c>shared/data/stix2-json-schemas/schemas</c>,
/// each registered by its <c>$id</c> in a private <see cref="SchemaRegistry"/> (not the global one), so
/// relative <c>$ref</c>s such as <c>../common/core.json</c> resolve locally without any download.
/// </summary>
internal sealed class StixSchemaSet
{
    /// <summary>Meta-object schemas kept in <c>common/</c>; every other object type has its own file under sdos/sros/observables.</summary>
    private static readonly string[] s_commonObjectSchemas = ["marking-definition", "language-content", "extension-definition"];

    private static readonly Lazy<StixSchemaSet> s_shared = new(() => Load(SharedData.PathOf("stix2-json-schemas", "schemas")!), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly EvaluationOptions s_evaluation = new() { OutputFormat = OutputFormat.List };

    private readonly Dictionary<string, (string Name, JsonSchema Schema)> _byType;
    private readonly (string Name, JsonSchema Schema) _core;
    private readonly (string Name, JsonSchema Schema) _observableCore;
    private readonly (string Name, JsonSchema Schema) _bundle;

    private StixSchemaSet(Dictionary<string, (string, JsonSchema)> byType, (string, JsonSchema) core, (string, JsonSchema) observableCore, (string, JsonSchema) bundle, int fileCount)
    {
        _byType = byType;
        _core = core;
        _observableCore = observableCore;
        _bundle = bundle;
        FileCount = fileCount;
    }

    /// <summary>Number of schema files registered.</summary>
    public int FileCount { get; }

    /// <summary>The object types that have their own OASIS schema.</summary>
    public IReadOnlyCollection<string> Types => _byType.Keys;

    /// <summary>The schemas from shared data; skips the calling test when the data is absent.</summary>
    public static StixSchemaSet Require()
    {
        SharedData.SkipIfMissing("stix2-json-schemas", "schemas", "common", "core.json");
        return s_shared.Value;
    }

    /// <summary>Builds every schema under <paramref name="schemasDirectory"/> into a fresh registry.</summary>
    public static StixSchemaSet Load(string schemasDirectory)
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var byFile = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        var files = System.IO.Directory.GetFiles(schemasDirectory, "*.json", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        foreach (string file in files)
        {
            string name = Path.GetRelativePath(schemasDirectory, file).Replace('\\', '/');

            // FromText reads the schema's $id and registers it under that URI in options.SchemaRegistry;
            // $refs between files are resolved through the same registry.
            byFile[name] = JsonSchema.FromText(System.IO.File.ReadAllText(file), options);
        }

        var byType = new Dictionary<string, (string, JsonSchema)>(StringComparer.Ordinal);
        foreach (var (name, schema) in byFile)
        {
            string folder = name[..name.IndexOf('/', StringComparison.Ordinal)];
            string type = Path.GetFileNameWithoutExtension(name);
            if (folder is "sdos" or "sros" or "observables" || (folder == "common" && s_commonObjectSchemas.Contains(type)))
            {
                byType.Add(type, (name, schema));
            }
        }

        return new StixSchemaSet(
            byType,
            ("common/core.json", byFile["common/core.json"]),
            ("common/cyber-observable-core.json", byFile["common/cyber-observable-core.json"]),
            ("common/bundle.json", byFile["common/bundle.json"]),
            byFile.Count);
    }

    /// <summary>True when the type has its own OASIS schema (false for custom types such as x-mitre-tactic).</summary>
    public bool HasSchemaFor(string type) => _byType.ContainsKey(type);

    /// <summary>
    /// Checks one STIX object (or a bundle) against the schema for its <c>type</c>. Objects of a type with no
    /// OASIS schema (custom objects) are checked against the schema bundle.json applies to custom objects:
    /// common/core.json when they carry SDO-style <c>created</c>, otherwise common/cyber-observable-core.json.
    /// </summary>
    public SchemaCheck Check(JsonElement instance)
    {
        string type = instance.ValueKind == JsonValueKind.Object && instance.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()!
            : string.Empty;
        var (name, schema) = type == "bundle" ? _bundle
            : _byType.TryGetValue(type, out var own) ? own
            : instance.ValueKind == JsonValueKind.Object && instance.TryGetProperty("created", out _) ? _core
            : _observableCore;
        return Check(instance, name, schema);
    }

    /// <summary>Checks UTF-8 JSON text.</summary>
    public SchemaCheck Check(ReadOnlyMemory<byte> utf8Json)
    {
        using var doc = JsonDocument.Parse(utf8Json);
        return Check(doc.RootElement);
    }

    private static SchemaCheck Check(JsonElement instance, string name, JsonSchema schema)
    {
        var results = schema.Evaluate(instance, s_evaluation);
        return results.IsValid ? new SchemaCheck(name, true, []) : new SchemaCheck(name, false, RelevantErrors(results));
    }

    /// <summary>
    /// The errors that explain a failure. The List output holds every node evaluated, including failed
    /// branches of an <c>anyOf</c>/<c>oneOf</c> that passed overall and subschemas of <c>not</c>/<c>if</c>
    /// whose failure is a success; those are dropped, keeping the errors of nodes that failed along a path
    /// of failures. A failed <c>not</c> leaves no message of its own, so one is added for it.
    /// </summary>
    private static List<string> RelevantErrors(EvaluationResults results)
    {
        var nodes = new List<EvaluationResults> { results };
        if (results.Details is { } details)
        {
            nodes.AddRange(details);
        }

        var children = new Dictionary<EvaluationResults, List<EvaluationResults>>(ReferenceEqualityComparer.Instance);
        foreach (var node in nodes)
        {
            if (node.Parent is { } parent)
            {
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }

                list.Add(node);
            }
        }

        var lines = new List<string>();
        foreach (var node in nodes)
        {
            string path = node.EvaluationPath.ToString();
            if (node.IsValid)
            {
                // A 'not' whose subschema matched: the parent failed because of it.
                if (LastKeyword(path) == "not" && node.Parent is { IsValid: false } notParent && IsOnFailurePath(notParent, children))
                {
                    lines.Add(Line(node, "not", "the value matches a subschema it must not match"));
                }

                continue;
            }

            if (node.Errors is not { Count: > 0 } errors || !IsOnFailurePath(node, children))
            {
                continue;
            }

            foreach (var (keyword, message) in errors)
            {
                lines.Add(Line(node, keyword, message));
            }
        }

        if (lines.Count == 0)
        {
            lines.Add("(the schema rejected the object but no error message was produced)");
        }

        return lines.Distinct(StringComparer.Ordinal).ToList();
    }

    private static string Line(EvaluationResults node, string keyword, string message)
    {
        string at = node.InstanceLocation.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"at '{(at.Length == 0 ? "/" : at)}' [{node.EvaluationPath}] {keyword}: {message}");
    }

    /// <summary>
    /// True when the node's failure contributes to the overall failure: no node on its way up passed, none
    /// is a branch of an anyOf/oneOf that passed overall, and none is the subschema of a not or an if.
    /// </summary>
    private static bool IsOnFailurePath(EvaluationResults node, Dictionary<EvaluationResults, List<EvaluationResults>> children)
    {
        for (var n = node; n is not null; n = n.Parent)
        {
            if (n.IsValid)
            {
                return false;
            }

            string path = n.EvaluationPath.ToString();
            string? keyword = LastKeyword(path);
            if (keyword is "not" or "if")
            {
                return false;
            }

            if (keyword is "anyOf" or "oneOf" && n.Parent is { } parent && children.TryGetValue(parent, out var siblings))
            {
                string prefix = path[..(path.LastIndexOf('/') + 1)];
                int passed = siblings.Count(s => s.IsValid && s.EvaluationPath.ToString() is { } p && p.StartsWith(prefix, StringComparison.Ordinal) && p.IndexOf('/', prefix.Length) < 0);
                if (keyword == "anyOf" ? passed > 0 : passed == 1)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The keyword that leads to the node: 'not' for …/not, 'anyOf' for …/anyOf/2; null otherwise.</summary>
    private static string? LastKeyword(string evaluationPath)
    {
        string[] segments = evaluationPath.Split('/');
        int last = segments.Length - 1;
        if (last >= 1 && segments[last] is "not" or "if" && segments[last - 1] is not ("properties" or "patternProperties" or "definitions" or "$defs"))
        {
            return segments[last];
        }

        if (last >= 2 && segments[last - 1] is "anyOf" or "oneOf" or "allOf" && int.TryParse(segments[last], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && segments[last - 2] is not ("properties" or "patternProperties" or "definitions" or "$defs"))
        {
            return segments[last - 1];
        }

        return null;
    }
}
