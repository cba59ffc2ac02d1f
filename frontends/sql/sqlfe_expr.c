/*
 * sqlfe_expr.c — SQL expressions into canonical IR expressions, with each dialect's semantics made
 * explicit as flags (docs/sql-frontend.md lists every mapping):
 *   NVL / ISNULL / IFNULL / COALESCE / ZEROIFNULL -> coalesce;  NVL2 -> if(not(is_null(a)), b, c);
 *   DECODE -> decode[null_matches_null];  IIF / IFF -> if;  CASE -> case (simple CASE as eq tests);
 *   Oracle '' -> NULL literal; Oracle || and CONCAT -> concat[null_as_empty, empty_is_null];
 *   ANSI/Snowflake/Teradata/DB2 || -> strict concat; T-SQL CONCAT -> concat of coalesce(x, '');
 *   Oracle SUBSTR/INSTR start rules -> pos_zero_is_one / neg_from_end;  T-SQL/Teradata/DB2/Netezza
 *   int / int -> div[int_division];  COUNT(DISTINCT x) -> count[distinct];  LIKE with a literal
 *   pattern -> regexp_like[full_match] on the equivalent regular expression;
 *   TO_DATE/TO_CHAR/CONVERT styles/Teradata FORMAT -> canonical date formats (ir/datefmt.h);
 *   TRY_CAST / Snowflake TRY_TO_NUMBER ... -> try_cast; COUNT_IF -> count_star with its filter.
 * The Snowflake and Spark dialects also read back what the backends write (tests/sql/test_roundtrip.c):
 * Spark date_add/datediff on DATEs, Java date patterns, try_divide, DIV, RLIKE, the emitters' guards
 * (agg(CASE WHEN c THEN v END) -> agg(v, c), CASE WHEN x < 0 THEN ceil ELSE floor -> trunc, ...).
 * What has no canonical form (window functions outside a SELECT's select list / QUALIFY, subqueries,
 * LIKE on a computed pattern, GREATEST, user functions ...) becomes a hole that keeps the SQL text.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "frontends/sql/sqlfe_internal.h"

/* ---- locations and messages ---- */

ir_span sqlfe_span_at(const lower_ctx *L, size_t off)
{
    ir_span sp = L->base;
    int line = sp.line > 0 ? sp.line : 1, col = sp.col != 0 ? sp.col : 1;
    if (off > L->len)
        off = L->len;
    /* the newlines of the text, found once (a long statement asks for thousands of spans, in no
     * particular order): then a binary search */
    lower_ctx *M = (lower_ctx *)L;
    if (M->nl_sql != L->sql || !M->nl_built) {
        int n = 0, cap = 0;
        size_t *v = NULL;
        for (size_t i = 0; i < L->len; i++)
            if (L->sql[i] == '\n')
                ARENA_PUSH(L->job->arena, v, n, cap, i);
        M->nl_offs = v;
        M->n_nl = n;
        M->nl_sql = L->sql;
        M->nl_built = 1;
    }
    int lo = 0, hi = M->n_nl; /* the number of newlines before off */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (M->nl_offs[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        col += (int)off;
    else
        col = (int)(off - M->nl_offs[lo - 1]);
    sp.line = line + lo;
    sp.col = col;
    return sp;
}

static void report(lower_ctx *L, diag_level lv, size_t off, const char *fmt, va_list ap)
{
    if (!L->dc)
        return;
    ir_span sp = sqlfe_span_at(L, off);
    diag_vat(L->dc, lv, L->info ? L->info->file : NULL, sp.file, sp.line, sp.col, fmt, ap);
}

void sqlfe_warn(lower_ctx *L, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(L, DIAG_WARNING, off, fmt, ap);
    va_end(ap);
}

void sqlfe_error(lower_ctx *L, size_t off, const char *fmt, ...)
{
    L->n_errors++;
    va_list ap;
    va_start(ap, fmt);
    report(L, DIAG_ERROR, off, fmt, ap);
    va_end(ap);
}

const char *sqlfe_node_text(lower_ctx *L, const sqlfe_ast *n)
{
    size_t e = n->end > L->len ? L->len : n->end;
    return arena_strndup(L->job->arena, L->sql + n->start, e > n->start ? e - n->start : 0);
}

static ir_expr *at(lower_ctx *L, ir_expr *e, const sqlfe_ast *n)
{
    if (e && e->span.line == 0)
        e->span = sqlfe_span_at(L, n->start);
    return e;
}

ir_expr *sqlfe_hole(lower_ctx *L, const sqlfe_ast *n, const char *reason)
{
    return at(L, ir_hole(L->job, sqlfe_node_text(L, n), reason), n);
}

static int oracle(const lower_ctx *L)
{
    return L->d == SQLFE_ORACLE;
}

/* ---- types ---- */

static int type_param(const sqlfe_ast *t, int i)
{
    if (i >= t->n_kids || t->kids[i]->kind != SQ_NUM)
        return 0;
    return atoi(t->kids[i]->text);
}

ir_type sqlfe_type(lower_ctx *L, const sqlfe_ast *t)
{
    const char *n = t->text ? t->text : "";
    if (strcasecmp(n, "ARRAY") == 0) {
        /* ARRAY<T>, ARRAY(T), T[]: an array of T (of arrays: no type). A bare ARRAY (Snowflake's
         * semi-structured one, of VARIANT values) names no element type. */
        if (t->n_kids != 1 || t->kids[0]->kind != SQ_TYPE)
            return ir_type_make(IR_TY_UNKNOWN, 0, 0);
        ir_type e = sqlfe_type(L, t->kids[0]);
        return e.kind == IR_TY_UNKNOWN ? e : ir_type_array(e);
    }
    static const struct {
        const char *name;
        ir_type_kind k;
    } names[] = {
        {"INT", IR_TY_INT}, {"INTEGER", IR_TY_INT}, {"SMALLINT", IR_TY_INT}, {"TINYINT", IR_TY_INT},
        {"BYTEINT", IR_TY_INT}, {"MEDIUMINT", IR_TY_INT}, {"INT4", IR_TY_INT}, {"INT2", IR_TY_INT},
        {"BIGINT", IR_TY_BIGINT}, {"INT8", IR_TY_BIGINT},
        {"DECIMAL", IR_TY_DECIMAL}, {"DEC", IR_TY_DECIMAL}, {"NUMERIC", IR_TY_DECIMAL}, {"NUMBER", IR_TY_DECIMAL},
        {"MONEY", IR_TY_DECIMAL}, {"SMALLMONEY", IR_TY_DECIMAL},
        {"FLOAT", IR_TY_DOUBLE}, {"REAL", IR_TY_DOUBLE}, {"DOUBLE", IR_TY_DOUBLE}, {"DOUBLE PRECISION", IR_TY_DOUBLE},
        {"BINARY_DOUBLE", IR_TY_DOUBLE}, {"BINARY_FLOAT", IR_TY_DOUBLE}, {"FLOAT8", IR_TY_DOUBLE}, {"FLOAT4", IR_TY_DOUBLE},
        {"CHAR", IR_TY_STRING}, {"CHARACTER", IR_TY_STRING}, {"VARCHAR", IR_TY_STRING}, {"VARCHAR2", IR_TY_STRING},
        {"NVARCHAR", IR_TY_STRING}, {"NVARCHAR2", IR_TY_STRING}, {"NCHAR", IR_TY_STRING}, {"TEXT", IR_TY_STRING},
        {"STRING", IR_TY_STRING}, {"CLOB", IR_TY_STRING}, {"NCLOB", IR_TY_STRING}, {"NTEXT", IR_TY_STRING},
        {"CHARACTER VARYING", IR_TY_STRING}, {"CHAR VARYING", IR_TY_STRING}, {"LONG VARCHAR", IR_TY_STRING},
        {"SYSNAME", IR_TY_STRING}, {"LONG", IR_TY_STRING}, {"GRAPHIC", IR_TY_STRING}, {"VARGRAPHIC", IR_TY_STRING},
        {"TIMESTAMP", IR_TY_TIMESTAMP}, {"DATETIME", IR_TY_TIMESTAMP}, {"DATETIME2", IR_TY_TIMESTAMP},
        {"SMALLDATETIME", IR_TY_TIMESTAMP}, {"TIMESTAMP_NTZ", IR_TY_TIMESTAMP}, {"TIMESTAMPNTZ", IR_TY_TIMESTAMP},
        {"TIMESTAMP_LTZ", IR_TY_TIMESTAMP},
        {"TIMESTAMP_TZ", IR_TY_TIMESTAMP}, {"DATETIMEOFFSET", IR_TY_TIMESTAMP},
        {"TIMESTAMPTZ", IR_TY_TIMESTAMP}, {"TIMESTAMPLTZ", IR_TY_TIMESTAMP}, /* Snowflake's, Postgres' aliases */
        {"DATE", IR_TY_DATE},
        {"BIT", IR_TY_BOOL}, {"BOOLEAN", IR_TY_BOOL}, {"BOOL", IR_TY_BOOL},
        {"BINARY", IR_TY_BINARY}, {"VARBINARY", IR_TY_BINARY}, {"BLOB", IR_TY_BINARY}, {"RAW", IR_TY_BINARY},
        {"BYTEA", IR_TY_BINARY}, {"IMAGE", IR_TY_BINARY}, {"BYTE", IR_TY_BINARY}, {"VARBYTE", IR_TY_BINARY},
    };
    ir_type_kind k = IR_TY_UNKNOWN;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(n, names[i].name) == 0) {
            k = names[i].k;
            break;
        }
    if (k == IR_TY_DATE && L->d == SQLFE_ORACLE)
        k = IR_TY_TIMESTAMP; /* an Oracle DATE holds a time of day */
    int p0 = type_param(t, 0), p1 = type_param(t, 1);
    switch (k) {
    case IR_TY_DECIMAL:
        if (t->n_kids == 0 && (L->d == SQLFE_SNOWFLAKE || L->d == SQLFE_SPARK))
            /* Snowflake's bare NUMBER/DECIMAL is NUMBER(38,0); Spark's bare DECIMAL is (10,0) */
            return ir_type_make(IR_TY_DECIMAL, L->d == SQLFE_SNOWFLAKE ? 38 : 10, 0);
        if (strcasecmp(n, "NUMBER") == 0 && t->n_kids == 0)
            return ir_type_make(IR_TY_DECIMAL, 0, 0); /* Oracle: a floating decimal */
        if (strcasecmp(n, "MONEY") == 0)
            return ir_type_make(IR_TY_DECIMAL, 19, 4);
        if (strcasecmp(n, "SMALLMONEY") == 0)
            return ir_type_make(IR_TY_DECIMAL, 10, 4);
        return ir_type_make(k, p0 ? p0 : (L->d == SQLFE_TSQL || L->d == SQLFE_TERADATA ? 18 : 0), p1);
    case IR_TY_STRING:
    case IR_TY_BINARY:
        return ir_type_make(k, p0, 0);
    case IR_TY_TIMESTAMP: {
        /* The IR's timestamp has no zone: a zone-aware legacy type is read as its local date and
         * time, which a reviewer must know (values from several zones no longer compare). */
        bool zoned = strcasecmp(n, "TIMESTAMP_TZ") == 0 || strcasecmp(n, "TIMESTAMP_LTZ") == 0 ||
                     strcasecmp(n, "TIMESTAMPTZ") == 0 || strcasecmp(n, "TIMESTAMPLTZ") == 0 ||
                     strcasecmp(n, "DATETIMEOFFSET") == 0;
        const char *phrase = "";
        for (int i = 0; i < t->n_kids; i++)
            if (t->kids[i]->kind == SQ_NAME && t->kids[i]->text && strstr(t->kids[i]->text, "TIME ZONE")) {
                zoned = true;
                phrase = t->kids[i]->text;
            }
        if (zoned)
            sqlfe_warn(L, t->start, "the time zone of %s%s%s is not kept: the IR timestamp has no zone", n,
                       *phrase ? " " : "", phrase);
        if (L->d == SQLFE_SNOWFLAKE && !(t->n_kids && t->kids[0]->kind == SQ_NUM))
            return ir_type_make(k, 9, 0); /* Snowflake's timestamps default to nanoseconds */
        return ir_type_make(k, t->n_kids && t->kids[0]->kind == SQ_NUM ? p0 : 0, 0);
    }
    default:
        return ir_type_make(k, 0, 0);
    }
}

/* ---- literal helpers ---- */

static int lit_int(const ir_expr *e, long long *out)
{
    if (!e || e->kind != IR_EX_LIT || e->u.lit.kind != IR_LIT_INT)
        return 0;
    errno = 0;
    *out = strtoll(e->u.lit.text, NULL, 10);
    return errno == 0;
}

static int is_str_lit(const ir_expr *e)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_STRING;
}

static ir_type_kind kind_of(const ir_expr *e)
{
    return e ? e->type.kind : IR_TY_UNKNOWN;
}

static int spark(const lower_ctx *L)
{
    return L->d == SQLFE_SPARK;
}

/* The flags of a comparison (=, <>, <, IN, BETWEEN, CASE x WHEN) of the operands ops (as written)
 * lowered to vals, when one of them is a string:
 * - T-SQL and Teradata compare strings blank-padded (so do Oracle CHARs, but Oracle VARCHAR2 does
 *   not, and the type is rarely known here: only T-SQL/Teradata get the flag);
 * - Teradata in a Teradata-mode session (the default of BTEQ and of the system) takes a literal and
 *   a column not declared CASESPECIFIC as NOT CASESPECIFIC, and compares case-blind unless an
 *   operand is CASESPECIFIC. Column declarations are not known here, so only an operand written
 *   with (CASESPECIFIC) makes the comparison case-specific (docs/sql-transpile.md). */
static uint32_t str_cmp_flags(const lower_ctx *L, const sqlfe_ast *const *ops, ir_expr *const *vals, int n)
{
    if (L->d != SQLFE_TSQL && L->d != SQLFE_TERADATA)
        return 0;
    int str = 0, cs = 0;
    for (int i = 0; i < n; i++) {
        str |= kind_of(vals[i]) == IR_TY_STRING;
        cs |= ops[i] && (ops[i]->flags & SQF_CASESPECIFIC);
    }
    if (!str)
        return 0;
    return IR_FL_BLANK_PADDED | (L->d == SQLFE_TERADATA && !L->td_ansi && !cs ? IR_FL_CASE_INSENSITIVE : 0);
}

static int is_call(const ir_expr *e, ir_fn fn, int n)
{
    return e && e->kind == IR_EX_CALL && e->u.call.fn == fn && e->u.call.n_args == n;
}

static int lit_is(const ir_expr *e, const char *text)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.text && strcmp(e->u.lit.text, text) == 0 &&
           e->u.lit.kind != IR_LIT_STRING;
}

/* A string literal's text, or NULL. */
static const char *str_lit(const ir_expr *e)
{
    return is_str_lit(e) ? e->u.lit.text : NULL;
}

static ir_expr *typed(ir_expr *e, ir_type_kind k, int p, int sc)
{
    e->type = ir_type_make(k, p, sc);
    return e;
}

static int valid_date_text(const char *s, int timestamp);

/* A Java pattern literal as the emitters write flags into it: a leading (?i) is case_insensitive,
 * ^(?:p)\z (with full) is full_match; returns the pattern without them. */
static ir_expr *java_pattern(lower_ctx *L, ir_expr *p, uint32_t *fl, int full)
{
    const char *t = str_lit(p);
    if (!t)
        return p;
    /* inline flags (?i) (?s) (?is) (?si): case-insensitive, dot matches a line break */
    size_t nf = t[0] == '(' && t[1] == '?' ? strspn(t + 2, "is") : 0;
    if (nf && nf <= 2 && t[2 + nf] == ')') {
        for (size_t i = 0; i < nf; i++)
            *fl |= t[2 + i] == 'i' ? IR_FL_CASE_INSENSITIVE : IR_FL_DOT_ALL;
        t += 3 + nf;
    }
    size_t k = strlen(t);
    if (full && k > 7 && strncmp(t, "^(?:", 4) == 0 && strcmp(t + k - 3, ")\\z") == 0) {
        *fl |= IR_FL_FULL_MATCH;
        return ir_lit_str(L->job, arena_strndup(L->job->arena, t + 4, k - 7));
    }
    return t == str_lit(p) ? p : ir_lit_str(L->job, t);
}



static int temporal(ir_type_kind k)
{
    return k == IR_TY_DATE || k == IR_TY_TIMESTAMP;
}

static int numeric(ir_type_kind k)
{
    return k == IR_TY_INT || k == IR_TY_BIGINT || k == IR_TY_DECIMAL || k == IR_TY_DOUBLE;
}

/* Text of a node that names something: an identifier or a string literal, upper case. */
static const char *word_of(lower_ctx *L, const sqlfe_ast *n)
{
    if (n->kind != SQ_NAME && n->kind != SQ_STR)
        return NULL;
    char *s = arena_strdup(L->job->arena, n->text);
    for (char *c = s; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    return s;
}

/* ---- dates ---- */

/* A date part name (DATEADD/DATEPART/EXTRACT/DATE_TRUNC part, Oracle TRUNC format) -> canonical. */
static const char *part_canonical(const char *w)
{
    static const struct {
        const char *w, *c;
    } parts[] = {
        {"YEAR", "year"}, {"YEARS", "year"}, {"YY", "year"}, {"YYYY", "year"}, {"Y", "year"}, {"YYY", "year"},
        {"SYYYY", "year"}, {"SYEAR", "year"}, {"RRRR", "year"}, {"RR", "year"},
        {"QUARTER", "quarter"}, {"QQ", "quarter"}, {"Q", "quarter"},
        {"MONTH", "month"}, {"MONTHS", "month"}, {"MM", "month"}, {"M", "month"}, {"MON", "month"},
        {"RM", "month"},
        {"WEEK", "week"}, {"WK", "week"}, {"WW", "week"}, {"IW", "week"}, {"WEEKS", "week"},
        {"DAY", "day"}, {"DAYS", "day"}, {"DD", "day"}, {"D", "day"}, {"DDD", "day"}, {"J", "day"},
        {"DAYOFMONTH", "day"}, {"YR", "year"}, {"YRS", "year"}, {"MONS", "month"}, {"QTR", "quarter"},
        {"QTRS", "quarter"}, {"QUARTERS", "quarter"}, {"HR", "hour"}, {"HRS", "hour"}, {"H", "hour"},
        {"MIN", "minute"}, {"MINS", "minute"}, {"SEC", "second"}, {"SECS", "second"}, {"MSEC", "millisecond"},
        {"MILLISECONDS", "millisecond"}, {"USEC", "microsecond"}, {"MICROSECONDS", "microsecond"},
        {"NSEC", "nanosecond"}, {"NANOSEC", "nanosecond"}, {"NANOSECONDS", "nanosecond"},
        {"HOUR", "hour"}, {"HOURS", "hour"}, {"HH", "hour"}, {"HH24", "hour"}, {"HH12", "hour"},
        {"MINUTE", "minute"}, {"MINUTES", "minute"}, {"MI", "minute"}, {"N", "minute"},
        {"SECOND", "second"}, {"SECONDS", "second"}, {"SS", "second"}, {"S", "second"},
        {"MILLISECOND", "millisecond"}, {"MS", "millisecond"}, {"MICROSECOND", "microsecond"},
        {"MCS", "microsecond"}, {"US", "microsecond"}, {"NANOSECOND", "nanosecond"}, {"NS", "nanosecond"},
    };
    if (!w)
        return NULL;
    while (*w == ' ')
        w++;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (strcasecmp(parts[i].w, w) == 0)
            return parts[i].c;
    return NULL;
}

/* Oracle / DB2 / Snowflake / Teradata date format model -> canonical. teradata: HH is 24-hour,
 * MMM is the month abbreviation, Y4 is YYYY. Returns NULL for what has no canonical meaning. */
static const char *datefmt(ir_job *job, const char *fmt, int teradata, int *fill_mode)
{
    static const struct {
        const char *w, *c;
    } toks[] = {
        {"YYYY", "YYYY"}, {"RRRR", "YYYY"}, {"SYYYY", "YYYY"}, {"Y4", "YYYY"}, {"YY", "YY"}, {"RR", "RR"},
        {"MONTH", "MONTH"}, {"MMMM", "MONTH"}, {"MON", "MON"}, {"MMM", "MON"}, {"MM", "MM"}, {"MI", "MI"},
        {"DDD", "DDD"}, {"DAY", "DAY"}, {"DD", "DD"}, {"DY", "DY"}, {"EEEE", "DAY"}, {"E4", "DAY"}, {"EEE", "DY"},
        {"HH24", "HH24"}, {"HH12", "HH12"}, {"HH", "HH12"},
        {"A.M.", "AM"}, {"P.M.", "AM"}, {"AM", "AM"}, {"PM", "AM"}, {"T", "AM"},
        {"SS", "SS"}, {"FF3", "FF3"}, {"FF6", "FF6"}, {"FF9", "FF9"}, {"FF", "FF6"}, {"S(3)", "FF3"},
        {"S(6)", "FF6"}, {"FF1", NULL}, {"FF2", NULL},
        {"SSSSS", NULL}, {"YYY", NULL}, {"Y", NULL}, {"D", NULL}, {"J", NULL}, {"Q", NULL}, {"W", NULL},
        {"WW", NULL}, {"IW", NULL}, {"IYYY", NULL}, {"TZH", NULL}, {"TZM", NULL}, {"TZR", NULL},
    };
    if (!fmt)
        return NULL;
    strbuf sb = STRBUF_INIT;
    const char *s = fmt, *result = NULL;
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
        if (strncasecmp(s, "FM", 2) == 0 || strncasecmp(s, "FX", 2) == 0) {
            if (fill_mode && (s[1] == 'M' || s[1] == 'm'))
                *fill_mode = 1;
            s += 2;
            continue;
        }
        size_t best = 0;
        const char *canon = NULL;
        for (size_t i = 0; i < sizeof toks / sizeof toks[0]; i++) {
            size_t n = strlen(toks[i].w);
            if (n > best && strncasecmp(s, toks[i].w, n) == 0) {
                /* T alone is a literal separator in ISO formats, not a meridian */
                if (strcmp(toks[i].w, "T") == 0 && !teradata)
                    continue;
                best = n;
                canon = toks[i].c;
            }
        }
        if (best == 1 && (*s == 'T' || *s == 't') && !teradata) {
            sb_putc(&sb, 'T');
            s++;
            continue;
        }
        if (best == 0 || !canon)
            goto done;
        if (teradata && strcmp(canon, "HH12") == 0 && best == 2)
            canon = "HH24";
        sb_puts(&sb, canon);
        s += best;
    }
    result = arena_strdup(job->arena, sb_cstr(&sb));
done:
    sb_free(&sb);
    return result;
}

const char *sqlfe_datefmt_to_canonical(ir_job *job, const char *fmt)
{
    return datefmt(job, fmt, 0, NULL);
}

const char *sqlfe_tsql_style_format(int style)
{
    static const struct {
        int style;
        const char *fmt;
    } styles[] = {
        {1, "MM/DD/YY"}, {101, "MM/DD/YYYY"}, {2, "YY.MM.DD"}, {102, "YYYY.MM.DD"}, {3, "DD/MM/YY"},
        {103, "DD/MM/YYYY"}, {4, "DD.MM.YY"}, {104, "DD.MM.YYYY"}, {5, "DD-MM-YY"}, {105, "DD-MM-YYYY"},
        {6, "DD MON YY"}, {106, "DD MON YYYY"}, {7, "MON DD, YY"}, {107, "MON DD, YYYY"}, {8, "HH24:MI:SS"},
        {108, "HH24:MI:SS"}, {10, "MM-DD-YY"}, {110, "MM-DD-YYYY"}, {11, "YY/MM/DD"}, {111, "YYYY/MM/DD"},
        {12, "YYMMDD"}, {112, "YYYYMMDD"}, {20, "YYYY-MM-DD HH24:MI:SS"}, {120, "YYYY-MM-DD HH24:MI:SS"},
        {21, "YYYY-MM-DD HH24:MI:SS.FF3"}, {121, "YYYY-MM-DD HH24:MI:SS.FF3"}, {23, "YYYY-MM-DD"},
        {126, "YYYY-MM-DDTHH24:MI:SS.FF3"}, {127, "YYYY-MM-DDTHH24:MI:SS.FF3"},
    };
    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++)
        if (styles[i].style == style)
            return styles[i].fmt;
    return NULL;
}

/* ---- calls ---- */

typedef struct call {
    const sqlfe_ast *n;  /* the SQ_FUNC node */
    const char *name;    /* upper case, without a schema */
    int argc;
    ir_expr **args;      /* lowered arguments (NULL for those a handler reads from the tree) */
} call;

static ir_expr *mk(lower_ctx *L, const call *c, ir_fn fn, uint32_t flags, int n, ir_expr **args)
{
    return at(L, ir_call(L->job, fn, flags, n, args), c->n);
}

static ir_expr *hole_call(lower_ctx *L, const call *c, const char *why)
{
    return sqlfe_hole(L, c->n, why);
}

static ir_expr *copy(lower_ctx *L, ir_expr *e)
{
    return ir_expr_copy(L->job, e);
}

static uint32_t oracle_str_flags(const lower_ctx *L)
{
    return oracle(L) ? IR_FL_EMPTY_IS_NULL : 0;
}

/* Oracle SUBSTR/INSTR start position: a literal says which rule applies; otherwise both flags. */
static uint32_t oracle_start_flags(lower_ctx *L, ir_expr **start)
{
    long long v;
    if (lit_int(*start, &v)) {
        if (v > 0)
            return 0;
        if (v == 0) {
            *start = ir_lit_int(L->job, 1);
            return 0;
        }
        return IR_FL_NEG_FROM_END;
    }
    if ((*start)->kind == IR_EX_CALL && (*start)->u.call.fn == IR_FN_NEG)
        return IR_FL_NEG_FROM_END;
    return IR_FL_POS_ZERO_IS_ONE | IR_FL_NEG_FROM_END;
}

static ir_expr *h_substr(lower_ctx *L, const call *c)
{
    if (c->argc < 2 || c->argc > 3)
        return hole_call(L, c, "SUBSTR with an unusual argument count");
    ir_expr *a[3] = {c->args[0], c->args[1], c->argc > 2 ? c->args[2] : NULL};
    uint32_t fl = 0;
    if (oracle(L) || L->d == SQLFE_SNOWFLAKE || spark(L)) {
        fl = oracle_start_flags(L, &a[1]) | oracle_str_flags(L);
    } else {
        /* ANSI/T-SQL/Teradata: positions before 1 count against the length */
        long long st, ln;
        if (lit_int(a[1], &st) && st < 1) {
            if (a[2] && lit_int(a[2], &ln)) {
                long long keep = ln - (1 - st);
                a[1] = ir_lit_int(L->job, 1);
                a[2] = ir_lit_int(L->job, keep > 0 ? keep : 0);
            } else if (!a[2]) {
                a[1] = ir_lit_int(L->job, 1);
            } else {
                return hole_call(L, c, "SUBSTRING with a start before 1 and a computed length");
            }
        }
    }
    return mk(L, c, IR_FN_SUBSTR, fl, c->argc, a);
}

/* instr(string, search, [start, [occurrence]]) from the dialect's argument order. */
static ir_expr *instr_call(lower_ctx *L, const call *c, ir_expr *str, ir_expr *sub, ir_expr *start, ir_expr *occ)
{
    ir_expr *a[4] = {str, sub, start, occ};
    int n = occ ? 4 : start ? 3 : 2;
    uint32_t fl = 0;
    if (start) {
        long long v;
        if (spark(L) && !(lit_int(a[2], &v) && v >= 1))
            return hole_call(L, c, "Spark LOCATE with a start that may be below 1 (gives 0)");
        if (oracle(L))
            fl = oracle_start_flags(L, &a[2]);
        else {
            long long v;
            if (!lit_int(a[2], &v))
                fl = IR_FL_POS_ZERO_IS_ONE; /* CHARINDEX/LOCATE: a start below 1 searches from 1 */
            else if (v < 1)
                a[2] = ir_lit_int(L->job, 1);
        }
    }
    return mk(L, c, IR_FN_INSTR, fl, n, a);
}

static ir_expr *h_instr(lower_ctx *L, const call *c)
{
    if (c->argc < 2 || c->argc > 4)
        return hole_call(L, c, "INSTR with an unusual argument count");
    return instr_call(L, c, c->args[0], c->args[1], c->argc > 2 ? c->args[2] : NULL, c->argc > 3 ? c->args[3] : NULL);
}

static ir_expr *h_charindex(lower_ctx *L, const call *c)
{
    /* CHARINDEX(sub, str [, start]) / LOCATE(sub, str [, start]) / POSITION(sub IN str) */
    if (c->argc < 2 || c->argc > 3)
        return hole_call(L, c, "CHARINDEX with an unusual argument count");
    return instr_call(L, c, c->args[1], c->args[0], c->argc > 2 ? c->args[2] : NULL, NULL);
}

static ir_expr *h_index(lower_ctx *L, const call *c)
{
    /* Teradata INDEX(str, sub), DB2 POSSTR(str, sub), STRPOS(str, sub) */
    if (c->argc != 2)
        return hole_call(L, c, "INDEX with an unusual argument count");
    return instr_call(L, c, c->args[0], c->args[1], NULL, NULL);
}

static ir_expr *h_coalesce(lower_ctx *L, const call *c)
{
    if (c->argc < 1)
        return hole_call(L, c, "COALESCE without arguments");
    return mk(L, c, IR_FN_COALESCE, 0, c->argc, c->args);
}

static ir_expr *h_isnull(lower_ctx *L, const call *c)
{
    if (c->argc == 1)
        return mk(L, c, IR_FN_IS_NULL, 0, 1, c->args);
    return h_coalesce(L, c);
}

static ir_expr *h_nvl2(lower_ctx *L, const call *c)
{
    if (c->argc != 3)
        return hole_call(L, c, "NVL2 needs three arguments");
    ir_expr *cond = ir_call1(L->job, IR_FN_NOT, ir_call1(L->job, IR_FN_IS_NULL, c->args[0]));
    ir_expr *a[3] = {at(L, cond, c->n), c->args[1], c->args[2]};
    return mk(L, c, IR_FN_IF, 0, 3, a);
}

static ir_expr *h_decode(lower_ctx *L, const call *c)
{
    if (c->argc < 3)
        return hole_call(L, c, "DECODE needs at least three arguments");
    return mk(L, c, IR_FN_DECODE, IR_FL_NULL_MATCHES_NULL, c->argc, c->args);
}

static ir_expr *h_iif(lower_ctx *L, const call *c)
{
    if (c->argc != 3)
        return hole_call(L, c, "IIF needs three arguments");
    return mk(L, c, IR_FN_IF, 0, 3, c->args);
}

static ir_expr *h_zeroifnull(lower_ctx *L, const call *c)
{
    if (c->argc != 1)
        return hole_call(L, c, "ZEROIFNULL needs one argument");
    ir_expr *a[2] = {c->args[0], ir_lit_int(L->job, 0)};
    return mk(L, c, IR_FN_COALESCE, 0, 2, a);
}

static ir_expr *h_nullifzero(lower_ctx *L, const call *c)
{
    if (c->argc != 1)
        return hole_call(L, c, "NULLIFZERO needs one argument");
    ir_expr *a[2] = {c->args[0], ir_lit_int(L->job, 0)};
    return mk(L, c, IR_FN_NULLIF, 0, 2, a);
}

static ir_expr *array_cat_chain(lower_ctx *L, const sqlfe_ast *n, int argc, ir_expr **args);

static ir_expr *h_concat(lower_ctx *L, const call *c)
{
    if (c->argc < 1)
        return hole_call(L, c, "CONCAT without arguments");
    for (int i = 0; i < c->argc; i++)
        if (kind_of(c->args[i]) == IR_TY_ARRAY)
            /* Spark concat(a, b, ..) of arrays: NULL when one is NULL */
            return spark(L) ? array_cat_chain(L, c->n, c->argc, c->args)
                            : hole_call(L, c, "CONCAT of arrays in this dialect");
    if (oracle(L))
        return mk(L, c, IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY | IR_FL_EMPTY_IS_NULL, c->argc, c->args);
    if (L->d == SQLFE_TSQL) {
        /* T-SQL CONCAT turns every NULL into '' (all NULL gives '') */
        ir_expr **a = arena_alloc(L->job->arena, (size_t)c->argc * sizeof *a);
        for (int i = 0; i < c->argc; i++)
            a[i] = ir_call2(L->job, IR_FN_COALESCE, c->args[i], ir_lit_str(L->job, ""));
        return mk(L, c, IR_FN_CONCAT, 0, c->argc, a);
    }
    return mk(L, c, IR_FN_CONCAT, 0, c->argc, c->args);
}

static ir_expr *fmt_lit(lower_ctx *L, ir_expr *e, int *fill)
{
    if (!is_str_lit(e))
        return NULL;
    const char *f = datefmt(L->job, e->u.lit.text, L->d == SQLFE_TERADATA, fill);
    return f ? ir_lit_str(L->job, f) : NULL;
}

/* A pattern of runs of one letter (Java DateTimeFormatter, .NET custom date formats) -> canonical:
 * each run must be one of toks (same letter, same length); '-/:., ' stand as they are and 'text'
 * in single quotes is literal text. NULL for anything else. */
typedef struct fmt_tok {
    const char *w, *c;
} fmt_tok;

static const char *runs_datefmt(ir_job *job, const char *fmt, const fmt_tok *toks, size_t n_toks)
{
    if (!fmt)
        return NULL;
    strbuf sb = STRBUF_INIT;
    const char *s = fmt, *result = NULL;
    while (*s) {
        if (*s == '\'') {
            const char *e = strchr(s + 1, '\'');
            if (!e || e == s + 1)
                goto done;
            if (e == s + 2 && s[1] == 'T')
                sb_putc(&sb, 'T');
            else {
                sb_putc(&sb, '"');
                sb_putn(&sb, s + 1, (size_t)(e - s - 1));
                sb_putc(&sb, '"');
            }
            s = e + 1;
            continue;
        }
        if (strchr("-/:., ", *s)) {
            sb_putc(&sb, *s++);
            continue;
        }
        size_t run = 1;
        while (s[run] == s[0])
            run++;
        const char *canon = NULL;
        for (size_t i = 0; i < n_toks; i++)
            if (strlen(toks[i].w) == run && strncmp(s, toks[i].w, run) == 0)
                canon = toks[i].c;
        if (!canon)
            goto done;
        sb_puts(&sb, canon);
        s += run;
    }
    result = arena_strdup(job->arena, sb_cstr(&sb));
done:
    sb_free(&sb);
    return result;
}

