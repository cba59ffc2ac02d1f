/*
 * lin_trace.c — column lineage of one job. Each target column is traced back through the job's
 * nodes to the source dataset columns it reads:
 *
 *   origins(node, column): the dataset columns the value comes from, each with a subtype. A source
 *   column is its dataset's column (IDENTITY). A reference passes its origins on; an argument of a
 *   call makes them at least TRANSFORMATION, of an aggregate call AGGREGATION; the condition of
 *   if / case / decode makes them INDIRECT CONDITIONAL. The expression that first raised an
 *   origin's subtype is kept with it (canonical text, legacy text, location).
 *
 *   rows(node): what decides which rows reach the node: the key and predicate columns of every
 *   row-shaping node upstream (filters and source filters FILTER, join and lookup conditions JOIN,
 *   aggregate keys and dedup keys GROUP_BY, sort and dedup order SORT, rank and window partition
 *   and order WINDOW, an update strategy's row operation CONDITIONAL), traced to their origins.
 *
 * A target column's edges are its origins plus its node's rows. Both are memoised per node, so a
 * job is traced in time linear in its size times the width of the origin sets.
 */
#include "lineage/lin_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct origin {
    int ds, col;
    lin_subtype sub;
    const char *expr, *legacy, *node, *file; /* NULL expr: a pure reference so far */
    int line, colno;
} origin;

typedef struct olist {
    origin *v;
    int n, cap;
    int state; /* 0 not computed, 1 being computed (a cycle reads it as empty), 2 done */
} olist;

/* Where an origin's subtype changes: the expression, lazily printed. */
typedef struct site {
    const ir_expr *e;
    const char *text, *legacy, *node, *file;
    int line, col;
} site;

typedef struct tracer {
    lin_graph *g;
    const ir_job *job;
    arena *scratch;
    int max_id;
    int *pos;        /* node id -> index in job->nodes, -1 */
    olist **cols;    /* per node index: one list per column */
    olist *rows;     /* per node index */
} tracer;

static const ir_node *node_by_id(const tracer *t, int id)
{
    return id > 0 && id <= t->max_id && t->pos[id] >= 0 ? t->job->nodes[t->pos[id]] : NULL;
}

static void push(tracer *t, olist *l, origin o)
{
    for (int i = 0; i < l->n; i++)
        if (l->v[i].ds == o.ds && l->v[i].col == o.col && l->v[i].sub == o.sub)
            return;
    ARENA_PUSH(t->scratch, l->v, l->n, l->cap, o);
}

static const char *site_text(tracer *t, site *s)
{
    if (!s->text && s->e) {
        strbuf sb = STRBUF_INIT;
        ir_expr_to_text(&sb, s->e);
        s->text = arena_intern_cstr(t->g->a, sb_cstr(&sb));
        sb_free(&sb);
    }
    return s->text;
}

static void stamp(tracer *t, origin *o, site *s)
{
    o->expr = site_text(t, s);
    o->legacy = s->legacy;
    o->node = s->node;
    o->file = s->file;
    o->line = s->line;
    o->colno = s->col;
}

static olist *origins(tracer *t, const ir_node *n, int ci);

/* Passes the origins of `from` into out under mode (a DIRECT subtype: at least that; INDIRECT:
 * every direct origin becomes that subtype). */
static void pass(tracer *t, const olist *from, lin_subtype mode, site *s, olist *out)
{
    for (int i = 0; i < from->n; i++) {
        origin o = from->v[i];
        if (lin_subtype_direct(o.sub)) {
            lin_subtype nsub = lin_subtype_direct(mode) ? (o.sub > mode ? o.sub : mode) : mode;
            if (nsub != o.sub) {
                o.sub = nsub;
                stamp(t, &o, s);
            }
        }
        push(t, out, o);
    }
}

static int col_index(const ir_node *n, const char *name)
{
    const ir_column *c = ir_node_col(n, name);
    if (!c)
        c = ir_node_col_ci(n, name);
    return c ? (int)(c - n->cols) : -1;
}

