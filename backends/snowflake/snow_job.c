/*
 * snow_job.c — one job as a Snowflake SQL script: a header (provenance, holes, parameters as
 * session variables), CREATE TABLE IF NOT EXISTS for each target dataset, then one statement per
 * target node: INSERT [OVERWRITE] INTO ... WITH ... SELECT, or MERGE INTO ... USING (WITH ...).
 *
 * Every IR node upstream of a target becomes one CTE named after the legacy node (sanitized,
 * unique), preceded by a comment naming the legacy transformation. Nodes that need a window
 * before a filter (dedup, rank, first/last lookups) get a helper CTE `<name>_RANKED` first, so
 * no QUALIFY is needed. Output is deterministic: nodes in job order, columns in node order.
 */
#include "backends/snowflake/snow_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct jobgen {
    const ir_job *job;
    be_result *res;
    diag_ctx *dc;
    char **cte;      /* CTE name per node index (owned) */
    char **taken;    /* every name in use, for uniqueness (borrowed from cte / extra) */
    int n_taken, cap_taken;
    char **extra;    /* helper names and reserved dataset names (owned) */
    int n_extra, cap_extra;
    struct {
        int node;
        const char *suffix, *name;
    } *helpers;      /* helper CTE names by node, so every statement uses the same ones */
    int n_helpers, cap_helpers;
} jobgen;

#define IND1 4
#define IND2 8

/* ---- names ---- */

static int node_index(const ir_job *job, int id)
{
    for (int i = 0; i < job->n_nodes; i++)
        if (job->nodes[i]->id == id)
            return i;
    return -1;
}

static int name_taken(const jobgen *g, const char *s)
{
    for (int i = 0; i < g->n_taken; i++)
        if (strcasecmp(g->taken[i], s) == 0)
            return 1;
    return 0;
}

static void take(jobgen *g, char *s)
{
    if (g->n_taken == g->cap_taken) {
        g->cap_taken = g->cap_taken ? g->cap_taken * 2 : 32;
        g->taken = realloc(g->taken, (size_t)g->cap_taken * sizeof *g->taken);
        if (!g->taken)
            abort();
    }
    g->taken[g->n_taken++] = s;
}

static char *keep_extra(jobgen *g, char *s)
{
    if (g->n_extra == g->cap_extra) {
        g->cap_extra = g->cap_extra ? g->cap_extra * 2 : 16;
        g->extra = realloc(g->extra, (size_t)g->cap_extra * sizeof *g->extra);
        if (!g->extra)
            abort();
    }
    g->extra[g->n_extra++] = s;
    return s;
}

/* A unique identifier made from base (letters, digits, '_'; never starting with a digit). */
static char *unique_name(jobgen *g, const char *base)
{
    size_t n = base ? strlen(base) : 0;
    char *s = malloc(n + 24);
    if (!s)
        abort();
    size_t k = 0;
    if (!n || isdigit((unsigned char)base[0]))
        s[k++] = 'N', s[k++] = '_';
    for (size_t i = 0; i < n; i++)
        s[k++] = isalnum((unsigned char)base[i]) || base[i] == '_' ? base[i] : '_';
    s[k] = 0;
    if (name_taken(g, s)) {
        for (int i = 2;; i++) {
            snprintf(s + k, 24, "_%d", i);
            if (!name_taken(g, s))
                break;
        }
    }
    take(g, s);
    return s;
}

/* The name of a helper CTE of node n (e.g. NAME_RANKED), the same in every statement. */
static const char *helper_name(jobgen *g, const ir_node *n, const char *suffix)
{
    for (int i = 0; i < g->n_helpers; i++)
        if (g->helpers[i].node == n->id && strcmp(g->helpers[i].suffix, suffix) == 0)
            return g->helpers[i].name;
    int i = node_index(g->job, n->id);
    char buf[512];
    snprintf(buf, sizeof buf, "%s_%s", g->cte[i], suffix);
    const char *name = keep_extra(g, unique_name(g, buf));
    if (g->n_helpers == g->cap_helpers) {
        g->cap_helpers = g->cap_helpers ? g->cap_helpers * 2 : 8;
        g->helpers = realloc(g->helpers, (size_t)g->cap_helpers * sizeof *g->helpers);
        if (!g->helpers)
            abort();
    }
    g->helpers[g->n_helpers].node = n->id;
    g->helpers[g->n_helpers].suffix = suffix;
    g->helpers[g->n_helpers].name = name;
    g->n_helpers++;
    return name;
}

static void names_init(jobgen *g)
{
    const ir_job *job = g->job;
    /* dataset names (whole and last part) are taken so a CTE never shadows a table it reads */
    for (int i = 0; i < job->n_datasets; i++) {
        const char *nm = job->datasets[i].name;
        const char *dot = strrchr(nm, '.');
        keep_extra(g, strdup(nm));
        take(g, g->extra[g->n_extra - 1]);
        if (dot) {
            keep_extra(g, strdup(dot + 1));
            take(g, g->extra[g->n_extra - 1]);
        }
    }
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        if (n->dataset) {
            const char *dot = strrchr(n->dataset, '.');
            if (!name_taken(g, dot ? dot + 1 : n->dataset)) {
                keep_extra(g, strdup(dot ? dot + 1 : n->dataset));
                take(g, g->extra[g->n_extra - 1]);
            }
        }
    }
    g->cte = calloc((size_t)job->n_nodes + 1, sizeof *g->cte);
    if (!g->cte)
        abort();
    for (int i = 0; i < job->n_nodes; i++)
        g->cte[i] = unique_name(g, job->nodes[i]->name);
}

static void names_free(jobgen *g)
{
    for (int i = 0; i < g->job->n_nodes; i++)
        free(g->cte[i]);
    for (int i = 0; i < g->n_extra; i++)
        free(g->extra[i]);
    free(g->cte);
    free(g->extra);
    free(g->taken);
    free(g->helpers);
}

static const char *cte_of(const jobgen *g, int id)
{
    int i = node_index(g->job, id);
    return i >= 0 ? g->cte[i] : "MISSING_INPUT";
}

static const ir_node *input(const jobgen *g, const ir_node *n, int k)
{
    return k < n->n_inputs ? ir_job_node(g->job, n->inputs[k]) : NULL;
}

/* ---- bookkeeping ---- */

static void ctx_done(jobgen *g, const snow_ctx *c)
{
    if (g->res) {
        g->res->holes += c->holes;
        g->res->unsupported += c->unsupported;
    }
}

static void legacy_comment(jobgen *g, strbuf *sb, const ir_node *n, int indent)
{
    sb_indent(sb, indent);
    sb_puts(sb, "-- ");
    sb_puts(sb, n->name ? n->name : "?");
    if (n->legacy_type)
        sb_printf(sb, " (%s)", n->legacy_type);
    sb_puts(sb, " at ");
    snow_span(sb, n->span, g->job);
    sb_printf(sb, " [%s]\n", ir_op_name(n->op));
}

/* ---- column lists ---- */

/* Whether e is a plain reference to column `name`. */
static int is_ref_named(const ir_expr *e, const char *name)
{
    return e && e->kind == IR_EX_REF && strcmp(e->u.ref.col, name) == 0;
}

/* `expr AS col` (or just the reference when it keeps the name) on its own line. */
static void put_col(snow_ctx *c, strbuf *sb, const ir_column *col, const ir_expr *e, int first)
{
    if (!first)
        sb_puts(sb, ",\n");
    sb_indent(sb, IND2);
    if (!e) {
        snow_ident(sb, col->name);
        return;
    }
    snow_expr(c, sb, e);
    if (!is_ref_named(e, col->name)) {
        sb_puts(sb, " AS ");
        snow_ident(sb, col->name);
    }
}

/* The input (by id) that has a column named name, among n's inputs; 0 if none. */
static int input_with_col(const jobgen *g, const ir_node *n, const char *name)
{
    for (int k = 0; k < n->n_inputs; k++) {
        const ir_node *in = input(g, n, k);
        if (in && ir_node_col(in, name))
            return in->id;
    }
    return 0;
}

/* The SELECT list of n's columns; a column without an expression passes the same-named input
 * column through. */
static void select_list(jobgen *g, snow_ctx *c, strbuf *sb, const ir_node *n)
{
    sb_indent(sb, IND1);
    sb_puts(sb, "SELECT");
    if (n->distinct && (n->op == IR_OP_SORT || n->op == IR_OP_SOURCE))
        sb_puts(sb, " DISTINCT");
    sb_putc(sb, '\n');
    if (n->n_cols == 0) {
        sb_indent(sb, IND2);
        sb_puts(sb, "*\n");
        return;
    }
    for (int i = 0; i < n->n_cols; i++) {
        const ir_column *col = &n->cols[i];
        if (!col->expr && c->n_quals > 1) {
            int id = input_with_col(g, n, col->name);
            if (i)
                sb_puts(sb, ",\n");
            sb_indent(sb, IND2);
            if (id) {
                snow_ident(sb, cte_of(g, id));
                sb_putc(sb, '.');
            }
            snow_ident(sb, col->name);
            continue;
        }
        put_col(c, sb, col, col->expr, i == 0);
    }
    sb_putc(sb, '\n');
}

static void from_line(strbuf *sb, const char *name)
{
    sb_indent(sb, IND1);
    sb_puts(sb, "FROM ");
    snow_ident(sb, name);
    sb_putc(sb, '\n');
}

static void where_line(snow_ctx *c, strbuf *sb, const ir_expr *pred)
{
    sb_indent(sb, IND1);
    sb_puts(sb, "WHERE ");
    snow_expr(c, sb, pred);
    sb_putc(sb, '\n');
}

static void order_item(snow_ctx *c, strbuf *sb, const ir_sort_key *k, int reverse)
{
    snow_expr(c, sb, k->expr);
    int desc = k->desc != (reverse != 0);
    sb_puts(sb, desc ? " DESC" : " ASC");
    if (k->nulls == 1)
        sb_puts(sb, " NULLS FIRST");
    else if (k->nulls == 2)
        sb_puts(sb, " NULLS LAST");
}

