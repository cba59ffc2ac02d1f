/*
 * cmd_convert.c — `etlport convert INPUT... -o OUTDIR [--to snowflake,spark,airflow] [--params FILE]
 * [--fail-on unsupported] [--quiet]`.
 *
 * Walks the inputs (files, or directories recursively in byte order), detects each file's format
 * from its content (and a SQL script's dialect, unless --dialect / --from names it: the guess and
 * its reasons are a note on stderr and in the report), and streams every job a frontend hands over
 * through the chosen backends:
 * OUTDIR/<folder>/<job>/ir.json plus one artifact per target. Each job is freed as soon as it is
 * written, so memory is bounded by the largest job. Every workflow a frontend hands over goes to
 * OUTDIR/<folder>/workflows/<flow>/flow.json, plus dag.py with --to airflow (backends/airflow; its
 * job tasks run the jobs' spark.py, or their snowflake.sql when snowflake is a target and spark is
 * not). At the end OUTDIR/report.json (docs/report.md) and a one-screen summary on stderr. Every
 * output file is written atomically.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "backends/airflow/airflow.h"
#include "cli/cli.h"
#include "cli/verify_score.h"
#include "core/fsutil.h"
#include "core/strbuf.h"
#include "frontends/sql/sqlfe.h"
#include "ir/ir_flow.h"

#define MAX_TARGETS 8
#define MAX_PARAMS 64

/* A set of strings (used output folders), open addressing. */
typedef struct strset {
    char **slots;
    size_t n, cap;
} strset;

static unsigned long hash_str(const char *s)
{
    unsigned long h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

/* Adds s; returns 1 if it was new, 0 if already present. */
static int strset_add(strset *set, const char *s)
{
    if ((set->n + 1) * 2 > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        char **slots = calloc(cap, sizeof *slots);
        if (!slots)
            abort();
        for (size_t i = 0; i < set->cap; i++) {
            if (!set->slots[i])
                continue;
            size_t j = hash_str(set->slots[i]) & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = set->slots[i];
        }
        free(set->slots);
        set->slots = slots;
        set->cap = cap;
    }
    size_t j = hash_str(s) & (set->cap - 1);
    while (set->slots[j]) {
        if (strcmp(set->slots[j], s) == 0)
            return 0;
        j = (j + 1) & (set->cap - 1);
    }
    set->slots[j] = strdup(s);
    set->n++;
    return 1;
}

static void strset_free(strset *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i]);
    free(set->slots);
}

typedef struct run {
    const char *outdir;
    const backend *targets[MAX_TARGETS];
    int n_targets;
    fe_options fe;
    int fail_on_unsupported;
    int quiet;
    int progress; /* stderr is a terminal: show a progress line */
    int progress_shown;

    cJSON *files, *jobs;
    cJSON *cur_errors; /* the current file's "errors" array */
    cJSON *cur_stmts;  /* the current file's "statements" array (SQL scripts) */
    const char *cur_dialect; /* the dialect the SQL frontend read the current file in */
    const char *cur_path;
    int cur_jobs;
    int cur_holes;           /* holes of the current file: its jobs', statements' and units' holes */
    int cur_stmts_failed;    /* statements of the current file that did not parse */

    strset used_dirs;
    int n_files, n_converted, n_failed, n_skipped, n_jobs, n_nodes, n_holes, n_transformations;
    int n_workflows, io_errors;
    int n_support;            /* support files: read through other inputs, not converted alone */
    int nodes_by_op[IR_OP__COUNT];
    cJSON *holes_by_kind;     /* kind -> count */
    int stmts_by_status[4];   /* SQL statements: converted, skipped, hole, failed */
    int any_statements;
    cJSON *cur_units;         /* the current file's "units" array (procedural units of SQL scripts) */
    int n_units, n_unit_steps, n_unit_hole_steps;
    int artifacts_by_target[MAX_TARGETS];
    int airflow;              /* --to names airflow: a DAG per workflow */
    cJSON *flows;             /* report "flows" */
    cJSON *unresolved;        /* {"flow", "folder", "job"}: jobs a flow runs, unknown when it was read */
    int n_flows, n_dags;
    /* where each job of the run went: "<folder>\t<job>" -> its output_dir (the latest wins: a
       workflow's jobs come from its own file, read just before it) */
    char **job_keys, **job_dirs;
    int n_job_dirs, cap_job_dirs;
    /* the latest script unit's top-level steps in the DAG's job target (flow_target), for the
       SQL tasks of its flow, which follows it (translate_steps / fill_sql_tasks); NULL: none */
    char *steps_unit;
    char **steps_sql;
    int n_steps_sql;
} run;

static void clear_progress(run *r)
{
    if (r->progress_shown) {
        fputs("\r\033[K", stderr);
        r->progress_shown = 0;
    }
}

static void on_diag(void *userdata, const diag *d)
{
    run *r = userdata;
    clear_progress(r);
    diag_print(stderr, d);
    if (!r->cur_errors || d->level == DIAG_NOTE)
        return;
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "level", diag_level_name(d->level));
    cJSON_AddStringToObject(e, "file", d->file ? d->file : (r->cur_path ? r->cur_path : ""));
    cJSON_AddNumberToObject(e, "line", d->line);
    cJSON_AddNumberToObject(e, "col", d->col);
    cJSON_AddStringToObject(e, "message", d->message);
    cJSON_AddItemToArray(r->cur_errors, e);
}

static void count_kind(cJSON *obj, const char *kind)
{
    cJSON *c = cJSON_GetObjectItemCaseSensitive(obj, kind);
    if (c)
        cJSON_SetNumberValue(c, c->valuedouble + 1);
    else
        cJSON_AddNumberToObject(obj, kind, 1);
}

typedef struct hole_ctx {
    run *r;
    cJSON *arr;
    int n;
} hole_ctx;

