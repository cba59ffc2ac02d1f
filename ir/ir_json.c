/*
 * ir_json.c — the JSON form of a job (docs/ir.md, "JSON form").
 *
 * The writer is hand-written over strbuf so the output is byte-for-byte deterministic: keys in a
 * fixed order, optional fields only when set, one space of indent per structural level, and
 * expressions, columns, params and sort keys each on one line so a diff shows one change per line.
 * Literal values other than NULL and booleans are written as JSON strings holding the IR's exact
 * literal text, so no number ever passes through a double.
 *
 * The reader parses with cJSON and rebuilds the job through the ir.h constructors, then sets every
 * field the writer wrote, so ir_job_to_json(ir_job_from_json(x)) == x for any x the writer made.
 * Errors name the JSON path (nodes[2].columns[0].expr) and the line:col in the text: for syntax
 * errors cJSON's error offset, for structural ones a small scanner that follows the path through
 * the raw text.
 */
#include "ir/ir.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const lit_kind_names[] = {"null", "bool", "int", "decimal", "double", "string", "date",
                                             "timestamp"};
static const char *const join_names[] = {"inner", "left", "right", "full", "cross"};
static const char *const match_names[] = {"first", "last", "any", "error", "all"};
static const char *const load_names[] = {"append", "truncate_insert", "overwrite", "merge"};
static const char *const tag_names[] = {"PII", "PCI", "PHI"};
static const char *const col_flag_names[] = {"key", "not_null", "order_dependent", "row_op", "generated", "occurrence"};
static const char *const frame_unit_names[] = {"range", "rows"};
static const char *const bound_names[] = {"unbounded_preceding", "preceding", "current_row", "following",
                                          "unbounded_following"};
#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *name_of(const char *const *names, int n, int v)
{
    return v >= 0 && v < n ? names[v] : "?";
}

