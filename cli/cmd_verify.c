/*
 * cmd_verify.c — `etlport verify --legacy FILE --generated FILE [--job NAME] [--json]`: the
 * semantic layer of the verifier for one pair. The legacy file goes through the frontend that
 * claims it (cli_detect, as `convert` does); the generated file is read back by its extension
 * (.py: PySpark, anything else: Snowflake SQL) and compared per target column and per row-shaping
 * node (verifier/verify.h, docs/verification.md).
 *
 * Exit codes: 0 equal, 1 differs, 3 unverified, 2 usage or I/O error.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/verify_score.h"
#include "verifier/readback.h"
#include "verifier/verify.h"

enum { VERIFY_EXIT_EQUAL = 0, VERIFY_EXIT_DIFFERS = 1, VERIFY_EXIT_USAGE = 2, VERIFY_EXIT_UNVERIFIED = 3 };

static void usage(FILE *fp)
{
    fputs("usage: etlport verify --legacy FILE --generated FILE [--job NAME] [--to spark|snowflake]\n"
          "                      [--params FILE] [--json] [--policy FILE] [--profile P] [--stats FILE]\n"
          "       etlport verify OUTDIR [--json] [--policy FILE] [--profile P] [--stats FILE]\n"
          "\n"
          "Reads the legacy file (format from content, as convert does) and the generated artifact\n"
          "back into IR, and compares them per target column and per row-shaping step.\n"
          "  --legacy FILE     Informatica XML, SQL script or Ab Initio graph\n"
          "  --generated FILE  spark.py (PySpark) or snowflake.sql (Snowflake SQL)\n"
          "  --job NAME        the mapping / statement job when the legacy file holds several\n"
          "  --to TARGET       the artifact's language when its extension does not tell\n"
          "  --params FILE     Informatica parameter file (repeatable)\n"
          "  --json            print one JSON object (verdict, counts, columns, nodes, execution,\n"
          "                    counterexamples)\n"
          "  --dump=ir         print the IR read back from the generated file instead\n"
          "  --policy FILE     weights, tiers, SLA, classification (default: policy/default.json's values)\n"
          "  --profile P       production or non-production (classified columns must be masked)\n"
          "  --stats FILE      table statistics {\"tables\": {\"NAME\": rows}} for the performance layer\n"
          "  OUTDIR            a convert output: writes <job>/verify.json, adds scores and tiers to report.json\n"
          "\n"
          "exit codes: 0 equal; 1 differs; 3 unverified (something could not be compared);\n"
          "            2 usage error or unreadable input\n",
          fp);
}

static void print_diag(void *userdata, const diag *d)
{
    (void)userdata;
    diag_print(stderr, d);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void print_items(const verify_item *items, int n, bool col)
{
    for (int i = 0; i < n; i++) {
        const verify_item *it = &items[i];
        if (col)
            printf("%-10s %s.%s", verify_verdict_name(it->verdict), it->target, it->name);
        else
            printf("%-10s %s [%s]", verify_verdict_name(it->verdict), it->target, it->name);
        if (it->why)
            printf("  (%s)", it->why);
        putchar('\n');
        if (it->verdict == VERIFY_DIFFERS) {
            printf("    legacy:    %s\n", it->legacy ? it->legacy : "(none)");
            printf("    generated: %s\n", it->generated ? it->generated : "(none)");
        }
    }
}

/* Differential execution per target, with the counterexamples (verifier/diffexec.c). */
static void print_execution(const verify_result *r)
{
    strbuf sb = STRBUF_INIT;
    verify_exec_to_text(r, &sb);
    fputs(sb_cstr(&sb), stdout);
    sb_free(&sb);
}

static void print_text(const verify_result *r)
{
    printf("verdict: %s (columns: %d equal, %d differs, %d unverified; steps: %d equal, %d differs, %d unverified)\n",
           verify_verdict_name(r->verdict), r->col_counts[0], r->col_counts[1], r->col_counts[2], r->node_counts[0],
           r->node_counts[1], r->node_counts[2]);
    for (int i = 0; i < r->n_sources; i++)
        printf("  #%d = %s\n", i + 1, r->sources[i]);
    print_items(r->cols, r->n_cols, true);
    print_items(r->nodes, r->n_nodes, false);
    print_execution(r);
}