/* A Java DateTimeFormatter pattern (Spark's date_format, to_timestamp ...) -> canonical; NULL when
 * it holds something without a canonical meaning (one-letter fields, zones, week years ...). */
static const char *java_datefmt(ir_job *job, const char *fmt)
{
    static const fmt_tok toks[] = {
        {"yyyy", "YYYY"}, {"yy", "YY"}, {"MMMM", "MONTH"}, {"MMM", "MON"}, {"MM", "MM"}, {"dd", "DD"},
        {"DDD", "DDD"}, {"HH", "HH24"}, {"hh", "HH12"}, {"mm", "MI"}, {"ss", "SS"}, {"SSSSSSSSS", "FF9"},
        {"SSSSSS", "FF6"}, {"SSS", "FF3"}, {"a", "AM"}, {"EEEE", "DAY"}, {"EEE", "DY"}, {"EE", "DY"}, {"E", "DY"},
    };
    return runs_datefmt(job, fmt, toks, sizeof toks / sizeof toks[0]);
}

static ir_expr *h_spark_to_date(lower_ctx *L, const call *c)
{
    /* Spark to_timestamp(s [, fmt]) / to_date(s [, fmt]): a Java pattern; without one, a cast */
    int date = strcmp(c->name, "TO_DATE") == 0;
    if (c->argc == 1) {
        ir_expr *e = mk(L, c, IR_FN_CAST, 0, 1, c->args);
        return typed(e, date ? IR_TY_DATE : IR_TY_TIMESTAMP, 0, 0);
    }
    if (c->argc != 2 || !str_lit(c->args[1]))
        return hole_call(L, c, "TO_TIMESTAMP with a computed format");
    const char *f = java_datefmt(L->job, str_lit(c->args[1]));
    if (!f)
        return hole_call(L, c, "TO_TIMESTAMP with a pattern that has no canonical format");
    ir_expr *a[2] = {c->args[0], ir_lit_str(L->job, f)};
    ir_expr *e = mk(L, c, IR_FN_TO_DATE, 0, 2, a);
    return date ? typed(mk(L, c, IR_FN_CAST, 0, 1, &e), IR_TY_DATE, 0, 0) : e;
}

static ir_expr *h_date_format(lower_ctx *L, const call *c)
{
    /* Spark date_format(d, pattern) */
    if (c->argc != 2 || !str_lit(c->args[1]))
        return hole_call(L, c, "DATE_FORMAT with a computed pattern");
    const char *f = java_datefmt(L->job, str_lit(c->args[1]));
    if (!f)
        return hole_call(L, c, "DATE_FORMAT with a pattern that has no canonical format");
    ir_expr *a[2] = {c->args[0], ir_lit_str(L->job, f)};
    return mk(L, c, IR_FN_TO_CHAR, 0, 2, a);
}

/* Snowflake TO_DATE('YYYY-MM-DD') and TO_TIMESTAMP_NTZ('YYYY-MM-DD HH:MI:SS[.f]'): how the
 * Snowflake printer writes a DATE and a TIMESTAMP literal (AUTO reads ISO text so), read back as the
 * literal; NULL for anything else. */
static ir_expr *snow_date_lit(lower_ctx *L, const call *c)
{
    const char *t = str_lit(c->args[0]);
    int date = strcmp(c->name, "TO_DATE") == 0;
    if (!t || (!date && strcmp(c->name, "TO_TIMESTAMP_NTZ") != 0))
        return NULL;
    size_t n = strlen(t);
    if (date ? !valid_date_text(t, 0)
             : !(valid_date_text(t, 1) && n >= 19 && t[10] == ' ' &&
                 (n == 19 || (n > 20 && t[19] == '.' && strspn(t + 20, "0123456789") == n - 20)) &&
                 strspn(t + 11, "0123456789") == 2 && strspn(t + 14, "0123456789") == 2 &&
                 strspn(t + 17, "0123456789") == 2))
        return NULL;
    return at(L, ir_lit(L->job, date ? IR_LIT_DATE : IR_LIT_TIMESTAMP, t), c->n);
}

static ir_expr *h_to_date(lower_ctx *L, const call *c)
{
    if (spark(L))
        return h_spark_to_date(L, c);
    if (c->argc < 1 || c->argc > 3)
        return hole_call(L, c, "TO_DATE with an unusual argument count");
    if (c->argc == 3)
        return hole_call(L, c, "TO_DATE with NLS parameters");
    if (c->argc == 1 && L->d == SQLFE_SNOWFLAKE) {
        /* Snowflake TO_DATE / TO_TIMESTAMP(x) without a format: a date or timestamp converts, a
         * string is read by the session's input format (AUTO), as a cast reads it */
        ir_expr *x = c->args[0];
        ir_expr *lit = snow_date_lit(L, c);
        if (lit)
            return lit;
        return typed(mk(L, c, IR_FN_CAST, 0, 1, &x), strcmp(c->name, "TO_DATE") == 0 ? IR_TY_DATE : IR_TY_TIMESTAMP,
                     0, 0);
    }
    ir_expr *f;
    if (c->argc == 2) {
        f = fmt_lit(L, c->args[1], NULL);
        if (!f)
            return hole_call(L, c, "TO_DATE with a format that is not a literal or has no canonical form");
    } else {
        /* the session default: Oracle NLS_DATE_FORMAT 'DD-MON-RR'; elsewhere ISO */
        f = ir_lit_str(L->job, oracle(L) ? "DD-MON-RR" : strcmp(c->name, "TO_DATE") == 0 ? "YYYY-MM-DD"
                                                                                        : "YYYY-MM-DD HH24:MI:SS");
    }
    ir_expr *a[2] = {c->args[0], f};
    ir_expr *e = mk(L, c, IR_FN_TO_DATE, 0, 2, a);
    /* TO_DATE is a DATE (no time of day) everywhere but in Oracle, whose DATE holds one */
    if (strcmp(c->name, "TO_DATE") == 0 && !oracle(L))
        return typed(mk(L, c, IR_FN_CAST, 0, 1, &e), IR_TY_DATE, 0, 0);
    return e;
}

static int number_format(const char *f)
{
    for (const char *s = f; *s; s++)
        if (*s == '9' || *s == '0' || *s == '$' || *s == 'G' || *s == 'L')
            return 1;
    return 0;
}

static ir_expr *h_to_char(lower_ctx *L, const call *c)
{
    if (c->argc < 1 || c->argc > 3)
        return hole_call(L, c, "TO_CHAR with an unusual argument count");
    if (c->argc == 1 && L->d == SQLFE_SNOWFLAKE) {
        /* Snowflake TO_CHAR / TO_VARCHAR(x): x as text in the session's output formats, as x::VARCHAR */
        ir_expr *x = c->args[0];
        return typed(mk(L, c, IR_FN_CAST, 0, 1, &x), IR_TY_STRING, 0, 0);
    }
    if (c->argc == 1)
        return mk(L, c, IR_FN_TO_CHAR, 0, 1, c->args);
    if (c->argc == 3)
        return hole_call(L, c, "TO_CHAR with NLS parameters");
    if (!is_str_lit(c->args[1]) || number_format(c->args[1]->u.lit.text) || numeric(kind_of(c->args[0])))
        return hole_call(L, c, "TO_CHAR with a number format or a computed format");
    int fill = 0;
    ir_expr *f = fmt_lit(L, c->args[1], &fill);
    if (!f)
        return hole_call(L, c, "TO_CHAR with a date format that has no canonical form");
    if (fill)
        return hole_call(L, c, "TO_CHAR in fill mode (FM) has no canonical format");
    ir_expr *a[2] = {c->args[0], f};
    return mk(L, c, IR_FN_TO_CHAR, 0, 2, a);
}

/* A .NET custom date and time format (T-SQL FORMAT, culture en-US) -> canonical; NULL for what
 * has no canonical meaning: one-letter fields and standard formats, numbers (0 #), zones, 'g'. */
static const char *dotnet_datefmt(ir_job *job, const char *fmt)
{
    static const fmt_tok toks[] = {
        {"yyyy", "YYYY"}, {"yy", "YY"}, {"MMMM", "MONTH"}, {"MMM", "MON"}, {"MM", "MM"}, {"dddd", "DAY"},
        {"ddd", "DY"}, {"dd", "DD"}, {"HH", "HH24"}, {"hh", "HH12"}, {"mm", "MI"}, {"ss", "SS"},
        {"fff", "FF3"}, {"ffffff", "FF6"}, {"tt", "AM"},
    };
    if (!fmt || strlen(fmt) < 2) /* one letter: a standard format */
        return NULL;
    return runs_datefmt(job, fmt, toks, sizeof toks / sizeof toks[0]);
}

static ir_expr *h_tsql_format(lower_ctx *L, const call *c)
{
    /* T-SQL FORMAT(value, format): a date or time in a .NET custom format is to_char */
    if (c->argc != 2 || !str_lit(c->args[1]))
        return hole_call(L, c, "FORMAT with a culture or a computed format");
    if (numeric(kind_of(c->args[0])))
        return hole_call(L, c, "FORMAT of a number (.NET numeric formats)");
    const char *f = dotnet_datefmt(L->job, str_lit(c->args[1]));
    if (!f)
        return hole_call(L, c, "FORMAT with a format that has no canonical date format");
    ir_expr *a[2] = {c->args[0], ir_lit_str(L->job, f)};
    return mk(L, c, IR_FN_TO_CHAR, 0, 2, a);
}

/* A key of a JSON path step, as the canonical JSONPath writes it: .key for a name
 * ([A-Za-z_][A-Za-z0-9_]*), ['key'] for other text without quotes, backslashes or brackets; 0 when
 * the key is none of these (empty, or with such characters). */
static int json_key_step(strbuf *sb, const char *k, size_t len)
{
    if (len == 0)
        return 0;
    int name = isalpha((unsigned char)k[0]) || k[0] == '_';
    for (size_t i = 0; i < len; i++) {
        if (strchr("'\"\\[]", k[i]) || !k[i])
            return 0;
        if (!isalnum((unsigned char)k[i]) && k[i] != '_')
            name = 0;
    }
    sb_puts(sb, name ? "." : "['");
    sb_putn(sb, k, len);
    if (!name)
        sb_puts(sb, "']");
    return 1;
}

/* A JSON path -> canonical JSONPath ($ then .key, ['key'] and [n] steps: json_key_step); NULL when
 * it has other steps (wildcards, filters, keys with quotes). dollar: the path starts with $ (Spark's
 * JSONPath); otherwise it is Snowflake's, without it (a.b[1], [0].c, ["a b"], "a b".c). Keys may be
 * quoted in brackets, 'k' or "k". */
static const char *json_path_canon(ir_job *job, const char *p, int dollar)
{
    if (!p)
        return NULL;
    strbuf sb = STRBUF_INIT;
    const char *result = NULL;
    sb_putc(&sb, '$');
    if (dollar && *p++ != '$')
        goto done;
    int first = 1;
    while (*p) {
        if (p[0] == '[' && (p[1] == '\'' || p[1] == '"')) { /* ['key'], ["key"] */
            const char *e = strchr(p + 2, p[1]);
            if (!e || e[1] != ']' || !json_key_step(&sb, p + 2, (size_t)(e - p - 2)))
                goto done;
            p = e + 2;
        } else if (*p == '[') {
            const char *q = p + 1;
            while (isdigit((unsigned char)*q))
                q++;
            if (q == p + 1 || *q != ']')
                goto done;
            sb_putn(&sb, p, (size_t)(q + 1 - p));
            p = q + 1;
        } else if (!dollar && (*p == '"' || (p[0] == '.' && p[1] == '"'))) { /* Snowflake's "key" */
            if (*p == '"' && !first)
                goto done;
            p += *p == '.' ? 2 : 1;
            const char *e = strchr(p, '"');
            if (!e || !json_key_step(&sb, p, (size_t)(e - p)))
                goto done;
            p = e + 1;
        } else {
            if (*p == '.')
                p++;
            else if (dollar || !first)
                goto done;
            if (!isalpha((unsigned char)*p) && *p != '_')
                goto done;
            sb_putc(&sb, '.');
            while (isalnum((unsigned char)*p) || *p == '_')
                sb_putc(&sb, *p++);
        }
        first = 0;
    }
    if (sb.len > 1)
        result = arena_strdup(job->arena, sb_cstr(&sb));
done:
    sb_free(&sb);
    return result;
}

static ir_expr *h_json_path_text(lower_ctx *L, const call *c)
{
    /* Snowflake JSON_EXTRACT_PATH_TEXT(json, 'a.b[1]'), Spark GET_JSON_OBJECT(json, '$.a.b[1]') */
    if (c->argc != 2 || !str_lit(c->args[1]))
        return hole_call(L, c, "a JSON path that is not a literal");
    const char *p = json_path_canon(L->job, str_lit(c->args[1]), spark(L));
    if (!p)
        return hole_call(L, c, "a JSON path with wildcards, filters or keys with quotes");
    ir_expr *a[2] = {c->args[0], ir_lit_str(L->job, p)};
    return mk(L, c, IR_FN_JSON_GET_TEXT, 0, 2, a);
}

static ir_expr *h_json_extract(lower_ctx *L, const call *c)
{
    /* MySQL / Presto JSON_EXTRACT(json, '$.a.b[1]') (sqlglot's generic SQL too): the value as JSON */
    if (c->argc != 2 || !str_lit(c->args[1]))
        return hole_call(L, c, "JSON_EXTRACT with several paths or a computed one");
    const char *p = json_path_canon(L->job, str_lit(c->args[1]), 1);
    if (!p)
        return hole_call(L, c, "a JSON path with wildcards, filters or keys with quotes");
    ir_expr *a[2] = {c->args[0], ir_lit_str(L->job, p)};
    return mk(L, c, IR_FN_JSON_GET, 0, 2, a);
}

static ir_expr *h_json_path_keys(lower_ctx *L, const call *c)
{
    /* Postgres / Redshift JSON_EXTRACT_PATH_TEXT(json, key1, key2 ..): keys, one a step; Postgres'
     * JSON_EXTRACT_PATH: the value there as JSON */
    ir_fn fn = strcmp(c->name, "JSON_EXTRACT_PATH") == 0 ? IR_FN_JSON_GET : IR_FN_JSON_GET_TEXT;
    if (c->argc < 2)
        return hole_call(L, c, "JSON_EXTRACT_PATH_TEXT without a key");
    strbuf sb = STRBUF_INIT;
    sb_putc(&sb, '$');
    int ok = 1;
    for (int i = 1; i < c->argc && ok; i++) {
        const char *k = str_lit(c->args[i]);
        ok = k && json_key_step(&sb, k, strlen(k));
    }
    const char *p = ok ? arena_strdup(L->job->arena, sb_cstr(&sb)) : NULL;
    sb_free(&sb);
    if (!p)
        return hole_call(L, c, "JSON_EXTRACT_PATH_TEXT with a key that is computed or has quotes");
    ir_expr *a[2] = {c->args[0], ir_lit_str(L->job, p)};
    return mk(L, c, fn, 0, 2, a);
}

static ir_expr *h_json_arrow_text(lower_ctx *L, const call *c)
{
    /* Postgres json -> k1 -> .. ->> kn: the value at that path as text (-> .. -> kn: as JSON), each
     * k a field or an array element (from 0); the steps before the last are read here from the tree */
    const sqlfe_ast *keys[32], *root = c->n;
    int nk = 0;
    do {
        keys[nk++] = root->kids[1];
        root = root->kids[0];
    } while (nk < 32 && root->kind == SQ_FUNC && root->text && strcmp(root->text, "->") == 0 && root->n_kids == 2);
    strbuf sb = STRBUF_INIT;
    sb_putc(&sb, '$');
    int ok = c->argc == 2;
    for (int i = nk - 1; i >= 0 && ok; i--) {
        ir_expr *ke = sqlfe_expr(L, keys[i]);
        const char *k = str_lit(ke);
        long long n = -1;
        ok = k && json_key_step(&sb, k, strlen(k));
        if (!ok && (ok = lit_int(ke, &n) && n >= 0))
            sb_printf(&sb, "[%lld]", n);
    }
    const char *p = ok ? arena_strdup(L->job->arena, sb_cstr(&sb)) : NULL;
    sb_free(&sb);
    if (!p)
        return hole_call(L, c, "json -> or ->> a key that is computed or has quotes");
    ir_expr *j = nk > 1 ? sqlfe_expr(L, root) : c->args[0];
    if (!j)
        return NULL;
    ir_expr *a[2] = {j, ir_lit_str(L->job, p)};
    return mk(L, c, strcmp(c->name, "->") == 0 ? IR_FN_JSON_GET : IR_FN_JSON_GET_TEXT, 0, 2, a);
}


/* The steps of Snowflake's path after `:` as written (a.b, "a"."b", "a b"): element names are case
 * sensitive, quoted or not; a quoted name with quotes or brackets in it has no canonical step. */
static int json_colon_steps(strbuf *sb, const char *p)
{
    while (*p) {
        const char *k = p;
        size_t len;
        if (*p == '"') {
            k = ++p;
            while (*p && *p != '"')
                p++;
            if (*p != '"')
                return 0;
            len = (size_t)(p++ - k);
        } else {
            while (*p && *p != '.')
                p++;
            len = (size_t)(p - k);
        }
        if (!json_key_step(sb, k, len))
            return 0;
        if (*p == '.')
            p++;
        else if (*p)
            return 0;
    }
    return 1;
}

/* Snowflake's paths into a VARIANT: v:a.b, v:a[0].c, v:a:b, v['a'], GET_PATH(v, 'a.b'). Writes
 * the canonical JSONPath into sb and returns the tree the path starts from, or NULL when n is no
 * such path or has a step the canonical JSONPath does not hold (quoted keys with other characters,
 * wildcards, computed keys). A numeric subscript is a step only inside a path (a[0] of a column is
 * an array element). */
static const sqlfe_ast *json_path_of(lower_ctx *L, const sqlfe_ast *n, strbuf *sb)
{
    if (n->kind != SQ_FUNC || !n->text || n->n_kids != 2)
        return NULL;
    const sqlfe_ast *k = n->kids[1];
    if (strcasecmp(n->text, "GET_PATH") == 0) {
        const char *p = k->kind == SQ_STR ? json_path_canon(L->job, k->text, 0) : NULL;
        if (!p)
            return NULL;
        sb_puts(sb, p);
        return n->kids[0];
    }
    int colon = strcmp(n->text, ":") == 0, sub = strcmp(n->text, "[]") == 0, dot = strcmp(n->text, ".") == 0;
    if (!colon && !sub && !dot)
        return NULL;
    const sqlfe_ast *root = json_path_of(L, n->kids[0], sb);
    if (!root && (dot || (sub && k->kind != SQ_STR)))
        return NULL;
    if (!root) {
        root = n->kids[0];
        sb_putc(sb, '$');
    }
    if (colon)
        return k->kind == SQ_NAME && json_colon_steps(sb, sqlfe_node_text(L, k)) ? root : NULL;
    if (dot)
        return k->kind == SQ_NAME && k->text && json_key_step(sb, k->text, strlen(k->text)) ? root : NULL;
    if (k->kind == SQ_STR)
        return k->text && json_key_step(sb, k->text, strlen(k->text)) ? root : NULL;
    if (k->kind != SQ_NUM || !k->text || !*k->text || strspn(k->text, "0123456789") != strlen(k->text))
        return NULL;
    sb_printf(sb, "[%s]", k->text);
    return root;
}

/* Snowflake: a path into a VARIANT read as text (v:a.b::STRING, CAST(GET_PATH(v, 'a') AS VARCHAR))
 * is json_get_text of the VARIANT's JSON text: a string without its quotes, an object or array as
 * JSON text, NULL for JSON null or a missing element, as JSON_EXTRACT_PATH_TEXT gives. The path may
 * start at PARSE_JSON(t), which is t's JSON text. Returns NULL when val is no such path. */
static ir_expr *json_text_cast(lower_ctx *L, const sqlfe_ast *n, const sqlfe_ast *val)
{
    strbuf sb = STRBUF_INIT;
    const sqlfe_ast *root = json_path_of(L, val, &sb);
    ir_expr *e = NULL;
    if (!root || sb.len < 2)
        goto done;
    if (root->kind == SQ_FUNC && root->text && strcasecmp(root->text, "PARSE_JSON") == 0 && root->n_kids == 1)
        root = root->kids[0];
    ir_expr *j = sqlfe_expr(L, root);
    if (!j || (kind_of(j) != IR_TY_UNKNOWN && kind_of(j) != IR_TY_STRING))
        goto done;
    e = at(L, ir_call2(L->job, IR_FN_JSON_GET_TEXT, j, ir_lit_str(L->job, arena_strdup(L->job->arena, sb_cstr(&sb)))), n);
done:
    sb_free(&sb);
    return e;
}

static ir_expr *h_variant_path(lower_ctx *L, const call *c)
{
    if (spark(L))
        return hole_call(L, c, "Databricks' JSON path col:path is not Spark 3.5 SQL");
    /* a path into PARSE_JSON(t) with no cast: the value there as JSON, json_get of t */
    strbuf sb = STRBUF_INIT;
    const sqlfe_ast *root = json_path_of(L, c->n, &sb);
    ir_expr *e = NULL;
    if (root && sb.len >= 2 && root->kind == SQ_FUNC && root->text && strcasecmp(root->text, "PARSE_JSON") == 0 &&
        root->n_kids == 1) {
        ir_expr *j = sqlfe_expr(L, root->kids[0]);
        if (j && (kind_of(j) == IR_TY_UNKNOWN || kind_of(j) == IR_TY_STRING))
            e = at(L, ir_call2(L->job, IR_FN_JSON_GET, j, ir_lit_str(L->job, arena_strdup(L->job->arena, sb_cstr(&sb)))),
                   c->n);
    }
    sb_free(&sb);
    return e ? e : hole_call(L, c, "a VARIANT value has no canonical type: a path into it is read as text (cast to "
                                   "STRING or VARCHAR without a length), or as JSON from PARSE_JSON(text), with plain "
                                   "keys and indexes");
}

static ir_expr *h_day_month_name(lower_ctx *L, const call *c)
{
    /* Snowflake DAYNAME(d): the three-letter weekday (Mon..Sun); MONTHNAME(d): the three-letter
     * month (Jan..Dec) -- the canonical DY and MON formats */
    if (c->argc != 1)
        return hole_call(L, c, "DAYNAME/MONTHNAME take one argument");
    ir_expr *a[2] = {c->args[0], ir_lit_str(L->job, strcmp(c->name, "DAYNAME") == 0 ? "DY" : "MON")};
    return mk(L, c, IR_FN_TO_CHAR, 0, 2, a);
}

static ir_expr *h_to_number(lower_ctx *L, const call *c)
{
    if (c->argc != 1)
        return hole_call(L, c, "TO_NUMBER with a format");
    ir_expr *e = mk(L, c, IR_FN_CAST, 0, 1, c->args);
    e->type = ir_type_make(IR_TY_DECIMAL, 0, 0);
    return e;
}

static ir_expr *date_add(lower_ctx *L, const call *c, ir_expr *d, const char *part, ir_expr *n)
{
    ir_expr *a[3] = {d, ir_lit_str(L->job, part), n};
    return mk(L, c, IR_FN_DATE_ADD, 0, 3, a);
}

static ir_expr *h_add_months(lower_ctx *L, const call *c)
{
    if (c->argc != 2)
        return hole_call(L, c, "ADD_MONTHS needs two arguments");
    return date_add(L, c, c->args[0], "month", c->args[1]);
}

static ir_expr *h_months_between(lower_ctx *L, const call *c)
{
    /* Spark months_between(a, b [, roundOff TRUE]) rounds to 8 places unless roundOff is FALSE */
    int exact = c->argc == 3 && spark(L) && c->args[2]->kind == IR_EX_LIT && c->args[2]->u.lit.kind == IR_LIT_BOOL &&
                strcasecmp(c->args[2]->u.lit.text, "false") == 0;
    if (c->argc != 2 && !exact)
        return hole_call(L, c, "MONTHS_BETWEEN needs two arguments");
    ir_expr *a[3] = {c->args[0], c->args[1], ir_lit_str(L->job, "month")};
    ir_expr *e = mk(L, c, IR_FN_DATE_DIFF, 0, 3, a);
    if (spark(L) && !exact) {
        ir_expr *r[2] = {e, ir_lit_int(L->job, 8)};
        return mk(L, c, IR_FN_ROUND, 0, 2, r);
    }
    return e;
}

static ir_expr *h_now(lower_ctx *L, const call *c)
{
    if ((strcmp(c->name, "CURRENT_DATE") == 0 && !oracle(L)) || strcmp(c->name, "CURDATE") == 0)
        return mk(L, c, IR_FN_CURRENT_DATE, 0, 0, NULL);
    return mk(L, c, IR_FN_CURRENT_TIMESTAMP, 0, 0, NULL);
}

/* TRUNC / ROUND: a date with a format part, or a number with digits. */
static ir_expr *trunc_round(lower_ctx *L, const call *c, ir_fn num_fn, ir_fn date_fn)
{
    if (c->argc < 1 || c->argc > 2)
        return hole_call(L, c, "TRUNC/ROUND with an unusual argument count");
    ir_type_kind k = kind_of(c->args[0]);
    int is_date = temporal(k) || (c->argc == 2 && is_str_lit(c->args[1]));
    int is_num = numeric(k) || (c->argc == 2 && !is_str_lit(c->args[1]));
    if (!is_date && !is_num) {
        if (num_fn == IR_FN_TRUNC && oracle(L))
            return hole_call(L, c, "TRUNC of a value whose type is unknown (date or number)");
        is_num = 1;
    }
    if (is_num && !is_date)
        return mk(L, c, num_fn, 0, c->argc, c->args);
    const char *part = c->argc == 2 ? part_canonical(c->args[1]->u.lit.text) : "day";
    if (!part)
        return hole_call(L, c, "TRUNC/ROUND with a date format that has no canonical part");
    ir_expr *a[2] = {c->args[0], ir_lit_str(L->job, part)};
    return mk(L, c, date_fn, 0, 2, a);
}

static ir_expr *h_trunc(lower_ctx *L, const call *c)
{
    return trunc_round(L, c, IR_FN_TRUNC, IR_FN_DATE_TRUNC);
}

static ir_expr *h_round(lower_ctx *L, const call *c)
{
    return trunc_round(L, c, IR_FN_ROUND, IR_FN_DATE_ROUND);
}

static int tsql_day_of(const char *w);

/* The part argument of DATEADD/DATEDIFF/DATEPART/DATE_TRUNC (index i): a bare word or a string. */
static const char *part_arg(lower_ctx *L, const call *c, int i)
{
    if (i >= c->n->n_kids)
        return NULL;
    const char *w = word_of(L, c->n->kids[i]);
    /* Snowflake: M and MI are minutes, W weeks (T-SQL: M is months) */
    if (w && L->d == SQLFE_SNOWFLAKE && strcmp(w, "M") == 0)
        return "minute";
    /* T-SQL: Y is dayofyear and W weekday, not year and week; both are days only to DATEADD */
    if (w && L->d == SQLFE_TSQL && tsql_day_of(w))
        return NULL;
    return part_canonical(w);
}

/* T-SQL dayofyear / weekday and their abbreviations: DATEADD adds days for both (T-SQL DATEADD:
 * "dayofyear, day, and weekday return the same value"), DATEPART and DATEDIFF mean other things. */
static int tsql_day_of(const char *w)
{
    static const char *const names[] = {"DAYOFYEAR", "DY", "Y", "WEEKDAY", "DW", "W"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(w, names[i]) == 0)
            return 1;
    return 0;
}

static ir_expr *date_parts_lit(lower_ctx *L, long long y, long long m, long long d, long long sec, int time, int exact);

/* T-SQL reads a whole number n where a datetime is wanted as 1900-01-01 plus n days (the idiom
 * DATEADD(dd, DATEDIFF(dd, 0, d), 0) is the day of d): the DATETIME literal. */
static ir_expr *tsql_number_date(lower_ctx *L, ir_expr *e)
{
    long long n;
    if (L->d != SQLFE_TSQL || !lit_int(e, &n) || n < -53690 || n > 2958463) /* DATETIME's 1753..9999 */
        return e;
    ir_expr *lit = date_parts_lit(L, 1900, 1, 1 + n, 0, 1, 0);
    if (!lit)
        return e;
    lit->span = e->span;
    return lit;
}

static ir_expr *h_dateadd(lower_ctx *L, const call *c)
{
    if (c->argc != 3)
        return hole_call(L, c, "DATEADD needs three arguments");
    c->args[2] = tsql_number_date(L, c->args[2]);
    const char *part = part_arg(L, c, 0);
    const char *w = L->d == SQLFE_TSQL && c->n->n_kids > 0 ? word_of(L, c->n->kids[0]) : NULL;
    if (!part && w && tsql_day_of(w))
        part = "day";
    if (!part)
        return hole_call(L, c, "DATEADD with an unknown date part");
    return date_add(L, c, c->args[2], part, c->args[1]);
}

/* The weeks from a Sunday to x's day: floor(days since 1899-12-31, a Sunday, / 7). */
static ir_expr *sunday_weeks(lower_ctx *L, const call *c, ir_expr *x)
{
    ir_expr *day = ir_call2(L->job, IR_FN_DATE_TRUNC, x, ir_lit_str(L->job, "day"));
    ir_expr *days = ir_call3(L->job, IR_FN_DATE_DIFF, day, ir_lit(L->job, IR_LIT_DATE, "1899-12-31"),
                             ir_lit_str(L->job, "day"));
    ir_expr *w = ir_call2(L->job, IR_FN_DIV, days, ir_lit_int(L->job, 7));
    return mk(L, c, IR_FN_FLOOR, 0, 1, &w);
}

/* T-SQL DATEDIFF(week, a, b) counts the Sundays crossed from a to b, whatever SET DATEFIRST says
 * (T-SQL: "DATEDIFF always uses Sunday as the first day of the week"): the difference of the
 * weeks since a Sunday of both days, as a whole number. */
static ir_expr *tsql_week_diff(lower_ctx *L, const call *c)
{
    ir_expr *d = mk(L, c, IR_FN_SUB, 0, 2, (ir_expr *[]){sunday_weeks(L, c, c->args[2]), sunday_weeks(L, c, c->args[1])});
    ir_expr *cast = mk(L, c, IR_FN_CAST, 0, 1, &d);
    cast->type = ir_type_make(IR_TY_BIGINT, 0, 0);
    return cast;
}

/* ---- dates from their parts ---- */

static int month_days(long long y, long long m)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

