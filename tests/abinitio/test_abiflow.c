/*
 * test_abiflow.c — Ab Initio orchestration as workflows (frontends/abinitio/abi_plan.c), read
 * through the frontend as `etlport convert` reads them (fe_options.on_flow):
 *
 *   test_abiflow expect SANDBOX EXPDIR   every plan (the .plan files of SANDBOX/plan) and graph-
 *                                        sequencing script (a .ksh of SANDBOX/run that yields a flow) against
 *                                        EXPDIR/<stem>.flow: the messages, then ir_flow_to_text
 *                                        (ETLPORT_UPDATE_GOLDEN=1 writes them; read each one)
 *   test_abiflow dump FILE...            prints the messages and flows of each file
 *   test_abiflow corpus DIR              every .plan / .ksh / .sh under DIR: a flow with no
 *                                        dangling edge (tests/abinitio/flow_check.h); figures printed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "flow_check.h"
#include "frontends/frontend.h"
#include "ir/ir_flow.h"

extern const frontend abinitio_frontend;

typedef struct run {
    strbuf text, msgs;
    const char *strip; /* prefix removed from message paths */
    int flows, jobs, tasks, edges, holes, bad;
    int by_kind[IR_TASK_HOLE + 1];
} run;

static void on_diag(void *ud, const diag *d)
{
    run *r = ud;
    const char *file = d->file ? d->file : "";
    size_t n = r->strip ? strlen(r->strip) : 0;
    if (n && !strncmp(file, r->strip, n))
        file += n;
    sb_printf(&r->msgs, "%s:%d:%d: %s: %s\n", file, d->line, d->col, diag_level_name(d->level), d->message);
}

static void count_kinds(run *r, const ir_flow *f)
{
    for (int i = 0; i < f->n_tasks; i++) {
        r->by_kind[f->tasks[i]->kind]++;
        if (f->tasks[i]->sub)
            count_kinds(r, f->tasks[i]->sub);
    }
}

static void on_flow(void *ud, ir_flow *f)
{
    run *r = ud;
    r->flows++;
    r->tasks += ir_flow_count_tasks(f);
    r->edges += f->n_edges;
    r->holes += ir_flow_holes(f, NULL, NULL);
    r->bad += flow_check(f, f->file ? f->file : "?");
    count_kinds(r, f);
    ir_flow_to_text(&r->text, f);
    ir_flow_free(f);
}

static void on_job(void *ud, ir_job *job)
{
    run *r = ud;
    r->jobs++;
    ir_job_free(job);
}

static int read_path(run *r, const char *path)
{
    diag_ctx dc;
    diag_init(&dc, on_diag, r);
    fe_options opt;
    memset(&opt, 0, sizeof opt);
    opt.on_flow = on_flow;
    fe_counts counts = {0};
    return abinitio_frontend.read(path, &opt, &dc, on_job, r, &counts);
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

static bool is_plan(const char *p)
{
    return has_suffix(p, ".plan");
}

static bool is_ksh(const char *p)
{
    return has_suffix(p, ".ksh");
}

static bool is_script(const char *p)
{
    return is_plan(p) || is_ksh(p) || has_suffix(p, ".sh");
}

static int mode_expect(const char *sandbox, const char *expdir)
{
    bool update = getenv("ETLPORT_UPDATE_GOLDEN") && !strcmp(getenv("ETLPORT_UPDATE_GOLDEN"), "1");
    char prefix[4096], sub[4096];
    snprintf(prefix, sizeof prefix, "%s/", sandbox);
    int rc = 0, pass = 0, total = 0;
    for (int s = 0; s < 2; s++) {
        snprintf(sub, sizeof sub, "%s/%s", sandbox, s ? "run" : "plan");
        char **files;
        int n = flow_list_files(sub, false, s ? is_ksh : is_plan, &files);
        for (int i = 0; i < n; i++) {
            run r = {STRBUF_INIT, STRBUF_INIT, prefix, 0, 0, 0, 0, 0, 0, {0}};
            read_path(&r, files[i]);
            if (r.flows == 0 && s == 1) { /* a deployed graph: a job, not a flow */
                sb_free(&r.text);
                sb_free(&r.msgs);
                free(files[i]);
                continue;
            }
            total++;
            strbuf got = STRBUF_INIT;
            sb_puts(&got, sb_cstr(&r.msgs));
            sb_puts(&got, sb_cstr(&r.text));
            if (r.flows != 1 || r.bad) {
                fprintf(stderr, "%s: %d flow(s), %d structural problem(s)\n", files[i], r.flows, r.bad);
                rc = 1;
            }
            if (flow_golden(files[i], expdir, sb_cstr(&got), update))
                pass++;
            else
                rc = 1;
            sb_free(&got);
            sb_free(&r.text);
            sb_free(&r.msgs);
            free(files[i]);
        }
        free(files);
    }
    printf("%d/%d flows as expected%s\n", pass, total, update ? " (rewritten)" : "");
    return rc || total == 0;
}

static int mode_corpus(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        printf("corpus %s absent: skipped\n", dir);
        return 77;
    }
    char **files;
    int n = flow_list_files(dir, true, is_script, &files), rc = 0;
    run all = {STRBUF_INIT, STRBUF_INIT, NULL, 0, 0, 0, 0, 0, 0, {0}};
    for (int i = 0; i < n; i++) {
        run r = {STRBUF_INIT, STRBUF_INIT, NULL, 0, 0, 0, 0, 0, 0, {0}};
        read_path(&r, files[i]);
        printf("%s: %d flow(s), %d task(s), %d edge(s), %d hole(s)\n", files[i], r.flows, r.tasks, r.edges, r.holes);
        if (r.flows != 1 || r.bad) {
            fprintf(stderr, "%s: expected one well-formed flow, got %d (%d problem(s))\n%s", files[i], r.flows, r.bad,
                    sb_cstr(&r.msgs));
            rc = 1;
        }
        all.flows += r.flows;
        all.tasks += r.tasks;
        all.edges += r.edges;
        all.holes += r.holes;
        for (int k = 0; k <= IR_TASK_HOLE; k++)
            all.by_kind[k] += r.by_kind[k];
        sb_free(&r.text);
        sb_free(&r.msgs);
        free(files[i]);
    }
    free(files);
    printf("%d file(s): %d flow(s), %d task(s), %d edge(s), %d hole(s); tasks by kind:", n, all.flows, all.tasks,
           all.edges, all.holes);
    for (int k = 0; k <= IR_TASK_HOLE; k++)
        if (all.by_kind[k])
            printf(" %s %d", ir_task_kind_name((ir_task_kind)k), all.by_kind[k]);
    printf("\n");
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "expect"))
        return mode_expect(argv[2], argv[3]);
    if (argc >= 3 && !strcmp(argv[1], "dump")) {
        for (int i = 2; i < argc; i++) {
            run r = {STRBUF_INIT, STRBUF_INIT, NULL, 0, 0, 0, 0, 0, 0, {0}};
            read_path(&r, argv[i]);
            fputs(sb_cstr(&r.msgs), stdout);
            fputs(sb_cstr(&r.text), stdout);
            sb_free(&r.text);
            sb_free(&r.msgs);
        }
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "corpus"))
        return mode_corpus(argv[2]);
    fprintf(stderr, "usage: test_abiflow expect SANDBOX EXPDIR | dump FILE... | corpus DIR\n");
    return 2;
}
