/*
 * lin_internal.h — the lineage graph's representation, shared by the files of lineage/ and by
 * nothing else. Everything lives in the graph's arena except the hash tables (malloc'd, freed by
 * lin_free). Indexes (int) point into the vectors; -1 means none.
 */
#ifndef ETLPORT_LINEAGE_LIN_INTERNAL_H
#define ETLPORT_LINEAGE_LIN_INTERNAL_H

#include "lineage/lineage.h"

/* A string -> int table over interned keys (equal strings, equal pointers). */
typedef struct lin_map {
    const char **keys;
    int *vals;
    size_t cap, n; /* cap a power of two, or 0 */
} lin_map;

int lin_map_get(const lin_map *m, const char *key); /* -1 if absent */
void lin_map_put(lin_map *m, const char *key, int val);
void lin_map_free(lin_map *m);

typedef struct lin_column {
    const char *name; /* normalised (upper case, unquoted) */
    const char *type; /* ir_type_format text, NULL when unknown */
    int ordinal;      /* 1-based position in the first schema that named it; 0: seen only in edges */
} lin_column;

typedef struct lin_intvec {
    int *v;
    int n, cap;
} lin_intvec;

typedef struct lin_dataset {
    const char *name;    /* normalised name: the key */
    const char *kind;    /* "table", "file", ... of the first job that declared it */
    const char *db_type;
    const char **spellings; /* distinct names jobs used for it, in order seen */
    int n_spellings, cap_spellings;
    lin_column *cols;
    int n_cols, cap_cols;
    lin_intvec readers, writers; /* job indexes, ascending, no duplicates */
} lin_dataset;

typedef struct lin_job {
    const char *name, *format, *file, *folder, *description;
    int line;
    const char *code;     /* legacy source text for the job facets, NULL when unknown */
    bool code_is_sql;
    const char *language; /* SQL dialect or legacy language */
    lin_intvec reads, writes; /* dataset indexes */
    int *w_ds, *w_col;        /* the columns its targets write: (dataset, column) pairs */
    int n_w, cap_w;
} lin_job;

/* Whether job j writes column col of dataset ds. */
bool lin_job_writes_col(const lin_graph *g, int j, int ds, int col);

/* A column edge. to_col -1: a row-level edge (a filter, join, grouping, sort, window or row
 * operation upstream of the job's target), bearing on every column the job writes to to_ds. */
typedef struct lin_edge {
    int job;
    int from_ds, from_col, to_ds, to_col;
    lin_subtype sub;
    const char *expr;   /* canonical text of the expression (or predicate / keys) that relates them */
    const char *legacy; /* its legacy text, when known */
    const char *node;   /* the legacy name of the node where it happens */
    const char *file;
    int line, col;
} lin_edge;

typedef struct lin_order {
    int from_job, to_job;
    const char *flow; /* the workflow that orders them */
} lin_order;

struct lin_graph {
    arena *a;
    lin_dataset *ds;
    int n_ds, cap_ds;
    lin_map ds_by_name;
    lin_map col_by_key; /* "dataset\x1column" -> column index */
    lin_job *jobs;
    int n_jobs, cap_jobs;
    lin_map job_by_name;
    lin_edge *edges;
    int n_edges, cap_edges;
    lin_map edge_by_key;
    lin_order *orders;
    int n_orders, cap_orders;
    lin_map order_by_key;
    const char *default_schema, *default_db; /* normalised; NULL when unset */
    lin_map synonyms;   /* normalised alias -> index into syn_targets */
    const char **syn_targets;
    int n_syn, cap_syn;
};

void lin_intvec_add_sorted(arena *a, lin_intvec *v, int x);
/* The dataset's index, created when new; name is as the job spelled it. */
int lin_dataset_get(lin_graph *g, const char *name, const char *kind, const char *db_type);
/* The column's index in dataset ds, created when new (name normalised here). */
int lin_column_get(lin_graph *g, int ds, const char *name, const char *type, int ordinal);
/* Sorted orders for output: indexes of datasets by name, of columns by name, of jobs by name,
 * of edges by (to, from, subtype, job). Arrays from the graph's arena. */
int *lin_sorted_datasets(const lin_graph *g);
int *lin_sorted_columns(const lin_graph *g, int ds);
int *lin_sorted_jobs(const lin_graph *g);
int *lin_sorted_edges(const lin_graph *g);

/* JSON helpers for the emitters. */
void lin_json_key(strbuf *sb, const char *key); /* "key": */

#endif
