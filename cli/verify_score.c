/*
 * verify_score.c — see verify_score.h. The single-pair mode hands its comparison here to add the
 * syntax, security and performance layers, the composite score and the tier; the OUTDIR mode walks
 * a convert output's report.json: for every job it reads ir.json as the legacy IR, reads each
 * artifact back, compares and scores it, writes <job>/verify.json and adds the scores and tiers
 * to report.json (both written atomically, both deterministic: paths relative to OUTDIR).
 */
#include "cli/verify_score.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fsutil.h"
#include "verifier/readback.h"
#include "verifier/score.h"

enum { EXIT_OK = 0, EXIT_DIFFERS = 1, EXIT_USAGE = 2, EXIT_WRITE = 3 };

int verify_cli_option(verify_cli_opts *o, int argc, char **argv, int i)
{
    const char **slot = strcmp(argv[i], "--policy") == 0    ? &o->policy
                        : strcmp(argv[i], "--profile") == 0 ? &o->profile
                        : strcmp(argv[i], "--stats") == 0   ? &o->stats
                                                            : NULL;
    if (!slot)
        return 0;
    if (i + 1 >= argc)
        return -1;
    *slot = argv[i + 1];
    return 2;
}

static void print_diag(void *userdata, const diag *d)
{
    (void)userdata;
    diag_print(stderr, d);
}

static void quiet_diag(void *userdata, const diag *d)
{
    (void)userdata;
    (void)d;
}

int verify_cli_policy(verify_policy *p, const verify_cli_opts *o)
{
    diag_ctx dc;
    diag_init(&dc, print_diag, NULL);
    policy_init(p);
    if ((o->policy && policy_load(p, o->policy, &dc) < 0) || (o->stats && policy_load_stats(p, o->stats, &dc) < 0))
        goto fail;
    if (o->profile && policy_set_profile(p, o->profile) < 0) {
        fprintf(stderr, "etlport verify: unknown profile '%s' (production or non-production)\n", o->profile);
        goto fail;
    }
    return 0;
fail:
    policy_free(p);
    return -1;
}

/* Inserts members (", <members>") before the closing brace of the JSON object in sb. */
static void splice(strbuf *sb, const char *members)
{
    char *text = sb_take(sb);
    char *end = text ? strrchr(text, '}') : NULL;
    if (!end) {
        sb_puts(sb, text ? text : "");
        free(text);
        return;
    }
    while (end > text && (end[-1] == '\n' || end[-1] == ' '))
        end--;
    sb_putn(sb, text, (size_t)(end - text));
    sb_puts(sb, ",\n");
    sb_puts(sb, members);
    sb_puts(sb, "\n}\n");
    free(text);
}

static void print_scores(const verify_assessment *a)
{
    char num[VERIFY_LAYER__COUNT + 1][32];
    for (int l = 0; l < VERIFY_LAYER__COUNT; l++)
        score_format(a->scores.layer[l], num[l], sizeof num[l]);
    score_format(a->scores.composite, num[VERIFY_LAYER__COUNT], sizeof num[0]);
    printf("scores: syntax %s, security %s, semantic %s, performance %s; composite %s; tier %s", num[0], num[1],
           num[2], num[3], num[4], verify_tier_name(a->scores.tier));
    if (a->scores.capped_by)
        printf(" (%s by score, capped: %s)", verify_tier_name(a->scores.tier_by_score), a->scores.capped_by);
    putchar('\n');
    for (int i = 0; i < a->findings.n; i++) {
        const verify_finding *f = &a->findings.v[i];
        const verify_rule_info *info = verify_rule_get(f->rule);
        printf("%s:%d:%d: %s: %s [%s]\n", f->file, f->line, f->col, verify_severity_name(info->severity), f->message,
               info->id);
    }
}

int verify_cli_score(const verify_policy *p, verify_target target, const char *gen_path, const ir_job *legacy,
                     ir_job *const *gen, int n_gen, const verify_result *r, strbuf *json)
{
    srcfile *text = NULL;
    if (srcfile_load(&text, gen_path) < 0) {
        fprintf(stderr, "%s: error: cannot read: %s\n", gen_path, strerror(errno));
        return -1;
    }
    verify_assessment a;
    verify_assess(&a, p, target, text->text, text->len, gen_path, legacy, gen, n_gen, r, true);
    if (json) {
        strbuf m = STRBUF_INIT;
        sb_printf(&m, " \"profile\": \"%s\",\n", p->production ? "production" : "non-production");
        verify_assessment_to_json(&a, &m, 1);
        splice(json, sb_cstr(&m));
        sb_free(&m);
    } else {
        print_scores(&a);
    }
    verify_assessment_free(&a);
    srcfile_free(text);
    return 0;
}

