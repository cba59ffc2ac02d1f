/*
 * sqltext.c — statements of the SQL-shaped IR (ir/ir_sql.h) as SQL text, for the backends that
 * speak SQL (Snowflake, Spark SQL). The structure of the legacy statement is kept clause for
 * clause; expressions, names and types are written by the backend through the dialect's hooks,
 * so each keeps its canonical meaning there. What differs between the targets in statement syntax
 * is a field of sqltext_dialect; what a target cannot say becomes a marked placeholder, counted.
 *
 * Layout: top-level clauses start a line, select items and SET assignments one a line indented by
 * four; subqueries inside expressions are written on one line. ORDER BY writes NULLS FIRST/LAST
 * only where the IR's explicit null order differs from the target's default.
 */
#include "backends/sqltext/sqltext.h"

#include <stdlib.h>
#include <string.h>

typedef struct qw {
    const sqltext_dialect *d;
    void *ud;
    strbuf *sb;
    int pretty; /* 0: everything on one line (subqueries in expressions) */
    int in_qualify; /* writing the inner query of a QUALIFY rewrite */
    int unsupported;
    int n_anon;     /* names given to derived tables without one */
} qw;

static void query(qw *w, const ir_query *q, int ind);
static void qualify_wrapped(qw *w, const ir_query *q, int ind);

/* A clause break: a new line indented by ind, or a space on one line. */
static void brk(qw *w, int ind)
{
    if (w->pretty) {
        sb_putc(w->sb, '\n');
        sb_indent(w->sb, ind);
    } else {
        sb_putc(w->sb, ' ');
    }
}

static void expr(qw *w, const ir_expr *e)
{
    w->d->expr(w->ud, w->sb, e);
}

static void name(qw *w, const char *n)
{
    w->d->ident(w->sb, n);
}

static void names(qw *w, const char *const *v, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            sb_puts(w->sb, ", ");
        name(w, v[i]);
    }
}

static void order_by(qw *w, const ir_sort_key *k, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            sb_puts(w->sb, ", ");
        expr(w, k[i].expr);
        int dflt = w->d->nulls_largest ? (k[i].desc ? 1 : 2) : (k[i].desc ? 2 : 1);
        int nulls = k[i].nulls && k[i].nulls != dflt;
        if (k[i].desc)
            sb_puts(w->sb, " DESC");
        else if (nulls)
            sb_puts(w->sb, " ASC"); /* NULLS FIRST/LAST after an explicit direction: every reader takes that */
        if (nulls)
            sb_puts(w->sb, k[i].nulls == 1 ? " NULLS FIRST" : " NULLS LAST");
    }
}

static void alias(qw *w, const ir_from *f)
{
    if (f->alias) {
        sb_putc(w->sb, ' ');
        name(w, f->alias);
    }
    if (f->n_alias_cols) {
        sb_puts(w->sb, " (");
        names(w, f->alias_cols, f->n_alias_cols);
        sb_putc(w->sb, ')');
    }
}

static void subquery(qw *w, const ir_query *q, int ind)
{
    sb_putc(w->sb, '(');
    if (w->pretty) {
        sb_putc(w->sb, '\n');
        sb_indent(w->sb, ind + 4);
        query(w, q, ind + 4);
        brk(w, ind);
    } else {
        query(w, q, ind);
    }
    sb_putc(w->sb, ')');
}

/* Is f the canonical unnest, a row per array position (ir_sql.h)? */
static int is_unnest(const ir_from *f)
{
    return f && f->kind == IR_FROM_FUNCTION && f->unnest;
}

static int is_true(const ir_expr *e)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_BOOL && strcmp(e->u.lit.text, "true") == 0;
}

/* A join that gives each row of its left side unnest's rows of it: CROSS JOIN (INNER .. ON TRUE),
 * or LEFT JOIN .. ON TRUE (one row of NULLs for an empty or NULL array). */
static int joins_unnest(const ir_from *f)
{
    return f->kind == IR_FROM_JOIN && is_unnest(f->right) && !f->natural && !f->n_using &&
           ((f->join == IR_JOIN_CROSS && !f->on) || (f->join == IR_JOIN_INNER && is_true(f->on)) ||
            (f->join == IR_JOIN_LEFT && is_true(f->on)));
}

