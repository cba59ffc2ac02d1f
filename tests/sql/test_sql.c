/*
 * test_sql.c — the SQL frontend: lexer/parser cases (S-expressions), lowering cases (IR node chains
 * with canonical expressions), expression mappings per dialect, error locations, the frontend.
 * Cases live in the cases folder (one .txt file per kind), tree-sitter corpus style:
 *
 *     === name [@dialect] [!partial]
 *     input
 *     ---
 *     expected output
 *
 * !partial: lowering cases treat the schema's column lists as partial (SQLFE_PARTIAL_DEFINITIONS).
 * SQLFE_UPDATE=1 rewrites the expected outputs from what the code produces (review the diff).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "frontends/sql/sqlfe.h"
#include "frontends/sql/sqlfe_internal.h"
#include "ir/ir.h"
#include "tests/testlib.h"

/* ---- case files ---- */

typedef struct tcase {
    char *name, *input, *expected;
    sqlfe_dialect d;
    int partial;
} tcase;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_putn(&sb, buf, n);
    fclose(f);
    return sb_take(&sb);
}

static char *trim_dup(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
        n--;
    while (n > 0 && *s == '\n') {
        s++;
        n--;
    }
    char *r = malloc(n + 1);
    memcpy(r, s, n);
    r[n] = 0;
    return r;
}

static int read_cases(const char *file, tcase **out)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SQL_CASES_DIR, file);
    char *text = slurp(path);
    if (!text) {
        fprintf(stderr, "cannot read %s\n", path);
        return 0;
    }
    int n = 0, cap = 16;
    tcase *v = malloc((size_t)cap * sizeof *v);
    char *p = text;
    while ((p = strstr(p, "=== ")) != NULL) {
        if (p != text && p[-1] != '\n') {
            p += 4;
            continue;
        }
        char *eol = strchr(p, '\n');
        if (!eol)
            break;
        tcase c;
        memset(&c, 0, sizeof c);
        char *name = trim_dup(p + 4, (size_t)(eol - p - 4));
        char *bang = strstr(name, " !partial");
        if (bang) {
            c.partial = 1;
            memmove(bang, bang + 9, strlen(bang + 9) + 1);
        }
        char *at = strstr(name, " @");
        c.d = SQLFE_ANSI;
        if (at) {
            *at = 0;
            int d = sqlfe_dialect_by_name(at + 2);
            c.d = d < 0 ? SQLFE_ANSI : (sqlfe_dialect)d;
        }
        c.name = name;
        char *body = eol + 1;
        char *sep = strstr(body, "\n---\n");
        if (!sep)
            break;
        c.input = trim_dup(body, (size_t)(sep - body));
        char *exp = sep + 5;
        char *next = strstr(exp, "\n=== ");
        size_t elen = next ? (size_t)(next - exp + 1) : strlen(exp);
        c.expected = trim_dup(exp, elen);
        if (n == cap)
            v = realloc(v, (size_t)(cap *= 2) * sizeof *v);
        v[n++] = c;
        p = next ? next + 1 : exp + elen;
    }
    free(text);
    *out = v;
    return n;
}

static void free_cases(tcase *v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].input);
        free(v[i].expected);
    }
    free(v);
}

/* Writes the case file back with the outputs produced (SQLFE_UPDATE=1). */
static void update_cases(const char *file, tcase *v, int n, char **got)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SQL_CASES_DIR, file);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    for (int i = 0; i < n; i++) {
        fprintf(f, "=== %s", v[i].name);
        if (v[i].d != SQLFE_ANSI)
            fprintf(f, " @%s", sqlfe_dialect_name(v[i].d));
        if (v[i].partial)
            fprintf(f, " !partial");
        fprintf(f, "\n%s\n---\n%s\n\n", v[i].input, got[i]);
    }
    fclose(f);
}

typedef char *(*case_fn)(const tcase *c);

