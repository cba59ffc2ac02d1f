/*
 * layers_internal.h — what the syntax, security and performance layers share (not public: see
 * layers.h): a parsed Python module with text helpers over its tree-sitter nodes, and a token
 * stream of Snowflake SQL split into statements.
 */
#ifndef ETLPORT_VERIFIER_LAYERS_INTERNAL_H
#define ETLPORT_VERIFIER_LAYERS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <tree_sitter/api.h>

#include "core/arena.h"

/* ---- Python ---- */

typedef struct py_module {
    const char *text;
    size_t len;
    TSParser *parser;
    TSTree *tree; /* NULL when the text could not be parsed at all */
} py_module;

/* Parses text as Python. Returns 0, or -1 (m->tree NULL) when the grammar is unavailable. */
int py_parse(py_module *m, const char *text, size_t len);
void py_module_clear(py_module *m);

/* Calls fn for every named node in document order. */
typedef void (*py_visit_fn)(void *userdata, TSNode node);
void py_walk(const py_module *m, py_visit_fn fn, void *userdata);

/* The node's source text (not NUL-terminated: *n bytes). */
const char *py_text(const py_module *m, TSNode node, size_t *n);
/* Whether the node's source text is s. */
bool py_text_is(const py_module *m, TSNode node, const char *s);
/* The dotted name of an identifier / attribute chain ("spark.sql", "os.system") into buf; ""
 * when the node is anything else (a call, a subscript ...). */
const char *py_dotted(const py_module *m, TSNode node, char *buf, size_t size);
/* A string literal without interpolation: its content (escapes kept as written) into buf.
 * Returns false for anything else (f-strings with {…}, concatenations, other nodes). */
bool py_plain_string(const py_module *m, TSNode node, char *buf, size_t size);
/* Whether a string node is an f-string with at least one interpolation. */
bool py_is_fstring(const py_module *m, TSNode node);
/* 1-based line and column of the node's start. */
void py_pos(TSNode node, int *line, int *col);

/* ---- Snowflake SQL tokens ---- */

typedef enum { STK_WORD, STK_STRING, STK_QIDENT, STK_NUMBER, STK_VAR, STK_PUNCT } sql_tok_kind;

typedef struct sql_tok {
    sql_tok_kind kind;
    const char *s; /* into the text; STRING and QIDENT without their quotes */
    size_t n;
    int line, col;
    int stmt; /* statement index: statements end at ';' */
} sql_tok;

/* Tokenises text (comments dropped; `$$` delimiters dropped so a procedure body's statements are
 * tokens like any other). Returns the number of tokens; *out is in a. */
int sql_tokenize(arena *a, const char *text, size_t len, sql_tok **out);
/* Case-insensitive comparison of a WORD token with kw. */
bool sql_tok_is(const sql_tok *t, const char *kw);

/* ---- names ---- */

/* Whether a name reads as a secret: password, passwd, pwd, secret, token, api key, access key,
 * private key, credential (case-insensitive), and does not name where one is kept (_env, _var,
 * _name, _file, _path, _id suffixes). */
bool layers_secret_name(const char *name, size_t n);
/* Whether a literal looks like a real secret value rather than a placeholder: non-empty, not
 * "${…}", "{{…}}", "<…>", "%(…)s" or all asterisks. */
bool layers_secret_value(const char *v, size_t n);
/* Known key formats and credentials in URLs inside a literal: "AKIA" + 16 upper-case letters or
 * digits, "-----BEGIN … PRIVATE KEY", scheme://user:password@host. Returns a short description or
 * NULL. */
const char *layers_secret_pattern(const char *v, size_t n);
/* Case-insensitive equality of a counted string with a C string. */
bool layers_ieq(const char *a, size_t n, const char *b);

#endif
