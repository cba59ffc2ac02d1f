/*
 * sqlfe_tsql.c — the procedural layer for T-SQL (docs/sql-scripts.md, "Procedural units"): a
 * CREATE/ALTER PROCEDURE or FUNCTION, or a batch of statements (the splitter keeps a GO batch with
 * top-level procedural code — DECLARE, SET @v, IF, WHILE, PRINT .. — as one procedural statement,
 * so the batch's variables are declared in its block), read into one unit.
 *
 * T-SQL statements need no ';': a statement ends at a ';', or where the next one starts — a
 * statement verb at the start of a line (as in sqlfe_split.c), or END / ELSE / BEGIN at depth 0.
 * IF and WHILE take one statement or a BEGIN ... END block. Variables are the @names; they lower
 * to IR_EX_PARAM through the shared scope (sqlfe_pl.c).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "frontends/sql/sqlfe_pl.h"

static int any_kw(const plx *P, int i, const char *const *w, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (pl_kw(P, i, w[k]))
            return 1;
    return 0;
}

static const char *const verbs[] = {
    "INSERT", "UPDATE", "DELETE", "MERGE",  "CREATE",     "DROP",  "ALTER",    "TRUNCATE", "DECLARE",
    "SET",    "SELECT", "WITH",   "EXEC",   "EXECUTE",    "PRINT", "RETURN",   "IF",       "WHILE",
    "BEGIN",  "END",    "RAISERROR", "THROW", "COMMIT",   "ROLLBACK", "OPEN",  "FETCH",    "CLOSE",
    "DEALLOCATE", "BREAK", "CONTINUE", "GOTO", "USE",     "GRANT", "WAITFOR",  "SAVE",     "REVOKE",
    "DBCC",   "ELSE",  "BULK"};

static int is_verb(const plx *P, int i)
{
    return any_kw(P, i, verbs, sizeof verbs / sizeof verbs[0]);
}

/* The end (exclusive) of the statement starting at s: a ';' at depth 0, or the start of the next
 * statement (see the file comment). A statement's own clauses that start a line continue it: the
 * first SELECT / VALUES / EXEC of an INSERT, the first SET of an UPDATE, the statement after a WITH's
 * CTEs, a cursor's or a view's SELECT, an ALTER / CREATE's WITH options. */
static int ts_end(const plx *P, int s)
{
    int depth = 0, cases = 0;
    int insert = pl_kw(P, s, "INSERT"), update = pl_kw(P, s, "UPDATE") || pl_kw(P, s, "MERGE");
    int with = pl_kw(P, s, "WITH");
    /* DECLARE c [options] CURSOR .. FOR select, CREATE VIEW .. AS select: the SELECT is theirs; after
     * DECLARE @a INT a SELECT on a new line is the next statement */
    int needs_select = (pl_kw(P, s, "DECLARE") && pl_find(P, s, "CURSOR", 0, 1) > 0 &&
                        pl_find(P, s, "CURSOR", 0, 1) < pl_find(P, s, "SELECT", 0, 1)) ||
                       pl_kw(P, s, "CREATE") || pl_kw(P, s, "ALTER");
    int ddl = pl_kw(P, s, "CREATE") || pl_kw(P, s, "ALTER") || pl_kw(P, s, "BULK");
    /* SET NOCOUNT ON: its ON ends it, a statement on the next line is the next statement */
    int set_option = pl_kw(P, s, "SET") && !pl_is(P, s + 1, TK_PARAM);
    int body = 0;     /* INSERT: its SELECT / VALUES / EXEC seen; WITH: its statement seen */
    int set_seen = 0; /* UPDATE: its SET seen */
    for (int j = s; j < P->n; j++) {
        const tok *t = &P->t[j];
        if (t->kind == TK_LPAREN) {
            depth++;
            continue;
        }
        if (t->kind == TK_RPAREN) {
            if (depth > 0)
                depth--;
            continue;
        }
        if (depth > 0)
            continue;
        if (pl_kw(P, j, "CASE")) {
            cases++;
            continue;
        }
        if (cases > 0) {
            if (pl_kw(P, j, "END"))
                cases--;
            continue;
        }
        if (t->kind == TK_SEMI)
            return j;
        if (j == s)
            continue;
        if (pl_kw(P, j, "END") || pl_kw(P, j, "ELSE"))
            return j;
        if (pl_kw(P, j, "BEGIN") && !pl_kw(P, j - 1, "THEN"))
            return j;
        int bol = (t->flags & TKF_BOL) && is_verb(P, j);
        const tok *prev = &P->t[j - 1];
        int continues = prev->kind == TK_LPAREN || prev->kind == TK_COMMA || pl_kw(P, j - 1, "THEN") ||
                        pl_kw(P, j - 1, "AS") || pl_kw(P, j - 1, "FOR") || pl_kw(P, j - 1, "UNION") ||
                        pl_kw(P, j - 1, "ALL") || pl_kw(P, j - 1, "EXCEPT") || pl_kw(P, j - 1, "INTERSECT") ||
                        pl_kw(P, j - 1, "OR") || (pl_kw(P, j - 1, "ON") && !set_option) || pl_kw(P, j - 1, "DISTINCT") ||
                        pl_kw(P, j - 1, "AND");
        /* the statement's own parts, wherever they are */
        if (insert && !body && (pl_kw(P, j, "SELECT") || pl_kw(P, j, "VALUES") || pl_kw(P, j, "EXEC") ||
                                pl_kw(P, j, "EXECUTE") || pl_kw(P, j, "WITH") || pl_kw(P, j, "DEFAULT"))) {
            body = 1;
            continue;
        }
        if (update && !set_seen && pl_kw(P, j, "SET")) {
            set_seen = 1;
            continue;
        }
        if (with && !body && (pl_kw(P, j, "SELECT") || pl_kw(P, j, "INSERT") || pl_kw(P, j, "UPDATE") ||
                              pl_kw(P, j, "DELETE") || pl_kw(P, j, "MERGE")) && prev->kind == TK_RPAREN) {
            insert = pl_kw(P, j, "INSERT");
            update = pl_kw(P, j, "UPDATE") || pl_kw(P, j, "MERGE");
            body = !insert; /* WITH .. INSERT t (cols) SELECT ..: the INSERT's own SELECT is still to come */
            with = 0;
            continue;
        }
        if (needs_select && pl_kw(P, j, "SELECT")) {
            needs_select = 0;
            continue;
        }
        if (ddl && pl_kw(P, j, "WITH"))
            continue; /* ALTER TABLE t WITH CHECK ADD ..., CREATE TABLE .. WITH (..), BULK INSERT .. WITH (..) */
        if (!bol || continues)
            continue;
        return j;
    }
    return P->n;
}

