#!/usr/bin/env python3
"""Drive a ThreatLedger TAXII 2.1 server with the OASIS TAXII 2.1 client library (taxii2client.v21).

Interoperability check and paging benchmark. Every TAXII call below goes through the OASIS
library's public API (Server, ApiRoot, Collection, Status, as_pages); plain `requests` is used
only for the few negative cases the library cannot express (a reader's POST, which the library
refuses before sending) and for a raw-HTTP paging baseline that separates the library's own
overhead from the server's.

The library is NOT part of this repository: put a directory holding the `taxii2client` package on
PYTHONPATH (scripts/taxii-oasis-client.sh explains). Dependencies: requests, six, pytz.

What it does, in order (each line of the summary is PASS or FAIL):
  discovery; API root information; collections; one collection by URL;
  POST the ATT&CK ICS bundle (as a TAXII envelope) and poll its status to the end;
  page through the whole collection with as_pages (per_request 100, 1000, the server's default,
  and one above the server's page size), timed, --runs times for 100 and 1000;
  manifest paging; match[type] (one and two types); get_object; match[version];
  object_versions; get_manifest by id; added_after (before and after the import);
  a missing object is a TAXII 404;
  with --reader-user/--reader-token (a reader with TLP:GREEN clearance): objects marked AMBER,
  AMBER+STRICT, RED and TLP 1.0 AMBER are posted as the first user, plus a GREEN control object
  and two objects of two versions (GREEN then AMBER: hidden entirely, as ThreatLedger shows an
  object only when its latest version is visible; AMBER then GREEN: only the GREEN version shows);
  then the reader must see none of the hidden ones by any route (pages, type filter, get_object, match[id], match[version],
  object_versions, manifest, added_after, the X-TAXII-Date-Added headers, more/next, another
  user's cursor, another user's status) and may not write.

usage: taxii-oasis-client.py --url URL --user NAME --token TOKEN
                             [--reader-user NAME --reader-token TOKEN]
                             [--bundle FILE] [--runs N] [--json-out FILE]
Tokens may also come from $TAXII_TOKEN and $TAXII_READER_TOKEN (kept out of `ps`).
Exit status: 0 when every check passes, 1 when one fails, 2 for usage or import problems.
"""

import argparse
import datetime
import gzip
import json
import logging
import os
import statistics
import sys
import time
import urllib.parse
import uuid

try:
    import requests
    import taxii2client
    from taxii2client.exceptions import AccessError
    from taxii2client.v21 import ApiRoot, Collection, Server, as_pages
except ImportError as exc:  # the wrapper checks first; this is for direct use
    sys.stderr.write(
        "taxii-oasis-client: cannot import the OASIS TAXII client (%s).\n"
        "Put the directory that holds the 'taxii2client' package on PYTHONPATH; see "
        "scripts/taxii-oasis-client.sh.\n" % exc)
    sys.exit(2)

TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"
DEFAULT_COLLECTION = "365fed99-08fa-fdcd-a1b3-fb247eb41d01"

# The reference figure from the issue: the OASIS medallion server paging the 1,826 objects of
# ATT&CK ICS took 6.8 s with this client; the goal is at least 25 times faster.
REFERENCE_SECONDS = 6.8
REFERENCE_OBJECTS = 1826
GOAL_SPEEDUP = 25.0

# Canonical TLP marking definitions (TLP 2.0 from the OASIS stix-common-objects, TLP 1.0 from
# STIX 2.1 section 7.2.1.4).
TLP2_GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
TLP2_AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
TLP2_AMBER_STRICT = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
TLP2_RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
TLP1_AMBER = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
TLP1_RED = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"
ABOVE_GREEN = {TLP2_AMBER, TLP2_AMBER_STRICT, TLP2_RED, TLP1_AMBER, TLP1_RED}


# ---------------------------------------------------------------------------------------------
# Bookkeeping


class Report:
    """PASS/FAIL lines, notes and timings, printed at the end (and optionally written as JSON)."""

    def __init__(self, verbose):
        self.checks = []
        self.notes = []
        self.timings = []
        self.verbose = verbose

    def check(self, name, ok, detail=""):
        self.checks.append({"check": name, "ok": bool(ok), "detail": detail})
        if self.verbose:
            sys.stderr.write("%s  %s  %s\n" % ("PASS" if ok else "FAIL", name, detail))
        return bool(ok)

    def note(self, text):
        self.notes.append(text)
        if self.verbose:
            sys.stderr.write("NOTE  %s\n" % text)

    def timing(self, **row):
        self.timings.append(row)

    @property
    def failed(self):
        return [c for c in self.checks if not c["ok"]]


