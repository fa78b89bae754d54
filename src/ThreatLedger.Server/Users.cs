using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatLedger.Storage;

namespace ThreatLedger.Server;

/// <summary>What a user may do: admin (everything), analyst (read, write, review), reader (read).</summary>
public enum Role
{
    /// <summary>Reads only.</summary>
    Reader,

    /// <summary>Reads, writes and reviews.</summary>
    Analyst,

    /// <summary>Everything, including users.</summary>
    Admin,
}

/// <summary>A user of the server.</summary>
/// <param name="Name">The login name.</param>
/// <param name="Role">What the user may do.</param>
/// <param name="Clearance">The highest TLP level the user may see.</param>
/// <param name="Created">When the user was added (ISO 8601).</param>
public sealed record User(string Name, Role Role, TlpLevel Clearance, string Created);

/// <summary>An API token as listed (the token itself is shown once, when made, and stored only as a hash).</summary>
/// <param name="Id">The token's id (its first characters, safe to show).</param>
/// <param name="User">Whose it is.</param>
/// <param name="Created">When it was made.</param>
/// <param name="Revoked">When it was revoked, if it was.</param>
public sealed record TokenInfo(string Id, string User, string Created, string? Revoked);

/// <summary>
/// Users and API tokens, kept in the store's settings (so one database holds knowledge and access):
/// <c>users</c> lists the names, <c>user:NAME</c> holds a user with its tokens' SHA-256 hashes,
/// <c>token:HASH</c> points a token hash at its user. Tokens are 256 random bits, so a plain SHA-256
/// is enough to store them (a password would need a slow key-derivation function).
/// </summary>
public sealed class UserDirectory(IStixStore store, TimeProvider? clock = null)
{
    private const string TokenPrefix = "tl_";
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly SemaphoreSlim _write = new(1, 1);

    // Recently checked tokens (hash -> owner and when the entry expires): a page request should not cost two
    // store reads for authentication. A revocation here clears the entry; one made by another process is
    // seen within CacheFor.
    // The cache belongs to the store object, so every directory over one open store (the server's, an admin's) shares it.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IStixStore, System.Collections.Concurrent.ConcurrentDictionary<string, (User? User, long Expires)>> s_caches = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (User? User, long Expires)> _recent = s_caches.GetValue(store, _ => new(StringComparer.Ordinal));

    /// <summary>PBKDF2-HMAC-SHA256 iterations for passwords (OWASP's 2023 figure for this function).</summary>
    public const int PasswordIterations = 600_000;

    /// <summary>How long a token check is remembered.</summary>
    public static TimeSpan CacheFor { get; } = TimeSpan.FromSeconds(5);

    /// <summary>Parses a TLP clearance as the CLI spells it: clear, green, amber, amber+strict, red.</summary>
    /// <exception cref="FormatException">Not one of those.</exception>
    public static TlpLevel ParseClearance(string text) => text.ToLowerInvariant() switch
    {
        "clear" or "white" => TlpLevel.Clear,
        "green" => TlpLevel.Green,
        "amber" => TlpLevel.Amber,
        "amber+strict" => TlpLevel.AmberStrict,
        "red" => TlpLevel.Red,
        _ => throw new FormatException($"clearance '{text}' is not one of clear, green, amber, amber+strict, red"),
    };

    /// <summary>The CLI spelling of a clearance.</summary>
    public static string ClearanceName(TlpLevel level) => level switch
    {
        TlpLevel.Clear => "clear",
        TlpLevel.Green => "green",
        TlpLevel.Amber => "amber",
        TlpLevel.AmberStrict => "amber+strict",
        _ => "red",
    };

    /// <summary>Parses a role: admin, analyst, reader.</summary>
    /// <exception cref="FormatException">Not one of those.</exception>
    public static Role ParseRole(string text) => text.ToLowerInvariant() switch
    {
        "admin" => Role.Admin,
        "analyst" => Role.Analyst,
        "reader" => Role.Reader,
        _ => throw new FormatException($"role '{text}' is not one of admin, analyst, reader"),
    };