/* The end of an IF / WHILE condition: the first statement verb at depth 0. */
static int cond_end(const plx *P, int i)
{
    int depth = 0, cases = 0;
    for (int j = i; j < P->n; j++) {
        if (P->t[j].kind == TK_LPAREN)
            depth++;
        else if (P->t[j].kind == TK_RPAREN)
            depth--;
        else if (depth == 0 && pl_kw(P, j, "CASE"))
            cases++;
        else if (depth == 0 && cases > 0 && pl_kw(P, j, "END"))
            cases--;
        else if (depth == 0 && cases == 0 && j > i &&
                 (P->t[j].kind == TK_SEMI || (is_verb(P, j) && !pl_kw(P, j, "ELSE") &&
                                               !(pl_kw(P, j, "UPDATE") && pl_is(P, j + 1, TK_LPAREN)))))
            return j;
    }
    return P->n;
}

static void ts_stmt(plx *P, ir_pblock *b);

/* statements until END (of a block) or the end */
static void ts_stmts(plx *P, ir_pblock *b)
{
    while (!pl_eof(P) && !pl_at(P, "END")) {
        if (pl_is(P, P->i, TK_SEMI) || pl_at(P, "GO")) {
            P->i++;
            continue;
        }
        if (pl_at(P, "ELSE")) {
            int e = ts_end(P, P->i + 1);
            ir_pblock_add(P->u, b, pl_hole(P, P->i, e, "ELSE without IF"));
            P->i = e;
            continue;
        }
        int before = P->i;
        ts_stmt(P, b);
        if (P->i == before)
            P->i++;
    }
}

static void skip_semi(plx *P)
{
    while (pl_is(P, P->i, TK_SEMI))
        P->i++;
}

static void simple(plx *P, ir_pblock *b, ir_pstmt *st, int e)
{
    ir_pblock_add(P->u, b, st);
    P->i = e;
    skip_semi(P);
}

/* BEGIN ... END; BEGIN TRY ... END TRY BEGIN CATCH ... END CATCH */
static void ts_block(plx *P, ir_pblock *b)
{
    int s = P->i++;
    int try_ = pl_accept(P, "TRY");
    ir_pstmt *blk = pl_step(P, IR_PS_BLOCK, s, P->i);
    ts_stmts(P, ir_pstmt_body(P->u, blk));
    if (!pl_at(P, "END")) {
        pl_error(P, P->i, "END%s expected (to close BEGIN%s at line %d), found the end of the batch", try_ ? " TRY" : "",
                 try_ ? " TRY" : "", pl_span(P, s).line);
        ir_pblock_add(P->u, b,
                      pl_hole(P, s, P->i, arena_printf(P->a, "BEGIN at line %d is not closed by END", pl_span(P, s).line)));
        return;
    }
    P->i++;
    if (try_) {
        pl_accept(P, "TRY");
        skip_semi(P);
        if (pl_at(P, "BEGIN") && pl_kw(P, P->i + 1, "CATCH")) {
            int c = P->i;
            P->i += 2;
            ir_handler *h = ir_pstmt_add_handler(P->u, blk);
            h->span = pl_span(P, c);
            P->scope.in_handler++;
            ts_stmts(P, &h->body);
            P->scope.in_handler--;
            if (!pl_at(P, "END")) {
                pl_error(P, P->i, "END CATCH expected (to close BEGIN CATCH at line %d)", pl_span(P, c).line);
                ir_pblock_add(P->u, b, pl_hole(P, s, P->i, "BEGIN CATCH is not closed by END CATCH"));
                return;
            }
            P->i++;
            pl_accept(P, "CATCH");
        } else {
            pl_error(P, P->i, "BEGIN CATCH expected after END TRY (the TRY at line %d)", pl_span(P, s).line);
        }
    }
    skip_semi(P);
    ir_pblock_add(P->u, b, blk);
}

/* one statement or a block as the body of IF / ELSE / WHILE */
static void ts_body(plx *P, ir_pblock *b)
{
    skip_semi(P);
    if (pl_eof(P) || pl_at(P, "END"))
        return;
    ts_stmt(P, b);
}

static void ts_if(plx *P, ir_pblock *b)
{
    int s = P->i++;
    int ce = cond_end(P, P->i);
    ir_pstmt *st = pl_step(P, IR_PS_IF, s, ce);
    for (;;) {
        ir_pblock *br = ir_pstmt_add_branch(P->u, st, pl_expr(P, P->i, ce));
        P->i = ce;
        ts_body(P, br);
        skip_semi(P);
        if (!pl_at(P, "ELSE"))
            break;
        P->i++;
        if (pl_at(P, "IF")) {
            P->i++;
            ce = cond_end(P, P->i);
            continue;
        }
        ts_body(P, ir_pstmt_add_branch(P->u, st, NULL));
        break;
    }
    ir_pblock_add(P->u, b, st);
}

static int find_step(const ir_pblock *b, ir_pstmt_kind k, const char *name)
{
    for (int i = b->n - 1; i >= 0; i--) {
        const ir_pstmt *s = b->stmts[i];
        if (s->kind == k && ((k == IR_PS_DECLARE && s->var && s->var->name && strcasecmp(s->var->name, name) == 0) ||
                             (k != IR_PS_DECLARE && s->name && strcasecmp(s->name, name) == 0)))
            return i;
    }
    return -1;
}


/* WHILE body: BEGIN <one INSERT/UPDATE/DELETE> FETCH .. END */
static int liftable_tsql(const ir_pstmt *w)
{
    if (!w->blocks || w->blocks[0].n != 1 || w->blocks[0].stmts[0]->kind != IR_PS_BLOCK)
        return 0;
    const ir_pstmt *blk = w->blocks[0].stmts[0];
    if (!blk->blocks || blk->n_handlers)
        return 0;
    const ir_pblock *b = &blk->blocks[0];
    int dml = 0, fetch = 0;
    for (int i = 0; i < b->n; i++) {
        const ir_pstmt *s = b->stmts[i];
        if (s->kind == IR_PS_FETCH)
            fetch++;
        else if (s->kind == IR_PS_SQL && s->stmt &&
                 (s->stmt->kind == IR_ST_INSERT || s->stmt->kind == IR_ST_UPDATE || s->stmt->kind == IR_ST_DELETE))
            dml++;
        else
            return 0;
    }
    return dml == 1 && fetch == 1;
}

