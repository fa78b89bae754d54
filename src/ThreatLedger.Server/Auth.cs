using System.Text;
using Microsoft.AspNetCore.Http;

namespace ThreatLedger.Server;

/// <summary>
/// Authentication for every request: <c>Authorization: Bearer TOKEN</c>, or HTTP Basic with the user
/// name and an API token as the password. A request without valid credentials gets 401 and a TAXII
/// error; the user is kept in <see cref="HttpContext.Items"/> for the endpoints.
/// </summary>
internal static class Auth
{
    private const string Key = "threatledger.user";

    public static User UserOf(HttpContext c) => (User)c.Items[Key]!;

    /// <summary>Whether the request carries HTTP Basic credentials whose secret is a password (not an API token).</summary>
    public static bool IsPasswordAttempt(HttpContext c)
    {
        string? header = c.Request.Headers.Authorization.FirstOrDefault();
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && !decoded[(colon + 1)..].StartsWith("tl_", StringComparison.Ordinal);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Who an anonymous request is, for rate limits and the audit log.</summary>
    public static string From(HttpContext c) => c.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The authenticated user's name, or the caller's address.</summary>
    public static string NameOrAddress(HttpContext c) => c.Items.TryGetValue(Key, out var u) && u is User user ? user.Name : From(c);

    public static async Task<bool> AuthenticateAsync(HttpContext c, UserDirectory users)
    {
        string? header = c.Request.Headers.Authorization.FirstOrDefault();
        User? user = null;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            user = await users.AuthenticateAsync(header[7..].Trim(), null, From(c), c.RequestAborted).ConfigureAwait(false);
        }
        else if (header is not null && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            }
            catch (FormatException)
            {
                decoded = string.Empty;
            }

            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                user = await users.AuthenticateAsync(decoded[(colon + 1)..], decoded[..colon], From(c), c.RequestAborted).ConfigureAwait(false);
            }
        }

        if (user is null)
        {
            return false;
        }

        c.Items[Key] = user;
        return true;
    }
}
