/*
 * compare.c — verify.h: the legacy IR against the IR read back from generated code.
 *
 * Steps per target (matched by dataset name, case-insensitively):
 *   1. inline every target column down to source-dataset columns (inline_col), collecting the
 *      window specs the value depends on as its context;
 *   2. write the legacy expression in the backend's idioms (expand: every call through the
 *      backend's emit_expr with placeholder arguments, read back by the same reader);
 *   3. canonicalise both (ir_canonicalize plus a few rules of its own: a condition's
 *      coalesce(c, FALSE) is c), then compare the canonical texts;
 *   4. collect the row-shaping facts of every node upstream of the target and compare them by
 *      kind as multisets.
 * Source datasets get one numbering shared by both sides (#1, #2 ... in canonical texts).
 */
#include "verifier/verify.h"
#include "verifier/diffexec.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends/backend.h"
#include "verifier/readback.h"
#include "verifier/verify_internal.h"

extern const backend spark_backend;
extern const backend snowflake_backend;

/* Memo of one inlined column. */
typedef struct memo {
    const ir_job *job;
    int node;
    const char *col;
    ir_expr *e;
    const char *ctx; /* "; "-separated window specs, sorted; "" when none */
} memo;

/* A row-shaping fact: kind and canonical text. */
typedef struct fact {
    const char *kind;
    const char *text;
    bool order_dependent; /* a difference is unverified, not differs */
} fact;

typedef struct vctx {
    ir_job *cj;            /* holds every expression made here */
    const ir_job *legacy;
    verify_target target;
    const char **srcs;     /* upper-case dataset names; #i+1 */
    int n_srcs, cap_srcs;
    memo *memo;
    int n_memo, cap_memo;
    int depth;
} vctx;

ir_expr *verify_call_copy(ir_job *job, const ir_expr *e)
{
    ir_expr *c = arena_alloc(job->arena, sizeof *c);
    *c = *e;
    int na = e->u.call.n_args;
    c->u.call.args = na ? arena_alloc(job->arena, sizeof *c->u.call.args * (size_t)na) : NULL;
    if (na)
        memcpy(c->u.call.args, e->u.call.args, sizeof *c->u.call.args * (size_t)na);
    return c;
}

const char *verify_verdict_name(verify_verdict v)
{
    return v == VERIFY_EQUAL ? "equal" : v == VERIFY_DIFFERS ? "differs" : "unverified";
}

static const char *last_part(const char *s)
{
    const char *d = strrchr(s, '.');
    return d ? d + 1 : s;
}

/* The shared number of a source dataset (1-based). */
static int src_index(vctx *v, const char *dataset)
{
    const char *u = arena_strdup_upper(v->cj->arena, dataset);
    for (int i = 0; i < v->n_srcs; i++)
        if (strcmp(v->srcs[i], u) == 0)
            return i + 1;
    for (int i = 0; i < v->n_srcs; i++)
        if (strcmp(last_part(v->srcs[i]), last_part(u)) == 0)
            return i + 1;
    if (v->n_srcs == v->cap_srcs) {
        int cap = v->cap_srcs ? v->cap_srcs * 2 : 16;
        v->srcs = arena_grow(v->cj->arena, v->srcs, (size_t)v->cap_srcs, (size_t)cap, sizeof *v->srcs);
        v->cap_srcs = cap;
    }
    v->srcs[v->n_srcs++] = u;
    return v->n_srcs;
}

/* ---- context lists ("a; b", sorted, unique) ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *ctx_merge(vctx *v, const char *a, const char *b)
{
    if (!a || !*a)
        return b ? b : "";
    if (!b || !*b || strcmp(a, b) == 0)
        return a;
    const char *items[256];
    int n = 0;
    const char *srcs[2] = {a, b};
    for (int s = 0; s < 2; s++) {
        const char *p = srcs[s];
        while (*p && n < 256) {
            const char *e = strstr(p, "; ");
            size_t len = e ? (size_t)(e - p) : strlen(p);
            items[n++] = arena_strndup(v->cj->arena, p, len);
            p = e ? e + 2 : p + len;
        }
    }
    qsort(items, (size_t)n, sizeof items[0], cmp_str);
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < n; i++) {
        if (i && strcmp(items[i], items[i - 1]) == 0)
            continue;
        if (sb.len)
            sb_puts(&sb, "; ");
        sb_puts(&sb, items[i]);
    }
    const char *out = arena_strdup(v->cj->arena, sb_cstr(&sb));
    sb_free(&sb);
    return out;
}

/* ---- inlining ---- */

/* Ops whose columns copy the input row's columns when they have no expression. */
static bool passes_rows_op(ir_op op)
{
    return op == IR_OP_PROJECT || op == IR_OP_FILTER || op == IR_OP_SORT || op == IR_OP_DEDUP ||
           op == IR_OP_RANK || op == IR_OP_TARGET || op == IR_OP_UPDATE || op == IR_OP_ROUTER;
}

static ir_expr *inline_col(vctx *v, const ir_job *j, int node, const char *col, const char **ctx);

static ir_expr *mark(vctx *v, const char *text, const char *reason)
{
    return ir_hole(v->cj, text, reason);
}

/* e (an expression of node n of job j) over source columns. */
static ir_expr *inline_expr(vctx *v, const ir_job *j, const ir_node *n, const ir_expr *e, const char **ctx)
{
    if (!e)
        return ir_lit_null(v->cj);
    switch (e->kind) {
    case IR_EX_REF: {
        const char *c = "";
        ir_expr *r = inline_col(v, j, e->u.ref.node, e->u.ref.col, &c);
        *ctx = ctx_merge(v, *ctx, c);
        return r;
    }
    case IR_EX_CALL: {
        ir_expr *c = verify_call_copy(v->cj, e);
        for (int i = 0; i < e->u.call.n_args; i++)
            c->u.call.args[i] = inline_expr(v, j, n, e->u.call.args[i], ctx);
        return c;
    }
    default:
        return ir_expr_copy(v->cj, e);
    }
}

static bool has_window_call(const ir_expr *e, bool *frame)
{
    if (!e || e->kind != IR_EX_CALL)
        return false;
    bool any = false;
    if (ir_fn_is_window(e->u.call.fn) || ir_fn_is_aggregate(e->u.call.fn)) {
        any = true;
        if (ir_fn_uses_frame(e->u.call.fn))
            *frame = true;
    }
    for (int i = 0; i < e->u.call.n_args; i++)
        any |= has_window_call(e->u.call.args[i], frame);
    return any;
}

static ir_expr *canon(vctx *v, ir_expr *e);

static const char *canon_text(vctx *v, ir_expr *e)
{
    strbuf sb = STRBUF_INIT;
    ir_expr_to_text(&sb, canon(v, e));
    const char *t = arena_strdup(v->cj->arena, sb_cstr(&sb));
    sb_free(&sb);
    return t;
}

static ir_expr *expand(vctx *v, const ir_job *j, ir_expr *e);

/* The text of a node's partition and order keys, as a window spec or dedup/rank key list. */
static const char *keys_text(vctx *v, const ir_job *j, const ir_node *n, bool flip, bool with_order)
{
    const char *parts[64];
    int np = 0;
    for (int i = 0; i < n->n_keys && np < 64; i++) {
        const char *c = "";
        ir_expr *k = inline_expr(v, j, n, n->keys[i], &c);
        if (j == v->legacy)
            k = expand(v, j, k);
        parts[np++] = canon_text(v, k);
    }
    qsort(parts, (size_t)np, sizeof parts[0], cmp_str);
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "partition [");
    for (int i = 0; i < np; i++) {
        if (i)
            sb_puts(&sb, ", ");
        sb_puts(&sb, parts[i]);
    }
    sb_puts(&sb, "]");
    if (with_order) {
        sb_puts(&sb, " order [");
        for (int i = 0; i < n->n_order; i++) {
            const char *c = "";
            ir_expr *k = inline_expr(v, j, n, n->order[i].expr, &c);
            if (j == v->legacy)
                k = expand(v, j, k);
            if (i)
                sb_puts(&sb, ", ");
            sb_puts(&sb, canon_text(v, k));
            sb_puts(&sb, n->order[i].desc != flip ? " desc" : " asc");
        }
        sb_puts(&sb, "]");
    }
    const char *t = arena_strdup(v->cj->arena, sb_cstr(&sb));
    sb_free(&sb);
    return t;
}

static const char *hole_reason(const ir_expr *e);

