/*
 * sqlfe.h — the SQL frontend: a hand-written, dialect-aware lexer and recursive-descent parser for
 * SQL statements (queries, DML, common DDL) into a syntax tree, and the lowering of a query into IR
 * nodes with canonical expressions. docs/sql-frontend.md explains the design and its figures.
 *
 * Three levels of use:
 *   - sqlfe_parse_script: a whole file split into statements, each parsed into an AST or kept as
 *     raw text with its span (procedural blocks, BTEQ dot-commands, SQL*Plus lines, GO batches);
 *   - sqlfe_lower_select: one SELECT (an Informatica Source Qualifier override, a lookup query)
 *     into a chain of IR nodes of a caller's job;
 *   - sql_frontend: the frontend (frontends/frontend.h) reading .sql/.bteq/.ddl files.
 *
 * Memory: syntax trees live in a scratch arena the caller passes (one per input file); IR goes to
 * the job's arena. Offsets are byte offsets into the text given; nothing keeps a pointer to it
 * after a call returns except the syntax tree (its text fields point into the arena, not the text).
 */
#ifndef ETLPORT_FRONTENDS_SQL_SQLFE_H
#define ETLPORT_FRONTENDS_SQL_SQLFE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/strbuf.h"
#include "frontends/frontend.h"
#include "ir/ir.h"
#include "ir/ir_sql.h"

/* ---- dialects ---- */

typedef enum {
    SQLFE_ANSI,
    SQLFE_ORACLE,
    SQLFE_TSQL,
    SQLFE_TERADATA,
    SQLFE_DB2,
    SQLFE_NETEZZA,
    SQLFE_SNOWFLAKE,
    SQLFE_SPARK, /* Spark SQL and Databricks SQL: read back generated code and translation pairs */
    SQLFE__DIALECTS
} sqlfe_dialect;

/* "ansi", "oracle", "tsql", ... */
const char *sqlfe_dialect_name(sqlfe_dialect d);
/* The dialect with this name (also "sqlserver", "mssql", "bteq", "plsql"), or -1. */
int sqlfe_dialect_by_name(const char *name);
/* A guess from a file's path and first bytes (BTEQ dot-commands, GO lines, NVL/VARCHAR2, ...);
 * SQLFE_ANSI when nothing tells. */
sqlfe_dialect sqlfe_dialect_guess(const char *path, const char *head, size_t n);
/* sqlfe_dialect_guess, also writing into why (size bytes, NUL-terminated) what decided it: the
 * labels of the hints that scored for the chosen dialect ("GO batches, @variables"), "file extension
 * .bteq", or "no dialect-specific hints" for ANSI. why may be NULL. */
sqlfe_dialect sqlfe_dialect_guess_why(const char *path, const char *head, size_t n, char *why, size_t size);

/* ---- syntax tree ----
 * One node type for everything: a kind, an optional text, modifier flags and children. Which child
 * is which is fixed per kind (listed with each kind). Clauses of a SELECT are children of their own
 * kinds (SQ_CL_*), found with sqlfe_clause. sqlfe_ast_to_sexpr prints the canonical S-expression
 * the tests compare. */
