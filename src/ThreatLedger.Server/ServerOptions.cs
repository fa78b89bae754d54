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

    /// <summary>Requests per second each user (or, before authentication, each address) may make; bursts of twice that.</summary>
    public int RateLimitPerSecond { get; init; } = 200;

    /// <summary>How long one request may take before it is answered 504.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The server's title in TAXII discovery.</summary>
    public string Title { get; init; } = "ThreatLedger";
}