static void on_hole(void *userdata, const ir_hole_info *h)
{
    hole_ctx *hc = userdata;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", h->kind ? h->kind : "expression");
    cJSON_AddStringToObject(o, "text", h->text ? h->text : "");
    cJSON_AddStringToObject(o, "reason", h->reason ? h->reason : "");
    cJSON_AddStringToObject(o, "file", h->span.file ? h->span.file : "");
    cJSON_AddNumberToObject(o, "line", h->span.line);
    cJSON_AddNumberToObject(o, "col", h->span.col);
    cJSON_AddNumberToObject(o, "node", h->node);
    if (h->column)
        cJSON_AddStringToObject(o, "column", h->column);
    cJSON_AddItemToArray(hc->arr, o);
    count_kind(hc->r->holes_by_kind, h->kind ? h->kind : "expression");
    hc->n++;
}

static const char *const stmt_statuses[4] = {"converted", "skipped", "hole", "failed"};

/* A statement of a SQL script: one entry of the file's "statements"; a hole also counts in the
 * totals' holes (kind "procedure" for procedural blocks, "statement" otherwise). */
static void on_statement(void *userdata, const fe_statement *st)
{
    run *r = userdata;
    if (!r->cur_stmts)
        return;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", st->kind);
    cJSON_AddNumberToObject(o, "line", st->line);
    cJSON_AddNumberToObject(o, "col", st->col);
    cJSON_AddStringToObject(o, "status", st->status);
    if (st->job)
        cJSON_AddStringToObject(o, "job", st->job);
    if (st->reason)
        cJSON_AddStringToObject(o, "reason", st->reason);
    if (st->text)
        cJSON_AddStringToObject(o, "text", st->text);
    if (st->unit)
        cJSON_AddStringToObject(o, "unit", st->unit); /* its holes are counted with the unit */
    cJSON_AddItemToArray(r->cur_stmts, o);
    r->any_statements = 1;
    for (int i = 0; i < 4; i++)
        if (strcmp(st->status, stmt_statuses[i]) == 0)
            r->stmts_by_status[i]++;
    if (strcmp(st->status, "hole") == 0 && !st->unit) {
        count_kind(r->holes_by_kind, strcmp(st->kind, "procedure") == 0 ? "procedure" : "statement");
        r->n_holes++;
        r->cur_holes++;
    }
    if (strcmp(st->status, "failed") == 0)
        r->cur_stmts_failed++;
}

static int write_file(run *r, const char *rel, const char *data, size_t len);
static void remember_job_dir(run *r, const char *folder, const char *job, const char *dir);

typedef struct unit_hole_ctx {
    run *r;
    cJSON *arr;
} unit_hole_ctx;

static void on_unit_hole(void *userdata, const ir_hole_info *h)
{
    unit_hole_ctx *hc = userdata;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", h->kind ? h->kind : "expression");
    cJSON_AddNumberToObject(o, "line", h->span.line);
    cJSON_AddNumberToObject(o, "col", h->span.col);
    cJSON_AddStringToObject(o, "reason", h->reason ? h->reason : "");
    cJSON_AddItemToArray(hc->arr, o);
    count_kind(hc->r->holes_by_kind, h->kind ? h->kind : "expression");
    hc->r->n_holes++;
    hc->r->cur_holes++;
}

/* The backend the DAG's job and SQL tasks run on: spark when --to names it, else snowflake. */
static const backend *flow_target(const run *r)
{
    const backend *snow = NULL;
    for (int i = 0; i < r->n_targets; i++) {
        if (strcmp(r->targets[i]->name, "spark") == 0)
            return r->targets[i];
        if (strcmp(r->targets[i]->name, "snowflake") == 0)
            snow = r->targets[i];
    }
    return snow;
}

static void forget_steps(run *r)
{
    for (int i = 0; i < r->n_steps_sql; i++)
        free(r->steps_sql[i]);
    free(r->steps_sql);
    free(r->steps_unit);
    r->steps_sql = NULL;
    r->steps_unit = NULL;
    r->n_steps_sql = 0;
}

/* A script unit's top-level steps as the flow target writes them, kept for the SQL tasks of the
 * script's flow (docs/flows-abinitio-sql.md): a statement in the target's SQL, a client command
 * with no effect on data as a comment, anything else (holes, .EXPORT) NULL: not translated. */
static void translate_steps(run *r, const ir_unit *u)
{
    forget_steps(r);
    const backend *be = flow_target(r);
    if (!r->airflow || u->kind != IR_UNIT_SCRIPT || !u->body.blocks || !be || !be->emit_stmt)
        return;
    const ir_pblock *st = &u->body.blocks[0];
    r->steps_unit = strdup(u->name ? u->name : "");
    r->steps_sql = calloc((size_t)st->n + 1, sizeof *r->steps_sql);
    if (!r->steps_unit || !r->steps_sql) {
        forget_steps(r);
        return;
    }
    r->n_steps_sql = st->n;
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < st->n; i++) {
        const ir_pstmt *s = st->stmts[i];
        sb_clear(&sb);
        if (s->kind == IR_PS_COMMAND) {
            sb_puts(&sb, "-- legacy client command: ");
            for (const char *c = s->text ? s->text : ""; *c && *c != '\n'; c++)
                sb_putc(&sb, *c);
        } else if (s->kind == IR_PS_SQL && s->stmt && s->stmt->kind != IR_ST_HOLE && !s->n_into) {
            char where[600];
            snprintf(where, sizeof where, "%s:%d", s->span.file ? s->span.file : "", s->span.line);
            be_result res = {0};
            if (be->emit_stmt(u->job, s->stmt, &sb, &res, where) != 0 || res.holes || res.unsupported)
                continue;
            sb_putc(&sb, ';');
        } else {
            continue;
        }
        r->steps_sql[i] = sb_take(&sb);
    }
    sb_free(&sb);
}

/* The SQL tasks of a script's flow run the group's statements translated (translate_steps); a
 * group with a step that has none keeps its legacy text and dialect, which the DAG makes a hole. */
