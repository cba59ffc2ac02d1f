/*
 * snow_proc.c — a procedural unit (ir/ir_unit.h: a stored procedure, function, anonymous block or
 * BTEQ script) as Snowflake Scripting:
 *
 *     CREATE OR REPLACE PROCEDURE name(params) RETURNS type LANGUAGE SQL EXECUTE AS CALLER
 *     AS $$ DECLARE ... BEGIN ... EXCEPTION ... END; $$;
 *
 * (an anonymous block becomes EXECUTE IMMEDIATE $$ ... $$;). Every step kind of the unit maps to a
 * Snowflake Scripting statement; SQL steps print through snow_stmt_sql (variables as :name),
 * expressions outside SQL through snow_expr with bare variable names. Declarations anywhere in the
 * unit (T-SQL DECLARE in the middle of a body) are hoisted into the procedure's DECLARE section,
 * since Snowflake scopes LET to the enclosing block and T-SQL scopes DECLARE to the batch.
 *
 * What Snowflake cannot express is a hole: a `-- ETLPORT HOLE file:line: reason` comment with the
 * legacy text commented out under it, counted in res->holes. Dynamic SQL keeps its EXECUTE
 * IMMEDIATE (the text is in the legacy dialect) under such a comment. Nothing is dropped: client
 * commands and labels stay as comments. docs/snowflake-backend.md, "Procedural units", lists the
 * mapping of every step kind.
 */
#include "backends/snowflake/snow_internal.h"
#include "ir/ir_unit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int snow_emit_unit(const ir_unit *u, const be_options *opt, strbuf *out, be_result *res, diag_ctx *dc);

#define IND 4

/* A generated exception: a Snowflake exception needs a constant number (-20000..-20999) and a
 * constant message, declared up front. */
typedef struct gen_exc {
    char *name;
    int code;
} gen_exc;

typedef struct pgen {
    const ir_unit *u;
    be_result res;       /* counts of this unit (added to the caller's at the end) */
    strbuf decl;         /* the DECLARE section, hoisted declarations included */
    char **declared;     /* names in decl, for de-duplication (owned) */
    int n_declared, cap_declared;
    gen_exc *excs;       /* exceptions the emitter declared (RAISE_APPLICATION_ERROR, THROW) */
    int n_excs, cap_excs;
    int next_code;       /* next free exception number, counting down from -20001 */
    bool has_out;        /* OUT/INOUT parameters: the procedure returns an OBJECT */
    bool is_script;
    bool dyn_sql;        /* etlport_dyn_sql declared */
    bool call_result;    /* etlport_call_result declared: what a CALL with OUT arguments returned */
    char found_cursors[8][64]; /* Oracle cursors whose %FOUND / %NOTFOUND is read: etlport_<c>_found */
    int n_found_cursors;
    bool activitycount;  /* the script reads ACTIVITYCOUNT: kept up to date after each SQL step */
    bool fetch_status;   /* T-SQL @@FETCH_STATUS read: kept up to date after each FETCH */
    bool trancount;      /* T-SQL @@TRANCOUNT read: kept up to date by the transaction steps */
    int err_exit;        /* BTEQ: the error-exit label's index (error_exit_label), or -1 */
    const ir_handler *not_found; /* a CONTINUE HANDLER FOR NOT FOUND that only assigns: run after
                                    each FETCH that found no row */
    const char **param_names;    /* per parameter: the name it is declared with (a Netezza $1 takes
                                    the name of its ALIAS FOR variable) */
    int tmp;             /* counter for generated names */
    int handler_depth;   /* > 0 inside an exception handler (re-raise allowed) */
    const char *recs[32]; /* records of the enclosing cursor FOR loops, innermost last */
    int n_recs;
    int n_leading_inits; /* the unit's first top-level steps that are DECLAREs with a literal
                            initial value: declared with it (DEFAULT), not assigned in the body */
    bool after_dml;      /* the step just written was INSERT/UPDATE/DELETE/MERGE: SQLROWCOUNT is
                            T-SQL's @@ROWCOUNT only there */
} pgen;

static void emit_block_steps(pgen *g, strbuf *sb, const ir_pblock *b, int depth);
static bool step_loops_over(const ir_pstmt *s, const char *rec);
static bool step_opens_with(const ir_pstmt *s, const char *cursor);
static void emit_step(pgen *g, strbuf *sb, const ir_pstmt *s, int depth);

/* ---- small helpers ---- */

static char *xstrdup(const char *s)
{
    size_t n = strlen(s ? s : "");
    char *p = malloc(n + 1);
    if (!p)
        abort();
    memcpy(p, s ? s : "", n + 1);
    return p;
}

static bool is_declared(const pgen *g, const char *name)
{
    for (int i = 0; i < g->n_declared; i++)
        if (strcasecmp(g->declared[i], name) == 0)
            return true;
    return false;
}

/* Records name as declared; returns false when it already was. */
static bool declare_name(pgen *g, const char *name)
{
    if (is_declared(g, name))
        return false;
    if (g->n_declared == g->cap_declared) {
        g->cap_declared = g->cap_declared ? g->cap_declared * 2 : 16;
        g->declared = realloc(g->declared, (size_t)g->cap_declared * sizeof *g->declared);
        if (!g->declared)
            abort();
    }
    g->declared[g->n_declared++] = xstrdup(name);
    return true;
}

static void ind(strbuf *sb, int depth)
{
    sb_indent(sb, depth * IND);
}

/* Appends text with every line indented by depth levels; lines that start inside a quoted literal
 * or identifier are copied as they are, so the text's meaning never changes. */
static void put_indented(strbuf *sb, int depth, const char *text)
{
    char quote = 0;
    bool bol = true;
    for (const char *p = text ? text : ""; *p; p++) {
        if (bol && !quote && *p != '\n')
            ind(sb, depth);
        bol = false;
        if (quote) {
            if (*p == quote) {
                if (p[1] == quote)
                    sb_putc(sb, *p++);
                else
                    quote = 0;
            }
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '-' && p[1] == '-') {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            sb_putn(sb, p, n);
            p += n - 1;
            continue;
        }
        sb_putc(sb, *p);
        if (*p == '\n')
            bol = true;
    }
}

/* The location of a step for a hole comment: file:line. */
static void loc(strbuf *sb, const pgen *g, ir_span sp)
{
    if (!sp.file && !sp.line)
        sp = g->u->span;
    if (!sp.file)
        sp.file = g->u->file;
    snow_span(sb, sp, g->u->job);
}

/* `-- ETLPORT HOLE file:line: reason` and the legacy text commented out, counted. */
static void hole(pgen *g, strbuf *sb, int depth, ir_span sp, const char *reason, const char *text)
{
    strbuf line = STRBUF_INIT;
    sb_puts(&line, "ETLPORT HOLE ");
    loc(&line, g, sp);
    sb_puts(&line, ": ");
    for (const char *p = reason ? reason : "not translated"; *p; p++)
        sb_putc(&line, *p == '\n' || *p == '\r' ? ' ' : *p);
    snow_line_comments(sb, depth * IND, NULL, sb_cstr(&line));
    sb_free(&line);
    if (text && *text)
        snow_line_comments(sb, depth * IND, "| ", text);
    g->res.holes++;
}

/* A note comment (one or more lines). */
static void note(strbuf *sb, int depth, const char *text)
{
    strbuf t = STRBUF_INIT;
    sb_puts(&t, "ETLPORT NOTE: ");
    sb_puts(&t, text);
    snow_line_comments(sb, depth * IND, NULL, sb_cstr(&t));
    sb_free(&t);
}

/* A short provenance comment naming the legacy step: `-- file:line: first line of the text`. */
static void provenance(pgen *g, strbuf *sb, int depth, const ir_pstmt *s)
{
    if (!s->text || !*s->text)
        return;
    strbuf t = STRBUF_INIT;
    loc(&t, g, s->span);
    sb_puts(&t, ": ");
    const char *p = s->text;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    size_t n = strcspn(p, "\r\n");
    bool cut = p[n] != 0;
    if (n > 100) {
        n = 100;
        cut = true;
    }
    sb_putn(&t, p, n);
    if (cut)
        sb_puts(&t, " ...");
    snow_line_comments(sb, depth * IND, NULL, sb_cstr(&t));
    sb_free(&t);
}

/* ---- expressions and statements ---- */

static bool expr_needs_binds(pgen *g, const ir_expr *e, int style);
static void rename_binds_expr(pgen *g, ir_expr *e, int style);
static bool stmt_needs_binds(pgen *g, const ir_stmt *s);
static void rename_binds_stmt(pgen *g, ir_stmt *s);

static void expr(pgen *g, strbuf *sb, const ir_expr *e, int style)
{
    snow_ctx c;
    snow_ctx_init(&c, g->u->job, NULL);
    c.param_style = style;
    if (e && expr_needs_binds(g, e, style)) {
        ir_expr *copy = ir_expr_copy(g->u->job, e);
        rename_binds_expr(g, copy, style);
        e = copy;
    }
    if (!e)
        sb_puts(sb, "NULL");
    else
        snow_expr(&c, sb, e);
    g->res.holes += c.holes;
    g->res.unsupported += c.unsupported;
}

/* Whether the first word of s is kw (case-insensitive) followed by a non-identifier character. */
static bool word_at(const char *s, const char *kw)
{
    size_t n = strlen(kw);
    return strncasecmp(s, kw, n) == 0 && !(isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '$');
}

/* Offset of the first FROM keyword at parenthesis depth 0, outside literals and comments, or -1. */
static long top_level_from(const char *s)
{
    int depth = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            for (p++; *p && !(*p == q && p[1] != q); p++)
                if (*p == q)
                    p++;
            if (!*p)
                return -1;
        } else if (*p == '-' && p[1] == '-') {
            while (p[1] && p[1] != '\n')
                p++;
        } else if (*p == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            if (!end)
                return -1;
            p = end + 1;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            depth--;
        } else if (depth == 0 && (p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
                   word_at(p, "FROM")) {
            return (long)(p - s);
        }
    }
    return -1;
}

/* A statement of the unit as Snowflake SQL (variables as :name), without the ';'. */
static void stmt_sql(pgen *g, strbuf *sb, const ir_stmt *st)
{
    if (stmt_needs_binds(g, st)) {
        /* record fields and SQLCODE/SQLERRM cannot be bound (:rec.field): the loop or handler
         * copies them into variables first, and the statement reads those */
        ir_stmt *copy = ir_stmt_copy(g->u->job, st);
        rename_binds_stmt(g, copy);
        st = copy;
    }
    snow_stmt_sql(sb, g->u->job, st, SNOW_PARAM_BIND, &g->res);
}

/* ---- record fields (rec.field variables) ---- */

static const ir_var *unit_var(const pgen *g, const char *name);

/* The variable a record field is copied into: rec_field, or etlport_rec_field when the unit
 * already has a variable or parameter of that name. */
static void field_var(const pgen *g, strbuf *sb, const char *dotted)
{
    strbuf t = STRBUF_INIT;
    for (const char *p = dotted; *p; p++)
        sb_putc(&t, isalnum((unsigned char)*p) || *p == '_' ? *p : '_');
    bool taken = unit_var(g, sb_cstr(&t)) != NULL;
    for (int i = 0; i < g->u->n_params; i++)
        if (strcasecmp(g->u->params[i].name, sb_cstr(&t)) == 0)
            taken = true;
    if (taken)
        sb_puts(sb, "etlport_");
    sb_puts(sb, sb_cstr(&t));
    sb_free(&t);
}

static bool is_builtin_error_var(const char *name)
{
    return name && (strcasecmp(name, "SQLCODE") == 0 || strcasecmp(name, "SQLERRM") == 0 ||
                    strcasecmp(name, "SQLSTATE") == 0);
}


/* Whether statement st names a table or alias `name` (then name.col is a column, not a field). */
static bool from_names(const ir_from *f, const char *name);
static bool query_names(const ir_query *q, const char *name)
{
    if (!q)
        return false;
    for (int i = 0; i < q->n_ctes; i++)
        if ((q->ctes[i].name && strcasecmp(q->ctes[i].name, name) == 0) || query_names(q->ctes[i].query, name))
            return true;
    for (int i = 0; i < q->n_from; i++)
        if (from_names(q->from[i], name))
            return true;
    return query_names(q->left, name) || query_names(q->right, name);
}

static bool last_part_is(const char *qualified, const char *name)
{
    if (!qualified)
        return false;
    const char *dot = strrchr(qualified, '.');
    return strcasecmp(dot ? dot + 1 : qualified, name) == 0;
}

static bool from_names(const ir_from *f, const char *name)
{
    if (!f)
        return false;
    if (f->alias ? strcasecmp(f->alias, name) == 0 : (f->kind == IR_FROM_TABLE && last_part_is(f->name, name)))
        return true;
    return query_names(f->query, name) || from_names(f->left, name) || from_names(f->right, name);
}

