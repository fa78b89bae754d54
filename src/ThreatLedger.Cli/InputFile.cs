using System.IO.Compression;

namespace ThreatLedger.Cli;

/// <summary>Loads a document: a file (gzip detected by its magic bytes) or standard input for "-".</summary>
internal static class InputFile
{
    public static byte[] ReadAllBytes(string path, long maxBytes = int.MaxValue)
    {
        using var raw = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
        using var buffered = new BufferedStream(raw, 1 << 16);
        var head = new byte[2];
        int n = buffered.Read(head, 0, 2);
        Stream body = new ConcatStream(head.AsMemory(0, n), buffered);
        if (n == 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            body = new GZipStream(body, CompressionMode.Decompress);
        }

        using (body)
        {
            var output = new MemoryStream();
            var chunk = new byte[1 << 16];
            int read;
            while ((read = body.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (output.Length + read > maxBytes)
                {
                    throw new IOException($"the document is larger than the limit of {maxBytes} bytes");
                }

                output.Write(chunk, 0, read);
            }

            return output.ToArray();
        }
    }

    /// <summary>A few bytes already read, then the rest of a stream.</summary>
    private sealed class ConcatStream(ReadOnlyMemory<byte> head, Stream tail) : Stream
    {
        private ReadOnlyMemory<byte> _head = head;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!_head.IsEmpty)
            {
                int n = Math.Min(count, _head.Length);
                _head.Span[..n].CopyTo(buffer.AsSpan(offset, n));
                _head = _head[n..];
                return n;
            }

            return tail.Read(buffer, offset, count);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
