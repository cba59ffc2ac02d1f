/*
 * cmd_diff.c — `etlport diff`: the reports migration reviewers read (docs/diff.md).
 *
 *   etlport diff LEGACY GENERATED   one converted job: every target column and row-shaping step,
 *                                   legacy text, canonical IR, generated code, verdict (review page)
 *   etlport diff OUTDIR [-o DIR]    every job of a convert output: one review page per job, an
 *                                   index sorted by tier and differences, the lineage picture
 *   etlport diff OLD NEW            two versions of a legacy file, or two convert outputs: the
 *                                   semantic change report (lineage/diff_change.h)
 *
 * Which case two arguments are is decided by content: a PySpark module, or SQL that etlport
 * generated (its first line says so), is generated code; two convert outputs, or two legacy files,
 * are versions. `--as review|change` overrides it.
 *
 * Exit codes: 0 nothing differs (no `differs` verdict; no change); 1 something differs or
 * changed; 2 usage error; 3 an input could not be read or an output could not be written.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/diff_review.h"
#include "cli/verify_score.h"
#include "core/diag.h"
#include "core/fsutil.h"
#include "lineage/diff_change.h"
#include "lineage/diff_render.h"
#include "lineage/lineage.h"

enum { DIFF_EXIT_SAME = 0, DIFF_EXIT_DIFFERS = 1, DIFF_EXIT_USAGE = 2, DIFF_EXIT_IO = 3 };
enum { MAX_PARAMS = 32 };
typedef enum { FMT_HTML, FMT_MD, FMT_JSON } diff_format;

static void usage(FILE *fp)
{
    fputs("usage: etlport diff LEGACY GENERATED [--job NAME] [-o FILE] [--format html|md|json]\n"
          "       etlport diff OUTDIR [-o DIR] [--format html|md|json]\n"
          "       etlport diff OLD NEW [-o FILE] [--format html|md|json]\n"
          "\n"
          "Reports for migration reviewers (docs/diff.md):\n"
          "  LEGACY GENERATED  a legacy file and code generated from it (spark.py, snowflake.sql, or\n"
          "                    an edited copy): each target column and row-shaping step side by side,\n"
          "                    legacy text, canonical IR, generated code, verdict, counterexample\n"
          "  OUTDIR            a convert output: a page per job, index.html sorted by tier and by\n"
          "                    number of differences, and lineage.svg linking to the pages\n"
          "                    (default DIR: OUTDIR/review)\n"
          "  OLD NEW           two versions of a legacy export or script, or two convert outputs:\n"
          "                    jobs, nodes and columns added, removed and changed, by meaning\n"
          "\n"
          "  -o PATH           output file (OUTDIR: folder); default: standard output\n"
          "  --format F        html, md or json (default: from -o's extension, else html)\n"
          "  --job NAME        the job of LEGACY (default: the one GENERATED names, or the only one)\n"
          "  --as review|change  say which case two arguments are (default: decided by content)\n"
          "  --params FILE     Informatica parameter file (repeatable)\n"
          "  --policy FILE, --profile production|non-production, --stats FILE  as for verify\n"
          "\n"
          "exit codes: 0 nothing differs or changed; 1 something differs or changed;\n"
          "            2 usage error; 3 an input could not be read or an output written\n",
          fp);
}

static void print_diag(void *userdata, const diag *d)
{
    (void)userdata;
    diag_print(stderr, d);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static char *path_join(const char *dir, const char *rel)
{
    strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s/%s", dir, rel);
    return sb_take(&sb);
}

/* A convert output: a folder with a report.json. */
static bool is_run(const char *path)
{
    if (!fs_is_dir(path))
        return false;
    char *rep = path_join(path, "report.json");
    FILE *fp = fopen(rep, "r");
    free(rep);
    if (fp)
        fclose(fp);
    return fp != NULL;
}

/* Generated code: Python, or SQL whose first line says etlport wrote it. job_out gets the job the
 * header names (malloc'd) when there is one. */
