/*
 * sqlfe_pl.c — the procedural layer: a procedural statement of a script (sqlfe_split.c keeps it as
 * one raw statement) read into procedural units (ir/ir_unit.h). This file holds what the readers
 * share (the token cursor, steps, the lowering of embedded SQL and expressions, errors) and the
 * reader of the BEGIN/END family: Oracle PL/SQL, DB2 SQL PL and Netezza NZPLSQL, which share
 * IF/ELSIF/LOOP/WHILE/FOR structure and differ in declarations, handlers and a few statements.
 * T-SQL is read by sqlfe_tsql.c, BTEQ scripts by sqlfe_bteq.c. docs/sql-scripts.md, "Procedural
 * units", lists what maps to what.
 *
 * A hand-written recursive-descent reader over the lexer's tokens: statements are recognised by
 * their first words; SQL statements inside a body go to sqlfe_lower_stmt, expressions to
 * sqlfe_lower_scalar, with the unit's declared names as variables (IR_EX_PARAM). What is not
 * recognised becomes an IR_PS_HOLE step with its text and location. A block or IF that is not
 * closed is an error at file:line:col naming the line where it opened; the construct becomes a
 * hole and reading goes on.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "frontends/sql/sqlfe_pl.h"

/* ================================ token cursor ================================ */

int pl_kw(const plx *P, int i, const char *w)
{
    return i >= 0 && i < P->n && tk_is(P->file->text, &P->t[i], w);
}

int pl_is(const plx *P, int i, tk_kind k)
{
    return i >= 0 && i < P->n && P->t[i].kind == k;
}

int pl_at(const plx *P, const char *w)
{
    return pl_kw(P, P->i, w);
}

int pl_accept(plx *P, const char *w)
{
    if (!pl_at(P, w))
        return 0;
    P->i++;
    return 1;
}

int pl_eof(const plx *P)
{
    return P->i >= P->n;
}

const char *pl_tok_text(plx *P, int i)
{
    if (i < 0 || i >= P->n)
        return "";
    const tok *t = &P->t[i];
    const char *s = P->file->text + t->start;
    size_t n = t->len;
    if (t->kind == TK_QIDENT && n >= 2) {
        s++;
        n -= 2;
    }
    return arena_strndup(P->a, s, n);
}

const char *pl_upper(plx *P, const char *s)
{
    char *r = arena_strdup(P->a, s);
    for (char *p = r; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
    return r;
}

/* CASE ... END inside expressions and statements: END CASE / END IF ... are not the CASE's end */
static int case_end(const plx *P, int i)
{
    return pl_kw(P, i, "END") && !pl_kw(P, i + 1, "IF") && !pl_kw(P, i + 1, "LOOP") && !pl_kw(P, i + 1, "CASE") &&
           !pl_kw(P, i + 1, "WHILE") && !pl_kw(P, i + 1, "FOR") && !pl_kw(P, i + 1, "REPEAT");
}

int pl_find(const plx *P, int i, const char *w, tk_kind k, int stop_semi)
{
    int depth = 0, cases = 0;
    for (; i < P->n; i++) {
        const tok *t = &P->t[i];
        if (depth == 0 && cases == 0 && (w ? pl_kw(P, i, w) : t->kind == k))
            return i;
        if (t->kind == TK_LPAREN)
            depth++;
        else if (t->kind == TK_RPAREN)
            depth--;
        else if (pl_kw(P, i, "CASE") && !(i > 0 && pl_kw(P, i - 1, "END")))
            cases++;
        else if (cases > 0 && case_end(P, i))
            cases--;
        else if (t->kind == TK_SEMI && depth <= 0 && stop_semi)
            return -1;
        if (depth < 0)
            return -1;
    }
    return -1;
}

int pl_semi(const plx *P, int i)
{
    /* a stray ')' (a typo in the legacy text) must not swallow the rest of the block */
    int depth = 0;
    for (; i < P->n; i++) {
        if (P->t[i].kind == TK_LPAREN)
            depth++;
        else if (P->t[i].kind == TK_RPAREN && depth > 0)
            depth--;
        else if (P->t[i].kind == TK_SEMI && depth == 0)
            return i;
    }
    return P->n;
}

int pl_close_paren(const plx *P, int i)
{
    int depth = 0;
    for (; i < P->n; i++) {
        if (P->t[i].kind == TK_LPAREN)
            depth++;
        else if (P->t[i].kind == TK_RPAREN && --depth == 0)
            return i;
    }
    return -1;
}

static size_t tok_end(const plx *P, int i)
{
    return P->t[i].start + P->t[i].len;
}

const char *pl_text(plx *P, int from, int to)
{
    if (to > P->n)
        to = P->n;
    if (from >= to || from < 0)
        return "";
    size_t s = P->t[from].start, e = tok_end(P, to - 1);
    return arena_strndup(P->a, P->file->text + s, e - s);
}

ir_span pl_span(plx *P, int i)
{
    ir_span sp = {0};
    size_t off = i < P->n ? P->t[i].start : (P->n ? tok_end(P, P->n - 1) : 0);
    srcfile_line_col(P->file, off, &sp.line, &sp.col);
    sp.file = ir_intern(P->u->job, P->path);
    return sp;
}

static int line_of(plx *P, int i)
{
    return pl_span(P, i).line;
}

const char *pl_dotted(plx *P, int i, int *end)
{
    if (!pl_is(P, i, TK_IDENT) && !pl_is(P, i, TK_QIDENT) && !pl_is(P, i, TK_PARAM))
        return NULL;
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, pl_tok_text(P, i));
    i++;
    while (pl_is(P, i, TK_DOT) && (pl_is(P, i + 1, TK_IDENT) || pl_is(P, i + 1, TK_QIDENT))) {
        sb_putc(&sb, '.');
        sb_puts(&sb, pl_tok_text(P, i + 1));
        i += 2;
    }
    const char *r = arena_strdup(P->a, sb_cstr(&sb));
    sb_free(&sb);
    if (end)
        *end = i;
    return r;
}

/* ================================ scope ================================ */

static const char *strip_sigil(const char *name)
{
    while (*name == '@' || *name == ':')
        name++;
    return name;
}

void pl_declare(plx *P, const char *name)
{
    name = strip_sigil(name);
    for (int i = 0; i < P->n_names; i++)
        if (strcasecmp(P->names[i], name) == 0)
            return;
    ARENA_PUSH(P->a, P->names, P->n_names, P->cap_names, arena_strdup(P->a, name));
}

void pl_declare_record(plx *P, const char *name)
{
    pl_declare(P, name);
    ARENA_PUSH(P->a, P->records, P->n_records, P->cap_records, arena_strdup(P->a, strip_sigil(name)));
}

/* name, or its part before a dot, is a PL/SQL collection variable */
static int is_collection(const plx *P, const char *name)
{
    size_t n = strcspn(name, ".");
    for (int i = 0; i < P->n_collections; i++)
        if (strlen(P->collections[i]) == n && strncasecmp(P->collections[i], name, n) == 0)
            return 1;
    return 0;
}

/* 1: a variable or parameter (or a record's field), 2: a collection or its method, 0: neither */
int pl_is_var_name(const plx *P, const char *name)
{
    name = strip_sigil(name);
    if (is_collection(P, name))
        return 2;
    const char *dot = strchr(name, '.');
    if (dot) {
        size_t n = (size_t)(dot - name);
        for (int i = 0; i < P->n_records; i++)
            if (strlen(P->records[i]) == n && strncasecmp(P->records[i], name, n) == 0)
                return 1;
        return 0;
    }
    for (int i = 0; i < P->n_names; i++)
        if (strcasecmp(P->names[i], name) == 0)
            return 1;
    return 0;
}

static int scope_is_var(void *userdata, const char *name)
{
    const plx *P = userdata;
    if (P->d == SQLFE_TSQL)
        return 0; /* T-SQL variables are the @names: a bare name is a column */
    return pl_is_var_name(userdata, name);
}

/* a name declared in the unit: in scope, and a job param of the unit so IR_EX_PARAM resolves */
void pl_declare_var(plx *P, const char *name, int record)
{
    if (record)
        pl_declare_record(P, name);
    else
        pl_declare(P, name);
    ir_param *p = ir_job_add_param(P->u->job, strip_sigil(name));
    p->is_variable = true;
}

/* ================================ steps ================================ */

ir_pstmt *pl_step(plx *P, ir_pstmt_kind kind, int from, int to)
{
    return ir_pstmt_new(P->u, kind, pl_span(P, from), pl_text(P, from, to));
}

ir_pstmt *pl_hole(plx *P, int from, int to, const char *reason)
{
    ir_pstmt *s = pl_step(P, IR_PS_HOLE, from, to);
    s->hole_reason = ir_intern(P->u->job, reason);
    return s;
}

/* A body in a form the reader does not know (another dialect's, a guessed dialect that is wrong):
 * a warning, the text a hole. */
static void pl_warn(plx *P, int i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void pl_warn(plx *P, int i, const char *fmt, ...)
{
    ir_span sp = pl_span(P, i);
    va_list ap;
    va_start(ap, fmt);
    diag_vat(P->dc, DIAG_WARNING, P->file, P->path, sp.line, sp.col, fmt, ap);
    va_end(ap);
}

void pl_error(plx *P, int i, const char *fmt, ...)
{
    ir_span sp = pl_span(P, i);
    va_list ap;
    va_start(ap, fmt);
    /* in a script of unknown dialect (ANSI) the block may follow another dialect's rules (a T-SQL
     * BEGIN .. END without ';'): a warning there, the construct a hole all the same */
    diag_vat(P->dc, P->d == SQLFE_ANSI ? DIAG_WARNING : DIAG_ERROR, P->file, P->path, sp.line, sp.col, fmt, ap);
    va_end(ap);
    P->n_errors++;
}

/* Messages of the statement and expression lowering: a statement inside a body that does not
 * parse is a hole step, so its syntax error is reported as a warning. */
typedef struct fwd {
    plx *P;
    const char *first;
} fwd;

static void fwd_sink(void *userdata, const diag *d)
{
    fwd *f = userdata;
    if (d->level == DIAG_ERROR && !f->first)
        f->first = arena_strdup(f->P->a, d->message);
    if (!f->P->dc)
        return;
    diag_at(f->P->dc, d->level == DIAG_ERROR ? DIAG_WARNING : d->level, f->P->file, d->file, d->line, d->col, "%s",
            d->message);
}

/* Oracle: the implicit cursor's attributes (SQL%ROWCOUNT ...) and each declared cursor's %FOUND
 * (%NOTFOUND is its negation), by the cursor's name in upper case: variables of the unit that
 * sqlfe_expr.c reads them as. */
static void oracle_cursor_attrs(plx *P)
{
    if (P->d != SQLFE_ORACLE)
        return;
    static const char *const attrs[] = {"SQL%ROWCOUNT", "SQL%FOUND", "SQL%NOTFOUND", "SQL%ISOPEN"};
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++)
        if (!ir_job_param(P->u->job, attrs[i]))
            ir_job_add_param(P->u->job, attrs[i]);
    for (int c = 0; c < P->n_cursors; c++) {
        const char *name = arena_printf(P->u->job->arena, "%s%%FOUND", pl_upper(P, P->cursors[c].name));
        if (!ir_job_param(P->u->job, name))
            ir_job_add_param(P->u->job, name);
    }
}

ir_stmt *pl_sql(plx *P, int from, int to, const size_t *blank, int n_blank)
{
    P->last_error = NULL;
    if (from >= to)
        return NULL;
    size_t s = P->t[from].start, e = tok_end(P, to - 1);
    const char *sql = P->file->text + s;
    if (n_blank) {
        char *c = arena_strndup(P->a, sql, e - s);
        for (int k = 0; k < n_blank; k++)
            for (size_t o = blank[2 * k]; o < blank[2 * k + 1] && o < e; o++)
                if (o >= s && c[o - s] != '\n')
                    c[o - s] = ' ';
        sql = c;
    }
    fwd f = {P, NULL};
    diag_ctx dc;
    diag_init(&dc, fwd_sink, &f);
    oracle_cursor_attrs(P);
    ir_stmt *st = sqlfe_lower_stmt(P->u->job, sql, e - s, P->d, &P->scope, pl_span(P, from), &dc);
    if (!st)
        P->last_error = f.first ? f.first : "the statement does not parse";
    return st;
}

/* Statements the SQL parser does not read into a tree: without effect on data (a COMMAND step), or
 * with no IR form (a SQL step holding an IR_ST_HOLE with the reason). Returns NULL for the rest. */
static ir_pstmt *unparsed_stmt(plx *P, int from, int to)
{
    if (from >= to || sqlfe_stmt_kind_parsed(sqlfe_classify(P->file->text, P->t + from, to - from, P->d)))
        return NULL;
    static const char *const no_data[] = {"GRANT", "REVOKE", "LOCK", "ANALYZE", "COMMENT", "COLLECT", "REORG",
                                          "RUNSTATS", "GROOM", "GENERATE", "REFRESH"};
    for (size_t k = 0; k < sizeof no_data / sizeof no_data[0]; k++)
        if (pl_kw(P, from, no_data[k]))
            return pl_step(P, IR_PS_COMMAND, from, to);
    if ((pl_kw(P, from, "CREATE") || pl_kw(P, from, "ALTER") || pl_kw(P, from, "DROP")) &&
        pl_find(P, from, "INDEX", 0, 0) >= 0 && pl_find(P, from, "INDEX", 0, 0) <= from + 3)
        return pl_step(P, IR_PS_COMMAND, from, to);
    ir_pstmt *s = pl_step(P, IR_PS_SQL, from, to);
    ir_stmt *h = ir_stmt_new(P->u->job, IR_ST_HOLE);
    h->text = s->text;
    h->span = s->span;
    h->hole_reason = ir_intern(P->u->job, arena_printf(P->a, "%s statement: no IR form (kept as text)",
                                                       pl_upper(P, pl_tok_text(P, from))));
    s->stmt = h;
    return s;
}

ir_pstmt *pl_sql_step(plx *P, int from, int to, const size_t *blank, int n_blank)
{
    ir_pstmt *u = n_blank ? NULL : unparsed_stmt(P, from, to);
    if (u)
        return u;
    ir_stmt *st = pl_sql(P, from, to, blank, n_blank);
    if (!st)
        return pl_hole(P, from, to, arena_printf(P->a, "the statement does not parse: %s", P->last_error));
    ir_pstmt *s = pl_step(P, IR_PS_SQL, from, to);
    s->stmt = st;
    return s;
}

