/*
 * fuzz_ir_json.c — libFuzzer target for the IR JSON reader (ir_job_from_json). What reads is
 * written again, read again and written a third time: the two writes must be byte-identical
 * (the JSON form round-trips exactly, DESIGN.md); a difference aborts, so the fuzzer reports it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "ir/ir.h"

static void quiet(void *userdata, const diag *d)
{
    (void)userdata;
    (void)d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1024 * 1024)
        return 0;
    diag_ctx dc;
    diag_init(&dc, quiet, NULL);
    ir_job *job = NULL;
    if (ir_job_from_json(&job, (const char *)data, size, "fuzz.json", &dc) != 0 || !job) {
        ir_job_free(job);
        return 0;
    }
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    ir_job_to_json(job, &a);
    ir_job *again = NULL;
    if (ir_job_from_json(&again, sb_cstr(&a), a.len, "fuzz-again.json", &dc) != 0 || !again) {
        fprintf(stderr, "fuzz_ir_json: written JSON does not read back:\n%s\n", sb_cstr(&a));
        abort();
    }
    ir_job_to_json(again, &b);
    if (a.len != b.len || memcmp(sb_cstr(&a), sb_cstr(&b), a.len) != 0) {
        fprintf(stderr, "fuzz_ir_json: JSON does not round-trip:\n--- first\n%s\n--- second\n%s\n", sb_cstr(&a),
                sb_cstr(&b));
        abort();
    }
    ir_job_free(again);
    ir_job_free(job);
    sb_free(&a);
    sb_free(&b);
    return 0;
}
