/*
 * lin_emit.c — the graph written out: lineage.json (the whole graph), Graphviz DOT (table level:
 * datasets and jobs; column level: datasets as tables of columns with column edges), Mermaid for
 * Markdown, and OpenLineage static events. Everything is written in sorted order, so the same
 * inputs give byte-identical files.
 */
#include "lineage/diff_render.h"
#include "lineage/lin_internal.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* ---- lineage.json ---- */

static void json_str_or_null(strbuf *sb, const char *s)
{
    if (s)
        sb_put_json_string(sb, s);
    else
        sb_puts(sb, "null");
}

/* , "key": "value" (or null) */
static void json_kv(strbuf *sb, const char *key, const char *value)
{
    sb_puts(sb, ", ");
    lin_json_key(sb, key);
    json_str_or_null(sb, value);
}

static void json_job_list(strbuf *sb, const lin_graph *g, const lin_intvec *v)
{
    sb_putc(sb, '[');
    for (int i = 0; i < v->n; i++) {
        if (i)
            sb_puts(sb, ", ");
        sb_put_json_string(sb, g->jobs[v->v[i]].name);
    }
    sb_putc(sb, ']');
}

static void json_ds_list(strbuf *sb, const lin_graph *g, const lin_intvec *v)
{
    /* indexes ascending are creation order; names sorted are what a reader expects */
    const char **names = calloc((size_t)(v->n ? v->n : 1), sizeof *names);
    if (!names)
        abort();
    for (int i = 0; i < v->n; i++)
        names[i] = g->ds[v->v[i]].name;
    for (int i = 1; i < v->n; i++)
        for (int k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
            const char *x = names[k];
            names[k] = names[k - 1];
            names[k - 1] = x;
        }
    sb_putc(sb, '[');
    for (int i = 0; i < v->n; i++) {
        if (i)
            sb_puts(sb, ", ");
        sb_put_json_string(sb, names[i]);
    }
    sb_putc(sb, ']');
    free(names);
}

