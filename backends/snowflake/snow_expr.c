/*
 * snow_expr.c — canonical expressions (ir/functions.def) as Snowflake SQL.
 *
 * Each canonical function keeps its canonical meaning, flags included: where Snowflake's builtin
 * differs (NULL handling, position rules, anchoring of regular expressions, format models) the
 * rendering adds the guard or picks the idiom that restores it. What cannot be expressed becomes
 * a typed NULL with an `ETLPORT UNSUPPORTED` comment and is counted; IR holes become typed NULLs
 * with an `ETLPORT HOLE` comment. docs/snowflake-backend.md explains each choice.
 */
#include "backends/snowflake/snow_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ir/datefmt.h"

/* ---- names, types, comments ---- */

/* Snowflake reserved words, plus words the SQL grammar treats as keywords in column position.
 * Keep it in ascending strcasecmp order: snow_ident_plain searches it by bisection. */
static const char *const reserved[] = {
    "ACCOUNT", "ALL", "ALTER", "AND", "ANY", "AS", "ASC", "BETWEEN", "BY", "CASE", "CAST", "CHECK",
    "COLUMN", "COMMENT", "CONNECT", "CONNECTION", "CONSTRAINT", "CREATE", "CROSS", "CURRENT",
    "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "DATABASE", "DATE",
    "DEFAULT", "DELETE", "DESC", "DISTINCT", "DROP", "ELSE", "END", "EXCEPT", "EXISTS", "FALSE",
    "FIRST", "FOLLOWING", "FOR", "FROM", "FULL", "GRANT", "GROUP", "GSCLUSTER", "HAVING", "ILIKE",
    "IN", "INCREMENT", "INDEX", "INNER", "INSERT", "INTERSECT", "INTERVAL", "INTO", "IS", "ISSUE",
    "JOIN", "KEY", "LAST", "LATERAL", "LEFT", "LIKE", "LIMIT", "LOCALTIME", "LOCALTIMESTAMP",
    "MATCHED", "MERGE", "MINUS", "NATURAL", "NOT", "NULL", "NULLS", "OF", "OFFSET", "OID", "ON", "OR",
    "ORDER", "ORGANIZATION", "OUTER", "OVER", "PARTITION", "PRIMARY", "QUALIFY", "RANGE",
    "REFERENCES", "REGEXP", "REVOKE", "RIGHT", "RLIKE", "ROW", "ROWS", "SAMPLE", "SCHEMA", "SELECT",
    "SET", "SOME", "START", "TABLE", "TABLESAMPLE", "THEN", "TIME", "TIMESTAMP", "TO", "TRIGGER",
    "TRUE", "TRY_CAST", "UNION", "UNIQUE", "UPDATE", "USING", "VALUES", "VIEW", "WHEN", "WHENEVER",
    "WHERE", "WINDOW", "WITH", "XML",
};

int snow_ident_plain(const char *name)
{
    if (!name || !*name)
        return 0;
    if (!(isalpha((unsigned char)name[0]) || name[0] == '_'))
        return 0;
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return 0;
    /* reserved[] is in ascending order under strcasecmp: a binary search (this runs for every
     * identifier written) */
    size_t lo = 0, hi = sizeof reserved / sizeof reserved[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcasecmp(name, reserved[mid]);
        if (c == 0)
            return 0;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 1;
}

void snow_ident(strbuf *sb, const char *name)
{
    if (snow_ident_plain(name)) {
        sb_puts(sb, name);
        return;
    }
    sb_putc(sb, '"');
    for (const char *p = name ? name : ""; *p; p++) {
        if (*p == '"')
            sb_putc(sb, '"');
        sb_putc(sb, *p);
    }
    sb_putc(sb, '"');
}

void snow_sql_name(strbuf *sb, const char *dotted)
{
    const char *p = dotted ? dotted : "";
    char part[256];
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof part)
            n = sizeof part - 1;
        memcpy(part, p, n);
        part[n] = 0;
        int upper = 0, word = n > 0 && (isalpha((unsigned char)part[0]) || part[0] == '_');
        for (size_t i = 0; i < n; i++) {
            if (isupper((unsigned char)part[i]))
                upper = 1;
            if (!(isalnum((unsigned char)part[i]) || part[i] == '_' || part[i] == '$'))
                word = 0;
        }
        if (!upper && snow_ident_plain(part)) {
            sb_puts(sb, part);
        } else {
            /* a reserved word written unquoted in the legacy SQL is the upper-case name in
             * Snowflake; any other quoted name keeps its case */
            if (!upper && word)
                for (size_t i = 0; i < n; i++)
                    part[i] = (char)toupper((unsigned char)part[i]);
            snow_ident(sb, part);
        }
        if (!dot)
            break;
        sb_putc(sb, '.');
        p = dot + 1;
    }
}

void snow_qname(strbuf *sb, const char *q)
{
    const char *p = q ? q : "";
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        char *part = malloc(n + 1);
        if (!part)
            abort();
        memcpy(part, p, n);
        part[n] = 0;
        snow_ident(sb, part);
        free(part);
        if (!dot)
            break;
        sb_putc(sb, '.');
        p = dot + 1;
    }
}

void snow_type(strbuf *sb, ir_type t)
{
    switch (t.kind) {
    case IR_TY_BOOL: sb_puts(sb, "BOOLEAN"); break;
    case IR_TY_INT: sb_puts(sb, "INTEGER"); break;
    case IR_TY_BIGINT: sb_puts(sb, "BIGINT"); break;
    case IR_TY_DECIMAL:
        if (t.precision > 0)
            sb_printf(sb, "NUMBER(%d,%d)", (int)(t.precision > 38 ? 38 : t.precision), (int)t.scale);
        else if (t.scale > 0)
            sb_printf(sb, "NUMBER(38,%d)", (int)t.scale);
        else /* precision and scale unknown (Oracle NUMBER, a floating decimal): Snowflake's bare
              * NUMBER is NUMBER(38,0) and would cut the fraction; 18 digits of it, as the Spark
              * backend's DECIMAL(38,18) keeps */
            sb_puts(sb, "NUMBER(38,18)");
        break;
    case IR_TY_DOUBLE: sb_puts(sb, "FLOAT"); break;
    case IR_TY_STRING:
        if (t.precision > 0)
            sb_printf(sb, "VARCHAR(%d)", (int)t.precision);
        else
            sb_puts(sb, "VARCHAR");
        break;
    case IR_TY_DATE: sb_puts(sb, "DATE"); break;
    case IR_TY_TIMESTAMP:
        sb_printf(sb, "TIMESTAMP_NTZ(%d)", (int)(t.precision > 0 && t.precision <= 9 ? t.precision : 9));
        break;
    case IR_TY_BINARY:
        if (t.precision > 0)
            sb_printf(sb, "BINARY(%d)", (int)t.precision);
        else
            sb_puts(sb, "BINARY");
        break;
    case IR_TY_ARRAY: sb_puts(sb, "ARRAY"); break; /* semi-structured: elements are VARIANT values */
    default: sb_puts(sb, "VARCHAR"); break;
    }
}

void snow_typed_null(strbuf *sb, ir_type t)
{
    if (t.kind == IR_TY_UNKNOWN) {
        sb_puts(sb, "NULL");
        return;
    }
    sb_puts(sb, "CAST(NULL AS ");
    snow_type(sb, t);
    sb_putc(sb, ')');
}

void snow_comment_text(strbuf *sb, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '*' && p[1] == '/') {
            sb_puts(sb, "* /");
            p++;
        } else if (*p == '/' && p[1] == '*') {
            sb_puts(sb, "/ *");
            p++;
        } else if (*p == '\n' || *p == '\r' || *p == '\t') {
            sb_putc(sb, ' ');
        } else {
            sb_putc(sb, *p);
        }
    }
}

void snow_line_comments(strbuf *sb, int indent, const char *prefix, const char *text)
{
    const char *p = text ? text : "";
    do {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n && p[n - 1] == '\r')
            n--;
        sb_indent(sb, indent);
        sb_puts(sb, "--");
        if (prefix || n)
            sb_putc(sb, ' ');
        if (prefix)
            sb_puts(sb, prefix);
        sb_putn(sb, p, n);
        sb_putc(sb, '\n');
        p = nl ? nl + 1 : NULL;
    } while (p && *p);
}

void snow_span(strbuf *sb, ir_span sp, const ir_job *job)
{
    const char *f = sp.file ? sp.file : (job ? job->file : NULL);
    if (f && sp.line)
        sb_printf(sb, "%s:%d", f, (int)sp.line);
    else if (f)
        sb_puts(sb, f);
    else if (sp.line)
        sb_printf(sb, "line %d", (int)sp.line);
    else
        sb_puts(sb, "?");
}

void snow_param_name(strbuf *sb, const char *name)
{
    const char *p = name ? name : "";
    if (!*p || isdigit((unsigned char)*p))
        sb_putc(sb, '_');
    for (; *p; p++)
        sb_putc(sb, isalnum((unsigned char)*p) || *p == '_' ? *p : '_');
}

/* ---- context ---- */

void snow_ctx_init(snow_ctx *c, const ir_job *job, const ir_node *node)
{
    memset(c, 0, sizeof *c);
    c->job = job;
    c->node = node;
}

ir_type snow_expr_type(const snow_ctx *c, const ir_expr *e)
{
    if (!e)
        return ir_type_make(IR_TY_UNKNOWN, 0, 0);
    if (e->type.kind != IR_TY_UNKNOWN)
        return e->type;
    if (e->kind == IR_EX_REF && c->job) {
        ir_node *n = ir_job_node(c->job, e->u.ref.node);
        ir_column *col = n ? ir_node_col(n, e->u.ref.col) : NULL;
        if (col)
            return col->type;
    }
    if (e->kind == IR_EX_PARAM && c->job) {
        ir_param *p = ir_job_param(c->job, e->u.param.name);
        if (p)
            return p->type;
    }
    if (e->kind == IR_EX_CALL) {
        ir_fn fn = e->u.call.fn;
        const ir_fn_info *fi = ir_fn_get(fn);
        if (fi && (fi->type_rule == TR_ARG0 || fi->type_rule == TR_NUMERIC) && e->u.call.n_args > 0)
            return snow_expr_type(c, e->u.call.args[0]);
        if (fi && fi->type_rule == TR_COMMON) {
            /* the first typed branch */
            int from = fn == IR_FN_DECODE ? 2 : fn == IR_FN_IF ? 1 : fn == IR_FN_CASE ? 1 : 0;
            int step = (fn == IR_FN_DECODE || fn == IR_FN_CASE) ? 2 : 1;
            for (int i = from; i < e->u.call.n_args; i += step) {
                ir_type t = snow_expr_type(c, e->u.call.args[i]);
                if (t.kind != IR_TY_UNKNOWN)
                    return t;
            }
        }
        if (fi) {
            switch (fi->type_rule) {
            case TR_BOOL: return ir_type_make(IR_TY_BOOL, 0, 0);
            case TR_INT: return ir_type_make(IR_TY_INT, 0, 0);
            case TR_BIGINT: return ir_type_make(IR_TY_BIGINT, 0, 0);
            case TR_DOUBLE: return ir_type_make(IR_TY_DOUBLE, 0, 0);
            case TR_STRING: return ir_type_make(IR_TY_STRING, 0, 0);
            case TR_DATE: return ir_type_make(IR_TY_DATE, 0, 0);
            case TR_TIMESTAMP: return ir_type_make(IR_TY_TIMESTAMP, 9, 0);
            default: break;
            }
        }
    }
    return e->type;
}

int snow_expr_has_agg(const ir_expr *e)
{
    if (!e || e->kind != IR_EX_CALL)
        return 0;
    if (ir_fn_is_aggregate(e->u.call.fn))
        return 1;
    for (int i = 0; i < e->u.call.n_args; i++)
        if (snow_expr_has_agg(e->u.call.args[i]))
            return 1;
    return 0;
}

/* ---- helpers ---- */

enum { P_OR = 1, P_AND, P_NOT, P_CMP, P_CONCAT, P_ADD, P_MUL, P_UNARY, P_PRIMARY };

static void ex(snow_ctx *c, strbuf *sb, const ir_expr *e, int min_prec);
static void emit_window_call(snow_ctx *c, strbuf *sb, const ir_expr *e);

/* The SQL text of a comparison function (ANY/ALL subqueries). */
static const char *cmp_op_text(ir_fn fn)
{
    switch (fn) {
    case IR_FN_EQ: return "=";
    case IR_FN_NE: return "<>";
    case IR_FN_LT: return "<";
    case IR_FN_LE: return "<=";
    case IR_FN_GT: return ">";
    case IR_FN_GE: return ">=";
    default: return "=";
    }
}
static void padded_side(snow_ctx *c, strbuf *sb, const ir_expr *x, int pad, int min);

static const ir_expr *arg(const ir_expr *e, int i)
{
    return i < e->u.call.n_args ? e->u.call.args[i] : NULL;
}

static int is_lit(const ir_expr *e, ir_lit_kind k)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == k;
}

static int is_null_lit(const ir_expr *e)
{
    return is_lit(e, IR_LIT_NULL);
}

static int is_str_lit(const ir_expr *e)
{
    return is_lit(e, IR_LIT_STRING) && e->u.lit.text;
}

/* An integer literal's value in *out. */
static int int_lit(const ir_expr *e, long long *out)
{
    if (!e || e->kind != IR_EX_LIT || !e->u.lit.text)
        return 0;
    if (e->u.lit.kind != IR_LIT_INT && e->u.lit.kind != IR_LIT_DECIMAL)
        return 0;
    char *end = NULL;
    long long v = strtoll(e->u.lit.text, &end, 10);
    if (!end || *end)
        return 0;
    *out = v;
    return 1;
}

static int is_bool_true(const ir_expr *e)
{
    return is_lit(e, IR_LIT_BOOL) && e->u.lit.text && strcasecmp(e->u.lit.text, "true") == 0;
}

static void unsupported(snow_ctx *c, strbuf *sb, const ir_expr *e, const char *why)
{
    c->unsupported++;
    snow_typed_null(sb, snow_expr_type(c, e));
    const ir_fn_info *fi = e && e->kind == IR_EX_CALL ? ir_fn_get(e->u.call.fn) : NULL;
    sb_puts(sb, " /* ETLPORT UNSUPPORTED ");
    if (fi)
        sb_puts(sb, fi->name);
    sb_puts(sb, ": ");
    snow_comment_text(sb, why);
    sb_puts(sb, " */");
}