    /// <summary>Adds a user and makes its first token; returns the token (shown once).</summary>
    /// <exception cref="InvalidOperationException">The name is taken.</exception>
    /// <exception cref="ArgumentException">The name is empty or has characters other than letters, digits, '.', '_', '-', '@'.</exception>
    public async Task<string> AddAsync(string name, Role role, TlpLevel clearance, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 100 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@'))
        {
            throw new ArgumentException($"user name '{name}' must be 1-100 characters of letters, digits, '.', '_', '-', '@'", nameof(name));
        }

        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (await store.GetSettingAsync("user:" + name, ct).ConfigureAwait(false) is not null)
            {
                throw new InvalidOperationException($"a user named '{name}' exists; pick another name, or make a new token with 'threatledger users token {name}'");
            }

            var user = new JsonObject
            {
                ["name"] = name,
                ["role"] = role.ToString().ToLowerInvariant(),
                ["clearance"] = ClearanceName(clearance),
                ["created"] = Now(),
                ["tokens"] = new JsonArray(),
            };
            await store.SetSettingAsync("user:" + name, user.ToJsonString(), ct).ConfigureAwait(false);
            var names = await NamesAsync(ct).ConfigureAwait(false);
            names.Add(name);
            await store.SetSettingAsync("users", JsonSerializer.Serialize(names), ct).ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
        }

        await AuditAsync("cli", "user-add", $"{name}: {role.ToString().ToLowerInvariant()}, clearance {ClearanceName(clearance)}", ct).ConfigureAwait(false);

