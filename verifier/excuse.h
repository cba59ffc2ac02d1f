/*
 * excuse.h — the allow-list of what a tree-sitter grammar is known not to parse although the
 * target language accepts it (tests/grammars/sql-excused.txt; docs/grammars.md). One entry per
 * line, '#' starts a comment line:
 *
 *     POSIX-ERE => REPLACEMENT :: reason    rewrite: before parsing, every match on a line is
 *                                           replaced (\1..\9 are the groups) by an equivalent the
 *                                           grammar knows, so the rest is still checked
 *     POSIX-ERE :: reason                   excuse: an error on a line the pattern matches does
 *                                           not count
 *
 * A rewrite never spans lines, so line numbers stay right. tscheck and the verifier's syntax
 * layer (style.c, with the list compiled in: syntax_excuses_builtin_sql) share this code.
 */
#ifndef ETLPORT_VERIFIER_EXCUSE_H
#define ETLPORT_VERIFIER_EXCUSE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"

typedef struct syntax_excuse {
    char *pattern, *reason;
    char *replacement; /* a rewrite entry; NULL for a line excuse */
    int line;          /* in the allow-list */
    int uses;          /* rewrites applied / errors excused so far */
} syntax_excuse;

typedef struct syntax_excuses syntax_excuses;

/* Reads an allow-list from text (path for messages). Entries without a reason or with a bad
 * pattern are reported through dc (dc NULL: not reported) and make it return -1; *out is then
 * still a usable list of the good entries. The caller frees *out with syntax_excuses_free. */
int syntax_excuses_parse(syntax_excuses **out, const char *text, size_t len, const char *path, diag_ctx *dc);
/* As syntax_excuses_parse, from a file. Returns -1 (and *out NULL) when it cannot be read. */
int syntax_excuses_load(syntax_excuses **out, const char *path, diag_ctx *dc);
void syntax_excuses_free(syntax_excuses *x);

/* The allow-list of the Snowflake SQL the pinned SQL grammar lacks (tests/grammars/
 * sql-excused.txt, compiled in). Parsed once; never freed. */
syntax_excuses *syntax_excuses_builtin_sql(void);

/* Applies every rewrite entry, line by line. Returns a malloc'd text (*out_len bytes), or NULL
 * when there are no rewrite entries. */
char *syntax_excuses_rewrite(syntax_excuses *x, const char *text, size_t len, size_t *out_len);
/* The line-excuse entry matching a source line, or NULL (its use is counted). */
const syntax_excuse *syntax_excuses_match(syntax_excuses *x, const char *line);

/* The entries, for statistics. */
int syntax_excuses_count(const syntax_excuses *x);
const syntax_excuse *syntax_excuses_at(const syntax_excuses *x, int i);

#endif