/* unnest as Spark's generator: EXPLODE(a), INLINE(ARRAYS_ZIP(a, b, ..)) of several arrays */
static void generator(qw *w, const ir_from *f)
{
    sb_puts(w->sb, f->n_args == 1 ? "EXPLODE(" : "INLINE(ARRAYS_ZIP(");
    for (int i = 0; i < f->n_args; i++) {
        if (i)
            sb_puts(w->sb, ", ");
        expr(w, f->args[i]);
    }
    sb_puts(w->sb, f->n_args == 1 ? ")" : "))");
}

/* LATERAL VIEW [OUTER] generator t AS x, .. (Spark: after the FROM's relations) */
static void lateral_view(qw *w, const ir_from *u, int outer)
{
    sb_puts(w->sb, outer ? "LATERAL VIEW OUTER " : "LATERAL VIEW ");
    generator(w, u);
    sb_putc(w->sb, ' ');
    if (u->alias)
        name(w, u->alias);
    else
        sb_printf(w->sb, "etlport_u%d", ++w->n_anon); /* Spark needs a table name here */
    if (u->n_alias_cols) {
        sb_puts(w->sb, " AS ");
        names(w, u->alias_cols, u->n_alias_cols);
    }
}

enum { FROM_INNER, FROM_TAIL, FROM_WHOLE }; /* where a FROM item stands: see from_item */

/* at: FROM_WHOLE when f is the whole FROM, FROM_TAIL when it ends the FROM's relations (Spark's
 * LATERAL VIEWs may follow), FROM_INNER elsewhere. */
static void from_item(qw *w, const ir_from *f, int ind, int at)
{
    static const char *const joins[] = {"INNER JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN"};
    switch (f->kind) {
    case IR_FROM_TABLE:
        name(w, f->name);
        alias(w, f);
        break;
    case IR_FROM_FUNCTION:
        if (is_unnest(f)) {
            if (w->d->explode_arrays && at == FROM_WHOLE) {
                generator(w, f);
                alias(w, f);
            } else {
                sb_puts(w->sb, "(SELECT NULL) /* ETLPORT UNSUPPORTED: a row per array element (UNNEST) here: ");
                sb_puts(w->sb, w->d->explode_arrays ? "write it as a LATERAL VIEW at the end of FROM */"
                                                    : "write it with LATERAL FLATTEN, whose columns are named otherwise */");
                w->unsupported++;
            }
            break;
        }
        if (w->d->table_fn_wrapper)
            sb_puts(w->sb, "TABLE(");
        name(w, f->name);
        sb_putc(w->sb, '(');
        for (int i = 0; i < f->n_args; i++) {
            if (i)
                sb_puts(w->sb, ", ");
            expr(w, f->args[i]);
        }
        sb_puts(w->sb, w->d->table_fn_wrapper ? "))" : ")");
        alias(w, f);
        break;
    case IR_FROM_QUERY:
        if (f->lateral)
            sb_puts(w->sb, "LATERAL ");
        subquery(w, f->query, ind);
        if (!f->alias) /* a derived table needs a name in some targets; nothing refers to this one */
            sb_printf(w->sb, " etlport_d%d", ++w->n_anon);
        alias(w, f);
        break;
    case IR_FROM_JOIN:
        if (w->d->explode_arrays && at != FROM_INNER && joins_unnest(f)) {
            from_item(w, f->left, ind, FROM_TAIL);
            brk(w, ind);
            lateral_view(w, f->right, f->join == IR_JOIN_LEFT);
            break;
        }
        from_item(w, f->left, ind, FROM_INNER);
        brk(w, ind);
        if (f->natural)
            sb_puts(w->sb, "NATURAL ");
        sb_puts(w->sb, joins[f->join]);
        sb_putc(w->sb, ' ');
        if (f->right && f->right->kind == IR_FROM_JOIN) {
            sb_putc(w->sb, '(');
            from_item(w, f->right, ind + 4, FROM_INNER);
            sb_putc(w->sb, ')');
        } else {
            from_item(w, f->right, ind, FROM_INNER);
        }
        if (f->on) {
            brk(w, ind + 4);
            sb_puts(w->sb, "ON ");
            expr(w, f->on);
        } else if (f->n_using) {
            sb_puts(w->sb, " USING (");
            names(w, f->using_cols, f->n_using);
            sb_putc(w->sb, ')');
        }
        break;
    }
}

