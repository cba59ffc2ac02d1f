/*
 * sqlitebe_fn.c — the canonical functions SQLite lacks or computes differently, as C functions
 * registered on a connection under the name etl_<canonical name> (sqlitebe.h). They follow
 * docs/functions.md: NULL rules from functions.def, the flags of the call, canonical date formats
 * (ir/datefmt.h).
 *
 * Calling convention (what sqlitebe_expr.c writes): etl_<name>(arg..., flags) — the call's IR_FL_*
 * bits as a last integer argument, plus SQLITEBE_ARG_TEMPORAL when argument 0 is a date or a
 * timestamp (to_char, trunc and round read it). cast and try_cast get the target type's text
 * (ir_type_format) before the flags. A strict function returns NULL when a value argument is NULL.
 * empty_is_null is applied by the caller (NULLIF around the arguments and the result).
 *
 * Limits: strings are bytes (the generated data is ASCII); decimals are doubles; regular
 * expressions are POSIX extended ones with \d \w \s, their negations and \A \z translated; an invalid
 * date for to_date is NULL instead of a row error.
 */
#include "backends/sqlite/sqlitebe_internal.h"

#include <ctype.h>
#include <math.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ir/datefmt.h"

/* ---- values ---- */

static bool is_null(sqlite3_value *v) { return sqlite3_value_type(v) == SQLITE_NULL; }

static const char *text(sqlite3_value *v)
{
    const unsigned char *t = sqlite3_value_text(v);
    return t ? (const char *)t : "";
}

static void result_str(sqlite3_context *ctx, const char *s, size_t n)
{
    sqlite3_result_text(ctx, s, (int)n, SQLITE_TRANSIENT);
}

static void result_sb(sqlite3_context *ctx, strbuf *sb)
{
    result_str(ctx, sb_cstr(sb), strlen(sb_cstr(sb)));
    sb_free(sb);
}

/* A finite double, or NaN when the value is not a number (text that does not parse). */
static double num(sqlite3_value *v)
{
    int t = sqlite3_value_numeric_type(v);
    if (t == SQLITE_INTEGER || t == SQLITE_FLOAT)
        return sqlite3_value_double(v);
    return NAN;
}

static bool is_int(sqlite3_value *v) { return sqlite3_value_numeric_type(v) == SQLITE_INTEGER; }

static void result_num(sqlite3_context *ctx, double d)
{
    if (isnan(d) || isinf(d))
        sqlite3_result_null(ctx);
    else if (d == floor(d) && fabs(d) < 9e15)
        sqlite3_result_int64(ctx, (sqlite3_int64)d);
    else
        sqlite3_result_double(ctx, d);
}

static double round_half_away(double x, int n)
{
    double p = pow(10.0, n);
    double y = x * p;
    /* a tiny nudge so that 2.675 (2.67499999...) rounds as the decimal it stands for */
    y = y < 0 ? -floor(-y + 0.5 + 1e-9) : floor(y + 0.5 + 1e-9);
    return y / p;
}

static double trunc_to(double x, int n)
{
    double p = pow(10.0, n);
    return trunc(x * p + (x < 0 ? -1e-9 : 1e-9)) / p;
}

/* ---- timestamps: 'YYYY-MM-DD HH:MM:SS[.f]' ---- */

typedef struct ts {
    int y, mo, d, h, mi, s;
    long ns;
} ts;

static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m)
{
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : md[m - 1];
}

static bool ts_valid(const ts *t)
{
    return t->y >= 1 && t->y <= 9999 && t->mo >= 1 && t->mo <= 12 && t->d >= 1 && t->d <= month_days(t->y, t->mo) &&
           t->h >= 0 && t->h < 24 && t->mi >= 0 && t->mi < 60 && t->s >= 0 && t->s < 60;
}

static int digits(const char **p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)**p))
            return -1;
        v = v * 10 + (*(*p)++ - '0');
    }
    return v;
}

bool sqlitebe_ts_parse(const char *s, int *y, int *mo, int *d, int *h, int *mi, int *sec, long *ns)
{
    ts t = {0};
    const char *p = s;
    while (*p == ' ')
        p++;
    if ((t.y = digits(&p, 4)) < 0 || *p++ != '-' || (t.mo = digits(&p, 2)) < 0 || *p++ != '-' ||
        (t.d = digits(&p, 2)) < 0)
        return false;
    if (*p == ' ' || *p == 'T') {
        p++;
        if ((t.h = digits(&p, 2)) < 0 || *p++ != ':' || (t.mi = digits(&p, 2)) < 0)
            return false;
        if (*p == ':') {
            p++;
            if ((t.s = digits(&p, 2)) < 0)
                return false;
            if (*p == '.') {
                p++;
                long scale = 100000000;
                while (isdigit((unsigned char)*p)) {
                    t.ns += (*p++ - '0') * scale;
                    scale /= 10;
                }
            }
        }
    }
    while (*p == ' ')
        p++;
    if (*p || !ts_valid(&t))
        return false;
    *y = t.y, *mo = t.mo, *d = t.d, *h = t.h, *mi = t.mi, *sec = t.s, *ns = t.ns;
    return true;
}

static bool ts_get(sqlite3_value *v, ts *t)
{
    return sqlitebe_ts_parse(text(v), &t->y, &t->mo, &t->d, &t->h, &t->mi, &t->s, &t->ns);
}

void sqlitebe_ts_format(char *buf, size_t size, int y, int mo, int d, int h, int mi, int s, long ns)
{
    int n = snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, s);
    if (ns > 0 && n > 0 && (size_t)n < size) {
        char f[32];
        snprintf(f, sizeof f, ".%09ld", ns);
        size_t k = strlen(f);
        while (k > 1 && f[k - 1] == '0')
            f[--k] = 0;
        snprintf(buf + n, size - (size_t)n, "%s", f);
    }
}

static void result_ts(sqlite3_context *ctx, const ts *t)
{
    if (!ts_valid(t)) {
        sqlite3_result_null(ctx);
        return;
    }
    char buf[48];
    sqlitebe_ts_format(buf, sizeof buf, t->y, t->mo, t->d, t->h, t->mi, t->s, t->ns);
    result_str(ctx, buf, strlen(buf));
}

static long long ts_seconds(const ts *t)
{
    return days_from_civil(t->y, t->mo, t->d) * 86400LL + t->h * 3600LL + t->mi * 60LL + t->s;
}

static void ts_from_seconds(ts *t, long long secs, long ns)
{
    long long days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    long long rem = secs - days * 86400;
    civil_from_days(days, &t->y, &t->mo, &t->d);
    t->h = (int)(rem / 3600);
    t->mi = (int)(rem % 3600 / 60);
    t->s = (int)(rem % 60);
    t->ns = ns;
}

static int part_of(const char *p)
{
    static const char *parts[] = {"year", "quarter", "month", "week", "day", "hour", "minute", "second",
                                  "millisecond", "microsecond", "nanosecond"};
    for (int i = 0; i < (int)(sizeof parts / sizeof parts[0]); i++)
        if (strcasecmp(p, parts[i]) == 0)
            return i;
    return -1;
}
enum { P_YEAR, P_QUARTER, P_MONTH, P_WEEK, P_DAY, P_HOUR, P_MINUTE, P_SECOND, P_MS, P_US, P_NS };

static void add_months(ts *t, long long n)
{
    long long m = (long long)t->y * 12 + (t->mo - 1) + n;
    t->y = (int)(m >= 0 ? m / 12 : -((-m + 11) / 12));
    t->mo = (int)(m - (long long)t->y * 12) + 1;
    if (t->d > month_days(t->y, t->mo))
        t->d = month_days(t->y, t->mo);
}

/* ---- canonical date formats ---- */

static const char *month_names[] = {"January", "February", "March",     "April",   "May",      "June",
                                    "July",    "August",   "September", "October", "November", "December"};
