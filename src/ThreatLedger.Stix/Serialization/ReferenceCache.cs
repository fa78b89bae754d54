namespace ThreatLedger.Stix.Serialization;

/// <summary>
/// The last good reference per kind of reference target, as a span of the document: ATT&amp;CK gives
/// every object the same created_by_ref and object_marking_refs, so most references repeat.
/// </summary>
internal sealed class ReferenceCache
{
    private const int Entries = 8;
    private readonly RefTarget?[] _targets = new RefTarget?[Entries];
    private readonly int[] _starts = new int[Entries];
    private readonly int[] _lengths = new int[Entries];
    private ReadOnlyMemory<byte> _source;
    private int _next;

    public void Reset(ReadOnlyMemory<byte> source)
    {
        _source = source;
        Array.Clear(_targets);
        _next = 0;
    }

    public bool Seen(RefTarget target, ReadOnlySpan<byte> id)
    {
        var source = _source.Span;
        for (int i = 0; i < Entries; i++)
        {
            if (ReferenceEquals(_targets[i], target) && _lengths[i] == id.Length && id.SequenceEqual(source.Slice(_starts[i], _lengths[i])))
            {
                return true;
            }
        }

        return false;
    }

    public void Remember(RefTarget target, int start, int length)
    {
        if (start + length > _source.Length)
        {
            return;
        }

        _targets[_next] = target;
        _starts[_next] = start;
        _lengths[_next] = length;
        _next = (_next + 1) % Entries;
    }
}
