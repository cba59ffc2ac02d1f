/*
 * spark_internal.h — shared pieces of the PySpark backend: expression rendering (spark_expr.c),
 * the canonical-function support table, date-format translation, and the small text helpers the
 * job emitter (spark_backend.c) uses. Not a public header: backends/backend.h is what other stages
 * see; tests include this one for the coverage check.
 *
 * Target: PySpark 3.5 DataFrame API (pyspark.sql.functions as F), Delta Lake for merges. Generated
 * code assumes spark.sql.ansi.enabled=false, the Spark 3.x default (casts of bad strings and
 * division by zero give NULL, as in Informatica).
 */
#ifndef ETLPORT_BACKENDS_SPARK_SPARK_INTERNAL_H
#define ETLPORT_BACKENDS_SPARK_SPARK_INTERNAL_H

#include <stdbool.h>

#include "backends/backend.h"

/* Module-level imports an expression needed beyond the fixed ones. */
enum {
    SPARK_NEED_DECIMAL = 1u << 0,  /* from decimal import Decimal */
    SPARK_NEED_DATETIME = 1u << 1, /* SESSSTARTTIME: session_start_time (and the datetime import) */
    SPARK_NEED_PARAM_CONV = 1u << 2 /* typed job parameters: _etlport_param() (Decimal, datetime) */
};

/* Window specs a window node's calls used (spark_ctx.window_specs); the node's emitter defines
 * the variables before its select. */
enum {
    SPARK_WIN_ORDERED = 1u << 0,          /* _w: partition and the node's order (no frame) */
    SPARK_WIN_FRAMED = 1u << 1,           /* _wf: _w with the node's frame */
    SPARK_WIN_PARTITION = 1u << 2,        /* _wp: partition only (whole-partition aggregates) */
    SPARK_WIN_INVENTED = 1u << 3,         /* _wi: partition, every input column as order (no order keys) */
    SPARK_WIN_INVENTED_FRAMED = 1u << 4   /* _wif: _wi with the frame */
};

/* The frame a window node's frame-reading calls get: the node's, except that without order keys
 * a RANGE frame (every row a peer) is the whole partition, written as ROWS. */
ir_frame spark_window_frame(const ir_node *w);
/* Spark sorts the values of an ordered aggregate (string_agg_ordered, array_agg_ordered) in
 * structs behind their keys with sort_array: its keys into keys (at most max) and *nk, and NULL, or
 * why Spark cannot (keys going different directions, distinct values). A key's flag before it is
 * `IS NULL` where true_for_null[i] (NULLs after ascending, first descending), else `IS NOT NULL`. */
const char *spark_ordered_agg(const ir_expr *e, ir_sort_key *keys, bool *true_for_null, int max, int *nk);
/* How Spark writes a call of an array function (array_slice .. array_compact): the function name,
 * then either every argument of the call (all_args) or argument 0 and the literals lits[0..n_lits-1]
 * (booleans where lit_bool). */
typedef struct spark_array_call {
    const char *name;
    bool all_args;
    int n_lits;
    long long lits[2];
    bool lit_bool;
} spark_array_call;
/* The plan for e into *out, and NULL, or why Spark cannot write it: array_slice(a, from, to) is
 * slice(a, from + 1, to - from) for literal positions >= 0 only (slice counts a negative start from
 * the end without clamping it and fails on a negative length); array_sort's direction is sort_array
 * (asc nulls first; false: desc nulls last) or array_sort (asc nulls last), desc nulls first has no
 * function. */
const char *spark_array_plan(const ir_expr *e, spark_array_call *out);

/* How references to one input node print: F.col("<alias>.<NAME>"). */
typedef struct spark_qual {
    int node;          /* input node id */
    const char *alias; /* DataFrame alias ("d", "m", "i", "l") */
} spark_qual;

/* Called for every placeholder written (IR hole or unsupported call), for the module docstring. */
typedef void (*spark_hole_fn)(void *userdata, const char *kind, const char *location,
                              const char *text, const char *reason);

typedef struct spark_ctx {
    const ir_job *job;
    const ir_node *node;      /* node that owns the expressions; NULL for emit_expr */
    spark_qual quals[2];
    int n_quals;
    /* aggregate nodes: a reference outside any aggregate call that is not a group key takes the
     * last row's value (Informatica), written F.last(x, ignorenulls=False) */
    const ir_node *agg;
    int agg_depth;            /* > 0 while inside an aggregate call's arguments */
    int self_depth;           /* references to the node's own columns being inlined */
    int window_depth;         /* > 0 inside the arguments of a window call (window nodes) */
    unsigned window_specs;    /* SPARK_WIN_* the window calls written so far used */
    bool strict;              /* emit_expr: an unsupported call fails instead of a placeholder */
    ir_span span;             /* fallback location of placeholders (column or node) */
    const char *legacy;       /* legacy text of the expression being written, for placeholders */
    int holes;                /* placeholders written (IR holes and unsupported calls) */
    int unsupported;          /* calls that could not be expressed */
    int order_dependent;      /* values written with an order-dependent idiom */
    unsigned needs;           /* SPARK_NEED_* */
    spark_hole_fn on_hole;
    void *hole_userdata;
} spark_ctx;

void spark_ctx_init(spark_ctx *c, const ir_job *job, const ir_node *node);

/* Writes e as a PySpark Column expression. Returns 0, or -1 when part of it could not be expressed
 * (strict: nothing usable; otherwise a marked placeholder was written and counted). */
int spark_expr(spark_ctx *c, strbuf *sb, const ir_expr *e);
/* The same, as an operand that may be followed by a method call (.alias, .asc, ...). */
int spark_expr_primary(spark_ctx *c, strbuf *sb, const ir_expr *e);
/* The result type of e, looking through references and type rules when e carries none. */
ir_type spark_expr_type(const spark_ctx *c, const ir_expr *e);
/* Whether e contains an aggregate call. */
bool spark_expr_has_agg(const ir_expr *e);

/* Why the backend cannot express fn, or NULL when it can. */
const char *spark_fn_unsupported_reason(ir_fn fn);
/* The Java inline flags a regexp_like's flags ask for: "", "(?i)", "(?s)" or "(?is)". */
const char *spark_inline_flags(uint32_t fl);

/* Translates a canonical date format (ir/datefmt.h) into a Spark datetime pattern. *rr is set when
 * the format has RR (two-digit year with the century rule). Returns 0, or -1 for a bad token. */
int spark_datefmt(const char *canonical, strbuf *out, bool *rr);
/* The Spark SQL type name of t ("decimal(12,2)", "timestamp" ...); NULL when unknown. */
const char *spark_type_name(ir_type t, char *buf, size_t size);

/* F.col argument text for a column name: the name, back-quoted when Spark would split it. */
void spark_col_name(strbuf *sb, const char *qualifier, const char *name);
/* A Python string literal; raw (r"...") when that reads better and is safe (regex patterns). */
void spark_py_string(strbuf *sb, const char *s, bool prefer_raw);
/* The Python variable that holds job parameter name: p_<snake_case>. */
void spark_param_var(strbuf *sb, const char *name);
/* Appends the snake_case form of a legacy name (letters, digits, underscores; lower case). */
void spark_snake(strbuf *sb, const char *name);
/* "file:line" of a span, falling back to the job's file; "unknown" when nothing is known. */
void spark_location(strbuf *sb, const ir_job *job, ir_span sp);

#endif
