/*
 * ir.c — IR tables (functions, ops, flags, types) and construction. Analysis lives in
 * ir_types.c / ir_canon.c, JSON in ir_json.c.
 */
#include "ir/ir.h"
#include "ir/ir_sql.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const ir_fn_info fn_table[IR_FN__COUNT] = {
#define X(id, name, minargs, maxargs, trule, nrule, meaning) {name, minargs, maxargs, trule, nrule, meaning},
#include "ir/functions.def"
#undef X
};

static const char *const op_names[IR_OP__COUNT] = {
#define X(id, name, meaning) name,
#include "ir/ops.def"
#undef X
};

static const char *const type_names[IR_TY__COUNT] = {
#define X(id, name, meaning) name,
#include "ir/types.def"
#undef X
};

static const struct {
    unsigned bit;
    const char *name;
} flag_table[] = {
#define X(id, bit, name, meaning) {bit, name},
#include "ir/flags.def"
#undef X
};

const ir_fn_info *ir_fn_get(ir_fn fn)
{
    if ((int)fn < 0 || fn >= IR_FN__COUNT)
        return NULL;
    return &fn_table[fn];
}

char *ir_regex_to_like(const char *re, char esc)
{
    strbuf sb = STRBUF_INIT;
    for (const char *p = re; *p; p++) {
        char ch = *p;
        if (ch == '\\') {
            if (!p[1] || isalnum((unsigned char)p[1]) || (unsigned char)p[1] >= 0x80)
                goto no; /* \d, \w ... are classes, not characters */
            ch = *++p;
        } else if (ch == '.') {
            if (p[1] == '*') {
                p++;
                sb_putc(&sb, '%');
            } else {
                sb_putc(&sb, '_');
            }
            continue;
        } else if (strchr("^$*+?()[]{}|", ch)) {
            goto no;
        }
        if (ch == '%' || ch == '_' || (esc && ch == esc)) {
            if (!esc)
                goto no;
            sb_putc(&sb, esc);
        }
        sb_putc(&sb, ch);
    }
    return sb_take(&sb);
no:
    sb_free(&sb);
    return NULL;
}

int ir_fn_by_name(const char *name)
{
    for (int i = 0; i < IR_FN__COUNT; i++)
        if (strcmp(fn_table[i].name, name) == 0)
            return i;
    return -1;
}

int ir_ordered_agg_keys(const ir_expr *e, ir_sort_key *out, int max)
{
    if (!e || e->kind != IR_EX_CALL)
        return -1;
    int first = e->u.call.fn == IR_FN_STRING_AGG_ORDERED ? 2 : e->u.call.fn == IR_FN_ARRAY_AGG_ORDERED ? 1 : -1;
    if (first < 0 || (e->u.call.n_args - first) % 2 != 0)
        return -1;
    int n = 0;
    for (int i = first; i + 1 < e->u.call.n_args; i += 2) {
        const ir_expr *d = e->u.call.args[i + 1];
        if (n >= max || d->kind != IR_EX_LIT || d->u.lit.kind != IR_LIT_STRING || !d->u.lit.text)
            return -1;
        int k = -1;
        for (int desc = 0; desc < 2 && k < 0; desc++)
            for (int nf = 0; nf < 2 && k < 0; nf++)
                if (strcmp(d->u.lit.text, ir_order_direction(desc, nf)) == 0)
                    k = desc * 2 + nf;
        if (k < 0)
            return -1;
        out[n].expr = e->u.call.args[i];
        out[n].desc = k >= 2;
        out[n].nulls = (int8_t)((k & 1) ? 1 : 2);
        n++;
    }
    return n;
}

const char *ir_order_direction(bool desc, int nulls_first)
{
    return desc ? (nulls_first ? "desc nulls first" : "desc nulls last") : (nulls_first ? "asc nulls first" : "asc nulls last");
}