static ir_expr *inline_col(vctx *v, const ir_job *j, int node, const char *col, const char **ctx)
{
    for (int i = 0; i < v->n_memo; i++)
        if (v->memo[i].job == j && v->memo[i].node == node && strcmp(v->memo[i].col, col) == 0) {
            *ctx = v->memo[i].ctx;
            return v->memo[i].e;
        }
    *ctx = "";
    const ir_node *n = ir_job_node(j, node);
    if (!n)
        return mark(v, col, "reference to a missing node");
    if (v->depth > 200)
        return mark(v, col, "too deep");
    v->depth++;
    ir_column *c = ir_node_col(n, col);
    if (!c)
        c = ir_node_col_ci(n, col);
    ir_expr *out;
    if (n->op == IR_OP_SOURCE) {
        const ir_dataset *lds = n->dataset ? ir_job_dataset(v->legacy, n->dataset) : NULL;
        if (j != v->legacy && lds && lds->fixed_width) {
            v->depth--;
            return mark(v, col, "fixed-width file: the generated code parses the fields itself");
        }
        int idx = src_index(v, n->dataset ? n->dataset : n->name);
        out = ir_ref(v->cj, idx, arena_strdup_upper(v->cj->arena, c ? c->name : col));
        if (c)
            out->type = c->type;
    } else if (!c) {
        out = mark(v, col, "reference to a missing column");
    } else if (n->op == IR_OP_UNION) {
        int pos = (int)(c - n->cols);
        const char *texts[64];
        int nt = 0;
        bool holes = false;
        for (int k = 0; k < n->n_inputs && nt < 64; k++) {
            const ir_node *in = ir_job_node(j, n->inputs[k]);
            if (!in || pos >= in->n_cols) {
                texts[nt++] = "?";
                holes = true;
                continue;
            }
            const char *cc = "";
            ir_expr *e = inline_col(v, j, in->id, in->cols[pos].name, &cc);
            if (j == v->legacy)
                e = expand(v, j, e);
            *ctx = ctx_merge(v, *ctx, cc);
            if (e->kind == IR_EX_HOLE && e->u.hole.reason && strcmp(e->u.hole.reason, "union") == 0) {
                /* a union of a union: one list */
                const char *inner = e->u.hole.text + strlen("union(");
                size_t len = strlen(inner) - 1;
                char *items = arena_strndup(v->cj->arena, inner, len);
                for (char *p = items; p && nt < 64;) {
                    char *sep = strstr(p, " | ");
                    if (sep)
                        *sep = '\0';
                    texts[nt++] = p;
                    p = sep ? sep + 3 : NULL;
                }
                continue;
            }
            holes |= hole_reason(e) != NULL;
            texts[nt++] = canon_text(v, e);
        }
        qsort(texts, (size_t)nt, sizeof texts[0], cmp_str);
        strbuf sb = STRBUF_INIT;
        sb_puts(&sb, "union(");
        for (int i = 0; i < nt; i++) {
            if (i)
                sb_puts(&sb, " | ");
            sb_puts(&sb, texts[i]);
        }
        sb_puts(&sb, ")");
        out = mark(v, arena_strdup(v->cj->arena, sb_cstr(&sb)), holes ? "union of unverified values" : "union");
        out->type = c->type; /* the union column's type: the target's idioms (casts) depend on it */
        sb_free(&sb);
    } else if (c->n_alts || n->op == IR_OP_NORMALIZE) {
        out = mark(v, col, "normalizer output (one value per occurrence)");
    } else if (!c->expr) {
        if ((n->op == IR_OP_WINDOW || passes_rows_op(n->op)) && n->n_inputs == 1 && !(c->flags & IR_COL_GENERATED))
            out = inline_col(v, j, n->inputs[0], c->name, ctx);
        else
            out = mark(v, col, n->op == IR_OP_SEQUENCE    ? "generated key (sequence)"
                               : n->op == IR_OP_PROCEDURE ? "procedural or untranslated code (a hole)"
                                                          : "generated by the node");
    } else {
        out = inline_expr(v, j, n, c->expr, ctx);
        bool frame = false;
        if (n->op == IR_OP_WINDOW && has_window_call(c->expr, &frame)) {
            const char *spec = keys_text(v, j, n, false, true);
            if (frame) {
                strbuf fb = STRBUF_INIT;
                ir_frame_to_text(&fb, n->frame);
                spec = arena_printf(v->cj->arena, "%s frame %s", spec, sb_cstr(&fb));
                sb_free(&fb);
            }
            *ctx = ctx_merge(v, *ctx, arena_printf(v->cj->arena, "window %s", spec));
        }
        if (n->op == IR_OP_AGGREGATE && has_window_call(c->expr, &frame))
            *ctx = ctx_merge(v, *ctx, arena_printf(v->cj->arena, "group %s", keys_text(v, j, n, false, false)));
    }
    v->depth--;
    if (v->n_memo == v->cap_memo) {
        int cap = v->cap_memo ? v->cap_memo * 2 : 256;
        v->memo = arena_grow(v->cj->arena, v->memo, (size_t)v->cap_memo, (size_t)cap, sizeof *v->memo);
        v->cap_memo = cap;
    }
    memo m = {j, node, ir_intern(v->cj, col), out, *ctx};
    v->memo[v->n_memo++] = m;
    return out;
}

/* ---- the legacy side in the target's idioms ---- */

enum { PH_NODE = 1000000 }; /* node id of placeholder references in probes */

typedef struct probe_args {
    ir_expr **args;
    int n;
} probe_args;

static ir_expr *probe_resolve(void *userdata, ir_job *job, const char *name)
{
    probe_args *pa = userdata;
    (void)job;
    if ((name[0] == 'P' || name[0] == 'p') && (name[1] == 'H' || name[1] == 'h') && name[2] == '_') {
        int k = atoi(name + 3);
        if (k >= 0 && k < pa->n)
            return pa->args[k];
    }
    return NULL;
}

static bool is_constant(const ir_expr *e)
{
    return !ir_expr_contains(e, IR_EXPR_MASK(IR_EX_REF) | IR_EXPR_MASK(IR_EX_HOLE) | IR_EXPR_MASK(IR_EX_PARAM));
}

/* e (over source columns, in v->cj) as the backend writes it and the reader reads it back, call by
 * call. A call the backend cannot write, or whose writing the reader cannot read, stays as it is. */
/* Whether e holds a hole other than the marker of a union's values (reason "union", which stands
 * for a value like any column and goes through the target's idioms as one). */
static bool has_hole_but_union(const ir_expr *e)
{
    if (!e)
        return false;
    if (e->kind == IR_EX_HOLE)
        return !(e->u.hole.reason && strcmp(e->u.hole.reason, "union") == 0);
    if (e->kind != IR_EX_CALL)
        return false;
    for (int i = 0; i < e->u.call.n_args; i++)
        if (has_hole_but_union(e->u.call.args[i]))
            return true;
    return false;
}

static ir_expr *expand(vctx *v, const ir_job *j, ir_expr *e)
{
    if (!e || e->kind != IR_EX_CALL)
        return e;
    int na = e->u.call.n_args;
    ir_expr *same = verify_call_copy(v->cj, e);
    ir_expr **args = same->u.call.args;
    for (int i = 0; i < na; i++)
        args[i] = expand(v, j, e->u.call.args[i]);
    ir_fn fn = e->u.call.fn;
    if (ir_fn_is_aggregate(fn) || ir_fn_is_window(fn))
        return same;
    /* the probe: fn over placeholders (literal and constant arguments as they are) */
    ir_expr **pargs = na ? arena_alloc(v->cj->arena, sizeof *pargs * (size_t)na) : NULL;
    for (int i = 0; i < na; i++) {
        if (args[i]->kind == IR_EX_LIT || (is_constant(args[i]) && args[i]->kind == IR_EX_CALL)) {
            pargs[i] = e->u.call.args[i];
        } else {
            pargs[i] = ir_ref(v->cj, PH_NODE, arena_printf(v->cj->arena, "PH_%d", i));
            pargs[i]->type = e->u.call.args[i]->type;
        }
    }
    ir_expr *probe = ir_call(v->cj, fn, e->u.call.flags, na, pargs);
    probe->type = e->type;
    const backend *be = v->target == VERIFY_SPARK ? &spark_backend : &snowflake_backend;
    strbuf sb = STRBUF_INIT;
    ir_expr *out = same;
    if (be->emit_expr(j, probe, &sb) == 0 && sb.len) {
        probe_args pa = {args, na};
        ir_expr *back = v->target == VERIFY_SPARK ? readback_spark_expr(v->cj, sb.data, sb.len, j, probe_resolve, &pa)
                                                  : readback_snow_expr(v->cj, sb.data, sb.len, probe_resolve, &pa);
        if (back && !has_hole_but_union(back))
            out = back;
        else if (back && ir_expr_contains(same, IR_EXPR_MASK(IR_EX_HOLE)))
            out = same;
    }
    sb_free(&sb);
    return out;
}

/* ---- canonical form, with the rules of the comparison ---- */

static bool is_false_lit(const ir_expr *e)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_BOOL && e->u.lit.text && strcmp(e->u.lit.text, "false") == 0;
}

