#!/usr/bin/env bash
# check_proc_grammar.sh — runs the procedural-unit tests with SNOW_DUMP_DIR set and checks every
# procedure they emitted with check_scripting.py (the outer CREATE PROCEDURE and every SQL statement
# of the body through tscheck --lang sql, excused by the same lists as check_grammar.sh).
# usage: check_proc_grammar.sh TEST_SNOW_PROC TSCHECK SOURCE_DIR
set -uo pipefail
test_bin="$1" tscheck="$2" src="$3"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/etlport-procgrammar.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
SNOW_DUMP_DIR="$tmp" "$test_bin" >"$tmp/test.log" 2>&1 || { tail -n 30 "$tmp/test.log"; echo "FAIL: $test_bin"; exit 1; }
cat "$src/tests/grammars/sql-excused.txt" "$src/tests/snowflake/grammar-pending.txt" >"$tmp/excused.txt"
shopt -s nullglob
files=("$tmp"/*.sql)
[ ${#files[@]} -gt 0 ] || { echo "FAIL: no procedures written"; exit 1; }
python3 "$src/tests/snowflake/check_scripting.py" "$tscheck" "$tmp/excused.txt" "${files[@]}"