/* A source's dataset column by name, for references to columns a source node does not list. */
static void source_col(tracer *t, const ir_node *n, const char *name, lin_subtype mode, site *s, olist *out)
{
    if (!n->dataset)
        return;
    const ir_dataset *d = ir_job_dataset(t->job, n->dataset);
    int ds = lin_dataset_get(t->g, n->dataset, d ? d->kind : NULL, d ? d->db_type : NULL);
    origin o = {ds, lin_column_get(t->g, ds, name, NULL, 0), mode, NULL, NULL, NULL, NULL, 0, 0};
    if (mode != LIN_IDENTITY)
        stamp(t, &o, s);
    push(t, out, o);
}

static bool is_condition_arg(const ir_expr *e, int i)
{
    int n = e->u.call.n_args;
    switch (e->u.call.fn) {
    case IR_FN_IF:
        return i == 0;
    case IR_FN_CASE: /* c1, v1, ..., [else] */
        return i % 2 == 0 && !(n % 2 == 1 && i == n - 1);
    case IR_FN_DECODE: /* x, s1, r1, ..., [default] */
        return i == 0 || (i % 2 == 1 && !((n - 1) % 2 == 1 && i == n - 1));
    default:
        return false;
    }
}

/* Walks an expression owned by node n, collecting origins under mode. */
static void walk(tracer *t, const ir_node *n, const ir_expr *e, lin_subtype mode, site *s, olist *out)
{
    if (!e)
        return;
    switch (e->kind) {
    case IR_EX_REF: {
        const ir_node *m = node_by_id(t, e->u.ref.node);
        if (!m || !e->u.ref.col)
            return;
        int ci = col_index(m, e->u.ref.col);
        if (m->op == IR_OP_SOURCE && (ci < 0 || m == n)) {
            /* a source filter reads the dataset's columns directly */
            source_col(t, m, e->u.ref.col, mode, s, out);
            return;
        }
        if (ci < 0 || m == n)
            return;
        pass(t, origins(t, m, ci), mode, s, out);
        return;
    }
    case IR_EX_CALL:
        for (int i = 0; i < e->u.call.n_args; i++) {
            lin_subtype m = mode;
            if (lin_subtype_direct(mode)) {
                if (is_condition_arg(e, i))
                    m = LIN_CONDITIONAL;
                else if (ir_fn_is_aggregate(e->u.call.fn))
                    m = LIN_AGGREGATION;
                else if (m < LIN_TRANSFORMATION)
                    m = LIN_TRANSFORMATION;
            }
            walk(t, n, e->u.call.args[i], m, s, out);
        }
        return;
    default: /* literals, parameters and holes read no column */
        return;
    }
}

/* The site of expression e of node n: legacy text, and the first known of span, e's span and the
 * node's span. */
static void site_at(tracer *t, const ir_node *n, const char *legacy, ir_span span, const ir_expr *e, site *s)
{
    memset(s, 0, sizeof *s);
    s->e = e;
    s->legacy = legacy ? arena_intern_cstr(t->g->a, legacy) : NULL;
    s->node = n->name ? arena_intern_cstr(t->g->a, n->name) : NULL;
    ir_span sp = span.line ? span : e && e->span.line ? e->span : n->span;
    const char *file = sp.file ? sp.file : t->job->file;
    s->file = file ? arena_intern_cstr(t->g->a, file) : NULL;
    s->line = sp.line;
    s->col = sp.col;
}

/* A column's expression: the column's legacy text and span. */
static void site_of_col(tracer *t, const ir_node *n, const ir_column *c, const ir_expr *e, site *s)
{
    site_at(t, n, c->legacy, c->span, e, s);
}

