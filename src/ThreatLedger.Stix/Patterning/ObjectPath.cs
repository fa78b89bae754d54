using System.Globalization;
using System.Text;

namespace ThreatLedger.Stix.Patterning;

/// <summary>
/// An object path such as <c>file:hashes.'SHA-256'</c> or <c>email-message:body_multipart[*].body_raw_ref.name</c>:
/// an object type, a colon, then property names, dictionary keys and list indexes.
/// </summary>
public sealed class ObjectPath : PatternNode
{
    internal ObjectPath(int column, string objectType, IReadOnlyList<PathComponent> components)
        : base(column)
    {
        ObjectType = objectType;
        Components = components;
    }

    /// <summary>The object type before the colon, e.g. <c>file</c> or <c>x-custom-thing</c>.</summary>
    public string ObjectType { get; }

    /// <summary>The steps after the colon, in order; the first is always a <see cref="PathComponentKind.Property"/>.</summary>
    public IReadOnlyList<PathComponent> Components { get; }

    internal override void WriteTo(StringBuilder builder)
    {
        builder.Append(ObjectType).Append(':');
        for (int i = 0; i < Components.Count; i++)
        {
            PathComponent component = Components[i];
            if (component.Kind == PathComponentKind.Property && i > 0)
            {
                builder.Append('.');
            }

            component.WriteTo(builder);
        }
    }
}

/// <summary>One step of an <see cref="ObjectPath"/>: a property name or key, a list index, or <c>[*]</c>.</summary>
public sealed class PathComponent : PatternNode
{
    internal PathComponent(int column, PathComponentKind kind, string? name, bool isQuoted, long? index)
        : base(column)
    {
        Kind = kind;
        Name = name;
        IsQuoted = isQuoted;
        Index = index;
    }

    /// <summary>What kind of step this is.</summary>
    public PathComponentKind Kind { get; }

    /// <summary>The property name or dictionary key (unescaped) for <see cref="PathComponentKind.Property"/>; otherwise <see langword="null"/>.</summary>
    public string? Name { get; }

    /// <summary><see langword="true"/> when the name was written as a quoted string, e.g. <c>'SHA-256'</c>.</summary>
    public bool IsQuoted { get; }

    /// <summary>The list index for <see cref="PathComponentKind.Index"/>; otherwise <see langword="null"/>.</summary>
    public long? Index { get; }

    internal override void WriteTo(StringBuilder builder)
    {
        switch (Kind)
        {
            case PathComponentKind.Property when IsQuoted:
                StringLiteral.AppendQuoted(builder, Name ?? string.Empty);
                break;
            case PathComponentKind.Property:
                builder.Append(Name);
                break;
            case PathComponentKind.Index:
                builder.Append('[').Append(Index.GetValueOrDefault().ToString(CultureInfo.InvariantCulture)).Append(']');
                break;
            default:
                builder.Append("[*]");
                break;
        }
    }
}