static void ts_while(plx *P, ir_pblock *b)
{
    int s = P->i++;
    int ce = cond_end(P, P->i);
    ir_pstmt *st = pl_step(P, IR_PS_WHILE, s, ce);
    st->conds = arena_alloc(P->u->job->arena, sizeof *st->conds);
    st->conds[0] = pl_expr(P, P->i, ce);
    st->n_conds = 1;
    P->i = ce;
    ts_body(P, ir_pstmt_body(P->u, st));
    /* WHILE @@FETCH_STATUS = 0 over a cursor declared in this block: a row-by-row loop that may be
     * a set operation (sqlfe_proc.c reads DECLARE .. OPEN .. FETCH .. WHILE) */
    const char *cond = pl_text(P, s + 1, ce);
    if (strncasecmp(cond, "@@FETCH_STATUS", 14) == 0 && P->n_cursors > 0) {
        pl_cursor *cur = &P->cursors[P->n_cursors - 1];
        int di = find_step(b, IR_PS_DECLARE, cur->name);
        if (di >= 0 && liftable_tsql(st)) {
            ir_pstmt *l = pl_try_lift(P, cur->decl_tok, P->i, NULL, NULL);
            if (l) {
                /* the cursor's DECLARE, OPEN and first FETCH are the lifted statement's too */
                int o = 0;
                for (int i = 0; i < b->n; i++) {
                    ir_pstmt *x = b->stmts[i];
                    int drop = i >= di && ((x->kind == IR_PS_DECLARE && i == di) ||
                                           ((x->kind == IR_PS_OPEN || x->kind == IR_PS_FETCH) && x->name &&
                                            strcasecmp(x->name, cur->name) == 0));
                    if (!drop)
                        b->stmts[o++] = x;
                }
                b->n = o;
                P->lifted_cursor = cur->name;
                ir_pblock_add(P->u, b, l);
                return;
            }
        }
    }
    ir_pblock_add(P->u, b, st);
}

/* The end of a cursor's query that starts after the FOR at f: before a trailing FOR UPDATE [OF ..]
 * or FOR READ ONLY (options of the cursor, not of the query), else e. */
static int cursor_query_end(const plx *P, int f, int e)
{
    int qe = e;
    for (int k = f + 1; k + 1 < e; k++)
        if (pl_kw(P, k, "FOR") && (pl_kw(P, k + 1, "UPDATE") || pl_kw(P, k + 1, "READ")))
            qe = k;
    return qe;
}

/* DECLARE @a type [= v], @b type; DECLARE @t TABLE (..); DECLARE c CURSOR [options] FOR select */
static void ts_declare(plx *P, ir_pblock *b)
{
    int s = P->i;
    int e = ts_end(P, s);
    /* DECLARE c [INSENSITIVE] [SCROLL] CURSOR (ISO form): Snowflake's cursor reads its result when
       opened, as INSENSITIVE does; a scrolling FETCH is a hole of its own */
    int cur = s + 2;
    while (pl_kw(P, cur, "INSENSITIVE") || pl_kw(P, cur, "SCROLL"))
        cur++;
    if ((pl_is(P, s + 1, TK_IDENT) || pl_is(P, s + 1, TK_QIDENT)) && pl_kw(P, cur, "CURSOR")) {
        const char *name = pl_tok_text(P, s + 1);
        int f = cur + 1;
        while (f < e && !pl_kw(P, f, "FOR"))
            f++;
        ir_var *v = ir_unit_new_var(P->u, name, IR_VAR_CURSOR);
        v->span = pl_span(P, s);
        ir_pstmt *st = pl_step(P, IR_PS_DECLARE, s, e);
        st->var = v;
        int qe = cursor_query_end(P, f, e);
        if (f + 1 < qe) {
            v->query = pl_sql(P, f + 1, qe, NULL, 0);
            pl_cursor c = {ir_intern(P->u->job, name), P->t[f + 1].start, P->t[qe - 1].start + P->t[qe - 1].len, 0, s};
            ARENA_PUSH(P->a, P->cursors, P->n_cursors, P->cap_cursors, c);
        }
        pl_declare(P, name);
        if (f + 1 < qe && !v->query) {
            simple(P, b, pl_hole(P, s, e, "the cursor's query does not parse"), e);
            return;
        }
        simple(P, b, st, e);
        return;
    }
    /* one step per variable */
    int a = s + 1;
    while (a < e) {
        int c = pl_find(P, a, NULL, TK_COMMA, 0);
        if (c < 0 || c > e)
            c = e;
        if (!pl_is(P, a, TK_PARAM)) {
            ir_pblock_add(P->u, b, pl_hole(P, a, c, "DECLARE not recognised"));
            a = c + 1;
            continue;
        }
        const char *name = pl_tok_text(P, a);
        int k = a + 1;
        if (pl_kw(P, k, "AS"))
            k++;
        ir_pstmt *st = pl_step(P, IR_PS_DECLARE, a, c);
        if (pl_kw(P, k, "TABLE")) {
            ir_var *v = ir_unit_new_var(P->u, name + 1, IR_VAR_TABLE);
            v->span = pl_span(P, a);
            int lp = k + 1, rp = pl_close_paren(P, k + 1);
            /* columns: name type [constraints], ... */
            for (int m = lp + 1; rp > 0 && m < rp;) {
                int ce = pl_find(P, m, NULL, TK_COMMA, 0);
                if (ce < 0 || ce > rp)
                    ce = rp;
                if ((pl_is(P, m, TK_IDENT) || pl_is(P, m, TK_QIDENT)) && !pl_kw(P, m, "PRIMARY") &&
                    !pl_kw(P, m, "UNIQUE") && !pl_kw(P, m, "CONSTRAINT") && !pl_kw(P, m, "INDEX")) {
                    v->cols = arena_grow(P->u->job->arena, v->cols, (size_t)v->n_cols, (size_t)v->n_cols + 1,
                                         sizeof *v->cols);
                    v->col_types = arena_grow(P->u->job->arena, v->col_types, (size_t)v->n_cols,
                                              (size_t)v->n_cols + 1, sizeof *v->col_types);
                    v->cols[v->n_cols] = ir_intern(P->u->job, pl_tok_text(P, m));
                    int te = m + 1;
                    while (te < ce && (pl_is(P, te, TK_IDENT) || pl_is(P, te, TK_LPAREN)) && te == m + 1)
                        te++;
                    if (pl_is(P, te, TK_LPAREN))
                        te = pl_close_paren(P, te) + 1;
                    v->col_types[v->n_cols] = pl_type(P, m + 1, te > ce ? ce : te, NULL, NULL);
                    v->n_cols++;
                }
                m = ce + 1;
            }
            c = rp > 0 ? rp + 1 : c;
            if (c < e && pl_is(P, c, TK_COMMA) == 0)
                c = e;
            st->var = v;
        } else {
            int eq = pl_find(P, k, NULL, TK_EQ, 0);
            int te = eq >= 0 && eq < c ? eq : c;
            const char *type_of = NULL;
            ir_var_kind kind = IR_VAR_SCALAR;
            ir_type ty = pl_type(P, k, te, &type_of, &kind);
            ir_var *v = ir_unit_new_var(P->u, name + 1, kind == IR_VAR_CURSOR ? IR_VAR_CURSOR : IR_VAR_SCALAR);
            v->type = ty;
            v->span = pl_span(P, a);
            ir_param *jp = ir_job_param(P->u->job, v->name);
            if (jp)
                jp->type = ty;
            if (eq >= 0 && eq < c)
                v->init = pl_expr(P, eq + 1, c);
            st->var = v;
        }
        pl_declare(P, name);
        ir_pblock_add(P->u, b, st);
        a = c + 1;
    }
    P->i = e;
    skip_semi(P);
}

