using System.Collections.Frozen;

namespace ThreatLedger.Stix.Validation;

/// <summary>A STIX vocabulary (§10): open (values outside it are a warning) or closed (an enumeration, an error).</summary>
public sealed class Vocabulary
{
    private readonly FrozenSet<string> _values;

    internal Vocabulary(string name, bool isOpen, params string[] values)
    {
        Name = name;
        IsOpen = isOpen;
        _values = values.ToFrozenSet(StringComparer.Ordinal);
        Values = values;
    }

    /// <summary>The vocabulary name, e.g. <c>indicator-type-ov</c>.</summary>
    public string Name { get; }

    /// <summary>True for an open vocabulary (SHOULD), false for an enumeration (MUST).</summary>
    public bool IsOpen { get; }

    /// <summary>The values, in specification order.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>True when the value is one of the vocabulary's.</summary>
    public bool Contains(string value) => _values.Contains(value);
}

/// <summary>The vocabularies of STIX 2.1 §10 used by the object model.</summary>
public static class Vocabularies
{
    /// <summary>account-type-ov.</summary>
    public static Vocabulary AccountType { get; } = new("account-type-ov", true, "facebook", "ldap", "nis", "openid", "radius", "skype", "tacacs", "twitter", "unix", "windows-local", "windows-domain");

    /// <summary>attack-motivation-ov.</summary>
    public static Vocabulary AttackMotivation { get; } = new("attack-motivation-ov", true, "accidental", "coercion", "dominance", "ideology", "notoriety", "organizational-gain", "personal-gain", "personal-satisfaction", "revenge", "unpredictable");

    /// <summary>attack-resource-level-ov.</summary>
    public static Vocabulary AttackResourceLevel { get; } = new("attack-resource-level-ov", true, "individual", "club", "contest", "team", "organization", "government");

    /// <summary>grouping-context-ov.</summary>
    public static Vocabulary GroupingContext { get; } = new("grouping-context-ov", true, "suspicious-activity", "malware-analysis", "unspecified");

    /// <summary>hash-algorithm-ov.</summary>
    public static Vocabulary HashAlgorithm { get; } = new("hash-algorithm-ov", true, "MD5", "SHA-1", "SHA-256", "SHA-512", "SHA3-256", "SHA3-512", "SSDEEP", "TLSH");

    /// <summary>identity-class-ov.</summary>
    public static Vocabulary IdentityClass { get; } = new("identity-class-ov", true, "individual", "group", "system", "organization", "class", "unknown");

    /// <summary>implementation-language-ov.</summary>
    public static Vocabulary ImplementationLanguage { get; } = new("implementation-language-ov", true, "applescript", "bash", "c", "c++", "c#", "go", "java", "javascript", "lua", "objective-c", "perl", "php", "powershell", "python", "ruby", "scala", "swift", "typescript", "visual-basic", "x86-32", "x86-64");

    /// <summary>indicator-type-ov.</summary>
    public static Vocabulary IndicatorType { get; } = new("indicator-type-ov", true, "anomalous-activity", "anonymization", "benign", "compromised", "malicious-activity", "attribution", "unknown");

    /// <summary>industry-sector-ov.</summary>
    public static Vocabulary IndustrySector { get; } = new("industry-sector-ov", true, "agriculture", "aerospace", "automotive", "chemical", "commercial", "communications", "construction", "defense", "education", "energy", "entertainment", "financial-services", "government", "emergency-services", "government-local", "government-national", "government-public-services", "government-regional", "healthcare", "hospitality-leisure", "infrastructure", "dams", "nuclear", "water", "insurance", "manufacturing", "mining", "non-profit", "pharmaceuticals", "retail", "technology", "telecommunications", "transportation", "utilities");

    /// <summary>infrastructure-type-ov.</summary>
    public static Vocabulary InfrastructureType { get; } = new("infrastructure-type-ov", true, "amplification", "anonymization", "botnet", "command-and-control", "control-system", "exfiltration", "firewall", "hosting-malware", "hosting-target-lists", "phishing", "reconnaissance", "routers-switches", "staging", "workstation", "unknown");

    /// <summary>malware-result-ov.</summary>
    public static Vocabulary MalwareResult { get; } = new("malware-result-ov", true, "malicious", "suspicious", "benign", "unknown");

