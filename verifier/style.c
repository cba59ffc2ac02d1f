/*
 * style.c — the syntax layer (layers.h; rules SYN_* and STY_* of rules.def): the artifact parses
 * with its tree-sitter grammar (syntax.h), the holes it carries, and a few naming and layout
 * rules that keep generated and hand-edited code reviewable. Snowflake SQL is parsed after the
 * rewrites of the grammar's allow-list (excuse.h), and errors on lines it excuses do not count;
 * statements with `$$ ... $$` bodies (Snowflake Scripting, which the grammar does not model) are
 * left out.
 *
 * Holes: every backend placeholder in the text is one finding at its line (`_etlport_hole(` calls
 * in PySpark, `ETLPORT HOLE` / `ETLPORT UNSUPPORTED` comments in Snowflake SQL); when the legacy
 * IR has more holes than the text shows placeholders, the rest are findings at their legacy
 * location, so a hole is never invisible to the score.
 */
#include "verifier/excuse.h"
#include "verifier/layers.h"
#include "verifier/layers_internal.h"
#include "verifier/syntax.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct parse_sink {
    verify_findings *out;
    syntax_excuses *excuses; /* NULL for Python */
} parse_sink;

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* The end of a `$$` delimiter's body opened at i (after the closing `$$` and a ';'), or 0. */
static size_t body_end(const char *text, size_t len, size_t i)
{
    for (size_t j = i + 2; j + 1 < len; j++)
        if (text[j] == '$' && text[j + 1] == '$' && (j + 2 >= len || !ident_char(text[j + 2]))) {
            j += 2;
            while (j < len && (text[j] == ' ' || text[j] == '\t'))
                j++;
            return j < len && text[j] == ';' ? j + 1 : j;
        }
    return 0;
}

/* A copy of a Snowflake text where every statement with a `$$ ... $$` body (a procedure in
 * Snowflake Scripting, EXECUTE IMMEDIATE $$ ... $$), which the SQL grammar does not model, is
 * blanked, newlines kept so lines stay where they were. `$$NAME` (an Informatica parameter in a
 * comment or string) is no delimiter. NULL when there is no such statement.
 * tests/snowflake/check_scripting.py checks the statements of emitted bodies one by one. */
static char *blank_scripting(const char *text, size_t len)
{
    char *out = NULL;
    size_t stmt = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '-' && i + 1 < len && text[i + 1] == '-') {
            while (i < len && text[i] != '\n')
                i++;
        } else if (c == '/' && i + 1 < len && text[i + 1] == '*') {
            for (i += 2; i + 1 < len && !(text[i] == '*' && text[i + 1] == '/'); i++)
                ;
            i++;
        } else if (c == '\'') {
            for (i++; i < len && text[i] != '\''; i++)
                ;
        } else if (c == ';') {
            stmt = i + 1;
        } else if (c == '$' && i + 1 < len && text[i + 1] == '$' && (i + 2 >= len || !ident_char(text[i + 2]))) {
            size_t end = body_end(text, len, i);
            if (!end)
                end = len;
            if (!out) {
                out = malloc(len + 1);
                if (!out)
                    return NULL;
                memcpy(out, text, len);
                out[len] = '\0';
            }
            for (size_t k = stmt; k < end; k++)
                if (out[k] != '\n')
                    out[k] = ' ';
            i = end - 1;
            stmt = end;
        }
    }
    return out;
}

static void on_parse_error(void *userdata, const diag *d)
{
    parse_sink *s = userdata;
    if (s->excuses && syntax_excuses_match(s->excuses, d->src_line))
        return; /* valid Snowflake the grammar is known to lack */
    findings_add(s->out, VRULE_SYN_PARSE, d->file, d->line, d->col, "%s", d->message);
}

/* Counts occurrences of needle at line starts found by scanning; each becomes a finding. */
static int placeholders(verify_findings *out, const char *text, size_t len, const char *path, const char *needle,
                        const char *what)
{
    size_t m = strlen(needle);
    int line = 1, count = 0;
    size_t line_start = 0;
    for (size_t i = 0; i + m <= len; i++) {
        if (text[i] == '\n') {
            line++;
            line_start = i + 1;
            continue;
        }
        if (memcmp(text + i, needle, m) != 0)
            continue;
        if (i >= 4 && memcmp(text + i - 4, "def ", 4) == 0)
            continue; /* the placeholder's definition */
        count++;
        findings_add(out, VRULE_SYN_HOLE, path, line, (int)(i - line_start) + 1, "%s", what);
    }
    return count;
}

typedef struct hole_rest {
    verify_findings *out;
    int skip; /* holes the placeholders already stand for */
} hole_rest;

static void on_hole(void *userdata, const ir_hole_info *h)
{
    hole_rest *r = userdata;
    if (r->skip > 0) {
        r->skip--;
        return;
    }
    findings_add(r->out, VRULE_SYN_HOLE, h->span.file, h->span.line, h->span.col,
                 "a %s hole with no placeholder in the artifact: %s", h->kind ? h->kind : "legacy",
                 h->reason ? h->reason : "not translated");
}

