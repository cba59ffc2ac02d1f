/*
 * arena.h — region allocator. Each job's IR and each input file's scratch data live in one arena
 * that is freed at once; nothing allocated from an arena is freed alone. Foreign objects (libxml2
 * documents, tree-sitter trees, cJSON values) are registered with arena_on_free so they go with it.
 * With ETLPORT_DEBUG_ARENA every block is its own malloc, so AddressSanitizer sees each one.
 */
#ifndef ETLPORT_CORE_ARENA_H
#define ETLPORT_CORE_ARENA_H

#include <stddef.h>
#include <stdarg.h>

typedef struct arena arena;

/* A new, empty arena. Aborts on out-of-memory (the tool cannot do anything useful then). */
arena *arena_new(void);
/* Runs the registered cleanups (last registered first), then releases every block. NULL is a no-op. */
void arena_free(arena *a);

/* Zeroed memory aligned for any type, owned by the arena. */
void *arena_alloc(arena *a, size_t size);
/* Grows an array allocated from this arena: returns a copy of old (old_n elements) with room for new_n. */
void *arena_grow(arena *a, void *old, size_t old_n, size_t new_n, size_t elem_size);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
/* A copy of s in upper case (ASCII letters); "" for NULL. */
char *arena_strdup_upper(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);

/* The one copy of s (length n) in this arena: equal strings give equal pointers. */
const char *arena_intern(arena *a, const char *s, size_t n);
const char *arena_intern_cstr(arena *a, const char *s);

/* Calls fn(p) when the arena is freed. */
void arena_on_free(arena *a, void (*fn)(void *), void *p);

/* Bytes handed out so far (for benchmarks and limits). */
size_t arena_used(const arena *a);

/* A growable array of T in an arena: `ARENA_PUSH(a, items, n, cap, value)`. */
#define ARENA_PUSH(a, items, n, cap, value)                                                       \
    do {                                                                                          \
        if ((n) == (cap)) {                                                                       \
            size_t new_cap_ = (cap) ? (cap) * 2 : 8;                                              \
            (items) = arena_grow((a), (items), (n), new_cap_, sizeof(*(items)));                  \
            (cap) = new_cap_;                                                                     \
        }                                                                                         \
        (items)[(n)++] = (value);                                                                 \
    } while (0)

#endif
