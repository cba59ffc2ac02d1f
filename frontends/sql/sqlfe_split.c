/*
 * sqlfe_split.c — a script into statements. Boundaries: ';' outside parentheses, T-SQL GO lines,
 * SQL*Plus '/' lines, BTEQ dot-command lines, SQL*Plus command lines (PROMPT, SET, @file ...), the
 * end of a procedural block (BEGIN/CASE ... END counting, Oracle '/' lines, T-SQL GO), and — for
 * scripts that omit ';' (common in T-SQL) — a statement verb at the start of a line at depth 0.
 * Procedural code (procedures, functions, packages, triggers, anonymous blocks) is kept as one raw
 * statement; the procedural layer reads it later.
 */
#include <string.h>

#include "frontends/sql/sqlfe_internal.h"

typedef struct S {
    const char *text;
    const tok *t;
    int n;
    sqlfe_dialect d;
} S;

static int kw(const S *s, int i, const char *w)
{
    return i < s->n && tk_is(s->text, &s->t[i], w);
}

static int bol(const S *s, int i)
{
    return i < s->n && (s->t[i].flags & TKF_BOL);
}

static int eol(const S *s, int i)
{
    return i < s->n && (s->t[i].flags & TKF_EOL);
}

/* T-SQL GO [n] alone on its line. Returns the index after it, or 0. */
static int go_line(const S *s, int i)
{
    if (s->d != SQLFE_TSQL || !kw(s, i, "GO") || !bol(s, i))
        return 0;
    if (eol(s, i))
        return i + 1;
    if (i + 1 < s->n && s->t[i + 1].kind == TK_NUMBER && eol(s, i + 1))
        return i + 2;
    if (i + 1 < s->n && s->t[i + 1].kind == TK_SEMI)
        return i + 2;
    return 0;
}

/* T-SQL GO (one or more) ending a line that holds a statement ("SELECT a FROM t GO"): sqlcmd wants
 * GO on its own line, but scripts are written so and no statement ends in a bare GO (reserved in
 * T-SQL: never an alias). Returns the index after the last GO, or 0. */
static int go_tail(const S *s, int i)
{
    if (s->d != SQLFE_TSQL || !kw(s, i, "GO") || bol(s, i) || s->t[i - 1].kind == TK_DOT ||
        tk_is(s->text, &s->t[i - 1], "AS"))
        return 0;
    int j = i;
    while (kw(s, j, "GO") && !eol(s, j))
        j++;
    return kw(s, j, "GO") && eol(s, j) ? j + 1 : 0;
}

/* DB2 CLP scripts run with -td@ end statements (and compound blocks) with '@' at the end of a line. */
static int at_term(const S *s, int i)
{
    /* in every dialect (a DB2 script the content guess took for ANSI or Oracle): a bare '@' ending a
       line is no SQL anywhere (T-SQL @x is one token, Oracle t@link and @script and Snowflake @stage
       are followed by a name) */
    return i < s->n && s->t[i].kind == TK_AT && eol(s, i);
}

/* SQL*Plus '/' alone on its line. */
static int slash_line(const S *s, int i)
{
    return i < s->n && s->t[i].kind == TK_SLASH && bol(s, i) && eol(s, i);
}

