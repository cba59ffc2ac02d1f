/*
 * test_spark_proc.c — procedural units (ir/ir_unit.h) as PySpark driver modules (spark_proc.c),
 * units built by hand: the exact text of run() for each step kind, holes counted, output
 * deterministic, and `python3 -m py_compile` on every module (skipped when python3 is missing).
 * SQL statements print through sparksql_stmt, so their text is taken from it.
 *
 * With ETLPORT_SPARK_DUMP set, every module is also written there (the grammar check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/backend.h"
#include "backends/spark/sparksql.h"
#include "ir/ir_unit.h"
#include "tests/testlib.h"

extern const backend spark_backend;

static int have_python = -1;

static int py_compiles(const char *text)
{
    if (have_python < 0)
        have_python = system("python3 -c 'pass' >/dev/null 2>&1") == 0;
    if (!have_python)
        return 1;
    char path[] = "/tmp/etlport_sparkproc_XXXXXX.py";
    int fd = mkstemps(path, 3);
    if (fd < 0)
        return 0;
    size_t len = strlen(text);
    int ok = write(fd, text, len) == (ssize_t)len;
    close(fd);
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import ast,sys; ast.parse(open(sys.argv[1]).read())' %s && "
             "python3 -m py_compile %s",
             path, path);
    ok = ok && system(cmd) == 0;
    if (!ok)
        fprintf(stderr, "--- module that does not compile (%s) ---\n%s\n", path, text);
    else
        unlink(path);
    return ok;
}

static ir_span at(int line)
{
    ir_span s = {"proc.sql", line, 1};
    return s;
}

static ir_pstmt *step(ir_unit *u, ir_pblock *b, ir_pstmt_kind k, int line, const char *text)
{
    ir_pstmt *s = ir_pstmt_new(u, k, at(line), text);
    ir_pblock_add(u, b, s);
    return s;
}

static ir_pblock *body(ir_unit *u)
{
    return ir_pstmt_body(u, &u->body);
}

static ir_expr *var(ir_unit *u, const char *name)
{
    return ir_param_ref(u->job, name);
}

static ir_expr *col(ir_unit *u, const char *name)
{
    return ir_ref(u->job, 0, name);
}

static ir_stmt *select_from(ir_unit *u, const char *table, ir_expr *item, ir_expr *where)
{
    ir_stmt *st = ir_stmt_new(u->job, IR_ST_QUERY);
    ir_query *q = ir_query_new(u->job, IR_Q_SELECT);
    q->items = arena_alloc(u->job->arena, sizeof *q->items);
    q->items[0].expr = item;
    q->n_items = 1;
    q->from = arena_alloc(u->job->arena, sizeof *q->from);
    q->from[0] = ir_from_new(u->job, IR_FROM_TABLE);
    q->from[0]->name = table;
    q->n_from = 1;
    q->where = where;
    st->query = q;
    return st;
}

static ir_stmt *insert_select(ir_unit *u, const char *target, const char *source, const char *c, ir_expr *where)
{
    ir_stmt *ins = ir_stmt_new(u->job, IR_ST_INSERT);
    ins->target = target;
    ins->cols = arena_alloc(u->job->arena, sizeof *ins->cols);
    ins->cols[0] = c;
    ins->n_cols = 1;
    ins->query = select_from(u, source, col(u, c), where)->query;
    return ins;
}

/* The statement's Spark SQL as the emitter embeds it: each line indented by indent. */
static char *stmt_text(ir_unit *u, const ir_stmt *st, int indent)
{
    strbuf raw = STRBUF_INIT, out = STRBUF_INIT;
    sparksql_stmt(&raw, u->job, st, 1, "proc.sql:1", NULL, NULL);
    const char *p = sb_cstr(&raw);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        sb_indent(&out, indent);
        sb_putn(&out, p, n);
        if (!nl)
            break;
        sb_putc(&out, '\n');
        p = nl + 1;
    }
    sb_free(&raw);
    return sb_take(&out);
}

