/*
 * test_grammars.c — the pinned grammars work with Debian's tree-sitter runtime, and the syntax
 * layer (verifier/syntax.h) reports errors where they are, as `path:line:col: error: ...`.
 */
#include <stdio.h>
#include <string.h>

#include <tree_sitter/api.h>

#include "tests/testlib.h"
#include "verifier/syntax.h"

typedef struct captured {
    int n;
    char first[512]; /* "file:line:col: message" of the first diagnostic */
} captured;

static void capture(void *userdata, const diag *d)
{
    captured *c = userdata;
    if (c->n++ == 0)
        snprintf(c->first, sizeof c->first, "%s:%d:%d: %s", d->file ? d->file : "", d->line, d->col,
                 d->message);
}

static int check(const char *lang, const char *text, captured *c)
{
    memset(c, 0, sizeof *c);
    diag_ctx dc;
    diag_init(&dc, capture, c);
    return syntax_check(lang, text, strlen(text), "t.src", &dc);
}

static void test_runtime_loads_both(void)
{
    const char *langs[] = {"sql", "python"};
    for (int i = 0; i < 2; i++) {
        const TSLanguage *l = syntax_language(langs[i]);
        CHECK(l != NULL);
        CHECK(ts_language_version(l) >= TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION);
        CHECK(ts_language_version(l) <= TREE_SITTER_LANGUAGE_VERSION);
        TSParser *p = ts_parser_new();
        CHECK(ts_parser_set_language(p, l));
        ts_parser_delete(p);
    }
    CHECK(syntax_language("cobol") == NULL);
}

static void test_sql(void)
{
    captured c;
    CHECK(check("sql", "SELECT a, b FROM t WHERE a = 1;\n", &c) == 0);
    CHECK(c.n == 0);
    CHECK(check("sql", "WITH x AS (SELECT 1 AS a)\nINSERT INTO t (a) SELECT a FROM x;\n", &c) == 0);
    CHECK(check("sql", "SELECT a FROM t;\nSELECT FROM WHERE (;\n", &c) >= 1);
    CHECK(c.n >= 1);
    CHECK(strncmp(c.first, "t.src:2:", 8) == 0);
    CHECK(strstr(c.first, "syntax error near") != NULL);
}

static void test_python(void)
{
    captured c;
    CHECK(check("python", "from pyspark.sql import functions as F\n\ndef run(spark, params):\n"
                          "    return spark.table('a').withColumn('x', F.lit(1))\n",
                &c) == 0);
    CHECK(check("python", "def f(x):\n    return (x +\n", &c) >= 1);
    CHECK(strncmp(c.first, "t.src:2:", 8) == 0);
    /* a missing token is reported too */
    CHECK(check("python", "x = [1, 2\n", &c) >= 1);
}

static void test_edges(void)
{
    captured c;
    CHECK(check("sql", "", &c) == 0);
    CHECK(check("python", "", &c) == 0);
    CHECK(check("nope", "x", &c) == -1);
    CHECK(c.n == 1);
    /* counting without a diagnostics context */
    CHECK(syntax_check("python", "def (:\n", 7, "x.py", NULL) >= 1);
    /* NUL bytes inside the text do not stop the parser */
    CHECK(syntax_check("python", "x = 1\n\0\n", 8, "x.py", NULL) >= 1);
}

int main(void)
{
    RUN(test_runtime_loads_both);
    RUN(test_sql);
    RUN(test_python);
    RUN(test_edges);
    return TEST_SUMMARY();
}