static long long floor_div(long long a, long long b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The integer literal arguments first..first+n-1 of c into v; 0 when one is not an integer literal
 * or is far outside any calendar (|v| > 10^6, which also bounds date_parts_lit's steps). */
static int int_args(const call *c, int first, int n, long long *v)
{
    for (int i = 0; i < n; i++)
        if (first + i >= c->argc || !lit_int(c->args[first + i], &v[i]) || v[i] > 1000000 || v[i] < -1000000)
            return 0;
    return 1;
}

/* A DATE or TIMESTAMP literal for year y, month m, day d and the second of the day sec, carrying
 * what is out of range into the next larger part (Snowflake's *_FROM_PARTS: month 0 is the
 * previous December, day 0 the previous month's last day); NULL outside the years 1..9999.
 * exact: only parts in their ranges are accepted (T-SQL and Spark fail or give NULL otherwise). */
static ir_expr *date_parts_lit(lower_ctx *L, long long y, long long m, long long d, long long sec, int time, int exact)
{
    if (exact && (m < 1 || m > 12 || d < 1 || d > month_days(y, m) || sec < 0 || sec >= 86400))
        return NULL;
    d += floor_div(sec, 86400);
    sec -= floor_div(sec, 86400) * 86400;
    y += floor_div(m - 1, 12);
    m -= floor_div(m - 1, 12) * 12;
    while (d > month_days(y, m)) { /* at most |d| / 28 steps: the parts are bounded (int_args) */
        d -= month_days(y, m);
        if (++m > 12)
            m = 1, y++;
    }
    while (d < 1) {
        if (--m < 1)
            m = 12, y--;
        d += month_days(y, m);
    }
    if (y < 1 || y > 9999)
        return NULL;
    if (!time)
        return ir_lit(L->job, IR_LIT_DATE, arena_printf(L->job->arena, "%04lld-%02lld-%02lld", y, m, d));
    return ir_lit(L->job, IR_LIT_TIMESTAMP, arena_printf(L->job->arena, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld", y,
                                                         m, d, sec / 3600, sec / 60 % 60, sec % 60));
}

/* An argument that may stand for a whole number: an integer or of unknown type. */
static int whole_arg(const ir_expr *e)
{
    ir_type_kind k = kind_of(e);
    return k == IR_TY_UNKNOWN || k == IR_TY_INT || k == IR_TY_BIGINT;
}

/* 0, or a product with a factor 0 (T-SQL's milliseconds as nanoseconds: 0 * 1000000) */
static int is_zero(const ir_expr *e)
{
    long long v;
    if (is_call(e, IR_FN_MUL, 2))
        return is_zero(e->u.call.args[0]) || is_zero(e->u.call.args[1]);
    return lit_int(e, &v) && v == 0;
}

/* Snowflake DATE_FROM_PARTS(y, m, d) carries out-of-range months and days: the date m - 1 months
 * after January 1 of y, then d - 1 days on; TIMESTAMP_FROM_PARTS(y, m, d, h, mi, s [, 0]) then
 * adds the hours, minutes and seconds (carried too). Literal parts are folded into the literal. */
static ir_expr *h_sf_from_parts(lower_ctx *L, const call *c)
{
    int time = strcasecmp(c->name, "DATE_FROM_PARTS") != 0 && strcasecmp(c->name, "DATEFROMPARTS") != 0;
    int n = time ? 6 : 3;
    long long v[6];
    if (c->argc != n && !(time && c->argc == 7 && is_zero(c->args[6])))
        return hole_call(L, c, time ? "TIMESTAMP_FROM_PARTS with nanoseconds, a time zone, or of a date and a time"
                                    : "DATE_FROM_PARTS needs three arguments");
    if (int_args(c, 0, n, v)) {
        ir_expr *lit = date_parts_lit(L, v[0], v[1], v[2], time ? v[3] * 3600 + v[4] * 60 + v[5] : 0, time, 0);
        if (lit)
            return at(L, lit, c->n);
    }
    for (int i = 0; i < n; i++)
        if (!whole_arg(c->args[i]))
            return hole_call(L, c, "a date part that is not a whole number");
    /* months since 1970-01: (y - 1970) * 12 + (m - 1) */
    ir_expr *yrs = ir_call2(L->job, IR_FN_SUB, c->args[0], ir_lit_int(L->job, 1970));
    ir_expr *mon = ir_call2(L->job, IR_FN_ADD, ir_call2(L->job, IR_FN_MUL, yrs, ir_lit_int(L->job, 12)),
                            ir_call2(L->job, IR_FN_SUB, c->args[1], ir_lit_int(L->job, 1)));
    ir_expr *e = date_add(L, c, ir_lit(L->job, IR_LIT_DATE, "1970-01-01"), "month", mon);
    e = date_add(L, c, e, "day", ir_call2(L->job, IR_FN_SUB, c->args[2], ir_lit_int(L->job, 1)));
    if (!time)
        return e;
    e = mk(L, c, IR_FN_CAST, 0, 1, &e);
    e->type = ir_type_make(IR_TY_TIMESTAMP, 0, 0);
    static const char *const parts[] = {"hour", "minute", "second"};
    for (int i = 0; i < 3; i++)
        e = date_add(L, c, e, parts[i], c->args[3 + i]);
    return e;
}

/* T-SQL DATEFROMPARTS / DATETIMEFROMPARTS (milliseconds 0) and Spark MAKE_DATE / MAKE_TIMESTAMP
 * of literal parts in their ranges: the literal. Out of range T-SQL fails and Spark gives NULL (an
 * error in ANSI mode), so other arguments stay holes. */
static ir_expr *h_exact_from_parts(lower_ctx *L, const call *c)
{
    int time = strcasecmp(c->name, "DATEFROMPARTS") != 0 && strcasecmp(c->name, "MAKE_DATE") != 0;
    int n = time ? 6 : 3;
    long long v[6], ms = 0;
    int tsql_ms = L->d == SQLFE_TSQL && time;
    if (c->argc == n + tsql_ms && int_args(c, 0, n, v) && (!tsql_ms || (lit_int(c->args[6], &ms) && ms == 0)) &&
        (!time || (v[3] >= 0 && v[3] < 24 && v[4] >= 0 && v[4] < 60 && v[5] >= 0 && v[5] < 60)) &&
        !(tsql_ms && v[0] < 1753)) { /* T-SQL's DATETIME starts in 1753 */
        ir_expr *lit = date_parts_lit(L, v[0], v[1], v[2], time ? v[3] * 3600 + v[4] * 60 + v[5] : 0, time, 1);
        if (lit)
            return at(L, lit, c->n);
    }
    return hole_call(L, c, "a date from parts that are not literals in their ranges (out of range T-SQL fails, "
                           "Spark gives NULL, Snowflake carries)");
}

static ir_expr *h_datediff(lower_ctx *L, const call *c)
{
    /* T-SQL / Snowflake DATEDIFF(part, a, b) counts part boundaries crossed from a to b: the
     * difference of both truncated to the part */
    if (c->argc != 3)
        return hole_call(L, c, "DATEDIFF with an unusual argument count");
    c->args[1] = tsql_number_date(L, c->args[1]);
    c->args[2] = tsql_number_date(L, c->args[2]);
    const char *part = part_arg(L, c, 0);
    if (!part)
        return hole_call(L, c, "DATEDIFF with an unknown date part");
    if (strcmp(part, "week") == 0 && L->d == SQLFE_TSQL)
        return tsql_week_diff(L, c);
    if (strcmp(part, "week") == 0)
        return hole_call(L, c, "DATEDIFF in weeks depends on the first day of the week");
    ir_expr *p = ir_lit_str(L->job, part);
    ir_expr *b = ir_call2(L->job, IR_FN_DATE_TRUNC, c->args[2], p);
    ir_expr *a = ir_call2(L->job, IR_FN_DATE_TRUNC, c->args[1], copy(L, p));
    ir_expr *v[3] = {b, a, copy(L, p)};
    ir_expr *e = mk(L, c, IR_FN_DATE_DIFF, 0, 3, v);
    ir_expr *cast = mk(L, c, IR_FN_CAST, 0, 1, &e);
    cast->type = ir_type_make(IR_TY_BIGINT, 0, 0);
    return cast;
}

static ir_expr *h_datepart(lower_ctx *L, const call *c)
{
    /* DATEPART(part, d), DATE_PART('part', d) */
    if (c->argc != 2)
        return hole_call(L, c, "DATEPART needs two arguments");
    const char *part = part_arg(L, c, 0);
    if (!part || strcmp(part, "week") == 0)
        return hole_call(L, c, "DATEPART with a date part that has no canonical meaning");
    if (spark(L) && strcmp(part, "second") == 0)
        return hole_call(L, c, "Spark DATE_PART('SECOND') keeps the fraction of the second");
    ir_expr *a[2] = {c->args[1], ir_lit_str(L->job, part)};
    return mk(L, c, IR_FN_DATE_PART, 0, 2, a);
}

static ir_expr *h_date_trunc(lower_ctx *L, const call *c)
{
    /* DATE_TRUNC('part', d) (Snowflake, Netezza, Postgres) */
    if (c->argc != 2)
        return hole_call(L, c, "DATE_TRUNC needs two arguments");
    const char *part = part_arg(L, c, 0);
    if (!part)
        return hole_call(L, c, "DATE_TRUNC with an unknown date part");
    ir_expr *a[2] = {c->args[1], ir_lit_str(L->job, part)};
    return mk(L, c, IR_FN_DATE_TRUNC, 0, 2, a);
}

static ir_expr *h_part_fn(lower_ctx *L, const call *c)
{
    /* YEAR(d), MONTH(d), DAY(d), HOUR(d), MINUTE(d), SECOND(d) */
    if (c->argc != 1)
        return hole_call(L, c, "date part function with an unusual argument count");
    ir_expr *a[2] = {c->args[0], ir_lit_str(L->job, part_canonical(c->name))};
    return mk(L, c, IR_FN_DATE_PART, 0, 2, a);
}

static ir_expr *h_len(lower_ctx *L, const call *c)
{
    /* T-SQL LEN ignores trailing blanks */
    if (c->argc != 1)
        return hole_call(L, c, "LEN needs one argument");
    ir_expr *r = ir_call1(L->job, IR_FN_RTRIM, c->args[0]);
    return mk(L, c, IR_FN_LENGTH, 0, 1, &r);
}

/* T-SQL QUOTENAME(s [, q]): s between q and its closing partner, each closing character in s
 * doubled ('[a]]b]' for 'a]b'); NULL for a string longer than 128 characters (sysname) or for a
 * delimiter other than ' " [ ] ( ) < > { } ` */
static ir_expr *h_quotename(lower_ctx *L, const call *c)
{
    /* the delimiter given, then the opening and closing characters it stands for */
    static const char *const pairs[] = {"[[]", "][]", "'''", "\"\"\"", "(()", ")()", "<<>", "><>", "{{}", "}{}", "```"};
    if (c->argc < 1 || c->argc > 2)
        return hole_call(L, c, "QUOTENAME needs one or two arguments");
    const char *q = c->argc == 2 ? str_lit(c->args[1]) : "[";
    const char *pair = NULL;
    for (size_t i = 0; q && strlen(q) == 1 && i < sizeof pairs / sizeof *pairs; i++)
        if (pairs[i][0] == q[0])
            pair = pairs[i];
    if (!pair)
        return hole_call(L, c, "QUOTENAME with a computed or unknown delimiter");
    const char *open = arena_strndup(L->job->arena, pair + 1, 1), *close = arena_strndup(L->job->arena, pair + 2, 1);
    ir_expr *esc[3] = {c->args[0], ir_lit_str(L->job, close), ir_lit_str(L->job, arena_printf(L->job->arena, "%s%s", close, close))};
    ir_expr *cat[3] = {ir_lit_str(L->job, open), ir_call(L->job, IR_FN_REPLACE_STR, 0, 3, esc), ir_lit_str(L->job, close)};
    ir_expr *too_long = ir_call2(L->job, IR_FN_GT, ir_call1(L->job, IR_FN_LENGTH, copy(L, c->args[0])), ir_lit_int(L->job, 128));
    ir_expr *v[3] = {too_long, ir_lit_null(L->job), ir_call(L->job, IR_FN_CONCAT, 0, 3, cat)};
    return mk(L, c, IR_FN_IF, 0, 3, v);
}

static ir_expr *h_left(lower_ctx *L, const call *c)
{
    if (c->argc != 2)
        return hole_call(L, c, "LEFT needs two arguments");
    ir_expr *a[3] = {c->args[0], ir_lit_int(L->job, 1), c->args[1]};
    return mk(L, c, IR_FN_SUBSTR, 0, 3, a);
}

static ir_expr *h_replace(lower_ctx *L, const call *c)
{
    if (c->argc == 2) { /* Oracle REPLACE(s, old): removes */
        ir_expr *a[3] = {c->args[0], c->args[1], ir_lit_str(L->job, "")};
        return mk(L, c, IR_FN_REPLACE_STR, oracle_str_flags(L), 3, a);
    }
    if (c->argc != 3)
        return hole_call(L, c, "REPLACE with an unusual argument count");
    return mk(L, c, IR_FN_REPLACE_STR, oracle_str_flags(L), 3, c->args);
}

static ir_expr *h_regexp_substr(lower_ctx *L, const call *c)
{
    /* REGEXP_SUBSTR(s, p): the whole first match. Snowflake's REGEXP_SUBSTR(s, p, 1, 1, 'e', n) (or
     * parameters 'c'/'ce'; 'e' without n is group 1) is the n-th group of the first match. */
    if (c->argc >= 3 && c->argc <= 6 && L->d == SQLFE_SNOWFLAKE && lit_is(c->args[2], "1") &&
        (c->argc < 4 || lit_is(c->args[3], "1"))) {
        const char *params = c->argc > 4 ? str_lit(c->args[4]) : "c";
        long long g = 0;
        if (params && strspn(params, "ce") == strlen(params) && (c->argc < 6 || lit_int(c->args[5], &g))) {
            if (c->argc < 6)
                g = strchr(params, 'e') ? 1 : 0;
            ir_expr *a[3] = {c->args[0], c->args[1], ir_lit_int(L->job, g)};
            return mk(L, c, IR_FN_REGEXP_EXTRACT, 0, 3, a);
        }
    }
    if (c->argc != 2)
        return hole_call(L, c, "REGEXP_SUBSTR with position, occurrence or flags");
    ir_expr *a[3] = {c->args[0], c->args[1], ir_lit_int(L->job, 0)};
    return mk(L, c, IR_FN_REGEXP_EXTRACT, 0, 3, a);
}

static ir_expr *h_regexp_like(lower_ctx *L, const call *c)
{
    /* match parameters: 'c' (case-sensitive, the default) and 'i' (case-insensitive; the last one
     * wins), Snowflake 's' (. matches a line break); others ('m', 'x', 'n', 'e') change what the
     * pattern means and stay holes */
    uint32_t ci = 0;
    const char *params = c->argc == 3 ? str_lit(c->args[2]) : NULL;
    const char *allowed = L->d == SQLFE_SNOWFLAKE ? "cis" : "ci";
    if (params && strspn(params, allowed) == strlen(params)) {
        const char *last = strrchr(params, 'i');
        ci = last && !strchr(last, 'c') ? IR_FL_CASE_INSENSITIVE : 0;
        if (strchr(params, 's'))
            ci |= IR_FL_DOT_ALL;
    } else if (c->argc != 2) {
        return hole_call(L, c, "REGEXP_LIKE with match flags");
    }
    uint32_t fl = (L->d == SQLFE_SNOWFLAKE ? IR_FL_FULL_MATCH : 0) | ci;
    ir_expr *a[2] = {c->args[0], c->args[1]};
    if (spark(L))
        a[1] = java_pattern(L, a[1], &fl, 1);
    return mk(L, c, IR_FN_REGEXP_LIKE, fl, 2, a);
}

static ir_expr *h_log(lower_ctx *L, const call *c)
{
    if (c->argc == 2 && (oracle(L) || L->d == SQLFE_SNOWFLAKE || spark(L) || L->d == SQLFE_ANSI))
        return mk(L, c, IR_FN_LOG, 0, 2, c->args); /* Oracle, Snowflake, Spark, Postgres LOG(base, x) */
    if (c->argc == 1 && spark(L))
        return mk(L, c, IR_FN_LN, 0, 1, c->args); /* Spark log(x) is natural */
    if (c->argc == 2 && L->d == SQLFE_TSQL) {
        ir_expr *a[2] = {c->args[1], c->args[0]}; /* T-SQL LOG(x, base) */
        return mk(L, c, IR_FN_LOG, 0, 2, a);
    }
    if (c->argc == 1 && (L->d == SQLFE_TSQL || L->d == SQLFE_SNOWFLAKE || L->d == SQLFE_DB2))
        return mk(L, c, IR_FN_LN, 0, 1, c->args);
    if (c->argc == 1) { /* Teradata, Netezza, Postgres: LOG is base 10 */
        ir_expr *a[2] = {ir_lit_int(L->job, 10), c->args[0]};
        return mk(L, c, IR_FN_LOG, 0, 2, a);
    }
    return hole_call(L, c, "LOG with an unusual argument count");
}

static ir_expr *h_log10(lower_ctx *L, const call *c)
{
    if (c->argc != 1)
        return hole_call(L, c, "LOG10 needs one argument");
    ir_expr *a[2] = {ir_lit_int(L->job, 10), c->args[0]};
    return mk(L, c, IR_FN_LOG, 0, 2, a);
}

static ir_expr *h_last_day_date(lower_ctx *L, const call *c)
{
    /* Snowflake, Spark, Teradata LAST_DAY(d): a DATE, the time of day dropped. Said where d is
     * known to be a timestamp (a column's type is not known here: taken as a date). Snowflake's
     * LAST_DAY(d, 'year' | 'quarter' | 'month'): the last day of that part, the last day of the
     * part's final month (its WEEK depends on the session's WEEK_START: a hole) */
    const char *part = c->argc == 2 && L->d == SQLFE_SNOWFLAKE ? part_canonical(str_lit(c->args[1])) : NULL;
    int months = !part ? -1 : !strcmp(part, "year") ? 11 : !strcmp(part, "quarter") ? 2 : !strcmp(part, "month") ? 0 : -1;
    if (c->argc != 1 && months < 0)
        return hole_call(L, c, "LAST_DAY of a week, or with a part that is not a literal");
    ir_expr *d = c->args[0];
    if (kind_of(d) == IR_TY_TIMESTAMP || kind_of(d) == IR_TY_STRING || (months > 0 && kind_of(d) != IR_TY_DATE))
        d = typed(mk(L, c, IR_FN_CAST, 0, 1, &d), IR_TY_DATE, 0, 0);
    if (months > 0) {
        ir_expr *t[2] = {d, ir_lit_str(L->job, part)};
        ir_expr *a[3] = {mk(L, c, IR_FN_DATE_TRUNC, 0, 2, t), ir_lit_str(L->job, "month"), ir_lit_int(L->job, months)};
        d = mk(L, c, IR_FN_DATE_ADD, 0, 3, a);
    }
    return mk(L, c, IR_FN_LAST_DAY, 0, 1, &d);
}

static ir_expr *h_eomonth(lower_ctx *L, const call *c)
{
    /* T-SQL EOMONTH(d [, months]): the last day of d's month (months later), a DATE */
    if (c->argc < 1 || c->argc > 2)
        return hole_call(L, c, "EOMONTH with an unusual argument count");
    ir_expr *d = c->args[0];
    if (kind_of(d) != IR_TY_DATE)
        d = typed(mk(L, c, IR_FN_CAST, 0, 1, &d), IR_TY_DATE, 0, 0);
    if (c->argc == 2) {
        ir_expr *a[3] = {d, ir_lit_str(L->job, "month"), c->args[1]};
        d = mk(L, c, IR_FN_DATE_ADD, 0, 3, a);
    }
    return mk(L, c, IR_FN_LAST_DAY, 0, 1, &d);
}

/* Spark date functions take a DATE: a timestamp or a string argument is cast first. */
static ir_expr *spark_date_arg(lower_ctx *L, const call *c, ir_expr *x)
{
    if (kind_of(x) == IR_TY_DATE)
        return x;
    return typed(mk(L, c, IR_FN_CAST, 0, 1, &x), IR_TY_DATE, 0, 0);
}

static ir_expr *h_spark_date_add(lower_ctx *L, const call *c)
{
    /* Spark date_add(d, n) / date_sub(d, n): days, on the DATE of d (the time of day is dropped) */
    if (c->argc != 2)
        return hole_call(L, c, "DATE_ADD with an unusual argument count");
    ir_expr *n = c->args[1];
    if (strcmp(c->name, "DATE_SUB") == 0) {
        long long v;
        n = lit_int(n, &v) ? ir_lit_int(L->job, -v) : ir_call1(L->job, IR_FN_NEG, n);
    }
    return date_add(L, c, spark_date_arg(L, c, c->args[0]), "day", n);
}

static ir_expr *days_between(lower_ctx *L, const call *c, ir_expr *end, ir_expr *start)
{
    /* the number of day boundaries from start to end: as T-SQL DATEDIFF(day, start, end) reads */
    ir_expr *p = ir_lit_str(L->job, "day");
    ir_expr *v[3] = {ir_call2(L->job, IR_FN_DATE_TRUNC, end, p), ir_call2(L->job, IR_FN_DATE_TRUNC, start, copy(L, p)),
                     copy(L, p)};
    ir_expr *e = mk(L, c, IR_FN_DATE_DIFF, 0, 3, v);
    return typed(mk(L, c, IR_FN_CAST, 0, 1, &e), IR_TY_BIGINT, 0, 0);
}

static ir_expr *h_spark_datediff(lower_ctx *L, const call *c)
{
    /* Spark datediff(end, start): days from start to end, both as DATEs. The three-argument form
     * (datediff(unit, start, end) = timestampdiff) counts whole units elapsed, not boundaries. */
    if (c->argc != 2)
        return hole_call(L, c, "Spark DATEDIFF/TIMESTAMPDIFF with a unit counts whole units elapsed; no canonical form");
    return days_between(L, c, c->args[0], c->args[1]);
}

static ir_expr *h_try_divide(lower_ctx *L, const call *c)
{
    /* Spark try_divide(a, b): NULL when b is 0 */
    if (c->argc != 2)
        return hole_call(L, c, "TRY_DIVIDE needs two arguments");
    ir_expr *b = c->args[1];
    if (!is_call(b, IR_FN_NULLIF, 2) || !lit_is(b->u.call.args[1], "0"))
        b = ir_call2(L->job, IR_FN_NULLIF, b, ir_lit_int(L->job, 0));
    ir_expr *a[2] = {c->args[0], b};
    return mk(L, c, IR_FN_DIV, 0, 2, a);
}

static ir_expr *h_sign(lower_ctx *L, const call *c)
{
    /* SIGN / Spark SIGNUM: -1, 0 or 1 (Spark gives them as DOUBLE: the same values) */
    if (c->argc != 1)
        return hole_call(L, c, "SIGN needs one argument");
    return mk(L, c, IR_FN_SIGN, 0, 1, c->args);
}

static ir_expr *h_log2(lower_ctx *L, const call *c)
{
    if (c->argc != 1)
        return hole_call(L, c, "LOG2 needs one argument");
    ir_expr *a[2] = {ir_lit_int(L->job, 2), c->args[0]};
    return mk(L, c, IR_FN_LOG, 0, 2, a);
}

static ir_expr *h_square(lower_ctx *L, const call *c)
{
    /* SQUARE(x) = x raised to 2 (a float in T-SQL, as power) */
    if (c->argc != 1)
        return hole_call(L, c, "SQUARE needs one argument");
    ir_expr *a[2] = {c->args[0], ir_lit_int(L->job, 2)};
    return mk(L, c, IR_FN_POWER, 0, 2, a);
}

static ir_expr *h_translate(lower_ctx *L, const call *c)
{
    /* TRANSLATE(s, from, to). With to '' every character of from is removed, and with to one
     * character repeated for each of from every one becomes it: both are replace_chars. */
    if (c->argc != 3)
        return hole_call(L, c, "TRANSLATE needs three arguments");
    const char *from = str_lit(c->args[1]), *to = str_lit(c->args[2]);
    if (from && to && *from) {
        size_t nf = strlen(from), nt = strlen(to);
        int same = nt == nf && strspn(to, (char[]){to[0], 0}) == nt && ((unsigned char)to[0] < 0x80);
        int ascii = 1;
        for (const char *s = from; *s; s++)
            ascii &= (unsigned char)*s < 0x80;
        if (ascii && (nt == 0 || same)) {
            ir_expr *a[3] = {c->args[0], c->args[1], nt ? ir_lit_str(L->job, arena_strndup(L->job->arena, to, 1)) : c->args[2]};
            return mk(L, c, IR_FN_REPLACE_CHARS, 0, 3, a);
        }
    }
    return mk(L, c, IR_FN_TRANSLATE, 0, 3, c->args);
}

static ir_expr *h_regexp_instr(lower_ctx *L, const call *c)
{
    /* REGEXP_INSTR(s, p [, position 1 [, occurrence 1 [, option 0]]]); Spark's third argument is the
     * group (0: the whole match) */
    if (c->argc < 2 || c->argc > 6)
        return hole_call(L, c, "REGEXP_INSTR with an unusual argument count");
    for (int i = 2; i < c->argc && i < 5; i++) {
        const char *want = spark(L) ? "0" : i == 4 ? "0" : "1";
        if (!lit_is(c->args[i], want))
            return hole_call(L, c, "REGEXP_INSTR with a position, occurrence, option or group");
    }
    uint32_t fl = 0;
    ir_expr *a[2] = {c->args[0], c->args[1]};
    if (c->argc == 6) { /* Snowflake/Oracle match parameters: 'c' and 'i' only */
        const char *m = str_lit(c->args[5]);
        if (!m || strspn(m, "ci") != strlen(m))
            return hole_call(L, c, "REGEXP_INSTR with match parameters other than c and i");
        const char *last = strrchr(m, 'i');
        if (last && !strchr(last, 'c'))
            fl = IR_FL_CASE_INSENSITIVE;
    }
    if (spark(L))
        a[1] = java_pattern(L, a[1], &fl, 0);
    return mk(L, c, IR_FN_REGEXP_INSTR, fl, 2, a);
}

static ir_expr *h_right(lower_ctx *L, const call *c)
{
    if (c->argc != 2)
        return hole_call(L, c, "RIGHT needs two arguments");
    return mk(L, c, IR_FN_RIGHT, 0, 2, c->args);
}

static ir_expr *h_split_part(lower_ctx *L, const call *c)
{
    /* SPLIT_PART(s, delimiter, n); Snowflake reads part 0 as part 1 */
    if (c->argc != 3)
        return hole_call(L, c, "SPLIT_PART needs three arguments");
    long long k;
    uint32_t fl = 0;
    ir_expr *a[3] = {c->args[0], c->args[1], c->args[2]};
    ir_expr *g = a[2];
    if (spark(L) && is_call(g, IR_FN_CASE, 3) && is_call(g->u.call.args[0], IR_FN_EQ, 2) &&
        lit_is(g->u.call.args[0]->u.call.args[1], "0") && lit_is(g->u.call.args[1], "1") &&
        ir_expr_equal(g->u.call.args[0]->u.call.args[0], g->u.call.args[2])) {
        /* split_part(s, d, CASE WHEN n = 0 THEN 1 ELSE n END): the emitters' pos_zero_is_one */
        a[2] = g->u.call.args[2];
        fl = IR_FL_POS_ZERO_IS_ONE;
    }
    if (L->d == SQLFE_SNOWFLAKE) {
        if (lit_int(a[2], &k) && k == 0)
            a[2] = ir_lit_int(L->job, 1);
        else if (!lit_int(a[2], &k))
            fl = IR_FL_POS_ZERO_IS_ONE;
    }
    return mk(L, c, IR_FN_SPLIT_PART, fl, 3, a);
}

/* Snowflake STRTOK(s [, delimiters ' ' [, n 1]]): the n-th token of s cut at any of the delimiter
 * characters, never an empty one (not SPLIT_PART: delimiters in a row, at the start or the end
 * make no empty tokens); NULL past the last token, for n < 1 and for an empty s; an empty
 * delimiter set makes s one token. With literal delimiters and n: the n-th run of characters
 * outside the set, regexp_extract(s, '^[D]*([^D]+[D]+){n-1}([^D]+)', n > 1 ? 2 : 1). Delimiters
 * that would need escaping in a bracket expression (\ ] [ ^ - and Java's &&) or are not ASCII stay
 * holes. */
static ir_expr *h_strtok(lower_ctx *L, const call *c)
{
    const char *d = c->argc >= 2 ? str_lit(c->args[1]) : " ";
    long long k = 1;
    if (c->argc < 1 || c->argc > 3 || !d || (c->argc == 3 && !lit_int(c->args[2], &k)))
        return hole_call(L, c, "STRTOK with delimiters or a token number that are not literals");
    for (const char *q = d; *q; q++)
        if ((unsigned char)*q >= 0x80 || !isprint((unsigned char)*q) || strchr("\\][^-&", *q))
            return hole_call(L, c, "STRTOK with delimiters that are not plain ASCII punctuation, letters or blanks");
    if (k > 1000)
        return hole_call(L, c, "STRTOK of a token past the thousandth");
    if (k < 1 || (!*d && k > 1)) {
        ir_expr *z = ir_lit_null(L->job);
        z->type = ir_type_make(IR_TY_STRING, 0, 0);
        return at(L, z, c->n);
    }
    if (!*d) /* one token, the whole string; none in '' */
        return mk(L, c, IR_FN_NULLIF, 0, 2, (ir_expr *[]){c->args[0], ir_lit_str(L->job, "")});
    const char *re = k == 1 ? arena_printf(L->job->arena, "^[%s]*([^%s]+)", d, d)
                            : arena_printf(L->job->arena, "^[%s]*([^%s]+[%s]+){%lld}([^%s]+)", d, d, d, k - 1, d);
    ir_expr *a[3] = {c->args[0], ir_lit_str(L->job, re), ir_lit_int(L->job, k == 1 ? 1 : 2)};
    return mk(L, c, IR_FN_REGEXP_EXTRACT, 0, 3, a);
}

/* T-SQL PARSENAME(name, n): part n of a name of up to four parts counted from the right (1 the
 * object, 4 the server); NULL for n outside 1..4, a part that is not there or empty, or more than
 * four parts. Read for a literal name of plain parts ([A-Za-z0-9_@#$]) and a literal n: the part
 * itself. A computed name may hold [..] or ".." quoted parts, which no canonical function splits. */
static ir_expr *h_parsename(lower_ctx *L, const call *c)
{
    const char *s = c->argc == 2 ? str_lit(c->args[0]) : NULL;
    long long n;
    if (!s || !lit_int(c->args[1], &n) || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@#$.") != strlen(s))
        return hole_call(L, c, "PARSENAME of a name or part that is not a literal of plain parts (quoted [..] parts "
                               "have no canonical form)");
    const char *part[5];
    size_t len[5];
    int np = 0;
    for (const char *p = s;; p++) {
        const char *e = strchr(p, '.');
        if (np == 4)
            break;
        part[np] = p;
        len[np++] = e ? (size_t)(e - p) : strlen(p);
        if (!e)
            break;
        p = e;
    }
    ir_expr *r;
    if (np == 4 && strchr(part[3], '.')) /* a fifth part */
        np = 0;
    if (n < 1 || n > np || len[np - n] == 0) {
        r = ir_lit_null(L->job);
        r->type = ir_type_make(IR_TY_STRING, 0, 0);
    } else {
        r = ir_lit_str(L->job, arena_strndup(L->job->arena, part[np - n], len[np - n]));
    }
    return at(L, r, c->n);
}

/* sqlglot's generic dialect (read as ANSI) names its own expressions: TS_OR_DS_ADD(x, n, DAY), a
 * timestamp or date string as a DATE plus n days (sqlglot's Spark form is date_add(x, n)), and
 * TIMESTAMP_TRUNC(x, unit) without a time zone, date_trunc. */
static ir_expr *h_sqlglot_ts_or_ds_add(lower_ctx *L, const call *c)
{
    const char *part = c->argc == 3 ? part_arg(L, c, 2) : NULL;
    if (!part || strcmp(part, "day") != 0)
        return hole_call(L, c, "TS_OR_DS_ADD by a unit other than DAY");
    ir_expr *d = c->args[0];
    d = mk(L, c, IR_FN_CAST, 0, 1, &d);
    d->type = ir_type_make(IR_TY_DATE, 0, 0);
    return date_add(L, c, d, "day", c->args[1]);
}

static ir_expr *h_sqlglot_timestamp_trunc(lower_ctx *L, const call *c)
{
    const char *part = c->argc == 2 ? part_arg(L, c, 1) : NULL;
    if (!part)
        return hole_call(L, c, "TIMESTAMP_TRUNC with a time zone or an unknown unit");
    return mk(L, c, IR_FN_DATE_TRUNC, 0, 2, (ir_expr *[]){c->args[0], ir_lit_str(L->job, part)});
}

/* A strftime format (sqlglot's generic dialect, read by Python's strptime rules) -> canonical, one
 * element at a time: %Y %m %d %H %I %M %S %f %p %b %h %B %a %A %j and %%; other characters are
 * literal text. NULL for any other element: %y (strptime's century pivot is 1969, Snowflake's
 * 1970), unpadded %-d ..., zones, week numbers. Month and day names are the C locale's (English). */
static const char *strftime_datefmt(ir_job *job, const char *fmt)
{
    static const struct {
        char c;
        const char *canon;
    } elems[] = {
        {'Y', "YYYY"}, {'m', "MM"}, {'d', "DD"}, {'H', "HH24"}, {'I', "HH12"}, {'M', "MI"}, {'S', "SS"},
        {'f', "FF6"}, {'p', "AM"}, {'b', "MON"}, {'h', "MON"}, {'B', "MONTH"}, {'a', "DY"}, {'A', "DAY"},
        {'j', "DDD"},
    };
    if (!fmt)
        return NULL;
    strbuf sb = STRBUF_INIT;
    const char *result = NULL;
    int quoted = 0; /* inside a "literal" of the canonical text */
    for (const char *s = fmt; *s; s++) {
        const char *canon = NULL;
        char lit = *s;
        if (*s == '%') {
            s++;
            if (*s == '%')
                lit = '%';
            else {
                for (size_t i = 0; i < sizeof elems / sizeof elems[0]; i++)
                    if (elems[i].c == *s)
                        canon = elems[i].canon;
                if (!canon)
                    goto done;
            }
        }
        if (canon || (lit && strchr("-/:.,; T", lit))) {
            if (quoted)
                sb_putc(&sb, '"');
            quoted = 0;
            if (canon)
                sb_puts(&sb, canon);
            else
                sb_putc(&sb, lit);
            continue;
        }
        if (lit == '"')
            goto done;
        if (!quoted)
            sb_putc(&sb, '"');
        quoted = 1;
        sb_putc(&sb, lit);
    }
    if (quoted)
        sb_putc(&sb, '"');
    result = arena_strdup(job->arena, sb_cstr(&sb));
done:
    sb_free(&sb);
    return result;
}

/* sqlglot STR_TO_TIME(s, fmt) / STR_TO_DATE(s, fmt) / TS_OR_DS_TO_DATE(s [, fmt]): the string
 * parsed by a strftime format (a timestamp; a DATE for the last two). TS_OR_DS_TO_DATE without a
 * format and DATE_STR_TO_DATE(s): s cast to DATE; TIME_STR_TO_TIME(s): cast to TIMESTAMP. */
static ir_expr *h_sqlglot_str_to_time(lower_ctx *L, const call *c)
{
    int to_date = strcmp(c->name, "STR_TO_TIME") != 0 && strcmp(c->name, "TIME_STR_TO_TIME") != 0;
    int cast_only = strcmp(c->name, "DATE_STR_TO_DATE") == 0 || strcmp(c->name, "TIME_STR_TO_TIME") == 0 ||
                    (strcmp(c->name, "TS_OR_DS_TO_DATE") == 0 && c->argc == 1);
    ir_expr *e;
    if (cast_only) {
        if (c->argc != 1)
            return hole_call(L, c, "TIME_STR_TO_TIME with a time zone: the IR timestamp has no zone");
        e = c->args[0];
    } else {
        if (c->argc != 2 || !str_lit(c->args[1]))
            return hole_call(L, c, "STR_TO_TIME / STR_TO_DATE with a computed format");
        const char *f = strftime_datefmt(L->job, str_lit(c->args[1]));
        if (!f)
            return hole_call(L, c, "a strftime format with an element that has no canonical meaning");
        e = mk(L, c, IR_FN_TO_DATE, 0, 2, (ir_expr *[]){c->args[0], ir_lit_str(L->job, f)});
        if (!to_date)
            return e;
    }
    return typed(mk(L, c, IR_FN_CAST, 0, 1, &e), to_date ? IR_TY_DATE : IR_TY_TIMESTAMP, 0, 0);
}

/* DATE_ADD in the ANSI reader: sqlglot's DATE_ADD(x, n [, unit]) (unit DAY when left out) and
 * Presto's date_add(unit, n, x), told apart by where the unit string is. Postgres' date_add(ts,
 * interval) has no number: a hole. */
static ir_expr *h_ansi_date_add(lower_ctx *L, const call *c)
{
    if (c->argc == 3 && str_lit(c->args[0]) && part_canonical(str_lit(c->args[0])))
        return date_add(L, c, c->args[2], part_canonical(str_lit(c->args[0])), c->args[1]);
    const char *part = c->argc == 2 ? "day" : c->argc == 3 ? part_arg(L, c, 2) : NULL;
    if (!part || c->n->kids[1]->kind == SQ_INTERVAL)
        return hole_call(L, c, "DATE_ADD of an interval or by an unknown unit");
    return date_add(L, c, c->args[0], part, c->args[1]);
}

/* sqlglot MD5_DIGEST(s): the 16 bytes of the MD5 digest, the bytes its hex spells */
static ir_expr *h_md5_digest(lower_ctx *L, const call *c)
{
    if (c->argc != 1)
        return hole_call(L, c, "MD5_DIGEST needs one argument");
    ir_expr *h = mk(L, c, IR_FN_MD5, 0, 1, c->args);
    return typed(mk(L, c, IR_FN_FROM_HEX, 0, 1, &h), IR_TY_BINARY, 0, 0);
}

static ir_expr *h_next_day(lower_ctx *L, const call *c)
{
    if (c->argc != 2)
        return hole_call(L, c, "NEXT_DAY needs two arguments");
    return mk(L, c, IR_FN_NEXT_DAY, 0, 2, c->args);
}

static ir_expr *h_convert_timezone(lower_ctx *L, const call *c)
{
    /* CONVERT_TIMEZONE(from, to, ts) (Snowflake, Redshift, Spark 3.4): a wall-clock time moved from
     * one zone to another. The two-argument form reads a zoned timestamp (Snowflake) or the
     * session's zone (Spark), which the IR does not hold */
    if (c->argc != 3)
        return hole_call(L, c, "CONVERT_TIMEZONE without a source zone reads a zone the IR does not hold");
    return mk(L, c, IR_FN_CONVERT_TZ, 0, 3, c->args);
}

static ir_expr *h_uuid(lower_ctx *L, const call *c)
{
    /* Snowflake UUID_STRING(), Spark UUID(): a random version-4 UUID; Snowflake's UUID_STRING(ns,
     * name) is a name-based (version 5) one */
    if (c->argc != 0)
        return hole_call(L, c, "a name-based UUID (UUID_STRING(namespace, name))");
    return mk(L, c, IR_FN_UUID, 0, 0, NULL);
}

static ir_expr *h_tsql_db_user(lower_ctx *L, const call *c)
{
    return hole_call(L, c, "T-SQL USER / CURRENT_USER / USER_NAME() name the database user (dbo for an owner), not "
                           "the login: no counterpart (SYSTEM_USER is the login)");
}

/* Oracle SYS_CONTEXT('USERENV', p): the session's user (SESSION_USER, the login) and schema
 * (CURRENT_SCHEMA); the other parameters (CURRENT_USER of a definer's-rights unit, hosts, terminals,
 * languages ...) have no counterpart. */
static ir_expr *h_sys_context(lower_ctx *L, const call *c)
{
    const char *ns = c->argc == 2 ? str_lit(c->args[0]) : NULL, *p = ns ? str_lit(c->args[1]) : NULL;
    if (ns && strcasecmp(ns, "USERENV") == 0 && p) {
        if (strcasecmp(p, "SESSION_USER") == 0)
            return mk(L, c, IR_FN_CURRENT_USER, 0, 0, NULL);
        if (strcasecmp(p, "CURRENT_SCHEMA") == 0)
            return mk(L, c, IR_FN_CURRENT_SCHEMA, 0, 0, NULL);
    }
    return hole_call(L, c, "SYS_CONTEXT of a namespace or parameter with no counterpart");
}

/* T-SQL REPLICATE(s, n), Spark / Snowflake / Postgres REPEAT(s, n) of a literal count: n copies of s
 * concatenated (strict: NULL for a NULL s). T-SQL cuts a result longer than 8000 bytes and gives
 * NULL for a negative n; Spark and Postgres give '' for n <= 0. Computed counts (no canonical repeat),
 * T-SQL strings of no known length and Snowflake's negative counts stay holes. */
static ir_expr *h_repeat(lower_ctx *L, const call *c)
{
    long long n;
    if (c->argc != 2 || !lit_int(c->args[1], &n) || n > 64)
        return hole_call(L, c, "REPEAT / REPLICATE of a computed count (no canonical repeat) or of more than 64");
    ir_expr *x = c->args[0];
    const char *t = str_lit(x);
    int tsql = L->d == SQLFE_TSQL;
    if (n < 0 && tsql)
        return at(L, ir_lit_null(L->job), c->n);
    if (n <= 0) {
        if (!t || L->d == SQLFE_SNOWFLAKE)
            return hole_call(L, c, "REPEAT of no copies of a value that may be NULL, or of a negative count (Snowflake)");
        return at(L, ir_lit_str(L->job, ""), c->n);
    }
    long long len = t ? (long long)strlen(t) : kind_of(x) == IR_TY_STRING ? x->type.precision : 0;
    if (tsql && (len <= 0 || len * n > 4000)) /* 4000: NVARCHAR's 8000 bytes */
        return hole_call(L, c, "REPLICATE of a string of no known length or past 8000 bytes (T-SQL cuts it)");
    if (n == 1)
        return x;
    ir_expr **a = arena_alloc(L->job->arena, (size_t)n * sizeof *a);
    for (long long i = 0; i < n; i++)
        a[i] = i ? copy(L, x) : x;
    return mk(L, c, IR_FN_CONCAT, 0, (int)n, a);
}

/* ---- long tail read for the SnowConvert pairs (docs/sql-transpile.md, "Long tail") ---- */

static ir_expr *h_newid(lower_ctx *L, const call *c)
{
    /* T-SQL NEWID(): a random version-4 UUID, a uniqueidentifier whose text is upper case */
    if (c->argc != 0)
        return hole_call(L, c, "NEWID with arguments");
    ir_expr *u = mk(L, c, IR_FN_UUID, 0, 0, NULL);
    return mk(L, c, IR_FN_UPPER, 0, 1, &u);
}

static ir_expr *h_char_code(lower_ctx *L, const call *c)
{
    /* T-SQL CHAR(n) / Oracle CHR(n): the character with byte n in the collation's code page (T-SQL:
     * NULL outside 0..255) or the database character set (Oracle). Only 7-bit ASCII means the same
     * in every code page and as a Unicode code point (Snowflake CHR / CHAR, Spark chr below 256) */
    long long v;
    if (c->argc != 1)
        return hole_call(L, c, "CHR with an unusual argument count");
    if (!lit_int(c->args[0], &v) || v < 0 || v > 127)
        return hole_call(L, c, "a character code that is not a literal in 0..127: its character depends on the "
                               "database's code page");
    return mk(L, c, IR_FN_CHR, 0, 1, c->args);
}

static ir_expr *h_space(lower_ctx *L, const call *c)
{
    /* T-SQL SPACE(n): n blanks (at most 8000: a VARCHAR), NULL for a negative n. A literal n is
     * that string; a computed one has no canonical repeat */
    long long n;
    if (c->argc != 1)
        return hole_call(L, c, "SPACE with an unusual argument count");
    if (!lit_int(c->args[0], &n) || n > 8000)
        return hole_call(L, c, "SPACE of a computed count (no canonical repeat) or of more than 8000");
    if (n < 0)
        return at(L, ir_lit_null(L->job), c->n);
    char *s = arena_alloc(L->job->arena, (size_t)n + 1);
    memset(s, ' ', (size_t)n);
    s[n] = 0;
    return at(L, ir_lit_str(L->job, s), c->n);
}

static ir_expr *h_substr(lower_ctx *L, const call *c);

static ir_expr *h_dbms_lob_substr(lower_ctx *L, const call *c)
{
    /* Oracle DBMS_LOB.SUBSTR(lob, amount DEFAULT 32767, offset DEFAULT 1): SUBSTR(lob, offset,
     * amount), but NULL for an amount outside 1..32767 or an offset below 1 (SUBSTR counts a
     * negative start from the end): literals in range only */
    long long amount = 32767, offset = 1;
    if (c->argc < 1 || c->argc > 3)
        return hole_call(L, c, "DBMS_LOB.SUBSTR with an unusual argument count");
    if ((c->argc > 1 && !lit_int(c->args[1], &amount)) || (c->argc > 2 && !lit_int(c->args[2], &offset)) ||
        amount < 1 || amount > 32767 || offset < 1)
        return hole_call(L, c, "DBMS_LOB.SUBSTR with an amount or offset that is computed or out of range (NULL "
                               "there, where SUBSTR gives text)");
    ir_expr *a[3] = {c->args[0], ir_lit_int(L->job, offset), ir_lit_int(L->job, amount)};
    call s = {c->n, "SUBSTR", 3, a};
    return h_substr(L, &s);
}

static ir_expr *h_sf_date(lower_ctx *L, const call *c)
{
    /* Snowflake DATE(x [, fmt]): an alias of TO_DATE */
    call t = *c;
    t.name = "TO_DATE";
    return h_to_date(L, &t);
}

static ir_expr *h_div0(lower_ctx *L, const call *c)
{
    /* Snowflake DIV0(a, b): a / b, 0 when b is 0; DIV0NULL(a, b) also 0 when b is NULL */
    if (c->argc != 2)
        return hole_call(L, c, "DIV0 needs two arguments");
    ir_expr *zero = ir_call2(L->job, IR_FN_EQ, c->args[1], ir_lit_int(L->job, 0));
    if (strcasecmp(c->name, "DIV0NULL") == 0)
        zero = ir_call2(L->job, IR_FN_OR, ir_call1(L->job, IR_FN_IS_NULL, copy(L, c->args[1])), zero);
    ir_expr *q = ir_call2(L->job, IR_FN_DIV, c->args[0], copy(L, c->args[1]));
    ir_expr *v[3] = {zero, ir_lit_int(L->job, 0), q};
    return mk(L, c, IR_FN_IF, 0, 3, v);
}

static ir_expr *h_utc_now(lower_ctx *L, const call *c)
{
    /* T-SQL GETUTCDATE/SYSUTCDATETIME, Snowflake SYSDATE (UTC, without a zone) */
    if (c->argc != 0)
        return hole_call(L, c, "the current UTC time takes no arguments");
    return mk(L, c, IR_FN_CURRENT_UTC_TIMESTAMP, 0, 0, NULL);
}

static ir_expr *h_to_utc_timestamp(lower_ctx *L, const call *c)
{
    /* Spark to_utc_timestamp(current_timestamp(), current_timezone()): the current time in UTC */
    if (c->argc == 2 && is_call(c->args[0], IR_FN_CURRENT_TIMESTAMP, 0) && c->n->kids[1]->kind == SQ_FUNC &&
        strcasecmp(c->n->kids[1]->text, "current_timezone") == 0 && c->n->kids[1]->n_kids == 0)
        return mk(L, c, IR_FN_CURRENT_UTC_TIMESTAMP, 0, 0, NULL);
    return hole_call(L, c, "TO_UTC_TIMESTAMP of a time zone the IR does not hold");
}

static ir_expr *h_sha1(lower_ctx *L, const call *c)
{
    if (c->argc != 1)
        return hole_call(L, c, "SHA1 needs one argument");
    return mk(L, c, IR_FN_SHA1, 0, 1, c->args);
}

static ir_expr *h_sha2(lower_ctx *L, const call *c)
{
    /* SHA2(s [, bits]): Snowflake's default is 256, Spark's 0 means 256 */
    if (c->argc < 1 || c->argc > 2)
        return hole_call(L, c, "SHA2 with an unusual argument count");
    long long bits = 256;
    if (c->argc == 2 && !lit_int(c->args[1], &bits))
        return hole_call(L, c, "SHA2 with a computed bit length");
    if (bits == 0 && spark(L))
        bits = 256;
    if (bits != 224 && bits != 256 && bits != 384 && bits != 512)
        return hole_call(L, c, "SHA2 with a bit length other than 224, 256, 384 or 512");
    ir_expr *a[2] = {c->args[0], ir_lit_int(L->job, bits)};
    return mk(L, c, IR_FN_SHA2, 0, 2, a);
}

static ir_expr *h_count_if(lower_ctx *L, const call *c)
{
    /* COUNT_IF(cond): the rows where cond is TRUE, count_star's filter */
    if (c->argc != 1)
        return hole_call(L, c, "COUNT_IF needs one argument");
    return mk(L, c, IR_FN_COUNT_STAR, 0, 1, c->args);
}

static ir_expr *h_datename(lower_ctx *L, const call *c)
{
    /* T-SQL DATENAME(part, d): month and weekday names in English (us_english), other parts as
     * the number's text */
    if (c->argc != 2)
        return hole_call(L, c, "DATENAME needs two arguments");
    const char *w = word_of(L, c->n->kids[0]);
    if (w && (strcmp(w, "MONTH") == 0 || strcmp(w, "MM") == 0 || strcmp(w, "M") == 0 || strcmp(w, "WEEKDAY") == 0 ||
              strcmp(w, "DW") == 0 || strcmp(w, "W") == 0)) {
        ir_expr *d = c->args[1];
        if (kind_of(d) == IR_TY_STRING) /* T-SQL converts the text to a datetime */
            d = typed(mk(L, c, IR_FN_CAST, 0, 1, &d), IR_TY_TIMESTAMP, 0, 0);
        ir_expr *a[2] = {d, ir_lit_str(L->job, w[0] == 'M' ? "MONTH" : "DAY")};
        return mk(L, c, IR_FN_TO_CHAR, 0, 2, a);
    }
    const char *part = part_arg(L, c, 0);
    if (!part || strcmp(part, "week") == 0)
        return hole_call(L, c, "DATENAME with a date part that has no canonical meaning");
    ir_expr *a[2] = {c->args[1], ir_lit_str(L->job, part)};
    ir_expr *v = mk(L, c, IR_FN_DATE_PART, 0, 2, a);
    return typed(mk(L, c, IR_FN_CAST, 0, 1, &v), IR_TY_STRING, 0, 0);
}

static ir_expr *h_initcap(lower_ctx *L, const call *c)
{
    /* Snowflake INITCAP(s, delimiters): the emitters' delimiter set (blanks and ASCII punctuation:
     * a word starts after any of them) is what initcap means; any other set has no canonical form */
    if (c->argc == 1)
        return mk(L, c, IR_FN_INITCAP, 0, 1, c->args);
    /* the set as Snowflake reads it, and as written (the lexer leaves Snowflake's backslash escapes) */
    if (c->argc == 2 && L->d == SQLFE_SNOWFLAKE && str_lit(c->args[1]) &&
        (strcmp(str_lit(c->args[1]), " \t\n\r\f!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") == 0 ||
         strcmp(str_lit(c->args[1]), " \\t\\n\\r\\f!\"#$%&'()*+,-./:;<=>?@[\\\\]^_`{|}~") == 0))
        return mk(L, c, IR_FN_INITCAP, 0, 1, c->args);
    return hole_call(L, c, "INITCAP with its own word delimiters");
}

static ir_expr *h_regexp_extract(lower_ctx *L, const call *c)
{
    /* Spark regexp_extract(s, p [, group 1]): '' when nothing matches, where the canonical
     * regexp_extract is NULL */
    if (c->argc < 2 || c->argc > 3)
        return hole_call(L, c, "REGEXP_EXTRACT with an unusual argument count");
    ir_expr *g = c->argc > 2 ? c->args[2] : ir_lit_int(L->job, 1);
    ir_expr *a[3] = {c->args[0], c->args[1], g};
    ir_expr *x = mk(L, c, IR_FN_REGEXP_EXTRACT, 0, 3, a);
    ir_expr *t = mk(L, c, IR_FN_REGEXP_LIKE, 0, 2, (ir_expr *[]){copy(L, c->args[0]), copy(L, c->args[1])});
    ir_expr *v[3] = {t, x, ir_lit_str(L->job, "")};
    return mk(L, c, IR_FN_IF, 0, 3, v);
}

static ir_expr *h_spark_percentile(lower_ctx *L, const call *c)
{
    /* Spark percentile(x, p): exact, interpolated; p in 0..1 where the canonical p is 0..100 */
    if (c->argc != 2 || !c->args[1] || c->args[1]->kind != IR_EX_LIT ||
        (c->args[1]->u.lit.kind != IR_LIT_DECIMAL && c->args[1]->u.lit.kind != IR_LIT_INT))
        return hole_call(L, c, "PERCENTILE with a computed or array percentage");
    double p = strtod(c->args[1]->u.lit.text, NULL) * 100.0;
    if (p < 0 || p > 100)
        return hole_call(L, c, "PERCENTILE outside 0..1");
    ir_expr *pe;
    long long ip = (long long)(p + 0.5);
    if (p - (double)ip < 1e-9 && (double)ip - p < 1e-9)
        pe = ir_lit_int(L->job, ip);
    else
        pe = ir_lit(L->job, IR_LIT_DECIMAL, arena_printf(L->job->arena, "%.10g", p));
    ir_expr *a[2] = {c->args[0], pe};
    return mk(L, c, IR_FN_PERCENTILE, 0, 2, a);
}

static ir_expr *h_concat_ws(lower_ctx *L, const call *c)
{
    /* Spark concat_ws('', a, b, ...) skips NULLs: the concatenation with NULL as '' (never NULL) */
    if (c->argc < 2 || !str_lit(c->args[0]) || *str_lit(c->args[0]))
        return hole_call(L, c, "CONCAT_WS with a separator");
    ir_expr **a = arena_alloc(L->job->arena, (size_t)c->argc * sizeof *a);
    for (int i = 1; i < c->argc; i++)
        a[i - 1] = ir_call2(L->job, IR_FN_COALESCE, c->args[i], ir_lit_str(L->job, ""));
    return mk(L, c, IR_FN_CONCAT, 0, c->argc - 1, a);
}

static ir_expr *h_from_hex(lower_ctx *L, const call *c)
{
    /* Spark unhex(s); Snowflake HEX_DECODE_BINARY(s), TO_BINARY(s, 'HEX') (TO_BINARY without a
     * format follows the session's BINARY_INPUT_FORMAT: a hole); Oracle HEXTORAW(s) */
    int to_binary = strcmp(c->name, "TO_BINARY") == 0;
    if (c->argc != (to_binary ? 2 : 1) ||
        (to_binary && !(str_lit(c->args[1]) && strcasecmp(str_lit(c->args[1]), "HEX") == 0)))
        return hole_call(L, c, "TO_BINARY without the 'HEX' format, or with another one");
    ir_expr *x = c->args[0];
    const char *t = str_lit(x);
    if (t && strspn(t, "0123456789abcdefABCDEF") == strlen(t)) { /* 'cc' spells what 'CC' does */
        char *u = arena_strdup(L->job->arena, t);
        for (char *q = u; *q; q++)
            *q = (char)toupper((unsigned char)*q);
        x = ir_lit_str(L->job, u);
    }
    ir_expr *e = mk(L, c, IR_FN_FROM_HEX, 0, 1, &x);
    e->type = ir_type_make(IR_TY_BINARY, 0, 0);
    return e;
}

/* Spark to_binary(s [, 'hex']) and sqlglot's TO_BINARY(s) (hex by default): the bytes of a literal
 * of an even number of hex digits. Of other text Spark's to_binary fails where from_hex (unhex) is
 * NULL, so a computed s stays a hole. */
static ir_expr *h_to_binary_hex(lower_ctx *L, const call *c)
{
    const char *t = c->argc >= 1 ? str_lit(c->args[0]) : NULL;
    if (c->argc < 1 || c->argc > 2 ||
        (c->argc == 2 && !(str_lit(c->args[1]) && strcasecmp(str_lit(c->args[1]), "hex") == 0)))
        return hole_call(L, c, "TO_BINARY with a format other than hex");
    if (!t || strlen(t) % 2 != 0 || strspn(t, "0123456789abcdefABCDEF") != strlen(t))
        return hole_call(L, c, "TO_BINARY of text that is not a literal of an even number of hex digits (Spark's "
                               "to_binary fails on other text, unhex gives NULL)");
    call one = *c;
    one.name = "UNHEX";
    one.argc = 1;
    return h_from_hex(L, &one);
}

static const char *base_name(lower_ctx *L, const char *text);
static ir_expr *simpler_call(lower_ctx *L, ir_expr *e);

/* string_agg(x, sep) with DISTINCT from the call; '' ends an empty group where the dialect says so */
static ir_expr *string_agg(lower_ctx *L, const call *c, ir_expr *x, ir_expr *sep, int distinct, int empty_is_blank)
{
    ir_expr *a[2] = {x, sep};
    ir_expr *e = simpler_call(L, mk(L, c, IR_FN_STRING_AGG, distinct ? IR_FL_DISTINCT : 0, 2, a));
    if (!empty_is_blank)
        return e;
    return at(L, ir_call2(L->job, IR_FN_COALESCE, e, ir_lit_str(L->job, "")), c->n);
}

static ir_expr *h_string_agg(lower_ctx *L, const call *c)
{
    /* LISTAGG(x [, sep]) (Oracle, DB2, Snowflake, SQL:2016; Databricks and Spark 4, also named
     * STRING_AGG there) and STRING_AGG(x, sep) (T-SQL, Postgres):
     * the non-NULL values joined in no defined order (an ordered WITHIN GROUP or ORDER BY argument
     * is a hole before this); the separator a string literal, LISTAGG's default ''. Snowflake's
     * LISTAGG gives '' where the others give NULL (no non-NULL value). */
    int listagg = strcmp(c->name, "LISTAGG") == 0 || L->d == SQLFE_SPARK; /* Spark's STRING_AGG too */
    if (c->argc < (listagg ? 1 : 2) || c->argc > 2)
        return hole_call(L, c, "string aggregate with an unusual argument count");
    ir_expr *sep = c->argc == 2 ? c->args[1] : ir_lit_str(L->job, "");
    if (!str_lit(sep))
        return hole_call(L, c, "string aggregate whose separator is not a string literal");
    return string_agg(L, c, c->args[0], sep, (c->n->flags & SQF_DISTINCT) != 0, L->d == SQLFE_SNOWFLAKE);
}

/* Is n the name function fn of argc arguments (no window, no DISTINCT)? */
static int is_fn_node(lower_ctx *L, const sqlfe_ast *n, const char *fn, int argc)
{
    return n->kind == SQ_FUNC && n->text && n->n_kids == argc && !(n->flags & SQF_DISTINCT) &&
           strcmp(base_name(L, n->text), fn) == 0 && !strchr(n->text, '.');
}

/* Spark: the values of an ordered aggregate as the Spark printer writes them (sparksql_expr.c,
 * write_sorted_values): transform(sort_array(collect_list(CASE WHEN x IS NOT NULL THEN
 * named_struct('n0', k0 IS [NOT] NULL, 'k0', k0, .., 'v', x) END), asc), s -> s.v) is
 * array_agg_ordered(x, k0, dir0, ..): the structs sort on their fields in order, each n flag first
 * (False before True ascending; the whole order reversed descending), so IS NULL ascending and IS NOT
 * NULL descending put the key's NULLs last. 0 when n is not that form; 1 with the call (NULL on an
 * error) in *out. */
static int spark_sorted_values(lower_ctx *L, const sqlfe_ast *n, ir_expr **out)
{
    *out = NULL;
    if (!spark(L) || !is_fn_node(L, n, "TRANSFORM", 2) || !is_fn_node(L, n->kids[0], "SORT_ARRAY", 2) ||
        strcmp(sqlfe_node_text(L, n->kids[1]), "s -> s.v") != 0)
        return 0;
    const sqlfe_ast *sa = n->kids[0], *cl = sa->kids[0], *asc = sa->kids[1];
    if ((asc->kind != SQ_TRUE && asc->kind != SQ_FALSE) || !is_fn_node(L, cl, "COLLECT_LIST", 1))
        return 0;
    const sqlfe_ast *cs = cl->kids[0];
    if (cs->kind != SQ_CASE || cs->n_kids != 3 || cs->kids[0]->kind != SQ_EMPTY || (cs->flags & SQF_HAS_ELSE))
        return 0;
    const sqlfe_ast *w = cs->kids[1], *ns = cs->kids[2];
    if (w->kind != SQ_IS || strcmp(w->text, "NULL") != 0 || !(w->flags & SQF_NOT) || ns->n_kids < 5 ||
        ns->n_kids % 4 != 2 || !is_fn_node(L, ns, "NAMED_STRUCT", ns->n_kids))
        return 0;
    int nk = ns->n_kids / 4, desc = asc->kind == SQ_FALSE;
    const sqlfe_ast *last = ns->kids[ns->n_kids - 2];
    if (last->kind != SQ_STR || strcmp(last->text, "v") != 0)
        return 0;
    for (int i = 0; i < nk; i++) {
        const sqlfe_ast *nn = ns->kids[4 * i], *flag = ns->kids[4 * i + 1], *kn = ns->kids[4 * i + 2];
        if (nn->kind != SQ_STR || kn->kind != SQ_STR || nn->text[0] != 'n' || kn->text[0] != 'k' ||
            atoi(nn->text + 1) != i || atoi(kn->text + 1) != i || flag->kind != SQ_IS || strcmp(flag->text, "NULL") != 0)
            return 0;
    }
    *out = sqlfe_hole(L, n, "an ordered aggregate's sorted values whose value or keys are not the same in every place");
    ir_expr **a = arena_alloc(L->job->arena, (size_t)(1 + 2 * nk) * sizeof *a);
    ir_expr *x = sqlfe_expr(L, ns->kids[ns->n_kids - 1]), *x2 = x ? sqlfe_expr(L, w->kids[0]) : NULL;
    if (!x2) {
        *out = NULL;
        return 1;
    }
    if (!ir_expr_equal(x, x2))
        return 1;
    a[0] = x;
    for (int i = 0; i < nk; i++) {
        const sqlfe_ast *flag = ns->kids[4 * i + 1];
        ir_expr *k = sqlfe_expr(L, ns->kids[4 * i + 3]), *k2 = k ? sqlfe_expr(L, flag->kids[0]) : NULL;
        if (!k2) {
            *out = NULL;
            return 1;
        }
        if (!ir_expr_equal(k, k2))
            return 1;
        int is_null = !(flag->flags & SQF_NOT);
        int nulls_first = desc ? is_null : !is_null;
        a[1 + 2 * i] = k;
        a[2 + 2 * i] = ir_lit_str(L->job, ir_order_direction(desc, nulls_first));
    }
    *out = at(L, ir_call(L->job, IR_FN_ARRAY_AGG_ORDERED, 0, 1 + 2 * nk, a), n);
    return 1;
}

static ir_expr *h_array_join(lower_ctx *L, const call *c)
{
    /* Spark array_join(collect_list(x) | array_agg(x) | collect_set(x), sep): the non-NULL values
     * (collect_* skip NULLs; collect_set keeps each once) joined, '' for none; argument 0 is read
     * here from the tree */
    const sqlfe_ast *in = c->n->n_kids > 0 ? c->n->kids[0] : NULL;
    const char *inner = in && in->kind == SQ_FUNC && in->text ? base_name(L, in->text) : "";
    int set = strcmp(inner, "COLLECT_SET") == 0;
    ir_expr *sorted;
    if (c->argc == 2 && str_lit(c->args[1]) && in && spark_sorted_values(L, in, &sorted)) {
        /* the sorted values of an ordered aggregate joined: string_agg_ordered, '' for none */
        if (!sorted || sorted->kind != IR_EX_CALL || sorted->u.call.fn != IR_FN_ARRAY_AGG_ORDERED)
            return sorted;
        int na = sorted->u.call.n_args;
        ir_expr **a = arena_alloc(L->job->arena, (size_t)(na + 1) * sizeof *a);
        a[0] = sorted->u.call.args[0];
        a[1] = c->args[1];
        memcpy(a + 2, sorted->u.call.args + 1, (size_t)(na - 1) * sizeof *a);
        ir_expr *e = mk(L, c, IR_FN_STRING_AGG_ORDERED, 0, na + 1, a);
        return at(L, ir_call2(L->job, IR_FN_COALESCE, e, ir_lit_str(L->job, "")), c->n);
    }
    if (c->argc != 2 || (!set && strcmp(inner, "COLLECT_LIST") != 0 && strcmp(inner, "ARRAY_AGG") != 0) ||
        in->n_kids != 1 || in->kids[0]->kind == SQ_WINDOW || in->kids[0]->kind == SQ_FILTER ||
        in->kids[0]->kind == SQ_WITHIN_GROUP || in->kids[0]->kind == SQ_CL_ORDER || !str_lit(c->args[1]))
        return hole_call(L, c, "ARRAY_JOIN of something other than COLLECT_LIST / COLLECT_SET / ARRAY_AGG "
                               "of one value with a literal separator");
    ir_expr *x = sqlfe_expr(L, in->kids[0]);
    if (!x)
        return NULL;
    return string_agg(L, c, x, c->args[1], set || (in->flags & SQF_DISTINCT), 1);
}

static ir_expr *h_if(lower_ctx *L, const call *c)
{
    /* Spark / MySQL IF(cond, a, b); Presto's IF(cond, a) is NULL when cond is not true (ANSI) */
    if (c->argc == 2 && L->d == SQLFE_ANSI) {
        ir_expr *a[3] = {c->args[0], c->args[1], ir_lit_null(L->job)};
        return mk(L, c, IR_FN_IF, 0, 3, a);
    }
    if (c->argc != 3)
        return hole_call(L, c, "IF needs three arguments");
    return mk(L, c, IR_FN_IF, 0, 3, c->args);
}

static ir_expr *h_try_number(lower_ctx *L, const call *c)
{
    /* Snowflake [TRY_]TO_NUMBER/TO_DECIMAL/TO_NUMERIC(s [, p [, s]]): NUMBER(38,0) by default (the
     * TRY_ forms NULL when the text is no number, the others an error, as a cast); TRY_TO_DOUBLE(s) */
    int dbl = strcmp(c->name, "TRY_TO_DOUBLE") == 0, try_ = strncmp(c->name, "TRY_", 4) == 0;
    long long p = 38, sc = 0;
    if (c->argc < 1 || c->argc > (dbl ? 1 : 3) || (c->argc > 1 && !lit_int(c->args[1], &p)) ||
        (c->argc > 2 && !lit_int(c->args[2], &sc)))
        return hole_call(L, c, "TO_NUMBER with a format or a computed precision");
    ir_expr *e = mk(L, c, try_ ? IR_FN_TRY_CAST : IR_FN_CAST, 0, 1, c->args);
    return dbl ? typed(e, IR_TY_DOUBLE, 0, 0) : typed(e, IR_TY_DECIMAL, (int)p, (int)sc);
}

static ir_expr *h_spark_cast_fn(lower_ctx *L, const call *c)
{
    /* Spark date(x), timestamp(x): casts; try_to_timestamp(s) without a pattern: a try_cast */
    if (c->argc != 1)
        return hole_call(L, c, "TRY_TO_TIMESTAMP with a pattern has no canonical form");
    int try_ = strcmp(c->name, "TRY_TO_TIMESTAMP") == 0;
    ir_expr *e = mk(L, c, try_ ? IR_FN_TRY_CAST : IR_FN_CAST, 0, 1, c->args);
    return typed(e, strcmp(c->name, "DATE") == 0 ? IR_TY_DATE : IR_TY_TIMESTAMP, 0, 0);
}

static ir_expr *h_try_date(lower_ctx *L, const call *c)
{
    /* Snowflake TRY_TO_DATE / TRY_TO_TIMESTAMP(_NTZ)(s) without a format: as TRY_CAST */
    if (c->argc != 1)
        return hole_call(L, c, "TRY_TO_DATE/TRY_TO_TIMESTAMP with a format");
    ir_expr *e = mk(L, c, IR_FN_TRY_CAST, 0, 1, c->args);
    return typed(e, strcmp(c->name, "TRY_TO_DATE") == 0 ? IR_TY_DATE : IR_TY_TIMESTAMP, 0, 0);
}

/* ---- arrays (docs/sql-transpile.md, "Arrays"): canonical positions count from 0 ---- */

/* An array that is never NULL: a constructor, or the concatenation / append of such arrays. */
int sqlfe_array_never_null(const ir_expr *e)
{
    if (!e || e->kind != IR_EX_CALL)
        return 0;
    switch (e->u.call.fn) {
    case IR_FN_ARRAY_CONSTRUCT: return 1;
    case IR_FN_ARRAY_CAT: return sqlfe_array_never_null(e->u.call.args[0]) && sqlfe_array_never_null(e->u.call.args[1]);
    case IR_FN_ARRAY_APPEND: return sqlfe_array_never_null(e->u.call.args[0]);
    default: return 0;
    }
}

/* args[0] .. args[argc-1] concatenated, NULL when one is NULL. A non-array is a hole. */
static ir_expr *array_cat_chain(lower_ctx *L, const sqlfe_ast *n, int argc, ir_expr **args)
{
    ir_expr *r = args[0];
    for (int i = 0; i < argc; i++)
        if (kind_of(args[i]) != IR_TY_ARRAY && kind_of(args[i]) != IR_TY_UNKNOWN)
            return sqlfe_hole(L, n, "concatenation of an array with a value that is no array");
    for (int i = 1; i < argc; i++)
        r = at(L, ir_call2(L->job, IR_FN_ARRAY_CAT, r, args[i]), n);
    return r;
}

/* Postgres array_cat(a, b) and a || b take a NULL array as empty (both NULL: NULL):
 * coalesce(array_cat(a, b), a, b), without the operands that are never NULL. */
static ir_expr *pg_array_cat(lower_ctx *L, const sqlfe_ast *n, ir_expr *a, ir_expr *b)
{
    ir_expr *cat = at(L, ir_call2(L->job, IR_FN_ARRAY_CAT, a, b), n);
    ir_expr *v[3] = {cat};
    int k = 1;
    if (!sqlfe_array_never_null(b))
        v[k++] = copy(L, a);
    if (!sqlfe_array_never_null(a))
        v[k++] = copy(L, b);
    return k == 1 ? cat : at(L, ir_call(L->job, IR_FN_COALESCE, 0, k, v), n);
}

/* a[i] with positions counted from base (0 or 1): array_get(a, i - base). Only integer positions
 * are array positions (a string is an object or map key). */
static ir_expr *array_get(lower_ctx *L, const call *c, ir_expr *a, ir_expr *i, int base)
{
    ir_type_kind k = kind_of(i);
    if (is_str_lit(i) || (k != IR_TY_UNKNOWN && k != IR_TY_INT && k != IR_TY_BIGINT &&
                          !(k == IR_TY_DECIMAL && i->type.scale == 0)))
        return hole_call(L, c, "element of an object or map by its key (only array positions have a canonical form)");
    if (kind_of(a) != IR_TY_ARRAY && kind_of(a) != IR_TY_UNKNOWN)
        return hole_call(L, c, "subscript of a value that is no array");
    long long v;
    if (base && lit_int(i, &v))
        i = ir_lit_int(L->job, v - base);
    else if (base)
        i = ir_call2(L->job, IR_FN_SUB, i, ir_lit_int(L->job, base));
    ir_expr *args[2] = {a, i};
    return mk(L, c, IR_FN_ARRAY_GET, 0, 2, args);
}

static ir_expr *h_subscript(lower_ctx *L, const call *c)
{
    /* a[i]: Snowflake and Spark count from 0 and give NULL outside the array (Spark with ANSI mode
     * off, its 3.5 default); Postgres and Presto (read as ANSI) count from 1, Postgres gives NULL
     * outside, Presto fails there */
    if (c->argc != 2)
        return hole_call(L, c, "subscript with an unusual form");
    if (L->d != SQLFE_SNOWFLAKE && L->d != SQLFE_SPARK && L->d != SQLFE_ANSI)
        return hole_call(L, c, "subscript in a dialect without arrays");
    if (L->d == SQLFE_SNOWFLAKE && is_call(c->args[0], IR_FN_JSON_GET, 2))
        return h_variant_path(L, c); /* PARSE_JSON(t):a[0]: a step of the path */
    return array_get(L, c, c->args[0], c->args[1], L->d == SQLFE_ANSI);
}

static ir_expr *h_get(lower_ctx *L, const call *c)
{
    /* Snowflake GET(a, i), Spark get(a, i): from 0, NULL outside the array */
    if (c->argc != 2)
        return hole_call(L, c, "GET with an unusual argument count");
    return array_get(L, c, c->args[0], c->args[1], 0);
}

static ir_expr *h_element_at(lower_ctx *L, const call *c)
{
    /* Spark / Presto element_at(a, i): from 1, a negative i counts from the end (no canonical
     * form), 0 fails; NULL past the end (Spark with ANSI mode off) */
    long long v;
    if (c->argc != 2 || !lit_int(c->args[1], &v) || v < 1)
        return hole_call(L, c, "ELEMENT_AT with a position that is not a positive integer literal "
                               "(negative positions count from the end) or of a map");
    return array_get(L, c, c->args[0], c->args[1], 1);
}

static ir_expr *h_array_construct(lower_ctx *L, const call *c)
{
    /* ARRAY[a, b] (Postgres, Presto), [a, b] and ARRAY_CONSTRUCT (Snowflake), array(a, b) (Spark) */
    for (int i = 0; i < c->argc; i++)
        if (kind_of(c->args[i]) == IR_TY_ARRAY)
            return hole_call(L, c, "array of arrays (the IR's arrays hold scalar values)");
    return mk(L, c, IR_FN_ARRAY_CONSTRUCT, 0, c->argc, c->args);
}

static ir_expr *h_size(lower_ctx *L, const call *c)
{
    /* Spark size(a) / cardinality(a): -1 for a NULL array (spark.sql.legacy.sizeOfNull, true by
     * default with ANSI mode off), not NULL as array_size */
    if (c->argc != 1 || (kind_of(c->args[0]) != IR_TY_ARRAY && kind_of(c->args[0]) != IR_TY_UNKNOWN))
        return hole_call(L, c, "SIZE of a value that is no array");
    ir_expr *n = mk(L, c, IR_FN_ARRAY_SIZE, 0, 1, c->args);
    return mk(L, c, IR_FN_COALESCE, 0, 2, (ir_expr *[]){n, ir_lit_int(L->job, -1)});
}

static ir_expr *h_array_length(lower_ctx *L, const call *c)
{
    /* Postgres array_length(a, 1): NULL for an empty array too */
    if (c->argc != 2 || !lit_is(c->args[1], "1"))
        return hole_call(L, c, "ARRAY_LENGTH of another dimension than 1");
    ir_expr *n = mk(L, c, IR_FN_ARRAY_SIZE, 0, 1, c->args);
    return mk(L, c, IR_FN_NULLIF, 0, 2, (ir_expr *[]){n, ir_lit_int(L->job, 0)});
}

static ir_expr *h_array_contains(lower_ctx *L, const call *c)
{
    /* Spark array_contains(a, x), Presto contains(a, x): the canonical three-valued test.
     * Snowflake ARRAY_CONTAINS(x, a) (x read here from the tree, without a ::VARIANT cast) is TRUE
     * for a NULL x when a holds a NULL element, and FALSE where x is not found beside a NULL
     * element: for a non-NULL literal x it is coalesce(array_contains(a, x), FALSE) where a is not
     * NULL; for another x a hole. */
    if (c->argc != 2)
        return hole_call(L, c, "ARRAY_CONTAINS with an unusual argument count");
    if (L->d != SQLFE_SNOWFLAKE)
        return mk(L, c, IR_FN_ARRAY_CONTAINS, 0, 2, c->args);
    const sqlfe_ast *xv = c->n->kids[0];
    if (xv->kind == SQ_CAST && xv->kids[1]->text && strcasecmp(xv->kids[1]->text, "VARIANT") == 0)
        xv = xv->kids[0];
    ir_expr *x = sqlfe_expr(L, xv);
    if (!x)
        return NULL;
    if (x->kind != IR_EX_LIT || x->u.lit.kind == IR_LIT_NULL)
        return hole_call(L, c, "Snowflake ARRAY_CONTAINS of a value that may be NULL (TRUE when the array holds "
                               "a NULL element) has no canonical form");
    ir_expr *a = c->args[1];
    ir_expr *ac = mk(L, c, IR_FN_ARRAY_CONTAINS, 0, 2, (ir_expr *[]){a, x});
    ir_expr *found = mk(L, c, IR_FN_COALESCE, 0, 2, (ir_expr *[]){ac, ir_lit_bool(L->job, false)});
    ir_expr *isnull = at(L, ir_call1(L->job, IR_FN_IS_NULL, copy(L, a)), c->n);
    return mk(L, c, IR_FN_IF, 0, 3, (ir_expr *[]){isnull, ir_lit_null(L->job), found});
}

/* Snowflake: CASE WHEN x IS NULL OR a IS NULL THEN NULL WHEN ARRAY_CONTAINS(x[::VARIANT], a) THEN
 * TRUE WHEN ARRAY_CONTAINS(NULL, a) THEN NULL ELSE FALSE END, the canonical array_contains(a, x) as
 * the Snowflake printer writes it; NULL when n is not that. */
static ir_expr *snow_array_contains_case(lower_ctx *L, const sqlfe_ast *n)
{
    if (L->d != SQLFE_SNOWFLAKE || n->n_kids != 8 || n->kids[0]->kind != SQ_EMPTY || !(n->flags & SQF_HAS_ELSE))
        return NULL;
    const sqlfe_ast *w0 = n->kids[1], *w1 = n->kids[3], *w2 = n->kids[5];
    if (w0->kind != SQ_BINARY || strcmp(w0->text, "OR") != 0 || n->kids[2]->kind != SQ_NULL ||
        n->kids[4]->kind != SQ_TRUE || n->kids[6]->kind != SQ_NULL || n->kids[7]->kind != SQ_FALSE)
        return NULL;
    for (int i = 0; i < 2; i++)
        if (w0->kids[i]->kind != SQ_IS || strcmp(w0->kids[i]->text, "NULL") != 0 || (w0->kids[i]->flags & SQF_NOT))
            return NULL;
    const sqlfe_ast *f[2] = {w1, w2};
    for (int i = 0; i < 2; i++)
        if (f[i]->kind != SQ_FUNC || !f[i]->text || strcasecmp(f[i]->text, "ARRAY_CONTAINS") != 0 || f[i]->n_kids != 2)
            return NULL;
    const sqlfe_ast *xv = w1->kids[0];
    if (xv->kind == SQ_CAST && xv->kids[1]->text && strcasecmp(xv->kids[1]->text, "VARIANT") == 0)
        xv = xv->kids[0];
    if (w2->kids[0]->kind != SQ_NULL)
        return NULL;
    ir_expr *x0 = sqlfe_expr(L, w0->kids[0]->kids[0]), *a0 = sqlfe_expr(L, w0->kids[1]->kids[0]);
    ir_expr *x1 = sqlfe_expr(L, xv), *a1 = sqlfe_expr(L, w1->kids[1]), *a2 = sqlfe_expr(L, w2->kids[1]);
    if (!x0 || !a0 || !x1 || !a1 || !a2 || !ir_expr_equal(x0, x1) || !ir_expr_equal(a0, a1) || !ir_expr_equal(a0, a2))
        return NULL;
    return at(L, ir_call2(L->job, IR_FN_ARRAY_CONTAINS, a0, x0), n);
}

static ir_expr *h_array_cat(lower_ctx *L, const call *c)
{
    /* Snowflake ARRAY_CAT, Redshift / BigQuery ARRAY_CONCAT: NULL when one is NULL; Postgres
     * array_cat (ANSI's ARRAY_CAT) takes a NULL array as empty */
    if (c->argc != 2)
        return hole_call(L, c, "ARRAY_CAT with an unusual argument count");
    if (L->d == SQLFE_ANSI && strcmp(c->name, "ARRAY_CAT") == 0)
        return pg_array_cat(L, c->n, c->args[0], c->args[1]);
    return array_cat_chain(L, c->n, 2, c->args);
}

static ir_expr *h_flatten(lower_ctx *L, const call *c)
{
    /* Spark flatten(array(a, b, ..)): a, b, .. concatenated, NULL when one is NULL (argument 0 is
     * read here from the tree: its elements are arrays) */
    const sqlfe_ast *in = c->argc == 1 ? c->n->kids[0] : NULL;
    if (!in || in->kind != SQ_FUNC || !in->text || strcasecmp(in->text, "ARRAY") != 0 || in->n_kids < 1)
        return hole_call(L, c, "FLATTEN of an array of arrays other than array(a, b, ..)");
    ir_expr **a = arena_alloc(L->job->arena, (size_t)in->n_kids * sizeof *a);
    for (int i = 0; i < in->n_kids; i++)
        if (!(a[i] = sqlfe_expr(L, in->kids[i])))
            return NULL;
    return array_cat_chain(L, c->n, in->n_kids, a);
}

static ir_expr *h_array_append(lower_ctx *L, const call *c)
{
    /* Snowflake ARRAY_APPEND, Spark array_append: NULL for a NULL array; Postgres array_append
     * (ANSI) takes a NULL array as empty */
    if (c->argc != 2 || (kind_of(c->args[0]) != IR_TY_ARRAY && kind_of(c->args[0]) != IR_TY_UNKNOWN))
        return hole_call(L, c, "ARRAY_APPEND with an unusual argument count or of a value that is no array");
    ir_expr *a = c->args[0];
    if (L->d == SQLFE_ANSI && !sqlfe_array_never_null(a))
        a = at(L, ir_call2(L->job, IR_FN_COALESCE, a, ir_call(L->job, IR_FN_ARRAY_CONSTRUCT, 0, 0, NULL)), c->n);
    return mk(L, c, IR_FN_ARRAY_APPEND, 0, 2, (ir_expr *[]){a, c->args[1]});
}

static ir_expr *h_array_agg(lower_ctx *L, const call *c)
{
    /* Snowflake ARRAY_AGG / ARRAYAGG, Spark collect_list / array_agg (collect_set: DISTINCT): the
     * non-NULL values, [] for a group without one. Postgres and Presto ARRAY_AGG keep NULLs and
     * give NULL for a group without rows: a hole. */
    if (L->d != SQLFE_SNOWFLAKE && L->d != SQLFE_SPARK)
        return hole_call(L, c, "ARRAY_AGG keeping NULL values and NULL for no rows (Postgres, Presto) has no "
                               "canonical form");
    if (c->argc != 1)
        return hole_call(L, c, "array aggregate with an unusual argument count");
    int distinct = (c->n->flags & SQF_DISTINCT) || strcmp(c->name, "COLLECT_SET") == 0;
    return mk(L, c, IR_FN_ARRAY_AGG, distinct ? IR_FL_DISTINCT : 0, 1, c->args);
}

static int no_array(const ir_expr *e)
{
    return kind_of(e) != IR_TY_ARRAY && kind_of(e) != IR_TY_UNKNOWN;
}

static ir_expr *h_array_slice(lower_ctx *L, const call *c)
{
    /* Snowflake ARRAY_SLICE(a, from, to): from 0, to excluded, negative positions from the end (the
     * canonical slice). Spark slice(a, start, length) counts from 1, a negative start from the end
     * without clamping, and fails on a negative length: read for literals start >= 1, length >= 0.
     * ANSI ARRAY_SLICE(a, lo, hi) is Postgres' a[lo:hi] as a function (DuckDB's): from 1, hi
     * included; read for literals lo >= 1, hi >= 0 (DuckDB counts negative ones from the end, where
     * Postgres clamps them) */
    if (c->argc != 3 || no_array(c->args[0]))
        return hole_call(L, c, "array slice with an unusual argument count or of a value that is no array");
    if (L->d == SQLFE_SNOWFLAKE)
        return mk(L, c, IR_FN_ARRAY_SLICE, 0, 3, c->args);
    long long p, q;
    if (!lit_int(c->args[1], &p) || !lit_int(c->args[2], &q) || p < 1 || q < 0)
        return hole_call(L, c, spark(L) ? "Spark slice with a computed or non-positive start or length (a negative "
                                          "start counts from the end without clamping)"
                                        : "ARRAY_SLICE with computed or non-positive positions (negative ones count "
                                          "from the end in DuckDB and clamp in Postgres)");
    ir_expr *from = ir_lit_int(L->job, p - 1), *to = ir_lit_int(L->job, spark(L) ? p - 1 + q : q);
    return mk(L, c, IR_FN_ARRAY_SLICE, 0, 3, (ir_expr *[]){c->args[0], from, to});
}

/* A literal TRUE or FALSE in *out. */
static int bool_lit(const ir_expr *e, int *out)
{
    if (!e || e->kind != IR_EX_LIT || e->u.lit.kind != IR_LIT_BOOL || !e->u.lit.text)
        return 0;
    *out = strcasecmp(e->u.lit.text, "true") == 0 || strcmp(e->u.lit.text, "1") == 0;
    return 1;
}

static ir_expr *h_array_sort(lower_ctx *L, const call *c)
{
    /* Spark (and Hive's, read in ANSI) sort_array(a [, asc]): NULL elements first ascending, last
     * descending. Spark array_sort(a) and Presto's / Postgres 18's ARRAY_SORT(a): ascending, NULL
     * elements last (a comparator or Postgres' flags stay holes). Snowflake ARRAY_SORT(a [, asc [,
     * nulls_first]]): ascending by default, NULLs last ascending and first descending */
    int asc = 1, nulls_first = 0;
    int sf = L->d == SQLFE_SNOWFLAKE, hive = strcmp(c->name, "SORT_ARRAY") == 0;
    if (c->argc < 1 || no_array(c->args[0]) || c->argc > (sf ? 3 : hive ? 2 : 1) ||
        (c->argc > 1 && !bool_lit(c->args[1], &asc)) || (c->argc > 2 && !bool_lit(c->args[2], &nulls_first)))
        return hole_call(L, c, "array sort with a comparator, computed directions or of a value that is no array");
    if (hive || (sf && c->argc < 3))
        nulls_first = hive ? asc : !asc; /* Snowflake's default: NULLs last ascending, first descending */
    if (is_call(c->args[0], IR_FN_ARRAY_AGG, 1))
        nulls_first = 0; /* an array aggregate holds no NULL: where they would go does not matter */
    const char *dir = asc ? (nulls_first ? "asc nulls first" : "asc nulls last")
                          : (nulls_first ? "desc nulls first" : "desc nulls last");
    return mk(L, c, IR_FN_ARRAY_SORT, 0, 2, (ir_expr *[]){c->args[0], ir_lit_str(L->job, dir)});
}

static ir_expr *h_reverse(lower_ctx *L, const call *c)
{
    /* Spark's and Presto's reverse reverses an array's elements or a string's characters (an
     * argument of unknown type is taken as a string); Snowflake and DuckDB ARRAY_REVERSE */
    if (c->argc != 1)
        return hole_call(L, c, "REVERSE with an unusual argument count");
    if (kind_of(c->args[0]) == IR_TY_ARRAY || strcmp(c->name, "ARRAY_REVERSE") == 0)
        return no_array(c->args[0]) ? hole_call(L, c, "ARRAY_REVERSE of a value that is no array")
                                    : mk(L, c, IR_FN_ARRAY_REVERSE, 0, 1, c->args);
    return mk(L, c, IR_FN_REVERSE, 0, 1, c->args);
}

/* A constructor of literals that are all different (integers or strings, no NULL): an array whose
 * elements are distinct whatever the engine. */
static int distinct_literals(const ir_expr *a)
{
    if (!is_call(a, IR_FN_ARRAY_CONSTRUCT, a ? a->u.call.n_args : 0))
        return 0;
    for (int i = 0; i < a->u.call.n_args; i++) {
        const ir_expr *x = a->u.call.args[i];
        if (x->kind != IR_EX_LIT || (x->u.lit.kind != IR_LIT_INT && x->u.lit.kind != IR_LIT_STRING) || !x->u.lit.text ||
            x->u.lit.kind != a->u.call.args[0]->u.lit.kind)
            return 0;
        for (int j = 0; j < i; j++)
            if (strcmp(x->u.lit.text, a->u.call.args[j]->u.lit.text) == 0)
                return 0;
    }
    return 1;
}

static ir_expr *h_array_except(lower_ctx *L, const call *c)
{
    /* Spark and Presto array_except(a, b): the distinct elements of a not in b (NULL a value).
     * Snowflake's ARRAY_EXCEPT removes one copy of a value per copy in b (bag semantics): the same
     * where a's elements are distinct, ARRAY_DISTINCT(x) or a constructor of different literals */
    if (c->argc != 2 || no_array(c->args[0]) || no_array(c->args[1]))
        return hole_call(L, c, "ARRAY_EXCEPT with an unusual argument count or of a value that is no array");
    ir_expr *a = c->args[0];
    if (L->d == SQLFE_SNOWFLAKE && is_call(a, IR_FN_ARRAY_DISTINCT, 1))
        a = a->u.call.args[0];
    else if (L->d == SQLFE_SNOWFLAKE && !distinct_literals(a))
        return hole_call(L, c, "Snowflake ARRAY_EXCEPT of an array that may repeat a value (it removes one copy "
                               "per copy in the second array, where the canonical array_except keeps none)");
    return mk(L, c, IR_FN_ARRAY_EXCEPT, 0, 2, (ir_expr *[]){a, c->args[1]});
}

static ir_expr *h_array_remove(lower_ctx *L, const call *c)
{
    /* Spark array_remove(a, v) and Snowflake ARRAY_REMOVE(a, v[::VARIANT]): NULL for a NULL v, NULL
     * elements kept. Postgres' array_remove compares with IS NOT DISTINCT FROM (a NULL v removes
     * the NULL elements) where Presto's is Spark's: ANSI reads it for a non-NULL literal v */
    if (c->argc != 2 || no_array(c->args[0]))
        return hole_call(L, c, "ARRAY_REMOVE with an unusual argument count or of a value that is no array");
    ir_expr *v = c->args[1];
    const sqlfe_ast *vn = c->n->kids[1];
    if (L->d == SQLFE_SNOWFLAKE && vn->kind == SQ_CAST && vn->kids[1]->text &&
        strcasecmp(vn->kids[1]->text, "VARIANT") == 0 && !(v = sqlfe_expr(L, vn->kids[0])))
        return NULL;
    if (L->d == SQLFE_ANSI && (v->kind != IR_EX_LIT || v->u.lit.kind == IR_LIT_NULL))
        return hole_call(L, c, "ARRAY_REMOVE of a value that may be NULL (Postgres then removes the NULL elements, "
                               "Presto gives NULL)");
    return mk(L, c, IR_FN_ARRAY_REMOVE, 0, 2, (ir_expr *[]){c->args[0], v});
}

static ir_expr *h_array_elements(lower_ctx *L, const call *c)
{
    /* one array in, its elements as they are: ARRAY_MAX / ARRAY_MIN (NULL elements skipped;
     * Presto's give NULL for an array holding one, docs/sql-transpile.md), ARRAY_DISTINCT,
     * ARRAY_COMPACT */
    static const struct {
        const char *name;
        ir_fn fn;
    } fns[] = {{"ARRAY_MAX", IR_FN_ARRAY_MAX},
               {"ARRAY_MIN", IR_FN_ARRAY_MIN},
               {"ARRAY_DISTINCT", IR_FN_ARRAY_DISTINCT},
               {"ARRAY_COMPACT", IR_FN_ARRAY_COMPACT}};
    if (c->argc != 1 || no_array(c->args[0]))
        return hole_call(L, c, "array function with an unusual argument count or of a value that is no array");
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (strcmp(c->name, fns[i].name) == 0)
            return mk(L, c, fns[i].fn, 0, 1, c->args);
    return hole_call(L, c, "array function without a canonical form");
}

/* v op x for some element x of the array a (Postgres `v op ANY(a)`, Spark `exists(a, x -> v op x)`):
 * TRUE where a comparison is TRUE, else NULL where one is NULL (a NULL element, or v of a non-empty
 * array), else FALSE (an empty array); NULL for a NULL array. `=` is array_contains (FALSE for an
 * empty array whatever v is); `<`, `<=`, `>`, `>=` compare v with the largest or smallest element
 * that is not NULL and then look for NULL elements. Other operators are holes. */
static ir_expr *array_any(lower_ctx *L, const sqlfe_ast *n, const char *op, ir_expr *v, ir_expr *a)
{
    ir_job *j = L->job;
    if (no_array(a))
        return sqlfe_hole(L, n, "comparison with ANY element of a value that is no array");
    int lit = v->kind == IR_EX_LIT && v->u.lit.kind != IR_LIT_NULL;
    if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0) {
        ir_expr *found = at(L, ir_call2(j, IR_FN_ARRAY_CONTAINS, a, v), n);
        if (lit)
            return found;
        ir_expr *empty = ir_call2(j, IR_FN_EQ, ir_call1(j, IR_FN_ARRAY_SIZE, copy(L, a)), ir_lit_int(j, 0));
        return at(L, ir_call(j, IR_FN_IF, 0, 3, (ir_expr *[]){empty, ir_lit_bool(j, false), found}), n);
    }
    ir_fn cmp = !strcmp(op, "<") ? IR_FN_LT : !strcmp(op, "<=") ? IR_FN_LE : !strcmp(op, ">") ? IR_FN_GT
              : !strcmp(op, ">=") ? IR_FN_GE : IR_FN__COUNT;
    if (cmp == IR_FN__COUNT)
        return sqlfe_hole(L, n, "comparison with ANY element by an operator other than =, <, <=, >, >=");
    /* v < x or v <= x for some x: against the largest; v > x, v >= x: against the smallest */
    ir_fn ext = cmp == IR_FN_LT || cmp == IR_FN_LE ? IR_FN_ARRAY_MAX : IR_FN_ARRAY_MIN;
    ir_expr *hit = ir_call2(j, cmp, v, ir_call1(j, ext, a));
    ir_expr *nulls = ir_call2(j, IR_FN_LT, ir_call1(j, IR_FN_ARRAY_SIZE, ir_call1(j, IR_FN_ARRAY_COMPACT, copy(L, a))),
                              ir_call1(j, IR_FN_ARRAY_SIZE, copy(L, a)));
    if (!lit)
        nulls = ir_call2(j, IR_FN_OR, nulls,
                         ir_call2(j, IR_FN_AND, ir_call1(j, IR_FN_IS_NULL, copy(L, v)),
                                  ir_call2(j, IR_FN_LT, ir_lit_int(j, 0), ir_call1(j, IR_FN_ARRAY_SIZE, copy(L, a)))));
    ir_expr *args[] = {ir_call1(j, IR_FN_IS_NULL, copy(L, a)), ir_lit_null(j), hit, ir_lit_bool(j, true),
                       nulls, ir_lit_null(j), ir_lit_bool(j, false)};
    return at(L, ir_call(j, IR_FN_CASE, 0, 7, args), n);
}

/* Does the tree n hold the name `name` (unqualified, any case)? */
static int holds_name(const sqlfe_ast *n, const char *name)
{
    if (!n)
        return 0;
    if (n->kind == SQ_NAME && n->text && strcasecmp(n->text, name) == 0)
        return 1;
    for (int i = 0; i < n->n_kids; i++)
        if (holds_name(n->kids[i], name))
            return 1;
    return 0;
}

static ir_expr *h_array_exists(lower_ctx *L, const call *c)
{
    /* Spark exists(a, x -> v op x) (or x op v), three-valued (spark.sql.legacy.
     * followThreeValuedLogicInArrayExists, true by default): v op ANY(a); other predicates are holes */
    const sqlfe_ast *lam = c->argc == 2 ? c->n->kids[1] : NULL;
    const sqlfe_ast *body = lam && lam->kind == SQ_LAMBDA && lam->n_kids == 2 ? lam->kids[1] : NULL;
    const char *x = body ? lam->kids[0]->text : NULL;
    if (!body || body->kind != SQ_BINARY || body->n_kids != 2 || !body->text || !x)
        return hole_call(L, c, "EXISTS over an array with a predicate other than a comparison of the element");
    int left = body->kids[0]->kind == SQ_NAME && body->kids[0]->text && strcasecmp(body->kids[0]->text, x) == 0;
    const sqlfe_ast *other = body->kids[left ? 1 : 0];
    if ((!left && !(body->kids[1]->kind == SQ_NAME && body->kids[1]->text && strcasecmp(body->kids[1]->text, x) == 0)) ||
        holds_name(other, x))
        return hole_call(L, c, "EXISTS over an array with a predicate other than a comparison of the element");
    const char *op = body->text;
    if (left) /* x op v is v op' x */
        op = !strcmp(op, "<") ? ">" : !strcmp(op, "<=") ? ">=" : !strcmp(op, ">") ? "<" : !strcmp(op, ">=") ? "<=" : op;
    ir_expr *v = sqlfe_expr(L, other);
    if (!v)
        return NULL;
    return array_any(L, c->n, op, v, c->args[0]);
}

/* Postgres `v op ANY(a)` / `SOME(a)` of an array a (read in ANSI) */
static ir_expr *array_any_of(lower_ctx *L, const sqlfe_ast *n)
{
    const char *t = n->text ? n->text : "";
    size_t k = strcspn(t, " ");
    char op[4] = "";
    if (k < sizeof op)
        memcpy(op, t, k), op[k] = 0;
    ir_expr *v = sqlfe_expr(L, n->kids[0]), *a = sqlfe_expr(L, n->kids[1]->kids[0]);
    if (!v || !a)
        return NULL;
    return array_any(L, n, op, v, a);
}

static ir_expr *h_count(lower_ctx *L, const call *c)
{
    if (c->n->flags & SQF_STAR)
        return mk(L, c, IR_FN_COUNT_STAR, 0, 0, NULL);
    if (c->argc != 1)
        return hole_call(L, c, "COUNT over several values");
    return mk(L, c, IR_FN_COUNT, (c->n->flags & SQF_DISTINCT) ? IR_FL_DISTINCT : 0, 1, c->args);
}

typedef ir_expr *(*handler)(lower_ctx *L, const call *c);

enum { D_ALL = 0, D_ORA = 1 << SQLFE_ORACLE, D_TSQL = 1 << SQLFE_TSQL, D_TD = 1 << SQLFE_TERADATA,
       D_DB2 = 1 << SQLFE_DB2, D_NZ = 1 << SQLFE_NETEZZA, D_SF = 1 << SQLFE_SNOWFLAKE, D_ANSI = 1 << SQLFE_ANSI,
       D_SPARK = 1 << SQLFE_SPARK };

typedef struct fn_row {
    const char *name;
    unsigned dialects; /* D_ALL: every dialect */
    int fn;            /* canonical function for direct rows, -1 with a handler */
    int min, max;      /* direct rows: argument counts */
    uint32_t flags;    /* direct rows */
    handler h;
    int aggregate;
    int oracle_empty;  /* direct rows: add empty_is_null in Oracle */
} fn_row;

static const fn_row fn_rows[] = {
    /* dialect-specific rows first: find_fn takes the first row that applies */
    {"DATE_ADD", D_SPARK, -1, 0, 0, 0, h_spark_date_add, 0, 0},
    {"DATE_SUB", D_SPARK, -1, 0, 0, 0, h_spark_date_add, 0, 0},
    {"DATEDIFF", D_SPARK, -1, 0, 0, 0, h_spark_datediff, 0, 0},
    {"DATE_DIFF", D_SPARK, -1, 0, 0, 0, h_spark_datediff, 0, 0},
    {"TIMESTAMPDIFF", D_SPARK, -1, 0, 0, 0, h_spark_datediff, 0, 0},
    {"TRY_DIVIDE", D_SPARK, -1, 0, 0, 0, h_try_divide, 0, 0},
    {"DATE", D_SPARK, -1, 0, 0, 0, h_spark_cast_fn, 0, 0},
    {"TIMESTAMP", D_SPARK, -1, 0, 0, 0, h_spark_cast_fn, 0, 0},
    {"TRY_TO_TIMESTAMP", D_SPARK, -1, 0, 0, 0, h_spark_cast_fn, 0, 0},
    {"SIGNUM", D_SPARK, -1, 0, 0, 0, h_sign, 0, 0},
    {"IF", D_SPARK | D_ANSI, -1, 0, 0, 0, h_if, 0, 0},
    {"REGEXP_EXTRACT", D_SPARK, -1, 0, 0, 0, h_regexp_extract, 0, 0},
    {"PERCENTILE", D_SPARK, -1, 0, 0, 0, h_spark_percentile, 1, 0},
    {"CONCAT_WS", D_SPARK, -1, 0, 0, 0, h_concat_ws, 0, 0},
    {"DATE_FORMAT", D_SPARK, -1, 0, 0, 0, h_date_format, 0, 0},
    {"TO_UTC_TIMESTAMP", D_SPARK, -1, 0, 0, 0, h_to_utc_timestamp, 0, 0},
    {"CRC32", D_SPARK, IR_FN_CRC32, 1, 1, 0, NULL, 0, 0},
    {"SHA", D_SPARK, -1, 0, 0, 0, h_sha1, 0, 0},
    {"SYSDATE", D_SF, -1, 0, 0, 0, h_utc_now, 0, 0},
    {"GETUTCDATE", D_TSQL, -1, 0, 0, 0, h_utc_now, 0, 0},
    {"SYSUTCDATETIME", D_TSQL, -1, 0, 0, 0, h_utc_now, 0, 0},
    {"DATENAME", D_TSQL, -1, 0, 0, 0, h_datename, 0, 0},
    {"TO_VARCHAR", D_SF, -1, 0, 0, 0, h_to_char, 0, 0},
    {"DAYNAME", D_SF, -1, 0, 0, 0, h_day_month_name, 0, 0},
    {"JSON_EXTRACT_PATH_TEXT", D_SF, -1, 0, 0, 0, h_json_path_text, 0, 0},
    {"GET_JSON_OBJECT", D_SPARK, -1, 0, 0, 0, h_json_path_text, 0, 0},
    {"JSON_EXTRACT_PATH_TEXT", D_ANSI, -1, 0, 0, 0, h_json_path_keys, 0, 0},
    {"->>", D_ANSI, -1, 0, 0, 0, h_json_arrow_text, 0, 0},
    {"->", D_ANSI, -1, 0, 0, 0, h_json_arrow_text, 0, 0},
    {"JSON_EXTRACT_PATH", D_ANSI, -1, 0, 0, 0, h_json_path_keys, 0, 0},
    {"JSON_EXTRACT", D_ANSI, -1, 0, 0, 0, h_json_extract, 0, 0},
    {"MONTHNAME", D_SF, -1, 0, 0, 0, h_day_month_name, 0, 0},
    {"DATEDIFF_BIG", D_TSQL, -1, 0, 0, 0, h_datediff, 0, 0},
    {"FORMAT", D_TSQL, -1, 0, 0, 0, h_tsql_format, 0, 0},
    {"FIRST", D_SPARK, IR_FN_ANY_VALUE, 1, 1, 0, NULL, 1, 0}, /* Spark: any_value is first */
    {"TO_DOUBLE", D_SF, IR_FN_TO_FLOAT, 1, 1, 0, NULL, 0, 0},
    {"TO_TIMESTAMP_NTZ", D_SF, -1, 0, 0, 0, h_to_date, 0, 0},
    {"TO_NUMBER", D_SF, -1, 0, 0, 0, h_try_number, 0, 0},
    {"TO_DECIMAL", D_SF, -1, 0, 0, 0, h_try_number, 0, 0},
    {"TO_NUMERIC", D_SF, -1, 0, 0, 0, h_try_number, 0, 0},
    {"UNHEX", D_SPARK, -1, 0, 0, 0, h_from_hex, 0, 0},
    {"HEXTORAW", D_ORA, -1, 0, 0, 0, h_from_hex, 0, 0},
    {"HEX_DECODE_BINARY", D_SF, -1, 0, 0, 0, h_from_hex, 0, 0},
    {"TO_BINARY", D_SF, -1, 0, 0, 0, h_from_hex, 0, 0},
    {"TO_BINARY", D_SPARK | D_ANSI, -1, 0, 0, 0, h_to_binary_hex, 0, 0},
    {"TRY_TO_NUMBER", D_SF, -1, 0, 0, 0, h_try_number, 0, 0},
    {"TRY_TO_DECIMAL", D_SF, -1, 0, 0, 0, h_try_number, 0, 0},
    {"TRY_TO_NUMERIC", D_SF, -1, 0, 0, 0, h_try_number, 0, 0},
    {"TRY_TO_DOUBLE", D_SF, -1, 0, 0, 0, h_try_number, 0, 0},
    {"TRY_TO_DATE", D_SF, -1, 0, 0, 0, h_try_date, 0, 0},
    {"TRY_TO_TIMESTAMP", D_SF, -1, 0, 0, 0, h_try_date, 0, 0},
    {"TRY_TO_TIMESTAMP_NTZ", D_SF, -1, 0, 0, 0, h_try_date, 0, 0},
    {"SHA1_HEX", D_SF, -1, 0, 0, 0, h_sha1, 0, 0},
    {"SHA2_HEX", D_SF, -1, 0, 0, 0, h_sha2, 0, 0},
    {"NEXT_DAY", D_SF | D_SPARK | D_ANSI, -1, 0, 0, 0, h_next_day, 0, 0}, /* Oracle's keeps the time */
    {"BOOLAND_AGG", D_SF, IR_FN_BOOL_AND, 1, 1, 0, NULL, 1, 0},
    {"CONVERT_TIMEZONE", D_SF | D_SPARK | D_ANSI, -1, 0, 0, 0, h_convert_timezone, 0, 0}, /* ANSI: Redshift */
    {"UUID_STRING", D_SF, -1, 0, 0, 0, h_uuid, 0, 0},
    /* the session's login name and schema; T-SQL USER / CURRENT_USER are the database user (dbo),
     * another name, and stay holes */
    {"USER", D_ORA | D_TD | D_DB2 | D_ANSI | D_NZ | D_SPARK, IR_FN_CURRENT_USER, 0, 0, 0, NULL, 0, 0},
    {"CURRENT_USER", D_ORA | D_TD | D_DB2 | D_ANSI | D_NZ | D_SF | D_SPARK, IR_FN_CURRENT_USER, 0, 0, 0, NULL, 0, 0},
    {"SESSION_USER", D_DB2 | D_ANSI | D_NZ | D_SPARK, IR_FN_CURRENT_USER, 0, 0, 0, NULL, 0, 0},
    {"SYSTEM_USER", D_TSQL, IR_FN_CURRENT_USER, 0, 0, 0, NULL, 0, 0},
    {"SUSER_NAME", D_TSQL, IR_FN_CURRENT_USER, 0, 0, 0, NULL, 0, 0},
    {"SUSER_SNAME", D_TSQL, IR_FN_CURRENT_USER, 0, 0, 0, NULL, 0, 0},
    {"ORIGINAL_LOGIN", D_TSQL, IR_FN_CURRENT_USER, 0, 0, 0, NULL, 0, 0},
    {"USER", D_TSQL, -1, 0, 0, 0, h_tsql_db_user, 0, 0},
    {"CURRENT_USER", D_TSQL, -1, 0, 0, 0, h_tsql_db_user, 0, 0},
    {"USER_NAME", D_TSQL, -1, 0, 1, 0, h_tsql_db_user, 0, 0},
    {"CURRENT_SCHEMA", D_DB2 | D_ANSI | D_NZ | D_SF | D_SPARK, IR_FN_CURRENT_SCHEMA, 0, 0, 0, NULL, 0, 0},
    {"CURRENT_DATABASE", D_SPARK, IR_FN_CURRENT_SCHEMA, 0, 0, 0, NULL, 0, 0},
    {"SYS_CONTEXT", D_ORA, -1, 2, 2, 0, h_sys_context, 0, 0},
    {"UUID", D_SPARK, -1, 0, 0, 0, h_uuid, 0, 0},
    {"DIV0", D_SF, -1, 0, 0, 0, h_div0, 0, 0},
    {"DIV0NULL", D_SF, -1, 0, 0, 0, h_div0, 0, 0},
    {"BOOLOR_AGG", D_SF, IR_FN_BOOL_OR, 1, 1, 0, NULL, 1, 0},
    {"BITAND_AGG", D_SF, IR_FN_BIT_AND, 1, 1, 0, NULL, 1, 0},
    {"BITOR_AGG", D_SF, IR_FN_BIT_OR, 1, 1, 0, NULL, 1, 0},
    {"LISTAGG", D_ORA | D_DB2 | D_SF | D_ANSI | D_SPARK, -1, 0, 0, 0, h_string_agg, 1, 0},
    {"STRING_AGG", D_TSQL | D_ANSI | D_SPARK, -1, 0, 0, 0, h_string_agg, 1, 0},
    {"ARRAY_JOIN", D_SPARK, -1, 0, 0, 0, h_array_join, 0, 0},
    /* arrays: positions from 0 in Snowflake and Spark, from 1 in Postgres and Presto (ANSI) */
    {"[]", D_ALL, -1, 0, 0, 0, h_subscript, 0, 0}, /* a[i] */
    {"ARRAY_CONSTRUCT", D_ALL, -1, 0, 0, 0, h_array_construct, 0, 0}, /* also [a, b] and ARRAY[a, b] */
    {"ARRAY", D_SPARK | D_ANSI, -1, 0, 0, 0, h_array_construct, 0, 0},
    {"GET", D_SF | D_SPARK, -1, 0, 0, 0, h_get, 0, 0},
    {"ELEMENT_AT", D_SPARK | D_ANSI, -1, 0, 0, 0, h_element_at, 0, 0},
    {"ARRAY_SIZE", D_SF | D_SPARK | D_ANSI, IR_FN_ARRAY_SIZE, 1, 1, 0, NULL, 0, 0},
    {"CARDINALITY", D_ANSI, IR_FN_ARRAY_SIZE, 1, 1, 0, NULL, 0, 0},
    {"SIZE", D_SPARK, -1, 0, 0, 0, h_size, 0, 0},
    {"CARDINALITY", D_SPARK, -1, 0, 0, 0, h_size, 0, 0},
    {"ARRAY_LENGTH", D_ANSI, -1, 0, 0, 0, h_array_length, 0, 0},
    {"ARRAY_CONTAINS", D_SF | D_SPARK, -1, 0, 0, 0, h_array_contains, 0, 0},
    {"CONTAINS", D_ANSI, -1, 0, 0, 0, h_array_contains, 0, 0}, /* Presto; Snowflake's and Spark's are of strings */
    {"ARRAY_CAT", D_SF | D_ANSI, -1, 0, 0, 0, h_array_cat, 0, 0},
    {"ARRAY_CONCAT", D_ANSI, -1, 0, 0, 0, h_array_cat, 0, 0},
    {"FLATTEN", D_SPARK, -1, 0, 0, 0, h_flatten, 0, 0},
    {"ARRAY_APPEND", D_SF | D_SPARK | D_ANSI, -1, 0, 0, 0, h_array_append, 0, 0},
    {"ARRAY_AGG", D_ALL, -1, 0, 0, 0, h_array_agg, 1, 0},
    {"ARRAYAGG", D_SF, -1, 0, 0, 0, h_array_agg, 1, 0},
    {"COLLECT_LIST", D_SPARK, -1, 0, 0, 0, h_array_agg, 1, 0},
    {"COLLECT_SET", D_SPARK, -1, 0, 0, 0, h_array_agg, 1, 0},
    {"ARRAY_SLICE", D_SF | D_ANSI, -1, 0, 0, 0, h_array_slice, 0, 0},
    {"SLICE", D_SPARK, -1, 0, 0, 0, h_array_slice, 0, 0},
    {"ARRAY_SORT", D_SF | D_SPARK | D_ANSI, -1, 0, 0, 0, h_array_sort, 0, 0},
    {"SORT_ARRAY", D_SPARK | D_ANSI, -1, 0, 0, 0, h_array_sort, 0, 0},
    {"ARRAY_REVERSE", D_SF | D_ANSI, -1, 0, 0, 0, h_reverse, 0, 0},
    {"REVERSE", D_SPARK | D_ANSI, -1, 0, 0, 0, h_reverse, 0, 0},
    {"ARRAY_MAX", D_SF | D_SPARK | D_ANSI, -1, 0, 0, 0, h_array_elements, 0, 0},
    {"ARRAY_MIN", D_SF | D_SPARK | D_ANSI, -1, 0, 0, 0, h_array_elements, 0, 0},
    {"ARRAY_DISTINCT", D_SF | D_SPARK | D_ANSI, -1, 0, 0, 0, h_array_elements, 0, 0},
    {"ARRAY_COMPACT", D_SF | D_SPARK, -1, 0, 0, 0, h_array_elements, 0, 0},
    {"ARRAY_EXCEPT", D_SF | D_SPARK | D_ANSI, -1, 0, 0, 0, h_array_except, 0, 0},
    {"ARRAY_REMOVE", D_SF | D_SPARK | D_ANSI, -1, 0, 0, 0, h_array_remove, 0, 0},
    {"EXISTS", D_SPARK, -1, 0, 0, 0, h_array_exists, 0, 0},
    {"STDEVP", D_TSQL, IR_FN_STDDEV_POP, 1, 1, 0, NULL, 1, 0},
    {"VARP", D_TSQL, IR_FN_VAR_POP, 1, 1, 0, NULL, 1, 0},
    /* every dialect */
    {"TRANSLATE", D_ALL, -1, 0, 0, 0, h_translate, 0, 0},
    {"REGEXP_INSTR", D_ALL, -1, 0, 0, 0, h_regexp_instr, 0, 0},
    {"RIGHT", D_ALL, -1, 0, 0, 0, h_right, 0, 0},
    {"LEVENSHTEIN", D_SPARK | D_ANSI, IR_FN_LEVENSHTEIN, 2, 2, 0, NULL, 0, 0}, /* Spark's threshold form stays a hole */
    {"EDITDISTANCE", D_SF, IR_FN_LEVENSHTEIN, 2, 2, 0, NULL, 0, 0},            /* and Snowflake's max distance */
    {"SPLIT_PART", D_SF | D_SPARK | D_ANSI | D_NZ, -1, 0, 0, 0, h_split_part, 0, 0},
    {"STRTOK", D_SF, -1, 0, 0, 0, h_strtok, 0, 0},
    {"STR_POSITION", D_ANSI, -1, 0, 0, 0, h_index, 0, 0}, /* sqlglot's StrPosition(haystack, needle) */
    {"TS_OR_DS_ADD", D_ANSI, -1, 0, 0, 0, h_sqlglot_ts_or_ds_add, 0, 0},
    {"TIMESTAMP_TRUNC", D_ANSI, -1, 0, 0, 0, h_sqlglot_timestamp_trunc, 0, 0},
    {"STR_TO_TIME", D_ANSI, -1, 0, 0, 0, h_sqlglot_str_to_time, 0, 0},
    {"STR_TO_DATE", D_ANSI, -1, 0, 0, 0, h_sqlglot_str_to_time, 0, 0},
    {"TS_OR_DS_TO_DATE", D_ANSI, -1, 0, 0, 0, h_sqlglot_str_to_time, 0, 0},
    {"DATE_STR_TO_DATE", D_ANSI, -1, 0, 0, 0, h_sqlglot_str_to_time, 0, 0},
    {"TIME_STR_TO_TIME", D_ANSI, -1, 0, 0, 0, h_sqlglot_str_to_time, 0, 0},
    {"DATE_ADD", D_ANSI, -1, 0, 0, 0, h_ansi_date_add, 0, 0},
    {"MD5_DIGEST", D_ANSI, -1, 0, 0, 0, h_md5_digest, 0, 0},
    {"GET_PATH", D_SF, -1, 0, 0, 0, h_variant_path, 0, 0},
    {"PARSENAME", D_TSQL, -1, 0, 0, 0, h_parsename, 0, 0},
    {"SQUARE", D_ALL, -1, 0, 0, 0, h_square, 0, 0},
    {"LOG2", D_ALL, -1, 0, 0, 0, h_log2, 0, 0},
    {"SIGN", D_ALL, -1, 0, 0, 0, h_sign, 0, 0},
    {"INITCAP", D_ALL, -1, 0, 0, 0, h_initcap, 0, 0},
    {"SHA1", D_ALL, -1, 0, 0, 0, h_sha1, 0, 0},
    {"SHA2", D_ALL, -1, 0, 0, 0, h_sha2, 0, 0},
    {"COUNT_IF", D_ALL, -1, 0, 0, 0, h_count_if, 1, 0},
    {"COUNTIF", D_ALL, -1, 0, 0, 0, h_count_if, 1, 0},
    {"ANY_VALUE", D_ALL, IR_FN_ANY_VALUE, 1, 1, 0, NULL, 1, 0},
    {"BOOL_AND", D_ALL, IR_FN_BOOL_AND, 1, 1, 0, NULL, 1, 0},
    {"BOOL_OR", D_ALL, IR_FN_BOOL_OR, 1, 1, 0, NULL, 1, 0},
    {"LOGICAL_AND", D_ALL, IR_FN_BOOL_AND, 1, 1, 0, NULL, 1, 0},
    {"LOGICAL_OR", D_ALL, IR_FN_BOOL_OR, 1, 1, 0, NULL, 1, 0},
    {"EVERY", D_ALL, IR_FN_BOOL_AND, 1, 1, 0, NULL, 1, 0},
    {"BIT_AND", D_ALL, IR_FN_BIT_AND, 1, 1, 0, NULL, 1, 0},
    {"BIT_OR", D_ALL, IR_FN_BIT_OR, 1, 1, 0, NULL, 1, 0},
    {"STDDEV_POP", D_ALL, IR_FN_STDDEV_POP, 1, 1, 0, NULL, 1, 0},
    {"VAR_POP", D_ALL, IR_FN_VAR_POP, 1, 1, 0, NULL, 1, 0},
    {"VARIANCE_POP", D_ALL, IR_FN_VAR_POP, 1, 1, 0, NULL, 1, 0},
    {"COVAR_POP", D_ALL, IR_FN_COVAR_POP, 2, 2, 0, NULL, 1, 0},
    {"COVAR_SAMP", D_ALL, IR_FN_COVAR_SAMP, 2, 2, 0, NULL, 1, 0},
    {"CORR", D_ALL, IR_FN_CORR, 2, 2, 0, NULL, 1, 0},
    {"REGR_SLOPE", D_ALL, IR_FN_REGR_SLOPE, 2, 2, 0, NULL, 1, 0},
    {"REGR_INTERCEPT", D_ALL, IR_FN_REGR_INTERCEPT, 2, 2, 0, NULL, 1, 0},
    {"REGR_R2", D_ALL, IR_FN_REGR_R2, 2, 2, 0, NULL, 1, 0},
    {"REGR_COUNT", D_ALL, IR_FN_REGR_COUNT, 2, 2, 0, NULL, 1, 0},
    {"REGR_AVGX", D_ALL, IR_FN_REGR_AVGX, 2, 2, 0, NULL, 1, 0},
    {"REGR_AVGY", D_ALL, IR_FN_REGR_AVGY, 2, 2, 0, NULL, 1, 0},
    {"REGR_SXX", D_ALL, IR_FN_REGR_SXX, 2, 2, 0, NULL, 1, 0},
    {"REGR_SYY", D_ALL, IR_FN_REGR_SYY, 2, 2, 0, NULL, 1, 0},
    {"REGR_SXY", D_ALL, IR_FN_REGR_SXY, 2, 2, 0, NULL, 1, 0},
    {"NVL", D_ALL, -1, 0, 0, 0, h_coalesce, 0, 0},
    {"IFNULL", D_ALL, -1, 0, 0, 0, h_coalesce, 0, 0},
    {"COALESCE", D_ALL, -1, 0, 0, 0, h_coalesce, 0, 0},
    {"ISNULL", D_ALL, -1, 0, 0, 0, h_isnull, 0, 0},
    {"NVL2", D_ALL, -1, 0, 0, 0, h_nvl2, 0, 0},
    {"DECODE", D_ALL, -1, 0, 0, 0, h_decode, 0, 0},
    {"IIF", D_ALL, -1, 0, 0, 0, h_iif, 0, 0},
    {"IFF", D_ALL, -1, 0, 0, 0, h_iif, 0, 0},
    {"ZEROIFNULL", D_ALL, -1, 0, 0, 0, h_zeroifnull, 0, 0},
    {"NULLIFZERO", D_ALL, -1, 0, 0, 0, h_nullifzero, 0, 0},
    {"NULLIF", D_ALL, IR_FN_NULLIF, 2, 2, 0, NULL, 0, 0},
    {"SUBSTR", D_ALL, -1, 0, 0, 0, h_substr, 0, 0},
    {"SUBSTRING", D_ALL, -1, 0, 0, 0, h_substr, 0, 0},
    {"INSTR", D_ALL, -1, 0, 0, 0, h_instr, 0, 0},
    {"CHARINDEX", D_ALL, -1, 0, 0, 0, h_charindex, 0, 0},
    {"LOCATE", D_ALL, -1, 0, 0, 0, h_charindex, 0, 0},
    {"POSITION", D_ALL, -1, 0, 0, 0, h_charindex, 0, 0},
    {"INDEX", D_TD, -1, 0, 0, 0, h_index, 0, 0},
    {"POSSTR", D_ALL, -1, 0, 0, 0, h_index, 0, 0},
    {"STRPOS", D_ALL, -1, 0, 0, 0, h_index, 0, 0},
    {"CONCAT", D_ALL, -1, 0, 0, 0, h_concat, 0, 0},
    {"TO_DATE", D_ALL, -1, 0, 0, 0, h_to_date, 0, 0},
    {"TO_TIMESTAMP", D_ALL, -1, 0, 0, 0, h_to_date, 0, 0},
    {"TO_CHAR", D_ALL, -1, 0, 0, 0, h_to_char, 0, 0},
    {"VARCHAR_FORMAT", D_DB2, -1, 0, 0, 0, h_to_char, 0, 0},
    {"TO_NUMBER", D_ALL, -1, 0, 0, 0, h_to_number, 0, 0},
    {"ADD_MONTHS", D_ALL, -1, 0, 0, 0, h_add_months, 0, 0},
    {"MONTHS_BETWEEN", D_ALL, -1, 0, 0, 0, h_months_between, 0, 0},
    {"SYSDATE", D_ALL, -1, 0, 0, 0, h_now, 0, 0},
    {"SYSTIMESTAMP", D_ALL, -1, 0, 0, 0, h_now, 0, 0},
    {"GETDATE", D_ALL, -1, 0, 0, 0, h_now, 0, 0},
    {"SYSDATETIME", D_ALL, -1, 0, 0, 0, h_now, 0, 0},
    {"NOW", D_ALL, -1, 0, 0, 0, h_now, 0, 0},
    {"CURRENT_TIMESTAMP", D_ALL, -1, 0, 0, 0, h_now, 0, 0},
    {"LOCALTIMESTAMP", D_ALL, -1, 0, 0, 0, h_now, 0, 0},
    {"CURRENT_DATE", D_ALL, -1, 0, 0, 0, h_now, 0, 0},
    {"CURDATE", D_ALL, -1, 0, 0, 0, h_now, 0, 0}, /* ODBC {fn CURDATE()}, MySQL */
    {"TRUNC", D_ALL, -1, 0, 0, 0, h_trunc, 0, 0},
    {"ROUND", D_ALL, -1, 0, 0, 0, h_round, 0, 0},
    {"DATEADD", D_ALL, -1, 0, 0, 0, h_dateadd, 0, 0},
    {"TIMESTAMPADD", D_ALL, -1, 0, 0, 0, h_dateadd, 0, 0},
    {"DATEDIFF", D_TSQL | D_SF | D_ANSI, -1, 0, 0, 0, h_datediff, 0, 0},
    {"DATE_FROM_PARTS", D_SF, -1, 0, 0, 0, h_sf_from_parts, 0, 0},
    {"DATEFROMPARTS", D_SF, -1, 0, 0, 0, h_sf_from_parts, 0, 0},
    {"TIMESTAMP_FROM_PARTS", D_SF, -1, 0, 0, 0, h_sf_from_parts, 0, 0},
    {"TIMESTAMP_NTZ_FROM_PARTS", D_SF, -1, 0, 0, 0, h_sf_from_parts, 0, 0},
    {"DATEFROMPARTS", D_TSQL, -1, 0, 0, 0, h_exact_from_parts, 0, 0},
    {"DATETIMEFROMPARTS", D_TSQL, -1, 0, 0, 0, h_exact_from_parts, 0, 0},
    {"MAKE_DATE", D_SPARK, -1, 0, 0, 0, h_exact_from_parts, 0, 0},
    {"MAKE_TIMESTAMP", D_SPARK, -1, 0, 0, 0, h_exact_from_parts, 0, 0},
    {"TIMESTAMPDIFF", D_SF, -1, 0, 0, 0, h_datediff, 0, 0},
    {"TIMEADD", D_SF, -1, 0, 0, 0, h_dateadd, 0, 0},    /* Snowflake's aliases of DATEADD */
    {"TIMEDIFF", D_SF, -1, 0, 0, 0, h_datediff, 0, 0}, /* and DATEDIFF */
    {"DATEPART", D_ALL, -1, 0, 0, 0, h_datepart, 0, 0},
    {"DATE_PART", D_ALL, -1, 0, 0, 0, h_datepart, 0, 0},
    {"DATE_TRUNC", D_ALL, -1, 0, 0, 0, h_date_trunc, 0, 0},
    {"YEAR", D_ALL, -1, 0, 0, 0, h_part_fn, 0, 0},
    {"MONTH", D_ALL, -1, 0, 0, 0, h_part_fn, 0, 0},
    {"DAY", D_ALL, -1, 0, 0, 0, h_part_fn, 0, 0},
    {"HOUR", D_ALL, -1, 0, 0, 0, h_part_fn, 0, 0},
    {"MINUTE", D_ALL, -1, 0, 0, 0, h_part_fn, 0, 0},
    {"SECOND", D_ALL, -1, 0, 0, 0, h_part_fn, 0, 0},
    {"EOMONTH", D_ALL, -1, 0, 0, 0, h_eomonth, 0, 0},
    {"LAST_DAY", D_SF | D_SPARK | D_TD, -1, 0, 0, 0, h_last_day_date, 0, 0},
    {"LAST_DAY", D_ALL, IR_FN_LAST_DAY, 1, 1, 0, NULL, 0, 0}, /* Oracle's keeps the time of day */
    {"LEN", D_TSQL, -1, 0, 0, 0, h_len, 0, 0},
    {"QUOTENAME", D_TSQL, -1, 0, 0, 0, h_quotename, 0, 0},
    {"LEFT", D_ALL, -1, 0, 0, 0, h_left, 0, 0},
    {"REPLACE", D_ALL, -1, 0, 0, 0, h_replace, 0, 0},
    {"OREPLACE", D_TD, -1, 0, 0, 0, h_replace, 0, 0},
    {"REGEXP_SUBSTR", D_ALL, -1, 0, 0, 0, h_regexp_substr, 0, 0},
    {"REGEXP_LIKE", D_ALL, -1, 0, 0, 0, h_regexp_like, 0, 0},
    {"REGEXP_REPLACE", D_ALL, IR_FN_REGEXP_REPLACE, 3, 3, 0, NULL, 0, 1},
    {"LOG", D_ALL, -1, 0, 0, 0, h_log, 0, 0},
    {"LOG10", D_ALL, -1, 0, 0, 0, h_log10, 0, 0},
    {"UPPER", D_ALL, IR_FN_UPPER, 1, 1, 0, NULL, 0, 0},
    {"UCASE", D_ALL, IR_FN_UPPER, 1, 1, 0, NULL, 0, 0},
    {"LOWER", D_ALL, IR_FN_LOWER, 1, 1, 0, NULL, 0, 0},
    {"LCASE", D_ALL, IR_FN_LOWER, 1, 1, 0, NULL, 0, 0},
    {"LENGTH", D_ALL, IR_FN_LENGTH, 1, 1, 0, NULL, 0, 0},
    {"CHAR_LENGTH", D_ALL, IR_FN_LENGTH, 1, 1, 0, NULL, 0, 0},
    {"CHARACTER_LENGTH", D_ALL, IR_FN_LENGTH, 1, 1, 0, NULL, 0, 0},
    {"CHARACTERS", D_TD, IR_FN_LENGTH, 1, 1, 0, NULL, 0, 0},
    {"LTRIM", D_ALL, IR_FN_LTRIM, 1, 2, 0, NULL, 0, 1},
    {"RTRIM", D_ALL, IR_FN_RTRIM, 1, 2, 0, NULL, 0, 1},
    {"BTRIM", D_ALL, IR_FN_TRIM, 1, 2, 0, NULL, 0, 0},
    {"LPAD", D_ALL, IR_FN_LPAD, 2, 3, 0, NULL, 0, 1},
    {"RPAD", D_ALL, IR_FN_RPAD, 2, 3, 0, NULL, 0, 1},
    /* long tail read for the SnowConvert pairs (h_newid ..) */
    {"CHAR", D_TSQL, -1, 0, 0, 0, h_char_code, 0, 0},
    {"CHR", D_ORA, -1, 0, 0, 0, h_char_code, 0, 0},
    {"CHAR", D_SF, IR_FN_CHR, 1, 1, 0, NULL, 0, 0},
    {"NEWID", D_TSQL, -1, 0, 0, 0, h_newid, 0, 0},
    {"SPACE", D_TSQL, -1, 0, 0, 0, h_space, 0, 0},
    {"REPLICATE", D_TSQL, -1, 0, 0, 0, h_repeat, 0, 0},
    {"REPEAT", D_SPARK | D_SF | D_ANSI, -1, 0, 0, 0, h_repeat, 0, 0},
    {"DBMS_LOB.SUBSTR", D_ORA, -1, 0, 0, 0, h_dbms_lob_substr, 0, 0},
    {"DATE", D_SF, -1, 0, 0, 0, h_sf_date, 0, 0},
    {"CHR", D_ALL, IR_FN_CHR, 1, 1, 0, NULL, 0, 0},
    {"ASCII", D_ALL, IR_FN_ASCII, 1, 1, 0, NULL, 0, 0},
    {"REVERSE", D_ALL, IR_FN_REVERSE, 1, 1, 0, NULL, 0, 0},
    {"MD5", D_ALL, IR_FN_MD5, 1, 1, 0, NULL, 0, 0},
    {"ABS", D_ALL, IR_FN_ABS, 1, 1, 0, NULL, 0, 0},
    {"CEIL", D_ALL, IR_FN_CEIL, 1, 2, 0, NULL, 0, 0}, /* Snowflake, Spark: CEIL(x, scale) */
    {"CEILING", D_ALL, IR_FN_CEIL, 1, 2, 0, NULL, 0, 0},
    {"FLOOR", D_ALL, IR_FN_FLOOR, 1, 2, 0, NULL, 0, 0},
    {"SQRT", D_ALL, IR_FN_SQRT, 1, 1, 0, NULL, 0, 0},
    {"SIN", D_ALL, IR_FN_SIN, 1, 1, 0, NULL, 0, 0},
    {"COS", D_ALL, IR_FN_COS, 1, 1, 0, NULL, 0, 0},
    {"TAN", D_ALL, IR_FN_TAN, 1, 1, 0, NULL, 0, 0},
    {"ASIN", D_ALL, IR_FN_ASIN, 1, 1, 0, NULL, 0, 0},
    {"ACOS", D_ALL, IR_FN_ACOS, 1, 1, 0, NULL, 0, 0},
    {"ATAN", D_ALL, IR_FN_ATAN, 1, 1, 0, NULL, 0, 0},
    /* ATAN2(y, x); Teradata's and DB2's ATAN2(x, y) take the coordinates the other way round */
    {"ATAN2", D_SF | D_SPARK | D_ORA | D_ANSI | D_NZ, IR_FN_ATAN2, 2, 2, 0, NULL, 0, 0},
    {"ATN2", D_TSQL, IR_FN_ATAN2, 2, 2, 0, NULL, 0, 0},
    {"PI", D_SF | D_SPARK | D_TSQL | D_ANSI | D_TD | D_NZ, IR_FN_PI, 0, 0, 0, NULL, 0, 0},
    /* T-SQL RADIANS / DEGREES keep the argument's type (RADIANS(1) is 0): not these */
    {"RADIANS", D_SF | D_SPARK | D_ANSI | D_TD | D_DB2 | D_NZ, IR_FN_RADIANS, 1, 1, 0, NULL, 0, 0},
    {"DEGREES", D_SF | D_SPARK | D_ANSI | D_TD | D_DB2 | D_NZ, IR_FN_DEGREES, 1, 1, 0, NULL, 0, 0},
    {"EXP", D_ALL, IR_FN_EXP, 1, 1, 0, NULL, 0, 0},
    {"LN", D_ALL, IR_FN_LN, 1, 1, 0, NULL, 0, 0},
    {"POWER", D_ALL, IR_FN_POWER, 2, 2, 0, NULL, 0, 0},
    {"POW", D_ALL, IR_FN_POWER, 2, 2, 0, NULL, 0, 0},
    {"MOD", D_ALL, IR_FN_MOD, 2, 2, 0, NULL, 0, 0},
    /* aggregates */
    {"COUNT", D_ALL, -1, 0, 0, 0, h_count, 1, 0},
    {"COUNT_BIG", D_TSQL, -1, 0, 0, 0, h_count, 1, 0},
    {"SUM", D_ALL, IR_FN_SUM, 1, 1, 0, NULL, 1, 0},
    {"AVG", D_ALL, IR_FN_AVG, 1, 1, 0, NULL, 1, 0},
    {"MIN", D_ALL, IR_FN_MIN, 1, 1, 0, NULL, 1, 0},
    {"MAX", D_ALL, IR_FN_MAX, 1, 1, 0, NULL, 1, 0},
    {"MEDIAN", D_ALL, IR_FN_MEDIAN, 1, 1, 0, NULL, 1, 0},
    {"STDDEV", D_ALL, IR_FN_STDDEV, 1, 1, 0, NULL, 1, 0},
    {"STDDEV_SAMP", D_ALL, IR_FN_STDDEV, 1, 1, 0, NULL, 1, 0},
    {"STDEV", D_TSQL, IR_FN_STDDEV, 1, 1, 0, NULL, 1, 0},
    {"VARIANCE", D_ALL, IR_FN_VARIANCE, 1, 1, 0, NULL, 1, 0},
    {"VAR_SAMP", D_ALL, IR_FN_VARIANCE, 1, 1, 0, NULL, 1, 0},
    {"VAR", D_TSQL, IR_FN_VARIANCE, 1, 1, 0, NULL, 1, 0},
    /* GROUPING(c) / GROUPING_ID(c1, ..): Snowflake's GROUPING of several columns is GROUPING_ID */
    {"GROUPING", D_ALL, IR_FN_GROUPING, 1, 64, 0, NULL, 1, 0},
    {"GROUPING_ID", D_ALL, IR_FN_GROUPING, 1, 64, 0, NULL, 1, 0},
};

/* Aggregates the IR has no canonical row for (still aggregates for the lowering). */
static const char *const other_aggregates[] = {
    "STDDEV_POP", "VAR_POP", "VARIANCE_POP", "LISTAGG", "STRING_AGG", "GROUP_CONCAT", "CORR",
    "COVAR_POP", "COVAR_SAMP", "REGR_SLOPE", "PERCENTILE_CONT", "PERCENTILE_DISC", "APPROX_COUNT_DISTINCT",
    "BIT_AND", "BIT_OR", "BOOL_AND", "BOOL_OR", "EVERY", "ANY_VALUE", "XMLAGG", "COLLECT", "CHECKSUM_AGG",
    "STDEVP", "VARP", "MODE", "KURTOSIS", "SKEW",
};

static const fn_row *find_fn(const lower_ctx *L, const char *name)
{
    for (size_t i = 0; i < sizeof fn_rows / sizeof fn_rows[0]; i++)
        if (strcmp(fn_rows[i].name, name) == 0 &&
            (fn_rows[i].dialects == D_ALL || (fn_rows[i].dialects & (1u << L->d))))
            return &fn_rows[i];
    return NULL;
}

int sqlfe_is_aggregate_name(const char *name)
{
    for (size_t i = 0; i < sizeof fn_rows / sizeof fn_rows[0]; i++)
        if (fn_rows[i].aggregate && strcasecmp(fn_rows[i].name, name) == 0)
            return 1;
    for (size_t i = 0; i < sizeof other_aggregates / sizeof other_aggregates[0]; i++)
        if (strcasecmp(other_aggregates[i], name) == 0)
            return 1;
    return 0;
}

int sqlfe_has_window(const sqlfe_ast *n)
{
    if (!n)
        return 0;
    if (n->kind == SQ_WINDOW)
        return 1;
    if (n->kind == SQ_QUERY || n->kind == SQ_SUBQUERY || n->kind == SQ_EXISTS)
        return 0;
    for (int i = 0; i < n->n_kids; i++)
        if (sqlfe_has_window(n->kids[i]))
            return 1;
    return 0;
}

static const char *base_name(lower_ctx *L, const char *text)
{
    const char *dot = strrchr(text, '.');
    const char *s = dot ? dot + 1 : text;
    char *u = arena_strdup(L->job->arena, s);
    for (char *c = u; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    return u;
}

/* if(c, v, NULL) or case(c, v): v where c holds, else NULL; returns c and v. */
static int guarded(const ir_expr *e, ir_expr **cond, ir_expr **val)
{
    if (is_call(e, IR_FN_CASE, 2) || (is_call(e, IR_FN_IF, 3) && e->u.call.args[2]->kind == IR_EX_LIT &&
                                      e->u.call.args[2]->u.lit.kind == IR_LIT_NULL)) {
        *cond = e->u.call.args[0];
        *val = e->u.call.args[1];
        return 1;
    }
    return 0;
}

/* Forms that mean the same as a simpler canonical call, as the emitters write them:
 *   agg(if(c, v, NULL)) -> agg(v, c): an aggregate that ignores NULLs (array_agg too) sees v only
 *   where c holds;
 *   count(if(c, 1, NULL)) -> count_star(c);
 *   lpad/rpad(s, n, ' ') -> lpad/rpad(s, n): blank is the default pad. */
static ir_expr *simpler_call(lower_ctx *L, ir_expr *e)
{
    if (!e || e->kind != IR_EX_CALL)
        return e;
    ir_fn fn = e->u.call.fn;
    const ir_fn_info *fi = ir_fn_get(fn);
    int n = e->u.call.n_args;
    ir_expr *cond, *val;
    /* the aggregated values: every argument, but string_agg's separator is none */
    int nv = fn == IR_FN_STRING_AGG ? 1 : n;
    if (ir_fn_is_aggregate(fn) && (fi->null_rule == NR_AGG || fn == IR_FN_ARRAY_AGG) && n == fi->min_args &&
        n + 1 <= fi->max_args &&
        n >= 1 && fn != IR_FN_PERCENTILE) {
        int all = 1;
        ir_expr *c0 = NULL;
        for (int i = 0; i < nv && all; i++) {
            all = guarded(e->u.call.args[i], &cond, &val) && (!c0 || ir_expr_equal(c0, cond));
            c0 = cond;
        }
        if (all) {
            if (fn == IR_FN_COUNT && !(e->u.call.flags & IR_FL_DISTINCT) && guarded(e->u.call.args[0], &cond, &val) &&
                val->kind == IR_EX_LIT && val->u.lit.kind != IR_LIT_NULL) {
                ir_expr *r = ir_call(L->job, IR_FN_COUNT_STAR, 0, 1, &cond);
                r->span = e->span;
                return r;
            }
            ir_expr **a = arena_alloc(L->job->arena, (size_t)(n + 1) * sizeof *a);
            for (int i = 0; i < n; i++) {
                a[i] = e->u.call.args[i];
                if (i < nv && guarded(e->u.call.args[i], &cond, &val))
                    a[i] = val;
            }
            a[n] = c0;
            ir_expr *r = ir_call(L->job, fn, e->u.call.flags, n + 1, a);
            r->span = e->span;
            return r;
        }
    }
    if ((fn == IR_FN_LPAD || fn == IR_FN_RPAD) && n == 3 && str_lit(e->u.call.args[2]) &&
        strcmp(str_lit(e->u.call.args[2]), " ") == 0)
        e->u.call.n_args = 2;
    return e;
}

/* PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY x [ASC]) with a literal p in 0..1 (or p / 100): the
 * interpolated percentile; NULL when it is anything else. */
static ir_expr *percentile_cont(lower_ctx *L, const sqlfe_ast *n, int wg)
{
    const sqlfe_ast *w = n->kids[wg];
    if (wg != 1 || n->n_kids != 2 || strcasecmp(base_name(L, n->text), "PERCENTILE_CONT") != 0 || w->n_kids != 1 ||
        w->kids[0]->kind != SQ_CL_ORDER || w->kids[0]->n_kids != 1)
        return NULL;
    const sqlfe_ast *item = w->kids[0]->kids[0];
    if (item->kind != SQ_ORDER_ITEM || (item->flags & SQF_DESC) || item->n_kids != 1)
        return NULL;
    ir_expr *p = sqlfe_expr(L, n->kids[0]);
    if (!p)
        return NULL;
    double v;
    if (is_call(p, IR_FN_DIV, 2) && lit_is(p->u.call.args[1], "100") && p->u.call.args[0]->kind == IR_EX_LIT &&
        (p->u.call.args[0]->u.lit.kind == IR_LIT_INT || p->u.call.args[0]->u.lit.kind == IR_LIT_DECIMAL))
        v = strtod(p->u.call.args[0]->u.lit.text, NULL);
    else if (p->kind == IR_EX_LIT && (p->u.lit.kind == IR_LIT_INT || p->u.lit.kind == IR_LIT_DECIMAL))
        v = strtod(p->u.lit.text, NULL) * 100.0;
    else
        return NULL;
    if (v < 0 || v > 100)
        return NULL;
    ir_expr *x = sqlfe_expr(L, item->kids[0]);
    if (!x)
        return NULL;
    long long iv = (long long)(v + 0.5);
    ir_expr *pe = (v - (double)iv < 1e-9 && (double)iv - v < 1e-9)
                      ? ir_lit_int(L->job, iv)
                      : ir_lit(L->job, IR_LIT_DECIMAL, arena_printf(L->job->arena, "%.10g", v));
    ir_expr *a[2] = {x, pe};
    return at(L, ir_call(L->job, IR_FN_PERCENTILE, 0, 2, a), n);
}

/* An ordered string or array aggregate: LISTAGG(x [, sep]) WITHIN GROUP (ORDER BY ..) (Oracle, DB2,
 * Snowflake, SQL:2016; Databricks and Spark 4 also as STRING_AGG, the separator optional), T-SQL
 * STRING_AGG(x, sep) WITHIN GROUP (ORDER BY ..), Snowflake ARRAY_AGG /
 * ARRAYAGG(x) WITHIN GROUP (ORDER BY ..), Postgres STRING_AGG(x, sep ORDER BY ..); ord the ORDER BY
 * clause. Each key gets the dialect's NULL placement when it says none. NULL when the call is not
 * one of these (the caller keeps its hole); a hole when a part has no canonical form. */
static ir_expr *ordered_agg(lower_ctx *L, const sqlfe_ast *n, const sqlfe_ast *ord, int within)
{
    const char *name = base_name(L, n->text);
    int listagg = !strcmp(name, "LISTAGG"), stragg = !strcmp(name, "STRING_AGG");
    int arr = (!strcmp(name, "ARRAY_AGG") || !strcmp(name, "ARRAYAGG")) && L->d == SQLFE_SNOWFLAKE && within;
    int spark = L->d == SQLFE_SPARK && within; /* Databricks, Spark 4: LISTAGG / STRING_AGG .. WITHIN GROUP */
    if (!((listagg && within && (L->d == SQLFE_ORACLE || L->d == SQLFE_DB2 || L->d == SQLFE_SNOWFLAKE ||
                                 L->d == SQLFE_ANSI)) ||
          (stragg && ((within && L->d == SQLFE_TSQL) || (!within && L->d == SQLFE_ANSI))) || arr || spark))
        return NULL;
    int nargs = 0;
    for (int i = 0; i < n->n_kids; i++)
        if (n->kids[i]->kind != SQ_WITHIN_GROUP && n->kids[i]->kind != SQ_CL_ORDER)
            nargs++;
    if (nargs < 1 || nargs > (arr ? 1 : 2) || (stragg && !spark && nargs != 2) || !ord || ord->n_kids < 1 || ord->n_kids > 15)
        return sqlfe_hole(L, n, "ordered aggregate with an unusual argument count");
    ir_expr **a = arena_alloc(L->job->arena, sizeof *a * (size_t)(2 + 2 * ord->n_kids));
    int k = 0;
    for (int i = 0; i < nargs; i++) {
        a[k] = sqlfe_expr(L, n->kids[i]);
        if (!a[k])
            return NULL;
        k++;
    }
    if (!arr && nargs == 1)
        a[k++] = ir_lit_str(L->job, ""); /* LISTAGG's default separator */
    if (!arr && !str_lit(a[1]))
        return sqlfe_hole(L, n, "string aggregate whose separator is not a string literal");
    for (int i = 0; i < ord->n_kids; i++) {
        const sqlfe_ast *oi = ord->kids[i];
        int desc = (oi->flags & SQF_DESC) != 0;
        int nulls = (oi->flags & SQF_NULLS_FIRST) ? 1 : (oi->flags & SQF_NULLS_LAST) ? 2 : sqlfe_default_nulls(L->d, desc);
        if (!nulls)
            return sqlfe_hole(L, n, "ordered aggregate whose NULL ordering the dialect leaves open (say NULLS FIRST or LAST)");
        a[k] = sqlfe_expr(L, oi->kids[0]);
        if (!a[k])
            return NULL;
        k++;
        a[k++] = ir_lit_str(L->job, ir_order_direction(desc, nulls == 1));
    }
    if (arr && k == 3 && ir_expr_equal(a[0], a[1])) {
        /* the values ordered by themselves: the array aggregate sorted (it holds no NULL, so where
         * the key's NULLs go does not matter; nulls last, as array_sort reads it) */
        ir_expr *agg = at(L, ir_call(L->job, IR_FN_ARRAY_AGG, (n->flags & SQF_DISTINCT) ? IR_FL_DISTINCT : 0, 1, a), n);
        const char *dir = strncmp(a[2]->u.lit.text, "desc", 4) == 0 ? "desc nulls last" : "asc nulls last";
        return at(L, ir_call2(L->job, IR_FN_ARRAY_SORT, agg, ir_lit_str(L->job, dir)), n);
    }
    ir_expr *e = at(L, ir_call(L->job, arr ? IR_FN_ARRAY_AGG_ORDERED : IR_FN_STRING_AGG_ORDERED,
                               (n->flags & SQF_DISTINCT) ? IR_FL_DISTINCT : 0, k, a), n);
    if (!arr && L->d == SQLFE_SNOWFLAKE) /* Snowflake's LISTAGG gives '' for a group without a value */
        e = at(L, ir_call2(L->job, IR_FN_COALESCE, e, ir_lit_str(L->job, "")), n);
    return e;
}

static ir_expr *lower_func(lower_ctx *L, const sqlfe_ast *n)
{
    /* the OVER first: an ordered aggregate (WITHIN GROUP) over a window is a window call */
    for (int i = 0; i < n->n_kids; i++)
        if (n->kids[i]->kind == SQ_WINDOW) {
            if (L->window_call)
                return L->window_call(L, n);
            return sqlfe_hole(L, n, "window function (OVER)");
        }
    for (int i = 0; i < n->n_kids; i++) {
        sqlfe_kind k = n->kids[i]->kind;
        if (k == SQ_WITHIN_GROUP) {
            ir_expr *e = percentile_cont(L, n, i);
            if (!e && !(n->kids[i]->text && !strcmp(n->kids[i]->text, "KEEP")) && n->kids[i]->n_kids)
                e = ordered_agg(L, n, n->kids[i]->kids[0], 1);
            return e ? e : sqlfe_hole(L, n, "ordered aggregate (WITHIN GROUP / KEEP)");
        }
        if (k == SQ_FILTER)
            return sqlfe_hole(L, n, "aggregate with FILTER");
        if (k == SQ_CL_ORDER) {
            ir_expr *e = ordered_agg(L, n, n->kids[i], 0);
            return e ? e : sqlfe_hole(L, n, "function with ordered, named or query arguments");
        }
        if (k == SQ_NAMED_ARG || k == SQ_SUBQUERY)
            return sqlfe_hole(L, n, "function with ordered, named or query arguments");
    }
    const char *name = base_name(L, n->text);
    if (oracle(L) && strcasecmp(n->text, "DBMS_LOB.SUBSTR") == 0)
        name = "DBMS_LOB.SUBSTR"; /* a packaged function with a canonical form */
    else if (strchr(n->text, '.') && strncasecmp(n->text, "SYS.", 4) != 0 && strncasecmp(n->text, "DBO.", 4) != 0)
        return sqlfe_hole(L, n, arena_printf(L->job->arena, "user function %s", n->text));
    if (strcmp(name, ":") == 0 && (L->d == SQLFE_SNOWFLAKE || spark(L))) /* its path is no column */
        return h_variant_path(L, &(call){n, name, n->n_kids, NULL});
    if (L->d == SQLFE_TSQL && L->in_handler && n->n_kids == 0 && strcasecmp(name, "ERROR_MESSAGE") == 0) {
        /* the message of the error the CATCH block handles: the handler's SQLERRM (its text is the
         * target engine's); ERROR_NUMBER and the others stay holes (their codes are SQL Server's) */
        if (!ir_job_param(L->job, "SQLERRM"))
            ir_job_add_param(L->job, "SQLERRM")->span = sqlfe_span_at(L, n->start);
        return ir_param_ref(L->job, "SQLERRM");
    }
    ir_expr *sorted;
    if (spark_sorted_values(L, n, &sorted)) /* what the Spark printer writes for array_agg_ordered */
        return sorted;
    const fn_row *row = find_fn(L, name);
    if (!row)
        return sqlfe_hole(L, n, arena_printf(L->job->arena, "function %s has no canonical form", name));
    call c = {n, name, n->n_kids, NULL};
    c.args = arena_alloc(L->job->arena, (size_t)(n->n_kids + 1) * sizeof *c.args);
    int dateword = row->h == h_dateadd || row->h == h_datediff || row->h == h_datepart || row->h == h_date_trunc;
    for (int i = 0; i < n->n_kids; i++) {
        if ((dateword || row->h == h_array_join || row->h == h_flatten ||
             (row->h == h_array_contains && L->d == SQLFE_SNOWFLAKE)) &&
            i == 0) {
            /* the part (the aggregate of ARRAY_JOIN, the arrays FLATTEN joins, the value Snowflake's
             * ARRAY_CONTAINS looks for): read from the tree */
            c.args[i] = ir_lit_null(L->job);
            continue;
        }
        if ((row->h == h_sqlglot_ts_or_ds_add && i == 2) || (row->h == h_sqlglot_timestamp_trunc && i == 1)) {
            c.args[i] = ir_lit_null(L->job); /* a unit word, read from the tree */
            continue;
        }
        c.args[i] = sqlfe_expr(L, n->kids[i]);
        if (!c.args[i])
            return NULL;
    }
    if ((n->flags & SQF_DISTINCT) && row->aggregate && row->h != h_count && row->h != h_string_agg &&
        row->h != h_array_agg) {
        if (row->fn == IR_FN_MIN || row->fn == IR_FN_MAX)
            return mk(L, &c, (ir_fn)row->fn, 0, c.argc, c.args); /* DISTINCT changes nothing */
        return mk(L, &c, (ir_fn)row->fn, IR_FL_DISTINCT, c.argc, c.args);
    }
    if (row->h)
        return simpler_call(L, row->h(L, &c));
    if (c.argc < row->min || c.argc > row->max)
        return sqlfe_hole(L, n, arena_printf(L->job->arena, "%s with %d arguments", name, c.argc));
    uint32_t fl = row->flags | (row->oracle_empty ? oracle_str_flags(L) : 0);
    return simpler_call(L, mk(L, &c, (ir_fn)row->fn, fl, c.argc, c.args));
}

/* ---- LIKE ---- */

/* A LIKE pattern (with an optional escape character) as an anchored-free regular expression for
 * regexp_like[full_match]: % -> .*, _ -> ., regex metacharacters escaped. */
static const char *like_to_regex(lower_ctx *L, const char *pat, char esc)
{
    strbuf sb = STRBUF_INIT;
    for (const char *s = pat; *s; s++) {
        const char *close = L->d == SQLFE_TSQL && *s == '[' ? strchr(s + 2, ']') : NULL;
        if (close && !(esc && memchr(s, esc, (size_t)(close - s)))) {
            /* T-SQL [abc] [a-f] [^a-f]: one character of (not of) the set, as in a regex */
            sb_putc(&sb, '[');
            for (const char *q = s + 1; q < close; q++) {
                if (*q == '\\' || *q == '[' || (*q == '^' && q != s + 1))
                    sb_putc(&sb, '\\');
                sb_putc(&sb, *q);
            }
            sb_putc(&sb, ']');
            s = close;
        } else if (esc && *s == esc && s[1]) {
            s++;
            if (strchr(".^$*+?()[]{}|\\", *s))
                sb_putc(&sb, '\\');
            sb_putc(&sb, *s);
        } else if (*s == '%') {
            sb_puts(&sb, ".*");
        } else if (*s == '_') {
            sb_putc(&sb, '.');
        } else {
            if (strchr(".^$*+?()[]{}|\\", *s))
                sb_putc(&sb, '\\');
            sb_putc(&sb, *s);
        }
    }
    const char *r = arena_strdup(L->job->arena, sb_cstr(&sb));
    sb_free(&sb);
    return r;
}

static ir_expr *like_one(lower_ctx *L, const sqlfe_ast *n, ir_expr *x, const sqlfe_ast *pat, char esc, int ci)
{
    if (pat->kind != SQ_STR)
        return NULL;
    const char *re = like_to_regex(L, pat->text, esc);
    ir_expr *a[2] = {x, ir_lit_str(L->job, re)};
    /* % and _ match line breaks too */
    uint32_t fl = IR_FL_FULL_MATCH | IR_FL_DOT_ALL | (ci ? IR_FL_CASE_INSENSITIVE : 0);
    return at(L, ir_call(L->job, IR_FN_REGEXP_LIKE, fl, 2, a), n);
}

/* x LIKE pat of a pattern that is no literal: like(x, pat [, escape]), the escape character the
 * ESCAPE clause names (esc_set) or the dialect's default one (Spark's and Databricks' \; the others
 * have none, the ANSI reader's sqlglot and Presto neither). T-SQL patterns also hold [..] sets,
 * which like() has not: a hole. NULL when the pattern does not lower. */
static ir_expr *like_computed(lower_ctx *L, const sqlfe_ast *n, ir_expr *x, const sqlfe_ast *pat, char esc, int esc_set,
                              int ci)
{
    if (L->d == SQLFE_TSQL)
        return sqlfe_hole(L, n, "T-SQL LIKE of a computed pattern ([..] character sets have no canonical form)");
    if (pat->kind == SQ_QUERY || pat->kind == SQ_SUBQUERY || pat->kind == SQ_SELECT)
        return sqlfe_hole(L, n, "LIKE ANY / ALL of a subquery's patterns");
    ir_expr *p = sqlfe_expr(L, pat);
    if (!p)
        return NULL;
    if (!esc_set && spark(L))
        esc = '\\';
    char e[2] = {esc, 0};
    ir_expr *a[3] = {x, p, esc ? ir_lit_str(L->job, e) : NULL};
    return at(L, ir_call(L->job, IR_FN_LIKE, ci ? IR_FL_CASE_INSENSITIVE : 0, esc ? 3 : 2, a), n);
}

static ir_expr *lower_like(lower_ctx *L, const sqlfe_ast *n)
{
    const char *op = n->text;
    int ci = strncmp(op, "ILIKE", 5) == 0;
    /* Teradata LIKE follows the case rules of a comparison */
    if (L->d == SQLFE_TERADATA && !L->td_ansi && !(n->kids[0]->flags & SQF_CASESPECIFIC) &&
        !(n->kids[1]->flags & SQF_CASESPECIFIC))
        ci = 1;
    if ((strcmp(op, "RLIKE") == 0 || strcmp(op, "REGEXP") == 0) && n->n_kids == 2 &&
        (spark(L) || L->d == SQLFE_SNOWFLAKE)) {
        /* Spark: the Java pattern matches somewhere (a '^(?:p)\z' pattern: the whole string);
         * Snowflake: RLIKE matches the whole string */
        ir_expr *x = sqlfe_expr(L, n->kids[0]);
        ir_expr *p = x ? sqlfe_expr(L, n->kids[1]) : NULL;
        if (!p)
            return NULL;
        uint32_t fl = L->d == SQLFE_SNOWFLAKE ? IR_FL_FULL_MATCH : 0;
        if (spark(L))
            p = java_pattern(L, p, &fl, 1);
        ir_expr *a[2] = {x, p};
        ir_expr *r = at(L, ir_call(L->job, IR_FN_REGEXP_LIKE, fl, 2, a), n);
        return (n->flags & SQF_NOT) ? at(L, ir_call1(L->job, IR_FN_NOT, r), n) : r;
    }
    if (op[0] == '~' && n->n_kids == 2) {
        /* Postgres ~ / ~*: the pattern matches somewhere in the string */
        ir_expr *x = sqlfe_expr(L, n->kids[0]);
        ir_expr *p = x ? sqlfe_expr(L, n->kids[1]) : NULL;
        if (!p)
            return NULL;
        ir_expr *a[2] = {x, p};
        ir_expr *r = at(L, ir_call(L->job, IR_FN_REGEXP_LIKE, op[1] == '*' ? IR_FL_CASE_INSENSITIVE : 0, 2, a), n);
        return (n->flags & SQF_NOT) ? at(L, ir_call1(L->job, IR_FN_NOT, r), n) : r;
    }
    if (strncmp(op, "LIKE", 4) != 0 && !ci)
        return sqlfe_hole(L, n, arena_printf(L->job->arena, "%s has no canonical form", op));
    /* without ESCAPE, Spark and Postgres take backslash as the escape character; the others none */
    char esc = spark(L) || L->d == SQLFE_ANSI ? '\\' : 0;
    if (n->n_kids > 2) {
        const sqlfe_ast *e = n->kids[2];
        if (e->kind != SQ_STR || strlen(e->text) > 1)
            return sqlfe_hole(L, n, "LIKE with a computed ESCAPE");
        esc = e->text[0];
    }
    ir_expr *x = sqlfe_expr(L, n->kids[0]);
    if (!x)
        return NULL;
    ir_expr *r;
    if (strstr(op, " ANY") || strstr(op, " ALL")) {
        const sqlfe_ast *list = n->kids[1];
        int all = strstr(op, " ALL") != NULL;
        ir_expr **v = arena_alloc(L->job->arena, (size_t)(list->n_kids + 1) * sizeof *v);
        for (int i = 0; i < list->n_kids; i++) {
            ir_expr *xi = i ? copy(L, x) : x;
            v[i] = like_one(L, n, xi, list->kids[i], esc, ci);
            if (!v[i])
                v[i] = like_computed(L, n, xi, list->kids[i], esc, n->n_kids > 2, ci);
            if (!v[i])
                return NULL;
            if (v[i]->kind == IR_EX_HOLE)
                return sqlfe_hole(L, n, v[i]->u.hole.reason);
        }
        r = list->n_kids == 1 ? v[0] : at(L, ir_call(L->job, all ? IR_FN_AND : IR_FN_OR, 0, list->n_kids, v), n);
    } else {
        r = like_one(L, n, x, n->kids[1], esc, ci);
        if (!r)
            r = like_computed(L, n, x, n->kids[1], esc, n->n_kids > 2, ci);
        if (!r || r->kind == IR_EX_HOLE)
            return r;
    }
    if (n->flags & SQF_NOT)
        r = at(L, ir_call1(L->job, IR_FN_NOT, r), n);
    return r;
}

/* ---- the rest ---- */

/* X'..' (an even number of hex digits): the bytes, from_hex of the digits; B'..' (bits) and
 * anything else: a hole. The token's first character tells which. */
static ir_expr *binary_lit(lower_ctx *L, const sqlfe_ast *n)
{
    const char *t = n->text ? n->text : "";
    size_t len = strlen(t), i = 0;
    while (i < len && isxdigit((unsigned char)t[i]))
        i++;
    int hex = L->sql && (L->sql[n->start] == 'X' || L->sql[n->start] == 'x') && i == len && len % 2 == 0;
    if (!hex)
        return sqlfe_hole(L, n, "a bit-string (B'..') literal, or X'..' that is no hex, has no canonical form");
    char *u = arena_strdup(L->job->arena, t); /* X'cc' is X'CC' */
    for (char *q = u; *q; q++)
        *q = (char)toupper((unsigned char)*q);
    ir_expr *e = at(L, ir_call1(L->job, IR_FN_FROM_HEX, ir_lit_str(L->job, u)), n);
    e->type = ir_type_make(IR_TY_BINARY, 0, 0);
    return e;
}

static int hex_num(const sqlfe_ast *n)
{
    return n->kind == SQ_NUM && n->text && n->text[0] == '0' && (n->text[1] == 'x' || n->text[1] == 'X');
}

/* A T-SQL binary constant 0x..: the bytes, from_hex of the digits (an odd count has a leading 0
 * added, as T-SQL reads 0x1 as 0x01). Where an arithmetic or comparison operator takes it,
 * T-SQL converts it to the integer it spells: lower_binary reads it so there. */
static ir_expr *tsql_binary_const(lower_ctx *L, const sqlfe_ast *n)
{
    const char *d = n->text + 2;
    size_t len = strlen(d);
    char *u = arena_alloc(L->job->arena, len + 2);
    char *q = u;
    if (len % 2)
        *q++ = '0';
    for (size_t i = 0; i <= len; i++)
        *q++ = (char)toupper((unsigned char)d[i]);
    ir_expr *e = at(L, ir_call1(L->job, IR_FN_FROM_HEX, ir_lit_str(L->job, u)), n);
    e->type = ir_type_make(IR_TY_BINARY, 0, 0);
    return e;
}

static ir_expr *lower_num(lower_ctx *L, const sqlfe_ast *n)
{
    const char *t = n->text;
    size_t tl = strlen(t);
    if (L->d == SQLFE_TSQL && hex_num(n) && strspn(t + 2, "0123456789abcdefABCDEF") == tl - 2)
        return tsql_binary_const(L, n);
    if (L->d == SQLFE_ORACLE && tl > 1 && strchr("DdFf", t[tl - 1]) && !(t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))) {
        /* Oracle 2.5F / 2.5D: a BINARY_FLOAT / BINARY_DOUBLE literal, both read as double */
        const char *num = arena_strndup(L->job->arena, t, tl - 1);
        return ir_lit(L->job, IR_LIT_DOUBLE, arena_printf(L->job->arena, "%.17g", strtod(num, NULL)));
    }
    if (L->d == SQLFE_SPARK && tl > 1 && isalpha((unsigned char)t[tl - 1]) &&
        !(t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))) {
        /* a Spark literal with a type suffix: the number, typed */
        char suf = (char)toupper((unsigned char)t[tl - 1]);
        int bd = tl > 2 && suf == 'D' && toupper((unsigned char)t[tl - 2]) == 'B';
        const char *num = arena_strndup(L->job->arena, t, tl - (bd ? 2 : 1));
        if (bd)
            return ir_lit(L->job, strchr(num, '.') ? IR_LIT_DECIMAL : IR_LIT_DECIMAL, num);
        if (suf == 'D' || suf == 'F')
            return ir_lit(L->job, IR_LIT_DOUBLE, arena_printf(L->job->arena, "%.17g", strtod(num, NULL)));
        ir_expr *e = ir_lit(L->job, IR_LIT_INT, num);
        e->type = ir_type_make(suf == 'L' ? IR_TY_BIGINT : IR_TY_INT, 0, 0);
        return e;
    }
    if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
        long long v = strtoll(t + 2, NULL, 16);
        return ir_lit_int(L->job, v);
    }
    if (strpbrk(t, "eE"))
        return ir_lit(L->job, IR_LIT_DOUBLE, arena_printf(L->job->arena, "%.17g", strtod(t, NULL)));
    if (strchr(t, '.')) {
        const char *s = t[0] == '.' ? arena_printf(L->job->arena, "0%s", t) : t;
        size_t len = strlen(s);
        if (s[len - 1] == '.')
            s = arena_strndup(L->job->arena, s, len - 1);
        return ir_lit(L->job, strchr(s, '.') ? IR_LIT_DECIMAL : IR_LIT_INT, s);
    }
    /* strip leading zeros, keep "0" */
    while (t[0] == '0' && t[1])
        t++;
    errno = 0;
    long long v = strtoll(t, NULL, 10);
    if (errno != 0 || strlen(t) > 18)
        return ir_lit(L->job, IR_LIT_DECIMAL, t);
    if (v > 2147483647LL) {
        ir_expr *e = ir_lit(L->job, IR_LIT_INT, t);
        e->type = ir_type_make(IR_TY_BIGINT, 0, 0);
        return e;
    }
    return ir_lit(L->job, IR_LIT_INT, t);
}

