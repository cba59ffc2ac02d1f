/*
 * ir_sql.h — the SQL-shaped form of the IR: statements and queries whose every scalar expression is
 * a canonical ir_expr (ir/functions.def), but whose structure stays the statement's own (SELECT
 * list, FROM tree, WHERE, GROUP BY, set operations, DML targets).
 *
 * Why a second form (docs/ir.md, "Statements"): a job (ir.h) is a dataflow graph and needs to know
 * which input every column comes from. A statement taken alone — `etlport transpile`, a statement
 * inside a stored procedure — names tables whose columns nobody declared, so `SELECT a FROM t JOIN u`
 * cannot be placed in a graph, but it can be translated exactly: the structure carries over, and
 * the expressions are where dialects differ. Both forms share the expression trees, the function
 * table, the types and the canonical text.
 *
 * Column references in this form are IR_EX_REF with node 0 and col the name as written, parts
 * unquoted and joined by '.' ("t.amount", "amount"), folded to lower case unless quoted (SQL's
 * rules: unquoted names compare case-insensitively). Two kinds of expression exist only here:
 * IR_EX_OVER (a window call with its OVER clause) and IR_EX_QUERY (a subquery used as a value).
 *
 * Memory: everything lives in the arena of the ir_job passed to the constructors (its params are
 * the statement's bind variables); nothing is freed on its own.
 */
#ifndef ETLPORT_IR_IR_SQL_H
#define ETLPORT_IR_IR_SQL_H

#include "ir/ir.h"

typedef struct ir_query ir_query;
typedef struct ir_from ir_from;

/* ---- expressions only found in statements ---- */

/* IR_EX_OVER: u.over — fn(args) OVER (PARTITION BY .. ORDER BY .. frame). */
struct ir_over {
    ir_expr *call;        /* IR_EX_CALL of a window function or an aggregate */
    ir_expr **partition;
    int n_partition;
    ir_sort_key *order;
    int n_order;
    bool has_frame;       /* false: the SQL default frame */
    ir_frame frame;
};
typedef struct ir_over ir_over;

/* IR_EX_QUERY: u.sub — a subquery as a value. */
typedef enum {
    IR_SUB_SCALAR, /* (SELECT ..) */
    IR_SUB_EXISTS, /* EXISTS (SELECT ..) */
    IR_SUB_IN,     /* lhs IN (SELECT ..) */
    IR_SUB_ANY,    /* lhs op ANY/SOME (SELECT ..) */
    IR_SUB_ALL     /* lhs op ALL (SELECT ..) */
} ir_sub_kind;
struct ir_sub {
    ir_sub_kind kind;
    ir_fn op;        /* ANY/ALL: IR_FN_EQ .. IR_FN_GE */
    ir_expr *lhs;    /* IN/ANY/ALL */
    ir_query *query;
};
typedef struct ir_sub ir_sub;

ir_expr *ir_over_new(ir_job *job, ir_expr *call);
ir_expr *ir_sub_new(ir_job *job, ir_sub_kind kind, ir_fn op, ir_expr *lhs, ir_query *q);
/* Accessors (the union members live in ir_expr; these keep ir.h free of query types). */
ir_over *ir_expr_over(const ir_expr *e); /* NULL unless IR_EX_OVER */
ir_sub *ir_expr_sub(const ir_expr *e);   /* NULL unless IR_EX_QUERY */

/* ---- queries ---- */

typedef enum { IR_FROM_TABLE, IR_FROM_QUERY, IR_FROM_JOIN, IR_FROM_FUNCTION } ir_from_kind;
struct ir_from {
    ir_from_kind kind;
    const char *name;  /* TABLE: the qualified name as written, parts unquoted, '.'-joined;
                          FUNCTION: the table function's name */
    const char *alias; /* NULL when none */
    const char **alias_cols; /* derived column names, t(a, b) */
    int n_alias_cols;
    ir_query *query;   /* QUERY */
    bool lateral;
    ir_expr **args;    /* FUNCTION */
    bool unnest;       /* FUNCTION: the canonical unnest(a1, ..): a row per array position up to the
                          longest array, column i the element of ai there (NULL past its end);
                          no row when an array is NULL. alias_cols name the columns */
    int n_args;
    ir_join_kind join; /* JOIN */
    bool natural;
    ir_from *left, *right;
    ir_expr *on;       /* NULL: CROSS or USING */
    const char **using_cols;
    int n_using;
    ir_span span;
};