static bool stmt_names(const ir_stmt *st, const char *name)
{
    if (st->target_alias ? strcasecmp(st->target_alias, name) == 0 : last_part_is(st->target, name))
        return true;
    return from_names(st->from, name) || query_names(st->query, name);
}

/* What a bound expression must read instead of e, into out: a record field of an enclosing cursor
 * loop (rec.field, as a variable or a column reference) becomes rec_field, SQLCODE/SQLERRM/SQLSTATE
 * in a handler etlport_sqlcode ... Returns false when e stays. */
typedef struct bind_ctx {
    pgen *g;
    const ir_stmt *st; /* the statement being printed (its own aliases win), or NULL */
    bool bare;         /* an expression outside SQL: only the T-SQL globals are renamed */
} bind_ctx;

/* T-SQL's @@ globals the emitter keeps up to date itself, by their name without @@. */
static const char *tsql_global(const char *name)
{
    if (!name)
        return NULL;
    while (*name == '@')
        name++;
    if (strcasecmp(name, "FETCH_STATUS") == 0)
        return "etlport_fetch_status";
    if (strcasecmp(name, "TRANCOUNT") == 0)
        return "etlport_trancount";
    if (strcasecmp(name, "ROWCOUNT") == 0)
        return "SQLROWCOUNT"; /* Snowflake's rows-affected of the last DML */
    return NULL;
}

/* Oracle's implicit-cursor attributes (the variables "SQL%ROWCOUNT" ... the SQL frontend reads)
 * as Snowflake Scripting's own, which describe the last DML statement; NULL for another name.
 * SQL%ISOPEN is always FALSE in Oracle (the implicit cursor closes after each statement). */
