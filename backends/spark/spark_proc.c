/*
 * spark_proc.c — a procedural unit (ir/ir_unit.h: a stored procedure, function, anonymous block or
 * BTEQ script) as a PySpark driver module: `def run(spark, params)` with the legacy control flow
 * as Python control flow and every SQL step as `spark.sql(text, args={...})` — Spark SQL from
 * sparksql_stmt with the unit's variables as named parameter markers (:name, Spark 3.4+).
 *
 * Variables are Python locals. Every scalar expression outside SQL (IF and WHILE conditions,
 * assignments, RETURN values) is evaluated by Spark through one helper, _scalar(spark,
 * "SELECT <expr>", args), so Spark SQL semantics hold (NULL logic, decimal arithmetic, date
 * functions); only literals and plain copies are written as Python. RAISE raises ETLPortError,
 * exception handlers are try/except, SELECT INTO reads exactly one row (NO_DATA_FOUND /
 * TOO_MANY_ROWS as Oracle raises them), cursor loops that stay row-by-row iterate
 * toLocalIterator() under an `# ETLPORT ROW-BY-ROW` comment. Spark has no transactions: COMMIT
 * and ROLLBACK are comments saying what happens instead.
 *
 * What has no PySpark form (dynamic SQL, FORALL, GOTOs that are not forward jumps, holes of the
 * IR) calls _etlport_hole(kind, location, legacy_text), which raises NotImplementedError when
 * reached, as spark_backend.c does; the module always compiles. docs/spark-backend.md,
 * "Procedural units", lists the mapping of every step kind.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends/spark/spark_internal.h"
#include "backends/spark/sparksql.h"
#include "ir/ir_unit.h"

int spark_emit_unit(const ir_unit *u, const be_options *opt, strbuf *out, be_result *res, diag_ctx *dc);

typedef struct names {
    const char **v;
    int n, cap;
} names;

typedef struct pyg {
    const ir_unit *u;
    int holes, unsupported;
    int code;              /* code lines written so far (a block without any gets `pass`) */
    const char *loops[64]; /* labels of the enclosing loops, innermost last (NULL: unlabelled) */
    const char *recs[32];  /* row variables of the enclosing cursor loops, innermost last */
    int n_recs;
    names known;           /* parameters and declared variables: what a statement may bind */
    int n_loops;
    int handler_depth;     /* > 0 inside an except block */
    bool has_out;
    bool uses_call;        /* _call_procedure() is needed */
    bool uses_into;        /* _select_into() is needed */
    bool activitycount;    /* a script reading BTEQ's ACTIVITYCOUNT: set after each DML */
    bool rowcount;         /* T-SQL @@ROWCOUNT read: set after each DML */
    bool after_dml;        /* the step just written was INSERT/UPDATE/DELETE/MERGE: rowcount is
                              T-SQL's @@ROWCOUNT only there */
    bool fetch_status;     /* T-SQL @@FETCH_STATUS read: set after each FETCH */
    const ir_handler *not_found; /* DB2 NOT FOUND handler run after each FETCH that finds no row */
    int err_exit;          /* BTEQ: the error-exit label's index (error_exit_label), or -1 */
    int tmp;
} pyg;

static void emit_pblock(pyg *g, strbuf *sb, const ir_pblock *b, int depth);
static void emit_step(pyg *g, strbuf *sb, const ir_pstmt *s, int depth);
static bool expr_reads(const ir_expr *e, const char *name);

/* ---- names ---- */

static bool py_reserved(const char *s)
{
    static const char *const words[] = {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
        "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
        "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "match",
        "case", "type", "spark", "params", "run", "json", "sys", "SparkSession", "ETLPortError", "PROCEDURES",
        "print", "range", "next", "int", "str", "len", "list", "dict", "id", "min", "max", "sum", "object"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    return s[0] == '_';
}

/* The Python local for a variable: lower case (SQL names compare case-insensitively), characters
 * Python cannot take as '_', a trailing '_' on words Python or the module reserve. */
static void py_name(strbuf *sb, const char *name)
{
    strbuf t = STRBUF_INIT;
    const char *p = name && *name ? name : "v";
    if (isdigit((unsigned char)*p))
        sb_puts(&t, "v_");
    for (; *p; p++)
        sb_putc(&t, isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_');
    sb_puts(sb, sb_cstr(&t));
    if (py_reserved(sb_cstr(&t)))
        sb_putc(sb, '_');
    sb_free(&t);
}

/* T-SQL's @@ globals the driver keeps itself, by their Python local, or NULL. */
static const char *tsql_global(const char *name)
{
    if (!name)
        return NULL;
    while (*name == '@')
        name++;
    if (strcasecmp(name, "FETCH_STATUS") == 0)
        return "fetch_status";
    if (strcasecmp(name, "TRANCOUNT") == 0)
        return "trancount";
    if (strcasecmp(name, "ROWCOUNT") == 0 || strcasecmp(name, "ROW_COUNT") == 0) /* NZPLSQL's ROW_COUNT too */
        return "rowcount";
    /* Oracle's implicit-cursor attributes (the SQL frontend's "SQL%..." variables): the last DML's
     * rows, as the driver keeps them; FOUND and NOTFOUND are NULL before any DML, as in Oracle */
    if (strcmp(name, "SQL%ROWCOUNT") == 0)
        return "rowcount";
    if (strcmp(name, "SQL%FOUND") == 0)
        return "(None if rowcount is None else rowcount > 0)";
    if (strcmp(name, "SQL%NOTFOUND") == 0)
        return "(None if rowcount is None else rowcount == 0)";
    if (strcmp(name, "SQL%ISOPEN") == 0)
        return "False";
    return NULL;
}

/* Whether n is an Oracle cursor's %FOUND (the SQL frontend's "C%FOUND"), which the driver keeps. */
static bool cursor_found(const char *n)
{
    const char *pct = n ? strchr(n, '%') : NULL;
    return pct && pct > n && !strcmp(pct, "%FOUND") && strncasecmp(n, "SQL%", 4) != 0;
}

/* A variable as Python: a local, or rec["field"] for a record field ("rec.field"). An Oracle
 * cursor's %FOUND (the SQL frontend's "C%FOUND") is the <cursor>_found that OPEN and FETCH keep
 * (None before the first FETCH, as Oracle's NULL). */
static void py_var(strbuf *sb, const char *name)
{
    if (tsql_global(name)) {
        sb_puts(sb, tsql_global(name));
        return;
    }
    if (cursor_found(name)) {
        strbuf c = STRBUF_INIT;
        sb_putn(&c, name, (size_t)(strchr(name, '%') - name));
        py_name(sb, sb_cstr(&c));
        sb_puts(sb, "_found");
        sb_free(&c);
        return;
    }
    const char *dot = name ? strchr(name, '.') : NULL;
    if (!dot) {
        py_name(sb, name);
        return;
    }
    strbuf rec = STRBUF_INIT;
    sb_putn(&rec, name, (size_t)(dot - name));
    py_name(sb, sb_cstr(&rec));
    sb_free(&rec);
    sb_putc(sb, '[');
    strbuf f = STRBUF_INIT;
    for (const char *p = dot + 1; *p; p++)
        sb_putc(&f, (char)tolower((unsigned char)*p));
    sb_put_py_string(sb, sb_cstr(&f));
    sb_free(&f);
    sb_putc(sb, ']');
}

/* The parameter marker's name as sparksql_expr writes it (:name): non-identifier characters '_'. */
static void marker_name(strbuf *sb, const char *name)
{
    const char *p = name ? name : "";
    if (!*p || isdigit((unsigned char)*p))
        sb_putc(sb, '_');
    for (; *p; p++)
        sb_putc(sb, isalnum((unsigned char)*p) || *p == '_' ? *p : '_');
}

/* ---- the variables an expression or statement reads ---- */

static void names_add(names *ns, const char *name)
{
    if (!name)
        return;
    for (int i = 0; i < ns->n; i++)
        if (strcmp(ns->v[i], name) == 0)
            return;
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? ns->cap * 2 : 8;
        ns->v = realloc(ns->v, (size_t)ns->cap * sizeof *ns->v);
        if (!ns->v)
            abort();
    }
    ns->v[ns->n++] = name;
}

static void walk_expr(names *ns, const ir_expr *e);
static void walk_query(names *ns, const ir_query *q);

static void walk_from(names *ns, const ir_from *f)
{
    if (!f)
        return;
    walk_query(ns, f->query);
    for (int i = 0; i < f->n_args; i++)
        walk_expr(ns, f->args[i]);
    walk_from(ns, f->left);
    walk_from(ns, f->right);
    walk_expr(ns, f->on);
}

static void walk_query(names *ns, const ir_query *q)
{
    if (!q)
        return;
    for (int i = 0; i < q->n_ctes; i++)
        walk_query(ns, q->ctes[i].query);
    for (int i = 0; q->items && i < q->n_items; i++)
        walk_expr(ns, q->items[i].expr);
    for (int i = 0; i < q->n_from; i++)
        walk_from(ns, q->from[i]);
    walk_expr(ns, q->where);
    for (int i = 0; i < q->n_group; i++)
        walk_expr(ns, q->group[i]);
    walk_expr(ns, q->having);
    walk_expr(ns, q->qualify);
    walk_query(ns, q->left);
    walk_query(ns, q->right);
    for (int i = 0; i < q->n_rows * q->n_items; i++)
        walk_expr(ns, q->rows[i]);
    for (int i = 0; i < q->n_order; i++)
        walk_expr(ns, q->order[i].expr);
    walk_expr(ns, q->limit);
    walk_expr(ns, q->offset);
}

static void walk_expr(names *ns, const ir_expr *e)
{
    if (!e)
        return;
    switch (e->kind) {
    case IR_EX_PARAM: names_add(ns, e->u.param.name); break;
    case IR_EX_CALL:
        for (int i = 0; i < e->u.call.n_args; i++)
            walk_expr(ns, e->u.call.args[i]);
        break;
    case IR_EX_OVER: {
        const ir_over *o = ir_expr_over(e);
        if (!o)
            break;
        walk_expr(ns, o->call);
        for (int i = 0; i < o->n_partition; i++)
            walk_expr(ns, o->partition[i]);
        for (int i = 0; i < o->n_order; i++)
            walk_expr(ns, o->order[i].expr);
        break;
    }
    case IR_EX_QUERY: {
        const ir_sub *s = ir_expr_sub(e);
        if (s) {
            walk_expr(ns, s->lhs);
            walk_query(ns, s->query);
        }
        break;
    }
    default: break;
    }
}

static void walk_stmt(names *ns, const ir_stmt *s)
{
    if (!s)
        return;
    for (int i = 0; s->values && i < s->n_cols; i++)
        walk_expr(ns, s->values[i]);
    walk_query(ns, s->query);
    walk_from(ns, s->from);
    walk_expr(ns, s->where);
    for (int i = 0; i < s->n_merge; i++) {
        walk_expr(ns, s->merge[i].cond);
        for (int k = 0; k < s->merge[i].n; k++)
            walk_expr(ns, s->merge[i].values[k]);
    }
}

/* `{"marker": local, ...}` for the variables in ns; nothing when there are none. */
static void args_dict(strbuf *sb, const names *ns)
{
    sb_putc(sb, '{');
    for (int i = 0; i < ns->n; i++) {
        if (i)
            sb_puts(sb, ", ");
        strbuf m = STRBUF_INIT;
        marker_name(&m, ns->v[i]);
        sb_put_py_string(sb, sb_cstr(&m));
        sb_free(&m);
        sb_puts(sb, ": ");
        py_var(sb, ns->v[i]);
    }
    sb_putc(sb, '}');
}

/* ---- text helpers ---- */

static void ind(strbuf *sb, int depth)
{
    sb_indent(sb, depth * 4);
}

/* Each line of text as a `# ` comment at depth. */
static void comment(strbuf *sb, int depth, const char *prefix, const char *text)
{
    const char *p = text ? text : "";
    do {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n && p[n - 1] == '\r')
            n--;
        ind(sb, depth);
        sb_putc(sb, '#');
        if (prefix || n)
            sb_putc(sb, ' ');
        if (prefix)
            sb_puts(sb, prefix);
        sb_putn(sb, p, n);
        sb_putc(sb, '\n');
        p = nl ? nl + 1 : NULL;
    } while (p && *p);
}

