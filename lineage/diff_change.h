/*
 * diff_change.h — the semantic change report between two versions of the same legacy jobs (two
 * exports of a mapping, two versions of a script, two conversion runs): which jobs, nodes and
 * target columns were added, removed or changed, each change with its canonical text before and
 * after and the legacy location on each side. docs/diff.md ("Change reports (OLD NEW)") describes
 * what counts as a change.
 *
 * Meaning is compared, not text: a target column is compared as its canonical expression in terms
 * of source columns (intermediate nodes inlined, so port, transformation and CTE names, aliases,
 * port and node order and formatting do not matter); row-shaping nodes (filters, joins, lookups,
 * aggregates, dedup, rank, sorts, router groups, update strategies) by their canonical predicate,
 * keys and settings; targets by load mode and merge keys; sources by dataset. Jobs are matched by
 * name, then by structure (the same target and source datasets); nodes by name, then structure;
 * columns by name.
 *
 * Output is deterministic: changes are ordered by job, then node, then column.
 */
#ifndef ETLPORT_LINEAGE_DIFF_CHANGE_H
#define ETLPORT_LINEAGE_DIFF_CHANGE_H

#include "core/arena.h"
#include "core/strbuf.h"
#include "ir/ir.h"

typedef enum { DCHG_ADDED, DCHG_REMOVED, DCHG_CHANGED } dchg_kind;
typedef enum { DCHG_JOB, DCHG_NODE, DCHG_COLUMN } dchg_level;

/* One change. Every string is owned by the report's arena. */
typedef struct dchg {
    dchg_level level;
    dchg_kind kind;
    const char *job;        /* job name (the new name when matched by structure under another name) */
    const char *old_job;    /* the old name when it differs, else NULL */
    const char *node;       /* node level / column level: the node ("filter FIL_ACTIVE", "target DWH.T"), else NULL */
    const char *column;     /* column level: the column name, else NULL */
    const char *aspect;     /* changed: what changed — "expression", "type", "predicate", "join type",
                               "join condition", "group keys", "order", "load mode", "merge keys", "dataset",
                               "inputs", "name", "parameter NAME" ... (docs/diff.md); NULL otherwise */
    const char *before, *after;           /* canonical text before / after; NULL when absent */
    const char *old_loc, *new_loc;        /* "file:line" of the legacy element on each side, NULL when absent */
    const char *old_legacy, *new_legacy;  /* legacy text on each side when the IR keeps it, else NULL */
} dchg;

typedef struct dchg_report {
    arena *arena;                          /* owns every string */
    dchg *v;
    int n, cap;
    int jobs_old, jobs_new, jobs_unchanged;
    int counts[3];                         /* changes by kind (added, removed, changed) */
} dchg_report;

/* "added", "removed", "changed" */
const char *dchg_kind_name(dchg_kind k);
/* "job", "node", "column" */
const char *dchg_level_name(dchg_level l);

/* Compares two versions, each a list of jobs (read by the caller from a legacy file or a convert
 * output). The jobs are not changed and may be freed after the call: the report copies what it
 * keeps. *out is initialised here; release it with dchg_report_free. Returns 0 (a report with no
 * changes means the versions mean the same), or -1 on invalid arguments. */
int dchg_compare(dchg_report *out, ir_job *const *old_jobs, int n_old, ir_job *const *new_jobs, int n_new);

/* Appends the report as JSON (deterministic key order; paths as given, for the header). */
void dchg_to_json(const dchg_report *r, const char *old_path, const char *new_path, strbuf *sb);
/* Appends the report as Markdown for a pull request: a summary line, then one section per job with
 * a table of its changes. */
void dchg_to_markdown(const dchg_report *r, const char *old_path, const char *new_path, strbuf *sb);
/* Releases the report's arena. A zeroed or freed report is a no-op. */
void dchg_report_free(dchg_report *r);

#endif