    /// <summary>malware-capabilities-ov.</summary>
    public static Vocabulary MalwareCapabilities { get; } = new("malware-capabilities-ov", true, "accesses-remote-machines", "anti-debugging", "anti-disassembly", "anti-emulation", "anti-memory-forensics", "anti-sandbox", "anti-vm", "captures-input-peripherals", "captures-output-peripherals", "captures-system-state-data", "cleans-traces-of-infection", "commits-fraud", "communicates-with-c2", "compromises-data-availability", "compromises-data-integrity", "compromises-system-availability", "controls-local-machine", "degrades-security-software", "degrades-system-updates", "determines-c2-server", "emails-spam", "escalates-privileges", "evades-av", "exfiltrates-data", "fingerprints-host", "hides-artifacts", "hides-executing-code", "infects-files", "infects-remote-machines", "installs-other-components", "persists-after-system-reboot", "prevents-artifact-access", "prevents-artifact-deletion", "probes-network-environment", "self-modifies", "steals-authentication-credentials", "violates-system-operational-integrity");

    /// <summary>malware-type-ov.</summary>
    public static Vocabulary MalwareType { get; } = new("malware-type-ov", true, "adware", "backdoor", "bot", "bootkit", "ddos", "downloader", "dropper", "exploit-kit", "keylogger", "ransomware", "remote-access-trojan", "resource-exploitation", "rogue-security-software", "rootkit", "screen-capture", "spyware", "trojan", "unknown", "virus", "webshell", "wiper", "worm");

    /// <summary>opinion-enum (closed).</summary>
    public static Vocabulary Opinion { get; } = new("opinion-enum", false, "strongly-disagree", "disagree", "neutral", "agree", "strongly-agree");

    /// <summary>pattern-type-ov.</summary>
    public static Vocabulary PatternType { get; } = new("pattern-type-ov", true, "stix", "pcre", "sigma", "snort", "suricata", "yara");

    /// <summary>processor-architecture-ov.</summary>
    public static Vocabulary ProcessorArchitecture { get; } = new("processor-architecture-ov", true, "alpha", "arm", "ia-64", "mips", "powerpc", "sparc", "x86", "x86-64");

    /// <summary>region-ov.</summary>
    public static Vocabulary Region { get; } = new("region-ov", true, "africa", "eastern-africa", "middle-africa", "northern-africa", "southern-africa", "western-africa", "americas", "caribbean", "central-america", "latin-america-caribbean", "northern-america", "south-america", "asia", "central-asia", "eastern-asia", "southern-asia", "south-eastern-asia", "western-asia", "europe", "eastern-europe", "northern-europe", "southern-europe", "western-europe", "oceania", "antarctica", "australia-new-zealand", "melanesia", "micronesia", "polynesia");

    /// <summary>report-type-ov.</summary>
    public static Vocabulary ReportType { get; } = new("report-type-ov", true, "attack-pattern", "campaign", "identity", "indicator", "intrusion-set", "malware", "observed-data", "threat-actor", "threat-report", "tool", "vulnerability");

    /// <summary>threat-actor-type-ov.</summary>
    public static Vocabulary ThreatActorType { get; } = new("threat-actor-type-ov", true, "activist", "competitor", "crime-syndicate", "criminal", "hacker", "insider-accidental", "insider-disgruntled", "nation-state", "sensationalist", "spy", "terrorist", "unknown");

    /// <summary>threat-actor-role-ov.</summary>
    public static Vocabulary ThreatActorRole { get; } = new("threat-actor-role-ov", true, "agent", "director", "independent", "infrastructure-architect", "infrastructure-operator", "malware-author", "sponsor");

    /// <summary>threat-actor-sophistication-ov.</summary>
    public static Vocabulary ThreatActorSophistication { get; } = new("threat-actor-sophistication-ov", true, "none", "minimal", "intermediate", "advanced", "expert", "innovator", "strategic");

    /// <summary>tool-type-ov.</summary>
    public static Vocabulary ToolType { get; } = new("tool-type-ov", true, "denial-of-service", "exploitation", "information-gathering", "network-capture", "credential-exploitation", "remote-access", "vulnerability-scanning", "unknown");

    /// <summary>encryption-algorithm-enum (closed).</summary>
    public static Vocabulary EncryptionAlgorithm { get; } = new("encryption-algorithm-enum", false, "AES-256-GCM", "ChaCha20-Poly1305", "mime-type-indicated");

    /// <summary>extension-type-enum (closed).</summary>
    public static Vocabulary ExtensionType { get; } = new("extension-type-enum", false, "new-sdo", "new-sco", "new-sro", "property-extension", "toplevel-property-extension");
}
