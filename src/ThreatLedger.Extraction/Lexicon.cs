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
        ["SG"] = ["Singapore", "シンガポール"],
        ["PH"] = ["Philippines", "フィリピン"],
        ["PL"] = ["Poland", "ポーランド"],
        ["GU"] = ["Guam", "グアム"],
        ["TR"] = ["Türkiye", "Turkiye", "トルコ"],
        ["SA"] = ["Saudi Arabia", "サウジアラビア"],
        ["AE"] = ["United Arab Emirates", "UAE", "アラブ首長国連邦"],
        ["PK"] = ["Pakistan", "パキスタン"],
        ["IT"] = ["Italy", "イタリア"],
        ["ES"] = ["Spain", "スペイン"],
        ["SE"] = ["Sweden", "スウェーデン"],
        ["FI"] = ["Finland", "フィンランド"],
        ["DK"] = ["Denmark", "デンマーク"],
        ["EE"] = ["Estonia", "エストニア"],
        ["LV"] = ["Latvia", "ラトビア"],
        ["LT"] = ["Lithuania", "リトアニア"],
        ["BE"] = ["Belgium", "ベルギー"],
        ["CH"] = ["Switzerland", "スイス"],
        ["AT"] = ["Austria", "オーストリア"],
        ["CZ"] = ["Czech Republic", "Czechia", "チェコ"],
        ["RO"] = ["Romania", "ルーマニア"],
        ["BY"] = ["Belarus", "ベラルーシ"],
        ["KZ"] = ["Kazakhstan", "カザフスタン"],
        ["MN"] = ["Mongolia", "モンゴル"],
        ["HK"] = ["Hong Kong", "香港"],
        ["MY"] = ["Malaysia", "マレーシア"],
        ["ID"] = ["Indonesia", "インドネシア"],
        ["TH"] = ["Thailand"],
        ["KH"] = ["Cambodia", "カンボジア"],
        ["MM"] = ["Myanmar", "ミャンマー"],
        ["BD"] = ["Bangladesh", "バングラデシュ"],
        ["BR"] = ["Brazil", "ブラジル"],
        ["MX"] = ["Mexico", "メキシコ"],
        ["SY"] = ["Syria"],
        ["IQ"] = ["Iraq", "イラク"],
        ["LB"] = ["Lebanon", "レバノン"],
        ["IE"] = ["Ireland", "アイルランド"],
        ["GR"] = ["Greece", "ギリシャ"],
        ["HU"] = ["Hungary", "ハンガリー"],
        ["BG"] = ["Bulgaria", "ブルガリア"],
        ["MD"] = ["Moldova", "モルドバ"],
        ["AM"] = ["Armenia", "アルメニア"],
        ["AZ"] = ["Azerbaijan", "アゼルバイジャン"],
        ["AF"] = ["Afghanistan", "アフガニスタン"],
        ["EG"] = ["Egypt", "エジプト"],
        ["ZA"] = ["South Africa", "南アフリカ"],
        ["NG"] = ["Nigeria", "ナイジェリア"],
        ["QA"] = ["Qatar", "カタール"],
    };

    /// <summary>
    /// ISO code → words that name the country only when written with their capital letter: nationality
    /// adjectives (Chinese operators), capitals that stand for their state (Beijing denied) and names that
    /// are also common words (Turkey). Capitals that are as often just a place (London, Tokyo, Paris,
    /// Washington) are left out, and so are katakana capitals short enough to sit inside other words (パリ).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> CountryWords = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["CN"] = ["Chinese", "Beijing", "北京"],
        ["RU"] = ["Russian", "Moscow", "Kremlin", "モスクワ"],
        ["IR"] = ["Iranian", "Tehran", "テヘラン"],
        ["KP"] = ["North Korean", "Pyongyang", "平壌"],
        ["KR"] = ["South Korean", "Seoul"],
        ["JP"] = ["Japanese"],
        ["GB"] = ["British"],
        ["AU"] = ["Australian", "Canberra", "キャンベラ"],
        ["CA"] = ["Canadian", "Ottawa"],
        ["NZ"] = ["Wellington"],
        ["DE"] = ["German", "Berlin", "ベルリン"],
        ["FR"] = ["French"],
        ["NL"] = ["Dutch"],
        ["NO"] = ["Norwegian"],
        ["TW"] = ["Taiwanese", "Taipei", "台北"],
        ["UA"] = ["Ukrainian", "Kyiv", "Kiev", "キーウ", "キエフ"],
        ["IL"] = ["Israeli"],
        ["VN"] = ["Vietnamese", "Hanoi"],
        ["AL"] = ["Albanian", "Tirana"],
        ["SG"] = ["Singaporean"],
        ["PH"] = ["Philippine", "Filipino"],
        ["PL"] = ["Polish", "Warsaw"],
        ["TR"] = ["Turkey", "Turkish", "Ankara"],
        ["SA"] = ["Saudi"],
        ["AE"] = ["Emirati"],
        ["PK"] = ["Pakistani"],
        ["IT"] = ["Italian"],
        ["SE"] = ["Swedish"],
        ["FI"] = ["Finnish"],
        ["DK"] = ["Danish"],
        ["EE"] = ["Estonian"],
        ["LV"] = ["Latvian"],
        ["LT"] = ["Lithuanian"],
        ["BE"] = ["Belgian"],
        ["CH"] = ["Swiss"],
        ["AT"] = ["Austrian"],
        ["CZ"] = ["Czech"],
        ["RO"] = ["Romanian"],
        ["BY"] = ["Belarusian", "Minsk"],
        ["MY"] = ["Malaysian"],
        ["ID"] = ["Indonesian"],
        ["TH"] = ["Thai"],
        ["BR"] = ["Brazilian"],
        ["MX"] = ["Mexican"],
        ["SY"] = ["Syrian", "Damascus"],
        ["IQ"] = ["Iraqi"],
        ["IE"] = ["Irish"],
        ["HU"] = ["Hungarian"],
        ["MD"] = ["Moldovan"],
        ["AM"] = ["Armenian"],
        ["AZ"] = ["Azerbaijani"],
        ["EG"] = ["Egyptian"],
        ["NG"] = ["Nigerian"],
        ["QA"] = ["Qatari"],
    };

    /// <summary>Products: canonical name → surface forms.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Products = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Microsoft Exchange Server"] = ["Microsoft Exchange Server", "Microsoft Exchange", "Exchange Server", "マイクロソフト・エクスチェンジ・サーバー", "マイクロソフト・エクスチェンジ・サーバ", "エクスチェンジ・サーバー", "エクスチェンジサーバー", "Exchange servers", "on-prem Exchange", "on-premises Exchange", "ProxyLogon", "ProxyShell", "ProxyNotShell"],
        ["SolarWinds Orion"] = ["SolarWinds Orion", "Orion Platform", "ソーラーウインズ"],
        ["Pulse Connect Secure"] = ["Pulse Connect Secure", "Pulse Secure"],
        ["Fortinet FortiOS"] = ["FortiOS", "FortiGate"],
        ["Citrix NetScaler"] = ["Citrix ADC", "NetScaler", "Citrix Gateway", "Citrix Bleed"],
        ["Ivanti Connect Secure"] = ["Ivanti Connect Secure"],
        ["Microsoft Windows"] = ["Microsoft Windows", "Windows"],
        ["Apache Log4j"] = ["Log4j", "Log4j2", "Apache Log4j", "Log4Shell"],
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
        ["supply chain compromise"] = ["supply chain attack", "supply-chain compromise", "サプライチェーン攻撃", "サプライチェーン侵害"],
        ["ddos"] = ["DDoS", "distributed denial of service", "denial-of-service", "分散型サービス妨害"],
        ["phishing"] = ["phishing", "spearphishing", "spear-phishing", "フィッシング", "標的型メール"],
        ["wiper"] = ["wiper", "ワイパー"],
        ["cryptocurrency theft"] = ["cryptocurrency theft", "theft of cryptocurrency", "theft of bitcoin", "bitcoin theft", "crypto theft", "crypto heist", "cryptocurrency heist", "暗号資産の窃取", "仮想通貨の窃取"],
    };

    /// <summary>Characters next to which a one-character Japanese country form counts (lists such as 米・EU・英・日, or 米政府, 日米).</summary>
    public const string ShortFormNeighbours = "・、,，)）】【(（はがにのともへや政国軍側当局首外米日英中韓独仏露豪加";
}
