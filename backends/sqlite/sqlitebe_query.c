/*
 * sqlitebe_query.c — one target of an IR job as one SQLite query: `WITH n<id> AS (...), ...
 * SELECT * FROM n<target>`, a CTE per node upstream of the target (dedup, rank and first/last
 * lookups get a helper CTE that numbers rows first). Only what execution needs: no comments, no
 * DDL, no naming care beyond uniqueness.
 *
 * Choices that follow the backends rather than the letter of docs/ir.md: a key-less aggregate over
 * an empty input gives no row (HAVING count(*) > 0), as PowerCenter's Aggregator and both backends
 * do; a lookup with the `error` policy keeps every match (as `all`); rows an update strategy
 * rejects (row operation 3) do not reach the target (with merge_rows they do, with their row
 * operation: the caller's MERGE applies none of its clauses to them).
 */
#include "backends/sqlite/sqlitebe_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct poison {
    int node;
    const char *col;
    const char *why; /* borrowed: static text or interned in the job */
} poison;

typedef struct qctx {
    const ir_job *job;
    const sqlitebe_env *env;
    strbuf ctes;
    int n_ctes;
    bool *done;        /* per node index: CTE written */
    poison *poisons;   /* columns that are not executable */
    int n_poisons, cap_poisons;
    char *fail;        /* why the target is not executable (malloc), NULL while it is */
} qctx;

/* The context of one expression. */
typedef struct ectx {
    qctx *q;
    const ir_node *n; /* the node whose expression it is */
    bool self;        /* references to n itself are bare column names (source filters) */
    bool agg;         /* aggregates allowed (aggregate node) */
    bool window;      /* window and aggregate calls get OVER w (window node) */
    const char *why;  /* the first reason the expression is not executable */
} ectx;

static void fail(qctx *q, const char *fmt, const char *arg)
{
    if (q->fail)
        return;
    size_t n = strlen(fmt) + (arg ? strlen(arg) : 0) + 1;
    q->fail = malloc(n);
    if (q->fail)
        snprintf(q->fail, n, fmt, arg ? arg : "");
}

/* s between quote characters q, each q inside doubled. */
static void put_quoted(strbuf *sb, const char *s, char q)
{
    sb_putc(sb, q);
    for (; *s; s++) {
        if (*s == q)
            sb_putc(sb, q);
        sb_putc(sb, *s);
    }
    sb_putc(sb, q);
}

void sqlitebe_put_string(strbuf *sb, const char *s) { put_quoted(sb, s, '\''); }

void sqlitebe_put_ident(strbuf *sb, const char *s) { put_quoted(sb, s, '"'); }

static int node_index(const ir_job *job, int id)
{
    for (int i = 0; i < job->n_nodes; i++)
        if (job->nodes[i]->id == id)
            return i;
    return -1;
}

static const char *poisoned(const qctx *q, int node, const char *col)
{
    for (int i = 0; i < q->n_poisons; i++)
        if (q->poisons[i].node == node && strcasecmp(q->poisons[i].col, col) == 0)
            return q->poisons[i].why;
    return NULL;
}

static void poison_add(qctx *q, int node, const char *col, const char *why)
{
    if (q->n_poisons == q->cap_poisons) {
        q->cap_poisons = q->cap_poisons ? q->cap_poisons * 2 : 16;
        q->poisons = realloc(q->poisons, (size_t)q->cap_poisons * sizeof *q->poisons);
        if (!q->poisons)
            abort();
    }
    q->poisons[q->n_poisons++] = (poison){node, col, why};
}

/* ---- expressions ---- */

static void emit(ectx *x, strbuf *sb, const ir_expr *e);

/* A generated key under merge_rows: unique per row, equal to no generated data value. */
#define NEW_KEY_SQL "('~generated key ' || row_number() OVER ())"

bool sqlitebe_generated_key(const char *why)
{
    return why && (strstr(why, "sequence") || strstr(why, "generated row id") || strstr(why, "generated key"));
}

static void not_exec(ectx *x, const char *why)
{
    if (!x->why)
        x->why = why;
}

static bool temporal(const ir_expr *e) { return ir_type_is_temporal(e->type); }

static void put_ts_lit(strbuf *sb, const char *s)
{
    int y, mo, d, h, mi, sec;
    long ns;
    char buf[48];
    if (!sqlitebe_ts_parse(s, &y, &mo, &d, &h, &mi, &sec, &ns)) {
        sqlitebe_put_string(sb, s);
        return;
    }
    sqlitebe_ts_format(buf, sizeof buf, y, mo, d, h, mi, sec, ns);
    sqlitebe_put_string(sb, buf);
}

static void emit_lit(strbuf *sb, const ir_expr *e)
{
    const char *t = e->u.lit.text ? e->u.lit.text : "";
    switch (e->u.lit.kind) {
    case IR_LIT_NULL: sb_puts(sb, "NULL"); break;
    case IR_LIT_BOOL: sb_puts(sb, strcasecmp(t, "true") == 0 ? "1" : "0"); break;
    case IR_LIT_INT:
    case IR_LIT_DECIMAL:
    case IR_LIT_DOUBLE:
        sb_putc(sb, '(');
        sb_puts(sb, t);
        sb_putc(sb, ')');
        break;
    case IR_LIT_DATE:
    case IR_LIT_TIMESTAMP: put_ts_lit(sb, t); break;
    default: sqlitebe_put_string(sb, t); break;
    }
}

static bool numeric_text(const char *s)
{
    char *end;
    if (!*s)
        return false;
    strtod(s, &end);
    return *end == 0;
}

/* The format of a to_date(PARAM, 'format') call over the parameter, anywhere in e, or NULL. */
static const char *fmt_in(const ir_expr *e, const char *param)
{
    if (!e || e->kind != IR_EX_CALL)
        return NULL;
    ir_expr *const *a = e->u.call.args;
    if (e->u.call.fn == IR_FN_TO_DATE && e->u.call.n_args == 2 && a[0]->kind == IR_EX_PARAM &&
        strcasecmp(a[0]->u.param.name, param) == 0 && a[1]->kind == IR_EX_LIT && a[1]->u.lit.kind == IR_LIT_STRING)
        return a[1]->u.lit.text;
    for (int i = 0; i < e->u.call.n_args; i++) {
        const char *f = fmt_in(a[i], param);
        if (f)
            return f;
    }
    return NULL;
}

static const char *param_date_format(const ir_job *job, const char *param)
{
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        const char *f = fmt_in(n->predicate, param);
        for (int c = 0; !f && c < n->n_cols; c++)
            f = fmt_in(n->cols[c].expr, param);
        if (f)
            return f;
    }
    return NULL;
}