/* cond is used as a condition (NULL and FALSE mean the same): coalesce(c, FALSE) is c. */
static ir_expr *cond_norm(vctx *v, ir_expr *c)
{
    if (!c || c->kind != IR_EX_CALL)
        return c;
    if (c->u.call.fn == IR_FN_COALESCE && c->u.call.n_args == 2 && is_false_lit(c->u.call.args[1]))
        return cond_norm(v, c->u.call.args[0]);
    if (c->u.call.fn == IR_FN_AND) {
        ir_expr *n = verify_call_copy(v->cj, c);
        for (int i = 0; i < c->u.call.n_args; i++)
            n->u.call.args[i] = cond_norm(v, c->u.call.args[i]);
        return n;
    }
    return c;
}

static ir_expr *norm(vctx *v, ir_expr *e)
{
    if (e && e->kind == IR_EX_PARAM && e->u.param.name) {
        /* a parameter by the name the targets can spell: PowerCenter's built-in
         * $PMTarget@TableName is a session variable PMTarget_TableName; case does not matter */
        char *nm = arena_strdup(v->cj->arena, e->u.param.name);
        bool changed = false;
        for (char *q = nm; *q; q++) {
            char u = isalnum((unsigned char)*q) ? (char)toupper((unsigned char)*q) : '_';
            changed |= u != *q;
            *q = u;
        }
        if (!changed)
            return e;
        ir_expr *p = ir_expr_copy(v->cj, e);
        p->u.param.name = nm;
        return p;
    }
    if (!e || e->kind != IR_EX_CALL)
        return e;
    ir_expr *n = verify_call_copy(v->cj, e);
    int na = e->u.call.n_args;
    for (int i = 0; i < na; i++)
        n->u.call.args[i] = norm(v, e->u.call.args[i]);
    ir_fn fn = e->u.call.fn;
    if (fn == IR_FN_IF && na >= 1)
        n->u.call.args[0] = cond_norm(v, n->u.call.args[0]);
    if (fn == IR_FN_CASE)
        for (int i = 0; i + 1 < na; i += 2)
            n->u.call.args[i] = cond_norm(v, n->u.call.args[i]);
    if (fn == IR_FN_NOT && na == 1 && n->u.call.args[0]->kind == IR_EX_CALL && n->u.call.args[0]->u.call.fn == IR_FN_NOT)
        return n->u.call.args[0]->u.call.args[0];
    /* not of a comparison is the opposite comparison (the same in three-valued logic) */
    if (fn == IR_FN_NOT && na == 1 && n->u.call.args[0]->kind == IR_EX_CALL && n->u.call.args[0]->u.call.n_args == 2) {
        const ir_expr *c = n->u.call.args[0];
        ir_expr *a = c->u.call.args[0], *b = c->u.call.args[1];
        uint32_t fl = c->u.call.flags;
        switch (c->u.call.fn) {
        case IR_FN_EQ: return ir_call(v->cj, IR_FN_NE, fl, 2, (ir_expr *[]){a, b});
        case IR_FN_NE: return ir_call(v->cj, IR_FN_EQ, fl, 2, (ir_expr *[]){a, b});
        case IR_FN_LT: return ir_call(v->cj, IR_FN_LE, fl, 2, (ir_expr *[]){b, a});
        case IR_FN_LE: return ir_call(v->cj, IR_FN_LT, fl, 2, (ir_expr *[]){b, a});
        default: break;
        }
    }
    /* last_day reads the date part: last_day(cast(x AS date)) is last_day(x) (the SQL frontend adds
     * the cast where it knows x is a timestamp, and cannot know it for a placeholder) */
    if (fn == IR_FN_LAST_DAY && na == 1 && n->u.call.args[0]->kind == IR_EX_CALL &&
        n->u.call.args[0]->u.call.fn == IR_FN_CAST && n->u.call.args[0]->u.call.n_args == 1 &&
        n->u.call.args[0]->type.kind == IR_TY_DATE)
        n->u.call.args[0] = n->u.call.args[0]->u.call.args[0];
    /* in(x, a, b, ..): the values are a set */
    if (fn == IR_FN_IN && na > 2) {
        const char **texts = arena_alloc(v->cj->arena, sizeof *texts * (size_t)na);
        ir_expr **vals = arena_alloc(v->cj->arena, sizeof *vals * (size_t)na);
        for (int i = 1; i < na; i++) {
            strbuf t = STRBUF_INIT;
            ir_expr_to_text(&t, n->u.call.args[i]);
            texts[i - 1] = arena_strdup(v->cj->arena, sb_cstr(&t));
            sb_free(&t);
        }
        /* insertion sort, carrying the values along */
        for (int i = 1; i < na; i++)
            vals[i - 1] = n->u.call.args[i];
        for (int i = 1; i < na - 1; i++)
            for (int k = i; k > 0 && strcmp(texts[k - 1], texts[k]) > 0; k--) {
                const char *tt = texts[k];
                texts[k] = texts[k - 1];
                texts[k - 1] = tt;
                ir_expr *tv = vals[k];
                vals[k] = vals[k - 1];
                vals[k - 1] = tv;
            }
        for (int i = 1; i < na; i++)
            n->u.call.args[i] = vals[i - 1];
    }
    /* count of a non-NULL literal counts rows */
    if (fn == IR_FN_COUNT && na == 1 && n->u.call.args[0]->kind == IR_EX_LIT &&
        !(n->u.call.flags & IR_FL_DISTINCT) &&
        n->u.call.args[0]->u.lit.kind != IR_LIT_NULL)
        return ir_call(v->cj, IR_FN_COUNT_STAR, 0, 0, NULL);
    /* if(c1, v1, if(c2, v2, e)) and case(.., case(..)) are one multi-way case */
    if ((fn == IR_FN_IF && na == 3) || (fn == IR_FN_CASE && na % 2 == 1)) {
        ir_expr *last = n->u.call.args[na - 1];
        bool nested = last->kind == IR_EX_CALL && ((last->u.call.fn == IR_FN_IF && last->u.call.n_args == 3) ||
                                                   (last->u.call.fn == IR_FN_CASE && last->u.call.n_args % 2 == 1));
        if (nested || fn == IR_FN_IF) {
            int nn = na - 1 + (nested ? last->u.call.n_args : 1);
            ir_expr **a = arena_alloc(v->cj->arena, sizeof *a * (size_t)nn);
            int k = 0;
            for (int i = 0; i < na - 1; i++)
                a[k++] = n->u.call.args[i];
            if (nested)
                for (int i = 0; i < last->u.call.n_args; i++)
                    a[k++] = last->u.call.args[i];
            else
                a[k++] = last;
            if (nested || fn == IR_FN_CASE) {
                ir_expr *c = ir_call(v->cj, IR_FN_CASE, 0, k, a);
                c->type = n->type;
                return c;
            }
        }
    }
    return n;
}

static ir_expr *canon(vctx *v, ir_expr *e)
{
    ir_expr *c = ir_canonicalize(v->cj, e);
    c = norm(v, c);
    return ir_canonicalize(v->cj, c);
}

/* ---- row-shaping facts ---- */

typedef struct facts {
    fact *f;
    int n, cap;
} facts;

static void fact_add(vctx *v, facts *fs, const char *kind, const char *text, bool od)
{
    if (fs->n == fs->cap) {
        int cap = fs->cap ? fs->cap * 2 : 16;
        fs->f = arena_grow(v->cj->arena, fs->f, (size_t)fs->cap, (size_t)cap, sizeof *fs->f);
        fs->cap = cap;
    }
    fact f = {kind, text, od};
    fs->f[fs->n++] = f;
}

static const char *expr_text(vctx *v, const ir_job *j, const ir_node *n, const ir_expr *e)
{
    const char *ctx = "";
    ir_expr *x = inline_expr(v, j, n, e, &ctx);
    if (j == v->legacy)
        x = expand(v, j, x);
    return canon_text(v, cond_norm(v, x));
}

/* The sorted source numbers a node reads (for join sides). */
static void side_sources(vctx *v, const ir_job *j, int id, strbuf *sb, int depth)
{
    const ir_node *n = ir_job_node(j, id);
    if (!n || depth > 200)
        return;
    if (n->op == IR_OP_SOURCE) {
        sb_printf(sb, "#%d ", src_index(v, n->dataset ? n->dataset : n->name));
        return;
    }
    for (int i = 0; i < n->n_inputs; i++)
        side_sources(v, j, n->inputs[i], sb, depth + 1);
}