static void fill_sql_tasks(run *r, ir_flow *f)
{
    const backend *be = flow_target(r);
    for (int i = 0; i < f->n_tasks; i++) {
        ir_task *t = f->tasks[i];
        if (t->sub)
            fill_sql_tasks(r, t->sub);
        const char *unit = ir_task_prop(t, "unit"), *range = ir_task_prop(t, "unit_steps");
        int a = 0, b = 0;
        if (t->kind != IR_TASK_SQL || !be || !unit || !range || !r->steps_unit || strcmp(unit, r->steps_unit) != 0 ||
            sscanf(range, "%d-%d", &a, &b) != 2 || a < 1 || b < a || b > r->n_steps_sql)
            continue;
        strbuf sb = STRBUF_INIT;
        bool whole = true, any = false;
        for (int k = a - 1; k < b && whole; k++) {
            whole = r->steps_sql[k] != NULL;
            if (!whole)
                break;
            if (sb.len)
                sb_putc(&sb, '\n');
            sb_puts(&sb, r->steps_sql[k]);
            any |= strncmp(r->steps_sql[k], "--", 2) != 0;
        }
        if (whole && any) {
            t->text = t->sql;
            t->sql = ir_flow_intern(f, sb_cstr(&sb));
            t->sql_dialect = ir_flow_intern(f, be->name);
        }
        sb_free(&sb);
    }
}

/* A procedural unit of a SQL script (docs/report.md, "units"): OUTDIR/<file stem>/<unit>/unit.json
 * plus each backend's emit_unit artifact next to it; its holes count in the totals. */
static void on_unit(void *userdata, ir_unit *u)
{
    run *r = userdata;
    const char *path = r->cur_path ? r->cur_path : "";
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char stem[256], name[256], dir[600], rel[700];
    snprintf(stem, sizeof stem, "%s", base);
    char *dot = strrchr(stem, '.');
    if (dot && dot != stem)
        *dot = 0;
    fs_safe_component(stem);
    snprintf(name, sizeof name, "%s", u->name && u->name[0] ? u->name : "unit");
    fs_safe_component(name);
    snprintf(dir, sizeof dir, "%s/%s", stem, name);
    for (int k = 2; !strset_add(&r->used_dirs, dir); k++)
        snprintf(dir, sizeof dir, "%s/%s__%d", stem, name, k);
    remember_job_dir(r, stem, u->name, dir); /* a script's flow runs its units as jobs */

    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", u->name ? u->name : "");
    cJSON_AddStringToObject(o, "kind", ir_unit_kind_name(u->kind));
    cJSON_AddNumberToObject(o, "line", u->span.line);
    cJSON_AddStringToObject(o, "output_dir", dir);
    int steps = ir_unit_count_steps(u), hole_steps = ir_unit_hole_steps(u);
    cJSON_AddNumberToObject(o, "steps", steps);
    cJSON_AddNumberToObject(o, "hole_steps", hole_steps);
    cJSON *arts = cJSON_AddObjectToObject(o, "artifacts");
    strbuf sb = STRBUF_INIT;
    ir_unit_to_json(u, &sb);
    snprintf(rel, sizeof rel, "%s/unit.json", dir);
    if (write_file(r, rel, sb_cstr(&sb), sb.len) == 0)
        cJSON_AddStringToObject(arts, "unit", rel);
    diag_ctx dc;
    diag_init(&dc, on_diag, r);
    for (int t = 0; t < r->n_targets; t++) {
        const backend *be = r->targets[t];
        if (!be->emit_unit)
            continue;
        be_options bo = {0};
        be_result res = {0};
        sb_clear(&sb);
        if (be->emit_unit(u, &bo, &sb, &res, &dc) != 0) {
            clear_progress(r);
            fprintf(stderr, "%s: error: %s backend could not convert unit '%s'\n", path, be->name, u->name);
            continue;
        }
        snprintf(rel, sizeof rel, "%s/%s", dir, be->filename);
        if (write_file(r, rel, sb_cstr(&sb), sb.len) == 0) {
            cJSON_AddStringToObject(arts, be->name, rel);
            r->artifacts_by_target[t]++;
        }
    }
    sb_free(&sb);
    unit_hole_ctx hc = {r, cJSON_CreateArray()};
    ir_unit_holes(u, on_unit_hole, &hc);
    cJSON_AddItemToObject(o, "holes", hc.arr);
    if (r->cur_units)
        cJSON_AddItemToArray(r->cur_units, o);
    else
        cJSON_Delete(o);
    r->n_units++;
    r->n_unit_steps += steps;
    r->n_unit_hole_steps += hole_steps;
    translate_steps(r, u);
    ir_unit_free(u);
}

static int write_file(run *r, const char *rel, const char *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", r->outdir, rel);
    if (fs_write_atomic(path, data, len) != 0) {
        clear_progress(r);
        fprintf(stderr, "%s: error: cannot write: %s\n", path, strerror(errno));
        r->io_errors++;
        return -1;
    }
    return 0;
}

/* OUTDIR-relative folder for a job: <folder>/<job>, made unique with __2, __3 ... */
static void job_dir(run *r, const ir_job *job, char *out, size_t size)
{
    char folder[256], name[256];
    snprintf(folder, sizeof folder, "%s", job->folder && job->folder[0] ? job->folder : "_");
    snprintf(name, sizeof name, "%s", job->name && job->name[0] ? job->name : "job");
    fs_safe_component(folder);
    fs_safe_component(name);
    snprintf(out, size, "%s/%s", folder, name);
    for (int k = 2; !strset_add(&r->used_dirs, out); k++)
        snprintf(out, size, "%s/%s__%d", folder, name, k);
}

static void remember_job_dir(run *r, const char *folder, const char *job, const char *dir)
{
    if (r->n_job_dirs == r->cap_job_dirs) {
        r->cap_job_dirs = r->cap_job_dirs ? r->cap_job_dirs * 2 : 64;
        r->job_keys = realloc(r->job_keys, (size_t)r->cap_job_dirs * sizeof *r->job_keys);
        r->job_dirs = realloc(r->job_dirs, (size_t)r->cap_job_dirs * sizeof *r->job_dirs);
        if (!r->job_keys || !r->job_dirs)
            abort();
    }
    strbuf key = STRBUF_INIT;
    sb_printf(&key, "%s\t%s", folder ? folder : "", job ? job : "");
    r->job_keys[r->n_job_dirs] = sb_take(&key);
    r->job_dirs[r->n_job_dirs] = strdup(dir);
    r->n_job_dirs++;
}

/* airflow_options.job_dir (userdata: the flow's hole_ctx): where convert wrote the job a workflow
 * task runs (the latest job of that name in that folder, else in any folder), or NULL. */