static void quiet_sink(void *userdata, const diag *d)
{
    (void)userdata;
    (void)d;
}

ir_pstmt *pl_constant_exec(plx *P, const ir_pstmt *st, int from, int to)
{
    const ir_expr *v = st->value;
    if (!v || v->kind != IR_EX_LIT || v->u.lit.kind != IR_LIT_STRING || !v->u.lit.text || st->n_args || st->n_into ||
        st->bulk)
        return NULL;
    const char *t = v->u.lit.text;
    size_t len = strlen(t);
    while (len && isspace((unsigned char)t[len - 1]))
        len--;
    if (!len || memchr(t, ';', len))
        return NULL; /* a block or several statements: left to run as text */
    /* the text runs where the unit's variables are out of sight: its names are the database's */
    sqlfe_scope scope = P->scope;
    scope.is_var = NULL;
    scope.userdata = NULL;
    diag_ctx dc;
    diag_init(&dc, quiet_sink, NULL);
    ir_stmt *q = sqlfe_lower_stmt(P->u->job, t, len, P->d, &scope, st->span, &dc);
    if (!q || q->kind == IR_ST_HOLE)
        return NULL;
    ir_pstmt *s = pl_step(P, IR_PS_SQL, from, to);
    s->stmt = q;
    return s;
}

ir_expr *pl_expr(plx *P, int from, int to)
{
    if (P->d == SQLFE_TSQL && to - from == 3 && pl_is(P, from, TK_PARAM) && pl_is(P, from + 2, TK_NUMBER) &&
        (pl_is(P, from + 1, TK_EQ) || pl_is(P, from + 1, TK_NE)) && pl_tok_text(P, from)[1] == '@' &&
        sqlfe_tsql_global_known(pl_tok_text(P, from))) {
        /* @@FETCH_STATUS = 0, @@ROWCOUNT <> 0: a session value compared with a number */
        ir_expr *l = ir_param_ref(P->u->job, pl_tok_text(P, from));
        ir_expr *r = ir_lit(P->u->job, IR_LIT_INT, pl_tok_text(P, from + 2));
        ir_expr *x = ir_call2(P->u->job, pl_is(P, from + 1, TK_EQ) ? IR_FN_EQ : IR_FN_NE, l, r);
        l->span = r->span = x->span = pl_span(P, from);
        return x;
    }
    if (from >= to) {
        ir_expr *h = ir_hole(P->u->job, "", "missing expression");
        h->span = pl_span(P, from);
        return h;
    }
    size_t s = P->t[from].start, e = tok_end(P, to - 1);
    fwd f = {P, NULL};
    diag_ctx dc;
    diag_init(&dc, fwd_sink, &f);
    const char *sql = P->file->text + s;
    size_t len = e - s;
    ir_span base = pl_span(P, from);
    if (P->d == SQLFE_TSQL && pl_find(P, from, NULL, TK_EQ, 0) >= 0 && pl_find(P, from, NULL, TK_EQ, 0) < to) {
        /* "@n = 0" alone reads as a T-SQL select-list alias: parenthesised it is a comparison */
        sql = arena_printf(P->a, "(%.*s)", (int)len, sql);
        len += 2;
        if (base.col > 1)
            base.col--;
    }
    oracle_cursor_attrs(P);
    ir_expr *x = sqlfe_lower_scalar(P->u->job, sql, len, P->d, &P->scope, base, &dc);
    if (!x) {
        x = ir_hole(P->u->job, pl_text(P, from, to),
                    arena_printf(P->a, "expression does not parse: %s", f.first ? f.first : "?"));
        x->span = pl_span(P, from);
    }
    return x;
}

void pl_args(plx *P, ir_pstmt *s, int from, int to)
{
    int a = from;
    while (a < to) {
        int c = pl_find(P, a, NULL, TK_COMMA, 0);
        if (c < 0 || c > to)
            c = to;
        int arrow = pl_find(P, a, NULL, TK_ARROW, 0);
        if (arrow == a + 1 && s->kind == IR_PS_CALL && pl_is(P, a, TK_IDENT)) {
            /* name => value: passed to the parameter of that name */
            ir_pstmt_add_call_arg(P->u, s, pl_tok_text(P, a), pl_expr(P, arrow + 1, c), NULL);
        } else if (arrow >= 0 && arrow < c) {
            /* name => value: the association by name has no place in the IR's argument list */
            ir_expr *h = ir_hole(P->u->job, pl_text(P, a, c), "named argument (name => value)");
            h->span = pl_span(P, a);
            ir_pstmt_add_arg(P->u, s, h);
        } else if (c > a) {
            ir_pstmt_add_arg(P->u, s, pl_expr(P, a, c));
        }
        a = c + 1;
    }
}

/* ---- types ---- */

static int type_word(const plx *P, int i)
{
    static const char *const w[] = {"PRECISION", "VARYING", "WITH", "WITHOUT", "TIME", "ZONE", "LOCAL", "UNSIGNED"};
    for (size_t k = 0; k < sizeof w / sizeof w[0]; k++)
        if (pl_kw(P, i, w[k]))
            return 1;
    return 0;
}

/* The end of a type starting at i: a (dotted) name, %TYPE / %ROWTYPE, (..), trailing type words. */
static int type_end(const plx *P, int i)
{
    if (!pl_is(P, i, TK_IDENT) && !pl_is(P, i, TK_QIDENT))
        return i;
    i++;
    while (pl_is(P, i, TK_DOT) && (pl_is(P, i + 1, TK_IDENT) || pl_is(P, i + 1, TK_QIDENT)))
        i += 2;
    if (pl_is(P, i, TK_PERCENT) && (pl_kw(P, i + 1, "TYPE") || pl_kw(P, i + 1, "ROWTYPE")))
        return i + 2;
    while (type_word(P, i))
        i++;
    if (pl_is(P, i, TK_LPAREN)) {
        int c = pl_close_paren(P, i);
        if (c > 0)
            i = c + 1;
    }
    while (type_word(P, i))
        i++;
    return i;
}

static ir_var_kind user_type_kind(const plx *P, const char *name, int *found)
{
    for (int k = 0; k < P->n_types; k++)
        if (strcasecmp(P->types[k], name) == 0) {
            *found = 1;
            return P->type_kinds[k];
        }
    *found = 0;
    return IR_VAR_SCALAR;
}

ir_type pl_type(plx *P, int from, int to, const char **type_of, ir_var_kind *kind)
{
    if (type_of)
        *type_of = NULL;
    if (kind)
        *kind = IR_VAR_SCALAR;
    ir_type unknown = ir_type_make(IR_TY_UNKNOWN, 0, 0);
    if (from >= to)
        return unknown;
    /* %TYPE / %ROWTYPE: the type of a column / a row of a table or cursor */
    for (int k = from; k + 1 < to; k++)
        if (pl_is(P, k, TK_PERCENT)) {
            if (type_of)
                *type_of = pl_text(P, from, k);
            if (kind && pl_kw(P, k + 1, "ROWTYPE"))
                *kind = IR_VAR_ROW;
            return unknown;
        }
    const char *name = pl_upper(P, pl_tok_text(P, from));
    int found;
    ir_var_kind uk = user_type_kind(P, name, &found);
    if (found) {
        if (kind)
            *kind = uk;
        if (type_of)
            *type_of = pl_text(P, from, to);
        return unknown;
    }
    static const struct {
        const char *name;
        ir_type_kind k;
    } pl_names[] = {
        {"PLS_INTEGER", IR_TY_INT},  {"BINARY_INTEGER", IR_TY_INT}, {"SIMPLE_INTEGER", IR_TY_INT},
        {"NATURAL", IR_TY_INT},      {"NATURALN", IR_TY_INT},       {"POSITIVE", IR_TY_INT},
        {"POSITIVEN", IR_TY_INT},    {"SIGNTYPE", IR_TY_INT},       {"INT8", IR_TY_BIGINT},
        {"SERIAL", IR_TY_INT},       {"BOOLEAN", IR_TY_BOOL},
    };
    for (size_t k = 0; k < sizeof pl_names / sizeof pl_names[0]; k++)
        if (strcmp(name, pl_names[k].name) == 0)
            return ir_type_make(pl_names[k].k, 0, 0);
    if (strcmp(name, "RECORD") == 0 || strcmp(name, "ROW") == 0) {
        if (kind)
            *kind = IR_VAR_ROW;
        return unknown;
    }
    if (strcmp(name, "SYS_REFCURSOR") == 0 || strcmp(name, "CURSOR") == 0) {
        if (kind)
            *kind = IR_VAR_CURSOR;
        return unknown;
    }
    if (strcmp(name, "TABLE") == 0) {
        if (kind)
            *kind = IR_VAR_TABLE;
        return unknown;
    }
    /* a syntax-tree type node (name words, numeric parameters) for the SQL type mapping */
    strbuf words = STRBUF_INIT;
    sqlfe_ast *ty = arena_alloc(P->a, sizeof *ty);
    memset(ty, 0, sizeof *ty);
    ty->kind = SQ_TYPE;
    int k = from;
    for (; k < to && (pl_is(P, k, TK_IDENT) || pl_is(P, k, TK_QIDENT)); k++) {
        if (words.len)
            sb_putc(&words, ' ');
        sb_puts(&words, pl_upper(P, pl_tok_text(P, k)));
    }
    ty->text = arena_strdup(P->a, sb_cstr(&words));
    sb_free(&words);
    if (pl_is(P, k, TK_LPAREN)) {
        int c = pl_close_paren(P, k);
        for (int m = k + 1; c > 0 && m < c; m++)
            if (pl_is(P, m, TK_NUMBER)) {
                sqlfe_ast *num = arena_alloc(P->a, sizeof *num);
                memset(num, 0, sizeof *num);
                num->kind = SQ_NUM;
                num->text = pl_tok_text(P, m);
                ty->kids = arena_grow(P->a, ty->kids, (size_t)ty->n_kids, (size_t)ty->n_kids + 1, sizeof *ty->kids);
                ty->kids[ty->n_kids++] = num;
            }
    }
    lower_ctx L;
    memset(&L, 0, sizeof L);
    L.job = P->u->job;
    L.d = P->d;
    L.sql = P->file->text;
    L.len = P->file->len;
    L.scratch = P->a;
    return sqlfe_type(&L, ty);
}

/* ---- lifting a cursor loop (sqlfe_proc.c) ---- */

ir_pstmt *pl_try_lift(plx *P, int from, int to, const char *cursor, const char *prefix)
{
    strbuf sb = STRBUF_INIT;
    if (P->d == SQLFE_TSQL) {
        sb_puts(&sb, pl_text(P, from, to));
    } else {
        /* the unit's names are declared so the recogniser refuses a body that reads one */
        sb_puts(&sb, "DECLARE\n");
        for (int i = 0; i < P->n_names; i++) {
            int is_rec = 0;
            for (int r = 0; r < P->n_records; r++)
                is_rec |= strcasecmp(P->records[r], P->names[i]) == 0;
            int is_cur = 0;
            for (int c = 0; c < P->n_cursors; c++)
                is_cur |= strcasecmp(P->cursors[c].name, P->names[i]) == 0;
            if (!is_rec && !is_cur)
                sb_printf(&sb, "  %s NUMBER;\n", P->names[i]);
        }
        if (cursor) {
            for (int c = 0; c < P->n_cursors; c++)
                if (strcasecmp(P->cursors[c].name, cursor) == 0) {
                    if (P->cursors[c].has_params)
                        goto none;
                    sb_printf(&sb, "  CURSOR %s IS ", cursor);
                    sb_putn(&sb, P->file->text + P->cursors[c].q_start, P->cursors[c].q_end - P->cursors[c].q_start);
                    sb_puts(&sb, ";\n");
                }
        }
        if (prefix)
            sb_puts(&sb, prefix);
        sb_puts(&sb, "BEGIN\n");
        sb_puts(&sb, pl_text(P, from, to));
        sb_puts(&sb, "\nEND;\n");
    }
    {
        const char *text = arena_strdup(P->a, sb_cstr(&sb));
        sb_free(&sb);
        sqlfe_lift lf;
        memset(&lf, 0, sizeof lf);
        if (sqlfe_proc_lift(P->a, text, strlen(text), P->d, &lf) != 1)
            return NULL;
        fwd f = {P, NULL};
        diag_ctx dc;
        diag_init(&dc, fwd_sink, &f);
        ir_stmt *st = sqlfe_lower_stmt(P->u->job, lf.sql, strlen(lf.sql), P->d, &P->scope, pl_span(P, from), &dc);
        if (!st || st->kind == IR_ST_HOLE)
            return NULL;
        ir_pstmt *s = pl_step(P, IR_PS_SQL, from, to);
        s->stmt = st;
        s->lifted = lf.note ? arena_printf(P->a, "%s; %s", lf.shape, lf.note) : lf.shape;
        s->lifted = ir_intern(P->u->job, s->lifted);
        return s;
    }
none:
    sb_free(&sb);
    return NULL;
}

/* Whether a loop body is one INSERT/UPDATE/DELETE (and COMMITs): the shape worth lifting. */
static int liftable_body(const ir_pblock *b)
{
    int dml = 0;
    for (int i = 0; i < b->n; i++) {
        const ir_pstmt *s = b->stmts[i];
        if (s->kind == IR_PS_COMMIT)
            continue;
        if (s->kind == IR_PS_SQL && s->stmt &&
            (s->stmt->kind == IR_ST_INSERT || s->stmt->kind == IR_ST_UPDATE || s->stmt->kind == IR_ST_DELETE))
            dml++;
        else
            return 0;
    }
    return dml == 1;
}

/* ================================ PL/SQL, SQL PL, NZPLSQL ================================ */

static void stmts(plx *P, ir_pblock *b);
static void stmt(plx *P, ir_pblock *b);
static void decls(plx *P, ir_pstmt *blk, ir_pblock *pre);
static ir_pstmt *block(plx *P, ir_pstmt *blk, int start);

typedef struct unit_sink {
    sqlfe_unit_fn fn;
    void *ud;
    int n;
    const char *prefix; /* package name: units are named pkg.proc */
} unit_sink;

static int stop_word(const plx *P)
{
    static const char *const w[] = {"END", "ELSIF", "ELSEIF", "ELSE", "EXCEPTION", "WHEN", "UNTIL", "END_PROC"};
    for (size_t k = 0; k < sizeof w / sizeof w[0]; k++)
        if (pl_at(P, w[k]))
            return 1;
    return 0;
}

static void stmts(plx *P, ir_pblock *b)
{
    while (!pl_eof(P) && !stop_word(P)) {
        if (pl_is(P, P->i, TK_SEMI)) {
            P->i++;
            continue;
        }
        int before = P->i;
        stmt(P, b);
        if (P->i == before)
            P->i++; /* never loop */
    }
}