/* Whether an order key already names column `name`. */
static int order_has(const ir_node *n, const char *name)
{
    for (int i = 0; i < n->n_order; i++)
        if (is_ref_named(n->order[i].expr, name))
            return 1;
    return 0;
}

/* Whether a partition key names column `name` (constant within a partition: no tie-breaker). */
static int key_has(const ir_node *n, const char *name)
{
    for (int i = 0; i < n->n_keys; i++)
        if (is_ref_named(n->keys[i], name))
            return 1;
    return 0;
}

/* ORDER BY the node's order keys, then every other column of `from` as a tie-breaker so the
 * numbering is deterministic. Returns whether the legacy order had to be invented. */
static int window_order(snow_ctx *c, strbuf *sb, const ir_node *n, const ir_node *from, int reverse)
{
    sb_puts(sb, "ORDER BY ");
    int first = 1;
    for (int i = 0; i < n->n_order; i++) {
        if (!first)
            sb_puts(sb, ", ");
        order_item(c, sb, &n->order[i], reverse);
        first = 0;
    }
    for (int i = 0; from && i < from->n_cols; i++) {
        if (order_has(n, from->cols[i].name) || key_has(n, from->cols[i].name))
            continue;
        if (!first)
            sb_puts(sb, ", ");
        snow_ident(sb, from->cols[i].name);
        first = 0;
    }
    if (first)
        sb_puts(sb, "NULL");
    return n->n_order == 0;
}

/* ---- node bodies ---- */

/* Opens a CTE; emit_node has already written the separator from the previous one. */
static void cte_open(jobgen *g, strbuf *sb, const char *name, int *first)
{
    (void)g;
    (void)first;
    snow_ident(sb, name);
    sb_puts(sb, " AS (\n");
}

static void cte_close(strbuf *sb)
{
    sb_puts(sb, ")");
}

static void hole_block(jobgen *g, strbuf *sb, const char *kind, const ir_node *n, const char *reason,
                       const char *text)
{
    sb_puts(sb, "-- ETLPORT HOLE (");
    sb_puts(sb, kind);
    sb_puts(sb, ") at ");
    snow_span(sb, n->span, g->job);
    sb_puts(sb, ": ");
    const char *r = reason ? reason : "";
    for (const char *p = r; *p; p++)
        sb_putc(sb, *p == '\n' || *p == '\r' ? ' ' : *p);
    sb_putc(sb, '\n');
    if (text && *text)
        snow_line_comments(sb, 0, "| ", text);
    if (g->res)
        g->res->holes++;
}

/* Zero rows with n's columns as typed NULLs. */
static void typed_empty(strbuf *sb, const ir_node *n)
{
    sb_indent(sb, IND1);
    sb_puts(sb, "SELECT\n");
    for (int i = 0; i < n->n_cols; i++) {
        sb_indent(sb, IND2);
        snow_typed_null(sb, n->cols[i].type);
        sb_puts(sb, " AS ");
        snow_ident(sb, n->cols[i].name);
        sb_puts(sb, i + 1 < n->n_cols ? ",\n" : "\n");
    }
    if (!n->n_cols) {
        sb_indent(sb, IND2);
        sb_puts(sb, "NULL AS ETLPORT_HOLE\n");
    }
    sb_indent(sb, IND1);
    sb_puts(sb, "FROM (SELECT 1 AS ONE) AS EMPTY_ROW\n");
    sb_indent(sb, IND1);
    sb_puts(sb, "WHERE FALSE\n");
}

static void emit_source(jobgen *g, strbuf *sb, const ir_node *n, int *first)
{
    const char *name = g->cte[node_index(g->job, n->id)];
    if (n->sql) {
        hole_block(g, sb, "sql", n, "SQL override in the legacy dialect, not translated", n->sql);
        cte_open(g, sb, name, first);
        typed_empty(sb, n);
        cte_close(sb);
        return;
    }
    legacy_comment(g, sb, n, 0);
    cte_open(g, sb, name, first);
    snow_ctx c;
    snow_ctx_init(&c, g->job, n);
    select_list(g, &c, sb, n);
    sb_indent(sb, IND1);
    sb_puts(sb, "FROM ");
    snow_qname(sb, n->dataset ? n->dataset : n->name);
    sb_putc(sb, '\n');
    if (n->predicate)
        where_line(&c, sb, n->predicate);
    cte_close(sb);
    ctx_done(g, &c);
}

/* Filters made from router groups: the DEFAULT group without a predicate takes the rows no
 * other group of the same router accepts. */
static void emit_filter(jobgen *g, strbuf *sb, const ir_node *n, int *first)
{
    const ir_node *in = input(g, n, 0);
    legacy_comment(g, sb, n, 0);
    if (n->group) {
        sb_printf(sb, "-- router group %s", n->group);
        if (in)
            sb_printf(sb, " of %s", in->name);
        sb_putc(sb, '\n');
    }
    cte_open(g, sb, g->cte[node_index(g->job, n->id)], first);
    snow_ctx c;
    snow_ctx_init(&c, g->job, n);
    select_list(g, &c, sb, n);
    from_line(sb, in ? cte_of(g, in->id) : "MISSING_INPUT");
    if (n->predicate) {
        where_line(&c, sb, n->predicate);
    } else if (n->group && in) {
        int any = 0;
        for (int i = 0; i < g->job->n_nodes; i++) {
            const ir_node *s = g->job->nodes[i];
            if (s == n || s->op != IR_OP_FILTER || !s->group || !s->predicate || s->n_inputs < 1 ||
                s->inputs[0] != in->id)
                continue;
            sb_indent(sb, IND1);
            sb_puts(sb, any ? "  AND " : "WHERE ");
            sb_puts(sb, "NOT COALESCE(");
            snow_expr(&c, sb, s->predicate);
            sb_printf(sb, ", FALSE) -- not group %s\n", s->group);
            any = 1;
        }
    }
    cte_close(sb);
    ctx_done(g, &c);
}

/* project, router, update strategy, sort and other single-input pass-through shapes */
static void emit_simple(jobgen *g, strbuf *sb, const ir_node *n, int *first)
{
    const ir_node *in = input(g, n, 0);
    legacy_comment(g, sb, n, 0);
    if (n->op == IR_OP_UPDATE)
        sb_puts(sb, "-- row operation column: 0 insert, 1 update, 2 delete, 3 reject\n");
    if (n->op == IR_OP_SORT)
        sb_puts(sb, "-- ORDER BY in a CTE does not order later steps; kept to document the legacy sort\n");
    if (n->op == IR_OP_WINDOW) {
        strbuf f = STRBUF_INIT;
        ir_frame_to_text(&f, n->frame);
        sb_printf(sb, "-- window: %d partition key(s), %d order key(s); %s for first_value, last_value and "
                      "aggregates\n", n->n_keys, n->n_order, sb_cstr(&f));
        sb_free(&f);
    }
    cte_open(g, sb, g->cte[node_index(g->job, n->id)], first);
    snow_ctx c;
    snow_ctx_init(&c, g->job, n);
    select_list(g, &c, sb, n);
    from_line(sb, in ? cte_of(g, in->id) : "MISSING_INPUT");
    if (n->op == IR_OP_SORT && n->n_order) {
        sb_indent(sb, IND1);
        sb_puts(sb, "ORDER BY ");
        for (int i = 0; i < n->n_order; i++) {
            if (i)
                sb_puts(sb, ", ");
            order_item(&c, sb, &n->order[i], 0);
        }
        sb_putc(sb, '\n');
    }
    cte_close(sb);
    ctx_done(g, &c);
}

static const char *join_kw(ir_join_kind k)
{
    switch (k) {
    case IR_JOIN_LEFT: return "LEFT JOIN";
    case IR_JOIN_RIGHT: return "RIGHT JOIN";
    case IR_JOIN_FULL: return "FULL OUTER JOIN";
    case IR_JOIN_CROSS: return "CROSS JOIN";
    default: return "INNER JOIN";
    }
}

static void emit_join(jobgen *g, strbuf *sb, const ir_node *n, int *first)
{
    const ir_node *d = input(g, n, 0), *m = input(g, n, 1);
    legacy_comment(g, sb, n, 0);
    sb_printf(sb, "-- detail: %s, master: %s\n", d ? d->name : "?", m ? m->name : "?");
    cte_open(g, sb, g->cte[node_index(g->job, n->id)], first);
    snow_ctx c;
    snow_ctx_init(&c, g->job, n);
    for (int k = 0; k < 2 && k < n->n_inputs; k++) {
        c.quals[c.n_quals].node = n->inputs[k];
        c.quals[c.n_quals].name = cte_of(g, n->inputs[k]);
        c.n_quals++;
    }
    if (c.n_quals < 2) /* keep qualified output even with one input */
        c.n_quals = c.n_quals ? c.n_quals : 0;
    select_list(g, &c, sb, n);
    from_line(sb, d ? cte_of(g, d->id) : "MISSING_INPUT");
    sb_indent(sb, IND1);
    sb_puts(sb, join_kw(n->join));
    sb_putc(sb, ' ');
    snow_ident(sb, m ? cte_of(g, m->id) : "MISSING_INPUT");
    if (n->join != IR_JOIN_CROSS) {
        sb_puts(sb, "\n");
        sb_indent(sb, IND2);
        sb_puts(sb, "ON ");
        if (n->predicate)
            snow_expr(&c, sb, n->predicate);
        else
            sb_puts(sb, "TRUE");
    }
    sb_putc(sb, '\n');
    if (n->join == IR_JOIN_CROSS && n->predicate)
        where_line(&c, sb, n->predicate);
    cte_close(sb);
    ctx_done(g, &c);
}

/* Whether e references node id anywhere. */
static int refs_node(const ir_expr *e, int id)
{
    if (!e)
        return 0;
    if (e->kind == IR_EX_REF)
        return e->u.ref.node == id;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            if (refs_node(e->u.call.args[i], id))
                return 1;
    return 0;
}

/* Whether every reference in e is to node id (and e has no reference to another node). */
static int refs_only(const ir_expr *e, int id)
{
    if (!e)
        return 1;
    if (e->kind == IR_EX_REF)
        return e->u.ref.node == id;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            if (!refs_only(e->u.call.args[i], id))
                return 0;
    return 1;
}

