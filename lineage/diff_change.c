/*
 * diff_change.c — diff_change.h: the semantic change report between two versions of legacy jobs.
 *
 * Steps:
 *   1. match jobs: by name, then case-insensitively, then by structure (the same target and source
 *      datasets); unmatched jobs are added or removed as a whole;
 *   2. per matched job, describe every row-shaping node by its aspects (predicate, join type and
 *      condition, keys, order, load mode ...), each a canonical text over source columns: the node's
 *      expressions are inlined through every intermediate node down to "DATASET.COLUMN" references,
 *      then canonicalised (ir_canonicalize), so names of ports, transformations and CTEs, aliases
 *      and the order of ports and nodes do not show;
 *   3. match nodes: by label (op and dataset for sources and targets, op and name otherwise), by
 *      name, by all aspects equal (a renamed node), then by position (the same op between the same
 *      source and target datasets); each pass pairs only keys unique on both sides, then what is
 *      left pairs in order of appearance (identical nodes are indistinguishable); compare the
 *      aspects of matched nodes, report the others;
 *   4. per matched target, match columns by name (case-insensitively) and compare their canonical
 *      expressions and types.
 * Project (Expression) and router nodes have no aspects of their own: what they compute shows in
 * the target columns and filters that use it. Changes are sorted by job, node, column, aspect.
 */
#include "lineage/diff_change.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* One aspect of a node: its name ("predicate") and canonical text. */
typedef struct aspect {
    const char *name;
    const char *text;
} aspect;

/* A compared node of one version. */
typedef struct dnode {
    const ir_node *n;
    const char *label;   /* "filter FIL_ACTIVE", "target DWH.T", as the report shows it */
    const char *by_name; /* op and (normalised) legacy name */
    const char *sig;     /* op and every aspect text: equal for a renamed node */
    const char *pos;     /* op, upstream source datasets, downstream target datasets */
    aspect *asp;
    int n_asp;
} dnode;

/* Memo of one inlined column. */
typedef struct memo {
    const ir_job *job;
    int node;
    const char *col;
    ir_expr *e;
} memo;

typedef struct dctx {
    dchg_report *r;
    ir_job *scratch; /* holds every expression and text made while comparing */
    memo *memo;
    int n_memo, cap_memo;
    int depth;
    /* the current place, for emit */
    const char *job, *old_job, *node;
} dctx;

const char *dchg_kind_name(dchg_kind k)
{
    return k == DCHG_ADDED ? "added" : k == DCHG_REMOVED ? "removed" : "changed";
}

const char *dchg_level_name(dchg_level l)
{
    return l == DCHG_JOB ? "job" : l == DCHG_NODE ? "node" : "column";
}

/* ---- small text helpers (in the scratch arena) ---- */

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$' || c == '#';
}

/* Legacy text (a hole, an SQL override, procedural code) as compared: upper case outside quotes,
 * white space kept only where it separates two words. What cannot be translated has no canonical
 * form, so this is as far as a comparison of it goes. */
