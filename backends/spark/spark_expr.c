/*
 * spark_expr.c — canonical expressions as PySpark Column code.
 *
 * Every row of ir/functions.def is handled in the switch of write_call (the compiler checks that
 * no row is missing) or named in unsupported_reasons with a reason. Semantic flags choose the
 * idiom: concat[null_as_empty] → F.concat_ws("", ...) because concat_ws skips NULLs; decode
 * [null_matches_null] → eqNullSafe; substr positions follow Spark's substring, which already
 * treats 0 as 1 and counts negative starts from the end. docs/spark-backend.md gives the reasons.
 *
 * Python precedence matters: comparisons bind more loosely than & and |, so operands are
 * parenthesised by level, not by habit.
 */
#include "backends/spark/spark_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/datefmt.h"

/* Python operator levels, loosest first. */
enum { P_ANY = 0, P_CMP, P_OR, P_AND, P_ADD, P_MUL, P_UNARY, P_PRIMARY };

static const char *const unsupported_reasons[IR_FN__COUNT] = {
    [IR_FN_JSON_GET] = "a JSON value (a string in its quotes): Spark 3.5 has no JSON type, and get_json_object "
                       "gives a string without its quotes",
    [IR_FN_ERROR] = "Informatica ERROR() rejects the row and the run goes on; Spark has no per-row "
                    "reject inside an expression (F.raise_error would fail the whole run)",
    [IR_FN_SET_VARIABLE] = "mapping variables keep state between runs; the Spark job has no "
                           "variable store: persist the value outside the job",
    [IR_FN_SET_MAX_VARIABLE] = "mapping variables keep state between runs; compute the max with an "
                               "aggregate and persist it outside the job",
    [IR_FN_SET_MIN_VARIABLE] = "mapping variables keep state between runs; compute the min with an "
                               "aggregate and persist it outside the job",
    [IR_FN_SET_COUNT_VARIABLE] = "mapping variables keep state between runs; count with an "
                                 "aggregate and persist it outside the job",
    [IR_FN_SEQ_NEXT] = "Spark has no sequences: number the rows (row_number() plus the target's "
                       "highest key) or use an identity column, and review",
};

const char *spark_fn_unsupported_reason(ir_fn fn)
{
    if ((int)fn < 0 || fn >= IR_FN__COUNT)
        return "unknown function";
    return unsupported_reasons[fn];
}

void spark_ctx_init(spark_ctx *c, const ir_job *job, const ir_node *node)
{
    memset(c, 0, sizeof *c);
    c->job = job;
    c->node = node;
    if (node)
        c->span = node->span;
}

/* ---- small text helpers ---- */

void spark_py_string(strbuf *sb, const char *s, bool prefer_raw)
{
    if (prefer_raw && strchr(s, '\\')) {
        bool ok = true;
        size_t n = strlen(s);
        for (const char *p = s; *p; p++)
            if (*p == '"' || (unsigned char)*p < 0x20 || *p == 0x7f)
                ok = false;
        /* a raw string cannot end in an odd number of backslashes */
        size_t bs = 0;
        while (bs < n && s[n - 1 - bs] == '\\')
            bs++;
        if (bs % 2)
            ok = false;
        if (ok) {
            sb_puts(sb, "r\"");
            sb_puts(sb, s);
            sb_putc(sb, '"');
            return;
        }
    }
    sb_put_py_string(sb, s);
}

static bool plain_name(const char *s)
{
    if (!s || !*s || isdigit((unsigned char)*s))
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

void spark_col_name(strbuf *sb, const char *qualifier, const char *name)
{
    strbuf t = STRBUF_INIT;
    if (qualifier) {
        sb_puts(&t, qualifier);
        sb_putc(&t, '.');
    }
    if (plain_name(name)) {
        sb_puts(&t, name);
    } else {
        sb_putc(&t, '`');
        for (const char *p = name; *p; p++) {
            if (*p == '`')
                sb_putc(&t, '`');
            sb_putc(&t, *p);
        }
        sb_putc(&t, '`');
    }
    sb_put_py_string(sb, sb_cstr(&t));
    sb_free(&t);
}

void spark_snake(strbuf *sb, const char *name)
{
    size_t start = sb->len;
    char prev = 0;
    for (const char *p = name ? name : ""; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (isalnum(ch)) {
            /* camelCase boundary: lower or digit followed by upper */
            if (isupper(ch) && prev && (islower((unsigned char)prev) || isdigit((unsigned char)prev)))
                sb_putc(sb, '_');
            sb_putc(sb, (char)tolower(ch));
            prev = (char)ch;
        } else {
            if (sb->len > start && sb->data[sb->len - 1] != '_')
                sb_putc(sb, '_');
            prev = 0;
        }
    }
    while (sb->len > start && sb->data[sb->len - 1] == '_')
        sb->len--;
    if (sb->data)
        sb->data[sb->len] = '\0';
}

void spark_param_var(strbuf *sb, const char *name)
{
    sb_puts(sb, "p_");
    size_t before = sb->len;
    spark_snake(sb, name);
    if (sb->len == before)
        sb_puts(sb, "param");
}

void spark_location(strbuf *sb, const ir_job *job, ir_span sp)
{
    const char *file = sp.file ? sp.file : (job ? job->file : NULL);
    int line = sp.file || sp.line ? sp.line : (job ? job->line : 0);
    if (!file && !line) {
        sb_puts(sb, "unknown");
        return;
    }
    sb_puts(sb, file ? file : "?");
    if (line > 0)
        sb_printf(sb, ":%d", line);
}

const char *spark_type_name(ir_type t, char *buf, size_t size)
{
    switch (t.kind) {
    case IR_TY_BOOL: return "boolean";
    case IR_TY_INT: return "int";
    case IR_TY_BIGINT: return "bigint";
    case IR_TY_DECIMAL:
        if (t.precision > 0) {
            int p = t.precision > 38 ? 38 : t.precision;
            int s = t.scale > p ? p : t.scale;
            snprintf(buf, size, "decimal(%d,%d)", p, s < 0 ? 0 : s);
        } else {
            snprintf(buf, size, "decimal(38,18)");
        }
        return buf;
    case IR_TY_DOUBLE: return "double";
    case IR_TY_STRING: return "string";
    case IR_TY_DATE: return "date";
    case IR_TY_TIMESTAMP: return "timestamp";
    case IR_TY_BINARY: return "binary";
    case IR_TY_ARRAY: {
        char e[48];
        const char *en = spark_type_name(ir_type_elem(t), e, sizeof e);
        if (!en)
            return NULL; /* an array of unknown elements has no Spark type to cast to */
        snprintf(buf, size, "array<%s>", en);
        return buf;
    }
    case IR_TY_UNKNOWN:
    case IR_TY__COUNT: break;
    }
    return NULL;
}

/* ---- date formats ---- */

int spark_datefmt(const char *canonical, strbuf *out, bool *rr)
{
    const char *p = canonical;
    if (rr)
        *rr = false;
    for (;;) {
        const char *lit;
        size_t n;
        df_token t = df_next(&p, &lit, &n);
        switch (t) {
        case DF_END: return 0;
        case DF_BAD: return -1;
        case DF_YYYY: sb_puts(out, "yyyy"); break;
        case DF_YY: sb_puts(out, "yy"); break;
        case DF_RR:
            sb_puts(out, "yy");
            if (rr)
                *rr = true;
            break;
        case DF_MM: sb_puts(out, "MM"); break;
        case DF_MON: sb_puts(out, "MMM"); break;
        case DF_MONTH: sb_puts(out, "MMMM"); break;
        case DF_DD: sb_puts(out, "dd"); break;
        case DF_DDD: sb_puts(out, "DDD"); break;
        case DF_DY: sb_puts(out, "EEE"); break;
        case DF_DAY: sb_puts(out, "EEEE"); break;
        case DF_HH24: sb_puts(out, "HH"); break;
        case DF_HH12: sb_puts(out, "hh"); break;
        case DF_AM: sb_puts(out, "a"); break;
        case DF_MI: sb_puts(out, "mm"); break;
        case DF_SS: sb_puts(out, "ss"); break;
        case DF_FF3: sb_puts(out, "SSS"); break;
        case DF_FF6: sb_puts(out, "SSSSSS"); break;
        case DF_FF9: sb_puts(out, "SSSSSSSSS"); break;
        case DF_LIT: {
            bool punct = n > 0;
            for (size_t i = 0; i < n; i++)
                if (!strchr("-/:., ;", lit[i]))
                    punct = false;
            if (punct) {
                sb_putn(out, lit, n);
            } else {
                /* letters are pattern symbols in Spark: quote literal text, doubling quotes */
                sb_putc(out, '\'');
                for (size_t i = 0; i < n; i++) {
                    if (lit[i] == '\'')
                        sb_putc(out, '\'');
                    sb_putc(out, lit[i]);
                }
                sb_putc(out, '\'');
            }
            break;
        }
        }
    }
}

/* ---- types ---- */

static ir_type type_of_ref(const spark_ctx *c, const ir_expr *e)
{
    ir_type none = ir_type_make(IR_TY_UNKNOWN, 0, 0);
    if (!c->job)
        return none;
    const ir_node *n = ir_job_node(c->job, e->u.ref.node);
    const ir_column *col = n ? ir_node_col(n, e->u.ref.col) : NULL;
    return col ? col->type : none;
}

ir_type spark_expr_type(const spark_ctx *c, const ir_expr *e)
{
    ir_type none = ir_type_make(IR_TY_UNKNOWN, 0, 0);
    if (!e)
        return none;
    if (e->type.kind != IR_TY_UNKNOWN)
        return e->type;
    switch (e->kind) {
    case IR_EX_REF: return type_of_ref(c, e);
    case IR_EX_PARAM:
        if (c->job) {
            const ir_param *p = ir_job_param(c->job, e->u.param.name);
            if (p)
                return p->type;
        }
        return none;
    case IR_EX_CALL: {
        const ir_fn_info *fi = ir_fn_get(e->u.call.fn);
        int n = e->u.call.n_args;
        switch (fi->type_rule) {
        case TR_ARG0: return n > 0 ? spark_expr_type(c, e->u.call.args[0]) : none;
        case TR_ARG1: return n > 1 ? spark_expr_type(c, e->u.call.args[1]) : none;
        case TR_DATE: return ir_type_make(IR_TY_DATE, 0, 0);
        case TR_TIMESTAMP: return ir_type_make(IR_TY_TIMESTAMP, 0, 0);
        case TR_STRING: return ir_type_make(IR_TY_STRING, 0, 0);
        case TR_BOOL: return ir_type_make(IR_TY_BOOL, 0, 0);
        case TR_INT: return ir_type_make(IR_TY_INT, 0, 0);
        case TR_BIGINT: return ir_type_make(IR_TY_BIGINT, 0, 0);
        case TR_DOUBLE: return ir_type_make(IR_TY_DOUBLE, 0, 0);
        case TR_ELEM: return n > 0 ? ir_type_elem(spark_expr_type(c, e->u.call.args[0])) : none;
        case TR_NUMERIC:
        case TR_COMMON:
            for (int i = 0; i < n; i++) {
                ir_type t = spark_expr_type(c, e->u.call.args[i]);
                if (t.kind != IR_TY_UNKNOWN && !(fi->type_rule == TR_COMMON &&
                                                 (e->u.call.fn == IR_FN_CASE || e->u.call.fn == IR_FN_IF) &&
                                                 t.kind == IR_TY_BOOL))
                    return t;
            }
            return none;
        default: return none;
        }
    }
    default: return none;
    }
}

static bool is_temporal(ir_type t)
{
    return t.kind == IR_TY_DATE || t.kind == IR_TY_TIMESTAMP;
}

bool spark_expr_has_agg(const ir_expr *e)
{
    if (!e || e->kind != IR_EX_CALL)
        return false;
    if (ir_fn_is_aggregate(e->u.call.fn))
        return true;
    for (int i = 0; i < e->u.call.n_args; i++)
        if (spark_expr_has_agg(e->u.call.args[i]))
            return true;
    return false;
}

/* ---- literals ---- */

static const char *lit_str(const ir_expr *e)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_STRING ? e->u.lit.text : NULL;
}

static bool lit_int(const ir_expr *e, long long *out)
{
    if (!e)
        return false;
    if (e->kind == IR_EX_CALL && e->u.call.fn == IR_FN_NEG && e->u.call.n_args == 1) {
        long long v;
        if (!lit_int(e->u.call.args[0], &v))
            return false;
        *out = -v;
        return true;
    }
    if (e->kind != IR_EX_LIT || (e->u.lit.kind != IR_LIT_INT && e->u.lit.kind != IR_LIT_DECIMAL) ||
        !e->u.lit.text)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(e->u.lit.text, &end, 10);
    if (errno || end == e->u.lit.text)
        return false;
    /* decimals qualify only when they are whole numbers ("3" or "3.00") */
    if (*end == '.') {
        for (const char *p = end + 1; *p; p++)
            if (*p != '0')
                return false;
    } else if (*end) {
        return false;
    }
    *out = v;
    return true;
}

/* UTF-8 bytes of code point u into buf (at least 5 bytes); false for invalid code points. */
static bool utf8_encode(long long v, char *buf)
{
    if (v <= 0 || v >= 0x110000 || (v >= 0xD800 && v <= 0xDFFF))
        return false;
    unsigned u = (unsigned)v;
    int k = 0;
    if (u < 0x80) buf[k++] = (char)u;
    else if (u < 0x800) { buf[k++] = (char)(0xC0 | (u >> 6)); buf[k++] = (char)(0x80 | (u & 0x3F)); }
    else if (u < 0x10000) { buf[k++] = (char)(0xE0 | (u >> 12)); buf[k++] = (char)(0x80 | ((u >> 6) & 0x3F)); buf[k++] = (char)(0x80 | (u & 0x3F)); }
    else { buf[k++] = (char)(0xF0 | (u >> 18)); buf[k++] = (char)(0x80 | ((u >> 12) & 0x3F)); buf[k++] = (char)(0x80 | ((u >> 6) & 0x3F)); buf[k++] = (char)(0x80 | (u & 0x3F)); }
    buf[k] = '\0';
    return true;
}

