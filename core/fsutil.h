/*
 * fsutil.h — file-system helpers: atomic writes (temporary file, fsync, rename), recursive
 * directory creation and listing (sorted, so runs are deterministic).
 */
#ifndef ETLPORT_CORE_FSUTIL_H
#define ETLPORT_CORE_FSUTIL_H

#include <stddef.h>

/* Writes data to path through path.tmp.<pid> and rename(2): readers never see half a file.
 * Creates missing parent directories. Returns 0 or -1 with errno set. */
int fs_write_atomic(const char *path, const char *data, size_t len);
/* mkdir -p. Returns 0 or -1 with errno set. */
int fs_mkdirs(const char *path);
int fs_is_dir(const char *path);

/* Every regular file under path (path itself if it is a file), sorted by byte order; hidden
 * entries (names starting with '.') are skipped. *out is a malloc'd array of malloc'd strings. */
int fs_list_files(const char *path, char ***out, size_t *n_out);
void fs_free_list(char **list, size_t n);

/* A name safe as one path component: letters, digits, '_', '-', '.'; others become '_'. */
void fs_safe_component(char *name);

#endif
