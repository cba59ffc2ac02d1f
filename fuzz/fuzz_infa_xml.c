/*
 * fuzz_infa_xml.c — libFuzzer target for the Informatica PowerCenter frontend (infa_frontend.read).
 * The frontend reads files (it maps them), so each input goes to an anonymous in-memory file
 * (memfd) read through /proc/self/fd/N. Every job it hands over is written as IR JSON, read back
 * and freed, as `etlport convert` would; every workflow is written as text and JSON and freed.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/strbuf.h"
#include "frontends/frontend.h"
#include "ir/ir.h"
#include "ir/ir_flow.h"

extern const frontend infa_frontend;

static void quiet(void *userdata, const diag *d)
{
    (void)userdata;
    (void)d;
}

static void on_job(void *userdata, ir_job *job)
{
    (void)userdata;
    strbuf sb = STRBUF_INIT;
    ir_job_to_json(job, &sb);
    diag_ctx dc;
    diag_init(&dc, quiet, NULL);
    ir_job *back = NULL;
    if (ir_job_from_json(&back, sb_cstr(&sb), sb.len, "fuzz.json", &dc) != 0) {
        /* the frontend built an IR its own JSON cannot represent */
        fprintf(stderr, "fuzz_infa_xml: IR JSON of job '%s' does not read back\n", job->name ? job->name : "");
        abort();
    }
    ir_job_free(back);
    sb_free(&sb);
    ir_job_free(job);
}

static void on_flow(void *userdata, ir_flow *flow)
{
    (void)userdata;
    strbuf sb = STRBUF_INIT;
    ir_flow_to_text(&sb, flow);
    ir_flow_to_json(flow, &sb);
    sb_free(&sb);
    ir_flow_free(flow);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4 * 1024 * 1024)
        return 0;
    int fd = memfd_create("fuzz_infa_xml", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    char head[4096];
    size_t n = size < sizeof head ? size : sizeof head;
    memcpy(head, data, n);
    diag_ctx dc;
    diag_init(&dc, quiet, NULL);
    (void)infa_frontend.detect(path, head, n);
    fe_counts counts;
    fe_options opt = {0};
    opt.on_flow = on_flow;
    (void)infa_frontend.read(path, &opt, &dc, on_job, NULL, &counts);
    close(fd);
    return 0;
}
