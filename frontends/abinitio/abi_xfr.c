/*
 * abi_xfr.c — the DML expression and transform language (XFR) into canonical IR expressions.
 *
 * A recursive-descent parser with C's precedence (the reference lists C operators [C]):
 *   ?: ;  || or ;  && and ;  == != ;  < <= > >= ;  + - ;  * / % ;  unary ! not - + ;  postfix.
 * Transform functions `out :: name(in, …) = begin … end;` are read statement by statement:
 * `let` locals are inlined in order (a later assignment rebinds the name), rules `out.x :: e;` and
 * prioritised rules `out.x :N: e;` are collected per output field and combined at the end of the
 * function (see combine_rules). Calls map through one table (abi_fns) to functions.def; a function
 * whose Ab Initio semantics are not publicly known becomes a hole with its text, as do lookups,
 * force_error/reject, reflection and statement-level control flow. docs/abinitio-frontend.md
 * lists every row with the reference's confidence mark.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontends/abinitio/abi_internal.h"

typedef struct local {
    const char *name;
    ir_expr *val;
} local;

typedef struct rule {
    const char *out, *field; /* field "*" for wildcards, NULL for `out :: e` */
    int prio;                /* INT_MAX when not numbered */
    ir_expr *e;
    const char *wild_from;
    const char *text;
    size_t at;
    int approx_if;
    unsigned vec_notes; /* VN_* */
} rule;

typedef struct fnstate {
    abi_transform *t;
    local *locals;
    int n_locals, cap_locals;
    rule *rules;
    int n_rules, cap_rules;
    int cap_holes;
    int approx_if; /* an if/?: was built while reading the current rule */
    unsigned vec_notes; /* VN_*: vector readings of the current rule that get a note */
} fnstate;

/* Vector readings a rule's note names. */
enum { VN_ACCUM = 1u, VN_INDEX = 2u };

static ir_expr *parse_expr(abi_parser *p);

#define GROW(p, arr, n, cap)                                                                          \
    do {                                                                                              \
        if ((n) == (cap)) {                                                                           \
            int nc_ = (cap) ? (cap) * 2 : 8;                                                          \
            (arr) = arena_grow((p)->a, (arr), (size_t)(cap), (size_t)nc_, sizeof *(arr));             \
            (cap) = nc_;                                                                              \
        }                                                                                             \
    } while (0)

static ir_job *JOB(abi_parser *p)
{
    return p->xctx->job;
}

static ir_expr *spanned(abi_parser *p, ir_expr *e, size_t off)
{
    if (!e || e->span.line)
        return e;
    int l, c;
    abi_line_col(p, off, &l, &c);
    e->span.file = ir_intern(JOB(p), p->path);
    e->span.line = l;
    e->span.col = c;
    return e;
}

static ir_expr *hole(abi_parser *p, size_t start, const char *reason)
{
    return spanned(p, ir_hole(JOB(p), abi_text_range(p, start, p->prev_end), reason), start);
}

static int expect(abi_parser *p, abi_tok_kind k, const char *what)
{
    if (p->tok.kind == k) {
        abi_next(p);
        return 1;
    }
    abi_error_at(p, p->tok.start, "expected %s, found %s", what, abi_tok_desc(p, p->tok));
    return 0;
}

/* Skips a balanced bracket group starting at the current '(' or '['. */
static void skip_group(abi_parser *p)
{
    int depth = 0;
    do {
        abi_tok_kind k = p->tok.kind;
        if (k == ABI_K_LPAREN || k == ABI_K_LBRACK)
            depth++;
        else if (k == ABI_K_RPAREN || k == ABI_K_RBRACK)
            depth--;
        abi_next(p);
    } while (depth > 0 && p->tok.kind != ABI_K_EOF);
}

static int is_string(const ir_expr *e)
{
    return e && e->type.kind == IR_TY_STRING;
}

/* ---- function table ---- */

typedef enum {
    H_FN,       /* a canonical function, arguments as written */
    H_HOLE,     /* no IR form: reason */
    H_DEFINED,  /* is_defined(x): not is_null */
    H_PART,     /* date part: extra = the part */
    H_DATEADD,  /* (d, n) → date_add(d, extra, n) */
    H_LOOKUP,   /* a hole naming the lookup */
    H_ERROR,    /* force_error / reject: a marked hole */
    H_VECTOR,   /* a canonical array function whose first argument must be a vector */
    H_ACCUM,    /* accumulation / vector_concatenation: the group's values into a vector */
} fn_kind;

typedef struct abi_fn {
    const char *name;
    fn_kind kind;
    ir_fn fn;
    int min, max;
    const char *extra; /* part name, or the hole reason */
} abi_fn;

static const abi_fn abi_fns[] = {
    /* NULL and validity */
    {"is_null", H_FN, IR_FN_IS_NULL, 1, 1, NULL},
    {"is_defined", H_DEFINED, 0, 1, 1, NULL},
    {"first_defined", H_FN, IR_FN_COALESCE, 1, -1, NULL},
    {"is_valid", H_HOLE, 0, 1, 1, "is_valid: validity for the value's DML type has no IR form"},
    {"is_blank", H_HOLE, 0, 1, 1, "is_blank: exact semantics (empty string, NULL) not publicly known [U]"},
    {"null_if_error", H_HOLE, 0, 1, 1, "null_if_error: errors cannot be caught in the IR"},
    /* strings */
    {"string_substring", H_FN, IR_FN_SUBSTR, 3, 3, NULL},
    {"string_index", H_FN, IR_FN_INSTR, 2, 2, NULL},
    {"string_lrtrim", H_FN, IR_FN_TRIM, 1, 1, NULL},
    {"string_ltrim", H_FN, IR_FN_LTRIM, 1, 1, NULL},
    {"string_trim", H_HOLE, 0, 1, 1, "string_trim: which side is trimmed is not publicly known [U]"},
    {"string_upcase", H_FN, IR_FN_UPPER, 1, 1, NULL},
    {"string_downcase", H_FN, IR_FN_LOWER, 1, 1, NULL},
    {"string_length", H_FN, IR_FN_LENGTH, 1, 1, NULL},
    {"string_concat", H_FN, IR_FN_CONCAT, 1, -1, NULL},
    /* dates */
    {"today", H_FN, IR_FN_CURRENT_DATE, 0, 0, NULL},
    {"now", H_FN, IR_FN_CURRENT_TIMESTAMP, 0, 0, NULL},
    {"utc_now", H_FN, IR_FN_CURRENT_UTC_TIMESTAMP, 0, 0, NULL},
    {"now1", H_HOLE, 0, 0, 0, "now1: how it differs from now() is not publicly known [U]"},
    {"date_year", H_PART, IR_FN_DATE_PART, 1, 1, "year"},
    {"date_month", H_PART, IR_FN_DATE_PART, 1, 1, "month"},
    {"date_day", H_PART, IR_FN_DATE_PART, 1, 1, "day"},
    {"date_day_of_month", H_PART, IR_FN_DATE_PART, 1, 1, "day"},
    {"datetime_year", H_PART, IR_FN_DATE_PART, 1, 1, "year"},
    {"datetime_month", H_PART, IR_FN_DATE_PART, 1, 1, "month"},
    {"datetime_day", H_PART, IR_FN_DATE_PART, 1, 1, "day"},
    {"datetime_hour", H_PART, IR_FN_DATE_PART, 1, 1, "hour"},
    {"datetime_minute", H_PART, IR_FN_DATE_PART, 1, 1, "minute"},
    {"datetime_second", H_PART, IR_FN_DATE_PART, 1, 1, "second"},
    {"datetime_microsecond", H_PART, IR_FN_DATE_PART, 1, 1, "microsecond"},
    {"date_add_months", H_DATEADD, IR_FN_DATE_ADD, 2, 2, "month"},
    /* aggregation functions of template Rollup/Scan [C names, §3.4]; NULL handling as SQL's [I] */
    {"sum", H_FN, IR_FN_SUM, 1, 1, NULL},
    {"min", H_FN, IR_FN_MIN, 1, 1, NULL},
    {"max", H_FN, IR_FN_MAX, 1, 1, NULL},
    {"avg", H_FN, IR_FN_AVG, 1, 1, NULL},
    {"count", H_FN, IR_FN_COUNT, 1, 1, NULL},
    {"accumulation", H_ACCUM, IR_FN_ARRAY_AGG, 1, 1, NULL},
    {"vector_concatenation", H_ACCUM, IR_FN_ARRAY_AGG, 1, 1, NULL},
    /* vectors [C, §3.3] (an argument that is not a vector: a hole) */
    {"length_of", H_VECTOR, IR_FN_ARRAY_SIZE, 1, 1, NULL},
    {"vector_append", H_VECTOR, IR_FN_ARRAY_APPEND, 2, 2, NULL},
    /* lookups, errors */
    {"lookup", H_LOOKUP, 0, 1, -1, "lookup: needs the Lookup File component of the graph"},
    {"lookup_count", H_LOOKUP, 0, 1, -1, "lookup_count: needs the Lookup File component of the graph"},
    {"lookup_match", H_LOOKUP, 0, 1, -1, "lookup_match: needs the Lookup File component of the graph"},
    {"lookup_next", H_LOOKUP, 0, 0, -1, "lookup_next: semantics not publicly known [U]"},
    {"force_error", H_ERROR, 0, 0, -1, "force_error: the record fails (IR error() if confirmed; not in public sources [U])"},
    {"reject", H_ERROR, 0, 0, -1, "reject: the record is rejected (not in public sources [U])"},
};