/* A SQL*Plus / client command line (Oracle, DB2 CLP). Returns the index after it, or 0. */
static int client_line(const S *s, int i)
{
    if (!bol(s, i))
        return 0;
    int is_cmd = 0;
    if (s->d == SQLFE_ORACLE) {
        static const char *const w[] = {"PROMPT", "REM", "REMARK", "SPOOL", "WHENEVER", "DEFINE", "UNDEFINE",
                                        "EXIT", "QUIT", "CONNECT", "CONN", "COLUMN", "COL", "TTITLE", "BTITLE",
                                        "SHOW", "PAUSE", "ACCEPT", "VARIABLE", "VAR", "PRINT", "SHO", "CLEAR",
                                        "BREAK", "COMPUTE", "DESC", "DESCRIBE", "HOST", "START", "EXEC",
                                        "EXECUTE"};
        for (size_t k = 0; k < sizeof w / sizeof w[0] && !is_cmd; k++)
            is_cmd = kw(s, i, w[k]);
        if (kw(s, i, "START") && kw(s, i + 1, "WITH"))
            is_cmd = 0;
        /* SET is SQL*Plus unless SET TRANSACTION / ROLE / CONSTRAINT(S) */
        if (kw(s, i, "SET") && !kw(s, i + 1, "TRANSACTION") && !kw(s, i + 1, "ROLE") &&
            !kw(s, i + 1, "CONSTRAINT") && !kw(s, i + 1, "CONSTRAINTS"))
            is_cmd = 1;
        if (s->t[i].kind == TK_AT)
            is_cmd = 1;
    }
    if (s->d == SQLFE_DB2) {
        static const char *const w[] = {"CONNECT", "TERMINATE", "ECHO", "GET", "LIST", "RUNSTATS", "REORG",
                                        "EXPORT", "IMPORT", "LOAD", "BACKUP", "RESTORE", "CATALOG", "UNCATALOG",
                                        "ATTACH", "DETACH", "FORCE", "ACTIVATE", "DEACTIVATE", "REORGCHK",
                                        "DESCRIBE", "QUIESCE", "UNQUIESCE", "PRUNE", "REBIND", "BIND"};
        for (size_t k = 0; k < sizeof w / sizeof w[0] && !is_cmd; k++)
            is_cmd = kw(s, i, w[k]);
        if (kw(s, i, "CONNECT") && kw(s, i + 1, "BY"))
            is_cmd = 0;
        if (kw(s, i, "UPDATE") && (kw(s, i + 1, "COMMAND") || kw(s, i + 1, "DB") || kw(s, i + 1, "DBM") ||
                                   kw(s, i + 1, "DATABASE") || kw(s, i + 1, "MONITOR") || kw(s, i + 1, "CLI")))
            is_cmd = 1;
    }
    /* DB2 CLP UPDATE COMMAND OPTIONS USING c OFF: no SQL UPDATE has USING after two names, so in any dialect */
    if (kw(s, i, "UPDATE") && kw(s, i + 1, "COMMAND") && kw(s, i + 2, "OPTIONS") && kw(s, i + 3, "USING"))
        is_cmd = 1;
    if (!is_cmd)
        return 0;
    /* EXEC proc(...); may span lines: go to the ';' then */
    int j = i;
    if (kw(s, i, "EXEC") || kw(s, i, "EXECUTE")) {
        while (j < s->n && s->t[j].kind != TK_SEMI && !eol(s, j))
            j++;
        return j < s->n ? j + 1 : j;
    }
    while (j < s->n && !eol(s, j))
        j++;
    return j < s->n ? j + 1 : j;
}

/* Skips CREATE [OR REPLACE] [EDITIONABLE ...] and returns the object word's index. */
static int create_object(const S *s, int i)
{
    int j = i + 1;
    if (kw(s, j, "OR") && (kw(s, j + 1, "REPLACE") || kw(s, j + 1, "ALTER")))
        j += 2;
    while (kw(s, j, "EDITIONABLE") || kw(s, j, "NONEDITIONABLE") || kw(s, j, "DEFINER") || kw(s, j, "GLOBAL") ||
           kw(s, j, "LOCAL") || kw(s, j, "TEMPORARY") || kw(s, j, "TEMP") || kw(s, j, "VOLATILE") ||
           kw(s, j, "MULTISET") || kw(s, j, "SET") || kw(s, j, "SECURE") || kw(s, j, "FORCE") ||
           kw(s, j, "NOFORCE") || kw(s, j, "MATERIALIZED") || kw(s, j, "TRANSIENT") || kw(s, j, "RECURSIVE") ||
           kw(s, j, "UNIQUE") || kw(s, j, "BITMAP") || kw(s, j, "PUBLIC") || kw(s, j, "EXTERNAL") ||
           kw(s, j, "AGGREGATE") || kw(s, j, "CLUSTERED") || kw(s, j, "NONCLUSTERED")) {
        if (kw(s, j, "DEFINER") && j + 2 < s->n && s->t[j + 1].kind == TK_EQ)
            j += 2;
        j++;
    }
    return j;
}

