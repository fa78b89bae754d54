using System.Globalization;

namespace ThreatLedger.Stix.Serialization;

/// <summary>
/// A relative JSON path (<c>name</c>, <c>name[3]</c>, <c>name[3].member</c>) built only when a finding
/// needs it: checks on valid documents then allocate no path strings.
/// </summary>
internal readonly struct LazyPath(string name, int index = -1, string? member = null)
{
    public static implicit operator LazyPath(string name) => new(name);

    public LazyPath Member(string child) => new(name, index, child);

    public override string ToString() =>
        index < 0
            ? member is null ? name : name + "." + member
            : member is null
                ? string.Create(CultureInfo.InvariantCulture, $"{name}[{index}]")
                : string.Create(CultureInfo.InvariantCulture, $"{name}[{index}].{member}");
}