bool ir_fn_is_aggregate(ir_fn fn)
{
    switch (fn) {
    case IR_FN_SUM: case IR_FN_AVG: case IR_FN_COUNT: case IR_FN_COUNT_STAR: case IR_FN_MIN:
    case IR_FN_MAX: case IR_FN_FIRST: case IR_FN_LAST: case IR_FN_MEDIAN: case IR_FN_STDDEV:
    case IR_FN_VARIANCE: case IR_FN_PERCENTILE: case IR_FN_ANY_VALUE: case IR_FN_BOOL_AND:
    case IR_FN_BOOL_OR: case IR_FN_BIT_AND: case IR_FN_BIT_OR: case IR_FN_STDDEV_POP: case IR_FN_VAR_POP:
    case IR_FN_COVAR_POP: case IR_FN_COVAR_SAMP: case IR_FN_CORR: case IR_FN_REGR_SLOPE:
    case IR_FN_REGR_INTERCEPT: case IR_FN_REGR_R2: case IR_FN_REGR_COUNT: case IR_FN_REGR_AVGX:
    case IR_FN_REGR_AVGY: case IR_FN_REGR_SXX: case IR_FN_REGR_SYY: case IR_FN_REGR_SXY:
    case IR_FN_STRING_AGG: case IR_FN_ARRAY_AGG: case IR_FN_STRING_AGG_ORDERED: case IR_FN_ARRAY_AGG_ORDERED:
        return true;
    default:
        return false;
    }
}

bool ir_fn_is_window(ir_fn fn)
{
    switch (fn) {
    case IR_FN_ROW_NUMBER: case IR_FN_RANK: case IR_FN_DENSE_RANK: case IR_FN_PERCENT_RANK:
    case IR_FN_CUME_DIST: case IR_FN_NTILE: case IR_FN_LAG: case IR_FN_LEAD: case IR_FN_FIRST_VALUE:
    case IR_FN_LAST_VALUE:
        return true;
    default:
        return false;
    }
}

bool ir_fn_uses_frame(ir_fn fn)
{
    return fn == IR_FN_FIRST_VALUE || fn == IR_FN_LAST_VALUE || ir_fn_is_aggregate(fn);
}

ir_frame ir_frame_default(void)
{
    ir_frame f = {IR_FRAME_RANGE, {IR_BOUND_UNBOUNDED_PRECEDING, 0}, {IR_BOUND_CURRENT_ROW, 0}};
    return f;
}

static bool bound_equal(ir_frame_bound a, ir_frame_bound b)
{
    if (a.kind != b.kind)
        return false;
    return (a.kind != IR_BOUND_PRECEDING && a.kind != IR_BOUND_FOLLOWING) || a.offset == b.offset;
}

bool ir_frame_equal(ir_frame a, ir_frame b)
{
    return a.unit == b.unit && bound_equal(a.start, b.start) && bound_equal(a.end, b.end);
}

static void bound_text(strbuf *sb, ir_frame_bound b)
{
    switch (b.kind) {
    case IR_BOUND_UNBOUNDED_PRECEDING: sb_puts(sb, "unbounded preceding"); break;
    case IR_BOUND_PRECEDING: sb_printf(sb, "%lld preceding", (long long)b.offset); break;
    case IR_BOUND_CURRENT_ROW: sb_puts(sb, "current row"); break;
    case IR_BOUND_FOLLOWING: sb_printf(sb, "%lld following", (long long)b.offset); break;
    case IR_BOUND_UNBOUNDED_FOLLOWING: sb_puts(sb, "unbounded following"); break;
    }
}

void ir_frame_to_text(strbuf *sb, ir_frame f)
{
    sb_puts(sb, f.unit == IR_FRAME_ROWS ? "rows between " : "range between ");
    bound_text(sb, f.start);
    sb_puts(sb, " and ");
    bound_text(sb, f.end);
}

const char *ir_op_name(ir_op op)
{
    return (int)op >= 0 && op < IR_OP__COUNT ? op_names[op] : "?";
}

int ir_op_by_name(const char *name)
{
    for (int i = 0; i < IR_OP__COUNT; i++)
        if (strcmp(op_names[i], name) == 0)
            return i;
    return -1;
}

const char *ir_flag_name(unsigned bit)
{
    for (size_t i = 0; i < sizeof flag_table / sizeof flag_table[0]; i++)
        if (flag_table[i].bit == bit)
            return flag_table[i].name;
    return NULL;
}

int ir_flag_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof flag_table / sizeof flag_table[0]; i++)
        if (strcmp(flag_table[i].name, name) == 0)
            return (int)(1u << flag_table[i].bit);
    return 0;
}

/* ---- types ---- */

