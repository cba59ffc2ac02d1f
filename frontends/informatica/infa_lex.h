/*
 * infa_lex.h — internal: the tokenizer of the Informatica expression language, shared by
 * infa_expr.c only. Tokens are produced on demand (one at a time) so nothing is allocated for
 * them; a lexer state is a small value that the parser copies to look ahead.
 */
#ifndef ETLPORT_FRONTENDS_INFORMATICA_INFA_LEX_H
#define ETLPORT_FRONTENDS_INFORMATICA_INFA_LEX_H

#include <stddef.h>

typedef enum {
    INFA_T_EOF,
    INFA_T_ERROR,   /* a lexical error; infa_tok.msg says which */
    INFA_T_NUMBER,  /* 12, 1.5, .5, 1e3 */
    INFA_T_STRING,  /* 'text' with '' for a quote; the token spans the quotes */
    INFA_T_IDENT,   /* a port, function, keyword or constant name */
    INFA_T_PARAM,   /* $$NAME (mapping parameter or variable) */
    INFA_T_VAR,     /* $NAME: built-in variables such as $PMSessionName */
    INFA_T_LKP,     /* :LKP.name */
    INFA_T_SP,      /* :SP.name */
    INFA_T_LPAREN, INFA_T_RPAREN, INFA_T_COMMA,
    INFA_T_PLUS, INFA_T_MINUS, INFA_T_STAR, INFA_T_SLASH, INFA_T_PERCENT,
    INFA_T_CONCAT,  /* || */
    INFA_T_EQ,      /* = */
    INFA_T_NE,      /* <> != ^= */
    INFA_T_LT, INFA_T_LE, INFA_T_GT, INFA_T_GE,
} infa_tok_kind;

typedef struct infa_tok {
    infa_tok_kind kind;
    size_t start, len; /* byte range in the expression text */
    const char *msg;   /* INFA_T_ERROR: what is wrong */
    int is_double;     /* INFA_T_NUMBER: has an exponent */
    int is_decimal;    /* INFA_T_NUMBER: has a decimal point */
} infa_tok;

typedef struct infa_lexer {
    const char *text;
    size_t len;
    size_t pos;
} infa_lexer;

void infa_lex_init(infa_lexer *lx, const char *text, size_t len);
/* The next token; comments (-- and // to end of line) and blanks are skipped. */
infa_tok infa_lex_next(infa_lexer *lx);
/* A printable name of a token kind for messages ("')'", "a number", ...). */
const char *infa_tok_kind_name(infa_tok_kind k);

#endif
