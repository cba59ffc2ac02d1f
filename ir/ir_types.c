/*
 * ir_types.c — type rules of the canonical function table and type inference over a job.
 *
 * ir_fn_result_type turns a function's type rule (functions.def) and its argument types into a
 * result type; ir_job_infer_types walks a job's nodes in topological order and fills every type a
 * frontend left UNKNOWN (expressions bottom-up, then columns from their expressions). A known
 * type is never overwritten (a frontend's declared type wins); the one refinement is a call typed
 * at construction with a precision of 0 that its rule can now make precise (same kind). NULL literals
 * have type UNKNOWN and never decide a result type. docs/ir.md and docs/functions.md describe the
 * rules for people.
 */
#include "ir/ir.h"
#include "ir/datefmt.h"

#include <string.h>

#define MAX_DEC_PRECISION 38

static ir_type ty(ir_type_kind k, int32_t p, int32_t s)
{
    return ir_type_make(k, p, s);
}

static ir_type unknown_type(void)
{
    return ty(IR_TY_UNKNOWN, 0, 0);
}

static bool is_null_lit(const ir_expr *e)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_NULL;
}

/* The integer value of an integer literal, or false. Used for lengths and scales given as
 * literal arguments (lpad(x, 10), to_decimal(x, 2)). */
static bool int_lit_value(const ir_expr *e, long long *out)
{
    if (!e || e->kind != IR_EX_LIT || e->u.lit.kind != IR_LIT_INT || !e->u.lit.text)
        return false;
    const char *p = e->u.lit.text;
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    if (!*p)
        return false;
    long long v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || v > 100000000000LL)
            return false;
        v = v * 10 + (*p - '0');
    }
    *out = neg ? -v : v;
    return true;
}

/* Numeric rank for widening: integer < bigint < decimal < double. 0: not numeric. */
static int num_rank(ir_type_kind k)
{
    switch (k) {
    case IR_TY_INT: return 1;
    case IR_TY_BIGINT: return 2;
    case IR_TY_DECIMAL: return 3;
    case IR_TY_DOUBLE: return 4;
    default: return 0;
    }
}

/* Integer and decimal digits of a numeric type seen as a decimal; false if unbounded. */
static bool dec_shape(ir_type t, int *int_digits, int *scale)
{
    switch (t.kind) {
    case IR_TY_INT: *int_digits = 10; *scale = 0; return true;
    case IR_TY_BIGINT: *int_digits = 19; *scale = 0; return true;
    case IR_TY_DECIMAL:
        if (t.precision <= 0) {
            *int_digits = MAX_DEC_PRECISION - t.scale;
            *scale = t.scale;
            return false;
        }
        *int_digits = t.precision - t.scale;
        *scale = t.scale;
        return true;
    default:
        *int_digits = 0;
        *scale = 0;
        return false;
    }
}

static ir_type make_decimal(int int_digits, int scale)
{
    if (scale > MAX_DEC_PRECISION)
        scale = MAX_DEC_PRECISION;
    if (int_digits < 1)
        int_digits = 1;
    int p = int_digits + scale;
    if (p > MAX_DEC_PRECISION)
        p = MAX_DEC_PRECISION;
    return ty(IR_TY_DECIMAL, p, scale);
}

/* Widest of two numeric types. A decimal keeps enough integer digits for either side plus `grow`
 * (1 for add/sub carries) and the larger scale; precision is capped at 38. */