/* Whether s starts a Jinja marker ({{ {% {#}: Airflow renders a .sql file as a template. */
static bool opens_jinja(const char *s)
{
    return s[0] == '{' && (s[1] == '{' || s[1] == '%' || s[1] == '#');
}

void snow_string(strbuf *sb, const char *s)
{
    sb_putc(sb, '\'');
    for (; *s; s++) {
        if (opens_jinja(s)) {
            sb_puts(sb, "\\x7B");
            continue;
        }
        if (*s == '\'' || *s == '\\')
            sb_putc(sb, *s == '\'' ? '\'' : '\\');
        sb_putc(sb, *s);
    }
    sb_putc(sb, '\'');
}

static void put_lit(strbuf *sb, const ir_expr *e)
{
    const char *t = e->u.lit.text ? e->u.lit.text : "";
    switch (e->u.lit.kind) {
    case IR_LIT_NULL: sb_puts(sb, "NULL"); break;
    case IR_LIT_BOOL: sb_puts(sb, strcasecmp(t, "true") == 0 ? "TRUE" : "FALSE"); break;
    case IR_LIT_INT:
    case IR_LIT_DECIMAL: sb_puts(sb, t); break;
    case IR_LIT_DOUBLE:
        if (strpbrk(t, "eEnNiI")) {
            /* exponents, inf, nan: through a string, which every reader accepts */
            sb_puts(sb, "TO_DOUBLE(");
            snow_string(sb, t);
            sb_putc(sb, ')');
        } else {
            sb_puts(sb, t);
        }
        break;
    case IR_LIT_STRING: snow_string(sb, t); break;
    case IR_LIT_DATE:
        sb_puts(sb, "TO_DATE(");
        snow_string(sb, t);
        sb_putc(sb, ')');
        break;
    case IR_LIT_TIMESTAMP:
        sb_puts(sb, "TO_TIMESTAMP_NTZ(");
        snow_string(sb, t);
        sb_putc(sb, ')');
        break;
    }
}

static int lit_prec(const ir_expr *e)
{
    if ((e->u.lit.kind == IR_LIT_INT || e->u.lit.kind == IR_LIT_DECIMAL || e->u.lit.kind == IR_LIT_DOUBLE) &&
        e->u.lit.text && e->u.lit.text[0] == '-')
        return P_UNARY;
    return P_PRIMARY;
}

static void open_p(strbuf *sb, int own, int min)
{
    if (own < min)
        sb_putc(sb, '(');
}

static void close_p(strbuf *sb, int own, int min)
{
    if (own < min)
        sb_putc(sb, ')');
}

/* fn(args...) with every argument from index `from` */
static void call_plain(snow_ctx *c, strbuf *sb, const char *name, const ir_expr *e, int from, int to)
{
    sb_puts(sb, name);
    sb_putc(sb, '(');
    for (int i = from; i < to && i < e->u.call.n_args; i++) {
        if (i > from)
            sb_puts(sb, ", ");
        ex(c, sb, e->u.call.args[i], 0);
    }
    sb_putc(sb, ')');
}

static void binop(snow_ctx *c, strbuf *sb, const ir_expr *a, const char *op, const ir_expr *b, int prec,
                  int min)
{
    open_p(sb, prec, min);
    ex(c, sb, a, prec);
    sb_printf(sb, " %s ", op);
    /* a negative literal on the right is parenthesized: `a - (-3)`, never `a - -3` */
    ex(c, sb, b, b && b->kind == IR_EX_LIT && lit_prec(b) == P_UNARY ? P_PRIMARY : prec + 1);
    close_p(sb, prec, min);
}

/* Canonical date part literal → Snowflake date part keyword, or NULL. */
static const char *date_part(const ir_expr *e)
{
    static const char *const parts[] = {"year", "quarter", "month", "week", "day", "hour", "minute",
                                        "second", "millisecond", "microsecond", "nanosecond"};
    if (!is_str_lit(e))
        return NULL;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (strcasecmp(parts[i], e->u.lit.text) == 0)
            return parts[i];
    return NULL;
}

/* The part p when e is cast(date_diff(date_trunc(to, p), date_trunc(from, p), p) AS bigint), the
 * number of p boundaries crossed from `from` to `to` (how T-SQL's and Snowflake's DATEDIFF read):
 * Snowflake's own DATEDIFF(p, from, to) counts exactly those. Weeks are left out (their boundary
 * depends on the first day of the week). */
static const char *boundary_diff(const ir_expr *e, const ir_expr **from, const ir_expr **to)
{
    if (e->u.call.fn != IR_FN_CAST || e->type.kind != IR_TY_BIGINT || e->u.call.n_args != 1)
        return NULL;
    const ir_expr *d = e->u.call.args[0];
    if (!d || d->kind != IR_EX_CALL || d->u.call.fn != IR_FN_DATE_DIFF || d->u.call.n_args != 3 || d->u.call.flags)
        return NULL;
    const char *p = date_part(d->u.call.args[2]);
    if (!p || strcmp(p, "week") == 0)
        return NULL;
    const ir_expr *t[2];
    for (int i = 0; i < 2; i++) {
        const ir_expr *x = d->u.call.args[i];
        if (!x || x->kind != IR_EX_CALL || x->u.call.fn != IR_FN_DATE_TRUNC || x->u.call.n_args != 2 ||
            x->u.call.flags || date_part(x->u.call.args[1]) != p)
            return NULL;
        t[i] = x->u.call.args[0];
    }
    *to = t[0];
    *from = t[1];
    return p;
}

/* A literal string as a regular expression matching it literally (POSIX ERE). */
static void regex_escape(strbuf *out, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\^$.|?*+()[]{}", *s))
            sb_putc(out, '\\');
        sb_putc(out, *s);
    }
}

/* ---- date formats ---- */

#define DEFAULT_DATE_FORMAT "MM/DD/YYYY HH24:MI:SS"

/* Translates a canonical format into a Snowflake format model. Returns 0, or -1 when a token has
 * no Snowflake element (DDD, DAY) or the format is malformed; *approx is set when a token maps
 * with a documented difference (RR). */
static int snow_date_format(strbuf *out, const char *fmt, int *approx)
{
    const char *p = fmt;
    for (;;) {
        const char *lit;
        size_t n;
        df_token t = df_next(&p, &lit, &n);
        switch (t) {
        case DF_END: return 0;
        case DF_LIT:
            if (n == 1 && strchr("-/:.,; ", lit[0])) {
                sb_putc(out, lit[0]);
            } else {
                sb_putc(out, '"');
                sb_putn(out, lit, n);
                sb_putc(out, '"');
            }
            break;
        case DF_YYYY: sb_puts(out, "YYYY"); break;
        case DF_YY: sb_puts(out, "YY"); break;
        case DF_RR: sb_puts(out, "YY"); *approx = 1; break;
        case DF_MM: sb_puts(out, "MM"); break;
        case DF_MON: sb_puts(out, "MON"); break;
        case DF_MONTH: sb_puts(out, "MMMM"); break;
        case DF_DD: sb_puts(out, "DD"); break;
        case DF_DY: sb_puts(out, "DY"); break;
        case DF_HH24: sb_puts(out, "HH24"); break;
        case DF_HH12: sb_puts(out, "HH12"); break;
        case DF_AM: sb_puts(out, "AM"); break;
        case DF_MI: sb_puts(out, "MI"); break;
        case DF_SS: sb_puts(out, "SS"); break;
        case DF_FF3: sb_puts(out, "FF3"); break;
        case DF_FF6: sb_puts(out, "FF6"); break;
        case DF_FF9: sb_puts(out, "FF9"); break;
        case DF_DDD:
        case DF_DAY:
        case DF_BAD: return -1;
        }
    }
}

/* TO_CHAR of a date in a canonical format that uses DDD or DAY: the format is cut at those tokens
 * and the pieces are concatenated. Returns -1 on a malformed format. */