static int procedural_object(const S *s, int j)
{
    return kw(s, j, "PROCEDURE") || kw(s, j, "PROC") || kw(s, j, "FUNCTION") || kw(s, j, "PACKAGE") ||
           kw(s, j, "TRIGGER") || kw(s, j, "TYPE") || kw(s, j, "MACRO") || kw(s, j, "LIBRARY") ||
           kw(s, j, "JAVA");
}

sqlfe_stmt_kind sqlfe_classify(const char *text, const tok *toks, int n, sqlfe_dialect d)
{
    S s = {text, toks, n, d};
    int i = 0;
    while (i < n && toks[i].kind == TK_LPAREN)
        i++;
    if (i >= n)
        return SQLFE_ST_OTHER;
    if (kw(&s, i, "LOCKING") || (kw(&s, i, "LOCK") && d == SQLFE_TERADATA)) {
        /* LOCKING ... FOR ACCESS <statement> */
        while (i < n && !kw(&s, i, "FOR"))
            i++;
        i += 2;
        if (kw(&s, i, "MODE"))
            i++;
        if (kw(&s, i, "NOWAIT"))
            i++;
    }
    if (kw(&s, i, "SELECT") || kw(&s, i, "VALUES") || (d == SQLFE_TERADATA && kw(&s, i, "SEL")) ||
        (kw(&s, i, "TABLE") && i + 1 < n && toks[i + 1].kind == TK_IDENT && i + 2 >= n))
        return SQLFE_ST_QUERY;
    if (kw(&s, i, "WITH")) {
        /* the verb after the CTEs: the first word at depth 0 after a ')' that is not ',' */
        int depth = 0;
        for (int j = i + 1; j < n; j++) {
            if (toks[j].kind == TK_LPAREN)
                depth++;
            else if (toks[j].kind == TK_RPAREN)
                depth--;
            else if (depth == 0 && j > 0 && toks[j - 1].kind == TK_RPAREN && toks[j].kind != TK_COMMA) {
                if (kw(&s, j, "INSERT"))
                    return SQLFE_ST_INSERT;
                if (kw(&s, j, "UPDATE"))
                    return SQLFE_ST_UPDATE;
                if (kw(&s, j, "DELETE"))
                    return SQLFE_ST_DELETE;
                if (kw(&s, j, "MERGE"))
                    return SQLFE_ST_MERGE;
                return SQLFE_ST_QUERY;
            }
        }
        return SQLFE_ST_QUERY;
    }
    if (kw(&s, i, "INSERT") || (d == SQLFE_TERADATA && kw(&s, i, "INS"))) {
        if (kw(&s, i + 1, "ALL") || kw(&s, i + 1, "FIRST"))
            return SQLFE_ST_OTHER; /* Oracle multi-table insert */
        return SQLFE_ST_INSERT;
    }
    if (d == SQLFE_TSQL && kw(&s, i, "UPDATE") && kw(&s, i + 1, "STATISTICS"))
        return SQLFE_ST_OTHER; /* T-SQL UPDATE STATISTICS t [(stats)]: maintenance, not DML */
    if (kw(&s, i, "UPDATE") || (d == SQLFE_TERADATA && kw(&s, i, "UPD")))
        return SQLFE_ST_UPDATE;
    if (kw(&s, i, "DELETE") || (d == SQLFE_TERADATA && kw(&s, i, "DEL")))
        return SQLFE_ST_DELETE;
    if (kw(&s, i, "MERGE"))
        return SQLFE_ST_MERGE;
    if (kw(&s, i, "TRUNCATE"))
        return SQLFE_ST_TRUNCATE;
    if (kw(&s, i, "DROP")) {
        int j = i + 1;
        while (kw(&s, j, "MATERIALIZED") || kw(&s, j, "TEMPORARY") || kw(&s, j, "EXTERNAL"))
            j++;
        if (procedural_object(&s, j) && !kw(&s, j, "TYPE"))
            return SQLFE_ST_DROP;
        return SQLFE_ST_DROP;
    }
    if (kw(&s, i, "CREATE") || (kw(&s, i, "REPLACE") && d == SQLFE_TERADATA)) {
        int j = kw(&s, i, "CREATE") ? create_object(&s, i) : i + 1;
        if (kw(&s, j, "TABLE"))
            return SQLFE_ST_CREATE_TABLE;
        if (kw(&s, j, "VIEW"))
            return SQLFE_ST_CREATE_VIEW;
        if (procedural_object(&s, j))
            return SQLFE_ST_PROCEDURAL;
        return SQLFE_ST_OTHER;
    }
    if (kw(&s, i, "ALTER") && procedural_object(&s, i + 1) && !kw(&s, i + 1, "TYPE"))
        return SQLFE_ST_PROCEDURAL;
    if (kw(&s, i, "DECLARE") || (kw(&s, i, "BEGIN") && !kw(&s, i + 1, "TRAN") &&
                                 !kw(&s, i + 1, "TRANSACTION") && !kw(&s, i + 1, "WORK") &&
                                 !kw(&s, i + 1, "DISTRIBUTED")))
        return d == SQLFE_TSQL && kw(&s, i, "DECLARE") ? SQLFE_ST_OTHER : SQLFE_ST_PROCEDURAL;
    if (d == SQLFE_TSQL && (kw(&s, i, "IF") || kw(&s, i, "WHILE")))
        return SQLFE_ST_PROCEDURAL;
    if (d == SQLFE_NETEZZA && kw(&s, i, "BEGIN_PROC"))
        return SQLFE_ST_PROCEDURAL;
    if (d == SQLFE_SNOWFLAKE && kw(&s, i, "EXECUTE") && kw(&s, i + 1, "IMMEDIATE") && i + 2 < s.n &&
        s.t[i + 2].kind == TK_STRING && (s.t[i + 2].flags & TKF_DOLLAR))
        return SQLFE_ST_PROCEDURAL; /* EXECUTE IMMEDIATE $$ [DECLARE ..] BEGIN .. END; $$: an anonymous block */
    return SQLFE_ST_OTHER;
}

