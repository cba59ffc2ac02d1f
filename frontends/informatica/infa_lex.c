/*
 * infa_lex.c — tokenizer of the Informatica expression language. Knows comments (-- and // to the
 * end of the line), single-quoted strings with '' as the escape, numbers, names, $$parameters,
 * $built-in variables, :LKP./:SP. call prefixes and the operators. Names are not classified here:
 * whether FOO is a keyword, a function or a port is the parser's business.
 */
#include "frontends/informatica/infa_lex.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

void infa_lex_init(infa_lexer *lx, const char *text, size_t len)
{
    lx->text = text;
    lx->len = len;
    lx->pos = 0;
}

static int at(const infa_lexer *lx, size_t i)
{
    return i < lx->len ? (unsigned char)lx->text[i] : 0;
}

static int is_name_start(int c)
{
    return isalpha(c) || c == '_';
}

/* Port names are letters, digits and underscores; # and @ appear in generated names and in
 * built-in variables such as $PMTargetName@numAffectedRows. */
static int is_name_char(int c)
{
    return isalnum(c) || c == '_' || c == '#' || c == '@' || c == '$';
}

static void skip_blanks_and_comments(infa_lexer *lx)
{
    for (;;) {
        int c = at(lx, lx->pos);
        if (c && isspace(c)) {
            lx->pos++;
        } else if ((c == '-' && at(lx, lx->pos + 1) == '-') || (c == '/' && at(lx, lx->pos + 1) == '/')) {
            while (lx->pos < lx->len && lx->text[lx->pos] != '\n')
                lx->pos++;
        } else {
            return;
        }
    }
}

static infa_tok make(infa_tok_kind k, size_t start, size_t end)
{
    infa_tok t;
    memset(&t, 0, sizeof t);
    t.kind = k;
    t.start = start;
    t.len = end - start;
    return t;
}

static infa_tok lex_number(infa_lexer *lx)
{
    size_t s = lx->pos, p = lx->pos;
    int dec = 0, dbl = 0;
    while (isdigit(at(lx, p)))
        p++;
    if (at(lx, p) == '.') {
        dec = 1;
        p++;
        while (isdigit(at(lx, p)))
            p++;
    }
    if ((at(lx, p) == 'e' || at(lx, p) == 'E') &&
        (isdigit(at(lx, p + 1)) || ((at(lx, p + 1) == '+' || at(lx, p + 1) == '-') && isdigit(at(lx, p + 2))))) {
        dbl = 1;
        p += 2;
        while (isdigit(at(lx, p)))
            p++;
    }
    lx->pos = p;
    infa_tok t = make(INFA_T_NUMBER, s, p);
    t.is_decimal = dec;
    t.is_double = dbl;
    if (is_name_start(at(lx, p))) {
        t.kind = INFA_T_ERROR;
        t.msg = "malformed number";
        while (is_name_char(at(lx, lx->pos)))
            lx->pos++;
        t.len = lx->pos - s;
    }
    return t;
}

