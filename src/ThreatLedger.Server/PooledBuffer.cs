using System.Buffers;

namespace ThreatLedger.Server;

/// <summary>
/// A growable byte buffer on arrays rented from the shared pool, returned on dispose: a response body
/// assembled before it is sent (so its length and headers are known) without a new array per request.
/// </summary>
internal sealed class PooledBuffer(int initialSize = 256 * 1024) : IBufferWriter<byte>, IDisposable
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(initialSize);
    private int _length;

    /// <summary>What has been written.</summary>
    public ReadOnlyMemory<byte> Written => _array.AsMemory(0, _length);

    public void Advance(int count) => _length += count;

    // Reserve first: it may replace the array, which must be read after it.
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        int start = Reserve(sizeHint);
        return _array.AsMemory(start);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        int start = Reserve(sizeHint);
        return _array.AsSpan(start);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
    }

    private int Reserve(int sizeHint)
    {
        int need = _length + Math.Max(sizeHint, 1);
        if (need > _array.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(need, _array.Length * 2));
            _array.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = bigger;
        }

        return _length;
    }
}