static const char *day_names[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

static int weekday(const ts *t) /* 0 Monday */
{
    long long z = days_from_civil(t->y, t->mo, t->d);
    return (int)(((z % 7) + 7 + 3) % 7);
}

static void format_ts(strbuf *sb, const ts *t, const char *fmt)
{
    const char *p = fmt, *lit;
    size_t ll;
    df_token k;
    while ((k = df_next(&p, &lit, &ll)) != DF_END) {
        switch (k) {
        case DF_LIT: sb_putn(sb, lit, ll); break;
        case DF_YYYY: sb_printf(sb, "%04d", t->y); break;
        case DF_YY:
        case DF_RR: sb_printf(sb, "%02d", t->y % 100); break;
        case DF_MM: sb_printf(sb, "%02d", t->mo); break;
        case DF_MON: sb_printf(sb, "%.3s", month_names[t->mo - 1]); break;
        case DF_MONTH: sb_puts(sb, month_names[t->mo - 1]); break;
        case DF_DD: sb_printf(sb, "%02d", t->d); break;
        case DF_DDD: sb_printf(sb, "%03lld", days_from_civil(t->y, t->mo, t->d) - days_from_civil(t->y, 1, 1) + 1); break;
        case DF_DY: sb_printf(sb, "%.3s", day_names[weekday(t)]); break;
        case DF_DAY: sb_puts(sb, day_names[weekday(t)]); break;
        case DF_HH24: sb_printf(sb, "%02d", t->h); break;
        case DF_HH12: sb_printf(sb, "%02d", t->h % 12 ? t->h % 12 : 12); break;
        case DF_AM: sb_puts(sb, t->h < 12 ? "AM" : "PM"); break;
        case DF_MI: sb_printf(sb, "%02d", t->mi); break;
        case DF_SS: sb_printf(sb, "%02d", t->s); break;
        case DF_FF3: sb_printf(sb, "%03ld", t->ns / 1000000); break;
        case DF_FF6: sb_printf(sb, "%06ld", t->ns / 1000); break;
        case DF_FF9: sb_printf(sb, "%09ld", t->ns); break;
        default: break;
        }
    }
}

static int name_index(const char **p, const char **names, int n, size_t len)
{
    for (int i = 0; i < n; i++) {
        size_t k = len ? len : strlen(names[i]);
        if (strncasecmp(*p, names[i], k) == 0) {
            *p += k;
            return i;
        }
    }
    return -1;
}

static bool parse_with(const char *s, const char *fmt, ts *t)
{
    memset(t, 0, sizeof *t);
    t->y = 1900, t->mo = 1, t->d = 1;
    const char *p = fmt, *lit, *q = s;
    size_t ll;
    df_token k;
    int pm = -1;
    while ((k = df_next(&p, &lit, &ll)) != DF_END) {
        int v;
        switch (k) {
        case DF_LIT:
            if (strncmp(q, lit, ll) != 0)
                return false;
            q += ll;
            break;
        case DF_YYYY: if ((t->y = digits(&q, 4)) < 0) return false; break;
        case DF_YY:
        case DF_RR:
            if ((v = digits(&q, 2)) < 0)
                return false;
            t->y = k == DF_RR ? (v < 50 ? 2000 + v : 1900 + v) : 2000 + v;
            break;
        case DF_MM: if ((t->mo = digits(&q, 2)) < 0) return false; break;
        case DF_MON: if ((v = name_index(&q, month_names, 12, 3)) < 0) return false; t->mo = v + 1; break;
        case DF_MONTH: if ((v = name_index(&q, month_names, 12, 0)) < 0) return false; t->mo = v + 1; break;
        case DF_DD: if ((t->d = digits(&q, 2)) < 0) return false; break;
        case DF_DY: if (name_index(&q, day_names, 7, 3) < 0) return false; break;
        case DF_DAY: if (name_index(&q, day_names, 7, 0) < 0) return false; break;
        case DF_HH24:
        case DF_HH12: if ((t->h = digits(&q, 2)) < 0) return false; break;
        case DF_AM:
            if (strncasecmp(q, "AM", 2) == 0 || strncasecmp(q, "PM", 2) == 0) {
                pm = toupper((unsigned char)*q) == 'P';
                q += 2;
            } else {
                return false;
            }
            break;
        case DF_MI: if ((t->mi = digits(&q, 2)) < 0) return false; break;
        case DF_SS: if ((t->s = digits(&q, 2)) < 0) return false; break;
        case DF_FF3: if ((v = digits(&q, 3)) < 0) return false; t->ns = v * 1000000L; break;
        case DF_FF6: if ((v = digits(&q, 6)) < 0) return false; t->ns = v * 1000L; break;
        case DF_FF9: if ((v = digits(&q, 9)) < 0) return false; t->ns = v; break;
        default: return false; /* DDD, bad tokens */
        }
    }
    if (pm >= 0) {
        if (t->h < 1 || t->h > 12)
            return false;
        t->h = t->h % 12 + (pm ? 12 : 0);
    }
    return *q == 0 && ts_valid(t);
}

#define DEFAULT_FMT "MM/DD/YYYY HH24:MI:SS"

/* ---- the functions ---- */

typedef struct call {
    sqlite3_context *ctx;
    int argc;              /* value arguments (the flags argument not counted) */
    sqlite3_value **argv;
    unsigned flags;
} call;

typedef void (*impl_fn)(call *c);

#define A(i) (c->argv[i])
#define ANULL(i) (c->argc > (i) && is_null(A(i)))

static void f_div(call *c)
{
    if (ANULL(0) || ANULL(1)) {
        sqlite3_result_null(c->ctx);
        return;
    }
    double b = num(A(1));
    if (b == 0 || isnan(b)) {
        sqlite3_result_null(c->ctx);
        return;
    }
    if ((c->flags & IR_FL_INT_DIVISION) && is_int(A(0)) && is_int(A(1))) {
        sqlite3_int64 x = sqlite3_value_int64(A(0)), y = sqlite3_value_int64(A(1));
        if (y == -1) {
            sqlite3_result_int64(c->ctx, (sqlite3_int64)(0 - (uint64_t)x));
            return;
        }
        sqlite3_result_int64(c->ctx, x / y);
        return;
    }
    sqlite3_result_double(c->ctx, num(A(0)) / b);
}

static void f_mod(call *c)
{
    if (is_int(A(0)) && is_int(A(1))) {
        sqlite3_int64 x = sqlite3_value_int64(A(0)), y = sqlite3_value_int64(A(1));
        if (y == 0) {
            sqlite3_result_null(c->ctx);
            return;
        }
        sqlite3_result_int64(c->ctx, y == -1 ? 0 : x % y);
        return;
    }
    double y = num(A(1));
    if (y == 0) {
        sqlite3_result_null(c->ctx);
        return;
    }
    result_num(c->ctx, fmod(num(A(0)), y));
}

static void f_concat(call *c)
{
    strbuf sb = STRBUF_INIT;
    bool any = false;
    for (int i = 0; i < c->argc; i++) {
        if (is_null(A(i))) {
            if (!(c->flags & IR_FL_NULL_AS_EMPTY)) {
                sb_free(&sb);
                sqlite3_result_null(c->ctx);
                return;
            }
            continue;
        }
        any = true;
        sb_puts(&sb, text(A(i)));
    }
    if (!any) {
        sb_free(&sb);
        sqlite3_result_null(c->ctx);
        return;
    }
    result_sb(c->ctx, &sb);
}

static void trim_impl(call *c, bool left, bool right)
{
    const char *s = text(A(0)), *set = c->argc > 1 ? text(A(1)) : " ";
    size_t a = 0, b = strlen(s);
    while (left && a < b && strchr(set, s[a]) && s[a])
        a++;
    while (right && b > a && strchr(set, s[b - 1]) && s[b - 1])
        b--;
    result_str(c->ctx, s + a, b - a);
}
static void f_ltrim(call *c) { trim_impl(c, true, false); }
static void f_rtrim(call *c) { trim_impl(c, false, true); }
static void f_trim(call *c) { trim_impl(c, true, true); }

static void case_impl(call *c, int mode)
{
    const char *s = text(A(0));
    size_t n = strlen(s);
    char *o = malloc(n + 1);
    if (!o) {
        sqlite3_result_error_nomem(c->ctx);
        return;
    }
    bool start = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (mode == 0)
            o[i] = (char)toupper(ch);
        else if (mode == 1)
            o[i] = (char)tolower(ch);
        else {
            o[i] = (char)(start ? toupper(ch) : tolower(ch));
            start = !isalnum(ch);
        }
    }
    result_str(c->ctx, o, n);
    free(o);
}
static void f_upper(call *c) { case_impl(c, 0); }
static void f_lower(call *c) { case_impl(c, 1); }
static void f_initcap(call *c) { case_impl(c, 2); }

