/*
 * diffexec.h — internal to the verifier's differential execution: the generated test data
 * (datagen.c) and its loading into SQLite (diffexec.c). verify.h has the public entry points.
 */
#ifndef ETLPORT_VERIFIER_DIFFEXEC_H
#define ETLPORT_VERIFIER_DIFFEXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "ir/ir.h"

typedef enum { DG_NULL, DG_INT, DG_REAL, DG_TEXT } dg_kind;

typedef struct dg_value {
    dg_kind kind;
    long long i;
    double d;
    const char *s; /* DG_TEXT, in the data's arena */
} dg_value;

/* The rows of one source dataset. */
typedef struct dg_table {
    const char *dataset; /* as the legacy job names it */
    const char *table;   /* the SQLite table: "t1", "t2" ... */
    const char **cols;
    ir_type *types;
    int n_cols;
    dg_value *cells;     /* n_rows * n_cols, row-major */
    int n_rows;
} dg_table;

typedef struct dg_data {
    arena *arena; /* owns everything */
    dg_table *tables;
    int n_tables;
} dg_data;

/* The dataset name of the generated output rows of a procedure node: "<node name> (procedure
 * output)". Differential execution reads them in place of the procedure, on both sides. */
#define DG_PROCEDURE_OUTPUT " (procedure output)"

/* The default seed: runs are reproducible. */
#define DATAGEN_SEED 20240615u

/* Generates a table for every source dataset of job (sources and lookup sources), for the output
 * of every procedure node (DG_PROCEDURE_OUTPUT) and for the prior rows of every MERGE target whose
 * dataset the job does not read, from its schema: per column a pool of edge values of its type (NULL unless NOT NULL, '', blanks,
 * boundaries of precision and scale, month/year ends and leap days), the literals of the job's
 * expressions and their neighbours (±1, ±1 day, trailing blank, other case), and a small shared
 * key domain for columns compared in join and lookup conditions (duplicate and missing keys);
 * each pool value appears at least once, the rest is drawn from a generator seeded by seed and
 * the dataset and column names. Returns 0 (datagen_free it). */
int datagen_build(dg_data *out, const ir_job *job, uint64_t seed);
void datagen_free(dg_data *d);

/* The table of a dataset name (case-insensitively, else by its last dotted part), or NULL. */
const dg_table *datagen_table(const dg_data *d, const char *dataset);

/* The generated target paired with the legacy target lt (its job in *gj): several target instances
 * may load one dataset, so the k-th legacy target of a dataset pairs with the k-th generated one
 * (generated jobs in order, names exact before last parts); else the first that writes it. NULL
 * when none does. */
const ir_node *verify_pair_target(const ir_job *legacy, const ir_node *lt, ir_job *const *gen, int n_gen,
                                  const ir_job **gj);

#endif