/* Consumes the rest of a simple statement (to its ';') and returns the index after the ';'. */
static int finish(plx *P, int end)
{
    P->i = end < P->n ? end + 1 : P->n;
    return P->i;
}

/* "END <word>" (with an optional label and ';') closing a construct opened at `open`. Returns 1
 * when found; 0 after an error naming the opening line. */
static int expect_end(plx *P, const char *word, const char *what, int open)
{
    if (pl_at(P, "END") && (!word || pl_kw(P, P->i + 1, word))) {
        P->i += word ? 2 : 1;
        if (pl_is(P, P->i, TK_IDENT) && !pl_is(P, P->i + 1, TK_DOT) && !stop_word(P) && pl_is(P, P->i + 1, TK_SEMI))
            P->i++; /* END LOOP label; END proc_name; */
        else if (!word && (pl_is(P, P->i, TK_IDENT) || pl_is(P, P->i, TK_QIDENT)) &&
                 (pl_is(P, P->i + 1, TK_SEMI) || P->i + 1 >= P->n))
            P->i++;
        if (pl_is(P, P->i, TK_SEMI))
            P->i++;
        return 1;
    }
    if (pl_eof(P))
        pl_error(P, P->i, "END%s%s expected (to close %s at line %d), found the end of the block", word ? " " : "",
                 word ? word : "", what, line_of(P, open));
    else
        pl_error(P, P->i, "END%s%s expected (to close %s at line %d), found '%s'", word ? " " : "", word ? word : "",
                 what, line_of(P, open), pl_text(P, P->i, P->i + 1));
    return 0;
}

/* the hole standing for a construct that is not closed */
static void unclosed(plx *P, ir_pblock *b, int open, const char *what, const char *end_word)
{
    int to = P->i;
    if (to <= open)
        to = open + 1;
    ir_pblock_add(P->u, b,
                  pl_hole(P, open, to,
                          arena_printf(P->a, "%s at line %d is not closed by END%s%s", what, line_of(P, open),
                                       end_word ? " " : "", end_word ? end_word : "")));
}

static void add_label(plx *P, ir_pstmt *s)
{
    if (P->pending_label) {
        s->name = ir_intern(P->u->job, P->pending_label);
        P->pending_label = NULL;
    }
}

static void st_if(plx *P, ir_pblock *b)
{
    int s = P->i++;
    int th = pl_find(P, P->i, "THEN", 0, 1);
    if (th < 0) {
        int e = pl_semi(P, s);
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "IF without THEN"));
        finish(P, e);
        return;
    }
    ir_pstmt *st = pl_step(P, IR_PS_IF, s, th + 1);
    for (;;) {
        ir_pblock *br = ir_pstmt_add_branch(P->u, st, pl_expr(P, P->i, th));
        P->i = th + 1;
        stmts(P, br);
        if (pl_at(P, "ELSIF") || pl_at(P, "ELSEIF")) {
            P->i++;
            th = pl_find(P, P->i, "THEN", 0, 1);
            if (th < 0)
                break;
            continue;
        }
        if (pl_accept(P, "ELSE"))
            stmts(P, ir_pstmt_add_branch(P->u, st, NULL));
        break;
    }
    if (!expect_end(P, "IF", "IF", s)) {
        unclosed(P, b, s, "IF", "IF");
        return;
    }
    ir_pblock_add(P->u, b, st);
}

static void st_case(plx *P, ir_pblock *b)
{
    int s = P->i++;
    int w = pl_find(P, P->i, "WHEN", 0, 1);
    if (w < 0) {
        int e = pl_semi(P, s);
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "CASE without WHEN"));
        finish(P, e);
        return;
    }
    ir_expr *sel = w > P->i ? pl_expr(P, P->i, w) : NULL;
    ir_pstmt *st = pl_step(P, IR_PS_IF, s, w);
    P->i = w;
    int has_else = 0;
    while (pl_accept(P, "WHEN")) {
        int th = pl_find(P, P->i, "THEN", 0, 1);
        if (th < 0)
            break;
        ir_expr *c = pl_expr(P, P->i, th);
        if (sel)
            c = ir_call2(P->u->job, IR_FN_EQ, ir_expr_copy(P->u->job, sel), c);
        P->i = th + 1;
        stmts(P, ir_pstmt_add_branch(P->u, st, c));
    }
    if (pl_accept(P, "ELSE")) {
        stmts(P, ir_pstmt_add_branch(P->u, st, NULL));
        has_else = 1;
    }
    if (!expect_end(P, "CASE", "CASE", s)) {
        unclosed(P, b, s, "CASE", "CASE");
        return;
    }
    if (!has_else && st->n_conds) {
        /* no branch taken and no ELSE: Oracle raises CASE_NOT_FOUND, DB2 SQLSTATE 20000 */
        ir_pblock *eb = ir_pstmt_add_branch(P->u, st, NULL);
        ir_pstmt *r = ir_pstmt_new(P->u, IR_PS_RAISE, st->span, "CASE_NOT_FOUND");
        if (P->d == SQLFE_DB2)
            r->code = ir_lit_str(P->u->job, "20000");
        else
            r->name = "CASE_NOT_FOUND";
        ir_pblock_add(P->u, eb, r);
    }
    ir_pblock_add(P->u, b, st);
}

/* the body of a loop from P->i to END LOOP / END WHILE / END FOR; 0 after an error */
static int loop_body(plx *P, ir_pstmt *st, const char *end_word, int open, const char *what)
{
    stmts(P, ir_pstmt_body(P->u, st));
    return expect_end(P, end_word, what, open);
}

static void st_loop(plx *P, ir_pblock *b)
{
    int s = P->i++;
    ir_pstmt *st = pl_step(P, IR_PS_LOOP, s, s + 1);
    add_label(P, st);
    if (!loop_body(P, st, "LOOP", s, "LOOP")) {
        unclosed(P, b, s, "LOOP", "LOOP");
        return;
    }
    ir_pblock_add(P->u, b, st);
}

static void st_while(plx *P, ir_pblock *b)
{
    int s = P->i++;
    int db2 = 0;
    int lp = pl_find(P, P->i, "LOOP", 0, 1);
    int d = pl_find(P, P->i, "DO", 0, 1);
    if (d >= 0 && (lp < 0 || d < lp)) {
        lp = d;
        db2 = 1;
    }
    if (lp < 0) {
        int e = pl_semi(P, s);
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "WHILE without LOOP / DO"));
        finish(P, e);
        return;
    }
    ir_pstmt *st = pl_step(P, IR_PS_WHILE, s, lp + 1);
    add_label(P, st);
    st->conds = arena_alloc(P->u->job->arena, sizeof *st->conds);
    st->conds[0] = pl_expr(P, P->i, lp);
    st->n_conds = 1;
    P->i = lp + 1;
    if (!loop_body(P, st, db2 ? "WHILE" : "LOOP", s, "WHILE")) {
        unclosed(P, b, s, "WHILE", db2 ? "WHILE" : "LOOP");
        return;
    }
    ir_pblock_add(P->u, b, st);
}

static void st_repeat(plx *P, ir_pblock *b)
{
    int s = P->i++;
    ir_pstmt *st = pl_step(P, IR_PS_LOOP, s, s + 1);
    add_label(P, st);
    ir_pblock *body = ir_pstmt_body(P->u, st);
    stmts(P, body);
    if (pl_at(P, "UNTIL")) {
        int u = P->i++;
        int e = pl_find(P, P->i, "END", 0, 1);
        if (e < 0)
            e = pl_semi(P, P->i);
        ir_pstmt *x = pl_step(P, IR_PS_EXIT, u, e);
        x->conds = arena_alloc(P->u->job->arena, sizeof *x->conds);
        x->conds[0] = pl_expr(P, P->i, e);
        x->n_conds = 1;
        ir_pblock_add(P->u, body, x);
        P->i = e;
    }
    if (!expect_end(P, "REPEAT", "REPEAT", s)) {
        unclosed(P, b, s, "REPEAT", "REPEAT");
        return;
    }
    ir_pblock_add(P->u, b, st);
}

/* the index of ".." (two adjacent dots) at depth 0 in [i, end), or -1 */
static int range_dots(const plx *P, int i, int end)
{
    int depth = 0;
    for (; i + 1 < end; i++) {
        if (P->t[i].kind == TK_LPAREN)
            depth++;
        else if (P->t[i].kind == TK_RPAREN)
            depth--;
        else if (depth == 0 && P->t[i].kind == TK_DOT && P->t[i + 1].kind == TK_DOT &&
                 P->t[i + 1].start == P->t[i].start + 1)
            return i;
    }
    return -1;
}

static void st_for(plx *P, ir_pblock *b)
{
    int s = P->i++;
    if (P->d == SQLFE_DB2 || pl_kw(P, P->i + 1, "AS")) {
        /* DB2: FOR v AS [c CURSOR [WITH HOLD] FOR] select DO ... END FOR */
        const char *var = pl_tok_text(P, P->i);
        int q = P->i + 2;
        if (pl_kw(P, q + 1, "CURSOR")) {
            q += 2;
            while (!pl_kw(P, q, "FOR") && q < P->n && !pl_is(P, q, TK_SEMI))
                q++;
            q++;
        }
        int d = pl_find(P, q, "DO", 0, 1);
        if (d < 0) {
            int e = pl_semi(P, s);
            ir_pblock_add(P->u, b, pl_hole(P, s, e, "FOR without DO"));
            finish(P, e);
            return;
        }
        ir_pstmt *st = pl_step(P, IR_PS_FOR_QUERY, s, d + 1);
        add_label(P, st);
        st->loop_var = ir_intern(P->u->job, var);
        st->query = pl_sql(P, q, d, NULL, 0);
        pl_declare_var(P, var, 1);
        P->i = d + 1;
        if (!loop_body(P, st, "FOR", s, "FOR")) {
            unclosed(P, b, s, "FOR", "FOR");
            return;
        }
        ir_pblock_add(P->u, b, st);
        return;
    }
    const char *var = pl_tok_text(P, P->i);
    int in = P->i + 1;
    int lp = pl_find(P, in, "LOOP", 0, 1);
    const char *end_word = "LOOP";
    if (P->d == SQLFE_SNOWFLAKE) { /* FOR .. IN .. DO .. END FOR, or LOOP .. END LOOP */
        int d = pl_find(P, in, "DO", 0, 1);
        if (d >= 0 && (lp < 0 || d < lp)) {
            lp = d;
            end_word = "FOR";
        }
    }
    if (!pl_kw(P, in, "IN") || lp < 0) {
        int e = pl_semi(P, s);
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "FOR loop not recognised"));
        finish(P, e);
        return;
    }
    int x = in + 1;
    int reverse = pl_kw(P, x, "REVERSE");
    if (reverse)
        x++;
    int dots = range_dots(P, x, lp), to = -1;
    if (dots < 0 && P->d == SQLFE_SNOWFLAKE) {
        to = pl_find(P, x, "TO", 0, 1);
        if (to > lp)
            to = -1;
    }
    ir_pstmt *st;
    const char *cursor = NULL;
    if (dots >= 0 || to >= 0) {
        st = pl_step(P, IR_PS_FOR_RANGE, s, lp + 1);
        st->lo = pl_expr(P, x, dots >= 0 ? dots : to);
        st->hi = pl_expr(P, dots >= 0 ? dots + 2 : to + 1, lp);
        st->reverse = reverse;
        pl_declare_var(P, var, 0);
    } else {
        st = pl_step(P, IR_PS_FOR_QUERY, s, lp + 1);
        if (pl_is(P, x, TK_LPAREN) && pl_close_paren(P, x) == lp - 1) {
            st->query = pl_sql(P, x + 1, lp - 1, NULL, 0);
        } else if ((pl_is(P, x, TK_IDENT) || pl_is(P, x, TK_QIDENT)) && !pl_kw(P, x, "SELECT") &&
                   !pl_kw(P, x, "WITH") && !pl_kw(P, x, "EXECUTE")) {
            int e;
            cursor = pl_dotted(P, x, &e);
            st->cursor = ir_intern(P->u->job, cursor);
            if (pl_is(P, e, TK_LPAREN) && pl_close_paren(P, e) > 0)
                pl_args(P, st, e + 1, pl_close_paren(P, e));
        } else if (pl_kw(P, x, "EXECUTE")) {
            ir_pblock_add(P->u, b, pl_hole(P, s, lp + 1, "FOR loop over dynamic SQL (FOR r IN EXECUTE ...)"));
        } else {
            st->query = pl_sql(P, x, lp, NULL, 0); /* NZPLSQL: FOR r IN SELECT ... LOOP */
        }
        pl_declare_var(P, var, 1);
    }
    add_label(P, st);
    st->loop_var = ir_intern(P->u->job, var);
    P->i = lp + 1;
    if (!loop_body(P, st, end_word, s, "FOR")) {
        unclosed(P, b, s, "FOR", end_word);
        return;
    }
    if (st->kind == IR_PS_FOR_QUERY && !st->name && liftable_body(&st->blocks[0])) {
        ir_pstmt *lifted = pl_try_lift(P, s, P->i, cursor, NULL);
        if (lifted) {
            ir_pblock_add(P->u, b, lifted);
            return;
        }
    }
    ir_pblock_add(P->u, b, st);
}

static void st_forall(plx *P, ir_pblock *b)
{
    int s = P->i++;
    const char *var = pl_tok_text(P, P->i);
    int in = P->i + 1;
    int e = pl_semi(P, s);
    /* the DML starts at the first INSERT/UPDATE/DELETE/MERGE/EXECUTE at depth 0 */
    int dml = -1;
    for (int k = in + 1; k < e && dml < 0; k++)
        if (pl_kw(P, k, "INSERT") || pl_kw(P, k, "UPDATE") || pl_kw(P, k, "DELETE") || pl_kw(P, k, "MERGE") ||
            pl_kw(P, k, "EXECUTE"))
            dml = k;
    int dots = dml > 0 ? range_dots(P, in + 1, dml) : -1;
    if (!pl_kw(P, in, "IN") || dml < 0 || dots < 0) {
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "FORALL over INDICES OF / VALUES OF is not translated"));
        finish(P, e);
        return;
    }
    int hi_end = dml;
    if (pl_kw(P, hi_end - 2, "SAVE") && pl_kw(P, hi_end - 1, "EXCEPTIONS"))
        hi_end -= 2;
    ir_pstmt *st = pl_step(P, IR_PS_FORALL, s, dml);
    st->loop_var = ir_intern(P->u->job, var);
    pl_declare_var(P, var, 0);
    st->lo = pl_expr(P, in + 1, dots);
    st->hi = pl_expr(P, dots + 2, hi_end);
    P->i = dml;
    stmt(P, ir_pstmt_body(P->u, st));
    ir_pblock_add(P->u, b, st);
}

