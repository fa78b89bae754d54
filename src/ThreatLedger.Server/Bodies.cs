namespace ThreatLedger.Server;

/// <summary>Reading a request or fetched body within a byte limit.</summary>
internal static class Bodies
{
    /// <summary>The whole of <paramref name="input"/>, or null as soon as it passes <paramref name="max"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(Stream input, long max, CancellationToken ct)
    {
        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = await input.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            if (ms.Length + n > max)
            {
                return null;
            }

            ms.Write(buffer, 0, n);
        }

        return ms.ToArray();
    }
}
