/*
 * sparksql_query.c — statements of the SQL-shaped IR (ir/ir_sql.h) as Spark SQL (Spark 3.5 with
 * Delta tables): the shared statement printer (backends/sqltext) with Spark SQL expressions,
 * names and types. Spark has no QUALIFY, no UPDATE .. FROM / DELETE .. USING and no temporary
 * tables: sqltext rewrites them (a filter over a subquery, MERGE, EXISTS, a temporary view).
 */
#include "backends/spark/sparksql.h"
#include "backends/sqltext/sqltext.h"

static void q_expr(void *ud, strbuf *sb, const ir_expr *e)
{
    sparksql_expr(ud, sb, e);
}

static void q_comment(strbuf *sb, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++)
        sb_putc(sb, *p == '\n' || *p == '\r' ? ' ' : *p);
}

static const sqltext_dialect spark_sql = {
    .name = "spark",
    .expr = q_expr,
    .ident = sparksql_qname,
    .type = sparksql_type,
    .comment = q_comment,
    .nulls_largest = false,
    .table_fn_wrapper = false,
    .star_except = NULL, /* Databricks has * EXCEPT (..), Spark 3.5 SQL none */
    .explode_arrays = true,
    .has_qualify = false,
    .has_update_from = false,
    .has_temp_tables = false,
    .insert_overwrite = "INSERT OVERWRITE TABLE ",
    .add_columns_list = true,
    .has_procedures = false,
    .has_alter_if_exists = false,
    .offset_alone = true,
    .has_transactions = false,
    .has_databases = false,
    .alter_type = "TYPE ",
    .has_set_default = true,
    .has_recursive_cte = false,
};

static void subquery(void *ud, strbuf *sb, const struct ir_query *q)
{
    sqltext_query_inline(sb, &spark_sql, ud, q);
}

void sparksql_ctx_with_queries(sparksql_ctx *c)
{
    c->query_fn = subquery;
    c->query_userdata = c;
}

int sparksql_stmt(strbuf *sb, const ir_job *job, const ir_stmt *s, int params_as_markers, const char *where,
                  int *holes, int *unsupported)
{
    sparksql_ctx c;
    sparksql_ctx_init(&c, job, NULL);
    c.params_as_markers = params_as_markers;
    sparksql_ctx_with_queries(&c);
    sqltext_result r = {0, 0};
    int rc = sqltext_stmt(sb, &spark_sql, &c, s, where, &r);
    if (holes)
        *holes += c.holes + r.holes;
    if (unsupported)
        *unsupported += c.unsupported + r.unsupported;
    return rc == 1 ? 1 : rc == 0 && c.unsupported == 0 ? 0 : -1;
}
