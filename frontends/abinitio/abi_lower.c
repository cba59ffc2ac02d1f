/*
 * abi_lower.c — lowers one Ab Initio graph (abi_graph.h) into one ir_job.
 *
 * Components are visited in flow order; each becomes one IR node or a short chain (a Reformat's
 * `select` is a filter before its project; a Dedup Sorted that keeps unique records only is a
 * window, a filter and a project). Connected reject, dup and unused ports whose records the IR can
 * describe exactly are streams of such nodes too ("secondary output streams" below); error and
 * log ports are holes. Record formats come from the `<port>_metadata` parameters
 * (after "same as" propagation) or the deployed script's flow metadata; transforms from the
 * `transform*` parameters, embedded or by file. Every reading that the reference marks inferred
 * [I] is one function below, named in its comment; what it marks unknown [U] is a hole (a
 * procedure node listing the component's parameters, or an expression hole), never a guess.
 */
#include "frontends/abinitio/abi_graph_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEMP_NODE (-7) /* the node id `temp.f` resolves to while reading expanded Rollup/Scan */

/* Denormalize Sorted [I] (reference §3.5-3.6: a name and a one-line meaning only; §7: its transform
 * signatures are unknown) stays a hole whatever its transform holds: the IR could hold the vector
 * (array_agg), but which function runs when, and over what, would be invented. */
#define DENORMALIZE_WHY                                                                                               \
    "Denormalize Sorted [I] gathers the consecutive records of each key group into one output record that holds "     \
    "them as a vector; the IR can hold the vector (array_agg, as a template Rollup's accumulation is lowered), but "  \
    "which functions its transform has, when each runs (per record or per group) and what it is given are not "      \
    "publicly known [U]: a template Rollup with accumulation or vector_concatenation says the same where it is meant"

#define ERROR_PORT_WHY                                                                                               \
    "the error port carries the error text of rejected records (Ab Initio's messages): no IR form"
#define LOG_PORT_WHY "the log port carries the component's log records: no IR form"

typedef struct port_out {
    int comp;
    const char *port;
    int node; /* IR node id */
} port_out;

typedef struct lw {
    const abi_graph *g;
    const abi_lower_opts *opt;
    diag_ctx *dc;
    ir_job *job;
    ir_job *scratch; /* record formats that are not datasets are turned into columns here */
    int n_scratch;   /* datasets made in scratch (their names r1, r2 ...) */
    arena *a;        /* == job->arena */
    const char *file;
    abi_pset vals;   /* graph parameter values: defaults, then the pset's */
    port_out *outs;
    int n_outs, cap_outs;
    const char *urls[256], *url_names[256]; /* file URL → dataset name */
    int n_urls;
    int *lookup_src; /* per component: the source node of a Lookup File, made when first used */
    int norm_index;  /* Normalize: the value of `index` while its transform is read; -1 otherwise */
    const ir_expr *norm_index_expr; /* Normalize with a per-record length: `index` as an expression
                                       (occurrence - 1) while its transform is read; NULL otherwise */
    int n_errors;
} lw;

static void lw_error(lw *L, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void lw_error(lw *L, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(L->dc, DIAG_ERROR, NULL, L->g->path, line, col, fmt, ap);
    va_end(ap);
    L->n_errors++;
}

static void set_out(lw *L, int comp, const char *port, int node)
{
    if (L->n_outs == L->cap_outs) {
        int nc = L->cap_outs ? L->cap_outs * 2 : 32;
        L->outs = arena_grow(L->a, L->outs, (size_t)L->cap_outs, (size_t)nc, sizeof *L->outs);
        L->cap_outs = nc;
    }
    L->outs[L->n_outs++] = (port_out){comp, ir_intern(L->job, port), node};
}

static int get_out(lw *L, int comp, const char *port)
{
    for (int i = 0; i < L->n_outs; i++)
        if (L->outs[i].comp == comp && strcmp(L->outs[i].port, port) == 0)
            return L->outs[i].node;
    return 0;
}

/* ---- component parameters ---- */

/* [I] interpretation codes (reference §4.4): 1 / flag `l` is constant text, not substituted. */
static bool param_is_constant(const abi_gparam *p)
{
    return p->interp == 1 || (p->flags && strcmp(p->flags, "l") == 0);
}

/* A parameter's value with sandbox and graph parameters substituted (unless constant). */
static const char *pval(lw *L, const abi_comp *c, const char *name)
{
    const abi_gparam *p = abi_comp_param(c, name);
    if (!p || !p->value || !*p->value)
        return NULL;
    if (param_is_constant(p))
        return p->value;
    return abi_subst(L->a, p->value, L->opt->sandbox, &L->vals);
}

static bool truthy(const char *v)
{
    return v && (!strcmp(v, "True") || !strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "TRUE"));
}

static ir_node *new_node(lw *L, ir_op op, const abi_comp *c)
{
    ir_node *n = ir_node_add(L->job, op, ir_intern(L->job, c->name));
    n->legacy_type = c->kind ? ir_intern(L->job, c->kind) : NULL;
    n->span.file = L->file;
    n->span.line = c->line;
    n->span.col = c->col;
    if (c->phase >= 0)
        ir_node_add_prop(L->job, n, "phase", arena_printf(L->a, "%d", c->phase));
    if (c->subgraph)
        ir_node_add_prop(L->job, n, "subgraph", c->subgraph);
    return n;
}

static void pass_cols(lw *L, ir_node *n, int input)
{
    ir_node *in = ir_job_node(L->job, input);
    for (int i = 0; in && i < in->n_cols; i++) {
        ir_expr *r = ir_ref(L->job, input, in->cols[i].name);
        r->type = in->cols[i].type;
        ir_column *col = ir_node_add_col(L->job, n, in->cols[i].name, in->cols[i].type, r);
        col->flags = in->cols[i].flags & (IR_COL_NOT_NULL | IR_COL_ORDER_DEPENDENT);
        col->tags = in->cols[i].tags;
    }
}

/* Every $NAME / ${NAME} left in s (not a sandbox parameter) becomes a run-time job parameter. */
static void declare_params_in(lw *L, const char *s)
{
    for (const char *p = s ? strchr(s, '$') : NULL; p; p = strchr(p + 1, '$')) {
        const char *q = p + 1;
        if (*q == '{')
            q++;
        const char *e = q;
        while (*e == '_' || (*e >= 'A' && *e <= 'Z') || (*e >= 'a' && *e <= 'z') || (e > q && *e >= '0' && *e <= '9'))
            e++;
        if (e == q)
            continue;
        const char *name = ir_intern(L->job, arena_strndup(L->a, q, (size_t)(e - q)));
        if (!ir_job_param(L->job, name)) {
            ir_param *prm = ir_job_add_param(L->job, name);
            prm->type = ir_type_make(IR_TY_STRING, 0, 0);
        }
    }
}

/* Substitutes sandbox parameters only: graph parameters stay run-time parameters. */
static const char *sandbox_subst(lw *L, const char *s)
{
    const char *r = abi_subst(L->a, s, L->opt->sandbox, NULL);
    declare_params_in(L, r);
    return r;
}

/* ---- record formats and transforms ---- */

static bool looks_embedded(const char *v)
{
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
        v++;
    if (strchr(v, '\n'))
        return true;
    static const char *const starts[] = {"record", "utf8", "type", "metadata", "include", "out", "let", "/*", "//"};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
        if (!strncmp(v, starts[i], strlen(starts[i])))
            return true;
    return false;
}

/* The text of a DML/XFR parameter: embedded, or read from the file it names. *path_out is the
 * file to name in messages; *pad the (line, col) the text starts at in that file. */
typedef struct text_ref {
    const char *text, *path;
    size_t len;
    int line, col;
} text_ref;

static int param_text(lw *L, const abi_comp *c, const char *name, text_ref *out)
{
    const abi_gparam *p = abi_comp_param(c, name);
    if (!p || !p->value || !*p->value)
        return -1;
    if (looks_embedded(p->value)) {
        out->text = p->value;
        out->len = strlen(p->value);
        out->path = L->g->path;
        out->line = p->line ? p->line : c->line;
        out->col = p->line ? p->col : c->col;
        return 0;
    }
    const char *path = abi_subst(L->a, p->value, L->opt->sandbox, &L->vals);
    if (!strncmp(path, "file:", 5))
        path = path + 5;
    if (L->opt->embedded_only) {
        lw_error(L, p->line ? p->line : c->line, p->line ? p->col : c->col,
                 "%s: parameter %s names the file '%s', which is not read here", c->name, name, path);
        return -1;
    }
    if (strchr(path, '$')) {
        lw_error(L, p->line ? p->line : c->line, p->line ? p->col : c->col,
                 "%s: parameter %s names '%s', which holds a parameter with no value", c->name, name, path);
        return -1;
    }
    size_t len;
    char *t = abi_read_file(L->a, path, &len);
    if (!t) {
        lw_error(L, p->line ? p->line : c->line, p->line ? p->col : c->col, "%s: cannot read %s '%s'", c->name,
                 name, path);
        return -1;
    }
    out->text = t;
    out->len = len;
    out->path = arena_strdup(L->a, path);
    out->line = out->col = 1;
    return 0;
}

/* Pads text so positions in it are positions in the file it is embedded in. */
static const char *padded(lw *L, const text_ref *t, size_t *len)
{
    if (t->line <= 1 && t->col <= 1) {
        *len = t->len;
        return t->text;
    }
    strbuf sb = STRBUF_INIT;
    for (int i = 1; i < t->line; i++)
        sb_putc(&sb, '\n');
    for (int i = 1; i < t->col; i++)
        sb_putc(&sb, ' ');
    sb_putn(&sb, t->text, t->len);
    *len = sb.len;
    char *r = arena_strndup(L->a, sb_cstr(&sb), sb.len);
    sb_free(&sb);
    return r;
}

static const abi_record *load_record(lw *L, const abi_comp *c, const char *param)
{
    text_ref t;
    if (param_text(L, c, param, &t) != 0)
        return NULL;
    size_t len;
    const char *text = padded(L, &t, &len);
    if (strstr(text, "include")) /* include paths may use sandbox parameters [C] */
        text = abi_subst(L->a, text, L->opt->sandbox, &L->vals), len = strlen(text);
    abi_dml *d = NULL;
    if (abi_dml_parse(&d, L->a, t.path, text, len, L->dc) != 0)
        L->n_errors++;
    if (!d || !d->record) {
        lw_error(L, c->line, c->col, "%s: %s holds no record format", c->name, param);
        return NULL;
    }
    return d->record;
}

/* The record format on a port: the deployed script's flow metadata, else `<port>_metadata`. */
static const abi_record *port_record(lw *L, int ci, const char *port)
{
    const abi_comp *c = &L->g->comps[ci];
    for (int i = 0; i < L->g->n_flows; i++) {
        const abi_flow *f = &L->g->flows[i];
        if (!f->metadata)
            continue;
        if ((f->from == ci && !strcmp(f->from_port, port)) || (f->to == ci && !strcmp(f->to_port, port))) {
            abi_dml *d = NULL;
            const char *mp = f->metadata_path ? f->metadata_path : L->g->path;
            if (abi_dml_parse(&d, L->a, mp, f->metadata, strlen(f->metadata), L->dc) != 0)
                L->n_errors++;
            if (d && d->record)
                return d->record;
        }
    }
    char *pn = arena_printf(L->a, "%s_metadata", port);
    if (abi_comp_param(c, pn) && *abi_comp_param(c, pn)->value)
        return load_record(L, c, pn);
    return NULL;
}

/* Columns (name, type, nullability) of a record format. */
static ir_dataset *record_cols(lw *L, const abi_record *r)
{
    return abi_record_to_dataset(L->scratch, r, arena_printf(L->scratch->arena, "r%d", ++L->n_scratch));
}

/* ---- XFR resolution ---- */

typedef struct xenv {
    lw *L;
    const char *recs[8]; /* "in", "in0", "temp" ... */
    int nodes[8];
    int n;
    const ir_dataset *out; /* the output record (nullability), or NULL */
    const char *prefix[8]; /* the node's columns for recs[i] are named prefix + field (chained joins) */
} xenv;

static ir_expr *xresolve(void *ud, const char *rec, const char *field)
{
    xenv *x = ud;
    for (int i = 0; i < x->n; i++) {
        if (strcmp(x->recs[i], rec) != 0)
            continue;
        if (x->nodes[i] == TEMP_NODE)
            return ir_ref(x->L->job, TEMP_NODE, ir_intern(x->L->job, field));
        ir_node *n = ir_job_node(x->L->job, x->nodes[i]);
        const char *nm = x->prefix[i] ? arena_printf(x->L->a, "%s%s", x->prefix[i], field) : field;
        ir_column *c = n ? ir_node_col(n, nm) : NULL;
        if (!c)
            return NULL;
        ir_expr *r = ir_ref(x->L->job, n->id, c->name);
        r->type = c->type;
        return r;
    }
    return NULL;
}

static bool xnullable(void *ud, const char *out, const char *field)
{
    xenv *x = ud;
    (void)out;
    if (!x->out)
        return false;
    for (int i = 0; i < x->out->n_cols; i++)
        if (!strcmp(x->out->cols[i].name, field))
            return !(x->out->cols[i].flags & IR_COL_NOT_NULL);
    return false;
}

/* A transform parameter that is not a record, used as a value: Normalize's `index`. */
static ir_expr *xparam(void *ud, const char *name)
{
    xenv *x = ud;
    for (int i = 0; i < x->n; i++)
        if (!strcmp(x->recs[i], name))
            return NULL;
    if (x->L->norm_index_expr)
        return ir_expr_copy(x->L->job, x->L->norm_index_expr);
    return x->L->norm_index >= 0 ? ir_lit_int(x->L->job, x->L->norm_index) : NULL;
}

static abi_xfr *load_xfr(lw *L, const abi_comp *c, const char *param, xenv *x)
{
    text_ref t;
    if (param_text(L, c, param, &t) != 0)
        return NULL;
    size_t len;
    const char *text = padded(L, &t, &len);
    abi_xfr_ctx ctx = {L->job, xresolve, xnullable, x, xparam};
    abi_xfr *xf = NULL;
    if (abi_parse_xfr(&xf, &ctx, t.path, text, len, L->dc) != 0)
        L->n_errors++;
    return xf;
}

/* The transform's main function: the one named `name`, else the last one. */
static const abi_transform *main_fn(const abi_xfr *xf, const char *name)
{
    if (!xf || xf->n_fns == 0)
        return NULL;
    for (int i = 0; i < xf->n_fns; i++)
        if (name && xf->fns[i].name && !strcmp(xf->fns[i].name, name))
            return &xf->fns[i];
    return &xf->fns[xf->n_fns - 1];
}

static const abi_out_rule *rule_for(const abi_transform *t, const char *field)
{
    for (int i = 0; t && i < t->n_rules; i++)
        if (t->rules[i].field && !strcmp(t->rules[i].field, field))
            return &t->rules[i];
    return NULL;
}

static ir_column *add_rule_col(lw *L, ir_node *n, const char *name, const abi_out_rule *r, ir_type ty)
{
    ir_column *col = ir_node_add_col(L->job, n, ir_intern(L->job, name), ty, r->expr);
    col->legacy = r->legacy ? ir_intern(L->job, r->legacy) : NULL;
    col->span.file = r->expr && r->expr->span.file ? r->expr->span.file : L->file;
    col->span.line = r->line;
    col->span.col = r->col;
    if (r->note)
        ir_node_add_prop(L->job, n, arena_printf(L->a, "note %s", name), r->note);
    return col;
}

