using System.Globalization;
using System.Text;
using System.Text.Json;
using ThreatLedger.Stix;

namespace ThreatLedger.Cli;

/// <summary>
/// Writes a deterministic, synthetic but realistic STIX 2.1 bundle for benchmarks: identities, intrusion sets,
/// malware, tools, campaigns, attack patterns, vulnerabilities, indicators, SCOs, reports, sightings and the
/// relationships that tie them together, with English and Japanese text. Streams straight onto the output:
/// only bounded pools of recent ids (per type) are kept, so a million objects need a few megabytes.
/// </summary>
internal static class StixGenerator
{
    /// <summary>Writes one bundle of exactly <paramref name="objectCount"/> objects; the same seed gives the same bytes.</summary>
    public static long Write(Stream output, int objectCount, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(objectCount);
        using var writer = new Utf8JsonWriter(output, StixJson.WriterOptions(indented: false));
        long written = new Generator(writer, objectCount, seed).Run();
        writer.Flush();
        return written;
    }

    private enum Kind
    {
        Identity,
        IntrusionSet,
        ThreatActor,
        Malware,
        Tool,
        Campaign,
        AttackPattern,
        CourseOfAction,
        Vulnerability,
        Indicator,
        Ipv4,
        Domain,
        File,
        Report,
        Sighting,
        Relationship,
    }

    private static readonly string[] s_typeNames =
    [
        "identity", "intrusion-set", "threat-actor", "malware", "tool", "campaign", "attack-pattern", "course-of-action",
        "vulnerability", "indicator", "ipv4-addr", "domain-name", "file", "report", "sighting", "relationship",
    ];

    // Per mille, after the first objects; relationships take what is left (about half).
    private static readonly (Kind Kind, int Weight)[] s_mix =
    [
        (Kind.Identity, 15), (Kind.IntrusionSet, 8), (Kind.ThreatActor, 4), (Kind.Malware, 25), (Kind.Tool, 9),
        (Kind.Campaign, 9), (Kind.AttackPattern, 9), (Kind.CourseOfAction, 4), (Kind.Vulnerability, 9),
        (Kind.Indicator, 250), (Kind.Ipv4, 40), (Kind.Domain, 35), (Kind.File, 25), (Kind.Report, 30), (Kind.Sighting, 20),
        (Kind.Relationship, 498),
    ];

    // The first 2% of the objects: entities only, so relationships always have something to point at.
    private static readonly (Kind Kind, int Weight)[] s_bootstrapMix =
    [
        (Kind.Identity, 4), (Kind.IntrusionSet, 3), (Kind.Malware, 5), (Kind.ThreatActor, 1), (Kind.Tool, 1),
        (Kind.AttackPattern, 2), (Kind.Vulnerability, 1), (Kind.Campaign, 1), (Kind.CourseOfAction, 1),
    ];

    private static readonly (Kind Source, string Type, Kind Target, int Weight)[] s_relationships =
    [
        (Kind.Indicator, "indicates", Kind.Malware, 34),
        (Kind.Indicator, "indicates", Kind.IntrusionSet, 10),
        (Kind.Indicator, "indicates", Kind.Campaign, 5),
        (Kind.Indicator, "related-to", Kind.Ipv4, 2),
        (Kind.Indicator, "related-to", Kind.Domain, 2),
        (Kind.Indicator, "related-to", Kind.File, 2),
        (Kind.IntrusionSet, "uses", Kind.Malware, 10),
        (Kind.IntrusionSet, "uses", Kind.Tool, 5),
        (Kind.IntrusionSet, "uses", Kind.AttackPattern, 10),
        (Kind.IntrusionSet, "attributed-to", Kind.ThreatActor, 2),
        (Kind.IntrusionSet, "attributed-to", Kind.Identity, 1),
        (Kind.IntrusionSet, "targets", Kind.Identity, 3),
        (Kind.IntrusionSet, "targets", Kind.Vulnerability, 2),
        (Kind.Campaign, "attributed-to", Kind.IntrusionSet, 3),
        (Kind.Campaign, "uses", Kind.Malware, 2),
        (Kind.Campaign, "targets", Kind.Identity, 2),
        (Kind.ThreatActor, "uses", Kind.Malware, 2),
        (Kind.ThreatActor, "targets", Kind.Identity, 1),
        (Kind.Malware, "targets", Kind.Identity, 3),
        (Kind.Malware, "targets", Kind.Vulnerability, 3),
        (Kind.Malware, "uses", Kind.AttackPattern, 6),
        (Kind.Malware, "related-to", Kind.Malware, 2),
        (Kind.CourseOfAction, "mitigates", Kind.AttackPattern, 3),
        (Kind.CourseOfAction, "mitigates", Kind.Malware, 1),
    ];

    private static readonly Kind[] s_reportRefKinds =
    [
        Kind.Indicator, Kind.Indicator, Kind.Indicator, Kind.Indicator, Kind.Malware, Kind.Malware, Kind.IntrusionSet,
        Kind.Campaign, Kind.AttackPattern, Kind.Vulnerability, Kind.Tool, Kind.Identity, Kind.Ipv4, Kind.Domain, Kind.File,
        Kind.Relationship, Kind.Relationship, Kind.Relationship,
    ];

    private static readonly string[] s_tlpIds =
    [
        "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", // TLP:CLEAR
        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", // TLP:GREEN
        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", // TLP:AMBER
    ];

    // ---- Word lists -------------------------------------------------------------------------------------------