/* The text of a constant string: a string literal, or chr() of an integer literal (CHR(13) in a
 * REPLACESTR search list), written into buf (at least 8 bytes). NULL when e is not constant. */
static const char *const_str(const ir_expr *e, char *buf)
{
    const char *s = lit_str(e);
    if (s)
        return s;
    if (e && e->kind == IR_EX_CALL && e->u.call.fn == IR_FN_CHR && e->u.call.n_args == 1 &&
        e->u.call.args[0]->kind == IR_EX_LIT && e->u.call.args[0]->u.lit.kind == IR_LIT_INT) {
        long long v = strtoll(e->u.call.args[0]->u.lit.text ? e->u.call.args[0]->u.lit.text : "", NULL, 10);
        if (utf8_encode(v, buf))
            return buf;
    }
    return NULL;
}

static bool is_null_lit(const ir_expr *e)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_NULL;
}

/* Whether e can never be NULL: a non-NULL literal, a call whose null rule says never, or a
 * character constant. */
static bool never_null(const ir_expr *e)
{
    if (!e)
        return false;
    if (e->kind == IR_EX_LIT)
        return e->u.lit.kind != IR_LIT_NULL;
    if (e->kind != IR_EX_CALL)
        return false;
    if (ir_fn_get(e->u.call.fn)->null_rule == NR_NEVER)
        return true;
    return e->u.call.fn == IR_FN_CHR && e->u.call.n_args == 1 && e->u.call.args[0]->kind == IR_EX_LIT &&
           e->u.call.args[0]->u.lit.kind == IR_LIT_INT;
}

/* Lower-cased date part of a canonical part literal, or NULL. */
static const char *part_of(const ir_expr *e, char *buf, size_t size)
{
    const char *s = lit_str(e);
    if (!s || strlen(s) >= size)
        return NULL;
    size_t i = 0;
    for (; s[i]; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    buf[i] = '\0';
    return buf;
}

/* Python number text for an integer literal: no leading zeros (Python rejects 007). */
static void put_int_text(strbuf *sb, const char *t)
{
    if (*t == '-')
        sb_putc(sb, *t++);
    while (t[0] == '0' && isdigit((unsigned char)t[1]))
        t++;
    sb_puts(sb, t);
}

/* Writes a literal. bare: a Python value is enough (operand of an operator, when/otherwise value);
 * otherwise a Column (F.lit ...). Returns the level of what was written. */
static int write_lit(spark_ctx *c, strbuf *sb, const ir_expr *e, bool bare)
{
    const char *t = e->u.lit.text ? e->u.lit.text : "";
    switch (e->u.lit.kind) {
    case IR_LIT_NULL: {
        char buf[40];
        const char *tn = spark_type_name(e->type, buf, sizeof buf);
        if (bare && !tn) {
            sb_puts(sb, "None");
            return P_PRIMARY;
        }
        sb_puts(sb, "F.lit(None)");
        if (tn)
            sb_printf(sb, ".cast(\"%s\")", tn);
        return P_PRIMARY;
    }
    case IR_LIT_BOOL: {
        bool v = strcmp(t, "true") == 0 || strcmp(t, "TRUE") == 0 || strcmp(t, "1") == 0;
        sb_puts(sb, bare ? "" : "F.lit(");
        sb_puts(sb, v ? "True" : "False");
        sb_puts(sb, bare ? "" : ")");
        return P_PRIMARY;
    }
    case IR_LIT_INT:
        if (bare) {
            put_int_text(sb, t);
            return *t == '-' ? P_UNARY : P_PRIMARY;
        }
        sb_puts(sb, "F.lit(");
        put_int_text(sb, t);
        sb_putc(sb, ')');
        return P_PRIMARY;
    case IR_LIT_DECIMAL:
        /* Python floats would make Spark literals double: keep the exact decimal */
        c->needs |= SPARK_NEED_DECIMAL;
        sb_puts(sb, bare ? "Decimal(" : "F.lit(Decimal(");
        sb_put_py_string(sb, t);
        sb_puts(sb, bare ? ")" : "))");
        return P_PRIMARY;
    case IR_LIT_DOUBLE: {
        strbuf v = STRBUF_INIT;
        if (strstr(t, "inf") || strstr(t, "INF") || strstr(t, "nan") || strstr(t, "NAN")) {
            sb_puts(&v, "float(");
            sb_put_py_string(&v, t);
            sb_putc(&v, ')');
        } else {
            sb_puts(&v, t);
            if (!strpbrk(t, ".eE"))
                sb_puts(&v, ".0");
        }
        int lvl = (*t == '-') ? P_UNARY : P_PRIMARY;
        if (bare) {
            sb_puts(sb, sb_cstr(&v));
        } else {
            sb_printf(sb, "F.lit(%s)", sb_cstr(&v));
            lvl = P_PRIMARY;
        }
        sb_free(&v);
        return lvl;
    }
    case IR_LIT_STRING:
        if (bare) {
            sb_put_py_string(sb, t);
        } else {
            sb_puts(sb, "F.lit(");
            sb_put_py_string(sb, t);
            sb_putc(sb, ')');
        }
        return P_PRIMARY;
    case IR_LIT_DATE:
        sb_puts(sb, "F.to_date(F.lit(");
        sb_put_py_string(sb, t);
        sb_puts(sb, "))");
        return P_PRIMARY;
    case IR_LIT_TIMESTAMP:
        sb_puts(sb, "F.to_timestamp(F.lit(");
        sb_put_py_string(sb, t);
        sb_puts(sb, "))");
        return P_PRIMARY;
    }
    return P_PRIMARY;
}

/* ---- placeholders ---- */

static void hole_call(spark_ctx *c, strbuf *sb, const char *kind, ir_span sp, const char *text,
                      const char *reason)
{
    strbuf loc = STRBUF_INIT;
    spark_location(&loc, c->job, sp.file || sp.line ? sp : c->span);
    sb_puts(sb, "_etlport_hole(");
    sb_put_py_string(sb, kind);
    sb_puts(sb, ", ");
    sb_put_py_string(sb, sb_cstr(&loc));
    sb_puts(sb, ", ");
    sb_put_py_string(sb, text ? text : "");
    sb_putc(sb, ')');
    c->holes++;
    if (c->on_hole)
        c->on_hole(c->hole_userdata, kind, sb_cstr(&loc), text, reason);
    sb_free(&loc);
}

/* ---- the writer ---- */

static int write(spark_ctx *c, strbuf *sb, const ir_expr *e, int min_level, bool bare);

/* Writes e into its own buffer and wraps it in parentheses when its level is below min_level. */
static int emit(spark_ctx *c, strbuf *sb, const ir_expr *e, int min_level, bool bare)
{
    strbuf t = STRBUF_INIT;
    int lvl = write(c, &t, e, min_level, bare);
    if (lvl < 0) {
        sb_free(&t);
        return -1;
    }
    if (lvl < min_level) {
        sb_putc(sb, '(');
        sb_puts(sb, sb_cstr(&t));
        sb_putc(sb, ')');
        lvl = P_PRIMARY;
    } else {
        sb_puts(sb, sb_cstr(&t));
    }
    sb_free(&t);
    return lvl;
}

#define ARG(i) c, sb, e->u.call.args[i]
/* a Column argument of a function call */
#define COL(i)                                                                                     \
    do {                                                                                           \
        if (emit(ARG(i), P_ANY, false) < 0)                                                        \
            return -1;                                                                             \
    } while (0)
/* a receiver of a method call */
#define RECV(i)                                                                                    \
    do {                                                                                           \
        if (emit(ARG(i), P_PRIMARY, false) < 0)                                                    \
            return -1;                                                                             \
    } while (0)
/* a value where a bare Python literal will do (when/otherwise values, isin, eqNullSafe) */
#define VAL(i)                                                                                     \
    do {                                                                                           \
        if (emit(ARG(i), P_ANY, true) < 0)                                                         \
            return -1;                                                                             \
    } while (0)
#define PUT(s) sb_puts(sb, s)

static int unsupported(spark_ctx *c, strbuf *sb, const ir_expr *e, const char *why)
{
    c->unsupported++;
    if (c->strict)
        return -1;
    strbuf text = STRBUF_INIT;
    ir_expr_to_text(&text, e);
    if (c->legacy && *c->legacy) {
        sb_puts(&text, "  /* legacy: ");
        sb_puts(&text, c->legacy);
        sb_puts(&text, " */");
    }
    hole_call(c, sb, "unsupported", e->span, sb_cstr(&text), why);
    sb_free(&text);
    return P_PRIMARY;
}

/* Binary operator: bare literals are fine on either side as long as the other is a Column. */
static int binop(spark_ctx *c, strbuf *sb, const ir_expr *a, const char *op, const ir_expr *b,
                 int level)
{
    /* the left side is always a Column (literals get F.lit), so Python dispatches to Column's
     * operator and the right side may stay a plain Python value */
    (void)a;
    bool bare_a = false;
    bool bare_b = !is_null_lit(b);
    int right_min = level == P_CMP ? P_OR : level + 1;
    int left_min = level == P_CMP ? P_OR : level;
    if (emit(c, sb, a, left_min, bare_a) < 0)
        return -1;
    sb_printf(sb, " %s ", op);
    if (emit(c, sb, b, right_min, bare_b) < 0)
        return -1;
    return level;
}

/* One side of a comparison under blank_padded (F.rtrim) and case_insensitive (F.upper): a string
 * literal is folded here (upper-cased only when it is ASCII, as F.upper would leave no doubt), any
 * other value wrapped. lit_ok: a bare Python literal will do (the right of ==, isin). */
static int cmp_side(spark_ctx *c, strbuf *sb, const ir_expr *x, bool pad, bool ci, bool lit_ok)
{
    const char *s = lit_str(x);
    bool ascii = s != NULL;
    for (const char *p = s; p && *p; p++)
        ascii &= (unsigned char)*p < 0x80;
    if (s && (ascii || !ci)) {
        size_t n = strlen(s);
        while (pad && n && s[n - 1] == ' ')
            n--;
        char *t = strndup(s, n);
        if (!t)
            abort();
        for (char *p = t; ci && *p; p++)
            *p = (char)toupper((unsigned char)*p);
        if (!lit_ok)
            PUT("F.lit(");
        sb_put_py_string(sb, t);
        if (!lit_ok)
            PUT(")");
        free(t);
        return 0;
    }
    if (ci)
        PUT("F.upper(");
    if (pad)
        PUT("F.rtrim(");
    if (emit(c, sb, x, P_ANY, false) < 0)
        return -1;
    if (pad)
        PUT(")");
    if (ci)
        PUT(")");
    return 0;
}

/* Comparison, with blank_padded / case_insensitive applied to both sides. */
static int compare(spark_ctx *c, strbuf *sb, const ir_expr *e, const char *op)
{
    bool pad = (e->u.call.flags & IR_FL_BLANK_PADDED) != 0, ci = (e->u.call.flags & IR_FL_CASE_INSENSITIVE) != 0;
    if (pad || ci) {
        if (cmp_side(c, sb, e->u.call.args[0], pad, ci, false) < 0)
            return -1;
        sb_printf(sb, " %s ", op);
        if (cmp_side(c, sb, e->u.call.args[1], pad, ci, true) < 0)
            return -1;
        return P_CMP;
    }
    return binop(c, sb, e->u.call.args[0], op, e->u.call.args[1], P_CMP);
}

/* n-ary & / | */
static int logic(spark_ctx *c, strbuf *sb, const ir_expr *e, const char *op, int level)
{
    for (int i = 0; i < e->u.call.n_args; i++) {
        if (i)
            sb_printf(sb, " %s ", op);
        /* comparisons and the other connective are parenthesised (Python binds & and | tighter
         * than comparisons, and mixed & | read better with explicit grouping) */
        if (emit(ARG(i), P_ADD, false) < 0)
            return -1;
    }
    return level;
}

/* Java regex text matching s literally. */
static void regex_quote(strbuf *sb, const char *s, bool in_class)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x80 && !isalnum(ch) && ch != ' ' && ch != '_' && ch >= 0x20 &&
            (in_class || strchr("\\^$.|?*+()[]{}", ch)))
            sb_putc(sb, '\\');
        sb_putc(sb, (char)ch);
    }
}

/* Java regex replacement text producing s literally. */
static void replacement_quote(strbuf *sb, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '$')
            sb_putc(sb, '\\');
        sb_putc(sb, *s);
    }
}

/* A Spark SQL function through F.call_function, for functions whose Python wrapper wants Python
 * values where the IR has Columns. */
static int call_function(spark_ctx *c, strbuf *sb, const ir_expr *e, const char *name)
{
    sb_printf(sb, "F.call_function(\"%s\"", name);
    for (int i = 0; i < e->u.call.n_args; i++) {
        PUT(", ");
        COL(i);
    }
    PUT(")");
    return P_PRIMARY;
}

