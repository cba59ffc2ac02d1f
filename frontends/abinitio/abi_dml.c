/*
 * abi_dml.c — DML record formats: the declaration parser (types, records, `type` definitions,
 * `metadata type`, `include`), the top-level loop shared with the XFR reader, and the mapping of
 * a record format to an IR dataset (types, nullability, physical layout).
 *
 * What is built on and how sure it is: ../shared/abinitio-formats.md §2. Inferred readings
 * (decimal precision from maximum_length, void(N), conditional fields, T[N]) are confined to
 * abi_type_to_ir and the field parser and named in docs/abinitio-frontend.md.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "frontends/abinitio/abi_internal.h"
#include "ir/datefmt.h"

#define ABI_MAX_INCLUDE_DEPTH 16

static abi_record *parse_record_body(abi_parser *p, int is_union, size_t start);

static const char *const type_words[] = {
    "string", "decimal", "integer", "int", "short", "long", "real", "float", "double", "date", "datetime",
    "void", "record", "union", "big", "little", "unsigned", "signed", "utf8", "ascii", "ebcdic",
    "unicode", "packed", NULL};

const abi_type *abi_dml_type(const abi_dml *d, const char *name)
{
    if (!d || !name)
        return NULL;
    for (int i = d->n_types - 1; i >= 0; i--)
        if (strcmp(d->types[i].name, name) == 0)
            return d->types[i].type;
    return NULL;
}

static int is_type_word(abi_parser *p, abi_tok t)
{
    if (t.kind != ABI_K_IDENT)
        return 0;
    for (int i = 0; type_words[i]; i++)
        if (abi_is_word(p, t, type_words[i]))
            return 1;
    return 0;
}

int abi_at_type(abi_parser *p)
{
    if (is_type_word(p, p->tok))
        return 1;
    if (p->tok.kind != ABI_K_IDENT)
        return 0;
    char *w = abi_tok_text(p, p->tok);
    return abi_dml_type(p->dml, w) != NULL;
}

static int expect(abi_parser *p, abi_tok_kind k, const char *what)
{
    if (p->tok.kind == k) {
        abi_next(p);
        return 1;
    }
    abi_error_at(p, p->tok.start, "expected %s, found %s", what, abi_tok_desc(p, p->tok));
    return 0;
}

static int tok_int(abi_parser *p, abi_tok t, int *out)
{
    if (t.kind != ABI_K_NUMBER || t.is_decimal || t.is_double)
        return 0;
    errno = 0;
    long v = strtol(p->text + t.start, NULL, 10);
    if (errno || v < 0 || v > INT_MAX)
        return 0;
    *out = (int)v;
    return 1;
}

static char *string_value(abi_parser *p, abi_tok t)
{
    return abi_unescape(p->a, p->text + t.start + 1, t.len - 2);
}

/* The argument list of string(...) / decimal(...): a width, a delimiter (with `.S` for decimals),
 * or a length prefix type; then a scale and keyword options. */
static int parse_len_args(abi_parser *p, abi_type *t)
{
    if (!expect(p, ABI_K_LPAREN, "'('"))
        return 0;
    int first = 1;
    while (p->tok.kind != ABI_K_RPAREN) {
        if (!first && !expect(p, ABI_K_COMMA, "',' or ')'"))
            return 0;
        if (p->tok.kind == ABI_K_IDENT && abi_peek(p).kind == ABI_K_ASSIGN) {
            abi_tok key = p->tok;
            abi_next(p);
            abi_next(p);
            abi_tok v = p->tok;
            if (abi_is_word(p, key, "maximum_length")) {
                if (!tok_int(p, v, &t->max_length)) {
                    abi_error_at(p, v.start, "maximum_length must be a number");
                    return 0;
                }
            } else if (abi_is_word(p, key, "charset")) {
                if (v.kind == ABI_K_STRING)
                    t->charset = string_value(p, v);
            }
            /* other options are kept in the type's text only */
            abi_next(p);
        } else if (first && p->tok.kind == ABI_K_NUMBER) {
            if (!tok_int(p, p->tok, &t->width)) {
                abi_error_at(p, p->tok.start, "expected a width");
                return 0;
            }
            t->len = ABI_LEN_FIXED;
            abi_next(p);
        } else if (first && p->tok.kind == ABI_K_STRING) {
            t->delimiter = string_value(p, p->tok);
            t->len = t->delimiter[0] || p->tok.len > 2 ? ABI_LEN_DELIMITED : ABI_LEN_NONE;
            abi_next(p);
            if (p->tok.kind == ABI_K_DOT && t->kind == ABI_T_DECIMAL) { /* decimal("d".S) */
                abi_next(p);
                if (!tok_int(p, p->tok, &t->scale)) {
                    abi_error_at(p, p->tok.start, "expected a scale after '.'");
                    return 0;
                }
                abi_next(p);
            }
        } else if (first && is_type_word(p, p->tok)) {
            size_t s = p->tok.start;
            abi_type *pt = abi_parse_type(p);
            if (!pt)
                return 0;
            t->len = ABI_LEN_PREFIXED;
            t->prefix = pt->text;
            (void)s;
        } else if (!first && p->tok.kind == ABI_K_NUMBER && t->kind == ABI_T_DECIMAL) {
            if (!tok_int(p, p->tok, &t->scale)) {
                abi_error_at(p, p->tok.start, "expected a scale");
                return 0;
            }
            abi_next(p);
        } else if (!first && p->tok.kind == ABI_K_IDENT) {
            abi_next(p); /* flags such as sign_reserved: kept in the text */
        } else {
            abi_error_at(p, p->tok.start, "unexpected %s in a type's arguments", abi_tok_desc(p, p->tok));
            return 0;
        }
        first = 0;
    }
    abi_next(p);
    return 1;
}

