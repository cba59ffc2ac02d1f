/*
 * ir.h — the platform-independent intermediate representation every frontend produces and every
 * backend, the verifier and lineage consume. docs/ir.md describes it for people; this header is
 * the contract for code.
 *
 * A job (an Informatica mapping, an Ab Initio graph, a SQL script) is a DAG of relational nodes in
 * topological order. Each node declares its output columns with types; each computed column holds
 * a typed expression over the columns of the node's inputs, always by explicit (node id, column)
 * reference. Expressions are calls to the canonical function table (functions.def), literals,
 * references, job parameters, or holes. What has no canonical form is a hole that keeps its
 * legacy text and span: nothing is dropped.
 *
 * Memory: everything of a job lives in job->arena and goes with ir_job_free. Strings are interned
 * in that arena, so equal names are equal pointers within one job.
 */
#ifndef ETLPORT_IR_IR_H
#define ETLPORT_IR_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "core/diag.h"

#define IR_VERSION 1

/* ---- tables ---- */

typedef enum {
#define X(id, name, meaning) IR_TY_##id,
#include "ir/types.def"
#undef X
    IR_TY__COUNT
} ir_type_kind;

typedef enum {
#define X(id, name, meaning) IR_OP_##id,
#include "ir/ops.def"
#undef X
    IR_OP__COUNT
} ir_op;

typedef enum {
#define X(id, name, minargs, maxargs, trule, nrule, meaning) IR_FN_##id,
#include "ir/functions.def"
#undef X
    IR_FN__COUNT
} ir_fn;

enum {
#define X(id, bit, name, meaning) IR_FL_##id = 1u << (bit),
#include "ir/flags.def"
#undef X
};

typedef enum { TR_ARG0, TR_ARG1, TR_NUMERIC, TR_DIV, TR_COMMON, TR_BOOL, TR_INT, TR_BIGINT, TR_DOUBLE,
               TR_DECIMAL, TR_STRING, TR_DATE, TR_TIMESTAMP, TR_ARRAY, TR_ELEM, TR_UNKNOWN } ir_type_rule;
typedef enum { NR_STRICT, NR_NEVER, NR_AGG, NR_SPECIAL } ir_null_rule;

typedef struct ir_fn_info {
    const char *name;
    int min_args, max_args; /* max -1: any number */
    ir_type_rule type_rule;
    ir_null_rule null_rule;
    const char *meaning;
} ir_fn_info;

const ir_fn_info *ir_fn_get(ir_fn fn);

/* The LIKE pattern that the regexp_like pattern re stands for when re is made of literal
 * characters (a metacharacter escaped by '\\' is one), ".*" and "." only, as a LIKE is lowered;
 * NULL otherwise. esc is the LIKE's escape character, put before a literal %, _ or esc; with esc 0
 * (no escape character) a pattern holding a literal % or _ gives NULL. The caller frees the result.
 * A LIKE's % and _ match line breaks, so this is the same test only on a dot_all regexp_like. */
char *ir_regex_to_like(const char *re, char esc);
/* The function with this canonical name, or -1. */
int ir_fn_by_name(const char *name);
bool ir_fn_is_aggregate(ir_fn fn);
/* Whether fn is a window function (row_number ... last_value): valid only in a window node's
 * columns. The aggregates are valid there too (ir_fn_is_aggregate), computed over the frame. */
bool ir_fn_is_window(ir_fn fn);
/* Whether fn, in a window node, reads the node's frame: first_value, last_value and the
 * aggregates. Ranking and offset functions (row_number, rank, lag ...) ignore it, as in SQL. */
bool ir_fn_uses_frame(ir_fn fn);
const char *ir_op_name(ir_op op);
int ir_op_by_name(const char *name); /* -1 if unknown */
const char *ir_flag_name(unsigned bit);  /* bit index 0..31, NULL if none */
int ir_flag_by_name(const char *name);   /* the flag's mask, 0 if unknown */

/* ---- types ---- */

typedef struct ir_type {
    ir_type_kind kind;
    int32_t precision; /* string/binary length, decimal digits, timestamp fraction digits; 0 unknown
                          (an array: its elements') */
    int32_t scale;     /* decimal scale (an array: its elements') */
    ir_type_kind elem; /* array: the elements' kind (never ARRAY: arrays do not nest); UNKNOWN otherwise */
} ir_type;

