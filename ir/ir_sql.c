/*
 * ir_sql.c — the SQL-shaped form of the IR (ir_sql.h): constructors, deep copies with an
 * expression transform (copy, canonicalise), the canonical text that translation pairs and diff
 * reports compare, and the hole walk.
 */
#include "ir/ir_sql.h"

#include <string.h>

#include "core/arena.h"

static void *zalloc(ir_job *job, size_t n)
{
    return n ? arena_alloc(job->arena, n) : NULL;
}

static const char *dup(ir_job *job, const char *s)
{
    return s ? ir_intern(job, s) : NULL;
}

/* ---- constructors ---- */

ir_expr *ir_over_new(ir_job *job, ir_expr *call)
{
    ir_expr *e = zalloc(job, sizeof *e);
    e->kind = IR_EX_OVER;
    e->u.over = zalloc(job, sizeof *e->u.over);
    e->u.over->call = call;
    if (call) {
        e->type = call->type;
        e->span = call->span;
    }
    return e;
}

ir_expr *ir_sub_new(ir_job *job, ir_sub_kind kind, ir_fn op, ir_expr *lhs, ir_query *q)
{
    ir_expr *e = zalloc(job, sizeof *e);
    e->kind = IR_EX_QUERY;
    e->u.sub = zalloc(job, sizeof *e->u.sub);
    e->u.sub->kind = kind;
    e->u.sub->op = op;
    e->u.sub->lhs = lhs;
    e->u.sub->query = q;
    if (kind != IR_SUB_SCALAR)
        e->type = ir_type_make(IR_TY_BOOL, 0, 0);
    return e;
}

ir_over *ir_expr_over(const ir_expr *e)
{
    return e && e->kind == IR_EX_OVER ? e->u.over : NULL;
}

ir_sub *ir_expr_sub(const ir_expr *e)
{
    return e && e->kind == IR_EX_QUERY ? e->u.sub : NULL;
}

ir_query *ir_query_new(ir_job *job, ir_query_kind kind)
{
    ir_query *q = zalloc(job, sizeof *q);
    q->kind = kind;
    return q;
}

ir_from *ir_from_new(ir_job *job, ir_from_kind kind)
{
    ir_from *f = zalloc(job, sizeof *f);
    f->kind = kind;
    return f;
}

ir_stmt *ir_stmt_new(ir_job *job, ir_stmt_kind kind)
{
    ir_stmt *s = zalloc(job, sizeof *s);
    s->kind = kind;
    return s;
}

/* ---- deep copies through an expression transform ---- */

typedef ir_expr *(*xform)(ir_job *job, const ir_expr *e);

static ir_query *map_query(ir_job *job, const ir_query *q, xform f);

static ir_expr **map_exprs(ir_job *job, ir_expr *const *v, int n, xform f)
{
    if (!n)
        return NULL;
    ir_expr **out = zalloc(job, (size_t)n * sizeof *out);
    for (int i = 0; i < n; i++)
        out[i] = v[i] ? f(job, v[i]) : NULL;
    return out;
}

static const char **map_names(ir_job *job, const char *const *v, int n)
{
    if (!n || !v)
        return NULL;
    const char **out = zalloc(job, (size_t)n * sizeof *out);
    for (int i = 0; i < n; i++)
        out[i] = dup(job, v[i]);
    return out;
}

static ir_sort_key *map_order(ir_job *job, const ir_sort_key *v, int n, xform f)
{
    if (!n)
        return NULL;
    ir_sort_key *out = zalloc(job, (size_t)n * sizeof *out);
    for (int i = 0; i < n; i++) {
        out[i] = v[i];
        out[i].expr = v[i].expr ? f(job, v[i].expr) : NULL;
    }
    return out;
}

static ir_from *map_from(ir_job *job, const ir_from *s, xform f)
{
    if (!s)
        return NULL;
    ir_from *d = ir_from_new(job, s->kind);
    *d = *s;
    d->name = dup(job, s->name);
    d->alias = dup(job, s->alias);
    d->alias_cols = map_names(job, s->alias_cols, s->n_alias_cols);
    d->query = s->query ? map_query(job, s->query, f) : NULL;
    d->args = map_exprs(job, s->args, s->n_args, f);
    d->left = map_from(job, s->left, f);
    d->right = map_from(job, s->right, f);
    d->on = s->on ? f(job, s->on) : NULL;
    d->using_cols = map_names(job, s->using_cols, s->n_using);
    d->span.file = dup(job, s->span.file);
    return d;
}