static ir_type widen_numeric(ir_type a, ir_type b, int grow)
{
    int ra = num_rank(a.kind), rb = num_rank(b.kind);
    if (ra == 0)
        return b;
    if (rb == 0)
        return a;
    int r = ra > rb ? ra : rb;
    if (r == 4)
        return ty(IR_TY_DOUBLE, 0, 0);
    if (r < 3)
        return ty(r == 2 ? IR_TY_BIGINT : IR_TY_INT, 0, 0);
    int ia, sa, ib, sb;
    bool ka = dec_shape(a, &ia, &sa), kb = dec_shape(b, &ib, &sb);
    int s = sa > sb ? sa : sb;
    if ((a.kind == IR_TY_DECIMAL && !ka) || (b.kind == IR_TY_DECIMAL && !kb))
        return ty(IR_TY_DECIMAL, 0, s); /* an unbounded decimal stays unbounded */
    int i = (ia > ib ? ia : ib) + grow;
    return make_decimal(i, s);
}

/* The type an operand counts as in arithmetic: strings and booleans convert to double the way
 * Informatica converts them; NULL and unknown stay unknown. */
static ir_type arith_operand(const ir_expr *e)
{
    if (!e || is_null_lit(e))
        return unknown_type();
    ir_type t = e->type;
    if (t.kind == IR_TY_STRING || t.kind == IR_TY_BOOL)
        return ty(IR_TY_DOUBLE, 0, 0);
    return t;
}

/* TR_NUMERIC for add/sub/mul/mod (two operands) and aggregates (arg 0 only; the optional last
 * argument of an aggregate is a filter condition). Date arithmetic: date +/- number is the date;
 * date - date is a number of days (integer). */
static ir_type numeric_rule(ir_fn fn, int n_args, ir_expr *const *args)
{
    if (ir_fn_is_aggregate(fn)) {
        if (n_args < 1)
            return unknown_type();
        ir_type t = arith_operand(args[0]);
        switch (t.kind) {
        case IR_TY_INT: case IR_TY_BIGINT: return ty(IR_TY_BIGINT, 0, 0);
        case IR_TY_DECIMAL: return ty(IR_TY_DECIMAL, t.precision > 0 ? MAX_DEC_PRECISION : 0, t.scale);
        default: return t;
        }
    }
    if (n_args < 2)
        return n_args == 1 ? arith_operand(args[0]) : unknown_type();
    ir_type a = arith_operand(args[0]), b = arith_operand(args[1]);
    if (ir_type_is_temporal(a) || ir_type_is_temporal(b)) {
        if (fn == IR_FN_SUB && ir_type_is_temporal(a) && ir_type_is_temporal(b))
            return ty(IR_TY_INT, 0, 0);
        return ir_type_is_temporal(a) ? a : b;
    }
    /* an operand of unknown type (a hole, an unresolved reference) leaves the result unknown, so
     * inference can fill it once the operand is known; a NULL literal does not decide anything */
    if ((a.kind == IR_TY_UNKNOWN && !is_null_lit(args[0])) || (b.kind == IR_TY_UNKNOWN && !is_null_lit(args[1])))
        return unknown_type();
    if (a.kind == IR_TY_UNKNOWN)
        return b;
    if (b.kind == IR_TY_UNKNOWN)
        return a;
    if (fn == IR_FN_MUL && a.kind == IR_TY_DECIMAL && b.kind == IR_TY_DECIMAL && a.precision > 0 &&
        b.precision > 0)
        return make_decimal((a.precision - a.scale) + (b.precision - b.scale), a.scale + b.scale);
    return widen_numeric(a, b, (fn == IR_FN_ADD || fn == IR_FN_SUB) ? 1 : 0);
}

/* TR_DIV: decimal(38, max(6, operand scale)); with int_division and integer operands a truncated
 * integer (bigint if either is); a double operand makes the quotient double. */