const char *ir_type_kind_name(ir_type_kind k);
/* "decimal(10,2)", "string(40)", "timestamp(9)", "integer" ... into buf. */
void ir_type_format(ir_type t, char *buf, size_t size);
/* Parses the form ir_type_format writes. Returns 0 or -1. */
int ir_type_parse(const char *s, ir_type *out);
ir_type ir_type_make(ir_type_kind k, int32_t precision, int32_t scale);
/* The array of elements of type elem (an array of arrays is not a type: UNKNOWN). */
ir_type ir_type_array(ir_type elem);
/* The elements' type of array t; UNKNOWN when t is no array. */
ir_type ir_type_elem(ir_type t);
bool ir_type_is_numeric(ir_type t);
bool ir_type_is_temporal(ir_type t);
bool ir_type_equal(ir_type a, ir_type b);

/* ---- source spans ---- */

typedef struct ir_span {
    const char *file; /* interned; NULL when unknown */
    int32_t line, col; /* 1-based; 0 when unknown */
} ir_span;

/* ---- classification tags on columns ---- */
enum { IR_TAG_PII = 1u << 0, IR_TAG_PCI = 1u << 1, IR_TAG_PHI = 1u << 2 };

/* ---- expressions ---- */

/* IR_EX_OVER and IR_EX_QUERY occur only in statements of the SQL-shaped form (ir_sql.h), never in
 * a job's nodes. */
typedef enum { IR_EX_LIT, IR_EX_REF, IR_EX_PARAM, IR_EX_CALL, IR_EX_HOLE, IR_EX_OVER, IR_EX_QUERY } ir_expr_kind;
typedef enum { IR_LIT_NULL, IR_LIT_BOOL, IR_LIT_INT, IR_LIT_DECIMAL, IR_LIT_DOUBLE, IR_LIT_STRING,
               IR_LIT_DATE, IR_LIT_TIMESTAMP } ir_lit_kind;

typedef struct ir_expr ir_expr;
struct ir_expr {
    ir_expr_kind kind;
    ir_type type; /* result type (ir_job_infer_types fills what the frontend left UNKNOWN) */
    ir_span span;
    union {
        struct {
            ir_lit_kind kind;
            /* canonical text: integers and decimals as written without '+', doubles in %.17g,
             * strings raw (unescaped), dates "YYYY-MM-DD", timestamps "YYYY-MM-DD HH:MM:SS[.f]" */
            const char *text;
        } lit;
        struct {
            int node;        /* id of one of the owning node's inputs (or of the node itself for its own earlier columns: never) */
            const char *col; /* interned column name of that node */
        } ref;
        struct {
            const char *name; /* job parameter name without $$ decoration, e.g. "LOAD_DATE" */
        } param;
        struct {
            ir_fn fn;
            uint32_t flags; /* IR_FL_* */
            int n_args;
            ir_expr **args;
        } call;
        struct {
            const char *text;   /* the legacy text, verbatim */
            const char *reason; /* why it has no canonical form */
        } hole;
        struct ir_over *over; /* IR_EX_OVER (ir_sql.h) */
        struct ir_sub *sub;   /* IR_EX_QUERY (ir_sql.h) */
    } u;
};

/* ---- columns ---- */

enum {
    IR_COL_KEY = 1u << 0,             /* primary-key column of a dataset / merge key */
    IR_COL_NOT_NULL = 1u << 1,        /* declared NOT NULL */
    IR_COL_ORDER_DEPENDENT = 1u << 2, /* value depends on row order (see DESIGN.md) */
    IR_COL_ROW_OP = 1u << 3,          /* the row-operation column of an update strategy (0 insert,
                                         1 update, 2 delete, 3 reject) */
    IR_COL_GENERATED = 1u << 4,       /* made by the node itself (sequence, rank index, normalizer ids) */
    IR_COL_OCCURRENCE = 1u << 5,      /* normalize, with GENERATED: the occurrence number of the output
                                         row, 1..occurs (or 1..count) */
};

