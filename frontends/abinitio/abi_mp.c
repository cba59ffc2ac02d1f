/*
 * abi_mp.c — reads a graph (.mp) in the EME flatten format (reference §4) into the graph model.
 *
 * The file is `@` on line 1, a header record `{18|Type|XXGrepository|...|eme_flatten_format|1|...}`,
 * then one record per entity and per relation [C]. A record is a braced group of `|`-separated
 * items; items hold text and nested groups; `\|`, `\{`, `\}` and `\\` stand for the character
 * itself [I, consistent across all samples]. Records are read into a small tree first, then
 * interpreted: vertices (components and prototypes) with their XXparameter records, ports,
 * flows, the graph → vertex relation that names each component, instance → prototype links, and
 * "same as" parameter links [C]. Canvas fields and `@` placeholders ([U]) are ignored.
 */
#include "frontends/abinitio/abi_graph_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MP_MAX_DEPTH 64

typedef struct mp_group mp_group;

typedef struct mp_item {
    char *text;        /* all the item's own text, escapes resolved (nested groups excluded) */
    char *tail;        /* text after the item's last group ("" when none or no group) */
    mp_group **groups; /* nested groups in order */
    int n_groups;
    size_t off;        /* where the item starts in the file */
} mp_item;

struct mp_group {
    mp_item *items;
    int n_items;
    size_t off; /* the '{' */
};

typedef struct mp_reader {
    arena *a;
    diag_ctx *dc;
    const srcfile *src;
    const char *path;
    const char *text;
    size_t len, pos;
    int n_errors;
} mp_reader;

