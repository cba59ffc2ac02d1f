/*
 * test_infa_wf.c — PowerCenter workflows into ir_flow (frontends/informatica/infa_wf.c).
 *
 * - The project's own workflow exports (corpus/informatica/workflows) against their flow text in
 *   tests/infa/expected-flows/<file>.txt: ir_flow_to_text of every flow, the legacy schedule and
 *   the messages. The expected files are the reference for what the reader means; after a
 *   deliberate change, INFA_FLOW_UPDATE=1 rewrites them (then read the diff).
 * - Every real export of ../shared/corpus/informatica that holds a WORKFLOW: at least one flow,
 *   no error from the workflow reader, every edge between existing tasks; figures printed.
 * - Small exports written here: link condition kinds, a dangling link, a cycle, a worklet that
 *   runs itself.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "frontends/frontend.h"
#include "ir/ir_flow.h"
#include "tests/testlib.h"

extern const frontend infa_frontend;

#ifndef ETLPORT_SHARED_CORPUS
#define ETLPORT_SHARED_CORPUS "../shared/corpus"
#endif
#ifndef ETLPORT_SOURCE_DIR
#define ETLPORT_SOURCE_DIR "."
#endif

/* ---- one read: its flows and messages ---- */

typedef struct result {
    ir_flow *flows[16];
    int n_flows;
    strbuf msgs;
    int n_errors, n_jobs;
} result;

static void keep_flow(void *ud, ir_flow *fl)
{
    result *r = ud;
    if (r->n_flows < 16)
        r->flows[r->n_flows++] = fl;
    else
        ir_flow_free(fl);
}

static void drop_job(void *ud, ir_job *job)
{
    ((result *)ud)->n_jobs++;
    ir_job_free(job);
}

static void keep_msg(void *ud, const diag *d)
{
    result *r = ud;
    const char *base = d->file ? strrchr(d->file, '/') : NULL;
    r->n_errors += d->level == DIAG_ERROR;
    sb_printf(&r->msgs, "%s:%d:%d: %s: %s\n", base ? base + 1 : d->file ? d->file : "", d->line, d->col,
              diag_level_name(d->level), d->message);
}

static const char *const own_params[] = {
    ETLPORT_SOURCE_DIR "/corpus/informatica/params/bank_dwh.param",
    ETLPORT_SOURCE_DIR "/corpus/informatica/params/bank_ops.param",
    ETLPORT_SOURCE_DIR "/corpus/informatica/params/retail_edw.param",
    ETLPORT_SOURCE_DIR "/corpus/informatica/params/retail_ops.param",
};

/* Reads path; with flows false, flows are not built (on_flow NULL). */
static int read_flows(const char *path, bool flows, bool params, result *r)
{
    memset(r, 0, sizeof *r);
    sb_init(&r->msgs);
    fe_options opt;
    memset(&opt, 0, sizeof opt);
    opt.on_flow = flows ? keep_flow : NULL;
    if (params) {
        opt.params_files = own_params;
        opt.n_params_files = 4;
    }
    diag_ctx dc;
    diag_init(&dc, keep_msg, r);
    return infa_frontend.read(path, &opt, &dc, drop_job, r, NULL);
}

static void result_free(result *r)
{
    for (int i = 0; i < r->n_flows; i++)
        ir_flow_free(r->flows[i]);
    sb_free(&r->msgs);
}

/* ---- figures over flows ---- */

typedef struct figures {
    int flows, tasks[IR_TASK_HOLE + 1], edges[IR_LINK_EXPR + 1], cond_holes, bad_edges, approx, holes;
} figures;

static void count_flow(figures *fg, const ir_flow *fl)
{
    for (int i = 0; i < fl->n_tasks; i++) {
        fg->tasks[fl->tasks[i]->kind]++;
        if (fl->tasks[i]->sub)
            count_flow(fg, fl->tasks[i]->sub);
    }
    for (int i = 0; i < fl->n_edges; i++) {
        const ir_flow_edge *e = &fl->edges[i];
        if (e->from < 0 || e->from >= fl->n_tasks || e->to < 0 || e->to >= fl->n_tasks) {
            fg->bad_edges++;
            continue;
        }
        fg->edges[ir_flow_edge_kind(fl, e)]++;
        fg->cond_holes += e->cond && e->cond->kind == IR_EX_HOLE;
    }
}