static ir_type div_rule(uint32_t flags, int n_args, ir_expr *const *args)
{
    ir_type a = n_args > 0 ? arith_operand(args[0]) : unknown_type();
    ir_type b = n_args > 1 ? arith_operand(args[1]) : unknown_type();
    bool ints = (a.kind == IR_TY_INT || a.kind == IR_TY_BIGINT || a.kind == IR_TY_UNKNOWN) &&
                (b.kind == IR_TY_INT || b.kind == IR_TY_BIGINT || b.kind == IR_TY_UNKNOWN);
    if ((flags & IR_FL_INT_DIVISION) && ints)
        return ty(a.kind == IR_TY_BIGINT || b.kind == IR_TY_BIGINT ? IR_TY_BIGINT : IR_TY_INT, 0, 0);
    if (a.kind == IR_TY_DOUBLE || b.kind == IR_TY_DOUBLE)
        return ty(IR_TY_DOUBLE, 0, 0);
    int s = 0;
    if (a.kind == IR_TY_DECIMAL && a.scale > s)
        s = a.scale;
    if (b.kind == IR_TY_DECIMAL && b.scale > s)
        s = b.scale;
    return ty(IR_TY_DECIMAL, MAX_DEC_PRECISION, s > 6 ? s : 6);
}

/* The declared length of a string operand: a literal's own length (so '' counts 0, not
 * "unbounded"), the type's precision otherwise. -1: unbounded or not a string. */
static int str_len(const ir_expr *e)
{
    if (!e)
        return -1;
    if (e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_STRING)
        return e->u.lit.text ? (int)strlen(e->u.lit.text) : 0;
    if (is_null_lit(e))
        return 0;
    if (e->type.kind == IR_TY_STRING && e->type.precision > 0)
        return e->type.precision;
    return -1;
}

/* Common type of two value types (COMMON rule): numbers widen, strings widen to the longer,
 * date and timestamp meet at timestamp, a string against anything else is a string. */
static ir_type common2(ir_type a, int alen, ir_type b, int blen, int *len_out)
{
    if (a.kind == IR_TY_STRING || b.kind == IR_TY_STRING) {
        if (a.kind == IR_TY_STRING && b.kind == IR_TY_STRING && alen >= 0 && blen >= 0) {
            *len_out = alen > blen ? alen : blen;
            return ty(IR_TY_STRING, *len_out, 0);
        }
        *len_out = -1;
        return ty(IR_TY_STRING, 0, 0);
    }
    *len_out = -1;
    if (num_rank(a.kind) && num_rank(b.kind))
        return widen_numeric(a, b, 0);
    if (ir_type_is_temporal(a) && ir_type_is_temporal(b)) {
        if (a.kind == IR_TY_TIMESTAMP || b.kind == IR_TY_TIMESTAMP) {
            int p = 0;
            if (a.kind == IR_TY_TIMESTAMP && a.precision > p)
                p = a.precision;
            if (b.kind == IR_TY_TIMESTAMP && b.precision > p)
                p = b.precision;
            return ty(IR_TY_TIMESTAMP, p, 0);
        }
        return a;
    }
    if (a.kind == IR_TY_BINARY && b.kind == IR_TY_BINARY)
        return ty(IR_TY_BINARY, (a.precision > 0 && b.precision > 0) ? (a.precision > b.precision ? a.precision : b.precision) : 0, 0);
    return a; /* incompatible kinds: the first value decides; the verifier flags the mismatch */
}

/* Is argument i one of the value positions of a COMMON-rule call? */
static bool is_value_position(ir_fn fn, int n_args, int i)
{
    switch (fn) {
    case IR_FN_IF:
        return i == 1 || i == 2;
    case IR_FN_CASE: /* c1, v1, c2, v2, ..., [else] */
        return (i % 2 == 1) || (n_args % 2 == 1 && i == n_args - 1);
    case IR_FN_DECODE: /* x, s1, r1, s2, r2, ..., [default] */
        return (i >= 2 && i % 2 == 0) || (n_args % 2 == 0 && i == n_args - 1);
    case IR_FN_LAG: case IR_FN_LEAD: /* x, offset, default */
        return i == 0 || i == 2;
    default:
        return true;
    }
}