/* Collects the lookup-side expressions of an all-equality condition. Returns 0 when some
 * conjunct is not `input-side = lookup-side`. */
static int equi_keys(const ir_expr *p, int lkp, const ir_expr **keys, int *nk, int cap)
{
    if (!p)
        return 0;
    if (p->kind == IR_EX_CALL && p->u.call.fn == IR_FN_AND) {
        for (int i = 0; i < p->u.call.n_args; i++)
            if (!equi_keys(p->u.call.args[i], lkp, keys, nk, cap))
                return 0;
        return 1;
    }
    if (p->kind != IR_EX_CALL || p->u.call.fn != IR_FN_EQ || p->u.call.n_args != 2 || *nk >= cap)
        return 0;
    const ir_expr *a = p->u.call.args[0], *b = p->u.call.args[1];
    int ra = refs_node(a, lkp), rb = refs_node(b, lkp);
    if (ra == rb)
        return 0;
    keys[(*nk)++] = ra ? a : b;
    return 1;
}

static const char *policy_name(ir_match_policy m)
{
    switch (m) {
    case IR_MATCH_FIRST: return "first";
    case IR_MATCH_LAST: return "last";
    case IR_MATCH_ANY: return "any";
    case IR_MATCH_ERROR: return "error";
    default: return "all";
    }
}

/* Adds the columns of node id that e references to names (in order of appearance, once). */
static void collect_refs(const ir_expr *e, int id, const char **names, int *n, int cap)
{
    if (!e)
        return;
    if (e->kind == IR_EX_REF && e->u.ref.node == id) {
        for (int i = 0; i < *n; i++)
            if (strcmp(names[i], e->u.ref.col) == 0)
                return;
        if (*n < cap)
            names[(*n)++] = e->u.ref.col;
        return;
    }
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            collect_refs(e->u.call.args[i], id, names, n, cap);
}

/* ORDER BY the lookup columns in the legacy cache order: the condition columns first (PowerCenter
 * sorts the cache on them, so "first"/"last" of a range condition such as RATE_DATE <= VALUE_DATE
 * is the smallest/largest RATE_DATE), then every other lookup column to break ties. */
static void order_by_cols(strbuf *sb, const char *qual, const ir_node *from, const ir_expr *cond, int desc)
{
    const char *names[256];
    int n = 0;
    collect_refs(cond, from->id, names, &n, 256);
    for (int i = 0; i < from->n_cols && n < 256; i++) {
        int seen = 0;
        for (int k = 0; k < n; k++)
            if (strcmp(names[k], from->cols[i].name) == 0)
                seen = 1;
        if (!seen)
            names[n++] = from->cols[i].name;
    }
    sb_puts(sb, "ORDER BY ");
    for (int i = 0; i < n; i++) {
        if (i)
            sb_puts(sb, ", ");
        if (qual) {
            snow_ident(sb, qual);
            sb_putc(sb, '.');
        }
        snow_ident(sb, names[i]);
        sb_puts(sb, desc ? " DESC" : " ASC");
    }
    if (!n)
        sb_puts(sb, "NULL");
}

/* The lookup columns in that order, for the comment. */
static void order_cols_comment(strbuf *sb, const ir_node *from, const ir_expr *cond)
{
    const char *names[256];
    int n = 0;
    collect_refs(cond, from->id, names, &n, 256);
    for (int i = 0; i < from->n_cols && n < 256; i++) {
        int seen = 0;
        for (int k = 0; k < n; k++)
            if (strcmp(names[k], from->cols[i].name) == 0)
                seen = 1;
        if (!seen)
            names[n++] = from->cols[i].name;
    }
    for (int i = 0; i < n; i++)
        sb_printf(sb, "%s%s", i ? ", " : "", names[i]);
}

static void emit_lookup(jobgen *g, strbuf *sb, const ir_node *n, int *first)
{
    const ir_node *d = input(g, n, 0), *l = input(g, n, 1);
    const char *name = g->cte[node_index(g->job, n->id)];
    const char *dname = d ? cte_of(g, d->id) : "MISSING_INPUT";
    const char *lname = l ? cte_of(g, l->id) : "MISSING_INPUT";
    int ranked = l && (n->match == IR_MATCH_FIRST || n->match == IR_MATCH_LAST || n->match == IR_MATCH_ANY);
    int desc = n->match == IR_MATCH_LAST;
    const ir_expr *keys[64];
    int nk = 0;
    int equi = l && equi_keys(n->predicate, l->id, keys, &nk, 64);
    snow_ctx c;
    snow_ctx_init(&c, g->job, n);

    if (ranked && equi) {
        /* rank the lookup side per key, keep one row per key, then a plain left join */
        const char *rk = helper_name(g, n, "RANKED");
        legacy_comment(g, sb, n, 0);
        sb_printf(sb, "-- lookup match policy %s: one row per key, the %s by (", policy_name(n->match),
                  desc ? "last" : "first");
        order_cols_comment(sb, l, n->predicate);
        sb_puts(sb, ") order: condition columns, then the others; the legacy cache order is not known\n");
        cte_open(g, sb, rk, first);
        sb_indent(sb, IND1);
        sb_puts(sb, "SELECT\n");
        for (int i = 0; i < l->n_cols; i++) {
            sb_indent(sb, IND2);
            snow_ident(sb, l->cols[i].name);
            sb_puts(sb, ",\n");
        }
        sb_indent(sb, IND2);
        sb_puts(sb, "ROW_NUMBER() OVER (PARTITION BY ");
        snow_ctx kc;
        snow_ctx_init(&kc, g->job, n);
        for (int i = 0; i < nk; i++) {
            if (i)
                sb_puts(sb, ", ");
            snow_expr(&kc, sb, keys[i]);
        }
        sb_putc(sb, ' ');
        order_by_cols(sb, NULL, l, n->predicate, desc);
        sb_puts(sb, ") AS ETL_RN\n");
        from_line(sb, lname);
        cte_close(sb);
        ctx_done(g, &kc);
        sb_puts(sb, ",\n");
        lname = rk;
    } else if (ranked) {
        /* a condition that is not all equalities: join first, then keep one match per input row */
        const char *rid = helper_name(g, n, "INPUT");
        const char *mt = helper_name(g, n, "MATCHES");
        legacy_comment(g, sb, n, 0);
        sb_printf(sb, "-- lookup match policy %s with a non-equality condition: each input row gets an id, "
                      "the %s match by (condition columns, then the other lookup columns) order is kept; the legacy cache "
                      "order is not known\n",
                  policy_name(n->match), desc ? "last" : "first");
        cte_open(g, sb, rid, first);
        sb_indent(sb, IND1);
        sb_puts(sb, "SELECT\n");
        for (int i = 0; d && i < d->n_cols; i++) {
            sb_indent(sb, IND2);
            snow_ident(sb, d->cols[i].name);
            sb_puts(sb, ",\n");
        }
        sb_indent(sb, IND2);
        sb_puts(sb, "SEQ8() AS ETL_ROW_ID\n");
        from_line(sb, dname);
        cte_close(sb);
        sb_puts(sb, ",\n");
        snow_ident(sb, mt);
        sb_puts(sb, " AS (\n");
        c.quals[0].node = d ? d->id : -1;
        c.quals[0].name = rid;
        c.quals[1].node = l->id;
        c.quals[1].name = lname;
        c.n_quals = 2;
        sb_indent(sb, IND1);
        sb_puts(sb, "SELECT\n");
        for (int i = 0; i < n->n_cols; i++) {
            const ir_column *col = &n->cols[i];
            sb_indent(sb, IND2);
            if (col->expr) {
                snow_expr(&c, sb, col->expr);
            } else {
                int id = input_with_col(g, n, col->name);
                snow_ident(sb, id == l->id ? lname : rid);
                sb_putc(sb, '.');
                snow_ident(sb, col->name);
            }
            sb_puts(sb, " AS ");
            snow_ident(sb, col->name);
            sb_puts(sb, ",\n");
        }
        sb_indent(sb, IND2);
        sb_puts(sb, "ROW_NUMBER() OVER (PARTITION BY ");
        snow_ident(sb, rid);
        sb_puts(sb, ".ETL_ROW_ID ");
        order_by_cols(sb, lname, l, n->predicate, desc);
        sb_puts(sb, ") AS ETL_RN\n");
        from_line(sb, rid);
        sb_indent(sb, IND1);
        sb_puts(sb, "LEFT JOIN ");
        snow_ident(sb, lname);
        sb_puts(sb, "\n");
        sb_indent(sb, IND2);
        sb_puts(sb, "ON ");
        if (n->predicate)
            snow_expr(&c, sb, n->predicate);
        else
            sb_puts(sb, "TRUE");
        sb_puts(sb, "\n),\n");
        snow_ident(sb, name);
        sb_puts(sb, " AS (\n");
        sb_indent(sb, IND1);
        sb_puts(sb, "SELECT\n");
        for (int i = 0; i < n->n_cols; i++) {
            sb_indent(sb, IND2);
            snow_ident(sb, n->cols[i].name);
            sb_puts(sb, i + 1 < n->n_cols ? ",\n" : "\n");
        }
        from_line(sb, mt);
        sb_indent(sb, IND1);
        sb_puts(sb, "WHERE ETL_RN = 1\n");
        cte_close(sb);
        ctx_done(g, &c);
        return;
    }
    if (!ranked || !equi)
        legacy_comment(g, sb, n, 0);
    if (n->match == IR_MATCH_ERROR)
        sb_puts(sb, "-- lookup match policy error: the legacy run fails on several matches; here every "
                    "match is kept (ETLPORT NOTE: duplicates are not detected)\n");
    else if (n->match == IR_MATCH_ALL)
        sb_puts(sb, "-- lookup match policy all: every match is returned\n");
    cte_open(g, sb, name, first);
    c.quals[0].node = d ? d->id : -1;
    c.quals[0].name = dname;
    c.quals[1].node = l ? l->id : -1;
    c.quals[1].name = lname;
    c.n_quals = 2;
    /* pass-through columns: qualify by the input that has them */
    sb_indent(sb, IND1);
    sb_puts(sb, "SELECT\n");
    for (int i = 0; i < n->n_cols; i++) {
        const ir_column *col = &n->cols[i];
        if (i)
            sb_puts(sb, ",\n");
        sb_indent(sb, IND2);
        if (col->expr) {
            snow_expr(&c, sb, col->expr);
            if (!is_ref_named(col->expr, col->name)) {
                sb_puts(sb, " AS ");
                snow_ident(sb, col->name);
            }
        } else {
            int id = input_with_col(g, n, col->name);
            snow_ident(sb, l && id == l->id ? lname : dname);
            sb_putc(sb, '.');
            snow_ident(sb, col->name);
        }
    }
    if (!n->n_cols) {
        sb_indent(sb, IND2);
        sb_puts(sb, "*");
    }
    sb_putc(sb, '\n');
    from_line(sb, dname);
    sb_indent(sb, IND1);
    sb_puts(sb, "LEFT JOIN ");
    snow_ident(sb, lname);
    sb_puts(sb, "\n");
    sb_indent(sb, IND2);
    sb_puts(sb, "ON ");
    if (n->predicate)
        snow_expr(&c, sb, n->predicate);
    else
        sb_puts(sb, "TRUE");
    if (ranked) {
        sb_puts(sb, " AND ");
        snow_ident(sb, lname);
        sb_puts(sb, ".ETL_RN = 1");
    }
    sb_putc(sb, '\n');
    cte_close(sb);
    ctx_done(g, &c);
}

