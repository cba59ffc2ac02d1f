/*
 * sqlfe_lower.c — a parsed query into IR nodes.
 *
 * A SELECT becomes, in this order: one node per FROM item (SOURCE for a table, the node chain of a
 * derived table or CTE, a PROCEDURE hole for table functions); JOIN nodes nested left-deep, where
 * WHERE conjuncts that connect a comma-joined table to the ones before it become that join's
 * condition (and Oracle (+) conjuncts make it an outer join); FILTER for the rest of WHERE; RANK
 * for Oracle ROWNUM <= n; AGGREGATE (keys, then one column per distinct aggregate call); FILTER for
 * HAVING; PROJECT for the select list; SORT for DISTINCT and ORDER BY; RANK for TOP/LIMIT/FETCH.
 * UNION ALL is a UNION node (UNION adds a distinct SORT); INTERSECT/EXCEPT, GROUPING SETS, recursive
 * CTEs and table functions are PROCEDURE nodes that keep their SQL text.
 *
 * Column references are resolved in two passes: the first walks every expression of the SELECT to
 * learn which columns of tables with unknown schemas are used (they become the SOURCE's columns),
 * the second lowers the expressions into ir_ref(node, column) of the node each one is evaluated on
 * (join inputs, the joined frame, the aggregate).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "frontends/sql/sqlfe_internal.h"

typedef struct cte_def {
    const char *name;
    const sqlfe_ast *ast;   /* SQ_CTE */
    int node;               /* lowered chain's last node, 0 before first use */
    int recursive;
    struct cte_def *next;
} cte_def;

typedef struct item {
    const char *alias;      /* alias, or the table's last name part */
    const char *table;      /* qualified table name (tables only) */
    int node;               /* the node producing the item's rows */
    int known;              /* the columns are fixed (schema callback, derived table, CTE) */
    int has_def;            /* a table whose columns came from the schema callback */
    const sqlfe_ast *ast;
} item;

typedef struct colmap {
    int item;
    const char *col;        /* the item node's column */
    const char *name;       /* its name in the current frame */
} colmap;

typedef struct jstep {
    int item;
    ir_join_kind kind;
    const sqlfe_ast *on;    /* condition tree or NULL */
    const sqlfe_ast *using_; /* SQ_USING or NULL */
    int natural;
    uint64_t nullable;      /* items an Oracle (+) made the null-supplying side of this join */
    ir_expr **extra;        /* WHERE conjuncts moved into the join (lowered later) */
    const sqlfe_ast **extra_ast;
    int n_extra, cap_extra;
} jstep;

typedef struct sel {
    lower_ctx *L;
    cte_def *ctes;
    item *items;
    int n_items, cap_items;
    colmap *map;
    int n_map, cap_map;
    int frame;              /* node whose columns the map names (0: none yet) */
    int mode;               /* 0 frame, 1 join condition of step join_item */
    int join_item, join_left;
    int collect;            /* first pass: only learn used columns */
    int agg_node;           /* > 0 while rewriting over an aggregate */
    int plus_is_filter;     /* lowering a (+) condition on a table no outer join makes optional */
} sel;

/* ---- helpers ---- */

static const char *last_part(const char *s)
{
    const char *d = strrchr(s, '.');
    return d ? d + 1 : s;
}

static int same(const char *a, const char *b)
{
    return a && b && strcasecmp(a, b) == 0;
}

static ir_node *node_of(lower_ctx *L, int id)
{
    return ir_job_node(L->job, id);
}

static ir_span span_of(lower_ctx *L, const sqlfe_ast *n)
{
    return sqlfe_span_at(L, n ? n->start : 0);
}

static ir_node *new_node(lower_ctx *L, ir_op op, const char *name, const sqlfe_ast *at)
{
    ir_node *n = ir_node_add(L->job, op, name);
    n->span = span_of(L, at);
    if (at)
        n->legacy = sqlfe_node_text(L, at);
    return n;
}

/* A column name unique among n's columns: name, name_2, name_3 ... */
static const char *unique_name(lower_ctx *L, ir_node *n, const char *name)
{
    if (!ir_node_col_ci(n, name))
        return ir_intern(L->job, name);
    for (int k = 2;; k++) {
        const char *c = arena_printf(L->job->arena, "%s_%d", name, k);
        if (!ir_node_col_ci(n, c))
            return ir_intern(L->job, c);
    }
}

/* Adds every column of from as a pass-through column of n. */
static void pass_through(lower_ctx *L, ir_node *n, int from)
{
    ir_node *f = node_of(L, from);
    for (int i = 0; i < f->n_cols; i++)
        ir_node_add_col(L->job, n, f->cols[i].name, f->cols[i].type, ir_ref(L->job, from, f->cols[i].name));
}

/* Rewrites references to node from into references to node to (same column names). */
static ir_expr *retarget(lower_ctx *L, ir_expr *e, int from, int to)
{
    if (!e)
        return e;
    if (e->kind == IR_EX_REF && e->u.ref.node == from) {
        ir_expr *r = ir_ref(L->job, to, e->u.ref.col);
        r->span = e->span;
        r->type = e->type;
        return r;
    }
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            e->u.call.args[i] = retarget(L, e->u.call.args[i], from, to);
    return e;
}

/* ---- FROM items ---- */

static int lower_query_in(lower_ctx *L, const sqlfe_ast *q, cte_def *ctes);

static int add_item(sel *S, const char *alias, const char *table, int node, int known, const sqlfe_ast *ast)
{
    /* a node used twice (a CTE joined to itself) gets a pass-through PROJECT per further use, so
     * the two sides of a join stay distinguishable by node id */
    for (int i = 0; i < S->n_items; i++) {
        if (S->items[i].node == node) {
            ir_node *p = new_node(S->L, IR_OP_PROJECT, alias, ast);
            p->legacy = NULL;
            ir_node_add_input(S->L->job, p, node);
            pass_through(S->L, p, node);
            node = p->id;
            break;
        }
    }
    item it = {alias, table, node, known, 0, ast};
    ARENA_PUSH(S->L->job->arena, S->items, S->n_items, S->cap_items, it);
    return S->n_items - 1;
}

static cte_def *find_cte(cte_def *c, const char *name)
{
    for (; c; c = c->next)
        if (same(c->name, name))
            return c;
    return NULL;
}

/* A PROCEDURE node keeping a construct the IR has no node for; its columns are learned from use. */
static int procedure_node(lower_ctx *L, const sqlfe_ast *n, const char *reason, const int *inputs, int n_inputs)
{
    ir_node *p = new_node(L, IR_OP_PROCEDURE, NULL, n);
    p->hole_reason = reason;
    for (int i = 0; i < n_inputs; i++)
        ir_node_add_input(L->job, p, inputs[i]);
    return p->id;
}

/* A row limit the IR cannot say (a percentage, WITH TIES) over node in: a procedure node (a marked
 * hole) that passes in's columns through; they were once a node property no backend read. */
static int row_share_hole(lower_ctx *L, const sqlfe_ast *n, int in, const char *reason)
{
    int p = procedure_node(L, n, reason, &in, 1);
    pass_through(L, node_of(L, p), in);
    return p;
}

/* Renames a node's columns through a PROJECT (alias column lists: t(a, b)). */
static int rename_cols(lower_ctx *L, int node, const sqlfe_ast *alias)
{
    if (!alias || alias->n_kids == 0)
        return node;
    ir_node *src = node_of(L, node);
    ir_node *p = new_node(L, IR_OP_PROJECT, alias->text, alias);
    ir_node_add_input(L->job, p, node);
    for (int i = 0; i < src->n_cols; i++) {
        const char *nm = i < alias->n_kids ? alias->kids[i]->text : src->cols[i].name;
        ir_node_add_col(L->job, p, unique_name(L, p, nm), src->cols[i].type, ir_ref(L->job, node, src->cols[i].name));
    }
    return p->id;
}

static int table_item(sel *S, const sqlfe_ast *t)
{
    lower_ctx *L = S->L;
    const sqlfe_ast *al = sqlfe_clause(t, SQ_ALIAS);
    const char *alias = al ? al->text : last_part(t->text);
    cte_def *c = strchr(t->text, '.') ? NULL : find_cte(S->ctes, t->text);
    if (c) {
        if (!c->node) {
            const sqlfe_ast *q = c->ast->kids[1];
            if (c->recursive) {
                c->node = procedure_node(L, c->ast, "recursive CTE", NULL, 0);
                const sqlfe_ast *cols = c->ast->kids[0];
                for (int i = 0; cols->kind == SQ_LIST && i < cols->n_kids; i++)
                    ir_node_add_col(L->job, node_of(L, c->node), cols->kids[i]->text, ir_type_make(IR_TY_UNKNOWN, 0, 0), NULL);
            } else {
                c->node = lower_query_in(L, q, c->next);
                if (c->node <= 0)
                    return -1;
                if (c->ast->kids[0]->kind == SQ_LIST) {
                    sqlfe_ast fake = *c->ast->kids[0];
                    fake.text = c->name;
                    c->node = rename_cols(L, c->node, &fake);
                }
                ir_node *last = node_of(L, c->node);
                if (!last->name)
                    last->name = ir_intern(L->job, c->name);
            }
        }
        int known = node_of(L, c->node)->n_cols > 0 || !c->recursive;
        return add_item(S, alias, NULL, c->node, known, t);
    }
    ir_node *src = new_node(L, IR_OP_SOURCE, alias, t);
    src->legacy = NULL;
    src->dataset = ir_intern(L->job, t->text);
    int known = 0;
    if (L->info && L->info->table_columns) {
        int n = 0;
        const sqlfe_column *cols = L->info->table_columns(L->info->userdata, t->text, &n);
        if (cols) {
            known = 1;
            for (int i = 0; i < n; i++)
                ir_node_add_col(L->job, src, cols[i].name, cols[i].type, NULL);
        }
    }
    int it = add_item(S, alias, t->text, src->id, known, t);
    S->items[it].has_def = known;
    return it;
}

/* Lowers one FROM primary into an item; returns its index or -1. */
static int from_primary(sel *S, const sqlfe_ast *t)
{
    lower_ctx *L = S->L;
    if (t->kind == SQ_TABLE)
        return table_item(S, t);
    const sqlfe_ast *al = sqlfe_clause(t, SQ_ALIAS);
    if (t->kind == SQ_DERIVED && t->kids[0]->kind == SQ_QUERY && !(t->flags & SQF_LATERAL)) {
        int node = lower_query_in(L, t->kids[0], S->ctes);
        if (node <= 0)
            return -1;
        node = rename_cols(L, node, al);
        ir_node *n = node_of(L, node);
        if (al && !n->name)
            n->name = ir_intern(L->job, al->text);
        return add_item(S, al ? al->text : NULL, NULL, node, 1, t);
    }
    const char *why = t->kind == SQ_DERIVED ? (t->flags & SQF_LATERAL ? "LATERAL subquery" : "parenthesised join")
                                            : "table function, PIVOT or UNPIVOT in FROM";
    int node = procedure_node(L, t, why, NULL, 0);
    return add_item(S, al ? al->text : NULL, NULL, node, 0, t);
}

static void push_step(sel *S, jstep **steps, int *n, int *cap, jstep st)
{
    ARENA_PUSH(S->L->job->arena, *steps, *n, *cap, st);
}