/* substr(s, pos[, len]) with the flags' position rules. */
static int write_substr(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    uint32_t fl = e->u.call.flags;
    int n = e->u.call.n_args;
    long long pos, len = 0;
    bool have_len = n > 2;
    bool pos_lit = lit_int(e->u.call.args[1], &pos);
    bool len_lit = have_len && lit_int(e->u.call.args[2], &len);
    if (pos_lit && (!have_len || len_lit)) {
        /* Spark: 0 behaves as 1 and a negative start counts from the end, which is what the flags
         * ask for. Without them the SQL-standard rule holds: positions before 1 are virtual and
         * use up length. */
        if (pos == 0 && !(fl & IR_FL_POS_ZERO_IS_ONE)) {
            pos = 1;
            if (have_len)
                len -= 1;
        } else if (pos < 0 && !(fl & IR_FL_NEG_FROM_END)) {
            if (have_len)
                len += pos - 1;
            pos = 1;
        }
        if (!have_len) {
            PUT("F.substr(");
            COL(0);
            sb_printf(sb, ", F.lit(%lld))", pos);
            return P_PRIMARY;
        }
        if (len < 0)
            len = 0;
        PUT("F.substring(");
        COL(0);
        sb_printf(sb, ", %lld, %lld)", pos, len);
        return P_PRIMARY;
    }
    /* a start of 1 or more means the same under every rule */
    if ((fl & (IR_FL_POS_ZERO_IS_ONE | IR_FL_NEG_FROM_END)) == (IR_FL_POS_ZERO_IS_ONE | IR_FL_NEG_FROM_END) ||
        (pos_lit && pos >= 1)) {
        PUT("F.substr(");
        for (int i = 0; i < n; i++) {
            if (i)
                PUT(", ");
            COL(i);
        }
        PUT(")");
        return P_PRIMARY;
    }
    /* column positions without Spark's rules: positions below 1 shorten the length (standard) */
    if (!have_len) {
        PUT("F.substr(");
        COL(0);
        PUT(", F.greatest(");
        COL(1);
        PUT(", F.lit(1)))");
        return P_PRIMARY;
    }
    PUT("F.when(");
    if (emit(ARG(1), P_OR, false) < 0)
        return -1;
    PUT(" >= 1, F.substr(");
    COL(0);
    PUT(", ");
    COL(1);
    PUT(", ");
    COL(2);
    PUT(")).otherwise(F.substr(");
    COL(0);
    PUT(", F.lit(1), ");
    if (emit(ARG(2), P_ADD, false) < 0)
        return -1;
    PUT(" + ");
    if (emit(ARG(1), P_MUL, false) < 0)
        return -1;
    PUT(" - 1))");
    return P_PRIMARY;
}

static int write_instr(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    int n = e->u.call.n_args;
    long long start = 1, occ = 1;
    if (n > 3 && (!lit_int(e->u.call.args[3], &occ) || occ != 1))
        return unsupported(c, sb, e, "INSTR for an occurrence other than the first");
    if (n > 2) {
        if (!lit_int(e->u.call.args[2], &start)) {
            if (e->u.call.flags & IR_FL_NEG_FROM_END)
                return unsupported(c, sb, e, "INSTR with a computed start that may be negative (backward search)");
            PUT("F.call_function(\"locate\", ");
            COL(1);
            PUT(", ");
            COL(0);
            PUT(", ");
            COL(2);
            PUT(")");
            return P_PRIMARY;
        }
        if (start == 0 && (e->u.call.flags & IR_FL_POS_ZERO_IS_ONE))
            start = 1;
        if (start < 0 && (e->u.call.flags & IR_FL_NEG_FROM_END)) {
            /* from the last character backwards: the last occurrence, found in the reversed string */
            const char *s = lit_str(e->u.call.args[1]);
            if (start != -1 || !s || !*s)
                return unsupported(c, sb, e, "INSTR searching backwards from before the last character");
            strbuf r = STRBUF_INIT;
            size_t L = 0;
            for (const char *p = s; *p; p++)
                L += ((unsigned char)*p & 0xC0) != 0x80;
            /* reverse by characters (UTF-8 aware) */
            size_t n_s = strlen(s);
            for (size_t end = n_s; end > 0;) {
                size_t b = end - 1;
                while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80)
                    b--;
                sb_putn(&r, s + b, end - b);
                end = b;
            }
            strbuf pos = STRBUF_INIT;
            sb_puts(&pos, "F.instr(F.reverse(");
            if (emit(c, &pos, e->u.call.args[0], P_ANY, false) < 0) {
                sb_free(&r);
                sb_free(&pos);
                return -1;
            }
            sb_puts(&pos, "), ");
            sb_put_py_string(&pos, sb_cstr(&r));
            sb_puts(&pos, ")");
            PUT("F.when(");
            PUT(sb_cstr(&pos));
            PUT(" == 0, 0).otherwise(F.length(");
            COL(0);
            sb_printf(sb, ") - %s + %lld)", sb_cstr(&pos), 2 - (long long)L);
            sb_free(&r);
            sb_free(&pos);
            return P_PRIMARY;
        }
    }
    const char *s = lit_str(e->u.call.args[1]);
    if (start == 1 && s) {
        PUT("F.instr(");
        COL(0);
        PUT(", ");
        sb_put_py_string(sb, s);
        PUT(")");
        return P_PRIMARY;
    }
    if (s) {
        PUT("F.locate(");
        sb_put_py_string(sb, s);
        PUT(", ");
        COL(0);
        sb_printf(sb, ", %lld)", start);
        return P_PRIMARY;
    }
    PUT("F.call_function(\"locate\", ");
    COL(1);
    PUT(", ");
    COL(0);
    sb_printf(sb, ", F.lit(%lld))", start);
    return P_PRIMARY;
}

/* ltrim/rtrim/trim; a trim set becomes an anchored character-class regex. */
static int write_trim(spark_ctx *c, strbuf *sb, const ir_expr *e, const char *fn, bool lead, bool trail)
{
    if (e->u.call.n_args == 1 || (lit_str(e->u.call.args[1]) && strcmp(lit_str(e->u.call.args[1]), " ") == 0)) {
        sb_printf(sb, "F.%s(", fn);
        COL(0);
        PUT(")");
        return P_PRIMARY;
    }
    const char *set = lit_str(e->u.call.args[1]);
    if (!set)
        return call_function(c, sb, e, fn);
    if (!*set) {
        /* an empty set removes nothing */
        return emit(ARG(0), P_ANY, false);
    }
    strbuf cls = STRBUF_INIT, pat = STRBUF_INIT;
    sb_putc(&cls, '[');
    regex_quote(&cls, set, true);
    sb_puts(&cls, "]+");
    if (lead) {
        sb_putc(&pat, '^');
        sb_puts(&pat, sb_cstr(&cls));
    }
    if (lead && trail)
        sb_putc(&pat, '|');
    if (trail) {
        sb_puts(&pat, sb_cstr(&cls));
        sb_puts(&pat, "\\z");
    }
    PUT("F.regexp_replace(");
    COL(0);
    PUT(", ");
    spark_py_string(sb, sb_cstr(&pat), true);
    PUT(", \"\")");
    sb_free(&cls);
    sb_free(&pat);
    return P_PRIMARY;
}

static int write_pad(spark_ctx *c, strbuf *sb, const ir_expr *e, const char *fn)
{
    long long n;
    const char *pad = e->u.call.n_args > 2 ? lit_str(e->u.call.args[2]) : " ";
    if (lit_int(e->u.call.args[1], &n) && pad) {
        sb_printf(sb, "F.%s(", fn);
        COL(0);
        sb_printf(sb, ", %lld, ", n);
        sb_put_py_string(sb, pad);
        PUT(")");
        return P_PRIMARY;
    }
    sb_printf(sb, "F.call_function(\"%s\", ", fn);
    COL(0);
    PUT(", ");
    COL(1);
    PUT(", ");
    if (e->u.call.n_args > 2)
        COL(2);
    else
        PUT("F.lit(\" \")");
    PUT(")");
    return P_PRIMARY;
}

/* F.regexp_replace(arg 0, pat, replacement): the replacement is the constant `with`, or when it is
 * not constant the expression nw with NULL read as '' (a NULL replacement removes). Frees pat. */
static int put_regexp_replace(spark_ctx *c, strbuf *sb, const ir_expr *e, strbuf *pat, const char *with,
                              const ir_expr *nw)
{
    PUT("F.regexp_replace(");
    COL(0);
    PUT(", ");
    spark_py_string(sb, sb_cstr(pat), true);
    PUT(", ");
    sb_free(pat);
    if (with) {
        strbuf r = STRBUF_INIT;
        replacement_quote(&r, with);
        sb_put_py_string(sb, sb_cstr(&r));
        sb_free(&r);
    } else {
        PUT("F.coalesce(");
        if (emit(c, sb, nw, P_ANY, false) < 0)
            return -1;
        PUT(", F.lit(\"\"))");
    }
    PUT(")");
    return P_PRIMARY;
}

static int write_replace_chars(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    char set_buf[8], with_buf[8];
    const char *set = const_str(e->u.call.args[1], set_buf);
    const ir_expr *nw = e->u.call.args[2];
    const char *with = is_null_lit(nw) ? "" : const_str(nw, with_buf);
    bool ci = (e->u.call.flags & IR_FL_CASE_INSENSITIVE) != 0;
    if (!set)
        return unsupported(c, sb, e, "REPLACECHR with a computed character set");
    if (!*set)
        return emit(ARG(0), P_ANY, false);
    if (with && !ci && strlen(with) <= 1) {
        /* translate maps the i-th character of the set to the i-th of the replacement and drops
         * set characters beyond the replacement's length: repeat the new character */
        PUT("F.translate(");
        COL(0);
        PUT(", ");
        sb_put_py_string(sb, set);
        PUT(", ");
        strbuf r = STRBUF_INIT;
        if (*with) {
            /* one replacement character per set character (counted in UTF-8 characters) */
            for (const char *p = set; *p; p++)
                if (((unsigned char)*p & 0xC0) != 0x80)
                    sb_puts(&r, with);
        }
        sb_put_py_string(sb, sb_cstr(&r));
        sb_free(&r);
        PUT(")");
        return P_PRIMARY;
    }
    strbuf pat = STRBUF_INIT;
    if (ci)
        sb_puts(&pat, "(?i)");
    sb_putc(&pat, '[');
    regex_quote(&pat, set, true);
    sb_putc(&pat, ']');
    return put_regexp_replace(c, sb, e, &pat, with, nw);
}

static int write_replace_str_consts(spark_ctx *c, strbuf *sb, const ir_expr *e, const char *const *olds,
                                    const char *with, bool ci);

static int write_replace_str(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    int n = e->u.call.n_args;
    const ir_expr *nw = e->u.call.args[n - 1];
    char with_buf[8];
    const char *with = is_null_lit(nw) ? "" : const_str(nw, with_buf);
    bool ci = (e->u.call.flags & IR_FL_CASE_INSENSITIVE) != 0;
    /* the search strings: literals or constant characters (CHR(13)); NULL ones match nothing */
    char (*bufs)[8] = calloc((size_t)n, sizeof *bufs);
    const char **olds = calloc((size_t)n, sizeof *olds);
    if (!bufs || !olds)
        abort();
    for (int i = 1; i < n - 1; i++) {
        olds[i] = const_str(e->u.call.args[i], bufs[i]);
        if (!olds[i] && !is_null_lit(e->u.call.args[i])) {
            free(bufs);
            free(olds);
            return unsupported(c, sb, e, "REPLACESTR with a computed search string");
        }
    }
    int rc = write_replace_str_consts(c, sb, e, olds, with, ci);
    free(bufs);
    free(olds);
    return rc;
}

static int write_replace_str_consts(spark_ctx *c, strbuf *sb, const ir_expr *e, const char *const *olds,
                                    const char *with, bool ci)
{
    int n = e->u.call.n_args;
    const ir_expr *nw = e->u.call.args[n - 1];
    if (n == 3 && !ci && with && olds[1]) {
        PUT("F.replace(");
        COL(0);
        PUT(", F.lit(");
        sb_put_py_string(sb, olds[1]);
        PUT("), F.lit(");
        sb_put_py_string(sb, with);
        PUT("))");
        return P_PRIMARY;
    }
    /* several search strings: one regex alternation, so a replacement is never searched again */
    strbuf pat = STRBUF_INIT;
    if (ci)
        sb_puts(&pat, "(?i)");
    int alts = 0;
    for (int i = 1; i < n - 1; i++) {
        const char *s = olds[i];
        if (!s || !*s)
            continue;
        if (alts++)
            sb_putc(&pat, '|');
        regex_quote(&pat, s, false);
    }
    if (!alts) {
        sb_free(&pat);
        return emit(ARG(0), P_ANY, false);
    }
    return put_regexp_replace(c, sb, e, &pat, with, nw);
}

/* A pattern argument: a Python string when literal, else a Column. */
/* ci: case_insensitive, (?i) first */
const char *spark_inline_flags(uint32_t fl)
{
    bool ci = (fl & IR_FL_CASE_INSENSITIVE) != 0, dot = (fl & IR_FL_DOT_ALL) != 0;
    return ci && dot ? "(?is)" : ci ? "(?i)" : dot ? "(?s)" : "";
}

static int pattern_arg_ci(spark_ctx *c, strbuf *sb, const ir_expr *e, bool full, const char *inl)
{
    const char *p = lit_str(e);
    if (p) {
        strbuf t = STRBUF_INIT;
        sb_puts(&t, inl);
        if (full)
            sb_puts(&t, "^(?:");
        sb_puts(&t, p);
        if (full)
            sb_puts(&t, ")\\z");
        spark_py_string(sb, sb_cstr(&t), true);
        sb_free(&t);
        return 0;
    }
    if (full || *inl) {
        sb_printf(sb, "F.concat(F.lit(\"%s%s\"), ", inl, full ? "^(?:" : "");
        if (emit(c, sb, e, P_ANY, false) < 0)
            return -1;
        PUT(full ? ", F.lit(r\")\\z\"))" : ")");
        return 0;
    }
    return emit(c, sb, e, P_ANY, false) < 0 ? -1 : 0;
}

static int pattern_arg(spark_ctx *c, strbuf *sb, const ir_expr *e, bool full)
{
    return pattern_arg_ci(c, sb, e, full, "");
}

/* date_format pattern for a canonical format literal, or -1. */
static int format_arg(spark_ctx *c, strbuf *sb, const ir_expr *e, bool *rr)
{
    const char *f = e ? lit_str(e) : "MM/DD/YYYY HH24:MI:SS";
    if (!f)
        return -1;
    strbuf p = STRBUF_INIT;
    if (spark_datefmt(f, &p, rr) < 0) {
        sb_free(&p);
        return -1;
    }
    sb_put_py_string(sb, sb_cstr(&p));
    sb_free(&p);
    (void)c;
    return 0;
}