typedef enum {
    /* expressions */
    SQ_NAME,       /* column or table name; text = dotted, quoted parts unquoted ("s.t.c"); flags QUOTED, OUTER_PLUS */
    SQ_STAR,       /* * or q.*; text = the qualifier or NULL */
    SQ_NUM,        /* text as written */
    SQ_STR,        /* text unescaped; flags NATIONAL */
    SQ_NULL, SQ_TRUE, SQ_FALSE,
    SQ_PARAM,      /* :x ?, $$X, @x, &x, ${x}; text as written */
    SQ_TYPED_LIT,  /* DATE '..', TIMESTAMP '..', TIME '..'; text = type; kid 0 the string */
    SQ_INTERVAL,   /* INTERVAL '..' unit [TO unit]; text = unit(s); kid 0 the value */
    SQ_UNARY,      /* text "-", "+", "NOT", "PRIOR", "~"; kid 0 */
    SQ_BINARY,     /* text the operator, upper case ("+", "||", "=", "AND", ...); kids 0, 1 */
    SQ_IS,         /* x IS [NOT] NULL/TRUE/FALSE/UNKNOWN; text "NULL", ...; flags NOT */
    SQ_BETWEEN,    /* kids x, low, high; flags NOT */
    SQ_IN,         /* kids x, then the list items or one SQ_QUERY; flags NOT */
    SQ_LIKE,       /* text LIKE/ILIKE/RLIKE/SIMILAR; kids x, pattern, [escape]; flags NOT */
    SQ_EXISTS,     /* kid a query */
    SQ_QUANTIFIED, /* x op ANY/ALL/SOME (query or list); text "= ANY" ...; kids x, query or SQ_LIST */
    SQ_SUBQUERY,   /* a query used as a value; kid the query */
    SQ_CASE,       /* kids: operand (or SQ_EMPTY), when, then, ..., [else]; flags HAS_ELSE */
    SQ_CAST,       /* text CAST, TRY_CAST, "::", CONVERT; kids value, SQ_TYPE, [style]; FORMAT in the type */
    SQ_TYPE,       /* text the type name, upper case; kids the numeric parameters; Teradata FORMAT in kid text */
    SQ_FUNC,       /* text the name as written (qualified "a.b"); kids args, then SQ_WINDOW / SQ_WITHIN_GROUP /
                      SQ_FILTER; flags DISTINCT, STAR (COUNT(*)), NO_PARENS (CURRENT_DATE), IGNORE_NULLS */
    SQ_EXTRACT,    /* EXTRACT(part FROM x); text the part; kid x */
    SQ_TRIM,       /* TRIM([BOTH|LEADING|TRAILING] [chars] FROM x); text the side; kids x, [chars] */
    SQ_WINDOW,     /* OVER (...): kids SQ_PARTITION?, SQ_CL_ORDER?, SQ_FRAME?; text a window name */
    SQ_PARTITION,  /* PARTITION BY list */
    SQ_FRAME,      /* ROWS/RANGE ...; text as written */
    SQ_WITHIN_GROUP, /* WITHIN GROUP (ORDER BY ...); kid SQ_CL_ORDER */
    SQ_FILTER,     /* FILTER (WHERE ...); kid the condition */
    SQ_LIST,       /* (a, b, ...) row value or a grouping list */
    SQ_EMPTY,      /* a placeholder child */
    SQ_NAMED_ARG,  /* name => value; text name */
    /* queries */
    SQ_QUERY,      /* kids: [SQ_WITH], body (SQ_SELECT / SQ_SETOP / SQ_VALUES / SQ_QUERY), then
                      SQ_CL_ORDER?, SQ_CL_LIMIT?, SQ_CL_OFFSET?, SQ_CL_FETCH? */
    SQ_WITH,       /* kids SQ_CTE; flags RECURSIVE */
    SQ_CTE,        /* text the name; kids SQ_LIST of column names (or SQ_EMPTY), query */
    SQ_SETOP,      /* text UNION, INTERSECT, EXCEPT (MINUS is EXCEPT); flags ALL; kids left, right */
    SQ_SELECT,     /* kids: clauses (SQ_CL_*) in source order */
    SQ_VALUES,     /* kids SQ_LIST rows */
    SQ_CL_TOP,     /* kid the count; flags PERCENT, WITH_TIES */
    SQ_CL_ITEMS,   /* kids SQ_ITEM */
    SQ_ITEM,       /* kid the expression; text the alias or NULL */
    SQ_CL_FROM,    /* kids table expressions (comma list): SQ_TABLE, SQ_DERIVED, SQ_JOIN, SQ_TABLE_FN */
    SQ_TABLE,      /* text the qualified name; kid 0 SQ_ALIAS or none; flags ONLY */
    SQ_ALIAS,      /* text the alias; kids column-name SQ_NAMEs */
    SQ_DERIVED,    /* kids a query, SQ_ALIAS?; flags LATERAL */
    SQ_TABLE_FN,   /* TABLE(...) / function in FROM; kids SQ_FUNC, SQ_ALIAS? */
    SQ_JOIN,       /* text INNER, LEFT, RIGHT, FULL, CROSS; flags NATURAL, APPLY; kids left, right,
                      [SQ_ON cond | SQ_USING names] */
    SQ_ON, SQ_USING,
    SQ_CL_WHERE, SQ_CL_GROUP, SQ_CL_HAVING, SQ_CL_QUALIFY, SQ_CL_WINDOW, SQ_CL_CONNECT,
    SQ_CL_SAMPLE,  /* Teradata SAMPLE, TABLESAMPLE */
    SQ_CL_INTO,    /* SELECT ... INTO t (T-SQL) */
    SQ_GROUPING,   /* text ROLLUP, CUBE, GROUPING SETS; kids SQ_LIST or expressions */
    SQ_CL_ORDER,   /* kids SQ_ORDER_ITEM */
    SQ_ORDER_ITEM, /* kid expression; flags DESC, NULLS_FIRST, NULLS_LAST */
    SQ_CL_LIMIT, SQ_CL_OFFSET, SQ_CL_FETCH, /* kid the count (may be SQ_EMPTY for FETCH FIRST ROW) */
    /* statements */
    SQ_INSERT,     /* kids SQ_TABLE, SQ_LIST of columns or SQ_EMPTY, source (query); flags OVERWRITE */
    SQ_UPDATE,     /* kids SQ_TABLE, SQ_SET, [SQ_CL_FROM], [SQ_CL_WHERE] */
    SQ_SET,        /* kids SQ_ASSIGN */
    SQ_ASSIGN,     /* kids target name (or SQ_LIST), value */
    SQ_DELETE,     /* kids SQ_TABLE, [SQ_CL_FROM / USING], [SQ_CL_WHERE] */
    SQ_MERGE,      /* kids target SQ_TABLE, source (SQ_TABLE / SQ_DERIVED), SQ_ON, SQ_WHEN... */
    SQ_WHEN,       /* flags MATCHED / NOT_MATCHED, BY_SOURCE; kids [condition or SQ_EMPTY], action */
    SQ_MERGE_UPDATE, /* kid SQ_SET, [SQ_CL_WHERE] */
    SQ_MERGE_INSERT, /* kids SQ_LIST columns or SQ_EMPTY, SQ_LIST values */
    SQ_MERGE_DELETE,
    SQ_CREATE_TABLE, /* text the table; flags OR_REPLACE, TEMPORARY, IF_NOT_EXISTS; kids SQ_COLDEF...,
                        or SQ_LIST of names + a query (AS SELECT); table options are skipped */
    SQ_COLDEF,     /* text the column; kids SQ_TYPE, constraint words as SQ_NAME; flags NOT_NULL, PRIMARY */
    SQ_CONSTRAINT, /* a table constraint, kept as its text */
    SQ_CREATE_VIEW,  /* text the view; flags OR_REPLACE; kids SQ_LIST of names or SQ_EMPTY, query */
    SQ_DROP,       /* text the object kind (TABLE, VIEW, ...); kid SQ_NAME; flags IF_EXISTS */
    SQ_TRUNCATE,   /* kid SQ_TABLE */
    SQ_CL_OUTPUT,  /* T-SQL OUTPUT list [INTO t [(cols)]] of INSERT/UPDATE/DELETE/MERGE: kids SQ_CL_ITEMS,
                      [SQ_TABLE, [SQ_LIST of names]]; the frontend keeps such a statement as a hole */
    SQ_LAMBDA,     /* Spark/Snowflake x -> e, (x, y) -> e in call arguments: kids the parameter SQ_NAMEs, then
                      the body */
    SQ_DEFAULT,    /* a column's DEFAULT in CREATE TABLE (a kid of SQ_COLDEF): text the expression as written */
    SQ__KINDS
} sqlfe_kind;