    private static readonly string[] s_sectorsEn = ["financial", "defence", "government", "healthcare", "energy", "telecommunications", "manufacturing", "semiconductor", "aerospace", "academic", "media", "logistics", "maritime", "legal"];
    private static readonly string[] s_sectorsJa = ["金融", "防衛", "政府", "医療", "エネルギー", "通信", "製造", "半導体", "航空宇宙", "学術", "報道", "物流", "海運", "法律"];
    private static readonly string[] s_regionsEn = ["Japan", "South Korea", "Taiwan", "Southeast Asia", "Western Europe", "North America", "the Middle East", "India", "Australia", "Eastern Europe", "Latin America", "Central Asia"];
    private static readonly string[] s_regionsJa = ["日本", "韓国", "台湾", "東南アジア", "西欧", "北米", "中東", "インド", "オーストラリア", "東欧", "中南米", "中央アジア"];
    private static readonly string[] s_techniquesEn = ["spear-phishing attachments", "watering-hole attacks", "supply-chain compromise", "exploitation of VPN appliances", "stolen credentials", "remote desktop protocol", "DLL side-loading", "malicious macros", "web shells", "password spraying", "living-off-the-land binaries", "compromised cloud accounts"];
    private static readonly string[] s_techniquesJa = ["スピアフィッシングメール", "水飲み場攻撃", "サプライチェーン攻撃", "VPN機器の脆弱性", "窃取した認証情報", "リモートデスクトップ", "DLLサイドローディング", "悪性マクロ", "Webシェル", "パスワードスプレー攻撃", "正規ツールの悪用", "侵害したクラウドアカウント"];
    private static readonly string[] s_capabilitiesEn = ["captures keystrokes", "takes screenshots", "harvests browser credentials", "enumerates network shares", "downloads additional payloads", "disables security tools", "encrypts files for ransom", "tunnels traffic through proxies"];
    private static readonly string[] s_capabilitiesJa = ["キー入力を記録する", "画面を取得する", "ブラウザの認証情報を窃取する", "ネットワーク共有を列挙する", "追加のペイロードをダウンロードする", "セキュリティ製品を無効化する", "ファイルを暗号化する", "プロキシ経由で通信を中継する"];
    private static readonly string[] s_luresEn = ["tax reform", "diplomatic conferences", "job offers", "public health guidance", "trade negotiations", "annual salary reviews", "maritime security", "semiconductor export controls"];
    private static readonly string[] s_luresJa = ["税制改正", "外交会議", "求人情報", "感染症対策", "通商交渉", "人事評価", "海洋安全保障", "半導体輸出規制"];
    private static readonly string[] s_productsEn = ["VPN appliance", "mail server", "content management system", "managed file transfer", "firewall", "web application framework"];
    private static readonly string[] s_productsJa = ["VPN装置", "メールサーバ", "CMS", "ファイル転送ソフトウェア", "ファイアウォール", "Webアプリケーションフレームワーク"];

    // 17 and 13 templates: both prime, so stepping through them with any stride never repeats one too soon.
    private static readonly string[] s_sentencesEn =
    [
        "{N} has been active since at least {Y}, targeting {S} organisations in {R}.",
        "The operators rely on {T} for initial access and deploy {M} once a foothold is established.",
        "Analysts observed {N} exfiltrating sensitive documents from {S} networks over encrypted channels.",
        "Infrastructure associated with {N} overlaps with servers previously attributed to {A}.",
        "In {Y}, a campaign leveraging {T} compromised at least {K} organisations across {R}.",
        "{M} is a modular implant that {C} and communicates with its command-and-control servers over HTTPS.",
        "The malware achieves persistence through scheduled tasks and registry run keys, and it {C}.",
        "Several samples were signed with stolen code-signing certificates to evade detection by security products.",
        "This activity is assessed with moderate confidence to support long-term intelligence collection priorities.",
        "Victims in the {S} sector received lure documents themed around {L}.",
        "Exploitation of {P} vulnerabilities was observed within days of public disclosure.",
        "The group frequently rotates its domains and uses dynamic DNS providers to obscure its infrastructure.",
        "Post-compromise activity includes credential dumping, lateral movement via {T}, and staging of archives for exfiltration.",
        "Indicators in this set were collected from incident response engagements between {Y} and {Z}.",
        "Defenders should monitor for anomalous use of {T} and review logs for connections to the listed infrastructure.",
        "{N} shares code with {M}, suggesting a common developer or a shared tooling ecosystem.",
        "Targeting of {S} entities in {R} intensified ahead of major policy announcements in {Y}.",
    ];

    private static readonly string[] s_sentencesJa =
    [
        "{N}は少なくとも{Y}年から活動しており、{R}の{S}分野の組織を標的としている。",
        "攻撃者は{T}を用いて初期侵入を行い、足場を確保した後に{M}を展開する。",
        "{S}分野のネットワークから機密文書が暗号化通信を通じて窃取されたことが確認された。",
        "{N}に関連するインフラは、過去に{A}によるものとされたサーバと重複している。",
        "{Y}年には{T}を悪用した攻撃により、{R}の少なくとも{K}組織が侵害を受けた。",
        "{M}はモジュール型のマルウェアであり、{C}機能を持ち、HTTPS経由でC2サーバと通信する。",
        "本マルウェアはタスクスケジューラとレジストリのRunキーを利用して永続化を図る。",
        "一部の検体は窃取されたコード署名証明書で署名されており、セキュリティ製品による検知を回避している。",
        "本活動は長期的な情報収集を目的としたものであると中程度の確度で評価している。",
        "{S}分野の被害者には、{L}を装ったおとり文書が送付された。",
        "{P}の脆弱性は公開直後から悪用が確認されている。",
        "侵入後には認証情報の窃取、{T}による横展開、外部送信のためのアーカイブ作成が行われた。",
        "防御側は{T}の不審な利用を監視し、記載したインフラへの通信ログを確認することが推奨される。",
    ];

    private static readonly string[] s_mssSentencesJa =
    [
        "{N}は中国国家安全部の指示の下で活動しているとみられる。",
        "複数のセキュリティベンダーは、本活動を中国国家安全部の関与と結び付けている。",
        "{N}の標的選定は中国国家安全部の情報収集要件と一致している。",
    ];

    private static readonly string[] s_identitySentencesEn =
    [
        "{N} is a {S} organisation headquartered in {R}.",
        "It operates critical services for customers across {R} and has been targeted repeatedly since {Y}.",
        "The organisation shares threat intelligence with national CERTs and sector ISACs.",
        "Its security team tracks intrusions that rely on {T} against the {S} sector.",
        "Incidents reported by this organisation in {Y} involved {M}.",
    ];

    private static readonly string[] s_identitySentencesJa =
    [
        "{N}は{R}に本拠を置く{S}分野の組織である。",
        "同組織は{Y}年以降、繰り返しサイバー攻撃の標的となっている。",
        "同組織は国内のCSIRTや業界ISACと脅威情報を共有している。",
        "同組織のセキュリティチームは{S}分野に対する{T}を用いた侵入を追跡している。",
        "{Y}年に同組織が報告したインシデントでは{M}が使用された。",
    ];