static int to_char_pieces(snow_ctx *c, strbuf *sb, const ir_expr *d, const char *fmt)
{
    const char *p = fmt;
    strbuf seg = STRBUF_INIT;
    int first = 1, rc = 0, approx = 0;
#define FLUSH_SEG()                                                                                \
    do {                                                                                           \
        if (seg.len) {                                                                             \
            if (!first)                                                                            \
                sb_puts(sb, " || ");                                                               \
            sb_puts(sb, "TO_CHAR(");                                                               \
            ex(c, sb, d, 0);                                                                       \
            sb_puts(sb, ", ");                                                                     \
            snow_string(sb, sb_cstr(&seg));                                                  \
            sb_putc(sb, ')');                                                                      \
            first = 0;                                                                             \
            sb_clear(&seg);                                                                        \
        }                                                                                          \
    } while (0)
    for (;;) {
        const char *start = p, *lit;
        size_t n;
        df_token t = df_next(&p, &lit, &n);
        if (t == DF_END)
            break;
        if (t == DF_BAD) {
            rc = -1;
            break;
        }
        if (t == DF_DDD || t == DF_DAY) {
            FLUSH_SEG();
            if (!first)
                sb_puts(sb, " || ");
            first = 0;
            if (t == DF_DDD) {
                sb_puts(sb, "LPAD(DAYOFYEAR(");
                ex(c, sb, d, 0);
                sb_puts(sb, "), 3, '0')");
            } else {
                sb_puts(sb, "DECODE(DAYOFWEEKISO(");
                ex(c, sb, d, 0);
                sb_puts(sb, "), 1, 'Monday', 2, 'Tuesday', 3, 'Wednesday', 4, 'Thursday', 5, 'Friday', "
                            "6, 'Saturday', 7, 'Sunday')");
            }
            continue;
        }
        /* translate this one token into the pending segment */
        char one[64];
        size_t len = (size_t)(p - start);
        if (len >= sizeof one)
            len = sizeof one - 1;
        memcpy(one, start, len);
        one[len] = 0;
        if (snow_date_format(&seg, one, &approx) < 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0)
        FLUSH_SEG();
#undef FLUSH_SEG
    sb_free(&seg);
    return rc;
}

/* The format argument of to_char/to_date/is_date as a Snowflake format model literal. Returns 0,
 * 1 when the format needs the piecewise path (to_char only), -1 when not translatable. */
static int format_arg(strbuf *out, const ir_expr *f, int *approx)
{
    const char *fmt = DEFAULT_DATE_FORMAT;
    if (f) {
        if (!is_str_lit(f))
            return -1;
        fmt = f->u.lit.text;
    }
    strbuf m = STRBUF_INIT;
    int rc = snow_date_format(&m, fmt, approx);
    if (rc == 0)
        snow_string(out, sb_cstr(&m));
    else {
        /* DDD/DAY are translatable piecewise for output; a bad token is not */
        const char *p = fmt, *lit;
        size_t n;
        df_token t;
        rc = 1;
        while ((t = df_next(&p, &lit, &n)) != DF_END)
            if (t == DF_BAD)
                rc = -1;
    }
    sb_free(&m);
    return rc;
}

/* ---- substr / instr ---- */

static void emit_substr(snow_ctx *c, strbuf *sb, const ir_expr *e)
{
    const ir_expr *x = arg(e, 0), *s = arg(e, 1), *n = arg(e, 2);
    uint32_t fl = e->u.call.flags;
    int zero1 = (fl & IR_FL_POS_ZERO_IS_ONE) != 0, negend = (fl & IR_FL_NEG_FROM_END) != 0;
    long long sv = 0;
    int slit = int_lit(s, &sv);
    /* Snowflake SUBSTR: start 0 is treated as 1, a negative start counts from the end, a negative
     * length gives ''. With both flags that is the canonical meaning; a positive literal start
     * means the same under every flag combination. */
    if ((zero1 && negend) || (slit && sv >= 1) || (slit && sv == 0 && zero1) || (slit && sv < 0 && negend)) {
        call_plain(c, sb, "SUBSTR", e, 0, 3);
        return;
    }
    /* Without the flags a start <= 0 is a window before the string (SQL standard): characters at
     * positions [start, start + length) that exist. */
    if (!negend && !zero1) {
        sb_puts(sb, "SUBSTR(");
        ex(c, sb, x, 0);
        sb_puts(sb, ", GREATEST(");
        ex(c, sb, s, 0);
        sb_puts(sb, ", 1)");
        if (n) {
            sb_puts(sb, ", GREATEST(");
            ex(c, sb, s, P_ADD);
            sb_puts(sb, " + ");
            ex(c, sb, n, P_ADD + 1);
            sb_puts(sb, ", 1) - GREATEST(");
            ex(c, sb, s, 0);
            sb_puts(sb, ", 1)");
        }
        sb_putc(sb, ')');
        return;
    }
    if (zero1) { /* a negative start is a window before the string */
        sb_puts(sb, "SUBSTR(");
        ex(c, sb, x, 0);
        sb_puts(sb, ", GREATEST(");
        ex(c, sb, s, 0);
        sb_puts(sb, ", 1)");
        if (n) {
            sb_puts(sb, ", IFF(");
            ex(c, sb, s, P_CMP + 1);
            sb_puts(sb, " < 0, ");
            ex(c, sb, s, P_ADD);
            sb_puts(sb, " + ");
            ex(c, sb, n, P_ADD + 1);
            sb_puts(sb, " - 1, ");
            ex(c, sb, n, 0);
            sb_putc(sb, ')');
        }
        sb_putc(sb, ')');
        return;
    }
    /* neg_from_end only: start 0 is one position before the string */
    sb_puts(sb, "SUBSTR(");
    ex(c, sb, x, 0);
    sb_puts(sb, ", IFF(");
    ex(c, sb, s, P_CMP + 1);
    sb_puts(sb, " = 0, 1, ");
    ex(c, sb, s, 0);
    sb_putc(sb, ')');
    if (n) {
        sb_puts(sb, ", IFF(");
        ex(c, sb, s, P_CMP + 1);
        sb_puts(sb, " = 0, ");
        ex(c, sb, n, P_ADD);
        sb_puts(sb, " - 1, ");
        ex(c, sb, n, 0);
        sb_putc(sb, ')');
    }
    sb_putc(sb, ')');
}

/* Forward search from start (a rendered expression >= 1) for the occ-th occurrence. */
static void instr_forward(snow_ctx *c, strbuf *sb, const ir_expr *x, const ir_expr *needle, const char *start,
                          const ir_expr *occ, long long ov)
{
    if (ov == 1) {
        sb_puts(sb, "POSITION(");
        ex(c, sb, needle, 0);
        sb_puts(sb, ", ");
        ex(c, sb, x, 0);
        if (strcmp(start, "1") != 0)
            sb_printf(sb, ", %s", start);
        sb_putc(sb, ')');
        return;
    }
    strbuf pat = STRBUF_INIT;
    regex_escape(&pat, needle->u.lit.text);
    sb_puts(sb, "REGEXP_INSTR(");
    ex(c, sb, x, 0);
    sb_puts(sb, ", ");
    snow_string(sb, sb_cstr(&pat));
    sb_printf(sb, ", %s, ", start);
    ex(c, sb, occ, 0);
    sb_putc(sb, ')');
    sb_free(&pat);
}

/* Backward search (a negative start -k): the match may start at most at LENGTH(x) - k + 1 and the
 * occ-th one from the end is wanted. In the reversed string that is a forward search from
 * k - m + 1 (m the needle's length); position q there is LENGTH(x) - q - m + 2 in x. The needle
 * must be an ASCII literal (reversed here). */
static void instr_backward(snow_ctx *c, strbuf *sb, const ir_expr *x, const ir_expr *needle, const char *kexpr,
                           long long klit, int kknown, const ir_expr *occ, long long ov)
{
    const char *nd = needle->u.lit.text;
    size_t m = strlen(nd);
    char *rev = malloc(m + 1);
    if (!rev)
        abort();
    for (size_t i = 0; i < m; i++)
        rev[i] = nd[m - 1 - i];
    rev[m] = 0;
    strbuf start = STRBUF_INIT, q = STRBUF_INIT;
    if (kknown) {
        long long s0 = klit - (long long)m + 1;
        sb_printf(&start, "%lld", s0 < 1 ? 1 : s0);
    } else {
        if (m > 1)
            sb_printf(&start, "GREATEST(%s - %zu, 1)", kexpr, m - 1);
        else
            sb_printf(&start, "GREATEST(%s, 1)", kexpr);
    }
    ir_expr rl = *needle;
    rl.u.lit.text = rev;
    strbuf rx = STRBUF_INIT;
    sb_puts(&rx, "REVERSE(");
    ex(c, &rx, x, 0);
    sb_putc(&rx, ')');
    if (ov == 1) {
        sb_puts(&q, "POSITION(");
        ex(c, &q, &rl, 0);
        sb_printf(&q, ", %s", sb_cstr(&rx));
        if (strcmp(sb_cstr(&start), "1") != 0)
            sb_printf(&q, ", %s", sb_cstr(&start));
        sb_putc(&q, ')');
    } else {
        strbuf pat = STRBUF_INIT;
        regex_escape(&pat, rev);
        sb_printf(&q, "REGEXP_INSTR(%s, ", sb_cstr(&rx));
        snow_string(&q, sb_cstr(&pat));
        sb_printf(&q, ", %s, ", sb_cstr(&start));
        ex(c, &q, occ, 0);
        sb_putc(&q, ')');
        sb_free(&pat);
    }
    sb_printf(sb, "IFF(%s = 0, 0, LENGTH(", sb_cstr(&q));
    ex(c, sb, x, 0);
    sb_printf(sb, ") - %s + %lld)", sb_cstr(&q), 2 - (long long)m);
    sb_free(&start);
    sb_free(&q);
    sb_free(&rx);
    free(rev);
}

static int ascii_only(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

static void emit_instr(snow_ctx *c, strbuf *sb, const ir_expr *e)
{
    const ir_expr *x = arg(e, 0), *needle = arg(e, 1), *s = arg(e, 2), *occ = arg(e, 3);
    uint32_t fl = e->u.call.flags;
    long long sv = 1, ov = 1;
    int slit = s ? int_lit(s, &sv) : 1;
    int olit = occ ? int_lit(occ, &ov) : 1;
    int negend = (fl & IR_FL_NEG_FROM_END) != 0;
    int backward_ok = is_str_lit(needle) && needle->u.lit.text[0] && ascii_only(needle->u.lit.text);
    if (!olit)
        ov = 2; /* any value other than 1: the general form */
    if ((ov != 1 && !is_str_lit(needle))) {
        unsupported(c, sb, e, "nth occurrence of a non-literal search string");
        return;
    }
    if (slit && sv <= 0 && !(sv < 0 && negend)) {
        /* 0 (or a negative start without neg_from_end) lies before the string: searching from
         * there finds what a search from 1 finds */
        sv = 1;
    }
    if (slit && sv < 0) {
        if (!backward_ok) {
            unsupported(c, sb, e, "backward search for a non-literal or non-ASCII string");
            return;
        }
        instr_backward(c, sb, x, needle, NULL, -sv, 1, occ, ov);
        return;
    }
    if (slit) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", sv);
        instr_forward(c, sb, x, needle, buf, occ, ov);
        return;
    }
    strbuf st = STRBUF_INIT;
    ex(c, &st, s, 0);
    strbuf fwd = STRBUF_INIT;
    sb_printf(&fwd, "GREATEST(%s, 1)", sb_cstr(&st));
    if (negend && backward_ok) {
        strbuf k = STRBUF_INIT;
        sb_printf(&k, "-%s", sb_cstr(&st));
        if (s->kind != IR_EX_REF && s->kind != IR_EX_PARAM) {
            sb_clear(&k);
            sb_printf(&k, "-(%s)", sb_cstr(&st));
        }
        sb_printf(sb, "IFF(%s < 0, ", sb_cstr(&st));
        instr_backward(c, sb, x, needle, sb_cstr(&k), 0, 0, occ, ov);
        sb_puts(sb, ", ");
        instr_forward(c, sb, x, needle, sb_cstr(&fwd), occ, ov);
        sb_putc(sb, ')');
        sb_free(&k);
    } else {
        instr_forward(c, sb, x, needle, sb_cstr(&fwd), occ, ov);
        if (negend)
            sb_puts(sb, " /* ETLPORT NOTE: a negative start (search from the end) is not reproduced */");
    }
    sb_free(&st);
    sb_free(&fwd);
}

/* ---- replace ---- */

/* The replacement and flags that end a REGEXP_REPLACE for REPLACECHR / REPLACESTR: '' when the
 * replacement removes, a literal with backslashes doubled (they are special in a replacement), or
 * the expression nw with NULL read as ''; then the case-insensitive parameters when ci. */
static void put_regexp_replacement(snow_ctx *c, strbuf *sb, const ir_expr *nw, bool removes, bool ci)
{
    if (removes) {
        sb_puts(sb, "''");
    } else if (is_str_lit(nw)) {
        strbuf r = STRBUF_INIT;
        for (const char *p = nw->u.lit.text; *p; p++) {
            if (*p == '\\')
                sb_putc(&r, '\\');
            sb_putc(&r, *p);
        }
        snow_string(sb, sb_cstr(&r));
        sb_free(&r);
    } else {
        sb_puts(sb, "COALESCE(");
        ex(c, sb, nw, 0);
        sb_puts(sb, ", '')");
    }
    sb_puts(sb, ci ? ", 1, 0, 'i')" : ")");
}

static void emit_replace_chars(snow_ctx *c, strbuf *sb, const ir_expr *e)
{
    const ir_expr *x = arg(e, 0), *set = arg(e, 1), *nw = arg(e, 2);
    int ci = (e->u.call.flags & IR_FL_CASE_INSENSITIVE) != 0;
    int removes = is_null_lit(nw) || (is_str_lit(nw) && !nw->u.lit.text[0]);
    if (!is_str_lit(set)) {
        unsupported(c, sb, e, "the character set is not a literal");
        return;
    }
    const char *cs = set->u.lit.text;
    if (!ci && (removes || (is_str_lit(nw) && strlen(nw->u.lit.text) == 1))) {
        /* TRANSLATE maps each character of the set to the character at the same position of the
         * target; characters without a counterpart are removed */
        sb_puts(sb, "TRANSLATE(");
        ex(c, sb, x, 0);
        sb_puts(sb, ", ");
        snow_string(sb, cs);
        sb_puts(sb, ", ");
        strbuf t = STRBUF_INIT;
        if (!removes)
            for (const char *p = cs; *p; p++)
                sb_putc(&t, nw->u.lit.text[0]);
        snow_string(sb, sb_cstr(&t));
        sb_free(&t);
        sb_putc(sb, ')');
        return;
    }
    strbuf pat = STRBUF_INIT;
    sb_putc(&pat, '[');
    for (const char *p = cs; *p; p++) {
        if (strchr("\\]^-[", *p))
            sb_putc(&pat, '\\');
        sb_putc(&pat, *p);
    }
    sb_putc(&pat, ']');
    sb_puts(sb, "REGEXP_REPLACE(");
    ex(c, sb, x, 0);
    sb_puts(sb, ", ");
    snow_string(sb, cs[0] ? sb_cstr(&pat) : "[^\\s\\S]");
    sb_puts(sb, ", ");
    put_regexp_replacement(c, sb, nw, removes, ci);
    sb_free(&pat);
}

/* The constant text of a string literal or of CHR(n) with a literal ASCII code n; 0 when e is
 * not such a constant. *out points into e or into buf. */
static int const_text(const ir_expr *e, const char **out, char buf[2])
{
    long long code = 0;
    if (is_str_lit(e)) {
        *out = e->u.lit.text;
        return 1;
    }
    if (e && e->kind == IR_EX_CALL && e->u.call.fn == IR_FN_CHR && e->u.call.n_args == 1 &&
        int_lit(e->u.call.args[0], &code) && code >= 1 && code <= 127) {
        buf[0] = (char)code;
        buf[1] = 0;
        *out = buf;
        return 1;
    }
    return 0;
}

/* A string literal with control characters as backslash escapes (\n, \r, \t, \xhh), which
 * Snowflake decodes in single-quoted strings, so the generated line stays one line; and a '{' that
 * opens a Jinja marker ({{ {% {#) as \x7B, since Airflow renders a .sql file as a template. */
static void put_sql_string_esc(strbuf *sb, const char *s)
{
    sb_putc(sb, '\'');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (opens_jinja(s))
            sb_puts(sb, "\\x7B");
        else if (ch == '\'')
            sb_puts(sb, "''");
        else if (ch == '\\')
            sb_puts(sb, "\\\\");
        else if (ch == '\n')
            sb_puts(sb, "\\n");
        else if (ch == '\r')
            sb_puts(sb, "\\r");
        else if (ch == '\t')
            sb_puts(sb, "\\t");
        else if (ch < 0x20 || ch == 0x7f)
            sb_printf(sb, "\\x%02X", ch);
        else
            sb_putc(sb, (char)ch);
    }
    sb_putc(sb, '\'');
}

static void emit_replace_str(snow_ctx *c, strbuf *sb, const ir_expr *e)
{
    int n = e->u.call.n_args;
    const ir_expr *x = arg(e, 0), *nw = arg(e, n - 1);
    int ci = (e->u.call.flags & IR_FL_CASE_INSENSITIVE) != 0;
    int removes = is_null_lit(nw);
    if (n == 3 && !ci) {
        /* REPLACE(x, old, new): a NULL new string removes (canonical), Snowflake would give NULL */
        sb_puts(sb, "REPLACE(");
        ex(c, sb, x, 0);
        sb_puts(sb, ", ");
        ex(c, sb, arg(e, 1), 0);
        sb_puts(sb, ", ");
        if (removes)
            sb_puts(sb, "''");
        else if (nw->kind == IR_EX_LIT)
            ex(c, sb, nw, 0);
        else {
            sb_puts(sb, "COALESCE(");
            ex(c, sb, nw, 0);
            sb_puts(sb, ", '')");
        }
        sb_putc(sb, ')');
        return;
    }
    /* several old strings are replaced in one left-to-right scan: one alternation */
    strbuf pat = STRBUF_INIT;
    for (int i = 1; i < n - 1; i++) {
        const ir_expr *o = arg(e, i);
        const char *ot = NULL;
        char one[2];
        if (is_null_lit(o))
            continue;
        /* literal strings and CHR(n) of a literal code are constants the pattern can hold */
        if (!const_text(o, &ot, one)) {
            sb_free(&pat);
            unsupported(c, sb, e, "several non-literal search strings");
            return;
        }
        if (!*ot)
            continue; /* an empty search string matches nothing */
        if (pat.len)
            sb_putc(&pat, '|');
        regex_escape(&pat, ot);
    }
    sb_puts(sb, "REGEXP_REPLACE(");
    ex(c, sb, x, 0);
    sb_puts(sb, ", ");
    put_sql_string_esc(sb, pat.len ? sb_cstr(&pat) : "[^\\s\\S]");
    sb_puts(sb, ", ");
    put_regexp_replacement(c, sb, nw, removes, ci);
    sb_free(&pat);
}

/* ---- dates ---- */

static int is_date_typed(snow_ctx *c, const ir_expr *d)
{
    return snow_expr_type(c, d).kind == IR_TY_DATE;
}