/* A wildcard `out.* :: inX.*` copies same-named fields [C]: which of x's records it reads, or -1. */
static int wildcard_rec(const xenv *x, const abi_out_rule *r)
{
    for (int i = 0; i < x->n; i++)
        if (r->wildcard_from && !strcmp(x->recs[i], r->wildcard_from))
            return i;
    return -1;
}

/* A reference to field `name` of x's record i, or NULL when it has no such field. */
static ir_expr *rec_field(lw *L, const xenv *x, int i, const char *name)
{
    if (i < 0)
        return NULL;
    ir_node *src = ir_job_node(L->job, x->nodes[i]);
    const char *nm = x->prefix[i] ? arena_printf(L->a, "%s%s", x->prefix[i], name) : name;
    ir_column *sc = src ? ir_node_col(src, nm) : NULL;
    if (!sc)
        return NULL;
    ir_expr *e = ir_ref(L->job, src->id, sc->name);
    e->type = sc->type;
    return e;
}

/* Output columns of a transform onto n: with a known output record, one column per field (a rule,
 * else a wildcard copy, else a hole); without one, the rules in order, wildcards expanded. */
static void transform_cols(lw *L, ir_node *n, const abi_transform *t, const xenv *x, const ir_dataset *out,
                           const abi_comp *c)
{
    if (out) {
        for (int i = 0; i < out->n_cols; i++) {
            const ir_column *oc = &out->cols[i];
            const abi_out_rule *r = rule_for(t, oc->name);
            if (r && r->expr) {
                ir_column *col = add_rule_col(L, n, oc->name, r, oc->type);
                col->flags |= oc->flags & IR_COL_NOT_NULL;
                continue;
            }
            ir_expr *e = NULL;
            for (int k = 0; t && k < t->n_rules && !e; k++)
                if (t->rules[k].field && !strcmp(t->rules[k].field, "*"))
                    e = rec_field(L, x, wildcard_rec(x, &t->rules[k]), oc->name);
            if (!e && !t) /* no transform: default record assignment (same-named fields) [C] */
                for (int k = 0; k < x->n && !e; k++)
                    e = rec_field(L, x, k, oc->name);
            if (!e)
                e = ir_hole(L->job, arena_printf(L->a, "out.%s", oc->name),
                            "no rule of the transform assigns this output field");
            ir_column *col = ir_node_add_col(L->job, n, oc->name, oc->type, e);
            col->flags |= oc->flags & IR_COL_NOT_NULL;
        }
        return;
    }
    if (!t) { /* no transform and no format: default record assignment copies the input [C] */
        (void)c;
        pass_cols(L, n, x->nodes[0]);
        return;
    }
    for (int i = 0; i < t->n_rules; i++) {
        const abi_out_rule *r = &t->rules[i];
        if (r->field && !strcmp(r->field, "*")) {
            int wi = wildcard_rec(x, r);
            ir_node *src = wi >= 0 ? ir_job_node(L->job, x->nodes[wi]) : NULL;
            size_t pl = src && x->prefix[wi] ? strlen(x->prefix[wi]) : 0;
            for (int k = 0; src && k < src->n_cols; k++) {
                const char *nm = src->cols[k].name;
                if ((pl && strncmp(nm, x->prefix[wi], pl) != 0) || (src->cols[k].flags & IR_COL_OCCURRENCE))
                    continue; /* a Normalize's occurrence number is no field of its input record */
                nm = ir_intern(L->job, nm + pl);
                if (rule_for(t, nm) || ir_node_col(n, nm))
                    continue;
                ir_expr *e = ir_ref(L->job, src->id, src->cols[k].name);
                e->type = src->cols[k].type;
                ir_node_add_col(L->job, n, nm, src->cols[k].type, e);
            }
        } else if (r->field && r->expr && !ir_node_col(n, r->field)) {
            add_rule_col(L, n, r->field, r, ir_type_make(IR_TY_UNKNOWN, 0, 0));
        }
    }
}

static bool has_agg(const ir_expr *e);

/* An aggregation function outside Rollup/Scan has no meaning in a row-by-row node: a hole. */
static void no_aggregates(lw *L, ir_node *n)
{
    for (int i = 0; i < n->n_cols; i++)
        if (n->cols[i].expr && has_agg(n->cols[i].expr))
            n->cols[i].expr = ir_hole(L->job, n->cols[i].legacy ? n->cols[i].legacy : n->cols[i].name,
                                      "an aggregation function outside Rollup/Scan");
}

static void transform_notes(lw *L, ir_node *n, const abi_transform *t)
{
    for (int i = 0; t && i < t->n_holes; i++)
        ir_node_add_prop(L->job, n, "untranslated statement", t->holes[i]);
}

/* ---- key specifiers ---- */

typedef struct keyspec {
    const char *names[32];
    bool desc[32];
    int n;
} keyspec;

/* `{a; b descending; c}` [C] (also a bare field name). Returns 0, or -1 after an error. */
static int parse_key(lw *L, const abi_comp *c, const char *text, keyspec *k)
{
    k->n = 0;
    if (!text)
        return 0;
    const char *s = text;
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    bool braced = *s == '{';
    if (braced)
        s++;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == ';' || *s == ',')
            s++;
        if (!*s || *s == '}')
            break;
        const char *st = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != ';' && *s != ',' && *s != '}')
            s++;
        char *name = arena_strndup(L->a, st, (size_t)(s - st));
        if (!strncmp(name, "in.", 3))
            name += 3;
        while (*s == ' ' || *s == '\t')
            s++;
        bool desc = false;
        if (!strncmp(s, "descending", 10)) {
            desc = true;
            s += 10;
        } else if (!strncmp(s, "ascending", 9)) {
            s += 9;
        } else if (*s && *s != ';' && *s != '}' && *s != ',' && *s != '\n') {
            lw_error(L, c->line, c->col, "%s: key specifier '%s': unknown modifier after '%s'", c->name, text, name);
            return -1;
        }
        if (k->n == 32) {
            lw_error(L, c->line, c->col, "%s: more than 32 key fields", c->name);
            return -1;
        }
        k->names[k->n] = name;
        k->desc[k->n] = desc;
        k->n++;
    }
    if (braced && *s != '}') {
        lw_error(L, c->line, c->col, "%s: key specifier '%s' is not closed by '}'", c->name, text);
        return -1;
    }
    return 0;
}

static ir_expr *key_ref(lw *L, const abi_comp *c, int node, const char *name)
{
    ir_node *n = ir_job_node(L->job, node);
    ir_column *col = n ? ir_node_col(n, name) : NULL;
    if (!col) {
        lw_error(L, c->line, c->col, "%s: key field '%s' is not a field of the input", c->name, name);
        return NULL;
    }
    ir_expr *r = ir_ref(L->job, node, col->name);
    r->type = col->type;
    return r;
}

/* ---- inputs ---- */

/* The IR nodes feeding component ci, in port order (in, in0, in1 ...; several flows into one
 * port in flow order). Returns how many; ports[] names each one's port. */
static int inputs_of(lw *L, int ci, int *nodes, const char **ports, int max)
{
    int n = 0;
    /* port order: by name, so in0 < in1 < in10 is wrong only past ten inputs */
    const char *order[64];
    int n_order = 0;
    for (int i = 0; i < L->g->n_flows; i++) {
        const abi_flow *f = &L->g->flows[i];
        if (f->to != ci)
            continue;
        int seen = 0;
        for (int k = 0; k < n_order; k++)
            seen |= !strcmp(order[k], f->to_port);
        if (!seen && n_order < 64)
            order[n_order++] = f->to_port;
    }
    for (int i = 1; i < n_order; i++) /* insertion sort by (length, name) */
        for (int k = i; k > 0; k--) {
            size_t la = strlen(order[k - 1]), lb = strlen(order[k]);
            if (la > lb || (la == lb && strcmp(order[k - 1], order[k]) > 0)) {
                const char *t = order[k - 1];
                order[k - 1] = order[k];
                order[k] = t;
            }
        }
    for (int k = 0; k < n_order; k++)
        for (int i = 0; i < L->g->n_flows && n < max; i++) {
            const abi_flow *f = &L->g->flows[i];
            if (f->to != ci || strcmp(f->to_port, order[k]) != 0)
                continue;
            int node = get_out(L, f->from, f->from_port);
            if (!node)
                continue; /* the upstream port has no IR form (reported there) */
            nodes[n] = node;
            ports[n] = f->to_port;
            n++;
        }
    return n;
}

static int input_on(lw *L, int ci, const char *port)
{
    int nodes[64];
    const char *ports[64];
    int n = inputs_of(L, ci, nodes, ports, 64);
    for (int i = 0; i < n; i++)
        if (!strcmp(ports[i], port))
            return nodes[i];
    return 0;
}

static bool port_used(lw *L, int ci, const char *port)
{
    for (int i = 0; i < L->g->n_flows; i++)
        if (L->g->flows[i].from == ci && !strcmp(L->g->flows[i].from_port, port))
            return true;
    return false;
}

/* A procedure node (a hole) for what has no IR form: its parameters are listed as props. */
static ir_node *hole_node(lw *L, const abi_comp *c, int *inputs, int n_in, const char *reason)
{
    ir_node *n = new_node(L, IR_OP_PROCEDURE, c);
    for (int i = 0; i < n_in; i++)
        ir_node_add_input(L->job, n, inputs[i]);
    n->hole_reason = ir_intern(L->job, reason);
    strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s %s", c->kind ? c->kind : c->template ? c->template : c->mpname ? c->mpname : "component",
              c->name);
    for (int i = 0; i < c->n_params; i++) {
        const abi_gparam *p = &c->params[i];
        if (!p->value || !*p->value || p->name[0] == '.' || !strcmp(p->name, "mpname"))
            continue;
        ir_node_add_prop(L->job, n, p->name, p->value);
        sb_printf(&sb, "\n%s = %s", p->name, p->value);
    }
    n->legacy = ir_intern(L->job, sb_cstr(&sb));
    sb_free(&sb);
    return n;
}

static void hole_port(lw *L, int ci, const char *port, int input, const char *reason)
{
    if (!port_used(L, ci, port))
        return;
    const abi_comp *c = &L->g->comps[ci];
    abi_comp tmp = *c;
    tmp.name = arena_printf(L->a, "%s.%s", c->name, port);
    ir_node *n = hole_node(L, &tmp, &input, input ? 1 : 0, reason);
    set_out(L, ci, port, n->id);
}

/* `select` / `select_expr` as a predicate over node `in`: a number is true when non-zero [C]. */
static ir_expr *select_pred(lw *L, const abi_comp *c, const char *param, int in)
{
    const abi_gparam *p = abi_comp_param(c, param);
    if (!p || !p->value || !*p->value)
        return NULL;
    xenv x = {L, {"in"}, {in}, 1, NULL, {NULL}};
    abi_xfr_ctx ctx = {L->job, xresolve, NULL, &x, xparam};
    text_ref t = {p->value, L->g->path, strlen(p->value), p->line ? p->line : c->line, p->line ? p->col : c->col};
    size_t len;
    const char *text = padded(L, &t, &len);
    ir_expr *e = abi_parse_expr(&ctx, L->g->path, text, len, L->dc);
    if (!e) {
        L->n_errors++;
        return NULL;
    }
    bool is_bool = e->type.kind == IR_TY_BOOL ||
                   (e->kind == IR_EX_CALL && ir_fn_get(e->u.call.fn)->type_rule == TR_BOOL) ||
                   (e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_BOOL);
    bool is_number = ir_type_is_numeric(e->type) || (e->kind == IR_EX_LIT && (e->u.lit.kind == IR_LIT_INT ||
                                                                              e->u.lit.kind == IR_LIT_DECIMAL));
    if (!is_bool && is_number)
        e = ir_call2(L->job, IR_FN_NE, e, ir_lit_int(L->job, 0));
    return e;
}

static int filter_node(lw *L, const abi_comp *c, int in, ir_expr *pred, const char *legacy, const char *suffix)
{
    abi_comp tmp = *c;
    if (suffix)
        tmp.name = arena_printf(L->a, "%s.%s", c->name, suffix);
    ir_node *n = new_node(L, IR_OP_FILTER, &tmp);
    ir_node_add_input(L->job, n, in);
    n->predicate = pred;
    n->legacy = legacy ? ir_intern(L->job, legacy) : NULL;
    pass_cols(L, n, in);
    return n->id;
}

/* ---- secondary output streams (reject, dup, unused) ---- */

/* Whether e can be NULL as far as the IR shows: a NULL literal, a column not declared NOT NULL, a
 * parameter, a hole, or a call whose null rule lets a NULL through (coalesce: when every argument
 * can; if: when a branch can). Only prunes reject tests that could never be true; a kept test is exact either way. */
static bool may_be_null(lw *L, const ir_expr *e)
{
    switch (e->kind) {
    case IR_EX_LIT:
        return e->u.lit.kind == IR_LIT_NULL;
    case IR_EX_REF: {
        ir_node *n = ir_job_node(L->job, e->u.ref.node);
        ir_column *col = n ? ir_node_col(n, e->u.ref.col) : NULL;
        return !col || !(col->flags & IR_COL_NOT_NULL);
    }
    case IR_EX_CALL: {
        const ir_fn_info *fi = ir_fn_get(e->u.call.fn);
        if (e->u.call.fn == IR_FN_IF) /* a NULL condition takes the else branch */
            return may_be_null(L, e->u.call.args[1]) || may_be_null(L, e->u.call.args[2]);
        if (e->u.call.fn == IR_FN_COALESCE) {
            for (int i = 0; i < e->u.call.n_args; i++)
                if (!may_be_null(L, e->u.call.args[i]))
                    return false;
            return true;
        }
        if (fi->null_rule == NR_NEVER)
            return false;
        if (fi->null_rule != NR_STRICT)
            return true;
        for (int i = 0; i < e->u.call.n_args; i++)
            if (may_be_null(L, e->u.call.args[i]))
                return true;
        return false;
    }
    default:
        return true;
    }
}

static bool has_hole(const ir_expr *e)
{
    if (!e || e->kind == IR_EX_HOLE)
        return e != NULL;
    for (int i = 0; e->kind == IR_EX_CALL && i < e->u.call.n_args; i++)
        if (has_hole(e->u.call.args[i]))
            return true;
    return false;
}

/* Points e's references to node `from` at node `to` (a filter passing the same columns), in place. */
static void retarget_refs(ir_expr *e, int from, int to)
{
    if (e->kind == IR_EX_REF && e->u.ref.node == from)
        e->u.ref.node = to;
    for (int i = 0; e->kind == IR_EX_CALL && i < e->u.call.n_args; i++)
        retarget_refs(e->u.call.args[i], from, to);
}

/* A copy of e whose references to node `from` read node `to`. */
static ir_expr *retarget(lw *L, const ir_expr *e, int from, int to)
{
    ir_expr *c = ir_expr_copy(L->job, e);
    retarget_refs(c, from, to);
    return c;
}