int sqlfe_tsql_global_known(const char *name)
{
    while (*name == '@')
        name++;
    return !strcasecmp(name, "FETCH_STATUS") || !strcasecmp(name, "ROWCOUNT") || !strcasecmp(name, "TRANCOUNT");
}

static ir_expr *lower_param(lower_ctx *L, const sqlfe_ast *n)
{
    const char *t = n->text;
    const char *name;
    if (strcmp(t, "?") == 0) {
        name = arena_printf(L->job->arena, "BIND_%d", ++L->n_binds);
    } else if (strncmp(t, "$$", 2) == 0) {
        name = t + 2;
    } else if (strncmp(t, "${", 2) == 0) {
        size_t k = strlen(t);
        name = arena_strndup(L->job->arena, t + 2, k > 3 && t[k - 1] == '}' ? k - 3 : k - 2);
    } else {
        if (L->d == SQLFE_TSQL && strncmp(t, "@@", 2) == 0 && !sqlfe_tsql_global_known(t))
            /* @@ERROR, @@IDENTITY, @@SPID ..: the server's values, not a variable of the script */
            return sqlfe_hole(L, n, arena_printf(L->job->arena, "T-SQL global %s has no translation", t));
        while (*t == ':' || *t == '@' || *t == '&' || *t == '$')
            t++;
        size_t k = strlen(t);
        if (k && t[k - 1] == '.')
            k--;
        name = arena_strndup(L->job->arena, t, k);
    }
    if (!ir_job_param(L->job, name)) {
        ir_param *pm = ir_job_add_param(L->job, name);
        pm->span = sqlfe_span_at(L, n->start);
    }
    return ir_param_ref(L->job, name);
}