/* A set-operation operand: parenthesised when it has its own ORDER BY / LIMIT or is a set
 * operation of another kind (precedence differs between dialects: say it explicitly). */
static void operand(qw *w, const ir_query *parent, const ir_query *q, int ind)
{
    int paren = q->n_order || q->limit || q->offset || q->n_ctes ||
                (q->kind != IR_Q_SELECT && q->kind != IR_Q_VALUES && (q->kind != parent->kind || q->all != parent->all));
    if (paren)
        subquery(w, q, ind);
    else
        query(w, q, ind);
}

static void query(qw *w, const ir_query *q, int ind)
{
    strbuf *sb = w->sb;
    if (!q) {
        sb_puts(sb, "SELECT NULL");
        return;
    }
    if (q->n_ctes && q->recursive && !w->d->has_recursive_cte) {
        sb_puts(sb, "SELECT NULL /* ETLPORT UNSUPPORTED: a recursive CTE (a WITH query that reads itself); "
                    "Spark 3.5 has no recursive queries: loop in the driver, or Spark 4's WITH RECURSIVE */");
        w->unsupported++;
        return;
    }
    if (q->n_ctes) {
        sb_puts(sb, q->recursive ? "WITH RECURSIVE " : "WITH ");
        for (int i = 0; i < q->n_ctes; i++) {
            if (i) {
                sb_putc(sb, ',');
                brk(w, ind);
            }
            name(w, q->ctes[i].name);
            if (q->ctes[i].n_cols) {
                sb_puts(sb, " (");
                names(w, q->ctes[i].cols, q->ctes[i].n_cols);
                sb_putc(sb, ')');
            }
            sb_puts(sb, " AS ");
            subquery(w, q->ctes[i].query, ind);
        }
        brk(w, ind);
    }
    switch (q->kind) {
    case IR_Q_UNION: case IR_Q_INTERSECT: case IR_Q_EXCEPT: {
        static const char *const ops[] = {"", "UNION", "INTERSECT", "EXCEPT"};
        operand(w, q, q->left, ind);
        brk(w, ind);
        sb_puts(sb, ops[q->kind]);
        if (q->all)
            sb_puts(sb, " ALL");
        brk(w, ind);
        operand(w, q, q->right, ind);
        break;
    }
    case IR_Q_VALUES:
        sb_puts(sb, "VALUES ");
        for (int r = 0; r < q->n_rows; r++) {
            sb_puts(sb, r ? ", (" : "(");
            for (int i = 0; i < q->n_items; i++) {
                if (i)
                    sb_puts(sb, ", ");
                expr(w, q->rows[r * q->n_items + i]);
            }
            sb_putc(sb, ')');
        }
        break;
    case IR_Q_SELECT:
        if (q->qualify && !w->d->has_qualify && !w->in_qualify) {
            qualify_wrapped(w, q, ind);
            return;
        }
        sb_puts(sb, q->distinct ? "SELECT DISTINCT" : "SELECT");
        for (int i = 0; i < q->n_items; i++) {
            const ir_select_item *it = &q->items[i];
            if (i)
                sb_putc(sb, ',');
            brk(w, ind + 4);
            if (it->star) {
                size_t n = strlen(it->star);
                if (n > 2 && it->star[n - 1] == '*') {
                    char qual[256];
                    size_t m = n - 2 < sizeof qual ? n - 2 : sizeof qual - 1;
                    memcpy(qual, it->star, m);
                    qual[m] = 0;
                    name(w, qual);
                    sb_puts(sb, ".*");
                } else {
                    sb_putc(sb, '*');
                }
                if (it->n_except && w->d->star_except) {
                    sb_printf(sb, " %s (", w->d->star_except);
                    names(w, it->except, it->n_except);
                    sb_putc(sb, ')');
                } else if (it->n_except) {
                    sb_puts(sb, " /* ETLPORT UNSUPPORTED: a star that leaves columns out (* EXCLUDE / EXCEPT); "
                                "list the columns */");
                    w->unsupported++;
                }
            } else {
                expr(w, it->expr);
            }
            if (it->alias) {
                sb_puts(sb, " AS ");
                name(w, it->alias);
            }
        }
        if (q->n_from) {
            brk(w, ind);
            sb_puts(sb, "FROM ");
            /* Spark: unnests that end a comma list (FROM t, UNNEST(t.a) ..) are LATERAL VIEWs */
            int n = q->n_from;
            while (w->d->explode_arrays && n > 1 && is_unnest(q->from[n - 1]))
                n--;
            for (int i = 0; i < n; i++) {
                if (i)
                    sb_puts(sb, ", ");
                from_item(w, q->from[i], ind, q->n_from == 1 ? FROM_WHOLE : i == n - 1 ? FROM_TAIL : FROM_INNER);
            }
            for (int i = n; i < q->n_from; i++) {
                brk(w, ind);
                lateral_view(w, q->from[i], 0);
            }
        }
        if (q->where) {
            brk(w, ind);
            /* SELECT .. WHERE c without FROM (T-SQL, Snowflake): one row when c holds, none otherwise */
            sb_puts(sb, q->n_from ? "WHERE " : "WHERE /* no FROM: one row when this holds */ ");
            expr(w, q->where);
        }
        if (q->n_group) {
            brk(w, ind);
            sb_puts(sb, q->group_kind == IR_GROUP_ROLLUP ? "GROUP BY ROLLUP ("
                        : q->group_kind == IR_GROUP_CUBE ? "GROUP BY CUBE (" : "GROUP BY ");
            for (int i = 0; i < q->n_group; i++) {
                if (i)
                    sb_puts(sb, ", ");
                expr(w, q->group[i]);
            }
            if (q->group_kind != IR_GROUP_PLAIN)
                sb_putc(sb, ')');
        }
        if (q->having) {
            brk(w, ind);
            sb_puts(sb, "HAVING ");
            expr(w, q->having);
        }
        if (q->qualify && w->d->has_qualify) {
            brk(w, ind);
            sb_puts(sb, "QUALIFY ");
            expr(w, q->qualify);
        }
        break;
    }
    if (q->n_order) {
        brk(w, ind);
        sb_puts(sb, "ORDER BY ");
        order_by(w, q->order, q->n_order);
    }
    if (q->limit) {
        brk(w, ind);
        sb_puts(sb, "LIMIT ");
        expr(w, q->limit);
    }
    if (q->offset) {
        if (!q->limit && w->d->offset_alone) {
            brk(w, ind);
            sb_puts(sb, "OFFSET ");
        } else {
            if (!q->limit) {
                brk(w, ind);
                sb_puts(sb, "LIMIT NULL");
            }
            sb_puts(sb, " OFFSET ");
        }
        expr(w, q->offset);
    }
}



