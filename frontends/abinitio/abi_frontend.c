/*
 * abi_frontend.c — the Ab Initio frontend as `etlport convert` sees it (frontends/frontend.h).
 *
 * Files it claims: graphs in the EME flatten format (any name), deployed graphs (run/<g>.ksh:
 * `mp job` ... `mp run`), parameter sets (`!prototype|...` first line: one job per pset, the
 * graph it names with the pset's values), plans in the one notation we have and shell scripts
 * that run graphs in sequence (abi_plan.c: no job, one flow handed to fe_options.on_flow), and —
 * to report them rather than skip them silently — other `.mp` and `.plan` files, which are one
 * error at 1:1 ("not an Ab Initio graph"). Paths inside graphs resolve through the file's sandbox
 * (abi_sandbox_find). .dml/.xfr files are read when a graph names them; alone they are no job.
 */
#include "frontends/abinitio/abi_graph_internal.h"
#include "frontends/frontend.h"
#include "ir/ir_flow.h"
#include "ir/ir_unit.h"

#include <string.h>
#include <sys/stat.h>

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static int detect(const char *path, const char *head, size_t n)
{
    if (abi_mp_detect(head, n) || abi_ksh_detect(head, n) || abi_pset_detect(head, n))
        return 95;
    if ((ends_with(path, ".plan") && abi_plan_detect(head, n)) || abi_wrapper_detect(path, head, n))
        return 90;
    if (ends_with(path, ".mp") || ends_with(path, ".plan"))
        return 40; /* claimed to be reported as "not an Ab Initio graph" */
    return 0;
}

static int read_graph(abi_graph **out, arena *a, const abi_sandbox *sb, const char *path, const char *text, size_t len,
                      diag_ctx *dc)
{
    if (abi_mp_detect(text, len))
        return abi_mp_parse(out, a, path, text, len, dc);
    if (abi_ksh_detect(text, len))
        return abi_ksh_parse(out, a, sb, path, text, len, dc);
    *out = NULL;
    if (ends_with(path, ".plan"))
        diag_at(dc, DIAG_ERROR, NULL, path, 1, 1,
                "not an Ab Initio graph (a Conduct>It plan in a notation the reader does not know; no real .plan "
                "syntax is publicly known)");
    else
        return abi_mp_parse(out, a, path, text, len, dc); /* reports "not an Ab Initio graph" */
    return -1;
}

/* Hands a flow to fe_options.on_flow (or frees it) and counts it. */
static void hand_flow(ir_flow *f, const fe_options *opt, void *userdata, fe_counts *counts)
{
    if (counts)
        counts->workflows++;
    if (opt && opt->on_flow)
        opt->on_flow(userdata, f);
    else
        ir_flow_free(f);
}

/* A plan or a graph-sequencing script: one flow, no job. */
static int read_flow(const char *path, const char *text, size_t len, const abi_sandbox *sb, bool plan,
                     const fe_options *opt, diag_ctx *dc, void *userdata, fe_counts *counts)
{
    ir_flow *f = NULL;
    int rc = plan ? abi_plan_read(&f, sb, path, text, len, dc) : abi_wrapper_read(&f, sb, path, text, len, dc);
    hand_flow(f, opt, userdata, counts);
    return rc;
}

static int read_file_job(const char *path, const fe_options *opt, diag_ctx *dc, fe_job_fn on_job, void *userdata,
                         fe_counts *counts)
{
    arena *a = arena_new();
    int rc = 0, errors0 = dc->n_errors;
    size_t len;
    char *text = abi_read_file(a, path, &len);
    if (!text) {
        diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "cannot read the file");
        arena_free(a);
        return -1;
    }
    abi_sandbox sb;
    abi_sandbox_find(&sb, a, path);
    bool plan = ends_with(path, ".plan") && abi_plan_detect(text, len);
    if (plan || (!abi_mp_detect(text, len) && abi_wrapper_detect(path, text, len))) {
        int rc = read_flow(path, text, len, &sb, plan, opt, dc, userdata, counts);
        arena_free(a);
        return rc;
    }
    abi_pset ps, *pset = NULL;
    const char *gpath = path, *gtext = text, *job_name = NULL;
    size_t glen = len;
    if (abi_pset_detect(text, len)) {
        if (abi_pset_parse(&ps, a, path, text, len, dc) != 0)
            rc = -1;
        pset = &ps;
        if (!ps.prototype) {
            diag_at(dc, DIAG_ERROR, NULL, path, 1, 1, "parameter set without a !prototype line");
            arena_free(a);
            return -1;
        }
        gpath = abi_subst(a, ps.prototype, &sb, NULL);
        gtext = abi_read_file(a, gpath, &glen);
        if (!gtext) {
            diag_at(dc, DIAG_ERROR, NULL, path, 1, 1, "!prototype names '%s', which cannot be read", gpath);
            arena_free(a);
            return -1;
        }
        const char *b = strrchr(path, '/');
        b = b ? b + 1 : path;
        const char *dot = strrchr(b, '.');
        job_name = arena_strndup(a, b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
    }
    abi_graph *g = NULL;
    if (read_graph(&g, a, &sb, gpath, gtext, glen, dc) != 0)
        rc = -1;
    if (g && !pset && !strcmp(g->form, "ksh") && sb.root) {
        /* the same graph checked in as mp/<g>.mp is converted from there */
        struct stat st;
        const char *mp = arena_printf(a, "%s/mp/%s.mp", sb.root, g->name);
        if (stat(mp, &st) == 0) {
            diag_at(dc, DIAG_NOTE, NULL, path, 1, 1, "graph '%s' is converted from %s", g->name, mp);
            arena_free(a);
            return rc;
        }
    }
    if (g && (g->n_comps > 0 || dc->n_errors == errors0)) {
        abi_lower_opts lo = {&sb, pset, job_name, false};
        ir_job *job = abi_graph_lower(g, &lo, dc);
        if (counts) {
            counts->jobs++;
            counts->transformations += g->n_comps;
        }
        on_job(userdata, job);
        /* Run SQL components apart from the data flow: a script unit, and the phases as a flow */
        ir_unit *unit = NULL;
        ir_flow *flow = NULL;
        if (abi_graph_run_sql(g, &lo, job_name, dc, &unit, &flow) > 0) {
            if (opt && opt->on_unit)
                opt->on_unit(userdata, unit);
            else
                ir_unit_free(unit);
            hand_flow(flow, opt, userdata, counts);
        }
    }
    if (dc->n_errors > errors0)
        rc = -1;
    arena_free(a);
    return rc;
}

const frontend abinitio_frontend = {"abinitio", detect, read_file_job};
