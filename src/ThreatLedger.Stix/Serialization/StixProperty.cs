using System.Globalization;
using System.Text.Json;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix.Serialization;

/// <summary>
/// One property of a STIX type: how to read it from <see cref="Utf8JsonReader"/> (reporting type errors
/// with their byte offset), whether it is set, how to write it, and the rules on its value.
/// </summary>
internal abstract class StixProperty
{
    protected StixProperty(string name)
    {
        Name = name;
        EncodedName = JsonEncodedText.Encode(name);
    }

    public string Name { get; }

    public JsonEncodedText EncodedName { get; }

    public bool Required { get; init; }

    /// <summary>Position in the type's table (bit in <see cref="ValidationContext.Seen"/>).</summary>
    public int Index { get; set; }

    /// <summary>Reads the value at the reader's current token into the target; on a type error, reports and skips it.</summary>
    public abstract void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx);

    public abstract bool IsPresent(StixObject target);

    public abstract void Write(Utf8JsonWriter writer, StixObject target);

    /// <summary>Checks the rules on a present value (for values read into a scratch object, or ones that need the whole object).</summary>
    public virtual void Validate(StixObject target, ValidationContext ctx)
    {
    }

    /// <summary>True when <see cref="Validate"/> needs the whole object, so it runs after the object is read.</summary>
    public virtual bool ValidatesWithObject => false;

    /// <summary>
    /// Checks the value at the reader while reading, leaving the reader on its last token; false when
    /// the value cannot be taken (the caller then keeps it verbatim). This default reads the value
    /// into a scratch object of the same type and runs <see cref="Validate"/> on it; properties that
    /// occur in most objects override it with checks on the bytes that allocate nothing.
    /// </summary>
    public virtual bool Check(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        int before = ctx.FindingCount;
        var scratch = target.Info.Factory();
        Read(ref reader, scratch, ctx);
        if (ctx.FindingCount > before || !IsPresent(scratch))
        {
            return false;
        }

        if (!ValidatesWithObject)
        {
            Validate(scratch, ctx);
        }

        return true;
    }

    /// <summary>Decodes the value at <paramref name="offset"/> of <paramref name="source"/> into the object (lazy reading).</summary>
    public void Load(StixObject target, ReadOnlyMemory<byte> source, int offset)
    {
        var slice = source[offset..];
        var reader = new Utf8JsonReader(slice.Span, JsonCopy.DeepReader);
        reader.Read();
        Read(ref reader, target, LoadContext.For(slice));
    }

    protected void TypeError(ref Utf8JsonReader reader, ValidationContext ctx, string relative, string expected)
    {
        ctx.AddAt(StixSeverity.Error, "property-type", relative, $"must be {expected}, not {Describe(reader.TokenType)}", reader.TokenStartIndex);
        reader.Skip();
    }

    // In a STIX object a null is better left out (the property is then absent), so the message says so.
    internal static string Describe(JsonTokenType token) =>
        token == JsonTokenType.Null ? "null (omit the property instead)" : StixJson.DescribeToken(token);

    /// <summary>Reads a string value, bounded by the options; null (after reporting) on a type error.</summary>
    protected string? ReadString(ref Utf8JsonReader reader, ValidationContext ctx, string relative)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            TypeError(ref reader, ctx, relative, "a string");
            return null;
        }

        if (reader.ValueSpan.Length > ctx.Options.MaxStringLength)
        {
            ctx.AddAt(StixSeverity.Error, "limit-string-length", relative, $"string of {reader.ValueSpan.Length} bytes is longer than the limit of {ctx.Options.MaxStringLength} bytes", reader.TokenStartIndex);
            return null;
        }

        return reader.GetString();
    }

    /// <summary>Reads an array of strings; reports element type errors with their index.</summary>
    protected List<string>? ReadStringList(ref Utf8JsonReader reader, ValidationContext ctx)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            TypeError(ref reader, ctx, Name, "a list of strings");
            return null;
        }

        var list = new List<string>();
        int i = 0;
        int before = ctx.FindingCount;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string? s = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length <= ctx.Options.MaxStringLength
                ? reader.GetString()
                : ReadString(ref reader, ctx, ItemPath(i));
            if (s is not null)
            {
                list.Add(s);
            }

            i++;
        }

        // With a bad element the whole value is kept verbatim instead (see StixJson.ReadObject), so nothing is lost.
        return ctx.FindingCount > before ? null : list;
    }

    protected enum IntegerCheck
    {
        Valid,
        OutOfRange,
        NotAnInteger,
    }

    /// <summary>An integer token within [min, max]; reports a type or range error.</summary>
    protected IntegerCheck CheckInteger(ref Utf8JsonReader reader, ValidationContext ctx, long min, long max)
    {
        if (!(reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long v)))
        {
            TypeError(ref reader, ctx, Name, "an integer");
            return IntegerCheck.NotAnInteger;
        }

        if (v < min || v > max)
        {
            ctx.AddAt(StixSeverity.Error, "range", Name, string.Create(CultureInfo.InvariantCulture, $"{v} is outside the allowed range {min}–{max}"), reader.TokenStartIndex);
            return IntegerCheck.OutOfRange;
        }

        return IntegerCheck.Valid;
    }

    protected string ItemPath(int i) => string.Create(CultureInfo.InvariantCulture, $"{Name}[{i}]");

    protected void CheckNotEmpty(int count, ValidationContext ctx)
    {
        if (count == 0)
        {
            ctx.Error("empty-list", Name, "list must contain at least one value (omit the property instead)");
        }
    }
}