static bool is_generated(const char *path, verify_target *target, char **job_out)
{
    *job_out = NULL;
    char line[512] = "";
    FILE *fp = fopen(path, "r");
    if (fp) {
        if (!fgets(line, sizeof line, fp))
            line[0] = '\0';
        fclose(fp);
    }
    const char *from = strstr(line, " from job ");
    if (from) {
        from += strlen(" from job ");
        size_t n = strcspn(from, " \r\n");
        *job_out = strndup(from, n);
    }
    if (ends_with(path, ".py")) {
        *target = VERIFY_SPARK;
        if (!*job_out && strncmp(line, "\"\"\"", 3) == 0) {
            size_t n = strcspn(line + 3, ": \r\n");
            *job_out = strndup(line + 3, n);
        }
        return true;
    }
    *target = VERIFY_SNOWFLAKE;
    return strncmp(line, "-- Generated by etlport", strlen("-- Generated by etlport")) == 0;
}

typedef struct diff_args {
    const char *a, *b, *out, *job, *as;
    diff_format fmt;
    bool fmt_set;
    const char *params[MAX_PARAMS];
    int n_params;
    verify_cli_opts vopt;
} diff_args;

/* Reads every job of a legacy file. Returns 0, or -1 when no frontend claims it or, with whole,
 * when the reader reported errors and read no job: a version that could not be read
 * would report all its jobs as removed, or nothing as changed. (Errors inside a job that was read,
 * an expression that does not parse, leave a hole that is compared by its legacy text.) */
static int read_legacy(const diff_args *d, const char *path, bool whole, verify_cli_jobs *jobs)
{
    const frontend *fe = cli_detect(path);
    if (!fe) {
        fprintf(stderr, "%s: error: cannot read, or the format is not recognised\n", path);
        return -1;
    }
    diag_ctx dc;
    diag_init(&dc, print_diag, NULL);
    fe_options opt;
    memset(&opt, 0, sizeof opt);
    opt.params_files = d->params;
    opt.n_params_files = d->n_params;
    int before = jobs->n;
    int rc = fe->read(path, &opt, &dc, verify_cli_keep_job, jobs, NULL);
    return whole && (rc < 0 || dc.n_errors) && jobs->n == before ? -1 : 0;
}

static cJSON *load_json(const char *path)
{
    srcfile *f = NULL;
    if (srcfile_load(&f, path) < 0) {
        fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
        return NULL;
    }
    cJSON *j = cJSON_ParseWithLength(f->text, f->len);
    if (!j)
        fprintf(stderr, "%s: error: not valid JSON\n", path);
    srcfile_free(f);
    return j;
}

/* Reads one ir.json of a convert output (rel under outdir) into jobs; returns the job, or NULL
 * after saying why. */
static ir_job *read_ir(const char *outdir, const char *rel, verify_cli_jobs *jobs)
{
    char *p = path_join(outdir, rel);
    srcfile *f = NULL;
    ir_job *j = NULL;
    diag_ctx dc;
    diag_init(&dc, print_diag, NULL);
    if (srcfile_load(&f, p) < 0)
        fprintf(stderr, "%s: error: cannot read: %s\n", p, strerror(errno));
    else if (ir_job_from_json(&j, f->text, f->len, p, &dc) < 0)
        j = NULL;
    else
        verify_cli_keep_job(jobs, j);
    srcfile_free(f);
    free(p);
    return j;
}

/* Reads the legacy IR of every job of a convert output (its ir.json files). Returns 0, or -1. */
static int read_run(const char *outdir, verify_cli_jobs *jobs)
{
    char *rep = path_join(outdir, "report.json");
    cJSON *report = load_json(rep);
    free(rep);
    if (!report)
        return -1;
    int rc = 0;
    const cJSON *job;
    cJSON_ArrayForEach(job, cJSON_GetObjectItemCaseSensitive(report, "jobs"))
    {
        const cJSON *ir = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(job, "artifacts"), "ir");
        if (cJSON_IsString(ir) && !read_ir(outdir, ir->valuestring, jobs))
            rc = -1;
    }
    cJSON_Delete(report);
    return rc;
}