    private static readonly string[] s_adjectives = ["Crimson", "Amber", "Velvet", "Silent", "Golden", "Jade", "Scarlet", "Obsidian", "Cobalt", "Frozen", "Hidden", "Bronze", "Emerald", "Midnight", "Phantom", "Iron"];
    private static readonly string[] s_animals = ["Panda", "Typhoon", "Dragon", "Tiger", "Kitten", "Spider", "Bear", "Chollima", "Falcon", "Viper", "Crane", "Lynx", "Mantis", "Hornet", "Heron", "Badger"];
    private static readonly string[] s_aliasesJa = ["国家安全部系グループ", "紅いパンダ", "青い台風", "黒竜", "翡翠の虎", "沈黙の蜘蛛", "深紅の鶴", "鉄の熊", "影の狐", "国家安全部系ＡＰＴ"];
    private static readonly string[] s_malwarePrefixes = ["Shadow", "Plug", "Night", "Cobalt", "Dark", "Iron", "Red", "Silent", "Ghost", "Black", "Winter", "Sand", "Poison", "Crypto", "Hydra", "Moon", "Sky", "Storm", "Blue", "Lotus"];
    private static readonly string[] s_malwareSuffixes = ["Pad", "X", "Loader", "Rat", "Bot", "Door", "Stealer", "Lock", "Wiper", "Spy", "Agent", "Worm", "Shell", "Dropper", "Beacon", "Net", "Gate", "Fox", "Snake", "Hook"];
    private static readonly string[] s_toolStems = ["Net", "Cred", "Port", "Sock", "Tunnel", "Hash", "Ad", "Share", "Proc", "Reg", "Web", "Dns"];
    private static readonly string[] s_toolEndings = ["Scan", "Dump", "Relay", "Exec", "View", "Spray", "Cat", "Map", "Hound", "Proxy"];
    private static readonly string[] s_campaignNouns = ["Harvest", "Lantern", "Monsoon", "Tempest", "Citadel", "Mirage", "Cascade", "Sakura", "Fuji", "Kimono", "Compass", "Anchor"];
    private static readonly string[] s_companyPrefixes = ["Northwind", "Bluewater", "Summit", "Pioneer", "Meridian", "Atlas", "Harbor", "Redwood", "Silverline", "Keystone", "Evergreen", "Crescent"];
    private static readonly string[] s_companyTrades = ["Financial", "Energy", "Health", "Telecom", "Logistics", "Aerospace", "Semiconductor", "Insurance", "Media", "Defence Systems"];
    private static readonly string[] s_companySuffixes = ["Group", "Corporation", "Holdings", "Ltd.", "Inc.", "Partners"];
    private static readonly string[] s_ministries = ["Ministry of Foreign Affairs", "Ministry of Defence", "Ministry of Finance", "Ministry of Economy, Trade and Industry", "Ministry of Internal Affairs", "Ministry of Health", "National Police Agency", "National Cyber Security Centre"];
    private static readonly string[] s_companyPrefixesJa = ["東都", "北陸", "関西", "九州", "中部", "東洋", "日本", "大和", "瑞穂", "富士"];
    private static readonly string[] s_companyTradesJa = ["電力", "銀行", "重工業", "通信", "製薬", "精密機器", "海運", "商事", "半導体", "保険"];
    private static readonly string[] s_companySuffixesJa = ["株式会社", "ホールディングス", "グループ"];
    private static readonly string[] s_ministriesJa = ["経済産業省", "防衛省", "総務省", "外務省", "警察庁", "内閣サイバーセキュリティセンター", "情報処理推進機構", "金融庁"];
    private static readonly string[] s_industrySectors = ["financial-services", "defense", "government-national", "healthcare", "energy", "telecommunications", "manufacturing", "technology", "aerospace", "education", "transportation", "pharmaceuticals"];
    private static readonly string[] s_malwareTypes = ["backdoor", "remote-access-trojan", "downloader", "dropper", "ransomware", "spyware", "keylogger", "wiper", "webshell", "trojan", "bot", "rootkit"];
    private static readonly string[] s_malwareCapabilities = ["communicates-with-c2", "exfiltrates-data", "persists-after-system-reboot", "evades-av", "steals-authentication-credentials", "captures-input-peripherals", "escalates-privileges", "fingerprints-host"];
    private static readonly string[] s_languages = ["c", "c++", "c#", "go", "python", "powershell", "javascript", "visual-basic"];
    private static readonly string[] s_toolTypes = ["credential-exploitation", "remote-access", "information-gathering", "network-capture", "exploitation", "vulnerability-scanning"];
    private static readonly string[] s_actorTypes = ["nation-state", "crime-syndicate", "criminal", "hacker", "spy", "activist"];
    private static readonly string[] s_sophistication = ["intermediate", "advanced", "expert", "strategic"];
    private static readonly string[] s_resourceLevels = ["government", "organization", "team"];
    private static readonly string[] s_motivations = ["organizational-gain", "ideology", "personal-gain", "dominance", "notoriety"];
    private static readonly string[] s_goals = ["steal intellectual property", "collect political intelligence", "disrupt critical infrastructure", "financial theft", "surveillance of dissidents"];
    private static readonly string[] s_indicatorTypes = ["malicious-activity", "malicious-activity", "malicious-activity", "compromised", "attribution", "anomalous-activity"];
    private static readonly string[] s_reportTypes = ["threat-report", "threat-report", "threat-report", "campaign", "malware", "intrusion-set", "indicator"];
    private static readonly string[] s_phases = ["initial-access", "execution", "persistence", "privilege-escalation", "defense-evasion", "credential-access", "discovery", "lateral-movement", "collection", "command-and-control", "exfiltration", "impact"];
    private static readonly string[] s_attackPatterns =
    [
        "Spearphishing Attachment", "Spearphishing Link", "Exploit Public-Facing Application", "Valid Accounts", "PowerShell",
        "Windows Command Shell", "Scheduled Task", "Registry Run Keys", "DLL Side-Loading", "Process Injection",
        "OS Credential Dumping", "Remote Desktop Protocol", "SMB/Windows Admin Shares", "Ingress Tool Transfer",
        "Exfiltration Over C2 Channel", "Archive Collected Data", "Web Protocols", "Obfuscated Files or Information",
        "Masquerading", "Indicator Removal", "System Information Discovery", "Network Service Discovery",
        "Data Encrypted for Impact", "Supply Chain Compromise", "Drive-by Compromise", "Brute Force", "Input Capture",
        "Screen Capture", "Proxy", "External Remote Services",
    ];

    private static readonly string[] s_mitigations =
    [
        "Enforce multi-factor authentication", "Restrict macro execution", "Patch internet-facing appliances",
        "Application allow-listing", "Network segmentation", "Disable legacy protocols", "Monitor PowerShell execution",
        "Harden remote desktop access", "Privileged account management", "User awareness training",
        "Restrict web-based content", "Audit code-signing certificates",
    ];