static const char *legacy_key(arena *a, const char *s)
{
    strbuf sb = STRBUF_INIT;
    char quote = 0;
    bool blank = false;
    for (const char *p = s ? s : ""; *p; p++) {
        char c = *p;
        if (quote) {
            sb_putc(&sb, c);
            if (c == quote)
                quote = 0;
            continue;
        }
        if (isspace((unsigned char)c)) {
            blank = true;
            continue;
        }
        if (blank && sb.len && word_char(sb.data[sb.len - 1]) && word_char(c))
            sb_putc(&sb, ' ');
        blank = false;
        if (c == '\'' || c == '"')
            quote = c;
        sb_putc(&sb, (char)toupper((unsigned char)c));
    }
    const char *out = arena_strdup(a, sb_cstr(&sb));
    sb_free(&sb);
    return out;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "[a, b]" of items, sorted and without repeats when set is true (the items array is reordered). */
static const char *list_text(arena *a, const char **items, int n, bool set)
{
    if (set && n > 1)
        qsort(items, (size_t)n, sizeof items[0], cmp_cstr);
    strbuf sb = STRBUF_INIT;
    sb_putc(&sb, '[');
    int put = 0;
    for (int i = 0; i < n; i++) {
        if (set && i && strcmp(items[i], items[i - 1]) == 0)
            continue;
        if (put++)
            sb_puts(&sb, ", ");
        sb_puts(&sb, items[i]);
    }
    sb_putc(&sb, ']');
    const char *out = arena_strdup(a, sb_cstr(&sb));
    sb_free(&sb);
    return out;
}

/* A node name without the id a frontend appended to the names it makes up ("LKP_X.filter3",
 * "SQ_T.sort4", "filter_2": a last part of lower-case letters and digits), so that it does not
 * change when other nodes are added. */
static const char *norm_name(arena *a, const char *name)
{
    const char *s = name ? name : "";
    const char *last = strrchr(s, '.');
    last = last ? last + 1 : s;
    size_t len = strlen(s), k = len;
    while (k > (size_t)(last - s) && isdigit((unsigned char)s[k - 1]))
        k--;
    if (k == len || k == (size_t)(last - s))
        return s;
    for (const char *p = last; p < s + k; p++)
        if (!islower((unsigned char)*p) && *p != '_')
            return s;
    while (k > (size_t)(last - s) + 1 && s[k - 1] == '_')
        k--;
    return arena_strndup(a, s, k);
}

/* ---- inlining down to source columns ---- */

static ir_expr *inline_col(dctx *d, const ir_job *j, int node, const char *col);

/* e (an expression of a node of j) over source columns "DATASET.COLUMN". */
static ir_expr *inline_expr(dctx *d, const ir_job *j, const ir_expr *e)
{
    if (!e)
        return ir_lit_null(d->scratch);
    if (e->kind == IR_EX_REF)
        return inline_col(d, j, e->u.ref.node, e->u.ref.col);
    if (e->kind == IR_EX_HOLE)
        return ir_hole(d->scratch, legacy_key(d->scratch->arena, e->u.hole.text), e->u.hole.reason);
    if (e->kind != IR_EX_CALL)
        return ir_expr_copy(d->scratch, e);
    int na = e->u.call.n_args;
    ir_expr **args = na ? arena_alloc(d->scratch->arena, sizeof *args * (size_t)na) : NULL;
    for (int i = 0; i < na; i++)
        args[i] = inline_expr(d, j, e->u.call.args[i]);
    ir_expr *c = ir_call(d->scratch, e->u.call.fn, e->u.call.flags, na, args);
    c->type = e->type;
    return c;
}

static const char *canon_text(dctx *d, const ir_expr *e)
{
    strbuf sb = STRBUF_INIT;
    ir_expr_to_text(&sb, ir_canonicalize(d->scratch, e));
    const char *t = arena_strdup(d->scratch->arena, sb_cstr(&sb));
    sb_free(&sb);
    return t;
}

/* The canonical text of e, an expression of a node of j. */
static const char *expr_text(dctx *d, const ir_job *j, const ir_expr *e)
{
    return canon_text(d, inline_expr(d, j, e));
}

/* A value made by the node itself, named by what makes it (never by the node's name). */
static ir_expr *made_here(dctx *d, const ir_node *n, const char *col, const char *reason)
{
    return ir_hole(d->scratch, arena_printf(d->scratch->arena, "%s:%s", ir_op_name(n->op), col), reason);
}

/* The values of several expressions as one hole "what(a | b)": a union column (sorted: the inputs
 * are a set), a normalizer column (in occurrence order). */
static ir_expr *alternatives(dctx *d, const char *what, const char **texts, int n, bool set)
{
    if (set && n > 1)
        qsort(texts, (size_t)n, sizeof texts[0], cmp_cstr);
    strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s(", what);
    for (int i = 0; i < n; i++)
        sb_printf(&sb, "%s%s", i ? " | " : "", texts[i]);
    sb_putc(&sb, ')');
    ir_expr *h = ir_hole(d->scratch, arena_strdup(d->scratch->arena, sb_cstr(&sb)), what);
    sb_free(&sb);
    return h;
}

/* Ops whose columns without an expression copy the input row's column of the same name. */
static bool passes_rows(ir_op op)
{
    return op == IR_OP_PROJECT || op == IR_OP_FILTER || op == IR_OP_SORT || op == IR_OP_DEDUP ||
           op == IR_OP_RANK || op == IR_OP_TARGET || op == IR_OP_UPDATE || op == IR_OP_ROUTER ||
           op == IR_OP_WINDOW || op == IR_OP_AGGREGATE;
}

static ir_expr *inline_uncached(dctx *d, const ir_job *j, const ir_node *n, const char *col)
{
    ir_column *c = ir_node_col(n, col);
    if (!c)
        c = ir_node_col_ci(n, col);
    if (n->op == IR_OP_SOURCE) {
        const char *ds = arena_strdup_upper(d->scratch->arena, n->dataset ? n->dataset : n->name);
        const char *cn = arena_strdup_upper(d->scratch->arena, c ? c->name : col);
        ir_expr *r = ir_ref(d->scratch, 0, arena_printf(d->scratch->arena, "%s.%s", ds, cn));
        if (c)
            r->type = c->type;
        return r;
    }
    if (!c)
        return ir_hole(d->scratch, col, "reference to a missing column");
    if (n->op == IR_OP_UNION) {
        int pos = (int)(c - n->cols);
        const char **texts = arena_alloc(d->scratch->arena, sizeof *texts * (size_t)(n->n_inputs + 1));
        for (int k = 0; k < n->n_inputs; k++) {
            const ir_node *in = ir_job_node(j, n->inputs[k]);
            texts[k] = in && pos < in->n_cols ? canon_text(d, inline_col(d, j, in->id, in->cols[pos].name)) : "?";
        }
        return alternatives(d, "union", texts, n->n_inputs, true);
    }
    if (c->n_alts) {
        const char **texts = arena_alloc(d->scratch->arena, sizeof *texts * (size_t)c->n_alts);
        for (int k = 0; k < c->n_alts; k++)
            texts[k] = expr_text(d, j, c->alts[k]);
        return alternatives(d, "occurs", texts, c->n_alts, false);
    }
    if (c->expr)
        return inline_expr(d, j, c->expr);
    if (passes_rows(n->op) && n->n_inputs == 1 && !(c->flags & IR_COL_GENERATED))
        return inline_col(d, j, n->inputs[0], c->name);
    return made_here(d, n, arena_strdup_upper(d->scratch->arena, c->name), "generated by the node");
}

static ir_expr *inline_col(dctx *d, const ir_job *j, int node, const char *col)
{
    for (int i = 0; i < d->n_memo; i++)
        if (d->memo[i].job == j && d->memo[i].node == node && strcmp(d->memo[i].col, col) == 0)
            return d->memo[i].e;
    const ir_node *n = ir_job_node(j, node);
    if (!n)
        return ir_hole(d->scratch, col, "reference to a missing node");
    if (d->depth > 200)
        return ir_hole(d->scratch, col, "too deep");
    d->depth++;
    ir_expr *out = inline_uncached(d, j, n, col);
    d->depth--;
    memo m = {j, node, ir_intern(d->scratch, col), out};
    ARENA_PUSH(d->scratch->arena, d->memo, d->n_memo, d->cap_memo, m);
    return out;
}

/* The column that computes the value of column col of node id (following plain copies upstream),
 * for its legacy text and location; NULL when the value is a source column copied unchanged. */
static const ir_column *origin_col(const ir_job *j, int id, const char *col, int depth)
{
    const ir_node *n = ir_job_node(j, id);
    const ir_column *c = n ? ir_node_col(n, col) : NULL;
    if (!c || depth > 200 || n->op == IR_OP_SOURCE)
        return NULL;
    if (c->expr && c->expr->kind == IR_EX_REF)
        return origin_col(j, c->expr->u.ref.node, c->expr->u.ref.col, depth + 1);
    if (!c->expr && !c->n_alts && passes_rows(n->op) && n->n_inputs == 1 && !(c->flags & IR_COL_GENERATED))
        return origin_col(j, n->inputs[0], c->name, depth + 1);
    return c;
}

/* ---- graph positions ---- */

/* Marks the nodes upstream of id (id included). */
static void mark_upstream(const ir_job *j, int id, bool *seen, int depth)
{
    if (id <= 0 || id > j->next_id || seen[id] || depth > 10000)
        return;
    seen[id] = true;
    const ir_node *n = ir_job_node(j, id);
    for (int i = 0; n && i < n->n_inputs; i++)
        mark_upstream(j, n->inputs[i], seen, depth + 1);
}

static bool *seen_new(dctx *d, const ir_job *j)
{
    return arena_alloc(d->scratch->arena, sizeof(bool) * (size_t)(j->next_id + 1));
}

/* The datasets of the sources upstream of node id, as a sorted list text. */
static const char *sources_above(dctx *d, const ir_job *j, int id)
{
    bool *seen = seen_new(d, j);
    mark_upstream(j, id, seen, 0);
    const char **items = arena_alloc(d->scratch->arena, sizeof *items * (size_t)(j->n_nodes + 1));
    int k = 0;
    for (int i = 0; i < j->n_nodes; i++) {
        const ir_node *n = j->nodes[i];
        if (n->op == IR_OP_SOURCE && seen[n->id])
            items[k++] = arena_strdup_upper(d->scratch->arena, n->dataset ? n->dataset : n->name);
    }
    return list_text(d->scratch->arena, items, k, true);
}

/* The datasets of the targets downstream of node id, as a sorted list text. */
static const char *targets_below(dctx *d, const ir_job *j, int id)
{
    const char **items = arena_alloc(d->scratch->arena, sizeof *items * (size_t)(j->n_nodes + 1));
    int k = 0;
    for (int i = 0; i < j->n_nodes; i++) {
        const ir_node *t = j->nodes[i];
        if (t->op != IR_OP_TARGET)
            continue;
        bool *seen = seen_new(d, j);
        mark_upstream(j, t->id, seen, 0);
        if (seen[id])
            items[k++] = arena_strdup_upper(d->scratch->arena, t->dataset ? t->dataset : t->name);
    }
    return list_text(d->scratch->arena, items, k, true);
}

/* ---- node aspects ---- */

typedef struct aspects {
    aspect *v;
    int n, cap;
} aspects;

static void asp_add(dctx *d, aspects *as, const char *name, const char *text)
{
    aspect a = {name, text};
    ARENA_PUSH(d->scratch->arena, as->v, as->n, as->cap, a);
}

/* The node's keys (a set: group keys, partition). */
static const char *keys_text(dctx *d, const ir_job *j, const ir_node *n)
{
    const char **items = arena_alloc(d->scratch->arena, sizeof *items * (size_t)(n->n_keys + 1));
    for (int i = 0; i < n->n_keys; i++)
        items[i] = expr_text(d, j, n->keys[i]);
    return list_text(d->scratch->arena, items, n->n_keys, true);
}

/* The node's order keys, in order, each with its direction. */
static const char *order_text(dctx *d, const ir_job *j, const ir_node *n)
{
    const char **items = arena_alloc(d->scratch->arena, sizeof *items * (size_t)(n->n_order + 1));
    for (int i = 0; i < n->n_order; i++) {
        const ir_sort_key *k = &n->order[i];
        items[i] = arena_printf(d->scratch->arena, "%s %s%s", expr_text(d, j, k->expr), k->desc ? "desc" : "asc",
                                k->nulls == 1 ? " nulls first" : k->nulls == 2 ? " nulls last" : "");
    }
    return list_text(d->scratch->arena, items, n->n_order, false);
}

static const char *load_name(ir_load_mode m)
{
    switch (m) {
    case IR_LOAD_APPEND: return "append";
    case IR_LOAD_TRUNCATE_INSERT: return "truncate and insert";
    case IR_LOAD_OVERWRITE: return "overwrite";
    case IR_LOAD_MERGE: return "merge";
    }
    return "?";
}

/* A join's type by meaning: a right join is the left join of its sides swapped, so an outer join
 * names the side it keeps whole (sides: the source datasets of inputs 0 and 1). */
static const char *join_text(arena *a, ir_join_kind k, const char **sides, int n_sides)
{
    switch (k) {
    case IR_JOIN_INNER: return "inner";
    case IR_JOIN_FULL: return "full outer";
    case IR_JOIN_CROSS: return "cross";
    case IR_JOIN_LEFT:
    case IR_JOIN_RIGHT: {
        int kept = k == IR_JOIN_LEFT ? 0 : 1;
        return arena_printf(a, "left outer, keeping every row of %s", kept < n_sides ? sides[kept] : "?");
    }
    }
    return "?";
}

static const char *match_name(ir_match_policy m)
{
    static const char *const names[] = {"first", "last", "any", "error", "all"};
    return (unsigned)m < sizeof names / sizeof names[0] ? names[m] : "?";
}

/* The aspects of a row-shaping node; false for the ops that have none (project, router). */
static bool node_aspects(dctx *d, const ir_job *j, const ir_node *n, aspects *as)
{
    arena *a = d->scratch->arena;
    switch (n->op) {
    case IR_OP_SOURCE:
        asp_add(d, as, "dataset", arena_strdup_upper(a, n->dataset ? n->dataset : n->name));
        if (n->predicate)
            asp_add(d, as, "predicate", expr_text(d, j, n->predicate));
        if (n->distinct)
            asp_add(d, as, "distinct", "distinct");
        if (n->sql)
            asp_add(d, as, "sql", legacy_key(a, n->sql));
        return true;
    case IR_OP_FILTER:
        asp_add(d, as, "predicate", n->predicate ? expr_text(d, j, n->predicate) : "TRUE");
        return true;
    case IR_OP_JOIN:
    case IR_OP_LOOKUP: {
        /* the sides are a set; which side an outer join keeps whole is part of its type */
        const char **sides = arena_alloc(a, sizeof *sides * (size_t)(n->n_inputs + 1));
        for (int i = 0; i < n->n_inputs; i++)
            sides[i] = sources_above(d, j, n->inputs[i]);
        if (n->op == IR_OP_JOIN)
            asp_add(d, as, "join type", join_text(a, n->join, sides, n->n_inputs));
        else
            asp_add(d, as, "match policy", match_name(n->match));
        if (n->op == IR_OP_LOOKUP && n->dataset)
            asp_add(d, as, "dataset", arena_strdup_upper(a, n->dataset));
        asp_add(d, as, "join condition", n->predicate ? expr_text(d, j, n->predicate) : "TRUE");
        asp_add(d, as, "inputs", list_text(a, sides, n->n_inputs, true));
        return true;
    }
    case IR_OP_AGGREGATE:
        asp_add(d, as, "group keys", keys_text(d, j, n));
        return true;
    case IR_OP_SORT:
        asp_add(d, as, "order", order_text(d, j, n));
        if (n->distinct)
            asp_add(d, as, "distinct", "distinct");
        return true;
    case IR_OP_DEDUP:
        asp_add(d, as, "group keys", keys_text(d, j, n));
        asp_add(d, as, "order", order_text(d, j, n));
        asp_add(d, as, "keep", n->keep_last ? "last" : "first");
        return true;
    case IR_OP_RANK:
        asp_add(d, as, "group keys", keys_text(d, j, n));
        asp_add(d, as, "order", order_text(d, j, n));
        asp_add(d, as, "top n", arena_printf(a, "%s %lld", n->bottom ? "bottom" : "top", (long long)n->top_n));
        return true;
    case IR_OP_WINDOW: {
        asp_add(d, as, "group keys", keys_text(d, j, n));
        asp_add(d, as, "order", order_text(d, j, n));
        strbuf fb = STRBUF_INIT;
        ir_frame_to_text(&fb, n->frame);
        asp_add(d, as, "frame", arena_strdup(a, sb_cstr(&fb)));
        sb_free(&fb);
        return true;
    }
    case IR_OP_NORMALIZE:
        if (n->count)
            asp_add(d, as, "count", expr_text(d, j, n->count));
        else
            asp_add(d, as, "occurs", arena_printf(a, "%d", n->occurs));
        return true;
    case IR_OP_SEQUENCE:
        asp_add(d, as, "sequence", arena_printf(a, "start %lld increment %lld", (long long)n->seq_start,
                                                (long long)n->seq_increment));
        return true;
    case IR_OP_UPDATE: {
        const char *rowop = "none";
        for (int i = 0; i < n->n_cols; i++)
            if (n->cols[i].flags & IR_COL_ROW_OP)
                rowop = n->cols[i].expr ? expr_text(d, j, n->cols[i].expr) : "none";
        asp_add(d, as, "row operation", rowop);
        return true;
    }
    case IR_OP_TARGET: {
        asp_add(d, as, "dataset", arena_strdup_upper(a, n->dataset ? n->dataset : n->name));
        asp_add(d, as, "load mode", load_name(n->load));
        if (n->load == IR_LOAD_MERGE || n->n_merge_keys) {
            const char **keys = arena_alloc(a, sizeof *keys * (size_t)(n->n_merge_keys + 1));
            for (int i = 0; i < n->n_merge_keys; i++)
                keys[i] = arena_strdup_upper(a, n->merge_keys[i]);
            asp_add(d, as, "merge keys", list_text(a, keys, n->n_merge_keys, true));
        }
        return true;
    }
    case IR_OP_UNION: {
        const char **ins = arena_alloc(a, sizeof *ins * (size_t)(n->n_inputs + 1));
        for (int i = 0; i < n->n_inputs; i++)
            ins[i] = sources_above(d, j, n->inputs[i]);
        asp_add(d, as, "inputs", list_text(a, ins, n->n_inputs, true));
        return true;
    }
    case IR_OP_PROCEDURE:
        asp_add(d, as, "procedure", legacy_key(a, n->legacy ? n->legacy : n->hole_reason));
        return true;
    default:
        return false;
    }
}

/* The compared nodes of a job, with their keys for matching. */
static dnode *job_nodes(dctx *d, const ir_job *j, int *out_n)
{
    arena *a = d->scratch->arena;
    dnode *v = arena_alloc(a, sizeof *v * (size_t)(j->n_nodes + 1));
    int k = 0;
    for (int i = 0; i < j->n_nodes; i++) {
        const ir_node *n = j->nodes[i];
        aspects as = {0};
        if (!node_aspects(d, j, n, &as))
            continue;
        const char *op = ir_op_name(n->op);
        const char *name = norm_name(a, n->name);
        dnode *dn = &v[k++];
        dn->n = n;
        dn->asp = as.v;
        dn->n_asp = as.n;
        dn->by_name = arena_printf(a, "%s %s", op, arena_strdup_upper(a, name));
        bool by_dataset = (n->op == IR_OP_SOURCE || n->op == IR_OP_TARGET) && n->dataset;
        dn->label = by_dataset           ? arena_printf(a, "%s %s", op, n->dataset)
                    : strcmp(name, op) == 0 ? op
                                            : arena_printf(a, "%s %s", op, name);
        strbuf sb = STRBUF_INIT;
        sb_puts(&sb, op);
        for (int x = 0; x < as.n; x++)
            sb_printf(&sb, "\n%s: %s", as.v[x].name, as.v[x].text);
        dn->sig = arena_strdup(a, sb_cstr(&sb));
        sb_free(&sb);
        dn->pos = arena_printf(a, "%s %s -> %s", op, sources_above(d, j, n->id), targets_below(d, j, n->id));
    }
    *out_n = k;
    return v;
}

/* ---- matching ---- */

/* The key of item i of an array (dnode or djob) for one matching pass; NULL: never matched so. */
typedef const char *(*key_fn)(void *items, int i);

static int count_key(void *items, int n, const int *match, key_fn key, const char *k, int *last)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        if (match[i] < 0 && key(items, i) && strcmp(key(items, i), k) == 0) {
            c++;
            *last = i;
        }
    return c;
}

/* Pairs unmatched items of a and b whose keys are equal and unique among the unmatched items of
 * both sides; ma[i] / mb[x] hold the index of the partner, -1 while unmatched. */
static void match_by(void *a, int na, int *ma, void *b, int nb, int *mb, key_fn key)
{
    for (int i = 0; i < na; i++) {
        const char *k = ma[i] < 0 ? key(a, i) : NULL;
        if (!k)
            continue;
        int ia = -1, ib = -1;
        if (count_key(a, na, ma, key, k, &ia) == 1 && count_key(b, nb, mb, key, k, &ib) == 1) {
            ma[i] = ib;
            mb[ib] = i;
        }
    }
}

/* Pairs what the unique passes left in order of appearance: items with equal keys that are not
 * unique (two identical filters) are indistinguishable, so any pairing reports the same. */
static void match_in_order(void *a, int na, int *ma, void *b, int nb, int *mb, key_fn key)
{
    for (int i = 0; i < na; i++) {
        const char *k = ma[i] < 0 ? key(a, i) : NULL;
        for (int x = 0; k && x < nb; x++)
            if (mb[x] < 0 && key(b, x) && strcmp(key(b, x), k) == 0) {
                ma[i] = x;
                mb[x] = i;
                break;
            }
    }
}

static const char *dn_label(void *v, int i) { return ((dnode *)v)[i].label; }
static const char *dn_name(void *v, int i) { return ((dnode *)v)[i].by_name; }
static const char *dn_sig(void *v, int i) { return ((dnode *)v)[i].sig; }
static const char *dn_pos(void *v, int i) { return ((dnode *)v)[i].pos; }

/* ---- the report ---- */

static const char *rdup(dctx *d, const char *s)
{
    return s ? arena_strdup(d->r->arena, s) : NULL;
}

static const char *loc_text(dctx *d, const ir_job *j, ir_span sp)
{
    const char *file = sp.file ? sp.file : j ? j->file : NULL;
    if (!file || sp.line <= 0)
        return NULL;
    return arena_printf(d->r->arena, "%s:%d", file, sp.line);
}

static dchg *emit(dctx *d, dchg_level level, dchg_kind kind, const char *column, const char *aspect_name,
                  const char *before, const char *after)
{
    dchg c = {0};
    c.level = level;
    c.kind = kind;
    c.job = rdup(d, d->job);
    c.old_job = rdup(d, d->old_job);
    c.node = level == DCHG_JOB ? NULL : rdup(d, d->node);
    c.column = rdup(d, column);
    c.aspect = rdup(d, aspect_name);
    c.before = rdup(d, before);
    c.after = rdup(d, after);
    ARENA_PUSH(d->r->arena, d->r->v, d->r->n, d->r->cap, c);
    d->r->counts[kind]++;
    return &d->r->v[d->r->n - 1];
}

static void node_where(dctx *d, dchg *c, const ir_job *oj, const ir_node *on, const ir_job *nj, const ir_node *nn)
{
    if (on) {
        c->old_loc = loc_text(d, oj, on->span);
        c->old_legacy = rdup(d, on->legacy);
    }
    if (nn) {
        c->new_loc = loc_text(d, nj, nn->span);
        c->new_legacy = rdup(d, nn->legacy);
    }
}

/* The columns with legacy text that the value of column col of node id is computed from, nearest
 * first (breadth first over the references of their expressions). */
typedef struct feeders {
    const ir_column *v[128];
    int n;
} feeders;

static void feeders_of(const ir_job *j, int id, const char *col, feeders *out)
{
    struct { int node; const char *col; } queue[256];
    int head = 0, tail = 0;
    queue[tail].node = id;
    queue[tail++].col = col;
    while (head < tail && out->n < 128) {
        const ir_node *n = ir_job_node(j, queue[head].node);
        const ir_column *c = n ? ir_node_col(n, queue[head].col) : NULL;
        head++;
        if (!c || n->op == IR_OP_SOURCE)
            continue;
        bool seen = false;
        for (int i = 0; i < out->n; i++)
            seen |= out->v[i] == c;
        if (seen)
            continue;
        if (c->legacy)
            out->v[out->n++] = c;
        /* the columns it reads: references of its expression, or the same name upstream */
        const ir_expr *stack[64];
        int sp = 0;
        if (c->expr)
            stack[sp++] = c->expr;
        else if (n->n_inputs == 1 && tail < 256) {
            queue[tail].node = n->inputs[0];
            queue[tail++].col = c->name;
        }
        while (sp) {
            const ir_expr *e = stack[--sp];
            if (e->kind == IR_EX_REF && tail < 256) {
                queue[tail].node = e->u.ref.node;
                queue[tail++].col = e->u.ref.col;
            } else if (e->kind == IR_EX_CALL) {
                for (int i = 0; i < e->u.call.n_args && sp < 64; i++)
                    stack[sp++] = e->u.call.args[i];
            }
        }
    }
}

/* The first feeder of a whose legacy text no feeder of b has, or NULL. */
static const ir_column *first_differing(dctx *d, const feeders *a, const feeders *b)
{
    arena *ar = d->scratch->arena;
    for (int i = 0; i < a->n; i++) {
        const char *k = legacy_key(ar, a->v[i]->legacy);
        bool found = false;
        for (int x = 0; x < b->n && !found; x++)
            found = strcmp(k, legacy_key(ar, b->v[x]->legacy)) == 0;
        if (!found)
            return a->v[i];
    }
    return NULL;
}

/* Where a column change is: on each side the legacy text and location of the port that computes
 * the value, or, when a port on the way differs in its legacy text, of the first such port (the
 * edit a reviewer looks for). */
static void col_where(dctx *d, dchg *c, const ir_job *oj, const ir_node *ot, const ir_column *oc, const ir_job *nj,
                      const ir_node *nt, const ir_column *nc)
{
    const ir_column *o = oc ? origin_col(oj, ot->id, oc->name, 0) : NULL;
    const ir_column *n = nc ? origin_col(nj, nt->id, nc->name, 0) : NULL;
    if (oc && nc) {
        feeders *fo = arena_alloc(d->scratch->arena, sizeof *fo), *fn = arena_alloc(d->scratch->arena, sizeof *fn);
        feeders_of(oj, ot->id, oc->name, fo);
        feeders_of(nj, nt->id, nc->name, fn);
        const ir_column *xo = first_differing(d, fo, fn), *xn = first_differing(d, fn, fo);
        o = xo ? xo : o;
        n = xn ? xn : n;
    }
    if (oc) {
        c->old_loc = loc_text(d, oj, o ? o->span : oc->span);
        c->old_legacy = rdup(d, o ? o->legacy : oc->legacy);
    }
    if (nc) {
        c->new_loc = loc_text(d, nj, n ? n->span : nc->span);
        c->new_legacy = rdup(d, n ? n->legacy : nc->legacy);
    }
}

/* Everything a node is, for an added or removed node: "aspect: text; ...". */
static const char *node_summary(dctx *d, const dnode *n)
{
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < n->n_asp; i++)
        sb_printf(&sb, "%s%s: %s", i ? "; " : "", n->asp[i].name, n->asp[i].text);
    const char *out = arena_strdup(d->scratch->arena, sb_cstr(&sb));
    sb_free(&sb);
    return out;
}