const char *ir_type_kind_name(ir_type_kind k)
{
    return (int)k >= 0 && k < IR_TY__COUNT ? type_names[k] : "unknown";
}

ir_type ir_type_make(ir_type_kind k, int32_t precision, int32_t scale)
{
    ir_type t = {k, precision, scale, IR_TY_UNKNOWN};
    return t;
}

ir_type ir_type_array(ir_type elem)
{
    if (elem.kind == IR_TY_ARRAY)
        return ir_type_make(IR_TY_UNKNOWN, 0, 0);
    ir_type t = {IR_TY_ARRAY, elem.precision, elem.scale, elem.kind};
    return t;
}

ir_type ir_type_elem(ir_type t)
{
    return t.kind == IR_TY_ARRAY ? ir_type_make(t.elem, t.precision, t.scale) : ir_type_make(IR_TY_UNKNOWN, 0, 0);
}

void ir_type_format(ir_type t, char *buf, size_t size)
{
    const char *n = ir_type_kind_name(t.kind);
    if (t.kind == IR_TY_ARRAY) {
        char e[64];
        ir_type_format(ir_type_elem(t), e, sizeof e);
        snprintf(buf, size, "array(%s)", e);
        return;
    }
    switch (t.kind) {
    case IR_TY_DECIMAL:
        if (t.precision > 0)
            snprintf(buf, size, "%s(%d,%d)", n, (int)t.precision, (int)t.scale);
        else
            snprintf(buf, size, "%s", n);
        break;
    case IR_TY_STRING: case IR_TY_BINARY: case IR_TY_TIMESTAMP:
        if (t.precision > 0)
            snprintf(buf, size, "%s(%d)", n, (int)t.precision);
        else
            snprintf(buf, size, "%s", n);
        break;
    default:
        snprintf(buf, size, "%s", n);
    }
}

int ir_type_parse(const char *s, ir_type *out)
{
    memset(out, 0, sizeof *out);
    size_t n = strcspn(s, "(");
    int k = -1;
    for (int i = 0; i < IR_TY__COUNT; i++)
        if (strlen(type_names[i]) == n && strncmp(type_names[i], s, n) == 0)
            k = i;
    if (k < 0)
        return -1;
    out->kind = (ir_type_kind)k;
    if (k == IR_TY_ARRAY) {
        /* array(ELEM): the element type in the form ir_type_format writes, then ')' */
        size_t len = strlen(s);
        if (s[n] != '(' || len < n + 3 || s[len - 1] != ')' || len - n - 2 >= 64)
            return -1;
        char inner[64];
        memcpy(inner, s + n + 1, len - n - 2);
        inner[len - n - 2] = '\0';
        ir_type e;
        if (ir_type_parse(inner, &e) != 0 || e.kind == IR_TY_ARRAY)
            return -1;
        *out = ir_type_array(e);
        return 0;
    }
    if (s[n] == '(') {
        int p = 0, sc = 0;
        if (sscanf(s + n, "(%d,%d)", &p, &sc) == 2) {
            out->precision = p;
            out->scale = sc;
        } else if (sscanf(s + n, "(%d)", &p) == 1) {
            out->precision = p;
        } else {
            return -1;
        }
    }
    return 0;
}

bool ir_type_is_numeric(ir_type t)
{
    return t.kind == IR_TY_INT || t.kind == IR_TY_BIGINT || t.kind == IR_TY_DECIMAL || t.kind == IR_TY_DOUBLE;
}

bool ir_type_is_temporal(ir_type t)
{
    return t.kind == IR_TY_DATE || t.kind == IR_TY_TIMESTAMP;
}

bool ir_type_equal(ir_type a, ir_type b)
{
    return a.kind == b.kind && a.precision == b.precision && a.scale == b.scale && a.elem == b.elem;
}

/* ---- construction ---- */

ir_job *ir_job_new(const char *name)
{
    arena *a = arena_new();
    ir_job *job = arena_alloc(a, sizeof *job);
    job->arena = a;
    job->name = arena_intern_cstr(a, name ? name : "job");
    job->next_id = 1;
    return job;
}

void ir_job_free(ir_job *job)
{
    if (job)
        arena_free(job->arena);
}

const char *ir_intern(ir_job *job, const char *s)
{
    return arena_intern_cstr(job->arena, s);
}