    private static readonly string[] s_tlds = ["com", "net", "org", "info", "xyz", "top", "jp", "co.jp", "biz", "online", "example"];
    private static readonly string[] s_syllables = ["ka", "ri", "to", "mi", "sa", "no", "ne", "ko", "ra", "zu", "te", "an", "el", "or", "ex", "up", "li", "mo", "da", "ve"];
    private static readonly string[] s_domainWords = ["update", "cdn", "mail", "secure", "login", "cloud", "news", "portal", "sync", "docs", "static", "api"];
    private static readonly string[] s_fileNames = ["invoice", "report", "setup", "update", "svchost", "readme", "payroll", "agenda", "scan", "document"];
    private static readonly string[] s_fileExtensions = ["exe", "dll", "doc", "xlsm", "lnk", "js", "zip", "iso"];

    private sealed class Generator
    {
        private const int AuthorCount = 20;
        private const int FlushThreshold = 1 << 18;
        private const int MinDescription = 100;
        private const int MaxDescription = 600;
        private const long DayMs = 86_400_000L;

        private static readonly long s_startMs = new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        private static readonly long s_endMs = new DateTimeOffset(2026, 12, 31, 23, 59, 59, 999, TimeSpan.Zero).ToUnixTimeMilliseconds();

        private readonly Utf8JsonWriter _w;
        private readonly Random _rng;
        private readonly int _count;
        private readonly int _bootstrapEnd;
        private readonly IdPool[] _pools;
        private readonly Guid[] _authors = new Guid[AuthorCount];
        private readonly StringBuilder _text = new(1024);
        private readonly (Kind Kind, Guid Id)[] _refs = new (Kind, Guid)[20];
        private int _index;

        public Generator(Utf8JsonWriter writer, int count, int seed)
        {
            _w = writer;
            _rng = new Random(seed);
            _count = count;
            _bootstrapEnd = Math.Max(Math.Min(count, AuthorCount), count / 50);
            _pools = new IdPool[s_typeNames.Length];
            for (int i = 0; i < _pools.Length; i++)
            {
                _pools[i] = new IdPool();
            }

            for (int i = 0; i < AuthorCount; i++)
            {
                _authors[i] = NewGuid();
            }
        }

        public long Run()
        {
            _w.WriteStartObject();
            _w.WriteString("type"u8, "bundle"u8);
            WriteId("id"u8, "bundle", NewGuid());
            if (_count > 0)
            {
                // STIX wants an empty bundle to leave out objects rather than hold an empty list.
                _w.WriteStartArray("objects"u8);
                for (_index = 0; _index < _count; _index++)
                {
                    WriteObject(ChooseKind());
                    if (_w.BytesPending > FlushThreshold)
                    {
                        _w.Flush();
                    }
                }

                _w.WriteEndArray();
            }

            _w.WriteEndObject();
            return _count;
        }

        private Kind ChooseKind()
        {
            if (_index < AuthorCount)
            {
                return Kind.Identity;
            }

            var mix = _index < _bootstrapEnd ? s_bootstrapMix : s_mix;
            int total = 0;
            foreach (var (_, weight) in mix)
            {
                total += weight;
            }

            int r = _rng.Next(total);
            foreach (var (kind, weight) in mix)
            {
                if (r < weight)
                {
                    return kind;
                }

                r -= weight;
            }

            return Kind.Relationship;
        }

        private void WriteObject(Kind kind)
        {
            switch (kind)
            {
                case Kind.Identity: Identity(); break;
                case Kind.IntrusionSet: IntrusionSet(); break;
                case Kind.ThreatActor: ThreatActor(); break;
                case Kind.Malware: Malware(); break;
                case Kind.Tool: Tool(); break;
                case Kind.Campaign: Campaign(); break;
                case Kind.AttackPattern: AttackPattern(); break;
                case Kind.CourseOfAction: CourseOfAction(); break;
                case Kind.Vulnerability: Vulnerability(); break;
                case Kind.Indicator: Indicator(); break;
                case Kind.Ipv4: Observable(Kind.Ipv4); break;
                case Kind.Domain: Observable(Kind.Domain); break;
                case Kind.File: Observable(Kind.File); break;
                case Kind.Report: Report(); break;
                case Kind.Sighting: Sighting(); break;
                default: Relationship(); break;
            }
        }

        // ---- Objects --------------------------------------------------------------------------------------------

        private void Identity()
        {
            bool author = _index < AuthorCount;
            bool japanese = _rng.Next(100) < 30;
            bool government = !author && _rng.Next(100) < 25;
            string name;
            if (author)
            {
                name = japanese
                    ? Pick(s_companyPrefixesJa) + "セキュリティ株式会社"
                    : Pick(s_companyPrefixes) + (_rng.Next(2) == 0 ? " Threat Intelligence" : " CERT");
            }
            else if (government)
            {
                name = japanese ? Pick(s_ministriesJa) : Pick(s_ministries) + " of " + Pick(["Japan", "Freedonia", "Ruritania", "Arcadia", "Elbonia"]);
            }
            else
            {
                name = japanese
                    ? Pick(s_companyPrefixesJa) + Pick(s_companyTradesJa) + Pick(s_companySuffixesJa)
                    : Pick(s_companyPrefixes) + " " + Pick(s_companyTrades) + " " + Pick(s_companySuffixes);
            }

            var id = author ? _authors[_index] : NewGuid();
            Header(Kind.Identity, id, out _, out _, withAuthor: !author);
            _w.WriteString("name"u8, name);
            if (_rng.Next(100) < 60)
            {
                WriteDescription(japanese, name, identity: true);
            }

            _w.WriteString("identity_class"u8, author || government || _rng.Next(10) > 0 ? "organization" : "class");
            _w.WriteStartArray("sectors"u8);
            _w.WriteStringValue(author ? "technology" : government ? "government-national" : Pick(s_industrySectors));
            _w.WriteEndArray();
            if (japanese)
            {
                _w.WriteString("lang"u8, "ja"u8);
            }

            End(Kind.Identity, id);
        }

