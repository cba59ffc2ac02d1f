/*
 * backend.h — what every backend provides: the text of one artifact per job, and (for tests and
 * the verifier) the text of one expression. Backends know nothing of frontends.
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
} backend;

#endif