static char *emit(const ir_unit *u, be_result *res)
{
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    be_result r1 = {0, 0}, r2 = {0, 0};
    CHECK(spark_backend.emit_unit != NULL);
    CHECK(spark_backend.emit_unit(u, NULL, &a, &r1, NULL) == 0);
    CHECK(spark_backend.emit_unit(u, NULL, &b, &r2, NULL) == 0);
    CHECK_STR(sb_cstr(&a), sb_cstr(&b));
    CHECK(r1.holes == r2.holes);
    CHECK(py_compiles(sb_cstr(&a)));
    const char *dir = getenv("ETLPORT_SPARK_DUMP");
    if (dir) {
        char path[1024];
        snprintf(path, sizeof path, "%s/proc_%s.py", dir, u->name);
        FILE *f = fopen(path, "wb");
        if (f) {
            fputs(sb_cstr(&a), f);
            fclose(f);
        }
    }
    if (res)
        *res = r1;
    sb_free(&b);
    return sb_take(&a);
}

/* The statements of run() after its docstring. */
static char *run_body(const char *text)
{
    const char *a = strstr(text, "\ndef run(");
    if (!a)
        return strdup("");
    a = strstr(a, "\"\"\"Runs ");
    a = a ? strchr(a, '\n') : NULL;
    if (!a)
        return strdup("");
    a += 1;
    const char *b = strstr(a, "\n\n\ndef _params_from_argv");
    if (!b)
        b = a + strlen(a);
    else
        b++;
    return strndup(a, (size_t)(b - a));
}

/* ---- tests ---- */

static void test_params_and_out(void)
{
    ir_unit *u = ir_unit_new(IR_UNIT_PROCEDURE, "pkg_month_end.close_month");
    u->dialect = "oracle";
    u->file = "proc.sql";
    u->span = at(10);
    ir_unit_add_param(u, "p_run_date", IR_PARAM_IN, ir_type_make(IR_TY_DATE, 0, 0));
    ir_unit_param *br = ir_unit_add_param(u, "p_branch", IR_PARAM_IN, ir_type_make(IR_TY_STRING, 10, 0));
    br->default_value = ir_lit_str(u->job, "ALL");
    ir_unit_add_param(u, "p_rows", IR_PARAM_OUT, ir_type_make(IR_TY_DECIMAL, 12, 0));
    ir_pstmt *a = step(u, body(u), IR_PS_ASSIGN, 12, "p_rows := 0;");
    a->target = "p_rows";
    a->value = ir_lit_int(u->job, 0);
    char *out = emit(u, NULL);
    char *b = run_body(out);
    CHECK_STR(b, "    p_run_date = params.get(\"p_run_date\")\n"
                 "    p_branch = params.get(\"p_branch\", \"ALL\")\n"
                 "    p_rows = None  # OUT parameter: returned by run()\n"
                 "\n"
                 "    def _out():\n"
                 "        return {\"p_rows\": p_rows}\n"
                 "\n"
                 "    p_rows = 0\n"
                 "    return _out()\n");
    CHECK(strstr(out, "\"\"\"Generated by etlport (PySpark driver) from procedure pkg_month_end.close_month.\n\n"
                      "Legacy: oracle, proc.sql:10\nHoles: 0\n") == out);
    CHECK(strstr(out, "OUT parameters are returned by run() as a dict.\n") != NULL);
    free(b);
    free(out);
    ir_unit_free(u);
}

