/*
 * sql_corpus.c — parses every file of the shared SQL corpus (../shared/corpus/sql, dialects from its
 * MANIFEST.tsv) and prints statements parsed / failed per dialect and the parse speed. Used by the
 * corpus test (with a floor) and by hand:
 *
 *     sql_corpus [--errors] [--only SUBSTR] [--floor-tpc PCT] [--floor-all PCT] [--floor-DIALECT PCT]
 *                [--floor-targets PCT] CORPUS_DIR
 *
 * Each file also goes through the frontend (sql_frontend.read: statements lowered into jobs), so a
 * crash anywhere in lowering shows here too; the jobs made are counted.
 *
 * Then the translation tables of the corpus (its .tsv files with target_dialect and expected_sql
 * columns: sqlglot's tests) are read the other way round: every expected_sql whose target is
 * Snowflake or Spark/Databricks is parsed in that dialect (the reading-back side of the frontend).
 * A statement is parsed as one; an expression (most rows are one function call) as `SELECT expr`;
 * statements the parser keeps as raw text (ALTER, SET, SHOW ...) are counted apart.
 *
 * Exit 0 when the floors hold, 1 when not, 77 (skip) when the corpus is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* expected_sql of the translation tables, per target dialect read back */
typedef struct pair_tally {
    long parsed, failed, raw;
} pair_tally;

/* The tables' escapes: \t \n \r \\ (MANIFEST.tsv: "backslash-sequences-for-tab-newline-cr-backslash"). */
static void unescape(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            *o++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s;
        } else {
            *o++ = *s;
        }
    }
    *o = 0;
}

/* Does the text start with a word that opens a statement (rather than an expression)? */
static int starts_statement(const char *s)
{
    static const char *const verbs[] = {
        "SELECT", "WITH", "VALUES", "INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "DROP", "TRUNCATE",
        "ALTER", "SET", "SHOW", "DESCRIBE", "DESC", "USE", "GRANT", "REVOKE", "COMMENT", "CALL", "EXPLAIN",
        "BEGIN", "COMMIT", "ROLLBACK", "ANALYZE", "CACHE", "UNCACHE", "REFRESH", "MSCK", "ADD", "LIST", "PUT",
        "GET", "COPY", "EXECUTE", "EXEC", "DECLARE", "UNDROP", "REMOVE", "OPTIMIZE", "VACUUM", "RESTORE", "LOAD",
        "REPLACE", "FROM", "UNSET", "CLONE", "TABLE", "START", "RESET", "CLUSTER", "EXCHANGE", "LOCK", "UNLOCK",
    };
    for (;;) { /* blanks, comments and '(' before the first word */
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '(')
            s++;
        else if (s[0] == '-' && s[1] == '-')
            s += strcspn(s, "\n");
        else if (s[0] == '/' && s[1] == '*' && strstr(s + 2, "*/"))
            s = strstr(s + 2, "*/") + 2;
        else
            break;
    }
    size_t n = 0;
    while (s[n] && ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') || s[n] == '_'))
        n++;
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (strlen(verbs[i]) == n && strncasecmp(s, verbs[i], n) == 0 && s[n] != '(')
            return 1;
    return 0;
}