/* SET options that change what later statements compute, with the setting the translation
 * assumes (SQL Server's defaults for a connection): set otherwise, they are a hole, never a
 * command "with no effect on data". SET NOCOUNT, XACT_ABORT, STATISTICS, TRANSACTION ISOLATION
 * LEVEL, LOCK_TIMEOUT, DATEFIRST (DATEPART(weekday) is a hole) and the like stay commands. */
static const struct {
    const char *option;
    const char *assumed; /* the value the translation reads the code with */
    const char *effect;
} ts_set_options[] = {
    {"ANSI_NULLS", "ON", "= NULL and <> NULL compare as if NULL were a value"},
    {"CONCAT_NULL_YIELDS_NULL", "ON", "+ of a string and NULL gives the string"},
    {"QUOTED_IDENTIFIER", "ON", "double-quoted text is a string literal"},
    {"ANSI_WARNINGS", "ON", "division by zero and overflow give NULL, long strings are cut"},
    {"ARITHABORT", "ON", "arithmetic errors give NULL"},
    {"ARITHIGNORE", "OFF", "arithmetic errors give NULL"},
    {"NUMERIC_ROUNDABORT", "OFF", "a loss of decimal precision is an error"},
    {"ANSI_PADDING", "ON", "trailing blanks are trimmed when stored"},
    {"ANSI_NULL_DFLT_ON", "ON", "new columns are NOT NULL unless they say NULL"},
    {"ANSI_NULL_DFLT_OFF", "OFF", "new columns are NOT NULL unless they say NULL"},
    {"IMPLICIT_TRANSACTIONS", "OFF", "statements open transactions that only COMMIT ends"},
    {"ANSI_DEFAULTS", "OFF", "it sets IMPLICIT_TRANSACTIONS ON among others"},
    {"CURSOR_CLOSE_ON_COMMIT", "OFF", "COMMIT closes open cursors"},
    {"NOEXEC", "OFF", "later statements are compiled, not run"},
    {"PARSEONLY", "OFF", "later statements are parsed, not run"},
    {"FMTONLY", "OFF", "later statements return no rows and change nothing"},
    {"SHOWPLAN_ALL", "OFF", "later statements are not run"},
    {"SHOWPLAN_TEXT", "OFF", "later statements are not run"},
    {"SHOWPLAN_XML", "OFF", "later statements are not run"},
    {"DATEFORMAT", "MDY", "strings convert to dates in another order"},
    {"LANGUAGE", "US_ENGLISH", "date names and the date order change"},
};

/* The hole reason for SET option value at [s, e) when the option changes later results and the
 * value is not the one the translation assumes; NULL otherwise. */
static const char *ts_set_changes_meaning(plx *P, int s, int e)
{
    for (size_t i = 0; i < sizeof ts_set_options / sizeof ts_set_options[0]; i++) {
        if (!pl_kw(P, s + 1, ts_set_options[i].option))
            continue;
        const char *v = s + 2 < e ? pl_tok_text(P, s + 2) : "";
        if (e == s + 3 && (strcasecmp(v, ts_set_options[i].assumed) == 0 ||
                           (strcasecmp(ts_set_options[i].option, "LANGUAGE") == 0 &&
                            (strcasecmp(v, "ENGLISH") == 0 || strcasecmp(v, "[US_ENGLISH]") == 0))))
            return NULL;
        return arena_printf(P->a, "SET %s other than %s changes what later statements compute (%s); the translation "
                                  "reads them with %s %s",
                            ts_set_options[i].option, ts_set_options[i].assumed, ts_set_options[i].effect,
                            ts_set_options[i].option, ts_set_options[i].assumed);
    }
    return NULL;
}

static void ts_set(plx *P, ir_pblock *b)
{
    int s = P->i;
    int e = ts_end(P, s);
    if (!pl_is(P, s + 1, TK_PARAM)) {
        const char *why = ts_set_changes_meaning(P, s, e);
        if (pl_kw(P, s + 1, "ROWCOUNT"))
            simple(P, b, pl_hole(P, s, e, "SET ROWCOUNT (limits the rows of later statements) is not translated"), e);
        else if (why)
            simple(P, b, pl_hole(P, s, e, why), e);
        else
            simple(P, b, pl_step(P, IR_PS_COMMAND, s, e), e); /* SET NOCOUNT ON, SET XACT_ABORT ON ... */
        return;
    }
    const char *name = pl_tok_text(P, s + 1);
    int op = s + 2;
    ir_pstmt *st = pl_step(P, IR_PS_ASSIGN, s, e);
    st->target = ir_intern(P->u->job, name + 1);
    if (pl_is(P, op, TK_EQ)) {
        if (pl_kw(P, op + 1, "CURSOR")) {
            /* SET @c = CURSOR [options] FOR select: the query OPEN @c runs */
            int f = pl_find(P, op + 2, "FOR", 0, 1);
            int qe = f > 0 ? cursor_query_end(P, f, e) : e;
            ir_stmt *q = f > 0 && f + 1 < qe ? pl_sql(P, f + 1, qe, NULL, 0) : NULL;
            if (!q) {
                simple(P, b, pl_hole(P, s, e, "a cursor variable's query (SET @c = CURSOR FOR ...) does not parse"), e);
                return;
            }
            struct pl_curvar cv = {ir_intern(P->u->job, name + 1), q};
            ARENA_PUSH(P->a, P->curvars, P->n_curvars, P->cap_curvars, cv);
            P->i = e;
            skip_semi(P);
            return;
        }
        st->value = pl_expr(P, op + 1, e);
    } else if ((pl_is(P, op, TK_PLUS) || pl_is(P, op, TK_MINUS) || pl_is(P, op, TK_STAR) || pl_is(P, op, TK_SLASH) ||
                pl_is(P, op, TK_PIPE) || pl_is(P, op, TK_AMP)) &&
               pl_is(P, op + 1, TK_EQ)) {
        /* @x += e is @x = @x + (e), lowered from a text of its own: spans point at the statement */
        const char *expr = arena_printf(P->a, "%s %c (%s)", name, P->file->text[P->t[op].start], pl_text(P, op + 2, e));
        ir_expr *x = sqlfe_lower_scalar(P->u->job, expr, strlen(expr), P->d, &P->scope, pl_span(P, s), NULL);
        st->value = x ? x : ir_hole(P->u->job, pl_text(P, s, e), "compound assignment does not lower");
    } else {
        simple(P, b, pl_hole(P, s, e, "SET not recognised"), e);
        return;
    }
    simple(P, b, st, e);
}

