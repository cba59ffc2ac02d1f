/*
 * syntax.c — see syntax.h. One parse with the tree-sitter runtime, then a walk over the parts of
 * the tree that hold errors (ts_node_has_error prunes the rest, so a clean file costs one parse and
 * one look at the root). The source line for the caret display is indexed only when there is
 * something to report.
 */
#include "verifier/syntax.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <tree_sitter/api.h>

/* tree-sitter's ts_builtin_sym_error (tree_sitter/parser.h, which is for generated parsers). */
#define SYNTAX_SYM_ERROR ((TSSymbol)-1)

const TSLanguage *syntax_language(const char *lang)
{
    if (!lang)
        return NULL;
    if (strcmp(lang, "sql") == 0)
        return tree_sitter_sql();
    if (strcmp(lang, "python") == 0)
        return tree_sitter_python();
    return NULL;
}

typedef struct check_state {
    const char *text;
    size_t len;
    const char *path;
    diag_ctx *dc;
    srcfile *file; /* made on the first report, for the caret display */
    int count;
} check_state;

/* A short, one-line excerpt of the text from offset, quoted for a message, into buf. */
static void excerpt(const check_state *st, size_t offset, size_t end, char *buf, size_t size)
{
    enum { MAX_EXCERPT = 40 };
    size_t i = offset;
    while (i < st->len && i < offset + 256 && (st->text[i] == ' ' || st->text[i] == '\t'))
        i++;
    if (i >= st->len) {
        snprintf(buf, size, "end of input");
        return;
    }
    if (end <= i || end - i > MAX_EXCERPT)
        end = i + MAX_EXCERPT;
    size_t n = 0;
    char tmp[MAX_EXCERPT + 1];
    for (size_t j = i; j < end && j < st->len; j++) {
        char c = st->text[j];
        if (c == '\n' || c == '\r')
            break;
        tmp[n++] = (c == '\t' || c == '\0') ? ' ' : c;
    }
    tmp[n] = '\0';
    if (n == 0)
        snprintf(buf, size, "end of line");
    else
        snprintf(buf, size, "'%s'", tmp);
}

static void report(check_state *st, TSNode node, bool missing)
{
    st->count++;
    if (!st->dc)
        return;
    if (!st->file)
        st->file = srcfile_from_text(st->path, st->text, st->len);
    TSPoint p = ts_node_start_point(node);
    size_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
    char near[64];
    if (missing) {
        /* a zero-width node the parser made up: show what follows it */
        excerpt(st, start, 0, near, sizeof near);
        diag_at(st->dc, DIAG_ERROR, st->file, st->path, (int)p.row + 1, (int)p.column + 1,
                "syntax error near %s: missing %s", near, ts_node_type(node));
    } else {
        excerpt(st, start, end, near, sizeof near);
        diag_at(st->dc, DIAG_ERROR, st->file, st->path, (int)p.row + 1, (int)p.column + 1,
                "syntax error near %s", near);
    }
}

/* Visits the error-holding part of the tree in document order. */
static void walk(check_state *st, TSNode root)
{
    TSTreeCursor cur = ts_tree_cursor_new(root);
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&cur);
        bool descend = false;
        if (ts_node_is_missing(n))
            report(st, n, true);
        else if (ts_node_symbol(n) == SYNTAX_SYM_ERROR)
            report(st, n, false); /* its children belong to the same error */
        else if (ts_node_has_error(n))
            descend = true;
        if (descend && ts_tree_cursor_goto_first_child(&cur))
            continue;
        while (!ts_tree_cursor_goto_next_sibling(&cur)) {
            if (!ts_tree_cursor_goto_parent(&cur))
                goto done;
        }
    }
done:
    ts_tree_cursor_delete(&cur);
}

int syntax_check(const char *lang, const char *text, size_t len, const char *path, diag_ctx *dc)
{
    const TSLanguage *language = syntax_language(lang);
    if (!language) {
        if (dc)
            diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "unknown language '%s' (sql or python)",
                    lang ? lang : "(null)");
        return -1;
    }
    if (len > UINT32_MAX) {
        if (dc)
            diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "too large for the %s parser (%zu bytes)", lang, len);
        return -1;
    }
    TSParser *parser = ts_parser_new();
    int result = -1;
    TSTree *tree = NULL;
    if (!ts_parser_set_language(parser, language)) {
        if (dc)
            diag_at(dc, DIAG_ERROR, NULL, path, 0, 0,
                    "the tree-sitter runtime rejects the %s grammar (ABI %u)", lang,
                    ts_language_version(language));
        goto done;
    }
    tree = ts_parser_parse_string(parser, NULL, text ? text : "", (uint32_t)len);
    if (!tree) {
        if (dc)
            diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "the %s parser gave up", lang);
        goto done;
    }
    check_state st = {text ? text : "", len, path, dc, NULL, 0};
    TSNode root = ts_tree_root_node(tree);
    if (ts_node_has_error(root))
        walk(&st, root);
    srcfile_free(st.file);
    result = st.count;
done:
    if (tree)
        ts_tree_delete(tree);
    ts_parser_delete(parser);
    return result;
}