static ir_type common_rule(ir_fn fn, int n_args, ir_expr *const *args)
{
    ir_type acc = unknown_type();
    int acc_len = -1;
    bool have = false;
    for (int i = 0; i < n_args; i++) {
        if (!args[i] || !is_value_position(fn, n_args, i))
            continue;
        const ir_expr *e = args[i];
        if (e->type.kind == IR_TY_UNKNOWN) {
            /* NULL literals, holes, error() and abort() have no type of their own: take whatever
             * the other values are. A value of unknown type (a column no DDL declared) makes the
             * result unknown: coalesce(amount, 0) is not an integer because 0 is. */
            bool typeless = e->kind == IR_EX_LIT || e->kind == IR_EX_HOLE ||
                            (e->kind == IR_EX_CALL && (e->u.call.fn == IR_FN_ERROR || e->u.call.fn == IR_FN_ABORT));
            if (!typeless)
                return unknown_type();
            continue;
        }
        int len = e->type.kind == IR_TY_STRING ? str_len(e) : -1;
        if (!have) {
            acc = e->type;
            acc_len = len;
            if (acc.kind == IR_TY_STRING)
                acc.precision = len >= 0 ? len : 0;
            have = true;
            continue;
        }
        int out_len;
        acc = common2(acc, acc_len, e->type, len, &out_len);
        acc_len = out_len;
    }
    return acc;
}

/* TR_STRING with the length where it follows from the arguments. */
static ir_type string_rule(ir_fn fn, int n_args, ir_expr *const *args)
{
    int len = -1;
    switch (fn) {
    case IR_FN_CONCAT: {
        long total = 0;
        for (int i = 0; i < n_args; i++) {
            int l = str_len(args[i]);
            if (l < 0) {
                total = -1;
                break;
            }
            total += l;
        }
        len = (total > 0 && total < 0x7fffffff) ? (int)total : -1;
        break;
    }
    case IR_FN_LTRIM: case IR_FN_RTRIM: case IR_FN_TRIM: case IR_FN_UPPER: case IR_FN_LOWER:
    case IR_FN_INITCAP: case IR_FN_REVERSE: case IR_FN_REGEXP_EXTRACT:
        len = n_args > 0 ? str_len(args[0]) : -1;
        break;
    case IR_FN_SUBSTR: {
        len = n_args > 0 ? str_len(args[0]) : -1;
        long long n;
        if (n_args > 2 && int_lit_value(args[2], &n) && n >= 0 && (len < 0 || n < len))
            len = (int)n;
        break;
    }
    case IR_FN_LPAD: case IR_FN_RPAD: {
        long long n;
        if (n_args > 1 && int_lit_value(args[1], &n) && n > 0 && n < 0x7fffffff)
            len = (int)n;
        break;
    }
    case IR_FN_CHR: len = 1; break;
    case IR_FN_MD5: len = 32; break;
    default: break;
    }
    return ty(IR_TY_STRING, len > 0 ? len : 0, 0);
}

/* to_date: the fractional-second digits of a literal format decide the timestamp's precision. */
static ir_type timestamp_rule(ir_fn fn, int n_args, ir_expr *const *args)
{
    int prec = 0;
    if (fn == IR_FN_TO_DATE && n_args > 1 && args[1] && args[1]->kind == IR_EX_LIT &&
        args[1]->u.lit.kind == IR_LIT_STRING && args[1]->u.lit.text) {
        const char *p = args[1]->u.lit.text, *lit;
        size_t lit_len;
        df_token t;
        while ((t = df_next(&p, &lit, &lit_len)) != DF_END && t != DF_BAD) {
            if (t == DF_FF3) prec = 3;
            else if (t == DF_FF6) prec = 6;
            else if (t == DF_FF9) prec = 9;
        }
    }
    return ty(IR_TY_TIMESTAMP, prec, 0);
}