static void run_cases(const char *file, case_fn fn)
{
    tcase *v;
    int n = read_cases(file, &v);
    CHECK(n > 0);
    char **got = calloc((size_t)n + 1, sizeof *got);
    for (int i = 0; i < n; i++) {
        got[i] = fn(&v[i]);
        if (strcmp(got[i], v[i].expected) != 0) {
            fprintf(stderr, "%s: case '%s'\n  got:\n%s\n  want:\n%s\n", file, v[i].name, got[i], v[i].expected);
            tl_failed_checks++;
        }
    }
    if (getenv("SQLFE_UPDATE"))
        update_cases(file, v, n, got);
    for (int i = 0; i < n; i++)
        free(got[i]);
    free(got);
    free_cases(v, n);
}

/* ---- diagnostics capture ---- */

typedef struct capture {
    strbuf sb;
} capture;

static void capture_sink(void *ud, const diag *d)
{
    capture *c = ud;
    if (d->level == DIAG_NOTE)
        return;
    if (c->sb.len)
        sb_putc(&c->sb, '\n');
    sb_printf(&c->sb, "%s:%d:%d: %s: %s", d->file ? d->file : "?", d->line, d->col, diag_level_name(d->level),
              d->message);
}

/* ---- parse cases ---- */

static char *parse_case(const tcase *c)
{
    arena *a = arena_new();
    strbuf sb = STRBUF_INIT;
    sqlfe_script sc;
    sqlfe_parse_script(a, c->input, strlen(c->input), c->d, &sc);
    for (int i = 0; i < sc.n_stmts; i++) {
        const sqlfe_stmt *st = &sc.stmts[i];
        if (i)
            sb_putc(&sb, '\n');
        if (st->ast) {
            sqlfe_ast_to_sexpr(&sb, st->ast);
        } else if (st->error) {
            sb_printf(&sb, "(error \"%s\" at %zu)", st->error, st->error_off);
        } else {
            sb_printf(&sb, "(%s \"%.*s\")", sqlfe_stmt_kind_name(st->kind), (int)(st->end - st->start),
                      c->input + st->start);
        }
    }
    arena_free(a);
    return sb_take(&sb);
}

static void test_parse_cases(void)
{
    run_cases("parse.txt", parse_case);
}

/* ---- IR dumps ---- */

static void dump_expr(strbuf *sb, const ir_expr *e)
{
    ir_expr_to_text(sb, e);
}

static void dump_job(strbuf *sb, const ir_job *job)
{
    static const char *const joins[] = {"inner", "left", "right", "full", "cross"};
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        if (i)
            sb_putc(sb, '\n');
        sb_printf(sb, "#%d %s", n->id, ir_op_name(n->op));
        if (n->name)
            sb_printf(sb, " %s", n->name);
        if (n->dataset)
            sb_printf(sb, " dataset=%s", n->dataset);
        if (n->n_inputs) {
            sb_puts(sb, " in=");
            for (int k = 0; k < n->n_inputs; k++)
                sb_printf(sb, "%s%d", k ? "," : "", n->inputs[k]);
        }
        if (n->op == IR_OP_JOIN)
            sb_printf(sb, " %s", joins[n->join]);
        if (n->distinct)
            sb_puts(sb, " distinct");
        if (n->op == IR_OP_RANK)
            sb_printf(sb, " top=%lld", (long long)n->top_n);
        if (n->op == IR_OP_TARGET)
            sb_printf(sb, " load=%d", (int)n->load);
        for (int k = 0; k < n->n_merge_keys; k++)
            sb_printf(sb, " key=%s", n->merge_keys[k]);
        if (n->hole_reason)
            sb_printf(sb, " hole=\"%s\"", n->hole_reason);
        if (n->predicate) {
            sb_puts(sb, "\n  where ");
            dump_expr(sb, n->predicate);
        }
        for (int k = 0; k < n->n_keys; k++) {
            sb_puts(sb, "\n  key ");
            dump_expr(sb, n->keys[k]);
        }
        for (int k = 0; k < n->n_order; k++) {
            sb_puts(sb, "\n  order ");
            dump_expr(sb, n->order[k].expr);
            if (n->order[k].desc)
                sb_puts(sb, " desc");
            if (n->order[k].nulls)
                sb_puts(sb, n->order[k].nulls == 1 ? " nulls first" : " nulls last");
        }
        if (n->op == IR_OP_WINDOW) {
            sb_puts(sb, "\n  frame ");
            ir_frame_to_text(sb, n->frame);
        }
        for (int k = 0; k < n->n_props; k++)
            sb_printf(sb, "\n  prop %s=%s", n->props[k].key, n->props[k].value);
        if (n->op == IR_OP_SOURCE || n->op == IR_OP_UNION || n->op == IR_OP_PROCEDURE) {
            if (n->n_cols) {
                sb_puts(sb, "\n  cols");
                for (int k = 0; k < n->n_cols; k++)
                    sb_printf(sb, " %s", n->cols[k].name);
            }
            continue;
        }
        /* pass-through columns are elided: only computed ones */
        for (int k = 0; k < n->n_cols; k++) {
            const ir_column *col = &n->cols[k];
            int pass = col->expr && col->expr->kind == IR_EX_REF && strcmp(col->expr->u.ref.col, col->name) == 0 &&
                       (n->op == IR_OP_FILTER || n->op == IR_OP_JOIN || n->op == IR_OP_SORT || n->op == IR_OP_RANK ||
                        n->op == IR_OP_WINDOW);
            if (pass)
                continue;
            sb_printf(sb, "\n  %s = ", col->name);
            dump_expr(sb, col->expr);
        }
    }
}

