#!/usr/bin/env bash
# check_grammar.sh — runs the PySpark unit tests with ETLPORT_SPARK_DUMP set and parses every
# module they emitted with tscheck --lang python (test_spark itself runs py_compile on each).
# usage: check_grammar.sh TEST_SPARK TSCHECK
set -uo pipefail
test_bin="$1" tscheck="$2"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/etlport-sparkgrammar.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
ETLPORT_SPARK_DUMP="$tmp" "$test_bin" >"$tmp/test.log" 2>&1 || { tail -n 30 "$tmp/test.log"; echo "FAIL: $test_bin"; exit 1; }
shopt -s nullglob
files=("$tmp"/*.py)
[ ${#files[@]} -gt 0 ] || { echo "FAIL: no modules written"; exit 1; }
"$tscheck" --lang python --stats "${files[@]}"