/* QUALIFY where the dialect has none: SELECT <names> FROM (SELECT <items>, <qualify> AS
 * etlport_qualify FROM ...) WHERE etlport_qualify. ORDER BY and LIMIT stay outside. Needs every
 * item named (no star, no unnamed expression): otherwise a placeholder. */
static void qualify_wrapped(qw *w, const ir_query *q, int ind)
{
    strbuf *sb = w->sb;
    for (int i = 0; i < q->n_items; i++)
        if (q->items[i].star || !ir_select_item_name(&q->items[i])) {
            sb_puts(sb, "SELECT NULL /* ETLPORT UNSUPPORTED: QUALIFY over a select list with * or unnamed "
                        "expressions; name every item */");
            w->unsupported++;
            return;
        }
    sb_puts(sb, "SELECT");
    for (int i = 0; i < q->n_items; i++) {
        sb_puts(sb, i ? ", " : " ");
        name(w, ir_select_item_name(&q->items[i]));
    }
    brk(w, ind);
    sb_puts(sb, "FROM (");
    ir_query inner = *q;
    inner.n_order = 0;
    inner.limit = inner.offset = NULL;
    ir_select_item *items = calloc((size_t)q->n_items + 1, sizeof *items);
    memcpy(items, q->items, (size_t)q->n_items * sizeof *items);
    items[q->n_items].expr = q->qualify;
    items[q->n_items].alias = "etlport_qualify";
    inner.items = items;
    inner.n_items = q->n_items + 1;
    w->in_qualify++;
    if (w->pretty) {
        brk(w, ind + 4);
        query(w, &inner, ind + 4);
        brk(w, ind);
    } else {
        query(w, &inner, ind);
    }
    w->in_qualify--;
    free(items);
    sb_puts(sb, ") etlport_q");
    brk(w, ind);
    sb_puts(sb, "WHERE etlport_qualify");
}