/* A schema for lowering cases: tables EMP, DEPT, ORDERS, CUSTOMERS with known columns. */
static const sqlfe_column *schema(void *ud, const char *table, int *n)
{
    (void)ud;
    static const sqlfe_column emp[] = {{"EMPNO", {IR_TY_INT, 0, 0, IR_TY_UNKNOWN}},        {"ENAME", {IR_TY_STRING, 10, 0, IR_TY_UNKNOWN}},
                                       {"JOB", {IR_TY_STRING, 9, 0, IR_TY_UNKNOWN}},       {"MGR", {IR_TY_INT, 0, 0, IR_TY_UNKNOWN}},
                                       {"HIREDATE", {IR_TY_TIMESTAMP, 0, 0, IR_TY_UNKNOWN}}, {"SAL", {IR_TY_DECIMAL, 7, 2, IR_TY_UNKNOWN}},
                                       {"COMM", {IR_TY_DECIMAL, 7, 2, IR_TY_UNKNOWN}},     {"DEPTNO", {IR_TY_INT, 0, 0, IR_TY_UNKNOWN}}};
    static const sqlfe_column dept[] = {{"DEPTNO", {IR_TY_INT, 0, 0, IR_TY_UNKNOWN}}, {"DNAME", {IR_TY_STRING, 14, 0, IR_TY_UNKNOWN}},
                                        {"LOC", {IR_TY_STRING, 13, 0, IR_TY_UNKNOWN}}};
    const char *base = strrchr(table, '.') ? strrchr(table, '.') + 1 : table;
    if (strcasecmp(base, "EMP") == 0) {
        *n = 8;
        return emp;
    }
    if (strcasecmp(base, "DEPT") == 0) {
        *n = 3;
        return dept;
    }
    return NULL;
}

static char *lower_case_fn(const tcase *c)
{
    ir_job *job = ir_job_new("t");
    capture cap = {STRBUF_INIT};
    diag_ctx dc;
    diag_init(&dc, capture_sink, &cap);
    sqlfe_source_info info = {schema, NULL, NULL};
    ir_span base = {"q.sql", 1, 1};
    int out = 0;
    int rc = sqlfe_lower_select_flags(job, c->input, strlen(c->input), c->d, &info,
                                      c->partial ? SQLFE_PARTIAL_DEFINITIONS : 0, base, &dc, &out);
    strbuf sb = STRBUF_INIT;
    if (rc == SQLFE_LOSSY)
        sb_puts(&sb, "(lossy)\n");
    if (rc >= 0) {
        dump_job(&sb, job);
        sb_printf(&sb, "\n=> #%d", out);
    }
    if (cap.sb.len) {
        if (sb.len)
            sb_putc(&sb, '\n');
        sb_puts(&sb, sb_cstr(&cap.sb));
    }
    sb_free(&cap.sb);
    ir_job_free(job);
    return sb_take(&sb);
}