static const char *lookup_job_dir(void *userdata, const char *folder, const char *job)
{
    run *r = ((hole_ctx *)userdata)->r;
    strbuf key = STRBUF_INIT;
    sb_printf(&key, "%s\t%s", folder ? folder : "", job ? job : "");
    const char *found = NULL;
    for (int i = r->n_job_dirs - 1; i >= 0 && !found; i--)
        if (strcmp(r->job_keys[i], sb_cstr(&key)) == 0)
            found = r->job_dirs[i];
    for (int i = r->n_job_dirs - 1; i >= 0 && !found && job; i--) {
        const char *tab = strchr(r->job_keys[i], '\t');
        if (tab && strcmp(tab + 1, job) == 0)
            found = r->job_dirs[i];
    }
    sb_free(&key);
    return found;
}

/* Records the jobs the flow's JOB tasks run (sub-flows too) that no job converted so far is: the
 * end of the run checks them again (a job may come from a later file) and lists those never
 * converted in the flow's "jobs_not_converted". */
static void note_unresolved_jobs(run *r, const ir_flow *f, int flow_index)
{
    hole_ctx hc = {r, NULL, 0};
    for (int i = 0; i < f->n_tasks; i++) {
        const ir_task *t = f->tasks[i];
        const char *folder = t->job_folder ? t->job_folder : f->folder;
        if (t->kind == IR_TASK_JOB && t->job && !lookup_job_dir(&hc, folder, t->job)) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "flow", flow_index);
            cJSON_AddStringToObject(o, "folder", folder ? folder : "");
            cJSON_AddStringToObject(o, "job", t->job);
            cJSON_AddItemToArray(r->unresolved, o);
        }
        if (t->sub)
            note_unresolved_jobs(r, t->sub, flow_index);
    }
}

/* The end of the run: each flow's jobs still unknown go to its "jobs_not_converted". */
static void list_jobs_not_converted(run *r)
{
    hole_ctx hc = {r, NULL, 0};
    const cJSON *u;
    cJSON_ArrayForEach(u, r->unresolved) {
        const char *job = cJSON_GetObjectItemCaseSensitive(u, "job")->valuestring;
        const char *folder = cJSON_GetObjectItemCaseSensitive(u, "folder")->valuestring;
        if (lookup_job_dir(&hc, folder[0] ? folder : NULL, job))
            continue;
        cJSON *flow = cJSON_GetArrayItem(r->flows, (int)cJSON_GetObjectItemCaseSensitive(u, "flow")->valuedouble);
        cJSON *arr = cJSON_GetObjectItemCaseSensitive(flow, "jobs_not_converted");
        if (!arr)
            arr = cJSON_AddArrayToObject(flow, "jobs_not_converted");
        bool dup = false;
        const cJSON *x;
        cJSON_ArrayForEach(x, arr) dup |= strcmp(x->valuestring, job) == 0;
        if (!dup)
            cJSON_AddItemToArray(arr, cJSON_CreateString(job));
    }
}

static int count_flow_edges(const ir_flow *f)
{
    int n = f->n_edges;
    for (int i = 0; i < f->n_tasks; i++)
        if (f->tasks[i]->sub)
            n += count_flow_edges(f->tasks[i]->sub);
    return n;
}

/* A workflow: OUTDIR/<folder>/workflows/<flow>/flow.json, and dag.py with --to airflow; an entry
 * of the report's "flows"; its holes (the IR's, and what the DAG could not express) count in the
 * totals. */
static void on_flow(void *userdata, ir_flow *flow)
{
    run *r = userdata;
    char folder[256], name[256], dir[700], rel[800];
    snprintf(folder, sizeof folder, "%s", flow->folder && flow->folder[0] ? flow->folder : "_");
    snprintf(name, sizeof name, "%s", flow->name && flow->name[0] ? flow->name : "workflow");
    fs_safe_component(folder);
    fs_safe_component(name);
    snprintf(dir, sizeof dir, "%s/workflows/%s", folder, name);
    for (int k = 2; !strset_add(&r->used_dirs, dir); k++)
        snprintf(dir, sizeof dir, "%s/workflows/%s__%d", folder, name, k);

    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", flow->name ? flow->name : "");
    cJSON_AddStringToObject(o, "kind", ir_flow_kind_name(flow->kind));
    cJSON_AddStringToObject(o, "folder", flow->folder ? flow->folder : "");
    cJSON_AddStringToObject(o, "source_file", flow->file ? flow->file : r->cur_path);
    cJSON_AddNumberToObject(o, "line", flow->span.line);
    cJSON_AddStringToObject(o, "output_dir", dir);
    cJSON_AddNumberToObject(o, "tasks", ir_flow_count_tasks(flow));
    cJSON_AddNumberToObject(o, "edges", count_flow_edges(flow));
    cJSON *sched = cJSON_AddObjectToObject(o, "schedule");
    cJSON_AddStringToObject(sched, "kind", ir_sched_kind_name(flow->schedule.kind));
    if (flow->schedule.cron)
        cJSON_AddStringToObject(sched, "cron", flow->schedule.cron);
    if (flow->schedule.approx)
        cJSON_AddStringToObject(sched, "approx", flow->schedule.approx);
    note_unresolved_jobs(r, flow, r->n_flows);
    cJSON *arts = cJSON_AddObjectToObject(o, "artifacts");
    if (r->airflow)
        fill_sql_tasks(r, flow);

    strbuf sb = STRBUF_INIT;
    ir_flow_to_json(flow, &sb);
    snprintf(rel, sizeof rel, "%s/flow.json", dir);
    if (write_file(r, rel, sb_cstr(&sb), sb.len) == 0)
        cJSON_AddStringToObject(arts, "flow", rel);

    hole_ctx hc = {r, cJSON_CreateArray(), 0};
    ir_flow_holes(flow, on_hole, &hc);
    if (r->airflow) {
        diag_ctx dc;
        diag_init(&dc, on_diag, r);
        int spark = 0;
        for (int i = 0; i < r->n_targets; i++)
            spark |= strcmp(r->targets[i]->name, "spark") == 0;
        /* userdata: the flow's hole list, where the holes the backend reports (conditions,
           events) land too */
        airflow_options ao = {spark ? "spark" : "snowflake", lookup_job_dir, &hc, on_hole};
        be_result res = {0};
        sb_clear(&sb);
        if (airflow_emit_flow(flow, &ao, &sb, &res, &dc) == 0) {
            snprintf(rel, sizeof rel, "%s/dag.py", dir);
            if (write_file(r, rel, sb_cstr(&sb), sb.len) == 0) {
                cJSON_AddStringToObject(arts, "airflow", rel);
                r->n_dags++;
            }
            cJSON *t = cJSON_AddObjectToObject(o, "targets");
            cJSON *a = cJSON_AddObjectToObject(t, "airflow");
            cJSON_AddNumberToObject(a, "holes", res.holes);
            cJSON_AddNumberToObject(a, "unsupported", res.unsupported);
        } else {
            clear_progress(r);
            fprintf(stderr, "%s: error: airflow backend could not convert workflow '%s'\n",
                    flow->file ? flow->file : r->cur_path, flow->name);
        }
    }
    sb_free(&sb);
    cJSON_AddNumberToObject(o, "hole_count", hc.n);
    cJSON_AddItemToObject(o, "holes", hc.arr);
    cJSON_AddItemToArray(r->flows, o);
    r->n_flows++;
    r->n_holes += hc.n;
    r->cur_holes += hc.n;
    ir_flow_free(flow);
}

