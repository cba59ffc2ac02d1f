/*
 * snowflake_backend.c — the Snowflake backend's entry points (backends/backend.h) and the table of
 * canonical functions it cannot express, each with its reason. Job emission lives in snow_job.c,
 * procedural units in snow_proc.c, statements in snow_query.c, expressions in snow_expr.c;
 * docs/snowflake-backend.md describes the mapping.
 */
#include "backends/snowflake/snow_internal.h"

#include <string.h>

int snow_emit_job(const ir_job *job, const be_options *opt, strbuf *out, be_result *res, diag_ctx *dc);
int snow_emit_unit(const ir_unit *u, const be_options *opt, strbuf *out, be_result *res, diag_ctx *dc);

/* Canonical functions without a faithful Snowflake form. The coverage test checks that every row
 * of functions.def is either rendered or listed here. */
static const struct {
    ir_fn fn;
    const char *reason;
} unsupported_fns[] = {
    {IR_FN_CRC32, "Snowflake has no CRC-32 function (HASH is a different 64-bit hash)"},
    {IR_FN_ERROR, "SQL has no per-row reject from inside an expression; the row is loaded with NULL"},
    {IR_FN_ABORT, "a SQL expression cannot stop the run; the value is NULL"},
    {IR_FN_SET_VARIABLE, "mapping variables are not persisted between runs (the value passes through)"},
    {IR_FN_SET_MAX_VARIABLE, "mapping variables are not persisted between runs (the value passes through)"},
    {IR_FN_SET_MIN_VARIABLE, "mapping variables are not persisted between runs (the value passes through)"},
    {IR_FN_SET_COUNT_VARIABLE, "mapping variables are not persisted between runs"},
};

const char *snow_fn_unsupported_reason(ir_fn fn)
{
    for (size_t i = 0; i < sizeof unsupported_fns / sizeof unsupported_fns[0]; i++)
        if (unsupported_fns[i].fn == fn)
            return unsupported_fns[i].reason;
    return NULL;
}

static int emit_job(const ir_job *job, const be_options *opt, strbuf *out, be_result *res, diag_ctx *dc)
{
    return snow_emit_job(job, opt, out, res, dc);
}

static int emit_expr(const ir_job *job, const ir_expr *e, strbuf *out)
{
    snow_ctx c;
    snow_ctx_init(&c, job, NULL);
    return snow_expr(&c, out, e);
}

static int supports_fn(ir_fn fn)
{
    if ((int)fn < 0 || fn >= IR_FN__COUNT)
        return 0;
    return snow_fn_unsupported_reason(fn) == NULL;
}

static int emit_stmt(const ir_job *job, const ir_stmt *s, strbuf *out, be_result *res, const char *where)
{
    (void)where; /* snow_stmt_sql names the statement's own span */
    return snow_stmt_sql(out, job, s, SNOW_PARAM_SESSION, res);
}

const backend snowflake_backend = {"snowflake", "snowflake.sql", emit_job, emit_expr, supports_fn, snow_emit_unit,
                                   emit_stmt};