static void test_control_flow(void)
{
    ir_unit *u = ir_unit_new(IR_UNIT_PROCEDURE, "flow");
    u->dialect = "oracle";
    ir_job *j = u->job;
    ir_var *v = ir_pstmt_add_var(u, &u->body, "v_n", IR_VAR_SCALAR);
    v->type = ir_type_make(IR_TY_INT, 0, 0);
    v->init = ir_lit_int(j, 0);

    ir_pstmt *iff = step(u, body(u), IR_PS_IF, 20, "IF v_n > 5 THEN ...");
    ir_pstmt *s = step(u, ir_pstmt_add_branch(u, iff, ir_call2(j, IR_FN_GT, var(u, "v_n"), ir_lit_int(j, 5))),
                       IR_PS_ASSIGN, 21, "v_n := 5;");
    s->target = "v_n";
    s->value = ir_lit_int(j, 5);
    step(u, ir_pstmt_add_branch(u, iff, ir_call2(j, IR_FN_LT, var(u, "v_n"), ir_lit_int(j, 0))), IR_PS_COMMIT, 23,
         "COMMIT;");
    step(u, ir_pstmt_add_branch(u, iff, NULL), IR_PS_PRINT, 25, "PRINT 'ok'")->value = ir_lit_str(j, "ok");

    ir_pstmt *w = step(u, body(u), IR_PS_WHILE, 27, "WHILE v_n < 10 LOOP");
    ir_pblock *wb = ir_pstmt_body(u, w);
    w->conds = arena_alloc(j->arena, sizeof *w->conds);
    w->conds[0] = ir_call2(j, IR_FN_LT, var(u, "v_n"), ir_lit_int(j, 10));
    w->n_conds = 1;
    s = step(u, wb, IR_PS_ASSIGN, 28, "v_n := v_n + 1;");
    s->target = "v_n";
    s->value = ir_call2(j, IR_FN_ADD, var(u, "v_n"), ir_lit_int(j, 1));
    ir_pstmt *cont = step(u, wb, IR_PS_CONTINUE, 29, "CONTINUE WHEN v_n = 3;");
    cont->conds = arena_alloc(j->arena, sizeof *cont->conds);
    cont->conds[0] = ir_call2(j, IR_FN_EQ, var(u, "v_n"), ir_lit_int(j, 3));
    cont->n_conds = 1;

    ir_pstmt *lp = step(u, body(u), IR_PS_LOOP, 31, "LOOP");
    step(u, ir_pstmt_body(u, lp), IR_PS_EXIT, 32, "EXIT;");
    ir_pstmt *fr = step(u, body(u), IR_PS_FOR_RANGE, 34, "FOR i IN REVERSE 1..v_n LOOP");
    fr->loop_var = "i";
    fr->lo = ir_lit_int(j, 1);
    fr->hi = var(u, "v_n");
    fr->reverse = true;
    ir_pstmt *ex = step(u, ir_pstmt_body(u, fr), IR_PS_EXIT, 35, "EXIT outer;");
    ex->name = "outer";
    step(u, body(u), IR_PS_RETURN, 37, "RETURN v_n * 2;")->value =
        ir_call2(j, IR_FN_MUL, var(u, "v_n"), ir_lit_int(j, 2));

    be_result res;
    char *out = emit(u, &res);
    char *b = run_body(out);
    CHECK_STR(b, "    v_n = 0\n"
                 "    if _scalar(spark, \"SELECT :v_n > 5\", {\"v_n\": v_n}):\n"
                 "        v_n = 5\n"
                 "    elif _scalar(spark, \"SELECT :v_n < 0\", {\"v_n\": v_n}):\n"
                 "        # COMMIT: Spark has no transactions; each statement above already committed on its own "
                 "(Delta: one atomic commit per statement)\n"
                 "        pass\n"
                 "    else:\n"
                 "        print(\"ok\", flush=True)\n"
                 "    while _scalar(spark, \"SELECT :v_n < 10\", {\"v_n\": v_n}):\n"
                 "        v_n = _scalar(spark, \"SELECT :v_n + 1\", {\"v_n\": v_n})\n"
                 "        if _scalar(spark, \"SELECT :v_n = 3\", {\"v_n\": v_n}):\n"
                 "            continue\n"
                 "    while True:\n"
                 "        break\n"
                 "    for i in range(int(v_n), 1 - 1, -1):\n"
                 "        # ETLPORT HOLE proc.sql:35: EXIT/CONTINUE of an outer labelled loop: Python leaves only the "
                 "innermost loop (use a flag)\n"
                 "        # | EXIT outer;\n"
                 "        _etlport_hole(\"procedural\", \"proc.sql:35\", \"EXIT outer;\")\n"
                 "    return _scalar(spark, \"SELECT :v_n * 2\", {\"v_n\": v_n})\n");
    CHECK(res.holes == 1);
    CHECK(strstr(out, "Holes: 1 (calls to _etlport_hole below raise NotImplementedError when reached)\n") != NULL);
    free(b);
    free(out);
    ir_unit_free(u);
}