/* SELECT @a = x, @b = y [FROM ...]: assignments, or a query into variables */
static void ts_select(plx *P, ir_pblock *b)
{
    int s = P->i;
    int e = ts_end(P, s);
    int k = s + 1, top = 0;
    /* SELECT [TOP n | TOP (n)] @a = ..: TOP keeps its meaning in the query into variables */
    if (pl_kw(P, k, "TOP")) {
        top = 1;
        k = pl_is(P, k + 1, TK_LPAREN) && pl_close_paren(P, k + 1) > 0 ? pl_close_paren(P, k + 1) + 1 : k + 2;
    }
    if (!(pl_is(P, k, TK_PARAM) && pl_is(P, k + 1, TK_EQ))) {
        simple(P, b, pl_sql_step(P, s, e, NULL, 0), e);
        return;
    }
    int from = pl_find(P, s, "FROM", 0, 1);
    if (from > e)
        from = -1;
    if (top && from < 0) {
        simple(P, b, pl_hole(P, s, e, "SELECT TOP .. @v = without FROM is not translated"), e);
        return;
    }
    /* the items */
    int items_end = from >= 0 ? from : e;
    size_t *blank = NULL;
    int n_blank = 0, cap = 0;
    ir_pstmt *q = from >= 0 ? pl_step(P, IR_PS_SQL, s, e) : NULL;
    int a = k;
    while (a < items_end) {
        int c = pl_find(P, a, NULL, TK_COMMA, 0);
        if (c < 0 || c > items_end)
            c = items_end;
        if (pl_is(P, a, TK_PARAM) && pl_is(P, a + 1, TK_EQ)) {
            const char *name = pl_tok_text(P, a) + 1;
            if (q) {
                ir_pstmt_add_into(P->u, q, name);
                size_t r0 = P->t[a].start, r1 = P->t[a + 1].start + 1;
                ARENA_PUSH(P->a, blank, n_blank, cap, r0);
                ARENA_PUSH(P->a, blank, n_blank, cap, r1);
            } else {
                ir_pstmt *st = pl_step(P, IR_PS_ASSIGN, a, c);
                st->target = ir_intern(P->u->job, name);
                st->value = pl_expr(P, a + 2, c);
                ir_pblock_add(P->u, b, st);
            }
        } else if (q) {
            simple(P, b, pl_hole(P, s, e, "SELECT mixing variable assignments and result columns"), e);
            return;
        }
        a = c + 1;
    }
    if (q) {
        q->stmt = pl_sql(P, s, e, blank, n_blank / 2);
        if (!q->stmt) {
            simple(P, b, pl_hole(P, s, e, "the statement does not parse"), e);
            return;
        }
        ir_pblock_add(P->u, b, q);
    }
    P->i = e;
    skip_semi(P);
}

/* EXEC proc args | EXEC @rc = proc args | EXEC (@sql) | EXEC sp_executesql @sql, N'..', @p = v */
static void ts_exec(plx *P, ir_pblock *b)
{
    int s = P->i;
    int e = ts_end(P, s);
    int k = s + 1;
    if (pl_is(P, k, TK_LPAREN)) {
        int c = pl_close_paren(P, k);
        ir_pstmt *st = pl_step(P, IR_PS_EXEC, s, e);
        st->value = pl_expr(P, k + 1, c > 0 ? c : e);
        ir_pstmt *q = pl_constant_exec(P, st, s, e);
        simple(P, b, q ? q : st, e);
        return;
    }
    const char *rc = NULL;
    if (pl_is(P, k, TK_PARAM) && pl_is(P, k + 1, TK_EQ)) {
        rc = pl_tok_text(P, k) + 1;
        k += 2;
    }
    if (pl_is(P, k, TK_PARAM)) { /* EXEC @proc args: the procedure's name is a run-time value */
        simple(P, b, pl_hole(P, s, e, "EXEC @variable: the procedure's name is held in a variable (dynamic)"), e);
        return;
    }
    int ne;
    const char *name = pl_dotted(P, k, &ne);
    if (!name) {
        simple(P, b, pl_hole(P, s, e, "EXEC not recognised"), e);
        return;
    }
    const char *last = strrchr(name, '.');
    last = last ? last + 1 : name;
    int dyn = strcasecmp(last, "sp_executesql") == 0;
    ir_pstmt *st = pl_step(P, dyn ? IR_PS_EXEC : IR_PS_CALL, s, e);
    if (!dyn)
        st->name = ir_intern(P->u->job, name);
    if (rc)
        ir_pstmt_add_into(P->u, st, rc);
    int a = ne, n = 0;
    while (a < e) {
        int c = pl_find(P, a, NULL, TK_COMMA, 0);
        if (c < 0 || c > e)
            c = e;
        int ve = c;
        int out = 0;
        if (pl_kw(P, ve - 1, "OUTPUT") || pl_kw(P, ve - 1, "OUT")) {
            ve--;
            out = 1;
        }
        ir_expr *x;
        const char *pname = NULL, *out_var = NULL;
        if (pl_is(P, a, TK_PARAM) && pl_is(P, a + 1, TK_EQ) && !dyn) {
            /* @name = value [OUTPUT]: passed to parameter name; an OUTPUT variable is read back */
            pname = pl_tok_text(P, a) + 1;
            x = pl_expr(P, a + 2, ve);
            if (out && pl_is(P, a + 2, TK_PARAM) && a + 3 == ve)
                out_var = pl_tok_text(P, a + 2) + 1;
        } else if (pl_is(P, a, TK_PARAM) && pl_is(P, a + 1, TK_EQ)) {
            /* sp_executesql's @name = value binds the statement's parameters by name: no IR form */
            x = ir_hole(P->u->job, pl_text(P, a, ve), "named argument (@name = value)");
            x->span = pl_span(P, a);
        } else {
            x = pl_expr(P, a, ve);
            if (out && pl_is(P, a, TK_PARAM) && a + 1 == ve)
                out_var = pl_tok_text(P, a) + 1;
        }
        if (out && !out_var && !dyn)
            x = ir_hole(P->u->job, pl_text(P, a, ve), "OUTPUT argument that is not a variable");
        if (dyn && n == 0)
            st->value = x;
        else if (!(dyn && n == 1)) /* sp_executesql's second argument declares the parameters */
            ir_pstmt_add_call_arg(P->u, st, pname, x, out_var);
        n++;
        a = c + 1;
    }
    if (dyn && !st->value) {
        simple(P, b, pl_hole(P, s, e, "sp_executesql without a statement"), e);
        return;
    }
    simple(P, b, st, e);
}

