/*
 * main.c — `etlport <command> [options]`. Looks the command up in the table and runs it; every
 * command has its own --help.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#define ETLPORT_VERSION "0.1.0"

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"convert", cmd_convert, "convert legacy files to Snowflake SQL and PySpark, with a report"},
    {"ir", cmd_ir, "print the IR of a legacy file (or re-print an ir.json) as JSON"},
    {"transpile", cmd_transpile, "translate SQL statement by statement to Snowflake or Spark SQL"},
    {"lineage", cmd_lineage, "table- and column-level lineage across jobs: DOT/SVG/PNG, JSON, OpenLineage, queries"},
    {"verify", cmd_verify, "compare generated code with its legacy job, column by column"},
    {"diff", cmd_diff, "reviewer reports: legacy beside generated code, or the changes between two versions"},
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: etlport <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\n`etlport <command> --help` for a command's options.\n"
                "exit codes: 0 all converted, 1 some input failed or holes remain with --fail-on,\n"
                "            2 usage error, 3 output could not be written\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("etlport %s (IR version %d)\n", ETLPORT_VERSION, IR_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "etlport: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