/* EXIT / CONTINUE / LEAVE / ITERATE [label] [WHEN cond] */
static void st_exit(plx *P, ir_pblock *b, ir_pstmt_kind kind)
{
    int s = P->i++;
    int e = pl_semi(P, s);
    ir_pstmt *st = pl_step(P, kind, s, e);
    if (P->i < e && !pl_at(P, "WHEN")) {
        st->name = ir_intern(P->u->job, pl_tok_text(P, P->i));
        P->i++;
    }
    if (pl_accept(P, "WHEN")) {
        st->conds = arena_alloc(P->u->job->arena, sizeof *st->conds);
        st->conds[0] = pl_expr(P, P->i, e);
        st->n_conds = 1;
    }
    ir_pblock_add(P->u, b, st);
    finish(P, e);
}

/* a list of names [from, to) separated by commas into s->into_vars */
static void into_list(plx *P, ir_pstmt *s, int from, int to)
{
    for (int k = from; k < to; k++) {
        if (pl_is(P, k, TK_COMMA))
            continue;
        int e;
        const char *n = pl_dotted(P, k, &e);
        if (!n)
            continue;
        ir_pstmt_add_into(P->u, s, n[0] == ':' ? n + 1 : n);
        k = e - 1;
    }
}

/* the end of an INTO list starting at i: the first of FROM / USING / RETURNING / LIMIT / ';' */
static int into_end(const plx *P, int i, int e)
{
    for (; i < e; i++)
        if (pl_kw(P, i, "FROM") || pl_kw(P, i, "USING") || pl_kw(P, i, "RETURNING") || pl_kw(P, i, "LIMIT") ||
            pl_kw(P, i, "WHERE") || pl_kw(P, i, "GROUP") || pl_kw(P, i, "ORDER") || pl_kw(P, i, "UNION"))
            return i;
    return e;
}

static void st_select(plx *P, ir_pblock *b)
{
    int s = P->i;
    int e = pl_semi(P, s);
    int into = pl_find(P, s, "INTO", 0, 1);
    if (into < 0 || into > e) {
        ir_pblock_add(P->u, b, pl_sql_step(P, s, e, NULL, 0));
        finish(P, e);
        return;
    }
    int from = into, bulk = 0;
    if (pl_kw(P, into - 2, "BULK") && pl_kw(P, into - 1, "COLLECT")) {
        from = into - 2;
        bulk = 1;
    }
    int ie = into_end(P, into + 1, e);
    size_t blank[2] = {P->t[from].start, tok_end(P, ie - 1)};
    ir_pstmt *st = pl_sql_step(P, s, e, blank, 1);
    if (st->kind == IR_PS_SQL) {
        into_list(P, st, into + 1, ie);
        st->bulk = bulk;
    }
    ir_pblock_add(P->u, b, st);
    finish(P, e);
}

static void st_dml(plx *P, ir_pblock *b)
{
    int s = P->i;
    int e = pl_semi(P, s);
    int cur = pl_find(P, s, "CURRENT", 0, 1);
    if (cur > 0 && cur < e && pl_kw(P, cur - 1, "WHERE") && pl_kw(P, cur + 1, "OF")) {
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "positioned UPDATE/DELETE (WHERE CURRENT OF a cursor)"));
        finish(P, e);
        return;
    }
    int ret = pl_find(P, s, "RETURNING", 0, 1);
    if (ret < 0)
        ret = pl_find(P, s, "RETURN", 0, 1);
    if (ret > 0 && ret < e) {
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "DML with RETURNING ... INTO is not translated"));
        finish(P, e);
        return;
    }
    ir_pblock_add(P->u, b, pl_sql_step(P, s, e, NULL, 0));
    finish(P, e);
}

/* EXECUTE IMMEDIATE expr [[BULK COLLECT] INTO ..] [USING [IN|OUT|IN OUT] a, ..] */
static void st_execute_immediate(plx *P, ir_pblock *b, int s, int x)
{
    int e = pl_semi(P, s);
    int into = pl_find(P, x, "INTO", 0, 1);
    int using = pl_find(P, x, "USING", 0, 1);
    int ret = pl_find(P, x, "RETURNING", 0, 1);
    if (ret < 0)
        ret = pl_find(P, x, "RETURN", 0, 1);
    int ve = e;
    int bulk = 0;
    if (into >= 0 && into < ve) {
        ve = into;
        if (pl_kw(P, into - 2, "BULK") && pl_kw(P, into - 1, "COLLECT")) {
            ve = into - 2;
            bulk = 1;
        }
    }
    if (using >= 0 && using < ve)
        ve = using;
    if (ret >= 0 && ret < ve)
        ve = ret;
    ir_pstmt *st = pl_step(P, IR_PS_EXEC, s, e);
    st->value = pl_expr(P, x, ve);
    st->bulk = bulk;
    if (into >= 0 && into < e) {
        int ie = e;
        if (using > into && using < ie)
            ie = using;
        into_list(P, st, into + 1, ie);
    }
    if (using >= 0 && using < e) {
        int ue = ret > using && ret < e ? ret : e;
        /* bind modes IN / OUT / IN OUT are dropped: the binds are positional values */
        int a = using + 1;
        while (a < ue) {
            int c = pl_find(P, a, NULL, TK_COMMA, 0);
            if (c < 0 || c > ue)
                c = ue;
            int v = a;
            while (v < c && (pl_kw(P, v, "IN") || pl_kw(P, v, "OUT")))
                v++;
            if (v < c)
                ir_pstmt_add_arg(P->u, st, pl_expr(P, v, c));
            a = c + 1;
        }
    }
    if (ret >= 0 && ret < e) {
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "dynamic SQL with RETURNING INTO is not translated"));
        finish(P, e);
        return;
    }
    ir_pstmt *c = pl_constant_exec(P, st, s, e);
    ir_pblock_add(P->u, b, c ? c : st);
    finish(P, e);
}

static void st_raise(plx *P, ir_pblock *b)
{
    int s = P->i++;
    int e = pl_semi(P, s);
    static const char *const levels[] = {"NOTICE", "INFO", "DEBUG", "LOG", "WARNING"};
    for (size_t k = 0; k < sizeof levels / sizeof levels[0]; k++)
        if (pl_at(P, levels[k])) {
            /* NZPLSQL RAISE NOTICE 'fmt %', args: a message, not an error */
            ir_pstmt *st = pl_step(P, IR_PS_PRINT, s, e);
            int c = pl_find(P, P->i + 1, NULL, TK_COMMA, 0);
            if (c < 0 || c > e)
                c = e;
            st->value = pl_expr(P, P->i + 1, c);
            if (c < e)
                pl_args(P, st, c + 1, e);
            ir_pblock_add(P->u, b, st);
            finish(P, e);
            return;
        }
    ir_pstmt *st = pl_step(P, IR_PS_RAISE, s, e);
    if (pl_at(P, "EXCEPTION")) {
        int c = pl_find(P, P->i + 1, NULL, TK_COMMA, 0);
        if (c < 0 || c > e)
            c = e;
        st->value = pl_expr(P, P->i + 1, c);
        if (c < e)
            pl_args(P, st, c + 1, e);
    } else if (P->i < e) {
        st->name = ir_intern(P->u->job, pl_upper(P, pl_text(P, P->i, e)));
    }
    ir_pblock_add(P->u, b, st);
    finish(P, e);
}

/* SIGNAL / RESIGNAL [SQLSTATE [VALUE] 'x' | condition] [SET MESSAGE_TEXT = e] */
static void st_signal(plx *P, ir_pblock *b)
{
    int s = P->i++;
    int e = pl_semi(P, s);
    ir_pstmt *st = pl_step(P, IR_PS_RAISE, s, e);
    int set = pl_find(P, P->i, "SET", 0, 1);
    int he = set >= 0 && set < e ? set : e;
    if (pl_accept(P, "SQLSTATE")) {
        pl_accept(P, "VALUE");
        st->code = pl_expr(P, P->i, he);
    } else if (P->i < he) {
        st->name = ir_intern(P->u->job, pl_upper(P, pl_text(P, P->i, he)));
    }
    if (set >= 0 && set < e) {
        int eq = pl_find(P, set, NULL, TK_EQ, 1);
        if (eq > 0 && eq < e)
            st->value = pl_expr(P, eq + 1, e);
    }
    ir_pblock_add(P->u, b, st);
    finish(P, e);
}

static void st_call(plx *P, ir_pblock *b, int s, int x)
{
    int e = pl_semi(P, s);
    int ne;
    const char *name = pl_dotted(P, x, &ne);
    if (!name) {
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "call not recognised"));
        finish(P, e);
        return;
    }
    ir_pstmt *st = pl_step(P, IR_PS_CALL, s, e);
    st->name = ir_intern(P->u->job, name);
    if (pl_is(P, ne, TK_LPAREN)) {
        int c = pl_close_paren(P, ne);
        if (c > 0 && c < e)
            pl_args(P, st, ne + 1, c);
        if (P->d == SQLFE_SNOWFLAKE && c + 1 < e && pl_kw(P, c + 1, "INTO") && c + 3 == e) {
            /* Snowflake CALL p(..) INTO :v: what the procedure returned */
            ir_pstmt_add_into(P->u, st, strip_sigil(pl_tok_text(P, c + 2)));
            c = e - 1;
        }
        if (c + 1 < e) {
            ir_pblock_add(P->u, b, pl_hole(P, s, e, "call not recognised"));
            finish(P, e);
            return;
        }
    } else if (ne < e) {
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "statement not recognised"));
        finish(P, e);
        return;
    }
    ir_pblock_add(P->u, b, st);
    finish(P, e);
}

static void st_open_fetch_close(plx *P, ir_pblock *b)
{
    int s = P->i;
    int e = pl_semi(P, s);
    ir_pstmt_kind k = pl_at(P, "OPEN") ? IR_PS_OPEN : pl_at(P, "FETCH") ? IR_PS_FETCH : IR_PS_CLOSE;
    P->i++;
    if (k == IR_PS_FETCH) {
        while (pl_at(P, "NEXT") || pl_at(P, "FROM") || pl_at(P, "PRIOR") || pl_at(P, "FIRST") || pl_at(P, "LAST"))
            P->i++;
    }
    int ne;
    const char *name = pl_dotted(P, P->i, &ne);
    if (!name) {
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "cursor statement not recognised"));
        finish(P, e);
        return;
    }
    ir_pstmt *st = pl_step(P, k, s, e);
    st->name = ir_intern(P->u->job, name[0] == ':' ? name + 1 : name);
    P->i = ne;
    if (k == IR_PS_OPEN) {
        if (pl_is(P, P->i, TK_LPAREN)) {
            int c = pl_close_paren(P, P->i);
            if (c > 0) {
                pl_args(P, st, P->i + 1, c);
                P->i = c + 1;
            }
        }
        if (pl_accept(P, "FOR")) {
            int using = pl_find(P, P->i, "USING", 0, 1);
            int qe = using >= 0 && using < e ? using : e;
            if (pl_at(P, "SELECT") || pl_at(P, "WITH") || pl_is(P, P->i, TK_LPAREN)) {
                st->query = pl_sql(P, P->i, qe, NULL, 0);
                if (!st->query) {
                    ir_pblock_add(P->u, b, pl_hole(P, s, e, "the cursor's query does not parse"));
                    finish(P, e);
                    return;
                }
            } else {
                /* OPEN c FOR <string expression>: a dynamic query, its text run where the cursor opens */
                st->value = pl_expr(P, P->i, qe);
            }
            if (using >= 0 && using < e)
                pl_args(P, st, using + 1, e);
        } else if (pl_accept(P, "USING")) {
            pl_args(P, st, P->i, e);
        }
        /* DB2 / Teradata DECLARE c CURSOR FOR s; PREPARE s FROM text: the cursor runs s's text */
        const ir_var *cv = ir_pstmt_find_var(&P->u->body, st->name);
        if (!st->query && !st->value && cv && cv->kind == IR_VAR_CURSOR && !cv->query && cv->type_of) {
            st->value = ir_param_ref(P->u->job, cv->type_of);
            st->value->span = st->span;
        }
    } else if (k == IR_PS_FETCH) {
        if (pl_at(P, "BULK") && pl_kw(P, P->i + 1, "COLLECT")) {
            st->bulk = true;
            P->i += 2;
        }
        if (pl_accept(P, "INTO")) {
            int lim = pl_find(P, P->i, "LIMIT", 0, 1);
            int ie = lim >= 0 && lim < e ? lim : e;
            into_list(P, st, P->i, ie);
            if (lim >= 0 && lim < e)
                st->value = pl_expr(P, lim + 1, e);
        }
    }
    ir_pblock_add(P->u, b, st);
    finish(P, e);
}

/* a handler's conditions as written, upper case: "NO_DATA_FOUND", "SQLSTATE '23505'", "NOT FOUND" */
static void handler_conditions(plx *P, ir_handler *h, int from, int to, const char *sep)
{
    int a = from;
    while (a < to) {
        int c = a;
        while (c < to && !pl_kw(P, c, sep) && !(sep[0] == ',' && pl_is(P, c, TK_COMMA)))
            c++;
        if (c > a && !(c == a + 1 && (pl_kw(P, a, "OTHERS") || (pl_kw(P, a, "OTHER") && P->d == SQLFE_SNOWFLAKE))))
            ir_handler_add_condition(P->u, h, pl_upper(P, pl_text(P, a, c)));
        a = c + 1;
    }
}

/* EXCEPTION WHEN a [OR b] THEN ... [WHEN OTHERS THEN ...] */
static void exception_section(plx *P, ir_pstmt *blk)
{
    while (pl_at(P, "WHEN")) {
        int w = P->i++;
        int th = pl_find(P, P->i, "THEN", 0, 1);
        if (th < 0)
            break;
        ir_handler *h = ir_pstmt_add_handler(P->u, blk);
        h->span = pl_span(P, w);
        handler_conditions(P, h, P->i, th, "OR");
        P->i = th + 1;
        stmts(P, &h->body);
    }
}

/* BEGIN [ATOMIC] stmts [EXCEPTION handlers] END [label]; into blk (NULL: a new BLOCK step). Returns
 * the block, or NULL after an error (the caller makes the hole). */
