#!/usr/bin/env bash
# check_grammar.sh — runs the Snowflake unit tests with SNOW_DUMP_DIR set and parses every script
# they emitted with tscheck --lang sql, excused by tests/grammars/sql-excused.txt plus
# tests/snowflake/grammar-pending.txt.
# usage: check_grammar.sh TEST_SNOWFLAKE TSCHECK SOURCE_DIR
set -uo pipefail
test_bin="$1" tscheck="$2" src="$3"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/etlport-snowgrammar.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
SNOW_DUMP_DIR="$tmp" "$test_bin" >"$tmp/test.log" 2>&1 || { tail -n 30 "$tmp/test.log"; echo "FAIL: $test_bin"; exit 1; }
cat "$src/tests/grammars/sql-excused.txt" "$src/tests/snowflake/grammar-pending.txt" >"$tmp/excused.txt"
shopt -s nullglob
files=("$tmp"/*.sql)
[ ${#files[@]} -gt 0 ] || { echo "FAIL: no scripts written"; exit 1; }
"$tscheck" --lang sql --stats --excuse "$tmp/excused.txt" "${files[@]}"