        private void IntrusionSet()
        {
            var id = NewGuid();
            Header(Kind.IntrusionSet, id, out var created, out var modified);
            string name = _rng.Next(2) == 0
                ? "APT" + _rng.Next(10_000, 100_000).ToString(CultureInfo.InvariantCulture)
                : ActorName();
            _w.WriteString("name"u8, name);
            bool japanese = _rng.Next(100) < 40;
            WriteDescription(japanese, name, sentences: _rng.Next(2, 5));
            WriteAliases(name, _rng.Next(2, 5));
            WriteSeen(created, modified);
            if (_rng.Next(2) == 0)
            {
                _w.WriteStartArray("goals"u8);
                _w.WriteStringValue(Pick(s_goals));
                _w.WriteEndArray();
            }

            _w.WriteString("resource_level"u8, Pick(s_resourceLevels));
            _w.WriteString("primary_motivation"u8, Pick(s_motivations));
            if (japanese)
            {
                _w.WriteString("lang"u8, "ja"u8);
            }

            End(Kind.IntrusionSet, id);
        }

        private void ThreatActor()
        {
            var id = NewGuid();
            Header(Kind.ThreatActor, id, out var created, out var modified);
            string name = ActorName();
            _w.WriteString("name"u8, name);
            bool japanese = _rng.Next(100) < 25;
            WriteDescription(japanese, name);
            _w.WriteStartArray("threat_actor_types"u8);
            _w.WriteStringValue(Pick(s_actorTypes));
            _w.WriteEndArray();
            WriteAliases(name, _rng.Next(1, 3));
            WriteSeen(created, modified);
            _w.WriteString("sophistication"u8, Pick(s_sophistication));
            _w.WriteString("resource_level"u8, Pick(s_resourceLevels));
            _w.WriteString("primary_motivation"u8, Pick(s_motivations));
            if (japanese)
            {
                _w.WriteString("lang"u8, "ja"u8);
            }

            End(Kind.ThreatActor, id);
        }

        private void Malware()
        {
            var id = NewGuid();
            Header(Kind.Malware, id, out var created, out _);
            string name = MalwareName();
            _w.WriteString("name"u8, name);
            bool japanese = _rng.Next(100) < 20;
            WriteDescription(japanese, name);
            _w.WriteStartArray("malware_types"u8);
            _w.WriteStringValue(Pick(s_malwareTypes));
            _w.WriteEndArray();
            _w.WriteBoolean("is_family"u8, true);
            if (_rng.Next(2) == 0)
            {
                WriteTime("first_seen"u8, created - (_rng.NextInt64(0, 365) * DayMs));
            }

            if (_rng.Next(3) == 0)
            {
                _w.WriteStartArray("implementation_languages"u8);
                _w.WriteStringValue(Pick(s_languages));
                _w.WriteEndArray();
            }

            if (_rng.Next(2) == 0)
            {
                _w.WriteStartArray("capabilities"u8);
                int first = _rng.Next(s_malwareCapabilities.Length);
                int n = _rng.Next(1, 4);
                for (int i = 0; i < n; i++)
                {
                    _w.WriteStringValue(s_malwareCapabilities[(first + (i * 3)) % s_malwareCapabilities.Length]);
                }

                _w.WriteEndArray();
            }

            if (japanese)
            {
                _w.WriteString("lang"u8, "ja"u8);
            }

            End(Kind.Malware, id);
        }

        private void Tool()
        {
            var id = NewGuid();
            Header(Kind.Tool, id, out _, out _);
            string name = Pick(s_toolStems) + Pick(s_toolEndings);
            _w.WriteString("name"u8, name);
            bool japanese = _rng.Next(100) < 15;
            if (_rng.Next(100) < 70)
            {
                WriteDescription(japanese, name);
            }
            else
            {
                japanese = false;
            }

            _w.WriteStartArray("tool_types"u8);
            _w.WriteStringValue(Pick(s_toolTypes));
            _w.WriteEndArray();
            if (_rng.Next(3) == 0)
            {
                _w.WriteString("tool_version"u8, string.Create(CultureInfo.InvariantCulture, $"{_rng.Next(1, 6)}.{_rng.Next(10)}.{_rng.Next(20)}"));
            }

            if (japanese)
            {
                _w.WriteString("lang"u8, "ja"u8);
            }

            End(Kind.Tool, id);
        }

        private void Campaign()
        {
            var id = NewGuid();
            Header(Kind.Campaign, id, out var created, out var modified);
            bool japanese = _rng.Next(100) < 25;
            string name = japanese && _rng.Next(2) == 0
                ? "オペレーション・" + Pick(["サクラ", "ミラージュ", "モンスーン", "ランタン", "シタデル", "カスケード"])
                : "Operation " + Pick(s_adjectives) + " " + Pick(s_campaignNouns);
            _w.WriteString("name"u8, name);
            WriteDescription(japanese, name);
            WriteSeen(created, modified);
            if (_rng.Next(2) == 0)
            {
                _w.WriteString("objective"u8, Pick(s_goals));
            }

            if (japanese)
            {
                _w.WriteString("lang"u8, "ja"u8);
            }

            End(Kind.Campaign, id);
        }

        private void AttackPattern()
        {
            var id = NewGuid();
            Header(Kind.AttackPattern, id, out _, out _);
            _w.WriteString("name"u8, Pick(s_attackPatterns));
            WriteDescription(japanese: false, name: null);
            int technique = _rng.Next(1000, 1700);
            int sub = _rng.Next(100) < 30 ? _rng.Next(1, 10) : 0;
            string externalId = sub == 0
                ? string.Create(CultureInfo.InvariantCulture, $"T{technique}")
                : string.Create(CultureInfo.InvariantCulture, $"T{technique}.{sub:000}");
            string url = sub == 0
                ? string.Create(CultureInfo.InvariantCulture, $"https://attack.mitre.org/techniques/T{technique}/")
                : string.Create(CultureInfo.InvariantCulture, $"https://attack.mitre.org/techniques/T{technique}/{sub:000}/");
            _w.WriteStartArray("kill_chain_phases"u8);
            _w.WriteStartObject();
            _w.WriteString("kill_chain_name"u8, "mitre-attack"u8);
            _w.WriteString("phase_name"u8, Pick(s_phases));
            _w.WriteEndObject();
            _w.WriteEndArray();
            _w.WriteStartArray("external_references"u8);
            _w.WriteStartObject();
            _w.WriteString("source_name"u8, "mitre-attack"u8);
            _w.WriteString("url"u8, url);
            _w.WriteString("external_id"u8, externalId);
            _w.WriteEndObject();
            _w.WriteEndArray();
            End(Kind.AttackPattern, id);
        }

        private void CourseOfAction()
        {
            var id = NewGuid();
            Header(Kind.CourseOfAction, id, out _, out _);
            _w.WriteString("name"u8, Pick(s_mitigations));
            bool japanese = _rng.Next(100) < 20;
            WriteDescription(japanese, name: null);
            if (japanese)
            {
                _w.WriteString("lang"u8, "ja"u8);
            }

            End(Kind.CourseOfAction, id);
        }