/* Statement verbs that start a new statement when they open a line at depth 0 (scripts without ';'). */
static int line_verb(const S *s, int i, sqlfe_stmt_kind current)
{
    if (!bol(s, i))
        return 0;
    const tok *prev = i > 0 ? &s->t[i - 1] : NULL;
    /* T-SQL SET NOCOUNT ON <newline> UPDATE ..: the ON ends the SET, the UPDATE is a statement */
    int set_on = s->d == SQLFE_TSQL && i >= 3 && kw(s, i - 3, "SET") && s->t[i - 2].kind == TK_IDENT;
    if (prev && (tk_is(s->text, prev, "THEN") || tk_is(s->text, prev, "ELSE") || tk_is(s->text, prev, "FOR") ||
                 (tk_is(s->text, prev, "ON") && !set_on) || tk_is(s->text, prev, "AFTER") || tk_is(s->text, prev, "BEFORE") ||
                 tk_is(s->text, prev, "OF") || tk_is(s->text, prev, "OR") || tk_is(s->text, prev, "INSTEAD") ||
                 tk_is(s->text, prev, "AS") || prev->kind == TK_LPAREN || prev->kind == TK_COMMA))
        return 0;
    /* Teradata SET QUERY_BAND = '..' <newline> UPDATE FOR SESSION: an option of the SET, not an UPDATE */
    if (kw(s, i, "UPDATE") && kw(s, i + 1, "FOR"))
        return 0;
    static const char *const w[] = {"INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "DROP", "ALTER", "TRUNCATE",
                                    "GRANT", "REVOKE", "COMMIT", "ROLLBACK"};
    for (size_t k = 0; k < sizeof w / sizeof w[0]; k++)
        if (kw(s, i, w[k]))
            return 1;
    if (s->d == SQLFE_TSQL) {
        static const char *const t[] = {"DECLARE", "EXEC", "EXECUTE", "PRINT", "USE", "RETURN", "IF", "WHILE",
                                        "BEGIN", "RAISERROR", "THROW", "SELECT", "WITH", "SET"};
        for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
            if (!kw(s, i, t[k]))
                continue;
            if (k == 12 && !(i + 2 < s->n && (s->t[i + 1].kind == TK_IDENT || s->t[i + 1].kind == TK_QIDENT) &&
                             (tk_is(s->text, &s->t[i + 2], "AS") || s->t[i + 2].kind == TK_LPAREN)))
                return 0; /* WITH (NOLOCK), WITH CHECK: options, not a CTE */
            if (k == 11 || k == 12) {
                /* SELECT / WITH inside INSERT ... SELECT, unions, views and CTEs do not split */
                if (current != SQLFE_ST_OTHER && current != SQLFE_ST_PROCEDURAL && current != SQLFE_ST_QUERY)
                    return 0;
                /* after ')' a SELECT continues an INSERT/CREATE (column lists), never a plain query: there
                   it starts the next statement (WITH ... AS (...) SELECT is read by the caller) */
                if (prev && ((prev->kind == TK_RPAREN && current != SQLFE_ST_QUERY) || tk_is(s->text, prev, "UNION") ||
                             tk_is(s->text, prev, "ALL") || tk_is(s->text, prev, "EXCEPT") ||
                             tk_is(s->text, prev, "INTERSECT") || tk_is(s->text, prev, "DISTINCT")))
                    return 0;
            }
            if (k == 13 && (current == SQLFE_ST_UPDATE || current == SQLFE_ST_MERGE))
                return 0;
            return 1;
        }
    }
    return 0;
}

