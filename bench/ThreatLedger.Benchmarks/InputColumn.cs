using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ThreatLedger.Benchmarks;

/// <summary>A summary column saying where each case's objects came from (ATT&amp;CK or synthetic).</summary>
public sealed class InputColumn : IColumn
{
    public string Id => nameof(InputColumn);

    public string ColumnName => "Input";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Params;

    public int PriorityInCategory => 10;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend =>
        "Where the bundle's objects come from: the first N objects of attack/enterprise-attack.json.gz (after its x-mitre-collection manifest), or synthetic indicators and relationships when that file is absent";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters["Objects"] is int count ? BenchmarkInput.Describe(count) : "?";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
