namespace ThreatLedger.Cli;

/// <summary>Loads a document: a file (gzip detected by its magic bytes) or standard input for "-".</summary>
internal static class InputFile
{
    public static byte[] ReadAllBytes(string path, long maxBytes = int.MaxValue)
    {
        // The importer's opener: the same gzip detection for every command.
        using var body = ThreatLedger.Storage.StixImporter.OpenInput(path, out _);
        var output = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = body.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (output.Length + read > maxBytes)
            {
                throw new IOException($"the document is larger than the limit of {maxBytes} bytes");
            }

            output.Write(chunk, 0, read);
        }

        return output.ToArray();
    }
}