/* A parameter's default from the legacy job, as a literal of its type. */
static void emit_param(ectx *x, strbuf *sb, const ir_expr *e)
{
    /* the job's own default (generated code: SET X = ..., params.get("X", default)), else the
     * fallback job's (the legacy one) */
    const ir_param *own = ir_job_param(x->q->job, e->u.param.name);
    const ir_param *fb = x->q->env->params ? ir_job_param(x->q->env->params, e->u.param.name) : NULL;
    const ir_param *p = own && own->default_value && *own->default_value ? own : fb ? fb : own;
    const char *v = p ? p->default_value : NULL;
    ir_type_kind k = p && p->type.kind != IR_TY_UNKNOWN ? p->type.kind
                     : fb && fb->type.kind != IR_TY_UNKNOWN ? fb->type.kind
                                                            : e->type.kind;
    if (!v || !*v) {
        /* no default: one representative value of its type, the same on both sides; a text
         * parameter the job reads as a date is that date in the job's format */
        const char *fmt = k == IR_TY_STRING || k == IR_TY_UNKNOWN ? param_date_format(x->q->job, e->u.param.name) : NULL;
        if (fmt) {
            sb_puts(sb, "etl_to_char('" SQLITEBE_PARAM_DATE "', ");
            sqlitebe_put_string(sb, fmt);
            sb_printf(sb, ", %u)", SQLITEBE_ARG_TEMPORAL);
            return;
        }
        v = k == IR_TY_DATE || k == IR_TY_TIMESTAMP ? SQLITEBE_PARAM_DATE : ir_type_is_numeric(ir_type_make(k, 0, 0)) ? "1" : "X";
    }
    if ((k == IR_TY_DATE || k == IR_TY_TIMESTAMP)) {
        int mo, d, y, h = 0, mi = 0, s = 0;
        char buf[48];
        if (sscanf(v, "%d/%d/%d %d:%d:%d", &mo, &d, &y, &h, &mi, &s) >= 3) {
            sqlitebe_ts_format(buf, sizeof buf, y, mo, d, h, mi, s, 0);
            sqlitebe_put_string(sb, buf);
        } else {
            put_ts_lit(sb, v);
        }
    } else if ((ir_type_is_numeric(ir_type_make(k, 0, 0)) || k == IR_TY_UNKNOWN) && numeric_text(v)) {
        sb_printf(sb, "(%s)", v);
    } else {
        sqlitebe_put_string(sb, v);
    }
}

static bool passthrough_name(qctx *q, const ir_node *n, const char *col, strbuf *sb);

static void emit_ref(ectx *x, strbuf *sb, const ir_expr *e)
{
    const ir_node *n = x->n;
    if (x->self && e->u.ref.node == n->id) {
        sqlitebe_put_ident(sb, e->u.ref.col);
        return;
    }
    for (int k = 0; k < n->n_inputs; k++)
        if (n->inputs[k] == e->u.ref.node) {
            const char *why = poisoned(x->q, e->u.ref.node, e->u.ref.col);
            if (why)
                not_exec(x, why);
            sb_printf(sb, "i%d.", k);
            sqlitebe_put_ident(sb, e->u.ref.col);
            return;
        }
    /* a node's own column (a join condition over its qualified "d.X" columns): its value */
    const ir_column *own = e->u.ref.node == n->id ? ir_node_col(n, e->u.ref.col) : NULL;
    if (own && own->expr && !(own->expr->kind == IR_EX_REF && own->expr->u.ref.node == n->id)) {
        emit(x, sb, own->expr);
        return;
    }
    if (own && !own->expr && passthrough_name(x->q, n, own->name, sb))
        return;
    not_exec(x, "a reference outside the node's inputs");
    sb_puts(sb, "NULL");
}

static void emit_args(ectx *x, strbuf *sb, const ir_expr *e, int from, int to, bool empty_null)
{
    for (int i = from; i < to; i++) {
        if (i > from)
            sb_puts(sb, ", ");
        bool wrap = empty_null && e->u.call.args[i]->type.kind == IR_TY_STRING;
        if (wrap)
            sb_puts(sb, "NULLIF(");
        emit(x, sb, e->u.call.args[i]);
        if (wrap)
            sb_puts(sb, ", '')");
    }
}

static void binop(ectx *x, strbuf *sb, const ir_expr *e, const char *op)
{
    bool pad = e->u.call.flags & IR_FL_BLANK_PADDED, ci = e->u.call.flags & IR_FL_CASE_INSENSITIVE;
    sb_putc(sb, '(');
    for (int i = 0; i < 2; i++) {
        if (i)
            sb_printf(sb, " %s ", op);
        if (ci)
            sb_puts(sb, "lower(");
        if (pad)
            sb_puts(sb, "rtrim(");
        emit(x, sb, e->u.call.args[i]);
        if (pad)
            sb_puts(sb, ", ' ')");
        if (ci)
            sb_putc(sb, ')');
    }
    sb_putc(sb, ')');
}

static void over(ectx *x, strbuf *sb)
{
    if (x->window)
        sb_puts(sb, " OVER w");
}

/* sum/avg/count/min/max/count_star and the registered aggregates; a filter argument becomes a
 * CASE inside (the same rows: aggregates ignore NULLs). */
static void emit_agg(ectx *x, strbuf *sb, const ir_expr *e, const char *name)
{
    ir_fn fn = e->u.call.fn;
    int n = e->u.call.n_args;
    int vals = fn == IR_FN_COUNT_STAR ? 0 : 1;
    const ir_expr *filt = n > vals ? e->u.call.args[n - 1] : NULL;
    if (!x->agg && !x->window) {
        not_exec(x, "an aggregate outside an aggregate or window node");
        sb_puts(sb, "NULL");
        return;
    }
    sb_puts(sb, name);
    sb_putc(sb, '(');
    if (e->u.call.flags & IR_FL_DISTINCT)
        sb_puts(sb, "DISTINCT ");
    if (filt) {
        sb_puts(sb, "CASE WHEN ");
        emit(x, sb, filt);
        sb_puts(sb, " THEN ");
    }
    if (vals)
        emit(x, sb, e->u.call.args[0]);
    else if (filt)
        sb_puts(sb, "1");
    else
        sb_putc(sb, '*');
    if (filt)
        sb_puts(sb, " END");
    sb_putc(sb, ')');
    over(x, sb);
}

/* Writes tpl with each $0..$9 replaced by that argument's SQL ('$' before anything else is itself). */
static void emit_template(ectx *x, strbuf *sb, const char *tpl, ir_expr *const *a)
{
    for (const char *p = tpl; *p; p++) {
        if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
            emit(x, sb, a[p[1] - '0']);
            p++;
        } else {
            sb_putc(sb, *p);
        }
    }
}

