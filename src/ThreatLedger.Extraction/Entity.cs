namespace ThreatLedger.Extraction;

/// <summary>
/// One thing found in a text (all its mentions together): what kind, how it was written, its
/// normalised value, the known object it is, and where.
/// </summary>
public sealed class Entity
{
    /// <summary>threat-actor, organization, country, vulnerability, product, attack-type, ipv4, ipv6, domain, url, email, md5, sha1, sha256, sha512, date, claim (and malware, tool, campaign).</summary>
    public required string Kind { get; init; }

    /// <summary>The first mention as written.</summary>
    public required string Text { get; init; }

    /// <summary>The normalised value: canonical name, ISO country code, CVE id, refanged lower-case domain, YYYY[-MM[-DD]] date, or a <see cref="ClaimValue"/>.</summary>
    public required object Value { get; init; }

    /// <summary>Every known name (for actors), when linked.</summary>
    public IReadOnlyList<string>? Aliases { get; set; }

    /// <summary>The store object, when linked.</summary>
    public string? Id { get; init; }

    /// <summary>Character offsets [start, end) of every mention in the input text.</summary>
    public List<int[]> Spans { get; } = [];

    /// <summary>The alias or rule that matched, and how sure the match is (0–1).</summary>
    public required string Rule { get; init; }

    /// <summary>How sure the match is, 0–1.</summary>
    public double Score { get; init; } = 1.0;
}

/// <summary>What a claim says, as found in the text.</summary>
/// <param name="Type">attribution, joint-statement, declined-to-join, indictment or sanction.</param>
/// <param name="Author">Who makes it (canonical name).</param>
/// <param name="Subject">Who is blamed.</param>
/// <param name="Sponsor">Who is said to be behind it.</param>
/// <param name="Date">When (YYYY-MM-DD, or shorter).</param>
/// <param name="Confidence">0–100 from the estimative wording, if any.</param>
/// <param name="Wording">The sentence.</param>
public sealed record ClaimValue(string Type, string? Author, string? Subject, string? Sponsor, string? Date, int? Confidence, string Wording)
{
    /// <summary>The author's store object, when known.</summary>
    public string? AuthorId { get; init; }

    /// <summary>The subject's store object, when known.</summary>
    public string? SubjectId { get; init; }

    /// <summary>The sponsor's store object, when known.</summary>
    public string? SponsorId { get; init; }

    /// <summary>For a joint statement: the parties named as taking part.</summary>
    public IReadOnlyList<string>? Participants { get; init; }
}