void lin_to_json(const lin_graph *g, strbuf *out)
{
    lin_stats st;
    lin_get_stats(g, &st);
    sb_puts(out, "{\n \"lineage_version\": 1,\n \"counts\": {");
    sb_printf(out, "\"jobs\": %d, \"datasets\": %d, \"columns\": %d, \"shared_datasets\": %d, \"job_order\": %d",
              st.jobs, st.datasets, st.columns, st.shared_datasets, st.job_order_edges);
    for (int s = 0; s < LIN_SUB__COUNT; s++)
        sb_printf(out, ", \"%s\": %d", lin_subtype_name((lin_subtype)s), st.edges[s]);
    sb_puts(out, "},\n \"jobs\": [");
    int *jo = lin_sorted_jobs(g);
    for (int k = 0; k < g->n_jobs; k++) {
        const lin_job *j = &g->jobs[jo[k]];
        sb_puts(out, k ? ",\n  {" : "\n  {");
        lin_json_key(out, "name");
        sb_put_json_string(out, j->name);
        json_kv(out, "format", j->format);
        json_kv(out, "file", j->file);
        sb_printf(out, ", \"line\": %d", j->line);
        json_kv(out, "folder", j->folder);
        sb_puts(out, ", \"reads\": ");
        json_ds_list(out, g, &j->reads);
        sb_puts(out, ", \"writes\": ");
        json_ds_list(out, g, &j->writes);
        sb_putc(out, '}');
    }
    sb_puts(out, g->n_jobs ? "\n ],\n \"datasets\": [" : "],\n \"datasets\": [");
    int *dso = lin_sorted_datasets(g);
    for (int k = 0; k < g->n_ds; k++) {
        const lin_dataset *d = &g->ds[dso[k]];
        sb_puts(out, k ? ",\n  {" : "\n  {");
        lin_json_key(out, "name");
        sb_put_json_string(out, d->name);
        json_kv(out, "kind", d->kind);
        json_kv(out, "db_type", d->db_type);
        sb_puts(out, ", \"spellings\": [");
        for (int i = 0; i < d->n_spellings; i++) {
            if (i)
                sb_puts(out, ", ");
            sb_put_json_string(out, d->spellings[i]);
        }
        sb_puts(out, "], \"written_by\": ");
        json_job_list(out, g, &d->writers);
        sb_puts(out, ", \"read_by\": ");
        json_job_list(out, g, &d->readers);
        sb_puts(out, ",\n   \"columns\": [");
        int *co = lin_sorted_columns(g, dso[k]);
        for (int i = 0; i < d->n_cols; i++) {
            const lin_column *c = &d->cols[co[i]];
            sb_puts(out, i ? ", {" : "{");
            lin_json_key(out, "name");
            sb_put_json_string(out, c->name);
            if (c->type) {
                sb_puts(out, ", \"type\": ");
                sb_put_json_string(out, c->type);
            }
            sb_putc(out, '}');
        }
        sb_puts(out, "]}");
    }
    sb_puts(out, g->n_ds ? "\n ],\n \"edges\": [" : "],\n \"edges\": [");
    int *eo = lin_sorted_edges(g);
    for (int k = 0; k < g->n_edges; k++) {
        const lin_edge *e = &g->edges[eo[k]];
        sb_puts(out, k ? ",\n  {" : "\n  {");
        lin_json_key(out, "from");
        sb_put_json_string(out, g->ds[e->from_ds].name);
        json_kv(out, "from_column", g->ds[e->from_ds].cols[e->from_col].name);
        json_kv(out, "to", g->ds[e->to_ds].name);
        json_kv(out, "to_column", e->to_col < 0 ? NULL : g->ds[e->to_ds].cols[e->to_col].name);
        sb_printf(out, ", \"type\": \"%s\", \"subtype\": \"%s\", \"job\": ",
                  lin_subtype_direct(e->sub) ? "DIRECT" : "INDIRECT", lin_subtype_name(e->sub));
        sb_put_json_string(out, g->jobs[e->job].name);
        json_kv(out, "expression", e->expr);
        if (e->legacy)
            json_kv(out, "legacy", e->legacy);
        if (e->node)
            json_kv(out, "node", e->node);
        if (e->file)
            json_kv(out, "file", e->file);
        sb_printf(out, ", \"line\": %d, \"col\": %d}", e->line, e->col);
    }
    sb_puts(out, g->n_edges ? "\n ],\n \"job_order\": [" : "],\n \"job_order\": [");
    /* job order sorted by (from, to) name */
    int *pos = calloc((size_t)(g->n_jobs ? g->n_jobs : 1), sizeof *pos);
    if (!pos)
        abort();
    for (int k = 0; k < g->n_jobs; k++)
        pos[jo[k]] = k;
    int written = 0;
    for (int a = 0; a < g->n_jobs; a++)
        for (int b = 0; b < g->n_jobs; b++)
            for (int i = 0; i < g->n_orders; i++) {
                const lin_order *o = &g->orders[i];
                if (pos[o->from_job] != a || pos[o->to_job] != b)
                    continue;
                sb_puts(out, written++ ? ",\n  {\"from\": " : "\n  {\"from\": ");
                sb_put_json_string(out, g->jobs[o->from_job].name);
                sb_puts(out, ", \"to\": ");
                sb_put_json_string(out, g->jobs[o->to_job].name);
                sb_puts(out, ", \"flow\": ");
                sb_put_json_string(out, o->flow);
                sb_putc(out, '}');
            }
    free(pos);
    sb_puts(out, written ? "\n ]\n}\n" : "]\n}\n");
}

/* ---- selection for diagrams ---- */

typedef struct view {
    bool *ds;   /* datasets drawn */
    bool *job;  /* jobs drawn */
    int *ds_pos, *job_pos; /* sorted position: stable short ids */
    int *ds_order, *job_order;
} view;

static bool selected(const lin_graph *g, const lin_emit_opts *o, const char *name)
{
    for (int i = 0; i < o->n_select; i++) {
        strbuf p = STRBUF_INIT;
        lin_normalize_name(g, o->select[i], &p);
        bool hit = strcmp(sb_cstr(&p), name) == 0 || fnmatch(sb_cstr(&p), name, 0) == 0;
        sb_free(&p);
        if (hit)
            return true;
    }
    return false;
}