static void note(strbuf *sb, int depth, const char *text)
{
    strbuf t = STRBUF_INIT;
    sb_puts(&t, "ETLPORT NOTE: ");
    sb_puts(&t, text);
    comment(sb, depth, NULL, sb_cstr(&t));
    sb_free(&t);
}

static void location(strbuf *sb, const pyg *g, ir_span sp)
{
    if (!sp.file && !sp.line)
        sp = g->u->span;
    if (!sp.file)
        sp.file = g->u->file;
    spark_location(sb, g->u->job, sp);
}

/* A provenance comment: `# file:line: first line of the legacy text`. */
static void provenance(pyg *g, strbuf *sb, int depth, const ir_pstmt *s)
{
    if (!s->text || !*s->text)
        return;
    strbuf t = STRBUF_INIT;
    location(&t, g, s->span);
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
    comment(sb, depth, NULL, sb_cstr(&t));
    sb_free(&t);
}

/* `_etlport_hole(kind, "file:line", legacy)` under a `# ETLPORT HOLE` comment, counted. */
static void hole(pyg *g, strbuf *sb, int depth, const char *kind, ir_span sp, const char *reason, const char *text)
{
    strbuf l = STRBUF_INIT;
    location(&l, g, sp);
    strbuf c = STRBUF_INIT;
    sb_printf(&c, "ETLPORT HOLE %s: ", sb_cstr(&l));
    for (const char *p = reason ? reason : "not translated"; *p; p++)
        sb_putc(&c, *p == '\n' || *p == '\r' ? ' ' : *p);
    comment(sb, depth, NULL, sb_cstr(&c));
    if (text && *text)
        comment(sb, depth, "| ", text);
    ind(sb, depth);
    sb_puts(sb, "_etlport_hole(");
    sb_put_py_string(sb, kind);
    sb_puts(sb, ", ");
    sb_put_py_string(sb, sb_cstr(&l));
    sb_puts(sb, ", ");
    sb_put_py_string(sb, text && *text ? text : reason ? reason : "");
    sb_puts(sb, ")\n");
    g->code++;
    g->holes++;
    sb_free(&l);
    sb_free(&c);
}

/* A Python string literal holding SQL: triple-quoted on its own lines when that is safe (no
 * backslash, no triple quote), indented one level deeper than depth; else an escaped literal. */
static void sql_literal(strbuf *sb, int depth, const char *sql)
{
    if (strchr(sql, '\\') || strstr(sql, "\"\"\"") || !strchr(sql, '\n')) {
        sb_put_py_string(sb, sql);
        return;
    }
    sb_puts(sb, "\"\"\"\n");
    char quote = 0;
    bool bol = true;
    for (const char *p = sql; *p; p++) {
        if (bol && !quote && *p != '\n')
            ind(sb, depth + 1);
        bol = false;
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '`') {
            quote = *p;
        }
        sb_putc(sb, *p);
        if (*p == '\n')
            bol = true;
    }
    sb_putc(sb, '\n');
    ind(sb, depth + 1);
    sb_puts(sb, "\"\"\"");
}

/* ---- expressions ---- */

/* The Spark SQL text of e (variables as :markers); counts placeholders. */
static void sql_expr(pyg *g, strbuf *sb, const ir_expr *e)
{
    sparksql_ctx c;
    sparksql_ctx_init(&c, g->u->job, NULL);
    sparksql_ctx_with_queries(&c); /* IF EXISTS (...), x = (SELECT ..): Spark 3.3+ takes them in a SELECT list */
    c.params_as_markers = 1;
    if (e)
        sparksql_expr(&c, sb, e);
    else
        sb_puts(sb, "NULL");
    g->holes += c.holes;
    g->unsupported += c.unsupported;
}

