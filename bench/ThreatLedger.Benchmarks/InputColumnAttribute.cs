using BenchmarkDotNet.Configs;

namespace ThreatLedger.Benchmarks;

/// <summary>Adds the <see cref="InputColumn"/> to a benchmark class's summary.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class InputColumnAttribute : Attribute, IConfigSource
{
    public IConfig Config { get; } = ManualConfig.CreateEmpty().AddColumn(new InputColumn());
}
