/*
 * abi_lex.c — the tokenizer of DML and of the DML expression/transform language, and the small
 * helpers both parsers share (look-ahead, messages with file:line:col). The lexical rules are the
 * C-like ones the reference lists [C]: slash-star and // comments, "…" and '…' strings with C
 * escapes, C operators plus `::` and `:N:` (the latter left to the parser as ':' NUMBER ':').
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontends/abinitio/abi_internal.h"

void abi_lex_init(abi_lexer *lx, const char *text, size_t len)
{
    lx->text = text;
    lx->len = len;
    lx->pos = 0;
}

static abi_tok mk(abi_tok_kind k, size_t start, size_t len)
{
    abi_tok t;
    memset(&t, 0, sizeof t);
    t.kind = k;
    t.start = start;
    t.len = len;
    return t;
}

abi_tok abi_lex_next(abi_lexer *lx)
{
    const char *s = lx->text;
    size_t n = lx->len;
    for (;;) {
        while (lx->pos < n && (isspace((unsigned char)s[lx->pos]) || s[lx->pos] == '\0'))
            lx->pos++;
        if (lx->pos + 1 < n && s[lx->pos] == '/' && s[lx->pos + 1] == '/') {
            while (lx->pos < n && s[lx->pos] != '\n')
                lx->pos++;
            continue;
        }
        if (lx->pos + 1 < n && s[lx->pos] == '/' && s[lx->pos + 1] == '*') {
            size_t start = lx->pos;
            lx->pos += 2;
            while (lx->pos + 1 < n && !(s[lx->pos] == '*' && s[lx->pos + 1] == '/'))
                lx->pos++;
            if (lx->pos + 1 >= n) {
                lx->pos = n;
                abi_tok t = mk(ABI_K_ERROR, start, 2);
                t.msg = "unterminated comment";
                return t;
            }
            lx->pos += 2;
            continue;
        }
        break;
    }
    size_t st = lx->pos;
    if (st >= n)
        return mk(ABI_K_EOF, n, 0);
    unsigned char c = (unsigned char)s[st];
    if (isalpha(c) || c == '_') {
        size_t e = st + 1;
        while (e < n && (isalnum((unsigned char)s[e]) || s[e] == '_' || s[e] == '#'))
            e++;
        lx->pos = e;
        return mk(ABI_K_IDENT, st, e - st);
    }
    if (isdigit(c)) {
        size_t e = st;
        int dec = 0, dbl = 0;
        while (e < n && isdigit((unsigned char)s[e]))
            e++;
        if (e + 1 < n && s[e] == '.' && isdigit((unsigned char)s[e + 1])) {
            dec = 1;
            e++;
            while (e < n && isdigit((unsigned char)s[e]))
                e++;
        }
        if (e < n && (s[e] == 'e' || s[e] == 'E')) {
            size_t f = e + 1;
            if (f < n && (s[f] == '+' || s[f] == '-'))
                f++;
            if (f < n && isdigit((unsigned char)s[f])) {
                dbl = 1;
                e = f;
                while (e < n && isdigit((unsigned char)s[e]))
                    e++;
            }
        }
        lx->pos = e;
        abi_tok t = mk(ABI_K_NUMBER, st, e - st);
        t.is_decimal = dec;
        t.is_double = dbl;
        return t;
    }
    if (c == '"' || c == '\'') {
        size_t e = st + 1;
        while (e < n && s[e] != (char)c && s[e] != '\n') {
            if (s[e] == '\\' && e + 1 < n)
                e++;
            e++;
        }
        if (e >= n || s[e] != (char)c) {
            lx->pos = e;
            abi_tok t = mk(ABI_K_ERROR, st, 1);
            t.msg = "unterminated string";
            return t;
        }
        lx->pos = e + 1;
        return mk(ABI_K_STRING, st, e + 1 - st);
    }
    if (c == '$') {
        size_t e = st + 1;
        if (e < n && s[e] == '{') {
            while (e < n && s[e] != '}' && s[e] != '\n')
                e++;
            if (e < n && s[e] == '}')
                e++;
        } else {
            while (e < n && (isalnum((unsigned char)s[e]) || s[e] == '_'))
                e++;
        }
        lx->pos = e;
        return mk(ABI_K_PARAM, st, e - st);
    }
    char d = st + 1 < n ? s[st + 1] : 0;
    abi_tok_kind k = ABI_K_OTHER;
    size_t l = 1;
    switch (c) {
    case '(': k = ABI_K_LPAREN; break;
    case ')': k = ABI_K_RPAREN; break;
    case '[': k = ABI_K_LBRACK; break;
    case ']': k = ABI_K_RBRACK; break;
    case '{': k = ABI_K_LBRACE; break;
    case '}': k = ABI_K_RBRACE; break;
    case ',': k = ABI_K_COMMA; break;
    case ';': k = ABI_K_SEMI; break;
    case '.': k = ABI_K_DOT; break;
    case '?': k = ABI_K_QUESTION; break;
    case ':':
        if (d == ':') { k = ABI_K_DCOLON; l = 2; } else k = ABI_K_COLON;
        break;
    case '=':
        if (d == '=') { k = ABI_K_EQ; l = 2; } else k = ABI_K_ASSIGN;
        break;
    case '!':
        if (d == '=') { k = ABI_K_NE; l = 2; }
        else if (d == '~') { k = ABI_K_NMATCH; l = 2; }
        else k = ABI_K_NOT;
        break;
    case '<':
        if (d == '=') { k = ABI_K_LE; l = 2; } else if (d == '>') { k = ABI_K_NE; l = 2; } else k = ABI_K_LT;
        break;
    case '>':
        if (d == '=') { k = ABI_K_GE; l = 2; } else k = ABI_K_GT;
        break;
    case '&':
        if (d == '&') { k = ABI_K_ANDAND; l = 2; }
        break;
    case '|':
        if (d == '|') { k = ABI_K_OROR; l = 2; }
        break;
    case '+': case '-': case '*': case '/': case '%':
        if (d == '=') { k = ABI_K_OPASSIGN; l = 2; break; }
        k = c == '+' ? ABI_K_PLUS : c == '-' ? ABI_K_MINUS : c == '*' ? ABI_K_STAR : c == '/' ? ABI_K_SLASH
                                                                                            : ABI_K_PERCENT;
        break;
    default:
        break;
    }
    lx->pos = st + l;
    return mk(k, st, l);
}

char *abi_unescape(arena *a, const char *b, size_t n)
{
    char *out = arena_alloc(a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != '\\' || i + 1 >= n) {
            out[o++] = b[i];
            continue;
        }
        char c = b[++i];
        switch (c) {
        case 'n': out[o++] = '\n'; break;
        case 't': out[o++] = '\t'; break;
        case 'r': out[o++] = '\r'; break;
        case 'x': {
            int v = 0, k = 0;
            while (k < 2 && i + 1 < n && isxdigit((unsigned char)b[i + 1])) {
                char h = b[++i];
                v = v * 16 + (isdigit((unsigned char)h) ? h - '0' : (tolower((unsigned char)h) - 'a' + 10));
                k++;
            }
            out[o++] = (char)v;
            break;
        }
        default:
            if (c >= '0' && c <= '7') {
                int v = c - '0', k = 1;
                while (k < 3 && i + 1 < n && b[i + 1] >= '0' && b[i + 1] <= '7') {
                    v = v * 8 + (b[++i] - '0');
                    k++;
                }
                out[o++] = (char)v;
            } else {
                out[o++] = c;
            }
        }
    }
    out[o] = 0;
    return out;
}

/* ---- parser helpers ---- */