static void view_init(view *v, const lin_graph *g, const lin_emit_opts *o)
{
    v->ds = calloc((size_t)g->n_ds + 1, sizeof *v->ds);
    v->job = calloc((size_t)g->n_jobs + 1, sizeof *v->job);
    v->ds_pos = calloc((size_t)g->n_ds + 1, sizeof *v->ds_pos);
    v->job_pos = calloc((size_t)g->n_jobs + 1, sizeof *v->job_pos);
    if (!v->ds || !v->job || !v->ds_pos || !v->job_pos)
        abort();
    v->ds_order = lin_sorted_datasets(g);
    v->job_order = lin_sorted_jobs(g);
    for (int k = 0; k < g->n_ds; k++)
        v->ds_pos[v->ds_order[k]] = k;
    for (int k = 0; k < g->n_jobs; k++)
        v->job_pos[v->job_order[k]] = k;
    if (!o->n_select) {
        for (int i = 0; i < g->n_ds; i++)
            v->ds[i] = true;
        for (int i = 0; i < g->n_jobs; i++)
            v->job[i] = true;
        return;
    }
    for (int i = 0; i < g->n_ds; i++) {
        if (!selected(g, o, g->ds[i].name))
            continue;
        const lin_dataset *d = &g->ds[i];
        for (int k = 0; k < d->readers.n; k++)
            v->job[d->readers.v[k]] = true;
        for (int k = 0; k < d->writers.n; k++)
            v->job[d->writers.v[k]] = true;
        v->ds[i] = true;
    }
    for (int j = 0; j < g->n_jobs; j++)
        if (v->job[j]) {
            for (int k = 0; k < g->jobs[j].reads.n; k++)
                v->ds[g->jobs[j].reads.v[k]] = true;
            for (int k = 0; k < g->jobs[j].writes.n; k++)
                v->ds[g->jobs[j].writes.v[k]] = true;
        }
}

static void view_free(view *v)
{
    free(v->ds);
    free(v->job);
    free(v->ds_pos);
    free(v->job_pos);
}

/* The job whose cluster holds dataset d: its only writer, when it has exactly one; else -1. */
static int home_job(const lin_graph *g, const view *v, int d)
{
    const lin_dataset *ds = &g->ds[d];
    return ds->writers.n == 1 && v->job[ds->writers.v[0]] ? ds->writers.v[0] : -1;
}

/* ---- DOT ---- */

static void dot_str(strbuf *sb, const char *s)
{
    sb_putc(sb, '"');
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            sb_putc(sb, '\\');
        if (*s == '\n')
            sb_puts(sb, "\\n");
        else
            sb_putc(sb, *s);
    }
    sb_putc(sb, '"');
}

static void html_text(strbuf *sb, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': sb_puts(sb, "&amp;"); break;
        case '<': sb_puts(sb, "&lt;"); break;
        case '>': sb_puts(sb, "&gt;"); break;
        case '"': sb_puts(sb, "&quot;"); break;
        default: sb_putc(sb, *s);
        }
    }
}

static const char *sub_color(lin_subtype s)
{
    switch (s) {
    case LIN_IDENTITY: return "#2b6cb0";
    case LIN_TRANSFORMATION: return "#2f855a";
    case LIN_AGGREGATION: return "#b7791f";
    default: return "#a0a0a0";
    }
}

static void dot_dataset(strbuf *out, const lin_graph *g, const view *v, const lin_emit_opts *o, int d, int indent)
{
    const lin_dataset *ds = &g->ds[d];
    sb_indent(out, indent);
    if (o->level == LIN_LEVEL_TABLE) {
        sb_printf(out, "d%d [shape=cylinder, style=filled, fillcolor=\"%s\", label=", v->ds_pos[d],
                  ds->writers.n ? "#fdf3d8" : "#e8f1e4");
        dot_str(out, ds->name);
        sb_puts(out, "];\n");
        return;
    }
    sb_printf(out, "d%d [shape=plain, label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"3\">"
                   "<tr><td port=\"t\" bgcolor=\"%s\"><b>",
              v->ds_pos[d], ds->writers.n ? "#f6e3b4" : "#cfe3c6");
    html_text(out, ds->name);
    sb_puts(out, "</b></td></tr>");
    int *co = lin_sorted_columns(g, d);
    for (int i = 0; i < ds->n_cols; i++) {
        sb_printf(out, "<tr><td port=\"c%d\" align=\"left\">", co[i]);
        html_text(out, ds->cols[co[i]].name);
        sb_puts(out, "</td></tr>");
    }
    sb_puts(out, "</table>>];\n");
}

