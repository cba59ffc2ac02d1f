/*
 * ir_canon.c — structural equality, canonical form and canonical text of expressions, and the
 * list of holes in a job.
 *
 * The canonical form exists for comparison (verifier: IR of the legacy job against IR' re-parsed
 * from generated code; diff reports): two expressions that mean the same thing in the ways listed
 * here get the same canonical text. It folds constants exactly (integers and decimals through
 * 64-bit mantissas and a scale; anything that would overflow or needs rounding is left alone),
 * orders operands of commutative calls by their canonical text, flattens nested and/or/concat,
 * turns gt/ge into lt/le with swapped operands, writes date arithmetic in one unit (whole quarters
 * and years as months, weeks as days, date +/- n as date_add) and the guard if(eq(a, b), NULL, a)
 * as nullif, and resolves references through pass-through columns (aliases) to the column they copy. It never changes semantics under the IR's rules:
 * flags are kept, order-dependent values and union/aggregate columns are not looked through.
 */
#include "ir/ir.h"
#include "ir/ir_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

/* ---- equality ---- */

static bool str_eq(const char *a, const char *b)
{
    if (a == b)
        return true;
    return a && b && strcmp(a, b) == 0;
}

bool ir_expr_equal(const ir_expr *a, const ir_expr *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->kind != b->kind)
        return false;
    switch (a->kind) {
    case IR_EX_LIT:
        return a->u.lit.kind == b->u.lit.kind && str_eq(a->u.lit.text, b->u.lit.text);
    case IR_EX_REF:
        return a->u.ref.node == b->u.ref.node && str_eq(a->u.ref.col, b->u.ref.col);
    case IR_EX_PARAM:
        return str_eq(a->u.param.name, b->u.param.name);
    case IR_EX_CALL:
        if (a->u.call.fn != b->u.call.fn || a->u.call.flags != b->u.call.flags ||
            a->u.call.n_args != b->u.call.n_args)
            return false;
        for (int i = 0; i < a->u.call.n_args; i++)
            if (!ir_expr_equal(a->u.call.args[i], b->u.call.args[i]))
                return false;
        return true;
    case IR_EX_HOLE:
        return str_eq(a->u.hole.text, b->u.hole.text);
    case IR_EX_OVER:
    case IR_EX_QUERY: {
        /* statement-only kinds: equal when their canonical texts are */
        strbuf ta, tb;
        sb_init(&ta);
        sb_init(&tb);
        ir_expr_to_text(&ta, a);
        ir_expr_to_text(&tb, b);
        bool eq = strcmp(sb_cstr(&ta), sb_cstr(&tb)) == 0;
        sb_free(&ta);
        sb_free(&tb);
        return eq;
    }
    }
    return false;
}

/* ---- canonical text ---- */

static bool plain_ident(const char *s)
{
    if (!s || !*s)
        return false;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '$' || c == '#'))
            return false;
    }
    return true;
}

/* A name as text: bare when it is a plain identifier, else in double quotes with "" doubled. */
static void put_name(strbuf *sb, const char *s)
{
    if (plain_ident(s)) {
        sb_puts(sb, s);
        return;
    }
    sb_putc(sb, '"');
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"')
            sb_putc(sb, '"');
        sb_putc(sb, *p);
    }
    sb_putc(sb, '"');
}

void ir_expr_to_text(strbuf *sb, const ir_expr *e)
{
    if (!e) {
        sb_puts(sb, "<none>");
        return;
    }
    switch (e->kind) {
    case IR_EX_LIT: {
        const char *t = e->u.lit.text ? e->u.lit.text : "";
        switch (e->u.lit.kind) {
        case IR_LIT_NULL: sb_puts(sb, "NULL"); break;
        case IR_LIT_BOOL:
            sb_puts(sb, (strcmp(t, "true") == 0 || strcmp(t, "TRUE") == 0 || strcmp(t, "1") == 0) ? "TRUE" : "FALSE");
            break;
        case IR_LIT_INT: case IR_LIT_DECIMAL: case IR_LIT_DOUBLE: sb_puts(sb, t); break;
        case IR_LIT_STRING: sb_put_sql_string(sb, t); break;
        case IR_LIT_DATE: sb_puts(sb, "DATE "); sb_put_sql_string(sb, t); break;
        case IR_LIT_TIMESTAMP: sb_puts(sb, "TIMESTAMP "); sb_put_sql_string(sb, t); break;
        }
        break;
    }
    case IR_EX_REF:
        if (e->u.ref.node) {
            sb_printf(sb, "#%d.", e->u.ref.node);
            put_name(sb, e->u.ref.col);
        } else {
            sb_puts(sb, e->u.ref.col); /* a name of the SQL-shaped form (ir_sql.h), dotted as written */
        }
        break;
    case IR_EX_PARAM:
        sb_puts(sb, "$$");
        put_name(sb, e->u.param.name);
        break;
    case IR_EX_CALL: {
        const ir_fn_info *fi = ir_fn_get(e->u.call.fn);
        sb_puts(sb, fi ? fi->name : "?");
        if (e->u.call.flags) {
            bool first = true;
            for (unsigned bit = 0; bit < 32; bit++) {
                const char *fname = ir_flag_name(bit);
                if (!fname || !(e->u.call.flags & (1u << bit)))
                    continue;
                sb_putc(sb, first ? '[' : ',');
                sb_puts(sb, fname);
                first = false;
            }
            if (!first)
                sb_putc(sb, ']');
        }
        sb_putc(sb, '(');
        for (int i = 0; i < e->u.call.n_args; i++) {
            if (i)
                sb_puts(sb, ", ");
            ir_expr_to_text(sb, e->u.call.args[i]);
        }
        if (e->u.call.fn == IR_FN_CAST || e->u.call.fn == IR_FN_TRY_CAST) { /* the meaning of a cast is its result type */
            char buf[64];
            ir_type_format(e->type, buf, sizeof buf);
            sb_puts(sb, " AS ");
            sb_puts(sb, buf);
        }
        sb_putc(sb, ')');
        break;
    }
    case IR_EX_HOLE:
        sb_puts(sb, "HOLE(");
        sb_put_json_string(sb, e->u.hole.text ? e->u.hole.text : "");
        sb_putc(sb, ')');
        break;
    case IR_EX_OVER:
        ir_over_to_text(sb, e->u.over);
        break;
    case IR_EX_QUERY:
        ir_sub_to_text(sb, e->u.sub);
        break;
    }
}