static ir_type decimal_rule(int n_args, ir_expr *const *args)
{
    long long s;
    if (n_args > 1 && int_lit_value(args[1], &s) && s >= 0 && s <= MAX_DEC_PRECISION)
        return ty(IR_TY_DECIMAL, MAX_DEC_PRECISION, (int32_t)s);
    if (n_args > 0 && args[0] && args[0]->type.kind == IR_TY_DECIMAL)
        return args[0]->type;
    if (n_args > 0 && args[0] && (args[0]->type.kind == IR_TY_INT || args[0]->type.kind == IR_TY_BIGINT))
        return make_decimal(args[0]->type.kind == IR_TY_INT ? 10 : 19, 0);
    return ty(IR_TY_DECIMAL, 0, 0); /* scale only known at run time */
}

ir_type ir_fn_result_type(ir_fn fn, uint32_t flags, int n_args, ir_expr *const *args)
{
    const ir_fn_info *fi = ir_fn_get(fn);
    if (!fi)
        return unknown_type();
    if (n_args > 0 && !args)
        n_args = 0;
    switch (fi->type_rule) {
    case TR_ARG0:
        return n_args > 0 && args[0] ? args[0]->type : unknown_type();
    case TR_ARG1:
        return n_args > 1 && args[1] ? args[1]->type : unknown_type();
    case TR_NUMERIC: return numeric_rule(fn, n_args, args);
    case TR_DIV: return div_rule(flags, n_args, args);
    case TR_COMMON: return common_rule(fn, n_args, args);
    case TR_BOOL: return ty(IR_TY_BOOL, 0, 0);
    case TR_INT: return ty(IR_TY_INT, 0, 0);
    case TR_BIGINT: return ty(IR_TY_BIGINT, 0, 0);
    case TR_DOUBLE: return ty(IR_TY_DOUBLE, 0, 0);
    case TR_DECIMAL: return decimal_rule(n_args, args);
    case TR_STRING: return string_rule(fn, n_args, args);
    case TR_DATE: return ty(IR_TY_DATE, 0, 0);
    case TR_TIMESTAMP: return timestamp_rule(fn, n_args, args);
    case TR_ARRAY: {
        /* array(x, ..): the values' common type; array_agg(x [, filter]): x's */
        ir_type e = ir_fn_is_aggregate(fn) ? (n_args > 0 && args[0] ? args[0]->type : unknown_type())
                                           : common_rule(fn, n_args, args);
        return e.kind == IR_TY_UNKNOWN && n_args > 0 ? unknown_type() : ir_type_array(e);
    }
    case TR_ELEM:
        return n_args > 0 && args[0] ? ir_type_elem(args[0]->type) : unknown_type();
    case TR_UNKNOWN: return unknown_type();
    }
    return unknown_type();
}

/* ---- inference over a job ---- */

static ir_type lit_type(const ir_expr *e)
{
    switch (e->u.lit.kind) {
    case IR_LIT_BOOL: return ty(IR_TY_BOOL, 0, 0);
    case IR_LIT_INT: return ty(IR_TY_INT, 0, 0);
    case IR_LIT_DOUBLE: return ty(IR_TY_DOUBLE, 0, 0);
    case IR_LIT_STRING: return ty(IR_TY_STRING, e->u.lit.text ? (int32_t)strlen(e->u.lit.text) : 0, 0);
    case IR_LIT_DATE: return ty(IR_TY_DATE, 0, 0);
    case IR_LIT_TIMESTAMP: return ty(IR_TY_TIMESTAMP, 0, 0);
    case IR_LIT_DECIMAL: {
        int digits = 0, scale = 0;
        bool after = false;
        for (const char *p = e->u.lit.text; p && *p; p++) {
            if (*p == '.')
                after = true;
            else if (*p >= '0' && *p <= '9') {
                digits++;
                scale += after;
            }
        }
        return ty(IR_TY_DECIMAL, digits, scale);
    }
    case IR_LIT_NULL: break;
    }
    return unknown_type();
}