static const char *oracle_implicit_cursor(const char *name)
{
    static const char *const map[][2] = {
        {"SQL%ROWCOUNT", "SQLROWCOUNT"}, {"SQL%FOUND", "SQLFOUND"}, {"SQL%NOTFOUND", "SQLNOTFOUND"}, {"SQL%ISOPEN", "FALSE"}};
    for (size_t i = 0; name && i < sizeof map / sizeof *map; i++)
        if (strcmp(name, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/* An explicit Oracle cursor's %FOUND (the SQL frontend's variable "C%FOUND"; %NOTFOUND is read as
 * its negation): the cursor's name length; 0 for another name (SQL%FOUND included). */
static size_t cursor_found_attr(const char *name)
{
    const char *pct = name ? strchr(name, '%') : NULL;
    if (!pct || pct == name || (pct - name == 3 && strncasecmp(name, "SQL", 3) == 0) || strcmp(pct, "%FOUND") != 0)
        return 0;
    return (size_t)(pct - name);
}

/* etlport_<cursor>_found, lower case. */
static void found_var(strbuf *sb, const char *cursor, size_t len)
{
    sb_puts(sb, "etlport_");
    for (size_t i = 0; i < len; i++)
        sb_putc(sb, (char)tolower((unsigned char)cursor[i]));
    sb_puts(sb, "_found");
}

static bool tracks_found(const pgen *g, const char *cursor)
{
    for (int i = 0; i < g->n_found_cursors; i++)
        if (strcasecmp(g->found_cursors[i], cursor) == 0)
            return true;
    return false;
}

static bool bind_name(const bind_ctx *b, const ir_expr *e, strbuf *out)
{
    const char *n = e->kind == IR_EX_PARAM ? e->u.param.name : e->kind == IR_EX_REF ? e->u.ref.col : NULL;
    if (!n)
        return false;
    bool plain = e->kind == IR_EX_PARAM || (e->kind == IR_EX_REF && e->u.ref.node == 0);
    const char *dialect = b->g->u->dialect ? b->g->u->dialect : "";
    if (plain && tsql_global(n) && strcmp(dialect, "tsql") == 0) {
        sb_puts(out, tsql_global(n));
        return true;
    }
    if (plain && oracle_implicit_cursor(n) && strcmp(dialect, "oracle") == 0) {
        sb_puts(out, oracle_implicit_cursor(n));
        return true;
    }
    size_t clen = plain && strcmp(dialect, "oracle") == 0 ? cursor_found_attr(n) : 0;
    if (clen) {
        found_var(out, n, clen);
        return true;
    }
    if (plain && strcasecmp(n, "ROW_COUNT") == 0 && strcmp(dialect, "netezza") == 0) {
        sb_puts(out, "SQLROWCOUNT"); /* NZPLSQL's ROW_COUNT: rows the last DML changed */
        return true;
    }
    if (b->bare)
        return false;
    if (b->g->handler_depth > 0 && is_builtin_error_var(n) && !(e->kind == IR_EX_REF && e->u.ref.node != 0)) {
        sb_puts(out, "etlport_");
        for (const char *p = n; *p; p++)
            sb_putc(out, (char)tolower((unsigned char)*p));
        return true;
    }
    const char *dot = strchr(n, '.');
    if (!dot || strchr(dot + 1, '.'))
        return false;
    if (e->kind == IR_EX_REF) {
        bool rec = false;
        for (int i = 0; i < b->g->n_recs && i < 32; i++)
            if (strncasecmp(b->g->recs[i], n, (size_t)(dot - n)) == 0 && b->g->recs[i][dot - n] == 0)
                rec = true;
        if (!rec)
            return false;
        strbuf r = STRBUF_INIT;
        sb_putn(&r, n, (size_t)(dot - n));
        bool shadowed = b->st && stmt_names(b->st, sb_cstr(&r));
        sb_free(&r);
        if (shadowed)
            return false;
    }
    field_var(b->g, out, n);
    return true;
}

static bool needs_bind(ir_expr *e, void *ud)
{
    strbuf t = STRBUF_INIT;
    bool r = bind_name(ud, e, &t);
    sb_free(&t);
    return r;
}

static bool rename_bind(ir_expr *e, void *ud)
{
    const bind_ctx *b = ud;
    strbuf t = STRBUF_INIT;
    if (bind_name(b, e, &t)) {
        const char *name = ir_intern(b->g->u->job, sb_cstr(&t));
        e->kind = IR_EX_PARAM;
        e->u.param.name = name;
    }
    sb_free(&t);
    return false;
}

/* The visits below do not write through e or s (needs_bind only reads). */
static bool expr_needs_binds(pgen *g, const ir_expr *e, int style)
{
    bind_ctx b = {g, NULL, style != SNOW_PARAM_BIND};
    return ir_expr_visit((ir_expr *)e, needs_bind, &b);
}

static void rename_binds_expr(pgen *g, ir_expr *e, int style)
{
    bind_ctx b = {g, NULL, style != SNOW_PARAM_BIND};
    ir_expr_visit(e, rename_bind, &b);
}

static bool stmt_needs_binds(pgen *g, const ir_stmt *s)
{
    bind_ctx b = {g, s, false};
    return ir_stmt_visit((ir_stmt *)s, needs_bind, &b);
}

static void rename_binds_stmt(pgen *g, ir_stmt *s)
{
    bind_ctx b = {g, s, false};
    ir_stmt_visit(s, rename_bind, &b);
}

/* ---- the parameter walk (which statements read variables) ---- */

static bool expr_has_param(const ir_expr *e);
static bool query_has_param(const ir_query *q);

static bool from_has_param(const ir_from *f)
{
    if (!f)
        return false;
    if (f->query && query_has_param(f->query))
        return true;
    for (int i = 0; i < f->n_args; i++)
        if (expr_has_param(f->args[i]))
            return true;
    return from_has_param(f->left) || from_has_param(f->right) || expr_has_param(f->on);
}

static bool query_has_param(const ir_query *q)
{
    if (!q)
        return false;
    for (int i = 0; i < q->n_ctes; i++)
        if (query_has_param(q->ctes[i].query))
            return true;
    for (int i = 0; q->items && i < q->n_items; i++)
        if (expr_has_param(q->items[i].expr))
            return true;
    for (int i = 0; i < q->n_from; i++)
        if (from_has_param(q->from[i]))
            return true;
    for (int i = 0; i < q->n_group; i++)
        if (expr_has_param(q->group[i]))
            return true;
    for (int i = 0; i < q->n_rows * q->n_items; i++)
        if (expr_has_param(q->rows[i]))
            return true;
    for (int i = 0; i < q->n_order; i++)
        if (expr_has_param(q->order[i].expr))
            return true;
    return expr_has_param(q->where) || expr_has_param(q->having) || expr_has_param(q->qualify) ||
           expr_has_param(q->limit) || expr_has_param(q->offset) || query_has_param(q->left) ||
           query_has_param(q->right);
}

static bool expr_has_param(const ir_expr *e)
{
    if (!e)
        return false;
    switch (e->kind) {
    case IR_EX_PARAM: return true;
    case IR_EX_CALL:
        for (int i = 0; i < e->u.call.n_args; i++)
            if (expr_has_param(e->u.call.args[i]))
                return true;
        return false;
    case IR_EX_OVER: {
        const ir_over *o = ir_expr_over(e);
        if (!o)
            return false;
        for (int i = 0; i < o->n_partition; i++)
            if (expr_has_param(o->partition[i]))
                return true;
        for (int i = 0; i < o->n_order; i++)
            if (expr_has_param(o->order[i].expr))
                return true;
        return expr_has_param(o->call);
    }
    case IR_EX_QUERY: {
        const ir_sub *s = ir_expr_sub(e);
        return s && (expr_has_param(s->lhs) || query_has_param(s->query));
    }
    default: return false;
    }
}

/* Whether the expression reads the variable named name (case-insensitive). */
static bool expr_reads(const ir_expr *e, const char *name)
{
    if (!e)
        return false;
    if (e->kind == IR_EX_PARAM)
        return e->u.param.name && strcasecmp(e->u.param.name, name) == 0;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            if (expr_reads(e->u.call.args[i], name))
                return true;
    return false;
}

static bool block_reads(const ir_pblock *b, const char *name);

static bool step_reads(const ir_pstmt *s, const char *name)
{
    if (!s)
        return false;
    for (int i = 0; i < s->n_conds; i++)
        if (expr_reads(s->conds[i], name))
            return true;
    if (expr_reads(s->value, name))
        return true;
    int nb = s->kind == IR_PS_IF ? s->n_conds + (s->has_else ? 1 : 0) : s->blocks ? 1 : 0;
    for (int i = 0; i < nb; i++)
        if (block_reads(&s->blocks[i], name))
            return true;
    if (s->kind == IR_PS_BLOCK) {
        for (int i = 0; i < s->n_handlers; i++)
            if (block_reads(&s->handlers[i].body, name))
                return true;
    }
    return false;
}

static bool block_reads(const ir_pblock *b, const char *name)
{
    for (int i = 0; b && i < b->n; i++)
        if (step_reads(b->stmts[i], name))
            return true;
    return false;
}

/* ---- declarations ---- */

static const ir_var *unit_var(const pgen *g, const char *name)
{
    return ir_pstmt_find_var(&g->u->body, name);
}

static bool is_user_exception(const pgen *g, const char *name)
{
    const ir_var *v = unit_var(g, name);
    if (v && v->kind == IR_VAR_EXCEPTION)
        return true;
    for (int i = 0; i < g->n_excs; i++)
        if (strcasecmp(g->excs[i].name, name) == 0)
            return true;
    return false;
}

/* A free exception number (Snowflake accepts -20000 .. -20999). */
static int take_code(pgen *g, int wanted)
{
    for (int tries = 0; tries < 2; tries++) {
        int code = tries == 0 ? wanted : g->next_code;
        if (code > -20000 || code < -20999)
            continue;
        bool used = false;
        for (int i = 0; i < g->n_excs; i++)
            if (g->excs[i].code == code)
                used = true;
        if (!used)
            return code;
    }
    while (g->next_code >= -20999) {
        int code = g->next_code--;
        bool used = false;
        for (int i = 0; i < g->n_excs; i++)
            if (g->excs[i].code == code)
                used = true;
        if (!used)
            return code;
    }
    return -20999;
}

/* Declares exception name with a constant number and message; returns false if it existed. */
static bool declare_exception(pgen *g, const char *name, int wanted, const char *message)
{
    if (!declare_name(g, name))
        return false;
    int code = take_code(g, wanted);
    if (g->n_excs == g->cap_excs) {
        g->cap_excs = g->cap_excs ? g->cap_excs * 2 : 8;
        g->excs = realloc(g->excs, (size_t)g->cap_excs * sizeof *g->excs);
        if (!g->excs)
            abort();
    }
    g->excs[g->n_excs].name = xstrdup(name);
    g->excs[g->n_excs].code = code;
    g->n_excs++;
    ind(&g->decl, 1);
    snow_sql_name(&g->decl, name);
    sb_printf(&g->decl, " EXCEPTION (%d, ", code);
    snow_string(&g->decl, message);
    sb_puts(&g->decl, ");\n");
    return true;
}

/* A variable of the unit as a line of the DECLARE section. Cursors whose query reads variables
 * are bound to a RESULTSET assigned where the cursor is opened (the query runs with the values
 * of that moment, as OPEN does in the legacy dialects). */
static void declare_var(pgen *g, const ir_var *v)
{
    if (!v || !v->name || !declare_name(g, v->name))
        return;
    strbuf *d = &g->decl;
    switch (v->kind) {
    case IR_VAR_SCALAR:
        if (is_builtin_error_var(v->name)) {
            strbuf t = STRBUF_INIT;
            sb_printf(&t, "DECLARE %s (DB2): Snowflake Scripting provides %s itself", v->name, v->name);
            note(d, 1, sb_cstr(&t));
            sb_free(&t);
            break;
        }
        if (v->constant)
            note(d, 1, "declared CONSTANT in the legacy code: Snowflake Scripting has no constants");
        if (v->type_of && v->type.kind == IR_TY_UNKNOWN) {
            strbuf t = STRBUF_INIT;
            sb_printf(&t, "%s%%TYPE: the type of %s is not known here; VARCHAR until it is set by hand",
                      v->type_of, v->type_of);
            note(d, 1, sb_cstr(&t));
            sb_free(&t);
        }
        ind(d, 1);
        snow_sql_name(d, v->name);
        sb_putc(d, ' ');
        snow_type(d, v->type);
        if (v->init) {
            sb_puts(d, " DEFAULT ");
            expr(g, d, v->init, SNOW_PARAM_BARE);
        }
        sb_puts(d, ";\n");
        break;
    case IR_VAR_ROW: {
        if (step_loops_over(&g->u->body, v->name))
            break; /* the row variable of a cursor FOR loop: Snowflake declares it, and forbids a declaration */
        strbuf t = STRBUF_INIT;
        sb_printf(&t, "record %s%s%s: an OBJECT here (Snowflake Scripting has no record types); fields read as %s:FIELD",
                  v->name, v->type_of ? " of " : "", v->type_of ? v->type_of : "", v->name);
        note(d, 1, sb_cstr(&t));
        sb_free(&t);
        ind(d, 1);
        snow_sql_name(d, v->name);
        sb_puts(d, " OBJECT;\n");
        break;
    }
    case IR_VAR_CURSOR:
        if (!v->query && !step_opens_with(&g->u->body, v->name)) {
            hole(g, d, 1, v->span, "cursor without a query (none where it is declared, none where it is opened)",
                 v->name);
            break;
        }
        if (!v->query || (v->query->kind == IR_ST_QUERY && query_has_param(v->query->query))) {
            note(d, 1, v->query ? "the cursor's query reads variables: it is bound to a RESULTSET assigned where "
                                  "the cursor is opened"
                                : "the cursor's query is given where it is opened (OPEN .. FOR, a prepared "
                                  "statement): it is bound to a RESULTSET assigned there");
            ind(d, 1);
            snow_sql_name(d, v->name);
            sb_puts(d, "_rs RESULTSET;\n");
            ind(d, 1);
            snow_sql_name(d, v->name);
            sb_puts(d, " CURSOR FOR ");
            snow_sql_name(d, v->name);
            sb_puts(d, "_rs;\n");
        } else {
            ind(d, 1);
            snow_sql_name(d, v->name);
            sb_puts(d, " CURSOR FOR\n");
            strbuf q = STRBUF_INIT;
            stmt_sql(g, &q, v->query);
            put_indented(d, 2, sb_cstr(&q));
            sb_puts(d, ";\n");
            sb_free(&q);
        }
        break;
    case IR_VAR_TABLE:
        /* a table variable is created in the body where it was declared (emit_table_var); a
         * collection (no columns) has no Snowflake form */
        if (!v->n_cols)
            hole(g, d, 1, v->span, "a PL/SQL collection (TABLE OF / VARRAY / INDEX BY): Snowflake Scripting has no "
                                   "collections (a temporary table, an ARRAY or an OBJECT, by how it is used)",
                 v->name);
        break;
    case IR_VAR_EXCEPTION: {
        strbuf m = STRBUF_INIT;
        sb_printf(&m, "%s", v->name);
        for (char *p = m.data; p && *p; p++)
            *p = (char)toupper((unsigned char)*p);
        g->n_declared--; /* declare_exception records the name itself */
        free(g->declared[g->n_declared]);
        declare_exception(g, v->name, 0, sb_cstr(&m));
        sb_free(&m);
        break;
    }
    }
}

/* A table variable (T-SQL DECLARE @t TABLE, a PL/SQL collection of rows): a temporary table,
 * created where the legacy code declared it. */
static void emit_table_var(pgen *g, strbuf *sb, const ir_var *v, int depth)
{
    note(sb, depth, "a table variable becomes a temporary table of the session");
    ind(sb, depth);
    sb_puts(sb, "CREATE OR REPLACE TEMPORARY TABLE ");
    snow_sql_name(sb, v->name);
    sb_puts(sb, " (");
    for (int i = 0; i < v->n_cols; i++) {
        if (i)
            sb_puts(sb, ", ");
        snow_sql_name(sb, v->cols[i]);
        sb_putc(sb, ' ');
        snow_type(sb, v->col_types ? v->col_types[i] : ir_type_make(IR_TY_UNKNOWN, 0, 0));
    }
    if (!v->n_cols)
        sb_puts(sb, "ETLPORT_UNKNOWN VARCHAR");
    sb_puts(sb, ");\n");
}

/* Hoists every declaration of a block (and of steps under it) into the DECLARE section. */
static void hoist_block(pgen *g, const ir_pblock *b);

/* Whether s is one of the unit's leading DECLAREs with a literal initial value (n_leading_inits):
 * nothing runs before them, so the value is the declaration's DEFAULT, as the legacy code's
 * assignment at that point would give. */
static bool leading_init(const pgen *g, const ir_pstmt *s)
{
    const ir_pblock *top = g->u->body.blocks ? &g->u->body.blocks[0] : NULL;
    for (int i = 0; top && i < g->n_leading_inits; i++)
        if (top->stmts[i] == s)
            return true;
    return false;
}

static int count_leading_inits(const ir_unit *u)
{
    const ir_pblock *top = u->body.blocks ? &u->body.blocks[0] : NULL;
    int n = 0;
    while (top && n < top->n && top->stmts[n]->kind == IR_PS_DECLARE && top->stmts[n]->var &&
           top->stmts[n]->var->kind == IR_VAR_SCALAR &&
           (!top->stmts[n]->var->init || top->stmts[n]->var->init->kind == IR_EX_LIT))
        n++;
    return n;
}

static void hoist_step(pgen *g, const ir_pstmt *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n_vars; i++)
        declare_var(g, &s->vars[i]);
    if (s->kind == IR_PS_DECLARE && s->var && leading_init(g, s)) {
        declare_var(g, s->var);
    } else if (s->kind == IR_PS_DECLARE && s->var) {
        /* the initial value is assigned where the legacy code declared the variable */
        ir_var v = *s->var;
        v.init = NULL;
        if (v.kind == IR_VAR_CURSOR || v.kind == IR_VAR_SCALAR || v.kind == IR_VAR_ROW ||
            v.kind == IR_VAR_EXCEPTION)
            declare_var(g, v.kind == IR_VAR_SCALAR ? &v : s->var);
    }
    int nb = s->kind == IR_PS_IF ? s->n_conds + (s->has_else ? 1 : 0) : s->blocks ? 1 : 0;
    for (int i = 0; i < nb; i++)
        hoist_block(g, &s->blocks[i]);
    for (int i = 0; i < s->n_handlers; i++)
        hoist_block(g, &s->handlers[i].body);
}

static void hoist_block(pgen *g, const ir_pblock *b)
{
    for (int i = 0; b && i < b->n; i++)
        hoist_step(g, b->stmts[i]);
}

/* ---- returns ---- */

/* RETURN for a procedure with OUT parameters: the values as one OBJECT. */
static void return_out_object(pgen *g, strbuf *sb, int depth)
{
    ind(sb, depth);
    sb_puts(sb, "RETURN OBJECT_CONSTRUCT_KEEP_NULL(");
    int k = 0;
    for (int i = 0; i < g->u->n_params; i++) {
        const ir_unit_param *p = &g->u->params[i];
        if (p->mode == IR_PARAM_IN)
            continue;
        if (k++)
            sb_puts(sb, ", ");
        snow_string(sb, p->name);
        sb_puts(sb, ", ");
        snow_sql_name(sb, p->name);
    }
    sb_puts(sb, ");\n");
}

/* ---- steps ---- */

static void emit_if_cond(pgen *g, strbuf *sb, const ir_expr *cond)
{
    sb_puts(sb, "(");
    expr(g, sb, cond, SNOW_PARAM_BARE);
    sb_puts(sb, ")");
}

static bool is_dml(const ir_stmt *st)
{
    return st && (st->kind == IR_ST_INSERT || st->kind == IR_ST_UPDATE || st->kind == IR_ST_DELETE ||
                  st->kind == IR_ST_MERGE);
}

/* The first variable statement st binds that nothing in the unit declares (a BTEQ USING field,
 * a name the frontend could not resolve), or NULL. Such a statement would stop the whole procedure
 * from compiling, so it becomes a hole. */
typedef struct unknown_probe {
    pgen *g;
    const char *name;
} unknown_probe;

static bool probe_unknown(ir_expr *e, void *ud)
{
    unknown_probe *p = ud;
    if (e->kind != IR_EX_PARAM || !e->u.param.name)
        return false;
    const char *n = e->u.param.name;
    const char *dot = strchr(n, '.');
    if (dot) {
        for (int i = 0; i < p->g->n_recs && i < 32; i++)
            if (strncasecmp(p->g->recs[i], n, (size_t)(dot - n)) == 0 && p->g->recs[i][dot - n] == 0)
                return false;
    }
    const char *dialect = p->g->u->dialect ? p->g->u->dialect : "";
    if (is_declared(p->g, n) || is_builtin_error_var(n) || (strcmp(dialect, "tsql") == 0 && tsql_global(n)) ||
        (strcmp(dialect, "netezza") == 0 && strcasecmp(n, "ROW_COUNT") == 0) ||
        (strcmp(dialect, "oracle") == 0 && (oracle_implicit_cursor(n) || cursor_found_attr(n))))
        return false;
    p->name = n;
    return true;
}

static const char *unknown_var(pgen *g, const ir_stmt *st)
{
    unknown_probe p = {g, NULL};
    ir_stmt_visit((ir_stmt *)st, probe_unknown, &p); /* the visit does not write */
    return p.name;
}

static bool unknown_var_hole(pgen *g, strbuf *sb, int depth, const ir_pstmt *s, const ir_stmt *st)
{
    const char *n = st ? unknown_var(g, st) : NULL;
    if (!n)
        return false;
    strbuf why = STRBUF_INIT;
    sb_printf(&why, "the statement reads %s, which nothing in the unit declares (Snowflake would reject the whole "
                    "procedure)",
              n);
    hole(g, sb, depth, s->span, sb_cstr(&why), s->text);
    sb_free(&why);
    return true;
}

static void emit_sql(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    if (!s->stmt) {
        hole(g, sb, depth, s->span, "SQL step without a statement", s->text);
        return;
    }
    if (unknown_var_hole(g, sb, depth, s, s->stmt))
        return;
    if (s->lifted) {
        strbuf t = STRBUF_INIT;
        sb_printf(&t, "a row-by-row %s lifted to one set-based statement", s->lifted);
        note(sb, depth, sb_cstr(&t));
        sb_free(&t);
    }
    if (s->bulk) {
        hole(g, sb, depth, s->span,
             "BULK COLLECT into a collection: Snowflake Scripting has no collections (use a temporary table or a RESULTSET)",
             s->text);
        return;
    }
    for (int i = 0; i < s->n_into; i++)
        if (strchr(s->into_vars[i], '.')) {
            hole(g, sb, depth, s->span,
                 "SELECT INTO a record's field: Snowflake Scripting has no records and INTO takes only variables "
                 "(select into variables, then build the OBJECT)",
                 s->text);
            return;
        }
    if (s->n_into == 0 && s->stmt->kind == IR_ST_QUERY && g->u->dialect && strcmp(g->u->dialect, "tsql") == 0)
        hole(g, sb, depth, s->span,
             "a T-SQL SELECT that returns its rows to the caller (a result set): Snowflake Scripting runs it and "
             "discards them; return them with RETURN TABLE(rs) from a procedure declared RETURNS TABLE (one "
             "result set), or write them to a table",
             NULL);
    strbuf q = STRBUF_INIT;
    stmt_sql(g, &q, s->stmt);
    if (s->n_into > 0 && s->stmt->kind == IR_ST_QUERY) {
        note(sb, depth,
             "SELECT INTO: Snowflake requires the query to return exactly one row, as Oracle's "
             "NO_DATA_FOUND / TOO_MANY_ROWS rules do; T-SQL and DB2 callers that relied on zero rows "
             "leaving the variables unchanged must check first");
        if (s->stmt->query && s->stmt->query->kind != IR_Q_SELECT)
            note(sb, depth, "INTO on a set operation: Snowflake accepts INTO only on a plain SELECT; wrap it");
        strbuf into = STRBUF_INIT;
        sb_puts(&into, "INTO ");
        for (int i = 0; i < s->n_into; i++) {
            if (i)
                sb_puts(&into, ", ");
            sb_putc(&into, ':');
            snow_sql_name(&into, s->into_vars[i]);
        }
        long at = top_level_from(sb_cstr(&q));
        strbuf full = STRBUF_INIT;
        if (at >= 0) {
            sb_putn(&full, sb_cstr(&q), (size_t)at);
            sb_puts(&full, sb_cstr(&into));
            /* keep the layout: a FROM at the start of a line gets the INTO on its own line */
            sb_puts(&full, at > 0 && q.data[at - 1] == '\n' ? "\n" : " ");
            sb_puts(&full, q.data + at);
        } else {
            sb_puts(&full, sb_cstr(&q));
            sb_putc(&full, ' ');
            sb_puts(&full, sb_cstr(&into));
        }
        sb_free(&into);
        sb_free(&q);
        q = full;
    }
    put_indented(sb, depth, sb_cstr(&q));
    sb_puts(sb, ";\n");
    sb_free(&q);
    if (g->activitycount && (is_dml(s->stmt) || (s->stmt->kind == IR_ST_CREATE_TABLE && s->stmt->query))) {
        ind(sb, depth);
        sb_puts(sb, "ACTIVITYCOUNT := SQLROWCOUNT;\n");
    }
}

/* Whether e takes the next value of a sequence. */
static bool names_sequence(const ir_expr *e)
{
    if (!e || e->kind != IR_EX_CALL)
        return false;
    if (e->u.call.fn == IR_FN_SEQ_NEXT)
        return true;
    for (int i = 0; i < e->u.call.n_args; i++)
        if (names_sequence(e->u.call.args[i]))
            return true;
    return false;
}

static void emit_assign(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    ind(sb, depth);
    if (s->target && strchr(s->target, '.')) {
        /* a record field: records are OBJECTs here */
        const char *dot = strchr(s->target, '.');
        strbuf rec = STRBUF_INIT;
        sb_putn(&rec, s->target, (size_t)(dot - s->target));
        snow_sql_name(sb, sb_cstr(&rec));
        sb_puts(sb, " := OBJECT_INSERT(");
        snow_sql_name(sb, sb_cstr(&rec));
        sb_puts(sb, ", ");
        snow_string(sb, dot + 1);
        sb_puts(sb, ", ");
        expr(g, sb, s->value, SNOW_PARAM_BARE);
        sb_puts(sb, ", TRUE);\n");
        sb_free(&rec);
        return;
    }
    if (names_sequence(s->value)) {
        /* seq.NEXTVAL belongs in a query (its documented places: SELECT, INSERT, DEFAULT) */
        sb_puts(sb, "SELECT ");
        expr(g, sb, s->value, SNOW_PARAM_BARE);
        sb_puts(sb, " INTO :");
        snow_sql_name(sb, s->target ? s->target : "ETLPORT_UNKNOWN");
        sb_puts(sb, ";\n");
        return;
    }
    snow_sql_name(sb, s->target ? s->target : "ETLPORT_UNKNOWN");
    sb_puts(sb, " := ");
    expr(g, sb, s->value, SNOW_PARAM_BARE);
    sb_puts(sb, ";\n");
}

static void emit_if(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    for (int i = 0; i < s->n_conds; i++) {
        ind(sb, depth);
        sb_puts(sb, i == 0 ? "IF " : "ELSEIF ");
        emit_if_cond(g, sb, s->conds[i]);
        sb_puts(sb, " THEN\n");
        emit_block_steps(g, sb, &s->blocks[i], depth + 1);
    }
    if (s->has_else) {
        ind(sb, depth);
        sb_puts(sb, "ELSE\n");
        emit_block_steps(g, sb, &s->blocks[s->n_conds], depth + 1);
    }
    ind(sb, depth);
    sb_puts(sb, "END IF;\n");
}

/* `END <kind> [label];` closing a loop. */
static void loop_end(strbuf *sb, const ir_pstmt *s, int depth, const char *kind)
{
    ind(sb, depth);
    sb_printf(sb, "END %s", kind);
    if (s->name) {
        sb_putc(sb, ' ');
        snow_sql_name(sb, s->name);
    }
    sb_puts(sb, ";\n");
}

/* The statements of a loop body; an empty body gets a NULL statement (Snowflake needs one). */
static void loop_body(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    if (s->blocks && s->blocks[0].n > 0) {
        emit_block_steps(g, sb, &s->blocks[0], depth);
    } else {
        ind(sb, depth);
        sb_puts(sb, "NULL;\n");
    }
}

/* The values a block's SQL binds that need a variable first (bind_name): record fields of rec
 * (rec != NULL) or, with rec NULL, SQLCODE/SQLERRM/SQLSTATE. */
typedef struct bind_list {
    bind_ctx b;
    const char *rec;
    char **orig, **var; /* "rec.field" / "SQLERRM" as the IR writes it; the variable (owned) */
    int n, cap;
} bind_list;

static bool collect_bind(ir_expr *e, void *ud)
{
    bind_list *bl = ud;
    strbuf v = STRBUF_INIT;
    const char *n = e->kind == IR_EX_PARAM ? e->u.param.name : e->kind == IR_EX_REF ? e->u.ref.col : NULL;
    bool mine = n && (bl->rec ? strncasecmp(n, bl->rec, strlen(bl->rec)) == 0 && n[strlen(bl->rec)] == '.'
                              : is_builtin_error_var(n));
    if (mine && bind_name(&bl->b, e, &v)) {
        bool seen = false;
        for (int i = 0; i < bl->n; i++)
            if (strcmp(bl->var[i], sb_cstr(&v)) == 0)
                seen = true;
        if (!seen) {
            if (bl->n == bl->cap) {
                bl->cap = bl->cap ? bl->cap * 2 : 8;
                bl->orig = realloc(bl->orig, (size_t)bl->cap * sizeof *bl->orig);
                bl->var = realloc(bl->var, (size_t)bl->cap * sizeof *bl->var);
                if (!bl->orig || !bl->var)
                    abort();
            }
            bl->orig[bl->n] = xstrdup(n);
            bl->var[bl->n++] = sb_take(&v);
        }
    }
    sb_free(&v);
    return false;
}

static void collect_binds(const ir_pblock *b, bind_list *bl)
{
    for (int i = 0; b && i < b->n; i++) {
        const ir_pstmt *s = b->stmts[i];
        if (s->stmt) {
            bl->b.st = s->stmt;
            ir_stmt_visit(s->stmt, collect_bind, bl);
        }
        if (s->query) {
            bl->b.st = s->query;
            ir_stmt_visit(s->query, collect_bind, bl);
        }
        bl->b.st = NULL;
        if (s->kind == IR_PS_CALL)
            for (int k = 0; k < s->n_args; k++)
                ir_expr_visit(s->args[k], collect_bind, bl);
        int nb = s->kind == IR_PS_IF ? s->n_conds + (s->has_else ? 1 : 0) : s->blocks ? 1 : 0;
        for (int k = 0; k < nb; k++)
            collect_binds(&s->blocks[k], bl);
        for (int k = 0; k < s->n_handlers; k++)
            collect_binds(&s->handlers[k].body, bl);
    }
}

static void bind_list_free(bind_list *bl)
{
    for (int i = 0; i < bl->n; i++) {
        free(bl->orig[i]);
        free(bl->var[i]);
    }
    free(bl->orig);
    free(bl->var);
}

/* The type of column `field` of a cursor query, UNKNOWN when the query does not say. */
static ir_type field_type(const ir_stmt *q, const char *field)
{
    ir_type none = ir_type_make(IR_TY_UNKNOWN, 0, 0);
    if (!q || !q->query)
        return none;
    for (int i = 0; q->query->items && i < q->query->n_items; i++) {
        const ir_select_item *it = &q->query->items[i];
        const char *name = it->alias;
        if (!name && it->expr && it->expr->kind == IR_EX_REF && it->expr->u.ref.col) {
            const char *dot = strrchr(it->expr->u.ref.col, '.');
            name = dot ? dot + 1 : it->expr->u.ref.col;
        }
        if (name && strcasecmp(name, field) == 0 && it->expr)
            return it->expr->type;
    }
    return none;
}

/* Declares var (once) and writes `var := value;`. */
static void bind_copy(pgen *g, strbuf *sb, int depth, const char *var, ir_type t, const char *why,
                      const char *value)
{
    if (declare_name(g, var)) {
        ind(&g->decl, 1);
        snow_sql_name(&g->decl, var);
        sb_putc(&g->decl, ' ');
        if (t.kind == IR_TY_UNKNOWN)
            sb_puts(&g->decl, "VARIANT");
        else
            snow_type(&g->decl, t);
        sb_printf(&g->decl, "; -- %s\n", why);
    }
    ind(sb, depth);
    snow_sql_name(sb, var);
    sb_puts(sb, " := ");
    sb_puts(sb, value);
    sb_puts(sb, ";\n");
}

/* The loop body, after copying the record fields its statements bind into variables: Snowflake
 * binds variables (:name), not fields of a cursor's row (:rec.field). */
static void loop_body_with_fields(pgen *g, strbuf *sb, const ir_pstmt *s, const char *rec, const ir_stmt *q,
                                  int depth)
{
    if (g->n_recs < 32)
        g->recs[g->n_recs] = rec;
    g->n_recs++;
    bind_list bl;
    memset(&bl, 0, sizeof bl);
    bl.b.g = g;
    bl.rec = rec;
    if (s->blocks)
        collect_binds(&s->blocks[0], &bl);
    for (int i = 0; i < bl.n; i++) {
        strbuf v = STRBUF_INIT, why = STRBUF_INIT;
        snow_sql_name(&v, rec);
        sb_putc(&v, '.');
        snow_sql_name(&v, strchr(bl.orig[i], '.') + 1);
        sb_printf(&why, "%s, bound in SQL (a cursor row's field cannot be)", bl.orig[i]);
        bind_copy(g, sb, depth, bl.var[i], field_type(q, strchr(bl.orig[i], '.') + 1), sb_cstr(&why),
                  sb_cstr(&v));
        sb_free(&v);
        sb_free(&why);
    }
    bind_list_free(&bl);
    loop_body(g, sb, s, depth);
    g->n_recs--;
}

/* FOR rec IN cursor/query DO body END FOR. */
static void emit_for_query(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    const char *rec = s->loop_var ? s->loop_var : "etlport_row";
    const ir_var *cv = s->cursor ? unit_var(g, s->cursor) : NULL;
    const ir_stmt *q = s->query ? s->query : cv ? cv->query : NULL;
    if (!q) {
        hole(g, sb, depth, s->span, "cursor loop over a cursor whose query is unknown", s->text);
        return;
    }
    strbuf t = STRBUF_INIT;
    sb_printf(&t, "row-by-row loop kept as written (ETLPORT ROW-BY-ROW): one iteration per row of %s",
              s->cursor ? s->cursor : "the query");
    note(sb, depth, sb_cstr(&t));
    sb_free(&t);
    if (unknown_var_hole(g, sb, depth, s, q))
        return;
    bool vars = q->kind == IR_ST_QUERY && query_has_param(q->query);
    if (s->cursor && cv && !vars) {
        ind(sb, depth);
        sb_puts(sb, "FOR ");
        snow_sql_name(sb, rec);
        sb_puts(sb, " IN ");
        snow_sql_name(sb, s->cursor);
        sb_puts(sb, " DO\n");
        loop_body_with_fields(g, sb, s, rec, q, depth + 1);
        loop_end(sb, s, depth, "FOR");
        return;
    }
    if (s->cursor && cv) {
        /* a declared cursor over a query with variables: (re)bind its RESULTSET now */
        ind(sb, depth);
        snow_sql_name(sb, s->cursor);
        sb_puts(sb, "_rs := (\n");
        strbuf qs = STRBUF_INIT;
        stmt_sql(g, &qs, q);
        put_indented(sb, depth + 1, sb_cstr(&qs));
        sb_free(&qs);
        sb_puts(sb, "\n");
        ind(sb, depth);
        sb_puts(sb, ");\n");
        ind(sb, depth);
        sb_puts(sb, "FOR ");
        snow_sql_name(sb, rec);
        sb_puts(sb, " IN ");
        snow_sql_name(sb, s->cursor);
        sb_puts(sb, " DO\n");
        loop_body_with_fields(g, sb, s, rec, q, depth + 1);
        loop_end(sb, s, depth, "FOR");
        return;
    }
    /* an inline query: a cursor of its own in a nested block (so the loop may run again) */
    strbuf cur = STRBUF_INIT;
    sb_printf(&cur, "%s_cur", rec);
    ind(sb, depth);
    sb_puts(sb, "BEGIN\n");
    if (vars) {
        ind(sb, depth + 1);
        sb_puts(sb, "LET ");
        snow_sql_name(sb, rec);
        sb_puts(sb, "_rs RESULTSET := (\n");
        strbuf qs = STRBUF_INIT;
        stmt_sql(g, &qs, q);
        put_indented(sb, depth + 2, sb_cstr(&qs));
        sb_free(&qs);
        sb_puts(sb, "\n");
        ind(sb, depth + 1);
        sb_puts(sb, ");\n");
        ind(sb, depth + 1);
        sb_puts(sb, "LET ");
        snow_sql_name(sb, sb_cstr(&cur));
        sb_puts(sb, " CURSOR FOR ");
        snow_sql_name(sb, rec);
        sb_puts(sb, "_rs;\n");
    } else {
        ind(sb, depth + 1);
        sb_puts(sb, "LET ");
        snow_sql_name(sb, sb_cstr(&cur));
        sb_puts(sb, " CURSOR FOR\n");
        strbuf qs = STRBUF_INIT;
        stmt_sql(g, &qs, q);
        put_indented(sb, depth + 2, sb_cstr(&qs));
        sb_free(&qs);
        sb_puts(sb, ";\n");
    }
    ind(sb, depth + 1);
    sb_puts(sb, "FOR ");
    snow_sql_name(sb, rec);
    sb_puts(sb, " IN ");
    snow_sql_name(sb, sb_cstr(&cur));
    sb_puts(sb, " DO\n");
    loop_body_with_fields(g, sb, s, rec, q, depth + 2);
    loop_end(sb, s, depth + 1, "FOR");
    ind(sb, depth);
    sb_puts(sb, "END;\n");
    sb_free(&cur);
}

/* EXIT/CONTINUE [WHEN cond]. */
static void emit_jump(pgen *g, strbuf *sb, const ir_pstmt *s, int depth, const char *kw)
{
    const ir_expr *cond = s->n_conds > 0 ? s->conds[0] : NULL;
    char buf[256];
    if (s->name) {
        strbuf t = STRBUF_INIT;
        snow_sql_name(&t, s->name);
        snprintf(buf, sizeof buf, "%s %s", kw, sb_cstr(&t));
        sb_free(&t);
        kw = buf;
    }
    if (cond) {
        ind(sb, depth);
        sb_puts(sb, "IF ");
        emit_if_cond(g, sb, cond);
        sb_puts(sb, " THEN\n");
        ind(sb, depth + 1);
        sb_printf(sb, "%s;\n", kw);
        ind(sb, depth);
        sb_puts(sb, "END IF;\n");
    } else {
        ind(sb, depth);
        sb_printf(sb, "%s;\n", kw);
    }
}

static void emit_return(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    if (g->has_out) {
        if (s->value)
            note(sb, depth, "the legacy RETURN value is dropped: the procedure returns its OUT parameters as an OBJECT");
        return_out_object(g, sb, depth);
        return;
    }
    ind(sb, depth);
    sb_puts(sb, "RETURN");
    if (s->value) {
        sb_putc(sb, ' ');
        expr(g, sb, s->value, SNOW_PARAM_BARE);
    }
    sb_puts(sb, ";\n");
}

static bool lit_int(const ir_expr *e, long *out)
{
    if (!e)
        return false;
    bool neg = false;
    if (e->kind == IR_EX_CALL && e->u.call.fn == IR_FN_NEG && e->u.call.n_args == 1) {
        neg = true;
        e = e->u.call.args[0];
    }
    if (e->kind != IR_EX_LIT || (e->u.lit.kind != IR_LIT_INT && e->u.lit.kind != IR_LIT_DECIMAL))
        return false;
    char *end;
    long v = strtol(e->u.lit.text, &end, 10);
    if (*end && *end != '.')
        return false;
    *out = neg ? -v : v;
    return true;
}

/* RAISE name / RAISE_APPLICATION_ERROR(code, msg) / THROW / RAISERROR / SIGNAL / re-raise. */
static void emit_raise(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    if (!s->name && !s->value && !s->code) {
        if (!g->handler_depth)
            note(sb, depth, "a re-raise outside an exception handler: Snowflake accepts RAISE; only in a handler");
        ind(sb, depth);
        sb_puts(sb, "RAISE;\n");
        return;
    }
    if (s->name && !s->value) {
        if (!is_user_exception(g, s->name)) {
            strbuf m = STRBUF_INIT;
            sb_printf(&m, "%s raised by name: declared here as a user exception (Snowflake has no such predefined exception)",
                      s->name);
            note(sb, depth, sb_cstr(&m));
            sb_free(&m);
            declare_exception(g, s->name, 0, s->name);
        }
        const ir_var *v = unit_var(g, s->name);
        ind(sb, depth);
        sb_puts(sb, "RAISE ");
        snow_sql_name(sb, v && v->name ? v->name : s->name);
        sb_puts(sb, ";\n");
        return;
    }
    /* an error number and a message: a declared exception of its own */
    long code = 0;
    bool has_code = lit_int(s->code, &code);
    const char *msg = s->value && s->value->kind == IR_EX_LIT && s->value->u.lit.kind == IR_LIT_STRING
                          ? s->value->u.lit.text
                          : NULL;
    char name[64];
    snprintf(name, sizeof name, "etlport_error_%d", ++g->tmp);
    strbuf why = STRBUF_INIT;
    if (has_code && (code > -20000 || code < -20999))
        sb_printf(&why, "error number %ld is outside Snowflake's range for user exceptions (-20000 .. -20999); ", code);
    if (!msg && s->value) {
        sb_puts(&why, "the message is computed at run time (");
        expr(g, &why, s->value, SNOW_PARAM_BARE);
        sb_puts(&why, ") but Snowflake exception messages are constants; ");
    }
    int want = has_code && code <= -20000 && code >= -20999 ? (int)code : 0;
    declare_exception(g, name, want, msg ? msg : s->name ? s->name : "error raised by the legacy code");
    if (why.len) {
        why.len -= 2;
        why.data[why.len] = 0;
        note(sb, depth, sb_cstr(&why));
    }
    sb_free(&why);
    ind(sb, depth);
    sb_puts(sb, "RAISE ");
    snow_sql_name(sb, name);
    sb_puts(sb, ";\n");
}

/* Conditions of a handler as Snowflake writes them, into sb; conditions Snowflake cannot name
 * (NO_DATA_FOUND, DUP_VAL_ON_INDEX, SQLSTATEs, NOT FOUND ...) into unmapped. Returns how many were
 * written. STATEMENT_ERROR is not used for them: it would catch every failing statement under
 * the wrong handler, where WHEN OTHER keeps the legacy catch-all behaviour. */
static int handler_conditions(pgen *g, strbuf *sb, strbuf *unmapped, const ir_handler *h, char *used_other)
{
    int n = 0;
    if (h->n_conditions == 0) {
        if (*used_other)
            return 0;
        *used_other = 1;
        sb_puts(sb, "OTHER");
        return 1;
    }
    for (int i = 0; i < h->n_conditions; i++) {
        const char *c = h->conditions[i];
        if (!c)
            continue;
        if (strcasecmp(c, "OTHERS") == 0 || strcasecmp(c, "SQLEXCEPTION") == 0 || strcasecmp(c, "OTHER") == 0) {
            if (*used_other)
                continue;
            *used_other = 1;
            sb_puts(sb, n++ ? " OR OTHER" : "OTHER");
            continue;
        }
        const ir_var *sv = unit_var(g, c);
        if (sv && sv->kind == IR_VAR_EXCEPTION && sv->type_of) {
            /* DB2 DECLARE c CONDITION FOR SQLSTATE 'x' names the database's own errors of that state,
             * which a Snowflake user exception never catches */
            sb_printf(unmapped, "%s%s (the database's errors of SQLSTATE %s)", unmapped->len ? ", " : "", c, sv->type_of);
            continue;
        }
        if (is_user_exception(g, c)) {
            /* conditions are stored upper case: write the name as declared */
            const ir_var *v = unit_var(g, c);
            if (n++)
                sb_puts(sb, " OR ");
            snow_sql_name(sb, v && v->name ? v->name : c);
            continue;
        }
        sb_printf(unmapped, "%s%s", unmapped->len ? ", " : "", c);
    }
    return n;
}

/* The legacy text of a handler, for its hole: WHEN ... THEN and the steps. */
static void handler_text(strbuf *sb, const ir_handler *h)
{
    sb_puts(sb, "WHEN ");
    for (int k = 0; k < h->n_conditions; k++)
        sb_printf(sb, "%s%s", k ? " OR " : "", h->conditions[k]);
    if (!h->n_conditions)
        sb_puts(sb, "OTHERS");
    sb_puts(sb, " THEN");
    for (int i = 0; i < h->body.n; i++)
        if (h->body.stmts[i]->text && *h->body.stmts[i]->text)
            sb_printf(sb, "\n    %s", h->body.stmts[i]->text);
}

/* Whether the steps end by leaving (RETURN, RAISE, QUIT), looking into a trailing nested block. */
static bool ends_with_exit(const ir_pblock *b)
{
    if (!b || !b->n)
        return false;
    const ir_pstmt *last = b->stmts[b->n - 1];
    if (last->kind == IR_PS_BLOCK && !last->n_handlers)
        return ends_with_exit(last->blocks ? &last->blocks[0] : NULL);
    return last->kind == IR_PS_RETURN || last->kind == IR_PS_RAISE || last->kind == IR_PS_QUIT;
}

static void emit_handlers(pgen *g, strbuf *sb, const ir_pstmt *blk, int depth, bool top)
{
    if (!blk->n_handlers)
        return;
    /* continue handlers first: they have no Snowflake form */
    int exits = 0;
    for (int i = 0; i < blk->n_handlers; i++)
        if (!blk->handlers[i].is_continue)
            exits++;
    if (!exits)
        return;
    strbuf *out = sb;
    strbuf hs = STRBUF_INIT; /* the handlers: EXCEPTION is written only if one of them remains */
    sb = &hs;
    int whens = 0;
    char used_other = 0;
    /* OTHER must come last: handlers that catch everything are written after the named ones */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < blk->n_handlers; i++) {
            const ir_handler *h = &blk->handlers[i];
            if (h->is_continue)
                continue;
            bool catch_all = h->n_conditions == 0;
            for (int k = 0; k < h->n_conditions; k++)
                if (h->conditions[k] && (strcasecmp(h->conditions[k], "OTHERS") == 0 ||
                                         strcasecmp(h->conditions[k], "SQLEXCEPTION") == 0))
                    catch_all = true;
            if (catch_all != (pass == 1))
                continue;
            strbuf conds = STRBUF_INIT, unmapped = STRBUF_INIT;
            int n = handler_conditions(g, &conds, &unmapped, h, &used_other);
            if (unmapped.len) {
                strbuf why = STRBUF_INIT, text = STRBUF_INIT;
                sb_printf(&why, "%s: Snowflake has no such exception and cannot tell this error from others; %s",
                          sb_cstr(&unmapped),
                          n ? "the handler keeps its other conditions"
                            : "such errors reach WHEN OTHER (if any) or fail the procedure");
                handler_text(&text, h);
                hole(g, sb, depth + 1, h->span, sb_cstr(&why), n ? NULL : sb_cstr(&text));
                sb_free(&why);
                sb_free(&text);
            } else if (!n) {
                strbuf text = STRBUF_INIT;
                handler_text(&text, h);
                hole(g, sb, depth + 1, h->span,
                     "exception handler whose conditions an earlier Snowflake handler already catches",
                     sb_cstr(&text));
                sb_free(&text);
            }
            sb_free(&unmapped);
            if (!n) {
                sb_free(&conds);
                continue;
            }
            ind(sb, depth + 1);
            sb_printf(sb, "WHEN %s THEN\n", sb_cstr(&conds));
            whens++;
            sb_free(&conds);
            g->handler_depth++;
            bind_list bl;
            memset(&bl, 0, sizeof bl);
            bl.b.g = g;
            collect_binds(&h->body, &bl);
            for (int k = 0; k < bl.n; k++) {
                strbuf up = STRBUF_INIT;
                for (const char *p = bl.orig[k]; *p; p++)
                    sb_putc(&up, (char)toupper((unsigned char)*p));
                bind_copy(g, sb, depth + 2, bl.var[k],
                          strcmp(sb_cstr(&up), "SQLCODE") == 0 ? ir_type_make(IR_TY_INT, 0, 0)
                                                               : ir_type_make(IR_TY_STRING, 0, 0),
                          "the error of a handler, bound in SQL", sb_cstr(&up));
                sb_free(&up);
            }
            bind_list_free(&bl);
            if (h->body.n)
                emit_block_steps(g, sb, &h->body, depth + 2);
            else {
                ind(sb, depth + 2);
                sb_puts(sb, "NULL;\n");
            }
            g->handler_depth--;
            if (top && g->has_out && !ends_with_exit(&h->body))
                return_out_object(g, sb, depth + 2);
        }
    }
    if (whens) {
        ind(out, depth);
        sb_puts(out, "EXCEPTION\n");
    }
    sb_puts(out, sb_cstr(&hs));
    sb_free(&hs);
}

