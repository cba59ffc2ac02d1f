/*
 * abi_graph.c — the graph model shared by the .mp and deployed-script readers: building
 * components, ports, flows and parameters, and recognising which component a template path or an
 * `mp` command name stands for. Which names are certain and which inferred is in the tables below
 * (marks from ../shared/abinitio-formats.md, §3.5 and §4.5).
 */
#include "frontends/abinitio/abi_graph_internal.h"

#include <string.h>

abi_comp *abi_graph_add_comp(abi_graph *g, arena *a, const char *name, int line, int col)
{
    if (g->n_comps == g->cap_comps) {
        int cap = g->cap_comps ? g->cap_comps * 2 : 16;
        g->comps = arena_grow(a, g->comps, (size_t)g->cap_comps, (size_t)cap, sizeof *g->comps);
        g->cap_comps = cap;
    }
    abi_comp *c = &g->comps[g->n_comps++];
    memset(c, 0, sizeof *c);
    c->name = name;
    c->phase = -1;
    c->line = line;
    c->col = col;
    return c;
}

int abi_graph_comp_index(const abi_graph *g, const char *name)
{
    for (int i = 0; i < g->n_comps; i++)
        if (strcmp(g->comps[i].name, name) == 0)
            return i;
    return -1;
}

abi_gparam *abi_params_add(abi_gparam **v, int *n, int *cap, arena *a, const char *name, const char *value)
{
    for (int i = 0; i < *n; i++)
        if (strcmp((*v)[i].name, name) == 0) { /* a later value replaces an earlier one */
            (*v)[i].value = value;
            return &(*v)[i];
        }
    if (*n == *cap) {
        int nc = *cap ? *cap * 2 : 8;
        *v = arena_grow(a, *v, (size_t)*cap, (size_t)nc, sizeof **v);
        *cap = nc;
    }
    abi_gparam *p = &(*v)[(*n)++];
    memset(p, 0, sizeof *p);
    p->name = name;
    p->value = value ? value : "";
    return p;
}

abi_gparam *abi_comp_set(abi_comp *c, arena *a, const char *name, const char *value)
{
    return abi_params_add(&c->params, &c->n_params, &c->cap_params, a, name, value);
}

const abi_gparam *abi_comp_param(const abi_comp *c, const char *name)
{
    for (int i = 0; i < c->n_params; i++)
        if (strcmp(c->params[i].name, name) == 0)
            return &c->params[i];
    return NULL;
}

const char *abi_comp_value(const abi_comp *c, const char *name)
{
    const abi_gparam *p = abi_comp_param(c, name);
    return p && p->value && *p->value ? p->value : NULL;
}

void abi_comp_add_port(abi_comp *c, arena *a, const char *name, bool is_out)
{
    for (int i = 0; i < c->n_ports; i++)
        if (strcmp(c->ports[i].name, name) == 0)
            return;
    if (c->n_ports == c->cap_ports) {
        int cap = c->cap_ports ? c->cap_ports * 2 : 4;
        c->ports = arena_grow(a, c->ports, (size_t)c->cap_ports, (size_t)cap, sizeof *c->ports);
        c->cap_ports = cap;
    }
    c->ports[c->n_ports].name = name;
    c->ports[c->n_ports].is_out = is_out;
    c->n_ports++;
}

abi_flow *abi_graph_add_flow(abi_graph *g, arena *a, int from, const char *from_port, int to, const char *to_port,
                             int line, int col)
{
    if (g->n_flows == g->cap_flows) {
        int cap = g->cap_flows ? g->cap_flows * 2 : 16;
        g->flows = arena_grow(a, g->flows, (size_t)g->cap_flows, (size_t)cap, sizeof *g->flows);
        g->cap_flows = cap;
    }
    abi_flow *f = &g->flows[g->n_flows++];
    memset(f, 0, sizeof *f);
    f->from = from;
    f->to = to;
    f->from_port = from_port;
    f->to_port = to_port;
    f->line = line;
    f->col = col;
    return f;
}

/* ---- which component is it ---- */

/* `mp` command names (deployed scripts, and the prototype's `mpname`) and the component each
 * stands for. The mark is the reference's (§3.5, §4.5); an mp name not listed is unknown. */
static const struct {
    const char *mpname, *kind;
} mp_names[] = {
    {"reformat-transform", "Reformat"},         /* [C] */
    {"select-transform", "Filter by Expression"}, /* [I] summary of a deployed script */
    {"join", "Join"},                           /* [C] (stored as ?join) */
    {"dedup", "Dedup Sorted"},                  /* [C] */
    {"rollup", "Rollup"},                       /* [I] */
    {"scan", "Scan"},                           /* [I] */
    {"local-sort", "Sort"},                     /* [C] */
    {"ofile", "Output File"},                   /* [C] */
    {"ifile", "Input File"},                    /* [I] (counterpart of ofile, not seen) */
    {"itable", "Input Table"},                  /* [C] */
    {"db-lookup", "Join with DB"},              /* [C] */
    {"filter", "Run Program"},                  /* [C] */
    {"broadcast", "Broadcast"},                 /* [C] */
};

const char *abi_kind_from_mpname(const char *mpname)
{
    if (!mpname)
        return NULL;
    if (mpname[0] == '?') /* `?join`: the stored form of join [C] */
        mpname++;
    for (size_t i = 0; i < sizeof mp_names / sizeof mp_names[0]; i++)
        if (strcmp(mp_names[i].mpname, mpname) == 0)
            return mp_names[i].kind;
    return NULL;
}

/* Component names from public component lists [C names, §3.5]. */
static const char *const known_kinds[] = {
    "Reformat", "Filter by Expression", "Join", "Dedup Sorted", "Rollup", "Scan", "Sort", "Input File",
    "Output File", "Intermediate File", "Lookup File", "Input Table", "Output Table", "Normalize",
    "Denormalize Sorted", "Merge", "Gather", "Concatenate", "Replicate", "Partition by Key",
    "Partition by Round-robin", "Partition by Expression", "Run SQL", "Redefine Format", "Aggregate",
    "Create Data", "Join with DB", "Run Program", "Broadcast", "Interleave", "Trash", "Update Table",
    "Truncate Table", "Leading Records", "Partition by Range", "Partition by Percentage",
    "Partition with Load Balance",
};

/* [I] The template file is named after the component with blanks as underscores
 * (`$AB_COMPONENTS/Transform/Filter_by_Expression.mpc`, `Dedup_Sorted.mpc`,
 * `Datasets/Output_File.mdc`, `Validate/Create_Data.mpc` are attested; the rule for the other
 * names is our reading). Only the file name counts, not the folder. */
const char *abi_kind_from_template(const char *path)
{
    if (!path)
        return NULL;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && (strcmp(base + n - 4, ".mpc") == 0 || strcmp(base + n - 4, ".mdc") == 0))
        n -= 4;
    for (size_t i = 0; i < sizeof known_kinds / sizeof known_kinds[0]; i++) {
        const char *k = known_kinds[i];
        if (strlen(k) != n)
            continue;
        size_t j = 0;
        for (; j < n; j++) {
            char c = base[j] == '_' ? ' ' : base[j];
            if (c != k[j])
                break;
        }
        if (j == n)
            return k;
    }
    return NULL;
}