static void infer_expr(const ir_job *job, ir_expr *e)
{
    if (!e)
        return;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            infer_expr(job, e->u.call.args[i]);
    if (e->kind == IR_EX_CALL && e->type.kind != IR_TY_UNKNOWN && e->type.precision == 0) {
        /* ir_call typed the call when its arguments may not have been known yet; a rule that now
         * gives the same kind with a known precision (string length, decimal digits) only
         * sharpens it */
        ir_type t = ir_fn_result_type(e->u.call.fn, e->u.call.flags, e->u.call.n_args, e->u.call.args);
        if (t.kind == e->type.kind && t.precision > 0)
            e->type = t;
        return;
    }
    if (e->type.kind != IR_TY_UNKNOWN)
        return;
    switch (e->kind) {
    case IR_EX_LIT:
        e->type = lit_type(e);
        break;
    case IR_EX_REF: {
        ir_node *n = ir_job_node(job, e->u.ref.node);
        ir_column *c = n ? ir_node_col(n, e->u.ref.col) : NULL;
        if (c)
            e->type = c->type;
        break;
    }
    case IR_EX_PARAM: {
        ir_param *p = ir_job_param(job, e->u.param.name);
        if (p)
            e->type = p->type;
        break;
    }
    case IR_EX_CALL:
        e->type = ir_fn_result_type(e->u.call.fn, e->u.call.flags, e->u.call.n_args, e->u.call.args);
        break;
    case IR_EX_HOLE:
        break; /* a hole's type is what the frontend expected, or unknown */
    case IR_EX_OVER:
    case IR_EX_QUERY:
        break; /* statement-only kinds: typed when built */
    }
}

/* A column without an expression: a source column takes its dataset column's type; a union
 * column the common type of the inputs' columns at its position. */
static void infer_plain_column(const ir_job *job, const ir_node *n, int idx, ir_column *c)
{
    if (n->op == IR_OP_SOURCE && n->dataset) {
        ir_dataset *ds = ir_job_dataset(job, n->dataset);
        for (int i = 0; ds && i < ds->n_cols; i++)
            if (strcmp(ds->cols[i].name, c->name) == 0) {
                c->type = ds->cols[i].type;
                return;
            }
    }
    if (n->op == IR_OP_UNION) {
        ir_type acc = unknown_type();
        int acc_len = -1;
        for (int k = 0; k < n->n_inputs; k++) {
            ir_node *in = ir_job_node(job, n->inputs[k]);
            if (!in || idx >= in->n_cols || in->cols[idx].type.kind == IR_TY_UNKNOWN)
                continue;
            ir_type t = in->cols[idx].type;
            int len = t.kind == IR_TY_STRING && t.precision > 0 ? t.precision : -1;
            if (acc.kind == IR_TY_UNKNOWN) {
                acc = t;
                acc_len = len;
            } else {
                int out;
                acc = common2(acc, acc_len, t, len, &out);
                acc_len = out;
            }
        }
        c->type = acc;
    }
}

void ir_job_infer_types(ir_job *job)
{
    for (int i = 0; i < job->n_nodes; i++) {
        ir_node *n = job->nodes[i];
        infer_expr(job, n->predicate);
        infer_expr(job, n->count);
        for (int k = 0; k < n->n_keys; k++)
            infer_expr(job, n->keys[k]);
        for (int k = 0; k < n->n_order; k++)
            infer_expr(job, n->order[k].expr);
        for (int k = 0; k < n->n_cols; k++) {
            ir_column *c = &n->cols[k];
            infer_expr(job, c->expr);
            for (int a = 0; a < c->n_alts; a++)
                infer_expr(job, c->alts[a]);
            if (c->type.kind != IR_TY_UNKNOWN)
                continue;
            if (c->expr)
                c->type = c->expr->type;
            else if (c->n_alts > 0)
                c->type = common_rule(IR_FN_COALESCE, c->n_alts, c->alts);
            else
                infer_plain_column(job, n, k, c);
        }
    }
}