static int write_text(const char *path, const strbuf *sb)
{
    if (!path) {
        fputs(sb_cstr(sb), stdout);
        return fflush(stdout) == 0 ? 0 : -1;
    }
    if (fs_write_atomic(path, sb_cstr(sb), sb->len) < 0) {
        fprintf(stderr, "%s: error: cannot write: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void json_text(const cJSON *j, strbuf *out)
{
    char *t = cJSON_Print(j);
    if (!t) {
        fputs("etlport diff: out of memory\n", stderr);
        exit(DIFF_EXIT_USAGE);
    }
    sb_puts(out, t);
    sb_putc(out, '\n');
    cJSON_free(t);
}

/* ---- OLD NEW ---- */

static int change_report(const diff_args *d)
{
    verify_cli_jobs old = {0}, new = {0};
    bool runs = is_run(d->a) && is_run(d->b);
    int rc = DIFF_EXIT_IO;
    if (runs ? read_run(d->a, &old) < 0 || read_run(d->b, &new) < 0
             : read_legacy(d, d->a, true, &old) < 0 || read_legacy(d, d->b, true, &new) < 0)
        goto done;
    dchg_report r;
    if (dchg_compare(&r, old.v, old.n, new.v, new.n) < 0) {
        fputs("etlport diff: error: the versions could not be compared\n", stderr);
        goto done;
    }
    strbuf sb = STRBUF_INIT;
    if (d->fmt == FMT_MD) {
        dchg_to_markdown(&r, d->a, d->b, &sb);
    } else {
        dchg_to_json(&r, d->a, d->b, &sb);
        if (d->fmt == FMT_HTML) {
            cJSON *j = cJSON_ParseWithLength(sb.data, sb.len);
            sb_clear(&sb);
            diff_html_change(j, &sb);
            cJSON_Delete(j);
        }
    }
    rc = write_text(d->out, &sb) < 0 ? DIFF_EXIT_IO : r.n ? DIFF_EXIT_DIFFERS : DIFF_EXIT_SAME;
    if (d->out)
        fprintf(stderr, "etlport diff: %d change%s (%d added, %d removed, %d changed) -> %s\n", r.n,
                r.n == 1 ? "" : "s", r.counts[DCHG_ADDED], r.counts[DCHG_REMOVED], r.counts[DCHG_CHANGED], d->out);
    sb_free(&sb);
    dchg_report_free(&r);
done:
    verify_cli_jobs_clear(&old);
    verify_cli_jobs_clear(&new);
    return rc;
}

/* ---- LEGACY GENERATED ---- */

static void render_page(const cJSON *page, diff_format fmt, const diff_links *links, strbuf *sb)
{
    if (fmt == FMT_HTML)
        diff_html_review(page, links, sb);
    else if (fmt == FMT_MD)
        diff_md_review(page, sb);
    else
        json_text(page, sb);
}

static int review_one(const diff_args *d, const char *legacy_path, const char *gen_path, verify_target target,
                      const char *named_job)
{
    verify_cli_jobs legacy = {0};
    int rc = DIFF_EXIT_IO;
    if (read_legacy(d, legacy_path, false, &legacy) < 0)
        goto done;
    const char *want = d->job ? d->job : named_job;
    ir_job *lj = NULL;
    for (int i = 0; i < legacy.n && !lj; i++)
        if (want && strcmp(legacy.v[i]->name, want) == 0)
            lj = legacy.v[i];
    if (!lj && legacy.n == 1 && !d->job)
        lj = legacy.v[0];
    if (!lj) {
        fprintf(stderr, "%s: error: %s", legacy_path,
                legacy.n == 0 ? "no job in the file\n"
                : d->job      ? "no job of that name; the file holds:"
                              : "the file holds several jobs; pick one with --job:");
        for (int k = 0; legacy.n && k < legacy.n; k++)
            fprintf(stderr, " %s", legacy.v[k]->name);
        if (legacy.n)
            fputc('\n', stderr);
        rc = DIFF_EXIT_USAGE;
        goto done;
    }
    verify_policy policy;
    if (verify_cli_policy(&policy, &d->vopt) < 0) {
        rc = DIFF_EXIT_USAGE;
        goto done;
    }
    diff_artifact art = {target, gen_path, gen_path};
    cJSON *page = diff_review_job(&policy, lj, legacy_path, &art, 1);
    strbuf sb = STRBUF_INIT;
    render_page(page, d->fmt, NULL, &sb);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(page, "verdict");
    bool differs = cJSON_IsString(v) && strcmp(v->valuestring, "differs") == 0;
    rc = write_text(d->out, &sb) < 0 ? DIFF_EXIT_IO : differs ? DIFF_EXIT_DIFFERS : DIFF_EXIT_SAME;
    sb_free(&sb);
    cJSON_Delete(page);
    policy_free(&policy);
done:
    verify_cli_jobs_clear(&legacy);
    return rc;
}

/* ---- OUTDIR ---- */

/* The page of a job in a review folder: jobs/<folder>__<job>.<ext>. */
static char *page_name(const char *folder, const char *job, const char *ext)
{
    strbuf sb = STRBUF_INIT;
    diff_anchor(&sb, "jobs/", folder && *folder ? folder : "_");
    diff_anchor(&sb, "__", job);
    sb_printf(&sb, ".%s", ext);
    return sb_take(&sb);
}

typedef struct href_map {
    cJSON *jobs; /* the index's jobs */
    char buf[1024];
} href_map;

/* lin_emit_opts.job_href: the page of a job, from the index (the first job of that name). */
static const char *job_href(void *userdata, const char *job)
{
    href_map *m = userdata;
    const cJSON *j;
    cJSON_ArrayForEach(j, m->jobs)
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(j, "job");
        const cJSON *page = cJSON_GetObjectItemCaseSensitive(j, "page");
        if (cJSON_IsString(name) && cJSON_IsString(page) && strcmp(name->valuestring, job) == 0) {
            snprintf(m->buf, sizeof m->buf, "%s", page->valuestring);
            return m->buf;
        }
    }
    return NULL;
}

static int tier_rank(const cJSON *j)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "tier");
    return cJSON_IsString(t) ? verify_tier_from_name(t->valuestring) : -1;
}