static void emit_date_diff(snow_ctx *c, strbuf *sb, const ir_expr *e, int min)
{
    const ir_expr *d1 = arg(e, 0), *d2 = arg(e, 1);
    const char *part = date_part(arg(e, 2));
    if (!part) {
        unsupported(c, sb, e, "the date part is not a literal");
        return;
    }
    /* Informatica DATE_DIFF keeps the fraction: elapsed time in milliseconds over the unit;
     * months (and quarters, years) as MONTHS_BETWEEN, which has the same 31-day fraction rule. */
    const char *div = NULL, *unit = "millisecond";
    if (!strcmp(part, "day")) div = "86400000";
    else if (!strcmp(part, "week")) div = "604800000";
    else if (!strcmp(part, "hour")) div = "3600000";
    else if (!strcmp(part, "minute")) div = "60000";
    else if (!strcmp(part, "second")) div = "1000";
    else if (!strcmp(part, "microsecond")) unit = "microsecond";
    else if (!strcmp(part, "nanosecond")) unit = "nanosecond";
    int divided = div || !strcmp(part, "quarter") || !strcmp(part, "year");
    open_p(sb, divided ? P_MUL : P_PRIMARY, min);
    if (!strcmp(part, "month") || !strcmp(part, "quarter") || !strcmp(part, "year")) {
        sb_puts(sb, "MONTHS_BETWEEN(");
        ex(c, sb, d1, 0);
        sb_puts(sb, ", ");
        ex(c, sb, d2, 0);
        sb_putc(sb, ')');
        if (!strcmp(part, "quarter"))
            sb_puts(sb, " / 3");
        else if (!strcmp(part, "year"))
            sb_puts(sb, " / 12");
        close_p(sb, divided ? P_MUL : P_PRIMARY, min);
        return;
    }
    sb_puts(sb, "TO_DOUBLE(DATEDIFF(");
    sb_puts(sb, unit);
    sb_puts(sb, ", ");
    ex(c, sb, d2, 0);
    sb_puts(sb, ", ");
    ex(c, sb, d1, 0);
    sb_puts(sb, "))");
    if (div)
        sb_printf(sb, " / %s", div);
    close_p(sb, divided ? P_MUL : P_PRIMARY, min);
}

static void emit_date_part(snow_ctx *c, strbuf *sb, const ir_expr *d, const char *part)
{
    if (!strcmp(part, "millisecond") || !strcmp(part, "microsecond")) {
        sb_puts(sb, "FLOOR(DATE_PART(nanosecond, ");
        ex(c, sb, d, 0);
        sb_puts(sb, !strcmp(part, "millisecond") ? ") / 1000000)" : ") / 1000)");
        return;
    }
    sb_printf(sb, "DATE_PART(%s, ", part);
    ex(c, sb, d, 0);
    sb_putc(sb, ')');
}

