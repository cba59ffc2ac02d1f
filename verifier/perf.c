/*
 * perf.c — the performance layer (layers.h; rules PERF_* of rules.def): estimates over the IR of
 * the job, row counts from the policy's table statistics (else sla.assumed_rows per table), and
 * row-by-row loops in the generated code.
 *
 * Row estimates, node by node in topological order: a source or lookup table has its statistics'
 * rows; a cross or non-equi join the product of its inputs, an equi-join the larger input; a
 * union the sum; an aggregate without keys one row; every other node its first input's rows.
 * The work of a job is the sum of the rows every node reads; more than sla.max_estimated_rows is
 * the SLA finding. Estimates saturate at 10^18.
 */
#include "verifier/layers.h"
#include "verifier/layers_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define ROWS_MAX 1000000000000000000LL

static int64_t sat_add(int64_t a, int64_t b)
{
    return a > ROWS_MAX - b ? ROWS_MAX : a + b;
}

static int64_t sat_mul(int64_t a, int64_t b)
{
    if (a == 0 || b == 0)
        return 0;
    return a > ROWS_MAX / b ? ROWS_MAX : a * b;
}

/* Which of the node's inputs (bit k: inputs[k]) the expression reads. */
static unsigned sides(const ir_node *n, const ir_expr *e)
{
    if (!e)
        return 0;
    if (e->kind == IR_EX_REF) {
        for (int k = 0; k < n->n_inputs && k < 8; k++)
            if (n->inputs[k] == e->u.ref.node)
                return 1u << k;
        return 0;
    }
    unsigned m = 0;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            m |= sides(n, e->u.call.args[i]);
    return m;
}

/* Whether a conjunct of the condition is an equality between the two inputs. */
static bool has_equi(const ir_node *n, const ir_expr *e)
{
    if (!e || e->kind != IR_EX_CALL)
        return false;
    if (e->u.call.fn == IR_FN_AND) {
        for (int i = 0; i < e->u.call.n_args; i++)
            if (has_equi(n, e->u.call.args[i]))
                return true;
        return false;
    }
    if (e->u.call.fn != IR_FN_EQ || e->u.call.n_args != 2)
        return false;
    unsigned a = sides(n, e->u.call.args[0]), b = sides(n, e->u.call.args[1]);
    return (a == 1 && b == 2) || (a == 2 && b == 1);
}

static bool constant_condition(const ir_expr *e)
{
    return !e || !ir_expr_contains(e, IR_EXPR_MASK(IR_EX_REF) | IR_EXPR_MASK(IR_EX_HOLE));
}

static const char *node_label(const ir_node *n)
{
    return n->name ? n->name : ir_op_name(n->op);
}

static bool prop_off(const ir_node *n)
{
    for (int i = 0; i < n->n_props; i++) {
        const char *k = n->props[i].key, *v = n->props[i].value;
        if (k && v && (strcasecmp(k, "cache") == 0 || strcasecmp(k, "Lookup caching enabled") == 0) &&
            (strcasecmp(v, "NO") == 0 || strcmp(v, "0") == 0 || strcasecmp(v, "false") == 0))
            return true;
    }
    return false;
}

static bool has_word(const char *s, const char *w)
{
    size_t m = strlen(w);
    for (const char *c = s; c && *c; c++)
        if (strncasecmp(c, w, m) == 0 && (c == s || !isalnum((unsigned char)c[-1])) && !isalnum((unsigned char)c[m]))
            return true;
    return false;
}