/* Is j the first token after ALTER TABLE|VIEW|INDEX <qualified name> (at i)? Then a DROP or ALTER
 * there is the statement's action (ALTER TABLE t <newline> DROP CONSTRAINT c), not a new statement. */
static int alter_action(const S *s, int i, int j)
{
    if (!(kw(s, i + 1, "TABLE") || kw(s, i + 1, "VIEW") || kw(s, i + 1, "INDEX")))
        return 0;
    int k = i + 2;
    if (k >= j)
        return 0;
    for (; k < j; k++)
        if (s->t[k].kind != TK_IDENT && s->t[k].kind != TK_QIDENT && s->t[k].kind != TK_DOT)
            return 0;
    return 1;
}

/* The end (exclusive token index) of a procedural block starting at i. */
static int block_end(const S *s, int i)
{
    int n = s->n;
    /* T-SQL: to the next GO line (or the end) */
    if (s->d == SQLFE_TSQL) {
        for (int j = i + 1; j < n; j++)
            if (go_line(s, j))
                return j;
        return n;
    }
    /* Oracle: to the next '/' line */
    if (s->d == SQLFE_ORACLE) {
        for (int j = i + 1; j < n; j++) {
            if (slash_line(s, j))
                return j;
            if (s->t[j].kind == TK_DOTCMD)
                return j;
        }
    }
    /* counting BEGIN/CASE ... END; a package/type body counts its AS/IS; a type spec ends at ';' */
    int depth = 0, opened = 0;
    int j = i;
    int is_create = kw(s, i, "CREATE") || kw(s, i, "REPLACE") || kw(s, i, "ALTER");
    int obj = is_create ? create_object(s, i) : i;
    int package = is_create && (kw(s, obj, "PACKAGE") || (kw(s, obj, "TYPE") && kw(s, obj + 1, "BODY")));
    int type_spec = is_create && kw(s, obj, "TYPE") && !kw(s, obj + 1, "BODY");
    int macro = is_create && kw(s, obj, "MACRO");
    for (; j < n; j++) {
        const tok *t = &s->t[j];
        if (t->kind == TK_DOTCMD)
            return j;
        if (at_term(s, j))
            return j;
        if (t->kind == TK_SEMI && (type_spec || (depth <= 0 && opened)))
            return j + 1;
        if (t->kind == TK_SEMI && depth <= 0 && !opened && !is_create && kw(s, i, "DECLARE") == 0)
            return j + 1;
        if (t->kind == TK_STRING && depth == 0 && !opened && j > 0 && tk_is(s->text, &s->t[j - 1], "AS") &&
            ((t->flags & TKF_DOLLAR) || s->d == SQLFE_SNOWFLAKE || s->d == SQLFE_SPARK)) {
            /* Snowflake / Databricks LANGUAGE SQL|JAVASCRIPT|PYTHON ... AS $$ body $$ (or AS 'body'): the
               body is one string, the block ends at the ';' after it */
            opened = 1;
            continue;
        }
        if (t->kind == TK_RPAREN && macro && depth == 1) { /* Teradata macro body ( ... ); */
            depth = 0;
            continue;
        }
        if (t->kind == TK_LPAREN && macro && !opened && j > obj + 1) {
            /* the body's '(' comes after AS */
            if (j > 0 && tk_is(s->text, &s->t[j - 1], "AS")) {
                depth = 1;
                opened = 1;
            }
            continue;
        }
        if (t->kind != TK_IDENT)
            continue;
        if (tk_is(s->text, t, "BEGIN") || tk_is(s->text, t, "CASE") || tk_is(s->text, t, "BEGIN_PROC")) {
            if (tk_is(s->text, t, "BEGIN") && (kw(s, j + 1, "TRAN") || kw(s, j + 1, "TRANSACTION")))
                continue;
            depth++;
            opened = 1;
        } else if (package && !opened && (tk_is(s->text, t, "AS") || tk_is(s->text, t, "IS"))) {
            depth++;
            opened = 1;
        } else if (tk_is(s->text, t, "END") || tk_is(s->text, t, "END_PROC")) {
            if (kw(s, j + 1, "IF") || kw(s, j + 1, "LOOP") || kw(s, j + 1, "WHILE") || kw(s, j + 1, "FOR") ||
                kw(s, j + 1, "REPEAT")) {
                j++;
                continue;
            }
            if (kw(s, j + 1, "CASE")) /* END CASE closes the CASE statement: its CASE opens nothing */
                j++;
            depth--;
        }
    }
    return n;
}

