#!/usr/bin/env bash
# threatledger bench extract, with its baseline: the same synthetic English/Japanese corpus (20 MB
# by default, reports separated by form-feed lines) through ThreatLedger's whole extraction (store
# names + built-in vocabularies, indicators, CVEs, dates, claims) and through the npm package
# ioc-extractor (indicators only) run by node, report by report; in ROUNDS rounds (3 by default),
# each timing both (median of three passes each) back to back; prints each round's MB/s and ratio
# and the median ratio. ioc-extractor is installed into a temporary folder (with its lock
# file there), never into the repository.
#
# usage: scripts/bench-extract.sh [MEGABYTES]
set -euo pipefail
cd "$(dirname "$0")/.."
megabytes=${1:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build src/ThreatLedger.Cli -c Release -nologo -v q >/dev/null
tl() { dotnet src/ThreatLedger.Cli/bin/Release/net10.0/threatledger.dll "$@"; }

# A store with the starter pack and ATT&CK enterprise: the names a real installation matches.
if [ -f ../shared/data/attack/enterprise-attack.json.gz ]; then
  tl import ../shared/data/attack/enterprise-attack.json.gz --db "$work/names.db" --no-progress >/dev/null 2>&1
else
  tl pack load --db "$work/names.db" >/dev/null
fi

# The corpus, written once; then rounds of ours and theirs back to back, so a slow spell of this
# noisy VM hits both sides of a round: each round's ratio is taken, and the median ratio reported.
tl bench extract --megabytes "$megabytes" --db "$work/names.db" --out "$work/corpus.txt" --iterations 1 >/dev/null

(cd "$work" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund --silent ioc-extractor@8.2.0 >/dev/null)
cat > "$work/theirs.js" <<'JS'
const fs = require("fs");
const { extractIOC } = require("ioc-extractor");
const text = fs.readFileSync("corpus.txt", "utf8");
const reports = text.split("\n\f\n");
const mb = Buffer.byteLength(text, "utf8") / 1048576;
const times = [];
// One untimed pass first, as on our side (V8's compilers warm up too).
for (const r of reports) extractIOC(r);
for (let run = 0; run < 3; run++) {
  const t0 = process.hrtime.bigint();
  let n = 0;
  for (const r of reports) { const x = extractIOC(r); n += x.urls.length + x.ipv4s.length + x.domains.length + x.sha256s.length; }
  times.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
times.sort((a, b) => a - b);
const version = JSON.parse(fs.readFileSync("node_modules/ioc-extractor/package.json", "utf8")).version;
console.log(`ioc-extractor ${version} (node ${process.version}): median ${times[1].toFixed(2)} s of 3, ${(mb / times[1]).toFixed(2)} MB/s`);
JS

rounds=${ROUNDS:-3}
ratios=()
for round in $(seq 1 "$rounds"); do
  ours=$(tl bench extract --megabytes "$megabytes" --db "$work/names.db" --iterations 3)
  theirs=$(cd "$work" && node theirs.js)
  a=$(echo "$ours" | sed -n 's/.* \([0-9.]*\) MB\/s$/\1/p' | tail -1)
  b=$(echo "$theirs" | sed -n 's/.* \([0-9.]*\) MB\/s$/\1/p' | tail -1)
  r=$(python3 -c "print(f'{float($a) / float($b):.2f}')")
  ratios+=("$r")
  [ "$round" = 1 ] && echo "$ours" | head -1
  echo "round $round: threatledger $a MB/s, ioc-extractor $b MB/s, ratio $r"
done
echo "$theirs" | head -1
python3 -c "import statistics, sys; r = sorted(map(float, sys.argv[1:])); print(f'ratio: {statistics.median(r):.2f} median of {len(r)} rounds (min {r[0]:.2f}, max {r[-1]:.2f}; ThreatLedger MB/s over ioc-extractor MB/s; goal >= 2)')" "${ratios[@]}"