enum {
    SQF_QUOTED = 1u << 0,
    SQF_OUTER_PLUS = 1u << 1,   /* Oracle (+) after a column */
    SQF_NATIONAL = 1u << 2,
    SQF_NOT = 1u << 3,
    SQF_HAS_ELSE = 1u << 4,
    SQF_DISTINCT = 1u << 5,
    SQF_STAR = 1u << 6,
    SQF_NO_PARENS = 1u << 7,
    SQF_RECURSIVE = 1u << 8,
    SQF_ALL = 1u << 9,
    SQF_DESC = 1u << 10,
    SQF_NULLS_FIRST = 1u << 11,
    SQF_NULLS_LAST = 1u << 12,
    SQF_NATURAL = 1u << 13,
    SQF_LATERAL = 1u << 14,
    SQF_PERCENT = 1u << 15,
    SQF_WITH_TIES = 1u << 16,
    SQF_OR_REPLACE = 1u << 17,
    SQF_TEMPORARY = 1u << 18,
    SQF_IF_EXISTS = 1u << 19,
    SQF_MATCHED = 1u << 20,
    SQF_BY_SOURCE = 1u << 21,
    SQF_NOT_NULL = 1u << 22,
    SQF_PRIMARY = 1u << 23,
    SQF_OVERWRITE = 1u << 24,
    SQF_APPLY = 1u << 25,      /* CROSS/OUTER APPLY */
    SQF_ONLY = 1u << 26,
    SQF_IGNORE_NULLS = 1u << 27, /* a call with IGNORE NULLS (after the call or, Oracle, after its argument) */
    SQF_BINARY = 1u << 28,       /* a SQ_STR written X'..' (bytes) or B'..' (bits): no text value */
    SQF_ORDINALITY = 1u << 29,   /* a table function WITH ORDINALITY (a position column added) */
    SQF_CASESPECIFIC = 1u << 30, /* Teradata: an operand written with (CASESPECIFIC) / (CS): compared
                                    case-specifically even in a Teradata-mode session */
};

