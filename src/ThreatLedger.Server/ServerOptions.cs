using ThreatLedger.Storage;

namespace ThreatLedger.Server;

/// <summary>How the server runs.</summary>
public sealed class ServerOptions
{
    /// <summary>Where Kestrel listens (e.g. http://127.0.0.1:5080; port 0 picks a free one).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>The largest request body accepted, in bytes (TAXII <c>max_content_length</c>).</summary>
    public long MaxContentLength { get; init; } = 100L << 20;

    /// <summary>The TLP level assumed for objects without a TLP marking.</summary>
    public TlpLevel UnmarkedTlp { get; init; } = TlpLevel.Clear;

    /// <summary>The most objects one page may hold (a larger <c>limit</c> is lowered to this).</summary>
    public int MaxPageSize { get; init; } = 1000;

    /// <summary>The server's title in TAXII discovery.</summary>
    public string Title { get; init; } = "ThreatLedger";
}
