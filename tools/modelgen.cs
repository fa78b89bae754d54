#:property TreatWarningsAsErrors=false
#:property EnforceCodeStyleInBuild=false
// Generates the STIX 2.1 object classes and their property tables from tools/stix-model.txt.
// Run from the repository root: dotnet run tools/modelgen.cs
using System.Globalization;
using System.Text;

var root = Directory.GetCurrentDirectory();
var lines = File.ReadAllLines(Path.Combine(root, "tools", "stix-model.txt"));
var types = new List<(string Kind, string Name, string Class, string Section, List<(string Prop, string Kind, bool Required)> Props)>();
foreach (var raw in lines)
{
    var line = raw.Trim();
    if (line.Length == 0 || line.StartsWith('#')) continue;
    if (line.StartsWith('@'))
    {
        var p = line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        types.Add((p[0], p[1], p[2], p[3], new()));
        continue;
    }
    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    bool req = parts[1].EndsWith('!');
    types[^1].Props.Add((parts[0], parts[1].TrimEnd('!'), req));
}

string Pascal(string s)
{
    var sb = new StringBuilder();
    foreach (var part in s.Split('_', '-'))
    {
        if (part.Length == 0) continue;
        sb.Append(char.ToUpperInvariant(part[0])).Append(part.AsSpan(1));
    }
    return sb.ToString();
}

string ClrType(string kind) => kind.Split(':')[0] switch
{
    "string" or "lowerhyphen" or "vocab" or "enum" or "hex" or "binary" or "url" or "langtag" => "string?",
    "strings" or "vocabs" or "enums" => "List<string>?",
    "int" => "int?",
    "long" => "long?",
    "double" => "double?",
    "bool" => "bool?",
    "timestamp" => "StixTimestamp?",
    "ref" => "StixId?",
    "refs" => "List<StixId>?",
    "killchain" => "List<KillChainPhase>?",
    "hashes" => "StixHashes?",
    "dict" or "raw" => "JsonRaw?",
    var k => throw new InvalidOperationException("unknown kind " + k),
};

string RefTarget(string spec)
{
    var flags = new List<string>();
    var names = new List<string>();
    foreach (var t in spec.Split(','))
    {
        switch (t)
        {
            case "*sdo": flags.Add("RefKinds.DomainObject"); break;
            case "*sco": flags.Add("RefKinds.CyberObservable"); break;
            case "*core": flags.Add("RefKinds.DomainObject | RefKinds.CyberObservable"); break;
            case "*any": flags.Add("RefKinds.Any"); break;
            default: names.Add("\"" + t + "\""); break;
        }
    }
    var f = flags.Count == 0 ? "RefKinds.None" : string.Join(" | ", flags);
    return names.Count == 0 ? $"new RefTarget({f})" : $"new RefTarget({f}, {string.Join(", ", names)})";
}

// Number of entries CommonProperties.X<T>() puts before a type's own properties; StixTypeInfo checks it at start-up.
int CommonCount(string kind) => kind switch { "sco" => 7, "marking" => 9, _ => 14 };

bool IsText(string kind) => kind.Split(':')[0] is "lowerhyphen" or "string" or "vocab" or "enum" or "hex" or "binary" or "url" or "langtag";

string MemberName(string cls, string prop) => Pascal(prop) == cls ? cls + "Value" : Pascal(prop);

string PropertyCtor(string cls, string prop, string kind, bool required)
{
    var k = kind.Split(':');
    var name = MemberName(cls, prop);
    string get = $"static o => o.{name}", set = $"static (o, v) => o.{name} = v";
    if (IsText(kind))
    {
        get = $"static o => o.{name}Utf8";
        set = $"static (o, v) => o.{name}Utf8 = v";
    }
    string body = k[0] switch
    {
        "string" => $"new TextProperty<{cls}>(\"{prop}\", {get}, {set})",
        "lowerhyphen" => $"new TextProperty<{cls}>(\"{prop}\", {get}, {set}, StringFormat.LowerHyphen)",
        "hex" => $"new TextProperty<{cls}>(\"{prop}\", {get}, {set}, StringFormat.Hex)",
        "binary" => $"new TextProperty<{cls}>(\"{prop}\", {get}, {set}, StringFormat.Base64)",
        "url" => $"new TextProperty<{cls}>(\"{prop}\", {get}, {set}, StringFormat.Url)",
        "langtag" => $"new TextProperty<{cls}>(\"{prop}\", {get}, {set}, StringFormat.LanguageTag)",
        "vocab" or "enum" => $"new TextProperty<{cls}>(\"{prop}\", {get}, {set}, vocabulary: Vocabularies.{Pascal(k[1])})",
        "strings" => $"new StringListProperty<{cls}>(\"{prop}\", {get}, {set})",
        "vocabs" or "enums" => $"new StringListProperty<{cls}>(\"{prop}\", {get}, {set}, Vocabularies.{Pascal(k[1])})",
        "int" => $"new Int32Property<{cls}>(\"{prop}\", {get}, {set}, {k[1]}, {k[2]})",
        "long" => $"new Int64Property<{cls}>(\"{prop}\", {get}, {set}, {k[1]}, {k[2]})",
        "double" => $"new DoubleProperty<{cls}>(\"{prop}\", {get}, {set}, {k[1]}, {k[2]})",
        "bool" => $"new BooleanProperty<{cls}>(\"{prop}\", {get}, {set})",
        "timestamp" => $"new TimestampProperty<{cls}>(\"{prop}\", {get}, {set})",
        "ref" => $"new RefProperty<{cls}>(\"{prop}\", {get}, {set}, {RefTarget(k[1])})",
        "refs" => $"new RefListProperty<{cls}>(\"{prop}\", {get}, {set}, {RefTarget(k[1])})",
        "killchain" => $"new KillChainPhasesProperty<{cls}>(\"{prop}\", {get}, {set})",
        "hashes" => $"new HashesProperty<{cls}>(\"{prop}\", {get}, {set})",
        "dict" => $"new RawProperty<{cls}>(\"{prop}\", {get}, {set}, RawShape.Dictionary)",
        "raw" => $"new RawProperty<{cls}>(\"{prop}\", {get}, {set}, RawShape.Any)",
        _ => throw new InvalidOperationException(kind),
    };
    return required ? body + " { Required = true }" : body;
}