static void emit_call(ectx *x, strbuf *sb, const ir_expr *e)
{
    ir_fn fn = e->u.call.fn;
    int n = e->u.call.n_args;
    ir_expr *const *a = e->u.call.args;
    unsigned flags = e->u.call.flags;
    switch (fn) {
    case IR_FN_ADD:
    case IR_FN_SUB:
        if (temporal(a[0]) && fn == IR_FN_SUB && temporal(a[1])) {
            sb_puts(sb, "etl_date_diff(");
            emit_args(x, sb, e, 0, 2, false);
            sb_puts(sb, ", 'day', 0)");
            return;
        }
        if (temporal(a[0]) || (fn == IR_FN_ADD && temporal(a[1]))) {
            int d = temporal(a[0]) ? 0 : 1;
            sb_puts(sb, "etl_date_add(");
            emit(x, sb, a[d]);
            sb_puts(sb, fn == IR_FN_SUB ? ", 'day', -(" : ", 'day', (");
            emit(x, sb, a[1 - d]);
            sb_puts(sb, "), 0)");
            return;
        }
        binop(x, sb, e, fn == IR_FN_ADD ? "+" : "-");
        return;
    case IR_FN_MUL: binop(x, sb, e, "*"); return;
    case IR_FN_NEG:
        sb_puts(sb, "(-(");
        emit(x, sb, a[0]);
        sb_puts(sb, "))");
        return;
    case IR_FN_EQ: binop(x, sb, e, "="); return;
    case IR_FN_NE: binop(x, sb, e, "<>"); return;
    case IR_FN_LT: binop(x, sb, e, "<"); return;
    case IR_FN_LE: binop(x, sb, e, "<="); return;
    case IR_FN_GT: binop(x, sb, e, ">"); return;
    case IR_FN_GE: binop(x, sb, e, ">="); return;
    case IR_FN_IN:
        sb_putc(sb, '(');
        emit(x, sb, a[0]);
        sb_puts(sb, " IN (");
        emit_args(x, sb, e, 1, n, false);
        sb_puts(sb, "))");
        return;
    case IR_FN_AND:
    case IR_FN_OR:
        sb_putc(sb, '(');
        for (int i = 0; i < n; i++) {
            if (i)
                sb_puts(sb, fn == IR_FN_AND ? " AND " : " OR ");
            emit(x, sb, a[i]);
        }
        sb_putc(sb, ')');
        return;
    case IR_FN_NOT:
        sb_puts(sb, "(NOT (");
        emit(x, sb, a[0]);
        sb_puts(sb, "))");
        return;
    case IR_FN_IF:
        sb_puts(sb, "(CASE WHEN ");
        emit(x, sb, a[0]);
        sb_puts(sb, " THEN ");
        emit(x, sb, a[1]);
        sb_puts(sb, " ELSE ");
        emit(x, sb, a[2]);
        sb_puts(sb, " END)");
        return;
    case IR_FN_CASE:
        sb_puts(sb, "(CASE");
        for (int i = 0; i + 1 < n; i += 2) {
            sb_puts(sb, " WHEN ");
            emit(x, sb, a[i]);
            sb_puts(sb, " THEN ");
            emit(x, sb, a[i + 1]);
        }
        if (n % 2) {
            sb_puts(sb, " ELSE ");
            emit(x, sb, a[n - 1]);
        }
        sb_puts(sb, " END)");
        return;
    case IR_FN_DECODE:
        sb_puts(sb, "(CASE");
        for (int i = 1; i + 1 < n; i += 2) {
            sb_puts(sb, " WHEN ");
            emit(x, sb, a[0]);
            sb_puts(sb, flags & IR_FL_NULL_MATCHES_NULL ? " IS " : " = ");
            emit(x, sb, a[i]);
            sb_puts(sb, " THEN ");
            emit(x, sb, a[i + 1]);
        }
        if (n % 2 == 0) {
            sb_puts(sb, " ELSE ");
            emit(x, sb, a[n - 1]);
        }
        sb_puts(sb, " END)");
        return;
    case IR_FN_COALESCE:
        if (n == 1) {
            emit(x, sb, a[0]);
            return;
        }
        sb_puts(sb, "coalesce(");
        emit_args(x, sb, e, 0, n, false);
        sb_putc(sb, ')');
        return;
    case IR_FN_NULLIF:
        sb_puts(sb, "nullif(");
        emit_args(x, sb, e, 0, 2, false);
        sb_putc(sb, ')');
        return;
    case IR_FN_IS_NULL:
        sb_putc(sb, '(');
        emit(x, sb, a[0]);
        sb_puts(sb, " IS NULL)");
        return;
    case IR_FN_SUM: emit_agg(x, sb, e, "sum"); return;
    case IR_FN_AVG: emit_agg(x, sb, e, "avg"); return;
    case IR_FN_COUNT:
    case IR_FN_COUNT_STAR: emit_agg(x, sb, e, "count"); return;
    case IR_FN_MIN: emit_agg(x, sb, e, "min"); return;
    case IR_FN_MAX: emit_agg(x, sb, e, "max"); return;
    case IR_FN_FIRST:
    case IR_FN_LAST:
    case IR_FN_ANY_VALUE:
        not_exec(x, "an order-dependent aggregate (first / last / any_value)");
        sb_puts(sb, "NULL");
        return;
    case IR_FN_ROW_NUMBER:
    case IR_FN_RANK:
    case IR_FN_DENSE_RANK:
    case IR_FN_PERCENT_RANK:
    case IR_FN_CUME_DIST:
    case IR_FN_NTILE:
    case IR_FN_LAG:
    case IR_FN_LEAD:
    case IR_FN_FIRST_VALUE:
    case IR_FN_LAST_VALUE:
        if (!x->window || (flags & IR_FL_IGNORE_NULLS)) {
            not_exec(x, x->window ? "IGNORE NULLS (SQLite has no form of it)" : "a window function outside a window node");
            sb_puts(sb, "NULL");
            return;
        }
        sb_puts(sb, ir_fn_get(fn)->name);
        sb_putc(sb, '(');
        emit_args(x, sb, e, 0, n, false);
        sb_putc(sb, ')');
        over(x, sb);
        return;
    /* arrays are JSON text (SQLite's JSON functions) */
    case IR_FN_ARRAY_CONSTRUCT:
        sb_puts(sb, "json_array(");
        emit_args(x, sb, e, 0, n, false);
        sb_putc(sb, ')');
        return;
    case IR_FN_ARRAY_SIZE: emit_template(x, sb, "json_array_length($0)", a); return;
    case IR_FN_ARRAY_GET:
        /* json_extract is NULL past the end; a negative index is no path */
        emit_template(x, sb, "(CASE WHEN $1 >= 0 THEN json_extract($0, '$[' || CAST($1 AS INTEGER) || ']') END)", a);
        return;
    case IR_FN_ARRAY_CONTAINS:
        emit_template(x, sb,
                      "(CASE WHEN $0 IS NULL OR $1 IS NULL THEN NULL "
                      "WHEN EXISTS (SELECT 1 FROM json_each($0) AS j WHERE j.value = $1) THEN 1 "
                      "WHEN EXISTS (SELECT 1 FROM json_each($0) AS j WHERE j.value IS NULL) THEN NULL ELSE 0 END)",
                      a);
        return;
    case IR_FN_ARRAY_CAT:
        /* the elements of both, in order (json_each gives an array's in key order) */
        emit_template(x, sb,
                      "(CASE WHEN $0 IS NULL OR $1 IS NULL THEN NULL ELSE (SELECT json_group_array(v) FROM "
                      "(SELECT 0 AS s, key AS k, value AS v FROM json_each($0) UNION ALL "
                      "SELECT 1, key, value FROM json_each($1) ORDER BY s, k)) END)",
                      a);
        return;
    case IR_FN_ARRAY_APPEND:
        emit_template(x, sb, "(CASE WHEN $0 IS NULL THEN NULL ELSE json_insert($0, '$[#]', $1) END)", a);
        return;
    /* the array functions below: the elements (json_each, in key order) kept, ordered or dropped,
     * gathered again with json_group_array ([] for none) */
    case IR_FN_ARRAY_SLICE:
        /* Python's slice: negative positions from the end, clamped to 0..size */
        emit_template(x, sb,
                      "(CASE WHEN $0 IS NULL OR $1 IS NULL OR $2 IS NULL THEN NULL ELSE (SELECT json_group_array(s.value) "
                      "FROM (SELECT value FROM json_each($0) WHERE key >= (CASE WHEN $1 < 0 THEN json_array_length($0) + $1 "
                      "ELSE $1 END) AND key < (CASE WHEN $2 < 0 THEN json_array_length($0) + $2 ELSE $2 END) ORDER BY key) "
                      "AS s) END)",
                      a);
        return;
    case IR_FN_ARRAY_SORT: {
        const char *dir = a[1]->kind == IR_EX_LIT && a[1]->u.lit.text ? a[1]->u.lit.text : "";
        bool desc = strncmp(dir, "desc ", 5) == 0, first = strstr(dir, "nulls first") != NULL;
        if ((!desc && strncmp(dir, "asc ", 4) != 0) || (!first && !strstr(dir, "nulls last"))) {
            not_exec(x, "an array sort whose direction is not a literal");
            sb_puts(sb, "NULL");
            return;
        }
        char tpl[256];
        snprintf(tpl, sizeof tpl,
                 "(CASE WHEN $0 IS NULL THEN NULL ELSE (SELECT json_group_array(s.value) FROM (SELECT value FROM "
                 "json_each($0) ORDER BY value IS NULL %s, value %s) AS s) END)",
                 first ? "DESC" : "ASC", desc ? "DESC" : "ASC");
        emit_template(x, sb, tpl, a);
        return;
    }
    case IR_FN_ARRAY_REVERSE:
        emit_template(x, sb,
                      "(CASE WHEN $0 IS NULL THEN NULL ELSE (SELECT json_group_array(s.value) FROM (SELECT value FROM "
                      "json_each($0) ORDER BY key DESC) AS s) END)",
                      a);
        return;
    case IR_FN_ARRAY_MAX: emit_template(x, sb, "(SELECT max(value) FROM json_each($0))", a); return;
    case IR_FN_ARRAY_MIN: emit_template(x, sb, "(SELECT min(value) FROM json_each($0))", a); return;
    case IR_FN_ARRAY_DISTINCT:
    case IR_FN_ARRAY_EXCEPT:
        /* each value once (NULL one value), in the order of its first element; except: none of b's
         * (compared with IS, NULL-safe) */
        emit_template(x, sb,
                      fn == IR_FN_ARRAY_DISTINCT
                          ? "(CASE WHEN $0 IS NULL THEN NULL ELSE (SELECT json_group_array(s.value) FROM (SELECT value, "
                            "min(key) AS k FROM json_each($0) GROUP BY value ORDER BY k) AS s) END)"
                          : "(CASE WHEN $0 IS NULL OR $1 IS NULL THEN NULL ELSE (SELECT json_group_array(s.value) FROM "
                            "(SELECT value, min(key) AS k FROM json_each($0) AS x WHERE NOT EXISTS (SELECT 1 FROM "
                            "json_each($1) AS y WHERE y.value IS x.value) GROUP BY value ORDER BY k) AS s) END)",
                      a);
        return;
    case IR_FN_ARRAY_REMOVE:
    case IR_FN_ARRAY_COMPACT:
        emit_template(x, sb,
                      fn == IR_FN_ARRAY_REMOVE
                          ? "(CASE WHEN $0 IS NULL OR $1 IS NULL THEN NULL ELSE (SELECT json_group_array(s.value) FROM "
                            "(SELECT value FROM json_each($0) WHERE value IS NULL OR value <> $1 ORDER BY key) AS s) END)"
                          : "(CASE WHEN $0 IS NULL THEN NULL ELSE (SELECT json_group_array(s.value) FROM (SELECT value "
                            "FROM json_each($0) WHERE value IS NOT NULL ORDER BY key) AS s) END)",
                      a);
        return;
    case IR_FN_ARRAY_AGG: {
        /* the non-NULL values ([] for none); a filter argument keeps its rows only */
        if (!x->agg && !x->window) {
            not_exec(x, "an aggregate outside an aggregate or window node");
            sb_puts(sb, "NULL");
            return;
        }
        strbuf v = STRBUF_INIT;
        if (n > 1) {
            sb_puts(&v, "CASE WHEN ");
            emit(x, &v, a[1]);
            sb_puts(&v, " THEN ");
            emit(x, &v, a[0]);
            sb_puts(&v, " END");
        } else {
            emit(x, &v, a[0]);
        }
        sb_printf(sb, "json_group_array(%s%s) FILTER (WHERE (%s) IS NOT NULL)", flags & IR_FL_DISTINCT ? "DISTINCT " : "",
                  sb_cstr(&v), sb_cstr(&v));
        sb_free(&v);
        over(x, sb);
        return;
    }
    case IR_FN_CAST:
    case IR_FN_TRY_CAST: {
        char ty[64];
        if (e->type.kind == IR_TY_UNKNOWN || e->type.kind == IR_TY_BINARY) {
            not_exec(x, "a cast to an unknown type");
            sb_puts(sb, "NULL");
            return;
        }
        ir_type_format(e->type, ty, sizeof ty);
        sb_printf(sb, "etl_%s(", ir_fn_get(fn)->name);
        emit(x, sb, a[0]);
        sb_puts(sb, ", ");
        sqlitebe_put_string(sb, ty);
        sb_printf(sb, ", %u)", flags);
        return;
    }
    default: break;
    }
    const char *agg = sqlitebe_agg_name(fn);
    if (agg) {
        emit_agg(x, sb, e, agg);
        return;
    }
    if (!sqlitebe_fn_has_impl(fn)) {
        not_exec(x, ir_fn_is_aggregate(fn) ? "an aggregate without a SQLite implementation"
                                           : "a function without a SQLite implementation");
        sb_puts(sb, "NULL");
        return;
    }
    bool en = flags & IR_FL_EMPTY_IS_NULL;
    bool wrap = en && e->type.kind == IR_TY_STRING;
    if (n > 0 && temporal(a[0]))
        flags |= SQLITEBE_ARG_TEMPORAL;
    else if (n > 0 && fn == IR_FN_TO_CHAR && a[0]->type.kind == IR_TY_UNKNOWN)
        flags |= SQLITEBE_ARG_UNTYPED;
    if (wrap)
        sb_puts(sb, "NULLIF(");
    sb_printf(sb, "etl_%s(", ir_fn_get(fn)->name);
    emit_args(x, sb, e, 0, n, en);
    sb_printf(sb, "%s%u)", n ? ", " : "", flags);
    if (wrap)
        sb_puts(sb, ", '')");
}