static void pad_impl(call *c, bool left)
{
    const char *s = text(A(0)), *pad = c->argc > 2 ? text(A(2)) : " ";
    double nd = num(A(1));
    if (isnan(nd)) {
        sqlite3_result_null(c->ctx);
        return;
    }
    long long n = (long long)nd;
    size_t len = strlen(s), pl = strlen(pad);
    if (n <= 0) {
        result_str(c->ctx, "", 0);
        return;
    }
    if ((size_t)n <= len || pl == 0) {
        result_str(c->ctx, s, (size_t)n < len ? (size_t)n : len);
        return;
    }
    if (n > 100000) {
        sqlite3_result_null(c->ctx);
        return;
    }
    strbuf sb = STRBUF_INIT;
    size_t fill = (size_t)n - len;
    if (!left)
        sb_puts(&sb, s);
    for (size_t i = 0; i < fill; i++)
        sb_putc(&sb, pad[i % pl]);
    if (left)
        sb_puts(&sb, s);
    result_sb(c->ctx, &sb);
}
static void f_lpad(call *c) { pad_impl(c, true); }
static void f_rpad(call *c) { pad_impl(c, false); }

/* The 1-based start position after the flags; 0 means "before the string" (SQL). */
static long long start_pos(long long start, long long len, unsigned flags)
{
    if (start == 0 && (flags & IR_FL_POS_ZERO_IS_ONE))
        return 1;
    if (start < 0 && (flags & IR_FL_NEG_FROM_END))
        return len + start + 1;
    return start;
}

static void f_substr(call *c)
{
    const char *s = text(A(0));
    long long len = (long long)strlen(s);
    double sd = num(A(1));
    if (isnan(sd)) {
        sqlite3_result_null(c->ctx);
        return;
    }
    long long st = start_pos((long long)sd, len, c->flags);
    long long end = len + 1; /* exclusive */
    if (c->argc > 2) {
        double ld = num(A(2));
        if (isnan(ld)) {
            sqlite3_result_null(c->ctx);
            return;
        }
        long long l = (long long)ld;
        if (l <= 0) {
            result_str(c->ctx, "", 0);
            return;
        }
        if (st + l < end)
            end = st + l;
    }
    if (st < 1)
        st = 1;
    if (st >= end) {
        result_str(c->ctx, "", 0);
        return;
    }
    result_str(c->ctx, s + st - 1, (size_t)(end - st));
}

static bool ci_eq(const char *a, const char *b, size_t n, bool ci)
{
    return ci ? strncasecmp(a, b, n) == 0 : strncmp(a, b, n) == 0;
}

static void f_instr(call *c)
{
    const char *s = text(A(0)), *q = text(A(1));
    long long len = (long long)strlen(s), ql = (long long)strlen(q);
    long long st = c->argc > 2 ? (long long)num(A(2)) : 1, nth = c->argc > 3 ? (long long)num(A(3)) : 1;
    if (nth < 1) {
        sqlite3_result_int64(c->ctx, 0);
        return;
    }
    bool back = st < 0 && (c->flags & IR_FL_NEG_FROM_END);
    st = start_pos(st, len, c->flags);
    if (st < 1 && !back) {
        sqlite3_result_int64(c->ctx, 0);
        return;
    }
    long long found = 0;
    if (back) {
        for (long long i = st; i >= 1; i--)
            if (i - 1 + ql <= len && ci_eq(s + i - 1, q, (size_t)ql, false) && ++found == nth) {
                sqlite3_result_int64(c->ctx, i);
                return;
            }
    } else {
        for (long long i = st; i - 1 + ql <= len; i++)
            if (ci_eq(s + i - 1, q, (size_t)ql, false) && ++found == nth) {
                sqlite3_result_int64(c->ctx, i);
                return;
            }
    }
    sqlite3_result_int64(c->ctx, 0);
}

static void f_length(call *c) { sqlite3_result_int64(c->ctx, (sqlite3_int64)strlen(text(A(0)))); }

static void f_replace_chars(call *c)
{
    if (is_null(A(0))) {
        sqlite3_result_null(c->ctx);
        return;
    }
    const char *s = text(A(0));
    if (is_null(A(1))) {
        result_str(c->ctx, s, strlen(s));
        return;
    }
    const char *set = text(A(1)), *rep = is_null(A(2)) ? "" : text(A(2));
    bool ci = c->flags & IR_FL_CASE_INSENSITIVE;
    strbuf sb = STRBUF_INIT;
    for (const char *p = s; *p; p++) {
        bool hit = false;
        for (const char *q = set; *q && !hit; q++)
            hit = ci ? tolower((unsigned char)*q) == tolower((unsigned char)*p) : *q == *p;
        if (hit)
            sb_puts(&sb, rep);
        else
            sb_putc(&sb, *p);
    }
    result_sb(c->ctx, &sb);
}

static void f_replace_str(call *c)
{
    if (is_null(A(0))) {
        sqlite3_result_null(c->ctx);
        return;
    }
    const char *s = text(A(0)), *rep = is_null(A(c->argc - 1)) ? "" : text(A(c->argc - 1));
    bool ci = c->flags & IR_FL_CASE_INSENSITIVE;
    strbuf sb = STRBUF_INIT;
    for (const char *p = s; *p;) {
        bool hit = false;
        for (int i = 1; i < c->argc - 1 && !hit; i++) {
            if (is_null(A(i)))
                continue;
            const char *old = text(A(i));
            size_t ol = strlen(old);
            if (ol && ci_eq(p, old, ol, ci)) {
                sb_puts(&sb, rep);
                p += ol;
                hit = true;
            }
        }
        if (!hit)
            sb_putc(&sb, *p++);
    }
    result_sb(c->ctx, &sb);
}

/* POSIX ERE from a Java/PCRE-style pattern: \d \w \s and negations, a leading (?i). */
static int re_compile(regex_t *re, const char *pat, bool ci, bool full)
{
    strbuf sb = STRBUF_INIT;
    if (strncmp(pat, "(?i)", 4) == 0) {
        ci = true;
        pat += 4;
    }
    if (full)
        sb_puts(&sb, "^(");
    for (const char *p = pat; *p; p++) {
        if (*p == '\\' && p[1]) {
            const char *cls = NULL;
            switch (p[1]) {
            case 'd': cls = "[0-9]"; break;
            case 'D': cls = "[^0-9]"; break;
            case 'w': cls = "[[:alnum:]_]"; break;
            case 'W': cls = "[^[:alnum:]_]"; break;
            case 's': cls = "[[:space:]]"; break;
            case 'S': cls = "[^[:space:]]"; break;
            case 'z':
            case 'Z': cls = "$"; break;
            case 'A': cls = "^"; break;
            default: break;
            }
            if (cls) {
                sb_puts(&sb, cls);
                p++;
                continue;
            }
            sb_putc(&sb, *p++);
        }
        sb_putc(&sb, *p);
    }
    if (full)
        sb_puts(&sb, ")$");
    int rc = regcomp(re, sb_cstr(&sb), REG_EXTENDED | (ci ? REG_ICASE : 0));
    sb_free(&sb);
    return rc;
}

static void f_regexp_like(call *c)
{
    regex_t re;
    if (re_compile(&re, text(A(1)), c->flags & IR_FL_CASE_INSENSITIVE, c->flags & IR_FL_FULL_MATCH)) {
        sqlite3_result_error(c->ctx, "invalid regular expression", -1);
        return;
    }
    sqlite3_result_int(c->ctx, regexec(&re, text(A(0)), 0, NULL, 0) == 0);
    regfree(&re);
}