/* A project of node `from` onto the columns of node `like` (same names): a stream back to the
 * record it carries when `from` added columns (a window's counter, a lookup's fields). Named
 * `<component>.<suffix>`, or after the component when suffix is NULL. */
static int project_like(lw *L, const abi_comp *c, const char *suffix, int from, int like)
{
    abi_comp tmp = *c;
    if (suffix)
        tmp.name = arena_printf(L->a, "%s.%s", c->name, suffix);
    ir_node *p = new_node(L, IR_OP_PROJECT, &tmp);
    ir_node_add_input(L->job, p, from);
    ir_node *ln = ir_job_node(L->job, like), *fn = ir_job_node(L->job, from);
    for (int i = 0; ln && i < ln->n_cols; i++) {
        ir_column *fc = ir_node_col(fn, ln->cols[i].name);
        if (!fc)
            continue;
        ir_expr *r = ir_ref(L->job, from, fc->name);
        r->type = fc->type;
        ir_column *col = ir_node_add_col(L->job, p, fc->name, fc->type, r);
        col->flags = fc->flags & (IR_COL_NOT_NULL | IR_COL_ORDER_DEPENDENT);
        col->tags = fc->tags;
    }
    return p->id;
}

/* Two streams of the same record as one (UNION ALL); either may be 0. */
static int union_streams(lw *L, const abi_comp *c, const char *suffix, int a, int b)
{
    if (!a || !b)
        return a ? a : b;
    abi_comp tmp = *c;
    tmp.name = arena_printf(L->a, "%s.%s", c->name, suffix);
    ir_node *u = new_node(L, IR_OP_UNION, &tmp);
    ir_node_add_input(L->job, u, a);
    ir_node_add_input(L->job, u, b);
    pass_cols(L, u, a);
    return u->id;
}

/* The records whose select (over node `in`) is NULL: a filter on is_null (reject port). */
static int select_null_stream(lw *L, const abi_comp *c, int in, const ir_expr *sel, const char *param,
                              const char *suffix, const char *mark)
{
    int f = filter_node(L, c, in, ir_call1(L->job, IR_FN_IS_NULL, ir_expr_copy(L->job, sel)), pval(L, c, param),
                        suffix);
    ir_node_add_prop(L->job, ir_job_node(L->job, f), "stream", mark);
    return f;
}

/* ---- datasets ---- */

static const char *file_url(lw *L, const abi_comp *c)
{
    const char *u = abi_comp_value(c, "Layout");
    if (!u)
        u = abi_comp_value(c, "url");
    if (!u)
        return c->name;
    if (!strncmp(u, "file:", 5))
        u += 5;
    return sandbox_subst(L, u);
}

/* A file's dataset name: its base name without the extension, as an identifier
 * (`${AI_SERIAL}/orders_${RUN_DATE}.dat` → `orders_RUN_DATE`), as Informatica flat files are
 * named; the URL itself is kept in the node's `url` prop. Different URLs with one base name get
 * `_2`, `_3` ... in the order they are met. */
static const char *file_dataset_name(lw *L, const char *url)
{
    const char *b = strrchr(url, '/');
    b = b ? b + 1 : url;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        char c = b[i];
        bool ok = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (ok)
            sb_putc(&sb, c);
        else if (sb.len && sb_cstr(&sb)[sb.len - 1] != '_')
            sb_putc(&sb, '_');
    }
    while (sb.len && sb_cstr(&sb)[sb.len - 1] == '_')
        sb.len--, sb.data[sb.len] = '\0';
    if (!sb.len || (sb_cstr(&sb)[0] >= '0' && sb_cstr(&sb)[0] <= '9')) {
        strbuf t = STRBUF_INIT;
        sb_printf(&t, "file_%s", sb_cstr(&sb));
        sb_free(&sb);
        sb = t;
    }
    const char *base = ir_intern(L->job, sb_cstr(&sb));
    sb_free(&sb);
    for (int k = 1;; k++) {
        const char *name = k == 1 ? base : ir_intern(L->job, arena_printf(L->a, "%s_%d", base, k));
        bool clash = false;
        for (int i = 0; i < L->n_urls; i++)
            if (L->url_names[i] == name) {
                if (!strcmp(L->urls[i], url))
                    return name;
                clash = true;
            }
        if (!clash) {
            if (L->n_urls < 256) {
                L->urls[L->n_urls] = ir_intern(L->job, url);
                L->url_names[L->n_urls++] = name;
            }
            return name;
        }
    }
}

static void lower_input_file(lw *L, int ci, const char *port)
{
    const abi_comp *c = &L->g->comps[ci];
    const abi_record *r = port_record(L, ci, port);
    if (!r) {
        lw_error(L, c->line, c->col, "%s: no record format on port '%s' (%s_metadata)", c->name, port, port);
        return;
    }
    const char *url = file_url(L, c);
    const char *name = file_dataset_name(L, url);
    ir_dataset *ds = ir_job_dataset(L->job, name);
    if (!ds)
        ds = abi_record_to_dataset(L->job, r, name);
    ir_node *n = new_node(L, IR_OP_SOURCE, c);
    n->dataset = ds->name;
    ir_node_add_prop(L->job, n, "url", url);
    for (int i = 0; i < ds->n_cols; i++) {
        ir_column *col = ir_node_add_col(L->job, n, ds->cols[i].name, ds->cols[i].type, ds->cols[i].expr);
        col->flags = ds->cols[i].flags;
        col->legacy = ds->cols[i].legacy;
        col->phys_offset = ds->cols[i].phys_offset;
        col->phys_length = ds->cols[i].phys_length;
    }
    set_out(L, ci, port, n->id);
}

/* A record format read as a database table's columns: a vector field is the table's array column,
 * and the fields after it have their own columns, so the flat-file layout holes abi_record_to_dataset
 * gives them do not apply. */
static void table_columns(ir_dataset *ds)
{
    for (int i = 0; i < ds->n_cols; i++) {
        const ir_expr *h = ds->cols[i].expr;
        if (h && h->kind == IR_EX_HOLE &&
            (ds->cols[i].type.kind == IR_TY_ARRAY ||
             (h->u.hole.reason && !strncmp(h->u.hole.reason, ABI_AFTER_VARYING, strlen(ABI_AFTER_VARYING)))))
            ds->cols[i].expr = NULL;
    }
}

/* [I] Input Table parameters: `table` and `dbc` mirror the deployed script's `itable <name> <dbc>
 * -table '<t>'` [C]; a query in `sql` (name [U] in .mp) is kept verbatim as the source's SQL. */
static void lower_input_table(lw *L, int ci)
{
    const abi_comp *c = &L->g->comps[ci];
    const abi_record *r = port_record(L, ci, "read");
    const char *table = pval(L, c, "table");
    const char *sql = pval(L, c, "sql");
    if (!r || (!table && !sql)) {
        lw_error(L, c->line, c->col, "%s: Input Table needs a record format on 'read' and a table or sql", c->name);
        return;
    }
    const char *name = ir_intern(L->job, table ? table : c->name);
    ir_dataset *ds = ir_job_dataset(L->job, name);
    if (!ds) {
        ds = abi_record_to_dataset(L->job, r, name);
        ds->kind = table ? "table" : "query";
        ds->delimiter = NULL;
        table_columns(ds);
        ds->db_type = "Ab Initio Input Table";
    }
    ir_node *n = new_node(L, IR_OP_SOURCE, c);
    n->dataset = ds->name;
    if (sql)
        n->sql = ir_intern(L->job, sql);
    const char *dbc = abi_comp_value(c, "dbc");
    if (dbc)
        ir_node_add_prop(L->job, n, "dbc", dbc);
    for (int i = 0; i < ds->n_cols; i++) {
        ir_column *col = ir_node_add_col(L->job, n, ds->cols[i].name, ds->cols[i].type, NULL);
        col->flags = ds->cols[i].flags;
    }
    set_out(L, ci, "read", n->id);
}

/* [I] Output File writes (replaces) the file: the `mode` choices are not in the reference, so
 * the load mode is overwrite with the raw mode kept as a prop. Output Table appends [I]. */
static void lower_output(lw *L, int ci, int in, bool table)
{
    const abi_comp *c = &L->g->comps[ci];
    const abi_record *r = port_record(L, ci, "write");
    ir_node *src = ir_job_node(L->job, in);
    const char *url = table ? NULL : file_url(L, c);
    const char *name = table ? ir_intern(L->job, pval(L, c, "table") ? pval(L, c, "table") : c->name)
                             : file_dataset_name(L, url);
    ir_dataset *ds = ir_job_dataset(L->job, name);
    if (!ds) {
        if (r) {
            ds = abi_record_to_dataset(L->job, r, name);
        } else {
            ds = ir_job_add_dataset(L->job, name);
            ds->kind = "file";
            for (int i = 0; src && i < src->n_cols; i++)
                ir_dataset_add_col(L->job, ds, src->cols[i].name, src->cols[i].type);
        }
        if (table) {
            ds->kind = "table";
            ds->delimiter = NULL;
            table_columns(ds);
        }
    }
    ir_node *n = new_node(L, IR_OP_TARGET, c);
    ir_node_add_input(L->job, n, in);
    n->dataset = ds->name;
    n->load = table ? IR_LOAD_APPEND : IR_LOAD_OVERWRITE;
    if (url)
        ir_node_add_prop(L->job, n, "url", url);
    const char *mode = pval(L, c, "mode");
    if (mode)
        ir_node_add_prop(L->job, n, "mode", mode);
    for (int i = 0; i < ds->n_cols; i++) {
        ir_column *sc = src ? ir_node_col(src, ds->cols[i].name) : NULL;
        ir_expr *e;
        if (sc) {
            e = ir_ref(L->job, in, sc->name);
            e->type = sc->type;
        } else {
            e = ir_hole(L->job, ds->cols[i].name, "the output record has a field the input does not have");
        }
        ir_node_add_col(L->job, n, ds->cols[i].name, ds->cols[i].type, e);
    }
}

/* ---- transform components ---- */

static ir_dataset *out_format(lw *L, int ci, const char *port)
{
    const abi_record *r = port_record(L, ci, port);
    return r ? record_cols(L, r) : NULL;
}

/* ---- lookups ---- */

/* One `lookup("label", k1, ...).field` in a transform's text [C syntax]. */
typedef struct lkp_use {
    const char *text;  /* from `lookup` to the field, as written (the XFR reader's hole text) */
    const char *label;
    const char *args[16];
    int n_args;
    const char *field;
    int line, col;     /* where it starts in the file the transform came from */
} lkp_use;

static bool ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Finds the lookups of text (calls of `lookup` followed by `.field`; `.*` and other forms stay
 * holes). Returns how many (at most max). */
