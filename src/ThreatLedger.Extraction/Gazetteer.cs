namespace ThreatLedger.Extraction;

/// <summary>One name the gazetteer knows.</summary>
/// <param name="Kind">What it names (threat-actor, organization, country, product, attack-type, malware, tool, campaign).</param>
/// <param name="Value">The canonical value (a name, an ISO code, a vocabulary term).</param>
/// <param name="Surface">The name as the source spells it.</param>
/// <param name="Id">The store object it stands for, if any.</param>
/// <param name="Rule">Why it is known (e.g. "alias of intrusion-set APT40 (store)").</param>
/// <param name="CaseSensitive">Short common-word aliases (Tick) must match their case exactly.</param>
public sealed record GazetteerEntry(string Kind, string Value, string Surface, string? Id, string Rule, bool CaseSensitive = false);

/// <summary>
/// A dictionary automaton (Aho–Corasick) over folded keys (<see cref="MatchText.Key"/>): one pass over a
/// text finds every known name, however many there are.
/// </summary>
public sealed class Gazetteer
{
    private readonly List<Dictionary<char, int>> _next = [new()];
    private readonly List<int> _fail = [0];
    private readonly List<List<(int Length, GazetteerEntry Entry)>> _out = [[]];
    private bool _built;
    private int[] _root = [];
    private int[] _edgeStart = [];
    private char[] _edgeChar = [];
    private int[] _edgeTarget = [];
    private int[] _outStart = [];
    private int[] _outLength = [];
    private GazetteerEntry[] _outEntry = [];

    /// <summary>How many entries were added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a name; names whose key is shorter than one character are ignored.</summary>
    public void Add(GazetteerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_built)
        {
            throw new InvalidOperationException("the gazetteer is already built; add every name first");
        }

        string key = MatchText.Key(entry.Surface);
        if (key.Length == 0)
        {
            return;
        }

        int node = 0;
        foreach (char c in key)
        {
            if (!_next[node].TryGetValue(c, out int child))
            {
                child = _next.Count;
                _next.Add(new Dictionary<char, int>());
                _fail.Add(0);
                _out.Add([]);
                _next[node][c] = child;
            }

            node = child;
        }

        _out[node].Add((key.Length, entry));
        Count++;
    }

    /// <summary>Every match in <paramref name="text"/>: start and end in the folded text, and the entry.</summary>
    public IEnumerable<(int Start, int End, GazetteerEntry Entry)> Matches(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<(int Start, int End, GazetteerEntry Entry)>();
        Matches(text, found);
        return found;
    }

    /// <summary>Adds every match in <paramref name="text"/> (already folded) to <paramref name="found"/>.</summary>
    internal void Matches(ReadOnlySpan<char> text, List<(int Start, int End, GazetteerEntry Entry)> found)
    {
        Build();
        int node = 0;
        for (int i = 0; i < text.Length; i++)
        {
            node = Step(node, text[i]);
            for (int o = _outStart[node], oe = _outStart[node + 1]; o < oe; o++)
            {
                found.Add((i - _outLength[o] + 1, i + 1, _outEntry[o]));
            }
        }
    }

    // The automaton's move on c: the node's own edge, else its failure node's, down to the root's table.
    private int Step(int node, char c)
    {
        while (node != 0)
        {
            int lo = _edgeStart[node], hi = _edgeStart[node + 1] - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >>> 1;
                char k = _edgeChar[mid];
                if (k == c)
                {
                    return _edgeTarget[mid];
                }

                if (k < c)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            node = _fail[node];
        }

        return _root[c];
    }

    private void Build()
    {
        if (Volatile.Read(ref _built))
        {
            return;
        }

        lock (_next)
        {
            if (!_built)
            {
                BuildCore();
            }
        }
    }

    private void BuildCore()
    {

        // Breadth first: each node's failure link, and its outputs extended by those of its failure node.
        var queue = new Queue<int>();
        foreach (int child in _next[0].Values)
        {
            _fail[child] = 0;
            queue.Enqueue(child);
        }

        while (queue.Count > 0)
        {
            int node = queue.Dequeue();
            foreach (var (c, child) in _next[node])
            {
                int f = _fail[node];
                while (f != 0 && !_next[f].ContainsKey(c))
                {
                    f = _fail[f];
                }

                _fail[child] = _next[f].TryGetValue(c, out int target) && target != child ? target : 0;
                _out[child].AddRange(_out[_fail[child]]);
                queue.Enqueue(child);
            }
        }

        // Flat arrays for matching: the root's moves for every character, each other node's edges sorted
        // by character (binary search), and every node's outputs side by side.
        int count = _next.Count;
        _root = new int[char.MaxValue + 1];
        foreach (var (c, child) in _next[0])
        {
            _root[c] = child;
        }

        _edgeStart = new int[count + 1];
        _outStart = new int[count + 1];
        for (int node = 0; node < count; node++)
        {
            _edgeStart[node + 1] = _edgeStart[node] + (node == 0 ? 0 : _next[node].Count);
            _outStart[node + 1] = _outStart[node] + _out[node].Count;
        }

        _edgeChar = new char[_edgeStart[count]];
        _edgeTarget = new int[_edgeStart[count]];
        _outLength = new int[_outStart[count]];
        _outEntry = new GazetteerEntry[_outStart[count]];
        for (int node = 1; node < count; node++)
        {
            int at = _edgeStart[node];
            foreach (var (c, child) in _next[node].OrderBy(e => e.Key))
            {
                _edgeChar[at] = c;
                _edgeTarget[at++] = child;
            }
        }

        for (int node = 0; node < count; node++)
        {
            int at = _outStart[node];
            foreach (var (length, entry) in _out[node])
            {
                _outLength[at] = length;
                _outEntry[at++] = entry;
            }
        }

        // The per-node dictionaries and output lists were only for building: the flat arrays replace them.
        _next.RemoveRange(1, _next.Count - 1);
        _next[0] = [];
        _out.Clear();
        Volatile.Write(ref _built, true);
    }
}