/* Whether every reference in e is one of the group keys. */
static int over_keys(const ir_expr *e, const ir_node *n)
{
    if (!e)
        return 1;
    if (e->kind == IR_EX_REF) {
        for (int i = 0; i < n->n_keys; i++)
            if (ir_expr_equal(n->keys[i], e) ||
                (n->keys[i]->kind == IR_EX_REF && strcmp(n->keys[i]->u.ref.col, e->u.ref.col) == 0))
                return 1;
        return 0;
    }
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            if (!over_keys(e->u.call.args[i], n))
                return 0;
    return 1;
}

static void emit_aggregate(jobgen *g, strbuf *sb, const ir_node *n, int *first)
{
    const ir_node *in = input(g, n, 0);
    legacy_comment(g, sb, n, 0);
    /* Without group-by ports SQL returns one row (NULL sums, zero counts) for an empty input,
     * the Aggregator none: a helper CTE counts the rows and the node's CTE keeps its row only
     * when there were some (HAVING without GROUP BY is not in the SQL grammar check) */
    const char *all = NULL;
    if (!n->n_keys && n->n_cols && !n->empty_row) {
        all = helper_name(g, n, "ALL");
        sb_puts(sb, "-- no group-by ports: no output row for an empty input\n");
        cte_open(g, sb, all, first);
    } else {
        cte_open(g, sb, g->cte[node_index(g->job, n->id)], first);
    }
    snow_ctx c;
    snow_ctx_init(&c, g->job, n);
    sb_indent(sb, IND1);
    sb_puts(sb, "SELECT\n");
    for (int i = 0; i < n->n_cols; i++) {
        const ir_column *col = &n->cols[i];
        ir_expr ref = {0};
        const ir_expr *e = col->expr;
        if (!e && in) { /* a pass-through port: the input column of the same name */
            ref.kind = IR_EX_REF;
            ref.u.ref.node = in->id;
            ref.u.ref.col = col->name;
            ref.type = col->type;
            e = &ref;
        }
        if (i)
            sb_puts(sb, ",\n");
        sb_indent(sb, IND2);
        if (snow_expr_has_agg(e) || over_keys(e, n)) {
            snow_expr(&c, sb, e);
            if (!is_ref_named(e, col->name)) {
                sb_puts(sb, " AS ");
                snow_ident(sb, col->name);
            }
        } else {
            /* a port neither grouped nor aggregated: the legacy last row's value */
            c.order_dependent++;
            sb_puts(sb, "ANY_VALUE(");
            snow_expr(&c, sb, e);
            sb_puts(sb, ") AS ");
            snow_ident(sb, col->name);
            sb_puts(sb, " /* ETLPORT ORDER-DEPENDENT: legacy takes the last row of the group */");
        }
    }
    if (all) {
        sb_puts(sb, ",\n");
        sb_indent(sb, IND2);
        sb_puts(sb, "COUNT(*) AS ETL_ROWS");
    }
    sb_putc(sb, '\n');
    from_line(sb, in ? cte_of(g, in->id) : "MISSING_INPUT");
    if (n->n_keys) {
        sb_indent(sb, IND1);
        sb_puts(sb, "GROUP BY ");
        for (int i = 0; i < n->n_keys; i++) {
            if (i)
                sb_puts(sb, ", ");
            snow_expr(&c, sb, n->keys[i]);
        }
        sb_putc(sb, '\n');
    }
    cte_close(sb);
    ctx_done(g, &c);
    if (all) {
        sb_puts(sb, ",\n");
        cte_open(g, sb, g->cte[node_index(g->job, n->id)], first);
        sb_indent(sb, IND1);
        sb_puts(sb, "SELECT\n");
        for (int i = 0; i < n->n_cols; i++) {
            sb_indent(sb, IND2);
            snow_ident(sb, n->cols[i].name);
            sb_puts(sb, i + 1 < n->n_cols ? ",\n" : "\n");
        }
        from_line(sb, all);
        sb_indent(sb, IND1);
        sb_puts(sb, "WHERE ETL_ROWS > 0\n");
        cte_close(sb);
    }
}

static void emit_union(jobgen *g, strbuf *sb, const ir_node *n, int *first)
{
    legacy_comment(g, sb, n, 0);
    sb_puts(sb, "-- UNION ALL: columns by position\n");
    cte_open(g, sb, g->cte[node_index(g->job, n->id)], first);
    for (int k = 0; k < n->n_inputs; k++) {
        const ir_node *in = input(g, n, k);
        if (k) {
            sb_indent(sb, IND1);
            sb_puts(sb, "UNION ALL\n");
        }
        sb_indent(sb, IND1);
        sb_puts(sb, "SELECT\n");
        for (int i = 0; i < n->n_cols; i++) {
            sb_indent(sb, IND2);
            if (in && i < in->n_cols) {
                snow_ident(sb, in->cols[i].name);
                if (strcmp(in->cols[i].name, n->cols[i].name) != 0) {
                    sb_puts(sb, " AS ");
                    snow_ident(sb, n->cols[i].name);
                }
            } else {
                snow_typed_null(sb, n->cols[i].type);
                sb_puts(sb, " AS ");
                snow_ident(sb, n->cols[i].name);
            }
            sb_puts(sb, i + 1 < n->n_cols ? ",\n" : "\n");
        }
        if (!n->n_cols) {
            sb_indent(sb, IND2);
            sb_puts(sb, "*\n");
        }
        from_line(sb, in ? cte_of(g, in->id) : "MISSING_INPUT");
    }
    cte_close(sb);
}

/* dedup and rank: a helper CTE numbers the rows, the node's CTE keeps the wanted ones */
static void emit_ranked(jobgen *g, strbuf *sb, const ir_node *n, int *first)
{
    const ir_node *in = input(g, n, 0);
    const char *rk = helper_name(g, n, "RANKED");
    int is_rank = n->op == IR_OP_RANK;
    const char *rank_col = "ETL_RN";
    for (int i = 0; is_rank && i < n->n_cols; i++)
        if ((n->cols[i].flags & IR_COL_GENERATED) && !n->cols[i].expr)
            rank_col = n->cols[i].name;
    int reverse = is_rank ? n->bottom : n->keep_last;
    snow_ctx c;
    snow_ctx_init(&c, g->job, n);
    legacy_comment(g, sb, n, 0);
    /* Informatica's rank index gives tied rows the same value and skips the next ones (1, 1, 3):
     * RANK() over the order keys alone, deterministic without tie-breakers */
    int sql_rank = is_rank && n->n_order > 0;
    if (is_rank)
        sb_printf(sb, "-- %s %lld rows per group", n->bottom ? "bottom" : "top", (long long)n->top_n);
    else
        sb_printf(sb, "-- one row per key, the %s", n->keep_last ? "last" : "first");
    if (sql_rank)
        sb_puts(sb, " by the legacy order keys; tied rows share a rank (RANK(), as the legacy rank index)\n");
    else if (n->n_order)
        sb_puts(sb, " by the legacy order keys; remaining columns break ties\n");
    else
        sb_puts(sb, " (ETLPORT ORDER-DEPENDENT: legacy input order is not known; ordered by all columns)\n");
    cte_open(g, sb, rk, first);
    sb_indent(sb, IND1);
    sb_puts(sb, "SELECT\n");
    int firstcol = 1;
    for (int i = 0; i < n->n_cols; i++) {
        const ir_column *col = &n->cols[i];
        if (is_rank && col->name == rank_col)
            continue;
        put_col(&c, sb, col, col->expr, firstcol);
        firstcol = 0;
    }
    if (!firstcol)
        sb_puts(sb, ",\n");
    sb_indent(sb, IND2);
    sb_puts(sb, sql_rank ? "RANK() OVER (" : "ROW_NUMBER() OVER (");
    if (n->n_keys) {
        sb_puts(sb, "PARTITION BY ");
        for (int i = 0; i < n->n_keys; i++) {
            if (i)
                sb_puts(sb, ", ");
            snow_expr(&c, sb, n->keys[i]);
        }
        sb_putc(sb, ' ');
    } else if (!is_rank && in) {
        sb_puts(sb, "PARTITION BY ");
        for (int i = 0; i < in->n_cols; i++)
            sb_printf(sb, "%s", i ? ", " : ""), snow_ident(sb, in->cols[i].name);
        sb_putc(sb, ' ');
    }
    if (window_order(&c, sb, n, sql_rank ? NULL : in, reverse))
        c.order_dependent++;
    sb_puts(sb, ") AS ");
    snow_ident(sb, rank_col);
    sb_putc(sb, '\n');
    from_line(sb, in ? cte_of(g, in->id) : "MISSING_INPUT");
    cte_close(sb);
    sb_puts(sb, ",\n");
    snow_ident(sb, g->cte[node_index(g->job, n->id)]);
    sb_puts(sb, " AS (\n");
    sb_indent(sb, IND1);
    sb_puts(sb, "SELECT\n");
    for (int i = 0; i < n->n_cols; i++) {
        sb_indent(sb, IND2);
        snow_ident(sb, n->cols[i].name);
        sb_puts(sb, i + 1 < n->n_cols ? ",\n" : "\n");
    }
    if (!n->n_cols) {
        sb_indent(sb, IND2);
        sb_puts(sb, "*\n");
    }
    from_line(sb, rk);
    sb_indent(sb, IND1);
    sb_puts(sb, "WHERE ");
    snow_ident(sb, rank_col);
    if (is_rank)
        sb_printf(sb, " <= %lld\n", (long long)n->top_n);
    else
        sb_puts(sb, " = 1\n");
    cte_close(sb);
    ctx_done(g, &c);
}