static void lines(verify_findings *out, const verify_policy *p, const char *text, size_t len, const char *path)
{
    int line = 1;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        size_t end = i;
        if (end > start && text[end - 1] == '\r')
            end--;
        size_t width = 0;
        for (size_t k = start; k < end; k++)
            width += ((unsigned char)text[k] & 0xC0) != 0x80; /* characters, not UTF-8 bytes */
        if ((int)width > p->max_line)
            findings_add(out, VRULE_STY_LINE_LENGTH, path, line, p->max_line + 1, "line is %zu characters long (%d allowed)",
                         width, p->max_line);
        size_t k = start;
        while (k < end && text[k] == ' ')
            k++;
        if (k < end && text[k] == '\t')
            findings_add(out, VRULE_STY_WHITESPACE, path, line, (int)(k - start) + 1, "tab in indentation");
        else if (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t'))
            findings_add(out, VRULE_STY_WHITESPACE, path, line, (int)(end - start), "trailing whitespace");
        line++;
        start = i + 1;
    }
}

typedef struct py_style {
    const py_module *m;
    verify_findings *out;
    const char *path;
} py_style;

static bool snake_or_constant(const char *s, size_t n)
{
    bool lower = true, upper = true;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        lower &= islower((unsigned char)c) || isdigit((unsigned char)c) || c == '_';
        upper &= isupper((unsigned char)c) || isdigit((unsigned char)c) || c == '_';
    }
    return lower || upper;
}

static void py_style_visit(void *userdata, TSNode node)
{
    py_style *st = userdata;
    const char *type = ts_node_type(node);
    TSNode name = {0};
    if (strcmp(type, "function_definition") == 0)
        name = ts_node_child_by_field_name(node, "name", 4);
    else if (strcmp(type, "assignment") == 0)
        name = ts_node_child_by_field_name(node, "left", 4);
    else if (strcmp(type, "wildcard_import") == 0) {
        int line, col;
        py_pos(node, &line, &col);
        findings_add(st->out, VRULE_STY_PY_STAR_IMPORT, st->path, line, col,
                     "a star import hides where names come from");
        return;
    }
    if (ts_node_is_null(name) || strcmp(ts_node_type(name), "identifier") != 0)
        return;
    size_t n;
    const char *t = py_text(st->m, name, &n);
    if (snake_or_constant(t, n))
        return;
    int line, col;
    py_pos(name, &line, &col);
    findings_add(st->out, VRULE_STY_PY_NAME, st->path, line, col, "'%.*s' is not snake_case", (int)(n < 80 ? n : 80), t);
}

static void sql_style(verify_findings *out, const char *text, size_t len, const char *path)
{
    arena *a = arena_new();
    sql_tok *t = NULL;
    int n = sql_tokenize(a, text, len, &t);
    bool loads = false;
    for (int i = 0; i < n; i++) {
        if (i == 0 || t[i - 1].stmt != t[i].stmt)
            loads = sql_tok_is(&t[i], "INSERT") || sql_tok_is(&t[i], "CREATE") || sql_tok_is(&t[i], "MERGE");
        if (!loads || !sql_tok_is(&t[i], "SELECT"))
            continue;
        int j = i + 1;
        if (j < n && sql_tok_is(&t[j], "DISTINCT"))
            j++;
        if (j < n && t[j].kind == STK_PUNCT && t[j].s[0] == '*')
            findings_add(out, VRULE_STY_SQL_SELECT_STAR, path, t[i].line, t[i].col,
                         "SELECT * in a load: name the columns so a schema change cannot shift them");
    }
    arena_free(a);
}

void syntax_layer(verify_findings *out, const verify_policy *p, verify_target target, const char *text, size_t len,
                  const char *path, const ir_job *legacy)
{
    parse_sink sink = {out, target == VERIFY_SNOWFLAKE ? syntax_excuses_builtin_sql() : NULL};
    diag_ctx dc;
    diag_init(&dc, on_parse_error, &sink);
    char *blanked = sink.excuses ? blank_scripting(text, len) : NULL;
    size_t rlen = len;
    char *rewritten = sink.excuses ? syntax_excuses_rewrite(sink.excuses, blanked ? blanked : text, len, &rlen) : NULL;
    syntax_check(target == VERIFY_SPARK ? "python" : "sql", rewritten ? rewritten : blanked ? blanked : text, rlen,
                 path, &dc);
    free(rewritten);
    free(blanked);
    int shown = target == VERIFY_SPARK
                    ? placeholders(out, text, len, path, "_etlport_hole(", "a placeholder for untranslated legacy logic")
                    : placeholders(out, text, len, path, "ETLPORT HOLE", "a placeholder for untranslated legacy logic") +
                          placeholders(out, text, len, path, "ETLPORT UNSUPPORTED",
                                       "a construct the target cannot express (typed NULL)");
    if (legacy) {
        hole_rest r = {out, shown};
        ir_job_holes(legacy, on_hole, &r);
    }
    lines(out, p, text, len, path);
    if (target == VERIFY_SPARK) {
        py_module m;
        if (py_parse(&m, text, len) == 0) {
            py_style st = {&m, out, path};
            py_walk(&m, py_style_visit, &st);
        }
        py_module_clear(&m);
    } else {
        sql_style(out, text, len, path);
    }
}