void lin_to_dot(const lin_graph *g, const lin_emit_opts *o, strbuf *out)
{
    view v;
    view_init(&v, g, o);
    sb_puts(out, "digraph lineage {\n"
                 "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, nodesep=0.2, ranksep=0.7, "
                 "newrank=true, labeljust=l];\n"
                 "  node [fontname=\"Helvetica\", fontsize=10];\n"
                 "  edge [color=\"#606060\", arrowsize=0.6];\n");
    /* one cluster per job: the job, and the datasets only it writes */
    for (int k = 0; k < g->n_jobs; k++) {
        int j = v.job_order[k];
        if (!v.job[j])
            continue;
        const lin_job *jb = &g->jobs[j];
        sb_printf(out, "  subgraph cluster_j%d {\n    label=", k);
        dot_str(out, jb->name);
        sb_puts(out, "; style=\"rounded,filled\"; fillcolor=\"#f2f5fb\"; color=\"#9aaed6\";\n    id=");
        strbuf id = STRBUF_INIT;
        diff_anchor(&id, "job_", jb->name);
        dot_str(out, sb_cstr(&id));
        sb_free(&id);
        const char *href = o->job_href ? o->job_href(o->job_href_data, jb->name) : NULL;
        if (href) {
            sb_puts(out, "; URL=");
            dot_str(out, href);
            sb_puts(out, "; target=\"_top\"");
        }
        sb_puts(out, ";\n");
        if (o->level == LIN_LEVEL_TABLE) {
            sb_printf(out, "    j%d [shape=box, style=\"rounded,filled\", fillcolor=\"#dbe5f6\", label=", k);
            /* the cluster carries the job's name; the node says what kind of job it is */
            strbuf l = STRBUF_INIT;
            sb_printf(&l, "%s job", jb->format ? jb->format : "legacy");
            dot_str(out, sb_cstr(&l));
            sb_clear(&l);
            sb_printf(&l, "%s (%s:%d)", jb->name, jb->file ? jb->file : "?", jb->line);
            sb_puts(out, ", tooltip=");
            dot_str(out, sb_cstr(&l));
            sb_free(&l);
            sb_puts(out, "];\n");
        }
        for (int i = 0; i < g->n_ds; i++) {
            int d = v.ds_order[i];
            if (v.ds[d] && home_job(g, &v, d) == j)
                dot_dataset(out, g, &v, o, d, 4);
        }
        sb_puts(out, "  }\n");
    }
    for (int i = 0; i < g->n_ds; i++) {
        int d = v.ds_order[i];
        if (v.ds[d] && home_job(g, &v, d) < 0)
            dot_dataset(out, g, &v, o, d, 2);
    }
    if (o->level == LIN_LEVEL_TABLE) {
        for (int k = 0; k < g->n_jobs; k++) {
            int j = v.job_order[k];
            if (!v.job[j])
                continue;
            const lin_job *jb = &g->jobs[j];
            for (int i = 0; i < g->n_ds; i++) { /* sorted by dataset name */
                int d = v.ds_order[i];
                bool r = false, w = false;
                for (int x = 0; x < jb->reads.n; x++)
                    r |= jb->reads.v[x] == d;
                for (int x = 0; x < jb->writes.n; x++)
                    w |= jb->writes.v[x] == d;
                if (r)
                    sb_printf(out, "  d%d -> j%d;\n", i, k);
                if (w)
                    sb_printf(out, "  j%d -> d%d;\n", k, i);
            }
        }
        for (int a = 0; a < g->n_jobs; a++)
            for (int i = 0; i < g->n_orders; i++) {
                const lin_order *or = &g->orders[i];
                if (v.job_pos[or->from_job] == a && v.job[or->from_job] && v.job[or->to_job])
                    sb_printf(out, "  j%d -> j%d [style=dashed, color=\"#8e5fb0\", constraint=false, tooltip=\"runs before\"];\n",
                              a, v.job_pos[or->to_job]);
            }
    } else {
        /* direct edges column to column, one per (from, to, subtype); indirect ones from the
         * deciding column to the whole dataset, once */
        int *eo = lin_sorted_edges(g);
        lin_map seen = {0};
        arena *tmp = arena_new();
        for (int k = 0; k < g->n_edges; k++) {
            const lin_edge *e = &g->edges[eo[k]];
            if (!v.ds[e->from_ds] || !v.ds[e->to_ds] || !v.job[e->job])
                continue;
            bool direct = lin_subtype_direct(e->sub);
            char key[96];
            if (direct)
                snprintf(key, sizeof key, "%d:%d>%d:%d/%d", e->from_ds, e->from_col, e->to_ds, e->to_col, (int)e->sub);
            else
                snprintf(key, sizeof key, "%d:%d>%d", e->from_ds, e->from_col, e->to_ds);
            if (lin_map_get(&seen, key) >= 0)
                continue;
            lin_map_put(&seen, arena_strdup(tmp, key), 1);
            if (direct)
                sb_printf(out, "  d%d:c%d:e -> d%d:c%d:w [color=\"%s\", tooltip=\"%s\"];\n", v.ds_pos[e->from_ds],
                          e->from_col, v.ds_pos[e->to_ds], e->to_col, sub_color(e->sub), lin_subtype_name(e->sub));
            else
                sb_printf(out, "  d%d:c%d:e -> d%d:t:w [style=dashed, color=\"%s\", arrowhead=empty, tooltip=\"INDIRECT\"];\n",
                          v.ds_pos[e->from_ds], e->from_col, v.ds_pos[e->to_ds], sub_color(e->sub));
        }
        lin_map_free(&seen);
        arena_free(tmp);
    }
    sb_puts(out, "}\n");
    view_free(&v);
}