static int starts_with_ci(const char *s, const char *p)
{
    return strncasecmp(s, p, strlen(p)) == 0;
}

/* Generated normalizer columns: GCID* is the occurrence index (1..occurs); any other generated
 * column without an expression is a generated key, one value per input row (GK*). */
static int gen_key_col(const ir_column *col)
{
    return (col->flags & IR_COL_GENERATED) && !col->expr && !col->alts && !starts_with_ci(col->name, "GCID");
}

/* A normalize node with a per-row count: a CTE of the columns and the count, then each of its rows
 * joined to FLATTEN(ARRAY_GENERATE_RANGE(0, count)): count rows numbered INDEX + 1, none for a NULL
 * count or one below 1 (an empty range). Every column is qualified: FLATTEN's own (VALUE, INDEX ..)
 * may share an input column's name. */
static void emit_normalize_count(jobgen *g, snow_ctx *c, strbuf *sb, const ir_node *n, const char *from, int *first)
{
    const char *counted = helper_name(g, n, "COUNTED");
    /* the count's column: ETL_COUNT, or ETL_COUNT_2 .. when an input column has that name */
    char cnt[32] = "ETL_COUNT";
    for (int k = 2; ir_node_col_ci(n, cnt) && k < 100; k++)
        snprintf(cnt, sizeof cnt, "ETL_COUNT_%d", k);
    sb_puts(sb, "-- each input row becomes `count` rows, numbered from 1 (none when count is NULL or below 1)\n");
    cte_open(g, sb, counted, first);
    sb_indent(sb, IND1);
    sb_puts(sb, "SELECT\n");
    int k = 0;
    for (int i = 0; i < n->n_cols; i++)
        if (!(n->cols[i].flags & IR_COL_OCCURRENCE))
            put_col(c, sb, &n->cols[i], n->cols[i].expr, k++ == 0);
    if (k)
        sb_puts(sb, ",\n");
    sb_indent(sb, IND2);
    sb_puts(sb, "TRUNC(");
    snow_expr(c, sb, n->count);
    sb_printf(sb, ") AS %s\n", cnt);
    from_line(sb, from);
    cte_close(sb);
    sb_puts(sb, ",\n");
    cte_open(g, sb, g->cte[node_index(g->job, n->id)], first);
    sb_indent(sb, IND1);
    sb_puts(sb, "SELECT\n");
    for (int i = 0; i < n->n_cols; i++) {
        if (i)
            sb_puts(sb, ",\n");
        sb_indent(sb, IND2);
        if (n->cols[i].flags & IR_COL_OCCURRENCE) {
            sb_puts(sb, "f.INDEX + 1 AS ");
        } else {
            sb_puts(sb, "i.");
        }
        snow_ident(sb, n->cols[i].name);
    }
    sb_putc(sb, '\n');
    sb_indent(sb, IND1);
    sb_puts(sb, "FROM ");
    snow_ident(sb, counted);
    sb_puts(sb, " AS i,\n");
    sb_indent(sb, IND1);
    sb_printf(sb, "LATERAL FLATTEN(INPUT => ARRAY_GENERATE_RANGE(0, i.%s)) AS f\n", cnt);
    cte_close(sb);
}

static void emit_normalize(jobgen *g, strbuf *sb, const ir_node *n, int *first)
{
    const ir_node *in = input(g, n, 0);
    int occurs = n->occurs > 0 ? n->occurs : 1;
    int keyed = 0;
    for (int i = 0; i < n->n_cols; i++)
        keyed |= gen_key_col(&n->cols[i]);
    snow_ctx c;
    snow_ctx_init(&c, g->job, n);
    legacy_comment(g, sb, n, 0);
    const char *from = in ? cte_of(g, in->id) : "MISSING_INPUT";
    if (n->occurs == 0 && n->count) {
        emit_normalize_count(g, &c, sb, n, from, first);
        ctx_done(g, &c);
        return;
    }
    if (keyed) {
        const char *num = helper_name(g, n, "INPUT");
        sb_puts(sb, "-- input rows numbered for the generated keys (ETLPORT ORDER-DEPENDENT: legacy keys follow "
                    "input order and persist between runs)\n");
        cte_open(g, sb, num, first);
        sb_indent(sb, IND1);
        sb_puts(sb, "SELECT\n");
        for (int i = 0; in && i < in->n_cols; i++) {
            sb_indent(sb, IND2);
            snow_ident(sb, in->cols[i].name);
            sb_puts(sb, ",\n");
        }
        sb_indent(sb, IND2);
        sb_puts(sb, "ROW_NUMBER() OVER (");
        window_order(&c, sb, n, in, 0);
        sb_puts(sb, ") AS ETL_ROW_NUM\n");
        from_line(sb, from);
        cte_close(sb);
        sb_puts(sb, ",\n");
        from = num;
        c.order_dependent++;
    }
    sb_printf(sb, "-- %d output rows per input row (UNION ALL of one SELECT per occurrence)\n", occurs);
    cte_open(g, sb, g->cte[node_index(g->job, n->id)], first);
    for (int k = 0; k < occurs; k++) {
        if (k) {
            sb_indent(sb, IND1);
            sb_puts(sb, "UNION ALL\n");
        }
        sb_indent(sb, IND1);
        sb_puts(sb, "SELECT\n");
        for (int i = 0; i < n->n_cols; i++) {
            const ir_column *col = &n->cols[i];
            if (col->alts && col->n_alts > 0) {
                put_col(&c, sb, col, col->alts[k < col->n_alts ? k : col->n_alts - 1], i == 0);
            } else if ((col->flags & IR_COL_GENERATED) && !col->expr) {
                if (i)
                    sb_puts(sb, ",\n");
                sb_indent(sb, IND2);
                if (gen_key_col(col))
                    sb_puts(sb, "ETL_ROW_NUM AS ");
                else
                    sb_printf(sb, "%d AS ", k + 1);
                snow_ident(sb, col->name);
            } else {
                put_col(&c, sb, col, col->expr, i == 0);
            }
        }
        sb_putc(sb, '\n');
        from_line(sb, from);
    }
    cte_close(sb);
    ctx_done(g, &c);
}

/* Whether a sequence's values persist between runs: PowerCenter keeps the Current Value in the
 * repository unless the transformation's Reset option is on (then every run starts over). */
static int sequence_persists(const ir_node *n)
{
    for (int i = 0; i < n->n_props; i++)
        if (strcmp(n->props[i].key, "Reset") == 0)
            return strcasecmp(n->props[i].value, "YES") != 0;
    return 1;
}

/* The Snowflake sequence standing for a persistent sequence node: ETL_SEQ_<job>_<node>, letters,
 * digits and '_' only (one per job and node: two mappings' non-reusable generators never share). */