        private void Vulnerability()
        {
            var id = NewGuid();
            Header(Kind.Vulnerability, id, out var created, out _);
            int year = Math.Max(2014, YearOf(created) - _rng.Next(0, 3));
            string cve = string.Create(CultureInfo.InvariantCulture, $"CVE-{year}-{_rng.Next(1000, 100_000):0000}");
            _w.WriteString("name"u8, cve);
            bool japanese = _rng.Next(100) < 20;
            if (_rng.Next(100) < 70)
            {
                WriteDescription(japanese, cve);
            }
            else
            {
                japanese = false;
            }

            _w.WriteStartArray("external_references"u8);
            _w.WriteStartObject();
            _w.WriteString("source_name"u8, "cve"u8);
            _w.WriteString("external_id"u8, cve);
            _w.WriteEndObject();
            _w.WriteEndArray();
            if (japanese)
            {
                _w.WriteString("lang"u8, "ja"u8);
            }

            End(Kind.Vulnerability, id);
        }

        private void Indicator()
        {
            var id = NewGuid();
            Header(Kind.Indicator, id, out var created, out _);
            string pattern;
            string name;
            switch (_rng.Next(10))
            {
                case < 4:
                    string ip = Ipv4Address();
                    pattern = "[ipv4-addr:value = '" + ip + "']";
                    name = "Malicious IPv4 address " + ip;
                    break;
                case < 7:
                    string domain = DomainName();
                    pattern = "[domain-name:value = '" + domain + "']";
                    name = "C2 domain " + domain;
                    break;
                default:
                    pattern = "[file:hashes.'SHA-256' = '" + Sha256() + "']";
                    name = MalwareName() + " sample (SHA-256)";
                    break;
            }

            _w.WriteString("name"u8, name);
            bool japanese = false;
            if (_rng.Next(100) < 50)
            {
                japanese = _rng.Next(100) < 20;
                WriteDescription(japanese, name: null);
            }

            _w.WriteStartArray("indicator_types"u8);
            _w.WriteStringValue(Pick(s_indicatorTypes));
            _w.WriteEndArray();
            _w.WriteString("pattern"u8, pattern);
            _w.WriteString("pattern_type"u8, "stix"u8);
            WriteTime("valid_from"u8, created);
            if (_rng.Next(3) == 0)
            {
                WriteTime("valid_until"u8, created + (_rng.NextInt64(30, 366) * DayMs));
            }

            if (_rng.Next(4) == 0)
            {
                _w.WriteNumber("confidence"u8, Pick([15, 50, 85, 100]));
            }

            if (japanese)
            {
                _w.WriteString("lang"u8, "ja"u8);
            }

            End(Kind.Indicator, id);
        }

        private void Observable(Kind kind)
        {
            var id = NewGuid();
            _w.WriteStartObject();
            _w.WriteString("type"u8, s_typeNames[(int)kind]);
            _w.WriteString("spec_version"u8, "2.1"u8);
            WriteId("id"u8, s_typeNames[(int)kind], id);
            switch (kind)
            {
                case Kind.Ipv4:
                    _w.WriteString("value"u8, Ipv4Address());
                    break;
                case Kind.Domain:
                    _w.WriteString("value"u8, DomainName());
                    break;
                default:
                    _w.WriteStartObject("hashes"u8);
                    _w.WriteString("SHA-256"u8, Sha256());
                    _w.WriteEndObject();
                    if (_rng.Next(2) == 0)
                    {
                        _w.WriteString("name"u8, Pick(s_fileNames) + "_" + _rng.Next(100, 10_000).ToString(CultureInfo.InvariantCulture) + "." + Pick(s_fileExtensions));
                        _w.WriteNumber("size"u8, _rng.Next(4_096, 8_000_000));
                    }

                    break;
            }

            if (_rng.Next(10) < 3)
            {
                WriteMarking();
            }

            End(kind, id);
        }

        private void Report()
        {
            int available = 0;
            foreach (var k in s_reportRefKinds)
            {
                available += _pools[(int)k].Count;
            }

            if (available == 0)
            {
                Malware();
                return;
            }

            var id = NewGuid();
            Header(Kind.Report, id, out var created, out var modified);
            bool japanese = _rng.Next(100) < 30;
            string subject = _rng.Next(2) == 0 ? ActorName() : MalwareName();
            string name = japanese
                ? subject + "に関する脅威分析レポート（" + YearOf(created).ToString(CultureInfo.InvariantCulture) + "年）"
                : subject + ": " + Pick(["Activity Update", "Threat Profile", "Campaign Analysis", "Indicator Bulletin", "Intrusion Report"]);
            _w.WriteString("name"u8, name);
            WriteDescription(japanese, subject);
            _w.WriteStartArray("report_types"u8);
            _w.WriteStringValue(Pick(s_reportTypes));
            _w.WriteEndArray();
            WriteTime("published"u8, modified);

            int wanted = _rng.Next(5, 21);
            int n = 0;
            for (int attempt = 0; attempt < wanted * 3 && n < wanted; attempt++)
            {
                var k = Pick(s_reportRefKinds);
                if (_pools[(int)k].Count == 0)
                {
                    continue;
                }

                var r = (k, _pools[(int)k].Pick(_rng, recent: true));
                if (Array.IndexOf(_refs, r, 0, n) < 0)
                {
                    _refs[n++] = r;
                }
            }

            if (n == 0)
            {
                foreach (var k in s_reportRefKinds)
                {
                    if (_pools[(int)k].Count > 0)
                    {
                        _refs[n++] = (k, _pools[(int)k].Pick(_rng, recent: true));
                        break;
                    }
                }
            }

            _w.WriteStartArray("object_refs"u8);
            for (int i = 0; i < n; i++)
            {
                WriteIdValue(s_typeNames[(int)_refs[i].Kind], _refs[i].Id);
            }

            _w.WriteEndArray();
            if (japanese)
            {
                _w.WriteString("lang"u8, "ja"u8);
            }

            End(Kind.Report, id);
        }

