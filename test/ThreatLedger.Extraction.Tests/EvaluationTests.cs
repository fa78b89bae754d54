namespace ThreatLedger.Extraction.Tests;

/// <summary>The scorer's arithmetic on a two-document corpus written here.</summary>
public sealed class EvaluationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tl-eval-" + Guid.NewGuid().ToString("N"));

    public EvaluationTests() => System.IO.Directory.CreateDirectory(_dir);

    [Fact]
    public async Task Scores_CountTruePositivesFalsePositivesAndMisses_PerKindAndOverall()
    {
        // Found: CVE-2021-26855, 203.0.113.7, 2021-07-19, US; then KR. Labelled: the CVE, the IP, the date and a date that is not there; then KR. The US is an extra.
        await File.WriteAllTextAsync(Path.Combine(_dir, "01.txt"), "On 19 July 2021 the United States warned about CVE-2021-26855 and 203.0.113.7.");
        await File.WriteAllTextAsync(Path.Combine(_dir, "01.gold.json"), """
            {"lang":"en","published":"2021-07-21","entities":[
              {"kind":"vulnerability","value":"CVE-2021-26855"},{"kind":"ipv4","value":"203.0.113.7"},
              {"kind":"date","value":"2021-07-19"},{"kind":"date","value":"2021-03"}]}
            """);
        await File.WriteAllTextAsync(Path.Combine(_dir, "02.html"), "<html><body><article><p>韓国は参加しなかった。</p></article><footer>x</footer></body></html>");
        await File.WriteAllTextAsync(Path.Combine(_dir, "02.gold.json"), """{"lang":"ja","published":"2021-07-21","entities":[{"kind":"country","value":"KR"}]}""");

        var (scores, errors, documents) = await Evaluation.RunAsync(_dir, await GazetteerBuilder.BuildAsync(null), null);

        Assert.Equal(2, documents);
        var byKind = scores.ToDictionary(s => s.Kind);
        Assert.Equal((1, 0, 0), (byKind["vulnerability"].TruePositives, byKind["vulnerability"].FalsePositives, byKind["vulnerability"].FalseNegatives));
        Assert.Equal((1, 0, 1), (byKind["date"].TruePositives, byKind["date"].FalsePositives, byKind["date"].FalseNegatives));
        Assert.Equal((1, 1, 0), (byKind["country"].TruePositives, byKind["country"].FalsePositives, byKind["country"].FalseNegatives));
        Assert.Equal(0.5, byKind["date"].Recall);
        Assert.Equal(0.5, byKind["country"].Precision);
        Assert.Equal(2.0 / 3, byKind["date"].F1, 6);
        var all = byKind["all"];
        Assert.Equal((4, 1, 1), (all.TruePositives, all.FalsePositives, all.FalseNegatives));
        Assert.Contains(errors, e => e is { Missed: true, Kind: "date", Value: "2021-03" });
        Assert.Contains(errors, e => e is { Missed: false, Kind: "country", Value: "US" });
    }

    [Fact]
    public async Task ALabelFileWithoutItsDocument_IsAnErrorNamingIt()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "07.gold.json"), """{"entities":[]}""");
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(async () => await Evaluation.RunAsync(_dir, await GazetteerBuilder.BuildAsync(null), null));
        Assert.Contains("07.gold.json", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => System.IO.Directory.Delete(_dir, true);
}