typedef struct sqlfe_ast sqlfe_ast;
struct sqlfe_ast {
    sqlfe_kind kind;
    uint32_t flags;    /* SQF_* */
    const char *text;  /* see the kind; NULL when none */
    size_t start, end; /* byte range in the text parsed */
    sqlfe_ast **kids;
    int n_kids;
};

/* The first child of this kind, or NULL. */
sqlfe_ast *sqlfe_clause(const sqlfe_ast *n, sqlfe_kind kind);
const char *sqlfe_kind_name(sqlfe_kind k);
/* The canonical S-expression of a tree, e.g. (select (items (item (col a))) (from (table t))). */
void sqlfe_ast_to_sexpr(strbuf *sb, const sqlfe_ast *n);

/* ---- statements of a script ---- */

typedef enum {
    SQLFE_ST_QUERY,     /* SELECT / WITH / VALUES / SEL */
    SQLFE_ST_INSERT, SQLFE_ST_UPDATE, SQLFE_ST_DELETE, SQLFE_ST_MERGE,
    SQLFE_ST_CREATE_TABLE, SQLFE_ST_CREATE_VIEW, SQLFE_ST_DROP, SQLFE_ST_TRUNCATE,
    SQLFE_ST_PROCEDURAL, /* a procedure, function, package, trigger, anonymous block: raw text */
    SQLFE_ST_COMMAND,    /* a client command line: BTEQ .x, SQL*Plus PROMPT/SET/@, GO */
    SQLFE_ST_OTHER,      /* any other statement (GRANT, ALTER, SET, ...): raw text */
    SQLFE_ST__KINDS
} sqlfe_stmt_kind;

typedef struct sqlfe_stmt {
    sqlfe_stmt_kind kind;
    size_t start, end;   /* byte range, without the terminator */
    sqlfe_ast *ast;      /* the syntax tree; NULL for raw kinds and when parsing failed */
    const char *error;   /* the parse error (a statement of a parsed kind), or NULL */
    size_t error_off;    /* where */
} sqlfe_stmt;

typedef struct sqlfe_script {
    sqlfe_stmt *stmts;
    int n_stmts;
    int n_lex_errors;    /* unterminated strings / comments (the statement holding one fails) */
} sqlfe_script;

const char *sqlfe_stmt_kind_name(sqlfe_stmt_kind k);
/* True for the kinds the parser reads into a tree (not raw, command or procedural). */
int sqlfe_stmt_kind_parsed(sqlfe_stmt_kind k);

/* Splits text into statements (at ';' outside parentheses and blocks, GO lines, '/' lines, BTEQ
 * dot-command lines, procedural block ends) and parses those of a parsed kind. Everything lives in
 * a. Never fails: errors are recorded per statement. */
void sqlfe_parse_script(arena *a, const char *text, size_t len, sqlfe_dialect d, sqlfe_script *out);

/* Parses one statement (the whole text; a trailing ';' is allowed). Returns the tree, or NULL with
 * *err (a message in a) and *err_off set. */
sqlfe_ast *sqlfe_parse_statement(arena *a, const char *text, size_t len, sqlfe_dialect d, const char **err,
                                 size_t *err_off);

