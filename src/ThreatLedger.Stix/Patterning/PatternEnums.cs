namespace ThreatLedger.Stix.Patterning;

/// <summary>Operators that join observation expressions.</summary>
public enum ObservationOperator
{
    /// <summary><c>AND</c>: every operand must match; binds tightest.</summary>
    And,

    /// <summary><c>OR</c>: at least one operand must match.</summary>
    Or,

    /// <summary><c>FOLLOWEDBY</c>: the operands must match in this order in time; binds loosest.</summary>
    FollowedBy,
}

/// <summary>Operators that join comparisons inside one observation expression.</summary>
public enum ComparisonLogicalOperator
{
    /// <summary><c>AND</c>: every operand must be true; binds tighter than <see cref="Or"/>.</summary>
    And,

    /// <summary><c>OR</c>: at least one operand must be true.</summary>
    Or,
}

/// <summary>The operator of a single comparison.</summary>
public enum ComparisonOperator
{
    /// <summary><c>=</c> (also written <c>==</c>).</summary>
    Equal,

    /// <summary><c>!=</c> (also written <c>&lt;&gt;</c>).</summary>
    NotEqual,

    /// <summary><c>&lt;</c>.</summary>
    LessThan,

    /// <summary><c>&lt;=</c>.</summary>
    LessThanOrEqual,

    /// <summary><c>&gt;</c>.</summary>
    GreaterThan,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterThanOrEqual,

    /// <summary><c>IN</c>, followed by a parenthesised set of literals.</summary>
    In,

    /// <summary><c>LIKE</c>, with an SQL-style string pattern (<c>%</c> and <c>_</c>).</summary>
    Like,

    /// <summary><c>MATCHES</c>, with a regular expression string.</summary>
    Matches,

    /// <summary><c>ISSUBSET</c>, with an IP address or CIDR block string.</summary>
    IsSubset,

    /// <summary><c>ISSUPERSET</c>, with an IP address or CIDR block string.</summary>
    IsSuperset,

    /// <summary><c>EXISTS</c>, written before the object path and taking no value.</summary>
    Exists,
}

/// <summary>The kind of a literal value.</summary>
public enum LiteralKind
{
    /// <summary>A quoted string such as <c>'abc'</c>.</summary>
    String,

    /// <summary>An integer such as <c>42</c> or <c>-1</c>.</summary>
    Integer,

    /// <summary>A floating-point number such as <c>7.0</c>.</summary>
    Float,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A timestamp such as <c>t'2021-07-19T00:00:00Z'</c>.</summary>
    Timestamp,

    /// <summary>Hex-encoded bytes such as <c>h'ffd8'</c>.</summary>
    Hex,

    /// <summary>Base64-encoded bytes such as <c>b'dGVzdA=='</c>.</summary>
    Binary,

    /// <summary>A parenthesised set of literals, used with <c>IN</c>.</summary>
    Set,
}

/// <summary>The kind of one step in an object path after the object type.</summary>
public enum PathComponentKind
{
    /// <summary>A property or dictionary key, written <c>.name</c> or <c>.'quoted-key'</c>.</summary>
    Property,

    /// <summary>A list index, written <c>[0]</c>.</summary>
    Index,

    /// <summary>Any list element, written <c>[*]</c>.</summary>
    AnyIndex,
}
