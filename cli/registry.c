/* registry.c — the frontends and backends etlport knows; one line each. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

extern const frontend infa_frontend;
extern const frontend sql_frontend;
extern const frontend abinitio_frontend;
extern const backend snowflake_backend;
extern const backend spark_backend;

/* Order breaks detection ties: the first claimant wins (an Informatica export over anything else). */
const frontend *const cli_frontends[] = {&infa_frontend, &sql_frontend, &abinitio_frontend, NULL};
const backend *const cli_backends[] = {&snowflake_backend, &spark_backend, NULL};

const backend *cli_backend_by_name(const char *name)
{
    for (int i = 0; cli_backends[i]; i++)
        if (strcmp(cli_backends[i]->name, name) == 0)
            return cli_backends[i];
    return NULL;
}

const frontend *cli_detect(const char *path)
{
    char head[4096];
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t n = fread(head, 1, sizeof head - 1, fp);
    fclose(fp);
    head[n] = '\0';
    const frontend *best = NULL;
    int best_score = 0;
    for (int i = 0; cli_frontends[i]; i++) {
        int s = cli_frontends[i]->detect(path, head, n);
        if (s > best_score) {
            best_score = s;
            best = cli_frontends[i];
        }
    }
    return best;
}
