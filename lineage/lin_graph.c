/*
 * lin_graph.c — the lineage graph's store: datasets keyed by normalised name, their columns, jobs,
 * column edges and job-order edges, with the hash tables that keep them unique, the names file,
 * workflows, counts and the sorted orders the emitters write in.
 */
#include "lineage/lin_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    bool direct;
} subtypes[] = {
#define X(id, name, direct) {name, direct},
    LIN_SUBTYPES(X)
#undef X
};

const char *lin_subtype_name(lin_subtype s)
{
    return s >= 0 && s < LIN_SUB__COUNT ? subtypes[s].name : "?";
}

bool lin_subtype_direct(lin_subtype s)
{
    return s >= 0 && s < LIN_SUB__COUNT && subtypes[s].direct;
}

/* ---- string -> int table ---- */

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

int lin_map_get(const lin_map *m, const char *key)
{
    if (!m->cap)
        return -1;
    for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return -1;
        if (strcmp(m->keys[i], key) == 0)
            return m->vals[i];
    }
}

void lin_map_put(lin_map *m, const char *key, int val)
{
    if ((m->n + 1) * 2 > m->cap) {
        lin_map bigger = {0};
        bigger.cap = m->cap ? m->cap * 2 : 64;
        bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
        bigger.vals = calloc(bigger.cap, sizeof *bigger.vals);
        if (!bigger.keys || !bigger.vals)
            abort();
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i])
                lin_map_put(&bigger, m->keys[i], m->vals[i]);
        lin_map_free(m);
        *m = bigger;
    }
    size_t i = hash_str(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i])
        m->n++;
    m->keys[i] = key;
    m->vals[i] = val;
}

void lin_map_free(lin_map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

void lin_intvec_add_sorted(arena *a, lin_intvec *v, int x)
{
    int i = 0;
    while (i < v->n && v->v[i] < x)
        i++;
    if (i < v->n && v->v[i] == x)
        return;
    ARENA_PUSH(a, v->v, v->n, v->cap, x);
    memmove(v->v + i + 1, v->v + i, sizeof *v->v * (size_t)(v->n - 1 - i));
    v->v[i] = x;
}

/* ---- graph ---- */

lin_graph *lin_new(void)
{
    arena *a = arena_new();
    lin_graph *g = arena_alloc(a, sizeof *g);
    g->a = a;
    return g;
}

void lin_free(lin_graph *g)
{
    if (!g)
        return;
    lin_map_free(&g->ds_by_name);
    lin_map_free(&g->col_by_key);
    lin_map_free(&g->job_by_name);
    lin_map_free(&g->edge_by_key);
    lin_map_free(&g->order_by_key);
    lin_map_free(&g->synonyms);
    arena_free(g->a);
}

/* ---- names ---- */

/* One part of a dotted name, unquoted ("x", [x], `x`) and folded to upper case. */
static void put_part(strbuf *out, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '[' && s[n - 1] == ']') ||
                   (s[0] == '`' && s[n - 1] == '`')))
        s++, n -= 2;
    for (size_t i = 0; i < n; i++)
        sb_putc(out, (char)toupper((unsigned char)s[i]));
}

/* Splits name at dots outside quotes into at most 8 parts: starts and lengths. */
static int split_name(const char *name, const char **starts, size_t *lens)
{
    int n = 0;
    char q = 0;
    const char *start = name;
    for (const char *p = name;; p++) {
        if (q) {
            if (*p == q)
                q = 0;
            else if (!*p)
                q = 0, p--;
            continue;
        }
        if (*p == '"' || *p == '`')
            q = *p;
        else if (*p == '[')
            q = ']';
        else if (*p == '.' || !*p) {
            if (n < 8) {
                starts[n] = start;
                lens[n] = (size_t)(p - start);
                n++;
            } else {
                lens[7] = (size_t)(p - starts[7]);
            }
            if (!*p)
                break;
            start = p + 1;
        }
    }
    return n;
}

static void normalize_plain(const lin_graph *g, const char *name, strbuf *out)
{
    const char *starts[8];
    size_t lens[8];
    int n = split_name(name, starts, lens);
    int first = 0;
    if (n >= 3 && g->default_db) {
        strbuf p = STRBUF_INIT;
        put_part(&p, starts[0], lens[0]);
        if (strcmp(sb_cstr(&p), g->default_db) == 0)
            first = 1;
        sb_free(&p);
    }
    if (n == 1 && g->default_schema) {
        sb_puts(out, g->default_schema);
        sb_putc(out, '.');
    }
    for (int i = first; i < n; i++) {
        if (i > first)
            sb_putc(out, '.');
        put_part(out, starts[i], lens[i]);
    }
}

