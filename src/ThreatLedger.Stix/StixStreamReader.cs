using System.Globalization;
using System.Text;
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
        ErrorCount = StixDiagnostic.CountErrors(diagnostics);
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
/// A document whose root is a single object (or anything but a bundle, envelope or array) is read whole.
/// </summary>
/// <remarks>
/// Differences from <see cref="StixJson.Read"/>: malformed-JSON columns count bytes, not characters;
/// invalid UTF-8 is reported for the object that holds it (other objects are kept) and is not looked
/// for in bundle properties outside <c>objects</c>; a bundle whose <c>type</c> comes after <c>objects</c>
/// and turns out not to be "bundle" is read as an envelope.
/// </remarks>
public static class StixStreamReader
{
    private const int ChunkSize = 1 << 16;

    /// <summary>Reads the objects of the document in <paramref name="utf8Json"/> lazily, in document order.</summary>
    public static IEnumerable<StixStreamItem> ReadObjects(Stream utf8Json, StixReaderOptions? options = null, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        return Iterate(utf8Json, options ?? StixReaderOptions.Default, fileName);
    }

    private enum Phase
    {
        Root,
        RootObject,
        Array,
        AfterArray,
        End,
    }

    private static IEnumerable<StixStreamItem> Iterate(Stream stream, StixReaderOptions options, string? fileName)
    {
        var input = new Input(stream, options.MaxDocumentSize);
        var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = options.MaxDepth });
        var position = new Position();
        var phase = Phase.Root;
        string arrayPath = "$.objects";
        int index = 0, totalObjects = 0;
        bool sawObjects = false, closed = false, rootIsArray = false;
        string? rootType = null;
        bool sawId = false, idIsString = false;
        string? bundleId = null;
        (int Line, int Column) idAt = default, rootAt = default, emptyAt = default;
        bool emptyObjects = false;
        var specVersions = new List<(int Line, int Column)>();

        if (!input.SkipByteOrderMark())
        {
            yield return Document(StixSeverity.Error, "limit-document-size", "$", $"document is larger than the limit of {options.MaxDocumentSize} bytes", 1, 1, fileName);
            yield break;
        }

        while (true)
        {
            StixStreamItem? item = null;
            bool needMore = false, stop = false;
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
                                stop = true;
                            }

                            break;
                        }

                        rootAt = Place(input, position, reader.TokenStartIndex);
                        if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            arrayPath = "$";
                            rootIsArray = true;
                            phase = Phase.Array;
                            Advance(ref reader, ref state, input, position);
                        }
                        else if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            // Keep everything from the start until the root shows whether it is a bundle or one object.
                            input.HoldFromStart();
                            phase = Phase.RootObject;
                            Advance(ref reader, ref state, input, position);
                        }
                        else
                        {
                            item = WholeDocument(input, options, fileName);
                            stop = true;
                        }

                        break;

                    case Phase.RootObject:
                    case Phase.AfterArray:
                        if (!reader.Read())
                        {
                            needMore = true;
                            break;
                        }

                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            if (!sawObjects)
                            {
                                item = WholeDocument(input, options, fileName);
                                stop = true;
                                break;
                            }

                            closed = true;
                            phase = Phase.End;
                            Advance(ref reader, ref state, input, position);
                            break;
                        }

                        if (reader.ValueTextEquals("objects"u8))
                        {
                            if (!reader.Read())
                            {
                                needMore = true;
                                break;
                            }

                            if (reader.TokenType != JsonTokenType.StartArray || (phase == Phase.RootObject && rootType is not null && rootType != "bundle"))
                            {
                                // Not a bundle or envelope after all (or objects is not a list): read it whole.
                                item = WholeDocument(input, options, fileName);
                                stop = true;
                                break;
                            }

                            if (!sawObjects)
                            {
                                emptyAt = Place(input, position, reader.TokenStartIndex);
                            }

                            // A repeated objects array is read too, its entries numbered from 0 as StixJson.Read does.
                            index = 0;
                            sawObjects = true;
                            input.Release();
                            phase = Phase.Array;
                            Advance(ref reader, ref state, input, position);
                            break;
                        }

                        var name = Place(input, position, reader.TokenStartIndex);
                        bool isType = reader.ValueTextEquals("type"u8);
                        bool isId = reader.ValueTextEquals("id"u8);
                        bool isSpecVersion = reader.ValueTextEquals("spec_version"u8);
                        if (!reader.Read())
                        {
                            needMore = true;
                            break;
                        }

                        var value = Place(input, position, reader.TokenStartIndex);
                        if (isType)
                        {
                            rootType = reader.TokenType == JsonTokenType.String ? reader.GetString() : string.Empty;
                        }
                        else if (isId)
                        {
                            sawId = true;
                            idIsString = reader.TokenType == JsonTokenType.String;
                            bundleId = idIsString ? reader.GetString() : null;
                            idAt = value;
                        }

                        if (!reader.TrySkip())
                        {
                            needMore = true;
                            break;
                        }

                        if (isSpecVersion)
                        {
                            specVersions.Add(name);
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
                            emptyObjects |= sawObjects && index == 0;
                            totalObjects += index;
                            closed = rootIsArray;
                            phase = rootIsArray ? Phase.End : Phase.AfterArray;
                            Advance(ref reader, ref state, input, position);
                            break;
                        }

                        if (totalObjects + index >= options.MaxObjects)
                        {
                            var (line, column) = Place(input, position, reader.TokenStartIndex);
                            item = Document(StixSeverity.Error, "limit-objects", arrayPath, $"more than {options.MaxObjects} objects; the rest were not read", line, column, fileName);
                            stop = true;
                            break;
                        }

                        long start = reader.TokenStartIndex;
                        var token = reader.TokenType;
                        if (!reader.TrySkip())
                        {
                            needMore = true;
                            break;
                        }

                        var at = Place(input, position, start);
                        if (token != JsonTokenType.StartObject)
                        {
                            item = new StixStreamItem(index, null, [new StixDiagnostic(StixSeverity.Error, "property-type", string.Create(CultureInfo.InvariantCulture, $"{arrayPath}[{index}]"), null, $"each entry must be a STIX object, not {Serialization.StixProperty.Describe(token)}") { Line = at.Line, Column = at.Column, File = fileName }]);
                        }
                        else
                        {
                            item = ReadEntry(input.Pending.Slice((int)start, checked((int)(reader.BytesConsumed - start))), at, index, arrayPath, options, fileName);
                        }

                        index++;
                        Advance(ref reader, ref state, input, position);
                        break;

                    case Phase.End:
                        // Anything but whitespace after the root is an error, as for StixJson.Read.
                        if (reader.Read())
                        {
                            var (line, column) = Place(input, position, reader.TokenStartIndex);
                            item = Document(StixSeverity.Error, "json-syntax", "$", "unexpected data after the end of the document", line, column, fileName);
                            closed = false;
                            stop = true;
                        }
                        else if (input.Eof)
                        {
                            stop = true;
                        }
                        else
                        {
                            needMore = true;
                        }

                        break;
                }
            }
            catch (JsonException ex)
            {
                // The reader's state carries the line across refills; its column counts bytes.
                string message = Trim(ex.Message);
                bool depth = message.Contains("maximum configured depth", StringComparison.Ordinal);
                item = Document(StixSeverity.Error, depth ? "limit-depth" : "json-syntax", "$", depth ? $"malformed JSON: JSON nesting is deeper than the limit of {options.MaxDepth} levels" : "malformed JSON: " + message, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, fileName);
                closed = false;
                stop = true;
            }
            catch (InvalidOperationException)
            {
                item = Document(StixSeverity.Error, "invalid-text", "$", "a string in the document is not valid Unicode text (e.g. a lone surrogate escape such as \\uD800); STIX requires I-JSON (RFC 7493)", position.Lines + 1, 1, fileName);
                closed = false;
                stop = true;
            }

            if (item is not null)
            {
                yield return item;
            }

            if (stop)
            {
                if (closed && sawObjects && rootType == "bundle")
                {
                    foreach (var d in BundleFindings(sawId, idIsString, bundleId, idAt, rootAt, emptyObjects, emptyAt, specVersions, options, fileName))
                    {
                        yield return d;
                    }
                }

                yield break;
            }

            if (needMore)
            {
                if (input.Eof)
                {
                    // With the final block the reader throws on truncation; this is a guard.
                    yield return Document(StixSeverity.Error, "json-syntax", "$", "malformed JSON: the document ends before it is complete", position.Lines + 1, 1, fileName);
                    yield break;
                }

                if (!input.Fill())
                {
                    yield return Document(StixSeverity.Error, "limit-document-size", "$", $"document is larger than the limit of {options.MaxDocumentSize} bytes", position.Lines + 1, 1, fileName);
                    yield break;
                }
            }
        }
    }

    private static IEnumerable<StixStreamItem> BundleFindings(bool sawId, bool idIsString, string? bundleId, (int Line, int Column) idAt, (int Line, int Column) rootAt, bool emptyObjects, (int Line, int Column) emptyAt, List<(int Line, int Column)> specVersions, StixReaderOptions options, string? fileName)
    {
        if (options.Warnings)
        {
            foreach (var (line, column) in specVersions)
            {
                yield return Document(StixSeverity.Warning, "bundle-spec-version", "$.spec_version", "bundles have no spec_version in STIX 2.1 (it was a 2.0 property); each object carries its own", line, column, fileName);
            }
        }

        if (emptyObjects)
        {
            yield return Document(StixSeverity.Error, "empty-list", "$.objects", "a bundle's objects must hold at least one object (omit the property for an empty bundle)", emptyAt.Line, emptyAt.Column, fileName);
        }

        if (!sawId)
        {
            yield return Document(StixSeverity.Error, "required-property", "$", "required property 'id' is missing from the bundle; add \"id\": \"bundle--<uuid>\"", rootAt.Line, rootAt.Column, fileName);
        }
        else if (!idIsString || !StixId.TryParse(bundleId, out var id) || id.Type != "bundle")
        {
            yield return Document(StixSeverity.Error, "id-format", "$.id", "a bundle id must be bundle--<RFC 4122 UUID>", idAt.Line, idAt.Column, fileName);
        }
    }

    /// <summary>Lines and characters before the unread part of the stream.</summary>
    private sealed class Position
    {
        public int Lines { get; set; }

        /// <summary>Characters between the start of the current line and the unread part.</summary>
        public int LineChars { get; set; }
    }

    /// <summary>The unread part of the stream in a growable buffer.</summary>
    private sealed class Input(Stream stream, long maxBytes)
    {
        private byte[] _buffer = new byte[ChunkSize];
        private int _start;
        private int _end;
        private long _total;
        private int _held = -1;

        public bool Eof { get; private set; }

        public ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

        /// <summary>Keep every byte from here on (the root object) until <see cref="Release"/>.</summary>
        public void HoldFromStart() => _held = 0;

        public void Release() => _held = -1;

        /// <summary>Skips a UTF-8 byte order mark, as <see cref="StixJson.Read"/> does; false when the limit is hit first.</summary>
        public bool SkipByteOrderMark()
        {
            while (_end < 3 && !Eof)
            {
                if (!Fill())
                {
                    return false;
                }
            }

            if (Pending.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                _start += 3;
                _total -= 3;
            }

            return true;
        }

        public void Skip(int count, Position position)
        {
            var passed = _buffer.AsSpan(_start, count);
            int last = passed.LastIndexOf((byte)'\n');
            if (last >= 0)
            {
                position.Lines += passed.Count((byte)'\n');
                position.LineChars = Encoding.UTF8.GetCharCount(passed[(last + 1)..]);
            }
            else
            {
                position.LineChars += Encoding.UTF8.GetCharCount(passed);
            }

            _start += count;
        }

        /// <summary>Reads more; false when the document passes the size limit.</summary>
        public bool Fill()
        {
            int keepFrom = _held >= 0 ? _held : _start;
            if (keepFrom > 0)
            {
                int pending = _end - keepFrom;
                Buffer.BlockCopy(_buffer, keepFrom, _buffer, 0, pending);
                _start -= keepFrom;
                _end = pending;
                if (_held > 0)
                {
                    _held = 0;
                }
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= Array.MaxLength / 2)
                {
                    return false;
                }

                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            // Read at least as much as is pending, so a large object is rescanned a logarithmic number of times.
            int wanted = Math.Max(1, Math.Min(_buffer.Length - _end, _end - _start));
            int read = stream.ReadAtLeast(_buffer.AsSpan(_end), wanted, throwOnEndOfStream: false);
            if (read == 0)
            {
                Eof = true;
                return true;
            }

            _total += read;
            _end += read;
            return _total <= maxBytes;
        }

        /// <summary>Everything held, then the rest of the stream, within the size limit (null past it).</summary>
        public byte[]? ReadToEnd()
        {
            var rest = new MemoryStream();
            rest.Write(_buffer, _held >= 0 ? _held : _start, _end - (_held >= 0 ? _held : _start));
            var chunk = new byte[ChunkSize];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                _total += read;
                if (_total > maxBytes)
                {
                    return null;
                }

                rest.Write(chunk, 0, read);
            }

            Eof = true;
            return rest.ToArray();
        }
    }

    private static void Advance(ref Utf8JsonReader reader, ref JsonReaderState state, Input input, Position position)
    {
        state = reader.CurrentState;
        input.Skip((int)reader.BytesConsumed, position);
    }

    /// <summary>Line and column (1-based, characters) of a token at <paramref name="offsetInPending"/> of the unread part.</summary>
    private static (int Line, int Column) Place(Input input, Position position, long offsetInPending)
    {
        var before = input.Pending[..(int)offsetInPending];
        int last = before.LastIndexOf((byte)'\n');
        if (last < 0)
        {
            return (position.Lines + 1, position.LineChars + Encoding.UTF8.GetCharCount(before) + 1);
        }

        return (position.Lines + before.Count((byte)'\n') + 1, Encoding.UTF8.GetCharCount(before[(last + 1)..]) + 1);
    }

    /// <summary>Reads one object from its own copy of its bytes and moves its findings to their place in the document.</summary>
    private static StixStreamItem ReadEntry(ReadOnlySpan<byte> bytes, (int Line, int Column) at, int index, string arrayPath, StixReaderOptions options, string? fileName)
    {
        var doc = StixJson.ReadEntry(bytes.ToArray(), options, fileName);
        string prefix = string.Create(CultureInfo.InvariantCulture, $"{arrayPath}[{index}]");
        foreach (var d in doc.Diagnostics)
        {
            d.Path = d.Path.Length == 1 ? prefix : prefix + d.Path[1..];
            if (d.Line > 0)
            {
                // Lines inside the object count from its first line, whose columns start where the object does.
                d.Column = d.Line == 1 ? d.Column + at.Column - 1 : d.Column;
                d.Line += at.Line - 1;
            }
        }

        return new StixStreamItem(index, doc.Objects.Count > 0 ? doc.Objects[0] : null, doc.Diagnostics);
    }

    private static StixStreamItem WholeDocument(Input input, StixReaderOptions options, string? fileName)
    {
        var bytes = input.ReadToEnd();
        if (bytes is null)
        {
            return Document(StixSeverity.Error, "limit-document-size", "$", $"document is larger than the limit of {options.MaxDocumentSize} bytes", 1, 1, fileName);
        }

        var doc = StixJson.Read(bytes, options, fileName);
        return new StixStreamItem(doc.Kind == StixDocumentKind.Object && doc.Objects.Count == 1 ? 0 : -1, doc.Objects.Count > 0 ? doc.Objects[0] : null, doc.Diagnostics);
    }

    private static StixStreamItem Document(StixSeverity severity, string code, string path, string message, int line, int column, string? fileName) =>
        new(-1, null, [new StixDiagnostic(severity, code, path, null, message) { Line = line, Column = column, File = fileName }]);

    private static string Trim(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.');
    }
}