static ir_query *map_query(ir_job *job, const ir_query *s, xform f)
{
    if (!s)
        return NULL;
    ir_query *d = ir_query_new(job, s->kind);
    *d = *s;
    if (s->n_ctes) {
        d->ctes = zalloc(job, (size_t)s->n_ctes * sizeof *d->ctes);
        for (int i = 0; i < s->n_ctes; i++) {
            d->ctes[i].name = dup(job, s->ctes[i].name);
            d->ctes[i].cols = map_names(job, s->ctes[i].cols, s->ctes[i].n_cols);
            d->ctes[i].n_cols = s->ctes[i].n_cols;
            d->ctes[i].query = map_query(job, s->ctes[i].query, f);
        }
    }
    if (s->n_items && s->items) {
        d->items = zalloc(job, (size_t)s->n_items * sizeof *d->items);
        for (int i = 0; i < s->n_items; i++) {
            d->items[i].expr = s->items[i].expr ? f(job, s->items[i].expr) : NULL;
            d->items[i].alias = dup(job, s->items[i].alias);
            d->items[i].star = dup(job, s->items[i].star);
            d->items[i].except = map_names(job, s->items[i].except, s->items[i].n_except);
            d->items[i].n_except = s->items[i].n_except;
        }
    }
    if (s->n_from) {
        d->from = zalloc(job, (size_t)s->n_from * sizeof *d->from);
        for (int i = 0; i < s->n_from; i++)
            d->from[i] = map_from(job, s->from[i], f);
    }
    d->where = s->where ? f(job, s->where) : NULL;
    d->group = map_exprs(job, s->group, s->n_group, f);
    d->having = s->having ? f(job, s->having) : NULL;
    d->qualify = s->qualify ? f(job, s->qualify) : NULL;
    d->left = map_query(job, s->left, f);
    d->right = map_query(job, s->right, f);
    d->rows = map_exprs(job, s->rows, s->n_rows * s->n_items, f);
    d->order = map_order(job, s->order, s->n_order, f);
    d->limit = s->limit ? f(job, s->limit) : NULL;
    d->offset = s->offset ? f(job, s->offset) : NULL;
    d->span.file = dup(job, s->span.file);
    return d;
}

ir_over *ir_over_copy(ir_job *job, const ir_over *o)
{
    ir_over *d = zalloc(job, sizeof *d);
    *d = *o;
    d->call = ir_expr_copy(job, o->call);
    d->partition = map_exprs(job, o->partition, o->n_partition, ir_expr_copy);
    d->order = map_order(job, o->order, o->n_order, ir_expr_copy);
    return d;
}

ir_sub *ir_sub_copy(ir_job *job, const ir_sub *s)
{
    ir_sub *d = zalloc(job, sizeof *d);
    *d = *s;
    d->lhs = ir_expr_copy(job, s->lhs);
    d->query = map_query(job, s->query, ir_expr_copy);
    return d;
}

/* ---- canonical form ---- */

/* The canonical form of a window call: the call's arguments canonical, the frame spelt out for
 * the functions that read one and dropped for those that do not (SQL ignores it there). */
static ir_expr *canon_over(ir_job *job, const ir_expr *e)
{
    const ir_over *o = e->u.over;
    ir_expr *c = ir_over_new(job, ir_canonicalize(job, o->call));
    ir_over *d = c->u.over;
    d->partition = map_exprs(job, o->partition, o->n_partition, ir_canonicalize);
    d->n_partition = o->n_partition;
    d->order = map_order(job, o->order, o->n_order, ir_canonicalize);
    d->n_order = o->n_order;
    ir_fn fn = o->call && o->call->kind == IR_EX_CALL ? o->call->u.call.fn : IR_FN__COUNT;
    int reads_frame = fn != IR_FN__COUNT && (ir_fn_uses_frame(fn) || !ir_fn_is_window(fn));
    if (!reads_frame) {
        d->has_frame = false;
    } else if (!o->has_frame) {
        d->has_frame = true;
        d->frame = ir_frame_default();
        if (o->n_order == 0) { /* no order: every row is a peer, the frame is the partition */
            d->frame.unit = IR_FRAME_ROWS;
            d->frame.start.kind = IR_BOUND_UNBOUNDED_PRECEDING;
            d->frame.end.kind = IR_BOUND_UNBOUNDED_FOLLOWING;
        }
    } else {
        d->has_frame = true;
        d->frame = o->frame;
    }
    c->type = e->type;
    c->span = e->span;
    return c;
}

static ir_expr *canon_any(ir_job *job, const ir_expr *e);