/* ---- OUTDIR ---- */

void verify_cli_keep_job(void *userdata, ir_job *job)
{
    verify_cli_jobs *js = userdata;
    if (js->n == js->cap) {
        js->cap = js->cap ? js->cap * 2 : 8;
        js->v = realloc(js->v, sizeof *js->v * (size_t)js->cap);
        if (!js->v) {
            fputs("etlport verify: out of memory\n", stderr);
            exit(EXIT_USAGE);
        }
    }
    ir_job_infer_types(job);
    js->v[js->n++] = job;
}

void verify_cli_jobs_clear(verify_cli_jobs *js)
{
    for (int i = 0; i < js->n; i++)
        ir_job_free(js->v[i]);
    free(js->v);
    memset(js, 0, sizeof *js);
}

static const char *const targets[] = {"spark", "snowflake"};
enum { N_TARGETS = 2 };

typedef struct totals {
    int cols[N_TARGETS][3], steps[N_TARGETS][3], verdicts[N_TARGETS][3];
    int tiers[N_TARGETS][VERIFY_TIER__COUNT];
    int job_tiers[VERIFY_TIER__COUNT];
    int unit_tiers[N_TARGETS][VERIFY_TIER__COUNT]; /* procedural units: no semantic comparison */
    int units;
    int artifacts, unreadable;
} totals;

static char *join_path(const char *dir, const char *rel)
{
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", dir, rel);
    return s;
}

static cJSON *counts_json(const int c[3])
{
    cJSON *o = cJSON_CreateObject();
    for (int v = 0; v < 3; v++)
        cJSON_AddNumberToObject(o, verify_verdict_name((verify_verdict)v), c[v]);
    return o;
}

/* Verifies one artifact of a job: appends its member to vj (verify.json) and returns its summary
 * for report.json (NULL when it could not be read). */
static cJSON *verify_artifact(const verify_policy *p, const char *outdir, const char *rel, int t, ir_job *legacy,
                              strbuf *vj, totals *tot, bool *differs)
{
    char *path = join_path(outdir, rel);
    srcfile *text = NULL;
    verify_cli_jobs gen = {0};
    cJSON *sum = NULL;
    diag_ctx dc;
    diag_init(&dc, quiet_diag, NULL);
    if (!path || srcfile_load(&text, path) < 0) {
        fprintf(stderr, "%s: error: cannot read: %s\n", path ? path : rel, strerror(errno));
        tot->unreadable++;
        goto done;
    }
    verify_target target = t == 0 ? VERIFY_SPARK : VERIFY_SNOWFLAKE;
    if (target == VERIFY_SPARK) {
        ir_job *g = NULL;
        if (readback_spark(&g, text->text, text->len, rel, legacy, &dc) == 0)
            verify_cli_keep_job(&gen, g);
    } else {
        readback_snow(path, &dc, verify_cli_keep_job, &gen);
    }
    verify_result r;
    memset(&r, 0, sizeof r);
    if (legacy) /* a procedural unit has no legacy IR to compare with: semantic is unverified */
        verify_compare(&r, legacy, gen.v, gen.n, target);
    verify_assessment a;
    verify_assess(&a, p, target, text->text, text->len, rel, legacy, gen.v, gen.n, legacy ? &r : NULL, true);

    sb_printf(vj, "%s  \"%s\": {\n   \"artifact\": ", vj->len && vj->data[vj->len - 2] == '{' ? "" : ",\n",
              targets[t]);
    sb_put_json_string(vj, rel);
    if (legacy)
        sb_printf(vj, ",\n   \"verdict\": \"%s\"", verify_verdict_name(r.verdict));
    sb_puts(vj, ",\n");
    verify_assessment_to_json(&a, vj, 3);
    if (legacy) {
        sb_puts(vj, ",\n   \"comparison\": ");
        strbuf cmp = STRBUF_INIT;
        verify_result_to_json(&r, &cmp);
        while (cmp.len && (cmp.data[cmp.len - 1] == '\n'))
            cmp.data[--cmp.len] = '\0';
        sb_puts(vj, sb_cstr(&cmp));
        sb_free(&cmp);
    }
    sb_puts(vj, "\n  }");

    sum = cJSON_CreateObject();
    if (legacy) {
        cJSON_AddStringToObject(sum, "verdict", verify_verdict_name(r.verdict));
        cJSON_AddItemToObject(sum, "columns", counts_json(r.col_counts));
        cJSON_AddItemToObject(sum, "steps", counts_json(r.node_counts));
    }
    cJSON *layers = cJSON_AddObjectToObject(sum, "layers");
    for (int l = 0; l < VERIFY_LAYER__COUNT; l++)
        cJSON_AddNumberToObject(layers, verify_layer_name((verify_layer)l), a.scores.layer[l]);
    cJSON_AddNumberToObject(sum, "composite", a.scores.composite);
    cJSON_AddStringToObject(sum, "tier", verify_tier_name(a.scores.tier));
    if (a.scores.capped_by)
        cJSON_AddStringToObject(sum, "capped_by", a.scores.capped_by);
    cJSON_AddNumberToObject(sum, "findings", a.findings.n);

    if (legacy) {
        for (int v = 0; v < 3; v++) {
            tot->cols[t][v] += r.col_counts[v];
            tot->steps[t][v] += r.node_counts[v];
        }
        tot->verdicts[t][r.verdict]++;
        tot->tiers[t][a.scores.tier]++;
        *differs |= r.verdict == VERIFY_DIFFERS;
        verify_result_free(&r);
    } else {
        tot->unit_tiers[t][a.scores.tier]++;
    }
    tot->artifacts++;
    verify_assessment_free(&a);
done:
    verify_cli_jobs_clear(&gen);
    srcfile_free(text);
    free(path);
    return sum;
}