/* The read-back form of a generated row id (Spark monotonically_increasing_id(), Snowflake SEQ8()):
 * the backends number rows with it to keep the first lookup match. */
static bool generated_row_id(const ir_expr *e)
{
    const char *t = e->u.hole.text ? e->u.hole.text : "";
    return (e->u.hole.reason && strcmp(e->u.hole.reason, "generated row id") == 0) || strcasecmp(t, "SEQ8()") == 0 ||
           strcasecmp(t, "SEQ4()") == 0;
}

static void emit(ectx *x, strbuf *sb, const ir_expr *e)
{
    switch (e->kind) {
    case IR_EX_LIT: emit_lit(sb, e); return;
    case IR_EX_REF: emit_ref(x, sb, e); return;
    case IR_EX_PARAM: emit_param(x, sb, e); return;
    case IR_EX_CALL:
        if (e->u.call.fn == IR_FN_SEQ_NEXT) {
            /* a sequence's value is state outside the job: a generated key, as a hole's is */
            not_exec(x, "generated key (sequence)");
            sb_puts(sb, x->q->env->merge_rows ? NEW_KEY_SQL : "NULL");
            return;
        }
        emit_call(x, sb, e);
        return;
    case IR_EX_HOLE:
        if (generated_row_id(e)) { /* a unique, increasing id per row, as the engines give */
            sb_puts(sb, "row_number() OVER ()");
            return;
        }
        not_exec(x, e->u.hole.reason && *e->u.hole.reason ? e->u.hole.reason : "a hole");
        if (x->q->env->merge_rows && sqlitebe_generated_key(e->u.hole.reason))
            sb_puts(sb, NEW_KEY_SQL);
        else
            sb_puts(sb, "NULL");
        return;
    default:
        not_exec(x, "a SQL-shaped expression");
        sb_puts(sb, "NULL");
        return;
    }
}