static olist *origins(tracer *t, const ir_node *n, int ci)
{
    int p = t->pos[n->id];
    if (!t->cols[p])
        t->cols[p] = arena_alloc(t->scratch, sizeof(olist) * (size_t)(n->n_cols ? n->n_cols : 1));
    olist *l = &t->cols[p][ci];
    if (l->state)
        return l;
    l->state = 1;
    olist acc = {0};
    const ir_column *c = &n->cols[ci];
    site s;
    site_of_col(t, n, c, c->expr, &s);
    if (n->op == IR_OP_SOURCE) {
        source_col(t, n, c->name, LIN_IDENTITY, &s, &acc);
    } else if (n->op == IR_OP_UNION) {
        for (int i = 0; i < n->n_inputs; i++) {
            const ir_node *m = node_by_id(t, n->inputs[i]);
            if (m && ci < m->n_cols)
                pass(t, origins(t, m, ci), LIN_IDENTITY, &s, &acc);
        }
    } else if (c->expr || c->n_alts) {
        /* an aggregate's ungrouped port is the last row's value: an aggregation, not a copy */
        bool last_row = n->op == IR_OP_AGGREGATE && (c->flags & IR_COL_ORDER_DEPENDENT);
        walk(t, n, c->expr, last_row ? LIN_AGGREGATION : LIN_IDENTITY, &s, &acc);
        for (int i = 0; i < c->n_alts; i++) {
            site_of_col(t, n, c, c->alts[i], &s);
            walk(t, n, c->alts[i], LIN_IDENTITY, &s, &acc);
        }
    } else if (n->op == IR_OP_RANK && (c->flags & IR_COL_GENERATED)) {
        for (int i = 0; i < n->n_order; i++) { /* the rank number is computed from the order keys */
            site_of_col(t, n, c, n->order[i].expr, &s);
            walk(t, n, n->order[i].expr, LIN_TRANSFORMATION, &s, &acc);
        }
    } else if (!(c->flags & IR_COL_GENERATED)) {
        /* a pass-through port without an expression: the input column of the same name; through
         * opaque procedural code at least a transformation */
        for (int i = 0; i < n->n_inputs; i++) {
            const ir_node *m = node_by_id(t, n->inputs[i]);
            int mi = m ? col_index(m, c->name) : -1;
            if (mi >= 0) {
                pass(t, origins(t, m, mi), n->op == IR_OP_PROCEDURE ? LIN_TRANSFORMATION : LIN_IDENTITY, &s, &acc);
                break;
            }
        }
    }
    acc.state = 2;
    l = &t->cols[p][ci]; /* re-read: the recursion above does not move it, but be plain about it */
    *l = acc;
    return l;
}

/* A node's predicate, key or order expression: the node's legacy text and span. */
static void site_of_node(tracer *t, const ir_node *n, const ir_expr *e, site *s)
{
    site_at(t, n, n->legacy, n->span, e, s);
}