static void f_regexp_instr(call *c)
{
    regex_t re;
    regmatch_t m;
    if (re_compile(&re, text(A(1)), c->flags & IR_FL_CASE_INSENSITIVE, false)) {
        sqlite3_result_error(c->ctx, "invalid regular expression", -1);
        return;
    }
    sqlite3_result_int64(c->ctx, regexec(&re, text(A(0)), 1, &m, 0) == 0 ? m.rm_so + 1 : 0);
    regfree(&re);
}

static void f_regexp_extract(call *c)
{
    regex_t re;
    regmatch_t m[10];
    long long g = c->argc > 2 ? (long long)num(A(2)) : 1;
    if (g < 0 || g > 9) {
        sqlite3_result_null(c->ctx);
        return;
    }
    if (re_compile(&re, text(A(1)), c->flags & IR_FL_CASE_INSENSITIVE, false)) {
        sqlite3_result_error(c->ctx, "invalid regular expression", -1);
        return;
    }
    const char *s = text(A(0));
    if (regexec(&re, s, 10, m, 0) == 0 && m[g].rm_so >= 0)
        result_str(c->ctx, s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
    else
        sqlite3_result_null(c->ctx);
    regfree(&re);
}

static void f_regexp_replace(call *c)
{
    regex_t re;
    regmatch_t m[10];
    if (re_compile(&re, text(A(1)), c->flags & IR_FL_CASE_INSENSITIVE, false)) {
        sqlite3_result_error(c->ctx, "invalid regular expression", -1);
        return;
    }
    const char *s = text(A(0)), *rep = text(A(2));
    long long max = c->argc > 3 ? (long long)num(A(3)) : -1;
    strbuf sb = STRBUF_INIT;
    const char *p = s;
    int eflags = 0;
    for (long long n = 0; (max < 0 || n < max) && *p && regexec(&re, p, 10, m, eflags) == 0; n++) {
        sb_putn(&sb, p, (size_t)m[0].rm_so);
        for (const char *r = rep; *r; r++) {
            if ((*r == '$' || *r == '\\') && isdigit((unsigned char)r[1])) {
                int g = r[1] - '0';
                if (m[g].rm_so >= 0)
                    sb_putn(&sb, p + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
                r++;
            } else {
                sb_putc(&sb, *r);
            }
        }
        if (m[0].rm_eo == m[0].rm_so) { /* an empty match: step over one character */
            if (!p[m[0].rm_eo])
                break;
            sb_putc(&sb, p[m[0].rm_eo]);
            p += m[0].rm_eo + 1;
        } else {
            p += m[0].rm_eo;
        }
        eflags = REG_NOTBOL;
    }
    sb_puts(&sb, p);
    regfree(&re);
    result_sb(c->ctx, &sb);
}

static void f_chr(call *c)
{
    double d = num(A(0));
    if (isnan(d) || d < 0 || d > 0x10FFFF) {
        sqlite3_result_null(c->ctx);
        return;
    }
    unsigned cp = (unsigned)d;
    char b[5] = {0};
    if (cp < 0x80) {
        b[0] = (char)cp;
        result_str(c->ctx, b, 1);
        return;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3F));
        result_str(c->ctx, b, 2);
        return;
    }
    if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | (cp >> 6 & 0x3F)), b[2] = (char)(0x80 | (cp & 0x3F));
        result_str(c->ctx, b, 3);
        return;
    }
    b[0] = (char)(0xF0 | cp >> 18), b[1] = (char)(0x80 | (cp >> 12 & 0x3F)), b[2] = (char)(0x80 | (cp >> 6 & 0x3F)),
    b[3] = (char)(0x80 | (cp & 0x3F));
    result_str(c->ctx, b, 4);
}

static void f_ascii(call *c) { sqlite3_result_int(c->ctx, (unsigned char)text(A(0))[0]); }

static void f_reverse(call *c)
{
    const char *s = text(A(0));
    size_t n = strlen(s);
    char *o = malloc(n + 1);
    if (!o) {
        sqlite3_result_error_nomem(c->ctx);
        return;
    }
    for (size_t i = 0; i < n; i++)
        o[i] = s[n - 1 - i];
    result_str(c->ctx, o, n);
    free(o);
}

static void f_translate(call *c)
{
    const char *s = text(A(0)), *from = text(A(1)), *to = text(A(2));
    size_t tl = strlen(to);
    strbuf sb = STRBUF_INIT;
    for (const char *p = s; *p; p++) {
        const char *h = strchr(from, *p);
        if (!h)
            sb_putc(&sb, *p);
        else if ((size_t)(h - from) < tl)
            sb_putc(&sb, to[h - from]);
    }
    result_sb(c->ctx, &sb);
}

static void f_split_part(call *c)
{
    const char *s = text(A(0)), *dl = text(A(1));
    long long n = (long long)num(A(2));
    if (n == 0 && (c->flags & IR_FL_POS_ZERO_IS_ONE))
        n = 1;
    size_t dlen = strlen(dl);
    /* field boundaries */
    const char *starts[256];
    size_t lens[256];
    int nf = 0;
    const char *p = s;
    for (;;) {
        const char *h = dlen ? strstr(p, dl) : NULL;
        if (nf == 256) {
            sqlite3_result_null(c->ctx);
            return;
        }
        starts[nf] = p;
        lens[nf] = h ? (size_t)(h - p) : strlen(p);
        nf++;
        if (!h)
            break;
        p = h + dlen;
    }
    long long i = n > 0 ? n - 1 : nf + n;
    if (n == 0 || i < 0 || i >= nf) {
        result_str(c->ctx, "", 0);
        return;
    }
    result_str(c->ctx, starts[i], lens[i]);
}

static void f_right(call *c)
{
    const char *s = text(A(0));
    long long n = (long long)num(A(1)), len = (long long)strlen(s);
    if (n <= 0) {
        result_str(c->ctx, "", 0);
        return;
    }
    if (n > len)
        n = len;
    result_str(c->ctx, s + len - n, (size_t)n);
}

static void f_levenshtein(call *c)
{
    const char *a = text(A(0)), *b = text(A(1));
    size_t n = strlen(a), m = strlen(b);
    size_t *row = malloc((m + 1) * sizeof *row);
    if (!row) {
        sqlite3_result_error_nomem(c->ctx);
        return;
    }
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t cur = row[j];
            size_t best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    sqlite3_result_int64(c->ctx, (sqlite3_int64)row[m]);
    free(row);
}

/* The length of the UTF-8 character at s (1 for a stray byte). */
static size_t utf8_len(const char *s)
{
    unsigned char b = (unsigned char)*s;
    size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

/* Does LIKE pattern p match all of s? % any run, _ one character, esc (0: none) makes the next
 * character literal; ci: ASCII letters in either case. */
static bool like_match(const char *s, const char *p, char esc, bool ci)
{
    while (*p) {
        if (*p == '%') {
            while (*p == '%')
                p++;
            if (!*p)
                return true;
            for (;; s += utf8_len(s)) {
                if (like_match(s, p, esc, ci))
                    return true;
                if (!*s)
                    return false;
            }
        }
        if (!*s)
            return false;
        if (*p == '_') {
            p++;
            s += utf8_len(s);
            continue;
        }
        if (esc && *p == esc && p[1])
            p++;
        size_t n = utf8_len(p);
        if (n == 1 ? (ci ? tolower((unsigned char)*p) != tolower((unsigned char)*s) : *p != *s) : strncmp(p, s, n) != 0)
            return false;
        p += n;
        s += n;
    }
    return !*s;
}

static void f_like(call *c)
{
    const char *esc = c->argc > 2 ? text(A(2)) : "";
    if (strlen(esc) > 1) {
        sqlite3_result_error(c->ctx, "the LIKE escape is not one character", -1);
        return;
    }
    sqlite3_result_int(c->ctx, like_match(text(A(0)), text(A(1)), *esc, c->flags & IR_FL_CASE_INSENSITIVE));
}

static void f_is_spaces(call *c)
{
    const char *s = text(A(0));
    bool all = *s != 0;
    for (; *s; s++)
        all = all && isspace((unsigned char)*s);
    sqlite3_result_int(c->ctx, all);
}

/* A decimal number with optional blanks around it, a sign, a fraction and an exponent. */
static bool number_text(const char *s, double *out)
{
    while (isspace((unsigned char)*s))
        s++;
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    bool dig = false;
    while (isdigit((unsigned char)*p))
        p++, dig = true;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++)
            dig = true;
    if (!dig)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    const char *e = p;
    while (isspace((unsigned char)*p))
        p++;
    if (*p)
        return false;
    if (out) {
        char buf[64];
        size_t n = (size_t)(e - s) < sizeof buf - 1 ? (size_t)(e - s) : sizeof buf - 1;
        memcpy(buf, s, n);
        buf[n] = 0;
        *out = strtod(buf, NULL);
    }
    return true;
}