void abi_next(abi_parser *p)
{
    p->prev_end = p->tok.start + p->tok.len;
    p->tok = abi_lex_next(&p->lx);
    while (p->tok.kind == ABI_K_ERROR) {
        abi_error_at(p, p->tok.start, "%s", p->tok.msg);
        p->tok = abi_lex_next(&p->lx);
    }
}

abi_tok abi_peek(abi_parser *p)
{
    abi_lexer c = p->lx;
    return abi_lex_next(&c);
}

abi_tok abi_peek2(abi_parser *p)
{
    abi_lexer c = p->lx;
    abi_lex_next(&c);
    return abi_lex_next(&c);
}

int abi_is_word(abi_parser *p, abi_tok t, const char *w)
{
    return t.kind == ABI_K_IDENT && strlen(w) == t.len && memcmp(p->text + t.start, w, t.len) == 0;
}

int abi_accept(abi_parser *p, abi_tok_kind k)
{
    if (p->tok.kind != k)
        return 0;
    abi_next(p);
    return 1;
}

char *abi_tok_text(abi_parser *p, abi_tok t)
{
    return arena_strndup(p->a, p->text + t.start, t.len);
}

char *abi_text_range(abi_parser *p, size_t start, size_t end)
{
    return arena_strndup(p->a, p->text + start, end > start ? end - start : 0);
}

const char *abi_tok_desc(abi_parser *p, abi_tok t)
{
    if (t.kind == ABI_K_EOF)
        return "end of file";
    size_t n = t.len > 40 ? 40 : t.len;
    return arena_printf(p->a, "'%.*s%s'", (int)n, p->text + t.start, t.len > 40 ? "..." : "");
}

void abi_line_col(abi_parser *p, size_t off, int *line, int *col)
{
    srcfile_line_col(p->file, off, line, col);
}

int abi_line_of(abi_parser *p, size_t off)
{
    int l, c;
    abi_line_col(p, off, &l, &c);
    return l;
}

static void report(abi_parser *p, diag_level lv, size_t off, const char *fmt, va_list ap)
{
    if (!p->dc)
        return;
    int l, c;
    abi_line_col(p, off, &l, &c);
    diag_vat(p->dc, lv, p->file, p->path, l, c, fmt, ap);
}

void abi_error_at(abi_parser *p, size_t off, const char *fmt, ...)
{
    p->n_errors++;
    va_list ap;
    va_start(ap, fmt);
    report(p, DIAG_ERROR, off, fmt, ap);
    va_end(ap);
}

void abi_warn_at(abi_parser *p, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(p, DIAG_WARNING, off, fmt, ap);
    va_end(ap);
}
