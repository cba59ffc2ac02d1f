/*
 * diff_review.c — the review page of one job (diff_review.h): the verifier's comparison and
 * scores of each artifact, with each column and step placed in the legacy job and in the
 * generated code.
 *
 * Placing: a target column is followed upstream through plain references (a column passed on
 * unchanged) to the node that computes it; its legacy text and span come from there. In the code
 * read back, the same walk stops earlier at a rename or at the node that reads a source (those
 * lines are the ones a reviewer looks for); the node starts at the CTE of its name where the SQL
 * has one, else at the span the reader gave it, and the column's line is the first one from there
 * that names it. A step (filter, join, group ...) is placed at every node of its kind upstream of
 * the target, at the first line from the node's start that begins such a step.
 */
#include "cli/diff_review.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/verify_score.h"
#include "core/diag.h"
#include "verifier/diffexec.h"
#include "verifier/readback.h"
#include "verifier/score.h"

enum { MAX_WALK = 64, SEARCH_LINES = 200, MAX_CODE_LINES = 8 };

static void *must(void *p)
{
    if (!p) {
        fputs("etlport: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

static void quiet(void *userdata, const diag *d)
{
    (void)userdata;
    (void)d;
}

/* Where a column is computed: from (n, c) through references to another node's column. */
typedef struct placed {
    const ir_node *node;
    const ir_column *col;
} placed;

/* Whether a column that references an input column passes its value on unchanged: not in a
 * source, nor where a reference means more (an aggregate's non-key port is its group's last value,
 * a union column reads every input, a normalize column one per occurrence; a window's plain
 * columns pass on, its window columns are no references). */
static bool passes_on(const ir_node *n, const ir_column *c)
{
    if (c->flags & (IR_COL_ORDER_DEPENDENT | IR_COL_GENERATED))
        return false;
    if (n->op == IR_OP_AGGREGATE) { /* a group key passes on; another port is its group's last value */
        for (int i = 0; i < n->n_keys; i++)
            if (n->keys[i]->kind == IR_EX_REF && c->expr->kind == IR_EX_REF && n->keys[i]->u.ref.node == c->expr->u.ref.node &&
                strcmp(n->keys[i]->u.ref.col, c->expr->u.ref.col) == 0)
                return true;
        return false;
    }
    switch (n->op) {
    case IR_OP_SOURCE:
    case IR_OP_UNION:
    case IR_OP_NORMALIZE:
    case IR_OP_PROCEDURE:
        return false;
    default:
        return true;
    }
}

static placed place_column(const ir_job *job, const ir_node *n, const char *name, bool generated)
{
    placed p = {n, n ? ir_node_col_ci(n, name) : NULL};
    for (int hops = 0; p.col && hops < MAX_WALK; hops++) {
        const ir_expr *e = p.col->expr;
        if (p.col->legacy || !e || e->kind != IR_EX_REF || !passes_on(p.node, p.col))
            break;
        const ir_node *up = ir_job_node(job, e->u.ref.node);
        const ir_column *uc = up ? ir_node_col(up, e->u.ref.col) : NULL;
        /* in generated code the line that reads a source, or renames a column, is the one to show */
        if (!uc || (generated && (up->op == IR_OP_SOURCE || strcasecmp(uc->name, p.col->name) != 0)))
            break;
        p.node = up;
        p.col = uc;
    }
    return p;
}

static ir_span best_span(const placed *p)
{
    if (p->col && p->col->expr && p->col->expr->span.line > 0)
        return p->col->expr->span;
    if (p->col && p->col->span.line > 0)
        return p->col->span;
    return p->node ? p->node->span : (ir_span){0};
}

static char *loc_text(ir_span s, const char *fallback_file)
{
    const char *file = s.file && *s.file ? s.file : fallback_file;
    if (!file || s.line <= 0)
        return NULL;
    size_t n = strlen(file) + 24;
    char *t = must(malloc(n));
    snprintf(t, n, "%s:%d", file, s.line);
    return t;
}

static void add_string_or_null(cJSON *o, const char *key, const char *s)
{
    if (s)
        must(cJSON_AddStringToObject(o, key, s));
    else
        must(cJSON_AddNullToObject(o, key));
}

/* Whether line (1-based) of f names word as a whole identifier, ignoring case. */
static bool line_names(const srcfile *f, int line, const char *word)
{
    size_t a = srcfile_line_offset(f, line), b = srcfile_line_offset(f, line + 1), w = strlen(word);
    if (!w)
        return false;
    for (size_t i = a; i + w <= b; i++) {
        if (strncasecmp(f->text + i, word, w) != 0)
            continue;
        bool left = i == a || !(isalnum((unsigned char)f->text[i - 1]) || f->text[i - 1] == '_');
        bool right = i + w == b || !(isalnum((unsigned char)f->text[i + w]) || f->text[i + w] == '_');
        if (left && right)
            return true;
    }
    return false;
}

/* Whether line of f is a comment line (Python '#' or SQL '--'). */
static bool is_comment(const srcfile *f, int line)
{
    size_t a = srcfile_line_offset(f, line), b = srcfile_line_offset(f, line + 1);
    while (a < b && (f->text[a] == ' ' || f->text[a] == '\t'))
        a++;
    return a < b && (f->text[a] == '#' || (f->text[a] == '-' && a + 1 < b && f->text[a + 1] == '-'));
}

/* The code from line on, while brackets opened there stay open (at most MAX_CODE_LINES lines),
 * each line's common indentation removed. */
static char *code_at(const srcfile *f, int line)
{
    if (!f || line <= 0 || (size_t)line > f->n_lines)
        return NULL;
    strbuf sb = STRBUF_INIT;
    int depth = 0, indent = -1;
    for (int l = line; l < line + MAX_CODE_LINES && (size_t)l <= f->n_lines; l++) {
        size_t a = srcfile_line_offset(f, l), b = srcfile_line_offset(f, l + 1);
        while (b > a && (f->text[b - 1] == '\n' || f->text[b - 1] == '\r'))
            b--;
        int ind = 0;
        while (a + (size_t)ind < b && f->text[a + (size_t)ind] == ' ')
            ind++;
        if (indent < 0)
            indent = ind;
        size_t skip = (size_t)(ind < indent ? ind : indent);
        if (sb.len)
            sb_putc(&sb, '\n');
        sb_putn(&sb, f->text + a + skip, b - a - skip);
        char quote = 0;
        for (size_t i = a; i < b; i++) {
            char c = f->text[i];
            if (quote) {
                if (c == '\\')
                    i++;
                else if (c == quote)
                    quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
        }
        if (depth <= 0)
            break;
    }
    return sb_take(&sb);
}

/* The line a node of the code read back starts on: where the SQL defines the CTE named after it
 * (`NAME AS (`, the Snowflake backend's one CTE per node), else the span the reader gave it. */
static int node_line(const srcfile *f, const ir_node *n)
{
    size_t w = n->name ? strlen(n->name) : 0;
    for (size_t l = 1; f && w && l <= f->n_lines; l++) {
        size_t a = srcfile_line_offset(f, (int)l), b = srcfile_line_offset(f, (int)l + 1);
        while (a < b && f->text[a] == ' ')
            a++;
        if (b - a > w + 4 && strncasecmp(f->text + a, n->name, w) == 0 && strncmp(f->text + a + w, " AS (", 5) == 0)
            return (int)l;
    }
    return n->span.line;
}

/* The line of the generated code that computes the placed column (see the file comment). */
static int generated_line(const srcfile *f, const placed *p, const char *name)
{
    int from = p->node ? node_line(f, p->node) : 0;
    if (from <= 0 || from == p->node->span.line) { /* no CTE of the node's name: the reader's spans */
        if (p->col && p->col->expr && p->col->expr->span.line > 0)
            return p->col->expr->span.line;
        if (p->col && p->col->span.line > 0)
            return p->col->span.line;
    }
    if (from <= 0 || !f)
        return from;
    for (int l = from; l < from + SEARCH_LINES && (size_t)l <= f->n_lines; l++)
        if (!is_comment(f, l) && line_names(f, l, name))
            return l;
    return from;
}

/* The words that start a step of each kind in PySpark or SQL (matched ignoring case). */
static const struct {
    const char *kind;
    const char *words[4];
} step_words[] = {
    {"filter", {".filter(", ".where(", "where ", "qualify "}},
    {"join", {".join(", "join "}},
    {"lookup", {".join(", "join "}},
    {"group", {".groupby(", "group by"}},
    {"dedup", {"row_number", ".dropduplicates(", "qualify "}},
    {"rank", {"rank(", "qualify "}},
    {"limit", {".limit(", "limit ", "qualify "}},
    {"distinct", {".distinct(", ".dropduplicates(", "distinct"}},
    {"load", {".saveastable(", ".merge(", "insert ", "merge "}},
    {"merge", {".merge(", "merge "}},
};

/* The first line from a node's line on that starts a step of the kind (the reader may keep
 * only the line a method chain starts on); the node's line when none does. */
static int step_line(const srcfile *f, int from, const char *kind)
{
    for (size_t k = 0; f && from > 0 && k < sizeof step_words / sizeof step_words[0]; k++) {
        if (strcmp(step_words[k].kind, kind) != 0)
            continue;
        for (int l = from; l < from + SEARCH_LINES / 4 && (size_t)l <= f->n_lines; l++) {
            if (is_comment(f, l))
                continue;
            size_t a = srcfile_line_offset(f, l), b = srcfile_line_offset(f, l + 1);
            for (int w = 0; w < 4 && step_words[k].words[w]; w++) {
                size_t n = strlen(step_words[k].words[w]);
                for (size_t i = a; i + n <= b; i++)
                    if (strncasecmp(f->text + i, step_words[k].words[w], n) == 0)
                        return l;
            }
        }
    }
    return from;
}

/* The legacy side of a column: {"text", "loc", "node"}. */
static cJSON *legacy_side(const ir_job *legacy, const ir_node *lt, const char *column)
{
    cJSON *o = must(cJSON_CreateObject());
    placed p = place_column(legacy, lt, column, false);
    char *loc = p.col ? loc_text(best_span(&p), legacy->file) : NULL;
    add_string_or_null(o, "text", p.col ? p.col->legacy : NULL);
    add_string_or_null(o, "loc", loc);
    add_string_or_null(o, "node", p.node ? p.node->name : NULL);
    add_string_or_null(o, "op", p.node ? ir_op_name(p.node->op) : NULL);
    free(loc);
    return o;
}

/* The generated side of a column: {"code", "loc"}. */
static cJSON *generated_side(const ir_job *gj, const ir_node *gt, const srcfile *f, const char *shown,
                             const char *column)
{
    cJSON *o = must(cJSON_CreateObject());
    placed p = gj && gt ? place_column(gj, gt, column, true) : (placed){0};
    int line = p.col ? generated_line(f, &p, p.col->name) : 0;
    char *code = line > 0 ? code_at(f, line) : NULL;
    char *loc = line > 0 ? loc_text((ir_span){shown, line, 1}, shown) : NULL;
    add_string_or_null(o, "code", code);
    add_string_or_null(o, "loc", loc);
    free(code);
    free(loc);
    return o;
}

/* The node kinds a step kind of the comparison stands for. */
static bool step_op(const char *kind, const ir_node *n)
{
    if (strcmp(kind, "filter") == 0)
        return n->op == IR_OP_FILTER || (n->op == IR_OP_SOURCE && n->predicate);
    if (strcmp(kind, "join") == 0)
        return n->op == IR_OP_JOIN;
    if (strcmp(kind, "lookup") == 0)
        return n->op == IR_OP_LOOKUP;
    if (strcmp(kind, "group") == 0)
        return n->op == IR_OP_AGGREGATE;
    if (strcmp(kind, "dedup") == 0)
        return n->op == IR_OP_DEDUP;
    if (strcmp(kind, "rank") == 0 || strcmp(kind, "limit") == 0)
        return n->op == IR_OP_RANK || (n->op == IR_OP_SORT && n->top_n > 0);
    if (strcmp(kind, "distinct") == 0)
        return (n->op == IR_OP_SORT || n->op == IR_OP_SOURCE) && n->distinct;
    if (strcmp(kind, "procedure") == 0)
        return n->op == IR_OP_PROCEDURE;
    if (strcmp(kind, "load") == 0 || strcmp(kind, "merge") == 0)
        return n->op == IR_OP_TARGET || n->op == IR_OP_UPDATE;
    return false;
}

/* The nodes of a kind upstream of (and including) the target, in the job's order. */
static int step_nodes(const ir_job *job, const ir_node *t, const char *kind, const ir_node **out, int cap)
{
    if (!job || !t)
        return 0;
    bool *seen = must(calloc((size_t)job->next_id + 1, sizeof *seen));
    int *stack = must(malloc(((size_t)job->next_id + 1) * sizeof *stack));
    int sp = 0, n = 0;
    stack[sp++] = t->id;
    seen[t->id] = true;
    while (sp) {
        const ir_node *x = ir_job_node(job, stack[--sp]);
        for (int i = 0; x && i < x->n_inputs; i++)
            if (x->inputs[i] > 0 && x->inputs[i] <= job->next_id && !seen[x->inputs[i]]) {
                seen[x->inputs[i]] = true;
                stack[sp++] = x->inputs[i];
            }
    }
    for (int i = 0; i < job->n_nodes && n < cap; i++)
        if (seen[job->nodes[i]->id] && step_op(kind, job->nodes[i]))
            out[n++] = job->nodes[i];
    free(seen);
    free(stack);
    return n;
}

/* Whether a node's legacy text (its main expression) is the text of a step of the kind. */
static bool step_has_text(const char *kind)
{
    return strcmp(kind, "filter") == 0 || strcmp(kind, "join") == 0 || strcmp(kind, "lookup") == 0;
}

/* The legacy side of a step: {"text", "loc", "node"}, several nodes joined by new lines. */
static cJSON *legacy_step(const ir_job *legacy, const ir_node *lt, const char *kind)
{
    const ir_node *nodes[16];
    int n = step_nodes(legacy, lt, kind, nodes, 16);
    strbuf text = STRBUF_INIT, loc = STRBUF_INIT, name = STRBUF_INIT;
    for (int i = 0; i < n; i++) {
        char *l = loc_text(nodes[i]->span, legacy->file);
        const char *sep = i ? "\n" : "";
        if (nodes[i]->legacy && step_has_text(kind))
            sb_printf(&text, "%s%s", sep, nodes[i]->legacy);
        if (l)
            sb_printf(&loc, "%s%s", loc.len ? ", " : "", l);
        if (nodes[i]->name)
            sb_printf(&name, "%s%s", name.len ? ", " : "", nodes[i]->name);
        free(l);
    }
    cJSON *o = must(cJSON_CreateObject());
    add_string_or_null(o, "text", text.len ? sb_cstr(&text) : NULL);
    add_string_or_null(o, "loc", loc.len ? sb_cstr(&loc) : NULL);
    add_string_or_null(o, "node", name.len ? sb_cstr(&name) : NULL);
    sb_free(&text);
    sb_free(&loc);
    sb_free(&name);
    return o;
}

/* The generated side of a step: the code at each node of its kind. */
static cJSON *generated_step(const ir_job *gj, const ir_node *gt, const srcfile *f, const char *shown,
                             const char *kind)
{
    strbuf code = STRBUF_INIT, loc = STRBUF_INIT;
    int last = 0;
    const ir_node *nodes[16];
    int n = step_nodes(gj, gt, kind, nodes, 16);
    for (int i = 0; i < n; i++) {
        int line = step_line(f, node_line(f, nodes[i]), kind);
        if (line <= 0 || line == last)
            continue;
        last = line;
        char *c = code_at(f, line);
        if (c)
            sb_printf(&code, "%s%s", code.len ? "\n" : "", c);
        sb_printf(&loc, "%s%s:%d", loc.len ? ", " : "", shown, line);
        free(c);
    }
    cJSON *o = must(cJSON_CreateObject());
    add_string_or_null(o, "code", code.len ? sb_cstr(&code) : NULL);
    add_string_or_null(o, "loc", loc.len ? sb_cstr(&loc) : NULL);
    sb_free(&code);
    sb_free(&loc);
    return o;
}

/* Moves key from one object to another (nothing when absent). */
static void move_item(cJSON *to, cJSON *from, const char *key)
{
    cJSON *it = cJSON_DetachItemFromObjectCaseSensitive(from, key);
    if (it)
        cJSON_AddItemToObject(to, key, it);
}

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* The k-th target of the legacy job that writes dataset (several target instances may load one
 * table; the comparison lists their items in the job's order, named as the legacy job names
 * them), else the first. */
static const ir_node *legacy_target(const ir_job *legacy, const char *dataset, int k)
{
    const ir_node *first = NULL;
    for (int i = 0; i < legacy->n_nodes; i++) {
        const ir_node *n = legacy->nodes[i];
        if (n->op != IR_OP_TARGET || strcasecmp(n->dataset ? n->dataset : n->name ? n->name : "", dataset) != 0)
            continue;
        if (!first)
            first = n;
        if (k-- == 0)
            return n;
    }
    return first;
}

/* Which target instance an item belongs to: items come target by target in the legacy order, so
 * a name seen again for the same dataset starts its next instance. */
typedef struct instances {
    struct {
        const char *dataset;
        int k;
        const char **names;
        int n, cap;
    } *v;
    int n, cap;
} instances;

static int instance_of(instances *in, const char *dataset, const char *name)
{
    int i = 0;
    while (i < in->n && strcmp(in->v[i].dataset, dataset) != 0)
        i++;
    if (i == in->n) {
        if (in->n == in->cap) {
            in->cap = in->cap ? in->cap * 2 : 8;
            in->v = must(realloc(in->v, sizeof *in->v * (size_t)in->cap));
        }
        memset(&in->v[in->n], 0, sizeof in->v[0]);
        in->v[in->n++].dataset = dataset;
    }
    for (int k = 0; k < in->v[i].n; k++)
        if (strcmp(in->v[i].names[k], name) == 0) {
            in->v[i].k++;
            in->v[i].n = 0;
            break;
        }
    if (in->v[i].n == in->v[i].cap) {
        in->v[i].cap = in->v[i].cap ? in->v[i].cap * 2 : 16;
        in->v[i].names = must(realloc(in->v[i].names, sizeof *in->v[i].names * (size_t)in->v[i].cap));
    }
    in->v[i].names[in->v[i].n++] = name;
    return in->v[i].k;
}

static void instances_free(instances *in)
{
    for (int i = 0; i < in->n; i++)
        free(in->v[i].names);
    free(in->v);
    memset(in, 0, sizeof *in);
}

/* A comparison item (column or step) with its two sides placed. */
static cJSON *review_item(const cJSON *it, bool column, instances *seen, const ir_job *legacy, ir_job *const *gen,
                          int n_gen, const srcfile *f, const char *shown)
{
    const char *target = str_of(it, "target"), *name = str_of(it, column ? "column" : "kind");
    cJSON *o = must(cJSON_CreateObject());
    add_string_or_null(o, "target", target);
    add_string_or_null(o, column ? "column" : "kind", name);
    add_string_or_null(o, "verdict", str_of(it, "verdict"));
    bool placeable = target && *target && name;
    int k = placeable ? instance_of(seen, target, name) : 0;
    if (k > 0) /* the k-th other target instance loading the same dataset */
        must(cJSON_AddNumberToObject(o, "instance", k));
    const ir_node *lt = placeable ? legacy_target(legacy, target, k) : NULL;
    const ir_job *gj = NULL;
    const ir_node *gt = lt ? verify_pair_target(legacy, lt, gen, n_gen, &gj) : NULL;
    cJSON_AddItemToObject(o, "legacy", lt ? (column ? legacy_side(legacy, lt, name) : legacy_step(legacy, lt, name))
                                          : must(cJSON_CreateObject()));
    cJSON *canon = must(cJSON_AddObjectToObject(o, "canonical"));
    add_string_or_null(canon, "legacy", str_of(it, "legacy"));
    add_string_or_null(canon, "generated", str_of(it, "generated"));
    cJSON_AddItemToObject(o, "generated", lt ? (column ? generated_side(gj, gt, f, shown, name)
                                                       : generated_step(gj, gt, f, shown, name))
                                             : must(cJSON_CreateObject()));
    add_string_or_null(o, "why", str_of(it, "why"));
    return o;
}

static cJSON *parse_object(const strbuf *sb)
{
    return must(cJSON_ParseWithLength(sb->data ? sb->data : "{}", sb->data ? sb->len : 2));
}

/* The review of one artifact. */
static cJSON *review_artifact(const verify_policy *p, const ir_job *legacy, const diff_artifact *art)
{
    static const char *const names[] = {"spark", "snowflake"};
    cJSON *o = must(cJSON_CreateObject());
    must(cJSON_AddStringToObject(o, "target", names[art->target]));
    must(cJSON_AddStringToObject(o, "file", art->shown));
    srcfile *f = NULL;
    if (srcfile_load(&f, art->path) < 0) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot read: %s", strerror(errno));
        must(cJSON_AddStringToObject(o, "error", msg));
        return o;
    }
    diag_ctx dc;
    diag_init(&dc, quiet, NULL);
    verify_cli_jobs gen = {0};
    if (art->target == VERIFY_SPARK) {
        ir_job *g = NULL;
        if (readback_spark(&g, f->text, f->len, art->shown, legacy, &dc) == 0)
            verify_cli_keep_job(&gen, g);
    } else {
        readback_snow(art->path, &dc, verify_cli_keep_job, &gen);
    }
    verify_result r;
    verify_compare(&r, legacy, gen.v, gen.n, art->target);
    verify_assessment a;
    verify_assess(&a, p, art->target, f->text, f->len, art->shown, legacy, gen.v, gen.n, &r, true);

    strbuf sb = STRBUF_INIT;
    verify_result_to_json(&r, &sb);
    cJSON *cmp = parse_object(&sb);
    sb_clear(&sb);
    sb_puts(&sb, "{\n");
    verify_assessment_to_json(&a, &sb, 1);
    sb_puts(&sb, "\n}\n");
    cJSON *score = parse_object(&sb);
    sb_free(&sb);

    move_item(o, cmp, "verdict");
    move_item(o, cmp, "counts");
    must(cJSON_AddNumberToObject(o, "differences", r.col_counts[VERIFY_DIFFERS] + r.node_counts[VERIFY_DIFFERS]));
    move_item(o, score, "layers");
    move_item(o, score, "composite");
    move_item(o, score, "tier");
    move_item(o, score, "tier_by_score");
    move_item(o, score, "capped_by");
    move_item(o, cmp, "sources");
    cJSON *cols = must(cJSON_AddArrayToObject(o, "columns"));
    const cJSON *it;
    instances seen = {0};
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(cmp, "columns"))
        cJSON_AddItemToArray(cols, review_item(it, true, &seen, legacy, gen.v, gen.n, f, art->shown));
    instances_free(&seen);
    cJSON *steps = must(cJSON_AddArrayToObject(o, "steps"));
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(cmp, "nodes"))
        cJSON_AddItemToArray(steps, review_item(it, false, &seen, legacy, gen.v, gen.n, f, art->shown));
    instances_free(&seen);
    move_item(o, cmp, "execution");
    move_item(o, cmp, "counterexamples");
    move_item(o, score, "findings");

    cJSON_Delete(cmp);
    cJSON_Delete(score);
    verify_assessment_free(&a);
    verify_result_free(&r);
    verify_cli_jobs_clear(&gen);
    srcfile_free(f);
    return o;
}

/* The worse of two verdict names: differs over unverified over equal. */
static int verdict_rank(const char *v)
{
    return !v ? -1 : strcmp(v, "differs") == 0 ? 2 : strcmp(v, "unverified") == 0 ? 1 : 0;
}

cJSON *diff_review_job(const verify_policy *p, const ir_job *legacy, const char *legacy_shown,
                       const diff_artifact *arts, int n_arts)
{
    cJSON *page = must(cJSON_CreateObject());
    must(cJSON_AddStringToObject(page, "report", "review"));
    must(cJSON_AddNumberToObject(page, "report_version", 1));
    must(cJSON_AddStringToObject(page, "job", legacy->name ? legacy->name : ""));
    add_string_or_null(page, "folder", legacy->folder);
    add_string_or_null(page, "format", legacy->format);
    add_string_or_null(page, "legacy_file", legacy_shown ? legacy_shown : legacy->file);
    must(cJSON_AddNumberToObject(page, "legacy_line", legacy->line));
    must(cJSON_AddStringToObject(page, "profile", p->production ? "production" : "non-production"));
    cJSON *list = must(cJSON_CreateArray());
    int worst_verdict = -1, worst_tier = -1, differences = 0;
    for (int i = 0; i < n_arts; i++) {
        cJSON *a = review_artifact(p, legacy, &arts[i]);
        const char *v = str_of(a, "verdict"), *t = str_of(a, "tier");
        if (verdict_rank(v) > worst_verdict)
            worst_verdict = verdict_rank(v);
        int k = t ? verify_tier_from_name(t) : -1;
        worst_tier = k > worst_tier ? k : worst_tier;
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(a, "differences");
        differences += cJSON_IsNumber(d) ? d->valueint : 0;
        cJSON_AddItemToArray(list, a);
    }
    static const char *const verdicts[] = {"equal", "unverified", "differs"};
    add_string_or_null(page, "verdict", worst_verdict >= 0 ? verdicts[worst_verdict] : NULL);
    add_string_or_null(page, "tier", worst_tier >= 0 ? verify_tier_name((verify_tier)worst_tier) : NULL);
    must(cJSON_AddNumberToObject(page, "differences", differences));
    cJSON_AddItemToObject(page, "artifacts", list);
    return page;
}