static int index_of(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

/* ================================ writer ================================ */

/* Structural writer: objects and arrays that are either broken over lines (one space of indent
 * per level) or inline ("a": 1, "b": 2). Nesting is shallow (job > nodes > node > columns), so a
 * fixed stack is enough; expressions are written inline by put_expr, which needs no state. */
#define JW_MAX_DEPTH 16
typedef struct jw {
    strbuf *sb;
    const char *origin; /* the job's file: spans in it are written without "file" */
    int depth;
    bool first[JW_MAX_DEPTH];
    bool inl[JW_MAX_DEPTH];
    bool after_key;
} jw;

static void jw_pre(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    bool first = w->first[w->depth];
    if (!first)
        sb_putc(w->sb, ',');
    if (w->inl[w->depth]) {
        if (!first)
            sb_putc(w->sb, ' ');
    } else {
        sb_putc(w->sb, '\n');
        sb_indent(w->sb, w->depth);
    }
    w->first[w->depth] = false;
}

static void jw_open(jw *w, char c, bool inl)
{
    jw_pre(w);
    sb_putc(w->sb, c);
    bool parent_inl = w->depth > 0 && w->inl[w->depth];
    w->depth++;
    if (w->depth >= JW_MAX_DEPTH)
        abort(); /* programming error: the structural shape is fixed and shallow */
    w->first[w->depth] = true;
    w->inl[w->depth] = inl || parent_inl;
}

static void jw_close(jw *w, char c)
{
    bool empty = w->first[w->depth], inl = w->inl[w->depth];
    w->depth--;
    if (!empty && !inl) {
        sb_putc(w->sb, '\n');
        sb_indent(w->sb, w->depth);
    }
    sb_putc(w->sb, c);
}

static void jw_key(jw *w, const char *k)
{
    jw_pre(w);
    sb_put_json_string(w->sb, k);
    sb_puts(w->sb, ": ");
    w->after_key = true;
}

static void put_str(strbuf *sb, const char *s)
{
    if (s)
        sb_put_json_string(sb, s);
    else
        sb_puts(sb, "null");
}

static void jw_str(jw *w, const char *s)
{
    jw_pre(w);
    put_str(w->sb, s);
}

static void jw_int(jw *w, long long v)
{
    jw_pre(w);
    sb_put_int(w->sb, v);
}

static void jw_bool(jw *w, bool v)
{
    jw_pre(w);
    sb_puts(w->sb, v ? "true" : "false");
}

static void jw_kstr(jw *w, const char *k, const char *s)
{
    jw_key(w, k);
    jw_str(w, s);
}

static void jw_kint(jw *w, const char *k, long long v)
{
    jw_key(w, k);
    jw_int(w, v);
}

static void jw_type(jw *w, const char *k, ir_type t)
{
    char buf[64];
    ir_type_format(t, buf, sizeof buf);
    jw_kstr(w, k, buf);
}

/* Spans in the job's own file (nearly all of them) leave "file" out; the reader restores it. */
static bool span_file_shown(const char *origin, const char *file)
{
    return file && !(origin && strcmp(origin, file) == 0);
}

static void jw_span(jw *w, ir_span s)
{
    if (span_file_shown(w->origin, s.file))
        jw_kstr(w, "file", s.file);
    if (s.line)
        jw_kint(w, "line", s.line);
    if (s.col)
        jw_kint(w, "col", s.col);
}

/* An expression on one line: {"call": "concat", "flags": {...}, "args": [...], "type": "..."}. */
static void put_expr(strbuf *sb, const ir_expr *e, const char *origin)
{
    if (!e) {
        sb_puts(sb, "null");
        return;
    }
    switch (e->kind) {
    case IR_EX_LIT:
        sb_puts(sb, "{\"lit\": ");
        if (e->u.lit.kind == IR_LIT_NULL)
            sb_puts(sb, "null");
        else if (e->u.lit.kind == IR_LIT_BOOL)
            sb_puts(sb, e->u.lit.text && (strcmp(e->u.lit.text, "true") == 0 || strcmp(e->u.lit.text, "TRUE") == 0 ||
                                          strcmp(e->u.lit.text, "1") == 0)
                            ? "true"
                            : "false");
        else
            put_str(sb, e->u.lit.text);
        sb_puts(sb, ", \"kind\": ");
        put_str(sb, name_of(lit_kind_names, N_OF(lit_kind_names), (int)e->u.lit.kind));
        break;
    case IR_EX_REF:
        sb_puts(sb, "{\"ref\": [");
        sb_put_int(sb, e->u.ref.node);
        sb_puts(sb, ", ");
        put_str(sb, e->u.ref.col);
        sb_putc(sb, ']');
        break;
    case IR_EX_PARAM:
        sb_puts(sb, "{\"param\": ");
        put_str(sb, e->u.param.name);
        break;
    case IR_EX_CALL: {
        const ir_fn_info *fi = ir_fn_get(e->u.call.fn);
        sb_puts(sb, "{\"call\": ");
        put_str(sb, fi ? fi->name : "?");
        if (e->u.call.flags) {
            /* flags.def order; bits without a name are not part of the contract and not written */
            sb_puts(sb, ", \"flags\": {");
            bool first = true;
            for (unsigned bit = 0; bit < 32; bit++) {
                const char *fname = ir_flag_name(bit);
                if (!fname || !(e->u.call.flags & (1u << bit)))
                    continue;
                if (!first)
                    sb_puts(sb, ", ");
                first = false;
                put_str(sb, fname);
                sb_puts(sb, ": true");
            }
            sb_putc(sb, '}');
        }
        sb_puts(sb, ", \"args\": [");
        for (int i = 0; i < e->u.call.n_args; i++) {
            if (i)
                sb_puts(sb, ", ");
            put_expr(sb, e->u.call.args[i], origin);
        }
        sb_putc(sb, ']');
        break;
    }
    case IR_EX_HOLE:
        sb_puts(sb, "{\"hole\": ");
        put_str(sb, e->u.hole.text);
        if (e->u.hole.reason) {
            sb_puts(sb, ", \"reason\": ");
            put_str(sb, e->u.hole.reason);
        }
        break;
    case IR_EX_OVER:
    case IR_EX_QUERY: {
        /* statement-only kinds (ir_sql.h), never in a job: written as their canonical text, not
         * read back */
        strbuf t;
        sb_init(&t);
        ir_expr_to_text(&t, e);
        sb_puts(sb, "{\"sql_expr\": ");
        put_str(sb, sb_cstr(&t));
        sb_free(&t);
        break;
    }
    }
    if (e->type.kind != IR_TY_UNKNOWN) {
        char buf[64];
        ir_type_format(e->type, buf, sizeof buf);
        sb_puts(sb, ", \"type\": ");
        put_str(sb, buf);
    }
    if (span_file_shown(origin, e->span.file)) {
        sb_puts(sb, ", \"file\": ");
        put_str(sb, e->span.file);
    }
    if (e->span.line) {
        sb_puts(sb, ", \"line\": ");
        sb_put_int(sb, e->span.line);
    }
    if (e->span.col) {
        sb_puts(sb, ", \"col\": ");
        sb_put_int(sb, e->span.col);
    }
    sb_putc(sb, '}');
}

static void jw_expr(jw *w, const ir_expr *e)
{
    jw_pre(w);
    put_expr(w->sb, e, w->origin);
}

static void jw_kexpr(jw *w, const char *k, const ir_expr *e)
{
    jw_key(w, k);
    jw_expr(w, e);
}

static void jw_bits(jw *w, const char *k, uint32_t bits, const char *const *names, int n)
{
    if (!(bits & ((1u << n) - 1)))
        return;
    jw_key(w, k);
    jw_open(w, '[', true);
    for (int i = 0; i < n; i++)
        if (bits & (1u << i))
            jw_str(w, names[i]);
    jw_close(w, ']');
}

static void write_column(jw *w, const ir_column *c)
{
    jw_open(w, '{', true);
    jw_kstr(w, "name", c->name);
    if (c->type.kind != IR_TY_UNKNOWN)
        jw_type(w, "type", c->type);
    if (c->expr)
        jw_kexpr(w, "expr", c->expr);
    if (c->n_alts > 0) {
        jw_key(w, "alts");
        jw_open(w, '[', true);
        for (int i = 0; i < c->n_alts; i++)
            jw_expr(w, c->alts[i]);
        jw_close(w, ']');
    }
    if (c->legacy)
        jw_kstr(w, "legacy", c->legacy);
    jw_span(w, c->span);
    jw_bits(w, "tags", c->tags, tag_names, N_OF(tag_names));
    jw_bits(w, "flags", c->flags, col_flag_names, N_OF(col_flag_names));
    if (c->phys_offset)
        jw_kint(w, "phys_offset", c->phys_offset);
    if (c->phys_length)
        jw_kint(w, "phys_length", c->phys_length);
    jw_close(w, '}');
}

static void write_columns(jw *w, const ir_column *cols, int n)
{
    jw_key(w, "columns");
    jw_open(w, '[', false);
    for (int i = 0; i < n; i++)
        write_column(w, &cols[i]);
    jw_close(w, ']');
}

static void write_node(jw *w, const ir_node *n)
{
    jw_open(w, '{', false);
    jw_kint(w, "id", n->id);
    jw_kstr(w, "op", ir_op_name(n->op));
    jw_kstr(w, "name", n->name);
    if (n->legacy_type)
        jw_kstr(w, "legacy_type", n->legacy_type);
    jw_span(w, n->span);
    if (n->legacy)
        jw_kstr(w, "legacy", n->legacy);
    if (n->n_inputs > 0) {
        jw_key(w, "inputs");
        jw_open(w, '[', true);
        for (int i = 0; i < n->n_inputs; i++)
            jw_int(w, n->inputs[i]);
        jw_close(w, ']');
    }
    if (n->dataset)
        jw_kstr(w, "dataset", n->dataset);
    if (n->sql)
        jw_kstr(w, "sql", n->sql);
    if (n->predicate)
        jw_kexpr(w, "predicate", n->predicate);
    /* op-specific enums and numbers: always for the op that uses them (their zero is meaningful),
     * otherwise only when not zero, so every field survives a round trip */
    if (n->op == IR_OP_JOIN || n->join != IR_JOIN_INNER)
        jw_kstr(w, "join", name_of(join_names, N_OF(join_names), (int)n->join));
    if (n->op == IR_OP_LOOKUP || n->match != IR_MATCH_FIRST)
        jw_kstr(w, "match", name_of(match_names, N_OF(match_names), (int)n->match));
    if (n->n_keys > 0) {
        jw_key(w, "keys");
        jw_open(w, '[', false);
        for (int i = 0; i < n->n_keys; i++)
            jw_expr(w, n->keys[i]);
        jw_close(w, ']');
    }
    if (n->n_order > 0) {
        jw_key(w, "order");
        jw_open(w, '[', false);
        for (int i = 0; i < n->n_order; i++) {
            jw_open(w, '{', true);
            jw_kexpr(w, "expr", n->order[i].expr);
            if (n->order[i].desc) {
                jw_key(w, "desc");
                jw_bool(w, true);
            }
            if (n->order[i].nulls)
                jw_kstr(w, "nulls", n->order[i].nulls == 1 ? "first" : "last");
            jw_close(w, '}');
        }
        jw_close(w, ']');
    }
    if (n->op == IR_OP_WINDOW || !ir_frame_equal(n->frame, ir_frame_default())) {
        /* {"unit": "rows", "start": "preceding", "start_offset": 2, "end": "current_row"} */
        jw_key(w, "frame");
        jw_open(w, '{', true);
        jw_kstr(w, "unit", name_of(frame_unit_names, N_OF(frame_unit_names), (int)n->frame.unit));
        jw_kstr(w, "start", name_of(bound_names, N_OF(bound_names), (int)n->frame.start.kind));
        if (n->frame.start.kind == IR_BOUND_PRECEDING || n->frame.start.kind == IR_BOUND_FOLLOWING)
            jw_kint(w, "start_offset", (long long)n->frame.start.offset);
        jw_kstr(w, "end", name_of(bound_names, N_OF(bound_names), (int)n->frame.end.kind));
        if (n->frame.end.kind == IR_BOUND_PRECEDING || n->frame.end.kind == IR_BOUND_FOLLOWING)
            jw_kint(w, "end_offset", (long long)n->frame.end.offset);
        jw_close(w, '}');
    }
    if (n->distinct) {
        jw_key(w, "distinct");
        jw_bool(w, true);
    }
    if (n->keep_last) {
        jw_key(w, "keep_last");
        jw_bool(w, true);
    }
    if (n->empty_row) {
        jw_key(w, "empty_row");
        jw_bool(w, true);
    }
    if (n->op == IR_OP_RANK || n->top_n)
        jw_kint(w, "top_n", (long long)n->top_n);
    if (n->bottom) {
        jw_key(w, "bottom");
        jw_bool(w, true);
    }
    if (n->group)
        jw_kstr(w, "group", n->group);
    if (n->op == IR_OP_NORMALIZE || n->occurs)
        jw_kint(w, "occurs", n->occurs);
    if (n->count)
        jw_kexpr(w, "count", n->count);
    if (n->op == IR_OP_SEQUENCE || n->seq_start || n->seq_increment) {
        jw_kint(w, "seq_start", (long long)n->seq_start);
        jw_kint(w, "seq_increment", (long long)n->seq_increment);
    }
    if (n->op == IR_OP_TARGET || n->load != IR_LOAD_APPEND || n->n_merge_keys > 0) {
        jw_key(w, "load");
        jw_open(w, '{', true);
        jw_kstr(w, "mode", name_of(load_names, N_OF(load_names), (int)n->load));
        if (n->n_merge_keys > 0) {
            jw_key(w, "keys");
            jw_open(w, '[', true);
            for (int i = 0; i < n->n_merge_keys; i++)
                jw_str(w, n->merge_keys[i]);
            jw_close(w, ']');
        }
        jw_close(w, '}');
    }
    if (n->hole_reason)
        jw_kstr(w, "hole_reason", n->hole_reason);
    write_columns(w, n->cols, n->n_cols);
    if (n->n_props > 0) {
        jw_key(w, "props");
        jw_open(w, '[', false);
        for (int i = 0; i < n->n_props; i++) {
            jw_open(w, '{', true);
            jw_kstr(w, "key", n->props[i].key);
            jw_kstr(w, "value", n->props[i].value);
            jw_close(w, '}');
        }
        jw_close(w, ']');
    }
    jw_close(w, '}');
}

static void write_dataset(jw *w, const ir_dataset *d)
{
    jw_open(w, '{', false);
    jw_kstr(w, "name", d->name);
    if (d->kind)
        jw_kstr(w, "kind", d->kind);
    if (d->db_type)
        jw_kstr(w, "db_type", d->db_type);
    jw_span(w, d->span);
    if (d->delimiter)
        jw_kstr(w, "delimiter", d->delimiter);
    if (d->fixed_width) {
        jw_key(w, "fixed_width");
        jw_bool(w, true);
    }
    if (d->quote)
        jw_kstr(w, "quote", d->quote);
    if (d->skip_rows)
        jw_kint(w, "skip_rows", d->skip_rows);
    if (d->encoding)
        jw_kstr(w, "encoding", d->encoding);
    write_columns(w, d->cols, d->n_cols);
    jw_close(w, '}');
}

static void write_param(jw *w, const ir_param *p)
{
    jw_open(w, '{', true);
    jw_kstr(w, "name", p->name);
    if (p->type.kind != IR_TY_UNKNOWN)
        jw_type(w, "type", p->type);
    if (p->default_value)
        jw_kstr(w, "default", p->default_value);
    if (p->is_variable) {
        jw_key(w, "variable");
        jw_bool(w, true);
    }
    if (p->aggregation)
        jw_kstr(w, "aggregation", p->aggregation);
    jw_span(w, p->span);
    jw_close(w, '}');
}

void ir_job_to_json(const ir_job *job, strbuf *out)
{
    jw w;
    memset(&w, 0, sizeof w);
    w.sb = out;
    w.origin = job->file;
    jw_open(&w, '{', false);
    jw_kint(&w, "ir_version", IR_VERSION);
    jw_kstr(&w, "kind", "job");
    jw_kstr(&w, "name", job->name);
    if (job->format || job->file || job->folder || job->line) {
        jw_key(&w, "origin");
        jw_open(&w, '{', true);
        if (job->format)
            jw_kstr(&w, "format", job->format);
        if (job->file)
            jw_kstr(&w, "file", job->file);
        if (job->folder)
            jw_kstr(&w, "folder", job->folder);
        if (job->line)
            jw_kint(&w, "line", job->line);
        jw_close(&w, '}');
    }
    if (job->description)
        jw_kstr(&w, "description", job->description);
    jw_key(&w, "params");
    jw_open(&w, '[', false);
    for (int i = 0; i < job->n_params; i++)
        write_param(&w, &job->params[i]);
    jw_close(&w, ']');
    jw_key(&w, "datasets");
    jw_open(&w, '[', false);
    for (int i = 0; i < job->n_datasets; i++)
        write_dataset(&w, &job->datasets[i]);
    jw_close(&w, ']');
    jw_key(&w, "nodes");
    jw_open(&w, '[', false);
    for (int i = 0; i < job->n_nodes; i++)
        write_node(&w, job->nodes[i]);
    jw_close(&w, ']');
    jw_close(&w, '}');
    sb_putc(out, '\n');
}

/* ================================ reader ================================ */

/* One step of the JSON path to the value being read: an object key or an array index. */
typedef struct seg {
    const char *key; /* NULL: index */
    int index;
} seg;

#define RD_MAX_SEGS 256
typedef struct rd {
    ir_job *job;
    diag_ctx *dc;
    const char *path; /* file name for messages */
    const char *text;
    size_t len;
    seg segs[RD_MAX_SEGS];
    int n_segs; /* may exceed RD_MAX_SEGS in absurdly deep input; only the first ones are kept */
    int errors;
} rd;

static void push_key(rd *r, const char *k)
{
    if (r->n_segs < RD_MAX_SEGS)
        r->segs[r->n_segs] = (seg){k, 0};
    r->n_segs++;
}

static void push_index(rd *r, int i)
{
    if (r->n_segs < RD_MAX_SEGS)
        r->segs[r->n_segs] = (seg){NULL, i};
    r->n_segs++;
}

static void pop(rd *r)
{
    r->n_segs--;
}

/* ---- locating a JSON path in the raw text, for messages ---- */

static size_t skip_ws(const char *t, size_t n, size_t p)
{
    while (p < n && (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' || t[p] == '\r'))
        p++;
    return p;
}

/* The end of the string starting at the quote at p. */
static size_t skip_string(const char *t, size_t n, size_t p)
{
    for (p++; p < n && t[p] != '"'; p++)
        if (t[p] == '\\')
            p++;
    return p < n ? p + 1 : n;
}

static size_t skip_value(const char *t, size_t n, size_t p)
{
    if (p >= n)
        return n;
    if (t[p] == '"')
        return skip_string(t, n, p);
    if (t[p] == '{' || t[p] == '[') {
        int depth = 0;
        while (p < n) {
            char c = t[p];
            if (c == '"') {
                p = skip_string(t, n, p);
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return p + 1;
            }
            p++;
        }
        return n;
    }
    while (p < n && !strchr(",]} \t\r\n", t[p]))
        p++;
    return p;
}

/* Byte offset of the value at the path (keys compared raw: the writer's keys need no escapes);
 * as far as the path could be followed when the text does not match it. */
static size_t locate(const rd *r, int n_segs)
{
    const char *t = r->text;
    size_t n = r->len, p = skip_ws(t, n, 0);
    if (n_segs > RD_MAX_SEGS)
        n_segs = RD_MAX_SEGS;
    for (int s = 0; s < n_segs; s++) {
        const seg *sg = &r->segs[s];
        size_t here = p;
        if (sg->key) {
            if (p >= n || t[p] != '{')
                return here;
            p = skip_ws(t, n, p + 1);
            size_t klen = strlen(sg->key);
            for (;;) {
                if (p >= n || t[p] != '"')
                    return here;
                size_t kend = skip_string(t, n, p);
                bool match = kend - p == klen + 2 && memcmp(t + p + 1, sg->key, klen) == 0;
                p = skip_ws(t, n, kend);
                if (p >= n || t[p] != ':')
                    return here;
                p = skip_ws(t, n, p + 1);
                if (match)
                    break;
                p = skip_ws(t, n, skip_value(t, n, p));
                if (p >= n || t[p] != ',')
                    return here;
                p = skip_ws(t, n, p + 1);
            }
        } else {
            if (p >= n || t[p] != '[')
                return here;
            p = skip_ws(t, n, p + 1);
            for (int i = 0; i < sg->index; i++) {
                p = skip_ws(t, n, skip_value(t, n, p));
                if (p >= n || t[p] != ',')
                    return here;
                p = skip_ws(t, n, p + 1);
            }
        }
    }
    return p;
}

static void report_at(rd *r, size_t offset, const char *msg)
{
    srcfile *f = srcfile_from_text(r->path ? r->path : "<json>", r->text, r->len);
    int line = 0, col = 0;
    srcfile_line_col(f, offset, &line, &col);
    diag_at(r->dc, DIAG_ERROR, f, r->path, line, col, "%s", msg);
    srcfile_free(f);
    r->errors++;
}

/* An error about the current value, or about its field `key` when key is not NULL. */
static void rd_err(rd *r, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void rd_err(rd *r, const char *key, const char *fmt, ...)
{
    if (key)
        push_key(r, key);
    strbuf sb = STRBUF_INIT;
    int shown = r->n_segs < RD_MAX_SEGS ? r->n_segs : RD_MAX_SEGS;
    for (int i = 0; i < shown; i++) {
        if (r->segs[i].key)
            sb_printf(&sb, "%s%s", i ? "." : "", r->segs[i].key);
        else
            sb_printf(&sb, "[%d]", r->segs[i].index);
    }
    if (sb.len)
        sb_puts(&sb, ": ");
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    report_at(r, locate(r, r->n_segs), sb_cstr(&sb));
    sb_free(&sb);
    if (key)
        pop(r);
}

static const cJSON *item(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* An optional string field: NULL when absent or null; an error when of another type. */
static const char *opt_str(rd *r, const cJSON *obj, const char *key)
{
    const cJSON *v = item(obj, key);
    if (!v || cJSON_IsNull(v))
        return NULL;
    if (!cJSON_IsString(v)) {
        rd_err(r, key, "expected a string");
        return NULL;
    }
    return v->valuestring;
}

static const char *opt_intern(rd *r, const cJSON *obj, const char *key)
{
    const char *s = opt_str(r, obj, key);
    return s ? ir_intern(r->job, s) : NULL;
}

static const char *opt_dup(rd *r, const cJSON *obj, const char *key)
{
    const char *s = opt_str(r, obj, key);
    return s ? arena_strdup(r->job->arena, s) : NULL;
}

/* An integral number in [lo, hi]; def when absent. */
static long long num_value(rd *r, const cJSON *v, const char *key, long long lo, long long hi, long long def)
{
    if (!v)
        return def;
    double d = cJSON_IsNumber(v) ? v->valuedouble : 0.5;
    /* range first (also rejects NaN), then integrality without libm. (double)INT64_MAX rounds up
     * to 2^63, which does not fit: the upper bound is exclusive there. */
    bool in_range = d >= (double)lo && (hi == INT64_MAX ? d < 9223372036854775808.0 : d <= (double)hi);
    if (!cJSON_IsNumber(v) || !in_range || d != (double)(long long)d) {
        rd_err(r, key, "expected an integer in [%lld, %lld]", lo, hi);
        return def;
    }
    return (long long)d;
}

static long long opt_int(rd *r, const cJSON *obj, const char *key, long long lo, long long hi)
{
    const cJSON *v = item(obj, key);
    return v ? num_value(r, v, key, lo, hi, 0) : 0;
}

static bool opt_bool(rd *r, const cJSON *obj, const char *key)
{
    const cJSON *v = item(obj, key);
    if (!v)
        return false;
    if (!cJSON_IsBool(v)) {
        rd_err(r, key, "expected true or false");
        return false;
    }
    return cJSON_IsTrue(v);
}

static ir_type opt_type(rd *r, const cJSON *obj, const char *key)
{
    ir_type t = ir_type_make(IR_TY_UNKNOWN, 0, 0);
    const char *s = opt_str(r, obj, key);
    if (s && ir_type_parse(s, &t) != 0) {
        rd_err(r, key, "unknown type '%s'", s);
        t = ir_type_make(IR_TY_UNKNOWN, 0, 0);
    }
    return t;
}

/* An enum field spelled by name; def when absent. */
static int opt_enum(rd *r, const cJSON *obj, const char *key, const char *const *names, int n, int def)
{
    const char *s = opt_str(r, obj, key);
    if (!s)
        return def;
    int v = index_of(names, n, s);
    if (v < 0) {
        rd_err(r, key, "unknown value '%s'", s);
        return def;
    }
    return v;
}

static ir_span opt_span(rd *r, const cJSON *obj)
{
    ir_span s = {0};
    s.file = opt_intern(r, obj, "file");
    s.line = (int32_t)opt_int(r, obj, "line", 0, INT32_MAX);
    s.col = (int32_t)opt_int(r, obj, "col", 0, INT32_MAX);
    if (!s.file && s.line)
        s.file = r->job->file; /* written without "file": the job's own file */
    return s;
}

/* An array field (NULL when absent); an error when of another type. */
static const cJSON *opt_array(rd *r, const cJSON *obj, const char *key)
{
    const cJSON *v = item(obj, key);
    if (!v || cJSON_IsNull(v))
        return NULL;
    if (!cJSON_IsArray(v)) {
        rd_err(r, key, "expected an array");
        return NULL;
    }
    return v;
}

static uint32_t rd_bits(rd *r, const cJSON *obj, const char *key, const char *const *names, int n)
{
    const cJSON *a = opt_array(r, obj, key);
    uint32_t bits = 0;
    if (!a)
        return 0;
    push_key(r, key);
    int i = 0;
    for (const cJSON *v = a->child; v; v = v->next, i++) {
        int b = cJSON_IsString(v) ? index_of(names, n, v->valuestring) : -1;
        if (b < 0) {
            push_index(r, i);
            rd_err(r, NULL, "unknown name");
            pop(r);
        } else {
            bits |= 1u << b;
        }
    }
    pop(r);
    return bits;
}

static ir_expr *rd_expr(rd *r, const cJSON *v);

/* The expression in field key of obj, or NULL when absent. */
static ir_expr *opt_expr(rd *r, const cJSON *obj, const char *key)
{
    const cJSON *v = item(obj, key);
    if (!v || cJSON_IsNull(v))
        return NULL;
    push_key(r, key);
    ir_expr *e = rd_expr(r, v);
    pop(r);
    return e;
}

static ir_expr *rd_expr(rd *r, const cJSON *v)
{
    ir_job *job = r->job;
    if (!cJSON_IsObject(v)) {
        rd_err(r, NULL, "expected an expression object");
        return ir_hole(job, "", "unreadable expression");
    }
    const cJSON *x;
    ir_expr *e;
    if ((x = item(v, "lit"))) {
        int kind = opt_enum(r, v, "kind", lit_kind_names, N_OF(lit_kind_names), -1);
        if (kind < 0) {
            if (!item(v, "kind"))
                rd_err(r, NULL, "a literal needs a \"kind\"");
            kind = IR_LIT_NULL;
        }
        const char *text = NULL;
        if (kind == IR_LIT_BOOL) {
            if (!cJSON_IsBool(x))
                rd_err(r, "lit", "expected true or false");
            text = cJSON_IsTrue(x) ? "true" : "false";
        } else if (kind != IR_LIT_NULL) {
            text = opt_str(r, v, "lit");
        }
        e = ir_lit(job, (ir_lit_kind)kind, text);
    } else if ((x = item(v, "ref"))) {
        int node = 0;
        const char *col = "";
        if (!cJSON_IsArray(x) || cJSON_GetArraySize(x) != 2 || !cJSON_IsNumber(x->child) ||
            !cJSON_IsString(x->child->next))
            rd_err(r, "ref", "expected [node id, \"column\"]");
        else {
            push_key(r, "ref");
            push_index(r, 0);
            node = (int)num_value(r, x->child, NULL, 0, INT32_MAX, 0);
            pop(r);
            pop(r);
            col = x->child->next->valuestring;
        }
        e = ir_ref(job, node, col);
    } else if ((x = item(v, "param"))) {
        const char *name = opt_str(r, v, "param");
        if (!name) {
            rd_err(r, "param", "expected the parameter name");
            name = "";
        }
        e = ir_param_ref(job, name);
    } else if ((x = item(v, "call"))) {
        const char *name = opt_str(r, v, "call");
        int fn = name ? ir_fn_by_name(name) : -1;
        if (fn < 0) {
            rd_err(r, "call", "unknown function '%s'", name ? name : "");
            return ir_hole(job, name ? name : "", "unknown function in IR JSON");
        }
        uint32_t flags = 0;
        const cJSON *fl = item(v, "flags");
        if (fl && !cJSON_IsObject(fl))
            rd_err(r, "flags", "expected an object of flag: true");
        else if (fl) {
            push_key(r, "flags");
            for (const cJSON *f = fl->child; f; f = f->next) {
                int m = ir_flag_by_name(f->string);
                if (!m)
                    rd_err(r, f->string, "unknown flag");
                else if (!cJSON_IsBool(f))
                    rd_err(r, f->string, "expected true or false");
                else if (cJSON_IsTrue(f))
                    flags |= (uint32_t)m;
            }
            pop(r);
        }
        const cJSON *args = opt_array(r, v, "args");
        int n = args ? cJSON_GetArraySize(args) : 0;
        ir_expr **av = n ? arena_alloc(job->arena, (size_t)n * sizeof *av) : NULL;
        push_key(r, "args");
        int i = 0;
        for (const cJSON *a = args ? args->child : NULL; a; a = a->next, i++) {
            push_index(r, i);
            av[i] = rd_expr(r, a);
            pop(r);
        }
        pop(r);
        e = ir_call(job, (ir_fn)fn, flags, n, av);
    } else if ((x = item(v, "hole"))) {
        const char *text = opt_str(r, v, "hole");
        const char *reason = opt_str(r, v, "reason");
        e = ir_hole(job, text ? text : "", reason);
        if (!reason)
            e->u.hole.reason = NULL;
    } else {
        rd_err(r, NULL, "an expression needs one of \"lit\", \"ref\", \"param\", \"call\", \"hole\"");
        return ir_hole(job, "", "unreadable expression");
    }
    e->type = opt_type(r, v, "type");
    e->span = opt_span(r, v);
    return e;
}

/* The fields of a column other than its name and type, shared by node and dataset columns. */
static void rd_column_rest(rd *r, const cJSON *v, ir_column *c)
{
    c->expr = opt_expr(r, v, "expr");
    const cJSON *alts = opt_array(r, v, "alts");
    if (alts) {
        int n = cJSON_GetArraySize(alts);
        c->alts = arena_alloc(r->job->arena, (size_t)(n ? n : 1) * sizeof *c->alts);
        push_key(r, "alts");
        int i = 0;
        for (const cJSON *a = alts->child; a; a = a->next, i++) {
            push_index(r, i);
            c->alts[i] = rd_expr(r, a);
            pop(r);
        }
        pop(r);
        c->n_alts = n;
    }
    c->legacy = opt_dup(r, v, "legacy");
    c->span = opt_span(r, v);
    c->tags = rd_bits(r, v, "tags", tag_names, N_OF(tag_names));
    c->flags = rd_bits(r, v, "flags", col_flag_names, N_OF(col_flag_names));
    c->phys_offset = (int32_t)opt_int(r, v, "phys_offset", 0, INT32_MAX);
    c->phys_length = (int32_t)opt_int(r, v, "phys_length", 0, INT32_MAX);
}

static const char *col_name(rd *r, const cJSON *v)
{
    const char *name = opt_str(r, v, "name");
    if (!name) {
        rd_err(r, NULL, "a column needs a \"name\"");
        name = "";
    }
    return name;
}

/* Runs the trailing block for each object in the array field key, with the path pushed. */
#define FOR_EACH_IN(r, obj, key, elem, ...)                                                       \
    do {                                                                                          \
        const cJSON *arr_ = opt_array((r), (obj), (key));                                         \
        if (!arr_)                                                                                \
            break;                                                                                \
        push_key((r), (key));                                                                     \
        int idx_ = 0;                                                                             \
        for (const cJSON *elem = arr_->child; elem; elem = elem->next, idx_++) {                  \
            push_index((r), idx_);                                                                \
            if (!cJSON_IsObject(elem))                                                            \
                rd_err((r), NULL, "expected an object");                                          \
            else {                                                                                \
                __VA_ARGS__                                                                       \
            }                                                                                     \
            pop(r);                                                                               \
        }                                                                                         \
        pop(r);                                                                                   \
    } while (0)

/* One bound of a frame: its kind in field key, its offset in key_offset. */
static ir_frame_bound rd_bound(rd *r, const cJSON *obj, const char *key, ir_frame_bound def)
{
    char okey[32];
    snprintf(okey, sizeof okey, "%s_offset", key);
    ir_frame_bound b = def;
    if (!item(obj, key))
        rd_err(r, key, "a frame needs a \"%s\" bound", key);
    b.kind = (ir_bound_kind)opt_enum(r, obj, key, bound_names, N_OF(bound_names), (int)def.kind);
    bool has_offset = b.kind == IR_BOUND_PRECEDING || b.kind == IR_BOUND_FOLLOWING;
    b.offset = 0;
    if (has_offset && !item(obj, okey))
        rd_err(r, key, "a %s bound needs \"%s\"", bound_names[b.kind], okey);
    else if (has_offset)
        b.offset = opt_int(r, obj, okey, 0, INT64_MAX);
    else if (item(obj, okey))
        rd_err(r, okey, "only a preceding or following bound has an offset");
    return b;
}

static void rd_frame(rd *r, const cJSON *v, ir_frame *f)
{
    ir_frame d = ir_frame_default();
    push_key(r, "frame");
    if (!item(v, "unit"))
        rd_err(r, "unit", "a frame needs a \"unit\" (\"range\" or \"rows\")");
    f->unit = (ir_frame_unit)opt_enum(r, v, "unit", frame_unit_names, N_OF(frame_unit_names), (int)d.unit);
    f->start = rd_bound(r, v, "start", d.start);
    f->end = rd_bound(r, v, "end", d.end);
    if (f->start.kind == IR_BOUND_UNBOUNDED_FOLLOWING)
        rd_err(r, "start", "a frame cannot start at unbounded_following");
    if (f->end.kind == IR_BOUND_UNBOUNDED_PRECEDING)
        rd_err(r, "end", "a frame cannot end at unbounded_preceding");
    pop(r);
}

static void rd_node(rd *r, const cJSON *v)
{
    ir_job *job = r->job;
    const cJSON *idv = item(v, "id");
    int id = 0;
    if (!idv)
        rd_err(r, NULL, "a node needs an \"id\"");
    else
        id = (int)num_value(r, idv, "id", 1, INT32_MAX - 1, 0); /* next_id = max + 1 must fit */
    const char *opname = opt_str(r, v, "op");
    int op = opname ? ir_op_by_name(opname) : -1;
    if (op < 0) {
        rd_err(r, "op", "unknown node op '%s'", opname ? opname : "");
        op = IR_OP_PROCEDURE;
    }
    for (int i = 0; id > 0 && i < job->n_nodes; i++)
        if (job->nodes[i]->id == id)
            rd_err(r, "id", "duplicate node id %d", id);
    const char *name = opt_str(r, v, "name");
    ir_node *n = ir_node_add(job, (ir_op)op, name ? name : "");
    n->id = id;
    n->legacy_type = opt_intern(r, v, "legacy_type");
    n->span = opt_span(r, v);
    n->legacy = opt_dup(r, v, "legacy");
    const cJSON *inputs = opt_array(r, v, "inputs");
    if (inputs) {
        push_key(r, "inputs");
        int i = 0;
        for (const cJSON *in = inputs->child; in; in = in->next, i++) {
            push_index(r, i);
            ir_node_add_input(job, n, (int)num_value(r, in, NULL, 0, INT32_MAX, 0));
            pop(r);
        }
        pop(r);
    }
    n->dataset = opt_intern(r, v, "dataset");
    n->sql = opt_dup(r, v, "sql");
    n->predicate = opt_expr(r, v, "predicate");
    n->join = (ir_join_kind)opt_enum(r, v, "join", join_names, N_OF(join_names), IR_JOIN_INNER);
    n->match = (ir_match_policy)opt_enum(r, v, "match", match_names, N_OF(match_names), IR_MATCH_FIRST);
    const cJSON *keys = opt_array(r, v, "keys");
    if (keys) {
        push_key(r, "keys");
        int i = 0;
        for (const cJSON *k = keys->child; k; k = k->next, i++) {
            push_index(r, i);
            ir_node_add_key(job, n, rd_expr(r, k));
            pop(r);
        }
        pop(r);
    }
    FOR_EACH_IN(r, v, "order", o, {
        ir_expr *e = opt_expr(r, o, "expr");
        if (!e) {
            rd_err(r, NULL, "a sort key needs an \"expr\"");
            e = ir_hole(job, "", "missing sort expression");
        }
        ir_node_add_order(job, n, e, opt_bool(r, o, "desc"));
        static const char *const nulls_names[] = {"default", "first", "last"};
        n->order[n->n_order - 1].nulls = (int8_t)opt_enum(r, o, "nulls", nulls_names, 3, 0);
    });
    const cJSON *frame = item(v, "frame");
    if (frame && !cJSON_IsObject(frame))
        rd_err(r, "frame", "expected an object {\"unit\": ..., \"start\": ..., \"end\": ...}");
    else if (frame)
        rd_frame(r, frame, &n->frame);
    n->distinct = opt_bool(r, v, "distinct");
    n->keep_last = opt_bool(r, v, "keep_last");
    n->empty_row = opt_bool(r, v, "empty_row");
    n->top_n = opt_int(r, v, "top_n", INT64_MIN, INT64_MAX);
    n->bottom = opt_bool(r, v, "bottom");
    n->group = opt_intern(r, v, "group");
    n->occurs = (int)opt_int(r, v, "occurs", 0, INT32_MAX);
    n->count = opt_expr(r, v, "count");
    n->seq_start = opt_int(r, v, "seq_start", INT64_MIN, INT64_MAX);
    n->seq_increment = opt_int(r, v, "seq_increment", INT64_MIN, INT64_MAX);
    const cJSON *load = item(v, "load");
    if (load && !cJSON_IsObject(load))
        rd_err(r, "load", "expected an object {\"mode\": ..., \"keys\": [...]}");
    else if (load) {
        push_key(r, "load");
        n->load = (ir_load_mode)opt_enum(r, load, "mode", load_names, N_OF(load_names), IR_LOAD_APPEND);
        const cJSON *mk = opt_array(r, load, "keys");
        if (mk) {
            int cnt = cJSON_GetArraySize(mk);
            n->merge_keys = arena_alloc(job->arena, (size_t)(cnt ? cnt : 1) * sizeof *n->merge_keys);
            push_key(r, "keys");
            int i = 0;
            for (const cJSON *k = mk->child; k; k = k->next, i++) {
                if (!cJSON_IsString(k)) {
                    push_index(r, i);
                    rd_err(r, NULL, "expected a column name");
                    pop(r);
                }
                n->merge_keys[i] = ir_intern(job, cJSON_IsString(k) ? k->valuestring : "");
            }
            pop(r);
            n->n_merge_keys = cnt;
        }
        pop(r);
    }
    n->hole_reason = opt_dup(r, v, "hole_reason");
    FOR_EACH_IN(r, v, "columns", c, {
        ir_type t = opt_type(r, c, "type");
        ir_column *col = ir_node_add_col(job, n, col_name(r, c), t, NULL);
        rd_column_rest(r, c, col);
    });
    FOR_EACH_IN(r, v, "props", p, {
        const char *key = opt_str(r, p, "key");
        const char *value = opt_str(r, p, "value");
        ir_node_add_prop(job, n, key ? key : "", value ? value : "");
        if (!value)
            n->props[n->n_props - 1].value = NULL;
    });
}

static void rd_dataset(rd *r, const cJSON *v)
{
    ir_job *job = r->job;
    const char *name = opt_str(r, v, "name");
    if (!name) {
        rd_err(r, NULL, "a dataset needs a \"name\"");
        name = "";
    }
    ir_dataset *d = ir_job_add_dataset(job, name);
    d->kind = opt_intern(r, v, "kind");
    d->db_type = opt_intern(r, v, "db_type");
    d->span = opt_span(r, v);
    d->delimiter = opt_dup(r, v, "delimiter");
    d->fixed_width = opt_bool(r, v, "fixed_width");
    d->quote = opt_dup(r, v, "quote");
    d->skip_rows = (int)opt_int(r, v, "skip_rows", 0, INT32_MAX);
    d->encoding = opt_intern(r, v, "encoding");
    FOR_EACH_IN(r, v, "columns", c, {
        ir_type t = opt_type(r, c, "type");
        ir_column *col = ir_dataset_add_col(job, d, col_name(r, c), t);
        rd_column_rest(r, c, col);
    });
}

static void rd_param(rd *r, const cJSON *v)
{
    const char *name = opt_str(r, v, "name");
    if (!name) {
        rd_err(r, NULL, "a parameter needs a \"name\"");
        name = "";
    }
    ir_param *p = ir_job_add_param(r->job, name);
    p->type = opt_type(r, v, "type");
    p->default_value = opt_dup(r, v, "default");
    p->is_variable = opt_bool(r, v, "variable");
    p->aggregation = opt_intern(r, v, "aggregation");
    p->span = opt_span(r, v);
}

int ir_job_from_json(ir_job **out, const char *text, size_t len, const char *path, diag_ctx *dc)
{
    *out = NULL;
    rd r;
    memset(&r, 0, sizeof r);
    r.dc = dc;
    r.path = path;
    r.text = text;
    r.len = len;

    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
        report_at(&r, off, "malformed JSON");
        return -1;
    }
    size_t rest = end ? skip_ws(text, len, (size_t)(end - text)) : len;
    while (rest < len && text[rest] == '\0')
        rest++; /* a NUL terminator inside len is not content */
    if (rest < len) {
        report_at(&r, rest, "unexpected text after the JSON value");
        cJSON_Delete(root);
        return -1;
    }
    if (!cJSON_IsObject(root)) {
        report_at(&r, skip_ws(text, len, 0), "expected a JSON object (an IR job)");
        cJSON_Delete(root);
        return -1;
    }
    const cJSON *ver = item(root, "ir_version");
    const char *kind = cJSON_IsString(item(root, "kind")) ? item(root, "kind")->valuestring : NULL;
    const char *name = cJSON_IsString(item(root, "name")) ? item(root, "name")->valuestring : "job";
    r.job = ir_job_new(name);
    if (!cJSON_IsNumber(ver))
        rd_err(&r, "ir_version", "missing or not a number: this is not etlport IR JSON");
    else if (ver->valuedouble != IR_VERSION)
        rd_err(&r, "ir_version", "IR version %g is not supported (this build reads version %d)", ver->valuedouble,
               IR_VERSION);
    else if (!kind || strcmp(kind, "job") != 0)
        rd_err(&r, "kind", "expected \"job\"");
    if (r.errors)
        goto done;

    ir_job *job = r.job;
    const cJSON *origin = item(root, "origin");
    if (origin && !cJSON_IsObject(origin))
        rd_err(&r, "origin", "expected an object");
    else if (origin) {
        push_key(&r, "origin");
        job->format = opt_intern(&r, origin, "format");
        job->file = opt_intern(&r, origin, "file");
        job->folder = opt_intern(&r, origin, "folder");
        job->line = (int)opt_int(&r, origin, "line", 0, INT32_MAX);
        pop(&r);
    }
    job->description = opt_dup(&r, root, "description");
    FOR_EACH_IN(&r, root, "params", p, { rd_param(&r, p); });
    FOR_EACH_IN(&r, root, "datasets", d, { rd_dataset(&r, d); });
    FOR_EACH_IN(&r, root, "nodes", n, { rd_node(&r, n); });
    int max_id = 0;
    for (int i = 0; i < job->n_nodes; i++)
        if (job->nodes[i]->id > max_id)
            max_id = job->nodes[i]->id;
    job->next_id = max_id + 1;

done:
    cJSON_Delete(root);
    if (r.errors) {
        ir_job_free(r.job);
        return -1;
    }
    *out = r.job;
    return 0;
}