var model = new StringBuilder();
model.AppendLine("// <auto-generated> by tools/modelgen.cs from tools/stix-model.txt; edit those, then run: dotnet run tools/modelgen.cs </auto-generated>");
model.AppendLine("#nullable enable");
model.AppendLine("namespace ThreatLedger.Stix;");
foreach (var t in types)
{
    string baseClass = t.Kind switch { "sdo" => "StixDomainObject", "sro" => "StixRelationshipObject", "sco" => "StixCyberObservable", _ => "StixCommonObject" };
    model.AppendLine();
    model.AppendLine($"/// <summary>The STIX 2.1 <c>{t.Name}</c> object (§{t.Section}).</summary>");
    model.AppendLine($"public sealed partial class {t.Class} : {baseClass}");
    model.AppendLine("{");
    model.AppendLine($"    /// <summary>The type name, <c>{t.Name}</c>.</summary>");
    model.AppendLine($"    public const string TypeName = \"{t.Name}\";");
    model.AppendLine();
    model.AppendLine($"    /// <summary>Creates an empty <c>{t.Name}</c>; set <see cref=\"StixObject.Id\"/> and the required properties.</summary>");
    model.AppendLine($"    public {t.Class}()");
    model.AppendLine("        : base(TypeName)");
    model.AppendLine("    {");
    model.AppendLine("    }");
    if (t.Kind is "marking" or "meta")
    {
        model.AppendLine();
        model.AppendLine("    /// <inheritdoc/>");
        model.AppendLine("    public override StixObjectKind Kind => StixObjectKind.MetaObject;");
    }
    int slot = CommonCount(t.Kind);
    foreach (var p in t.Props)
    {
        string member = MemberName(t.Class, p.Prop);
        string type = IsText(p.Kind) ? "Utf8Text" : ClrType(p.Kind);
        model.AppendLine();
        model.AppendLine($"    /// <summary><c>{p.Prop}</c>{(p.Required ? " (required)" : string.Empty)}.</summary>");
        if (IsText(p.Kind))
        {
            model.AppendLine($"    public string? {member} {{ get => {member}Utf8.ToString(); set => {member}Utf8 = Utf8Text.From(value); }}");
            model.AppendLine();
            model.AppendLine($"    /// <summary><c>{p.Prop}</c> as kept from the source.</summary>");
            model.AppendLine($"    internal Utf8Text {member}Utf8");
        }
        else
        {
            model.AppendLine($"    public {type} {member}");
        }

        model.AppendLine("    {");
        model.AppendLine($"        get => GetValue<{type}>({slot});");
        model.AppendLine($"        set => SetValue({slot}, value);");
        model.AppendLine("    }");
        slot++;
    }
    model.AppendLine("}");
}
File.WriteAllText(Path.Combine(root, "src/ThreatLedger.Stix/Objects/StixObjects.g.cs"), model.ToString());

var reg = new StringBuilder();
reg.AppendLine("// <auto-generated> by tools/modelgen.cs from tools/stix-model.txt; edit those, then run: dotnet run tools/modelgen.cs </auto-generated>");
reg.AppendLine("#nullable enable");
reg.AppendLine("using ThreatLedger.Stix.Validation;");
reg.AppendLine();
reg.AppendLine("namespace ThreatLedger.Stix.Serialization;");
reg.AppendLine();
reg.AppendLine("internal static partial class StixTypeRegistry");
reg.AppendLine("{");
reg.AppendLine("    private static IEnumerable<StixTypeInfo> GeneratedTypes()");
reg.AppendLine("    {");
foreach (var t in types)
{
    string kind = t.Kind switch { "sdo" => "DomainObject", "sro" => "RelationshipObject", "sco" => "CyberObservable", _ => "MetaObject" };
    string common = t.Kind switch { "sco" => "CyberObservable", "marking" => "MarkingDefinition", _ => "Common" };
    reg.AppendLine($"        yield return new StixTypeInfo(\"{t.Name}\", StixObjectKind.{kind}, static () => new {t.Class}(),");
    reg.AppendLine("        [");
    reg.AppendLine($"            .. CommonProperties.{common}<{t.Class}>(),");
    foreach (var p in t.Props)
    {
        reg.AppendLine($"            {PropertyCtor(t.Class, p.Prop, p.Kind, p.Required)},");
    }
    reg.AppendLine($"        ], TypeRules.For(\"{t.Name}\"), ownFrom: {CommonCount(t.Kind)});");
}
reg.AppendLine("    }");
reg.AppendLine("}");
File.WriteAllText(Path.Combine(root, "src/ThreatLedger.Stix/Serialization/StixTypeRegistry.g.cs"), reg.ToString());
Console.WriteLine($"{types.Count} types, {types.Sum(t => t.Props.Count)} properties");