/* ---- nodes ---- */

static const ir_node *input(const qctx *q, const ir_node *n, int k)
{
    return k < n->n_inputs ? ir_job_node(q->job, n->inputs[k]) : NULL;
}

/* The most rows a normalize node with a count makes of one input row in execution. */
#define NORMALIZE_MAX_COUNT 1000

static void cte_open(qctx *q, const ir_node *n, const char *suffix)
{
    sb_puts(&q->ctes, q->n_ctes++ ? ",\n" : "WITH ");
    sb_printf(&q->ctes, "n%d%s AS (", n->id, suffix);
}

/* A row-shaping expression (predicate, key): not executable makes the target not executable —
 * except, with merge_rows, a generated key (a value unique per row and never NULL, as a sequence's
 * values are: a partition by it puts each row in its own, `IS NULL` is false). */
static void emit_shaping(qctx *q, const ir_node *n, strbuf *sb, const ir_expr *e, bool self)
{
    ectx x = {q, n, self, false, false, NULL};
    emit(&x, sb, e);
    if (x.why && !(q->env->merge_rows && sqlitebe_generated_key(x.why))) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s in a row-shaping step of '%s'", x.why, n->name ? n->name : "?");
        fail(q, "%s", buf);
    }
}

/* The input column that a column without an expression passes through: "i<k>."NAME"". */
static bool passthrough(qctx *q, const ir_node *n, const char *col, strbuf *sb, int *k_out)
{
    for (int k = 0; k < n->n_inputs; k++) {
        const ir_node *in = input(q, n, k);
        if (in && ir_node_col_ci(in, col)) {
            sb_printf(sb, "i%d.", k);
            sqlitebe_put_ident(sb, ir_node_col_ci(in, col)->name);
            if (k_out)
                *k_out = k;
            return true;
        }
    }
    return false;
}

static bool passthrough_name(qctx *q, const ir_node *n, const char *col, strbuf *sb)
{
    return passthrough(q, n, col, sb, NULL);
}

/* The SQL of one output column into v: its expression, else the input column of its name.
 * Returns NULL, or why the column is not executable. */
static const char *col_value(qctx *q, const ir_node *n, const ir_column *c, strbuf *v, bool agg, bool window)
{
    if (c->expr) {
        ectx x = {q, n, false, agg, window, NULL};
        emit(&x, v, c->expr);
        return x.why;
    }
    int k = 0;
    if (!passthrough(q, n, c->name, v, &k))
        return "a column without an expression and no input column of its name";
    return poisoned(q, n->inputs[k], c->name);
}

/* Writes c's value; when it cannot be computed the column is poisoned (left out of the comparison,
 * with why) and NULL is written, or under merge_rows the text col_value wrote. */
static void put_col_value(qctx *q, const ir_node *n, const ir_column *c, strbuf *sb, bool agg, bool window)
{
    strbuf v = STRBUF_INIT;
    const char *why = col_value(q, n, c, &v, agg, window);
    if (why)
        poison_add(q, n->id, c->name, why);
    sb_puts(sb, why && !q->env->merge_rows ? "NULL" : sb_cstr(&v));
    sb_free(&v);
}

/* The select list of a node: computed columns, pass-through columns, NULL for what is not
 * executable (recorded as poisoned). */
static void emit_cols(qctx *q, const ir_node *n, strbuf *sb, bool agg, bool window)
{
    for (int i = 0; i < n->n_cols; i++) {
        const ir_column *c = &n->cols[i];
        if (i)
            sb_puts(sb, ", ");
        put_col_value(q, n, c, sb, agg, window);
        sb_puts(sb, " AS ");
        sqlitebe_put_ident(sb, c->name);
    }
    if (!n->n_cols)
        sb_puts(sb, "NULL AS \"__none\"");
}

static void emit_order(qctx *q, const ir_node *n, strbuf *sb, bool invert)
{
    for (int i = 0; i < n->n_order; i++) {
        const ir_sort_key *k = &n->order[i];
        int nulls = k->nulls ? k->nulls : (q->env->nulls_high != k->desc) ? 2 : 1; /* 1 first, 2 last */
        bool desc = k->desc != invert;
        if (invert)
            nulls = 3 - nulls;
        sb_puts(sb, i ? ", " : " ORDER BY ");
        emit_shaping(q, n, sb, k->expr, false);
        sb_puts(sb, desc ? " DESC" : " ASC");
        sb_puts(sb, nulls == 1 ? " NULLS FIRST" : " NULLS LAST");
    }
}

static void emit_partition(qctx *q, const ir_node *n, strbuf *sb)
{
    for (int i = 0; i < n->n_keys; i++) {
        sb_puts(sb, i ? ", " : "PARTITION BY ");
        emit_shaping(q, n, sb, n->keys[i], false);
    }
}

static void put_bound(strbuf *sb, ir_frame_bound b)
{
    switch (b.kind) {
    case IR_BOUND_UNBOUNDED_PRECEDING: sb_puts(sb, "UNBOUNDED PRECEDING"); break;
    case IR_BOUND_PRECEDING: sb_printf(sb, "%lld PRECEDING", (long long)b.offset); break;
    case IR_BOUND_CURRENT_ROW: sb_puts(sb, "CURRENT ROW"); break;
    case IR_BOUND_FOLLOWING: sb_printf(sb, "%lld FOLLOWING", (long long)b.offset); break;
    default: sb_puts(sb, "UNBOUNDED FOLLOWING"); break;
    }
}

/* A helper CTE n<id>_r: the input with "__rn", the row number per partition in order; rows tied
 * in the order go by their input position "__seq" (reversed with reverse_ties). A rank node
 * numbers with rank() instead, tied rows sharing a rank, as both backends write the legacy rank
 * index. */
static void numbered(qctx *q, const ir_node *n, const char *in_name, bool invert)
{
    bool rank = n->op == IR_OP_RANK;
    cte_open(q, n, "_r");
    sb_printf(&q->ctes, "SELECT i0.*, %s() OVER (", rank ? "rank" : "row_number");
    emit_partition(q, n, &q->ctes);
    emit_order(q, n, &q->ctes, invert);
    if (!rank) {
        sb_puts(&q->ctes, n->n_order ? ", " : " ORDER BY ");
        sb_printf(&q->ctes, "i0.\"__seq\"%s", q->env->reverse_ties ? " DESC" : "");
    }
    sb_printf(&q->ctes, ") AS \"__rn\" FROM (SELECT *, row_number() OVER () AS \"__seq\" FROM %s) AS i0)", in_name);
}

static void emit_node(qctx *q, const ir_node *n);

