using System.IO.Compression;

namespace ThreatLedger.Stix.Tests.Schema;

/// <summary>The shared STIX documents whose objects are read, written back and checked against the schemas.</summary>
internal static class SchemaCorpus
{
    /// <summary>Shown as the only case when the shared data is absent, so the theory reports one clear skip.</summary>
    public const string Missing = "(shared data not found)";

    /// <summary>Folders (under shared/data) searched for STIX documents; each *.json / *.json.gz file is one case.</summary>
    private static readonly string[] s_folders = ["attack", "stix-common-objects", "stix2-json-schemas/examples"];

    /// <summary>Every STIX document in the corpus, as paths relative to shared/data with '/' separators, sorted.</summary>
    public static IReadOnlyList<string> Documents()
    {
        if (SharedData.DataDirectory is not { } root)
        {
            return [Missing];
        }

        var found = new List<string>();
        foreach (string folder in s_folders)
        {
            string dir = Path.Combine(root, folder);
            if (!System.IO.Directory.Exists(dir))
            {
                continue;
            }

            foreach (string file in System.IO.Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                string name = Path.GetFileName(file);
                bool isJson = name.EndsWith(".json", StringComparison.Ordinal) || name.EndsWith(".json.gz", StringComparison.Ordinal);
                if (isJson && !name.Equals("PROVENANCE.json", StringComparison.Ordinal))
                {
                    found.Add(Path.GetRelativePath(root, file).Replace('\\', '/'));
                }
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found.Count > 0 ? found : [Missing];
    }

    /// <summary>The bytes of a corpus document (gunzipped when it ends in .gz); skips the test when absent.</summary>
    public static byte[] Load(string relativePath)
    {
        Skip.If(relativePath == Missing, SharedData.MissingReason);
        string path = SharedData.SkipIfMissing(relativePath.Split('/'));
        if (!path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return System.IO.File.ReadAllBytes(path);
        }

        using var file = System.IO.File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }
}