void sqltext_query_inline(strbuf *sb, const sqltext_dialect *d, void *ud, const ir_query *q)
{
    qw w = {d, ud, sb, 0, 0, 0, 0};
    query(&w, q, 0);
}

static void hole_comment(qw *w, const ir_stmt *s, const char *where)
{
    strbuf t;
    sb_init(&t);
    sb_printf(&t, "ETLPORT HOLE %s: %s", where ? where : "?", s->hole_reason ? s->hole_reason : "not translated");
    sb_puts(w->sb, "-- ");
    w->d->comment(w->sb, sb_cstr(&t));
    sb_putc(w->sb, '\n');
    const char *p = s->text ? s->text : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        sb_clear(&t);
        sb_putn(&t, p, n);
        sb_puts(w->sb, "--   ");
        w->d->comment(w->sb, sb_cstr(&t));
        sb_putc(w->sb, '\n');
        p += n + (nl ? 1 : 0);
    }
    sb_free(&t);
}

/* A statement the dialect cannot say, written as a hole with the reason: returns 1 (the caller's rc). */
static int printer_hole(qw *w, const ir_stmt *s, const char *where, const char *reason, sqltext_result *res)
{
    ir_stmt h = *s;
    h.hole_reason = reason;
    hole_comment(w, &h, where);
    if (res)
        res->holes++;
    return 1;
}

static void target(qw *w, const ir_stmt *s)
{
    name(w, s->target);
    if (s->target_alias) { /* no AS: UPDATE/DELETE/MERGE targets take a bare alias everywhere */
        sb_putc(w->sb, ' ');
        name(w, s->target_alias);
    }
}

static void set_list(qw *w, const char *const *cols, ir_expr *const *values, int n, const char *sep)
{
    for (int i = 0; i < n; i++) {
        sb_puts(w->sb, i ? sep : "");
        name(w, cols[i]);
        sb_puts(w->sb, " = ");
        expr(w, values[i]);
    }
}

static void merge_clauses(qw *w, const ir_stmt *s)
{
    strbuf *sb = w->sb;
    for (int m = 0; m < s->n_merge; m++) {
        const ir_merge_clause *mc = &s->merge[m];
        sb_puts(sb, mc->matched ? "\nWHEN MATCHED" : "\nWHEN NOT MATCHED");
        if (mc->cond) {
            sb_puts(sb, " AND ");
            expr(w, mc->cond);
        }
        if (mc->action == 1) {
            sb_puts(sb, " THEN DELETE");
        } else if (mc->action == 0) {
            sb_puts(sb, " THEN UPDATE SET ");
            set_list(w, mc->cols, mc->values, mc->n, ", ");
        } else {
            sb_puts(sb, " THEN INSERT");
            if (mc->cols && mc->n && mc->cols[0]) {
                sb_puts(sb, " (");
                names(w, mc->cols, mc->n);
                sb_putc(sb, ')');
            }
            sb_puts(sb, " VALUES (");
            for (int i = 0; i < mc->n; i++) {
                if (i)
                    sb_puts(sb, ", ");
                expr(w, mc->values[i]);
            }
            sb_putc(sb, ')');
        }
    }
}

/* ALTER TABLE [IF EXISTS] t */
static void alter_table(qw *w, const ir_stmt *s)
{
    if (s->table_if_exists && !w->d->has_alter_if_exists)
        sb_puts(w->sb, "-- the legacy statement had IF EXISTS: this one fails when the table is missing\n");
    sb_puts(w->sb, "ALTER TABLE ");
    if (s->table_if_exists && w->d->has_alter_if_exists)
        sb_puts(w->sb, "IF EXISTS ");
    name(w, s->target);
}

