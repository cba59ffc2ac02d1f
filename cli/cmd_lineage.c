/*
 * cmd_lineage.c — `etlport lineage INPUT... -o DIR`: reads every input (files, or folders walked in
 * sorted order) through the frontend that claims it (cli_detect, as convert and verify do), builds
 * the lineage graph of the whole run (lineage/lineage.h) and writes lineage.json, lineage.dot,
 * lineage.svg, lineage.png, openlineage.json and lineage.md atomically; or answers an impact query
 * (--upstream / --downstream). docs/lineage.md describes the model and the files.
 *
 * Exit codes: 0 done; 1 some input could not be read (the outputs are still written) or the query
 * names nothing in the graph; 2 usage error; 3 an output could not be written or rendered.
 */
#include "cli/cli.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "lineage/lineage.h"

enum { LINEAGE_EXIT_OK = 0, LINEAGE_EXIT_INPUT = 1, LINEAGE_EXIT_USAGE = 2, LINEAGE_EXIT_OUTPUT = 3 };
enum { MAX_MULTI = 64 };

static void usage(FILE *fp)
{
    fputs("usage: etlport lineage INPUT... -o DIR [--level table|column] [--select DATASET]...\n"
          "       etlport lineage INPUT... (--upstream | --downstream) DATASET[.COLUMN] [--depth N] [--json]\n"
          "\n"
          "Builds table- and column-level lineage across every job of the inputs (files or folders):\n"
          "a dataset written by one job and read by another is one node.\n"
          "  -o DIR              write lineage.json, lineage.dot, lineage.svg, lineage.png,\n"
          "                      openlineage.json and lineage.md into DIR\n"
          "  --level L           diagrams at table level (default) or column level\n"
          "  --select DATASET    draw only these datasets (name or glob, repeatable), their jobs and\n"
          "                      the datasets on those jobs' other side\n"
          "  --from DIALECT      SQL dialect of the scripts (default: guessed per file)\n"
          "  --params FILE       Informatica parameter file (repeatable)\n"
          "  --names FILE        dataset name settings: default_database = X, default_schema = Y,\n"
          "                      ALIAS = NAME synonyms (docs/lineage.md)\n"
          "  --namespace NS      OpenLineage namespace of jobs and datasets (default etlport)\n"
          "  --event-time T      eventTime of the OpenLineage events (default " LIN_EVENT_TIME ")\n"
          "  --source-url PREFIX SourceCodeLocation url prefix (default file:PATH)\n"
          "  --upstream X        print what X (DATASET or DATASET.COLUMN) derives from\n"
          "  --downstream X      print what derives from X\n"
          "  --depth N           hops for --upstream / --downstream (default: unlimited)\n"
          "  --json              print the query's answer as JSON\n"
          "\n"
          "exit codes: 0 done; 1 an input could not be read, or the query names nothing;\n"
          "            2 usage error; 3 an output could not be written\n",
          fp);
}

/* What the frontend callbacks collect while one file is read. */
typedef struct stmt_pos {
    char *job; /* NULL: a statement that did not become a job */
    int line, col;
} stmt_pos;

typedef struct job_pos {
    char *name, *format;
    int line;
} job_pos;

typedef struct reader {
    lin_graph *g;
    stmt_pos *st;
    int n_st, cap_st;
    job_pos *jobs;
    int n_jobs, cap_jobs;
} reader;

