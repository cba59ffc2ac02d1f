/*
 * syntax.h — the syntax layer of the verifier: does generated code parse? Snowflake SQL is parsed
 * with the tree-sitter SQL grammar, PySpark with the tree-sitter Python grammar (both pinned npm
 * packages compiled into etl_grammars, see docs/grammars.md). Every ERROR or MISSING node of the
 * syntax tree becomes one diagnostic `path:line:col: error: syntax error near '...'`.
 *
 * The grammar is a model of the language, not the language: the SQL grammar is generic and misses
 * some Snowflake syntax. tests/grammars/sql-excused.txt lists what it is known not to parse.
 */
#ifndef ETLPORT_VERIFIER_SYNTAX_H
#define ETLPORT_VERIFIER_SYNTAX_H

#include <stddef.h>

#include "core/diag.h"

struct TSLanguage; /* tree_sitter/api.h */

/* The grammars in etl_grammars (generated C; the symbols are the grammars' own names). */
const struct TSLanguage *tree_sitter_sql(void);
const struct TSLanguage *tree_sitter_python(void);

/* The grammar for a language name, "sql" or "python"; NULL for any other name. */
const struct TSLanguage *syntax_language(const char *lang);

/* Parses text (len bytes; NULs allowed) as lang ("sql" or "python") and reports each ERROR or
 * MISSING node through dc at path:line:col (columns count bytes), with the source line and a
 * caret. The children of an ERROR node are not reported again. dc may be NULL to only count.
 * Returns the number of syntax errors found (0: the text parses), or -1 when lang is unknown,
 * the runtime rejects the grammar, or the text is too long for tree-sitter (4 GiB); those are
 * reported through dc too. */
int syntax_check(const char *lang, const char *text, size_t len, const char *path, diag_ctx *dc);

#endif