/// <summary>Special formats a string property must follow.</summary>
internal enum StringFormat
{
    Plain,
    SpecVersion,
    LowerHyphen,
    Hex,
    Base64,
    Url,
    LanguageTag,
}

internal sealed class StringProperty<T>(string name, Func<T, string?> get, Action<T, string?> set, StringFormat format = StringFormat.Plain, Vocabulary? vocabulary = null)
    : StixProperty(name)
    where T : StixObject
{
    public override bool Check(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (!ByteChecks.IsString(ref reader, ctx, Name))
        {
            return false;
        }

        if (format == StringFormat.SpecVersion)
        {
            if (!reader.ValueTextEquals("2.1"u8))
            {
                string text = SafeText.TryGetString(ref reader) ?? string.Empty;
                ctx.AddAt(StixSeverity.Error, "spec-version", Name, $"'{ValueRules.Short(text)}' is not supported; STIX 2.1 objects must say \"2.1\"", reader.TokenStartIndex);
            }

            return true;
        }

        if (format != StringFormat.Plain || vocabulary is not null)
        {
            ValueRules.CheckString(reader.GetString()!, format, vocabulary, Name, ctx);
        }

        return true;
    }

    public Vocabulary? Vocabulary => vocabulary;

    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx) =>
        set((T)target, ReadString(ref reader, ctx, Name));

    public override bool IsPresent(StixObject target) => get((T)target) is not null;

    public override void Write(Utf8JsonWriter writer, StixObject target) => writer.WriteString(EncodedName, get((T)target));
}

/// <summary>A string property backed by <see cref="Utf8Text"/>: the value stays a slice of the document until asked for.</summary>
internal sealed class TextProperty<T>(string name, Func<T, Utf8Text> get, Action<T, Utf8Text> set, StringFormat format = StringFormat.Plain, Vocabulary? vocabulary = null)
    : StixProperty(name)
    where T : StixObject
{
    public override bool Check(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (!ByteChecks.IsString(ref reader, ctx, Name))
        {
            return false;
        }

        if (format == StringFormat.LowerHyphen)
        {
            if (!ByteChecks.IsLowerHyphenated(reader.ValueSpan) || reader.ValueIsEscaped)
            {
                ctx.AddAt(StixSeverity.Error, "relationship-type-format", Name, $"'{ValueRules.Short(reader.GetString()!)}' must use only a–z, 0–9 and '-'", reader.TokenStartIndex);
            }

            return true;
        }

        if (format != StringFormat.Plain || vocabulary is not null)
        {
            ValueRules.CheckString(reader.GetString()!, format, vocabulary, Name, ctx);
        }

        return true;
    }

    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            TypeError(ref reader, ctx, Name, "a string");
            return;
        }

        if (reader.ValueSpan.Length > ctx.Options.MaxStringLength)
        {
            ctx.AddAt(StixSeverity.Error, "limit-string-length", Name, $"string of {reader.ValueSpan.Length} bytes is longer than the limit of {ctx.Options.MaxStringLength} bytes", reader.TokenStartIndex);
            return;
        }

        var text = Utf8Text.FromToken(ref reader, ctx.Source);
        if (!text.CanDecode)
        {
            ctx.AddAt(StixSeverity.Error, "invalid-text", Name, "is not valid Unicode text (a lone surrogate escape such as \\uD800); STIX requires I-JSON (RFC 7493)", reader.TokenStartIndex);
            return;
        }

        set((T)target, text);
    }

    public override bool IsPresent(StixObject target) => get((T)target).HasValue;

    public override void Write(Utf8JsonWriter writer, StixObject target) => get((T)target).Write(writer, EncodedName);
}