/* make_interval keyword for a canonical part; scale is the factor for sub-second parts. */
static const char *interval_kw(const char *part, const char **scale)
{
    *scale = NULL;
    if (!strcmp(part, "year")) return "years";
    if (!strcmp(part, "quarter")) { *scale = " * 3"; return "months"; }
    if (!strcmp(part, "month")) return "months";
    if (!strcmp(part, "week")) return "weeks";
    if (!strcmp(part, "day")) return "days";
    if (!strcmp(part, "hour")) return "hours";
    if (!strcmp(part, "minute")) return "mins";
    if (!strcmp(part, "second")) return "secs";
    if (!strcmp(part, "millisecond")) { *scale = " / 1000"; return "secs"; }
    if (!strcmp(part, "microsecond")) { *scale = " / 1000000"; return "secs"; }
    return NULL;
}

static int write_date_add(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    char pb[16];
    const char *part = part_of(e->u.call.args[1], pb, sizeof pb);
    const char *scale;
    const char *kw = part ? interval_kw(part, &scale) : NULL;
    if (!kw)
        return unsupported(c, sb, e, "DATE_ADD with a computed or unknown date part");
    ir_type t = spark_expr_type(c, e->u.call.args[0]);
    if (t.kind == IR_TY_DATE && !strcmp(part, "day")) {
        PUT("F.date_add(");
        COL(0);
        PUT(", ");
        COL(2);
        PUT(")");
        return P_PRIMARY;
    }
    if (t.kind == IR_TY_DATE && (!strcmp(part, "month") || !strcmp(part, "year") || !strcmp(part, "quarter"))) {
        PUT("F.add_months(");
        COL(0);
        PUT(", ");
        long long v;
        int mult = !strcmp(part, "year") ? 12 : !strcmp(part, "quarter") ? 3 : 1;
        if (lit_int(e->u.call.args[2], &v)) {
            sb_printf(sb, "%lld", v * mult);
        } else if (mult == 1) {
            COL(2);
        } else {
            if (emit(ARG(2), P_MUL, false) < 0)
                return -1;
            sb_printf(sb, " * %d", mult);
        }
        PUT(")");
        return P_PRIMARY;
    }
    /* timestamps keep their time of day: add an interval (month ends clamp, as in Informatica) */
    if (emit(ARG(0), P_ADD, false) < 0)
        return -1;
    sb_printf(sb, " + F.make_interval(%s=", kw);
    if (scale) {
        if (emit(ARG(2), P_MUL, false) < 0)
            return -1;
        PUT(scale);
    } else {
        COL(2);
    }
    PUT(")");
    return P_ADD;
}

static int write_date_diff(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    char pb[16];
    const char *part = part_of(e->u.call.args[2], pb, sizeof pb);
    if (!part)
        return unsupported(c, sb, e, "DATE_DIFF with a computed date part");
    const char *div = NULL;
    if (!strcmp(part, "week")) div = "604800.0";
    else if (!strcmp(part, "day")) div = "86400.0";
    else if (!strcmp(part, "hour")) div = "3600.0";
    else if (!strcmp(part, "minute")) div = "60.0";
    else if (!strcmp(part, "second")) div = "1.0";
    if (div) {
        PUT("(F.unix_timestamp(");
        COL(0);
        PUT(") - F.unix_timestamp(");
        COL(1);
        sb_printf(sb, ")) / %s", div);
        return P_MUL;
    }
    if (!strcmp(part, "millisecond") || !strcmp(part, "microsecond") || !strcmp(part, "nanosecond")) {
        const char *f = !strcmp(part, "millisecond") ? " / 1000.0" : !strcmp(part, "microsecond") ? " * 1.0" : " * 1000.0";
        PUT("(F.unix_micros(");
        COL(0);
        PUT(".cast(\"timestamp\")) - F.unix_micros(");
        COL(1);
        sb_printf(sb, ".cast(\"timestamp\")))%s", f);
        return P_MUL;
    }
    const char *mdiv = !strcmp(part, "month") ? NULL : !strcmp(part, "quarter") ? "3.0" : !strcmp(part, "year") ? "12.0" : "?";
    if (mdiv && !strcmp(mdiv, "?"))
        return unsupported(c, sb, e, "DATE_DIFF with an unknown date part");
    PUT("F.months_between(");
    COL(0);
    PUT(", ");
    COL(1);
    PUT(", roundOff=False)");
    if (mdiv) {
        sb_printf(sb, " / %s", mdiv);
        return P_MUL;
    }
    return P_PRIMARY;
}

static int write_date_part(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    char pb[16];
    const char *part = part_of(e->u.call.args[1], pb, sizeof pb);
    static const struct { const char *part, *fn; } direct[] = {
        {"year", "year"}, {"quarter", "quarter"}, {"month", "month"}, {"week", "weekofyear"},
        {"day", "dayofmonth"}, {"hour", "hour"}, {"minute", "minute"}, {"second", "second"},
    };
    if (!part)
        return unsupported(c, sb, e, "DATE_PART with a computed date part");
    for (size_t i = 0; i < sizeof direct / sizeof direct[0]; i++)
        if (!strcmp(part, direct[i].part)) {
            sb_printf(sb, "F.%s(", direct[i].fn);
            COL(0);
            PUT(")");
            return P_PRIMARY;
        }
    const char *pat = !strcmp(part, "millisecond") ? "SSS" : !strcmp(part, "microsecond") ? "SSSSSS"
                    : !strcmp(part, "nanosecond") ? "SSSSSSSSS" : NULL;
    if (!pat)
        return unsupported(c, sb, e, "DATE_PART with an unknown date part");
    PUT("F.date_format(");
    COL(0);
    sb_printf(sb, ", \"%s\").cast(\"int\")", pat);
    return P_PRIMARY;
}

static int write_date_set_part(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    char pb[16];
    const char *part = part_of(e->u.call.args[1], pb, sizeof pb);
    static const char *const parts[] = {"year", "month", "day", "hour", "minute", "second"};
    static const char *const getters[] = {"F.year", "F.month", "F.dayofmonth", "F.hour", "F.minute", NULL};
    int which = -1;
    for (int i = 0; part && i < 6; i++)
        if (!strcmp(part, parts[i]))
            which = i;
    if (which < 0)
        return unsupported(c, sb, e, "DATE_SET_PART for this date part");
    bool date = spark_expr_type(c, e->u.call.args[0]).kind == IR_TY_DATE;
    if (date && which > 2)
        return unsupported(c, sb, e, "DATE_SET_PART of a time part on a DATE");
    /* rebuild the value from its parts with one part replaced (an invalid day gives NULL) */
    PUT(date ? "F.make_date(" : "F.make_timestamp(");
    for (int i = 0; i < (date ? 3 : 6); i++) {
        if (i)
            PUT(", ");
        if (i == which) {
            COL(2);
        } else if (i == 5) {
            /* seconds with their fraction */
            PUT("(F.unix_micros(");
            if (emit(ARG(0), P_PRIMARY, false) < 0)
                return -1;
            PUT(".cast(\"timestamp\")) % 60000000) / 1000000");
        } else {
            sb_printf(sb, "%s(", getters[i]);
            COL(0);
            PUT(")");
        }
    }
    PUT(")");
    return P_PRIMARY;
}

static const char *trunc_unit(const char *part)
{
    static const char *const ok[] = {"year", "quarter", "month", "week", "day", "hour", "minute",
                                     "second", "millisecond", "microsecond"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!strcmp(part, ok[i]))
            return ok[i];
    return NULL;
}

static int write_date_trunc(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    char pb[16];
    const char *part = part_of(e->u.call.args[1], pb, sizeof pb);
    const char *unit = part ? trunc_unit(part) : NULL;
    if (!unit)
        return unsupported(c, sb, e, "DATE_TRUNC with a computed or unknown date part");
    bool date = spark_expr_type(c, e->u.call.args[0]).kind == IR_TY_DATE;
    if (date) {
        if (!strcmp(unit, "year") || !strcmp(unit, "quarter") || !strcmp(unit, "month") || !strcmp(unit, "week")) {
            PUT("F.trunc(");
            COL(0);
            sb_printf(sb, ", \"%s\")", unit);
            return P_PRIMARY;
        }
        /* a date has no time part to truncate */
        return emit(ARG(0), P_ANY, false);
    }
    sb_printf(sb, "F.date_trunc(\"%s\", ", unit);
    COL(0);
    PUT(")");
    return P_PRIMARY;
}

static int write_date_round(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    char pb[16];
    const char *part = part_of(e->u.call.args[1], pb, sizeof pb);
    if (!part)
        return unsupported(c, sb, e, "DATE_ROUND with a computed date part");
    /* Informatica ROUND(date): up from the middle of the unit (month: day 16, year: July) */
    if (!strcmp(part, "year") || !strcmp(part, "month")) {
        bool y = part[0] == 'y';
        PUT(y ? "F.when(F.month(" : "F.when(F.dayofmonth(");
        COL(0);
        sb_printf(sb, ") >= %d, F.date_trunc(\"%s\", ", y ? 7 : 16, part);
        if (emit(ARG(0), P_ADD, false) < 0)
            return -1;
        sb_printf(sb, " + F.make_interval(%s=F.lit(1)))).otherwise(F.date_trunc(\"%s\", ", y ? "years" : "months", part);
        COL(0);
        PUT("))");
        return P_PRIMARY;
    }
    const char *half = !strcmp(part, "day") ? "hours=F.lit(12)" : !strcmp(part, "hour") ? "mins=F.lit(30)"
                     : !strcmp(part, "minute") ? "secs=F.lit(30)" : !strcmp(part, "second") ? "secs=F.lit(0.5)" : NULL;
    if (!half)
        return unsupported(c, sb, e, "DATE_ROUND for this date part");
    sb_printf(sb, "F.date_trunc(\"%s\", ", part);
    if (emit(ARG(0), P_ADD, false) < 0)
        return -1;
    sb_printf(sb, " + F.make_interval(%s))", half);
    return P_PRIMARY;
}

/* to_integer / to_bigint: arg 2 TRUE (default) truncates, FALSE rounds half away from zero. */
static int write_to_int(spark_ctx *c, strbuf *sb, const ir_expr *e, const char *type)
{
    const ir_expr *t = e->u.call.n_args > 1 ? e->u.call.args[1] : NULL;
    bool trunc = true;
    long long tv = 0;
    if (t && t->kind == IR_EX_LIT && t->u.lit.kind == IR_LIT_BOOL)
        trunc = strcmp(t->u.lit.text, "false") != 0 && strcmp(t->u.lit.text, "FALSE") != 0;
    else if (t && lit_int(t, &tv)) {
        trunc = tv != 0;
    } else if (t) {
        PUT("F.when(");
        COL(1);
        PUT(", ");
        RECV(0);
        sb_printf(sb, ".cast(\"double\").cast(\"%s\")).otherwise(F.round(", type);
        COL(0);
        sb_printf(sb, ".cast(\"double\")).cast(\"%s\"))", type);
        return P_PRIMARY;
    }
    bool is_str = spark_expr_type(c, e->u.call.args[0]).kind == IR_TY_STRING;
    if (trunc) {
        /* casts toward zero; strings go through decimal so '12.7' truncates instead of failing */
        RECV(0);
        if (is_str)
            PUT(".cast(\"decimal(38,10)\")");
        sb_printf(sb, ".cast(\"%s\")", type);
        return P_PRIMARY;
    }
    PUT("F.round(");
    if (is_str) {
        RECV(0);
        PUT(".cast(\"decimal(38,10)\")");
    } else {
        COL(0);
    }
    sb_printf(sb, ").cast(\"%s\")", type);
    return P_PRIMARY;
}

/* Aggregate with an optional filter argument at index filt: F.fn(F.when(cond, x)). */
static int write_agg(spark_ctx *c, strbuf *sb, const ir_expr *e, const char *fn, int filt, const char *extra)
{
    if (c->agg_depth > 0)
        return unsupported(c, sb, e, "nested aggregate (aggregate of an aggregate): Spark needs a second aggregation");
    c->agg_depth++;
    int rc = P_PRIMARY;
    sb_printf(sb, "F.%s(", fn);
    bool has_filter = e->u.call.n_args > filt;
    if (has_filter) {
        PUT("F.when(");
        if (emit(c, sb, e->u.call.args[filt], P_ANY, false) < 0)
            rc = -1;
        PUT(", ");
    }
    if (filt == 0) {
        PUT("F.lit(1)"); /* count_star */
    } else if (emit(c, sb, e->u.call.args[0], P_ANY, false) < 0) {
        rc = -1;
    }
    if (has_filter)
        PUT(")");
    if (extra)
        PUT(extra);
    PUT(")");
    c->agg_depth--;
    return rc;
}

/* F.array_join(F.collect_list(x) | F.collect_set(x), 'sep') of string_agg e: '' for a group without
 * a non-NULL value (array_join casts the values to strings; its separator is a Python string) */
static int write_array_join(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    const ir_expr *sep = e->u.call.args[1];
    if (sep->kind != IR_EX_LIT || sep->u.lit.kind != IR_LIT_STRING)
        return unsupported(c, sb, e, "a string aggregate whose separator is not a string literal");
    PUT("F.array_join(");
    int rc = write_agg(c, sb, e, (e->u.call.flags & IR_FL_DISTINCT) ? "collect_set" : "collect_list", 2, NULL);
    PUT(", ");
    sb_put_py_string(sb, sep->u.lit.text);
    PUT(")");
    return rc < 0 ? -1 : P_PRIMARY;
}

/* The values of ordered aggregate e in the order of its keys: collect_list gives no order, so each
 * non-NULL value is collected in a struct behind its keys, sorted by sort_array, and taken back
 * out: F.transform(F.sort_array(F.collect_list(F.when(x.isNotNull(), F.struct(n0, k0, .., x))),
 * asc), lambda s: s["v"]). A key's NULL placement comes from a flag before it (sort_array puts
 * False before True ascending, and reverses everything descending); all keys go one direction. */
