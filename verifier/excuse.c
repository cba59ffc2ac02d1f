/*
 * excuse.c — see excuse.h. Moved here from tools/tscheck.c so that tscheck and the verifier's
 * syntax layer apply one allow-list the same way.
 */
#include "verifier/excuse.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    syntax_excuse pub;
    regex_t re;
} entry;

struct syntax_excuses {
    entry *v;
    int n;
};

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static char *dup_or_die(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

int syntax_excuses_parse(syntax_excuses **out, const char *text, size_t len, const char *path, diag_ctx *dc)
{
    syntax_excuses *x = calloc(1, sizeof *x);
    if (!x)
        abort();
    int line = 0, bad = 0;
    size_t pos = 0;
    char buf[4096];
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf ? n : sizeof buf - 1), text + pos);
        pos += n + 1;
        line++;
        char *s = trim(buf);
        if (*s == '\0' || *s == '#')
            continue;
        char *sep = strstr(s, " :: ");
        char *reason = sep ? trim(sep + 4) : NULL;
        if (!sep || !*reason) {
            if (dc)
                diag_at(dc, DIAG_ERROR, NULL, path, line, 1, "an entry is 'PATTERN :: reason' (the reason is required)");
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
        entry e;
        memset(&e, 0, sizeof e);
        e.pub.line = line;
        int rc = regcomp(&e.re, pattern, REG_EXTENDED | (replacement ? 0 : REG_NOSUB));
        if (rc != 0) {
            char msg[256];
            regerror(rc, &e.re, msg, sizeof msg);
            if (dc)
                diag_at(dc, DIAG_ERROR, NULL, path, line, 1, "bad pattern: %s", msg);
            bad = 1;
            continue;
        }
        e.pub.pattern = dup_or_die(pattern);
        e.pub.reason = dup_or_die(reason);
        e.pub.replacement = replacement ? dup_or_die(replacement) : NULL;
        entry *v = realloc(x->v, (size_t)(x->n + 1) * sizeof *v);
        if (!v)
            abort();
        x->v = v;
        x->v[x->n++] = e;
    }
    *out = x;
    return bad ? -1 : 0;
}

int syntax_excuses_load(syntax_excuses **out, const char *path, diag_ctx *dc)
{
    srcfile *f = NULL;
    *out = NULL;
    if (srcfile_load(&f, path) != 0) {
        if (dc)
            diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    int rc = syntax_excuses_parse(out, f->text, f->len, path, dc);
    srcfile_free(f);
    return rc;
}

void syntax_excuses_free(syntax_excuses *x)
{
    if (!x)
        return;
    for (int i = 0; i < x->n; i++) {
        regfree(&x->v[i].re);
        free(x->v[i].pub.pattern);
        free(x->v[i].pub.reason);
        free(x->v[i].pub.replacement);
    }
    free(x->v);
    free(x);
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
static void rewrite_line(entry *e, const char *line, buf *out)
{
    const char *p = line;
    int eflags = 0;
    regmatch_t m[10];
    while (*p && regexec(&e->re, p, 10, m, eflags) == 0) {
        e->pub.uses++;
        buf_put(out, p, (size_t)m[0].rm_so);
        for (const char *r = e->pub.replacement; *r; r++) {
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

char *syntax_excuses_rewrite(syntax_excuses *x, const char *text, size_t len, size_t *out_len)
{
    int any = 0;
    for (int i = 0; x && i < x->n; i++)
        any |= x->v[i].pub.replacement != NULL;
    if (!any)
        return NULL;
    buf cur = {0}, line = {0}, tmp = {0};
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        line.len = 0;
        buf_put(&line, text + pos, n);
        for (int i = 0; i < x->n; i++) {
            if (!x->v[i].pub.replacement)
                continue;
            tmp.len = 0;
            rewrite_line(&x->v[i], line.p, &tmp);
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

const syntax_excuse *syntax_excuses_match(syntax_excuses *x, const char *line)
{
    for (int i = 0; x && line && i < x->n; i++) {
        entry *e = &x->v[i];
        if (!e->pub.replacement && regexec(&e->re, line, 0, NULL, 0) == 0) {
            e->pub.uses++;
            return &e->pub;
        }
    }
    return NULL;
}

int syntax_excuses_count(const syntax_excuses *x)
{
    return x ? x->n : 0;
}

const syntax_excuse *syntax_excuses_at(const syntax_excuses *x, int i)
{
    return x && i >= 0 && i < x->n ? &x->v[i].pub : NULL;
}

static const char builtin_sql[] = {
#include "sql_excused.inc"
    0};

syntax_excuses *syntax_excuses_builtin_sql(void)
{
    static syntax_excuses *x;
    if (!x)
        syntax_excuses_parse(&x, builtin_sql, sizeof builtin_sql - 1, "tests/grammars/sql-excused.txt", NULL);
    return x;
}