static int has_output_clause(const plx *P, int s, int e)
{
    for (int k = s; k < e; k++)
        if (pl_kw(P, k, "OUTPUT") && !pl_is(P, k - 1, TK_PARAM))
            return 1;
    return 0;
}

static void ts_stmt(plx *P, ir_pblock *b)
{
    int s = P->i;
    /* label: */
    if (pl_is(P, s, TK_IDENT) && pl_is(P, s + 1, TK_COLON) && (P->t[s].flags & TKF_BOL)) {
        ir_pstmt *st = pl_step(P, IR_PS_LABEL, s, s + 2);
        st->name = ir_intern(P->u->job, pl_tok_text(P, s));
        simple(P, b, st, s + 2);
        return;
    }
    if (pl_at(P, "BEGIN")) {
        if (pl_kw(P, s + 1, "TRAN") || pl_kw(P, s + 1, "TRANSACTION") || pl_kw(P, s + 1, "DISTRIBUTED")) {
            int e = ts_end(P, s + 1);
            simple(P, b, pl_step(P, IR_PS_BEGIN_TXN, s, e), e);
            return;
        }
        ts_block(P, b);
        return;
    }
    if (pl_at(P, "IF")) {
        ts_if(P, b);
        return;
    }
    if (pl_at(P, "WHILE")) {
        ts_while(P, b);
        return;
    }
    int e = ts_end(P, s);
    if (pl_at(P, "DECLARE")) {
        ts_declare(P, b);
    } else if (pl_at(P, "SET")) {
        ts_set(P, b);
    } else if (pl_at(P, "SELECT") && !pl_kw(P, s + 1, "INTO")) {
        ts_select(P, b);
    } else if (pl_at(P, "EXEC") || pl_at(P, "EXECUTE")) {
        ts_exec(P, b);
    } else if (pl_at(P, "BREAK") || pl_at(P, "CONTINUE")) {
        simple(P, b, pl_step(P, pl_at(P, "BREAK") ? IR_PS_EXIT : IR_PS_CONTINUE, s, e), e);
    } else if (pl_at(P, "RETURN")) {
        ir_pstmt *st = pl_step(P, IR_PS_RETURN, s, e);
        if (s + 1 < e)
            st->value = pl_expr(P, s + 1, e);
        simple(P, b, st, e);
    } else if (pl_at(P, "PRINT")) {
        ir_pstmt *st = pl_step(P, IR_PS_PRINT, s, e);
        st->value = pl_expr(P, s + 1, e);
        simple(P, b, st, e);
    } else if (pl_at(P, "GOTO")) {
        ir_pstmt *st = pl_step(P, IR_PS_GOTO, s, e);
        st->name = ir_intern(P->u->job, pl_tok_text(P, s + 1));
        simple(P, b, st, e);
    } else if (pl_at(P, "THROW")) {
        ir_pstmt *st = pl_step(P, IR_PS_RAISE, s, e);
        if (s + 1 < e) {
            int c1 = pl_find(P, s + 1, NULL, TK_COMMA, 0);
            int c2 = c1 > 0 ? pl_find(P, c1 + 1, NULL, TK_COMMA, 0) : -1;
            if (c1 > 0 && c1 < e) {
                st->code = pl_expr(P, s + 1, c1);
                st->value = pl_expr(P, c1 + 1, c2 > 0 && c2 < e ? c2 : e);
            }
        }
        simple(P, b, st, e);
    } else if (pl_at(P, "RAISERROR")) {
        /* RAISERROR(msg, severity, state[, args]) [WITH ...]: severity <= 10 is a message */
        int lp = s + 1, rp = pl_is(P, lp, TK_LPAREN) ? pl_close_paren(P, lp) : -1;
        if (rp < 0) {
            simple(P, b, pl_hole(P, s, e, "RAISERROR not recognised"), e);
            return;
        }
        int c1 = pl_find(P, lp + 1, NULL, TK_COMMA, 0);
        int c2 = c1 > 0 ? pl_find(P, c1 + 1, NULL, TK_COMMA, 0) : -1;
        int sev = -1;
        if (c1 > 0 && c2 == c1 + 2 && pl_is(P, c1 + 1, TK_NUMBER))
            sev = atoi(pl_tok_text(P, c1 + 1));
        /* a severity known only at run time decides between a message that goes on (0 .. 10) and an
         * error (11 and above): only a caught error's own ERROR_SEVERITY() is known to be >= 11; a
         * negative one is read as 0, or as a stored message's own severity (-1), by the vendor's docs */
        bool caught = c1 > 0 && c2 == c1 + 4 && pl_kw(P, c1 + 1, "ERROR_SEVERITY") && pl_is(P, c1 + 2, TK_LPAREN);
        if (sev < 0 && !caught && c1 > 0 && c2 > c1 + 1) {
            simple(P, b,
                   pl_hole(P, s, e,
                           "RAISERROR whose severity is not a constant (a variable, an expression, -1): 0 .. 10 prints a "
                           "message and goes on, 11 and above raise an error; choose the one this code needs"),
                   e);
            return;
        }
        ir_pstmt *st = pl_step(P, sev >= 0 && sev <= 10 ? IR_PS_PRINT : IR_PS_RAISE, s, e);
        st->value = pl_expr(P, lp + 1, c1 > 0 && c1 < rp ? c1 : rp);
        if (c1 > 0 && c1 < rp)
            pl_args(P, st, c1 + 1, rp);
        simple(P, b, st, e);
    } else if (pl_at(P, "COMMIT")) {
        simple(P, b, pl_step(P, IR_PS_COMMIT, s, e), e);
    } else if (pl_at(P, "ROLLBACK")) {
        ir_pstmt *st = pl_step(P, IR_PS_ROLLBACK, s, e);
        int n = s + 1;
        if (pl_kw(P, n, "TRAN") || pl_kw(P, n, "TRANSACTION") || pl_kw(P, n, "WORK"))
            n++;
        if (n < e)
            st->name = ir_intern(P->u->job, pl_tok_text(P, n));
        simple(P, b, st, e);
    } else if (pl_at(P, "SAVE")) {
        ir_pstmt *st = pl_step(P, IR_PS_BEGIN_TXN, s, e);
        st->name = ir_intern(P->u->job, pl_tok_text(P, e - 1));
        simple(P, b, st, e);
    } else if (pl_at(P, "OPEN") || pl_at(P, "FETCH") || pl_at(P, "CLOSE") || pl_at(P, "DEALLOCATE")) {
        ir_pstmt_kind k = pl_at(P, "OPEN") ? IR_PS_OPEN : pl_at(P, "FETCH") ? IR_PS_FETCH : IR_PS_CLOSE;
        int n = s + 1;
        if (k == IR_PS_FETCH && (pl_kw(P, n, "PRIOR") || pl_kw(P, n, "FIRST") || pl_kw(P, n, "LAST") ||
                                 pl_kw(P, n, "ABSOLUTE") || pl_kw(P, n, "RELATIVE"))) {
            simple(P, b,
                   pl_hole(P, s, e, "a scrolling FETCH (PRIOR, FIRST, LAST, ABSOLUTE, RELATIVE): Snowflake Scripting "
                                    "cursors only move forward"),
                   e);
            return;
        }
        while (n < e && (pl_kw(P, n, "NEXT") || pl_kw(P, n, "FROM") || pl_kw(P, n, "PRIOR") || pl_kw(P, n, "FIRST") ||
                         pl_kw(P, n, "LAST") || pl_kw(P, n, "GLOBAL")))
            n++;
        const char *name = pl_tok_text(P, n);
        if (pl_is(P, n, TK_PARAM))
            name++; /* a cursor variable, @c */
        if (P->lifted_cursor && strcasecmp(name, P->lifted_cursor) == 0 && k == IR_PS_CLOSE) {
            P->i = e; /* the cursor's loop became a set-based statement */
            skip_semi(P);
            return;
        }
        ir_pstmt *st = pl_step(P, pl_at(P, "DEALLOCATE") ? IR_PS_COMMAND : k, s, e);
        st->name = ir_intern(P->u->job, name);
        for (int c = P->n_curvars - 1; k == IR_PS_OPEN && st->kind == IR_PS_OPEN && c >= 0; c--)
            if (strcasecmp(P->curvars[c].name, name) == 0) { /* the query its last SET @c = CURSOR gave */
                st->query = P->curvars[c].query;
                break;
            }
        int into = pl_find(P, s, "INTO", 0, 1);
        if (k == IR_PS_FETCH && into > 0 && into < e)
            for (int m = into + 1; m < e; m++)
                if (pl_is(P, m, TK_PARAM))
                    ir_pstmt_add_into(P->u, st, pl_tok_text(P, m) + 1);
        simple(P, b, st, e);
    } else if (pl_at(P, "USE") || pl_at(P, "WAITFOR") || pl_at(P, "DBCC") ||
               (pl_at(P, "UPDATE") && pl_kw(P, s + 1, "STATISTICS")) ||
               ((pl_at(P, "CREATE") || pl_at(P, "ALTER") || pl_at(P, "DROP")) &&
                (pl_find(P, s, "INDEX", 0, 1) == s + 1 || pl_find(P, s, "INDEX", 0, 1) == s + 2 ||
                 pl_find(P, s, "INDEX", 0, 1) == s + 3))) {
        simple(P, b, pl_step(P, IR_PS_COMMAND, s, e), e);
    } else if (pl_at(P, "BULK") && pl_kw(P, s + 1, "INSERT")) {
        simple(P, b, pl_hole(P, s, e, "BULK INSERT (loads a file the database server reads) is not translated"), e);
    } else if (pl_at(P, "INSERT") || pl_at(P, "UPDATE") || pl_at(P, "DELETE") || pl_at(P, "MERGE")) {
        if (has_output_clause(P, s, e))
            simple(P, b, pl_hole(P, s, e, "T-SQL OUTPUT clause (returns or writes the changed rows) is not translated"),
                   e);
        else if (pl_at(P, "INSERT") && ((pl_find(P, s, "EXEC", 0, 1) > 0 && pl_find(P, s, "EXEC", 0, 1) < e) ||
                                        (pl_find(P, s, "EXECUTE", 0, 1) > 0 && pl_find(P, s, "EXECUTE", 0, 1) < e)))
            simple(P, b, pl_hole(P, s, e, "INSERT ... EXEC (a procedure's result set into a table) is not translated"),
                   e);
        else
            simple(P, b, pl_sql_step(P, s, e, NULL, 0), e);
    } else if (pl_at(P, "SELECT") || pl_at(P, "WITH") || pl_at(P, "CREATE") || pl_at(P, "DROP") ||
               pl_at(P, "TRUNCATE") || pl_at(P, "ALTER") || pl_at(P, "GRANT") || pl_at(P, "REVOKE")) {
        simple(P, b, pl_sql_step(P, s, e, NULL, 0), e);
    } else {
        simple(P, b, pl_hole(P, s, e > s ? e : s + 1, "statement not recognised"), e > s ? e : s + 1);
    }
}