static void on_job(void *userdata, ir_job *job)
{
    run *r = userdata;
    ir_job_infer_types(job);

    char dir[600], rel[700];
    job_dir(r, job, dir, sizeof dir);
    remember_job_dir(r, job->folder, job->name, dir);

    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "name", job->name);
    cJSON_AddStringToObject(j, "folder", job->folder ? job->folder : "");
    cJSON_AddStringToObject(j, "source_file", job->file ? job->file : r->cur_path);
    cJSON_AddNumberToObject(j, "line", job->line);
    cJSON_AddStringToObject(j, "output_dir", dir);
    cJSON *arts = cJSON_AddObjectToObject(j, "artifacts");

    strbuf sb = STRBUF_INIT;
    ir_job_to_json(job, &sb);
    snprintf(rel, sizeof rel, "%s/ir.json", dir);
    if (write_file(r, rel, sb_cstr(&sb), sb.len) == 0)
        cJSON_AddStringToObject(arts, "ir", rel);

    diag_ctx dc;
    diag_init(&dc, on_diag, r);
    cJSON *emitted = cJSON_CreateObject();
    for (int t = 0; t < r->n_targets; t++) {
        const backend *be = r->targets[t];
        be_options bo = {0};
        be_result res = {0};
        sb_clear(&sb);
        if (be->emit_job(job, &bo, &sb, &res, &dc) != 0) {
            clear_progress(r);
            fprintf(stderr, "%s: error: %s backend could not convert job '%s'\n",
                    job->file ? job->file : r->cur_path, be->name, job->name);
            continue;
        }
        snprintf(rel, sizeof rel, "%s/%s", dir, be->filename);
        if (write_file(r, rel, sb_cstr(&sb), sb.len) == 0) {
            cJSON_AddStringToObject(arts, be->name, rel);
            r->artifacts_by_target[t]++;
        }
        cJSON *e = cJSON_AddObjectToObject(emitted, be->name);
        cJSON_AddNumberToObject(e, "holes", res.holes);
        cJSON_AddNumberToObject(e, "unsupported", res.unsupported);
    }
    sb_free(&sb);

    int by_op[IR_OP__COUNT] = {0};
    for (int i = 0; i < job->n_nodes; i++)
        by_op[job->nodes[i]->op]++;
    cJSON *nodes = cJSON_AddObjectToObject(j, "nodes");
    for (int op = 0; op < IR_OP__COUNT; op++)
        if (by_op[op]) {
            cJSON_AddNumberToObject(nodes, ir_op_name((ir_op)op), by_op[op]);
            r->nodes_by_op[op] += by_op[op];
        }
    cJSON_AddNumberToObject(j, "node_count", job->n_nodes);

    hole_ctx hc = {r, cJSON_CreateArray(), 0};
    ir_job_holes(job, on_hole, &hc);
    cJSON_AddNumberToObject(j, "hole_count", hc.n);
    cJSON_AddItemToObject(j, "holes", hc.arr);
    cJSON_AddItemToObject(j, "targets", emitted);
    cJSON_AddItemToArray(r->jobs, j);

    r->n_jobs++;
    r->cur_jobs++;
    r->n_nodes += job->n_nodes;
    r->n_holes += hc.n;
    r->cur_holes += hc.n;
    ir_job_free(job);
}

/* The dialect guess for a SQL script read without --dialect, with what decided it (the frontend
 * makes the same guess from the same first 64 KB). Returns 0, or -1 when the file cannot be read. */
static int guess_dialect(const char *path, const char **name, char *why, size_t size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    static char head[65536];
    size_t n = fread(head, 1, sizeof head, fp);
    fclose(fp);
    *name = sqlfe_dialect_name(sqlfe_dialect_guess_why(path, head, n, why, size));
    return 0;
}

/* Why a file no frontend claims is a support file read through other inputs, or NULL: dot-files
 * (an Ab Initio sandbox's .sandbox.pset / .project.pset are read through the sandbox; a directory
 * walk never lists dot-files) and Ab Initio record formats / transforms, read through the graphs
 * that name them (docs/abinitio-frontend.md). */
static const char *support_file_reason(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (base[0] == '.')
        return "dot-file: sandbox settings, read through the sandbox of the graphs";
    const char *ext = strrchr(base, '.');
    if (ext && (strcmp(ext, ".dml") == 0 || strcmp(ext, ".xfr") == 0))
        return "Ab Initio record format or transform: read through the graphs that name it";
    return NULL;
}

