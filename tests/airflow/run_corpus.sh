#!/usr/bin/env bash
# Converts workflows with --to TARGETS and checks every DAG written: python3 -m py_compile,
# dagcheck (tree-sitter Python grammar + structure against flow.json, docs/airflow.md), and
# dagrun.py (the module runs against stand-ins for Airflow, its templates render, its callables
# behave; for the project's own corpus also: every job and SQL file it names was written).
#   run_corpus.sh ETLPORT DAGCHECK SRC SHARED_CORPUS TARGETS
# Inputs: (a) every Informatica export under SHARED_CORPUS/informatica that holds a <WORKFLOW
# (read in place, never copied), (b) the project's own corpus/informatica (workflows and the
# mappings they run, with its parameter files). Every legacy workflow must become a DAG; for the
# project's own corpus every job a DAG runs must have been written by the same run.
set -u
etlport=$1 dagcheck=$2 src=$(cd "$3" && pwd) shared=$4 targets=$5
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

check_run() { # name outdir [--no-artifacts]
    local name=$1 out=$2 artifacts=${3:-}
    local n_flows n_dags
    n_flows=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r.get("flows", [])))' "$out/report.json")
    n_dags=$(find "$out" -name dag.py | wc -l)
    echo "airflow corpus ($name, --to $targets): $n_flows workflows, $n_dags DAGs"
    if [ "$n_flows" -ne "$n_dags" ]; then
        echo "airflow corpus ($name): $n_flows workflows but $n_dags DAGs"
        fail=1
    fi
    while IFS= read -r dag; do
        if ! python3 -m py_compile "$dag" 2> "$work/pyc.txt"; then
            echo "airflow corpus ($name): $dag does not compile:"
            cat "$work/pyc.txt"
            fail=1
        fi
    done < <(find "$out" -name dag.py | LC_ALL=C sort)
    if [ "$n_dags" -gt 0 ]; then
        find "$out" -name dag.py -print0 | LC_ALL=C sort -z | xargs -0 "$dagcheck" || fail=1
        find "$out" -name dag.py -print0 | LC_ALL=C sort -z | xargs -0 python3 "$here/dagrun.py" $artifacts || fail=1
    fi
}

# (a) the shared corpus, read in place
if [ -d "$shared/informatica" ]; then
    mapfile -t wf < <(grep -rl "<WORKFLOW " "$shared/informatica" | LC_ALL=C sort)
    if [ ${#wf[@]} -gt 0 ]; then
        "$etlport" convert "${wf[@]}" -o "$work/shared" --to "$targets" --quiet 2> "$work/shared.err"
        rc=$?
        if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
            echo "airflow corpus (shared): etlport convert exited $rc"
            cat "$work/shared.err"
            fail=1
        fi
        # exports there often hold a workflow without its mappings (report: jobs_not_converted)
        check_run shared "$work/shared" --no-artifacts
    fi
    # Ab Initio plans and wrapper scripts, SQL scripts and BTEQ flow (docs/flows-abinitio-sql.md)
    for kind in abinitio sql; do
        [ -d "$shared/$kind" ] || continue
        "$etlport" convert "$shared/$kind" -o "$work/shared_$kind" --to "$targets" --quiet 2> "$work/shared_$kind.err"
        rc=$?
        if [ $rc -gt 1 ]; then
            echo "airflow corpus (shared $kind): etlport convert exited $rc"
            tail -5 "$work/shared_$kind.err"
            fail=1
        fi
        check_run "shared $kind" "$work/shared_$kind"
    done
else
    echo "airflow corpus: no shared corpus at $shared (skipped)"
fi

# (b) the project's own samples: workflows and the mappings they run
inputs=()
while IFS= read -r f; do inputs+=("$f"); done < <(cd "$src" && find corpus/informatica -type f \( -name '*.XML' -o -name '*.xml' \) -not -path '*/broken/*' | LC_ALL=C sort)
params=()
while IFS= read -r f; do params+=(--params "$f"); done < <(cd "$src" && find corpus/informatica/params -type f -name '*.param' | LC_ALL=C sort)
(cd "$src" && "$etlport" convert "${inputs[@]}" "${params[@]}" -o "$work/own" --to "$targets" --quiet)
rc=$?
if [ $rc -ne 0 ]; then
    echo "airflow corpus (own): etlport convert exited $rc (expected 0)"
    fail=1
fi
check_run own "$work/own"

# (c) the project's own Ab Initio sandbox (plans, wrapper scripts) and SQL scripts
for kind in abinitio sql; do
    (cd "$src" && "$etlport" convert "corpus/$kind" -o "$work/own_$kind" --to "$targets" --quiet 2> "$work/own_$kind.err")
    rc=$?
    if [ $rc -gt 1 ]; then
        echo "airflow corpus (own $kind): etlport convert exited $rc"
        tail -5 "$work/own_$kind.err"
        fail=1
    fi
    check_run "own $kind" "$work/own_$kind"
done
[ $fail -eq 0 ] && echo "airflow corpus: ok"
exit $fail