typedef struct ir_select_item {
    ir_expr *expr;      /* NULL for a star */
    const char *alias;  /* NULL when none */
    const char *star;   /* "*" or "t.*" (qualifier as written); NULL for an expression */
    const char **except; /* star: the columns it leaves out (Snowflake * EXCLUDE, Databricks * EXCEPT) */
    int n_except;
} ir_select_item;

typedef struct ir_cte {
    const char *name;
    const char **cols;
    int n_cols;
    ir_query *query;
} ir_cte;

enum { IR_GROUP_PLAIN, IR_GROUP_ROLLUP, IR_GROUP_CUBE };

typedef enum { IR_Q_SELECT, IR_Q_UNION, IR_Q_INTERSECT, IR_Q_EXCEPT, IR_Q_VALUES } ir_query_kind;

struct ir_query {
    ir_query_kind kind;
    ir_cte *ctes;
    int n_ctes;
    bool recursive;
    /* SELECT */
    bool distinct;
    ir_select_item *items;
    int n_items;
    ir_from **from; /* the comma list; each may be a join tree */
    int n_from;
    ir_expr *where;
    ir_expr **group;
    int n_group;
    int group_kind; /* IR_GROUP_*: the GROUP BY list as plain keys, one ROLLUP (..) or one CUBE (..) */
    ir_expr *having;
    ir_expr *qualify;
    /* UNION / INTERSECT / EXCEPT */
    bool all;
    ir_query *left, *right;
    /* VALUES: n_rows rows of n_items expressions each, row-major */
    ir_expr **rows;
    int n_rows;
    /* any kind */
    ir_sort_key *order;
    int n_order;
    ir_expr *limit;  /* row count (TOP, FETCH FIRST, LIMIT, ROWNUM <= n lifted), NULL when none */
    ir_expr *offset;
    ir_span span;
};

/* ---- statements ---- */

typedef enum {
    IR_ST_QUERY,        /* a query whose rows are returned */
    IR_ST_INSERT,       /* INSERT INTO target [(cols)] query; overwrite for INSERT OVERWRITE */
    IR_ST_UPDATE,       /* UPDATE target [alias] SET cols = values [FROM from] [WHERE where] */
    IR_ST_DELETE,       /* DELETE FROM target [alias] [USING from] [WHERE where] */
    IR_ST_MERGE,        /* MERGE INTO target USING from ON on WHEN ... */
    IR_ST_CREATE_TABLE, /* columns and/or AS query; temporary / volatile kept as temporary */
    IR_ST_CREATE_VIEW,
    IR_ST_DROP,         /* DROP TABLE/VIEW [IF EXISTS] target */
    IR_ST_TRUNCATE,
    IR_ST_ADD_COLUMNS,  /* ALTER TABLE target ADD cols (col_types) */
    IR_ST_DROP_COLUMNS, /* ALTER TABLE target DROP cols */
    IR_ST_RENAME,       /* ALTER TABLE target RENAME TO new_name */
    IR_ST_RENAME_COLUMN,/* ALTER TABLE target RENAME COLUMN cols[0] TO new_name */
    IR_ST_CALL,         /* CALL target(values): a stored procedure; cols, when set, names the
                           parameter each value is passed to (NULL: by position) */
    IR_ST_COMMIT,
    IR_ST_ROLLBACK,
    IR_ST_USE,          /* USE object_kind target: the current "DATABASE" (a catalog) or "SCHEMA" */
    IR_ST_CREATE_SCHEMA,/* CREATE object_kind [IF NOT EXISTS] target: a "DATABASE" (catalog) or "SCHEMA",
                           or a "SEQUENCE" (cols "start" and "increment" with their values) */
    IR_ST_ALTER_COLUMN, /* ALTER TABLE target ALTER COLUMN cols[0] alter (col_types[0], col_defaults[0]) */
    IR_ST_HOLE          /* a statement with no translation: text and reason */
} ir_stmt_kind;

/* What IR_ST_ALTER_COLUMN changes. */
typedef enum {
    IR_ALTER_SET_NOT_NULL,
    IR_ALTER_DROP_NOT_NULL,
    IR_ALTER_TYPE,        /* to col_types[0] */
    IR_ALTER_SET_DEFAULT, /* to col_defaults[0] */
    IR_ALTER_DROP_DEFAULT
} ir_alter_action;

typedef struct ir_merge_clause {
    bool matched;        /* WHEN MATCHED / WHEN NOT MATCHED */
    ir_expr *cond;       /* AND cond, or NULL */
    int action;          /* 0 update, 1 delete, 2 insert */
    const char **cols;   /* update SET / insert column names */
    ir_expr **values;
    int n;
} ir_merge_clause;