/* Functions the reference names as certain ([C], §3.3/§3.4) without giving their semantics: each is a
 * hole whose reason says which family it belongs to, so a user can tell them from user functions. */
typedef struct abi_known {
    const char *names; /* blank-separated function names */
    const char *reason;
} abi_known;

static const abi_known abi_known_holes[] = {
    {"re_index re_match_replace re_match_replace_all re_replace re_replace_first re_get_match re_get_matches "
     "re_split re_split_no_empty",
     "regular-expression function [C name]: Ab Initio's pattern dialect and results are not in public sources"},
    {"today1", "how it differs from today() is not publicly known [U]"},
    {"local_now", "how it differs from now() is not publicly known [U]"},
    {"date_difference_days date_difference_months date_day_of_week date_day_of_year date_month_end date_to_int",
     "date function [C name]: its arguments, units and edge cases are not in public sources"},
    {"datetime_add datetime_add_months datetime_difference datetime_difference_days datetime_difference_hours "
     "datetime_difference_minutes datetime_difference_seconds datetime_difference_months datetime_change_zone "
     "datetime_zone_offset datetime_from_unixtime datetime_to_unixtime",
     "datetime function [C name]: its arguments, units and time zones are not in public sources"},
    {"decode_date decode_datetime", "date decoding into a record [C name]: the IR has no record values"},
    {"encode_date encode_datetime", "date encoding [C name]: its arguments are not in public sources"},
    {"first last", "aggregation [C name]: depends on input order; not mapped"},
    {"product", "aggregation [C name]: the IR has no product aggregate"},
    {"stdev", "aggregation [C name]: sample or population is not publicly known"},
    {"concatenation", "aggregation [C name]: separator and order are not publicly known"},
    {"next_in_sequence", "a run-time sequence [C name]: its start and partition behaviour are not publicly known"},
    {"read_file directory_listing file_information", "file-system access [C name]: no IR form"},
    {"log_error make_error output_for_error final_log_output",
     "error-handling function of the transform package [C name]: no IR form"},
    {"allocate", "vector/record allocation [C]: the IR has no compound values"},
    {"record_info read_type type_info type_of reinterpret_as make_transform add_rules",
     "reflection [C name]: builds types or code at run time"},
    {"string_replace string_replace_first string_split string_join string_like string_lpad string_pad "
     "string_filter string_filter_out string_is_numeric string_is_alphabetic string_prefix string_suffix "
     "starts_with ends_with string_char char_string string_compare string_cleanse string_from_hex string_to_hex",
     "string function [C name]: its arguments and edge cases are not in public sources"},
    {"decimal_lpad decimal_lrepad decimal_strip",
     "decimal-text function [C name]: its arguments and edge cases are not in public sources"},
    {"edit_distance hamming_distance", "string metric [C name]: no IR form"},
    {"url_encode_escapes url_decode_escapes", "URL escaping [C name]: no IR form"},
    {"to_json to_xml", "serialisation of a value [C name]: no IR form"},
};

/* The reason a certain-but-unmapped function is a hole, or NULL when name is not one. */
static const char *known_hole(const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof abi_known_holes / sizeof abi_known_holes[0]; i++)
        for (const char *w = abi_known_holes[i].names; *w;) {
            size_t k = strcspn(w, " ");
            if (k == n && strncmp(w, name, n) == 0)
                return abi_known_holes[i].reason;
            w += k;
            w += *w == ' ';
        }
    return NULL;
}

static const abi_fn *fn_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof abi_fns / sizeof abi_fns[0]; i++)
        if (strcmp(abi_fns[i].name, name) == 0)
            return &abi_fns[i];
    return NULL;
}

static fnstate *FN(abi_parser *p);

/* Expressions separated by ',' up to the `close` token (consumed): call arguments, vector
 * elements. With keyword non-NULL, `name = e` is accepted and sets *keyword. Returns the count
 * (the expressions in *out), or -1 after an error. */
static int parse_list(abi_parser *p, abi_tok_kind close, const char *what, ir_expr ***out, int *keyword)
{
    ir_expr **args = NULL;
    int n = 0, cap = 0;
    while (p->tok.kind != close) {
        if (n > 0 && !expect(p, ABI_K_COMMA, what))
            return -1;
        if (keyword && p->tok.kind == ABI_K_IDENT && abi_peek(p).kind == ABI_K_ASSIGN) { /* keyword argument */
            *keyword = 1;
            abi_next(p);
            abi_next(p);
        }
        ir_expr *a = parse_expr(p);
        if (!a)
            return -1;
        GROW(p, args, n, cap);
        args[n++] = a;
    }
    abi_next(p);
    *out = args;
    return n;
}

/* [I] accumulation(x) / vector_concatenation(x) in a template Rollup [C names, §3.4; semantics not
 * given]: with x a scalar, the values of the group gathered into a vector in input order, read as
 * array_agg flagged order_dependent; the rule is noted (ABI_ACCUM_NOTE) since the reading and its
 * NULL handling are ours. With x a vector (concatenating the group's vectors) the result would be
 * an array of arrays, or a flattening the IR has no aggregate for: a hole. */
static ir_expr *accumulate(abi_parser *p, size_t start, const char *name, ir_expr *x)
{
    if (x->type.kind == IR_TY_ARRAY)
        return hole(p, start, arena_printf(p->a, "%s of a vector: concatenating the group's vectors has no IR "
                                                 "aggregate (arrays do not nest)", name));
    if (x->type.kind == IR_TY_UNKNOWN)
        return hole(p, start, arena_printf(p->a, "%s of a value of unknown type: its elements' type is not known",
                                           name));
    if (FN(p))
        FN(p)->vec_notes |= VN_ACCUM;
    return spanned(p, ir_call(JOB(p), IR_FN_ARRAY_AGG, IR_FL_ORDER_DEPENDENT, 1, &x), start);
}

