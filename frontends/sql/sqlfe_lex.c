/*
 * sqlfe_lex.c — the SQL tokenizer. One pass over the bytes, no allocation per token: a token is a
 * kind and a byte range. Dialects differ in what quotes a name ([x] in T-SQL), which variables
 * exist (@x in T-SQL, &x in SQL*Plus, ${x} in shell-wrapped BTEQ), nested block comments (T-SQL,
 * Snowflake) and BTEQ dot-command lines (Teradata). Keywords are not tokens of their own: the
 * parser compares identifiers case-insensitively, because nearly every keyword is also a valid
 * name somewhere.
 */
#include <ctype.h>
#include <string.h>

#include "frontends/sql/sqlfe_internal.h"

void sqlfe_lex_init(sqlfe_lexer *lx, const char *text, size_t len, sqlfe_dialect d)
{
    lx->text = text;
    lx->len = len;
    lx->pos = 0;
    lx->d = d;
    lx->at_bol = 1;
    lx->error = NULL;
}

static int is_ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int is_ident_char(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$' || c == '#';
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static tok make(tk_kind k, size_t start, size_t end, uint32_t flags)
{
    tok t = {k, flags, (uint32_t)start, (uint32_t)(end - start)};
    return t;
}

/* Skips blanks and comments; returns 0, or -1 at an unterminated block comment (pos at its start). */
static int skip_space(sqlfe_lexer *lx)
{
    const char *s = lx->text;
    size_t n = lx->len;
    while (lx->pos < n) {
        unsigned char c = (unsigned char)s[lx->pos];
        if (c == '\n') {
            lx->at_bol = 1;
            lx->pos++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            lx->pos++;
        } else if (c == '-' && lx->pos + 1 < n && s[lx->pos + 1] == '-') {
            while (lx->pos < n && s[lx->pos] != '\n')
                lx->pos++;
        } else if (c == '/' && lx->pos + 1 < n && s[lx->pos + 1] == '*') {
            int nests = lx->d == SQLFE_TSQL || lx->d == SQLFE_SNOWFLAKE;
            int depth = 1;
            size_t i = lx->pos + 2;
            while (i < n && depth > 0) {
                if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
                    depth--;
                    i += 2;
                } else if (nests && s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
                    depth++;
                    i += 2;
                } else {
                    if (s[i] == '\n')
                        lx->at_bol = 1;
                    i++;
                }
            }
            if (depth > 0)
                return -1;
            lx->pos = i;
        } else if (c == '/' && lx->pos + 1 < n && s[lx->pos + 1] == '/' && lx->d == SQLFE_SNOWFLAKE) {
            while (lx->pos < n && s[lx->pos] != '\n')
                lx->pos++;
        } else if (c == 0xEF && lx->pos + 2 < n && (unsigned char)s[lx->pos + 1] == 0xBB &&
                   (unsigned char)s[lx->pos + 2] == 0xBF) {
            lx->pos += 3; /* UTF-8 byte order mark */
        } else {
            break;
        }
    }
    return 0;
}

/* A Spark or Snowflake string: closed by `close`, a backslash escapes the next byte (and a doubled close is one,
 * as Spark also reads 'it''s'). Returns the end (after the close) or 0 when unterminated. */