static ir_join_kind join_kind(const char *k)
{
    if (strcmp(k, "LEFT") == 0) return IR_JOIN_LEFT;
    if (strcmp(k, "RIGHT") == 0) return IR_JOIN_RIGHT;
    if (strcmp(k, "FULL") == 0) return IR_JOIN_FULL;
    if (strcmp(k, "CROSS") == 0) return IR_JOIN_CROSS;
    return IR_JOIN_INNER;
}

/* Whether a FROM table expression nests a join group on the right of a join that is not inner on
 * both levels (A LEFT JOIN (B JOIN C ON ..) ON ..): only inner joins regroup left-deep unchanged. */
static int has_nested_outer_join(const sqlfe_ast *t)
{
    if (!t || t->kind != SQ_JOIN || (t->flags & SQF_APPLY))
        return 0;
    const sqlfe_ast *right = t->kids[1];
    if (right->kind == SQ_JOIN && !(right->flags & SQF_APPLY) &&
        (join_kind(t->text) != IR_JOIN_INNER || join_kind(right->text) != IR_JOIN_INNER || strcmp(t->text, "INNER") != 0 ||
         strcmp(right->text, "INNER") != 0))
        return 1;
    return has_nested_outer_join(t->kids[0]) || has_nested_outer_join(right);
}

/* Whether a FROM table expression holds a SEMI or ANTI join (job nodes have no such join). */
static int has_semi_join(const sqlfe_ast *t)
{
    if (!t || t->kind != SQ_JOIN)
        return 0;
    if (t->text && (!strcmp(t->text, "SEMI") || !strcmp(t->text, "ANTI")))
        return 1;
    return has_semi_join(t->kids[0]) || (t->n_kids > 1 && has_semi_join(t->kids[1]));
}

/* Flattens a FROM table expression into join steps (left-deep). */
static int from_expr(sel *S, const sqlfe_ast *t, jstep **steps, int *n, int *cap, ir_join_kind first_kind)
{
    if (t->kind == SQ_JOIN && !(t->flags & SQF_APPLY)) {
        if (from_expr(S, t->kids[0], steps, n, cap, first_kind) < 0)
            return -1;
        const sqlfe_ast *right = t->kids[1];
        ir_join_kind k = join_kind(t->text);
        if (right->kind == SQ_JOIN) {
            if (from_expr(S, right, steps, n, cap, k) < 0)
                return -1;
            /* the outer ON joins the nested group: attach it to the last step */
            if (t->n_kids > 2) {
                jstep *last = &(*steps)[*n - 1];
                const sqlfe_ast *c = t->kids[2];
                ARENA_PUSH(S->L->job->arena, last->extra_ast, last->n_extra, last->cap_extra,
                           c->kind == SQ_ON ? c->kids[0] : c);
            }
            return 0;
        }
        int it = from_primary(S, right);
        if (it < 0)
            return -1;
        jstep st;
        memset(&st, 0, sizeof st);
        st.item = it;
        st.kind = k;
        st.natural = (t->flags & SQF_NATURAL) != 0;
        if (t->n_kids > 2) {
            if (t->kids[2]->kind == SQ_ON)
                st.on = t->kids[2]->kids[0];
            else
                st.using_ = t->kids[2];
        }
        push_step(S, steps, n, cap, st);
        return 0;
    }
    int it = from_primary(S, t);
    if (it < 0)
        return -1;
    jstep st;
    memset(&st, 0, sizeof st);
    st.item = it;
    st.kind = first_kind;
    push_step(S, steps, n, cap, st);
    return 0;
}

/* ---- column resolution ---- */

/* Whether an item may have columns beyond those its node lists: a table without a definition (its
 * columns are the ones the query uses), or, when the caller says definitions may be partial
 * (SQLFE_PARTIAL_DEFINITIONS), a table with one. Derived tables and CTEs have exactly their select lists. */
static int item_open(const sel *S, int i)
{
    const item *it = &S->items[i];
    if (!it->known)
        return 1;
    return it->has_def && (S->L->flags & SQLFE_PARTIAL_DEFINITIONS);
}

/* Adds column c (type unknown) to item i's node; a table with a definition records it in the
 * SOURCE's prop columns_not_in_definition (the query names it; the export's definition does not). */
static const char *add_open_col(sel *S, int i, const char *c)
{
    lower_ctx *L = S->L;
    ir_node *n = node_of(L, S->items[i].node);
    const char *name = ir_node_add_col(L->job, n, c, ir_type_make(IR_TY_UNKNOWN, 0, 0), NULL)->name;
    if (S->items[i].has_def) {
        static const char key[] = "columns_not_in_definition";
        ir_prop *p = NULL;
        for (int k = 0; k < n->n_props && !p; k++)
            if (strcmp(n->props[k].key, key) == 0)
                p = &n->props[k];
        if (p)
            p->value = arena_printf(L->job->arena, "%s,%s", p->value, name);
        else
            ir_node_add_prop(L->job, n, key, name);
    }
    return name;
}

/* Finds the item and column a name refers to. add: open items (item_open) gain the column when the
 * name designates them unambiguously. Returns the item index, or -1 (with *why) when it cannot be
 * resolved. */
static int find_col(sel *S, const sqlfe_ast *nm, const char **col, int add, const char **why)
{
    lower_ctx *L = S->L;
    const char *text = nm->text;
    const char *dot = strrchr(text, '.');
    const char *c = dot ? dot + 1 : text;
    *col = c;
    if (dot) {
        size_t ql = (size_t)(dot - text);
        const char *q = arena_strndup(L->job->arena, text, ql);
        /* the qualifier is an alias, else a table's (last) name; it must denote exactly one item */
        int found = -1, n_found = 0;
        for (int i = 0; i < S->n_items; i++)
            if (same(S->items[i].alias, q))
                found = found < 0 ? i : found, n_found++;
        for (int i = 0, by_alias = n_found; i < S->n_items && !by_alias; i++)
            if (S->items[i].table && (same(S->items[i].table, q) || same(last_part(S->items[i].table), q)))
                found = found < 0 ? i : found, n_found++;
        if (n_found > 1) {
            *why = arena_printf(L->job->arena, "'%s' names several tables", q);
            return -1;
        }
        if (found < 0) {
            *why = arena_printf(L->job->arena, "unknown table or alias '%s'", q);
            return -1;
        }
        ir_node *n = node_of(L, S->items[found].node);
        ir_column *cc = ir_node_col_ci(n, c);
        if (cc) {
            *col = cc->name;
            return found;
        }
        if (!item_open(S, found)) {
            *why = arena_printf(L->job->arena, "'%s' has no column '%s'", q, c);
            return -1;
        }
        if (add)
            *col = add_open_col(S, found, c);
        return found;
    }
    int found = -1, n_known = 0, n_open = 0, open_idx = -1, n_nodef = 0;
    for (int i = 0; i < S->n_items; i++) {
        ir_node *n = node_of(L, S->items[i].node);
        ir_column *cc = ir_node_col_ci(n, c);
        if (cc) {
            if (found < 0) {
                found = i;
                *col = cc->name;
            }
            n_known++;
        } else if (item_open(S, i)) {
            n_open++;
            open_idx = i;
            n_nodef += !S->items[i].known;
        }
    }
    if (n_known > 1 && why) {
        *why = arena_printf(L->job->arena, "column '%s' is ambiguous", c);
        return -1;
    }
    if (found >= 0)
        return found;
    if (n_open == 1) {
        if (add)
            *col = add_open_col(S, open_idx, c);
        return open_idx;
    }
    *why = n_open > 1 && n_nodef == n_open
               ? arena_printf(L->job->arena, "column '%s' could come from several tables whose columns are unknown", c)
           : n_open > 1 ? arena_printf(L->job->arena,
                                       "column '%s' is in no table's definition and could come from several tables", c)
                        : arena_printf(L->job->arena, "unknown column '%s'", c);
    return -1;
}

static const char *map_name(sel *S, int it, const char *col)
{
    for (int i = 0; i < S->n_map; i++)
        if (S->map[i].item == it && same(S->map[i].col, col))
            return S->map[i].name;
    return NULL;
}

static ir_expr *resolve(lower_ctx *L, void *scope, const sqlfe_ast *nm)
{
    sel *S = scope;
    const char *col = NULL, *why = NULL;
    int it = find_col(S, nm, &col, S->collect, &why);
    if (S->collect)
        return ir_lit_null(L->job);
    if (it < 0) {
        sqlfe_warn(L, nm->start, "%s", why);
        return sqlfe_hole(L, nm, why);
    }
    if (nm->flags & SQF_OUTER_PLUS && S->mode == 0 && S->plus_is_filter) {
        sqlfe_warn(L, nm->start, "(+) on a table that no outer join makes optional: a plain filter, as in Oracle");
    } else if (nm->flags & SQF_OUTER_PLUS && S->mode == 0) {
        sqlfe_warn(L, nm->start, "(+) outer-join marker outside a join condition ignored");
        L->n_lossy++;
    }
    if (S->mode == 1) {
        if (it == S->join_item)
            return ir_ref(L->job, S->items[it].node, col);
        const char *name = map_name(S, it, col);
        if (!name) {
            const char *w = "column of a table joined later";
            sqlfe_warn(L, nm->start, "%s", w);
            return sqlfe_hole(L, nm, w);
        }
        return ir_ref(L->job, S->join_left, name);
    }
    const char *name = map_name(S, it, col);
    if (!name)
        return sqlfe_hole(L, nm, "column not in the joined frame");
    return ir_ref(L->job, S->frame, name);
}

/* Names that are not columns: date part words, pseudo-columns. */
static int skip_first_arg(const sqlfe_ast *f)
{
    static const char *const fns[] = {"DATEADD", "DATEDIFF", "DATEPART", "DATE_PART", "DATE_TRUNC",
                                      "TIMESTAMPADD", "TIMESTAMPDIFF", "DATENAME"};
    const char *name = strrchr(f->text, '.') ? strrchr(f->text, '.') + 1 : f->text;
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (strcasecmp(name, fns[i]) == 0)
            return 1;
    return 0;
}

/* First pass: resolve every column name of an expression tree (not inside subqueries). */
static void collect(sel *S, const sqlfe_ast *n)
{
    if (!n)
        return;
    switch (n->kind) {
    case SQ_NAME: {
        const char *col, *why = NULL;
        const char *t = n->text;
        size_t k = strlen(t);
        if (k > 8 && (strcasecmp(t + k - 8, ".NEXTVAL") == 0 || strcasecmp(t + k - 8, ".CURRVAL") == 0))
            return;
        if (strcasecmp(t, "ROWNUM") == 0 || strcasecmp(t, "LEVEL") == 0 || strcasecmp(t, "ROWID") == 0 ||
            (S->L->d == SQLFE_TERADATA && strcasecmp(t, "DATE") == 0))
            return;
        find_col(S, n, &col, 1, &why);
        return;
    }
    case SQ_QUERY:
    case SQ_SUBQUERY:
    case SQ_EXISTS:
        return;
    case SQ_FUNC:
        for (int i = skip_first_arg(n) ? 1 : 0; i < n->n_kids; i++)
            collect(S, n->kids[i]);
        return;
    default:
        for (int i = 0; i < n->n_kids; i++)
            collect(S, n->kids[i]);
    }
}