static bool is_int_lit(const ir_expr *e)
{
    if (!e || e->kind != IR_EX_LIT || e->u.lit.kind != IR_LIT_INT || !e->u.lit.text)
        return false;
    const char *p = e->u.lit.text;
    if (*p == '-')
        p++;
    if (!*p)
        return false;
    for (; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return true;
}

/* A value as Python: literals and plain variables directly, anything else evaluated by Spark
 * through _scalar so that Spark SQL semantics hold. */
static const ir_expr *vars_of_expr(pyg *g, const ir_expr *e);

static void py_value(pyg *g, strbuf *sb, const ir_expr *e)
{
    e = vars_of_expr(g, e);
    if (!e || (e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_NULL)) {
        sb_puts(sb, "None");
        return;
    }
    if (is_int_lit(e)) {
        sb_puts(sb, e->u.lit.text);
        return;
    }
    if (e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_STRING) {
        sb_put_py_string(sb, e->u.lit.text ? e->u.lit.text : "");
        return;
    }
    if (e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_BOOL) {
        sb_puts(sb, e->u.lit.text && strcasecmp(e->u.lit.text, "true") == 0 ? "True" : "False");
        return;
    }
    if (e->kind == IR_EX_PARAM) {
        py_var(sb, e->u.param.name);
        return;
    }
    strbuf q = STRBUF_INIT;
    sb_puts(&q, "SELECT ");
    sql_expr(g, &q, e);
    names ns = {0};
    walk_expr(&ns, e);
    sb_puts(sb, "_scalar(spark, ");
    sb_put_py_string(sb, sb_cstr(&q));
    if (ns.n) {
        sb_puts(sb, ", ");
        args_dict(sb, &ns);
    }
    sb_putc(sb, ')');
    free(ns.v);
    sb_free(&q);
}

/* A condition: True only when the SQL condition is TRUE (NULL is not), as IF and WHILE read it. */
static void py_cond(pyg *g, strbuf *sb, const ir_expr *e)
{
    if (e && e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_BOOL) {
        py_value(g, sb, e);
        return;
    }
    py_value(g, sb, e);
}

/* ---- expression holes: a driver never runs a half-translated step silently ---- */

static bool find_hole(ir_expr *e, void *ud)
{
    if (e->kind != IR_EX_HOLE)
        return false;
    *(const ir_expr **)ud = e;
    return true;
}

/* The first IR hole in e, subqueries and windows included. */
static const ir_expr *first_hole(const ir_expr *e)
{
    const ir_expr *h = NULL;
    if (e)
        ir_expr_visit((ir_expr *)e, find_hole, &h);
    return h;
}

/* `_etlport_hole("expression", ...)` before a step whose expressions (SQL text included) hold an
 * IR hole: the SQL text has a NULL placeholder there, which must not run as if it were the
 * legacy logic. The placeholder itself is what counts the hole. */
static void guard_line(pyg *g, strbuf *sb, int depth, ir_span sp, const char *text)
{
    strbuf l = STRBUF_INIT;
    location(&l, g, sp);
    ind(sb, depth);
    sb_puts(sb, "_etlport_hole(\"expression\", ");
    sb_put_py_string(sb, sb_cstr(&l));
    sb_puts(sb, ", ");
    sb_put_py_string(sb, text ? text : "");
    sb_puts(sb, ")  # ETLPORT HOLE: the step below has a NULL placeholder for it\n");
    g->code++;
    sb_free(&l);
}

/* An ETLPORT UNSUPPORTED placeholder is a NULL too: the step must not run with it either. */
static const char unsupported_guard[] =
    "an expression Spark SQL cannot express (the ETLPORT UNSUPPORTED comment in the step below says why)";

static void guard_expr(pyg *g, strbuf *sb, int depth, const ir_expr *e, ir_span sp)
{
    const ir_expr *h = first_hole(e);
    if (h) {
        guard_line(g, sb, depth, h->span.line ? h->span : sp, h->u.hole.text);
        return;
    }
    if (!e)
        return;
    sparksql_ctx c; /* a dry run: the step's own writing counts the placeholders */
    sparksql_ctx_init(&c, g->u->job, NULL);
    sparksql_ctx_with_queries(&c);
    c.params_as_markers = 1;
    strbuf scratch = STRBUF_INIT;
    sparksql_expr(&c, &scratch, vars_of_expr(g, e));
    sb_free(&scratch);
    if (c.unsupported)
        guard_line(g, sb, depth, e->span.line ? e->span : sp, unsupported_guard);
}

typedef struct hole_probe {
    int n;
    const char *text;
    ir_span span;
} hole_probe;

static void probe_hole(void *ud, const ir_hole_info *h)
{
    hole_probe *p = ud;
    if (!p->n++) {
        p->text = h->text;
        p->span = h->span;
    }
}

/* ---- names a statement binds ---- */


static bool last_part_is(const char *qualified, const char *name)
{
    if (!qualified)
        return false;
    const char *dot = strrchr(qualified, '.');
    return strcasecmp(dot ? dot + 1 : qualified, name) == 0;
}

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

static bool from_names(const ir_from *f, const char *name)
{
    if (!f)
        return false;
    if (f->alias ? strcasecmp(f->alias, name) == 0 : (f->kind == IR_FROM_TABLE && last_part_is(f->name, name)))
        return true;
    return query_names(f->query, name) || from_names(f->left, name) || from_names(f->right, name);
}

/* Whether statement st names a table or alias `name` (then name.col is its column). */
static bool stmt_names(const ir_stmt *st, const char *name)
{
    if (st->target_alias ? strcasecmp(st->target_alias, name) == 0 : last_part_is(st->target, name))
        return true;
    return from_names(st->from, name) || query_names(st->query, name);
}

typedef struct rename_ctx {
    pyg *g;
    const ir_stmt *st; /* its aliases win over row variables; NULL for an expression */
    bool found;
} rename_ctx;

/* The variable a column reference stands for: rec.field of an enclosing cursor loop, Netezza's
 * ROW_COUNT; NULL when it is a column. */
static const char *ref_as_var(const rename_ctx *r, const ir_expr *e)
{
    if (e->kind != IR_EX_REF || e->u.ref.node != 0 || !e->u.ref.col)
        return NULL;
    const char *n = e->u.ref.col;
    if (r->g->u->dialect && strcmp(r->g->u->dialect, "netezza") == 0 && strcasecmp(n, "ROW_COUNT") == 0)
        return "ROWCOUNT";
    if (r->g->handler_depth > 0 &&
        (strcasecmp(n, "SQLCODE") == 0 || strcasecmp(n, "SQLERRM") == 0 || strcasecmp(n, "SQLSTATE") == 0))
        return n; /* the handler's error, a local of the except block */
    const char *dot = strchr(n, '.');
    if (!dot || strchr(dot + 1, '.'))
        return NULL;
    for (int i = 0; i < r->g->n_recs && i < 32; i++) {
        if (strncasecmp(r->g->recs[i], n, (size_t)(dot - n)) != 0 || r->g->recs[i][dot - n] != 0)
            continue;
        strbuf rec = STRBUF_INIT;
        sb_putn(&rec, n, (size_t)(dot - n));
        bool shadowed = r->st && stmt_names(r->st, sb_cstr(&rec));
        sb_free(&rec);
        return shadowed ? NULL : n;
    }
    return NULL;
}

static bool probe_ref(ir_expr *e, void *ud)
{
    rename_ctx *r = ud;
    if (ref_as_var(r, e))
        r->found = true;
    return r->found;
}

static bool ref_to_param(ir_expr *e, void *ud)
{
    rename_ctx *r = ud;
    const char *v = ref_as_var(r, e);
    if (v) {
        const char *name = ir_intern(r->g->u->job, v);
        e->kind = IR_EX_PARAM;
        e->u.param.name = name;
    }
    return false;
}

/* e, or a copy of it where column references that stand for variables are variables. */
static const ir_expr *vars_of_expr(pyg *g, const ir_expr *e)
{
    rename_ctx r = {g, NULL, false};
    if (!e || !ir_expr_visit((ir_expr *)e, probe_ref, &r))
        return e;
    ir_expr *copy = ir_expr_copy(g->u->job, e);
    ir_expr_visit(copy, ref_to_param, &r);
    return copy;
}

static const ir_stmt *vars_of_stmt(pyg *g, const ir_stmt *st)
{
    rename_ctx r = {g, st, false};
    if (!st || !ir_stmt_visit((ir_stmt *)st, probe_ref, &r))
        return st;
    ir_stmt *copy = ir_stmt_copy(g->u->job, st);
    r.st = copy;
    ir_stmt_visit(copy, ref_to_param, &r);
    return copy;
}

/* Whether name is something the driver defines: a parameter or declared variable, a field of an
 * enclosing cursor loop's row, or one of the legacy globals the driver keeps. */
static bool known_var(const pyg *g, const char *n)
{
    for (int i = 0; i < g->known.n; i++)
        if (strcasecmp(g->known.v[i], n) == 0)
            return true;
    const char *dot = strchr(n, '.');
    if (dot)
        for (int i = 0; i < g->n_recs && i < 32; i++)
            if (strncasecmp(g->recs[i], n, (size_t)(dot - n)) == 0 && g->recs[i][dot - n] == 0)
                return true;
    if (strcasecmp(n, "SQLCODE") == 0 || strcasecmp(n, "SQLERRM") == 0 || strcasecmp(n, "SQLSTATE") == 0)
        return g->handler_depth > 0;
    return tsql_global(n) != NULL || cursor_found(n);
}

/* ---- statements ---- */

/* `spark.sql(<text>, args={...})` for a statement; returns 1 when the statement is a hole (only its
 * comment was written, as a call to _etlport_hole). */
static int spark_sql_call(pyg *g, strbuf *sb, int depth, const ir_stmt *st, ir_span sp, const char *prefix,
                          const char *suffix)
{
    st = vars_of_stmt(g, st);
    names used = {0};
    walk_stmt(&used, st);
    for (int i = 0; i < used.n; i++) {
        if (known_var(g, used.v[i]))
            continue;
        strbuf why = STRBUF_INIT;
        sb_printf(&why, "the statement reads %s, which nothing in the unit declares", used.v[i]);
        hole(g, sb, depth, "sql", sp, sb_cstr(&why), st->text);
        sb_free(&why);
        free(used.v);
        return 1;
    }
    free(used.v);
    strbuf where = STRBUF_INIT, q = STRBUF_INIT;
    location(&where, g, sp);
    int rc = sparksql_stmt(&q, g->u->job, st, 1, sb_cstr(&where), &g->holes, &g->unsupported);
    if (rc == 1) {
        /* a statement with no translation: its comment lines, then a call that raises */
        g->holes--; /* counted again by hole() */
        for (const char *p = sb_cstr(&q); *p;) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            strbuf line = STRBUF_INIT;
            sb_putn(&line, p, n);
            const char *t = sb_cstr(&line);
            if (t[0] == '-' && t[1] == '-')
                t += 2 + (t[2] == ' ');
            comment(sb, depth, NULL, t);
            sb_free(&line);
            p = nl ? nl + 1 : p + n;
        }
        hole(g, sb, depth, "sql", sp, st->hole_reason ? st->hole_reason : "statement not translated", st->text);
        sb_free(&where);
        sb_free(&q);
        return 1;
    }
    hole_probe hp = {0, NULL, {0}};
    ir_stmt_holes(st, probe_hole, &hp);
    if (hp.n)
        guard_line(g, sb, depth, hp.span.line ? hp.span : sp, hp.text);
    else if (rc < 0)
        guard_line(g, sb, depth, sp, unsupported_guard);
    names ns = {0};
    walk_stmt(&ns, st);
    ind(sb, depth);
    sb_puts(sb, prefix);
    sql_literal(sb, depth, sb_cstr(&q));
    if (ns.n) {
        sb_puts(sb, ", args=");
        args_dict(sb, &ns);
    }
    sb_puts(sb, suffix);
    sb_putc(sb, '\n');
    g->code++;
    free(ns.v);
    sb_free(&where);
    sb_free(&q);
    return 0;
}

static void emit_sql(pyg *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    if (!s->stmt) {
        hole(g, sb, depth, "sql", s->span, "SQL step without a statement", s->text);
        return;
    }
    if (s->lifted) {
        strbuf t = STRBUF_INIT;
        sb_printf(&t, "a row-by-row %s lifted to one set-based statement", s->lifted);
        note(sb, depth, sb_cstr(&t));
        sb_free(&t);
    }
    if (s->bulk) {
        hole(g, sb, depth, "procedural", s->span,
             "BULK COLLECT into a collection: keep the rows in a DataFrame (spark.sql(...)) instead", s->text);
        return;
    }
    if (s->n_into > 0 && s->stmt->kind == IR_ST_QUERY) {
        g->uses_into = true;
        strbuf pre = STRBUF_INIT;
        for (int i = 0; i < s->n_into; i++) {
            if (i)
                sb_puts(&pre, ", ");
            py_var(&pre, s->into_vars[i]);
        }
        sb_puts(&pre, s->n_into == 1 ? ", = _select_into(spark, " : " = _select_into(spark, ");
        spark_sql_call(g, sb, depth, s->stmt, s->span, sb_cstr(&pre), ")");
        sb_free(&pre);
        return;
    }
    bool dml = s->stmt->kind == IR_ST_INSERT || s->stmt->kind == IR_ST_UPDATE || s->stmt->kind == IR_ST_DELETE ||
               s->stmt->kind == IR_ST_MERGE;
    if ((g->activitycount || g->rowcount) && dml) {
        spark_sql_call(g, sb, depth, s->stmt, s->span,
                       g->activitycount ? "activitycount = _rows_affected(spark.sql(" : "rowcount = _rows_affected(spark.sql(",
                       "))");
        return;
    }
    if (s->stmt->kind == IR_ST_QUERY && g->u->dialect && strcmp(g->u->dialect, "tsql") == 0)
        hole(g, sb, depth, "procedural", s->span,
             "a T-SQL SELECT that returns its rows to the caller (a result set): the driver would discard the "
             "DataFrame; return it from run() or write it to a table",
             s->text);
    spark_sql_call(g, sb, depth, s->stmt, s->span, "spark.sql(", ")");
}

