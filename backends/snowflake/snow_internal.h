/*
 * snow_internal.h — shared pieces of the Snowflake backend: identifier quoting, type names,
 * expression rendering (snow_expr.c) and the function-support table (snowflake_backend.c).
 * Not a public header: backends/backend.h is the interface other stages see.
 */
#ifndef ETLPORT_BACKENDS_SNOWFLAKE_SNOW_INTERNAL_H
#define ETLPORT_BACKENDS_SNOWFLAKE_SNOW_INTERNAL_H

#include "backends/backend.h"
#include "ir/ir_sql.h"

/* How references print while one node's expressions are rendered. */
typedef struct snow_qual {
    int node;         /* input node id */
    const char *name; /* CTE (or alias) that stands for it; NULL: print bare */
} snow_qual;

typedef struct snow_ctx {
    const ir_job *job;
    const ir_node *node; /* node that owns the expressions, or NULL (emit_expr) */
    snow_qual quals[4];  /* qualification of references by input node */
    int n_quals;
    int holes;           /* placeholders written for IR_EX_HOLE */
    int unsupported;     /* calls that could not be expressed (placeholder written) */
    int order_dependent; /* first/last or similar written with an arbitrary-row idiom */
    int self_depth;      /* nesting of references to the node's own columns being inlined */
    int window_depth;    /* > 0 inside the arguments of a window call (window nodes) */
    int param_style;     /* SNOW_PARAM_*: how IR_EX_PARAM prints */
    const ir_node *over; /* a statement's OVER clause as a window node, for the window call next printed */
} snow_ctx;

/* How job parameters / procedure variables print. */
enum {
    SNOW_PARAM_SESSION, /* $NAME: a session variable (jobs) */
    SNOW_PARAM_BIND,    /* :name: a variable inside a SQL statement of Snowflake Scripting */
    SNOW_PARAM_BARE     /* name: a variable in a Snowflake Scripting expression (LET, IF) */
};

void snow_ctx_init(snow_ctx *c, const ir_job *job, const ir_node *node);

/* An identifier, double-quoted only when Snowflake or the SQL grammar needs it. */
/* A Snowflake string literal: quotes doubled, backslashes escaped, and a '{' that opens a Jinja
 * marker ({{ {% {#) written \x7B, since Airflow renders a .sql file as a template. */
void snow_string(strbuf *sb, const char *s);
void snow_ident(strbuf *sb, const char *name);
/* A dotted dataset name, each part as snow_ident writes it. */
void snow_qname(strbuf *sb, const char *qualified);
/* A name of the SQL-shaped IR (ir_sql.h: dotted, unquoted parts folded to lower case): each part
 * bare when Snowflake reads it back as the same name, else double-quoted (a part with upper-case
 * letters came from a case-sensitive quoted identifier). */
void snow_sql_name(strbuf *sb, const char *dotted);
/* Whether name can be written without quotes. */
int snow_ident_plain(const char *name);
/* The Snowflake column type for an IR type (VARCHAR(n), NUMBER(p,s), TIMESTAMP_NTZ(n) ...). */
void snow_type(strbuf *sb, ir_type t);
/* `CAST(NULL AS <type>)`, or NULL when the type is unknown. */
void snow_typed_null(strbuf *sb, ir_type t);
/* Text inside a block comment: the closing sequence is broken up, newlines become spaces. */
void snow_comment_text(strbuf *sb, const char *text);
/* Each line of text as a `-- ` comment line, indented by indent spaces. */
void snow_line_comments(strbuf *sb, int indent, const char *prefix, const char *text);
/* A job parameter as a Snowflake session variable name (without the $): characters that cannot
 * appear in one (Informatica built-ins like $PMTarget@TableName) become '_'. */
void snow_param_name(strbuf *sb, const char *name);
/* "file:line" of a span (or "?" when unknown). */
void snow_span(strbuf *sb, ir_span sp, const ir_job *job);

/* Renders e. Returns 0, or -1 when part of it could not be expressed (a marked placeholder was
 * written instead, counted in c->unsupported). */
int snow_expr(snow_ctx *c, strbuf *sb, const ir_expr *e);
/* The result type of e, resolving references through the job when the expression has none. */
ir_type snow_expr_type(const snow_ctx *c, const ir_expr *e);
/* Whether e contains an aggregate call. */
int snow_expr_has_agg(const ir_expr *e);

/* A statement of the SQL-shaped IR (ir/ir_sql.h) as Snowflake SQL, without the final ';'.
 * param_style: SNOW_PARAM_*. Counts placeholders in res (may be NULL). Returns 0; 1 when the
 * statement is a hole (only comment lines written: no ';' after them); -1 when part of it could
 * not be expressed (marked in the text). snow_query.c. */
int snow_stmt_sql(strbuf *sb, const ir_job *job, const ir_stmt *s, int param_style, be_result *res);
/* One query (a subquery of an expression) as Snowflake SQL, with c's settings. */
void snow_query_sql(snow_ctx *c, strbuf *sb, const ir_query *q);

/* Why the backend cannot express fn, or NULL when it can. */
const char *snow_fn_unsupported_reason(ir_fn fn);

#endif