static ir_expr *lower_in(sel *S, const sqlfe_ast *n)
{
    lower_ctx *L = S->L;
    void *old_scope = L->scope;
    sqlfe_resolve_fn old = L->resolve;
    L->scope = S;
    L->resolve = resolve;
    ir_expr *e = sqlfe_expr(L, n);
    L->scope = old_scope;
    L->resolve = old;
    return e;
}

/* ---- WHERE conjuncts ---- */

static void conjuncts(const sqlfe_ast *n, const sqlfe_ast ***out, int *cnt, int *cap, arena *a)
{
    if (n->kind == SQ_BINARY && strcmp(n->text, "AND") == 0) {
        conjuncts(n->kids[0], out, cnt, cap, a);
        conjuncts(n->kids[1], out, cnt, cap, a);
        return;
    }
    ARENA_PUSH(a, *out, *cnt, *cap, n);
}

/* Items a tree references (bit set over the first 64 items); *plus gains the items named with an
 * Oracle (+), *plain those named without one. */
static uint64_t refs_of(sel *S, const sqlfe_ast *n, uint64_t *plus, uint64_t *plain, int *opaque)
{
    if (!n)
        return 0;
    if (n->kind == SQ_NAME) {
        const char *col, *why = NULL;
        int it = find_col(S, n, &col, 0, &why);
        if (it < 0 || it >= 64) {
            *opaque = 1;
            return 0;
        }
        if (n->flags & SQF_OUTER_PLUS)
            *plus |= 1ull << it;
        else
            *plain |= 1ull << it;
        return 1ull << it;
    }
    if (n->kind == SQ_QUERY || n->kind == SQ_SUBQUERY || n->kind == SQ_EXISTS || n->kind == SQ_WINDOW) {
        *opaque = 1;
        return 0;
    }
    uint64_t m = 0;
    for (int i = (n->kind == SQ_FUNC && skip_first_arg(n)) ? 1 : 0; i < n->n_kids; i++)
        m |= refs_of(S, n->kids[i], plus, plain, opaque);
    return m;
}

static int is_rownum_limit(lower_ctx *L, const sqlfe_ast *c, long long *limit)
{
    if (L->d != SQLFE_ORACLE || c->kind != SQ_BINARY)
        return 0;
    const sqlfe_ast *a = c->kids[0], *b = c->kids[1];
    const char *op = c->text;
    int flip = 0;
    if (b->kind == SQ_NAME && strcasecmp(b->text, "ROWNUM") == 0) {
        const sqlfe_ast *t = a;
        a = b;
        b = t;
        flip = 1;
    }
    if (a->kind != SQ_NAME || strcasecmp(a->text, "ROWNUM") != 0 || b->kind != SQ_NUM)
        return 0;
    long long v = atoll(b->text);
    if ((!flip && strcmp(op, "<=") == 0) || (flip && strcmp(op, ">=") == 0))
        *limit = v;
    else if ((!flip && strcmp(op, "<") == 0) || (flip && strcmp(op, ">") == 0))
        *limit = v - 1;
    else if (strcmp(op, "=") == 0 && v == 1)
        *limit = 1;
    else
        return 0;
    return 1;
}

/* ---- window functions ----
 * While the select list and QUALIFY are lowered, a call with OVER goes to window_call: it lowers
 * the call (arguments over the current frame), its partition, order (the dialect's NULL placement
 * made explicit) and frame into a wcall and returns a placeholder reference ref(WIN_PH, "<index>").
 * After aggregation (and HAVING) the calls are grouped by (partition, order, frame) into chained
 * WINDOW nodes, and the placeholders become references to their columns. */

#define WIN_PH (-77) /* the node id of placeholder references: no node has it */

typedef struct wcall {
    ir_expr *call;            /* the canonical call over the frame the select list is lowered on */
    ir_expr **keys;
    int n_keys;
    ir_sort_key *order;
    int n_order;
    ir_frame frame;
    int uses_frame;           /* the call reads the frame (first_value, last_value, aggregates) */
    int group;                /* its window node, in order of first appearance */
    const char *prefer;       /* the select item's alias when the item is this call */
    const char *col;          /* its column in the window node */
    const sqlfe_ast *ast;     /* the SQ_WINDOW */
} wcall;

typedef struct wstate {
    sel *S;
    const sqlfe_ast *named;   /* the SELECT's WINDOW clause, or NULL */
    const sqlfe_ast *hint;    /* the function node that is a whole select item, with its alias */
    const char *hint_alias;
    wcall *calls;
    int n, cap;
} wstate;

/* The dialect's NULL placement for an order key without NULLS FIRST/LAST: 1 first, 2 last, 0 the
 * target's default (ANSI: implementation-defined). Oracle, DB2, Netezza and Snowflake sort NULL as
 * the largest value; SQL Server, Teradata and Spark as the smallest. */
int8_t sqlfe_default_nulls(sqlfe_dialect d, int desc)
{
    switch (d) {
    case SQLFE_ORACLE:
    case SQLFE_DB2:
    case SQLFE_NETEZZA:
    case SQLFE_SNOWFLAKE: return desc ? 1 : 2;
    case SQLFE_TSQL:
    case SQLFE_TERADATA:
    case SQLFE_SPARK: return desc ? 2 : 1;
    default: return 0;
    }
}

/* A non-negative integer literal, or -1. */
static long long int_literal(const char *s)
{
    if (!s || !*s)
        return -1;
    for (const char *c = s; *c; c++)
        if (*c < '0' || *c > '9')
            return -1;
    return strlen(s) > 15 ? -1 : atoll(s);
}

/* One frame bound from the frame's words at *i; NULL, or why it has no IR form. */
static const char *frame_bound(char **w, int n, int *i, ir_frame_bound *b)
{
    if (*i >= n)
        return "frame bound missing";
    if (strcmp(w[*i], "UNBOUNDED") == 0 && *i + 1 < n) {
        if (strcmp(w[*i + 1], "PRECEDING") == 0)
            b->kind = IR_BOUND_UNBOUNDED_PRECEDING;
        else if (strcmp(w[*i + 1], "FOLLOWING") == 0)
            b->kind = IR_BOUND_UNBOUNDED_FOLLOWING;
        else
            return "unknown frame bound";
        b->offset = 0;
        *i += 2;
        return NULL;
    }
    if (strcmp(w[*i], "CURRENT") == 0 && *i + 1 < n && strcmp(w[*i + 1], "ROW") == 0) {
        b->kind = IR_BOUND_CURRENT_ROW;
        b->offset = 0;
        *i += 2;
        return NULL;
    }
    if (strcmp(w[*i], "INTERVAL") == 0)
        return "window frame with an interval offset";
    long long v = int_literal(w[*i]);
    if (v < 0 || *i + 1 >= n)
        return "window frame with an offset that is not an integer literal";
    if (strcmp(w[*i + 1], "PRECEDING") == 0)
        b->kind = IR_BOUND_PRECEDING;
    else if (strcmp(w[*i + 1], "FOLLOWING") == 0)
        b->kind = IR_BOUND_FOLLOWING;
    else
        return "window frame with an offset that is not an integer literal";
    b->offset = v;
    *i += 2;
    return NULL;
}

/* The frame text of SQ_FRAME ("ROWS BETWEEN 2 PRECEDING AND CURRENT ROW", words upper case and
 * single-spaced by the parser) into f; NULL, or why it has no IR form. */
static const char *parse_frame(lower_ctx *L, const char *text, int n_order, ir_frame *f)
{
    char *copy = arena_strdup(L->job->arena, text);
    char *w[64];
    int n = 0;
    for (char *tok = strtok(copy, " "); tok && n < 64; tok = strtok(NULL, " "))
        w[n++] = tok;
    if (n == 0)
        return "empty window frame";
    if (strcmp(w[0], "ROWS") == 0)
        f->unit = IR_FRAME_ROWS;
    else if (strcmp(w[0], "RANGE") == 0)
        f->unit = IR_FRAME_RANGE;
    else
        return "window frame in GROUPS";
    int i = 1;
    const char *why;
    if (i < n && strcmp(w[i], "BETWEEN") == 0) {
        i++;
        if ((why = frame_bound(w, n, &i, &f->start)))
            return why;
        if (i >= n || strcmp(w[i], "AND") != 0)
            return "window frame without AND";
        i++;
        if ((why = frame_bound(w, n, &i, &f->end)))
            return why;
    } else {
        if ((why = frame_bound(w, n, &i, &f->start)))
            return why;
        f->end.kind = IR_BOUND_CURRENT_ROW;
        f->end.offset = 0;
    }
    if (i < n)
        return "window frame with EXCLUDE";
    if (f->start.kind == IR_BOUND_UNBOUNDED_FOLLOWING || f->end.kind == IR_BOUND_UNBOUNDED_PRECEDING)
        return "window frame with an invalid bound";
    int offsets = f->start.kind == IR_BOUND_PRECEDING || f->start.kind == IR_BOUND_FOLLOWING ||
                  f->end.kind == IR_BOUND_PRECEDING || f->end.kind == IR_BOUND_FOLLOWING;
    if (f->unit == IR_FRAME_RANGE && offsets && n_order != 1)
        return "RANGE frame with offsets needs exactly one order key";
    return NULL;
}

/* The spec a window refers to by name (OVER w, OVER (w ORDER BY ...)) merged with its own parts:
 * *part, *ord, *frm. Returns 0, or -1 when the name cannot be resolved or the merge is invalid. */
static int window_spec(const sqlfe_ast *named, const sqlfe_ast *win, const sqlfe_ast **part, const sqlfe_ast **ord,
                       const sqlfe_ast **frm)
{
    *part = sqlfe_clause(win, SQ_PARTITION);
    *ord = sqlfe_clause(win, SQ_CL_ORDER);
    *frm = sqlfe_clause(win, SQ_FRAME);
    if (!win->text)
        return 0;
    const sqlfe_ast *base = NULL;
    for (int i = 0; named && i < named->n_kids; i++)
        if (same(named->kids[i]->text, win->text))
            base = named->kids[i];
    if (!base || base == win)
        return -1;
    const sqlfe_ast *bp = sqlfe_clause(base, SQ_PARTITION), *bo = sqlfe_clause(base, SQ_CL_ORDER),
                    *bf = sqlfe_clause(base, SQ_FRAME);
    /* a reference may add what its base lacks; a base's frame stays only when the reference adds
     * no order or frame of its own (SQL: OVER w takes w whole) */
    if ((*part && bp) || (*ord && bo) || (bf && (*frm || *ord)))
        return -1;
    if (bp)
        *part = bp;
    if (bo)
        *ord = bo;
    if (bf)
        *frm = bf;
    return 0;
}

static const char *const win_aggregates[] = {"SUM", "AVG", "COUNT", "COUNT_BIG", "MIN", "MAX", "STDDEV",
                                             "STDDEV_SAMP", "STDEV", "VARIANCE", "VAR_SAMP", "VAR", "MEDIAN",
                                             "STDDEV_POP", "STDEVP", "VAR_POP", "VARP", "VARIANCE_POP",
                                             "COVAR_POP", "COVAR_SAMP", "CORR", "PERCENTILE_CONT"};

static ir_expr *lower_in(sel *S, const sqlfe_ast *n);

/* The parts of a window call fn (SQ_FUNC with SQ_WINDOW) into *w: the canonical call, partition,
 * order (the dialect's NULL placement explicit) and frame; arguments and keys lowered by arg(ud, x).
 * named: the SELECT's WINDOW clause or NULL. Returns NULL, or why the call has no IR form. */
