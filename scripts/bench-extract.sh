#!/usr/bin/env bash
# threatledger bench extract, with its baseline: the same synthetic English/Japanese corpus (20 MB
# by default, reports separated by form-feed lines) through ThreatLedger's whole extraction (store
# names + built-in vocabularies, indicators, CVEs, dates, claims) and through the npm package
# ioc-extractor (indicators only) run by node, report by report, three runs each; prints both
# medians in MB/s and the ratio. ioc-extractor is installed into a temporary folder (with its lock
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

ours=$(tl bench extract --megabytes "$megabytes" --db "$work/names.db" --out "$work/corpus.txt" --iterations 3)
echo "$ours"

(cd "$work" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund --silent ioc-extractor@8.2.0 >/dev/null)
theirs=$(cd "$work" && node -e '
const fs = require("fs");
const { extractIOC } = require("ioc-extractor");
const text = fs.readFileSync("corpus.txt", "utf8");
const reports = text.split("\n\f\n");
const mb = Buffer.byteLength(text, "utf8") / 1048576;
const times = [];
for (let run = 0; run < 3; run++) {
  const t0 = process.hrtime.bigint();
  let n = 0;
  for (const r of reports) { const x = extractIOC(r); n += x.urls.length + x.ipv4s.length + x.domains.length + x.sha256s.length; }
  times.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
times.sort((a, b) => a - b);
console.log(`ioc-extractor ${JSON.parse(fs.readFileSync("node_modules/ioc-extractor/package.json", "utf8")).version} (node ${process.version}): median ${times[1].toFixed(2)} s of 3, ${(mb / times[1]).toFixed(2)} MB/s`);
')
echo "$theirs"
a=$(echo "$ours" | sed -n 's/.* \([0-9.]*\) MB\/s$/\1/p' | tail -1)
b=$(echo "$theirs" | sed -n 's/.* \([0-9.]*\) MB\/s$/\1/p' | tail -1)
python3 -c "print(f'ratio: {float($a) / float($b):.2f} (ThreatLedger MB/s over ioc-extractor MB/s; goal >= 2)')"