/* Index order: worst tier first, then most differences, then folder and job name. */
static int index_cmp(const void *pa, const void *pb)
{
    const cJSON *a = *(const cJSON *const *)pa, *b = *(const cJSON *const *)pb;
    int ta = tier_rank(a), tb = tier_rank(b);
    if (ta != tb)
        return tb - ta;
    int da = cJSON_GetObjectItemCaseSensitive(a, "differences")->valueint;
    int db = cJSON_GetObjectItemCaseSensitive(b, "differences")->valueint;
    if (da != db)
        return db - da;
    const cJSON *pa_ = cJSON_GetObjectItemCaseSensitive(a, "page"), *pb_ = cJSON_GetObjectItemCaseSensitive(b, "page");
    return strcmp(pa_->valuestring, pb_->valuestring);
}

/* Sorts the index's jobs in place. */
static void sort_index(cJSON *jobs)
{
    int n = cJSON_GetArraySize(jobs);
    if (n < 2)
        return;
    cJSON **v = malloc(sizeof *v * (size_t)n);
    if (!v)
        exit(DIFF_EXIT_USAGE);
    for (int i = 0; i < n; i++)
        v[i] = cJSON_DetachItemFromArray(jobs, 0);
    qsort(v, (size_t)n, sizeof *v, index_cmp);
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(jobs, v[i]);
    free(v);
}

