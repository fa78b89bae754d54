using System.Globalization;
using System.Text.Json.Nodes;
using ThreatLedger.Stix;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Storage.Tests;

/// <summary>Builds small, valid STIX 2.1 objects as JSON for the store tests.</summary>
internal static class StixBuilders
{
    /// <summary>When every test object was created (before every modified used by the tests).</summary>
    public const string Created = "2021-01-01T00:00:00.000Z";

    private static readonly DateTime s_base = new(2021, 7, 19, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A modified timestamp: 2021-07-19T00:00:00.000Z plus <paramref name="day"/> days.</summary>
    public static string Ts(int day) => s_base.AddDays(day).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The timestamp <see cref="Ts"/> gives, parsed.</summary>
    public static StixTimestamp V(int day) => StixTimestamp.Parse(Ts(day));

    /// <summary>A fresh id with a random (version 4) UUID.</summary>
    public static string NewId(string type) => type + "--" + Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture);

    /// <summary>The canonical TLP 2.0 marking id of a level.</summary>
    public static string TlpId(TlpLevel level) => MarkingDefinitionRules.Tlp2Ids[level switch
    {
        TlpLevel.Clear => "clear",
        TlpLevel.Green => "green",
        TlpLevel.Amber => "amber",
        TlpLevel.AmberStrict => "amber+strict",
        _ => "red",
    }];

    public static JsonArray Arr(params string[] items) => new(items.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());

    /// <summary>A copy of <paramref name="o"/> with one property set (null removes it).</summary>
    public static JsonObject With(this JsonObject o, string name, JsonNode? value)
    {
        var copy = (JsonObject)o.DeepClone();
        if (value is null)
        {
            copy.Remove(name);
        }
        else
        {
            copy[name] = value.Parent is null ? value : value.DeepClone();
        }

        return copy;
    }

    public static JsonObject With(this JsonObject o, string name, string value) => o.With(name, JsonValue.Create(value));

    /// <summary>A copy with another modified timestamp (a new version).</summary>
    public static JsonObject At(this JsonObject o, int day) => o.With("modified", Ts(day));

    /// <summary>A copy marked with the canonical TLP 2.0 marking of <paramref name="level"/>.</summary>
    public static JsonObject Marked(this JsonObject o, params TlpLevel[] levels) => o.With("object_marking_refs", Arr(levels.Select(TlpId).ToArray()));

    public static string IdOf(this JsonObject o) => (string)o["id"]!;

    public static JsonObject Sdo(string type, string? id = null, int day = 0) => new()
    {
        ["type"] = type,
        ["spec_version"] = "2.1",
        ["id"] = id ?? NewId(type),
        ["created"] = Created,
        ["modified"] = Ts(day),
    };

    public static JsonObject IntrusionSet(string name, string? id = null, int day = 0) => Sdo("intrusion-set", id, day).With("name", name);

    public static JsonObject Malware(string name, string? id = null, int day = 0) =>
        Sdo("malware", id, day).With("name", name).With("is_family", JsonValue.Create(true));

    public static JsonObject Tool(string name, string? id = null, int day = 0) => Sdo("tool", id, day).With("name", name);

    public static JsonObject ThreatActor(string name, string? id = null, int day = 0) => Sdo("threat-actor", id, day).With("name", name);

    public static JsonObject Identity(string name, string? id = null, int day = 0) =>
        Sdo("identity", id, day).With("name", name).With("identity_class", "organization");

    public static JsonObject Relationship(string relationshipType, string source, string target, string? id = null, int day = 0) =>
        Sdo("relationship", id, day).With("relationship_type", relationshipType).With("source_ref", source).With("target_ref", target);

    public static JsonObject Report(string name, IEnumerable<string> objectRefs, string? id = null, int day = 0) =>
        Sdo("report", id, day).With("name", name).With("published", Ts(day)).With("object_refs", Arr(objectRefs.ToArray()));

    public static JsonObject Sighting(string of, IEnumerable<string> where, string? id = null, int day = 0) =>
        Sdo("sighting", id, day).With("sighting_of_ref", of).With("where_sighted_refs", Arr(where.ToArray()));

    public static JsonObject Ipv4(string value, string? id = null) => new()
    {
        ["type"] = "ipv4-addr",
        ["spec_version"] = "2.1",
        ["id"] = id ?? NewId("ipv4-addr"),
        ["value"] = value,
    };

    public static JsonObject StatementMarking(string statement, string? id = null) => new()
    {
        ["type"] = "marking-definition",
        ["spec_version"] = "2.1",
        ["id"] = id ?? NewId("marking-definition"),
        ["created"] = Created,
        ["definition_type"] = "statement",
        ["definition"] = new JsonObject { ["statement"] = statement },
    };

    /// <summary>Reads the object with the STIX core (so it must be valid) and prepares it for a store.</summary>
    public static PreparedObject Prepare(this JsonObject o, int index = 0) => PreparedObject.From(StixJson.ParseObject(o.ToJsonString()), index);
}