static void print_figures(const char *title, const figures *fg)
{
    printf("%s: %d flows; tasks:", title, fg->flows);
    for (int k = 0; k <= IR_TASK_HOLE; k++)
        if (fg->tasks[k])
            printf(" %s %d", ir_task_kind_name((ir_task_kind)k), fg->tasks[k]);
    printf("; edges:");
    for (int k = 0; k <= IR_LINK_EXPR; k++)
        printf(" %s %d", ir_link_kind_name((ir_link_kind)k), fg->edges[k]);
    printf("; hole conditions %d; holes in all %d; approximate schedules %d\n", fg->cond_holes, fg->holes,
           fg->approx);
}

/* ---- the project's own workflows against their expected text ---- */

static const char *const own_files[] = {
    "wf_bank_daily_load",        "wf_retail_nightly_sales",    "wf_bank_eod_gl_recon",
    "wf_bank_intraday_aml",      "wf_bank_month_end",          "wf_retail_store_replenish",
    "wf_retail_ecom_streams",    "wf_retail_periodic_reports", NULL,
};

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    strbuf sb;
    sb_init(&sb);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        sb_putn(&sb, buf, n);
    fclose(fp);
    return sb_take(&sb);
}

static figures own_figures;

static void test_own_workflows(void)
{
    for (int i = 0; own_files[i]; i++) {
        char path[1024], want_path[1024];
        snprintf(path, sizeof path, "%s/corpus/informatica/workflows/%s.XML", ETLPORT_SOURCE_DIR, own_files[i]);
        snprintf(want_path, sizeof want_path, "%s/tests/infa/expected-flows/%s.txt", ETLPORT_SOURCE_DIR,
                 own_files[i]);
        result r;
        int rc = read_flows(path, true, true, &r);
        CHECK(rc == 0);
        CHECK(r.n_flows >= 1);
        strbuf got;
        sb_init(&got);
        for (int k = 0; k < r.n_flows; k++) {
            const ir_flow *fl = r.flows[k];
            ir_flow_to_text(&got, fl);
            sb_printf(&got, "  legacy schedule: %s", fl->schedule.text ? fl->schedule.text : "-");
            if (fl->schedule.max_runs)
                sb_printf(&got, " (max runs %d)", fl->schedule.max_runs);
            sb_printf(&got, "\n  holes %d\n", ir_flow_holes(fl, NULL, NULL));
            own_figures.flows++;
            own_figures.approx += fl->schedule.approx != NULL;
            own_figures.holes += ir_flow_holes(fl, NULL, NULL);
            count_flow(&own_figures, fl);
        }
        if (r.msgs.len)
            sb_printf(&got, "messages:\n%s", sb_cstr(&r.msgs));
        if (getenv("INFA_FLOW_UPDATE")) {
            FILE *fp = fopen(want_path, "wb");
            CHECK(fp != NULL);
            if (fp) {
                fputs(sb_cstr(&got), fp);
                fclose(fp);
            }
        } else {
            char *want = slurp(want_path);
            if (!want || strcmp(want, sb_cstr(&got)) != 0) {
                fprintf(stderr, "%s: flow text differs from %s; got:\n%s\n", path, want_path, sb_cstr(&got));
                CHECK(!"flow text as expected");
            }
            free(want);
        }
        sb_free(&got);
        result_free(&r);
    }
    CHECK(own_figures.bad_edges == 0);
    /* every task kind the reader knows appears in the project's own workflows */
    for (int k = 0; k < IR_TASK_HOLE; k++)
        if (k != IR_TASK_SQL && !own_figures.tasks[k]) {
            fprintf(stderr, "no %s task in corpus/informatica/workflows\n", ir_task_kind_name((ir_task_kind)k));
            CHECK(!"every task kind covered");
        }
    for (int k = 0; k <= IR_LINK_EXPR; k++)
        CHECK(own_figures.edges[k] > 0);
    print_figures("own workflows", &own_figures);
}

