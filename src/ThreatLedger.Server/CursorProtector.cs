using System.Security.Cryptography;
using System.Text;
using ThreatLedger.Storage;

namespace ThreatLedger.Server;

/// <summary>
/// Makes TAXII <c>next</c> cursors opaque: the store's cursor (a position in its sequence) is encrypted
/// with AES-GCM under a key kept in the store's settings, bound to the user it was issued to. A caller
/// can neither read positions from it (which would count hidden objects between two pages) nor forge one.
/// </summary>
internal sealed class CursorProtector(IStixStore store)
{
    private const string Setting = "cursor-key";
    private readonly Lazy<Task<byte[]>> _key = new(() => LoadKeyAsync(store));

    public async Task<string> ProtectAsync(string cursor, string user)
    {
        var key = await _key.Value.ConfigureAwait(false);
        var plain = Encoding.UTF8.GetBytes(cursor);
        var output = new byte[12 + plain.Length + 16];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(output.AsSpan(0, 12), plain, output.AsSpan(12, plain.Length), output.AsSpan(12 + plain.Length), Encoding.UTF8.GetBytes(user));
        return Convert.ToBase64String(output).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <exception cref="FormatException">The text is not a cursor this server issued to this user.</exception>
    public async Task<string> UnprotectAsync(string text, string user)
    {
        var key = await _key.Value.ConfigureAwait(false);
        byte[] data;
        try
        {
            string b64 = text.Replace('-', '+').Replace('_', '/');
            data = Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '='));
        }
        catch (FormatException)
        {
            data = [];
        }

        if (data.Length < 12 + 16)
        {
            throw new FormatException("next is not a cursor this server issued; use the next value of the previous page");
        }

        var plain = new byte[data.Length - 28];
        try
        {
            using var aes = new AesGcm(key, 16);
            aes.Decrypt(data.AsSpan(0, 12), data.AsSpan(12, plain.Length), data.AsSpan(12 + plain.Length), plain, Encoding.UTF8.GetBytes(user));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new FormatException("next is not a cursor this server issued to you; use the next value of the previous page");
        }

        return Encoding.UTF8.GetString(plain);
    }

    private static async Task<byte[]> LoadKeyAsync(IStixStore store)
    {
        if (await store.GetSettingAsync(Setting).ConfigureAwait(false) is { } existing)
        {
            return Convert.FromBase64String(existing);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        await store.SetSettingAsync(Setting, Convert.ToBase64String(key)).ConfigureAwait(false);
        return key;
    }
}
