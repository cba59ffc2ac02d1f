/*
 * snow_query.c — statements of the SQL-shaped IR (ir/ir_sql.h) as Snowflake SQL: the shared
 * statement printer (backends/sqltext) with Snowflake's expressions, names and types. Used by
 * `etlport transpile` and by procedural units (snow_proc.c).
 */
#include "backends/snowflake/snow_internal.h"
#include "backends/sqltext/sqltext.h"

static void s_expr(void *ud, strbuf *sb, const ir_expr *e)
{
    snow_expr(ud, sb, e);
}

static void s_type(strbuf *sb, ir_type t)
{
    if (t.kind == IR_TY_UNKNOWN)
        sb_puts(sb, "VARCHAR /* type unknown in the legacy statement */");
    else
        snow_type(sb, t);
}

static void s_comment(strbuf *sb, const char *text)
{
    snow_comment_text(sb, text);
}

static const sqltext_dialect snowflake_sql = {
    .name = "snowflake",
    .expr = s_expr,
    .ident = snow_sql_name,
    .type = s_type,
    .comment = s_comment,
    .nulls_largest = true,
    .table_fn_wrapper = true,
    .star_except = "EXCLUDE",
    .explode_arrays = false,
    .has_qualify = true,
    .has_update_from = true,
    .has_temp_tables = true,
    .insert_overwrite = "INSERT OVERWRITE INTO ",
    .add_columns_list = false,
    .has_procedures = true,
    .has_alter_if_exists = true,
    .offset_alone = false,
    .has_transactions = true,
    .has_databases = true,
    .has_sequences = true,
    .alter_type = "SET DATA TYPE ",
    .has_set_default = false,
    .has_recursive_cte = true,
};

void snow_query_sql(snow_ctx *c, strbuf *sb, const ir_query *q)
{
    sqltext_query_inline(sb, &snowflake_sql, c, q);
}

int snow_stmt_sql(strbuf *sb, const ir_job *job, const ir_stmt *s, int param_style, be_result *res)
{
    snow_ctx c;
    snow_ctx_init(&c, job, NULL);
    c.param_style = param_style;
    strbuf where;
    sb_init(&where);
    snow_span(&where, s->span, job);
    sqltext_result r = {0, 0};
    int rc = sqltext_stmt(sb, &snowflake_sql, &c, s, sb_cstr(&where), &r);
    sb_free(&where);
    if (res) {
        res->holes += c.holes + r.holes;
        res->unsupported += c.unsupported + r.unsupported;
    }
    return rc == 0 && c.unsupported == 0 ? 0 : rc == 1 ? 1 : -1;
}
