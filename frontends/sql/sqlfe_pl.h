/*
 * sqlfe_pl.h — internal to the procedural layer of frontends/sql (sqlfe_pl.c: Oracle PL/SQL, DB2
 * SQL PL, Netezza NZPLSQL; sqlfe_tsql.c: T-SQL; sqlfe_bteq.c: Teradata BTEQ scripts): the token
 * cursor over one procedural statement and the helpers the three readers share to make steps,
 * lower embedded SQL and expressions (sqlfe_lower_stmt / sqlfe_lower_scalar), and report errors.
 * docs/sql-scripts.md, "Procedural units", describes the model.
 */
#ifndef ETLPORT_FRONTENDS_SQL_SQLFE_PL_H
#define ETLPORT_FRONTENDS_SQL_SQLFE_PL_H

#include "frontends/sql/sqlfe_internal.h"
#include "ir/ir_unit.h"

/* A declared cursor: its name and where its query is (for lifting a loop over it). */
typedef struct pl_cursor {
    const char *name;
    size_t q_start, q_end; /* the SELECT's byte range in the file */
    int has_params;
    int decl_tok;          /* T-SQL: the token of its DECLARE (lifting reads from there) */
} pl_cursor;

typedef struct plx {
    arena *a;              /* scratch: tokens, texts */
    const srcfile *file;   /* the whole legacy file: offsets below index file->text */
    const char *path;
    sqlfe_dialect d;
    diag_ctx *dc;
    tok *t;                /* the statement's tokens (offsets into file->text), t[n] is EOF */
    int n;
    int i;                 /* the cursor */
    ir_unit *u;            /* the unit being built */
    ir_pstmt *blk;         /* the innermost BLOCK being read (DB2 DECLARE adds to it) */
    int n_errors;          /* structural errors (unclosed blocks) */
    /* names in scope: parameters, variables, loop records and indexes (case-insensitive) */
    const char **names;
    int n_names, cap_names;
    const char **records;  /* FOR-loop records and ROW variables: "r.x" reads a field */
    int n_records, cap_records;
    const char **collections; /* PL/SQL collection variables: no IR form, every use a hole */
    int n_collections, cap_collections;
    struct pl_curvar {        /* T-SQL cursor variables given a query (SET @c = CURSOR FOR q) */
        const char *name;
        struct ir_stmt *query; /* what OPEN @c runs */
    } *curvars;
    int n_curvars, cap_curvars;
    pl_cursor *cursors;
    int n_cursors, cap_cursors;
    /* user-defined types (TYPE t IS TABLE OF / RECORD / REF CURSOR): kind per name */
    const char **types;
    ir_var_kind *type_kinds;
    int n_types, cap_types, cap_type_kinds;
    const char *pending_label; /* <<label>> / label: before a loop or block */
    const char *last_error;    /* the lowering's first error message (pl_sql) */
    const char *lifted_cursor; /* T-SQL: the cursor of a lifted loop (its CLOSE goes too) */
    void *sink;                /* where finished units go (sqlfe_pl.c) */
    sqlfe_scope scope;
} plx;

/* ---- token cursor (sqlfe_pl.c) ---- */
int pl_kw(const plx *P, int i, const char *w);          /* token i is the word w (upper case) */
int pl_is(const plx *P, int i, tk_kind k);
int pl_at(const plx *P, const char *w);                  /* the current token is w */
int pl_accept(plx *P, const char *w);                    /* consumes w when there */
int pl_eof(const plx *P);
const char *pl_tok_text(plx *P, int i);                  /* a token's text (quoted names unquoted) */
const char *pl_upper(plx *P, const char *s);
/* the first token from i at parenthesis and CASE depth 0 that is the word w (or of kind k when w
 * is NULL), before a ';' at depth 0 when stop_semi; -1 when none */
int pl_find(const plx *P, int i, const char *w, tk_kind k, int stop_semi);
int pl_semi(const plx *P, int i);                        /* the next ';' at depth 0 from i, or n */
int pl_close_paren(const plx *P, int i);                 /* i at '(': the index of its ')', or -1 */
const char *pl_text(plx *P, int from, int to);           /* source text of tokens [from, to) */
ir_span pl_span(plx *P, int i);
/* a dotted name at i ("pkg.proc", "r.x"): its text, *end after it; NULL when no name */
const char *pl_dotted(plx *P, int i, int *end);

/* ---- scope ---- */
void pl_declare(plx *P, const char *name);
void pl_declare_record(plx *P, const char *name);
int pl_is_var_name(const plx *P, const char *name);

/* ---- steps ---- */
ir_pstmt *pl_step(plx *P, ir_pstmt_kind kind, int from, int to);
ir_pstmt *pl_hole(plx *P, int from, int to, const char *reason);
void pl_error(plx *P, int i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* SQL text [from, to) → a statement (a syntax error: a warning and NULL); blank: byte ranges of
 * the text to blank out first (INTO lists), pairs of offsets, n_blank pairs */
ir_stmt *pl_sql(plx *P, int from, int to, const size_t *blank, int n_blank);
/* an IR_PS_SQL step for [from, to), or a hole step when the statement does not parse */
ir_pstmt *pl_sql_step(plx *P, int from, int to, const size_t *blank, int n_blank);
/* EXECUTE IMMEDIATE 'text' / EXEC ('text') (the IR_PS_EXEC step st over tokens [from, to)) of a
 * constant text with no INTO or USING: the one statement the text holds, lowered as if written in
 * place (the unit's variables out of sight, as they are at run time). NULL when the text is not a
 * single statement with an IR form: the step stays dynamic SQL. */
ir_pstmt *pl_constant_exec(plx *P, const ir_pstmt *st, int from, int to);
/* a scalar expression [from, to); a hole expression when it does not lower */
ir_expr *pl_expr(plx *P, int from, int to);
/* a type [from, to): "VARCHAR2(30)", "t.c%TYPE" (*type_of set), "NUMBER(10,2)" */
ir_type pl_type(plx *P, int from, int to, const char **type_of, ir_var_kind *kind);
/* comma-separated expressions [from, to) as args of s */
void pl_args(plx *P, ir_pstmt *s, int from, int to);
/* tries to lift a cursor loop [from, to) to one set-based statement (sqlfe_proc.c); the loop's
 * cursor (NULL: inline query). Returns the SQL step or NULL. prefix: extra declarations text. */
ir_pstmt *pl_try_lift(plx *P, int from, int to, const char *cursor, const char *prefix);

/* one statement of the BEGIN/END family at P->i (Oracle, DB2, Netezza) into b */
void pl_stmt(plx *P, ir_pblock *b);

/* ---- the dialect readers ---- */
/* T-SQL: a CREATE PROCEDURE / FUNCTION or a batch of statements from P->i (sqlfe_tsql.c). */
void sqlfe_tsql_unit(plx *P, const char *anon_name, const char **why_none);
/* hands a finished unit to the statement's sink (sqlfe_pl.c) */
void pl_emit(plx *P, ir_unit *u);
/* a new unit named name starting at token s, with the file's dialect, file and span */
ir_unit *pl_new_unit(plx *P, ir_unit_kind kind, const char *name, int s);
/* names declared in the unit: in scope and a job param (record: "r.x" reads a field) */
void pl_declare_var(plx *P, const char *name, int record);

#endif
