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
        Build();
        int node = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            while (node != 0 && !_next[node].ContainsKey(c))
            {
                node = _fail[node];
            }

            node = _next[node].TryGetValue(c, out int n) ? n : 0;
            foreach (var (length, entry) in _out[node])
            {
                yield return (i - length + 1, i + 1, entry);
            }
        }
    }

    private void Build()
    {
        if (_built)
        {
            return;
        }

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

        _built = true;
    }
}
