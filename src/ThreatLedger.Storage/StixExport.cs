using System.Text.Json;
using ThreatLedger.Stix;

namespace ThreatLedger.Storage;

/// <summary>Writes the store (what a caller may see) as one STIX 2.1 bundle, streaming page by page.</summary>
public static class StixExport
{
    /// <summary>Writes the latest version of every visible object (of <paramref name="types"/>, if given) to <paramref name="output"/>; returns how many.</summary>
    public static async Task<long> WriteBundleAsync(IStixStore store, Stream output, AccessFilter? access = null, IReadOnlyList<string>? types = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        long count = 0;
        await using var w = new Utf8JsonWriter(output, StixJson.WriterOptions(indented: false));
        w.WriteStartObject();
        w.WriteString("type", "bundle");
        w.WriteString("id", "bundle--" + Guid.NewGuid().ToString("D"));
        string? next = null;
        do
        {
            var page = await store.QueryAsync(new ObjectQuery { Limit = 1000, Next = next, Access = access, Types = types }, ct).ConfigureAwait(false);
            foreach (var obj in page.Items)
            {
                // A bundle's objects list may not be empty: it is written with the first object.
                if (count++ == 0)
                {
                    w.WriteStartArray("objects");
                }

                w.WriteRawValue(obj.Json.Span, skipInputValidation: true);
            }

            await w.FlushAsync(ct).ConfigureAwait(false);
            next = page.Next;
        }
        while (next is not null);

        if (count > 0)
        {
            w.WriteEndArray();
        }

        w.WriteEndObject();
        await w.FlushAsync(ct).ConfigureAwait(false);
        return count;
    }
}
