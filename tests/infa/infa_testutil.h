/*
 * infa_testutil.h — helpers the PowerCenter frontend's tests share: collecting the jobs a read
 * hands over, reading an export written from a string, and looking things up in the IR. Every
 * function is static inline, so a test file includes only what it uses without warnings.
 */
#ifndef ETLPORT_TESTS_INFA_TESTUTIL_H
#define ETLPORT_TESTS_INFA_TESTUTIL_H

#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"
#include "frontends/frontend.h"
#include "ir/ir.h"

extern const frontend infa_frontend;

/* The jobs of one read (at most 8 are kept; more are freed at once). */
typedef struct jobs {
    ir_job *v[8];
    int n;
} jobs;

static inline void keep_job(void *ud, ir_job *job)
{
    jobs *j = ud;
    if (j->n < 8)
        j->v[j->n++] = job;
    else
        ir_job_free(job);
}

static inline void free_jobs(jobs *j)
{
    for (int i = 0; i < j->n; i++)
        ir_job_free(j->v[i]);
    j->n = 0;
}

/* Writes text to the file name (in the test's working folder) and reads it with the frontend,
 * its messages going to sink. Returns the frontend's result, or -1 when the file is not written. */
static inline int read_export_text(const char *name, const char *text, jobs *j, diag_sink_fn sink)
{
    FILE *fp = fopen(name, "wb");
    if (!fp)
        return -1;
    fputs(text, fp);
    fclose(fp);
    diag_ctx dc;
    diag_init(&dc, sink, NULL);
    return infa_frontend.read(name, NULL, &dc, keep_job, j, NULL);
}

static inline ir_node *node_named(ir_job *job, const char *name)
{
    for (int i = 0; job && i < job->n_nodes; i++)
        if (job->nodes[i]->name && strcmp(job->nodes[i]->name, name) == 0)
            return job->nodes[i];
    return NULL;
}

static inline int count_op(ir_job *job, ir_op op)
{
    int k = 0;
    for (int i = 0; job && i < job->n_nodes; i++)
        k += job->nodes[i]->op == op;
    return k;
}

static inline const char *prop_of(const ir_node *n, const char *key)
{
    for (int i = 0; n && i < n->n_props; i++)
        if (strcmp(n->props[i].key, key) == 0)
            return n->props[i].value;
    return NULL;
}

/* The canonical text of e in one of four rotating buffers (so a CHECK can compare two). */
static inline char *expr_text(const ir_expr *e)
{
    static char buf[4][2048];
    static int k;
    char *b = buf[k++ % 4];
    b[0] = '\0';
    if (e) {
        strbuf sb = STRBUF_INIT;
        ir_expr_to_text(&sb, e);
        snprintf(b, sizeof buf[0], "%s", sb_cstr(&sb));
        sb_free(&sb);
    }
    return b;
}

#endif