        private void Sighting()
        {
            var indicators = _pools[(int)Kind.Indicator];
            if (indicators.Count == 0)
            {
                Indicator();
                return;
            }

            var id = NewGuid();
            Header(Kind.Sighting, id, out var created, out _);
            long firstSeen = created - (_rng.NextInt64(0, 60) * DayMs) - _rng.NextInt64(DayMs);
            long lastSeen = firstSeen + _rng.NextInt64(0, (created - firstSeen) + 1);
            WriteTime("first_seen"u8, firstSeen);
            WriteTime("last_seen"u8, lastSeen);
            _w.WriteNumber("count"u8, _rng.Next(1, _rng.Next(2) == 0 ? 10 : 5_000));
            WriteId("sighting_of_ref"u8, "indicator", indicators.Pick(_rng, recent: true));
            var identities = _pools[(int)Kind.Identity];
            _w.WriteStartArray("where_sighted_refs"u8);
            WriteIdValue("identity", identities.Count > 0 ? identities.Pick(_rng, recent: false) : _authors[_rng.Next(AuthorCount)]);
            _w.WriteEndArray();
            End(Kind.Sighting, id);
        }

        private void Relationship()
        {
            int total = 0;
            foreach (var t in s_relationships)
            {
                if (_pools[(int)t.Source].Count > 0 && _pools[(int)t.Target].Count > 0)
                {
                    total += t.Weight;
                }
            }

            if (total == 0)
            {
                Malware();
                return;
            }

            int r = _rng.Next(total);
            var chosen = s_relationships[0];
            foreach (var t in s_relationships)
            {
                if (_pools[(int)t.Source].Count > 0 && _pools[(int)t.Target].Count > 0)
                {
                    if (r < t.Weight)
                    {
                        chosen = t;
                        break;
                    }

                    r -= t.Weight;
                }
            }

            var id = NewGuid();
            Header(Kind.Relationship, id, out _, out _);
            _w.WriteString("relationship_type"u8, chosen.Type);
            bool japanese = false;
            if (_rng.Next(100) < 50)
            {
                japanese = _rng.Next(100) < 20;
                WriteDescription(japanese, name: null);
            }

            // Sources are any recent object; targets lean towards the newest, so some nodes become hubs.
            WriteId("source_ref"u8, s_typeNames[(int)chosen.Source], _pools[(int)chosen.Source].Pick(_rng, recent: false));
            WriteId("target_ref"u8, s_typeNames[(int)chosen.Target], _pools[(int)chosen.Target].Pick(_rng, recent: true));
            if (_rng.Next(4) == 0)
            {
                _w.WriteNumber("confidence"u8, Pick([15, 50, 85, 100]));
            }

            if (japanese)
            {
                _w.WriteString("lang"u8, "ja"u8);
            }

            End(Kind.Relationship, id);
        }

        // ---- Common parts ---------------------------------------------------------------------------------------

        private void Header(Kind kind, Guid id, out long created, out long modified, bool withAuthor = true)
        {
            _w.WriteStartObject();
            _w.WriteString("type"u8, s_typeNames[(int)kind]);
            _w.WriteString("spec_version"u8, "2.1"u8);
            WriteId("id"u8, s_typeNames[(int)kind], id);

            // Objects drift forward in time through the file, with jitter; modified is never before created.
            long span = s_endMs - s_startMs;
            double progress = _count <= 1 ? 0 : (double)_index / _count;
            created = s_startMs + (long)(progress * span * 0.9) + _rng.NextInt64(span / 10);
            modified = _rng.Next(10) < 4 ? created : created + _rng.NextInt64(Math.Min(730 * DayMs, s_endMs - created) + 1);
            WriteTime("created"u8, created);
            WriteTime("modified"u8, modified);
            if (withAuthor && _rng.Next(2) == 0)
            {
                WriteId("created_by_ref"u8, "identity", _authors[_rng.Next(AuthorCount)]);
            }

            if (_rng.Next(10) < 3)
            {
                WriteMarking();
            }
        }

        private void End(Kind kind, Guid id)
        {
            _w.WriteEndObject();
            _pools[(int)kind].Add(id);
        }

        private void WriteMarking()
        {
            int r = _rng.Next(10);
            _w.WriteStartArray("object_marking_refs"u8);
            _w.WriteStringValue(s_tlpIds[r < 4 ? 0 : r < 9 ? 1 : 2]);
            _w.WriteEndArray();
        }

        private void WriteSeen(long created, long modified)
        {
            if (_rng.Next(3) == 0)
            {
                return;
            }

            long firstSeen = created - (_rng.NextInt64(0, 3 * 365) * DayMs);
            WriteTime("first_seen"u8, firstSeen);
            if (_rng.Next(2) == 0)
            {
                WriteTime("last_seen"u8, firstSeen + _rng.NextInt64(0, (modified - firstSeen) + 1));
            }
        }

        private void WriteAliases(string name, int count)
        {
            var seen = new List<string>(count);
            for (int attempt = 0; attempt < count * 4 && seen.Count < count; attempt++)
            {
                int r = _rng.Next(100);
                string alias = r switch
                {
                    < 25 => FullWidth(name),
                    < 50 => Pick(s_aliasesJa),
                    < 65 => ActorName(),
                    < 75 => "TG-" + _rng.Next(1000, 10_000).ToString(CultureInfo.InvariantCulture),
                    < 85 => "UNC" + _rng.Next(100, 6_000).ToString(CultureInfo.InvariantCulture),
                    < 93 => "Group " + _rng.Next(1, 200).ToString(CultureInfo.InvariantCulture),
                    _ => FullWidth(ActorName()),
                };
                if (!seen.Contains(alias) && !string.Equals(alias, name, StringComparison.Ordinal))
                {
                    seen.Add(alias);
                }
            }

            _w.WriteStartArray("aliases"u8);
            foreach (string alias in seen)
            {
                _w.WriteStringValue(alias);
            }

            _w.WriteEndArray();
        }

        /// <summary>Description of 100–600 characters; with <paramref name="sentences"/>, at least that many sentences.</summary>
        private void WriteDescription(bool japanese, string? name, int sentences = 0, bool identity = false)
        {
            var sb = _text.Clear();
            string[] templates = identity ? (japanese ? s_identitySentencesJa : s_identitySentencesEn) : (japanese ? s_sentencesJa : s_sentencesEn);
            int target = _rng.Next(MinDescription, MaxDescription + 1);
            int start = _rng.Next(templates.Length);
            int stride = 1 + _rng.Next(templates.Length - 1);
            int mssAt = japanese && !identity && _rng.Next(100) < 5 ? _rng.Next(2) : -1;
            name ??= _rng.Next(2) == 0 ? ActorName() : MalwareName();
            int lastYear = 0;
            for (int n = 0; ; n++)
            {
                string template = n == mssAt ? Pick(s_mssSentencesJa) : templates[(start + (n * stride)) % templates.Length];
                int before = sb.Length;
                if (before > 0 && !japanese)
                {
                    sb.Append(' ');
                }

                lastYear = Fill(sb, template, name, japanese, lastYear);
                if (sb.Length > MaxDescription && before >= MinDescription && n != mssAt)
                {
                    sb.Length = before;
                    break;
                }

                bool enough = sentences > 0 ? n + 1 >= sentences : sb.Length >= target;
                if (enough && sb.Length >= MinDescription && n >= mssAt)
                {
                    break;
                }
            }

            _w.WriteString("description"u8, sb.ToString());
        }