/* A string literal. Informatica substitutes $$PARAM anywhere in an override's text, quotes
 * included: '$$D' is the parameter, 'X_$$D' the concatenation of 'X_' and the parameter. */
static ir_expr *string_with_params(lower_ctx *L, const sqlfe_ast *n)
{
    const char *s = n->text;
    if (!strstr(s, "$$"))
        return ir_lit_str(L->job, s);
    ir_expr **parts = NULL;
    int cnt = 0, cap = 0;
    const char *p = s;
    while (*p) {
        const char *d = strstr(p, "$$");
        if (!d || !(isalpha((unsigned char)d[2]) || d[2] == '_')) {
            if (!d) {
                ARENA_PUSH(L->job->arena, parts, cnt, cap, ir_lit_str(L->job, p));
                break;
            }
            d += 2; /* a lone $$: literal text */
            ARENA_PUSH(L->job->arena, parts, cnt, cap, ir_lit_str(L->job, arena_strndup(L->job->arena, p, (size_t)(d - p))));
            p = d;
            continue;
        }
        if (d > p)
            ARENA_PUSH(L->job->arena, parts, cnt, cap, ir_lit_str(L->job, arena_strndup(L->job->arena, p, (size_t)(d - p))));
        const char *e = d + 2;
        while (isalnum((unsigned char)*e) || *e == '_')
            e++;
        const char *name = arena_strndup(L->job->arena, d + 2, (size_t)(e - d - 2));
        if (!ir_job_param(L->job, name)) {
            ir_param *pm = ir_job_add_param(L->job, name);
            pm->span = sqlfe_span_at(L, n->start);
        }
        ARENA_PUSH(L->job->arena, parts, cnt, cap, ir_param_ref(L->job, name));
        p = e;
    }
    if (cnt == 1)
        return parts[0];
    return ir_call(L->job, IR_FN_CONCAT, 0, cnt, parts);
}