static void mp_error(mp_reader *r, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void mp_error(mp_reader *r, size_t off, const char *fmt, ...)
{
    int line = 1, col = 1;
    if (r->src)
        srcfile_line_col(r->src, off, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    diag_vat(r->dc, DIAG_ERROR, r->src, r->path, line, col, fmt, ap);
    va_end(ap);
    r->n_errors++;
}

/* Parses the group at r->pos ('{'). NULL after an error (reported at the group's opening). */
static mp_group *parse_group(mp_reader *r, int depth)
{
    size_t open = r->pos;
    if (depth > MP_MAX_DEPTH) {
        mp_error(r, open, "records nested more than %d deep", MP_MAX_DEPTH);
        return NULL;
    }
    r->pos++; /* '{' */
    mp_group *g = arena_alloc(r->a, sizeof *g);
    memset(g, 0, sizeof *g);
    g->off = open;
    int cap_items = 0;
    strbuf text = STRBUF_INIT, tail = STRBUF_INIT;
    mp_group **groups = NULL;
    int n_groups = 0, cap_groups = 0;
    size_t item_off = r->pos;
    for (;;) {
        if (r->pos >= r->len) {
            sb_free(&text);
            sb_free(&tail);
            if (depth == 0) /* reported once, by the outermost group */
                mp_error(r, open, "record cut short: this '{' is not closed before the end of the file");
            return NULL;
        }
        char c = r->text[r->pos];
        if (c == '\\' && r->pos + 1 < r->len && strchr("|{}\\", r->text[r->pos + 1])) {
            sb_putc(&text, r->text[r->pos + 1]);
            sb_putc(&tail, r->text[r->pos + 1]);
            r->pos += 2;
            continue;
        }
        if (c == '{') {
            mp_group *sub = parse_group(r, depth + 1);
            if (!sub) {
                sb_free(&text);
                sb_free(&tail);
                if (depth == 0 && r->pos >= r->len)
                    mp_error(r, open, "record cut short: this '{' is not closed before the end of the file");
                return NULL;
            }
            if (n_groups == cap_groups) {
                int nc = cap_groups ? cap_groups * 2 : 2;
                groups = arena_grow(r->a, groups, (size_t)cap_groups, (size_t)nc, sizeof *groups);
                cap_groups = nc;
            }
            groups[n_groups++] = sub;
            sb_clear(&tail);
            continue;
        }
        if (c == '|' || c == '}') {
            if (g->n_items == cap_items) {
                int nc = cap_items ? cap_items * 2 : 8;
                g->items = arena_grow(r->a, g->items, (size_t)cap_items, (size_t)nc, sizeof *g->items);
                cap_items = nc;
            }
            mp_item *it = &g->items[g->n_items++];
            it->text = arena_strdup(r->a, sb_cstr(&text));
            it->tail = arena_strdup(r->a, n_groups ? sb_cstr(&tail) : "");
            it->groups = groups;
            it->n_groups = n_groups;
            it->off = item_off;
            sb_clear(&text);
            sb_clear(&tail);
            groups = NULL;
            n_groups = cap_groups = 0;
            r->pos++;
            item_off = r->pos;
            if (c == '}')
                break;
            continue;
        }
        sb_putc(&text, c);
        sb_putc(&tail, c);
        r->pos++;
    }
    sb_free(&text);
    sb_free(&tail);
    return g;
}

static const char *item_text(const mp_group *g, int i)
{
    return g && i < g->n_items ? g->items[i].text : "";
}

/* ---- the header ---- */

bool abi_mp_detect(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
        i++;
    if (i >= len || text[i] != '@')
        return false;
    i++;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
        i++;
    if (i >= len || text[i] != '\n')
        return false;
    i++;
    size_t n = len - i < 512 ? len - i : 512;
    static const char want[] = "{18|Type|XXGrepository|";
    if (n < sizeof want - 1 || memcmp(text + i, want, sizeof want - 1) != 0)
        return false;
    for (size_t k = i; k + 18 <= i + n; k++)
        if (memcmp(text + k, "eme_flatten_format", 18) == 0)
            return true;
    return false;
}

/* ---- interpretation ---- */

typedef enum { E_OTHER, E_GRAPH, E_VERTEX, E_IPORT, E_OPORT, E_FLOW } ent_class;

typedef struct entity {
    long id;
    ent_class cls;
    const char *cls_name;
    mp_group *payload;
    size_t off;
    /* vertices */
    abi_gparam *params;
    int n_params, cap_params;
    long proto;        /* prototype entity id, 0 none */
    const char *name;  /* from XXGgraph_vertex_vertex; NULL for prototypes */
    int comp;          /* index in the graph, -1 */
    /* ports */
    long vertex;       /* owning vertex */
    const char *port;  /* port name */
    /* flows */
    long src_port, dst_port; /* oport, iport feeding this flow */
} entity;

typedef struct sameas {
    long from, to;
    const char *from_param, *to_param;
} sameas;

typedef struct mp_state {
    mp_reader r;
    entity *ents;
    int n_ents, cap_ents;
    sameas *same;
    int n_same, cap_same;
    int *by_id;      /* entity indexes sorted by id */
    int n_by_id;
    mp_group **rels; /* relation records, linked after all entities are read */
    int n_rels, cap_rels;
    abi_graph *g;
} mp_state;

/* Entities stay in file order; by_id indexes them by id for the relations (sort_ents). */
static const entity *sort_base;

static int cmp_idx(const void *a, const void *b)
{
    const entity *x = &sort_base[*(const int *)a], *y = &sort_base[*(const int *)b];
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

static entity *find_ent(mp_state *s, long id)
{
    int lo = 0, hi = s->n_by_id - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        long v = s->ents[s->by_id[mid]].id;
        if (v == id)
            return &s->ents[s->by_id[mid]];
        if (v < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

static void sort_ents(mp_state *s)
{
    s->by_id = arena_alloc(s->r.a, sizeof *s->by_id * (size_t)(s->n_ents + 1));
    for (int i = 0; i < s->n_ents; i++)
        s->by_id[i] = i;
    sort_base = s->ents;
    if (s->n_ents > 1)
        qsort(s->by_id, (size_t)s->n_ents, sizeof *s->by_id, cmp_idx);
    int k = 0;
    for (int i = 0; i < s->n_ents; i++) {
        entity *e = &s->ents[s->by_id[i]];
        if (k && s->ents[s->by_id[k - 1]].id == e->id) {
            mp_error(&s->r, e->off, "entity id %ld is used twice; this later record is ignored", e->id);
            e->cls = E_OTHER;
            e->id = 0;
            continue;
        }
        s->by_id[k++] = s->by_id[i];
    }
    s->n_by_id = k;
}

static long parse_id(const char *t)
{
    char *end;
    long v = strtol(t, &end, 10);
    while (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t')
        end++;
    return *end ? 0 : v;
}

/* Collects XXparameter records anywhere under g into e's parameters. Record shape [C]:
 * {30001002|XXparameter|<name>|<value>|<type>|<interp>|<flags>|<description>|{<choices>}}. */
static void collect_params(mp_state *s, entity *e, const mp_group *g, int depth)
{
    if (!g || depth > MP_MAX_DEPTH)
        return;
    if (g->n_items >= 4 && strcmp(item_text(g, 1), "XXparameter") == 0) {
        const char *name = item_text(g, 2);
        if (*name) {
            abi_gparam *p = abi_params_add(&e->params, &e->n_params, &e->cap_params, s->r.a, name, item_text(g, 3));
            p->type = atoi(item_text(g, 4));
            p->interp = atoi(item_text(g, 5));
            const char *fl = item_text(g, 6);
            p->flags = *fl ? fl : NULL;
            size_t off = g->items[3].off;
            if (s->r.src)
                srcfile_line_col(s->r.src, off, &p->line, &p->col);
        }
        return;
    }
    for (int i = 0; i < g->n_items; i++)
        for (int k = 0; k < g->items[i].n_groups; k++)
            collect_params(s, e, g->items[i].groups[k], depth + 1);
}

static void add_entity(mp_state *s, const mp_group *rec)
{
    const char *cname = item_text(rec, 1);
    if (s->n_ents == s->cap_ents) {
        int nc = s->cap_ents ? s->cap_ents * 2 : 64;
        s->ents = arena_grow(s->r.a, s->ents, (size_t)s->cap_ents, (size_t)nc, sizeof *s->ents);
        s->cap_ents = nc;
    }
    entity *e = &s->ents[s->n_ents++];
    memset(e, 0, sizeof *e);
    e->id = parse_id(item_text(rec, 2));
    e->cls_name = cname;
    e->payload = rec->items[6].n_groups ? rec->items[6].groups[0] : NULL;
    e->off = rec->off;
    e->comp = -1;
    if (!strcmp(cname, "XXGgraph"))
        e->cls = E_GRAPH;
    else if (!strcmp(cname, "XXGpvertex") || !strcmp(cname, "XXGfvertex") || !strcmp(cname, "XXGtvertex"))
        e->cls = E_VERTEX;
    else if (!strcmp(cname, "XXGiport"))
        e->cls = E_IPORT;
    else if (!strcmp(cname, "XXGoport"))
        e->cls = E_OPORT;
    else if (!strcmp(cname, "XXGflow"))
        e->cls = E_FLOW;
    if (e->cls == E_GRAPH || e->cls == E_VERTEX)
        collect_params(s, e, e->payload, 0);
}

/* A relation `{<class-id>|<name>|<rel-id>|0|<seq>|0|{<payload>}<from>|<to>|}` [C]. */
static void add_relation(mp_state *s, const mp_group *rec)
{
    const char *rname = item_text(rec, 1);
    const mp_item *pi = &rec->items[6];
    const mp_group *pl = pi->groups[pi->n_groups - 1];
    long from = parse_id(pi->tail), to = parse_id(item_text(rec, 7));
    entity *f = find_ent(s, from), *t = find_ent(s, to);
    if (!f || !t) {
        mp_error(&s->r, rec->off, "relation %s links entity %ld to entity %ld, and one of them is not in the file",
                 rname,
                 from, to);
        return;
    }
    if (!strcmp(rname, "XXGgraph_vertex_vertex")) {
        if (t->cls == E_VERTEX && *item_text(pl, 0))
            t->name = item_text(pl, 0);
    } else if (!strcmp(rname, "XXGvertex_iport_iport") || !strcmp(rname, "XXGvertex_oport_oport")) {
        t->vertex = from;
        t->port = item_text(pl, 1);
        if (!*t->port)
            mp_error(&s->r, rec->off, "port relation without a port name");
    } else if (!strcmp(rname, "XXGoport_dst_flow")) {
        t->src_port = from;
    } else if (!strcmp(rname, "XXGiport_src_flow")) {
        t->dst_port = from;
    } else if (!strcmp(rname, "XXGobject_proto_object")) {
        f->proto = to;
    } else if (!strcmp(rname, "XXGobject_psameas_object")) {
        if (s->n_same == s->cap_same) {
            int nc = s->cap_same ? s->cap_same * 2 : 16;
            s->same = arena_grow(s->r.a, s->same, (size_t)s->cap_same, (size_t)nc, sizeof *s->same);
            s->cap_same = nc;
        }
        sameas *sa = &s->same[s->n_same++];
        sa->from = from;
        sa->to = to;
        sa->from_param = item_text(pl, 0);
        sa->to_param = item_text(pl, 1);
    }
    /* other relations (properties, watchers, legends) carry nothing the IR needs */
}

static void read_records(mp_state *s)
{
    mp_reader *r = &s->r;
    /* line 1: '@' */
    while (r->pos < r->len && r->text[r->pos] != '\n')
        r->pos++;
    int seen_header = 0;
    while (r->pos < r->len) {
        char c = r->text[r->pos];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            r->pos++;
            continue;
        }
        if (c != '{') {
            mp_error(r, r->pos, "expected a record ('{'), found '%c'", c);
            while (r->pos < r->len && !(r->text[r->pos] == '\n' && r->pos + 1 < r->len && r->text[r->pos + 1] == '{'))
                r->pos++;
            continue;
        }
        size_t start = r->pos;
        mp_group *rec = parse_group(r, 0);
        if (!rec)
            return; /* cut short: everything before it stays */
        if (!seen_header) {
            seen_header = 1;
            continue;
        }
        if (rec->n_items < 7) {
            mp_error(r, start, "record with %d fields; entity and relation records have at least 7", rec->n_items);
            continue;
        }
        const mp_item *pi = &rec->items[6];
        if (pi->n_groups == 0) {
            mp_error(r, start, "record %s has no payload group", item_text(rec, 1));
            continue;
        }
        if (*pi->tail && rec->n_items >= 8) { /* relations are linked once every entity is known */
            if (s->n_rels == s->cap_rels) {
                int nc = s->cap_rels ? s->cap_rels * 2 : 64;
                s->rels = arena_grow(r->a, s->rels, (size_t)s->cap_rels, (size_t)nc, sizeof *s->rels);
                s->cap_rels = nc;
            }
            s->rels[s->n_rels++] = rec;
        } else {
            add_entity(s, rec);
        }
    }
}

/* Gives one of two parameters the other's value when only one is set; returns whether it did. */
static int unify(arena *a, abi_comp *x, const char *px_name, abi_comp *y, const char *py_name)
{
    const abi_gparam *px = abi_comp_param(x, px_name), *py = abi_comp_param(y, py_name);
    const char *vx = px ? px->value : "", *vy = py ? py->value : "";
    if (!*vx && *vy) {
        abi_gparam keep = *py;
        abi_gparam *n = abi_comp_set(x, a, px_name, keep.value);
        n->type = keep.type;
        n->line = keep.line;
        n->col = keep.col;
        return 1;
    }
    if (*vx && !*vy) {
        abi_gparam keep = *px;
        abi_gparam *n = abi_comp_set(y, a, py_name, keep.value);
        n->type = keep.type;
        n->line = keep.line;
        n->col = keep.col;
        return 1;
    }
    return 0;
}

/* [I] A prototype's `_propagation` rules, e.g. `out = in` or `reject = in` [C as examples; the
 * exact encoding of several rules is our reading: separated by newlines, ';' or ','], say that
 * the record format on one port is the one on another. */
static int propagate_within(arena *a, abi_comp *c)
{
    const char *rules = abi_comp_value(c, "_propagation");
    int changed = 0;
    for (const char *p = rules; p && *p;) {
        const char *e = p;
        while (*e && *e != '\n' && *e != ';' && *e != ',')
            e++;
        const char *eq = memchr(p, '=', (size_t)(e - p));
        if (eq) {
            const char *l0 = p, *l1 = eq, *r0 = eq + 1, *r1 = e;
            while (l0 < l1 && (*l0 == ' ' || *l0 == '\t'))
                l0++;
            while (l1 > l0 && (l1[-1] == ' ' || l1[-1] == '\t'))
                l1--;
            while (r0 < r1 && (*r0 == ' ' || *r0 == '\t'))
                r0++;
            while (r1 > r0 && (r1[-1] == ' ' || r1[-1] == '\t' || r1[-1] == '\r'))
                r1--;
            if (l1 > l0 && r1 > r0) {
                char *lp = arena_printf(a, "%.*s_metadata", (int)(l1 - l0), l0);
                char *rp = arena_printf(a, "%.*s_metadata", (int)(r1 - r0), r0);
                changed |= unify(a, c, lp, c, rp);
            }
        }
        p = *e ? e + 1 : e;
    }
    return changed;
}

/* Unifies "same as" parameters [C]: parameter A of X and parameter B of Y hold the same value, so
 * whichever side has a value gives it to the other (record formats along flows), together with
 * the propagation rules inside each component, until nothing changes. */
static void apply_sameas(mp_state *s)
{
    for (int round = 0; round < 64; round++) {
        int changed = 0;
        for (int i = 0; i < s->n_same; i++) {
            sameas *sa = &s->same[i];
            entity *x = find_ent(s, sa->from), *y = find_ent(s, sa->to);
            if (!x || !y || x->comp < 0 || y->comp < 0 || !*sa->from_param || !*sa->to_param)
                continue;
            changed |= unify(s->r.a, &s->g->comps[x->comp], sa->from_param, &s->g->comps[y->comp], sa->to_param);
        }
        for (int i = 0; i < s->g->n_comps; i++)
            changed |= propagate_within(s->r.a, &s->g->comps[i]);
        if (!changed)
            break;
    }
}

static void build_graph(mp_state *s)
{
    abi_graph *g = s->g;
    arena *a = s->r.a;
    for (int i = 0; i < s->n_ents; i++) {
        entity *e = &s->ents[i];
        if (e->cls == E_GRAPH) {
            for (int k = 0; k < e->n_params; k++) {
                abi_gparam *p = abi_params_add(&g->params, &g->n_params, &g->cap_params, a, e->params[k].name,
                                               e->params[k].value);
                *p = e->params[k];
                if (!strcmp(p->name, "!ab_compatibility"))
                    g->compat = p->value;
            }
        }
    }
    for (int i = 0; i < s->n_ents; i++) {
        entity *e = &s->ents[i];
        if (e->cls != E_VERTEX || !e->name)
            continue; /* prototypes are not components */
        int line = 0, col = 0;
        if (s->r.src)
            srcfile_line_col(s->r.src, e->off, &line, &col);
        if (abi_graph_comp_index(g, e->name) >= 0) {
            mp_error(&s->r, e->off, "two components are named '%s'", e->name);
            continue;
        }
        abi_comp *c = abi_graph_add_comp(g, a, e->name, line, col);
        e->comp = g->n_comps - 1;
        for (int k = 0; k < e->n_params; k++)
            *abi_comp_set(c, a, e->params[k].name, e->params[k].value) = e->params[k];
        entity *pr = e->proto ? find_ent(s, e->proto) : NULL;
        for (int k = 0; pr && k < pr->n_params; k++) /* the prototype's defaults, where not set */
            if (!abi_comp_param(c, pr->params[k].name) || !*abi_comp_param(c, pr->params[k].name)->value)
                *abi_comp_set(c, a, pr->params[k].name, pr->params[k].value) = pr->params[k];
        c->template = abi_comp_value(c, "!prototype_path");
        c->mpname = abi_comp_value(c, "mpname");
        c->kind = abi_kind_from_mpname(c->mpname);
        if (!c->kind)
            c->kind = abi_kind_from_template(c->template);
    }
    for (int i = 0; i < s->n_ents; i++) {
        entity *e = &s->ents[i];
        if ((e->cls == E_IPORT || e->cls == E_OPORT) && e->port && e->vertex) {
            entity *v = find_ent(s, e->vertex);
            if (v && v->comp >= 0)
                abi_comp_add_port(&g->comps[v->comp], a, e->port, e->cls == E_OPORT);
        }
    }
    for (int i = 0; i < s->n_ents; i++) {
        entity *e = &s->ents[i];
        if (e->cls != E_FLOW)
            continue;
        entity *op = find_ent(s, e->src_port), *ip = find_ent(s, e->dst_port);
        if (!op || !ip || !op->port || !ip->port) {
            mp_error(&s->r, e->off, "flow %ld is not connected at both ends (an output port and an input port)", e->id);
            continue;
        }
        entity *fv = find_ent(s, op->vertex), *tv = find_ent(s, ip->vertex);
        if (!fv || !tv || fv->comp < 0 || tv->comp < 0) {
            mp_error(&s->r, e->off, "flow %ld connects a port that belongs to no component of the graph", e->id);
            continue;
        }
        int line = 0, col = 0;
        if (s->r.src)
            srcfile_line_col(s->r.src, e->off, &line, &col);
        abi_graph_add_flow(g, a, fv->comp, op->port, tv->comp, ip->port, line, col);
    }
}

static const char *base_name(arena *a, const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    return arena_strndup(a, b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

int abi_mp_parse(abi_graph **out, arena *a, const char *path, const char *text, size_t len, diag_ctx *dc)
{
    *out = NULL;
    srcfile *src = srcfile_from_text(path, text, len);
    if (!abi_mp_detect(text, len)) {
        diag_at(dc, DIAG_ERROR, src, path, 1, 1,
                "not an Ab Initio graph (no EME flatten-format header: a real .mp starts with '@' and a "
                "{18|Type|XXGrepository|...} record)");
        srcfile_free(src);
        return -1;
    }
    mp_state s;
    memset(&s, 0, sizeof s);
    s.r.a = a;
    s.r.dc = dc;
    s.r.src = src;
    s.r.path = path;
    s.r.text = text;
    s.r.len = len;
    abi_graph *g = arena_alloc(a, sizeof *g);
    memset(g, 0, sizeof *g);
    g->name = base_name(a, path);
    g->path = arena_strdup(a, path);
    g->form = "mp";
    s.g = g;
    read_records(&s);
    sort_ents(&s);
    for (int i = 0; i < s.n_rels; i++)
        add_relation(&s, s.rels[i]);
    build_graph(&s);
    apply_sameas(&s);
    srcfile_free(src);
    *out = g;
    return s.r.n_errors ? -1 : 0;
}
