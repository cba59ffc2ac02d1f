/*
 * test_airflow.c — the Airflow backend on flows built by hand: every task kind and every link
 * kind, sub-flows, disabled tasks, holes, both job targets. Each DAG must be deterministic and
 * compile (python3 -m py_compile, when python3 is there). With an output folder as argument the
 * DAGs and their flow.json are written there as <flow>/dag.py and <flow>/flow.json, for the
 * grammar and structure checks of tests/airflow/CMakeLists.txt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backends/airflow/airflow.h"
#include "core/fsutil.h"
#include "ir/ir_flow.h"
#include "tests/testlib.h"

static const char *out_dir;

static ir_span at(int line)
{
    ir_span s = {"wf_test.XML", line, 5};
    return s;
}

static ir_expr *status_is(ir_flow *f, const char *task, const char *status)
{
    char name[256];
    snprintf(name, sizeof name, "%s.status", task);
    return ir_call2(f->job, IR_FN_EQ, ir_param_ref(f->job, name), ir_lit_str(f->job, status));
}

static ir_expr *decision_is(ir_flow *f, const char *task, bool v)
{
    char name[256];
    snprintf(name, sizeof name, "%s.condition", task);
    return ir_call2(f->job, IR_FN_EQ, ir_param_ref(f->job, name), ir_lit_bool(f->job, v));
}

static void link(ir_flow *f, const char *from, const char *to, ir_expr *cond, const char *text, int line)
{
    int a = ir_flow_task_index(f, from), b = ir_flow_task_index(f, to);
    CHECK(a >= 0 && b >= 0);
    ir_flow_add_edge(f, a, b, cond, text, at(line));
}

/* Every task kind and every link kind in one workflow, with a worklet. */
static ir_flow *all_kinds(void)
{
    ir_flow *f = ir_flow_new(IR_FLOW_WORKFLOW, "wf_all_kinds");
    f->folder = ir_flow_intern(f, "BANK");
    f->format = "informatica";
    f->file = ir_flow_intern(f, "wf_test.XML");
    f->span = at(10);
    f->description = ir_flow_intern(f, "Every task and link kind");
    f->schedule.kind = IR_SCHED_CRON;
    f->schedule.cron = ir_flow_intern(f, "0 2 * * *");
    f->schedule.start = ir_flow_intern(f, "2025-03-01 02:00:00");
    f->schedule.approx = ir_flow_intern(f, "the legacy calendar skips bank holidays");
    f->schedule.text = ir_flow_intern(f, "daily at 02:00 except bank holidays");
    ir_flow_var *v = ir_flow_add_var(f, "RUN_DATE", ir_type_make(IR_TY_STRING, 8, 0));
    v->default_value = ir_flow_intern(f, "20250301");
    v->source = ir_flow_intern(f, "parameter file bank.param [BANK.WF:wf_all_kinds]");
    v->is_param = true;
    v = ir_flow_add_var(f, "LOAD_COUNT", ir_type_make(IR_TY_INT, 0, 0));
    v->default_value = ir_flow_intern(f, "0");
    v->persistent = true;
    ir_flow_add_param_file(f, "bank.param");

    ir_flow_add_task(f, IR_TASK_START, "Start", at(20));
    ir_task *t = ir_flow_add_task(f, IR_TASK_TIMER, "tmr_wait", at(21));
    t->seconds = 1800;
    t->relative_to = "flow";
    t = ir_flow_add_task(f, IR_TASK_JOB, "s_m_load", at(22));
    t->job = ir_flow_intern(f, "m_load");
    t->connection = ir_flow_intern(f, "DWH_ORA");
    t->fail_parent = true;
    t->retries = 2;
    t->retry_delay_s = 300;
    t->timeout_s = 3600;
    ir_task_add_prop(f, t, "pre_session_command", "/opt/bin/check_space.sh STG 80");
    ir_task_add_prop(f, t, "pre_sql", "DELETE FROM STG_CARD WHERE LOAD_DATE = '$$RUN_DATE'");
    ir_task_add_prop(f, t, "post_session_success_command", "/opt/bin/publish.sh $$RUN_DATE $PMWorkflowRunId");
    ir_task_add_prop(f, t, "post_session_failure_command", "/opt/bin/page.sh $PMSourceFileDir");
    ir_task_add_prop(f, t, "post_sql", "ANALYZE TABLE STG_CARD");
    ir_task_add_prop(f, t, "connection:SQ_CARD", "CORE_BANK");
    ir_task_add_prop(f, t, "parameter_file", "bank.param");
    t = ir_flow_add_task(f, IR_TASK_JOB, "s_m_dim", at(23));
    t->job = ir_flow_intern(f, "m_dim");
    t = ir_flow_add_task(f, IR_TASK_DECISION, "dec_ok", at(24));
    t->cond = ir_call2(f->job, IR_FN_AND, status_is(f, "s_m_dim", "SUCCEEDED"),
                       ir_call2(f->job, IR_FN_NE, ir_param_ref(f->job, "RUN_DATE"), ir_lit_str(f->job, "")));
    t->cond_text = ir_flow_intern(f, "$s_m_dim.Status = SUCCEEDED AND $$RUN_DATE != ''");
    t = ir_flow_add_task(f, IR_TASK_COMMAND, "cmd_archive", at(25));
    t->stop_on_error = true;
    ir_task_add_command(f, t, "mkdir", "mkdir -p /data/archive/$$RUN_DATE");
    ir_task_add_command(f, t, "move", "mv /data/in/card_*.dat /data/archive/$$RUN_DATE/ && echo ${#RUN}");
    t = ir_flow_add_task(f, IR_TASK_EMAIL, "eml_failure", at(26));
    t->email_to = ir_flow_intern(f, "ops@example.com");
    t->email_subject = ir_flow_intern(f, "wf_all_kinds failed on $$RUN_DATE");
    t->email_body = ir_flow_intern(f, "See the session log.\nRegards");
    t->join_or = true;
    t = ir_flow_add_task(f, IR_TASK_SQL, "sql_audit", at(27));
    t->sql = ir_flow_intern(f, "INSERT INTO AUDIT_LOG VALUES ('wf_all_kinds', '$$RUN_DATE')");
    t->connection = ir_flow_intern(f, "DWH_ORA");
    t = ir_flow_add_task(f, IR_TASK_EVENT_WAIT, "ew_trigger_file", at(28));
    t->file = ir_flow_intern(f, "/data/in/card_$$RUN_DATE.done");
    t->delete_file = true;
    t = ir_flow_add_task(f, IR_TASK_EVENT_RAISE, "er_dim_ready", at(29));
    t->event = ir_flow_intern(f, "DIM_READY");
    t = ir_flow_add_task(f, IR_TASK_EVENT_WAIT, "ew_dim_ready", at(30));
    t->event = ir_flow_intern(f, "dim_ready");
    t = ir_flow_add_task(f, IR_TASK_EVENT_WAIT, "ew_nobody", at(31));
    t->event = ir_flow_intern(f, "NEVER_RAISED");
    t = ir_flow_add_task(f, IR_TASK_ASSIGNMENT, "asg_count", at(32));
    ir_task_add_assign(f, t, "LOAD_COUNT",
                       ir_call2(f->job, IR_FN_ADD, ir_param_ref(f->job, "LOAD_COUNT"), ir_lit_int(f->job, 1)),
                       "$$LOAD_COUNT + 1");
    t = ir_flow_add_task(f, IR_TASK_TIMER, "tmr_abs", at(33));
    t->at = ir_flow_intern(f, "2025-03-01 06:30:00");
    t = ir_flow_add_task(f, IR_TASK_CONTROL, "ctl_fail", at(34));
    t->control = "fail_top";
    t = ir_flow_add_task(f, IR_TASK_HOLE, "x_custom", at(35));
    t->text = ir_flow_intern(f, "<TASK TYPE=\"Custom\" NAME=\"x_custom\"/>");
    t->hole_reason = ir_flow_intern(f, "custom task type has no canonical form");
    t = ir_flow_add_task(f, IR_TASK_COMMAND, "cmd disabled", at(36));
    t->disabled = true;
    ir_task_add_command(f, t, "c1", "echo never");
    t = ir_flow_add_task(f, IR_TASK_JOB, "s_m_mixed", at(37));
    t->job = ir_flow_intern(f, "m_mixed");
    t = ir_flow_add_task(f, IR_TASK_SUBFLOW, "wl_post", at(38));
    ir_flow *sub = ir_flow_new_sub(f, IR_FLOW_WORKLET, "wl_post_load");
    t->sub = sub;
    sub->span = at(50);
    ir_flow_add_task(sub, IR_TASK_START, "Start", at(51));
    ir_task *st = ir_flow_add_task(sub, IR_TASK_JOB, "s_m_post", at(52));
    st->job = ir_flow_intern(f, "m_post");
    st = ir_flow_add_task(sub, IR_TASK_CONTROL, "ctl_stop", at(53));
    st->control = "stop_parent";
    st = ir_flow_add_task(sub, IR_TASK_COMMAND, "cmd_touch", at(54));
    ir_task_add_command(f, st, "touch", "touch /data/out/post.ok");
    ir_flow_add_edge(sub, 0, 1, NULL, NULL, at(55));
    ir_flow_add_edge(sub, 1, 2, status_is(f, "s_m_post", "FAILED"), "$s_m_post.Status = FAILED", at(56));
    ir_flow_add_edge(sub, 1, 3, status_is(f, "s_m_post", "SUCCEEDED"), "$s_m_post.Status = SUCCEEDED", at(57));
    t = ir_flow_add_task(f, IR_TASK_JOB, "s_m_rows", at(39));
    t->job = ir_flow_intern(f, "m_rows");
    t = ir_flow_add_task(f, IR_TASK_JOB, "s_m_holey", at(40));
    t->job = ir_flow_intern(f, "m_holey");

    link(f, "Start", "tmr_wait", NULL, NULL, 60);                                         /* always */
    link(f, "Start", "ew_trigger_file", NULL, NULL, 61);
    link(f, "tmr_wait", "s_m_load", NULL, NULL, 62);
    link(f, "ew_trigger_file", "s_m_load", NULL, NULL, 63);                               /* AND of two */
    link(f, "s_m_load", "s_m_dim", status_is(f, "s_m_load", "SUCCEEDED"), "$s_m_load.Status = SUCCEEDED", 64);
    link(f, "s_m_load", "eml_failure", status_is(f, "s_m_load", "FAILED"), "$s_m_load.Status = FAILED", 65);
    link(f, "s_m_dim", "dec_ok", NULL, NULL, 66);
    link(f, "s_m_dim", "er_dim_ready", status_is(f, "s_m_dim", "SUCCEEDED"), "$s_m_dim.Status = SUCCEEDED", 67);
    link(f, "dec_ok", "cmd_archive", decision_is(f, "dec_ok", true), "$dec_ok.Condition = TRUE", 68);
    link(f, "dec_ok", "eml_failure", decision_is(f, "dec_ok", false), "$dec_ok.Condition = FALSE", 69); /* OR join */
    link(f, "dec_ok", "sql_audit", NULL, NULL, 70);
    link(f, "Start", "ew_dim_ready", NULL, NULL, 71);
    link(f, "ew_dim_ready", "asg_count", NULL, NULL, 72);
    link(f, "asg_count", "s_m_mixed",
         ir_call2(f->job, IR_FN_GT, ir_param_ref(f->job, "LOAD_COUNT"), ir_lit_int(f->job, 3)),
         "$$LOAD_COUNT > 3", 73);                                                          /* expr */
    link(f, "cmd_archive", "s_m_mixed", NULL, NULL, 74);                                  /* mixed kinds */
    link(f, "sql_audit", "s_m_mixed", status_is(f, "sql_audit", "FAILED"), "$sql_audit.Status = FAILED", 75);
    link(f, "cmd_archive", "wl_post", decision_is(f, "cmd_archive", true), "$cmd_archive.Condition", 76);
    link(f, "dec_ok", "wl_post", decision_is(f, "dec_ok", true), "$dec_ok.Condition = TRUE", 77);
    link(f, "wl_post", "tmr_abs", NULL, NULL, 78);
    link(f, "tmr_abs", "s_m_rows", NULL, NULL, 79);
    ir_expr *rows = ir_call2(f->job, IR_FN_GT, ir_param_ref(f->job, "s_m_rows.tgt_success_rows"), ir_lit_int(f->job, 0));
    link(f, "s_m_rows", "ctl_fail", ir_call1(f->job, IR_FN_NOT, rows), "$s_m_rows.TgtSuccessRows <= 0", 80);
    link(f, "s_m_rows", "s_m_holey", ir_hole(f->job, "$s_m_rows.ErrorMsg LIKE '%ORA-%'", "LIKE on a task attribute"),
         "$s_m_rows.ErrorMsg LIKE '%ORA-%'", 81);
    link(f, "s_m_holey", "x_custom", NULL, NULL, 82);
    link(f, "x_custom", "cmd disabled", NULL, NULL, 83);
    link(f, "ew_nobody", "s_m_holey", NULL, NULL, 84);
    link(f, "Start", "ew_nobody", NULL, NULL, 85);
    link(f, "s_m_mixed", "asg_count",
         ir_call2(f->job, IR_FN_LT, ir_param_ref(f->job, "LOAD_COUNT"), ir_lit_int(f->job, 10)),
         "$$LOAD_COUNT < 10", 86);                                                         /* a loop back */
    return f;
}

