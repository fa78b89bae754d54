using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatLedger.Ledger;
using ThreatLedger.Stix;
using ThreatLedger.Stix.Identifiers;
using ThreatLedger.Storage;

namespace ThreatLedger.Extraction;

/// <summary>One item of a draft: what was found, where, why, the object it is or would be, and its review status.</summary>
public sealed class DraftItem
{
    /// <summary>i1, i2… within the draft.</summary>
    public required string Id { get; init; }

    /// <summary>The entity found.</summary>
    public required Entity Entity { get; init; }

    /// <summary>proposed, accepted or rejected.</summary>
    public string Status { get; set; } = "proposed";
}

/// <summary>A draft report: stored apart from the knowledge (not in TAXII, exports or queries) until its items are accepted.</summary>
public sealed class Draft
{
    /// <summary>The report's id (the report object it becomes).</summary>
    public required string Id { get; init; }

    /// <summary>Its name (the HTML title, else the first line).</summary>
    public required string Name { get; init; }

    /// <summary>The publication date (YYYY-MM-DD), if given.</summary>
    public string? Published { get; init; }

    /// <summary>ja or en.</summary>
    public required string Lang { get; init; }

    /// <summary>Where it came from (a URL or a file name).</summary>
    public required string Source { get; init; }

    /// <summary>When it was ingested.</summary>
    public required string Created { get; init; }

    /// <summary>
    /// The TLP level of what the draft may contain: the clearance of the user who made it (its names came
    /// from what they may see). Only users cleared as high see or review it, and what it writes is marked so.
    /// Null for drafts made at the command line (the operator's store, unmarked).
    /// </summary>
    public TlpLevel? Clearance { get; init; }

    /// <summary>The items.</summary>
    public List<DraftItem> Items { get; init; } = [];
}

/// <summary>What a review did.</summary>
/// <param name="Accepted">Items now accepted.</param>
/// <param name="Rejected">Items now rejected (their surface forms join the false-positive list).</param>
/// <param name="Written">Store results of the objects written (the report and what it refers to).</param>
public sealed record ReviewResult(IReadOnlyList<string> Accepted, IReadOnlyList<string> Rejected, IReadOnlyList<PutItemResult> Written);

/// <summary>
/// Drafts and their review (issue 5): a draft is kept in the store's settings, apart from the
/// objects; accepting items writes them as STIX (the report, new candidate objects, claims); rejecting
/// one puts its surface form on a persistent false-positive list that later ingestion honours.
/// </summary>
public sealed class DraftStore(IStixStore store, TimeProvider? clock = null)
{
    private static readonly Guid s_namespace = new("3c8a2f51-7d4e-4b09-9a6e-15f0c2d8e7b4");
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Stores a new draft of <paramref name="entities"/> found in a document.</summary>
    public async Task<Draft> CreateAsync(string name, string lang, DateOnly? published, string source, IReadOnlyList<Entity> entities, CancellationToken ct = default, TlpLevel? clearance = null)
    {
        var draft = new Draft
        {
            Clearance = clearance,
            Id = "report--" + Guid.NewGuid().ToString("D"),
            Name = string.IsNullOrWhiteSpace(name) ? "Untitled report" : name.Trim()[..Math.Min(200, name.Trim().Length)],
            Published = published?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Lang = lang,
            Source = source,
            Created = Now(),
        };
        int n = 0;
        foreach (var e in entities.OrderBy(e => e.Spans.Min(s => s[0])))
        {
            draft.Items.Add(new DraftItem { Id = "i" + (++n).ToString(CultureInfo.InvariantCulture), Entity = e });
        }

        await SaveAsync(draft, ct).ConfigureAwait(false);
        var index = await IndexAsync(ct).ConfigureAwait(false);
        index.Add(draft.Id);
        await store.SetSettingAsync("drafts", JsonSerializer.Serialize(index), ct).ConfigureAwait(false);
        return draft;
    }

