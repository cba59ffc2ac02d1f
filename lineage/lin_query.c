/*
 * lin_query.c — impact analysis: what a dataset or column depends on (upstream) or what depends on
 * it (downstream), breadth first to a depth. A dataset steps to a dataset through a job that reads
 * one and writes the other; a column steps along column edges, DIRECT and INDIRECT. Each result
 * says how far it is and by which edge it was first reached.
 */
#include "lineage/lin_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct hit {
    int ds, col;  /* col -1: a dataset */
    int dist;
    int via_job;  /* the job of the step that reached it */
    int via_edge; /* column queries: the edge, else -1 */
    int from_ds, from_col; /* the item it was reached from */
} hit;

static int cmp_hit_names(const lin_graph *g, const hit *a, const hit *b)
{
    if (a->dist != b->dist)
        return a->dist < b->dist ? -1 : 1;
    int c = strcmp(g->ds[a->ds].name, g->ds[b->ds].name);
    if (c || a->col < 0 || b->col < 0)
        return c;
    return strcmp(g->ds[a->ds].cols[a->col].name, g->ds[b->ds].cols[b->col].name);
}

/* Finds the dataset (and column) a user named. Returns 0, or -1. */
static int resolve(const lin_graph *g, const char *target, int *ds, int *col)
{
    strbuf sb = STRBUF_INIT;
    lin_normalize_name(g, target, &sb);
    *col = -1;
    *ds = lin_map_get(&g->ds_by_name, sb_cstr(&sb));
    if (*ds < 0) {
        const char *dot = strrchr(target, '.');
        if (dot) {
            char *head = strndup(target, (size_t)(dot - target));
            if (!head)
                abort();
            lin_normalize_name(g, head, &sb);
            free(head);
            *ds = lin_map_get(&g->ds_by_name, sb_cstr(&sb));
            if (*ds >= 0) {
                sb_clear(&sb);
                sb_printf(&sb, "%s\x01", g->ds[*ds].name);
                for (const char *p = dot + 1; *p; p++)
                    sb_putc(&sb, (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p));
                *col = lin_map_get(&g->col_by_key, sb_cstr(&sb));
                if (*col < 0)
                    *ds = -1;
            }
        }
    }
    sb_free(&sb);
    return *ds >= 0 ? 0 : -1;
}

static bool has(const lin_intvec *v, int x)
{
    for (int i = 0; i < v->n; i++)
        if (v->v[i] == x)
            return true;
    return false;
}