static int valid_date_text(const char *s, int timestamp)
{
    /* YYYY-MM-DD[ HH:MM:SS[.f]] */
    size_t n = strlen(s);
    if (n < 10)
        return 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return 0;
        } else if (!isdigit((unsigned char)s[i])) {
            return 0;
        }
    }
    if (!timestamp)
        return n == 10;
    return n == 10 || (n >= 19 && (s[10] == ' ' || s[10] == 'T') && s[13] == ':' && s[16] == ':');
}

static ir_expr *lower_typed_lit(lower_ctx *L, const sqlfe_ast *n)
{
    const char *v = n->kids[0]->text;
    if (strcmp(n->text, "DATE") == 0 && valid_date_text(v, 0))
        return ir_lit(L->job, IR_LIT_DATE, v);
    if ((strcmp(n->text, "TIMESTAMP") == 0 || strcmp(n->text, "DATETIME") == 0) && valid_date_text(v, 1)) {
        char *t = arena_strdup(L->job->arena, v);
        if (t[10] == 'T')
            t[10] = ' ';
        return ir_lit(L->job, strlen(t) == 10 ? IR_LIT_DATE : IR_LIT_TIMESTAMP, t);
    }
    return sqlfe_hole(L, n, "a date/time literal in a form the IR does not hold");
}