/* The value as a number: numbers as they are, text when it is a number, else NaN. */
static double to_number(sqlite3_value *v)
{
    int t = sqlite3_value_type(v);
    if (t == SQLITE_INTEGER || t == SQLITE_FLOAT)
        return sqlite3_value_double(v);
    double d;
    return number_text(text(v), &d) ? d : NAN;
}

static void f_is_number(call *c)
{
    int t = sqlite3_value_type(A(0));
    sqlite3_result_int(c->ctx, t == SQLITE_INTEGER || t == SQLITE_FLOAT || number_text(text(A(0)), NULL));
}

static void f_is_date(call *c)
{
    ts t;
    sqlite3_result_int(c->ctx, parse_with(text(A(0)), c->argc > 1 ? text(A(1)) : DEFAULT_FMT, &t));
}

static void put_number(strbuf *sb, sqlite3_value *v)
{
    if (sqlite3_value_type(v) == SQLITE_INTEGER) {
        sb_put_int(sb, sqlite3_value_int64(v));
        return;
    }
    double d = sqlite3_value_double(v);
    char buf[64];
    snprintf(buf, sizeof buf, "%.15g", d);
    sb_puts(sb, buf);
}

static void f_to_char(call *c)
{
    strbuf sb = STRBUF_INIT;
    int t = sqlite3_value_type(A(0));
    ts d;
    char iso[64];
    bool date_form = (c->flags & SQLITEBE_ARG_UNTYPED) && t == SQLITE_TEXT && ts_get(A(0), &d) &&
                     (sqlitebe_ts_format(iso, sizeof iso, d.y, d.mo, d.d, d.h, d.mi, d.s, d.ns), strcmp(iso, text(A(0))) == 0);
    if (((c->flags & SQLITEBE_ARG_TEMPORAL) || date_form) && ts_get(A(0), &d))
        format_ts(&sb, &d, c->argc > 1 ? text(A(1)) : DEFAULT_FMT);
    else if (t == SQLITE_INTEGER || t == SQLITE_FLOAT)
        put_number(&sb, A(0));
    else
        sb_puts(&sb, text(A(0)));
    result_sb(c->ctx, &sb);
}

static void f_to_date(call *c)
{
    ts t;
    if (parse_with(text(A(0)), c->argc > 1 ? text(A(1)) : DEFAULT_FMT, &t))
        result_ts(c->ctx, &t);
    else
        sqlite3_result_null(c->ctx);
}

static void f_to_decimal(call *c)
{
    double d = to_number(A(0));
    if (isnan(d))
        d = 0; /* Informatica: a non-numeric string is 0 */
    if (c->argc > 1 && !is_null(A(1)))
        d = round_half_away(d, (int)num(A(1)));
    result_num(c->ctx, d);
}

static void to_int_impl(call *c, double lo, double hi)
{
    double d = to_number(A(0));
    if (isnan(d)) {
        sqlite3_result_null(c->ctx);
        return;
    }
    bool truncate = c->argc < 2 || is_null(A(1)) || num(A(1)) != 0;
    d = truncate ? trunc(d) : round_half_away(d, 0);
    if (d < lo || d > hi) {
        sqlite3_result_null(c->ctx);
        return;
    }
    sqlite3_result_int64(c->ctx, (sqlite3_int64)d);
}
static void f_to_integer(call *c) { to_int_impl(c, -2147483648.0, 2147483647.0); }
static void f_to_bigint(call *c) { to_int_impl(c, -9.2e18, 9.2e18); }

static void f_to_float(call *c)
{
    double d = to_number(A(0));
    if (isnan(d)) {
        sqlite3_result_null(c->ctx);
        return;
    }
    sqlite3_result_double(c->ctx, d);
}

/* cast / try_cast: argument 1 is the target type's text. A value that does not convert is NULL. */
static void f_cast(call *c)
{
    ir_type ty;
    if (ir_type_parse(text(A(1)), &ty) < 0) {
        sqlite3_result_error(c->ctx, "etl_cast: bad type", -1);
        return;
    }
    sqlite3_value *v = A(0);
    int vt = sqlite3_value_type(v);
    double d;
    ts t;
    switch (ty.kind) {
    case IR_TY_BOOL:
        if (vt == SQLITE_INTEGER || vt == SQLITE_FLOAT) {
            sqlite3_result_int(c->ctx, sqlite3_value_double(v) != 0);
            return;
        }
        if (strcasecmp(text(v), "true") == 0 || strcmp(text(v), "1") == 0) {
            sqlite3_result_int(c->ctx, 1);
            return;
        }
        if (strcasecmp(text(v), "false") == 0 || strcmp(text(v), "0") == 0) {
            sqlite3_result_int(c->ctx, 0);
            return;
        }
        sqlite3_result_null(c->ctx);
        return;
    case IR_TY_INT:
    case IR_TY_BIGINT:
        d = to_number(v);
        if (isnan(d)) {
            sqlite3_result_null(c->ctx);
            return;
        }
        d = trunc(d);
        if (ty.kind == IR_TY_INT ? (d < -2147483648.0 || d > 2147483647.0) : fabs(d) > 9.2e18) {
            sqlite3_result_null(c->ctx);
            return;
        }
        sqlite3_result_int64(c->ctx, (sqlite3_int64)d);
        return;
    case IR_TY_DECIMAL:
        d = to_number(v);
        if (isnan(d)) {
            sqlite3_result_null(c->ctx);
            return;
        }
        if (ty.precision > 0 || ty.scale > 0)
            d = round_half_away(d, ty.scale);
        if (ty.precision > 0 && ty.precision - ty.scale < 16 && fabs(d) >= pow(10.0, ty.precision - ty.scale)) {
            sqlite3_result_null(c->ctx);
            return;
        }
        result_num(c->ctx, d);
        return;
    case IR_TY_DOUBLE:
        d = to_number(v);
        if (isnan(d)) {
            sqlite3_result_null(c->ctx);
            return;
        }
        sqlite3_result_double(c->ctx, d);
        return;
    case IR_TY_DATE:
    case IR_TY_TIMESTAMP:
        if (!ts_get(v, &t)) {
            sqlite3_result_null(c->ctx);
            return;
        }
        if (ty.kind == IR_TY_DATE)
            t.h = t.mi = t.s = 0, t.ns = 0;
        result_ts(c->ctx, &t);
        return;
    case IR_TY_STRING: {
        strbuf sb = STRBUF_INIT;
        if (vt == SQLITE_INTEGER || vt == SQLITE_FLOAT)
            put_number(&sb, v);
        else
            sb_puts(&sb, text(v));
        result_sb(c->ctx, &sb);
        return;
    }
    default:
        sqlite3_result_value(c->ctx, v);
        return;
    }
}

static int places(call *c, int i) { return c->argc > i && !is_null(A(i)) ? (int)num(A(i)) : 0; }

static void f_date_trunc(call *c);

static void f_trunc(call *c)
{
    if (c->flags & SQLITEBE_ARG_TEMPORAL) {
        f_date_trunc(c);
        return;
    }
    result_num(c->ctx, trunc_to(num(A(0)), places(c, 1))); /* NaN (not a number): NULL */
}