static void emit_lookup(qctx *q, const ir_node *n)
{
    strbuf from = STRBUF_INIT;
    bool one = n->match == IR_MATCH_FIRST || n->match == IR_MATCH_LAST || n->match == IR_MATCH_ANY;
    if (one)
        sb_printf(&from, "(SELECT *, row_number() OVER () AS \"__rid\" FROM n%d) AS i0 LEFT JOIN "
                         "(SELECT *, row_number() OVER () AS \"__lid\" FROM n%d) AS i1 ON ",
                  n->inputs[0], n->inputs[1]);
    else
        sb_printf(&from, "n%d AS i0 LEFT JOIN n%d AS i1 ON ", n->inputs[0], n->inputs[1]);
    if (n->predicate)
        emit_shaping(q, n, &from, n->predicate, false);
    else
        sb_puts(&from, "1");
    if (one) {
        cte_open(q, n, "_m");
        sb_puts(&q->ctes, "SELECT ");
        emit_cols(q, n, &q->ctes, false, false);
        sb_printf(&q->ctes, ", row_number() OVER (PARTITION BY i0.\"__rid\" ORDER BY i1.\"__lid\"%s) AS \"__m\" FROM %s)",
                  (n->match == IR_MATCH_LAST) != q->env->reverse_ties ? " DESC" : "", sb_cstr(&from));
        cte_open(q, n, "");
        sb_puts(&q->ctes, "SELECT ");
        for (int i = 0; i < n->n_cols; i++) {
            if (i)
                sb_puts(&q->ctes, ", ");
            sqlitebe_put_ident(&q->ctes, n->cols[i].name);
        }
        sb_printf(&q->ctes, " FROM n%d_m WHERE \"__m\" = 1)", n->id);
    } else {
        cte_open(q, n, "");
        sb_puts(&q->ctes, "SELECT ");
        emit_cols(q, n, &q->ctes, false, false);
        sb_printf(&q->ctes, " FROM %s)", sb_cstr(&from));
    }
    sb_free(&from);
}

static const char *row_op_col(const qctx *q, const ir_node *n)
{
    const ir_node *in = input(q, n, 0);
    if (!in)
        return NULL;
    for (int i = 0; i < in->n_cols; i++)
        if (in->cols[i].flags & IR_COL_ROW_OP)
            return in->cols[i].name;
    return NULL;
}

static void emit_target(qctx *q, const ir_node *n)
{
    bool merge = n->load == IR_LOAD_MERGE;
    if (merge && !q->env->merge_rows) {
        fail(q, "a MERGE load (the target's prior rows are not modelled)%s", NULL);
        return;
    }
    const char *rop = row_op_col(q, n);
    if (merge && !rop && q->env->merge_rowop && ir_node_col_ci(input(q, n, 0), q->env->merge_rowop))
        rop = ir_node_col_ci(input(q, n, 0), q->env->merge_rowop)->name;
    if (merge && rop && poisoned(q, n->inputs[0], rop)) {
        fail(q, "the row operation of the MERGE is not executable (%s)", poisoned(q, n->inputs[0], rop));
        return;
    }
    cte_open(q, n, "");
    sb_puts(&q->ctes, "SELECT ");
    bool first = true;
    for (int i = 0; i < n->n_cols; i++) {
        const ir_column *c = &n->cols[i];
        if (c->flags & IR_COL_ROW_OP)
            continue;
        if (!first)
            sb_puts(&q->ctes, ", ");
        first = false;
        strbuf v = STRBUF_INIT;
        const char *why = col_value(q, n, c, &v, false, false);
        const ir_type *ty = q->env->coltype ? q->env->coltype(q->env->userdata, n->dataset, c->name) : NULL;
        if (!ty)
            ty = &c->type;
        if (why)
            poison_add(q, n->id, c->name, why);
        if (why && !merge) {
            sb_puts(&q->ctes, "NULL");
        } else if (ty->kind != IR_TY_UNKNOWN && ty->kind != IR_TY_BINARY) {
            char buf[64];
            ir_type tt = *ty;
            if (tt.kind == IR_TY_STRING)
                tt.precision = 0; /* lengths are not enforced */
            ir_type_format(tt, buf, sizeof buf);
            sb_printf(&q->ctes, "etl_cast(%s, ", sb_cstr(&v));
            sqlitebe_put_string(&q->ctes, buf);
            sb_puts(&q->ctes, ", 0)");
        } else {
            sb_puts(&q->ctes, sb_cstr(&v));
        }
        sb_free(&v);
        sb_puts(&q->ctes, " AS ");
        sqlitebe_put_ident(&q->ctes, c->name);
    }
    if (merge) {
        sb_puts(&q->ctes, first ? "" : ", ");
        first = false;
        if (rop) {
            sb_puts(&q->ctes, "i0.");
            sqlitebe_put_ident(&q->ctes, rop);
        } else {
            sb_puts(&q->ctes, "NULL");
        }
        sb_puts(&q->ctes, " AS \"__op\"");
    }
    if (first)
        sb_puts(&q->ctes, "NULL AS \"__none\"");
    sb_printf(&q->ctes, " FROM n%d AS i0", n->inputs[0]);
    if (rop && !merge) {
        sb_puts(&q->ctes, " WHERE coalesce(i0.");
        sqlitebe_put_ident(&q->ctes, rop);
        sb_puts(&q->ctes, ", 0) <> 3");
    }
    sb_putc(&q->ctes, ')');
}

/* Whether n has exactly k inputs; if not, the target is not executable. */
static bool inputs_ok(qctx *q, const ir_node *n, int k)
{
    if (n->n_inputs == k)
        return true;
    char buf[160];
    snprintf(buf, sizeof buf, "'%s' (%s) does not have %d input%s", n->name ? n->name : "?", ir_op_name(n->op), k,
             k == 1 ? "" : "s");
    fail(q, "%s", buf);
    return false;
}

