/*
 * tscheck.c — checks files with the tree-sitter grammars etlport verifies generated code with:
 *
 *     tscheck --lang sql|python [--excuse FILE] [--quiet] [--stats] FILE...
 *
 * Prints `file:line:col: error: syntax error near ...` for each ERROR or MISSING node (as the
 * verifier's syntax layer reports them), and with --stats one line per run on stderr: files,
 * bytes, parse seconds and MB/s (the figures in docs/grammars.md).
 *
 * --excuse FILE reads an allow-list (tests/grammars/sql-excused.txt), one entry per line, '#'
 * starts a comment line. Two kinds of entry:
 *
 *     POSIX-ERE => REPLACEMENT :: reason    rewrite: before parsing, every match on a line is
 *                                           replaced (\1..\9 are the groups) — for valid
 *                                           constructs the grammar lacks, rewritten into an
 *                                           equivalent it knows, so the rest is still checked
 *                                           and the parser's error recovery cannot spill over
 *     POSIX-ERE :: reason                   excuse: an error on a line the pattern matches is
 *                                           printed as a note and does not fail the run
 *
 * A rewrite never spans lines, so line numbers stay right (columns after a rewrite on the same
 * line may shift). Entries without a reason or with a bad pattern are a usage error.
 *
 * Exit status: 0 every file parses (apart from excused errors), 1 some file has a syntax error,
 * 2 usage or I/O error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/diag.h"
#include "verifier/excuse.h"
#include "verifier/syntax.h"

static void usage(FILE *fp)
{
    fputs("usage: tscheck --lang sql|python [--excuse FILE] [--quiet] [--stats] FILE...\n"
          "  --lang L       grammar to parse with: sql (tree-sitter-sql) or python (tree-sitter-python)\n"
          "  --excuse FILE  allow-list: 'ERE => REPLACEMENT :: reason' rewrites before parsing,\n"
          "                 'ERE :: reason' excuses errors on matching lines\n"
          "  --quiet        print no diagnostics, only the exit status tells\n"
          "  --stats        print files, bytes, parse time and MB/s to stderr\n"
          "exit status: 0 all files parse, 1 syntax errors, 2 usage or I/O error\n",
          fp);
}

typedef struct run_state {
    syntax_excuses *excuses;
    const char *excuse_path;
    int quiet;
    int errors;  /* not excused */
    int excused;
} run_state;

static void sink(void *userdata, const diag *d)
{
    run_state *st = userdata;
    const syntax_excuse *e = d->level == DIAG_ERROR ? syntax_excuses_match(st->excuses, d->src_line) : NULL;
    if (e) {
        st->excused++;
        if (!st->quiet)
            fprintf(stderr, "%s:%d:%d: note: %s (excused by %s:%d: %s)\n", d->file ? d->file : "?", d->line, d->col,
                    d->message, st->excuse_path, e->line, e->reason);
        return;
    }
    if (d->level == DIAG_ERROR)
        st->errors++;
    if (!st->quiet)
        diag_print(stderr, d);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *lang = NULL, *excuse_path = NULL;
    int quiet = 0, stats = 0, first = argc;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
            lang = argv[++i];
        } else if (strncmp(argv[i], "--lang=", 7) == 0) {
            lang = argv[i] + 7;
        } else if (strcmp(argv[i], "--excuse") == 0 && i + 1 < argc) {
            excuse_path = argv[++i];
        } else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
            quiet = 1;
        } else if (strcmp(argv[i], "--stats") == 0) {
            stats = 1;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--") == 0) {
            first = i + 1;
            break;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "tscheck: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else {
            first = i;
            break;
        }
    }
    if (!lang || !syntax_language(lang) || first >= argc) {
        usage(stderr);
        return 2;
    }

    run_state st = {.quiet = quiet, .excuse_path = excuse_path};
    diag_ctx edc; /* the allow-list's own errors, printed as they come */
    diag_init(&edc, NULL, NULL);
    if (excuse_path && syntax_excuses_load(&st.excuses, excuse_path, &edc) != 0) {
        syntax_excuses_free(st.excuses);
        return 2;
    }
    diag_ctx dc;
    diag_init(&dc, sink, &st);
    int status = 0, files = 0;
    size_t bytes = 0;
    double parse_seconds = 0;
    for (int i = first; i < argc; i++) {
        srcfile *f = NULL;
        if (srcfile_load(&f, argv[i]) != 0) {
            fprintf(stderr, "%s: error: cannot read: %s\n", argv[i], strerror(errno));
            status = 2;
            continue;
        }
        int before = st.errors;
        size_t len = f->len;
        char *rewritten = syntax_excuses_rewrite(st.excuses, f->text, f->len, &len);
        double t0 = now_seconds();
        int n = syntax_check(lang, rewritten ? rewritten : f->text, len, argv[i], &dc);
        free(rewritten);
        parse_seconds += now_seconds() - t0;
        files++;
        bytes += f->len;
        if (n < 0)
            status = 2;
        else if (st.errors > before && status == 0)
            status = 1;
        srcfile_free(f);
    }
    if (stats) {
        fprintf(stderr, "tscheck: %s: %d files, %zu bytes, %d errors, %d excused, %.3f s parsing, %.2f MB/s\n",
                lang, files, bytes, st.errors, st.excused, parse_seconds,
                parse_seconds > 0 ? (double)bytes / 1e6 / parse_seconds : 0.0);
        for (int i = 0; i < syntax_excuses_count(st.excuses); i++) {
            const syntax_excuse *e = syntax_excuses_at(st.excuses, i);
            fprintf(stderr, "tscheck: %s:%d: %s used %d times: %s\n", excuse_path, e->line,
                    e->replacement ? "rewrite" : "excuse", e->uses, e->pattern);
        }
    }
    syntax_excuses_free(st.excuses);
    return status;
}