typedef struct ir_stmt {
    ir_stmt_kind kind;
    const char *target;       /* qualified name as written, parts unquoted, '.'-joined */
    const char *target_alias;
    const char **cols;        /* INSERT column list; UPDATE SET columns; CREATE TABLE columns */
    ir_type *col_types;       /* CREATE TABLE, ADD COLUMNS */
    ir_expr **col_defaults;   /* CREATE TABLE, ADD COLUMNS: each column's DEFAULT, or NULL (the array may be NULL) */
    bool *col_not_null;       /* CREATE TABLE, ADD COLUMNS: NOT NULL (the array may be NULL) */
    ir_expr **values;         /* UPDATE SET values (n_cols) */
    int n_cols;
    ir_query *query;          /* QUERY, INSERT, CREATE .. AS, VIEW */
    ir_from *from;            /* UPDATE .. FROM, DELETE .. USING, MERGE USING */
    ir_expr *where;           /* UPDATE / DELETE; MERGE: the ON condition */
    ir_merge_clause *merge;
    int n_merge;
    bool overwrite;           /* INSERT OVERWRITE */
    bool temporary;           /* CREATE TEMPORARY / VOLATILE / #temp */
    bool or_replace;
    bool if_exists;           /* DROP .. IF EXISTS; CREATE .. IF NOT EXISTS; ADD / DROP COLUMN IF [NOT] EXISTS */
    bool table_if_exists;     /* ALTER TABLE IF EXISTS t: nothing happens when t is missing */
    const char *object_kind;  /* DROP: "TABLE", "VIEW"; USE, CREATE_SCHEMA: "DATABASE", "SCHEMA" */
    ir_alter_action alter;    /* ALTER_COLUMN */
    const char *new_name;     /* RENAME, RENAME_COLUMN */
    const char **into;        /* QUERY: SELECT .. INTO these variables (procedural code) */
    int n_into;
    const char *text;         /* the legacy statement text (for comments and holes) */
    const char *hole_reason;  /* HOLE */
    ir_span span;
} ir_stmt;

/* The name a select item has for the query around it: its alias, or a plain column's last part;
 * NULL for a star or an unnamed expression. */
const char *ir_select_item_name(const ir_select_item *it);

ir_query *ir_query_new(ir_job *job, ir_query_kind kind);
ir_from *ir_from_new(ir_job *job, ir_from_kind kind);
ir_stmt *ir_stmt_new(ir_job *job, ir_stmt_kind kind);

/* Canonical text of a statement, for comparison (translation pairs, diff): one line per clause,
 * expressions canonicalised (ir_canonicalize) and printed as ir_expr_to_text does, names folded as
 * stored, aliases of select items kept (they name the output), table aliases replaced by the table
 * they stand for when unambiguous. Two statements that mean the same thing by the IR's rules print
 * the same; what the IR cannot tell apart is documented in docs/ir.md. */
void ir_stmt_to_text(strbuf *sb, ir_job *job, const ir_stmt *s);
void ir_query_to_text(strbuf *sb, ir_job *job, const ir_query *q);

/* Deep copies in job's arena. */
ir_over *ir_over_copy(ir_job *job, const ir_over *o);
ir_sub *ir_sub_copy(ir_job *job, const ir_sub *s);
ir_stmt *ir_stmt_copy(ir_job *job, const ir_stmt *s);
/* ir_canonicalize that also goes into windows and subqueries. */
ir_expr *ir_sql_canonicalize(ir_job *job, const ir_expr *e);
/* Canonical text of the statement-only expressions (ir_expr_to_text calls these). */
void ir_over_to_text(strbuf *sb, const ir_over *o);
void ir_sub_to_text(strbuf *sb, const ir_sub *s);

/* Calls fn for every expression of a statement, query or expression tree, subqueries, windows and
 * FROM trees included, parents before their children; stops and returns true as soon as fn does. */
typedef bool (*ir_expr_visit_fn)(ir_expr *e, void *ud);
bool ir_expr_visit(ir_expr *e, ir_expr_visit_fn fn, void *ud);
bool ir_query_visit(ir_query *q, ir_expr_visit_fn fn, void *ud);
bool ir_stmt_visit(ir_stmt *st, ir_expr_visit_fn fn, void *ud);

/* Holes in a statement (expression holes, IR_ST_HOLE), in statement order, as ir_job_holes
 * reports them (node 0). Returns the count. */
int ir_stmt_holes(const ir_stmt *s, ir_hole_fn fn, void *userdata);

#endif