static void emit_node(qctx *q, const ir_node *n)
{
    int idx = node_index(q->job, n->id);
    if (idx < 0 || q->done[idx] || q->fail)
        return;
    q->done[idx] = true;
    for (int k = 0; k < n->n_inputs; k++) {
        const ir_node *in = input(q, n, k);
        if (!in) {
            fail(q, "a node input that does not exist%s", NULL);
            return;
        }
        emit_node(q, in);
    }
    if (q->fail)
        return;
    strbuf *sb = &q->ctes;
    switch (n->op) {
    case IR_OP_SOURCE: {
        if (n->sql) {
            fail(q, "the source '%s' reads through an SQL override (not executed)", n->name);
            return;
        }
        const char *table = n->dataset ? q->env->table(q->env->userdata, n->dataset) : NULL;
        if (!table) {
            fail(q, "no generated data for the source dataset '%s'", n->dataset ? n->dataset : n->name);
            return;
        }
        cte_open(q, n, "");
        sb_puts(sb, n->distinct ? "SELECT DISTINCT " : "SELECT ");
        for (int i = 0; i < n->n_cols; i++) {
            if (i)
                sb_puts(sb, ", ");
            sqlitebe_put_ident(sb, n->cols[i].name);
        }
        if (!n->n_cols)
            sb_putc(sb, '*');
        sb_puts(sb, " FROM ");
        sqlitebe_put_ident(sb, table);
        if (n->predicate) {
            sb_puts(sb, " WHERE ");
            emit_shaping(q, n, sb, n->predicate, true);
        }
        sb_putc(sb, ')');
        return;
    }
    case IR_OP_PROJECT:
    case IR_OP_ROUTER:
    case IR_OP_UPDATE:
    case IR_OP_FILTER:
    case IR_OP_AGGREGATE:
    case IR_OP_SORT:
    case IR_OP_WINDOW: {
        if (!inputs_ok(q, n, 1))
            return;
        cte_open(q, n, "");
        bool distinct = n->op == IR_OP_SORT && n->distinct;
        sb_puts(sb, distinct ? "SELECT DISTINCT " : "SELECT ");
        emit_cols(q, n, sb, n->op == IR_OP_AGGREGATE, n->op == IR_OP_WINDOW);
        sb_printf(sb, " FROM n%d AS i0", n->inputs[0]);
        if (n->op == IR_OP_FILTER && n->predicate) {
            sb_puts(sb, " WHERE ");
            emit_shaping(q, n, sb, n->predicate, false);
        }
        if (n->op == IR_OP_AGGREGATE) {
            for (int i = 0; i < n->n_keys; i++) {
                sb_puts(sb, i ? ", " : " GROUP BY ");
                emit_shaping(q, n, sb, n->keys[i], false);
            }
            if (!n->n_keys && !n->empty_row)
                sb_puts(sb, " HAVING count(*) > 0");
        }
        if (n->op == IR_OP_SORT && !distinct)
            emit_order(q, n, sb, false);
        if (n->op == IR_OP_WINDOW) {
            sb_puts(sb, " WINDOW w AS (");
            emit_partition(q, n, sb);
            emit_order(q, n, sb, false);
            ir_frame d = ir_frame_default();
            if (!ir_frame_equal(n->frame, d) || !n->n_order) {
                if (n->n_order || n->frame.unit == IR_FRAME_ROWS) {
                    sb_puts(sb, n->frame.unit == IR_FRAME_ROWS ? " ROWS BETWEEN " : " RANGE BETWEEN ");
                    put_bound(sb, n->frame.start);
                    sb_puts(sb, " AND ");
                    put_bound(sb, n->frame.end);
                }
            }
            sb_putc(sb, ')');
        }
        sb_putc(sb, ')');
        return;
    }
    case IR_OP_JOIN: {
        if (!inputs_ok(q, n, 2))
            return;
        static const char *kinds[] = {"INNER", "LEFT", "RIGHT", "FULL", "CROSS"};
        cte_open(q, n, "");
        sb_puts(sb, "SELECT ");
        emit_cols(q, n, sb, false, false);
        sb_printf(sb, " FROM n%d AS i0 %s JOIN n%d AS i1", n->inputs[0], kinds[n->join], n->inputs[1]);
        if (n->join != IR_JOIN_CROSS) {
            sb_puts(sb, " ON ");
            if (n->predicate)
                emit_shaping(q, n, sb, n->predicate, false);
            else
                sb_puts(sb, "1");
        }
        sb_putc(sb, ')');
        return;
    }
    case IR_OP_LOOKUP:
        if (!inputs_ok(q, n, 2))
            return;
        emit_lookup(q, n);
        return;
    case IR_OP_UNION:
        cte_open(q, n, "");
        for (int k = 0; k < n->n_inputs; k++) {
            const ir_node *in = input(q, n, k);
            if (k)
                sb_puts(sb, " UNION ALL ");
            sb_puts(sb, "SELECT ");
            for (int i = 0; i < n->n_cols; i++) {
                if (i)
                    sb_puts(sb, ", ");
                if (i >= in->n_cols) {
                    fail(q, "a union input with fewer columns than '%s'", n->name);
                    return;
                }
                const char *why = poisoned(q, in->id, in->cols[i].name);
                if (why) {
                    if (!poisoned(q, n->id, n->cols[i].name))
                        poison_add(q, n->id, n->cols[i].name, why);
                    sb_puts(sb, "NULL");
                } else {
                    sb_puts(sb, "i0.");
                    sqlitebe_put_ident(sb, in->cols[i].name);
                }
                sb_puts(sb, " AS ");
                sqlitebe_put_ident(sb, n->cols[i].name);
            }
            sb_printf(sb, " FROM n%d AS i0", in->id);
        }
        sb_putc(sb, ')');
        return;
    case IR_OP_DEDUP:
    case IR_OP_RANK: {
        char in_name[32];
        snprintf(in_name, sizeof in_name, "n%d", n->inputs[0]);
        bool invert = n->op == IR_OP_DEDUP ? n->keep_last : n->bottom;
        numbered(q, n, in_name, invert);
        cte_open(q, n, "");
        sb_puts(sb, "SELECT ");
        for (int i = 0; i < n->n_cols; i++) {
            const ir_column *c = &n->cols[i];
            if (i)
                sb_puts(sb, ", ");
            if (!c->expr && !ir_node_col_ci(input(q, n, 0), c->name)) {
                sb_puts(sb, "i0.\"__rn\""); /* the rank index */
            } else {
                put_col_value(q, n, c, sb, false, false);
            }
            sb_puts(sb, " AS ");
            sqlitebe_put_ident(sb, c->name);
        }
        sb_printf(sb, " FROM n%d_r AS i0 WHERE i0.\"__rn\" ", n->id);
        if (n->op == IR_OP_DEDUP)
            sb_puts(sb, "= 1)");
        else
            sb_printf(sb, "<= %lld)", (long long)n->top_n);
        return;
    }
    case IR_OP_NORMALIZE:
        if (n->occurs == 0 && n->count) {
            /* 1 .. the largest count (at most NORMALIZE_MAX_COUNT), then each row joined to its
             * first count numbers */
            strbuf cnt = STRBUF_INIT;
            emit_shaping(q, n, &cnt, n->count, false);
            cte_open(q, n, "_occ");
            sb_printf(sb, "SELECT 1 AS k UNION ALL SELECT k + 1 FROM n%d_occ WHERE k < min(%d, (SELECT max(CAST(%s AS "
                          "INTEGER)) FROM n%d AS i0)))",
                      n->id, NORMALIZE_MAX_COUNT, sb_cstr(&cnt), n->inputs[0]);
            cte_open(q, n, "");
            sb_puts(sb, "SELECT ");
            for (int i = 0; i < n->n_cols; i++) {
                const ir_column *c = &n->cols[i];
                if (i)
                    sb_puts(sb, ", ");
                if (c->flags & IR_COL_OCCURRENCE)
                    sb_puts(sb, "o.k");
                else
                    put_col_value(q, n, c, sb, false, false);
                sb_puts(sb, " AS ");
                sqlitebe_put_ident(sb, c->name);
            }
            sb_printf(sb, " FROM n%d AS i0 JOIN n%d_occ AS o ON o.k <= CAST(%s AS INTEGER))", n->inputs[0], n->id,
                      sb_cstr(&cnt));
            sb_free(&cnt);
            return;
        }
        cte_open(q, n, "");
        for (int k = 0; k < (n->occurs > 0 ? n->occurs : 1); k++) {
            if (k)
                sb_puts(sb, " UNION ALL ");
            sb_puts(sb, "SELECT ");
            for (int i = 0; i < n->n_cols; i++) {
                const ir_column *c = &n->cols[i];
                if (i)
                    sb_puts(sb, ", ");
                const ir_expr *e = c->n_alts > k ? c->alts[k] : c->expr;
                strbuf v = STRBUF_INIT;
                const char *why = NULL;
                if (e) {
                    ectx x = {q, n, false, false, false, NULL};
                    emit(&x, &v, e);
                    why = x.why;
                } else if (c->flags & IR_COL_GENERATED) {
                    if (strncasecmp(c->name, "GCID", 4) == 0)
                        sb_printf(&v, "%d", k + 1);
                    else
                        why = "a generated key (normalizer)";
                } else {
                    int kk = 0;
                    if (!passthrough(q, n, c->name, &v, &kk))
                        why = "a normalizer column without a value";
                    else
                        why = poisoned(q, n->inputs[kk], c->name);
                }
                if (why && k == 0)
                    poison_add(q, n->id, c->name, why);
                sb_puts(sb, why ? "NULL" : sb_cstr(&v));
                sb_free(&v);
                sb_puts(sb, " AS ");
                sqlitebe_put_ident(sb, c->name);
            }
            sb_printf(sb, " FROM n%d AS i0", n->inputs[0]);
        }
        sb_putc(sb, ')');
        return;
    case IR_OP_SEQUENCE:
        cte_open(q, n, "");
        sb_puts(sb, "SELECT ");
        for (int i = 0; i < n->n_cols; i++) {
            const ir_column *c = &n->cols[i];
            if (i)
                sb_puts(sb, ", ");
            int k = 0;
            strbuf v = STRBUF_INIT;
            if (!(c->flags & IR_COL_GENERATED) && passthrough(q, n, c->name, &v, &k) &&
                !poisoned(q, n->inputs[k], c->name)) {
                sb_puts(sb, sb_cstr(&v));
            } else {
                poison_add(q, n->id, c->name, "a generated key (sequence)");
                sb_puts(sb, q->env->merge_rows && c->flags & IR_COL_GENERATED ? NEW_KEY_SQL : "NULL");
            }
            sb_free(&v);
            sb_puts(sb, " AS ");
            sqlitebe_put_ident(sb, c->name);
        }
        if (!n->n_cols)
            sb_puts(sb, "NULL AS \"__none\"");
        if (n->n_inputs)
            sb_printf(sb, " FROM n%d AS i0", n->inputs[0]);
        sb_putc(sb, ')');
        return;
    case IR_OP_TARGET:
        if (!inputs_ok(q, n, 1))
            return;
        emit_target(q, n);
        return;
    case IR_OP_PROCEDURE: {
        const char *table = q->env->procedure ? q->env->procedure(q->env->userdata, n) : NULL;
        if (!table) {
            fail(q, "a procedural node or hole upstream ('%s')", n->name ? n->name : "?");
            return;
        }
        cte_open(q, n, "");
        sb_puts(sb, "SELECT ");
        for (int i = 0; i < n->n_cols; i++) {
            sb_puts(sb, i ? ", " : "");
            sqlitebe_put_ident(sb, n->cols[i].name);
        }
        if (!n->n_cols)
            sb_putc(sb, '*');
        sb_puts(sb, " FROM ");
        sqlitebe_put_ident(sb, table);
        sb_putc(sb, ')');
        return;
    }
    default:
        fail(q, "a procedural node or hole upstream ('%s')", n->name ? n->name : "?");
        return;
    }
}