static void emit_assign_to(pyg *g, strbuf *sb, int depth, const char *target, const ir_expr *value)
{
    ind(sb, depth);
    py_var(sb, target ? target : "etlport_unknown");
    sb_puts(sb, " = ");
    py_value(g, sb, value);
    sb_putc(sb, '\n');
    g->code++;
}

/* A block of steps at depth; `pass` when it wrote no code line. */
static void block_at(pyg *g, strbuf *sb, const ir_pblock *b, int depth)
{
    int before = g->code;
    if (b)
        emit_pblock(g, sb, b, depth);
    if (g->code == before) {
        ind(sb, depth);
        sb_puts(sb, "pass\n");
        g->code++;
    }
}

static void emit_if(pyg *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    for (int i = 0; i < s->n_conds; i++) {
        ind(sb, depth);
        sb_puts(sb, i == 0 ? "if " : "elif ");
        py_cond(g, sb, s->conds[i]);
        sb_puts(sb, ":\n");
        g->code++;
        block_at(g, sb, &s->blocks[i], depth + 1);
    }
    if (s->has_else) {
        ind(sb, depth);
        sb_puts(sb, "else:\n");
        block_at(g, sb, &s->blocks[s->n_conds], depth + 1);
    }
}

static void loop_push(pyg *g, const char *label)
{
    if (g->n_loops < (int)(sizeof g->loops / sizeof g->loops[0]))
        g->loops[g->n_loops] = label;
    g->n_loops++;
}

static void loop_body(pyg *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    loop_push(g, s->name);
    block_at(g, sb, s->blocks ? &s->blocks[0] : NULL, depth);
    g->n_loops--;
}

/* EXIT / CONTINUE [label] [WHEN cond]: break / continue; a label naming an outer loop has no
 * Python form. */
static void emit_jump(pyg *g, strbuf *sb, const ir_pstmt *s, int depth, const char *kw)
{
    if (g->n_loops == 0) {
        hole(g, sb, depth, "procedural", s->span, "EXIT/CONTINUE outside a loop", s->text);
        return;
    }
    if (s->name) {
        int top = g->n_loops - 1;
        const char *inner = top < 64 ? g->loops[top] : NULL;
        if (!inner || strcasecmp(inner, s->name) != 0) {
            hole(g, sb, depth, "procedural", s->span,
                 "EXIT/CONTINUE of an outer labelled loop: Python leaves only the innermost loop (use a flag)",
                 s->text);
            return;
        }
    }
    const ir_expr *cond = s->n_conds ? s->conds[0] : NULL;
    if (cond) {
        ind(sb, depth);
        sb_puts(sb, "if ");
        py_cond(g, sb, cond);
        sb_puts(sb, ":\n");
        depth++;
    }
    ind(sb, depth);
    sb_puts(sb, kw);
    sb_putc(sb, '\n');
    g->code++;
}

static void emit_for_query(pyg *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    const ir_var *cv = s->cursor ? ir_pstmt_find_var(&g->u->body, s->cursor) : NULL;
    const ir_stmt *q = s->query ? s->query : cv ? cv->query : NULL;
    if (!q) {
        hole(g, sb, depth, "procedural", s->span, "cursor loop over a cursor whose query is unknown", s->text);
        return;
    }
    strbuf t = STRBUF_INIT;
    sb_printf(&t, "ETLPORT ROW-BY-ROW: one iteration per row of %s, on the driver; the rows stream to the driver "
                  "one partition at a time (toLocalIterator). A set-based rewrite is faster where the body allows it.",
              s->cursor ? s->cursor : "the query");
    comment(sb, depth, NULL, sb_cstr(&t));
    sb_free(&t);
    strbuf pre = STRBUF_INIT;
    sb_puts(&pre, "for ");
    py_name(&pre, s->loop_var ? s->loop_var : "row");
    sb_puts(&pre, " in spark.sql(");
    if (spark_sql_call(g, sb, depth, q, s->span, sb_cstr(&pre), ").toLocalIterator():") == 1) {
        sb_free(&pre);
        return;
    }
    sb_free(&pre);
    if (g->n_recs < 32)
        g->recs[g->n_recs] = s->loop_var ? s->loop_var : "row";
    g->n_recs++;
    loop_body(g, sb, s, depth + 1);
    g->n_recs--;
}

/* Dynamic SQL: what (its text) is built at run time in the legacy dialect and is not translated. */
static void dynamic_sql_hole(pyg *g, strbuf *sb, const ir_pstmt *s, int depth, const char *what)
{
    strbuf why = STRBUF_INIT;
    sb_printf(&why, "%s is built at run time in the legacy dialect (%s) and is not translated", what,
              g->u->dialect ? g->u->dialect : "?");
    hole(g, sb, depth, "dynamic sql", s->span, sb_cstr(&why), s->text);
    sb_free(&why);
}

static void emit_cursor_step(pyg *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    const char *c = s->cursor ? s->cursor : s->name;
    if (!c) {
        hole(g, sb, depth, "procedural", s->span, "cursor step without a cursor name", s->text);
        return;
    }
    const ir_var *cv = ir_pstmt_find_var(&g->u->body, c);
    strbuf it = STRBUF_INIT;
    py_name(&it, c);
    switch (s->kind) {
    case IR_PS_OPEN: {
        const ir_stmt *q = s->query ? s->query : cv ? cv->query : NULL; /* OPEN c FOR select, or its declaration */
        if (s->value) {
            dynamic_sql_hole(g, sb, s, depth, "a cursor over dynamic SQL: the query text");
            break;
        }
        if (!q) {
            hole(g, sb, depth, "procedural", s->span, "OPEN of a cursor whose query is unknown", s->text);
            break;
        }
        comment(sb, depth, NULL,
                "ETLPORT ROW-BY-ROW: an explicit cursor, read row by row on the driver (toLocalIterator)");
        strbuf pre = STRBUF_INIT;
        sb_printf(&pre, "%s = spark.sql(", sb_cstr(&it));
        spark_sql_call(g, sb, depth, q, s->span, sb_cstr(&pre), ").toLocalIterator()");
        sb_free(&pre);
        ind(sb, depth);
        sb_printf(sb, "%s_found = None\n", sb_cstr(&it));
        g->code++;
        break;
    }
    case IR_PS_FETCH:
        if (s->bulk) {
            hole(g, sb, depth, "procedural", s->span, "FETCH BULK COLLECT: keep the rows in a DataFrame instead",
                 s->text);
            break;
        }
        if (!g->not_found && !g->fetch_status)
            note(sb, depth, "past the last row the variables keep their values and <cursor>_found is False "
                            "(%NOTFOUND / @@FETCH_STATUS <> 0 / SQLSTATE '02000')");
        ind(sb, depth);
        sb_printf(sb, "_row = next(%s, None)\n", sb_cstr(&it));
        ind(sb, depth);
        sb_printf(sb, "%s_found = _row is not None\n", sb_cstr(&it));
        if (g->fetch_status) {
            ind(sb, depth);
            sb_printf(sb, "fetch_status = 0 if %s_found else -1\n", sb_cstr(&it));
        }
        if (g->not_found) {
            ind(sb, depth);
            sb_printf(sb, "if not %s_found:\n", sb_cstr(&it));
            for (int i = 0; i < g->not_found->body.n; i++)
                emit_step(g, sb, g->not_found->body.stmts[i], depth + 1);
        }
        ind(sb, depth);
        sb_printf(sb, "if %s_found:\n", sb_cstr(&it));
        ind(sb, depth + 1);
        for (int i = 0; i < s->n_into; i++) {
            if (i)
                sb_puts(sb, ", ");
            py_var(sb, s->into_vars[i]);
        }
        if (!s->n_into)
            sb_puts(sb, "_");
        sb_puts(sb, s->n_into == 1 ? ", = _row\n" : " = _row\n");
        g->code += 4;
        break;
    default:
        ind(sb, depth);
        sb_printf(sb, "%s = None  # CLOSE\n", sb_cstr(&it));
        g->code++;
        break;
    }
    sb_free(&it);
}

static bool lit_long(const ir_expr *e, long *out)
{
    if (!e)
        return false;
    bool neg = false;
    if (e->kind == IR_EX_CALL && e->u.call.fn == IR_FN_NEG && e->u.call.n_args == 1) {
        neg = true;
        e = e->u.call.args[0];
    }
    if (!is_int_lit(e))
        return false;
    *out = strtol(e->u.lit.text, NULL, 10) * (neg ? -1 : 1);
    return true;
}

static void emit_raise(pyg *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    ind(sb, depth);
    g->code++;
    if (!s->name && !s->value && !s->code) {
        if (g->handler_depth) {
            sb_puts(sb, "raise\n");
        } else {
            sb_puts(sb, "raise ETLPortError(\"RERAISE\", None, \"re-raise outside an exception handler\")\n");
        }
        return;
    }
    sb_puts(sb, "raise ETLPortError(");
    if (s->name) {
        strbuf n = STRBUF_INIT;
        for (const char *p = s->name; *p; p++)
            sb_putc(&n, (char)toupper((unsigned char)*p));
        sb_put_py_string(sb, sb_cstr(&n));
        sb_free(&n);
    } else {
        sb_puts(sb, "None");
    }
    sb_puts(sb, ", ");
    long code;
    if (lit_long(s->code, &code))
        sb_printf(sb, "%ld", code);
    else if (s->code)
        py_value(g, sb, s->code);
    else
        sb_puts(sb, "None");
    sb_puts(sb, ", ");
    if (s->value)
        py_value(g, sb, s->value);
    else
        sb_put_py_string(sb, s->name ? s->name : "error raised by the legacy code");
    sb_puts(sb, ")\n");
}

