/*
 * fuzz_transpile.c — libFuzzer target for what `etlport transpile` and the procedural layer do
 * with untrusted SQL: the first input byte picks the dialect, the rest is a script. Every statement
 * is split and parsed; parsed ones go through sqlfe_lower_stmt (the SQL-shaped IR), raw ones
 * through sqlfe_lower_other, procedural blocks through sqlfe_units; each result is printed as
 * canonical text and written by both backends (Snowflake SQL / Scripting, Spark SQL / PySpark),
 * which walks every tree built.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "core/strbuf.h"
#include "frontends/sql/sqlfe.h"
#include "ir/ir_sql.h"
#include "ir/ir_unit.h"

extern const backend snowflake_backend, spark_backend;

static void quiet(void *userdata, const diag *d)
{
    (void)userdata;
    (void)d;
}

static void write_stmt(ir_job *job, const ir_stmt *s, strbuf *sb)
{
    be_result r = {0, 0};
    sb_clear(sb);
    ir_stmt_to_text(sb, job, s);
    ir_stmt_holes(s, NULL, NULL);
    snowflake_backend.emit_stmt(job, s, sb, &r, "fuzz.sql:1");
    spark_backend.emit_stmt(job, s, sb, &r, "fuzz.sql:1");
}

static void on_unit(void *userdata, ir_unit *u)
{
    strbuf *sb = userdata;
    be_options opt = {0};
    be_result r = {0, 0};
    diag_ctx dc;
    diag_init(&dc, quiet, NULL);
    sb_clear(sb);
    ir_unit_to_text(sb, u);
    ir_unit_to_json(u, sb);
    ir_unit_holes(u, NULL, NULL);
    snowflake_backend.emit_unit(u, &opt, sb, &r, &dc);
    spark_backend.emit_unit(u, &opt, sb, &r, &dc);
    ir_unit_free(u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 32 * 1024)
        return 0;
    static const sqlfe_dialect dialects[] = {SQLFE_ORACLE, SQLFE_TSQL,      SQLFE_TERADATA, SQLFE_DB2,
                                             SQLFE_NETEZZA, SQLFE_SNOWFLAKE, SQLFE_SPARK,    SQLFE_ANSI};
    sqlfe_dialect d = dialects[data[0] % (sizeof dialects / sizeof dialects[0])];
    srcfile *f = srcfile_from_text("fuzz.sql", (const char *)data + 1, size - 1);
    diag_ctx dc;
    diag_init(&dc, quiet, NULL);
    arena *a = arena_new();
    sqlfe_script sc;
    sqlfe_parse_script(a, f->text, f->len, d, &sc);
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < sc.n_stmts; i++) {
        const sqlfe_stmt *st = &sc.stmts[i];
        ir_span base = {"fuzz.sql", 1, 1};
        srcfile_line_col(f, st->start, &base.line, &base.col);
        ir_job *job = ir_job_new("fuzz");
        if (sqlfe_stmt_kind_parsed(st->kind)) {
            ir_stmt *s = sqlfe_lower_stmt(job, f->text + st->start, st->end - st->start, d, NULL, base, &dc);
            if (s)
                write_stmt(job, s, &sb);
        } else if (st->kind == SQLFE_ST_OTHER) {
            ir_stmt *s = sqlfe_lower_other(job, f->text + st->start, st->end - st->start, d, NULL, base, &dc);
            if (s)
                write_stmt(job, s, &sb);
            ir_expr *e = sqlfe_lower_scalar(job, f->text + st->start, st->end - st->start, d, NULL, base, &dc);
            if (e) {
                sb_clear(&sb);
                ir_expr_to_text(&sb, ir_sql_canonicalize(job, e));
            }
        } else if (st->kind == SQLFE_ST_PROCEDURAL) {
            const char *why = NULL;
            sqlfe_units(f, st->start, st->end, d, "fuzz_block", &dc, on_unit, &sb, &why);
        }
        ir_job_free(job);
    }
    sb_free(&sb);
    arena_free(a);
    srcfile_free(f);
    return 0;
}