static void convert_file(run *r, const char *path, int index, int total)
{
    forget_steps(r); /* a flow only ever runs units of its own file */
    r->n_files++;
    if (r->progress) {
        fprintf(stderr, "\r\033[K[%d/%d] %s", index, total, path);
        r->progress_shown = 1;
    }
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "path", path);
    const frontend *fe = cli_detect(path);
    const char *support = fe ? NULL : support_file_reason(path);
    if (support) {
        cJSON_AddNullToObject(f, "format");
        cJSON_AddStringToObject(f, "status", "support");
        cJSON_AddStringToObject(f, "reason", support);
        cJSON_AddItemToObject(f, "errors", cJSON_CreateArray());
        cJSON_AddNumberToObject(f, "jobs", 0);
        cJSON_AddItemToArray(r->files, f);
        r->n_support++;
        return;
    }
    if (!fe) {
        cJSON_AddNullToObject(f, "format");
        cJSON_AddStringToObject(f, "status", "skipped");
        cJSON_AddStringToObject(f, "reason", "format not recognised");
        cJSON_AddItemToObject(f, "errors", cJSON_CreateArray());
        cJSON_AddNumberToObject(f, "jobs", 0);
        cJSON_AddItemToArray(r->files, f);
        r->n_skipped++;
        return;
    }
    cJSON_AddStringToObject(f, "format", fe->name);
    r->cur_errors = cJSON_CreateArray();
    r->cur_stmts = cJSON_CreateArray();
    r->cur_units = cJSON_CreateArray();
    r->cur_dialect = NULL;
    r->cur_path = path;
    r->cur_jobs = 0;
    r->cur_holes = 0;
    r->cur_stmts_failed = 0;
    diag_ctx dc;
    diag_init(&dc, on_diag, r);
    fe_counts counts = {0};
    int rc = fe->read(path, &r->fe, &dc, on_job, r, &counts);
    if (r->cur_dialect) {
        cJSON_AddStringToObject(f, "dialect", r->cur_dialect);
        cJSON_AddBoolToObject(f, "dialect_guessed", !r->fe.dialect);
        const char *guess = NULL;
        char why[256];
        if (!r->fe.dialect && guess_dialect(path, &guess, why, sizeof why) == 0 &&
            strcmp(guess, r->cur_dialect) == 0) {
            cJSON_AddStringToObject(f, "dialect_reason", why);
            if (!r->quiet) {
                clear_progress(r);
                fprintf(stderr, "%s: note: dialect guessed as %s (%s)\n", path, r->cur_dialect, why);
            }
        }
        cJSON_AddNumberToObject(f, "statement_count", cJSON_GetArraySize(r->cur_stmts));
        cJSON_AddNumberToObject(f, "statements_failed", r->cur_stmts_failed);
        cJSON_AddNumberToObject(f, "hole_count", r->cur_holes);
    }
    int failed = rc != 0 || dc.n_errors > 0;
    cJSON_AddStringToObject(f, "status", failed ? "failed" : "converted");
    cJSON_AddNumberToObject(f, "jobs", r->cur_jobs);
    cJSON_AddNumberToObject(f, "workflows", counts.workflows);
    cJSON_AddNumberToObject(f, "transformations", counts.transformations);
    cJSON_AddItemToObject(f, "errors", r->cur_errors);
    if (r->cur_dialect || cJSON_GetArraySize(r->cur_stmts) > 0)
        cJSON_AddItemToObject(f, "statements", r->cur_stmts);
    else
        cJSON_Delete(r->cur_stmts);
    if (cJSON_GetArraySize(r->cur_units) > 0)
        cJSON_AddItemToObject(f, "units", r->cur_units);
    else
        cJSON_Delete(r->cur_units);
    r->cur_units = NULL;
    cJSON_AddItemToArray(r->files, f);
    r->cur_errors = NULL;
    r->cur_stmts = NULL;
    r->n_transformations += counts.transformations;
    r->n_workflows += counts.workflows;
    if (failed)
        r->n_failed++;
    else
        r->n_converted++;
}

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: etlport convert INPUT... -o OUTDIR [--to TARGETS] [--params FILE]\n"
            "                       [--dialect NAME] [--fail-on unsupported] [--quiet]\n"
            "                       [--verify [--policy FILE] [--profile P] [--stats FILE]]\n\n"
            "  INPUT          legacy files or directories (searched recursively; format from content):\n"
            "                 Informatica PowerCenter XML exports; SQL scripts (.sql .bteq .btq .ddl)\n"
            "  -o OUTDIR      where OUTDIR/<folder>/<job>/{ir.json,<artifacts>} and report.json go;\n"
            "                 workflows: OUTDIR/<folder>/workflows/<flow>/{flow.json,dag.py}\n"
            "  --to TARGETS   comma-separated: snowflake, spark, airflow (default: snowflake,spark).\n"
            "                 airflow writes an Airflow DAG per workflow; its job tasks run each job's\n"
            "                 spark.py, or its snowflake.sql when snowflake is a target and spark is\n"
            "                 not; airflow alone means airflow,spark\n"
            "  --params FILE  Informatica parameter file for $$parameters (repeatable)\n"
            "  --dialect NAME SQL scripts: oracle, tsql, teradata, db2, netezza, snowflake, spark or ansi\n"
            "                 (also --from NAME; default: guessed per file from its content, and the\n"
            "                 guess is a note on stderr: FILE: note: dialect guessed as NAME (reasons))\n"
            "  --fail-on unsupported   exit 1 when any hole (untranslated construct) remains\n"
            "  --quiet        no summary on stderr (errors are still printed)\n"
            "  --verify       then verify the output as `etlport verify OUTDIR` does (verify.json per\n"
            "                 job, scores and tiers in report.json); --policy, --profile and --stats\n"
            "                 as for verify (docs/verification.md)\n\n"
            "exit codes: 0 all converted (and, with --verify, nothing differs); 1 some file failed,\n"
            "            holes remain with --fail-on, or --verify found a difference;\n"
            "            2 usage error; 3 an output file could not be written\n");
}

/* --to: job backends by name, and "airflow" for a DAG per workflow (alone, its job tasks use spark,
 * which is then the job target too). */
static int parse_targets(run *r, const char *list)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    r->n_targets = 0;
    r->airflow = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "airflow") == 0) {
            r->airflow = 1;
            continue;
        }
        const backend *be = cli_backend_by_name(tok);
        if (!be) {
            fprintf(stderr, "etlport convert: unknown target '%s' (known:", tok);
            for (int i = 0; cli_backends[i]; i++)
                fprintf(stderr, " %s", cli_backends[i]->name);
            fprintf(stderr, " airflow)\n");
            return -1;
        }
        int dup = 0;
        for (int i = 0; i < r->n_targets; i++)
            dup |= r->targets[i] == be;
        if (!dup && r->n_targets < MAX_TARGETS)
            r->targets[r->n_targets++] = be;
    }
    if (r->airflow && r->n_targets == 0)
        r->targets[r->n_targets++] = cli_backend_by_name("spark");
    return r->n_targets ? 0 : -1;
}