static const char *aspect_of(const dnode *n, const char *name)
{
    for (int i = 0; i < n->n_asp; i++)
        if (strcmp(n->asp[i].name, name) == 0)
            return n->asp[i].text;
    return NULL;
}

static const char *type_text(dctx *d, ir_type t)
{
    char buf[64];
    ir_type_format(t, buf, sizeof buf);
    return arena_strdup(d->scratch->arena, buf);
}

/* The canonical text of the value target t of job j writes to column col. */
static const char *col_text(dctx *d, const ir_job *j, const ir_node *t, const char *col)
{
    return canon_text(d, inline_col(d, j, t->id, col));
}

static void compare_columns(dctx *d, const ir_job *oj, const ir_node *ot, const ir_job *nj, const ir_node *nt)
{
    for (int i = 0; i < ot->n_cols; i++) {
        const ir_column *oc = &ot->cols[i];
        const ir_column *nc = ir_node_col_ci(nt, oc->name);
        if (!nc) {
            dchg *c = emit(d, DCHG_COLUMN, DCHG_REMOVED, oc->name, NULL, col_text(d, oj, ot, oc->name), NULL);
            col_where(d, c, oj, ot, oc, nj, nt, NULL);
            continue;
        }
        const char *tb = type_text(d, oc->type), *ta = type_text(d, nc->type);
        if (strcmp(tb, ta) != 0) {
            dchg *c = emit(d, DCHG_COLUMN, DCHG_CHANGED, nc->name, "type", tb, ta);
            c->old_loc = loc_text(d, oj, oc->span);
            c->new_loc = loc_text(d, nj, nc->span);
        }
        const char *eb = col_text(d, oj, ot, oc->name), *ea = col_text(d, nj, nt, nc->name);
        if (strcmp(eb, ea) != 0) {
            dchg *c = emit(d, DCHG_COLUMN, DCHG_CHANGED, nc->name, "expression", eb, ea);
            col_where(d, c, oj, ot, oc, nj, nt, nc);
        }
    }
    for (int i = 0; i < nt->n_cols; i++) {
        const ir_column *nc = &nt->cols[i];
        if (ir_node_col_ci(ot, nc->name))
            continue;
        dchg *c = emit(d, DCHG_COLUMN, DCHG_ADDED, nc->name, NULL, NULL, col_text(d, nj, nt, nc->name));
        col_where(d, c, oj, ot, NULL, nj, nt, nc);
    }
}