static void test_lower_cases(void)
{
    run_cases("lower.txt", lower_case_fn);
}

/* ---- expression mappings: one expression over columns A B C (int), S T (string), D (timestamp) ---- */

static char *expr_case(const tcase *c)
{
    ir_job *job = ir_job_new("t");
    ir_node *src = ir_node_add(job, IR_OP_SOURCE, "T");
    ir_node_add_col(job, src, "A", ir_type_make(IR_TY_INT, 0, 0), NULL);
    ir_node_add_col(job, src, "B", ir_type_make(IR_TY_INT, 0, 0), NULL);
    ir_node_add_col(job, src, "C", ir_type_make(IR_TY_INT, 0, 0), NULL);
    ir_node_add_col(job, src, "S", ir_type_make(IR_TY_STRING, 20, 0), NULL);
    ir_node_add_col(job, src, "T", ir_type_make(IR_TY_STRING, 20, 0), NULL);
    ir_node_add_col(job, src, "D", ir_type_make(IR_TY_TIMESTAMP, 0, 0), NULL);
    ir_node_add_col(job, src, "ARR", ir_type_array(ir_type_make(IR_TY_INT, 0, 0)), NULL);
    ir_node_add_col(job, src, "ARS", ir_type_array(ir_type_make(IR_TY_STRING, 20, 0)), NULL);
    capture cap = {STRBUF_INIT};
    diag_ctx dc;
    diag_init(&dc, capture_sink, &cap);
    ir_span base = {"e.sql", 1, 1};
    ir_expr *e = sqlfe_lower_expr(job, c->input, strlen(c->input), c->d, src->id, base, &dc);
    strbuf sb = STRBUF_INIT;
    if (e)
        ir_expr_to_text(&sb, e);
    if (e && e->kind == IR_EX_HOLE)
        sb_printf(&sb, " -- %s", e->u.hole.reason);
    if (e && e->kind == IR_EX_CALL && e->u.call.fn == IR_FN_CAST) {
        char ty[64];
        ir_type_format(e->type, ty, sizeof ty);
        sb_printf(&sb, " : %s", ty);
    }
    if (cap.sb.len) {
        if (sb.len)
            sb_putc(&sb, '\n');
        sb_puts(&sb, sb_cstr(&cap.sb));
    }
    sb_free(&cap.sb);
    ir_job_free(job);
    return sb_take(&sb);
}

static void test_expr_cases(void)
{
    run_cases("expr.txt", expr_case);
}

/* ---- error locations: the base position is file e.sql line 10 column 5 ---- */

static char *error_case(const tcase *c)
{
    ir_job *job = ir_job_new("t");
    capture cap = {STRBUF_INIT};
    diag_ctx dc;
    diag_init(&dc, capture_sink, &cap);
    ir_span base = {"m.xml", 10, 5};
    int out = 0;
    int rc = sqlfe_lower_select(job, c->input, strlen(c->input), c->d, NULL, base, &dc, &out);
    strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "rc=%d nodes=%d", rc, job->n_nodes);
    if (cap.sb.len) {
        sb_putc(&sb, '\n');
        sb_puts(&sb, sb_cstr(&cap.sb));
    }
    sb_free(&cap.sb);
    ir_job_free(job);
    return sb_take(&sb);
}

static void test_error_cases(void)
{
    run_cases("errors.txt", error_case);
}

/* ---- procedural blocks: row-by-row loops lifted to set-based statements (sqlfe_proc.c) ---- */