static ir_expr *canon_sub(ir_job *job, const ir_expr *e)
{
    const ir_sub *s = e->u.sub;
    ir_expr *c = ir_sub_new(job, s->kind, s->op, s->lhs ? canon_any(job, s->lhs) : NULL,
                            map_query(job, s->query, canon_any));
    c->type = e->type;
    c->span = e->span;
    return c;
}

/* ir_canonicalize for expressions that may hold windows and subqueries at any depth. */
static ir_expr *canon_any(ir_job *job, const ir_expr *e)
{
    if (!e)
        return NULL;
    if (e->kind == IR_EX_OVER)
        return canon_over(job, e);
    if (e->kind == IR_EX_QUERY)
        return canon_sub(job, e);
    return ir_canonicalize(job, e);
}

ir_expr *ir_sql_canonicalize(ir_job *job, const ir_expr *e)
{
    return canon_any(job, e);
}

/* ---- canonical text ---- */

static void put_order(strbuf *sb, const ir_sort_key *k, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            sb_puts(sb, ", ");
        ir_expr_to_text(sb, k[i].expr);
        sb_puts(sb, k[i].desc ? " desc" : " asc");
        if (k[i].nulls)
            sb_puts(sb, k[i].nulls == 1 ? " nulls first" : " nulls last");
    }
}

void ir_over_to_text(strbuf *sb, const ir_over *o)
{
    sb_puts(sb, "over(");
    ir_expr_to_text(sb, o->call);
    if (o->n_partition) {
        sb_puts(sb, "; partition ");
        for (int i = 0; i < o->n_partition; i++) {
            if (i)
                sb_puts(sb, ", ");
            ir_expr_to_text(sb, o->partition[i]);
        }
    }
    if (o->n_order) {
        sb_puts(sb, "; order ");
        put_order(sb, o->order, o->n_order);
    }
    if (o->has_frame) {
        sb_puts(sb, "; ");
        ir_frame_to_text(sb, o->frame);
    }
    sb_putc(sb, ')');
}

static void query_text(strbuf *sb, const ir_query *q, int ind);

void ir_sub_to_text(strbuf *sb, const ir_sub *s)
{
    static const char *const kinds[] = {"scalar", "exists", "in", "any", "all"};
    sb_printf(sb, "subquery[%s", kinds[s->kind]);
    if (s->kind == IR_SUB_ANY || s->kind == IR_SUB_ALL) {
        const ir_fn_info *fi = ir_fn_get(s->op);
        sb_printf(sb, ",%s", fi ? fi->name : "?");
    }
    sb_puts(sb, "](");
    if (s->lhs) {
        ir_expr_to_text(sb, s->lhs);
        sb_puts(sb, "; ");
    }
    strbuf inner;
    sb_init(&inner);
    query_text(&inner, s->query, 0);
    /* one line: the nested clauses separated by " | " */
    for (const char *p = sb_cstr(&inner); *p; p++) {
        if (*p == '\n') {
            while (p[1] == ' ')
                p++;
            if (p[1])
                sb_puts(sb, " | ");
        } else {
            sb_putc(sb, *p);
        }
    }
    sb_free(&inner);
    sb_putc(sb, ')');
}

static void line(strbuf *sb, int ind, const char *head)
{
    sb_indent(sb, ind);
    sb_puts(sb, head);
}

static void expr_line(strbuf *sb, int ind, const char *head, const ir_expr *e)
{
    line(sb, ind, head);
    sb_putc(sb, ' ');
    ir_expr_to_text(sb, e);
    sb_putc(sb, '\n');
}