infa_tok infa_lex_next(infa_lexer *lx)
{
    skip_blanks_and_comments(lx);
    size_t s = lx->pos;
    int c = at(lx, s);
    if (lx->pos >= lx->len || c == 0)
        return make(INFA_T_EOF, s, s);

    if (isdigit(c) || (c == '.' && isdigit(at(lx, s + 1))))
        return lex_number(lx);

    if (is_name_start(c)) {
        size_t p = s + 1;
        while (is_name_char(at(lx, p)))
            p++;
        lx->pos = p;
        return make(INFA_T_IDENT, s, p);
    }

    if (c == '\'') {
        size_t p = s + 1;
        for (;;) {
            if (p >= lx->len) {
                lx->pos = lx->len;
                infa_tok t = make(INFA_T_ERROR, s, lx->len);
                t.msg = "unterminated string literal";
                return t;
            }
            if (lx->text[p] == '\'') {
                if (at(lx, p + 1) == '\'') {
                    p += 2;
                    continue;
                }
                break;
            }
            p++;
        }
        lx->pos = p + 1;
        return make(INFA_T_STRING, s, p + 1);
    }

    if (c == '$') {
        int two = at(lx, s + 1) == '$';
        size_t p = s + (two ? 2 : 1);
        if (!is_name_start(at(lx, p))) {
            lx->pos = p;
            infa_tok t = make(INFA_T_ERROR, s, p);
            t.msg = two ? "expected a parameter name after '$$'" : "expected a variable name after '$'";
            return t;
        }
        while (is_name_char(at(lx, p)))
            p++;
        lx->pos = p;
        return make(two ? INFA_T_PARAM : INFA_T_VAR, s, p);
    }

    if (c == ':') {
        size_t p = s + 1;
        size_t ks = p;
        while (isalpha(at(lx, p)))
            p++;
        size_t klen = p - ks;
        infa_tok_kind k = INFA_T_ERROR;
        if (klen == 3 && strncasecmp(lx->text + ks, "LKP", 3) == 0)
            k = INFA_T_LKP;
        else if (klen == 2 && strncasecmp(lx->text + ks, "SP", 2) == 0)
            k = INFA_T_SP;
        if (k != INFA_T_ERROR && at(lx, p) == '.' && is_name_start(at(lx, p + 1))) {
            p++;
            while (is_name_char(at(lx, p)))
                p++;
            lx->pos = p;
            return make(k, s, p);
        }
        lx->pos = p > s + 1 ? p : s + 1;
        infa_tok t = make(INFA_T_ERROR, s, lx->pos);
        t.msg = "expected :LKP.name or :SP.name";
        return t;
    }

    lx->pos = s + 1;
    int n = at(lx, s + 1);
    switch (c) {
    case '(': return make(INFA_T_LPAREN, s, s + 1);
    case ')': return make(INFA_T_RPAREN, s, s + 1);
    case ',': return make(INFA_T_COMMA, s, s + 1);
    case '+': return make(INFA_T_PLUS, s, s + 1);
    case '-': return make(INFA_T_MINUS, s, s + 1);
    case '*': return make(INFA_T_STAR, s, s + 1);
    case '/': return make(INFA_T_SLASH, s, s + 1);
    case '%': return make(INFA_T_PERCENT, s, s + 1);
    case '=': return make(INFA_T_EQ, s, s + 1);
    case '|':
        if (n == '|') {
            lx->pos = s + 2;
            return make(INFA_T_CONCAT, s, s + 2);
        }
        break;
    case '<':
        if (n == '>' || n == '=') {
            lx->pos = s + 2;
            return make(n == '>' ? INFA_T_NE : INFA_T_LE, s, s + 2);
        }
        return make(INFA_T_LT, s, s + 1);
    case '>':
        if (n == '=') {
            lx->pos = s + 2;
            return make(INFA_T_GE, s, s + 2);
        }
        return make(INFA_T_GT, s, s + 1);
    case '!':
    case '^':
        if (n == '=') {
            lx->pos = s + 2;
            return make(INFA_T_NE, s, s + 2);
        }
        break;
    default:
        break;
    }
    infa_tok t = make(INFA_T_ERROR, s, s + 1);
    t.msg = "unexpected character";
    return t;
}

const char *infa_tok_kind_name(infa_tok_kind k)
{
    switch (k) {
    case INFA_T_EOF: return "end of expression";
    case INFA_T_ERROR: return "invalid token";
    case INFA_T_NUMBER: return "a number";
    case INFA_T_STRING: return "a string";
    case INFA_T_IDENT: return "a name";
    case INFA_T_PARAM: return "a parameter";
    case INFA_T_VAR: return "a variable";
    case INFA_T_LKP: return ":LKP";
    case INFA_T_SP: return ":SP";
    case INFA_T_LPAREN: return "'('";
    case INFA_T_RPAREN: return "')'";
    case INFA_T_COMMA: return "','";
    case INFA_T_PLUS: return "'+'";
    case INFA_T_MINUS: return "'-'";
    case INFA_T_STAR: return "'*'";
    case INFA_T_SLASH: return "'/'";
    case INFA_T_PERCENT: return "'%'";
    case INFA_T_CONCAT: return "'||'";
    case INFA_T_EQ: return "'='";
    case INFA_T_NE: return "'<>'";
    case INFA_T_LT: return "'<'";
    case INFA_T_LE: return "'<='";
    case INFA_T_GT: return "'>'";
    case INFA_T_GE: return "'>='";
    }
    return "token";
}