/* ---- Mermaid ---- */

static void mm_label(strbuf *sb, const char *s)
{
    sb_putc(sb, '"');
    for (; s && *s; s++) {
        if (*s == '"')
            sb_puts(sb, "#quot;");
        else if (*s == '\n')
            sb_putc(sb, ' ');
        else
            sb_putc(sb, *s);
    }
    sb_putc(sb, '"');
}

void lin_to_mermaid(const lin_graph *g, const lin_emit_opts *o, strbuf *out)
{
    view v;
    view_init(&v, g, o);
    lin_stats st;
    lin_get_stats(g, &st);
    sb_puts(out, "# Lineage\n\n");
    sb_printf(out, "%d jobs, %d datasets (%d shared between jobs), %d columns; made by `etlport lineage` "
                   "(%s level).\n\n```mermaid\nflowchart LR\n",
              st.jobs, st.datasets, st.shared_datasets, st.columns, o->level == LIN_LEVEL_TABLE ? "table" : "column");
    for (int k = 0; k < g->n_jobs; k++) {
        int j = v.job_order[k];
        if (!v.job[j])
            continue;
        sb_printf(out, "  subgraph sg%d[", k);
        mm_label(out, g->jobs[j].name);
        sb_puts(out, "]\n");
        if (o->level == LIN_LEVEL_TABLE) {
            sb_printf(out, "    j%d[[", k);
            mm_label(out, g->jobs[j].name);
            sb_puts(out, "]]\n");
        }
        for (int i = 0; i < g->n_ds; i++) {
            int d = v.ds_order[i];
            if (v.ds[d] && home_job(g, &v, d) == j) {
                sb_printf(out, "    d%d[(", i);
                mm_label(out, g->ds[d].name);
                sb_puts(out, ")]\n");
            }
        }
        sb_puts(out, "  end\n");
    }
    for (int i = 0; i < g->n_ds; i++) {
        int d = v.ds_order[i];
        if (v.ds[d] && home_job(g, &v, d) < 0) {
            sb_printf(out, "  d%d[(", i);
            mm_label(out, g->ds[d].name);
            sb_puts(out, ")]\n");
        }
    }
    if (o->level == LIN_LEVEL_TABLE) {
        for (int k = 0; k < g->n_jobs; k++) {
            int j = v.job_order[k];
            if (!v.job[j])
                continue;
            for (int i = 0; i < g->n_ds; i++) {
                int d = v.ds_order[i];
                for (int x = 0; x < g->jobs[j].reads.n; x++)
                    if (g->jobs[j].reads.v[x] == d)
                        sb_printf(out, "  d%d --> j%d\n", i, k);
                for (int x = 0; x < g->jobs[j].writes.n; x++)
                    if (g->jobs[j].writes.v[x] == d)
                        sb_printf(out, "  j%d --> d%d\n", k, i);
            }
        }
        for (int a = 0; a < g->n_jobs; a++)
            for (int i = 0; i < g->n_orders; i++) {
                const lin_order *or = &g->orders[i];
                if (v.job_pos[or->from_job] == a && v.job[or->from_job] && v.job[or->to_job])
                    sb_printf(out, "  j%d -. runs before .-> j%d\n", a, v.job_pos[or->to_job]);
            }
    } else {
        /* one arrow per pair of datasets, labelled with its direct column pairs */
        int *eo = lin_sorted_edges(g);
        for (int a = 0; a < g->n_ds; a++)
            for (int b = 0; b < g->n_ds; b++) {
                int from = v.ds_order[a], to = v.ds_order[b];
                if (!v.ds[from] || !v.ds[to])
                    continue;
                strbuf lab = STRBUF_INIT;
                int n = 0;
                for (int k = 0; k < g->n_edges; k++) {
                    const lin_edge *e = &g->edges[eo[k]];
                    if (e->from_ds != from || e->to_ds != to || !lin_subtype_direct(e->sub) || !v.job[e->job])
                        continue;
                    if (n++)
                        sb_puts(&lab, "<br/>");
                    sb_printf(&lab, "%s → %s", g->ds[from].cols[e->from_col].name, g->ds[to].cols[e->to_col].name);
                }
                if (n) {
                    sb_printf(out, "  d%d -- ", a);
                    mm_label(out, sb_cstr(&lab));
                    sb_printf(out, " --> d%d\n", b);
                }
                sb_free(&lab);
            }
    }
    sb_puts(out, "```\n");
    view_free(&v);
}

