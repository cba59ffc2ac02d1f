/*
 * abi_runsql.c — Run SQL components: their SQL text read through the SQL frontend (frontends/sql)
 * into one procedural script unit per graph, and the graph's phases as a flow that runs the unit's
 * statements and the graph's job in order.
 *
 * Why a unit and a flow and not a node: a Run SQL that no flow touches runs statements against a
 * database beside the data flow — it has no rows to hand on, so it has no place in a job's graph.
 * The IR already has the two forms a SQL script becomes (docs/sql-scripts.md): a script unit whose
 * steps are translated statements (ir/ir_unit.h), and a flow whose SQL tasks run ranges of those
 * steps. A Run SQL that flows do touch stays a procedure node (a hole) in the job: what its ports
 * carry is not publicly known. docs/abinitio-frontend.md, "Run SQL".
 */
#include "frontends/abinitio/abi_graph_internal.h"
#include "frontends/sql/sqlfe.h"
#include "ir/ir_flow.h"
#include "ir/ir_unit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool abi_run_sql_apart(const abi_graph *g, int ci)
{
    const abi_comp *c = &g->comps[ci];
    if (!c->kind || strcmp(c->kind, "Run SQL") != 0)
        return false;
    for (int i = 0; i < g->n_flows; i++)
        if (g->flows[i].from == ci || g->flows[i].to == ci)
            return false;
    return true;
}

/* [I] run_sql_text: the statements are the `sql` parameter (also spelled `SQL`), the name the
 * reference gives Input Table's query; Run SQL's own parameter names are not in the reference. */
static const abi_gparam *run_sql_text(const abi_comp *c)
{
    const abi_gparam *p = abi_comp_param(c, "sql");
    if (!p || !p->value || !*p->value)
        p = abi_comp_param(c, "SQL");
    return p && p->value && *p->value ? p : NULL;
}

/* [I] run_sql_dialect: the database is described by the `.dbc` file the component names (`dbc`
 * parameter, as for Input Table); its `dbms: NAME` line (a public sample shows `teradata`,
 * `oracle`, `mssql`) gives the dialect. Anything else reads as ANSI SQL, and *why says so. */
static sqlfe_dialect run_sql_dialect(arena *a, const abi_comp *c, const abi_lower_opts *opt, const char **why)
{
    const char *v = abi_comp_value(c, "dbc");
    if (!v) {
        *why = "no dbc parameter: the database is not known, read as ANSI SQL";
        return SQLFE_ANSI;
    }
    const char *path = abi_subst(a, v, opt->sandbox, opt->pset);
    size_t len;
    char *text = opt->embedded_only || strchr(path, '$') ? NULL : abi_read_file(a, path, &len);
    if (!text) {
        *why = arena_printf(a, "the dbc file %s cannot be read: the database is not known, read as ANSI SQL", v);
        return SQLFE_ANSI;
    }
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (strncmp(line, "dbms", 4) != 0)
            continue;
        char *p = line + 4;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != ':')
            continue;
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        size_t n = strcspn(p, " \t\r#");
        const char *name = arena_strndup(a, p, n);
        int d = sqlfe_dialect_by_name(name);
        if (d < 0) {
            *why = arena_printf(a, "%s says dbms: %s, a dialect the SQL reader does not know: read as ANSI SQL", v,
                                name);
            return SQLFE_ANSI;
        }
        *why = arena_printf(a, "%s: dbms: %s", v, name);
        return (sqlfe_dialect)d;
    }
    *why = arena_printf(a, "%s has no dbms line: read as ANSI SQL", v);
    return SQLFE_ANSI;
}

/* The connection a `.dbc` path names: its file name without the extension (`crm` for
 * `$AI_DB/crm.dbc`), or NULL. */