static cJSON *totals_json(run *r)
{
    cJSON *t = cJSON_CreateObject();
    cJSON_AddNumberToObject(t, "files", r->n_files);
    cJSON_AddNumberToObject(t, "converted", r->n_converted);
    cJSON_AddNumberToObject(t, "failed", r->n_failed);
    cJSON_AddNumberToObject(t, "skipped", r->n_skipped);
    if (r->n_support)
        cJSON_AddNumberToObject(t, "support", r->n_support);
    cJSON_AddNumberToObject(t, "jobs", r->n_jobs);
    cJSON_AddNumberToObject(t, "workflows", r->n_workflows);
    cJSON_AddNumberToObject(t, "transformations", r->n_transformations);
    cJSON_AddNumberToObject(t, "nodes", r->n_nodes);
    cJSON *by = cJSON_AddObjectToObject(t, "nodes_by_op");
    for (int op = 0; op < IR_OP__COUNT; op++)
        if (r->nodes_by_op[op])
            cJSON_AddNumberToObject(by, ir_op_name((ir_op)op), r->nodes_by_op[op]);
    if (r->any_statements) {
        cJSON *st = cJSON_AddObjectToObject(t, "statements");
        for (int i = 0; i < 4; i++)
            cJSON_AddNumberToObject(st, stmt_statuses[i], r->stmts_by_status[i]);
    }
    if (r->n_units) {
        cJSON_AddNumberToObject(t, "units", r->n_units);
        cJSON_AddNumberToObject(t, "unit_steps", r->n_unit_steps);
        cJSON_AddNumberToObject(t, "unit_hole_steps", r->n_unit_hole_steps);
    }
    cJSON_AddNumberToObject(t, "holes", r->n_holes);
    cJSON_AddItemToObject(t, "holes_by_kind", cJSON_Duplicate(r->holes_by_kind, 1));
    if (r->n_flows)
        cJSON_AddNumberToObject(t, "flows", r->n_flows);
    cJSON *arts = cJSON_AddObjectToObject(t, "artifacts");
    for (int i = 0; i < r->n_targets; i++)
        cJSON_AddNumberToObject(arts, r->targets[i]->name, r->artifacts_by_target[i]);
    if (r->airflow)
        cJSON_AddNumberToObject(arts, "airflow", r->n_dags);
    return t;
}

static void print_summary(run *r, const char *report_path)
{
    fprintf(stderr, "etlport convert: %d file%s: %d converted, %d failed, %d skipped\n", r->n_files,
            r->n_files == 1 ? "" : "s", r->n_converted, r->n_failed, r->n_skipped);
    if (r->n_support)
        fprintf(stderr, "  support files (read through other inputs): %d\n", r->n_support);
    fprintf(stderr, "  jobs: %d (transformations read: %d, workflows read: %d), IR nodes: %d\n", r->n_jobs,
            r->n_transformations, r->n_workflows, r->n_nodes);
    if (r->n_flows)
        fprintf(stderr, "  workflows converted: %d (Airflow DAGs: %d%s)\n", r->n_flows, r->n_dags,
                r->airflow ? "" : ", not asked for: --to airflow");
    if (r->any_statements)
        fprintf(stderr, "  SQL statements: %d converted, %d skipped, %d holes, %d failed\n", r->stmts_by_status[0],
                r->stmts_by_status[1], r->stmts_by_status[2], r->stmts_by_status[3]);
    if (r->n_units)
        fprintf(stderr, "  procedural units: %d (%d steps, %d of them holes)\n", r->n_units, r->n_unit_steps,
                r->n_unit_hole_steps);
    fprintf(stderr, "  holes: %d", r->n_holes);
    int first = 1;
    for (cJSON *c = r->holes_by_kind->child; c; c = c->next) {
        fprintf(stderr, "%s%s %d", first ? " (" : ", ", c->string, (int)c->valuedouble);
        first = 0;
    }
    fprintf(stderr, "%s\n", first ? "" : ")");
    fprintf(stderr, "  artifacts:");
    for (int i = 0; i < r->n_targets; i++)
        fprintf(stderr, " %s %d%s", r->targets[i]->name, r->artifacts_by_target[i], i + 1 < r->n_targets ? "," : "");
    if (r->airflow)
        fprintf(stderr, ", airflow %d", r->n_dags);
    fprintf(stderr, "\n  report: %s\n", report_path);
}

