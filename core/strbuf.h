/*
 * strbuf.h — a growable, NUL-terminated byte buffer on the heap, for building output text.
 * The owner calls sb_free; sb_take hands the bytes to the caller (free with free()).
 */
#ifndef ETLPORT_CORE_STRBUF_H
#define ETLPORT_CORE_STRBUF_H

#include <stddef.h>
#include <stdarg.h>

typedef struct strbuf {
    char *data; /* always NUL-terminated once anything was written; NULL before */
    size_t len;
    size_t cap;
} strbuf;

#define STRBUF_INIT {NULL, 0, 0}

void sb_init(strbuf *sb);
void sb_free(strbuf *sb);
void sb_clear(strbuf *sb);            /* length 0, keeps the memory */
char *sb_take(strbuf *sb);            /* the caller owns the result; sb is empty again */
const char *sb_cstr(const strbuf *sb); /* "" when nothing was written */
void sb_putc(strbuf *sb, char c);
void sb_puts(strbuf *sb, const char *s);
void sb_putn(strbuf *sb, const char *s, size_t n);
void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(strbuf *sb, const char *fmt, va_list ap);
void sb_indent(strbuf *sb, int n);    /* n spaces */
void sb_put_int(strbuf *sb, long long v); /* decimal, as %lld (without printf's cost) */
/* Appends s as a quoted literal in the given style. */
void sb_put_sql_string(strbuf *sb, const char *s);    /* 'it''s' */
void sb_put_py_string(strbuf *sb, const char *s);     /* "a\"b" with escapes */
void sb_put_json_string(strbuf *sb, const char *s);   /* JSON string with escapes */

#endif
