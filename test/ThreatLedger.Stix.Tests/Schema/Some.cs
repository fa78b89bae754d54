using System.Security.Cryptography;
using System.Text;
using ThreatLedger.Stix.Validation;

namespace ThreatLedger.Stix.Tests.Schema;

/// <summary>
/// One realistic, fully populated object of each of the 42 STIX 2.1 types, built in code with the typed
/// classes. Ids are deterministic (version 4 UUIDs derived from the type; SCOs get their §2.9 version 5
/// ids), so every run writes the same JSON.
/// </summary>
internal static class Some
{
    private static readonly StixTimestamp s_created = StixTimestamp.Parse("2024-03-01T09:30:00.000Z");
    private static readonly StixTimestamp s_modified = StixTimestamp.Parse("2024-03-02T17:45:12.250Z");
    private static readonly StixTimestamp s_firstSeen = StixTimestamp.Parse("2024-01-10T00:00:00Z");
    private static readonly StixTimestamp s_lastSeen = StixTimestamp.Parse("2024-02-20T23:59:59.999Z");

    /// <summary>The canonical TLP:GREEN and TLP:AMBER (TLP 1.0) marking definitions.</summary>
    private static readonly StixId s_tlpGreen = StixId.Parse(MarkingDefinitionRules.Tlp1Ids["green"]);
    private static readonly StixId s_tlpAmber = StixId.Parse(MarkingDefinitionRules.Tlp1Ids["amber"]);

    /// <summary>Builders for every type, by STIX type name.</summary>
    private static readonly IReadOnlyDictionary<string, Func<StixObject>> s_builders = new Dictionary<string, Func<StixObject>>(StringComparer.Ordinal)
    {
        // SDOs (§4)
        [Stix.AttackPattern.TypeName] = AttackPattern,
        [Stix.Campaign.TypeName] = Campaign,
        [Stix.CourseOfAction.TypeName] = CourseOfAction,
        [Stix.Grouping.TypeName] = Grouping,
        [Stix.Identity.TypeName] = Identity,
        [Stix.Incident.TypeName] = Incident,
        [Stix.Indicator.TypeName] = Indicator,
        [Stix.Infrastructure.TypeName] = Infrastructure,
        [Stix.IntrusionSet.TypeName] = IntrusionSet,
        [Stix.Location.TypeName] = Location,
        [Stix.Malware.TypeName] = Malware,
        [Stix.MalwareAnalysis.TypeName] = MalwareAnalysis,
        [Stix.Note.TypeName] = Note,
        [Stix.ObservedData.TypeName] = ObservedData,
        [Stix.Opinion.TypeName] = Opinion,
        [Stix.Report.TypeName] = Report,
        [Stix.ThreatActor.TypeName] = ThreatActor,
        [Stix.Tool.TypeName] = Tool,
        [Stix.Vulnerability.TypeName] = Vulnerability,

        // SROs (§5)
        [Stix.Relationship.TypeName] = Relationship,
        [Stix.Sighting.TypeName] = Sighting,

        // SCOs (§6)
        [Stix.Artifact.TypeName] = Artifact,
        [Stix.AutonomousSystem.TypeName] = AutonomousSystem,
        [Stix.Directory.TypeName] = Directory,
        [Stix.DomainName.TypeName] = DomainName,
        [Stix.EmailAddress.TypeName] = EmailAddress,
        [Stix.EmailMessage.TypeName] = EmailMessage,
        [Stix.File.TypeName] = File,
        [Stix.IPv4Address.TypeName] = IPv4Address,
        [Stix.IPv6Address.TypeName] = IPv6Address,
        [Stix.MacAddress.TypeName] = MacAddress,
        [Stix.Mutex.TypeName] = Mutex,
        [Stix.NetworkTraffic.TypeName] = NetworkTraffic,
        [Stix.Process.TypeName] = Process,
        [Stix.Software.TypeName] = Software,
        [Stix.Url.TypeName] = Url,
        [Stix.UserAccount.TypeName] = UserAccount,
        [Stix.WindowsRegistryKey.TypeName] = WindowsRegistryKey,
        [Stix.X509Certificate.TypeName] = X509Certificate,

        // Meta objects (§7)
        [Stix.MarkingDefinition.TypeName] = MarkingDefinition,
        [Stix.LanguageContent.TypeName] = LanguageContent,
        [Stix.ExtensionDefinition.TypeName] = ExtensionDefinition,
    };