static const char *sources_of(vctx *v, const ir_job *j, int id)
{
    strbuf sb = STRBUF_INIT;
    side_sources(v, j, id, &sb, 0);
    /* sort the numbers */
    const char *items[128];
    int n = 0;
    char *s = arena_strdup(v->cj->arena, sb_cstr(&sb));
    for (char *tok = strtok(s, " "); tok && n < 128; tok = strtok(NULL, " "))
        items[n++] = tok;
    qsort(items, (size_t)n, sizeof items[0], cmp_str);
    strbuf out = STRBUF_INIT;
    for (int i = 0; i < n; i++) {
        if (i && strcmp(items[i], items[i - 1]) == 0)
            continue;
        if (out.len)
            sb_putc(&out, ' ');
        sb_puts(&out, items[i]);
    }
    const char *t = arena_strdup(v->cj->arena, sb_cstr(&out));
    sb_free(&sb);
    sb_free(&out);
    return t;
}

/* The row_number / rank / dense_rank column of a window node a filter predicate tests (rn = 1,
 * rn <= N), or NULL; *wfn says which function numbers the rows (NULL: ROW_NUMBER only). */
static const ir_node *rownum_window_fn(const ir_job *j, const ir_node *f, const ir_expr *p, int64_t *limit, ir_fn *wfn);

static const ir_node *rownum_window(const ir_job *j, const ir_node *f, const ir_expr *p, int64_t *limit)
{
    return rownum_window_fn(j, f, p, limit, NULL);
}

static const ir_node *rownum_window_fn(const ir_job *j, const ir_node *f, const ir_expr *p, int64_t *limit, ir_fn *wfn)
{
    if (!p || p->kind != IR_EX_CALL || p->u.call.n_args != 2)
        return NULL;
    ir_fn fn = p->u.call.fn;
    if (fn != IR_FN_EQ && fn != IR_FN_LE && fn != IR_FN_LT && fn != IR_FN_GE && fn != IR_FN_GT)
        return NULL;
    const ir_expr *a = p->u.call.args[0], *b = p->u.call.args[1];
    bool swapped = false;
    if (a->kind == IR_EX_LIT) {
        const ir_expr *t = a;
        a = b;
        b = t;
        swapped = true;
    }
    if (a->kind != IR_EX_REF || b->kind != IR_EX_LIT || b->u.lit.kind != IR_LIT_INT)
        return NULL;
    /* follow pass-through columns to the window node */
    const ir_node *n = ir_job_node(j, a->u.ref.node);
    const char *col = a->u.ref.col;
    (void)f;
    for (int guard = 0; n && guard < 50; guard++) {
        const ir_column *c = ir_node_col(n, col);
        if (!c)
            return NULL;
        ir_fn cf = c->expr && c->expr->kind == IR_EX_CALL ? c->expr->u.call.fn : IR_FN__COUNT;
        if (n->op == IR_OP_WINDOW &&
            (cf == IR_FN_ROW_NUMBER || (wfn && (cf == IR_FN_RANK || cf == IR_FN_DENSE_RANK)))) {
            if (wfn)
                *wfn = cf;
            long long k = atoll(b->u.lit.text);
            if (fn == IR_FN_EQ && k == 1)
                *limit = 1;
            else if ((fn == IR_FN_LE && !swapped) || (fn == IR_FN_GE && swapped))
                *limit = k;
            else if ((fn == IR_FN_LT && !swapped) || (fn == IR_FN_GT && swapped))
                *limit = k - 1;
            else
                return NULL;
            return n;
        }
        if (!c->expr || c->expr->kind != IR_EX_REF)
            return NULL;
        n = ir_job_node(j, c->expr->u.ref.node);
        col = c->expr->u.ref.col;
    }
    return NULL;
}

static bool expr_reads_generated_id(const ir_job *j, const ir_expr *e, int depth)
{
    if (!e || depth > 50)
        return false;
    if (e->kind == IR_EX_HOLE && ((e->u.hole.reason && strcmp(e->u.hole.reason, "generated row id") == 0) ||
                                  (e->u.hole.text && strstr(e->u.hole.text, "SEQ8()"))))
        return true;
    if (e->kind == IR_EX_CALL) {
        for (int i = 0; i < e->u.call.n_args; i++)
            if (expr_reads_generated_id(j, e->u.call.args[i], depth + 1))
                return true;
        return false;
    }
    if (e->kind == IR_EX_REF) {
        const ir_node *n = ir_job_node(j, e->u.ref.node);
        const ir_column *c = n ? ir_node_col(n, e->u.ref.col) : NULL;
        if (c && c->expr)
            return expr_reads_generated_id(j, c->expr, depth + 1);
        if (c && !c->expr && n->n_inputs == 1 && n->op != IR_OP_SOURCE) {
            ir_expr r = *e;
            r.u.ref.node = n->inputs[0];
            return expr_reads_generated_id(j, &r, depth + 1);
        }
    }
    return false;
}

static const char *load_text(const ir_node *t, arena *a)
{
    const char *mode = t->load == IR_LOAD_MERGE ? "merge" : t->load == IR_LOAD_APPEND ? "append" : "replace";
    if (t->load != IR_LOAD_MERGE)
        return mode;
    const char *keys[64];
    int n = 0;
    for (int i = 0; i < t->n_merge_keys && n < 64; i++)
        keys[n++] = arena_strdup_upper(a, t->merge_keys[i]);
    qsort(keys, (size_t)n, sizeof keys[0], cmp_str);
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "merge on [");
    for (int i = 0; i < n; i++) {
        if (i)
            sb_puts(&sb, ", ");
        sb_puts(&sb, keys[i]);
    }
    sb_puts(&sb, "]");
    const char *out = arena_strdup(a, sb_cstr(&sb));
    sb_free(&sb);
    return out;
}

/* in(x, 0, 1, 2): the row-operation test that drops rejected rows before a merge. */
static bool is_reject_drop(const ir_expr *c)
{
    if (!c || c->kind != IR_EX_CALL || c->u.call.fn != IR_FN_IN || c->u.call.n_args != 4)
        return false;
    for (int i = 1; i < 4; i++) {
        const ir_expr *a = c->u.call.args[i];
        if (a->kind != IR_EX_LIT || a->u.lit.kind != IR_LIT_INT || atoi(a->u.lit.text) != i - 1)
            return false;
    }
    return true;
}

/* Facts of every node upstream of target t. */
/* Whether node id is an aggregate without group keys, or a project straight over one. */
static bool keyless_aggregate(const ir_job *j, int id)
{
    const ir_node *n = ir_job_node(j, id);
    if (n && n->op == IR_OP_PROJECT && n->n_inputs == 1)
        n = ir_job_node(j, n->inputs[0]);
    return n && n->op == IR_OP_AGGREGATE && n->n_keys == 0;
}

/* Whether, in generated job j, a numbering of the whole input is how the backend wrote a legacy
 * limit: the legacy job has a rank without keys or order (TOP n, ROWNUM <= n), which any N rows
 * satisfy, and the backends number the rows in the order of their columns to pick N. */
static bool limit_by_backend(const vctx *v, const ir_job *j)
{
    if (j == v->legacy)
        return false;
    for (int i = 0; i < v->legacy->n_nodes; i++) {
        const ir_node *n = v->legacy->nodes[i];
        if (n->op == IR_OP_RANK && n->n_keys == 0 && n->n_order == 0)
            return true;
    }
    return false;
}