/* name type [DEFAULT expr] [NOT NULL] */
static void column_def(qw *w, const ir_stmt *s, int i)
{
    name(w, s->cols[i]);
    sb_putc(w->sb, ' ');
    w->d->type(w->sb, s->col_types ? s->col_types[i] : ir_type_make(IR_TY_UNKNOWN, 0, 0));
    if (s->col_defaults && s->col_defaults[i]) {
        sb_puts(w->sb, " DEFAULT ");
        expr(w, s->col_defaults[i]);
    }
    if (s->col_not_null && s->col_not_null[i])
        sb_puts(w->sb, " NOT NULL");
}

static void col_list(qw *w, const ir_stmt *s)
{
    if (!s->n_cols)
        return;
    sb_puts(w->sb, " (");
    names(w, s->cols, s->n_cols);
    sb_putc(w->sb, ')');
}

/* UPDATE t SET .. FROM src WHERE cond, where the dialect has no UPDATE .. FROM: MERGE INTO t USING
 * src ON cond WHEN MATCHED THEN UPDATE SET ... Equivalent when each target row matches at most one
 * source row (MERGE fails otherwise, where UPDATE .. FROM would pick one arbitrarily): said in a
 * comment. */
static void update_as_merge(qw *w, const ir_stmt *s)
{
    strbuf *sb = w->sb;
    sb_puts(sb, "-- UPDATE .. FROM as MERGE: fails if a target row matches several source rows\n");
    sb_puts(sb, "MERGE INTO ");
    target(w, s);
    sb_puts(sb, "\nUSING ");
    if (s->from->kind == IR_FROM_JOIN) {
        sb_puts(sb, "(SELECT * FROM ");
        from_item(w, s->from, 0, FROM_INNER);
        sb_puts(sb, ") etlport_src");
    } else {
        from_item(w, s->from, 0, FROM_INNER);
    }
    sb_puts(sb, "\nON ");
    if (s->where)
        expr(w, s->where);
    else
        sb_puts(sb, "TRUE");
    sb_puts(sb, "\nWHEN MATCHED THEN UPDATE SET ");
    set_list(w, s->cols, s->values, s->n_cols, ", ");
}