static int parse_int_arg(abi_parser *p, int *out)
{
    if (!expect(p, ABI_K_LPAREN, "'('"))
        return 0;
    if (!tok_int(p, p->tok, out)) {
        abi_error_at(p, p->tok.start, "expected a size in bytes");
        return 0;
    }
    abi_next(p);
    return expect(p, ABI_K_RPAREN, "')'");
}

abi_type *abi_parse_type(abi_parser *p)
{
    size_t start = p->tok.start;
    if (++p->depth > ABI_MAX_DEPTH) {
        abi_error_at(p, start, "types nested too deeply");
        p->depth--;
        return NULL;
    }
    abi_type *t = arena_alloc(p->a, sizeof *t);
    memset(t, 0, sizeof *t);
    t->scale = -1;
    t->kind = ABI_T_UNKNOWN;
    abi_type *res = NULL;
    /* prefixes */
    for (;;) {
        if (abi_is_word(p, p->tok, "utf8") || abi_is_word(p, p->tok, "ascii") || abi_is_word(p, p->tok, "ebcdic") ||
            abi_is_word(p, p->tok, "unicode")) {
            t->charset = abi_tok_text(p, p->tok);
        } else if (abi_is_word(p, p->tok, "big") || abi_is_word(p, p->tok, "little")) {
            int big = abi_is_word(p, p->tok, "big");
            abi_next(p);
            if (!abi_is_word(p, p->tok, "endian")) {
                abi_error_at(p, p->tok.start, "expected 'endian'");
                goto done;
            }
            t->big_endian = big;
            t->little_endian = !big;
        } else if (abi_is_word(p, p->tok, "unsigned")) {
            t->is_unsigned = true;
        } else if (abi_is_word(p, p->tok, "signed")) {
            /* the default */
        } else {
            break;
        }
        abi_next(p);
    }
    abi_tok w = p->tok;
    if (abi_is_word(p, w, "string") || abi_is_word(p, w, "decimal")) {
        t->kind = abi_is_word(p, w, "string") ? ABI_T_STRING : ABI_T_DECIMAL;
        abi_next(p);
        if (!parse_len_args(p, t))
            goto done;
    } else if (abi_is_word(p, w, "integer") || abi_is_word(p, w, "real")) {
        t->kind = abi_is_word(p, w, "integer") ? ABI_T_INTEGER : ABI_T_REAL;
        abi_next(p);
        if (p->tok.kind == ABI_K_LPAREN) {
            if (p->tok.kind == ABI_K_LPAREN && abi_peek(p).kind == ABI_K_STRING) {
                /* integer("d") / real("d"): delimited text forms [I] */
                if (!parse_len_args(p, t))
                    goto done;
            } else if (!parse_int_arg(p, &t->bytes)) {
                goto done;
            }
        }
    } else if (abi_is_word(p, w, "int") || abi_is_word(p, w, "short") || abi_is_word(p, w, "long")) {
        t->kind = ABI_T_INTEGER;
        t->bytes = abi_is_word(p, w, "short") ? 2 : abi_is_word(p, w, "long") ? 8 : 4;
        abi_next(p);
    } else if (abi_is_word(p, w, "float") || abi_is_word(p, w, "double")) {
        t->kind = ABI_T_REAL;
        t->bytes = abi_is_word(p, w, "float") ? 4 : 8;
        abi_next(p);
        if (p->tok.kind == ABI_K_LPAREN) { /* float(2), float(''): seen in hand-written code */
            int depth = 0;
            do {
                if (p->tok.kind == ABI_K_LPAREN)
                    depth++;
                else if (p->tok.kind == ABI_K_RPAREN)
                    depth--;
                abi_next(p);
            } while (depth > 0 && p->tok.kind != ABI_K_EOF);
        }
    } else if (abi_is_word(p, w, "date") || abi_is_word(p, w, "datetime")) {
        t->kind = abi_is_word(p, w, "date") ? ABI_T_DATE : ABI_T_DATETIME;
        abi_next(p);
        if (!expect(p, ABI_K_LPAREN, "'('"))
            goto done;
        if (p->tok.kind != ABI_K_STRING) {
            abi_error_at(p, p->tok.start, "expected a date format string");
            goto done;
        }
        t->format = string_value(p, p->tok);
        abi_next(p);
        while (p->tok.kind == ABI_K_COMMA) { /* options: kept in the text */
            abi_next(p);
            while (p->tok.kind != ABI_K_COMMA && p->tok.kind != ABI_K_RPAREN && p->tok.kind != ABI_K_EOF)
                abi_next(p);
        }
        if (!expect(p, ABI_K_RPAREN, "')'"))
            goto done;
        if (p->tok.kind == ABI_K_LPAREN) { /* ("delimiter") or (width) */
            if (!parse_len_args(p, t))
                goto done;
        }
    } else if (abi_is_word(p, w, "void")) {
        t->kind = ABI_T_VOID;
        abi_next(p);
        if (!parse_int_arg(p, &t->width))
            goto done;
        t->len = ABI_LEN_FIXED;
    } else if (abi_is_word(p, w, "record") || abi_is_word(p, w, "union")) {
        int u = abi_is_word(p, w, "union");
        t->kind = u ? ABI_T_UNION : ABI_T_RECORD;
        abi_next(p);
        t->record = parse_record_body(p, u, w.start);
        if (!t->record)
            goto done;
        t->record->charset = t->charset;
    } else if (abi_is_word(p, w, "packed")) {
        abi_error_at(p, w.start, "packed decimal types are not supported (their syntax is not publicly known)");
        goto done;
    } else if (w.kind == ABI_K_IDENT) {
        char *name = abi_tok_text(p, w);
        const abi_type *named = abi_dml_type(p->dml, name);
        if (!named) {
            abi_error_at(p, w.start, "unknown type '%s'", name);
            goto done;
        }
        *t = *named;
        t->type_name = name;
        abi_next(p);
    } else {
        abi_error_at(p, w.start, "expected a type, found %s", abi_tok_desc(p, w));
        goto done;
    }
    /* vector suffixes: T[count] */
    while (p->tok.kind == ABI_K_LBRACK) {
        size_t cs = p->tok.start;
        int depth = 0;
        do {
            if (p->tok.kind == ABI_K_LBRACK)
                depth++;
            else if (p->tok.kind == ABI_K_RBRACK)
                depth--;
            if (depth > 0)
                abi_next(p);
        } while (depth > 0 && p->tok.kind != ABI_K_EOF);
        if (p->tok.kind != ABI_K_RBRACK) {
            abi_error_at(p, cs, "'[' is not closed");
            goto done;
        }
        abi_type *v = arena_alloc(p->a, sizeof *v);
        memset(v, 0, sizeof *v);
        v->kind = ABI_T_VECTOR;
        v->scale = -1;
        v->elem = t;
        v->count = abi_text_range(p, cs + 1, p->tok.start);
        abi_next(p);
        t = v;
    }
    t->text = abi_text_range(p, start, p->prev_end);
    res = t;
done:
    p->depth--;
    return res;
}

