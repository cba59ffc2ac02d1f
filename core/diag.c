/* diag.c — see diag.h. */
#include "core/diag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void index_lines(srcfile *f)
{
    size_t cap = 64, n = 0;
    size_t *starts = malloc(cap * sizeof *starts);
    if (!starts)
        abort();
    starts[n++] = 0;
    for (size_t i = 0; i < f->len; i++) {
        if (f->text[i] == '\n') {
            if (n == cap) {
                cap *= 2;
                size_t *p = realloc(starts, cap * sizeof *starts);
                if (!p)
                    abort();
                starts = p;
            }
            starts[n++] = i + 1;
        }
    }
    f->line_starts = starts;
    f->n_lines = n;
}

srcfile *srcfile_from_text(const char *path, const char *text, size_t len)
{
    srcfile *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    f->path = path;
    f->text = malloc(len + 1);
    if (!f->text)
        abort();
    memcpy(f->text, text, len);
    f->text[len] = '\0';
    f->len = len;
    index_lines(f);
    return f;
}

int srcfile_load(srcfile **out, const char *path)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        abort();
    for (;;) {
        if (len + 1 >= cap) {
            cap *= 2;
            char *p = realloc(buf, cap);
            if (!p)
                abort();
            buf = p;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, fp);
        len += n;
        if (n == 0)
            break;
    }
    int err = ferror(fp);
    fclose(fp);
    if (err) {
        free(buf);
        errno = EIO;
        return -1;
    }
    buf[len] = '\0';
    srcfile *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    f->path = path;
    f->text = buf;
    f->len = len;
    index_lines(f);
    *out = f;
    return 0;
}

void srcfile_free(srcfile *f)
{
    if (!f)
        return;
    free(f->text);
    free(f->line_starts);
    free(f);
}

void srcfile_line_col(const srcfile *f, size_t offset, int *line, int *col)
{
    size_t lo = 0, hi = f->n_lines;
    if (offset > f->len)
        offset = f->len;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (f->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    *line = (int)lo + 1;
    *col = (int)(offset - f->line_starts[lo]) + 1;
}

size_t srcfile_line_offset(const srcfile *f, int line)
{
    if (line < 1 || (size_t)line > f->n_lines)
        return f->len;
    return f->line_starts[line - 1];
}

void srcfile_line_text(const srcfile *f, int line, char *buf, size_t bufsize)
{
    if (bufsize == 0)
        return;
    buf[0] = '\0';
    if (!f || line < 1 || (size_t)line > f->n_lines)
        return;
    size_t start = f->line_starts[line - 1];
    size_t end = start;
    while (end < f->len && f->text[end] != '\n' && f->text[end] != '\r')
        end++;
    size_t n = end - start;
    if (n >= bufsize)
        n = bufsize - 1;
    memcpy(buf, f->text + start, n);
    buf[n] = '\0';
}

void diag_init(diag_ctx *dc, diag_sink_fn sink, void *userdata)
{
    memset(dc, 0, sizeof *dc);
    dc->sink = sink;
    dc->userdata = userdata;
}

const char *diag_level_name(diag_level level)
{
    switch (level) {
    case DIAG_ERROR: return "error";
    case DIAG_WARNING: return "warning";
    case DIAG_NOTE: return "note";
    }
    return "error";
}

void diag_print(FILE *fp, const diag *d)
{
    if (d->file && d->line > 0)
        fprintf(fp, "%s:%d:%d: %s: %s\n", d->file, d->line, d->col > 0 ? d->col : 1,
                diag_level_name(d->level), d->message);
    else if (d->file)
        fprintf(fp, "%s: %s: %s\n", d->file, diag_level_name(d->level), d->message);
    else
        fprintf(fp, "etlport: %s: %s\n", diag_level_name(d->level), d->message);
    if (d->src_line && d->src_line[0]) {
        /* long lines (a whole XML element) are shown around the column only */
        const char *s = d->src_line;
        size_t len = strlen(s);
        int col = d->col > 0 ? d->col : 1;
        size_t from = 0;
        if (len > 120 && (size_t)col > 60)
            from = (size_t)col - 60;
        if (from > len)
            from = len; /* a column past the end of the line: show its end */
        size_t to = from + 120 < len ? from + 120 : len;
        fprintf(fp, " %5d | %s%.*s%s\n", d->line, from ? "..." : "", (int)(to - from), s + from,
                to < len ? "..." : "");
        fprintf(fp, "       | %s", from ? "   " : "");
        for (size_t i = from; i + 1 < (size_t)col && i < to; i++)
            fputc(s[i] == '\t' ? '\t' : ' ', fp);
        fputs("^\n", fp);
    }
}

void diag_vat(diag_ctx *dc, diag_level level, const srcfile *f, const char *file, int line, int col,
              const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* the whole line: exports hold lines of tens of thousands of bytes, and the caret display
     * shows the part around the column */
    char *src = NULL;
    if (f && line > 0 && (size_t)line <= f->n_lines) {
        size_t start = f->line_starts[line - 1], end = start;
        while (end < f->len && f->text[end] != '\n' && f->text[end] != '\r')
            end++;
        src = malloc(end - start + 1);
        if (!src)
            abort();
        srcfile_line_text(f, line, src, end - start + 1);
    }
    diag d = {level, file ? file : (f ? f->path : NULL), line, col, msg, src && src[0] ? src : NULL};
    if (level == DIAG_ERROR)
        dc->n_errors++;
    else if (level == DIAG_WARNING)
        dc->n_warnings++;
    if (dc->sink)
        dc->sink(dc->userdata, &d);
    else
        diag_print(stderr, &d);
    free(src);
}

void diag_at(diag_ctx *dc, diag_level level, const srcfile *f, const char *file, int line, int col,
             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(dc, level, f, file, line, col, fmt, ap);
    va_end(ap);
}