static int scan_lookups(lw *L, const text_ref *t, lkp_use *out, int max)
{
    int n = 0;
    const char *s = t->text, *end = t->text + t->len;
    for (const char *p = s; p + 7 < end && n < max; p++) {
        if (strncmp(p, "lookup", 6) != 0 || (p > s && ident_char(p[-1])))
            continue;
        const char *q = p + 6;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (q >= end || *q != '(')
            continue;
        q++;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (q >= end || *q != '"')
            continue;
        const char *ls = ++q;
        while (q < end && *q != '"' && *q != '\n')
            q++;
        if (q >= end || *q != '"')
            continue;
        lkp_use u;
        memset(&u, 0, sizeof u);
        u.label = arena_strndup(L->a, ls, (size_t)(q - ls));
        q++;
        /* arguments up to the matching ')' (strings and nested parentheses skipped) */
        int depth = 0;
        const char *as = NULL;
        bool ok = false;
        for (; q < end; q++) {
            char c = *q;
            if (c == '"' || c == '\'') {
                char qc = c;
                for (q++; q < end && *q != qc; q++)
                    if (*q == '\\')
                        q++;
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if ((c == ',' || c == ')') && depth == 0) {
                if (as && u.n_args < 16) {
                    const char *ae = q;
                    while (as < ae && (*as == ' ' || *as == '\t' || *as == '\n'))
                        as++;
                    while (ae > as && (ae[-1] == ' ' || ae[-1] == '\t' || ae[-1] == '\n'))
                        ae--;
                    u.args[u.n_args++] = arena_strndup(L->a, as, (size_t)(ae - as));
                }
                as = q + 1;
                if (c == ')') {
                    ok = true;
                    q++;
                    break;
                }
            }
        }
        if (!ok || q >= end || *q != '.' || q + 1 >= end || !ident_char(q[1]))
            continue;
        const char *fs = ++q;
        while (q < end && ident_char(*q))
            q++;
        u.field = arena_strndup(L->a, fs, (size_t)(q - fs));
        u.text = arena_strndup(L->a, p, (size_t)(q - p));
        int line = t->line, col = t->col;
        for (const char *r = s; r < p; r++) {
            if (*r == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        u.line = line;
        u.col = col;
        out[n++] = u;
        p = q - 1;
    }
    return n;
}

/* The source node of Lookup File `label`, or 0 (no such component: the lookup stays a hole). */
static int lookup_source(lw *L, const char *label, int *comp)
{
    for (int i = 0; i < L->g->n_comps; i++) {
        const abi_comp *c = &L->g->comps[i];
        if (!c->kind || strcmp(c->kind, "Lookup File") != 0 || strcmp(c->name, label) != 0)
            continue;
        *comp = i;
        if (L->lookup_src[i])
            return L->lookup_src[i];
        const abi_record *r = port_record(L, i, "read");
        if (!r)
            r = port_record(L, i, "out");
        if (!r)
            return 0;
        const char *url = file_url(L, c);
        const char *name = file_dataset_name(L, url);
        ir_dataset *ds = ir_job_dataset(L->job, name);
        if (!ds)
            ds = abi_record_to_dataset(L->job, r, name);
        ir_node *n = new_node(L, IR_OP_SOURCE, c);
        n->dataset = ds->name;
        ir_node_add_prop(L->job, n, "url", url);
        for (int k = 0; k < ds->n_cols; k++) {
            ir_column *col = ir_node_add_col(L->job, n, ds->cols[k].name, ds->cols[k].type, NULL);
            col->flags = ds->cols[k].flags;
        }
        L->lookup_src[i] = n->id;
        return n->id;
    }
    return 0;
}

/* [I] A transform's `lookup("label", keys).field` reads the Lookup File component named `label`
 * (the reference: "presumably the Lookup File component's label") on its `key` fields, in order.
 * Each distinct (label, keys) becomes a lookup node after `in`, adding `<label>_<field>` columns;
 * which record a key with several matches gives is [U]: match policy `any`. Returns the node the
 * transform reads, and fills names[i] with the column standing for uses[i] (NULL: left a hole). */
static int lookup_chain(lw *L, const abi_comp *c, int in, lkp_use *uses, int n_uses, const char **names)
{
    int cur = in;
    for (int i = 0; i < n_uses; i++)
        names[i] = NULL;
    for (int i = 0; i < n_uses; i++) {
        if (names[i])
            continue;
        int lc = -1;
        int src = lookup_source(L, uses[i].label, &lc);
        if (!src)
            continue;
        keyspec k;
        if (parse_key(L, &L->g->comps[lc], pval(L, &L->g->comps[lc], "key"), &k) != 0)
            continue;
        if (k.n != uses[i].n_args) {
            lw_error(L, uses[i].line, uses[i].col,
                     "%s: lookup(\"%s\") with %d key value(s); the Lookup File's key has %d",
                     c->name, uses[i].label, uses[i].n_args, k.n);
            continue;
        }
        /* the lookup node: every column of cur, then the looked-up fields of every use of this
         * label with the same keys */
        abi_comp tl = *c;
        tl.name = arena_printf(L->a, "%s.lookup_%s", c->name, uses[i].label);
        ir_node *n = new_node(L, IR_OP_LOOKUP, &tl);
        ir_node_add_input(L->job, n, cur);
        ir_node_add_input(L->job, n, src);
        n->dataset = ir_job_node(L->job, src)->dataset;
        n->match = IR_MATCH_ANY;
        ir_node_add_prop(L->job, n, "match", "which record a key with several matches gives is not publicly known [U]");
        xenv x = {L, {"in"}, {cur}, 1, NULL, {NULL}};
        abi_xfr_ctx ctx = {L->job, xresolve, NULL, &x, xparam};
        ir_expr *pred = NULL;
        for (int a = 0; a < k.n; a++) {
            ir_expr *v = abi_parse_expr(&ctx, L->g->path, uses[i].args[a], strlen(uses[i].args[a]), L->dc);
            ir_expr *kr = key_ref(L, &L->g->comps[lc], src, k.names[a]);
            if (!v || !kr) {
                pred = NULL;
                break;
            }
            ir_expr *eq = ir_call2(L->job, IR_FN_EQ, v, kr);
            pred = pred ? ir_call2(L->job, IR_FN_AND, pred, eq) : eq;
        }
        if (!pred) {
            L->n_errors++;
            continue;
        }
        n->predicate = pred;
        n->legacy = ir_intern(L->job, uses[i].text);
        pass_cols(L, n, cur);
        ir_node *sn = ir_job_node(L->job, src);
        for (int j = i; j < n_uses; j++) {
            bool same = !names[j] && !strcmp(uses[j].label, uses[i].label) && uses[j].n_args == uses[i].n_args;
            for (int a = 0; same && a < uses[i].n_args; a++)
                same = !strcmp(uses[j].args[a], uses[i].args[a]);
            if (!same)
                continue;
            ir_column *fc = ir_node_col(sn, uses[j].field);
            if (!fc) {
                lw_error(L, uses[j].line, uses[j].col, "%s: lookup(\"%s\") has no field '%s'", c->name, uses[j].label,
                         uses[j].field);
                continue;
            }
            const char *cn = ir_intern(L->job, arena_printf(L->a, "%s_%s", uses[j].label, uses[j].field));
            for (char *q = (char *)cn; *q; q++) /* labels may hold blanks [C] */
                if (!ident_char(*q))
                    *q = '_';
            if (!ir_node_col(n, cn)) {
                ir_expr *r = ir_ref(L->job, src, fc->name);
                r->type = fc->type;
                ir_node_add_col(L->job, n, cn, fc->type, r);
            }
            names[j] = cn;
        }
        cur = n->id;
    }
    return cur;
}

/* Replaces the lookup holes of e (by their text) with references to the lookup node's columns. */
static ir_expr *fill_lookups(lw *L, ir_expr *e, int node, const lkp_use *uses, const char **names, int n)
{
    if (!e)
        return e;
    if (e->kind == IR_EX_HOLE) {
        for (int i = 0; i < n; i++)
            if (names[i] && !strcmp(e->u.hole.text, uses[i].text)) {
                ir_node *ln = ir_job_node(L->job, node);
                ir_column *c = ln ? ir_node_col(ln, names[i]) : NULL;
                ir_expr *r = ir_ref(L->job, node, names[i]);
                if (c)
                    r->type = c->type;
                r->span = e->span;
                return r;
            }
        return e;
    }
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            e->u.call.args[i] = fill_lookups(L, e->u.call.args[i], node, uses, names, n);
    return e;
}

/* What a Reformat's reject port of one output is built from: `raw` the input, `sel` its select
 * (or NULL) and `base` the records it keeps, `src` the records the transform reads (routed by
 * output_index, with lookup fields), `valid` the filter before the project `proj`, `rec` the
 * output record format (defaults). */
typedef struct reformat_stream {
    const char *port;
    int raw;
    const ir_expr *sel;
    int base, src, valid;
    const ir_node *proj;
    const abi_record *rec;
} reformat_stream;

static bool field_has_default(const abi_record *r, const char *name)
{
    for (int i = 0; r && i < r->n_fields; i++)
        if (r->fields[i].name && !strcmp(r->fields[i].name, name))
            return r->fields[i].default_text != NULL;
    return false;
}

/* The reject stream of a Reformat output [C/I], carrying the input record (`reject0 = in`):
 * - records whose select is NULL ([I]: reference §3.6 says "NULL ⇒ error message", the reject
 *   event of Filter by Expression and Dedup Sorted; only with one output);
 * - records for which an output field that cannot hold NULL (no NULL clause, no default) gets
 *   NULL from every rule: the rule fails and the record is rejected (reference §6.1 [C], record
 *   rejected [I]). The fields' NULL tests, over the transform's input, give the predicate; the
 *   `valid` filter before the project takes the negation, so each record goes to one stream.
 * Failures the IR cannot predict (arithmetic, casts, a value too large for its field) are not
 * modelled: a prop on the stream says so. */
static int reformat_reject(lw *L, const abi_comp *c, const reformat_stream *rs)
{
    ir_expr *fail = NULL;
    strbuf skipped = STRBUF_INIT;
    for (int i = 0; i < rs->proj->n_cols; i++) {
        const ir_column *col = &rs->proj->cols[i];
        if (!(col->flags & IR_COL_NOT_NULL) || !col->expr || !may_be_null(L, col->expr))
            continue;
        if (field_has_default(rs->rec, col->name) || has_hole(col->expr)) {
            sb_printf(&skipped, "%s%s", skipped.len ? ", " : "", col->name);
            continue;
        }
        ir_expr *t = ir_call1(L->job, IR_FN_IS_NULL, retarget(L, col->expr, rs->valid, rs->src));
        fail = fail ? ir_call2(L->job, IR_FN_OR, fail, t) : t;
    }
    ir_node *vn = ir_job_node(L->job, rs->valid);
    vn->predicate = fail ? ir_call1(L->job, IR_FN_NOT, ir_expr_copy(L->job, fail)) : ir_lit_bool(L->job, true);
    vn->legacy = ir_intern(L->job, "records no rule fails on (the rest go to reject)");
    int rej = filter_node(L, c, rs->src, fail ? fail : ir_lit_bool(L->job, false),
                          "an output field that cannot hold NULL gets NULL from every rule",
                          arena_printf(L->a, "%s_rules", rs->port));
    ir_node *rn = ir_job_node(L->job, rej);
    ir_node_add_prop(L->job, rn, "stream",
                     fail ? "records a rule fails on: a field that cannot hold NULL gets NULL from every rule [C/I]"
                          : "no field that cannot hold NULL can get NULL from its rules: no record");
    ir_node_add_prop(L->job, rn, "not modelled",
                     "failures that depend on the data (arithmetic or cast errors, a value too large for its "
                     "field, an if whose condition is NULL) also reject a record in Ab Initio; the IR cannot "
                     "predict them");
    if (skipped.len)
        ir_node_add_prop(L->job, rn, "not tested",
                         arena_printf(L->a, "%s (a default value, whose use is not known [U], or a rule that is a "
                                            "hole)", sb_cstr(&skipped)));
    sb_free(&skipped);
    if (ir_job_node(L->job, rs->src)->n_cols != ir_job_node(L->job, rs->base)->n_cols)
        rej = project_like(L, c, arena_printf(L->a, "%s_record", rs->port), rej, rs->base);
    if (!rs->sel)
        return rej;
    int nul = select_null_stream(L, c, rs->raw, rs->sel, "select", arena_printf(L->a, "%s_select", rs->port),
                                 "records whose select is NULL [I]");
    return union_streams(L, c, rs->port, nul, rej);
}

static void lower_reformat(lw *L, int ci)
{
    const abi_comp *c = &L->g->comps[ci];
    int in = input_on(L, ci, "in"), raw = in;
    if (!in)
        return;
    ir_expr *sel = select_pred(L, c, "select", in);
    if (sel)
        in = filter_node(L, c, in, sel, pval(L, c, "select"), "select");
    /* output_index(in): which output each record goes to [C] */
    ir_expr *idx = NULL;
    if (abi_comp_param(c, "output_index") && *abi_comp_param(c, "output_index")->value) {
        xenv x = {L, {"in"}, {in}, 1, NULL, {NULL}};
        abi_xfr *xf = load_xfr(L, c, "output_index", &x);
        const abi_transform *t = main_fn(xf, "output_index");
        for (int i = 0; t && i < t->n_rules; i++)
            if (!t->rules[i].field)
                idx = t->rules[i].expr;
        if (!idx)
            lw_error(L, c->line, c->col, "%s: output_index has no `out :: expr;` rule", c->name);
    }
    if (abi_comp_value(c, "output_indexes")) {
        int ins[1] = {in};
        ir_node *h = hole_node(L, c, ins, 1, "output_indexes (a record to several outputs) has no IR form");
        for (int p = 0; p < c->n_ports; p++)
            if (c->ports[p].is_out)
                set_out(L, ci, c->ports[p].name, h->id);
        return;
    }
    const char *cnt = pval(L, c, "count");
    int count = cnt ? atoi(cnt) : 1;
    if (count < 1 || count > 64)
        count = 1;
    for (int p = 0; p < c->n_ports; p++) /* a deployed script gives the ports, not the count */
        if (c->ports[p].is_out && !strncmp(c->ports[p].name, "out", 3) && c->ports[p].name[3]) {
            int k = atoi(c->ports[p].name + 3);
            if (k >= count && k < 64)
                count = k + 1;
        }
    for (int k = 0; k < count; k++) {
        char port[16];
        snprintf(port, sizeof port, "out%d", k);
        const char *pname = port;
        if (!port_used(L, ci, port) && k == 0 && port_used(L, ci, "out"))
            pname = "out";
        if (!port_used(L, ci, pname))
            continue;
        int src = in;
        if (idx) {
            ir_expr *pred = ir_call2(L->job, IR_FN_EQ, ir_expr_copy(L->job, idx), ir_lit_int(L->job, k));
            src = filter_node(L, c, in, pred, "output_index", arena_printf(L->a, "%s_index", pname));
        }
        const ir_dataset *of = out_format(L, ci, pname);
        char tp[24];
        snprintf(tp, sizeof tp, "transform%d", k);
        const char *tparam = abi_comp_param(c, tp) ? tp : (k == 0 ? "transform" : tp);
        /* lookups first: the transform then reads the last lookup node */
        lkp_use uses[16];
        const char *names[16];
        int n_uses = 0;
        text_ref tt;
        const abi_gparam *tpp = abi_comp_param(c, tparam);
        bool readable = tpp && (!L->opt->embedded_only || looks_embedded(tpp->value));
        if (readable && param_text(L, c, tparam, &tt) == 0)
            n_uses = scan_lookups(L, &tt, uses, 16);
        if (n_uses)
            src = lookup_chain(L, c, src, uses, n_uses, names);
        /* a connected reject port: the records that fail are filtered out before the project */
        char rp[24];
        snprintf(rp, sizeof rp, "reject%d", k);
        const char *rport = port_used(L, ci, rp) ? rp : k == 0 && port_used(L, ci, "reject") ? "reject" : NULL;
        if (rport && sel && count > 1)
            rport = NULL; /* which rejectN gets the select's NULLs is not stated: a hole below */
        int rd = rport ? filter_node(L, c, src, NULL, NULL, arena_printf(L->a, "%s_valid", pname)) : src;
        xenv x = {L, {"in"}, {rd}, 1, of, {NULL}};
        abi_xfr *xf = abi_comp_param(c, tparam) ? load_xfr(L, c, tparam, &x) : NULL;
        const abi_transform *t = main_fn(xf, "reformat");
        abi_comp tmp = *c;
        if (count > 1)
            tmp.name = arena_printf(L->a, "%s.%s", c->name, pname);
        ir_node *n = new_node(L, IR_OP_PROJECT, &tmp);
        ir_node_add_input(L->job, n, rd);
        transform_cols(L, n, t, &x, of, c);
        for (int i = 0; n_uses && i < n->n_cols; i++)
            n->cols[i].expr = fill_lookups(L, n->cols[i].expr, rd, uses, names, n_uses);
        no_aggregates(L, n);
        transform_notes(L, n, t);
        set_out(L, ci, pname, n->id);
        if (rport) {
            reformat_stream rs = {rport, raw, sel, in, src, rd, n, port_record(L, ci, pname)};
            set_out(L, ci, rport, reformat_reject(L, c, &rs));
        }
    }
    for (int k = 0; k < c->n_ports; k++) {
        const char *p = c->ports[k].name;
        if (get_out(L, ci, p))
            continue;
        if (!strncmp(p, "reject", 6))
            hole_port(L, ci, p, in,
                      sel && count > 1 ? "which rejectN receives the records whose select is NULL is not stated "
                                         "in the reference [U]"
                                       : "a reject port whose output (outN) is not connected: its transform is "
                                         "not lowered");
        else if (!strncmp(p, "error", 5))
            hole_port(L, ci, p, in, ERROR_PORT_WHY);
        else if (!strcmp(p, "log"))
            hole_port(L, ci, p, in, LOG_PORT_WHY);
    }
}

static void lower_filter(lw *L, int ci)
{
    const abi_comp *c = &L->g->comps[ci];
    int in = input_on(L, ci, "in");
    if (!in)
        return;
    ir_expr *pred = select_pred(L, c, "select_expr", in);
    if (!pred) {
        lw_error(L, c->line, c->col, "%s: Filter by Expression without a select_expr", c->name);
        return;
    }
    const char *legacy = pval(L, c, "select_expr");
    if (port_used(L, ci, "out") || !port_used(L, ci, "deselect"))
        set_out(L, ci, "out", filter_node(L, c, in, pred, legacy, NULL));
    /* deselect: the expression is zero [C]; reject: it is NULL ([I], reference §3.6) — the three
     * streams partition the input */
    if (port_used(L, ci, "deselect"))
        set_out(L, ci, "deselect",
                filter_node(L, c, in, ir_call1(L->job, IR_FN_NOT, ir_expr_copy(L->job, pred)), legacy, "deselect"));
    if (port_used(L, ci, "reject"))
        set_out(L, ci, "reject",
                select_null_stream(L, c, in, pred, "select_expr", "reject", "records whose select_expr is NULL [I]"));
    hole_port(L, ci, "error", in, ERROR_PORT_WHY);
    hole_port(L, ci, "log", in, LOG_PORT_WHY);
}

static void lower_sort(lw *L, int ci)
{
    const abi_comp *c = &L->g->comps[ci];
    int in = input_on(L, ci, "in");
    if (!in)
        return;
    keyspec k;
    if (parse_key(L, c, pval(L, c, "key"), &k) != 0)
        return;
    ir_node *n = new_node(L, IR_OP_SORT, c);
    ir_node_add_input(L->job, n, in);
    for (int i = 0; i < k.n; i++) {
        ir_expr *e = key_ref(L, c, in, k.names[i]);
        if (e)
            ir_node_add_order(L->job, n, e, k.desc[i]);
    }
    n->legacy = pval(L, c, "key") ? ir_intern(L->job, pval(L, c, "key")) : NULL;
    pass_cols(L, n, in);
    set_out(L, ci, "out", n->id);
}

/* The order rows arrive in at `in`: the keys of the nearest upstream Sort, when the nodes in
 * between only filter or copy columns (Dedup keep first/last and Scan depend on it [C]). */
static void upstream_order(lw *L, ir_node *n, int in, const keyspec *group)
{
    ir_node *cur = ir_job_node(L->job, in);
    while (cur && (cur->op == IR_OP_FILTER || cur->op == IR_OP_PROJECT) && cur->n_inputs == 1)
        cur = ir_job_node(L->job, cur->inputs[0]);
    if (!cur || cur->op != IR_OP_SORT)
        return;
    ir_node *innode = ir_job_node(L->job, in);
    for (int i = 0; i < cur->n_order; i++) {
        const ir_expr *e = cur->order[i].expr;
        if (e->kind != IR_EX_REF)
            return;
        bool is_group = false;
        for (int g = 0; group && g < group->n; g++)
            is_group |= !strcmp(group->names[g], e->u.ref.col);
        if (is_group)
            continue;
        ir_column *col = innode ? ir_node_col(innode, e->u.ref.col) : NULL;
        if (!col)
            return;
        ir_expr *r = ir_ref(L->job, in, col->name);
        r->type = col->type;
        ir_node_add_order(L->job, n, r, cur->order[i].desc);
    }
}

/* A node of kind op named `<component>.<suffix>` reading `in`, keyed on k's fields (a dedup, a
 * window partition); columns are the caller's. */
static ir_node *keyed_node(lw *L, const abi_comp *c, ir_op op, const char *suffix, int in, const keyspec *k)
{
    abi_comp t = *c;
    t.name = arena_printf(L->a, "%s.%s", c->name, suffix);
    ir_node *n = new_node(L, op, &t);
    ir_node_add_input(L->job, n, in);
    for (int i = 0; i < k->n; i++) {
        ir_expr *e = key_ref(L, c, in, k->names[i]);
        if (e)
            ir_node_add_key(L->job, n, e);
    }
    return n;
}

/* Dedup Sorted keep first/last with its dup port connected [C]: one window numbers the records of
 * each key in the upstream order (reversed for last); number 1 goes to out, the others to dup,
 * so both streams come from one numbering. */
static void dedup_with_dup(lw *L, int ci, int in, const keyspec *k, bool last)
{
    const abi_comp *c = &L->g->comps[ci];
    ir_node *w = keyed_node(L, c, IR_OP_WINDOW, "row_number", in, k);
    upstream_order(L, w, in, k);
    for (int i = 0; last && i < w->n_order; i++)
        w->order[i].desc = !w->order[i].desc;
    if (w->n_order == 0)
        ir_node_add_prop(L->job, w, "order",
                         "first/last depend on the input order within each key group; no upstream Sort gives it");
    pass_cols(L, w, in);
    ir_column *rn = ir_node_add_col(L->job, w, ir_intern(L->job, "dedup_row_number"),
                                    ir_type_make(IR_TY_BIGINT, 0, 0), ir_call(L->job, IR_FN_ROW_NUMBER, 0, 0, NULL));
    rn->flags |= IR_COL_GENERATED | IR_COL_ORDER_DEPENDENT;
    const char *keep = last ? "keep last" : "keep first";
    ir_expr *one = ir_call2(L->job, IR_FN_EQ, ir_ref(L->job, w->id, rn->name), ir_lit_int(L->job, 1));
    set_out(L, ci, "out", project_like(L, c, NULL, filter_node(L, c, w->id, one, keep, "kept"), in));
    ir_expr *rest = ir_call2(L->job, IR_FN_GT, ir_ref(L->job, w->id, rn->name), ir_lit_int(L->job, 1));
    int d = filter_node(L, c, w->id, rest, keep, "dup_rows");
    ir_node_add_prop(L->job, ir_job_node(L->job, d), "stream", "the records of each key after the one kept [C]");
    set_out(L, ci, "dup", project_like(L, c, "dup", d, in));
}

static void lower_dedup(lw *L, int ci)
{
    const abi_comp *c = &L->g->comps[ci];
    int in = input_on(L, ci, "in"), raw = in;
    if (!in)
        return;
    keyspec k;
    if (parse_key(L, c, pval(L, c, "key"), &k) != 0)
        return;
    ir_expr *sel = select_pred(L, c, "select", in);
    if (sel)
        in = filter_node(L, c, in, sel, pval(L, c, "select"), "select");
    bool dup = port_used(L, ci, "dup");
    const char *keep = pval(L, c, "keep");
    if (!keep)
        keep = "first"; /* the template's default [C] */
    if (!strcmp(keep, "unique-only") || !strcmp(keep, "unique_only")) {
        /* every record of a group with more than one goes to dup [C]: count per key, keep 1s */
        ir_node *w = keyed_node(L, c, IR_OP_WINDOW, "count", in, &k);
        pass_cols(L, w, in);
        ir_column *cnt = ir_node_add_col(L->job, w, ir_intern(L->job, "dedup_group_size"),
                                         ir_type_make(IR_TY_BIGINT, 0, 0),
                                         ir_call(L->job, IR_FN_COUNT_STAR, 0, 0, NULL));
        cnt->flags |= IR_COL_GENERATED;
        ir_expr *pred = ir_call2(L->job, IR_FN_EQ, ir_ref(L->job, w->id, cnt->name), ir_lit_int(L->job, 1));
        int f = filter_node(L, c, w->id, pred, "unique-only", "unique");
        set_out(L, ci, "out", project_like(L, c, NULL, f, in));
        if (dup) {
            ir_expr *many = ir_call2(L->job, IR_FN_GT, ir_ref(L->job, w->id, cnt->name), ir_lit_int(L->job, 1));
            int d = filter_node(L, c, w->id, many, "unique-only", "dup_groups");
            ir_node_add_prop(L->job, ir_job_node(L->job, d), "stream",
                             "every record of a key that has more than one [C]");
            set_out(L, ci, "dup", project_like(L, c, "dup", d, in));
        }
    } else if ((!strcmp(keep, "first") || !strcmp(keep, "last")) && dup) {
        dedup_with_dup(L, ci, in, &k, !strcmp(keep, "last"));
    } else if (!strcmp(keep, "first") || !strcmp(keep, "last")) {
        ir_node *n = new_node(L, IR_OP_DEDUP, c);
        ir_node_add_input(L->job, n, in);
        for (int i = 0; i < k.n; i++) {
            ir_expr *e = key_ref(L, c, in, k.names[i]);
            if (e)
                ir_node_add_key(L->job, n, e);
        }
        n->keep_last = !strcmp(keep, "last");
        upstream_order(L, n, in, &k);
        if (n->n_order == 0)
            ir_node_add_prop(L->job, n, "order",
                             "first/last depend on the input order within each key group; no upstream Sort gives it");
        pass_cols(L, n, in);
        set_out(L, ci, "out", n->id);
    } else {
        lw_error(L, c->line, c->col, "%s: keep = '%s' is not one of first, last, unique-only", c->name, keep);
        return;
    }
    if (port_used(L, ci, "reject")) { /* a NULL select sends the record to reject [C] */
        int r = sel ? select_null_stream(L, c, raw, sel, "select", "reject", "records whose select is NULL [C]")
                    : filter_node(L, c, in, ir_lit_bool(L->job, false), NULL, "reject");
        if (!sel)
            ir_node_add_prop(L->job, ir_job_node(L->job, r), "stream",
                             "no select: no record is rejected (a NULL select is the only reject the reference "
                             "names)");
        set_out(L, ci, "reject", r);
    }
    hole_port(L, ci, "error", in, ERROR_PORT_WHY);
    hole_port(L, ci, "log", in, LOG_PORT_WHY);
}

/* ---- Join ---- */

/* Whether join input i must have a match for an output record [C, reference §3.6]:
 * join_type Inner Join → all; Full Outer Join → none; Explicit → record_match_required<i>, or
 * the legacy record_required<i> whose booleans are inverted. An unset flag counts as required
 * (the template's default for the inner join). */
static bool join_input_required(lw *L, const abi_comp *c, int i)
{
    const char *jt = pval(L, c, "join_type");
    if (jt && !strcmp(jt, "Inner Join"))
        return true;
    if (jt && !strcmp(jt, "Full Outer Join"))
        return false;
    char nm[48];
    snprintf(nm, sizeof nm, "record_match_required%d", i);
    const char *v = pval(L, c, nm);
    if (v)
        return truthy(v);
    snprintf(nm, sizeof nm, "record_required%d", i);
    v = pval(L, c, nm);
    if (v)
        return !truthy(v); /* legacy: inverted [C] */
    return true;
}

#define JOIN_MAX 8

/* One input of a Join after its select and dedup: the node, and its key fields. */
static int join_input(lw *L, const abi_comp *c, int ci, int i, keyspec *key)
{
    char p[16], ok[24], sp[16], dp[16];
    snprintf(p, sizeof p, "in%d", i);
    int in = input_on(L, ci, p);
    if (!in) {
        lw_error(L, c->line, c->col, "%s: nothing flows into %s", c->name, p);
        return 0;
    }
    snprintf(ok, sizeof ok, "override_key%d", i);
    const char *kt = pval(L, c, ok) ? pval(L, c, ok) : pval(L, c, "key");
    if (parse_key(L, c, kt, key) != 0)
        return 0;
    snprintf(sp, sizeof sp, "select%d", i);
    ir_expr *sel = select_pred(L, c, sp, in);
    if (sel)
        in = filter_node(L, c, in, sel, pval(L, c, sp), sp);
    snprintf(dp, sizeof dp, "dedup%d", i);
    if (truthy(pval(L, c, dp))) { /* dedup the input on the key before joining [C name] */
        ir_node *d = keyed_node(L, c, IR_OP_DEDUP, dp, in, key);
        pass_cols(L, d, in);
        in = d->id;
    }
    return in;
}

/* The key predicate joining `left` (its key fields named with `lprefix`) to input `right`. */
static ir_expr *join_pred(lw *L, const abi_comp *c, int left, const char *lprefix, const keyspec *lk, int right,
                          const keyspec *rk)
{
    ir_expr *pred = NULL;
    for (int k = 0; k < lk->n; k++) {
        ir_expr *a = key_ref(L, c, left, lprefix ? arena_printf(L->a, "%s%s", lprefix, lk->names[k]) : lk->names[k]);
        ir_expr *b = key_ref(L, c, right, rk->names[k]);
        if (!a || !b)
            return NULL;
        ir_expr *eq = ir_call2(L->job, IR_FN_EQ, a, b);
        pred = pred ? ir_call2(L->job, IR_FN_AND, pred, eq) : eq;
    }
    return pred;
}

/* Adds node `from`'s columns to n, named prefix + name (prefix NULL: as they are). */
static void prefixed_cols(lw *L, ir_node *n, int from, const char *prefix)
{
    ir_node *src = ir_job_node(L->job, from);
    for (int i = 0; src && i < src->n_cols; i++) {
        ir_expr *r = ir_ref(L->job, from, src->cols[i].name);
        r->type = src->cols[i].type;
        const char *nm = prefix ? arena_printf(L->a, "%s%s", prefix, src->cols[i].name) : src->cols[i].name;
        ir_node_add_col(L->job, n, nm, src->cols[i].type, r);
    }
}

/* Why unusedN of a Join has no IR form here, or NULL when it is an anti-join: two inputs only; the
 * other input required (otherwise N's unmatched records reach `out`, and whether they also go to
 * unusedN is not stated); no selectN/dedupN on N (whether the records they drop reach unusedN is
 * not stated). */
static const char *unused_why(lw *L, const abi_comp *c, int count, int i, const bool *req)
{
    if (count != 2)
        return "unmatched records of a Join of more than two inputs (an n-way join) have no IR form";
    if (i < 0 || i > 1)
        return "an unused port with no matching input";
    if (!req[1 - i])
        return arena_printf(L->a,
                            "in%d is not required, so in%d's unmatched records reach out; whether they also go to "
                            "unused%d is not stated in the reference [U]",
                            1 - i, i, i);
    char sp[24], dp[24];
    snprintf(sp, sizeof sp, "select%d", i);
    snprintf(dp, sizeof dp, "dedup%d", i);
    if (pval(L, c, sp) || truthy(pval(L, c, dp)))
        return arena_printf(L->a, "whether the records %s/%s drop go to unused%d is not stated in the reference [U]",
                            sp, dp, i);
    return NULL;
}

/* unusedN of a two-input Join [C]: the records of input i that match no record of the other. An
 * anti-join: a left join of i to the other input, keeping the rows whose other-side key is NULL
 * (a match needs equal, so non-NULL, keys), projected back to i's record. */
static int unused_stream(lw *L, const abi_comp *c, const char *port, const int *ins, const keyspec *key, int i)
{
    int self = ins[i], other = ins[1 - i];
    abi_comp tj = *c;
    tj.name = arena_printf(L->a, "%s.%s_match", c->name, port);
    ir_node *j = new_node(L, IR_OP_JOIN, &tj);
    ir_node_add_input(L->job, j, self);
    ir_node_add_input(L->job, j, other);
    j->join = IR_JOIN_LEFT;
    j->predicate = join_pred(L, c, self, NULL, &key[i], other, &key[1 - i]);
    j->legacy = pval(L, c, "key") ? ir_intern(L->job, pval(L, c, "key")) : NULL;
    pass_cols(L, j, self);
    const char *mark = arena_printf(L->a, "in%d_%s", 1 - i, key[1 - i].names[0]);
    while (ir_node_col(j, mark))
        mark = arena_printf(L->a, "_%s", mark);
    ir_expr *mk = key_ref(L, c, other, key[1 - i].names[0]);
    if (!j->predicate || !mk)
        return j->id;
    ir_column *mc = ir_node_add_col(L->job, j, ir_intern(L->job, mark), mk->type, mk);
    ir_expr *none = ir_call1(L->job, IR_FN_IS_NULL, ir_ref(L->job, j->id, mc->name));
    int f = filter_node(L, c, j->id, none, "no match", arena_printf(L->a, "%s_unmatched", port));
    ir_node_add_prop(L->job, ir_job_node(L->job, f), "stream",
                     arena_printf(L->a, "the records of in%d that match no record of in%d [C]", i, 1 - i));
    return project_like(L, c, port, f, self);
}

static void lower_join(lw *L, int ci)
{
    const abi_comp *c = &L->g->comps[ci];
    const char *cnt = pval(L, c, "count");
    int count = cnt ? atoi(cnt) : 2;
    for (int p = 0; p < c->n_ports; p++) /* a deployed script gives the ports, not the count */
        if (!c->ports[p].is_out && !strncmp(c->ports[p].name, "in", 2) && c->ports[p].name[2]) {
            int k = atoi(c->ports[p].name + 2);
            if (k >= count && k < JOIN_MAX)
                count = k + 1;
        }
    int ins[JOIN_MAX];
    bool req[JOIN_MAX];
    keyspec key[JOIN_MAX];
    bool all = true, only_first = true;
    if (count > JOIN_MAX || count < 2) {
        lw_error(L, c->line, c->col, "%s: a Join of %d inputs (2 to %d are read)", c->name, count, JOIN_MAX);
        return;
    }
    for (int i = 0; i < count; i++) {
        if (!(ins[i] = join_input(L, c, ci, i, &key[i])))
            return;
        if (key[i].n == 0 || key[i].n != key[0].n) {
            lw_error(L, c->line, c->col, "%s: the join keys of in0 and in%d differ in number (%d, %d) or are missing",
                     c->name, i, key[0].n, key[i].n);
            return;
        }
        req[i] = join_input_required(L, c, i);
        all &= req[i];
        only_first &= i == 0 ? req[i] : !req[i];
    }
    const ir_dataset *of = out_format(L, ci, "out");
    xenv x = {L, {"in0", "in1", "in2", "in3", "in4", "in5", "in6", "in7"}, {0}, count, of, {NULL}};
    int out_node;
    if (count == 2) {
        ir_node *n = new_node(L, IR_OP_JOIN, c);
        ir_node_add_input(L->job, n, ins[0]);
        ir_node_add_input(L->job, n, ins[1]);
        n->join = req[0] && req[1] ? IR_JOIN_INNER : req[0] ? IR_JOIN_LEFT : req[1] ? IR_JOIN_RIGHT : IR_JOIN_FULL;
        if (!(n->predicate = join_pred(L, c, ins[0], NULL, &key[0], ins[1], &key[1])))
            return;
        n->legacy = pval(L, c, "key") ? ir_intern(L->job, pval(L, c, "key")) : NULL;
        x.nodes[0] = ins[0];
        x.nodes[1] = ins[1];
        abi_xfr *xf = abi_comp_param(c, "transform") ? load_xfr(L, c, "transform", &x) : NULL;
        const abi_transform *t = main_fn(xf, "join");
        transform_cols(L, n, t, &x, of, c);
        no_aggregates(L, n);
        transform_notes(L, n, t);
        out_node = n->id;
    } else {
        /* More inputs: only the shapes a chain of two-way joins gives exactly — every input
         * required (inner), or in0 required and no other (left joins on in0's key). */
        if (!all && !only_first) {
            ir_node *h = hole_node(L, c, ins, count,
                                   "a Join of more than two inputs with these match flags is not a chain of joins");
            set_out(L, ci, "out", h->id);
            return;
        }
        int cur = 0;
        for (int i = 1; i < count; i++) {
            abi_comp tj = *c;
            tj.name = arena_printf(L->a, "%s.join%d", c->name, i);
            ir_node *n = new_node(L, IR_OP_JOIN, &tj);
            int left = i == 1 ? ins[0] : cur;
            ir_node_add_input(L->job, n, left);
            ir_node_add_input(L->job, n, ins[i]);
            n->join = all ? IR_JOIN_INNER : IR_JOIN_LEFT;
            if (!(n->predicate = join_pred(L, c, left, i == 1 ? NULL : "in0_", &key[0], ins[i], &key[i])))
                return;
            n->legacy = pval(L, c, "key") ? ir_intern(L->job, pval(L, c, "key")) : NULL;
            if (i == 1)
                prefixed_cols(L, n, ins[0], "in0_");
            else
                prefixed_cols(L, n, cur, NULL);
            prefixed_cols(L, n, ins[i], arena_printf(L->a, "in%d_", i));
            cur = n->id;
        }
        ir_node *p = new_node(L, IR_OP_PROJECT, c);
        ir_node_add_input(L->job, p, cur);
        for (int i = 0; i < count; i++) {
            x.nodes[i] = cur;
            x.prefix[i] = arena_printf(L->a, "in%d_", i);
        }
        abi_xfr *xf = abi_comp_param(c, "transform") ? load_xfr(L, c, "transform", &x) : NULL;
        const abi_transform *t = main_fn(xf, "join");
        transform_cols(L, p, t, &x, of, c);
        no_aggregates(L, p);
        transform_notes(L, p, t);
        out_node = p->id;
    }
    set_out(L, ci, "out", out_node);
    for (int k = 0; k < c->n_ports; k++) {
        const char *p = c->ports[k].name;
        if (!strncmp(p, "unused", 6)) {
            int i = atoi(p + 6);
            const char *why = unused_why(L, c, count, i, req);
            if (why)
                hole_port(L, ci, p, ins[i >= 0 && i < count ? i : 0], why);
            else if (port_used(L, ci, p))
                set_out(L, ci, p, unused_stream(L, c, p, ins, key, i));
        } else if (!strncmp(p, "reject", 6)) {
            hole_port(L, ci, p, ins[0],
                      "a Join's reject port gets the records its transform fails on; which input's record it "
                      "carries is not stated in the reference [U]");
        } else if (!strncmp(p, "error", 5)) {
            hole_port(L, ci, p, ins[0], ERROR_PORT_WHY);
        } else if (!strcmp(p, "log")) {
            hole_port(L, ci, p, ins[0], LOG_PORT_WHY);
        }
    }
}

/* ---- Rollup, Scan, Aggregate ---- */

static bool has_agg(const ir_expr *e)
{
    if (!e || e->kind != IR_EX_CALL)
        return false;
    if (ir_fn_is_aggregate(e->u.call.fn))
        return true;
    for (int i = 0; i < e->u.call.n_args; i++)
        if (has_agg(e->u.call.args[i]))
            return true;
    return false;
}

static bool has_order_dependent(const ir_expr *e)
{
    if (!e || e->kind != IR_EX_CALL)
        return false;
    if (e->u.call.flags & IR_FL_ORDER_DEPENDENT)
        return true;
    for (int i = 0; i < e->u.call.n_args; i++)
        if (has_order_dependent(e->u.call.args[i]))
            return true;
    return false;
}

static bool refs_temp(const ir_expr *e)
{
    if (!e)
        return false;
    if (e->kind == IR_EX_REF)
        return e->u.ref.node == TEMP_NODE;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            if (refs_temp(e->u.call.args[i]))
                return true;
    return false;
}

/* Replaces temp.f in e by vals[f]; NULL when a temp field has no value. */
static ir_expr *subst_temp(lw *L, const ir_expr *e, const char **names, ir_expr **vals, int n)
{
    if (e->kind == IR_EX_REF && e->u.ref.node == TEMP_NODE) {
        for (int i = 0; i < n; i++)
            if (!strcmp(names[i], e->u.ref.col))
                return ir_expr_copy(L->job, vals[i]);
        return NULL;
    }
    if (e->kind != IR_EX_CALL)
        return ir_expr_copy(L->job, e);
    ir_expr **args = arena_alloc(L->a, sizeof *args * (size_t)(e->u.call.n_args ? e->u.call.n_args : 1));
    for (int i = 0; i < e->u.call.n_args; i++)
        if (!(args[i] = subst_temp(L, e->u.call.args[i], names, vals, n)))
            return NULL;
    ir_expr *r = ir_call(L->job, e->u.call.fn, e->u.call.flags, e->u.call.n_args, args);
    r->type = e->type;
    r->span = e->span;
    return r;
}

/* Expanded Rollup/Scan (initialize / rollup|scan / finalize over a temporary_type [C]) in the one
 * shape that has an exact aggregate form: `temp.f :: L;` in initialize and `temp.f :: temp.f + E;`
 * in the per-record function, with E free of temp, gives temp.f = L + sum(E) (count for E = 1).
 * Returns false for any other shape (the component is then a hole). */
static bool expanded_state(lw *L, const abi_xfr *xf, const char *step, const char **names, ir_expr **vals, int *n)
{
    const abi_transform *init = NULL, *stepf = NULL;
    for (int i = 0; i < xf->n_fns; i++) {
        if (!strcmp(xf->fns[i].name, "initialize"))
            init = &xf->fns[i];
        if (!strcmp(xf->fns[i].name, step))
            stepf = &xf->fns[i];
    }
    if (!init || !stepf)
        return false;
    *n = 0;
    for (int i = 0; i < init->n_rules && *n < 32; i++) {
        const abi_out_rule *ir = &init->rules[i];
        if (!ir->field || !ir->expr || ir->expr->kind != IR_EX_LIT)
            return false;
        const abi_out_rule *sr = rule_for(stepf, ir->field);
        if (!sr || !sr->expr || sr->expr->kind != IR_EX_CALL || sr->expr->u.call.fn != IR_FN_ADD ||
            sr->expr->u.call.n_args != 2)
            return false;
        ir_expr *a = sr->expr->u.call.args[0], *b = sr->expr->u.call.args[1];
        if (!(a->kind == IR_EX_REF && a->u.ref.node == TEMP_NODE && !strcmp(a->u.ref.col, ir->field))) {
            ir_expr *t = a;
            a = b;
            b = t;
        }
        if (!(a->kind == IR_EX_REF && a->u.ref.node == TEMP_NODE && !strcmp(a->u.ref.col, ir->field)) || refs_temp(b))
            return false;
        ir_expr *agg = b->kind == IR_EX_LIT && b->u.lit.kind == IR_LIT_INT && !strcmp(b->u.lit.text, "1")
                           ? ir_call(L->job, IR_FN_COUNT_STAR, 0, 0, NULL)
                           : ir_call1(L->job, IR_FN_SUM, ir_expr_copy(L->job, b));
        bool zero = ir->expr->u.lit.kind == IR_LIT_INT && !strcmp(ir->expr->u.lit.text, "0");
        names[*n] = ir->field;
        vals[*n] = zero ? agg : ir_call2(L->job, IR_FN_ADD, ir_expr_copy(L->job, ir->expr), agg);
        (*n)++;
    }
    for (int i = 0; i < stepf->n_rules; i++) /* every state field must come from initialize */
        if (stepf->rules[i].field && !rule_for(init, stepf->rules[i].field))
            return false;
    return *n > 0;
}

/* [I] A template Rollup's non-aggregated, non-key field (e.g. copied by `out.* :: in.*`): the
 * reference does not say which record's value it is; the IR takes the last record's, flagged
 * order-dependent. */
static ir_expr *rollup_nonkey_value(lw *L, ir_expr *e)
{
    return ir_call1(L->job, IR_FN_LAST, e);
}

static void lower_rollup_scan(lw *L, int ci, bool scan)
{
    const abi_comp *c = &L->g->comps[ci];
    int in = input_on(L, ci, "in");
    if (!in)
        return;
    keyspec k;
    if (parse_key(L, c, pval(L, c, "key"), &k) != 0)
        return;
    const char *km = pval(L, c, "key_method");
    if (km && strstr(km, "key_change")) {
        ir_node *h = hole_node(L, c, &in, 1, "grouping by a key_change function has no IR form");
        set_out(L, ci, "out", h->id);
        return;
    }
    const ir_dataset *of = out_format(L, ci, "out");
    xenv x = {L, {"in", "temp"}, {in, TEMP_NODE}, 2, of, {NULL}};
    abi_xfr *xf = abi_comp_param(c, "transform") ? load_xfr(L, c, "transform", &x) : NULL;
    if (!xf) {
        lw_error(L, c->line, c->col, "%s: no transform", c->name);
        return;
    }
    const char *step = scan ? "scan" : "rollup";
    const abi_transform *t = NULL;
    const char *names[32];
    ir_expr *vals[32];
    int n_state = 0;
    bool expanded = false;
    for (int i = 0; i < xf->n_fns; i++)
        expanded |= !strcmp(xf->fns[i].name, "initialize");
    if (expanded) {
        if (!expanded_state(L, xf, step, names, vals, &n_state)) {
            ir_node *h = hole_node(L, c, &in, 1,
                                   "an expanded transform (initialize/finalize) whose state is not a running sum or "
                                   "count has no IR form");
            set_out(L, ci, "out", h->id);
            return;
        }
        t = main_fn(xf, "finalize");
    } else {
        t = main_fn(xf, step);
    }
    ir_node *n = new_node(L, scan ? IR_OP_WINDOW : IR_OP_AGGREGATE, c);
    ir_node_add_input(L->job, n, in);
    for (int i = 0; i < k.n; i++) {
        ir_expr *e = key_ref(L, c, in, k.names[i]);
        if (e)
            ir_node_add_key(L->job, n, e);
    }
    if (scan) { /* running values: every record sees the rows of its group up to itself [C] */
        upstream_order(L, n, in, &k);
        n->frame.unit = IR_FRAME_ROWS;
        n->frame.start.kind = IR_BOUND_UNBOUNDED_PRECEDING;
        n->frame.end.kind = IR_BOUND_CURRENT_ROW;
        if (n->n_order == 0)
            ir_node_add_prop(L->job, n, "order", "running values follow the input order; no upstream Sort gives it");
    }
    transform_cols(L, n, t, &x, of, c);
    transform_notes(L, n, t);
    for (int i = 0; i < n->n_cols; i++) {
        ir_column *col = &n->cols[i];
        if (!col->expr)
            continue;
        if (refs_temp(col->expr)) {
            ir_expr *e = subst_temp(L, col->expr, names, vals, n_state);
            col->expr = e ? e
                          : ir_hole(L->job, col->legacy ? col->legacy : col->name,
                                    "reads a state field that is not kept");
        }
        if (has_order_dependent(col->expr))
            col->flags |= IR_COL_ORDER_DEPENDENT; /* accumulation: the group's values in input order */
        if (scan || has_agg(col->expr))
            continue;
        bool is_key = col->expr->kind == IR_EX_REF;
        if (is_key) {
            is_key = false;
            for (int g = 0; g < k.n; g++)
                is_key |= !strcmp(k.names[g], col->expr->u.ref.col);
        }
        if (!is_key && ir_expr_contains(col->expr, IR_EXPR_MASK(IR_EX_REF))) {
            col->expr = rollup_nonkey_value(L, col->expr);
            col->expr->u.call.flags |= IR_FL_ORDER_DEPENDENT;
            col->flags |= IR_COL_ORDER_DEPENDENT;
        }
    }
    if (expanded)
        ir_node_add_prop(L->job, n, "note",
                         "expanded transform: temp fields folded into aggregates (a NULL operand makes the Ab Initio "
                         "rule fail, while sum skips it)");
    set_out(L, ci, "out", n->id);
    hole_port(L, ci, "reject", in, "reject port has no IR form");
}

/* ---- fan-in, fan-out and partitioning ---- */

/* [I] Gather, Concatenate and Merge combine every input (semantics from the component names;
 * Merge keeps the key order of sorted inputs, so it is a union sorted on its key). */
static void lower_union(lw *L, int ci, bool merge)
{
    const abi_comp *c = &L->g->comps[ci];
    int nodes[64];
    const char *ports[64];
    int n_in = inputs_of(L, ci, nodes, ports, 64);
    if (n_in == 0)
        return;
    ir_node *first = ir_job_node(L->job, nodes[0]);
    for (int i = 1; i < n_in; i++)
        if (ir_job_node(L->job, nodes[i])->n_cols != first->n_cols)
            lw_error(L, c->line, c->col, "%s: input %d has %d fields, input 0 has %d", c->name, i,
                     ir_job_node(L->job, nodes[i])->n_cols, first->n_cols);
    ir_node *u;
    if (n_in == 1) {
        u = new_node(L, IR_OP_PROJECT, c);
        ir_node_add_input(L->job, u, nodes[0]);
        pass_cols(L, u, nodes[0]);
    } else {
        u = new_node(L, IR_OP_UNION, c);
        for (int i = 0; i < n_in; i++)
            ir_node_add_input(L->job, u, nodes[i]);
        for (int i = 0; i < first->n_cols; i++)
            ir_node_add_col(L->job, u, first->cols[i].name, first->cols[i].type, NULL);
    }
    if (c->kind && !strcmp(c->kind, "Concatenate"))
        ir_node_add_prop(L->job, u, "order", "all records of in0, then of in1 ...: the union keeps no order");
    int out = u->id;
    if (merge) {
        keyspec k;
        if (parse_key(L, c, pval(L, c, "key"), &k) == 0 && k.n) {
            abi_comp ts = *c;
            ts.name = arena_printf(L->a, "%s.merge_order", c->name);
            ir_node *s = new_node(L, IR_OP_SORT, &ts);
            ir_node_add_input(L->job, s, u->id);
            for (int i = 0; i < k.n; i++) {
                ir_expr *e = key_ref(L, c, u->id, k.names[i]);
                if (e)
                    ir_node_add_order(L->job, s, e, k.desc[i]);
            }
            pass_cols(L, s, u->id);
            out = s->id;
        }
    }
    set_out(L, ci, "out", out);
}

/* [I] Replicate and Broadcast copy every record to each output; Partition by Key / Round-robin /
 * Expression only spread records over parallel partitions: neither changes the rows, so each is
 * a pass-through node whose props keep the partitioning hint. */
static void lower_passthrough(lw *L, int ci, const char *hint)
{
    const abi_comp *c = &L->g->comps[ci];
    int in = input_on(L, ci, "in");
    if (!in)
        return;
    ir_node *n = new_node(L, IR_OP_PROJECT, c);
    ir_node_add_input(L->job, n, in);
    pass_cols(L, n, in);
    if (hint) {
        const char *k = pval(L, c, "key") ? pval(L, c, "key") : pval(L, c, "function");
        ir_node_add_prop(L->job, n, "partitioning", k ? arena_printf(L->a, "%s %s", hint, k) : hint);
    }
    for (int p = 0; p < c->n_ports; p++)
        if (c->ports[p].is_out)
            set_out(L, ci, c->ports[p].name, n->id);
}

/* [I] Redefine Format gives the same bytes another record format: when both formats have the
 * same number of fields with the same types, a positional rename; otherwise a hole. */
static void lower_redefine(lw *L, int ci)
{
    const abi_comp *c = &L->g->comps[ci];
    int in = input_on(L, ci, "in");
    if (!in)
        return;
    ir_node *src = ir_job_node(L->job, in);
    const ir_dataset *of = out_format(L, ci, "out");
    bool ok = of && of->n_cols == src->n_cols;
    for (int i = 0; ok && i < src->n_cols; i++)
        ok = ir_type_equal(of->cols[i].type, src->cols[i].type);
    if (!ok) {
        ir_node *h = hole_node(L, c, &in, 1, "Redefine Format between layouts that differ has no IR form");
        set_out(L, ci, "out", h->id);
        return;
    }
    ir_node *n = new_node(L, IR_OP_PROJECT, c);
    ir_node_add_input(L->job, n, in);
    for (int i = 0; i < of->n_cols; i++) {
        ir_expr *r = ir_ref(L->job, in, src->cols[i].name);
        r->type = src->cols[i].type;
        ir_node_add_col(L->job, n, of->cols[i].name, of->cols[i].type, r);
    }
    set_out(L, ci, "out", n->id);
}

static void lower_lookup_file(lw *L, int ci)
{
    const abi_comp *c = &L->g->comps[ci];
    const abi_record *r = port_record(L, ci, "read");
    if (!r)
        r = port_record(L, ci, "out");
    if (!r) {
        lw_error(L, c->line, c->col, "%s: Lookup File without a record format", c->name);
        return;
    }
    const char *name = file_dataset_name(L, file_url(L, c));
    if (!ir_job_dataset(L->job, name))
        abi_record_to_dataset(L->job, r, name);
    /* lookups are read by name from transforms (`lookup("label", ...)`), which stay holes */
}

/* ---- Normalize [I] ---- */

static void lower_hole(lw *L, int ci, const char *reason);

#define NORMALIZE_MAX 64 /* a constant length above this stays a hole (one SELECT per record) */

/* A function of a transform by name, or NULL. */
static const abi_transform *fn_named(const abi_xfr *xf, const char *name)
{
    for (int i = 0; xf && i < xf->n_fns; i++)
        if (xf->fns[i].name && !strcmp(xf->fns[i].name, name))
            return &xf->fns[i];
    return NULL;
}

/* [I] normalize_shape: a Normalize transform has `out :: length(in)` giving how many output
 * records an input record makes, and `out :: normalize(in, index)` making each, with index
 * 0 .. length-1 (the 0 base is our reading too). A constant length of 1..NORMALIZE_MAX is the
 * normalize node's fixed `occurs` (the outputs are read once per index value): returns it. Any
 * other length (per record, or a constant out of that range) is a count expression over `in`:
 * returns 0 with *count set (and *count_rule, whose note says what the expression approximates).
 * Returns 0 with *why when neither applies. */
static int normalize_shape(lw *L, const abi_xfr *xf, const char **why, ir_expr **count,
                           const abi_out_rule **count_rule)
{
    *count = NULL;
    const abi_transform *len = fn_named(xf, "length"), *norm = fn_named(xf, "normalize");
    if (!len || !norm) {
        *why = "a Normalize transform without both a length and a normalize function";
        return 0;
    }
    const abi_out_rule *r = NULL;
    for (int i = 0; i < len->n_rules && !r; i++)
        if (!len->rules[i].field)
            r = &len->rules[i];
    ir_expr *e = r ? r->expr : NULL;
    if (!e) {
        *why = "the length function has no `out :: ...` result";
        return 0;
    }
    if (has_hole(e)) {
        *why = arena_printf(L->a, "the length function's result has no IR form (%s)", r->legacy ? r->legacy : "?");
        return 0;
    }
    long long n = 0;
    if (e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_INT)
        n = strtoll(e->u.lit.text, NULL, 10);
    if (n >= 1 && n <= NORMALIZE_MAX)
        return (int)n;
    *count = e;
    *count_rule = r;
    return 0;
}

static bool int_lit(const ir_expr *e, long long *v)
{
    if (!e || e->kind != IR_EX_LIT || e->u.lit.kind != IR_LIT_INT)
        return false;
    *v = strtoll(e->u.lit.text, NULL, 10);
    return true;
}

/* What reading a Normalize rule with `index` a literal leaves constant, folded: integer + - and
 * comparisons of two literals, `if` on a literal condition. Exact (no NULL is involved), so
 * `if (index == 1) in.q2 else …` becomes the column it picks. */
static ir_expr *fold_index(lw *L, ir_expr *e)
{
    if (!e || e->kind != IR_EX_CALL)
        return e;
    int n = e->u.call.n_args;
    ir_expr **args = arena_alloc(L->a, sizeof *args * (size_t)(n + 1));
    bool changed = false;
    for (int i = 0; i < n; i++) {
        args[i] = fold_index(L, e->u.call.args[i]);
        changed |= args[i] != e->u.call.args[i];
    }
    ir_fn fn = e->u.call.fn;
    long long a, b, r;
    if (n == 2 && int_lit(args[0], &a) && int_lit(args[1], &b)) {
        switch (fn) {
        case IR_FN_ADD: if (!__builtin_add_overflow(a, b, &r)) return ir_lit_int(L->job, r); break;
        case IR_FN_SUB: if (!__builtin_sub_overflow(a, b, &r)) return ir_lit_int(L->job, r); break;
        case IR_FN_EQ: return ir_lit_bool(L->job, a == b);
        case IR_FN_NE: return ir_lit_bool(L->job, a != b);
        case IR_FN_LT: return ir_lit_bool(L->job, a < b);
        case IR_FN_LE: return ir_lit_bool(L->job, a <= b);
        case IR_FN_GT: return ir_lit_bool(L->job, a > b);
        case IR_FN_GE: return ir_lit_bool(L->job, a >= b);
        default: break;
        }
    }
    if (fn == IR_FN_IF && n == 3 && args[0]->kind == IR_EX_LIT && args[0]->u.lit.kind == IR_LIT_BOOL)
        return strcmp(args[0]->u.lit.text, "true") == 0 ? args[1] : args[2];
    if (!changed)
        return e;
    ir_expr *c = ir_call(L->job, fn, e->u.call.flags, n, args);
    c->span = e->span;
    c->type = e->type;
    return c;
}

static bool has_fn(const ir_expr *e, ir_fn fn)
{
    if (!e || e->kind != IR_EX_CALL)
        return false;
    if (e->u.call.fn == fn)
        return true;
    for (int i = 0; i < e->u.call.n_args; i++)
        if (has_fn(e->u.call.args[i], fn))
            return true;
    return false;
}

/* Removes n's note on column name when it is the `if` note alone. */
static void remove_if_note(lw *L, ir_node *n, const char *name)
{
    const char *key = arena_printf(L->a, "note %s", name);
    for (int i = 0; i < n->n_props; i++)
        if (!strcmp(n->props[i].key, key) && !strcmp(n->props[i].value, ABI_IF_NOTE)) {
            memmove(&n->props[i], &n->props[i + 1], sizeof *n->props * (size_t)(n->n_props - i - 1));
            n->n_props--;
            return;
        }
}

/* The transform's note that an `if` with a NULL condition fails the rule no longer applies once
 * folding took every `if` out of a column (its conditions tested the literal index). */
static void drop_if_note(lw *L, ir_node *n, const ir_column *col, ir_expr **alts, int occurs)
{
    for (int k = 0; k < occurs; k++)
        if (has_fn(alts[k], IR_FN_IF))
            return;
    remove_if_note(L, n, col->name);
}

/* Whether e cannot be NULL: non-NULL literals, node occ's column occ_col (an occurrence number),
 * is_null, and comparisons, arithmetic and logic over such operands. */
static bool never_null(const ir_expr *e, int occ, const char *occ_col)
{
    if (!e)
        return false;
    if (e->kind == IR_EX_LIT)
        return e->u.lit.kind != IR_LIT_NULL;
    if (e->kind == IR_EX_REF)
        return e->u.ref.node == occ && !strcmp(e->u.ref.col, occ_col);
    if (e->kind != IR_EX_CALL)
        return false;
    switch (e->u.call.fn) {
    case IR_FN_IS_NULL:
        return true;
    case IR_FN_NOT: case IR_FN_AND: case IR_FN_OR: case IR_FN_EQ: case IR_FN_NE: case IR_FN_LT: case IR_FN_LE:
    case IR_FN_GT: case IR_FN_GE: case IR_FN_ADD: case IR_FN_SUB:
        for (int i = 0; i < e->u.call.n_args; i++)
            if (!never_null(e->u.call.args[i], occ, occ_col))
                return false;
        return true;
    default:
        return false;
    }
}

/* Whether every `if` in e has a condition that cannot be NULL (then the `if` note does not apply). */
static bool ifs_never_null(const ir_expr *e, int occ, const char *occ_col)
{
    if (!e || e->kind != IR_EX_CALL)
        return true;
    if (e->u.call.fn == IR_FN_IF && !never_null(e->u.call.args[0], occ, occ_col))
        return false;
    for (int i = 0; i < e->u.call.n_args; i++)
        if (!ifs_never_null(e->u.call.args[i], occ, occ_col))
            return false;
    return true;
}

/* A name for a node's generated column: base, else base_2, base_3 ... (one its input lacks). */
static const char *fresh_col_name(lw *L, const ir_node *n, const char *base)
{
    const char *name = base;
    for (int k = 2; ir_node_col((ir_node *)n, name); k++)
        name = arena_printf(L->a, "%s_%d", base, k);
    return ir_intern(L->job, name);
}

/* [I] Normalize whose length is computed per record (normalize_shape): a normalize node with that
 * count repeats each input record (its fields passed through) with its occurrence number 1..count,
 * and a project after it computes `normalize(in, index)` with index = occurrence - 1, its rules
 * (priorities included) read as Reformat's are. */
static void normalize_per_record(lw *L, int ci, int in, const ir_dataset *of, ir_expr *count,
                                 const abi_out_rule *count_rule)
{
    const abi_comp *c = &L->g->comps[ci];
    ir_node *n = new_node(L, IR_OP_NORMALIZE, c);
    ir_node_add_input(L->job, n, in);
    n->occurs = 0;
    n->count = count;
    if (count_rule->note && !(strcmp(count_rule->note, ABI_IF_NOTE) == 0 && ifs_never_null(count, -1, "")))
        ir_node_add_prop(L->job, n, "note count", count_rule->note);
    if (count_rule->legacy)
        ir_node_add_prop(L->job, n, "length", count_rule->legacy);
    pass_cols(L, n, in);
    ir_column *occ = ir_node_add_col(L->job, n, fresh_col_name(L, n, "occurrence"), ir_type_make(IR_TY_INT, 0, 0),
                                     NULL);
    occ->flags |= IR_COL_GENERATED | IR_COL_OCCURRENCE | IR_COL_NOT_NULL;
    const char *occ_name = occ->name; /* the column array may move as columns are added */
    ir_expr *o = ir_ref(L->job, n->id, occ_name);
    o->type = ir_type_make(IR_TY_INT, 0, 0);
    xenv x = {L, {"in"}, {n->id}, 1, of, {NULL}};
    L->norm_index_expr = ir_call2(L->job, IR_FN_SUB, o, ir_lit_int(L->job, 1));
    diag_ctx quiet; /* lower_normalize's first reading reported the transform's errors */
    diag_init(&quiet, NULL, NULL);
    diag_ctx *loud = L->dc;
    L->dc = &quiet;
    const abi_transform *t = fn_named(load_xfr(L, c, "transform", &x), "normalize");
    L->dc = loud;
    L->norm_index_expr = NULL;
    abi_comp tmp = *c;
    tmp.name = arena_printf(L->a, "%s.normalize", c->name);
    ir_node *p = new_node(L, IR_OP_PROJECT, &tmp);
    ir_node_add_input(L->job, p, n->id);
    transform_cols(L, p, t, &x, of, c);
    no_aggregates(L, p);
    transform_notes(L, p, t);
    for (int i = 0; i < p->n_cols; i++)
        if (ifs_never_null(p->cols[i].expr, n->id, occ_name))
            remove_if_note(L, p, p->cols[i].name);
    set_out(L, ci, "out", p->id);
    hole_port(L, ci, "reject", in, "reject port has no IR form");
}

static void lower_normalize(lw *L, int ci)
{
    const abi_comp *c = &L->g->comps[ci];
    int in = input_on(L, ci, "in");
    if (!in)
        return;
    const ir_dataset *of = out_format(L, ci, "out");
    xenv x = {L, {"in"}, {in}, 1, of, {NULL}};
    L->norm_index = 0;
    abi_xfr *xf = load_xfr(L, c, "transform", &x);
    L->norm_index = -1;
    const char *why = "Normalize without a transform";
    ir_expr *count = NULL;
    const abi_out_rule *count_rule = NULL;
    int occurs = xf ? normalize_shape(L, xf, &why, &count, &count_rule) : 0;
    if (count) {
        normalize_per_record(L, ci, in, of, count, count_rule);
        return;
    }
    if (!occurs) {
        lower_hole(L, ci, arena_printf(L->a, "Normalize [I]: %s", why));
        return;
    }
    ir_node *n = new_node(L, IR_OP_NORMALIZE, c);
    ir_node_add_input(L->job, n, in);
    n->occurs = occurs;
    const abi_transform *first = fn_named(xf, "normalize");
    transform_cols(L, n, first, &x, of, c);
    transform_notes(L, n, first);
    no_aggregates(L, n);
    /* the outputs of each later index; a column whose value does not change keeps one expression */
    ir_expr ***alts = arena_alloc(L->a, sizeof *alts * (size_t)n->n_cols);
    for (int i = 0; i < n->n_cols; i++) {
        alts[i] = arena_alloc(L->a, sizeof **alts * (size_t)occurs);
        alts[i][0] = n->cols[i].expr;
    }
    diag_ctx quiet; /* the first reading reported the transform's errors */
    diag_init(&quiet, NULL, NULL);
    diag_ctx *loud = L->dc;
    L->dc = &quiet;
    for (int k = 1; k < occurs; k++) {
        L->norm_index = k;
        const abi_transform *t = fn_named(load_xfr(L, c, "transform", &x), "normalize");
        for (int i = 0; i < n->n_cols; i++) {
            const abi_out_rule *r = rule_for(t, n->cols[i].name);
            alts[i][k] = r && r->expr ? r->expr : alts[i][0];
        }
    }
    L->norm_index = -1;
    L->dc = loud;
    for (int i = 0; i < n->n_cols; i++) {
        for (int k = 0; k < occurs; k++)
            alts[i][k] = fold_index(L, alts[i][k]);
        n->cols[i].expr = alts[i][0];
        drop_if_note(L, n, &n->cols[i], alts[i], occurs);
        bool same = true;
        for (int k = 1; k < occurs && same; k++)
            same = ir_expr_equal(alts[i][k], alts[i][0]);
        if (same)
            continue;
        n->cols[i].alts = alts[i];
        n->cols[i].n_alts = occurs;
        n->cols[i].expr = NULL;
    }
    set_out(L, ci, "out", n->id);
    hole_port(L, ci, "reject", in, "reject port has no IR form");
}

/* A Run SQL that flows touch: what its ports carry is not publicly known [U], so a hole; one that
 * no flow touches is read by abi_graph_run_sql (abi_runsql.c), not here. */
static void lower_run_sql(lw *L, int ci)
{
    const abi_comp *c = &L->g->comps[ci];
    if (abi_run_sql_apart(L->g, ci))
        return;
    int nodes[64];
    const char *ports[64];
    int n_in = inputs_of(L, ci, nodes, ports, 64);
    ir_node *n = hole_node(L, c, nodes, n_in,
                           "Run SQL connected by flows: what its ports carry is not publicly known [U]");
    const char *sql = pval(L, c, "sql");
    if (sql)
        n->sql = ir_intern(L->job, sql);
    for (int p = 0; p < c->n_ports; p++)
        if (c->ports[p].is_out)
            set_out(L, ci, c->ports[p].name, n->id);
}

static void lower_hole(lw *L, int ci, const char *reason)
{
    const abi_comp *c = &L->g->comps[ci];
    int nodes[64];
    const char *ports[64];
    int n_in = inputs_of(L, ci, nodes, ports, 64);
    ir_node *n = hole_node(L, c, nodes, n_in, reason);
    const ir_dataset *of = NULL;
    for (int p = 0; p < c->n_ports && !of; p++)
        if (c->ports[p].is_out)
            of = out_format(L, ci, c->ports[p].name);
    for (int i = 0; of && i < of->n_cols; i++)
        ir_node_add_col(L->job, n, of->cols[i].name, of->cols[i].type, NULL);
    for (int p = 0; p < c->n_ports; p++)
        if (c->ports[p].is_out)
            set_out(L, ci, c->ports[p].name, n->id);
}

/* ---- ports ---- */

/* Ports of the components whose templates the reference lists [C, §3.5]; others are not checked. */
static bool port_known(const char *kind, const char *port, bool *checked)
{
    static const struct {
        const char *kind, *ports;
    } tbl[] = {
        {"Reformat", "in out* reject* error* log"},
        {"Filter by Expression", "in out deselect reject error log"},
        {"Join", "in* out unused* reject* error* log"},
        {"Dedup Sorted", "in out dup reject error log"},
        {"Input File", "read"},
        {"Output File", "write"},
        {"Lookup File", "read out"},
        {"Input Table", "read"},
        {"Sort", "in out"},
    };
    *checked = false;
    for (size_t i = 0; kind && i < sizeof tbl / sizeof tbl[0]; i++) {
        if (strcmp(tbl[i].kind, kind) != 0)
            continue;
        *checked = true;
        const char *s = tbl[i].ports;
        while (*s) {
            const char *e = strchr(s, ' ');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            if (s[n - 1] == '*') {
                size_t pn = n - 1;
                if (!strncmp(port, s, pn)) {
                    const char *d = port + pn;
                    while (*d >= '0' && *d <= '9')
                        d++;
                    if (!*d)
                        return true;
                }
            } else if (strlen(port) == n && !strncmp(port, s, n)) {
                return true;
            }
            s += n;
            while (*s == ' ')
                s++;
        }
        return false;
    }
    return true;
}

/* Drops flows whose ports the component does not have (reported); returns a usable flow mask. */
static void check_ports(lw *L, bool *ok)
{
    for (int i = 0; i < L->g->n_flows; i++) {
        const abi_flow *f = &L->g->flows[i];
        ok[i] = true;
        for (int end = 0; end < 2; end++) {
            const abi_comp *c = &L->g->comps[end ? f->to : f->from];
            const char *port = end ? f->to_port : f->from_port;
            bool checked;
            if (!port_known(c->kind, port, &checked)) {
                lw_error(L, f->line, f->col, "flow %s.%s -> %s.%s: %s '%s' has no port '%s'",
                         L->g->comps[f->from].name, f->from_port, L->g->comps[f->to].name, f->to_port, c->kind, c->name,
                         port);
                ok[i] = false;
            }
        }
    }
}

/* ---- driver ---- */

static void lower_comp(lw *L, int ci)
{
    const abi_comp *c = &L->g->comps[ci];
    const char *k = c->kind;
    if (!k && c->template && strlen(c->template) > 3 && !strcmp(c->template + strlen(c->template) - 3, ".mp")) {
        /* a graph file as a component's template: a sub-graph, presumably; how .mp stores one is [U] */
        diag_at(L->dc, DIAG_WARNING, NULL, L->g->path, c->line, c->col,
                "component '%s' is an instance of the graph %s (a sub-graph?): how a .mp file stores sub-graphs is "
                "not publicly known, so its members are not read",
                c->name, c->template);
        lower_hole(L, ci, "a graph used as a component (a sub-graph?): how a .mp file stores sub-graphs is not "
                          "publicly known [U]");
        return;
    }
    if (!k) {
        lower_hole(L, ci,
                   c->template ? "component template not recognised" : c->mpname ? "mp command not recognised"
                                                                                : "component without a template");
        return;
    }
    int in = 0;
    if (!strcmp(k, "Input File") || !strcmp(k, "Intermediate File"))
        lower_input_file(L, ci, "read");
    else if (!strcmp(k, "Output File")) {
        if ((in = input_on(L, ci, "write")))
            lower_output(L, ci, in, false);
    } else if (!strcmp(k, "Input Table"))
        lower_input_table(L, ci);
    else if (!strcmp(k, "Output Table")) {
        if ((in = input_on(L, ci, "in")) || (in = input_on(L, ci, "write")))
            lower_output(L, ci, in, true);
    } else if (!strcmp(k, "Reformat"))
        lower_reformat(L, ci);
    else if (!strcmp(k, "Filter by Expression"))
        lower_filter(L, ci);
    else if (!strcmp(k, "Join"))
        lower_join(L, ci);
    else if (!strcmp(k, "Sort"))
        lower_sort(L, ci);
    else if (!strcmp(k, "Dedup Sorted"))
        lower_dedup(L, ci);
    else if (!strcmp(k, "Rollup") || !strcmp(k, "Aggregate"))
        lower_rollup_scan(L, ci, false);
    else if (!strcmp(k, "Scan"))
        lower_rollup_scan(L, ci, true);
    else if (!strcmp(k, "Gather") || !strcmp(k, "Concatenate") || !strcmp(k, "Interleave"))
        lower_union(L, ci, false);
    else if (!strcmp(k, "Merge"))
        lower_union(L, ci, true);
    else if (!strcmp(k, "Replicate") || !strcmp(k, "Broadcast"))
        lower_passthrough(L, ci, NULL);
    else if (!strcmp(k, "Partition by Key"))
        lower_passthrough(L, ci, "partition by key");
    else if (!strcmp(k, "Partition by Round-robin"))
        lower_passthrough(L, ci, "partition round-robin");
    else if (!strcmp(k, "Partition by Expression"))
        lower_passthrough(L, ci, "partition by expression");
    else if (!strcmp(k, "Redefine Format"))
        lower_redefine(L, ci);
    else if (!strcmp(k, "Lookup File"))
        lower_lookup_file(L, ci);
    else if (!strcmp(k, "Run SQL"))
        lower_run_sql(L, ci);
    else if (!strcmp(k, "Trash"))
        ; /* records are discarded: no node */
    else if (!strcmp(k, "Normalize"))
        lower_normalize(L, ci);
    else if (!strcmp(k, "Denormalize Sorted"))
        lower_hole(L, ci, DENORMALIZE_WHY);
    else
        lower_hole(L, ci, "component with no IR form");
}

static void collect_param_refs(lw *L, const ir_expr *e)
{
    if (!e)
        return;
    if (e->kind == IR_EX_PARAM && !ir_job_param(L->job, e->u.param.name)) {
        ir_param *p = ir_job_add_param(L->job, e->u.param.name);
        p->type = ir_type_make(IR_TY_STRING, 0, 0);
        const char *v = abi_sandbox_get(L->opt->sandbox, e->u.param.name);
        if (v)
            p->default_value = ir_intern(L->job, v);
    }
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            collect_param_refs(L, e->u.call.args[i]);
}

ir_job *abi_graph_lower(const abi_graph *g, const abi_lower_opts *opt, diag_ctx *dc)
{
    abi_lower_opts none = {0};
    if (!opt)
        opt = &none;
    lw L;
    memset(&L, 0, sizeof L);
    L.g = g;
    L.opt = opt;
    L.dc = dc;
    L.job = ir_job_new(opt->job_name ? opt->job_name : g->name);
    L.a = L.job->arena;
    L.scratch = ir_job_new("scratch");
    L.norm_index = -1;
    L.lookup_src = arena_alloc(L.a, sizeof *L.lookup_src * (size_t)(g->n_comps + 1));
    memset(L.lookup_src, 0, sizeof *L.lookup_src * (size_t)(g->n_comps + 1));
    L.file = ir_intern(L.job, g->path);
    L.job->format = "abinitio";
    L.job->file = L.file;
    L.job->line = 1;
    if (opt->sandbox && opt->sandbox->root) {
        const char *b = strrchr(opt->sandbox->root, '/');
        L.job->folder = ir_intern(L.job, b ? b + 1 : opt->sandbox->root);
    }
    /* graph parameters: declared defaults, then the parameter set's values */
    int cap = 0;
    for (int i = 0; i < g->n_params; i++) {
        const abi_gparam *p = &g->params[i];
        if (p->name[0] == '!' || p->name[0] == '.')
            continue;
        if (L.vals.n == cap) {
            int nc = cap ? cap * 2 : 8;
            L.vals.entries = arena_grow(L.a, L.vals.entries, (size_t)cap, (size_t)nc, sizeof *L.vals.entries);
            cap = nc;
        }
        L.vals.entries[L.vals.n++] = (abi_pset_entry){p->name, "", p->value, p->line};
    }
    if (opt->pset)
        for (int i = 0; i < opt->pset->n; i++) {
            if (opt->pset->entries[i].name[0] == '!')
                continue;
            if (L.vals.n == cap) {
                int nc = cap ? cap * 2 : 8;
                L.vals.entries = arena_grow(L.a, L.vals.entries, (size_t)cap, (size_t)nc, sizeof *L.vals.entries);
                cap = nc;
            }
            L.vals.entries[L.vals.n++] = opt->pset->entries[i];
        }
    for (int i = 0; i < L.vals.n; i++) {
        const char *name = ir_intern(L.job, L.vals.entries[i].name);
        ir_param *p = ir_job_param(L.job, name);
        if (!p) {
            p = ir_job_add_param(L.job, name);
            p->type = ir_type_make(IR_TY_STRING, 0, 0);
            p->span.file = L.file;
            p->span.line = L.vals.entries[i].line;
        }
        const char *v = L.vals.entries[i].value;
        /* sandbox values are substituted; other references stay for run time */
        p->default_value = v && *v ? ir_intern(L.job, abi_subst(L.a, v, opt->sandbox, NULL)) : NULL;
    }
    /* components in flow order */
    bool *ok = arena_alloc(L.a, sizeof *ok * (size_t)(g->n_flows + 1));
    check_ports(&L, ok);
    int *indeg = arena_alloc(L.a, sizeof *indeg * (size_t)(g->n_comps + 1));
    bool *done = arena_alloc(L.a, sizeof *done * (size_t)(g->n_comps + 1));
    memset(indeg, 0, sizeof *indeg * (size_t)(g->n_comps + 1));
    memset(done, 0, sizeof *done * (size_t)(g->n_comps + 1));
    abi_graph *mg = (abi_graph *)g; /* flows with bad ports are dropped for the lowering only */
    abi_flow *saved = g->flows;
    int saved_n = g->n_flows;
    abi_flow *kept = arena_alloc(L.a, sizeof *kept * (size_t)(g->n_flows + 1));
    int n_kept = 0;
    for (int i = 0; i < g->n_flows; i++)
        if (ok[i])
            kept[n_kept++] = g->flows[i];
    mg->flows = kept;
    mg->n_flows = n_kept;
    for (int i = 0; i < n_kept; i++)
        indeg[kept[i].to]++;
    for (int round = 0; round < g->n_comps; round++) {
        int pick = -1;
        for (int i = 0; i < g->n_comps && pick < 0; i++)
            if (!done[i] && indeg[i] == 0)
                pick = i;
        if (pick < 0) {
            for (int i = 0; i < g->n_comps; i++)
                if (!done[i]) {
                    lw_error(&L, g->comps[i].line, g->comps[i].col, "the flows through '%s' form a cycle",
                             g->comps[i].name);
                    break;
                }
            break;
        }
        done[pick] = true;
        lower_comp(&L, pick);
        for (int i = 0; i < n_kept; i++)
            if (kept[i].from == pick)
                indeg[kept[i].to]--;
    }
    mg->flows = saved;
    mg->n_flows = saved_n;
    for (int i = 0; i < L.job->n_nodes; i++) {
        ir_node *n = L.job->nodes[i];
        collect_param_refs(&L, n->predicate);
        for (int k = 0; k < n->n_cols; k++)
            collect_param_refs(&L, n->cols[k].expr);
    }
    ir_job_infer_types(L.job);
    ir_job_free(L.scratch);
    return L.job;
}