static void collect_facts(vctx *v, const ir_job *j, const ir_node *t, facts *fs)
{
    int cap = 1; /* every edge is pushed at most once per visit of its node */
    for (int i = 0; i < j->n_nodes; i++)
        cap += j->nodes[i]->n_inputs;
    int *stack = arena_alloc(v->cj->arena, sizeof *stack * (size_t)cap);
    bool *seen = arena_alloc(v->cj->arena, sizeof *seen * (size_t)(j->next_id + 1));
    memset(seen, 0, sizeof *seen * (size_t)(j->next_id + 1));
    int sp = 0;
    stack[sp++] = t->id;
    const char *filters[256];
    int nf = 0;
    const ir_node *keyless[16];
    int n_keyless = 0;
    bool empty_guard = false;
    while (sp) {
        int id = stack[--sp];
        if (id <= 0 || id > j->next_id || seen[id])
            continue;
        seen[id] = true;
        const ir_node *n = ir_job_node(j, id);
        if (!n)
            continue;
        for (int i = 0; i < n->n_inputs && sp < cap; i++)
            stack[sp++] = n->inputs[i];
        switch (n->op) {
        case IR_OP_SOURCE:
            if (n->predicate && nf < 256)
                filters[nf++] = expr_text(v, j, n, n->predicate);
            if (n->distinct)
                fact_add(v, fs, "distinct", "distinct", false);
            break;
        case IR_OP_FILTER: {
            int64_t limit = 0;
            ir_fn wfn = IR_FN_ROW_NUMBER;
            const ir_node *w = rownum_window_fn(j, n, n->predicate, &limit, &wfn);
            if (w) {
                bool lookup = false;
                for (int k = 0; k < w->n_keys; k++)
                    lookup |= expr_reads_generated_id(j, w->keys[k], 0);
                if (lookup && wfn == IR_FN_ROW_NUMBER)
                    fact_add(v, fs, "lookup", "one match per input row", true);
                else if (wfn == IR_FN_ROW_NUMBER && w->n_keys == 0 && limit_by_backend(v, j))
                    /* N rows of the whole input numbered in an order the backend chose (the
                     * legacy TOP n / ROWNUM has none): a limit, as the legacy rank without keys */
                    fact_add(v, fs, "limit", arena_printf(v->cj->arena, "limit %lld", (long long)limit), true);
                else if (limit == 1 && wfn == IR_FN_ROW_NUMBER)
                    fact_add(v, fs, "dedup", keys_text(v, j, w, false, true), false);
                else /* RANK() <= N keeps ties, as a rank node; ROW_NUMBER() <= N and DENSE_RANK do not */
                    fact_add(v, fs, "rank",
                             arena_printf(v->cj->arena, "%s %lld %s",
                                          wfn == IR_FN_RANK ? "top" : wfn == IR_FN_DENSE_RANK ? "top dense" : "first rows",
                                          (long long)limit, keys_text(v, j, w, false, true)),
                             false);
                break;
            }
            if (n->predicate && t->load == IR_LOAD_MERGE) {
                /* the backends' merge preparation: rejected rows dropped (row op in 0, 1, 2) and one row
                 * per merge key (rn = 1 or a NULL key) */
                const ir_expr *p = n->predicate;
                int na = p->kind == IR_EX_CALL && p->u.call.fn == IR_FN_AND ? p->u.call.n_args : 1;
                for (int a = 0; a < na && nf < 256; a++) {
                    const ir_expr *c = na > 1 || (p->kind == IR_EX_CALL && p->u.call.fn == IR_FN_AND) ? p->u.call.args[a] : p;
                    if (is_reject_drop(c)) {
                        fact_add(v, fs, "merge", "rejected rows dropped", true);
                        continue;
                    }
                    if (c->kind == IR_EX_CALL && c->u.call.fn == IR_FN_OR && c->u.call.n_args >= 1) {
                        int64_t lim = 0;
                        if (rownum_window(j, n, c->u.call.args[0], &lim) && lim == 1) {
                            fact_add(v, fs, "merge", "one row per merge key", true);
                            continue;
                        }
                    }
                    filters[nf++] = expr_text(v, j, n, c);
                }
                break;
            }
            if (n->predicate && nf < 256) {
                const char *pt = expr_text(v, j, n, n->predicate);
                /* `HAVING COUNT(*) > 0` on a global aggregate: no row for an empty input, as an
                 * aggregate without empty_row (the backends' form of PowerCenter's Aggregator) */
                if (strcmp(pt, "lt(0, count_star())") == 0 && n->n_inputs == 1 && keyless_aggregate(j, n->inputs[0])) {
                    empty_guard = true;
                    break;
                }
                filters[nf++] = pt;
            }
            break;
        }
        case IR_OP_UPDATE:
            if (t->load == IR_LOAD_MERGE) {
                fact_add(v, fs, "merge", "rejected rows dropped", true);
                fact_add(v, fs, "merge", "one row per merge key", true);
            }
            break;
        case IR_OP_JOIN:
        case IR_OP_LOOKUP: {
            if (n->n_inputs < 2)
                break;
            ir_join_kind k = n->op == IR_OP_LOOKUP ? IR_JOIN_LEFT : n->join;
            const char *a = sources_of(v, j, n->inputs[0]), *b = sources_of(v, j, n->inputs[1]);
            if (k == IR_JOIN_RIGHT) {
                const char *t2 = a;
                a = b;
                b = t2;
                k = IR_JOIN_LEFT;
            } else if (k != IR_JOIN_LEFT && strcmp(a, b) > 0) {
                const char *t2 = a;
                a = b;
                b = t2;
            }
            static const char *const kinds[] = {"inner", "left", "right", "full", "cross"};
            /* a lookup's "first match" written into the join condition: ... AND rn = 1 */
            const ir_expr *pred = n->predicate;
            if (pred && pred->kind == IR_EX_CALL && pred->u.call.fn == IR_FN_AND) {
                ir_expr **keep = arena_alloc(v->cj->arena, sizeof *keep * (size_t)pred->u.call.n_args);
                int nk = 0;
                bool first_match = false;
                for (int a = 0; a < pred->u.call.n_args; a++) {
                    int64_t lim = 0;
                    if (rownum_window(j, n, pred->u.call.args[a], &lim) && lim == 1)
                        first_match = true;
                    else
                        keep[nk++] = pred->u.call.args[a];
                }
                if (first_match) {
                    fact_add(v, fs, "lookup", "one match per input row", true);
                    pred = nk == 1 ? keep[0] : ir_call(v->cj, IR_FN_AND, 0, nk, keep);
                }
            }
            const char *cond = pred ? expr_text(v, j, n, pred) : "TRUE";
            fact_add(v, fs, "join", arena_printf(v->cj->arena, "%s join [%s] with [%s] on %s", kinds[k], a, b, cond), false);
            if (n->op == IR_OP_LOOKUP && n->match != IR_MATCH_ALL)
                fact_add(v, fs, "lookup", "one match per input row", true);
            break;
        }
        case IR_OP_AGGREGATE:
            if (n->n_keys == 0 && n_keyless < 16)
                keyless[n_keyless++] = n; /* after the walk: whether a guard filter follows */
            else
                fact_add(v, fs, "group", keys_text(v, j, n, false, false), false);
            break;
        case IR_OP_DEDUP:
            fact_add(v, fs, "dedup", keys_text(v, j, n, n->keep_last, true), n->n_order == 0);
            break;
        case IR_OP_RANK:
            if (n->n_keys || n->n_order)
                fact_add(v, fs, "rank",
                         arena_printf(v->cj->arena, "top %lld %s", (long long)n->top_n, keys_text(v, j, n, n->bottom, true)),
                         n->n_order == 0);
            else
                fact_add(v, fs, "limit", arena_printf(v->cj->arena, "limit %lld", (long long)n->top_n), true);
            break;
        case IR_OP_SORT:
            if (n->distinct)
                fact_add(v, fs, "distinct", "distinct", false);
            break;
        case IR_OP_PROCEDURE:
            fact_add(v, fs, "procedure", n->hole_reason ? n->hole_reason : "procedure", true);
            break;
        case IR_OP_TARGET:
            if (n == t)
                fact_add(v, fs, "load", load_text(n, v->cj->arena), false);
            break;
        default:
            break;
        }
    }
    for (int i = 0; i < n_keyless; i++)
        fact_add(v, fs, "group",
                 arena_printf(v->cj->arena, "%s, %s", keys_text(v, j, keyless[i], false, false),
                              keyless[i]->empty_row && !empty_guard ? "one row for an empty input"
                                                                    : "no row for an empty input"),
                 false);
    if (nf) {
        qsort(filters, (size_t)nf, sizeof filters[0], cmp_str);
        strbuf sb = STRBUF_INIT;
        if (nf > 1)
            sb_puts(&sb, "and(");
        for (int i = 0; i < nf; i++) {
            if (i)
                sb_puts(&sb, ", ");
            sb_puts(&sb, filters[i]);
        }
        if (nf > 1)
            sb_puts(&sb, ")");
        fact_add(v, fs, "filter", arena_strdup(v->cj->arena, sb_cstr(&sb)), false);
        sb_free(&sb);
    }
}

/* ---- results ---- */

static verify_item *item_add(verify_result *r, bool col)
{
    verify_item **arr = col ? &r->cols : &r->nodes;
    int *n = col ? &r->n_cols : &r->n_nodes, *cap = col ? &r->cap_cols : &r->cap_nodes;
    if (*n == *cap) {
        int nc = *cap ? *cap * 2 : 32;
        *arr = arena_grow(r->arena, *arr, (size_t)*cap, (size_t)nc, sizeof **arr);
        *cap = nc;
    }
    verify_item *it = &(*arr)[(*n)++];
    memset(it, 0, sizeof *it);
    return it;
}

static const char *dup(verify_result *r, const char *s)
{
    return s ? arena_strdup(r->arena, s) : NULL;
}

/* The first unverified reason among the holes of e, or NULL. */
static const char *hole_reason(const ir_expr *e)
{
    if (!e)
        return NULL;
    if (e->kind == IR_EX_HOLE) {
        if (e->u.hole.reason && strcmp(e->u.hole.reason, "union") == 0)
            return NULL;
        return e->u.hole.reason ? e->u.hole.reason : "hole";
    }
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++) {
            const char *r = hole_reason(e->u.call.args[i]);
            if (r)
                return r;
        }
    return NULL;
}

static bool order_dependent(const ir_expr *e)
{
    if (!e || e->kind != IR_EX_CALL)
        return false;
    if (e->u.call.flags & IR_FL_ORDER_DEPENDENT)
        return true;
    if (e->u.call.fn == IR_FN_FIRST || e->u.call.fn == IR_FN_LAST || e->u.call.fn == IR_FN_ANY_VALUE)
        return true;
    for (int i = 0; i < e->u.call.n_args; i++)
        if (order_dependent(e->u.call.args[i]))
            return true;
    return false;
}