typedef struct ir_column {
    const char *name; /* interned */
    ir_type type;
    ir_expr *expr;      /* how the value is computed from the node's inputs; NULL for source columns */
    ir_expr **alts;     /* normalize only: one expression per occurrence (n_alts == node->occurs) */
    int n_alts;
    const char *legacy; /* the legacy expression text, when there was one */
    ir_span span;
    uint32_t tags;      /* IR_TAG_* */
    uint32_t flags;     /* IR_COL_* */
    int32_t phys_offset, phys_length; /* fixed-width files: byte position and width; 0 when not set */
} ir_column;

/* ---- nodes ---- */

typedef enum { IR_JOIN_INNER, IR_JOIN_LEFT, IR_JOIN_RIGHT, IR_JOIN_FULL, IR_JOIN_CROSS } ir_join_kind;
typedef enum { IR_MATCH_FIRST, IR_MATCH_LAST, IR_MATCH_ANY, IR_MATCH_ERROR, IR_MATCH_ALL } ir_match_policy;
typedef enum { IR_LOAD_APPEND, IR_LOAD_TRUNCATE_INSERT, IR_LOAD_OVERWRITE, IR_LOAD_MERGE } ir_load_mode;

typedef struct ir_sort_key {
    ir_expr *expr;
    bool desc;
    int8_t nulls; /* 0 the target's default, 1 first, 2 last */
} ir_sort_key;

/* The order keys of an ordered aggregate call (string_agg_ordered, array_agg_ordered): its key,
 * direction argument pairs (from argument 2 and 1) into out, at most max, nulls 1 first or 2 last.
 * Returns the count, or -1 when a direction is not one of the four literals. */
int ir_ordered_agg_keys(const ir_expr *call, ir_sort_key *out, int max);
/* The direction literal of an ordered aggregate's key: "asc nulls first" ... "desc nulls last". */
const char *ir_order_direction(bool desc, int nulls_first);

/* The frame of a window node (docs/ir.md, "Window frames"): which rows around the current one,
 * in window order, the frame-reading functions see. */
typedef enum { IR_FRAME_RANGE, IR_FRAME_ROWS } ir_frame_unit; /* RANGE: by order-key value (peers
                                                                 together); ROWS: by position */
typedef enum {
    IR_BOUND_UNBOUNDED_PRECEDING, /* the partition's first row (a start bound only) */
    IR_BOUND_PRECEDING,           /* offset rows (ROWS) or order-key units (RANGE) before */
    IR_BOUND_CURRENT_ROW,         /* the current row (RANGE: and its peers) */
    IR_BOUND_FOLLOWING,           /* offset rows / units after */
    IR_BOUND_UNBOUNDED_FOLLOWING  /* the partition's last row (an end bound only) */
} ir_bound_kind;
typedef struct ir_frame_bound {
    ir_bound_kind kind;
    int64_t offset; /* PRECEDING / FOLLOWING: >= 0; 0 otherwise */
} ir_frame_bound;
typedef struct ir_frame {
    ir_frame_unit unit;
    ir_frame_bound start, end;
} ir_frame;
/* SQL's default frame with an ORDER BY: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (the
 * whole partition when there are no order keys). ir_node_add gives every node this frame. */
ir_frame ir_frame_default(void);
bool ir_frame_equal(ir_frame a, ir_frame b);
/* "rows between 2 preceding and current row" (lower case, the bounds always spelled out). */
void ir_frame_to_text(strbuf *sb, ir_frame f);

typedef struct ir_prop {
    const char *key, *value; /* other legacy attributes kept for review (pre/post SQL, ...) */
} ir_prop;

