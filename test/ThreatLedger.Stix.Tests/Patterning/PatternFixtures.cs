using System.Globalization;

namespace ThreatLedger.Stix.Tests.Patterning;

/// <summary>Loads the pattern fixture files from Fixtures/patterns (copied to the test output directory).</summary>
internal static class PatternFixtures
{
    private static string FixturePath(string fileName) =>
        System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "patterns", fileName);

    /// <summary>Non-comment, non-blank lines with their 1-based line numbers.</summary>
    public static IEnumerable<(int Line, string Text)> ReadLines(string fileName)
    {
        string[] lines = System.IO.File.ReadAllLines(FixturePath(fileName));
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            yield return (i + 1, line);
        }
    }

    /// <summary>Rows of valid.txt: (line number, pattern).</summary>
    public static TheoryData<int, string> Valid()
    {
        var data = new TheoryData<int, string>();
        foreach ((int line, string text) in ReadLines("valid.txt"))
        {
            data.Add(line, text);
        }

        return data;
    }

    /// <summary>Rows of warnings.txt or invalid.txt: (line number, column, message fragment, pattern).</summary>
    public static TheoryData<int, int, string, string> WithColumn(string fileName)
    {
        var data = new TheoryData<int, int, string, string>();
        foreach ((int line, string text) in ReadLines(fileName))
        {
            string[] parts = text.Split('\t', 3);
            if (parts.Length != 3)
            {
                throw new InvalidDataException($"{fileName}:{line}: expected COLUMN<TAB>MESSAGE-FRAGMENT<TAB>PATTERN");
            }

            data.Add(line, int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], parts[2]);
        }

        return data;
    }
}