/* Only success links and an OR join: no helpers, no gates. */
static ir_flow *simple(void)
{
    ir_flow *f = ir_flow_new(IR_FLOW_WORKFLOW, "wf-simple.v2");
    f->folder = ir_flow_intern(f, "RETAIL");
    f->format = "informatica";
    f->file = ir_flow_intern(f, "wf_simple.XML");
    ir_flow_add_task(f, IR_TASK_START, "Start", at(2));
    ir_task *t = ir_flow_add_task(f, IR_TASK_JOB, "s_a", at(3));
    t->job = ir_flow_intern(f, "m_a");
    t = ir_flow_add_task(f, IR_TASK_JOB, "s_b", at(4));
    t->job = ir_flow_intern(f, "m_b");
    t = ir_flow_add_task(f, IR_TASK_COMMAND, "cmd_done", at(5));
    t->join_or = true;
    ir_task_add_command(f, t, "echo", "echo done");
    link(f, "Start", "s_a", NULL, NULL, 6);
    link(f, "Start", "s_b", NULL, NULL, 7);
    link(f, "s_a", "cmd_done", status_is(f, "s_a", "SUCCEEDED"), "$s_a.Status = SUCCEEDED", 8);
    link(f, "s_b", "cmd_done", status_is(f, "s_b", "SUCCEEDED"), "$s_b.Status = SUCCEEDED", 9);
    return f;
}

