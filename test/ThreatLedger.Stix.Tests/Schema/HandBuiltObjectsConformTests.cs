using System.Text;
using ThreatLedger.Stix.Validation;
using Xunit.Abstractions;

namespace ThreatLedger.Stix.Tests.Schema;

/// <summary>
/// One object of each of the 42 STIX 2.1 types, built in C# with the typed classes (<see cref="Some"/>),
/// must pass ThreatLedger's own rules (<see cref="StixJson.Validate"/>, no errors) and, once written by
/// ThreatLedger, the official OASIS schema for its type.
/// </summary>
public sealed class HandBuiltObjectsConformTests
{
    private readonly ITestOutputHelper _output;

    public HandBuiltObjectsConformTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public static TheoryData<string> Types()
    {
        var data = new TheoryData<string>();
        foreach (string type in Some.Types)
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void Some_BuildsEachOfThe42TypesWithItsTypedClass()
    {
        Assert.Equal(42, Some.Types.Count);
        foreach (string type in Some.Types)
        {
            var obj = Some.Of(type);
            Assert.Equal(type, obj.Type);
            Assert.IsNotType<UnknownObject>(obj);
            Assert.NotEqual(StixObjectKind.Unknown, obj.Kind);
            Assert.True(obj.Id.IsWellFormed, $"{type}: {obj.Id}");
            Assert.Equal(type, obj.Id.Type);
        }
    }

    [SkippableFact]
    public void EveryOasisObjectSchema_HasAHandBuiltObject()
    {
        var schemas = StixSchemaSet.Require();
        Assert.Equal(schemas.Types.OrderBy(t => t, StringComparer.Ordinal), Some.Types.OrderBy(t => t, StringComparer.Ordinal));
    }

    [SkippableTheory]
    [MemberData(nameof(Types))]
    public void HandBuiltObject_PassesValidateAndItsSchema(string type)
    {
        var obj = Some.Of(type);

        var diagnostics = StixJson.Validate(obj);
        foreach (var d in diagnostics)
        {
            _output.WriteLine(d.ToString());
        }

        var errors = diagnostics.Where(d => d.Severity == StixSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"StixJson.Validate reported {errors.Count} error(s) for the hand-built {type}:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");

        byte[] json = StixJson.SerializeToUtf8Bytes(obj);
        _output.WriteLine(Encoding.UTF8.GetString(json));

        // What was written reads back without errors and writes the same bytes again.
        var reread = StixJson.Read(json, fileName: type + ".json");
        Assert.True(reread.ErrorCount == 0, string.Join(Environment.NewLine, reread.Diagnostics));
        Assert.Equal(Encoding.UTF8.GetString(json), Encoding.UTF8.GetString(StixJson.SerializeToUtf8Bytes(Assert.Single(reread.Objects))));

        var check = StixSchemaSet.Require().Check(json);
        Assert.Equal(type, Path.GetFileNameWithoutExtension(check.SchemaName));
        Assert.True(check.IsValid, check.Describe(obj.Id.Value) + Environment.NewLine + "    written: " + Encoding.UTF8.GetString(json));
    }
}
