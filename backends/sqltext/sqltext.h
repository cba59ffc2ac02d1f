/*
 * sqltext.h — the SQL-shaped IR (ir/ir_sql.h) as SQL text, shared by the backends that speak SQL.
 * A backend describes its dialect (how it writes expressions, names and types, and which
 * statement forms it has) and gets statements back in that dialect. Backends only: frontends
 * never see this.
 */
#ifndef ETLPORT_BACKENDS_SQLTEXT_SQLTEXT_H
#define ETLPORT_BACKENDS_SQLTEXT_SQLTEXT_H

#include "core/strbuf.h"
#include "ir/ir.h"
#include "ir/ir_sql.h"

typedef struct sqltext_dialect {
    const char *name;
    /* an expression with its canonical meaning (ud: the backend's context) */
    void (*expr)(void *ud, strbuf *sb, const ir_expr *e);
    /* a dotted name of the SQL-shaped form, quoted as the dialect needs */
    void (*ident)(strbuf *sb, const char *dotted);
    /* a column type */
    void (*type)(strbuf *sb, ir_type t);
    /* a comment line's text (no newline inside) */
    void (*comment)(strbuf *sb, const char *text);
    bool nulls_largest;      /* NULLs sort as the largest value (Snowflake) or the smallest (Spark) */
    bool table_fn_wrapper;   /* table functions in FROM are written TABLE(f(..)) */
    const char *star_except; /* * <star_except> (a, b): "EXCLUDE" (Snowflake); NULL: none (Spark 3.5) */
    bool explode_arrays;     /* unnest (a row per array position) as Spark's generators: LATERAL VIEW
                                [OUTER] EXPLODE(a) t AS x at the end of FROM, EXPLODE(a) t (x) as the
                                whole FROM, INLINE(ARRAYS_ZIP(a, ..)) of several; else unsupported */
    bool has_qualify;        /* QUALIFY exists; else rewritten as a filter over a subquery */
    bool has_update_from;    /* UPDATE .. FROM and DELETE .. USING exist; else MERGE / EXISTS */
    bool has_temp_tables;    /* CREATE TEMPORARY TABLE; else a temporary view (CTAS) or a table */
    const char *insert_overwrite; /* "INSERT OVERWRITE INTO " / "INSERT OVERWRITE TABLE " */
    bool add_columns_list;   /* ALTER TABLE t ADD COLUMNS (a T, b T) (Spark); else ADD COLUMN a T, b T */
    bool has_procedures;     /* CALL p(args) runs a stored procedure; else a hole that says where it went */
    bool has_alter_if_exists; /* ALTER TABLE IF EXISTS t */
    bool offset_alone;       /* OFFSET n without a LIMIT (Spark 3.4); else LIMIT NULL OFFSET n (Snowflake) */
    bool has_transactions;   /* COMMIT / ROLLBACK; else a comment: each statement commits on its own */
    bool has_databases;      /* USE / CREATE DATABASE (a catalog of schemas); else those are holes */
    bool has_sequences;      /* CREATE SEQUENCE; else a hole */
    const char *alter_type;  /* ALTER COLUMN c <alter_type> T: "SET DATA TYPE " (Snowflake), "TYPE " (Spark) */
    bool has_set_default;    /* ALTER COLUMN c SET DEFAULT e; else unsupported (Snowflake: sequences only) */
    bool has_recursive_cte;  /* WITH RECURSIVE (a CTE that reads itself); else unsupported (Spark 3.5) */
} sqltext_dialect;

typedef struct sqltext_result {
    int holes;       /* statement holes written (comment blocks) */
    int unsupported; /* statement forms the dialect cannot say (marked placeholders) */
} sqltext_result;

/* A statement, without the final ';'. Returns 0, 1 when the statement is a hole (only comment
 * lines were written: the caller writes no ';'), or -1 when part of it could not be expressed
 * (marked in the text, counted in res). */
int sqltext_stmt(strbuf *sb, const sqltext_dialect *d, void *ud, const ir_stmt *s, const char *where,
                 sqltext_result *res);
/* A query on one line (a subquery inside an expression). */
void sqltext_query_inline(strbuf *sb, const sqltext_dialect *d, void *ud, const ir_query *q);

#endif