static void test_sql_cursors_errors(void)
{
    ir_unit *u = ir_unit_new(IR_UNIT_PROCEDURE, "dbo.load_customers");
    u->dialect = "tsql";
    ir_job *j = u->job;
    ir_unit_add_param(u, "load_date", IR_PARAM_IN, ir_type_make(IR_TY_DATE, 0, 0));
    ir_var *cnt = ir_pstmt_add_var(u, &u->body, "cnt", IR_VAR_SCALAR);
    cnt->type = ir_type_make(IR_TY_INT, 0, 0);
    ir_pstmt_add_var(u, &u->body, "e_empty", IR_VAR_EXCEPTION);
    ir_var *c1 = ir_pstmt_add_var(u, &u->body, "c_new", IR_VAR_CURSOR);
    c1->query = select_from(u, "stg.customer", col(u, "cust_id"),
                            ir_call2(j, IR_FN_EQ, col(u, "load_dt"), var(u, "load_date")));

    step(u, body(u), IR_PS_BEGIN_TXN, 13, "BEGIN TRAN;");
    ir_stmt *ins = insert_select(u, "dw.customer", "stg.customer", "cust_id",
                                 ir_call2(j, IR_FN_EQ, col(u, "load_dt"), var(u, "load_date")));
    ir_pstmt *s1 = step(u, body(u), IR_PS_SQL, 14, "INSERT INTO dw.customer (cust_id) SELECT ...");
    s1->stmt = ins;
    ir_stmt *sel = select_from(u, "dw.customer", ir_call(j, IR_FN_COUNT_STAR, 0, 0, NULL), NULL);
    ir_pstmt *s2 = step(u, body(u), IR_PS_SQL, 16, "SELECT @cnt = COUNT(*) FROM dw.customer;");
    s2->stmt = sel;
    ir_pstmt_add_into(u, s2, "cnt");
    ir_pstmt *r = step(u, body(u), IR_PS_RAISE, 17, "RAISE e_empty;");
    r->name = "e_empty";
    ir_pstmt *f = step(u, body(u), IR_PS_FOR_QUERY, 18, "FOR r IN c_new LOOP");
    f->loop_var = "r";
    f->cursor = "c_new";
    ir_pstmt *call = step(u, ir_pstmt_body(u, f), IR_PS_CALL, 19, "EXEC dbo.touch @id = r.cust_id;");
    call->name = "dbo.touch";
    ir_pstmt_add_arg(u, call, var(u, "r.cust_id"));
    step(u, body(u), IR_PS_EXEC, 20, "EXEC(@sql);")->value = var(u, "sql");
    step(u, body(u), IR_PS_COMMIT, 21, "COMMIT;");

    ir_handler *h1 = ir_pstmt_add_handler(u, &u->body);
    ir_handler_add_condition(u, h1, "E_EMPTY");
    step(u, &h1->body, IR_PS_RETURN, 23, "RETURN;");
    ir_handler *h2 = ir_pstmt_add_handler(u, &u->body);
    step(u, &h2->body, IR_PS_ROLLBACK, 25, "ROLLBACK;");
    step(u, &h2->body, IR_PS_PRINT, 26, "PRINT ERROR_MESSAGE();")->value = var(u, "SQLERRM");
    step(u, &h2->body, IR_PS_RAISE, 27, "THROW;");

    be_result res;
    char *out = emit(u, &res);
    char *b = run_body(out);
    char *q1 = stmt_text(u, ins, 12), *q2 = stmt_text(u, sel, 12), *q3 = stmt_text(u, c1->query, 12);
    strbuf want = STRBUF_INIT;
    sb_printf(&want,
              "    load_date = params.get(\"load_date\")\n"
              "    cnt = None\n"
              "    # exception e_empty: raised as ETLPortError with this name in upper case\n"
              "    # cursor c_new: its query runs where it is opened or looped over\n"
              "    try:\n"
              "        # BEGIN TRANSACTION: Spark has no transactions; each statement commits on its own (Delta: one "
              "atomic commit per statement)\n"
              "        # proc.sql:14: INSERT INTO dw.customer (cust_id) SELECT ...\n"
              "        spark.sql(\"\"\"\n%s\n"
              "            \"\"\", args={\"load_date\": load_date})\n"
              "        # proc.sql:16: SELECT @cnt = COUNT(*) FROM dw.customer;\n"
              "        cnt, = _select_into(spark, \"\"\"\n%s\n"
              "            \"\"\")\n"
              "        raise ETLPortError(\"E_EMPTY\", None, \"e_empty\")\n"
              "        # proc.sql:18: FOR r IN c_new LOOP\n"
              "        # ETLPORT ROW-BY-ROW: one iteration per row of c_new, on the driver; the rows stream to the "
              "driver one partition at a time (toLocalIterator). A set-based rewrite is faster where the body "
              "allows it.\n"
              "        for r in spark.sql(\"\"\"\n%s\n"
              "            \"\"\", args={\"load_date\": load_date}).toLocalIterator():\n"
              "            # proc.sql:19: EXEC dbo.touch @id = r.cust_id;\n"
              "            _call_procedure(spark, \"dbo.touch\", [r[\"cust_id\"]])\n"
              "        # ETLPORT HOLE proc.sql:20: dynamic SQL: the statement text is built at run time in the legacy "
              "dialect (tsql) and is not translated\n"
              "        # | EXEC(@sql);\n"
              "        _etlport_hole(\"dynamic sql\", \"proc.sql:20\", \"EXEC(@sql);\")\n"
              "        # COMMIT: Spark has no transactions; each statement above already committed on its own "
              "(Delta: one atomic commit per statement)\n"
              "    except Exception as _err:\n"
              "        sqlcode, sqlerrm, sqlstate = _error_info(_err)\n"
              "        if _is(_err, \"E_EMPTY\"):\n"
              "            return\n"
              "        else:\n"
              "            # ETLPORT NOTE: ROLLBACK: Spark has no transactions; statements that already ran stay "
              "committed (Delta: RESTORE TABLE ... TO VERSION AS OF undoes them by hand)\n"
              "            print(sqlerrm, flush=True)\n"
              "            raise\n",
              q1, q2, q3);
    CHECK_STR(b, sb_cstr(&want));
    CHECK(res.holes == 1);
    CHECK(strstr(out, "\ndef _select_into(spark, sql, args=None):\n") != NULL);
    CHECK(strstr(out, "\nPROCEDURES = {}\n") != NULL);
    sb_free(&want);
    free(q1);
    free(q2);
    free(q3);
    free(b);
    free(out);
    ir_unit_free(u);
}