static void sequence_name(const ir_job *job, const ir_node *n, char *buf, size_t size)
{
    snprintf(buf, size, "ETL_SEQ_%s_%s", job->name ? job->name : "job", n->name ? n->name : "seq");
    for (char *p = buf; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            *p = '_';
}

static void emit_sequence(jobgen *g, strbuf *sb, const ir_node *n, int *first)
{
    const ir_node *in = input(g, n, 0);
    long long inc = n->seq_increment ? (long long)n->seq_increment : 1;
    int persists = sequence_persists(n);
    char seq[512];
    sequence_name(g->job, n, seq, sizeof seq);
    snow_ctx c;
    snow_ctx_init(&c, g->job, n);
    legacy_comment(g, sb, n, 0);
    const char *next = NULL; /* persistent: the helper CTE that draws from the sequence */
    if (persists) {
        sb_printf(sb, "-- surrogate keys from the sequence %s (created above from the legacy Current Value %lld, "
                      "by %lld): like the legacy Current Value it persists between runs. ETLPORT "
                      "ORDER-DEPENDENT: which row gets which value follows the order Snowflake reads them\n",
                  seq, (long long)n->seq_start, inc);
        next = helper_name(g, n, "NEXT");
        cte_open(g, sb, next, first);
        sb_indent(sb, IND1);
        sb_puts(sb, "SELECT\n");
        sb_indent(sb, IND2);
        sb_printf(sb, "%s.NEXTVAL AS ETL_NEXTVAL", seq);
        for (int i = 0; in && i < in->n_cols; i++) {
            sb_puts(sb, ",\n");
            sb_indent(sb, IND2);
            snow_ident(sb, in->cols[i].name);
        }
        sb_putc(sb, '\n');
        if (in)
            from_line(sb, cte_of(g, in->id));
        cte_close(sb);
        sb_puts(sb, ",\n");
    } else {
        sb_printf(sb, "-- surrogate keys from %lld by %lld, starting over on every run as the legacy Reset "
                      "option says (ETLPORT ORDER-DEPENDENT: legacy numbering follows input order; here rows "
                      "are numbered in column order)\n",
                  (long long)n->seq_start, inc);
    }
    cte_open(g, sb, g->cte[node_index(g->job, n->id)], first);
    sb_indent(sb, IND1);
    sb_puts(sb, "SELECT\n");
    for (int i = 0; i < n->n_cols; i++) {
        const ir_column *col = &n->cols[i];
        if ((col->flags & IR_COL_GENERATED) && !col->expr) {
            if (i)
                sb_puts(sb, ",\n");
            sb_indent(sb, IND2);
            int curr = strcasecmp(col->name, "CURRVAL") == 0;
            if (persists) {
                /* CURRVAL is NEXTVAL plus the increment (PowerCenter) */
                sb_puts(sb, "ETL_NEXTVAL");
            } else {
                sb_printf(sb, "%lld + (ROW_NUMBER() OVER (", (long long)n->seq_start);
                if (in)
                    window_order(&c, sb, n, in, 0);
                else
                    sb_puts(sb, "ORDER BY NULL");
                sb_printf(sb, ") - 1) * %lld", inc);
            }
            if (curr)
                sb_printf(sb, " + %lld", inc);
            sb_puts(sb, " AS ");
            snow_ident(sb, col->name);
            c.order_dependent++;
            continue;
        }
        put_col(&c, sb, col, col->expr, i == 0);
    }
    sb_putc(sb, '\n');
    if (next)
        from_line(sb, next);
    else if (in)
        from_line(sb, cte_of(g, in->id));
    cte_close(sb);
    ctx_done(g, &c);
}

static void emit_procedure(jobgen *g, strbuf *sb, const ir_node *n, int *first)
{
    const ir_node *in = input(g, n, 0);
    const char *text = n->legacy;
    for (int i = 0; !text && i < n->n_props; i++)
        if (n->props[i].value && *n->props[i].value)
            text = n->props[i].value;
    char reason[512];
    snprintf(reason, sizeof reason, "%s%s%s (%s)", n->name ? n->name : "procedure",
             n->legacy_type ? " " : "", n->legacy_type ? n->legacy_type : "",
             n->hole_reason ? n->hole_reason : "not relational");
    hole_block(g, sb, "procedure", n, reason, text);
    cte_open(g, sb, g->cte[node_index(g->job, n->id)], first);
    if (!in) {
        typed_empty(sb, n);
        cte_close(sb);
        return;
    }
    /* pass the input through: a column with an expression over the input (a renamed port, a
     * marked hole) is written as such, one named like an input column passes it through, the
     * rest are typed NULLs */
    snow_ctx c;
    snow_ctx_init(&c, g->job, n);
    sb_indent(sb, IND1);
    sb_puts(sb, "SELECT\n");
    for (int i = 0; i < n->n_cols; i++) {
        const ir_column *col = &n->cols[i];
        sb_indent(sb, IND2);
        if (col->expr && refs_only(col->expr, in->id)) {
            snow_expr(&c, sb, col->expr);
            if (!is_ref_named(col->expr, col->name)) {
                sb_puts(sb, " AS ");
                snow_ident(sb, col->name);
            }
        } else if (ir_node_col(in, col->name)) {
            snow_ident(sb, col->name);
        } else {
            snow_typed_null(sb, col->type);
            sb_puts(sb, " AS ");
            snow_ident(sb, col->name);
        }
        sb_puts(sb, i + 1 < n->n_cols ? ",\n" : "\n");
    }
    if (!n->n_cols) {
        sb_indent(sb, IND2);
        sb_puts(sb, "*\n");
    }
    from_line(sb, cte_of(g, in->id));
    cte_close(sb);
    ctx_done(g, &c);
}

static void emit_node(jobgen *g, strbuf *sb, const ir_node *n, int *first)
{
    if (!*first)
        sb_puts(sb, ",\n");
    *first = 0;
    switch (n->op) {
    case IR_OP_SOURCE: emit_source(g, sb, n, first); break;
    case IR_OP_FILTER: emit_filter(g, sb, n, first); break;
    case IR_OP_JOIN: emit_join(g, sb, n, first); break;
    case IR_OP_LOOKUP: emit_lookup(g, sb, n, first); break;
    case IR_OP_AGGREGATE: emit_aggregate(g, sb, n, first); break;
    case IR_OP_UNION: emit_union(g, sb, n, first); break;
    case IR_OP_DEDUP:
    case IR_OP_RANK: emit_ranked(g, sb, n, first); break;
    case IR_OP_NORMALIZE: emit_normalize(g, sb, n, first); break;
    case IR_OP_SEQUENCE: emit_sequence(g, sb, n, first); break;
    case IR_OP_PROCEDURE: emit_procedure(g, sb, n, first); break;
    case IR_OP_WINDOW: /* each window column carries its own OVER clause (snow_expr.c) */
    case IR_OP_PROJECT:
    case IR_OP_SORT:
    case IR_OP_ROUTER:
    case IR_OP_UPDATE:
    default: emit_simple(g, sb, n, first); break;
    }
}

/* ---- header ---- */

static void count_expr_holes(const ir_expr *e, int *n)
{
    if (!e)
        return;
    if (e->kind == IR_EX_HOLE)
        (*n)++;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            count_expr_holes(e->u.call.args[i], n);
}

static void list_expr_holes(jobgen *g, strbuf *sb, const ir_node *n, const char *col, const ir_expr *e)
{
    if (!e)
        return;
    if (e->kind == IR_EX_CALL) {
        for (int i = 0; i < e->u.call.n_args; i++)
            list_expr_holes(g, sb, n, col, e->u.call.args[i]);
        return;
    }
    if (e->kind != IR_EX_HOLE)
        return;
    strbuf line = STRBUF_INIT;
    sb_puts(&line, "  expression in ");
    sb_puts(&line, n->name);
    if (col)
        sb_printf(&line, ".%s", col);
    sb_puts(&line, " at ");
    snow_span(&line, e->span.file || e->span.line ? e->span : n->span, g->job);
    sb_puts(&line, ": ");
    sb_puts(&line, e->u.hole.text);
    if (e->u.hole.reason && *e->u.hole.reason)
        sb_printf(&line, " (%s)", e->u.hole.reason);
    for (char *p = line.data; p && *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    snow_line_comments(sb, 0, NULL, sb_cstr(&line));
    sb_free(&line);
}

static void each_node_expr_holes(jobgen *g, strbuf *sb, const ir_node *n, int *count)
{
    for (int i = 0; i < n->n_cols; i++) {
        const ir_column *col = &n->cols[i];
        if (sb)
            list_expr_holes(g, sb, n, col->name, col->expr);
        else
            count_expr_holes(col->expr, count);
        for (int k = 0; k < col->n_alts; k++) {
            if (sb)
                list_expr_holes(g, sb, n, col->name, col->alts[k]);
            else
                count_expr_holes(col->alts[k], count);
        }
    }
    const ir_expr *others[1] = {n->predicate};
    for (int i = 0; i < 1; i++) {
        if (sb)
            list_expr_holes(g, sb, n, NULL, others[i]);
        else
            count_expr_holes(others[i], count);
    }
    for (int i = 0; i < n->n_keys; i++) {
        if (sb)
            list_expr_holes(g, sb, n, NULL, n->keys[i]);
        else
            count_expr_holes(n->keys[i], count);
    }
    for (int i = 0; i < n->n_order; i++) {
        if (sb)
            list_expr_holes(g, sb, n, NULL, n->order[i].expr);
        else
            count_expr_holes(n->order[i].expr, count);
    }
}

/* Number of leading digits of s (at most max). */
static int digits(const char *s, int max)
{
    int n = 0;
    while (n < max && isdigit((unsigned char)s[n]))
        n++;
    return n;
}

/* A date/time parameter's value as ISO text ('YYYY-MM-DD[ HH:MI:SS[.f]]'), which Snowflake's
 * automatic format detection reads when $NAME meets a DATE or TIMESTAMP; PowerCenter's
 * MM/DD/YYYY[ HH24:MI[:SS[.fraction]]] would depend on the session's input format. (SET takes a
 * literal here: the SQL grammar check has no expressions in SET.) Other text is kept as written. */
static void temporal_param_value(strbuf *sb, const ir_param *p)
{
    const char *v = p->default_value, *q = v;
    int mo = 0, dd = 0, yy = 0, hh = -1, mi = 0, ss = 0, k;
    const char *frac = NULL;
    int fn = 0, ok = 0;
    if ((k = digits(q, 2)) >= 1 && q[k] == '/') {
        mo = atoi(q);
        q += k + 1;
        if ((k = digits(q, 2)) >= 1 && q[k] == '/') {
            dd = atoi(q);
            q += k + 1;
            if (digits(q, 4) == 4 && !isdigit((unsigned char)q[4])) {
                yy = atoi(q);
                q += 4;
                ok = 1;
                if (*q == ' ' && (k = digits(q + 1, 2)) >= 1 && q[1 + k] == ':' && digits(q + 2 + k, 2) == 2) {
                    hh = atoi(q + 1);
                    mi = atoi(q + 2 + k);
                    q += 1 + k + 1 + 2;
                    if (*q == ':' && digits(q + 1, 2) == 2) {
                        ss = atoi(q + 1);
                        q += 3;
                        if (*q == '.' && (k = digits(q + 1, 9)) >= 1) {
                            frac = q + 1;
                            fn = k;
                            q += 1 + k;
                        }
                    }
                }
                if (*q || mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59)
                    ok = 0;
            }
        }
    }
    if (!ok) {
        snow_string(sb, v);
        return;
    }
    char buf[64];
    if (p->type.kind == IR_TY_DATE)
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", yy, mo, dd);
    else
        snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d%s%.*s", yy, mo, dd, hh < 0 ? 0 : hh, mi, ss,
                 frac ? "." : "", fn, frac ? frac : "");
    snow_string(sb, buf);
}

static void emit_header(jobgen *g, strbuf *sb)
{
    const ir_job *job = g->job;
    sb_printf(sb, "-- Generated by etlport (Snowflake SQL) from job %s", job->name);
    sb_putc(sb, '\n');
    sb_puts(sb, "-- Legacy: ");
    sb_puts(sb, job->format ? job->format : "?");
    if (job->folder)
        sb_printf(sb, ", folder %s", job->folder);
    sb_puts(sb, ", ");
    if (job->file && job->line)
        sb_printf(sb, "%s:%d", job->file, job->line);
    else if (job->file)
        sb_puts(sb, job->file);
    else
        sb_puts(sb, "?");
    sb_putc(sb, '\n');
    if (job->description && *job->description)
        snow_line_comments(sb, 0, "Description: ", job->description);
    /* holes */
    int count = 0;
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        if (n->op == IR_OP_PROCEDURE || ((n->op == IR_OP_SOURCE || n->op == IR_OP_LOOKUP) && n->sql))
            count++;
        each_node_expr_holes(g, NULL, n, &count);
    }
    sb_printf(sb, "-- Holes: %d%s\n", count, count ? " (marked ETLPORT HOLE below; review before running)" : "");
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        if (n->op == IR_OP_PROCEDURE || ((n->op == IR_OP_SOURCE || n->op == IR_OP_LOOKUP) && n->sql)) {
            strbuf line = STRBUF_INIT;
            sb_printf(&line, "  %s %s at ", n->op == IR_OP_PROCEDURE ? "node" : "sql", n->name);
            snow_span(&line, n->span, job);
            sb_puts(&line, ": ");
            sb_puts(&line, n->op == IR_OP_PROCEDURE
                               ? (n->hole_reason ? n->hole_reason : "procedural code")
                               : "SQL override in the legacy dialect");
            for (char *p = line.data; p && *p; p++)
                if (*p == '\n' || *p == '\r')
                    *p = ' ';
            snow_line_comments(sb, 0, NULL, sb_cstr(&line));
            sb_free(&line);
        }
        each_node_expr_holes(g, sb, n, NULL);
    }
    /* parameters */
    if (job->n_params) {
        sb_puts(sb, "-- Parameters are Snowflake session variables ($NAME in the statements below).\n");
        for (int i = 0; i < job->n_params; i++) {
            const ir_param *p = &job->params[i];
            strbuf nm = STRBUF_INIT;
            snow_param_name(&nm, p->name);
            if (!p->default_value) {
                sb_printf(sb, "-- SET %s = ...; -- no legacy default: set it before running\n", sb_cstr(&nm));
                sb_free(&nm);
                continue;
            }
            if (p->is_variable)
                sb_printf(sb, "-- %s is a mapping variable: its value does not persist between runs here\n",
                          sb_cstr(&nm));
            sb_printf(sb, "SET %s = ", sb_cstr(&nm));
            sb_free(&nm);
            int numeric = ir_type_is_numeric(p->type) && *p->default_value;
            for (const char *q = p->default_value; numeric && *q; q++)
                if (!(isdigit((unsigned char)*q) || *q == '.' || (*q == '-' && q == p->default_value)))
                    numeric = 0;
            if (numeric)
                sb_puts(sb, p->default_value);
            else if (ir_type_is_temporal(p->type))
                temporal_param_value(sb, p);
            else
                snow_string(sb, p->default_value);
            sb_puts(sb, ";\n");
        }
    }
}