static void from_text(strbuf *sb, const ir_from *f, int ind)
{
    static const char *const joins[] = {"inner", "left", "right", "full", "cross"};
    switch (f->kind) {
    case IR_FROM_TABLE:
        line(sb, ind, "table ");
        sb_puts(sb, f->name ? f->name : "?");
        break;
    case IR_FROM_FUNCTION:
        line(sb, ind, f->unnest ? "rows of arrays " : "function ");
        sb_puts(sb, f->name ? f->name : "?");
        sb_putc(sb, '(');
        for (int i = 0; i < f->n_args; i++) {
            if (i)
                sb_puts(sb, ", ");
            ir_expr_to_text(sb, f->args[i]);
        }
        sb_putc(sb, ')');
        break;
    case IR_FROM_QUERY:
        line(sb, ind, f->lateral ? "lateral derived" : "derived");
        break;
    case IR_FROM_JOIN:
        line(sb, ind, "join ");
        sb_puts(sb, joins[f->join]);
        if (f->natural)
            sb_puts(sb, " natural");
        break;
    }
    /* a table aliased by its own (unqualified) name is the table as it is: `t AS t`, `s.t AS t` */
    const char *base = f->kind == IR_FROM_TABLE && f->name ? strrchr(f->name, '.') : NULL;
    base = base ? base + 1 : f->name;
    if (f->alias && !(f->kind == IR_FROM_TABLE && base && strcmp(f->alias, base) == 0)) {
        sb_puts(sb, " as ");
        sb_puts(sb, f->alias);
    }
    if (f->n_alias_cols) {
        sb_putc(sb, '(');
        for (int i = 0; i < f->n_alias_cols; i++) {
            if (i)
                sb_puts(sb, ", ");
            sb_puts(sb, f->alias_cols[i]);
        }
        sb_putc(sb, ')');
    }
    sb_putc(sb, '\n');
    if (f->kind == IR_FROM_QUERY)
        query_text(sb, f->query, ind + 1);
    if (f->kind == IR_FROM_JOIN) {
        from_text(sb, f->left, ind + 1);
        from_text(sb, f->right, ind + 1);
        if (f->on)
            expr_line(sb, ind + 1, "on", f->on);
        if (f->n_using) {
            line(sb, ind + 1, "using");
            for (int i = 0; i < f->n_using; i++) {
                sb_putc(sb, ' ');
                sb_puts(sb, f->using_cols[i]);
            }
            sb_putc(sb, '\n');
        }
    }
}

/* The operands of an associative chain of one set operation (UNION [ALL], INTERSECT [ALL]: (a op b)
 * op c is a op (b op c)), left to right; a nested operand with its own CTEs, order or row limit
 * stands as one. EXCEPT is not associative: its operands stay two. */
static bool chains(const ir_query *q, ir_query_kind kind, bool all)
{
    return q && q->kind == kind && q->all == all && kind != IR_Q_EXCEPT && !q->n_ctes && !q->n_order && !q->limit &&
           !q->offset;
}

static int setop_count(const ir_query *q, ir_query_kind kind, bool all)
{
    return chains(q, kind, all) ? setop_count(q->left, kind, all) + setop_count(q->right, kind, all) : 1;
}

static void setop_operands(const ir_query *q, ir_query_kind kind, bool all, const ir_query **out, int *n)
{
    if (chains(q, kind, all)) {
        setop_operands(q->left, kind, all, out, n);
        setop_operands(q->right, kind, all, out, n);
        return;
    }
    out[(*n)++] = q;
}

static void query_text(strbuf *sb, const ir_query *q, int ind)
{
    if (!q) {
        line(sb, ind, "query <none>\n");
        return;
    }
    for (int i = 0; i < q->n_ctes; i++) {
        line(sb, ind, q->recursive ? "with recursive " : "with ");
        sb_puts(sb, q->ctes[i].name);
        for (int c = 0; c < q->ctes[i].n_cols; c++) {
            sb_puts(sb, c ? ", " : "(");
            sb_puts(sb, q->ctes[i].cols[c]);
        }
        sb_puts(sb, q->ctes[i].n_cols ? ")\n" : "\n");
        query_text(sb, q->ctes[i].query, ind + 1);
    }
    switch (q->kind) {
    case IR_Q_UNION: case IR_Q_INTERSECT: case IR_Q_EXCEPT: {
        static const char *const ops[] = {"", "union", "intersect", "except"};
        line(sb, ind, ops[q->kind]);
        sb_puts(sb, q->all ? " all\n" : "\n");
        const ir_query *operands[64];
        int n = 0;
        if (q->kind == IR_Q_EXCEPT ||
            setop_count(q->left, q->kind, q->all) + setop_count(q->right, q->kind, q->all) > 64) {
            operands[n++] = q->left;
            operands[n++] = q->right;
        } else {
            setop_operands(q->left, q->kind, q->all, operands, &n);
            setop_operands(q->right, q->kind, q->all, operands, &n);
        }
        for (int i = 0; i < n; i++)
            query_text(sb, operands[i], ind + 1);
        break;
    }
    case IR_Q_VALUES:
        line(sb, ind, "values\n");
        for (int r = 0; r < q->n_rows; r++) {
            line(sb, ind + 1, "row");
            for (int i = 0; i < q->n_items; i++) {
                sb_puts(sb, i ? ", " : " ");
                ir_expr_to_text(sb, q->rows[r * q->n_items + i]);
            }
            sb_putc(sb, '\n');
        }
        break;
    case IR_Q_SELECT:
        line(sb, ind, q->distinct ? "select distinct\n" : "select\n");
        for (int i = 0; i < q->n_items; i++) {
            const ir_select_item *it = &q->items[i];
            line(sb, ind + 1, "item ");
            if (it->star)
                sb_puts(sb, it->star);
            else
                ir_expr_to_text(sb, it->expr);
            for (int k = 0; k < it->n_except; k++) {
                sb_puts(sb, k ? ", " : " except(");
                sb_puts(sb, it->except[k]);
                if (k == it->n_except - 1)
                    sb_putc(sb, ')');
            }
            if (it->alias) {
                sb_puts(sb, " as ");
                sb_puts(sb, it->alias);
            }
            sb_putc(sb, '\n');
        }
        if (q->n_from) {
            line(sb, ind, "from\n");
            for (int i = 0; i < q->n_from; i++)
                from_text(sb, q->from[i], ind + 1);
        }
        if (q->where)
            expr_line(sb, ind, "where", q->where);
        if (q->n_group) {
            line(sb, ind, q->group_kind == IR_GROUP_ROLLUP ? "group by rollup"
                          : q->group_kind == IR_GROUP_CUBE ? "group by cube" : "group by");
            for (int i = 0; i < q->n_group; i++) {
                sb_puts(sb, i ? ", " : " ");
                ir_expr_to_text(sb, q->group[i]);
            }
            sb_putc(sb, '\n');
        }
        if (q->having)
            expr_line(sb, ind, "having", q->having);
        if (q->qualify)
            expr_line(sb, ind, "qualify", q->qualify);
        break;
    }
    if (q->n_order) {
        line(sb, ind, "order by ");
        put_order(sb, q->order, q->n_order);
        sb_putc(sb, '\n');
    }
    if (q->limit)
        expr_line(sb, ind, "limit", q->limit);
    if (q->offset)
        expr_line(sb, ind, "offset", q->offset);
}

