using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix.Serialization;

/// <summary>
/// The context for decoding a value that was checked when its document was read: findings are not
/// expected and are dropped, and the read limits are not applied again (the document's own limits
/// were). One per thread, reused.
/// </summary>
internal static class LoadContext
{
    [ThreadStatic]
    private static ValidationContext? t_context;

    [ThreadStatic]
    private static List<StixDiagnostic>? t_sink;

    public static ValidationContext For(ReadOnlyMemory<byte> source)
    {
        t_sink ??= [];
        t_sink.Clear();
        t_context ??= new ValidationContext(t_sink, new StixReaderOptions { Warnings = false, MaxFindingsPerObject = int.MaxValue, MaxStringLength = int.MaxValue });
        t_context.Source = source;
        t_context.ObjectStart = -1;
        t_context.ObjectEnd = -1;
        return t_context;
    }
}
