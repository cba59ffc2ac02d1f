/*
 * sql_corpus.c — parses every file of the shared SQL corpus (../shared/corpus/sql, dialects from its
 * MANIFEST.tsv) and prints statements parsed / failed per dialect and the parse speed. Used by the
 * corpus test (with a floor) and by hand:
 *
 *     sql_corpus [--errors] [--only SUBSTR] [--floor-tpc PCT] [--floor-all PCT] CORPUS_DIR
 *
 * Each file also goes through the frontend (sql_frontend.read: statements lowered into jobs), so a
 * crash anywhere in lowering shows here too; the jobs made are counted.
 *
 * Exit 0 when the floors hold, 1 when not, 77 (skip) when the corpus is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/diag.h"
#include "frontends/sql/sqlfe.h"

typedef struct tally {
    long files, bytes, parsed, failed, raw, procedural, command;
} tally;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long n_jobs;

static void count_job(void *ud, ir_job *job)
{
    (void)ud;
    n_jobs++;
    ir_job_free(job);
}

static void quiet(void *ud, const diag *d)
{
    (void)ud;
    (void)d;
}

static int manifest_dialect(const char *d)
{
    int k = sqlfe_dialect_by_name(d);
    return k < 0 ? SQLFE_ANSI : k;
}

int main(int argc, char **argv)
{
    int show_errors = 0;
    const char *only = NULL, *dir = NULL;
    double floor_tpc = 0, floor_all = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--errors") == 0)
            show_errors = 1;
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--floor-tpc") == 0 && i + 1 < argc)
            floor_tpc = atof(argv[++i]);
        else if (strcmp(argv[i], "--floor-all") == 0 && i + 1 < argc)
            floor_all = atof(argv[++i]);
        else
            dir = argv[i];
    }
    if (!dir) {
        fprintf(stderr, "usage: sql_corpus [--errors] [--only SUBSTR] [--floor-tpc PCT] [--floor-all PCT] DIR\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/MANIFEST.tsv", dir);
    FILE *mf = fopen(path, "r");
    if (!mf) {
        printf("SKIP: no SQL corpus at %s\n", dir);
        return 77;
    }
    tally by[SQLFE__DIALECTS + 1];
    memset(by, 0, sizeof by);
    tally tpc = {0};
    double secs = 0;
    char line[8192];
    int first = 1;
    while (fgets(line, sizeof line, mf)) {
        if (first) {
            first = 0;
            continue;
        }
        char *cols[8] = {0};
        int nc = 0;
        for (char *s = line; nc < 8;) {
            cols[nc++] = s;
            char *tab = strchr(s, '\t');
            if (!tab)
                break;
            *tab = 0;
            s = tab + 1;
        }
        if (nc < 7)
            continue;
        const char *local = cols[0], *dial = cols[6];
        size_t ll = strlen(local);
        if (ll > 4 && strcmp(local + ll - 4, ".tsv") == 0)
            continue; /* translation pairs: not scripts */
        if (only && !strstr(local, only))
            continue;
        int d = manifest_dialect(dial);
        snprintf(path, sizeof path, "%s/%s", dir, local);
        srcfile *f;
        if (srcfile_load(&f, path) != 0) {
            fprintf(stderr, "%s: cannot read\n", path);
            continue;
        }
        int is_tpc = strncmp(local, "tpc-queries", 11) == 0 || strncmp(local, "divp-teradata-tpcds", 19) == 0;
        arena *a = arena_new();
        sqlfe_script sc;
        double t0 = now();
        sqlfe_parse_script(a, f->text, f->len, (sqlfe_dialect)d, &sc);
        secs += now() - t0;
        tally *t = &by[d];
        t->files++;
        t->bytes += (long)f->len;
        if (is_tpc) {
            tpc.files++;
            tpc.bytes += (long)f->len;
        }
        for (int k = 0; k < sc.n_stmts; k++) {
            sqlfe_stmt *st = &sc.stmts[k];
            if (sqlfe_stmt_kind_parsed(st->kind)) {
                if (st->ast) {
                    t->parsed++;
                    tpc.parsed += is_tpc;
                } else {
                    t->failed++;
                    tpc.failed += is_tpc;
                    if (show_errors) {
                        int line_no, col;
                        srcfile_line_col(f, st->error_off, &line_no, &col);
                        printf("%s:%d:%d: error: %s [%s]\n", path, line_no, col, st->error,
                               sqlfe_stmt_kind_name(st->kind));
                    }
                }
            } else if (st->kind == SQLFE_ST_PROCEDURAL) {
                t->procedural++;
            } else if (st->kind == SQLFE_ST_COMMAND) {
                t->command++;
            } else {
                t->raw++;
            }
        }
        arena_free(a);
        srcfile_free(f);
        diag_ctx dc;
        diag_init(&dc, quiet, NULL);
        sql_frontend.read(path, NULL, &dc, count_job, NULL, NULL);
    }
    fclose(mf);
    tally all = {0};
    printf("%-10s %6s %9s %7s %7s %7s %6s %6s %6s\n", "dialect", "files", "bytes", "parsed", "failed", "rate",
           "other", "proc", "cmds");
    for (int d = 0; d < SQLFE__DIALECTS; d++) {
        tally *t = &by[d];
        if (!t->files)
            continue;
        long tot = t->parsed + t->failed;
        printf("%-10s %6ld %9ld %7ld %7ld %6.1f%% %6ld %6ld %6ld\n", sqlfe_dialect_name((sqlfe_dialect)d), t->files,
               t->bytes, t->parsed, t->failed, tot ? 100.0 * t->parsed / tot : 100.0, t->raw, t->procedural,
               t->command);
        all.files += t->files;
        all.bytes += t->bytes;
        all.parsed += t->parsed;
        all.failed += t->failed;
        all.raw += t->raw;
        all.procedural += t->procedural;
        all.command += t->command;
    }
    long tot = all.parsed + all.failed, ttot = tpc.parsed + tpc.failed;
    double rate_all = tot ? 100.0 * all.parsed / tot : 100.0, rate_tpc = ttot ? 100.0 * tpc.parsed / ttot : 100.0;
    printf("%-10s %6ld %9ld %7ld %7ld %6.1f%% %6ld %6ld %6ld\n", "all", all.files, all.bytes, all.parsed, all.failed,
           rate_all, all.raw, all.procedural, all.command);
    printf("%-10s %6ld %9ld %7ld %7ld %6.1f%%\n", "tpc-h/ds", tpc.files, tpc.bytes, tpc.parsed, tpc.failed, rate_tpc);
    printf("split+parse: %.3f s, %.1f MB/s\n", secs, secs > 0 ? all.bytes / 1e6 / secs : 0.0);
    printf("frontend: %ld jobs (INSERT ... SELECT, CREATE TABLE AS, MERGE)\n", n_jobs);
    int ok = 1;
    if (floor_tpc > 0 && rate_tpc < floor_tpc) {
        printf("FAIL: TPC-H/DS parse rate %.1f%% below the floor %.1f%%\n", rate_tpc, floor_tpc);
        ok = 0;
    }
    if (floor_all > 0 && rate_all < floor_all) {
        printf("FAIL: corpus parse rate %.1f%% below the floor %.1f%%\n", rate_all, floor_all);
        ok = 0;
    }
    return ok ? 0 : 1;
}
