/*
 * frontend.h — what every frontend provides. A frontend reads one legacy file and hands each job
 * it finds to a callback as soon as the job is complete, so a run never holds more than one job's
 * IR (plus the file's shared definitions) in memory. Frontends know nothing of backends.
 */
#ifndef ETLPORT_FRONTENDS_FRONTEND_H
#define ETLPORT_FRONTENDS_FRONTEND_H

#include <stddef.h>

#include "core/diag.h"
#include "ir/ir.h"

/* One statement of a script (SQL frontend), reported in file order whether or not it became a job. */
typedef struct fe_statement {
    const char *kind;   /* "insert", "create_table", "merge", "procedure", "command", "other", ... */
    int line, col;      /* where it starts in the file, 1-based */
    const char *status; /* "converted" (a job), "skipped" (nothing to translate), "hole" (kept as text,
                           not translated), "failed" (a parse error, also reported as an error) */
    const char *job;    /* the job's name when converted, else NULL */
    const char *reason; /* why skipped / a hole / what is approximate; NULL when none */
    const char *text;   /* the statement's text for holes and client commands, else NULL */
    const char *unit;   /* the procedural unit(s) the statement became (fe_options.on_unit), comma-separated
                           when several (a package body); NULL when none. With a unit, "converted" means
                           no step is a hole and "hole" that some are (the unit lists them) */
} fe_statement;

/* Receives each statement of a script; the strings live until the call returns. */
typedef void (*fe_statement_fn)(void *userdata, const fe_statement *st);

typedef struct ir_unit ir_unit;
/* Receives a procedural unit (ir/ir_unit.h: a procedure, function, block or BTEQ script); the
 * callee owns it and frees it with ir_unit_free. */
typedef void (*fe_unit_fn)(void *userdata, ir_unit *unit);

typedef struct ir_flow ir_flow;
/* Receives a workflow (ir/ir_flow.h: an Informatica workflow, an Ab Initio plan, a script's
 * statement order); the callee owns it and frees it with ir_flow_free. */
typedef void (*fe_flow_fn)(void *userdata, ir_flow *flow);

typedef struct fe_options {
    /* Informatica parameter files (--params, repeatable), read in order: for the same parameter
     * and the same section precedence, a later file wins. */
    const char *const *params_files;
    int n_params_files;
    /* SQL scripts: the dialect to read them in ("oracle", "tsql", ...); NULL guesses it per file. */
    const char *dialect;
    /* SQL scripts, out: where the frontend stores the name of the dialect it read the file in (a
     * static string); may be NULL. */
    const char **dialect_used;
    /* SQL scripts: called for every statement (may be NULL); userdata is the read's userdata. */
    fe_statement_fn on_statement;
    /* SQL scripts: called for every procedural unit (may be NULL: units are still read, so the
     * statements' status is the same, and freed); userdata is the read's userdata. Called before
     * the statement it came from is reported (a BTEQ / SQL*Plus script unit: after the last one). */
    fe_unit_fn on_unit;
    /* Every frontend: called for every workflow the file holds (may be NULL: flows are then not
     * built); userdata is the read's userdata. Called after the jobs the flow runs were handed
     * over, so their names are known. */
    fe_flow_fn on_flow;
} fe_options;

/* Receives a finished job; the callee owns it and frees it with ir_job_free. */
typedef void (*fe_job_fn)(void *userdata, ir_job *job);

typedef struct fe_counts {
    int jobs;            /* jobs handed to the callback */
    int workflows;       /* workflow-level objects read (converted by a later stage) */
    int transformations; /* legacy transformations / components read */
} fe_counts;

typedef struct frontend {
    const char *name; /* "informatica", ... as written in report.json */
    /* How sure the frontend is that this file is its format, 0 (not mine) to 100, from the first
     * bytes of the file (head, n bytes) and its path. */
    int (*detect)(const char *path, const char *head, size_t n);
    /* Reads path. Errors go to dc with file:line:col; the frontend keeps going where it can and
     * still hands over the jobs it could read. Returns 0 when the file was read without error,
     * -1 otherwise. counts may be NULL. */
    int (*read)(const char *path, const fe_options *opt, diag_ctx *dc, fe_job_fn on_job, void *userdata,
                fe_counts *counts);
} frontend;

#endif