const char *spark_array_plan(const ir_expr *e, spark_array_call *out)
{
    static const struct {
        ir_fn fn;
        const char *name;
    } same[] = {{IR_FN_ARRAY_REVERSE, "reverse"},        /* of an array: its elements reversed */
                {IR_FN_ARRAY_MAX, "array_max"},          /* NULL elements skipped */
                {IR_FN_ARRAY_MIN, "array_min"},
                {IR_FN_ARRAY_DISTINCT, "array_distinct"},
                {IR_FN_ARRAY_EXCEPT, "array_except"},    /* without duplicates */
                {IR_FN_ARRAY_REMOVE, "array_remove"},
                {IR_FN_ARRAY_COMPACT, "array_compact"}}; /* Spark 3.4 */
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        if (e->u.call.fn == same[i].fn) {
            out->name = same[i].name;
            out->all_args = true;
            return NULL;
        }
    if (e->u.call.fn == IR_FN_ARRAY_SLICE) {
        long long from, to;
        if (!lit_int(e->u.call.args[1], &from) || !lit_int(e->u.call.args[2], &to))
            return "a computed position (it may be negative: Spark's slice counts a negative start from the end "
                   "without clamping it)";
        if (from < 0 || to < 0)
            return "a position from the end (Spark's slice gives an empty array where the canonical slice clamps "
                   "the position to the start)";
        out->name = "slice";
        out->n_lits = 2;
        out->lits[0] = from + 1; /* slice counts from 1 and fails on 0 */
        out->lits[1] = to > from ? to - from : 0;
        return NULL;
    }
    const char *dir = e->u.call.fn == IR_FN_ARRAY_SORT ? lit_str(e->u.call.args[1]) : NULL;
    if (!dir)
        return "an array function without a Spark form";
    out->lit_bool = true;
    if (strcmp(dir, "asc nulls first") == 0 || strcmp(dir, "desc nulls last") == 0) {
        out->name = "sort_array"; /* NULL elements first in ascending order, last in descending */
        out->n_lits = dir[0] == 'd';
        return NULL;
    }
    if (strcmp(dir, "asc nulls last") == 0) {
        out->name = "array_sort"; /* without a comparator: ascending, NULL elements last */
        return NULL;
    }
    return "descending with NULL elements first: Spark's sort_array puts them last";
}

const char *spark_ordered_agg(const ir_expr *e, ir_sort_key *keys, bool *true_for_null, int max, int *nk)
{
    *nk = ir_ordered_agg_keys(e, keys, max);
    if (*nk < 1)
        return "an ordered aggregate whose keys are not literal directions";
    for (int i = 0; i < *nk; i++) {
        if (keys[i].desc != keys[0].desc)
            return "an ordered aggregate whose keys go different directions (sort_array sorts every key one way)";
        /* sort_array puts False before True ascending, and reverses everything descending */
        true_for_null[i] = keys[i].desc ? keys[i].nulls == 1 : keys[i].nulls == 2;
    }
    if (e->u.call.flags & IR_FL_DISTINCT)
        return "an ordered aggregate of distinct values (collect_set keeps no order)";
    return NULL;
}

static int write_sorted_values(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    ir_sort_key keys[16];
    bool null_flag[16];
    int nk;
    const char *why = spark_ordered_agg(e, keys, null_flag, 16, &nk);
    if (why)
        return unsupported(c, sb, e, why);
    if (c->agg_depth > 0)
        return unsupported(c, sb, e, "nested aggregate (aggregate of an aggregate): Spark needs a second aggregation");
    c->agg_depth++;
    int rc = P_PRIMARY;
    const ir_expr *x = e->u.call.args[0];
    PUT("F.transform(F.sort_array(F.collect_list(F.when((");
    rc = emit(c, sb, x, P_ANY, false) < 0 ? -1 : rc;
    PUT(").isNotNull(), F.struct(");
    for (int i = 0; i < nk && rc >= 0; i++) {
        PUT("(");
        rc = emit(c, sb, keys[i].expr, P_ANY, false) < 0 ? -1 : rc;
        sb_printf(sb, ").%s().alias(\"n%d\"), (", null_flag[i] ? "isNull" : "isNotNull", i);
        rc = emit(c, sb, keys[i].expr, P_ANY, false) < 0 ? -1 : rc;
        sb_printf(sb, ").alias(\"k%d\"), ", i);
    }
    PUT("(");
    rc = rc >= 0 && emit(c, sb, x, P_ANY, false) < 0 ? -1 : rc;
    sb_printf(sb, ").alias(\"v\")))), asc=%s), lambda s: s[\"v\"])", keys[0].desc ? "False" : "True");
    c->agg_depth--;
    return rc;
}

/* Two-value aggregate (y, x) with an optional filter at index 2: F.fn(F.when(cond, y), F.when(cond, x));
 * a pair with a NULL is ignored, so the filter applies to both. */
static int write_agg2(spark_ctx *c, strbuf *sb, const ir_expr *e, const char *fn)
{
    if (c->agg_depth > 0)
        return unsupported(c, sb, e, "nested aggregate (aggregate of an aggregate): Spark needs a second aggregation");
    c->agg_depth++;
    int rc = P_PRIMARY;
    bool has_filter = e->u.call.n_args > 2;
    sb_printf(sb, "F.%s(", fn);
    for (int i = 0; i < 2 && rc >= 0; i++) {
        if (i)
            PUT(", ");
        if (has_filter) {
            PUT("F.when(");
            if (emit(c, sb, e->u.call.args[2], P_ANY, false) < 0)
                rc = -1;
            PUT(", ");
        }
        if (rc >= 0 && emit(c, sb, e->u.call.args[i], P_ANY, false) < 0)
            rc = -1;
        if (has_filter)
            PUT(")");
    }
    PUT(")");
    c->agg_depth--;
    return rc;
}

/* ---- window functions (window nodes) ---- */

static bool offset_bound(ir_frame_bound b)
{
    return b.kind == IR_BOUND_PRECEDING || b.kind == IR_BOUND_FOLLOWING;
}

ir_frame spark_window_frame(const ir_node *w)
{
    ir_frame f = w->frame;
    bool whole = f.start.kind == IR_BOUND_UNBOUNDED_PRECEDING && f.end.kind == IR_BOUND_UNBOUNDED_FOLLOWING;
    if (w->n_order == 0 && (whole || (f.unit == IR_FRAME_RANGE && !offset_bound(f.start) && !offset_bound(f.end)))) {
        f.unit = IR_FRAME_ROWS;
        f.start.kind = IR_BOUND_UNBOUNDED_PRECEDING;
        f.end.kind = IR_BOUND_UNBOUNDED_FOLLOWING;
    }
    return f;
}

/* The window spec variable a call of fn in window node w is written over, or NULL with *why.
 * Functions that do not read the frame get a spec without one (Spark requires it for ranking
 * and offset functions); without order keys, the functions that need an order get every input
 * column as the order (order-dependent). */
static const char *window_spec(spark_ctx *c, const ir_node *w, ir_fn fn, uint32_t flags, const char **why)
{
    *why = NULL;
    if (fn == IR_FN_FIRST || fn == IR_FN_LAST) {
        *why = "first/last are input-order aggregates; in a window node use first_value/last_value";
        return NULL;
    }
    if (fn == IR_FN_MEDIAN || fn == IR_FN_PERCENTILE) {
        *why = "median and percentile are not window aggregates in Spark (no frame support)";
        return NULL;
    }
    if (flags & IR_FL_DISTINCT) {
        *why = "Spark has no distinct window aggregates";
        return NULL;
    }
    bool uses = ir_fn_uses_frame(fn);
    bool range_offsets = w->frame.unit == IR_FRAME_RANGE && (offset_bound(w->frame.start) || offset_bound(w->frame.end));
    if (uses && range_offsets && w->n_order != 1) {
        *why = "a RANGE frame with offsets needs exactly one order key";
        return NULL;
    }
    unsigned spec;
    if (w->n_order > 0) {
        spec = uses ? SPARK_WIN_FRAMED : SPARK_WIN_ORDERED;
    } else {
        ir_frame f = spark_window_frame(w);
        bool whole = f.start.kind == IR_BOUND_UNBOUNDED_PRECEDING && f.end.kind == IR_BOUND_UNBOUNDED_FOLLOWING;
        if (ir_fn_is_window(fn))
            spec = uses ? SPARK_WIN_INVENTED_FRAMED : SPARK_WIN_INVENTED;
        else
            spec = whole ? SPARK_WIN_PARTITION : SPARK_WIN_INVENTED_FRAMED;
        if (spec != SPARK_WIN_PARTITION)
            c->order_dependent++;
    }
    c->window_specs |= spec;
    switch (spec) {
    case SPARK_WIN_ORDERED: return "_w";
    case SPARK_WIN_FRAMED: return "_wf";
    case SPARK_WIN_PARTITION: return "_wp";
    case SPARK_WIN_INVENTED: return "_wi";
    default: return "_wif";
    }
}

static int write_call_body(spark_ctx *c, strbuf *sb, const ir_expr *e, const char *spec);

/* A window function, or an aggregate in a window node: F.fn(...).over(spec). */
static int write_window_call(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    if (!c->node || c->node->op != IR_OP_WINDOW)
        return unsupported(c, sb, e, "a window function is computed only in a window node (its partition, order and frame)");
    if (c->window_depth > 0)
        return unsupported(c, sb, e, "a window call inside another window call's arguments needs a second window step");
    if (e->u.call.fn == IR_FN_STRING_AGG)
        return unsupported(c, sb, e, "a string aggregate over a window (written as an expression of two aggregates)");
    const char *why;
    const char *spec = window_spec(c, c->node, e->u.call.fn, e->u.call.flags, &why);
    if (!spec)
        return unsupported(c, sb, e, why);
    c->window_depth++;
    strbuf t = STRBUF_INIT;
    int rc = write_call_body(c, &t, e, spec);
    c->window_depth--;
    if (rc >= 0) {
        sb_puts(sb, sb_cstr(&t));
        if (!ir_fn_is_window(e->u.call.fn))
            sb_printf(sb, ".over(%s)", spec); /* window functions write their own .over */
        rc = P_PRIMARY;
    }
    sb_free(&t);
    return rc;
}

/* lag/lead: F.lag(x, n[, default]).over(spec). A default that is not a plain Python value (a
 * column, an expression) is taken when the row at the offset does not exist, which lag of a
 * constant tells apart from a NULL x there. */
static int write_lag_lead(spark_ctx *c, strbuf *sb, const ir_expr *e, const char *spec)
{
    const char *fn = e->u.call.fn == IR_FN_LAG ? "lag" : "lead";
    int n = e->u.call.n_args;
    long long off = 1;
    if (n > 1 && !(lit_int(e->u.call.args[1], &off) && off >= 0))
        return unsupported(c, sb, e, "lag/lead need a non-negative integer literal offset");
    if (e->u.call.flags & IR_FL_IGNORE_NULLS)
        return unsupported(c, sb, e, "PySpark 3.5 F.lag/F.lead have no ignorenulls");
    const ir_expr *def = n > 2 && !is_null_lit(e->u.call.args[2]) ? e->u.call.args[2] : NULL;
    strbuf d = STRBUF_INIT;
    if (def && emit(c, &d, def, P_ANY, true) < 0) {
        sb_free(&d);
        return -1;
    }
    bool column_default = def && strncmp(sb_cstr(&d), "F.", 2) == 0;
    if (column_default) {
        sb_printf(sb, "F.when(F.%s(F.lit(1), %lld).over(%s).isNull(), %s).otherwise(", fn, off, spec, sb_cstr(&d));
    }
    sb_printf(sb, "F.%s(", fn);
    if (emit(c, sb, e->u.call.args[0], P_ANY, false) < 0) {
        sb_free(&d);
        return -1;
    }
    sb_printf(sb, ", %lld", off);
    if (def && !column_default)
        sb_printf(sb, ", %s", sb_cstr(&d));
    sb_printf(sb, ").over(%s)", spec);
    if (column_default)
        sb_putc(sb, ')');
    sb_free(&d);
    return P_PRIMARY;
}

static int write_call(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    ir_fn fn = e->u.call.fn;
    if (ir_fn_is_window(fn) || (c->node && c->node->op == IR_OP_WINDOW && ir_fn_is_aggregate(fn))) {
        const ir_fn_info *fi = ir_fn_get(fn);
        int n = e->u.call.n_args;
        if (n < fi->min_args || (fi->max_args >= 0 && n > fi->max_args))
            return unsupported(c, sb, e, "wrong number of arguments");
        return write_window_call(c, sb, e);
    }
    return write_call_body(c, sb, e, NULL);
}