static const char *dbc_name(arena *a, const char *path)
{
    if (!path)
        return NULL;
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    return arena_strndup(a, b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

/* Where byte off of text lies, text starting at (line, col). */
static ir_span span_in(const char *file, const char *text, size_t off, int line, int col)
{
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    return (ir_span){file, line, col};
}

/* Whether s holds a $NAME / ${NAME} reference inside quotes (a string or a quoted name): Ab
 * Initio substitutes it into the text before the database reads it [C: `$`/`${}` substitution],
 * where the SQL reader would see literal text. Comments are skipped. */
static bool param_in_quotes(const char *s, size_t n)
{
    char q = 0;
    for (size_t i = 0; i < n; i++) {
        if (q) {
            bool name = i + 1 < n && (s[i + 1] == '{' || s[i + 1] == '_' || isalpha((unsigned char)s[i + 1]));
            if (s[i] == q)
                q = 0;
            else if (s[i] == '$' && name)
                return true;
        } else if (s[i] == '\'' || s[i] == '"') {
            q = s[i];
        } else if (s[i] == '-' && i + 1 < n && s[i + 1] == '-') {
            while (i < n && s[i] != '\n')
                i++;
        } else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
            for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'); i++)
                ;
            i++;
        }
    }
    return false;
}

/* One Run SQL component's statements appended to the unit's steps; returns how many. */
static int read_statements(ir_unit *u, ir_pblock *steps, const abi_comp *c, const abi_gparam *p, sqlfe_dialect d,
                           diag_ctx *dc, int *holes)
{
    arena *scratch = arena_new();
    const char *text = p->value;
    size_t len = strlen(text);
    int line = p->line ? p->line : c->line, col = p->line ? p->col : c->col;
    const char *file = u->file;
    sqlfe_script sc;
    sqlfe_parse_script(scratch, text, len, d, &sc);
    int n = 0;
    for (int i = 0; i < sc.n_stmts; i++) {
        const sqlfe_stmt *st = &sc.stmts[i];
        const char *s = text + st->start;
        size_t sl = st->end - st->start;
        ir_span sp = span_in(file, text, st->start, line, col);
        const char *raw = ir_intern(u->job, arena_strndup(scratch, s, sl));
        ir_pstmt *step = NULL;
        const char *why = NULL;
        if (param_in_quotes(s, sl)) {
            why = "a $parameter inside quotes: substituted into the text at run time, which the translated "
                  "statement cannot do";
        } else if (sqlfe_stmt_kind_parsed(st->kind) && st->ast) {
            ir_stmt *is = sqlfe_lower_stmt(u->job, s, sl, d, NULL, sp, dc);
            if (is) {
                step = ir_pstmt_new(u, IR_PS_SQL, sp, raw);
                step->stmt = is;
            }
        } else if (st->kind == SQLFE_ST_OTHER) {
            ir_stmt *is = sqlfe_lower_other(u->job, s, sl, d, NULL, sp, dc);
            if (is) {
                step = ir_pstmt_new(u, IR_PS_SQL, sp, raw);
                step->stmt = is;
            }
        }
        if (!step) {
            step = ir_pstmt_new(u, IR_PS_HOLE, sp, raw);
            if (!why && st->ast)
                why = "the SQL reader could not translate it (its message says why)";
            else if (!why && st->error)
                why = arena_printf(u->job->arena, "the SQL reader: %s", st->error);
            else if (!why && st->kind == SQLFE_ST_PROCEDURAL)
                why = "a procedural block in a Run SQL statement is not read";
            else if (!why)
                why = "a statement the SQL reader keeps as text (not a query, DML or DDL it translates)";
            step->hole_reason = why;
        }
        if (step->kind == IR_PS_HOLE || (step->stmt && step->stmt->kind == IR_ST_HOLE))
            (*holes)++;
        ir_pblock_add(u, steps, step);
        n++;
    }
    arena_free(scratch);
    return n;
}

ir_expr *abi_flow_status_is(ir_flow *f, const char *task, const char *status)
{
    const char *p = ir_flow_intern(f, arena_printf(f->job->arena, "%s.status", task));
    return ir_call2(f->job, IR_FN_EQ, ir_param_ref(f->job, p), ir_lit_str(f->job, status));
}

/* Run SQL components apart from the data flow, by phase (unknown first), then graph order. */
static int sql_order(const abi_graph *g, int *out)
{
    int n = 0;
    for (int i = 0; i < g->n_comps; i++)
        if (abi_run_sql_apart(g, i))
            out[n++] = i;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && g->comps[out[j - 1]].phase > g->comps[out[j]].phase; j--) {
            int t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}

int abi_graph_run_sql(const abi_graph *g, const abi_lower_opts *opt, const char *job_name, diag_ctx *dc,
                      ir_unit **out_unit, ir_flow **out_flow)
{
    abi_lower_opts none = {0};
    if (!opt)
        opt = &none;
    *out_unit = NULL;
    *out_flow = NULL;
    int *order = malloc(sizeof *order * (size_t)(g->n_comps + 1));
    int n = sql_order(g, order);
    if (n == 0) {
        free(order);
        return 0;
    }
    arena *a = arena_new();
    if (!job_name)
        job_name = g->name;
    ir_unit *u = ir_unit_new(IR_UNIT_SCRIPT, arena_printf(a, "%s_run_sql", job_name));
    u->file = ir_intern(u->job, g->path);
    u->span = (ir_span){u->file, g->comps[order[0]].line, g->comps[order[0]].col};
    ir_pblock *steps = ir_pstmt_body(u, &u->body);

    ir_flow *f = ir_flow_new(IR_FLOW_PLAN, job_name);
    f->format = "abinitio";
    f->file = ir_flow_intern(f, g->path);
    f->span = (ir_span){f->file, 1, 1};
    if (opt->sandbox && opt->sandbox->root) {
        const char *b = strrchr(opt->sandbox->root, '/');
        f->folder = ir_flow_intern(f, b ? b + 1 : opt->sandbox->root);
    }
    f->description = ir_flow_intern(f, "the graph's phases: its Run SQL statements and its data flow");

    /* phases of the data flow */
    int lo = -1, hi = -1;
    bool unknown = false;
    for (int i = 0; i < g->n_comps; i++) {
        if (abi_run_sql_apart(g, i))
            continue;
        int ph = g->comps[i].phase;
        unknown |= ph < 0;
        if (ph >= 0 && (lo < 0 || ph < lo))
            lo = ph;
        if (ph > hi)
            hi = ph;
    }
    const char *dialect_name = NULL;
    int first_step = 1;
    int *task_of = malloc(sizeof *task_of * (size_t)(n + 1));
    for (int k = 0; k < n; k++) {
        const abi_comp *c = &g->comps[order[k]];
        ir_span cs = {f->file, c->line, c->col};
        ir_task *t = ir_flow_add_task(f, IR_TASK_SQL, c->name, cs);
        task_of[k] = f->n_tasks - 1;
        const char *why;
        sqlfe_dialect d = run_sql_dialect(a, c, opt, &why);
        if (!dialect_name)
            dialect_name = sqlfe_dialect_name(d);
        const abi_gparam *p = run_sql_text(c);
        int holes = 0, got = 0;
        if (p) {
            got = read_statements(u, steps, c, p, d, dc, &holes);
            t->sql = ir_flow_intern(f, p->value);
        }
        if (!got) {
            ir_pstmt *h = ir_pstmt_new(u, IR_PS_HOLE, (ir_span){u->file, c->line, c->col},
                                       ir_intern(u->job, arena_printf(a, "Run SQL %s", c->name)));
            h->hole_reason = "Run SQL without SQL text (no sql parameter)";
            ir_pblock_add(u, steps, h);
            got = 1;
            holes++;
        }
        t->sql_dialect = ir_flow_intern(f, sqlfe_dialect_name(d));
        t->connection = ir_flow_intern(f, dbc_name(a, abi_comp_value(c, "dbc")));
        ir_task_add_prop(f, t, "unit", u->name);
        ir_task_add_prop(f, t, "unit_steps", arena_printf(a, "%d-%d", first_step, first_step + got - 1));
        ir_task_add_prop(f, t, "dialect", why);
        if (holes)
            ir_task_add_prop(f, t, "hole_steps", arena_printf(a, "%d", holes));
        if (c->phase >= 0)
            ir_task_add_prop(f, t, "phase", arena_printf(a, "%d", c->phase));
        first_step += got;
    }
    u->dialect = dialect_name;
    ir_task *jt = ir_flow_add_task(f, IR_TASK_JOB, job_name, f->span);
    jt->job = ir_flow_intern(f, job_name);
    int job_task = f->n_tasks - 1;
    if (lo >= 0 && !unknown)
        ir_task_add_prop(f, jt, "phases", lo == hi ? arena_printf(a, "%d", lo) : arena_printf(a, "%d-%d", lo, hi));

    /* order: a phase starts when the one before it has succeeded; Run SQL in a phase before
     * every data-flow phase runs before the job, in one after every one after it; in the same
     * phases, or with phases unknown, nothing orders them. Tasks of one phase run side by side:
     * each follows every task of the phase before. */
    int *seq = malloc(sizeof *seq * (size_t)(n + 2)), *seq_phase = malloc(sizeof *seq_phase * (size_t)(n + 2));
    int n_seq = 0;
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 1) {
            seq[n_seq] = job_task;
            seq_phase[n_seq++] = -2; /* a group of its own */
            continue;
        }
        for (int k = 0; k < n; k++) {
            const abi_comp *c = &g->comps[order[k]];
            bool known = !unknown && lo >= 0 && c->phase >= 0;
            bool before = known && c->phase < lo, after = known && c->phase > hi;
            if ((pass == 0 && before) || (pass == 2 && after)) {
                seq[n_seq] = task_of[k];
                seq_phase[n_seq++] = c->phase;
            } else if (pass == 0 && !before && !after) {
                ir_task_add_prop(f, f->tasks[task_of[k]], "order",
                                 !known ? "not ordered: where a .mp graph stores a component's phase is not publicly "
                                          "known, so whether this SQL runs before, beside or after the data flow is "
                                          "unknown"
                                        : "not ordered: it runs in a phase of the data flow, beside it");
            }
        }
    }
    for (int i = 1, g0 = 0; i < n_seq; i++) {
        if (seq_phase[i] == seq_phase[i - 1])
            continue; /* same group as the task before */
        int g1 = i; /* group [g0, g1) precedes the group starting at i */
        for (int j = i; j < n_seq && seq_phase[j] == seq_phase[i]; j++)
            for (int s = g0; s < g1; s++)
                ir_flow_add_edge(f, seq[s], seq[j], abi_flow_status_is(f, f->tasks[seq[s]]->name, "SUCCEEDED"),
                                 NULL, f->span);
        g0 = g1;
    }
    free(seq);
    free(seq_phase);

    /* the unit's parameters ($NAME in the SQL): their values as the graph declares them */
    for (int i = 0; i < u->job->n_params; i++) {
        ir_param *pm = &u->job->params[i];
        for (int k = 0; k < g->n_params; k++)
            if (!strcmp(g->params[k].name, pm->name) && g->params[k].value && *g->params[k].value)
                pm->default_value = ir_intern(u->job, g->params[k].value);
        for (int k = 0; opt->pset && k < opt->pset->n; k++)
            if (!strcmp(opt->pset->entries[k].name, pm->name))
                pm->default_value = ir_intern(u->job, opt->pset->entries[k].value);
        const char *sv = abi_sandbox_get(opt->sandbox, pm->name);
        if (!pm->default_value && sv)
            pm->default_value = ir_intern(u->job, sv);
        /* the unit's input: Ab Initio substitutes the text, so its type is whatever the text is */
        ir_unit_param *up = ir_unit_add_param(u, pm->name, IR_PARAM_IN, ir_type_make(IR_TY_UNKNOWN, 0, 0));
        up->span = pm->span;
        if (pm->default_value)
            up->default_value = ir_lit_str(u->job, pm->default_value);
    }
    free(task_of);
    free(order);
    arena_free(a);
    *out_unit = u;
    *out_flow = f;
    return n;
}
