/*
 * layers_common.c — the rule table, findings lists, and the scanning helpers the syntax, security
 * and performance layers share (layers_internal.h): Python over tree-sitter, Snowflake SQL as
 * tokens, and the tests for secret-looking names and values.
 */
#include "verifier/layers.h"
#include "verifier/layers_internal.h"
#include "verifier/syntax.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const verify_rule_info rule_table[VRULE__COUNT] = {
#define X(id, name, layer, severity, meaning) {name, VERIFY_LAYER_##layer, VERIFY_SEV_##severity, meaning},
#include "verifier/rules.def"
#undef X
};

static const char *const layer_names[VERIFY_LAYER__COUNT] = {"syntax", "security", "semantic", "performance"};

const char *verify_layer_name(verify_layer l)
{
    return l >= 0 && l < VERIFY_LAYER__COUNT ? layer_names[l] : "?";
}

const verify_rule_info *verify_rule_get(verify_rule r)
{
    return r >= 0 && r < VRULE__COUNT ? &rule_table[r] : NULL;
}

/* ---- findings ---- */

void findings_init(verify_findings *f)
{
    memset(f, 0, sizeof *f);
    f->arena = arena_new();
}

void findings_free(verify_findings *f)
{
    if (f->arena)
        arena_free(f->arena);
    memset(f, 0, sizeof *f);
}

void findings_add(verify_findings *f, verify_rule rule, const char *file, int line, int col, const char *fmt, ...)
{
    if (f->n == f->cap) {
        int cap = f->cap ? f->cap * 2 : 16;
        f->v = arena_grow(f->arena, f->v, (size_t)f->cap, (size_t)cap, sizeof *f->v);
        f->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = arena_vprintf(f->arena, fmt, ap);
    va_end(ap);
    f->v[f->n++] = (verify_finding){rule, file ? arena_strdup(f->arena, file) : "", line, col, msg};
}

static int cmp_finding(const void *pa, const void *pb)
{
    const verify_finding *a = pa, *b = pb;
    int la = rule_table[a->rule].layer, lb = rule_table[b->rule].layer;
    if (la != lb)
        return la - lb;
    int c = strcmp(a->file, b->file);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line - b->line;
    if (a->col != b->col)
        return a->col - b->col;
    if (a->rule != b->rule)
        return (int)a->rule - (int)b->rule;
    return strcmp(a->message, b->message);
}

void findings_sort(verify_findings *f)
{
    if (f->n < 2)
        return;
    qsort(f->v, (size_t)f->n, sizeof *f->v, cmp_finding);
    int k = 1;
    for (int i = 1; i < f->n; i++)
        if (cmp_finding(&f->v[i], &f->v[k - 1]) != 0)
            f->v[k++] = f->v[i];
    f->n = k;
}

int findings_count(const verify_findings *f, verify_rule rule)
{
    int n = 0;
    for (int i = 0; i < f->n; i++)
        n += f->v[i].rule == rule;
    return n;
}

/* ---- Python ---- */

int py_parse(py_module *m, const char *text, size_t len)
{
    memset(m, 0, sizeof *m);
    m->text = text ? text : "";
    m->len = text ? len : 0;
    m->parser = ts_parser_new();
    if (!ts_parser_set_language(m->parser, syntax_language("python")) || m->len > UINT32_MAX)
        return -1;
    m->tree = ts_parser_parse_string(m->parser, NULL, m->text, (uint32_t)m->len);
    return m->tree ? 0 : -1;
}

void py_module_clear(py_module *m)
{
    if (m->tree)
        ts_tree_delete(m->tree);
    if (m->parser)
        ts_parser_delete(m->parser);
    memset(m, 0, sizeof *m);
}

void py_walk(const py_module *m, py_visit_fn fn, void *userdata)
{
    if (!m->tree)
        return;
    TSTreeCursor cur = ts_tree_cursor_new(ts_tree_root_node(m->tree));
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&cur);
        if (ts_node_is_named(n))
            fn(userdata, n);
        if (ts_tree_cursor_goto_first_child(&cur))
            continue;
        while (!ts_tree_cursor_goto_next_sibling(&cur))
            if (!ts_tree_cursor_goto_parent(&cur))
                goto done;
    }
done:
    ts_tree_cursor_delete(&cur);
}

const char *py_text(const py_module *m, TSNode node, size_t *n)
{
    if (ts_node_is_null(node)) {
        *n = 0;
        return m->text;
    }
    uint32_t a = ts_node_start_byte(node), b = ts_node_end_byte(node);
    if (a > m->len)
        a = (uint32_t)m->len;
    if (b > m->len || b < a)
        b = a;
    *n = b - a;
    return m->text + a;
}

