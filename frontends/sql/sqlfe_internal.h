/*
 * sqlfe_internal.h — internal to frontends/sql: tokens and the lexer (sqlfe_lex.c), the statement
 * splitter and parser (sqlfe_split.c, sqlfe_parse.c), and what the lowering files share.
 */
#ifndef ETLPORT_FRONTENDS_SQL_SQLFE_INTERNAL_H
#define ETLPORT_FRONTENDS_SQL_SQLFE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "frontends/sql/sqlfe.h"
#include "ir/ir_unit.h"

typedef enum {
    TK_EOF,
    TK_ERROR,    /* unterminated string, quoted name or comment; tok.len covers the rest */
    TK_IDENT,    /* a name or keyword */
    TK_QIDENT,   /* "x", [x], `x`: never a keyword */
    TK_STRING,   /* '..' with '' escapes, Oracle q'[..]', Spark ".." and \ escapes, Snowflake $$..$$; flags
                    TKF_NATIONAL for N'..', TKF_HEX for X'..', TKF_DOLLAR, TKF_BACKSLASH */
    TK_NUMBER,   /* 12 1.5 .5 1e3 0x1F */
    TK_PARAM,    /* :x :1 ? $$X @x &x &&x ${x} */
    TK_DOTCMD,   /* a BTEQ dot-command line (teradata): '.' + word at the start of a line, to its end */
    /* punctuation */
    TK_LPAREN, TK_RPAREN, TK_COMMA, TK_SEMI, TK_DOT, TK_LBRACKET, TK_RBRACKET, TK_LBRACE, TK_RBRACE,
    TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_PERCENT, TK_CONCAT, TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT,
    TK_GE, TK_DCOLON, TK_ASSIGN /* := */, TK_ARROW /* => */, TK_AMP, TK_PIPE, TK_CARET, TK_TILDE,
    TK_BANG, TK_AT, TK_COLON, TK_OTHER,
    TK_NSEQ,     /* <=> (Spark, MySQL: NULL-safe equality) */
    TK_LAMBDA,   /* -> (Spark, Snowflake, ANSI: lambda arrow) */
} tk_kind;

enum {
    TKF_BOL = 1u << 0,      /* first token on its line */
    TKF_NATIONAL = 1u << 1,
    TKF_HEX = 1u << 2,
    TKF_QQUOTE = 1u << 3,   /* Oracle q'..' quoting */
    TKF_EOL = 1u << 4,      /* last token on its line (set by the tokenizer pass) */
    TKF_DOLLAR = 1u << 5,   /* Snowflake/Spark $$..$$ dollar-quoted string (a procedure body) */
    TKF_BACKSLASH = 1u << 6, /* Spark '..' / ".." string with backslash escapes (\' \n \\ ...) */
    TKF_BITS = 1u << 7,     /* B'..' bit string (Postgres, ANSI) */
};

typedef struct tok {
    tk_kind kind;
    uint32_t flags;
    uint32_t start, len;
} tok;

typedef struct sqlfe_lexer {
    const char *text;
    size_t len, pos;
    sqlfe_dialect d;
    int at_bol;        /* nothing but blanks since the last newline */
    const char *error; /* TK_ERROR: why */
} sqlfe_lexer;

void sqlfe_lex_init(sqlfe_lexer *lx, const char *text, size_t len, sqlfe_dialect d);
tok sqlfe_lex_next(sqlfe_lexer *lx);
/* All tokens of text into *out (an arena array ending in TK_EOF); returns the count without EOF. */
int sqlfe_tokenize(arena *a, const char *text, size_t len, sqlfe_dialect d, tok **out, int *n_errors);

/* Case-insensitive: does the token's text equal word (upper-case ASCII)? */
static inline int tk_is(const char *text, const tok *t, const char *word)
{
    if (t->kind != TK_IDENT)
        return 0;
    const char *s = text + t->start;
    uint32_t i = 0;
    for (; i < t->len; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if (c != word[i])
            return 0;
    }
    return word[i] == 0;
}

/* Parses tokens [0, n) of text (toks[n] is EOF or the terminator) as one statement. Returns the tree
 * or NULL with *err and *err_off. line_base: the line of text's first byte (messages that name
 * another line, such as an unclosed parenthesis, count from it). */
sqlfe_ast *sqlfe_parse_tokens(arena *a, const char *text, const tok *toks, int n, sqlfe_dialect d,
                              int line_base, const char **err, size_t *err_off);
/* The statement kind a statement's first tokens announce. */
sqlfe_stmt_kind sqlfe_classify(const char *text, const tok *toks, int n, sqlfe_dialect d);

/* ---- lowering ---- */

typedef struct lower_ctx lower_ctx;

