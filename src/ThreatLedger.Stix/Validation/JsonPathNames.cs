namespace ThreatLedger.Stix.Validation;

/// <summary>Writes member names into JSON paths: plain when they are simple, bracketed (<c>['a.b']</c>) otherwise.</summary>
internal static class JsonPathNames
{
    public static string Member(string name)
    {
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return "['" + name.Replace("'", "\\'", StringComparison.Ordinal) + "']";
            }
        }

        return name.Length == 0 ? "['']" : name;
    }

    /// <summary>Joins a parent path and a member name.</summary>
    public static string Child(string parent, string name)
    {
        string member = Member(name);
        return member[0] == '[' ? parent + member : parent + "." + member;
    }
}