/* ---- OpenLineage ---- */

#define OL_SPEC "https://openlineage.io/spec/2-0-2/OpenLineage.json"
#define OL_FACETS "https://openlineage.io/spec/facets/"

static void ol_facet_head(strbuf *out, const char *name, const char *version, const char *def)
{
    sb_put_json_string(out, name);
    sb_puts(out, ": {\"_producer\": ");
    sb_put_json_string(out, LIN_PRODUCER);
    sb_printf(out, ", \"_schemaURL\": \"" OL_FACETS "%s/%s.json#/$defs/%s\"", version, def, def);
}

static void ol_event_head(strbuf *out, const lin_emit_opts *o, const char *kind)
{
    sb_puts(out, "{\"eventTime\": ");
    sb_put_json_string(out, o->event_time ? o->event_time : LIN_EVENT_TIME);
    sb_puts(out, ", \"producer\": ");
    sb_put_json_string(out, LIN_PRODUCER);
    sb_printf(out, ", \"schemaURL\": \"" OL_SPEC "#/$defs/%s\"", kind);
}

static void ol_dataset_ref(strbuf *out, const lin_emit_opts *o, const char *name)
{
    sb_puts(out, "{\"namespace\": ");
    sb_put_json_string(out, o->ns ? o->ns : "etlport");
    sb_puts(out, ", \"name\": ");
    sb_put_json_string(out, name);
}