static ir_expr *parse_call(abi_parser *p, abi_tok name_tok)
{
    ir_job *job = JOB(p);
    char *name = abi_tok_text(p, name_tok);
    abi_next(p); /* name */
    abi_next(p); /* ( */
    ir_expr **args = NULL;
    int keyword = 0;
    int n = parse_list(p, ABI_K_RPAREN, "',' or ')'", &args, &keyword);
    if (n < 0)
        return NULL;
    const abi_fn *f = fn_lookup(name);
    const char *known = f ? NULL : known_hole(name);
    if (known)
        return hole(p, name_tok.start, arena_printf(p->a, "%s: %s", name, known));
    if (!f)
        return hole(p, name_tok.start,
                    arena_printf(p->a, "%s: not in the reader's function table (user function or semantics "
                                       "not publicly known)", name));
    if (n < f->min || (f->max >= 0 && n > f->max)) {
        abi_error_at(p, name_tok.start, "%s takes %d%s argument%s, not %d", name, f->min,
                     f->max < 0 ? " or more" : f->max != f->min ? "-2" : "", f->min == 1 && f->max == 1 ? "" : "s", n);
        return NULL;
    }
    if (keyword && f->kind != H_LOOKUP)
        return hole(p, name_tok.start, "keyword arguments: their meaning is not publicly known");
    switch (f->kind) {
    case H_FN:
        return spanned(p, ir_call(job, f->fn, 0, n, args), name_tok.start);
    case H_DEFINED:
        return spanned(p, ir_call1(job, IR_FN_NOT, ir_call1(job, IR_FN_IS_NULL, args[0])), name_tok.start);
    case H_PART:
        return spanned(p, ir_call2(job, IR_FN_DATE_PART, args[0], ir_lit_str(job, f->extra)), name_tok.start);
    case H_DATEADD:
        return spanned(p, ir_call3(job, IR_FN_DATE_ADD, args[0], ir_lit_str(job, f->extra), args[1]),
                       name_tok.start);
    case H_VECTOR:
        if (args[0]->type.kind != IR_TY_ARRAY) {
            const char *what = args[0]->kind == IR_EX_HOLE ? "a value with no IR form" : "a value that is not a vector";
            return hole(p, name_tok.start, arena_printf(p->a, "%s of %s", name, what));
        }
        return spanned(p, ir_call(job, f->fn, 0, n, args), name_tok.start);
    case H_ACCUM:
        return accumulate(p, name_tok.start, name, args[0]);
    case H_HOLE:
    case H_LOOKUP:
    case H_ERROR:
        break;
    }
    return hole(p, name_tok.start, f->extra);
}

/* ---- casts and literals ---- */

/* A date/timestamp literal from text in a canonical format of YYYY MM DD HH24 MI SS and
 * separators; NULL when the text does not match. */
static const char *date_literal(abi_parser *p, const char *canon, const char *s, int with_time)
{
    int y = -1, mo = -1, d = -1, h = 0, mi = 0, se = 0;
    const char *f = canon;
    while (*f) {
        int *dst = NULL, w = 0;
        if (!strncmp(f, "YYYY", 4)) { dst = &y; w = 4; f += 4; }
        else if (!strncmp(f, "MM", 2)) { dst = &mo; w = 2; f += 2; }
        else if (!strncmp(f, "DD", 2)) { dst = &d; w = 2; f += 2; }
        else if (!strncmp(f, "HH24", 4)) { dst = &h; w = 2; f += 4; }
        else if (!strncmp(f, "MI", 2)) { dst = &mi; w = 2; f += 2; }
        else if (!strncmp(f, "SS", 2)) { dst = &se; w = 2; f += 2; }
        else if (isalpha((unsigned char)*f)) return NULL;
        else {
            if (*s != *f)
                return NULL;
            s++;
            f++;
            continue;
        }
        int v = 0;
        for (int i = 0; i < w; i++, s++) {
            if (!isdigit((unsigned char)*s))
                return NULL;
            v = v * 10 + (*s - '0');
        }
        *dst = v;
    }
    if (*s || y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)
        return NULL;
    if (with_time)
        return arena_printf(p->a, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, se);
    return arena_printf(p->a, "%04d-%02d-%02d", y, mo, d);
}

static ir_expr *make_cast(abi_parser *p, abi_type *t, ir_expr *e, size_t start)
{
    ir_job *job = JOB(p);
    if (t->kind == ABI_T_DATE || t->kind == ABI_T_DATETIME) {
        const char *canon = abi_datefmt_to_canonical(p->a, t->format);
        if (!canon)
            return hole(p, start, "date format with tokens of unknown meaning [U]");
        if (e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_STRING) {
            const char *lit = date_literal(p, canon, e->u.lit.text, t->kind == ABI_T_DATETIME);
            if (lit)
                return spanned(p, ir_lit(job, t->kind == ABI_T_DATE ? IR_LIT_DATE : IR_LIT_TIMESTAMP, lit), start);
        }
        if (e->type.kind == IR_TY_STRING || e->type.kind == IR_TY_UNKNOWN) {
            ir_expr *d = ir_call2(job, IR_FN_TO_DATE, e, ir_lit_str(job, canon));
            if (t->kind == ABI_T_DATE) {
                d = ir_call1(job, IR_FN_CAST, d);
                d->type = ir_type_make(IR_TY_DATE, 0, 0);
            }
            return spanned(p, d, start);
        }
    }
    if (t->kind == ABI_T_VECTOR || t->kind == ABI_T_RECORD || t->kind == ABI_T_UNION || t->kind == ABI_T_UNKNOWN ||
        t->kind == ABI_T_VOID)
        return hole(p, start, "cast to a compound type");
    ir_expr *c = ir_call1(job, IR_FN_CAST, e);
    c->type = abi_type_to_ir(t);
    return spanned(p, c, start);
}

/* ---- expressions ---- */

static fnstate *FN(abi_parser *p)
{
    return p->fn;
}

static const char *param_name(abi_parser *p, const char *name)
{
    fnstate *fs = FN(p);
    if (!fs)
        return strcmp(name, "in") == 0 || !strncmp(name, "in", 2) ? name : NULL;
    for (int i = 0; i < fs->t->n_params; i++)
        if (strcmp(fs->t->params[i], name) == 0)
            return fs->t->params[i];
    return NULL;
}

static local *find_local(abi_parser *p, const char *name)
{
    fnstate *fs = FN(p);
    if (!fs)
        return NULL;
    for (int i = fs->n_locals - 1; i >= 0; i--)
        if (strcmp(fs->locals[i].name, name) == 0)
            return &fs->locals[i];
    return NULL;
}