static const char *lower_window(lower_ctx *L, const sqlfe_ast *named, const sqlfe_ast *fn,
                                ir_expr *(*arg)(void *ud, const sqlfe_ast *n), void *ud, wcall *out)
{
    const sqlfe_ast *win = sqlfe_clause(fn, SQ_WINDOW);
    const sqlfe_ast *part, *ord, *frm;
    if (window_spec(named, win, &part, &ord, &frm) < 0)
        return "window function over a named window that cannot be resolved";
    const sqlfe_ast *args[8];
    int argc = 0;
    for (int i = 0; i < fn->n_kids; i++) {
        sqlfe_kind k = fn->kids[i]->kind;
        if (k == SQ_WINDOW)
            continue;
        /* PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY x) OVER (..): the aggregate lowering reads it */
        if (k == SQ_WITHIN_GROUP && strcasecmp(last_part(fn->text), "PERCENTILE_CONT") == 0)
            continue;
        if (k == SQ_WITHIN_GROUP || k == SQ_FILTER || k == SQ_CL_ORDER || k == SQ_NAMED_ARG || k == SQ_SUBQUERY)
            return "window function with ordered, filtered, named or query arguments";
        if (argc == 8)
            return "window function with too many arguments";
        args[argc++] = fn->kids[i];
    }
    const char *name = last_part(fn->text);
    if (strchr(fn->text, '.'))
        return arena_printf(L->job->arena, "user function %s over a window", fn->text);
    if (fn->flags & SQF_DISTINCT)
        return "DISTINCT aggregate over a window";

    /* nested windows stay holes: a window call's arguments hold no other window call */
    ir_expr *(*saved)(lower_ctx *, const sqlfe_ast *) = L->window_call;
    L->window_call = NULL;
    ir_expr *call = NULL;
    const char *why = NULL;
    uint32_t ign = (fn->flags & SQF_IGNORE_NULLS) ? IR_FL_IGNORE_NULLS : 0;
    static const struct {
        const char *name;
        ir_fn fn;
    } ranking[] = {{"ROW_NUMBER", IR_FN_ROW_NUMBER}, {"RANK", IR_FN_RANK}, {"DENSE_RANK", IR_FN_DENSE_RANK},
                   {"PERCENT_RANK", IR_FN_PERCENT_RANK}, {"CUME_DIST", IR_FN_CUME_DIST}};
    int is_agg = 0;
    for (size_t i = 0; i < sizeof win_aggregates / sizeof win_aggregates[0]; i++)
        if (strcasecmp(name, win_aggregates[i]) == 0)
            is_agg = 1;
    int done = 0;
    for (size_t i = 0; i < sizeof ranking / sizeof ranking[0] && !done; i++)
        if (strcasecmp(name, ranking[i].name) == 0) {
            done = 1;
            if (argc)
                why = "ranking function with arguments";
            else
                call = ir_call(L->job, ranking[i].fn, 0, 0, NULL);
        }
    if (done) {
    } else if (strcasecmp(name, "NTILE") == 0) {
        long long v = argc == 1 && args[0]->kind == SQ_NUM ? int_literal(args[0]->text) : -1;
        if (v <= 0) {
            why = "NTILE with a count that is not a positive integer literal";
        } else {
            ir_expr *a = arg(ud, args[0]);
            call = a ? ir_call(L->job, IR_FN_NTILE, 0, 1, &a) : NULL;
        }
    } else if (strcasecmp(name, "LAG") == 0 || strcasecmp(name, "LEAD") == 0) {
        if (argc < 1 || argc > 3) {
            why = "LAG/LEAD with an unusual argument count";
        } else if (argc >= 2 && (args[1]->kind != SQ_NUM || int_literal(args[1]->text) < 0)) {
            why = "LAG/LEAD with an offset that is not an integer literal";
        } else {
            ir_expr *a[3];
            for (int i = 0; i < argc; i++)
                if (!(a[i] = arg(ud, args[i])))
                    argc = -1;
            if (argc > 0)
                call = ir_call(L->job, toupper((unsigned char)name[1]) == 'A' ? IR_FN_LAG : IR_FN_LEAD, ign, argc, a);
        }
        ign = 0;
    } else if (strcasecmp(name, "FIRST_VALUE") == 0 || strcasecmp(name, "LAST_VALUE") == 0 ||
               (L->d == SQLFE_SPARK && (strcasecmp(name, "FIRST") == 0 || strcasecmp(name, "LAST") == 0))) {
        /* Spark's first / last are first_value / last_value (one function under two names) */
        if (argc != 1) {
            why = "FIRST_VALUE/LAST_VALUE with an unusual argument count";
        } else {
            ir_expr *a = arg(ud, args[0]);
            if (a)
                call = ir_call(L->job, toupper((unsigned char)name[0]) == 'F' ? IR_FN_FIRST_VALUE : IR_FN_LAST_VALUE,
                               ign, 1, &a);
        }
        ign = 0;
    } else if (is_agg) {
        /* the call without its OVER, lowered as an aggregate */
        sqlfe_ast plain = *fn;
        plain.kids = arena_alloc(L->job->arena, (size_t)(fn->n_kids + 1) * sizeof *plain.kids);
        plain.n_kids = 0;
        for (int i = 0; i < fn->n_kids; i++)
            if (fn->kids[i]->kind != SQ_WINDOW)
                plain.kids[plain.n_kids++] = fn->kids[i];
        call = arg(ud, &plain);
        if (call && (call->kind != IR_EX_CALL || !ir_fn_is_aggregate(call->u.call.fn) ||
                     call->u.call.flags != 0)) {
            call = NULL;
            why = arena_printf(L->job->arena, "window aggregate %s has no canonical form", name);
        }
    } else {
        why = arena_printf(L->job->arena, "window function %s has no canonical form", name);
    }
    if (!why && ign)
        why = "IGNORE NULLS on a function other than LAG, LEAD, FIRST_VALUE, LAST_VALUE";
    wcall w;
    memset(&w, 0, sizeof w);
    w.frame = ir_frame_default();
    w.ast = win;
    if (!why && call) {
        int kcap = 0, cap = 0;
        for (int i = 0; part && i < part->n_kids; i++) {
            ir_expr *k = arg(ud, part->kids[i]);
            if (k)
                ARENA_PUSH(L->job->arena, w.keys, w.n_keys, kcap, k);
        }
        for (int i = 0; ord && i < ord->n_kids; i++) {
            const sqlfe_ast *oi = ord->kids[i];
            ir_expr *k = arg(ud, oi->kids[0]);
            if (!k)
                continue;
            ir_sort_key sk = {k, (oi->flags & SQF_DESC) != 0, 0};
            sk.nulls = (oi->flags & SQF_NULLS_FIRST) ? 1 : (oi->flags & SQF_NULLS_LAST) ? 2
                                                                                       : sqlfe_default_nulls(L->d, sk.desc);
            ARENA_PUSH(L->job->arena, w.order, w.n_order, cap, sk);
        }
        w.uses_frame = ir_fn_uses_frame(call->u.call.fn) || ir_fn_is_aggregate(call->u.call.fn);
        if (frm) {
            why = parse_frame(L, frm->text, w.n_order, &w.frame);
        } else if (w.n_order > 0 && ((L->d == SQLFE_TERADATA && w.uses_frame) ||
                                     (L->d == SQLFE_SNOWFLAKE && (call->u.call.fn == IR_FN_FIRST_VALUE ||
                                                                call->u.call.fn == IR_FN_LAST_VALUE)))) {
            /* Teradata: without a ROWS clause the window is the whole partition, ORDER BY or not.
             * Snowflake: FIRST_VALUE / LAST_VALUE (rank-related functions) without a frame take the
             * whole partition too, where ANSI (and its aggregates) take RANGE .. CURRENT ROW */
            w.frame.unit = IR_FRAME_ROWS;
            w.frame.start.kind = IR_BOUND_UNBOUNDED_PRECEDING;
            w.frame.end.kind = IR_BOUND_UNBOUNDED_FOLLOWING;
        }
    }
    L->window_call = saved;
    if (!why && !call)
        why = "window function that could not be lowered";
    if (!why) {
        call->span = sqlfe_span_at(L, fn->start);
        w.call = call;
    }
    *out = w;
    return why;
}

static ir_expr *sel_arg(void *ud, const sqlfe_ast *n)
{
    return lower_in(ud, n);
}

static ir_expr *window_call(lower_ctx *L, const sqlfe_ast *fn)
{
    wstate *W = L->window_scope;
    sel *S = W->S;
    if (!S->frame)
        return sqlfe_hole(L, fn, "window function (OVER) without FROM");
    wcall w;
    const char *why = lower_window(L, W->named, fn, sel_arg, S, &w);
    if (why)
        return sqlfe_hole(L, fn, why);
    if (W->hint == fn)
        w.prefer = W->hint_alias;
    /* the same call over the same window (a QUALIFY repeating a select item) is computed once */
    for (int i = 0; i < W->n; i++) {
        wcall *o = &W->calls[i];
        int eq = ir_expr_equal(o->call, w.call) && o->n_keys == w.n_keys && o->n_order == w.n_order &&
                 (!w.uses_frame || ir_frame_equal(o->frame, w.frame));
        for (int k = 0; eq && k < w.n_keys; k++)
            eq = ir_expr_equal(o->keys[k], w.keys[k]);
        for (int k = 0; eq && k < w.n_order; k++)
            eq = ir_expr_equal(o->order[k].expr, w.order[k].expr) && o->order[k].desc == w.order[k].desc &&
                 o->order[k].nulls == w.order[k].nulls;
        if (eq)
            return ir_ref(L->job, WIN_PH, arena_printf(L->job->arena, "%d", i));
    }
    ARENA_PUSH(L->job->arena, W->calls, W->n, W->cap, w);
    return ir_ref(L->job, WIN_PH, arena_printf(L->job->arena, "%d", W->n - 1));
}

/* Replaces placeholder references by references to node `to`'s window columns. */
static ir_expr *fix_windows(lower_ctx *L, wstate *W, ir_expr *e, int to)
{
    if (!e)
        return e;
    if (e->kind == IR_EX_REF && e->u.ref.node == WIN_PH) {
        wcall *w = &W->calls[atoi(e->u.ref.col)];
        ir_expr *r = ir_ref(L->job, to, w->col);
        r->span = e->span;
        return r;
    }
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            e->u.call.args[i] = fix_windows(L, W, e->u.call.args[i], to);
    return e;
}

/* Same partition and order (and frame, when both read one)? */
static int same_window(const wcall *a, const wcall *b)
{
    if (a->n_keys != b->n_keys || a->n_order != b->n_order)
        return 0;
    for (int k = 0; k < a->n_keys; k++)
        if (!ir_expr_equal(a->keys[k], b->keys[k]))
            return 0;
    for (int k = 0; k < a->n_order; k++)
        if (!ir_expr_equal(a->order[k].expr, b->order[k].expr) || a->order[k].desc != b->order[k].desc ||
            a->order[k].nulls != b->order[k].nulls)
            return 0;
    return 1;
}

/* WINDOW nodes for the calls, chained after node input whose columns the calls' expressions read
 * as node base; returns the last node (input when there are none). */
