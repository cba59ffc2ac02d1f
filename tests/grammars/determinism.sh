#!/usr/bin/env bash
# determinism.sh — same input, same output: converts INPUT_DIR twice (each run in its own working
# folder, both writing to ./out) and requires `diff -r` of the two outputs to be empty.
#
# usage: determinism.sh ETLPORT INPUT_DIR
# Prints SKIP and succeeds when INPUT_DIR does not exist or holds no files.
set -uo pipefail

etlport="$1" input="$2"

if [ ! -d "$input" ] || [ -z "$(find "$input" -type f | head -n 1)" ]; then
    echo "SKIP: no input files in $input"
    exit 0
fi
input=$(cd "$input" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/etlport-determinism.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

for run in 1 2; do
    mkdir -p "$tmp/$run"
    (cd "$tmp/$run" && "$etlport" convert "$input" -o out >convert.log 2>&1)
    rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        tail -n 50 "$tmp/$run/convert.log"
        echo "FAIL: run $run: etlport convert exited $rc"
        exit 1
    fi
done

if ! diff -r "$tmp/1/out" "$tmp/2/out" >"$tmp/diff.txt"; then
    head -n 100 "$tmp/diff.txt"
    echo "FAIL: two conversions of $input differ"
    exit 1
fi
if ! diff "$tmp/1/convert.log" "$tmp/2/convert.log" >/dev/null; then
    echo "note: the two runs' messages differ (output files are identical)"
fi
echo "OK: $(find "$tmp/1/out" -type f | wc -l) files identical in both runs"