/* ---- records and fields ---- */

/* The text of a default or condition: tokens up to `stop` (or ';') at bracket depth 0. */
static size_t skip_expr_text(abi_parser *p, abi_tok_kind stop)
{
    int depth = 0;
    while (p->tok.kind != ABI_K_EOF) {
        abi_tok_kind k = p->tok.kind;
        if (depth == 0 && (k == stop || k == ABI_K_SEMI))
            break;
        if (k == ABI_K_LPAREN || k == ABI_K_LBRACK)
            depth++;
        else if ((k == ABI_K_RPAREN || k == ABI_K_RBRACK) && depth > 0)
            depth--;
        else if (abi_is_word(p, p->tok, "end") && depth == 0)
            break;
        abi_next(p);
    }
    return p->prev_end;
}

static int parse_field(abi_parser *p, abi_record *r, int *cap)
{
    size_t start = p->tok.start;
    abi_field f;
    memset(&f, 0, sizeof f);
    abi_line_col(p, start, &f.line, &f.col);
    if (abi_is_word(p, p->tok, "if")) { /* conditional field [I]: if (cond) type name; */
        abi_next(p);
        if (!expect(p, ABI_K_LPAREN, "'(' after 'if'"))
            return 0;
        size_t cs = p->tok.start;
        size_t ce = skip_expr_text(p, ABI_K_RPAREN);
        f.condition = abi_text_range(p, cs, ce);
        if (!expect(p, ABI_K_RPAREN, "')'"))
            return 0;
    }
    f.type = abi_parse_type(p);
    if (!f.type)
        return 0;
    if (p->tok.kind != ABI_K_IDENT) {
        abi_error_at(p, p->tok.start, "expected a field name, found %s", abi_tok_desc(p, p->tok));
        return 0;
    }
    f.name = abi_tok_text(p, p->tok);
    abi_next(p);
    if (p->tok.kind == ABI_K_ASSIGN) {
        abi_next(p);
        if (abi_is_word(p, p->tok, "NULL")) {
            f.nullable = true;
            abi_next(p);
            if (p->tok.kind == ABI_K_LPAREN) {
                abi_next(p);
                if (p->tok.kind == ABI_K_STRING) {
                    f.null_value = string_value(p, p->tok);
                    abi_next(p);
                } else {
                    size_t vs = p->tok.start;
                    f.null_value = abi_text_range(p, vs, skip_expr_text(p, ABI_K_RPAREN));
                }
                if (!expect(p, ABI_K_RPAREN, "')'"))
                    return 0;
            }
        } else {
            size_t ds = p->tok.start;
            f.default_text = abi_text_range(p, ds, skip_expr_text(p, ABI_K_SEMI));
        }
    }
    if (!expect(p, ABI_K_SEMI, "';' after a field"))
        return 0;
    f.text = abi_text_range(p, start, p->prev_end);
    if (r->n_fields == *cap) {
        int nc = *cap ? *cap * 2 : 8;
        r->fields = arena_grow(p->a, r->fields, (size_t)*cap, (size_t)nc, sizeof *r->fields);
        *cap = nc;
    }
    r->fields[r->n_fields++] = f;
    return 1;
}