/* Every canonical function; spec is the window spec variable for window functions. */
static int write_call_body(spark_ctx *c, strbuf *sb, const ir_expr *e, const char *spec)
{
    ir_fn fn = e->u.call.fn;
    int n = e->u.call.n_args;
    uint32_t fl = e->u.call.flags;
    const ir_fn_info *fi = ir_fn_get(fn);
    if (n < fi->min_args || (fi->max_args >= 0 && n > fi->max_args))
        return unsupported(c, sb, e, "wrong number of arguments");
    if (unsupported_reasons[fn])
        return unsupported(c, sb, e, unsupported_reasons[fn]);

    switch (fn) {
    /* arithmetic */
    case IR_FN_ADD:
    case IR_FN_SUB: {
        ir_type ta = spark_expr_type(c, e->u.call.args[0]);
        ir_type tb = spark_expr_type(c, e->u.call.args[1]);
        if (is_temporal(ta) && !is_temporal(tb) && tb.kind != IR_TY_UNKNOWN) {
            /* a date plus a number adds days (fractions are time of day) */
            long long v;
            bool whole = lit_int(e->u.call.args[1], &v) || tb.kind == IR_TY_INT || tb.kind == IR_TY_BIGINT;
            if (ta.kind == IR_TY_DATE && whole) {
                PUT(fn == IR_FN_ADD ? "F.date_add(" : "F.date_sub(");
                COL(0);
                PUT(", ");
                COL(1);
                PUT(")");
                return P_PRIMARY;
            }
            if (emit(ARG(0), P_ADD, false) < 0)
                return -1;
            PUT(fn == IR_FN_ADD ? " + " : " - ");
            if (whole) {
                PUT("F.make_interval(days=");
                COL(1);
                PUT(")");
            } else {
                PUT("F.make_interval(secs=");
                if (emit(ARG(1), P_MUL, false) < 0)
                    return -1;
                PUT(" * 86400)");
            }
            return P_ADD;
        }
        return binop(c, sb, e->u.call.args[0], fn == IR_FN_ADD ? "+" : "-", e->u.call.args[1], P_ADD);
    }
    case IR_FN_MUL: return binop(c, sb, e->u.call.args[0], "*", e->u.call.args[1], P_MUL);
    case IR_FN_DIV:
        /* try_divide: NULL for a zero divisor whatever the ANSI setting (Informatica) */
        PUT("F.try_divide(");
        COL(0);
        PUT(", ");
        COL(1);
        PUT(")");
        if (fl & IR_FL_INT_DIVISION) /* the cast truncates toward zero */
            sb_printf(sb, ".cast(\"%s\")", e->type.kind == IR_TY_INT ? "int" : "bigint");
        return P_PRIMARY;
    case IR_FN_MOD: return binop(c, sb, e->u.call.args[0], "%", e->u.call.args[1], P_MUL);
    case IR_FN_NEG: {
        long long v;
        if (lit_int(e->u.call.args[0], &v) && e->u.call.args[0]->kind == IR_EX_LIT) {
            sb_printf(sb, "F.lit(-");
            put_int_text(sb, e->u.call.args[0]->u.lit.text);
            PUT(")");
            return P_PRIMARY;
        }
        PUT("-");
        if (emit(ARG(0), P_UNARY, false) < 0)
            return -1;
        return P_UNARY;
    }
    /* comparison */
    case IR_FN_EQ: return compare(c, sb, e, "==");
    case IR_FN_NE: return compare(c, sb, e, "!=");
    case IR_FN_LT: return compare(c, sb, e, "<");
    case IR_FN_LE: return compare(c, sb, e, "<=");
    case IR_FN_GT: return compare(c, sb, e, ">");
    case IR_FN_GE: return compare(c, sb, e, ">=");
    case IR_FN_IN: {
        bool pad = (fl & IR_FL_BLANK_PADDED) != 0, ci = (fl & IR_FL_CASE_INSENSITIVE) != 0;
        if (pad || ci) {
            /* each side as in a comparison: literals folded, anything else by F.rtrim / F.upper */
            if (cmp_side(c, sb, e->u.call.args[0], pad, ci, false) < 0)
                return -1;
            PUT(".isin(");
        } else {
            RECV(0);
            PUT(".isin(");
        }
        for (int i = 1; i < n; i++) {
            if (i > 1)
                PUT(", ");
            if (pad || ci) {
                if (cmp_side(c, sb, e->u.call.args[i], pad, ci, true) < 0)
                    return -1;
            } else {
                VAL(i);
            }
        }
        PUT(")");
        return P_PRIMARY;
    }
    /* logic */
    case IR_FN_AND: return logic(c, sb, e, "&", P_AND);
    case IR_FN_OR: return logic(c, sb, e, "|", P_OR);
    case IR_FN_NOT:
        PUT("~");
        if (emit(ARG(0), P_UNARY, false) < 0)
            return -1;
        return P_UNARY;
    /* conditionals */
    case IR_FN_IF: {
        /* IIF(c1, a, IIF(c2, b, x)) reads as one when-chain */
        const ir_expr *cur = e;
        PUT("F");
        for (;;) {
            PUT(".when(");
            if (emit(c, sb, cur->u.call.args[0], P_ANY, false) < 0)
                return -1;
            PUT(", ");
            if (emit(c, sb, cur->u.call.args[1], P_ANY, true) < 0)
                return -1;
            PUT(")");
            const ir_expr *el = cur->u.call.args[2];
            if (el->kind == IR_EX_CALL && el->u.call.fn == IR_FN_IF && el->u.call.n_args == 3) {
                cur = el;
                continue;
            }
            if (!is_null_lit(el)) {
                PUT(".otherwise(");
                if (emit(c, sb, el, P_ANY, true) < 0)
                    return -1;
                PUT(")");
            }
            break;
        }
        return P_PRIMARY;
    }
    case IR_FN_CASE:
        PUT("F");
        for (int i = 0; i + 1 < n; i += 2) {
            PUT(".when(");
            COL(i);
            PUT(", ");
            VAL(i + 1);
            PUT(")");
        }
        if (n % 2 && !is_null_lit(e->u.call.args[n - 1])) {
            PUT(".otherwise(");
            VAL(n - 1);
            PUT(")");
        }
        return P_PRIMARY;
    case IR_FN_DECODE: {
        bool nn = (fl & IR_FL_NULL_MATCHES_NULL) != 0;
        const ir_expr *x = e->u.call.args[0];
        /* DECODE(TRUE, c1, r1, ...): TRUE equals c only when c is TRUE, which is when()'s test */
        bool on_true = x->kind == IR_EX_LIT && x->u.lit.kind == IR_LIT_BOOL && x->u.lit.text &&
                       (!strcmp(x->u.lit.text, "true") || !strcmp(x->u.lit.text, "TRUE"));
        PUT("F");
        int i = 1;
        for (; i + 1 < n; i += 2) {
            PUT(".when(");
            if (on_true) {
                COL(i);
            } else {
            RECV(0);
            if (nn) {
                PUT(".eqNullSafe(");
                VAL(i);
                PUT(")");
            } else {
                PUT(" == ");
                if (emit(ARG(i), P_OR, !is_null_lit(e->u.call.args[i])) < 0)
                    return -1;
            }
            }
            PUT(", ");
            VAL(i + 1);
            PUT(")");
        }
        if (i < n && !is_null_lit(e->u.call.args[i])) {
            PUT(".otherwise(");
            VAL(i);
            PUT(")");
        }
        return P_PRIMARY;
    }
    case IR_FN_COALESCE:
        if (n == 2 && e->u.call.args[0]->kind == IR_EX_CALL && e->u.call.args[0]->u.call.fn == IR_FN_STRING_AGG &&
            e->u.call.args[1]->kind == IR_EX_LIT && e->u.call.args[1]->u.lit.kind == IR_LIT_STRING &&
            !*e->u.call.args[1]->u.lit.text && !(c->node && c->node->op == IR_OP_WINDOW))
            return write_array_join(c, sb, e->u.call.args[0]); /* coalesce(string_agg(..), '') */
        PUT("F.coalesce(");
        for (int i = 0; i < n; i++) {
            if (i)
                PUT(", ");
            COL(i);
        }
        PUT(")");
        return P_PRIMARY;
    case IR_FN_NULLIF:
        PUT("F.nullif(");
        COL(0);
        PUT(", ");
        COL(1);
        PUT(")");
        return P_PRIMARY;
    /* tests */
    case IR_FN_IS_NULL:
        RECV(0);
        PUT(".isNull()");
        return P_PRIMARY;
    case IR_FN_IS_SPACES:
        /* Java's \s is Informatica's blank set (space, tab, newline, CR, FF, VT); + rejects '' */
        RECV(0);
        PUT(".rlike(r\"^\\s+\\z\")");
        return P_PRIMARY;
    case IR_FN_IS_NUMBER:
        RECV(0);
        PUT(".rlike(r\"^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*\\z\")");
        return P_PRIMARY;
    case IR_FN_IS_DATE: {
        /* try_to_timestamp is NULL for a bad string; a NULL input stays NULL */
        strbuf f = STRBUF_INIT;
        if (format_arg(c, &f, n > 1 ? e->u.call.args[1] : NULL, NULL) < 0) {
            sb_free(&f);
            return unsupported(c, sb, e, "IS_DATE with a computed or unknown format");
        }
        PUT("F.when(");
        RECV(0);
        PUT(".isNotNull(), F.try_to_timestamp(");
        COL(0);
        PUT(", F.lit(");
        PUT(sb_cstr(&f));
        PUT(")).isNotNull())");
        sb_free(&f);
        return P_PRIMARY;
    }
    /* strings */
    case IR_FN_CONCAT: {
        if (!(fl & IR_FL_NULL_AS_EMPTY)) {
            /* F.concat is NULL if any argument is NULL */
            PUT("F.concat(");
            for (int i = 0; i < n; i++) {
                if (i)
                    PUT(", ");
                COL(i);
            }
            PUT(")");
            return P_PRIMARY;
        }
        /* null_as_empty: concat_ws skips NULL arguments (they count as empty); the result is NULL
         * only when every argument is NULL, so unless one can never be NULL the concatenation is
         * guarded by "some argument is not NULL" (F.when without otherwise gives NULL). NULL
         * literals add nothing and are left out. */
        bool guard = true;
        int live = 0;
        for (int i = 0; i < n; i++) {
            if (never_null(e->u.call.args[i]))
                guard = false;
            if (!is_null_lit(e->u.call.args[i]))
                live++;
        }
        if (!live) {
            PUT("F.lit(None).cast(\"string\")");
            return P_PRIMARY;
        }
        if (guard) {
            PUT("F.when(");
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (is_null_lit(e->u.call.args[i]))
                    continue;
                if (k++)
                    PUT(" | ");
                RECV(i);
                PUT(".isNotNull()");
            }
            PUT(", ");
        }
        PUT("F.concat_ws(\"\", ");
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (is_null_lit(e->u.call.args[i]))
                continue;
            if (k++)
                PUT(", ");
            ir_type t = spark_expr_type(c, e->u.call.args[i]);
            if ((fl & IR_FL_EMPTY_IS_NULL) && e->u.call.args[i]->kind != IR_EX_LIT && t.kind == IR_TY_DECIMAL &&
                (t.precision == 0 || t.scale > 0)) {
                /* Oracle's || writes a NUMBER with its significant digits only (the Spark SQL
                 * printer's concat says how) */
                PUT("F.regexp_replace(F.regexp_replace(");
                RECV(i);
                PUT(".cast(\"string\"), \"[.]0*$|([.][0-9]*[1-9])0+$\", \"$1\"), \"^(-?)0[.]\", \"$1.\")");
                continue;
            }
            COL(i);
        }
        PUT(guard ? "))" : ")");
        return P_PRIMARY;
    }
    case IR_FN_LTRIM: return write_trim(c, sb, e, "ltrim", true, false);
    case IR_FN_RTRIM: return write_trim(c, sb, e, "rtrim", false, true);
    case IR_FN_TRIM: return write_trim(c, sb, e, "trim", true, true);
    case IR_FN_UPPER:
    case IR_FN_LOWER:
    case IR_FN_INITCAP:
    case IR_FN_LENGTH:
    case IR_FN_REVERSE:
    case IR_FN_ASCII:
    case IR_FN_ABS:
    case IR_FN_EXP:
    case IR_FN_SQRT:
    case IR_FN_MD5:
    case IR_FN_CRC32:
    case IR_FN_FROM_HEX:
    case IR_FN_LAST_DAY: {
        static const char *const names[IR_FN__COUNT] = {
            [IR_FN_UPPER] = "upper", [IR_FN_LOWER] = "lower", [IR_FN_INITCAP] = "initcap",
            [IR_FN_LENGTH] = "length", [IR_FN_REVERSE] = "reverse", [IR_FN_ASCII] = "ascii",
            [IR_FN_ABS] = "abs", [IR_FN_EXP] = "exp", [IR_FN_SQRT] = "sqrt", [IR_FN_MD5] = "md5",
            [IR_FN_CRC32] = "crc32", [IR_FN_LAST_DAY] = "last_day", [IR_FN_FROM_HEX] = "unhex",
        };
        if (fn == IR_FN_LAST_DAY && spark_expr_type(c, e->u.call.args[0]).kind != IR_TY_DATE) {
            /* F.last_day returns a DATE; keep the time of day */
            if (emit(ARG(0), P_ADD, false) < 0)
                return -1;
            PUT(" + F.make_interval(days=F.datediff(F.last_day(");
            COL(0);
            PUT("), ");
            COL(0);
            PUT("))");
            return P_ADD;
        }
        sb_printf(sb, "F.%s(", names[fn]);
        COL(0);
        PUT(")");
        return P_PRIMARY;
    }
    case IR_FN_LPAD: return write_pad(c, sb, e, "lpad");
    case IR_FN_RPAD: return write_pad(c, sb, e, "rpad");
    case IR_FN_SUBSTR: return write_substr(c, sb, e);
    case IR_FN_INSTR: return write_instr(c, sb, e);
    case IR_FN_REPLACE_CHARS: return write_replace_chars(c, sb, e);
    case IR_FN_REPLACE_STR: return write_replace_str(c, sb, e);
    case IR_FN_REGEXP_EXTRACT: {
        /* regexp_extract gives '' when nothing matches; the canonical result is NULL */
        long long idx = 1;
        if (n > 2 && !lit_int(e->u.call.args[2], &idx))
            return unsupported(c, sb, e, "REG_EXTRACT with a computed group number");
        if (!lit_str(e->u.call.args[1]))
            return unsupported(c, sb, e, "REG_EXTRACT with a computed pattern");
        PUT("F.when(");
        RECV(0);
        PUT(".rlike(");
        pattern_arg(c, sb, e->u.call.args[1], false);
        PUT("), F.regexp_extract(");
        COL(0);
        PUT(", ");
        pattern_arg(c, sb, e->u.call.args[1], false);
        sb_printf(sb, ", %lld))", idx);
        return P_PRIMARY;
    }
    case IR_FN_REGEXP_LIKE: {
        /* rlike finds a match anywhere; full_match anchors the whole string */
        bool full = (fl & IR_FL_FULL_MATCH) != 0;
        const char *inl = spark_inline_flags(fl);
        /* a LIKE's pattern as .like / .ilike (backslash is Spark's escape character) */
        char *like = full && (fl & IR_FL_DOT_ALL) && lit_str(e->u.call.args[1]) ? ir_regex_to_like(lit_str(e->u.call.args[1]), '\\') : NULL;
        if (like) {
            if (emit(ARG(0), P_PRIMARY, false) < 0) {
                free(like);
                return -1;
            }
            PUT(fl & IR_FL_CASE_INSENSITIVE ? ".ilike(" : ".like(");
            sb_put_py_string(sb, like);
            PUT(")");
            free(like);
            return P_PRIMARY;
        }
        if (lit_str(e->u.call.args[1])) {
            RECV(0);
            PUT(".rlike(");
            pattern_arg_ci(c, sb, e->u.call.args[1], full, inl);
            PUT(")");
            return P_PRIMARY;
        }
        PUT("F.regexp_like(");
        COL(0);
        PUT(", ");
        if (pattern_arg_ci(c, sb, e->u.call.args[1], full, inl) < 0)
            return -1;
        PUT(")");
        return P_PRIMARY;
    }
    case IR_FN_REGEXP_REPLACE: {
        long long cnt;
        if (n > 3 && !(lit_int(e->u.call.args[3], &cnt) && cnt == 0))
            return unsupported(c, sb, e, "REG_REPLACE of at most n matches");
        PUT("F.regexp_replace(");
        COL(0);
        PUT(", ");
        if (lit_str(e->u.call.args[1]) && lit_str(e->u.call.args[2])) {
            spark_py_string(sb, lit_str(e->u.call.args[1]), true);
            PUT(", ");
            spark_py_string(sb, lit_str(e->u.call.args[2]), true);
        } else {
            COL(1);
            PUT(", ");
            COL(2);
        }
        PUT(")");
        return P_PRIMARY;
    }
    case IR_FN_CHR: {
        long long v;
        char buf[8];
        if (lit_int(e->u.call.args[0], &v) && utf8_encode(v, buf)) {
            /* a constant code point is just a string literal */
            PUT("F.lit(");
            sb_put_py_string(sb, buf);
            PUT(")");
            return P_PRIMARY;
        }
        /* Spark's chr works modulo 256: right for Latin-1 code points only */
        PUT("F.char(");
        COL(0);
        PUT(")");
        return P_PRIMARY;
    }
    /* conversion */
    case IR_FN_TO_CHAR: {
        ir_type t = spark_expr_type(c, e->u.call.args[0]);
        if (n == 1 && !is_temporal(t)) {
            RECV(0);
            PUT(".cast(\"string\")");
            return P_PRIMARY;
        }
        strbuf f = STRBUF_INIT;
        if (format_arg(c, &f, n > 1 ? e->u.call.args[1] : NULL, NULL) < 0) {
            sb_free(&f);
            return unsupported(c, sb, e, "TO_CHAR with a computed or unknown date format");
        }
        PUT("F.date_format(");
        COL(0);
        PUT(", ");
        PUT(sb_cstr(&f));
        PUT(")");
        sb_free(&f);
        return P_PRIMARY;
    }
    case IR_FN_TO_DATE: {
        strbuf f = STRBUF_INIT;
        bool rr = false;
        if (format_arg(c, &f, n > 1 ? e->u.call.args[1] : NULL, &rr) < 0) {
            sb_free(&f);
            return unsupported(c, sb, e, "TO_DATE with a computed or unknown date format");
        }
        strbuf ts = STRBUF_INIT;
        sb_puts(&ts, "F.to_timestamp(");
        if (emit(c, &ts, e->u.call.args[0], P_ANY, false) < 0) {
            sb_free(&f);
            sb_free(&ts);
            return -1;
        }
        sb_printf(&ts, ", %s)", sb_cstr(&f));
        if (rr) {
            /* RR: Spark's yy reads 2000-2099; the RR rule puts 50-99 in the 1900s */
            sb_printf(sb, "F.when(F.year(%s) >= 2050, %s - F.make_interval(years=F.lit(100))).otherwise(%s)",
                      sb_cstr(&ts), sb_cstr(&ts), sb_cstr(&ts));
        } else {
            PUT(sb_cstr(&ts));
        }
        sb_free(&f);
        sb_free(&ts);
        return P_PRIMARY;
    }
    case IR_FN_TO_DECIMAL: {
        /* a non-numeric string gives 0 (Informatica); a NULL stays NULL */
        long long scale = -1;
        if (n > 1 && !lit_int(e->u.call.args[1], &scale))
            return unsupported(c, sb, e, "TO_DECIMAL with a computed scale");
        char buf[40];
        ir_type t = e->type;
        if (t.kind != IR_TY_DECIMAL || t.precision <= 0)
            t = ir_type_make(IR_TY_DECIMAL, scale >= 0 ? 28 : 38, scale >= 0 ? (int32_t)scale : 10);
        else if (scale >= 0)
            t.scale = (int32_t)scale;
        const char *tn = spark_type_name(t, buf, sizeof buf);
        PUT("F.when(");
        RECV(0);
        PUT(".isNotNull(), F.coalesce(");
        RECV(0);
        sb_printf(sb, ".cast(\"%s\"), F.lit(0).cast(\"%s\")))", tn, tn);
        return P_PRIMARY;
    }
    case IR_FN_TO_INTEGER: return write_to_int(c, sb, e, "int");
    case IR_FN_TO_BIGINT: return write_to_int(c, sb, e, "bigint");
    case IR_FN_TO_FLOAT:
        RECV(0);
        PUT(".cast(\"double\")");
        return P_PRIMARY;
    case IR_FN_CAST:
    case IR_FN_TRY_CAST: {
        /* try_cast: with spark.sql.ansi.enabled=false (what this backend assumes) a failed cast
         * is NULL, which is try_cast's meaning */
        char buf[40];
        const char *tn = spark_type_name(e->type, buf, sizeof buf);
        if (!tn)
            return unsupported(c, sb, e, "CAST to an unknown type");
        RECV(0);
        sb_printf(sb, ".cast(\"%s\")", tn);
        return P_PRIMARY;
    }
    /* numbers */
    case IR_FN_TRUNC: {
        /* toward zero: floor for positives, ceil for negatives (SQL floor/ceil take a scale) */
        long long d = 0;
        if (n > 1 && !lit_int(e->u.call.args[1], &d))
            return unsupported(c, sb, e, "TRUNC with a computed number of places");
        PUT("F.when(");
        if (emit(ARG(0), P_OR, false) < 0)
            return -1;
        if (d == 0) {
            PUT(" < 0, F.ceil(");
            COL(0);
            PUT(")).otherwise(F.floor(");
            COL(0);
            PUT("))");
        } else {
            PUT(" < 0, F.call_function(\"ceil\", ");
            COL(0);
            sb_printf(sb, ", F.lit(%lld))).otherwise(F.call_function(\"floor\", ", d);
            COL(0);
            sb_printf(sb, ", F.lit(%lld)))", d);
        }
        return P_PRIMARY;
    }
    case IR_FN_ROUND: {
        /* Spark's round is HALF_UP: half away from zero, as the canonical round */
        long long d = 0;
        if (n > 1 && !lit_int(e->u.call.args[1], &d))
            return call_function(c, sb, e, "round");
        PUT("F.round(");
        COL(0);
        if (d)
            sb_printf(sb, ", %lld", d);
        PUT(")");
        return P_PRIMARY;
    }
    case IR_FN_CEIL:
    case IR_FN_FLOOR:
        PUT(fn == IR_FN_CEIL ? "F.ceil(" : "F.floor(");
        COL(0);
        if (n > 1) { /* PySpark 3.4+: the scale as a Column */
            PUT(", ");
            COL(1);
        }
        PUT(")");
        return P_PRIMARY;
    case IR_FN_POWER:
        PUT("F.pow(");
        COL(0);
        PUT(", ");
        COL(1);
        PUT(")");
        return P_PRIMARY;
    case IR_FN_LN:
        PUT("F.log(");
        COL(0);
        PUT(")");
        return P_PRIMARY;
    case IR_FN_LOG: {
        const ir_expr *b = e->u.call.args[0];
        long long v;
        if (lit_int(b, &v) || (b->kind == IR_EX_LIT && b->u.lit.kind == IR_LIT_DOUBLE)) {
            /* F.log(base, x) wants the base as a Python float */
            PUT("F.log(");
            if (b->kind == IR_EX_LIT && b->u.lit.kind == IR_LIT_DOUBLE)
                write_lit(c, sb, b, true);
            else
                sb_printf(sb, "%lld.0", v);
            PUT(", ");
            COL(1);
            PUT(")");
            return P_PRIMARY;
        }
        PUT("F.log(");
        COL(1);
        PUT(") / F.log(");
        COL(0);
        PUT(")");
        return P_MUL;
    }
    case IR_FN_SIGN:
        PUT("F.signum(");
        COL(0);
        PUT(").cast(\"int\")");
        return P_PRIMARY;
    /* dates */
    case IR_FN_DATE_ADD: return write_date_add(c, sb, e);
    case IR_FN_DATE_DIFF: return write_date_diff(c, sb, e);
    case IR_FN_DATE_COMPARE:
        /* a NULL operand matches no branch: NULL */
        PUT("F.when(");
        if (emit(ARG(0), P_OR, false) < 0)
            return -1;
        PUT(" < ");
        if (emit(ARG(1), P_OR, false) < 0)
            return -1;
        PUT(", -1).when(");
        if (emit(ARG(0), P_OR, false) < 0)
            return -1;
        PUT(" > ");
        if (emit(ARG(1), P_OR, false) < 0)
            return -1;
        PUT(", 1).when(");
        if (emit(ARG(0), P_OR, false) < 0)
            return -1;
        PUT(" == ");
        if (emit(ARG(1), P_OR, false) < 0)
            return -1;
        PUT(", 0)");
        return P_PRIMARY;
    case IR_FN_DATE_PART: return write_date_part(c, sb, e);
    case IR_FN_DATE_SET_PART: return write_date_set_part(c, sb, e);
    case IR_FN_DATE_TRUNC: return write_date_trunc(c, sb, e);
    case IR_FN_DATE_ROUND: return write_date_round(c, sb, e);
    case IR_FN_CURRENT_DATE: PUT("F.current_date()"); return P_PRIMARY;
    case IR_FN_CURRENT_TIMESTAMP: PUT("F.current_timestamp()"); return P_PRIMARY;
    case IR_FN_CURRENT_UTC_TIMESTAMP:
        PUT("F.to_utc_timestamp(F.current_timestamp(), F.current_timezone())");
        return P_PRIMARY;
    case IR_FN_NEXT_DAY: return call_function(c, sb, e, "next_day"); /* 'MO', 'MON', 'MONDAY' */
    case IR_FN_CONVERT_TZ: return call_function(c, sb, e, "convert_timezone"); /* TIMESTAMP_NTZ (3.4) */
    case IR_FN_SIN: return call_function(c, sb, e, "sin");
    case IR_FN_COS: return call_function(c, sb, e, "cos");
    case IR_FN_TAN: return call_function(c, sb, e, "tan");
    case IR_FN_ASIN: return call_function(c, sb, e, "asin");
    case IR_FN_ACOS: return call_function(c, sb, e, "acos");
    case IR_FN_ATAN: return call_function(c, sb, e, "atan");
    case IR_FN_ATAN2: return call_function(c, sb, e, "atan2");
    case IR_FN_PI: return call_function(c, sb, e, "pi");
    case IR_FN_RADIANS: return call_function(c, sb, e, "radians");
    case IR_FN_DEGREES: return call_function(c, sb, e, "degrees");
    case IR_FN_UUID: PUT("F.expr(\"uuid()\")"); return P_PRIMARY;
    case IR_FN_CURRENT_USER: PUT("F.expr(\"current_user()\")"); return P_PRIMARY;
    case IR_FN_CURRENT_SCHEMA: PUT("F.expr(\"current_schema()\")"); return P_PRIMARY;
    case IR_FN_TRANSLATE: return call_function(c, sb, e, "translate");
    case IR_FN_REGEXP_INSTR: /* Java regex, group 0; case_insensitive: (?i) */
        if (!(fl & IR_FL_CASE_INSENSITIVE))
            return call_function(c, sb, e, "regexp_instr");
        PUT("F.call_function(\"regexp_instr\", ");
        COL(0);
        PUT(", ");
        if (lit_str(e->u.call.args[1]))
            PUT("F.lit(");
        if (pattern_arg_ci(c, sb, e->u.call.args[1], false, "(?i)") < 0)
            return -1;
        PUT(lit_str(e->u.call.args[1]) ? "))" : ")");
        return P_PRIMARY;
    case IR_FN_RIGHT: return call_function(c, sb, e, "right");                /* '' for n <= 0 */
    case IR_FN_LEVENSHTEIN: return call_function(c, sb, e, "levenshtein");
    case IR_FN_LIKE:
        /* F.like / F.ilike (Spark 3.5) with the escape character; without one Spark escapes with \ */
        if (n < 3)
            return unsupported(c, sb, e, "LIKE of a computed pattern without an escape character (Spark's LIKE "
                                         "escapes with \\ by default)");
        PUT((fl & IR_FL_CASE_INSENSITIVE) ? "F.ilike(" : "F.like(");
        COL(0);
        PUT(", ");
        COL(1);
        PUT(", ");
        COL(2);
        PUT(")");
        return P_PRIMARY;
    /* arrays: Spark's own functions have the canonical semantics (get: 0-based, NULL outside;
     * array_size: NULL for NULL, where size() gives -1; concat of arrays: NULL if either is) */
    case IR_FN_ARRAY_CONSTRUCT: return call_function(c, sb, e, "array");
    case IR_FN_ARRAY_SIZE: return call_function(c, sb, e, "array_size");
    case IR_FN_ARRAY_GET: return call_function(c, sb, e, "get");
    case IR_FN_ARRAY_CONTAINS: return call_function(c, sb, e, "array_contains");
    case IR_FN_ARRAY_CAT:
        /* flatten(array(a, b)), not concat: NULL when either is, as concat of arrays, and read back as
         * arrays whatever the columns' types (concat of untyped columns reads as strings) */
        PUT("F.flatten(F.array(");
        COL(0);
        PUT(", ");
        COL(1);
        PUT("))");
        return P_PRIMARY;
    case IR_FN_ARRAY_APPEND: return call_function(c, sb, e, "array_append");
    case IR_FN_ARRAY_SLICE: case IR_FN_ARRAY_SORT: case IR_FN_ARRAY_REVERSE: case IR_FN_ARRAY_MAX:
    case IR_FN_ARRAY_MIN: case IR_FN_ARRAY_DISTINCT: case IR_FN_ARRAY_EXCEPT: case IR_FN_ARRAY_REMOVE:
    case IR_FN_ARRAY_COMPACT: {
        spark_array_call k;
        const char *why = spark_array_plan(e, &k);
        if (why)
            return unsupported(c, sb, e, why);
        if (k.all_args)
            return call_function(c, sb, e, k.name);
        sb_printf(sb, "F.call_function(\"%s\", ", k.name);
        COL(0);
        for (int i = 0; i < k.n_lits; i++) {
            if (k.lit_bool)
                sb_printf(sb, ", F.lit(%s)", k.lits[i] ? "True" : "False");
            else
                sb_printf(sb, ", F.lit(%lld)", k.lits[i]);
        }
        PUT(")");
        return P_PRIMARY;
    }
    case IR_FN_JSON_GET_TEXT: return call_function(c, sb, e, "get_json_object"); /* the same JSONPath */
    case IR_FN_GROUPING: return call_function(c, sb, e, e->u.call.n_args == 1 ? "grouping" : "grouping_id");
    case IR_FN_SPLIT_PART: {
        /* Spark's split_part fails on part 0: pos_zero_is_one makes it 1 */
        long long k;
        if (!(fl & IR_FL_POS_ZERO_IS_ONE) || (lit_int(e->u.call.args[2], &k) && k != 0))
            return call_function(c, sb, e, "split_part");
        PUT("F.split_part(");
        COL(0);
        PUT(", ");
        COL(1);
        PUT(", F.when(");
        if (emit(ARG(2), P_CMP + 1, false) < 0)
            return -1;
        PUT(" == 0, F.lit(1)).otherwise(");
        COL(2);
        PUT("))");
        return P_PRIMARY;
    }
    case IR_FN_SHA1: return call_function(c, sb, e, "sha1");
    case IR_FN_SHA2: {
        long long bits;
        if (!lit_int(e->u.call.args[1], &bits))
            return call_function(c, sb, e, "sha2"); /* F.sha2 wants the bit length as a Python int */
        PUT("F.sha2(");
        COL(0);
        sb_printf(sb, ", %lld)", bits);
        return P_PRIMARY;
    }
    case IR_FN_SESSION_START:
        /* fixed once per run at the top of run() */
        c->needs |= SPARK_NEED_DATETIME;
        PUT("F.lit(session_start_time)");
        return P_PRIMARY;
    /* control */
    case IR_FN_ABORT:
        /* stops the whole run, like Informatica ABORT */
        PUT("F.raise_error(");
        VAL(0);
        PUT(")");
        return P_PRIMARY;
    /* aggregates */
    case IR_FN_SUM: return write_agg(c, sb, e, fl & IR_FL_DISTINCT ? "sum_distinct" : "sum", 1, NULL);
    case IR_FN_AVG:
        if (fl & IR_FL_DISTINCT)
            return unsupported(c, sb, e, "AVG over distinct values");
        return write_agg(c, sb, e, "avg", 1, NULL);
    case IR_FN_COUNT: return write_agg(c, sb, e, fl & IR_FL_DISTINCT ? "count_distinct" : "count", 1, NULL);
    case IR_FN_COUNT_STAR: return write_agg(c, sb, e, "count", 0, NULL);
    case IR_FN_MIN: return write_agg(c, sb, e, "min", 1, NULL);
    case IR_FN_MAX: return write_agg(c, sb, e, "max", 1, NULL);
    case IR_FN_FIRST:
    case IR_FN_LAST:
        /* the canonical first/last ignore NULLs (NR_AGG); which row is first depends on order */
        c->order_dependent++;
        return write_agg(c, sb, e, fn == IR_FN_FIRST ? "first" : "last", 1, ", ignorenulls=True");
    case IR_FN_MEDIAN: return write_agg(c, sb, e, "median", 1, NULL);
    case IR_FN_STDDEV: return write_agg(c, sb, e, "stddev_samp", 1, NULL);
    case IR_FN_VARIANCE: return write_agg(c, sb, e, "var_samp", 1, NULL);
    case IR_FN_ANY_VALUE: return write_agg(c, sb, e, "any_value", 1, NULL);
    case IR_FN_BOOL_AND: return write_agg(c, sb, e, "bool_and", 1, NULL);
    case IR_FN_BOOL_OR: return write_agg(c, sb, e, "bool_or", 1, NULL);
    case IR_FN_BIT_AND: return write_agg(c, sb, e, "bit_and", 1, NULL);
    case IR_FN_BIT_OR: return write_agg(c, sb, e, "bit_or", 1, NULL);
    case IR_FN_STDDEV_POP: return write_agg(c, sb, e, "stddev_pop", 1, NULL);
    case IR_FN_VAR_POP: return write_agg(c, sb, e, "var_pop", 1, NULL);
    case IR_FN_ARRAY_AGG_ORDERED: return write_sorted_values(c, sb, e);
    case IR_FN_STRING_AGG_ORDERED: {
        /* NULL for a group without a value; array_join of the sorted values otherwise */
        const ir_expr *sep = e->u.call.args[1];
        if (sep->kind != IR_EX_LIT || sep->u.lit.kind != IR_LIT_STRING)
            return unsupported(c, sb, e, "a string aggregate whose separator is not a string literal");
        if (c->agg_depth > 0)
            return unsupported(c, sb, e, "nested aggregate (aggregate of an aggregate): Spark needs a second aggregation");
        PUT("F.when(F.count(");
        int rc = emit(c, sb, e->u.call.args[0], P_ANY, false) < 0 ? -1 : P_PRIMARY;
        PUT(") > 0, F.array_join(");
        if (rc >= 0)
            rc = write_sorted_values(c, sb, e);
        PUT(", ");
        sb_put_py_string(sb, sep->u.lit.text);
        PUT("))");
        return rc < 0 ? -1 : P_PRIMARY;
    }
    case IR_FN_ARRAY_AGG:
        /* collect_list skips NULLs and gives [] for a group without a value; its order is the
         * order rows reach it */
        if (fl & IR_FL_ORDER_DEPENDENT)
            c->order_dependent++;
        return write_agg(c, sb, e, fl & IR_FL_DISTINCT ? "collect_set" : "collect_list", 1, NULL);
    case IR_FN_STRING_AGG: {
        /* string_agg is NULL where array_join of the collected values gives '': no non-NULL value */
        PUT("F.when(");
        int rc = write_agg(c, sb, e, "count", 2, NULL);
        PUT(" > 0, ");
        if (rc >= 0)
            rc = write_array_join(c, sb, e);
        PUT(")");
        return rc < 0 ? -1 : P_PRIMARY;
    }
    case IR_FN_COVAR_POP: return write_agg2(c, sb, e, "covar_pop");
    case IR_FN_COVAR_SAMP: return write_agg2(c, sb, e, "covar_samp");
    case IR_FN_CORR: return write_agg2(c, sb, e, "corr");
    case IR_FN_REGR_SLOPE: return write_agg2(c, sb, e, "regr_slope");
    case IR_FN_REGR_INTERCEPT: return write_agg2(c, sb, e, "regr_intercept");
    case IR_FN_REGR_R2: return write_agg2(c, sb, e, "regr_r2");
    case IR_FN_REGR_COUNT: return write_agg2(c, sb, e, "regr_count");
    case IR_FN_REGR_AVGX: return write_agg2(c, sb, e, "regr_avgx");
    case IR_FN_REGR_AVGY: return write_agg2(c, sb, e, "regr_avgy");
    case IR_FN_REGR_SXX: return write_agg2(c, sb, e, "regr_sxx");
    case IR_FN_REGR_SYY: return write_agg2(c, sb, e, "regr_syy");
    case IR_FN_REGR_SXY: return write_agg2(c, sb, e, "regr_sxy");
    case IR_FN_PERCENTILE: {
        /* canonical p is 0..100, Spark's percentage 0..1 */
        strbuf p = STRBUF_INIT;
        const ir_expr *pe = e->u.call.args[1];
        long long v;
        bool plit = lit_int(pe, &v) || (pe->kind == IR_EX_LIT && pe->u.lit.kind == IR_LIT_DOUBLE);
        if (plit) {
            double frac = pe->kind == IR_EX_LIT && pe->u.lit.kind == IR_LIT_DOUBLE
                              ? strtod(pe->u.lit.text, NULL) / 100.0 : (double)v / 100.0;
            char num[40];
            snprintf(num, sizeof num, "%.15g", frac);
            sb_printf(&p, ", %s%s", num, strpbrk(num, ".eEn") ? "" : ".0");
        } else {
            sb_puts(&p, ", ");
            if (emit(c, &p, pe, P_MUL, false) < 0) {
                sb_free(&p);
                return -1;
            }
            sb_puts(&p, " / 100");
        }
        int rc = write_agg(c, sb, e, "percentile", 2, sb_cstr(&p));
        sb_free(&p);
        return rc;
    }
    /* window functions (only through write_window_call, which gives the spec) */
    case IR_FN_ROW_NUMBER:
    case IR_FN_RANK:
    case IR_FN_DENSE_RANK:
    case IR_FN_PERCENT_RANK:
    case IR_FN_CUME_DIST: {
        static const char *const names[IR_FN__COUNT] = {
            [IR_FN_ROW_NUMBER] = "row_number", [IR_FN_RANK] = "rank", [IR_FN_DENSE_RANK] = "dense_rank",
            [IR_FN_PERCENT_RANK] = "percent_rank", [IR_FN_CUME_DIST] = "cume_dist",
        };
        sb_printf(sb, "F.%s().over(%s)", names[fn], spec ? spec : "_w");
        return P_PRIMARY;
    }
    case IR_FN_NTILE: {
        long long v;
        if (!lit_int(e->u.call.args[0], &v) || v <= 0)
            return unsupported(c, sb, e, "F.ntile needs a positive integer literal");
        sb_printf(sb, "F.ntile(%lld).over(%s)", v, spec ? spec : "_w");
        return P_PRIMARY;
    }
    case IR_FN_LAG:
    case IR_FN_LEAD: return write_lag_lead(c, sb, e, spec ? spec : "_w");
    case IR_FN_FIRST_VALUE:
    case IR_FN_LAST_VALUE:
        sb_printf(sb, "F.%s(", fn == IR_FN_FIRST_VALUE ? "first" : "last");
        COL(0);
        sb_printf(sb, ", ignorenulls=%s).over(%s)", (fl & IR_FL_IGNORE_NULLS) ? "True" : "False", spec ? spec : "_w");
        return P_PRIMARY;
    /* unsupported rows are caught above; listed so the switch covers the table */
    case IR_FN_JSON_GET:
    case IR_FN_ERROR:
    case IR_FN_SET_VARIABLE:
    case IR_FN_SET_MAX_VARIABLE:
    case IR_FN_SET_MIN_VARIABLE:
    case IR_FN_SET_COUNT_VARIABLE:
    case IR_FN_SEQ_NEXT:
    case IR_FN__COUNT:
        break;
    }
    return unsupported(c, sb, e, "no Spark mapping");
}