static void push(arena *a, sqlfe_script *out, int *cap, sqlfe_stmt st)
{
    ARENA_PUSH(a, out->stmts, out->n_stmts, *cap, st);
}

/* Whether the T-SQL statement at token i (of kind k) is procedural code at the top of a batch: it
 * declares, sets or reads into a variable (DECLARE, SET @v, SELECT @v =, EXEC @rc =), prints, raises,
 * returns, runs dynamic SQL, or is a control statement the splitter kept as a block (IF, WHILE,
 * BEGIN [TRY]). */
static int tsql_batch_code(const S *s, int i, sqlfe_stmt_kind k)
{
    if (k == SQLFE_ST_PROCEDURAL)
        return kw(s, i, "IF") || kw(s, i, "WHILE") || kw(s, i, "BEGIN");
    int var = i + 1 < s->n && s->t[i + 1].kind == TK_PARAM && s->text[s->t[i + 1].start] == '@' &&
              !(s->t[i + 1].len > 1 && s->text[s->t[i + 1].start + 1] == '@');
    int assigns = var && i + 2 < s->n && s->t[i + 2].kind == TK_EQ;
    if (kw(s, i, "DECLARE") || (kw(s, i, "SET") && var) ||
        ((kw(s, i, "SELECT") || kw(s, i, "EXEC") || kw(s, i, "EXECUTE")) && assigns))
        return 1;
    /* dynamic SQL: EXEC ('..') / EXEC (@sql), sp_executesql */
    if ((kw(s, i, "EXEC") || kw(s, i, "EXECUTE")) &&
        ((i + 1 < s->n && s->t[i + 1].kind == TK_LPAREN) || kw(s, i + 1, "sp_executesql") ||
         (kw(s, i + 1, "sys") && kw(s, i + 3, "sp_executesql"))))
        return 1;
    return k == SQLFE_ST_OTHER && (kw(s, i, "PRINT") || kw(s, i, "RAISERROR") || kw(s, i, "THROW") ||
                                   kw(s, i, "RETURN") || kw(s, i, "BREAK") || kw(s, i, "CONTINUE") ||
                                   kw(s, i, "GOTO"));
}