static const olist *rows(tracer *t, const ir_node *n)
{
    olist *l = &t->rows[t->pos[n->id]];
    if (l->state)
        return l;
    l->state = 1;
    olist acc = {0};
    for (int i = 0; i < n->n_inputs; i++) {
        const ir_node *m = node_by_id(t, n->inputs[i]);
        if (m) {
            const olist *up = rows(t, m);
            for (int k = 0; k < up->n; k++)
                push(t, &acc, up->v[k]);
        }
    }
    site s;
    lin_subtype keys = LIN_GROUP_BY, order = LIN_SORT, pred = LIN_FILTER;
    switch (n->op) {
    case IR_OP_JOIN:
    case IR_OP_LOOKUP:
        pred = LIN_JOIN;
        break;
    case IR_OP_RANK:
    case IR_OP_WINDOW:
        keys = order = LIN_WINDOW;
        break;
    default:
        break;
    }
    if (n->predicate && n->op != IR_OP_PROCEDURE) {
        site_of_node(t, n, n->predicate, &s);
        walk(t, n, n->predicate, pred, &s, &acc);
    }
    if (n->count) { /* how many rows each input row becomes */
        site_of_node(t, n, n->count, &s);
        walk(t, n, n->count, LIN_FILTER, &s, &acc);
    }
    if (n->op == IR_OP_AGGREGATE || n->op == IR_OP_DEDUP || n->op == IR_OP_RANK || n->op == IR_OP_WINDOW) {
        for (int i = 0; i < n->n_keys; i++) {
            site_of_node(t, n, n->keys[i], &s);
            walk(t, n, n->keys[i], keys, &s, &acc);
        }
    }
    if (n->op != IR_OP_PROCEDURE) { /* sort keys, a source's sorted ports, rank and window order */
        for (int i = 0; i < n->n_order; i++) {
            site_of_node(t, n, n->order[i].expr, &s);
            walk(t, n, n->order[i].expr, order, &s, &acc);
        }
    }
    if (n->op == IR_OP_UPDATE) {
        for (int i = 0; i < n->n_cols; i++)
            if (n->cols[i].flags & IR_COL_ROW_OP) {
                site_of_col(t, n, &n->cols[i], n->cols[i].expr, &s);
                walk(t, n, n->cols[i].expr, LIN_CONDITIONAL, &s, &acc);
            }
    }
    acc.state = 2;
    l = &t->rows[t->pos[n->id]];
    *l = acc;
    return l;
}

static void add_edge(lin_graph *g, int job, int to_ds, int to_col, const origin *o, const site *fallback)
{
    char key[96];
    snprintf(key, sizeof key, "%d|%d|%d|%d|%d|%d", job, o->ds, o->col, to_ds, to_col, (int)o->sub);
    if (lin_map_get(&g->edge_by_key, key) >= 0)
        return;
    lin_edge e = {job, o->ds, o->col, to_ds, to_col, o->sub, o->expr, o->legacy, o->node, o->file, o->line, o->colno};
    if (!e.expr && fallback) {
        e.expr = fallback->text;
        e.legacy = fallback->legacy;
        e.node = fallback->node;
        e.file = fallback->file;
        e.line = fallback->line;
        e.col = fallback->col;
    }
    ARENA_PUSH(g->a, g->edges, g->n_edges, g->cap_edges, e);
    lin_map_put(&g->edge_by_key, arena_intern_cstr(g->a, key), g->n_edges - 1);
}

static const char *dup(lin_graph *g, const char *s)
{
    return s ? arena_intern_cstr(g->a, s) : NULL;
}

