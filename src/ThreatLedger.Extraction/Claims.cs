using System.Text.RegularExpressions;

namespace ThreatLedger.Extraction;

/// <summary>
/// Claims in sentences, by rules over the entities already found: attributions (背景に持つ, 関与,
/// attributed to, backed by…), parties that did not join (加わらず, 参加しなかった, did not join),
/// indictments (起訴, indicted) and sanctions (制裁, sanctioned); confidence from the estimative
/// wording; the date from the last full date mentioned up to the sentence (else the publication).
/// </summary>
internal static partial class Claims
{
    public static IEnumerable<Entity> Find(string text, List<Entity> entities, List<(string Value, int Start, int End, string Rule)> dates, DateOnly? published)
    {
        // Mentions of actors, organisations and countries in text order (equal starts keep the entities' order).
        int count = 0;
        foreach (var e in entities)
        {
            count += e.Kind is "threat-actor" or "organization" or "country" ? e.Spans.Count : 0;
        }

        var mentions = new List<(Entity Entity, int Start, int End)>(count);
        foreach (var e in entities)
        {
            if (e.Kind is "threat-actor" or "organization" or "country")
            {
                foreach (var span in e.Spans)
                {
                    mentions.Add((e, span[0], span[1]));
                }
            }
        }

        // Sorted on one key per mention, its start then its position in the list (a stable order without a comparer).
        var order = new long[mentions.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = ((long)mentions[i].Start << 32) | (uint)i;
        }

        Array.Sort(order);
        var sorted = new List<(Entity Entity, int Start, int End)>(order.Length);
        foreach (long key in order)
        {
            sorted.Add(mentions[(int)(uint)key]);
        }

        mentions = sorted;

        // "我が国" (our country) in a quoted Japanese statement: its speaker, when the text names a Japanese ministry or agency.
        string? ourCountry = text.Contains("我が国", StringComparison.Ordinal) ? OurCountry(entities) : null;

        var claims = new List<Entity>();
        var joints = new List<(int Start, int End, List<string> Parties, string? Subject, string? Date, string Wording, string Cue)>();
        var fullDates = dates; // in text order already; only full dates (YYYY-MM-DD) count below
        int nextMention = 0, nextDate = 0;
        string? lastDate = null;
        foreach (var (start, end) in Sentences(text))
        {
            // Both lists are in text order: walk them along with the sentences (linear in the text).
            while (nextMention < mentions.Count && mentions[nextMention].Start < start)
            {
                nextMention++;
            }

            bool any = false;
            for (int i = nextMention; i < mentions.Count && mentions[i].Start < end && !any; i++)
            {
                any = mentions[i].End <= end;
            }

            while (nextDate < fullDates.Count && fullDates[nextDate].Start < end)
            {
                string value = fullDates[nextDate++].Value;
                lastDate = value.Length == 10 ? value : lastDate;
            }

            // Only sentences with a mention and a cue word (any of the patterns below) can hold a claim; most have neither.
            // The cheap test first (does any claim literal occur?), then which kinds occur, for the few sentences that pass.
            var cues = any && s_claimCues.In(text.AsSpan(start, end - start)) ? s_cueTable.Scan(text.AsSpan(start, end - start)) : default;
            if ((cues.Kinds & ClaimCues) == 0)
            {
                continue;
            }

            var inside = new List<(Entity Entity, int Start, int End)>();
            for (int i = nextMention; i < mentions.Count && mentions[i].Start < end; i++)
            {
                if (mentions[i].End <= end)
                {
                    inside.Add(mentions[i]);
                }
            }

            // A name inside a longer one (the United Kingdom in "the Government of the United Kingdom") is part of it, not another party.
            for (int i = inside.Count - 1; i >= 0; i--)
            {
                var m = inside[i];
                for (int j = 0; j < inside.Count; j++)
                {
                    var o = inside[j];
                    if (o.Start <= m.Start && m.End <= o.End && (o.End - o.Start) > (m.End - m.Start))
                    {
                        inside.RemoveAt(i);
                        break;
                    }
                }
            }

            // A cue without a group: the group the paragraph is about (the nearest one named before, else the first
            // one in the next sentence), as a reader would take it. Only cue sentences pay for this.
            (Entity Entity, int Start, int End)? carried = null;
            if (!HasActor(inside))
            {
                carried = Carried(text, mentions, nextMention, start, end);
            }

            string? date = lastDate ?? (published is { } p ? Extractor.Day(p) : null);
            InSentence(text, entities, ourCountry, inside, carried, start, end, date, cues, claims, joints);
            Echo(text, entities, ourCountry, inside, start, end, date, cues, claims);
        }

        // Joint statements: the parties, without those the text accuses (sponsors of its attributions); three or more.
        var accused = claims.Select(c => (ClaimValue)c.Value).Where(c => c.Type == "attribution").Select(c => c.Sponsor).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var j in joints)
        {
            var parties = j.Parties.Where(p => !accused.Contains(p)).ToList();
            if (parties.Count >= 3)
            {
                claims.Add(Claim(text, j.Start, j.End, new ClaimValue("joint-statement", null, j.Subject, null, j.Date, null, j.Wording) { Participants = parties }, $"joint statement: '{j.Cue}' with {parties.Count} parties"));
            }
        }