static int build_windows(lower_ctx *L, wstate *W, int input, int base)
{
    int n_groups = 0;
    int *leader = arena_alloc(L->job->arena, (size_t)(W->n + 1) * sizeof *leader);    /* call holding the frame */
    int *has_frame = arena_alloc(L->job->arena, (size_t)(W->n + 1) * sizeof *has_frame);
    for (int i = 0; i < W->n; i++) {
        wcall *w = &W->calls[i];
        w->group = -1;
        for (int g = 0; g < n_groups && w->group < 0; g++) {
            wcall *l = &W->calls[leader[g]];
            if (!same_window(l, w))
                continue;
            if (w->uses_frame && has_frame[g] && !ir_frame_equal(l->frame, w->frame))
                continue;
            w->group = g;
            if (w->uses_frame && !has_frame[g]) {
                leader[g] = i;
                has_frame[g] = 1;
            }
        }
        if (w->group < 0) {
            w->group = n_groups;
            leader[n_groups] = i;
            has_frame[n_groups] = w->uses_frame;
            n_groups++;
        }
    }
    int frame = input;
    for (int g = 0; g < n_groups; g++) {
        wcall *l = &W->calls[leader[g]];
        ir_node *n = new_node(L, IR_OP_WINDOW, NULL, l->ast);
        ir_node_add_input(L->job, n, frame);
        for (int k = 0; k < l->n_keys; k++)
            ir_node_add_key(L->job, n, retarget(L, ir_expr_copy(L->job, l->keys[k]), base, frame));
        for (int k = 0; k < l->n_order; k++) {
            ir_node_add_order(L->job, n, retarget(L, ir_expr_copy(L->job, l->order[k].expr), base, frame),
                              l->order[k].desc);
            n->order[n->n_order - 1].nulls = l->order[k].nulls;
        }
        n->frame = has_frame[g] ? l->frame : ir_frame_default();
        pass_through(L, n, frame);
        for (int i = 0; i < W->n; i++) {
            wcall *w = &W->calls[i];
            if (w->group != g)
                continue;
            const char *nm = w->prefer ? w->prefer : arena_printf(L->job->arena, "W%d", i + 1);
            w->col = unique_name(L, n, nm);
            ir_expr *e = retarget(L, ir_expr_copy(L->job, w->call), base, frame);
            ir_column *c = ir_node_add_col(L->job, n, w->col, e->type, e);
            c->span = e->span;
        }
        frame = n->id;
    }
    return frame;
}

/* ---- aggregates ---- */

static int has_aggregate(const sqlfe_ast *n)
{
    if (!n)
        return 0;
    if (n->kind == SQ_QUERY || n->kind == SQ_SUBQUERY || n->kind == SQ_EXISTS)
        return 0;
    if (n->kind == SQ_FUNC && !sqlfe_clause(n, SQ_WINDOW) && sqlfe_is_aggregate_name(last_part(n->text)))
        return 1;
    for (int i = 0; i < n->n_kids; i++)
        if (has_aggregate(n->kids[i]))
            return 1;
    return 0;
}

/* Rewrites an expression lowered over the pre-aggregate frame into one over the aggregate node. */
static ir_expr *over_agg(sel *S, ir_node *A, ir_expr *e, const char *prefer)
{
    lower_ctx *L = S->L;
    if (!e)
        return e;
    if (e->kind == IR_EX_REF && e->u.ref.node == WIN_PH) /* a window call's value, computed later */
        return e;
    if (e->kind == IR_EX_CALL && ir_fn_is_aggregate(e->u.call.fn)) {
        for (int i = 0; i < A->n_cols; i++)
            if (A->cols[i].expr && ir_expr_equal(A->cols[i].expr, e))
                return ir_ref(L->job, A->id, A->cols[i].name);
        const char *name = prefer ? unique_name(L, A, prefer)
                                  : unique_name(L, A, arena_printf(L->job->arena, "AGG_%d", A->n_cols + 1));
        ir_column *c = ir_node_add_col(L->job, A, name, e->type, e);
        c->span = e->span;
        return ir_ref(L->job, A->id, c->name);
    }
    for (int i = 0; i < A->n_keys; i++) {
        if (ir_expr_equal(A->keys[i], e)) {
            /* the key's column is the i-th column added for keys */
            return ir_ref(L->job, A->id, A->cols[i].name);
        }
    }
    if (e->kind == IR_EX_REF) {
        sqlfe_warn(L, 0, "column %s is neither grouped nor aggregated", e->u.ref.col);
        return ir_hole(L->job, e->u.ref.col, "column neither grouped nor aggregated");
    }
    if (e->kind == IR_EX_CALL) {
        ir_expr **a = arena_alloc(L->job->arena, (size_t)(e->u.call.n_args + 1) * sizeof *a);
        for (int i = 0; i < e->u.call.n_args; i++)
            a[i] = over_agg(S, A, e->u.call.args[i], NULL);
        ir_expr *r = ir_call(L->job, e->u.call.fn, e->u.call.flags, e->u.call.n_args, a);
        r->span = e->span;
        if (e->u.call.fn == IR_FN_CAST)
            r->type = e->type;
        return r;
    }
    return e;
}

/* ---- the SELECT ---- */

static const char *item_name(lower_ctx *L, const sqlfe_ast *it, int index)
{
    if (it->text)
        return it->text;
    const sqlfe_ast *e = it->kids[0];
    if (e->kind == SQ_NAME)
        return last_part(e->text);
    return arena_printf(L->job->arena, "EXPR_%d", index + 1);
}

/* A query's ORDER BY keys over node (a PROJECT or UNION), by ordinal, output name or select
 * expression; NULL items resolve to holes. */
static void order_keys(lower_ctx *L, ir_node *sort, int input, const sqlfe_ast *order, const sqlfe_ast *items)
{
    ir_node *in = node_of(L, input);
    for (int i = 0; i < order->n_kids; i++) {
        const sqlfe_ast *oi = order->kids[i];
        const sqlfe_ast *e = oi->kids[0];
        ir_expr *key = NULL;
        if (e->kind == SQ_NUM) {
            int k = atoi(e->text);
            if (k >= 1 && k <= in->n_cols)
                key = ir_ref(L->job, input, in->cols[k - 1].name);
        } else if (e->kind == SQ_NAME) {
            ir_column *c = ir_node_col_ci(in, e->text);
            if (!c)
                c = ir_node_col_ci(in, last_part(e->text));
            if (c)
                key = ir_ref(L->job, input, c->name);
        }
        if (!key && items) {
            /* the same text as a select item's expression */
            const char *want = sqlfe_node_text(L, e);
            for (int k = 0; k < items->n_kids && k < in->n_cols && !key; k++) {
                const sqlfe_ast *x = items->kids[k]->kids[0];
                if (strcasecmp(sqlfe_node_text(L, x), want) == 0)
                    key = ir_ref(L->job, input, in->cols[k].name);
            }
        }
        if (!key) {
            sqlfe_warn(L, e->start, "ORDER BY expression is not in the select list");
            key = sqlfe_hole(L, e, "ORDER BY expression not in the select list");
        }
        key->span = sqlfe_span_at(L, e->start);
        ir_node_add_order(L->job, sort, key, (oi->flags & SQF_DESC) != 0);
        sort->order[sort->n_order - 1].nulls = (oi->flags & SQF_NULLS_FIRST) ? 1 : (oi->flags & SQF_NULLS_LAST) ? 2 : 0;
    }
}

/* A limit count: a literal, or -1 (a computed count: a marked hole). */
static long long limit_value(const sqlfe_ast *e)
{
    if (e && e->kind == SQ_NUM && !strchr(e->text, '.'))
        return atoll(e->text);
    return -1;
}

static int rank_limit(lower_ctx *L, int input, const sqlfe_ast *count_ast, long long n, const ir_node *sort,
                      const char *what)
{
    if (n < 0) /* TOP (@n), LIMIT :n: the job's rank node takes a literal count */
        return row_share_hole(L, count_ast, input,
                              arena_printf(L->job->arena, "%s with a computed count: no IR node", what));
    ir_node *r = new_node(L, IR_OP_RANK, NULL, count_ast);
    r->legacy = what;
    ir_node_add_input(L->job, r, input);
    r->top_n = n;
    if (sort)
        for (int i = 0; i < sort->n_order; i++) {
            ir_expr *k = retarget(L, ir_expr_copy(L->job, sort->order[i].expr), sort->inputs[0], input);
            ir_node_add_order(L->job, r, k, sort->order[i].desc);
            r->order[r->n_order - 1].nulls = sort->order[i].nulls;
        }
    pass_through(L, r, input);
    return r->id;
}