/* ---- the real exports ---- */

static void test_real_corpus(void)
{
    const char *root = ETLPORT_SHARED_CORPUS "/informatica";
    DIR *top = opendir(root);
    if (!top) {
        printf("real corpus not found at %s: skipped\n", root);
        return;
    }
    /* the file names, sorted, for deterministic output */
    char *names[512];
    int n = 0;
    for (struct dirent *d; (d = readdir(top)) != NULL;) {
        if (d->d_name[0] == '.')
            continue;
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/%s", root, d->d_name);
        DIR *sub = opendir(dir);
        if (!sub)
            continue;
        for (struct dirent *e; (e = readdir(sub)) != NULL && n < 512;) {
            char path[2048];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            char *text = e->d_name[0] != '.' ? slurp(path) : NULL;
            if (text && strstr(text, "<WORKFLOW "))
                names[n++] = strdup(path);
            free(text);
        }
        closedir(sub);
    }
    closedir(top);
    for (int i = 1; i < n; i++) /* insertion sort by path */
        for (int k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
            char *t = names[k];
            names[k] = names[k - 1];
            names[k - 1] = t;
        }
    figures fg;
    memset(&fg, 0, sizeof fg);
    for (int i = 0; i < n; i++) {
        result plain, r;
        read_flows(names[i], false, false, &plain);
        read_flows(names[i], true, false, &r);
        if (r.n_flows < 1 || r.n_errors != plain.n_errors) {
            fprintf(stderr, "%s: %d flows, %d errors from the workflow reader\n%s", names[i], r.n_flows,
                    r.n_errors - plain.n_errors, sb_cstr(&r.msgs));
            CHECK(!"every real workflow export yields flows without error");
        }
        if (r.msgs.len > plain.msgs.len) /* the workflow reader's warnings */
            printf("%s", sb_cstr(&r.msgs) + plain.msgs.len);
        int holes_before = fg.cond_holes;
        for (int k = 0; k < r.n_flows; k++) {
            fg.flows++;
            fg.approx += r.flows[k]->schedule.approx != NULL;
            fg.holes += ir_flow_holes(r.flows[k], NULL, NULL);
            if (getenv("INFA_FLOW_PRINT")) {
                strbuf sb;
                sb_init(&sb);
                ir_flow_to_text(&sb, r.flows[k]);
                printf("%s", sb_cstr(&sb));
                sb_free(&sb);
            }
            count_flow(&fg, r.flows[k]);
        }
        if (fg.cond_holes > holes_before)
            printf("  %s: %d hole conditions\n", strrchr(names[i], '/') + 1, fg.cond_holes - holes_before);
        result_free(&plain);
        result_free(&r);
        free(names[i]);
    }
    CHECK(n >= 29);
    CHECK(fg.bad_edges == 0);
    printf("real exports with workflows: %d files\n", n);
    print_figures("real workflows", &fg);
}

/* ---- small exports ---- */

static const char *export_head =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<POWERMART CREATION_DATE=\"01/01/2024 00:00:00\" REPOSITORY_VERSION=\"189.98\">\n"
    "<REPOSITORY NAME=\"R\" VERSION=\"189\" CODEPAGE=\"UTF-8\" DATABASETYPE=\"Oracle\">\n"
    "<FOLDER NAME=\"F\">\n";
static const char *export_tail = "</FOLDER>\n</REPOSITORY>\n</POWERMART>\n";

/* Writes head + body + tail to name and reads it with flows. */
static int read_body(const char *name, const char *body, result *r)
{
    FILE *fp = fopen(name, "wb");
    if (!fp)
        return -1;
    fprintf(fp, "%s%s%s", export_head, body, export_tail);
    fclose(fp);
    return read_flows(name, true, false, r);
}