static int n_reported;
static void on_hole(void *ud, const ir_hole_info *h)
{
    (void)ud;
    (void)h;
    n_reported++;
}

static const char *job_dir(void *ud, const char *folder, const char *job)
{
    (void)ud;
    if (strcmp(job, "m_dim") == 0)
        return "BANK/m_dim__2";
    (void)folder;
    return NULL;
}

static int emit(const ir_flow *f, const char *target, strbuf *out, be_result *res)
{
    airflow_options opt = {target, job_dir, NULL, on_hole};
    diag_ctx dc;
    diag_init(&dc, NULL, NULL);
    return airflow_emit_flow(f, &opt, out, res, &dc);
}

/* Writes the DAG (and flow.json) under out_dir/<name>/ and py_compiles it. */
static void write_and_compile(const ir_flow *f, const char *name, const strbuf *dag)
{
    char path[1024], dir[900];
    const char *base = out_dir ? out_dir : "/tmp";
    snprintf(dir, sizeof dir, "%s/%s", base, name);
    snprintf(path, sizeof path, "%s/dag.py", dir);
    CHECK(fs_write_atomic(path, dag->data, dag->len) == 0);
    strbuf js = STRBUF_INIT;
    ir_flow_to_json(f, &js);
    snprintf(path, sizeof path, "%s/flow.json", dir);
    CHECK(fs_write_atomic(path, js.data, js.len) == 0);
    sb_free(&js);
    if (system("python3 -c '' 2>/dev/null") == 0) {
        char cmd[2048];
        snprintf(path, sizeof path, "%s/dag.py", dir);
        snprintf(cmd, sizeof cmd, "python3 -c 'import ast,sys; ast.parse(open(sys.argv[1]).read())' '%s'", path);
        if (system(cmd) != 0) {
            fprintf(stderr, "%s does not compile\n", path);
            CHECK(0);
        }
    }
}