static void compare_node(dctx *d, const ir_job *oj, const dnode *o, const ir_job *nj, const dnode *n)
{
    d->node = n->label;
    /* every aspect of either side, in the new side's order, then the old side's others */
    for (int side = 0; side < 2; side++) {
        const dnode *x = side == 0 ? n : o;
        for (int i = 0; i < x->n_asp; i++) {
            const char *name = x->asp[i].name;
            if (side == 1 && aspect_of(n, name))
                continue;
            const char *before = aspect_of(o, name), *after = aspect_of(n, name);
            if (before && after && strcmp(before, after) == 0)
                continue;
            dchg *c = emit(d, DCHG_NODE, DCHG_CHANGED, NULL, name, before, after);
            node_where(d, c, oj, o->n, nj, n->n);
        }
    }
    if (o->n->op == IR_OP_TARGET && n->n->op == IR_OP_TARGET)
        compare_columns(d, oj, o->n, nj, n->n);
}

static const char *param_text(dctx *d, const ir_param *p)
{
    if (!p)
        return NULL;
    return arena_printf(d->scratch->arena, "%s%s%s%s%s", type_text(d, p->type), p->is_variable ? " variable" : "",
                        p->aggregation ? arena_printf(d->scratch->arena, " (%s)", p->aggregation) : "",
                        p->default_value ? " = " : "", p->default_value ? p->default_value : "");
}