static ir_expr *parse_ident(abi_parser *p)
{
    ir_job *job = JOB(p);
    abi_tok t = p->tok;
    size_t start = t.start;
    char *name = abi_tok_text(p, t);
    if (abi_peek(p).kind == ABI_K_LPAREN)
        return parse_call(p, t);
    abi_next(p);
    if (!strcmp(name, "NULL"))
        return spanned(p, ir_lit_null(job), start);
    if (p->tok.kind == ABI_K_DOT) {
        abi_tok f = abi_peek(p);
        if (f.kind == ABI_K_STAR) {
            abi_next(p);
            abi_next(p);
            return hole(p, start, "record wildcard outside a rule");
        }
        if (f.kind != ABI_K_IDENT) {
            abi_error_at(p, f.start, "expected a field name after '.', found %s", abi_tok_desc(p, f));
            return NULL;
        }
        abi_next(p);
        char *field = abi_tok_text(p, p->tok);
        abi_next(p);
        const char *rec = param_name(p, name);
        if (rec) {
            ir_expr *e = p->xctx->resolve_field ? p->xctx->resolve_field(p->xctx->userdata, rec, field) : NULL;
            if (!e) {
                abi_error_at(p, start, "unknown field '%s.%s'", name, field);
                return NULL;
            }
            return spanned(p, e, start);
        }
        fnstate *fs = FN(p);
        if (fs && strcmp(name, fs->t->out) == 0) { /* an output field computed earlier */
            for (int i = fs->n_rules - 1; i >= 0; i--)
                if (fs->rules[i].field && !strcmp(fs->rules[i].field, field) && fs->rules[i].e)
                    return ir_expr_copy(job, fs->rules[i].e);
            return hole(p, start, "output field read before a rule assigns it");
        }
        return hole(p, start, "field of a local or global record");
    }
    local *l = find_local(p, name);
    if (l)
        return l->val ? ir_expr_copy(job, l->val) : spanned(p, ir_lit_null(job), start);
    const char *prm = FN(p) ? param_name(p, name) : NULL;
    ir_expr *pv = prm && p->xctx->resolve_param ? p->xctx->resolve_param(p->xctx->userdata, prm) : NULL;
    if (pv)
        return spanned(p, pv, start);
    return hole(p, start, "name not defined in this transform (a global, a constant or an include)");
}

static ir_expr *parse_if_expr(abi_parser *p)
{
    size_t start = p->tok.start;
    abi_next(p);
    if (!expect(p, ABI_K_LPAREN, "'(' after 'if'"))
        return NULL;
    ir_expr *c = parse_expr(p);
    if (!c || !expect(p, ABI_K_RPAREN, "')'"))
        return NULL;
    ir_expr *a = parse_expr(p);
    if (!a)
        return NULL;
    if (!abi_is_word(p, p->tok, "else")) {
        abi_error_at(p, p->tok.start, "expected 'else' in an if expression, found %s", abi_tok_desc(p, p->tok));
        return NULL;
    }
    abi_next(p);
    ir_expr *b = parse_expr(p);
    if (!b)
        return NULL;
    if (FN(p))
        FN(p)->approx_if = 1;
    return spanned(p, ir_call3(JOB(p), IR_FN_IF, c, a, b), start);
}

/* switch (e) case v [, v]: r [;] ... [default: r [;]] end   — shape [I] from the vim grammar */
static ir_expr *parse_switch(abi_parser *p)
{
    ir_job *job = JOB(p);
    size_t start = p->tok.start;
    int line = abi_line_of(p, start);
    abi_next(p);
    if (!expect(p, ABI_K_LPAREN, "'(' after 'switch'"))
        return NULL;
    ir_expr *x = parse_expr(p);
    if (!x || !expect(p, ABI_K_RPAREN, "')'"))
        return NULL;
    ir_expr **args = NULL;
    int n = 0, cap = 0;
    while (!abi_is_word(p, p->tok, "end")) {
        if (p->tok.kind == ABI_K_EOF) {
            abi_error_at(p, p->tok.start, "expected 'end' to close 'switch' at line %d", line);
            return NULL;
        }
        if (abi_is_word(p, p->tok, "default")) {
            abi_next(p);
            if (!expect(p, ABI_K_COLON, "':' after 'default'"))
                return NULL;
            ir_expr *r = parse_expr(p);
            if (!r)
                return NULL;
            abi_accept(p, ABI_K_SEMI);
            GROW(p, args, n, cap);
            args[n++] = r;
            continue;
        }
        if (!abi_is_word(p, p->tok, "case")) {
            abi_error_at(p, p->tok.start, "expected 'case', 'default' or 'end' in switch, found %s",
                         abi_tok_desc(p, p->tok));
            return NULL;
        }
        abi_next(p);
        ir_expr *cond = NULL;
        do {
            ir_expr *v = parse_expr(p);
            if (!v)
                return NULL;
            ir_expr *eq = ir_call2(job, IR_FN_EQ, ir_expr_copy(job, x), v);
            cond = cond ? ir_call2(job, IR_FN_OR, cond, eq) : eq;
        } while (abi_accept(p, ABI_K_COMMA));
        if (!expect(p, ABI_K_COLON, "':' after the case value"))
            return NULL;
        ir_expr *r = parse_expr(p);
        if (!r)
            return NULL;
        abi_accept(p, ABI_K_SEMI);
        GROW(p, args, n, cap);
        args[n++] = cond;
        GROW(p, args, n, cap);
        args[n++] = r;
    }
    abi_next(p);
    if (n < 2)
        return hole(p, start, "switch without cases");
    return spanned(p, ir_call(job, IR_FN_CASE, 0, n, args), start);
}

/* [vector a, b, ...] [C, §3.3] → array(a, b, ...): elements of one scalar type (a nested vector or
 * record literal keeps its hole). */
static ir_expr *parse_vector_literal(abi_parser *p)
{
    size_t start = p->tok.start;
    abi_next(p); /* [ */
    abi_next(p); /* vector */
    ir_expr **args = NULL;
    int n = parse_list(p, ABI_K_RBRACK, "',' or ']' in a vector literal", &args, NULL);
    if (n < 0)
        return NULL;
    for (int i = 0; i < n; i++)
        if (args[i]->type.kind == IR_TY_ARRAY)
            return hole(p, start, "vector of vectors: the IR's arrays do not nest");
    return spanned(p, ir_call(JOB(p), IR_FN_ARRAY_CONSTRUCT, 0, n, args), start);
}

static ir_expr *parse_primary(abi_parser *p)
{
    ir_job *job = JOB(p);
    abi_tok t = p->tok;
    switch (t.kind) {
    case ABI_K_NUMBER: {
        abi_next(p);
        char *s = abi_tok_text(p, t);
        if (t.is_double)
            return spanned(p, ir_lit(job, IR_LIT_DOUBLE, s), t.start);
        if (t.is_decimal)
            return spanned(p, ir_lit(job, IR_LIT_DECIMAL, s), t.start);
        if (strlen(s) > 18)
            return spanned(p, ir_lit(job, IR_LIT_DECIMAL, s), t.start);
        return spanned(p, ir_lit_int(job, strtoll(s, NULL, 10)), t.start);
    }
    case ABI_K_STRING:
        abi_next(p);
        return spanned(p, ir_lit_str(job, abi_unescape(p->a, p->text + t.start + 1, t.len - 2)), t.start);
    case ABI_K_PARAM: {
        abi_next(p);
        const char *s = p->text + t.start + 1;
        size_t n = t.len - 1;
        if (n >= 2 && s[0] == '{') {
            s++;
            n -= 2;
        }
        return spanned(p, ir_param_ref(job, ir_intern(job, arena_strndup(p->a, s, n))), t.start);
    }
    case ABI_K_LPAREN: {
        abi_next(p);
        if (abi_at_type(p) && !(p->tok.kind == ABI_K_IDENT && find_local(p, abi_tok_text(p, p->tok)))) {
            abi_type *ty = abi_parse_type(p);
            if (!ty || !expect(p, ABI_K_RPAREN, "')' after the cast's type"))
                return NULL;
            ir_expr *e = parse_expr(p); /* DML casts bind loosely in practice: (date("…")) now() - 1 */
            if (!e)
                return NULL;
            return make_cast(p, ty, e, t.start);
        }
        ir_expr *e = parse_expr(p);
        if (!e || !expect(p, ABI_K_RPAREN, "')'"))
            return NULL;
        return e;
    }
    case ABI_K_LBRACK:
        if (abi_is_word(p, abi_peek(p), "vector"))
            return parse_vector_literal(p);
        skip_group(p);
        return hole(p, t.start, "record literal: the IR has no record values");
    case ABI_K_IDENT:
        if (abi_is_word(p, t, "if"))
            return parse_if_expr(p);
        if (abi_is_word(p, t, "switch"))
            return parse_switch(p);
        return parse_ident(p);
    default:
        abi_error_at(p, t.start, "expected an expression, found %s", abi_tok_desc(p, t));
        return NULL;
    }
}

