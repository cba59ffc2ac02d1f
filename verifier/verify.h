/*
 * verify.h — the semantic comparison of the verifier: the IR of a legacy job against the IR read
 * back from generated code (readback.h), per target column and per row-shaping node.
 *
 * Each target column is inlined down to the columns of the source datasets (through projects,
 * filters, joins, aggregates, windows ...), so node names, CTE names, aliases and the order of
 * intermediate steps do not matter; both sides are canonicalised (ir_canonicalize: constant
 * folding, commutative operands sorted, one spelling of comparisons ...). The legacy side is then
 * written in the target's idioms function by function: each call is handed to the backend's own
 * expression emitter with placeholder arguments and read back with the same reader as the
 * generated code (so the backend's function mapping is shared, not duplicated). Row-shaping
 * facts (filters, joins with their type and condition, group keys, deduplication, ranking,
 * DISTINCT, load mode and merge keys) are collected along each target's upstream path and
 * compared as multisets. docs/verification.md has the rules.
 *
 * Verdicts: equal, differs (with both canonical texts), unverified (with why: a hole, something
 * the reader could not read, an order-dependent value, a generated key).
 */
#ifndef ETLPORT_VERIFIER_VERIFY_H
#define ETLPORT_VERIFIER_VERIFY_H

#include "core/arena.h"
#include "core/strbuf.h"
#include "ir/ir.h"

typedef enum { VERIFY_EQUAL, VERIFY_DIFFERS, VERIFY_UNVERIFIED } verify_verdict;

/* Which backend wrote the generated code (its idioms are applied to the legacy side). */
typedef enum { VERIFY_SPARK, VERIFY_SNOWFLAKE } verify_target;

typedef struct verify_item {
    const char *target;    /* the target dataset */
    const char *name;      /* column name, or the fact kind of a node ("filter", "join", ...) */
    verify_verdict verdict;
    const char *legacy;    /* canonical text on the legacy side; NULL when absent */
    const char *generated; /* canonical text on the generated side; NULL when absent */
    const char *why;       /* unverified / differs: the reason; NULL when equal */
} verify_item;

/* Differential execution (diffexec.c) of one legacy target: the legacy IR and the IR read back
 * run in SQLite on generated data (docs/verification.md, "Differential execution"). */
typedef struct verify_exec {
    const char *target;
    verify_verdict verdict; /* equal; differs (with a counterexample); unverified: not executable */
    const char *why;        /* differs / not executable: why */
    int rows_legacy, rows_generated; /* output rows on the full generated data */
    int n_compared;         /* columns compared */
    const char *skipped;    /* columns not compared and why ("COL: why; ..."), NULL when none */
    const char *cex_json;   /* differs: {"inputs": {...}, "legacy": [...], "generated": [...]} */
    const char *cex_text;   /* differs: the same counterexample, readable (several lines) */
} verify_exec;

typedef struct verify_result {
    arena *arena;          /* owns every string below */
    verify_item *cols;     /* per target column, targets in legacy order, columns in target order */
    int n_cols, cap_cols;
    verify_item *nodes;    /* per row-shaping fact kind and target */
    int n_nodes, cap_nodes;
    const char **sources;  /* #n in canonical texts is sources[n - 1] */
    int n_sources;
    int col_counts[3];     /* columns by verdict */
    int node_counts[3];
    verify_verdict verdict; /* differs if anything differs, else unverified if anything is, else equal */
    verify_exec *execs;     /* differential execution per legacy target (an `execution` item in nodes
                               marks each target where it differs: a counterexample always means differs) */
    int n_execs;
    int exec_counts[3];     /* targets by execution verdict (unverified: not executable) */
} verify_result;

const char *verify_verdict_name(verify_verdict v);

/* Compares legacy with the jobs read back from one artifact (gen, n_gen: every target node of
 * every job counts), then runs both (verify_exec_attach). Neither job is changed. Returns 0 (out
 * filled; verify_result_free it). */
int verify_compare(verify_result *out, const ir_job *legacy, ir_job *const *gen, int n_gen, verify_target target);

/* One JSON object: verdict, counts, columns, nodes, sources (deterministic order). */
void verify_result_to_json(const verify_result *r, strbuf *sb);

void verify_result_free(verify_result *r);

/* Differential execution (diffexec.c): runs every legacy target and its generated counterpart in
 * SQLite on data generated from the legacy schema and adds r->execs; where the outputs differ, an
 * `execution` item (differs) with a shrunk counterexample. verify_compare calls it before it
 * counts verdicts; the environment variable ETLPORT_VERIFY_NO_EXEC=1 turns it off. */
void verify_exec_attach(verify_result *r, const ir_job *legacy, ir_job *const *gen, int n_gen, verify_target target);

/* Appends ",\n \"execution\": [...], \"counterexamples\": [...]" to a JSON object being written. */
void verify_exec_to_json(const verify_result *r, strbuf *sb);

/* The execution results and counterexamples, readable. */
void verify_exec_to_text(const verify_result *r, strbuf *sb);

#endif
