/*
 * test_snow_proc.c — procedural units (ir/ir_unit.h) as Snowflake Scripting (snow_proc.c), with
 * units built by hand: the exact text of each step kind, holes counted, output deterministic.
 * SQL statements inside steps print through snow_stmt_sql, so their expected text is taken from
 * it: these tests check what the procedure emitter adds around them.
 *
 * With SNOW_DUMP_DIR set, every emitted procedure is also written there (the grammar check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/snowflake/snow_internal.h"
#include "ir/ir_unit.h"
#include "tests/testlib.h"

extern const backend snowflake_backend;

static const ir_span SP = {"proc.sql", 10, 1};

static ir_span at(int line)
{
    ir_span s = {"proc.sql", line, 1};
    return s;
}

/* ---- building units ---- */

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

/* SELECT <cols> FROM <table> [WHERE where] */
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

/* INSERT INTO target (c) SELECT c FROM source WHERE where */
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

static char *stmt_text(ir_unit *u, const ir_stmt *st, int indent)
{
    strbuf raw = STRBUF_INIT, out = STRBUF_INIT;
    snow_stmt_sql(&raw, u->job, st, SNOW_PARAM_BIND, NULL);
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

/* ---- emitting ---- */

static char *emit(const ir_unit *u, be_result *res)
{
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    be_result r1 = {0, 0}, r2 = {0, 0};
    CHECK(snowflake_backend.emit_unit != NULL);
    CHECK(snowflake_backend.emit_unit(u, NULL, &a, &r1, NULL) == 0);
    CHECK(snowflake_backend.emit_unit(u, NULL, &b, &r2, NULL) == 0);
    CHECK_STR(sb_cstr(&a), sb_cstr(&b)); /* deterministic */
    CHECK(r1.holes == r2.holes);
    const char *dir = getenv("SNOW_DUMP_DIR");
    if (dir) {
        char path[1024];
        snprintf(path, sizeof path, "%s/proc_%s.sql", dir, u->name);
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

/* The text between the line `from` and the line `to` (both exclusive), or "" when absent. */
static char *section(const char *text, const char *from, const char *to)
{
    const char *a = strstr(text, from);
    if (!a)
        return strdup("");
    a += strlen(from);
    const char *b = strstr(a, to);
    if (!b)
        b = a + strlen(a);
    return strndup(a, (size_t)(b - a));
}

static char *body_of(const char *text)
{
    return section(text, "\nBEGIN\n", "\nEND;\n$$;");
}

static char *decl_of(const char *text)
{
    return section(text, "\nDECLARE\n", "\nBEGIN\n");
}

/* ---- tests ---- */

static void test_signature_and_out_params(void)
{
    ir_unit *u = ir_unit_new(IR_UNIT_PROCEDURE, "pkg_month_end.close_month");
    u->dialect = "oracle";
    u->file = "proc.sql";
    u->span = SP;
    ir_unit_add_param(u, "p_run_date", IR_PARAM_IN, ir_type_make(IR_TY_DATE, 0, 0));
    ir_unit_param *br = ir_unit_add_param(u, "p_branch", IR_PARAM_IN, ir_type_make(IR_TY_STRING, 10, 0));
    br->default_value = ir_lit_str(u->job, "ALL");
    ir_unit_add_param(u, "p_rows", IR_PARAM_OUT, ir_type_make(IR_TY_DECIMAL, 12, 0));
    ir_pstmt *a = step(u, body(u), IR_PS_ASSIGN, 12, "p_rows := 0;");
    a->target = "p_rows";
    a->value = ir_lit_int(u->job, 0);
    step(u, body(u), IR_PS_RETURN, 13, "RETURN;");
    be_result res;
    char *out = emit(u, &res);
    CHECK_STR(out,
              "-- Generated by etlport (Snowflake Scripting) from procedure pkg_month_end.close_month\n"
              "-- Legacy: oracle, proc.sql:10\n"
              "-- Holes: 0\n"
              "-- ETLPORT NOTE: Snowflake procedures have no OUT parameters: the procedure returns one OBJECT with "
              "p_rows (a caller reads RESULT:name)\n"
              "CREATE OR REPLACE PROCEDURE pkg_month_end.close_month(p_run_date DATE, p_branch VARCHAR(10) DEFAULT 'ALL')\n"
              "RETURNS OBJECT\n"
              "LANGUAGE SQL\n"
              "-- caller's rights: the legacy code ran in the caller's session (temporary tables, transactions)\n"
              "EXECUTE AS CALLER\n"
              "AS\n"
              "$$\n"
              "DECLARE\n"
              "    p_rows NUMBER(12,0); -- OUT parameter\n"
              "BEGIN\n"
              "    p_rows := 0;\n"
              "    RETURN OBJECT_CONSTRUCT_KEEP_NULL('p_rows', p_rows);\n"
              "END;\n"
              "$$;\n");
    CHECK(res.holes == 0);
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
    ir_var *k = ir_pstmt_add_var(u, &u->body, "c_limit", IR_VAR_SCALAR);
    k->type = ir_type_make(IR_TY_INT, 0, 0);
    k->constant = true;
    k->init = ir_lit_int(j, 10);

    ir_pstmt *iff = step(u, body(u), IR_PS_IF, 20, "IF v_n > 5 THEN ...");
    ir_pstmt *s = step(u, ir_pstmt_add_branch(u, iff, ir_call2(j, IR_FN_GT, var(u, "v_n"), ir_lit_int(j, 5))),
                       IR_PS_ASSIGN, 21, "v_n := 5;");
    s->target = "v_n";
    s->value = ir_lit_int(j, 5);
    s = step(u, ir_pstmt_add_branch(u, iff, ir_call2(j, IR_FN_LT, var(u, "v_n"), ir_lit_int(j, 0))), IR_PS_ASSIGN,
             23, "v_n := 0;");
    s->target = "v_n";
    s->value = ir_lit_int(j, 0);
    step(u, ir_pstmt_add_branch(u, iff, NULL), IR_PS_PRINT, 25, "DBMS_OUTPUT.PUT_LINE('ok');")->value =
        ir_lit_str(j, "ok");

    ir_pstmt *w = step(u, body(u), IR_PS_WHILE, 27, "WHILE v_n < c_limit LOOP");
    ir_pblock *wb = ir_pstmt_body(u, w);
    w->conds = arena_alloc(j->arena, sizeof *w->conds);
    w->conds[0] = ir_call2(j, IR_FN_LT, var(u, "v_n"), var(u, "c_limit"));
    w->n_conds = 1;
    s = step(u, wb, IR_PS_ASSIGN, 28, "v_n := v_n + 1;");
    s->target = "v_n";
    s->value = ir_call2(j, IR_FN_ADD, var(u, "v_n"), ir_lit_int(j, 1));
    ir_pstmt *cont = step(u, wb, IR_PS_CONTINUE, 29, "CONTINUE WHEN MOD(v_n, 2) = 0;");
    cont->conds = arena_alloc(j->arena, sizeof *cont->conds);
    cont->conds[0] = ir_call2(j, IR_FN_EQ, ir_call2(j, IR_FN_MOD, var(u, "v_n"), ir_lit_int(j, 2)), ir_lit_int(j, 0));
    cont->n_conds = 1;

    ir_pstmt *lp = step(u, body(u), IR_PS_LOOP, 31, "<<scan>> LOOP");
    lp->name = "scan";
    ir_pstmt *ex = step(u, ir_pstmt_body(u, lp), IR_PS_EXIT, 32, "EXIT scan WHEN v_n > 20;");
    ex->name = "scan";
    ex->conds = arena_alloc(j->arena, sizeof *ex->conds);
    ex->conds[0] = ir_call2(j, IR_FN_GT, var(u, "v_n"), ir_lit_int(j, 20));
    ex->n_conds = 1;

    ir_pstmt *fr = step(u, body(u), IR_PS_FOR_RANGE, 34, "FOR i IN REVERSE 1..3 LOOP");
    fr->loop_var = "i";
    fr->lo = ir_lit_int(j, 1);
    fr->hi = ir_lit_int(j, 3);
    fr->reverse = true;
    step(u, ir_pstmt_body(u, fr), IR_PS_EXIT, 35, "EXIT;");
    step(u, body(u), IR_PS_RETURN, 37, "RETURN v_n;")->value = var(u, "v_n");

    char *out = emit(u, NULL);
    char *d = decl_of(out), *b = body_of(out);
    CHECK_STR(d, "    v_n INTEGER DEFAULT 0;\n"
                 "    -- ETLPORT NOTE: declared CONSTANT in the legacy code: Snowflake Scripting has no constants\n"
                 "    c_limit INTEGER DEFAULT 10;");
    CHECK_STR(b, "    IF (v_n > 5) THEN\n"
                 "        v_n := 5;\n"
                 "    ELSEIF (v_n < 0) THEN\n"
                 "        v_n := 0;\n"
                 "    ELSE\n"
                 "        SYSTEM$LOG_INFO('ok');\n"
                 "    END IF;\n"
                 "    WHILE (v_n < c_limit) DO\n"
                 "        v_n := v_n + 1;\n"
                 "        IF (MOD(v_n, 2) = 0) THEN\n"
                 "            CONTINUE;\n"
                 "        END IF;\n"
                 "    END WHILE;\n"
                 "    LOOP\n"
                 "        IF (v_n > 20) THEN\n"
                 "            BREAK scan;\n"
                 "        END IF;\n"
                 "    END LOOP scan;\n"
                 "    FOR i IN REVERSE 1 TO 3 DO\n"
                 "        BREAK;\n"
                 "    END FOR;\n"
                 "    RETURN v_n;");
    CHECK(strstr(out, "RETURNS VARCHAR\n") != NULL);
    free(d);
    free(b);
    free(out);
    ir_unit_free(u);
}

static void test_cursors(void)
{
    ir_unit *u = ir_unit_new(IR_UNIT_PROCEDURE, "cursors");
    u->dialect = "oracle";
    ir_job *j = u->job;
    ir_unit_add_param(u, "p_date", IR_PARAM_IN, ir_type_make(IR_TY_DATE, 0, 0));
    ir_var *c1 = ir_pstmt_add_var(u, &u->body, "c_accts", IR_VAR_CURSOR);
    c1->query = select_from(u, "dw.accounts", col(u, "acct_id"), NULL);
    ir_var *c2 = ir_pstmt_add_var(u, &u->body, "c_txn", IR_VAR_CURSOR);
    c2->query = select_from(u, "dw.txn", col(u, "amount"), ir_call2(j, IR_FN_EQ, col(u, "txn_date"), var(u, "p_date")));
    ir_var *amt = ir_pstmt_add_var(u, &u->body, "v_amt", IR_VAR_SCALAR);
    amt->type = ir_type_make(IR_TY_DECIMAL, 18, 2);

    /* FOR over a declared cursor without variables */
    ir_pstmt *f1 = step(u, body(u), IR_PS_FOR_QUERY, 20, "FOR r IN c_accts LOOP");
    f1->loop_var = "r";
    f1->cursor = "c_accts";
    ir_pstmt *call = step(u, ir_pstmt_body(u, f1), IR_PS_CALL, 21, "close_account(r.acct_id);");
    call->name = "close_account";
    ir_pstmt_add_arg(u, call, var(u, "r.acct_id"));
    /* FOR over an inline query reading a parameter */
    ir_pstmt *f2 = step(u, body(u), IR_PS_FOR_QUERY, 23, "FOR t IN (SELECT amount FROM dw.txn WHERE txn_date = p_date) LOOP");
    f2->loop_var = "t";
    f2->query = c2->query;
    ir_pstmt *as = step(u, ir_pstmt_body(u, f2), IR_PS_ASSIGN, 24, "v_amt := t.amount;");
    as->target = "v_amt";
    as->value = var(u, "t.amount");
    /* explicit OPEN / FETCH / CLOSE of a cursor reading a parameter */
    step(u, body(u), IR_PS_OPEN, 26, "OPEN c_txn;")->cursor = "c_txn";
    ir_pstmt *fe = step(u, body(u), IR_PS_FETCH, 27, "FETCH c_txn INTO v_amt;");
    fe->cursor = "c_txn";
    ir_pstmt_add_into(u, fe, "v_amt");
    step(u, body(u), IR_PS_CLOSE, 28, "CLOSE c_txn;")->cursor = "c_txn";

    char *out = emit(u, NULL);
    char *q1 = stmt_text(u, c1->query, 8), *q2 = stmt_text(u, c2->query, 12), *q3 = stmt_text(u, c2->query, 8);
    char *d = decl_of(out), *b = body_of(out);
    strbuf want = STRBUF_INIT;
    sb_printf(&want,
              "    c_accts CURSOR FOR\n%s;\n"
              "    -- ETLPORT NOTE: the cursor's query reads variables: it is bound to a RESULTSET assigned where "
              "the cursor is opened\n"
              "    c_txn_rs RESULTSET;\n"
              "    c_txn CURSOR FOR c_txn_rs;\n"
              "    v_amt NUMBER(18,2);\n"
              "    r_acct_id VARIANT; -- r.acct_id, bound in SQL (a cursor row's field cannot be)",
              q1);
    CHECK_STR(d, sb_cstr(&want));
    sb_clear(&want);
    sb_printf(&want,
              "    -- proc.sql:20: FOR r IN c_accts LOOP\n"
              "    -- ETLPORT NOTE: row-by-row loop kept as written (ETLPORT ROW-BY-ROW): one iteration per row of c_accts\n"
              "    FOR r IN c_accts DO\n"
              "        r_acct_id := r.acct_id;\n"
              "        -- proc.sql:21: close_account(r.acct_id);\n"
              "        CALL close_account(:r_acct_id);\n"
              "    END FOR;\n"
              "    -- proc.sql:23: FOR t IN (SELECT amount FROM dw.txn WHERE txn_date = p_date) LOOP\n"
              "    -- ETLPORT NOTE: row-by-row loop kept as written (ETLPORT ROW-BY-ROW): one iteration per row of the query\n"
              "    BEGIN\n"
              "        LET t_rs RESULTSET := (\n%s\n"
              "        );\n"
              "        LET t_cur CURSOR FOR t_rs;\n"
              "        FOR t IN t_cur DO\n"
              "            v_amt := t.amount;\n"
              "        END FOR;\n"
              "    END;\n"
              "    c_txn_rs := (\n%s\n"
              "    );\n"
              "    OPEN c_txn;\n"
              "    -- ETLPORT NOTE: past the last row Snowflake's FETCH sets the variables to NULL and raises nothing\n"
              "    FETCH c_txn INTO v_amt;\n"
              "    CLOSE c_txn;",
              q2, q3);
    CHECK_STR(b, sb_cstr(&want));
    sb_free(&want);
    free(q1);
    free(q2);
    free(q3);
    free(d);
    free(b);
    free(out);
    ir_unit_free(u);
}

static void test_exceptions(void)
{
    ir_unit *u = ir_unit_new(IR_UNIT_PROCEDURE, "errs");
    u->dialect = "oracle";
    ir_job *j = u->job;
    ir_pstmt_add_var(u, &u->body, "e_no_rate", IR_VAR_EXCEPTION);
    ir_var *msg = ir_pstmt_add_var(u, &u->body, "v_msg", IR_VAR_SCALAR);
    msg->type = ir_type_make(IR_TY_STRING, 200, 0);

    step(u, body(u), IR_PS_RAISE, 20, "RAISE e_no_rate;")->name = "e_no_rate";
    ir_pstmt *r2 = step(u, body(u), IR_PS_RAISE, 21, "RAISE_APPLICATION_ERROR(-20010, 'Negative balance');");
    r2->code = ir_lit_int(j, -20010);
    r2->value = ir_lit_str(j, "Negative balance");
    ir_pstmt *r3 = step(u, body(u), IR_PS_RAISE, 22, "THROW 50001, @msg, 1;");
    r3->code = ir_lit_int(j, 50001);
    r3->value = var(u, "v_msg");

    ir_pstmt *nb = step(u, body(u), IR_PS_BLOCK, 24, "BEGIN");
    ir_pstmt *as = step(u, ir_pstmt_body(u, nb), IR_PS_ASSIGN, 25, "v_msg := 'x';");
    as->target = "v_msg";
    as->value = ir_lit_str(j, "x");
    ir_handler *hc = ir_pstmt_add_handler(u, nb);
    hc->is_continue = true;
    hc->span = at(26);
    ir_handler_add_condition(u, hc, "NOT FOUND");
    ir_handler *hn = ir_pstmt_add_handler(u, nb);
    hn->span = at(27);
    ir_handler_add_condition(u, hn, "NO_DATA_FOUND");
    step(u, &hn->body, IR_PS_RAISE, 28, "RAISE;");

    ir_handler *h1 = ir_pstmt_add_handler(u, &u->body);
    ir_handler_add_condition(u, h1, "OTHERS");
    ir_pstmt *lg = step(u, &h1->body, IR_PS_ASSIGN, 31, "v_msg := SQLERRM;");
    lg->target = "v_msg";
    lg->value = var(u, "SQLERRM");
    step(u, &h1->body, IR_PS_ROLLBACK, 32, "ROLLBACK;");
    step(u, &h1->body, IR_PS_RAISE, 33, "RAISE;");
    ir_handler *h2 = ir_pstmt_add_handler(u, &u->body);
    ir_handler_add_condition(u, h2, "E_NO_RATE");
    step(u, &h2->body, IR_PS_RETURN, 35, "RETURN;");

    be_result res;
    char *out = emit(u, &res);
    char *d = decl_of(out), *b = section(out, "\nBEGIN\n", "\n$$;");
    CHECK_STR(d, "    e_no_rate EXCEPTION (-20001, 'E_NO_RATE');\n"
                 "    v_msg VARCHAR(200);\n"
                 "    etlport_error_1 EXCEPTION (-20010, 'Negative balance');\n"
                 "    etlport_error_2 EXCEPTION (-20002, 'error raised by the legacy code');");
    CHECK_STR(b, "    RAISE e_no_rate;\n"
                 "    RAISE etlport_error_1;\n"
                 "    -- ETLPORT NOTE: error number 50001 is outside Snowflake's range for user exceptions "
                 "(-20000 .. -20999); the message is computed at run time (v_msg) but Snowflake exception messages "
                 "are constants\n"
                 "    RAISE etlport_error_2;\n"
                 "    BEGIN\n"
                 "        -- ETLPORT HOLE proc.sql:26: CONTINUE HANDLER FOR NOT FOUND: Snowflake's FETCH sets the "
                 "variables to NULL past the last row instead of raising; loop with FOR r IN cursor DO, or test the "
                 "fetched key for NULL\n"
                 "        -- | CONTINUE HANDLER FOR NOT FOUND\n"
                 "        v_msg := 'x';\n"
                 "        -- ETLPORT HOLE proc.sql:27: NO_DATA_FOUND: Snowflake has no such exception and cannot tell "
                 "this error from others; such errors reach WHEN OTHER (if any) or fail the procedure\n"
                 "        -- | WHEN NO_DATA_FOUND THEN\n"
                 "        -- |     RAISE;\n"
                 "    END;\n"
                 "EXCEPTION\n"
                 "    WHEN e_no_rate THEN\n"
                 "        RETURN;\n"
                 "    WHEN OTHER THEN\n"
                 "        v_msg := SQLERRM;\n"
                 "        ROLLBACK;\n"
                 "        RAISE;\n"
                 "END;");
    CHECK(res.holes == 2);
    CHECK(strstr(out, "-- Holes: 2 (marked ETLPORT HOLE below; review before running)\n") != NULL);
    free(d);
    free(b);
    free(out);
    ir_unit_free(u);
}

static void test_sql_steps(void)
{
    ir_unit *u = ir_unit_new(IR_UNIT_PROCEDURE, "dbo.load_customers");
    u->dialect = "tsql";
    ir_job *j = u->job;
    ir_unit_add_param(u, "load_date", IR_PARAM_IN, ir_type_make(IR_TY_DATE, 0, 0));
    ir_var *cnt = ir_pstmt_add_var(u, &u->body, "cnt", IR_VAR_SCALAR);
    cnt->type = ir_type_make(IR_TY_INT, 0, 0);

    step(u, body(u), IR_PS_COMMAND, 11, "SET NOCOUNT ON;");
    ir_pstmt *dv = step(u, body(u), IR_PS_DECLARE, 12, "DECLARE @sql NVARCHAR(MAX) = N'TRUNCATE TABLE stg.x';");
    dv->var = ir_unit_new_var(u, "sql", IR_VAR_SCALAR);
    dv->var->type = ir_type_make(IR_TY_STRING, 0, 0);
    dv->var->init = ir_lit_str(j, "TRUNCATE TABLE stg.x");
    step(u, body(u), IR_PS_BEGIN_TXN, 13, "BEGIN TRAN;");
    ir_stmt *ins = insert_select(u, "dw.customer", "stg.customer", "cust_id",
                                 ir_call2(j, IR_FN_EQ, col(u, "load_dt"), var(u, "load_date")));
    ir_pstmt *s1 = step(u, body(u), IR_PS_SQL, 14, "INSERT INTO dw.customer (cust_id) SELECT ...");
    s1->stmt = ins;
    s1->lifted = "cursor FOR loop";
    ir_stmt *sel = select_from(u, "dw.customer", ir_call(j, IR_FN_COUNT_STAR, 0, 0, NULL), NULL);
    ir_pstmt *s2 = step(u, body(u), IR_PS_SQL, 16, "SELECT @cnt = COUNT(*) FROM dw.customer;");
    s2->stmt = sel;
    ir_pstmt_add_into(u, s2, "cnt");
    step(u, body(u), IR_PS_COMMIT, 17, "COMMIT;");
    ir_pstmt *ex = step(u, body(u), IR_PS_EXEC, 18, "EXEC(@sql);");
    ex->value = var(u, "sql");
    ir_pstmt *ex2 = step(u, body(u), IR_PS_EXEC, 19, "EXEC('DROP TABLE ' + @t);");
    ex2->value = ir_call2(j, IR_FN_CONCAT, ir_lit_str(j, "DROP TABLE "), var(u, "sql"));
    ir_pstmt *call = step(u, body(u), IR_PS_CALL, 20, "EXEC dbo.log_run @cnt;");
    call->name = "dbo.log_run";
    ir_pstmt_add_arg(u, call, var(u, "cnt"));
    ir_pstmt *h = step(u, body(u), IR_PS_HOLE, 21, "WAITFOR DELAY '00:00:05';");
    h->hole_reason = "WAITFOR has no Snowflake equivalent";
    step(u, body(u), IR_PS_PRINT, 22, "PRINT 'done';")->value = ir_lit_str(j, "done");

    be_result res;
    char *out = emit(u, &res);
    char *q1 = stmt_text(u, ins, 4);
    char *d = decl_of(out), *b = body_of(out);
    CHECK_STR(d, "    cnt INTEGER;\n"
                 "    sql VARCHAR;\n"
                 "    etlport_dyn_sql VARCHAR; -- the text of dynamic SQL statements");
    strbuf want = STRBUF_INIT;
    sb_printf(&want,
              "    -- client command, no effect on data: SET NOCOUNT ON;\n"
              "    sql := 'TRUNCATE TABLE stg.x';\n"
              "    BEGIN TRANSACTION;\n"
              "    -- proc.sql:14: INSERT INTO dw.customer (cust_id) SELECT ...\n"
              "    -- ETLPORT NOTE: a row-by-row cursor FOR loop lifted to one set-based statement\n"
              "%s;\n"
              "    -- proc.sql:16: SELECT @cnt = COUNT(*) FROM dw.customer;\n"
              "    -- ETLPORT NOTE: SELECT INTO: Snowflake requires the query to return exactly one row, as Oracle's "
              "NO_DATA_FOUND / TOO_MANY_ROWS rules do; T-SQL and DB2 callers that relied on zero rows leaving the "
              "variables unchanged must check first\n"
              "    SELECT\n"
              "        COUNT(*)\n"
              "    INTO :cnt\n"
              "    FROM dw.customer;\n"
              "    COMMIT;\n"
              "    -- ETLPORT HOLE proc.sql:18: dynamic SQL: the statement text is built at run time in the legacy "
              "dialect (tsql) and is not translated; check what it can contain before running\n"
              "    -- | EXEC(@sql);\n"
              "    EXECUTE IMMEDIATE sql;\n"
              "    -- ETLPORT HOLE proc.sql:19: dynamic SQL: the statement text is built at run time in the legacy "
              "dialect (tsql) and is not translated; check what it can contain before running\n"
              "    -- | EXEC('DROP TABLE ' + @t);\n"
              "    etlport_dyn_sql := 'DROP TABLE ' || TO_VARCHAR(sql);\n"
              "    EXECUTE IMMEDIATE etlport_dyn_sql;\n"
              "    -- proc.sql:20: EXEC dbo.log_run @cnt;\n"
              "    CALL dbo.log_run(:cnt);\n"
              "    -- ETLPORT HOLE proc.sql:21: WAITFOR has no Snowflake equivalent\n"
              "    -- | WAITFOR DELAY '00:00:05';\n"
              "    SYSTEM$LOG_INFO('done');",
              q1);
    CHECK_STR(b, sb_cstr(&want));
    CHECK(res.holes == 3);
    sb_free(&want);
    free(q1);
    free(d);
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
    ir_pstmt *s1 = step(u, body(u), IR_PS_SQL, 3, "INSERT INTO dw.balance SELECT * FROM stg.balance;");
    s1->stmt = ins;
    ir_pstmt *g1 = step(u, body(u), IR_PS_GOTO, 4, ".IF ERRORCODE <> 0 THEN .GOTO ERRORS");
    g1->name = "ERRORS";
    g1->conds = arena_alloc(j->arena, sizeof *g1->conds);
    g1->conds[0] = ir_call2(j, IR_FN_NE, var(u, "ERRORCODE"), ir_lit_int(j, 0));
    g1->n_conds = 1;
    ir_pstmt *g2 = step(u, body(u), IR_PS_GOTO, 5, ".IF ACTIVITYCOUNT = 0 THEN .GOTO ERRORS");
    g2->name = "ERRORS";
    g2->conds = arena_alloc(j->arena, sizeof *g2->conds);
    g2->conds[0] = ir_call2(j, IR_FN_EQ, var(u, "ACTIVITYCOUNT"), ir_lit_int(j, 0));
    g2->n_conds = 1;
    step(u, body(u), IR_PS_QUIT, 6, ".QUIT 0")->value = ir_lit_int(j, 0);
    step(u, body(u), IR_PS_LABEL, 7, ".LABEL ERRORS")->name = "ERRORS";
    step(u, body(u), IR_PS_QUIT, 8, ".QUIT 8")->value = ir_lit_int(j, 8);
    ir_pstmt *back = step(u, body(u), IR_PS_GOTO, 9, ".GOTO ERRORS");
    back->name = "ERRORS";

    be_result res;
    char *out = emit(u, &res);
    char *q1 = stmt_text(u, ins, 4);
    char *d = decl_of(out), *b = body_of(out);
    CHECK_STR(d, "    ERRORCODE NUMBER DEFAULT 0; -- BTEQ's ERRORCODE: failing statements raise instead\n"
                 "    ACTIVITYCOUNT NUMBER DEFAULT 0; -- BTEQ's ACTIVITYCOUNT: set from SQLROWCOUNT after each DML");
    strbuf want = STRBUF_INIT;
    sb_printf(&want,
              "    -- proc.sql:3: INSERT INTO dw.balance SELECT * FROM stg.balance;\n"
              "%s;\n"
              "    ACTIVITYCOUNT := SQLROWCOUNT;\n"
              "    -- .IF ERRORCODE <> 0 THEN .GOTO ERRORS: a failing statement raises instead; the EXCEPTION handler "
              "at the end runs ERRORS\n"
              "    -- .IF ACTIVITYCOUNT = 0 THEN .GOTO ERRORS: a jump to ERRORS, which ends the script: that section, "
              "written here\n"
              "    IF (ACTIVITYCOUNT = 0) THEN\n"
              "        -- ETLPORT NOTE: BTEQ .QUIT with a return code: the procedure returns it; a caller that must "
              "fail on it checks the value\n"
              "        RETURN 8;\n"
              "    END IF;\n"
              "    RETURN 0;\n"
              "    -- label ERRORS\n"
              "    -- ETLPORT NOTE: BTEQ .QUIT with a return code: the procedure returns it; a caller that must fail "
              "on it checks the value\n"
              "    RETURN 8;\n"
              "    -- ETLPORT HOLE proc.sql:9: GOTO that is not a forward jump within the same block: Snowflake "
              "Scripting has no GOTO\n"
              "    -- | .GOTO ERRORS\n"
              "EXCEPTION\n"
              "    -- ETLPORT NOTE: BTEQ's .IF ERRORCODE <> 0 THEN .GOTO ERRORS: any failing statement runs that "
              "section (also one the script did not check)\n"
              "    WHEN OTHER THEN\n"
              "        -- ETLPORT NOTE: .QUIT 8: re-raised, so the CALL fails as the BTEQ job did (with the original "
              "error)\n"
              "        RAISE;",
              q1);
    CHECK_STR(b, sb_cstr(&want));
    CHECK(strstr(out, "CREATE OR REPLACE PROCEDURE daily_balance()\nRETURNS NUMBER\n") != NULL);
    CHECK(strstr(out, "\n-- the script runs as: CALL daily_balance();\n") != NULL);
    CHECK(res.holes == 1);
    sb_free(&want);
    free(q1);
    free(d);
    free(b);
    free(out);
    ir_unit_free(u);
}

/* Idioms the frontends hand over as they are written: a Netezza `$1` with its ALIAS, a DB2
 * NOT FOUND continue handler that sets a flag, a record field read as a column inside the loop,
 * BTEQ's `.IF ... THEN .GOTO` as an IF around the GOTO, a USING field nothing declares. */
static void test_dialect_idioms(void)
{
    ir_unit *u = ir_unit_new(IR_UNIT_PROCEDURE, "idioms");
    u->dialect = "netezza";
    ir_job *j = u->job;
    ir_unit_add_param(u, "$1", IR_PARAM_IN, ir_type_make(IR_TY_DATE, 0, 0));
    ir_var *al = ir_pstmt_add_var(u, &u->body, "p_day", IR_VAR_SCALAR);
    al->init = var(u, "$1");
    ir_var *done = ir_pstmt_add_var(u, &u->body, "v_done", IR_VAR_SCALAR);
    done->type = ir_type_make(IR_TY_INT, 0, 0);
    ir_var *id = ir_pstmt_add_var(u, &u->body, "v_id", IR_VAR_SCALAR);
    id->type = ir_type_make(IR_TY_BIGINT, 0, 0);
    ir_var *c = ir_pstmt_add_var(u, &u->body, "c_ids", IR_VAR_CURSOR);
    c->query = select_from(u, "t.ids", col(u, "id"), NULL);
    ir_var *rec = ir_pstmt_add_var(u, &u->body, "r", IR_VAR_ROW);
    (void)rec;
    ir_handler *h = ir_pstmt_add_handler(u, &u->body);
    h->is_continue = true;
    ir_handler_add_condition(u, h, "NOT FOUND");
    ir_pstmt *set = step(u, &h->body, IR_PS_ASSIGN, 9, "SET v_done = 1");
    set->target = "v_done";
    set->value = ir_lit_int(j, 1);

    step(u, body(u), IR_PS_OPEN, 11, "OPEN c_ids;")->cursor = "c_ids";
    ir_pstmt *fe = step(u, body(u), IR_PS_FETCH, 12, "FETCH c_ids INTO v_id;");
    fe->cursor = "c_ids";
    ir_pstmt_add_into(u, fe, "v_id");
    ir_pstmt *f = step(u, body(u), IR_PS_FOR_QUERY, 13, "FOR r IN SELECT id FROM t.ids LOOP");
    f->loop_var = "r";
    f->query = c->query;
    ir_stmt *ins = ir_stmt_new(j, IR_ST_INSERT);
    ins->target = "t.log";
    ins->query = ir_query_new(j, IR_Q_VALUES);
    ins->query->items = arena_alloc(j->arena, sizeof *ins->query->items);
    ins->query->n_items = 1;
    ins->query->rows = arena_alloc(j->arena, sizeof *ins->query->rows);
    ins->query->rows[0] = col(u, "r.id");
    ins->query->n_rows = 1;
    step(u, ir_pstmt_body(u, f), IR_PS_SQL, 14, "INSERT INTO t.log VALUES (r.id);")->stmt = ins;
    ir_pstmt *iff = step(u, body(u), IR_PS_IF, 16, ".IF ACTIVITYCOUNT = 0 THEN .GOTO DONE");
    step(u, ir_pstmt_add_branch(u, iff, ir_call2(j, IR_FN_EQ, var(u, "v_done"), ir_lit_int(j, 1))), IR_PS_GOTO, 16,
         ".GOTO DONE")->name = "DONE";
    step(u, body(u), IR_PS_CLOSE, 17, "CLOSE c_ids;")->cursor = "c_ids";
    step(u, body(u), IR_PS_LABEL, 18, ".LABEL DONE")->name = "DONE";
    ir_stmt *ins2 = insert_select(u, "t.adj", "t.src", "amt", ir_call2(j, IR_FN_EQ, col(u, "k"), var(u, "adj_amt")));
    step(u, body(u), IR_PS_SQL, 19, "INSERT INTO t.adj SELECT amt FROM t.src WHERE k = :adj_amt;")->stmt = ins2;

    be_result res;
    char *out = emit(u, &res);
    char *d = decl_of(out), *b = body_of(out);
    CHECK(strstr(out, "CREATE OR REPLACE PROCEDURE idioms(p_day DATE)\n") != NULL);
    CHECK_STR(d, "    v_done INTEGER;\n"
                 "    v_id BIGINT;\n"
                 "    c_ids CURSOR FOR\n"
                 "        SELECT\n"
                 "            id\n"
                 "        FROM t.ids;\n"
                 "    r_id VARIANT; -- r.id, bound in SQL (a cursor row's field cannot be)");
    CHECK(strstr(b, "    -- ETLPORT NOTE: CONTINUE HANDLER FOR NOT FOUND: Snowflake's FETCH raises nothing past the last "
                    "row, so the handler's assignments run after each FETCH whose first value is NULL (a NULL in that "
                    "column ends the loop early)\n") == b);
    CHECK(strstr(b, "    FETCH c_ids INTO v_id;\n"
                    "    IF (v_id IS NULL) THEN\n"
                    "        v_done := 1;\n"
                    "    END IF;\n") != NULL);
    CHECK(strstr(b, "        FOR r IN r_cur DO\n"
                    "            r_id := r.id;\n") != NULL);
    CHECK(strstr(b, "VALUES (:r_id);\n") != NULL);
    CHECK(strstr(b, "    -- .IF ACTIVITYCOUNT = 0 THEN .GOTO DONE: a forward jump to DONE, written as structured flow\n"
                    "    IF (NOT COALESCE(v_done = 1, FALSE)) THEN\n"
                    "        CLOSE c_ids;\n"
                    "    END IF;\n"
                    "    -- label DONE\n") != NULL);
    CHECK(strstr(b, "    -- ETLPORT HOLE proc.sql:19: the statement reads adj_amt, which nothing in the unit declares "
                    "(Snowflake would reject the whole procedure)\n") != NULL);
    CHECK(res.holes == 1);
    free(d);
    free(b);
    free(out);
    ir_unit_free(u);
}

static void test_anonymous_block(void)
{
    ir_unit *u = ir_unit_new(IR_UNIT_BLOCK, "block_1");
    u->dialect = "oracle";
    step(u, body(u), IR_PS_COMMIT, 2, "COMMIT;");
    char *out = emit(u, NULL);
    CHECK(strstr(out, "\nEXECUTE IMMEDIATE $$\nBEGIN\n    COMMIT;\nEND;\n$$;\n") != NULL);
    CHECK(strstr(out, "CREATE OR REPLACE") == NULL);
    free(out);
    ir_unit_free(u);
}

int main(void)
{
    RUN(test_signature_and_out_params);
    RUN(test_control_flow);
    RUN(test_cursors);
    RUN(test_exceptions);
    RUN(test_sql_steps);
    RUN(test_bteq_script);
    RUN(test_dialect_idioms);
    RUN(test_anonymous_block);
    return TEST_SUMMARY();
}