    /// <summary>The drafts' ids, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default) => await IndexAsync(ct).ConfigureAwait(false);

    /// <summary>One draft, or null.</summary>
    public async Task<Draft?> GetAsync(string id, CancellationToken ct = default) =>
        await store.GetSettingAsync("draft:" + id, ct).ConfigureAwait(false) is { } json ? FromJson(JsonNode.Parse(json)!) : null;

    /// <summary>Surface forms rejected in review, as (kind, folded key): later ingestion leaves them out.</summary>
    public async Task<IReadOnlySet<(string Kind, string Key)>> FalsePositivesAsync(CancellationToken ct = default)
    {
        var set = new HashSet<(string, string)>();
        if (await store.GetSettingAsync("false-positives", ct).ConfigureAwait(false) is { } json)
        {
            foreach (var e in JsonNode.Parse(json)!.AsArray())
            {
                set.Add(((string)e!["kind"]!, (string)e["key"]!));
            }
        }

        return set;
    }

    /// <summary>
    /// Accepts and rejects items (<paramref name="acceptAll"/>: every proposed one; an attribution whose author has no identity in
    /// the store stays proposed), then writes what is
    /// accepted as STIX: the report (a new version at each review) referring to the known objects, new
    /// candidate objects (locations, vulnerabilities, indicators) and claims whose author, subject and
    /// sponsor are known.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such draft, or an item id it does not have.</exception>
    public async Task<ReviewResult> ReviewAsync(string id, IReadOnlyCollection<string> accept, IReadOnlyCollection<string> reject, bool acceptAll, string reviewer = "cli", CancellationToken ct = default)
    {
        var draft = await GetAsync(id, ct).ConfigureAwait(false) ?? throw new KeyNotFoundException($"no draft '{id}' (threatledger review lists none? ingest creates them)");
        foreach (var item in accept.Concat(reject).Where(i => draft.Items.All(x => x.Id != i)))
        {
            throw new KeyNotFoundException($"draft {id} has no item '{item}' (items are i1…i{draft.Items.Count})");
        }

        var accepted = new List<string>();
        var rejected = new List<string>();

        // Claims last: one about a candidate group is accepted only once the group is (in this review or an earlier one).
        foreach (var item in draft.Items.Where(i => i.Entity.Kind != "claim").Concat(draft.Items.Where(i => i.Entity.Kind == "claim")))
        {
            if (reject.Contains(item.Id))
            {
                item.Status = "rejected";
                rejected.Add(item.Id);
            }
            else if ((accept.Contains(item.Id) || (acceptAll && item.Status == "proposed")) && !UnlinkedAuthor(item) && !UnacceptedSubject(draft, item))
            {
                item.Status = "accepted";
                accepted.Add(item.Id);
            }
        }

        if (rejected.Count > 0)
        {
            var list = await store.GetSettingAsync("false-positives", ct).ConfigureAwait(false) is { } json ? JsonNode.Parse(json)!.AsArray() : [];
            foreach (var item in draft.Items.Where(i => rejected.Contains(i.Id) && i.Entity.Kind != "claim"))
            {
                list.Add(new JsonObject { ["kind"] = item.Entity.Kind, ["key"] = MatchText.Key(item.Entity.Text), ["text"] = item.Entity.Text, ["draft"] = id, ["by"] = reviewer });
            }

            await store.SetSettingAsync("false-positives", list.ToJsonString(), ct).ConfigureAwait(false);
        }

        if (accepted.Count == 0 && rejected.Count == 0)
        {
            return new ReviewResult([], [], []);
        }

        await SaveAsync(draft, ct).ConfigureAwait(false);
        var objects = await BuildAsync(draft, i => i.Status == "accepted", ct).ConfigureAwait(false);
        var written = objects.Count == 0 ? [] : await store.PutAsync(objects.Select(o => PreparedObject.From(StixJson.ParseObject(o.ToJsonString()))).ToList(), ct).ConfigureAwait(false);
        return new ReviewResult(accepted, rejected, written);
    }