static void f_round(call *c)
{
    result_num(c->ctx, round_half_away(num(A(0)), places(c, 1))); /* NaN (not a number): NULL */
}

static void f_abs(call *c)
{
    if (is_int(A(0)) && sqlite3_value_int64(A(0)) != INT64_MIN) {
        sqlite3_result_int64(c->ctx, llabs(sqlite3_value_int64(A(0))));
        return;
    }
    result_num(c->ctx, fabs(num(A(0))));
}

static void f_ceil(call *c)
{
    double p = pow(10.0, places(c, 1));
    result_num(c->ctx, ceil(num(A(0)) * p - 1e-9) / p);
}

static void f_floor(call *c)
{
    double p = pow(10.0, places(c, 1));
    result_num(c->ctx, floor(num(A(0)) * p + 1e-9) / p);
}

static void result_dbl(sqlite3_context *ctx, double d)
{
    if (isnan(d) || isinf(d))
        sqlite3_result_null(ctx);
    else
        sqlite3_result_double(ctx, d);
}
static void f_power(call *c) { result_dbl(c->ctx, pow(num(A(0)), num(A(1)))); }
static void f_sqrt(call *c) { result_dbl(c->ctx, sqrt(num(A(0)))); }
static void f_exp(call *c) { result_dbl(c->ctx, exp(num(A(0)))); }
static void f_ln(call *c) { result_dbl(c->ctx, num(A(0)) > 0 ? log(num(A(0))) : NAN); }
static void f_log(call *c)
{
    double b = num(A(0)), x = num(A(1));
    result_dbl(c->ctx, b > 0 && b != 1 && x > 0 ? log(x) / log(b) : NAN);
}
static void f_sin(call *c) { result_dbl(c->ctx, sin(num(A(0)))); }
static void f_cos(call *c) { result_dbl(c->ctx, cos(num(A(0)))); }
static void f_tan(call *c) { result_dbl(c->ctx, tan(num(A(0)))); }
static void f_asin(call *c) { result_dbl(c->ctx, fabs(num(A(0))) <= 1 ? asin(num(A(0))) : NAN); }
static void f_acos(call *c) { result_dbl(c->ctx, fabs(num(A(0))) <= 1 ? acos(num(A(0))) : NAN); }
static void f_atan(call *c) { result_dbl(c->ctx, atan(num(A(0)))); }
static void f_atan2(call *c) { result_dbl(c->ctx, atan2(num(A(0)), num(A(1)))); }
static void f_pi(call *c) { sqlite3_result_double(c->ctx, 3.14159265358979323846); }
static void f_radians(call *c) { result_dbl(c->ctx, num(A(0)) * (3.14159265358979323846 / 180.0)); }
static void f_degrees(call *c) { result_dbl(c->ctx, num(A(0)) * (180.0 / 3.14159265358979323846)); }

static void f_sign(call *c)
{
    double d = num(A(0));
    if (isnan(d)) {
        sqlite3_result_null(c->ctx);
        return;
    }
    sqlite3_result_int(c->ctx, d > 0 ? 1 : d < 0 ? -1 : 0);
}

static void f_date_add(call *c)
{
    ts t;
    int p = part_of(text(A(1)));
    double amt = num(A(2));
    if (!ts_get(A(0), &t) || p < 0 || isnan(amt)) {
        sqlite3_result_null(c->ctx);
        return;
    }
    long long n = (long long)trunc(amt);
    static const long long secs[] = {0, 0, 0, 7 * 86400LL, 86400, 3600, 60, 1};
    if (p == P_YEAR || p == P_QUARTER || p == P_MONTH) {
        add_months(&t, n * (p == P_YEAR ? 12 : p == P_QUARTER ? 3 : 1));
    } else if (p <= P_SECOND) {
        ts_from_seconds(&t, ts_seconds(&t) + n * secs[p], t.ns);
    } else {
        long long unit = p == P_MS ? 1000000LL : p == P_US ? 1000LL : 1LL;
        long long total = t.ns + n * unit;
        long long carry = total >= 0 ? total / 1000000000LL : -((-total + 999999999LL) / 1000000000LL);
        ts_from_seconds(&t, ts_seconds(&t) + carry, (long)(total - carry * 1000000000LL));
    }
    result_ts(c->ctx, &t);
}

static double months_between(const ts *a, const ts *b)
{
    double whole = (a->y - b->y) * 12.0 + (a->mo - b->mo);
    double fa = (a->d - 1) + (a->h * 3600 + a->mi * 60 + a->s) / 86400.0;
    double fb = (b->d - 1) + (b->h * 3600 + b->mi * 60 + b->s) / 86400.0;
    return whole + (fa - fb) / 31.0;
}

static void f_date_diff(call *c)
{
    ts a, b;
    int p = part_of(text(A(2)));
    if (!ts_get(A(0), &a) || !ts_get(A(1), &b) || p < 0) {
        sqlite3_result_null(c->ctx);
        return;
    }
    double secs = (double)(ts_seconds(&a) - ts_seconds(&b)) + (double)(a.ns - b.ns) / 1e9;
    double r;
    switch (p) {
    case P_YEAR: r = months_between(&a, &b) / 12.0; break;
    case P_QUARTER: r = months_between(&a, &b) / 3.0; break;
    case P_MONTH: r = months_between(&a, &b); break;
    case P_WEEK: r = secs / (7 * 86400.0); break;
    case P_DAY: r = secs / 86400.0; break;
    case P_HOUR: r = secs / 3600.0; break;
    case P_MINUTE: r = secs / 60.0; break;
    case P_SECOND: r = secs; break;
    case P_MS: r = secs * 1e3; break;
    case P_US: r = secs * 1e6; break;
    default: r = secs * 1e9; break;
    }
    result_num(c->ctx, r);
}

static void f_date_compare(call *c)
{
    ts a, b;
    if (!ts_get(A(0), &a) || !ts_get(A(1), &b)) {
        sqlite3_result_null(c->ctx);
        return;
    }
    long long x = ts_seconds(&a), y = ts_seconds(&b);
    int r = x < y ? -1 : x > y ? 1 : a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0;
    sqlite3_result_int(c->ctx, r);
}

static void f_date_part(call *c)
{
    ts t;
    int p = part_of(text(A(1)));
    if (!ts_get(A(0), &t) || p < 0) {
        sqlite3_result_null(c->ctx);
        return;
    }
    long long v;
    switch (p) {
    case P_YEAR: v = t.y; break;
    case P_QUARTER: v = (t.mo - 1) / 3 + 1; break;
    case P_MONTH: v = t.mo; break;
    case P_WEEK: { /* ISO week */
        long long z = days_from_civil(t.y, t.mo, t.d);
        int wd = weekday(&t);
        long long thu = z - wd + 3;
        int ty, tm, td;
        civil_from_days(thu, &ty, &tm, &td);
        v = (thu - days_from_civil(ty, 1, 1)) / 7 + 1;
        break;
    }
    case P_DAY: v = t.d; break;
    case P_HOUR: v = t.h; break;
    case P_MINUTE: v = t.mi; break;
    case P_SECOND: v = t.s; break;
    case P_MS: v = t.ns / 1000000; break;
    case P_US: v = t.ns / 1000; break;
    default: v = t.ns; break;
    }
    sqlite3_result_int64(c->ctx, v);
}

static void f_date_set_part(call *c)
{
    ts t;
    int p = part_of(text(A(1)));
    double v = num(A(2));
    if (!ts_get(A(0), &t) || p < 0 || isnan(v)) {
        sqlite3_result_null(c->ctx);
        return;
    }
    int n = (int)v;
    switch (p) {
    case P_YEAR: t.y = n; break;
    case P_MONTH: t.mo = n; break;
    case P_DAY: t.d = n; break;
    case P_HOUR: t.h = n; break;
    case P_MINUTE: t.mi = n; break;
    case P_SECOND: t.s = n; break;
    case P_MS: t.ns = n * 1000000L; break;
    default:
        sqlite3_result_null(c->ctx);
        return;
    }
    result_ts(c->ctx, &t);
}