static void perf_ir(verify_findings *out, const verify_policy *p, const ir_job *job)
{
    arena *a = arena_new();
    int64_t *rows = arena_alloc(a, sizeof *rows * (size_t)(job->next_id + 1));
    for (int i = 0; i <= job->next_id; i++)
        rows[i] = 0;
    int64_t work = 0;
#define ROWS(id) ((id) >= 0 && (id) <= job->next_id ? rows[id] : 0)
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        int64_t in0 = n->n_inputs > 0 ? ROWS(n->inputs[0]) : 0, in1 = n->n_inputs > 1 ? ROWS(n->inputs[1]) : 0;
        int64_t r = in0;
        const char *file = n->span.file ? n->span.file : job->file;
        for (int k = 0; k < n->n_inputs; k++)
            work = sat_add(work, ROWS(n->inputs[k]));
        switch (n->op) {
        case IR_OP_SOURCE: {
            int64_t s = policy_table_rows_of(p, n->dataset);
            r = s >= 0 ? s : p->assumed_rows;
            break;
        }
        case IR_OP_JOIN:
            if (n->join == IR_JOIN_CROSS || constant_condition(n->predicate)) {
                r = sat_mul(in0, in1);
                findings_add(out, VRULE_PERF_CARTESIAN, file, n->span.line, n->span.col,
                             "%s: a cartesian product (%lld x %lld rows estimated)", node_label(n), (long long)in0,
                             (long long)in1);
            } else if (!has_equi(n, n->predicate)) {
                r = sat_mul(in0, in1);
                findings_add(out, VRULE_PERF_NON_EQUI, file, n->span.line, n->span.col,
                             "%s: no equality between the two sides: every pair of rows is compared", node_label(n));
            } else {
                r = in0 > in1 ? in0 : in1;
            }
            break;
        case IR_OP_LOOKUP: {
            int64_t t = policy_table_rows_of(p, n->dataset);
            if (t < 0)
                t = n->n_inputs > 1 ? in1 : p->assumed_rows;
            bool equi = has_equi(n, n->predicate);
            if (!equi && n->n_inputs > 1)
                findings_add(out, VRULE_PERF_NON_EQUI, file, n->span.line, n->span.col,
                             "%s: a lookup condition without an equality", node_label(n));
            if (t > p->large_table_rows && (!equi || prop_off(n)))
                findings_add(out, VRULE_PERF_UNCACHED_LOOKUP, file, n->span.line, n->span.col,
                             "%s: lookup on %s (%lld rows) that %s", node_label(n), n->dataset ? n->dataset : "a table",
                             (long long)t, equi ? "has caching turned off" : "cannot be cached (no equality)");
            break;
        }
        case IR_OP_UNION:
            r = 0;
            for (int k = 0; k < n->n_inputs; k++)
                r = sat_add(r, ROWS(n->inputs[k]));
            break;
        case IR_OP_AGGREGATE:
            r = n->n_keys ? in0 : 1;
            break;
        case IR_OP_SORT: {
            if (n->distinct || in0 <= p->large_table_rows)
                break;
            bool limited = false;
            for (int k = i + 1; k < job->n_nodes; k++) {
                const ir_node *u = job->nodes[k];
                for (int m = 0; m < u->n_inputs; m++)
                    limited |= u->inputs[m] == n->id && u->op == IR_OP_RANK;
            }
            if (!limited)
                findings_add(out, VRULE_PERF_UNBOUNDED_SORT, file, n->span.line, n->span.col,
                             "%s: sorts %lld rows with no limit after it", node_label(n), (long long)in0);
            break;
        }
        case IR_OP_PROCEDURE: {
            const char *text = n->legacy ? n->legacy : n->hole_reason;
            if (has_word(text, "cursor") || has_word(text, "loop") || has_word(text, "fetch") ||
                has_word(text, "while"))
                findings_add(out, VRULE_PERF_ROW_LOOP, file, n->span.line, n->span.col,
                             "%s: procedural code that works row by row (a cursor or loop); lift it into set "
                             "operations",
                             node_label(n));
            break;
        }
        case IR_OP_TARGET: {
            if (n->load != IR_LOAD_TRUNCATE_INSERT && n->load != IR_LOAD_OVERWRITE)
                break;
            int64_t t = policy_table_rows_of(p, n->dataset);
            if (t < 0)
                t = in0;
            if (t <= p->large_table_rows)
                break;
            char keys[256] = "";
            size_t used = 0;
            const ir_dataset *ds = ir_job_dataset(job, n->dataset);
            for (int c = 0; ds && c < ds->n_cols; c++)
                if (ds->cols[c].flags & IR_COL_KEY)
                    used += (size_t)snprintf(keys + used, used < sizeof keys ? sizeof keys - used : 0, "%s%s",
                                             used ? ", " : "", ds->cols[c].name);
            for (int c = 0; !used && c < n->n_cols; c++)
                if (n->cols[c].flags & IR_COL_KEY)
                    used += (size_t)snprintf(keys + used, used < sizeof keys ? sizeof keys - used : 0, "%s%s",
                                             used ? ", " : "", n->cols[c].name);
            if (used)
                findings_add(out, VRULE_PERF_FULL_REWRITE, file, n->span.line, n->span.col,
                             "%s: rewrites all %lld rows of %s; a MERGE on (%s) would load only the changes",
                             node_label(n), (long long)t, n->dataset ? n->dataset : "the target", keys);
            break;
        }
        default:
            break;
        }
        if (n->id >= 0 && n->id <= job->next_id)
            rows[n->id] = r;
    }
