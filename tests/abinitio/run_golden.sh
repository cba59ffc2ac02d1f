#!/usr/bin/env bash
# Golden test for the Ab Initio frontend: converts the project's sample sandbox (corpus/abinitio:
# mp/*.mp, pset/*.pset, run/*.ksh; not broken/) with etlport and compares every artifact with the
# reviewed expectation under tests/abinitio/expected/golden/<folder>/<job>/ (plans and graph-
# sequencing scripts, plan/*.plan and run/*.ksh, give flows and no job). A difference prints a
# unified diff and fails. ETLPORT_UPDATE_GOLDEN=1 rewrites the expectations instead — then read
# every changed file before committing it (git diff tests/abinitio/expected).
set -u
etlport=$1 src=$(cd "$2" && pwd)
expected="$src/tests/abinitio/expected/golden"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

inputs=()
while IFS= read -r f; do inputs+=("$f"); done < <(cd "$src" && find corpus/abinitio -type f \( -name '*.mp' -o -name '*.pset' -o -name '*.ksh' -o -name '*.plan' \) -not -path '*/broken/*' -not -name '.*' | LC_ALL=C sort)

(cd "$src" && "$etlport" convert "${inputs[@]}" -o "$work/out" --quiet 2> "$work/stderr.txt")
rc=$?
if [ $rc -ne 0 ]; then
    echo "golden: etlport convert exited $rc on the project's Ab Initio samples (expected 0)"
    cat "$work/stderr.txt"
    exit 1
fi

if [ "${ETLPORT_UPDATE_GOLDEN:-}" = 1 ]; then
    rm -rf "$expected"
    mkdir -p "$expected"
    (cd "$work/out" && find . -type f \( -name ir.json -o -name snowflake.sql -o -name spark.py \) -print0 | xargs -0 -I{} cp --parents {} "$expected/")
    cp "$work/out/report.json" "$expected/report.json"
    echo "golden: expectations rewritten in $expected — review them (git diff) before committing"
    exit 0
fi

pass=0 fail=0
while IFS= read -r rel; do
    if diff -u "$expected/$rel" "$work/out/$rel" > "$work/diff.txt" 2>&1; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "golden: $rel differs:"
        head -60 "$work/diff.txt"
    fi
done < <(cd "$work/out" && find . -type f \( -name ir.json -o -name snowflake.sql -o -name spark.py -o -name report.json \) | LC_ALL=C sort)
while IFS= read -r rel; do
    if [ ! -f "$work/out/$rel" ]; then
        fail=$((fail + 1))
        echo "golden: $rel expected but not produced"
    fi
done < <(cd "$expected" 2>/dev/null && find . -type f | LC_ALL=C sort)
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
