/*
 * sqlfe_parse.c — the recursive-descent SQL parser: one function per grammar rule, over the token
 * array of one statement. Dialects are switches inside the rules (T-SQL TOP and alias = expr,
 * Teradata SEL/INS/UPD/DEL, QUALIFY, SAMPLE and (FORMAT ..) attributes, Oracle (+) and CONNECT BY,
 * DB2 CURRENT DATE and labeled durations ...), not separate grammars.
 *
 * Expression precedence, loosest first: OR; AND; NOT; comparisons and predicates (IS, IN, BETWEEN,
 * LIKE, quantified comparisons); + - || (Oracle's rule: concatenation binds like addition);
 * * / % MOD; unary - + ~; postfix :: casts, (+), Teradata attributes; primaries.
 * Set operations: INTERSECT binds tighter than UNION / EXCEPT / MINUS, which associate left.
 *
 * The first syntax error ends the statement (longjmp to the statement entry): a script goes on with
 * the next statement, and the error keeps its byte offset for file:line:col.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "frontends/sql/sqlfe_internal.h"

#define MAX_DEPTH 400

typedef struct P {
    arena *a;
    const char *text;
    const tok *t;
    int n;       /* tokens of the statement; t[n] is whatever ends it */
    int i;       /* current token */
    sqlfe_dialect d;
    jmp_buf jb;
    const char *err;
    size_t err_off;
    int depth;
    int line_base; /* line of the text's first byte in the file, for messages naming other lines */
    int in_connect; /* parsing a CONNECT BY / START WITH condition: PRIOR is the operator in any dialect */
} P;

static const tok eof_tok = {TK_EOF, 0, 0, 0};

static const tok *at(const P *p, int k)
{
    int j = p->i + k;
    if (j >= p->n) {
        static tok e;
        e = eof_tok;
        e.start = p->n > 0 ? p->t[p->n - 1].start + p->t[p->n - 1].len : 0;
        return &e;
    }
    return &p->t[j];
}

static const tok *cur(const P *p)
{
    return at(p, 0);
}

static void fail(P *p, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4), noreturn));
static void fail(P *p, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    p->err = arena_vprintf(p->a, fmt, ap);
    va_end(ap);
    p->err_off = off;
    longjmp(p->jb, 1);
}

static const char *tok_desc(P *p, const tok *t)
{
    switch (t->kind) {
    case TK_EOF: return "end of statement";
    case TK_ERROR: return "an unterminated string or comment";
    default: {
        uint32_t n = t->len > 30 ? 30 : t->len;
        return arena_printf(p->a, "'%.*s%s'", (int)n, p->text + t->start, t->len > 30 ? "..." : "");
    }
    }
}

static void fail_here(P *p, const char *what) __attribute__((noreturn));
static void fail_here(P *p, const char *what)
{
    const tok *t = cur(p);
    if (t->kind == TK_ERROR)
        fail(p, t->start, "unterminated string, quoted name or comment");
    fail(p, t->start, "expected %s, found %s", what, tok_desc(p, t));
}

static int is_kw(const P *p, const char *w)
{
    return tk_is(p->text, cur(p), w);
}

static int is_kw_at(const P *p, int k, const char *w)
{
    return tk_is(p->text, at(p, k), w);
}

static int is_tk(const P *p, tk_kind k)
{
    return cur(p)->kind == k;
}

static void advance(P *p)
{
    if (p->i < p->n)
        p->i++;
}

static int accept_kw(P *p, const char *w)
{
    if (is_kw(p, w)) {
        advance(p);
        return 1;
    }
    return 0;
}

static int accept(P *p, tk_kind k)
{
    if (is_tk(p, k)) {
        advance(p);
        return 1;
    }
    return 0;
}

static void expect_kw(P *p, const char *w)
{
    if (!accept_kw(p, w))
        fail_here(p, w);
}

static const char *kind_text(tk_kind k)
{
    switch (k) {
    case TK_LPAREN: return "'('";
    case TK_RPAREN: return "')'";
    case TK_COMMA: return "','";
    case TK_EQ: return "'='";
    default: return "a token";
    }
}

static void expect(P *p, tk_kind k)
{
    if (!accept(p, k))
        fail_here(p, kind_text(k));
}

/* The line of an offset, counted from the start of the text (plus the caller's base line). */
static int line_of(const P *p, size_t off)
{
    int line = p->line_base > 0 ? p->line_base : 1;
    for (size_t i = 0; i < off; i++)
        line += p->text[i] == '\n';
    return line;
}

/* The closing parenthesis of one opened at open_off: a missing one names where it opened. */
static void expect_close(P *p, size_t open_off)
{
    if (accept(p, TK_RPAREN))
        return;
    const tok *t = cur(p);
    fail(p, t->start, "expected ')' to close the '(' of line %d, found %s", line_of(p, open_off), tok_desc(p, t));
}

static size_t prev_end(const P *p)
{
    if (p->i == 0)
        return 0;
    const tok *t = &p->t[p->i - 1];
    return t->start + t->len;
}

/* ---- nodes ---- */

static sqlfe_ast *node(P *p, sqlfe_kind k, size_t start)
{
    sqlfe_ast *n = arena_alloc(p->a, sizeof *n);
    n->kind = k;
    n->start = start;
    n->end = start;
    return n;
}

static sqlfe_ast *add(P *p, sqlfe_ast *n, sqlfe_ast *kid)
{
    int c = n->n_kids;
    if (c == 0) {
        n->kids = arena_alloc(p->a, 4 * sizeof *n->kids);
    } else if (c >= 4 && (c & (c - 1)) == 0) {
        n->kids = arena_grow(p->a, n->kids, (size_t)c, (size_t)c * 2, sizeof *n->kids);
    }
    n->kids[n->n_kids++] = kid;
    if (kid && kid->end > n->end)
        n->end = kid->end;
    return n;
}

static sqlfe_ast *fin(P *p, sqlfe_ast *n)
{
    size_t e = prev_end(p);
    if (e > n->end)
        n->end = e;
    return n;
}

static char *tok_str(P *p, const tok *t)
{
    return arena_strndup(p->a, p->text + t->start, t->len);
}

static char *tok_upper(P *p, const tok *t)
{
    char *s = tok_str(p, t);
    for (char *c = s; *c; c++)
        if (*c >= 'a' && *c <= 'z')
            *c = (char)(*c - 32);
    return s;
}