/* ---- DDL ---- */

static void emit_ddl(jobgen *g, strbuf *sb, const ir_node *t)
{
    const ir_dataset *ds = t->dataset ? ir_job_dataset(g->job, t->dataset) : NULL;
    const ir_column *cols = ds && ds->n_cols ? ds->cols : t->cols;
    int ncols = ds && ds->n_cols ? ds->n_cols : t->n_cols;
    if (ncols == 0) { /* fed by a hole that declares no columns: no table can be declared */
        sb_puts(sb, "-- ");
        snow_qname(sb, t->dataset ? t->dataset : t->name);
        sb_puts(sb, ": its columns are not known (it is written from untranslated logic); create it before running\n");
        return;
    }
    sb_puts(sb, "CREATE TABLE IF NOT EXISTS ");
    snow_qname(sb, t->dataset ? t->dataset : t->name);
    sb_puts(sb, " (\n");
    int nkeys = 0;
    for (int i = 0; i < ncols; i++) {
        sb_indent(sb, IND1);
        snow_ident(sb, cols[i].name);
        sb_putc(sb, ' ');
        snow_type(sb, cols[i].type);
        if (cols[i].flags & IR_COL_NOT_NULL)
            sb_puts(sb, " NOT NULL");
        if (cols[i].flags & IR_COL_KEY)
            nkeys++;
        if (i + 1 < ncols || nkeys || t->n_merge_keys)
            sb_putc(sb, ',');
        sb_putc(sb, '\n');
    }
    if (nkeys || t->n_merge_keys) {
        sb_indent(sb, IND1);
        sb_puts(sb, "PRIMARY KEY (");
        int f = 1;
        if (nkeys) {
            for (int i = 0; i < ncols; i++)
                if (cols[i].flags & IR_COL_KEY) {
                    sb_puts(sb, f ? "" : ", ");
                    snow_ident(sb, cols[i].name);
                    f = 0;
                }
        } else {
            for (int i = 0; i < t->n_merge_keys; i++) {
                sb_puts(sb, f ? "" : ", ");
                snow_ident(sb, t->merge_keys[i]);
                f = 0;
            }
        }
        sb_puts(sb, ")\n");
    }
    sb_puts(sb, ");\n");
}

/* ---- statements ---- */

static void mark_upstream(const ir_job *job, int id, char *mark)
{
    int i = node_index(job, id);
    if (i < 0 || mark[i])
        return;
    mark[i] = 1;
    const ir_node *n = job->nodes[i];
    for (int k = 0; k < n->n_inputs; k++)
        mark_upstream(job, n->inputs[k], mark);
    /* a DEFAULT router group reads its siblings' predicates: they only need the router itself */
}

/* The row-operation column the target's input carries, or NULL. */
static const char *row_op_col(const jobgen *g, const ir_node *in)
{
    if (!in)
        return NULL;
    for (int i = 0; i < in->n_cols; i++)
        if (in->cols[i].flags & IR_COL_ROW_OP)
            return in->cols[i].name;
    for (int i = 0; i < g->job->n_nodes; i++) {
        const ir_node *u = g->job->nodes[i];
        if (u->op != IR_OP_UPDATE)
            continue;
        for (int k = 0; k < u->n_cols; k++)
            if ((u->cols[k].flags & IR_COL_ROW_OP) && ir_node_col(in, u->cols[k].name))
                return u->cols[k].name;
    }
    return NULL;
}

static const char *load_name(ir_load_mode m)
{
    switch (m) {
    case IR_LOAD_TRUNCATE_INSERT: return "truncate-insert";
    case IR_LOAD_OVERWRITE: return "overwrite";
    case IR_LOAD_MERGE: return "merge";
    default: return "append";
    }
}

/* The target's column list: node columns, or the dataset's when the node declares none. */
static void target_cols(const jobgen *g, const ir_node *t, const ir_column **cols, int *n)
{
    const ir_dataset *ds = t->dataset ? ir_job_dataset(g->job, t->dataset) : NULL;
    if (t->n_cols || !ds) {
        *cols = t->cols;
        *n = t->n_cols;
    } else {
        *cols = ds->cols;
        *n = ds->n_cols;
    }
}

/* WITH <ctes> SELECT <target columns> FROM <input> [WHERE row op filter] */
/* The target's columns as a SELECT list at indent ind (their expressions over the input), then
 * the row-operation column when with_rowop. */
static void target_select_list(jobgen *g, strbuf *sb, const ir_node *t, const char *rowop, int with_rowop, int ind)
{
    const ir_column *cols;
    int ncols;
    target_cols(g, t, &cols, &ncols);
    snow_ctx c;
    snow_ctx_init(&c, g->job, t);
    for (int i = 0; i < ncols; i++) {
        if (i)
            sb_puts(sb, ",\n");
        sb_indent(sb, ind);
        const ir_expr *e = cols == t->cols ? cols[i].expr : NULL;
        if (e) {
            snow_expr(&c, sb, e);
            if (!is_ref_named(e, cols[i].name)) {
                sb_puts(sb, " AS ");
                snow_ident(sb, cols[i].name);
            }
        } else {
            snow_ident(sb, cols[i].name);
        }
    }
    if (rowop && with_rowop) {
        sb_puts(sb, ncols ? ",\n" : "");
        sb_indent(sb, ind);
        snow_ident(sb, rowop);
    }
    if (!ncols && !(rowop && with_rowop)) {
        sb_indent(sb, ind);
        sb_putc(sb, '*');
    }
    sb_putc(sb, '\n');
    ctx_done(g, &c);
}

static int is_merge_key(const char *name, const char **keys, int nk)
{
    for (int k = 0; k < nk; k++)
        if (strcasecmp(keys[k], name) == 0)
            return 1;
    return 0;
}

/* WITH <ctes> SELECT <target columns> FROM <input> [WHERE row op filter]. With merge keys (nk > 0)
 * the query is a MERGE source: rows no clause applies to (reject, NULL row operation) are dropped
 * and one row is kept per key, since Snowflake's MERGE fails (ERROR_ON_NONDETERMINISTIC_MERGE) or
 * picks an arbitrary row when several source rows match one target row. */
