/* strbuf.c — see strbuf.h. */
#include "core/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(strbuf *sb)
{
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

void sb_free(strbuf *sb)
{
    free(sb->data);
    sb_init(sb);
}

void sb_clear(strbuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}

char *sb_take(strbuf *sb)
{
    char *p = sb->data;
    if (!p) {
        p = malloc(1);
        if (!p)
            abort();
        p[0] = '\0';
    }
    sb_init(sb);
    return p;
}

const char *sb_cstr(const strbuf *sb)
{
    return sb->data ? sb->data : "";
}

static void reserve(strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    char *p = realloc(sb->data, cap);
    if (!p) {
        fputs("etlport: out of memory\n", stderr);
        abort();
    }
    sb->data = p;
    sb->cap = cap;
}

void sb_putn(strbuf *sb, const char *s, size_t n)
{
    reserve(sb, n);
    if (n)
        memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void sb_putc(strbuf *sb, char c)
{
    sb_putn(sb, &c, 1);
}

void sb_puts(strbuf *sb, const char *s)
{
    sb_putn(sb, s, strlen(s));
}

void sb_vprintf(strbuf *sb, const char *fmt, va_list ap)
{
    /* format straight into the free space; only when it does not fit, grow and format again */
    reserve(sb, 64);
    va_list ap2;
    va_copy(ap2, ap);
    size_t room = sb->cap - sb->len;
    int n = vsnprintf(sb->data + sb->len, room, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        sb->data[sb->len] = '\0';
        return;
    }
    if ((size_t)n >= room) {
        reserve(sb, (size_t)n);
        vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    }
    sb->len += (size_t)n;
}

void sb_printf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

void sb_put_int(strbuf *sb, long long v)
{
    char buf[24], *p = buf + sizeof buf;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    sb_putn(sb, p, (size_t)(buf + sizeof buf - p));
}

void sb_indent(strbuf *sb, int n)
{
    for (int i = 0; i < n; i++)
        sb_putc(sb, ' ');
}

void sb_put_sql_string(strbuf *sb, const char *s)
{
    sb_putc(sb, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            sb_putc(sb, '\'');
        if (*s == '\\') {
            /* Snowflake treats backslash as an escape in string literals */
            sb_putc(sb, '\\');
        }
        sb_putc(sb, *s);
    }
    sb_putc(sb, '\'');
}

static void put_escaped(strbuf *sb, const char *s, int json)
{
    sb_putc(sb, '"');
    for (; *s; s++) {
        /* copy the run of characters that need no escape in one go */
        const char *run = s;
        while (*s && *s != '"' && *s != '\\' && (unsigned char)*s >= 0x20 && (json || *s != 0x7f))
            s++;
        if (s > run)
            sb_putn(sb, run, (size_t)(s - run));
        if (!*s)
            break;
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"': sb_puts(sb, "\\\""); break;
        case '\\': sb_puts(sb, "\\\\"); break;
        case '\n': sb_puts(sb, "\\n"); break;
        case '\r': sb_puts(sb, "\\r"); break;
        case '\t': sb_puts(sb, "\\t"); break;
        default:
            if (c < 0x20 || (!json && c == 0x7f))
                sb_printf(sb, json ? "\\u%04x" : "\\x%02x", c);
            else
                sb_putc(sb, (char)c);
        }
    }
    sb_putc(sb, '"');
}

void sb_put_py_string(strbuf *sb, const char *s)
{
    put_escaped(sb, s, 0);
}

void sb_put_json_string(strbuf *sb, const char *s)
{
    put_escaped(sb, s, 1);
}
