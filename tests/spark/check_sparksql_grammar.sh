#!/usr/bin/env bash
# check_sparksql_grammar.sh — runs the Spark SQL expression tests with SPARKSQL_DUMP_DIR set and
# parses every text they emitted (one `SELECT <expression> AS cN;` per line) with tscheck --lang
# sql, after the Spark-only rewrites of sparksql-grammar.txt.
# usage: check_sparksql_grammar.sh TEST_SPARKSQL TSCHECK REWRITES
set -uo pipefail
test_bin="$1" tscheck="$2" rewrites="$3"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/etlport-sparksqlgrammar.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
SPARKSQL_DUMP_DIR="$tmp" "$test_bin" >"$tmp/test.log" 2>&1 || { tail -n 30 "$tmp/test.log"; echo "FAIL: $test_bin"; exit 1; }
[ -s "$tmp/sparksql_cases.sql" ] || { echo "FAIL: no expressions written"; exit 1; }
"$tscheck" --lang sql --stats --excuse "$rewrites" "$tmp/sparksql_cases.sql"
