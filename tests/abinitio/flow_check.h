/*
 * flow_check.h — a structural check of a workflow for the flow tests (Ab Initio and SQL): every
 * edge joins two tasks of its flow (no dangling or self edge), task names are non-empty and
 * unique (case-insensitive, as ir_flow_task_index compares), JOB tasks name a job, SUBFLOW tasks
 * hold their sub-flow (checked the same way); and the file listing and reading both flow tests
 * use. Header-only: included by one test file each.
 */
#ifndef ETLPORT_TESTS_FLOW_CHECK_H
#define ETLPORT_TESTS_FLOW_CHECK_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/strbuf.h"

#include "ir/ir_flow.h"

/* Prints each problem to stderr prefixed by what; returns how many. */
static int flow_check(const ir_flow *f, const char *what)
{
    int bad = 0;
    for (int i = 0; i < f->n_edges; i++) {
        const ir_flow_edge *e = &f->edges[i];
        if (e->from < 0 || e->from >= f->n_tasks || e->to < 0 || e->to >= f->n_tasks || e->from == e->to) {
            fprintf(stderr, "%s: flow %s: edge %d (%d -> %d) is dangling\n", what, f->name, i, e->from, e->to);
            bad++;
        }
    }
    for (int i = 0; i < f->n_tasks; i++) {
        const ir_task *t = f->tasks[i];
        if (!t->name || !t->name[0]) {
            fprintf(stderr, "%s: flow %s: task %d has no name\n", what, f->name, i);
            bad++;
        }
        for (int k = 0; k < i; k++)
            if (t->name && f->tasks[k]->name && !strcasecmp(t->name, f->tasks[k]->name)) {
                fprintf(stderr, "%s: flow %s: task name '%s' used twice\n", what, f->name, t->name);
                bad++;
            }
        if (t->kind == IR_TASK_JOB && (!t->job || !t->job[0])) {
            fprintf(stderr, "%s: flow %s: job task '%s' names no job\n", what, f->name, t->name);
            bad++;
        }
        if (t->kind == IR_TASK_SUBFLOW) {
            if (!t->sub) {
                fprintf(stderr, "%s: flow %s: subflow task '%s' has no flow\n", what, f->name, t->name);
                bad++;
            } else {
                bad += flow_check(t->sub, what);
            }
        }
    }
    return bad;
}

static int flow_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files under dir (and its sub-folders with deep) that keep accepts, sorted; the caller frees
 * each and the vector. */
static int flow_list_files(const char *dir, bool deep, bool (*keep)(const char *path), char ***out)
{
    int n = 0, cap = 0;
    char **v = NULL;
    char *stack[256];
    int sp = 0;
    stack[sp++] = strdup(dir);
    while (sp) {
        char *d = stack[--sp];
        DIR *dp = opendir(d);
        struct dirent *e;
        while (dp && (e = readdir(dp))) {
            if (e->d_name[0] == '.')
                continue;
            size_t len = strlen(d) + strlen(e->d_name) + 2;
            char *p = malloc(len);
            snprintf(p, len, "%s/%s", d, e->d_name);
            struct stat st;
            if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
                if (deep && sp < 256)
                    stack[sp++] = p;
                else
                    free(p);
                continue;
            }
            if (!keep(p)) {
                free(p);
                continue;
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                v = realloc(v, sizeof *v * (size_t)cap);
            }
            v[n++] = p;
        }
        if (dp)
            closedir(dp);
        free(d);
    }
    if (n)
        qsort(v, (size_t)n, sizeof *v, flow_cmp_str);
    *out = v;
    return n;
}

/* The whole file (malloc'd), or NULL. */
static char *flow_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_putn(&sb, buf, n);
    fclose(f);
    char *s = strdup(sb_cstr(&sb));
    sb_free(&sb);
    return s;
}

/* The golden file of file, expdir/<stem>.flow: with update writes got to it, else compares.
 * Returns 1 when it matches or was written, 0 (with the text got printed) when it differs. */
static int flow_golden(const char *file, const char *expdir, const char *got, bool update)
{
    const char *b = strrchr(file, '/');
    b = b ? b + 1 : file;
    const char *dot = strrchr(b, '.');
    char exp[4096];
    snprintf(exp, sizeof exp, "%s/%.*s.flow", expdir, (int)(dot && dot != b ? dot - b : (long)strlen(b)), b);
    if (update) {
        FILE *f = fopen(exp, "w");
        if (!f)
            return 0;
        fputs(got, f);
        fclose(f);
        return 1;
    }
    char *want = flow_slurp(exp);
    int ok = want && !strcmp(want, got);
    if (!ok)
        fprintf(stderr, "%s: flow differs from %s; got:\n%s", file, exp, got);
    free(want);
    return ok;
}

#endif
