/*
 * test_abinitio.c — table-driven tests of the Ab Initio frontend (frontends/abinitio).
 *
 *   test_abinitio cases <dir>   runs dml.cases and xfr.cases in dir: "=== name", the input, then
 *                               "--- schema" (abi_dataset_to_text of the main record), "--- ir" (each
 *                               function's outputs in ir_expr_to_text) or "--- error" (substrings, one
 *                               a line, that the messages must contain). Inputs are named "t.dml" /
 *                               "t.xfr" in messages. ETLPORT_ABI_UPDATE=1 prints actual results.
 *   test_abinitio corpus <dir> [--all]  reads every .dml and .xfr under dir without crashing and
 *                               reports how many parse without error; --all fails unless all do.
 *
 * XFR inputs read `in`/`in0` (node #1), `in1` (#2) and `temp` (#3), all with the fields of
 * IN_DML below; output fields whose name starts with "n_" are nullable.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/strbuf.h"
#include "frontends/abinitio/abi.h"
#include "ir/ir.h"

static const char IN_DML[] =
    "record\n"
    "  string(\"|\") name;\n"
    "  string(\"|\", maximum_length=10) code = NULL(\"\");\n"
    "  decimal(\"|\", 2, maximum_length=13) amount;\n"
    "  big endian integer(4) qty;\n"
    "  date(\"YYYYMMDD\")(\"|\") d;\n"
    "  datetime(\"YYYY-MM-DD HH24:MI:SS\")(\"\\n\") ts;\n"
    "end;\n";

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_putn(&sb, buf, n);
    fclose(f);
    if (!sb.data)
        sb_puts(&sb, "");
    return sb_take(&sb);
}

static void collect(void *userdata, const diag *d)
{
    strbuf *sb = userdata;
    sb_printf(sb, "%s:%d:%d: %s: %s\n", d->file ? d->file : "?", d->line, d->col, diag_level_name(d->level),
              d->message);
}

/* ---- resolver over IN_DML ---- */

typedef struct env {
    ir_job *job;
    ir_dataset *in;
} env;

static ir_expr *resolve(void *userdata, const char *rec, const char *field)
{
    env *e = userdata;
    int node = !strcmp(rec, "in") || !strcmp(rec, "in0") ? 1 : !strcmp(rec, "in1") ? 2 : !strcmp(rec, "temp") ? 3 : 0;
    if (!e->in) /* corpus mode: any input, any field */
        return ir_ref(e->job, node ? node : 1, ir_intern(e->job, field));
    if (!node)
        return NULL;
    for (int i = 0; i < e->in->n_cols; i++)
        if (!strcmp(e->in->cols[i].name, field)) {
            ir_expr *r = ir_ref(e->job, node, e->in->cols[i].name);
            r->type = e->in->cols[i].type;
            return r;
        }
    return NULL;
}

static bool nullable(void *userdata, const char *out, const char *field)
{
    (void)userdata;
    (void)out;
    return !strncmp(field, "n_", 2);
}

static void xfr_to_text(strbuf *sb, const abi_xfr *x)
{
    for (int i = 0; i < x->n_fns; i++) {
        const abi_transform *t = &x->fns[i];
        sb_printf(sb, "%s :: %s(", t->out, t->name);
        for (int k = 0; k < t->n_params; k++)
            sb_printf(sb, "%s%s", k ? ", " : "", t->params[k]);
        sb_puts(sb, ")\n");
        for (int k = 0; k < t->n_rules; k++) {
            const abi_out_rule *r = &t->rules[k];
            if (r->field)
                sb_printf(sb, "  %s.%s", r->out, r->field);
            else
                sb_printf(sb, "  %s", r->out);
            if (r->n_rules > 1)
                sb_printf(sb, " [%d rules]", r->n_rules);
            sb_puts(sb, " = ");
            if (r->wildcard_from)
                sb_printf(sb, "%s.*", r->wildcard_from);
            else
                ir_expr_to_text(sb, r->expr);
            sb_putc(sb, '\n');
            if (r->expr && r->expr->kind == IR_EX_HOLE)
                sb_printf(sb, "    hole: %s\n", r->expr->u.hole.reason);
            if (r->note)
                sb_printf(sb, "    note: %s\n", r->note);
        }
        for (int k = 0; k < t->n_holes; k++)
            sb_printf(sb, "  hole: %s\n", t->holes[k]);
    }
}

/* ---- case files ---- */

static int failures, passes;

static void trim_end(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = 0;
}

