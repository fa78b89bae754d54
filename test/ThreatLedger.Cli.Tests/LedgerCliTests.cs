using System.Text.Json;
using ThreatLedger.Ledger.Tests;
using ThreatLedger.Stix.Tests;
using static ThreatLedger.Cli.Tests.CliRunner;

namespace ThreatLedger.Cli.Tests;

public sealed class LedgerCliTests
{
    [SkippableTheory]
    [MemberData(nameof(StoreCliTests.Backends), MemberType = typeof(StoreCliTests))]
    public void Attribution_And_Statements_AnswerFromTheStore(string backend)
    {
        using var db = new TestDb(backend);
        string file = Path.Combine(db.Dir, "ledger.json");
        File.WriteAllText(file, LedgerFixture.Bundle());
        Assert.Equal(0, Run("import", file, "--db", db.Db).Exit);

        var (exit, output, _) = Run("attribution", "Kryptic", "Otter", "--db", db.Db, "--json");
        Assert.Equal(0, exit);
        using (var doc = JsonDocument.Parse(output))
        {
            var claims = doc.RootElement.EnumerateArray().ToList();
            Assert.Equal(4, claims.Count);
            var first = claims[0];
            foreach (var field in new[] { "author", "date", "subject", "sponsor", "response", "confidence", "source" })
            {
                Assert.True(first.TryGetProperty(field, out _), field);
            }

            Assert.Equal(("Government of Borduria", "2018-12-20", "Example Group 7", "Arcadian Ministry of Secrets", "statement", 50),
                (first.GetProperty("author").GetString(), first.GetProperty("date").GetString(), first.GetProperty("subject").GetString(),
                 first.GetProperty("sponsor").GetString(), first.GetProperty("response").GetString(), first.GetProperty("confidence").GetInt32()));
        }

        using (var doc = JsonDocument.Parse(Run("attribution", "Example Group 7", "--as-of", "2021-07-01", "--db", db.Db, "--json").Out))
        {
            Assert.Single(doc.RootElement.EnumerateArray());
        }

        var statements = Run("statements", "--about", "エグザンプル7", "--db", db.Db, "--json");
        Assert.Equal(0, statements.Exit);
        using (var doc = JsonDocument.Parse(statements.Out))
        {
            var s = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal("2021-07-19", s.GetProperty("date").GetString());
            Assert.Equal(["XA", "XB"], s.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("country").GetString()!));
            var declined = Assert.Single(s.GetProperty("declined").EnumerateArray());
            Assert.Equal(("Government of Carpania", "XC"), (declined.GetProperty("name").GetString(), declined.GetProperty("country").GetString()));
        }

