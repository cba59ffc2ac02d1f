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
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/diag.h"
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

typedef struct excuse {
    regex_t re;
    char *pattern, *reason;
    char *replacement; /* a rewrite entry; NULL for a line excuse */
    int line; /* in the allow-list file */
    int uses;
} excuse;

typedef struct run_state {
    excuse *excuses;
    int n_excuses;
    const char *excuse_path;
    int quiet;
    int errors;  /* not excused */
    int excused;
} run_state;

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Reads the allow-list. Returns 0, or -1 after printing what is wrong. */
static int load_excuses(run_state *st, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
        return -1;
    }
    char buf[4096];
    int line = 0, bad = 0;
    while (fgets(buf, sizeof buf, fp)) {
        line++;
        char *s = trim(buf);
        if (*s == '\0' || *s == '#')
            continue;
        char *sep = strstr(s, " :: ");
        char *reason = sep ? trim(sep + 4) : NULL;
        if (!sep || !*reason) {
            fprintf(stderr, "%s:%d:1: error: an entry is 'PATTERN :: reason' (the reason is required)\n", path, line);
            bad = 1;
            continue;
        }
        *sep = '\0';
        char *arrow = strstr(s, " => ");
        char *replacement = NULL;
        if (arrow) {
            *arrow = '\0';
            replacement = trim(arrow + 4);
        }
        char *pattern = trim(s);
        excuse e = {.line = line};
        int rc = regcomp(&e.re, pattern, REG_EXTENDED | (replacement ? 0 : REG_NOSUB));
        if (rc != 0) {
            char msg[256];
            regerror(rc, &e.re, msg, sizeof msg);
            fprintf(stderr, "%s:%d:1: error: bad pattern: %s\n", path, line, msg);
            bad = 1;
            continue;
        }
        e.pattern = strdup(pattern);
        e.reason = strdup(reason);
        if (replacement && !(e.replacement = strdup(replacement)))
            abort();
        excuse *p = realloc(st->excuses, (size_t)(st->n_excuses + 1) * sizeof *p);
        if (!p || !e.pattern || !e.reason)
            abort();
        st->excuses = p;
        st->excuses[st->n_excuses++] = e;
    }
    fclose(fp);
    st->excuse_path = path;
    return bad ? -1 : 0;
}

static void free_excuses(run_state *st)
{
    for (int i = 0; i < st->n_excuses; i++) {
        regfree(&st->excuses[i].re);
        free(st->excuses[i].pattern);
        free(st->excuses[i].reason);
        free(st->excuses[i].replacement);
    }
    free(st->excuses);
}

static void sink(void *userdata, const diag *d)
{
    run_state *st = userdata;
    if (d->level == DIAG_ERROR && d->src_line) {
        for (int i = 0; i < st->n_excuses; i++) {
            excuse *e = &st->excuses[i];
            if (!e->replacement && regexec(&e->re, d->src_line, 0, NULL, 0) == 0) {
                e->uses++;
                st->excused++;
                if (!st->quiet)
                    fprintf(stderr, "%s:%d:%d: note: %s (excused by %s:%d: %s)\n", d->file ? d->file : "?",
                            d->line, d->col, d->message, st->excuse_path, e->line, e->reason);
                return;
            }
        }
    }
    if (d->level == DIAG_ERROR)
        st->errors++;
    if (!st->quiet)
        diag_print(stderr, d);
}

/* A growable byte buffer for rewritten text. */
typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void buf_put(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            abort();
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Applies one rewrite entry to a NUL-terminated line, appending the result to out. */
static void rewrite_line(excuse *e, const char *line, buf *out)
{
    const char *p = line;
    int eflags = 0;
    regmatch_t m[10];
    while (*p && regexec(&e->re, p, 10, m, eflags) == 0) {
        e->uses++;
        buf_put(out, p, (size_t)m[0].rm_so);
        for (const char *r = e->replacement; *r; r++) {
            if (r[0] == '\\' && r[1] >= '0' && r[1] <= '9') {
                int g = r[1] - '0';
                if (m[g].rm_so >= 0)
                    buf_put(out, p + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
                r++;
            } else {
                buf_put(out, r, 1);
            }
        }
        size_t adv = (size_t)m[0].rm_eo;
        if (m[0].rm_eo == m[0].rm_so) { /* an empty match: keep one byte and go on */
            buf_put(out, p + adv, 1);
            adv++;
        }
        p += adv;
        eflags = REG_NOTBOL;
    }
    buf_put(out, p, strlen(p));
}

/* Applies every rewrite entry, line by line. Returns a malloc'd text in *out (length *out_len),
 * or NULL when there are no rewrite entries. NUL bytes in the text end a line's rewrite. */
static char *rewrite(run_state *st, const char *text, size_t len, size_t *out_len)
{
    int any = 0;
    for (int i = 0; i < st->n_excuses; i++)
        any |= st->excuses[i].replacement != NULL;
    if (!any)
        return NULL;
    buf cur = {0}, line = {0}, tmp = {0};
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        line.len = 0;
        buf_put(&line, text + pos, n);
        for (int i = 0; i < st->n_excuses; i++) {
            if (!st->excuses[i].replacement)
                continue;
            tmp.len = 0;
            rewrite_line(&st->excuses[i], line.p, &tmp);
            buf swap = line;
            line = tmp;
            tmp = swap;
        }
        buf_put(&cur, line.p, strlen(line.p));
        if (nl)
            buf_put(&cur, "\n", 1);
        pos += n + (nl ? 1 : 0);
    }
    free(line.p);
    free(tmp.p);
    if (!cur.p)
        buf_put(&cur, "", 0);
    *out_len = cur.len;
    return cur.p;
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

    run_state st = {.quiet = quiet};
    if (excuse_path && load_excuses(&st, excuse_path) != 0) {
        free_excuses(&st);
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
        char *rewritten = rewrite(&st, f->text, f->len, &len);
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
        for (int i = 0; i < st.n_excuses; i++)
            fprintf(stderr, "tscheck: %s:%d: %s used %d times: %s\n", excuse_path, st.excuses[i].line,
                    st.excuses[i].replacement ? "rewrite" : "excuse", st.excuses[i].uses, st.excuses[i].pattern);
    }
    free_excuses(&st);
    return status;
}
