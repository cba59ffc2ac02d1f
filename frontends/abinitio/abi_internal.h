/*
 * abi_internal.h — internal to frontends/abinitio: the tokenizer shared by the DML and XFR readers
 * and the parser state both use. Tokens are produced on demand; a lexer state is a small value the
 * parser copies to look ahead.
 */
#ifndef ETLPORT_FRONTENDS_ABINITIO_ABI_INTERNAL_H
#define ETLPORT_FRONTENDS_ABINITIO_ABI_INTERNAL_H

#include <stddef.h>

#include "frontends/abinitio/abi.h"

typedef enum {
    ABI_K_EOF, ABI_K_ERROR,
    ABI_K_IDENT,  /* names and keywords (keywords are recognised by the parser) */
    ABI_K_NUMBER, /* 12, 1.5, 1e3 */
    ABI_K_STRING, /* "…" or '…' with C escapes; the token spans the quotes */
    ABI_K_PARAM,  /* $NAME or ${NAME} */
    ABI_K_LPAREN, ABI_K_RPAREN, ABI_K_LBRACK, ABI_K_RBRACK, ABI_K_LBRACE, ABI_K_RBRACE,
    ABI_K_COMMA, ABI_K_SEMI, ABI_K_DOT, ABI_K_QUESTION, ABI_K_COLON, ABI_K_DCOLON,
    ABI_K_ASSIGN,                                   /* = */
    ABI_K_OPASSIGN,                                 /* += -= *= /= %= */
    ABI_K_EQ, ABI_K_NE, ABI_K_LT, ABI_K_LE, ABI_K_GT, ABI_K_GE,
    ABI_K_PLUS, ABI_K_MINUS, ABI_K_STAR, ABI_K_SLASH, ABI_K_PERCENT,
    ABI_K_NOT, ABI_K_ANDAND, ABI_K_OROR, ABI_K_NMATCH, /* ! && || !~ */
    ABI_K_OTHER,                                    /* any other single character */
} abi_tok_kind;

typedef struct abi_tok {
    abi_tok_kind kind;
    size_t start, len; /* byte range in the text */
    const char *msg;   /* ABI_K_ERROR: what is wrong */
    int is_decimal;    /* NUMBER: has a point */
    int is_double;     /* NUMBER: has an exponent */
} abi_tok;

typedef struct abi_lexer {
    const char *text;
    size_t len, pos;
} abi_lexer;

void abi_lex_init(abi_lexer *lx, const char *text, size_t len);
/* The next token; blanks and comments (slash-star and //) are skipped. */
abi_tok abi_lex_next(abi_lexer *lx);
/* The value of a string token's body with C escapes resolved (\n \t \r \0 \xHH \ooo \\ \" \'). */
char *abi_unescape(arena *a, const char *body, size_t n);

/* Parser state shared by abi_dml.c (declarations) and abi_xfr.c (transforms). */
typedef struct abi_parser {
    arena *a;
    diag_ctx *dc;
    const srcfile *file;
    const char *path;
    const char *text;
    size_t len;
    abi_lexer lx;
    abi_tok tok;
    size_t prev_end;         /* end of the token before tok */
    int n_errors;
    int depth;               /* nesting guard */
    int include_depth;
    abi_dml *dml;            /* where type definitions go */
    int cap_types;
    /* XFR only (NULL when reading DML): */
    const abi_xfr_ctx *xctx;
    abi_xfr *xfr;
    int cap_fns;
    void *fn;                /* the transform being read (abi_xfr.c's state) */
} abi_parser;

#define ABI_MAX_DEPTH 200

void abi_next(abi_parser *p);
abi_tok abi_peek(abi_parser *p);
abi_tok abi_peek2(abi_parser *p);
int abi_is_word(abi_parser *p, abi_tok t, const char *w);
int abi_accept(abi_parser *p, abi_tok_kind k);
char *abi_tok_text(abi_parser *p, abi_tok t);
char *abi_text_range(abi_parser *p, size_t start, size_t end);
const char *abi_tok_desc(abi_parser *p, abi_tok t);
void abi_error_at(abi_parser *p, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void abi_warn_at(abi_parser *p, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int abi_line_of(abi_parser *p, size_t off);
void abi_line_col(abi_parser *p, size_t off, int *line, int *col);
/* Whether the current token starts a DML type (a type keyword or a defined type's name). */
int abi_at_type(abi_parser *p);
/* Parses a type at the current token; NULL after an error (reported). */
abi_type *abi_parse_type(abi_parser *p);
/* Parses the file's top-level definitions until EOF (both readers use this loop). */
void abi_parse_toplevel(abi_parser *p);
/* Skips tokens to the end of the definition that started at `start` (balanced begin/record/end,
 * then ';'); used after an error. */
void abi_sync_definition(abi_parser *p);
/* abi_xfr.c: parses a transform function at the current token (after an optional result type);
 * in DML-only mode the body is skipped. */
void abi_parse_function(abi_parser *p, const char *result_type, size_t start);
void abi_xfr_global_let(abi_parser *p);

#endif
