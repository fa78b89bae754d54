using System.Buffers;
using System.Text.Json;
using ThreatLedger.Stix.Identifiers;

namespace ThreatLedger.Stix.Validation;

/// <summary>
/// Deterministic SCO identifiers (§2.9): a UUIDv5 in the STIX namespace over the JCS form of the
/// type's ID-contributing properties. Producers SHOULD use them, so a mismatch is a warning.
/// </summary>
public static class DeterministicIds
{
    private static readonly Dictionary<string, string[]> s_contributing = new(StringComparer.Ordinal)
    {
        ["artifact"] = ["hashes", "payload_bin"],
        ["autonomous-system"] = ["number"],
        ["directory"] = ["path"],
        ["domain-name"] = ["value"],
        ["email-addr"] = ["value"],
        ["email-message"] = ["from_ref", "subject", "body"],
        ["file"] = ["hashes", "name", "extensions", "parent_directory_ref"],
        ["ipv4-addr"] = ["value"],
        ["ipv6-addr"] = ["value"],
        ["mac-addr"] = ["value"],
        ["mutex"] = ["name"],
        ["network-traffic"] = ["start", "end", "src_ref", "dst_ref", "src_port", "dst_port", "protocols", "extensions"],
        ["software"] = ["name", "cpe", "swid", "vendor", "version"],
        ["url"] = ["value"],
        ["user-account"] = ["account_type", "user_id", "account_login"],
        ["windows-registry-key"] = ["key", "values"],
        ["x509-certificate"] = ["hashes", "serial_number"],
    };

    private static readonly string[] s_hashPreference = ["MD5", "SHA-1", "SHA-256", "SHA-512"];

    /// <summary>
    /// The deterministic id for an SCO, or null when its type has no ID-contributing properties
    /// (process, custom types) or none of them is set — then a random version 4 id is right.
    /// </summary>
    public static StixId? Compute(StixCyberObservable observable)
    {
        ArgumentNullException.ThrowIfNull(observable);
        if (!s_contributing.TryGetValue(observable.Type, out var names))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(StixJson.SerializeToUtf8Bytes(observable), JsonCopy.DeepDocument);
        var buffer = new ArrayBufferWriter<byte>();
        int count = 0;
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (string name in names)
            {
                if (!doc.RootElement.TryGetProperty(name, out var value))
                {
                    continue;
                }

                count++;
                w.WritePropertyName(name);
                if (name == "hashes" && value.ValueKind == JsonValueKind.Object)
                {
                    WriteOneHash(w, value);
                }
                else
                {
                    value.WriteTo(w);
                }
            }

            w.WriteEndObject();
        }

        if (count == 0)
        {
            return null;
        }

        byte[] canonical = JsonCanonicalizer.Canonicalize(buffer.WrittenSpan);
        return StixId.Create(observable.Type, Uuid5.Create(Uuid5.StixScoNamespace, canonical));
    }

    /// <summary>Only one hash contributes: the first of MD5, SHA-1, SHA-256, SHA-512 present, else the first listed.</summary>
    private static void WriteOneHash(Utf8JsonWriter w, JsonElement hashes)
    {
        w.WriteStartObject();
        foreach (string algorithm in s_hashPreference)
        {
            if (hashes.TryGetProperty(algorithm, out var v))
            {
                w.WritePropertyName(algorithm);
                v.WriteTo(w);
                w.WriteEndObject();
                return;
            }
        }

        foreach (var p in hashes.EnumerateObject())
        {
            p.WriteTo(w);
            break;
        }

        w.WriteEndObject();
    }

    internal static void Check(StixObject obj, ValidationContext ctx)
    {
        if (obj is not StixCyberObservable sco)
        {
            return;
        }

        StixId? expected;
        try
        {
            expected = Compute(sco);
        }
        catch (ArgumentException)
        {
            // Values the canonical form rejects (e.g. numbers outside double range) are reported elsewhere.
            return;
        }

        if (expected is { } id && id != obj.Id)
        {
            ctx.Warning("sco-id-deterministic", "id", $"a version 5 SCO id should be derived from its contributing properties: expected {id}");
        }
    }
}
