/*
 * sqlitebe.h — a small backend of the verifier's own: one target of an IR job as one SQLite
 * SELECT (a CTE per upstream node), and the canonical functions SQLite lacks as C functions
 * registered on a connection (etl_<name>). It is not a `convert --to` target: differential
 * execution (verifier/diffexec.c) runs the legacy IR and the IR read back from generated code
 * through it on the same generated data and compares the outputs.
 *
 * Values in SQLite: booleans 0/1, integers, decimals and doubles as REAL (precision limits in
 * docs/verification.md), strings as TEXT (byte semantics: the generated data is ASCII), dates and
 * timestamps as ISO text 'YYYY-MM-DD HH:MM:SS[.f]' (a date is its midnight), so that text order is
 * time order.
 *
 * What cannot be executed is never skipped silently: a column whose expression holds a hole, a
 * function without an implementation, or a reference to such a column is "not executable" (its
 * value is NULL in the query and it is listed with the reason); a row-shaping node that cannot be
 * executed makes the whole target not executable.
 */
#ifndef ETLPORT_BACKENDS_SQLITEBE_H
#define ETLPORT_BACKENDS_SQLITEBE_H

#include <stdbool.h>

#include <sqlite3.h>

#include "core/strbuf.h"
#include "ir/ir.h"

/* Where the data of a source dataset lives: the SQLite table name, or NULL (not executable). */
typedef const char *(*sqlitebe_table_fn)(void *userdata, const char *dataset);
/* The type each target column is written as (the target table's schema), or NULL to keep the
 * computed value. */
typedef const ir_type *(*sqlitebe_coltype_fn)(void *userdata, const char *dataset, const char *column);
/* The table that holds the output rows of a procedure node (a hole: Java, custom, stored
 * procedure, XML parser ...), read in its place: the procedure itself is not executed. NULL: the
 * target is not executable. */
typedef const char *(*sqlitebe_procedure_fn)(void *userdata, const ir_node *procedure);

typedef struct sqlitebe_env {
    sqlitebe_table_fn table;
    sqlitebe_coltype_fn coltype; /* may be NULL */
    void *userdata;
    const ir_job *params; /* $$X is the job's own default, else this job's (the legacy job); without
                             either, a representative value of its type */
    bool nulls_high;      /* sort keys with the target's default NULL placement sort NULLs as the
                             largest value (Snowflake); else as the smallest (Spark, SQLite) */
    bool reverse_ties;    /* rows tied in the order of a dedup, rank or first/last lookup are taken
                             in reverse input order (a second run finds order-dependent results) */
    bool merge_rows;      /* a MERGE target is written as the rows it applies (else it is not
                             executable): its columns, then "__op", the row operation (NULL without
                             one), no row dropped. A column that is not executable keeps the value
                             its executable parts give (NULL for the rest) and is still listed in
                             skip, so that a merge key made by a sequence is NULL, matching no prior
                             row; the caller applies the MERGE (verifier/diffexec.c) */
    sqlitebe_procedure_fn procedure; /* may be NULL: a procedure upstream is not executable */
    const char *merge_rowop; /* with merge_rows: the input column that holds the row operation when
                                no column is flagged IR_COL_ROW_OP (read-back code: the column the
                                MERGE clauses test), or NULL */
} sqlitebe_env;

/* One target as a query. */
typedef struct sqlitebe_query {
    char *sql;          /* the SELECT; NULL when the target is not executable (owned) */
    char *why;          /* why not, when sql is NULL (owned) */
    const char **cols;  /* output column names, in target order (borrowed from the job) */
    const char **skip;  /* per output column: NULL, or why the column is not executable (owned) */
    int n_cols;
} sqlitebe_query;

/* Writes the query of one target node of job. Returns 0 (q filled; sqlitebe_query_clear it). */
int sqlitebe_target_query(sqlitebe_query *q, const ir_job *job, const ir_node *target, const sqlitebe_env *env);
void sqlitebe_query_clear(sqlitebe_query *q);

/* The fixed "now" of every run (current_date, current_timestamp, session_start_time), so runs are
 * reproducible. */
#define SQLITEBE_NOW "2024-06-15 10:20:30"
/* The value of a date parameter without a default (also the text of a string parameter the job
 * reads with to_date, in that format). */
#define SQLITEBE_PARAM_DATE "2024-01-01 00:00:00"

/* Appends the SQL of e, an expression that reads no column (constants, parameters, calls of
 * them), over job's parameters. Returns 0, or -1 when it cannot be executed. */
int sqlitebe_const_sql(strbuf *sb, const ir_job *job, const ir_expr *e);

/* Appends s as an SQLite string literal ('it''s'; backslashes are plain characters). */
void sqlitebe_put_string(strbuf *sb, const char *s);

/* Appends s as a quoted SQLite identifier ("a""b"). */
void sqlitebe_put_ident(strbuf *sb, const char *s);

/* Registers every etl_<name> function on db. Returns SQLITE_OK or an SQLite error code. */
int sqlitebe_register(sqlite3 *db);

/* Whether why (a reason a column or step is not executable) is a generated key: a sequence value
 * or a generated row id. With merge_rows such a key is executed as a new key (unique per row,
 * equal to no data value: '~generated key <n>'), so that it matches no prior row of the target. */
bool sqlitebe_generated_key(const char *why);

/* Whether fn has a SQLite form (a native operator or function, or a registered etl_<name>). */
bool sqlitebe_fn_supported(ir_fn fn);

#endif
