using System.Globalization;

namespace ThreatLedger.Cli;

/// <summary>A small option parser: flags, options with a value, and positional arguments.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _all = new(StringComparer.Ordinal);

    private Options()
    {
    }

    public List<string> Positional { get; } = [];

    /// <summary>Parses <paramref name="args"/>; <paramref name="flags"/> take no value, <paramref name="valued"/> take one.</summary>
    public static Options Parse(string[] args, string[] flags, string[] valued)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                string name = a;
                string? inline = null;
                int eq = a.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    name = a[..eq];
                    inline = a[(eq + 1)..];
                }

                if (Array.IndexOf(flags, name) >= 0)
                {
                    o._values[name] = null;
                }
                else if (Array.IndexOf(valued, name) >= 0)
                {
                    if (inline is null)
                    {
                        if (i + 1 >= args.Length)
                        {
                            throw new UsageException($"option {name} needs a value");
                        }

                        inline = args[++i];
                    }

                    o._values[name] = inline;
                    if (!o._all.TryGetValue(name, out var list))
                    {
                        o._all[name] = list = [];
                    }

                    list.Add(inline);
                }
                else
                {
                    throw new UsageException($"unknown option '{name}'");
                }
            }
            else
            {
                o.Positional.Add(a);
            }
        }

        return o;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The last value given for an option, or null.</summary>
    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v : null;

    /// <summary>Every value given for a repeatable option; comma-separated values are split.</summary>
    public List<string> All(string name) =>
        _all.TryGetValue(name, out var list)
            ? list.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
            : [];

    public int Int(string name, int fallback, int min = 1)
    {
        if (!_values.TryGetValue(name, out var v) || v is null)
        {
            return fallback;
        }

        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < min)
        {
            throw new UsageException($"{name} must be a whole number of at least {min}, not '{v}'");
        }

        return n;
    }
}