static ir_pstmt *block(plx *P, ir_pstmt *blk, int start)
{
    int s = P->i;
    if (!pl_accept(P, "BEGIN"))
        return NULL;
    if (pl_at(P, "NOT") && pl_kw(P, P->i + 1, "ATOMIC"))
        P->i += 2;
    pl_accept(P, "ATOMIC");
    if (!blk)
        blk = pl_step(P, IR_PS_BLOCK, start, s + 1);
    ir_pstmt *saved = P->blk;
    P->blk = blk;
    stmts(P, ir_pstmt_body(P->u, blk));
    if (pl_accept(P, "EXCEPTION"))
        exception_section(P, blk);
    P->blk = saved;
    if (!expect_end(P, NULL, "BEGIN", s))
        return NULL;
    return blk;
}

static void st_block(plx *P, ir_pblock *b)
{
    int s = P->i;
    const char *label = P->pending_label;
    P->pending_label = NULL;
    ir_pstmt *blk = pl_step(P, IR_PS_BLOCK, s, s + 1);
    if (label)
        blk->name = ir_intern(P->u->job, label);
    if (pl_accept(P, "DECLARE")) {
        ir_pblock pre = {0};
        decls(P, blk, &pre);
        ir_pblock *body = ir_pstmt_body(P->u, blk);
        for (int i = 0; i < pre.n; i++)
            ir_pblock_add(P->u, body, pre.stmts[i]);
        if (!pl_at(P, "BEGIN")) {
            pl_warn(P, P->i, "BEGIN expected after the declarations of the block at line %d", line_of(P, s));
            unclosed(P, b, s, "DECLARE", NULL);
            return;
        }
    }
    if (!block(P, blk, s)) {
        unclosed(P, b, s, "BEGIN", NULL);
        return;
    }
    ir_pblock_add(P->u, b, blk);
}

/* ---- DB2 DECLARE inside a compound statement ---- */

static void db2_declare(plx *P, ir_pblock *b)
{
    int s = P->i++;
    int e = pl_semi(P, s);
    ir_pstmt *blk = P->blk ? P->blk : &P->u->body;
    if (pl_at(P, "CONTINUE") || pl_at(P, "EXIT") || pl_at(P, "UNDO")) {
        int is_continue = pl_at(P, "CONTINUE");
        int h = pl_find(P, P->i, "FOR", 0, 1);
        if (!pl_kw(P, P->i + 1, "HANDLER") || h < 0) {
            ir_pblock_add(P->u, b, pl_hole(P, s, e, "DECLARE not recognised"));
            finish(P, e);
            return;
        }
        /* the conditions end where the handler's statement starts */
        int c = h + 1;
        while (c < P->n) {
            if (pl_kw(P, c, "SQLSTATE")) {
                c += pl_kw(P, c + 1, "VALUE") ? 3 : 2;
            } else if (pl_kw(P, c, "NOT") && pl_kw(P, c + 1, "FOUND")) {
                c += 2;
            } else if (pl_kw(P, c, "SQLEXCEPTION") || pl_kw(P, c, "SQLWARNING")) {
                c++;
            } else if (pl_is(P, c, TK_IDENT) && (pl_is(P, c + 1, TK_COMMA) || pl_is(P, c + 1, TK_IDENT)) &&
                       !pl_kw(P, c, "SET") && !pl_kw(P, c, "BEGIN") && !pl_kw(P, c, "CALL") &&
                       !pl_kw(P, c, "INSERT") && !pl_kw(P, c, "UPDATE") && !pl_kw(P, c, "RESIGNAL") &&
                       !pl_kw(P, c, "SIGNAL") && !pl_kw(P, c, "GOTO") && !pl_kw(P, c, "LEAVE") &&
                       !pl_kw(P, c, "VALUES") && !pl_kw(P, c, "DELETE") && !pl_kw(P, c, "RETURN")) {
                c++;
            } else {
                break;
            }
            if (pl_is(P, c, TK_COMMA))
                c++;
            else
                break;
        }
        ir_handler *hd = ir_pstmt_add_handler(P->u, blk);
        hd->span = pl_span(P, s);
        hd->is_continue = is_continue;
        handler_conditions(P, hd, h + 1, c, ",");
        P->i = c;
        if (!pl_eof(P))
            stmt(P, &hd->body);
        /* a label (`HCS1: BEGIN .. END HCS1`) is read on its own: the statement it labels is the
         * handler's too, never a step of the enclosing block */
        if (P->pending_label && !pl_eof(P))
            stmt(P, &hd->body);
        if (pl_kw(P, s + 1, "UNDO"))
            ir_pblock_add(P->u, &hd->body,
                          pl_hole(P, s, s + 2, "UNDO handler: the compound statement's changes are rolled back"));
        return;
    }
    int ne = P->i;
    /* DECLARE name CONDITION FOR SQLSTATE 'x' */
    if (pl_kw(P, ne + 1, "CONDITION")) {
        ir_var *v = ir_pstmt_add_var(P->u, blk, pl_tok_text(P, ne), IR_VAR_EXCEPTION);
        v->span = pl_span(P, s);
        int st = pl_find(P, ne, "SQLSTATE", 0, 1);
        if (st >= 0 && st < e)
            v->type_of = ir_intern(P->u->job, pl_text(P, st + 1 + (pl_kw(P, st + 1, "VALUE") ? 1 : 0), e));
        finish(P, e);
        return;
    }
    /* DECLARE c CURSOR [WITH HOLD] [WITH RETURN ..] FOR select | FOR stmt_name */
    if (pl_kw(P, ne + 1, "CURSOR")) {
        const char *name = pl_tok_text(P, ne);
        ir_var *v = ir_pstmt_add_var(P->u, blk, name, IR_VAR_CURSOR);
        v->span = pl_span(P, s);
        int f = pl_find(P, ne + 2, "FOR", 0, 1);
        if (f >= 0 && f + 1 < e && (pl_kw(P, f + 1, "SELECT") || pl_kw(P, f + 1, "WITH") || pl_is(P, f + 1, TK_LPAREN))) {
            v->query = pl_sql(P, f + 1, e, NULL, 0);
            pl_cursor c = {ir_intern(P->u->job, name), P->t[f + 1].start, tok_end(P, e - 1), 0, s};
            ARENA_PUSH(P->a, P->cursors, P->n_cursors, P->cap_cursors, c);
            if (!v->query)
                ir_pblock_add(P->u, b, pl_hole(P, s, e, "the cursor's query does not parse"));
        } else if (f >= 0 && f + 1 < e) {
            v->type_of = ir_intern(P->u->job, pl_tok_text(P, f + 1)); /* a prepared statement */
        }
        if (pl_find(P, ne, "RETURN", 0, 1) > 0 && pl_find(P, ne, "RETURN", 0, 1) < e)
            ir_pblock_add(P->u, b, pl_step(P, IR_PS_COMMAND, s, e)); /* a result set for the caller */
        pl_declare(P, name);
        finish(P, e);
        return;
    }
    if (pl_kw(P, ne, "GLOBAL") || pl_kw(P, ne, "LOCAL")) {
        /* DECLARE GLOBAL TEMPORARY TABLE: read as CREATE GLOBAL TEMPORARY TABLE (same length, same
         * offsets: the copy's DECLARE becomes "CREATE ") */
        size_t o = P->t[s].start;
        char *c = arena_strndup(P->a, P->file->text + o, tok_end(P, e - 1) - o);
        memcpy(c, "CREATE ", 7);
        fwd f = {P, NULL};
        diag_ctx dc;
        diag_init(&dc, fwd_sink, &f);
        ir_stmt *stq = sqlfe_lower_stmt(P->u->job, c, strlen(c), P->d, &P->scope, pl_span(P, s), &dc);
        if (stq) {
            stq->temporary = true;
            ir_pstmt *q = pl_step(P, IR_PS_SQL, s, e);
            q->stmt = stq;
            ir_pblock_add(P->u, b, q);
        } else {
            ir_pblock_add(P->u, b, pl_hole(P, s, e, "DECLARE GLOBAL TEMPORARY TABLE does not parse"));
        }
        finish(P, e);
        return;
    }
    /* DECLARE a[, b] type [DEFAULT x | = x] */
    int names_end = ne;
    while (pl_is(P, names_end, TK_IDENT) && pl_is(P, names_end + 1, TK_COMMA))
        names_end += 2;
    int ts = names_end + 1;
    int def = pl_find(P, ts, "DEFAULT", 0, 1);
    if (def < 0 || def > e)
        def = e;
    const char *type_of = NULL;
    ir_var_kind kind = IR_VAR_SCALAR;
    ir_type ty = pl_type(P, ts, def, &type_of, &kind);
    for (int k = ne; k <= names_end; k += 2) {
        ir_var *v = ir_pstmt_add_var(P->u, blk, pl_tok_text(P, k), kind == IR_VAR_CURSOR ? IR_VAR_CURSOR : kind);
        v->type = ty;
        v->type_of = type_of ? ir_intern(P->u->job, type_of) : NULL;
        v->span = pl_span(P, s);
        if (def < e)
            v->init = pl_expr(P, def + 1, e);
        ir_param *jp = ir_job_param(P->u->job, v->name);
        if (jp)
            jp->type = ty;
        pl_declare(P, v->name);
    }
    finish(P, e);
}

/* SET v = expr (DB2, NZPLSQL); Oracle SET TRANSACTION is a command */
static void st_set(plx *P, ir_pblock *b)
{
    int s = P->i++;
    int e = pl_semi(P, s);
    if (pl_at(P, "TRANSACTION") || pl_at(P, "ROLE") || pl_at(P, "CURRENT") || pl_at(P, "SCHEMA") ||
        pl_at(P, "PATH") || pl_at(P, "ISOLATION") || pl_at(P, "CONSTRAINTS")) {
        ir_pblock_add(P->u, b, pl_step(P, IR_PS_COMMAND, s, e));
        finish(P, e);
        return;
    }
    int eq = pl_find(P, P->i, NULL, TK_EQ, 1);
    int te;
    const char *target = pl_dotted(P, P->i, &te);
    if (!target || eq != te) {
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "SET of several variables or a row is not translated"));
        finish(P, e);
        return;
    }
    ir_pstmt *st = pl_step(P, IR_PS_ASSIGN, s, e);
    st->target = ir_intern(P->u->job, target);
    st->value = pl_expr(P, eq + 1, e);
    ir_pblock_add(P->u, b, st);
    finish(P, e);
}

static int sql_verb(const plx *P, int i)
{
    static const char *const w[] = {"INSERT", "UPDATE", "DELETE", "MERGE",   "CREATE", "DROP",    "TRUNCATE",
                                    "ALTER",  "GRANT",  "REVOKE", "LOCK",    "COMMENT", "ANALYZE", "UPSERT",
                                    "RENAME", "REFRESH", "GENERATE", "GROOM", "REORG"};
    for (size_t k = 0; k < sizeof w / sizeof w[0]; k++)
        if (pl_kw(P, i, w[k]))
            return 1;
    return 0;
}

/* Oracle conditional compilation: the token's text starts with "$if" / "$end" ... */
static int cc_word(const plx *P, int i, const char *w)
{
    size_t n = strlen(w);
    return i < P->n && P->t[i].len >= n && strncasecmp(P->file->text + P->t[i].start, w, n) == 0 &&
           (P->t[i].len == n || (i + 1 < P->n && P->t[i + 1].start == P->t[i].start + n));
}

/* At $IF: the index after its $END, or -1 when s is no $IF. */
static int cc_skip(const plx *P, int s)
{
    if (!(cc_word(P, s, "$if") || (s < P->n && P->file->text[P->t[s].start] == '$' && pl_kw(P, s + 1, "IF") &&
                                   P->t[s + 1].start == P->t[s].start + 1)))
        return -1;
    int depth = 0, k = s;
    for (; k < P->n; k++) {
        const char *x = P->file->text + P->t[k].start;
        if (x[0] == '$' && (strncasecmp(x + 1, "if", 2) == 0 || (P->t[k].len == 1 && pl_kw(P, k + 1, "IF"))))
            depth++;
        else if (x[0] == '$' && (strncasecmp(x + 1, "end", 3) == 0 || (P->t[k].len == 1 && pl_kw(P, k + 1, "END"))))
            if (--depth == 0)
                break;
    }
    return k < P->n ? k + (P->t[k].len == 1 ? 2 : 1) : P->n;
}

/* Snowflake Scripting LET: a declaration in the middle of a body. LET c CURSOR FOR query, LET name
 * [type] {:= | DEFAULT} expr; a RESULTSET (a query's rows held in a variable) has no IR form. */
static void st_let(plx *P, ir_pblock *b)
{
    int s = P->i, e = pl_semi(P, s);
    const char *name = pl_tok_text(P, s + 1);
    ir_pstmt *st = pl_step(P, IR_PS_DECLARE, s, e);
    if (pl_kw(P, s + 2, "CURSOR") && pl_kw(P, s + 3, "FOR") && s + 4 < e) {
        ir_var *v = ir_unit_new_var(P->u, name, IR_VAR_CURSOR);
        v->span = pl_span(P, s);
        v->query = pl_sql(P, s + 4, e, NULL, 0);
        if (!v->query) {
            ir_pblock_add(P->u, b, pl_hole(P, s, e, "the cursor's query does not parse (or is a RESULTSET)"));
            finish(P, e);
            return;
        }
        pl_cursor c = {ir_intern(P->u->job, name), P->t[s + 4].start, tok_end(P, e - 1), 0, s};
        ARENA_PUSH(P->a, P->cursors, P->n_cursors, P->cap_cursors, c);
        pl_declare(P, name);
        st->var = v;
        ir_pblock_add(P->u, b, st);
        finish(P, e);
        return;
    }
    int init = pl_find(P, s + 2, NULL, TK_ASSIGN, 1);
    int def = pl_find(P, s + 2, "DEFAULT", 0, 1);
    if (init < 0 || init > e || (def >= 0 && def < init))
        init = def;
    if (init < 0 || init >= e || pl_kw(P, s + 2, "RESULTSET") || pl_kw(P, s + 2, "CURSOR")) {
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "LET of a RESULTSET or without a value is not translated"));
        finish(P, e);
        return;
    }
    ir_var *v = ir_unit_new_var(P->u, name, IR_VAR_SCALAR);
    v->span = pl_span(P, s);
    if (init > s + 2)
        v->type = pl_type(P, s + 2, init, NULL, NULL);
    v->init = pl_expr(P, init + 1, e);
    pl_declare(P, name);
    st->var = v;
    ir_pblock_add(P->u, b, st);
    finish(P, e);
}