static ir_expr *parse_postfix(abi_parser *p)
{
    size_t start = p->tok.start;
    ir_expr *e = parse_primary(p);
    while (e && (p->tok.kind == ABI_K_DOT || p->tok.kind == ABI_K_LBRACK)) {
        if (p->tok.kind == ABI_K_LBRACK) {
            /* v[i] [C] → array_get(v, i): 0-based, as C's and as Normalize's index (the reference does
             * not state the base: [I]) */
            abi_next(p);
            ir_expr *i = parse_expr(p);
            if (!i || !expect(p, ABI_K_RBRACK, "']' after the index"))
                return NULL;
            if (e->kind == IR_EX_HOLE)
                e = hole(p, start, e->u.hole.reason);
            else if (e->type.kind != IR_TY_ARRAY)
                e = hole(p, start, "indexing a value that is not a vector");
            else
                e = spanned(p, ir_call2(JOB(p), IR_FN_ARRAY_GET, e, i), start);
            if (e->kind != IR_EX_HOLE && FN(p))
                FN(p)->vec_notes |= VN_INDEX;
        } else {
            abi_next(p);
            if (p->tok.kind != ABI_K_IDENT && p->tok.kind != ABI_K_STAR) {
                abi_error_at(p, p->tok.start, "expected a field name after '.'");
                return NULL;
            }
            abi_next(p);
            e = hole(p, start, e->kind == IR_EX_HOLE ? e->u.hole.reason : "field of a computed record");
        }
    }
    return e;
}

static ir_expr *parse_unary(abi_parser *p)
{
    size_t start = p->tok.start;
    if (++p->depth > ABI_MAX_DEPTH) {
        abi_error_at(p, start, "expression nested too deeply");
        p->depth--;
        return NULL;
    }
    ir_expr *r;
    if (p->tok.kind == ABI_K_NOT || abi_is_word(p, p->tok, "not")) {
        abi_next(p);
        ir_expr *e = parse_unary(p);
        r = e ? spanned(p, ir_call1(JOB(p), IR_FN_NOT, e), start) : NULL;
    } else if (p->tok.kind == ABI_K_MINUS) {
        abi_next(p);
        ir_expr *e = parse_unary(p);
        if (e && e->kind == IR_EX_LIT && (e->u.lit.kind == IR_LIT_INT || e->u.lit.kind == IR_LIT_DECIMAL ||
                                          e->u.lit.kind == IR_LIT_DOUBLE) && e->u.lit.text[0] != '-') {
            e->u.lit.text = arena_printf(JOB(p)->arena, "-%s", e->u.lit.text);
            e->span.line = 0;
            r = spanned(p, e, start);
        } else {
            r = e ? spanned(p, ir_call1(JOB(p), IR_FN_NEG, e), start) : NULL;
        }
    } else if (p->tok.kind == ABI_K_PLUS) {
        abi_next(p);
        r = parse_unary(p);
    } else {
        r = parse_postfix(p);
    }
    p->depth--;
    return r;
}

typedef struct binop {
    abi_tok_kind tok;
    const char *word; /* or a keyword operator */
    ir_fn fn;
} binop;

static int match_op(abi_parser *p, const binop *ops, int n)
{
    for (int i = 0; i < n; i++)
        if ((ops[i].word && abi_is_word(p, p->tok, ops[i].word)) || (!ops[i].word && p->tok.kind == ops[i].tok))
            return i;
    return -1;
}

static const binop mul_ops[] = {{ABI_K_STAR, NULL, IR_FN_MUL}, {ABI_K_SLASH, NULL, IR_FN_DIV},
                                {ABI_K_PERCENT, NULL, IR_FN_MOD}};
static const binop add_ops[] = {{ABI_K_PLUS, NULL, IR_FN_ADD}, {ABI_K_MINUS, NULL, IR_FN_SUB}};
static const binop rel_ops[] = {{ABI_K_LT, NULL, IR_FN_LT}, {ABI_K_LE, NULL, IR_FN_LE},
                                {ABI_K_GT, NULL, IR_FN_GT}, {ABI_K_GE, NULL, IR_FN_GE}};
static const binop eq_ops[] = {{ABI_K_EQ, NULL, IR_FN_EQ}, {ABI_K_NE, NULL, IR_FN_NE}};
static const binop and_ops[] = {{ABI_K_ANDAND, NULL, IR_FN_AND}, {0, "and", IR_FN_AND}};
static const binop or_ops[] = {{ABI_K_OROR, NULL, IR_FN_OR}, {0, "or", IR_FN_OR}};

static ir_expr *parse_level(abi_parser *p, int level);

static ir_expr *parse_level(abi_parser *p, int level)
{
    static const struct { const binop *ops; int n; } L[] = {
        {or_ops, 2}, {and_ops, 2}, {eq_ops, 2}, {rel_ops, 4}, {add_ops, 2}, {mul_ops, 3}};
    if (level >= 6)
        return parse_unary(p);
    size_t start = p->tok.start;
    ir_expr *a = parse_level(p, level + 1);
    while (a) {
        int i = match_op(p, L[level].ops, L[level].n);
        if (i < 0) {
            if (level == 3 && abi_is_word(p, p->tok, "member")) { /* x member v [C] → array_contains(v, x) */
                abi_next(p);
                ir_expr *v = parse_level(p, level + 1);
                if (!v)
                    return NULL;
                a = v->type.kind == IR_TY_ARRAY ? spanned(p, ir_call2(JOB(p), IR_FN_ARRAY_CONTAINS, v, a), start)
                                                : hole(p, start, "member of a value that is not a vector");
                continue;
            }
            if (level == 3 && p->tok.kind == ABI_K_NMATCH) {
                abi_next(p);
                if (!parse_level(p, level + 1))
                    return NULL;
                a = hole(p, start, "!~: its meaning is not publicly known");
                continue;
            }
            break;
        }
        abi_next(p);
        ir_expr *b = parse_level(p, level + 1);
        if (!b)
            return NULL;
        ir_fn fn = L[level].ops[i].fn;
        if (fn == IR_FN_ADD && (is_string(a) || is_string(b)))
            fn = IR_FN_CONCAT; /* + concatenates strings [C] */
        a = spanned(p, ir_call2(JOB(p), fn, a, b), start);
    }
    return a;
}

static ir_expr *parse_expr(abi_parser *p)
{
    size_t start = p->tok.start;
    if (++p->depth > ABI_MAX_DEPTH) {
        abi_error_at(p, start, "expression nested too deeply");
        p->depth--;
        return NULL;
    }
    ir_expr *c = parse_level(p, 0);
    if (c && p->tok.kind == ABI_K_QUESTION) {
        abi_next(p);
        ir_expr *a = parse_expr(p);
        if (a && expect(p, ABI_K_COLON, "':' in '?:'")) {
            ir_expr *b = parse_expr(p);
            c = b ? spanned(p, ir_call3(JOB(p), IR_FN_IF, c, a, b), start) : NULL;
            if (FN(p))
                FN(p)->approx_if = 1;
        } else {
            c = NULL;
        }
    }
    p->depth--;
    return c;
}