static size_t scan_backslash_quoted(const sqlfe_lexer *lx, size_t i, char close)
{
    const char *s = lx->text;
    while (i < lx->len) {
        if (s[i] == '\\' && i + 1 < lx->len) {
            i += 2;
            continue;
        }
        if (s[i] == close) {
            if (i + 1 < lx->len && s[i + 1] == close) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i++;
    }
    return 0;
}

/* A quoted run closed by `close`, where a doubled close is an escaped one. Returns the end (after
 * the close) or 0 when unterminated. */
static size_t scan_quoted(const sqlfe_lexer *lx, size_t i, char close)
{
    const char *s = lx->text;
    while (i < lx->len) {
        if (s[i] == close) {
            if (i + 1 < lx->len && s[i + 1] == close) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i++;
    }
    return 0;
}

static tok lex_error(sqlfe_lexer *lx, size_t start, const char *why, uint32_t flags)
{
    lx->error = why;
    lx->pos = lx->len;
    return make(TK_ERROR, start, lx->len, flags);
}

tok sqlfe_lex_next(sqlfe_lexer *lx)
{
    size_t comment_start = lx->pos;
    if (skip_space(lx) < 0) {
        /* find where the comment opened, for the message */
        const char *s = lx->text;
        size_t i = lx->pos;
        (void)comment_start;
        return lex_error(lx, i, "unterminated comment", (s[i] == '/') ? 0 : 0);
    }
    const char *s = lx->text;
    size_t n = lx->len, i = lx->pos;
    uint32_t fl = lx->at_bol ? TKF_BOL : 0;
    lx->at_bol = 0;
    if (i >= n)
        return make(TK_EOF, n, n, fl);
    unsigned char c = (unsigned char)s[i];
    unsigned char c1 = i + 1 < n ? (unsigned char)s[i + 1] : 0;

    /* BTEQ dot-command: the whole line */
    if (c == '.' && (fl & TKF_BOL) && lx->d == SQLFE_TERADATA && is_ident_start(c1)) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        lx->pos = e;
        return make(TK_DOTCMD, i, e, fl);
    }
    /* N'..', X'..', Q'..' string prefixes */
    if ((c == 'N' || c == 'n' || c == 'X' || c == 'x' || c == 'B' || c == 'b' || c == 'E' || c == 'e') &&
        c1 == '\'') {
        size_t e = scan_quoted(lx, i + 2, '\'');
        if (!e)
            return lex_error(lx, i, "unterminated string", fl);
        lx->pos = e;
        uint32_t f = (c == 'N' || c == 'n') ? TKF_NATIONAL : (c == 'X' || c == 'x') ? TKF_HEX
                   : (c == 'B' || c == 'b') ? TKF_BITS : 0;
        return make(TK_STRING, i, e, fl | f);
    }
    if ((c == 'Q' || c == 'q' || ((c == 'N' || c == 'n') && (c1 == 'q' || c1 == 'Q'))) && lx->d == SQLFE_ORACLE) {
        size_t q = (c == 'N' || c == 'n') ? i + 1 : i;
        if (q + 2 < n && s[q + 1] == '\'') {
            char open = s[q + 2], close = open;
            if (open == '[') close = ']';
            else if (open == '{') close = '}';
            else if (open == '(') close = ')';
            else if (open == '<') close = '>';
            size_t e = q + 3;
            while (e + 1 < n && !(s[e] == close && s[e + 1] == '\''))
                e++;
            if (e + 1 >= n)
                return lex_error(lx, i, "unterminated q'' string", fl);
            lx->pos = e + 2;
            return make(TK_STRING, i, e + 2, fl | TKF_QQUOTE);
        }
    }
    if (is_ident_start(c)) {
        size_t e = i + 1;
        while (e < n && is_ident_char((unsigned char)s[e]))
            e++;
        lx->pos = e;
        return make(TK_IDENT, i, e, fl);
    }
    if (is_digit(c) || (c == '.' && is_digit(c1))) {
        size_t e = i;
        if (c == '0' && (c1 == 'x' || c1 == 'X')) {
            e = i + 2;
            while (e < n && (is_digit((unsigned char)s[e]) || (s[e] >= 'a' && s[e] <= 'f') ||
                             (s[e] >= 'A' && s[e] <= 'F')))
                e++;
            lx->pos = e;
            return make(TK_NUMBER, i, e, fl);
        }
        while (e < n && is_digit((unsigned char)s[e]))
            e++;
        if (e < n && s[e] == '.' && !(e + 1 < n && s[e + 1] == '.')) {
            e++;
            while (e < n && is_digit((unsigned char)s[e]))
                e++;
        }
        if (e < n && (s[e] == 'e' || s[e] == 'E')) {
            size_t k = e + 1;
            if (k < n && (s[k] == '+' || s[k] == '-'))
                k++;
            if (k < n && is_digit((unsigned char)s[k])) {
                while (k < n && is_digit((unsigned char)s[k]))
                    k++;
                e = k;
            }
        }
        if (lx->d == SQLFE_SPARK && e < n) {
            /* Spark literal suffixes: 1.5D double, 2F float, 3L bigint, 4S smallint, 5Y tinyint,
             * 6BD decimal (only when no letter or digit follows) */
            size_t k = e;
            if ((s[k] == 'B' || s[k] == 'b') && k + 1 < n && (s[k + 1] == 'D' || s[k + 1] == 'd'))
                k += 2;
            else if (strchr("DdFfLlSsYy", s[k]))
                k += 1;
            if (k > e && !(k < n && (isalnum((unsigned char)s[k]) || s[k] == '_')))
                e = k;
        }
        if (lx->d == SQLFE_ORACLE && e < n && strchr("DdFf", s[e]) &&
            !(e + 1 < n && (isalnum((unsigned char)s[e + 1]) || s[e + 1] == '_')))
            e++; /* Oracle 2.5F (BINARY_FLOAT) and 2.5D (BINARY_DOUBLE) */
        lx->pos = e;
        return make(TK_NUMBER, i, e, fl);
    }
    switch (c) {
    case '\'': {
        if (lx->d == SQLFE_SPARK || lx->d == SQLFE_SNOWFLAKE) { /* both read backslash escapes */
            size_t e = scan_backslash_quoted(lx, i + 1, '\'');
            if (!e)
                return lex_error(lx, i, "unterminated string", fl);
            lx->pos = e;
            return make(TK_STRING, i, e, fl | TKF_BACKSLASH);
        }
        size_t e = scan_quoted(lx, i + 1, '\'');
        if (!e)
            return lex_error(lx, i, "unterminated string", fl);
        /* Teradata hexadecimal literals: '0A'XB, '41'XC, 'FF'XF */
        if (lx->d == SQLFE_TERADATA && e + 1 < n && (s[e] == 'X' || s[e] == 'x') &&
            strchr("BbCcFfIiVv", s[e + 1]) && !(e + 2 < n && is_ident_char((unsigned char)s[e + 2])))
            e += 2;
        lx->pos = e;
        return make(TK_STRING, i, e, fl);
    }
    case '"': {
        if (lx->d == SQLFE_SPARK) { /* Spark: "..." is a string literal (names are quoted with `..`) */
            size_t e = scan_backslash_quoted(lx, i + 1, '"');
            if (!e)
                return lex_error(lx, i, "unterminated string", fl);
            lx->pos = e;
            return make(TK_STRING, i, e, fl | TKF_BACKSLASH);
        }
        size_t e = scan_quoted(lx, i + 1, '"');
        if (!e)
            return lex_error(lx, i, "unterminated quoted name", fl);
        lx->pos = e;
        return make(TK_QIDENT, i, e, fl);
    }
    case '`': {
        size_t e = scan_quoted(lx, i + 1, '`');
        if (!e)
            return lex_error(lx, i, "unterminated quoted name", fl);
        lx->pos = e;
        return make(TK_QIDENT, i, e, fl);
    }
    case '[':
        if (lx->d == SQLFE_TSQL) {
            size_t e = scan_quoted(lx, i + 1, ']');
            if (!e)
                return lex_error(lx, i, "unterminated [name]", fl);
            lx->pos = e;
            return make(TK_QIDENT, i, e, fl);
        }
        lx->pos = i + 1;
        return make(TK_LBRACKET, i, i + 1, fl);
    case ':':
        if (c1 == ':') {
            lx->pos = i + 2;
            return make(TK_DCOLON, i, i + 2, fl);
        }
        if (c1 == '=') {
            lx->pos = i + 2;
            return make(TK_ASSIGN, i, i + 2, fl);
        }
        /* :name host variables; not in T-SQL, which has @variables and uses ':' in JSON_OBJECT('k':v);
           in Snowflake and Databricks a ':' right after a value is a path into a semi-structured
           value (v:a.b, t.col:"x"[0]), so a ':' glued to a name, quoted name, ']' or ')' is a colon */
        int path = (lx->d == SQLFE_SNOWFLAKE || lx->d == SQLFE_SPARK) && i > 0 &&
                   (is_ident_char((unsigned char)s[i - 1]) || s[i - 1] == '"' || s[i - 1] == ']' ||
                    s[i - 1] == ')' || s[i - 1] == '`' || s[i - 1] == '\'');
        if ((is_ident_start(c1) || is_digit(c1) || c1 == '"') && lx->d != SQLFE_TSQL && !path) {
            size_t e = i + 1;
            if (c1 == '"') {
                e = scan_quoted(lx, i + 2, '"');
                if (!e)
                    return lex_error(lx, i, "unterminated quoted name", fl);
            } else {
                while (e < n && is_ident_char((unsigned char)s[e]))
                    e++;
            }
            lx->pos = e;
            return make(TK_PARAM, i, e, fl);
        }
        lx->pos = i + 1;
        return make(TK_COLON, i, i + 1, fl);
    case '?':
        lx->pos = i + 1;
        return make(TK_PARAM, i, i + 1, fl);
    case '$':
        /* Snowflake/Spark $$ .. $$: a dollar-quoted string (procedure bodies), unless $$NAME (a parameter) */
        if ((lx->d == SQLFE_SNOWFLAKE || lx->d == SQLFE_SPARK) && c1 == '$' &&
            !(i + 2 < n && is_ident_start((unsigned char)s[i + 2]))) {
            size_t e = i + 2;
            while (e + 1 < n && !(s[e] == '$' && s[e + 1] == '$'))
                e++;
            if (e + 1 >= n)
                return lex_error(lx, i, "unterminated $$ string", fl);
            lx->pos = e + 2;
            return make(TK_STRING, i, e + 2, fl | TKF_DOLLAR);
        }
        if (lx->d == SQLFE_SNOWFLAKE && is_digit(c1)) { /* $1: a column of a staged file by position */
            size_t e = i + 1;
            while (e < n && is_digit((unsigned char)s[e]))
                e++;
            lx->pos = e;
            return make(TK_PARAM, i, e, fl);
        }
        if (c1 == '$' || c1 == '{' || is_ident_start(c1)) {
            size_t e = i + 1;
            if (c1 == '{') {
                while (e < n && s[e] != '}' && s[e] != '\n')
                    e++;
                if (e < n && s[e] == '}')
                    e++;
            } else {
                if (c1 == '$')
                    e++;
                while (e < n && is_ident_char((unsigned char)s[e]))
                    e++;
            }
            lx->pos = e;
            return make(TK_PARAM, i, e, fl);
        }
        break;
    case '@':
        if (lx->d == SQLFE_TSQL && (c1 == '@' || is_ident_start(c1))) {
            size_t e = i + 1;
            if (c1 == '@')
                e++;
            while (e < n && is_ident_char((unsigned char)s[e]))
                e++;
            lx->pos = e;
            return make(TK_PARAM, i, e, fl);
        }
        lx->pos = i + 1;
        return make(TK_AT, i, i + 1, fl);
    case '#':
        if (lx->d == SQLFE_TSQL && (c1 == '#' || is_ident_start(c1))) { /* #temp, ##global */
            size_t e = i + 1;
            while (e < n && is_ident_char((unsigned char)s[e]))
                e++;
            lx->pos = e;
            return make(TK_IDENT, i, e, fl);
        }
        break;
    case '&':
        if (lx->d == SQLFE_ORACLE && (c1 == '&' || is_ident_start(c1))) {
            size_t e = i + 1;
            if (c1 == '&')
                e++;
            while (e < n && is_ident_char((unsigned char)s[e]))
                e++;
            if (e < n && s[e] == '.') /* &var. ends the name */
                e++;
            lx->pos = e;
            return make(TK_PARAM, i, e, fl);
        }
        lx->pos = i + 1;
        return make(TK_AMP, i, i + 1, fl);
    default:
        break;
    }
    if (c == '-' && c1 == '>' && (lx->d == SQLFE_SPARK || lx->d == SQLFE_SNOWFLAKE || lx->d == SQLFE_ANSI)) {
        lx->pos = i + 2;
        return make(TK_LAMBDA, i, i + 2, fl);
    }
    /* punctuation */
    static const struct {
        const char *s;
        tk_kind k;
    } ops[] = {
        {"<=>", TK_NSEQ}, {"||", TK_CONCAT}, {"<>", TK_NE}, {"!=", TK_NE}, {"^=", TK_NE}, {"~=", TK_NE}, {"<=", TK_LE},
        {">=", TK_GE}, {"=>", TK_ARROW}, {"(", TK_LPAREN}, {")", TK_RPAREN}, {",", TK_COMMA},
        {";", TK_SEMI}, {".", TK_DOT}, {"]", TK_RBRACKET}, {"{", TK_LBRACE}, {"}", TK_RBRACE},
        {"+", TK_PLUS}, {"-", TK_MINUS}, {"*", TK_STAR}, {"/", TK_SLASH}, {"%", TK_PERCENT},
        {"=", TK_EQ}, {"<", TK_LT}, {">", TK_GT}, {"&", TK_AMP}, {"|", TK_PIPE}, {"^", TK_CARET},
        {"~", TK_TILDE}, {"!", TK_BANG}, {"@", TK_AT},
    };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t m = strlen(ops[k].s);
        if (i + m <= n && memcmp(s + i, ops[k].s, m) == 0) {
            lx->pos = i + m;
            return make(ops[k].k, i, i + m, fl);
        }
    }
    /* anything else (a stray byte): one token, the parser reports it */
    lx->pos = i + 1;
    return make(TK_OTHER, i, i + 1, fl);
}