static char *proc_case(const tcase *c)
{
    arena *a = arena_new();
    sqlfe_lift lf;
    int r = sqlfe_proc_lift(a, c->input, strlen(c->input), c->d, &lf);
    strbuf sb = STRBUF_INIT;
    if (r > 0) {
        sb_printf(&sb, "lifted %s at offset %zu\n%s", lf.shape, lf.loop_off, lf.sql);
        if (lf.note)
            sb_printf(&sb, "\nnote: %s", lf.note);
        /* the set-based statement parses in the block's dialect */
        const char *err = NULL;
        size_t off = 0;
        if (!sqlfe_parse_statement(a, lf.sql, strlen(lf.sql), c->d, &err, &off))
            sb_printf(&sb, "\nDOES NOT PARSE: %s", err ? err : "?");
    } else if (r < 0) {
        sb_printf(&sb, "refused: %s", lf.reason);
    } else {
        sb_puts(&sb, "not a loop shape");
    }
    arena_free(a);
    return sb_take(&sb);
}

static void test_proc_cases(void)
{
    run_cases("proc.txt", proc_case);
}

/* ---- lexer ---- */

static void test_dialect_names(void)
{
    CHECK(sqlfe_dialect_by_name("oracle") == SQLFE_ORACLE);
    CHECK(sqlfe_dialect_by_name("SQLServer") == SQLFE_TSQL);
    CHECK(sqlfe_dialect_by_name("bteq") == SQLFE_TERADATA);
    CHECK(sqlfe_dialect_by_name("nonsense") == -1);
    const char *bteq = ".LOGON x/y,z;\nSEL * FROM t;\n";
    CHECK(sqlfe_dialect_guess("a.sql", bteq, strlen(bteq)) == SQLFE_TERADATA);
    const char *tsql = "SELECT ISNULL(a, 0) FROM [dbo].[t]\nGO\n";
    CHECK(sqlfe_dialect_guess("a.sql", tsql, strlen(tsql)) == SQLFE_TSQL);
    const char *ora = "SELECT NVL(a, 0) FROM t WHERE b = c(+);\n/\n";
    CHECK(sqlfe_dialect_guess("a.sql", ora, strlen(ora)) == SQLFE_ORACLE);
    /* the guess says why: the labels of the hints that scored for the chosen dialect, once each */
    char why[128];
    const char *batch = "DECLARE @n INT\nSELECT @n = 1 FROM dbo.t\nGO\nSET @n = 2\nGO\n";
    CHECK(sqlfe_dialect_guess_why("b.sql", batch, strlen(batch), why, sizeof why) == SQLFE_TSQL);
    CHECK_STR(why, "GO batches, dbo schema, @variables");
    CHECK(sqlfe_dialect_guess_why("dir.x/c.bteq", "SELECT 1;", 9, why, sizeof why) == SQLFE_TERADATA);
    CHECK_STR(why, "file extension .bteq");
    CHECK(sqlfe_dialect_guess_why("c.sql", "SELECT 1;", 9, why, sizeof why) == SQLFE_ANSI);
    CHECK_STR(why, "no dialect-specific hints");
    const char *dbx = "CREATE TABLE t USING DELTA AS SELECT * FROM s LATERAL VIEW explode(a) e AS x;";
    CHECK(sqlfe_dialect_guess_why("d.sql", dbx, strlen(dbx), why, 8) == SQLFE_SPARK);
    CHECK_STR(why, "USING D"); /* cut to the buffer, still NUL-terminated */
    /* a DB2 CLP script ('@' terminators) that calls DBMS_OUTPUT and handles EXCEPTIONs is still DB2;
     * a PL/pgSQL body goes to the reader of $$ bodies (NZPLSQL's) */
    const char *clp = "-- the store sample\nCONNECT TO sample@\nCREATE PROCEDURE p() BEGIN\n  DECLARE EXIT HANDLER FOR SQLEXCEPTION "
                      "RESIGNAL;\n  CALL DBMS_OUTPUT.PUT_LINE('x');\nEND@\n";
    CHECK(sqlfe_dialect_guess("m.sql", clp, strlen(clp)) == SQLFE_DB2);
    const char *pg = "CREATE FUNCTION f() RETURNS void AS $$ BEGIN NULL; END; $$ LANGUAGE plpgsql;";
    CHECK(sqlfe_dialect_guess("f.sql", pg, strlen(pg)) == SQLFE_NETEZZA);
    CHECK(sqlfe_dialect_by_name("databricks") == SQLFE_SPARK && sqlfe_dialect_by_name("spark2") == SQLFE_SPARK);
    CHECK_STR(sqlfe_tsql_style_format(112), "YYYYMMDD");
    ir_job *job = ir_job_new("t");
    CHECK_STR(sqlfe_datefmt_to_canonical(job, "yyyy-mm-dd hh24:mi:ss"), "YYYY-MM-DD HH24:MI:SS");
    CHECK_STR(sqlfe_datefmt_to_canonical(job, "DD-MON-RR"), "DD-MON-RR");
    CHECK(sqlfe_datefmt_to_canonical(job, "J") == NULL);
    ir_job_free(job);
}