int sqltext_stmt(strbuf *sb, const sqltext_dialect *d, void *ud, const ir_stmt *s, const char *where,
                 sqltext_result *res)
{
    qw w = {d, ud, sb, 1, 0, 0, 0};
    int rc = 0;
    switch (s->kind) {
    case IR_ST_QUERY:
        query(&w, s->query, 0);
        break;
    case IR_ST_INSERT:
        sb_puts(sb, s->overwrite ? d->insert_overwrite : "INSERT INTO ");
        name(&w, s->target);
        col_list(&w, s);
        sb_putc(sb, '\n');
        query(&w, s->query, 0);
        break;
    case IR_ST_UPDATE:
        if (s->from && !d->has_update_from) {
            update_as_merge(&w, s);
            break;
        }
        sb_puts(sb, "UPDATE ");
        target(&w, s);
        sb_puts(sb, "\nSET\n    ");
        set_list(&w, s->cols, s->values, s->n_cols, ",\n    ");
        if (s->from) {
            sb_puts(sb, "\nFROM ");
            from_item(&w, s->from, 0, FROM_INNER);
        }
        if (s->where) {
            sb_puts(sb, "\nWHERE ");
            expr(&w, s->where);
        }
        break;
    case IR_ST_DELETE:
        sb_puts(sb, "DELETE FROM ");
        target(&w, s);
        if (s->from && !d->has_update_from) {
            /* DELETE .. USING src WHERE cond: the rows of t for which such a source row exists */
            sb_puts(sb, "\nWHERE EXISTS (SELECT 1 FROM ");
            w.pretty = 0;
            from_item(&w, s->from, 0, FROM_INNER);
            if (s->where) {
                sb_puts(sb, " WHERE ");
                expr(&w, s->where);
            }
            sb_putc(sb, ')');
            break;
        }
        if (s->from) { /* on the DELETE line: one clause to read (and to excuse, tests/grammars) */
            sb_puts(sb, " USING ");
            w.pretty = 0;
            from_item(&w, s->from, 0, FROM_INNER);
            w.pretty = 1;
        }
        if (s->where) {
            sb_puts(sb, "\nWHERE ");
            expr(&w, s->where);
        }
        break;
    case IR_ST_MERGE:
        sb_puts(sb, "MERGE INTO ");
        target(&w, s);
        sb_puts(sb, "\nUSING ");
        if (s->from)
            from_item(&w, s->from, 0, FROM_INNER);
        sb_puts(sb, "\nON ");
        expr(&w, s->where);
        merge_clauses(&w, s);
        break;
    case IR_ST_CREATE_TABLE: {
        int temp_view = s->temporary && !d->has_temp_tables && s->query;
        /* without temporary tables a temporary one is a table made anew on each run */
        int fresh = s->temporary && !d->has_temp_tables;
        sb_puts(sb, s->or_replace || fresh ? "CREATE OR REPLACE " : "CREATE ");
        if (s->temporary && (d->has_temp_tables || temp_view))
            sb_puts(sb, "TEMPORARY ");
        sb_puts(sb, temp_view ? "VIEW " : "TABLE ");
        if (s->if_exists && !s->or_replace && !fresh)
            sb_puts(sb, "IF NOT EXISTS ");
        name(&w, s->target);
        if (s->query) {
            sb_puts(sb, " AS\n");
            if (s->n_cols) { /* CREATE TABLE t (a, b) AS q: the names on the query's columns */
                sb_puts(sb, "SELECT * FROM (\n    ");
                query(&w, s->query, 4);
                sb_puts(sb, "\n) etlport_ctas (");
                names(&w, s->cols, s->n_cols);
                sb_putc(sb, ')');
            } else {
                query(&w, s->query, 0);
            }
        } else {
            if (s->temporary && !d->has_temp_tables)
                sb_puts(sb, " /* temporary in the legacy script: made anew on each run, drop it when the run ends */");
            sb_puts(sb, " (");
            for (int i = 0; i < s->n_cols; i++) {
                sb_puts(sb, i ? ",\n    " : "\n    ");
                column_def(&w, s, i);
            }
            sb_puts(sb, "\n)");
        }
        break;
    }
    case IR_ST_CREATE_VIEW:
        sb_puts(sb, s->or_replace ? "CREATE OR REPLACE VIEW " : "CREATE VIEW ");
        name(&w, s->target);
        col_list(&w, s);
        sb_puts(sb, " AS\n");
        query(&w, s->query, 0);
        break;
    case IR_ST_DROP:
        if (s->object_kind && !strcmp(s->object_kind, "SEQUENCE") && !d->has_sequences) {
            rc = printer_hole(&w, s, where, "a sequence: Spark has none", res);
            break;
        }
        sb_printf(sb, "DROP %s ", s->object_kind ? s->object_kind : "TABLE");
        if (s->if_exists)
            sb_puts(sb, "IF EXISTS ");
        name(&w, s->target);
        break;
    case IR_ST_TRUNCATE:
        sb_puts(sb, "TRUNCATE TABLE ");
        name(&w, s->target);
        break;
    case IR_ST_ADD_COLUMNS:
        alter_table(&w, s);
        sb_puts(sb, d->add_columns_list ? " ADD COLUMNS (" : " ADD COLUMN ");
        if (s->if_exists && !d->add_columns_list)
            sb_puts(sb, "IF NOT EXISTS ");
        for (int i = 0; i < s->n_cols; i++) {
            if (i)
                sb_puts(sb, ", ");
            column_def(&w, s, i);
        }
        if (d->add_columns_list)
            sb_putc(sb, ')');
        break;
    case IR_ST_DROP_COLUMNS:
        alter_table(&w, s);
        sb_puts(sb, s->n_cols > 1 && d->add_columns_list ? " DROP COLUMNS " : " DROP COLUMN ");
        if (s->if_exists)
            sb_puts(sb, "IF EXISTS ");
        if (s->n_cols > 1 && d->add_columns_list)
            sb_putc(sb, '(');
        names(&w, s->cols, s->n_cols);
        if (s->n_cols > 1 && d->add_columns_list)
            sb_putc(sb, ')');
        break;
    case IR_ST_RENAME:
        alter_table(&w, s);
        sb_puts(sb, " RENAME TO ");
        name(&w, s->new_name);
        break;
    case IR_ST_RENAME_COLUMN:
        alter_table(&w, s);
        sb_puts(sb, " RENAME COLUMN ");
        name(&w, s->cols[0]);
        sb_puts(sb, " TO ");
        name(&w, s->new_name);
        break;
    case IR_ST_CALL:
        if (!d->has_procedures) {
            rc = printer_hole(&w, s, where,
                              "a stored procedure call: the procedure becomes a PySpark driver module (etlport "
                              "convert); call its run() here",
                              res);
            break;
        }
        sb_puts(sb, "CALL ");
        name(&w, s->target);
        sb_putc(sb, '(');
        for (int i = 0; i < s->n_cols; i++) {
            if (i)
                sb_puts(sb, ", ");
            if (s->cols && s->cols[i]) {
                name(&w, s->cols[i]);
                sb_puts(sb, " => ");
            }
            expr(&w, s->values[i]);
        }
        sb_putc(sb, ')');
        break;
    case IR_ST_USE:
    case IR_ST_CREATE_SCHEMA: {
        const char *k = s->object_kind ? s->object_kind : "SCHEMA";
        if (!strcmp(k, "DATABASE") && !d->has_databases) {
            rc = printer_hole(&w, s, where,
                              "a database (a catalog of schemas): catalogs are configured in the Spark session, "
                              "not made or chosen in SQL here",
                              res);
            break;
        }
        if (!strcmp(k, "SEQUENCE") && !d->has_sequences) {
            rc = printer_hole(&w, s, where, "a sequence: Spark has none (number rows with row_number() or use an "
                                            "identity column)", res);
            break;
        }
        sb_printf(sb, "%s %s ", s->kind == IR_ST_USE ? "USE" : "CREATE", k);
        if (s->kind == IR_ST_CREATE_SCHEMA && s->if_exists)
            sb_puts(sb, "IF NOT EXISTS ");
        name(&w, s->target);
        if (!strcmp(k, "SEQUENCE") && s->n_cols == 2 && s->values) {
            sb_puts(sb, " START WITH ");
            expr(&w, s->values[0]);
            sb_puts(sb, " INCREMENT BY ");
            expr(&w, s->values[1]);
        }
        break;
    }
    case IR_ST_ALTER_COLUMN:
        alter_table(&w, s);
        sb_puts(sb, " ALTER COLUMN ");
        name(&w, s->n_cols ? s->cols[0] : "");
        switch (s->alter) {
        case IR_ALTER_SET_NOT_NULL:
            sb_puts(sb, " SET NOT NULL");
            break;
        case IR_ALTER_DROP_NOT_NULL:
            sb_puts(sb, " DROP NOT NULL");
            break;
        case IR_ALTER_TYPE:
            sb_putc(sb, ' ');
            sb_puts(sb, d->alter_type);
            d->type(sb, s->col_types ? s->col_types[0] : ir_type_make(IR_TY_UNKNOWN, 0, 0));
            break;
        case IR_ALTER_SET_DEFAULT:
            if (!d->has_set_default) {
                sb_puts(sb, " SET DEFAULT /* ETLPORT UNSUPPORTED: a column default other than a sequence cannot "
                            "be changed here */ NULL");
                w.unsupported++;
                break;
            }
            sb_puts(sb, " SET DEFAULT ");
            expr(&w, s->col_defaults ? s->col_defaults[0] : NULL);
            break;
        case IR_ALTER_DROP_DEFAULT:
            sb_puts(sb, " DROP DEFAULT");
            break;
        }
        break;
    case IR_ST_COMMIT:
    case IR_ST_ROLLBACK:
        if (d->has_transactions) {
            sb_puts(sb, s->kind == IR_ST_COMMIT ? "COMMIT" : "ROLLBACK");
        } else {
            /* not a hole: there is nothing to translate, and the note says why */
            sb_printf(sb, "-- %s: no transactions across statements here; each statement commits on its own\n",
                      s->kind == IR_ST_COMMIT ? "COMMIT" : "ROLLBACK");
            rc = 1;
        }
        break;
    case IR_ST_HOLE:
        hole_comment(&w, s, where);
        rc = 1;
        if (res)
            res->holes++;
        break;
    }
    if (res)
        res->unsupported += w.unsupported;
    return rc ? rc : w.unsupported ? -1 : 0;
}