int sqlfe_tokenize(arena *a, const char *text, size_t len, sqlfe_dialect d, tok **out, int *n_errors)
{
    sqlfe_lexer lx;
    sqlfe_lex_init(&lx, text, len, d);
    /* a first guess of the count keeps regrowth rare: about one token per 5 bytes */
    size_t cap = len / 4 + 16, n = 0;
    tok *v = arena_alloc(a, cap * sizeof *v);
    int errs = 0;
    for (;;) {
        tok t = sqlfe_lex_next(&lx);
        if (n + 1 >= cap) {
            v = arena_grow(a, v, n, cap * 2, sizeof *v);
            cap *= 2;
        }
        if (n > 0 && (t.flags & TKF_BOL))
            v[n - 1].flags |= TKF_EOL;
        v[n++] = t;
        if (t.kind == TK_ERROR)
            errs++;
        if (t.kind == TK_EOF || t.kind == TK_ERROR)
            break;
    }
    if (v[n - 1].kind == TK_ERROR) { /* always end in EOF */
        v[n] = make(TK_EOF, len, len, 0);
        n++;
    }
    if (n >= 2)
        v[n - 2].flags |= TKF_EOL;
    if (n_errors)
        *n_errors = errs;
    *out = v;
    return (int)n - 1;
}