static void test_bteq_script(void)
{
    ir_unit *u = ir_unit_new(IR_UNIT_SCRIPT, "daily_balance");
    u->dialect = "teradata";
    ir_job *j = u->job;
    ir_stmt *ins = insert_select(u, "dw.balance", "stg.balance", "acct_id", NULL);
    step(u, body(u), IR_PS_SQL, 3, "INSERT INTO dw.balance SELECT * FROM stg.balance;")->stmt = ins;
    ir_pstmt *g1 = step(u, body(u), IR_PS_GOTO, 4, ".IF ACTIVITYCOUNT = 0 THEN .GOTO NODATA");
    g1->name = "NODATA";
    g1->conds = arena_alloc(j->arena, sizeof *g1->conds);
    g1->conds[0] = ir_call2(j, IR_FN_EQ, var(u, "ACTIVITYCOUNT"), ir_lit_int(j, 0));
    g1->n_conds = 1;
    step(u, body(u), IR_PS_QUIT, 5, ".QUIT 0")->value = ir_lit_int(j, 0);
    step(u, body(u), IR_PS_LABEL, 6, ".LABEL NODATA")->name = "NODATA";
    step(u, body(u), IR_PS_QUIT, 7, ".QUIT 4")->value = ir_lit_int(j, 4);
    step(u, body(u), IR_PS_COMMAND, 8, ".SET WIDTH 200");
    ir_pstmt *h = step(u, body(u), IR_PS_HOLE, 9, ".EXPORT FILE = out.txt");
    h->hole_reason = "BTEQ .EXPORT writes a client file";

    be_result res;
    char *out = emit(u, &res);
    char *b = run_body(out);
    strbuf want = STRBUF_INIT;
    /* the statement sits at depth 1: its lines are indented by 8 */
    char *q1b = stmt_text(u, ins, 8);
    sb_clear(&want);
    sb_printf(&want,
              "    activitycount = None  # BTEQ's ACTIVITYCOUNT: rows the last DML changed\n"
              "    # proc.sql:3: INSERT INTO dw.balance SELECT * FROM stg.balance;\n"
              "    activitycount = _rows_affected(spark.sql(\"\"\"\n%s\n"
              "        \"\"\"))\n"
              "    # .IF ACTIVITYCOUNT = 0 THEN .GOTO NODATA: a jump to NODATA, which ends the script: that section, "
              "written here\n"
              "    if _scalar(spark, \"SELECT :ACTIVITYCOUNT = 0\", {\"ACTIVITYCOUNT\": activitycount}):\n"
              "        return 4  # .QUIT: the script's return code\n"
              "    return 0  # .QUIT: the script's return code\n"
              "    # label NODATA\n"
              "    return 4  # .QUIT: the script's return code\n"
              "    # client command, no effect on data: .SET WIDTH 200\n"
              "    # ETLPORT HOLE proc.sql:9: BTEQ .EXPORT writes a client file\n"
              "    # | .EXPORT FILE = out.txt\n"
              "    _etlport_hole(\"procedural\", \"proc.sql:9\", \".EXPORT FILE = out.txt\")\n",
              q1b);
    CHECK_STR(b, sb_cstr(&want));
    CHECK(strstr(out, "    sys.exit(int(_result or 0))\n") != NULL);
    CHECK(res.holes == 1);
    sb_free(&want);
    free(q1b);
    free(b);
    free(out);
    ir_unit_free(u);
}