/* Reads one translation table; returns 0 when it is one (has target_dialect and expected_sql). */
static int read_pairs(const char *path, pair_tally *snow, pair_tally *spark, int show_errors)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    size_t cap = 1 << 16;
    char *line = malloc(cap);
    int c_target = -1, c_expected = -1, c_id = 0, first = 1;
    while (line && fgets(line, (int)cap, fp)) {
        size_t ll = strlen(line);
        while (ll == cap - 1 && line[ll - 1] != '\n') { /* a long row: grow */
            char *more = realloc(line, cap * 2);
            if (!more)
                break;
            line = more;
            if (!fgets(line + ll, (int)(cap * 2 - ll), fp))
                break;
            cap *= 2;
            ll = strlen(line);
        }
        while (ll && (line[ll - 1] == '\n' || line[ll - 1] == '\r'))
            line[--ll] = 0;
        char *cols[32] = {0};
        int nc = 0;
        for (char *s = line; nc < 32;) {
            cols[nc++] = s;
            char *tab = strchr(s, '\t');
            if (!tab)
                break;
            *tab = 0;
            s = tab + 1;
        }
        if (first) {
            first = 0;
            for (int k = 0; k < nc; k++) {
                if (strcmp(cols[k], "target_dialect") == 0)
                    c_target = k;
                else if (strcmp(cols[k], "expected_sql") == 0)
                    c_expected = k;
            }
            if (c_target < 0 || c_expected < 0)
                break;
            continue;
        }
        if (c_target >= nc || c_expected >= nc)
            continue;
        int d = sqlfe_dialect_by_name(cols[c_target]);
        pair_tally *t = d == SQLFE_SNOWFLAKE ? snow : d == SQLFE_SPARK ? spark : NULL;
        if (!t)
            continue;
        char *sql = cols[c_expected];
        unescape(sql);
        arena *a = arena_new();
        int stmt = starts_statement(sql);
        const char *text = stmt ? sql : arena_printf(a, "SELECT %s", sql);
        sqlfe_script sc;
        sqlfe_parse_script(a, text, strlen(text), (sqlfe_dialect)d, &sc);
        int ok = sc.n_stmts > 0, raw = 0;
        const char *err = NULL;
        size_t err_off = 0;
        for (int k = 0; k < sc.n_stmts; k++) {
            if (!sqlfe_stmt_kind_parsed(sc.stmts[k].kind)) {
                raw = 1;
            } else if (!sc.stmts[k].ast) {
                ok = 0;
                err = sc.stmts[k].error;
                err_off = sc.stmts[k].error_off;
            }
        }
        if (!ok) {
            t->failed++;
            if (show_errors)
                printf("%s: %s [%s] at %zu: %s\n    %s\n", path, cols[c_id], cols[c_target], err_off,
                       err ? err : "no statement", text);
        } else if (raw) {
            t->raw++;
        } else {
            t->parsed++;
        }
        arena_free(a);
    }
    free(line);
    fclose(fp);
    return c_target >= 0 && c_expected >= 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    int show_errors = 0, show_pair_errors = 0;
    const char *only = NULL, *dir = NULL;
    double floor_tpc = 0, floor_all = 0, floor_targets = 0;
    double floor_d[SQLFE__DIALECTS] = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--errors") == 0)
            show_errors = 1;
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--floor-tpc") == 0 && i + 1 < argc)
            floor_tpc = atof(argv[++i]);
        else if (strcmp(argv[i], "--floor-all") == 0 && i + 1 < argc)
            floor_all = atof(argv[++i]);
        else if (strcmp(argv[i], "--floor-targets") == 0 && i + 1 < argc)
            floor_targets = atof(argv[++i]);
        else if (strcmp(argv[i], "--pair-errors") == 0)
            show_pair_errors = 1;
        else if (strncmp(argv[i], "--floor-", 8) == 0 && sqlfe_dialect_by_name(argv[i] + 8) >= 0 && i + 1 < argc) {
            int d = sqlfe_dialect_by_name(argv[i] + 8);
            floor_d[d] = atof(argv[i + 1]);
            i++;
        }
        else
            dir = argv[i];
    }
    if (!dir) {
        fprintf(stderr, "usage: sql_corpus [--errors] [--pair-errors] [--only SUBSTR] [--floor-tpc PCT]\n"
                        "                  [--floor-all PCT]\n"
                        "                  [--floor-DIALECT PCT] [--floor-targets PCT] DIR\n");
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
    /* [0] sqlglot's tests (sqlglot-tests/), [1] the other tables (lakebridge, SnowConvert) */
    pair_tally snow[2] = {{0}}, spark[2] = {{0}};
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
        if (ll > 4 && strcmp(local + ll - 4, ".tsv") == 0) {
            /* translation pairs: not scripts; their Snowflake/Spark side is read back below */
            if (snprintf(path, sizeof path, "%s/%s", dir, local) >= (int)sizeof path)
                continue;
            if (!only || strstr(local, only))
                read_pairs(path, &snow[!strstr(local, "sqlglot")], &spark[!strstr(local, "sqlglot")], show_pair_errors);
            continue;
        }
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
    long pt = snow[0].parsed + snow[0].failed + spark[0].parsed + spark[0].failed;
    double rate_targets = pt ? 100.0 * (snow[0].parsed + spark[0].parsed) / pt : 100.0;
    printf("expected_sql of the translation tables, read back: parsed / failed / kept raw, rate\n");
    for (int g = 0; g < 2; g++) {
        pair_tally both = {snow[g].parsed + spark[g].parsed, snow[g].failed + spark[g].failed,
                           snow[g].raw + spark[g].raw};
        const pair_tally *ts[3] = {&snow[g], &spark[g], &both};
        static const char *const names[3] = {"snowflake", "spark", "both"};
        for (int k = 0; k < 3; k++) {
            long tot_k = ts[k]->parsed + ts[k]->failed;
            if (!tot_k && !ts[k]->raw)
                continue;
            printf("  %-8s %-10s %6ld %6ld %6ld %6.1f%%\n", g ? "others" : "sqlglot", names[k], ts[k]->parsed,
                   ts[k]->failed, ts[k]->raw, tot_k ? 100.0 * ts[k]->parsed / tot_k : 100.0);
        }
    }
    int ok = 1;
    for (int d = 0; d < SQLFE__DIALECTS; d++) {
        long tot_d = by[d].parsed + by[d].failed;
        double r = tot_d ? 100.0 * by[d].parsed / tot_d : 100.0;
        if (floor_d[d] > 0 && r < floor_d[d]) {
            printf("FAIL: %s parse rate %.1f%% below the floor %.1f%%\n", sqlfe_dialect_name((sqlfe_dialect)d), r,
                   floor_d[d]);
            ok = 0;
        }
    }
    if (floor_targets > 0 && rate_targets < floor_targets) {
        printf("FAIL: expected_sql (Snowflake/Spark) parse rate %.1f%% below the floor %.1f%%\n", rate_targets,
               floor_targets);
        ok = 0;
    }
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