static void emit_date_round(snow_ctx *c, strbuf *sb, const ir_expr *e)
{
    const ir_expr *d = arg(e, 0);
    const char *part = date_part(arg(e, 1));
    if (!part) {
        unsupported(c, sb, e, "the date part is not a literal");
        return;
    }
    /* Fixed-length units: add half a unit, then truncate. Calendar units: to the next unit from
     * the middle on (year: July 1, quarter: the 16th of its second month, month: the 16th). */
    static const struct { const char *part, *half_unit; int half; } fixed[] = {
        {"week", "hour", 84}, {"day", "hour", 12}, {"hour", "minute", 30}, {"minute", "second", 30},
        {"second", "millisecond", 500}, {"millisecond", "microsecond", 500},
        {"microsecond", "nanosecond", 500},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (!strcmp(fixed[i].part, part)) {
            sb_printf(sb, "DATE_TRUNC(%s, DATEADD(%s, %d, ", part, fixed[i].half_unit, fixed[i].half);
            ex(c, sb, d, 0);
            sb_puts(sb, "))");
            return;
        }
    if (!strcmp(part, "nanosecond")) {
        ex(c, sb, d, 0);
        return;
    }
    sb_printf(sb, "DATE_TRUNC(%s, IFF(", part);
    if (!strcmp(part, "year")) {
        sb_puts(sb, "MONTH(");
        ex(c, sb, d, 0);
        sb_puts(sb, ") >= 7");
    } else if (!strcmp(part, "quarter")) {
        sb_puts(sb, "MOD(MONTH(");
        ex(c, sb, d, 0);
        sb_puts(sb, ") - 1, 3) * 100 + DAY(");
        ex(c, sb, d, 0);
        sb_puts(sb, ") >= 116");
    } else {
        sb_puts(sb, "DAY(");
        ex(c, sb, d, 0);
        sb_puts(sb, ") >= 16");
    }
    sb_printf(sb, ", DATEADD(%s, 1, ", part);
    ex(c, sb, d, 0);
    sb_puts(sb, "), ");
    ex(c, sb, d, 0);
    sb_puts(sb, "))");
}

/* ---- conversions ---- */

static void emit_to_char(snow_ctx *c, strbuf *sb, const ir_expr *e, int min)
{
    const ir_expr *x = arg(e, 0), *f = arg(e, 1);
    ir_type t = snow_expr_type(c, x);
    if (!ir_type_is_temporal(t) && !f) {
        /* a number (or string) as text */
        sb_puts(sb, "TO_VARCHAR(");
        ex(c, sb, x, 0);
        sb_putc(sb, ')');
        return;
    }
    if (f && !ir_type_is_temporal(t) && ir_type_is_numeric(t)) {
        unsupported(c, sb, e, "number format models are not translated");
        return;
    }
    strbuf m = STRBUF_INIT;
    int approx = 0;
    int rc = format_arg(&m, f, &approx);
    if (rc == 0) {
        sb_puts(sb, "TO_CHAR(");
        ex(c, sb, x, 0);
        sb_puts(sb, ", ");
        sb_puts(sb, sb_cstr(&m));
        sb_putc(sb, ')');
        if (approx)
            sb_puts(sb, " /* ETLPORT NOTE: RR written as YY */");
    } else if (rc == 1) {
        open_p(sb, P_CONCAT, min);
        to_char_pieces(c, sb, x, f ? f->u.lit.text : DEFAULT_DATE_FORMAT);
        close_p(sb, P_CONCAT, min);
    } else {
        unsupported(c, sb, e, "the date format is not a literal canonical format");
    }
    sb_free(&m);
}

static void emit_to_date(snow_ctx *c, strbuf *sb, const ir_expr *e, int test)
{
    const ir_expr *x = arg(e, 0), *f = arg(e, 1);
    strbuf m = STRBUF_INIT;
    int approx = 0;
    int rc = format_arg(&m, f, &approx);
    if (rc != 0) {
        unsupported(c, sb, e, "the date format cannot be written as a Snowflake format model");
        sb_free(&m);
        return;
    }
    if (test) {
        /* strict: NULL in, NULL out; otherwise whether the string parses */
        sb_puts(sb, "IFF(");
        ex(c, sb, x, P_CMP);
        sb_puts(sb, " IS NULL, NULL, TRY_TO_TIMESTAMP_NTZ(");
        ex(c, sb, x, 0);
        sb_puts(sb, ", ");
        sb_puts(sb, sb_cstr(&m));
        sb_puts(sb, ") IS NOT NULL)");
    } else if (ir_type_is_temporal(snow_expr_type(c, x))) {
        sb_puts(sb, "CAST(");
        ex(c, sb, x, 0);
        sb_puts(sb, " AS TIMESTAMP_NTZ(9))");
    } else {
        sb_puts(sb, "TO_TIMESTAMP_NTZ(");
        ex(c, sb, x, 0);
        sb_puts(sb, ", ");
        sb_puts(sb, sb_cstr(&m));
        sb_putc(sb, ')');
    }
    if (approx)
        sb_puts(sb, " /* ETLPORT NOTE: RR parsed as YY (TWO_DIGIT_CENTURY_START decides the century) */");
    sb_free(&m);
}

static void emit_to_decimal(snow_ctx *c, strbuf *sb, const ir_expr *e)
{
    const ir_expr *x = arg(e, 0), *sc = arg(e, 1);
    long long scale = 0;
    ir_type rt = snow_expr_type(c, e);
    if (sc) {
        if (!int_lit(sc, &scale)) {
            unsupported(c, sb, e, "the scale is not a literal");
            return;
        }
    } else {
        scale = rt.kind == IR_TY_DECIMAL && rt.precision > 0 ? rt.scale : 0;
    }
    int prec = rt.kind == IR_TY_DECIMAL && rt.precision > 0 && rt.precision <= 38 ? rt.precision : 38;
    if (prec < scale)
        prec = 38;
    ir_type xt = snow_expr_type(c, x);
    if (ir_type_is_numeric(xt)) {
        sb_printf(sb, "CAST(");
        ex(c, sb, x, 0);
        sb_printf(sb, " AS NUMBER(%d,%lld))", prec, scale);
        return;
    }
    /* Informatica: a non-numeric string converts to 0; NULL stays NULL */
    if (x->kind == IR_EX_LIT) {
        sb_puts(sb, "COALESCE(TRY_TO_DECIMAL(");
        ex(c, sb, x, 0);
        sb_printf(sb, ", %d, %lld), 0)", prec, scale);
        return;
    }
    sb_puts(sb, "IFF(");
    ex(c, sb, x, P_CMP);
    sb_puts(sb, " IS NULL, NULL, COALESCE(TRY_TO_DECIMAL(");
    ex(c, sb, x, 0);
    sb_printf(sb, ", %d, %lld), 0))", prec, scale);
}

static void emit_to_int(snow_ctx *c, strbuf *sb, const ir_expr *e, const char *type)
{
    const ir_expr *x = arg(e, 0), *tr = arg(e, 1);
    int round = is_lit(tr, IR_LIT_BOOL) && !is_bool_true(tr);
    if (tr && !is_lit(tr, IR_LIT_BOOL)) {
        unsupported(c, sb, e, "the truncate flag is not a literal");
        return;
    }
    ir_type xt = snow_expr_type(c, x);
    sb_puts(sb, "CAST(");
    sb_puts(sb, round ? "ROUND(" : "TRUNC(");
    if (ir_type_is_numeric(xt)) {
        ex(c, sb, x, 0);
    } else {
        /* a string: exact decimal parse (TO_DOUBLE would lose digits of large integers) */
        sb_puts(sb, "TO_NUMBER(");
        ex(c, sb, x, 0);
        sb_puts(sb, ", 38, 9)");
    }
    sb_printf(sb, ") AS %s)", type);
}

/* ---- aggregates ---- */

/* The aggregated value, wrapped in IFF(filter, value, NULL) when the call has a filter. */
static void agg_value(snow_ctx *c, strbuf *sb, const ir_expr *v, const ir_expr *filter)
{
    if (!filter) {
        ex(c, sb, v, 0);
        return;
    }
    sb_puts(sb, "IFF(");
    ex(c, sb, filter, 0);
    sb_puts(sb, ", ");
    ex(c, sb, v, 0);
    sb_puts(sb, ", NULL)");
}

/* WITHIN GROUP (ORDER BY k1 ASC NULLS LAST, ..) of an ordered aggregate: 0, or -1 (nothing
 * written) when its directions are not the canonical literals. */
static int within_group(snow_ctx *c, strbuf *sb, const ir_expr *e)
{
    ir_sort_key keys[16];
    int nk = ir_ordered_agg_keys(e, keys, 16);
    if (nk < 1)
        return -1;
    sb_puts(sb, " WITHIN GROUP (ORDER BY ");
    for (int i = 0; i < nk; i++) {
        if (i)
            sb_puts(sb, ", ");
        ex(c, sb, keys[i].expr, 0);
        sb_puts(sb, keys[i].desc ? " DESC" : " ASC");
        sb_puts(sb, keys[i].nulls == 1 ? " NULLS FIRST" : " NULLS LAST");
    }
    sb_putc(sb, ')');
    return 0;
}

/* LISTAGG([DISTINCT] value, sep) of string_agg e: '' for a group without a non-NULL value; an
 * ordered one with its WITHIN GROUP */
static void listagg(snow_ctx *c, strbuf *sb, const ir_expr *e)
{
    bool ordered = e->u.call.fn == IR_FN_STRING_AGG_ORDERED;
    const ir_expr *filter = !ordered && e->u.call.n_args > 2 ? arg(e, 2) : NULL;
    sb_puts(sb, "LISTAGG(");
    if (e->u.call.flags & IR_FL_DISTINCT)
        sb_puts(sb, "DISTINCT ");
    agg_value(c, sb, arg(e, 0), filter);
    sb_puts(sb, ", ");
    ex(c, sb, arg(e, 1), 0);
    sb_putc(sb, ')');
    if (ordered)
        within_group(c, sb, e);
}

static void emit_agg(snow_ctx *c, strbuf *sb, const ir_expr *e)
{
    ir_fn fn = e->u.call.fn;
    const ir_fn_info *fi = ir_fn_get(fn);
    int n = e->u.call.n_args;
    int two = fn >= IR_FN_COVAR_POP && fn <= IR_FN_REGR_SXY; /* (y, x) aggregates */
    int nvals = fn == IR_FN_PERCENTILE || fn == IR_FN_STRING_AGG ? 2 : fn == IR_FN_COUNT_STAR ? 0 : 1;
    bool ordered = fn == IR_FN_STRING_AGG_ORDERED || fn == IR_FN_ARRAY_AGG_ORDERED; /* keys, no filter, after v */
    const ir_expr *filter = n > nvals && !ordered ? arg(e, n - 1) : NULL;
    const ir_expr *v = nvals ? arg(e, 0) : NULL;
    int distinct = (e->u.call.flags & IR_FL_DISTINCT) != 0;
    if (ordered && ir_ordered_agg_keys(e, (ir_sort_key[16]){0}, 16) < 1) {
        unsupported(c, sb, e, "an ordered aggregate whose keys are not literal directions");
        return;
    }
    switch (fn) {
    case IR_FN_COUNT_STAR:
        if (filter) {
            sb_puts(sb, "COUNT(IFF(");
            ex(c, sb, filter, 0);
            sb_puts(sb, ", 1, NULL))");
        } else {
            sb_puts(sb, "COUNT(*)");
        }
        return;
    case IR_FN_FIRST:
    case IR_FN_LAST:
        /* input order is not known in SQL: any row's value, flagged */
        c->order_dependent++;
        sb_puts(sb, "ANY_VALUE(");
        agg_value(c, sb, v, filter);
        sb_printf(sb, ") /* ETLPORT ORDER-DEPENDENT: %s row in legacy input order; Snowflake picks any row */",
                  fn == IR_FN_FIRST ? "first" : "last");
        return;
    case IR_FN_ARRAY_AGG_ORDERED:
        sb_puts(sb, distinct ? "ARRAY_AGG(DISTINCT " : "ARRAY_AGG(");
        ex(c, sb, v, 0);
        sb_putc(sb, ')');
        within_group(c, sb, e);
        return;
    case IR_FN_STRING_AGG:
    case IR_FN_STRING_AGG_ORDERED:
        /* string_agg is NULL where LISTAGG gives '': no non-NULL value */
        sb_puts(sb, "CASE WHEN COUNT(");
        agg_value(c, sb, v, filter);
        sb_puts(sb, ") > 0 THEN ");
        listagg(c, sb, e);
        sb_puts(sb, " END");
        return;
    case IR_FN_PERCENTILE:
        if (is_lit(arg(e, 1), IR_LIT_INT) && !strcmp(arg(e, 1)->u.lit.text, "50")) {
            /* the 50th percentile is the median (and needs no WITHIN GROUP) */
            sb_puts(sb, "MEDIAN(");
            agg_value(c, sb, v, filter);
            sb_putc(sb, ')');
            return;
        }
        sb_puts(sb, "PERCENTILE_CONT(");
        ex(c, sb, arg(e, 1), P_MUL);
        sb_puts(sb, " / 100) WITHIN GROUP (ORDER BY ");
        agg_value(c, sb, v, filter);
        sb_putc(sb, ')');
        return;
    default: break;
    }
    if (two) {
        /* a pair with a NULL is ignored: the filter, on both values, drops the row */
        const ir_expr *f2 = n > 2 ? arg(e, 2) : NULL;
        for (const char *s = fi->name; *s; s++)
            sb_putc(sb, (char)(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s));
        sb_putc(sb, '(');
        agg_value(c, sb, arg(e, 0), f2);
        sb_puts(sb, ", ");
        agg_value(c, sb, arg(e, 1), f2);
        sb_putc(sb, ')');
        return;
    }
    const char *name = fn == IR_FN_SUM ? "SUM" : fn == IR_FN_AVG ? "AVG" : fn == IR_FN_COUNT ? "COUNT"
                     : fn == IR_FN_MIN ? "MIN" : fn == IR_FN_MAX ? "MAX" : fn == IR_FN_MEDIAN ? "MEDIAN"
                     : fn == IR_FN_STDDEV ? "STDDEV" : fn == IR_FN_VARIANCE ? "VARIANCE"
                     : fn == IR_FN_ANY_VALUE ? "ANY_VALUE" : fn == IR_FN_BOOL_AND ? "BOOLAND_AGG"
                     : fn == IR_FN_BOOL_OR ? "BOOLOR_AGG" : fn == IR_FN_BIT_AND ? "BITAND_AGG"
                     : fn == IR_FN_BIT_OR ? "BITOR_AGG" : fn == IR_FN_STDDEV_POP ? "STDDEV_POP"
                     : fn == IR_FN_VAR_POP ? "VAR_POP" : fn == IR_FN_ARRAY_AGG ? "ARRAY_AGG" : fi->name;
    sb_puts(sb, name);
    sb_putc(sb, '(');
    if (distinct)
        sb_puts(sb, "DISTINCT ");
    agg_value(c, sb, v, filter);
    sb_putc(sb, ')');
    if (fn == IR_FN_ARRAY_AGG && (e->u.call.flags & IR_FL_ORDER_DEPENDENT)) {
        c->order_dependent++;
        sb_puts(sb, " /* ETLPORT ORDER-DEPENDENT: the legacy array keeps input order; ARRAY_AGG without WITHIN "
                    "GROUP gives any order */");
    }
}

/* ---- window functions (window nodes) ---- */

/* How one window call of window node w is written: which ORDER BY (none, the node's keys, or every
 * input column when the node has none and the function needs an order: order-dependent) and which
 * frame. The frame is written only for the functions that read it; the others take none (Snowflake
 * rejects a frame on rank-related functions and LAG/LEAD). */
typedef struct win_plan {
    int order;      /* 0 none, 1 the node's order keys, 2 invented from the input columns */
    int framed;     /* write `frame` */
    ir_frame frame; /* the frame to write */
    const char *why; /* not expressible: the reason */
} win_plan;

static int is_offset_bound(ir_frame_bound b)
{
    return b.kind == IR_BOUND_PRECEDING || b.kind == IR_BOUND_FOLLOWING;
}

static win_plan window_plan(const ir_node *w, ir_fn fn, uint32_t flags)
{
    win_plan p = {0, 0, w->frame, NULL};
    if (fn == IR_FN_FIRST || fn == IR_FN_LAST) {
        p.why = "first/last are input-order aggregates; in a window node use first_value/last_value";
        return p;
    }
    if (fn == IR_FN_MEDIAN || fn == IR_FN_PERCENTILE) {
        /* Snowflake's MEDIAN and PERCENTILE_CONT take OVER ([PARTITION BY ..]) only: the whole
         * partition, which is what a window without order keys and with the default frame is */
        if (w->n_order == 0 && (w->frame.unit == IR_FRAME_RANGE || (w->frame.start.kind == IR_BOUND_UNBOUNDED_PRECEDING &&
                                                                    w->frame.end.kind == IR_BOUND_UNBOUNDED_FOLLOWING)) &&
            !(flags & IR_FL_DISTINCT))
            return p;
        p.why = "Snowflake's MEDIAN and PERCENTILE_CONT take no ORDER BY or frame as window functions";
        return p;
    }
    if (flags & IR_FL_DISTINCT) {
        p.why = "an aggregate over distinct values takes no ORDER BY or frame as a window function";
        return p;
    }
    int range_offsets = w->frame.unit == IR_FRAME_RANGE && (is_offset_bound(w->frame.start) || is_offset_bound(w->frame.end));
    int uses = ir_fn_uses_frame(fn);
    if (uses && range_offsets && w->n_order != 1) {
        p.why = "a RANGE frame with offsets needs exactly one order key";
        return p;
    }
    if (w->n_order > 0) {
        p.order = 1;
        p.framed = uses;
        return p;
    }
    /* no order keys: every row is a peer of every other, so a RANGE frame is the whole partition */
    int whole = w->frame.unit == IR_FRAME_RANGE ||
                (w->frame.start.kind == IR_BOUND_UNBOUNDED_PRECEDING && w->frame.end.kind == IR_BOUND_UNBOUNDED_FOLLOWING);
    if (whole) {
        p.frame.unit = IR_FRAME_ROWS;
        p.frame.start.kind = IR_BOUND_UNBOUNDED_PRECEDING;
        p.frame.end.kind = IR_BOUND_UNBOUNDED_FOLLOWING;
    }
    if (ir_fn_is_window(fn)) {
        p.order = 2; /* Snowflake requires an ORDER BY for every window function */
        p.framed = uses;
    } else if (!whole) {
        p.order = 2; /* a ROWS frame without an order: rows in an invented order */
        p.framed = 1;
    }
    return p;
}

static void frame_bound(strbuf *sb, ir_frame_bound b)
{
    switch (b.kind) {
    case IR_BOUND_UNBOUNDED_PRECEDING: sb_puts(sb, "UNBOUNDED PRECEDING"); break;
    case IR_BOUND_PRECEDING: sb_printf(sb, "%lld PRECEDING", (long long)b.offset); break;
    case IR_BOUND_CURRENT_ROW: sb_puts(sb, "CURRENT ROW"); break;
    case IR_BOUND_FOLLOWING: sb_printf(sb, "%lld FOLLOWING", (long long)b.offset); break;
    case IR_BOUND_UNBOUNDED_FOLLOWING: sb_puts(sb, "UNBOUNDED FOLLOWING"); break;
    }
}

/* ` OVER (PARTITION BY ... ORDER BY ... ROWS BETWEEN ...)` for a call planned as p. */
static void over_clause(snow_ctx *c, strbuf *sb, const win_plan *p, const ir_node *w)
{
    sb_puts(sb, " OVER (");
    int any = 0;
    if (w->n_keys) {
        sb_puts(sb, "PARTITION BY ");
        for (int i = 0; i < w->n_keys; i++) {
            if (i)
                sb_puts(sb, ", ");
            ex(c, sb, w->keys[i], 0);
        }
        any = 1;
    }
    if (p->order == 1) {
        sb_puts(sb, any ? " ORDER BY " : "ORDER BY ");
        for (int i = 0; i < w->n_order; i++) {
            const ir_sort_key *k = &w->order[i];
            if (i)
                sb_puts(sb, ", ");
            ex(c, sb, k->expr, 0);
            sb_puts(sb, k->desc ? " DESC" : " ASC");
            if (k->nulls == 1)
                sb_puts(sb, " NULLS FIRST");
            else if (k->nulls == 2)
                sb_puts(sb, " NULLS LAST");
        }
        any = 1;
    } else if (p->order == 2) {
        /* the legacy order is not known: every input column that is not a partition key */
        const ir_node *in = w->n_inputs ? ir_job_node(c->job, w->inputs[0]) : NULL;
        sb_puts(sb, any ? " ORDER BY " : "ORDER BY ");
        int k = 0;
        for (int i = 0; in && i < in->n_cols; i++) {
            int is_key = 0;
            for (int j = 0; j < w->n_keys; j++)
                if (w->keys[j]->kind == IR_EX_REF && strcmp(w->keys[j]->u.ref.col, in->cols[i].name) == 0)
                    is_key = 1;
            if (is_key)
                continue;
            if (k++)
                sb_puts(sb, ", ");
            snow_ident(sb, in->cols[i].name);
        }
        if (!k)
            sb_puts(sb, "NULL");
        any = 1;
    }
    if (p->framed) {
        sb_puts(sb, p->frame.unit == IR_FRAME_ROWS ? " ROWS BETWEEN " : " RANGE BETWEEN ");
        frame_bound(sb, p->frame.start);
        sb_puts(sb, " AND ");
        frame_bound(sb, p->frame.end);
    }
    sb_putc(sb, ')');
    if (p->order == 2) {
        c->order_dependent++;
        sb_puts(sb, " /* ETLPORT ORDER-DEPENDENT: the window has no order keys; ordered by every input column */");
    }
}

/* A window function, or an aggregate in a window node: fn(...) [IGNORE NULLS] OVER (...). */
static void emit_window_call(snow_ctx *c, strbuf *sb, const ir_expr *e)
{
    ir_fn fn = e->u.call.fn;
    int n = e->u.call.n_args;
    /* the window: a statement's OVER clause (consumed here, so nothing inside reuses it) or the
     * window node whose column this is */
    const ir_node *w = c->over ? c->over : c->node;
    c->over = NULL;
    if (!w || w->op != IR_OP_WINDOW) {
        unsupported(c, sb, e, "a window function is computed only in a window node (its partition, order and frame)");
        return;
    }
    if (c->window_depth > 0) {
        unsupported(c, sb, e, "a window call inside another window call's arguments needs a second window step");
        return;
    }
    win_plan p = window_plan(w, fn, e->u.call.flags);
    if (p.why) {
        unsupported(c, sb, e, p.why);
        return;
    }
    if (fn == IR_FN_STRING_AGG) {
        unsupported(c, sb, e, "a string aggregate over a window (Snowflake's LISTAGG takes a partition only)");
        return;
    }
    long long v = 0;
    if (fn == IR_FN_NTILE && !(int_lit(arg(e, 0), &v) && v > 0)) {
        unsupported(c, sb, e, "NTILE needs a positive integer literal");
        return;
    }
    if ((fn == IR_FN_LAG || fn == IR_FN_LEAD) && n > 1 && !(int_lit(arg(e, 1), &v) && v >= 0)) {
        unsupported(c, sb, e, "LAG/LEAD need a non-negative integer literal offset");
        return;
    }
    c->window_depth++;
    switch (fn) {
    case IR_FN_ROW_NUMBER: sb_puts(sb, "ROW_NUMBER()"); break;
    case IR_FN_RANK: sb_puts(sb, "RANK()"); break;
    case IR_FN_DENSE_RANK: sb_puts(sb, "DENSE_RANK()"); break;
    case IR_FN_PERCENT_RANK: sb_puts(sb, "PERCENT_RANK()"); break;
    case IR_FN_CUME_DIST: sb_puts(sb, "CUME_DIST()"); break;
    case IR_FN_NTILE: call_plain(c, sb, "NTILE", e, 0, 1); break;
    case IR_FN_LAG: call_plain(c, sb, "LAG", e, 0, n); break;
    case IR_FN_LEAD: call_plain(c, sb, "LEAD", e, 0, n); break;
    case IR_FN_FIRST_VALUE: call_plain(c, sb, "FIRST_VALUE", e, 0, 1); break;
    case IR_FN_LAST_VALUE: call_plain(c, sb, "LAST_VALUE", e, 0, 1); break;
    default: emit_agg(c, sb, e); break; /* sum, avg, count, count_star, min, max, stddev, variance */
    }
    if (ir_fn_is_window(fn) && (e->u.call.flags & IR_FL_IGNORE_NULLS))
        sb_puts(sb, " IGNORE NULLS");
    c->window_depth--;
    over_clause(c, sb, &p, w);
}

/* ---- the call dispatcher ---- */

/* x as text, the way Informatica converts implicitly: numbers plainly, dates in the default date
 * format; strings (and string literals) unchanged. */
static void as_text(snow_ctx *c, strbuf *sb, const ir_expr *x, int min)
{
    ir_type t = snow_expr_type(c, x);
    if (t.kind == IR_TY_STRING || is_str_lit(x) || is_null_lit(x)) {
        ex(c, sb, x, min);
    } else if (ir_type_is_temporal(t)) {
        sb_puts(sb, "TO_CHAR(");
        ex(c, sb, x, 0);
        sb_puts(sb, ", 'MM/DD/YYYY HH24:MI:SS.FF6')");
    } else {
        sb_puts(sb, "TO_VARCHAR(");
        ex(c, sb, x, 0);
        sb_putc(sb, ')');
    }
}

/* x as text inside a concatenation with flags fl. Oracle's || writes a NUMBER with its significant
 * digits only (TO_CHAR without a format: 5, 5.5, .5, -.5), where TO_VARCHAR of a NUMBER(p,s) writes
 * all s digits of the scale (5.000000000000000000 for Oracle's bare NUMBER, NUMBER(38,18) here):
 * trailing zeros of the fraction, the point before none, and a lone leading 0 are cut. Integers and
 * the text of other types are as_text's. */
static void concat_text(snow_ctx *c, strbuf *sb, const ir_expr *x, int min, uint32_t fl)
{
    ir_type t = snow_expr_type(c, x);
    if ((fl & IR_FL_EMPTY_IS_NULL) && x->kind != IR_EX_LIT && t.kind == IR_TY_DECIMAL && (t.precision == 0 || t.scale > 0)) {
        sb_puts(sb, "REGEXP_REPLACE(REGEXP_REPLACE(TO_VARCHAR(");
        ex(c, sb, x, 0);
        sb_puts(sb, "), '[.]0*$|([.][0-9]*[1-9])0+$', '\\\\1'), '^(-?)0[.]', '\\\\1.')");
        return;
    }
    as_text(c, sb, x, min);
}

/* UPPER(x) for case-insensitive matching; a string literal is folded. */
static void upper_side(snow_ctx *c, strbuf *sb, const ir_expr *x, int pad)
{
    int ascii = is_str_lit(x);
    for (const char *p = ascii ? x->u.lit.text : ""; *p; p++)
        ascii &= (unsigned char)*p < 0x80; /* UPPER() of other text is left to Snowflake */
    if (ascii) {
        size_t n = strlen(x->u.lit.text);
        while (pad && n && x->u.lit.text[n - 1] == ' ')
            n--;
        char *t = malloc(n + 1);
        if (!t)
            abort();
        for (size_t i = 0; i < n; i++)
            t[i] = (char)toupper((unsigned char)x->u.lit.text[i]);
        t[n] = 0;
        snow_string(sb, t);
        free(t);
        return;
    }
    sb_puts(sb, "UPPER(");
    padded_side(c, sb, x, pad, 0);
    sb_putc(sb, ')');
}

/* One side of a blank-padded comparison: trailing blanks dropped. */
static void padded_side(snow_ctx *c, strbuf *sb, const ir_expr *x, int pad, int min)
{
    if (!pad) {
        ex(c, sb, x, min);
        return;
    }
    if (is_str_lit(x)) {
        size_t n = strlen(x->u.lit.text);
        while (n && x->u.lit.text[n - 1] == ' ')
            n--;
        char *t = malloc(n + 1);
        if (!t)
            abort();
        memcpy(t, x->u.lit.text, n);
        t[n] = 0;
        snow_string(sb, t);
        free(t);
        return;
    }
    sb_puts(sb, "RTRIM(");
    ex(c, sb, x, 0);
    sb_putc(sb, ')');
}

static void emit_cmp(snow_ctx *c, strbuf *sb, const ir_expr *e, const char *op, int min)
{
    int pad = (e->u.call.flags & IR_FL_BLANK_PADDED) != 0;
    int ci = (e->u.call.flags & IR_FL_CASE_INSENSITIVE) != 0;
    open_p(sb, P_CMP, min);
    for (int i = 0; i < 2; i++) {
        if (i)
            sb_printf(sb, " %s ", op);
        if (ci) {
            upper_side(c, sb, arg(e, i), pad);
        } else {
            padded_side(c, sb, arg(e, i), pad, P_CONCAT);
        }
    }
    close_p(sb, P_CMP, min);
}

/* x LIKE / ILIKE 'p' for a full-match, dot_all regexp_like whose literal pattern a LIKE without an
 * escape character can say (Snowflake's LIKE has none unless ESCAPE names one, which the quick
 * syntax check cannot read); returns 0 (nothing written) otherwise. */
static int emit_like(snow_ctx *c, strbuf *sb, const ir_expr *e, int min)
{
    const ir_expr *p = arg(e, 1);
    char *like = is_str_lit(p) ? ir_regex_to_like(p->u.lit.text, 0) : NULL;
    if (!like)
        return 0;
    open_p(sb, P_CMP, min);
    ex(c, sb, arg(e, 0), P_CONCAT);
    sb_puts(sb, e->u.call.flags & IR_FL_CASE_INSENSITIVE ? " ILIKE " : " LIKE ");
    put_sql_string_esc(sb, like);
    close_p(sb, P_CMP, min);
    free(like);
    return 1;
}

/* REGEXP_INSTR(s, p), with the parameters (position 1, occurrence 1, option 0, 'i') when the call
 * is case_insensitive. */
static void emit_regexp_instr(snow_ctx *c, strbuf *sb, const ir_expr *e)
{
    if (!(e->u.call.flags & IR_FL_CASE_INSENSITIVE)) {
        call_plain(c, sb, "REGEXP_INSTR", e, 0, 2);
        return;
    }
    sb_puts(sb, "REGEXP_INSTR(");
    ex(c, sb, arg(e, 0), 0);
    sb_puts(sb, ", ");
    ex(c, sb, arg(e, 1), 0);
    sb_puts(sb, ", 1, 1, 0, 'i')");
}

static void emit_call(snow_ctx *c, strbuf *sb, const ir_expr *e, int min)
{
    ir_fn fn = e->u.call.fn;
    uint32_t fl = e->u.call.flags;
    int n = e->u.call.n_args;
    const ir_expr *a0 = arg(e, 0), *a1 = arg(e, 1);
    const ir_fn_info *fi = ir_fn_get(fn);
    if (!fi) {
        unsupported(c, sb, e, "unknown function");
        return;
    }
    if (n < fi->min_args || (fi->max_args >= 0 && n > fi->max_args)) {
        unsupported(c, sb, e, "wrong number of arguments");
        return;
    }
    const char *why = snow_fn_unsupported_reason(fn);
    if (why) {
        if (fn >= IR_FN_SET_VARIABLE && fn <= IR_FN_SET_COUNT_VARIABLE && fn != IR_FN_SET_COUNT_VARIABLE) {
            /* the call returns its value: keep the data flow, flag the lost side effect */
            c->unsupported++;
            ex(c, sb, a1, min);
            sb_puts(sb, " /* ETLPORT UNSUPPORTED ");
            sb_puts(sb, fi->name);
            sb_puts(sb, "(");
            if (a0 && a0->kind == IR_EX_PARAM)
                sb_printf(sb, "$$%s", a0->u.param.name);
            sb_puts(sb, "): ");
            snow_comment_text(sb, why);
            sb_puts(sb, " */");
            return;
        }
        if (fn == IR_FN_ERROR || fn == IR_FN_ABORT) {
            c->unsupported++;
            snow_typed_null(sb, snow_expr_type(c, e));
            sb_printf(sb, " /* ETLPORT UNSUPPORTED %s(", fi->name);
            if (is_str_lit(a0))
                snow_comment_text(sb, a0->u.lit.text);
            else
                sb_puts(sb, "...");
            sb_puts(sb, "): ");
            snow_comment_text(sb, why);
            sb_puts(sb, " */");
            return;
        }
        unsupported(c, sb, e, why);
        return;
    }
    if (ir_fn_is_window(fn) || (c->node && c->node->op == IR_OP_WINDOW && ir_fn_is_aggregate(fn))) {
        emit_window_call(c, sb, e);
        return;
    }
    if (ir_fn_is_aggregate(fn)) {
        for (int i = 0; i < n; i++)
            if (snow_expr_has_agg(arg(e, i))) {
                unsupported(c, sb, e, "a nested aggregate needs a second grouping step");
                return;
            }
        emit_agg(c, sb, e);
        return;
    }
    switch (fn) {
    /* arithmetic */
    case IR_FN_ADD:
    case IR_FN_SUB:
        if (ir_type_is_temporal(snow_expr_type(c, a0)) && ir_type_is_numeric(snow_expr_type(c, a1))) {
            /* date ± number: days */
            sb_puts(sb, "DATEADD(day, ");
            if (fn == IR_FN_SUB) {
                sb_puts(sb, "-");
                ex(c, sb, a1, P_PRIMARY);
            } else {
                ex(c, sb, a1, 0);
            }
            sb_puts(sb, ", ");
            ex(c, sb, a0, 0);
            sb_putc(sb, ')');
            return;
        }
        binop(c, sb, a0, fn == IR_FN_ADD ? "+" : "-", a1, P_ADD, min);
        return;
    case IR_FN_MUL: binop(c, sb, a0, "*", a1, P_MUL, min); return;
    case IR_FN_DIV: {
        long long dv = 0;
        int nonzero = (int_lit(a1, &dv) && dv != 0) ||
                      (a1 && a1->kind == IR_EX_LIT && a1->u.lit.kind == IR_LIT_DECIMAL && a1->u.lit.text &&
                       strtod(a1->u.lit.text, NULL) != 0);
        int idiv = (fl & IR_FL_INT_DIVISION) != 0;
        if (idiv)
            sb_puts(sb, "TRUNC(");
        open_p(sb, P_MUL, idiv ? 0 : min);
        ex(c, sb, a0, P_MUL);
        sb_puts(sb, " / ");
        if (nonzero) {
            ex(c, sb, a1, P_MUL + 1);
        } else {
            /* Informatica: division by zero gives NULL */
            sb_puts(sb, "NULLIF(");
            ex(c, sb, a1, 0);
            sb_puts(sb, ", 0)");
        }
        close_p(sb, P_MUL, idiv ? 0 : min);
        if (idiv)
            sb_putc(sb, ')');
        return;
    }
    case IR_FN_MOD: call_plain(c, sb, "MOD", e, 0, 2); return;
    case IR_FN_NEG:
        open_p(sb, P_UNARY, min);
        sb_putc(sb, '-');
        ex(c, sb, a0, P_PRIMARY);
        close_p(sb, P_UNARY, min);
        return;
    /* comparison */
    case IR_FN_EQ: emit_cmp(c, sb, e, "=", min); return;
    case IR_FN_NE: emit_cmp(c, sb, e, "<>", min); return;
    case IR_FN_LT: emit_cmp(c, sb, e, "<", min); return;
    case IR_FN_LE: emit_cmp(c, sb, e, "<=", min); return;
    case IR_FN_GT: emit_cmp(c, sb, e, ">", min); return;
    case IR_FN_GE: emit_cmp(c, sb, e, ">=", min); return;
    case IR_FN_IN: {
        int pad = (fl & IR_FL_BLANK_PADDED) != 0, ci = (fl & IR_FL_CASE_INSENSITIVE) != 0;
        open_p(sb, P_CMP, min);
        for (int i = 0; i < n; i++) {
            if (i == 1)
                sb_puts(sb, " IN (");
            else if (i > 1)
                sb_puts(sb, ", ");
            if (ci)
                upper_side(c, sb, arg(e, i), pad);
            else
                padded_side(c, sb, arg(e, i), pad, i == 0 ? P_CONCAT : 0);
        }
        sb_putc(sb, ')');
        close_p(sb, P_CMP, min);
        return;
    }
    /* logic */
    case IR_FN_AND:
    case IR_FN_OR: {
        int p = fn == IR_FN_AND ? P_AND : P_OR;
        open_p(sb, p, min);
        for (int i = 0; i < n; i++) {
            if (i)
                sb_puts(sb, fn == IR_FN_AND ? " AND " : " OR ");
            ex(c, sb, arg(e, i), p);
        }
        close_p(sb, p, min);
        return;
    }
    case IR_FN_NOT:
        open_p(sb, P_NOT, min);
        sb_puts(sb, "NOT ");
        ex(c, sb, a0, P_CMP + 1);
        close_p(sb, P_NOT, min);
        return;
    /* conditionals */
    case IR_FN_IF:
        /* IFF takes the false branch for a NULL condition, as the canonical if does */
        call_plain(c, sb, "IFF", e, 0, 3);
        return;
    case IR_FN_CASE:
        sb_puts(sb, "CASE");
        for (int i = 0; i + 1 < n; i += 2) {
            sb_puts(sb, " WHEN ");
            ex(c, sb, arg(e, i), 0);
            sb_puts(sb, " THEN ");
            ex(c, sb, arg(e, i + 1), 0);
        }
        if (n % 2) {
            sb_puts(sb, " ELSE ");
            ex(c, sb, arg(e, n - 1), 0);
        }
        sb_puts(sb, " END");
        return;
    case IR_FN_DECODE:
        if (is_bool_true(a0)) {
            /* DECODE(TRUE, cond1, r1, ...): the first true condition */
            sb_puts(sb, "CASE");
            for (int i = 1; i + 1 < n; i += 2) {
                sb_puts(sb, " WHEN ");
                ex(c, sb, arg(e, i), 0);
                sb_puts(sb, " THEN ");
                ex(c, sb, arg(e, i + 1), 0);
            }
            if (n % 2 == 0) {
                sb_puts(sb, " ELSE ");
                ex(c, sb, arg(e, n - 1), 0);
            }
            sb_puts(sb, " END");
            return;
        }
        if (fl & IR_FL_NULL_MATCHES_NULL) {
            /* Snowflake DECODE matches a NULL search value to a NULL input */
            call_plain(c, sb, "DECODE", e, 0, n);
            return;
        }
        /* plain equality: the simple CASE never matches NULL */
        sb_puts(sb, "CASE ");
        ex(c, sb, a0, 0);
        for (int i = 1; i + 1 < n; i += 2) {
            sb_puts(sb, " WHEN ");
            ex(c, sb, arg(e, i), 0);
            sb_puts(sb, " THEN ");
            ex(c, sb, arg(e, i + 1), 0);
        }
        if (n % 2 == 0) {
            sb_puts(sb, " ELSE ");
            ex(c, sb, arg(e, n - 1), 0);
        }
        sb_puts(sb, " END");
        return;
    case IR_FN_COALESCE:
        if (n == 2 && arg(e, 0)->kind == IR_EX_CALL &&
            (arg(e, 0)->u.call.fn == IR_FN_STRING_AGG ||
             (arg(e, 0)->u.call.fn == IR_FN_STRING_AGG_ORDERED && ir_ordered_agg_keys(arg(e, 0), (ir_sort_key[16]){0}, 16) > 0)) &&
            is_str_lit(arg(e, 1)) && !*arg(e, 1)->u.lit.text && !(c->node && c->node->op == IR_OP_WINDOW)) {
            listagg(c, sb, arg(e, 0)); /* coalesce(string_agg(..), '') is LISTAGG itself */
            return;
        }
        call_plain(c, sb, "COALESCE", e, 0, n);
        return;
    case IR_FN_NULLIF: call_plain(c, sb, "NULLIF", e, 0, 2); return;
    /* tests */
    case IR_FN_IS_NULL:
        open_p(sb, P_CMP, min);
        ex(c, sb, a0, P_CONCAT);
        sb_puts(sb, " IS NULL");
        close_p(sb, P_CMP, min);
        return;
    case IR_FN_IS_SPACES:
        /* one or more white-space characters; '' is not spaces; NULL stays NULL */
        sb_puts(sb, "REGEXP_LIKE(");
        ex(c, sb, a0, 0);
        sb_puts(sb, ", '[[:space:]]+')");
        return;
    case IR_FN_IS_NUMBER:
        sb_puts(sb, "IFF(");
        ex(c, sb, a0, P_CONCAT);
        sb_puts(sb, " IS NULL, NULL, TRY_TO_DOUBLE(");
        ex(c, sb, a0, 0);
        sb_puts(sb, ") IS NOT NULL)");
        return;
    case IR_FN_IS_DATE: emit_to_date(c, sb, e, 1); return;
    /* strings */
    case IR_FN_CONCAT: {
        /* null_as_empty (Informatica || and CONCAT): NULLs count as '', and only an all-NULL
         * concatenation is NULL. No guard is needed when any operand is a non-NULL literal. */
        int nae = (fl & IR_FL_NULL_AS_EMPTY) != 0;
        int guard = nae;
        for (int i = 0; nae && i < n; i++)
            if (arg(e, i)->kind == IR_EX_LIT && !is_null_lit(arg(e, i)))
                guard = 0;
        if (n == 1) {
            if (nae)
                concat_text(c, sb, a0, min, fl);
            else
                ex(c, sb, a0, min);
            return;
        }
        if (guard) {
            sb_puts(sb, "IFF(");
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (is_null_lit(arg(e, i)))
                    continue; /* always NULL: adds nothing to the test */
                if (k++)
                    sb_puts(sb, " AND ");
                ex(c, sb, arg(e, i), P_CONCAT);
                sb_puts(sb, " IS NULL");
            }
            if (k == 0)
                sb_puts(sb, "TRUE");
            sb_puts(sb, ", NULL, ");
            min = 0;
        }
        open_p(sb, P_CONCAT, min);
        for (int i = 0; i < n; i++) {
            const ir_expr *x = arg(e, i);
            if (i)
                sb_puts(sb, " || ");
            if (nae && is_null_lit(x)) {
                sb_puts(sb, "''");
            } else if (nae && x->kind != IR_EX_LIT) {
                sb_puts(sb, "COALESCE(");
                concat_text(c, sb, x, 0, fl);
                sb_puts(sb, ", '')");
            } else {
                concat_text(c, sb, x, P_UNARY, fl);
            }
        }
        close_p(sb, P_CONCAT, min);
        if (guard)
            sb_puts(sb, ")");
        return;
    }
    case IR_FN_LTRIM: call_plain(c, sb, "LTRIM", e, 0, n); return;
    case IR_FN_RTRIM: call_plain(c, sb, "RTRIM", e, 0, n); return;
    case IR_FN_TRIM: call_plain(c, sb, "TRIM", e, 0, n); return;
    case IR_FN_UPPER: call_plain(c, sb, "UPPER", e, 0, 1); return;
    case IR_FN_LOWER: call_plain(c, sb, "LOWER", e, 0, 1); return;
    case IR_FN_INITCAP:
        /* Informatica starts a word after white space and after every character that is not
         * alphanumeric ("o'neil-smith" -> "O'Neil-Smith"); Snowflake's default delimiters lack
         * the apostrophe, '=' and '`', so the full set is given */
        sb_puts(sb, "INITCAP(");
        ex(c, sb, a0, 0);
        sb_puts(sb, ", ' \\t\\n\\r\\f!\"#$%&''()*+,-./:;<=>?@[\\\\]^_`{|}~')");
        return;
    case IR_FN_LPAD:
    case IR_FN_RPAD:
        sb_puts(sb, fn == IR_FN_LPAD ? "LPAD(" : "RPAD(");
        ex(c, sb, a0, 0);
        sb_puts(sb, ", ");
        ex(c, sb, a1, 0);
        sb_puts(sb, ", ");
        if (n > 2)
            ex(c, sb, arg(e, 2), 0);
        else
            sb_puts(sb, "' '");
        sb_putc(sb, ')');
        return;
    case IR_FN_SUBSTR: emit_substr(c, sb, e); return;
    case IR_FN_INSTR: emit_instr(c, sb, e); return;
    case IR_FN_LENGTH: call_plain(c, sb, "LENGTH", e, 0, 1); return;
    case IR_FN_REPLACE_CHARS: emit_replace_chars(c, sb, e); return;
    case IR_FN_REPLACE_STR: emit_replace_str(c, sb, e); return;
    case IR_FN_REGEXP_EXTRACT:
        sb_puts(sb, "REGEXP_SUBSTR(");
        ex(c, sb, a0, 0);
        sb_puts(sb, ", ");
        ex(c, sb, a1, 0);
        sb_puts(sb, ", 1, 1, 'e', ");
        if (n > 2)
            ex(c, sb, arg(e, 2), 0);
        else
            sb_putc(sb, '1');
        sb_putc(sb, ')');
        return;
    case IR_FN_REGEXP_LIKE:
        if ((fl & IR_FL_FULL_MATCH) && (fl & IR_FL_DOT_ALL) && emit_like(c, sb, e, min))
            return;
        if (fl & IR_FL_FULL_MATCH) {
            /* REGEXP_LIKE is anchored at both ends; parameters 'i': case-insensitive, 's': . matches
             * a line break */
            if (fl & (IR_FL_CASE_INSENSITIVE | IR_FL_DOT_ALL)) {
                sb_puts(sb, "REGEXP_LIKE(");
                ex(c, sb, a0, 0);
                sb_puts(sb, ", ");
                ex(c, sb, a1, 0);
                sb_printf(sb, ", '%s%s')", fl & IR_FL_CASE_INSENSITIVE ? "i" : "", fl & IR_FL_DOT_ALL ? "s" : "");
            } else {
                call_plain(c, sb, "REGEXP_LIKE", e, 0, 2);
            }
        } else {
            open_p(sb, P_CMP, min);
            emit_regexp_instr(c, sb, e);
            sb_puts(sb, " > 0");
            close_p(sb, P_CMP, min);
        }
        return;
    case IR_FN_REGEXP_REPLACE: {
        long long cnt = 0;
        if (n > 3 && !(int_lit(arg(e, 3), &cnt) && (cnt == 0 || cnt == 1))) {
            unsupported(c, sb, e, "a replacement count other than 1 or all");
            return;
        }
        call_plain(c, sb, "REGEXP_REPLACE", e, 0, 3);
        if (cnt == 1) {
            sb->len--; /* reopen the call: position 1, first occurrence only */
            sb->data[sb->len] = 0;
            sb_puts(sb, ", 1, 1)");
        }
        return;
    }
    case IR_FN_CHR: call_plain(c, sb, "CHR", e, 0, 1); return;
    case IR_FN_ASCII: call_plain(c, sb, "ASCII", e, 0, 1); return;
    case IR_FN_REVERSE: call_plain(c, sb, "REVERSE", e, 0, 1); return;
    /* conversion */
    case IR_FN_TO_CHAR: emit_to_char(c, sb, e, min); return;
    case IR_FN_TO_DATE: emit_to_date(c, sb, e, 0); return;
    case IR_FN_TO_DECIMAL: emit_to_decimal(c, sb, e); return;
    case IR_FN_TO_INTEGER: emit_to_int(c, sb, e, "INTEGER"); return;
    case IR_FN_TO_BIGINT: emit_to_int(c, sb, e, "BIGINT"); return;
    case IR_FN_TO_FLOAT: call_plain(c, sb, "TO_DOUBLE", e, 0, 1); return;
    case IR_FN_CAST: {
        if (e->type.kind == IR_TY_UNKNOWN) {
            unsupported(c, sb, e, "cast to an unknown type");
            return;
        }
        const ir_expr *from, *to;
        const char *part = boundary_diff(e, &from, &to);
        if (part) {
            sb_printf(sb, "DATEDIFF(%s, ", part);
            ex(c, sb, from, 0);
            sb_puts(sb, ", ");
            ex(c, sb, to, 0);
            sb_putc(sb, ')');
            return;
        }
        sb_puts(sb, "CAST(");
        ex(c, sb, a0, 0);
        sb_puts(sb, " AS ");
        snow_type(sb, e->type);
        sb_putc(sb, ')');
        return;
    }
    /* numbers */
    case IR_FN_TRUNC: call_plain(c, sb, "TRUNC", e, 0, n); return;
    case IR_FN_ROUND: call_plain(c, sb, "ROUND", e, 0, n); return;
    case IR_FN_ABS: call_plain(c, sb, "ABS", e, 0, 1); return;
    case IR_FN_CEIL: call_plain(c, sb, "CEIL", e, 0, n); return;   /* CEIL(x, scale) */
    case IR_FN_FLOOR: call_plain(c, sb, "FLOOR", e, 0, n); return; /* FLOOR(x, scale) */
    case IR_FN_POWER: call_plain(c, sb, "POWER", e, 0, 2); return;
    case IR_FN_SQRT: call_plain(c, sb, "SQRT", e, 0, 1); return;
    case IR_FN_EXP: call_plain(c, sb, "EXP", e, 0, 1); return;
    case IR_FN_LN: call_plain(c, sb, "LN", e, 0, 1); return;
    case IR_FN_LOG: call_plain(c, sb, "LOG", e, 0, 2); return;
    case IR_FN_SIGN: call_plain(c, sb, "SIGN", e, 0, 1); return;
    case IR_FN_SIN: call_plain(c, sb, "SIN", e, 0, 1); return;
    case IR_FN_COS: call_plain(c, sb, "COS", e, 0, 1); return;
    case IR_FN_TAN: call_plain(c, sb, "TAN", e, 0, 1); return;
    case IR_FN_ASIN: call_plain(c, sb, "ASIN", e, 0, 1); return;
    case IR_FN_ACOS: call_plain(c, sb, "ACOS", e, 0, 1); return;
    case IR_FN_ATAN: call_plain(c, sb, "ATAN", e, 0, 1); return;
    case IR_FN_ATAN2: call_plain(c, sb, "ATAN2", e, 0, 2); return;
    case IR_FN_PI: call_plain(c, sb, "PI", e, 0, 0); return;
    case IR_FN_RADIANS: call_plain(c, sb, "RADIANS", e, 0, 1); return;
    case IR_FN_DEGREES: call_plain(c, sb, "DEGREES", e, 0, 1); return;
    /* dates */
    case IR_FN_DATE_ADD: {
        const char *part = date_part(a1);
        if (!part) {
            unsupported(c, sb, e, "the date part is not a literal");
            return;
        }
        /* DATEADD clamps month ends as the canonical date_add does */
        sb_printf(sb, "DATEADD(%s, ", part);
        ex(c, sb, arg(e, 2), 0);
        sb_puts(sb, ", ");
        ex(c, sb, a0, 0);
        sb_putc(sb, ')');
        return;
    }
    case IR_FN_DATE_DIFF: emit_date_diff(c, sb, e, min); return;
    case IR_FN_DATE_COMPARE:
        sb_puts(sb, "CASE WHEN ");
        ex(c, sb, a0, P_CONCAT);
        sb_puts(sb, " < ");
        ex(c, sb, a1, P_CONCAT);
        sb_puts(sb, " THEN -1 WHEN ");
        ex(c, sb, a0, P_CONCAT);
        sb_puts(sb, " > ");
        ex(c, sb, a1, P_CONCAT);
        sb_puts(sb, " THEN 1 WHEN ");
        ex(c, sb, a0, P_CONCAT);
        sb_puts(sb, " = ");
        ex(c, sb, a1, P_CONCAT);
        sb_puts(sb, " THEN 0 END");
        return;
    case IR_FN_DATE_PART: {
        const char *part = date_part(a1);
        if (!part) {
            unsupported(c, sb, e, "the date part is not a literal");
            return;
        }
        emit_date_part(c, sb, a0, part);
        return;
    }
    case IR_FN_DATE_SET_PART: {
        const char *part = date_part(a1);
        if (!part) {
            unsupported(c, sb, e, "the date part is not a literal");
            return;
        }
        /* move by the difference between the new and the current value */
        sb_printf(sb, "DATEADD(%s, ", part);
        ex(c, sb, arg(e, 2), P_ADD);
        sb_puts(sb, " - ");
        emit_date_part(c, sb, a0, part);
        sb_puts(sb, ", ");
        ex(c, sb, a0, 0);
        sb_putc(sb, ')');
        return;
    }
    case IR_FN_LAST_DAY:
        if (is_date_typed(c, a0)) {
            call_plain(c, sb, "LAST_DAY", e, 0, 1);
        } else {
            /* LAST_DAY returns a DATE: move the timestamp by the days to the month end instead */
            sb_puts(sb, "DATEADD(day, DATEDIFF(day, ");
            ex(c, sb, a0, 0);
            sb_puts(sb, ", LAST_DAY(");
            ex(c, sb, a0, 0);
            sb_puts(sb, ")), ");
            ex(c, sb, a0, 0);
            sb_putc(sb, ')');
        }
        return;
    case IR_FN_DATE_TRUNC: {
        const char *part = date_part(a1);
        if (!part) {
            unsupported(c, sb, e, "the date part is not a literal");
            return;
        }
        sb_printf(sb, "DATE_TRUNC(%s, ", part);
        ex(c, sb, a0, 0);
        sb_putc(sb, ')');
        return;
    }
    case IR_FN_DATE_ROUND: emit_date_round(c, sb, e); return;
    case IR_FN_CURRENT_DATE: sb_puts(sb, "CURRENT_DATE()"); return;
    case IR_FN_CURRENT_TIMESTAMP:
    case IR_FN_SESSION_START:
        /* one value per statement in Snowflake; local wall-clock time without a zone */
        sb_puts(sb, "CAST(CURRENT_TIMESTAMP() AS TIMESTAMP_NTZ(9))");
        return;
    /* hashes */
    case IR_FN_FROM_HEX: {
        const ir_expr *t = arg(e, 0);
        size_t n = is_str_lit(t) ? strlen(t->u.lit.text) : 1;
        if (is_str_lit(t) && n % 2 == 0 && strspn(t->u.lit.text, "0123456789abcdefABCDEF") == n) {
            sb_printf(sb, "X'%s'", t->u.lit.text); /* the literal */
            return;
        }
        sb_puts(sb, "TO_BINARY(");
        ex(c, sb, t, 0);
        sb_puts(sb, ", 'HEX')");
        return;
    }
    case IR_FN_MD5: call_plain(c, sb, "MD5", e, 0, 1); return;
    case IR_FN_SHA1: call_plain(c, sb, "SHA1", e, 0, 1); return; /* lower-case hex of the UTF-8 bytes */
    case IR_FN_SHA2: call_plain(c, sb, "SHA2", e, 0, 2); return; /* 224, 256, 384 or 512 bits */
    case IR_FN_TRANSLATE: call_plain(c, sb, "TRANSLATE", e, 0, 3); return;
    case IR_FN_REGEXP_INSTR: emit_regexp_instr(c, sb, e); return;
    case IR_FN_RIGHT: call_plain(c, sb, "RIGHT", e, 0, 2); return;
    case IR_FN_LEVENSHTEIN: call_plain(c, sb, "EDITDISTANCE", e, 0, 2); return;
    case IR_FN_LIKE: /* Snowflake's LIKE has no escape character but the one ESCAPE names */
        open_p(sb, P_CMP, min);
        ex(c, sb, a0, P_CONCAT);
        sb_puts(sb, (fl & IR_FL_CASE_INSENSITIVE) ? " ILIKE " : " LIKE ");
        ex(c, sb, a1, P_CONCAT);
        if (n > 2) {
            sb_puts(sb, " ESCAPE ");
            ex(c, sb, arg(e, 2), P_CONCAT);
        }
        close_p(sb, P_CMP, min);
        return;
    /* arrays (semi-structured ARRAY: elements are VARIANT, read back through a cast) */
    case IR_FN_ARRAY_CONSTRUCT: call_plain(c, sb, "ARRAY_CONSTRUCT", e, 0, n); return; /* a NULL stays an element */
    case IR_FN_ARRAY_SIZE: call_plain(c, sb, "ARRAY_SIZE", e, 0, 1); return;
    case IR_FN_ARRAY_CAT: call_plain(c, sb, "ARRAY_CAT", e, 0, 2); return;
    case IR_FN_ARRAY_APPEND: call_plain(c, sb, "ARRAY_APPEND", e, 0, 2); return;
    case IR_FN_ARRAY_GET: /* NULL outside the array */
    case IR_FN_ARRAY_MAX: /* the largest / smallest element that is not NULL */
    case IR_FN_ARRAY_MIN: {
        /* a VARIANT value, cast to the element type */
        ir_type t = ir_type_elem(snow_expr_type(c, a0));
        bool cast = t.kind != IR_TY_UNKNOWN;
        if (cast)
            sb_puts(sb, "CAST(");
        call_plain(c, sb, fn == IR_FN_ARRAY_GET ? "GET" : fn == IR_FN_ARRAY_MAX ? "ARRAY_MAX" : "ARRAY_MIN", e, 0, n);
        if (cast) {
            sb_puts(sb, " AS ");
            snow_type(sb, t);
            sb_putc(sb, ')');
        }
        return;
    }
    case IR_FN_ARRAY_SLICE: call_plain(c, sb, "ARRAY_SLICE", e, 0, 3); return; /* Python's slice rules */
    case IR_FN_ARRAY_SORT: {
        /* ARRAY_SORT(a, ascending, nulls_first), both spelled out (nulls_first defaults to NOT ascending) */
        const char *dir = is_str_lit(a1) ? a1->u.lit.text : "";
        bool asc = strncmp(dir, "asc ", 4) == 0, desc = strncmp(dir, "desc ", 5) == 0;
        const char *nulls = strchr(dir, ' ') ? strchr(dir, ' ') + 1 : "";
        if ((!asc && !desc) || (strcmp(nulls, "nulls first") != 0 && strcmp(nulls, "nulls last") != 0)) {
            unsupported(c, sb, e, "the direction is not a literal");
            return;
        }
        sb_puts(sb, "ARRAY_SORT(");
        ex(c, sb, a0, 0);
        sb_printf(sb, ", %s, %s)", asc ? "TRUE" : "FALSE", strcmp(nulls, "nulls first") == 0 ? "TRUE" : "FALSE");
        return;
    }
    case IR_FN_ARRAY_REVERSE: call_plain(c, sb, "ARRAY_REVERSE", e, 0, 1); return;
    case IR_FN_ARRAY_DISTINCT: call_plain(c, sb, "ARRAY_DISTINCT", e, 0, 1); return; /* NULL-safe, unordered */
    case IR_FN_ARRAY_EXCEPT:
        /* Snowflake's ARRAY_EXCEPT removes one copy per copy in b (bag semantics): of the distinct
         * elements, it removes those b holds, as the canonical set difference */
        sb_puts(sb, "ARRAY_EXCEPT(ARRAY_DISTINCT(");
        ex(c, sb, a0, 0);
        sb_puts(sb, "), ");
        ex(c, sb, a1, 0);
        sb_putc(sb, ')');
        return;
    case IR_FN_ARRAY_REMOVE:
        /* the value as a VARIANT (a VARCHAR is not taken as it is); NULL for a NULL value */
        sb_puts(sb, "ARRAY_REMOVE(");
        ex(c, sb, a0, 0);
        sb_puts(sb, ", ");
        ex(c, sb, a1, P_PRIMARY);
        sb_puts(sb, "::VARIANT)");
        return;
    case IR_FN_ARRAY_COMPACT: call_plain(c, sb, "ARRAY_COMPACT", e, 0, 1); return;
    case IR_FN_ARRAY_CONTAINS:
        /* Snowflake's ARRAY_CONTAINS(v, a) is TRUE for a NULL v and a NULL element, and FALSE for a
         * value not found beside a NULL element; the canonical one is NULL in both cases */
        sb_puts(sb, "CASE WHEN ");
        ex(c, sb, arg(e, 1), P_CMP + 1);
        sb_puts(sb, " IS NULL OR ");
        ex(c, sb, a0, P_CMP + 1);
        sb_puts(sb, " IS NULL THEN NULL WHEN ARRAY_CONTAINS(");
        ex(c, sb, arg(e, 1), P_PRIMARY);
        sb_puts(sb, "::VARIANT, ");
        ex(c, sb, a0, 0);
        sb_puts(sb, ") THEN TRUE WHEN ARRAY_CONTAINS(NULL, ");
        ex(c, sb, a0, 0);
        sb_puts(sb, ") THEN NULL ELSE FALSE END");
        return;
    case IR_FN_JSON_GET_TEXT:
    case IR_FN_JSON_GET:
        /* the text: JSON_EXTRACT_PATH_TEXT; the JSON value: GET_PATH of the parsed text (a VARIANT).
         * Snowflake's path is the JSONPath without its $ (and the dot after it) */
        sb_puts(sb, fn == IR_FN_JSON_GET ? "GET_PATH(PARSE_JSON(" : "JSON_EXTRACT_PATH_TEXT(");
        ex(c, sb, a0, 0);
        sb_puts(sb, fn == IR_FN_JSON_GET ? "), " : ", ");
        if (is_str_lit(a1) && a1->u.lit.text[0] == '$') {
            /* ['k'] steps (keys without quotes) as ["k"], the form Snowflake's paths take */
            const char *p = a1->u.lit.text + 1;
            char *q = strdup(*p == '.' ? p + 1 : p);
            for (char *r = q; r && (r = strstr(r, "['")) != NULL; r += 2) {
                r[1] = '"';
                char *end = strstr(r + 2, "']");
                if (end)
                    end[0] = '"';
            }
            snow_string(sb, q ? q : "");
            free(q);
        } else {
            sb_puts(sb, "LTRIM(");
            ex(c, sb, a1, 0);
            sb_puts(sb, ", '$.')");
        }
        sb_putc(sb, ')');
        return;
    case IR_FN_GROUPING: call_plain(c, sb, "GROUPING", e, 0, n); return; /* several columns: the bit vector */
    case IR_FN_SPLIT_PART: call_plain(c, sb, "SPLIT_PART", e, 0, 3); return; /* part 0 is part 1 */
    case IR_FN_NEXT_DAY: call_plain(c, sb, "NEXT_DAY", e, 0, 2); return; /* a DATE */
    case IR_FN_CONVERT_TZ: call_plain(c, sb, "CONVERT_TIMEZONE", e, 0, 3); return; /* TIMESTAMP_NTZ */
    case IR_FN_UUID: sb_puts(sb, "UUID_STRING()"); return;
    case IR_FN_CURRENT_USER: sb_puts(sb, "CURRENT_USER()"); return;
    case IR_FN_CURRENT_SCHEMA: sb_puts(sb, "CURRENT_SCHEMA()"); return;
    case IR_FN_SEQ_NEXT:
        if (!is_str_lit(a0)) {
            unsupported(c, sb, e, "a sequence named by an expression");
            return;
        }
        snow_sql_name(sb, a0->u.lit.text);
        sb_puts(sb, ".NEXTVAL");
        return;
    case IR_FN_CURRENT_UTC_TIMESTAMP: sb_puts(sb, "SYSDATE()"); return;  /* UTC, TIMESTAMP_NTZ */
    case IR_FN_TRY_CAST: {
        /* Snowflake's TRY_CAST reads strings only: anything else goes through its text */
        ir_type t = e->type;
        if (t.kind == IR_TY_UNKNOWN) {
            unsupported(c, sb, e, "TRY_CAST to an unknown type");
            return;
        }
        ir_type at = snow_expr_type(c, a0);
        sb_puts(sb, "TRY_CAST(");
        if (at.kind == IR_TY_STRING || at.kind == IR_TY_UNKNOWN) {
            ex(c, sb, a0, 0);
        } else {
            sb_puts(sb, "TO_VARCHAR(");
            ex(c, sb, a0, 0);
            sb_putc(sb, ')');
        }
        sb_puts(sb, " AS ");
        snow_type(sb, t);
        sb_putc(sb, ')');
        return;
    }
    default: unsupported(c, sb, e, "not mapped"); return;
    }
}