/* x + INTERVAL 'n' unit -> date_add(x, unit, n); returns NULL when it does not fit. */
static ir_expr *interval_add(lower_ctx *L, const sqlfe_ast *n, ir_expr *x, const sqlfe_ast *iv, int negate)
{
    if (!iv->text || strstr(iv->text, " TO "))
        return NULL;
    const char *part = part_canonical(iv->text);
    if (!part)
        return NULL;
    ir_expr *amount;
    const sqlfe_ast *v = iv->kids[0];
    if (v->kind == SQ_STR) {
        char *end;
        long long k = strtoll(v->text, &end, 10);
        while (*end == ' ')
            end++;
        if (*end || !*v->text)
            return NULL;
        amount = ir_lit_int(L->job, k);
    } else {
        amount = sqlfe_expr(L, v);
        if (!amount)
            return NULL;
    }
    long long lv;
    if (negate && lit_int(amount, &lv))
        amount = ir_lit_int(L->job, -lv);
    else if (negate)
        amount = ir_call1(L->job, IR_FN_NEG, amount);
    ir_expr *a[3] = {x, ir_lit_str(L->job, part), amount};
    return at(L, ir_call(L->job, IR_FN_DATE_ADD, 0, 3, a), n);
}

static int int_division_dialect(const lower_ctx *L)
{
    return L->d == SQLFE_TSQL || L->d == SQLFE_TERADATA || L->d == SQLFE_DB2 || L->d == SQLFE_NETEZZA;
}

/* Whether e is known to be a decimal or a float: its type says so, or it is such a literal, or a
 * sum, difference or product with such an operand (int * 1.0 is a decimal in these dialects).
 * Their / is then a decimal (or float) division, never the truncating one of two integers. */
static bool known_fractional(const ir_expr *e)
{
    if (!e)
        return false;
    if (e->type.kind == IR_TY_DECIMAL || e->type.kind == IR_TY_DOUBLE)
        return true;
    if (e->type.kind != IR_TY_UNKNOWN)
        return false;
    if (e->kind == IR_EX_LIT)
        return e->u.lit.kind == IR_LIT_DECIMAL || e->u.lit.kind == IR_LIT_DOUBLE;
    if (e->kind == IR_EX_CALL && (e->u.call.fn == IR_FN_ADD || e->u.call.fn == IR_FN_SUB ||
                                  e->u.call.fn == IR_FN_MUL || e->u.call.fn == IR_FN_NEG))
        for (int i = 0; i < e->u.call.n_args; i++)
            if (known_fractional(e->u.call.args[i]))
                return true;
    return false;
}

/* Appends e's arguments when it is the same flattenable call, else e. */
static void flatten_into(ir_expr ***v, int *n, int *cap, arena *a, ir_expr *e, ir_fn fn, uint32_t flags)
{
    if (e->kind == IR_EX_CALL && e->u.call.fn == fn && e->u.call.flags == flags) {
        for (int i = 0; i < e->u.call.n_args; i++)
            ARENA_PUSH(a, *v, *n, *cap, e->u.call.args[i]);
        return;
    }
    ARENA_PUSH(a, *v, *n, *cap, e);
}

static ir_expr *flat_call(lower_ctx *L, const sqlfe_ast *n, ir_fn fn, uint32_t flags, ir_expr *l, ir_expr *r)
{
    ir_expr **v = NULL;
    int cnt = 0, cap = 0;
    flatten_into(&v, &cnt, &cap, L->job->arena, l, fn, flags);
    flatten_into(&v, &cnt, &cap, L->job->arena, r, fn, flags);
    return at(L, ir_call(L->job, fn, flags, cnt, v), n);
}

/* An operand of an arithmetic or comparison operator: a T-SQL binary constant is the integer it
 * spells there (T-SQL converts binary to the other operand's number). */
static ir_expr *num_operand(lower_ctx *L, const sqlfe_ast *k)
{
    if (L->d == SQLFE_TSQL && hex_num(k) && strlen(k->text) <= 18)
        return ir_lit_int(L->job, strtoll(k->text + 2, NULL, 16));
    return sqlfe_expr(L, k);
}

/* The argument of unix_micros as the Spark printer writes it (put_micros): a DATE (or a date-typed
 * value) cast to TIMESTAMP is the date itself to date_diff. */
static ir_expr *micros_arg(lower_ctx *L, const sqlfe_ast *n)
{
    ir_expr *x = sqlfe_expr(L, n);
    if (is_call(x, IR_FN_CAST, 1) && kind_of(x) == IR_TY_TIMESTAMP && kind_of(x->u.call.args[0]) == IR_TY_DATE)
        return x->u.call.args[0];
    return x;
}

/* Spark: (unix_micros(a) - unix_micros(b)) / N, N the microseconds of a part, and (..) * 1000D
 * (nanoseconds) are date_diff(a, b, part), as the Spark printer writes it (write_date_diff). 0 when
 * n is not that form; 1 with the call (NULL on an error) in *out. */