internal sealed class StringListProperty<T>(string name, Func<T, List<string>?> get, Action<T, List<string>?> set, Vocabulary? vocabulary = null)
    : StixProperty(name)
    where T : StixObject
{
    public override bool Check(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (vocabulary is not null)
        {
            return base.Check(ref reader, target, ctx);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            TypeError(ref reader, ctx, Name, "a list of strings");
            return false;
        }

        long start = reader.TokenStartIndex;
        int count = 0;
        bool ok = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            ok &= ByteChecks.IsString(ref reader, ctx, new LazyPath(Name, count));
            count++;
        }

        if (ok && count == 0)
        {
            ctx.AddAt(StixSeverity.Error, "empty-list", Name, "list must contain at least one value (omit the property instead)", start);
        }

        return ok;
    }

    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx) =>
        set((T)target, ReadStringList(ref reader, ctx));

    public override bool IsPresent(StixObject target) => get((T)target) is not null;

    public override void Write(Utf8JsonWriter writer, StixObject target)
    {
        writer.WriteStartArray(EncodedName);
        foreach (var s in get((T)target)!)
        {
            writer.WriteStringValue(s);
        }

        writer.WriteEndArray();
    }

    public override void Validate(StixObject target, ValidationContext ctx)
    {
        var list = get((T)target)!;
        CheckNotEmpty(list.Count, ctx);
        if (vocabulary is null)
        {
            return;
        }

        for (int i = 0; i < list.Count; i++)
        {
            ValueRules.CheckString(list[i], StringFormat.Plain, vocabulary, ItemPath(i), ctx);
        }
    }
}

internal sealed class Int32Property<T>(string name, Func<T, int?> get, Action<T, int?> set, long min, long max)
    : StixProperty(name)
    where T : StixObject
{
    // An int property cannot hold a value outside its range, so such a value is kept verbatim instead.
    public override bool Check(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx) =>
        CheckInteger(ref reader, ctx, min, max) == IntegerCheck.Valid;

    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        // Only values that passed Check are read (lazily), so type and range hold.
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long v) && v >= min && v <= max)
        {
            set((T)target, (int)v);
        }
    }

    public override bool IsPresent(StixObject target) => get((T)target) is not null;

    public override void Write(Utf8JsonWriter writer, StixObject target) => writer.WriteNumber(EncodedName, get((T)target)!.Value);
}

internal sealed class Int64Property<T>(string name, Func<T, long?> get, Action<T, long?> set, long min, long max)
    : StixProperty(name)
    where T : StixObject
{
    public override bool Check(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx) =>
        CheckInteger(ref reader, ctx, min, max) != IntegerCheck.NotAnInteger;

    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long v))
        {
            TypeError(ref reader, ctx, Name, "an integer");
            return;
        }

        set((T)target, v);
    }

    public override bool IsPresent(StixObject target) => get((T)target) is not null;

    public override void Write(Utf8JsonWriter writer, StixObject target) => writer.WriteNumber(EncodedName, get((T)target)!.Value);
}

internal sealed class DoubleProperty<T>(string name, Func<T, double?> get, Action<T, double?> set, double min, double max)
    : StixProperty(name)
    where T : StixObject
{
    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double v))
        {
            TypeError(ref reader, ctx, Name, "a number");
            return;
        }

        set((T)target, v);
        (target.NumberTexts ??= []).Add((Name, v, ctx.Source.Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length)));
    }

    public override bool IsPresent(StixObject target) => get((T)target) is not null;

    public override void Write(Utf8JsonWriter writer, StixObject target)
    {
        double value = get((T)target)!.Value;
        if (target.NumberTexts is { } texts)
        {
            foreach (var (name, read, text) in texts)
            {
                if (name == Name && read.Equals(value))
                {
                    writer.WritePropertyName(EncodedName);
                    writer.WriteRawValue(text.Span, skipInputValidation: true);
                    return;
                }
            }
        }

        writer.WriteNumber(EncodedName, value);
    }

    public override void Validate(StixObject target, ValidationContext ctx)
    {
        double v = get((T)target)!.Value;
        if (double.IsNaN(v) || v < min || v > max)
        {
            ctx.Error("range", Name, string.Create(CultureInfo.InvariantCulture, $"{v} is outside the allowed range {min}–{max}"));
        }
    }
}