static int write_file(const char *path, const char *data)
{
    if (fs_write_atomic(path, data, strlen(data)) != 0) {
        fprintf(stderr, "%s: error: cannot write: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Verifies the artifacts of one job or unit (legacy NULL) and writes its verify.json; adds the
 * summaries to ver. Returns -1 when verify.json could not be written. */
static int verify_outputs(const verify_policy *p, const char *outdir, const char *name, const char *dir_rel,
                       cJSON *arts, ir_job *legacy, cJSON *ver, totals *tot, bool *differs, int *tier_out);

/* Verifies one job of the report; returns -1 when a file could not be written. */
static int verify_job(const verify_policy *p, const char *outdir, cJSON *job, totals *tot, bool *differs)
{
    const cJSON *arts = cJSON_GetObjectItemCaseSensitive(job, "artifacts");
    const cJSON *ir = cJSON_GetObjectItemCaseSensitive(arts, "ir");
    const cJSON *dir = cJSON_GetObjectItemCaseSensitive(job, "output_dir");
    cJSON *ver = cJSON_CreateObject();
    cJSON_DeleteItemFromObjectCaseSensitive(job, "verify"); /* a second run replaces the first */
    cJSON_AddItemToObject(job, "verify", ver);
    if (!cJSON_IsString(ir) || !cJSON_IsString(dir)) {
        cJSON_AddStringToObject(ver, "skipped", "no ir.json for this job");
        return 0;
    }
    char *ir_path = join_path(outdir, ir->valuestring);
    srcfile *f = NULL;
    ir_job *legacy = NULL;
    diag_ctx dc;
    diag_init(&dc, print_diag, NULL);
    if (!ir_path || srcfile_load(&f, ir_path) < 0 || ir_job_from_json(&legacy, f->text, f->len, ir_path, &dc) < 0) {
        if (!f)
            fprintf(stderr, "%s: error: cannot read\n", ir_path ? ir_path : ir->valuestring);
        cJSON_AddStringToObject(ver, "skipped", "ir.json could not be read");
        tot->unreadable++;
        srcfile_free(f);
        free(ir_path);
        return 0;
    }
    srcfile_free(f);
    free(ir_path);
    ir_job_infer_types(legacy);

    int worst = -1;
    int rc = verify_outputs(p, outdir, legacy->name, dir->valuestring, (cJSON *)arts, legacy, ver, tot, differs, &worst);
    if (worst >= 0)
        tot->job_tiers[worst]++;
    ir_job_free(legacy);
    return rc;
}

/* Verifies one procedural unit of the report (files[].units[]): no legacy IR, no comparison. */
static int verify_unit(const verify_policy *p, const char *outdir, cJSON *unit, totals *tot)
{
    cJSON *arts = cJSON_GetObjectItemCaseSensitive(unit, "artifacts");
    const cJSON *dir = cJSON_GetObjectItemCaseSensitive(unit, "output_dir");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(unit, "name");
    if (!cJSON_IsObject(arts) || !cJSON_IsString(dir) || !cJSON_IsString(name))
        return 0;
    cJSON *ver = cJSON_CreateObject();
    cJSON_DeleteItemFromObjectCaseSensitive(unit, "verify");
    cJSON_AddItemToObject(unit, "verify", ver);
    bool differs = false;
    int worst = -1;
    tot->units++;
    return verify_outputs(p, outdir, name->valuestring, dir->valuestring, arts, NULL, ver, tot, &differs, &worst);
}

static int verify_outputs(const verify_policy *p, const char *outdir, const char *name, const char *dir_rel,
                       cJSON *arts, ir_job *legacy, cJSON *ver, totals *tot, bool *differs, int *tier_out)
{
    strbuf vj = STRBUF_INIT;
    sb_printf(&vj, "{\n \"verify_version\": 1,\n \"%s\": ", legacy ? "job" : "unit");
    sb_put_json_string(&vj, name ? name : "");
    sb_printf(&vj, ",\n \"profile\": \"%s\",\n \"targets\": {\n", p->production ? "production" : "non-production");
    int worst = -1;
    for (int t = 0; t < N_TARGETS; t++) {
        const cJSON *art = cJSON_GetObjectItemCaseSensitive(arts, targets[t]);
        if (!cJSON_IsString(art))
            continue;
        cJSON *sum = verify_artifact(p, outdir, art->valuestring, t, legacy, &vj, tot, differs);
        if (!sum)
            continue;
        const cJSON *tier = cJSON_GetObjectItemCaseSensitive(sum, "tier");
        int k = verify_tier_from_name(tier->valuestring);
        worst = k > worst ? k : worst;
        cJSON_AddItemToObject(ver, targets[t], sum);
    }
    sb_puts(&vj, "\n }\n}\n");
    if (worst >= 0)
        cJSON_AddStringToObject(ver, "tier", verify_tier_name((verify_tier)worst));
    *tier_out = worst;
    int rc = 0;
    size_t n = strlen(dir_rel) + 16;
    char *rel = malloc(n);
    char *path = NULL;
    if (rel) {
        snprintf(rel, n, "%s/verify.json", dir_rel);
        path = join_path(outdir, rel);
    }
    if (!rel || !path || write_file(path, sb_cstr(&vj)) < 0) {
        rc = -1;
    } else if (cJSON_IsObject(arts)) {
        cJSON_DeleteItemFromObjectCaseSensitive(arts, "verify");
        cJSON_AddStringToObject(arts, "verify", rel);
    }
    free(rel);
    free(path);
    sb_free(&vj);
    return rc;
}

static cJSON *totals_json(const verify_policy *p, const totals *tot)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "profile", p->production ? "production" : "non-production");
    cJSON_AddNumberToObject(o, "artifacts", tot->artifacts);
    if (tot->unreadable)
        cJSON_AddNumberToObject(o, "unreadable", tot->unreadable);
    const char *keys[] = {"columns", "steps", "verdicts"};
    const int(*tables[])[3] = {tot->cols, tot->steps, tot->verdicts};
    for (int k = 0; k < 3; k++) {
        cJSON *c = cJSON_AddObjectToObject(o, keys[k]);
        for (int t = 0; t < N_TARGETS; t++)
            cJSON_AddItemToObject(c, targets[t], counts_json(tables[k][t]));
    }
    cJSON *tiers = cJSON_AddObjectToObject(o, "tiers");
    for (int t = 0; t < N_TARGETS; t++) {
        cJSON *x = cJSON_AddObjectToObject(tiers, targets[t]);
        for (int k = 0; k < VERIFY_TIER__COUNT; k++)
            cJSON_AddNumberToObject(x, verify_tier_name((verify_tier)k), tot->tiers[t][k]);
    }
    cJSON *jobs = cJSON_AddObjectToObject(tiers, "jobs");
    for (int k = 0; k < VERIFY_TIER__COUNT; k++)
        cJSON_AddNumberToObject(jobs, verify_tier_name((verify_tier)k), tot->job_tiers[k]);
    if (tot->units) {
        cJSON_AddNumberToObject(o, "units", tot->units);
        cJSON *ut = cJSON_AddObjectToObject(o, "unit_tiers");
        for (int t = 0; t < N_TARGETS; t++) {
            cJSON *x = cJSON_AddObjectToObject(ut, targets[t]);
            for (int k = 0; k < VERIFY_TIER__COUNT; k++)
                cJSON_AddNumberToObject(x, verify_tier_name((verify_tier)k), tot->unit_tiers[t][k]);
        }
    }
    return o;
}

static void print_summary(const totals *tot)
{
    for (int t = 0; t < N_TARGETS; t++) {
        const int *c = tot->cols[t];
        int all = c[0] + c[1] + c[2];
        printf("%-9s columns: %d equal (%.1f%%), %d differs (%.1f%%), %d unverified (%.1f%%)\n", targets[t], c[0],
               all ? 100.0 * c[0] / all : 0.0, c[1], all ? 100.0 * c[1] / all : 0.0, c[2],
               all ? 100.0 * c[2] / all : 0.0);
        printf("%-9s tiers:", targets[t]);
        for (int k = 0; k < VERIFY_TIER__COUNT; k++)
            printf(" %s %d", verify_tier_name((verify_tier)k), tot->tiers[t][k]);
        putchar('\n');
    }
    printf("jobs      tiers:");
    for (int k = 0; k < VERIFY_TIER__COUNT; k++)
        printf(" %s %d", verify_tier_name((verify_tier)k), tot->job_tiers[k]);
    putchar('\n');
    for (int t = 0; tot->units && t < N_TARGETS; t++) {
        printf("%-9s units (%d, no comparison):", targets[t], tot->units);
        for (int k = 0; k < VERIFY_TIER__COUNT; k++)
            printf(" %s %d", verify_tier_name((verify_tier)k), tot->unit_tiers[t][k]);
        putchar('\n');
    }
}

int verify_cli_outdir(const char *outdir, const verify_cli_opts *o, bool json)
{
    verify_policy p;
    if (verify_cli_policy(&p, o) < 0)
        return EXIT_USAGE;
    char *report_path = join_path(outdir, "report.json");
    srcfile *f = NULL;
    cJSON *report = NULL;
    int rc = EXIT_USAGE;
    if (!report_path || srcfile_load(&f, report_path) < 0) {
        fprintf(stderr, "%s: error: cannot read (is %s a convert output?)\n", report_path ? report_path : outdir,
                outdir);
        goto done;
    }
    report = cJSON_ParseWithLength(f->text, f->len);
    cJSON *jobs = cJSON_GetObjectItemCaseSensitive(report, "jobs");
    if (!cJSON_IsArray(jobs)) {
        fprintf(stderr, "%s: error: not a convert report (no jobs)\n", report_path);
        goto done;
    }
    totals tot;
    memset(&tot, 0, sizeof tot);
    bool differs = false, failed = false;
    cJSON *job;
    cJSON_ArrayForEach(job, jobs)
    {
        if (verify_job(&p, outdir, job, &tot, &differs) < 0)
            failed = true;
    }
    cJSON *file;
    cJSON_ArrayForEach(file, cJSON_GetObjectItemCaseSensitive(report, "files"))
    {
        cJSON *unit;
        cJSON_ArrayForEach(unit, cJSON_GetObjectItemCaseSensitive(file, "units"))
        {
            if (verify_unit(&p, outdir, unit, &tot) < 0)
                failed = true;
        }
    }
    cJSON *tj = totals_json(&p, &tot);
    cJSON *totals_obj = cJSON_GetObjectItemCaseSensitive(report, "totals");
    if (cJSON_IsObject(totals_obj)) {
        cJSON_DeleteItemFromObjectCaseSensitive(totals_obj, "verify");
        cJSON_AddItemToObject(totals_obj, "verify", tj);
    } else {
        cJSON_AddItemToObject(report, "verify", tj);
    }
    char *text = cJSON_Print(report);
    if (!text || write_file(report_path, text) < 0)
        failed = true;
    free(text);
    if (json) {
        char *t = cJSON_Print(tj);
        if (t)
            puts(t);
        free(t);
    } else {
        print_summary(&tot);
    }
    rc = failed ? EXIT_WRITE : differs ? EXIT_DIFFERS : EXIT_OK;
done:
    cJSON_Delete(report);
    srcfile_free(f);
    free(report_path);
    policy_free(&p);
    return rc;
}