static int lower_select(lower_ctx *L, const sqlfe_ast *s, cte_def *ctes, const sqlfe_ast *q)
{
    sel S;
    memset(&S, 0, sizeof S);
    S.L = L;
    S.ctes = ctes;
    const sqlfe_ast *items = sqlfe_clause(s, SQ_CL_ITEMS);
    const sqlfe_ast *from = sqlfe_clause(s, SQ_CL_FROM);
    const sqlfe_ast *where = sqlfe_clause(s, SQ_CL_WHERE);
    const sqlfe_ast *group = sqlfe_clause(s, SQ_CL_GROUP);
    const sqlfe_ast *having = sqlfe_clause(s, SQ_CL_HAVING);
    const sqlfe_ast *qualify = sqlfe_clause(s, SQ_CL_QUALIFY);
    const sqlfe_ast *top = sqlfe_clause(s, SQ_CL_TOP);
    const sqlfe_ast *order = q ? sqlfe_clause(q, SQ_CL_ORDER) : NULL;
    if (sqlfe_clause(s, SQ_CL_CONNECT))
        return procedure_node(L, s, "hierarchical query (CONNECT BY)", NULL, 0);
    if (group)
        for (int i = 0; i < group->n_kids; i++)
            if (group->kids[i]->kind == SQ_GROUPING || group->kids[i]->kind == SQ_LIST)
                return procedure_node(L, s, "GROUPING SETS / ROLLUP / CUBE", NULL, 0);

    for (int i = 0; from && i < from->n_kids; i++) {
        if (has_semi_join(from->kids[i]))
            return procedure_node(L, s, "SEMI/ANTI JOIN (etlport transpile writes it as [NOT] EXISTS)", NULL, 0);
        if (has_nested_outer_join(from->kids[i]))
            return procedure_node(L, s, "a join group nested under an outer join (A LEFT JOIN (B JOIN C ON ..) ON ..): "
                                        "job joins are left-deep, and regrouping it changes which rows survive",
                                  NULL, 0);
    }

    /* FROM: items and join steps */
    jstep *steps = NULL;
    int n_steps = 0, cap_steps = 0;
    for (int i = 0; from && i < from->n_kids; i++)
        if (from_expr(&S, from->kids[i], &steps, &n_steps, &cap_steps, IR_JOIN_CROSS) < 0)
            return -1;
    if (n_steps > 0)
        steps[0].kind = IR_JOIN_INNER;

    /* first pass: learn the columns every expression uses */
    S.collect = 1;
    for (int i = 0; i < n_steps; i++) {
        collect(&S, steps[i].on);
        for (int k = 0; k < steps[i].n_extra; k++)
            collect(&S, steps[i].extra_ast[k]);
        if (steps[i].using_)
            for (int k = 0; k < steps[i].using_->n_kids; k++) {
                const char *col, *why;
                sqlfe_ast nm = *steps[i].using_->kids[k];
                for (int j = 0; j <= i; j++) {
                    if (!S.items[steps[j].item].known) {
                        nm.text = arena_printf(L->job->arena, "%s.%s",
                                               S.items[steps[j].item].alias ? S.items[steps[j].item].alias : "?",
                                               steps[i].using_->kids[k]->text);
                        find_col(&S, &nm, &col, 1, &why);
                    }
                }
            }
    }
    collect(&S, items);
    collect(&S, where);
    collect(&S, group);
    collect(&S, having);
    collect(&S, qualify);
    collect(&S, sqlfe_clause(s, SQ_CL_WINDOW));
    S.collect = 0;
    if (order)
        for (int i = 0; i < order->n_kids; i++) {
            /* ORDER BY names an output column or an input column */
            const sqlfe_ast *e = order->kids[i]->kids[0];
            int is_alias = 0;
            for (int k = 0; e->kind == SQ_NAME && items && k < items->n_kids; k++)
                if (items->kids[k]->text && same(items->kids[k]->text, e->text))
                    is_alias = 1;
            if (!is_alias && e->kind != SQ_NUM) {
                S.collect = 1;
                collect(&S, e);
                S.collect = 0;
            }
        }

    /* WHERE: conjuncts that join a comma-listed table move into its join; ROWNUM limits aside */
    const sqlfe_ast **conj = NULL;
    int n_conj = 0, cap_conj = 0;
    if (where)
        conjuncts(where->kids[0], &conj, &n_conj, &cap_conj, L->job->arena);
    long long rownum = -1;
    const sqlfe_ast *rownum_ast = NULL;
    const sqlfe_ast **rest = NULL, **one_plus = NULL;
    int n_rest = 0, cap_rest = 0, n_one_plus = 0, cap_one_plus = 0;
    for (int i = 0; i < n_conj; i++) {
        long long lim;
        if (is_rownum_limit(L, conj[i], &lim)) {
            rownum = lim;
            rownum_ast = conj[i];
            continue;
        }
        uint64_t plus = 0, plain = 0;
        int opaque = 0;
        uint64_t m = refs_of(&S, conj[i], &plus, &plain, &opaque);
        int moved = 0;
        /* Oracle: a condition on one table whose columns all carry (+) (compared with a constant or
         * with each other) belongs to the ON of the outer join that table is the optional side of;
         * placed once every join's kind is known */
        if (!opaque && plus && !plain && (m & (m - 1)) == 0 && n_steps <= 64) {
            ARENA_PUSH(L->job->arena, one_plus, n_one_plus, cap_one_plus, conj[i]);
            continue;
        }
        if (!opaque && m && n_steps > 1 && n_steps <= 64) {
            /* the last step whose item the conjunct uses */
            int last = -1;
            for (int k = 0; k < n_steps; k++)
                if (m & (1ull << steps[k].item))
                    last = k;
            int other = (m & ~(1ull << steps[last].item)) != 0;
            jstep *st = &steps[last];
            uint64_t self = 1ull << st->item;
            if (last > 0 && other && (st->kind == IR_JOIN_CROSS || st->kind == IR_JOIN_INNER ||
                                      (plus && st->kind != IR_JOIN_FULL))) {
                if (plus) {
                    /* (+) marks the optional side: this step's table (LEFT) or tables before it
                     * (RIGHT), never a table also named without it; anything else stays in the
                     * WHERE, where the marker is reported as lost */
                    if (plus == self && !(plain & self)) {
                        st->kind = IR_JOIN_LEFT;
                        st->nullable |= plus;
                        moved = 1;
                    } else if (!(plus & self) && !(plain & plus)) {
                        st->kind = IR_JOIN_RIGHT;
                        st->nullable |= plus;
                        moved = 1;
                    }
                } else if (st->kind == IR_JOIN_CROSS || st->kind == IR_JOIN_INNER) {
                    /* a plain conjunct on an outer join stays a filter */
                    st->kind = IR_JOIN_INNER;
                    moved = 1;
                }
                if (moved)
                    ARENA_PUSH(L->job->arena, st->extra_ast, st->n_extra, st->cap_extra, conj[i]);
            }
        }
        if (!moved)
            ARENA_PUSH(L->job->arena, rest, n_rest, cap_rest, conj[i]);
    }
    int first_plain_plus = -1; /* rest[first_plain_plus..]: (+) conditions that are plain filters */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n_one_plus; i++) {
            uint64_t plus = 0, plain = 0;
            int opaque = 0;
            refs_of(&S, one_plus[i], &plus, &plain, &opaque);
            jstep *st = NULL;
            for (int k = 1; k < n_steps && !st; k++)
                if (steps[k].nullable & plus)
                    st = &steps[k];
            if (st && pass == 0) { /* the outer join's ON condition */
                ARENA_PUSH(L->job->arena, st->extra_ast, st->n_extra, st->cap_extra, one_plus[i]);
            } else if (!st && pass == 1) {
                /* no (+) join condition makes the table optional: Oracle runs the plain join (its
                 * documented rule: unless every join condition of a table carries (+), the result
                 * is the simple join), so the condition is an ordinary filter */
                if (first_plain_plus < 0)
                    first_plain_plus = n_rest;
                ARENA_PUSH(L->job->arena, rest, n_rest, cap_rest, one_plus[i]);
            }
        }

    /* joins, left-deep */
    int frame = 0;
    if (n_steps > 0) {
        item *it0 = &S.items[steps[0].item];
        frame = it0->node;
        ir_node *f = node_of(L, frame);
        for (int c = 0; c < f->n_cols; c++) {
            colmap m = {steps[0].item, f->cols[c].name, f->cols[c].name};
            ARENA_PUSH(L->job->arena, S.map, S.n_map, S.cap_map, m);
        }
    }
    for (int k = 1; k < n_steps; k++) {
        jstep *st = &steps[k];
        const sqlfe_ast *at_ast = st->on ? st->on : S.items[st->item].ast;
        ir_node *j = new_node(L, IR_OP_JOIN, NULL, st->on);
        j->span = span_of(L, at_ast);
        ir_node_add_input(L->job, j, frame);
        ir_node_add_input(L->job, j, S.items[st->item].node);
        /* the condition: ON, USING, and moved WHERE conjuncts */
        S.mode = 1;
        S.join_item = st->item;
        S.join_left = frame;
        ir_expr **cv = NULL;
        int n_cv = 0, cap_cv = 0;
        if (st->on) {
            ir_expr *e = lower_in(&S, st->on);
            if (e)
                ARENA_PUSH(L->job->arena, cv, n_cv, cap_cv, e);
        }
        if (st->using_) {
            for (int u = 0; u < st->using_->n_kids; u++) {
                const char *c = st->using_->kids[u]->text;
                const char *lname = NULL;
                for (int m = 0; m < S.n_map && !lname; m++)
                    if (same(S.map[m].col, c))
                        lname = S.map[m].name;
                ir_column *rc = ir_node_col_ci(node_of(L, S.items[st->item].node), c);
                if (!lname || !rc) {
                    sqlfe_warn(L, st->using_->start, "USING column '%s' not found on both sides", c);
                    ARENA_PUSH(L->job->arena, cv, n_cv, cap_cv, sqlfe_hole(L, st->using_, "USING column not found"));
                    continue;
                }
                ir_expr *eq = ir_call2(L->job, IR_FN_EQ, ir_ref(L->job, frame, lname),
                                       ir_ref(L->job, S.items[st->item].node, rc->name));
                ARENA_PUSH(L->job->arena, cv, n_cv, cap_cv, eq);
            }
        }
        if (st->natural)
            ARENA_PUSH(L->job->arena, cv, n_cv, cap_cv, sqlfe_hole(L, S.items[st->item].ast, "NATURAL JOIN condition"));
        for (int x = 0; x < st->n_extra; x++) {
            ir_expr *e = lower_in(&S, st->extra_ast[x]);
            if (e)
                ARENA_PUSH(L->job->arena, cv, n_cv, cap_cv, e);
        }
        S.mode = 0;
        j->join = st->kind;
        if (n_cv == 1)
            j->predicate = cv[0];
        else if (n_cv > 1)
            j->predicate = ir_call(L->job, IR_FN_AND, 0, n_cv, cv);
        if (!j->predicate && j->join != IR_JOIN_CROSS) {
            if (j->join == IR_JOIN_INNER)
                j->join = IR_JOIN_CROSS;
        }
        if (j->predicate && j->predicate->span.line == 0)
            j->predicate->span = j->span;
        /* output: the left frame's columns, then the new item's (renamed when they collide) */
        pass_through(L, j, frame);
        ir_node *rn = node_of(L, S.items[st->item].node);
        for (int c = 0; c < rn->n_cols; c++) {
            const char *nm = unique_name(L, j, rn->cols[c].name);
            ir_node_add_col(L->job, j, nm, rn->cols[c].type, ir_ref(L->job, rn->id, rn->cols[c].name));
            colmap m = {st->item, rn->cols[c].name, nm};
            ARENA_PUSH(L->job->arena, S.map, S.n_map, S.cap_map, m);
        }
        frame = j->id;
    }
    S.frame = frame;
    S.mode = 0;

    /* WHERE (what is left) */
    if (n_rest > 0) {
        if (!frame) {
            sqlfe_warn(L, where->start, "WHERE without FROM");
            frame = procedure_node(L, s, "SELECT without FROM and a WHERE", NULL, 0);
        } else {
            ir_node *f = new_node(L, IR_OP_FILTER, NULL, where->kids[0]);
            ir_node_add_input(L->job, f, frame);
            ir_expr **pv = arena_alloc(L->job->arena, (size_t)n_rest * sizeof *pv);
            int np = 0;
            for (int i = 0; i < n_rest; i++) {
                S.plus_is_filter = first_plain_plus >= 0 && i >= first_plain_plus;
                ir_expr *e = lower_in(&S, rest[i]);
                S.plus_is_filter = 0;
                if (e)
                    pv[np++] = e;
            }
            f->predicate = np == 1 ? pv[0] : ir_call(L->job, IR_FN_AND, 0, np, pv);
            if (f->predicate->span.line == 0)
                f->predicate->span = f->span;
            pass_through(L, f, frame);
            frame = f->id;
            S.frame = frame;
        }
    }
    if (rownum >= 0 && frame) {
        frame = rank_limit(L, frame, rownum_ast, rownum, NULL, "ROWNUM");
        S.frame = frame;
    }

    /* aggregation */
    int aggregating = group != NULL || has_aggregate(items) || has_aggregate(having);
    ir_node *A = NULL;
    ir_expr **sel_exprs = arena_alloc(L->job->arena, (size_t)(items->n_kids + 1) * sizeof *sel_exprs);
    /* window calls of the select list and QUALIFY become placeholders (window_call) */
    wstate W;
    memset(&W, 0, sizeof W);
    W.S = &S;
    W.named = sqlfe_clause(s, SQ_CL_WINDOW);
    ir_expr *(*saved_window_call)(lower_ctx *, const sqlfe_ast *) = L->window_call;
    void *saved_window_scope = L->window_scope;
    L->window_call = window_call;
    L->window_scope = &W;
    for (int i = 0; i < items->n_kids; i++) {
        const sqlfe_ast *e = items->kids[i]->kids[0];
        W.hint = e->kind == SQ_FUNC ? e : NULL;
        W.hint_alias = items->kids[i]->text;
        sel_exprs[i] = e->kind == SQ_STAR ? NULL : lower_in(&S, e);
    }
    W.hint = NULL;
    ir_expr *qualify_e = qualify && frame ? lower_in(&S, qualify->kids[0]) : NULL;
    L->window_call = saved_window_call;
    L->window_scope = saved_window_scope;
    int wbase = S.frame; /* the node the window calls' expressions read */
    ir_expr *having_e = NULL;
    if (aggregating) {
        if (!frame)
            frame = procedure_node(L, s, "aggregate without FROM", NULL, 0);
        A = new_node(L, IR_OP_AGGREGATE, NULL, group ? group : s);
        A->legacy = group ? sqlfe_node_text(L, group) : NULL;
        A->empty_row = !group; /* SELECT count(*) FROM empty: one row */
        ir_node_add_input(L->job, A, frame);
        for (int g = 0; group && g < group->n_kids; g++) {
            const sqlfe_ast *ge = group->kids[g];
            ir_expr *k = NULL;
            const char *nm = NULL;
            if (ge->kind == SQ_NUM) { /* GROUP BY 1 */
                int idx = atoi(ge->text) - 1;
                if (idx >= 0 && idx < items->n_kids && sel_exprs[idx]) {
                    k = ir_expr_copy(L->job, sel_exprs[idx]);
                    nm = item_name(L, items->kids[idx], idx);
                }
            }
            if (!k && ge->kind == SQ_NAME) { /* GROUP BY alias (Teradata) when no column has the name */
                const char *col, *why;
                if (find_col(&S, ge, &col, 0, &why) < 0)
                    for (int i = 0; i < items->n_kids && !k; i++)
                        if (items->kids[i]->text && same(items->kids[i]->text, ge->text) && sel_exprs[i]) {
                            k = ir_expr_copy(L->job, sel_exprs[i]);
                            nm = items->kids[i]->text;
                        }
            }
            if (!k)
                k = lower_in(&S, ge);
            if (!k)
                continue;
            if (!nm) {
                nm = k->kind == IR_EX_REF ? k->u.ref.col : NULL;
                for (int i = 0; i < items->n_kids && !nm; i++)
                    if (sel_exprs[i] && ir_expr_equal(sel_exprs[i], k))
                        nm = item_name(L, items->kids[i], i);
                if (!nm)
                    nm = arena_printf(L->job->arena, "GROUP_%d", g + 1);
            }
            ir_node_add_key(L->job, A, k);
            ir_node_add_col(L->job, A, unique_name(L, A, nm), k->type, ir_expr_copy(L->job, k));
        }
        for (int i = 0; i < items->n_kids; i++) {
            if (!sel_exprs[i])
                continue;
            const sqlfe_ast *e = items->kids[i]->kids[0];
            int plain_agg = e->kind == SQ_FUNC && sqlfe_is_aggregate_name(last_part(e->text));
            sel_exprs[i] = over_agg(&S, A, sel_exprs[i], plain_agg ? item_name(L, items->kids[i], i) : NULL);
        }
        if (having) {
            having_e = lower_in(&S, having->kids[0]);
            having_e = over_agg(&S, A, having_e, NULL);
        }
        /* window calls over aggregates (SUM(SUM(x)) OVER ...) read the aggregate's columns */
        for (int i = 0; i < W.n; i++) {
            wcall *w = &W.calls[i];
            for (int k = 0; k < w->call->u.call.n_args; k++)
                w->call->u.call.args[k] = over_agg(&S, A, w->call->u.call.args[k], NULL);
            for (int k = 0; k < w->n_keys; k++)
                w->keys[k] = over_agg(&S, A, w->keys[k], NULL);
            for (int k = 0; k < w->n_order; k++)
                w->order[k].expr = over_agg(&S, A, w->order[k].expr, NULL);
        }
        if (qualify_e)
            qualify_e = over_agg(&S, A, qualify_e, NULL);
        wbase = A->id;
        frame = A->id;
        if (having_e) {
            ir_node *f = new_node(L, IR_OP_FILTER, NULL, having->kids[0]);
            ir_node_add_input(L->job, f, frame);
            f->predicate = having_e;
            pass_through(L, f, frame);
            for (int i = 0; i < items->n_kids; i++)
                sel_exprs[i] = retarget(L, sel_exprs[i], frame, f->id);
            if (qualify_e)
                qualify_e = retarget(L, qualify_e, frame, f->id);
            frame = f->id;
        }
    } else if (having) {
        sqlfe_warn(L, having->start, "HAVING without aggregation");
    }

    /* window calls: WINDOW nodes after the aggregation; the select list and QUALIFY read them */
    if (W.n > 0 && frame) {
        int before = frame;
        frame = build_windows(L, &W, frame, wbase);
        for (int i = 0; i < items->n_kids; i++)
            sel_exprs[i] = fix_windows(L, &W, retarget(L, sel_exprs[i], before, frame), frame);
        if (qualify_e)
            qualify_e = fix_windows(L, &W, retarget(L, qualify_e, before, frame), frame);
    }

    /* QUALIFY: a filter after the window computation, before the projection */
    if (qualify_e && frame) {
        ir_node *f = new_node(L, IR_OP_FILTER, NULL, qualify->kids[0]);
        ir_node_add_input(L->job, f, frame);
        f->predicate = qualify_e;
        if (f->predicate->span.line == 0)
            f->predicate->span = f->span;
        pass_through(L, f, frame);
        for (int i = 0; i < items->n_kids; i++)
            sel_exprs[i] = retarget(L, sel_exprs[i], frame, f->id);
        frame = f->id;
    }

    /* the select list */
    ir_node *P = new_node(L, IR_OP_PROJECT, NULL, items);
    P->legacy = NULL;
    if (frame)
        ir_node_add_input(L->job, P, frame);
    for (int i = 0; i < items->n_kids; i++) {
        const sqlfe_ast *it = items->kids[i];
        const sqlfe_ast *e = it->kids[0];
        if (e->kind == SQ_STAR) {
            int any = 0;
            for (int k = 0; k < S.n_items; k++) {
                item *x = &S.items[k];
                if (e->text && !same(x->alias, e->text) && !(x->table && same(last_part(x->table), e->text)))
                    continue;
                any = 1;
                if (!x->known) {
                    const char *nm = e->text ? arena_printf(L->job->arena, "%s.*", e->text) : "*";
                    sqlfe_warn(L, e->start, "%s over a table whose columns are unknown", nm);
                    ir_column *c = ir_node_add_col(L->job, P, unique_name(L, P, nm), ir_type_make(IR_TY_UNKNOWN, 0, 0),
                                                   sqlfe_hole(L, e, "* over a table whose columns are unknown"));
                    c->span = span_of(L, e);
                    continue;
                }
                ir_node *xn = node_of(L, x->node);
                for (int c = 0; c < xn->n_cols; c++) {
                    const char *fname = map_name(&S, k, xn->cols[c].name);
                    if (!fname || A)
                        continue;
                    ir_node_add_col(L->job, P, unique_name(L, P, xn->cols[c].name), xn->cols[c].type,
                                    ir_ref(L->job, frame, fname));
                }
            }
            if (!any) {
                sqlfe_warn(L, e->start, "unknown table or alias in %s.*", e->text ? e->text : "");
                ir_node_add_col(L->job, P, unique_name(L, P, "*"), ir_type_make(IR_TY_UNKNOWN, 0, 0),
                                sqlfe_hole(L, e, "unknown qualifier of *"));
            }
            continue;
        }
        ir_expr *x = sel_exprs[i];
        if (!x)
            x = sqlfe_hole(L, e, "expression that could not be lowered");
        const char *nm = unique_name(L, P, item_name(L, it, i));
        ir_column *c = ir_node_add_col(L->job, P, nm, x->type, x);
        c->span = span_of(L, it);
        if (!(e->kind == SQ_NAME))
            c->legacy = sqlfe_node_text(L, e);
    }
    int out = P->id;

    /* DISTINCT and ORDER BY */
    ir_node *sort = NULL;
    if ((s->flags & SQF_DISTINCT) || order) {
        sort = new_node(L, IR_OP_SORT, NULL, order ? order : s);
        sort->legacy = order ? sqlfe_node_text(L, order) : NULL;
        ir_node_add_input(L->job, sort, out);
        sort->distinct = (s->flags & SQF_DISTINCT) != 0;
        if (order)
            order_keys(L, sort, out, order, items);
        pass_through(L, sort, out);
        out = sort->id;
    }
    if (top) {
        const sqlfe_ast *cnt = top->kids[0];
        if (top->flags & (SQF_PERCENT | SQF_WITH_TIES)) {
            out = row_share_hole(L, top, out, "TOP n PERCENT / WITH TIES (a share of the rows, or the rows tied "
                                              "with the last): no IR node");
        } else {
            out = rank_limit(L, out, cnt, limit_value(cnt), sort, "TOP");
        }
    }
    return out;
}