/* The index entry of a page. */
static cJSON *index_entry(const cJSON *page, const char *page_rel, const char *page_md)
{
    cJSON *e = cJSON_CreateObject();
    static const char *const copy[] = {"job", "folder", "verdict", "tier"};
    for (size_t i = 0; i < sizeof copy / sizeof copy[0]; i++) {
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(page, copy[i]);
        cJSON_AddItemToObject(e, copy[i], it ? cJSON_Duplicate(it, 1) : cJSON_CreateNull());
    }
    const cJSON *dn = cJSON_GetObjectItemCaseSensitive(page, "differences");
    cJSON_AddNumberToObject(e, "differences", cJSON_IsNumber(dn) ? dn->valueint : 0);
    cJSON_AddStringToObject(e, "page", page_rel);
    cJSON_AddStringToObject(e, "page_md", page_md);
    cJSON *targets = cJSON_AddObjectToObject(e, "targets");
    const cJSON *art;
    cJSON_ArrayForEach(art, cJSON_GetObjectItemCaseSensitive(page, "artifacts"))
    {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(art, "target");
        if (!cJSON_IsString(t))
            continue;
        cJSON *o = cJSON_AddObjectToObject(targets, t->valuestring);
        static const char *const keep[] = {"verdict", "tier", "composite", "differences"};
        for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
            const cJSON *it = cJSON_GetObjectItemCaseSensitive(art, keep[i]);
            if (it)
                cJSON_AddItemToObject(o, keep[i], cJSON_Duplicate(it, 1));
        }
    }
    return e;
}

static int write_lineage(const char *dir, const verify_cli_jobs *jobs, cJSON *index_jobs)
{
    lin_graph *g = lin_new();
    for (int i = 0; i < jobs->n; i++)
        lin_add_job(g, jobs->v[i]);
    href_map m = {index_jobs, ""};
    lin_emit_opts o;
    memset(&o, 0, sizeof o);
    o.level = LIN_LEVEL_TABLE;
    o.job_href = job_href;
    o.job_href_data = &m;
    strbuf dot = STRBUF_INIT;
    lin_to_dot(g, &o, &dot);
    char *outs[2] = {NULL, NULL};
    size_t lens[2] = {0, 0};
    int rc = 0;
    char *p = path_join(dir, "lineage.dot");
    if (fs_write_atomic(p, sb_cstr(&dot), dot.len) < 0)
        rc = -1;
    free(p);
    if (lineage_render_fresh(sb_cstr(&dot), dot.len, outs, lens) < 0) {
        fprintf(stderr, "%s: error: the lineage picture could not be rendered\n", dir);
        rc = -1;
    } else {
        p = path_join(dir, "lineage.svg");
        if (fs_write_atomic(p, outs[0], lens[0]) < 0)
            rc = -1;
        free(p);
    }
    free(outs[0]);
    free(outs[1]);
    sb_free(&dot);
    lin_free(g);
    return rc;
}