/* BTEQ's error checks that all jump to one error-exit section become a try/except around the script. */
static void test_bteq_error_exit(void)
{
    ir_unit *u = ir_unit_new(IR_UNIT_SCRIPT, "nightly");
    u->dialect = "teradata";
    ir_job *j = u->job;
    step(u, body(u), IR_PS_SQL, 2, "DELETE FROM dw.t;")->stmt = insert_select(u, "dw.t", "stg.t", "id", NULL);
    ir_pstmt *iff = step(u, body(u), IR_PS_IF, 3, ".IF ERRORCODE <> 0 THEN .GOTO ERR");
    step(u, ir_pstmt_add_branch(u, iff, ir_call2(j, IR_FN_NE, var(u, "ERRORCODE"), ir_lit_int(j, 0))), IR_PS_GOTO, 3,
         ".GOTO ERR")->name = "ERR";
    step(u, body(u), IR_PS_QUIT, 4, ".QUIT 0")->value = ir_lit_int(j, 0);
    step(u, body(u), IR_PS_LABEL, 5, ".LABEL ERR")->name = "ERR";
    step(u, body(u), IR_PS_QUIT, 6, ".QUIT 8")->value = ir_lit_int(j, 8);
    char *out = emit(u, NULL);
    char *b = run_body(out);
    CHECK(strstr(b, "    errorcode = 0  # BTEQ's ERRORCODE: a failing statement raises here instead\n    try:\n") == b);
    CHECK(strstr(b, "        # .IF ERRORCODE <> 0 THEN .GOTO ERR: a failing statement raises instead; the except block "
                    "at the end runs ERR\n"
                    "        return 0  # .QUIT: the script's return code\n"
                    "        # label ERR\n") != NULL);
    CHECK(strstr(b, "    except Exception as _err:\n"
                    "        # ETLPORT NOTE: BTEQ's .IF ERRORCODE <> 0 THEN .GOTO ERR: any failing statement runs that "
                    "section (also one the script did not check)\n"
                    "        print(f\"etlport: {_err}\", file=sys.stderr, flush=True)\n"
                    "        return 8  # .QUIT: the script's return code\n") != NULL);
    free(b);
    free(out);
    ir_unit_free(u);
}

int main(void)
{
    RUN(test_params_and_out);
    RUN(test_control_flow);
    RUN(test_sql_cursors_errors);
    RUN(test_bteq_script);
    RUN(test_bteq_error_exit);
    return TEST_SUMMARY();
}