/* ---- exact decimal numbers for folding ---- */

/* value = mant / 10^scale */
typedef struct num {
    long long mant;
    int scale;
} num;

static bool parse_num(const ir_expr *e, num *out)
{
    if (!e || e->kind != IR_EX_LIT || !e->u.lit.text)
        return false;
    if (e->u.lit.kind != IR_LIT_INT && e->u.lit.kind != IR_LIT_DECIMAL)
        return false;
    const char *p = e->u.lit.text;
    bool neg = false, dot = false, digits = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    long long m = 0;
    int scale = 0;
    for (; *p; p++) {
        if (*p == '.' && !dot) {
            dot = true;
            continue;
        }
        if (*p < '0' || *p > '9')
            return false;
        if (__builtin_mul_overflow(m, 10, &m) || __builtin_add_overflow(m, *p - '0', &m))
            return false;
        digits = true;
        scale += dot;
    }
    if (!digits || scale > 18)
        return false;
    out->mant = neg ? -m : m;
    out->scale = scale;
    return true;
}

static bool rescale(num *a, int scale)
{
    while (a->scale < scale) {
        if (__builtin_mul_overflow(a->mant, 10, &a->mant))
            return false;
        a->scale++;
    }
    return true;
}

static bool align(num *a, num *b)
{
    int s = a->scale > b->scale ? a->scale : b->scale;
    return rescale(a, s) && rescale(b, s);
}

/* The literal for n: an integer literal when both operands were integers, else a decimal with
 * exactly n.scale fraction digits (1.50 + 1 is 2.50: the scale is part of the decimal's type). */
static ir_expr *num_lit(ir_job *job, num n, bool integer)
{
    if (integer && n.scale == 0)
        return ir_lit_int(job, n.mant);
    unsigned long long u = n.mant < 0 ? (unsigned long long)(-(n.mant + 1)) + 1 : (unsigned long long)n.mant;
    char digits[32], buf[64];
    snprintf(digits, sizeof digits, "%llu", u);
    int len = (int)strlen(digits), k = 0;
    if (n.mant < 0)
        buf[k++] = '-';
    if (len <= n.scale) { /* 0.05: leading zeros up to the scale */
        buf[k++] = '0';
        buf[k++] = '.';
        for (int z = 0; z < n.scale - len; z++)
            buf[k++] = '0';
        memcpy(buf + k, digits, (size_t)len + 1);
    } else {
        memcpy(buf + k, digits, (size_t)(len - n.scale));
        k += len - n.scale;
        if (n.scale) {
            buf[k++] = '.';
            memcpy(buf + k, digits + len - n.scale, (size_t)n.scale + 1);
        } else {
            buf[k] = '\0';
        }
    }
    return ir_lit(job, IR_LIT_DECIMAL, buf);
}

static bool is_lit(const ir_expr *e, ir_lit_kind k)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == k;
}

static bool bool_lit_value(const ir_expr *e, bool *v)
{
    if (!is_lit(e, IR_LIT_BOOL))
        return false;
    const char *t = e->u.lit.text ? e->u.lit.text : "";
    *v = strcmp(t, "true") == 0 || strcmp(t, "TRUE") == 0 || strcmp(t, "1") == 0;
    return true;
}