/* After `record` / `union`: fields up to `end`. Returns NULL after an error (reported). */
static abi_record *parse_record_body(abi_parser *p, int is_union, size_t start)
{
    abi_record *r = arena_alloc(p->a, sizeof *r);
    memset(r, 0, sizeof *r);
    r->is_union = is_union;
    abi_line_col(p, start, &r->line, &r->col);
    int cap = 0;
    while (!abi_is_word(p, p->tok, "end")) {
        if (p->tok.kind == ABI_K_EOF) {
            abi_error_at(p, p->tok.start, "expected 'end' to close '%s' at line %d", is_union ? "union" : "record",
                         r->line);
            return NULL;
        }
        if (!parse_field(p, r, &cap)) {
            /* skip to the end of this field and go on with the next */
            int depth = 0;
            while (p->tok.kind != ABI_K_EOF) {
                if (abi_is_word(p, p->tok, "record") || abi_is_word(p, p->tok, "union"))
                    depth++;
                else if (abi_is_word(p, p->tok, "end")) {
                    if (depth == 0)
                        break;
                    depth--;
                } else if (p->tok.kind == ABI_K_SEMI && depth == 0) {
                    abi_next(p);
                    break;
                }
                abi_next(p);
            }
        }
    }
    abi_next(p); /* end */
    /* a record-level delimiter after end [I]: end("\n") */
    if (p->tok.kind == ABI_K_LPAREN && abi_peek(p).kind == ABI_K_STRING && abi_peek2(p).kind == ABI_K_RPAREN) {
        abi_next(p);
        r->terminator = string_value(p, p->tok);
        abi_next(p);
        abi_next(p);
    }
    r->text = abi_text_range(p, start, p->prev_end);
    return r;
}

/* ---- top level ---- */

static void add_typedef(abi_parser *p, const char *name, abi_type *t, size_t at)
{
    if (p->dml->n_types == p->cap_types) {
        int nc = p->cap_types ? p->cap_types * 2 : 8;
        p->dml->types = arena_grow(p->a, p->dml->types, (size_t)p->cap_types, (size_t)nc, sizeof *p->dml->types);
        p->cap_types = nc;
    }
    abi_typedef *d = &p->dml->types[p->dml->n_types++];
    d->name = name;
    d->type = t;
    abi_line_col(p, at, &d->line, &d->col);
}

void abi_sync_definition(abi_parser *p)
{
    int depth = 0;
    while (p->tok.kind != ABI_K_EOF) {
        if (abi_is_word(p, p->tok, "begin") || abi_is_word(p, p->tok, "record") || abi_is_word(p, p->tok, "union") ||
            abi_is_word(p, p->tok, "switch"))
            depth++;
        else if (abi_is_word(p, p->tok, "end") && depth > 0)
            depth--;
        else if (p->tok.kind == ABI_K_SEMI && depth == 0) {
            abi_next(p);
            return;
        }
        abi_next(p);
    }
}

static int parse_include(abi_parser *p);

/* A definition that starts with a type: `T name = ...;` (constant-like) or a function with a
 * result type `T out :: f(...)`. */
static void parse_typed_definition(abi_parser *p, size_t start)
{
    abi_type *t = abi_parse_type(p);
    if (!t) {
        abi_sync_definition(p);
        return;
    }
    if (p->tok.kind == ABI_K_IDENT && abi_peek(p).kind == ABI_K_DCOLON) {
        abi_parse_function(p, t->text, start);
        return;
    }
    if (p->tok.kind == ABI_K_SEMI || p->tok.kind == ABI_K_EOF) { /* a bare `record ... end;` */
        abi_accept(p, ABI_K_SEMI);
        if (t->kind == ABI_T_RECORD)
            p->dml->record = t->record;
        return;
    }
    abi_error_at(p, p->tok.start, "expected ';' or a transform function after the type, found %s",
                 abi_tok_desc(p, p->tok));
    abi_sync_definition(p);
}