int cmd_convert(int argc, char **argv)
{
    run r;
    memset(&r, 0, sizeof r);
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    int n_inputs = 0, rc = EXIT_USAGE;
    const char *params[MAX_PARAMS];
    int n_params = 0, used = 0;
    bool verify = false;
    verify_cli_opts vopts = {0};
    if (!inputs)
        abort();
    parse_targets(&r, "snowflake,spark");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            free(inputs);
            return EXIT_OK;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--out")) {
            if (++i >= argc)
                goto bad;
            r.outdir = argv[i];
        } else if (!strcmp(a, "--to")) {
            if (++i >= argc || parse_targets(&r, argv[i]) != 0)
                goto bad;
        } else if (!strcmp(a, "--params")) {
            if (++i >= argc)
                goto bad;
            if (n_params == MAX_PARAMS) {
                fprintf(stderr, "etlport convert: at most %d --params files\n", MAX_PARAMS);
                goto bad;
            }
            params[n_params++] = argv[i];
        } else if (!strcmp(a, "--dialect") || !strcmp(a, "--from")) {
            if (++i >= argc)
                goto bad;
            int d = sqlfe_dialect_by_name(argv[i]);
            if (d < 0) {
                fprintf(stderr, "etlport convert: unknown dialect '%s' (known: oracle, tsql, teradata, db2, "
                                "netezza, snowflake, spark, ansi)\n", argv[i]);
                goto bad;
            }
            r.fe.dialect = sqlfe_dialect_name((sqlfe_dialect)d);
        } else if (!strcmp(a, "--fail-on")) {
            if (++i >= argc || strcmp(argv[i], "unsupported") != 0) {
                fprintf(stderr, "etlport convert: --fail-on takes 'unsupported'\n");
                goto bad;
            }
            r.fail_on_unsupported = 1;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            r.quiet = 1;
        } else if (!strcmp(a, "--verify")) {
            verify = true;
        } else if ((used = verify_cli_option(&vopts, argc, argv, i)) != 0) {
            if (used < 0)
                goto bad;
            i += used - 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "etlport convert: unknown option '%s'\n", a);
            goto bad;
        } else {
            inputs[n_inputs++] = a;
        }
    }
    if (!r.outdir || n_inputs == 0)
        goto bad;
    for (int i = 0; i < n_params; i++)
        if (access(params[i], R_OK) != 0) {
            fprintf(stderr, "%s: error: cannot read parameter file: %s\n", params[i], strerror(errno));
            free(inputs);
            return EXIT_USAGE;
        }
    r.fe.params_files = params;
    r.fe.n_params_files = n_params;
    r.fe.on_statement = on_statement;
    r.fe.on_unit = on_unit;
    r.fe.on_flow = on_flow;
    r.fe.dialect_used = &r.cur_dialect;
    if (fs_mkdirs(r.outdir) != 0) {
        fprintf(stderr, "%s: error: cannot create output directory: %s\n", r.outdir, strerror(errno));
        free(inputs);
        return EXIT_IO;
    }
    r.progress = !r.quiet && isatty(2);
    r.files = cJSON_CreateArray();
    r.jobs = cJSON_CreateArray();
    r.flows = cJSON_CreateArray();
    r.unresolved = cJSON_CreateArray();
    r.holes_by_kind = cJSON_CreateObject();

    /* all files first, so the progress line can say i/N */
    char **all = NULL;
    size_t n_all = 0, cap_all = 0;
    int missing = 0;
    for (int i = 0; i < n_inputs; i++) {
        char **list = NULL;
        size_t n = 0;
        if (fs_list_files(inputs[i], &list, &n) != 0 && n == 0) {
            fprintf(stderr, "%s: error: %s\n", inputs[i], strerror(errno));
            missing++;
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "path", inputs[i]);
            cJSON_AddNullToObject(f, "format");
            cJSON_AddStringToObject(f, "status", "failed");
            cJSON *errs = cJSON_AddArrayToObject(f, "errors");
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "level", "error");
            cJSON_AddStringToObject(e, "file", inputs[i]);
            cJSON_AddNumberToObject(e, "line", 0);
            cJSON_AddNumberToObject(e, "col", 0);
            cJSON_AddStringToObject(e, "message", strerror(errno));
            cJSON_AddItemToArray(errs, e);
            cJSON_AddItemToArray(r.files, f);
            r.n_files++;
            r.n_failed++;
        }
        for (size_t k = 0; k < n; k++) {
            if (n_all == cap_all) {
                cap_all = cap_all ? cap_all * 2 : 64;
                char **p = realloc(all, cap_all * sizeof *p);
                if (!p)
                    abort();
                all = p;
            }
            all[n_all++] = list[k];
        }
        free(list);
    }
    (void)missing;
    for (size_t i = 0; i < n_all; i++)
        convert_file(&r, all[i], (int)i + 1, (int)n_all);
    clear_progress(&r);
    list_jobs_not_converted(&r);
    cJSON_Delete(r.unresolved);

    cJSON *report = cJSON_CreateObject();
    cJSON_AddNumberToObject(report, "report_version", 1);
    cJSON_AddStringToObject(report, "command", "convert");
    cJSON *tg = cJSON_AddArrayToObject(report, "targets");
    for (int i = 0; i < r.n_targets; i++)
        cJSON_AddItemToArray(tg, cJSON_CreateString(r.targets[i]->name));
    if (r.airflow)
        cJSON_AddItemToArray(tg, cJSON_CreateString("airflow"));
    cJSON_AddItemToObject(report, "totals", totals_json(&r));
    cJSON_AddItemToObject(report, "files", r.files);
    cJSON_AddItemToObject(report, "jobs", r.jobs);
    if (r.n_flows)
        cJSON_AddItemToObject(report, "flows", r.flows);
    else
        cJSON_Delete(r.flows);
    char *text = cJSON_Print(report);
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, text);
    sb_putc(&sb, '\n');
    free(text);
    write_file(&r, "report.json", sb.data, sb.len);
    sb_free(&sb);

    char report_path[4200];
    snprintf(report_path, sizeof report_path, "%s/report.json", r.outdir);
    if (!r.quiet)
        print_summary(&r, report_path);

    if (r.io_errors)
        rc = EXIT_IO;
    else if (r.n_failed || (r.fail_on_unsupported && r.n_holes))
        rc = EXIT_INCOMPLETE;
    else
        rc = EXIT_OK;
    if (r.fail_on_unsupported && r.n_holes && !r.quiet)
        fprintf(stderr, "etlport convert: %d hole%s remain (--fail-on unsupported)\n", r.n_holes,
                r.n_holes == 1 ? "" : "s");
    if (verify && rc != EXIT_IO) {
        /* verify reads what was just written: report.json, each job's ir.json and artifacts */
        int vrc = verify_cli_outdir(r.outdir, &vopts, false);
        if (vrc == 2 || vrc == 3) /* the output could not be read back or written */
            rc = EXIT_IO;
        else if (vrc == 1 && rc == EXIT_OK) /* a generated artifact differs from its legacy job */
            rc = EXIT_INCOMPLETE;
    }

    cJSON_Delete(report);
    cJSON_Delete(r.holes_by_kind);
    fs_free_list(all, n_all);
    strset_free(&r.used_dirs);
    forget_steps(&r);
    for (int i = 0; i < r.n_job_dirs; i++) {
        free(r.job_keys[i]);
        free(r.job_dirs[i]);
    }
    free(r.job_keys);
    free(r.job_dirs);
    free(inputs);
    return rc;

bad:
    usage(stderr);
    free(inputs);
    return EXIT_USAGE;
}