static void stmt(plx *P, ir_pblock *b)
{
    int s = P->i;
    if (cc_skip(P, s) >= 0) {
        /* $IF .. $THEN .. [$ELSIF / $ELSE ..] $END: the branch is chosen at compile time */
        int depth = 0, k = s;
        for (; k < P->n; k++) {
            const char *x = P->file->text + P->t[k].start;
            if (x[0] == '$' && (strncasecmp(x + 1, "if", 2) == 0 || (P->t[k].len == 1 && pl_kw(P, k + 1, "IF"))))
                depth++;
            else if (x[0] == '$' && (strncasecmp(x + 1, "end", 3) == 0 || (P->t[k].len == 1 && pl_kw(P, k + 1, "END"))))
                if (--depth == 0)
                    break;
        }
        int e = k < P->n ? k + (P->t[k].len == 1 ? 2 : 1) : P->n;
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "conditional compilation ($IF ... $END) is not translated"));
        P->i = e;
        return;
    }
    /* labels: <<name>> (Oracle), name: (DB2) */
    if (pl_is(P, s, TK_LT) && pl_is(P, s + 1, TK_LT) && pl_is(P, s + 2, TK_IDENT) && pl_is(P, s + 3, TK_GT) &&
        pl_is(P, s + 4, TK_GT)) {
        const char *label = pl_tok_text(P, s + 2);
        P->i = s + 5;
        if (pl_at(P, "LOOP") || pl_at(P, "WHILE") || pl_at(P, "FOR") || pl_at(P, "BEGIN") || pl_at(P, "DECLARE")) {
            P->pending_label = label;
        } else {
            ir_pstmt *l = pl_step(P, IR_PS_LABEL, s, s + 5);
            l->name = ir_intern(P->u->job, label);
            ir_pblock_add(P->u, b, l);
        }
        return;
    }
    if (pl_is(P, s, TK_IDENT) && pl_is(P, s + 1, TK_COLON) &&
        (pl_kw(P, s + 2, "LOOP") || pl_kw(P, s + 2, "WHILE") || pl_kw(P, s + 2, "FOR") || pl_kw(P, s + 2, "REPEAT") ||
         pl_kw(P, s + 2, "BEGIN"))) {
        P->pending_label = pl_tok_text(P, s);
        P->i = s + 2;
        return;
    }
    if ((P->d == SQLFE_DB2 || P->d == SQLFE_TERADATA) && pl_is(P, s, TK_IDENT) && pl_is(P, s + 1, TK_COLON) &&
        !pl_is(P, s + 2, TK_SEMI)) {
        /* SQL PL `name:` before any other statement: a GOTO target */
        ir_pstmt *l = pl_step(P, IR_PS_LABEL, s, s + 2);
        l->name = ir_intern(P->u->job, pl_tok_text(P, s));
        ir_pblock_add(P->u, b, l);
        P->i = s + 2;
        return;
    }
    if (pl_at(P, "IF")) {
        st_if(P, b);
    } else if (pl_at(P, "CASE")) {
        st_case(P, b);
    } else if (pl_at(P, "LOOP")) {
        st_loop(P, b);
    } else if (pl_at(P, "WHILE")) {
        st_while(P, b);
    } else if (pl_at(P, "REPEAT")) {
        st_repeat(P, b);
    } else if (pl_at(P, "FOR")) {
        st_for(P, b);
    } else if (pl_at(P, "FORALL")) {
        st_forall(P, b);
    } else if ((pl_at(P, "BEGIN") && (pl_kw(P, s + 1, "TRANSACTION") || pl_kw(P, s + 1, "WORK"))) ||
               (pl_at(P, "START") && pl_kw(P, s + 1, "TRANSACTION"))) {
        int e = pl_semi(P, s);
        ir_pblock_add(P->u, b, pl_step(P, IR_PS_BEGIN_TXN, s, e));
        finish(P, e);
    } else if (pl_at(P, "BEGIN")) {
        st_block(P, b);
    } else if (pl_at(P, "LET") && P->d == SQLFE_SNOWFLAKE) {
        st_let(P, b);
    } else if (pl_at(P, "DECLARE")) {
        if (P->d == SQLFE_DB2 || (P->d != SQLFE_ORACLE && P->d != SQLFE_NETEZZA && !pl_kw(P, s + 2, "BEGIN")))
            db2_declare(P, b);
        else
            st_block(P, b);
    } else if (pl_at(P, "EXIT") || pl_at(P, "LEAVE") || (pl_at(P, "BREAK") && P->d == SQLFE_SNOWFLAKE)) {
        st_exit(P, b, IR_PS_EXIT);
    } else if (pl_at(P, "CONTINUE") || pl_at(P, "ITERATE")) {
        st_exit(P, b, IR_PS_CONTINUE);
    } else if (pl_at(P, "RETURN")) {
        int e = pl_semi(P, s);
        ir_pstmt *st = pl_step(P, IR_PS_RETURN, s, e);
        if (s + 1 < e)
            st->value = pl_expr(P, s + 1, e);
        ir_pblock_add(P->u, b, st);
        finish(P, e);
    } else if (pl_at(P, "NULL") && pl_is(P, s + 1, TK_SEMI)) {
        ir_pblock_add(P->u, b, pl_step(P, IR_PS_COMMAND, s, s + 1));
        finish(P, s + 1);
    } else if (pl_at(P, "GOTO")) {
        int e = pl_semi(P, s);
        ir_pstmt *st = pl_step(P, IR_PS_GOTO, s, e);
        st->name = ir_intern(P->u->job, pl_tok_text(P, s + 1));
        ir_pblock_add(P->u, b, st);
        finish(P, e);
    } else if (pl_at(P, "RAISE")) {
        st_raise(P, b);
    } else if (pl_at(P, "RAISE_APPLICATION_ERROR") && pl_is(P, s + 1, TK_LPAREN)) {
        int e = pl_semi(P, s);
        int c = pl_close_paren(P, s + 1);
        ir_pstmt *st = pl_step(P, IR_PS_RAISE, s, e);
        int comma = pl_find(P, s + 2, NULL, TK_COMMA, 0);
        if (c > 0 && comma > 0 && comma < c) {
            st->code = pl_expr(P, s + 2, comma);
            int c2 = pl_find(P, comma + 1, NULL, TK_COMMA, 0);
            st->value = pl_expr(P, comma + 1, c2 > 0 && c2 < c ? c2 : c);
        }
        ir_pblock_add(P->u, b, st);
        finish(P, e);
    } else if (pl_at(P, "SIGNAL") || pl_at(P, "RESIGNAL")) {
        st_signal(P, b);
    } else if (pl_at(P, "OPEN") || pl_at(P, "FETCH") || pl_at(P, "CLOSE")) {
        st_open_fetch_close(P, b);
    } else if ((pl_at(P, "EXECUTE") || pl_at(P, "EXEC")) && pl_kw(P, s + 1, "IMMEDIATE")) {
        st_execute_immediate(P, b, s, s + 2);
    } else if (pl_at(P, "EXECUTE") && (P->d == SQLFE_NETEZZA || !(pl_is(P, s + 1, TK_IDENT) ||
                                                                  pl_is(P, s + 1, TK_QIDENT)))) {
        /* NZPLSQL (as PL/pgSQL) EXECUTE expr: the text of a string expression run as SQL */
        st_execute_immediate(P, b, s, s + 1);
    } else if (pl_at(P, "EXECUTE") && P->d != SQLFE_ORACLE) {
        /* DB2 EXECUTE stmt_name [INTO ..] [USING ..]: the text PREPAREd into stmt_name */
        int e = pl_semi(P, s);
        ir_pstmt *st = pl_step(P, IR_PS_EXEC, s, e);
        const char *name = pl_tok_text(P, s + 1);
        st->value = ir_param_ref(P->u->job, name);
        st->value->span = pl_span(P, s + 1);
        int into = pl_find(P, s + 2, "INTO", 0, 1);
        int using = pl_find(P, s + 2, "USING", 0, 1);
        if (into > 0 && into < e)
            into_list(P, st, into + 1, using > into && using < e ? using : e);
        if (using > 0 && using < e)
            pl_args(P, st, using + 1, into > using && into < e ? into : e);
        ir_pblock_add(P->u, b, st);
        finish(P, e);
    } else if (pl_at(P, "PREPARE")) {
        /* PREPARE s FROM expr: the statement name holds the text (a variable) */
        int e = pl_semi(P, s);
        int from = pl_find(P, s + 1, "FROM", 0, 1);
        if (from < 0 || from > e) {
            ir_pblock_add(P->u, b, pl_hole(P, s, e, "PREPARE not recognised"));
        } else {
            const char *name = pl_tok_text(P, s + 1);
            pl_declare_var(P, name, 0);
            if (!ir_pstmt_find_var(&P->u->body, name)) { /* a variable of the unit, declared where it is printed */
                ir_var *v = ir_pstmt_add_var(P->u, &P->u->body, name, IR_VAR_SCALAR);
                v->type = ir_type_make(IR_TY_STRING, 0, 0);
                v->span = pl_span(P, s);
            }
            ir_pstmt *st = pl_step(P, IR_PS_ASSIGN, s, e);
            st->target = ir_intern(P->u->job, name);
            st->value = pl_expr(P, from + 1, e);
            ir_pblock_add(P->u, b, st);
        }
        finish(P, e);
    } else if (pl_at(P, "CALL") || (pl_at(P, "EXEC") && P->d == SQLFE_ORACLE)) {
        st_call(P, b, s, s + 1);
    } else if (pl_at(P, "COMMIT")) {
        int e = pl_semi(P, s);
        ir_pblock_add(P->u, b, pl_step(P, IR_PS_COMMIT, s, e));
        finish(P, e);
    } else if (pl_at(P, "ROLLBACK")) {
        int e = pl_semi(P, s);
        ir_pstmt *st = pl_step(P, IR_PS_ROLLBACK, s, e);
        int to = pl_find(P, s, "TO", 0, 1);
        if (to > 0 && to < e) {
            int n = to + 1 + (pl_kw(P, to + 1, "SAVEPOINT") ? 1 : 0);
            st->name = ir_intern(P->u->job, pl_tok_text(P, n));
        }
        ir_pblock_add(P->u, b, st);
        finish(P, e);
    } else if (pl_at(P, "SAVEPOINT")) {
        int e = pl_semi(P, s);
        ir_pstmt *st = pl_step(P, IR_PS_BEGIN_TXN, s, e);
        st->name = ir_intern(P->u->job, pl_tok_text(P, s + 1));
        ir_pblock_add(P->u, b, st);
        finish(P, e);
    } else if (pl_at(P, "SET")) {
        st_set(P, b);
    } else if (pl_at(P, "SELECT") || pl_at(P, "WITH") || (pl_is(P, s, TK_LPAREN) && pl_kw(P, s + 1, "SELECT"))) {
        st_select(P, b);
    } else if (sql_verb(P, s)) {
        st_dml(P, b);
    } else if (pl_at(P, "GET") && pl_kw(P, s + 1, "DIAGNOSTICS")) {
        int e = pl_semi(P, s);
        ir_pblock_add(P->u, b,
                      pl_hole(P, s, e, "GET DIAGNOSTICS (the outcome of the last statement) has no IR form yet"));
        finish(P, e);
    } else if (pl_at(P, "PIPE")) {
        int e = pl_semi(P, s);
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "PIPE ROW (a pipelined function's row) is not translated"));
        finish(P, e);
    } else if (pl_at(P, "DBMS_OUTPUT") && pl_is(P, s + 1, TK_DOT) &&
               (pl_kw(P, s + 2, "PUT_LINE") || pl_kw(P, s + 2, "PUT")) && pl_is(P, s + 3, TK_LPAREN)) {
        int e = pl_semi(P, s);
        int c = pl_close_paren(P, s + 3);
        ir_pstmt *st = pl_step(P, IR_PS_PRINT, s, e);
        st->value = pl_expr(P, s + 4, c > 0 ? c : e);
        ir_pblock_add(P->u, b, st);
        finish(P, e);
    } else if (pl_is(P, s, TK_IDENT) || pl_is(P, s, TK_QIDENT) || pl_is(P, s, TK_PARAM)) {
        int e = pl_semi(P, s);
        int as = pl_find(P, s, NULL, TK_ASSIGN, 1);
        int plain = 1; /* the target a name or a record's field: name[.name]... */
        for (int k = s; k < as; k++)
            if (!((k - s) % 2 ? pl_is(P, k, TK_DOT) : (pl_is(P, k, TK_IDENT) || pl_is(P, k, TK_QIDENT) ||
                                                        pl_is(P, k, TK_PARAM))))
                plain = 0;
        if (as > s && as < e && (!plain || (as - s) % 2 == 0 || is_collection(P, strip_sigil(pl_tok_text(P, s))))) {
            ir_pblock_add(P->u, b, pl_hole(P, s, e, "assignment to a collection element or another expression "
                                                    "(collections have no IR form)"));
            finish(P, e);
        } else if (as > s && as < e) {
            ir_pstmt *st = pl_step(P, IR_PS_ASSIGN, s, e);
            const char *target = pl_text(P, s, as);
            st->target = ir_intern(P->u->job, target[0] == ':' ? target + 1 : target);
            st->value = pl_expr(P, as + 1, e);
            ir_pblock_add(P->u, b, st);
            finish(P, e);
        } else if (!stop_word(P)) {
            st_call(P, b, s, s);
        }
    } else {
        int e = pl_semi(P, s);
        ir_pblock_add(P->u, b, pl_hole(P, s, e, "statement not recognised"));
        finish(P, e);
    }
}

void pl_stmt(plx *P, ir_pblock *b)
{
    stmt(P, b);
}

/* ---- declarations (Oracle / NZPLSQL declare sections) ---- */

static void subprogram(plx *P, int s);
static void after_body(plx *P, ir_unit *u);