static const char *const stmt_kinds[] = {"query", "insert", "update", "delete", "merge", "create table",
                                         "create view", "drop", "truncate", "add columns", "drop columns",
                                         "rename", "rename column", "call", "commit", "rollback", "use",
                                         "create", "alter column", "hole"};
_Static_assert(sizeof stmt_kinds / sizeof stmt_kinds[0] == IR_ST_HOLE + 1, "one name per ir_stmt_kind");

static void stmt_text(strbuf *sb, const ir_stmt *s)
{
    sb_puts(sb, stmt_kinds[s->kind]);
    if (s->overwrite)
        sb_puts(sb, " overwrite");
    if (s->temporary)
        sb_puts(sb, " temporary");
    if (s->or_replace)
        sb_puts(sb, " or replace");
    if (s->if_exists)
        sb_puts(sb, " if exists");
    if (s->table_if_exists)
        sb_puts(sb, " table if exists");
    if (s->object_kind) {
        sb_putc(sb, ' ');
        sb_puts(sb, s->object_kind);
    }
    if (s->target) {
        sb_putc(sb, ' ');
        sb_puts(sb, s->target);
    }
    if (s->target_alias) {
        sb_puts(sb, " as ");
        sb_puts(sb, s->target_alias);
    }
    if (s->new_name) {
        sb_puts(sb, " to ");
        sb_puts(sb, s->new_name);
    }
    sb_putc(sb, '\n');
    if (s->kind == IR_ST_HOLE) {
        line(sb, 1, "reason ");
        sb_puts(sb, s->hole_reason ? s->hole_reason : "");
        sb_putc(sb, '\n');
        line(sb, 1, "text ");
        sb_put_json_string(sb, s->text ? s->text : "");
        sb_putc(sb, '\n');
        return;
    }
    if (s->kind == IR_ST_ALTER_COLUMN) {
        static const char *const acts[] = {"set not null", "drop not null", "type", "set default", "drop default"};
        line(sb, 1, acts[s->alter]);
        sb_putc(sb, ' ');
        sb_puts(sb, s->n_cols ? s->cols[0] : "");
        if (s->alter == IR_ALTER_TYPE && s->col_types) {
            char buf[64];
            ir_type_format(s->col_types[0], buf, sizeof buf);
            sb_putc(sb, ' ');
            sb_puts(sb, buf);
        }
        if (s->alter == IR_ALTER_SET_DEFAULT && s->col_defaults && s->col_defaults[0]) {
            sb_putc(sb, ' ');
            ir_expr_to_text(sb, s->col_defaults[0]);
        }
        sb_putc(sb, '\n');
        return;
    }
    for (int i = 0; i < s->n_cols; i++) {
        if (s->kind == IR_ST_CALL) { /* arguments, by position or `name => value` */
            line(sb, 1, "argument ");
            if (s->cols && s->cols[i])
                sb_printf(sb, "%s => ", s->cols[i]);
            ir_expr_to_text(sb, s->values ? s->values[i] : NULL);
            sb_putc(sb, '\n');
            continue;
        }
        line(sb, 1, "column ");
        sb_puts(sb, s->cols[i]);
        if (s->col_types && s->col_types[i].kind != IR_TY_UNKNOWN) {
            char buf[64];
            ir_type_format(s->col_types[i], buf, sizeof buf);
            sb_putc(sb, ' ');
            sb_puts(sb, buf);
        }
        if (s->values && s->values[i]) {
            sb_puts(sb, " = ");
            ir_expr_to_text(sb, s->values[i]);
        }
        if (s->col_defaults && s->col_defaults[i]) {
            sb_puts(sb, " default ");
            ir_expr_to_text(sb, s->col_defaults[i]);
        }
        if (s->col_not_null && s->col_not_null[i])
            sb_puts(sb, " not null");
        sb_putc(sb, '\n');
    }
    if (s->from) {
        line(sb, 1, s->kind == IR_ST_MERGE ? "using\n" : "from\n");
        from_text(sb, s->from, 2);
    }
    if (s->where)
        expr_line(sb, 1, s->kind == IR_ST_MERGE ? "on" : "where", s->where);
    for (int m = 0; m < s->n_merge; m++) {
        static const char *const acts[] = {"update", "delete", "insert"};
        const ir_merge_clause *c = &s->merge[m];
        line(sb, 1, c->matched ? "when matched" : "when not matched");
        if (c->cond) {
            sb_puts(sb, " and ");
            ir_expr_to_text(sb, c->cond);
        }
        sb_printf(sb, " then %s\n", acts[c->action]);
        for (int i = 0; i < c->n; i++) {
            line(sb, 2, "");
            if (c->cols && c->cols[i]) {
                sb_puts(sb, c->cols[i]);
                sb_puts(sb, " = ");
            }
            ir_expr_to_text(sb, c->values ? c->values[i] : NULL);
            sb_putc(sb, '\n');
        }
    }
    if (s->query)
        query_text(sb, s->query, 1);
}