static void *grow(void *p, int *cap, size_t elem)
{
    *cap = *cap ? *cap * 2 : 16;
    p = realloc(p, elem * (size_t)*cap);
    if (!p) {
        fputs("etlport lineage: out of memory\n", stderr);
        exit(LINEAGE_EXIT_OUTPUT);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        exit(LINEAGE_EXIT_OUTPUT);
    return d;
}

static void on_job(void *userdata, ir_job *job)
{
    reader *r = userdata;
    ir_job_infer_types(job);
    lin_add_job(r->g, job);
    if (r->n_jobs == r->cap_jobs)
        r->jobs = grow(r->jobs, &r->cap_jobs, sizeof *r->jobs);
    r->jobs[r->n_jobs++] = (job_pos){xstrdup(job->name), xstrdup(job->format), job->line};
    ir_job_free(job);
}

static void on_statement(void *userdata, const fe_statement *st)
{
    reader *r = userdata;
    if (r->n_st == r->cap_st)
        r->st = grow(r->st, &r->cap_st, sizeof *r->st);
    r->st[r->n_st++] = (stmt_pos){st->job ? xstrdup(st->job) : NULL, st->line, st->col};
}

static void on_flow(void *userdata, ir_flow *flow)
{
    reader *r = userdata;
    lin_add_flow(r->g, flow);
    ir_flow_free(flow);
}

static void print_diag(void *userdata, const diag *d)
{
    (void)userdata;
    diag_print(stderr, d);
}

/* The end of the SQL statement starting at s: after its first ';' outside quotes and comments,
 * or limit. */
static const char *stmt_end(const char *s, const char *limit)
{
    for (const char *p = s; p < limit; p++) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            for (p++; p < limit && *p != q; p++)
                ;
        } else if (p[0] == '-' && p + 1 < limit && p[1] == '-') {
            while (p < limit && *p != '\n')
                p++;
        } else if (p[0] == '/' && p + 1 < limit && p[1] == '*') {
            for (p += 2; p + 1 < limit && !(p[0] == '*' && p[1] == '/'); p++)
                ;
            p++;
        } else if (*p == ';') {
            return p + 1;
        }
    }
    return limit;
}

/* Hands each job's legacy text to the graph: SQL statements from the statement positions, an
 * Informatica mapping from its line to </MAPPING>, other formats the whole file when small. */
static void collect_code(reader *r, const char *path, const char *dialect)
{
    srcfile *f = NULL;
    if (srcfile_load(&f, path) < 0)
        return;
    for (int i = 0; i < r->n_st; i++) {
        if (!r->st[i].job)
            continue;
        const char *s = f->text + srcfile_line_offset(f, r->st[i].line) + (r->st[i].col > 0 ? r->st[i].col - 1 : 0);
        const char *limit = i + 1 < r->n_st ? f->text + srcfile_line_offset(f, r->st[i + 1].line) +
                                                  (r->st[i + 1].col > 0 ? r->st[i + 1].col - 1 : 0)
                                            : f->text + f->len;
        if (s > f->text + f->len)
            continue;
        if (limit < s)
            limit = f->text + f->len;
        const char *e = stmt_end(s, limit);
        while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\r' || e[-1] == '\t'))
            e--;
        char *text = strndup(s, (size_t)(e - s));
        if (text)
            lin_set_job_code(r->g, r->st[i].job, text, true, dialect);
        free(text);
    }
    for (int i = 0; i < r->n_jobs; i++) {
        const job_pos *j = &r->jobs[i];
        if (strcmp(j->format, "sql") == 0)
            continue;
        if (strcmp(j->format, "informatica") == 0 && j->line > 0) {
            const char *s = f->text + srcfile_line_offset(f, j->line);
            const char *e = strstr(s, "</MAPPING>");
            e = e ? e + strlen("</MAPPING>") : f->text + f->len;
            char *text = strndup(s, (size_t)(e - s));
            if (text)
                lin_set_job_code(r->g, j->name, text, false, "informatica-powercenter-xml");
            free(text);
        } else if (f->len <= 256 * 1024) {
            lin_set_job_code(r->g, j->name, f->text, false, j->format);
        }
    }
    srcfile_free(f);
}

static void reader_reset(reader *r)
{
    for (int i = 0; i < r->n_st; i++)
        free(r->st[i].job);
    for (int i = 0; i < r->n_jobs; i++) {
        free(r->jobs[i].name);
        free(r->jobs[i].format);
    }
    r->n_st = r->n_jobs = 0;
}

