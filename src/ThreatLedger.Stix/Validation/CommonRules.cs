using System.Collections.Frozen;
using ThreatLedger.Stix.Serialization;

namespace ThreatLedger.Stix.Validation;

/// <summary>Rules every object follows, whatever its type.</summary>
internal static class CommonRules
{
    public static void Validate(StixObject obj, StixTypeInfo info, ValidationContext ctx)
    {
        if (ctx.Created is { } created && ctx.Modified is { } modified && modified < created)
        {
            ctx.Error("modified-before-created", "modified", $"modified ({modified}) must not be earlier than created ({created})");
        }

        // Only SCOs with a version 5 id are compared with the id their contributing properties give.
        if (info.Kind == StixObjectKind.CyberObservable && obj.Id is { IsWellFormed: true } id && StixNames.UuidVersion(id.Value.AsSpan(id.Value.Length - 36)) == 5)
        {
            DeterministicIds.Check(obj, ctx);
        }
    }
}