static ir_stmt *map_stmt(ir_job *job, const ir_stmt *s, xform f)
{
    ir_stmt *d = ir_stmt_new(job, s->kind);
    *d = *s;
    d->cols = s->cols ? map_names(job, s->cols, s->n_cols) : NULL;
    d->values = s->values ? map_exprs(job, s->values, s->n_cols, f) : NULL;
    d->new_name = dup(job, s->new_name);
    d->col_defaults = s->col_defaults ? map_exprs(job, s->col_defaults, s->n_cols, f) : NULL;
    d->query = map_query(job, s->query, f);
    d->from = map_from(job, s->from, f);
    d->where = s->where ? f(job, s->where) : NULL;
    if (s->n_merge) {
        d->merge = zalloc(job, (size_t)s->n_merge * sizeof *d->merge);
        for (int i = 0; i < s->n_merge; i++) {
            d->merge[i] = s->merge[i];
            d->merge[i].cond = s->merge[i].cond ? f(job, s->merge[i].cond) : NULL;
            d->merge[i].cols = map_names(job, s->merge[i].cols, s->merge[i].n);
            d->merge[i].values = map_exprs(job, s->merge[i].values, s->merge[i].n, f);
        }
    }
    return d;
}

const char *ir_select_item_name(const ir_select_item *it)
{
    if (it->alias)
        return it->alias;
    if (it->expr && it->expr->kind == IR_EX_REF && it->expr->u.ref.node == 0) {
        const char *dot = strrchr(it->expr->u.ref.col, '.');
        return dot ? dot + 1 : it->expr->u.ref.col;
    }
    return NULL;
}

/* cond with every name of an item of in replaced by that item's expression; NULL when cond reads a
 * name that is not one of them (it could be anything). */
static ir_expr *inline_items(ir_job *job, const ir_query *in, const ir_expr *cond)
{
    if (!cond)
        return NULL;
    if (cond->kind == IR_EX_REF && cond->u.ref.node == 0) {
        const char *n = cond->u.ref.col;
        const char *dot = strrchr(n, '.');
        if (dot) /* x.col: the derived table's own name */
            n = dot + 1;
        for (int i = 0; i < in->n_items; i++) {
            const char *nm = ir_select_item_name(&in->items[i]);
            if (nm && !strcmp(nm, n) && in->items[i].expr)
                return in->items[i].expr;
        }
        return NULL;
    }
    if (cond->kind == IR_EX_CALL) {
        ir_expr *c = ir_expr_copy(job, cond);
        for (int i = 0; i < c->u.call.n_args; i++)
            if (!(c->u.call.args[i] = inline_items(job, in, cond->u.call.args[i])))
                return NULL;
        return c;
    }
    if (cond->kind == IR_EX_LIT || cond->kind == IR_EX_PARAM)
        return (ir_expr *)cond;
    return NULL;
}