ir_node *ir_node_add(ir_job *job, ir_op op, const char *name)
{
    ir_node *n = arena_alloc(job->arena, sizeof *n);
    n->id = job->next_id++;
    n->op = op;
    n->name = ir_intern(job, name);
    n->frame = ir_frame_default();
    ARENA_PUSH(job->arena, job->nodes, job->n_nodes, job->cap_nodes, n);
    return n;
}

ir_node *ir_job_node(const ir_job *job, int id)
{
    /* nodes are usually in id order; fall back to a scan after a toposort */
    if (id >= 1 && id <= job->n_nodes && job->nodes[id - 1]->id == id)
        return job->nodes[id - 1];
    for (int i = 0; i < job->n_nodes; i++)
        if (job->nodes[i]->id == id)
            return job->nodes[i];
    return NULL;
}

void ir_node_add_input(ir_job *job, ir_node *n, int input_id)
{
    int *v = arena_alloc(job->arena, (size_t)(n->n_inputs + 1) * sizeof *v);
    if (n->n_inputs)
        memcpy(v, n->inputs, (size_t)n->n_inputs * sizeof *v);
    v[n->n_inputs++] = input_id;
    n->inputs = v;
}

ir_column *ir_node_add_col(ir_job *job, ir_node *n, const char *name, ir_type type, ir_expr *expr)
{
    ir_column c = {0};
    c.name = ir_intern(job, name);
    c.type = type;
    c.expr = expr;
    ARENA_PUSH(job->arena, n->cols, n->n_cols, n->cap_cols, c);
    return &n->cols[n->n_cols - 1];
}

ir_column *ir_node_col(const ir_node *n, const char *name)
{
    for (int i = 0; i < n->n_cols; i++)
        if (n->cols[i].name == name || strcmp(n->cols[i].name, name) == 0)
            return &n->cols[i];
    return NULL;
}

ir_column *ir_node_col_ci(const ir_node *n, const char *name)
{
    for (int i = 0; i < n->n_cols; i++)
        if (strcasecmp(n->cols[i].name, name) == 0)
            return &n->cols[i];
    return NULL;
}

void ir_node_add_prop(ir_job *job, ir_node *n, const char *key, const char *value)
{
    ir_prop *v = arena_grow(job->arena, n->props, (size_t)n->n_props, (size_t)n->n_props + 1, sizeof *v);
    v[n->n_props].key = ir_intern(job, key);
    v[n->n_props].value = arena_strdup(job->arena, value);
    n->props = v;
    n->n_props++;
}

void ir_node_add_key(ir_job *job, ir_node *n, ir_expr *key)
{
    ir_expr **v = arena_grow(job->arena, n->keys, (size_t)n->n_keys, (size_t)n->n_keys + 1, sizeof *v);
    v[n->n_keys++] = key;
    n->keys = v;
}

void ir_node_add_order(ir_job *job, ir_node *n, ir_expr *e, bool desc)
{
    ir_sort_key *v = arena_grow(job->arena, n->order, (size_t)n->n_order, (size_t)n->n_order + 1, sizeof *v);
    v[n->n_order].expr = e;
    v[n->n_order].desc = desc;
    v[n->n_order].nulls = 0;
    n->n_order++;
    n->order = v;
}

ir_dataset *ir_job_add_dataset(ir_job *job, const char *name)
{
    ir_dataset *ds = ir_job_dataset(job, name);
    if (ds)
        return ds;
    ir_dataset d = {0};
    d.name = ir_intern(job, name);
    ARENA_PUSH(job->arena, job->datasets, job->n_datasets, job->cap_datasets, d);
    return &job->datasets[job->n_datasets - 1];
}

ir_dataset *ir_job_dataset(const ir_job *job, const char *name)
{
    for (int i = 0; i < job->n_datasets; i++)
        if (strcmp(job->datasets[i].name, name) == 0)
            return &job->datasets[i];
    return NULL;
}

ir_column *ir_dataset_add_col(ir_job *job, ir_dataset *ds, const char *name, ir_type type)
{
    ir_column c = {0};
    c.name = ir_intern(job, name);
    c.type = type;
    ARENA_PUSH(job->arena, ds->cols, ds->n_cols, ds->cap_cols, c);
    return &ds->cols[ds->n_cols - 1];
}