int sqlitebe_target_query(sqlitebe_query *out, const ir_job *job, const ir_node *target, const sqlitebe_env *env)
{
    memset(out, 0, sizeof *out);
    qctx q = {0};
    q.job = job;
    q.env = env;
    sb_init(&q.ctes);
    q.done = calloc((size_t)job->n_nodes + 1, sizeof *q.done);
    if (!q.done)
        abort();
    emit_node(&q, target);
    int n = 0;
    for (int i = 0; i < target->n_cols; i++)
        n += !(target->cols[i].flags & IR_COL_ROW_OP);
    out->cols = calloc((size_t)n + 1, sizeof *out->cols);
    out->skip = calloc((size_t)n + 1, sizeof *out->skip);
    if (!out->cols || !out->skip)
        abort();
    for (int i = 0; i < target->n_cols; i++) {
        if (target->cols[i].flags & IR_COL_ROW_OP)
            continue;
        const char *why = poisoned(&q, target->id, target->cols[i].name);
        out->skip[out->n_cols] = why ? strdup(why) : NULL;
        out->cols[out->n_cols++] = target->cols[i].name;
    }
    if (q.fail) {
        out->why = q.fail;
    } else {
        sb_printf(&q.ctes, "\nSELECT * FROM n%d", target->id);
        out->sql = sb_take(&q.ctes);
    }
    sb_free(&q.ctes);
    free(q.done);
    free(q.poisons);
    return 0;
}

void sqlitebe_query_clear(sqlitebe_query *q)
{
    free(q->sql);
    free(q->why);
    for (int i = 0; i < q->n_cols; i++)
        free((char *)q->skip[i]);
    free(q->skip);
    free(q->cols);
    memset(q, 0, sizeof *q);
}

int sqlitebe_const_sql(strbuf *sb, const ir_job *job, const ir_expr *e)
{
    if (ir_expr_contains(e, IR_EXPR_MASK(IR_EX_REF) | IR_EXPR_MASK(IR_EX_HOLE)))
        return -1;
    sqlitebe_env env = {.params = job};
    qctx q = {0};
    q.job = job;
    q.env = &env;
    ir_node none = {0};
    ectx x = {&q, &none, false, false, false, NULL};
    emit(&x, sb, e);
    return x.why ? -1 : 0;
}

bool sqlitebe_fn_supported(ir_fn fn)
{
    switch (fn) {
    case IR_FN_ADD: case IR_FN_SUB: case IR_FN_MUL: case IR_FN_NEG: case IR_FN_EQ: case IR_FN_NE:
    case IR_FN_LT: case IR_FN_LE: case IR_FN_GT: case IR_FN_GE: case IR_FN_IN: case IR_FN_AND:
    case IR_FN_OR: case IR_FN_NOT: case IR_FN_IF: case IR_FN_CASE: case IR_FN_DECODE: case IR_FN_COALESCE:
    case IR_FN_NULLIF: case IR_FN_IS_NULL: case IR_FN_SUM: case IR_FN_AVG: case IR_FN_COUNT:
    case IR_FN_COUNT_STAR: case IR_FN_MIN: case IR_FN_MAX: case IR_FN_ROW_NUMBER: case IR_FN_RANK:
    case IR_FN_DENSE_RANK: case IR_FN_PERCENT_RANK: case IR_FN_CUME_DIST: case IR_FN_NTILE: case IR_FN_LAG:
    case IR_FN_LEAD: case IR_FN_FIRST_VALUE: case IR_FN_LAST_VALUE: case IR_FN_ARRAY_CONSTRUCT:
    case IR_FN_ARRAY_SIZE: case IR_FN_ARRAY_GET: case IR_FN_ARRAY_CONTAINS: case IR_FN_ARRAY_CAT:
    case IR_FN_ARRAY_APPEND: case IR_FN_ARRAY_AGG: case IR_FN_ARRAY_SLICE: case IR_FN_ARRAY_SORT:
    case IR_FN_ARRAY_REVERSE: case IR_FN_ARRAY_MAX: case IR_FN_ARRAY_MIN: case IR_FN_ARRAY_DISTINCT:
    case IR_FN_ARRAY_EXCEPT: case IR_FN_ARRAY_REMOVE: case IR_FN_ARRAY_COMPACT:
        return true;
    default:
        return sqlitebe_fn_has_impl(fn) || sqlitebe_agg_name(fn) != NULL;
    }
}