        return await NewTokenAsync(name, ct).ConfigureAwait(false);
    }

    /// <summary>Makes another token for a user; returns it (shown once).</summary>
    /// <exception cref="KeyNotFoundException">No such user.</exception>
    public async Task<string> NewTokenAsync(string name, CancellationToken ct = default)
    {
        string token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        string hash = Hash(token);
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var user = await RecordAsync(name, ct).ConfigureAwait(false) ?? throw new KeyNotFoundException($"no user named '{name}'");
            user["tokens"]!.AsArray().Add(new JsonObject { ["id"] = token[..10], ["hash"] = hash, ["created"] = Now() });
            await store.SetSettingAsync("token:" + hash, name, ct).ConfigureAwait(false);
            await store.SetSettingAsync("user:" + name, user.ToJsonString(), ct).ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
        }

        return token;
    }

    /// <summary>Sets (or replaces) a user's password: stored as PBKDF2-HMAC-SHA256 with a random salt, never in clear.</summary>
    /// <exception cref="KeyNotFoundException">No such user.</exception>
    /// <exception cref="ArgumentException">The password is shorter than 12 characters.</exception>
    public async Task SetPasswordAsync(string name, string password, string actor = "cli", CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length < 12)
        {
            throw new ArgumentException("a password needs at least 12 characters (or use API tokens only)", nameof(password));
        }

        byte[] salt = RandomNumberGenerator.GetBytes(16);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, PasswordIterations, HashAlgorithmName.SHA256, 32);
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var user = await RecordAsync(name, ct).ConfigureAwait(false) ?? throw new KeyNotFoundException($"no user named '{name}'");
            user["password"] = $"pbkdf2-sha256${PasswordIterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
            await store.SetSettingAsync("user:" + name, user.ToJsonString(), ct).ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
        }

        _recent.Clear();
        await AuditAsync(actor, "password-set", name, ct).ConfigureAwait(false);
    }

    /// <summary>Revokes a token by its id (as listed); true when one was revoked.</summary>
    public async Task<bool> RevokeAsync(string tokenId, CancellationToken ct = default)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            foreach (var name in await NamesAsync(ct).ConfigureAwait(false))
            {
                var user = await RecordAsync(name, ct).ConfigureAwait(false);
                foreach (var t in user?["tokens"]?.AsArray() ?? [])
                {
                    if ((string?)t!["id"] == tokenId && t["revoked"] is null)
                    {
                        t["revoked"] = Now();
                        await store.SetSettingAsync("token:" + (string)t["hash"]!, "revoked", ct).ConfigureAwait(false);
                        _recent.TryRemove((string)t["hash"]!, out _);
                        await AuditAsync("cli", "token-revoke", $"{tokenId} of {name}", ct).ConfigureAwait(false);
                        await store.SetSettingAsync("user:" + name, user!.ToJsonString(), ct).ConfigureAwait(false);
                        return true;
                    }
                }
            }

            return false;
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>Every user.</summary>
    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken ct = default)
    {
        var users = new List<User>();
        foreach (var name in await NamesAsync(ct).ConfigureAwait(false))
        {
            if (await GetAsync(name, ct).ConfigureAwait(false) is { } u)
            {
                users.Add(u);
            }
        }

        return users;
    }

    /// <summary>Every token (hashes are not shown).</summary>
    public async Task<IReadOnlyList<TokenInfo>> TokensAsync(CancellationToken ct = default)
    {
        var tokens = new List<TokenInfo>();
        foreach (var name in await NamesAsync(ct).ConfigureAwait(false))
        {
            foreach (var t in (await RecordAsync(name, ct).ConfigureAwait(false))?["tokens"]?.AsArray() ?? [])
            {
                tokens.Add(new TokenInfo((string)t!["id"]!, name, (string)t["created"]!, (string?)t["revoked"]));
            }
        }

        return tokens;
    }

    /// <summary>One user, or null.</summary>
    public async Task<User?> GetAsync(string name, CancellationToken ct = default) =>
        await RecordAsync(name, ct).ConfigureAwait(false) is { } r
            ? new User(name, ParseRole((string)r["role"]!), ParseClearance((string)r["clearance"]!), (string)r["created"]!)
            : null;

    /// <summary>
    /// The user an API token belongs to, or (with <paramref name="name"/>, as HTTP Basic gives) the user whose
    /// token or password <paramref name="secret"/> is; null otherwise. Checks are remembered for
    /// <see cref="CacheFor"/>; each real check (not a remembered one) is written to the audit log as a
    /// login or a failed login from <paramref name="from"/>.
    /// </summary>
    public async Task<User?> AuthenticateAsync(string secret, string? name = null, string from = "unknown", CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length is 0 or > 200)
        {
            return null;
        }

        bool isToken = secret.StartsWith(TokenPrefix, StringComparison.Ordinal);
        if (!isToken && name is null)
        {
            return null;
        }

        string key = isToken ? Hash(secret) : "pw:" + Hash(name + "\0" + secret);
        long now = _clock.GetTimestamp();
        if (!_recent.TryGetValue(key, out var known) || now >= known.Expires)
        {
            User? user;
            if (isToken)
            {
                string? owner = await store.GetSettingAsync("token:" + key, ct).ConfigureAwait(false);
                user = owner is null || owner == "revoked" ? null : await GetAsync(owner, ct).ConfigureAwait(false);
            }
            else
            {
                user = await RecordAsync(name!, ct).ConfigureAwait(false) is { } record && (string?)record["password"] is { } stored && VerifyPassword(secret, stored)
                    ? await GetAsync(name!, ct).ConfigureAwait(false)
                    : null;
            }

            known = (user, now + (long)(CacheFor.TotalSeconds * _clock.TimestampFrequency));
            if (_recent.Count > 10_000)
            {
                _recent.Clear();
            }

            _recent[key] = known;
            await AuditAsync(user?.Name ?? from, user is null ? "login-failed" : "login", (isToken ? "token " + secret[..Math.Min(10, secret.Length)] : "password") + (user is null ? $" (as '{name ?? "?"}' from {from})" : $" from {from}"), ct).ConfigureAwait(false);
        }

        if (known.User is null || (name is not null && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(known.User.Name), Encoding.UTF8.GetBytes(name))))
        {
            return null;
        }

        return known.User;
    }

    /// <summary>Writes an audit entry (actor, action, detail) now.</summary>
    public Task AuditAsync(string actor, string action, string? detail, CancellationToken ct = default) =>
        store.AuditAsync(new AuditEntry(_clock.GetUtcNow().UtcDateTime, actor, action, detail), ct);

    private static bool VerifyPassword(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int iterations))
        {
            return false;
        }

        byte[] salt = Convert.FromBase64String(parts[2]), expected = Convert.FromBase64String(parts[3]);
        return CryptographicOperations.FixedTimeEquals(Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length), expected);
    }

    private async Task<JsonNode?> RecordAsync(string name, CancellationToken ct) =>
        await store.GetSettingAsync("user:" + name, ct).ConfigureAwait(false) is { } json ? JsonNode.Parse(json) : null;

    private async Task<List<string>> NamesAsync(CancellationToken ct) =>
        await store.GetSettingAsync("users", ct).ConfigureAwait(false) is { } json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];

    private string Now() => _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
