namespace ThreatLedger.Extraction;

/// <summary>Which characters of a text a recogniser has already used (so a later pattern does not match inside an earlier one).</summary>
internal sealed class Taken(int length)
{
    private readonly System.Collections.BitArray _taken = new(length + 1);

    public bool Free(int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            if (_taken[i])
            {
                return false;
            }
        }

        return true;
    }

    public void Add(int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            _taken[i] = true;
        }
    }
}