static void compare_params(dctx *d, const ir_job *oj, const ir_job *nj)
{
    for (int side = 0; side < 2; side++) {
        const ir_job *x = side == 0 ? nj : oj;
        for (int i = 0; i < x->n_params; i++) {
            const char *name = x->params[i].name;
            if (side == 1 && ir_job_param(nj, name))
                continue;
            const ir_param *po = ir_job_param(oj, name), *pn = ir_job_param(nj, name);
            const char *before = param_text(d, po), *after = param_text(d, pn);
            if (before && after && strcmp(before, after) == 0)
                continue;
            dchg *c = emit(d, DCHG_JOB, before && after ? DCHG_CHANGED : before ? DCHG_REMOVED : DCHG_ADDED, NULL,
                           arena_printf(d->scratch->arena, "parameter %s", name), before, after);
            if (po)
                c->old_loc = loc_text(d, oj, po->span);
            if (pn)
                c->new_loc = loc_text(d, nj, pn->span);
        }
    }
}

static void compare_job(dctx *d, const ir_job *oj, const ir_job *nj)
{
    int before = d->r->n;
    d->job = nj->name;
    d->old_job = strcmp(oj->name, nj->name) != 0 ? oj->name : NULL;
    d->node = NULL;
    d->n_memo = 0;
    /* the SQL frontend names a job after its file and statement: no legacy name to have changed */
    bool named = !(nj->format && strcmp(nj->format, "sql") == 0);
    if (d->old_job && named) {
        dchg *c = emit(d, DCHG_JOB, DCHG_CHANGED, NULL, "name", oj->name, nj->name);
        c->old_loc = loc_text(d, oj, (ir_span){oj->file, oj->line, 0});
        c->new_loc = loc_text(d, nj, (ir_span){nj->file, nj->line, 0});
    }
    compare_params(d, oj, nj);
    int no = 0, nn = 0;
    dnode *o = job_nodes(d, oj, &no), *n = job_nodes(d, nj, &nn);
    int *mo = arena_alloc(d->scratch->arena, sizeof *mo * (size_t)(no + 1));
    int *mn = arena_alloc(d->scratch->arena, sizeof *mn * (size_t)(nn + 1));
    for (int i = 0; i < no; i++)
        mo[i] = -1;
    for (int i = 0; i < nn; i++)
        mn[i] = -1;
    key_fn passes[] = {dn_label, dn_name, dn_sig, dn_pos};
    for (size_t p = 0; p < sizeof passes / sizeof passes[0]; p++)
        match_by(o, no, mo, n, nn, mn, passes[p]);
    match_in_order(o, no, mo, n, nn, mn, dn_sig);
    match_in_order(o, no, mo, n, nn, mn, dn_label);
    match_in_order(o, no, mo, n, nn, mn, dn_pos);
    for (int i = 0; i < nn; i++) {
        if (mn[i] >= 0) {
            compare_node(d, oj, &o[mn[i]], nj, &n[i]);
            continue;
        }
        d->node = n[i].label;
        dchg *c = emit(d, DCHG_NODE, DCHG_ADDED, NULL, NULL, NULL, node_summary(d, &n[i]));
        node_where(d, c, oj, NULL, nj, n[i].n);
    }
    for (int i = 0; i < no; i++) {
        if (mo[i] >= 0)
            continue;
        d->node = o[i].label;
        dchg *c = emit(d, DCHG_NODE, DCHG_REMOVED, NULL, NULL, node_summary(d, &o[i]), NULL);
        node_where(d, c, oj, o[i].n, nj, NULL);
    }
    if (d->r->n == before)
        d->r->jobs_unchanged++;
}

