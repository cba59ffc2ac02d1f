/* fsutil.c — see fsutil.h. */
#include "core/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fs_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fs_mkdirs(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return -1;
            buf[i] = c;
        }
    }
    return 0;
}

int fs_write_atomic(const char *path, const char *data, size_t len)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *fp = fopen(tmp, "wb");
    if (!fp && errno == ENOENT) {
        /* the folder is missing: make it (only then, so a run of thousands of files in existing
         * folders makes no mkdir calls) */
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = '\0';
            if (fs_mkdirs(dir) != 0)
                return -1;
        }
        fp = fopen(tmp, "wb");
    }
    if (!fp)
        return -1;
    int ok = fwrite(data, 1, len, fp) == len;
    ok = (fflush(fp) == 0) && ok;
    /* no fsync: rename(2) already makes the file appear whole to readers and after an
     * interrupted run; flushing each of thousands of files to disk halved the throughput */
    ok = (fclose(fp) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    return 0;
}

typedef struct {
    char **v;
    size_t n, cap;
} list;

static void push(list *l, char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        char **p = realloc(l->v, l->cap * sizeof *p);
        if (!p)
            abort();
        l->v = p;
    }
    l->v[l->n++] = s;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *path, list *l, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (S_ISREG(st.st_mode)) {
        push(l, strdup(path));
        return 0;
    }
    if (!S_ISDIR(st.st_mode) || depth > 64)
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return -1;
    list names = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        push(&names, strdup(e->d_name));
    }
    closedir(d);
    qsort(names.v, names.n, sizeof *names.v, cmp_str);
    for (size_t i = 0; i < names.n; i++) {
        size_t len = strlen(path) + strlen(names.v[i]) + 2;
        char *child = malloc(len);
        if (!child)
            abort();
        snprintf(child, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names.v[i]);
        walk(child, l, depth + 1);
        free(child);
        free(names.v[i]);
    }
    free(names.v);
    return 0;
}

int fs_list_files(const char *path, char ***out, size_t *n_out)
{
    list l = {0};
    int rc = walk(path, &l, 0);
    *out = l.v;
    *n_out = l.n;
    return rc;
}

void fs_free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void fs_safe_component(char *name)
{
    for (char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-' || c == '.'))
            *p = '_';
    }
    if (name[0] == '.')
        name[0] = '_';
}