static bool catch_all(const ir_handler *h)
{
    if (h->n_conditions == 0)
        return true;
    for (int k = 0; k < h->n_conditions; k++)
        if (h->conditions[k] && (strcasecmp(h->conditions[k], "OTHERS") == 0 ||
                                 strcasecmp(h->conditions[k], "SQLEXCEPTION") == 0 ||
                                 strcasecmp(h->conditions[k], "OTHER") == 0))
            return true;
    return false;
}

/* A DB2 CONTINUE HANDLER FOR NOT FOUND that only assigns (SET v_done = 1). */
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

/* try: body except Exception as _err: handlers as an if/elif chain over the error's name. */
static void emit_try(pyg *g, strbuf *sb, const ir_pstmt *blk, const ir_pblock *steps, int depth, bool top)
{
    for (int i = 0; i < blk->n_handlers; i++) {
        const ir_handler *h = &blk->handlers[i];
        if (!h->is_continue)
            continue;
        if (is_not_found_handler(h) && (!g->not_found || g->not_found == h)) {
            g->not_found = h;
            note(sb, depth, "CONTINUE HANDLER FOR NOT FOUND: its assignments run after each FETCH that finds no row");
            continue;
        }
        strbuf t = STRBUF_INIT;
        sb_puts(&t, "CONTINUE HANDLER FOR ");
        for (int k = 0; k < h->n_conditions; k++)
            sb_printf(&t, "%s%s", k ? ", " : "", h->conditions[k]);
        ir_pblock_legacy_text(&t, &h->body, 1); /* what it did, for the reviewer who rewrites it */
        hole(g, sb, depth, "procedural", h->span,
             "CONTINUE HANDLER: Python resumes only where a try block says so; wrap the statement that may fail "
             "(NOT FOUND after FETCH: test <cursor>_found)",
             sb_cstr(&t));
        sb_free(&t);
    }
    int exits = 0;
    for (int i = 0; i < blk->n_handlers; i++)
        if (!blk->handlers[i].is_continue)
            exits++;
    if (!exits) {
        block_at(g, sb, steps, depth);
        return;
    }
    ind(sb, depth);
    sb_puts(sb, "try:\n");
    block_at(g, sb, steps, depth + 1);
    if (top && g->has_out && !(steps && steps->n && steps->stmts[steps->n - 1]->kind == IR_PS_RETURN)) {
        ind(sb, depth + 1);
        sb_puts(sb, "return _out()\n");
    }
    ind(sb, depth);
    sb_puts(sb, "except Exception as _err:\n");
    ind(sb, depth + 1);
    sb_puts(sb, "sqlcode, sqlerrm, sqlstate = _error_info(_err)\n");
    g->code++;
    g->handler_depth++;
    int n = 0;
    bool has_other = false;
    /* named handlers first, then the catch-all (it catches what the named ones leave) */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < blk->n_handlers; i++) {
            const ir_handler *h = &blk->handlers[i];
            if (h->is_continue || catch_all(h) != (pass == 1))
                continue;
            int at = depth + 2;
            if (pass == 1) {
                if (has_other)
                    continue;
                has_other = true;
                if (n) {
                    ind(sb, depth + 1);
                    sb_puts(sb, "else:\n");
                } else {
                    at = depth + 1; /* the only handler: its steps are the except block's */
                }
            } else {
                strbuf notes = STRBUF_INIT;
                ind(sb, depth + 1);
                sb_puts(sb, n ? "elif " : "if ");
                for (int k = 0; k < h->n_conditions; k++) {
                    const char *c = h->conditions[k];
                    if (k)
                        sb_puts(sb, " or ");
                    sb_puts(sb, "_is(_err, ");
                    sb_put_py_string(sb, c);
                    sb_putc(sb, ')');
                    const ir_var *cv = ir_pstmt_find_var(&g->u->body, c);
                    if (strcasecmp(c, "NO_DATA_FOUND") && strcasecmp(c, "TOO_MANY_ROWS") && !cv)
                        sb_printf(&notes, "%s%s", notes.len ? ", " : "", c);
                    else if (cv && cv->kind == IR_VAR_EXCEPTION && cv->type_of) /* DB2 CONDITION FOR SQLSTATE */
                        sb_printf(&notes, "%s%s (the database's errors of SQLSTATE %s; test sqlstate where Spark reports the same)",
                                  notes.len ? ", " : "", c, cv->type_of);
                }
                sb_puts(sb, ":\n");
                if (notes.len) {
                    strbuf t = STRBUF_INIT;
                    sb_printf(&t, "Spark never raises %s: this branch runs only for an ETLPortError of that name",
                              sb_cstr(&notes));
                    note(sb, depth + 2, sb_cstr(&t));
                    sb_free(&t);
                }
                sb_free(&notes);
            }
            n++;
            g->code++;
            block_at(g, sb, &h->body, at);
            if (top && g->has_out && !ends_with_exit(&h->body)) {
                ind(sb, at);
                sb_puts(sb, "return _out()\n");
            }
        }
    }
    if (!has_other) {
        ind(sb, depth + 1);
        sb_puts(sb, "else:\n");
        ind(sb, depth + 2);
        sb_puts(sb, "raise\n");
    }
    g->handler_depth--;
}

static void emit_return(pyg *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    ind(sb, depth);
    g->code++;
    if (g->has_out) {
        sb_puts(sb, "return _out()");
        if (s->value)
            sb_puts(sb, "  # the legacy RETURN value is dropped: OUT parameters are returned");
        sb_putc(sb, '\n');
        return;
    }
    sb_puts(sb, "return");
    if (s->value) {
        sb_putc(sb, ' ');
        py_value(g, sb, s->value);
    }
    sb_putc(sb, '\n');
}

/* _call_procedure(spark, name, [args]) by position or {"param": arg} by name; a return value into
 * its variable, OUT arguments read back from the OUT parameters the callee's run returns. */
static void emit_call(pyg *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    const char *why = ir_pstmt_call_unmapped(s);
    if (why) {
        hole(g, sb, depth, "procedural", s->span, why, s->text);
        return;
    }
    bool named = ir_pstmt_has_named_args(s), outs = ir_pstmt_has_out_args(s);
    g->uses_call = true;
    ind(sb, depth);
    if (s->n_into) {
        py_var(sb, s->into_vars[0]);
        sb_puts(sb, " = ");
    } else if (outs) {
        sb_puts(sb, "_call_out = ");
    }
    sb_puts(sb, "_call_procedure(spark, ");
    sb_put_py_string(sb, s->name ? s->name : "?");
    sb_puts(sb, named ? ", {" : ", [");
    for (int i = 0; i < s->n_args; i++) {
        if (i)
            sb_puts(sb, ", ");
        if (named) {
            sb_put_py_string(sb, s->arg_names[i]);
            sb_puts(sb, ": ");
        }
        py_value(g, sb, s->args[i]);
    }
    sb_puts(sb, named ? "})\n" : "])\n");
    for (int i = 0; outs && i < s->n_args; i++) {
        if (!s->arg_outs[i])
            continue;
        ind(sb, depth);
        py_var(sb, s->arg_outs[i]);
        sb_puts(sb, " = _out_arg(_call_out, ");
        sb_put_py_string(sb, s->arg_names[i]);
        sb_puts(sb, ")\n");
    }
    g->code++;
}


static bool is_rowcount_ref(ir_expr *e, void *ud)
{
    (void)ud;
    const char *n = e->kind == IR_EX_PARAM ? e->u.param.name : e->kind == IR_EX_REF && e->u.ref.node == 0 ? e->u.ref.col : NULL;
    return tsql_global(n) && strcmp(tsql_global(n), "rowcount") == 0;
}

/* Whether T-SQL step s reads @@ROWCOUNT when the step before it was no DML (see the Snowflake
 * writer: T-SQL counts a SELECT's or an assignment's rows, the driver's rowcount only a DML's). */
static bool rowcount_after_other(const pyg *g, const ir_pstmt *s)
{
    if (g->after_dml || !g->u->dialect || strcmp(g->u->dialect, "tsql") != 0)
        return false;
    return ir_pstmt_own_exprs_any(s, is_rowcount_ref, NULL);
}

static void emit_step_kind(pyg *g, strbuf *sb, const ir_pstmt *s, int depth);

static void emit_step(pyg *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    bool after_dml = g->after_dml;
    if (rowcount_after_other(g, s))
        hole(g, sb, depth, "procedural", s->span,
             "@@ROWCOUNT after a statement that is not INSERT, UPDATE, DELETE or MERGE (a SELECT, an assignment, "
             "PRINT ..): T-SQL counts that statement's rows, the driver only a DML's; count them another way",
             s->text);
    emit_step_kind(g, sb, s, depth);
    /* DECLARE leaves @@ROWCOUNT as it was; every other statement sets it */
    g->after_dml = s->kind == IR_PS_SQL ? s->stmt && (s->stmt->kind == IR_ST_INSERT || s->stmt->kind == IR_ST_UPDATE ||
                                                      s->stmt->kind == IR_ST_DELETE || s->stmt->kind == IR_ST_MERGE)
                 : s->kind == IR_PS_DECLARE && !(s->var && s->var->init) ? after_dml
                 : false;
}