static const ir_flow_edge *edge_to(const ir_flow *fl, const char *to)
{
    for (int i = 0; i < fl->n_edges; i++)
        if (strcmp(fl->tasks[fl->edges[i].to]->name, to) == 0)
            return &fl->edges[i];
    return NULL;
}

static const char *edge_kind(const ir_flow *fl, const char *to)
{
    const ir_flow_edge *e = edge_to(fl, to);
    return e ? ir_link_kind_name(ir_flow_edge_kind(fl, e)) : "(no edge)";
}

static const char *edge_text(const ir_flow *fl, const char *to)
{
    static char buf[4][512];
    static int k;
    const ir_flow_edge *e = edge_to(fl, to);
    if (!e || !e->cond)
        return "-";
    strbuf sb;
    sb_init(&sb);
    ir_expr_to_text(&sb, e->cond);
    char *b = buf[k++ % 4];
    snprintf(b, sizeof buf[0], "%s", sb_cstr(&sb));
    sb_free(&sb);
    return b;
}

#define TI(name)                                                                                              \
    "<TASKINSTANCE ISENABLED =\"YES\" NAME =\"" name "\" REUSABLE =\"NO\" TASKNAME =\"" name                   \
    "\" TASKTYPE =\"Command\"/>\n"
#define CMD(name) "<TASK NAME =\"" name "\" REUSABLE =\"NO\" TYPE =\"Command\"/>\n"
#define LINK(from, to, cond) "<WORKFLOWLINK CONDITION =\"" cond "\" FROMTASK =\"" from "\" TOTASK =\"" to "\"/>\n"

static void test_condition_kinds(void)
{
    const char *body =
        "<WORKFLOW NAME =\"wf_k\">\n"
        "<TASK NAME =\"Start\" REUSABLE =\"NO\" TYPE =\"Start\"/>\n"
        "<TASK NAME =\"Dec\" REUSABLE =\"NO\" TYPE =\"Decision\">"
        "<ATTRIBUTE NAME =\"Decision Name\" VALUE =\"$a.Status = SUCCEEDED\"/></TASK>\n" CMD("a") CMD("b") CMD("c")
            CMD("d") CMD("e") CMD("f") CMD("g") CMD("h") CMD("i") CMD("j")
        "<TASKINSTANCE ISENABLED =\"YES\" NAME =\"Start\" TASKNAME =\"Start\" TASKTYPE =\"Start\"/>\n"
        "<TASKINSTANCE ISENABLED =\"YES\" NAME =\"Dec\" TASKNAME =\"Dec\" TASKTYPE =\"Decision\"/>\n" TI("a") TI("b")
            TI("c") TI("d") TI("e") TI("f") TI("g") TI("h") TI("i") TI("j")
        LINK("Start", "a", "")
        LINK("a", "b", "$A.PrevTaskStatus = SUCCEEDED  OR $a.PrevTaskStatus = DISABLED")
        LINK("a", "c", "$a.Status= Failed OR $a.Status = ABORTED OR $a.Status = STOPPED")
        LINK("a", "Dec", "$a.Status &lt;&gt; SUCCEEDED")
        LINK("Dec", "d", "$Dec.Condition = FALSE")
        LINK("Dec", "e", "$dec.Condition")
        LINK("Dec", "f", "NOT $Dec.Condition")
        LINK("a", "g", "$a.TgtSuccessRows = 0")
        LINK("a", "h", "$$LOAD_FLAG")
        LINK("a", "i", "$a.Bogus = 1")
        LINK("a", "j", "$a.Status = = SUCCEEDED")
        "</WORKFLOW>\n";
    result r;
    read_body("wf_kinds.XML", body, &r);
    CHECK(r.n_errors == 0);
    CHECK(r.n_flows == 1);
    if (r.n_flows == 1) {
        const ir_flow *fl = r.flows[0];
        CHECK_STR(edge_kind(fl, "a"), "always");
        CHECK_STR(edge_kind(fl, "b"), "success");
        CHECK_STR(edge_text(fl, "b"), "or(eq($$\"a.prev_task_status\", 'SUCCEEDED'), eq($$\"a.prev_task_status\", 'DISABLED'))");
        CHECK_STR(edge_kind(fl, "c"), "failure");
        CHECK_STR(edge_kind(fl, "Dec"), "failure");
        CHECK_STR(edge_kind(fl, "d"), "decision_false");
        CHECK_STR(edge_kind(fl, "e"), "decision_true");
        CHECK_STR(edge_kind(fl, "f"), "decision_false");
        CHECK_STR(edge_kind(fl, "g"), "expr");
        CHECK_STR(edge_text(fl, "h"), "$$LOAD_FLAG");
        CHECK(edge_to(fl, "i") && edge_to(fl, "i")->cond->kind == IR_EX_HOLE);
        CHECK(edge_to(fl, "j") && edge_to(fl, "j")->cond->kind == IR_EX_HOLE);
        CHECK_STR(edge_to(fl, "j") ? edge_to(fl, "j")->cond->u.hole.text : NULL, "$a.Status = = SUCCEEDED");
        CHECK_STR(edge_to(fl, "j") ? edge_to(fl, "j")->cond->u.hole.reason : NULL, "not understood: unexpected '='");
        CHECK_STR(edge_to(fl, "i") ? edge_to(fl, "i")->cond->u.hole.reason : NULL, "unknown task variable 'Bogus'");
        int dec = ir_flow_task_index(fl, "Dec");
        CHECK(dec >= 0 && fl->tasks[dec]->cond && fl->tasks[dec]->cond->kind == IR_EX_CALL);
    }
    result_free(&r);
}

