#!/usr/bin/env bash
# Golden test for SQL scripts: converts the project's own samples and compares every artifact
# (ir.json, unit.json, snowflake.sql, spark.py) and report.json with the reviewed expectation.
# Two sets, each converted on its own so that adding to one never changes the other:
#   - corpus/sql/*            (scripts)                → tests/golden-sql/expected/
#   - corpus/sql/procedures/  (procedural units)       → tests/golden-sql/expected-procedures/
# A difference prints a unified diff and fails. ETLPORT_UPDATE_GOLDEN=1 rewrites the expectations
# instead (=scripts or =procedures: only that set) — then read every changed file
# (git diff tests/golden-sql).
set -u
etlport=$1 src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
artifacts=(\( -name ir.json -o -name unit.json -o -name snowflake.sql -o -name spark.py \))

# golden_set NAME EXPECTED_DIR INPUT...: converts the inputs into $work/NAME and compares.
golden_set() {
    local name=$1 expected=$2
    shift 2
    local out="$work/$name"
    (cd "$src" && "$etlport" convert "$@" -o "$out" --quiet)
    local rc=$?
    if [ $rc -ne 0 ]; then
        echo "golden-sql: etlport convert exited $rc on $name (expected 0)"
        fail=$((fail + 1))
        return
    fi
    local update=${ETLPORT_UPDATE_GOLDEN:-}
    if [ -n "$update" ] && [ "$update" != 1 ] && [ "$update" != "$name" ]; then
        return # updating the other set only
    fi
    if [ -n "$update" ]; then
        rm -rf "$expected"
        mkdir -p "$expected"
        (cd "$out" && find . -type f "${artifacts[@]}" -print0 | xargs -0 -I{} cp --parents {} "$expected/")
        cp "$out/report.json" "$expected/report.json"
        echo "golden-sql: expectations rewritten in $expected — review them (git diff) before committing"
        return
    fi
    while IFS= read -r rel; do
        if diff -u "$expected/$rel" "$out/$rel" > "$work/diff.txt" 2>&1; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "golden-sql: $name: $rel differs:"
            head -60 "$work/diff.txt"
        fi
    done < <(cd "$out" && find . -type f \( "${artifacts[@]}" -o -name report.json \) | LC_ALL=C sort)
    while IFS= read -r rel; do
        if [ ! -f "$out/$rel" ]; then
            fail=$((fail + 1))
            echo "golden-sql: $name: $rel expected but not produced"
        fi
    done < <(cd "$expected" 2>/dev/null && find . -type f | LC_ALL=C sort)
}

mapfile -t scripts < <(cd "$src" && find corpus/sql -maxdepth 1 -type f | LC_ALL=C sort)
golden_set scripts "$src/tests/golden-sql/expected" "${scripts[@]}"
# (compared once its expectations exist: ETLPORT_UPDATE_GOLDEN=1 writes them)
if [ -d "$src/tests/golden-sql/expected-procedures" ] || [ -n "${ETLPORT_UPDATE_GOLDEN:-}" ]; then
    golden_set procedures "$src/tests/golden-sql/expected-procedures" corpus/sql/procedures
fi
if [ -n "${ETLPORT_UPDATE_GOLDEN:-}" ]; then
    [ $fail -eq 0 ]
    exit
fi

# the statement list is the contract of this slice: every statement reported, procedural blocks as holes
if ! python3 - "$work/scripts/report.json" <<'PY'; then fail=$((fail + 1)); echo "golden-sql: report.json statement checks failed"; fi
import json, sys
r = json.load(open(sys.argv[1]))
kinds = {}
for f in r["files"]:
    assert f["format"] == "sql" and f["dialect"], f["path"]
    for s in f["statements"]:
        assert s["status"] in ("converted", "skipped", "hole", "failed"), s
        # converted: a job, or a procedural unit (a block, a BTEQ script's command) without hole steps
        assert (s["status"] == "converted") == ("job" in s or "unit" in s), s
        if s["kind"] == "procedure" and s["status"] == "converted" and "job" in s:
            # a row-by-row cursor loop lifted to a set-based statement (sqlfe_proc.c)
            assert s["reason"].startswith("row-by-row loop lifted to a set-based statement"), s
        elif s["kind"] == "procedure" and s["status"] != "converted":
            assert s["status"] == "hole" and s["text"], s
        kinds[(f["dialect"], s["kind"], s["status"])] = kinds.get((f["dialect"], s["kind"], s["status"]), 0) + 1
dialects = {f["path"].rsplit("/", 1)[1]: f["dialect"] for f in r["files"]}
assert dialects == {"db2_build_region_summary.sql": "db2", "netezza_stage_orders.sql": "netezza",
                    "oracle_load_sales.sql": "oracle", "teradata_daily_balance.bteq": "teradata",
                    "tsql_refresh_inventory.sql": "tsql", "oracle_cursor_loops.sql": "oracle",
                    "tsql_cursor_loop.sql": "tsql", "oracle_daily_totals.sql": "oracle"}, dialects
for want in [("tsql", "merge", "converted"), ("tsql", "update", "converted"), ("tsql", "delete", "converted"),
             ("oracle", "procedure", "converted"), ("teradata", "command", "converted"),
             ("teradata", "create_table_as", "converted"), ("db2", "create_view", "converted")]:
    assert want in kinds, want
jobs = {j["name"]: j for j in r["jobs"]}
# the 4 procedural blocks that were holes are procedural units now (sqlfe_pl.c, sqlfe_tsql.c), and each
# BTEQ script is one script unit: 2 Oracle blocks (the IF body, the loop reading its target), the Oracle
# DBMS_STATS block, the T-SQL IF block, the 2 BTEQ scripts
# and the SQL*Plus script oracle_load_sales.sql is a script unit (sqlfe_pl_script.c)
units = {u["name"]: u for f in r["files"] for u in f.get("units", [])}
assert r["totals"]["units"] == 6 and len(units) == 6, units.keys()
assert r["totals"]["statements"]["hole"] == 0 and "procedure" not in r["totals"]["holes_by_kind"], r["totals"]
# lifted cursor loops: 3 Oracle (FOR insert, FOR update, BULK COLLECT/FORALL), 2 T-SQL (WHILE insert, update)
# as jobs; the 3 Oracle blocks above are units
assert sum(1 for f in r["files"] for s in f["statements"] if s["kind"] == "procedure" and "job" in s) == 5, kinds
assert kinds.get(("oracle", "procedure", "converted")) == 6 and kinds.get(("tsql", "procedure", "converted")) == 3, kinds
for f in r["files"]:
    for s in f["statements"]:
        if s["kind"] == "procedure" and s["status"] == "converted":
            assert s.get("job") in jobs or s.get("unit") in units, s
        if s["kind"] == "procedure" and s["status"] == "hole" and "cursor_loops" in f["path"]:
            # the IF body stays a hole as before; the loop whose cursor reads its target says why
            assert s["reason"] == "procedural code is not translated yet" or "the table the loop writes" in s["reason"], s
PY
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