/* ---- the frontend ---- */

static int n_jobs_seen;
static char job_dump[8192];

static void on_job(void *ud, ir_job *job)
{
    (void)ud;
    n_jobs_seen++;
    strbuf sb = STRBUF_INIT;
    dump_job(&sb, job);
    if (n_jobs_seen == 1)
        snprintf(job_dump, sizeof job_dump, "%s", sb_cstr(&sb));
    sb_free(&sb);
    ir_job_free(job);
}

static void test_frontend(void)
{
    char path[] = "/tmp/sqlfe_testXXXXXX.sql";
    int fd = mkstemps(path, 4);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    const char *script = ".LOGON tdpid/user,pw;\n"
                         "CREATE VOLATILE TABLE stage AS (SEL a.id, a.amt FROM src.orders a WHERE a.amt > 0) WITH DATA;\n"
                         ".IF ERRORCODE <> 0 THEN .QUIT 8;\n"
                         "INSERT INTO dw.fact (id, amount) SEL id, SUM(amt) FROM stage GROUP BY 1;\n"
                         "DELETE FROM stage ALL;\n"
                         "MERGE INTO dw.dim d USING src.dim s ON d.k = s.k\n"
                         "WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (k, v) VALUES (s.k, s.v);\n"
                         ".LOGOFF;\n";
    if (write(fd, script, strlen(script)) != (ssize_t)strlen(script))
        CHECK(0);
    close(fd);
    CHECK(sql_frontend.detect(path, script, strlen(script)) > 0);
    CHECK(sql_frontend.detect("m.xml", "<?xml version", 13) == 0);
    capture cap = {STRBUF_INIT};
    diag_ctx dc;
    diag_init(&dc, capture_sink, &cap);
    fe_counts counts = {0, 0, 0};
    n_jobs_seen = 0;
    int rc = sql_frontend.read(path, NULL, &dc, on_job, NULL, &counts);
    CHECK(rc == 0);
    CHECK(n_jobs_seen == 3);
    CHECK(counts.jobs == 3);
    CHECK(counts.transformations == 7);
    CHECK(strstr(job_dump, "#1 source a dataset=src.orders") != NULL);
    CHECK(strstr(job_dump, "target stage dataset=stage in=3 load=2") != NULL);
    if (cap.sb.len)
        fprintf(stderr, "%s\n", sb_cstr(&cap.sb));
    sb_free(&cap.sb);
    unlink(path);
}

int main(void)
{
    RUN(test_dialect_names);
    RUN(test_parse_cases);
    RUN(test_expr_cases);
    RUN(test_lower_cases);
    RUN(test_error_cases);
    RUN(test_proc_cases);
    RUN(test_frontend);
    return TEST_SUMMARY();
}
