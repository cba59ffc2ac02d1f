#!/usr/bin/env bash
# Golden DAGs: converts the project's own samples (corpus/informatica, not broken/, with its
# parameter files) with --to airflow,spark and compares every workflow's dag.py with the reviewed
# expectation tests/airflow/expected/<workflow>/dag.py. A difference prints a unified diff and
# fails. ETLPORT_UPDATE_GOLDEN=1 rewrites the expectations instead — then read every changed file
# before committing it (git diff tests/airflow/expected).
set -u
etlport=$1 src=$(cd "$2" && pwd)
expected="$src/tests/airflow/expected"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

inputs=()
while IFS= read -r f; do inputs+=("$f"); done < <(cd "$src" && find corpus/informatica -type f \( -name '*.XML' -o -name '*.xml' \) -not -path '*/broken/*' | LC_ALL=C sort)
params=()
while IFS= read -r f; do params+=(--params "$f"); done < <(cd "$src" && find corpus/informatica/params -type f -name '*.param' | LC_ALL=C sort)
(cd "$src" && "$etlport" convert "${inputs[@]}" "${params[@]}" -o "$work/out" --to airflow,spark --quiet)
rc=$?
if [ $rc -ne 0 ]; then
    echo "airflow golden: etlport convert exited $rc on the project's own samples (expected 0)"
    exit 1
fi
# <folder>/workflows/<workflow>/dag.py -> <workflow>/dag.py
mkdir -p "$work/got"
while IFS= read -r dag; do
    wf=$(basename "$(dirname "$dag")")
    if [ -e "$work/got/$wf" ]; then
        echo "airflow golden: two workflows named $wf"
        exit 1
    fi
    mkdir -p "$work/got/$wf"
    cp "$work/out/$dag" "$work/got/$wf/dag.py"
done < <(cd "$work/out" && find . -path '*/workflows/*/dag.py' | LC_ALL=C sort)
if [ -z "$(ls -A "$work/got")" ]; then
    echo "airflow golden: the project's own samples gave no DAG"
    exit 1
fi

if [ "${ETLPORT_UPDATE_GOLDEN:-}" = 1 ]; then
    rm -rf "$expected"
    mkdir -p "$expected"
    cp -r "$work/got/." "$expected/"
    echo "airflow golden: expectations rewritten in $expected — review them (git diff) before committing"
    exit 0
fi

pass=0 fail=0
while IFS= read -r rel; do
    if diff -u "$expected/$rel" "$work/got/$rel" > "$work/diff.txt" 2>&1; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "airflow golden: $rel differs:"
        head -60 "$work/diff.txt"
    fi
done < <(cd "$work/got" && find . -type f | LC_ALL=C sort)
while IFS= read -r rel; do
    if [ ! -f "$work/got/$rel" ]; then
        fail=$((fail + 1))
        echo "airflow golden: $rel expected but not produced"
    fi
done < <(cd "$expected" 2>/dev/null && find . -type f | LC_ALL=C sort)
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