void lin_normalize_name(const lin_graph *g, const char *name, strbuf *out)
{
    sb_clear(out);
    sb_puts(out, ""); /* never NULL data */
    normalize_plain(g, name ? name : "", out);
    for (int hops = 0; hops < 8; hops++) { /* synonyms may chain; a cycle stops after 8 */
        int k = lin_map_get(&g->synonyms, sb_cstr(out));
        if (k < 0 || strcmp(g->syn_targets[k], sb_cstr(out)) == 0)
            break;
        const char *t = g->syn_targets[k];
        sb_clear(out);
        sb_puts(out, t);
    }
}

void lin_set_default_schema(lin_graph *g, const char *schema)
{
    strbuf sb = STRBUF_INIT;
    put_part(&sb, schema, strlen(schema));
    g->default_schema = sb.len ? arena_intern_cstr(g->a, sb_cstr(&sb)) : NULL;
    sb_free(&sb);
}

void lin_set_default_database(lin_graph *g, const char *db)
{
    strbuf sb = STRBUF_INIT;
    put_part(&sb, db, strlen(db));
    g->default_db = sb.len ? arena_intern_cstr(g->a, sb_cstr(&sb)) : NULL;
    sb_free(&sb);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = 0;
    return s;
}

int lin_load_names(lin_graph *g, const char *path, diag_ctx *dc)
{
    srcfile *f = NULL;
    if (srcfile_load(&f, path) < 0) {
        diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "cannot read names file: %s", strerror(errno));
        return -1;
    }
    int rc = 0;
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    for (size_t ln = 1; ln <= f->n_lines; ln++) {
        char buf[4096];
        srcfile_line_text(f, (int)ln, buf, sizeof buf);
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = 0;
        char *line = trim(buf);
        if (!*line)
            continue;
        char *eq = strchr(line, '=');
        if (!eq) {
            diag_at(dc, DIAG_ERROR, f, path, (int)ln, 1, "expected NAME = NAME");
            rc = -1;
            continue;
        }
        *eq = 0;
        char *key = trim(line), *val = trim(eq + 1);
        if (!*key || !*val) {
            diag_at(dc, DIAG_ERROR, f, path, (int)ln, 1, "empty name");
            rc = -1;
        } else if (strcmp(key, "default_schema") == 0) {
            lin_set_default_schema(g, val);
        } else if (strcmp(key, "default_database") == 0) {
            lin_set_default_database(g, val);
        } else {
            sb_clear(&a);
            sb_clear(&b);
            normalize_plain(g, key, &a);
            normalize_plain(g, val, &b);
            ARENA_PUSH(g->a, g->syn_targets, g->n_syn, g->cap_syn, arena_intern_cstr(g->a, sb_cstr(&b)));
            lin_map_put(&g->synonyms, arena_intern_cstr(g->a, sb_cstr(&a)), g->n_syn - 1);
        }
    }
    sb_free(&a);
    sb_free(&b);
    srcfile_free(f);
    return rc;
}

/* ---- datasets and columns ---- */

int lin_dataset_get(lin_graph *g, const char *name, const char *kind, const char *db_type)
{
    strbuf sb = STRBUF_INIT;
    lin_normalize_name(g, name, &sb);
    int i = lin_map_get(&g->ds_by_name, sb_cstr(&sb));
    if (i < 0) {
        lin_dataset d;
        memset(&d, 0, sizeof d);
        d.name = arena_intern_cstr(g->a, sb_cstr(&sb));
        ARENA_PUSH(g->a, g->ds, g->n_ds, g->cap_ds, d);
        i = g->n_ds - 1;
        lin_map_put(&g->ds_by_name, d.name, i);
    }
    sb_free(&sb);
    lin_dataset *d = &g->ds[i];
    if (!d->kind && kind)
        d->kind = arena_intern_cstr(g->a, kind);
    if (!d->db_type && db_type)
        d->db_type = arena_intern_cstr(g->a, db_type);
    const char *sp = arena_intern_cstr(g->a, name ? name : "");
    bool seen = false;
    for (int k = 0; k < d->n_spellings; k++)
        seen |= d->spellings[k] == sp;
    if (!seen)
        ARENA_PUSH(g->a, d->spellings, d->n_spellings, d->cap_spellings, sp);
    return i;
}