static void emit_query(jobgen *g, strbuf *sb, const ir_node *t, const char *rowop, int rowop_filter,
                       const char **keys, int nk)
{
    const ir_job *job = g->job;
    const ir_node *in = input(g, t, 0);
    char *mark = calloc((size_t)job->n_nodes + 1, 1);
    if (!mark)
        abort();
    if (in)
        mark_upstream(job, in->id, mark);
    int first = 1, any = 0;
    for (int i = 0; i < job->n_nodes; i++) {
        if (!mark[i])
            continue;
        if (!any)
            sb_puts(sb, "WITH\n");
        any = 1;
        emit_node(g, sb, job->nodes[i], &first);
    }
    free(mark);
    const ir_column *cols;
    int ncols;
    target_cols(g, t, &cols, &ncols);
    const char *from = in ? cte_of(g, in->id) : "MISSING_INPUT";
    if (nk > 0 && ncols > 0) {
        const char *rows = helper_name(g, t, "ROWS");
        const char *ranked = helper_name(g, t, "RANKED");
        sb_puts(sb, any ? ",\n" : "WITH\n");
        sb_puts(sb, "-- merge source: one row per merge key (Snowflake's MERGE fails when several source rows match "
                    "one target row). ETLPORT ORDER-DEPENDENT: the legacy session applies every row in input "
                    "order; here the first row per key in column order is kept. Rows with a NULL key are all kept "
                    "(they match nothing)\n");
        snow_ident(sb, rows);
        sb_puts(sb, " AS (\n");
        sb_indent(sb, IND1);
        sb_puts(sb, "SELECT\n");
        target_select_list(g, sb, t, rowop, 1, IND2);
        from_line(sb, from);
        if (rowop) {
            sb_indent(sb, IND1);
            sb_puts(sb, "WHERE ");
            snow_ident(sb, rowop);
            sb_puts(sb, " IN (0, 1, 2)\n");
        }
        sb_puts(sb, "),\n");
        snow_ident(sb, ranked);
        sb_puts(sb, " AS (\n");
        sb_indent(sb, IND1);
        sb_puts(sb, "SELECT\n");
        for (int i = 0; i < ncols; i++) {
            sb_indent(sb, IND2);
            snow_ident(sb, cols[i].name);
            sb_puts(sb, ",\n");
        }
        if (rowop) {
            sb_indent(sb, IND2);
            snow_ident(sb, rowop);
            sb_puts(sb, ",\n");
        }
        sb_indent(sb, IND2);
        sb_puts(sb, "ROW_NUMBER() OVER (PARTITION BY ");
        for (int k = 0; k < nk; k++) {
            if (k)
                sb_puts(sb, ", ");
            snow_ident(sb, keys[k]);
        }
        sb_puts(sb, " ORDER BY ");
        int f = 1;
        for (int i = 0; i < ncols; i++) {
            if (is_merge_key(cols[i].name, keys, nk))
                continue;
            sb_puts(sb, f ? "" : ", ");
            snow_ident(sb, cols[i].name);
            f = 0;
        }
        if (rowop) {
            sb_puts(sb, f ? "" : ", ");
            snow_ident(sb, rowop);
            f = 0;
        }
        if (f)
            sb_puts(sb, "NULL");
        sb_puts(sb, ") AS ETL_RN\n");
        from_line(sb, rows);
        sb_puts(sb, ")\n");
        sb_puts(sb, "SELECT\n");
        for (int i = 0; i < ncols; i++) {
            sb_indent(sb, IND1);
            snow_ident(sb, cols[i].name);
            sb_puts(sb, i + 1 < ncols || rowop ? ",\n" : "\n");
        }
        if (rowop) {
            sb_indent(sb, IND1);
            snow_ident(sb, rowop);
            sb_putc(sb, '\n');
        }
        sb_puts(sb, "FROM ");
        snow_ident(sb, ranked);
        sb_puts(sb, "\nWHERE ETL_RN = 1");
        for (int k = 0; k < nk; k++) {
            sb_puts(sb, " OR ");
            snow_ident(sb, keys[k]);
            sb_puts(sb, " IS NULL");
        }
        return;
    }
    if (any)
        sb_putc(sb, '\n');
    sb_puts(sb, "SELECT\n");
    target_select_list(g, sb, t, rowop, !rowop_filter, IND1);
    sb_puts(sb, "FROM ");
    snow_ident(sb, from);
    if (rowop && rowop_filter) {
        sb_puts(sb, "\nWHERE ");
        snow_ident(sb, rowop);
        sb_puts(sb, " = 0");
    }
}

static void emit_target(jobgen *g, strbuf *sb, const ir_node *t)
{
    const ir_node *in = input(g, t, 0);
    const ir_column *cols;
    int ncols;
    target_cols(g, t, &cols, &ncols);
    const char *rowop = row_op_col(g, in);
    sb_puts(sb, "\n");
    legacy_comment(g, sb, t, 0);
    sb_printf(sb, "-- load mode: %s\n", load_name(t->load));

    if (t->load == IR_LOAD_MERGE) {
        const char **keys = t->merge_keys;
        int nk = t->n_merge_keys;
        const char *dskeys[64];
        if (!nk) {
            const ir_dataset *ds = t->dataset ? ir_job_dataset(g->job, t->dataset) : NULL;
            for (int i = 0; ds && i < ds->n_cols && nk < 64; i++)
                if (ds->cols[i].flags & IR_COL_KEY)
                    dskeys[nk++] = ds->cols[i].name;
            keys = dskeys;
        }
        if (nk) {
            sb_puts(sb, rowop ? "-- rows flagged 3 (reject) are skipped; insert-flagged rows that already exist and "
                                "update/delete-flagged rows that do not are skipped too\n"
                              : "-- no row-operation column upstream: every row is an upsert\n");
            sb_puts(sb, "MERGE INTO ");
            snow_qname(sb, t->dataset ? t->dataset : t->name);
            sb_puts(sb, " AS t\nUSING (\n");
            emit_query(g, sb, t, rowop, 0, keys, nk);
            sb_puts(sb, "\n) AS s\nON ");
            for (int i = 0; i < nk; i++) {
                sb_puts(sb, i ? " AND t." : "t.");
                snow_ident(sb, keys[i]);
                sb_puts(sb, " = s.");
                snow_ident(sb, keys[i]);
            }
            sb_puts(sb, "\nWHEN MATCHED");
            if (rowop) {
                sb_puts(sb, " AND s.");
                snow_ident(sb, rowop);
                sb_puts(sb, " = 1");
            }
            sb_puts(sb, " THEN UPDATE SET ");
            int f = 1;
            for (int i = 0; i < ncols; i++) {
                int is_key = 0;
                for (int k = 0; k < nk; k++)
                    if (strcasecmp(keys[k], cols[i].name) == 0)
                        is_key = 1;
                if (is_key)
                    continue;
                sb_puts(sb, f ? "" : ", ");
                snow_ident(sb, cols[i].name);
                sb_puts(sb, " = s.");
                snow_ident(sb, cols[i].name);
                f = 0;
            }
            if (f) { /* only key columns: nothing to update, keep the statement valid */
                snow_ident(sb, keys[0]);
                sb_puts(sb, " = s.");
                snow_ident(sb, keys[0]);
            }
            if (rowop) {
                sb_puts(sb, "\nWHEN MATCHED AND s.");
                snow_ident(sb, rowop);
                sb_puts(sb, " = 2 THEN DELETE");
            }
            sb_puts(sb, "\nWHEN NOT MATCHED");
            if (rowop) {
                sb_puts(sb, " AND s.");
                snow_ident(sb, rowop);
                sb_puts(sb, " = 0");
            }
            sb_puts(sb, " THEN INSERT (");
            for (int i = 0; i < ncols; i++) {
                sb_puts(sb, i ? ", " : "");
                snow_ident(sb, cols[i].name);
            }
            sb_puts(sb, ") VALUES (");
            for (int i = 0; i < ncols; i++) {
                sb_puts(sb, i ? ", s." : "s.");
                snow_ident(sb, cols[i].name);
            }
            sb_puts(sb, ");\n");
            return;
        }
        sb_puts(sb, "-- ETLPORT UNSUPPORTED: merge without key columns; written as an insert of the "
                    "insert-flagged rows\n");
        if (g->res)
            g->res->unsupported++;
        if (g->dc)
            diag_at(g->dc, DIAG_WARNING, NULL, t->span.file ? t->span.file : g->job->file, t->span.line,
                    t->span.col, "snowflake: target %s: merge without key columns", t->name);
    }
    int overwrite = t->load == IR_LOAD_OVERWRITE || t->load == IR_LOAD_TRUNCATE_INSERT;
    if (rowop)
        sb_puts(sb, "-- only rows flagged 0 (insert) are loaded\n");
    sb_puts(sb, overwrite ? "INSERT OVERWRITE INTO " : "INSERT INTO ");
    snow_qname(sb, t->dataset ? t->dataset : t->name);
    if (ncols) {
        sb_puts(sb, " (");
        for (int i = 0; i < ncols; i++) {
            sb_puts(sb, i ? ", " : "");
            snow_ident(sb, cols[i].name);
        }
        sb_putc(sb, ')');
    }
    sb_putc(sb, '\n');
    emit_query(g, sb, t, rowop, 1, NULL, 0);
    sb_puts(sb, ";\n");
}

int snow_emit_job(const ir_job *job, const be_options *opt, strbuf *out, be_result *res, diag_ctx *dc)
{
    (void)opt;
    jobgen g = {0};
    be_result scratch = {0};
    g.job = job;
    g.res = res ? res : &scratch;
    g.dc = dc;
    names_init(&g);
    emit_header(&g, out);

    int targets = 0;
    /* DDL once per target dataset, in job order */
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *t = job->nodes[i];
        if (t->op != IR_OP_TARGET)
            continue;
        int seen = 0;
        for (int k = 0; k < i; k++) {
            const ir_node *o = job->nodes[k];
            if (o->op == IR_OP_TARGET && o->dataset && t->dataset && strcmp(o->dataset, t->dataset) == 0)
                seen = 1;
        }
        if (!targets)
            sb_puts(out, "\n-- Target tables\n");
        targets++;
        if (!seen)
            emit_ddl(&g, out, t);
    }
    /* persistent sequences: created once, then they keep counting between runs */
    int seqs = 0;
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *q = job->nodes[i];
        if (q->op != IR_OP_SEQUENCE || !sequence_persists(q))
            continue;
        char name[512];
        sequence_name(job, q, name, sizeof name);
        if (!seqs++)
            sb_puts(out, "\n-- Sequences (surrogate keys that persist between runs, as the legacy Current Value does)\n");
        sb_printf(out, "CREATE SEQUENCE IF NOT EXISTS %s START WITH %lld INCREMENT BY %lld;\n", name,
                  (long long)q->seq_start, q->seq_increment ? (long long)q->seq_increment : 1LL);
    }
    for (int i = 0; i < job->n_nodes; i++)
        if (job->nodes[i]->op == IR_OP_TARGET)
            emit_target(&g, out, job->nodes[i]);
    if (!targets) {
        sb_puts(out, "\n-- ETLPORT: the job has no target; nothing to load\n");
        if (dc)
            diag_at(dc, DIAG_ERROR, NULL, job->file, job->line, 0, "snowflake: job %s has no target",
                    job->name);
    }
    names_free(&g);
    return targets ? 0 : -1;
}