#undef ROWS
    if (work > p->max_estimated_rows)
        findings_add(out, VRULE_PERF_SLA, job->file, job->line, 0,
                     "%s: about %lld rows handled in all, over the SLA of %lld", job->name ? job->name : "the job",
                     (long long)work, (long long)p->max_estimated_rows);
    arena_free(a);
}

typedef struct loop_scan {
    const py_module *m;
    verify_findings *out;
    const char *path;
} loop_scan;

static void py_loops(void *userdata, TSNode node)
{
    loop_scan *s = userdata;
    if (strcmp(ts_node_type(node), "for_statement") != 0)
        return;
    TSNode right = ts_node_child_by_field_name(node, "right", 5);
    if (ts_node_is_null(right))
        return;
    size_t n;
    const char *t = py_text(s->m, right, &n);
    static const char *const row_calls[] = {".collect()", ".toLocalIterator()", ".iterrows()", ".itertuples()"};
    for (size_t k = 0; k < sizeof row_calls / sizeof *row_calls; k++) {
        size_t m = strlen(row_calls[k]);
        for (size_t i = 0; i + m <= n; i++)
            if (memcmp(t + i, row_calls[k], m) == 0) {
                int line, col;
                py_pos(node, &line, &col);
                findings_add(s->out, VRULE_PERF_ROW_LOOP, s->path, line, col,
                             "a Python loop over %s works row by row on the driver", row_calls[k] + 1);
                return;
            }
    }
}

static void sql_loops(verify_findings *out, const char *text, size_t len, const char *path)
{
    arena *a = arena_new();
    sql_tok *t = NULL;
    int n = sql_tokenize(a, text, len, &t);
    for (int i = 0; i < n; i++) {
        if (sql_tok_is(&t[i], "FETCH") && !(i > 0 && sql_tok_is(&t[i - 1], "OFFSET")) &&
            !(i + 1 < n && (sql_tok_is(&t[i + 1], "FIRST") || sql_tok_is(&t[i + 1], "NEXT"))))
            findings_add(out, VRULE_PERF_ROW_LOOP, path, t[i].line, t[i].col, "FETCH from a cursor works row by row");
        else if (sql_tok_is(&t[i], "FOR") && i + 3 < n && sql_tok_is(&t[i + 2], "IN") && t[i + 1].kind == STK_WORD &&
                 !(i > 0 && (sql_tok_is(&t[i - 1], "AS") || sql_tok_is(&t[i - 1], "CURSOR")))) {
            for (int j = i + 3; j < n && j < i + 64; j++)
                if (sql_tok_is(&t[j], "DO") || sql_tok_is(&t[j], "LOOP")) {
                    findings_add(out, VRULE_PERF_ROW_LOOP, path, t[i].line, t[i].col,
                                 "a FOR loop over query rows works row by row");
                    break;
                }
        }
    }
    arena_free(a);
}

void perf_layer(verify_findings *out, const verify_policy *p, verify_target target, const char *text, size_t len,
                const char *path, const ir_job *legacy, ir_job *const *gen, int n_gen)
{
    if (legacy)
        perf_ir(out, p, legacy);
    else
        for (int j = 0; j < n_gen; j++)
            perf_ir(out, p, gen[j]);
    if (target == VERIFY_SPARK) {
        py_module m;
        if (py_parse(&m, text, len) == 0) {
            loop_scan s = {&m, out, path};
            py_walk(&m, py_loops, &s);
        }
        py_module_clear(&m);
    } else {
        sql_loops(out, text, len, path);
    }
}