static void test_dangling_link(void)
{
    const char *body = "<WORKFLOW NAME =\"wf_bad\">\n"
                       "<TASK NAME =\"Start\" REUSABLE =\"NO\" TYPE =\"Start\"/>\n" CMD("a")
                       "<TASKINSTANCE ISENABLED =\"YES\" NAME =\"Start\" TASKNAME =\"Start\" TASKTYPE =\"Start\"/>\n"
                           TI("a") LINK("Start", "a", "")
                       "    <WORKFLOWLINK CONDITION =\"\" FROMTASK =\"a\" TOTASK =\"s_missing\"/>\n"
                       "</WORKFLOW>\n"
                       "<WORKFLOW NAME =\"wf_good\">\n"
                       "<TASK NAME =\"Start\" REUSABLE =\"NO\" TYPE =\"Start\"/>\n" CMD("a")
                       "<TASKINSTANCE ISENABLED =\"YES\" NAME =\"Start\" TASKNAME =\"Start\" TASKTYPE =\"Start\"/>\n"
                           TI("a") LINK("Start", "a", "") "</WORKFLOW>\n";
    result r;
    int rc = read_body("wf_dangling.XML", body, &r);
    CHECK(rc != 0);
    CHECK(r.n_errors == 1);
    CHECK(r.n_flows == 2);
    /* line 11 of the file: the head has 4 lines, the link is the 7th line of the body */
    CHECK(strstr(sb_cstr(&r.msgs), "wf_dangling.XML:11:5: error: link from 'a' to 's_missing': no task instance "
                                   "named 's_missing' here") != NULL);
    if (r.n_flows == 2) {
        CHECK(r.flows[0]->n_edges == 1);
        CHECK_STR(r.flows[1]->name, "wf_good");
        CHECK(r.flows[1]->n_edges == 1);
    }
    if (r.n_errors != 1)
        fprintf(stderr, "%s", sb_cstr(&r.msgs));
    result_free(&r);
}