internal sealed class BooleanProperty<T>(string name, Func<T, bool?> get, Action<T, bool?> set)
    : StixProperty(name)
    where T : StixObject
{
    public override bool Check(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
        {
            TypeError(ref reader, ctx, Name, "a boolean (true or false)");
            return false;
        }

        return true;
    }

    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
        {
            TypeError(ref reader, ctx, Name, "a boolean (true or false)");
            return;
        }

        set((T)target, reader.TokenType == JsonTokenType.True);
    }

    public override bool IsPresent(StixObject target) => get((T)target) is not null;

    public override void Write(Utf8JsonWriter writer, StixObject target) => writer.WriteBoolean(EncodedName, get((T)target)!.Value);
}

internal sealed class TimestampProperty<T>(string name, Func<T, StixTimestamp?> get, Action<T, StixTimestamp?> set, bool requireMilliseconds = false)
    : StixProperty(name)
    where T : StixObject
{
    public override bool Check(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            TypeError(ref reader, ctx, Name, "a timestamp string");
            return false;
        }

        ByteChecks.Timestamp(ref reader, Name, requireMilliseconds, ctx, out bool valid, out var value);
        if (valid && Index is 4 or 5 && Name is "created" or "modified")
        {
            // Kept for the created ≤ modified rule after the object, so that rule needs no decoding.
            if (Name == "created")
            {
                ctx.Created = value;
            }
            else
            {
                ctx.Modified = value;
            }
        }

        return valid;
    }

    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            TypeError(ref reader, ctx, Name, "a timestamp string");
            return;
        }

        bool parsed;
        StixTimestamp ts;
        if (reader.ValueIsEscaped)
        {
            // Escapes such as \u002e are legal JSON; unescape before parsing (rare, so allocation is fine).
            parsed = StixTimestamp.TryParse(SafeText.TryGetString(ref reader), out ts);
        }
        else
        {
            parsed = StixTimestamp.TryParse(reader.ValueSpan, out ts);
        }

        if (!parsed)
        {
            string text = reader.ValueSpan.Length > 64 ? "(a long string)" : "'" + (SafeText.TryGetString(ref reader) ?? "(invalid text)") + "'";
            ctx.AddAt(StixSeverity.Error, "timestamp-format", Name, $"{text} is not a STIX timestamp; use YYYY-MM-DDTHH:mm:ss[.s+]Z in UTC, e.g. 2021-07-19T00:00:00.000Z", reader.TokenStartIndex);
            return;
        }

        set((T)target, ts);
    }

    public override bool IsPresent(StixObject target) => get((T)target) is not null;

    public override void Write(Utf8JsonWriter writer, StixObject target)
    {
        Span<byte> buffer = stackalloc byte[64];
        var ts = get((T)target)!.Value;
        if (ts.FractionDigits > 30 || ts.HasText)
        {
            writer.WriteString(EncodedName, ts.ToString());
            return;
        }

        int n = ts.Format(buffer);
        writer.WriteString(EncodedName, buffer[..n]);
    }
}

internal sealed class IdProperty<T>() : StixProperty("id")
    where T : StixObject
{
    public override bool Check(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (!ByteChecks.IsString(ref reader, ctx, Name))
        {
            return false;
        }

        ByteChecks.Identifier(ref reader, target, ctx);
        return true;
    }

    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        string? s = ReadString(ref reader, ctx, Name);
        if (s is null)
        {
            return;
        }

        target.Id = StixId.FromText(s);
        ctx.ObjectId = s;
    }

    public override bool IsPresent(StixObject target) => !target.Id.IsEmpty;

    public override void Write(Utf8JsonWriter writer, StixObject target) => writer.WriteString(EncodedName, target.Id.Value);

    internal static string Truncate(string s) => s.Length <= 80 ? s : s[..77] + "...";
}