static void emit_step_kind(pyg *g, strbuf *sb, const ir_pstmt *s, int depth)
{
    if (s->kind != IR_PS_EXEC && s->kind != IR_PS_HOLE) {
        guard_expr(g, sb, depth, s->value, s->span);
        guard_expr(g, sb, depth, s->code, s->span);
        guard_expr(g, sb, depth, s->lo, s->span);
        guard_expr(g, sb, depth, s->hi, s->span);
        for (int i = 0; i < s->n_conds; i++)
            guard_expr(g, sb, depth, s->conds[i], s->span);
        for (int i = 0; i < s->n_args; i++)
            guard_expr(g, sb, depth, s->args[i], s->span);
        if (s->kind == IR_PS_DECLARE && s->var)
            guard_expr(g, sb, depth, s->var->init, s->span);
    }
    switch (s->kind) {
    case IR_PS_SQL:
        provenance(g, sb, depth, s);
        emit_sql(g, sb, s, depth);
        break;
    case IR_PS_DECLARE:
        if (!s->var)
            break;
        if (s->var->kind == IR_VAR_TABLE) {
            hole(g, sb, depth, "procedural", s->span,
                 "table variable: create a table for it (a Delta table in a scratch schema, or a temporary view "
                 "over a DataFrame)",
                 s->text);
        } else if (s->var->kind == IR_VAR_SCALAR || s->var->kind == IR_VAR_ROW) {
            if (s->var->kind == IR_VAR_ROW) {
                ind(sb, depth);
                py_name(sb, s->var->name);
                sb_puts(sb, " = {}\n");
                g->code++;
            } else {
                emit_assign_to(g, sb, depth, s->var->name, s->var->init);
            }
        }
        break;
    case IR_PS_ASSIGN: emit_assign_to(g, sb, depth, s->target, s->value); break;
    case IR_PS_IF: emit_if(g, sb, s, depth); break;
    case IR_PS_WHILE:
        ind(sb, depth);
        sb_puts(sb, "while ");
        py_cond(g, sb, s->n_conds ? s->conds[0] : NULL);
        sb_puts(sb, ":\n");
        g->code++;
        loop_body(g, sb, s, depth + 1);
        break;
    case IR_PS_LOOP:
        ind(sb, depth);
        sb_puts(sb, "while True:\n");
        g->code++;
        loop_body(g, sb, s, depth + 1);
        break;
    case IR_PS_FOR_RANGE: {
        ind(sb, depth);
        sb_puts(sb, "for ");
        py_name(sb, s->loop_var ? s->loop_var : "i");
        sb_puts(sb, " in range(");
        strbuf lo = STRBUF_INIT, hi = STRBUF_INIT;
        py_value(g, &lo, s->lo);
        py_value(g, &hi, s->hi);
        const char *wrap_lo = is_int_lit(s->lo) ? "" : "int(", *wrap_hi = is_int_lit(s->hi) ? "" : "int(";
        if (s->reverse)
            sb_printf(sb, "%s%s%s, %s%s%s - 1, -1", wrap_hi, sb_cstr(&hi), *wrap_hi ? ")" : "", wrap_lo,
                      sb_cstr(&lo), *wrap_lo ? ")" : "");
        else
            sb_printf(sb, "%s%s%s, %s%s%s + 1", wrap_lo, sb_cstr(&lo), *wrap_lo ? ")" : "", wrap_hi,
                      sb_cstr(&hi), *wrap_hi ? ")" : "");
        sb_puts(sb, "):\n");
        sb_free(&lo);
        sb_free(&hi);
        g->code++;
        loop_body(g, sb, s, depth + 1);
        break;
    }
    case IR_PS_FOR_QUERY:
        provenance(g, sb, depth, s);
        emit_for_query(g, sb, s, depth);
        break;
    case IR_PS_FORALL:
        hole(g, sb, depth, "procedural", s->span,
             "FORALL over a collection: keep the rows in a DataFrame and run the DML once over it", s->text);
        break;
    case IR_PS_EXIT: emit_jump(g, sb, s, depth, "break"); break;
    case IR_PS_CONTINUE: emit_jump(g, sb, s, depth, "continue"); break;
    case IR_PS_RETURN: emit_return(g, sb, s, depth); break;
    case IR_PS_RAISE: emit_raise(g, sb, s, depth); break;
    case IR_PS_BLOCK:
        comment(sb, depth, NULL, "nested block");
        emit_try(g, sb, s, s->blocks ? &s->blocks[0] : NULL, depth, false);
        break;
    case IR_PS_OPEN:
    case IR_PS_FETCH:
    case IR_PS_CLOSE: emit_cursor_step(g, sb, s, depth); break;
    case IR_PS_EXEC: dynamic_sql_hole(g, sb, s, depth, "dynamic SQL: the statement text"); break;
    case IR_PS_CALL:
        provenance(g, sb, depth, s);
        emit_call(g, sb, s, depth);
        break;
    case IR_PS_BEGIN_TXN:
        if (s->name)
            comment(sb, depth, NULL, "ETLPORT NOTE: a savepoint: Spark has no transactions, nothing to roll back to");
        else
            comment(sb, depth, NULL,
                    "BEGIN TRANSACTION: Spark has no transactions; each statement commits on its own (Delta: one "
                    "atomic commit per statement)");
        break;
    case IR_PS_COMMIT:
        comment(sb, depth, NULL, "COMMIT: Spark has no transactions; each statement above already committed on its "
                                 "own (Delta: one atomic commit per statement)");
        break;
    case IR_PS_ROLLBACK:
        comment(sb, depth, NULL,
                "ETLPORT NOTE: ROLLBACK: Spark has no transactions; statements that already ran stay committed "
                "(Delta: RESTORE TABLE ... TO VERSION AS OF undoes them by hand)");
        break;
    case IR_PS_PRINT:
        ind(sb, depth);
        sb_puts(sb, "print(");
        py_value(g, sb, s->value);
        sb_puts(sb, ", flush=True)\n");
        g->code++;
        break;
    case IR_PS_LABEL: {
        strbuf t = STRBUF_INIT;
        sb_printf(&t, "label %s", s->name ? s->name : "?");
        comment(sb, depth, NULL, sb_cstr(&t));
        sb_free(&t);
        break;
    }
    case IR_PS_GOTO:
        hole(g, sb, depth, "procedural", s->span,
             "GOTO that is not a forward jump within the same block: Python has no GOTO", s->text);
        break;
    case IR_PS_QUIT:
        ind(sb, depth);
        sb_puts(sb, "return ");
        if (s->value)
            py_value(g, sb, s->value);
        else
            sb_puts(sb, "0");
        sb_puts(sb, "  # .QUIT: the script's return code\n");
        g->code++;
        break;
    case IR_PS_COMMAND: {
        strbuf t = STRBUF_INIT;
        sb_puts(&t, "client command, no effect on data: ");
        sb_puts(&t, s->text ? s->text : "");
        comment(sb, depth, NULL, sb_cstr(&t));
        sb_free(&t);
        break;
    }
    case IR_PS_HOLE:
        hole(g, sb, depth, "procedural", s->span, s->hole_reason ? s->hole_reason : "not translated", s->text);
        break;
    }
}




/* Steps [from, to) of b; a forward GOTO to a label of the same block becomes `if not cond:` around
 * the steps it skips (see snow_proc.c). */
static void emit_range(pyg *g, strbuf *sb, const ir_pblock *b, int from, int to, int depth)
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
            sb_printf(&t, "%s: a failing statement raises instead; the except block at the end runs %s",
                      s->text && *s->text ? s->text : go->text && *go->text ? go->text : "GOTO", go->name);
            comment(sb, depth, NULL, sb_cstr(&t));
            sb_free(&t);
            continue;
        }
        if (l >= 0 && cond && ir_pblock_terminal_section(b, l, &end)) {
            strbuf t = STRBUF_INIT;
            sb_printf(&t, "%s: a jump to %s, which ends the script: that section, written here",
                      s->text && *s->text ? s->text : go->text && *go->text ? go->text : "GOTO", go->name);
            comment(sb, depth, NULL, sb_cstr(&t));
            sb_free(&t);
            ind(sb, depth);
            sb_puts(sb, "if ");
            py_cond(g, sb, cond);
            sb_puts(sb, ":\n");
            g->code++;
            int before = g->code;
            for (int k = l + 1; k <= end; k++)
                emit_step(g, sb, b->stmts[k], depth + 1);
            if (g->code == before) {
                ind(sb, depth + 1);
                sb_puts(sb, "pass\n");
            }
            continue;
        }
        if (l < 0 || l > to) {
            emit_step(g, sb, s, depth);
            continue;
        }
        strbuf t = STRBUF_INIT;
        sb_printf(&t, "%s: a forward jump to %s, written as structured flow",
                  s->text && *s->text ? s->text : go->text && *go->text ? go->text : "GOTO", go->name);
        comment(sb, depth, NULL, sb_cstr(&t));
        sb_free(&t);
        if (!cond) {
            for (int k = i + 1; k < l; k++) {
                strbuf dt = STRBUF_INIT;
                sb_printf(&dt, "dead code, skipped by the jump: %s",
                          b->stmts[k]->text ? b->stmts[k]->text : ir_pstmt_kind_name(b->stmts[k]->kind));
                comment(sb, depth, NULL, sb_cstr(&dt));
                sb_free(&dt);
            }
        } else if (l > i + 1) {
            ind(sb, depth);
            sb_puts(sb, "if not (");
            py_cond(g, sb, cond);
            sb_puts(sb, "):\n");
            g->code++;
            int before = g->code;
            emit_range(g, sb, b, i + 1, l, depth + 1);
            if (g->code == before) {
                ind(sb, depth + 1);
                sb_puts(sb, "pass\n");
            }
        }
        i = l - 1;
    }
}

static void emit_pblock(pyg *g, strbuf *sb, const ir_pblock *b, int depth)
{
    emit_range(g, sb, b, 0, b->n, depth);
}

static bool block_reads(const ir_pblock *b, const char *name);

