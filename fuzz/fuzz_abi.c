/*
 * fuzz_abi.c — libFuzzer target for the Ab Initio readers (frontends/abinitio/): the DML record
 * format parser with its mapping into an IR dataset, the XFR transform parser, and the graph
 * layer. An input starting with '@' is a .mp graph (EME flatten format), one starting with '#' a
 * deployed run/<graph>.ksh script: both are parsed and lowered into a job with file references
 * refused, and their Run SQL components read into a script unit; the '#' input is also read as a
 * graph-sequencing script, and one starting with ';' as a
 * plan (abi_plan.c, without a sandbox: no file is read). Otherwise the first byte picks DML or XFR and the rest is the file's text. Every name
 * resolves to a column of a dummy node, so the whole expression grammar is reachable; what parses
 * is printed as canonical text. Includes resolve relative to a folder that does not exist, so an
 * input cannot make the target read files.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "frontends/abinitio/abi.h"
#include "frontends/abinitio/abi_graph.h"
#include "ir/ir.h"
#include "ir/ir_flow.h"
#include "ir/ir_unit.h"

static void quiet(void *userdata, const diag *d)
{
    (void)userdata;
    (void)d;
}

static ir_expr *any_field(void *userdata, const char *rec, const char *field)
{
    ir_job *job = userdata;
    (void)rec;
    return ir_ref(job, 1, ir_intern(job, field));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64 * 1024)
        return 0;
    if (data[0] == '@' || data[0] == '#') {
        diag_ctx gdc;
        diag_init(&gdc, quiet, NULL);
        arena *a = arena_new();
        abi_graph *g = NULL;
        if (data[0] == '@')
            abi_mp_parse(&g, a, "/nonexistent-etlport-fuzz/mp/g.mp", (const char *)data, size, &gdc);
        else
            abi_ksh_parse(&g, a, NULL, "/nonexistent-etlport-fuzz/run/g.ksh", (const char *)data, size, &gdc);
        if (g) {
            abi_lower_opts lo = {NULL, NULL, NULL, true};
            ir_job_free(abi_graph_lower(g, &lo, &gdc));
            ir_unit *u = NULL; /* Run SQL components through the SQL reader */
            ir_flow *rf = NULL;
            if (abi_graph_run_sql(g, &lo, NULL, &gdc, &u, &rf) > 0) {
                ir_unit_free(u);
                ir_flow_free(rf);
            }
        }
        arena_free(a);
        if (data[0] == '#') {
            ir_flow *f = NULL;
            abi_wrapper_read(&f, NULL, "/nonexistent-etlport-fuzz/run/w.ksh", (const char *)data, size, &gdc);
            ir_flow_free(f);
        }
        return 0;
    }
    if (data[0] == ';') {
        diag_ctx pdc;
        diag_init(&pdc, quiet, NULL);
        ir_flow *f = NULL;
        abi_plan_read(&f, NULL, "/nonexistent-etlport-fuzz/plan/p.plan", (const char *)data, size, &pdc);
        strbuf tb = STRBUF_INIT;
        ir_flow_to_text(&tb, f);
        sb_free(&tb);
        ir_flow_free(f);
        return 0;
    }
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    const char *path = "/nonexistent-etlport-fuzz/input";
    diag_ctx dc;
    diag_init(&dc, quiet, NULL);
    ir_job *job = ir_job_new("fuzz");
    strbuf sb = STRBUF_INIT;
    if (data[0] & 1) {
        abi_xfr_ctx ctx = {job, any_field, NULL, job, NULL};
        abi_xfr *x = NULL;
        abi_parse_xfr(&x, &ctx, path, text, len, &dc);
        for (int i = 0; x && i < x->n_fns; i++)
            for (int k = 0; k < x->fns[i].n_rules; k++)
                if (x->fns[i].rules[k].expr)
                    ir_expr_to_text(&sb, x->fns[i].rules[k].expr);
    } else {
        abi_dml *d = NULL;
        abi_dml_parse(&d, job->arena, path, text, len, &dc);
        if (d && d->record) {
            ir_dataset *ds = abi_record_to_dataset(job, d->record, "fuzz");
            abi_dataset_to_text(&sb, ds);
        }
    }
    sb_free(&sb);
    ir_job_free(job);
    return 0;
}
