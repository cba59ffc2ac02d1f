/*
 * fuzz_sql.c — libFuzzer target for the SQL frontend (frontends/sql/): the statement splitter,
 * the dialect-aware parser and the lowering of SELECTs into IR. The first input byte picks the
 * dialect; the rest is a script. Every statement is split and parsed; the text is also lowered as
 * one SELECT (as an Informatica override would be), and what lowers is written as IR JSON, which
 * walks every node and expression built.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "frontends/sql/sqlfe.h"
#include "ir/ir.h"

static void quiet(void *userdata, const diag *d)
{
    (void)userdata;
    (void)d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64 * 1024)
        return 0;
    static const sqlfe_dialect dialects[] = {SQLFE_ORACLE, SQLFE_TSQL, SQLFE_TERADATA, SQLFE_DB2,
                                             SQLFE_NETEZZA, SQLFE_SNOWFLAKE, SQLFE_ANSI, SQLFE_SPARK};
    sqlfe_dialect d = dialects[data[0] % (sizeof dialects / sizeof dialects[0])];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    arena *a = arena_new();
    sqlfe_script script;
    sqlfe_parse_script(a, text, len, d, &script);
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < script.n_stmts; i++)
        if (script.stmts[i].ast)
            sqlfe_ast_to_sexpr(&sb, script.stmts[i].ast);
    arena_free(a);

    ir_job *job = ir_job_new("fuzz");
    diag_ctx dc;
    diag_init(&dc, quiet, NULL);
    ir_span base = {"fuzz.sql", 1, 1};
    int out = 0;
    if (sqlfe_lower_select(job, text, len, d, NULL, base, &dc, &out) >= 0) {
        ir_job_infer_types(job);
        sb_clear(&sb);
        ir_job_to_json(job, &sb);
    }
    sb_free(&sb);
    ir_job_free(job);
    return 0;
}