static bool expr_reads(const ir_expr *e, const char *name)
{
    if (!e)
        return false;
    if (e->kind == IR_EX_PARAM)
        return e->u.param.name && strcasecmp(e->u.param.name, name) == 0;
    if (e->kind == IR_EX_REF && e->u.ref.node == 0) /* Netezza's ROW_COUNT arrives as a column */
        return e->u.ref.col && strcasecmp(e->u.ref.col, name) == 0;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            if (expr_reads(e->u.call.args[i], name))
                return true;
    return false;
}

/* Netezza's positional parameters: `p_date ALIAS FOR $1` names $1. The alias variable, or NULL. */
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

static void collect_known_block(names *ns, const ir_pblock *b);

/* Every name a statement of the unit may bind: declared variables and loop indexes. */
static void collect_known(names *ns, const ir_pstmt *s)
{
    for (int i = 0; i < s->n_vars; i++)
        names_add(ns, s->vars[i].name);
    if (s->kind == IR_PS_DECLARE && s->var)
        names_add(ns, s->var->name);
    if (s->kind == IR_PS_FOR_RANGE && s->loop_var)
        names_add(ns, s->loop_var);
    int nb = s->kind == IR_PS_IF ? s->n_conds + (s->has_else ? 1 : 0) : s->blocks ? 1 : 0;
    for (int i = 0; i < nb; i++)
        collect_known_block(ns, &s->blocks[i]);
    for (int i = 0; i < s->n_handlers; i++)
        collect_known_block(ns, &s->handlers[i].body);
}

static void collect_known_block(names *ns, const ir_pblock *b)
{
    for (int i = 0; b && i < b->n; i++)
        collect_known(ns, b->stmts[i]);
}

static bool step_reads(const ir_pstmt *s, const char *name)
{
    for (int i = 0; i < s->n_conds; i++)
        if (expr_reads(s->conds[i], name))
            return true;
    if (expr_reads(s->value, name))
        return true;
    int nb = s->kind == IR_PS_IF ? s->n_conds + (s->has_else ? 1 : 0) : s->blocks ? 1 : 0;
    for (int i = 0; i < nb; i++)
        if (block_reads(&s->blocks[i], name))
            return true;
    for (int i = 0; i < s->n_handlers; i++)
        if (block_reads(&s->handlers[i].body, name))
            return true;
    return false;
}

static bool block_reads(const ir_pblock *b, const char *name)
{
    for (int i = 0; b && i < b->n; i++)
        if (step_reads(b->stmts[i], name))
            return true;
    return false;
}

/* ---- the module ---- */

static const char helpers[] =
    "class ETLPortError(Exception):\n"
    "    \"\"\"An error the legacy code raised (RAISE, RAISE_APPLICATION_ERROR, THROW, SIGNAL), or one of\n"
    "    Oracle's NO_DATA_FOUND / TOO_MANY_ROWS from a SELECT INTO: name is the exception's name in upper\n"
    "    case (None when the legacy code raised a number), code its number.\"\"\"\n"
    "\n"
    "    def __init__(self, name, code, message):\n"
    "        super().__init__(f\"{name or code}: {message}\")\n"
    "        self.name = name\n"
    "        self.code = code\n"
    "        self.message = message\n"
    "\n"
    "\n"
    "def _etlport_hole(kind, location, legacy_text):\n"
    "    \"\"\"Legacy logic etlport could not translate: fill it in by hand. Raises when reached.\"\"\"\n"
    "    raise NotImplementedError(f\"etlport hole ({kind}) at {location}: {legacy_text}\")\n"
    "\n"
    "\n"
    "def _scalar(spark, select_sql, args=None):\n"
    "    \"\"\"The value of one Spark SQL expression (SELECT <expr>) with the procedure's variables bound as\n"
    "    named parameters, so conditions and assignments follow Spark SQL semantics (NULL is not True).\"\"\"\n"
    "    return spark.sql(select_sql, args=args or {}).first()[0]\n"
    "\n"
    "\n"
    "def _is(err, name):\n"
    "    \"\"\"Whether err is the legacy exception called name.\"\"\"\n"
    "    return isinstance(err, ETLPortError) and err.name == name\n"
    "\n"
    "\n"
    "def _error_info(err):\n"
    "    \"\"\"SQLCODE, SQLERRM and SQLSTATE for an exception handler.\"\"\"\n"
    "    if isinstance(err, ETLPortError):\n"
    "        return err.code, str(err), None\n"
    "    return -1, str(err), getattr(err, \"sqlState\", None)\n"
    "\n"
    "\n";

static const char select_into_helper[] =
    "def _select_into(spark, sql, args=None):\n"
    "    \"\"\"The one row of a SELECT INTO, as a tuple. No row raises NO_DATA_FOUND and more than one\n"
    "    TOO_MANY_ROWS, as Oracle and DB2 do; T-SQL's SELECT @v = ... instead keeps the variables on no\n"
    "    row and takes the last of several: check the legacy logic where that mattered.\"\"\"\n"
    "    rows = spark.sql(sql, args=args or {}).limit(2).collect()\n"
    "    if not rows:\n"
    "        raise ETLPortError(\"NO_DATA_FOUND\", 100, \"SELECT INTO returned no row\")\n"
    "    if len(rows) > 1:\n"
    "        raise ETLPortError(\"TOO_MANY_ROWS\", -1422, \"SELECT INTO returned more than one row\")\n"
    "    return tuple(rows[0])\n"
    "\n"
    "\n";

static const char rows_affected_helper[] =
    "def _rows_affected(df):\n"
    "    \"\"\"ACTIVITYCOUNT / @@ROWCOUNT after a DML statement: the rows it changed, as Delta reports them\n"
    "    (num_affected_rows); None when the table format does not say.\"\"\"\n"
    "    row = df.first()\n"
    "    if row is not None and \"num_affected_rows\" in row.asDict():\n"
    "        return row[\"num_affected_rows\"]\n"
    "    return None\n"
    "\n"
    "\n";

static const char call_helper[] =
    "# Procedures this one calls: register each generated module's run here, e.g.\n"
    "# PROCEDURES[\"dbo.log_run\"] = lambda spark, args: log_run.run(\n"
    "#     spark, args if isinstance(args, dict) else dict(zip([\"p_count\"], args)))\n"
    "PROCEDURES = {}\n"
    "\n"
    "\n"
    "def _call_procedure(spark, name, args):\n"
    "    \"\"\"CALL name(args): the registered driver of another migrated procedure; args is a list\n"
    "    (by position) or a dict (by parameter name). Returns what its run returns.\"\"\"\n"
    "    if name not in PROCEDURES:\n"
    "        raise NotImplementedError(f\"procedure {name} is not registered in PROCEDURES\")\n"
    "    return PROCEDURES[name](spark, args)\n"
    "\n"
    "\n"
    "def _out_arg(result, name):\n"
    "    \"\"\"An OUT parameter from what a migrated procedure's run returned (its OUT parameters by name,\n"
    "    matched without regard to case, as the legacy databases match names).\"\"\"\n"
    "    for key, value in (result or {}).items():\n"
    "        if key.lower() == name.lower():\n"
    "            return value\n"
    "    raise KeyError(f\"the procedure returned no OUT parameter {name}\")\n"
    "\n"
    "\n";

/* Declarations of the unit's blocks (nested ones included) as Python assignments at the top of
 * run(): Python scopes locals to the function, as T-SQL scopes DECLARE to the batch. */
static void declare_vars(pyg *g, strbuf *sb, const ir_pstmt *s, names *seen);

static void declare_block(pyg *g, strbuf *sb, const ir_pblock *b, names *seen)
{
    for (int i = 0; b && i < b->n; i++)
        declare_vars(g, sb, b->stmts[i], seen);
}

static void declare_vars(pyg *g, strbuf *sb, const ir_pstmt *s, names *seen)
{
    for (int i = 0; i < s->n_vars; i++) {
        const ir_var *v = &s->vars[i];
        int before = seen->n;
        names_add(seen, v->name);
        if (seen->n == before)
            continue;
        switch (v->kind) {
        case IR_VAR_SCALAR:
            if (v->constant)
                comment(sb, 1, NULL, "CONSTANT in the legacy code");
            emit_assign_to(g, sb, 1, v->name, v->init);
            break;
        case IR_VAR_ROW:
            ind(sb, 1);
            py_name(sb, v->name);
            sb_puts(sb, " = {}  # a record: fields by name\n");
            g->code++;
            break;
        case IR_VAR_CURSOR:
        case IR_VAR_EXCEPTION: {
            strbuf t = STRBUF_INIT;
            sb_printf(&t, "%s %s: %s", v->kind == IR_VAR_CURSOR ? "cursor" : "exception", v->name,
                      v->kind == IR_VAR_CURSOR ? "its query runs where it is opened or looped over"
                                               : "raised as ETLPortError with this name in upper case");
            comment(sb, 1, NULL, sb_cstr(&t));
            sb_free(&t);
            break;
        }
        case IR_VAR_TABLE:
            hole(g, sb, 1, "procedural", v->span,
                 "table variable / collection: create a table for it (a Delta table in a scratch schema, or a "
                 "temporary view over a DataFrame)",
                 v->name);
            break;
        }
    }
    int nb = s->kind == IR_PS_IF ? s->n_conds + (s->has_else ? 1 : 0) : s->blocks ? 1 : 0;
    for (int i = 0; i < nb; i++)
        declare_block(g, sb, &s->blocks[i], seen);
    for (int i = 0; i < s->n_handlers; i++)
        declare_block(g, sb, &s->handlers[i].body, seen);
}

static void doc_line(strbuf *sb, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '\\')
            sb_puts(sb, "\\\\");
        else if (*p == '"' && p[1] == '"')
            sb_puts(sb, "\\\"");
        else
            sb_putc(sb, *p == '\n' || *p == '\r' ? ' ' : *p);
    }
}

