/*
 * backend.h — what every backend provides: the text of one artifact per job, and (for tests and
 * the verifier) the text of one expression. Backends know nothing of frontends.
 *
 * Procedural units (stored procedures, scripts) go through the optional emit_unit.
 *
 * Holes: a backend never drops or passes through what the IR marks as a hole. It emits a
 * syntactically valid, clearly marked placeholder that names the legacy location and text,
 * and counts it.
 */
#ifndef ETLPORT_BACKENDS_BACKEND_H
#define ETLPORT_BACKENDS_BACKEND_H

#include "core/diag.h"
#include "core/strbuf.h"
#include "ir/ir.h"
#include "ir/ir_unit.h"

typedef struct be_options {
    int reserved; /* later: naming conventions, catalog/schema defaults, masking profile */
} be_options;

typedef struct be_result {
    int holes;       /* placeholders emitted */
    int unsupported; /* canonical functions or node kinds the backend could not express */
} be_result;

typedef struct backend {
    const char *name;     /* "snowflake", "spark": the --to name and the report's artifact key */
    const char *filename; /* the artifact's file name in the job's output folder */
    /* Appends the artifact for job to out. Returns 0, or -1 if nothing usable could be produced. */
    int (*emit_job)(const ir_job *job, const be_options *opt, strbuf *out, be_result *res, diag_ctx *dc);
    /* Appends one expression as the target writes it; references print as bare column names
     * (in the context of a single input). Returns 0, or -1 when unsupported. */
    int (*emit_expr)(const ir_job *job, const ir_expr *e, strbuf *out);
    /* Whether the backend can express the canonical function fn (the table-coverage test asks). */
    int (*supports_fn)(ir_fn fn);
    /* Appends the artifact for one procedural unit (ir/ir_unit.h: a stored procedure, block or
     * script): same contract as emit_job. NULL when the backend has no form for units. */
    int (*emit_unit)(const ir_unit *u, const be_options *opt, strbuf *out, be_result *res, diag_ctx *dc);
    /* Appends one statement of the SQL-shaped IR (ir/ir_sql.h) as the target's SQL, without the
     * final ';' (`etlport transpile`). where is "file:line" for hole comments. Returns 0; 1 when
     * the statement is a hole (only comment lines written: the caller writes no ';'); -1 when part
     * of it could not be expressed (a marked placeholder). NULL when the target has no SQL form. */
    int (*emit_stmt)(const ir_job *job, const ir_stmt *s, strbuf *out, be_result *res, const char *where);
} backend;

#endif
