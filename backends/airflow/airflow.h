/*
 * airflow.h — the Airflow backend: one DAG module (Airflow 2.7+) per workflow (ir/ir_flow.h).
 *
 * The backend struct of backend.h is for jobs; flows have their own entry point here. Every legacy
 * task keeps its name as task_id (characters Airflow forbids become '_', said in a comment); a
 * sub-flow becomes a TaskGroup named after its instance. Dependencies, trigger rules and the few
 * tasks the backend inserts (link gates, pre/post SQL, a sub-flow's end) follow the mapping in
 * docs/airflow.md, which tools/dagcheck.c checks on every generated DAG.
 *
 * Output is deterministic: flow order only, no clock, no absolute paths the IR does not hold.
 * Holes (HOLE tasks, expression holes, conditions with no Airflow form) become tasks or gates
 * that fail loudly naming the legacy location and text, marked `# HOLE`; nothing is dropped.
 */
#ifndef ETLPORT_BACKENDS_AIRFLOW_AIRFLOW_H
#define ETLPORT_BACKENDS_AIRFLOW_AIRFLOW_H

#include "backends/backend.h"
#include "core/diag.h"
#include "core/strbuf.h"
#include "ir/ir_flow.h"

/* Where a job's artifacts are, OUTDIR-relative ("<folder>/<job dir>"), as the caller wrote them;
 * NULL when the caller does not know the job (the backend then uses <folder>/<job>, as convert
 * names it, and says in a comment that the job was not converted before the flow). folder is the
 * task's job_folder or the flow's folder (may be NULL). */
typedef const char *(*airflow_job_dir_fn)(void *userdata, const char *folder, const char *job);

typedef struct airflow_options {
    /* What runs a JOB task: "spark" (SparkSubmitOperator over the job's spark.py; the default when
     * NULL) or "snowflake" (SQLExecuteQueryOperator over its snowflake.sql). */
    const char *job_target;
    airflow_job_dir_fn job_dir; /* may be NULL */
    void *userdata;             /* for job_dir and on_hole */
    /* Called for each place the backend could not express (kind "condition": a link or decision
     * condition with no Airflow form; "event": a wait for an event nothing in the flow raises;
     * "loop": a link that closes a cycle, which a DAG cannot have),
     * in emission order; holes the IR already marks are not reported here (ir_flow_holes lists
     * them). May be NULL. */
    ir_hole_fn on_hole;
} airflow_options;

/* Appends the DAG module for f to out. res->holes counts every placeholder written (IR holes and
 * what the backend could not express); res->unsupported only the latter. opt may be NULL (all
 * defaults). Returns 0, or -1 if nothing usable could be produced (an edge naming no task). */
int airflow_emit_flow(const ir_flow *f, const airflow_options *opt, strbuf *out, be_result *res, diag_ctx *dc);

/* The task_id the backend gives a legacy name: letters, digits, '_' and '-' kept, anything else
 * (dots included: they separate TaskGroup prefixes) becomes '_'; empty names become "task".
 * Writes at most size-1 bytes to buf; returns whether the name changed. */
bool airflow_task_id(const char *name, char *buf, size_t size);

#endif