bool py_text_is(const py_module *m, TSNode node, const char *s)
{
    size_t n;
    const char *t = py_text(m, node, &n);
    return strlen(s) == n && memcmp(t, s, n) == 0;
}

const char *py_dotted(const py_module *m, TSNode node, char *buf, size_t size)
{
    buf[0] = '\0';
    if (ts_node_is_null(node))
        return buf;
    const char *type = ts_node_type(node);
    if (strcmp(type, "identifier") == 0) {
        size_t n;
        const char *t = py_text(m, node, &n);
        snprintf(buf, size, "%.*s", (int)n, t);
    } else if (strcmp(type, "attribute") == 0) {
        TSNode obj = ts_node_child_by_field_name(node, "object", 6);
        TSNode attr = ts_node_child_by_field_name(node, "attribute", 9);
        char left[256];
        if (ts_node_is_null(obj) || ts_node_is_null(attr) || !py_dotted(m, obj, left, sizeof left)[0])
            return buf;
        size_t n;
        const char *t = py_text(m, attr, &n);
        snprintf(buf, size, "%s.%.*s", left, (int)n, t);
    }
    return buf;
}

bool py_is_fstring(const py_module *m, TSNode node)
{
    if (ts_node_is_null(node) || strcmp(ts_node_type(node), "string") != 0)
        return false;
    bool f = false, interp = false;
    uint32_t n = ts_node_child_count(node);
    for (uint32_t i = 0; i < n; i++) {
        TSNode c = ts_node_child(node, i);
        const char *t = ts_node_type(c);
        if (strcmp(t, "string_start") == 0) {
            size_t k;
            const char *s = py_text(m, c, &k);
            for (size_t j = 0; j < k; j++)
                f |= s[j] == 'f' || s[j] == 'F';
        } else if (strcmp(t, "interpolation") == 0) {
            interp = true;
        }
    }
    return f && interp;
}

bool py_plain_string(const py_module *m, TSNode node, char *buf, size_t size)
{
    buf[0] = '\0';
    if (ts_node_is_null(node) || strcmp(ts_node_type(node), "string") != 0)
        return false;
    size_t used = 0;
    uint32_t n = ts_node_child_count(node);
    for (uint32_t i = 0; i < n; i++) {
        TSNode c = ts_node_child(node, i);
        const char *t = ts_node_type(c);
        if (strcmp(t, "interpolation") == 0)
            return false;
        if (strcmp(t, "string_content") == 0 || strcmp(t, "escape_sequence") == 0) {
            size_t k;
            const char *s = py_text(m, c, &k);
            if (used + k >= size)
                k = size - used - 1;
            memcpy(buf + used, s, k);
            used += k;
            buf[used] = '\0';
        }
    }
    return true;
}

void py_pos(TSNode node, int *line, int *col)
{
    TSPoint p = ts_node_start_point(node);
    *line = (int)p.row + 1;
    *col = (int)p.column + 1;
}

/* ---- Snowflake SQL tokens ---- */

bool sql_tok_is(const sql_tok *t, const char *kw)
{
    return t->kind == STK_WORD && layers_ieq(t->s, t->n, kw);
}