/* ---- statements ---- */

static void bind_local(abi_parser *p, const char *name, ir_expr *v)
{
    fnstate *fs = FN(p);
    local *l = find_local(p, name);
    if (!l) {
        GROW(p, fs->locals, fs->n_locals, fs->cap_locals);
        l = &fs->locals[fs->n_locals++];
        l->name = name;
    }
    l->val = v;
}

static void add_hole_stmt(abi_parser *p, size_t start)
{
    fnstate *fs = FN(p);
    abi_transform *t = fs->t;
    GROW(p, t->holes, t->n_holes, fs->cap_holes);
    t->holes[t->n_holes++] = abi_text_range(p, start, p->prev_end);
}

/* Skips one statement the reader does not translate (if/for/while/switch/blocks); locals it
 * assigns become holes so later uses do not pretend to know their value. */
static void skip_statement(abi_parser *p, int depth)
{
    if (depth > ABI_MAX_DEPTH) {
        abi_sync_definition(p);
        return;
    }
    if (abi_is_word(p, p->tok, "if") || abi_is_word(p, p->tok, "for") || abi_is_word(p, p->tok, "while")) {
        int is_if = abi_is_word(p, p->tok, "if");
        abi_next(p);
        if (p->tok.kind == ABI_K_LPAREN)
            skip_group(p);
        if (p->tok.kind == ABI_K_COLON) { /* for (…) : expr */
            while (p->tok.kind != ABI_K_SEMI && p->tok.kind != ABI_K_EOF)
                abi_next(p);
            abi_accept(p, ABI_K_SEMI);
            return;
        }
        skip_statement(p, depth + 1);
        if (is_if && abi_is_word(p, p->tok, "else")) {
            abi_next(p);
            skip_statement(p, depth + 1);
        }
        return;
    }
    if (abi_is_word(p, p->tok, "begin") || abi_is_word(p, p->tok, "switch")) {
        abi_next(p);
        while (!abi_is_word(p, p->tok, "end") && p->tok.kind != ABI_K_EOF)
            skip_statement(p, depth + 1);
        abi_next(p);
        if (abi_is_word(p, p->tok, "block")) { /* end block L */
            abi_next(p);
            if (p->tok.kind == ABI_K_IDENT)
                abi_next(p);
        }
        abi_accept(p, ABI_K_SEMI);
        return;
    }
    size_t start = p->tok.start;
    if (p->tok.kind == ABI_K_IDENT) {
        abi_tok n1 = abi_peek(p);
        char *name = abi_tok_text(p, p->tok);
        if ((n1.kind == ABI_K_ASSIGN || n1.kind == ABI_K_OPASSIGN) && find_local(p, name)) {
            while (p->tok.kind != ABI_K_SEMI && p->tok.kind != ABI_K_EOF)
                abi_next(p);
            bind_local(p, name, hole(p, start, "local assigned inside a statement the reader does not translate"));
        }
    }
    int d = 0;
    while (p->tok.kind != ABI_K_EOF) {
        if (p->tok.kind == ABI_K_LPAREN || p->tok.kind == ABI_K_LBRACK)
            d++;
        else if (p->tok.kind == ABI_K_RPAREN || p->tok.kind == ABI_K_RBRACK)
            d--;
        else if (d <= 0 && (p->tok.kind == ABI_K_SEMI || abi_is_word(p, p->tok, "end")))
            break;
        abi_next(p);
    }
    abi_accept(p, ABI_K_SEMI);
}

static void parse_let(abi_parser *p)
{
    abi_next(p); /* let */
    if (!(p->tok.kind == ABI_K_IDENT && (abi_peek(p).kind == ABI_K_ASSIGN || abi_peek(p).kind == ABI_K_SEMI))) {
        if (!abi_parse_type(p))
            return;
    }
    if (p->tok.kind != ABI_K_IDENT) {
        abi_error_at(p, p->tok.start, "expected a local variable name, found %s", abi_tok_desc(p, p->tok));
        return;
    }
    char *name = abi_tok_text(p, p->tok);
    abi_next(p);
    ir_expr *v = NULL;
    if (abi_accept(p, ABI_K_ASSIGN)) {
        v = parse_expr(p);
        if (!v)
            return;
    }
    bind_local(p, name, v);
    expect(p, ABI_K_SEMI, "';' after a let");
}

static void add_rule(abi_parser *p, rule r)
{
    fnstate *fs = FN(p);
    GROW(p, fs->rules, fs->n_rules, fs->cap_rules);
    fs->rules[fs->n_rules++] = r;
}

/* out.x :: e;  out.x :N: e;  out.* :: in.*;  out :: e; */
static int parse_rule(abi_parser *p)
{
    fnstate *fs = FN(p);
    size_t start = p->tok.start;
    rule r;
    memset(&r, 0, sizeof r);
    r.prio = INT_MAX;
    r.at = start;
    r.out = abi_tok_text(p, p->tok);
    abi_next(p);
    if (abi_accept(p, ABI_K_DOT)) {
        if (p->tok.kind == ABI_K_STAR)
            r.field = "*";
        else if (p->tok.kind == ABI_K_IDENT)
            r.field = abi_tok_text(p, p->tok);
        else {
            abi_error_at(p, p->tok.start, "expected an output field name, found %s", abi_tok_desc(p, p->tok));
            return 0;
        }
        abi_next(p);
    }
    if (p->tok.kind == ABI_K_COLON) { /* :N: */
        abi_next(p);
        char *num = p->tok.kind == ABI_K_NUMBER ? abi_tok_text(p, p->tok) : NULL;
        if (!num || p->tok.is_decimal || p->tok.is_double) {
            abi_error_at(p, p->tok.start, "expected a rule priority number, found %s", abi_tok_desc(p, p->tok));
            return 0;
        }
        r.prio = atoi(num);
        abi_next(p);
        if (!expect(p, ABI_K_COLON, "':' after the priority"))
            return 0;
    } else if (!expect(p, ABI_K_DCOLON, "'::'")) {
        return 0;
    }
    fs->approx_if = 0;
    fs->vec_notes = 0;
    if (r.field && !strcmp(r.field, "*")) {
        size_t es = p->tok.start;
        if (p->tok.kind == ABI_K_IDENT && abi_peek(p).kind == ABI_K_DOT && abi_peek2(p).kind == ABI_K_STAR) {
            r.wild_from = abi_tok_text(p, p->tok);
            abi_next(p);
            abi_next(p);
            abi_next(p);
        } else {
            ir_expr *e = parse_expr(p);
            if (!e)
                return 0;
            r.e = e->kind == IR_EX_HOLE ? e : hole(p, es, "wildcard from a computed record");
        }
    } else {
        r.e = parse_expr(p);
        if (!r.e)
            return 0;
    }
    r.approx_if = fs->approx_if;
    r.vec_notes = fs->vec_notes;
    if (!expect(p, ABI_K_SEMI, "';' after a rule"))
        return 0;
    r.text = abi_text_range(p, start, p->prev_end);
    add_rule(p, r);
    return 1;
}

static int cmp_prio(const void *a, const void *b)
{
    const rule *x = *(rule *const *)a, *y = *(rule *const *)b;
    return x->prio < y->prio ? -1 : x->prio > y->prio;
}