/* SELECT a1, .., an FROM (SELECT e1 AS a1, .., en AS an, [extra items] FROM ..) [x] WHERE cond is
 * the inner query with QUALIFY cond (its names replaced by the inner expressions, AND its own):
 * the filter runs over the same rows after the windows and the extra items stay out of the result.
 * It is the form dialects without QUALIFY use (etlport's and sqlglot's), read as one canonical
 * form. */
static ir_query *unnest_qualify(ir_job *job, ir_query *q)
{
    if (!q || q->kind != IR_Q_SELECT || q->n_from != 1 || !q->from[0] || q->from[0]->kind != IR_FROM_QUERY ||
        q->n_group || q->having || q->qualify || q->distinct || q->n_ctes || !q->where)
        return q;
    ir_query *in = q->from[0]->query;
    if (!in || in->kind != IR_Q_SELECT || in->n_items <= q->n_items || in->n_order || in->limit || in->distinct)
        return q;
    for (int i = 0; i < q->n_items; i++) {
        const ir_select_item *o = &q->items[i], *n = &in->items[i];
        const char *nn = ir_select_item_name(n);
        if (o->star || !o->expr || o->expr->kind != IR_EX_REF || o->expr->u.ref.node != 0 || !nn || n->star)
            return q;
        const char *oc = o->expr->u.ref.col, *dot = strrchr(oc, '.');
        if (strcmp(dot ? dot + 1 : oc, nn) != 0 || (o->alias && strcmp(o->alias, nn) != 0))
            return q;
    }
    bool windowed = false;
    for (int i = q->n_items; i < in->n_items; i++)
        if (in->items[i].expr && ir_expr_contains(in->items[i].expr, IR_EXPR_MASK(IR_EX_OVER)))
            windowed = true;
    ir_expr *cond = inline_items(job, in, q->where);
    if (!cond || !(windowed || ir_expr_contains(cond, IR_EXPR_MASK(IR_EX_OVER))))
        return q; /* not a window filter: a plain filter over a derived table stays as it is */
    ir_query *r = ir_query_new(job, IR_Q_SELECT);
    *r = *in;
    r->n_items = q->n_items;
    for (int i = 0; i < q->n_items; i++) /* the outer names are the result's */
        if (!r->items[i].alias && q->items[i].alias)
            r->items[i].alias = q->items[i].alias;
    cond = ir_sql_canonicalize(job, cond);
    r->qualify = in->qualify ? ir_call2(job, IR_FN_AND, in->qualify, cond) : cond;
    r->n_order = q->n_order;
    r->order = q->order;
    r->limit = q->limit;
    r->offset = q->offset;
    return r;
}

static void unnest_all(ir_job *job, ir_query **qp);

static void unnest_from(ir_job *job, ir_from *f)
{
    if (!f)
        return;
    if (f->query)
        unnest_all(job, &f->query);
    unnest_from(job, f->left);
    unnest_from(job, f->right);
}

static void unnest_all(ir_job *job, ir_query **qp)
{
    ir_query *q = *qp;
    if (!q)
        return;
    for (int i = 0; i < q->n_ctes; i++)
        unnest_all(job, &q->ctes[i].query);
    for (int i = 0; i < q->n_from; i++)
        unnest_from(job, q->from[i]);
    unnest_all(job, &q->left);
    unnest_all(job, &q->right);
    *qp = unnest_qualify(job, q);
}

void ir_stmt_to_text(strbuf *sb, ir_job *job, const ir_stmt *s)
{
    ir_stmt *c = map_stmt(job, s, canon_any);
    unnest_all(job, &c->query);
    unnest_from(job, c->from);
    stmt_text(sb, c);
}

void ir_query_to_text(strbuf *sb, ir_job *job, const ir_query *q)
{
    ir_query *c = map_query(job, q, canon_any);
    unnest_all(job, &c);
    query_text(sb, c, 0);
}

ir_stmt *ir_stmt_copy(ir_job *job, const ir_stmt *s)
{
    return map_stmt(job, s, ir_expr_copy);
}

/* ---- visiting every expression ---- */