void abi_parse_toplevel(abi_parser *p)
{
    const char *metadata = NULL;
    size_t metadata_at = 0;
    while (p->tok.kind != ABI_K_EOF) {
        size_t start = p->tok.start;
        int errs = p->n_errors;
        abi_tok t = p->tok;
        if (t.kind == ABI_K_SEMI) {
            abi_next(p);
        } else if (abi_is_word(p, t, "include")) {
            parse_include(p);
        } else if (abi_is_word(p, t, "type") || abi_is_word(p, t, "metadata")) {
            int is_meta = abi_is_word(p, t, "metadata");
            abi_next(p);
            if (is_meta) {
                if (!abi_is_word(p, p->tok, "type")) {
                    abi_error_at(p, p->tok.start, "expected 'type' after 'metadata'");
                    abi_sync_definition(p);
                    continue;
                }
                abi_next(p);
            }
            const char *name = NULL;
            if (p->tok.kind == ABI_K_IDENT && abi_peek(p).kind == ABI_K_ASSIGN) {
                name = abi_tok_text(p, p->tok);
                abi_next(p);
            } else if (!is_meta) {
                abi_error_at(p, p->tok.start, "expected a type name, found %s", abi_tok_desc(p, p->tok));
                abi_sync_definition(p);
                continue;
            }
            if (!expect(p, ABI_K_ASSIGN, "'='")) {
                abi_sync_definition(p);
                continue;
            }
            abi_type *ty = abi_parse_type(p);
            if (!ty || !expect(p, ABI_K_SEMI, "';' after the type")) {
                abi_sync_definition(p);
                continue;
            }
            if (name)
                add_typedef(p, name, ty, start);
            if (is_meta) {
                metadata = name ? name : ty->type_name;
                metadata_at = start;
                if (ty->kind == ABI_T_RECORD)
                    p->dml->record = ty->record;
            }
        } else if (abi_is_word(p, t, "let") || abi_is_word(p, t, "constant")) {
            abi_xfr_global_let(p);
        } else if (t.kind == ABI_K_IDENT && abi_peek(p).kind == ABI_K_DCOLON) {
            abi_parse_function(p, NULL, start);
        } else if (t.kind == ABI_K_IDENT && abi_peek(p).kind == ABI_K_IDENT && abi_peek2(p).kind == ABI_K_DCOLON) {
            const char *rt = abi_tok_text(p, t); /* a result type we may not know */
            abi_next(p);
            abi_parse_function(p, rt, start);
        } else if (abi_at_type(p)) {
            parse_typed_definition(p, start);
        } else if (abi_is_word(p, t, "temporary_type")) {
            abi_error_at(p, t.start, "'temporary_type NAME = ...' is not a known DML form; "
                                     "write 'type temporary_type = record ... end;'");
            abi_sync_definition(p);
        } else {
            abi_error_at(p, t.start, "expected a definition (record, type, include, let or a transform "
                                     "function), found %s", abi_tok_desc(p, t));
            abi_sync_definition(p);
        }
        (void)errs;
        if (p->tok.start == start && p->tok.kind != ABI_K_EOF)
            abi_next(p); /* always make progress */
    }
    if (metadata) {
        const abi_type *mt = abi_dml_type(p->dml, metadata);
        if (mt && mt->kind == ABI_T_RECORD)
            p->dml->record = mt->record;
        else if (!mt)
            abi_error_at(p, metadata_at, "metadata type '%s' is not defined", metadata);
    }
}

/* ---- include ---- */

static int parse_file_into(abi_parser *parent, const char *path, size_t at);

static int parse_include(abi_parser *p)
{
    size_t at = p->tok.start;
    abi_next(p);
    if (p->tok.kind != ABI_K_STRING) {
        abi_error_at(p, p->tok.start, "expected a file name after 'include'");
        abi_sync_definition(p);
        return -1;
    }
    abi_tok pt = p->tok;
    char *name = string_value(p, pt);
    abi_next(p);
    abi_accept(p, ABI_K_SEMI); /* the ';' is usual but not always written */
    if (strchr(name, '$') || name[0] == '~') {
        abi_warn_at(p, pt.start, "include \"%s\" names a sandbox parameter; it cannot be resolved here", name);
        return 0;
    }
    char *full;
    if (name[0] == '/') {
        full = name;
    } else {
        const char *slash = p->path ? strrchr(p->path, '/') : NULL;
        full = slash ? arena_printf(p->a, "%.*s/%s", (int)(slash - p->path), p->path, name) : name;
    }
    if (p->include_depth >= ABI_MAX_INCLUDE_DEPTH) {
        abi_error_at(p, at, "includes nested too deeply (a cycle?) at \"%s\"", name);
        return -1;
    }
    return parse_file_into(p, full, pt.start);
}

/* Include files come from untrusted input: only regular files, and not huge ones (an include
 * of /dev/zero or a FIFO must not hang or exhaust memory). */
#define ABI_MAX_INCLUDE_BYTES (64L * 1024 * 1024)

static int parse_file_into(abi_parser *parent, const char *path, size_t at)
{
    struct stat st;
    if (stat(path, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size > ABI_MAX_INCLUDE_BYTES)) {
        abi_error_at(parent, at, "include '%s' is not a regular DML file of at most 64 MiB", path);
        return -1;
    }
    srcfile *f = NULL;
    if (srcfile_load(&f, path) != 0) {
        abi_error_at(parent, at, "cannot read include file '%s': %s", path, strerror(errno));
        return -1;
    }
    abi_parser q = *parent;
    q.file = f;
    q.path = arena_strdup(parent->a, path);
    q.text = f->text;
    q.len = f->len;
    q.n_errors = 0;
    q.include_depth = parent->include_depth + 1;
    abi_lex_init(&q.lx, q.text, q.len);
    q.tok.start = q.tok.len = 0;
    abi_next(&q);
    const abi_record *keep = parent->dml->record;
    abi_parse_toplevel(&q);
    parent->dml->record = keep; /* an include contributes types, not the main record */
    parent->cap_types = q.cap_types;
    parent->cap_fns = q.cap_fns;
    parent->n_errors += q.n_errors;
    srcfile_free(f);
    return q.n_errors ? -1 : 0;
}