void lin_add_job(lin_graph *g, const ir_job *job)
{
    /* the job, under a name unique in the run */
    lin_job j;
    memset(&j, 0, sizeof j);
    const char *name = job->name ? job->name : "job";
    char buf[512];
    snprintf(buf, sizeof buf, "%s", name);
    for (int k = 2; lin_map_get(&g->job_by_name, buf) >= 0; k++)
        snprintf(buf, sizeof buf, "%s~%d", name, k);
    j.name = dup(g, buf);
    j.format = dup(g, job->format);
    j.file = dup(g, job->file);
    j.folder = dup(g, job->folder);
    j.description = dup(g, job->description);
    j.line = job->line;
    ARENA_PUSH(g->a, g->jobs, g->n_jobs, g->cap_jobs, j);
    int ji = g->n_jobs - 1;
    lin_map_put(&g->job_by_name, g->jobs[ji].name, ji);

    /* declared schemas */
    for (int i = 0; i < job->n_datasets; i++) {
        const ir_dataset *d = &job->datasets[i];
        int ds = lin_dataset_get(g, d->name, d->kind, d->db_type);
        for (int c = 0; c < d->n_cols; c++) {
            char ty[64] = "";
            if (d->cols[c].type.kind != IR_TY_UNKNOWN)
                ir_type_format(d->cols[c].type, ty, sizeof ty);
            lin_column_get(g, ds, d->cols[c].name, ty[0] ? ty : NULL, c + 1);
        }
    }

    tracer t;
    memset(&t, 0, sizeof t);
    t.g = g;
    t.job = job;
    t.scratch = arena_new();
    for (int i = 0; i < job->n_nodes; i++)
        if (job->nodes[i]->id > t.max_id)
            t.max_id = job->nodes[i]->id;
    t.pos = arena_alloc(t.scratch, sizeof *t.pos * (size_t)(t.max_id + 1));
    for (int i = 0; i <= t.max_id; i++)
        t.pos[i] = -1;
    for (int i = 0; i < job->n_nodes; i++)
        t.pos[job->nodes[i]->id] = i;
    t.cols = arena_alloc(t.scratch, sizeof *t.cols * (size_t)(job->n_nodes ? job->n_nodes : 1));
    t.rows = arena_alloc(t.scratch, sizeof *t.rows * (size_t)(job->n_nodes ? job->n_nodes : 1));

    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        if ((n->op == IR_OP_SOURCE || n->op == IR_OP_LOOKUP) && n->dataset) {
            const ir_dataset *d = ir_job_dataset(job, n->dataset);
            int ds = lin_dataset_get(g, n->dataset, d ? d->kind : NULL, d ? d->db_type : NULL);
            for (int c = 0; n->op == IR_OP_SOURCE && c < n->n_cols; c++) { /* types a schema left out */
                char ty[64] = "";
                if (n->cols[c].type.kind != IR_TY_UNKNOWN)
                    ir_type_format(n->cols[c].type, ty, sizeof ty);
                lin_column_get(g, ds, n->cols[c].name, ty[0] ? ty : NULL, d && d->n_cols ? 0 : c + 1);
            }
            lin_intvec_add_sorted(g->a, &g->jobs[ji].reads, ds);
            lin_intvec_add_sorted(g->a, &g->ds[ds].readers, ji);
        }
        if (n->op != IR_OP_TARGET || !n->dataset)
            continue;
        const ir_dataset *d = ir_job_dataset(job, n->dataset);
        int ds = lin_dataset_get(g, n->dataset, d ? d->kind : NULL, d ? d->db_type : NULL);
        lin_intvec_add_sorted(g->a, &g->jobs[ji].writes, ds);
        lin_intvec_add_sorted(g->a, &g->ds[ds].writers, ji);
        const olist *rl = rows(&t, n);
        for (int c = 0; c < n->n_cols; c++) {
            const ir_column *col = &n->cols[c];
            char ty[64] = "";
            if (col->type.kind != IR_TY_UNKNOWN)
                ir_type_format(col->type, ty, sizeof ty);
            int to = lin_column_get(g, ds, col->name, ty[0] ? ty : NULL, 0);
            site s;
            site_of_col(&t, n, col, col->expr, &s);
            site_text(&t, &s);
            if (!s.text)
                s.text = g->ds[ds].cols[to].name;
            const olist *ol = origins(&t, n, c);
            for (int k = 0; k < ol->n; k++)
                add_edge(g, ji, ds, to, &ol->v[k], &s);
            lin_job *jb = &g->jobs[ji];
            if (!lin_job_writes_col(g, ji, ds, to)) {
                if (jb->n_w == jb->cap_w) {
                    int cap = jb->cap_w ? jb->cap_w * 2 : 16;
                    jb->w_ds = arena_grow(g->a, jb->w_ds, (size_t)jb->n_w, (size_t)cap, sizeof *jb->w_ds);
                    jb->w_col = arena_grow(g->a, jb->w_col, (size_t)jb->n_w, (size_t)cap, sizeof *jb->w_col);
                    jb->cap_w = cap;
                }
                jb->w_ds[jb->n_w] = ds;
                jb->w_col[jb->n_w++] = to;
            }
        }
        for (int k = 0; k < rl->n; k++)
            add_edge(g, ji, ds, -1, &rl->v[k], NULL);
    }
    arena_free(t.scratch);
}