static void test_cycle_and_self_worklet(void)
{
    const char *body =
        "<WORKLET NAME =\"wklt_loop\" REUSABLE =\"YES\">\n"
        "<TASKINSTANCE ISENABLED =\"YES\" NAME =\"again\" REUSABLE =\"YES\" TASKNAME =\"wklt_loop\" TASKTYPE =\"Worklet\"/>\n"
        "</WORKLET>\n"
        "<WORKFLOW NAME =\"wf_cycle\">\n" CMD("a") CMD("b")
        "<TASKINSTANCE ISENABLED =\"YES\" NAME =\"Start\" TASKNAME =\"Start\" TASKTYPE =\"Start\"/>\n" TI("a") TI("b")
        "<TASKINSTANCE ISENABLED =\"YES\" NAME =\"loop\" REUSABLE =\"YES\" TASKNAME =\"wklt_loop\" TASKTYPE =\"Worklet\"/>\n"
        LINK("Start", "a", "") LINK("a", "b", "") LINK("b", "a", "$b.Status = SUCCEEDED") LINK("b", "loop", "")
        "</WORKFLOW>\n";
    result r;
    read_body("wf_cycle.XML", body, &r);
    CHECK(r.n_errors == 2);
    CHECK(strstr(sb_cstr(&r.msgs), "error: the link from 'b' to 'a' closes a cycle in 'wf_cycle'") != NULL);
    CHECK(strstr(sb_cstr(&r.msgs), "error: worklet 'wklt_loop' runs itself (through 'again')") != NULL);
    CHECK(r.n_flows == 1);
    if (r.n_flows == 1) {
        const ir_flow *fl = r.flows[0];
        CHECK(fl->n_edges == 3);
        int loop = ir_flow_task_index(fl, "loop");
        CHECK(loop >= 0 && fl->tasks[loop]->kind == IR_TASK_SUBFLOW && fl->tasks[loop]->sub);
        if (loop >= 0 && fl->tasks[loop]->sub)
            CHECK(fl->tasks[loop]->sub->n_tasks == 1 && fl->tasks[loop]->sub->tasks[0]->kind == IR_TASK_HOLE);
    }
    result_free(&r);
}

/* A workflow whose scheduler repeats every d days h hours m minutes from start (MM/DD/YYYY HH:MM). */
static void check_every(int d, int h, int m, const char *start, const char *cron, bool exact)
{
    char body[2048];
    snprintf(body, sizeof body,
             "<WORKFLOW NAME =\"wf_every\" SCHEDULERNAME =\"s\">\n"
             "<SCHEDULER NAME =\"s\" REUSABLE =\"NO\"><SCHEDULEINFO SCHEDULETYPE =\"CUSTOMIZED\">"
             "<STARTOPTIONS STARTDATE =\"%s\"/><SCHEDULEOPTIONS SCHEDULEMODE =\"RUNEVERY\">"
             "<RECURRING DAYS =\"%d\" HOURS =\"%d\" MINUTES =\"%d\"/></SCHEDULEOPTIONS>"
             "<ENDOPTIONS ENDTYPE =\"RUNCOUNT\" RUNCOUNT =\"7\"/></SCHEDULEINFO></SCHEDULER>\n"
             "<TASKINSTANCE ISENABLED =\"YES\" NAME =\"Start\" TASKNAME =\"Start\" TASKTYPE =\"Start\"/>\n"
             "</WORKFLOW>\n",
             start, d, h, m);
    result r;
    read_body("wf_every.XML", body, &r);
    CHECK(r.n_flows == 1 && r.n_errors == 0);
    if (r.n_flows == 1) {
        const ir_schedule *s = &r.flows[0]->schedule;
        CHECK(s->kind == IR_SCHED_CRON);
        CHECK_STR(s->cron, cron);
        CHECK((s->approx == NULL) == exact);
        CHECK(s->max_runs == 7);
    }
    result_free(&r);
}

