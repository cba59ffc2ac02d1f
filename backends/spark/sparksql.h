/*
 * sparksql.h — canonical IR expressions (ir/functions.def) as Spark SQL text (Spark 3.5 and
 * Databricks SQL), for spark.sql(...) statements, SQL cells and the verifier. The PySpark emitter
 * (spark_internal.h) writes the same IR as Column code; both make the same semantic choices, and
 * docs/spark-backend.md ("Spark SQL expressions") lists where the SQL idioms differ.
 *
 * Every function keeps its canonical meaning, flags included: where Spark's builtin differs the
 * text adds the guard or picks the idiom that restores it. What cannot be expressed is a typed (or
 * plain) NULL with an `ETLPORT UNSUPPORTED` comment, IR holes a NULL with an `ETLPORT HOLE`
 * comment; both are counted in the context. Like the PySpark backend, the text assumes
 * spark.sql.ansi.enabled=false (the Spark 3.x default) except where a try_ function makes the
 * meaning independent of the setting (try_divide, try_cast, try_to_timestamp).
 *
 * Visible within backends/; other stages go through backends/backend.h.
 */
#ifndef ETLPORT_BACKENDS_SPARK_SPARKSQL_H
#define ETLPORT_BACKENDS_SPARK_SPARKSQL_H

#include "core/strbuf.h"
#include "ir/ir.h"

/* How references to one input node print: <alias>.<column> (joins, lookups). */
typedef struct sparksql_qual {
    int node;          /* input node id */
    const char *alias; /* table alias written before the column, e.g. "d", "m" */
} sparksql_qual;

struct ir_query;

/* Writes a subquery (IR_EX_QUERY of the SQL-shaped form, ir/ir_sql.h) without its parentheses. */
typedef void (*sparksql_query_fn)(void *userdata, strbuf *sb, const struct ir_query *q);

typedef struct sparksql_ctx {
    const ir_job *job;   /* may be NULL: references then print their column text as a dotted name */
    const ir_node *node; /* may be NULL; window calls need the window node here (partition, order, frame) */
    int holes;           /* IR_EX_HOLE placeholders written */
    int unsupported;     /* calls that could not be expressed (placeholder written) */
    int params_as_markers; /* 1: job parameters print as named parameter markers :name (spark.sql(text, args=...)); 0: as ${name} */
    int order_dependent; /* values written with an order-dependent idiom (first/last, invented window order) */
    sparksql_qual quals[2]; /* qualifiers for references to these input nodes (n_quals of them) */
    int n_quals;
    sparksql_query_fn query_fn; /* statements: writes subqueries; NULL: a subquery is unsupported */
    void *query_userdata;
    int self_depth;      /* internal: references to the node's own columns being inlined */
    int agg_depth;       /* internal: > 0 inside an aggregate call's arguments */
    int window_depth;    /* internal: > 0 inside a window call's arguments */
    const ir_node *over; /* internal: a statement's OVER clause as a window node, for the next window call */
} sparksql_ctx;

/* Clears c and sets the job and the node that owns the expressions (either may be NULL). */
void sparksql_ctx_init(sparksql_ctx *c, const ir_job *job, const ir_node *node);

/* Appends e as one line of Spark SQL (no redundant parentheses at the top level). Returns 0, or -1
 * when a marked placeholder for an unsupported call was written (counted in c->unsupported). IR
 * holes are counted in c->holes and do not make the result -1. */
int sparksql_expr(sparksql_ctx *c, strbuf *sb, const ir_expr *e);

/* Appends a column or alias name, back-quoted (`a b`, backticks doubled) only when it is not a
 * plain identifier or is a word Spark or Databricks SQL reserves. */
void sparksql_ident(strbuf *sb, const char *name);

/* Appends a dotted name (`s.t.col`, `db.table`) with each part written by sparksql_ident. */
void sparksql_qname(strbuf *sb, const char *dotted);

/* Appends the Spark SQL type name of t: VARCHAR(n) for a string with a length (a table column checks
 * it on write; a CAST to it is a plain STRING in Spark 3.5), STRING without one, DECIMAL(p,s)
 * (DECIMAL(38,18) when the precision is unknown), TIMESTAMP, DATE, INT, BIGINT, DOUBLE, BOOLEAN,
 * BINARY; STRING for an unknown type. */
void sparksql_type(strbuf *sb, ir_type t);

/* Appends s as a Spark SQL string literal: single quotes, with ' and \ backslash-escaped (Spark
 * reads backslash escapes in literals by default; two adjacent literals would be concatenated, so
 * '' is not an escape), control characters as \n \t \r or \uXXXX, and ${ written so that variable
 * substitution leaves it alone. */
void sparksql_string(strbuf *sb, const char *s);

/* Why the Spark SQL emitter cannot express fn at all, or NULL when it can (some argument shapes
 * of a supported function may still be unsupported; the placeholder then says why). */
const char *sparksql_fn_unsupported_reason(ir_fn fn);

struct ir_stmt;
/* A statement of the SQL-shaped IR (ir/ir_sql.h) as Spark SQL, without the final ';'
 * (sparksql_query.c). params_as_markers as in sparksql_ctx; where: "file:line" for hole comments.
 * Adds placeholders to *holes / *unsupported (either may be NULL). Returns 0; 1 when the statement
 * is a hole (only comment lines written); -1 when part of it could not be expressed. */
int sparksql_stmt(strbuf *sb, const ir_job *job, const struct ir_stmt *s, int params_as_markers, const char *where,
                  int *holes, int *unsupported);

/* Lets c write subqueries (IR_EX_QUERY) as sparksql_stmt does, so that an expression evaluated on
 * its own (a procedure's condition or assignment, SELECT <expr>) keeps its subqueries
 * (sparksql_query.c). c must outlive the writes. */
void sparksql_ctx_with_queries(sparksql_ctx *c);

#endif