int lin_column_get(lin_graph *g, int ds, const char *name, const char *type, int ordinal)
{
    strbuf sb = STRBUF_INIT;
    put_part(&sb, name, strlen(name));
    const char *cname = arena_intern_cstr(g->a, sb_cstr(&sb));
    sb_clear(&sb);
    sb_printf(&sb, "%s\x01%s", g->ds[ds].name, cname);
    int i = lin_map_get(&g->col_by_key, sb_cstr(&sb));
    lin_dataset *d = &g->ds[ds];
    if (i < 0) {
        lin_column c = {cname, NULL, 0};
        ARENA_PUSH(g->a, d->cols, d->n_cols, d->cap_cols, c);
        i = d->n_cols - 1;
        lin_map_put(&g->col_by_key, arena_intern_cstr(g->a, sb_cstr(&sb)), i);
    }
    sb_free(&sb);
    if (!d->cols[i].type && type)
        d->cols[i].type = arena_intern_cstr(g->a, type);
    if (!d->cols[i].ordinal && ordinal > 0)
        d->cols[i].ordinal = ordinal;
    return i;
}

/* ---- jobs' code and workflows ---- */

void lin_set_job_code(lin_graph *g, const char *job, const char *text, bool sql, const char *language)
{
    int j = lin_map_get(&g->job_by_name, job);
    if (j < 0 || !text)
        return;
    g->jobs[j].code = arena_strdup(g->a, text);
    g->jobs[j].code_is_sql = sql;
    g->jobs[j].language = language ? arena_intern_cstr(g->a, language) : NULL;
}

static int job_index(const lin_graph *g, const char *name)
{
    if (!name)
        return -1;
    int j = lin_map_get(&g->job_by_name, name);
    if (j >= 0)
        return j;
    for (int i = 0; i < g->n_jobs; i++) /* the legacy tools compare names without case */
        if (strcasecmp(g->jobs[i].name, name) == 0)
            return i;
    return -1;
}

static void add_order(lin_graph *g, int from, int to, const char *flow)
{
    if (from < 0 || to < 0 || from == to)
        return;
    char key[64];
    snprintf(key, sizeof key, "%d>%d", from, to);
    if (lin_map_get(&g->order_by_key, key) >= 0)
        return;
    lin_order o = {from, to, arena_intern_cstr(g->a, flow ? flow : "")};
    ARENA_PUSH(g->a, g->orders, g->n_orders, g->cap_orders, o);
    lin_map_put(&g->order_by_key, arena_intern_cstr(g->a, key), g->n_orders - 1);
}

/* Where to go on when a sub-flow ends: the successors of `task` in `f`, then further up. */
typedef struct flow_cont {
    const ir_flow *f;
    int task;
    const struct flow_cont *up;
} flow_cont;

typedef struct flow_walk {
    lin_graph *g;
    int from_job;
    const char *flow_name;
    const void **seen_f;
    int *seen_t;
    int n_seen, cap_seen;
} flow_walk;

static void flow_succs(flow_walk *w, const ir_flow *f, int task, const flow_cont *cont);

static void flow_visit(flow_walk *w, const ir_flow *f, int task, const flow_cont *cont)
{
    for (int i = 0; i < w->n_seen; i++)
        if (w->seen_f[i] == f && w->seen_t[i] == task)
            return;
    if (w->n_seen == w->cap_seen) {
        w->cap_seen = w->cap_seen ? w->cap_seen * 2 : 32;
        w->seen_f = realloc(w->seen_f, sizeof *w->seen_f * (size_t)w->cap_seen);
        w->seen_t = realloc(w->seen_t, sizeof *w->seen_t * (size_t)w->cap_seen);
        if (!w->seen_f || !w->seen_t)
            abort();
    }
    w->seen_f[w->n_seen] = f;
    w->seen_t[w->n_seen++] = task;
    const ir_task *t = f->tasks[task];
    if (t->kind == IR_TASK_JOB && job_index(w->g, t->job) >= 0) {
        add_order(w->g, w->from_job, job_index(w->g, t->job), w->flow_name);
        return;
    }
    if (t->kind == IR_TASK_SUBFLOW && t->sub && t->sub->n_tasks) {
        flow_cont c = {f, task, cont};
        for (int r = 0; r < t->sub->n_tasks; r++) {
            bool root = true;
            for (int e = 0; e < t->sub->n_edges; e++)
                root &= t->sub->edges[e].to != r;
            if (root)
                flow_visit(w, t->sub, r, &c);
        }
        return;
    }
    flow_succs(w, f, task, cont);
}

static void flow_succs(flow_walk *w, const ir_flow *f, int task, const flow_cont *cont)
{
    bool any = false;
    for (int e = 0; e < f->n_edges; e++)
        if (f->edges[e].from == task) {
            any = true;
            flow_visit(w, f, f->edges[e].to, cont);
        }
    if (!any && cont)
        flow_succs(w, cont->f, cont->task, cont->up);
}