static void test_all_kinds(void)
{
    ir_flow *f = all_kinds();
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    be_result ra = {0}, rb = {0};
    n_reported = 0;
    CHECK(emit(f, "spark", &a, &ra) == 0);
    CHECK(emit(f, "spark", &b, &rb) == 0);
    CHECK_STR(sb_cstr(&a), sb_cstr(&b)); /* deterministic */
    const char *s = sb_cstr(&a);
    /* tasks keep their names; the one with a blank is renamed and says so */
    CHECK(strstr(s, "task_id=\"s_m_load\""));
    CHECK(strstr(s, "task_id=\"cmd_disabled\""));
    CHECK(strstr(s, "# task_id \"cmd_disabled\": Airflow allows only"));
    /* operators per kind */
    CHECK(strstr(s, "t_s_m_load = SparkSubmitOperator("));
    CHECK(strstr(s, "application=\"{{ params.etlport_root }}/BANK/m_load/spark.py\""));
    CHECK(strstr(s, "application=\"{{ params.etlport_root }}/BANK/m_dim__2/spark.py\""));
    CHECK(strstr(s, "t_s_m_load__pre_sql = SQLExecuteQueryOperator("));
    CHECK(strstr(s, "\"connection:SQ_CARD\": \"CORE_BANK\""));
    CHECK(strstr(s, "retries=2,"));
    CHECK(strstr(s, "retry_delay=timedelta(seconds=300),"));
    CHECK(strstr(s, "execution_timeout=timedelta(seconds=3600),"));
    CHECK(strstr(s, "t_cmd_archive = BashOperator("));
    CHECK(strstr(s, "\"set -e\\n\""));
    CHECK(strstr(s, "mkdir -p /data/archive/{{ params['RUN_DATE'] }}"));
    CHECK(strstr(s, "echo ${{ '{#' }}RUN}")); /* Jinja markers in legacy text escaped */
    CHECK(strstr(s, "t_dec_ok = BranchPythonOperator("));
    CHECK(strstr(s, "((_status(context, \"s_m_dim\") == \"SUCCEEDED\") and (_var(context, \"RUN_DATE\") != \"\"))"));
    CHECK(strstr(s, "t_eml_failure = EmailOperator("));
    CHECK(strstr(s, "trigger_rule=\"one_success\""));
    CHECK(strstr(s, "t_sql_audit = SQLExecuteQueryOperator("));
    CHECK(strstr(s, "t_tmr_wait = DateTimeSensor("));
    CHECK(strstr(s, "dag_run.start_date + macros.timedelta(seconds=1800)"));
    CHECK(strstr(s, "target_time=\"2025-03-01T06:30:00\""));
    CHECK(strstr(s, "t_ew_trigger_file = FileSensor("));
    CHECK(strstr(s, "t_er_dim_ready >> t_ew_dim_ready"));
    CHECK(strstr(s, "t_asg_count = PythonOperator("));
    CHECK(strstr(s, "Variable.set("));
    CHECK(strstr(s, "python_callable=_control,"));
    CHECK(strstr(s, "# HOLE: custom task type has no canonical form"));
    CHECK(strstr(s, "with TaskGroup(group_id=\"wl_post\") as tg_wl_post:"));
    CHECK(strstr(s, "task_id=\"__end__\""));
    CHECK(strstr(s, "\"stop_parent\", \"wl_post.\""));
    CHECK(strstr(s, "schedule=\"0 2 * * *\""));
    CHECK(strstr(s, "# approximate: the legacy calendar skips bank holidays"));
    CHECK(strstr(s, "start_date=datetime(2025, 3, 1, 2, 0, 0, tzinfo=timezone.utc)"));
    CHECK(strstr(s, "\"RUN_DATE\": Param(\"20250301\""));
    CHECK(strstr(s, "\"LOAD_COUNT\": Param(0, type=[\"null\", \"integer\"]"));
    /* links */
    CHECK(strstr(s, "t_s_m_load__post_command >> t_s_m_dim"));
    CHECK(strstr(s, "t_s_m_load__pre_command >> t_s_m_load__pre_sql >> t_s_m_load >> t_s_m_load__post_sql >> "
                    "t_s_m_load__post_command\n"));
    CHECK(strstr(s, "t_s_m_load >> t_s_m_load__failure_command\n"));
    CHECK(strstr(s, "/opt/bin/publish.sh {{ params['RUN_DATE'] }} {{ run_id }}"));
    CHECK(strstr(s, "/opt/bin/page.sh {{ var.value.get('PMSourceFileDir', '$PMSourceFileDir') }}"));
    CHECK(!strstr(s, "\"pre_session_command\":")); /* a task, not a setting */
    CHECK(strstr(s, "t_Start >> t_tmr_wait"));
    CHECK(strstr(s, "trigger_rule=\"none_skipped\""));
    CHECK(strstr(s, "t_asg_count >> g_link__asg_count__s_m_mixed >> t_s_m_mixed"));
    CHECK(strstr(s, "t_sql_audit >> g_link__sql_audit__s_m_mixed >> t_s_m_mixed"));
    CHECK(strstr(s, "t_dec_ok >> g_link__dec_ok__eml_failure >> t_eml_failure"));
    CHECK(strstr(s, "t_dec_ok >> g_link__dec_ok__wl_post >> tg_wl_post"));
    CHECK(strstr(s, "tg_wl_post >> t_tmr_abs"));
    CHECK(strstr(s, "[t_ctl_stop, t_cmd_touch] >> t_wl_post__end__"));
    /* holes: the HOLE task and the hole link (IR holes), the row-count link, the event nobody
       raises and the loop (no Airflow form, reported); a command's "condition" is read from XCom */
    CHECK(strstr(s, "if not ((_decision(context, \"cmd_archive\") == True)):"));
    CHECK(strstr(s, "s_m_mixed -> asg_count: expr ($$LOAD_COUNT < 10)\n"
                    "    # HOLE: this link loops back; an Airflow DAG has no cycles, so it is not a dependency\n"));
    CHECK(!strstr(s, "t_s_m_mixed >> t_asg_count"));
    CHECK(ra.holes == 5);
    CHECK(ra.unsupported == 3);
    CHECK(n_reported == 2 * 3);
    CHECK(ir_flow_holes(f, NULL, NULL) == 2);
    write_and_compile(f, "wf_all_kinds", &a);

    strbuf c = STRBUF_INIT;
    be_result rc = {0};
    CHECK(emit(f, "snowflake", &c, &rc) == 0);
    CHECK(strstr(sb_cstr(&c), "sql=\"BANK/m_load/snowflake.sql\""));
    CHECK(!strstr(sb_cstr(&c), "SparkSubmitOperator"));
    write_and_compile(f, "wf_all_kinds_snowflake", &c);
    sb_free(&a);
    sb_free(&b);
    sb_free(&c);
    ir_flow_free(f);
}