static int same_target(const rule *a, const rule *b)
{
    if (strcmp(a->out, b->out) != 0)
        return 0;
    if (!a->field || !b->field)
        return !a->field && !b->field;
    if (!strcmp(a->field, "*"))
        return 0; /* every wildcard stays its own entry */
    return !strcmp(a->field, b->field);
}

/* Rules for one output field, tried from the lowest priority up, the unnumbered last [C S21]:
 * a rule that fails (NULL into a non-nullable field, an error, an overflow) passes to the next.
 * Only the NULL case is expressible: coalesce for non-nullable outputs; for nullable outputs the
 * first rule's NULL is kept, so the first rule alone. Failures are noted, not modelled. */
/* A numbered wildcard `out.* :N: in.*;` is one more rule, of priority N, for every field of `out` that
 * has rules of its own and that `in` has: `out.* :1: in.*; out.x :2: e;` gives out.x in.x, else e
 * [C S7, S21]. (An unnumbered wildcard next to an unnumbered `out.x :: e;` is the usual idiom "copy
 * the rest": there out.x is e, as before.) */
static void expand_numbered_wildcards(abi_parser *p)
{
    fnstate *fs = FN(p);
    int n0 = fs->n_rules;
    for (int w = 0; w < n0; w++) {
        if (!fs->rules[w].wild_from || fs->rules[w].prio == INT_MAX || !p->xctx->resolve_field)
            continue;
        for (int i = 0; i < n0; i++) {
            rule *r = &fs->rules[i];
            if (!r->field || !strcmp(r->field, "*") || strcmp(r->out, fs->rules[w].out) != 0)
                continue;
            int seen = 0; /* once per field and wildcard; none when the field has a rule of that priority */
            for (int j = 0; j < fs->n_rules; j++)
                if (j != i && fs->rules[j].field && !strcmp(fs->rules[j].field, r->field) &&
                    !strcmp(fs->rules[j].out, r->out) && (j < i || fs->rules[j].prio == fs->rules[w].prio))
                    seen = 1;
            if (seen || r->prio == fs->rules[w].prio)
                continue;
            ir_expr *e = p->xctx->resolve_field(p->xctx->userdata, fs->rules[w].wild_from, r->field);
            if (!e)
                continue;
            rule x = fs->rules[w];
            x.field = r->field;
            x.wild_from = NULL;
            x.e = spanned(p, e, x.at);
            add_rule(p, x);
        }
    }
}

static void combine_rules(abi_parser *p)
{
    fnstate *fs = FN(p);
    abi_transform *t = fs->t;
    ir_job *job = JOB(p);
    expand_numbered_wildcards(p);
    int *done = arena_alloc(p->a, sizeof(int) * (size_t)(fs->n_rules + 1));
    memset(done, 0, sizeof(int) * (size_t)(fs->n_rules + 1));
    int cap = 0;
    for (int i = 0; i < fs->n_rules; i++) {
        if (done[i])
            continue;
        rule **grp = arena_alloc(p->a, sizeof(rule *) * (size_t)fs->n_rules);
        int n = 0;
        for (int j = i; j < fs->n_rules; j++)
            if (!done[j] && (j == i || same_target(&fs->rules[i], &fs->rules[j]))) {
                grp[n++] = &fs->rules[j];
                done[j] = 1;
            }
        qsort(grp, (size_t)n, sizeof *grp, cmp_prio);
        for (int k = 1; k < n; k++)
            if (grp[k]->prio == grp[k - 1]->prio) {
                int l1 = abi_line_of(p, grp[k - 1]->at);
                if (grp[k]->prio == INT_MAX)
                    abi_error_at(p, grp[k]->at, "a second rule without priority for %s.%s (first at line %d)",
                                 grp[k]->out, grp[k]->field ? grp[k]->field : "", l1);
                else
                    abi_error_at(p, grp[k]->at, "a second rule with priority %d for %s.%s (first at line %d)",
                                 grp[k]->prio, grp[k]->out, grp[k]->field ? grp[k]->field : "", l1);
            }
        GROW(p, t->rules, t->n_rules, cap);
        abi_out_rule *o = &t->rules[t->n_rules++];
        memset(o, 0, sizeof *o);
        o->out = grp[0]->out;
        o->field = grp[0]->field;
        o->wildcard_from = grp[0]->wild_from;
        o->n_rules = n;
        abi_line_col(p, grp[0]->at, &o->line, &o->col);
        strbuf leg = STRBUF_INIT, note = STRBUF_INIT;
        int any_if = 0;
        unsigned vec_notes = 0;
        for (int k = 0; k < n; k++) {
            if (k)
                sb_putc(&leg, '\n');
            sb_puts(&leg, grp[k]->text);
            any_if |= grp[k]->approx_if;
            vec_notes |= grp[k]->vec_notes;
        }
        o->legacy = arena_strdup(job->arena, sb_cstr(&leg));
        bool nullable = o->field && p->xctx->out_nullable &&
                        p->xctx->out_nullable(p->xctx->userdata, o->out, o->field);
        if (n == 1 || nullable) {
            o->expr = grp[0]->e;
            if (n > 1)
                sb_puts(&note, "prioritised rules on a nullable output: a NULL from the first rule is kept [C]; "
                               "a failure (error, overflow) falling to the next rule is not modelled");
        } else {
            ir_expr **args = arena_alloc(job->arena, sizeof(ir_expr *) * (size_t)n);
            for (int k = 0; k < n; k++)
                args[k] = grp[k]->e;
            o->expr = ir_call(job, IR_FN_COALESCE, 0, n, args);
            o->expr->span = args[0]->span;
            sb_puts(&note, "prioritised rules as coalesce: a NULL falls to the next rule [C]; a failure "
                           "(error, overflow) falling through is not modelled");
        }
        const ir_expr *last = o->expr && o->expr->kind == IR_EX_CALL && o->expr->u.call.fn == IR_FN_COALESCE && n > 1
                                  ? o->expr->u.call.args[o->expr->u.call.n_args - 1]
                                  : o->expr;
        if (!nullable && o->field && strcmp(o->field, "*") != 0 && last && last->kind == IR_EX_LIT &&
            last->u.lit.kind == IR_LIT_NULL) {
            if (note.len)
                sb_puts(&note, "; ");
            sb_puts(&note, "NULL into an output that cannot hold NULL fails the rule [C] and, with no rule left, "
                           "rejects the record [I]; the IR writes NULL");
        }
        if (any_if) {
            if (note.len)
                sb_puts(&note, "; ");
            sb_puts(&note, ABI_IF_NOTE);
        }
        for (int b = 0; b < 2; b++) {
            static const char *const vec_note[] = {ABI_ACCUM_NOTE, ABI_INDEX_NOTE};
            if (!(vec_notes & (1u << b)))
                continue;
            if (note.len)
                sb_puts(&note, "; ");
            sb_puts(&note, vec_note[b]);
        }
        o->note = note.len ? arena_strdup(job->arena, sb_cstr(&note)) : NULL;
        sb_free(&leg);
        sb_free(&note);
    }
}