/* Resolves a column name (SQ_NAME) to an expression, or returns NULL after reporting. */
typedef ir_expr *(*sqlfe_resolve_fn)(lower_ctx *L, void *scope, const sqlfe_ast *name);

struct lower_ctx {
    ir_job *job;
    sqlfe_dialect d;
    const char *sql;     /* the text the tree's offsets index */
    size_t len;
    ir_span base;
    diag_ctx *dc;
    const sqlfe_source_info *info;
    unsigned flags;      /* SQLFE_PARTIAL_DEFINITIONS ... */
    arena *scratch;
    int n_errors;
    int n_binds;         /* ? parameters seen */
    int n_lossy;         /* parts of the text whose meaning the nodes lack (an Oracle (+) that marks no
                            outer join): sqlfe_lower_select returns SQLFE_LOSSY */
    int depth;
    /* window calls: when set, a function call with OVER is handed to it (sqlfe_lower.c lowers the
     * select list and QUALIFY of a SELECT into WINDOW nodes) instead of becoming a hole */
    ir_expr *(*window_call)(lower_ctx *L, const sqlfe_ast *func);
    void *window_scope;
    /* column resolution for the expression being lowered */
    sqlfe_resolve_fn resolve;
    void *scope;
    int in_handler; /* the statement is inside an error handler (sqlfe_scope.in_handler) */
    int td_ansi;    /* Teradata, ANSI-mode session (sqlfe_scope.td_ansi): comparisons case-specific */
    /* the sequences the statement takes NEXTVAL of, and where (one reference each: see seq_next) */
    struct {
        const char *name;
        const sqlfe_ast *at;
    } seqs[8];
    int n_seqs;
    /* when set, subqueries used as values (scalar, EXISTS, IN, ANY/ALL) go to it (the SQL-shaped
     * form of sqlfe_stmt.c) instead of becoming holes */
    ir_expr *(*subquery)(lower_ctx *L, const sqlfe_ast *n);
    /* sqlfe_span_at's index: the offsets of the newlines of nl_sql */
    int nl_built;
    const char *nl_sql;
    size_t *nl_offs;
    int n_nl;
};