static bool is_not_found_handler(const ir_handler *h)
{
    if (!h->is_continue || !h->body.n)
        return false;
    bool not_found = false;
    for (int k = 0; k < h->n_conditions; k++)
        if (h->conditions[k] && (strcasecmp(h->conditions[k], "NOT FOUND") == 0 || strcmp(h->conditions[k], "02000") == 0))
            not_found = true;
    for (int i = 0; i < h->body.n; i++)
        if (h->body.stmts[i]->kind != IR_PS_ASSIGN)
            return false;
    return not_found;
}

/* Continue handlers (DB2 DECLARE CONTINUE HANDLER): holes, said at the start of the block; a
 * NOT FOUND handler that only sets variables runs after each FETCH instead (emit_cursor_step). */
static void continue_handler_holes(pgen *g, strbuf *sb, const ir_pstmt *blk, int depth)
{
    for (int i = 0; i < blk->n_handlers; i++) {
        const ir_handler *h = &blk->handlers[i];
        if (!h->is_continue)
            continue;
        if (is_not_found_handler(h) && (!g->not_found || g->not_found == h)) {
            g->not_found = h;
            note(sb, depth, "CONTINUE HANDLER FOR NOT FOUND: Snowflake's FETCH raises nothing past the last row, "
                            "so the handler's assignments run after each FETCH whose first value is NULL (a NULL "
                            "in that column ends the loop early)");
            continue;
        }
        bool not_found = false;
        for (int k = 0; k < h->n_conditions; k++)
            if (h->conditions[k] && (strcasecmp(h->conditions[k], "NOT FOUND") == 0 ||
                                     strcmp(h->conditions[k], "02000") == 0))
                not_found = true;
        strbuf text = STRBUF_INIT;
        sb_puts(&text, "CONTINUE HANDLER FOR ");
        for (int k = 0; k < h->n_conditions; k++)
            sb_printf(&text, "%s%s", k ? ", " : "", h->conditions[k]);
        if (!h->n_conditions)
            sb_puts(&text, "any error");
        if (h->span.line == 0 && h->body.n && h->body.stmts[0]->text) {
            sb_puts(&text, ": ");
            sb_puts(&text, h->body.stmts[0]->text);
        } else {
            ir_pblock_legacy_text(&text, &h->body, 1); /* what it did, for the reviewer who rewrites it */
        }
        hole(g, sb, depth, h->span,
             not_found ? "CONTINUE HANDLER FOR NOT FOUND: Snowflake's FETCH sets the variables to NULL past the "
                         "last row instead of raising; loop with FOR r IN cursor DO, or test the fetched key for NULL"
                       : "CONTINUE HANDLER: Snowflake Scripting handlers always leave the block; wrap the statement "
                         "that may fail in BEGIN ... EXCEPTION ... END to resume after it",
             sb_cstr(&text));
        sb_free(&text);
    }
}