static void decls(plx *P, ir_pstmt *blk, ir_pblock *pre)
{
    while (!pl_eof(P) && !pl_at(P, "BEGIN") && !pl_at(P, "END")) {
        int s = P->i;
        if (pl_is(P, s, TK_SEMI)) {
            P->i++;
            continue;
        }
        if (pl_at(P, "DECLARE")) { /* NZPLSQL repeats DECLARE; DB2 style inside Oracle is rare */
            P->i++;
            continue;
        }
        int cc = cc_skip(P, s);
        if (cc >= 0) {
            ir_pblock_add(P->u, pre, pl_hole(P, s, cc, "conditional compilation ($IF ... $END) is not translated"));
            P->i = cc;
            continue;
        }
        int e = pl_semi(P, s);
        if (pl_at(P, "PROCEDURE") || pl_at(P, "FUNCTION")) {
            subprogram(P, s);
            continue;
        }
        int sf_cursor = P->d == SQLFE_SNOWFLAKE && pl_kw(P, s + 1, "CURSOR") && pl_kw(P, s + 2, "FOR");
        if (pl_at(P, "CURSOR") || sf_cursor) { /* Snowflake: name CURSOR FOR query */
            const char *name = pl_tok_text(P, sf_cursor ? s : s + 1);
            int k = s + 2, has_params = 0;
            if (pl_is(P, k, TK_LPAREN)) {
                int c = pl_close_paren(P, k);
                /* cursor parameters are names the query reads */
                for (int m = k + 1; c > 0 && m < c; m++)
                    if (pl_is(P, m, TK_IDENT) && (pl_is(P, m - 1, TK_LPAREN) || pl_is(P, m - 1, TK_COMMA)))
                        pl_declare(P, pl_tok_text(P, m));
                k = c > 0 ? c + 1 : k + 1;
                has_params = 1;
            }
            int is = pl_find(P, k, "IS", 0, 1);
            if (is < 0)
                is = pl_find(P, k, "FOR", 0, 1); /* NZPLSQL: CURSOR c FOR select */
            ir_var *v = ir_pstmt_add_var(P->u, blk, name, IR_VAR_CURSOR);
            v->span = pl_span(P, s);
            if (is >= 0 && is < e) {
                v->query = pl_sql(P, is + 1, e, NULL, 0);
                pl_cursor c = {ir_intern(P->u->job, name), P->t[is + 1].start, tok_end(P, e - 1), has_params, s};
                ARENA_PUSH(P->a, P->cursors, P->n_cursors, P->cap_cursors, c);
                if (!v->query)
                    ir_pblock_add(P->u, pre, pl_hole(P, s, e, "the cursor's query does not parse"));
            }
            pl_declare(P, name);
            finish(P, e);
            continue;
        }
        if (pl_at(P, "TYPE") || pl_at(P, "SUBTYPE")) {
            const char *name = pl_upper(P, pl_tok_text(P, s + 1));
            ir_var_kind k = IR_VAR_SCALAR;
            if (pl_find(P, s, "TABLE", 0, 1) > 0 || pl_find(P, s, "VARRAY", 0, 1) > 0 ||
                pl_find(P, s, "ARRAY", 0, 1) > 0)
                k = IR_VAR_TABLE;
            else if (pl_find(P, s, "RECORD", 0, 1) > 0)
                k = IR_VAR_ROW;
            else if (pl_find(P, s, "CURSOR", 0, 1) > 0)
                k = IR_VAR_CURSOR;
            int n_t = P->n_types;
            ARENA_PUSH(P->a, P->types, P->n_types, P->cap_types, name);
            ARENA_PUSH(P->a, P->type_kinds, n_t, P->cap_type_kinds, k);
            finish(P, e);
            continue;
        }
        if (pl_at(P, "PRAGMA")) {
            ir_pblock_add(P->u, pre, pl_step(P, IR_PS_COMMAND, s, e));
            finish(P, e);
            continue;
        }
        if (!pl_is(P, s, TK_IDENT) && !pl_is(P, s, TK_QIDENT)) {
            ir_pblock_add(P->u, pre, pl_hole(P, s, e, "declaration not recognised"));
            finish(P, e);
            continue;
        }
        const char *name = pl_tok_text(P, s);
        int k = s + 1;
        if (pl_kw(P, k, "EXCEPTION") && (k + 1 == e || (P->d == SQLFE_SNOWFLAKE && pl_is(P, k + 1, TK_LPAREN) &&
                                                          pl_close_paren(P, k + 1) == e - 1))) {
            ir_var *v = ir_pstmt_add_var(P->u, blk, name, IR_VAR_EXCEPTION);
            v->span = pl_span(P, s);
            finish(P, e);
            continue;
        }
        if (pl_kw(P, k, "ALIAS") && pl_kw(P, k + 1, "FOR")) {
            /* NZPLSQL: name ALIAS FOR $1 */
            ir_var *v = ir_pstmt_add_var(P->u, blk, name, IR_VAR_SCALAR);
            v->span = pl_span(P, s);
            const char *pos = pl_text(P, k + 2, e);
            if (pos[0] == '$' && pos[1] >= '0' && pos[1] <= '9')
                v->init = ir_param_ref(P->u->job, pos); /* the positional parameter $n */
            else
                v->init = pl_expr(P, k + 2, e);
            pl_declare(P, name);
            finish(P, e);
            continue;
        }
        int constant = pl_kw(P, k, "CONSTANT");
        if (constant)
            k++;
        int init = pl_find(P, k, NULL, TK_ASSIGN, 1);
        int def = pl_find(P, k, "DEFAULT", 0, 1);
        if (init < 0 || init > e || (def >= 0 && def < init))
            init = def;
        int te = init >= 0 && init < e ? init : e;
        int nn = pl_find(P, k, "NOT", 0, 1);
        if (nn >= 0 && nn < te && pl_kw(P, nn + 1, "NULL"))
            te = nn;
        const char *type_of = NULL;
        ir_var_kind kind = IR_VAR_SCALAR;
        ir_type ty = pl_type(P, k, te, &type_of, &kind);
        ir_var *v = ir_pstmt_add_var(P->u, blk, name, kind);
        if (kind == IR_VAR_TABLE) /* a PL/SQL collection: its elements, methods and assignments are holes */
            ARENA_PUSH(P->a, P->collections, P->n_collections, P->cap_collections, arena_strdup(P->a, name));
        v->type = ty;
        v->type_of = type_of ? ir_intern(P->u->job, type_of) : NULL;
        v->constant = constant;
        v->span = pl_span(P, s);
        ir_param *jp = ir_job_param(P->u->job, name);
        if (jp)
            jp->type = ty;
        if (init >= 0 && init < e)
            v->init = pl_expr(P, init + 1, e);
        if (kind == IR_VAR_ROW)
            pl_declare_record(P, name);
        else
            pl_declare(P, name);
        finish(P, e);
    }
}

/* ---- units ---- */

/* The status variables a body may read without declaring them (Oracle SQLCODE / SQLERRM, DB2 and
 * Teradata SQLCODE / SQLSTATE, Teradata ACTIVITY_COUNT, Netezza ROW_COUNT): variables of the unit. */
static void builtin_vars(plx *P)
{
    static const struct {
        sqlfe_dialect d;
        const char *name;
        ir_type_kind k;
    } v[] = {
        {SQLFE_ORACLE, "SQLCODE", IR_TY_INT},   {SQLFE_ORACLE, "SQLERRM", IR_TY_STRING},
        {SQLFE_DB2, "SQLCODE", IR_TY_INT},      {SQLFE_DB2, "SQLSTATE", IR_TY_STRING},
        {SQLFE_TERADATA, "SQLCODE", IR_TY_INT}, {SQLFE_TERADATA, "SQLSTATE", IR_TY_STRING},
        {SQLFE_TERADATA, "ACTIVITY_COUNT", IR_TY_BIGINT}, {SQLFE_NETEZZA, "ROW_COUNT", IR_TY_BIGINT},
        {SQLFE_NETEZZA, "SQLERRM", IR_TY_STRING}, {SQLFE_SNOWFLAKE, "SQLCODE", IR_TY_INT},
        {SQLFE_SNOWFLAKE, "SQLERRM", IR_TY_STRING}, {SQLFE_SNOWFLAKE, "SQLSTATE", IR_TY_STRING},
    };
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        if (v[k].d == P->d) {
            pl_declare_var(P, v[k].name, 0);
            ir_job_param(P->u->job, v[k].name)->type = ir_type_make(v[k].k, 0, 0);
        }
}

ir_unit *pl_new_unit(plx *P, ir_unit_kind kind, const char *name, int s)
{
    ir_unit *u = ir_unit_new(kind, name);
    u->dialect = ir_intern(u->job, sqlfe_dialect_name(P->d));
    u->file = ir_intern(u->job, P->path);
    u->job->format = "sql";
    u->job->file = u->file;
    ir_unit *saved = P->u;
    P->u = u;
    u->span = pl_span(P, s);
    u->job->line = u->span.line;
    u->body.span = u->span;
    P->u = saved;
    return u;
}

void pl_emit(plx *P, ir_unit *u)
{
    unit_sink *k = P->sink;
    if (k && k->fn) {
        k->n++;
        k->fn(k->ud, u);
    } else {
        if (k)
            k->n++;
        ir_unit_free(u);
    }
}

/* Parameters in ( ... ) at i (the '('): Oracle "p [IN|OUT|IN OUT] [NOCOPY] type [:= | DEFAULT x]",
 * DB2 "[IN|OUT|INOUT] p type [DEFAULT x]", NZPLSQL "type" (positional: $1, $2 ...). Returns the
 * index after ')'. */
static int params(plx *P, int i)
{
    int c = pl_close_paren(P, i);
    if (c < 0)
        return i + 1;
    int a = i + 1, pos = 0;
    while (a < c) {
        int e = pl_find(P, a, NULL, TK_COMMA, 0);
        if (e < 0 || e > c)
            e = c;
        pos++;
        ir_param_mode mode = IR_PARAM_IN;
        int k = a;
        int db2_mode = (pl_kw(P, k, "IN") || pl_kw(P, k, "OUT") || pl_kw(P, k, "INOUT")) && e - k >= 3;
        const char *name = NULL;
        if (db2_mode) {
            mode = pl_kw(P, k, "IN") ? IR_PARAM_IN : pl_kw(P, k, "OUT") ? IR_PARAM_OUT : IR_PARAM_INOUT;
            k++;
            name = pl_tok_text(P, k++);
        } else if (P->d == SQLFE_NETEZZA && type_end(P, k) >= e) {
            name = arena_printf(P->a, "$%d", pos); /* positional */
        } else {
            name = pl_tok_text(P, k++);
            if (pl_kw(P, k, "IN") && pl_kw(P, k + 1, "OUT")) {
                mode = IR_PARAM_INOUT;
                k += 2;
            } else if (pl_kw(P, k, "IN")) {
                k++;
            } else if (pl_kw(P, k, "OUT")) {
                mode = IR_PARAM_OUT;
                k++;
            } else if (pl_kw(P, k, "INOUT")) {
                mode = IR_PARAM_INOUT;
                k++;
            }
            if (pl_kw(P, k, "NOCOPY"))
                k++;
        }
        int def = pl_find(P, k, NULL, TK_ASSIGN, 0);
        int d2 = pl_find(P, k, "DEFAULT", 0, 0);
        if (def < 0 || def > e || (d2 >= 0 && d2 < def))
            def = d2;
        int te = def >= 0 && def < e ? def : e;
        const char *type_of = NULL;
        ir_type ty = pl_type(P, P->d == SQLFE_NETEZZA && !db2_mode && name[0] == '$' ? a : k, te, &type_of, NULL);
        ir_unit_param *p = ir_unit_add_param(P->u, name, mode, ty);
        p->span = pl_span(P, a);
        if (def >= 0 && def < e)
            p->default_value = pl_expr(P, def + 1, e);
        pl_declare(P, name);
        a = e + 1;
    }
    return c + 1;
}

/* a $$ / $body$ quote opening or closing a PostgreSQL-style body */
static int dollar_quote(const plx *P, int i)
{
    return i < P->n && P->file->text[P->t[i].start] == '$' && P->t[i].len >= 2 &&
           P->file->text[P->t[i].start + P->t[i].len - 1] == '$';
}

/* Reads the body of a unit from P->i (after the header): Oracle IS/AS decls BEGIN ... END,
 * NZPLSQL AS BEGIN_PROC [DECLARE ..] BEGIN .. END; END_PROC, DB2 [label:] BEGIN .. END, DB2
 * functions RETURN expr. */
static void unit_body(plx *P, int s)
{
    ir_unit *u = P->u;
    ir_pstmt *body = &u->body;
    /* the header's options up to the body */
    int k = P->i;
    for (; k < P->n; k++) {
        int cc = cc_skip(P, k);
        if (cc > k)
            k = cc;
        if (pl_kw(P, k, "BEGIN_PROC") || pl_kw(P, k, "BEGIN"))
            break;
        if ((pl_kw(P, k, "IS") || pl_kw(P, k, "AS")) && !pl_kw(P, k + 1, "BEGIN_PROC") &&
            !(pl_kw(P, k - 1, "EXECUTE")) && !pl_kw(P, k + 1, "OWNER") && !pl_kw(P, k + 1, "CALLER"))
            break;
        if (pl_kw(P, k, "RETURN") && P->d == SQLFE_DB2 && !pl_kw(P, k - 1, "WITH"))
            break; /* a DB2 SQL function: RETURN expr */
        if ((pl_kw(P, k, "RETURN") || pl_kw(P, k, "RETURNS")) && u->kind == IR_UNIT_FUNCTION &&
            !(pl_kw(P, k + 1, "NULL") && pl_kw(P, k + 2, "ON"))) {
            int te = type_end(P, k + 1);
            if (pl_kw(P, k + 1, "TABLE") || pl_kw(P, k + 1, "SETOF"))
                te = k + 2;
            u->returns = pl_type(P, k + 1, te, NULL, NULL);
            k = te - 1;
        }
        if (pl_is(P, k, TK_IDENT) && pl_is(P, k + 1, TK_COLON) && pl_kw(P, k + 2, "BEGIN"))
            break;
    }
    P->i = k;
    if (pl_eof(P)) {
        ir_pblock_add(u, ir_pstmt_body(u, body), pl_hole(P, s, P->n, "no body found (an external routine?)"));
        return;
    }
    ir_pblock pre = {0};
    if (pl_at(P, "RETURN")) {
        ir_pblock *b = ir_pstmt_body(u, body);
        stmt(P, b);
        return;
    }
    if (pl_at(P, "IS") || pl_at(P, "AS")) {
        P->i++;
        if (dollar_quote(P, P->i)) {
            /* PostgreSQL-style body (Netezza / plpgsql): AS $$ [DECLARE ..] BEGIN .. END; $$ LANGUAGE .. */
            P->i++;
            if (pl_accept(P, "DECLARE"))
                decls(P, body, &pre);
        } else if (pl_at(P, "LANGUAGE") || pl_at(P, "EXTERNAL")) {
            ir_pblock_add(u, ir_pstmt_body(u, body),
                          pl_hole(P, P->i, pl_semi(P, P->i), "external implementation (LANGUAGE JAVA / C) has no body"));
            P->i = P->n;
            return;
        }
        else
            decls(P, body, &pre);
    } else if (pl_accept(P, "BEGIN_PROC")) {
        if (pl_accept(P, "DECLARE"))
            decls(P, body, &pre);
    }
    if (pl_is(P, P->i, TK_IDENT) && pl_is(P, P->i + 1, TK_COLON) && pl_kw(P, P->i + 2, "BEGIN")) {
        body->name = ir_intern(u->job, pl_tok_text(P, P->i));
        P->i += 2;
    }
    ir_pblock *steps = ir_pstmt_body(u, body);
    for (int i = 0; i < pre.n; i++)
        ir_pblock_add(u, steps, pre.stmts[i]);
    if (!pl_at(P, "BEGIN")) {
        pl_warn(P, P->i, "BEGIN expected (the body of %s at line %d)", u->name, line_of(P, s));
        ir_pblock_add(u, steps, pl_hole(P, P->i, P->n, "the body is not recognised"));
        P->i = P->n;
        return;
    }
    int b = P->i;
    if (!block(P, body, b)) {
        /* keep what was read, the rest of the text a hole */
        ir_pblock_add(u, steps, pl_hole(P, b, P->n, arena_printf(P->a, "BEGIN at line %d is not closed by END",
                                                               line_of(P, b))));
        P->i = P->n;
        return;
    }
    if (pl_accept(P, "END_PROC"))
        pl_accept(P, ";");
}