static int write_out(const char *dir, const char *name, const char *data, size_t len)
{
    strbuf p = STRBUF_INIT;
    sb_printf(&p, "%s/%s", dir, name);
    int rc = fs_write_atomic(sb_cstr(&p), data, len);
    if (rc < 0)
        fprintf(stderr, "%s: error: cannot write: %s\n", sb_cstr(&p), strerror(errno));
    sb_free(&p);
    return rc;
}

extern char **environ;

static const char *const render_formats[] = {"svg", "png"};
enum { N_FORMATS = 2 };

/* `etlport lineage --render-child`: DOT on stdin; on stdout, per format, its size in decimal on
 * a line, then its bytes. Run by render() in a fresh process. */
static int render_child(void)
{
    strbuf dot = STRBUF_INIT, err = STRBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
        sb_putn(&dot, buf, n);
    char *outs[N_FORMATS];
    size_t lens[N_FORMATS];
    int rc = lin_render(outs, lens, sb_cstr(&dot), render_formats, N_FORMATS, &err);
    if (rc == 0) {
        for (int i = 0; i < N_FORMATS; i++) {
            printf("%zu\n", lens[i]);
            fwrite(outs[i], 1, lens[i], stdout);
            free(outs[i]);
        }
    } else {
        fprintf(stderr, "etlport lineage: error: %s\n", sb_cstr(&err));
    }
    sb_free(&dot);
    sb_free(&err);
    return fflush(stdout) == 0 && rc == 0 ? LINEAGE_EXIT_OK : LINEAGE_EXIT_OUTPUT;
}