/* A nested BEGIN .. [EXCEPTION ..] END (its declarations are hoisted). */
static void emit_nested_block(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    ind(sb, depth);
    sb_puts(sb, "BEGIN\n");
    continue_handler_holes(g, sb, s, depth + 1);
    if (s->blocks && s->blocks[0].n)
        emit_block_steps(g, sb, &s->blocks[0], depth + 1);
    else {
        ind(sb, depth + 1);
        sb_puts(sb, "NULL;\n");
    }
    emit_handlers(g, sb, s, depth, false);
    ind(sb, depth);
    sb_puts(sb, "END;\n");
}

/* The hole that marks dynamic SQL (its text is in the legacy dialect), the assignment of a computed
 * text to etlport_dyn_sql, and `EXECUTE IMMEDIATE <text> [USING (..)]` into run (no ';'); bind: the
 * text variable as :name (inside a query, as in a RESULTSET assignment). */
static void dynamic_sql(pgen *g, strbuf *sb, const ir_pstmt *s, int depth, strbuf *run, bool bind)
{
    strbuf why = STRBUF_INIT;
    sb_puts(&why, "dynamic SQL: the statement text is built at run time in the legacy dialect (");
    sb_puts(&why, g->u->dialect ? g->u->dialect : "?");
    sb_puts(&why, ") and is not translated; check what it can contain before running");
    if (s->n_into)
        sb_puts(&why, "; its INTO targets are not set (read the RESULTSET EXECUTE IMMEDIATE returns)");
    hole(g, sb, depth, s->span, sb_cstr(&why), s->text);
    sb_free(&why);
    const ir_expr *v = s->value;
    bool plain_var = v && v->kind == IR_EX_PARAM;
    bool literal = v && v->kind == IR_EX_LIT && v->u.lit.kind == IR_LIT_STRING;
    if (!plain_var && !literal) {
        if (!g->dyn_sql) {
            g->dyn_sql = true;
            declare_name(g, "etlport_dyn_sql");
            ind(&g->decl, 1);
            sb_puts(&g->decl, "etlport_dyn_sql VARCHAR; -- the text of dynamic SQL statements\n");
        }
        ind(sb, depth);
        sb_puts(sb, "etlport_dyn_sql := ");
        expr(g, sb, v, SNOW_PARAM_BARE);
        sb_puts(sb, ";\n");
    }
    sb_puts(run, bind && !literal ? "EXECUTE IMMEDIATE :" : "EXECUTE IMMEDIATE ");
    if (literal)
        snow_string(run, v->u.lit.text);
    else if (plain_var)
        snow_sql_name(run, v->u.param.name);
    else
        sb_puts(run, "etlport_dyn_sql");
    int binds = 0;
    for (int i = 0; i < s->n_args; i++) {
        if (!s->args[i] || s->args[i]->kind != IR_EX_PARAM)
            continue;
        sb_puts(run, binds++ ? ", " : " USING (");
        snow_sql_name(run, s->args[i]->u.param.name);
    }
    if (binds)
        sb_putc(run, ')');
    if (binds < s->n_args)
        note(sb, depth, "USING arguments that are not variables were left out: EXECUTE IMMEDIATE binds variables only");
}