/* Writes the InputFields of the edges into column col of dataset d (-1: the row-level edges), of
 * one job (or all: -1), one per input column with its transformations; out NULL only counts.
 * Returns how many edges there were. Edges are sorted by (to, from), so each input's run is
 * contiguous. */
static int ol_input_fields(strbuf *out, const lin_graph *g, const lin_emit_opts *o, const int *eo, int d, int col,
                           int job)
{
    int n = 0, last_ds = -1, last_col = -1;
    for (int k = 0; k < g->n_edges; k++) {
        const lin_edge *e = &g->edges[eo[k]];
        if (e->to_ds != d || e->to_col != col || (job >= 0 && e->job != job))
            continue;
        if (!out) {
            n++;
            continue;
        }
        if (e->from_ds != last_ds || e->from_col != last_col) {
            if (n)
                sb_puts(out, "]}, ");
            ol_dataset_ref(out, o, g->ds[e->from_ds].name);
            sb_puts(out, ", \"field\": ");
            sb_put_json_string(out, g->ds[e->from_ds].cols[e->from_col].name);
            sb_puts(out, ", \"transformations\": [");
            last_ds = e->from_ds;
            last_col = e->from_col;
        } else {
            sb_puts(out, ", ");
        }
        n++;
        sb_printf(out, "{\"type\": \"%s\", \"subtype\": \"%s\"", lin_subtype_direct(e->sub) ? "DIRECT" : "INDIRECT",
                  lin_subtype_name(e->sub));
        if (e->expr) {
            sb_puts(out, ", \"description\": ");
            sb_put_json_string(out, e->expr);
        }
        sb_putc(out, '}');
    }
    if (out && n)
        sb_puts(out, "]}");
    return n;
}

/* The schema and column-lineage facets of dataset d, from the edges of job (or of every job: -1). */
static void ol_dataset_facets(strbuf *out, const lin_graph *g, const lin_emit_opts *o, int d, int job, const int *eo)
{
    const lin_dataset *ds = &g->ds[d];
    sb_puts(out, ", \"facets\": {");
    ol_facet_head(out, "schema", "1-2-0", "SchemaDatasetFacet");
    sb_puts(out, ", \"fields\": [");
    int *co = lin_sorted_columns(g, d);
    for (int i = 0; i < ds->n_cols; i++) {
        const lin_column *c = &ds->cols[co[i]];
        sb_puts(out, i ? ", {\"name\": " : "{\"name\": ");
        sb_put_json_string(out, c->name);
        if (c->type) {
            sb_puts(out, ", \"type\": ");
            sb_put_json_string(out, c->type);
        }
        sb_printf(out, ", \"ordinal_position\": %d}", i + 1);
    }
    sb_puts(out, "]}");
    bool any = false;
    for (int k = 0; k < g->n_edges && !any; k++)
        any = g->edges[k].to_ds == d && (job < 0 || g->edges[k].job == job);
    if (any) {
        sb_puts(out, ", ");
        ol_facet_head(out, "columnLineage", "1-2-0", "ColumnLineageDatasetFacet");
        sb_puts(out, ", \"fields\": {");
        int nf = 0;
        for (int i = 0; i < ds->n_cols; i++) {
            int col = co[i];
            if (!ol_input_fields(NULL, g, o, eo, d, col, job))
                continue;
            sb_puts(out, nf++ ? ", " : "");
            sb_put_json_string(out, ds->cols[col].name);
            sb_puts(out, ": {\"inputFields\": [");
            ol_input_fields(out, g, o, eo, d, col, job);
            sb_puts(out, "]}");
        }
        /* row-level edges: the facet's dataset-wide input fields */
        sb_puts(out, "}, \"dataset\": [");
        ol_input_fields(out, g, o, eo, d, -1, job);
        sb_puts(out, "]}");
    }
    sb_putc(out, '}');
}

static void put_url(strbuf *out, const lin_emit_opts *o, const char *path)
{
    strbuf u = STRBUF_INIT;
    sb_puts(&u, o->source_url ? o->source_url : (path[0] == '/' ? "file://" : "file:"));
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
            sb_putc(&u, (char)*p);
        else
            sb_printf(&u, "%%%02X", *p);
    }
    sb_put_json_string(out, sb_cstr(&u));
    sb_free(&u);
}