/* ---- jobs ---- */

typedef struct djob {
    const ir_job *job;
    const char *upper; /* the name, upper case */
    const char *shape; /* target and source datasets */
} djob;

static const char *dj_name(void *v, int i) { return ((djob *)v)[i].job->name; }
static const char *dj_upper(void *v, int i) { return ((djob *)v)[i].upper; }
static const char *dj_shape(void *v, int i) { return ((djob *)v)[i].shape; }

static const char *job_shape(dctx *d, const ir_job *j)
{
    arena *a = d->scratch->arena;
    const char **t = arena_alloc(a, sizeof *t * (size_t)(j->n_nodes + 1));
    const char **s = arena_alloc(a, sizeof *s * (size_t)(j->n_nodes + 1));
    int nt = 0, ns = 0;
    for (int i = 0; i < j->n_nodes; i++) {
        const ir_node *n = j->nodes[i];
        const char *ds = arena_strdup_upper(a, n->dataset ? n->dataset : n->name);
        if (n->op == IR_OP_TARGET)
            t[nt++] = ds;
        else if (n->op == IR_OP_SOURCE)
            s[ns++] = ds;
    }
    return arena_printf(a, "writes %s reads %s", list_text(a, t, nt, true), list_text(a, s, ns, true));
}

static djob *jobs_of(dctx *d, ir_job *const *jobs, int n)
{
    djob *v = arena_alloc(d->scratch->arena, sizeof *v * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        v[i].job = jobs[i];
        v[i].upper = arena_strdup_upper(d->scratch->arena, jobs[i]->name);
        v[i].shape = job_shape(d, jobs[i]);
    }
    return v;
}

