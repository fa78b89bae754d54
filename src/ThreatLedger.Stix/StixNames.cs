namespace ThreatLedger.Stix;

/// <summary>Character-level rules for STIX names (STIX 2.1 §3.1, §11).</summary>
public static class StixNames
{
    /// <summary>
    /// A type name: 3–250 characters of a–z, 0–9 and '-', starting with a letter, no '--'
    /// (the identifier separator) and not ending with '-'.
    /// </summary>
    public static bool IsValidTypeName(ReadOnlySpan<char> name)
    {
        if (name.Length is < 3 or > 250 || name[0] is < 'a' or > 'z' || name[^1] == '-')
        {
            return false;
        }

        for (int i = 1; i < name.Length; i++)
        {
            char c = name[i];
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                continue;
            }

            if (c != '-' || name[i - 1] == '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The same rule as <see cref="IsValidTypeName(ReadOnlySpan{char})"/> on UTF-8 bytes.</summary>
    public static bool IsValidTypeName(ReadOnlySpan<byte> name)
    {
        if (name.Length is < 3 or > 250 || name[0] is < (byte)'a' or > (byte)'z' || name[^1] == '-')
        {
            return false;
        }

        for (int i = 1; i < name.Length; i++)
        {
            byte c = name[i];
            if (c is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9'))
            {
                continue;
            }

            if (c != '-' || name[i - 1] == '-')
            {
                return false;
            }
        }

        return true;
    }

    private static readonly System.Buffers.SearchValues<byte> s_uuidBytes = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF-"u8);

    /// <summary>The same rule as <see cref="IsRfc4122Uuid(ReadOnlySpan{char})"/> on UTF-8 bytes (vectorised).</summary>
    public static bool IsRfc4122Uuid(ReadOnlySpan<byte> s)
    {
        // Only hex digits and '-' anywhere, '-' exactly at the four group boundaries.
        if (s.Length != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' || s.ContainsAnyExcept(s_uuidBytes)
            || s[..8].Contains((byte)'-') || s[9..13].Contains((byte)'-') || s[14..18].Contains((byte)'-') || s[19..23].Contains((byte)'-') || s[24..].Contains((byte)'-'))
        {
            return false;
        }

        return s[14] is >= (byte)'1' and <= (byte)'5' && s[19] is (byte)'8' or (byte)'9' or (byte)'a' or (byte)'b' or (byte)'A' or (byte)'B';
    }

    /// <summary>A property name: 3–250 characters of a–z, 0–9 and '_', starting with a letter (the rule for custom properties).</summary>
    public static bool IsValidPropertyName(ReadOnlySpan<char> name)
    {
        if (name.Length is < 3 or > 250 || name[0] is < 'a' or > 'z')
        {
            return false;
        }

        foreach (char c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 4122 text form: 8-4-4-4-12 hex digits, version 1–5, variant 10xx.</summary>
    public static bool IsRfc4122Uuid(ReadOnlySpan<char> s)
    {
        if (s.Length != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
        {
            return false;
        }

        for (int i = 0; i < 36; i++)
        {
            if (i is 8 or 13 or 18 or 23)
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(s[i]))
            {
                return false;
            }
        }

        return s[14] is >= '1' and <= '5' && s[19] is '8' or '9' or 'a' or 'b' or 'A' or 'B';
    }

    /// <summary>The version digit of an RFC 4122 UUID text (1–5), or 0.</summary>
    public static int UuidVersion(ReadOnlySpan<char> uuid) => uuid.Length == 36 ? uuid[14] - '0' : 0;

    /// <summary>A dictionary key: 1–250 characters of a–z, A–Z, 0–9, '-' and '_'.</summary>
    public static bool IsValidDictionaryKey(ReadOnlySpan<char> key)
    {
        if (key.Length is < 1 or > 250)
        {
            return false;
        }

        foreach (char c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An RFC 5646 language tag, checked for its shape (letters, digits, hyphen-separated subtags).</summary>
    public static bool IsLanguageTag(ReadOnlySpan<char> tag)
    {
        if (tag.Length is < 2 or > 64)
        {
            return false;
        }

        int subtag = 0;
        int index = 0;
        foreach (char c in tag)
        {
            if (c == '-')
            {
                if (subtag == 0)
                {
                    return false;
                }

                subtag = 0;
                index++;
                continue;
            }

            if (!char.IsAsciiLetterOrDigit(c) || ++subtag > 8 || (index == 0 && !char.IsAsciiLetter(c)))
            {
                return false;
            }
        }

        return subtag > 0;
    }
}
