using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ThreatLedger.Storage;

/// <summary>
/// The opaque <c>next</c> cursor: the store sequence of the last item returned. Sequences only grow
/// and are never reused, so a cursor stays correct while writes continue: later writes come after it.
/// </summary>
internal static class Cursor
{
    private const string Prefix = "s1.";

    public static string Encode(long sequence) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + sequence.ToString(CultureInfo.InvariantCulture)));

    public static long Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return 0;
        }

        try
        {
            string text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith(Prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long seq))
            {
                return seq;
            }
        }
        catch (FormatException)
        {
        }

        throw new FormatException($"'{cursor}' is not a next cursor from this store; start again without next");
    }
}