static void emit_exec(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    strbuf run = STRBUF_INIT;
    dynamic_sql(g, sb, s, depth, &run, false);
    ind(sb, depth);
    sb_puts(sb, sb_cstr(&run));
    sb_puts(sb, ";\n");
    sb_free(&run);
}

/* The declared type of a variable or parameter of the unit; UNKNOWN when it has none. */
static ir_type var_type(const pgen *g, const char *name)
{
    const ir_var *v = unit_var(g, name);
    if (v)
        return v->type;
    for (int i = 0; i < g->u->n_params; i++)
        if (strcasecmp(g->u->params[i].name, name) == 0)
            return g->u->params[i].type;
    return ir_type_make(IR_TY_UNKNOWN, 0, 0);
}

static void emit_call(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    const char *why = ir_pstmt_call_unmapped(s);
    if (why) {
        hole(g, sb, depth, s->span, why, s->text);
        return;
    }
    bool outs = ir_pstmt_has_out_args(s);
    ind(sb, depth);
    sb_puts(sb, "CALL ");
    snow_qname(sb, s->name ? s->name : "ETLPORT_UNKNOWN");
    sb_putc(sb, '(');
    for (int i = 0; i < s->n_args; i++) {
        if (i)
            sb_puts(sb, ", ");
        if (s->arg_names && s->arg_names[i]) {
            snow_sql_name(sb, s->arg_names[i]);
            sb_puts(sb, " => ");
        }
        expr(g, sb, s->args[i], SNOW_PARAM_BIND);
    }
    sb_putc(sb, ')');
    if (s->n_into) {
        sb_puts(sb, " INTO :");
        snow_sql_name(sb, s->into_vars[0]);
    } else if (outs) {
        if (!g->call_result) {
            g->call_result = true;
            declare_name(g, "etlport_call_result");
            ind(&g->decl, 1);
            sb_puts(&g->decl, "etlport_call_result VARIANT; -- the OUT parameters a CALL returned, as an OBJECT\n");
        }
        sb_puts(sb, " INTO :etlport_call_result");
    }
    sb_puts(sb, ";\n");
    for (int i = 0; outs && i < s->n_args; i++) {
        if (!s->arg_outs[i])
            continue;
        ind(sb, depth);
        snow_sql_name(sb, s->arg_outs[i]);
        sb_puts(sb, " := GET_IGNORE_CASE(etlport_call_result, ");
        snow_string(sb, s->arg_names[i]);
        sb_putc(sb, ')');
        ir_type t = var_type(g, s->arg_outs[i]);
        if (t.kind != IR_TY_UNKNOWN) {
            sb_puts(sb, "::");
            snow_type(sb, t);
        }
        sb_puts(sb, ";\n");
    }
}

static void emit_print(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    ind(sb, depth);
    sb_puts(sb, "SYSTEM$LOG_INFO(");
    expr(g, sb, s->value, SNOW_PARAM_BARE);
    sb_puts(sb, ");\n");
}

static void emit_cursor_step(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    const char *c = s->cursor ? s->cursor : s->name;
    if (!c) {
        hole(g, sb, depth, s->span, "cursor step without a cursor name", s->text);
        return;
    }
    const ir_var *cv = unit_var(g, c);
    switch (s->kind) {
    case IR_PS_OPEN:
        if (s->value) {
            /* OPEN c FOR text / a prepared statement: the RESULTSET of the text run now */
            strbuf run = STRBUF_INIT;
            dynamic_sql(g, sb, s, depth, &run, true);
            ind(sb, depth);
            snow_sql_name(sb, c);
            sb_printf(sb, "_rs := (%s);\n", sb_cstr(&run));
            sb_free(&run);
        } else if (s->query || (cv && cv->query && cv->query->kind == IR_ST_QUERY && query_has_param(cv->query->query))) {
            ind(sb, depth);
            snow_sql_name(sb, c);
            sb_puts(sb, "_rs := (\n");
            strbuf qs = STRBUF_INIT;
            stmt_sql(g, &qs, s->query ? s->query : cv->query);
            put_indented(sb, depth + 1, sb_cstr(&qs));
            sb_free(&qs);
            sb_puts(sb, "\n");
            ind(sb, depth);
            sb_puts(sb, ");\n");
        }
        ind(sb, depth);
        sb_puts(sb, "OPEN ");
        snow_sql_name(sb, c);
        sb_puts(sb, ";\n");
        break;
    case IR_PS_FETCH:
        if (s->bulk) {
            hole(g, sb, depth, s->span, "FETCH BULK COLLECT: Snowflake Scripting has no collections", s->text);
            return;
        }
        if (!g->not_found && !g->fetch_status)
            note(sb, depth, "past the last row Snowflake's FETCH sets the variables to NULL and raises nothing");
        ind(sb, depth);
        sb_puts(sb, "FETCH ");
        snow_sql_name(sb, c);
        sb_puts(sb, " INTO ");
        for (int i = 0; i < s->n_into; i++) {
            if (i)
                sb_puts(sb, ", ");
            snow_sql_name(sb, s->into_vars[i]);
        }
        sb_puts(sb, ";\n");
        if (g->not_found && s->n_into) {
            ind(sb, depth);
            sb_puts(sb, "IF (");
            snow_sql_name(sb, s->into_vars[0]);
            sb_puts(sb, " IS NULL) THEN\n");
            for (int i = 0; i < g->not_found->body.n; i++)
                emit_step(g, sb, g->not_found->body.stmts[i], depth + 1);
            ind(sb, depth);
            sb_puts(sb, "END IF;\n");
        }
        if (g->fetch_status && s->n_into) {
            ind(sb, depth);
            sb_puts(sb, "etlport_fetch_status := IFF(");
            snow_sql_name(sb, s->into_vars[0]);
            sb_puts(sb, " IS NULL, -1, 0);\n");
        }
        if (tracks_found(g, c) && s->n_into) {
            ind(sb, depth);
            found_var(sb, c, strlen(c));
            sb_puts(sb, " := (");
            snow_sql_name(sb, s->into_vars[0]);
            sb_puts(sb, " IS NOT NULL);\n");
        }
        break;
    default:
        ind(sb, depth);
        sb_puts(sb, "CLOSE ");
        snow_sql_name(sb, c);
        sb_puts(sb, ";\n");
        break;
    }
}

static void emit_quit(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    long code = 0;
    bool lit = lit_int(s->value, &code);
    if (!s->value || (lit && code == 0)) {
        ind(sb, depth);
        sb_puts(sb, "RETURN 0;\n");
        return;
    }
    note(sb, depth, "BTEQ .QUIT with a return code: the procedure returns it; a caller that must fail on it checks the value");
    ind(sb, depth);
    sb_puts(sb, "RETURN ");
    expr(g, sb, s->value, SNOW_PARAM_BARE);
    sb_puts(sb, ";\n");
}

static bool is_rowcount_ref(ir_expr *e, void *ud)
{
    (void)ud;
    const char *n = e->kind == IR_EX_PARAM ? e->u.param.name : e->kind == IR_EX_REF && e->u.ref.node == 0 ? e->u.ref.col : NULL;
    const char *t = tsql_global(n);
    return t && strcmp(t, "SQLROWCOUNT") == 0;
}