    // An attribution whose author the store does not hold (a vendor named only in the text): accepting it could write nothing the
    // ledger can answer with, so it stays a proposal until the author exists as an identity and the report is ingested again.
    private static bool UnlinkedAuthor(DraftItem item) =>
        item.Entity.Value is ClaimValue { Type: "attribution", Author: not null, AuthorId: null };

    // A claim about a group the store does not hold (a name found by a naming scheme): it can only be written about the
    // intrusion set accepting that candidate creates, so it waits for the candidate's acceptance.
    private static bool UnacceptedSubject(Draft draft, DraftItem item) =>
        item.Entity.Value is ClaimValue { Subject: { } subject, SubjectId: null } && CandidateActor(draft, subject) is not { Status: "accepted" };

    // The draft's candidate group of that name (a threat actor found without a store object).
    private static DraftItem? CandidateActor(Draft draft, string name) =>
        draft.Items.Find(i => i.Entity.Kind == "threat-actor" && i.Entity.Id is null && i.Entity.Value as string == name);

    // The intrusion set a candidate group becomes: its id derives from the name's folded form, so two reports naming
    // Salt Typhoon (or SALT TYPHOON) accept into one object.
    private static string CandidateId(string name) => Id("intrusion-set", "name:" + MatchText.Key(name));

    /// <summary>
    /// The draft as a STIX 2.1 bundle, as it would be written if every item not rejected were accepted:
    /// the report (with the provenance of each item), new candidate objects and proposed claims.
    /// Nothing is written.
    /// </summary>
    public async Task<JsonObject> ToBundleAsync(Draft draft, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var objects = await BuildAsync(draft, i => i.Status != "rejected", ct).ConfigureAwait(false);
        return new JsonObject
        {
            ["type"] = "bundle",
            ["id"] = "bundle--" + Guid.NewGuid().ToString("D"),
            ["objects"] = new JsonArray(objects.Select(o => (JsonNode?)o).ToArray()),
        };
    }

