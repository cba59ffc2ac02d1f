/*
 * cmd_ir.c — `etlport ir FILE [--params FILE]`: prints the IR of a legacy file as JSON, one
 * repository object holding every job in file order. Given an ir.json that etlport wrote, it reads
 * it back and prints it again: the output is byte-identical to the input (the round-trip
 * guarantee of docs/ir.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/strbuf.h"

typedef struct ir_out {
    strbuf sb;
    int n;
} ir_out;

static void on_job(void *userdata, ir_job *job)
{
    ir_out *o = userdata;
    ir_job_infer_types(job);
    strbuf one = STRBUF_INIT;
    ir_job_to_json(job, &one);
    /* indent the job one level inside the repository's "jobs" array */
    sb_puts(&o->sb, o->n ? ",\n  " : "\n  ");
    for (const char *p = sb_cstr(&one); *p; p++) {
        sb_putc(&o->sb, *p);
        if (*p == '\n' && p[1])
            sb_puts(&o->sb, "  ");
    }
    while (o->sb.len && o->sb.data[o->sb.len - 1] == '\n')
        o->sb.data[--o->sb.len] = '\0';
    sb_free(&one);
    o->n++;
    ir_job_free(job);
}

static int looks_like_ir_json(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    char head[256];
    size_t n = fread(head, 1, sizeof head - 1, fp);
    fclose(fp);
    head[n] = '\0';
    return strstr(head, "\"ir_version\"") != NULL;
}

int cmd_ir(int argc, char **argv)
{
    const char *path = NULL;
    fe_options fo = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: etlport ir FILE [--params FILE]\n"
                   "  prints the IR of a legacy file as JSON (docs/ir.md); given an ir.json, re-reads\n"
                   "  and re-prints it (byte-identical)\n");
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--params") && i + 1 < argc) {
            fo.params_files = (const char *const *)&argv[++i];
            fo.n_params_files = 1;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "etlport ir: unknown option '%s'\n", argv[i]);
            return EXIT_USAGE;
        } else if (!path) {
            path = argv[i];
        } else {
            fprintf(stderr, "etlport ir: one FILE only\n");
            return EXIT_USAGE;
        }
    }
    if (!path) {
        fprintf(stderr, "usage: etlport ir FILE [--params FILE]\n");
        return EXIT_USAGE;
    }
    diag_ctx dc;
    diag_init(&dc, NULL, NULL);

    if (looks_like_ir_json(path)) {
        srcfile *f = NULL;
        if (srcfile_load(&f, path) != 0) {
            perror(path);
            return EXIT_INCOMPLETE;
        }
        ir_job *job = NULL;
        int rc = ir_job_from_json(&job, f->text, f->len, path, &dc);
        srcfile_free(f);
        if (rc != 0 || !job)
            return EXIT_INCOMPLETE;
        strbuf sb = STRBUF_INIT;
        ir_job_to_json(job, &sb);
        fwrite(sb_cstr(&sb), 1, sb.len, stdout);
        sb_free(&sb);
        ir_job_free(job);
        return EXIT_OK;
    }

    const frontend *fe = cli_detect(path);
    if (!fe) {
        fprintf(stderr, "%s: error: format not recognised\n", path);
        return EXIT_INCOMPLETE;
    }
    ir_out o = {STRBUF_INIT, 0};
    sb_printf(&o.sb, "{\n \"ir_version\": %d,\n \"kind\": \"repository\",\n \"format\": ", IR_VERSION);
    sb_put_json_string(&o.sb, fe->name);
    sb_puts(&o.sb, ",\n \"file\": ");
    sb_put_json_string(&o.sb, path);
    sb_puts(&o.sb, ",\n \"jobs\": [");
    int rc = fe->read(path, &fo, &dc, on_job, &o, NULL);
    sb_puts(&o.sb, o.n ? "\n ]\n}\n" : "]\n}\n");
    fwrite(sb_cstr(&o.sb), 1, o.sb.len, stdout);
    sb_free(&o.sb);
    return rc != 0 || dc.n_errors ? EXIT_INCOMPLETE : EXIT_OK;
}
