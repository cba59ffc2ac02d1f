/*
 * diag.h — source files and diagnostics. A srcfile holds one input's bytes and its line index, so
 * a byte offset becomes line:col only when a message is printed. Frontends report through a
 * diag_ctx and keep going; the caller decides at the end of a stage whether it failed (n_errors).
 * Messages print as `file:line:col: error: message`, then the source line and a caret.
 */
#ifndef ETLPORT_CORE_DIAG_H
#define ETLPORT_CORE_DIAG_H

#include <stddef.h>
#include <stdio.h>
#include <stdarg.h>

typedef struct srcfile {
    const char *path;   /* as the user named it */
    char *text;         /* the whole file, NUL-terminated (owned) */
    size_t len;
    size_t *line_starts; /* byte offset of each line's first byte (owned) */
    size_t n_lines;
} srcfile;

/* Reads path into a new srcfile. Returns 0, or -1 with errno set. */
int srcfile_load(srcfile **out, const char *path);
/* A srcfile over text that is copied (for tests and for expressions held in memory). */
srcfile *srcfile_from_text(const char *path, const char *text, size_t len);
void srcfile_free(srcfile *f);
/* 1-based line and column of a byte offset (columns count bytes). */
void srcfile_line_col(const srcfile *f, size_t offset, int *line, int *col);
/* The byte offset where a 1-based line starts, or f->len when the line is past the end. */
size_t srcfile_line_offset(const srcfile *f, int line);
/* A copy of line (1-based) without its end-of-line, in buf; "" if out of range. */
void srcfile_line_text(const srcfile *f, int line, char *buf, size_t bufsize);

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

typedef struct diag {
    diag_level level;
    const char *file;     /* may be NULL for messages not tied to a file */
    int line, col;        /* 1-based; 0 when unknown */
    const char *message;
    const char *src_line; /* the source line's text for the caret display, or NULL */
} diag;

typedef void (*diag_sink_fn)(void *userdata, const diag *d);

typedef struct diag_ctx {
    diag_sink_fn sink; /* NULL: print to stderr */
    void *userdata;
    int n_errors;
    int n_warnings;
} diag_ctx;

void diag_init(diag_ctx *dc, diag_sink_fn sink, void *userdata);
/* Reports a message at line:col of f (f may be NULL; then file names the file or is NULL). */
void diag_at(diag_ctx *dc, diag_level level, const srcfile *f, const char *file, int line, int col,
             const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void diag_vat(diag_ctx *dc, diag_level level, const srcfile *f, const char *file, int line, int col,
              const char *fmt, va_list ap);
/* Prints d as `file:line:col: level: message`, the source line and a caret. */
void diag_print(FILE *fp, const diag *d);
const char *diag_level_name(diag_level level);

#endif