/* T-SQL: a variable lives for its batch (up to GO or the end of the script), so a batch whose
 * top-level statements include procedural code is one procedural block — the statements before
 * that code included — read as one anonymous block (sqlfe_tsql.c) in which its variables are
 * declared. A batch holding a CREATE PROCEDURE / FUNCTION / TRIGGER (the batch's only statement in
 * T-SQL) stays as it is; so does a batch of plain statements. */
static void tsql_batches(const S *s, sqlfe_script *out)
{
    int w = 0, r = 0, tk = 0;
    while (r < out->n_stmts) {
        int e = r; /* the batch: [r, e), ended by a client command (GO) */
        int code = 0, object = 0;
        for (; e < out->n_stmts && out->stmts[e].kind != SQLFE_ST_COMMAND; e++) {
            while (tk < s->n && s->t[tk].start < out->stmts[e].start)
                tk++;
            sqlfe_stmt_kind k = out->stmts[e].kind;
            if (k == SQLFE_ST_PROCEDURAL && (kw(s, tk, "CREATE") || kw(s, tk, "ALTER")))
                object = 1;
            else if (tsql_batch_code(s, tk, k))
                code = 1;
        }
        if (code && !object && e - r > 1) {
            sqlfe_stmt st;
            memset(&st, 0, sizeof st);
            st.kind = SQLFE_ST_PROCEDURAL;
            st.start = out->stmts[r].start;
            st.end = out->stmts[e - 1].end;
            out->stmts[w++] = st;
        } else if (code && !object) {
            out->stmts[w] = out->stmts[r];
            out->stmts[w].kind = SQLFE_ST_PROCEDURAL;
            out->stmts[w].ast = NULL;
            out->stmts[w++].error = NULL;
        } else {
            for (int k = r; k < e; k++)
                out->stmts[w++] = out->stmts[k];
        }
        if (e < out->n_stmts)
            out->stmts[w++] = out->stmts[e++];
        r = e;
    }
    out->n_stmts = w;
}