int abi_parser_begin(abi_parser *p, arena *a, const char *path, const char *text, size_t len, diag_ctx *dc,
                     srcfile **own);
int abi_parser_begin(abi_parser *p, arena *a, const char *path, const char *text, size_t len, diag_ctx *dc,
                     srcfile **own)
{
    memset(p, 0, sizeof *p);
    p->a = a;
    p->dc = dc;
    *own = srcfile_from_text(path ? path : "<dml>", text, len);
    p->file = *own;
    p->path = path ? arena_strdup(a, path) : "<dml>";
    p->text = (*own)->text;
    p->len = (*own)->len;
    p->dml = arena_alloc(a, sizeof *p->dml);
    memset(p->dml, 0, sizeof *p->dml);
    abi_lex_init(&p->lx, p->text, p->len);
    abi_next(p);
    return 0;
}

int abi_dml_parse(abi_dml **out, arena *a, const char *path, const char *text, size_t len, diag_ctx *dc)
{
    abi_parser p;
    srcfile *own;
    abi_parser_begin(&p, a, path, text, len, dc, &own);
    abi_parse_toplevel(&p);
    if (!p.dml->record) { /* the last record type defined */
        for (int i = p.dml->n_types - 1; i >= 0; i--)
            if (p.dml->types[i].type->kind == ABI_T_RECORD) {
                p.dml->record = p.dml->types[i].type->record;
                break;
            }
    }
    srcfile_free(own);
    *out = p.dml;
    return p.n_errors ? -1 : 0;
}

int abi_dml_load(abi_dml **out, arena *a, const char *path, diag_ctx *dc)
{
    srcfile *f;
    if (srcfile_load(&f, path) != 0) {
        diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "cannot read: %s", strerror(errno));
        *out = NULL;
        return -1;
    }
    int rc = abi_dml_parse(out, a, path, f->text, f->len, dc);
    srcfile_free(f);
    return rc;
}

/* ---- into the IR ---- */

const char *abi_datefmt_to_canonical(arena *a, const char *fmt)
{
    static const struct { const char *dml, *canon; } toks[] = {
        {"YYYY", "YYYY"}, {"HH24", "HH24"}, {"nnnnnnnnn", "FF9"}, {"nnnnnn", "FF6"}, {"nnn", "FF3"},
        {"YY", "YY"},     {"MM", "MM"},     {"DD", "DD"},          {"MI", "MI"},     {"SS", "SS"},
    };
    strbuf sb = STRBUF_INIT;
    const char *s = fmt;
    while (*s) {
        size_t i;
        for (i = 0; i < sizeof toks / sizeof toks[0]; i++)
            if (strncmp(s, toks[i].dml, strlen(toks[i].dml)) == 0)
                break;
        if (i < sizeof toks / sizeof toks[0]) {
            sb_puts(&sb, toks[i].canon);
            s += strlen(toks[i].dml);
        } else if (strchr("-/:., T", *s)) {
            sb_putc(&sb, *s++);
        } else {
            sb_free(&sb);
            return NULL; /* month names, AM/PM, zones: [U] */
        }
    }
    char *r = arena_strdup(a, sb_cstr(&sb));
    sb_free(&sb);
    return r;
}

static int frac_digits(const char *fmt)
{
    const char *n = fmt ? strstr(fmt, "nnn") : NULL;
    if (!n)
        return 0;
    int k = 0;
    while (n[k] == 'n')
        k++;
    return k;
}

ir_type abi_type_to_ir(const abi_type *t)
{
    switch (t->kind) {
    case ABI_T_STRING:
        if (t->len == ABI_LEN_FIXED)
            return ir_type_make(IR_TY_STRING, t->width, 0);
        return ir_type_make(IR_TY_STRING, t->max_length, 0);
    case ABI_T_DECIMAL: {
        int scale = t->scale > 0 ? t->scale : 0;
        int prec = 0;
        if (t->len == ABI_LEN_FIXED)
            prec = t->width; /* width in characters [I] */
        else if (t->max_length > 0)
            prec = t->max_length - 1; /* one character for the sign [I, S10] */
        if (prec > 38)
            prec = 38;
        if (prec > 0 && scale > prec)
            prec = scale;
        return ir_type_make(IR_TY_DECIMAL, prec, scale);
    }
    case ABI_T_INTEGER:
        if (t->len == ABI_LEN_DELIMITED)
            return ir_type_make(IR_TY_BIGINT, 0, 0);
        if (t->bytes >= 8 && t->is_unsigned) /* up to 2^64-1: more than a bigint holds */
            return ir_type_make(IR_TY_DECIMAL, 20, 0);
        if (t->bytes >= 8 || (t->bytes == 4 && t->is_unsigned))
            return ir_type_make(IR_TY_BIGINT, 0, 0);
        return ir_type_make(IR_TY_INT, 0, 0);
    case ABI_T_REAL:
        return ir_type_make(IR_TY_DOUBLE, 0, 0);
    case ABI_T_DATE:
        return ir_type_make(IR_TY_DATE, 0, 0);
    case ABI_T_DATETIME:
        return ir_type_make(IR_TY_TIMESTAMP, frac_digits(t->format), 0);
    case ABI_T_VOID:
        return ir_type_make(IR_TY_BINARY, t->width, 0);
    case ABI_T_VECTOR:
        return abi_vector_why(t) ? ir_type_make(IR_TY_UNKNOWN, 0, 0) : ir_type_array(abi_type_to_ir(t->elem));
    default:
        return ir_type_make(IR_TY_UNKNOWN, 0, 0);
    }
}