static void test_schedule_every(void)
{
    check_every(0, 4, 0, "05/01/2024 02:00", "0 2-23/4 * * *", true);
    check_every(0, 0, 20, "05/01/2024 00:05", "5-59/20 * * * *", true);
    check_every(0, 0, 30, "05/01/2024 00:00", "*/30 * * * *", true);
    check_every(1, 0, 0, "05/01/2024 06:30", "30 6 * * *", true);
    check_every(0, 7, 0, "05/01/2024 01:00", "0 1-23/7 * * *", false);
    check_every(0, 0, 45, "05/01/2024 01:00", "*/45 * * * *", false);
}

/* A session whose mapping is in another folder of the file runs that folder's job; one whose
 * mapping is nowhere in an export that holds mappings is a warning. */
static void test_session_mappings(void)
{
    const char *body =
        "<MAPPING NAME =\"m_here\" ISVALID =\"YES\"></MAPPING>\n"
        "<WORKFLOW NAME =\"wf_m\">\n"
        "<SESSION MAPPINGNAME =\"m_here\" NAME =\"s_here\" REUSABLE =\"NO\"/>\n"
        "<SESSION MAPPINGNAME =\"m_other\" NAME =\"s_other\" REUSABLE =\"NO\"/>\n"
        "    <SESSION MAPPINGNAME =\"m_gone\" NAME =\"s_gone\" REUSABLE =\"NO\"/>\n"
        "<TASKINSTANCE ISENABLED =\"YES\" NAME =\"s_here\" TASKNAME =\"s_here\" TASKTYPE =\"Session\"/>\n"
        "<TASKINSTANCE ISENABLED =\"YES\" NAME =\"s_other\" TASKNAME =\"s_other\" TASKTYPE =\"Session\"/>\n"
        "<TASKINSTANCE ISENABLED =\"YES\" NAME =\"s_gone\" TASKNAME =\"s_gone\" TASKTYPE =\"Session\"/>\n"
        "</WORKFLOW>\n"
        "</FOLDER>\n<FOLDER NAME=\"SHARED\">\n"
        "<MAPPING NAME =\"m_other\" ISVALID =\"YES\"></MAPPING>\n";
    result r;
    read_body("wf_mappings.XML", body, &r);
    CHECK(r.n_flows == 1);
    CHECK(strstr(sb_cstr(&r.msgs),
                 "wf_mappings.XML:9:5: warning: session 's_gone' runs mapping 'm_gone', which is not in this export") !=
          NULL);
    if (r.n_flows == 1) {
        const ir_flow *fl = r.flows[0];
        CHECK(fl->n_tasks == 3);
        if (fl->n_tasks == 3) {
            CHECK_STR(fl->tasks[0]->job, "m_here");
            CHECK(fl->tasks[0]->job_folder == NULL);
            CHECK_STR(fl->tasks[1]->job, "m_other");
            CHECK_STR(fl->tasks[1]->job_folder, "SHARED");
            CHECK_STR(fl->tasks[2]->job, "m_gone");
        }
    }
    result_free(&r);
}

/* Every own workflow file cut short at many places: the reader reports the damage and hands over
 * what it could read, and never crashes (the run under the sanitizers checks memory). */
static void test_truncated(void)
{
    for (int i = 0; own_files[i]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/corpus/informatica/workflows/%s.XML", ETLPORT_SOURCE_DIR, own_files[i]);
        char *text = slurp(path);
        CHECK(text != NULL);
        size_t len = text ? strlen(text) : 0;
        for (size_t cut = 200; cut < len; cut += 1499) {
            FILE *fp = fopen("wf_cut.XML", "wb");
            if (!fp)
                break;
            fwrite(text, 1, cut, fp);
            fclose(fp);
            result r;
            int rc = read_flows("wf_cut.XML", true, false, &r);
            CHECK(rc != 0 && r.n_errors > 0);
            result_free(&r);
        }
        free(text);
    }
}

int main(void)
{
    RUN(test_truncated);
    RUN(test_session_mappings);
    RUN(test_schedule_every);
    RUN(test_condition_kinds);
    RUN(test_dangling_link);
    RUN(test_cycle_and_self_worklet);
    RUN(test_own_workflows);
    RUN(test_real_corpus);
    return TEST_SUMMARY();
}
