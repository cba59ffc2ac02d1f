/*
 * abi.h — the Ab Initio frontend's public API: DML record formats and XFR transforms into the IR.
 *
 * What is read and how each construct maps is in docs/abinitio-frontend.md; the facts it builds on
 * (and how sure they are) are in ../shared/abinitio-formats.md. Both readers share one lexer and
 * one declaration parser, so an .xfr file may hold `type` definitions and an .dml file may hold
 * transform functions; each reader reports what it does not handle instead of guessing.
 *
 * Memory: everything returned lives in the arena given to the call (for the XFR reader: the
 * job's arena), and goes with it. Errors go through a diag_ctx as `file:line:col: error: ...`;
 * the readers keep going with the next definition and return -1 at the end if any was reported.
 */
#ifndef ETLPORT_FRONTENDS_ABINITIO_ABI_H
#define ETLPORT_FRONTENDS_ABINITIO_ABI_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/strbuf.h"
#include "ir/ir.h"

/* ---- DML record formats ---- */

typedef enum {
    ABI_T_STRING,   /* string(...) */
    ABI_T_DECIMAL,  /* decimal(...): numbers as text */
    ABI_T_INTEGER,  /* integer(n), int, short, long: binary integers */
    ABI_T_REAL,     /* real(n), float, double: binary floating point */
    ABI_T_DATE,     /* date("fmt") */
    ABI_T_DATETIME, /* datetime("fmt") */
    ABI_T_VOID,     /* void(n): n bytes ignored */
    ABI_T_RECORD,   /* record ... end (nested) */
    ABI_T_UNION,    /* union ... end */
    ABI_T_VECTOR,   /* T[count] */
    ABI_T_UNKNOWN,  /* a construct the reader does not know (packed, an unresolved type name) */
} abi_type_kind;

/* How the width of a value is found in the data. */
typedef enum {
    ABI_LEN_NONE,      /* not said (binary types have their size in `bytes`; string('')) */
    ABI_LEN_FIXED,     /* `width` characters */
    ABI_LEN_DELIMITED, /* up to `delimiter` */
    ABI_LEN_PREFIXED,  /* a binary length (`prefix` is its type's text) before the bytes */
} abi_len_kind;

typedef struct abi_record abi_record;
typedef struct abi_type abi_type;

struct abi_type {
    abi_type_kind kind;
    abi_len_kind len;
    int width;             /* ABI_LEN_FIXED: characters (strings, decimals, dates) */
    const char *delimiter; /* ABI_LEN_DELIMITED: the delimiter, escapes resolved */
    const char *prefix;    /* ABI_LEN_PREFIXED: the length's type text, e.g. "big endian integer(4)" */
    int max_length;        /* maximum_length=N; 0 when not given */
    int scale;             /* decimal: digits after the point; -1 when not given */
    int bytes;             /* integer/real: size in bytes; 0 when not given (int: 4) */
    bool big_endian, little_endian, is_unsigned;
    const char *format;    /* date/datetime: the DML format string, e.g. "YYYY-MM-DD" */
    const char *charset;   /* "utf8", "ascii", "ebcdic", "unicode" or a charset='…' value; NULL */
    const char *type_name; /* the named type this came from (`money_t`), or NULL */
    abi_record *record;    /* ABI_T_RECORD / ABI_T_UNION */
    abi_type *elem;        /* ABI_T_VECTOR: the element type */
    const char *count;     /* ABI_T_VECTOR: the count's text ("int", "10", "n_items") */
    const char *text;      /* the type's text as written */
};

typedef struct abi_field {
    const char *name;
    abi_type *type;
    bool nullable;           /* has a NULL clause */
    const char *null_value;  /* NULL("v"): v, escapes resolved; NULL for `= NULL` without a value */
    const char *default_text;/* `= value` (not NULL(...)): the value's text */
    const char *condition;   /* conditional field: the condition's text; NULL otherwise */
    const char *text;        /* the whole declaration as written */
    int line, col;
} abi_field;

struct abi_record {
    abi_field *fields;
    int n_fields;
    bool is_union;
    const char *charset;    /* `utf8 record`: the record-level charset */
    const char *terminator; /* a record-level delimiter after `end`, if any (spelling [I]) */
    const char *text;
    int line, col;
};

typedef struct abi_typedef {
    const char *name;
    abi_type *type;
    int line, col;
} abi_typedef;

typedef struct abi_dml {
    abi_typedef *types; /* in file order, includes first */
    int n_types;
    /* The file's record format: `metadata type = T;`, else the last top-level `record ... end`,
     * else the last record type defined. NULL when the file has none. */
    const abi_record *record;
    int n_transforms; /* transform functions seen (and skipped) in the file */
} abi_dml;

/* Parses DML text. path names the file for messages and is the base for `include "…"` (resolved
 * relative to its directory; a path with a $parameter cannot be resolved and is a warning; a
 * missing file is an error at the include). Returns 0, or -1 if an error was reported (*out is
 * still set to what could be read). */
int abi_dml_parse(abi_dml **out, arena *a, const char *path, const char *text, size_t len, diag_ctx *dc);
/* Reads and parses the file at path. */
int abi_dml_load(abi_dml **out, arena *a, const char *path, diag_ctx *dc);
/* The named type, or NULL. */
const abi_type *abi_dml_type(const abi_dml *d, const char *name);

