/*
 * infa_expr.c — the Informatica PowerCenter expression language into canonical IR expressions.
 *
 * A recursive-descent parser over infa_lex.c's tokens, one function per precedence level of the
 * documented operator table (Transformation Language Reference, "Operator Precedence"):
 *   unary + - NOT;  * / %;  + -;  ||;  < <= > >=;  = <> != ^=;  AND;  OR.
 * Function calls are mapped through one table (infa_fns below): most rows name a canonical
 * function directly, the rest have a handler that shapes the call so the IR says what Informatica
 * means (SUBSTR positions, IIF defaults, DECODE with NULL, date formats and parts, case flags,
 * TO_INTEGER rounding ...). docs/informatica-functions.md explains each row.
 *
 * Errors (syntax, unknown port, wrong number of arguments, aggregates outside an Aggregator) are
 * reported through the diag_ctx at their location; the parse goes on where it safely can, so
 * several errors show at once, and infa_expr_parse returns NULL. What has no canonical form is a
 * hole carrying the legacy text — never an error.
 */
#include "frontends/informatica/infa_expr.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "frontends/informatica/infa_lex.h"

/* Informatica's default date format (session "DateTime Format String"), in canonical form. Used
 * where a format argument is omitted: TO_DATE, TO_CHAR of a date, IS_DATE. */
#define INFA_DEFAULT_DATEFMT "MM/DD/YYYY HH24:MI:SS.FF6"

/* Deeper nesting than this is reported instead of risking the stack. */
#define MAX_DEPTH 200

typedef struct parser {
    const infa_expr_ctx *ctx;
    ir_job *job;
    diag_ctx *dc;
    const char *text;
    size_t len;
    infa_lexer lx;
    infa_tok tok;   /* the current token */
    int n_errors;
    int depth;
} parser;

/* ---- locations and messages ---- */