        // The same claim made in several sentences (a text repeating that South Korea did not join) is one item with several
        // spans, in the order of first appearance (a report makes a handful of claims: pairwise comparison is the cheap way).
        var merged = new List<Entity>(claims.Count);
        foreach (var claim in claims)
        {
            var first = merged.Find(m => SameClaim((ClaimValue)m.Value, (ClaimValue)claim.Value));
            if (first is null)
            {
                merged.Add(claim);
            }
            else
            {
                first.Spans.AddRange(claim.Spans);
            }
        }

        return merged;
    }

    // The same claim whatever its wording and date: every other part equal (a joint statement's participants: the same list).
    private static bool SameClaim(ClaimValue a, ClaimValue b) =>
        a.Type == b.Type && a.Author == b.Author && a.Subject == b.Subject && a.Sponsor == b.Sponsor && a.Confidence == b.Confidence
        && a.AuthorId == b.AuthorId && a.SubjectId == b.SubjectId && a.SponsorId == b.SponsorId && ReferenceEquals(a.Participants, b.Participants);

    // Who "我が国" is: a Japanese ministry or agency the text names, before the Government of Japan; the earliest named first.
    private static string? OurCountry(List<Entity> entities)
    {
        string? best = null;
        int bestRank = int.MaxValue, bestAt = int.MaxValue;
        foreach (var e in entities)
        {
            if (e.Kind == "organization" && e.Value is string v && v.EndsWith(" of Japan", StringComparison.Ordinal))
            {
                int rank = v.StartsWith("Government of", StringComparison.Ordinal) ? 1 : 0, at = int.MaxValue;
                foreach (var span in e.Spans)
                {
                    at = Math.Min(at, span[0]);
                }

                if (rank < bestRank || (rank == bestRank && at < bestAt))
                {
                    (best, bestRank, bestAt) = (v, rank, at);
                }
            }
        }

        return best;
    }

    // Whether the first organisation or group named in the 16 characters from text[at] is an organisation (連邦捜査局（FBI）),
    // not a group (国家安全部傘下のグループ「APT40」).
    private static bool OrganisationAt(List<(Entity Entity, int Start, int End)> inside, int at)
    {
        foreach (var m in inside)
        {
            if (m.Start >= at && m.Start <= at + 16 && m.Entity.Kind is "organization" or "threat-actor")
            {
                return m.Entity.Kind == "organization";
            }
        }

        return false;
    }

    private static bool HasActor(List<(Entity Entity, int Start, int End)> inside)
    {
        foreach (var m in inside)
        {
            if (m.Entity.Kind == "threat-actor")
            {
                return true;
            }
        }

        return false;
    }

    // The group a sentence without one speaks of: the nearest named before it in its paragraph (or in the paragraph
    // before, when the sentence points back: "the same group", 同グループ), else the first named in the next sentence
    // of the paragraph ("… charged six officers. Prosecutors say they belong to X"). At most s_carryReach characters away.
    private static (Entity Entity, int Start, int End)? Carried(string text, List<(Entity Entity, int Start, int End)> mentions, int first, int start, int end)
    {
        int contentStart = start, contentEnd = end;
        while (contentStart < end && char.IsWhiteSpace(text[contentStart]))
        {
            contentStart++;
        }

        while (contentEnd > contentStart && char.IsWhiteSpace(text[contentEnd - 1]))
        {
            contentEnd--;
        }

        for (int i = first - 1; i >= 0 && mentions[i].End > start - s_carryReach; i--)
        {
            if (mentions[i].Entity.Kind == "threat-actor" && mentions[i].End <= contentStart)
            {
                int breaks = Breaks(text, mentions[i].End, contentStart, 1);
                if (breaks == 0 || (breaks == 1 && s_anaphors.In(text.AsSpan(contentStart, contentEnd - contentStart))))
                {
                    return mentions[i];
                }

                break;
            }
        }

        int i2 = first;
        while (i2 < mentions.Count && mentions[i2].Start < end)
        {
            i2++;
        }

        if (i2 < mentions.Count && end < text.Length)
        {
            int nextEnd = SentenceEnd(text, end);
            for (; i2 < mentions.Count && mentions[i2].Start < nextEnd; i2++)
            {
                if (mentions[i2].Entity.Kind == "threat-actor")
                {
                    return Breaks(text, contentEnd, mentions[i2].Start, 0) == 0 ? mentions[i2] : null;
                }
            }
        }

        return null;
    }

    private const int s_carryReach = 1500;

    // Words pointing back to a group named earlier.
    private static readonly CueSet s_anaphors = Cues(
        "the same group", "the group", "this group", "the same actor", "the same operators", "the same cluster", "the same unit", "同グループ", "同集団", "このグループ", "同じグループ", "同じ集団");

    private static string? PartyId(List<Entity> entities, string name)
    {
        foreach (var e in entities)
        {
            if (e.Kind is "organization" or "threat-actor" && e.Value as string == name)
            {
                return e.Id;
            }
        }

        return null;
    }

    private static string PartyName(string text, string? ourCountry, List<(Entity Entity, int Start, int End)> inside, (Entity Entity, int Start, int End) m)
    {
        if (m.Entity.Kind == "country" && ourCountry is not null && text.AsSpan(m.Start, m.End - m.Start).SequenceEqual("我が国"))
        {
            return ourCountry;
        }

        // A country named where an organisation (its government) was also recognised on the same span: the organisation.
        foreach (var o in inside)
        {
            if (o.Entity.Kind == "organization" && o.Start == m.Start && o.End == m.End)
            {
                return (string)o.Entity.Value;
            }
        }

        return (string)m.Entity.Value;
    }

    // "… and Canada reached the same conclusion", "FBIなども同様の声明を出した": the party written just before the echo
    // makes the last attribution again (this sentence's or one shortly before it), as its own author.
    private static void Echo(string text, List<Entity> entities, string? ourCountry, List<(Entity Entity, int Start, int End)> inside, int start, int end, string? date, CueHits cues, List<Entity> claims)
    {
        if (!cues.Has(CueKinds.Echo))
        {
            return;
        }

        string sentence = text[start..end];
        var echo = EchoRegex().Match(sentence);
        if (!echo.Success)
        {
            return;
        }

        int at = start + echo.Index, party = -1;
        for (int i = 0; i < inside.Count; i++)
        {
            if (inside[i].Entity.Kind is "country" or "organization" && inside[i].End <= at)
            {
                party = i;
            }
        }

        if (party < 0)
        {
            return;
        }

        for (int c = claims.Count - 1; c >= 0; c--)
        {
            if (claims[c].Value is ClaimValue { Type: "attribution" } last)
            {
                string name = PartyName(text, ourCountry, inside, inside[party]);
                if (last.Author != name && last.Subject is not null && Breaks(text, claims[c].Spans[0][1], start, 1) <= 1)
                {
                    claims.Add(Claim(text, start, end, last with { Author = name, AuthorId = PartyId(entities, name), Date = date, Wording = sentence.Trim() }, $"attribution: the same finding ('{echo.Value}')"));
                }

                return;
            }
        }
    }

    // An author the pack does not hold, before text[cueAt] in the sentence starting at start: a name (an acronym such as
    // CERT-PL, or capitalised words written capitalised mid-sentence somewhere in the text, so not "Researchers" or
    // "Officials") right before a reporting verb, overlapping no known party. Looked for in the UnlinkedReach characters
    // before the cue (and the cue itself: "Fabrikam Labs attributed").
    private static (Entity Entity, int Start, int End)? Unlinked(string text, int start, int cueAt, List<(Entity Entity, int Start, int End)> inside)
    {
        int from = Math.Max(start, cueAt - UnlinkedReach), to = Math.Min(text.Length, cueAt + 16);
        for (var verb = UnlinkedVerb().Match(text, from, to - from); verb.Success; verb = verb.NextMatch())
        {
            // The capitalised words before the verb, back to a word that only dates or opens a sentence ("On Tuesday", "The").
            int nameEnd = verb.Index, nameStart = nameEnd, i = nameEnd;
            while (i > start)
            {
                int wordEnd = i;
                while (wordEnd > start && text[wordEnd - 1] == ' ')
                {
                    wordEnd--;
                }

                int wordStart = wordEnd;
                while (wordStart > start && (char.IsAsciiLetterOrDigit(text[wordStart - 1]) || text[wordStart - 1] is '-' or '&'))
                {
                    wordStart--;
                }

                if (wordStart == wordEnd || !char.IsAsciiLetterUpper(text[wordStart]) || s_notNames.Contains(text.AsSpan(wordStart, wordEnd - wordStart)))
                {
                    break;
                }

                nameStart = wordStart;
                i = wordStart;
            }

            if (nameStart == nameEnd)
            {
                continue;
            }

            while (text[nameEnd - 1] == ' ')
            {
                nameEnd--;
            }

            bool known = false;
            foreach (var m in inside)
            {
                known |= m.Start < nameEnd && nameStart < m.End;
            }

            var name = text.AsSpan(nameStart, nameEnd - nameStart);
            if (known || !(IsAcronym(name) || WrittenMidSentence(text, name.ToString())))
            {
                continue;
            }

            string value = name.ToString();
            return (new Entity { Kind = "organization", Text = value, Value = value, Rule = "name before a reporting verb (not in the store)" }, nameStart, nameEnd);
        }

        return null;
    }

    private const int UnlinkedReach = 120;

    // CERT-PL, NSA, ACSC: two or more capitals, perhaps with a hyphenated capital part.
    private static bool IsAcronym(ReadOnlySpan<char> name)
    {
        int capitals = 0;
        foreach (char c in name)
        {
            if (char.IsAsciiLetterLower(c) || c == ' ')
            {
                return false;
            }

            capitals += char.IsAsciiLetterUpper(c) ? 1 : 0;
        }

        return capitals >= 2;
    }

    // Whether the text writes the name capitalised after a lower-case word or a digit (a proper name, not a sentence's first word).
    private static bool WrittenMidSentence(string text, string name)
    {
        for (int at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            int before = at - 1;
            while (before >= 0 && text[before] == ' ')
            {
                before--;
            }

            if (before >= 0 && before < at - 1 && (char.IsAsciiLetterLower(text[before]) || char.IsAsciiDigit(text[before]) || text[before] == ','))
            {
                return true;
            }
        }

        return false;
    }

    // Capitalised words that open a sentence or date it, never part of an author's name.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> s_notNames = new HashSet<string>(
        ["The", "A", "An", "On", "In", "At", "By", "For", "And", "But", "Also", "Then", "Yesterday", "Today", "Last", "Earlier", "Later", "Separately", "Meanwhile", "However",
         "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September",
         "October", "November", "December", "It", "They", "We", "He", "She", "This", "That", "These", "Those", "Its", "Their", "Our"], StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    // The claims of one sentence (text[start..end]) that holds the mentions in inside and a cue word.
    private static void InSentence(
        string text,
        List<Entity> entities,
        string? ourCountry,
        List<(Entity Entity, int Start, int End)> inside,
        (Entity Entity, int Start, int End)? carried,
        int start,
        int end,
        string? date,
        CueHits cues,
        List<Entity> claims,
        List<(int Start, int End, List<string> Parties, string? Subject, string? Date, string Wording, string Cue)> joints)
    {
        string sentence = text[start..end];
        string wording = sentence.Trim();
        var actors = new List<(Entity Entity, int Start, int End)>(2);
        foreach (var m in inside)
        {
            if (m.Entity.Kind == "threat-actor")
            {
                actors.Add(m);
            }
        }

        string? IdOf((Entity Entity, int Start, int End) m) => PartyId(entities, Name(m));

        string Name((Entity Entity, int Start, int End) m) => PartyName(text, ourCountry, inside, m);

        // Parties that did not join: the country or organisation nearest before the cue.
        var declined = Gated(DeclinedRegex(), cues, CueKinds.Declined, sentence);
        if (declined.Success)
        {
            var party = inside.Where(m => m.Entity.Kind is "country" or "organization" && m.End <= start + declined.Index).LastOrDefault();
            if (party.Entity is not null)
            {
                claims.Add(Claim(text, start, end, new ClaimValue("declined-to-join", Name(party), null, null, date, null, wording) { AuthorId = IdOf(party) }, $"declined to join: '{declined.Value}'"));
            }
        }

        // A joint statement: a sentence saying several governments or organisations acted together (and not one saying someone stayed out).
        if (!declined.Success && Gated(JointRegex(), cues, CueKinds.Joint, sentence) is { Success: true } joint)
        {
            var parties = inside
                .Where(m => m.Entity.Kind == "organization" || (m.Entity.Kind == "country" && !inside.Any(o => o.Entity.Kind == "organization" && o.Start == m.Start)))
                .Where(m => m.Entity.Id?.StartsWith("threat-actor--", StringComparison.Ordinal) != true)
                .Select(Name).Distinct(StringComparer.Ordinal).ToList();
            joints.Add((start, end, parties, actors.Count > 0 ? (string)actors[0].Entity.Value : null, date, wording, joint.Value));
        }

        // Whether each party in the sentence is written as a speaker (followed by は, も, として, and, 及び…, or by と and
        // another party: 英国政府と米国政府は — not 国家安全部とつながる): worked out once per sentence.
        var speaker = new bool[inside.Count];
        for (int i = 0; i < inside.Count; i++)
        {
            var m = inside[i];
            if (m.Entity.Kind is not ("country" or "organization"))
            {
                continue;
            }

            int after = m.End + (text.AsSpan(m.End).StartsWith("政府", StringComparison.Ordinal) ? 2 : 0);
            speaker[i] = AuthorMarker().IsMatch(text.AsSpan(m.End, Math.Min(24, text.Length - m.End)))
                || (after < text.Length && text[after] == 'と' && inside.Exists(o => o.Start == after + 1 && o.Entity.Kind is "country" or "organization"));
        }

        // The speakers before the cue, and in English the party right before the cue's verb ("the United States publicly attributed").
        List<(Entity Entity, int Start, int End)> AuthorsBefore(int cueAt)
        {
            int at = start + cueAt, lastParty = -1;
            for (int i = 0; i < inside.Count; i++)
            {
                if (inside[i].Entity.Kind is "country" or "organization" && inside[i].End <= at)
                {
                    lastParty = i;
                }
            }

            bool english = char.IsAsciiLetter(sentence[cueAt]);

            // In English the speakers come before their verb ("the Government of Canada formally named the SVR, …"):
            // a party after the first one followed by a reporting verb is the verb's object, not another speaker.
            int verbAt = inside.Count;
            for (int i = 0; english && i < inside.Count && inside[i].End <= at; i++)
            {
                if (inside[i].Entity.Kind is "country" or "organization" && ReportingVerb().IsMatch(text.AsSpan(inside[i].End, Math.Min(40, text.Length - inside[i].End))))
                {
                    verbAt = i;
                    break;
                }
            }

            bool lastCounts = english && lastParty >= 0 && lastParty <= verbAt && at - inside[lastParty].End <= 24 && !inside.Exists(o => o.Start >= inside[lastParty].End && o.Start < at);
            var authors = new List<(Entity Entity, int Start, int End)>();
            for (int i = 0; i < inside.Count && i <= verbAt; i++)
            {
                if (inside[i].Entity.Kind is "country" or "organization" && inside[i].End <= at && (speaker[i] || i == verbAt || (lastCounts && i == lastParty)))
                {
                    authors.Add(inside[i]);
                }
            }

            // Japanese may name its speakers after the finding (…と米国および英国が判断した): the parties after the cue up to
            // one followed by が or は and a verb of finding.
            if (!english && authors.Count == 0)
            {
                for (int i = 0; i < inside.Count; i++)
                {
                    if (inside[i].Entity.Kind is "country" or "organization" && inside[i].Start >= at && speaker[i])
                    {
                        authors.Add(inside[i]);
                        if (FindingVerb().IsMatch(text.AsSpan(inside[i].End, Math.Min(16, text.Length - inside[i].End))))
                        {
                            return authors;
                        }
                    }
                }

                authors.Clear();
            }

            // No party the pack knows: a name it does not hold, right before a reporting verb ("Fabrikam Labs attributed",
            // "CERT-PL said"), written as the text names it. Only sentences with a cue and no author pay for this.
            if (english && authors.Count == 0 && Unlinked(text, start, at, inside) is { } unlinked)
            {
                authors.Add(unlinked);
            }

            return authors;
        }

        if (actors.Count == 0 && carried is null)
        {
            // An indictment or sanction with no group named in the sentence (of people, of a ministry): its author, if named.
            foreach (Match legal in Legal(sentence, cues))
            {
                string kind = LegalType(legal);
                var by = AuthorsBefore(legal.Index);
                if (by.Count > 0)
                {
                    claims.Add(Claim(text, start, end, new ClaimValue(kind, Name(by[^1]), null, null, date, null, wording) { AuthorId = IdOf(by[^1]) }, $"{kind}: '{legal.Value}'"));
                    break;
                }
            }

            return;
        }

        // A group carried from a neighbouring sentence makes a claim only with a party in this one (an author, or a sponsor).
        var subject = actors.Count > 0 ? actors[0] : carried!.Value;
        bool isCarried = actors.Count == 0;
        int? confidence = cues.Has(CueKinds.Confidence) ? ConfidenceOf(sentence, cues.First(CueKinds.Confidence)) : null;

        foreach (Match legal in Legal(sentence, cues))
        {
            // An indictment or a sanction is someone's act: without an author ("what the APT10 indictment says") no claim.
            // Parties speaking together (英国政府と米国政府は…制裁を科す) are one claim each.
            string type = LegalType(legal);
            var by = AuthorsBefore(legal.Index);

            // "sanctions against three firms": what is sanctioned is written, and it is not a group carried from elsewhere.
            bool ownTarget = isCarried && LegalTargetRegex().IsMatch(sentence, legal.Index);
            var named = new List<string>(by.Count);
            foreach (var author in by)
            {
                string name = Name(author);
                if ((author.Start <= subject.End && author.End > subject.Start) || author.Start >= start + legal.Index || named.Contains(name))
                {
                    continue;
                }

                named.Add(name);
                claims.Add(Claim(text, start, end, new ClaimValue(type, name, ownTarget ? null : (string)subject.Entity.Value, null, date, null, wording)
                {
                    AuthorId = IdOf(author),
                    SubjectId = ownTarget ? null : subject.Entity.Id,
                }, $"{type}: '{legal.Value}'"));
            }
        }

        // "ASD傘下のACSC": an organ under another organ says who answers to whom, not who is behind the group; the next cue, if any.
        var cue = Gated(AttributionRegex(), cues, CueKinds.Attribution, sentence);
        while (cue.Success && cue.Value == "傘下" && OrganisationAt(inside, start + cue.Index + cue.Length))
        {
            cue = cue.NextMatch();
        }

        if (cue.Success)
        {
            // The sponsor: an organisation (a state organ or a government) other than the authors, nearest the cue —
            // after an English cue ("attributed APT40 to the MSS", "backed by"), before a Japanese one (中国政府を背景に持つ).
            int at = start + cue.Index;
            var authors = AuthorsBefore(cue.Index);
            if (!isCarried)
            {
                authors.RemoveAll(a => a.Start >= subject.Start && a.End > at);
            }

            // "… said the GRU was responsible", "…に中国政府が関与": the organisation right before the cue is the one
            // responsible, not a speaker.
            if (authors.Count > 0 && authors[^1].Entity.Kind == "organization" && at - authors[^1].End <= 4
                && (cue.Value.EndsWith("responsible", StringComparison.OrdinalIgnoreCase) || text[authors[^1].End] == 'が'))
            {
                authors.RemoveAt(authors.Count - 1);
            }

            var candidates = new List<(Entity Entity, int Start, int End)>(inside.Count);
            foreach (var m in inside)
            {
                if (m.Entity.Kind == "organization" && !authors.Exists(a => a.Start == m.Start))
                {
                    candidates.Add(m);
                }
            }

            bool english = char.IsAsciiLetter(cue.Value[0]);

            // The sponsor comes after an English verb ("attributed … to", "tied to"), but before "was responsible".
            bool after = english && !cue.Value.EndsWith("responsible", StringComparison.OrdinalIgnoreCase);
            var preferred = new List<(Entity Entity, int Start, int End)>(candidates.Count);
            foreach (var m in candidates)
            {
                if (after ? m.Start >= at : m.End <= at)
                {
                    preferred.Add(m);
                }
            }

            // "…の下部組織とされるグループ「X」によるもの": with a cue that names only the doer, a sponsor must sit in the group's
            // own modifier, just before its name (not anywhere earlier in the sentence).
            if (cue.Value[0] is 'に' or 'の')
            {
                candidates.RemoveAll(m => isCarried || m.End > subject.Start || subject.Start - m.End > 32);
                preferred.RemoveAll(m => !candidates.Contains(m));
            }


            // "China's Ministry of State Security": the possessor names the state, the organ is the sponsor.
            if (english && preferred.Count > 1)
            {
                var possessors = preferred.FindAll(m => preferred.Exists(o => o.Start > m.End) && (text.AsSpan(m.End).StartsWith("'s ", StringComparison.Ordinal) || text.AsSpan(m.End).StartsWith("’s ", StringComparison.Ordinal)));
                preferred.RemoveAll(possessors.Contains);
            }

            // The nearest to the cue (the first of equals).
            (Entity Entity, int Start, int End) sponsor = default;
            int nearest = int.MaxValue;
            foreach (var m in preferred.Count > 0 ? preferred : candidates)
            {
                int distance = Math.Abs((after ? m.Start : m.End) - (after ? at + cue.Length : at));
                if (distance < nearest)
                {
                    (sponsor, nearest) = (m, distance);
                }
            }

            // Without an author or a sponsor an attribution ties the group to no one (the labels' definition): no claim.
            if (authors.Count == 0 && sponsor.Entity is null)
            {
                return;
            }

            if (authors.Count == 0)
            {
                authors.Add(default);
            }

            // One claim per author (a party named twice is one author).
            var named = new List<string?>(authors.Count);
            foreach (var author in authors)
            {
                string? name = author.Entity is null ? null : Name(author);
                if (named.Contains(name))
                {
                    continue;
                }

                named.Add(name);
                claims.Add(Claim(text, start, end, new ClaimValue(
                    "attribution",
                    name,
                    (string)subject.Entity.Value,
                    sponsor.Entity is null ? null : (string)sponsor.Entity.Value,
                    date,
                    confidence,
                    wording)
                {
                    AuthorId = author.Entity is null ? null : IdOf(author),
                    SubjectId = subject.Entity.Id,
                    SponsorId = sponsor.Entity?.Id,
                }, $"attribution: '{cue.Value}'{(confidence is null ? string.Empty : ", confidence from the estimative wording")}"));
            }
        }
    }

    // The literals each claim pattern needs (a superset: a pattern runs only where its gate finds one).
    private static readonly string[] s_declinedLiterals = ["加わら", "参加し", "参加せず", "不参加", "did not join", "declined to join", "stayed out", "refused to join", "was absent from"];
    private static readonly string[] s_jointLiterals = ["共同声明", "一斉", "同時に", "とともに", "と共に", "批判に参加", "非難に参加", "声明に加わ", "joint statement", "jointly", "together with", "joined", "alongside", "co-signed", "co-authored", "along with"];
    private static readonly string[] s_legalLiterals = ["起訴", "制裁", "indict", "charged", "sanction"];
    private static readonly string[] s_attributionLiterals = ["背景に持つ", "背景とする", "背景にある", "関与", "支援を受け", "指示を受け", "傘下", "の仕業", "によるもの", "による犯行", "の犯行", "と結び付け", "と結びつけ", "とつなが", "と繋が", "attribut", "backed by", "sponsored by", "on behalf of", "responsible", "affiliated with", "linked to", "tied to", "blamed", "behind"];
    private static readonly string[] s_echoLiterals = ["same call", "same conclusion", "similar conclusion", "same assessment", "own attribution", "did the same", "followed suit", "同様の声明", "同様の発表", "同様の見解", "同様の判断", "同じ判断", "同じ見解"];

    private static readonly string[] s_confidenceLiterals = [
        "ほぼ確実", "almost certain", "near certain", "可能性が", "highly likely", "high confidence", "high degree of confidence", "very likely", "likely", "probably", "おそらく", "moderate confidence", "一定の確度"];

    // Every literal with the kind of pattern it gates; a sentence without one of the claim kinds holds no claim.
    private static readonly CueTable s_cueTable = new(
    [
        .. s_declinedLiterals.Select(l => (l, CueKinds.Declined)),
        .. s_jointLiterals.Select(l => (l, CueKinds.Joint)),
        .. s_legalLiterals.Select(l => (l, CueKinds.Legal)),
        .. s_attributionLiterals.Select(l => (l, CueKinds.Attribution)),
        .. s_echoLiterals.Select(l => (l, CueKinds.Echo)),
        .. s_confidenceLiterals.Select(l => (l, CueKinds.Confidence)),
    ]);

    private static readonly CueSet s_claimCues = Cues([.. s_declinedLiterals, .. s_jointLiterals, .. s_legalLiterals, .. s_attributionLiterals, .. s_echoLiterals]);

    private const CueKinds ClaimCues = CueKinds.Declined | CueKinds.Joint | CueKinds.Legal | CueKinds.Attribution | CueKinds.Echo;

    private static CueSet Cues(params string[] literals) => new(literals);

    /// <summary>Which kinds of cue a sentence holds, and where the first literal of each is.</summary>
    private struct CueHits
    {
        private Positions _first;

        public CueKinds Kinds { get; private set; }

        public readonly bool Has(CueKinds kind) => (Kinds & kind) != 0;

        public readonly int First(CueKinds kind) => _first[System.Numerics.BitOperations.TrailingZeroCount((int)kind)];

        public void Add(CueKinds kind, int at)
        {
            int slot = System.Numerics.BitOperations.TrailingZeroCount((int)kind);
            if (!Has(kind) || at < _first[slot])
            {
                _first[slot] = at;
            }

            Kinds |= kind;
        }

        [System.Runtime.CompilerServices.InlineArray(6)]
        private struct Positions
        {
            private int _element;
        }
    }

    /// <summary>The kinds of claim pattern whose literals a sentence holds (each pattern runs only where one of its own is).</summary>
    [Flags]
    private enum CueKinds
    {
        None = 0,
        Declined = 1,
        Joint = 2,
        Legal = 4,
        Attribution = 8,
        Echo = 16,
        Confidence = 32,
    }

    /// <summary>
    /// All the cue literals, found in one pass per script (ASCII ignoring case; Japanese, only in text that is not
    /// ASCII) instead of one search per kind: at each literal found, the kinds of the literals that start there.
    /// </summary>
    private sealed class CueTable
    {
        private readonly Dictionary<char, (string Literal, CueKinds Kind)[]> _byFirst;
        private readonly System.Buffers.SearchValues<string> _ascii;
        private readonly System.Buffers.SearchValues<string> _other;

        public CueTable((string Literal, CueKinds Kind)[] literals)
        {
            // Candidates by first character (ASCII ones lower-cased): a literal found is checked against a few, not all.
            _byFirst = literals.GroupBy(l => char.ToLowerInvariant(l.Literal[0])).ToDictionary(g => g.Key, g => g.ToArray());
            _ascii = System.Buffers.SearchValues.Create(literals.Select(l => l.Literal).Where(l => System.Text.Ascii.IsValid(l)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparison.OrdinalIgnoreCase);
            _other = System.Buffers.SearchValues.Create(literals.Select(l => l.Literal).Where(l => !System.Text.Ascii.IsValid(l)).Distinct(StringComparer.Ordinal).ToArray(), StringComparison.Ordinal);
        }

        public CueHits Scan(ReadOnlySpan<char> text)
        {
            var hits = default(CueHits);
            Scan(text, _ascii, StringComparison.OrdinalIgnoreCase, ref hits);
            if (!System.Text.Ascii.IsValid(text))
            {
                Scan(text, _other, StringComparison.Ordinal, ref hits);
            }

            return hits;
        }

        private void Scan(ReadOnlySpan<char> text, System.Buffers.SearchValues<string> values, StringComparison comparison, ref CueHits hits)
        {
            for (int at = 0; at < text.Length;)
            {
                int found = text[at..].IndexOfAny(values);
                if (found < 0)
                {
                    break;
                }

                at += found;
                var rest = text[at..];
                foreach (var (literal, kind) in _byFirst[char.ToLowerInvariant(rest[0])])
                {
                    if (rest.StartsWith(literal, comparison))
                    {
                        hits.Add(kind, at);
                    }
                }

                at++;
            }
        }
    }

    /// <summary>
    /// Literals looked for in two vectorised searches: the ASCII ones ignoring case, the others (Japanese) as written.
    /// One set mixing both makes .NET fall back to a per-character, Unicode case-insensitive search, several times
    /// slower, and the any-cue gate runs on every sentence that names a party.
    /// </summary>
    private sealed class CueSet
    {
        private readonly System.Buffers.SearchValues<string>? _ascii;
        private readonly System.Buffers.SearchValues<string>? _other;

        public CueSet(string[] literals)
        {
            string[] ascii = Array.FindAll(literals, l => System.Text.Ascii.IsValid(l));
            string[] other = Array.FindAll(literals, l => !System.Text.Ascii.IsValid(l));
            _ascii = ascii.Length == 0 ? null : System.Buffers.SearchValues.Create(ascii, StringComparison.OrdinalIgnoreCase);
            _other = other.Length == 0 ? null : System.Buffers.SearchValues.Create(other, StringComparison.Ordinal);
        }

        // A Japanese literal cannot be in ASCII text, and checking that is one fast vectorised pass.
        public bool In(ReadOnlySpan<char> text) =>
            (_ascii is not null && text.ContainsAny(_ascii)) || (_other is not null && !System.Text.Ascii.IsValid(text) && text.ContainsAny(_other));
    }

    // The indictments and sanctions a sentence names, and which each is.
    private static IEnumerable<Match> Legal(string sentence, CueHits cues) => cues.Has(CueKinds.Legal) ? LegalRegex().Matches(sentence, cues.First(CueKinds.Legal)) : [];

    private static string LegalType(Match legal) =>
        legal.Value.Contains("制裁", StringComparison.Ordinal) || legal.Value.StartsWith("sanction", StringComparison.OrdinalIgnoreCase) ? "sanction" : "indictment";

    // The first match of a pattern, run only when the sentence holds one of its literals.
    // A pattern's match can start at most MaxLead characters before its first literal ("were responsible"), so it is
    // looked for from there: the patterns' first characters include common letters and particles, where a search from
    // the sentence's start would stop again and again.
    private static Match Gated(Regex regex, CueHits cues, CueKinds kind, string sentence) =>
        cues.Has(kind) ? regex.Match(sentence, Math.Max(0, cues.First(kind) - MaxLead)) : Match.Empty;

    // The most characters any pattern's match has before the literal that gates it ("were " in "were responsible").
    private const int MaxLead = 5;

    private static Entity Claim(string text, int start, int end, ClaimValue value, string rule)
    {
        // The claim's text is its sentence, trimmed, which every caller passes as the wording.
        var e = new Entity { Kind = "claim", Text = value.Wording, Value = value, Rule = rule, Score = 0.6 };
        e.Spans.Add([start, end]);
        return e;
    }

    // 0–100 from estimative wording (STIX 2.1 appendix: DNI scale), strongest phrase first. Every estimative
    // pattern's match starts with one of its literals, so none starts before the first of them.
    private static int? ConfidenceOf(string sentence, int from) =>
        AlmostCertainRegex().IsMatch(sentence, from) ? 95
        : HighlyLikelyRegex().IsMatch(sentence, from) ? 85
        : LikelyRegex().IsMatch(sentence, from) ? 65
        : ModerateRegex().IsMatch(sentence, from) ? 50
        : null;

    // Sentences end at 。！？ (Japanese, whose lines may break anywhere) or at . ! ? followed by a space or a line end, and at blank lines.
    private static IEnumerable<(int Start, int End)> Sentences(string text)
    {
        int start = 0;
        while (start < text.Length)
        {
            int end = SentenceEnd(text, start);
            if (text.AsSpan(start, end - start).Trim().Length > 0)
            {
                yield return (start, end);
            }

            start = end;
        }
    }

    // The end of the sentence that begins at start (the text's end when no sentence end follows).
    private static int SentenceEnd(string text, int start)
    {
        int i = start;
        while (i < text.Length)
        {
            int at = text.AsSpan(i).IndexOfAny(s_sentenceEnds);
            if (at < 0)
            {
                break;
            }

            int p = i + at, end = -1;
            switch (text[p])
            {
                case '。' or '！' or '？':
                    end = p + 1;
                    break;
                case '.' or '!' or '?':
                    end = p + 1 == text.Length || char.IsWhiteSpace(text[p + 1]) ? p + 1 : -1;
                    break;
                default:
                    // A line break, then white space holding another: a blank line (up to its last line break).
                    for (int j = p + 1; j < text.Length && char.IsWhiteSpace(text[j]); j++)
                    {
                        end = text[j] == '\n' ? j + 1 : end;
                    }

                    break;
            }

            if (end >= 0)
            {
                return end;
            }

            i = p + 1;
        }

        return text.Length;
    }

    // How many paragraph breaks (blank lines) text[from..to] holds, counting no further than max + 1.
    private static int Breaks(string text, int from, int to, int max)
    {
        int breaks = 0;
        for (int i = from; i < to && breaks <= max;)
        {
            int nl = text.AsSpan(i, to - i).IndexOf('\n');
            if (nl < 0)
            {
                break;
            }

            int j = i + nl + 1;
            while (j < to && text[j] is ' ' or '\t' or '\r' or '\u3000')
            {
                j++;
            }

            // A blank line, or a new list item (・, •, -, *): either ends what a sentence can carry.
            breaks += j < to && text[j] is '\n' or '・' or '•' or '-' or '*' ? 1 : 0;
            i = j;
        }

        return breaks;
    }

    private static readonly System.Buffers.SearchValues<char> s_sentenceEnds = System.Buffers.SearchValues.Create("。！？.!?\n");

    [GeneratedRegex(@"加わらず|加わらなかった|参加しなかった|参加しませんでした|参加せず|不参加|did not join|declined to join|stayed out|refused to join|was absent from", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DeclinedRegex();

    [GeneratedRegex(@"共同声明|一斉に?(?:批判|非難)|同時に(?:発表|非難|批判)|とともに|と共に|批判に参加|非難に参加|声明に加わ|joint statement|jointly|together with|joined (?:by|in)|alongside|co-signed|co-authored|along with", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JointRegex();

    [GeneratedRegex(@"起訴|制裁|indicted|indictment|charged|sanctioned|sanctions", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LegalRegex();

    [GeneratedRegex(@"背景に持つ|背景とする|背景にある|関与|支援を受け|指示を受け|傘下|の仕業|によるもの|による犯行|の犯行|と結び[付つ]け|と(?:つなが|繋が)(?:る|りのある|っている)|attributed|attributes|attribute|backed by|sponsored by|on behalf of|responsible for|(?:was|were|is|are) responsible|affiliated with|linked to|tied to|blamed|behind", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AttributionRegex();

    // What an indictment or sanction is against, when it names companies or firms rather than a group or its people.
    [GeneratedRegex(@"\G\w*\s+(?:(?:against|on)\s+)?(?:[\w-]+\s+){0,3}?(?:compan(?:y|ies)|firms?|business(?:es)?|entities|banks?|exchanges?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LegalTargetRegex();

    [GeneratedRegex(@"^\s*(?:,\s*)?(?:on \w+,?\s+|yesterday\s+|today\s+)?(?:formally |publicly |officially |also )?(?:said|says|stated|named|blamed|accused|identified|attributed|attributes|announced|concluded|confirmed|assessed|assesses|judged)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReportingVerb();

    [GeneratedRegex(@"(?<=[A-Za-z]) +(?:has |have )?(?:formally |publicly |officially |also |on \w+ )?(?:said|says|stated|attributed|attributes|assessed|assesses|judged|concluded|named|blamed|accused|identified|announced|confirmed|disclosed|reported)\b", RegexOptions.CultureInvariant)]
    private static partial Regex UnlinkedVerb();

    [GeneratedRegex(@"^(?:政府|当局)?(?:[（(][^）)]{1,16}[）)])?[がは][^。]{0,10}?(?:判断|発表|指摘|断定|特定|結論|公表|評価)")]
    private static partial Regex FindingVerb();

    [GeneratedRegex(@"made the same call|(?:reached|came to) (?:the same|a similar) conclusion|made the same assessment|issued its own attribution|did the same|followed suit|同様の(?:声明|発表|見解|判断)|同じ(?:判断|見解)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EchoRegex();

    [GeneratedRegex(@"^\s*(?:[）)]\s*)?(?:政府|当局|側)?(?:[（(][^）)]{1,16}[）)]\s*)?(?:は|も|が|として|としても|においても|及び|および|、|・|等は|など|and|,|has|have|assess|said|stated|judge)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorMarker();

    [GeneratedRegex(@"ほぼ確実|almost certain|near certain", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AlmostCertainRegex();

    [GeneratedRegex(@"可能性が高い|可能性が高く|highly likely|high confidence|high degree of confidence|very likely", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HighlyLikelyRegex();

    [GeneratedRegex(@"可能性がある|\blikely\b|probably|おそらく", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LikelyRegex();

    [GeneratedRegex(@"moderate confidence|一定の確度", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ModerateRegex();
}
