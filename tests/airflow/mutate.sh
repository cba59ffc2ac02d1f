#!/usr/bin/env bash
# dagcheck must notice what it is there to notice: each mutation of a correct DAG (written by
# test_airflow) is one expected failure.
#   mutate.sh TEST_AIRFLOW DAGCHECK
set -u
test_airflow=$1 dagcheck=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$test_airflow" "$work/dags" > /dev/null || exit 1
dag="$work/dags/wf_all_kinds/dag.py"
"$dagcheck" --quiet "$dag" || { echo "mutate: the unmutated DAG fails dagcheck"; exit 1; }
fail=0
mutate() { # name sed-expression
    mkdir -p "$work/$1"
    cp "$work/dags/wf_all_kinds/flow.json" "$work/$1/"
    sed -E "$2" "$dag" > "$work/$1/dag.py"
    if cmp -s "$dag" "$work/$1/dag.py"; then
        echo "mutate: $1 changed nothing (the test is stale)"
        fail=1
    elif "$dagcheck" --quiet "$work/$1/dag.py"; then
        echo "mutate: dagcheck did not notice: $1"
        fail=1
    fi
}
mutate dropped-link 's/^    t_s_m_dim >> t_dec_ok$/    pass/'
mutate wrong-or-rule 's/trigger_rule="one_success"/trigger_rule="all_success"/'
mutate wrong-always-rule '0,/trigger_rule="none_skipped"/s//trigger_rule="all_done"/'
mutate renamed-task 's/task_id="sql_audit"/task_id="sql_audit2"/'
mutate extra-dependency 's/^    t_Start >> t_tmr_wait$/    t_Start >> t_tmr_wait >> t_s_m_rows/'
mutate wrong-operator 's/t_dec_ok = BranchPythonOperator\(/t_dec_ok = PythonOperator(/'
mutate gate-skipped 's/^    t_asg_count >> g_link__asg_count__s_m_mixed >> t_s_m_mixed/    t_asg_count >> t_s_m_mixed/'
mutate wrong-gate-rule 's/trigger_rule="all_failed",/trigger_rule="one_failed",/'
mutate lost-group 's/with TaskGroup\(group_id="wl_post"\)/with TaskGroup(group_id="wl_other")/'
mutate list-dependency 's/^    \[t_ctl_stop, t_cmd_touch\] >> t_wl_post__end__/    t_cmd_touch >> t_wl_post__end__/'
mutate lost-failure-command 's/^    t_s_m_load >> t_s_m_load__failure_command$/    pass/'
mutate session-chain-cut 's/t_s_m_load__pre_sql >> t_s_m_load >> /t_s_m_load__pre_sql >> /'
mutate failure-command-rule '/task_id="s_m_load__failure_command"/{n;s/all_failed/all_done/}'
mutate loop-as-dependency 's/^    t_Start >> t_tmr_wait$/    t_Start >> t_tmr_wait\n    t_s_m_mixed >> t_asg_count/'
mutate syntax-error 's/^    t_Start >> t_tmr_wait$/    t_Start >> >> t_tmr_wait/'
# dagrun.py: what only running the module shows
here=$(cd "$(dirname "$0")" && pwd)
python3 "$here/dagrun.py" --no-artifacts "$dag" > /dev/null || { echo "mutate: the unmutated DAG fails dagrun"; exit 1; }
run_mutate() { # name sed-expression
    mkdir -p "$work/$1"
    cp "$work/dags/wf_all_kinds/flow.json" "$work/$1/"
    sed -E "$2" "$dag" > "$work/$1/dag.py"
    if cmp -s "$dag" "$work/$1/dag.py"; then
        echo "mutate: $1 changed nothing (the test is stale)"
        fail=1
    elif python3 "$here/dagrun.py" --no-artifacts "$work/$1/dag.py" > /dev/null 2>&1; then
        echo "mutate: dagrun did not notice: $1"
        fail=1
    fi
}
run_mutate branch-to-stranger 's/follow = \["sql_audit"\]/follow = ["sql_audit", "s_m_rows"]/'
run_mutate unknown-argument 's/poke_interval=60,/poke_intervall=60,/'
run_mutate bad-template 's/\{\{ params\[.RUN_DATE.\] \}\}/{{ params.RUN_DATE }/'
run_mutate undefined-name 's/^    t_Start >> t_tmr_wait$/    t_Start >> t_tmr_waitt/'
run_mutate unknown-trigger-rule 's/trigger_rule="one_success"/trigger_rule="one_succeeded"/'
run_mutate silent-hole 's/raise AirflowFailException\(f"etlport HOLE/return (f"etlport HOLE/'
run_mutate broken-helper 's/return context\["params"\]\.get\(name\)/return context["params"][name + "_"]/'
[ $fail -eq 0 ] && echo "mutate: dagcheck and dagrun noticed all mutations"
exit $fail