static void f_last_day(call *c)
{
    ts t;
    if (!ts_get(A(0), &t)) {
        sqlite3_result_null(c->ctx);
        return;
    }
    t.d = month_days(t.y, t.mo);
    result_ts(c->ctx, &t);
}

static void f_date_trunc(call *c)
{
    ts t;
    int p = c->argc > 1 ? part_of(text(A(1))) : P_DAY;
    if (!ts_get(A(0), &t) || p < 0) {
        sqlite3_result_null(c->ctx);
        return;
    }
    switch (p) {
    case P_YEAR: t.mo = 1; /* fall through */
    case P_QUARTER: if (p == P_QUARTER) t.mo = (t.mo - 1) / 3 * 3 + 1; /* fall through */
    case P_MONTH: t.d = 1; /* fall through */
    case P_DAY: t.h = 0; /* fall through */
    case P_HOUR: t.mi = 0; /* fall through */
    case P_MINUTE: t.s = 0; /* fall through */
    case P_SECOND: t.ns = 0; break;
    case P_WEEK: {
        long long z = days_from_civil(t.y, t.mo, t.d) - weekday(&t);
        civil_from_days(z, &t.y, &t.mo, &t.d);
        t.h = t.mi = t.s = 0, t.ns = 0;
        break;
    }
    case P_MS: t.ns = t.ns / 1000000 * 1000000; break;
    case P_US: t.ns = t.ns / 1000 * 1000; break;
    default: break;
    }
    result_ts(c->ctx, &t);
}

static void f_next_day(call *c)
{
    ts t;
    if (!ts_get(A(0), &t)) {
        sqlite3_result_null(c->ctx);
        return;
    }
    const char *w = text(A(1));
    size_t wl = strlen(w);
    int want = -1;
    for (int i = 0; i < 7 && want < 0; i++)
        if (wl >= 2 && wl <= strlen(day_names[i]) && strncasecmp(w, day_names[i], wl) == 0 &&
            (wl == 2 || wl == 3 || wl == strlen(day_names[i])))
            want = i;
    if (want < 0) {
        sqlite3_result_null(c->ctx);
        return;
    }
    int wd = weekday(&t);
    int step = (want - wd + 7) % 7;
    long long z = days_from_civil(t.y, t.mo, t.d) + (step ? step : 7);
    civil_from_days(z, &t.y, &t.mo, &t.d);
    t.h = t.mi = t.s = 0, t.ns = 0;
    result_ts(c->ctx, &t);
}

static void f_now(call *c) { result_str(c->ctx, SQLITEBE_NOW, strlen(SQLITEBE_NOW)); }
/* the session's user and schema: one name, the same on both sides of a comparison */
static void f_session_user(call *c) { result_str(c->ctx, "ETLPORT_VERIFY", strlen("ETLPORT_VERIFY")); }
static void f_session_schema(call *c) { result_str(c->ctx, "PUBLIC", strlen("PUBLIC")); }
static void f_today(call *c)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.10s 00:00:00", SQLITEBE_NOW);
    result_str(c->ctx, buf, strlen(buf));
}

