#!/usr/bin/env bash
# check_outputs.sh — converts a whole input folder and checks every generated artifact parses:
#   spark.py       python3 -m py_compile, and tscheck --lang python (no ERROR/MISSING node)
#   snowflake.sql  tscheck --lang sql, errors allowed only when the excuse list names them
#
# usage: check_outputs.sh ETLPORT TSCHECK EXCUSED_SQL INPUT_DIR
# Prints SKIP and succeeds when INPUT_DIR does not exist or holds no files.
set -uo pipefail

etlport="$1" tscheck="$2" excused="$3" input="$4"

if [ ! -d "$input" ] || [ -z "$(find "$input" -type f | head -n 1)" ]; then
    echo "SKIP: no input files in $input"
    exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/etlport-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# 0: all converted; 1: some input failed (reported, not this test's concern); anything else —
# usage error, I/O error, a crash or a sanitizer abort — fails the test.
"$etlport" convert "$input" -o "$tmp/out" >"$tmp/convert.log" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    tail -n 50 "$tmp/convert.log"
    echo "FAIL: etlport convert $input exited $rc"
    exit 1
fi
echo "etlport convert exited $rc ($(grep -c 'error:' "$tmp/convert.log") error lines)"

mapfile -d '' py < <(find "$tmp/out" -name spark.py -print0 | sort -z)
mapfile -d '' all_sql < <(find "$tmp/out" -name snowflake.sql -print0 | sort -z)
# a snowflake.sql next to a unit.json is a procedure in Snowflake Scripting, which the SQL grammar
# cannot read: tests/snowflake/check_scripting.py checks its outer statement and its SQL
sql=() units=()
for f in "${all_sql[@]}"; do
    if [ -f "$(dirname "$f")/unit.json" ]; then units+=("$f"); else sql+=("$f"); fi
done
echo "artifacts: ${#py[@]} spark.py, ${#sql[@]} snowflake.sql, ${#units[@]} snowflake.sql of procedural units"
if [ $((${#py[@]} + ${#sql[@]} + ${#units[@]})) -eq 0 ]; then
    echo "FAIL: etlport convert $input produced no artifacts"
    exit 1
fi

failed=0
if [ ${#py[@]} -gt 0 ]; then
    # byte-code goes to the temporary folder, never next to anything else
    if ! printf '%s\0' "${py[@]}" | PYTHONPYCACHEPREFIX="$tmp/pycache" xargs -0 python3 -m py_compile; then
        echo "FAIL: python3 -m py_compile rejects generated PySpark"
        failed=1
    fi
    if ! printf '%s\0' "${py[@]}" | xargs -0 "$tscheck" --lang python --stats; then
        echo "FAIL: tree-sitter-python finds syntax errors in generated PySpark"
        failed=1
    fi
fi
if [ ${#sql[@]} -gt 0 ]; then
    if ! printf '%s\0' "${sql[@]}" | xargs -0 "$tscheck" --lang sql --stats --excuse "$excused"; then
        echo "FAIL: tree-sitter-sql finds syntax errors in generated Snowflake SQL not excused by $excused"
        failed=1
    fi
fi
if [ ${#units[@]} -gt 0 ]; then
    if ! python3 "$(dirname "$0")/../snowflake/check_scripting.py" "$tscheck" "$excused" "${units[@]}"; then
        echo "FAIL: tree-sitter-sql finds syntax errors in generated Snowflake Scripting procedures"
        failed=1
    fi
fi
[ "$failed" -eq 0 ] && echo "OK: every artifact parses"
exit "$failed"