/* After a unit of its own (not a package's subprogram): what follows its body's END besides the
 * closing $$ of a dollar-quoted body and a LANGUAGE clause is a hole (an END that closed the body
 * too early), never dropped. */
static void after_body(plx *P, ir_unit *u)
{
    while (pl_is(P, P->i, TK_SEMI) || pl_is(P, P->i, TK_SLASH) || dollar_quote(P, P->i))
        P->i++;
    if (pl_at(P, "LANGUAGE"))
        P->i = P->n;
    if (pl_eof(P))
        return;
    ir_span sp = pl_span(P, P->i);
    diag_at(P->dc, DIAG_WARNING, P->file, P->path, sp.line, sp.col, "text after the end of the body of %s", u->name);
    ir_pblock_add(u, ir_pstmt_body(u, &u->body), pl_hole(P, P->i, P->n, "text after the end of the body is not read"));
    P->i = P->n;
}

/* PROCEDURE | FUNCTION name ... (a package body's or a declare section's subprogram, or the
 * object of CREATE): a unit of its own, handed to the sink. s: where the text starts. */
static void subprogram(plx *P, int s)
{
    int kwi = P->i;
    ir_unit_kind kind = pl_kw(P, kwi, "FUNCTION") ? IR_UNIT_FUNCTION : IR_UNIT_PROCEDURE;
    int ne;
    const char *name = pl_dotted(P, kwi + 1, &ne);
    if (!name) {
        int e = pl_semi(P, kwi);
        finish(P, e);
        return;
    }
    /* a forward declaration inside a package body or declare section: PROCEDURE p(x NUMBER); */
    if (P->u) {
        int semi = pl_semi(P, kwi), body = 0;
        for (int k = ne; k < semi && !body; k++)
            body = pl_kw(P, k, "IS") || pl_kw(P, k, "AS") || pl_kw(P, k, "BEGIN") || pl_kw(P, k, "LANGUAGE");
        if (!body) {
            finish(P, semi);
            return;
        }
    }
    unit_sink *sink = P->sink;
    const char *full = sink->prefix ? arena_printf(P->a, "%s.%s", sink->prefix, name) : name;
    if (P->u && !sink->prefix)
        full = arena_printf(P->a, "%s.%s", P->u->name, name); /* a local subprogram */
    /* the unit: a fresh scope that still sees the enclosing names (package variables) */
    ir_unit *saved_u = P->u;
    ir_pstmt *saved_blk = P->blk;
    int saved_names = P->n_names, saved_records = P->n_records, saved_cursors = P->n_cursors;
    ir_unit *u = pl_new_unit(P, kind, full, s);
    P->u = u;
    P->blk = &u->body;
    for (int i = 0; i < saved_names; i++) {
        ir_param *p = ir_job_add_param(u->job, P->names[i]);
        p->is_variable = true;
    }
    P->i = ne;
    if (pl_is(P, P->i, TK_LPAREN))
        P->i = params(P, P->i);
    builtin_vars(P);
    unit_body(P, s);
    if (!saved_u && !sink->prefix)
        after_body(P, u);
    P->u = saved_u;
    P->blk = saved_blk;
    P->n_names = saved_names;
    P->n_records = saved_records;
    P->n_cursors = saved_cursors;
    pl_emit(P, u);
}

/* ================================ entry ================================ */

/* Skips CREATE [OR REPLACE | OR ALTER] [EDITIONABLE ...]; returns the object word's index. */
static int object_word(const plx *P, int i)
{
    if (pl_kw(P, i, "ALTER"))
        return i + 1;
    if (pl_kw(P, i, "REPLACE"))
        return i + 1; /* Teradata REPLACE PROCEDURE */
    int j = i + 1;
    if (pl_kw(P, j, "OR") && (pl_kw(P, j + 1, "REPLACE") || pl_kw(P, j + 1, "ALTER")))
        j += 2;
    while (pl_kw(P, j, "EDITIONABLE") || pl_kw(P, j, "NONEDITIONABLE") || pl_kw(P, j, "DEFINER") ||
           pl_kw(P, j, "PUBLIC")) {
        if (pl_kw(P, j, "DEFINER") && pl_is(P, j + 1, TK_EQ))
            j += 2;
        j++;
    }
    return j;
}

/* Snowflake and Spark lex a $$ .. $$ body as one string; a unit reads its statements, so each
 * such body becomes an opening `$$` token, the body's own tokens and a closing `$$` (the shape a
 * PostgreSQL-style body has in the other dialects). Returns the new count; *toks ends in EOF. */
static int open_dollar_bodies(arena *scratch, const srcfile *f, tok **toks, int n, sqlfe_dialect d)
{
    tok *t = *toks;
    int bodies = 0;
    for (int i = 0; i < n; i++)
        bodies += (t[i].kind == TK_STRING && (t[i].flags & TKF_DOLLAR)) != 0;
    if (!bodies)
        return n;
    int cap = n + 1, m = 0;
    tok *v = arena_alloc(scratch, (size_t)cap * sizeof *v);
    for (int i = 0; i <= n; i++) {
        if (!(t[i].kind == TK_STRING && (t[i].flags & TKF_DOLLAR))) {
            if (m + 1 > cap) {
                v = arena_grow(scratch, v, (size_t)m, (size_t)cap * 2, sizeof *v);
                cap *= 2;
            }
            v[m++] = t[i];
            continue;
        }
        tok *in;
        int k = sqlfe_tokenize(scratch, f->text + t[i].start + 2, t[i].len - 4, d, &in, NULL);
        while (m + k + 2 > cap) {
            v = arena_grow(scratch, v, (size_t)m, (size_t)cap * 2, sizeof *v);
            cap *= 2;
        }
        v[m++] = (tok){TK_OTHER, t[i].flags & TKF_BOL, t[i].start, 2};
        for (int j = 0; j < k; j++) {
            in[j].start += t[i].start + 2;
            v[m++] = in[j];
        }
        v[m++] = (tok){TK_OTHER, t[i].flags & TKF_EOL, t[i].start + t[i].len - 2, 2};
    }
    *toks = v;
    return m - 1;
}

int sqlfe_read_units(arena *scratch, const srcfile *f, const char *path, size_t start, size_t end, sqlfe_dialect d,
                     const char *anon_name, diag_ctx *dc, sqlfe_unit_fn fn, void *userdata, const char **why_none)
{
    plx P;
    memset(&P, 0, sizeof P);
    P.a = scratch;
    P.file = f;
    P.path = path;
    P.d = d;
    P.dc = dc;
    P.scope.is_var = scope_is_var;
    P.scope.userdata = &P;
    P.scope.file = f;
    P.scope.td_ansi = d == SQLFE_TERADATA && sqlfe_td_ansi_session(f);
    if (why_none)
        *why_none = NULL;
    tok *toks;
    int nerr = 0;
    P.n = sqlfe_tokenize(scratch, f->text + start, end - start, d, &toks, &nerr);
    for (int i = 0; i <= P.n; i++)
        toks[i].start += (uint32_t)start;
    P.n = open_dollar_bodies(scratch, f, &toks, P.n, d);
    P.t = toks;
    unit_sink sink = {fn, userdata, 0, NULL};
    P.sink = &sink;

    if (d == SQLFE_TSQL) {
        sqlfe_tsql_unit(&P, anon_name, why_none);
        return sink.n;
    }
    int s = 0;
    if (pl_kw(&P, 0, "CREATE") || pl_kw(&P, 0, "ALTER") || (pl_kw(&P, 0, "REPLACE") && d == SQLFE_TERADATA)) {
        int ow = object_word(&P, 0);
        if (pl_kw(&P, ow, "PACKAGE") && pl_kw(&P, ow + 1, "BODY")) {
            int ne;
            const char *pkg = pl_dotted(&P, ow + 2, &ne);
            int is = ne;
            while (is < P.n && !pl_kw(&P, is, "IS") && !pl_kw(&P, is, "AS"))
                is++;
            /* package-level declarations are shared by the subprograms; every subprogram a unit */
            ir_unit *holder = pl_new_unit(&P, IR_UNIT_BLOCK, arena_printf(scratch, "%s.init", pkg ? pkg : "?"), 0);
            P.u = holder;
            P.blk = &holder->body;
            sink.prefix = pkg;
            P.i = is + 1;
            ir_pblock pre = {0};
            decls(&P, &holder->body, &pre);
            if (pl_at(&P, "BEGIN")) {
                /* the package's initialisation section: a block unit */
                int b = P.i;
                if (!block(&P, &holder->body, b))
                    ir_pblock_add(holder, ir_pstmt_body(holder, &holder->body),
                                  pl_hole(&P, b, P.n, "the package initialisation block is not closed"));
                pl_emit(&P, holder);
            } else {
                if (!pl_at(&P, "END"))
                    pl_error(&P, P.i, "END expected (to close PACKAGE BODY %s at line %d)", pkg ? pkg : "?",
                             line_of(&P, 0));
                ir_unit_free(holder);
            }
            P.u = NULL;
                if (!sink.n && why_none)
                *why_none = "a package body without procedures or functions";
            return sink.n;
        }
        if (pl_kw(&P, ow, "PACKAGE")) {
                if (why_none)
                *why_none = "package specification: declarations only (the package body's subprograms are units)";
            return 0;
        }
        if (pl_kw(&P, ow, "PROCEDURE") || pl_kw(&P, ow, "FUNCTION") || pl_kw(&P, ow, "PROC")) {
            P.i = ow;
            subprogram(&P, 0);
                return sink.n;
        }
        if (why_none)
            *why_none = pl_kw(&P, ow, "TRIGGER") ? "triggers are not translated"
                        : pl_kw(&P, ow, "TYPE")  ? "object types are not translated"
                        : pl_kw(&P, ow, "MACRO") ? "Teradata macros are not translated"
                                                 : "this kind of procedural object is not translated";
        return 0;
    }
    if (pl_kw(&P, 0, "BEGIN") && (pl_kw(&P, 1, "LOADING") || pl_kw(&P, 1, "MLOAD") || pl_kw(&P, 1, "EXPORT") ||
                                  pl_kw(&P, 1, "IMPORT") || pl_kw(&P, 1, "DELETE"))) {
        if (why_none)
            *why_none = "a Teradata FastLoad / MultiLoad / FastExport task (a load utility script) is not translated";
        return 0;
    }
    /* an anonymous block: [DECLARE ...] BEGIN ... END; DB2 [label:] BEGIN ... END; Snowflake
     * EXECUTE IMMEDIATE $$ [DECLARE ..] BEGIN .. END; $$ */
    if (d == SQLFE_SNOWFLAKE && pl_kw(&P, 0, "EXECUTE") && pl_kw(&P, 1, "IMMEDIATE") && dollar_quote(&P, 2))
        P.i = s = 3;
    ir_unit *u = pl_new_unit(&P, IR_UNIT_BLOCK, anon_name, s);
    P.u = u;
    P.blk = &u->body;
    builtin_vars(&P);
    ir_pblock *steps = ir_pstmt_body(u, &u->body);
    if (pl_at(&P, "DECLARE") && d != SQLFE_DB2) {
        P.i++;
        ir_pblock pre = {0};
        decls(&P, &u->body, &pre);
        for (int i = 0; i < pre.n; i++)
            ir_pblock_add(u, steps, pre.stmts[i]);
    }
    if (pl_is(&P, P.i, TK_IDENT) && pl_is(&P, P.i + 1, TK_COLON) && pl_kw(&P, P.i + 2, "BEGIN")) {
        u->body.name = ir_intern(u->job, pl_tok_text(&P, P.i));
        P.i += 2;
    }
    if (pl_at(&P, "BEGIN")) {
        int b = P.i;
        if (!block(&P, &u->body, b))
            ir_pblock_add(u, steps, pl_hole(&P, b, P.n, arena_printf(scratch, "BEGIN at line %d is not closed by END",
                                                                     line_of(&P, b))));
        else
            after_body(&P, u);
    } else {
        /* statements outside a block (DB2 DECLAREs, a handler): a fragment the script splitter cut out
         * of a larger block; what is not read stays a hole (a warning: the text is not wrong) */
        stmts(&P, steps);
        if (!pl_eof(&P)) {
            ir_span sp = pl_span(&P, P.i);
            diag_at(dc, DIAG_WARNING, f, path, sp.line, sp.col,
                    "'%s' without its block: part of a procedural block the script was split inside of",
                    pl_text(&P, P.i, P.i + 1));
            ir_pblock_add(u, steps, pl_hole(&P, P.i, P.n, "a fragment of a procedural block (END without BEGIN)"));
        }
    }
    pl_emit(&P, u);
    return sink.n;
}

int sqlfe_units(const srcfile *f, size_t start, size_t end, sqlfe_dialect d, const char *anon_name, diag_ctx *dc,
                void (*fn)(void *userdata, struct ir_unit *unit), void *userdata, const char **why_none)
{
    arena *scratch = arena_new();
    int n = sqlfe_read_units(scratch, f, f->path, start, end, d, anon_name, dc, fn, userdata, why_none);
    if (why_none && *why_none) /* the reason may live in scratch */
        *why_none = n ? NULL : "no procedural unit in the statement";
    arena_free(scratch);
    return n;
}