typedef struct ir_node {
    int id;                  /* unique in the job, > 0 */
    ir_op op;
    const char *name;        /* the legacy name (transformation instance), interned */
    const char *legacy_type; /* e.g. "Lookup Procedure", NULL when not from an ETL tool */
    ir_span span;
    const char *legacy;      /* legacy text of the node's main expression (filter condition...) */

    int *inputs;             /* ids of input nodes, in the order the op defines */
    int n_inputs;
    ir_column *cols;         /* output columns */
    int n_cols, cap_cols;

    const char *dataset;     /* source, target, lookup source: the dataset's qualified name */
    const char *sql;         /* source / lookup: the SQL override in the legacy dialect, verbatim */
    ir_expr *predicate;      /* filter predicate, join or lookup condition, source filter */
    ir_join_kind join;       /* join; lookup is always left */
    ir_match_policy match;   /* lookup: multiple-match policy */
    ir_expr **keys;          /* aggregate group-by, dedup keys, rank and window partition */
    int n_keys;
    ir_sort_key *order;      /* sort keys, rank order, dedup order, window order */
    int n_order;
    ir_frame frame;          /* window: the frame of frame-reading functions (default: SQL's) */
    bool distinct;           /* sort / source: drop duplicate rows */
    bool keep_last;          /* dedup: keep the last row per key instead of the first */
    bool empty_row;          /* aggregate without keys: one row even for an empty input (SQL's
                                global aggregate: NULL sums, zero counts); false: no row then
                                (Informatica's Aggregator) */
    int64_t top_n;           /* rank: how many rows per partition */
    bool bottom;             /* rank: the bottom N instead of the top N */
    const char *group;       /* filter made from a router group: the group's name ("DEFAULT" for the default group) */
    int occurs;              /* normalize: output rows per input row; 0 when count gives it per row */
    ir_expr *count;          /* normalize with occurs 0: how many rows each input row becomes, an
                                expression over the input (none when NULL or below 1); the columns
                                are expressions over the input and the OCCURRENCE column */
    int64_t seq_start, seq_increment; /* sequence */
    ir_load_mode load;       /* target */
    const char **merge_keys; /* target merge: key column names of the target */
    int n_merge_keys;
    const char *hole_reason; /* procedure: why the node is not relational */
    ir_prop *props;
    int n_props;
} ir_node;

/* ---- datasets (sources, targets, lookup tables) ---- */

typedef struct ir_dataset {
    const char *name;      /* qualified name as nodes use it, e.g. "HR.EMPLOYEES" */
    const char *kind;      /* "table", "file", "xml", "query" */
    const char *db_type;   /* legacy database type, e.g. "Oracle", "Flat File" */
    ir_column *cols;
    int n_cols, cap_cols;
    /* flat files */
    const char *delimiter; /* NULL: not delimited */
    bool fixed_width;
    const char *quote;     /* quote character, NULL if none */
    int skip_rows;         /* header lines to skip */
    const char *encoding;  /* code page, e.g. "UTF-8" */
    ir_span span;
} ir_dataset;

typedef struct ir_param {
    const char *name;          /* without the $$ */
    ir_type type;
    const char *default_value; /* legacy default or value from a parameter file; NULL if none */
    bool is_variable;          /* a mapping variable (its value persists between runs) */
    const char *aggregation;   /* variables: "max", "min", "count" or NULL */
    ir_span span;
} ir_param;

typedef struct ir_job {
    arena *arena;              /* owns everything below */
    const char *name;          /* mapping / graph / script name */
    const char *folder;        /* repository folder (Informatica), sandbox or schema; may be NULL */
    const char *format;        /* frontend: "informatica", "abinitio", "sql" */
    const char *file;          /* the legacy file */
    int line;
    const char *description;
    ir_param *params;
    int n_params, cap_params;
    ir_dataset *datasets;
    int n_datasets, cap_datasets;
    ir_node **nodes;           /* topological order: inputs come before the nodes that use them */
    int n_nodes, cap_nodes;
    int next_id;
} ir_job;

/* ---- construction ---- */

/* A new job in its own arena. */
ir_job *ir_job_new(const char *name);
void ir_job_free(ir_job *job);
const char *ir_intern(ir_job *job, const char *s);

/* Appends a node with the next id. The caller appends in topological order or calls ir_job_toposort. */
ir_node *ir_node_add(ir_job *job, ir_op op, const char *name);
ir_node *ir_job_node(const ir_job *job, int id);       /* NULL if no such id */
void ir_node_add_input(ir_job *job, ir_node *n, int input_id);
ir_column *ir_node_add_col(ir_job *job, ir_node *n, const char *name, ir_type type, ir_expr *expr);
ir_column *ir_node_col(const ir_node *n, const char *name); /* exact (interned or strcmp) match */
ir_column *ir_node_col_ci(const ir_node *n, const char *name); /* case-insensitive */
void ir_node_add_prop(ir_job *job, ir_node *n, const char *key, const char *value);
void ir_node_add_key(ir_job *job, ir_node *n, ir_expr *key);
void ir_node_add_order(ir_job *job, ir_node *n, ir_expr *e, bool desc);
ir_dataset *ir_job_add_dataset(ir_job *job, const char *name);
ir_dataset *ir_job_dataset(const ir_job *job, const char *name);
ir_column *ir_dataset_add_col(ir_job *job, ir_dataset *ds, const char *name, ir_type type);
ir_param *ir_job_add_param(ir_job *job, const char *name);
ir_param *ir_job_param(const ir_job *job, const char *name);
/* Orders nodes so inputs precede users. Returns 0, or -1 if there is a cycle. */
int ir_job_toposort(ir_job *job);

