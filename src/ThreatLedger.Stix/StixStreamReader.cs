using System.Globalization;
using System.Text.Json;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix;

/// <summary>One entry of a document read as a stream: an object (or none) and the findings about it.</summary>
public sealed class StixStreamItem
{
    internal StixStreamItem(int index, StixObject? obj, IReadOnlyList<StixDiagnostic> diagnostics)
    {
        Index = index;
        Object = obj;
        Diagnostics = diagnostics;
        foreach (var d in diagnostics)
        {
            if (d.Severity == StixSeverity.Error)
            {
                ErrorCount++;
            }
        }
    }

    /// <summary>Position in the objects array; -1 for findings about the document itself.</summary>
    public int Index { get; }

    /// <summary>The object read, or null when the entry could not be read (or for document findings).</summary>
    public StixObject? Object { get; }

    /// <summary>Findings about this entry, placed in the whole document (path, line, column).</summary>
    public IReadOnlyList<StixDiagnostic> Diagnostics { get; }

    /// <summary>Number of errors among <see cref="Diagnostics"/>.</summary>
    public int ErrorCount { get; }
}

/// <summary>
/// Reads a bundle, a TAXII envelope or a bare array from a stream one object at a time, in memory
/// bounded by the largest object: each object gets a buffer of its own and is read and checked with
/// the same rules as <see cref="StixJson.Read"/>; findings keep their place in the whole document.
/// A document whose root is a single object is read whole.
/// </summary>
public static class StixStreamReader
{
    private const int ChunkSize = 1 << 16;

    /// <summary>Reads the objects of the document in <paramref name="utf8Json"/> lazily, in document order.</summary>
    public static IEnumerable<StixStreamItem> ReadObjects(Stream utf8Json, StixReaderOptions? options = null, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        return Iterate(utf8Json, options ?? StixReaderOptions.Default, fileName);
    }