/* Three-way comparison of two literals, or false when it cannot be decided exactly. */
static bool compare_lits(const ir_expr *a, const ir_expr *b, uint32_t flags, int *cmp)
{
    num x, y;
    if (parse_num(a, &x) && parse_num(b, &y)) {
        if (!align(&x, &y))
            return false;
        *cmp = x.mant < y.mant ? -1 : x.mant > y.mant;
        return true;
    }
    if (flags & (IR_FL_CASE_INSENSITIVE | IR_FL_EMPTY_IS_NULL))
        return false;
    if (is_lit(a, IR_LIT_STRING) && is_lit(b, IR_LIT_STRING) && a->u.lit.text && b->u.lit.text) {
        const char *s = a->u.lit.text, *t = b->u.lit.text;
        size_t ls = strlen(s), lt = strlen(t);
        if (flags & IR_FL_BLANK_PADDED) {
            while (ls && s[ls - 1] == ' ')
                ls--;
            while (lt && t[lt - 1] == ' ')
                lt--;
        }
        size_t m = ls < lt ? ls : lt;
        int c = memcmp(s, t, m);
        *cmp = c < 0 ? -1 : c > 0 ? 1 : (ls < lt ? -1 : ls > lt);
        return true;
    }
    /* canonical date / timestamp texts of equal length order as strings */
    if (a->kind == IR_EX_LIT && b->kind == IR_EX_LIT && a->u.lit.kind == b->u.lit.kind &&
        (a->u.lit.kind == IR_LIT_DATE || a->u.lit.kind == IR_LIT_TIMESTAMP) && a->u.lit.text && b->u.lit.text &&
        strlen(a->u.lit.text) == strlen(b->u.lit.text)) {
        int c = strcmp(a->u.lit.text, b->u.lit.text);
        *cmp = c < 0 ? -1 : c > 0;
        return true;
    }
    bool p, q;
    if (bool_lit_value(a, &p) && bool_lit_value(b, &q)) {
        *cmp = (int)p - (int)q;
        return true;
    }
    return false;
}

/* ---- canonicalisation ---- */

static ir_expr *canon(ir_job *job, const ir_expr *e);

static int cmp_text(const void *pa, const void *pb)
{
    const ir_expr *a = *(ir_expr *const *)pa, *b = *(ir_expr *const *)pb;
    strbuf sa = STRBUF_INIT, sb = STRBUF_INIT;
    ir_expr_to_text(&sa, a);
    ir_expr_to_text(&sb, b);
    int c = strcmp(sb_cstr(&sa), sb_cstr(&sb));
    sb_free(&sa);
    sb_free(&sb);
    return c;
}

/* Sorts args by canonical text; stable for equal texts so results are deterministic. */
static void sort_args(ir_expr **args, int n)
{
    /* insertion sort: argument lists are short, and it is stable */
    for (int i = 1; i < n; i++) {
        ir_expr *x = args[i];
        int j = i - 1;
        while (j >= 0 && cmp_text(&args[j], &x) > 0) {
            args[j + 1] = args[j];
            j--;
        }
        args[j + 1] = x;
    }
}

/* Follows a reference through pass-through columns: #3.X where node 3 computes X as #2.Y becomes
 * #2.Y, and so on. Not through columns whose value is not a plain copy of the referenced one:
 * order-dependent columns, union columns (by position over several inputs), normalize columns,
 * and aggregate columns other than group keys (their value is the last row's). */
static ir_expr *resolve_alias(ir_job *job, const ir_expr *ref)
{
    const ir_expr *cur = ref;
    for (int guard = 0; guard <= job->n_nodes; guard++) {
        ir_node *n = ir_job_node(job, cur->u.ref.node);
        ir_column *c = n ? ir_node_col(n, cur->u.ref.col) : NULL;
        if (!c || !c->expr || c->expr->kind != IR_EX_REF || c->n_alts > 0)
            break;
        if (c->flags & IR_COL_ORDER_DEPENDENT)
            break;
        if (n->op == IR_OP_UNION || n->op == IR_OP_NORMALIZE)
            break;
        if (n->op == IR_OP_AGGREGATE) {
            bool is_key = false;
            for (int k = 0; k < n->n_keys; k++)
                if (ir_expr_equal(n->keys[k], c->expr))
                    is_key = true;
            if (!is_key)
                break;
        }
        if (c->expr->u.ref.node == cur->u.ref.node && str_eq(c->expr->u.ref.col, cur->u.ref.col))
            break;
        cur = c->expr;
    }
    ir_expr *out = ir_ref(job, cur->u.ref.node, cur->u.ref.col);
    out->type = ref->type.kind != IR_TY_UNKNOWN ? ref->type : cur->type;
    out->span = ref->span;
    return out;
}