static void parse_body(abi_parser *p, int begin_line)
{
    fnstate *fs = FN(p);
    while (!abi_is_word(p, p->tok, "end")) {
        abi_tok t = p->tok;
        if (t.kind == ABI_K_EOF ||
            (t.kind == ABI_K_IDENT && abi_peek(p).kind == ABI_K_DCOLON && abi_peek2(p).kind == ABI_K_IDENT)) {
            /* end of file, or the next function's `out :: name(` */
            abi_tok t2 = abi_peek2(p);
            abi_lexer save = p->lx;
            int is_fn = 0;
            if (t.kind != ABI_K_EOF) {
                size_t pe = p->prev_end;
                abi_next(p);
                abi_next(p);
                if (abi_peek(p).kind == ABI_K_LPAREN) { /* out :: name(...) = : a header, not a rule */
                    abi_next(p);
                    int errs0 = p->n_errors;
                    skip_group(p);
                    is_fn = p->tok.kind == ABI_K_ASSIGN;
                    p->n_errors = errs0;
                }
                p->lx = save;
                p->tok = t;
                p->prev_end = pe;
            }
            (void)t2;
            if (t.kind == ABI_K_EOF || is_fn) {
                abi_error_at(p, t.start, "expected 'end' to close 'begin' at line %d", begin_line);
                return;
            }
        }
        size_t start = t.start;
        int errs = p->n_errors;
        if (t.kind == ABI_K_SEMI) {
            abi_next(p);
        } else if (abi_is_word(p, t, "let")) {
            parse_let(p);
        } else if (t.kind == ABI_K_IDENT && !strcmp(abi_tok_text(p, t), fs->t->out) &&
                   (abi_peek(p).kind == ABI_K_DOT || abi_peek(p).kind == ABI_K_DCOLON ||
                    abi_peek(p).kind == ABI_K_COLON)) {
            parse_rule(p);
        } else if (t.kind == ABI_K_IDENT && (abi_peek(p).kind == ABI_K_ASSIGN) && find_local(p, abi_tok_text(p, t))) {
            char *name = abi_tok_text(p, t);
            abi_next(p);
            abi_next(p);
            ir_expr *v = parse_expr(p);
            if (v) {
                bind_local(p, name, v);
                expect(p, ABI_K_SEMI, "';' after an assignment");
            }
        } else if (abi_is_word(p, t, "if") || abi_is_word(p, t, "for") || abi_is_word(p, t, "while") ||
                   abi_is_word(p, t, "begin") || abi_is_word(p, t, "switch") || abi_is_word(p, t, "do")) {
            skip_statement(p, 0);
            add_hole_stmt(p, start);
        } else {
            skip_statement(p, 0);
            add_hole_stmt(p, start);
        }
        if (p->n_errors != errs) {
            /* go on with the next statement */
            while (p->tok.kind != ABI_K_SEMI && p->tok.kind != ABI_K_EOF && !abi_is_word(p, p->tok, "end"))
                abi_next(p);
            abi_accept(p, ABI_K_SEMI);
        }
        if (p->tok.start == start && p->tok.kind != ABI_K_EOF && !abi_is_word(p, p->tok, "end"))
            abi_next(p);
    }
    abi_next(p); /* end */
    abi_accept(p, ABI_K_SEMI);
}

void abi_xfr_global_let(abi_parser *p)
{
    /* top-level let/constant: skipped (uses become "name not defined" holes) */
    abi_sync_definition(p);
}

void abi_parse_function(abi_parser *p, const char *result_type, size_t start)
{
    abi_tok out_tok = p->tok;
    abi_next(p); /* out */
    abi_next(p); /* :: */
    if (p->tok.kind != ABI_K_IDENT || abi_peek(p).kind != ABI_K_LPAREN) {
        abi_error_at(p, p->tok.start, "expected a transform function name and '(', found %s",
                     abi_tok_desc(p, p->tok));
        abi_sync_definition(p);
        return;
    }
    p->dml->n_transforms++;
    abi_transform *t = arena_alloc(p->a, sizeof *t);
    memset(t, 0, sizeof *t);
    t->out = abi_tok_text(p, out_tok);
    t->name = abi_tok_text(p, p->tok);
    t->result_type = result_type;
    abi_line_col(p, start, &t->line, &t->col);
    abi_next(p);
    abi_next(p); /* ( */
    int cap = 0;
    while (p->tok.kind != ABI_K_RPAREN) {
        if (t->n_params && !expect(p, ABI_K_COMMA, "',' or ')'"))
            goto fail;
        if (!(p->tok.kind == ABI_K_IDENT && (abi_peek(p).kind == ABI_K_COMMA || abi_peek(p).kind == ABI_K_RPAREN))) {
            if (!abi_parse_type(p)) /* a typed parameter */
                goto fail;
        }
        if (p->tok.kind != ABI_K_IDENT) {
            abi_error_at(p, p->tok.start, "expected a parameter name, found %s", abi_tok_desc(p, p->tok));
            goto fail;
        }
        GROW(p, t->params, t->n_params, cap);
        t->params[t->n_params++] = abi_tok_text(p, p->tok);
        abi_next(p);
    }
    abi_next(p);
    if (!expect(p, ABI_K_ASSIGN, "'=' after the parameters"))
        goto fail;
    if (!p->xctx) { /* DML reader: the body is skipped */
        abi_sync_definition(p);
        return;
    }
    fnstate fs;
    memset(&fs, 0, sizeof fs);
    fs.t = t;
    void *saved = p->fn;
    p->fn = &fs;
    int errs = p->n_errors;
    if (abi_is_word(p, p->tok, "begin")) {
        int line = abi_line_of(p, p->tok.start);
        abi_next(p);
        parse_body(p, line);
    } else { /* out :: f(in) = expr; */
        rule r;
        memset(&r, 0, sizeof r);
        r.prio = INT_MAX;
        r.at = p->tok.start;
        r.out = t->out;
        r.e = parse_expr(p);
        if (r.e && expect(p, ABI_K_SEMI, "';'")) {
            r.text = abi_text_range(p, r.at, p->prev_end);
            add_rule(p, r);
        }
    }
    combine_rules(p);
    p->fn = saved;
    if (p->n_errors != errs) {
        p->xfr->n_failed++;
        return;
    }
    GROW(p, p->xfr->fns, p->xfr->n_fns, p->cap_fns);
    p->xfr->fns[p->xfr->n_fns++] = *t;
    return;
fail:
    if (p->xfr)
        p->xfr->n_failed++;
    abi_sync_definition(p);
}

int abi_parser_begin(abi_parser *p, arena *a, const char *path, const char *text, size_t len, diag_ctx *dc,
                     srcfile **own);

int abi_parse_xfr(abi_xfr **out, const abi_xfr_ctx *ctx, const char *path, const char *text, size_t len,
                  diag_ctx *dc)
{
    abi_parser p;
    srcfile *own;
    abi_parser_begin(&p, ctx->job->arena, path ? path : "<xfr>", text, len, dc, &own);
    p.xctx = ctx;
    p.xfr = arena_alloc(p.a, sizeof *p.xfr);
    memset(p.xfr, 0, sizeof *p.xfr);
    p.xfr->dml = p.dml;
    abi_parse_toplevel(&p);
    srcfile_free(own);
    *out = p.xfr;
    return p.n_errors ? -1 : 0;
}

ir_expr *abi_parse_expr(const abi_xfr_ctx *ctx, const char *path, const char *text, size_t len, diag_ctx *dc)
{
    abi_parser p;
    srcfile *own;
    abi_parser_begin(&p, ctx->job->arena, path ? path : "<expr>", text, len, dc, &own);
    p.xctx = ctx;
    ir_expr *e = parse_expr(&p);
    if (e && p.tok.kind != ABI_K_EOF) {
        abi_error_at(&p, p.tok.start, "unexpected %s after the expression", abi_tok_desc(&p, p.tok));
        e = NULL;
    }
    srcfile_free(own);
    return p.n_errors ? NULL : e;
}
