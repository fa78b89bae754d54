using System.Globalization;

namespace ThreatLedger.Stix.Patterning;

/// <summary>The fields of a STIX timestamp <c>YYYY-MM-DDTHH:MM:SS[.fraction]Z</c>, validated against the calendar.</summary>
internal readonly struct PatternTimestamp
{
    private const string Form = "expected the form YYYY-MM-DDTHH:MM:SS[.fraction]Z (upper-case T and Z, UTC)";

    private PatternTimestamp(int year, int month, int day, int hour, int minute, int second, string fraction)
    {
        Year = year;
        Month = month;
        Day = day;
        Hour = hour;
        Minute = minute;
        Second = second;
        Fraction = fraction;
    }

    public int Year { get; }

    public int Month { get; }

    public int Day { get; }

    public int Hour { get; }

    public int Minute { get; }

    public int Second { get; }

    /// <summary>The digits after the decimal point, possibly empty.</summary>
    public string Fraction { get; }

    /// <summary>Parses and validates; on failure <paramref name="reason"/> says what is wrong and what was expected.</summary>
    public static bool TryParse(string text, out PatternTimestamp value, out string reason)
    {
        value = default;
        reason = Form;
        if (text.Length < 20
            || !Digits(text, 0, 4) || text[4] != '-'
            || !Digits(text, 5, 2) || text[7] != '-'
            || !Digits(text, 8, 2) || text[10] != 'T'
            || !Digits(text, 11, 2) || text[13] != ':'
            || !Digits(text, 14, 2) || text[16] != ':'
            || !Digits(text, 17, 2)
            || text[^1] != 'Z')
        {
            return false;
        }

        string fraction = string.Empty;
        if (text.Length > 20)
        {
            if (text[19] != '.' || text.Length < 22 || !Digits(text, 20, text.Length - 21))
            {
                return false;
            }

            fraction = text.Substring(20, text.Length - 21);
        }

        int year = Number(text, 0, 4);
        int month = Number(text, 5, 2);
        int day = Number(text, 8, 2);
        int hour = Number(text, 11, 2);
        int minute = Number(text, 14, 2);
        int second = Number(text, 17, 2);
        if (month is < 1 or > 12)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"month {text.Substring(5, 2)} does not exist; expected 01 to 12");
            return false;
        }

        int daysInMonth = DaysInMonth(year, month);
        if (day < 1 || day > daysInMonth)
        {
            reason = string.Create(
                CultureInfo.InvariantCulture,
                $"day {text.Substring(8, 2)} does not exist in {text.Substring(0, 7)}; expected 01 to {daysInMonth:D2}");
            return false;
        }

        if (hour > 23)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"hour {text.Substring(11, 2)} is out of range; expected 00 to 23");
            return false;
        }

        if (minute > 59)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"minute {text.Substring(14, 2)} is out of range; expected 00 to 59");
            return false;
        }

        if (second > 60 || (second == 60 && (hour != 23 || minute != 59)))
        {
            reason = string.Create(
                CultureInfo.InvariantCulture,
                $"second {text.Substring(17, 2)} is out of range; expected 00 to 59 (or 60 for a leap second at 23:59)");
            return false;
        }

        value = new PatternTimestamp(year, month, day, hour, minute, second, fraction);
        reason = string.Empty;
        return true;
    }

    public static int Compare(PatternTimestamp left, PatternTimestamp right)
    {
        int c = left.Year.CompareTo(right.Year);
        if (c == 0)
        {
            c = left.Month.CompareTo(right.Month);
        }

        if (c == 0)
        {
            c = left.Day.CompareTo(right.Day);
        }

        if (c == 0)
        {
            c = left.Hour.CompareTo(right.Hour);
        }

        if (c == 0)
        {
            c = left.Minute.CompareTo(right.Minute);
        }

        if (c == 0)
        {
            c = left.Second.CompareTo(right.Second);
        }

        if (c == 0)
        {
            // Compare fractions digit by digit, treating missing digits as zeros.
            int length = Math.Max(left.Fraction.Length, right.Fraction.Length);
            for (int i = 0; i < length && c == 0; i++)
            {
                char l = i < left.Fraction.Length ? left.Fraction[i] : '0';
                char r = i < right.Fraction.Length ? right.Fraction[i] : '0';
                c = l.CompareTo(r);
            }
        }

        return c;
    }

    /// <summary>The instant, or <see langword="null"/> for year 0000 and leap seconds.</summary>
    public DateTimeOffset? ToInstant()
    {
        if (Year < 1 || Second > 59)
        {
            return null;
        }

        long ticks = 0;
        for (int i = 0; i < 7; i++)
        {
            ticks = (ticks * 10) + (i < Fraction.Length ? Fraction[i] - '0' : 0);
        }

        return new DateTimeOffset(Year, Month, Day, Hour, Minute, Second, TimeSpan.Zero).AddTicks(ticks);
    }

    private static int DaysInMonth(int year, int month)
    {
        if (month == 2)
        {
            bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            return leap ? 29 : 28;
        }

        return month is 4 or 6 or 9 or 11 ? 30 : 31;
    }

    private static bool Digits(string text, int start, int count)
    {
        for (int i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static int Number(string text, int start, int count)
    {
        int value = 0;
        for (int i = start; i < start + count; i++)
        {
            value = (value * 10) + (text[i] - '0');
        }

        return value;
    }
}