int sql_tokenize(arena *a, const char *text, size_t len, sql_tok **out)
{
    int n = 0, cap = 256, stmt = 0, line = 1;
    size_t line_start = 0;
    sql_tok *v = arena_alloc(a, sizeof *v * (size_t)cap);
    size_t i = 0;
#define COL(at) ((int)((at) - line_start) + 1)
#define NEWLINES(from, to)                                                                                             \
    for (size_t k_ = (from); k_ < (to); k_++)                                                                          \
        if (text[k_] == '\n') {                                                                                        \
            line++;                                                                                                    \
            line_start = k_ + 1;                                                                                       \
        }
    while (i < len) {
        char c = text[i];
        if (c == '\n') {
            line++;
            line_start = ++i;
            continue;
        }
        if (isspace((unsigned char)c)) {
            i++;
            continue;
        }
        if (c == '-' && i + 1 < len && text[i + 1] == '-') {
            while (i < len && text[i] != '\n')
                i++;
            continue;
        }
        if (c == '/' && i + 1 < len && text[i + 1] == '*') {
            size_t j = i + 2;
            while (j + 1 < len && !(text[j] == '*' && text[j + 1] == '/'))
                j++;
            j = j + 2 < len ? j + 2 : len;
            NEWLINES(i, j);
            i = j;
            continue;
        }
        if (c == '$' && i + 1 < len && text[i + 1] == '$') {
            i += 2;
            continue;
        }
        if (n == cap) {
            v = arena_grow(a, v, (size_t)cap, (size_t)cap * 2, sizeof *v);
            cap *= 2;
        }
        sql_tok *t = &v[n++];
        t->line = line;
        t->col = COL(i);
        t->stmt = stmt;
        if (c == '\'' || c == '"') {
            size_t j = i + 1;
            while (j < len) {
                if (text[j] == '\\' && c == '\'' && j + 1 < len) {
                    j += 2;
                    continue;
                }
                if (text[j] == c) {
                    if (j + 1 < len && text[j + 1] == c) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j++;
            }
            t->kind = c == '\'' ? STK_STRING : STK_QIDENT;
            t->s = text + i + 1;
            t->n = (j < len ? j : len) - (i + 1);
            NEWLINES(i, j < len ? j : len);
            i = j < len ? j + 1 : len;
            continue;
        }
        if (isalpha((unsigned char)c) || c == '_' || ((c == ':' || c == '$') && i + 1 < len &&
                                                      (isalpha((unsigned char)text[i + 1]) || text[i + 1] == '_'))) {
            size_t j = i + 1;
            while (j < len && (isalnum((unsigned char)text[j]) || text[j] == '_' || text[j] == '$'))
                j++;
            t->kind = (c == ':' || c == '$') ? STK_VAR : STK_WORD;
            t->s = text + i;
            t->n = j - i;
            i = j;
            continue;
        }
        if (isdigit((unsigned char)c)) {
            size_t j = i + 1;
            while (j < len && (isalnum((unsigned char)text[j]) || text[j] == '.'))
                j++;
            t->kind = STK_NUMBER;
            t->s = text + i;
            t->n = j - i;
            i = j;
            continue;
        }
        t->kind = STK_PUNCT;
        t->s = text + i;
        t->n = (c == '|' && i + 1 < len && text[i + 1] == '|') ? 2 : 1;
        i += t->n;
        if (c == ';')
            stmt++;
    }
#undef COL
#undef NEWLINES
    *out = v;
    return n;
}

/* ---- names ---- */

bool layers_ieq(const char *a, size_t n, const char *b)
{
    size_t k = 0;
    for (; k < n && b[k]; k++)
        if (tolower((unsigned char)a[k]) != tolower((unsigned char)b[k]))
            return false;
    return k == n && b[k] == '\0';
}

static bool icontains(const char *s, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && tolower((unsigned char)s[i + k]) == needle[k])
            k++;
        if (k == m)
            return true;
    }
    return false;
}

bool layers_secret_name(const char *name, size_t n)
{
    static const char *const words[] = {"password", "passwd", "pwd", "secret", "token", "apikey", "api_key",
                                        "access_key", "accesskey", "private_key", "credential", "aws_key_id"};
    static const char *const not_values[] = {"_env", "_var", "_name", "_file", "_path", "_id", "_type", "_url"};
    bool hit = false;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        hit |= icontains(name, n, words[i]);
    if (!hit)
        return false;
    if (icontains(name, n, "aws_key_id"))
        return true;
    for (size_t i = 0; i < sizeof not_values / sizeof *not_values; i++) {
        size_t m = strlen(not_values[i]);
        if (n > m && layers_ieq(name + n - m, m, not_values[i]))
            return false;
    }
    return true;
}

bool layers_secret_value(const char *v, size_t n)
{
    if (n == 0)
        return false;
    if ((n >= 2 && (memcmp(v, "${", 2) == 0 || memcmp(v, "{{", 2) == 0 || memcmp(v, "%(", 2) == 0)) || v[0] == '<')
        return false;
    for (size_t i = 0; i < n; i++)
        if (v[i] != '*')
            return true;
    return false;
}

const char *layers_secret_pattern(const char *v, size_t n)
{
    for (size_t i = 0; i + 20 <= n; i++) {
        if (memcmp(v + i, "AKIA", 4) != 0 || (i > 0 && isalnum((unsigned char)v[i - 1])))
            continue;
        size_t k = 4;
        while (k < 20 && (isupper((unsigned char)v[i + k]) || isdigit((unsigned char)v[i + k])))
            k++;
        if (k == 20 && (i + 20 == n || !isalnum((unsigned char)v[i + 20])))
            return "an AWS access key id";
    }
    if (icontains(v, n, "-----begin") && icontains(v, n, "private key"))
        return "a private key";
    for (size_t i = 0; i + 3 < n; i++) {
        if (memcmp(v + i, "://", 3) != 0)
            continue;
        size_t j = i + 3, colon = 0;
        while (j < n && v[j] != '/' && v[j] != '@' && !isspace((unsigned char)v[j])) {
            if (v[j] == ':' && !colon)
                colon = j;
            j++;
        }
        if (j < n && v[j] == '@' && colon && colon > i + 3 && j > colon + 1 &&
            layers_secret_value(v + colon + 1, j - colon - 1))
            return "a password in a URL";
    }
    return NULL;
}
