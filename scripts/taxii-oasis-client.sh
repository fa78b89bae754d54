#!/usr/bin/env bash
# Interoperability check and paging benchmark of a ThreatLedger TAXII 2.1 server driven by the OASIS
# TAXII 2.1 Python client (taxii2client.v21, from the OASIS cti-taxii-client project, BSD-3-Clause):
# discovery, API root, collections, POST of the ATT&CK ICS bundle with status polling, as_pages
# through the whole collection (timed; compared with the issue's reference of 6.8 s for 1,826
# objects on the OASIS medallion server), type filter, get_object, versions, manifest, added_after,
# and — given a second user, a reader with TLP:GREEN clearance — that no object marked AMBER or above
# reaches that reader by any of those routes. Prints PASS/FAIL per check and the timings.
#
# The OASIS library is NOT vendored in this repository and this script does not install it: provide
# it yourself and point PYTHONPATH at the directory that holds the 'taxii2client' package (for
# example a checkout of cti-taxii-client, or a virtualenv's site-packages where you installed the
# taxii2-client package). Its dependencies are requests, six and pytz (Debian: apt-get install
# python3-requests python3-six python3-tz).
#
# usage: PYTHONPATH=DIR scripts/taxii-oasis-client.sh URL USER TOKEN [READER-USER READER-TOKEN] [-- OPTIONS]
#   URL      the server (http://127.0.0.1:5080) or its discovery URL (…/taxii2/)
#   USER     a user who may write the collection (admin or analyst); TOKEN its API token
#   READER-* optional: a reader with TLP:GREEN clearance, for the clearance checks
#   OPTIONS  passed to taxii-oasis-client.py: --bundle FILE (.json or .json.gz; default
#            ../shared/data/attack/ics-attack.json), --runs N (default 5), --collection ID,
#            --json-out FILE, --verbose
# A token given as '-' is read from $TAXII_TOKEN / $TAXII_READER_TOKEN instead (keeps it out of ps).
# The interpreter is $PYTHON, else the first of python3 and /usr/bin/python3 that has the dependencies.
# Exit status: 0 all checks passed, 1 a check failed, 2 usage or a missing library.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

usage() { sed -n '/^# usage:/,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 3 ] || usage
url=$1 user=$2 token=$3
shift 3
reader=()
if [ $# -ge 2 ] && [ "$1" != "--" ]; then
    reader=(--reader-user "$1")
    if [ "$2" != "-" ]; then reader+=(--reader-token "$2"); fi
    shift 2
fi
[ "${1:-}" = "--" ] && shift
auth=(--user "$user")
if [ "$token" != "-" ]; then auth+=(--token "$token"); fi

# An interpreter with the library's dependencies.
python=${PYTHON:-}
if [ -z "$python" ]; then
    for candidate in python3 /usr/bin/python3; do
        if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import requests, six, pytz' 2>/dev/null; then
            python=$candidate
            break
        fi
    done
fi
if [ -z "$python" ]; then
    echo "taxii-oasis-client: no Python 3 with requests, six and pytz (Debian: apt-get install python3-requests python3-six python3-tz; or set PYTHON)" >&2
    exit 2
fi

# The library itself, from PYTHONPATH.
if ! error=$("$python" -c 'import taxii2client, taxii2client.v21; from taxii2client.v21 import Server, ApiRoot, Collection, as_pages' 2>&1); then
    cat >&2 <<EOF
taxii-oasis-client: cannot import the OASIS TAXII client library (taxii2client.v21) with $python:
  ${error##*$'\n'}
It is not part of ThreatLedger and is not vendored here. Provide it yourself and set PYTHONPATH to
the directory that holds the 'taxii2client' package, e.g.
  PYTHONPATH=/path/to/cti-taxii-client $0 $url $user …
(PYTHONPATH is now: '${PYTHONPATH:-}')
EOF
    exit 2
fi

exec "$python" "$here/taxii-oasis-client.py" --url "$url" "${auth[@]}" "${reader[@]}" "$@"
