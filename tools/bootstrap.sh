#!/usr/bin/env bash
# bootstrap.sh — from a fresh Debian 12 machine to converted samples:
#   1. installs the Debian packages that are missing (as root; otherwise prints the sudo line),
#   2. fetches the pinned tree-sitter grammars (npm ci, no install scripts),
#   3. configures and builds build/ (RelWithDebInfo),
#   4. runs `build/etlport convert corpus --to snowflake,spark,airflow -o out` on the project's own
#      samples (jobs as Snowflake SQL and PySpark, workflows as Airflow DAGs).
#
# usage: tools/bootstrap.sh [--install-only] [--no-run] [-j N]
#   --install-only  step 1 only (what .ci/run uses)
#   --no-run        steps 1-3, no sample conversion
#   -j N            parallel build jobs (default 2)
set -euo pipefail

cd "$(dirname "$0")/.."

install_only=0 run=1 jobs=2
while [ $# -gt 0 ]; do
    case "$1" in
    --install-only) install_only=1 ;;
    --no-run) run=0 ;;
    -j) jobs="$2"; shift ;;
    -j*) jobs="${1#-j}" ;;
    -h | --help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "bootstrap.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done

# ---- 1. Debian packages -------------------------------------------------------------------------
packages=(build-essential cmake pkg-config libxml2-dev libcurl4-openssl-dev libcjson-dev libsqlite3-dev
          libgraphviz-dev libtree-sitter-dev nodejs npm python3 python3-jsonschema libxml2-utils clang
          chromium) # chromium: the diff reports' browser test (tests/diff/browser_check.py)

installed() { # a package counts when dpkg says "install ok installed"
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

missing=()
for p in "${packages[@]}"; do
    case "$p" in
    # Node may come from another Debian repository (NodeSource's nodejs bundles npm, and Debian's
    # npm package would pull Debian's nodejs back in): a working command is enough.
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "bootstrap: installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y "${missing[@]}"
    else
        echo "bootstrap: missing Debian packages; run:" >&2
        echo "sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
else
    echo "bootstrap: all Debian packages present"
fi
[ "$install_only" -eq 1 ] && exit 0

# ---- 2. grammars --------------------------------------------------------------------------------
# .npmrc keeps install scripts off and the grammars' node bindings (a peer dependency) out.
echo "bootstrap: npm ci (pinned tree-sitter grammars, no install scripts)"
npm ci --ignore-scripts --legacy-peer-deps --no-audit --no-fund

# ---- 3. build -----------------------------------------------------------------------------------
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j "$jobs"

# ---- 4. the main job on the bundled samples -----------------------------------------------------
[ "$run" -eq 1 ] || exit 0
if [ -z "$(find corpus -type f ! -name '.*' 2>/dev/null | head -n 1)" ]; then
    echo "bootstrap: corpus/ has no sample files yet; nothing to convert"
    exit 0
fi
params=()
while IFS= read -r f; do params+=(--params "$f"); done < <(find corpus -path '*/params/*' -name '*.param' | LC_ALL=C sort)
echo "bootstrap: build/etlport convert corpus ${params[*]} --to snowflake,spark,airflow -o out"
rc=0
build/etlport convert corpus "${params[@]}" --to snowflake,spark,airflow -o out || rc=$?
case $rc in
0) ;;
1)  # the samples in corpus/*/broken/ fail on purpose, each with its file:line:col: exactly those
    if ! python3 - out/report.json <<'PY'
import json, os, sys
failed = {f["path"] for f in json.load(open(sys.argv[1]))["files"] if f["status"] == "failed"}
broken = {os.path.join(d, n) for top in ("corpus/informatica/broken", "corpus/abinitio/broken")
          for d, _, ns in os.walk(top) for n in ns if not n.endswith(".md")}
if failed != broken:
    for p in sorted(failed - broken):
        print("bootstrap: failed but not a broken sample:", p, file=sys.stderr)
    for p in sorted(broken - failed):
        print("bootstrap: a broken sample did not fail:", p, file=sys.stderr)
    sys.exit(1)
print("bootstrap: exit status 1 is expected here: the %d files in corpus/informatica/broken/ and" % len(broken))
print("           corpus/abinitio/broken/ are broken on purpose; everything else converted")
PY
    then
        exit 1
    fi ;;
*) echo "bootstrap: etlport convert failed with exit status $rc" >&2; exit "$rc" ;;
esac
echo "bootstrap: done; see out/report.json and out/<folder>/<mapping>/"