bool ir_expr_visit(ir_expr *e, ir_expr_visit_fn fn, void *ud)
{
    if (!e)
        return false;
    if (fn(e, ud))
        return true;
    switch (e->kind) {
    case IR_EX_CALL:
        for (int i = 0; i < e->u.call.n_args; i++)
            if (ir_expr_visit(e->u.call.args[i], fn, ud))
                return true;
        return false;
    case IR_EX_OVER: {
        ir_over *o = ir_expr_over(e);
        if (!o)
            return false;
        for (int i = 0; i < o->n_partition; i++)
            if (ir_expr_visit(o->partition[i], fn, ud))
                return true;
        for (int i = 0; i < o->n_order; i++)
            if (ir_expr_visit(o->order[i].expr, fn, ud))
                return true;
        return ir_expr_visit(o->call, fn, ud);
    }
    case IR_EX_QUERY: {
        ir_sub *sq = ir_expr_sub(e);
        return sq && (ir_expr_visit(sq->lhs, fn, ud) || ir_query_visit(sq->query, fn, ud));
    }
    default: return false;
    }
}

static bool visit_from(ir_from *f, ir_expr_visit_fn fn, void *ud)
{
    if (!f)
        return false;
    if (ir_query_visit(f->query, fn, ud))
        return true;
    for (int i = 0; i < f->n_args; i++)
        if (ir_expr_visit(f->args[i], fn, ud))
            return true;
    return visit_from(f->left, fn, ud) || visit_from(f->right, fn, ud) || ir_expr_visit(f->on, fn, ud);
}

bool ir_query_visit(ir_query *q, ir_expr_visit_fn fn, void *ud)
{
    if (!q)
        return false;
    for (int i = 0; i < q->n_ctes; i++)
        if (ir_query_visit(q->ctes[i].query, fn, ud))
            return true;
    for (int i = 0; q->items && i < q->n_items; i++)
        if (ir_expr_visit(q->items[i].expr, fn, ud))
            return true;
    for (int i = 0; i < q->n_from; i++)
        if (visit_from(q->from[i], fn, ud))
            return true;
    for (int i = 0; i < q->n_group; i++)
        if (ir_expr_visit(q->group[i], fn, ud))
            return true;
    for (int i = 0; i < q->n_rows * q->n_items; i++)
        if (ir_expr_visit(q->rows[i], fn, ud))
            return true;
    for (int i = 0; i < q->n_order; i++)
        if (ir_expr_visit(q->order[i].expr, fn, ud))
            return true;
    return ir_expr_visit(q->where, fn, ud) || ir_expr_visit(q->having, fn, ud) || ir_expr_visit(q->qualify, fn, ud) ||
           ir_expr_visit(q->limit, fn, ud) || ir_expr_visit(q->offset, fn, ud) || ir_query_visit(q->left, fn, ud) ||
           ir_query_visit(q->right, fn, ud);
}

bool ir_stmt_visit(ir_stmt *st, ir_expr_visit_fn fn, void *ud)
{
    if (!st)
        return false;
    for (int i = 0; st->values && i < st->n_cols; i++)
        if (ir_expr_visit(st->values[i], fn, ud))
            return true;
    for (int i = 0; i < st->n_merge; i++) {
        if (ir_expr_visit(st->merge[i].cond, fn, ud))
            return true;
        for (int k = 0; k < st->merge[i].n; k++)
            if (ir_expr_visit(st->merge[i].values[k], fn, ud))
                return true;
    }
    for (int i = 0; st->col_defaults && i < st->n_cols; i++)
        if (ir_expr_visit(st->col_defaults[i], fn, ud))
            return true;
    return ir_query_visit(st->query, fn, ud) || visit_from(st->from, fn, ud) || ir_expr_visit(st->where, fn, ud);
}


/* ---- holes ---- */

typedef struct walk {
    ir_hole_fn fn;
    void *userdata;
    ir_span fallback;
    int count;
} walk;

static bool hole_at(ir_expr *e, void *ud)
{
    walk *w = ud;
    if (e->kind == IR_EX_HOLE) {
        ir_hole_info h = {"expression", e->u.hole.text, e->u.hole.reason,
                          (e->span.line || e->span.file) ? e->span : w->fallback, 0, NULL};
        w->count++;
        if (w->fn)
            w->fn(w->userdata, &h);
    }
    return false;
}

int ir_stmt_holes(const ir_stmt *s, ir_hole_fn fn, void *userdata)
{
    walk w = {fn, userdata, s->span, 0};
    if (s->kind == IR_ST_HOLE) {
        ir_hole_info h = {"sql", s->text ? s->text : "", s->hole_reason ? s->hole_reason : "not translated",
                          s->span, 0, NULL};
        w.count++;
        if (fn)
            fn(userdata, &h);
        return w.count;
    }
    ir_stmt_visit((ir_stmt *)s, hole_at, &w); /* the visit writes nothing */
    return w.count;
}
