using System.Diagnostics;
using System.Globalization;
using System.Text;
using ThreatLedger.Extraction;

namespace ThreatLedger.Cli;

/// <summary>
/// <c>threatledger bench extract [--megabytes 20] [--db DB] [--out FILE] [--iterations 3]</c>: builds a
/// mixed English/Japanese corpus of synthetic reports (written for this bench, numbers varied per
/// report), runs the whole extraction over it report by report, and prints MB/s (median of the
/// iterations). <c>--out</c> writes the corpus (reports separated by a form feed line) for
/// <c>scripts/bench-extract.sh</c>, which runs the npm package ioc-extractor on the same text.
/// </summary>
internal static class ExtractBench
{
    private static readonly CultureInfo s_ci = CultureInfo.InvariantCulture;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, [], ["--megabytes", "--db", "--out", "--iterations"]);
        int megabytes = o.Int("--megabytes", 20), iterations = o.Int("--iterations", 3);
        var reports = Corpus(megabytes << 20);
        long bytes = reports.Sum(r => (long)Encoding.UTF8.GetByteCount(r));
        if (o.Get("--out") is { } path)
        {
            File.WriteAllText(path, string.Join("\n\f\n", reports), new UTF8Encoding(false));
        }

        using var store = o.Get("--db") is null ? null : StoreOpener.Open(o, create: false);
        var gazetteer = ThreatLedger.Extraction.GazetteerBuilder.BuildAsync(store).GetAwaiter().GetResult();
        var resolver = store is null ? null : new ActorResolver(store);
        // One untimed pass over everything first: compilation (the JIT's tiers reach the hot loops only
        // after thousands of reports) and the resolver's store look-ups are not extraction speed.
        foreach (var r in reports)
        {
            Extractor.ExtractAsync(r, gazetteer, new ExtractOptions { Published = new DateOnly(2021, 7, 21) }, resolver).GetAwaiter().GetResult();
        }

        var times = new double[iterations];
        long found = 0;
        for (int i = 0; i < iterations; i++)
        {
            var sw = Stopwatch.StartNew();
            found = 0;
            foreach (var r in reports)
            {
                found += Extractor.ExtractAsync(r, gazetteer, new ExtractOptions { Published = new DateOnly(2021, 7, 21) }, resolver).GetAwaiter().GetResult().Count;
            }

            times[i] = sw.Elapsed.TotalSeconds;
        }

        double median = BenchCommand.Median(times);
        stdout.WriteLine(string.Create(s_ci, $"corpus: {reports.Count} reports, {bytes / 1048576.0:F1} MB (UTF-8), {found} items found per pass; gazetteer {gazetteer.Count} names{(store is null ? " (built-in only)" : " (store + built-in)")}"));
        stdout.WriteLine(string.Create(s_ci, $"passes: {string.Join(", ", times.Select(t => t.ToString("F2", s_ci)))} s"));
        stdout.WriteLine(string.Create(s_ci, $"threatledger extraction: median {median:F2} s of {iterations}, {bytes / 1048576.0 / median:F2} MB/s"));
        return CommandLine.Ok;
    }

    // Synthetic reports in our own words, half English, half Japanese, with indicators, CVEs, dates, actors and claims.
    private static List<string> Corpus(long targetBytes)
    {
        var reports = new List<string>();
        long total = 0;
        for (int i = 0; total < targetBytes; i++)
        {
            int a = i % 250 + 1, b = i / 250 % 250 + 1;
            string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)));
            string md5 = hash[..32];
            string r = i % 2 == 0
                ? string.Create(s_ci, $"""
                    Advisory {i}: activity by APT40 (also tracked as Leviathan and BRONZE MOHAWK) against maritime research institutes.
                    On 19 July 2021 the United Kingdom and the United States said it was highly likely that the group is backed by the Ministry of State Security.
                    The actors exploited CVE-2021-{26855 + i % 40} in Microsoft Exchange Server and delivered ransomware in some cases.
                    Infrastructure seen last week: 203.0.{a}.{b}, hxxps://update-{i}[.]example-cdn[.]com/api/v{a}/check and mail-{b}@corp-mail{a}.net.
                    The dropper wrote invoice{a}.pdf.exe and beaconed to 198.51.{b}.{a}:443; MD5 {md5}, SHA-256 {hash}.
                    Reporting from March 2021 links the same cluster to Tick, which Japan attributed to PLA Unit 61419.
                    The United States indicted four members; South Korea did not join the statement.
                    """)
                : string.Create(s_ci, $"""
                    注意喚起 第{i}号：APT40によるとみられるサイバー攻撃について。
                    2021年7月19日、英国及び米国等は、中国政府を背景に持つAPT40に関して声明を発表した。我が国としても、APT40は中国政府を背景に持つものである可能性が高いと評価している。
                    攻撃者はマイクロソフト・エクスチェンジ・サーバーの脆弱性CVE-2021-{26855 + i % 40}を悪用し、ランサムウエアやクリプトジャッキングを行った。
                    確認された通信先は192.0.2[.]{a}、hxxp://news-{b}[.]example[.]jp/index.php、SHA-256 {hash} である。
                    今年3月以降、2018年10月から20年9月までの間に企業のコンピューターが狙われ、Tick（ティック）との関連も指摘されている。
                    韓国は今回の声明に参加しなかった。
                    """);
            reports.Add(r);
            total += Encoding.UTF8.GetByteCount(r);
        }

        return reports;
    }
}