static void job_alone(dctx *d, const djob *j, dchg_kind kind)
{
    d->job = j->job->name;
    d->old_job = NULL;
    d->node = NULL;
    const char *what = j->shape;
    dchg *c = emit(d, DCHG_JOB, kind, NULL, NULL, kind == DCHG_REMOVED ? what : NULL, kind == DCHG_ADDED ? what : NULL);
    const char *loc = loc_text(d, j->job, (ir_span){j->job->file, j->job->line, 0});
    if (kind == DCHG_REMOVED)
        c->old_loc = loc;
    else
        c->new_loc = loc;
}

static int cmp_opt(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_change(const void *pa, const void *pb)
{
    const dchg *a = pa, *b = pb;
    int c;
    if ((c = cmp_opt(a->job, b->job)) || (c = cmp_opt(a->node, b->node)) || (c = cmp_opt(a->column, b->column)) ||
        (c = cmp_opt(a->aspect, b->aspect)))
        return c;
    if (a->level != b->level)
        return a->level < b->level ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if ((c = cmp_opt(a->old_job, b->old_job)) || (c = cmp_opt(a->before, b->before)) ||
        (c = cmp_opt(a->after, b->after)) || (c = cmp_opt(a->old_loc, b->old_loc)))
        return c;
    return cmp_opt(a->new_loc, b->new_loc);
}

int dchg_compare(dchg_report *out, ir_job *const *old_jobs, int n_old, ir_job *const *new_jobs, int n_new)
{
    if (!out || n_old < 0 || n_new < 0 || (n_old && !old_jobs) || (n_new && !new_jobs))
        return -1;
    memset(out, 0, sizeof *out);
    out->arena = arena_new();
    out->jobs_old = n_old;
    out->jobs_new = n_new;
    dctx d = {0};
    d.r = out;
    d.scratch = ir_job_new("diff");
    djob *o = jobs_of(&d, old_jobs, n_old), *n = jobs_of(&d, new_jobs, n_new);
    int *mo = arena_alloc(d.scratch->arena, sizeof *mo * (size_t)(n_old + 1));
    int *mn = arena_alloc(d.scratch->arena, sizeof *mn * (size_t)(n_new + 1));
    for (int i = 0; i < n_old; i++)
        mo[i] = -1;
    for (int i = 0; i < n_new; i++)
        mn[i] = -1;
    key_fn passes[] = {dj_name, dj_upper, dj_shape};
    for (size_t p = 0; p < sizeof passes / sizeof passes[0]; p++)
        match_by(o, n_old, mo, n, n_new, mn, passes[p]);
    match_in_order(o, n_old, mo, n, n_new, mn, dj_name);
    match_in_order(o, n_old, mo, n, n_new, mn, dj_shape);
    for (int i = 0; i < n_new; i++) {
        if (mn[i] >= 0)
            compare_job(&d, o[mn[i]].job, n[i].job);
        else
            job_alone(&d, &n[i], DCHG_ADDED);
    }
    for (int i = 0; i < n_old; i++)
        if (mo[i] < 0)
            job_alone(&d, &o[i], DCHG_REMOVED);
    if (out->n > 1)
        qsort(out->v, (size_t)out->n, sizeof out->v[0], cmp_change);
    ir_job_free(d.scratch);
    return 0;
}

void dchg_report_free(dchg_report *r)
{
    if (!r)
        return;
    arena_free(r->arena);
    memset(r, 0, sizeof *r);
}

/* ---- JSON ---- */

static void json_field(strbuf *sb, const char *key, const char *value)
{
    if (!value)
        return;
    sb_puts(sb, ", ");
    sb_put_json_string(sb, key);
    sb_puts(sb, ": ");
    sb_put_json_string(sb, value);
}

void dchg_to_json(const dchg_report *r, const char *old_path, const char *new_path, strbuf *sb)
{
    sb_puts(sb, "{\n \"kind\": \"change_report\",\n \"old\": ");
    sb_put_json_string(sb, old_path ? old_path : "");
    sb_puts(sb, ",\n \"new\": ");
    sb_put_json_string(sb, new_path ? new_path : "");
    sb_printf(sb,
              ",\n \"summary\": {\"jobs_old\": %d, \"jobs_new\": %d, \"jobs_unchanged\": %d, \"added\": %d, "
              "\"removed\": %d, \"changed\": %d},\n \"changes\": [",
              r->jobs_old, r->jobs_new, r->jobs_unchanged, r->counts[DCHG_ADDED], r->counts[DCHG_REMOVED],
              r->counts[DCHG_CHANGED]);
    for (int i = 0; i < r->n; i++) {
        const dchg *c = &r->v[i];
        sb_puts(sb, i ? ",\n  {" : "\n  {");
        sb_printf(sb, "\"level\": \"%s\", \"kind\": \"%s\"", dchg_level_name(c->level), dchg_kind_name(c->kind));
        json_field(sb, "job", c->job);
        json_field(sb, "old_job", c->old_job);
        json_field(sb, "node", c->node);
        json_field(sb, "column", c->column);
        json_field(sb, "aspect", c->aspect);
        json_field(sb, "before", c->before);
        json_field(sb, "after", c->after);
        json_field(sb, "old_loc", c->old_loc);
        json_field(sb, "new_loc", c->new_loc);
        json_field(sb, "old_legacy", c->old_legacy);
        json_field(sb, "new_legacy", c->new_legacy);
        sb_putc(sb, '}');
    }
    sb_puts(sb, r->n ? "\n ]\n}\n" : "]\n}\n");
}

/* ---- Markdown ---- */

/* Text for a table cell: '|' escaped, line breaks as blanks. */
static void md_cell(strbuf *sb, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '|')
            sb_puts(sb, "\\|");
        else if (*p == '\n' || *p == '\r')
            sb_putc(sb, ' ');
        else
            sb_putc(sb, *p);
    }
}

