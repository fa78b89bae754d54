namespace ThreatLedger.Extraction;

/// <summary>
/// Built-in vocabularies (facts, written for ThreatLedger): countries with their English and Japanese
/// names and short forms (ISO 3166-1 alpha-2), products, and attack types mapped to one vocabulary.
/// </summary>
internal static class Lexicon
{
    /// <summary>ISO code → names. Single-character Japanese short forms (米, 英…) only count in context (see <see cref="Extractor"/>).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Countries = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["US"] = ["United States", "United States of America", "USA", "U.S.", "アメリカ", "アメリカ合衆国", "米国", "米"],
        ["GB"] = ["United Kingdom", "Britain", "Great Britain", "UK", "U.K.", "イギリス", "英国", "英"],
        ["JP"] = ["Japan", "日本", "我が国", "日"],
        ["CN"] = ["China", "People's Republic of China", "PRC", "中国", "中華人民共和国", "中共", "中"],
        ["KR"] = ["South Korea", "Republic of Korea", "ROK", "韓国", "大韓民国", "韓"],
        ["KP"] = ["North Korea", "DPRK", "Democratic People's Republic of Korea", "北朝鮮"],
        ["RU"] = ["Russia", "Russian Federation", "ロシア", "露"],
        ["IR"] = ["Iran", "イラン"],
        ["CA"] = ["Canada", "カナダ", "加"],
        ["AU"] = ["Australia", "オーストラリア", "豪州", "豪"],
        ["NZ"] = ["New Zealand", "ニュージーランド"],
        ["DE"] = ["Germany", "ドイツ", "独"],
        ["FR"] = ["France", "フランス", "仏"],
        ["NL"] = ["Netherlands", "オランダ"],
        ["NO"] = ["Norway", "ノルウェー"],
        ["TW"] = ["Taiwan", "台湾"],
        ["IN"] = ["India", "インド"],
        ["UA"] = ["Ukraine", "ウクライナ"],
        ["IL"] = ["Israel", "イスラエル"],
        ["VN"] = ["Vietnam", "ベトナム"],
        ["AL"] = ["Albania", "アルバニア"],
    };

    /// <summary>Products: canonical name → surface forms.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Products = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Microsoft Exchange Server"] = ["Microsoft Exchange Server", "Microsoft Exchange", "Exchange Server", "マイクロソフト・エクスチェンジ・サーバー", "マイクロソフト・エクスチェンジ・サーバ", "エクスチェンジ・サーバー", "エクスチェンジサーバー"],
        ["SolarWinds Orion"] = ["SolarWinds Orion", "Orion Platform", "ソーラーウインズ"],
        ["Pulse Connect Secure"] = ["Pulse Connect Secure", "Pulse Secure"],
        ["Fortinet FortiOS"] = ["FortiOS", "FortiGate"],
        ["Citrix NetScaler"] = ["Citrix ADC", "NetScaler", "Citrix Gateway"],
        ["Ivanti Connect Secure"] = ["Ivanti Connect Secure"],
        ["Microsoft Windows"] = ["Microsoft Windows", "Windows"],
        ["Apache Log4j"] = ["Log4j", "Apache Log4j", "Log4Shell"],
    };

    /// <summary>Attack types: one vocabulary term → surface forms in English and Japanese.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> AttackTypes = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["ransomware"] = ["ransomware", "ランサムウエア", "ランサムウェア", "身代金要求型"],
        ["cryptojacking"] = ["cryptojacking", "crypto-jacking", "クリプトジャッキング", "仮想通貨採掘", "暗号資産採掘"],
        ["extortion"] = ["extortion", "搾取", "恐喝", "脅迫"],
        ["espionage"] = ["espionage", "cyber espionage", "スパイ活動", "諜報活動", "サイバー諜報"],
        ["data theft"] = ["data theft", "theft", "窃盗", "情報窃取", "窃取"],
        ["intellectual property theft"] = ["intellectual property theft", "IP theft", "知的財産の窃取"],
        ["supply chain compromise"] = ["supply chain attack", "supply-chain compromise", "サプライチェーン攻撃"],
        ["ddos"] = ["DDoS", "distributed denial of service", "denial-of-service", "分散型サービス妨害"],
        ["phishing"] = ["phishing", "spearphishing", "spear-phishing", "フィッシング", "標的型メール"],
        ["wiper"] = ["wiper", "ワイパー"],
        ["cryptocurrency theft"] = ["cryptocurrency theft", "暗号資産の窃取", "仮想通貨の窃取"],
    };

    /// <summary>Characters next to which a one-character Japanese country form counts (lists such as 米・EU・英・日, or 米政府, 日米).</summary>
    public const string ShortFormNeighbours = "・、,，)）】【(（はがにのともへや政国軍側当局首外米日英中韓独仏露豪加";
}
