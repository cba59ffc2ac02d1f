/*
 * fuzz_readback.c — libFuzzer target for the verifier's read-back of generated code: the PySpark
 * reader (tree-sitter Python, verifier/readback_spark.c) and the Snowflake SQL reader
 * (verifier/readback_snow.c). Generated code may have been edited by a person before it is
 * verified, so both readers take untrusted text. The input goes to the PySpark reader as it is,
 * and to the Snowflake reader through an anonymous in-memory file (it reads paths); every job read
 * back is freed.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ir/ir.h"
#include "verifier/readback.h"

static void quiet(void *userdata, const diag *d)
{
    (void)userdata;
    (void)d;
}

static void free_job(void *userdata, ir_job *job)
{
    (void)userdata;
    ir_job_free(job);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1024 * 1024)
        return 0;
    diag_ctx dc;
    diag_init(&dc, quiet, NULL);
    ir_job *job = NULL;
    (void)readback_spark(&job, (const char *)data, size, "fuzz.py", NULL, &dc);
    ir_job_free(job);

    int fd = memfd_create("fuzz_readback", MFD_CLOEXEC);
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
    (void)readback_snow(path, &dc, free_job, NULL);
    close(fd);
    return 0;
}
