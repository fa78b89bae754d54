using System.IO.Compression;
using System.Text;
using System.Threading.Channels;
using ThreatLedger.Stix;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Storage;

/// <summary>How an import reads and batches.</summary>
public sealed record ImportOptions
{
    /// <summary>Objects per transaction.</summary>
    public int BatchSize { get; init; } = 2000;

    /// <summary>JSON bytes per transaction (whichever limit comes first).</summary>
    public long BatchBytes { get; init; } = 16L << 20;

    /// <summary>Reader limits.</summary>
    public StixReaderOptions Reader { get; init; } = new() { Warnings = false };

    /// <summary>The most success and failure details kept (counts are always exact); bounds memory for huge inputs.</summary>
    public int MaxDetails { get; init; } = 100_000;
}

/// <summary>How far an import has got.</summary>
/// <param name="Objects">Objects read so far.</param>
/// <param name="BytesRead">Input bytes consumed (compressed bytes for gzip input).</param>
/// <param name="TotalBytes">The input's size, when known.</param>
public sealed record ImportProgress(long Objects, long BytesRead, long? TotalBytes);

/// <summary>What an import did: exact counts and (bounded) details.</summary>
public sealed class ImportSummary
{
    /// <summary>New ids.</summary>
    public long Added { get; private set; }

    /// <summary>Newer versions of known ids.</summary>
    public long NewVersions { get; private set; }

    /// <summary>Older versions the store lacked.</summary>
    public long OlderVersions { get; private set; }

    /// <summary>Already stored, same content.</summary>
    public long Unchanged { get; private set; }

    /// <summary>Not stored.</summary>
    public long Failed { get; private set; }

    /// <summary>All objects (and unreadable entries) seen.</summary>
    public long Total => Added + NewVersions + OlderVersions + Unchanged + Failed;

    /// <summary>Everything that succeeded.</summary>
    public long Succeeded => Total - Failed;

    /// <summary>Successes (up to <see cref="ImportOptions.MaxDetails"/>).</summary>
    public List<PutItemResult> Successes { get; } = [];

    /// <summary>Failures with reasons (up to <see cref="ImportOptions.MaxDetails"/>).</summary>
    public List<PutItemResult> Failures { get; } = [];

    /// <summary>Whether details were dropped to bound memory.</summary>
    public bool DetailsTruncated { get; private set; }

    internal void Add(PutItemResult r, int maxDetails)
    {
        switch (r.Outcome)
        {
            case PutOutcome.Added: Added++; break;
            case PutOutcome.NewVersion: NewVersions++; break;
            case PutOutcome.OlderVersion: OlderVersions++; break;
            case PutOutcome.Unchanged: Unchanged++; break;
            default: Failed++; break;
        }

        var list = r.Succeeded ? Successes : Failures;
        if (list.Count < maxDetails)
        {
            list.Add(r);
        }
        else
        {
            DetailsTruncated = true;
        }
    }

    /// <summary>Adds another summary's counts and details (several files in one command).</summary>
    public void Merge(ImportSummary other, int maxDetails = 100_000)
    {
        Added += other.Added;
        NewVersions += other.NewVersions;
        OlderVersions += other.OlderVersions;
        Unchanged += other.Unchanged;
        Failed += other.Failed;
        DetailsTruncated |= other.DetailsTruncated;
        foreach (var (from, to) in new[] { (other.Successes, Successes), (other.Failures, Failures) })
        {
            int room = Math.Max(0, maxDetails - to.Count);
            to.AddRange(from.Take(room));
            DetailsTruncated |= from.Count > room;
        }
    }
}