class Step:
    """Runs one group of checks; an exception becomes a FAIL with the request and response."""

    def __init__(self, report, name):
        self.report, self.name = report, name

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None:
            return False
        self.report.check(self.name, False, describe_error(exc))
        return True  # go on with the next group


def describe_error(exc):
    """An exception as text; for an HTTP error, the request line and the response it got."""
    text = "%s: %s" % (type(exc).__name__, exc)
    response = getattr(exc, "response", None)
    if response is not None:
        request = response.request
        text += " | request: %s %s Accept=%r Content-Type=%r | response: %s Content-Type=%r body=%s" % (
            request.method, request.url, request.headers.get("Accept"), request.headers.get("Content-Type"),
            response.status_code, response.headers.get("Content-Type"), response.text[:400])
    return text


class WarningCatcher(logging.Handler):
    """Keeps what taxii2client logs (as_pages warns when a page is not the size it asked for)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def parse_ts(text):
    """A STIX/TAXII timestamp (any number of fraction digits) as an aware datetime."""
    if text is None:
        return None
    body = text.rstrip("Z")
    if "." in body:
        head, frac = body.split(".", 1)
        frac = (frac + "000000")[:6]
    else:
        head, frac = body, "000000"
    return datetime.datetime.strptime(head + "." + frac, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)


def stix_now(offset_ms=0):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(milliseconds=offset_ms)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def markings_of(obj):
    refs = set(obj.get("object_marking_refs") or [])
    refs.update(g.get("marking_ref") for g in obj.get("granular_markings") or [] if g.get("marking_ref"))
    return refs


def above_green(obj):
    return bool(markings_of(obj) & ABOVE_GREEN)


def load_bundle(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as handle:
        return json.loads(handle.read().decode("utf-8"))


def default_bundle():
    here = os.path.dirname(os.path.abspath(__file__))
    folder = os.path.normpath(os.path.join(here, "..", "..", "shared", "data", "attack"))
    for name in ("ics-attack.json.gz", "ics-attack.json"):
        candidate = os.path.join(folder, name)
        if os.path.exists(candidate):
            return candidate
    return os.path.join(folder, "ics-attack.json")


def discovery_url(url):
    parts = urllib.parse.urlsplit(url)
    if parts.path in ("", "/"):
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/taxii2/", "", ""))
    return url if url.endswith("/") else url + "/"


# ---------------------------------------------------------------------------------------------
# Reading through the library


def walk(func, per_request, **filters):
    """Every page as_pages gives: (objects or manifest entries, pages, empty pages, seconds)."""
    items, pages, empty = [], 0, 0
    started = time.perf_counter()
    for page in as_pages(func, per_request=per_request, **filters):
        pages += 1
        got = page.get("objects", [])
        empty += 0 if got else 1
        items.extend(got)
    return items, pages, empty, time.perf_counter() - started


def manifest_all(collection, **filters):
    entries, _, _, _ = walk(collection.get_manifest, 1000, **filters)
    return entries


def latest_added(entries):
    stamps = [parse_ts(e["date_added"]) for e in entries]
    return max(stamps) if stamps else None


def fmt_ts(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def expect_http_status(report, name, call, status, allow=()):
    """The call must raise an HTTP error with that status (and a TAXII error body)."""
    try:
        result = call()
    except requests.HTTPError as exc:
        response = exc.response
        body_ok = response.headers.get("Content-Type", "").replace(" ", "").startswith("application/taxii+json")
        ok = response.status_code == status or response.status_code in allow
        return report.check(name, ok and body_ok, "HTTP %s, Content-Type %s, body %s" % (
            response.status_code, response.headers.get("Content-Type"), response.text[:160]))
    body = result.json() if hasattr(result, "json") else result
    return report.check(name, False, "expected HTTP %s, got an answer: %s" % (status, json.dumps(body)[:300]))


def versions_or_status(call, field):
    """The `field` of each object or manifest entry a call returns, or 'HTTP <status>' when it is refused."""
    try:
        return [o[field] for o in call().json().get("objects", [])]
    except requests.HTTPError as exc:
        return "HTTP %s" % exc.response.status_code


def raw_paging(session, objects_url, limit):
    """A plain-HTTP walk (one JSON parse per page) as a baseline for the library's own overhead."""
    count, nxt = 0, None
    started = time.perf_counter()
    while True:
        params = {"limit": limit}
        if nxt:
            params["next"] = nxt
        response = session.get(objects_url, params=params, headers={"Accept": TAXII_MEDIA_TYPE})
        response.raise_for_status()
        envelope = response.json()
        count += len(envelope.get("objects", []))
        if not envelope.get("more"):
            break
        nxt = envelope.get("next")
    return count, time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# The run


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="server base URL or its discovery URL (…/taxii2/)")
    parser.add_argument("--user", required=True)
    parser.add_argument("--token", default=os.environ.get("TAXII_TOKEN"), help="or $TAXII_TOKEN")
    parser.add_argument("--reader-user")
    parser.add_argument("--reader-token", default=os.environ.get("TAXII_READER_TOKEN"), help="or $TAXII_READER_TOKEN")
    parser.add_argument("--collection", default=DEFAULT_COLLECTION, help="collection id (default: %(default)s)")
    parser.add_argument("--bundle", default=default_bundle(), help="STIX bundle to POST, .json or .json.gz (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=5, help="timed walks per page size (default: %(default)s)")
    parser.add_argument("--poll-interval", type=float, default=0.25, help="status polling interval, seconds")
    parser.add_argument("--json-out", help="also write the results as JSON to this file")
    parser.add_argument("--verbose", action="store_true", help="print each check as it runs, to stderr")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("--token (or $TAXII_TOKEN) is required")
    if bool(args.reader_user) != bool(args.reader_token):
        parser.error("--reader-user and --reader-token go together")

    catcher = WarningCatcher()
    logging.getLogger("taxii2client").addHandler(catcher)
    report = Report(args.verbose)
    run_id = uuid.uuid4().hex[:8]
    state = {}

    # -- discovery, API root, collections -------------------------------------------------------
    with Step(report, "discovery (GET /taxii2/)"):
        server = Server(discovery_url(args.url), user=args.user, password=args.token)
        roots = server.api_roots
        report.check("discovery (GET /taxii2/)", server.title and roots and server.default is not None,
                     "title=%r, api_roots=%s, default=%s" % (server.title, [r.url for r in roots],
                                                              server.default.url if server.default else None))
        state["root"] = server.default or roots[0]

    with Step(report, "API root information"):
        root = state["root"]
        report.check("API root information", TAXII_MEDIA_TYPE in [v.replace(" ", "") for v in root.versions] and root.max_content_length > 0,
                     "title=%r, versions=%s, max_content_length=%s" % (root.title, root.versions, root.max_content_length))

    with Step(report, "collections list"):
        collections = state["root"].collections
        ids = [c.id for c in collections]
        mine = [c for c in collections if c.id == args.collection]
        report.check("collections list", mine and mine[0].can_read and mine[0].can_write,
                     "%d collection(s) %s; %s can_read=%s can_write=%s media_types=%s" % (
                         len(ids), ids, args.collection, mine and mine[0].can_read, mine and mine[0].can_write,
                         mine and mine[0].media_types))
        state["coll"] = mine[0]

    with Step(report, "get one collection (Collection(url).refresh)"):
        url = state["root"].url + "collections/" + args.collection + "/"
        alone = Collection(url, user=args.user, password=args.token)
        alone.refresh()
        report.check("get one collection (Collection(url).refresh)", alone.id == args.collection and alone.title,
                     "title=%r" % alone.title)
        alone.close()

    coll = state.get("coll")
    if coll is None:
        return finish(report, args, catcher)

    # -- POST the bundle -------------------------------------------------------------------------
    bundle = load_bundle(args.bundle)
    bundle_objects = bundle["objects"]
    bundle_ids = {o["id"] for o in bundle_objects}
    before = manifest_all(coll)
    t0 = latest_added(before)
    before_ids = {e["id"] for e in before}
    with Step(report, "POST bundle + status polling"):
        envelope = {"objects": bundle_objects}  # TAXII 2.1 section 3.7: POST an envelope, not a bundle
        started = time.perf_counter()
        status = coll.add_objects(envelope, wait_for_completion=False)
        first = dict(status._raw)
        status.wait_until_final(poll_interval=args.poll_interval, timeout=600)
        elapsed = time.perf_counter() - started
        state["status_id"] = status.id
        report.check("POST bundle + status polling (wait_until_final)",
                     status.status == "complete" and status.total_count == len(bundle_objects)
                     and status.success_count == len(bundle_objects) and status.failure_count == 0 and status.pending_count == 0,
                     "%s: %d objects from %s; status %s total=%s success=%s failure=%s pending=%s in %.2f s" % (
                         status.id, len(bundle_objects), os.path.basename(args.bundle), status.status, status.total_count,
                         status.success_count, status.failure_count, status.pending_count, elapsed))
        if status.failures:
            report.note("status failures (first 5): %s" % json.dumps(status.failures[:5]))
        if first.get("status") == "pending" and first.get("total_count") != len(bundle_objects):
            report.note("the POST's first status (HTTP 202) said status=pending total_count=%s pending_count=%s success_count=%s "
                        "for a request of %d objects; TAXII 2.1 section 4.3.1 defines total_count as the number of objects in "
                        "the request and pending_count as those not yet processed (the library accepts it: 0+0+0 == 0)"
                        % (first.get("total_count"), first.get("pending_count"), first.get("success_count"), len(bundle_objects)))
        again = state["root"].get_status(status.id)
        report.check("get_status by id (ApiRoot.get_status)", again.id == status.id and again.status == "complete",
                     "status=%s success_count=%s" % (again.status, again.success_count))

    # -- paging, timed ---------------------------------------------------------------------------
    after = manifest_all(coll)
    after_ids = {e["id"] for e in after}
    expected = len(after_ids)
    with Step(report, "as_pages through the whole collection"):
        plans = [(100, args.runs), (1000, args.runs), (0, 1), (2000, 1)]
        for per_request, runs in plans:
            seconds, counts, page_counts, empties, dups = [], [], [], [], []
            for _ in range(runs):
                warned = len(catcher.messages)
                objects, pages, empty, took = walk(coll.get_objects, per_request)
                seen = [o["id"] for o in objects]
                seconds.append(took)
                counts.append(len(objects))
                page_counts.append(pages)
                empties.append(empty)
                dups.append(len(seen) - len(set(seen)))
                state.setdefault("all_objects", objects)
            label = {0: "server default", 2000: "2000 (> page size)"}.get(per_request, str(per_request))
            median = statistics.median(seconds)
            report.timing(route="objects", per_request=label, runs=runs, objects=counts[0], pages=page_counts[0],
                          median_s=round(median, 4), min_s=round(min(seconds), 4), max_s=round(max(seconds), 4),
                          all_s=[round(s, 4) for s in seconds])
            report.check("as_pages objects per_request=%s" % label,
                         all(c == expected for c in counts) and not any(dups) and not any(empties),
                         "%d objects in %d pages, expected %d; duplicates %s; empty pages %s; median %.3f s over %d run(s)" % (
                             counts[0], page_counts[0], expected, dups, empties, median, runs))
            if per_request in (0, 2000):
                report.note("as_pages per_request=%s: the library logged %r (it adopts the server's page size, as designed)"
                            % (label, catcher.messages[warned:] or "nothing"))
        missing = bundle_ids - {o["id"] for o in state["all_objects"]}
        report.check("every bundle object is in the pages", not missing, "%d missing %s" % (len(missing), sorted(missing)[:5]))

        raw = requests.Session()
        raw.auth = (args.user, args.token)
        raw_times = []
        for _ in range(args.runs):
            count, took = raw_paging(raw, coll.objects_url, 100)
            raw_times.append(took)
        raw.close()
        report.timing(route="objects (plain requests, not the library)", per_request="100", runs=args.runs, objects=count,
                      median_s=round(statistics.median(raw_times), 4), all_s=[round(s, 4) for s in raw_times])

    with Step(report, "as_pages manifest"):
        entries, pages, empty, took = walk(coll.get_manifest, 100)
        fields_ok = all({"id", "date_added", "version", "media_type"} <= set(e) for e in entries)
        report.timing(route="manifest", per_request="100", runs=1, objects=len(entries), pages=pages, median_s=round(took, 4))
        report.check("as_pages manifest per_request=100", len(entries) == expected and fields_ok and not empty,
                     "%d entries in %d pages (expected %d), required fields present=%s, %.3f s" % (len(entries), pages, expected, fields_ok, took))

    # -- filters and single objects --------------------------------------------------------------
    all_objects = state.get("all_objects", [])
    by_type = {}
    for o in all_objects:
        by_type.setdefault(o["type"], []).append(o["id"])
    with Step(report, "match[type]"):
        got, _, _, _ = walk(coll.get_objects, 100, type="attack-pattern")
        want = len(by_type.get("attack-pattern", []))
        ics = sum(1 for o in bundle_objects if o["type"] == "attack-pattern")
        report.check("match[type]=attack-pattern", len(got) == want and all(o["type"] == "attack-pattern" for o in got) and len(got) >= ics,
                     "%d attack-patterns (%d in the whole walk, %d in the bundle)" % (len(got), want, ics))
        two, _, _, _ = walk(coll.get_objects, 100, type=["attack-pattern", "malware"])
        want2 = want + len(by_type.get("malware", []))
        report.check("match[type]=attack-pattern,malware", len(two) == want2 and {o["type"] for o in two} <= {"attack-pattern", "malware"},
                     "%d objects, expected %d" % (len(two), want2))
        spec, _, _, _ = walk(coll.get_objects, 100, type="attack-pattern", spec_version="2.1")
        report.check("match[spec_version]=2.1 with match[type]", len(spec) == want, "%d objects" % len(spec))

    sample = next((o for o in bundle_objects if o["type"] == "attack-pattern"), bundle_objects[0])
    with Step(report, "get_object by id"):
        response = coll.get_object(sample["id"])
        body = response.json()
        objs = body.get("objects", [])
        report.check("get_object by id", len(objs) == 1 and objs[0]["id"] == sample["id"] and objs[0].get("modified") == sample.get("modified")
                     and "X-TAXII-Date-Added-First" in response.headers,
                     "%s modified %s; more=%s; X-TAXII-Date-Added-First=%s" % (
                         sample["id"], objs[0].get("modified") if objs else None, body.get("more"), response.headers.get("X-TAXII-Date-Added-First")))
        by_version = coll.get_object(sample["id"], version=sample["modified"]).json().get("objects", [])
        report.check("get_object match[version]=<modified>", len(by_version) == 1, "%d object(s)" % len(by_version))
        by_ids = coll.get_objects(id=[sample["id"], bundle_objects[-1]["id"]]).json().get("objects", [])
        report.check("get_objects match[id]=two ids", {o["id"] for o in by_ids} == {sample["id"], bundle_objects[-1]["id"]}, "%d object(s)" % len(by_ids))

    with Step(report, "object_versions"):
        versions = coll.object_versions(sample["id"]).json()
        report.check("object_versions", sample["modified"] in versions.get("versions", []), json.dumps(versions)[:200])

    with Step(report, "get_manifest by id"):
        entry = coll.get_manifest(id=sample["id"]).json().get("objects", [])
        report.check("get_manifest match[id]", len(entry) == 1 and entry[0]["version"] == sample["modified"], json.dumps(entry)[:250])

    with Step(report, "added_after"):
        new_ids = after_ids - before_ids
        got, pages, _, _ = walk(coll.get_objects, 100, added_after=fmt_ts(t0)) if t0 else ([], 0, 0, 0)
        got_ids = {o["id"] for o in got}
        added_later = {e["id"] for e in after if t0 is None or parse_ts(e["date_added"]) > t0}
        report.check("added_after=<last date_added before the POST>", t0 is not None and got_ids == added_later and got_ids <= bundle_ids,
                     "added_after=%s: %d objects (%d ids new since, %d added or re-added per the manifest)" % (
                         fmt_ts(t0) if t0 else None, len(got_ids), len(new_ids), len(added_later)))
        last = latest_added(after)
        response = coll.get_objects(added_after=fmt_ts(last))
        empty = response.json()
        report.check("added_after=<newest date_added> is empty", not empty.get("objects") and empty.get("more") is False,
                     json.dumps(empty)[:200])

    with Step(report, "missing object"):
        expect_http_status(report, "get_object of a missing id is HTTP 404 (TAXII error body)",
                           lambda: coll.get_object("attack-pattern--00000000-0000-4000-8000-000000000000"), 404)

    if args.reader_user:
        check_clearance(report, args, state, coll, run_id, catcher)

    coll.close()
    return finish(report, args, catcher)


def check_clearance(report, args, state, coll, run_id, catcher):
    """Objects above GREEN are posted as the first user; a GREEN reader must not see them anywhere.

    Besides objects marked AMBER, AMBER+STRICT, RED and TLP 1.0 AMBER (and a GREEN control), two
    objects with two versions: GREEN then AMBER (hidden entirely: ThreatLedger shows an object when
    its latest version is visible, and then only its visible versions; ADR 0004), and AMBER then
    GREEN (visible, but only its GREEN version).
    """
    stamp = stix_now(-3000)
    later = stix_now(-1000)

    def pattern(name, markings, created=None, modified=None, ident=None):
        obj = {"type": "attack-pattern", "spec_version": "2.1",
               "id": ident or "attack-pattern--" + str(uuid.uuid4()),
               "created": created or stamp, "modified": modified or created or stamp,
               "name": "taxii-oasis-client %s %s" % (run_id, name)}
        if markings:
            obj["object_marking_refs"] = markings
        return obj

    hidden = {
        "amber": pattern("TLP2 AMBER", [TLP2_AMBER]),
        "amber+strict": pattern("TLP2 AMBER+STRICT", [TLP2_AMBER_STRICT]),
        "red": pattern("TLP2 RED", [TLP2_RED]),
        "tlp1-amber": pattern("TLP1 AMBER", [TLP1_AMBER]),
    }
    green = pattern("TLP2 GREEN control", [TLP2_GREEN])
    g2a = "attack-pattern--" + str(uuid.uuid4())  # GREEN v1, AMBER v2
    g2a_v1 = pattern("GREEN then AMBER (v1 GREEN)", [TLP2_GREEN], modified=stamp, ident=g2a)
    g2a_v2 = pattern("GREEN then AMBER (v2 AMBER)", [TLP2_AMBER], modified=later, ident=g2a)
    a2g = "attack-pattern--" + str(uuid.uuid4())  # AMBER v1, GREEN v2
    a2g_v1 = pattern("AMBER then GREEN (v1 AMBER)", [TLP2_AMBER], modified=stamp, ident=a2g)
    a2g_v2 = pattern("AMBER then GREEN (v2 GREEN)", [TLP2_GREEN], modified=later, ident=a2g)
    hidden["green-then-amber"] = g2a_v1
    hidden_ids = {o["id"] for o in hidden.values()}
    all_ids = hidden_ids | {green["id"], a2g}

    t1 = latest_added(manifest_all(coll))
    with Step(report, "POST objects marked AMBER and above (first user)"):
        first = coll.add_objects({"objects": [o for o in hidden.values()] + [green, a2g_v1]}, poll_interval=args.poll_interval)
        second = coll.add_objects({"objects": [g2a_v2, a2g_v2]}, poll_interval=args.poll_interval)
        report.check("POST objects marked AMBER and above (first user)",
                     first.status == "complete" and first.success_count == 7 and second.status == "complete" and second.success_count == 2,
                     "7 objects then 2 new versions: success %s+%s, failures %s" % (first.success_count, second.success_count, first.failures + second.failures))
        admin_view = coll.get_objects(id=sorted(all_ids)).json().get("objects", [])
        counts = [len(coll.object_versions(i).json().get("versions", [])) for i in (g2a, a2g)]
        report.check("the first user sees them all", len(admin_view) == 7 and counts == [2, 2],
                     "%d of 7 objects; versions of the two-version objects %s" % (len(admin_view), counts))
        state["admin_manifest"] = manifest_all(coll)
        state["admin_a2g_v1_added"] = [e["date_added"] for e in coll.get_manifest(id=a2g, version=stamp).json().get("objects", [])]
        state["admin_objects"] = walk(coll.get_objects, 1000)[0]

    # The reader, through its own discovery.
    rs = Server(discovery_url(args.url), user=args.reader_user, password=args.reader_token)
    rcoll = []
    with Step(report, "reader: discovery and collection"):
        rroot = rs.default or rs.api_roots[0]
        rcoll = [c for c in rroot.collections if c.id == args.collection]
        report.check("reader: discovery and collection", rcoll and rcoll[0].can_read and not rcoll[0].can_write,
                     "can_read=%s can_write=%s" % (rcoll and rcoll[0].can_read, rcoll and rcoll[0].can_write))
    if not rcoll:
        return
    reader = rcoll[0]

    def leaks(objects):
        return [o["id"] for o in objects if above_green(o) or o["id"] in hidden_ids]

    with Step(report, "reader: as_pages objects"):
        objects, pages, empty, took = walk(reader.get_objects, 100)
        ids = {o["id"] for o in objects}
        admin_latest = {o["id"]: o for o in state.get("admin_objects", [])}
        above = {i for i, o in admin_latest.items() if above_green(o)}  # latest version above GREEN: hidden with every version
        leaked = leaks(objects)
        report.check("reader: as_pages objects show nothing above GREEN",
                     not leaked and not (ids & above) and green["id"] in ids and a2g in ids and ids <= set(admin_latest)
                     and len(ids) == len(admin_latest) - len(above) and not empty,
                     "%d objects (first user: %d, of which %d are above GREEN in their latest version), %d pages, %.3f s; leaked %s" % (
                         len(ids), len(admin_latest), len(above), pages, took, leaked))
        seen = [o["modified"] for o in objects if o["id"] == a2g]
        report.check("reader: AMBER-then-GREEN object shows its GREEN version", seen == [later], "modified %s (v2 %s)" % (seen, later))
        reader_times = [took]
        for _ in range(max(0, args.runs - 1)):
            reader_times.append(walk(reader.get_objects, 100)[3])
        report.timing(route="objects as the GREEN reader", per_request="100", runs=len(reader_times), objects=len(objects),
                      pages=pages, median_s=round(statistics.median(reader_times), 4), all_s=[round(s, 4) for s in reader_times])

    with Step(report, "reader: match[type]"):
        objects, _, _, _ = walk(reader.get_objects, 100, type="attack-pattern")
        report.check("reader: match[type]=attack-pattern shows nothing above GREEN",
                     not leaks(objects) and {green["id"], a2g} <= {o["id"] for o in objects},
                     "%d attack-patterns, leaked %s" % (len(objects), leaks(objects)))

    with Step(report, "reader: get_object"):
        for label, obj in sorted(hidden.items()):
            expect_http_status(report, "reader: get_object %s is 404" % label, lambda obj=obj: reader.get_object(obj["id"]), 404)
        expect_http_status(report, "reader: get_object green-then-amber match[version]=<GREEN v1> is 404",
                           lambda: reader.get_object(g2a, version=stamp), 404)
        expect_http_status(report, "reader: get_object green-then-amber match[version]=all is 404",
                           lambda: reader.get_object(g2a, version="all"), 404)
        got = reader.get_object(green["id"]).json().get("objects", [])
        report.check("reader: get_object GREEN control", len(got) == 1, "%d object(s)" % len(got))
        got = reader.get_object(a2g).json().get("objects", [])
        report.check("reader: get_object amber-then-green gives v2", [o["modified"] for o in got] == [later], "%s" % [o["modified"] for o in got])
        got = reader.get_object(a2g, version="all").json().get("objects", [])
        report.check("reader: get_object amber-then-green match[version]=all gives v2 only", [o["modified"] for o in got] == [later],
                     "%s" % [o["modified"] for o in got])
        # 'first' among the versions the reader may see is v2; anything else tells the reader that a hidden
        # earlier version exists (last gives v2, first gives nothing).
        firsts = {
            "get_object": versions_or_status(lambda: reader.get_object(a2g, version="first"), "modified"),
            "get_objects match[id]": versions_or_status(lambda: reader.get_objects(id=a2g, version="first"), "modified"),
            "get_manifest match[id]": versions_or_status(lambda: reader.get_manifest(id=a2g, version="first"), "version"),
        }
        report.check("reader: match[version]=first of amber-then-green gives v2, its first visible version",
                     all(v == [later] for v in firsts.values()),
                     "; ".join("%s: %s" % (k, v) for k, v in firsts.items()) + " (v2 is %s; match[version]=last and =all give v2)" % later)
        expect_http_status(report, "reader: get_object amber-then-green match[version]=<AMBER v1> is 404",
                           lambda: reader.get_object(a2g, version=stamp), 404)

    with Step(report, "reader: match[id]"):
        body = reader.get_objects(id=sorted(hidden_ids)).json()
        report.check("reader: get_objects match[id]=<hidden ids> is empty", not body.get("objects") and body.get("more") is False,
                     json.dumps(body)[:200])

    with Step(report, "reader: object_versions"):
        for label, obj in sorted(hidden.items()):
            expect_http_status(report, "reader: object_versions %s is 404" % label, lambda obj=obj: reader.object_versions(obj["id"]), 404)
        versions = reader.object_versions(a2g).json().get("versions", [])
        report.check("reader: object_versions amber-then-green lists v2 only", versions == [later], "%s" % versions)

    with Step(report, "reader: manifest"):
        entries, _, _, _ = walk(reader.get_manifest, 100)
        leaked = [e["id"] for e in entries if e["id"] in hidden_ids]
        a2g_entries = [e["version"] for e in entries if e["id"] == a2g]
        report.check("reader: as_pages manifest shows nothing above GREEN", not leaked and a2g_entries == [later],
                     "%d entries, leaked %s, amber-then-green versions %s" % (len(entries), leaked, a2g_entries))
        one = reader.get_manifest(id=sorted(hidden_ids)).json()
        report.check("reader: get_manifest match[id]=<hidden ids> is empty", not one.get("objects"), json.dumps(one)[:200])
        one = reader.get_manifest(id=a2g, version="all").json().get("objects", [])
        report.check("reader: get_manifest match[version]=all of amber-then-green gives v2 only",
                     [e["version"] for e in one] == [later], json.dumps(one)[:250])

    with Step(report, "reader: added_after"):
        stamp_t1 = fmt_ts(t1)
        objects, pages, empty, _ = walk(reader.get_objects, 1, added_after=stamp_t1)
        ids = [o["id"] for o in objects]
        report.check("reader: added_after=<before the marked POSTs> gives the GREEN ones only, one per page, no empty page",
                     sorted(ids) == sorted([green["id"], a2g]) and pages == 2 and empty == 0 and not leaks(objects),
                     "added_after=%s per_request=1: %s in %d pages (%d empty)" % (stamp_t1, ids, pages, empty))
        response = reader.get_objects(added_after=stamp_t1)
        reader_entries = reader.get_manifest(added_after=stamp_t1).json().get("objects", [])
        visible_last = max((e["date_added"] for e in reader_entries), key=parse_ts, default=None)
        visible_first = min((e["date_added"] for e in reader_entries), key=parse_ts, default=None)
        hidden_added = {e["date_added"] for e in state.get("admin_manifest", []) if e["id"] in hidden_ids}
        hidden_added.update(state.get("admin_a2g_v1_added", []))
        first_h = response.headers.get("X-TAXII-Date-Added-First")
        last_h = response.headers.get("X-TAXII-Date-Added-Last")
        report.check("reader: X-TAXII-Date-Added-First/Last are visible objects' (no hidden timestamp)",
                     last_h is not None and last_h == visible_last and first_h == visible_first and not ({first_h, last_h} & hidden_added),
                     "headers %s .. %s, visible %s .. %s, hidden date_added %s" % (first_h, last_h, visible_first, visible_last, sorted(hidden_added)))

    with Step(report, "reader: another user's cursor"):
        cursor = coll.get_objects(limit=1, added_after=fmt_ts(t1)).json().get("next")
        try:
            body = reader.get_objects(limit=1, added_after=fmt_ts(t1), next=cursor).json()
            report.check("reader: the first user's next cursor reveals nothing above GREEN", not leaks(body.get("objects", [])),
                         "answered %s" % json.dumps(body)[:200])
        except requests.HTTPError as exc:
            report.check("reader: the first user's next cursor reveals nothing above GREEN", 400 <= exc.response.status_code < 500,
                         "refused: HTTP %s %s" % (exc.response.status_code, exc.response.text[:160]))

    with Step(report, "reader: another user's status"):
        if state.get("status_id"):
            expect_http_status(report, "reader: the first user's status resource is 404",
                               lambda: rroot.get_status(state["status_id"]), 404)

    with Step(report, "reader: write"):
        try:
            reader.add_objects({"objects": [pattern("reader write", [TLP2_GREEN])]})
            report.check("reader: add_objects refused", False, "the library sent it and the server accepted it")
        except AccessError as exc:
            # The library refuses before sending (can_write is false); ask the server too.
            response = requests.post(reader.objects_url, auth=(args.reader_user, args.reader_token),
                                     headers={"Accept": TAXII_MEDIA_TYPE, "Content-Type": TAXII_MEDIA_TYPE},
                                     data=json.dumps({"objects": [pattern("reader write", [TLP2_GREEN])]}))
            report.check("reader: add_objects refused", response.status_code == 403,
                         "library: %s; server: HTTP %s %s" % (exc, response.status_code, response.text[:120]))
    rs.close()


def finish(report, args, catcher):
    width = max([len(c["check"]) for c in report.checks] + [10])
    print("taxii-oasis-client: taxii2client %s against %s" % (getattr(taxii2client, "__version__", "?"), discovery_url(args.url)))
    print()
    for c in report.checks:
        print("%s  %-*s  %s" % ("PASS" if c["ok"] else "FAIL", width, c["check"], c["detail"]))
    if report.timings:
        print()
        print("timings (wall clock, this client on this machine):")
        for t in report.timings:
            print("  %-44s per_request=%-18s runs=%d objects=%-6s median %.3f s%s" % (
                t["route"], t["per_request"], t["runs"], t.get("objects"), t["median_s"],
                "  (all: %s)" % ", ".join("%.3f" % s for s in t["all_s"]) if t.get("all_s") and len(t["all_s"]) > 1 else ""))
        head = next((t for t in report.timings if t["route"] == "objects" and t["per_request"] == "100"), None)
        if head:
            speedup = REFERENCE_SECONDS / head["median_s"]
            per_object = (REFERENCE_SECONDS / REFERENCE_OBJECTS) / (head["median_s"] / head["objects"])
            print("  reference: medallion, %d objects in %.1f s; here %d objects in %.3f s (median of %d): %.1fx faster overall, "
                  "%.1fx per object; goal %.0fx: %s" % (REFERENCE_OBJECTS, REFERENCE_SECONDS, head["objects"], head["median_s"], head["runs"],
                                                        speedup, per_object, GOAL_SPEEDUP, "met" if min(speedup, per_object) >= GOAL_SPEEDUP else "NOT met"))
    if report.notes:
        print()
        for n in report.notes:
            print("note: " + n)
    print()
    print("%d checks, %d passed, %d failed" % (len(report.checks), len(report.checks) - len(report.failed), len(report.failed)))
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as out:
            json.dump({"checks": report.checks, "timings": report.timings, "notes": report.notes,
                       "library_warnings": catcher.messages}, out, indent=2)
    return 1 if report.failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (requests.RequestException, taxii2client.exceptions.TAXIIServiceException, OSError, ValueError) as exc:
        sys.stderr.write("taxii-oasis-client: stopped: %s\n" % describe_error(exc))
        sys.exit(1)