/* ---- lowering into IR ---- */

typedef struct sqlfe_column {
    const char *name;
    ir_type type;
} sqlfe_column;

typedef struct sqlfe_source_info {
    /* The known columns of a table named in FROM (qualified name as written, e.g. "HR.EMP"): sets
     * *n and returns an array the callee keeps alive until the call returns, or NULL when the
     * table is unknown (then the table gets the columns the query uses, typed unknown). May be NULL. */
    const sqlfe_column *(*table_columns)(void *userdata, const char *table, int *n);
    void *userdata;
    const srcfile *file; /* the legacy file, for the caret display in messages; may be NULL */
} sqlfe_source_info;

/* Flags of sqlfe_lower_select_flags. */
enum {
    /* The column lists table_columns returns may be incomplete (PowerCenter exports hold partial
     * imports of table definitions; the query runs against the real table). A name the query
     * qualifies with one table's alias or name, or an unqualified name when that table is the only
     * one of the SELECT that may have unlisted columns, is then taken as a column of it (type
     * unknown, added to its SOURCE node and listed in the node's prop columns_not_in_definition);
     * a name that could belong to several stays a hole with a warning. Without the flag the lists
     * are complete (DDL) and a name they lack is a hole. */
    SQLFE_PARTIAL_DEFINITIONS = 1u << 0,
};

/* sqlfe_lower_select's results besides 0 (lowered) and -1 (syntax error, nothing added). */
enum {
    /* Lowered, but part of the text has no counterpart in the nodes (an Oracle (+) that marks no
     * outer join); a warning says where. The nodes stay in the job and *out_node is set: a caller
     * that needs the query's exact meaning discards them. */
    SQLFE_LOSSY = 1,
};

/* Lowers one SELECT (text sql, len bytes, in dialect d) into nodes appended to job: SOURCE nodes
 * for tables, JOIN (left-deep), FILTER, AGGREGATE, FILTER (HAVING), PROJECT, SORT (DISTINCT,
 * ORDER BY), RANK (TOP/LIMIT/ROWNUM), UNION; subqueries in FROM and CTEs get their own chains.
 * Window calls of the select list and QUALIFY become WINDOW nodes (docs/sql-frontend.md).
 * Column references become ir_ref(node, column). What the IR cannot express (other window calls,
 * scalar/correlated subqueries, INTERSECT, recursive CTEs ...) becomes a hole expression or a
 * PROCEDURE node with its text; nothing is dropped.
 *
 * base is where the SQL text starts in the legacy file (file, line, col; col counts bytes):
 * spans and messages map an offset in sql onto it (lines add, the first line's columns add).
 * info may be NULL. On success *out_node is the id of the last node, whose columns are the
 * query's output, and 0 is returned (SQLFE_LOSSY when part of the meaning was lost, see there); on
 * a syntax error the message goes to dc at file:line:col, nothing is added to job and -1 is returned. Semantic problems (unknown alias, ambiguous column)
 * are warnings and holes, not failures. dc may be NULL. */
int sqlfe_lower_select(ir_job *job, const char *sql, size_t len, sqlfe_dialect d, const sqlfe_source_info *info,
                       ir_span base, diag_ctx *dc, int *out_node);
/* sqlfe_lower_select with SQLFE_* flags (SQLFE_PARTIAL_DEFINITIONS). */
int sqlfe_lower_select_flags(ir_job *job, const char *sql, size_t len, sqlfe_dialect d, const sqlfe_source_info *info,
                             unsigned flags, ir_span base, diag_ctx *dc, int *out_node);

/* Lowers one scalar SQL expression (a lookup condition, a filter in an override) over a single
 * input node: a column name resolves to ir_ref(input_node, column) (case-insensitively against the
 * node's columns). Returns NULL with a message on a syntax error. */
ir_expr *sqlfe_lower_expr(ir_job *job, const char *sql, size_t len, sqlfe_dialect d, int input_node, ir_span base,
                          diag_ctx *dc);

/* Converts an Oracle/DB2/Teradata/Snowflake date format model ('YYYY-MM-DD HH24:MI:SS') to the
 * canonical format (ir/datefmt.h); NULL when it holds something with no canonical meaning. */