static bool is_agg_key(const spark_ctx *c, const ir_expr *e)
{
    for (int i = 0; i < c->agg->n_keys; i++) {
        const ir_expr *k = c->agg->keys[i];
        if (k->kind == IR_EX_REF && k->u.ref.col == e->u.ref.col)
            return true;
        if (k->kind == IR_EX_REF && strcmp(k->u.ref.col, e->u.ref.col) == 0)
            return true;
    }
    return false;
}

static int write(spark_ctx *c, strbuf *sb, const ir_expr *e, int min_level, bool bare)
{
    (void)min_level;
    if (!e) {
        sb_puts(sb, "F.lit(None)");
        return P_PRIMARY;
    }
    switch (e->kind) {
    case IR_EX_LIT: return write_lit(c, sb, e, bare);
    case IR_EX_REF: {
        /* a reference to another column of the node being written (an IR that breaks the rule
         * that columns read their inputs): the column's own expression, since a select cannot
         * read a column it defines */
        if (c->node && e->u.ref.node == c->node->id && c->node->op != IR_OP_SOURCE && c->self_depth < 16) {
            const ir_column *col = ir_node_col(c->node, e->u.ref.col);
            if (col && col->expr) {
                c->self_depth++;
                int lvl = write(c, sb, col->expr, min_level, bare);
                c->self_depth--;
                return lvl;
            }
        }
        const char *q = NULL;
        for (int i = 0; i < c->n_quals; i++)
            if (c->quals[i].node == e->u.ref.node) {
                q = c->quals[i].alias;
                break;
            }
        bool last = c->agg && c->agg_depth == 0 && !is_agg_key(c, e);
        if (last) {
            /* Informatica: a port that is neither grouped nor aggregated takes the last row's value */
            c->order_dependent++;
            sb_puts(sb, "F.last(");
        }
        sb_puts(sb, "F.col(");
        spark_col_name(sb, q, e->u.ref.col);
        sb_putc(sb, ')');
        if (last)
            sb_puts(sb, ", ignorenulls=False)");
        return P_PRIMARY;
    }
    case IR_EX_PARAM: {
        if (!bare)
            sb_puts(sb, "F.lit(");
        spark_param_var(sb, e->u.param.name);
        if (!bare)
            sb_putc(sb, ')');
        return P_PRIMARY;
    }
    case IR_EX_CALL: return write_call(c, sb, e);
    case IR_EX_HOLE:
        hole_call(c, sb, "expression", e->span, e->u.hole.text, e->u.hole.reason);
        return P_PRIMARY;
    case IR_EX_OVER:
    case IR_EX_QUERY:
        /* statement-only kinds (ir_sql.h): statements go to Spark SQL (sparksql_*), not Columns */
        return unsupported(c, sb, e, "a window or subquery of a SQL statement has no Column form here");
    }
    return -1;
}

int spark_expr(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    int before = c->unsupported;
    int rc = emit(c, sb, e, P_ANY, false);
    if (rc < 0)
        return -1;
    return c->unsupported > before ? -1 : 0;
}

int spark_expr_primary(spark_ctx *c, strbuf *sb, const ir_expr *e)
{
    int before = c->unsupported;
    int rc = emit(c, sb, e, P_PRIMARY, false);
    if (rc < 0)
        return -1;
    return c->unsupported > before ? -1 : 0;
}