/* Adds a dataset `name` to job with one column per field of rec (nested records flattened as
 * parent_child), exact types, nullability, physical layout (delimiter, fixed positions,
 * encoding). A vector of a scalar type is an array column whose expr is a hole saying why a flat
 * reader cannot give it; other vectors, unions and conditional fields become columns of type
 * unknown whose expr is a hole with the declaration's text. Returns the dataset. */
ir_dataset *abi_record_to_dataset(ir_job *job, const abi_record *rec, const char *name);
/* The IR type a DML type maps to: a vector of a scalar type is an array of the element's type;
 * other compound types are unknown. */
ir_type abi_type_to_ir(const abi_type *t);
/* Why vector type t has no IR type (its elements are records, vectors, unions, fillers or
 * unknown), or NULL when it is an array of scalars. */
const char *abi_vector_why(const abi_type *t);
/* The start of the reason a file field after a vector, conditional field or union is a hole: "after
 * the field NAME, ...". A database table's columns drop these holes. */
#define ABI_AFTER_VARYING "after the field "

/* A DML date format as a canonical format (ir/datefmt.h), or NULL when it holds a token without a
 * known meaning. */
const char *abi_datefmt_to_canonical(arena *a, const char *fmt);
/* A deterministic text dump of a dataset (for tests and --dump). */
void abi_dataset_to_text(strbuf *sb, const ir_dataset *ds);

/* ---- XFR transforms ---- */

typedef struct abi_xfr_ctx {
    ir_job *job;
    /* Resolves `rec.field` (rec is a transform parameter such as "in", "in0", "temp") to an
     * expression, or NULL when there is no such field (reported as an error). Return a fresh
     * expression. field "*" is never asked: wildcards are kept as such. */
    ir_expr *(*resolve_field)(void *userdata, const char *rec, const char *field);
    /* Whether output field `field` of transform output `out` may hold NULL; decides how
     * prioritised rules combine. May be NULL (then: not nullable). */
    bool (*out_nullable)(void *userdata, const char *out, const char *field);
    void *userdata;
    /* Resolves a transform parameter used as a value by itself (Normalize's `index` in
     * `normalize(in, index)`), or NULL when it has no value here (then a hole). May be NULL. */
    ir_expr *(*resolve_param)(void *userdata, const char *name);
} abi_xfr_ctx;

/* The part of abi_out_rule.note saying that an `if` / `?:` in the rule is read as the IR's `if`. */
#define ABI_IF_NOTE "if/?: with a NULL condition fails the rule in Ab Initio [C]; the IR takes the else branch"
/* The part of abi_out_rule.note saying that accumulation / vector_concatenation of a scalar is read
 * as array_agg. */
#define ABI_ACCUM_NOTE                                                                                   \
    "the group's values gathered into a vector in input order: our reading of a [C] name whose semantics " \
    "are not public [I]; array_agg leaves NULL values out, what Ab Initio keeps for them is not known [U]"
/* The part of abi_out_rule.note saying what v[i] gives outside the vector. */
#define ABI_INDEX_NOTE                                                                                  \
    "v[i] outside the vector: array_get gives NULL; whether Ab Initio fails the rule instead is not known [U]"

/* One output field of a transform, with its rules combined into one expression. */
typedef struct abi_out_rule {
    const char *out;     /* the output record's name ("out", "temp") */
    const char *field;   /* the field; "*" for a wildcard rule; NULL for a scalar `out :: e;` */
    ir_expr *expr;       /* over the input fields; NULL for a wildcard */
    const char *wildcard_from; /* `out.* :: in.*;`: "in" (same-named fields are copied) */
    int n_rules;         /* how many prioritised rules were combined */
    const char *note;    /* what the IR expression approximates, or NULL when exact */
    const char *legacy;  /* the rules' text, joined by newlines */
    int line, col;
} abi_out_rule;

typedef struct abi_transform {
    const char *name;    /* "reformat", "join", ... */
    const char *out;     /* output name ("out", "temp") */
    const char *result_type; /* the optional result type before the output name, or NULL */
    const char **params; int n_params; /* input names: "in", "in0", ... */
    abi_out_rule *rules; int n_rules;  /* in order of first appearance */
    const char **holes; int n_holes;   /* statements with no IR form (loops, statement ifs), as text */
    int line, col;
} abi_transform;

typedef struct abi_xfr {
    abi_dml *dml;          /* the types and records defined in the file (and its includes) */
    abi_transform *fns;
    int n_fns;
    int n_failed;          /* definitions skipped because of a syntax error */
} abi_xfr;

/* Parses XFR text: transform functions (and type definitions) into IR expressions in ctx->job.
 * Returns 0, or -1 if an error was reported; *out holds every function that parsed. */
int abi_parse_xfr(abi_xfr **out, const abi_xfr_ctx *ctx, const char *path, const char *text, size_t len,
                  diag_ctx *dc);
/* Parses one DML expression (e.g. a select_expr) over ctx's fields; NULL after an error. */
ir_expr *abi_parse_expr(const abi_xfr_ctx *ctx, const char *path, const char *text, size_t len, diag_ctx *dc);

#endif