/* A quoted name's content without the quotes, doubled quotes undone. */
static char *unquote(P *p, const tok *t)
{
    const char *s = p->text + t->start;
    char close = s[0] == '[' ? ']' : s[0];
    char *out = arena_alloc(p->a, t->len + 1);
    size_t k = 0;
    for (uint32_t i = 1; i + 1 < t->len; i++) {
        out[k++] = s[i];
        if (s[i] == close && i + 2 < t->len && s[i + 1] == close)
            i++;
    }
    out[k] = 0;
    return out;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The value of a Snowflake '..' literal s (len bytes, quotes included): \' \" \\ \b \f \n \r \t, \ooo
 * (octal), \xhh, \uhhhh (as UTF-8); any other escaped character stands for itself (Snowflake drops the
 * backslash: '\d' is 'd', a regular expression's \d is written '\\d'); a doubled quote is one. A NUL
 * byte cannot live in the tree's C string: it stays escaped. */
static char *snowflake_string(P *p, const char *s, uint32_t len)
{
    char *out = arena_alloc(p->a, (size_t)len * 2 + 1);
    size_t k = 0;
    for (uint32_t i = 1; i + 1 < len; i++) {
        char c = s[i];
        if (c == '\'' && i + 2 < len && s[i + 1] == '\'') {
            i++;
        } else if (c == '\\' && i + 2 < len) {
            char e = s[++i];
            unsigned v = 0;
            int n = 0;
            if (e == 'x' || e == 'u') {
                int want = e == 'x' ? 2 : 4;
                while (n < want && i + 2 < len && hex_digit(s[i + 1]) >= 0)
                    v = v * 16 + (unsigned)hex_digit(s[++i]), n++;
            } else if (e >= '0' && e <= '7') {
                v = (unsigned)(e - '0');
                n = 1;
                while (n < 3 && i + 2 < len && s[i + 1] >= '0' && s[i + 1] <= '7')
                    v = v * 8 + (unsigned)(s[++i] - '0'), n++;
            }
            if (n > 0) {
                if (v == 0) {
                    out[k++] = '\\';
                    out[k++] = '0';
                } else if (v < 0x80) {
                    out[k++] = (char)v;
                } else if (v < 0x800) {
                    out[k++] = (char)(0xC0 | (v >> 6));
                    out[k++] = (char)(0x80 | (v & 0x3F));
                } else {
                    out[k++] = (char)(0xE0 | (v >> 12));
                    out[k++] = (char)(0x80 | ((v >> 6) & 0x3F));
                    out[k++] = (char)(0x80 | (v & 0x3F));
                }
                continue;
            }
            c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e;
        }
        out[k++] = c;
    }
    out[k] = 0;
    return out;
}

/* A string literal's value. */
static char *string_value(P *p, const tok *t)
{
    const char *s = p->text + t->start;
    uint32_t len = t->len;
    if (t->flags & TKF_QQUOTE) {
        uint32_t q = (s[0] == 'N' || s[0] == 'n') ? 1 : 0;
        return arena_strndup(p->a, s + q + 3, len - q - 5);
    }
    if (t->flags & TKF_DOLLAR)
        return arena_strndup(p->a, s + 2, len - 4);
    if ((t->flags & TKF_BACKSLASH) && p->d == SQLFE_SNOWFLAKE)
        return snowflake_string(p, s, len);
    if (t->flags & TKF_BACKSLASH) { /* Spark: \n \t \r \0 \b \Z; \% \_ kept for LIKE; else the byte itself */
        char *out = arena_alloc(p->a, len + 1);
        size_t k = 0;
        char q = s[0];
        for (uint32_t i = 1; i + 1 < len; i++) {
            char c = s[i];
            if (c == '\\' && i + 2 < len) {
                char e = s[++i];
                c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == '0' ? '\0' : e == 'b' ? '\b'
                    : e == 'Z' ? '\032' : e;
                if (e == '%' || e == '_') /* Spark keeps \% and \_ as written (LIKE escapes) */
                    out[k++] = '\\';
                if (c == 0) /* a NUL byte cannot live in the tree's C string: kept escaped */
                    out[k++] = '\\', c = '0';
            } else if (c == q && i + 2 < len && s[i + 1] == q) {
                i++;
            }
            out[k++] = c;
        }
        out[k] = 0;
        return out;
    }
    uint32_t skip = s[0] == '\'' ? 0 : 1;
    char *out = arena_alloc(p->a, len + 1);
    size_t k = 0;
    for (uint32_t i = skip + 1; i + 1 < len; i++) {
        out[k++] = s[i];
        if (s[i] == '\'' && i + 2 < len && s[i + 1] == '\'')
            i++;
    }
    out[k] = 0;
    return out;
}

/* ---- keywords ---- */

/* Words that end an expression or a table reference, so they are never taken as an implicit alias. */
static int is_reserved_word(const P *p, const tok *t)
{
    static const char *const words[] = {
        "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "UNION", "INTERSECT", "EXCEPT", "MINUS", "LIMIT",
        "OFFSET", "FETCH", "QUALIFY", "WINDOW", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL",
        "ON", "USING", "OUTER", "SELECT", "INTO", "VALUES", "SET", "WHEN", "THEN", "ELSE", "END", "AND", "OR",
        "NOT", "IS", "IN", "LIKE", "ILIKE", "BETWEEN", "AS", "CONNECT", "START", "WITH", "RETURNING", "UNPIVOT",
        "PIVOT", "APPLY", "FOR", "OPTION", "SAMPLE", "LATERAL", "TABLESAMPLE", "CASE", "DISTINCT", "ALL", "BY",
        "SEL", "MERGE", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "PARTITION", "NOCOPY", "ESCAPE",
    };
    if (t->kind != TK_IDENT)
        return 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (tk_is(p->text, t, words[i]))
            return 1;
    if (p->d == SQLFE_TSQL && (tk_is(p->text, t, "GO") || tk_is(p->text, t, "OUTPUT")))
        return 1;
    /* SEMI JOIN / ANTI JOIN (Spark, sqlglot's generic SQL): a join, not an alias */
    if ((tk_is(p->text, t, "SEMI") || tk_is(p->text, t, "ANTI")) && t == cur(p) && is_kw_at(p, 1, "JOIN"))
        return 1;
    return 0;
}

static int is_type_word(const P *p, const tok *t)
{
    static const char *const words[] = {
        "DATE", "INTEGER", "INT", "SMALLINT", "BIGINT", "BYTEINT", "DECIMAL", "DEC", "NUMERIC", "NUMBER",
        "CHAR", "CHARACTER", "VARCHAR", "FLOAT", "REAL", "DOUBLE", "TIMESTAMP", "TIME",
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (tk_is(p->text, t, words[i]))
            return 1;
    return 0;
}

static int is_join_start(const P *p)
{
    return is_kw(p, "JOIN") || is_kw(p, "INNER") || is_kw(p, "LEFT") || is_kw(p, "RIGHT") || is_kw(p, "FULL") ||
           (is_kw(p, "CROSS") && (is_kw_at(p, 1, "JOIN") || is_kw_at(p, 1, "APPLY"))) || is_kw(p, "NATURAL") ||
           (is_kw(p, "OUTER") && is_kw_at(p, 1, "APPLY")) || is_kw(p, "STRAIGHT_JOIN") ||
           ((is_kw(p, "SEMI") || is_kw(p, "ANTI")) && is_kw_at(p, 1, "JOIN"));
}

static int query_start(const P *p, int k)
{
    return is_kw_at(p, k, "SELECT") || is_kw_at(p, k, "WITH") || is_kw_at(p, k, "VALUES") ||
           (p->d == SQLFE_TERADATA && is_kw_at(p, k, "SEL")) || is_kw_at(p, k, "LOCKING");
}

/* ---- forward ---- */

static sqlfe_ast *parse_expr(P *p);
static sqlfe_ast *parse_query(P *p);
static sqlfe_ast *parse_additive(P *p);
static sqlfe_ast *parse_type(P *p);
static sqlfe_ast *parse_order_by(P *p);
static sqlfe_ast *parse_table_expr(P *p);
static sqlfe_ast *parse_opt_alias(P *p, int allow_cols);
static sqlfe_ast *parse_coldef_list(P *p);

static void enter(P *p)
{
    if (++p->depth > MAX_DEPTH)
        fail(p, cur(p)->start, "nesting deeper than %d levels", MAX_DEPTH);
}

static void leave(P *p)
{
    p->depth--;
}

/* ---- names ---- */

/* One name part: an identifier (keywords allowed) or a quoted name. */
static int name_part(P *p, strbuf *sb, uint32_t *flags)
{
    const tok *t = cur(p);
    if (t->kind == TK_IDENT) {
        sb_putn(sb, p->text + t->start, t->len);
    } else if (t->kind == TK_QIDENT) {
        sb_puts(sb, unquote(p, t));
        *flags |= SQF_QUOTED;
    } else if (t->kind == TK_PARAM) { /* ${table}, $$SCHEMA, &tab, @tablevar: a parameterised name */
        sb_putn(sb, p->text + t->start, t->len);
    } else {
        return 0;
    }
    advance(p);
    return 1;
}

/* name [. name]* ; T-SQL db..t ; Oracle t@dblink. Stops before .* (the caller handles it). */
static sqlfe_ast *parse_name(P *p)
{
    strbuf sb = STRBUF_INIT;
    uint32_t fl = 0;
    size_t start = cur(p)->start;
    /* T-SQL four-part names with the leading parts left out: .t, ..t, ...t */
    while (p->d == SQLFE_TSQL && is_tk(p, TK_DOT) &&
           (at(p, 1)->kind == TK_DOT || at(p, 1)->kind == TK_IDENT || at(p, 1)->kind == TK_QIDENT)) {
        sb_putc(&sb, '.');
        advance(p);
    }
    if (!name_part(p, &sb, &fl)) {
        sb_free(&sb);
        fail_here(p, "a name");
    }
    for (;;) {
        if (is_tk(p, TK_DOT) &&
            (at(p, 1)->kind == TK_IDENT || at(p, 1)->kind == TK_QIDENT || at(p, 1)->kind == TK_PARAM)) {
            advance(p);
            sb_putc(&sb, '.');
            name_part(p, &sb, &fl);
        } else if (is_tk(p, TK_DOT) && at(p, 1)->kind == TK_DOT) { /* db..table */
            advance(p);
            sb_putc(&sb, '.');
        } else if (is_tk(p, TK_AT) && at(p, 1)->kind == TK_IDENT && p->d == SQLFE_ORACLE) {
            advance(p);
            sb_putc(&sb, '@');
            name_part(p, &sb, &fl);
        } else {
            break;
        }
    }
    sqlfe_ast *n = node(p, SQ_NAME, start);
    n->text = arena_strdup(p->a, sb_cstr(&sb));
    n->flags = fl;
    sb_free(&sb);
    return fin(p, n);
}

/* ---- expressions ---- */

static sqlfe_ast *leaf(P *p, sqlfe_kind k, const tok *t, const char *text)
{
    sqlfe_ast *n = node(p, k, t->start);
    n->text = text;
    n->end = t->start + t->len;
    return n;
}

static sqlfe_ast *parse_expr_list_into(P *p, sqlfe_ast *list)
{
    do {
        add(p, list, parse_expr(p));
    } while (accept(p, TK_COMMA));
    return list;
}

/* ( query ) or ( expr, ... ) after the '(' was seen. */
static sqlfe_ast *parse_paren(P *p)
{
    size_t open = cur(p)->start;
    expect(p, TK_LPAREN);
    if (query_start(p, 0) || (is_tk(p, TK_LPAREN) && query_start(p, 1) && 0)) {
        sqlfe_ast *q = parse_query(p);
        expect_close(p, open);
        sqlfe_ast *s = node(p, SQ_SUBQUERY, open);
        add(p, s, q);
        return fin(p, s);
    }
    sqlfe_ast *e = parse_expr(p);
    if (is_tk(p, TK_COMMA)) {
        sqlfe_ast *l = node(p, SQ_LIST, open);
        add(p, l, e);
        while (accept(p, TK_COMMA))
            add(p, l, parse_expr(p));
        expect_close(p, open);
        return fin(p, l);
    }
    /* a parenthesised query followed by a set operation: ((select ..) union (select ..)) */
    expect_close(p, open);
    if (e->kind == SQ_SUBQUERY) {
        e->start = open;
        return fin(p, e);
    }
    return e;
}

static sqlfe_ast *parse_window_spec(P *p)
{
    sqlfe_ast *w = node(p, SQ_WINDOW, cur(p)->start);
    if (cur(p)->kind == TK_IDENT && !is_tk(p, TK_LPAREN) && !is_kw(p, "PARTITION") && !is_kw(p, "ORDER")) {
        w->text = tok_str(p, cur(p)); /* OVER w / base window name */
        advance(p);
        if (!is_tk(p, TK_LPAREN))
            return fin(p, w);
    }
    size_t open = cur(p)->start;
    expect(p, TK_LPAREN);
    if (cur(p)->kind == TK_IDENT && !is_kw(p, "PARTITION") && !is_kw(p, "ORDER") && !is_kw(p, "ROWS") &&
        !is_kw(p, "RANGE") && !is_kw(p, "GROUPS")) {
        w->text = tok_str(p, cur(p));
        advance(p);
    }
    if (is_kw(p, "PARTITION")) {
        sqlfe_ast *pt = node(p, SQ_PARTITION, cur(p)->start);
        advance(p);
        expect_kw(p, "BY");
        parse_expr_list_into(p, pt);
        add(p, w, fin(p, pt));
    }
    if (is_kw(p, "ORDER"))
        add(p, w, parse_order_by(p));
    if (is_kw(p, "ROWS") || is_kw(p, "RANGE") || is_kw(p, "GROUPS")) {
        sqlfe_ast *f = node(p, SQ_FRAME, cur(p)->start);
        int depth = 0;
        while (!is_tk(p, TK_EOF) && !(depth == 0 && is_tk(p, TK_RPAREN))) {
            if (is_tk(p, TK_LPAREN))
                depth++;
            else if (is_tk(p, TK_RPAREN))
                depth--;
            advance(p);
        }
        fin(p, f);
        /* the frame's words, upper case, single-spaced */
        strbuf sb = STRBUF_INIT;
        for (int j = 0; j < p->n; j++) {
            const tok *t = &p->t[j];
            if (t->start >= f->start && t->start < f->end) {
                if (sb.len)
                    sb_putc(&sb, ' ');
                for (uint32_t k = 0; k < t->len; k++) {
                    char c = p->text[t->start + k];
                    sb_putc(&sb, (c >= 'a' && c <= 'z') ? (char)(c - 32) : c);
                }
            }
        }
        f->text = arena_strdup(p->a, sb_cstr(&sb));
        sb_free(&sb);
        add(p, w, f);
    }
    expect_close(p, open);
    return fin(p, w);
}

/* After a call's ')': WITHIN GROUP, FILTER, KEEP, IGNORE/RESPECT NULLS, OVER. */
static void parse_call_suffix(P *p, sqlfe_ast *f)
{
    /* NTH_VALUE(x, n) FROM FIRST | FROM LAST (Oracle, Snowflake): FROM LAST counts from the end, which
       no canonical call says: kept as a marker argument, so the lowering keeps a hole */
    if (is_kw(p, "FROM") && (is_kw_at(p, 1, "FIRST") || is_kw_at(p, 1, "LAST")) && f->text &&
        strcasecmp(f->text, "NTH_VALUE") == 0) {
        advance(p);
        if (is_kw(p, "LAST"))
            add(p, f, leaf(p, SQ_NAME, cur(p), "FROM LAST"));
        advance(p);
    }
    for (;;) {
        if (is_kw(p, "WITHIN") && is_kw_at(p, 1, "GROUP")) {
            sqlfe_ast *wg = node(p, SQ_WITHIN_GROUP, cur(p)->start);
            advance(p);
            advance(p);
            size_t open = cur(p)->start;
            expect(p, TK_LPAREN);
            add(p, wg, parse_order_by(p));
            expect_close(p, open);
            add(p, f, fin(p, wg));
        } else if (is_kw(p, "FILTER") && at(p, 1)->kind == TK_LPAREN) {
            sqlfe_ast *fl = node(p, SQ_FILTER, cur(p)->start);
            advance(p);
            size_t open = cur(p)->start;
            advance(p);
            expect_kw(p, "WHERE");
            add(p, fl, parse_expr(p));
            expect_close(p, open);
            add(p, f, fin(p, fl));
        } else if (is_kw(p, "KEEP") && at(p, 1)->kind == TK_LPAREN) {
            /* Oracle KEEP (DENSE_RANK FIRST|LAST ORDER BY ...): kept as a within-group order */
            sqlfe_ast *wg = node(p, SQ_WITHIN_GROUP, cur(p)->start);
            wg->text = "KEEP";
            advance(p);
            size_t open = cur(p)->start;
            advance(p);
            expect_kw(p, "DENSE_RANK");
            if (!accept_kw(p, "FIRST"))
                expect_kw(p, "LAST");
            add(p, wg, parse_order_by(p));
            expect_close(p, open);
            add(p, f, fin(p, wg));
        } else if ((is_kw(p, "IGNORE") || is_kw(p, "RESPECT")) && is_kw_at(p, 1, "NULLS")) {
            if (is_kw(p, "IGNORE"))
                f->flags |= SQF_IGNORE_NULLS;
            advance(p);
            advance(p);
        } else if (is_kw(p, "OVER")) {
            advance(p);
            add(p, f, parse_window_spec(p));
        } else {
            return;
        }
    }
}

static sqlfe_ast *parse_case(P *p)
{
    sqlfe_ast *c = node(p, SQ_CASE, cur(p)->start);
    size_t case_off = cur(p)->start;
    expect_kw(p, "CASE");
    if (is_kw(p, "WHEN"))
        add(p, c, node(p, SQ_EMPTY, cur(p)->start));
    else
        add(p, c, parse_expr(p));
    if (!is_kw(p, "WHEN"))
        fail_here(p, "WHEN");
    while (accept_kw(p, "WHEN")) {
        add(p, c, parse_expr(p));
        expect_kw(p, "THEN");
        add(p, c, parse_expr(p));
    }
    if (accept_kw(p, "ELSE")) {
        add(p, c, parse_expr(p));
        c->flags |= SQF_HAS_ELSE;
    }
    if (!accept_kw(p, "END"))
        fail(p, cur(p)->start, "expected END to close the CASE of line %d, found %s", line_of(p, case_off),
             tok_desc(p, cur(p)));
    return fin(p, c);
}

/* CAST(x AS type [FORMAT 'f']) and TRY_CAST, SAFE_CAST; name token already current. */
static sqlfe_ast *parse_cast_call(P *p)
{
    sqlfe_ast *c = node(p, SQ_CAST, cur(p)->start);
    c->text = is_kw(p, "TRYCAST") ? "TRY_CAST" : tok_upper(p, cur(p)); /* Teradata TRYCAST */
    advance(p);
    size_t open = cur(p)->start;
    expect(p, TK_LPAREN);
    add(p, c, parse_expr(p));
    expect_kw(p, "AS");
    add(p, c, parse_type(p));
    expect_close(p, open);
    return fin(p, c);
}

/* Arguments of a general call, after '('. */
/* x -> e or (x, y) -> e at the current token (Spark/Databricks and Snowflake higher-order functions)? */
static int lambda_ahead(const P *p)
{
    if (cur(p)->kind == TK_IDENT && at(p, 1)->kind == TK_LAMBDA)
        return 1;
    if (!is_tk(p, TK_LPAREN))
        return 0;
    int k = 1;
    while (at(p, k)->kind == TK_IDENT && at(p, k + 1)->kind == TK_COMMA)
        k += 2;
    return at(p, k)->kind == TK_IDENT && at(p, k + 1)->kind == TK_RPAREN && at(p, k + 2)->kind == TK_LAMBDA;
}

/* A lambda: SQ_LAMBDA with the parameter names, then the body. The lowering has no canonical form for
 * it (the call that takes it stays a hole), but the statement around it parses. */
static sqlfe_ast *parse_lambda(P *p)
{
    sqlfe_ast *l = node(p, SQ_LAMBDA, cur(p)->start);
    if (accept(p, TK_LPAREN)) {
        do {
            add(p, l, leaf(p, SQ_NAME, cur(p), tok_str(p, cur(p))));
            advance(p);
        } while (accept(p, TK_COMMA));
        expect(p, TK_RPAREN);
    } else {
        add(p, l, leaf(p, SQ_NAME, cur(p), tok_str(p, cur(p))));
        advance(p);
    }
    expect(p, TK_LAMBDA);
    add(p, l, parse_expr(p));
    return fin(p, l);
}

static void parse_call_args(P *p, sqlfe_ast *f, size_t open)
{
    if (accept(p, TK_RPAREN))
        return;
    if (is_tk(p, TK_STAR)) {
        advance(p);
        f->flags |= SQF_STAR;
        expect_close(p, open);
        return;
    }
    if (accept_kw(p, "DISTINCT") || accept_kw(p, "UNIQUE"))
        f->flags |= SQF_DISTINCT;
    else if (is_kw(p, "ALL") && !is_tk(p, TK_COMMA))
        accept_kw(p, "ALL");
    int json = f->text && (strncasecmp(f->text, "JSON_", 5) == 0);
    if (p->d == SQLFE_TERADATA && is_kw(p, "ON")) {
        /* Teradata table operators: f(ON (query) | ON t [AS a] [PARTITION BY ..|HASH BY ..] [ORDER BY ..] ...
           USING name(value, ..) ...): the inputs as arguments, each USING pair a named argument */
        while (accept_kw(p, "ON")) {
            if (is_tk(p, TK_LPAREN) && query_start(p, 1)) {
                add(p, f, parse_paren(p));
            } else {
                add(p, f, parse_name(p));
            }
            parse_opt_alias(p, 0);
            while ((is_kw(p, "PARTITION") || is_kw(p, "HASH") || is_kw(p, "ORDER") || is_kw(p, "LOCAL")) &&
                   !is_tk(p, TK_EOF)) {
                while (!is_kw(p, "BY") && !is_tk(p, TK_EOF))
                    advance(p);
                advance(p);
                if (accept_kw(p, "ANY"))
                    continue;
                do {
                    parse_additive(p);
                    accept_kw(p, "ASC");
                    accept_kw(p, "DESC");
                } while (accept(p, TK_COMMA));
            }
            accept_kw(p, "DIMENSION");
        }
        if (accept_kw(p, "USING")) {
            while ((cur(p)->kind == TK_IDENT || cur(p)->kind == TK_QIDENT) && at(p, 1)->kind == TK_LPAREN) {
                sqlfe_ast *na = node(p, SQ_NAMED_ARG, cur(p)->start);
                na->text = tok_str(p, cur(p));
                advance(p);
                size_t o = cur(p)->start;
                advance(p);
                sqlfe_ast *vals = node(p, SQ_LIST, o);
                if (!is_tk(p, TK_RPAREN))
                    parse_expr_list_into(p, vals);
                expect_close(p, o);
                add(p, na, fin(p, vals));
                add(p, f, fin(p, na));
            }
        }
        expect_close(p, open);
        return;
    }
    do {
        if (json && (is_kw(p, "NULL") || is_kw(p, "ABSENT")) && is_kw_at(p, 1, "ON") && is_kw_at(p, 2, "NULL")) {
            /* SQL:2016 JSON_OBJECT / JSON_ARRAY (..., NULL | ABSENT ON NULL): kept as a marker argument */
            sqlfe_ast *m = node(p, SQ_FUNC, cur(p)->start);
            m->text = is_kw(p, "NULL") ? "NULL ON NULL" : "ABSENT ON NULL";
            m->flags |= SQF_NO_PARENS;
            advance(p);
            advance(p);
            advance(p);
            add(p, f, fin(p, m));
            break;
        }
        if (json && is_kw(p, "KEY") && at(p, 1)->kind != TK_COMMA && at(p, 1)->kind != TK_RPAREN)
            advance(p); /* JSON_OBJECT(KEY k VALUE v) */
        if (lambda_ahead(p)) {
            add(p, f, parse_lambda(p));
        } else if (cur(p)->kind == TK_IDENT && at(p, 1)->kind == TK_ARROW) {
            sqlfe_ast *na = node(p, SQ_NAMED_ARG, cur(p)->start);
            na->text = tok_str(p, cur(p));
            advance(p);
            advance(p);
            add(p, na, parse_expr(p));
            add(p, f, fin(p, na));
        } else if (query_start(p, 0)) {
            sqlfe_ast *s = node(p, SQ_SUBQUERY, cur(p)->start);
            add(p, s, parse_query(p));
            add(p, f, fin(p, s));
        } else {
            add(p, f, parse_expr(p));
        }
        /* Oracle FIRST_VALUE(x IGNORE NULLS), LISTAGG(x, ',' ON OVERFLOW ...) */
        if ((is_kw(p, "IGNORE") || is_kw(p, "RESPECT")) && is_kw_at(p, 1, "NULLS")) {
            if (is_kw(p, "IGNORE"))
                f->flags |= SQF_IGNORE_NULLS;
            advance(p);
            advance(p);
        }
        if (is_kw(p, "ORDER")) /* array_agg(x ORDER BY y), GROUP_CONCAT */
            add(p, f, parse_order_by(p));
        if (is_kw(p, "SEPARATOR") || is_kw(p, "USING")) { /* GROUP_CONCAT(x SEPARATOR ','), CHAR(x USING cs) */
            advance(p);
            add(p, f, parse_additive(p));
        }
        if (is_kw(p, "AS") && f->text && strcasecmp(f->text, "STRUCT") == 0) {
            /* Spark STRUCT(x AS a, ...): a named field */
            advance(p);
            sqlfe_ast *na = node(p, SQ_NAMED_ARG, f->kids[f->n_kids - 1]->start);
            na->text = cur(p)->kind == TK_QIDENT ? unquote(p, cur(p)) : tok_str(p, cur(p));
            advance(p);
            add(p, na, f->kids[f->n_kids - 1]);
            f->n_kids--;
            add(p, f, fin(p, na));
        }
        if (json && (is_tk(p, TK_COLON) || is_kw(p, "VALUE"))) {
            /* JSON_OBJECT(key : value, ...) / (KEY key VALUE value): a KEY_VALUE(key, value) pair */
            advance(p);
            sqlfe_ast *kv = node(p, SQ_FUNC, f->kids[f->n_kids - 1]->start);
            kv->text = "KEY_VALUE";
            add(p, kv, f->kids[f->n_kids - 1]);
            f->n_kids--;
            add(p, kv, parse_expr(p));
            add(p, f, fin(p, kv));
        }
        if (json && is_kw(p, "COLUMNS") && at(p, 1)->kind == TK_LPAREN) { /* JSON_TABLE(x, '$' COLUMNS (..)) */
            advance(p);
            add(p, f, parse_coldef_list(p));
        }
        if (json && is_kw(p, "RETURNING")) { /* JSON_VALUE(x, path RETURNING type) */
            advance(p);
            add(p, f, parse_type(p));
        }
        if (json && (is_kw(p, "NULL") || is_kw(p, "ABSENT")) && is_kw_at(p, 1, "ON") && is_kw_at(p, 2, "NULL")) {
            sqlfe_ast *m = node(p, SQ_FUNC, cur(p)->start);
            m->text = is_kw(p, "NULL") ? "NULL ON NULL" : "ABSENT ON NULL";
            m->flags |= SQF_NO_PARENS;
            advance(p);
            advance(p);
            advance(p);
            add(p, f, fin(p, m));
        }
    } while (accept(p, TK_COMMA));
    expect_close(p, open);
}

/* Teradata attribute ahead: '(' FORMAT/TITLE/NAMED/CASESPECIFIC... or '(' type ')'. */
static int td_attr_ahead(const P *p, int k)
{
    if (p->d != SQLFE_TERADATA || at(p, k)->kind != TK_LPAREN)
        return 0;
    const tok *t = at(p, k + 1);
    if (tk_is(p->text, t, "FORMAT") || tk_is(p->text, t, "TITLE") || tk_is(p->text, t, "NAMED") ||
        tk_is(p->text, t, "CASESPECIFIC") || tk_is(p->text, t, "CS") || tk_is(p->text, t, "UPPERCASE") ||
        (tk_is(p->text, t, "NOT") && tk_is(p->text, at(p, k + 2), "CASESPECIFIC")))
        return 1;
    if (is_type_word(p, t)) {
        const tok *u = at(p, k + 2);
        return u->kind == TK_RPAREN || u->kind == TK_COMMA || u->kind == TK_LPAREN ||
               tk_is(p->text, u, "FORMAT");
    }
    return 0;
}

/* Teradata (FORMAT 'x', TITLE 'y', type ...): a type conversion when a type or format is there. */
static sqlfe_ast *parse_td_attrs(P *p, sqlfe_ast *e)
{
    size_t open = cur(p)->start;
    expect(p, TK_LPAREN);
    sqlfe_ast *type = NULL;
    const char *format = NULL;
    int cs = 0;
    do {
        if (accept_kw(p, "FORMAT")) {
            if (!is_tk(p, TK_STRING))
                fail_here(p, "a format string");
            format = string_value(p, cur(p));
            advance(p);
        } else if (accept_kw(p, "TITLE") || accept_kw(p, "NAMED")) {
            advance(p);
        } else if (accept_kw(p, "NOT")) {
            expect_kw(p, "CASESPECIFIC");
            cs = 0;
        } else if (accept_kw(p, "CASESPECIFIC") || accept_kw(p, "CS")) {
            cs = 1;
        } else if (accept_kw(p, "UPPERCASE")) {
        } else {
            type = parse_type(p);
        }
    } while (accept(p, TK_COMMA));
    expect_close(p, open);
    if (cs)
        e->flags |= SQF_CASESPECIFIC;
    if (!type && !format)
        return e;
    sqlfe_ast *c = node(p, SQ_CAST, e->start);
    c->text = "CAST";
    if (!type) {
        type = node(p, SQ_TYPE, open);
        type->text = "FORMAT";
    }
    if (format) {
        sqlfe_ast *fs = node(p, SQ_STR, open);
        fs->text = format;
        sqlfe_ast *ty = type;
        add(p, ty, fs); /* the format as the type's last child, a string */
    }
    add(p, c, e);
    add(p, c, type);
    c->flags |= e->flags & SQF_CASESPECIFIC;
    return fin(p, c);
}

static int is_duration_word(const P *p)
{
    static const char *const w[] = {"DAY", "DAYS", "MONTH", "MONTHS", "YEAR", "YEARS", "HOUR", "HOURS",
                                    "MINUTE", "MINUTES", "SECOND", "SECONDS", "MICROSECOND", "MICROSECONDS"};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (is_kw(p, w[i]))
            return 1;
    return 0;
}

static sqlfe_ast *parse_interval(P *p, size_t start)
{
    sqlfe_ast *n = node(p, SQ_INTERVAL, start);
    if (is_tk(p, TK_STRING)) {
        sqlfe_ast *s = leaf(p, SQ_STR, cur(p), string_value(p, cur(p)));
        advance(p);
        add(p, n, s);
    } else if (is_tk(p, TK_NUMBER) || is_tk(p, TK_MINUS)) {
        add(p, n, parse_additive(p));
    } else {
        add(p, n, parse_additive(p));
    }
    static const char *const units[] = {"YEAR", "YEARS", "MONTH", "MONTHS", "DAY", "DAYS", "HOUR", "HOURS",
                                        "MINUTE", "MINUTES", "SECOND", "SECONDS", "WEEK", "WEEKS", "QUARTER",
                                        "MILLISECOND", "MILLISECONDS", "MICROSECOND", "MICROSECONDS",
                                        "NANOSECOND", "NANOSECONDS"};
    strbuf sb = STRBUF_INIT;
    for (int round = 0; round < 2; round++) {
        int found = 0;
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
            if (is_kw(p, units[i])) {
                if (sb.len)
                    sb_puts(&sb, " TO ");
                sb_puts(&sb, units[i]);
                advance(p);
                found = 1;
                if (is_tk(p, TK_LPAREN)) { /* DAY(4) */
                    while (!is_tk(p, TK_RPAREN) && !is_tk(p, TK_EOF))
                        advance(p);
                    accept(p, TK_RPAREN);
                }
                break;
            }
        }
        if (!found || !accept_kw(p, "TO"))
            break;
    }
    n->text = sb.len ? arena_strdup(p->a, sb_cstr(&sb)) : NULL;
    sb_free(&sb);
    return fin(p, n);
}

/* [a, b, ..] from the '[' on, started at start: ARRAY_CONSTRUCT(a, b, ..) */
static sqlfe_ast *parse_array_brackets(P *p, size_t start)
{
    sqlfe_ast *f = node(p, SQ_FUNC, start);
    f->text = "ARRAY_CONSTRUCT";
    expect(p, TK_LBRACKET);
    if (!is_tk(p, TK_RBRACKET))
        parse_expr_list_into(p, f);
    expect(p, TK_RBRACKET);
    return fin(p, f);
}

/* NEXT VALUE FOR seq, PREVIOUS VALUE FOR seq (DB2 also NEXTVAL FOR / PREVVAL FOR), the first
 * words words long: as Oracle's seq.NEXTVAL / seq.CURRVAL, a name the lowering reads (the
 * sequence's name case-folded like any unquoted one). */
static sqlfe_ast *parse_seq_ref(P *p, int words, int next)
{
    size_t start = cur(p)->start;
    for (int i = 0; i < words; i++)
        advance(p);
    sqlfe_ast *n = parse_name(p);
    n->text = arena_printf(p->a, "%s.%s", n->text, next ? "NEXTVAL" : "CURRVAL");
    n->flags &= ~(uint32_t)SQF_QUOTED;
    n->start = start;
    return n;
}

static sqlfe_ast *parse_primary(P *p)
{
    const tok *t = cur(p);
    size_t start = t->start;
    switch (t->kind) {
    case TK_NUMBER: {
        advance(p);
        return leaf(p, SQ_NUM, t, tok_str(p, t));
    }
    case TK_STRING: {
        sqlfe_ast *s = leaf(p, SQ_STR, t, string_value(p, t));
        if (t->flags & TKF_NATIONAL)
            s->flags |= SQF_NATIONAL;
        if (t->flags & (TKF_HEX | TKF_BITS))
            s->flags |= SQF_BINARY;
        advance(p);
        /* adjacent literals concatenate in ANSI SQL ('a' 'b'); rare, but keep them together */
        return s;
    }
    case TK_PARAM: {
        advance(p);
        return leaf(p, SQ_PARAM, t, tok_str(p, t));
    }
    case TK_LPAREN:
        return parse_paren(p);
    case TK_STAR: {
        advance(p);
        sqlfe_ast *s = node(p, SQ_STAR, start);
        return fin(p, s);
    }
    case TK_QIDENT:
    case TK_IDENT:
        break;
    case TK_LBRACKET: { /* Snowflake/Databricks array literal [a, b]: ARRAY_CONSTRUCT(a, b) */
        if (p->d == SQLFE_TSQL)
            fail_here(p, "an expression");
        return parse_array_brackets(p, start);
    }
    case TK_LBRACE:
        if (p->d == SQLFE_SNOWFLAKE && (at(p, 1)->kind == TK_STRING || at(p, 1)->kind == TK_RBRACE)) {
            /* Snowflake object literal {'k': v, ...}: OBJECT_CONSTRUCT('k', v, ...) */
            sqlfe_ast *f = node(p, SQ_FUNC, start);
            f->text = "OBJECT_CONSTRUCT";
            advance(p);
            while (!is_tk(p, TK_RBRACE)) {
                add(p, f, parse_primary(p));
                expect(p, TK_COLON);
                add(p, f, parse_expr(p));
                if (!accept(p, TK_COMMA))
                    break;
            }
            expect(p, TK_RBRACE);
            return fin(p, f);
        }
        { /* ODBC escapes {fn f(x)}, {d '..'}, {t '..'}, {ts '..'}: the plain call or literal */
        advance(p);
        if (accept_kw(p, "FN")) {
            sqlfe_ast *e = parse_expr(p);
            expect(p, TK_RBRACE);
            return e;
        }
        const char *type = is_kw(p, "D") ? "DATE" : is_kw(p, "TS") ? "TIMESTAMP" : is_kw(p, "T") ? "TIME" : NULL;
        if (type) {
            advance(p);
            sqlfe_ast *n = node(p, SQ_TYPED_LIT, start);
            n->text = type;
            if (!is_tk(p, TK_STRING))
                fail_here(p, "a string");
            add(p, n, leaf(p, SQ_STR, cur(p), string_value(p, cur(p))));
            advance(p);
            expect(p, TK_RBRACE);
            return fin(p, n);
        }
        if ((is_tk(p, TK_IDENT) || is_tk(p, TK_QIDENT)) &&
            (is_kw_at(p, 1, "INNER") || is_kw_at(p, 1, "LEFT") || is_kw_at(p, 1, "RIGHT") ||
             is_kw_at(p, 1, "FULL") || is_kw_at(p, 1, "JOIN")))
            fail(p, start, "Informatica join syntax {t1 ... JOIN t2 ON ...} in a WHERE clause is not lowered");
        fail_here(p, "fn, d, t or ts");
    }
    default:
        fail_here(p, "an expression");
    }
    /* identifiers: keywords with special syntax first */
    if (t->kind == TK_IDENT) {
        const tok *n1 = at(p, 1);
        if (is_kw(p, "NULL")) {
            advance(p);
            return leaf(p, SQ_NULL, t, NULL);
        }
        if (is_kw(p, "TRUE") && n1->kind != TK_LPAREN) {
            advance(p);
            return leaf(p, SQ_TRUE, t, NULL);
        }
        if (is_kw(p, "FALSE") && n1->kind != TK_LPAREN) {
            advance(p);
            return leaf(p, SQ_FALSE, t, NULL);
        }
        if (is_kw(p, "CASE"))
            return parse_case(p);
        if ((is_kw(p, "NEXT") || is_kw(p, "PREVIOUS")) && tk_is(p->text, n1, "VALUE") &&
            tk_is(p->text, at(p, 2), "FOR"))
            return parse_seq_ref(p, 3, is_kw(p, "NEXT")); /* ANSI / T-SQL / DB2 */
        if ((is_kw(p, "NEXTVAL") || is_kw(p, "PREVVAL")) && tk_is(p->text, n1, "FOR") && p->d == SQLFE_DB2)
            return parse_seq_ref(p, 2, is_kw(p, "NEXTVAL"));
        if (is_kw(p, "ARRAY") && n1->kind == TK_LBRACKET && p->d == SQLFE_ANSI) {
            /* Postgres / Presto array constructor ARRAY[a, b]: as the literal [a, b] (elsewhere
             * array[i] subscripts a column named array) */
            advance(p);
            return parse_array_brackets(p, start);
        }
        if (p->d == SQLFE_TERADATA && is_kw(p, "NEW") && (n1->kind == TK_IDENT || n1->kind == TK_QIDENT) &&
            at(p, 2)->kind == TK_LPAREN) {
            /* Teradata NEW JSON(..), NEW VARIANT_TYPE(..), NEW udt(..): a constructor call "NEW type" */
            advance(p);
            sqlfe_ast *f = node(p, SQ_FUNC, start);
            f->text = arena_printf(p->a, "NEW %s", tok_str(p, cur(p)));
            advance(p);
            size_t open = cur(p)->start;
            advance(p);
            parse_call_args(p, f, open);
            return fin(p, f);
        }
        if ((is_kw(p, "CAST") || is_kw(p, "TRY_CAST") || is_kw(p, "SAFE_CAST") ||
             (is_kw(p, "TRYCAST") && p->d == SQLFE_TERADATA)) && n1->kind == TK_LPAREN)
            return parse_cast_call(p);
        if (is_kw(p, "EXISTS") && n1->kind == TK_LPAREN &&
            (query_start(p, 2) || at(p, 2)->kind == TK_LPAREN || p->d != SQLFE_SPARK)) {
            sqlfe_ast *e = node(p, SQ_EXISTS, start);
            advance(p);
            size_t open = cur(p)->start;
            expect(p, TK_LPAREN);
            add(p, e, parse_query(p));
            expect_close(p, open);
            return fin(p, e);
        }
        if ((is_kw(p, "DATE") || is_kw(p, "TIMESTAMP") || is_kw(p, "TIME") || is_kw(p, "DATETIME")) &&
            n1->kind == TK_STRING) {
            sqlfe_ast *n = node(p, SQ_TYPED_LIT, start);
            n->text = tok_upper(p, t);
            advance(p);
            add(p, n, leaf(p, SQ_STR, cur(p), string_value(p, cur(p))));
            advance(p);
            return fin(p, n);
        }
        if (is_kw(p, "INTERVAL") && (n1->kind == TK_STRING || n1->kind == TK_NUMBER || n1->kind == TK_MINUS ||
                                     n1->kind == TK_LPAREN)) {
            advance(p);
            return parse_interval(p, start);
        }
        if (is_kw(p, "EXTRACT") && n1->kind == TK_LPAREN) {
            sqlfe_ast *n = node(p, SQ_EXTRACT, start);
            advance(p);
            size_t open = cur(p)->start;
            advance(p);
            if (cur(p)->kind != TK_IDENT && cur(p)->kind != TK_STRING)
                fail_here(p, "a date part");
            n->text = cur(p)->kind == TK_STRING ? string_value(p, cur(p)) : tok_upper(p, cur(p));
            advance(p);
            if (!accept_kw(p, "FROM"))
                expect(p, TK_COMMA);
            add(p, n, parse_expr(p));
            expect_close(p, open);
            return fin(p, n);
        }
        if ((is_kw(p, "SUBSTRING") || is_kw(p, "SUBSTR")) && n1->kind == TK_LPAREN) {
            sqlfe_ast *f = node(p, SQ_FUNC, start);
            f->text = tok_str(p, t);
            advance(p);
            size_t open = cur(p)->start;
            advance(p);
            add(p, f, parse_expr(p));
            if (accept_kw(p, "FROM")) {
                add(p, f, parse_expr(p));
                if (accept_kw(p, "FOR"))
                    add(p, f, parse_expr(p));
            } else if (accept_kw(p, "FOR")) { /* SUBSTRING(x FOR n) */
                add(p, f, leaf(p, SQ_NUM, at(p, -1), "1"));
                add(p, f, parse_expr(p));
            } else {
                while (accept(p, TK_COMMA))
                    add(p, f, parse_expr(p));
            }
            expect_close(p, open);
            parse_call_suffix(p, f);
            return fin(p, f);
        }
        if (is_kw(p, "POSITION") && n1->kind == TK_LPAREN) {
            sqlfe_ast *f = node(p, SQ_FUNC, start);
            f->text = tok_str(p, t);
            advance(p);
            size_t open = cur(p)->start;
            advance(p);
            add(p, f, parse_additive(p));
            if (accept_kw(p, "IN")) {
                add(p, f, parse_expr(p));
            } else {
                while (accept(p, TK_COMMA))
                    add(p, f, parse_expr(p));
            }
            expect_close(p, open);
            return fin(p, f);
        }
        if (is_kw(p, "TRIM") && n1->kind == TK_LPAREN) {
            sqlfe_ast *n = node(p, SQ_TRIM, start);
            advance(p);
            size_t open = cur(p)->start;
            advance(p);
            n->text = "BOTH";
            if (is_kw(p, "BOTH") || is_kw(p, "LEADING") || is_kw(p, "TRAILING")) {
                n->text = tok_upper(p, cur(p));
                advance(p);
            }
            sqlfe_ast *chars = NULL, *x;
            if (accept_kw(p, "FROM")) {
                x = parse_expr(p);
            } else {
                x = parse_expr(p);
                if (accept_kw(p, "FROM")) {
                    chars = x;
                    x = parse_expr(p);
                } else if (accept(p, TK_COMMA)) { /* TRIM(x, chars) in Snowflake */
                    chars = parse_expr(p);
                }
            }
            add(p, n, x);
            if (chars)
                add(p, n, chars);
            expect_close(p, open);
            return fin(p, n);
        }
        if (is_kw(p, "CONVERT") && n1->kind == TK_LPAREN && p->d == SQLFE_TSQL) {
            sqlfe_ast *c = node(p, SQ_CAST, start);
            c->text = "CONVERT";
            advance(p);
            size_t open = cur(p)->start;
            advance(p);
            sqlfe_ast *ty = parse_type(p);
            expect(p, TK_COMMA);
            add(p, c, parse_expr(p));
            add(p, c, ty);
            if (accept(p, TK_COMMA))
                add(p, c, parse_expr(p));
            expect_close(p, open);
            return fin(p, c);
        }
        if (p->d == SQLFE_DB2 && is_kw(p, "CURRENT") &&
            (tk_is(p->text, n1, "DATE") || tk_is(p->text, n1, "TIMESTAMP") || tk_is(p->text, n1, "TIME") ||
             tk_is(p->text, n1, "SCHEMA") || tk_is(p->text, n1, "USER") || tk_is(p->text, n1, "SERVER") ||
             tk_is(p->text, n1, "TIMEZONE"))) {
            sqlfe_ast *f = node(p, SQ_FUNC, start);
            f->text = arena_printf(p->a, "CURRENT_%s", tok_upper(p, n1));
            f->flags |= SQF_NO_PARENS;
            advance(p);
            advance(p);
            return fin(p, f);
        }
        if ((is_kw(p, "NOT") || is_kw(p, "PRIOR")) && 0) {
            /* handled by the unary levels */
        }
    }
    /* a name: a column, a function call, q.* */
    if (t->kind == TK_IDENT && td_attr_ahead(p, 1)) {
        sqlfe_ast *nm = parse_name(p);
        return nm;
    }
    sqlfe_ast *nm = parse_name(p);
    if (is_tk(p, TK_DOT) && at(p, 1)->kind == TK_STAR) {
        advance(p);
        advance(p);
        sqlfe_ast *s = node(p, SQ_STAR, start);
        s->text = nm->text;
        return fin(p, s);
    }
    if (is_tk(p, TK_LPAREN) && !(at(p, 1)->kind == TK_PLUS && at(p, 2)->kind == TK_RPAREN)) {
        sqlfe_ast *f = node(p, SQ_FUNC, start);
        f->text = nm->text;
        size_t open = cur(p)->start;
        advance(p);
        parse_call_args(p, f, open);
        fin(p, f);
        parse_call_suffix(p, f);
        return fin(p, f);
    }
    /* niladic functions that take no parentheses */
    if (!(nm->flags & SQF_QUOTED) && !strchr(nm->text, '.')) {
        static const char *const niladic[] = {"CURRENT_DATE", "CURRENT_TIMESTAMP", "CURRENT_TIME", "SYSDATE",
                                              "SYSTIMESTAMP", "LOCALTIMESTAMP", "CURRENT_USER", "USER",
                                              "SESSION_USER", "SYSTEM_USER", "LOCALTIME"};
        for (size_t i = 0; i < sizeof niladic / sizeof niladic[0]; i++) {
            if (tk_is(p->text, t, niladic[i])) {
                nm->kind = SQ_FUNC;
                nm->flags |= SQF_NO_PARENS;
                if (is_tk(p, TK_LPAREN) && at(p, 1)->kind == TK_NUMBER) { /* CURRENT_TIMESTAMP(6) */
                    advance(p);
                    add(p, nm, parse_expr(p));
                    expect(p, TK_RPAREN);
                }
                return fin(p, nm);
            }
        }
    }
    return nm;
}

/* e <op> rhs as a function node named op over (e, rhs): the postfix operators of parse_postfix. */
static sqlfe_ast *postfix_fn(P *p, sqlfe_ast *e, const char *op, sqlfe_ast *rhs)
{
    sqlfe_ast *f = node(p, SQ_FUNC, e->start);
    f->text = op;
    add(p, f, e);
    add(p, f, rhs);
    return fin(p, f);
}

static sqlfe_ast *parse_postfix(P *p)
{
    sqlfe_ast *e = parse_primary(p);
    for (;;) {
        if (is_tk(p, TK_DCOLON)) {
            advance(p);
            sqlfe_ast *c = node(p, SQ_CAST, e->start);
            c->text = "::";
            add(p, c, e);
            add(p, c, parse_type(p));
            e = fin(p, c);
        } else if (is_tk(p, TK_LPAREN) && at(p, 1)->kind == TK_PLUS && at(p, 2)->kind == TK_RPAREN) {
            advance(p);
            advance(p);
            advance(p);
            e->flags |= SQF_OUTER_PLUS;
            fin(p, e);
        } else if (p->d == SQLFE_ANSI && is_tk(p, TK_LAMBDA) && at(p, 1)->kind == TK_GT &&
                   at(p, 1)->start == cur(p)->start + 2) { /* Postgres json ->> key: the field as text */
            advance(p);
            advance(p);
            e = postfix_fn(p, e, "->>", parse_primary(p));
        } else if (p->d == SQLFE_ANSI && is_tk(p, TK_LAMBDA)) { /* Postgres json -> key: the field as JSON */
            advance(p);
            e = postfix_fn(p, e, "->", parse_primary(p));
        } else if (td_attr_ahead(p, 0)) {
            e = parse_td_attrs(p, e);
        } else if (is_tk(p, TK_LBRACKET) && p->d != SQLFE_TSQL) { /* x[1] subscripts */
            sqlfe_ast *f = node(p, SQ_FUNC, e->start);
            f->text = "[]";
            advance(p);
            add(p, f, e);
            add(p, f, parse_expr(p));
            expect(p, TK_RBRACKET);
            e = fin(p, f);
        } else if (is_tk(p, TK_COLON) && (p->d == SQLFE_SNOWFLAKE || p->d == SQLFE_SPARK) &&
                   (at(p, 1)->kind == TK_IDENT || at(p, 1)->kind == TK_QIDENT)) { /* v:path, Databricks col:a.b */
            advance(p);
            e = postfix_fn(p, e, ":", parse_name(p));
        } else if (p->d == SQLFE_DB2 && is_duration_word(p) && !is_kw_at(p, 1, "FROM")) {
            sqlfe_ast *n = node(p, SQ_INTERVAL, e->start);
            n->text = tok_upper(p, cur(p));
            add(p, n, e);
            advance(p);
            e = fin(p, n);
        } else if (is_kw(p, "AT") && is_kw_at(p, 1, "TIME") && is_kw_at(p, 2, "ZONE")) {
            advance(p);
            advance(p);
            advance(p);
            e = postfix_fn(p, e, "AT TIME ZONE", parse_primary(p));
        } else if (p->d == SQLFE_TSQL && is_tk(p, TK_DOT) && at(p, 1)->kind == TK_IDENT &&
                   at(p, 2)->kind == TK_LPAREN) {
            /* T-SQL methods of xml / hierarchyid / geometry values: x.value('.', 'int') */
            advance(p);
            sqlfe_ast *f = node(p, SQ_FUNC, e->start);
            f->text = arena_printf(p->a, ".%s", tok_str(p, cur(p)));
            advance(p);
            size_t open = cur(p)->start;
            advance(p);
            add(p, f, e);
            parse_call_args(p, f, open);
            e = fin(p, f);
        } else if (p->d != SQLFE_TSQL && is_tk(p, TK_DOT) && e->kind == SQ_FUNC &&
                   (at(p, 1)->kind == TK_IDENT || at(p, 1)->kind == TK_QIDENT)) {
            /* a field of a struct value: a[0].b, f(x).b, v:a[0].b */
            advance(p);
            sqlfe_ast *f = node(p, SQ_FUNC, e->start);
            f->text = ".";
            add(p, f, e);
            add(p, f, leaf(p, SQ_NAME, cur(p), cur(p)->kind == TK_QIDENT ? unquote(p, cur(p)) : tok_str(p, cur(p))));
            advance(p);
            e = fin(p, f);
        } else if (is_kw(p, "COLLATE")) {
            advance(p);
            advance(p);
            fin(p, e);
        } else {
            return e;
        }
    }
}

static sqlfe_ast *parse_unary(P *p)
{
    if (is_tk(p, TK_MINUS) || is_tk(p, TK_PLUS) || is_tk(p, TK_TILDE) || (is_kw(p, "PRIOR") && (p->d == SQLFE_ORACLE || p->in_connect)) ||
        (is_kw(p, "CONNECT_BY_ROOT"))) {
        const tok *t = cur(p);
        sqlfe_ast *u = node(p, SQ_UNARY, t->start);
        u->text = t->kind == TK_MINUS ? "-" : t->kind == TK_PLUS ? "+" : t->kind == TK_TILDE ? "~" : tok_upper(p, t);
        advance(p);
        enter(p);
        add(p, u, parse_unary(p));
        leave(p);
        return fin(p, u);
    }
    return parse_postfix(p);
}

static sqlfe_ast *binary(P *p, const char *op, sqlfe_ast *l, sqlfe_ast *r)
{
    sqlfe_ast *b = node(p, SQ_BINARY, l->start);
    b->text = op;
    add(p, b, l);
    add(p, b, r);
    return b;
}

static sqlfe_ast *parse_multiplicative(P *p)
{
    sqlfe_ast *l = parse_unary(p);
    for (;;) {
        const char *op = NULL;
        if (is_tk(p, TK_STAR)) op = "*";
        else if (is_tk(p, TK_SLASH)) op = "/";
        else if (is_tk(p, TK_PERCENT)) op = "%";
        else if (is_kw(p, "MOD") && p->d == SQLFE_TERADATA) op = "MOD";
        else if (is_kw(p, "DIV") && p->d == SQLFE_SPARK) op = "DIV"; /* integral division */
        else if (is_tk(p, TK_STAR) && at(p, 1)->kind == TK_STAR) op = "**";
        else if (is_tk(p, TK_AMP)) op = "&";
        else if (is_tk(p, TK_PIPE)) op = "|";
        else if (is_tk(p, TK_CARET) && !(p->d == SQLFE_ORACLE && at(p, 1)->kind == TK_EQ)) op = "^";
        if (!op)
            return l;
        advance(p);
        if (strcmp(op, "*") == 0 && is_tk(p, TK_STAR) && p->d == SQLFE_TERADATA) { /* ** */
            advance(p);
            op = "**";
        }
        l = binary(p, op, l, parse_unary(p));
    }
}

static sqlfe_ast *parse_additive(P *p)
{
    enter(p);
    sqlfe_ast *l = parse_multiplicative(p);
    for (;;) {
        const char *op = NULL;
        if (is_tk(p, TK_PLUS)) op = "+";
        else if (is_tk(p, TK_MINUS)) op = "-";
        else if (is_tk(p, TK_CONCAT)) op = "||";
        else if (is_tk(p, TK_BANG) && at(p, 1)->kind == TK_BANG && p->d == SQLFE_TERADATA) op = "||";
        else if (p->d == SQLFE_DB2 && is_kw(p, "CONCAT")) op = "||"; /* DB2's infix a CONCAT b */
        else if (p->d == SQLFE_ORACLE && is_kw(p, "MULTISET") &&
                 (is_kw_at(p, 1, "UNION") || is_kw_at(p, 1, "INTERSECT") || is_kw_at(p, 1, "EXCEPT"))) {
            /* Oracle nested tables: a MULTISET UNION|INTERSECT|EXCEPT [ALL|DISTINCT] b (no canonical form) */
            advance(p);
            op = is_kw(p, "UNION")       ? "MULTISET UNION"
                 : is_kw(p, "INTERSECT") ? "MULTISET INTERSECT"
                                         : "MULTISET EXCEPT";
            if (is_kw_at(p, 1, "DISTINCT")) {
                advance(p);
                op = arena_printf(p->a, "%s DISTINCT", op);
            } else if (is_kw_at(p, 1, "ALL")) {
                advance(p);
            }
        }
        if (!op)
            break;
        advance(p);
        if (is_tk(p, TK_BANG) && strcmp(op, "||") == 0 && p->d == SQLFE_TERADATA)
            advance(p);
        l = binary(p, op, l, parse_multiplicative(p));
    }
    leave(p);
    return l;
}

static const char *comparison_op(P *p)
{
    /* Oracle accepts the two-character operators with blanks between ('< =', '> =', '< >', '! =', '^ ='):
       the first token is stepped over here, the caller steps over the second */
    if (p->d == SQLFE_ORACLE && at(p, 1)->kind == TK_EQ &&
        (is_tk(p, TK_LT) || is_tk(p, TK_GT) || is_tk(p, TK_BANG) || is_tk(p, TK_CARET))) {
        const char *op = is_tk(p, TK_LT) ? "<=" : is_tk(p, TK_GT) ? ">=" : "<>";
        advance(p);
        return op;
    }
    if (p->d == SQLFE_ORACLE && is_tk(p, TK_LT) && at(p, 1)->kind == TK_GT) {
        advance(p);
        return "<>";
    }
    switch (cur(p)->kind) {
    case TK_NSEQ: return "<=>"; /* Spark NULL-safe equality: no canonical form, the lowering keeps a hole */
    case TK_EQ: return "=";
    case TK_NE: return "<>";
    case TK_LT: return "<";
    case TK_LE: return "<=";
    case TK_GT: return ">";
    case TK_GE: return ">=";
    default: break;
    }
    if (p->d == SQLFE_TERADATA) {
        if (is_kw(p, "NOT") && at(p, 1)->kind == TK_EQ) {
            advance(p); /* NOT= : the caller steps over the '=' */
            return "<>";
        }
        if (is_kw(p, "EQ")) return "=";
        if (is_kw(p, "NE")) return "<>";
        if (is_kw(p, "LT")) return "<";
        if (is_kw(p, "LE")) return "<=";
        if (is_kw(p, "GT")) return ">";
        if (is_kw(p, "GE")) return ">=";
    }
    /* T-SQL !< !> */
    if (is_tk(p, TK_BANG) && (at(p, 1)->kind == TK_LT || at(p, 1)->kind == TK_GT))
        return at(p, 1)->kind == TK_LT ? ">=" : "<=";
    return NULL;
}

static sqlfe_ast *parse_in_rest(P *p, sqlfe_ast *x, int negated)
{
    sqlfe_ast *in = node(p, SQ_IN, x->start);
    if (negated)
        in->flags |= SQF_NOT;
    add(p, in, x);
    size_t open = cur(p)->start;
    if (!is_tk(p, TK_LPAREN)) {
        /* IN :param or IN $$LIST: one value */
        add(p, in, parse_primary(p));
        return fin(p, in);
    }
    advance(p);
    if (query_start(p, 0)) {
        add(p, in, parse_query(p));
    } else if (!is_tk(p, TK_RPAREN)) {
        parse_expr_list_into(p, in);
    }
    expect_close(p, open);
    return fin(p, in);
}

static sqlfe_ast *parse_predicate(P *p)
{
    sqlfe_ast *l = parse_additive(p);
    for (;;) {
        const char *op = comparison_op(p);
        if (op) {
            if (is_tk(p, TK_BANG))
                advance(p);
            advance(p);
            if ((is_kw(p, "ANY") || is_kw(p, "ALL") || is_kw(p, "SOME")) && at(p, 1)->kind == TK_LPAREN) {
                sqlfe_ast *q = node(p, SQ_QUANTIFIED, l->start);
                q->text = arena_printf(p->a, "%s %s", op, is_kw(p, "ALL") ? "ALL" : "ANY");
                advance(p);
                size_t open = cur(p)->start;
                advance(p);
                add(p, q, l);
                if (query_start(p, 0)) {
                    add(p, q, parse_query(p));
                } else {
                    sqlfe_ast *list = node(p, SQ_LIST, open);
                    add(p, q, fin(p, parse_expr_list_into(p, list)));
                }
                expect_close(p, open);
                l = fin(p, q);
                continue;
            }
            l = fin(p, binary(p, op, l, parse_additive(p)));
            continue;
        }
        int negated = 0;
        int save = p->i;
        if (is_kw(p, "NOT") && (is_kw_at(p, 1, "IN") || is_kw_at(p, 1, "BETWEEN") || is_kw_at(p, 1, "LIKE") ||
                                is_kw_at(p, 1, "ILIKE") || is_kw_at(p, 1, "RLIKE") || is_kw_at(p, 1, "REGEXP") ||
                                is_kw_at(p, 1, "SIMILAR"))) {
            advance(p);
            negated = 1;
        }
        if (accept_kw(p, "IS")) {
            sqlfe_ast *is = node(p, SQ_IS, l->start);
            if (accept_kw(p, "NOT"))
                is->flags |= SQF_NOT;
            if (is_kw(p, "NULL") || is_kw(p, "TRUE") || is_kw(p, "FALSE") || is_kw(p, "UNKNOWN") ||
                (p->d == SQLFE_ORACLE && is_kw(p, "EMPTY"))) {
                is->text = tok_upper(p, cur(p));
                advance(p);
            } else if (p->d == SQLFE_ORACLE && is_kw(p, "A") && is_kw_at(p, 1, "SET")) { /* nested tables */
                advance(p);
                advance(p);
                is->text = "A SET";
            } else if (accept_kw(p, "DISTINCT")) {
                expect_kw(p, "FROM");
                is->text = "DISTINCT FROM";
                add(p, is, l);
                add(p, is, parse_additive(p));
                l = fin(p, is);
                continue;
            } else {
                fail_here(p, "NULL, TRUE, FALSE or DISTINCT FROM after IS");
            }
            add(p, is, l);
            l = fin(p, is);
            continue;
        }
        if (accept_kw(p, "IN")) {
            l = parse_in_rest(p, l, negated);
            continue;
        }
        if (accept_kw(p, "BETWEEN")) {
            sqlfe_ast *b = node(p, SQ_BETWEEN, l->start);
            if (negated)
                b->flags |= SQF_NOT;
            accept_kw(p, "SYMMETRIC");
            add(p, b, l);
            add(p, b, parse_additive(p));
            expect_kw(p, "AND");
            add(p, b, parse_additive(p));
            l = fin(p, b);
            continue;
        }
        if (!negated && p->d == SQLFE_ANSI &&
            (is_tk(p, TK_TILDE) || (is_tk(p, TK_BANG) && at(p, 1)->kind == TK_TILDE))) {
            /* Postgres x ~ re, ~* (case-insensitive), !~, !~*: a POSIX regular expression matches */
            sqlfe_ast *lk = node(p, SQ_LIKE, l->start);
            if (accept(p, TK_BANG))
                lk->flags |= SQF_NOT;
            advance(p);
            lk->text = accept(p, TK_STAR) ? "~*" : "~";
            add(p, lk, l);
            add(p, lk, parse_additive(p));
            l = fin(p, lk);
            continue;
        }
        if (is_kw(p, "LIKE") || is_kw(p, "ILIKE") || is_kw(p, "RLIKE") || is_kw(p, "REGEXP") ||
            (is_kw(p, "SIMILAR") && is_kw_at(p, 1, "TO"))) {
            sqlfe_ast *lk = node(p, SQ_LIKE, l->start);
            lk->text = tok_upper(p, cur(p));
            if (negated)
                lk->flags |= SQF_NOT;
            advance(p);
            if (strcmp(lk->text, "SIMILAR") == 0)
                advance(p);
            add(p, lk, l);
            if ((is_kw(p, "ANY") || is_kw(p, "ALL") || is_kw(p, "SOME")) && at(p, 1)->kind == TK_LPAREN) {
                lk->text = arena_printf(p->a, "%s %s", lk->text, is_kw(p, "ALL") ? "ALL" : "ANY");
                advance(p);
                size_t open = cur(p)->start;
                advance(p);
                sqlfe_ast *list = node(p, SQ_LIST, open);
                if (query_start(p, 0))
                    add(p, list, parse_query(p));
                else
                    parse_expr_list_into(p, list);
                expect_close(p, open);
                add(p, lk, fin(p, list));
            } else {
                add(p, lk, parse_additive(p));
            }
            if (accept_kw(p, "ESCAPE")) {
                add(p, lk, parse_primary(p));
            } else if (is_tk(p, TK_LBRACE) && at(p, 1)->kind == TK_IDENT && tk_is(p->text, at(p, 1), "ESCAPE")) {
                /* ODBC {escape 'c'} */
                advance(p);
                advance(p);
                add(p, lk, parse_primary(p));
                expect(p, TK_RBRACE);
            }
            l = fin(p, lk);
            continue;
        }
        p->i = save;
        return l;
    }
}

static sqlfe_ast *parse_not(P *p)
{
    if (is_kw(p, "NOT") || (p->d == SQLFE_SPARK && is_tk(p, TK_BANG) && at(p, 1)->kind != TK_EQ)) { /* Spark !x */
        sqlfe_ast *u = node(p, SQ_UNARY, cur(p)->start);
        u->text = "NOT";
        advance(p);
        enter(p);
        add(p, u, parse_not(p));
        leave(p);
        return fin(p, u);
    }
    return parse_predicate(p);
}

static sqlfe_ast *parse_and(P *p)
{
    sqlfe_ast *l = parse_not(p);
    while (accept_kw(p, "AND"))
        l = fin(p, binary(p, "AND", l, parse_not(p)));
    return l;
}

static sqlfe_ast *parse_expr(P *p)
{
    enter(p);
    sqlfe_ast *l = parse_and(p);
    while (accept_kw(p, "OR"))
        l = fin(p, binary(p, "OR", l, parse_and(p)));
    leave(p);
    return l;
}

/* ---- types ---- */

static sqlfe_ast *parse_type(P *p)
{
    const tok *t = cur(p);
    if (t->kind != TK_IDENT && t->kind != TK_QIDENT)
        fail_here(p, "a type name");
    sqlfe_ast *ty = node(p, SQ_TYPE, t->start);
    if (p->d == SQLFE_TERADATA && is_kw(p, "FORMAT") && at(p, 1)->kind == TK_STRING) {
        /* Teradata CAST(x AS FORMAT '..'): the type stays, the format changes (as x (FORMAT '..')) */
        advance(p);
        ty->text = "FORMAT";
        add(p, ty, leaf(p, SQ_STR, cur(p), string_value(p, cur(p))));
        advance(p);
        return fin(p, ty);
    }
    /* the name is built in the arena: a syntax error longjmps out of here */
    char *name = t->kind == TK_QIDENT ? unquote(p, t) : tok_upper(p, t);
    advance(p);
    while (is_tk(p, TK_DOT) && at(p, 1)->kind == TK_IDENT) { /* sys.varchar */
        advance(p);
        name = arena_printf(p->a, "%s.%s", name, tok_upper(p, cur(p)));
        advance(p);
    }
    /* multi-word types */
    static const char *const second[] = {"PRECISION", "VARYING", "VARCHAR", "CHAR", "CHARACTER"};
    for (;;) {
        int more = 0;
        for (size_t i = 0; i < sizeof second / sizeof second[0]; i++) {
            if (is_kw(p, second[i])) {
                name = arena_printf(p->a, "%s %s", name, second[i]);
                advance(p);
                more = 1;
            }
        }
        if (!more)
            break;
    }
    if (strcmp(name, "ARRAY") == 0 && is_tk(p, TK_LPAREN) &&
        (at(p, 1)->kind == TK_IDENT || at(p, 1)->kind == TK_QIDENT)) {
        /* Presto / Snowflake ARRAY(T): the parameter is the elements' type */
        size_t open = cur(p)->start;
        advance(p);
        add(p, ty, parse_type(p));
        expect_close(p, open);
    } else if (is_tk(p, TK_LPAREN)) {
        size_t open = cur(p)->start;
        advance(p);
        do {
            if (is_tk(p, TK_NUMBER) || is_tk(p, TK_MINUS)) {
                add(p, ty, parse_additive(p));
            } else if (is_tk(p, TK_IDENT)) { /* VARCHAR(MAX), VARCHAR2(10 CHAR), NUMBER(*,0) */
                add(p, ty, leaf(p, SQ_NAME, cur(p), tok_upper(p, cur(p))));
                advance(p);
            } else if (is_tk(p, TK_STAR)) {
                advance(p);
            } else {
                fail_here(p, "a type parameter");
            }
            while (is_tk(p, TK_IDENT)) /* 10 CHAR / 10 BYTE */
                advance(p);
        } while (accept(p, TK_COMMA));
        expect_close(p, open);
    }
    /* TIMESTAMP WITH [LOCAL] TIME ZONE, INTERVAL DAY TO SECOND, ARRAY, CHARACTER SET x, FORMAT */
    for (;;) {
        if ((is_kw(p, "WITH") || is_kw(p, "WITHOUT")) &&
            (is_kw_at(p, 1, "TIME") || (is_kw_at(p, 1, "LOCAL") && is_kw_at(p, 2, "TIME")))) {
            /* WITH [LOCAL] TIME ZONE is kept on the type (a zone-aware type: the lowering says
             * what it makes of it); WITHOUT TIME ZONE is the plain type */
            if (is_kw(p, "WITH"))
                add(p, ty, leaf(p, SQ_NAME, cur(p), is_kw_at(p, 1, "LOCAL") ? "WITH LOCAL TIME ZONE" : "WITH TIME ZONE"));
            while (!is_kw(p, "ZONE") && !is_tk(p, TK_EOF))
                advance(p);
            advance(p);
        } else if ((is_kw(p, "CHARACTER") || is_kw(p, "CHAR")) && is_kw_at(p, 1, "SET")) {
            advance(p);
            advance(p);
            advance(p);
        } else if (is_kw(p, "FORMAT") && at(p, 1)->kind == TK_STRING) { /* Teradata CAST(x AS DATE FORMAT '..') */
            advance(p);
            add(p, ty, leaf(p, SQ_STR, cur(p), string_value(p, cur(p))));
            advance(p);
        } else if (strncmp(name, "INTERVAL", 8) == 0 && cur(p)->kind == TK_IDENT &&
                   !is_kw(p, "AS") && !is_reserved_word(p, cur(p))) {
            name = arena_printf(p->a, "%s %s", name, tok_upper(p, cur(p)));
            advance(p);
        } else if (is_kw(p, "UNSIGNED") || is_kw(p, "SIGNED")) {
            advance(p);
        } else {
            break;
        }
    }
    /* Spark/Databricks/Snowflake ARRAY<T>, MAP<K, V>, STRUCT<a: T, ...>: the parameters are types */
    if (is_tk(p, TK_LT) && (strcmp(name, "ARRAY") == 0 || strcmp(name, "MAP") == 0 || strcmp(name, "STRUCT") == 0)) {
        advance(p);
        for (;;) {
            if (strcmp(name, "STRUCT") == 0) {
                sqlfe_ast *field = node(p, SQ_NAME, cur(p)->start);
                field->text = tok_str(p, cur(p));
                advance(p);
                accept(p, TK_COLON);
                sqlfe_ast *ft = parse_type(p);
                add(p, field, ft);
                if (is_kw(p, "NOT") && is_kw_at(p, 1, "NULL")) {
                    advance(p);
                    advance(p);
                }
                if (accept_kw(p, "COMMENT"))
                    advance(p);
                add(p, ty, fin(p, field));
            } else {
                add(p, ty, parse_type(p));
            }
            if (!accept(p, TK_COMMA))
                break;
        }
        expect(p, TK_GT);
    }
    if (is_kw(p, "COLLATE") && at(p, 1)->kind != TK_EOF) { /* STRING COLLATE x: the comparison rule */
        advance(p);
        add(p, ty, leaf(p, SQ_NAME, cur(p), arena_printf(p->a, "COLLATE %s", tok_str(p, cur(p)))));
        advance(p);
    }
    ty->text = name;
    fin(p, ty);
    /* Postgres T[] and T[n], SQL's T ARRAY [n]: an array of T (a declared size is not checked in
     * Postgres either) */
    for (;;) {
        int brackets = is_tk(p, TK_LBRACKET) && (at(p, 1)->kind == TK_RBRACKET ||
                                                 (at(p, 1)->kind == TK_NUMBER && at(p, 2)->kind == TK_RBRACKET));
        if (p->d != SQLFE_ANSI || (!brackets && !is_kw(p, "ARRAY")))
            break;
        sqlfe_ast *arr = node(p, SQ_TYPE, ty->start);
        arr->text = "ARRAY";
        add(p, arr, ty);
        if (accept_kw(p, "ARRAY"))
            brackets = is_tk(p, TK_LBRACKET) && at(p, 1)->kind == TK_NUMBER && at(p, 2)->kind == TK_RBRACKET;
        if (brackets)
            while (!accept(p, TK_RBRACKET))
                advance(p);
        ty = fin(p, arr);
    }
    return ty;
}

/* ---- queries ---- */

static sqlfe_ast *parse_order_by(P *p)
{
    sqlfe_ast *o = node(p, SQ_CL_ORDER, cur(p)->start);
    expect_kw(p, "ORDER");
    accept_kw(p, "SIBLINGS");
    expect_kw(p, "BY");
    do {
        sqlfe_ast *it = node(p, SQ_ORDER_ITEM, cur(p)->start);
        add(p, it, parse_expr(p));
        if (accept_kw(p, "DESC"))
            it->flags |= SQF_DESC;
        else
            accept_kw(p, "ASC");
        if (accept_kw(p, "NULLS")) {
            if (accept_kw(p, "FIRST"))
                it->flags |= SQF_NULLS_FIRST;
            else {
                expect_kw(p, "LAST");
                it->flags |= SQF_NULLS_LAST;
            }
        }
        add(p, o, fin(p, it));
    } while (accept(p, TK_COMMA));
    return fin(p, o);
}

/* [AS] alias [(c1, c2)] — or nothing when the next word cannot be an alias. */
static sqlfe_ast *parse_opt_alias(P *p, int allow_cols)
{
    size_t start = cur(p)->start;
    int as = accept_kw(p, "AS");
    const tok *t = cur(p);
    if (t->kind == TK_QIDENT || (t->kind == TK_IDENT && (as || !is_reserved_word(p, t))) ||
        (t->kind == TK_STRING && as && p->d == SQLFE_TSQL)) {
        if (t->kind == TK_IDENT && !as && td_attr_ahead(p, 1))
            return NULL;
        if (t->kind == TK_IDENT && !as && tk_is(p->text, t, "BULK") && is_kw_at(p, 1, "COLLECT"))
            return NULL; /* Oracle SELECT x BULK COLLECT INTO v */
        sqlfe_ast *a = node(p, SQ_ALIAS, start);
        a->text = t->kind == TK_QIDENT ? unquote(p, t) : t->kind == TK_STRING ? string_value(p, t) : tok_str(p, t);
        advance(p);
        if (allow_cols && is_tk(p, TK_LPAREN) && (at(p, 1)->kind == TK_IDENT || at(p, 1)->kind == TK_QIDENT)) {
            size_t open = cur(p)->start;
            advance(p);
            do {
                add(p, a, parse_name(p));
            } while (accept(p, TK_COMMA));
            expect_close(p, open);
        }
        return fin(p, a);
    }
    if (as)
        fail_here(p, "an alias after AS");
    return NULL;
}

/* Table hints after a table name. T-SQL WITH (NOLOCK ...) only tunes locking: skipped. Oracle
 * PARTITION (p) and TABLESAMPLE ... change which rows are read: skipped here too, but the name of
 * the first one is returned so the caller keeps the table as a hole (never a silent full read). */
static const char *skip_table_hints(P *p)
{
    const char *rows = NULL;
    for (;;) {
        if (is_kw(p, "WITH") && at(p, 1)->kind == TK_LPAREN && p->d == SQLFE_TSQL) {
            advance(p);
        } else if ((is_kw(p, "TABLESAMPLE") || is_kw(p, "PARTITION")) && at(p, 1)->kind != TK_EOF) {
            if (!rows)
                rows = is_kw(p, "TABLESAMPLE") ? "TABLESAMPLE" : "PARTITION";
            advance(p);
            if (is_kw(p, "BERNOULLI") || is_kw(p, "SYSTEM") || is_kw(p, "BLOCK"))
                advance(p);
        } else {
            return rows;
        }
        if (is_tk(p, TK_LPAREN)) {
            int depth = 0;
            do {
                if (is_tk(p, TK_LPAREN))
                    depth++;
                else if (is_tk(p, TK_RPAREN))
                    depth--;
                advance(p);
            } while (depth > 0 && !is_tk(p, TK_EOF));
        }
        if (accept_kw(p, "REPEATABLE")) {
            expect(p, TK_LPAREN);
            while (!accept(p, TK_RPAREN) && !is_tk(p, TK_EOF))
                advance(p);
        }
    }
}

/* A period specification after a table (SQL:2011, DB2, T-SQL): FOR SYSTEM_TIME | BUSINESS_TIME
   AS OF x | FROM a TO b | BETWEEN a AND b | CONTAINED IN (a, b) | ALL. The rows depend on the table's
   history, which a plain read does not give: kept as a table function FOR_SYSTEM_TIME(t, bounds)
   (so the lowering makes it a hole with its text). */
static sqlfe_ast *parse_period_spec(P *p, sqlfe_ast *table)
{
    sqlfe_ast *f = node(p, SQ_FUNC, cur(p)->start);
    advance(p);
    f->text = is_kw(p, "SYSTEM_TIME") ? "FOR SYSTEM_TIME" : "FOR BUSINESS_TIME";
    advance(p);
    add(p, f, fin(p, table));
    if (is_kw(p, "AS") && is_kw_at(p, 1, "OF")) {
        advance(p);
        advance(p);
        add(p, f, parse_additive(p));
    } else if (accept_kw(p, "FROM")) {
        add(p, f, parse_additive(p));
        expect_kw(p, "TO");
        add(p, f, parse_additive(p));
    } else if (accept_kw(p, "BETWEEN")) {
        add(p, f, parse_additive(p));
        expect_kw(p, "AND");
        add(p, f, parse_additive(p));
    } else if (is_kw(p, "CONTAINED") && is_kw_at(p, 1, "IN") && at(p, 2)->kind == TK_LPAREN) {
        advance(p);
        advance(p);
        size_t open = cur(p)->start;
        advance(p);
        add(p, f, parse_additive(p));
        expect(p, TK_COMMA);
        add(p, f, parse_additive(p));
        expect_close(p, open);
    } else if (!accept_kw(p, "ALL")) {
        fail_here(p, "AS OF, FROM, BETWEEN, CONTAINED IN or ALL");
    }
    sqlfe_ast *r = node(p, SQ_TABLE_FN, table->start);
    add(p, r, fin(p, f));
    return r;
}

static sqlfe_ast *parse_table_primary(P *p)
{
    const tok *t = cur(p);
    size_t start = t->start;
    enter(p);
    sqlfe_ast *r;
    if (is_tk(p, TK_LPAREN)) {
        size_t open = start;
        if (query_start(p, 1) || (at(p, 1)->kind == TK_LPAREN && query_start(p, 2))) {
            /* (query) or ((query) union ...) */
            int save = p->i;
            advance(p);
            if (query_start(p, 0) || is_tk(p, TK_LPAREN)) {
                sqlfe_ast *q = NULL;
                if (query_start(p, 0)) {
                    q = parse_query(p);
                } else {
                    /* a parenthesised table expression or query: try the query first */
                    jmp_buf saved;
                    memcpy(saved, p->jb, sizeof saved);
                    int depth = p->depth;
                    if (setjmp(p->jb) == 0) {
                        q = parse_query(p);
                        if (!is_tk(p, TK_RPAREN))
                            q = NULL;
                    } else {
                        q = NULL;
                    }
                    memcpy(p->jb, saved, sizeof saved);
                    p->depth = depth;
                    if (!q) {
                        p->i = save;
                        advance(p);
                        sqlfe_ast *inner = parse_table_expr(p);
                        expect_close(p, open);
                        leave(p);
                        sqlfe_ast *al = parse_opt_alias(p, 1);
                        if (al) {
                            sqlfe_ast *d = node(p, SQ_DERIVED, start);
                            add(p, d, inner);
                            add(p, d, al);
                            return fin(p, d);
                        }
                        return inner;
                    }
                }
                expect_close(p, open);
                r = node(p, SQ_DERIVED, start);
                add(p, r, q);
                sqlfe_ast *al = parse_opt_alias(p, 1);
                if (al)
                    add(p, r, al);
                leave(p);
                return fin(p, r);
            }
        }
        advance(p);
        sqlfe_ast *inner = parse_table_expr(p);
        expect_close(p, open);
        leave(p);
        return inner;
    }
    if ((is_kw(p, "LATERAL") && at(p, 1)->kind == TK_LPAREN) ||
        (is_kw(p, "TABLE") && at(p, 1)->kind == TK_LPAREN)) {
        int lateral = is_kw(p, "LATERAL");
        advance(p);
        size_t open = cur(p)->start;
        advance(p);
        if (query_start(p, 0)) {
            r = node(p, SQ_DERIVED, start);
            if (lateral)
                r->flags |= SQF_LATERAL;
            add(p, r, parse_query(p));
        } else {
            r = node(p, SQ_TABLE_FN, start);
            add(p, r, parse_expr(p));
            if (p->d == SQLFE_TERADATA && is_kw(p, "RETURNS")) {
                /* Teradata TABLE(f(..) RETURNS (col type, ..) | RETURNS t): the output columns */
                advance(p);
                if (is_tk(p, TK_LPAREN))
                    add(p, r, parse_coldef_list(p));
                else
                    add(p, r, parse_name(p));
            }
        }
        expect_close(p, open);
        sqlfe_ast *al = parse_opt_alias(p, 1);
        if (al)
            add(p, r, al);
        leave(p);
        return fin(p, r);
    }
    if (accept_kw(p, "ONLY")) {
    }
    if (p->d == SQLFE_SNOWFLAKE && is_tk(p, TK_AT)) {
        /* Snowflake staged files: FROM @[db.schema.]stage[/path] [(FILE_FORMAT => .., PATTERN => ..)]: a
           table function STAGE('@stage/path', args) (files, not a table: the lowering keeps a hole) */
        sqlfe_ast *f = node(p, SQ_FUNC, start);
        f->text = "STAGE";
        size_t end = cur(p)->start + cur(p)->len;
        advance(p);
        while (!is_tk(p, TK_EOF) && cur(p)->start == end &&
               (is_tk(p, TK_IDENT) || is_tk(p, TK_QIDENT) || is_tk(p, TK_DOT) || is_tk(p, TK_SLASH) ||
                is_tk(p, TK_NUMBER) || is_tk(p, TK_MINUS) || is_tk(p, TK_PERCENT) || is_tk(p, TK_TILDE))) {
            end = cur(p)->start + cur(p)->len;
            advance(p);
        }
        sqlfe_ast *where = leaf(p, SQ_STR, at(p, -1), arena_strndup(p->a, p->text + start, end - start));
        where->start = start;
        add(p, f, where);
        if (is_tk(p, TK_LPAREN)) {
            size_t open = cur(p)->start;
            advance(p);
            parse_call_args(p, f, open);
        }
        r = node(p, SQ_TABLE_FN, start);
        add(p, r, fin(p, f));
        sqlfe_ast *al = parse_opt_alias(p, 1);
        if (al)
            add(p, r, al);
        leave(p);
        return fin(p, r);
    }
    if (is_kw(p, "LATERAL") && (at(p, 1)->kind == TK_IDENT || at(p, 1)->kind == TK_QIDENT) &&
        (at(p, 2)->kind == TK_LPAREN || at(p, 2)->kind == TK_DOT)) {
        /* LATERAL f(t.x) (Spark, Snowflake FLATTEN): a table function reading the tables before it */
        advance(p);
        sqlfe_ast *fn = parse_table_primary(p);
        fn->flags |= SQF_LATERAL;
        leave(p);
        return fn;
    }
    sqlfe_ast *nm = parse_name(p);
    if (is_tk(p, TK_LPAREN)) { /* table function: UNNEST(x), dbo.fn(1), FLATTEN(input => x) */
        sqlfe_ast *f = node(p, SQ_FUNC, start);
        f->text = nm->text;
        size_t open = cur(p)->start;
        advance(p);
        parse_call_args(p, f, open);
        r = node(p, SQ_TABLE_FN, start);
        add(p, r, fin(p, f));
        if (is_kw(p, "WITH") && is_kw_at(p, 1, "ORDINALITY")) { /* SQL:2003, Presto, Postgres */
            advance(p);
            advance(p);
            r->flags |= SQF_ORDINALITY;
        }
    } else {
        r = node(p, SQ_TABLE, start);
        r->text = nm->text;
        r->flags |= nm->flags & SQF_QUOTED;
        r->end = nm->end;
        if (is_kw(p, "FOR") && (is_kw_at(p, 1, "SYSTEM_TIME") || is_kw_at(p, 1, "BUSINESS_TIME")))
            r = parse_period_spec(p, r);
    }
    const char *rows = skip_table_hints(p);
    sqlfe_ast *al = parse_opt_alias(p, 1);
    if (al)
        add(p, r, al);
    const char *rows2 = skip_table_hints(p);
    if (rows || rows2) {
        /* a sample or a partition of the table: kept as a table function, which the lowering
         * makes a hole with its text */
        sqlfe_ast *f = node(p, SQ_FUNC, start);
        f->text = rows ? rows : rows2;
        add(p, f, fin(p, r));
        r = node(p, SQ_TABLE_FN, start);
        add(p, r, fin(p, f));
    }
    leave(p);
    return fin(p, r);
}

/* One join onto left: [NATURAL] [INNER|LEFT|RIGHT|FULL [OUTER]|CROSS|[LEFT] SEMI|[LEFT] ANTI] JOIN
 * right [ON|USING]. */
static sqlfe_ast *parse_join_rest(P *p, sqlfe_ast *left)
{
    sqlfe_ast *j = node(p, SQ_JOIN, left->start);
    j->text = "INNER";
    if (accept_kw(p, "NATURAL"))
        j->flags |= SQF_NATURAL;
    int needs_cond = !(j->flags & SQF_NATURAL);
    if (accept_kw(p, "INNER")) {
    } else if ((is_kw(p, "SEMI") || is_kw(p, "ANTI")) ||
               (is_kw(p, "LEFT") && (is_kw_at(p, 1, "SEMI") || is_kw_at(p, 1, "ANTI")))) {
        /* a semi join keeps the left rows with a match, an anti join those without */
        accept_kw(p, "LEFT");
        if (accept_kw(p, "SEMI")) {
            j->text = "SEMI";
        } else {
            expect_kw(p, "ANTI");
            j->text = "ANTI";
        }
    } else if (accept_kw(p, "LEFT")) {
        j->text = "LEFT";
    } else if (accept_kw(p, "RIGHT")) {
        j->text = "RIGHT";
    } else if (accept_kw(p, "FULL")) {
        j->text = "FULL";
    } else if (accept_kw(p, "CROSS")) {
        j->text = "CROSS";
        needs_cond = 0;
    } else if (is_kw(p, "OUTER") && is_kw_at(p, 1, "APPLY")) {
        advance(p);
        j->text = "LEFT";
        j->flags |= SQF_APPLY;
        needs_cond = 0;
    }
    accept_kw(p, "OUTER");
    /* T-SQL join hints INNER HASH JOIN, LEFT LOOP JOIN, FULL OUTER MERGE JOIN, REMOTE: the plan only */
    if (p->d == SQLFE_TSQL && (is_kw(p, "HASH") || is_kw(p, "LOOP") || is_kw(p, "MERGE") || is_kw(p, "REMOTE")) &&
        is_kw_at(p, 1, "JOIN"))
        advance(p);
    if (accept_kw(p, "APPLY")) {
        j->flags |= SQF_APPLY;
        needs_cond = 0;
    } else if (!accept_kw(p, "JOIN") && !accept_kw(p, "STRAIGHT_JOIN")) {
        fail_here(p, "JOIN");
    }
    add(p, j, left);
    sqlfe_ast *right = parse_table_primary(p);
    if ((right->flags & SQF_LATERAL) && !is_kw(p, "ON") && !is_kw(p, "USING")) {
        /* [LEFT] JOIN LATERAL (query) / f(x) without ON (Spark): a correlated join, as CROSS/OUTER APPLY */
        j->flags |= SQF_APPLY;
        needs_cond = 0;
        if (strcmp(j->text, "INNER") == 0)
            j->text = "CROSS";
    }
    /* nested joins: a JOIN b JOIN c ON .. ON .. */
    while (needs_cond && is_join_start(p))
        right = parse_join_rest(p, right);
    add(p, j, right);
    if (is_kw(p, "ON")) {
        sqlfe_ast *on = node(p, SQ_ON, cur(p)->start);
        advance(p);
        add(p, on, parse_expr(p));
        add(p, j, fin(p, on));
    } else if (is_kw(p, "USING")) {
        sqlfe_ast *u = node(p, SQ_USING, cur(p)->start);
        advance(p);
        size_t open = cur(p)->start;
        expect(p, TK_LPAREN);
        do {
            add(p, u, parse_name(p));
        } while (accept(p, TK_COMMA));
        expect_close(p, open);
        add(p, j, fin(p, u));
    } else if (needs_cond && strcmp(j->text, "INNER") != 0) {
        fail_here(p, "ON or USING");
    } else if (needs_cond && p->d != SQLFE_TSQL && p->d != SQLFE_SNOWFLAKE) {
        /* a bare JOIN without ON is a cross join in MySQL and Snowflake; elsewhere an error */
        fail_here(p, "ON or USING");
    }
    return fin(p, j);
}

/* (name type, ...) after a Teradata RETURNS or JSON_TABLE COLUMNS: an SQ_LIST of SQ_COLDEF (type, or
 * none for FOR ORDINALITY; options such as PATH '..' skipped). */
static sqlfe_ast *parse_coldef_list(P *p)
{
    size_t open = cur(p)->start;
    sqlfe_ast *l = node(p, SQ_LIST, open);
    expect(p, TK_LPAREN);
    do {
        sqlfe_ast *cd = node(p, SQ_COLDEF, cur(p)->start);
        if (is_kw(p, "NESTED")) { /* JSON_TABLE NESTED [PATH] '..' COLUMNS (..) */
            while (!is_tk(p, TK_LPAREN) && !is_tk(p, TK_EOF))
                advance(p);
            add(p, cd, parse_coldef_list(p));
        } else {
            cd->text = parse_name(p)->text;
            if (is_kw(p, "FOR") && is_kw_at(p, 1, "ORDINALITY")) {
                advance(p);
                advance(p);
            } else if (!is_tk(p, TK_COMMA) && !is_tk(p, TK_RPAREN)) {
                add(p, cd, parse_type(p));
            }
            int depth = 0;
            while (!is_tk(p, TK_EOF) && !(depth == 0 && (is_tk(p, TK_COMMA) || is_tk(p, TK_RPAREN)))) {
                if (is_tk(p, TK_LPAREN))
                    depth++;
                else if (is_tk(p, TK_RPAREN))
                    depth--;
                advance(p);
            }
        }
        add(p, l, fin(p, cd));
    } while (accept(p, TK_COMMA));
    expect_close(p, open);
    return fin(p, l);
}

/* Spark/Hive LATERAL VIEW [OUTER] generator(args) [table_alias] [AS] col [, col ...] after a table:
 * each input row joined with the rows the generator makes of it, i.e. CROSS APPLY (OUTER: OUTER
 * APPLY, keeping rows the generator makes none of). SQ_JOIN CROSS/LEFT :apply :lateral; the right
 * side a table function with the aliases. */
static sqlfe_ast *parse_lateral_view(P *p, sqlfe_ast *left)
{
    sqlfe_ast *j = node(p, SQ_JOIN, left->start);
    advance(p);
    advance(p);
    j->text = accept_kw(p, "OUTER") ? "LEFT" : "CROSS";
    j->flags |= SQF_APPLY | SQF_LATERAL;
    add(p, j, left);
    size_t start = cur(p)->start;
    sqlfe_ast *nm = parse_name(p);
    sqlfe_ast *f = node(p, SQ_FUNC, start);
    f->text = nm->text;
    size_t open = cur(p)->start;
    expect(p, TK_LPAREN);
    parse_call_args(p, f, open);
    sqlfe_ast *r = node(p, SQ_TABLE_FN, start);
    add(p, r, fin(p, f));
    sqlfe_ast *al = node(p, SQ_ALIAS, cur(p)->start);
    if ((cur(p)->kind == TK_IDENT && !is_kw(p, "AS") && !is_reserved_word(p, cur(p))) || cur(p)->kind == TK_QIDENT) {
        al->text = cur(p)->kind == TK_QIDENT ? unquote(p, cur(p)) : tok_str(p, cur(p));
        advance(p);
    }
    if (accept_kw(p, "AS") || (al->text && (cur(p)->kind == TK_IDENT || cur(p)->kind == TK_QIDENT) &&
                               !is_reserved_word(p, cur(p)))) {
        do {
            add(p, al, parse_name(p));
        } while (accept(p, TK_COMMA));
    }
    if (!al->text)
        al->text = "";
    add(p, r, fin(p, al));
    add(p, j, fin(p, r));
    return fin(p, j);
}

static sqlfe_ast *parse_table_expr(P *p)
{
    /* ODBC outer-join escape {oj t1 LEFT OUTER JOIN t2 ON ...}: the join inside */
    if (is_tk(p, TK_LBRACE) && at(p, 1)->kind == TK_IDENT && tk_is(p->text, at(p, 1), "OJ")) {
        advance(p);
        advance(p);
        sqlfe_ast *j = parse_table_expr(p);
        expect(p, TK_RBRACE);
        return j;
    }
    sqlfe_ast *l = parse_table_primary(p);
    while (is_join_start(p) || (is_kw(p, "LATERAL") && is_kw_at(p, 1, "VIEW")))
        l = is_join_start(p) ? parse_join_rest(p, l) : parse_lateral_view(p, l);
    /* PIVOT / UNPIVOT: kept as a table function around the input */
    if ((is_kw(p, "PIVOT") || is_kw(p, "UNPIVOT")) && at(p, 1)->kind == TK_LPAREN) {
        sqlfe_ast *f = node(p, SQ_FUNC, cur(p)->start);
        f->text = tok_upper(p, cur(p));
        advance(p);
        int depth = 0;
        do {
            if (is_tk(p, TK_LPAREN))
                depth++;
            else if (is_tk(p, TK_RPAREN))
                depth--;
            advance(p);
        } while (depth > 0 && !is_tk(p, TK_EOF));
        add(p, f, l);
        sqlfe_ast *r = node(p, SQ_TABLE_FN, l->start);
        add(p, r, fin(p, f));
        sqlfe_ast *al = parse_opt_alias(p, 1);
        if (al)
            add(p, r, al);
        l = fin(p, r);
    }
    return l;
}

static sqlfe_ast *parse_group_item(P *p)
{
    if ((is_kw(p, "ROLLUP") || is_kw(p, "CUBE")) && at(p, 1)->kind == TK_LPAREN) {
        sqlfe_ast *g = node(p, SQ_GROUPING, cur(p)->start);
        g->text = tok_upper(p, cur(p));
        advance(p);
        size_t open = cur(p)->start;
        advance(p);
        parse_expr_list_into(p, g);
        expect_close(p, open);
        return fin(p, g);
    }
    if (is_kw(p, "GROUPING") && is_kw_at(p, 1, "SETS")) {
        sqlfe_ast *g = node(p, SQ_GROUPING, cur(p)->start);
        g->text = "GROUPING SETS";
        advance(p);
        advance(p);
        size_t open = cur(p)->start;
        expect(p, TK_LPAREN);
        do {
            add(p, g, parse_group_item(p));
        } while (accept(p, TK_COMMA));
        expect_close(p, open);
        return fin(p, g);
    }
    if (is_tk(p, TK_LPAREN) && at(p, 1)->kind == TK_RPAREN) { /* () grand total */
        sqlfe_ast *l = node(p, SQ_LIST, cur(p)->start);
        advance(p);
        advance(p);
        return fin(p, l);
    }
    return parse_expr(p);
}

/* Redshift's SELECT a, b EXCLUDE (c, ..) | EXCLUDE c, .. (read as ANSI): columns left out of the
 * whole select list. Not an alias named exclude (one before FROM or another reserved word). */
static int at_list_exclude(P *p)
{
    const tok *n = at(p, 1);
    return p->d == SQLFE_ANSI && is_kw(p, "EXCLUDE") &&
           (n->kind == TK_LPAREN || n->kind == TK_QIDENT || (n->kind == TK_IDENT && !is_reserved_word(p, n)));
}

static sqlfe_ast *parse_select_item(P *p)
{
    sqlfe_ast *it = node(p, SQ_ITEM, cur(p)->start);
    /* T-SQL: alias = expr, @v = expr */
    if (p->d == SQLFE_TSQL && (cur(p)->kind == TK_IDENT || cur(p)->kind == TK_QIDENT || cur(p)->kind == TK_PARAM) &&
        at(p, 1)->kind == TK_EQ) {
        const tok *t = cur(p);
        it->text = t->kind == TK_QIDENT ? unquote(p, t) : tok_str(p, t);
        advance(p);
        advance(p);
        add(p, it, parse_expr(p));
        return fin(p, it);
    }
    /* T-SQL compound assignment @v += expr (also -= *= /= %= &= |= ^=): @v = @v op expr */
    if (p->d == SQLFE_TSQL && cur(p)->kind == TK_PARAM && at(p, 2)->kind == TK_EQ &&
        at(p, 1)->start + at(p, 1)->len == at(p, 2)->start) {
        static const struct {
            tk_kind k;
            const char *op;
        } ops[] = {{TK_PLUS, "+"}, {TK_MINUS, "-"}, {TK_STAR, "*"}, {TK_SLASH, "/"},
                   {TK_PERCENT, "%"}, {TK_AMP, "&"}, {TK_PIPE, "|"}, {TK_CARET, "^"}};
        for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
            if (at(p, 1)->kind != ops[k].k)
                continue;
            const tok *t = cur(p);
            it->text = tok_str(p, t);
            sqlfe_ast *var = leaf(p, SQ_PARAM, t, it->text);
            advance(p);
            advance(p);
            advance(p);
            add(p, it, fin(p, binary(p, ops[k].op, var, parse_expr(p))));
            return fin(p, it);
        }
    }
    sqlfe_ast *e = parse_expr(p);
    /* Snowflake * EXCLUDE (a, b) / ILIKE 'p' / REPLACE (x AS a) / RENAME (a AS b); Databricks * EXCEPT (a):
       the columns differ from the star's, so it is kept as a call (the lowering keeps a hole) */
    while (e->kind == SQ_STAR &&
           (((is_kw(p, "EXCLUDE") || is_kw(p, "REPLACE") || is_kw(p, "RENAME")) &&
             (at(p, 1)->kind == TK_LPAREN || at(p, 1)->kind == TK_IDENT || at(p, 1)->kind == TK_QIDENT)) ||
            (is_kw(p, "EXCEPT") && at(p, 1)->kind == TK_LPAREN && !query_start(p, 2)) ||
            (is_kw(p, "ILIKE") && at(p, 1)->kind == TK_STRING))) {
        sqlfe_ast *f = node(p, SQ_FUNC, e->start);
        f->text = arena_printf(p->a, "* %s", tok_upper(p, cur(p)));
        advance(p);
        add(p, f, e);
        if (is_tk(p, TK_LPAREN)) {
            size_t open = cur(p)->start;
            advance(p);
            do {
                sqlfe_ast *x = parse_expr(p);
                if (accept_kw(p, "AS")) {
                    sqlfe_ast *na = node(p, SQ_NAMED_ARG, x->start);
                    na->text = tok_str(p, cur(p));
                    advance(p);
                    add(p, na, x);
                    x = fin(p, na);
                }
                add(p, f, x);
            } while (accept(p, TK_COMMA));
            expect_close(p, open);
        } else {
            add(p, f, parse_primary(p));
        }
        e = fin(p, f);
    }
    add(p, it, e);
    if (e->kind != SQ_STAR && !(e->kind == SQ_FUNC && e->text[0] == '*') && !at_list_exclude(p)) {
        sqlfe_ast *al = parse_opt_alias(p, 0);
        if (al)
            it->text = al->text;
    }
    return fin(p, it);
}

static sqlfe_ast *clause(P *p, sqlfe_kind k, size_t start, sqlfe_ast *kid)
{
    sqlfe_ast *c = node(p, k, start);
    if (kid)
        add(p, c, kid);
    return fin(p, c);
}

static sqlfe_ast *parse_select(P *p)
{
    sqlfe_ast *s = node(p, SQ_SELECT, cur(p)->start);
    if (!accept_kw(p, "SELECT") && !(p->d == SQLFE_TERADATA && accept_kw(p, "SEL")))
        fail_here(p, "SELECT");
    if (accept_kw(p, "DISTINCT") || accept_kw(p, "UNIQUE") || accept_kw(p, "DISTINCTROW")) {
        s->flags |= SQF_DISTINCT;
        if (is_kw(p, "ON") && at(p, 1)->kind == TK_LPAREN) { /* DISTINCT ON (...) */
            advance(p);
            size_t open = cur(p)->start;
            advance(p);
            sqlfe_ast *l = node(p, SQ_LIST, open);
            parse_expr_list_into(p, l);
            expect_close(p, open);
            add(p, s, fin(p, l));
        }
    } else {
        accept_kw(p, "ALL");
    }
    if (is_kw(p, "TOP") && (at(p, 1)->kind == TK_NUMBER || at(p, 1)->kind == TK_LPAREN || at(p, 1)->kind == TK_PARAM)) {
        sqlfe_ast *top = node(p, SQ_CL_TOP, cur(p)->start);
        advance(p);
        add(p, top, parse_primary(p));
        if (accept_kw(p, "PERCENT"))
            top->flags |= SQF_PERCENT;
        if (is_kw(p, "WITH") && is_kw_at(p, 1, "TIES")) {
            advance(p);
            advance(p);
            top->flags |= SQF_WITH_TIES;
        }
        add(p, s, fin(p, top));
    }
    sqlfe_ast *items = node(p, SQ_CL_ITEMS, cur(p)->start);
    do {
        add(p, items, parse_select_item(p));
    } while (accept(p, TK_COMMA));
    if (at_list_exclude(p)) {
        /* an item SQ_FUNC "EXCLUDE" of the names, last in the list */
        sqlfe_ast *it = node(p, SQ_ITEM, cur(p)->start);
        sqlfe_ast *f = node(p, SQ_FUNC, cur(p)->start);
        f->text = "EXCLUDE";
        advance(p);
        size_t open = cur(p)->start;
        int paren = accept(p, TK_LPAREN);
        do {
            add(p, f, parse_name(p));
        } while (accept(p, TK_COMMA));
        if (paren)
            expect_close(p, open);
        add(p, it, fin(p, f));
        add(p, items, fin(p, it));
    }
    add(p, s, fin(p, items));
    /* clauses, in any order (Teradata accepts several orders), each once */
    for (;;) {
        size_t start = cur(p)->start;
        if ((is_kw(p, "INTO") || (is_kw(p, "BULK") && is_kw_at(p, 1, "COLLECT") && is_kw_at(p, 2, "INTO"))) &&
            !sqlfe_clause(s, SQ_CL_INTO)) {
            if (is_kw(p, "BULK")) {
                advance(p);
                advance(p);
            }
            advance(p);
            sqlfe_ast *into = node(p, SQ_CL_INTO, start);
            if (accept_kw(p, "TEMPORARY") || accept_kw(p, "TEMP")) /* Postgres SELECT .. INTO TEMP t */
                into->flags |= SQF_TEMPORARY;
            accept_kw(p, "TABLE");
            do {
                if (is_tk(p, TK_PARAM)) {
                    add(p, into, leaf(p, SQ_PARAM, cur(p), tok_str(p, cur(p))));
                    advance(p);
                } else {
                    add(p, into, parse_name(p));
                }
            } while (accept(p, TK_COMMA));
            add(p, s, fin(p, into));
        } else if (is_kw(p, "FROM") && !sqlfe_clause(s, SQ_CL_FROM)) {
            advance(p);
            sqlfe_ast *from = node(p, SQ_CL_FROM, start);
            do {
                add(p, from, parse_table_expr(p));
            } while (accept(p, TK_COMMA));
            add(p, s, fin(p, from));
        } else if (is_kw(p, "WHERE") && !sqlfe_clause(s, SQ_CL_WHERE)) {
            advance(p);
            add(p, s, clause(p, SQ_CL_WHERE, start, parse_expr(p)));
        } else if ((is_kw(p, "START") && is_kw_at(p, 1, "WITH")) ||
                   (is_kw(p, "CONNECT") && is_kw_at(p, 1, "BY"))) {
            sqlfe_ast *c = sqlfe_clause(s, SQ_CL_CONNECT);
            if (!c) {
                c = node(p, SQ_CL_CONNECT, start);
                add(p, s, c);
            }
            advance(p);
            advance(p);
            accept_kw(p, "NOCYCLE");
            p->in_connect = 1;
            add(p, c, parse_expr(p));
            p->in_connect = 0;
            fin(p, c);
            if (c->end > s->end)
                s->end = c->end;
        } else if (is_kw(p, "GROUP") && is_kw_at(p, 1, "BY") && !sqlfe_clause(s, SQ_CL_GROUP)) {
            advance(p);
            advance(p);
            sqlfe_ast *g = node(p, SQ_CL_GROUP, start);
            if (!accept_kw(p, "ALL"))
                accept_kw(p, "DISTINCT");
            do {
                add(p, g, parse_group_item(p));
            } while (accept(p, TK_COMMA));
            if (is_kw(p, "WITH") && (is_kw_at(p, 1, "ROLLUP") || is_kw_at(p, 1, "CUBE"))) {
                /* T-SQL, MySQL, Spark: GROUP BY a, b WITH ROLLUP is GROUP BY ROLLUP (a, b) (WITH CUBE:
                 * CUBE); with a grouping construct among the items an empty ROLLUP stays (a hole) */
                advance(p);
                sqlfe_ast *gr = node(p, SQ_GROUPING, cur(p)->start);
                gr->text = tok_upper(p, cur(p));
                advance(p);
                int plain = 1;
                for (int i = 0; i < g->n_kids; i++)
                    plain &= g->kids[i]->kind != SQ_GROUPING && g->kids[i]->kind != SQ_LIST;
                if (plain) {
                    for (int i = 0; i < g->n_kids; i++)
                        add(p, gr, g->kids[i]);
                    gr->start = g->n_kids ? g->kids[0]->start : gr->start;
                    g->n_kids = 0;
                }
                add(p, g, fin(p, gr));
            }
            add(p, s, fin(p, g));
        } else if (is_kw(p, "HAVING") && !sqlfe_clause(s, SQ_CL_HAVING)) {
            advance(p);
            add(p, s, clause(p, SQ_CL_HAVING, start, parse_expr(p)));
        } else if (is_kw(p, "QUALIFY") && !sqlfe_clause(s, SQ_CL_QUALIFY)) {
            advance(p);
            add(p, s, clause(p, SQ_CL_QUALIFY, start, parse_expr(p)));
        } else if (is_kw(p, "WINDOW") && at(p, 1)->kind == TK_IDENT && is_kw_at(p, 2, "AS")) {
            advance(p);
            sqlfe_ast *w = node(p, SQ_CL_WINDOW, start);
            do {
                const tok *nm = cur(p);
                advance(p);
                expect_kw(p, "AS");
                sqlfe_ast *spec = parse_window_spec(p);
                spec->text = tok_str(p, nm);
                add(p, w, spec);
            } while (accept(p, TK_COMMA));
            add(p, s, fin(p, w));
        } else if (is_kw(p, "SAMPLE") && p->d == SQLFE_TERADATA) {
            advance(p);
            sqlfe_ast *sm = node(p, SQ_CL_SAMPLE, start);
            if (accept_kw(p, "WITH"))
                accept_kw(p, "REPLACEMENT");
            if (accept_kw(p, "RANDOMIZED"))
                accept_kw(p, "ALLOCATION");
            do {
                add(p, sm, parse_additive(p));
            } while (accept(p, TK_COMMA));
            add(p, s, fin(p, sm));
        } else {
            break;
        }
    }
    return fin(p, s);
}

static sqlfe_ast *parse_values(P *p)
{
    sqlfe_ast *v = node(p, SQ_VALUES, cur(p)->start);
    expect_kw(p, "VALUES");
    do {
        size_t open = cur(p)->start;
        sqlfe_ast *row = node(p, SQ_LIST, open);
        if (accept(p, TK_LPAREN)) {
            if (!is_tk(p, TK_RPAREN))
                parse_expr_list_into(p, row);
            expect_close(p, open);
        } else {
            add(p, row, parse_expr(p));
        }
        add(p, v, fin(p, row));
    } while (accept(p, TK_COMMA));
    return fin(p, v);
}

static sqlfe_ast *parse_query_primary(P *p)
{
    if (is_tk(p, TK_LPAREN)) {
        size_t open = cur(p)->start;
        advance(p);
        sqlfe_ast *q = parse_query(p);
        expect_close(p, open);
        return q;
    }
    if (is_kw(p, "VALUES"))
        return parse_values(p);
    if (is_kw(p, "TABLE") && at(p, 1)->kind == TK_IDENT) { /* TABLE t */
        sqlfe_ast *s = node(p, SQ_SELECT, cur(p)->start);
        advance(p);
        sqlfe_ast *items = node(p, SQ_CL_ITEMS, cur(p)->start);
        sqlfe_ast *it = node(p, SQ_ITEM, cur(p)->start);
        add(p, it, node(p, SQ_STAR, cur(p)->start));
        add(p, items, it);
        add(p, s, items);
        sqlfe_ast *from = node(p, SQ_CL_FROM, cur(p)->start);
        add(p, from, parse_table_primary(p));
        add(p, s, fin(p, from));
        return fin(p, s);
    }
    return parse_select(p);
}

static sqlfe_ast *parse_intersect(P *p)
{
    sqlfe_ast *l = parse_query_primary(p);
    while (is_kw(p, "INTERSECT")) {
        sqlfe_ast *s = node(p, SQ_SETOP, l->start);
        s->text = "INTERSECT";
        advance(p);
        if (accept_kw(p, "ALL"))
            s->flags |= SQF_ALL;
        else
            accept_kw(p, "DISTINCT");
        add(p, s, l);
        add(p, s, parse_query_primary(p));
        l = fin(p, s);
    }
    return l;
}

static sqlfe_ast *parse_set_expr(P *p)
{
    sqlfe_ast *l = parse_intersect(p);
    while (is_kw(p, "UNION") || is_kw(p, "EXCEPT") || is_kw(p, "MINUS")) {
        sqlfe_ast *s = node(p, SQ_SETOP, l->start);
        s->text = is_kw(p, "UNION") ? "UNION" : "EXCEPT";
        advance(p);
        if (accept_kw(p, "ALL"))
            s->flags |= SQF_ALL;
        else
            accept_kw(p, "DISTINCT");
        add(p, s, l);
        add(p, s, parse_intersect(p));
        l = fin(p, s);
    }
    return l;
}

static sqlfe_ast *parse_with(P *p)
{
    sqlfe_ast *w = node(p, SQ_WITH, cur(p)->start);
    expect_kw(p, "WITH");
    if (accept_kw(p, "RECURSIVE"))
        w->flags |= SQF_RECURSIVE;
    do {
        const tok *t = cur(p);
        if (t->kind != TK_IDENT && t->kind != TK_QIDENT)
            fail_here(p, "a CTE name");
        sqlfe_ast *c = node(p, SQ_CTE, t->start);
        c->text = t->kind == TK_QIDENT ? unquote(p, t) : tok_str(p, t);
        advance(p);
        if (is_tk(p, TK_LPAREN)) {
            size_t open = cur(p)->start;
            advance(p);
            sqlfe_ast *cols = node(p, SQ_LIST, open);
            do {
                add(p, cols, parse_name(p));
            } while (accept(p, TK_COMMA));
            expect_close(p, open);
            add(p, c, fin(p, cols));
        } else {
            add(p, c, node(p, SQ_EMPTY, cur(p)->start));
        }
        expect_kw(p, "AS");
        if (accept_kw(p, "NOT"))
            expect_kw(p, "MATERIALIZED");
        accept_kw(p, "MATERIALIZED");
        size_t open = cur(p)->start;
        expect(p, TK_LPAREN);
        add(p, c, parse_query(p));
        expect_close(p, open);
        add(p, w, fin(p, c));
    } while (accept(p, TK_COMMA));
    return fin(p, w);
}

/* Teradata LOCKING ROW|TABLE t|DATABASE d|VIEW v FOR ACCESS|READ|WRITE [NOWAIT] before a statement. */
static void skip_locking(P *p)
{
    while (is_kw(p, "LOCKING") || (is_kw(p, "LOCK") && p->d == SQLFE_TERADATA)) {
        advance(p);
        if (accept_kw(p, "ROW")) {
        } else if (accept_kw(p, "TABLE") || accept_kw(p, "DATABASE") || accept_kw(p, "VIEW")) {
            parse_name(p);
        } else if (!is_kw(p, "FOR")) {
            parse_name(p);
        }
        expect_kw(p, "FOR");
        advance(p); /* ACCESS / READ / WRITE / EXCLUSIVE */
        accept_kw(p, "MODE");
        accept_kw(p, "NOWAIT");
    }
}

static sqlfe_ast *parse_query(P *p)
{
    enter(p);
    skip_locking(p);
    sqlfe_ast *q = node(p, SQ_QUERY, cur(p)->start);
    if (is_kw(p, "WITH"))
        add(p, q, parse_with(p));
    add(p, q, parse_set_expr(p));
    if (is_kw(p, "ORDER") && is_kw_at(p, 1, "BY"))
        add(p, q, parse_order_by(p));
    for (;;) {
        size_t start = cur(p)->start;
        if (is_kw(p, "LIMIT") && !sqlfe_clause(q, SQ_CL_LIMIT)) {
            advance(p);
            sqlfe_ast *lim = parse_additive(p);
            if (accept(p, TK_COMMA)) { /* LIMIT offset, count */
                add(p, q, clause(p, SQ_CL_OFFSET, start, lim));
                lim = parse_additive(p);
            }
            add(p, q, clause(p, SQ_CL_LIMIT, start, lim));
        } else if (is_kw(p, "OFFSET") && !sqlfe_clause(q, SQ_CL_OFFSET)) {
            advance(p);
            sqlfe_ast *off = parse_additive(p);
            if (!accept_kw(p, "ROWS"))
                accept_kw(p, "ROW");
            add(p, q, clause(p, SQ_CL_OFFSET, start, off));
        } else if (is_kw(p, "FETCH") && (is_kw_at(p, 1, "FIRST") || is_kw_at(p, 1, "NEXT"))) {
            advance(p);
            advance(p);
            sqlfe_ast *f = node(p, SQ_CL_FETCH, start);
            if (is_kw(p, "ROW") || is_kw(p, "ROWS"))
                add(p, f, leaf(p, SQ_NUM, cur(p), "1"));
            else
                add(p, f, parse_additive(p));
            if (accept_kw(p, "PERCENT"))
                f->flags |= SQF_PERCENT;
            if (!accept_kw(p, "ROWS"))
                expect_kw(p, "ROW");
            if (is_kw(p, "WITH") && is_kw_at(p, 1, "TIES")) {
                advance(p);
                advance(p);
                f->flags |= SQF_WITH_TIES;
            } else {
                expect_kw(p, "ONLY");
            }
            add(p, q, fin(p, f));
        } else if (is_kw(p, "FOR") && (is_kw_at(p, 1, "UPDATE") || is_kw_at(p, 1, "READ") ||
                                       is_kw_at(p, 1, "FETCH") || is_kw_at(p, 1, "XML") || is_kw_at(p, 1, "JSON") ||
                                       is_kw_at(p, 1, "BROWSE"))) {
            /* FOR UPDATE [OF ..] [NOWAIT], FOR READ ONLY, FOR FETCH ONLY, FOR XML PATH(..): skipped */
            advance(p);
            int depth = 0;
            while (!is_tk(p, TK_EOF) && !(depth == 0 && (is_tk(p, TK_RPAREN) || is_tk(p, TK_SEMI)))) {
                if (is_tk(p, TK_LPAREN))
                    depth++;
                else if (is_tk(p, TK_RPAREN))
                    depth--;
                advance(p);
            }
        } else if (is_kw(p, "WITH") && p->d == SQLFE_DB2 &&
                   (is_kw_at(p, 1, "UR") || is_kw_at(p, 1, "CS") || is_kw_at(p, 1, "RS") || is_kw_at(p, 1, "RR"))) {
            advance(p);
            advance(p);
        } else if (is_kw(p, "OPTION") && at(p, 1)->kind == TK_LPAREN && p->d == SQLFE_TSQL) {
            advance(p);
            int depth = 0;
            do {
                if (is_tk(p, TK_LPAREN))
                    depth++;
                else if (is_tk(p, TK_RPAREN))
                    depth--;
                advance(p);
            } while (depth > 0 && !is_tk(p, TK_EOF));
        } else {
            break;
        }
    }
    leave(p);
    return fin(p, q);
}

/* ---- statements ---- */

static sqlfe_ast *parse_target_table(P *p)
{
    size_t start = cur(p)->start;
    sqlfe_ast *nm = parse_name(p);
    sqlfe_ast *t = node(p, SQ_TABLE, start);
    t->text = nm->text;
    t->flags |= nm->flags & SQF_QUOTED;
    t->end = nm->end;
    /* a partition or sample of the table a statement changes narrows the rows it changes */
    if (skip_table_hints(p))
        fail(p, t->start, "a change restricted to a PARTITION or TABLESAMPLE of the table is not read as a set statement");
    return t;
}

static sqlfe_ast *parse_name_list(P *p)
{
    size_t open = cur(p)->start;
    sqlfe_ast *l = node(p, SQ_LIST, open);
    expect(p, TK_LPAREN);
    do {
        add(p, l, parse_name(p));
    } while (accept(p, TK_COMMA));
    expect_close(p, open);
    return fin(p, l);
}

static sqlfe_ast *parse_set_clause(P *p)
{
    sqlfe_ast *s = node(p, SQ_SET, cur(p)->start);
    expect_kw(p, "SET");
    do {
        sqlfe_ast *a = node(p, SQ_ASSIGN, cur(p)->start);
        if (is_tk(p, TK_LPAREN))
            add(p, a, parse_name_list(p));
        else if (is_tk(p, TK_PARAM)) {
            add(p, a, leaf(p, SQ_PARAM, cur(p), tok_str(p, cur(p))));
            advance(p);
        } else
            add(p, a, parse_name(p));
        if (!accept(p, TK_EQ)) {
            /* T-SQL compound assignment += -= */
            if ((is_tk(p, TK_PLUS) || is_tk(p, TK_MINUS) || is_tk(p, TK_STAR) || is_tk(p, TK_SLASH)) &&
                at(p, 1)->kind == TK_EQ) {
                advance(p);
                advance(p);
            } else {
                fail_here(p, "'='");
            }
        }
        add(p, a, parse_expr(p));
        add(p, s, fin(p, a));
    } while (accept(p, TK_COMMA));
    return fin(p, s);
}

/* T-SQL OUTPUT select-list [INTO @var | table [(columns)]], once or twice (OUTPUT ... INTO t OUTPUT ...),
 * in INSERT (before the rows), UPDATE (after SET), DELETE (after the table) and MERGE (after the
 * WHEN clauses). The clause returns or writes the changed rows, which no set-based job does: it is
 * kept in the tree (SQ_CL_OUTPUT) so the frontend keeps the statement as a hole. */
static void parse_output(P *p, sqlfe_ast *stmt)
{
    while (p->d == SQLFE_TSQL && is_kw(p, "OUTPUT")) {
        sqlfe_ast *o = node(p, SQ_CL_OUTPUT, cur(p)->start);
        advance(p);
        sqlfe_ast *items = node(p, SQ_CL_ITEMS, cur(p)->start);
        do {
            add(p, items, parse_select_item(p));
        } while (accept(p, TK_COMMA));
        add(p, o, fin(p, items));
        if (accept_kw(p, "INTO")) {
            size_t start = cur(p)->start;
            sqlfe_ast *nm = parse_name(p);
            sqlfe_ast *t = node(p, SQ_TABLE, start);
            t->text = nm->text;
            t->flags |= nm->flags & SQF_QUOTED;
            add(p, o, fin(p, t));
            if (is_tk(p, TK_LPAREN))
                add(p, o, parse_name_list(p));
        }
        add(p, stmt, fin(p, o));
    }
}

/* T-SQL OPTION (query hints) after a statement: they tune the plan only. */
static void skip_option_hints(P *p)
{
    if (p->d != SQLFE_TSQL || !is_kw(p, "OPTION") || at(p, 1)->kind != TK_LPAREN)
        return;
    advance(p);
    int depth = 0;
    do {
        if (is_tk(p, TK_LPAREN))
            depth++;
        else if (is_tk(p, TK_RPAREN))
            depth--;
        advance(p);
    } while (depth > 0 && !is_tk(p, TK_EOF));
}

static sqlfe_ast *parse_insert(P *p)
{
    sqlfe_ast *ins = node(p, SQ_INSERT, cur(p)->start);
    if (!accept_kw(p, "INSERT"))
        expect_kw(p, "INS");
    if (accept_kw(p, "OVERWRITE"))
        ins->flags |= SQF_OVERWRITE;
    accept_kw(p, "INTO");
    accept_kw(p, "TABLE");
    add(p, ins, parse_target_table(p));
    if (!(is_kw(p, "DEFAULT") && is_kw_at(p, 1, "VALUES")))
        parse_opt_alias(p, 0);
    if (is_tk(p, TK_LPAREN) && (at(p, 1)->kind == TK_IDENT || at(p, 1)->kind == TK_QIDENT) &&
        (at(p, 2)->kind == TK_COMMA || at(p, 2)->kind == TK_RPAREN || at(p, 2)->kind == TK_DOT) && !query_start(p, 1))
        add(p, ins, parse_name_list(p));
    else
        add(p, ins, node(p, SQ_EMPTY, cur(p)->start));
    sqlfe_ast *out = node(p, SQ_EMPTY, cur(p)->start);
    parse_output(p, out);
    if (is_kw(p, "DEFAULT") && is_kw_at(p, 1, "VALUES")) {
        advance(p);
        advance(p);
        add(p, ins, node(p, SQ_VALUES, cur(p)->start));
    } else if (is_kw(p, "VALUES")) {
        add(p, ins, parse_values(p));
    } else if (is_tk(p, TK_LPAREN) && p->d == SQLFE_TERADATA && !query_start(p, 1)) {
        /* Teradata INSERT INTO t (1, 'a'): values without VALUES */
        sqlfe_ast *v = node(p, SQ_VALUES, cur(p)->start);
        size_t open = cur(p)->start;
        advance(p);
        sqlfe_ast *row = node(p, SQ_LIST, open);
        parse_expr_list_into(p, row);
        expect_close(p, open);
        /* INSERT INTO t (c1 = v1, c2 = v2): the columns named with their values */
        int named = row->n_kids > 0 && ins->kids[1]->kind == SQ_EMPTY;
        for (int k = 0; named && k < row->n_kids; k++) {
            const sqlfe_ast *x = row->kids[k];
            named = x->kind == SQ_BINARY && x->text && strcmp(x->text, "=") == 0 && x->kids[0]->kind == SQ_NAME &&
                    !strchr(x->kids[0]->text, '.');
        }
        if (named) {
            sqlfe_ast *cols = node(p, SQ_LIST, open);
            for (int k = 0; k < row->n_kids; k++) {
                add(p, cols, row->kids[k]->kids[0]);
                row->kids[k] = row->kids[k]->kids[1];
            }
            cols->end = row->end;
            ins->kids[1] = cols;
        }
        add(p, v, fin(p, row));
        add(p, ins, fin(p, v));
    } else {
        add(p, ins, parse_query(p));
    }
    /* the OUTPUT clause goes after the three fixed kids */
    for (int k = 0; k < out->n_kids; k++)
        add(p, ins, out->kids[k]);
    skip_option_hints(p);
    return fin(p, ins);
}

/* The FROM (or USING) list of an UPDATE or DELETE: the keyword, then tables separated by commas. */
static sqlfe_ast *parse_dml_from(P *p)
{
    size_t start = cur(p)->start;
    advance(p);
    sqlfe_ast *from = node(p, SQ_CL_FROM, start);
    do {
        add(p, from, parse_table_expr(p));
    } while (accept(p, TK_COMMA));
    return fin(p, from);
}

/* The WHERE clause of an UPDATE or DELETE. WHERE CURRENT OF names the row a cursor stands on:
 * procedural, and without it the statement would touch every row, so it is never read as a set
 * statement. */
static sqlfe_ast *parse_dml_where(P *p)
{
    size_t start = cur(p)->start;
    advance(p);
    if (is_kw(p, "CURRENT") && is_kw_at(p, 1, "OF"))
        fail(p, cur(p)->start, "WHERE CURRENT OF (a cursor-positioned change) is procedural code, not a set statement");
    return clause(p, SQ_CL_WHERE, start, parse_expr(p));
}

static sqlfe_ast *parse_update(P *p)
{
    sqlfe_ast *u = node(p, SQ_UPDATE, cur(p)->start);
    if (!accept_kw(p, "UPDATE"))
        expect_kw(p, "UPD");
    sqlfe_ast *t = parse_target_table(p);
    sqlfe_ast *al = parse_opt_alias(p, 0);
    if (al)
        add(p, t, al);
    add(p, u, fin(p, t));
    /* Teradata: UPDATE t FROM a, b SET ... */
    if (is_kw(p, "FROM")) {
        sqlfe_ast *from = parse_dml_from(p);
        add(p, u, parse_set_clause(p));
        add(p, u, from);
    } else {
        add(p, u, parse_set_clause(p));
        parse_output(p, u);
        if (is_kw(p, "FROM"))
            add(p, u, parse_dml_from(p));
    }
    if (is_kw(p, "WHERE"))
        add(p, u, parse_dml_where(p));
    skip_option_hints(p);
    if (accept_kw(p, "ELSE")) { /* Teradata upsert: UPDATE ... ELSE INSERT ... */
        add(p, u, parse_insert(p));
    }
    return fin(p, u);
}

static sqlfe_ast *parse_delete(P *p)
{
    sqlfe_ast *d = node(p, SQ_DELETE, cur(p)->start);
    if (!accept_kw(p, "DELETE"))
        expect_kw(p, "DEL");
    if (is_kw(p, "TOP")) /* DELETE TOP (n): n arbitrary rows; no set statement means that */
        fail(p, cur(p)->start, "DELETE TOP (n) deletes arbitrary rows; it has no set-based equivalent");
    int had_from = accept_kw(p, "FROM");
    sqlfe_ast *t = parse_target_table(p);
    sqlfe_ast *al = (!is_kw(p, "ALL")) ? parse_opt_alias(p, 0) : NULL;
    if (al)
        add(p, t, al);
    add(p, d, fin(p, t));
    parse_output(p, d);
    if (is_kw(p, "FROM") || is_kw(p, "USING") || (!had_from && is_tk(p, TK_COMMA)))
        add(p, d, parse_dml_from(p));
    if (is_kw(p, "WHERE"))
        add(p, d, parse_dml_where(p));
    accept_kw(p, "ALL"); /* Teradata DELETE t ALL */
    skip_option_hints(p);
    return fin(p, d);
}

static sqlfe_ast *parse_merge(P *p)
{
    sqlfe_ast *m = node(p, SQ_MERGE, cur(p)->start);
    expect_kw(p, "MERGE");
    if (is_kw(p, "TOP")) {
        advance(p);
        parse_primary(p);
    }
    accept_kw(p, "INTO");
    sqlfe_ast *t = parse_target_table(p);
    sqlfe_ast *al = is_kw(p, "USING") ? NULL : parse_opt_alias(p, 0);
    if (al)
        add(p, t, al);
    add(p, m, fin(p, t));
    expect_kw(p, "USING");
    add(p, m, parse_table_primary(p));
    sqlfe_ast *on = node(p, SQ_ON, cur(p)->start);
    expect_kw(p, "ON");
    add(p, on, parse_expr(p));
    add(p, m, fin(p, on));
    while (is_kw(p, "WHEN")) {
        sqlfe_ast *w = node(p, SQ_WHEN, cur(p)->start);
        advance(p);
        if (accept_kw(p, "NOT"))
            w->flags |= SQF_NOT;
        expect_kw(p, "MATCHED");
        w->flags |= SQF_MATCHED;
        if (accept_kw(p, "BY")) {
            if (accept_kw(p, "SOURCE"))
                w->flags |= SQF_BY_SOURCE;
            else
                expect_kw(p, "TARGET");
        }
        if (accept_kw(p, "AND"))
            add(p, w, parse_expr(p));
        else
            add(p, w, node(p, SQ_EMPTY, cur(p)->start));
        expect_kw(p, "THEN");
        if (is_kw(p, "UPDATE") || is_kw(p, "UPD")) {
            sqlfe_ast *a = node(p, SQ_MERGE_UPDATE, cur(p)->start);
            advance(p);
            add(p, a, parse_set_clause(p));
            if (is_kw(p, "WHERE")) {
                size_t start = cur(p)->start;
                advance(p);
                add(p, a, clause(p, SQ_CL_WHERE, start, parse_expr(p)));
            }
            if (is_kw(p, "DELETE") && is_kw_at(p, 1, "WHERE")) {
                /* Oracle: the updated rows that then meet the condition are deleted: a
                 * SQ_MERGE_DELETE kid holding its WHERE */
                size_t start = cur(p)->start;
                sqlfe_ast *d = node(p, SQ_MERGE_DELETE, start);
                advance(p);
                size_t wstart = cur(p)->start;
                advance(p);
                add(p, d, clause(p, SQ_CL_WHERE, wstart, parse_expr(p)));
                add(p, a, fin(p, d));
            }
            add(p, w, fin(p, a));
        } else if (is_kw(p, "INSERT") || is_kw(p, "INS")) {
            sqlfe_ast *a = node(p, SQ_MERGE_INSERT, cur(p)->start);
            advance(p);
            if (is_tk(p, TK_LPAREN))
                add(p, a, parse_name_list(p));
            else
                add(p, a, node(p, SQ_EMPTY, cur(p)->start));
            if (is_kw(p, "DEFAULT")) {
                advance(p);
                expect_kw(p, "VALUES");
                add(p, a, node(p, SQ_LIST, cur(p)->start));
            } else {
                accept_kw(p, "VALUES");
                size_t open = cur(p)->start;
                expect(p, TK_LPAREN);
                sqlfe_ast *vals = node(p, SQ_LIST, open);
                parse_expr_list_into(p, vals);
                expect_close(p, open);
                add(p, a, fin(p, vals));
            }
            if (is_kw(p, "WHERE")) {
                size_t start = cur(p)->start;
                advance(p);
                add(p, a, clause(p, SQ_CL_WHERE, start, parse_expr(p)));
            }
            add(p, w, fin(p, a));
        } else if (is_kw(p, "DELETE") || is_kw(p, "DEL")) {
            sqlfe_ast *a = node(p, SQ_MERGE_DELETE, cur(p)->start);
            advance(p);
            add(p, w, fin(p, a));
        } else {
            fail_here(p, "UPDATE, INSERT or DELETE");
        }
        add(p, m, fin(p, w));
    }
    parse_output(p, m);
    skip_option_hints(p);
    return fin(p, m);
}

/* Skips to the ',' or ')' that ends a column definition or constraint, at depth 0. */
static void skip_to_item_end(P *p)
{
    int depth = 0;
    while (!is_tk(p, TK_EOF)) {
        if (depth == 0 && (is_tk(p, TK_COMMA) || is_tk(p, TK_RPAREN)))
            return;
        if (is_tk(p, TK_LPAREN))
            depth++;
        else if (is_tk(p, TK_RPAREN))
            depth--;
        advance(p);
    }
}

static sqlfe_ast *parse_create(P *p)
{
    size_t start = cur(p)->start;
    uint32_t fl = 0;
    if (accept_kw(p, "CREATE")) {
        if (accept_kw(p, "OR")) {
            if (!accept_kw(p, "ALTER")) /* T-SQL CREATE OR ALTER: replaces an existing object too */
                expect_kw(p, "REPLACE");
            fl |= SQF_OR_REPLACE;
        }
    } else {
        expect_kw(p, "REPLACE"); /* Teradata REPLACE VIEW */
        fl |= SQF_OR_REPLACE;
    }
    /* modifiers */
    for (;;) {
        if (accept_kw(p, "GLOBAL") || accept_kw(p, "LOCAL") || accept_kw(p, "SECURE") || accept_kw(p, "FORCE") ||
            accept_kw(p, "NOFORCE") || accept_kw(p, "MULTISET") || accept_kw(p, "TRANSIENT") ||
            accept_kw(p, "UNLOGGED") || accept_kw(p, "MATERIALIZED") || accept_kw(p, "RECURSIVE") ||
            accept_kw(p, "EXTERNAL") || accept_kw(p, "PRIVATE") || accept_kw(p, "SHARDED") ||
            accept_kw(p, "DUPLICATED") || accept_kw(p, "IMMUTABLE") || accept_kw(p, "BLOCKCHAIN") ||
            accept_kw(p, "EDITIONABLE") || accept_kw(p, "NONEDITIONABLE")) {
        } else if (accept_kw(p, "TEMPORARY") || accept_kw(p, "TEMP") || accept_kw(p, "VOLATILE")) {
            fl |= SQF_TEMPORARY;
        } else if (is_kw(p, "SET") && is_kw_at(p, 1, "TABLE")) {
            advance(p);
        } else {
            break;
        }
    }
    if (accept_kw(p, "VIEW")) {
        sqlfe_ast *v = node(p, SQ_CREATE_VIEW, start);
        v->flags = fl;
        if (is_kw(p, "IF")) {
            advance(p);
            expect_kw(p, "NOT");
            expect_kw(p, "EXISTS");
        }
        v->text = parse_name(p)->text;
        if (is_tk(p, TK_LPAREN)) {
            size_t open = cur(p)->start;
            advance(p);
            sqlfe_ast *cols = node(p, SQ_LIST, open);
            do {
                add(p, cols, parse_name(p));
                skip_to_item_end(p); /* column comments / constraints */
            } while (accept(p, TK_COMMA));
            expect_close(p, open);
            add(p, v, fin(p, cols));
        } else {
            add(p, v, node(p, SQ_EMPTY, cur(p)->start));
        }
        /* WITH SCHEMABINDING, COMMENT = '..', COPY GRANTS, ... up to AS */
        while (!is_kw(p, "AS") && !is_tk(p, TK_EOF))
            advance(p);
        expect_kw(p, "AS");
        add(p, v, parse_query(p));
        /* WITH CHECK OPTION, WITH READ ONLY */
        while (!is_tk(p, TK_EOF))
            advance(p);
        return fin(p, v);
    }
    if (!accept_kw(p, "TABLE"))
        fail_here(p, "TABLE or VIEW");
    sqlfe_ast *t = node(p, SQ_CREATE_TABLE, start);
    t->flags = fl;
    if (is_kw(p, "IF")) {
        advance(p);
        expect_kw(p, "NOT");
        expect_kw(p, "EXISTS");
        t->flags |= SQF_IF_EXISTS;
    }
    t->text = parse_name(p)->text;
    if (p->d == SQLFE_ORACLE && is_kw(p, "OF") && at(p, 1)->kind != TK_EOF) {
        /* Oracle object table CREATE TABLE t OF type [(constraints)] [options]: the columns are the
           type's, which the script declares elsewhere */
        while (!is_tk(p, TK_EOF))
            advance(p);
        return fin(p, t);
    }
    /* Teradata table options between the name and the columns: , NO FALLBACK, ... */
    while (is_tk(p, TK_COMMA)) {
        advance(p);
        while (!is_tk(p, TK_COMMA) && !is_tk(p, TK_LPAREN) && !is_kw(p, "AS") && !is_tk(p, TK_EOF))
            advance(p);
    }
    if (is_tk(p, TK_LPAREN) && !query_start(p, 1)) {
        size_t open = cur(p)->start;
        advance(p);
        int only_names = 1;
        do {
            const tok *c = cur(p);
            if (is_tk(p, TK_RPAREN) && t->n_kids > 0)
                break; /* a trailing comma, which T-SQL accepts */
            if (is_kw(p, "CONSTRAINT") || is_kw(p, "PRIMARY") || is_kw(p, "UNIQUE") || is_kw(p, "FOREIGN") ||
                is_kw(p, "CHECK") || is_kw(p, "INDEX") || is_kw(p, "KEY") || is_kw(p, "PERIOD") ||
                is_kw(p, "LIKE") || is_kw(p, "EXCLUDE")) {
                sqlfe_ast *k = node(p, SQ_CONSTRAINT, c->start);
                skip_to_item_end(p);
                fin(p, k);
                k->text = arena_strndup(p->a, p->text + k->start, k->end - k->start);
                add(p, t, k);
                only_names = 0;
                continue;
            }
            sqlfe_ast *cd = node(p, SQ_COLDEF, c->start);
            cd->text = parse_name(p)->text;
            if (is_kw(p, "AS") && p->d == SQLFE_TSQL) { /* a computed column: name AS expr [PERSISTED] */
                only_names = 0;
                skip_to_item_end(p);
            } else if (!is_tk(p, TK_COMMA) && !is_tk(p, TK_RPAREN)) {
                only_names = 0;
                add(p, cd, parse_type(p));
                /* constraints and attributes: NOT NULL, PRIMARY KEY, DEFAULT x, identity ... */
                int depth = 0;
                while (!is_tk(p, TK_EOF) && !(depth == 0 && (is_tk(p, TK_COMMA) || is_tk(p, TK_RPAREN)))) {
                    if (is_kw(p, "DEFAULT") && depth == 0) {
                        /* DEFAULT expr: its text, up to the next attribute (lowered later; a
                         * form that is not an expression becomes a hole there, not an error here) */
                        advance(p);
                        sqlfe_ast *df = node(p, SQ_DEFAULT, cur(p)->start);
                        int dd = 0;
                        while (!is_tk(p, TK_EOF) &&
                               !(dd == 0 && (is_tk(p, TK_COMMA) || is_tk(p, TK_RPAREN) || is_kw(p, "NOT") ||
                                             is_kw(p, "NULL") || is_kw(p, "PRIMARY") || is_kw(p, "CONSTRAINT") ||
                                             is_kw(p, "UNIQUE") || is_kw(p, "CHECK") || is_kw(p, "REFERENCES") ||
                                             is_kw(p, "COLLATE") || is_kw(p, "IDENTITY") || is_kw(p, "GENERATED") ||
                                             is_kw(p, "COMMENT") || is_kw(p, "ON")))) {
                            if (is_tk(p, TK_LPAREN))
                                dd++;
                            else if (is_tk(p, TK_RPAREN))
                                dd--;
                            advance(p);
                        }
                        fin(p, df);
                        if (df->end > df->start) {
                            df->text = arena_strndup(p->a, p->text + df->start, df->end - df->start);
                            add(p, cd, df);
                        }
                        continue;
                    }
                    if (is_kw(p, "NOT") && is_kw_at(p, 1, "NULL") && depth == 0)
                        cd->flags |= SQF_NOT_NULL;
                    if (is_kw(p, "PRIMARY") && depth == 0)
                        cd->flags |= SQF_PRIMARY;
                    if (is_tk(p, TK_LPAREN))
                        depth++;
                    else if (is_tk(p, TK_RPAREN))
                        depth--;
                    advance(p);
                }
            }
            add(p, t, fin(p, cd));
        } while (accept(p, TK_COMMA));
        expect_close(p, open);
        if (only_names && is_kw(p, "AS")) { /* CREATE TABLE t (a, b) AS SELECT */
            sqlfe_ast *cols = node(p, SQ_LIST, open);
            for (int k = 0; k < t->n_kids; k++) {
                sqlfe_ast *nm = node(p, SQ_NAME, t->kids[k]->start);
                nm->text = t->kids[k]->text;
                add(p, cols, nm);
            }
            t->n_kids = 0;
            add(p, t, fin(p, cols));
        }
    }
    /* Teradata/Snowflake options before AS; DB2 LIKE t; AS query; options after (skipped) */
    while (!is_tk(p, TK_EOF) && !is_kw(p, "AS"))
        advance(p);
    if (p->d == SQLFE_TSQL && is_kw(p, "AS") && (is_kw_at(p, 1, "NODE") || is_kw_at(p, 1, "EDGE")) &&
        at(p, 2)->kind == TK_EOF) {
        advance(p); /* SQL Server graph tables: CREATE TABLE t (...) AS NODE | AS EDGE */
        advance(p);
        return fin(p, t);
    }
    if (accept_kw(p, "AS")) {
        if (t->n_kids == 0 || t->kids[0]->kind != SQ_LIST)
            add(p, t, node(p, SQ_EMPTY, cur(p)->start));
        if (is_tk(p, TK_LPAREN)) {
            size_t open = cur(p)->start;
            advance(p);
            add(p, t, parse_query(p));
            expect_close(p, open);
        } else {
            add(p, t, parse_query(p));
        }
        /* WITH [NO] DATA, PRIMARY INDEX (...), ON COMMIT ...: skipped */
        while (!is_tk(p, TK_EOF))
            advance(p);
    }
    return fin(p, t);
}

static sqlfe_ast *parse_drop(P *p)
{
    sqlfe_ast *d = node(p, SQ_DROP, cur(p)->start);
    expect_kw(p, "DROP");
    while (accept_kw(p, "MATERIALIZED") || accept_kw(p, "TEMPORARY") || accept_kw(p, "EXTERNAL")) {
    }
    if (cur(p)->kind != TK_IDENT)
        fail_here(p, "an object kind");
    d->text = tok_upper(p, cur(p));
    advance(p);
    if (is_kw(p, "IF") && is_kw_at(p, 1, "EXISTS")) {
        advance(p);
        advance(p);
        d->flags |= SQF_IF_EXISTS;
    }
    add(p, d, parse_name(p));
    while (accept(p, TK_COMMA))
        add(p, d, parse_name(p));
    while (!is_tk(p, TK_EOF)) /* CASCADE CONSTRAINTS, PURGE, ON t ... */
        advance(p);
    return fin(p, d);
}

static sqlfe_ast *parse_truncate(P *p)
{
    sqlfe_ast *t = node(p, SQ_TRUNCATE, cur(p)->start);
    expect_kw(p, "TRUNCATE");
    accept_kw(p, "TABLE");
    add(p, t, parse_target_table(p));
    while (!is_tk(p, TK_EOF)) /* DROP STORAGE, IMMEDIATE, REUSE STORAGE ... */
        advance(p);
    return fin(p, t);
}

static sqlfe_ast *parse_statement(P *p)
{
    skip_locking(p);
    if (is_kw(p, "WITH")) {
        /* WITH ... INSERT/UPDATE/DELETE/MERGE (T-SQL) or a query */
        int save = p->i;
        sqlfe_ast *w = parse_with(p);
        if (is_kw(p, "INSERT") || is_kw(p, "UPDATE") || is_kw(p, "DELETE") || is_kw(p, "MERGE")) {
            sqlfe_ast *s = is_kw(p, "INSERT")   ? parse_insert(p)
                           : is_kw(p, "UPDATE") ? parse_update(p)
                           : is_kw(p, "DELETE") ? parse_delete(p)
                                                : parse_merge(p);
            add(p, s, w);
            return s;
        }
        p->i = save;
        return parse_query(p);
    }
    if (query_start(p, 0) || is_tk(p, TK_LPAREN))
        return parse_query(p);
    if (is_kw(p, "INSERT") || is_kw(p, "INS"))
        return parse_insert(p);
    if (is_kw(p, "UPDATE") || is_kw(p, "UPD"))
        return parse_update(p);
    if (is_kw(p, "DELETE") || is_kw(p, "DEL"))
        return parse_delete(p);
    if (is_kw(p, "MERGE"))
        return parse_merge(p);
    if (is_kw(p, "CREATE") || is_kw(p, "REPLACE"))
        return parse_create(p);
    if (is_kw(p, "DROP"))
        return parse_drop(p);
    if (is_kw(p, "TRUNCATE"))
        return parse_truncate(p);
    fail_here(p, "a statement");
}

sqlfe_ast *sqlfe_parse_tokens(arena *a, const char *text, const tok *toks, int n, sqlfe_dialect d,
                              int line_base, const char **err, size_t *err_off)
{
    P p;
    memset(&p, 0, sizeof p);
    p.line_base = line_base;
    p.a = a;
    p.text = text;
    p.t = toks;
    p.n = n;
    p.d = d;
    /* a trailing ';' belongs to nobody */
    while (p.n > 0 && toks[p.n - 1].kind == TK_SEMI)
        p.n--;
    if (setjmp(p.jb) != 0) {
        *err = p.err;
        *err_off = p.err_off;
        return NULL;
    }
    for (int k = 0; k < p.n; k++) {
        if (toks[k].kind == TK_ERROR) {
            const char *why = "unterminated string, quoted name or comment";
            char c = text[toks[k].start];
            if (c == '/')
                why = "unterminated comment";
            else if (c == '\'' || c == 'N' || c == 'n' || c == 'q' || c == 'Q' || c == 'X' || c == 'x')
                why = "unterminated string";
            else if (c == '"' || c == '[' || c == '`')
                why = "unterminated quoted name";
            fail(&p, toks[k].start, "%s", why);
        }
    }
    sqlfe_ast *s = parse_statement(&p);
    if (p.i < p.n) {
        const tok *t = cur(&p);
        fail(&p, t->start, "unexpected %s after the end of the statement", tok_desc(&p, t));
    }
    *err = NULL;
    *err_off = 0;
    return s;
}

sqlfe_ast *sqlfe_parse_statement(arena *a, const char *text, size_t len, sqlfe_dialect d, const char **err,
                                 size_t *err_off)
{
    tok *toks;
    int n = sqlfe_tokenize(a, text, len, d, &toks, NULL);
    return sqlfe_parse_tokens(a, text, toks, n, d, 1, err, err_off);
}

/* ---- tree utilities ---- */

sqlfe_ast *sqlfe_clause(const sqlfe_ast *n, sqlfe_kind kind)
{
    if (!n)
        return NULL;
    for (int i = 0; i < n->n_kids; i++)
        if (n->kids[i] && n->kids[i]->kind == kind)
            return n->kids[i];
    return NULL;
}

static const char *const kind_names[SQ__KINDS] = {
    "name", "star", "num", "str", "null", "true", "false", "param", "typed", "interval", "unary", "binary",
    "is", "between", "in", "like", "exists", "quantified", "subquery", "case", "cast", "type", "call",
    "extract", "trim", "over", "partition", "frame", "within_group", "filter", "list", "empty", "named_arg",
    "query", "with", "cte", "setop", "select", "values", "top", "items", "item", "from", "table", "alias",
    "derived", "table_fn", "join", "on", "using", "where", "group", "having", "qualify", "window", "connect",
    "sample", "into", "grouping", "order", "order_item", "limit", "offset", "fetch", "insert", "update", "set",
    "assign", "delete", "merge", "when", "merge_update", "merge_insert", "merge_delete", "create_table",
    "coldef", "constraint", "create_view", "drop", "truncate", "output", "lambda", "default",
};

const char *sqlfe_kind_name(sqlfe_kind k)
{
    return (int)k >= 0 && k < SQ__KINDS ? kind_names[k] : "?";
}

static void put_atom(strbuf *sb, const char *s)
{
    int plain = *s != 0;
    for (const char *c = s; *c; c++)
        if (*c == ' ' || *c == '(' || *c == ')' || *c == '"' || *c == '\'' || *c == '\n' || *c == '\t')
            plain = 0;
    if (plain) {
        sb_puts(sb, s);
        return;
    }
    sb_putc(sb, '"');
    for (const char *c = s; *c; c++) {
        if (*c == '"' || *c == '\\')
            sb_putc(sb, '\\');
        if (*c == '\n')
            sb_puts(sb, "\\n");
        else
            sb_putc(sb, *c);
    }
    sb_putc(sb, '"');
}

static void put_flags(strbuf *sb, uint32_t f)
{
    static const char *const names[] = {
        "quoted", "outer_plus", "national", "not", "else", "distinct", "star", "noparens", "recursive", "all",
        "desc", "nulls_first", "nulls_last", "natural", "lateral", "percent", "with_ties", "or_replace",
        "temporary", "if_exists", "matched", "by_source", "not_null", "primary", "overwrite", "apply", "only", "ignore_nulls",
    };
    for (unsigned b = 0; b < sizeof names / sizeof names[0]; b++) {
        /* quoted, national and else are visible in the printed form already */
        if ((f & (1u << b)) && b != 0 && b != 2 && b != 4 && b != 1) {
            sb_puts(sb, " :");
            sb_puts(sb, names[b]);
        }
    }
}

void sqlfe_ast_to_sexpr(strbuf *sb, const sqlfe_ast *n)
{
    if (!n) {
        sb_puts(sb, "()");
        return;
    }
    switch (n->kind) {
    case SQ_NAME:
        if (n->flags & SQF_QUOTED) {
            sb_putc(sb, '"');
            sb_puts(sb, n->text);
            sb_putc(sb, '"');
        } else {
            sb_puts(sb, n->text);
        }
        if (n->flags & SQF_OUTER_PLUS)
            sb_puts(sb, "(+)");
        return;
    case SQ_STAR:
        if (n->text) {
            sb_puts(sb, n->text);
            sb_putc(sb, '.');
        }
        sb_putc(sb, '*');
        return;
    case SQ_NUM:
    case SQ_PARAM:
        sb_puts(sb, n->text);
        return;
    case SQ_STR:
        if (n->flags & SQF_NATIONAL)
            sb_putc(sb, 'N');
        sb_put_sql_string(sb, n->text);
        return;
    case SQ_NULL: sb_puts(sb, "NULL"); return;
    case SQ_TRUE: sb_puts(sb, "TRUE"); return;
    case SQ_FALSE: sb_puts(sb, "FALSE"); return;
    case SQ_EMPTY: sb_puts(sb, "_"); return;
    case SQ_QUERY:
        if (n->n_kids == 1) { /* a query with only a body prints as the body */
            sqlfe_ast_to_sexpr(sb, n->kids[0]);
            return;
        }
        break;
    default:
        break;
    }
    sb_putc(sb, '(');
    if (n->kind == SQ_BINARY || n->kind == SQ_UNARY) {
        sb_puts(sb, n->text);
    } else {
        sb_puts(sb, kind_names[n->kind]);
        if (n->text) {
            sb_putc(sb, ' ');
            put_atom(sb, n->text);
        }
    }
    put_flags(sb, n->flags);
    for (int i = 0; i < n->n_kids; i++) {
        sb_putc(sb, ' ');
        sqlfe_ast_to_sexpr(sb, n->kids[i]);
    }
    sb_putc(sb, ')');
}