ir_param *ir_job_add_param(ir_job *job, const char *name)
{
    ir_param *p = ir_job_param(job, name);
    if (p)
        return p;
    ir_param np = {0};
    np.name = ir_intern(job, name);
    ARENA_PUSH(job->arena, job->params, job->n_params, job->cap_params, np);
    return &job->params[job->n_params - 1];
}

ir_param *ir_job_param(const ir_job *job, const char *name)
{
    for (int i = 0; i < job->n_params; i++)
        if (strcasecmp(job->params[i].name, name) == 0)
            return &job->params[i];
    return NULL;
}

int ir_job_toposort(ir_job *job)
{
    int n = job->n_nodes;
    if (n == 0)
        return 0;
    /* Kahn's algorithm; ties broken by the current position so the order is stable */
    int *indeg = calloc((size_t)n, sizeof *indeg);
    ir_node **out = arena_alloc(job->arena, (size_t)n * sizeof *out);
    char *done = calloc((size_t)n, 1);
    if (!indeg || !done)
        abort();
    int max_id = 0;
    for (int i = 0; i < n; i++)
        if (job->nodes[i]->id > max_id)
            max_id = job->nodes[i]->id;
    int *pos = malloc(((size_t)max_id + 1) * sizeof *pos);
    if (!pos)
        abort();
    for (int i = 0; i <= max_id; i++)
        pos[i] = -1;
    for (int i = 0; i < n; i++)
        pos[job->nodes[i]->id] = i;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < job->nodes[i]->n_inputs; k++) {
            int in = job->nodes[i]->inputs[k];
            if (in >= 0 && in <= max_id && pos[in] >= 0)
                indeg[i]++;
        }
    int m = 0, rc = 0;
    while (m < n) {
        int pick = -1;
        for (int i = 0; i < n; i++)
            if (!done[i] && indeg[i] == 0) {
                pick = i;
                break;
            }
        if (pick < 0) {
            rc = -1;
            break;
        }
        done[pick] = 1;
        out[m++] = job->nodes[pick];
        int id = job->nodes[pick]->id;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < job->nodes[i]->n_inputs; k++)
                if (job->nodes[i]->inputs[k] == id)
                    indeg[i]--;
    }
    if (rc == 0)
        memcpy(job->nodes, out, (size_t)n * sizeof *out);
    free(indeg);
    free(done);
    free(pos);
    return rc;
}

static ir_expr *new_expr(ir_job *job, ir_expr_kind k)
{
    ir_expr *e = arena_alloc(job->arena, sizeof *e);
    e->kind = k;
    return e;
}

ir_expr *ir_lit(ir_job *job, ir_lit_kind kind, const char *text)
{
    ir_expr *e = new_expr(job, IR_EX_LIT);
    e->u.lit.kind = kind;
    e->u.lit.text = text ? arena_strdup(job->arena, text) : NULL;
    switch (kind) {
    case IR_LIT_BOOL: e->type.kind = IR_TY_BOOL; break;
    case IR_LIT_INT: e->type.kind = IR_TY_INT; break;
    case IR_LIT_DECIMAL: {
        e->type.kind = IR_TY_DECIMAL;
        const char *dot = text ? strchr(text, '.') : NULL;
        int digits = 0;
        for (const char *p = text; p && *p; p++)
            digits += isdigit((unsigned char)*p) != 0;
        e->type.precision = digits;
        e->type.scale = dot ? (int32_t)strlen(dot + 1) : 0;
        break;
    }
    case IR_LIT_DOUBLE: e->type.kind = IR_TY_DOUBLE; break;
    case IR_LIT_STRING: e->type.kind = IR_TY_STRING; e->type.precision = text ? (int32_t)strlen(text) : 0; break;
    case IR_LIT_DATE: e->type.kind = IR_TY_DATE; break;
    case IR_LIT_TIMESTAMP: e->type.kind = IR_TY_TIMESTAMP; break;
    case IR_LIT_NULL: e->type.kind = IR_TY_UNKNOWN; break;
    }
    return e;
}

ir_expr *ir_lit_null(ir_job *job)
{
    return ir_lit(job, IR_LIT_NULL, NULL);
}