static ir_expr *fold_call(ir_job *job, ir_expr *e)
{
    ir_fn fn = e->u.call.fn;
    uint32_t fl = e->u.call.flags;
    int n = e->u.call.n_args;
    ir_expr **a = e->u.call.args;
    const ir_fn_info *fi = ir_fn_get(fn);

    /* a strict function of a NULL literal is NULL */
    if (fi && fi->null_rule == NR_STRICT)
        for (int i = 0; i < n; i++)
            if (is_lit(a[i], IR_LIT_NULL)) {
                ir_expr *r = ir_lit_null(job);
                r->type = e->type;
                return r;
            }

    num x, y;
    switch (fn) {
    case IR_FN_LAG: case IR_FN_LEAD:
        /* defaults spelled out are left out: lag(x, 1, NULL) and lag(x, 1) are lag(x) */
        if (n == 3 && is_lit(a[2], IR_LIT_NULL))
            n = e->u.call.n_args = 2;
        if (n == 2 && a[1] && a[1]->kind == IR_EX_LIT && a[1]->u.lit.kind == IR_LIT_INT && a[1]->u.lit.text &&
            strcmp(a[1]->u.lit.text, "1") == 0)
            e->u.call.n_args = 1;
        return e;
    case IR_FN_ADD: case IR_FN_SUB: case IR_FN_MUL: {
        if (n != 2 || !parse_num(a[0], &x) || !parse_num(a[1], &y))
            break;
        bool integer = is_lit(a[0], IR_LIT_INT) && is_lit(a[1], IR_LIT_INT);
        num r = {0, 0};
        if (fn == IR_FN_MUL) {
            if (__builtin_mul_overflow(x.mant, y.mant, &r.mant) || x.scale + y.scale > 18)
                break;
            r.scale = x.scale + y.scale;
        } else {
            if (!align(&x, &y))
                break;
            bool ovf = fn == IR_FN_ADD ? __builtin_add_overflow(x.mant, y.mant, &r.mant)
                                       : __builtin_sub_overflow(x.mant, y.mant, &r.mant);
            if (ovf)
                break;
            r.scale = x.scale;
        }
        return num_lit(job, r, integer);
    }
    case IR_FN_DIV: case IR_FN_MOD:
        /* only integer division and remainder of integers are exact; a zero divisor is left for
         * the target to decide (NULL in Informatica, an error in SQL) */
        if (n != 2 || !is_lit(a[0], IR_LIT_INT) || !is_lit(a[1], IR_LIT_INT) || !parse_num(a[0], &x) ||
            !parse_num(a[1], &y) || y.mant == 0 || (x.mant == INT64_MIN && y.mant == -1))
            break;
        if (fn == IR_FN_DIV && !(fl & IR_FL_INT_DIVISION))
            break;
        return ir_lit_int(job, fn == IR_FN_DIV ? x.mant / y.mant : x.mant % y.mant);
    case IR_FN_NEG:
        if (n == 1 && parse_num(a[0], &x) && x.mant != INT64_MIN) {
            x.mant = -x.mant;
            return num_lit(job, x, is_lit(a[0], IR_LIT_INT));
        }
        break;
    case IR_FN_EQ: case IR_FN_NE: case IR_FN_LT: case IR_FN_LE: case IR_FN_GT: case IR_FN_GE: {
        int c;
        if (n != 2 || !compare_lits(a[0], a[1], fl, &c))
            break;
        bool v = fn == IR_FN_EQ ? c == 0 : fn == IR_FN_NE ? c != 0 : fn == IR_FN_LT ? c < 0
               : fn == IR_FN_LE ? c <= 0 : fn == IR_FN_GT ? c > 0 : c >= 0;
        return ir_lit_bool(job, v);
    }
    case IR_FN_LTRIM: case IR_FN_RTRIM: case IR_FN_TRIM: {
        /* blanks trimmed off a literal (the one-argument forms; empty_is_null would make '' NULL) */
        if (n != 1 || fl != 0 || !is_lit(a[0], IR_LIT_STRING) || !a[0]->u.lit.text)
            break;
        const char *t = a[0]->u.lit.text;
        size_t b = 0, len = strlen(t);
        if (fn != IR_FN_RTRIM)
            while (b < len && t[b] == ' ')
                b++;
        if (fn != IR_FN_LTRIM)
            while (len > b && t[len - 1] == ' ')
                len--;
        ir_expr *r = ir_lit_str(job, arena_strndup(job->arena, t + b, len - b));
        r->type = e->type;
        return r;
    }
    case IR_FN_UPPER: case IR_FN_LOWER: {
        /* the case of an ASCII literal changed (other letters are left to the engine) */
        if (n != 1 || fl != 0 || !is_lit(a[0], IR_LIT_STRING) || !a[0]->u.lit.text)
            break;
        char *t = arena_strdup(job->arena, a[0]->u.lit.text);
        for (char *p = t; *p; p++) {
            if ((unsigned char)*p >= 0x80)
                return e;
            *p = (char)(fn == IR_FN_UPPER ? toupper((unsigned char)*p) : tolower((unsigned char)*p));
        }
        ir_expr *r = ir_lit_str(job, t);
        r->type = e->type;
        return r;
    }
    case IR_FN_NOT: {
        bool v;
        if (n == 1 && bool_lit_value(a[0], &v))
            return ir_lit_bool(job, !v);
        break;
    }
    case IR_FN_AND: case IR_FN_OR: {
        /* Kleene: the absorbing value (FALSE for and, TRUE for or) decides; the neutral one drops */
        bool absorbing = fn == IR_FN_OR;
        int m = 0;
        for (int i = 0; i < n; i++) {
            bool v;
            if (bool_lit_value(a[i], &v)) {
                if (v == absorbing)
                    return ir_lit_bool(job, absorbing);
                continue;
            }
            a[m++] = a[i];
        }
        if (m == 0)
            return ir_lit_bool(job, !absorbing);
        if (m == 1)
            return a[0];
        e->u.call.n_args = m;
        break;
    }
    case IR_FN_IF: {
        bool v;
        if (n == 3 && (bool_lit_value(a[0], &v) || is_lit(a[0], IR_LIT_NULL))) {
            if (is_lit(a[0], IR_LIT_NULL))
                v = false;
            return v ? a[1] : a[2];
        }
        break;
    }
    case IR_FN_COALESCE: {
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (is_lit(a[i], IR_LIT_NULL))
                continue;
            a[m++] = a[i];
            if (a[i]->kind == IR_EX_LIT)
                break; /* a non-NULL literal ends the list: later arguments are never reached */
        }
        if (m == 0) {
            ir_expr *r = ir_lit_null(job);
            r->type = e->type;
            return r;
        }
        if (m == 1)
            return a[0];
        e->u.call.n_args = m;
        break;
    }
    case IR_FN_CONCAT: {
        /* plain concat is NULL if any argument is; with null_as_empty NULLs count as '' and only
         * an all-NULL concat is NULL (functions.def) */
        if (fl & IR_FL_EMPTY_IS_NULL)
            break;
        bool nae = (fl & IR_FL_NULL_AS_EMPTY) != 0;
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (is_lit(a[i], IR_LIT_NULL)) {
                if (nae)
                    continue; /* dropping it keeps "all NULL" as it was: the rest decides */
                ir_expr *r = ir_lit_null(job);
                r->type = e->type;
                return r;
            }
            if (is_lit(a[i], IR_LIT_STRING) && m > 0 && is_lit(a[m - 1], IR_LIT_STRING)) {
                char *s = arena_printf(job->arena, "%s%s", a[m - 1]->u.lit.text ? a[m - 1]->u.lit.text : "",
                                       a[i]->u.lit.text ? a[i]->u.lit.text : "");
                a[m - 1] = ir_lit_str(job, s);
                continue;
            }
            a[m++] = a[i];
        }
        if (m == 0) { /* every argument was a NULL literal */
            ir_expr *r = n > 0 ? ir_lit_null(job) : ir_lit_str(job, "");
            r->type = e->type;
            return r;
        }
        /* '' adds nothing next to another argument; but under null_as_empty it is what keeps an
         * otherwise all-NULL concat from being NULL, so it goes only beside a non-empty literal */
        bool has_text_lit = false;
        for (int i = 0; i < m; i++)
            if (is_lit(a[i], IR_LIT_STRING) && a[i]->u.lit.text && a[i]->u.lit.text[0])
                has_text_lit = true;
        if (m > 1 && (!nae || has_text_lit)) {
            int k = 0;
            for (int i = 0; i < m; i++)
                if (!(is_lit(a[i], IR_LIT_STRING) && a[i]->u.lit.text && !a[i]->u.lit.text[0]))
                    a[k++] = a[i];
            if (k == 0)
                k = 1, a[0] = ir_lit_str(job, "");
            m = k;
        }
        if (m == 1 && is_lit(a[0], IR_LIT_STRING))
            return a[0];
        e->u.call.n_args = m;
        break;
    }
    default:
        break;
    }
    return e;
}