ir_expr *ir_lit(ir_job *job, ir_lit_kind kind, const char *text);
ir_expr *ir_lit_null(ir_job *job);
ir_expr *ir_lit_int(ir_job *job, long long v);
ir_expr *ir_lit_str(ir_job *job, const char *s);
ir_expr *ir_lit_bool(ir_job *job, bool v);
ir_expr *ir_ref(ir_job *job, int node, const char *col);
ir_expr *ir_param_ref(ir_job *job, const char *name);
ir_expr *ir_call(ir_job *job, ir_fn fn, uint32_t flags, int n_args, ir_expr **args);
ir_expr *ir_call1(ir_job *job, ir_fn fn, ir_expr *a);
ir_expr *ir_call2(ir_job *job, ir_fn fn, ir_expr *a, ir_expr *b);
ir_expr *ir_call3(ir_job *job, ir_fn fn, ir_expr *a, ir_expr *b, ir_expr *c);
ir_expr *ir_hole(ir_job *job, const char *text, const char *reason);
/* A deep copy of e in job's arena (e may belong to another job). */
ir_expr *ir_expr_copy(ir_job *job, const ir_expr *e);

/* ---- analysis ---- */

/* Fills UNKNOWN result types from the function table's type rules and the referenced columns. */
void ir_job_infer_types(ir_job *job);
/* The type a function's rule gives for these argument types. */
ir_type ir_fn_result_type(ir_fn fn, uint32_t flags, int n_args, ir_expr *const *args);
/* Whether e or any expression under it is of one of the kinds in mask (a bit per ir_expr_kind,
 * e.g. IR_EXPR_MASK(IR_EX_REF) | IR_EXPR_MASK(IR_EX_HOLE)). */
#define IR_EXPR_MASK(kind) (1u << (kind))
bool ir_expr_contains(const ir_expr *e, unsigned mask);
/* Structural equality (types and spans not compared). */
bool ir_expr_equal(const ir_expr *a, const ir_expr *b);

/* Canonical form, for comparison (verifier, diff): constant folding, commutative operands sorted,
 * references to pass-through columns resolved to their origin (alias resolution), nested and/or/
 * concat flattened. Returns a new expression in job's arena; e is not changed. node is the node
 * that owns e (for alias resolution through its inputs). */
ir_expr *ir_canonicalize(ir_job *job, const ir_expr *e);
/* The canonical text of an expression, e.g. concat[null_as_empty](#1.FIRST_NAME, ' ', #1.LAST_NAME). */
void ir_expr_to_text(strbuf *sb, const ir_expr *e);

/* A hole in the job, as reports list them. */
typedef struct ir_hole_info {
    const char *kind;     /* "expression", "node", "sql" */
    const char *text;     /* the legacy text */
    const char *reason;
    ir_span span;
    int node;             /* node id */
    const char *column;   /* column name or NULL */
} ir_hole_info;
typedef void (*ir_hole_fn)(void *userdata, const ir_hole_info *h);
/* Calls fn for every hole (expression holes, procedure nodes), in node then column order. */
int ir_job_holes(const ir_job *job, ir_hole_fn fn, void *userdata);

/* ---- JSON ---- */

/* Appends the job's JSON (versioned, deterministic key order, 1 space indent per level). */
void ir_job_to_json(const ir_job *job, strbuf *out);
/* Reads JSON that ir_job_to_json wrote. Returns 0, or -1 with a message through dc. */
int ir_job_from_json(ir_job **out, const char *text, size_t len, const char *path, diag_ctx *dc);

#endif
