/*
 * infa_frontend.c — the Informatica PowerCenter frontend: `detect` recognises an export by its
 * <POWERMART root, `read` maps the file, streams it (infa_xml.c) and hands one ir_job per MAPPING
 * to the callback (infa_lower.c), then one ir_flow per WORKFLOW to fe_options.on_flow (infa_wf.c). docs/informatica-frontend.md describes the conversion rules.
 */
#include "frontends/frontend.h"
#include "frontends/informatica/infa_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

/* 100 when the head holds <POWERMART after an optional BOM, XML declaration, DOCTYPE, comments
 * and whitespace; else 0. */
static int detect(const char *path, const char *head, size_t n)
{
    (void)path;
    size_t i = 0;
    if (n >= 3 && (unsigned char)head[0] == 0xEF && (unsigned char)head[1] == 0xBB && (unsigned char)head[2] == 0xBF)
        i = 3;
    while (i < n) {
        char c = head[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            i++;
            continue;
        }
        if (c != '<')
            return 0;
        if (n - i >= 10 && memcmp(head + i, "<POWERMART", 10) == 0)
            return 100;
        const char *end;
        if (n - i >= 4 && memcmp(head + i, "<!--", 4) == 0) {
            end = NULL;
            for (size_t j = i + 4; j + 2 < n; j++)
                if (head[j] == '-' && head[j + 1] == '-' && head[j + 2] == '>') {
                    end = head + j + 3;
                    break;
                }
        } else if (n - i >= 2 && (head[i + 1] == '?' || head[i + 1] == '!')) {
            end = memchr(head + i, '>', n - i);
            if (end)
                end++;
        } else {
            return 0;
        }
        if (!end)
            return 0;
        i = (size_t)(end - head);
    }
    return 0;
}

static void index_lines(infa_file *f)
{
    size_t cap = 1024, n = 0;
    size_t *starts = malloc(cap * sizeof *starts);
    if (!starts)
        abort();
    starts[n++] = 0;
    const char *p = f->text, *end = f->text + f->len;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        p++;
        if (n == cap) {
            cap *= 2;
            size_t *q = realloc(starts, cap * sizeof *starts);
            if (!q)
                abort();
            starts = q;
        }
        starts[n++] = (size_t)(p - f->text);
    }
    f->src.path = f->path;
    f->src.text = (char *)f->text;
    f->src.len = f->len;
    f->src.line_starts = starts;
    f->src.n_lines = n;
}

static int read_file(const char *path, const fe_options *opt, diag_ctx *dc, fe_job_fn on_job, void *ud,
                     fe_counts *counts)
{
    int rc = -1;
    int errors_before = dc->n_errors;
    infa_file f;
    memset(&f, 0, sizeof f);
    f.path = path;
    f.dc = dc;
    f.opt = opt;
    f.on_job = on_job;
    f.userdata = ud;
    void *map = NULL;
    size_t maplen = 0;
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "cannot open: %s", strerror(errno));
        goto done;
    }
    maplen = (size_t)st.st_size;
    if (maplen > 0) {
        map = mmap(NULL, maplen, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            map = NULL;
            diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "cannot map: %s", strerror(errno));
            goto done;
        }
    }
    f.text = map ? map : "";
    f.len = maplen;
    index_lines(&f);
    f.arena = arena_new();
    f.cursor_line = 1;
    for (int i = 0; opt && i < opt->n_params_files; i++)
        if (infa_params_load(&f, opt->params_files[i]) != 0)
            goto done;
    if (maplen == 0) {
        diag_at(dc, DIAG_ERROR, NULL, path, 1, 1, "empty file");
        goto done;
    }
    rc = infa_xml_read(&f);
    if (dc->n_errors > errors_before)
        rc = -1;
done:
    if (counts)
        *counts = f.counts;
    if (f.arena)
        arena_free(f.arena);
    free(f.src.line_starts);
    if (map)
        munmap(map, maplen);
    if (fd >= 0)
        close(fd);
    return rc;
}

const frontend infa_frontend = {"informatica", detect, read_file};