/* ---- queries and set operations ---- */

static int lower_body(lower_ctx *L, const sqlfe_ast *b, cte_def *ctes, const sqlfe_ast *q);

static void union_inputs(lower_ctx *L, const sqlfe_ast *b, cte_def *ctes, int **ids, int *n, int *cap, int *ok)
{
    if (b->kind == SQ_SETOP && strcmp(b->text, "UNION") == 0 && (b->flags & SQF_ALL)) {
        union_inputs(L, b->kids[0], ctes, ids, n, cap, ok);
        union_inputs(L, b->kids[1], ctes, ids, n, cap, ok);
        return;
    }
    int id = lower_body(L, b, ctes, NULL);
    if (id <= 0) {
        *ok = 0;
        return;
    }
    ARENA_PUSH(L->job->arena, *ids, *n, *cap, id);
}

static int lower_setop(lower_ctx *L, const sqlfe_ast *b, cte_def *ctes)
{
    int *ids = NULL, n = 0, cap = 0, ok = 1;
    int is_union = strcmp(b->text, "UNION") == 0;
    if (is_union && (b->flags & SQF_ALL)) {
        union_inputs(L, b, ctes, &ids, &n, &cap, &ok);
    } else {
        union_inputs(L, b->kids[0], ctes, &ids, &n, &cap, &ok);
        union_inputs(L, b->kids[1], ctes, &ids, &n, &cap, &ok);
    }
    if (!ok)
        return -1;
    ir_node *first = node_of(L, ids[0]);
    for (int i = 1; i < n; i++)
        if (node_of(L, ids[i])->n_cols != first->n_cols)
            sqlfe_warn(L, b->start, "set operation inputs have %d and %d columns", first->n_cols,
                       node_of(L, ids[i])->n_cols);
    ir_node *u;
    if (is_union) {
        u = new_node(L, IR_OP_UNION, NULL, b);
        u->legacy = NULL;
    } else {
        u = new_node(L, IR_OP_PROCEDURE, NULL, b);
        u->hole_reason = (b->flags & SQF_ALL) ? arena_printf(L->job->arena, "%s ALL", b->text) : b->text;
    }
    for (int i = 0; i < n; i++)
        ir_node_add_input(L->job, u, ids[i]);
    for (int c = 0; c < first->n_cols; c++)
        ir_node_add_col(L->job, u, first->cols[c].name, first->cols[c].type, NULL);
    int out = u->id;
    if (is_union && !(b->flags & SQF_ALL)) {
        ir_node *s = new_node(L, IR_OP_SORT, NULL, b);
        s->legacy = NULL;
        s->distinct = true;
        ir_node_add_input(L->job, s, out);
        pass_through(L, s, out);
        out = s->id;
    }
    return out;
}