static void run_case(const char *kind, const char *name, const char *input, const char *mode, char *expected,
                     int line, const char *file)
{
    strbuf msgs = STRBUF_INIT, got = STRBUF_INIT;
    diag_ctx dc;
    diag_init(&dc, collect, &msgs);
    ir_job *job = ir_job_new("t");
    if (!strcmp(kind, "dml")) {
        abi_dml *d;
        abi_dml_parse(&d, job->arena, "t.dml", input, strlen(input), &dc);
        if (d && d->record)
            abi_dataset_to_text(&got, abi_record_to_dataset(job, d->record, "t"));
    } else {
        env e = {job, NULL};
        diag_ctx q;
        diag_init(&q, collect, &msgs);
        abi_dml *in;
        abi_dml_parse(&in, job->arena, "in.dml", IN_DML, strlen(IN_DML), &q);
        e.in = abi_record_to_dataset(job, in->record, "in");
        abi_xfr_ctx ctx = {job, resolve, nullable, &e};
        abi_xfr *x;
        abi_parse_xfr(&x, &ctx, "t.xfr", input, strlen(input), &dc);
        xfr_to_text(&got, x);
    }
    int ok = 1;
    trim_end(expected);
    if (!strcmp(mode, "error")) {
        if (dc.n_errors == 0)
            ok = 0;
        char *save = NULL;
        for (char *l = strtok_r(expected, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
            if (!strstr(sb_cstr(&msgs), l))
                ok = 0;
    } else {
        char *g = (char *)sb_cstr(&got);
        trim_end(g);
        ok = dc.n_errors == 0 && !strcmp(g, expected);
    }
    if (!ok || getenv("ETLPORT_ABI_UPDATE")) {
        if (!ok)
            failures++;
        fprintf(stderr, "%s:%d: %s case '%s'\n--- got\n%s--- messages\n%s--- want\n%s\n\n", file, line,
                ok ? "update" : "FAIL", name, sb_cstr(&got), sb_cstr(&msgs), expected);
    } else {
        passes++;
    }
    ir_job_free(job);
    sb_free(&msgs);
    sb_free(&got);
}

static int run_file(const char *dir, const char *kind)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.cases", dir, kind);
    char *text = read_all(path);
    if (!text) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    char *p = strstr(text, "\n=== ");
    while (p) {
        p++;
        char *eol = strchr(p, '\n');
        if (!eol)
            break;
        *eol = 0;
        char *name = p + 4;
        int line = 1;
        for (char *c = text; c < p; c++)
            line += *c == '\n';
        char *body = eol + 1;
        char *sep = strstr(body, "\n--- ");
        if (!sep)
            break;
        *sep = 0;
        char *mode = sep + 5;
        char *meol = strchr(mode, '\n');
        if (!meol)
            break;
        *meol = 0;
        char *exp = meol + 1;
        char *nextc = strstr(exp, "\n=== ");
        if (nextc)
            *nextc = 0;
        char *input = strdup(body), *expected = strdup(exp);
        run_case(kind, name, input, mode, expected, line, path);
        free(input);
        free(expected);
        p = nextc;
    }
    free(text);
    return 0;
}

/* ---- corpus ---- */

typedef struct tally {
    int dml, dml_ok, xfr, xfr_ok, fns, outs, holes;
} tally;

static void count_holes(const ir_expr *e, int *n)
{
    if (!e)
        return;
    if (e->kind == IR_EX_HOLE)
        (*n)++;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            count_holes(e->u.call.args[i], n);
}

static void corpus_file(const char *path, tally *t)
{
    size_t n = strlen(path);
    int is_dml = n > 4 && !strcmp(path + n - 4, ".dml"), is_xfr = n > 4 && !strcmp(path + n - 4, ".xfr");
    if (!is_dml && !is_xfr)
        return;
    char *text = read_all(path);
    if (!text)
        return;
    strbuf msgs = STRBUF_INIT;
    diag_ctx dc;
    diag_init(&dc, collect, &msgs);
    ir_job *job = ir_job_new("corpus");
    int rc;
    if (is_dml) {
        abi_dml *d;
        rc = abi_dml_parse(&d, job->arena, path, text, strlen(text), &dc);
        if (d && d->record)
            abi_record_to_dataset(job, d->record, "main");
        t->dml++;
        t->dml_ok += rc == 0;
    } else {
        env e = {job, NULL};
        abi_xfr_ctx ctx = {job, resolve, NULL, &e};
        abi_xfr *x;
        rc = abi_parse_xfr(&x, &ctx, path, text, strlen(text), &dc);
        t->xfr++;
        t->xfr_ok += rc == 0;
        t->fns += x->n_fns;
        for (int i = 0; i < x->n_fns; i++) {
            t->outs += x->fns[i].n_rules;
            for (int k = 0; k < x->fns[i].n_rules; k++) {
                strbuf sb = STRBUF_INIT;
                if (x->fns[i].rules[k].expr)
                    ir_expr_to_text(&sb, x->fns[i].rules[k].expr);
                sb_free(&sb);
                count_holes(x->fns[i].rules[k].expr, &t->holes);
            }
        }
    }
    printf("%s %s\n", rc == 0 ? "ok    " : "errors", path);
    if (rc != 0)
        fputs(sb_cstr(&msgs), stdout);
    ir_job_free(job);
    sb_free(&msgs);
    free(text);
}

static void walk(const char *dir, tally *t)
{
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, alphasort);
    if (n < 0)
        return;
    for (int i = 0; i < n; i++) {
        const char *nm = ents[i]->d_name;
        if (nm[0] != '.') {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, nm);
            struct stat st;
            if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
                walk(path, t);
            else
                corpus_file(path, t);
        }
        free(ents[i]);
    }
    free(ents);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "cases")) {
        run_file(argv[2], "dml");
        run_file(argv[2], "xfr");
        printf("%d passed, %d failed\n", passes, failures);
        return failures ? 1 : 0;
    }
    if (argc >= 3 && !strcmp(argv[1], "corpus")) {
        struct stat st;
        if (stat(argv[2], &st) != 0) {
            printf("corpus %s absent: skipped\n", argv[2]);
            return 0;
        }
        tally t = {0};
        walk(argv[2], &t);
        printf("dml: %d/%d parse fully; xfr: %d/%d parse fully; %d transform functions, %d output fields, "
               "%d expression holes\n",
               t.dml_ok, t.dml, t.xfr_ok, t.xfr, t.fns, t.outs, t.holes);
        if (argc >= 4 && !strcmp(argv[3], "--all") && (t.dml_ok != t.dml || t.xfr_ok != t.xfr))
            return 1;
        return 0;
    }
    fprintf(stderr, "usage: test_abinitio cases DIR | corpus DIR [--all]\n");
    return 2;
}
