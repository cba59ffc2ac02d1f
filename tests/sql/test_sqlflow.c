/*
 * test_sqlflow.c — SQL scripts as workflows (frontends/sql/sqlfe_flow.c), read through the
 * frontend as `etlport convert` reads them (fe_options.on_flow):
 *
 *   test_sqlflow expect SRCDIR EXPDIR   every script of SRCDIR (the project's corpus/sql and its
 *                                       procedures folder) against EXPDIR/<stem>.flow: "no flow"
 *                                       or ir_flow_to_text (ETLPORT_UPDATE_GOLDEN=1 writes them;
 *                                       read each one)
 *   test_sqlflow dump FILE...           prints the flow of each file
 *   test_sqlflow corpus DIR             every BTEQ script (.bteq, .btq) under DIR yields a flow or
 *                                       is a script without flow control; every .sql file's flow,
 *                                       when it has one, has no dangling edge; figures printed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../abinitio/flow_check.h"
#include "core/strbuf.h"
#include "frontends/frontend.h"
#include "ir/ir_flow.h"
#include "ir/ir_unit.h"

extern const frontend sql_frontend;

typedef struct run {
    strbuf text;
    int flows, tasks, edges, holes, bad, jobs, units;
    int by_link[IR_LINK_EXPR + 1];
    bool control; /* the script unit has .GOTO / .LABEL / a non-zero .QUIT */
} run;

static void on_diag(void *ud, const diag *d)
{
    (void)ud;
    (void)d;
}

static void on_flow(void *ud, ir_flow *f)
{
    run *r = ud;
    r->flows++;
    r->tasks += ir_flow_count_tasks(f);
    r->edges += f->n_edges;
    r->holes += ir_flow_holes(f, NULL, NULL);
    r->bad += flow_check(f, f->file ? f->file : "?");
    for (int i = 0; i < f->n_edges; i++)
        r->by_link[ir_flow_edge_kind(f, &f->edges[i])]++;
    ir_flow_to_text(&r->text, f);
    ir_flow_free(f);
}

static void on_job(void *ud, ir_job *job)
{
    ((run *)ud)->jobs++;
    ir_job_free(job);
}

static void on_unit(void *ud, ir_unit *u)
{
    run *r = ud;
    r->units++;
    if (u->kind == IR_UNIT_SCRIPT && u->body.blocks) {
        const ir_pblock *b = &u->body.blocks[0];
        for (int i = 0; i < b->n; i++) {
            const ir_expr *c;
            const ir_pstmt *s = b->stmts[i];
            if (s->kind == IR_PS_LABEL || ir_pstmt_as_goto(s, &c) ||
                (s->kind == IR_PS_QUIT && s->value &&
                 !(s->value->kind == IR_EX_LIT && s->value->u.lit.text && !strcmp(s->value->u.lit.text, "0"))))
                r->control = true;
        }
    }
    ir_unit_free(u);
}

static int read_path(run *r, const char *path)
{
    diag_ctx dc;
    diag_init(&dc, on_diag, r);
    fe_options opt;
    memset(&opt, 0, sizeof opt);
    opt.on_flow = on_flow;
    opt.on_unit = on_unit;
    fe_counts counts = {0};
    return sql_frontend.read(path, &opt, &dc, on_job, r, &counts);
}

static bool script_name(const char *p, bool bteq_only)
{
    const char *dot = strrchr(p, '.');
    if (!dot)
        return false;
    if (!strcasecmp(dot, ".bteq") || !strcasecmp(dot, ".btq"))
        return true;
    return !bteq_only && !strcasecmp(dot, ".sql");
}

static bool any_script(const char *p)
{
    return script_name(p, false);
}

static int mode_expect(const char *srcdir, const char *expdir)
{
    bool update = getenv("ETLPORT_UPDATE_GOLDEN") && !strcmp(getenv("ETLPORT_UPDATE_GOLDEN"), "1");
    int rc = 0, pass = 0, total = 0;
    for (int s = 0; s < 2; s++) {
        char sub[4096];
        snprintf(sub, sizeof sub, s ? "%s/procedures" : "%s", srcdir);
        char **files;
        int n = flow_list_files(sub, false, any_script, &files);
        for (int i = 0; i < n; i++) {
            run r = {STRBUF_INIT, 0, 0, 0, 0, 0, 0, 0, {0}, false};
            read_path(&r, files[i]);
            total++;
            if (r.flows > 1 || r.bad) {
                fprintf(stderr, "%s: %d flows, %d structural problem(s)\n", files[i], r.flows, r.bad);
                rc = 1;
            }
            if (!r.flows)
                sb_printf(&r.text, "no flow (%d job(s), %d unit(s))\n", r.jobs, r.units);
            const char *got = sb_cstr(&r.text);
            if (flow_golden(files[i], expdir, got, update))
                pass++;
            else
                rc = 1;
            sb_free(&r.text);
            free(files[i]);
        }
        free(files);
    }
    printf("%d/%d scripts as expected%s\n", pass, total, update ? " (rewritten)" : "");
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
    int n = flow_list_files(dir, true, any_script, &files), rc = 0;
    int n_bteq = 0, bteq_flows = 0, bteq_plain = 0, sql_flows = 0, tasks = 0, edges = 0, holes = 0;
    int links[IR_LINK_EXPR + 1] = {0};
    for (int i = 0; i < n; i++) {
        run r = {STRBUF_INIT, 0, 0, 0, 0, 0, 0, 0, {0}, false};
        read_path(&r, files[i]);
        bool bteq = script_name(files[i], true);
        if (r.bad || r.flows > 1) {
            fprintf(stderr, "%s: %d flow(s), %d structural problem(s)\n", files[i], r.flows, r.bad);
            rc = 1;
        }
        if (bteq) {
            n_bteq++;
            if (r.flows)
                bteq_flows++;
            else if (!r.control)
                bteq_plain++;
            else {
                fprintf(stderr, "%s: a BTEQ script with flow control and no flow\n", files[i]);
                rc = 1;
            }
            printf("%s: %s, %d task(s), %d edge(s)\n", files[i], r.flows ? "flow" : "no flow control", r.tasks,
                   r.edges);
        } else if (r.flows) {
            sql_flows++;
        }
        tasks += r.tasks;
        edges += r.edges;
        holes += r.holes;
        for (int k = 0; k <= IR_LINK_EXPR; k++)
            links[k] += r.by_link[k];
        sb_free(&r.text);
        free(files[i]);
    }
    free(files);
    printf("%d script(s): %d BTEQ (%d with a flow, %d without flow control), %d other scripts with a flow; "
           "%d task(s), %d edge(s), %d hole(s); edges by kind:",
           n, n_bteq, bteq_flows, bteq_plain, sql_flows, tasks, edges, holes);
    for (int k = 0; k <= IR_LINK_EXPR; k++)
        printf(" %s %d", ir_link_kind_name((ir_link_kind)k), links[k]);
    printf("\n");
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "expect"))
        return mode_expect(argv[2], argv[3]);
    if (argc >= 3 && !strcmp(argv[1], "dump")) {
        for (int i = 2; i < argc; i++) {
            run r = {STRBUF_INIT, 0, 0, 0, 0, 0, 0, 0, {0}, false};
            read_path(&r, argv[i]);
            printf("%s", r.flows ? sb_cstr(&r.text) : "no flow\n");
            sb_free(&r.text);
        }
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "corpus"))
        return mode_corpus(argv[2]);
    fprintf(stderr, "usage: test_sqlflow expect SRCDIR EXPDIR | dump FILE... | corpus DIR\n");
    return 2;
}
