#!/usr/bin/env bash
# Golden test: converts the project's own samples (corpus/informatica, not broken/) and compares
# every artifact with the reviewed expectation under tests/golden/expected/<folder>/<job>/.
# A difference prints a unified diff and fails. ETLPORT_UPDATE_GOLDEN=1 rewrites the expectations
# instead — then read every changed file before committing it (git diff tests/golden).
set -u
etlport=$1 src=$(cd "$2" && pwd)
expected="$src/tests/golden/expected"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

inputs=()
while IFS= read -r f; do inputs+=("$f"); done < <(cd "$src" && find corpus/informatica -type f \( -name '*.XML' -o -name '*.xml' \) -not -path '*/broken/*' -not -path '*/workflows/*' | LC_ALL=C sort)
params=()
while IFS= read -r f; do params+=(--params "$f"); done < <(cd "$src" && find corpus/informatica/params -type f -name '*.param' | LC_ALL=C sort)

(cd "$src" && "$etlport" convert "${inputs[@]}" "${params[@]}" -o "$work/out" --quiet) 
rc=$?
if [ $rc -ne 0 ]; then
    echo "golden: etlport convert exited $rc on the project's own samples (expected 0)"
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
# expectations with no output any more are failures too
while IFS= read -r rel; do
    if [ ! -f "$work/out/$rel" ]; then
        fail=$((fail + 1))
        echo "golden: $rel expected but not produced"
    fi
done < <(cd "$expected" 2>/dev/null && find . -type f | LC_ALL=C sort)
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