/* The first function of e the backend cannot express (it writes a marked placeholder), or NULL. */
static const char *unsupported_fn(const vctx *v, const ir_expr *e)
{
    if (!e || e->kind != IR_EX_CALL)
        return NULL;
    const backend *be = v->target == VERIFY_SPARK ? &spark_backend : &snowflake_backend;
    ir_fn fn = e->u.call.fn;
    if ((be->supports_fn && !be->supports_fn(fn)) || fn == IR_FN_ERROR || fn == IR_FN_ABORT ||
        fn == IR_FN_SET_VARIABLE || fn == IR_FN_SET_MAX_VARIABLE || fn == IR_FN_SET_MIN_VARIABLE ||
        fn == IR_FN_SET_COUNT_VARIABLE)
        return ir_fn_get(fn)->name;
    for (int i = 0; i < e->u.call.n_args; i++) {
        const char *r = unsupported_fn(v, e->u.call.args[i]);
        if (r)
            return r;
    }
    return NULL;
}

/* The nearest node upstream of (or at) id with a column named col (or, col NULL, flagged as the
 * row operation); *out_col is set to its name. */
static const ir_node *find_upstream_col(const ir_job *j, int id, const char *col, const char **out_col, int depth)
{
    const ir_node *n = ir_job_node(j, id);
    if (!n || depth > 200)
        return NULL;
    for (int i = 0; i < n->n_cols; i++)
        if (col ? strcasecmp(n->cols[i].name, col) == 0 && n->cols[i].expr : (n->cols[i].flags & IR_COL_ROW_OP) != 0) {
            *out_col = n->cols[i].name;
            return n;
        }
    for (int i = 0; i < n->n_inputs; i++) {
        const ir_node *f = find_upstream_col(j, n->inputs[i], col, out_col, depth + 1);
        if (f)
            return f;
    }
    return NULL;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

/* Which row operation each MERGE clause applies (the backends' conditions "ROW_OP = n"): insert
 * for 0, update for 1, delete for 2, as the update strategy's codes mean. */
/* The row-operation codes a row-op expression can give (its literal results through if / case /
 * coalesce). */
static void result_codes(const ir_expr *e, bool codes[4])
{
    if (!e)
        return;
    if (e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_INT) {
        int c = atoi(e->u.lit.text);
        if (c >= 0 && c < 4)
            codes[c] = true;
        return;
    }
    if (e->kind != IR_EX_CALL)
        return;
    int na = e->u.call.n_args;
    if (e->u.call.fn == IR_FN_IF) {
        for (int i = 1; i < na; i++)
            result_codes(e->u.call.args[i], codes);
    } else if (e->u.call.fn == IR_FN_CASE) {
        for (int i = 1; i < na; i += 2)
            result_codes(e->u.call.args[i], codes);
        if (na % 2 == 1)
            result_codes(e->u.call.args[na - 1], codes);
    } else if (e->u.call.fn == IR_FN_COALESCE) {
        for (int i = 0; i < na; i++)
            result_codes(e->u.call.args[i], codes);
    }
}

static void compare_merge_clauses(verify_result *r, const ir_node *gt, const char *rowop, const char *tname,
                                  const ir_expr *legacy_rowop)
{
    const char *expect[3] = {"when not matched insert", "when matched update", "when matched delete"};
    bool codes[4] = {false, false, false, false};
    result_codes(legacy_rowop, codes);
    strbuf got = STRBUF_INIT;
    int n = 0;
    bool wrong = false, covered[3] = {false, false, false};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < gt->n_props; i++) {
            const char *cond = gt->props[i].value;
            if (strcmp(gt->props[i].key, expect[k]) != 0 || !cond || !contains_ci(cond, rowop))
                continue;
            /* the last integer of the condition is the code it tests */
            const char *p = cond + strlen(cond);
            while (p > cond && !(p[-1] >= '0' && p[-1] <= '9'))
                p--;
            while (p > cond && p[-1] >= '0' && p[-1] <= '9')
                p--;
            int code = atoi(p);
            sb_printf(&got, "%s%s when %s = %d", n++ ? "; " : "", expect[k] + 5, rowop, code);
            if (code != k)
                wrong = true;
            else
                covered[k] = true;
        }
    verify_item *it = item_add(r, false);
    it->target = arena_strdup(r->arena, tname);
    it->name = "merge clauses";
    strbuf want = STRBUF_INIT;
    int nw = 0;
    for (int k = 0; k < 3; k++)
        if (codes[k])
            sb_printf(&want, "%s%s when %s = %d", nw++ ? "; " : "", expect[k] + 5, rowop, k);
    it->legacy = arena_strdup(r->arena, sb_cstr(&want));
    sb_free(&want);
    it->generated = arena_strdup(r->arena, sb_cstr(&got));
    sb_free(&got);
    bool missing = false;
    for (int k = 0; k < 3; k++)
        missing |= codes[k] && !covered[k];
    if (n == 0) {
        it->verdict = VERIFY_UNVERIFIED;
        it->why = "the MERGE clauses do not test the row operation";
    } else if (wrong || missing) {
        it->verdict = VERIFY_DIFFERS;
        it->why = wrong ? "a MERGE clause applies another row operation than the update strategy's code"
                        : "a row operation the legacy job produces has no MERGE clause";
    } else {
        it->verdict = VERIFY_EQUAL; /* clauses for codes the legacy never produces are dead, not wrong */
    }
}

/* The row operation of a merge target (update strategy: 0 insert, 1 update, 2 delete, 3 reject)
 * against the generated code's column of the same name that drives its MERGE clauses. */
static void compare_row_op(vctx *v, verify_result *r, const ir_node *lt, const ir_job *gj, const ir_node *gt,
                           const char *tname)
{
    if (lt->load != IR_LOAD_MERGE || !gt)
        return;
    const char *lcol = NULL, *gcol = NULL;
    const ir_node *ln = lt->n_inputs ? find_upstream_col(v->legacy, lt->inputs[0], NULL, &lcol, 0) : NULL;
    if (!ln)
        return;
    const ir_node *gn = gt->n_inputs ? find_upstream_col(gj, gt->inputs[0], lcol, &gcol, 0) : NULL;
    verify_item *it = item_add(r, true);
    it->target = arena_strdup(r->arena, tname);
    it->name = arena_printf(r->arena, "(row operation %s)", lcol);
    const char *lctx = "", *gctx = "";
    ir_expr *le = canon(v, expand(v, v->legacy, inline_col(v, v->legacy, ln->id, lcol, &lctx)));
    it->legacy = arena_strdup(r->arena, canon_text(v, le));
    if (!gn) {
        it->verdict = VERIFY_UNVERIFIED;
        it->why = "the generated code has no column of that name driving the merge";
        return;
    }
    ir_expr *ge = canon(v, inline_col(v, gj, gn->id, gcol, &gctx));
    it->generated = arena_strdup(r->arena, canon_text(v, ge));
    compare_merge_clauses(r, gt, lcol, tname, le);
    const char *h = hole_reason(le) ? hole_reason(le) : hole_reason(ge);
    if (strcmp(it->legacy, it->generated) == 0 && !h) {
        it->verdict = VERIFY_EQUAL;
    } else if (h) {
        it->verdict = VERIFY_UNVERIFIED;
        it->why = arena_strdup(r->arena, h);
    } else {
        it->verdict = VERIFY_DIFFERS;
        it->why = "the row operation (insert / update / delete / reject) is computed differently";
    }
}

/* Whether a procedure node (untranslated or unreadable code) is upstream of (or at) id. */
static bool reads_procedure(const ir_job *j, int id, int depth)
{
    const ir_node *n = ir_job_node(j, id);
    if (!n || depth > 200)
        return false;
    if (n->op == IR_OP_PROCEDURE)
        return true;
    for (int i = 0; i < n->n_inputs; i++)
        if (reads_procedure(j, n->inputs[i], depth + 1))
            return true;
    return false;
}

/* Whether a canonical text reads a value that depends on row order (its canonical spellings). */
static bool reads_order_dependent(const char *text)
{
    return strstr(text, "any_value(") || strstr(text, "first(") || strstr(text, "last(") ||
           strstr(text, "[order_dependent]");
}

/* Whether a canonical text holds a hole other than a union marker. */
static bool has_real_hole(const char *text)
{
    for (const char *p = strstr(text, "HOLE("); p; p = strstr(p + 5, "HOLE(")) {
        if (strncmp(p + 5, "\"union(", 7) != 0)
            return true;
    }
    return false;
}

/* Whether generated step text g is legacy step text l with more order keys after l's: "partition
 * [..] order [a desc]" and "partition [..] order [a desc, b asc]". */