internal sealed class TypeProperty<T>() : StixProperty("type")
    where T : StixObject
{
    public override bool Check(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        reader.Skip();
        return true;
    }

    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx) => reader.Skip();

    public override bool IsPresent(StixObject target) => true;

    public override void Write(Utf8JsonWriter writer, StixObject target) => writer.WriteString(EncodedName, target.Type);
}

internal sealed class RefProperty<T>(string name, Func<T, StixId?> get, Action<T, StixId?> set, RefTarget target)
    : StixProperty(name)
    where T : StixObject
{
    public override bool Check(ref Utf8JsonReader reader, StixObject obj, ValidationContext ctx)
    {
        if (!ByteChecks.IsString(ref reader, ctx, Name))
        {
            return false;
        }

        ByteChecks.Reference(ref reader, target, Name, ctx);
        return true;
    }

    public RefTarget Target => target;

    public Func<T, StixId?> Getter => get;

    public override void Read(ref Utf8JsonReader reader, StixObject obj, ValidationContext ctx)
    {
        string? s = ReadString(ref reader, ctx, Name);
        if (s is not null)
        {
            set((T)obj, StixId.FromText(s));
        }
    }

    public override bool IsPresent(StixObject obj) => get((T)obj) is not null;

    public override void Write(Utf8JsonWriter writer, StixObject obj) => writer.WriteString(EncodedName, get((T)obj)!.Value.Value);
}

internal sealed class RefListProperty<T>(string name, Func<T, List<StixId>?> get, Action<T, List<StixId>?> set, RefTarget target)
    : StixProperty(name)
    where T : StixObject
{
    public override bool Check(ref Utf8JsonReader reader, StixObject obj, ValidationContext ctx)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            TypeError(ref reader, ctx, Name, "a list of identifiers");
            return false;
        }

        long start = reader.TokenStartIndex;
        int count = 0;
        bool ok = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (ByteChecks.IsString(ref reader, ctx, new LazyPath(Name, count)))
            {
                ByteChecks.Reference(ref reader, target, new LazyPath(Name, count), ctx);
            }
            else
            {
                ok = false;
            }

            count++;
        }

        if (ok && count == 0)
        {
            ctx.AddAt(StixSeverity.Error, "empty-list", Name, "list must contain at least one value (omit the property instead)", start);
        }

        return ok;
    }

    public RefTarget Target => target;

    public Func<T, List<StixId>?> Getter => get;

    public override void Read(ref Utf8JsonReader reader, StixObject obj, ValidationContext ctx)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            TypeError(ref reader, ctx, Name, "a list of identifiers");
            return;
        }

        var list = new List<StixId>();
        int i = 0;
        int before = ctx.FindingCount;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string? s = ReadString(ref reader, ctx, ItemPath(i));
            if (s is not null)
            {
                list.Add(StixId.FromText(s));
            }

            i++;
        }

        if (ctx.FindingCount == before)
        {
            set((T)obj, list);
        }
    }

    public override bool IsPresent(StixObject obj) => get((T)obj) is not null;

    public override void Write(Utf8JsonWriter writer, StixObject obj)
    {
        writer.WriteStartArray(EncodedName);
        foreach (var id in get((T)obj)!)
        {
            writer.WriteStringValue(id.Value);
        }

        writer.WriteEndArray();
    }
}

/// <summary>What JSON shape a verbatim property must have.</summary>
internal enum RawShape
{
    Any,
    Dictionary,
}

internal sealed class RawProperty<T>(string name, Func<T, JsonRaw?> get, Action<T, JsonRaw?> set, RawShape shape)
    : StixProperty(name)
    where T : StixObject
{
    public override void Read(ref Utf8JsonReader reader, StixObject target, ValidationContext ctx)
    {
        if (shape == RawShape.Dictionary && reader.TokenType != JsonTokenType.StartObject)
        {
            TypeError(ref reader, ctx, Name, "an object (a dictionary)");
            return;
        }

        set((T)target, JsonRaw.Read(ref reader, ctx.Source));
    }

    public override bool IsPresent(StixObject target) => get((T)target) is not null;

    public override void Write(Utf8JsonWriter writer, StixObject target)
    {
        writer.WritePropertyName(EncodedName);
        get((T)target)!.WriteTo(writer);
    }

    public override void Validate(StixObject target, ValidationContext ctx)
    {
        if (shape == RawShape.Dictionary)
        {
            ValueRules.CheckDictionary(get((T)target)!, Name, ctx);
        }
    }
}