void sqlfe_parse_script(arena *a, const char *text, size_t len, sqlfe_dialect d, sqlfe_script *out)
{
    memset(out, 0, sizeof *out);
    tok *toks;
    int nerr = 0;
    int n = sqlfe_tokenize(a, text, len, d, &toks, &nerr);
    out->n_lex_errors = nerr;
    S s = {text, toks, n, d};
    int cap = 0;
    int i = 0;
    while (i < n) {
        const tok *t = &toks[i];
        if (t->kind == TK_SEMI || slash_line(&s, i) || at_term(&s, i)) {
            i++;
            continue;
        }
        sqlfe_stmt st;
        memset(&st, 0, sizeof st);
        st.start = t->start;
        if (t->kind == TK_DOTCMD) {
            st.kind = SQLFE_ST_COMMAND;
            st.end = t->start + t->len;
            push(a, out, &cap, st);
            i++;
            continue;
        }
        int g = go_line(&s, i);
        int c = g ? g : client_line(&s, i);
        if (c) {
            st.kind = SQLFE_ST_COMMAND;
            st.end = toks[c - 1].start + toks[c - 1].len;
            push(a, out, &cap, st);
            i = c;
            continue;
        }
        st.kind = sqlfe_classify(text, toks + i, n - i, d);
        int end;
        if (st.kind == SQLFE_ST_PROCEDURAL) {
            end = block_end(&s, i);
        } else {
            int depth = 0;
            int j = i;
            /* WITH a AS (...) <verb>: the verb after the CTEs is the statement's own, also at a line start */
            int ctes = kw(&s, i, "WITH");
            /* ALTER TABLE t <newline> DROP / ALTER COLUMN ...: the actions belong to the ALTER */
            int alter = kw(&s, i, "ALTER");
            for (; j < n; j++) {
                const tok *u = &toks[j];
                if (u->kind == TK_LPAREN)
                    depth++;
                else if (u->kind == TK_RPAREN && depth > 0)
                    depth--;
                if (j > i) {
                    if (u->kind == TK_DOTCMD || go_line(&s, j) || go_tail(&s, j) ||
                        (d == SQLFE_ORACLE && slash_line(&s, j)))
                        break;
                    if (ctes && depth == 0 && toks[j - 1].kind == TK_RPAREN && u->kind == TK_IDENT &&
                        !kw(&s, j, "AS")) {
                        ctes = 0; /* the main verb */
                        continue;
                    }
                    if (alter && depth == 0 && (kw(&s, j, "DROP") || kw(&s, j, "ALTER")) && alter_action(&s, i, j))
                        continue;
                    if (depth == 0 && line_verb(&s, j, st.kind))
                        break;
                    if (depth == 0 && client_line(&s, j) && d == SQLFE_ORACLE && !kw(&s, j, "SET"))
                        break;
                }
                if ((u->kind == TK_SEMI || at_term(&s, j)) && depth == 0)
                    break;
                if (u->kind == TK_ERROR) {
                    j++;
                    break;
                }
            }
            end = j;
        }
        if (end <= i)
            end = i + 1;
        /* UPDATE / DELETE ... WHERE CURRENT OF c changes the row a cursor stands on: procedural code
         * (a statement of a cursor loop whose other statements sit in other batches), kept whole */
        if (st.kind == SQLFE_ST_UPDATE || st.kind == SQLFE_ST_DELETE) {
            for (int k = i; k + 2 < end; k++)
                if (kw(&s, k, "WHERE") && kw(&s, k + 1, "CURRENT") && kw(&s, k + 2, "OF"))
                    st.kind = SQLFE_ST_PROCEDURAL;
        }
        /* the statement's tokens are [i, end) without a trailing ';' */
        int last = end - 1;
        while (last > i && (toks[last].kind == TK_SEMI || at_term(&s, last)))
            last--;
        st.end = toks[last].start + toks[last].len;
        if (sqlfe_stmt_kind_parsed(st.kind)) {
            const char *err = NULL;
            size_t eoff = 0;
            st.ast = sqlfe_parse_tokens(a, text, toks + i, last - i + 1, d, 1, &err, &eoff);
            if (!st.ast) {
                st.error = err;
                st.error_off = eoff;
            }
        }
        push(a, out, &cap, st);
        i = end;
        if (i < n && (toks[i].kind == TK_SEMI || at_term(&s, i)))
            i++;
        else if (go_tail(&s, i)) { /* the GO ending the statement's line: a batch end like a GO line */
            sqlfe_stmt g;
            memset(&g, 0, sizeof g);
            g.kind = SQLFE_ST_COMMAND;
            g.start = toks[i].start;
            i = go_tail(&s, i);
            g.end = toks[i - 1].start + toks[i - 1].len;
            push(a, out, &cap, g);
        }
    }
    if (d == SQLFE_TSQL)
        tsql_batches(&s, out);
}

const char *sqlfe_stmt_kind_name(sqlfe_stmt_kind k)
{
    static const char *const names[SQLFE_ST__KINDS] = {
        "query", "insert", "update", "delete", "merge", "create_table", "create_view", "drop", "truncate",
        "procedural", "command", "other",
    };
    return (int)k >= 0 && k < SQLFE_ST__KINDS ? names[k] : "?";
}

int sqlfe_stmt_kind_parsed(sqlfe_stmt_kind k)
{
    return k <= SQLFE_ST_TRUNCATE;
}