int cmd_verify(int argc, char **argv)
{
    const char *legacy_path = NULL, *gen_path = NULL, *job_name = NULL, *to = NULL;
    const char *params[32];
    int n_params = 0;
    bool json = false, dump = false;
    verify_cli_opts vopt = {0};
    const char *outdir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int used = verify_cli_option(&vopt, argc, argv, i);
        if (used < 0) {
            fprintf(stderr, "etlport verify: missing value for option %s\n", a);
            return VERIFY_EXIT_USAGE;
        }
        if (used > 0) {
            i += used - 1;
            continue;
        }
        if (a[0] != '-' && !outdir) {
            outdir = a;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return VERIFY_EXIT_EQUAL;
        }
        if (strcmp(a, "--json") == 0) {
            json = true;
            continue;
        }
        if (strcmp(a, "--dump=ir") == 0) {
            dump = true;
            continue;
        }
        const char **slot = strcmp(a, "--legacy") == 0      ? &legacy_path
                            : strcmp(a, "--generated") == 0 ? &gen_path
                            : strcmp(a, "--job") == 0       ? &job_name
                            : strcmp(a, "--to") == 0        ? &to
                                                            : NULL;
        if (strcmp(a, "--params") == 0 && i + 1 < argc && n_params < 32) {
            params[n_params++] = argv[++i];
            continue;
        }
        if (!slot || i + 1 >= argc) {
            fprintf(stderr, "etlport verify: %s option %s\n", slot ? "missing value for" : "unknown", a);
            usage(stderr);
            return VERIFY_EXIT_USAGE;
        }
        *slot = argv[++i];
    }
    if (outdir && !legacy_path && !gen_path)
        return verify_cli_outdir(outdir, &vopt, json);
    if (outdir) {
        fprintf(stderr, "etlport verify: OUTDIR (%s) goes without --legacy and --generated\n", outdir);
        return VERIFY_EXIT_USAGE;
    }
    if (!legacy_path || !gen_path) {
        fputs("etlport verify: --legacy and --generated are required\n", stderr);
        usage(stderr);
        return VERIFY_EXIT_USAGE;
    }
    verify_target target = VERIFY_SNOWFLAKE;
    if (to ? strcmp(to, "spark") == 0 : ends_with(gen_path, ".py"))
        target = VERIFY_SPARK;
    else if (to && strcmp(to, "snowflake") != 0) {
        fprintf(stderr, "etlport verify: unknown target '%s' (spark or snowflake)\n", to);
        return VERIFY_EXIT_USAGE;
    }

    const frontend *fe = cli_detect(legacy_path);
    if (!fe) {
        fprintf(stderr, "%s: error: cannot read, or the format is not recognised\n", legacy_path);
        return VERIFY_EXIT_USAGE;
    }
    diag_ctx dc;
    diag_init(&dc, print_diag, NULL);
    fe_options opt;
    memset(&opt, 0, sizeof opt);
    opt.params_files = params;
    opt.n_params_files = n_params;
    verify_cli_jobs legacy = {0}, gen = {0};
    int rc = VERIFY_EXIT_USAGE;
    srcfile *text = NULL;
    fe->read(legacy_path, &opt, &dc, verify_cli_keep_job, &legacy, NULL);
    ir_job *lj = NULL;
    for (int i = 0; i < legacy.n; i++)
        if (!job_name || strcmp(legacy.v[i]->name, job_name) == 0) {
            if (lj && !job_name) {
                fprintf(stderr, "%s: error: the file holds several jobs; pick one with --job:", legacy_path);
                for (int k = 0; k < legacy.n; k++)
                    fprintf(stderr, " %s", legacy.v[k]->name);
                fputc('\n', stderr);
                goto done;
            }
            if (!lj)
                lj = legacy.v[i];
        }
    if (!lj) {
        fprintf(stderr, "%s: error: %s\n", legacy_path, job_name ? "no job of that name" : "no job in the file");
        goto done;
    }
    if (target == VERIFY_SPARK) {
        if (srcfile_load(&text, gen_path) < 0) {
            fprintf(stderr, "%s: error: cannot read: %s\n", gen_path, strerror(errno));
            goto done;
        }
        ir_job *g = NULL;
        if (readback_spark(&g, text->text, text->len, gen_path, lj, &dc) < 0)
            goto done;
        verify_cli_keep_job(&gen, g);
    } else if (readback_snow(gen_path, &dc, verify_cli_keep_job, &gen) < 0) {
        fprintf(stderr, "%s: error: cannot read\n", gen_path);
        goto done;
    }
    if (dump) {
        strbuf sb = STRBUF_INIT;
        for (int i = 0; i < gen.n; i++)
            ir_job_to_json(gen.v[i], &sb);
        fputs(sb_cstr(&sb), stdout);
        sb_free(&sb);
        rc = VERIFY_EXIT_EQUAL;
        goto done;
    }
    verify_policy policy;
    if (verify_cli_policy(&policy, &vopt) < 0)
        goto done;
    verify_result res;
    verify_compare(&res, lj, gen.v, gen.n, target);
    if (json) {
        strbuf sb = STRBUF_INIT;
        verify_result_to_json(&res, &sb);
        verify_cli_score(&policy, target, gen_path, lj, gen.v, gen.n, &res, &sb);
        fputs(sb_cstr(&sb), stdout);
        sb_free(&sb);
    } else {
        print_text(&res);
        verify_cli_score(&policy, target, gen_path, lj, gen.v, gen.n, &res, NULL);
    }
    policy_free(&policy);
    rc = res.verdict == VERIFY_EQUAL ? VERIFY_EXIT_EQUAL
         : res.verdict == VERIFY_DIFFERS ? VERIFY_EXIT_DIFFERS
                                         : VERIFY_EXIT_UNVERIFIED;
    verify_result_free(&res);
done:
    srcfile_free(text);
    verify_cli_jobs_clear(&legacy);
    verify_cli_jobs_clear(&gen);
    return rc;
}