const char *abi_vector_why(const abi_type *t)
{
    switch (t->elem ? t->elem->kind : ABI_T_UNKNOWN) {
    case ABI_T_RECORD:
        return "vector of records: the IR's arrays hold scalars only (a record has no IR value)";
    case ABI_T_VECTOR:
        return "vector of vectors: the IR's arrays do not nest";
    case ABI_T_UNION:
        return "vector of unions: the IR has no variant values";
    case ABI_T_VOID:
        return "vector of void fillers: no values to hold";
    case ABI_T_UNKNOWN:
        return "vector of a type not known to the reader";
    default:
        return NULL;
    }
}

/* Whether a vector's count text names a type (`int`, `big endian integer(4)`): a binary count. */
static bool count_is_type(const char *cnt)
{
    size_t n = 0;
    while (isalpha((unsigned char)cnt[n]))
        n++;
    for (int i = 0; n && type_words[i]; i++)
        if (strlen(type_words[i]) == n && !strncmp(type_words[i], cnt, n))
            return true;
    return false;
}

/* How a flat file holds a vector's elements, for the reason a CSV or fixed-width reader cannot
 * give the array column: the count form of §2.3 ([C] for a leading binary count, [I] for a
 * constant or a field). */
static const char *vector_layout_why(arena *a, const abi_type *t)
{
    const char *cnt = t->count ? t->count : "";
    char *end = NULL;
    long n = strtol(cnt, &end, 10);
    const char *form;
    if (*cnt && end && !*end && n >= 0)
        form = arena_printf(a, "a fixed count of %ld elements [I]", n);
    else if (count_is_type(cnt))
        form = arena_printf(a, "a binary count (%s) before the elements [C]", cnt);
    else
        form = arena_printf(a, "a count read from field %s [I]", cnt);
    return arena_printf(a,
                        "vector field (%s): the file holds its elements one after the other; a delimited (CSV) or "
                        "fixed-width reader cannot give them as one array column",
                        form);
}

typedef struct layout {
    int offset;    /* next fixed offset, -1 once a variable-width field was seen */
    int n_fixed, n_delim, n_other;
    const char *delim; /* the most common field delimiter (first seen on ties) */
    const char *delims[64];
    int counts[64];
    int n_delims;
    const char *charset;
    const char *varies; /* the first field a flat reader cannot place (a vector, a conditional field,
                           a union): every later field starts where that one ends */
} layout;

static void note_delim(layout *L, const char *d)
{
    if (!d || !d[0])
        return; /* NUL-terminated fields: the IR's delimiter is a C string */
    for (int i = 0; i < L->n_delims; i++)
        if (strcmp(L->delims[i], d) == 0) {
            L->counts[i]++;
            return;
        }
    if (L->n_delims < 64) {
        L->delims[L->n_delims] = d;
        L->counts[L->n_delims++] = 1;
    }
}