/* Whether step s reads T-SQL's @@ROWCOUNT in its own expressions. */
static bool step_reads_rowcount(const ir_pstmt *s)
{
    return ir_pstmt_own_exprs_any(s, is_rowcount_ref, NULL);
}

static void emit_step_kind(pgen *g, strbuf *sb, const ir_pstmt *s, int depth);

static void emit_step(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    if (!s)
        return;
    bool after_dml = g->after_dml;
    if (!after_dml && g->u->dialect && strcmp(g->u->dialect, "tsql") == 0 && step_reads_rowcount(s))
        hole(g, sb, depth, s->span,
             "@@ROWCOUNT after a statement that is not INSERT, UPDATE, DELETE or MERGE (a SELECT, an assignment, "
             "PRINT ..): T-SQL counts that statement's rows, Snowflake's SQLROWCOUNT only a DML's (NULL after a "
             "query); count them another way (COUNT(*), or a RESULTSET's rows)",
             NULL);
    emit_step_kind(g, sb, s, depth);
    /* DECLARE leaves @@ROWCOUNT as it was; every other statement sets it */
    g->after_dml = s->kind == IR_PS_SQL ? is_dml(s->stmt)
                 : s->kind == IR_PS_DECLARE && !(s->var && s->var->init) ? after_dml
                 : false;
}

static void emit_step_kind(pgen *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    switch (s->kind) {
    case IR_PS_SQL:
        provenance(g, sb, depth, s);
        emit_sql(g, sb, s, depth);
        break;
    case IR_PS_DECLARE:
        if (s->var && s->var->kind == IR_VAR_TABLE) {
            emit_table_var(g, sb, s->var, depth);
        } else if (s->var && s->var->kind == IR_VAR_SCALAR && s->var->init && !leading_init(g, s)) {
            ind(sb, depth);
            snow_sql_name(sb, s->var->name);
            sb_puts(sb, " := ");
            expr(g, sb, s->var->init, SNOW_PARAM_BARE);
            sb_puts(sb, ";\n");
        }
        break;
    case IR_PS_ASSIGN: emit_assign(g, sb, s, depth); break;
    case IR_PS_IF: emit_if(g, sb, s, depth); break;
    case IR_PS_WHILE:
        ind(sb, depth);
        sb_puts(sb, "WHILE ");
        emit_if_cond(g, sb, s->n_conds ? s->conds[0] : NULL);
        sb_puts(sb, " DO\n");
        loop_body(g, sb, s, depth + 1);
        loop_end(sb, s, depth, "WHILE");
        break;
    case IR_PS_LOOP:
        ind(sb, depth);
        sb_puts(sb, "LOOP\n");
        loop_body(g, sb, s, depth + 1);
        loop_end(sb, s, depth, "LOOP");
        break;
    case IR_PS_FOR_RANGE:
        ind(sb, depth);
        sb_puts(sb, "FOR ");
        snow_sql_name(sb, s->loop_var ? s->loop_var : "i");
        sb_puts(sb, s->reverse ? " IN REVERSE " : " IN ");
        expr(g, sb, s->lo, SNOW_PARAM_BARE);
        sb_puts(sb, " TO ");
        expr(g, sb, s->hi, SNOW_PARAM_BARE);
        sb_puts(sb, " DO\n");
        loop_body(g, sb, s, depth + 1);
        loop_end(sb, s, depth, "FOR");
        break;
    case IR_PS_FOR_QUERY:
        provenance(g, sb, depth, s);
        emit_for_query(g, sb, s, depth);
        break;
    case IR_PS_FORALL:
        hole(g, sb, depth, s->span,
             "FORALL over a collection: Snowflake Scripting has no collections (load the rows into a temporary "
             "table and run the DML once over it)",
             s->text);
        break;
    case IR_PS_EXIT: emit_jump(g, sb, s, depth, "BREAK"); break;
    case IR_PS_CONTINUE: emit_jump(g, sb, s, depth, "CONTINUE"); break;
    case IR_PS_RETURN: emit_return(g, sb, s, depth); break;
    case IR_PS_RAISE: emit_raise(g, sb, s, depth); break;
    case IR_PS_BLOCK: emit_nested_block(g, sb, s, depth); break;
    case IR_PS_OPEN:
    case IR_PS_FETCH:
    case IR_PS_CLOSE: emit_cursor_step(g, sb, s, depth); break;
    case IR_PS_EXEC: emit_exec(g, sb, s, depth); break;
    case IR_PS_CALL:
        provenance(g, sb, depth, s);
        emit_call(g, sb, s, depth);
        break;
    case IR_PS_BEGIN_TXN:
        if (s->name) {
            hole(g, sb, depth, s->span, "savepoint: Snowflake has no savepoints (split the work into transactions)",
                 s->text);
            break;
        }
        ind(sb, depth);
        sb_puts(sb, "BEGIN TRANSACTION;\n");
        if (g->trancount) {
            ind(sb, depth);
            sb_puts(sb, "etlport_trancount := etlport_trancount + 1;\n");
        }
        break;
    case IR_PS_COMMIT:
        ind(sb, depth);
        sb_puts(sb, "COMMIT;\n");
        if (g->trancount) {
            ind(sb, depth);
            sb_puts(sb, "etlport_trancount := 0;\n");
        }
        break;
    case IR_PS_ROLLBACK:
        if (s->name) {
            hole(g, sb, depth, s->span, "ROLLBACK TO a savepoint: Snowflake has no savepoints", s->text);
            break;
        }
        ind(sb, depth);
        sb_puts(sb, "ROLLBACK;\n");
        if (g->trancount) {
            ind(sb, depth);
            sb_puts(sb, "etlport_trancount := 0;\n");
        }
        break;
    case IR_PS_PRINT: emit_print(g, sb, s, depth); break;
    case IR_PS_LABEL: {
        strbuf t = STRBUF_INIT;
        sb_printf(&t, "label %s", s->name ? s->name : "?");
        snow_line_comments(sb, depth * IND, NULL, sb_cstr(&t));
        sb_free(&t);
        break;
    }
    case IR_PS_GOTO:
        /* reached only when emit_block_steps could not structure it */
        hole(g, sb, depth, s->span,
             "GOTO that is not a forward jump within the same block: Snowflake Scripting has no GOTO", s->text);
        break;
    case IR_PS_QUIT: emit_quit(g, sb, s, depth); break;
    case IR_PS_COMMAND: {
        if (s->text && strcasecmp(s->text, "NULL") == 0) { /* the no-op statement, as Snowflake Scripting has it */
            ind(sb, depth);
            sb_puts(sb, "NULL;\n");
            break;
        }
        strbuf t = STRBUF_INIT;
        sb_puts(&t, "client command, no effect on data: ");
        sb_puts(&t, s->text ? s->text : "");
        snow_line_comments(sb, depth * IND, NULL, sb_cstr(&t));
        sb_free(&t);
        break;
    }
    case IR_PS_HOLE:
        hole(g, sb, depth, s->span, s->hole_reason ? s->hole_reason : "not translated", s->text);
        break;
    }
}





/* Steps [from, to) of b. A forward GOTO to a label in the same block at or before `to` becomes
 * structured flow: the steps it skips run under IF (NOT cond); an unconditional one leaves them
 * as commented-out dead code. Any other GOTO is a hole. */
static void emit_range(pgen *g, strbuf *sb, const ir_pblock *b, int from, int to, int depth)
{
    for (int i = from; i < to; i++) {
        const ir_pstmt *s = b->stmts[i];
        const ir_expr *cond = NULL;
        const ir_pstmt *go = ir_pstmt_as_goto(s, &cond);
        if (!go) {
            emit_step(g, sb, s, depth);
            continue;
        }
        int l = ir_pblock_label_index(b, go->name, i + 1), end;
        if (g->err_exit >= 0 && cond && expr_reads(cond, "ERRORCODE") && b == &g->u->body.blocks[0] &&
            l == g->err_exit) {
            strbuf t = STRBUF_INIT;
            sb_printf(&t, "%s: a failing statement raises instead; the EXCEPTION handler at the end runs %s",
                      s->text && *s->text ? s->text : go->text && *go->text ? go->text : "GOTO", go->name);
            snow_line_comments(sb, depth * IND, NULL, sb_cstr(&t));
            sb_free(&t);
            continue;
        }
        if (l >= 0 && cond && ir_pblock_terminal_section(b, l, &end)) {
            strbuf t = STRBUF_INIT;
            sb_printf(&t, "%s: a jump to %s, which ends the script: that section, written here",
                      s->text && *s->text ? s->text : go->text && *go->text ? go->text : "GOTO", go->name);
            snow_line_comments(sb, depth * IND, NULL, sb_cstr(&t));
            sb_free(&t);
            if (expr_reads(cond, "ERRORCODE"))
                note(sb, depth, "a failing statement raises in Snowflake Scripting (the procedure stops with the "
                                "error) instead of setting ERRORCODE, so ERRORCODE is 0 here");
            ind(sb, depth);
            sb_puts(sb, "IF ");
            emit_if_cond(g, sb, cond);
            sb_puts(sb, " THEN\n");
            for (int k = l + 1; k <= end; k++)
                emit_step(g, sb, b->stmts[k], depth + 1);
            ind(sb, depth);
            sb_puts(sb, "END IF;\n");
            continue;
        }
        if (l < 0 || l > to) {
            emit_step(g, sb, s, depth);
            continue;
        }
        strbuf t = STRBUF_INIT;
        const char *gt = s->text && *s->text ? s->text : go->text && *go->text ? go->text : "GOTO";
        sb_printf(&t, "%s: a forward jump to %s, written as structured flow", gt, go->name);
        snow_line_comments(sb, depth * IND, NULL, sb_cstr(&t));
        sb_free(&t);
        if (cond && expr_reads(cond, "ERRORCODE"))
            note(sb, depth, "a failing statement raises in Snowflake Scripting (the procedure stops with the "
                            "error) instead of setting ERRORCODE, so ERRORCODE is 0 here");
        if (!cond) {
            for (int k = i + 1; k < l; k++) {
                const ir_pstmt *d = b->stmts[k];
                strbuf dt = STRBUF_INIT;
                sb_printf(&dt, "dead code, skipped by the jump: %s", d->text ? d->text : ir_pstmt_kind_name(d->kind));
                snow_line_comments(sb, depth * IND, NULL, sb_cstr(&dt));
                sb_free(&dt);
            }
        } else if (l > i + 1) {
            /* the jump is taken only when cond is TRUE: a NULL condition runs the steps */
            ind(sb, depth);
            sb_puts(sb, "IF (NOT COALESCE(");
            expr(g, sb, cond, SNOW_PARAM_BARE);
            sb_puts(sb, ", FALSE)) THEN\n");
            emit_range(g, sb, b, i + 1, l, depth + 1);
            ind(sb, depth);
            sb_puts(sb, "END IF;\n");
        }
        i = l - 1;
    }
}

static void emit_block_steps(pgen *g, strbuf *sb, const ir_pblock *b, int depth)
{
    emit_range(g, sb, b, 0, b->n, depth);
}

/* ---- the unit ---- */

/* Whether any step of the unit (handlers included) reads the variable name. */
static bool script_reads(const ir_unit *u, const char *name)
{
    return step_reads(&u->body, name);
}

static const char *unit_kind_name(ir_unit_kind k)
{
    switch (k) {
    case IR_UNIT_PROCEDURE: return "procedure";
    case IR_UNIT_FUNCTION: return "function";
    case IR_UNIT_BLOCK: return "anonymous block";
    case IR_UNIT_SCRIPT: return "script";
    }
    return "unit";
}

/* Netezza's positional parameters: `p_date ALIAS FOR $1` names $1. The alias variable (a block
 * variable of the unit initialised with exactly $N), or NULL. */
static const ir_var *param_alias(const ir_unit *u, const char *pname)
{
    if (!pname || pname[0] != '$')
        return NULL;
    for (int i = 0; i < u->body.n_vars; i++) {
        const ir_var *v = &u->body.vars[i];
        if (v->kind == IR_VAR_SCALAR && v->init && v->init->kind == IR_EX_PARAM && v->init->u.param.name &&
            strcmp(v->init->u.param.name, pname) == 0)
            return v;
    }
    return NULL;
}

static bool opens_with(const ir_pstmt *s, const void *cursor)
{
    return s->kind == IR_PS_OPEN && (s->query || s->value) && s->name && strcasecmp(s->name, cursor) == 0;
}

/* Whether s or a step under it opens cursor with its own query or text (OPEN c FOR ..). */
static bool step_opens_with(const ir_pstmt *s, const char *cursor)
{
    return ir_pstmt_any(s, opens_with, cursor);
}

static bool loops_over(const ir_pstmt *s, const void *rec)
{
    return s->kind == IR_PS_FOR_QUERY && s->loop_var && strcasecmp(s->loop_var, rec) == 0;
}