static void test_simple(void)
{
    ir_flow *f = simple();
    strbuf a = STRBUF_INIT;
    be_result r = {0};
    CHECK(emit(f, NULL, &a, &r) == 0);
    const char *s = sb_cstr(&a);
    CHECK(strstr(s, "dag_id=\"wf-simple_v2\""));
    CHECK(strstr(s, "# dag_id: characters Airflow does not allow"));
    CHECK(strstr(s, "schedule=None"));
    CHECK(strstr(s, "start_date=datetime(2024, 1, 1, 0, 0, 0, tzinfo=timezone.utc)"));
    CHECK(strstr(s, "trigger_rule=\"one_success\""));
    CHECK(!strstr(s, "_status"));
    CHECK(!strstr(s, "link__"));
    CHECK(r.holes == 0);
    write_and_compile(f, "wf_simple", &a);
    sb_free(&a);
    ir_flow_free(f);
}

static void quiet_sink(void *ud, const diag *d)
{
    (void)ud;
    (void)d;
}

/* An Ab Initio plan: ${NAME} and $NAME of its parameters are DAG params; other $NAMEs stay. */
static void test_shell_vars(void)
{
    ir_flow *f = ir_flow_new(IR_FLOW_PLAN, "p_daily");
    f->format = "abinitio";
    ir_flow_var *v = ir_flow_add_var(f, "RUN_DATE", ir_type_make(IR_TY_STRING, 0, 0));
    v->is_param = true;
    ir_task *t = ir_flow_add_task(f, IR_TASK_COMMAND, "publish", at(3));
    ir_task_add_command(f, t, "publish", "run.sh ${RUN_DATE} $RUN_DATE $AI_SERIAL ${OTHER} $$RUN_DATE");
    strbuf a = STRBUF_INIT;
    be_result r = {0};
    CHECK(emit(f, NULL, &a, &r) == 0);
    CHECK(strstr(sb_cstr(&a), "run.sh {{ params['RUN_DATE'] }} {{ params['RUN_DATE'] }} $AI_SERIAL ${OTHER} "
                              "{{ params['RUN_DATE'] }}\\n"));
    write_and_compile(f, "p_daily", &a);
    sb_free(&a);
    ir_flow_free(f);
}