static void f_crc32(call *c)
{
    const unsigned char *s = (const unsigned char *)text(A(0));
    uint32_t crc = 0xFFFFFFFFu;
    for (; *s; s++) {
        crc ^= *s;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    sqlite3_result_int64(c->ctx, (sqlite3_int64)(crc ^ 0xFFFFFFFFu));
}

/* MD5 (RFC 1321) of the string's bytes as 32 lower-case hex digits, as Snowflake's and Spark's
 * md5 write it. */
static void md5_block(uint32_t h[4], const unsigned char *b)
{
    static const uint32_t k[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
    static const int r[16] = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};
    uint32_t m[16];
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16 |
               (uint32_t)b[4 * i + 3] << 24;
    uint32_t a = h[0], bb = h[1], cc = h[2], d = h[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        if (i < 16)
            f = (bb & cc) | (~bb & d), g = i;
        else if (i < 32)
            f = (d & bb) | (~d & cc), g = (5 * i + 1) % 16;
        else if (i < 48)
            f = bb ^ cc ^ d, g = (3 * i + 5) % 16;
        else
            f = cc ^ (bb | ~d), g = (7 * i) % 16;
        uint32_t t = d;
        d = cc;
        cc = bb;
        uint32_t x = a + f + k[i] + m[g];
        int s = r[(i / 16) * 4 + i % 4];
        bb = bb + (x << s | x >> (32 - s));
        a = t;
    }
    h[0] += a, h[1] += bb, h[2] += cc, h[3] += d;
}

static void f_md5(call *c)
{
    const unsigned char *s = (const unsigned char *)text(A(0));
    size_t n = strlen((const char *)s);
    uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    size_t full = n / 64 * 64;
    for (size_t i = 0; i < full; i += 64)
        md5_block(h, s + i);
    unsigned char tail[128] = {0};
    size_t rest = n - full, tn = rest < 56 ? 64 : 128;
    memcpy(tail, s + full, rest);
    tail[rest] = 0x80;
    uint64_t bits = (uint64_t)n * 8;
    for (int i = 0; i < 8; i++)
        tail[tn - 8 + (size_t)i] = (unsigned char)(bits >> (8 * i));
    for (size_t i = 0; i < tn; i += 64)
        md5_block(h, tail + i);
    char hex[33];
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", (unsigned)(h[i / 4] >> (8 * (i % 4))) & 0xffu);
    result_str(c->ctx, hex, 32);
}

/* ---- the table ---- */

static const struct {
    ir_fn fn;
    impl_fn impl;
} impls[] = {
    {IR_FN_DIV, f_div},
    {IR_FN_MOD, f_mod},
    {IR_FN_CONCAT, f_concat},
    {IR_FN_LTRIM, f_ltrim},
    {IR_FN_RTRIM, f_rtrim},
    {IR_FN_TRIM, f_trim},
    {IR_FN_UPPER, f_upper},
    {IR_FN_LOWER, f_lower},
    {IR_FN_INITCAP, f_initcap},
    {IR_FN_LPAD, f_lpad},
    {IR_FN_RPAD, f_rpad},
    {IR_FN_SUBSTR, f_substr},
    {IR_FN_INSTR, f_instr},
    {IR_FN_LENGTH, f_length},
    {IR_FN_REPLACE_CHARS, f_replace_chars},
    {IR_FN_REPLACE_STR, f_replace_str},
    {IR_FN_REGEXP_EXTRACT, f_regexp_extract},
    {IR_FN_REGEXP_LIKE, f_regexp_like},
    {IR_FN_REGEXP_REPLACE, f_regexp_replace},
    {IR_FN_CHR, f_chr},
    {IR_FN_ASCII, f_ascii},
    {IR_FN_REVERSE, f_reverse},
    {IR_FN_TRANSLATE, f_translate},
    {IR_FN_REGEXP_INSTR, f_regexp_instr},
    {IR_FN_SPLIT_PART, f_split_part},
    {IR_FN_RIGHT, f_right},
    {IR_FN_LEVENSHTEIN, f_levenshtein},
    {IR_FN_LIKE, f_like},
    {IR_FN_IS_SPACES, f_is_spaces},
    {IR_FN_IS_NUMBER, f_is_number},
    {IR_FN_IS_DATE, f_is_date},
    {IR_FN_TO_CHAR, f_to_char},
    {IR_FN_TO_DATE, f_to_date},
    {IR_FN_TO_DECIMAL, f_to_decimal},
    {IR_FN_TO_INTEGER, f_to_integer},
    {IR_FN_TO_BIGINT, f_to_bigint},
    {IR_FN_TO_FLOAT, f_to_float},
    {IR_FN_CAST, f_cast},
    {IR_FN_TRY_CAST, f_cast},
    {IR_FN_TRUNC, f_trunc},
    {IR_FN_ROUND, f_round},
    {IR_FN_ABS, f_abs},
    {IR_FN_CEIL, f_ceil},
    {IR_FN_FLOOR, f_floor},
    {IR_FN_POWER, f_power},
    {IR_FN_SQRT, f_sqrt},
    {IR_FN_EXP, f_exp},
    {IR_FN_LN, f_ln},
    {IR_FN_LOG, f_log},
    {IR_FN_SIGN, f_sign},
    {IR_FN_DATE_ADD, f_date_add},
    {IR_FN_DATE_DIFF, f_date_diff},
    {IR_FN_DATE_COMPARE, f_date_compare},
    {IR_FN_DATE_PART, f_date_part},
    {IR_FN_DATE_SET_PART, f_date_set_part},
    {IR_FN_LAST_DAY, f_last_day},
    {IR_FN_DATE_TRUNC, f_date_trunc},
    {IR_FN_CURRENT_DATE, f_today},
    {IR_FN_CURRENT_TIMESTAMP, f_now},
    {IR_FN_CURRENT_UTC_TIMESTAMP, f_now},
    {IR_FN_NEXT_DAY, f_next_day},
    {IR_FN_SESSION_START, f_now},
    {IR_FN_CURRENT_USER, f_session_user},
    {IR_FN_CURRENT_SCHEMA, f_session_schema},
    {IR_FN_CRC32, f_crc32},
    {IR_FN_MD5, f_md5},
};

/* Functions found by their canonical name when the connection is set up (rows newer than this
 * file's table of ids; a name functions.def lacks is skipped). */
static const struct {
    const char *name;
    impl_fn impl;
} named[] = {
    {"sin", f_sin},   {"cos", f_cos},     {"tan", f_tan},         {"asin", f_asin},       {"acos", f_acos},
    {"atan", f_atan}, {"atan2", f_atan2}, {"pi", f_pi},           {"radians", f_radians}, {"degrees", f_degrees},
};

#define N_IMPLS ((int)(sizeof impls / sizeof impls[0]))
#define N_NAMED ((int)(sizeof named / sizeof named[0]))

/* Entry k: impls[k] for k < N_IMPLS, else named[k - N_IMPLS]; -1 when fn has none. */
static int impl_index(ir_fn fn)
{
    for (int i = 0; i < N_IMPLS; i++)
        if (impls[i].fn == fn)
            return i;
    for (int i = 0; i < N_NAMED; i++)
        if (strcmp(ir_fn_get(fn)->name, named[i].name) == 0)
            return N_IMPLS + i;
    return -1;
}

static ir_fn entry_fn(int k) { return k < N_IMPLS ? impls[k].fn : (ir_fn)ir_fn_by_name(named[k - N_IMPLS].name); }
static impl_fn entry_impl(int k) { return k < N_IMPLS ? impls[k].impl : named[k - N_IMPLS].impl; }

bool sqlitebe_fn_has_impl(ir_fn fn) { return impl_index(fn) >= 0; }

/* The trampoline: the flags argument, the strict NULL rule, then the implementation. */
static void dispatch(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int k = (int)(intptr_t)sqlite3_user_data(ctx);
    if (argc < 1) {
        sqlite3_result_error(ctx, "etl function without its flags argument", -1);
        return;
    }
    call c = {ctx, argc - 1, argv, (unsigned)sqlite3_value_int64(argv[argc - 1])};
    if (ir_fn_get(entry_fn(k))->null_rule == NR_STRICT)
        for (int i = 0; i < c.argc; i++)
            if (is_null(argv[i])) {
                sqlite3_result_null(ctx);
                return;
            }
    entry_impl(k)(&c);
}

/* ---- aggregates SQLite lacks ---- */

typedef struct agg_acc {
    double n, mean, m2;   /* Welford */
    double *vals;         /* median */
    int n_vals, cap_vals;
    long long band, bor;
    int any_true, any_false, seen;
} agg_acc;

static agg_acc *acc(sqlite3_context *ctx) { return sqlite3_aggregate_context(ctx, sizeof(agg_acc)); }

static void agg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    agg_acc *a = acc(ctx);
    if (!a || argc < 1 || is_null(argv[0]))
        return;
    double x = sqlite3_value_double(argv[0]);
    if (!a->seen)
        a->band = -1, a->bor = 0;
    a->seen = 1;
    a->n += 1;
    double d = x - a->mean;
    a->mean += d / a->n;
    a->m2 += d * (x - a->mean);
    long long i = sqlite3_value_int64(argv[0]);
    a->band &= i;
    a->bor |= i;
    if (x != 0)
        a->any_true = 1;
    else
        a->any_false = 1;
    if ((intptr_t)sqlite3_user_data(ctx) == 4) {
        if (a->n_vals == a->cap_vals) {
            int cap = a->cap_vals ? a->cap_vals * 2 : 16;
            double *nv = realloc(a->vals, (size_t)cap * sizeof *nv);
            if (!nv) {
                sqlite3_result_error_nomem(ctx);
                return;
            }
            a->vals = nv, a->cap_vals = cap;
        }
        a->vals[a->n_vals++] = x;
    }
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static void agg_final(sqlite3_context *ctx)
{
    agg_acc *a = sqlite3_aggregate_context(ctx, 0);
    int kind = (int)(intptr_t)sqlite3_user_data(ctx);
    if (!a || !a->seen) {
        sqlite3_result_null(ctx);
        return;
    }
    switch (kind) {
    case 0: result_dbl(ctx, a->n > 1 ? sqrt(a->m2 / (a->n - 1)) : NAN); break; /* stddev */
    case 1: result_dbl(ctx, a->n > 1 ? a->m2 / (a->n - 1) : NAN); break;       /* variance */
    case 2: result_dbl(ctx, sqrt(a->m2 / a->n)); break;                         /* stddev_pop */
    case 3: result_dbl(ctx, a->m2 / a->n); break;                               /* var_pop */
    case 4:                                                                     /* median */
        qsort(a->vals, (size_t)a->n_vals, sizeof *a->vals, cmp_double);
        result_dbl(ctx, a->n_vals % 2 ? a->vals[a->n_vals / 2]
                                      : (a->vals[a->n_vals / 2 - 1] + a->vals[a->n_vals / 2]) / 2);
        break;
    case 5: sqlite3_result_int(ctx, !a->any_false); break; /* bool_and */
    case 6: sqlite3_result_int(ctx, a->any_true); break;   /* bool_or */
    case 7: sqlite3_result_int64(ctx, a->band); break;     /* bit_and */
    default: sqlite3_result_int64(ctx, a->bor); break;     /* bit_or */
    }
    free(a->vals);
    a->vals = NULL;
}

static const struct {
    ir_fn fn;
    const char *name;
} aggs[] = {
    {IR_FN_STDDEV, "etl_stddev"},     {IR_FN_VARIANCE, "etl_variance"}, {IR_FN_STDDEV_POP, "etl_stddev_pop"},
    {IR_FN_VAR_POP, "etl_var_pop"},   {IR_FN_MEDIAN, "etl_median"},     {IR_FN_BOOL_AND, "etl_bool_and"},
    {IR_FN_BOOL_OR, "etl_bool_or"},   {IR_FN_BIT_AND, "etl_bit_and"},   {IR_FN_BIT_OR, "etl_bit_or"},
};

const char *sqlitebe_agg_name(ir_fn fn)
{
    for (int i = 0; i < (int)(sizeof aggs / sizeof aggs[0]); i++)
        if (aggs[i].fn == fn)
            return aggs[i].name;
    return NULL;
}

int sqlitebe_register(sqlite3 *db)
{
    for (int i = 0; i < N_IMPLS + N_NAMED; i++) {
        if (i >= N_IMPLS && ir_fn_by_name(named[i - N_IMPLS].name) < 0)
            continue;
        char name[64];
        snprintf(name, sizeof name, "etl_%s", ir_fn_get(entry_fn(i))->name);
        int rc = sqlite3_create_function_v2(db, name, -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, (void *)(intptr_t)i,
                                            dispatch, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return rc;
    }
    for (int i = 0; i < (int)(sizeof aggs / sizeof aggs[0]); i++) {
        int rc = sqlite3_create_function_v2(db, aggs[i].name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                            (void *)(intptr_t)i, NULL, agg_step, agg_final, NULL);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}
