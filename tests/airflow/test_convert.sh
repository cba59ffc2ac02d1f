#!/usr/bin/env bash
# `etlport convert` and workflows: --to airflow alone, with spark, with snowflake, without airflow;
# the report's flows and hole totals; byte-identical DAGs on a second run; a bad target.
#   test_convert.sh ETLPORT SRC
set -u
etlport=$1 src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
cd "$src" || exit 1
inputs=(corpus/informatica/workflows corpus/informatica/m_bank_card_auth_filter.XML corpus/informatica/m_bank_dim_customer_upsert.XML)

check() { # description python-expression-over-report(r)-and-outdir(out)
    if ! python3 - "$3" "$2" <<'PY'
import json, os, sys
out, expr = sys.argv[1], sys.argv[2]
r = json.load(open(os.path.join(out, "report.json")))
dags = sorted(os.path.relpath(os.path.join(d, f), out) for d, _, fs in os.walk(out) for f in fs if f == "dag.py")
sys.exit(0 if eval(expr) else 1)
PY
    then
        echo "convert/airflow: $1"
        fail=1
    fi
}

"$etlport" convert "${inputs[@]}" -o "$work/a" --to airflow --quiet
check "--to airflow: targets are spark,airflow" 'r["targets"] == ["spark", "airflow"]' "$work/a"
check "--to airflow: a DAG per flow" 'len(r["flows"]) > 0 and len(dags) == len(r["flows"]) == r["totals"]["artifacts"]["airflow"] == r["totals"]["flows"]' "$work/a"
check "--to airflow: every flow names its DAG and flow.json" 'all(os.path.isfile(os.path.join(out, f["artifacts"]["airflow"])) and os.path.isfile(os.path.join(out, f["artifacts"]["flow"])) for f in r["flows"])' "$work/a"
check "flow holes count in the totals" 'r["totals"]["holes"] >= sum(f["hole_count"] for f in r["flows"]) and sum(f["hole_count"] for f in r["flows"]) > 0' "$work/a"
check "flow holes of kind condition are listed" 'r["totals"]["holes_by_kind"].get("condition", 0) == sum(1 for f in r["flows"] for h in f["holes"] if h["kind"] == "condition")' "$work/a"
check "the DAG of wf_bank_daily_load runs the job convert wrote" 'any("{{ params.etlport_root }}/BANK_DWH/m_bank_card_auth_filter/spark.py" in open(os.path.join(out, d)).read() for d in dags) and os.path.isfile(os.path.join(out, "BANK_DWH/m_bank_card_auth_filter/spark.py"))' "$work/a"

check "jobs converted in the run are not listed as missing" 'not any(f["name"] == "wf_bank_daily_load" and f.get("jobs_not_converted") for f in r["flows"])' "$work/a"
"$etlport" convert corpus/informatica/workflows/wf_bank_daily_load.XML -o "$work/g" --to airflow --quiet
check "a workflow without its mappings lists them" 'r["flows"][0]["jobs_not_converted"] == ["m_bank_card_auth_filter", "m_bank_dim_customer_upsert"] and "was not converted before this workflow" in open(os.path.join(out, dags[0])).read()' "$work/g"

"$etlport" convert "${inputs[@]}" -o "$work/b" --to airflow,spark --quiet
if ! diff -r "$work/a" "$work/b" > /dev/null; then
    echo "convert/airflow: a second run (--to airflow,spark) is not byte-identical"
    fail=1
fi

"$etlport" convert "${inputs[@]}" -o "$work/c" --to snowflake,airflow --quiet
check "--to snowflake,airflow: job tasks run snowflake.sql" 'r["targets"] == ["snowflake", "airflow"] and dags and all("SparkSubmitOperator" not in open(os.path.join(out, d)).read() for d in dags) and any("/snowflake.sql\"" in open(os.path.join(out, d)).read() for d in dags)' "$work/c"

"$etlport" convert "${inputs[@]}" -o "$work/d" --quiet
check "without airflow: flow.json but no DAG" 'not dags and r["flows"] and all("airflow" not in f["artifacts"] and os.path.isfile(os.path.join(out, f["artifacts"]["flow"])) for f in r["flows"]) and "airflow" not in r["targets"]' "$work/d"

"$etlport" convert "${inputs[@]}" -o "$work/e" --to airflow,bogus 2> "$work/err.txt"
rc=$?
if [ $rc -ne 2 ] || ! grep -q "unknown target 'bogus' (known:.* airflow)" "$work/err.txt"; then
    echo "convert/airflow: --to airflow,bogus: exit $rc, $(cat "$work/err.txt" | head -1)"
    fail=1
fi
if ! "$etlport" convert --help | grep -q "airflow alone means airflow,spark"; then
    echo "convert/airflow: the usage does not explain --to airflow"
    fail=1
fi
"$etlport" convert "${inputs[@]}" -o "$work/f" --to airflow 2> "$work/summary.txt"
if ! grep -q "^  workflows converted: [0-9]* (Airflow DAGs: [0-9]*)" "$work/summary.txt"; then
    echo "convert/airflow: the summary has no workflows line"
    fail=1
fi
[ $fail -eq 0 ] && echo "convert/airflow: ok"
exit $fail
