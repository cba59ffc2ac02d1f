/*
 * arena.c — bump allocator over a chain of blocks, with an intern table (open addressing) and a
 * cleanup list. See arena.h for the contract.
 */
#include "core/arena.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (64 * 1024)
#define ALIGN 16

typedef struct block {
    struct block *next;
    size_t used, size;
    _Alignas(ALIGN) unsigned char data[];
} block;

typedef struct cleanup {
    struct cleanup *next;
    void (*fn)(void *);
    void *p;
} cleanup;

struct arena {
    block *head;
    cleanup *cleanups;
    size_t total;
    /* intern table: strings hashed by FNV-1a */
    const char **slots;
    size_t n_slots, n_interned;
#ifdef ETLPORT_DEBUG_ARENA
    void **blocks;
    size_t n_blocks, cap_blocks;
#endif
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("etlport: out of memory\n", stderr);
        abort();
    }
    return p;
}

arena *arena_new(void)
{
    arena *a = xmalloc(sizeof *a);
    memset(a, 0, sizeof *a);
    return a;
}

void arena_free(arena *a)
{
    if (!a)
        return;
    for (cleanup *c = a->cleanups; c; c = c->next)
        c->fn(c->p);
    /* cleanup records live in the arena's blocks, so release blocks only after running them */
    for (block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
#ifdef ETLPORT_DEBUG_ARENA
    for (size_t i = 0; i < a->n_blocks; i++)
        free(a->blocks[i]);
    free(a->blocks);
#endif
    free(a->slots);
    free(a);
}

void *arena_alloc(arena *a, size_t size)
{
    a->total += size;
#ifdef ETLPORT_DEBUG_ARENA
    if (a->n_blocks == a->cap_blocks) {
        a->cap_blocks = a->cap_blocks ? a->cap_blocks * 2 : 64;
        void **nb = realloc(a->blocks, a->cap_blocks * sizeof *nb);
        if (!nb)
            abort();
        a->blocks = nb;
    }
    void *p = xmalloc(size);
    memset(p, 0, size ? size : 1);
    a->blocks[a->n_blocks++] = p;
    return p;
#else
    size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (!a->head || a->head->size - a->head->used < size) {
        size_t bs = size > BLOCK_SIZE / 4 ? size : BLOCK_SIZE;
        block *b = xmalloc(sizeof *b + bs);
        b->size = bs;
        b->used = size;
        memset(b->data, 0, size);
        if (bs == size && a->head) {
            /* a large block goes behind the current one so the current one keeps filling */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
        return b->data;
    }
    void *p = a->head->data + a->head->used;
    a->head->used += size;
    memset(p, 0, size);
    return p;
#endif
}

void *arena_grow(arena *a, void *old, size_t old_n, size_t new_n, size_t elem_size)
{
    void *p = arena_alloc(a, new_n * elem_size);
    if (old && old_n)
        memcpy(p, old, (old_n < new_n ? old_n : new_n) * elem_size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_strdup_upper(arena *a, const char *s)
{
    char *u = arena_strdup(a, s ? s : "");
    for (char *p = u; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return u;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static void intern_rehash(arena *a)
{
    size_t n = a->n_slots ? a->n_slots * 2 : 256;
    const char **slots = calloc(n, sizeof *slots);
    if (!slots)
        abort();
    for (size_t i = 0; i < a->n_slots; i++) {
        const char *s = a->slots[i];
        if (!s)
            continue;
        size_t j = hash_bytes(s, strlen(s)) & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = s;
    }
    free(a->slots);
    a->slots = slots;
    a->n_slots = n;
}

const char *arena_intern(arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    if ((a->n_interned + 1) * 2 > a->n_slots)
        intern_rehash(a);
    size_t j = hash_bytes(s, n) & (a->n_slots - 1);
    while (a->slots[j]) {
        const char *t = a->slots[j];
        if (strncmp(t, s, n) == 0 && t[n] == '\0')
            return t;
        j = (j + 1) & (a->n_slots - 1);
    }
    const char *copy = arena_strndup(a, s, n);
    a->slots[j] = copy;
    a->n_interned++;
    return copy;
}

const char *arena_intern_cstr(arena *a, const char *s)
{
    return s ? arena_intern(a, s, strlen(s)) : NULL;
}

void arena_on_free(arena *a, void (*fn)(void *), void *p)
{
    cleanup *c = arena_alloc(a, sizeof *c);
    c->fn = fn;
    c->p = p;
    c->next = a->cleanups;
    a->cleanups = c;
}

size_t arena_used(const arena *a)
{
    return a->total;
}