static bool is_commutative(ir_fn fn)
{
    return fn == IR_FN_ADD || fn == IR_FN_MUL || fn == IR_FN_EQ || fn == IR_FN_NE || fn == IR_FN_AND ||
           fn == IR_FN_OR;
}

static ir_expr *canon_call(ir_job *job, const ir_expr *src)
{
    ir_fn fn = src->u.call.fn;
    uint32_t fl = src->u.call.flags;
    int n = src->u.call.n_args;
    /* canonical arguments, with nested and/or/concat of the same flags spliced in */
    int cap = n > 0 ? n : 1, m = 0;
    ir_expr **args = arena_alloc(job->arena, (size_t)cap * sizeof *args);
    bool flattens = fn == IR_FN_AND || fn == IR_FN_OR || fn == IR_FN_CONCAT;
    for (int i = 0; i < n; i++) {
        ir_expr *c = canon(job, src->u.call.args[i]);
        if (flattens && c && c->kind == IR_EX_CALL && c->u.call.fn == fn && c->u.call.flags == fl) {
            int extra = c->u.call.n_args;
            args = arena_grow(job->arena, args, (size_t)m, (size_t)(cap + extra), sizeof *args);
            cap += extra;
            for (int k = 0; k < extra; k++)
                args[m++] = c->u.call.args[k];
        } else {
            args[m++] = c;
        }
    }
    /* decode(x, s1, r1, .., [d]) over literal search values is the CASE it means: eq(x, s) per
     * search, is_null(x) for a NULL search with null_matches_null (without it a NULL search never
     * matches and its branch goes) */
    if (fn == IR_FN_DECODE && m >= 3 && (fl & ~(uint32_t)IR_FL_NULL_MATCHES_NULL) == 0) {
        bool lits = true;
        for (int i = 1; i + 1 < m; i += 2)
            if (!args[i] || args[i]->kind != IR_EX_LIT)
                lits = false;
        if (lits) {
            ir_expr **c = arena_alloc(job->arena, (size_t)(m + 1) * sizeof *c);
            int k = 0;
            for (int i = 1; i + 1 < m; i += 2) {
                if (args[i]->u.lit.kind == IR_LIT_NULL) {
                    if (!(fl & IR_FL_NULL_MATCHES_NULL))
                        continue;
                    c[k++] = ir_call1(job, IR_FN_IS_NULL, args[0]);
                } else {
                    c[k++] = canon(job, ir_call2(job, IR_FN_EQ, args[0], args[i]));
                }
                c[k++] = args[i + 1];
            }
            if (m % 2 == 0) /* a default */
                c[k++] = args[m - 1];
            if (k >= 2) {
                ir_expr *e = ir_call(job, IR_FN_CASE, 0, k, c);
                e->type = src->type;
                e->span = src->span;
                return canon(job, e);
            }
        }
    }
    /* nullif(nullif(x, c), c) is nullif(x, c) (a guard written twice, e.g. a / NULLIF(b, 0) by a
     * target that guards every division) */
    if (fn == IR_FN_NULLIF && m == 2 && fl == 0 && args[0] && args[0]->kind == IR_EX_CALL &&
        args[0]->u.call.fn == IR_FN_NULLIF && args[0]->u.call.flags == 0 && args[0]->u.call.n_args == 2 &&
        ir_expr_equal(args[0]->u.call.args[1], args[1]))
        return args[0];
    /* percentile(x, 50) is the median (both interpolate between the two middle values) */
    if (fn == IR_FN_PERCENTILE && m == 2 && fl == 0 && args[1] && args[1]->kind == IR_EX_LIT &&
        (args[1]->u.lit.kind == IR_LIT_INT || args[1]->u.lit.kind == IR_LIT_DECIMAL) && args[1]->u.lit.text &&
        strtod(args[1]->u.lit.text, NULL) == 50.0) {
        ir_expr *e = ir_call1(job, IR_FN_MEDIAN, args[0]);
        e->type = src->type;
        e->span = src->span;
        return e;
    }
    /* date_add in the part that every dialect defines it through, for a whole number of parts: a
     * quarter is 3 months and a year 12 (month ends clamp the same way), a week 7 days. A
     * fractional or computed amount is left alone (dialects truncate or reject a fraction before
     * multiplying, so quarter 1.5 is not month 4.5). */
    if (fn == IR_FN_DATE_ADD && m == 3 && is_lit(args[1], IR_LIT_STRING) && args[1]->u.lit.text &&
        is_lit(args[2], IR_LIT_INT)) {
        const char *part = args[1]->u.lit.text;
        int k = strcmp(part, "quarter") == 0 ? 3 : strcmp(part, "year") == 0 ? 12 : strcmp(part, "week") == 0 ? 7 : 0;
        if (k) {
            ir_expr *amount = canon(job, ir_call2(job, IR_FN_MUL, args[2], ir_lit_int(job, k)));
            if (is_lit(amount, IR_LIT_INT)) {
                args[1] = ir_lit_str(job, k == 7 ? "day" : "month");
                args[2] = amount;
            }
        }
    }
    /* the months between two dates truncated to the year, divided by 12, are the years between
     * them (whole numbers either way; T-SQL's DATEDIFF(yy, ..) is read so); likewise by 3 for dates
     * truncated to the quarter or year, the quarters */
    if (fn == IR_FN_DIV && m == 2 && args[0] && args[0]->kind == IR_EX_CALL && args[0]->u.call.fn == IR_FN_DATE_DIFF &&
        args[0]->u.call.n_args == 3 && is_lit(args[0]->u.call.args[2], IR_LIT_STRING) && args[0]->u.call.args[2]->u.lit.text &&
        strcmp(args[0]->u.call.args[2]->u.lit.text, "month") == 0 && is_lit(args[1], IR_LIT_INT) && args[1]->u.lit.text) {
        const char *per = strcmp(args[1]->u.lit.text, "12") == 0 ? "year" : strcmp(args[1]->u.lit.text, "3") == 0 ? "quarter" : NULL;
        bool whole = per != NULL;
        for (int i = 0; i < 2 && whole; i++) {
            const ir_expr *d = args[0]->u.call.args[i];
            const char *tp = d && d->kind == IR_EX_CALL && d->u.call.fn == IR_FN_DATE_TRUNC && d->u.call.n_args == 2 &&
                                     is_lit(d->u.call.args[1], IR_LIT_STRING)
                                 ? d->u.call.args[1]->u.lit.text
                                 : NULL;
            whole = tp && (strcmp(tp, "year") == 0 || strcmp(tp, per) == 0);
        }
        if (whole) {
            ir_expr *e = ir_call3(job, IR_FN_DATE_DIFF, args[0]->u.call.args[0], args[0]->u.call.args[1], ir_lit_str(job, per));
            e->type = src->type;
            e->span = src->span;
            return canon(job, e);
        }
    }
    /* moving a date or timestamp by 0 parts leaves it as it is */
    if (fn == IR_FN_DATE_ADD && m == 3 && args[0] &&
        (args[0]->type.kind == IR_TY_DATE || args[0]->type.kind == IR_TY_TIMESTAMP) && is_lit(args[2], IR_LIT_INT) &&
        args[2]->u.lit.text && strcmp(args[2]->u.lit.text, "0") == 0)
        return args[0];
    /* a DATE plus or minus a whole number is that many days later or earlier (functions.def add) */
    if ((fn == IR_FN_ADD || fn == IR_FN_SUB) && m == 2 && fl == 0 && args[0] && args[0]->type.kind == IR_TY_DATE &&
        is_lit(args[1], IR_LIT_INT)) {
        ir_expr *amount = fn == IR_FN_SUB ? canon(job, ir_call1(job, IR_FN_NEG, args[1])) : args[1];
        if (is_lit(amount, IR_LIT_INT)) {
            ir_expr *e = ir_call3(job, IR_FN_DATE_ADD, args[0], ir_lit_str(job, "day"), amount);
            e->type = args[0]->type;
            e->span = src->span;
            return canon(job, e);
        }
    }
    /* if(eq(a, b), NULL, a) is nullif(a, b): a NULL a or b takes the else branch, which is a or
     * NULL either way */
    if ((fn == IR_FN_IF || (fn == IR_FN_CASE && m == 3)) && m == 3 && fl == 0 && is_lit(args[1], IR_LIT_NULL) &&
        args[0] && args[0]->kind == IR_EX_CALL && args[0]->u.call.fn == IR_FN_EQ && args[0]->u.call.flags == 0 &&
        args[0]->u.call.n_args == 2) {
        ir_expr *const *q = args[0]->u.call.args;
        int same = ir_expr_equal(q[0], args[2]) ? 0 : ir_expr_equal(q[1], args[2]) ? 1 : -1;
        if (same >= 0) {
            ir_expr *e = ir_call2(job, IR_FN_NULLIF, args[2], q[1 - same]);
            e->type = src->type;
            e->span = src->span;
            return canon(job, e);
        }
    }
    /* CASE WHEN c THEN v [ELSE e] END with one branch is if(c, v, e): a NULL condition takes the
     * else value in both; no else is ELSE NULL */
    if (fn == IR_FN_CASE && (m == 2 || m == 3) && fl == 0) {
        if (m == 2) {
            args = arena_grow(job->arena, args, (size_t)m, 3, sizeof *args);
            args[2] = ir_lit_null(job);
            m = 3;
        }
        fn = IR_FN_IF;
    }
    /* if(lt(0, count(x)), coalesce(string_agg(x, s), ''), NULL) is string_agg(x, s) (same value and
     * filter): a group with a non-NULL x has a non-NULL string_agg, which the coalesce keeps, and a
     * group without one gives NULL both ways. Targets whose string aggregate ends an empty group with
     * '' are written so (Snowflake LISTAGG, Spark array_join(collect_list(..))). */
    if (fn == IR_FN_IF && m == 3 && fl == 0 && is_lit(args[2], IR_LIT_NULL)) {
        const ir_expr *c = args[0], *v = args[1];
        const ir_expr *cnt = c && c->kind == IR_EX_CALL && c->u.call.fn == IR_FN_LT && c->u.call.n_args == 2 &&
                                     is_lit(c->u.call.args[0], IR_LIT_INT) && c->u.call.args[0]->u.lit.text &&
                                     strcmp(c->u.call.args[0]->u.lit.text, "0") == 0
                                 ? c->u.call.args[1]
                                 : NULL;
        ir_expr *agg = v && v->kind == IR_EX_CALL && v->u.call.fn == IR_FN_COALESCE && v->u.call.n_args == 2 &&
                                     is_lit(v->u.call.args[1], IR_LIT_STRING) && v->u.call.args[1]->u.lit.text &&
                                     !*v->u.call.args[1]->u.lit.text
                                 ? v->u.call.args[0]
                                 : NULL;
        if (cnt && agg && cnt->kind == IR_EX_CALL && cnt->u.call.fn == IR_FN_COUNT &&
            (cnt->u.call.flags & ~(uint32_t)IR_FL_DISTINCT) == 0 && agg->kind == IR_EX_CALL &&
            agg->u.call.fn == IR_FN_STRING_AGG && agg->u.call.n_args == cnt->u.call.n_args + 1 &&
            ir_expr_equal(cnt->u.call.args[0], agg->u.call.args[0]) &&
            (cnt->u.call.n_args == 1 || ir_expr_equal(cnt->u.call.args[1], agg->u.call.args[2])))
            return agg;
        /* the same of an ordered one (no filter argument) */
        if (cnt && agg && cnt->kind == IR_EX_CALL && cnt->u.call.fn == IR_FN_COUNT && cnt->u.call.n_args == 1 &&
            (cnt->u.call.flags & ~(uint32_t)IR_FL_DISTINCT) == 0 && agg->kind == IR_EX_CALL &&
            agg->u.call.fn == IR_FN_STRING_AGG_ORDERED && ir_expr_equal(cnt->u.call.args[0], agg->u.call.args[0]))
            return agg;
    }
    /* if(is_null(x), y, x) and if(not(is_null(x)), x, y) are coalesce(x, y) */
    if (fn == IR_FN_IF && m == 3 && fl == 0 && args[0] && args[0]->kind == IR_EX_CALL) {
        const ir_expr *c = args[0];
        bool neg = c->u.call.fn == IR_FN_NOT && c->u.call.n_args == 1 && c->u.call.args[0] &&
                   c->u.call.args[0]->kind == IR_EX_CALL;
        if (neg)
            c = c->u.call.args[0];
        if (c->u.call.fn == IR_FN_IS_NULL && c->u.call.n_args == 1 && c->u.call.flags == 0) {
            const ir_expr *x = c->u.call.args[0];
            ir_expr *same = neg ? args[1] : args[2], *other = neg ? args[2] : args[1];
            if (ir_expr_equal(x, same)) {
                ir_expr *e = ir_call2(job, IR_FN_COALESCE, same, other);
                e->type = src->type;
                e->span = src->span;
                return canon(job, e);
            }
        }
    }
    /* a > b is b < a: one spelling of each comparison */
    if ((fn == IR_FN_GT || fn == IR_FN_GE) && m == 2) {
        ir_expr *t = args[0];
        args[0] = args[1];
        args[1] = t;
        fn = fn == IR_FN_GT ? IR_FN_LT : IR_FN_LE;
    }
    ir_expr *e = ir_call(job, fn, fl, m, args);
    if (src->type.kind != IR_TY_UNKNOWN)
        e->type = src->type;
    e->span = src->span;
    ir_expr *f = fold_call(job, e);
    if (f != e)
        return f;
    if (is_commutative(e->u.call.fn))
        sort_args(e->u.call.args, e->u.call.n_args);
    return e;
}