const char *sqlfe_datefmt_to_canonical(ir_job *job, const char *fmt);
/* The canonical format of a T-SQL CONVERT style number (101, 112, 120 ...), or NULL. */
const char *sqlfe_tsql_style_format(int style);

/* ---- statements into the SQL-shaped IR (ir/ir_sql.h) ---- */

typedef struct sqlfe_scope {
    /* Whether name (as written, without @ or :) is a variable or parameter of the enclosing
     * procedural unit: such names lower to IR_EX_PARAM (a bind variable). May be NULL. */
    int (*is_var)(void *userdata, const char *name);
    void *userdata;
    const srcfile *file; /* for the caret display in messages; may be NULL */
    int in_handler;      /* inside an error handler (T-SQL CATCH): ERROR_MESSAGE() is the handler's SQLERRM */
    int td_ansi;         /* Teradata: the script runs in an ANSI-mode session (sqlfe_td_ansi_session) */
} sqlfe_scope;

/* Whether the Teradata script f asks BTEQ for an ANSI-mode session (.SET SESSION TRANSACTION ANSI,
 * which takes effect at the next .LOGON): its comparisons are then case-specific, where a
 * Teradata-mode session (the default) compares NOT CASESPECIFIC strings case-blind. */
int sqlfe_td_ansi_session(const srcfile *f);

/* Lowers one statement (a query, INSERT, UPDATE, DELETE, MERGE, CREATE TABLE/VIEW, DROP,
 * TRUNCATE) into an ir_stmt in job's arena: its structure kept, every expression canonical, column
 * names as written (ir_sql.h). What has no canonical form is a hole expression, or an IR_ST_HOLE
 * statement for other statement kinds; nothing is dropped. base maps offsets in sql onto the legacy
 * file as in sqlfe_lower_select. Returns NULL on a syntax error (message to dc at file:line:col).
 * scope may be NULL. */
ir_stmt *sqlfe_lower_stmt(ir_job *job, const char *sql, size_t len, sqlfe_dialect d, const sqlfe_scope *scope,
                          ir_span base, diag_ctx *dc);
/* A procedural statement [start, end) of f (a procedure, function, package body, anonymous block,
 * T-SQL batch) read into procedural units (ir/ir_unit.h), each handed to fn (the callee owns it:
 * ir_unit_free); an anonymous block is named anon_name. Errors go to dc at file:line:col. Returns
 * the number of units; 0 with *why_none when the statement holds none (a package specification, a
 * trigger ...). docs/sql-scripts.md, "Procedural units". */
struct ir_unit;
int sqlfe_units(const srcfile *f, size_t start, size_t end, sqlfe_dialect d, const char *anon_name, diag_ctx *dc,
                void (*fn)(void *userdata, struct ir_unit *unit), void *userdata, const char **why_none);

/* Masks credentials in text in place (same length): the password of BTEQ ".LOGON host/user,pw", of
 * SQL*Plus "CONNECT user/pw[@db]", the word after "IDENTIFIED BY" and after DB2's
 * "CONNECT .. USER u USING pw". For texts that go to reports, comments and messages. */
void sqlfe_redact_credentials(char *text);

/* The statements the parser keeps as raw text that still have a form in the IR: ALTER TABLE ADD /
 * DROP [COLUMN], RENAME [COLUMN] .. TO; CALL / T-SQL EXEC of a procedure with positional arguments;
 * COMMIT / ROLLBACK. NULL (and no message) when the statement is none of those. */
ir_stmt *sqlfe_lower_other(ir_job *job, const char *sql, size_t len, sqlfe_dialect d, const sqlfe_scope *scope,
                           ir_span base, diag_ctx *dc);
/* Lowers one scalar expression (an IF condition, the value of an assignment) with column names
 * as in sqlfe_lower_stmt and variables through scope. NULL with a message on a syntax error. */
ir_expr *sqlfe_lower_scalar(ir_job *job, const char *sql, size_t len, sqlfe_dialect d, const sqlfe_scope *scope,
                            ir_span base, diag_ctx *dc);

/* ---- the frontend ---- */

/* Reads .sql/.sql-like scripts: each INSERT ... SELECT, CREATE TABLE ... AS SELECT and MERGE becomes
 * one job ending in a TARGET node; other statements are counted (transformations).
 * registry yet. */
extern const frontend sql_frontend;

#endif
