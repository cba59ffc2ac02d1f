/*
 * infa_expr.h — the Informatica PowerCenter expression language into canonical IR expressions.
 *
 * The parser knows the language (operators, comments, literals, functions, $$parameters,
 * :LKP./:SP. calls) and Informatica's semantics (SUBSTR positions, || with NULL, IIF without an
 * else, DECODE with NULL, date formats, integer vs decimal arithmetic). What a name means is the
 * caller's business: port names are resolved through a callback, so the same parser serves
 * Expression, Filter, Router, Aggregator, Update Strategy and lookup conditions.
 */
#ifndef ETLPORT_FRONTENDS_INFORMATICA_INFA_EXPR_H
#define ETLPORT_FRONTENDS_INFORMATICA_INFA_EXPR_H

#include "core/diag.h"
#include "ir/ir.h"

typedef struct infa_expr_ctx {
    ir_job *job;
    /* Resolves a port name (as written, case-insensitive in Informatica) to an expression, or
     * returns NULL when there is no such port (the parser reports it). Return a fresh expression:
     * the parser sets its span to the place of use when it has none. */
    ir_expr *(*resolve_port)(void *userdata, const char *name);
    /* Resolves an unconnected lookup or stored-procedure call (:LKP.name(args) / :SP.name(args)).
     * kind is "LKP" or "SP". Returns NULL to make the call a hole. May be NULL. */
    ir_expr *(*resolve_call)(void *userdata, const char *kind, const char *name, int n_args, ir_expr **args,
                             const char *text);
    void *userdata;
    /* Where the expression text starts in the legacy file, for error locations: maps a byte
     * offset in text to file line:col. NULL: errors are reported at (line, col) below. */
    void (*locate)(void *userdata, size_t offset, int *line, int *col);
    const srcfile *file; /* for the caret display; may be NULL */
    const char *path;    /* the legacy file */
    int line, col;       /* fallback location when locate is NULL */
    /* Aggregator context: aggregate functions are allowed (elsewhere they are an error). */
    int allow_aggregates;
} infa_expr_ctx;

/* Parses text into a typed expression in ctx->job. On a syntax error reports
 * `file:line:col: error: ...` through dc and returns NULL. Functions or constructs with no
 * canonical form become holes (ir_hole) carrying their text; they are not errors.
 * Semantic errors (unknown port, wrong argument count, an aggregate outside an Aggregator) are all
 * reported before NULL is returned; a syntax error ends the parse. dc may be NULL (no messages).
 * Without ctx->locate, locations count from (ctx->line, ctx->col), or from 1:1 when those are 0.
 * docs/informatica-functions.md lists how each Informatica function maps. */
ir_expr *infa_expr_parse(const infa_expr_ctx *ctx, const char *text, diag_ctx *dc);

/* Converts an Informatica date format string (e.g. 'MM/DD/YYYY HH24:MI:SS') to the canonical
 * format (docs/ir.md); returns NULL when it holds something with no canonical meaning. */
const char *infa_datefmt_to_canonical(ir_job *job, const char *fmt);

#endif
