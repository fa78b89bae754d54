using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ThreatLedger.Stix.Serialization;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix;

/// <summary>
/// Reads and writes STIX 2.1 JSON: bundles, single objects, arrays and TAXII envelopes, with every
/// finding placed by JSON path, line and column. Reading is one forward pass over the bytes.
/// </summary>
public static class StixJson
{
    private static readonly JsonWriterOptions s_compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private static readonly JsonWriterOptions s_indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true, SkipValidation = true };

    /// <summary>Writer options: UTF-8 text kept readable (Japanese is not \u-escaped), optionally indented.</summary>
    public static JsonWriterOptions WriterOptions(bool indented) => indented ? s_indented : s_compact;

    /// <summary>Reads a document held in memory. Never throws on content: problems become diagnostics.</summary>
    /// <param name="utf8">The document, UTF-8 (a leading BOM is skipped).</param>
    /// <param name="options">Bounds and switches; <see cref="StixReaderOptions.Default"/> when null.</param>
    /// <param name="fileName">Stamped on every diagnostic, for messages.</param>
    public static StixDocument Read(ReadOnlyMemory<byte> utf8, StixReaderOptions? options = null, string? fileName = null) =>
        ReadCore(utf8, options, fileName, singleObject: false);

    /// <summary>Reads bytes that hold one entry of an objects array: an object is read as an object even if it looks like a bundle.</summary>
    internal static StixDocument ReadEntry(ReadOnlyMemory<byte> utf8, StixReaderOptions? options, string? fileName) =>
        ReadCore(utf8, options, fileName, singleObject: true);

    private static StixDocument ReadCore(ReadOnlyMemory<byte> utf8, StixReaderOptions? options, string? fileName, bool singleObject)
    {
        options ??= StixReaderOptions.Default;
        var diagnostics = new List<StixDiagnostic>();
        var objects = new List<StixObject>();
        var objectErrors = new List<int>();
        var ctx = new ValidationContext(diagnostics, options);
        if (utf8.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8 = utf8[3..];
        }

        ctx.Source = utf8;
        var state = new DocumentState { Objects = objects, ObjectErrors = objectErrors };
        if (utf8.Length > options.MaxDocumentSize)
        {
            ctx.AddAbsolute(StixSeverity.Error, "limit-document-size", "$", $"document of {utf8.Length} bytes is larger than the limit of {options.MaxDocumentSize} bytes", 0);
        }
        else if (FirstInvalidUtf8(utf8.Span) is int bad and >= 0)
        {
            // RFC 8259 §8.1: JSON text exchanged between systems MUST be UTF-8.
            ctx.AddAbsolute(StixSeverity.Error, "invalid-utf8", "$", $"byte {bad} is not valid UTF-8; save the document as UTF-8 (it may be in Shift_JIS, EUC-JP or Latin-1)", bad);
        }
        else
        {
            ReadRoot(utf8.Span, ctx, ref state, singleObject);
        }

        PlaceDiagnostics(utf8.Span, diagnostics, fileName);
        return new StixDocument(state.Kind, state.BundleId, objects, objectErrors, diagnostics, state.Entries);
    }

    /// <summary>Reads one object (or the only object of a bundle) and throws on the first error.</summary>
    /// <exception cref="StixFormatException">The text is not a valid STIX object.</exception>
    public static StixObject ParseObject(string json, StixReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var doc = Read(Encoding.UTF8.GetBytes(json), options);
        if (doc.ErrorCount > 0)
        {
            throw StixFormatException.FromDiagnostics(doc.Diagnostics);
        }

        return doc.Objects.Count > 0 ? doc.Objects[0] : throw StixFormatException.NoObject("$");
    }

    /// <summary>Reads one object and casts it.</summary>
    /// <exception cref="StixFormatException">The text is not a valid STIX object.</exception>
    /// <exception cref="InvalidCastException">The object is not a <typeparamref name="T"/>.</exception>
    public static T ParseObject<T>(string json, StixReaderOptions? options = null)
        where T : StixObject => (T)ParseObject(json, options);

    /// <summary>
    /// Checks an object built in code against every rule, by writing it and reading it back — the
    /// rules are the ones documents get. Findings carry paths from "$" but no line numbers.
    /// </summary>
    public static IReadOnlyList<StixDiagnostic> Validate(StixObject obj, StixReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var document = Read(SerializeToUtf8Bytes(obj), options);
        foreach (var d in document.Diagnostics)
        {
            d.Line = 0;
            d.Column = 0;
            d.Offset = -1;
        }

        return document.Diagnostics;
    }

    /// <summary>Writes one object.</summary>
    public static void Write(Utf8JsonWriter writer, StixObject obj)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(obj);
        StixTypeRegistry.For(obj).Write(writer, obj);
    }

    /// <summary>Writes a bundle (§8) holding the given objects.</summary>
    public static void WriteBundle(Utf8JsonWriter writer, StixId bundleId, IEnumerable<StixObject> objects) =>
        WriteBundle(writer, bundleId.Value, objects);

    /// <summary>Writes a bundle with the id text as given (used to write back what was read, even a malformed id).</summary>
    public static void WriteBundle(Utf8JsonWriter writer, string bundleId, IEnumerable<StixObject> objects)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(bundleId);
        ArgumentNullException.ThrowIfNull(objects);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "bundle"u8);
        writer.WriteString("id"u8, bundleId);
        bool any = false;
        foreach (var o in objects)
        {
            if (!any)
            {
                // An empty list is not allowed in STIX: a bundle without objects omits the property.
                writer.WriteStartArray("objects"u8);
                any = true;
            }

            Write(writer, o);
        }

        if (any)
        {
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>Serialises one object to UTF-8 JSON.</summary>
    public static byte[] SerializeToUtf8Bytes(StixObject obj, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions(indented)))
        {
            Write(writer, obj);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Serialises one object to a JSON string.</summary>
    public static string Serialize(StixObject obj, bool indented = false) => Encoding.UTF8.GetString(SerializeToUtf8Bytes(obj, indented));

    /// <summary>
    /// What a JSON value that starts with <paramref name="token"/> is, as messages name it ("must be an array,
    /// not a string"): "an object", "an array", "a string", "a number", "a boolean" or "null".
    /// </summary>
    public static string DescribeToken(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private struct DocumentState
    {
        public List<StixObject> Objects;
        public List<int> ObjectErrors;
        public StixDocumentKind Kind;
        public string? BundleId;
        public int Entries;
    }

    private static void ReadRoot(ReadOnlySpan<byte> source, ValidationContext ctx, ref DocumentState state, bool singleObject)
    {
        var reader = new Utf8JsonReader(source, new JsonReaderOptions { MaxDepth = ctx.Options.MaxDepth });
        try
        {
            if (!reader.Read())
            {
                ctx.AddAbsolute(StixSeverity.Error, "json-syntax", "$", "the document is empty; expected a STIX bundle or object", 0);
                return;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    state.Kind = StixDocumentKind.Array;
                    ReadObjectArray(ref reader, ctx, ref state, "$");
                    break;
                case JsonTokenType.StartObject when singleObject:
                    state.Kind = StixDocumentKind.Object;
                    state.Entries = 1;
                    ctx.SetObject(-1);
                    ReadOne(ref reader, ctx, ref state);
                    break;
                case JsonTokenType.StartObject:
                    ReadRootObject(ref reader, ctx, ref state);
                    break;
                default:
                    ctx.AddAbsolute(StixSeverity.Error, "root-kind", "$", $"the document is {StixProperty.Describe(reader.TokenType)}; expected a STIX bundle or object", reader.TokenStartIndex);
                    return;
            }

            if (reader.Read())
            {
                ctx.AddAbsolute(StixSeverity.Error, "json-syntax", "$", "unexpected data after the end of the document", reader.TokenStartIndex);
            }
        }
        catch (InvalidOperationException)
        {
            ctx.AddAbsolute(StixSeverity.Error, "invalid-text", "$", "a string in the document is not valid Unicode text (e.g. a lone surrogate escape such as \\uD800); STIX requires I-JSON (RFC 7493)", reader.TokenStartIndex);
        }
        catch (JsonException ex)
        {
            string message = ex.Message;
            int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }

            if (message.Contains("maximum configured depth", StringComparison.Ordinal))
            {
                message = $"JSON nesting is deeper than the limit of {ctx.Options.MaxDepth} levels";
            }

            var d = new StixDiagnostic(StixSeverity.Error, message.StartsWith("JSON nesting", StringComparison.Ordinal) ? "limit-depth" : "json-syntax", "$", ctx.ObjectId, "malformed JSON: " + message.TrimEnd('.'))
            {
                // The reader counts bytes within the line; turn that into an offset so the column is in characters like every other finding.
                Offset = OffsetOf(source, ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0),
            };
            ((List<StixDiagnostic>)ctx.Diagnostics).Add(d);
        }
    }

    private static void ReadRootObject(ref Utf8JsonReader reader, ValidationContext ctx, ref DocumentState state)
    {
        string? type = ProbeString(reader, "type"u8);
        bool isEnvelope = type is null && HasProperty(reader, "objects"u8);
        if (type != "bundle" && !isEnvelope)
        {
            state.Kind = StixDocumentKind.Object;
            state.Entries = 1;
            ctx.SetObject(-1);
            ReadOne(ref reader, ctx, ref state);
            return;
        }

        state.Kind = isEnvelope ? StixDocumentKind.Envelope : StixDocumentKind.Bundle;
        long start = reader.TokenStartIndex;
        bool sawId = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("objects"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    ctx.AddAbsolute(StixSeverity.Error, "property-type", "$.objects", $"objects must be a list of STIX objects, not {StixProperty.Describe(reader.TokenType)}", reader.TokenStartIndex);
                    reader.Skip();
                    continue;
                }

                long arrayStart = reader.TokenStartIndex;
                int before = state.Entries;
                ReadObjectArray(ref reader, ctx, ref state, "$.objects");
                if (state.Entries == before && !isEnvelope)
                {
                    ctx.AddAbsolute(StixSeverity.Error, "empty-list", "$.objects", "a bundle's objects must hold at least one object (omit the property for an empty bundle)", arrayStart);
                }
            }
            else if (!isEnvelope && reader.ValueTextEquals("id"u8))
            {
                sawId = true;
                reader.Read();
                long at = reader.TokenStartIndex;
                string? id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
                state.BundleId = id;
                if (id is null || !StixId.TryParse(id, out var bundleId) || bundleId.Type != "bundle")
                {
                    ctx.AddAbsolute(StixSeverity.Error, "id-format", "$.id", "a bundle id must be bundle--<RFC 4122 UUID>", at);
                }
            }
            else if (!isEnvelope && reader.ValueTextEquals("spec_version"u8))
            {
                long at = reader.TokenStartIndex;
                reader.Read();
                reader.Skip();
                ctx.AddAbsolute(StixSeverity.Warning, "bundle-spec-version", "$.spec_version", "bundles have no spec_version in STIX 2.1 (it was a 2.0 property); each object carries its own", at);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!isEnvelope && !sawId)
        {
            ctx.AddAbsolute(StixSeverity.Error, "required-property", "$", "required property 'id' is missing from the bundle; add \"id\": \"bundle--<uuid>\"", start);
        }
    }

    private static void ReadObjectArray(ref Utf8JsonReader reader, ValidationContext ctx, ref DocumentState state, string arrayPath)
    {
        int index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (index >= ctx.Options.MaxObjects)
            {
                ctx.AddAbsolute(StixSeverity.Error, "limit-objects", arrayPath, $"more than {ctx.Options.MaxObjects} objects; the rest were not read", reader.TokenStartIndex);
                reader.Skip();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    reader.Skip();
                }

                break;
            }

            ctx.SetObject(index, arrayPath);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                ctx.AddAt(StixSeverity.Error, "property-type", string.Empty, $"each entry must be a STIX object, not {StixProperty.Describe(reader.TokenType)}", reader.TokenStartIndex);
                reader.Skip();
            }
            else
            {
                ReadOne(ref reader, ctx, ref state);
            }

            index++;
        }

        state.Entries += index;
    }

    private static void ReadOne(ref Utf8JsonReader reader, ValidationContext ctx, ref DocumentState state)
    {
        var diagnostics = (List<StixDiagnostic>)ctx.Diagnostics;
        int before = diagnostics.Count;
        var start = reader;
        bool read = false;
        StixObject? obj = null;
        try
        {
            obj = ReadObject(ref reader, ctx);
            read = true;
            if (obj is not null && ctx.Options.Validate)
            {
                obj.Info.ValidateObject(obj, ctx);
            }
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader accepts escapes it cannot decode (lone surrogates such as \uD800); they are not I-JSON.
            if (!read)
            {
                reader = start;
                reader.Skip();
            }

            obj = null;
            ctx.ObjectEnd = -1;
            ctx.AddAt(StixSeverity.Error, "invalid-text", string.Empty, "a string in this object is not valid Unicode text (e.g. a lone surrogate escape such as \\uD800); STIX requires I-JSON (RFC 7493)", start.TokenStartIndex);
        }

        int errors = 0;
        // The id is decoded only when there is a finding to stamp with it.
        string? objectId = diagnostics.Count > before && obj is not null && !obj.Id.IsEmpty ? obj.Id.Value : null;
        for (int i = before; i < diagnostics.Count; i++)
        {
            diagnostics[i].ObjectId ??= objectId;
            if (diagnostics[i].Severity == StixSeverity.Error)
            {
                errors++;
            }
        }

        if (obj is not null)
        {
            state.Objects.Add(obj);
            state.ObjectErrors.Add(errors);
        }

        ctx.ObjectStart = -1;
        ctx.ObjectEnd = -1;
    }

    /// <summary>Reads one object; the reader is on its StartObject and ends on its EndObject.</summary>
    private static StixObject? ReadObject(ref Utf8JsonReader reader, ValidationContext ctx)
    {
        long start = reader.TokenStartIndex;
        ctx.ObjectStart = start;
        ctx.ObjectEnd = -1;
        ctx.ObjectId = null;

        var info = ProbeType(reader, out string? type);
        if (info is null && type is null)
        {
            ctx.AddAt(StixSeverity.Error, "missing-type", string.Empty, "the object has no 'type' string; every STIX object starts with its type, e.g. \"type\": \"indicator\"", start);
            reader.Skip();
            return null;
        }

        if (info is null)
        {
            type ??= string.Empty;
            if (!StixNames.IsValidTypeName(type))
            {
                ctx.AddAt(StixSeverity.Error, "type-format", "type", $"'{ValueRules.Short(type)}' is not a valid type name: 3–250 characters of a–z, 0–9 and '-', starting with a letter", TypeValueOffset(reader));
            }

            info = StixTypeRegistry.Unknown;
        }

        var obj = info.Factory();
        obj.Info = info;
        if (info == StixTypeRegistry.Unknown)
        {
            obj.Type = type ?? string.Empty;
        }

        // The object keeps the buffer and where each value starts; values are decoded on first use.
        int tableLength = info.Properties.Length;
        var slots = ctx.SlotScratch;
        Array.Clear(slots, 0, tableLength);
        obj.Source = ctx.Source;
        var custom = ctx.CustomOffsets;
        var customNames = ctx.CustomNames;
        custom.Clear();
        customNames.Clear();
        ctx.UnsharedNames.Clear();
        ulong seen = 0;
        int firstFinding = ctx.FindingCount;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            long nameAt = reader.TokenStartIndex;
            var prop = info.Find(ref reader);
            if (prop is not null)
            {
                ulong bit = 1UL << prop.Index;
                if ((seen & bit) != 0)
                {
                    ctx.AddAt(StixSeverity.Error, "duplicate-property", prop.Name, $"property '{prop.Name}' appears more than once; keep one", nameAt);
                }

                seen |= bit;
                reader.Read();
                int valueStart = (int)reader.TokenStartIndex;
                if (prop.Check(ref reader, obj, ctx))
                {
                    slots[prop.Index] = valueStart + 1;
                }
                else
                {
                    // Keep a value the model cannot take, so that writing the object back loses nothing.
                    custom.Add((int)nameAt);
                    custom.Add(valueStart);
                }

                continue;
            }

            var name = ctx.Names.Get(ref reader);
            reader.Read();
            if (name.Id >= 0 ? !customNames.Add(name.Id) : !ctx.UnsharedNames.Add(name.Name))
            {
                ctx.AddAt(StixSeverity.Error, "duplicate-property", JsonPathNames.Member(name.Name), $"property '{ValueRules.Short(name.Name)}' appears more than once; keep one", nameAt);
                reader.Skip();
                continue;
            }

            int valueAt = (int)reader.TokenStartIndex;
            CheckCustomProperty(ref reader, obj, name, ctx);
            custom.Add((int)nameAt);
            custom.Add(valueAt);
        }

        // One array per object: the table's value offsets, then (name, value) offsets of custom properties.
        var kept = new int[tableLength + custom.Count];
        slots.AsSpan(0, tableLength).CopyTo(kept);
        custom.CopyTo(kept, tableLength);
        obj.Slots = kept;
        obj.CustomSlotCount = custom.Count / 2;

        ctx.Seen = seen;
        ctx.ObjectEnd = reader.BytesConsumed;
        if (ctx.FindingCount > firstFinding)
        {
            ctx.PlacePending(firstFinding);
        }

        return obj;
    }

    /// <summary>
    /// The rules on a property the type does not define (§11.1): its name, reserved names, _bin/_hex
    /// content, null, empty lists and text that does not decode. Leaves the reader on the value's last token.
    /// </summary>
    private static void CheckCustomProperty(ref Utf8JsonReader reader, StixObject obj, CustomName custom, ValidationContext ctx)
    {
        long at = reader.TokenStartIndex;
        var token = reader.TokenType;
        bool undecodable = token == JsonTokenType.String && !SafeText.CanDecodeToken(ref reader);
        string? text = token == JsonTokenType.String && !undecodable && (custom.Binary || custom.Hex)
            ? SafeText.TryGetString(ref reader)
            : null;
        reader.Skip();
        var value = ctx.Source.Span[(int)at..(int)reader.BytesConsumed];
        string name = custom.Name;
        if (token == JsonTokenType.Null)
        {
            ctx.AddAt(StixSeverity.Error, "null-value", JsonPathNames.Member(name), "null is not a STIX value; omit the property instead", at);
        }

        if (undecodable || (token is JsonTokenType.StartObject or JsonTokenType.StartArray && !SafeText.CanDecode(value)))
        {
            ctx.AddAt(StixSeverity.Error, "invalid-text", JsonPathNames.Member(name), "holds text that is not valid Unicode (a lone surrogate escape such as \\uD800); STIX requires I-JSON (RFC 7493)", at);
        }

        if (custom.Reserved)
        {
            ctx.AddAt(StixSeverity.Error, "reserved-property", JsonPathNames.Member(name), $"'{name}' is reserved by STIX 2.1 and must not be used", at);
            return;
        }

        if (obj is MarkingDefinition && name is "modified" or "revoked")
        {
            ctx.AddAt(StixSeverity.Warning, "marking-versioned", JsonPathNames.Member(name), "marking definitions are not versioned in STIX 2.1; consider removing '" + name + "'", at);
            return;
        }

        if (!custom.Valid)
        {
            ctx.AddAt(StixSeverity.Error, "custom-property-name", JsonPathNames.Member(name), $"custom property name '{ValueRules.Short(name)}' must be 3–250 characters of a–z, 0–9 and '_', starting with a letter", at);
            return;
        }

        if (token == JsonTokenType.StartArray && IsEmptyArray(value))
        {
            ctx.AddAt(StixSeverity.Error, "empty-list", JsonPathNames.Member(name), "a list must contain at least one value (omit the property instead)", at);
        }

        if (custom.Binary && (text is null || !ValueRules.IsBase64(text)))
        {
            ctx.AddAt(StixSeverity.Error, "binary-format", JsonPathNames.Member(name), "a property whose name ends in _bin must hold base64-encoded binary data", at);
        }
        else if (custom.Hex && (text is null || !ValueRules.IsHex(text)))
        {
            ctx.AddAt(StixSeverity.Error, "hex-format", JsonPathNames.Member(name), "a property whose name ends in _hex must hold hexadecimal data", at);
        }
    }

    private static bool IsEmptyArray(ReadOnlySpan<byte> value)
    {
        foreach (byte b in value[1..^1])
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Finds the object's type without moving the reader: the registered type when it is one (no string is
    /// made), else the type text in <paramref name="unknownType"/>; both null when there is no type string.
    /// </summary>
    private static StixTypeInfo? ProbeType(Utf8JsonReader probe, out string? unknownType)
    {
        unknownType = null;
        int depth = probe.CurrentDepth;
        while (probe.Read())
        {
            if (probe.TokenType == JsonTokenType.EndObject && probe.CurrentDepth == depth)
            {
                return null;
            }

            if (probe.ValueTextEquals("type"u8))
            {
                probe.Read();
                if (probe.TokenType != JsonTokenType.String || probe.ValueSpan.Length > 1024)
                {
                    return null;
                }

                if (!probe.ValueIsEscaped && probe.ValueSpan.Length <= 64)
                {
                    Span<char> chars = stackalloc char[64];
                    int n = Encoding.UTF8.GetChars(probe.ValueSpan, chars);
                    if (StixTypeRegistry.Find(chars[..n]) is { } known)
                    {
                        return known;
                    }
                }

                // A type that does not decode throws here; ReadOne reports it as invalid text.
                unknownType = probe.GetString()!;
                return StixTypeRegistry.Find(unknownType);
            }

            probe.Read();
            probe.Skip();
        }

        return null;
    }

    /// <summary>Finds a top-level string property of the object at the reader without moving it.</summary>
    private static string? ProbeString(Utf8JsonReader probe, ReadOnlySpan<byte> name, bool firstOnly = false, int maxLength = 1024)
    {
        int depth = probe.CurrentDepth;
        while (probe.Read())
        {
            if (probe.TokenType == JsonTokenType.EndObject && probe.CurrentDepth == depth)
            {
                return null;
            }

            if (probe.ValueTextEquals(name))
            {
                probe.Read();
                return probe.TokenType == JsonTokenType.String && probe.ValueSpan.Length <= maxLength ? probe.GetString() : null;
            }

            if (firstOnly)
            {
                return null;
            }

            probe.Read();
            probe.Skip();
        }

        return null;
    }

    /// <summary>Byte offset of the object's "type" value (the reader is on the object's start).</summary>
    private static long TypeValueOffset(Utf8JsonReader probe)
    {
        int depth = probe.CurrentDepth;
        while (probe.Read() && !(probe.TokenType == JsonTokenType.EndObject && probe.CurrentDepth == depth))
        {
            bool isType = probe.ValueTextEquals("type"u8);
            probe.Read();
            if (isType)
            {
                return probe.TokenStartIndex;
            }

            probe.Skip();
        }

        return probe.TokenStartIndex;
    }

    private static bool HasProperty(Utf8JsonReader probe, ReadOnlySpan<byte> name)
    {
        int depth = probe.CurrentDepth;
        while (probe.Read())
        {
            if (probe.TokenType == JsonTokenType.EndObject && probe.CurrentDepth == depth)
            {
                return false;
            }

            if (probe.ValueTextEquals(name))
            {
                return true;
            }

            probe.Read();
            probe.Skip();
        }

        return false;
    }

    /// <summary>Turns byte offsets into 1-based line and column (characters) and stamps the file name.</summary>
    private static void PlaceDiagnostics(ReadOnlySpan<byte> source, List<StixDiagnostic> diagnostics, string? fileName)
    {
        if (diagnostics.Count == 0)
        {
            return;
        }

        List<int>? lineStarts = null;
        bool sorted = true;
        long last = long.MinValue;
        foreach (var d in diagnostics)
        {
            d.File = fileName;
            if (d.Offset < 0 || d.Line > 0)
            {
                continue;
            }

            lineStarts ??= LineStarts(source);
            int offset = (int)Math.Min(d.Offset, source.Length);
            int line = lineStarts.BinarySearch(offset);
            if (line < 0)
            {
                line = ~line - 1;
            }

            d.Line = line + 1;
            d.Column = Encoding.UTF8.GetCharCount(source[lineStarts[line]..offset]) + 1;
        }

        foreach (var d in diagnostics)
        {
            long key = ((long)d.Line << 32) | (uint)d.Column;
            sorted &= key >= last;
            last = key;
        }

        if (!sorted)
        {
            var ordered = diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column).ToList();
            diagnostics.Clear();
            diagnostics.AddRange(ordered);
        }
    }

    /// <summary>Index of the first byte that is not valid UTF-8, or -1 (vectorised check first; the search only runs on failure).</summary>
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> source)
    {
        if (System.Text.Unicode.Utf8.IsValid(source))
        {
            return -1;
        }

        Span<char> scratch = stackalloc char[4096];
        int offset = 0;
        while (offset < source.Length)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(source[offset..], scratch, out int read, out _, replaceInvalidSequences: false);
            if (status == System.Buffers.OperationStatus.InvalidData)
            {
                return offset + read;
            }

            if (read == 0)
            {
                return offset;
            }

            offset += read;
        }

        return -1;
    }

    private static long OffsetOf(ReadOnlySpan<byte> source, long line, long bytePositionInLine)
    {
        int pos = 0;
        for (long i = 0; i < line; i++)
        {
            int nl = source[pos..].IndexOf((byte)'\n');
            if (nl < 0)
            {
                return source.Length;
            }

            pos += nl + 1;
        }

        return Math.Min(source.Length, pos + bytePositionInLine);
    }

    private static List<int> LineStarts(ReadOnlySpan<byte> source)
    {
        var starts = new List<int> { 0 };
        int pos = 0;
        while (true)
        {
            int nl = source[pos..].IndexOf((byte)'\n');
            if (nl < 0)
            {
                break;
            }

            pos += nl + 1;
            starts.Add(pos);
        }

        return starts;
    }
}