/* T-SQL parameters: @p [AS] type [VARYING] [= default] [OUT | OUTPUT] [READONLY], ... up to AS /
 * WITH / FOR REPLICATION (optionally in parentheses). Returns the index after them. */
static int ts_params(plx *P, int i)
{
    int paren = pl_is(P, i, TK_LPAREN);
    int end = paren ? pl_close_paren(P, i) : -1;
    int a = paren ? i + 1 : i;
    if (paren && end < 0)
        return i + 1;
    while (a < P->n && pl_is(P, a, TK_PARAM)) {
        int c = a + 1;
        int depth = 0;
        for (; c < P->n; c++) {
            if (P->t[c].kind == TK_LPAREN)
                depth++;
            else if (P->t[c].kind == TK_RPAREN && depth-- == 0)
                break;
            else if (depth == 0 && (P->t[c].kind == TK_COMMA ||
                                    (c > a + 1 && (pl_kw(P, c, "AS") || pl_kw(P, c, "WITH") ||
                                                   (pl_kw(P, c, "FOR") && pl_kw(P, c + 1, "REPLICATION"))))))
                break;
        }
        const char *name = pl_tok_text(P, a) + 1;
        int k = a + 1;
        if (pl_kw(P, k, "AS"))
            k++;
        ir_param_mode mode = IR_PARAM_IN;
        int ve = c;
        while (ve > k && (pl_kw(P, ve - 1, "OUTPUT") || pl_kw(P, ve - 1, "OUT") || pl_kw(P, ve - 1, "READONLY"))) {
            if (!pl_kw(P, ve - 1, "READONLY"))
                mode = IR_PARAM_INOUT; /* an OUTPUT parameter also passes its value in */
            ve--;
        }
        int eq = pl_find(P, k, NULL, TK_EQ, 0);
        int te = eq >= 0 && eq < ve ? eq : ve;
        if (pl_kw(P, te - 1, "VARYING"))
            te--;
        ir_unit_param *p = ir_unit_add_param(P->u, name, mode, pl_type(P, k, te, NULL, NULL));
        p->span = pl_span(P, a);
        if (eq >= 0 && eq < ve)
            p->default_value = pl_expr(P, eq + 1, ve);
        pl_declare(P, name);
        a = pl_is(P, c, TK_COMMA) ? c + 1 : c;
        if (!pl_is(P, c, TK_COMMA))
            break;
    }
    return paren ? end + 1 : a;
}