static int spark_micros_diff(lower_ctx *L, const sqlfe_ast *n, ir_expr **out)
{
    static const struct {
        const char *op, *num, *part;
    } per[] = {
        {"/", "604800000000", "week"}, {"/", "86400000000", "day"}, {"/", "3600000000", "hour"},
        {"/", "60000000", "minute"}, {"/", "1000000", "second"}, {"/", "1000", "millisecond"},
        {"/", "1", "microsecond"}, {"*", "1000D", "nanosecond"},
    };
    *out = NULL;
    const sqlfe_ast *d = n->kids[0], *num = n->kids[1];
    if (!spark(L) || num->kind != SQ_NUM || d->kind != SQ_BINARY || strcmp(d->text, "-") != 0 ||
        !is_fn_node(L, d->kids[0], "UNIX_MICROS", 1) || !is_fn_node(L, d->kids[1], "UNIX_MICROS", 1))
        return 0;
    const char *part = NULL;
    for (size_t i = 0; i < sizeof per / sizeof per[0]; i++)
        if (strcmp(n->text, per[i].op) == 0 && strcasecmp(num->text, per[i].num) == 0)
            part = per[i].part;
    if (!part)
        return 0;
    ir_expr *a = micros_arg(L, d->kids[0]->kids[0]), *b = a ? micros_arg(L, d->kids[1]->kids[0]) : NULL;
    if (b) {
        ir_expr *v[3] = {a, b, ir_lit_str(L->job, part)};
        *out = at(L, ir_call(L->job, IR_FN_DATE_DIFF, 0, 3, v), n);
    }
    return 1;
}

/* Whether an Oracle operand is evidently a TIMESTAMP (not a DATE): SYSTIMESTAMP, CURRENT_TIMESTAMP,
 * LOCALTIMESTAMP, a TIMESTAMP literal, TO_TIMESTAMP[_TZ], a CAST to a TIMESTAMP type. Columns and
 * variables are timestamps to the IR either way. */
static int oracle_timestamp_operand(const sqlfe_ast *n)
{
    static const char *const now[] = {"SYSTIMESTAMP", "CURRENT_TIMESTAMP", "LOCALTIMESTAMP", "TO_TIMESTAMP",
                                      "TO_TIMESTAMP_TZ"};
    if ((n->kind == SQ_NAME || n->kind == SQ_FUNC) && n->text)
        for (size_t i = 0; i < sizeof now / sizeof *now; i++)
            if (strcasecmp(n->text, now[i]) == 0)
                return 1;
    if (n->kind == SQ_TYPED_LIT && n->text && strcasecmp(n->text, "TIMESTAMP") == 0)
        return 1;
    return n->kind == SQ_CAST && n->n_kids > 1 && n->kids[1]->kind == SQ_TYPE && n->kids[1]->text &&
           strncasecmp(n->kids[1]->text, "TIMESTAMP", 9) == 0;
}

static ir_expr *lower_binary(lower_ctx *L, const sqlfe_ast *n)
{
    const char *op = n->text;
    ir_expr *diff;
    if (spark_micros_diff(L, n, &diff))
        return diff;
    /* date +/- INTERVAL */
    if ((strcmp(op, "+") == 0 || strcmp(op, "-") == 0) && n->kids[1]->kind == SQ_INTERVAL) {
        ir_expr *x = sqlfe_expr(L, n->kids[0]);
        if (!x)
            return NULL;
        ir_expr *r = interval_add(L, n, x, n->kids[1], op[0] == '-');
        return r ? r : sqlfe_hole(L, n, "interval arithmetic the IR cannot express");
    }
    if (strcmp(op, "+") == 0 && n->kids[0]->kind == SQ_INTERVAL) {
        ir_expr *x = sqlfe_expr(L, n->kids[1]);
        if (!x)
            return NULL;
        ir_expr *r = interval_add(L, n, x, n->kids[0], 0);
        return r ? r : sqlfe_hole(L, n, "interval arithmetic the IR cannot express");
    }
    if (strcmp(op, "%") == 0 && oracle(L)) {
        /* Oracle has no % operator: SQL%ROWCOUNT, c%FOUND, c%NOTFOUND, c%ISOPEN are cursor
         * attributes, not a remainder. The implicit cursor's (SQL%..., the last DML) are session
         * values a procedural unit reads as the variable "SQL%ATTR" (the backends map it); outside
         * a unit, and an explicit cursor's, they stay holes */
        static const char *const implicit[] = {"ROWCOUNT", "FOUND", "NOTFOUND", "ISOPEN"};
        const sqlfe_ast *c = n->kids[0], *a = n->kids[1];
        for (size_t i = 0; c->kind == SQ_NAME && a->kind == SQ_NAME && strcasecmp(c->text, "SQL") == 0 &&
                           i < sizeof implicit / sizeof *implicit;
             i++)
            if (strcasecmp(a->text, implicit[i]) == 0) {
                /* only where a procedural unit declared them (sqlfe_pl.c): elsewhere no DML ran */
                const char *name = arena_printf(L->job->arena, "SQL%%%s", implicit[i]);
                if (ir_job_param(L->job, name))
                    return ir_param_ref(L->job, name);
            }
        if (c->kind == SQ_NAME && a->kind == SQ_NAME && !strchr(c->text, '.') &&
            (strcasecmp(a->text, "FOUND") == 0 || strcasecmp(a->text, "NOTFOUND") == 0)) {
            /* an explicit cursor the unit declared: "C%FOUND", the cursor's name in upper case;
             * %NOTFOUND is its negation (both NULL before the first FETCH) */
            char *name = arena_printf(L->job->arena, "%s%%FOUND", c->text);
            for (char *p = name; *p != '%'; p++)
                *p = (char)toupper((unsigned char)*p);
            if (ir_job_param(L->job, name)) {
                ir_expr *f = at(L, ir_param_ref(L->job, name), n);
                return strcasecmp(a->text, "FOUND") == 0 ? f : at(L, ir_call1(L->job, IR_FN_NOT, f), n);
            }
        }
        return sqlfe_hole(L, n, "cursor attribute with no translation here: %ISOPEN or %ROWCOUNT of a cursor, %FOUND of one the "
                                "unit does not declare with its query (a REF CURSOR), or SQL%... outside a procedure");
    }
    /* T-SQL 0x01 + 0x02 joins the bytes; with another operand a binary constant is a number */
    if (L->d == SQLFE_TSQL && strcmp(op, "+") == 0 && hex_num(n->kids[0]) && hex_num(n->kids[1]))
        return sqlfe_hole(L, n, "+ of two binary constants (joined bytes)");
    ir_expr *l = num_operand(L, n->kids[0]);
    if (!l)
        return NULL;
    ir_expr *r = num_operand(L, n->kids[1]);
    if (!r)
        return NULL;
    static const struct {
        const char *op;
        ir_fn fn;
    } simple[] = {
        {"-", IR_FN_SUB}, {"*", IR_FN_MUL}, {"%", IR_FN_MOD}, {"MOD", IR_FN_MOD}, {"**", IR_FN_POWER},
        {"=", IR_FN_EQ}, {"<>", IR_FN_NE}, {"<", IR_FN_LT}, {"<=", IR_FN_LE}, {">", IR_FN_GT}, {">=", IR_FN_GE},
    };
    if (oracle(L) && strcmp(op, "-") == 0 && ir_type_is_temporal(l->type) && ir_type_is_temporal(r->type)) {
        /* Oracle DATE - DATE: the days between them with the fraction of a day (a DATE has a time
         * of day); TIMESTAMP - TIMESTAMP is an INTERVAL DAY TO SECOND instead */
        if (oracle_timestamp_operand(n->kids[0]) || oracle_timestamp_operand(n->kids[1]))
            return sqlfe_hole(L, n, "TIMESTAMP - TIMESTAMP: an Oracle INTERVAL DAY TO SECOND, not a number of days");
        ir_expr *v[3] = {l, r, ir_lit_str(L->job, "day")};
        return at(L, ir_call(L->job, IR_FN_DATE_DIFF, 0, 3, v), n);
    }
    if (strcmp(op, "AND") == 0)
        return flat_call(L, n, IR_FN_AND, 0, l, r);
    if (strcmp(op, "OR") == 0)
        return flat_call(L, n, IR_FN_OR, 0, l, r);
    if (strcmp(op, "||") == 0 && (kind_of(l) == IR_TY_ARRAY || kind_of(r) == IR_TY_ARRAY)) {
        /* arrays: Spark concatenates them (NULL when one is NULL); Postgres takes a NULL array as
         * empty where Presto gives NULL, alike only for arrays that are never NULL */
        if (kind_of(l) != kind_of(r))
            return sqlfe_hole(L, n, "|| of an array and a value that is no array (or of unknown type)");
        if (spark(L) || (L->d == SQLFE_ANSI && sqlfe_array_never_null(l) && sqlfe_array_never_null(r)))
            return at(L, ir_call2(L->job, IR_FN_ARRAY_CAT, l, r), n);
        return sqlfe_hole(L, n, "|| of arrays that may be NULL (Postgres takes NULL as empty, Presto gives NULL)");
    }
    if (strcmp(op, "||") == 0) {
        uint32_t fl = oracle(L) ? (IR_FL_NULL_AS_EMPTY | IR_FL_EMPTY_IS_NULL) : 0;
        return flat_call(L, n, IR_FN_CONCAT, fl, l, r);
    }
    if (strcmp(op, "+") == 0) {
        /* T-SQL + on strings concatenates (NULL gives NULL) */
        if (L->d == SQLFE_TSQL && (kind_of(l) == IR_TY_STRING || kind_of(r) == IR_TY_STRING))
            return flat_call(L, n, IR_FN_CONCAT, 0, l, r);
        ir_expr *a[2] = {l, r};
        return at(L, ir_call(L->job, IR_FN_ADD, 0, 2, a), n);
    }
    if (strcmp(op, "DIV") == 0) {
        /* Spark a DIV b: integral division truncated toward zero, NULL when b is 0 */
        if (!is_call(r, IR_FN_NULLIF, 2) || !lit_is(r->u.call.args[1], "0"))
            r = ir_call2(L->job, IR_FN_NULLIF, r, ir_lit_int(L->job, 0));
        ir_expr *a[2] = {l, r};
        return at(L, ir_call(L->job, IR_FN_DIV, IR_FL_INT_DIVISION, 2, a), n);
    }
    /* REGEXP_INSTR(s, p) > 0 (0 < REGEXP_INSTR(s, p)): the pattern matches somewhere */
    if ((strcmp(op, ">") == 0 && is_call(l, IR_FN_REGEXP_INSTR, 2) && lit_is(r, "0")) ||
        (strcmp(op, "<") == 0 && is_call(r, IR_FN_REGEXP_INSTR, 2) && lit_is(l, "0"))) {
        ir_expr *ri = lit_is(r, "0") ? l : r;
        return at(L, ir_call(L->job, IR_FN_REGEXP_LIKE, ri->u.call.flags, 2, ri->u.call.args), n);
    }
    if (strcmp(op, "/") == 0) {
        ir_expr *a[2] = {l, r};
        bool idiv = int_division_dialect(L) && !known_fractional(l) && !known_fractional(r);
        return at(L, ir_call(L->job, IR_FN_DIV, idiv ? IR_FL_INT_DIVISION : 0, 2, a), n);
    }
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
        if (strcmp(op, simple[i].op) == 0) {
            ir_expr *a[2] = {l, r};
            uint32_t fl = 0;
            if (simple[i].fn >= IR_FN_EQ && simple[i].fn <= IR_FN_GE)
                fl = str_cmp_flags(L, (const sqlfe_ast *const *)n->kids, a, 2);
            return at(L, ir_call(L->job, simple[i].fn, fl, 2, a), n);
        }
    }
    return sqlfe_hole(L, n, arena_printf(L->job->arena, "operator %s has no canonical form", op));
}

static ir_expr *lower_case(lower_ctx *L, const sqlfe_ast *n)
{
    ir_expr *contains = snow_array_contains_case(L, n);
    if (contains)
        return contains;
    int has_else = (n->flags & SQF_HAS_ELSE) != 0;
    int pairs = (n->n_kids - 1 - has_else) / 2;
    ir_expr *operand = NULL;
    if (n->kids[0]->kind != SQ_EMPTY) {
        operand = sqlfe_expr(L, n->kids[0]);
        if (!operand)
            return NULL;
    }
    int cnt = pairs * 2 + has_else;
    ir_expr **a = arena_alloc(L->job->arena, (size_t)(cnt + 1) * sizeof *a);
    for (int i = 0; i < pairs; i++) {
        ir_expr *w = sqlfe_expr(L, n->kids[1 + 2 * i]);
        ir_expr *t = sqlfe_expr(L, n->kids[2 + 2 * i]);
        if (!w || !t)
            return NULL;
        if (operand) {
            ir_expr *ow[2] = {i ? copy(L, operand) : operand, w};
            const sqlfe_ast *ops[2] = {n->kids[0], n->kids[1 + 2 * i]};
            w = at(L, ir_call(L->job, IR_FN_EQ, str_cmp_flags(L, ops, ow, 2), 2, ow), n->kids[1 + 2 * i]);
        }
        a[2 * i] = w;
        a[2 * i + 1] = t;
    }
    if (has_else) {
        a[cnt - 1] = sqlfe_expr(L, n->kids[n->n_kids - 1]);
        if (!a[cnt - 1])
            return NULL;
    }
    if (pairs == 1 && has_else && is_call(a[0], IR_FN_LT, 2) && lit_is(a[0]->u.call.args[1], "0") &&
        a[1]->kind == IR_EX_CALL && a[1]->u.call.fn == IR_FN_CEIL && a[2]->kind == IR_EX_CALL &&
        a[2]->u.call.fn == IR_FN_FLOOR && a[1]->u.call.n_args == a[2]->u.call.n_args &&
        ir_expr_equal(a[1]->u.call.args[0], a[0]->u.call.args[0])) {
        /* CASE WHEN x < 0 THEN ceil(x, d) ELSE floor(x, d) END: x truncated toward zero */
        int k = a[1]->u.call.n_args, same = 1;
        for (int i = 0; i < k; i++)
            same &= ir_expr_equal(a[1]->u.call.args[i], a[2]->u.call.args[i]);
        if (same)
            return at(L, ir_call(L->job, IR_FN_TRUNC, 0, k, a[1]->u.call.args), n);
    }
    if (pairs == 1 && !has_else) {
        /* CASE WHEN c THEN if(c, v, x) END is CASE WHEN c THEN v END; and where c is
         * regexp_like(s, p), regexp_extract(s, p, g) is NULL anyway when c does not hold (the Spark
         * emitters' guard of regexp_extract, which gives '' on no match) */
        ir_expr *t = a[1];
        if (is_call(t, IR_FN_IF, 3) && ir_expr_equal(t->u.call.args[0], a[0]))
            a[1] = t = t->u.call.args[1];
        if (is_call(a[0], IR_FN_REGEXP_LIKE, 2) && !a[0]->u.call.flags && is_call(t, IR_FN_REGEXP_EXTRACT, 3) &&
            ir_expr_equal(t->u.call.args[0], a[0]->u.call.args[0]) &&
            ir_expr_equal(t->u.call.args[1], a[0]->u.call.args[1]))
            return t;
    }
    return at(L, ir_call(L->job, IR_FN_CASE, 0, cnt, a), n);
}

/* The target type of a CAST / CONVERT: T-SQL's CHAR, VARCHAR, NCHAR, NVARCHAR, BINARY and VARBINARY
 * without a length are 30 long there (in declarations 1: not this). */
static ir_type cast_type(lower_ctx *L, const sqlfe_ast *ty)
{
    ir_type t = sqlfe_type(L, ty);
    static const char *const thirty[] = {"CHAR", "VARCHAR", "NCHAR", "NVARCHAR", "CHARACTER", "BINARY", "VARBINARY"};
    if (L->d == SQLFE_TSQL && (t.kind == IR_TY_STRING || t.kind == IR_TY_BINARY) && t.precision == 0 && ty->n_kids == 0)
        for (size_t i = 0; i < sizeof thirty / sizeof thirty[0]; i++)
            if (ty->text && strcasecmp(ty->text, thirty[i]) == 0)
                t.precision = 30;
    return t;
}

/* etlport's own placeholder: a NULL (or CAST(NULL AS T)) that the generated code follows with an
 * `ETLPORT HOLE` or `ETLPORT UNSUPPORTED` comment stands for an expression it could not write. Read
 * back (the verifier reads generated Snowflake SQL with this frontend), it is a hole, not a NULL
 * value to compare. NULL when n is no such placeholder. */
static ir_expr *generated_hole(lower_ctx *L, const sqlfe_ast *n)
{
    size_t p = n->end;
    while (p < L->len && (L->sql[p] == ' ' || L->sql[p] == '\t'))
        p++;
    static const char *const marks[] = {"/* ETLPORT HOLE", "/* ETLPORT UNSUPPORTED"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
        if (L->len - p >= strlen(marks[i]) && strncmp(L->sql + p, marks[i], strlen(marks[i])) == 0)
            return sqlfe_hole(L, n, "a placeholder the generated code marks as a hole");
    return NULL;
}

static ir_expr *lower_cast(lower_ctx *L, const sqlfe_ast *n)
{
    if (n->n_kids > 0 && n->kids[0]->kind == SQ_NULL) {
        ir_expr *h = generated_hole(L, n);
        if (h)
            return h;
    }
    const sqlfe_ast *ty = n->kids[1];
    if (strcmp(n->text, "TRY_CAST") == 0 || strcmp(n->text, "SAFE_CAST") == 0) {
        /* NULL when the conversion fails */
        ir_type t = cast_type(L, ty);
        if (n->n_kids > 2 || t.kind == IR_TY_UNKNOWN || (ty->n_kids && ty->kids[ty->n_kids - 1]->kind == SQ_STR))
            return sqlfe_hole(L, n, "TRY_CAST to a type or with a format the IR does not hold");
        ir_expr *x = sqlfe_expr(L, n->kids[0]);
        if (!x)
            return NULL;
        /* a number or a boolean as text of no bounded length cannot fail: a cast */
        int sure = t.kind == IR_TY_STRING && t.precision == 0 && (numeric(kind_of(x)) || kind_of(x) == IR_TY_BOOL);
        ir_expr *e = at(L, ir_call(L->job, sure ? IR_FN_CAST : IR_FN_TRY_CAST, 0, 1, &x), n);
        e->type = t;
        return e;
    }
    ir_type t = cast_type(L, ty);
    const sqlfe_ast *val = n->kids[0];
    /* Teradata CAST(CAST(x AS FORMAT 'f') AS CHAR/VARCHAR(n)), x (FORMAT 'f') (VARCHAR(n)): the inner
       FORMAT only sets how x converts to characters, so the outer conversion uses it */
    const sqlfe_ast *fmt_str = ty->n_kids && ty->kids[ty->n_kids - 1]->kind == SQ_STR ? ty->kids[ty->n_kids - 1] : NULL;
    if (!fmt_str && n->n_kids == 2 && t.kind == IR_TY_STRING && val->kind == SQ_CAST && val->n_kids == 2 &&
        strcmp(val->kids[1]->text, "FORMAT") == 0 && val->kids[1]->n_kids &&
        val->kids[1]->kids[val->kids[1]->n_kids - 1]->kind == SQ_STR) {
        fmt_str = val->kids[1]->kids[val->kids[1]->n_kids - 1];
        val = val->kids[0];
    }
    if (L->d == SQLFE_SNOWFLAKE && n->n_kids == 2 && ty->n_kids == 0 && t.kind == IR_TY_STRING) {
        ir_expr *j = json_text_cast(L, n, val);
        if (j)
            return j;
    }
    ir_expr *x = sqlfe_expr(L, val);
    if (!x)
        return NULL;
    /* a format: Teradata FORMAT 'x' (a string child of the type) or a CONVERT style */
    const char *fmt = NULL;
    if (fmt_str) {
        fmt = datefmt(L->job, fmt_str->text, L->d == SQLFE_TERADATA, NULL);
        if (!fmt)
            return sqlfe_hole(L, n, "FORMAT with no canonical date format");
    } else if (n->n_kids > 2) {
        const sqlfe_ast *st = n->kids[2];
        if (st->kind != SQ_NUM)
            return sqlfe_hole(L, n, "CONVERT with a computed style");
        int style = atoi(st->text);
        if (style == 0 || style == 100) {
            fmt = NULL;
        } else {
            fmt = sqlfe_tsql_style_format(style);
            if (!fmt)
                return sqlfe_hole(L, n, arena_printf(L->job->arena, "CONVERT style %d has no canonical format", style));
        }
    }
    if (strcmp(ty->text, "FORMAT") == 0) /* Teradata (FORMAT 'x') without a type: display only */
        return x;
    if (fmt) {
        ir_expr *f = ir_lit_str(L->job, fmt);
        if (temporal(t.kind) && !temporal(kind_of(x))) {
            ir_expr *a[2] = {x, f};
            ir_expr *e = at(L, ir_call(L->job, IR_FN_TO_DATE, 0, 2, a), n);
            if (t.kind == IR_TY_DATE) {
                ir_expr *c = at(L, ir_call(L->job, IR_FN_CAST, 0, 1, &e), n);
                c->type = t;
                return c;
            }
            return e;
        }
        if (t.kind == IR_TY_STRING && !numeric(kind_of(x))) {
            ir_expr *a[2] = {x, f};
            return at(L, ir_call(L->job, IR_FN_TO_CHAR, 0, 2, a), n);
        }
        if (t.kind == IR_TY_STRING)
            return sqlfe_hole(L, n, "number formatting with a style or FORMAT");
    }
    if (t.kind == IR_TY_UNKNOWN)
        return sqlfe_hole(L, n, arena_printf(L->job->arena, "conversion to type %s", ty->text));
    /* text or a number to an array: each dialect spells arrays as text its own way ('{1,2}', '[1,2]') */
    if (t.kind == IR_TY_ARRAY && kind_of(x) != IR_TY_ARRAY && kind_of(x) != IR_TY_UNKNOWN)
        return sqlfe_hole(L, n, "conversion of a value that is no array to an array type");
    /* a Snowflake CURRENT_TIMESTAMP() cast to TIMESTAMP_NTZ is the local date and time */
    if (L->d == SQLFE_SNOWFLAKE && t.kind == IR_TY_TIMESTAMP && is_call(x, IR_FN_CURRENT_TIMESTAMP, 0))
        return x;
    /* an array element cast to the elements' type (Snowflake's GET gives a VARIANT, cast to it) */
    if ((is_call(x, IR_FN_ARRAY_GET, 2) || is_call(x, IR_FN_ARRAY_MAX, 1) || is_call(x, IR_FN_ARRAY_MIN, 1)) &&
        ir_type_equal(x->type, t))
        return x;
    /* a call whose canonical type is already the target type (sign to INT, ...) */
    if (x->kind == IR_EX_CALL && (t.kind == IR_TY_INT || t.kind == IR_TY_BIGINT || t.kind == IR_TY_DOUBLE ||
                                  t.kind == IR_TY_BOOL || t.kind == IR_TY_DATE)) {
        const ir_fn_info *fi = ir_fn_get(x->u.call.fn);
        ir_type_rule want = t.kind == IR_TY_INT ? TR_INT : t.kind == IR_TY_BIGINT ? TR_BIGINT
                          : t.kind == IR_TY_DOUBLE ? TR_DOUBLE : t.kind == IR_TY_BOOL ? TR_BOOL : TR_DATE;
        if (fi && fi->type_rule == want)
            return x;
    }
    ir_expr *e = at(L, ir_call(L->job, IR_FN_CAST, 0, 1, &x), n);
    e->type = t;
    return e;
}

/* seq.NEXTVAL, NEXT VALUE FOR seq: seq_next('seq'). Oracle, T-SQL and DB2 give every reference to
 * a sequence in one statement the same value for a row; Snowflake gives each its own: a second
 * reference is a hole. */
static ir_expr *seq_next(lower_ctx *L, const sqlfe_ast *n, char *name)
{
    for (char *c = name; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    int i = 0;
    while (i < L->n_seqs && strcmp(L->seqs[i].name, name) != 0)
        i++;
    if (i < L->n_seqs && L->seqs[i].at != n)
        return sqlfe_hole(L, n, "a second NEXTVAL of one sequence in a statement: the legacy database gives both the "
                                "row's one value, Snowflake each its own");
    if (i == L->n_seqs) {
        if (L->n_seqs == (int)(sizeof L->seqs / sizeof L->seqs[0]))
            return sqlfe_hole(L, n, "NEXTVAL of more sequences in one statement than are followed");
        L->seqs[L->n_seqs].name = name;
        L->seqs[L->n_seqs++].at = n;
    }
    ir_expr *a = ir_lit_str(L->job, name);
    return at(L, ir_call(L->job, IR_FN_SEQ_NEXT, 0, 1, &a), n);
}

static ir_expr *lower_name(lower_ctx *L, const sqlfe_ast *n)
{
    const char *t = n->text;
    size_t k = strlen(t);
    if (!(n->flags & SQF_QUOTED)) {
        if (k > 8 && strcasecmp(t + k - 8, ".NEXTVAL") == 0)
            return seq_next(L, n, arena_strndup(L->job->arena, t, k - 8));
        if (k > 8 && strcasecmp(t + k - 8, ".CURRVAL") == 0)
            return sqlfe_hole(L, n, "the current value of a sequence (CURRVAL, PREVIOUS VALUE FOR): Snowflake has none");
        if (oracle(L) && (strcasecmp(t, "ROWNUM") == 0 || strcasecmp(t, "LEVEL") == 0 || strcasecmp(t, "ROWID") == 0))
            return sqlfe_hole(L, n, arena_printf(L->job->arena, "Oracle pseudo-column %s", t));
        if (L->d == SQLFE_TERADATA && strcasecmp(t, "DATE") == 0)
            return at(L, ir_call(L->job, IR_FN_CURRENT_DATE, 0, 0, NULL), n);
    }
    if (!L->resolve)
        return sqlfe_hole(L, n, "column reference without a FROM clause");
    ir_expr *e = L->resolve(L, L->scope, n);
    return at(L, e, n);
}

ir_expr *sqlfe_expr(lower_ctx *L, const sqlfe_ast *n)
{
    if (!n)
        return NULL;
    if (++L->depth > 300) {
        L->depth--;
        return sqlfe_hole(L, n, "expression nested too deeply");
    }
    ir_expr *e = NULL;
    switch (n->kind) {
    case SQ_NAME: e = lower_name(L, n); break;
    case SQ_NUM: e = lower_num(L, n); break;
    case SQ_STR:
        if (n->flags & SQF_BINARY) { /* bytes or bits, not the text between the quotes */
            e = binary_lit(L, n);
            break;
        }
        e = (oracle(L) && n->text[0] == 0) ? ir_lit_null(L->job) : string_with_params(L, n);
        break;
    case SQ_NULL:
        e = generated_hole(L, n);
        if (!e)
            e = ir_lit_null(L->job);
        break;
    case SQ_TRUE: e = ir_lit_bool(L->job, true); break;
    case SQ_FALSE: e = ir_lit_bool(L->job, false); break;
    case SQ_PARAM: e = lower_param(L, n); break;
    case SQ_TYPED_LIT: e = lower_typed_lit(L, n); break;
    case SQ_INTERVAL: e = sqlfe_hole(L, n, "an interval value outside date arithmetic"); break;
    case SQ_UNARY: {
        if (strcmp(n->text, "+") == 0) {
            e = sqlfe_expr(L, n->kids[0]);
            break;
        }
        if (strcmp(n->text, "-") == 0 && n->kids[0]->kind == SQ_NUM) {
            ir_expr *v = hex_num(n->kids[0]) ? num_operand(L, n->kids[0]) : lower_num(L, n->kids[0]);
            if (v->kind == IR_EX_LIT && v->u.lit.kind != IR_LIT_DOUBLE) {
                v->u.lit.text = arena_printf(L->job->arena, "-%s", v->u.lit.text);
                e = v;
                break;
            }
        }
        ir_fn fn = strcmp(n->text, "-") == 0 ? IR_FN_NEG : strcmp(n->text, "NOT") == 0 ? IR_FN_NOT : IR_FN__COUNT;
        if (fn == IR_FN__COUNT) {
            e = sqlfe_hole(L, n, arena_printf(L->job->arena, "operator %s has no canonical form", n->text));
            break;
        }
        ir_expr *x = sqlfe_expr(L, n->kids[0]);
        e = x ? ir_call1(L->job, fn, x) : NULL;
        break;
    }
    case SQ_BINARY: e = lower_binary(L, n); break;
    case SQ_IS: {
        ir_expr *x = sqlfe_expr(L, n->kids[0]);
        if (!x)
            break;
        if (strcmp(n->text, "NULL") == 0) {
            e = ir_call1(L->job, IR_FN_IS_NULL, x);
        } else if (strcmp(n->text, "TRUE") == 0 || strcmp(n->text, "FALSE") == 0) {
            ir_expr *v = strcmp(n->text, "TRUE") == 0 ? x : ir_call1(L->job, IR_FN_NOT, x);
            e = ir_call2(L->job, IR_FN_COALESCE, v, ir_lit_bool(L->job, false));
        } else {
            e = sqlfe_hole(L, n, arena_printf(L->job->arena, "IS %s has no canonical form", n->text));
            break;
        }
        if (n->flags & SQF_NOT)
            e = ir_call1(L->job, IR_FN_NOT, at(L, e, n));
        break;
    }
    case SQ_BETWEEN: {
        ir_expr *x = sqlfe_expr(L, n->kids[0]);
        ir_expr *lo = sqlfe_expr(L, n->kids[1]);
        ir_expr *hi = sqlfe_expr(L, n->kids[2]);
        if (!x || !lo || !hi)
            break;
        ir_expr *xl[2] = {x, lo}, *xh[2] = {copy(L, x), hi};
        const sqlfe_ast *ol[2] = {n->kids[0], n->kids[1]}, *oh[2] = {n->kids[0], n->kids[2]};
        ir_expr *a[2] = {at(L, ir_call(L->job, IR_FN_GE, str_cmp_flags(L, ol, xl, 2), 2, xl), n),
                         at(L, ir_call(L->job, IR_FN_LE, str_cmp_flags(L, oh, xh, 2), 2, xh), n)};
        e = ir_call(L->job, IR_FN_AND, 0, 2, a);
        if (n->flags & SQF_NOT)
            e = ir_call1(L->job, IR_FN_NOT, at(L, e, n));
        break;
    }
    case SQ_IN: {
        if (n->n_kids == 2 && (n->kids[1]->kind == SQ_QUERY || n->kids[1]->kind == SQ_SUBQUERY)) {
            e = L->subquery ? L->subquery(L, n)
                            : sqlfe_hole(L, n, "IN (subquery): a semi-join the expression IR cannot hold");
            break;
        }
        ir_expr **a = arena_alloc(L->job->arena, (size_t)n->n_kids * sizeof *a);
        int ok = 1;
        for (int i = 0; i < n->n_kids && ok; i++)
            ok = (a[i] = sqlfe_expr(L, n->kids[i])) != NULL;
        if (!ok)
            break;
        if (n->n_kids == 1) { /* IN () */
            e = ir_lit_bool(L->job, false);
            break;
        }
        /* an IN list compares as = does */
        uint32_t fl = str_cmp_flags(L, (const sqlfe_ast *const *)n->kids, a, n->n_kids);
        e = ir_call(L->job, IR_FN_IN, fl, n->n_kids, a);
        if (n->flags & SQF_NOT)
            e = ir_call1(L->job, IR_FN_NOT, at(L, e, n));
        break;
    }
    case SQ_LIKE: e = lower_like(L, n); break;
    case SQ_EXISTS:
        e = L->subquery ? L->subquery(L, n) : sqlfe_hole(L, n, "EXISTS (subquery): a semi-join the expression IR cannot hold");
        break;
    case SQ_QUANTIFIED:
        if (L->d == SQLFE_ANSI && n->n_kids == 2 && n->kids[1]->kind == SQ_LIST && n->kids[1]->n_kids == 1 &&
            n->text && strstr(n->text, " ANY")) {
            e = array_any_of(L, n); /* Postgres: over the elements of an array */
            break;
        }
        e = L->subquery ? L->subquery(L, n) : sqlfe_hole(L, n, "quantified comparison (ANY/ALL)");
        break;
    case SQ_SUBQUERY: e = L->subquery ? L->subquery(L, n) : sqlfe_hole(L, n, "scalar subquery"); break;
    case SQ_CASE: e = lower_case(L, n); break;
    case SQ_CAST: e = lower_cast(L, n); break;
    case SQ_FUNC:
        if (n->flags & SQF_NO_PARENS) {
            const fn_row *row = find_fn(L, base_name(L, n->text));
            if (row && row->h == h_now) {
                call c = {n, base_name(L, n->text), 0, NULL};
                e = h_now(L, &c);
                break;
            }
        }
        e = lower_func(L, n);
        break;
    case SQ_EXTRACT: {
        const char *part = part_canonical(n->text);
        ir_expr *x = sqlfe_expr(L, n->kids[0]);
        if (!x)
            break;
        if (!part || strcmp(part, "week") == 0) {
            e = sqlfe_hole(L, n, "EXTRACT of a part with no canonical meaning");
            break;
        }
        if (spark(L) && strcmp(part, "second") == 0) {
            e = sqlfe_hole(L, n, "Spark EXTRACT(SECOND) keeps the fraction of the second");
            break;
        }
        e = ir_call2(L->job, IR_FN_DATE_PART, x, ir_lit_str(L->job, part));
        break;
    }
    case SQ_TRIM: {
        ir_fn fn = strcmp(n->text, "LEADING") == 0 ? IR_FN_LTRIM : strcmp(n->text, "TRAILING") == 0 ? IR_FN_RTRIM : IR_FN_TRIM;
        ir_expr *a[2] = {sqlfe_expr(L, n->kids[0]), n->n_kids > 1 ? sqlfe_expr(L, n->kids[1]) : NULL};
        if (!a[0] || (n->n_kids > 1 && !a[1]))
            break;
        e = ir_call(L->job, fn, oracle_str_flags(L), n->n_kids, a);
        break;
    }
    case SQ_STAR: e = sqlfe_hole(L, n, "* outside a select list"); break;
    case SQ_LIST: e = sqlfe_hole(L, n, "row value"); break;
    default: e = sqlfe_hole(L, n, arena_printf(L->job->arena, "%s has no canonical form", sqlfe_kind_name(n->kind))); break;
    }
    L->depth--;
    return at(L, e, n);
}