static void flow_jobs(lin_graph *g, const ir_flow *top, const ir_flow *f, const flow_cont *cont)
{
    for (int i = 0; i < f->n_tasks; i++) {
        const ir_task *t = f->tasks[i];
        if (t->kind == IR_TASK_JOB && job_index(g, t->job) >= 0) {
            flow_walk w = {g, job_index(g, t->job), top->name, NULL, NULL, 0, 0};
            flow_succs(&w, f, i, cont);
            free(w.seen_f);
            free(w.seen_t);
        } else if (t->kind == IR_TASK_SUBFLOW && t->sub) {
            flow_cont c = {f, i, cont};
            flow_jobs(g, top, t->sub, &c);
        }
    }
}

void lin_add_flow(lin_graph *g, const ir_flow *flow)
{
    flow_jobs(g, flow, flow, NULL);
}

bool lin_job_writes_col(const lin_graph *g, int j, int ds, int col)
{
    const lin_job *jb = &g->jobs[j];
    for (int i = 0; i < jb->n_w; i++)
        if (jb->w_ds[i] == ds && jb->w_col[i] == col)
            return true;
    return false;
}

/* ---- counts ---- */

void lin_get_stats(const lin_graph *g, lin_stats *out)
{
    memset(out, 0, sizeof *out);
    out->jobs = g->n_jobs;
    out->datasets = g->n_ds;
    out->job_order_edges = g->n_orders;
    for (int i = 0; i < g->n_ds; i++) {
        const lin_dataset *d = &g->ds[i];
        out->columns += d->n_cols;
        out->table_edges += d->readers.n + d->writers.n;
        bool shared = false;
        for (int w = 0; w < d->writers.n && !shared; w++)
            for (int r = 0; r < d->readers.n && !shared; r++)
                shared = d->writers.v[w] != d->readers.v[r];
        out->shared_datasets += shared;
    }
    for (int i = 0; i < g->n_edges; i++)
        out->edges[g->edges[i].sub]++;
}

/* ---- sorted orders ---- */

typedef struct sort_rec {
    int idx;
    const char *k[5];
    int n;
} sort_rec;

static int cmp_rec(const void *pa, const void *pb)
{
    const sort_rec *a = pa, *b = pb;
    for (int i = 0; i < 5; i++) {
        int c = strcmp(a->k[i] ? a->k[i] : "", b->k[i] ? b->k[i] : "");
        if (c)
            return c;
    }
    return a->n != b->n ? (a->n < b->n ? -1 : 1) : (a->idx > b->idx) - (a->idx < b->idx);
}

static int *sorted(const lin_graph *g, sort_rec *r, int n)
{
    qsort(r, (size_t)n, sizeof *r, cmp_rec);
    int *out = arena_alloc(g->a, sizeof *out * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++)
        out[i] = r[i].idx;
    free(r);
    return out;
}

static sort_rec *recs(int n)
{
    sort_rec *r = calloc((size_t)(n ? n : 1), sizeof *r);
    if (!r)
        abort();
    return r;
}

int *lin_sorted_datasets(const lin_graph *g)
{
    sort_rec *r = recs(g->n_ds);
    for (int i = 0; i < g->n_ds; i++)
        r[i] = (sort_rec){i, {g->ds[i].name}, 0};
    return sorted(g, r, g->n_ds);
}

int *lin_sorted_columns(const lin_graph *g, int ds)
{
    const lin_dataset *d = &g->ds[ds];
    sort_rec *r = recs(d->n_cols);
    for (int i = 0; i < d->n_cols; i++) /* schema order first, then columns only edges named */
        r[i] = (sort_rec){i, {d->cols[i].ordinal ? "0" : "1", d->cols[i].ordinal ? "" : d->cols[i].name},
                          d->cols[i].ordinal};
    return sorted(g, r, d->n_cols);
}

int *lin_sorted_jobs(const lin_graph *g)
{
    sort_rec *r = recs(g->n_jobs);
    for (int i = 0; i < g->n_jobs; i++)
        r[i] = (sort_rec){i, {g->jobs[i].name}, 0};
    return sorted(g, r, g->n_jobs);
}

int *lin_sorted_edges(const lin_graph *g)
{
    sort_rec *r = recs(g->n_edges);
    for (int i = 0; i < g->n_edges; i++) {
        const lin_edge *e = &g->edges[i];
        r[i] = (sort_rec){i,
                          {g->ds[e->to_ds].name, e->to_col < 0 ? "" : g->ds[e->to_ds].cols[e->to_col].name, g->ds[e->from_ds].name,
                           g->ds[e->from_ds].cols[e->from_col].name, g->jobs[e->job].name},
                          (int)e->sub};
    }
    return sorted(g, r, g->n_edges);
}

void lin_json_key(strbuf *sb, const char *key)
{
    sb_put_json_string(sb, key);
    sb_puts(sb, ": ");
}