static ir_expr *canon(ir_job *job, const ir_expr *e)
{
    if (!e)
        return NULL;
    switch (e->kind) {
    case IR_EX_REF:
        return resolve_alias(job, e);
    case IR_EX_CALL:
        return canon_call(job, e);
    case IR_EX_OVER:
    case IR_EX_QUERY:
        return ir_sql_canonicalize(job, e);
    default:
        return ir_expr_copy(job, e);
    }
}

ir_expr *ir_canonicalize(ir_job *job, const ir_expr *e)
{
    return canon(job, e);
}

/* ---- holes ---- */

typedef struct hole_walk {
    ir_hole_fn fn;
    void *userdata;
    const ir_node *node;
    const char *column;
    ir_span fallback; /* the column's or node's span when the hole has none */
    int count;
} hole_walk;

static void walk_holes(hole_walk *w, const ir_expr *e)
{
    if (!e)
        return;
    if (e->kind == IR_EX_CALL) {
        for (int i = 0; i < e->u.call.n_args; i++)
            walk_holes(w, e->u.call.args[i]);
        return;
    }
    if (e->kind != IR_EX_HOLE)
        return;
    ir_hole_info h = {"expression", e->u.hole.text, e->u.hole.reason,
                      (e->span.line || e->span.file) ? e->span : w->fallback, w->node->id, w->column};
    w->count++;
    if (w->fn)
        w->fn(w->userdata, &h);
}