/* The span of an offset in the lowered text. */
ir_span sqlfe_span_at(const lower_ctx *L, size_t off);
void sqlfe_warn(lower_ctx *L, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void sqlfe_error(lower_ctx *L, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The source text of a node. */
const char *sqlfe_node_text(lower_ctx *L, const sqlfe_ast *n);
/* A hole expression for n with a reason. */
ir_expr *sqlfe_hole(lower_ctx *L, const sqlfe_ast *n, const char *reason);
/* An SQL expression tree into a canonical IR expression (columns through L->resolve). */
ir_expr *sqlfe_expr(lower_ctx *L, const sqlfe_ast *n);
/* A type name tree (SQ_TYPE) into an IR type. */
ir_type sqlfe_type(lower_ctx *L, const sqlfe_ast *t);
/* Does the tree hold a window function / an aggregate call (not inside a subquery)? */
int sqlfe_has_window(const sqlfe_ast *n);
int sqlfe_is_aggregate_name(const char *name);
/* Is e an array that is never NULL (a constructor, or the concatenation / append of such)? */
int sqlfe_array_never_null(const ir_expr *e);

/* A window call (SQ_FUNC with OVER) as an IR_EX_OVER of the SQL-shaped form (ir_sql.h), arguments
 * and keys through L->resolve; named is the SELECT's WINDOW clause or NULL. A hole when it has no
 * canonical form. */
ir_expr *sqlfe_window_over(lower_ctx *L, const sqlfe_ast *named, const sqlfe_ast *fn);

/* The dialect's NULL placement for an order key without NULLS FIRST/LAST: 1 first, 2 last, 0 the
 * target's default (ANSI: implementation-defined). */
int8_t sqlfe_default_nulls(sqlfe_dialect d, int desc);

/* Lowers a parsed query into nodes of L->job; returns the last node's id or -1. */
int sqlfe_lower_query(lower_ctx *L, const sqlfe_ast *query);
/* Whether @@name is one of the T-SQL globals with a translation (@@FETCH_STATUS, @@ROWCOUNT,
 * @@TRANCOUNT: the backends keep them up to date); any other @@ global is a hole. */
int sqlfe_tsql_global_known(const char *name);
/* Whether the syntax tree n names the table name (unqualified) anywhere: a CTE that names itself is
 * recursive, with or without the keyword (T-SQL, Oracle and DB2 write none). */
int sqlfe_ast_names_table(const sqlfe_ast *n, const char *name);
/* The same, with the CTEs of a statement-level WITH clause (T-SQL WITH .. INSERT) in scope. */
int sqlfe_lower_query_with(lower_ctx *L, const sqlfe_ast *query, const sqlfe_ast *with);

/* ---- procedural blocks (sqlfe_proc.c) ---- */

/* A row-by-row loop of a procedural block lifted to one set-based statement. */
typedef struct sqlfe_lift {
    const char *sql;    /* the set-based statement, one line of SQL in the block's dialect */
    size_t loop_off;    /* the loop's offset (FOR / WHILE / FORALL) in the block's text */
    const char *shape;  /* "cursor FOR loop", "cursor WHILE loop", "BULK COLLECT / FORALL" */
    const char *note;   /* what the set-based form assumes or ignores (a COMMIT ...), or NULL */
    const char *reason; /* result -1: why the recognised loop stays procedural */
} sqlfe_lift;

/* Recognises a cursor loop that inserts/updates/deletes each row (Oracle cursor FOR loop, BULK
 * COLLECT + FORALL INSERT; T-SQL cursor WHILE @@FETCH_STATUS = 0 loop) as the whole content of a
 * procedural block (text, len: the block). Returns 1 (out->sql etc. set, in a), 0 (no such shape)
 * or -1 (a loop of that shape that cannot be lifted: out->reason). */
int sqlfe_proc_lift(arena *a, const char *text, size_t len, sqlfe_dialect d, sqlfe_lift *out);

/* ---- procedural units (sqlfe_pl.c, sqlfe_tsql.c, sqlfe_bteq.c; docs/sql-scripts.md) ---- */

/* Receives a unit; the callee owns it (ir_unit_free). */
typedef void (*sqlfe_unit_fn)(void *userdata, ir_unit *unit);

/* Reads the procedural statement [start, end) of file f (a procedure, function, package body,
 * anonymous block, T-SQL batch) in dialect d into units handed to fn in order: one per procedure
 * or function (each of a package body), one for a block (named anon_name). Structural errors
 * (an unclosed BEGIN, a missing END IF) go to dc as errors at file:line:col and leave a hole step;
 * statements that do not parse are warnings and hole steps. Returns the number of units; 0 when
 * the statement holds none (a package specification, a trigger, a type): *why_none says why. */
int sqlfe_read_units(arena *scratch, const srcfile *f, const char *path, size_t start, size_t end, sqlfe_dialect d,
                     const char *anon_name, diag_ctx *dc, sqlfe_unit_fn fn, void *userdata, const char **why_none);

/* A Teradata BTEQ script (statements sc of file f) as one IR_UNIT_SCRIPT unit named name: SQL
 * steps, dot-commands as control flow (docs/sql-scripts.md). step_hole (sc->n_stmts entries, may
 * be NULL) says which statements became hole steps. */
ir_unit *sqlfe_bteq_unit(arena *scratch, const srcfile *f, const char *path, const sqlfe_script *sc,
                         const char *name, diag_ctx *dc, unsigned char *step_hole);

/* An Oracle SQL*Plus script (statements sc of file f, with SQL*Plus command lines) as one
 * IR_UNIT_SCRIPT unit named name (sqlfe_pl_script.c): SQL steps, the anonymous blocks as calls of
 * their units (named name_<nn>_block as sqlfe_frontend.c names them), SQL*Plus lines as commands,
 * EXIT / WHENEVER SQLERROR EXIT as quit steps and a handler. step_hole as in sqlfe_bteq_unit. */
ir_unit *sqlfe_sqlplus_unit(arena *scratch, const srcfile *f, const char *path, const sqlfe_script *sc,
                            const char *name, diag_ctx *dc, unsigned char *step_hole);

/* ---- a script's workflow (sqlfe_flow.c; docs/flows-abinitio-sql.md) ---- */

typedef struct sqlfe_flowb sqlfe_flowb;
typedef struct ir_flow ir_flow;
/* A builder for the flow of the script at path (script: its folder and flow name), in scratch. */
sqlfe_flowb *sqlfe_flow_begin(arena *scratch, sqlfe_dialect d, const char *script, const char *path);
/* Notes one statement in file order: its text (stop-on-error settings are read from it), where it
 * starts, the job and the unit(s) (comma-separated) it became, or NULL. Client commands give no
 * task. */
void sqlfe_flow_note(sqlfe_flowb *b, const char *text, size_t len, int line, int col, const char *job,
                     const char *units, bool is_command);
/* The script's flow (jobs and units in order), or NULL when it has fewer than two tasks. The
 * caller owns it. */
ir_flow *sqlfe_flow_script(sqlfe_flowb *b);
/* A BTEQ script's flow over its script unit u (statement groups, .IF / .GOTO / .QUIT edges), or
 * NULL when it has fewer than two tasks. Call after every statement was noted, before u is handed
 * over. The caller owns it. */
ir_flow *sqlfe_flow_bteq(sqlfe_flowb *b, const ir_unit *u);

#endif