static int review_run(const diff_args *d)
{
    char *dir = d->out ? strdup(d->out) : path_join(d->a, "review");
    char *jobs_dir = path_join(dir, "jobs");
    char *rep_path = path_join(d->a, "report.json");
    cJSON *report = load_json(rep_path);
    verify_cli_jobs legacy = {0};
    cJSON *index = cJSON_CreateObject(), *ijobs = NULL;
    verify_policy policy;
    bool policy_ok = false, failed = false, differs = false;
    int rc = DIFF_EXIT_IO;
    if (!report)
        goto done;
    if (fs_mkdirs(jobs_dir) < 0) {
        fprintf(stderr, "%s: error: cannot create: %s\n", jobs_dir, strerror(errno));
        goto done;
    }
    if (verify_cli_policy(&policy, &d->vopt) < 0) {
        rc = DIFF_EXIT_USAGE;
        goto done;
    }
    policy_ok = true;
    cJSON_AddStringToObject(index, "report", "review-index");
    cJSON_AddNumberToObject(index, "report_version", 1);
    cJSON_AddStringToObject(index, "outdir", d->a);
    ijobs = cJSON_AddArrayToObject(index, "jobs");
    static const diff_format fmts[] = {FMT_HTML, FMT_MD, FMT_JSON};
    static const char *const exts[] = {"html", "md", "json"};
    diff_links links = {"../index.html", "../lineage.svg"};
    const cJSON *job;
    cJSON_ArrayForEach(job, cJSON_GetObjectItemCaseSensitive(report, "jobs"))
    {
        const cJSON *arts = cJSON_GetObjectItemCaseSensitive(job, "artifacts");
        const cJSON *ir = cJSON_GetObjectItemCaseSensitive(arts, "ir");
        if (!cJSON_IsString(ir))
            continue;
        ir_job *lj = read_ir(d->a, ir->valuestring, &legacy);
        if (!lj) {
            failed = true;
            continue;
        }
        diff_artifact da[2];
        char *paths[2] = {NULL, NULL};
        int n = 0;
        static const char *const names[] = {"spark", "snowflake"};
        for (int t = 0; t < 2; t++) {
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(arts, names[t]);
            if (!cJSON_IsString(a))
                continue;
            paths[n] = path_join(d->a, a->valuestring);
            da[n] = (diff_artifact){t == 0 ? VERIFY_SPARK : VERIFY_SNOWFLAKE, paths[n], a->valuestring};
            n++;
        }
        const cJSON *src = cJSON_GetObjectItemCaseSensitive(job, "source_file");
        cJSON *page = diff_review_job(&policy, lj, cJSON_IsString(src) ? src->valuestring : NULL, da, n);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(page, "verdict");
        differs |= cJSON_IsString(v) && strcmp(v->valuestring, "differs") == 0;
        char *rel[3];
        for (int k = 0; k < 3; k++)
            rel[k] = page_name(lj->folder, lj->name, exts[k]);
        for (int k = 0; k < 3; k++) {
            if (d->fmt_set && fmts[k] != d->fmt)
                continue;
            strbuf sb = STRBUF_INIT;
            render_page(page, fmts[k], &links, &sb);
            char *out = path_join(dir, rel[k]);
            if (write_text(out, &sb) < 0)
                failed = true;
            free(out);
            sb_free(&sb);
        }
        cJSON_AddItemToArray(ijobs, index_entry(page, rel[0], rel[1]));
        for (int k = 0; k < 3; k++)
            free(rel[k]);
        for (int k = 0; k < n; k++)
            free(paths[k]);
        cJSON_Delete(page);
    }
    sort_index(ijobs);
    for (int k = 0; k < 3; k++) {
        if (d->fmt_set && fmts[k] != d->fmt)
            continue;
        strbuf sb = STRBUF_INIT;
        diff_links il = {NULL, "lineage.svg"};
        if (fmts[k] == FMT_HTML)
            diff_html_index(index, &il, &sb);
        else if (fmts[k] == FMT_MD)
            diff_md_index(index, &sb);
        else
            json_text(index, &sb);
        char *name = strdup(fmts[k] == FMT_HTML ? "index.html" : fmts[k] == FMT_MD ? "index.md" : "index.json");
        char *out = path_join(dir, name);
        if (write_text(out, &sb) < 0)
            failed = true;
        free(out);
        free(name);
        sb_free(&sb);
    }
    if ((!d->fmt_set || d->fmt == FMT_HTML) && write_lineage(dir, &legacy, ijobs) < 0)
        failed = true;
    fprintf(stderr, "etlport diff: %d job page%s, index and lineage in %s\n", cJSON_GetArraySize(ijobs),
            cJSON_GetArraySize(ijobs) == 1 ? "" : "s", dir);
    rc = failed ? DIFF_EXIT_IO : differs ? DIFF_EXIT_DIFFERS : DIFF_EXIT_SAME;
done:
    if (policy_ok)
        policy_free(&policy);
    verify_cli_jobs_clear(&legacy);
    cJSON_Delete(index);
    cJSON_Delete(report);
    free(rep_path);
    free(jobs_dir);
    free(dir);
    return rc;
}