static int lower_values(lower_ctx *L, const sqlfe_ast *v)
{
    int id = procedure_node(L, v, "VALUES rows", NULL, 0);
    int n = v->n_kids ? v->kids[0]->n_kids : 0;
    for (int i = 0; i < n; i++)
        ir_node_add_col(L->job, node_of(L, id), arena_printf(L->job->arena, "COLUMN%d", i + 1),
                        ir_type_make(IR_TY_UNKNOWN, 0, 0), NULL);
    return id;
}

static int lower_body(lower_ctx *L, const sqlfe_ast *b, cte_def *ctes, const sqlfe_ast *q)
{
    if (++L->depth > 200) {
        L->depth--;
        return procedure_node(L, b, "query nested too deeply", NULL, 0);
    }
    int r;
    switch (b->kind) {
    case SQ_SELECT: r = lower_select(L, b, ctes, q); break;
    case SQ_SETOP: r = lower_setop(L, b, ctes); break;
    case SQ_VALUES: r = lower_values(L, b); break;
    case SQ_QUERY: r = lower_query_in(L, b, ctes); break;
    default: r = procedure_node(L, b, "query form the IR cannot hold", NULL, 0); break;
    }
    L->depth--;
    return r;
}

int sqlfe_ast_names_table(const sqlfe_ast *n, const char *name)
{
    if (!n)
        return 0;
    if (n->kind == SQ_TABLE && n->text && !strchr(n->text, '.') && strcasecmp(n->text, name) == 0)
        return 1;
    for (int i = 0; i < n->n_kids; i++)
        if (sqlfe_ast_names_table(n->kids[i], name))
            return 1;
    return 0;
}

/* The CTEs of a WITH clause in front of ctes. A CTE that names itself is recursive, with or
 * without the keyword (T-SQL, Oracle and DB2 write none). */
static cte_def *push_ctes(lower_ctx *L, const sqlfe_ast *with, cte_def *ctes)
{
    for (int i = 0; with && i < with->n_kids; i++) {
        cte_def *c = arena_alloc(L->job->arena, sizeof *c);
        c->name = with->kids[i]->text;
        c->ast = with->kids[i];
        c->recursive = (with->flags & SQF_RECURSIVE) != 0 ||
                       sqlfe_ast_names_table(c->ast->kids[c->ast->n_kids - 1], c->name);
        c->next = ctes;
        ctes = c;
    }
    return ctes;
}

static int lower_query_in(lower_ctx *L, const sqlfe_ast *q, cte_def *ctes)
{
    if (q->kind != SQ_QUERY)
        return lower_body(L, q, ctes, NULL);
    int k = 0;
    const sqlfe_ast *with = sqlfe_clause(q, SQ_WITH);
    if (with) {
        k = 1;
        ctes = push_ctes(L, with, ctes);
    }
    const sqlfe_ast *body = q->kids[k];
    const sqlfe_ast *order = sqlfe_clause(q, SQ_CL_ORDER);
    int out;
    if (body->kind == SQ_SELECT) {
        out = lower_select(L, body, ctes, q); /* ORDER BY can use the select's input columns */
    } else {
        out = lower_body(L, body, ctes, NULL);
        if (out > 0 && order) {
            ir_node *s = new_node(L, IR_OP_SORT, NULL, order);
            ir_node_add_input(L->job, s, out);
            order_keys(L, s, out, order, NULL);
            pass_through(L, s, out);
            out = s->id;
        }
    }
    if (out <= 0)
        return out;
    const sqlfe_ast *lim = sqlfe_clause(q, SQ_CL_LIMIT);
    const sqlfe_ast *fetch = sqlfe_clause(q, SQ_CL_FETCH);
    const sqlfe_ast *offset = sqlfe_clause(q, SQ_CL_OFFSET);
    ir_node *sort = node_of(L, out)->op == IR_OP_SORT ? node_of(L, out) : NULL;
    if (offset) /* rows skipped after sorting */
        out = row_share_hole(L, offset, out, "OFFSET n (skips the first rows of the sorted result): no IR node");
    if (lim)
        out = rank_limit(L, out, lim->kids[0], limit_value(lim->kids[0]), sort, "LIMIT");
    if (fetch) {
        if (fetch->flags & (SQF_PERCENT | SQF_WITH_TIES))
            out = row_share_hole(L, fetch, out, "FETCH FIRST n PERCENT / WITH TIES (a share of the rows, or the rows "
                                                "tied with the last): no IR node");
        else
            out = rank_limit(L, out, fetch->kids[0], limit_value(fetch->kids[0]), sort, "FETCH FIRST");
    }
    return out;
}

int sqlfe_lower_query(lower_ctx *L, const sqlfe_ast *query)
{
    return lower_query_in(L, query, NULL);
}

int sqlfe_lower_query_with(lower_ctx *L, const sqlfe_ast *query, const sqlfe_ast *with)
{
    return lower_query_in(L, query, push_ctes(L, with, NULL));
}

/* Datasets for the SOURCE nodes made, with the columns they ended up with. */
static void add_datasets(lower_ctx *L, int first_node_index)
{
    for (int i = first_node_index; i < L->job->n_nodes; i++) {
        ir_node *n = L->job->nodes[i];
        if (n->op != IR_OP_SOURCE || !n->dataset)
            continue;
        ir_dataset *ds = ir_job_dataset(L->job, n->dataset);
        if (!ds) {
            ds = ir_job_add_dataset(L->job, n->dataset);
            ds->kind = "table";
            ds->span = n->span;
        }
        for (int c = 0; c < n->n_cols; c++) {
            int have = 0;
            for (int k = 0; k < ds->n_cols && !have; k++)
                have = same(ds->cols[k].name, n->cols[c].name);
            if (!have)
                ir_dataset_add_col(L->job, ds, n->cols[c].name, n->cols[c].type);
        }
    }
}

int sqlfe_lower_select(ir_job *job, const char *sql, size_t len, sqlfe_dialect d, const sqlfe_source_info *info,
                       ir_span base, diag_ctx *dc, int *out_node)
{
    return sqlfe_lower_select_flags(job, sql, len, d, info, 0, base, dc, out_node);
}

int sqlfe_lower_select_flags(ir_job *job, const char *sql, size_t len, sqlfe_dialect d, const sqlfe_source_info *info,
                             unsigned flags, ir_span base, diag_ctx *dc, int *out_node)
{
    arena *scratch = arena_new();
    const char *err = NULL;
    size_t eoff = 0;
    tok *toks;
    int n = sqlfe_tokenize(scratch, sql, len, d, &toks, NULL);
    sqlfe_ast *ast = sqlfe_parse_tokens(scratch, sql, toks, n, d, base.line > 0 ? base.line : 1, &err, &eoff);
    lower_ctx L;
    memset(&L, 0, sizeof L);
    L.job = job;
    L.d = d;
    L.sql = sql;
    L.len = len;
    L.base = base;
    if (base.file)
        L.base.file = ir_intern(job, base.file);
    L.dc = dc;
    L.info = info;
    L.flags = flags;
    L.scratch = scratch;
    int rc = -1;
    if (!ast) {
        sqlfe_error(&L, eoff, "%s", err);
        goto done;
    }
    if (ast->kind != SQ_QUERY) {
        sqlfe_error(&L, ast->start, "expected a SELECT, found a %s statement", sqlfe_kind_name(ast->kind));
        goto done;
    }
    int first = job->n_nodes;
    int out = sqlfe_lower_query(&L, ast);
    if (out <= 0)
        goto done;
    add_datasets(&L, first);
    if (out_node)
        *out_node = out;
    rc = L.n_lossy ? SQLFE_LOSSY : 0;
done:
    arena_free(scratch);
    return rc;
}

/* Resolution over a single input node (sqlfe_lower_expr). */
static ir_expr *resolve_single(lower_ctx *L, void *scope, const sqlfe_ast *nm)
{
    int node = *(int *)scope;
    ir_node *n = node_of(L, node);
    ir_column *c = n ? ir_node_col_ci(n, last_part(nm->text)) : NULL;
    if (!c) {
        sqlfe_warn(L, nm->start, "unknown column '%s'", nm->text);
        return sqlfe_hole(L, nm, "unknown column");
    }
    return ir_ref(L->job, node, c->name);
}

ir_expr *sqlfe_lower_expr(ir_job *job, const char *sql, size_t len, sqlfe_dialect d, int input_node, ir_span base,
                          diag_ctx *dc)
{
    arena *scratch = arena_new();
    lower_ctx L;
    memset(&L, 0, sizeof L);
    L.job = job;
    L.d = d;
    L.sql = sql;
    L.len = len;
    L.base = base;
    if (base.file)
        L.base.file = ir_intern(job, base.file);
    L.dc = dc;
    L.scratch = scratch;
    /* the expression is parsed as the select list of "SELECT <expr>": the prefix shifts offsets, so
     * positions count from a base column moved left by its length (it has no newline) */
    const char *prefix = "SELECT ";
    size_t pl = strlen(prefix);
    char *buf = arena_alloc(scratch, pl + len + 1);
    memcpy(buf, prefix, pl);
    memcpy(buf + pl, sql, len);
    L.sql = buf;
    L.len = pl + len;
    L.base.col = (base.col > 0 ? base.col : 1) - (int32_t)pl;
    if (L.base.line <= 0)
        L.base.line = 1;
    tok *toks;
    int n = sqlfe_tokenize(scratch, buf, pl + len, d, &toks, NULL);
    const char *err = NULL;
    size_t eoff = 0;
    sqlfe_ast *ast = sqlfe_parse_tokens(scratch, buf, toks, n, d, L.base.line, &err, &eoff);
    ir_expr *e = NULL;
    if (!ast || ast->kind != SQ_QUERY || ast->kids[0]->kind != SQ_SELECT) {
        sqlfe_error(&L, eoff, "%s", err ? err : "not an expression");
        goto done;
    }
    const sqlfe_ast *items = sqlfe_clause(ast->kids[0], SQ_CL_ITEMS);
    if (!items || items->n_kids != 1 || ast->kids[0]->n_kids != 1 || ast->n_kids != 1) {
        sqlfe_error(&L, 0, "expected one expression");
        goto done;
    }
    L.resolve = resolve_single;
    L.scope = &input_node;
    e = sqlfe_expr(&L, items->kids[0]->kids[0]);
done:
    arena_free(scratch);
    return e;
}

static ir_expr *plain_arg(void *ud, const sqlfe_ast *n)
{
    return sqlfe_expr(ud, n);
}

ir_expr *sqlfe_window_over(lower_ctx *L, const sqlfe_ast *named, const sqlfe_ast *fn)
{
    wcall w;
    const char *why = lower_window(L, named, fn, plain_arg, L, &w);
    if (why)
        return sqlfe_hole(L, fn, why);
    ir_expr *e = ir_over_new(L->job, w.call);
    ir_over *o = e->u.over;
    o->partition = w.keys;
    o->n_partition = w.n_keys;
    o->order = w.order;
    o->n_order = w.n_order;
    /* the frame only where the call reads one; the SQL default otherwise stays implicit */
    o->has_frame = w.uses_frame && (sqlfe_clause(sqlfe_clause(fn, SQ_WINDOW), SQ_FRAME) != NULL ||
                                    !ir_frame_equal(w.frame, ir_frame_default()));
    o->frame = w.frame;
    e->span = sqlfe_span_at(L, fn->start);
    return e;
}