/* Text that is not UTF-8 (a Latin-1 script) still makes a module that compiles. */
static void test_latin1(void)
{
    ir_flow *f = ir_flow_new(IR_FLOW_SCRIPT, "script_latin1");
    f->format = "sql";
    ir_task *t = ir_flow_add_task(f, IR_TASK_COMMAND, "cmd", at(1));
    t->description = ir_flow_intern(f, "Carga de produ\xe7\xe3o");
    ir_task_add_command(f, t, "echo", "echo 'Produ\xe7\xe3o'");
    t = ir_flow_add_task(f, IR_TASK_SQL, "sql", at(2));
    t->sql = ir_flow_intern(f, "UPDATE t SET c = 'S\xe3o Paulo'");
    strbuf a = STRBUF_INIT;
    be_result r = {0};
    CHECK(emit(f, NULL, &a, &r) == 0);
    CHECK(strstr(sb_cstr(&a), "echo 'Produ\xc3\xa7\xc3\xa3o'"));
    CHECK(strstr(sb_cstr(&a), "# Carga de produ??o"));
    CHECK(strstr(sb_cstr(&a), "S\xc3\xa3o Paulo"));
    write_and_compile(f, "script_latin1", &a);
    sb_free(&a);
    ir_flow_free(f);
}

static void test_bad_edge(void)
{
    ir_flow *f = ir_flow_new(IR_FLOW_WORKFLOW, "wf_bad");
    ir_flow_add_task(f, IR_TASK_START, "Start", at(1));
    ir_flow_add_edge(f, 0, 3, NULL, NULL, at(2));
    strbuf a = STRBUF_INIT;
    diag_ctx dc;
    diag_init(&dc, quiet_sink, NULL);
    CHECK(airflow_emit_flow(f, NULL, &a, NULL, &dc) == -1);
    CHECK(dc.n_errors == 1);
    sb_free(&a);
    ir_flow_free(f);
}

int main(int argc, char **argv)
{
    out_dir = argc > 1 ? argv[1] : NULL;
    char tmp[] = "/tmp/test_airflow.XXXXXX";
    if (!out_dir)
        out_dir = mkdtemp(tmp);
    RUN(test_all_kinds);
    RUN(test_simple);
    RUN(test_shell_vars);
    RUN(test_latin1);
    RUN(test_bad_edge);
    return TEST_SUMMARY();
}