/* ---- command line ---- */

static int parse_format(const char *s, diff_format *f)
{
    if (strcmp(s, "html") == 0)
        *f = FMT_HTML;
    else if (strcmp(s, "md") == 0 || strcmp(s, "markdown") == 0)
        *f = FMT_MD;
    else if (strcmp(s, "json") == 0)
        *f = FMT_JSON;
    else
        return -1;
    return 0;
}

int cmd_diff(int argc, char **argv)
{
    diff_args d;
    memset(&d, 0, sizeof d);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return DIFF_EXIT_SAME;
        }
        int used = verify_cli_option(&d.vopt, argc, argv, i);
        if (used < 0) {
            fprintf(stderr, "etlport diff: %s needs a value\n", a);
            return DIFF_EXIT_USAGE;
        }
        if (used > 0) {
            i += used - 1;
            continue;
        }
        if (a[0] == '-' && a[1] != '\0') {
            if (i + 1 >= argc) {
                fprintf(stderr, "etlport diff: %s needs a value\n", a);
                return DIFF_EXIT_USAGE;
            }
            const char *v = argv[++i];
            if (strcmp(a, "-o") == 0) {
                d.out = v;
            } else if (strcmp(a, "--job") == 0) {
                d.job = v;
            } else if (strcmp(a, "--as") == 0 && (strcmp(v, "review") == 0 || strcmp(v, "change") == 0)) {
                d.as = v;
            } else if (strcmp(a, "--format") == 0 && parse_format(v, &d.fmt) == 0) {
                d.fmt_set = true;
            } else if (strcmp(a, "--params") == 0 && d.n_params < MAX_PARAMS) {
                d.params[d.n_params++] = v;
            } else {
                fprintf(stderr, "etlport diff: unknown option or value: %s %s\n", a, v);
                usage(stderr);
                return DIFF_EXIT_USAGE;
            }
        } else if (!d.a) {
            d.a = a;
        } else if (!d.b) {
            d.b = a;
        } else {
            fprintf(stderr, "etlport diff: too many arguments (%s)\n", a);
            return DIFF_EXIT_USAGE;
        }
    }
    if (!d.a) {
        usage(stderr);
        return DIFF_EXIT_USAGE;
    }
    if (!d.fmt_set && d.out)
        d.fmt = ends_with(d.out, ".md") ? FMT_MD : ends_with(d.out, ".json") ? FMT_JSON : FMT_HTML;

    if (!d.b) {
        if (!is_run(d.a)) {
            fprintf(stderr, "etlport diff: %s is not a convert output (no report.json); give two files\n", d.a);
            return DIFF_EXIT_USAGE;
        }
        return review_run(&d);
    }
    if (is_run(d.a) != is_run(d.b)) {
        fputs("etlport diff: a convert output compares with another convert output only\n", stderr);
        return DIFF_EXIT_USAGE;
    }
    if (is_run(d.a))
        return change_report(&d);
    verify_target ta, tb;
    char *ja = NULL, *jb = NULL;
    bool ga = is_generated(d.a, &ta, &ja), gb = is_generated(d.b, &tb, &jb);
    int rc;
    if (d.as ? strcmp(d.as, "change") == 0 : !ga && !gb)
        rc = change_report(&d);
    else if (ga && gb && !d.as)
        rc = (fputs("etlport diff: both files are generated code; give the legacy file first\n", stderr),
              DIFF_EXIT_USAGE);
    else if (gb || !ga)
        rc = review_one(&d, d.a, d.b, tb, jb);
    else
        rc = review_one(&d, d.b, d.a, ta, ja);
    free(ja);
    free(jb);
    return rc;
}