    private static IEnumerable<StixStreamItem> Iterate(Stream stream, StixReaderOptions options, string? fileName)
    {
        var input = new Input(stream, options.MaxDocumentSize);
        var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = options.MaxDepth });
        var position = new Position();
        Phase phase = Phase.Root;
        string arrayPath = "$.objects";
        int index = 0;
        bool sawObjects = false;
        string? bundleId = null;
        int bundleIdLine = 0, bundleIdColumn = 0;
        int specVersionLine = 0, specVersionColumn = 0;
        bool isBundle = false;
        long rootStart = -1;

        while (true)
        {
            StixStreamItem? item = null;
            bool needMore = false;
            bool done = false;
            try
            {
                var reader = new Utf8JsonReader(input.Pending, input.Eof, state);
                switch (phase)
                {
                    case Phase.Root:
                        if (!reader.Read())
                        {
                            needMore = !input.Eof;
                            if (input.Eof)
                            {
                                item = Document(StixSeverity.Error, "json-syntax", "$", "the document is empty; expected a STIX bundle or object", 1, 1, fileName);
                                done = true;
                            }

                            break;
                        }

                        rootStart = input.Consumed + reader.TokenStartIndex;
                        if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            arrayPath = "$";
                            phase = Phase.Array;
                        }
                        else if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            phase = Phase.RootObject;
                            input.Hold = rootStart;
                        }
                        else
                        {
                            item = WholeDocument(input, options, fileName);
                            done = true;
                            break;
                        }

                        Advance(ref reader, ref state, input, position);
                        break;

                    case Phase.RootObject:
                        if (!reader.Read())
                        {
                            needMore = true;
                            break;
                        }

                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            // The root ended without an objects array: a single object (or an odd document), read whole.
                            done = true;
                            if (!sawObjects)
                            {
                                item = WholeDocument(input, options, fileName);
                            }

                            break;
                        }

                        if (reader.ValueTextEquals("objects"u8))
                        {
                            if (!reader.Read())
                            {
                                needMore = true;
                                break;
                            }

                            if (reader.TokenType != JsonTokenType.StartArray)
                            {
                                // Let the whole-document reader describe it.
                                item = WholeDocument(ReadRest(input), options, fileName);
                                done = true;
                                break;
                            }

                            sawObjects = true;
                            input.Hold = -1;
                            phase = Phase.Array;
                            Advance(ref reader, ref state, input, position);
                            break;
                        }

                        bool isType = reader.ValueTextEquals("type"u8);
                        bool isId = reader.ValueTextEquals("id"u8);
                        if (reader.ValueTextEquals("spec_version"u8))
                        {
                            (specVersionLine, specVersionColumn) = Place(input, position, reader.TokenStartIndex);
                        }
                        if (!reader.Read())
                        {
                            needMore = true;
                            break;
                        }

                        if (isType)
                        {
                            isBundle = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("bundle"u8);
                        }
                        else if (isId && reader.TokenType == JsonTokenType.String)
                        {
                            bundleId = reader.GetString();
                            (bundleIdLine, bundleIdColumn) = Place(input, position, reader.TokenStartIndex);
                        }

                        if (!reader.TrySkip())
                        {
                            needMore = true;
                            break;
                        }

                        Advance(ref reader, ref state, input, position);
                        break;

                    case Phase.Array:
                        if (!reader.Read())
                        {
                            needMore = true;
                            break;
                        }

                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            phase = sawObjects ? Phase.AfterArray : Phase.Done;
                            if (index == 0 && sawObjects && isBundle)
                            {
                                item = Document(StixSeverity.Error, "empty-list", "$.objects", "a bundle's objects must hold at least one object (omit the property for an empty bundle)", input, position, input.Consumed + reader.TokenStartIndex, fileName);
                            }

                            Advance(ref reader, ref state, input, position);
                            done = phase == Phase.Done;
                            break;
                        }

                        if (index >= options.MaxObjects)
                        {
                            item = Document(StixSeverity.Error, "limit-objects", arrayPath, $"more than {options.MaxObjects} objects; the rest were not read", input, position, input.Consumed + reader.TokenStartIndex, fileName);
                            done = true;
                            break;
                        }

                        long objectStart = reader.TokenStartIndex;
                        var entryToken = reader.TokenType;
                        if (!reader.TrySkip())
                        {
                            needMore = true;
                            break;
                        }

                        if (entryToken != JsonTokenType.StartObject)
                        {
                            var entry = Document(StixSeverity.Error, "property-type", string.Create(CultureInfo.InvariantCulture, $"{arrayPath}[{index}]"), $"each entry must be a STIX object, not {Describe(entryToken)}", input, position, input.Consumed + objectStart, fileName);
                            item = new StixStreamItem(index, null, entry.Diagnostics);
                            index++;
                            Advance(ref reader, ref state, input, position);
                            break;
                        }

                        int length = checked((int)(reader.BytesConsumed - objectStart));
                        item = ReadEntry(input.Pending.Slice((int)objectStart, length), input.Consumed + objectStart, index, arrayPath, position, input, options, fileName);
                        index++;
                        Advance(ref reader, ref state, input, position);
                        break;

                    case Phase.AfterArray:
                        if (!reader.Read())
                        {
                            needMore = true;
                            break;
                        }

                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            done = true;
                            break;
                        }

                        bool afterId = reader.ValueTextEquals("id"u8);
                        if (reader.ValueTextEquals("spec_version"u8))
                        {
                            (specVersionLine, specVersionColumn) = Place(input, position, reader.TokenStartIndex);
                        }
                        if (!reader.Read())
                        {
                            needMore = true;
                            break;
                        }

                        if (afterId && reader.TokenType == JsonTokenType.String)
                        {
                            bundleId = reader.GetString();
                            (bundleIdLine, bundleIdColumn) = Place(input, position, reader.TokenStartIndex);
                        }

                        if (!reader.TrySkip())
                        {
                            needMore = true;
                            break;
                        }

                        Advance(ref reader, ref state, input, position);
                        break;

                    default:
                        done = true;
                        break;
                }
            }
            catch (JsonException ex)
            {
                long relativeLine = ex.LineNumber ?? 0;
                long column = (ex.BytePositionInLine ?? 0) + (relativeLine == 0 ? input.Consumed - position.LineStart : 0);
                item = Document(StixSeverity.Error, "json-syntax", "$", "malformed JSON: " + Trim(ex.Message), (int)(relativeLine + position.Lines) + 1, (int)column + 1, fileName);
                done = true;
            }
            catch (InvalidOperationException)
            {
                item = Document(StixSeverity.Error, "invalid-text", "$", "a string in the document is not valid Unicode text (e.g. a lone surrogate escape such as \\uD800); STIX requires I-JSON (RFC 7493)", position.Lines + 1, 1, fileName);
                done = true;
            }
            catch (IOException ex) when (ex.Message.StartsWith("the document is larger", StringComparison.Ordinal))
            {
                item = Document(StixSeverity.Error, "limit-document-size", "$", ex.Message, position.Lines + 1, 1, fileName);
                done = true;
            }

            if (item is not null)
            {
                yield return item;
            }

            if (done)
            {
                if (sawObjects && isBundle && specVersionLine > 0 && options.Warnings)
                {
                    yield return Document(StixSeverity.Warning, "bundle-spec-version", "$.spec_version", "bundles have no spec_version in STIX 2.1 (it was a 2.0 property); each object carries its own", specVersionLine, specVersionColumn, fileName);
                }

                if (sawObjects && isBundle && (bundleId is null || !StixId.TryParse(bundleId, out var id) || id.Type != "bundle"))
                {
                    yield return bundleId is null
                        ? Document(StixSeverity.Error, "required-property", "$", "required property 'id' is missing from the bundle; add \"id\": \"bundle--<uuid>\"", 1, 1, fileName)
                        : Document(StixSeverity.Error, "id-format", "$.id", "a bundle id must be bundle--<RFC 4122 UUID>", bundleIdLine, bundleIdColumn, fileName);
                }

                yield break;
            }

            if (needMore)
            {
                if (input.Eof)
                {
                    yield return Document(StixSeverity.Error, "json-syntax", "$", "malformed JSON: the document ends before it is complete", position.Lines + 1, 1, fileName);
                    yield break;
                }

                input.Fill();
            }
        }
    }

    private enum Phase
    {
        Root,
        RootObject,
        Array,
        AfterArray,
        Done,
    }

    /// <summary>Lines before the unread part of the stream, and where the current line starts.</summary>
    private sealed class Position
    {
        public int Lines { get; set; }

        /// <summary>Stream offset of the start of the current line.</summary>
        public long LineStart { get; set; }
    }

    /// <summary>The unread part of the stream in a growable buffer.</summary>
    private sealed class Input(Stream stream, long maxBytes)
    {
        private byte[] _buffer = new byte[ChunkSize];
        private int _start;
        private int _end;
        private long _total;

        public bool Eof { get; private set; }

        /// <summary>Stream offset of <see cref="Pending"/>'s first byte.</summary>
        public long Consumed { get; private set; }

        /// <summary>A stream offset before which bytes must be kept (the root object, until its kind is known); -1 for none.</summary>
        public long Hold { get; set; } = -1;

        public ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

        public ReadOnlySpan<byte> Held => Hold >= 0 ? _buffer.AsSpan(_start - (int)(Consumed - Hold), _end - _start + (int)(Consumed - Hold)) : Pending;

        public void Skip(int count, Position position)
        {
            var passed = _buffer.AsSpan(_start, count);
            int last = passed.LastIndexOf((byte)'\n');
            if (last >= 0)
            {
                position.Lines += passed.Count((byte)'\n');
                position.LineStart = Consumed + last + 1;
            }

            _start += count;
            Consumed += count;
        }

        public void Fill()
        {
            int keepFrom = Hold >= 0 ? _start - (int)(Consumed - Hold) : _start;
            int pending = _end - keepFrom;
            if (keepFrom > 0)
            {
                Buffer.BlockCopy(_buffer, keepFrom, _buffer, 0, pending);
                _start -= keepFrom;
                _end = pending;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            int read = stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                Eof = true;
                return;
            }

            _total += read;
            if (_total > maxBytes)
            {
                throw new IOException($"the document is larger than the limit of {maxBytes} bytes");
            }

            _end += read;
        }

        /// <summary>Everything from the held position on, after reading the stream to its end.</summary>
        public byte[] ReadToEnd()
        {
            var rest = new MemoryStream();
            rest.Write(Held);
            stream.CopyTo(rest);
            Eof = true;
            return rest.ToArray();
        }
    }

    private static Input ReadRest(Input input) => input;

    /// <summary>Line and column (1-based) of a token at <paramref name="offsetInPending"/> of the unread part.</summary>
    private static (int Line, int Column) Place(Input input, Position position, long offsetInPending)
    {
        var before = input.Pending[..(int)offsetInPending];
        int newlines = before.Count((byte)'\n');
        if (newlines == 0)
        {
            return (position.Lines + 1, (int)(input.Consumed + offsetInPending - position.LineStart) + 1);
        }

        int last = before.LastIndexOf((byte)'\n');
        return (position.Lines + newlines + 1, (int)offsetInPending - last);
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null (omit the property instead)",
        _ => token.ToString(),
    };

    private static void Advance(ref Utf8JsonReader reader, ref JsonReaderState state, Input input, Position position)
    {
        state = reader.CurrentState;
        input.Skip((int)reader.BytesConsumed, position);
    }

    /// <summary>Reads one object from its own copy of its bytes and moves its findings to their place in the document.</summary>
    private static StixStreamItem ReadEntry(ReadOnlySpan<byte> bytes, long streamOffset, int index, string arrayPath, Position position, Input input, StixReaderOptions options, string? fileName)
    {
        byte[] own = bytes.ToArray();
        var doc = StixJson.Read(own, options, fileName);
        string prefix = string.Create(CultureInfo.InvariantCulture, $"{arrayPath}[{index}]");
        // Lines inside the object are counted from its first line; the first line's columns start where the object does.
        var (line, column) = Place(input, position, streamOffset - input.Consumed);
        int lineBase = line - 1;
        int columnBase = column - 1;
        foreach (var d in doc.Diagnostics)
        {
            d.Path = d.Path.Length == 1 ? prefix : prefix + d.Path[1..];
            if (d.Line > 0)
            {
                d.Column = d.Line == 1 ? d.Column + columnBase : d.Column;
                d.Line += lineBase;
            }
        }

        return new StixStreamItem(index, doc.Objects.Count > 0 ? doc.Objects[0] : null, doc.Diagnostics);
    }

    private static StixStreamItem WholeDocument(Input input, StixReaderOptions options, string? fileName)
    {
        var doc = StixJson.Read(input.ReadToEnd(), options, fileName);
        var all = new List<StixDiagnostic>(doc.Diagnostics);
        return new StixStreamItem(doc.Objects.Count == 1 && doc.Kind == StixDocumentKind.Object ? 0 : -1, doc.Objects.Count > 0 ? doc.Objects[0] : null, all);
    }

    private static StixStreamItem Document(StixSeverity severity, string code, string path, string message, Input input, Position position, long offset, string? fileName)
    {
        var (line, column) = Place(input, position, offset - input.Consumed);
        return Document(severity, code, path, message, line, column, fileName);
    }

    private static StixStreamItem Document(StixSeverity severity, string code, string path, string message, int line, int column, string? fileName) =>
        new(-1, null, [new StixDiagnostic(severity, code, path, null, message) { Line = line, Column = column, File = fileName }]);

    private static string Trim(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.');
    }
}
