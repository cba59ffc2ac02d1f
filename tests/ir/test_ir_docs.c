/* test_ir_docs.c — docs/functions.md documents every row of ir/functions.def (as `name`), and
 * docs/ir.md every node op, flag and type. Files are read from the source tree at test time. */
#include "ir/ir.h"
#include "tests/testlib.h"

#include <stdlib.h>

static char *slurp(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", ETLPORT_SOURCE_DIR, rel);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_putn(&sb, buf, n);
    fclose(f);
    return sb_take(&sb);
}

static void expect_mention(const char *doc, const char *docname, const char *name)
{
    char want[128];
    snprintf(want, sizeof want, "`%s`", name);
    if (!strstr(doc, want)) {
        fprintf(stderr, "%s does not mention %s\n", docname, want);
        tl_failed_checks++;
    }
}

static void test_functions_md(void)
{
    char *doc = slurp("docs/functions.md");
    CHECK(doc != NULL);
    if (!doc)
        return;
    for (int f = 0; f < IR_FN__COUNT; f++)
        expect_mention(doc, "docs/functions.md", ir_fn_get((ir_fn)f)->name);
    free(doc);
}

static void test_ir_md(void)
{
    char *doc = slurp("docs/ir.md");
    CHECK(doc != NULL);
    if (!doc)
        return;
    for (int op = 0; op < IR_OP__COUNT; op++)
        expect_mention(doc, "docs/ir.md", ir_op_name((ir_op)op));
    for (unsigned bit = 0; bit < 32; bit++)
        if (ir_flag_name(bit))
            expect_mention(doc, "docs/ir.md", ir_flag_name(bit));
    for (int t = 0; t < IR_TY__COUNT; t++)
        expect_mention(doc, "docs/ir.md", ir_type_kind_name((ir_type_kind)t));
    free(doc);
}

int main(void)
{
    RUN(test_functions_md);
    RUN(test_ir_md);
    return TEST_SUMMARY();
}