int ir_job_holes(const ir_job *job, ir_hole_fn fn, void *userdata)
{
    hole_walk w = {fn, userdata, NULL, NULL, {0}, 0};
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        w.node = n;
        w.column = NULL;
        w.fallback = n->span;
        if (n->op == IR_OP_PROCEDURE) {
            ir_hole_info h = {"node", n->legacy ? n->legacy : (n->sql ? n->sql : ""),
                              n->hole_reason ? n->hole_reason : "procedural code", n->span, n->id, NULL};
            w.count++;
            if (fn)
                fn(userdata, &h);
        } else if (n->sql) {
            /* an SQL override is legacy-dialect text a backend has to translate */
            ir_hole_info h = {"sql", n->sql, "SQL override in the legacy dialect", n->span, n->id, NULL};
            w.count++;
            if (fn)
                fn(userdata, &h);
        }
        walk_holes(&w, n->predicate);
        walk_holes(&w, n->count);
        for (int k = 0; k < n->n_keys; k++)
            walk_holes(&w, n->keys[k]);
        for (int k = 0; k < n->n_order; k++)
            walk_holes(&w, n->order[k].expr);
        for (int k = 0; k < n->n_cols; k++) {
            const ir_column *c = &n->cols[k];
            w.column = c->name;
            w.fallback = (c->span.line || c->span.file) ? c->span : n->span;
            walk_holes(&w, c->expr);
            for (int a = 0; a < c->n_alts; a++)
                walk_holes(&w, c->alts[a]);
        }
    }
    return w.count;
}

bool ir_expr_contains(const ir_expr *e, unsigned mask)
{
    if (!e)
        return false;
    if (mask & IR_EXPR_MASK(e->kind))
        return true;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            if (ir_expr_contains(e->u.call.args[i], mask))
                return true;
    if (e->kind == IR_EX_OVER) {
        const ir_over *o = e->u.over;
        if (ir_expr_contains(o->call, mask))
            return true;
        for (int i = 0; i < o->n_partition; i++)
            if (ir_expr_contains(o->partition[i], mask))
                return true;
        for (int i = 0; i < o->n_order; i++)
            if (ir_expr_contains(o->order[i].expr, mask))
                return true;
    }
    if (e->kind == IR_EX_QUERY && e->u.sub->lhs && ir_expr_contains(e->u.sub->lhs, mask))
        return true; /* the subquery's own expressions are another scope: not searched */
    return false;
}