static void locate(const parser *p, size_t off, int *line, int *col)
{
    const infa_expr_ctx *ctx = p->ctx;
    if (ctx->locate) {
        ctx->locate(ctx->userdata, off, line, col);
        return;
    }
    /* relative to (ctx->line, ctx->col), or to the start of the text when those are unknown */
    int l = ctx->line > 0 ? ctx->line : 1, c = ctx->col > 0 ? ctx->col : 1;
    for (size_t i = 0; i < off && i < p->len; i++) {
        if (p->text[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static void error_at(parser *p, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void error_at(parser *p, size_t off, const char *fmt, ...)
{
    p->n_errors++;
    if (!p->dc)
        return;
    int line, col;
    locate(p, off, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    diag_vat(p->dc, DIAG_ERROR, p->ctx->file, p->ctx->path, line, col, fmt, ap);
    va_end(ap);
}

static ir_expr *spanned(parser *p, ir_expr *e, size_t off)
{
    if (!e || e->span.line != 0)
        return e;
    int line, col;
    locate(p, off, &line, &col);
    e->span.file = p->ctx->path ? ir_intern(p->job, p->ctx->path) : NULL;
    e->span.line = line;
    e->span.col = col;
    return e;
}

/* The token's text, for messages: "'FOO'" or a kind name for EOF. */
static const char *tok_desc(parser *p, infa_tok t)
{
    switch (t.kind) {
    case INFA_T_EOF:
        return "end of expression";
    case INFA_T_ERROR:
        return "invalid token";
    default: {
        size_t n = t.len > 40 ? 40 : t.len;
        return arena_printf(p->job->arena, "'%.*s%s'", (int)n, p->text + t.start, t.len > 40 ? "..." : "");
    }
    }
}

static void next(parser *p)
{
    p->tok = infa_lex_next(&p->lx);
}

static infa_tok peek(parser *p)
{
    infa_lexer copy = p->lx;
    return infa_lex_next(&copy);
}

static int tok_is_word(parser *p, infa_tok t, const char *word)
{
    return t.kind == INFA_T_IDENT && strlen(word) == t.len && strncasecmp(p->text + t.start, word, t.len) == 0;
}

static char *tok_upper(parser *p, infa_tok t)
{
    char *s = arena_strndup(p->job->arena, p->text + t.start, t.len);
    for (char *c = s; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    return s;
}

static char *text_range(parser *p, size_t start, size_t end)
{
    return arena_strndup(p->job->arena, p->text + start, end > start ? end - start : 0);
}

/* ---- type guesses ----
 * ir_call fills types through ir_fn_result_type; where that leaves UNKNOWN, a few decisions (the
 * IIF default, TRUNC/ROUND on dates, TO_CHAR's default format) still need to know whether a value
 * is a number, a string or a date. This is that much inference, no more. */
static ir_type_kind guess_kind(const ir_expr *e)
{
    if (!e)
        return IR_TY_UNKNOWN;
    if (e->type.kind != IR_TY_UNKNOWN)
        return e->type.kind;
    if (e->kind != IR_EX_CALL)
        return IR_TY_UNKNOWN;
    const ir_fn_info *fi = ir_fn_get(e->u.call.fn);
    int n = e->u.call.n_args;
    ir_expr **a = e->u.call.args;
    switch (fi->type_rule) {
    case TR_ARG0: return n > 0 ? guess_kind(a[0]) : IR_TY_UNKNOWN;
    case TR_ARG1: return n > 1 ? guess_kind(a[1]) : IR_TY_UNKNOWN;
    case TR_NUMERIC: {
        ir_type_kind best = IR_TY_UNKNOWN;
        for (int i = 0; i < n; i++) {
            ir_type_kind k = guess_kind(a[i]);
            if (k == IR_TY_DATE || k == IR_TY_TIMESTAMP)
                return k; /* a date plus days */
            if (k == IR_TY_DOUBLE || (k == IR_TY_DECIMAL && best != IR_TY_DOUBLE) ||
                (k == IR_TY_BIGINT && (best == IR_TY_UNKNOWN || best == IR_TY_INT)) ||
                (k == IR_TY_INT && best == IR_TY_UNKNOWN))
                best = k;
        }
        return best;
    }
    case TR_DIV: return IR_TY_DECIMAL;
    case TR_COMMON: {
        int first = 0, step = 1;
        if (e->u.call.fn == IR_FN_IF) {
            first = 1;
        } else if (e->u.call.fn == IR_FN_DECODE) {
            first = 2;
            step = 2;
        } else if (e->u.call.fn == IR_FN_CASE) {
            first = 1;
            step = 2;
        }
        for (int i = first; i < n; i += step) {
            ir_type_kind k = guess_kind(a[i]);
            if (k != IR_TY_UNKNOWN)
                return k;
        }
        if (e->u.call.fn == IR_FN_DECODE && n % 2 == 0)
            return guess_kind(a[n - 1]);
        return IR_TY_UNKNOWN;
    }
    case TR_BOOL: return IR_TY_BOOL;
    case TR_INT: return IR_TY_INT;
    case TR_BIGINT: return IR_TY_BIGINT;
    case TR_DOUBLE: return IR_TY_DOUBLE;
    case TR_DECIMAL: return IR_TY_DECIMAL;
    case TR_STRING: return IR_TY_STRING;
    case TR_DATE: return IR_TY_DATE;
    case TR_TIMESTAMP: return IR_TY_TIMESTAMP;
    case TR_ARRAY: return IR_TY_ARRAY;
    case TR_ELEM:
    case TR_UNKNOWN: return IR_TY_UNKNOWN;
    }
    return IR_TY_UNKNOWN;
}

static int kind_is_temporal(ir_type_kind k)
{
    return k == IR_TY_DATE || k == IR_TY_TIMESTAMP;
}

static int kind_is_numeric(ir_type_kind k)
{
    return k == IR_TY_INT || k == IR_TY_BIGINT || k == IR_TY_DECIMAL || k == IR_TY_DOUBLE;
}

/* ---- literal helpers ---- */

static int is_str_lit(const ir_expr *e)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_STRING;
}

/* An integer or boolean literal's value in *out (TRUE 1, FALSE 0). */
static int int_lit_value(const ir_expr *e, long long *out)
{
    if (!e || e->kind != IR_EX_LIT)
        return 0;
    if (e->u.lit.kind == IR_LIT_BOOL) {
        *out = strcmp(e->u.lit.text, "true") == 0;
        return 1;
    }
    if (e->u.lit.kind == IR_LIT_INT) {
        errno = 0;
        *out = strtoll(e->u.lit.text, NULL, 10);
        return errno == 0;
    }
    return 0;
}

static int is_null_lit(const ir_expr *e)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_NULL;
}

/* ---- dates ---- */

/* A date part string of the date functions (ADD_TO_DATE, DATE_DIFF, GET_DATE_PART, SET_DATE_PART,
 * TRUNC, ROUND) to its canonical part name, or NULL. */
static const char *date_part_canonical(const char *s)
{
    static const struct {
        const char *infa, *canon;
    } parts[] = {
        {"Y", "year"},    {"YY", "year"},   {"YYY", "year"},  {"YYYY", "year"},
        {"MM", "month"},  {"MON", "month"}, {"MONTH", "month"},
        {"D", "day"},     {"DD", "day"},    {"DDD", "day"},   {"DY", "day"},  {"DAY", "day"},
        {"HH", "hour"},   {"HH12", "hour"}, {"HH24", "hour"},
        {"MI", "minute"}, {"SS", "second"},
        {"MS", "millisecond"}, {"US", "microsecond"}, {"NS", "nanosecond"},
    };
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ')
        n--;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (strlen(parts[i].infa) == n && strncasecmp(parts[i].infa, s, n) == 0)
            return parts[i].canon;
    return NULL;
}

const char *infa_datefmt_to_canonical(ir_job *job, const char *fmt)
{
    /* Informatica format strings are not case sensitive; the longest token wins. */
    static const struct {
        const char *infa, *canon;
    } toks[] = {
        {"YYYY", "YYYY"}, {"YY", "YY"}, {"RR", "RR"},
        {"MONTH", "MONTH"}, {"MON", "MON"}, {"MM", "MM"}, {"MI", "MI"}, {"MS", "FF3"},
        {"DDD", "DDD"}, {"DAY", "DAY"}, {"DD", "DD"}, {"DY", "DY"},
        {"HH24", "HH24"}, {"HH12", "HH12"}, {"HH", "HH12"},
        {"A.M.", "AM"}, {"P.M.", "AM"}, {"AM", "AM"}, {"PM", "AM"},
        {"SSSSS", NULL}, {"SS", "SS"}, {"US", "FF6"}, {"NS", "FF9"},
        {"YYY", NULL}, {"Y", NULL}, {"D", NULL}, {"J", NULL}, {"Q", NULL}, {"W", NULL}, {"WW", NULL},
    };
    if (!fmt)
        return NULL;
    strbuf sb = STRBUF_INIT;
    const char *s = fmt;
    const char *result = NULL;
    while (*s) {
        if (*s == '"') {
            const char *e = strchr(s + 1, '"');
            if (!e)
                goto done;
            sb_putn(&sb, s, (size_t)(e - s + 1));
            s = e + 1;
            continue;
        }
        if (strchr("-/:.,; ", *s)) {
            sb_putc(&sb, *s);
            s++;
            continue;
        }
        size_t best = 0;
        const char *canon = NULL;
        for (size_t i = 0; i < sizeof toks / sizeof toks[0]; i++) {
            size_t n = strlen(toks[i].infa);
            if (n > best && strncasecmp(s, toks[i].infa, n) == 0) {
                best = n;
                canon = toks[i].canon;
            }
        }
        if (best == 0 || !canon)
            goto done; /* unknown text, or a token with no canonical meaning (J, SSSSS, Y, D ...) */
        sb_puts(&sb, canon);
        s += best;
    }
    result = arena_strdup(job->arena, sb_cstr(&sb));
done:
    sb_free(&sb);
    return result;
}

/* ---- function calls ---- */

typedef struct call_info {
    const char *name; /* upper case */
    size_t name_off;  /* where the name starts */
    size_t end_off;   /* just after the closing parenthesis */
    int n;
    ir_expr **args;
    int star;         /* COUNT(*) */
} call_info;

typedef ir_expr *(*fn_handler)(parser *p, const call_info *c);

enum { F_AGG = 1, F_ORDER = 2 };

typedef struct infa_fn_def {
    const char *name;
    int min, max;     /* Informatica's argument counts (-1: any) */
    int fn;           /* canonical function for direct rows; -1 when a handler decides */
    uint32_t flags;   /* IR_FL_* for direct rows */
    fn_handler handler;
    unsigned opts;    /* F_* */
} infa_fn_def;

static ir_expr *hole_for(parser *p, const call_info *c, const char *reason)
{
    ir_expr *h = ir_hole(p->job, text_range(p, c->name_off, c->end_off), reason);
    return spanned(p, h, c->name_off);
}

static ir_expr *call_n(parser *p, const call_info *c, ir_fn fn, uint32_t flags, int n, ir_expr **args)
{
    return spanned(p, ir_call(p->job, fn, flags, n, args), c->name_off);
}

static ir_expr *lit_str(parser *p, const char *s)
{
    return ir_lit_str(p->job, s);
}

/* The canonical part literal for argument i, or NULL (and *why) when it is not a known literal. */
static ir_expr *part_arg(parser *p, const call_info *c, int i, const char **why)
{
    ir_expr *a = c->args[i];
    if (!is_str_lit(a)) {
        *why = arena_printf(p->job->arena, "%s with a date part that is not a literal", c->name);
        return NULL;
    }
    const char *canon = date_part_canonical(a->u.lit.text);
    if (!canon) {
        *why = arena_printf(p->job->arena, "%s with unknown date part '%s'", c->name, a->u.lit.text);
        return NULL;
    }
    return lit_str(p, canon);
}

/* The canonical format literal for argument i, or NULL (and *why). */
static ir_expr *fmt_arg(parser *p, const call_info *c, int i, const char **why)
{
    ir_expr *a = c->args[i];
    if (!is_str_lit(a)) {
        *why = arena_printf(p->job->arena, "%s with a date format that is not a literal", c->name);
        return NULL;
    }
    const char *canon = infa_datefmt_to_canonical(p->job, a->u.lit.text);
    if (!canon) {
        *why = arena_printf(p->job->arena, "%s with date format '%s' that has no canonical form", c->name,
                            a->u.lit.text);
        return NULL;
    }
    return lit_str(p, canon);
}

static ir_expr *h_iif(parser *p, const call_info *c)
{
    ir_expr *a[3] = {c->args[0], c->args[1], c->n > 2 ? c->args[2] : NULL};
    if (!a[2]) {
        /* documented defaults when value2 is omitted: 0 for numbers, '' for strings, NULL for dates */
        ir_type_kind k = guess_kind(a[1]);
        if (kind_is_numeric(k))
            a[2] = ir_lit_int(p->job, 0);
        else if (k == IR_TY_STRING)
            a[2] = lit_str(p, "");
        else if (k == IR_TY_BOOL)
            a[2] = ir_lit_bool(p->job, false);
        else
            a[2] = ir_lit_null(p->job);
    }
    return call_n(p, c, IR_FN_IF, 0, 3, a);
}

static ir_expr *h_decode(parser *p, const call_info *c)
{
    return call_n(p, c, IR_FN_DECODE, IR_FL_NULL_MATCHES_NULL, c->n, c->args);
}

/* CHOOSE(index, s1, s2, ...): the index-th string, NULL when out of range: a decode on 1..n. */
static ir_expr *h_choose(parser *p, const call_info *c)
{
    int n = 1 + 2 * (c->n - 1);
    ir_expr **a = arena_alloc(p->job->arena, (size_t)n * sizeof *a);
    a[0] = c->args[0];
    for (int i = 1; i < c->n; i++) {
        a[2 * i - 1] = ir_lit_int(p->job, i);
        a[2 * i] = c->args[i];
    }
    return call_n(p, c, IR_FN_DECODE, 0, n, a);
}

/* SUBSTR / INSTR start position: 0 means 1, negative counts from the end. A literal start says
 * which rule applies, so only the flags that matter are set (or none, for a plain 1-based start). */
static uint32_t start_flags(parser *p, ir_expr **start)
{
    long long v;
    if (int_lit_value(*start, &v) && (*start)->u.lit.kind == IR_LIT_INT) {
        if (v > 0)
            return 0;
        if (v == 0) {
            *start = ir_lit_int(p->job, 1);
            return 0;
        }
        return IR_FL_NEG_FROM_END;
    }
    return IR_FL_POS_ZERO_IS_ONE | IR_FL_NEG_FROM_END;
}

static ir_expr *h_substr(parser *p, const call_info *c)
{
    ir_expr *a[3] = {c->args[0], c->args[1], c->n > 2 ? c->args[2] : NULL};
    uint32_t fl = start_flags(p, &a[1]);
    return call_n(p, c, IR_FN_SUBSTR, fl, c->n, a);
}

static ir_expr *h_instr(parser *p, const call_info *c)
{
    ir_expr *a[4];
    int n = c->n > 4 ? 4 : c->n;
    for (int i = 0; i < n; i++)
        a[i] = c->args[i];
    if (c->n == 5 && c->args[4]->kind != IR_EX_LIT)
        return hole_for(p, c, "INSTR with a comparison type that is not a literal");
    uint32_t fl = n > 2 ? start_flags(p, &a[2]) : 0;
    return call_n(p, c, IR_FN_INSTR, fl, n, a);
}

static ir_expr *h_concat(parser *p, const call_info *c)
{
    return call_n(p, c, IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, c->n, c->args);
}

static ir_expr *h_to_char(parser *p, const call_info *c)
{
    const char *why = NULL;
    if (c->n == 2) {
        ir_expr *f = fmt_arg(p, c, 1, &why);
        if (!f)
            return hole_for(p, c, why);
        ir_expr *a[2] = {c->args[0], f};
        return call_n(p, c, IR_FN_TO_CHAR, 0, 2, a);
    }
    if (kind_is_temporal(guess_kind(c->args[0]))) {
        ir_expr *a[2] = {c->args[0], lit_str(p, INFA_DEFAULT_DATEFMT)};
        return call_n(p, c, IR_FN_TO_CHAR, 0, 2, a);
    }
    return call_n(p, c, IR_FN_TO_CHAR, 0, 1, c->args);
}

/* TO_DATE and IS_DATE: the format is converted, or Informatica's default is made explicit. */
static ir_expr *date_fmt_call(parser *p, const call_info *c, ir_fn fn)
{
    const char *why = NULL;
    ir_expr *f = c->n == 2 ? fmt_arg(p, c, 1, &why) : lit_str(p, INFA_DEFAULT_DATEFMT);
    if (!f)
        return hole_for(p, c, why);
    ir_expr *a[2] = {c->args[0], f};
    return call_n(p, c, fn, 0, 2, a);
}

static ir_expr *h_to_date(parser *p, const call_info *c)
{
    return date_fmt_call(p, c, IR_FN_TO_DATE);
}

static ir_expr *h_is_date(parser *p, const call_info *c)
{
    return date_fmt_call(p, c, IR_FN_IS_DATE);
}

/* TO_INTEGER / TO_BIGINT: the flag (TRUE or non-zero truncates; FALSE, 0 or omitted rounds) is made
 * explicit, because the canonical default is to truncate. */
static ir_expr *int_conv(parser *p, const call_info *c, ir_fn fn)
{
    long long v = 0;
    ir_expr *flag;
    if (c->n == 1)
        flag = ir_lit_bool(p->job, false);
    else if (int_lit_value(c->args[1], &v))
        flag = ir_lit_bool(p->job, v != 0);
    else if (is_null_lit(c->args[1]))
        flag = ir_lit_bool(p->job, false);
    else
        return hole_for(p, c, arena_printf(p->job->arena, "%s with a flag that is not a literal", c->name));
    ir_expr *a[2] = {c->args[0], flag};
    return call_n(p, c, fn, 0, 2, a);
}

static ir_expr *h_to_integer(parser *p, const call_info *c)
{
    return int_conv(p, c, IR_FN_TO_INTEGER);
}

static ir_expr *h_to_bigint(parser *p, const call_info *c)
{
    return int_conv(p, c, IR_FN_TO_BIGINT);
}

/* TRUNC / ROUND: on a date (by type, or by a string second argument) date_trunc/date_round with a
 * part, 'DD' by default; on a number trunc/round. */
static ir_expr *trunc_round(parser *p, const call_info *c, ir_fn num_fn, ir_fn date_fn)
{
    ir_type_kind k = guess_kind(c->args[0]);
    int is_date = kind_is_temporal(k) || (k == IR_TY_UNKNOWN && c->n == 2 && is_str_lit(c->args[1]));
    if (!is_date)
        return call_n(p, c, num_fn, 0, c->n, c->args);
    const char *why = NULL;
    ir_expr *part = c->n == 2 ? part_arg(p, c, 1, &why) : lit_str(p, "day");
    if (!part)
        return hole_for(p, c, why);
    ir_expr *a[2] = {c->args[0], part};
    return call_n(p, c, date_fn, 0, 2, a);
}

static ir_expr *h_trunc(parser *p, const call_info *c)
{
    return trunc_round(p, c, IR_FN_TRUNC, IR_FN_DATE_TRUNC);
}

static ir_expr *h_round(parser *p, const call_info *c)
{
    return trunc_round(p, c, IR_FN_ROUND, IR_FN_DATE_ROUND);
}

/* Date functions whose argument part_index is a date part string. */
static ir_expr *part_call(parser *p, const call_info *c, ir_fn fn, int part_index)
{
    const char *why = NULL;
    ir_expr *part = part_arg(p, c, part_index, &why);
    if (!part)
        return hole_for(p, c, why);
    ir_expr *a[3];
    for (int i = 0; i < c->n && i < 3; i++)
        a[i] = c->args[i];
    a[part_index] = part;
    return call_n(p, c, fn, 0, c->n, a);
}

static ir_expr *h_add_to_date(parser *p, const call_info *c)
{
    /* ADD_TO_DATE(date, format, amount) -> date_add(date, part, amount) */
    return part_call(p, c, IR_FN_DATE_ADD, 1);
}

static ir_expr *h_date_diff(parser *p, const call_info *c)
{
    return part_call(p, c, IR_FN_DATE_DIFF, 2);
}

static ir_expr *h_get_date_part(parser *p, const call_info *c)
{
    return part_call(p, c, IR_FN_DATE_PART, 1);
}

static ir_expr *h_set_date_part(parser *p, const call_info *c)
{
    return part_call(p, c, IR_FN_DATE_SET_PART, 1);
}

/* REPLACECHR / REPLACESTR: CaseFlag 0 or NULL is case-insensitive, any other number case-sensitive.
 * A literal flag picks the flag; an expression picks at run time with an if. */
static ir_expr *case_flag_call(parser *p, const call_info *c, ir_fn fn, int n, ir_expr **a)
{
    ir_expr *flag = c->args[0];
    long long v;
    if (int_lit_value(flag, &v))
        return call_n(p, c, fn, v == 0 ? IR_FL_CASE_INSENSITIVE : 0, n, a);
    if (is_null_lit(flag))
        return call_n(p, c, fn, IR_FL_CASE_INSENSITIVE, n, a);
    ir_expr *sensitive = call_n(p, c, fn, 0, n, a);
    ir_expr *insensitive = call_n(p, c, fn, IR_FL_CASE_INSENSITIVE, n, a);
    ir_expr *cond = ir_call2(p->job, IR_FN_NE, flag, ir_lit_int(p->job, 0));
    return call_n(p, c, IR_FN_IF, 0, 3, (ir_expr *[]){spanned(p, cond, c->name_off), sensitive, insensitive});
}

static ir_expr *h_replacechr(parser *p, const call_info *c)
{
    /* REPLACECHR(CaseFlag, InputString, OldCharSet, NewChar): only NewChar's first character is used */
    ir_expr *newc = c->args[3];
    if (is_str_lit(newc) && strlen(newc->u.lit.text) > 1) {
        char first[2] = {newc->u.lit.text[0], 0};
        newc = lit_str(p, first);
    } else if (!is_str_lit(newc) && !is_null_lit(newc)) {
        ir_expr *sa[3] = {newc, ir_lit_int(p->job, 1), ir_lit_int(p->job, 1)};
        newc = ir_call(p->job, IR_FN_SUBSTR, 0, 3, sa);
    }
    ir_expr *a[3] = {c->args[1], c->args[2], newc};
    return case_flag_call(p, c, IR_FN_REPLACE_CHARS, 3, a);
}

static ir_expr *h_replacestr(parser *p, const call_info *c)
{
    /* REPLACESTR(CaseFlag, InputString, OldString1, ..., NewString) */
    return case_flag_call(p, c, IR_FN_REPLACE_STR, c->n - 1, c->args + 1);
}

static ir_expr *h_reg_extract(parser *p, const call_info *c)
{
    if (c->n == 4) {
        long long v;
        if (!int_lit_value(c->args[3], &v) || v != 0)
            return hole_for(p, c, "REG_EXTRACT with a match_from_start argument");
    }
    return call_n(p, c, IR_FN_REGEXP_EXTRACT, 0, c->n > 3 ? 3 : c->n, c->args);
}

static ir_expr *h_reg_match(parser *p, const call_info *c)
{
    return call_n(p, c, IR_FN_REGEXP_LIKE, IR_FL_FULL_MATCH, 2, c->args);
}

/* IN(value, v1, ..., vn [, CaseFlag]): a trailing integer literal after string values is the
 * CaseFlag (0: case-insensitive). */
static ir_expr *h_in(parser *p, const call_info *c)
{
    int n = c->n;
    uint32_t fl = 0;
    long long v;
    if (n >= 3 && c->args[n - 1]->kind == IR_EX_LIT && int_lit_value(c->args[n - 1], &v)) {
        int strings = guess_kind(c->args[0]) == IR_TY_STRING;
        for (int i = 1; i < n - 1 && !strings; i++)
            strings = is_str_lit(c->args[i]);
        if (strings) {
            n--;
            if (v == 0)
                fl = IR_FL_CASE_INSENSITIVE;
        }
    }
    return call_n(p, c, IR_FN_IN, fl, n, c->args);
}

static ir_expr *h_systimestamp(parser *p, const call_info *c)
{
    /* the optional argument only sets the precision (SS, MS, US, NS) */
    return call_n(p, c, IR_FN_CURRENT_TIMESTAMP, 0, 0, NULL);
}

static ir_expr *h_count(parser *p, const call_info *c)
{
    if (c->star)
        return call_n(p, c, IR_FN_COUNT_STAR, 0, c->n - 1, c->args + 1);
    return call_n(p, c, IR_FN_COUNT, 0, c->n, c->args);
}

static ir_expr *set_var(parser *p, const call_info *c, ir_fn fn)
{
    if (c->args[0]->kind != IR_EX_PARAM) {
        error_at(p, c->name_off, "%s needs a mapping variable ($$NAME) as its first argument", c->name);
        return NULL;
    }
    return call_n(p, c, fn, 0, c->n, c->args);
}

static ir_expr *h_setvariable(parser *p, const call_info *c)
{
    return set_var(p, c, IR_FN_SET_VARIABLE);
}

static ir_expr *h_setmaxvariable(parser *p, const call_info *c)
{
    return set_var(p, c, IR_FN_SET_MAX_VARIABLE);
}

static ir_expr *h_setminvariable(parser *p, const call_info *c)
{
    return set_var(p, c, IR_FN_SET_MIN_VARIABLE);
}

static ir_expr *h_setcountvariable(parser *p, const call_info *c)
{
    return set_var(p, c, IR_FN_SET_COUNT_VARIABLE);
}

#define D(name, min, max, fn, flags) {name, min, max, IR_FN_##fn, flags, NULL, 0}
#define H(name, min, max, h) {name, min, max, -1, 0, h, 0}
#define A(name, min, max, fn, opts) {name, min, max, IR_FN_##fn, 0, NULL, F_AGG | (opts)}

/* Informatica functions with a canonical form. Argument counts are Informatica's. */
static const infa_fn_def infa_fns[] = {
    /* character */
    D("ASCII", 1, 1, ASCII, 0),
    D("CHRCODE", 1, 1, ASCII, 0),
    D("CHR", 1, 1, CHR, 0),
    H("CONCAT", 2, 2, h_concat),
    D("INITCAP", 1, 1, INITCAP, 0),
    H("INSTR", 2, 5, h_instr),
    D("LENGTH", 1, 1, LENGTH, 0),
    D("LOWER", 1, 1, LOWER, 0),
    D("UPPER", 1, 1, UPPER, 0),
    D("LPAD", 2, 3, LPAD, 0),
    D("RPAD", 2, 3, RPAD, 0),
    D("LTRIM", 1, 2, LTRIM, 0),
    D("RTRIM", 1, 2, RTRIM, 0),
    H("REPLACECHR", 4, 4, h_replacechr),
    H("REPLACESTR", 4, -1, h_replacestr),
    D("REVERSE", 1, 1, REVERSE, 0),
    H("SUBSTR", 2, 3, h_substr),
    H("REG_EXTRACT", 2, 4, h_reg_extract),
    H("REG_MATCH", 2, 2, h_reg_match),
    D("REG_REPLACE", 3, 4, REGEXP_REPLACE, 0),
    /* tests and conditionals */
    H("IIF", 2, 3, h_iif),
    H("DECODE", 3, -1, h_decode),
    H("CHOOSE", 2, -1, h_choose),
    H("IN", 2, -1, h_in),
    D("ISNULL", 1, 1, IS_NULL, 0),
    D("IS_SPACES", 1, 1, IS_SPACES, 0),
    D("IS_NUMBER", 1, 1, IS_NUMBER, 0),
    H("IS_DATE", 1, 2, h_is_date),
    /* conversion */
    H("TO_CHAR", 1, 2, h_to_char),
    H("TO_DATE", 1, 2, h_to_date),
    D("TO_DECIMAL", 1, 2, TO_DECIMAL, 0),
    H("TO_INTEGER", 1, 2, h_to_integer),
    H("TO_BIGINT", 1, 2, h_to_bigint),
    D("TO_FLOAT", 1, 1, TO_FLOAT, 0),
    /* numbers */
    H("TRUNC", 1, 2, h_trunc),
    H("ROUND", 1, 2, h_round),
    D("ABS", 1, 1, ABS, 0),
    D("CEIL", 1, 1, CEIL, 0),
    D("FLOOR", 1, 1, FLOOR, 0),
    D("MOD", 2, 2, MOD, 0),
    D("POWER", 2, 2, POWER, 0),
    D("SQRT", 1, 1, SQRT, 0),
    D("EXP", 1, 1, EXP, 0),
    D("LN", 1, 1, LN, 0),
    D("LOG", 2, 2, LOG, 0),
    D("SIGN", 1, 1, SIGN, 0),
    /* dates */
    H("ADD_TO_DATE", 3, 3, h_add_to_date),
    H("DATE_DIFF", 3, 3, h_date_diff),
    D("DATE_COMPARE", 2, 2, DATE_COMPARE, 0),
    H("GET_DATE_PART", 2, 2, h_get_date_part),
    H("SET_DATE_PART", 3, 3, h_set_date_part),
    D("LAST_DAY", 1, 1, LAST_DAY, 0),
    H("SYSTIMESTAMP", 0, 1, h_systimestamp),
    /* hashes */
    D("MD5", 1, 1, MD5, 0),
    D("CRC32", 1, 1, CRC32, 0),
    /* control */
    D("ERROR", 1, 1, ERROR, 0),
    D("ABORT", 1, 1, ABORT, 0),
    /* aggregates: the optional last argument is a filter condition */
    A("SUM", 1, 2, SUM, 0),
    A("AVG", 1, 2, AVG, 0),
    {"COUNT", 1, 2, -1, 0, h_count, F_AGG},
    A("MIN", 1, 2, MIN, 0),
    A("MAX", 1, 2, MAX, 0),
    A("FIRST", 1, 2, FIRST, F_ORDER),
    A("LAST", 1, 2, LAST, F_ORDER),
    A("MEDIAN", 1, 2, MEDIAN, 0),
    A("STDDEV", 1, 2, STDDEV, 0),
    A("VARIANCE", 1, 2, VARIANCE, 0),
    A("PERCENTILE", 2, 3, PERCENTILE, 0),
    /* mapping variables */
    H("SETVARIABLE", 2, 2, h_setvariable),
    H("SETMAXVARIABLE", 2, 2, h_setmaxvariable),
    H("SETMINVARIABLE", 2, 2, h_setminvariable),
    H("SETCOUNTVARIABLE", 1, 1, h_setcountvariable),
};

#undef D
#undef H
#undef A

static const infa_fn_def *fn_lookup(const char *upper_name)
{
    for (size_t i = 0; i < sizeof infa_fns / sizeof infa_fns[0]; i++)
        if (strcmp(infa_fns[i].name, upper_name) == 0)
            return &infa_fns[i];
    return NULL;
}

/* ---- the grammar ---- */

static ir_expr *parse_expr(parser *p);

/* Reads '(' args ')' after a name (the current token is '('). Returns 0 or -1 on a syntax error.
 * allow_star: accept * as an argument (COUNT). */
static int parse_args(parser *p, const char *what, size_t name_off, call_info *c, int allow_star)
{
    size_t open = p->tok.start;
    next(p); /* ( */
    ir_expr **args = NULL;
    int n = 0, cap = 0;
    c->star = 0;
    if (p->tok.kind != INFA_T_RPAREN) {
        for (;;) {
            ir_expr *a;
            if (allow_star && n == 0 && p->tok.kind == INFA_T_STAR) {
                c->star = 1;
                a = ir_lit_null(p->job); /* placeholder, dropped by the handler */
                next(p);
            } else {
                a = parse_expr(p);
                if (!a)
                    return -1;
            }
            ARENA_PUSH(p->job->arena, args, n, cap, a);
            if (p->tok.kind == INFA_T_COMMA) {
                next(p);
                continue;
            }
            if (p->tok.kind == INFA_T_RPAREN)
                break;
            int ol, oc;
            locate(p, open, &ol, &oc);
            if (p->tok.kind == INFA_T_EOF) {
                /* point at the '(' that is never closed: that is where the fix goes */
                int el, ec;
                locate(p, p->tok.start, &el, &ec);
                error_at(p, open, "unclosed parenthesis: '(' of %s is not closed before the end of the expression at %d:%d",
                         what, el, ec);
            }
            else if (p->tok.kind != INFA_T_ERROR)
                error_at(p, p->tok.start, "expected ',' or ')' in the arguments of %s (opened at %d:%d), found %s",
                         what, ol, oc, tok_desc(p, p->tok));
            else
                error_at(p, p->tok.start, "%s", p->tok.msg);
            return -1;
        }
    }
    c->end_off = p->tok.start + p->tok.len;
    next(p); /* ) */
    c->n = n;
    c->args = args;
    c->name_off = name_off;
    return 0;
}

static ir_expr *parse_call(parser *p, infa_tok name_tok)
{
    char *name = tok_upper(p, name_tok);
    const infa_fn_def *def = fn_lookup(name);
    call_info c;
    memset(&c, 0, sizeof c);
    c.name = name;
    if (parse_args(p, name, name_tok.start, &c, def && def->handler == h_count) < 0)
        return NULL;
    if (!def) {
        char *reason = arena_printf(p->job->arena, "no canonical form for Informatica function %s", name);
        return hole_for(p, &c, reason);
    }
    if (c.n < def->min || (def->max >= 0 && c.n > def->max)) {
        if (def->min == def->max)
            error_at(p, name_tok.start, "wrong number of arguments to %s: expected %d, got %d", name, def->min, c.n);
        else if (def->max < 0)
            error_at(p, name_tok.start, "wrong number of arguments to %s: expected at least %d, got %d", name,
                     def->min, c.n);
        else
            error_at(p, name_tok.start, "wrong number of arguments to %s: expected %d to %d, got %d", name, def->min,
                     def->max, c.n);
        return NULL;
    }
    if (c.star && c.n > 2) {
        error_at(p, name_tok.start, "wrong number of arguments to COUNT(*): expected at most a filter condition");
        return NULL;
    }
    if ((def->opts & F_AGG) && !p->ctx->allow_aggregates) {
        error_at(p, name_tok.start, "aggregate function %s is only allowed in an Aggregator transformation", name);
        return NULL;
    }
    if (def->handler)
        return def->handler(p, &c);
    uint32_t flags = def->flags | ((def->opts & F_ORDER) ? IR_FL_ORDER_DEPENDENT : 0);
    return call_n(p, &c, (ir_fn)def->fn, flags, c.n, c.args);
}

/* :LKP.name(args) / :SP.name(args) */
static ir_expr *parse_ext_call(parser *p)
{
    infa_tok t = p->tok;
    const char *kind = t.kind == INFA_T_LKP ? "LKP" : "SP";
    size_t dot = t.kind == INFA_T_LKP ? 5 : 4; /* ":LKP." / ":SP." */
    char *name = text_range(p, t.start + dot, t.start + t.len);
    next(p);
    call_info c;
    memset(&c, 0, sizeof c);
    c.name = name;
    if (p->tok.kind != INFA_T_LPAREN) {
        error_at(p, p->tok.start, "expected '(' after :%s.%s, found %s", kind, name, tok_desc(p, p->tok));
        return NULL;
    }
    if (parse_args(p, arena_printf(p->job->arena, ":%s.%s", kind, name), t.start, &c, 0) < 0)
        return NULL;
    char *text = text_range(p, t.start, c.end_off);
    ir_expr *e = NULL;
    if (p->ctx->resolve_call)
        e = p->ctx->resolve_call(p->ctx->userdata, kind, name, c.n, c.args, text);
    if (!e)
        e = ir_hole(p->job, text,
                    arena_printf(p->job->arena, "%s %s is not resolved",
                                 t.kind == INFA_T_LKP ? "unconnected lookup" : "stored procedure", name));
    return spanned(p, e, t.start);
}

static ir_expr *parse_number(parser *p)
{
    infa_tok t = p->tok;
    char *s = text_range(p, t.start, t.start + t.len);
    next(p);
    if (t.is_double) {
        char buf[40];
        snprintf(buf, sizeof buf, "%.17g", strtod(s, NULL));
        return spanned(p, ir_lit(p->job, IR_LIT_DOUBLE, buf), t.start);
    }
    if (t.is_decimal) {
        if (s[0] == '.')
            s = arena_printf(p->job->arena, "0%s", s);
        return spanned(p, ir_lit(p->job, IR_LIT_DECIMAL, s), t.start);
    }
    /* integers as written, without leading zeros */
    while (s[0] == '0' && s[1])
        s++;
    size_t digits = strlen(s);
    ir_expr *e;
    if (digits > 19 || (digits == 19 && strcmp(s, "9223372036854775807") > 0)) {
        e = ir_lit(p->job, IR_LIT_DECIMAL, s);
    } else {
        e = ir_lit(p->job, IR_LIT_INT, s);
        if (digits > 10 || (digits == 10 && strcmp(s, "2147483647") > 0))
            e->type.kind = IR_TY_BIGINT;
    }
    return spanned(p, e, t.start);
}

static ir_expr *parse_string(parser *p)
{
    infa_tok t = p->tok;
    char *s = arena_alloc(p->job->arena, t.len);
    size_t n = 0;
    for (size_t i = t.start + 1; i + 1 < t.start + t.len; i++) {
        s[n++] = p->text[i];
        if (p->text[i] == '\'')
            i++; /* '' is one quote */
    }
    s[n] = 0;
    next(p);
    return spanned(p, ir_lit_str(p->job, s), t.start);
}

/* A name that is not followed by '(': a constant, a built-in variable or a port. */
static ir_expr *parse_name(parser *p)
{
    infa_tok t = p->tok;
    next(p);
    char *up = tok_upper(p, t);
    ir_expr *e = NULL;
    if (strcmp(up, "TRUE") == 0)
        e = ir_lit_bool(p->job, true);
    else if (strcmp(up, "FALSE") == 0)
        e = ir_lit_bool(p->job, false);
    else if (strcmp(up, "NULL") == 0)
        e = ir_lit_null(p->job);
    else if (strcmp(up, "DD_INSERT") == 0)
        e = ir_lit_int(p->job, 0);
    else if (strcmp(up, "DD_UPDATE") == 0)
        e = ir_lit_int(p->job, 1);
    else if (strcmp(up, "DD_DELETE") == 0)
        e = ir_lit_int(p->job, 2);
    else if (strcmp(up, "DD_REJECT") == 0)
        e = ir_lit_int(p->job, 3);
    else if (strcmp(up, "SYSDATE") == 0 || strcmp(up, "SYSTIMESTAMP") == 0)
        e = ir_call(p->job, IR_FN_CURRENT_TIMESTAMP, 0, 0, NULL);
    else if (strcmp(up, "SESSSTARTTIME") == 0)
        e = ir_call(p->job, IR_FN_SESSION_START, 0, 0, NULL);
    else if (strcmp(up, "WORKFLOWSTARTTIME") == 0 || strcmp(up, "PROC_RESULT") == 0 || strcmp(up, "SPOUTPUT") == 0)
        e = ir_hole(p->job, text_range(p, t.start, t.start + t.len),
                    arena_printf(p->job->arena, "no canonical form for Informatica built-in %s", up));
    else if (strcmp(up, "AND") == 0 || strcmp(up, "OR") == 0 || strcmp(up, "NOT") == 0) {
        error_at(p, t.start, "unexpected %s", up);
        return NULL;
    } else {
        char *name = text_range(p, t.start, t.start + t.len);
        e = p->ctx->resolve_port ? p->ctx->resolve_port(p->ctx->userdata, name) : NULL;
        if (!e) {
            error_at(p, t.start, "unknown port '%s'", name);
            e = ir_lit_null(p->job); /* keep parsing to find further errors */
        }
    }
    return spanned(p, e, t.start);
}

static ir_expr *parse_primary(parser *p)
{
    infa_tok t = p->tok;
    switch (t.kind) {
    case INFA_T_NUMBER:
        return parse_number(p);
    case INFA_T_STRING:
        return parse_string(p);
    case INFA_T_PARAM: {
        next(p);
        return spanned(p, ir_param_ref(p->job, text_range(p, t.start + 2, t.start + t.len)), t.start);
    }
    case INFA_T_VAR: {
        next(p);
        return spanned(p, ir_param_ref(p->job, text_range(p, t.start + 1, t.start + t.len)), t.start);
    }
    case INFA_T_LKP:
    case INFA_T_SP:
        return parse_ext_call(p);
    case INFA_T_IDENT:
        if (peek(p).kind == INFA_T_LPAREN) {
            next(p);
            return parse_call(p, t);
        }
        return parse_name(p);
    case INFA_T_LPAREN: {
        next(p);
        ir_expr *e = parse_expr(p);
        if (!e)
            return NULL;
        if (p->tok.kind != INFA_T_RPAREN) {
            int ol, oc;
            locate(p, t.start, &ol, &oc);
            if (p->tok.kind == INFA_T_EOF) {
                int el, ec;
                locate(p, p->tok.start, &el, &ec);
                error_at(p, t.start, "unclosed parenthesis: '(' is not closed before the end of the expression at %d:%d",
                         el, ec);
            }
            else if (p->tok.kind == INFA_T_ERROR)
                error_at(p, p->tok.start, "%s", p->tok.msg);
            else
                error_at(p, p->tok.start, "expected ')' to close '(' opened at %d:%d, found %s", ol, oc,
                         tok_desc(p, p->tok));
            return NULL;
        }
        next(p);
        return e;
    }
    case INFA_T_ERROR:
        error_at(p, t.start, "%s", t.msg);
        return NULL;
    case INFA_T_EOF:
        error_at(p, t.start, "unexpected end of expression");
        return NULL;
    default:
        error_at(p, t.start, "unexpected %s", tok_desc(p, t));
        return NULL;
    }
}

static ir_expr *parse_unary(parser *p)
{
    infa_tok t = p->tok;
    if (++p->depth > MAX_DEPTH) {
        error_at(p, t.start, "expression nested too deeply");
        return NULL;
    }
    ir_expr *e;
    if (t.kind == INFA_T_MINUS || t.kind == INFA_T_PLUS) {
        next(p);
        ir_expr *a = parse_unary(p);
        if (!a)
            e = NULL;
        else if (t.kind == INFA_T_PLUS)
            e = a;
        else if (a->kind == IR_EX_LIT && (a->u.lit.kind == IR_LIT_INT || a->u.lit.kind == IR_LIT_DECIMAL ||
                                           a->u.lit.kind == IR_LIT_DOUBLE)) {
            /* a negative number literal */
            const char *txt = a->u.lit.text;
            ir_type ty = a->type;
            e = ir_lit(p->job, a->u.lit.kind, txt[0] == '-' ? txt + 1 : arena_printf(p->job->arena, "-%s", txt));
            e->type = ty;
            if (e->u.lit.kind == IR_LIT_INT && strcmp(e->u.lit.text, "-2147483648") == 0)
                e->type.kind = IR_TY_INT;
            e = spanned(p, e, t.start);
        } else {
            e = spanned(p, ir_call1(p->job, IR_FN_NEG, a), t.start);
        }
    } else if (tok_is_word(p, t, "NOT")) {
        next(p);
        ir_expr *a = parse_unary(p);
        e = a ? spanned(p, ir_call1(p->job, IR_FN_NOT, a), t.start) : NULL;
    } else {
        e = parse_primary(p);
    }
    p->depth--;
    return e;
}

/* A binary operator's canonical function, or -1 when the token is not one at this level. */
typedef int (*op_of_fn)(parser *p, infa_tok t);

static int op_mul(parser *p, infa_tok t)
{
    (void)p;
    return t.kind == INFA_T_STAR ? IR_FN_MUL : t.kind == INFA_T_SLASH ? IR_FN_DIV : t.kind == INFA_T_PERCENT ? IR_FN_MOD : -1;
}

static int op_add(parser *p, infa_tok t)
{
    (void)p;
    return t.kind == INFA_T_PLUS ? IR_FN_ADD : t.kind == INFA_T_MINUS ? IR_FN_SUB : -1;
}

static int op_concat(parser *p, infa_tok t)
{
    (void)p;
    return t.kind == INFA_T_CONCAT ? IR_FN_CONCAT : -1;
}

static int op_rel(parser *p, infa_tok t)
{
    (void)p;
    switch (t.kind) {
    case INFA_T_LT: return IR_FN_LT;
    case INFA_T_LE: return IR_FN_LE;
    case INFA_T_GT: return IR_FN_GT;
    case INFA_T_GE: return IR_FN_GE;
    default: return -1;
    }
}

static int op_eq(parser *p, infa_tok t)
{
    (void)p;
    return t.kind == INFA_T_EQ ? IR_FN_EQ : t.kind == INFA_T_NE ? IR_FN_NE : -1;
}

static int op_and(parser *p, infa_tok t)
{
    return tok_is_word(p, t, "AND") ? IR_FN_AND : -1;
}

static int op_or(parser *p, infa_tok t)
{
    return tok_is_word(p, t, "OR") ? IR_FN_OR : -1;
}

typedef ir_expr *(*level_fn)(parser *p);

/* One left-associative level: operand (op operand)*. concat, and, or chains become one n-ary call. */
static ir_expr *binary_level(parser *p, level_fn operand, op_of_fn op_of)
{
    size_t start = p->tok.start;
    ir_expr *left = operand(p);
    if (!left)
        return NULL;
    for (;;) {
        int fn = op_of(p, p->tok);
        if (fn < 0)
            return left;
        next(p);
        ir_expr *right = operand(p);
        if (!right)
            return NULL;
        uint32_t flags = fn == IR_FN_CONCAT ? IR_FL_NULL_AS_EMPTY : 0;
        if ((fn == IR_FN_CONCAT || fn == IR_FN_AND || fn == IR_FN_OR) && left->kind == IR_EX_CALL &&
            left->u.call.fn == (ir_fn)fn && left->u.call.flags == flags && left->span.line == 0) {
            /* extend the chain built at this level (marked by its not yet having a span) */
            int n = left->u.call.n_args;
            ir_expr **args = arena_grow(p->job->arena, left->u.call.args, (size_t)n, (size_t)n + 1, sizeof *args);
            args[n] = right;
            left = ir_call(p->job, (ir_fn)fn, flags, n + 1, args);
        } else {
            ir_expr *v[2] = {left, right};
            left = ir_call(p->job, (ir_fn)fn, flags, 2, v);
        }
        if (fn != IR_FN_CONCAT && fn != IR_FN_AND && fn != IR_FN_OR)
            spanned(p, left, start);
        else if (op_of(p, p->tok) < 0)
            spanned(p, left, start); /* the chain ends here */
    }
}

static ir_expr *parse_mul(parser *p) { return binary_level(p, parse_unary, op_mul); }
static ir_expr *parse_add(parser *p) { return binary_level(p, parse_mul, op_add); }
static ir_expr *parse_concat(parser *p) { return binary_level(p, parse_add, op_concat); }
static ir_expr *parse_rel(parser *p) { return binary_level(p, parse_concat, op_rel); }
static ir_expr *parse_eq(parser *p) { return binary_level(p, parse_rel, op_eq); }
static ir_expr *parse_and(parser *p) { return binary_level(p, parse_eq, op_and); }
static ir_expr *parse_or(parser *p) { return binary_level(p, parse_and, op_or); }

static ir_expr *parse_expr(parser *p)
{
    return parse_or(p);
}

ir_expr *infa_expr_parse(const infa_expr_ctx *ctx, const char *text, diag_ctx *dc)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.job = ctx->job;
    p.dc = dc;
    p.text = text ? text : "";
    p.len = strlen(p.text);
    infa_lex_init(&p.lx, p.text, p.len);
    next(&p);
    if (p.tok.kind == INFA_T_EOF) {
        error_at(&p, 0, "empty expression");
        return NULL;
    }
    ir_expr *e = parse_expr(&p);
    if (e && p.tok.kind != INFA_T_EOF) {
        if (p.tok.kind == INFA_T_ERROR)
            error_at(&p, p.tok.start, "%s", p.tok.msg);
        else if (p.tok.kind == INFA_T_RPAREN)
            error_at(&p, p.tok.start, "unexpected ')' with no matching '('");
        else
            error_at(&p, p.tok.start, "unexpected %s after the end of the expression", tok_desc(&p, p.tok));
        return NULL;
    }
    if (p.n_errors > 0)
        return NULL;
    return e;
}