        private int Fill(StringBuilder sb, string template, string name, bool japanese, int lastYear)
        {
            for (int i = 0; i < template.Length; i++)
            {
                char c = template[i];
                if (c != '{' || i + 2 >= template.Length || template[i + 2] != '}')
                {
                    sb.Append(c);
                    continue;
                }

                char slot = template[i + 1];
                i += 2;
                switch (slot)
                {
                    case 'N': sb.Append(name); break;
                    case 'S': sb.Append(Pick(japanese ? s_sectorsJa : s_sectorsEn)); break;
                    case 'R': sb.Append(Pick(japanese ? s_regionsJa : s_regionsEn)); break;
                    case 'T': sb.Append(Pick(japanese ? s_techniquesJa : s_techniquesEn)); break;
                    case 'C': sb.Append(Pick(japanese ? s_capabilitiesJa : s_capabilitiesEn)); break;
                    case 'L': sb.Append(Pick(japanese ? s_luresJa : s_luresEn)); break;
                    case 'P': sb.Append(Pick(japanese ? s_productsJa : s_productsEn)); break;
                    case 'M': sb.Append(MalwareName()); break;
                    case 'A': sb.Append(ActorName()); break;
                    case 'K': sb.Append(_rng.Next(3, 250)); break;
                    case 'Y':
                        lastYear = _rng.Next(2010, 2025);
                        sb.Append(lastYear);
                        break;
                    case 'Z': sb.Append((lastYear == 0 ? 2020 : lastYear) + _rng.Next(1, 4)); break;
                    default: sb.Append('{').Append(slot).Append('}'); break;
                }
            }

            return lastYear;
        }

        // ---- Values ---------------------------------------------------------------------------------------------

        private string ActorName() => Pick(s_adjectives) + " " + Pick(s_animals);

        private string MalwareName()
        {
            string name = Pick(s_malwarePrefixes) + Pick(s_malwareSuffixes);
            return _rng.Next(4) switch
            {
                0 => name + " v" + _rng.Next(2, 6).ToString(CultureInfo.InvariantCulture),
                1 => name + "." + (char)('A' + _rng.Next(6)),
                _ => name,
            };
        }

        private static string FullWidth(string s)
        {
            return string.Create(s.Length, s, static (span, src) =>
            {
                for (int i = 0; i < src.Length; i++)
                {
                    char c = src[i];
                    span[i] = c == ' ' ? '\u3000' : c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c;
                }
            });
        }

        private string Ipv4Address()
        {
            int first = _rng.Next(1, 224);
            if (first is 10 or 127)
            {
                first++;
            }

            return string.Create(CultureInfo.InvariantCulture, $"{first}.{_rng.Next(256)}.{_rng.Next(256)}.{_rng.Next(1, 255)}");
        }

        private string DomainName()
        {
            var sb = new StringBuilder(40);
            int syllables = _rng.Next(2, 5);
            for (int i = 0; i < syllables; i++)
            {
                sb.Append(Pick(s_syllables));
            }

            if (_rng.Next(2) == 0)
            {
                sb.Append('-').Append(Pick(s_domainWords));
            }

            if (_rng.Next(3) == 0)
            {
                sb.Insert(0, Pick(s_domainWords) + ".");
            }

            return sb.Append('.').Append(Pick(s_tlds)).ToString();
        }

        private string Sha256()
        {
            Span<byte> bytes = stackalloc byte[32];
            _rng.NextBytes(bytes);
            return Convert.ToHexStringLower(bytes);
        }

        private Guid NewGuid()
        {
            Span<byte> b = stackalloc byte[16];
            _rng.NextBytes(b);
            b[6] = (byte)((b[6] & 0x0F) | 0x40);
            b[8] = (byte)((b[8] & 0x3F) | 0x80);
            return new Guid(b, bigEndian: true);
        }

        private T Pick<T>(T[] items) => items[_rng.Next(items.Length)];

        private static int YearOf(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).Year;

        private void WriteTime(ReadOnlySpan<byte> property, long ms)
        {
            Span<char> buffer = stackalloc char[32];
            DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.TryFormat(buffer, out int n, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            _w.WriteString(property, buffer[..n]);
        }

        private void WriteId(ReadOnlySpan<byte> property, string type, Guid id)
        {
            Span<char> buffer = stackalloc char[96];
            _w.WriteString(property, FormatId(buffer, type, id));
        }

        private void WriteIdValue(string type, Guid id)
        {
            Span<char> buffer = stackalloc char[96];
            _w.WriteStringValue(FormatId(buffer, type, id));
        }

        private static ReadOnlySpan<char> FormatId(Span<char> buffer, string type, Guid id)
        {
            type.CopyTo(buffer);
            buffer[type.Length] = '-';
            buffer[type.Length + 1] = '-';
            id.TryFormat(buffer[(type.Length + 2)..], out int n, "D");
            return buffer[..(type.Length + 2 + n)];
        }
    }

    /// <summary>The most recent ids of one type (a ring of at most 50,000), to point references at.</summary>
    private sealed class IdPool
    {
        private const int Capacity = 50_000;
        private Guid[] _items = new Guid[256];
        private int _next;

        public int Count { get; private set; }

        public void Add(Guid id)
        {
            if (Count < Capacity)
            {
                if (Count == _items.Length)
                {
                    Array.Resize(ref _items, Math.Min(_items.Length * 2, Capacity));
                }

                _items[Count++] = id;
                return;
            }

            _items[_next] = id;
            _next = (_next + 1) % Capacity;
        }

        /// <summary>Any id in the pool, or (recent) one biased towards the newest.</summary>
        public Guid Pick(Random rng, bool recent)
        {
            if (!recent)
            {
                return _items[rng.Next(Count)];
            }

            double u = rng.NextDouble();
            int newestFirst = (int)(u * u * Count);
            int logical = Count - 1 - newestFirst;
            return _items[Count < Capacity ? logical : (logical + _next) % Capacity];
        }
    }
}
