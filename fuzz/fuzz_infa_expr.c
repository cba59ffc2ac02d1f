/*
 * fuzz_infa_expr.c — libFuzzer target for the Informatica expression parser (infa_expr_parse).
 * The input is one expression. Every name resolves to a column of a dummy source node, so the
 * parser's whole grammar and function table are reachable; each input is parsed as in an
 * Expression and as in an Aggregator (aggregates allowed). What parses is printed in canonical
 * text and canonicalised, which walks every node it built.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "frontends/informatica/infa_expr.h"
#include "ir/ir.h"

static void quiet(void *userdata, const diag *d)
{
    (void)userdata;
    (void)d;
}

static ir_expr *any_port(void *userdata, const char *name)
{
    ir_job *job = userdata;
    return ir_ref(job, 1, ir_intern(job, name));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0'; /* the parser reads up to the first NUL, as XML attributes give it */

    ir_job *job = ir_job_new("fuzz");
    ir_node *src = ir_node_add(job, IR_OP_SOURCE, "SRC");
    (void)src;
    for (int agg = 0; agg < 2; agg++) {
        infa_expr_ctx ctx;
        memset(&ctx, 0, sizeof ctx);
        ctx.job = job;
        ctx.resolve_port = any_port;
        ctx.userdata = job;
        ctx.path = "fuzz.expr";
        ctx.line = 1;
        ctx.col = 1;
        ctx.allow_aggregates = agg;
        diag_ctx dc;
        diag_init(&dc, quiet, NULL);
        ir_expr *e = infa_expr_parse(&ctx, text, &dc);
        if (e) {
            strbuf sb = STRBUF_INIT;
            ir_expr_to_text(&sb, e);
            ir_expr *c = ir_canonicalize(job, e);
            ir_expr_to_text(&sb, c);
            sb_free(&sb);
        }
    }
    ir_job_free(job);
    free(text);
    return 0;
}