        var unknown = Run("attribution", "Nobody At All", "--db", db.Db);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("no group, campaign or actor", unknown.Err, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Import_MispGalaxyFile_IsDetectedConvertedAndStored()
    {
        string galaxy = SharedData.SkipIfMissing("misp-galaxy", "threat-actor.json");
        using var db = new TestDb("sqlite");

        var (exit, output, _) = Run("import", galaxy, "--db", db.Db, "--empty");

        Assert.Equal(0, exit);
        Assert.Contains("MISP galaxy cluster file, converted to STIX", output, StringComparison.Ordinal);
        using var stats = JsonDocument.Parse(Run("stats", "--db", db.Db, "--json").Out);
        Assert.Equal(1041, stats.RootElement.GetProperty("types").GetProperty("intrusion-set").GetInt32());
        var again = Run("import", galaxy, "--db", db.Db);
        Assert.Contains(" 0 added", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void PackLoad_ThenAttributionOfApt40_ShowsJapansHighlyLikely_AndLoadingAgainChangesNothing()
    {
        using var db = new TestDb("sqlite");

        var first = Run("pack", "load", "--db", db.Db, "--json");
        var second = Run("pack", "load", "--db", db.Db, "--json");

        Assert.Equal(0, first.Exit);
        using (var a = JsonDocument.Parse(first.Out))
        using (var b = JsonDocument.Parse(second.Out))
        {
            // Parts 2 and 3 of the pack add new versions of part-1 objects.
            Assert.Equal(a.RootElement.GetProperty("total_count").GetInt32(), a.RootElement.GetProperty("added").GetInt32() + a.RootElement.GetProperty("new_versions").GetInt32());
            Assert.Equal(ThreatLedger.Ledger.StarterPack.Version, a.RootElement.GetProperty("pack_version").GetInt32());
            Assert.Equal(a.RootElement.GetProperty("total_count").GetInt32(), b.RootElement.GetProperty("unchanged").GetInt32());
        }

        using var claims = JsonDocument.Parse(Run("attribution", "APT40", "--db", db.Db, "--json").Out);
        Assert.Contains(claims.RootElement.EnumerateArray(), c =>
            c.GetProperty("date").GetString() == "2021-07-19" && c.GetProperty("estimative_phrase").GetString() == "可能性が高い");
    }

    /// <summary>The issue's scenario as a new user runs it: ATT&amp;CK and the MISP galaxy imported into a new store, which gets the starter pack.</summary>
    [SkippableFact]
    public void NewStore_WithPackAttackAndMisp_AnswersTheLedgerQuestions()
    {
        string attack = SharedData.SkipIfMissing("attack", "enterprise-attack.json.gz");
        string galaxy = SharedData.SkipIfMissing("misp-galaxy", "threat-actor.json");
        using var db = new TestDb("sqlite");
        var import = Run("import", attack, galaxy, "--db", db.Db, "--no-progress");
        Assert.Equal(0, import.Exit);
        Assert.Contains($"starter pack {ThreatLedger.Ledger.StarterPack.Version} loaded", import.Err, StringComparison.Ordinal);

        // MISP clusters that cite an ATT&CK group id are linked to it as proposed equivalences; importing again proposes nothing new.
        var proposed = System.Text.RegularExpressions.Regex.Match(import.Out, @"(\d+) proposed equivalences with ATT&CK groups");
        Assert.True(proposed.Success, import.Out);
        int links = int.Parse(proposed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(links >= 30, import.Out);
        Assert.DoesNotContain("proposed equivalences", Run("import", galaxy, "--db", db.Db, "--no-progress").Out, StringComparison.Ordinal);

        // The store counts the pack's objects (and the proposed links) and says how many came from the pack.
        using (var stats = JsonDocument.Parse(Run("stats", "--db", db.Db, "--json").Out))
        {
            var pack = stats.RootElement.GetProperty("starter_pack");
            Assert.Equal(ThreatLedger.Ledger.StarterPack.Version, pack.GetProperty("version").GetInt32());
            Assert.Equal(stats.RootElement.GetProperty("objects").GetInt32(), 24772 + 1965 + pack.GetProperty("objects").GetInt32() + links);
        }

        // One entity, whichever name is asked.
        string First(string name)
        {
            using var doc = JsonDocument.Parse(Run("resolve", name, "--db", db.Db, "--json").Out);
            return doc.RootElement.GetProperty("entity").GetString()!;
        }

        Assert.Equal(First("APT40"), First("BRONZE MOHAWK"));
        Assert.Equal(First("APT40"), First("Leviathan"));

        using (var aliases = JsonDocument.Parse(Run("aliases", "APT40", "--db", db.Db, "--json").Out))
        {
            var coined = aliases.RootElement.EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!.ToUpperInvariant(), a => a.GetProperty("coined_by").GetString());
            Assert.Equal("Secureworks", coined["BRONZE MOHAWK"]);
            Assert.Equal("FireEye", coined["TEMP.PERISCOPE"]);
            Assert.Equal("CrowdStrike", coined["KRYPTONITE PANDA"]);
            Assert.Equal("Microsoft", coined["GINGHAM TYPHOON"]);
        }

        using (var claims = JsonDocument.Parse(Run("attribution", "Leviathan", "--db", db.Db, "--json").Out))
        {
            var onTheDay = claims.RootElement.EnumerateArray().Where(c => c.GetProperty("date").GetString() == "2021-07-19").ToList();
            foreach (var author in new[] { "Government of the United Kingdom", "European Union", "Ministry of Foreign Affairs of Japan", "Government of Canada", "Government of New Zealand" })
            {
                Assert.Contains(onTheDay, c => c.GetProperty("author").GetString() == author && c.GetProperty("relation").GetString() == "direct");
            }

            // The US (White House), Australia and NATO named the Exchange compromise: listed as claims of the same joint statement.
            foreach (var author in new[] { "Government of the United States", "Government of Australia", "North Atlantic Treaty Organization" })
            {
                Assert.Contains(onTheDay, c => c.GetProperty("author").GetString() == author && c.GetProperty("relation").GetString() == "joint-statement"
                    && c.GetProperty("subject").GetString() == "Microsoft Exchange Server compromise (2021)");
            }

            Assert.Contains(onTheDay, c => c.GetProperty("response").GetString() == "indictment");
            foreach (var field in new[] { "author", "date", "subject", "sponsor", "response", "confidence", "source" })
            {
                Assert.All(claims.RootElement.EnumerateArray(), c => Assert.True(c.TryGetProperty(field, out _), field));
            }
        }

        // Q2: who joined the 2021-07-19 statement, and who did not.
        using (var statements = JsonDocument.Parse(Run("statements", "--about", "APT40", "--db", db.Db, "--json").Out))
        {
            var july = statements.RootElement.EnumerateArray().Single(s => s.GetProperty("date").GetString() == "2021-07-19");
            var joined = july.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("country").GetString()).OfType<string>().ToList();
            foreach (var country in new[] { "US", "GB", "JP", "CA", "AU", "NZ" })
            {
                Assert.Contains(country, joined);
            }

            var declined = Assert.Single(july.GetProperty("declined").EnumerateArray());
            Assert.Equal(("Government of the Republic of Korea", "KR"), (declined.GetProperty("name").GetString(), declined.GetProperty("country").GetString()));
        }

        // Consensus: the MSS, MISP's "State of China" and the EU's "actors operating from China" are one state, so no conflict.
        using (var consensus = JsonDocument.Parse(Run("consensus", "APT40", "--db", db.Db, "--json").Out))
        {
            Assert.False(consensus.RootElement.GetProperty("conflict").GetBoolean());
            Assert.All(consensus.RootElement.GetProperty("sponsors").EnumerateArray(), p => Assert.Equal("CN", p.GetProperty("country").GetString()));
            Assert.True(consensus.RootElement.GetProperty("governments").GetInt32() >= 10);
        }

        // Q4: what was known as of 2021-07-01 (claims made by then) against today.
        using (var then = JsonDocument.Parse(Run("attribution", "APT40", "--as-of", "2021-07-01", "--db", db.Db, "--json").Out))
        using (var now = JsonDocument.Parse(Run("attribution", "APT40", "--db", db.Db, "--json").Out))
        {
            Assert.DoesNotContain(then.RootElement.EnumerateArray(), c => string.CompareOrdinal(c.GetProperty("date").GetString(), "2021-07-01") > 0);
            Assert.True(now.RootElement.GetArrayLength() > then.RootElement.GetArrayLength());
        }

        using (var tick = JsonDocument.Parse(Run("attribution", "Tick", "--db", db.Db, "--json").Out))
        {
            Assert.Contains(tick.RootElement.EnumerateArray(), c => c.GetProperty("author").GetString() == "Government of Japan" && c.GetProperty("sponsor").GetString() == "PLA Unit 61419");
        }

        string export = Path.Combine(db.Dir, "export.json");
        Assert.Equal(0, Run("export", "--out", export, "--db", db.Db).Exit);
        var check = Run("validate", export);
        Assert.Equal(0, check.Exit);
        Assert.Contains(" 0 errors", check.Out, StringComparison.Ordinal);
    }
}