    /// <summary>The 42 STIX 2.1 type names, in specification order.</summary>
    public static IReadOnlyCollection<string> Types => (IReadOnlyCollection<string>)s_builders.Keys;

    /// <summary>A new, fully populated object of the given type.</summary>
    public static StixObject Of(string type) => s_builders[type]();

    /// <summary>A stable version 4 id for the n-th object of a type.</summary>
    public static StixId IdFor(string type, int n = 0)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(type + "#" + n.ToString(System.Globalization.CultureInfo.InvariantCulture)), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return StixId.Create(type, new Guid(bytes, bigEndian: true));
    }

    // ---- SDOs -------------------------------------------------------------------------------------

    public static AttackPattern AttackPattern() => Sdo(new AttackPattern
    {
        Name = "Spearphishing Attachment",
        Description = "Adversaries send spearphishing emails with a malicious attachment to gain access to victim systems.",
        Aliases = ["Phishing attachment"],
        KillChainPhases = [Phase("initial-access")],
        ExternalReferences =
        [
            new ExternalReference { SourceName = "mitre-attack", ExternalId = "T1566.001", Url = "https://attack.mitre.org/techniques/T1566/001" },
            new ExternalReference { SourceName = "capec", ExternalId = "CAPEC-163", Url = "https://capec.mitre.org/data/definitions/163.html" },
        ],
    });

    public static Campaign Campaign() => Sdo(new Campaign
    {
        Name = "Operation Paper Lantern",
        Description = "A campaign targeting logistics firms with invoice-themed lures.",
        Aliases = ["Paper Lantern"],
        FirstSeen = s_firstSeen,
        LastSeen = s_lastSeen,
        Objective = "Steal shipping manifests.",
    });

    public static CourseOfAction CourseOfAction() => Sdo(new CourseOfAction
    {
        Name = "Block executable attachments",
        Description = "Configure the mail gateway to quarantine messages with executable attachments.",
    });

    public static Grouping Grouping() => Sdo(new Grouping
    {
        Name = "Suspicious invoice mails, week 9",
        Description = "Indicators and observables seen together during triage.",
        Context = "suspicious-activity",
        ObjectRefs = [IdFor(Stix.Indicator.TypeName), IdFor(Stix.IPv4Address.TypeName), IdFor(Stix.Malware.TypeName)],
    });

    public static Identity Identity()
    {
        var identity = Sdo(new Identity
        {
            Name = "ThreatLedger Test Lab",
            Description = "The organisation that produced the test objects.",
            Roles = ["analyst"],
            IdentityClass = "organization",
            Sectors = ["technology", "financial-services"],
            ContactInformation = "soc@example.org",
        });
        identity.Extensions = new StixDictionary
        {
            KeyValuePair.Create(IdFor(Stix.ExtensionDefinition.TypeName).Value, JsonRaw.Parse("""{"extension_type": "property-extension", "rank": 5, "toxicity": 8}""")),
        };
        return identity;
    }

    public static Incident Incident() => Sdo(new Incident
    {
        Name = "Mail gateway compromise 2024-03",
        Description = "Credential theft following a successful phishing mail.",
        KillChainPhases = [Phase("initial-access"), Phase("credential-access")],
    });

    public static Indicator Indicator()
    {
        var indicator = Sdo(new Indicator
        {
            Name = "C2 address of Paper Lantern",
            Description = "Outbound connections to this address indicate an active implant.",
            IndicatorTypes = ["malicious-activity"],
            Pattern = "[ipv4-addr:value = '198.51.100.3'] OR [network-traffic:dst_port = 8443 AND network-traffic:protocols[*] = 'tcp']",
            PatternType = "stix",
            PatternVersion = "2.1",
            ValidFrom = s_firstSeen,
            ValidUntil = StixTimestamp.Parse("2025-01-01T00:00:00Z"),
            KillChainPhases = [Phase("command-and-control")],
        });
        indicator.GranularMarkings = [new GranularMarking { MarkingRef = s_tlpAmber, Selectors = ["description", "kill_chain_phases.[0].phase_name"] }];
        indicator.CustomProperties.Add(new("x_threatledger_score", JsonRaw.Parse("87")));
        return indicator;
    }

    public static Infrastructure Infrastructure() => Sdo(new Infrastructure
    {
        Name = "Lantern C2 cluster",
        Description = "Virtual servers rented with stolen cards.",
        InfrastructureTypes = ["command-and-control", "hosting-malware"],
        Aliases = ["LNT-C2"],
        KillChainPhases = [Phase("command-and-control")],
        FirstSeen = s_firstSeen,
        LastSeen = s_lastSeen,
    });

    public static IntrusionSet IntrusionSet() => Sdo(new IntrusionSet
    {
        Name = "Lantern Spider",
        Description = "A financially motivated group.",
        Aliases = ["LSP", "Paper Spider"],
        FirstSeen = s_firstSeen,
        LastSeen = s_lastSeen,
        Goals = ["steal shipping data", "sell access"],
        ResourceLevel = "organization",
        PrimaryMotivation = "personal-gain",
        SecondaryMotivations = ["organizational-gain"],
    });

    public static Location Location() => Sdo(new Location
    {
        Name = "Rue de Rivoli office",
        Description = "Branch office hit by the campaign.",
        Latitude = 48.8606,
        Longitude = 2.3376,
        Precision = 250.5,
        Region = "western-europe",
        Country = "FR",
        AdministrativeArea = "Île-de-France",
        City = "Paris",
        StreetAddress = "99 Rue de Rivoli",
        PostalCode = "75001",
    });

    public static Malware Malware() => Sdo(new Malware
    {
        Name = "LanternRAT",
        Description = "A remote access trojan written in C++.",
        MalwareTypes = ["remote-access-trojan"],
        IsFamily = true,
        Aliases = ["LRAT"],
        KillChainPhases = [Phase("command-and-control")],
        FirstSeen = s_firstSeen,
        LastSeen = s_lastSeen,
        OperatingSystemRefs = [IdFor(Stix.Software.TypeName)],
        ArchitectureExecutionEnvs = ["x86-64"],
        ImplementationLanguages = ["c++"],
        Capabilities = ["communicates-with-c2", "exfiltrates-data"],
        SampleRefs = [IdFor(Stix.File.TypeName)],
    });

    public static MalwareAnalysis MalwareAnalysis() => Sdo(new MalwareAnalysis
    {
        Product = "threatledger-sandbox",
        Version = "1.4.2",
        HostVmRef = IdFor(Stix.Software.TypeName, 1),
        OperatingSystemRef = IdFor(Stix.Software.TypeName, 2),
        InstalledSoftwareRefs = [IdFor(Stix.Software.TypeName)],
        ConfigurationVersion = "2024.03",
        Modules = ["pe-parser", "network-capture"],
        AnalysisEngineVersion = "5.1",
        AnalysisDefinitionVersion = "20240301",
        Submitted = s_created,
        AnalysisStarted = StixTimestamp.Parse("2024-03-01T09:31:00.000Z"),
        AnalysisEnded = StixTimestamp.Parse("2024-03-01T09:41:00.000Z"),
        ResultName = "Trojan.LanternRAT",
        Result = "malicious",
        AnalysisScoRefs = [IdFor(Stix.File.TypeName), IdFor(Stix.IPv4Address.TypeName)],
        SampleRef = IdFor(Stix.File.TypeName),
    });

    public static Note Note() => Sdo(new Note
    {
        Abstract = "Attribution is tentative",
        Content = "The C2 overlap with Lantern Spider is based on a single shared certificate.",
        Authors = ["A. Analyst"],
        ObjectRefs = [IdFor(Stix.IntrusionSet.TypeName), IdFor(Stix.Indicator.TypeName)],
    });

    public static ObservedData ObservedData() => Sdo(new ObservedData
    {
        FirstObserved = s_firstSeen,
        LastObserved = s_lastSeen,
        NumberObserved = 3,
        ObjectRefs = [IdFor(Stix.IPv4Address.TypeName), IdFor(Stix.DomainName.TypeName), IdFor(Stix.NetworkTraffic.TypeName)],
    });

    public static Opinion Opinion() => Sdo(new Opinion
    {
        Explanation = "We saw the same address in our own telemetry.",
        Authors = ["B. Responder"],
        OpinionValue = "agree",
        ObjectRefs = [IdFor(Stix.Indicator.TypeName)],
    });

    public static Report Report() => Sdo(new Report
    {
        Name = "Paper Lantern: invoice lures against logistics",
        Description = "Summary of the campaign, its tooling and infrastructure.",
        ReportTypes = ["threat-report", "campaign"],
        Published = s_modified,
        ObjectRefs = [IdFor(Stix.Campaign.TypeName), IdFor(Stix.Malware.TypeName), IdFor(Stix.Indicator.TypeName), IdFor(Stix.Relationship.TypeName)],
    });

    public static ThreatActor ThreatActor() => Sdo(new ThreatActor
    {
        Name = "Lantern Spider operators",
        Description = "The people behind the intrusion set.",
        ThreatActorTypes = ["crime-syndicate"],
        Aliases = ["LSP crew"],
        FirstSeen = s_firstSeen,
        LastSeen = s_lastSeen,
        Roles = ["agent", "malware-author"],
        Goals = ["financial gain"],
        Sophistication = "intermediate",
        ResourceLevel = "organization",
        PrimaryMotivation = "personal-gain",
        SecondaryMotivations = ["dominance"],
        PersonalMotivations = ["notoriety"],
    });

    public static Tool Tool() => Sdo(new Tool
    {
        Name = "Cobalt Strike",
        Description = "Commercial adversary simulation software.",
        ToolTypes = ["remote-access", "exploitation"],
        Aliases = ["CS"],
        KillChainPhases = [Phase("command-and-control"), Phase("lateral-movement")],
        ToolVersion = "4.9",
    });

    public static Vulnerability Vulnerability() => Sdo(new Vulnerability
    {
        Name = "CVE-2021-26855",
        Description = "Microsoft Exchange Server remote code execution vulnerability (ProxyLogon).",
        ExternalReferences = [new ExternalReference { SourceName = "cve", ExternalId = "CVE-2021-26855" }],
    });

    // ---- SROs -------------------------------------------------------------------------------------

    public static Relationship Relationship() => Sdo(new Relationship
    {
        RelationshipType = "indicates",
        Description = "The C2 address indicates LanternRAT.",
        SourceRef = IdFor(Stix.Indicator.TypeName),
        TargetRef = IdFor(Stix.Malware.TypeName),
        StartTime = s_firstSeen,
        StopTime = s_lastSeen,
    });

    public static Sighting Sighting() => Sdo(new Sighting
    {
        Description = "Seen at the Paris office.",
        FirstSeen = s_firstSeen,
        LastSeen = s_lastSeen,
        Count = 5,
        SightingOfRef = IdFor(Stix.Indicator.TypeName),
        ObservedDataRefs = [IdFor(Stix.ObservedData.TypeName)],
        WhereSightedRefs = [IdFor(Stix.Identity.TypeName), IdFor(Stix.Location.TypeName)],
        Summary = false,
    });

    // ---- SCOs -------------------------------------------------------------------------------------

    public static Artifact Artifact() => Sco(new Artifact
    {
        MimeType = "application/zip",
        PayloadBin = "UEsDBBQAAAAIAAAAIQA=",
        EncryptionAlgorithm = "mime-type-indicated",
        DecryptionKey = "infected",
    });

    public static AutonomousSystem AutonomousSystem() => Sco(new AutonomousSystem
    {
        Number = 64496,
        Name = "Example Transit AS",
        Rir = "RIPE NCC",
    });

    public static Directory Directory() => Sco(new Directory
    {
        Path = "C:\\Users\\Public\\Invoices",
        PathEnc = "windows-1252",
        Ctime = s_firstSeen,
        Mtime = s_lastSeen,
        Atime = s_lastSeen,
        ContainsRefs = [IdFor(Stix.File.TypeName)],
    });

    public static DomainName DomainName() => Sco(new DomainName
    {
        Value = "invoices.example.com",
        ResolvesToRefs = [IdFor(Stix.IPv4Address.TypeName)],
    });

    public static EmailAddress EmailAddress() => Sco(new EmailAddress
    {
        Value = "billing@example.com",
        DisplayName = "Billing Department",
        BelongsToRef = IdFor(Stix.UserAccount.TypeName),
    });

    public static EmailMessage EmailMessage() => Sco(new EmailMessage
    {
        IsMultipart = true,
        Date = s_firstSeen,
        ContentType = "multipart/mixed",
        FromRef = IdFor(Stix.EmailAddress.TypeName),
        SenderRef = IdFor(Stix.EmailAddress.TypeName),
        ToRefs = [IdFor(Stix.EmailAddress.TypeName, 1)],
        CcRefs = [IdFor(Stix.EmailAddress.TypeName, 2)],
        BccRefs = [IdFor(Stix.EmailAddress.TypeName, 3)],
        MessageId = "<4bd5c2f0.1a0b.4e3c@mail.example.com>",
        Subject = "Invoice 2024-0311 overdue",
        ReceivedLines = ["from mail.example.com ([198.51.100.3]) by mx.example.org with ESMTPS id 123 for <victim@example.org>; Sat, 10 Jan 2024 00:00:00 +0000"],
        AdditionalHeaderFields = JsonRaw.Parse("""{"Reply-To": "billing@example.com", "X-Mailer": "Lantern Mailer 2.0"}"""),
        BodyMultipart = JsonRaw.Parse($$"""
            [
              {"content_type": "text/plain; charset=utf-8", "content_disposition": "inline", "body": "Please find the invoice attached."},
              {"content_type": "application/zip", "content_disposition": "attachment; filename=\"invoice.zip\"", "body_raw_ref": "{{IdFor(Stix.Artifact.TypeName)}}"}
            ]
            """),
        RawEmailRef = IdFor(Stix.Artifact.TypeName, 1),
    });

    public static File File() => Sco(new File
    {
        Hashes = new StixHashes
        {
            KeyValuePair.Create("SHA-256", "fe90a7e910cb3a4739bed9180e807e93fa70c90f25a8915476f5e4bfbac681db"),
            KeyValuePair.Create("MD5", "4bac27393bdd9777ce02453256c5577c"),
        },
        Size = 25536,
        Name = "invoice.exe",
        MagicNumberHex = "4D5A",
        MimeType = "application/vnd.microsoft.portable-executable",
        Ctime = s_firstSeen,
        Mtime = s_firstSeen,
        Atime = s_lastSeen,
        ParentDirectoryRef = IdFor(Stix.Directory.TypeName),
        ContentRef = IdFor(Stix.Artifact.TypeName),
        Extensions = new StixDictionary
        {
            KeyValuePair.Create("windows-pebinary-ext", JsonRaw.Parse("""{"pe_type": "exe", "machine_hex": "014c", "number_of_sections": 4, "optional_header": {"magic_hex": "010b", "address_of_entry_point": 4096}}""")),
        },
    });

    public static IPv4Address IPv4Address() => Sco(new IPv4Address
    {
        Value = "198.51.100.3",
        ResolvesToRefs = [IdFor(Stix.MacAddress.TypeName)],
        BelongsToRefs = [IdFor(Stix.AutonomousSystem.TypeName)],
    });

    public static IPv6Address IPv6Address() => Sco(new IPv6Address
    {
        Value = "2001:db8::1",
        BelongsToRefs = [IdFor(Stix.AutonomousSystem.TypeName)],
    });

    public static MacAddress MacAddress() => Sco(new MacAddress { Value = "d2:fb:49:24:37:18" });

    public static Mutex Mutex() => Sco(new Mutex { Name = "Global\\LanternRAT_7f3a" });

    public static NetworkTraffic NetworkTraffic() => Sco(new NetworkTraffic
    {
        Start = s_firstSeen,
        End = s_lastSeen,
        IsActive = false,
        SrcRef = IdFor(Stix.IPv4Address.TypeName, 1),
        DstRef = IdFor(Stix.IPv4Address.TypeName),
        SrcPort = 49152,
        DstPort = 8443,
        Protocols = ["ipv4", "tcp", "tls"],
        SrcByteCount = 14_779,
        DstByteCount = 1_211_202,
        SrcPackets = 57,
        DstPackets = 903,
        Ipfix = JsonRaw.Parse("""{"minimumIpTotalLength": 32, "maximumIpTotalLength": 2556}"""),
        SrcPayloadRef = IdFor(Stix.Artifact.TypeName),
        EncapsulatedByRef = IdFor(Stix.NetworkTraffic.TypeName, 1),
        Extensions = new StixDictionary
        {
            KeyValuePair.Create("http-request-ext", JsonRaw.Parse("""{"request_method": "get", "request_value": "/gate.php", "request_version": "http/1.1"}""")),
        },
    });

    public static Process Process() => Sco(new Process
    {
        IsHidden = false,
        Pid = 1221,
        CreatedTime = s_firstSeen,
        Cwd = "C:\\Users\\Public",
        CommandLine = "invoice.exe -silent",
        EnvironmentVariables = JsonRaw.Parse("""{"TEMP": "C:\\Users\\Public\\Temp", "USERNAME": "jdoe"}"""),
        OpenedConnectionRefs = [IdFor(Stix.NetworkTraffic.TypeName)],
        CreatorUserRef = IdFor(Stix.UserAccount.TypeName),
        ImageRef = IdFor(Stix.File.TypeName),
        ParentRef = IdFor(Stix.Process.TypeName, 1),
        ChildRefs = [IdFor(Stix.Process.TypeName, 2)],
        Extensions = new StixDictionary
        {
            KeyValuePair.Create("windows-process-ext", JsonRaw.Parse("""{"aslr_enabled": true, "dep_enabled": true, "priority": "HIGH_PRIORITY_CLASS", "owner_sid": "S-1-5-21-186985262-1144665072-74031268-1309", "integrity_level": "medium"}""")),
        },
    });

    public static Software Software() => Sco(new Software
    {
        Name = "Word",
        Cpe = "cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*",
        Swid = "com.microsoft.word-2000",
        Languages = ["en", "fr"],
        Vendor = "Microsoft",
        Version = "2002",
    });

    public static Url Url() => Sco(new Url { Value = "https://invoices.example.com/download/2024-0311.zip" });

    public static UserAccount UserAccount() => Sco(new UserAccount
    {
        UserId = "1001",
        AccountLogin = "jdoe",
        AccountType = "unix",
        DisplayName = "John Doe",
        IsServiceAccount = false,
        IsPrivileged = false,
        CanEscalatePrivs = true,
        IsDisabled = false,
        AccountCreated = StixTimestamp.Parse("2020-01-01T00:00:00Z"),
        AccountExpires = StixTimestamp.Parse("2030-01-01T00:00:00Z"),
        CredentialLastChanged = s_firstSeen,
        AccountFirstLogin = StixTimestamp.Parse("2020-01-02T08:00:00Z"),
        AccountLastLogin = s_lastSeen,
        Extensions = new StixDictionary
        {
            KeyValuePair.Create("unix-account-ext", JsonRaw.Parse("""{"gid": 1001, "groups": ["wheel"], "home_dir": "/home/jdoe", "shell": "/bin/bash"}""")),
        },
    });

    public static WindowsRegistryKey WindowsRegistryKey() => Sco(new WindowsRegistryKey
    {
        Key = "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
        Values = JsonRaw.Parse("""[{"name": "LanternUpdate", "data": "C:\\Users\\Public\\invoice.exe -silent", "data_type": "REG_SZ"}]"""),
        ModifiedTime = s_firstSeen,
        CreatorUserRef = IdFor(Stix.UserAccount.TypeName),
        NumberOfSubkeys = 2,
    });

    public static X509Certificate X509Certificate() => Sco(new X509Certificate
    {
        IsSelfSigned = false,
        Hashes = new StixHashes { KeyValuePair.Create("SHA-256", "b5a9a1a0a7c0e1d4f2c3b4a5968778695a4b3c2d1e0f1a2b3c4d5e6f7a8b9c0d") },
        Version = "3",
        SerialNumber = "36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49:32:0a:b7:06",
        SignatureAlgorithm = "sha256WithRSAEncryption",
        Issuer = "C=ZA, ST=Western Cape, L=Cape Town, O=Thawte Consulting cc, OU=Certification Services Division, CN=Thawte Server CA",
        ValidityNotBefore = StixTimestamp.Parse("2023-12-01T00:00:00Z"),
        ValidityNotAfter = StixTimestamp.Parse("2024-12-01T00:00:00Z"),
        Subject = "C=US, ST=Maryland, L=Pasadena, O=Brent Baccala, OU=FreeSoft, CN=www.freesoft.org",
        SubjectPublicKeyAlgorithm = "rsaEncryption",
        SubjectPublicKeyModulus = "cc7bf5f3a1b2c3d4e5f6",
        SubjectPublicKeyExponent = 65537,
        X509V3Extensions = JsonRaw.Parse("""{"basic_constraints": "critical,CA:TRUE, pathlen:0", "key_usage": "critical, keyCertSign, cRLSign", "private_key_usage_period_not_before": "2023-12-01T00:00:00Z"}"""),
    });

    // ---- Meta objects -----------------------------------------------------------------------------

    public static MarkingDefinition MarkingDefinition() => new()
    {
        Id = IdFor(Stix.MarkingDefinition.TypeName),
        SpecVersion = "2.1",
        CreatedByRef = IdFor(Stix.Identity.TypeName),
        Created = s_created,
        Name = "ThreatLedger test copyright",
        DefinitionType = "statement",
        Definition = JsonRaw.Parse("""{"statement": "Copyright 2024 ThreatLedger Test Lab. Share within the lab only."}"""),
        ExternalReferences = [new ExternalReference { SourceName = "threatledger", Url = "https://example.org/threatledger/markings" }],
    };

    public static LanguageContent LanguageContent() => Common(new LanguageContent
    {
        ObjectRef = IdFor(Stix.AttackPattern.TypeName),
        ObjectModified = s_modified,
        Contents = JsonRaw.Parse("""
            {
              "de": {"name": "Spearphishing-Anhang", "description": "Angreifer versenden gezielte E-Mails mit bösartigem Anhang."},
              "ja": {"name": "スピアフィッシングの添付ファイル", "aliases": ["フィッシング添付"]}
            }
            """),
    });

    public static ExtensionDefinition ExtensionDefinition() => Common(new ExtensionDefinition
    {
        Id = IdFor(Stix.ExtensionDefinition.TypeName),
        Name = "ThreatLedger toxicity rating",
        Description = "Adds a rank and a toxicity score to identities.",
        Schema = "https://example.org/threatledger/extension-toxicity.json",
        Version = "1.0.0",
        ExtensionTypes = ["property-extension"],
    });

    // ---- helpers ----------------------------------------------------------------------------------

    private static KillChainPhase Phase(string phase) => new() { KillChainName = "mitre-attack", PhaseName = phase };

    /// <summary>The common properties of a versioned object (meta objects other than marking definitions).</summary>
    private static T Common<T>(T o)
        where T : StixCommonObject
    {
        if (o.Id.IsEmpty)
        {
            o.Id = IdFor(o.Type);
        }

        o.SpecVersion = "2.1";
        o.CreatedByRef = IdFor(Stix.Identity.TypeName, o is Identity ? 1 : 0);
        o.Created = s_created;
        o.Modified = s_modified;
        return o;
    }

    /// <summary>The common properties of SDOs and SROs, all of them set.</summary>
    private static T Sdo<T>(T o)
        where T : StixCommonObject
    {
        Common(o);
        o.Revoked = false;
        o.Labels = ["threatledger-test"];
        o.Confidence = 85;
        o.Lang = "en";
        o.ExternalReferences ??= [new ExternalReference { SourceName = "threatledger", Description = "Hand-built test object", Url = "https://example.org/threatledger/" + o.Type }];
        o.ObjectMarkingRefs = [s_tlpGreen];
        return o;
    }

    /// <summary>An SCO with spec_version, a marking and its deterministic (version 5) id when it has one.</summary>
    private static T Sco<T>(T o)
        where T : StixCyberObservable
    {
        o.SpecVersion = "2.1";
        o.Defanged = false;
        o.ObjectMarkingRefs = [s_tlpGreen];
        o.Id = DeterministicIds.Compute(o) ?? IdFor(o.Type);
        return o;
    }
}