static void ex(snow_ctx *c, strbuf *sb, const ir_expr *e, int min)
{
    if (!e) {
        sb_puts(sb, "NULL");
        return;
    }
    switch (e->kind) {
    case IR_EX_LIT:
        open_p(sb, lit_prec(e), min);
        put_lit(sb, e);
        close_p(sb, lit_prec(e), min);
        return;
    case IR_EX_REF:
        if (c->node && e->u.ref.node == c->node->id && c->self_depth < 16) {
            /* a reference to another column of the same node: SQL cannot read a sibling alias
             * portably (and in a join it would be ambiguous), so that column's expression is
             * written in its place */
            const ir_column *own = ir_node_col(c->node, e->u.ref.col);
            if (own && own->expr) {
                c->self_depth++;
                ex(c, sb, own->expr, own->expr->kind == IR_EX_CALL ? P_PRIMARY : min);
                c->self_depth--;
                return;
            }
        }
        if (e->u.ref.node == 0) { /* a name of the SQL-shaped form, as written (ir_sql.h) */
            snow_sql_name(sb, e->u.ref.col);
            return;
        }
        for (int i = 0; i < c->n_quals; i++)
            if (c->quals[i].node == e->u.ref.node && c->quals[i].name) {
                snow_ident(sb, c->quals[i].name);
                sb_putc(sb, '.');
                break;
            }
        snow_ident(sb, e->u.ref.col);
        return;
    case IR_EX_PARAM:
        if (c->param_style == SNOW_PARAM_BIND || c->param_style == SNOW_PARAM_BARE) {
            /* a Snowflake Scripting variable: :name inside a SQL statement, bare in expressions */
            if (c->param_style == SNOW_PARAM_BIND)
                sb_putc(sb, ':');
            snow_sql_name(sb, e->u.param.name);
            return;
        }
        /* job parameters are Snowflake session variables (SET NAME = ... in the header) */
        sb_putc(sb, '$');
        snow_param_name(sb, e->u.param.name);
        return;
    case IR_EX_OVER: {
        /* a window call of a statement: its OVER clause stands in for a window node */
        const ir_over *o = e->u.over;
        ir_node w;
        memset(&w, 0, sizeof w);
        w.id = -1;
        w.op = IR_OP_WINDOW;
        w.keys = o->partition;
        w.n_keys = o->n_partition;
        w.order = o->order;
        w.n_order = o->n_order;
        w.frame = o->has_frame ? o->frame : ir_frame_default();
        const ir_node *saved = c->over;
        c->over = &w;
        if (o->call && o->call->kind == IR_EX_CALL)
            emit_window_call(c, sb, o->call);
        else
            unsupported(c, sb, e, "a window over something other than a function call");
        c->over = saved;
        return;
    }
    case IR_EX_QUERY: {
        const ir_sub *q = e->u.sub;
        int own = q->kind == IR_SUB_SCALAR || q->kind == IR_SUB_EXISTS ? P_PRIMARY : P_CMP;
        open_p(sb, own, min);
        if (q->lhs) {
            ex(c, sb, q->lhs, P_CMP + 1);
            if (q->kind == IR_SUB_IN)
                sb_puts(sb, " IN ");
            else
                sb_printf(sb, " %s %s ", cmp_op_text(q->op), q->kind == IR_SUB_ANY ? "ANY" : "ALL");
        } else if (q->kind == IR_SUB_EXISTS) {
            sb_puts(sb, "EXISTS ");
        }
        sb_putc(sb, '(');
        snow_query_sql(c, sb, q->query);
        sb_putc(sb, ')');
        close_p(sb, own, min);
        return;
    }
    case IR_EX_HOLE:
        c->holes++;
        snow_typed_null(sb, snow_expr_type(c, e));
        sb_puts(sb, " /* ETLPORT HOLE ");
        if (e->span.file || e->span.line) {
            snow_span(sb, e->span, c->job);
            sb_puts(sb, ": ");
        }
        snow_comment_text(sb, e->u.hole.text);
        if (e->u.hole.reason && *e->u.hole.reason) {
            sb_puts(sb, " (");
            snow_comment_text(sb, e->u.hole.reason);
            sb_putc(sb, ')');
        }
        sb_puts(sb, " */");
        return;
    case IR_EX_CALL:
        emit_call(c, sb, e, min);
        return;
    }
}

int snow_expr(snow_ctx *c, strbuf *sb, const ir_expr *e)
{
    int before = c->unsupported;
    ex(c, sb, e, 0);
    return c->unsupported == before ? 0 : -1;
}