int lineage_render_fresh(const char *dot, size_t dot_len, char **outs, size_t *lens)
{
    int in[2], out[2];
    if (pipe(in) < 0)
        return -1;
    if (pipe(out) < 0) {
        close(in[0]);
        close(in[1]);
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[0]);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addclose(&fa, out[1]);
    char *argv[] = {"etlport", "lineage", "--render-child", NULL};
    pid_t pid;
    int sp = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    if (sp != 0) {
        close(in[1]);
        close(out[0]);
        return -1;
    }
    struct sigaction ign, old;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old);
    for (size_t off = 0; off < dot_len;) {
        ssize_t w = write(in[1], dot + off, dot_len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(in[1]);
    strbuf got = STRBUF_INIT;
    char buf[65536];
    for (;;) {
        ssize_t r = read(out[0], buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        sb_putn(&got, buf, (size_t)r);
    }
    close(out[0]);
    sigaction(SIGPIPE, &old, NULL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int rc = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
    const char *p = got.data, *end = got.data + got.len;
    for (int i = 0; i < N_FORMATS; i++)
        outs[i] = NULL;
    for (int i = 0; i < N_FORMATS && rc == 0; i++) {
        char *nl = p ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        size_t len = nl ? strtoul(p, NULL, 10) : 0;
        if (!nl || len > (size_t)(end - nl - 1)) {
            rc = -1;
            break;
        }
        outs[i] = malloc(len ? len : 1);
        if (!outs[i])
            abort();
        memcpy(outs[i], nl + 1, len);
        lens[i] = len;
        p = nl + 1 + len;
    }
    if (rc < 0)
        for (int i = 0; i < N_FORMATS; i++) {
            free(outs[i]);
            outs[i] = NULL;
        }
    sb_free(&got);
    return rc;
}

static int write_all(const lin_graph *g, const lin_emit_opts *eo, const char *dir)
{
    int rc = 0;
    strbuf sb = STRBUF_INIT, dot = STRBUF_INIT, err = STRBUF_INIT;
    lin_to_json(g, &sb);
    rc |= write_out(dir, "lineage.json", sb_cstr(&sb), sb.len);
    sb_clear(&sb);
    lin_to_openlineage(g, eo, &sb);
    rc |= write_out(dir, "openlineage.json", sb_cstr(&sb), sb.len);
    sb_clear(&sb);
    lin_to_mermaid(g, eo, &sb);
    rc |= write_out(dir, "lineage.md", sb_cstr(&sb), sb.len);
    lin_to_dot(g, eo, &dot);
    rc |= write_out(dir, "lineage.dot", sb_cstr(&dot), dot.len);
    char *outs[N_FORMATS];
    size_t lens[N_FORMATS];
    if (lineage_render_fresh(sb_cstr(&dot), dot.len, outs, lens) < 0 &&
        lin_render(outs, lens, sb_cstr(&dot), render_formats, N_FORMATS, &err) < 0) {
        fprintf(stderr, "etlport lineage: error: %s\n", sb_cstr(&err));
        rc = -1;
    } else {
        for (int i = 0; i < N_FORMATS; i++) {
            char name[32];
            snprintf(name, sizeof name, "lineage.%s", render_formats[i]);
            rc |= write_out(dir, name, outs[i], lens[i]);
            free(outs[i]);
        }
    }
    sb_free(&sb);
    sb_free(&dot);
    sb_free(&err);
    return rc;
}

int cmd_lineage(int argc, char **argv)
{
    const char *inputs[1024];
    int n_inputs = 0;
    const char *params[MAX_MULTI], *select[MAX_MULTI];
    int n_params = 0, n_select = 0;
    const char *out_dir = NULL, *level = NULL, *dialect = NULL, *names = NULL, *upstream = NULL,
               *downstream = NULL, *depth = NULL;
    lin_emit_opts eo;
    memset(&eo, 0, sizeof eo);
    bool json = false;
    if (argc == 2 && strcmp(argv[1], "--render-child") == 0)
        return render_child();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return LINEAGE_EXIT_OK;
        }
        if (strcmp(a, "--json") == 0) {
            json = true;
            continue;
        }
        if (a[0] != '-') {
            if (n_inputs == (int)(sizeof inputs / sizeof *inputs)) {
                fputs("etlport lineage: too many inputs (give folders)\n", stderr);
                return LINEAGE_EXIT_USAGE;
            }
            inputs[n_inputs++] = a;
            continue;
        }
        const char **slot = strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ? &out_dir
                            : strcmp(a, "--level") == 0                         ? &level
                            : strcmp(a, "--from") == 0                          ? &dialect
                            : strcmp(a, "--names") == 0                         ? &names
                            : strcmp(a, "--namespace") == 0                     ? &eo.ns
                            : strcmp(a, "--event-time") == 0                    ? &eo.event_time
                            : strcmp(a, "--source-url") == 0                    ? &eo.source_url
                            : strcmp(a, "--upstream") == 0                      ? &upstream
                            : strcmp(a, "--downstream") == 0                    ? &downstream
                            : strcmp(a, "--depth") == 0                         ? &depth
                                                                                : NULL;
        bool multi = strcmp(a, "--params") == 0 || strcmp(a, "--select") == 0;
        if ((!slot && !multi) || i + 1 >= argc) {
            fprintf(stderr, "etlport lineage: %s option %s\n", slot || multi ? "missing value for" : "unknown", a);
            usage(stderr);
            return LINEAGE_EXIT_USAGE;
        }
        if (multi) {
            bool p = strcmp(a, "--params") == 0;
            if ((p ? n_params : n_select) == MAX_MULTI) {
                fprintf(stderr, "etlport lineage: too many %s options\n", a);
                return LINEAGE_EXIT_USAGE;
            }
            if (p)
                params[n_params++] = argv[++i];
            else
                select[n_select++] = argv[++i];
            continue;
        }
        *slot = argv[++i];
    }
    if (!n_inputs || (!out_dir && !upstream && !downstream) || (upstream && downstream)) {
        fputs(!n_inputs ? "etlport lineage: no input\n"
              : upstream && downstream ? "etlport lineage: one of --upstream and --downstream\n"
                                       : "etlport lineage: -o DIR or a query is required\n",
              stderr);
        usage(stderr);
        return LINEAGE_EXIT_USAGE;
    }
    if (level && strcmp(level, "table") != 0 && strcmp(level, "column") != 0) {
        fprintf(stderr, "etlport lineage: --level is table or column, not '%s'\n", level);
        return LINEAGE_EXIT_USAGE;
    }
    eo.level = level && strcmp(level, "column") == 0 ? LIN_LEVEL_COLUMN : LIN_LEVEL_TABLE;
    eo.select = select;
    eo.n_select = n_select;
    int depth_n = 0;
    if (depth) {
        char *end = NULL;
        long v = strtol(depth, &end, 10);
        if (!end || *end || v < 0 || v > 1000000) {
            fprintf(stderr, "etlport lineage: --depth wants a number, not '%s'\n", depth);
            return LINEAGE_EXIT_USAGE;
        }
        depth_n = (int)v;
    }

    lin_graph *g = lin_new();
    diag_ctx dc;
    diag_init(&dc, print_diag, NULL);
    int rc = LINEAGE_EXIT_OK;
    if (names && lin_load_names(g, names, &dc) < 0) {
        lin_free(g);
        return LINEAGE_EXIT_USAGE;
    }
    reader r;
    memset(&r, 0, sizeof r);
    r.g = g;
    for (int i = 0; i < n_inputs; i++) {
        char **files = NULL;
        size_t n_files = 0;
        if (fs_list_files(inputs[i], &files, &n_files) < 0) {
            fprintf(stderr, "%s: error: cannot read: %s\n", inputs[i], strerror(errno));
            rc = LINEAGE_EXIT_INPUT;
            continue;
        }
        bool dir = fs_is_dir(inputs[i]);
        for (size_t k = 0; k < n_files; k++) {
            const frontend *fe = cli_detect(files[k]);
            if (!fe) {
                if (!dir) { /* inside folders, files of no known format (READMEs) are skipped */
                    fprintf(stderr, "%s: error: cannot read, or the format is not recognised\n", files[k]);
                    rc = LINEAGE_EXIT_INPUT;
                }
                continue;
            }
            fe_options opt;
            memset(&opt, 0, sizeof opt);
            const char *used = NULL;
            opt.params_files = params;
            opt.n_params_files = n_params;
            opt.dialect = dialect;
            opt.dialect_used = &used;
            opt.on_statement = on_statement;
            opt.on_flow = on_flow;
            if (fe->read(files[k], &opt, &dc, on_job, &r, NULL) < 0)
                rc = LINEAGE_EXIT_INPUT;
            collect_code(&r, files[k], used ? used : dialect);
            reader_reset(&r);
        }
        fs_free_list(files, n_files);
    }
    free(r.st);
    free(r.jobs);

    if (out_dir) {
        if (write_all(g, &eo, out_dir) < 0) {
            rc = LINEAGE_EXIT_OUTPUT;
        } else if (!upstream && !downstream) {
            lin_stats st;
            lin_get_stats(g, &st);
            printf("lineage: %d jobs, %d datasets (%d shared between jobs), %d columns, %d job-order edges\n",
                   st.jobs, st.datasets, st.shared_datasets, st.columns, st.job_order_edges);
            printf("column edges:");
            for (int s = 0; s < LIN_SUB__COUNT; s++)
                printf(" %s %d", lin_subtype_name((lin_subtype)s), st.edges[s]);
            printf("\nwritten to %s/\n", out_dir);
        }
    }
    if (upstream || downstream) {
        lin_query q = {upstream ? upstream : downstream, downstream != NULL, depth_n};
        strbuf sb = STRBUF_INIT;
        if (lin_query_run(g, &q, json, &sb) < 0) {
            fprintf(stderr, "etlport lineage: %s\n", sb_cstr(&sb));
            if (rc == LINEAGE_EXIT_OK)
                rc = LINEAGE_EXIT_INPUT;
        } else {
            fputs(sb_cstr(&sb), stdout);
        }
        sb_free(&sb);
    }
    lin_free(g);
    return rc;
}
