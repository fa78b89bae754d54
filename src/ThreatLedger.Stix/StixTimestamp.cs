using System.Globalization;
using System.Text;

namespace ThreatLedger.Stix;

/// <summary>
/// A STIX timestamp (STIX 2.1 §3.2): <c>YYYY-MM-DDTHH:mm:ss[.s+]Z</c>, always UTC.
/// The number of fractional digits is kept, so the text written back is the text that was read.
/// </summary>
public readonly struct StixTimestamp : IEquatable<StixTimestamp>, IComparable<StixTimestamp>
{
    private const int MaxTickDigits = 7;
    private readonly long _ticks;
    private readonly int _digits;
    private readonly string? _text;

    private StixTimestamp(long ticks, int digits, string? text)
    {
        _ticks = ticks;
        _digits = digits;
        _text = text;
    }

    /// <summary>Wraps a UTC instant with the given number of fractional-second digits (0–7).</summary>
    /// <exception cref="ArgumentOutOfRangeException">digits is outside 0–7.</exception>
    public StixTimestamp(DateTime utc, int fractionDigits = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fractionDigits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fractionDigits, MaxTickDigits);
        long ticks = utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime().Ticks : utc.Ticks;
        long unit = TicksPerDigit(fractionDigits);
        _ticks = ticks - (ticks % unit);
        _digits = fractionDigits;
        _text = null;
    }

    /// <summary>The instant, UTC (truncated to 100 ns when the text is more precise).</summary>
    public DateTime UtcDateTime => new(_ticks, DateTimeKind.Utc);

    /// <summary>The instant as ticks since 0001-01-01 UTC.</summary>
    public long Ticks => _ticks;

    /// <summary>True when the exact text is kept because ticks cannot represent it (finer than 100 ns, or a leap second).</summary>
    internal bool HasText => _text is not null;

    /// <summary>Number of digits after the decimal point in the text (0 when there is no fraction).</summary>
    public int FractionDigits => _digits;

    /// <summary>The current time with millisecond precision, from the given clock.</summary>
    public static StixTimestamp Now(TimeProvider? clock = null) =>
        new((clock ?? TimeProvider.System).GetUtcNow().UtcDateTime, 3);

    /// <summary>Parses STIX timestamp text.</summary>
    /// <exception cref="FormatException">Not a STIX timestamp.</exception>
    public static StixTimestamp Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(Encoding.UTF8.GetBytes(text), out var ts)
            ? ts
            : throw new FormatException($"'{text}' is not a STIX timestamp (expected YYYY-MM-DDTHH:mm:ss[.s+]Z, e.g. 2021-07-19T00:00:00.000Z).");
    }

    /// <summary>Parses STIX timestamp text given as a string.</summary>
    public static bool TryParse(string? text, out StixTimestamp value)
    {
        value = default;
        return text is not null && TryParse(Encoding.UTF8.GetBytes(text), out value);
    }

    /// <summary>Parses STIX timestamp text given as UTF-8.</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out StixTimestamp value)
    {
        value = default;
        // yyyy-MM-ddTHH:mm:ssZ is the shortest form (20 bytes).
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[^1] != 'Z')
        {
            return false;
        }

        if (!TryDigits(s, 0, 4, out int year) || !TryDigits(s, 5, 2, out int month) || !TryDigits(s, 8, 2, out int day)
            || !TryDigits(s, 11, 2, out int hour) || !TryDigits(s, 14, 2, out int minute) || !TryDigits(s, 17, 2, out int second))
        {
            return false;
        }

        // RFC 3339 allows a leap second (23:59:60); it is kept as text and ordered as 23:59:59.
        bool leapSecond = second == 60 && hour == 23 && minute == 59;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || (second > 59 && !leapSecond))
        {
            return false;
        }

        if (leapSecond)
        {
            second = 59;
        }

        int digits = 0;
        long fractionTicks = 0;
        if (s.Length > 20)
        {
            if (s[19] != '.' || s.Length == 21)
            {
                return false;
            }

            digits = s.Length - 21;
            for (int i = 0; i < digits; i++)
            {
                byte b = s[20 + i];
                if (b is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }

                if (i < MaxTickDigits)
                {
                    fractionTicks = (fractionTicks * 10) + (b - '0');
                }
            }

            for (int i = digits; i < MaxTickDigits; i++)
            {
                fractionTicks *= 10;
            }
        }

        long ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fractionTicks;
        value = new StixTimestamp(ticks, digits, digits > MaxTickDigits || leapSecond ? Encoding.UTF8.GetString(s) : null);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            int d = s[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }

    private static long TicksPerDigit(int digits)
    {
        long unit = 1;
        for (int i = digits; i < MaxTickDigits; i++)
        {
            unit *= 10;
        }

        return unit;
    }

    /// <summary>Writes the text form as UTF-8; returns the number of bytes written (at most 64 for tick precision).</summary>
    public int Format(Span<byte> destination)
    {
        if (_text is not null)
        {
            return Encoding.UTF8.GetBytes(_text, destination);
        }

        var dt = UtcDateTime;
        WriteDigits(destination, 0, 4, dt.Year);
        destination[4] = (byte)'-';
        WriteDigits(destination, 5, 2, dt.Month);
        destination[7] = (byte)'-';
        WriteDigits(destination, 8, 2, dt.Day);
        destination[10] = (byte)'T';
        WriteDigits(destination, 11, 2, dt.Hour);
        destination[13] = (byte)':';
        WriteDigits(destination, 14, 2, dt.Minute);
        destination[16] = (byte)':';
        WriteDigits(destination, 17, 2, dt.Second);
        int pos = 19;
        if (_digits > 0)
        {
            destination[pos++] = (byte)'.';
            long fraction = _ticks % TimeSpan.TicksPerSecond;
            long scaled = fraction / TicksPerDigit(_digits);
            WriteDigits(destination, pos, _digits, scaled);
            pos += _digits;
        }

        destination[pos++] = (byte)'Z';
        return pos;
    }

    private static void WriteDigits(Span<byte> destination, int start, int count, long value)
    {
        for (int i = start + count - 1; i >= start; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        if (_text is not null)
        {
            return _text;
        }

        Span<byte> buffer = stackalloc byte[32];
        int n = Format(buffer);
        return Encoding.ASCII.GetString(buffer[..n]);
    }

    /// <summary>Equality compares the instant and the written precision, so that text round-trips.</summary>
    public bool Equals(StixTimestamp other) =>
        _ticks == other._ticks && _digits == other._digits && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is StixTimestamp other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_ticks, _digits);

    /// <summary>Orders by instant; digits beyond 100 ns are compared as text.</summary>
    public int CompareTo(StixTimestamp other)
    {
        int c = _ticks.CompareTo(other._ticks);
        if (c != 0 || (_text is null && other._text is null))
        {
            return c;
        }

        return string.CompareOrdinal(FractionText(), other.FractionText());
    }

    private string FractionText()
    {
        string t = ToString();
        int dot = t.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? string.Empty : t[(dot + 1)..^1].PadRight(12, '0');
    }

    /// <summary>Ordering.</summary>
    public static bool operator ==(StixTimestamp left, StixTimestamp right) => left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator !=(StixTimestamp left, StixTimestamp right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(StixTimestamp left, StixTimestamp right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(StixTimestamp left, StixTimestamp right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(StixTimestamp left, StixTimestamp right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(StixTimestamp left, StixTimestamp right) => left.CompareTo(right) >= 0;

    /// <summary>Formats for humans with the invariant culture (used in messages).</summary>
    internal string ToDisplay() => UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