/* Whether a cursor FOR loop under s uses rec as its row variable (which Snowflake declares itself). */
static bool step_loops_over(const ir_pstmt *s, const char *rec)
{
    return ir_pstmt_any(s, loops_over, rec);
}

/* Whether a parameter default is a constant expression (no variable, column, subquery or hole). */
static bool param_default_constant(const ir_expr *e)
{
    return !ir_expr_contains(e, IR_EXPR_MASK(IR_EX_REF) | IR_EXPR_MASK(IR_EX_PARAM) | IR_EXPR_MASK(IR_EX_HOLE) |
                                    IR_EXPR_MASK(IR_EX_QUERY) | IR_EXPR_MASK(IR_EX_OVER));
}

/* The procedure's name: the unit's name with characters Snowflake cannot take in a plain
 * identifier replaced ("pkg.proc" keeps its dot: a schema-qualified name). */
static void proc_name(strbuf *sb, const ir_unit *u)
{
    const char *n = u->name && *u->name ? u->name : "etlport_unit";
    if (u->kind == IR_UNIT_SCRIPT) {
        strbuf t = STRBUF_INIT;
        snow_param_name(&t, n);
        snow_sql_name(sb, sb_cstr(&t));
        sb_free(&t);
        return;
    }
    snow_qname(sb, n);
}

int snow_emit_unit(const ir_unit *u, const be_options *opt, strbuf *out, be_result *res, diag_ctx *dc)
{
    (void)opt;
    (void)dc;
    if (!u)
        return -1;
    pgen g;
    memset(&g, 0, sizeof g);
    g.u = u;
    g.next_code = -20001;
    g.err_exit = -1;
    g.is_script = u->kind == IR_UNIT_SCRIPT;
    for (int i = 0; i < u->n_params; i++)
        if (u->params[i].mode != IR_PARAM_IN)
            g.has_out = true;
    g.param_names = calloc((size_t)u->n_params + 1, sizeof *g.param_names);
    if (!g.param_names)
        abort();
    for (int i = 0; i < u->n_params; i++) {
        const ir_unit_param *p = &u->params[i];
        const ir_var *alias = param_alias(u, p->name);
        g.param_names[i] = alias ? alias->name : p->name;
        declare_name(&g, p->name);
        if (alias)
            declare_name(&g, alias->name); /* the parameter itself carries the alias's name */
        if (p->mode != IR_PARAM_OUT)
            continue;
        /* an OUT parameter is a variable of the body, NULL at the start as in the legacy dialects */
        ind(&g.decl, 1);
        snow_sql_name(&g.decl, p->name);
        sb_putc(&g.decl, ' ');
        snow_type(&g.decl, p->type);
        sb_puts(&g.decl, "; -- OUT parameter\n");
    }

    /* declarations: the unit's, then every nested one, hoisted */
    if (g.is_script && script_reads(u, "ERRORCODE") && declare_name(&g, "ERRORCODE"))
        sb_puts(&g.decl, "    ERRORCODE NUMBER DEFAULT 0; -- BTEQ's ERRORCODE: failing statements raise instead\n");
    if (g.is_script && script_reads(u, "ACTIVITYCOUNT") && declare_name(&g, "ACTIVITYCOUNT")) {
        sb_puts(&g.decl, "    ACTIVITYCOUNT NUMBER DEFAULT 0; -- BTEQ's ACTIVITYCOUNT: set from SQLROWCOUNT after each DML\n");
        g.activitycount = true;
    }
    bool tsql = u->dialect && strcmp(u->dialect, "tsql") == 0;
    bool oracle = u->dialect && strcmp(u->dialect, "oracle") == 0;
    for (int i = 0; oracle && i < u->job->n_params && g.n_found_cursors < 8; i++) {
        /* an explicit cursor's %FOUND / %NOTFOUND: a variable set after each FETCH of it */
        const char *pn = u->job->params[i].name;
        size_t clen = cursor_found_attr(pn);
        if (!clen || clen >= sizeof g.found_cursors[0] || !script_reads(u, pn))
            continue;
        char cur[64];
        memcpy(cur, pn, clen);
        cur[clen] = 0;
        if (tracks_found(&g, cur))
            continue;
        strbuf v = STRBUF_INIT;
        found_var(&v, cur, clen);
        if (declare_name(&g, sb_cstr(&v))) {
            sb_printf(&g.decl,
                      "    -- ETLPORT NOTE: Oracle's %s%%FOUND, set after each FETCH from whether the first fetched value "
                      "is NULL (Snowflake's FETCH says nothing past the last row; a NULL in that column ends the loop "
                      "early)\n    %s BOOLEAN;\n",
                      cur, sb_cstr(&v));
            memcpy(g.found_cursors[g.n_found_cursors++], cur, clen + 1);
        }
        sb_free(&v);
    }
    if (tsql && (script_reads(u, "@@FETCH_STATUS") || script_reads(u, "FETCH_STATUS")) &&
        declare_name(&g, "etlport_fetch_status")) {
        sb_puts(&g.decl, "    -- ETLPORT NOTE: T-SQL's @@FETCH_STATUS, set after each FETCH from whether the first fetched "
                         "value is NULL (Snowflake's FETCH says nothing past the last row; a NULL in that column ends "
                         "the loop early)\n"
                         "    etlport_fetch_status INTEGER DEFAULT -1;\n");
        g.fetch_status = true;
    }
    if (tsql && (script_reads(u, "@@TRANCOUNT") || script_reads(u, "TRANCOUNT")) &&
        declare_name(&g, "etlport_trancount")) {
        sb_puts(&g.decl, "    etlport_trancount INTEGER DEFAULT 0; -- T-SQL's @@TRANCOUNT for this procedure's own "
                         "transactions\n");
        g.trancount = true;
    }
    g.n_leading_inits = count_leading_inits(u);
    hoist_step(&g, &u->body);

    /* the body */
    strbuf body = STRBUF_INIT;
    int err_end = -1;
    g.err_exit = ir_unit_error_exit_label(u, &err_end);
    continue_handler_holes(&g, &body, &u->body, 1);
    if (u->body.blocks && u->body.blocks[0].n)
        emit_block_steps(&g, &body, &u->body.blocks[0], 1);
    const ir_pblock *top = u->body.blocks ? &u->body.blocks[0] : NULL;
    if (g.has_out && !(top && top->n && top->stmts[top->n - 1]->kind == IR_PS_RETURN))
        return_out_object(&g, &body, 1);
    else if (!(u->body.blocks && u->body.blocks[0].n)) {
        ind(&body, 1);
        sb_puts(&body, "NULL;\n");
    }
    emit_handlers(&g, &body, &u->body, 0, true);
    if (g.err_exit >= 0) {
        const ir_pblock *b = &u->body.blocks[0];
        strbuf t = STRBUF_INIT;
        sb_printf(&t, "BTEQ's .IF ERRORCODE <> 0 THEN .GOTO %s: any failing statement runs that section (also one "
                      "the script did not check)",
                  b->stmts[g.err_exit]->name);
        sb_puts(&body, "EXCEPTION\n");
        note(&body, 1, sb_cstr(&t));
        sb_free(&t);
        sb_puts(&body, "    WHEN OTHER THEN\n");
        g.handler_depth++;
        for (int k = g.err_exit + 1; k <= err_end; k++) {
            const ir_pstmt *q = b->stmts[k];
            long code = 0;
            if (k == err_end && q->kind == IR_PS_QUIT && !(lit_int(q->value, &code) && code == 0)) {
                /* the error exit's return code failed the job: the procedure fails with the error */
                strbuf t = STRBUF_INIT;
                sb_printf(&t, "%s: re-raised, so the CALL fails as the BTEQ job did (with the original error)",
                          q->text && *q->text ? q->text : ".QUIT");
                note(&body, 2, sb_cstr(&t));
                sb_free(&t);
                sb_puts(&body, "        RAISE;\n");
                continue;
            }
            emit_step(&g, &body, q, 2);
        }
        g.handler_depth--;
    }

    /* parameter defaults that read package or session state (logger.gc_empty_tab_param): a
     * Snowflake argument default cannot, so the argument has none and callers must pass it (a call
     * without it fails instead of running with another value) */
    strbuf defaults = STRBUF_INIT;
    for (int i = 0; i < u->n_params; i++) {
        const ir_unit_param *p = &u->params[i];
        if (!p->default_value || param_default_constant(p->default_value))
            continue;
        strbuf why = STRBUF_INIT;
        sb_printf(&why, "the legacy default of %s reads package or session state (", p->name);
        strbuf t = STRBUF_INIT;
        ir_expr_to_text(&t, p->default_value);
        for (const char *c = sb_cstr(&t); *c; c++)
            sb_putc(&why, *c == '\n' || *c == '\r' ? ' ' : *c);
        sb_free(&t);
        sb_puts(&why, "), which a Snowflake argument default cannot: callers pass it");
        note(&defaults, 0, sb_cstr(&why));
        sb_free(&why);
    }

    /* header */
    strbuf name = STRBUF_INIT;
    proc_name(&name, u);
    sb_printf(out, "-- Generated by etlport (Snowflake Scripting) from %s %s\n", unit_kind_name(u->kind),
              u->name ? u->name : "?");
    sb_printf(out, "-- Legacy: %s, ", u->dialect ? u->dialect : "?");
    {
        ir_span sp = u->span;
        if (!sp.file)
            sp.file = u->file;
        snow_span(out, sp, u->job);
    }
    sb_putc(out, '\n');
    sb_printf(out, "-- Holes: %d%s\n", g.res.holes, g.res.holes ? " (marked ETLPORT HOLE below; review before running)" : "");
    if (g.has_out) {
        sb_puts(out, "-- ETLPORT NOTE: Snowflake procedures have no OUT parameters: the procedure returns one OBJECT "
                     "with ");
        int k = 0;
        for (int i = 0; i < u->n_params; i++)
            if (u->params[i].mode != IR_PARAM_IN)
                sb_printf(out, "%s%s", k++ ? ", " : "", u->params[i].name);
        sb_puts(out, " (a caller reads RESULT:name)\n");
    }
    sb_puts(out, sb_cstr(&defaults));
    sb_free(&defaults);
    if (u->kind == IR_UNIT_FUNCTION)
        sb_puts(out, "-- ETLPORT NOTE: a function with procedural code becomes a procedure: callers CALL it "
                     "instead of using it in an expression\n");

    if (u->kind == IR_UNIT_BLOCK) {
        sb_puts(out, "EXECUTE IMMEDIATE $$\n");
    } else {
        sb_puts(out, "CREATE OR REPLACE PROCEDURE ");
        sb_puts(out, sb_cstr(&name));
        sb_putc(out, '(');
        int k = 0;
        for (int i = 0; i < u->n_params; i++) {
            const ir_unit_param *p = &u->params[i];
            if (p->mode == IR_PARAM_OUT)
                continue; /* a variable of the body (DECLARE), returned in the OBJECT */
            if (k++)
                sb_puts(out, ", ");
            snow_sql_name(out, g.param_names[i]);
            sb_putc(out, ' ');
            snow_type(out, p->type);
            if (p->default_value && param_default_constant(p->default_value)) {
                sb_puts(out, " DEFAULT ");
                expr(&g, out, p->default_value, SNOW_PARAM_BARE);
            }
        }
        sb_puts(out, ")\n");
        sb_puts(out, "RETURNS ");
        if (g.has_out)
            sb_puts(out, "OBJECT");
        else if (u->kind == IR_UNIT_FUNCTION || u->returns.kind != IR_TY_UNKNOWN)
            snow_type(out, u->returns);
        else if (g.is_script)
            sb_puts(out, "NUMBER");
        else
            sb_puts(out, "VARCHAR");
        sb_puts(out, "\nLANGUAGE SQL\n");
        sb_puts(out, "-- caller's rights: the legacy code ran in the caller's session (temporary tables, "
                     "transactions)\n");
        sb_puts(out, "EXECUTE AS CALLER\nAS\n$$\n");
    }
    if (g.decl.len) {
        sb_puts(out, "DECLARE\n");
        sb_puts(out, sb_cstr(&g.decl));
    }
    sb_puts(out, "BEGIN\n");
    sb_puts(out, sb_cstr(&body));
    sb_puts(out, "END;\n$$;\n");
    if (u->kind == IR_UNIT_SCRIPT) {
        sb_puts(out, "\n-- the script runs as: CALL ");
        sb_puts(out, sb_cstr(&name));
        sb_puts(out, "();\n");
    }

    if (res) {
        res->holes += g.res.holes;
        res->unsupported += g.res.unsupported;
    }
    sb_free(&name);
    sb_free(&body);
    sb_free(&g.decl);
    for (int i = 0; i < g.n_declared; i++)
        free(g.declared[i]);
    free(g.declared);
    for (int i = 0; i < g.n_excs; i++)
        free(g.excs[i].name);
    free(g.excs);
    free(g.param_names);
    return 0;
}
