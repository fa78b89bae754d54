namespace ThreatLedger.Stix.Validation;

/// <summary>Placeholder until the identifier component lands.</summary>
internal static class DeterministicIds
{
    public static void Check(StixObject obj, ValidationContext ctx)
    {
        _ = obj;
        _ = ctx;
    }
}