void sqlfe_tsql_unit(plx *P, const char *anon_name, const char **why_none)
{
    int s = 0;
    int k = 0;
    int create = pl_kw(P, 0, "CREATE") || pl_kw(P, 0, "ALTER");
    if (create) {
        k = 1;
        if (pl_kw(P, k, "OR") && (pl_kw(P, k + 1, "ALTER") || pl_kw(P, k + 1, "REPLACE")))
            k += 2;
        /* CREATE TABLE / VIEW / INDEX .. opening a batch of statements (sqlfe_split.c): a block */
        static const char *const objects[] = {"PROC", "PROCEDURE", "FUNCTION", "TRIGGER", "TYPE", "PACKAGE",
                                              "MACRO", "LIBRARY", "JAVA"};
        create = any_kw(P, k, objects, sizeof objects / sizeof objects[0]);
    }
    if (create && !(pl_kw(P, k, "PROC") || pl_kw(P, k, "PROCEDURE") || pl_kw(P, k, "FUNCTION"))) {
        if (why_none)
            *why_none = pl_kw(P, k, "TRIGGER") ? "triggers are not translated"
                                               : "this kind of procedural object is not translated";
        return;
    }
    ir_unit *u;
    if (create) {
        int fn = pl_kw(P, k, "FUNCTION");
        int ne;
        const char *name = pl_dotted(P, k + 1, &ne);
        u = pl_new_unit(P, fn ? IR_UNIT_FUNCTION : IR_UNIT_PROCEDURE, name ? name : anon_name, s);
        P->u = u;
        P->blk = &u->body;
        P->i = ne;
        if (pl_is(P, P->i, TK_SEMI) && pl_is(P, P->i + 1, TK_NUMBER))
            P->i += 2; /* ;n procedure numbers */
        P->i = ts_params(P, P->i);
        if (fn && pl_accept(P, "RETURNS")) {
            if (pl_is(P, P->i, TK_PARAM) && pl_kw(P, P->i + 1, "TABLE")) {
                /* RETURNS @t TABLE (...): a table variable the body fills */
                int rp = pl_close_paren(P, P->i + 2);
                ir_var *v = ir_pstmt_add_var(u, &u->body, pl_tok_text(P, P->i) + 1, IR_VAR_TABLE);
                v->span = pl_span(P, P->i);
                v->type_of = "RETURNS";
                pl_declare(P, pl_tok_text(P, P->i));
                P->i = rp > 0 ? rp + 1 : P->i + 2;
            } else if (pl_kw(P, P->i, "TABLE")) {
                P->i++;
            } else {
                int te = P->i + 1;
                if (pl_is(P, te, TK_LPAREN))
                    te = pl_close_paren(P, te) + 1;
                u->returns = pl_type(P, P->i, te, NULL, NULL);
                P->i = te;
            }
        }
        /* WITH options (EXECUTE AS OWNER ...), FOR REPLICATION, then AS */
        while (!pl_eof(P) && !(pl_at(P, "AS") && !pl_kw(P, P->i - 1, "EXECUTE")) && !pl_at(P, "BEGIN"))
            P->i++;
        pl_accept(P, "AS");
    } else {
        u = pl_new_unit(P, IR_UNIT_BLOCK, anon_name, s);
        P->u = u;
        P->blk = &u->body;
    }
    ir_pblock *steps = ir_pstmt_body(u, &u->body);
    skip_semi(P);
    if (create && pl_at(P, "RETURN")) {
        /* an inline table-valued function: RETURN (SELECT ...) */
        int r = P->i++;
        int q = P->i, qe = P->n;
        while (qe > q && pl_is(P, qe - 1, TK_SEMI))
            qe--;
        if (pl_is(P, q, TK_LPAREN) && pl_close_paren(P, q) == qe - 1) {
            q++;
            qe--;
        }
        ir_pstmt *st = pl_sql_step(P, q, qe, NULL, 0);
        (void)r;
        ir_pblock_add(u, steps, st);
        P->i = P->n;
    } else if (create && pl_at(P, "BEGIN") && !pl_kw(P, P->i + 1, "TRAN") && !pl_kw(P, P->i + 1, "TRANSACTION") &&
               !pl_kw(P, P->i + 1, "TRY")) {
        /* AS BEGIN ... END: the body's own statements */
        int b = P->i++;
        ts_stmts(P, steps);
        if (!pl_at(P, "END")) {
            pl_error(P, P->i, "END expected (to close BEGIN at line %d), found the end of the batch", pl_span(P, b).line);
            ir_pblock_add(u, steps, pl_hole(P, b, P->n, arena_printf(P->a, "BEGIN at line %d is not closed by END",
                                                                     pl_span(P, b).line)));
        } else {
            P->i++;
            skip_semi(P);
        }
        if (!pl_eof(P))
            ts_stmts(P, steps); /* statements after the END in the same batch belong to the procedure */
    } else {
        ts_stmts(P, steps);
    }
    while (!pl_eof(P)) {
        /* an END without BEGIN */
        int e = ts_end(P, P->i + 1);
        ir_pblock_add(u, steps, pl_hole(P, P->i, e, "END without BEGIN"));
        P->i = e;
        ts_stmts(P, steps);
    }
    pl_emit(P, u);
    P->u = NULL;
}
