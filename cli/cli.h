/*
 * cli.h — the etlport command line: a command table {name, fn, summary}, one cmd_<name>.c per
 * subcommand, and the registries of frontends and backends the commands look formats up in.
 */
#ifndef ETLPORT_CLI_CLI_H
#define ETLPORT_CLI_CLI_H

#include <stddef.h>

#include "backends/backend.h"
#include "frontends/frontend.h"

/* Public exit codes (documented in README.md and docs/report.md). */
enum {
    EXIT_OK = 0,          /* everything converted */
    EXIT_INCOMPLETE = 1,  /* some input failed, or (--fail-on unsupported) holes remain */
    EXIT_USAGE = 2,       /* bad command line */
    EXIT_IO = 3,          /* an output file could not be written */
};

int cmd_convert(int argc, char **argv);
int cmd_ir(int argc, char **argv);
int cmd_transpile(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_lineage(int argc, char **argv);
int cmd_diff(int argc, char **argv);

/* Renders lineage DOT as SVG (outs[0]) and PNG (outs[1]) in a fresh child process of this program
 * (see lin_render: only there is the picture the same from run to run); outs are malloc'd.
 * Returns 0, or -1 when the child could not do it. */
int lineage_render_fresh(const char *dot, size_t dot_len, char **outs, size_t *lens);

/* Registries: adding a format or a target is one line in cli/registry.c. */
extern const frontend *const cli_frontends[];
extern const backend *const cli_backends[];
const backend *cli_backend_by_name(const char *name);
/* The frontend that claims path (highest detect score), or NULL. */
const frontend *cli_detect(const char *path);

#endif