static bool extends_order(const char *l, const char *g)
{
    size_t n = strlen(l);
    return n > 1 && l[n - 1] == ']' && strstr(l, " order [") && !strncmp(l, g, n - 1) && !strncmp(g + n - 1, ", ", 2);
}

static void compare_target(vctx *v, verify_result *r, const ir_node *lt, const ir_job *gj, const ir_node *gt)
{
    const char *tname = lt->dataset ? lt->dataset : lt->name;
    for (int i = 0; i < lt->n_cols; i++) {
        const ir_column *lc = &lt->cols[i];
        if (lc->flags & IR_COL_ROW_OP)
            continue;
        verify_item *it = item_add(r, true);
        it->target = dup(r, tname);
        it->name = dup(r, lc->name);
        const char *lctx = "", *gctx = "";
        ir_expr *le = inline_col(v, v->legacy, lt->id, lc->name, &lctx);
        const char *unsup = unsupported_fn(v, le);
        le = canon(v, expand(v, v->legacy, le));
        strbuf lsb = STRBUF_INIT;
        ir_expr_to_text(&lsb, le);
        if (*lctx)
            sb_printf(&lsb, " {%s}", lctx);
        it->legacy = dup(r, sb_cstr(&lsb));
        sb_free(&lsb);
        const ir_column *gc = gt ? ir_node_col_ci(gt, lc->name) : NULL;
        if (!gc) {
            bool opaque = gt && reads_procedure(gj, gt->id, 0);
            it->verdict = gt && !opaque ? VERIFY_DIFFERS : VERIFY_UNVERIFIED;
            it->why = !gt    ? "no generated target for this dataset"
                      : opaque ? "the generated target reads code that could not be read back"
                               : "the generated target has no such column";
            continue;
        }
        ir_expr *ge = canon(v, inline_col(v, gj, gt->id, gc->name, &gctx));
        strbuf gsb = STRBUF_INIT;
        ir_expr_to_text(&gsb, ge);
        if (*gctx)
            sb_printf(&gsb, " {%s}", gctx);
        it->generated = dup(r, sb_cstr(&gsb));
        sb_free(&gsb);
        const char *lh = hole_reason(le), *gh = hole_reason(ge);
        if (!lh && unsup)
            lh = arena_printf(v->cj->arena, "the backend cannot express %s (it writes a marked placeholder)", unsup);
        if (strcmp(it->legacy, it->generated) == 0) {
            if (lh || gh) {
                it->verdict = VERIFY_UNVERIFIED;
                it->why = dup(r, lh ? lh : gh);
            } else {
                it->verdict = VERIFY_EQUAL;
            }
        } else if (lh || gh) {
            it->verdict = VERIFY_UNVERIFIED;
            it->why = dup(r, gh ? gh : lh);
        } else if (order_dependent(le) || order_dependent(ge)) {
            it->verdict = VERIFY_UNVERIFIED;
            it->why = "order-dependent value";
        } else {
            it->verdict = VERIFY_DIFFERS;
            it->why = "the canonical expressions differ";
        }
    }
    compare_row_op(v, r, lt, gj, gt, tname);
    /* row-shaping facts */
    facts lf = {0}, gf = {0};
    collect_facts(v, v->legacy, lt, &lf);
    if (gt)
        collect_facts(v, gj, gt, &gf);
    /* the generated side's deduplication of a lookup source is the lookup's match policy */
    int l_dedup = 0, l_lookup = 0;
    for (int i = 0; i < lf.n; i++) {
        l_dedup += strcmp(lf.f[i].kind, "dedup") == 0;
        l_lookup += strcmp(lf.f[i].kind, "lookup") == 0;
    }
    bool proc = false;
    for (int i = 0; i < lf.n; i++)
        proc |= strcmp(lf.f[i].kind, "procedure") == 0;
    for (int i = 0; i < gf.n; i++)
        proc |= strcmp(gf.f[i].kind, "procedure") == 0;
    for (int i = 0; i < gf.n && l_lookup && !l_dedup; i++)
        if (strcmp(gf.f[i].kind, "dedup") == 0) {
            gf.f[i].kind = "lookup";
            gf.f[i].text = "one match per input row";
        }
    static const char *const kinds[] = {"filter", "join", "group", "dedup", "rank", "limit", "distinct", "lookup",
                                        "merge", "procedure", "load"};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const char *lt_[256], *gt_[256];
        int nl = 0, ng = 0;
        bool od = false;
        for (int i = 0; i < lf.n && nl < 256; i++)
            if (strcmp(lf.f[i].kind, kinds[k]) == 0) {
                lt_[nl++] = lf.f[i].text;
                od |= lf.f[i].order_dependent;
            }
        for (int i = 0; i < gf.n && ng < 256; i++)
            if (strcmp(gf.f[i].kind, kinds[k]) == 0) {
                gt_[ng++] = gf.f[i].text;
                od |= gf.f[i].order_dependent;
            }
        if (!nl && !ng)
            continue;
        qsort(lt_, (size_t)nl, sizeof lt_[0], cmp_str);
        qsort(gt_, (size_t)ng, sizeof gt_[0], cmp_str);
        bool ties = false;
        for (int i = 0; i < nl && nl == ng; i++)
            if ((!strcmp(kinds[k], "dedup") || !strcmp(kinds[k], "rank")) && extends_order(lt_[i], gt_[i])) {
                gt_[i] = lt_[i]; /* the legacy keys, then tie-breakers: the same choice up to ties */
                ties = true;
            }
        strbuf a = STRBUF_INIT, b = STRBUF_INIT;
        for (int i = 0; i < nl; i++) {
            if (i)
                sb_puts(&a, "\n");
            sb_puts(&a, lt_[i]);
        }
        for (int i = 0; i < ng; i++) {
            if (i)
                sb_puts(&b, "\n");
            sb_puts(&b, gt_[i]);
        }
        verify_item *it = item_add(r, false);
        it->target = dup(r, tname);
        it->name = kinds[k];
        it->legacy = nl ? dup(r, sb_cstr(&a)) : NULL;
        it->generated = ng ? dup(r, sb_cstr(&b)) : NULL;
        bool same = nl == ng && strcmp(sb_cstr(&a), sb_cstr(&b)) == 0;
        bool holes = has_real_hole(sb_cstr(&a)) || has_real_hole(sb_cstr(&b));
        if (!gt) {
            it->verdict = VERIFY_UNVERIFIED;
            it->why = "no generated target for this dataset";
        } else if (strcmp(kinds[k], "lookup") == 0 || strcmp(kinds[k], "procedure") == 0 ||
                   strcmp(kinds[k], "merge") == 0) {
            it->verdict = VERIFY_UNVERIFIED;
            it->why = strcmp(kinds[k], "lookup") == 0  ? "a lookup's multiple-match policy is order-dependent: not compared"
                      : strcmp(kinds[k], "merge") == 0 ? "the last row per merge key wins in the legacy target: "
                                                         "order-dependent, not compared"
                                                       : "procedural code is not compared";
        } else if (same && !holes) {
            it->verdict = VERIFY_EQUAL;
            if (ties)
                it->why = "the generated code orders rows the legacy keys leave tied by the remaining columns "
                          "(the legacy takes them in input order)";
        } else if (holes || proc) {
            it->verdict = VERIFY_UNVERIFIED;
            it->why = holes ? "a hole or unreadable code" : "a procedural node or hole on the path hides the steps around it";
        } else if (od && nl == ng) {
            it->verdict = VERIFY_UNVERIFIED;
            it->why = "order-dependent: the legacy order is not kept";
        } else if (nl == ng && (reads_order_dependent(sb_cstr(&a)) || reads_order_dependent(sb_cstr(&b)))) {
            it->verdict = VERIFY_UNVERIFIED;
            it->why = "the step reads an order-dependent value (a group's first, last or any row)";
        } else {
            it->verdict = VERIFY_DIFFERS;
            it->why = "the row-shaping steps differ";
        }
        sb_free(&a);
        sb_free(&b);
    }
}

static const ir_node *find_target(const ir_job *j, const char *dataset)
{
    const ir_node *by_last = NULL;
    for (int i = 0; i < j->n_nodes; i++) {
        const ir_node *n = j->nodes[i];
        if (n->op != IR_OP_TARGET)
            continue;
        const char *d = n->dataset ? n->dataset : n->name;
        if (d && strcasecmp(d, dataset) == 0)
            return n;
        if (d && strcasecmp(last_part(d), last_part(dataset)) == 0)
            by_last = n;
    }
    return by_last;
}

/* Whether target n writes dataset: exactly (case-insensitively), or by the last dotted part. */
static bool writes(const ir_node *n, const char *dataset, bool exact)
{
    const char *d = n->op == IR_OP_TARGET ? (n->dataset ? n->dataset : n->name) : NULL;
    return d && (exact ? strcasecmp(d, dataset) == 0 : strcasecmp(last_part(d), last_part(dataset)) == 0);
}