static void add_fields(ir_job *job, ir_dataset *ds, const abi_record *rec, const char *prefix, layout *L,
                       int depth)
{
    for (int i = 0; i < rec->n_fields; i++) {
        const abi_field *f = &rec->fields[i];
        const abi_type *t = f->type;
        const char *name = prefix ? arena_printf(job->arena, "%s_%s", prefix, f->name) : f->name;
        if (t->kind == ABI_T_RECORD && !f->condition && depth < ABI_MAX_DEPTH) {
            add_fields(job, ds, t->record, name, L, depth + 1);
            continue;
        }
        const char *reason = NULL;
        if (f->condition)
            reason = "conditional field: present only when its condition holds; the IR has no optional columns";
        else if (t->kind == ABI_T_VECTOR)
            reason = abi_vector_why(t);
        else if (t->kind == ABI_T_UNION)
            reason = "union: the IR has no variant columns";
        else if (t->kind == ABI_T_UNKNOWN)
            reason = "type not known to the reader";
        ir_type it = reason ? ir_type_make(IR_TY_UNKNOWN, 0, 0) : abi_type_to_ir(t);
        ir_column *c = ir_dataset_add_col(job, ds, ir_intern(job, name), it);
        c->legacy = arena_strdup(job->arena, f->text);
        c->span.file = NULL;
        c->span.line = f->line;
        c->span.col = f->col;
        if (!f->nullable)
            c->flags |= IR_COL_NOT_NULL;
        if (!reason && t->kind == ABI_T_VECTOR) { /* an array column: typed, but no flat reader gives it */
            c->expr = ir_hole(job, f->text, vector_layout_why(job->arena, t));
            L->offset = -1;
            L->n_other++;
            L->varies = L->varies ? L->varies : name;
            continue;
        }
        if (reason) {
            c->expr = ir_hole(job, f->text, reason);
            L->offset = -1;
            L->n_other++;
            L->varies = L->varies ? L->varies : name;
            continue;
        }
        if (L->varies) /* in a file: where this field starts depends on the record */
            c->expr = ir_hole(job, f->text,
                              arena_printf(job->arena, "%s%s, which a delimited (CSV) or fixed-width reader cannot place: "
                                                       "this field's position varies with it",
                                           ABI_AFTER_VARYING, L->varies));
        if (t->charset && !L->charset)
            L->charset = t->charset;
        if (t->len == ABI_LEN_FIXED) {
            L->n_fixed++;
            if (L->offset >= 0) { /* positions are known up to the first variable-width field */
                c->phys_length = t->width;
                c->phys_offset = L->offset;
                L->offset += t->width;
            }
        } else if (t->kind == ABI_T_INTEGER || t->kind == ABI_T_REAL) {
            if (t->len == ABI_LEN_DELIMITED) {
                L->n_delim++;
                note_delim(L, t->delimiter);
                L->offset = -1;
                continue;
            }
            int b = t->bytes ? t->bytes : 4;
            L->n_other++; /* binary */
            if (L->offset >= 0) {
                c->phys_length = b;
                c->phys_offset = L->offset;
                L->offset += b;
            }
        } else if (t->len == ABI_LEN_DELIMITED) {
            L->n_delim++;
            note_delim(L, t->delimiter);
            L->offset = -1;
        } else {
            L->n_other++;
            L->offset = -1;
        }
    }
}

static const char *charset_name(const char *cs)
{
    if (!cs)
        return NULL;
    if (strcmp(cs, "utf8") == 0)
        return "UTF-8";
    if (strcmp(cs, "ascii") == 0)
        return "US-ASCII";
    if (strcmp(cs, "ebcdic") == 0)
        return "EBCDIC";
    if (strcmp(cs, "unicode") == 0)
        return "UTF-16";
    return cs;
}

ir_dataset *abi_record_to_dataset(ir_job *job, const abi_record *rec, const char *name)
{
    ir_dataset *ds = ir_job_add_dataset(job, ir_intern(job, name));
    ds->kind = "file";
    ds->db_type = "Ab Initio DML";
    ds->span.line = rec->line;
    ds->span.col = rec->col;
    layout L;
    memset(&L, 0, sizeof L);
    add_fields(job, ds, rec, NULL, &L, 0);
    /* the field delimiter: the most common one; the last field's "\n" is the record terminator */
    int best = -1;
    for (int i = 0; i < L.n_delims; i++) {
        int n = L.counts[i] - (strcmp(L.delims[i], "\n") == 0 && L.n_delims > 1 ? 1 : 0);
        if (best < 0 || n > L.counts[best] - (strcmp(L.delims[best], "\n") == 0 && L.n_delims > 1 ? 1 : 0))
            best = i;
    }
    if (best >= 0)
        ds->delimiter = ir_intern(job, L.delims[best]);
    ds->fixed_width = L.n_fixed > 0 && L.n_delim == 0 && L.n_other == 0;
    ds->encoding = charset_name(rec->charset ? rec->charset : L.charset);
    if (ds->encoding)
        ds->encoding = ir_intern(job, ds->encoding);
    return ds;
}

static void put_escaped(strbuf *sb, const char *s)
{
    sb_putc(sb, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n')
            sb_puts(sb, "\\n");
        else if (c == '\t')
            sb_puts(sb, "\\t");
        else if (c == '"' || c == '\\')
            sb_printf(sb, "\\%c", c);
        else if (c < 32 || c >= 127)
            sb_printf(sb, "\\x%02x", c);
        else
            sb_putc(sb, (char)c);
    }
    sb_putc(sb, '"');
}

void abi_dataset_to_text(strbuf *sb, const ir_dataset *ds)
{
    sb_printf(sb, "dataset %s kind=%s", ds->name, ds->kind ? ds->kind : "?");
    if (ds->delimiter) {
        sb_puts(sb, " delimiter=");
        put_escaped(sb, ds->delimiter);
    }
    if (ds->fixed_width)
        sb_puts(sb, " fixed_width");
    if (ds->encoding)
        sb_printf(sb, " encoding=%s", ds->encoding);
    sb_putc(sb, '\n');
    for (int i = 0; i < ds->n_cols; i++) {
        const ir_column *c = &ds->cols[i];
        char ty[64];
        ir_type_format(c->type, ty, sizeof ty);
        sb_printf(sb, "  %s %s%s", c->name, ty, (c->flags & IR_COL_NOT_NULL) ? " not_null" : " nullable");
        if (c->phys_length)
            sb_printf(sb, " @%d+%d", c->phys_offset, c->phys_length);
        if (c->expr && c->expr->kind == IR_EX_HOLE)
            sb_printf(sb, " hole(%s)", c->expr->u.hole.reason);
        sb_putc(sb, '\n');
    }
}