    // The STIX for the chosen items, and the report that refers to them.
    private async Task<List<JsonObject>> BuildAsync(Draft draft, Func<DraftItem, bool> include, CancellationToken ct)
    {
        var objects = new List<JsonObject>();
        var refs = new List<string>();
        var labels = new List<string>();
        var provenance = new JsonArray();
        string now = Now();
        string validFrom = draft.Published is null ? draft.Created : draft.Published + "T00:00:00.000Z";
        foreach (var item in draft.Items.Where(include))
        {
            var e = item.Entity;
            string? objectId = e.Id;
            JsonObject? candidate = null;
            switch (e.Kind)
            {
                case "country":
                    objectId = Id("location", "country:" + e.Value);
                    candidate = Sdo("location", objectId, new JsonObject { ["name"] = (string)e.Value, ["country"] = (string)e.Value });
                    break;
                case "vulnerability":
                    objectId = Id("vulnerability", "cve:" + e.Value);
                    candidate = Sdo("vulnerability", objectId, new JsonObject
                    {
                        ["name"] = (string)e.Value,
                        ["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "cve", ["external_id"] = (string)e.Value }),
                    });
                    break;
                case "attack-type":
                    labels.Add((string)e.Value);
                    break;
                case "threat-actor" when e.Id is null:
                    objectId = CandidateId((string)e.Value);
                    candidate = Sdo("intrusion-set", objectId, new JsonObject { ["name"] = (string)e.Value });
                    break;
                case "claim" when e.Value is ClaimValue { Type: "attribution", AuthorId: { } author, SponsorId: { } sponsor } c
                    && (c.SubjectId ?? (c.Subject is { } name && CandidateActor(draft, name) is { } group && include(group) ? CandidateId(name) : null)) is { } subject:
                    var date = DateOnly.TryParseExact(c.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
                    candidate = ThreatLedger.Ledger.Claims.Claim(new ClaimSpec(author, subject, sponsor, date, draft.Source.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? draft.Source : "urn:threatledger:report:" + draft.Id)
                    {
                        Id = Id("relationship", draft.Id + ":" + item.Id),
                        Confidence = c.Confidence,
                        Wording = c.Wording,
                        WordingLang = draft.Lang,
                    }, draft.Created);
                    objectId = (string)candidate["id"]!;
                    break;
                default:
                    if (Pattern(e.Kind, (string?)(e.Value as string)) is { } pattern)
                    {
                        objectId = Id("indicator", pattern);
                        candidate = Sdo("indicator", objectId, new JsonObject
                        {
                            ["name"] = (string)e.Value,
                            ["pattern"] = pattern,
                            ["pattern_type"] = "stix",
                            ["valid_from"] = validFrom,
                        });
                    }

                    break;
            }

            if (candidate is not null && await store.GetAsync(objectId!, cancellationToken: ct).ConfigureAwait(false) is null)
            {
                objects.Add(candidate);
            }

            if (objectId is not null && !refs.Contains(objectId))
            {
                refs.Add(objectId);
            }

            provenance.Add(new JsonObject
            {
                ["item"] = item.Id,
                ["kind"] = e.Kind,
                ["text"] = e.Text,
                ["object_ref"] = objectId,
                ["spans"] = new JsonArray(e.Spans.Select(s => (JsonNode?)new JsonArray(s[0], s[1])).ToArray()),
                ["rule"] = e.Rule,
                ["score"] = e.Score,
            });
        }

        if (refs.Count == 0)
        {
            return objects;
        }

        // What a GREEN or AMBER user's draft writes is marked at their clearance (its names came from what they may see).
        if (Marking(draft.Clearance) is { } marking)
        {
            foreach (var o in objects)
            {
                o["object_marking_refs"] = new JsonArray(marking);
            }
        }

        var report = new JsonObject
        {
            ["type"] = "report",
            ["spec_version"] = "2.1",
            ["id"] = draft.Id,
            ["created"] = draft.Created,
            ["modified"] = now,
            ["name"] = draft.Name,
            ["published"] = validFrom,
            ["lang"] = draft.Lang,
            ["report_types"] = new JsonArray("threat-report"),
            ["object_refs"] = new JsonArray(refs.Select(r => (JsonNode?)r).ToArray()),
            // Where each item came from, in ThreatLedger's extension (version 1.2.0 describes it).
            ["extensions"] = new JsonObject
            {
                [LedgerExtension.Id] = new JsonObject { ["extension_type"] = "property-extension", ["provenance"] = provenance },
            },
        };
        if (labels.Count > 0)
        {
            report["labels"] = new JsonArray(labels.Distinct().Select(l => (JsonNode?)l).ToArray());
        }

        if (draft.Source.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            report["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "source", ["url"] = draft.Source });
        }

        if (Marking(draft.Clearance) is { } reportMarking)
        {
            report["object_marking_refs"] = new JsonArray(reportMarking);
        }

        objects.Add(report);
        return objects;
    }

    // TLP 1.0 marking definitions (STIX 2.1 section 7.2.1.4); AMBER+STRICT is written as AMBER, the nearest TLP 1.0 level.
    private static string? Marking(TlpLevel? level) => level switch
    {
        TlpLevel.Green => "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        TlpLevel.Amber or TlpLevel.AmberStrict => "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        TlpLevel.Red => "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
        _ => null,
    };

    private JsonObject Sdo(string type, string id, JsonObject properties)
    {
        var o = new JsonObject { ["type"] = type, ["spec_version"] = "2.1", ["id"] = id, ["created"] = Now(), ["modified"] = Now() };
        foreach (var (k, v) in properties.ToList())
        {
            properties.Remove(k);
            o[k] = v;
        }

        return o;
    }

    /// <summary>The STIX pattern for an indicator value.</summary>
    internal static string? Pattern(string kind, string? value)
    {
        if (value is null)
        {
            return null;
        }

        string v = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        return kind switch
        {
            "ipv4" => $"[ipv4-addr:value = '{v}']",
            "ipv6" => $"[ipv6-addr:value = '{v}']",
            "domain" => $"[domain-name:value = '{v}']",
            "url" => $"[url:value = '{v}']",
            "email" => $"[email-addr:value = '{v}']",
            "md5" => $"[file:hashes.MD5 = '{v}']",
            "sha1" => $"[file:hashes.'SHA-1' = '{v}']",
            "sha256" => $"[file:hashes.'SHA-256' = '{v}']",
            "sha512" => $"[file:hashes.'SHA-512' = '{v}']",
            _ => null,
        };
    }

    private static string Id(string type, string key) => type + "--" + Uuid5.ToStixString(Uuid5.Create(s_namespace, key));

    private string Now() => _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private async Task<List<string>> IndexAsync(CancellationToken ct) =>
        await store.GetSettingAsync("drafts", ct).ConfigureAwait(false) is { } json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];

    private Task SaveAsync(Draft draft, CancellationToken ct) => store.SetSettingAsync("draft:" + draft.Id, ToJson(draft).ToJsonString(), ct);

    /// <summary>A draft as JSON (also what the CLI and REST show).</summary>
    public static JsonObject ToJson(Draft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return new JsonObject
        {
            ["id"] = draft.Id,
            ["name"] = draft.Name,
            ["published"] = draft.Published,
            ["lang"] = draft.Lang,
            ["source"] = draft.Source,
            ["created"] = draft.Created,
            ["clearance"] = draft.Clearance?.ToString(),
            ["items"] = new JsonArray(draft.Items.Select(i => (JsonNode?)new JsonObject
            {
                ["item"] = i.Id,
                ["status"] = i.Status,
                ["kind"] = i.Entity.Kind,
                ["text"] = i.Entity.Text,
                ["value"] = i.Entity.Value is ClaimValue c ? JsonSerializer.SerializeToNode(c, s_json) : JsonValue.Create(i.Entity.Value.ToString()),
                ["aliases"] = i.Entity.Aliases is null ? null : new JsonArray(i.Entity.Aliases.Select(a => (JsonNode?)a).ToArray()),
                ["id"] = i.Entity.Id,
                ["spans"] = new JsonArray(i.Entity.Spans.Select(s => (JsonNode?)new JsonArray(s[0], s[1])).ToArray()),
                ["rule"] = i.Entity.Rule,
                ["score"] = i.Entity.Score,
            }).ToArray()),
        };
    }

    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static Draft FromJson(JsonNode j)
    {
        var draft = new Draft
        {
            Id = (string)j["id"]!,
            Name = (string)j["name"]!,
            Published = (string?)j["published"],
            Lang = (string)j["lang"]!,
            Source = (string)j["source"]!,
            Created = (string)j["created"]!,
            Clearance = Enum.TryParse<TlpLevel>((string?)j["clearance"], out var level) ? level : null,
        };
        foreach (var i in j["items"]!.AsArray())
        {
            string kind = (string)i!["kind"]!;
            object value = kind == "claim" ? i["value"].Deserialize<ClaimValue>(s_json)! : (string)i["value"]!;
            var e = new Entity
            {
                Kind = kind,
                Text = (string)i["text"]!,
                Value = value,
                Id = (string?)i["id"],
                Rule = (string)i["rule"]!,
                Score = (double)i["score"]!,
                Aliases = i["aliases"] is JsonArray a ? a.Select(x => (string)x!).ToList() : null,
            };
            e.Spans.AddRange(i["spans"]!.AsArray().Select(s => new[] { (int)s![0]!, (int)s[1]! }));
            draft.Items.Add(new DraftItem { Id = (string)i["item"]!, Entity = e, Status = (string)i["status"]! });
        }

        return draft;
    }
}