void lin_to_openlineage(const lin_graph *g, const lin_emit_opts *o, strbuf *out)
{
    int *jo = lin_sorted_jobs(g);
    int *dso = lin_sorted_datasets(g);
    int *eo = lin_sorted_edges(g);
    sb_puts(out, "[");
    int n = 0;
    for (int k = 0; k < g->n_jobs; k++) {
        const lin_job *j = &g->jobs[jo[k]];
        sb_puts(out, n++ ? ",\n" : "\n");
        ol_event_head(out, o, "JobEvent");
        sb_puts(out, ", \"job\": {\"namespace\": ");
        sb_put_json_string(out, o->ns ? o->ns : "etlport");
        sb_puts(out, ", \"name\": ");
        sb_put_json_string(out, j->name);
        sb_puts(out, ", \"facets\": {");
        ol_facet_head(out, "jobType", "2-0-4", "JobTypeJobFacet");
        sb_puts(out, ", \"processingType\": \"BATCH\", \"integration\": \"ETLPORT\", \"jobType\": ");
        sb_put_json_string(out, j->format && strcmp(j->format, "informatica") == 0 ? "MAPPING"
                                : j->format && strcmp(j->format, "sql") == 0       ? "QUERY"
                                                                                   : "JOB");
        sb_putc(out, '}');
        if (j->code && j->code_is_sql) {
            sb_puts(out, ", ");
            ol_facet_head(out, "sql", "1-1-0", "SQLJobFacet");
            sb_puts(out, ", \"query\": ");
            sb_put_json_string(out, j->code);
            if (j->language) {
                sb_puts(out, ", \"dialect\": ");
                sb_put_json_string(out, j->language);
            }
            sb_putc(out, '}');
        } else if (j->code) {
            sb_puts(out, ", ");
            ol_facet_head(out, "sourceCode", "1-0-1", "SourceCodeJobFacet");
            sb_puts(out, ", \"language\": ");
            sb_put_json_string(out, j->language ? j->language : (j->format ? j->format : "unknown"));
            sb_puts(out, ", \"sourceCode\": ");
            sb_put_json_string(out, j->code);
            sb_putc(out, '}');
        }
        if (j->file) {
            sb_puts(out, ", ");
            ol_facet_head(out, "sourceCodeLocation", "1-1-0", "SourceCodeLocationJobFacet");
            sb_puts(out, ", \"type\": \"file\", \"url\": ");
            put_url(out, o, j->file);
            sb_puts(out, ", \"path\": ");
            sb_put_json_string(out, j->file);
            sb_putc(out, '}');
        }
        sb_puts(out, "}}, \"inputs\": [");
        int w = 0;
        for (int i = 0; i < g->n_ds; i++)
            for (int x = 0; x < j->reads.n; x++)
                if (j->reads.v[x] == dso[i]) {
                    sb_puts(out, w++ ? ", " : "");
                    ol_dataset_ref(out, o, g->ds[dso[i]].name);
                    sb_putc(out, '}');
                }
        sb_puts(out, "], \"outputs\": [");
        w = 0;
        for (int i = 0; i < g->n_ds; i++)
            for (int x = 0; x < j->writes.n; x++)
                if (j->writes.v[x] == dso[i]) {
                    sb_puts(out, w++ ? ", " : "");
                    ol_dataset_ref(out, o, g->ds[dso[i]].name);
                    ol_dataset_facets(out, g, o, dso[i], jo[k], eo);
                    sb_putc(out, '}');
                }
        sb_puts(out, "]}");
    }
    for (int i = 0; i < g->n_ds; i++) {
        sb_puts(out, n++ ? ",\n" : "\n");
        ol_event_head(out, o, "DatasetEvent");
        sb_puts(out, ", \"dataset\": ");
        ol_dataset_ref(out, o, g->ds[dso[i]].name);
        ol_dataset_facets(out, g, o, dso[i], -1, eo);
        sb_puts(out, "}}");
    }
    sb_puts(out, n ? "\n]\n" : "]\n");
}