int spark_emit_unit(const ir_unit *u, const be_options *opt, strbuf *out, be_result *res, diag_ctx *dc)
{
    (void)opt;
    (void)dc;
    if (!u)
        return -1;
    pyg g;
    memset(&g, 0, sizeof g);
    g.u = u;
    g.err_exit = -1;
    for (int i = 0; i < u->n_params; i++)
        if (u->params[i].mode != IR_PARAM_IN)
            g.has_out = true;

    /* run()'s body first: the helpers it needs and the hole count go before it */
    strbuf body = STRBUF_INIT;
    names seen = {0};
    for (int i = 0; i < u->n_params; i++) {
        const ir_unit_param *p = &u->params[i];
        const ir_var *alias = param_alias(u, p->name);
        const char *pname = alias ? alias->name : p->name; /* a Netezza $1 goes by its ALIAS */
        names_add(&seen, p->name);
        names_add(&seen, pname);
        ind(&body, 1);
        py_name(&body, pname);
        if (p->mode == IR_PARAM_OUT) {
            sb_puts(&body, " = None  # OUT parameter: returned by run()\n");
            continue;
        }
        bool required = p->default_value &&
                        ir_expr_contains(p->default_value, IR_EXPR_MASK(IR_EX_REF) | IR_EXPR_MASK(IR_EX_PARAM) |
                                                               IR_EXPR_MASK(IR_EX_HOLE) | IR_EXPR_MASK(IR_EX_QUERY) |
                                                               IR_EXPR_MASK(IR_EX_OVER));
        sb_puts(&body, required ? " = params[" : " = params.get(");
        sb_put_py_string(&body, pname);
        bool constant = p->default_value && !required;
        if (constant) {
            sb_puts(&body, ", ");
            py_value(&g, &body, p->default_value);
        }
        sb_puts(&body, required ? "]" : ")");
        if (required) {
            strbuf t = STRBUF_INIT;
            ir_expr_to_text(&t, p->default_value);
            sb_puts(&body, "  # ETLPORT NOTE: the legacy default reads package state (");
            for (const char *c = sb_cstr(&t); *c; c++)
                sb_putc(&body, *c == '\n' || *c == '\r' ? ' ' : *c);
            sb_puts(&body, "): required here");
            sb_free(&t);
        }
        sb_puts(&body, "\n");
    }
    if (g.has_out) {
        sb_puts(&body, "\n");
        ind(&body, 1);
        sb_puts(&body, "def _out():\n");
        ind(&body, 2);
        sb_puts(&body, "return {");
        int k = 0;
        for (int i = 0; i < u->n_params; i++) {
            if (u->params[i].mode == IR_PARAM_IN)
                continue;
            if (k++)
                sb_puts(&body, ", ");
            sb_put_py_string(&body, u->params[i].name);
            sb_puts(&body, ": ");
            py_name(&body, u->params[i].name);
        }
        sb_puts(&body, "}\n\n");
    }
    const ir_pblock *steps = u->body.blocks ? &u->body.blocks[0] : NULL;
    if (u->dialect && strcmp(u->dialect, "tsql") == 0) {
        if (step_reads(&u->body, "@@FETCH_STATUS") || step_reads(&u->body, "FETCH_STATUS")) {
            sb_puts(&body, "    fetch_status = -1  # T-SQL's @@FETCH_STATUS: set by each FETCH\n");
            g.fetch_status = true;
        }
        if (step_reads(&u->body, "@@ROWCOUNT") || step_reads(&u->body, "ROWCOUNT")) {
            sb_puts(&body, "    rowcount = None  # T-SQL's @@ROWCOUNT: rows the last DML changed\n");
            g.rowcount = true;
        }
        if (step_reads(&u->body, "@@TRANCOUNT") || step_reads(&u->body, "TRANCOUNT"))
            sb_puts(&body, "    trancount = 0  # T-SQL's @@TRANCOUNT: Spark has no transactions\n");
    }
    if (u->dialect && strcmp(u->dialect, "oracle") == 0 &&
        (step_reads(&u->body, "SQL%ROWCOUNT") || step_reads(&u->body, "SQL%FOUND") ||
         step_reads(&u->body, "SQL%NOTFOUND"))) {
        sb_puts(&body, "    rowcount = None  # Oracle's SQL%ROWCOUNT: rows the last DML changed\n");
        g.rowcount = true;
    }
    if (u->dialect && strcmp(u->dialect, "netezza") == 0 && step_reads(&u->body, "ROW_COUNT")) {
        sb_puts(&body, "    rowcount = None  # NZPLSQL's ROW_COUNT: rows the last DML changed\n");
        g.rowcount = true;
    }
    if (u->kind == IR_UNIT_SCRIPT && block_reads(steps, "ERRORCODE"))
        sb_puts(&body, "    errorcode = 0  # BTEQ's ERRORCODE: a failing statement raises here instead\n");
    if (u->kind == IR_UNIT_SCRIPT && block_reads(steps, "ACTIVITYCOUNT")) {
        sb_puts(&body, "    activitycount = None  # BTEQ's ACTIVITYCOUNT: rows the last DML changed\n");
        g.activitycount = true;
    }
    declare_vars(&g, &body, &u->body, &seen);
    for (int i = 0; i < seen.n; i++)
        names_add(&g.known, seen.v[i]);
    free(seen.v);
    collect_known(&g.known, &u->body);
    if (u->kind == IR_UNIT_SCRIPT) {
        names_add(&g.known, "ERRORCODE");
        names_add(&g.known, "ACTIVITYCOUNT");
    }
    const ir_pblock *top = u->body.blocks ? &u->body.blocks[0] : NULL;
    int err_end = -1;
    g.err_exit = ir_unit_error_exit_label(u, &err_end);
    if (g.err_exit >= 0) {
        ind(&body, 1);
        sb_puts(&body, "try:\n");
        block_at(&g, &body, top, 2);
        strbuf t = STRBUF_INIT;
        sb_printf(&t, "BTEQ's .IF ERRORCODE <> 0 THEN .GOTO %s: any failing statement runs that section (also one "
                      "the script did not check)",
                  top->stmts[g.err_exit]->name);
        sb_puts(&body, "    except Exception as _err:\n");
        note(&body, 2, sb_cstr(&t));
        sb_free(&t);
        ind(&body, 2);
        sb_puts(&body, "print(f\"etlport: {_err}\", file=sys.stderr, flush=True)\n");
        g.handler_depth++;
        for (int k = g.err_exit + 1; k <= err_end; k++)
            emit_step(&g, &body, top->stmts[k], 2);
        g.handler_depth--;
    } else {
        emit_try(&g, &body, &u->body, top, 1, true);
    }
    if (g.has_out && !u->body.n_handlers && !(top && top->n && top->stmts[top->n - 1]->kind == IR_PS_RETURN)) {
        ind(&body, 1);
        sb_puts(&body, "return _out()\n");
    }

    /* the module */
    strbuf loc = STRBUF_INIT;
    location(&loc, &g, u->span);
    sb_puts(out, "\"\"\"Generated by etlport (PySpark driver) from ");
    sb_puts(out, ir_unit_kind_name(u->kind));
    sb_putc(out, ' ');
    doc_line(out, u->name ? u->name : "?");
    sb_puts(out, ".\n\nLegacy: ");
    doc_line(out, u->dialect ? u->dialect : "?");
    sb_puts(out, ", ");
    doc_line(out, sb_cstr(&loc));
    sb_printf(out, "\nHoles: %d%s\n", g.holes,
              g.holes ? " (calls to _etlport_hole below raise NotImplementedError when reached)" : "");
    sb_puts(out, "Each SQL step runs through spark.sql with the procedure's variables as named parameters\n"
                 "(Spark 3.4+); conditions and assignments are evaluated by Spark (_scalar).\n");
    if (g.has_out)
        sb_puts(out, "OUT parameters are returned by run() as a dict.\n");
    sb_puts(out, "\"\"\"\n");
    sb_puts(out, "import json\nimport sys\n\nfrom pyspark.sql import SparkSession\n\n\n");
    sb_puts(out, helpers);
    if (g.uses_into)
        sb_puts(out, select_into_helper);
    if (g.uses_call)
        sb_puts(out, call_helper);
    if (g.activitycount || g.rowcount)
        sb_puts(out, rows_affected_helper);
    sb_puts(out, "def run(spark: SparkSession, params: dict):\n");
    sb_puts(out, "    \"\"\"Runs ");
    doc_line(out, u->name ? u->name : "the procedure");
    sb_puts(out, "; params holds its parameters by name.\"\"\"\n");
    sb_puts(out, sb_cstr(&body));
    sb_puts(out, "\n\n"
                 "def _params_from_argv(argv):\n"
                 "    \"\"\"Parameters from the command line: one JSON object, or NAME=VALUE pairs.\"\"\"\n"
                 "    if len(argv) == 1 and argv[0].lstrip().startswith(\"{\"):\n"
                 "        return json.loads(argv[0])\n"
                 "    params = {}\n"
                 "    for arg in argv:\n"
                 "        name, sep, value = arg.partition(\"=\")\n"
                 "        if not sep:\n"
                 "            raise SystemExit(f\"expected NAME=VALUE or a JSON object, got {arg!r}\")\n"
                 "        params[name] = value\n"
                 "    return params\n"
                 "\n\n"
                 "if __name__ == \"__main__\":\n"
                 "    _spark = SparkSession.builder.appName(");
    sb_put_py_string(out, u->name ? u->name : "etlport procedure");
    sb_puts(out, ").getOrCreate()\n"
                 "    try:\n"
                 "        _result = run(_spark, _params_from_argv(sys.argv[1:]))\n"
                 "    finally:\n"
                 "        _spark.stop()\n");
    if (u->kind == IR_UNIT_SCRIPT)
        sb_puts(out, "    sys.exit(int(_result or 0))\n");
    else
        sb_puts(out, "    if _result is not None:\n"
                     "        print(json.dumps(_result, default=str))\n");
    if (res) {
        res->holes += g.holes;
        res->unsupported += g.unsupported;
    }
    sb_free(&loc);
    sb_free(&body);
    free(g.known.v);
    return 0;
}