ir_expr *ir_lit_int(ir_job *job, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    ir_expr *e = ir_lit(job, IR_LIT_INT, buf);
    if (v > 2147483647LL || v < -2147483648LL)
        e->type.kind = IR_TY_BIGINT;
    return e;
}

ir_expr *ir_lit_str(ir_job *job, const char *s)
{
    return ir_lit(job, IR_LIT_STRING, s ? s : "");
}

ir_expr *ir_lit_bool(ir_job *job, bool v)
{
    return ir_lit(job, IR_LIT_BOOL, v ? "true" : "false");
}

ir_expr *ir_ref(ir_job *job, int node, const char *col)
{
    ir_expr *e = new_expr(job, IR_EX_REF);
    e->u.ref.node = node;
    e->u.ref.col = ir_intern(job, col);
    ir_node *n = ir_job_node(job, node);
    if (n) {
        ir_column *c = ir_node_col(n, e->u.ref.col);
        if (c)
            e->type = c->type;
    }
    return e;
}

ir_expr *ir_param_ref(ir_job *job, const char *name)
{
    ir_expr *e = new_expr(job, IR_EX_PARAM);
    e->u.param.name = ir_intern(job, name);
    ir_param *p = ir_job_param(job, name);
    if (p)
        e->type = p->type;
    return e;
}

ir_expr *ir_call(ir_job *job, ir_fn fn, uint32_t flags, int n_args, ir_expr **args)
{
    ir_expr *e = new_expr(job, IR_EX_CALL);
    e->u.call.fn = fn;
    e->u.call.flags = flags;
    e->u.call.n_args = n_args;
    if (n_args > 0) {
        e->u.call.args = arena_alloc(job->arena, (size_t)n_args * sizeof *e->u.call.args);
        memcpy(e->u.call.args, args, (size_t)n_args * sizeof *args);
    }
    e->type = ir_fn_result_type(fn, flags, n_args, e->u.call.args);
    return e;
}

ir_expr *ir_call1(ir_job *job, ir_fn fn, ir_expr *a)
{
    return ir_call(job, fn, 0, 1, &a);
}

ir_expr *ir_call2(ir_job *job, ir_fn fn, ir_expr *a, ir_expr *b)
{
    ir_expr *v[2] = {a, b};
    return ir_call(job, fn, 0, 2, v);
}

ir_expr *ir_call3(ir_job *job, ir_fn fn, ir_expr *a, ir_expr *b, ir_expr *c)
{
    ir_expr *v[3] = {a, b, c};
    return ir_call(job, fn, 0, 3, v);
}

ir_expr *ir_hole(ir_job *job, const char *text, const char *reason)
{
    ir_expr *e = new_expr(job, IR_EX_HOLE);
    e->u.hole.text = arena_strdup(job->arena, text ? text : "");
    e->u.hole.reason = arena_strdup(job->arena, reason ? reason : "");
    return e;
}

ir_expr *ir_expr_copy(ir_job *job, const ir_expr *e)
{
    if (!e)
        return NULL;
    ir_expr *c = new_expr(job, e->kind);
    *c = *e;
    c->span.file = e->span.file ? ir_intern(job, e->span.file) : NULL;
    switch (e->kind) {
    case IR_EX_LIT:
        c->u.lit.text = e->u.lit.text ? arena_strdup(job->arena, e->u.lit.text) : NULL;
        break;
    case IR_EX_REF:
        c->u.ref.col = ir_intern(job, e->u.ref.col);
        break;
    case IR_EX_PARAM:
        c->u.param.name = ir_intern(job, e->u.param.name);
        break;
    case IR_EX_CALL:
        if (e->u.call.n_args) {
            c->u.call.args = arena_alloc(job->arena, (size_t)e->u.call.n_args * sizeof *c->u.call.args);
            for (int i = 0; i < e->u.call.n_args; i++)
                c->u.call.args[i] = ir_expr_copy(job, e->u.call.args[i]);
        }
        break;
    case IR_EX_HOLE:
        c->u.hole.text = arena_strdup(job->arena, e->u.hole.text);
        c->u.hole.reason = arena_strdup(job->arena, e->u.hole.reason);
        break;
    case IR_EX_OVER:
        c->u.over = ir_over_copy(job, e->u.over);
        break;
    case IR_EX_QUERY:
        c->u.sub = ir_sub_copy(job, e->u.sub);
        break;
    }
    return c;
}