int lin_query_run(const lin_graph *g, const lin_query *q, bool json, strbuf *out)
{
    int ds, col;
    if (resolve(g, q->target, &ds, &col) < 0) {
        sb_printf(out, "no dataset or column '%s' in the lineage graph", q->target);
        return -1;
    }
    hit *hits = NULL;
    int n = 0, cap = 0;
    bool *seen_ds = calloc((size_t)g->n_ds + 1, sizeof *seen_ds);
    /* column ids: offset of each dataset's columns */
    int *off = calloc((size_t)g->n_ds + 1, sizeof *off);
    if (!seen_ds || !off)
        abort();
    for (int i = 0; i < g->n_ds; i++)
        off[i + 1] = off[i] + g->ds[i].n_cols;
    bool *seen_col = calloc((size_t)off[g->n_ds] + 1, sizeof *seen_col);
    if (!seen_col)
        abort();
    hit start = {ds, col, 0, -1, -1, -1, -1};
#define PUSH(h)                                                                 \
    do {                                                                        \
        if (n == cap) {                                                         \
            cap = cap ? cap * 2 : 32;                                           \
            hits = realloc(hits, sizeof *hits * (size_t)cap);                   \
            if (!hits)                                                          \
                abort();                                                        \
        }                                                                       \
        hits[n++] = (h);                                                        \
    } while (0)
    PUSH(start);
    if (col < 0)
        seen_ds[ds] = true;
    else
        seen_col[off[ds] + col] = true;
    int *eo = lin_sorted_edges(g);
    int *dso = lin_sorted_datasets(g);
    for (int h = 0; h < n; h++) {
        hit cur = hits[h];
        if (q->depth > 0 && cur.dist >= q->depth)
            continue;
        if (cur.col < 0) {
            const lin_intvec *jobs = q->downstream ? &g->ds[cur.ds].readers : &g->ds[cur.ds].writers;
            for (int k = 0; k < jobs->n; k++) {
                const lin_job *j = &g->jobs[jobs->v[k]];
                const lin_intvec *next = q->downstream ? &j->writes : &j->reads;
                for (int x = 0; x < g->n_ds; x++) { /* by name: deterministic */
                    int d = dso[x];
                    if (!has(next, d) || seen_ds[d])
                        continue;
                    seen_ds[d] = true;
                    PUSH(((hit){d, -1, cur.dist + 1, jobs->v[k], -1, cur.ds, -1}));
                }
            }
        } else {
            for (int k = 0; k < g->n_edges; k++) {
                const lin_edge *e = &g->edges[eo[k]];
                if (!q->downstream) {
                    /* into this column, or row-level into its dataset by a job that writes it */
                    if (e->to_ds != cur.ds || (e->to_col >= 0 ? e->to_col != cur.col
                                                              : !lin_job_writes_col(g, e->job, cur.ds, cur.col)))
                        continue;
                    if (seen_col[off[e->from_ds] + e->from_col])
                        continue;
                    seen_col[off[e->from_ds] + e->from_col] = true;
                    PUSH(((hit){e->from_ds, e->from_col, cur.dist + 1, e->job, eo[k], cur.ds, cur.col}));
                    continue;
                }
                if (e->from_ds != cur.ds || e->from_col != cur.col)
                    continue;
                const lin_job *jb = &g->jobs[e->job];
                for (int w = 0; w < (e->to_col >= 0 ? 1 : jb->n_w); w++) {
                    int to_ds = e->to_col >= 0 ? e->to_ds : jb->w_ds[w];
                    int to_col = e->to_col >= 0 ? e->to_col : jb->w_col[w];
                    if (to_ds != e->to_ds || seen_col[off[to_ds] + to_col])
                        continue;
                    seen_col[off[to_ds] + to_col] = true;
                    PUSH(((hit){to_ds, to_col, cur.dist + 1, e->job, eo[k], cur.ds, cur.col}));
                }
            }
        }
    }
#undef PUSH
    /* sort results (not the start) by distance, then name */
    for (int i = 2; i < n; i++)
        for (int k = i; k > 1 && cmp_hit_names(g, &hits[k - 1], &hits[k]) > 0; k--) {
            hit x = hits[k];
            hits[k] = hits[k - 1];
            hits[k - 1] = x;
        }
    const char *dir = q->downstream ? "downstream" : "upstream";
    if (json) {
        sb_puts(out, "{\"query\": ");
        sb_put_json_string(out, q->target);
        sb_printf(out, ", \"direction\": \"%s\", \"depth\": %d, \"level\": \"%s\", \"dataset\": ", dir,
                  q->depth > 0 ? q->depth : 0, col < 0 ? "table" : "column");
        sb_put_json_string(out, g->ds[ds].name);
        if (col >= 0) {
            sb_puts(out, ", \"column\": ");
            sb_put_json_string(out, g->ds[ds].cols[col].name);
        }
        sb_puts(out, ", \"results\": [");
        for (int i = 1; i < n; i++) {
            const hit *h = &hits[i];
            sb_puts(out, i > 1 ? ",\n  {\"dataset\": " : "\n  {\"dataset\": ");
            sb_put_json_string(out, g->ds[h->ds].name);
            if (h->col >= 0) {
                sb_puts(out, ", \"column\": ");
                sb_put_json_string(out, g->ds[h->ds].cols[h->col].name);
            }
            sb_printf(out, ", \"distance\": %d, \"job\": ", h->dist);
            sb_put_json_string(out, g->jobs[h->via_job].name);
            if (h->via_edge >= 0) {
                const lin_edge *e = &g->edges[h->via_edge];
                sb_printf(out, ", \"type\": \"%s\", \"subtype\": \"%s\"", lin_subtype_direct(e->sub) ? "DIRECT" : "INDIRECT",
                          lin_subtype_name(e->sub));
            }
            sb_puts(out, ", \"via\": ");
            if (h->from_col >= 0) {
                strbuf v = STRBUF_INIT;
                sb_printf(&v, "%s.%s", g->ds[h->from_ds].name, g->ds[h->from_ds].cols[h->from_col].name);
                sb_put_json_string(out, sb_cstr(&v));
                sb_free(&v);
            } else {
                sb_put_json_string(out, g->ds[h->from_ds].name);
            }
            sb_putc(out, '}');
        }
        sb_puts(out, n > 1 ? "\n]}\n" : "]}\n");
    } else {
        sb_printf(out, "%s of %s%s%s", dir, g->ds[ds].name, col >= 0 ? "." : "", col >= 0 ? g->ds[ds].cols[col].name : "");
        if (q->depth > 0)
            sb_printf(out, " (depth %d)", q->depth);
        sb_printf(out, ": %d %s\n", n - 1, col >= 0 ? (n == 2 ? "column" : "columns") : (n == 2 ? "dataset" : "datasets"));
        for (int i = 1; i < n; i++) {
            const hit *h = &hits[i];
            strbuf name = STRBUF_INIT;
            sb_puts(&name, g->ds[h->ds].name);
            if (h->col >= 0)
                sb_printf(&name, ".%s", g->ds[h->ds].cols[h->col].name);
            sb_printf(out, "  %2d  %-40s", h->dist, sb_cstr(&name));
            if (h->via_edge >= 0) {
                const lin_edge *e = &g->edges[h->via_edge];
                sb_printf(out, "  %-8s %-14s", lin_subtype_direct(e->sub) ? "DIRECT" : "INDIRECT", lin_subtype_name(e->sub));
            }
            sb_printf(out, "  via %s\n", g->jobs[h->via_job].name);
            sb_free(&name);
        }
    }
    free(hits);
    free(seen_ds);
    free(seen_col);
    free(off);
    return 0;
}
