using System.Text;

namespace ThreatLedger.Stix.Patterning;

/// <summary>Base of every node of a parsed STIX pattern.</summary>
public abstract class PatternNode
{
    private protected PatternNode(int column)
    {
        Column = column;
    }

    /// <summary>1-based column, in UTF-16 characters of the pattern string, where the node starts.</summary>
    public int Column { get; }

    /// <summary>Writes the node back as STIX pattern text (whitespace is normalised, literals keep their source text).</summary>
    /// <returns>Pattern text that parses to an equivalent tree.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        WriteTo(builder);
        return builder.ToString();
    }

    internal abstract void WriteTo(StringBuilder builder);
}
