#!/usr/bin/env bash
# threatledger bench serve, the wrk half: a 'threatledger serve' process over a store holding ATT&CK
# enterprise (plus the starter pack), driven by wrk (from apt) walking the whole collection in pages
# of 100 (every page's 'next' cursor, in turn). Prints wrk's requests/s and latency distribution and
# the server's RSS. The in-process half (ratio against direct store reads, TAXII client paging) is
# 'threatledger bench serve'.
#
# usage: scripts/bench-serve.sh [BUNDLE] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=${1:-../shared/data/attack/enterprise-attack.json.gz}
seconds=${2:-15}
connections=${3:-16}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
dotnet build src/ThreatLedger.Cli -c Release -nologo -v q >/dev/null
tl() { dotnet src/ThreatLedger.Cli/bin/Release/net10.0/threatledger.dll "$@"; }

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

tl import "$bundle" --db "$work/bench.db" --no-progress >/dev/null
token=$(tl users add bench --role reader --clearance red --db "$work/bench.db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

dotnet src/ThreatLedger.Cli/bin/Release/net10.0/threatledger.dll serve --db "$work/bench.db" --urls http://127.0.0.1:0 --rate-limit 1000000 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do grep -q ' at http' "$work/serve.log" && break; sleep 0.1; done
base=$(grep -o 'at http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1 | cut -c4-)
objects="/api/collections/365fed99-08fa-fdcd-a1b3-fb247eb41d01/objects/"

# Every page's path, following next.
python3 - "$base" "$objects" "$token" >"$work/paths.lua" <<'PY'
import json, sys, urllib.request, urllib.parse
base, objects, token = sys.argv[1:4]
paths, nxt = [], None
while True:
    path = objects + "?limit=100" + ("" if nxt is None else "&next=" + urllib.parse.quote(nxt))
    paths.append(path)
    req = urllib.request.Request(base + path, headers={"Accept": "application/taxii+json;version=2.1", "Authorization": "Bearer " + token})
    page = json.load(urllib.request.urlopen(req))
    if not page.get("more"):
        break
    nxt = page["next"]
print("paths = {" + ",".join('"%s"' % p for p in paths) + "}")
print('counter = 0\nrequest = function()\n  counter = counter + 1\n  return wrk.format("GET", paths[(counter % #paths) + 1])\nend')
PY
pages=$(grep -o '"/api' "$work/paths.lua" | wc -l)
echo "store: $(tl stats --db "$work/bench.db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["objects"])') objects, $pages pages of 100"
rss_before=$(ps -o rss= -p "$server")
cpu_before=$(awk '{print $14 + $15}' "/proc/$server/stat")
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/paths.lua" \
  -H "Authorization: Bearer $token" -H "Accept: application/taxii+json;version=2.1" "$base" | sed -n '1,22p'
rss_after=$(ps -o rss= -p "$server")
cpu_after=$(awk '{print $14 + $15}' "/proc/$server/stat")
echo "server RSS: $((rss_before / 1024)) MB before, $((rss_after / 1024)) MB after the run"
echo "server CPU during the run: $(( (cpu_after - cpu_before) / $(getconf CLK_TCK) )) s of ${seconds} s wall on $(nproc) cores (wrk uses the rest)"

# REST search: words of several kinds (names, ATT&CK ids, Japanese, common words), in turn.
python3 - >"$work/search.lua" <<'PY'
import urllib.parse
words = ["APT40", "Lazarus", "credential", "T1190", "国家安全部", "phishing", "Sandworm", "ransomware", "外務省", "BRONZE MOHAWK", "powershell", "Volt Typhoon"]
print("paths = {" + ",".join('"/rest/search?q=%s&limit=20"' % urllib.parse.quote(w) for w in words) + "}")
print('counter = 0\nrequest = function()\n  counter = counter + 1\n  return wrk.format("GET", paths[(counter % #paths) + 1])\nend')
PY
echo "REST search (12 different queries in turn, 20 hits each):"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/search.lua" \
  -H "Authorization: Bearer $token" "$base" | grep -E 'Latency|50%|99%|Requests/sec|Non-2xx'
echo "server RSS after both runs: $(( $(ps -o rss= -p "$server") / 1024 )) MB"