/// <summary>
/// Streams STIX documents of any size into a store: objects are read one at a time, checked,
/// prepared on one thread and written in batched transactions on another, so memory stays bounded
/// by a few batches. A batch is one transaction: a process killed mid-import leaves whole batches,
/// and running the import again stores what is missing and reports the rest as unchanged.
/// </summary>
public static class StixImporter
{
    /// <summary>Opens a file (or "-" for standard input), decompressing gzip detected by its magic bytes.</summary>
    /// <param name="path">The file.</param>
    /// <param name="counter">Counts the raw bytes read, for progress.</param>
    public static Stream OpenInput(string path, out CountingStream counter) =>
        OpenInput(path == "-" ? Console.OpenStandardInput() : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), out counter);

    /// <summary>Wraps an open stream (a download, say) the same way: counted, gzip detected by its magic bytes.</summary>
    /// <param name="raw">The stream; disposed with the result.</param>
    /// <param name="counter">Counts the raw bytes read, for progress.</param>
    /// <param name="length">The raw length when known otherwise (an HTTP Content-Length).</param>
    /// <param name="maxBytes">Raw bytes allowed before reading fails with an <see cref="IOException"/>.</param>
    public static Stream OpenInput(Stream raw, out CountingStream counter, long? length = null, long maxBytes = long.MaxValue)
    {
        counter = new CountingStream(raw, length, maxBytes);
        var buffered = new BufferedStream(counter, 1 << 16);
        var head = new byte[2];
        int n = buffered.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        Stream body = new PrefixedStream(head.AsMemory(0, n), buffered);
        return n == 2 && head[0] == 0x1f && head[1] == 0x8b ? new GZipStream(body, CompressionMode.Decompress) : body;
    }

    /// <summary>Imports one document.</summary>
    /// <param name="store">Where the objects go.</param>
    /// <param name="utf8Json">The document: a bundle, a TAXII envelope, an array or one object.</param>
    /// <param name="sourceName">Its name in findings (a file name, say).</param>
    /// <param name="options">Batching and reader bounds; the defaults when null.</param>
    /// <param name="objectsRead">Called on the reading thread with the number of entries read so far (read, not yet written).</param>
    /// <param name="batchWritten">
    /// Called on the writing thread after each batch is written, with the summary so far. The summary does not
    /// change while the callback runs, so it may copy what it needs; it changes again afterwards, so it is not
    /// to be read later from another thread while the import runs.
    /// </param>
    /// <param name="cancellationToken">Stops reading and writing; batches already written stay.</param>
    public static async Task<ImportSummary> ImportAsync(
        IStixStore store,
        Stream utf8Json,
        string sourceName,
        ImportOptions? options = null,
        Action<long>? objectsRead = null,
        Action<ImportSummary>? batchWritten = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new ImportOptions();
        var summary = new ImportSummary();
        var channel = Channel.CreateBounded<List<PreparedOrFailed>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });

        // If writing fails, the reader must stop too: it may be waiting for room in the channel.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = stop.Token;
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    var batch = new List<PreparedOrFailed>();
                    long bytes = 0, count = 0;
                    foreach (var item in StixStreamReader.ReadObjects(utf8Json, options.Reader, sourceName))
                    {
                        token.ThrowIfCancellationRequested();
                        var entry = Prepare(item);
                        batch.Add(entry);
                        bytes += entry.Object?.Json.Length ?? 0;
                        objectsRead?.Invoke(++count);
                        if (batch.Count >= options.BatchSize || bytes >= options.BatchBytes)
                        {
                            await channel.Writer.WriteAsync(batch, token).ConfigureAwait(false);
                            batch = [];
                            bytes = 0;
                        }
                    }

                    if (batch.Count > 0)
                    {
                        await channel.Writer.WriteAsync(batch, token).ConfigureAwait(false);
                    }

                    channel.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    channel.Writer.TryComplete(ex);
                    throw;
                }
            },
            token);

        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                var good = batch.Where(b => b.Object is not null).Select(b => b.Object!).ToList();
                var stored = good.Count > 0 ? await store.PutAsync(good, token).ConfigureAwait(false) : [];
                int s = 0;
                foreach (var b in batch)
                {
                    summary.Add(b.Object is not null ? stored[s++] : b.Failure!, options.MaxDetails);
                }

                batchWritten?.Invoke(summary);
            }
        }
        catch
        {
            // The store failed (or the caller cancelled): stop the reader, let it finish, and report the store's error.
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            throw;
        }

        // The reader's own failure (an I/O error, say) surfaces here.
        await producer.ConfigureAwait(false);
        return summary;
    }

    private sealed record PreparedOrFailed(PreparedObject? Object, PutItemResult? Failure);

    private static PreparedOrFailed Prepare(StixStreamItem item)
    {
        if (item.Object is { } obj && item.ErrorCount == 0)
        {
            return new PreparedOrFailed(PreparedObject.From(obj, item.Index), null);
        }

        string? id = item.Object is { } o && !o.Id.IsEmpty ? o.Id.Value : item.Diagnostics.FirstOrDefault(d => d.ObjectId is not null)?.ObjectId;
        return new PreparedOrFailed(null, new PutItemResult(item.Index, id, null, PutOutcome.Failed, Describe(item.Diagnostics)));
    }

    /// <summary>The first few errors of an entry, each with its place, as one reason.</summary>
    public static string Describe(IReadOnlyList<StixDiagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.Severity == StixSeverity.Error).ToList();
        var sb = new StringBuilder();
        foreach (var d in errors.Take(3))
        {
            if (sb.Length > 0)
            {
                sb.Append("; ");
            }

            sb.Append(d.File is null ? string.Empty : d.File + ":").Append(d.Line).Append(':').Append(d.Column).Append(' ');
            if (!string.IsNullOrEmpty(d.Path))
            {
                sb.Append(d.Path).Append(": ");
            }

            sb.Append(d.Message);
        }

        if (errors.Count > 3)
        {
            sb.Append($" (and {errors.Count - 3} more errors; run 'threatledger validate' for all)");
        }

        return sb.Length == 0 ? "the entry could not be read" : sb.ToString();
    }
}

/// <summary>Counts the bytes read through it (for progress on compressed input), and stops at a limit.</summary>
/// <param name="inner">The stream read.</param>
/// <param name="length">Its length when known from elsewhere (an HTTP Content-Length).</param>
/// <param name="maxBytes">Bytes allowed; reading more fails with an <see cref="IOException"/>.</param>
public sealed class CountingStream(Stream inner, long? length = null, long maxBytes = long.MaxValue) : Stream
{
    private long _read;

    /// <summary>Bytes read so far (thread-safe).</summary>
    public long BytesRead => Interlocked.Read(ref _read);

    /// <summary>The inner stream's length, when known.</summary>
    public long? InnerLength => length ?? (inner.CanSeek ? inner.Length : null);

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Add(inner.Read(buffer, offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer) => Add(inner.Read(buffer));

    private int Add(int n)
    {
        if (Interlocked.Add(ref _read, n) > maxBytes)
        {
            throw new IOException($"the input is larger than the limit of {maxBytes} bytes");
        }

        return n;
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>A few bytes already read (to look at the format), then the rest of a stream.</summary>
/// <param name="head">The bytes already read.</param>
/// <param name="tail">The rest.</param>
public sealed class PrefixedStream(ReadOnlyMemory<byte> head, Stream tail) : Stream
{
    private ReadOnlyMemory<byte> _head = head;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (_head.IsEmpty)
        {
            return tail.Read(buffer);
        }

        int n = Math.Min(buffer.Length, _head.Length);
        _head.Span[..n].CopyTo(buffer);
        _head = _head[n..];
        return n;
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            tail.Dispose();
        }

        base.Dispose(disposing);
    }
}