/* Code in a table cell: `text`, with a longer fence when the text holds a backtick. */
static void md_code(strbuf *sb, const char *s)
{
    if (!s || !*s)
        return;
    bool tick = strchr(s, '`') != NULL;
    sb_puts(sb, tick ? "`` " : "`");
    md_cell(sb, s);
    sb_puts(sb, tick ? " ``" : "`");
}

void dchg_to_markdown(const dchg_report *r, const char *old_path, const char *new_path, strbuf *sb)
{
    sb_puts(sb, "## Change report: `");
    md_cell(sb, old_path ? old_path : "old");
    sb_puts(sb, "` → `");
    md_cell(sb, new_path ? new_path : "new");
    sb_puts(sb, "`\n\n");
    sb_printf(sb, "%d job(s) before, %d after, %d unchanged; %d added, %d removed, %d changed.\n", r->jobs_old,
              r->jobs_new, r->jobs_unchanged, r->counts[DCHG_ADDED], r->counts[DCHG_REMOVED], r->counts[DCHG_CHANGED]);
    if (!r->n) {
        sb_puts(sb, "\nNo semantic changes.\n");
        return;
    }
    const char *job = NULL;
    for (int i = 0; i < r->n; i++) {
        const dchg *c = &r->v[i];
        if (!job || strcmp(job, c->job) != 0) {
            job = c->job;
            sb_puts(sb, "\n### Job `");
            md_cell(sb, c->job);
            sb_putc(sb, '`');
            if (c->old_job) {
                sb_puts(sb, " (was `");
                md_cell(sb, c->old_job);
                sb_putc(sb, '`');
                sb_putc(sb, ')');
            }
            sb_puts(sb, "\n\n| change | node | column | aspect | before | after | where |\n"
                        "| --- | --- | --- | --- | --- | --- | --- |\n");
        }
        sb_printf(sb, "| %s %s | ", dchg_kind_name(c->kind), dchg_level_name(c->level));
        md_cell(sb, c->node);
        sb_puts(sb, " | ");
        md_cell(sb, c->column);
        sb_puts(sb, " | ");
        md_cell(sb, c->aspect);
        sb_puts(sb, " | ");
        md_code(sb, c->before);
        sb_puts(sb, " | ");
        md_code(sb, c->after);
        sb_puts(sb, " | ");
        md_cell(sb, c->old_loc);
        if (c->old_loc && c->new_loc)
            sb_puts(sb, " → ");
        md_cell(sb, c->new_loc);
        sb_puts(sb, " |\n");
    }
}