const ir_node *verify_pair_target(const ir_job *legacy, const ir_node *lt, ir_job *const *gen, int n_gen,
                                  const ir_job **gj_out)
{
    const char *ds = lt->dataset ? lt->dataset : lt->name;
    int k = 0; /* lt is the k-th legacy target writing ds (several target instances load one table) */
    for (int i = 0; i < legacy->n_nodes && legacy->nodes[i] != lt; i++)
        k += writes(legacy->nodes[i], ds, true);
    for (int exact = 1; exact >= 0; exact--) {
        int seen = 0;
        for (int g = 0; g < n_gen; g++)
            for (int i = 0; i < gen[g]->n_nodes; i++)
                if (writes(gen[g]->nodes[i], ds, exact) && seen++ == k) {
                    *gj_out = gen[g];
                    return gen[g]->nodes[i];
                }
        if (seen > 0 && exact) /* the exact name is written, but not k + 1 times: the first one */
            break;
    }
    for (int g = 0; g < n_gen; g++) {
        const ir_node *t = find_target(gen[g], ds);
        if (t) {
            *gj_out = gen[g];
            return t;
        }
    }
    *gj_out = NULL;
    return NULL;
}

/* A parameter default in one spelling: MM/DD/YYYY[ HH24:MI:SS] dates as ISO, surrounding blanks
 * dropped, a time of midnight dropped (a date and its midnight are one instant). */
static const char *default_norm(arena *a, const char *d)
{
    if (!d)
        return NULL;
    while (*d == ' ')
        d++;
    int mo, da, y, h = 0, mi = 0, se = 0, used = 0;
    if (sscanf(d, "%4d-%2d-%2d 00:00:00%n", &y, &mo, &da, &used) == 3 && used == 19 && d[used] == '\0')
        return arena_printf(a, "%04d-%02d-%02d", y, mo, da);
    if (sscanf(d, "%2d/%2d/%4d %2d:%2d:%2d%n", &mo, &da, &y, &h, &mi, &se, &used) == 6 && d[used] == '\0')
        return h || mi || se ? arena_printf(a, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, da, h, mi, se)
                             : arena_printf(a, "%04d-%02d-%02d", y, mo, da);
    used = 0;
    if (sscanf(d, "%2d/%2d/%4d%n", &mo, &da, &y, &used) == 3 && d[used] == '\0')
        return arena_printf(a, "%04d-%02d-%02d", y, mo, da);
    return d;
}

/* Job parameters' defaults: the generated code must start from the legacy default. */
static void compare_params(vctx *v, verify_result *r, const ir_job *legacy, ir_job *const *gen, int n_gen)
{
    for (int i = 0; i < legacy->n_params; i++) {
        const ir_param *lp = &legacy->params[i];
        const ir_param *gp = NULL;
        for (int g = 0; g < n_gen && !gp; g++)
            for (int k = 0; k < gen[g]->n_params && !gp; k++)
                if (strcasecmp(gen[g]->params[k].name, lp->name) == 0 && gen[g]->params[k].default_value)
                    gp = &gen[g]->params[k];
        if (!lp->default_value && !gp)
            continue;
        const char *ld = default_norm(v->cj->arena, lp->default_value);
        const char *gd = gp ? default_norm(v->cj->arena, gp->default_value) : NULL;
        verify_item *it = item_add(r, false);
        it->target = "";
        it->name = "param";
        it->legacy = arena_printf(r->arena, "$$%s = %s", lp->name, ld ? ld : "(none)");
        it->generated = arena_printf(r->arena, "$$%s = %s", lp->name, gd ? gd : "(none)");
        if (ld && gd && strcmp(ld, gd) == 0) {
            it->verdict = VERIFY_EQUAL;
        } else if (!gd) {
            it->verdict = VERIFY_UNVERIFIED;
            it->why = "the generated code gives the parameter no default (it must be set at run time)";
        } else {
            it->verdict = VERIFY_DIFFERS;
            it->why = "the parameter's default differs";
        }
    }
}

int verify_compare(verify_result *out, const ir_job *legacy, ir_job *const *gen, int n_gen, verify_target target)
{
    memset(out, 0, sizeof *out);
    out->arena = arena_new();
    vctx v;
    memset(&v, 0, sizeof v);
    v.cj = ir_job_new("verify");
    v.legacy = legacy;
    v.target = target;
    /* legacy sources first, so numbers follow the legacy job */
    for (int i = 0; i < legacy->n_nodes; i++)
        if (legacy->nodes[i]->op == IR_OP_SOURCE)
            src_index(&v, legacy->nodes[i]->dataset ? legacy->nodes[i]->dataset : legacy->nodes[i]->name);
    for (int i = 0; i < legacy->n_nodes; i++) {
        const ir_node *lt = legacy->nodes[i];
        if (lt->op != IR_OP_TARGET)
            continue;
        const ir_job *gj = NULL;
        const ir_node *gt = verify_pair_target(legacy, lt, gen, n_gen, &gj);
        compare_target(&v, out, lt, gj, gt);
    }
    compare_params(&v, out, legacy, gen, n_gen);
    verify_exec_attach(out, legacy, gen, n_gen, target);
    out->n_sources = v.n_srcs;
    out->sources = arena_alloc(out->arena, sizeof *out->sources * (size_t)(v.n_srcs ? v.n_srcs : 1));
    for (int i = 0; i < v.n_srcs; i++)
        out->sources[i] = arena_strdup(out->arena, v.srcs[i]);
    for (int i = 0; i < out->n_cols; i++)
        out->col_counts[out->cols[i].verdict]++;
    for (int i = 0; i < out->n_nodes; i++)
        out->node_counts[out->nodes[i].verdict]++;
    if (out->col_counts[VERIFY_DIFFERS] || out->node_counts[VERIFY_DIFFERS])
        out->verdict = VERIFY_DIFFERS;
    else if (out->col_counts[VERIFY_UNVERIFIED] || out->node_counts[VERIFY_UNVERIFIED] || !out->n_cols)
        out->verdict = VERIFY_UNVERIFIED;
    else
        out->verdict = VERIFY_EQUAL;
    ir_job_free(v.cj);
    return 0;
}

static void json_item(strbuf *sb, const verify_item *it, bool col)
{
    sb_puts(sb, "{\"target\": ");
    sb_put_json_string(sb, it->target ? it->target : "");
    sb_puts(sb, col ? ", \"column\": " : ", \"kind\": ");
    sb_put_json_string(sb, it->name ? it->name : "");
    sb_puts(sb, ", \"verdict\": ");
    sb_put_json_string(sb, verify_verdict_name(it->verdict));
    if (it->legacy) {
        sb_puts(sb, ", \"legacy\": ");
        sb_put_json_string(sb, it->legacy);
    }
    if (it->generated) {
        sb_puts(sb, ", \"generated\": ");
        sb_put_json_string(sb, it->generated);
    }
    if (it->why) {
        sb_puts(sb, ", \"why\": ");
        sb_put_json_string(sb, it->why);
    }
    sb_putc(sb, '}');
}

void verify_result_to_json(const verify_result *r, strbuf *sb)
{
    sb_puts(sb, "{\n \"verdict\": ");
    sb_put_json_string(sb, verify_verdict_name(r->verdict));
    sb_printf(sb, ",\n \"counts\": {\"columns\": {\"equal\": %d, \"differs\": %d, \"unverified\": %d}, "
                  "\"nodes\": {\"equal\": %d, \"differs\": %d, \"unverified\": %d}},\n",
              r->col_counts[0], r->col_counts[1], r->col_counts[2], r->node_counts[0], r->node_counts[1],
              r->node_counts[2]);
    sb_puts(sb, " \"sources\": {");
    for (int i = 0; i < r->n_sources; i++) {
        sb_printf(sb, "%s\"#%d\": ", i ? ", " : "", i + 1);
        sb_put_json_string(sb, r->sources[i]);
    }
    sb_puts(sb, "},\n \"columns\": [");
    for (int i = 0; i < r->n_cols; i++) {
        sb_puts(sb, i ? ",\n  " : "\n  ");
        json_item(sb, &r->cols[i], true);
    }
    sb_puts(sb, r->n_cols ? "\n ],\n \"nodes\": [" : "],\n \"nodes\": [");
    for (int i = 0; i < r->n_nodes; i++) {
        sb_puts(sb, i ? ",\n  " : "\n  ");
        json_item(sb, &r->nodes[i], false);
    }
    sb_puts(sb, r->n_nodes ? "\n ]" : "]");
    verify_exec_to_json(r, sb);
    sb_puts(sb, "\n}\n");
}

void verify_result_free(verify_result *r)
{
    if (r->arena)
        arena_free(r->arena);
    memset(r, 0, sizeof *r);
}
