/*
 * sqlfe_flow.c — a SQL script's orchestration as a workflow (ir/ir_flow.h, IR_FLOW_SCRIPT named
 * after the file; docs/flows-abinitio-sql.md, "SQL scripts").
 *
 * The frontend notes every statement's outcome here (sqlfe_frontend.c, report()); at the end of
 * the file:
 *   - a script: one task per job and per procedural unit the file produced, in file order — a JOB
 *     task naming the job or unit exactly as it was handed over — chained by SUCCESS edges where
 *     the client stops at the first error and by unconditional edges where it goes on. Every
 *     client the dialects stand for goes on by default (SQL*Plus WHENEVER SQLERROR CONTINUE, psql
 *     / nzsql ON_ERROR_STOP off, sqlcmd without -b or `:on error exit`, the DB2 CLP without -s,
 *     BTEQ without MAXERROR); the script's own setting switches it (`WHENEVER SQLERROR EXIT`,
 *     `\set ON_ERROR_STOP on`, `:on error exit`, `UPDATE COMMAND OPTIONS USING S ON`,
 *     `.SET MAXERROR n`).
 *   - a BTEQ script: the flow is the orchestration view of its script unit, which stays the
 *     executable artifact. Tasks are the unit's statement groups — the steps between two control
 *     points (.LABEL, .GOTO, .QUIT, .IF ... THEN .GOTO / .QUIT) — as SQL tasks holding the
 *     group's legacy text and naming the unit, its steps and the jobs its statements became; a
 *     group after `.LABEL L` is task L. `.IF ERRORCODE <> 0 THEN .GOTO L` is a FAILURE edge to L
 *     and a SUCCESS edge to what follows; other conditions are canonical expressions over
 *     "<task>.error_code" / "<task>.activity_count". `.QUIT n` (n not 0) is a CONTROL task that
 *     fails the flow with return code n. Without a test BTEQ goes on after an error: the edge is
 *     unconditional.
 * A file with fewer than two tasks gets no flow: one job needs no DAG.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "frontends/sql/sqlfe_internal.h"
#include "ir/ir_flow.h"

typedef struct flow_note {
    int line, col;
    const char *job;   /* the job the statement became, or NULL */
    const char *units; /* the unit(s) it became, comma-separated, or NULL */
    bool stop;         /* the client stops at an error of this statement */
} flow_note;

struct sqlfe_flowb {
    arena *a;
    sqlfe_dialect d;
    const char *script;
    const char *path;
    bool stop; /* stop-on-error in force */
    const char *stop_by; /* the command that set it, or NULL */
    flow_note *notes;
    int n, cap;
};

sqlfe_flowb *sqlfe_flow_begin(arena *scratch, sqlfe_dialect d, const char *script, const char *path)
{
    sqlfe_flowb *b = arena_alloc(scratch, sizeof *b);
    memset(b, 0, sizeof *b);
    b->a = scratch;
    b->d = d;
    b->script = script;
    b->path = path;
    return b;
}

/* Whether text starts with the words of pat (blanks between words are any run of blanks). */
static bool words_at(const char *t, const char *pat)
{
    while (*pat) {
        if (*pat == ' ') {
            if (!isspace((unsigned char)*t))
                return false;
            while (isspace((unsigned char)*t))
                t++;
            pat++;
            continue;
        }
        if (tolower((unsigned char)*t) != tolower((unsigned char)*pat))
            return false;
        t++;
        pat++;
    }
    return !isalnum((unsigned char)*t) && *t != '_';
}

/* A client setting that switches stop-on-error: 1 on, 0 off, -1 none. */
static int stop_setting(sqlfe_dialect d, const char *t)
{
    while (isspace((unsigned char)*t))
        t++;
    if (words_at(t, "WHENEVER SQLERROR EXIT"))
        return 1;
    if (words_at(t, "WHENEVER SQLERROR CONTINUE"))
        return 0;
    if (words_at(t, "\\set ON_ERROR_STOP")) {
        const char *v = t + 18;
        while (isspace((unsigned char)*v))
            v++;
        return words_at(v, "off") || words_at(v, "0") || words_at(v, "false") ? 0 : 1;
    }
    if (words_at(t, ":on error exit"))
        return 1;
    if (words_at(t, ":on error ignore"))
        return 0;
    if (words_at(t, "UPDATE COMMAND OPTIONS USING S ON"))
        return 1;
    if (words_at(t, "UPDATE COMMAND OPTIONS USING S OFF"))
        return 0;
    if (d == SQLFE_TERADATA && (words_at(t, ".SET MAXERROR") || words_at(t, ".MAXERROR"))) {
        const char *v = t + (words_at(t, ".SET MAXERROR") ? 13 : 9);
        while (isspace((unsigned char)*v))
            v++;
        /* BTEQ ends when an error's severity exceeds n; ordinary SQL errors have severity 8 */
        return isdigit((unsigned char)*v) && atoi(v) < 8 ? 1 : 0;
    }
    return -1;
}

void sqlfe_flow_note(sqlfe_flowb *b, const char *text, size_t len, int line, int col, const char *job,
                     const char *units, bool is_command)
{
    char *t = arena_strndup(b->a, text, len);
    int s = stop_setting(b->d, t);
    if (s >= 0) {
        b->stop = s == 1;
        b->stop_by = b->stop ? t : NULL;
    }
    if (is_command || (!job && !units))
        return;
    flow_note n = {line, col, job ? arena_strdup(b->a, job) : NULL, units ? arena_strdup(b->a, units) : NULL,
                   b->stop};
    ARENA_PUSH(b->a, b->notes, b->n, b->cap, n);
}

static ir_expr *status_is(ir_flow *f, const char *task, const char *status)
{
    const char *p = ir_flow_intern(f, arena_printf(f->job->arena, "%s.status", task));
    return ir_call2(f->job, IR_FN_EQ, ir_param_ref(f->job, p), ir_lit_str(f->job, status));
}

static const char *default_client(sqlfe_dialect d)
{
    switch (d) {
    case SQLFE_ORACLE: return "SQL*Plus: goes on after an error unless WHENEVER SQLERROR EXIT";
    case SQLFE_TSQL: return "sqlcmd: goes on after an error unless -b or :on error exit";
    case SQLFE_TERADATA: return "BTEQ: goes on after an error unless MAXERROR or an .IF ERRORCODE test";
    case SQLFE_DB2: return "DB2 CLP: goes on after an error unless -s (UPDATE COMMAND OPTIONS USING S ON)";
    case SQLFE_NETEZZA: return "nzsql: goes on after an error unless ON_ERROR_STOP";
    default: return "psql-style client: goes on after an error unless ON_ERROR_STOP";
    }
}

static ir_flow *new_flow(sqlfe_flowb *b)
{
    ir_flow *f = ir_flow_new(IR_FLOW_SCRIPT, b->script);
    f->format = "sql";
    f->folder = ir_flow_intern(f, b->script); /* the folder the file's jobs and units go to */
    f->file = ir_flow_intern(f, b->path);
    f->span = (ir_span){f->file, 1, 1};
    ir_flow_add_prop(f, "dialect", sqlfe_dialect_name(b->d));
    ir_flow_add_prop(f, "on_error_default", default_client(b->d));
    return f;
}

/* A unique task name from base. */
static const char *unique_name(ir_flow *f, const char *base)
{
    if (ir_flow_task_index(f, base) < 0)
        return base;
    for (int k = 2;; k++) {
        const char *n = arena_printf(f->job->arena, "%s_%d", base, k);
        if (ir_flow_task_index(f, n) < 0)
            return n;
    }
}

ir_flow *sqlfe_flow_script(sqlfe_flowb *b)
{
    int n_tasks = 0;
    for (int i = 0; i < b->n; i++) {
        if (b->notes[i].job)
            n_tasks++;
        for (const char *p = b->notes[i].units; p; p = strchr(p, ','), p = p ? p + 1 : NULL)
            n_tasks++;
    }
    if (n_tasks < 2)
        return NULL;
    ir_flow *f = new_flow(b);
    int prev = -1;
    bool prev_stop = false;
    for (int i = 0; i < b->n; i++) {
        const flow_note *n = &b->notes[i];
        ir_span sp = {f->file, n->line, n->col};
        /* the job, then each unit, as handed over */
        const char *names[64];
        bool is_unit[64];
        int k = 0;
        if (n->job) {
            names[k] = n->job;
            is_unit[k++] = false;
        }
        for (const char *p = n->units; p && k < 64;) {
            while (*p == ' ' || *p == ',')
                p++;
            const char *e = strchr(p, ',');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            if (l) {
                names[k] = arena_strndup(b->a, p, l);
                is_unit[k++] = true;
            }
            p = e;
        }
        for (int j = 0; j < k; j++) {
            ir_task *t = ir_flow_add_task(f, IR_TASK_JOB, unique_name(f, names[j]), sp);
            t->job = ir_flow_intern(f, names[j]);
            if (is_unit[j])
                ir_task_add_prop(f, t, "artifact", "unit");
            int me = f->n_tasks - 1;
            if (prev >= 0)
                ir_flow_add_edge(f, prev, me, prev_stop ? status_is(f, f->tasks[prev]->name, "SUCCEEDED") : NULL,
                                 NULL, sp);
            prev = me;
            prev_stop = n->stop;
        }
    }
    if (b->stop_by || prev_stop)
        ir_flow_add_prop(f, "on_error", "stop (set by the script)");
    return f;
}

/* ---- BTEQ ---- */

typedef struct bteq_b {
    sqlfe_flowb *b;
    const ir_unit *u;
    const ir_pblock *steps;
    ir_flow *f;
    int *group_task;  /* per step: the task of the group it starts, else -1 */
    int *group_end;   /* per group start: its last step */
    bool *entered;    /* per task: reached from the script's start */
    int depth;
    int budget;       /* walks left: jumps between control steps alone cannot blow the walk up */
} bteq_b;

/* A unit step's span with the file named from the flow's own arena (the unit goes first). */
static ir_span fspan(const ir_flow *f, ir_span sp)
{
    sp.file = f->file;
    return sp;
}

static bool is_errorcode(const ir_expr *e, const char *name)
{
    return e && e->kind == IR_EX_PARAM && !strcasecmp(e->u.param.name, name);
}

static bool is_zero(const ir_expr *e)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.text && !strcmp(e->u.lit.text, "0");
}

/* Renames the unit's BTEQ variables to the attributes of task src in a copy of e. */
static void rename_vars(ir_flow *f, ir_expr *e, const char *src)
{
    if (!e)
        return;
    if (e->kind == IR_EX_PARAM) {
        if (!strcasecmp(e->u.param.name, "errorcode"))
            e->u.param.name = ir_flow_intern(f, arena_printf(f->job->arena, "%s.error_code", src));
        else if (!strcasecmp(e->u.param.name, "activitycount"))
            e->u.param.name = ir_flow_intern(f, arena_printf(f->job->arena, "%s.activity_count", src));
        return;
    }
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            rename_vars(f, e->u.call.args[i], src);
}

/*
 * The condition c of an .IF after task src, as the flow reads it: ERRORCODE <> 0 (or > 0) is
 * src failed, ERRORCODE = 0 src succeeded, anything else a canonical expression over src's
 * attributes. neg: the condition's negation (the way on when the .IF does not jump).
 */
static ir_expr *if_cond(bteq_b *B, const ir_expr *c, int src, bool neg)
{
    ir_flow *f = B->f;
    if (src < 0) {
        ir_expr *h = ir_hole(f->job, "ERRORCODE before any statement", "a test before the script's first statement");
        return neg ? ir_call1(f->job, IR_FN_NOT, h) : h;
    }
    const char *name = f->tasks[src]->name;
    if (c && c->kind == IR_EX_CALL && c->u.call.n_args == 2) {
        const ir_expr *a = c->u.call.args[0], *z = c->u.call.args[1];
        if (is_errorcode(a, "errorcode") && is_zero(z)) {
            ir_fn fn = c->u.call.fn;
            if (fn == IR_FN_NE || fn == IR_FN_GT)
                return status_is(f, name, neg ? "SUCCEEDED" : "FAILED");
            if (fn == IR_FN_EQ)
                return status_is(f, name, neg ? "FAILED" : "SUCCEEDED");
        }
    }
    ir_expr *e = ir_expr_copy(f->job, c);
    rename_vars(f, e, name);
    return neg ? ir_call1(f->job, IR_FN_NOT, e) : e;
}

static ir_expr *and_of(ir_flow *f, ir_expr *a, ir_expr *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return ir_call2(f->job, IR_FN_AND, a, b);
}

/* The control task of a `.QUIT n` step with n not 0 (one per return code), made on first use;
 * -1 for .QUIT 0 and .QUIT without a code. */
static int quit_task(bteq_b *B, const ir_pstmt *q)
{
    if (!q->value || is_zero(q->value))
        return -1;
    ir_flow *f = B->f;
    bool lit = q->value->kind == IR_EX_LIT && q->value->u.lit.text;
    const char *rc = lit ? q->value->u.lit.text : NULL;
    const char *name =
        lit ? arena_printf(f->job->arena, "quit_%s", rc) : arena_printf(f->job->arena, "quit_%d", q->span.line);
    int ti = ir_flow_task_index(f, name);
    if (ti >= 0 && f->tasks[ti]->kind == IR_TASK_CONTROL)
        return ti;
    ir_task *t = ir_flow_add_task(f, IR_TASK_CONTROL, unique_name(f, name), fspan(f, q->span));
    t->control = "fail_top";
    t->text = ir_flow_intern(f, q->text);
    if (rc)
        ir_task_add_prop(f, t, "return_code", rc);
    return f->n_tasks - 1;
}

static void edge_to(bteq_b *B, int src, int to, ir_expr *cond, const ir_pstmt *at)
{
    if (to < 0)
        return;
    if (!cond && src >= 0 && B->b->stop) /* MAXERROR: BTEQ ends at an error, so going on means success */
        cond = status_is(B->f, B->f->tasks[src]->name, "SUCCEEDED");
    if (src < 0) {
        B->entered[to] = true;
        /* reached from the start under a condition: keep the condition for review */
        if (cond) {
            strbuf sb = STRBUF_INIT;
            ir_expr_to_text(&sb, cond);
            ir_task_add_prop(B->f, B->f->tasks[to], "entry_condition", sb_cstr(&sb));
            sb_free(&sb);
        }
        return;
    }
    for (int i = 0; i < B->f->n_edges; i++)
        if (B->f->edges[i].from == src && B->f->edges[i].to == to && !cond && !B->f->edges[i].cond)
            return;
    ir_flow_add_edge(B->f, src, to, cond, at ? at->text : NULL, at ? fspan(B->f, at->span) : (ir_span){0});
}

/* The step of label name after from: BTEQ's .GOTO only skips forward (to the end when the label
 * does not follow). -1 when none. */
static int label_step(const bteq_b *B, const char *name, int from)
{
    return name && name[0] ? ir_pblock_label_index(B->steps, name, from + 1) : -1;
}

/* A jump or fall-through into step pos from task src under cond: links src to the first task the
 * script reaches from there. */
static void reach(bteq_b *B, int pos, int src, ir_expr *cond, const ir_pstmt *at)
{
    if (B->budget-- <= 0)
        return;
    if (++B->depth > 64) { /* BTEQ jumps forward only; a deeper chain is malformed */
        B->depth--;
        return;
    }
    const ir_pblock *st = B->steps;
    ir_flow *f = B->f;
    for (int i = pos; i < st->n; i++) {
        const ir_pstmt *s = st->stmts[i];
        if (B->group_task[i] >= 0) {
            edge_to(B, src, B->group_task[i], cond, at);
            break;
        }
        const ir_expr *gc = NULL;
        const ir_pstmt *g = ir_pstmt_as_goto(s, &gc);
        if (g) {
            int l = label_step(B, g->name, i);
            if (gc) {
                if (l >= 0)
                    reach(B, l, src, and_of(f, ir_expr_copy(f->job, cond), if_cond(B, gc, src, false)), s);
                else
                    ir_flow_add_prop(f, "unresolved_goto", s->text);
                cond = and_of(f, cond, if_cond(B, gc, src, true));
                at = s;
                continue;
            }
            if (l >= 0)
                reach(B, l, src, cond, at);
            else
                ir_flow_add_prop(f, "unresolved_goto", s->text);
            break;
        }
        if (s->kind == IR_PS_IF && s->n_conds == 1 && !s->has_else && s->blocks[0].n == 1 &&
            s->blocks[0].stmts[0]->kind == IR_PS_QUIT) {
            /* .IF cond THEN .QUIT n */
            int qt = quit_task(B, s->blocks[0].stmts[0]);
            edge_to(B, src, qt, and_of(f, ir_expr_copy(f->job, cond), if_cond(B, s->conds[0], src, false)), s);
            cond = and_of(f, cond, if_cond(B, s->conds[0], src, true));
            at = s;
            continue;
        }
        if (s->kind == IR_PS_QUIT) {
            edge_to(B, src, quit_task(B, s), cond, at);
            break;
        }
        /* labels and client commands outside groups: on to the next step */
    }
    B->depth--;
}

/* A step that starts or continues a statement group (not a control point, not a label). */
static bool work_step(const ir_pstmt *s)
{
    const ir_expr *c;
    if (s->kind == IR_PS_LABEL || s->kind == IR_PS_GOTO || s->kind == IR_PS_QUIT || ir_pstmt_as_goto(s, &c))
        return false;
    if (s->kind == IR_PS_IF && s->n_conds == 1 && s->blocks[0].n == 1 && s->blocks[0].stmts[0]->kind == IR_PS_QUIT)
        return false;
    return true;
}

ir_flow *sqlfe_flow_bteq(sqlfe_flowb *b, const ir_unit *u)
{
    if (!u || !u->body.blocks)
        return NULL;
    const ir_pblock *st = &u->body.blocks[0];
    /* A volatile table lives as long as the script's session: groups run as separate tasks would
     * each have a session of their own and not see it. Such a script runs whole, as its unit,
     * whose procedure keeps the .IF / .GOTO flow: no flow of its own. */
    for (int i = 0; i < st->n; i++) {
        const ir_stmt *stmt = st->stmts[i]->kind == IR_PS_SQL ? st->stmts[i]->stmt : NULL;
        if (stmt && stmt->kind == IR_ST_CREATE_TABLE && stmt->temporary)
            return NULL;
    }
    ir_flow *f = new_flow(b);
    bteq_b B = {b, u, st, f, NULL, NULL, NULL, 0, 100000};
    size_t n = (size_t)st->n + 1;
    B.group_task = arena_alloc(b->a, n * sizeof *B.group_task);
    B.group_end = arena_alloc(b->a, n * sizeof *B.group_end);
    B.entered = arena_alloc(b->a, 2 * n * sizeof *B.entered); /* per task: at most one per step */
    for (size_t i = 0; i < n; i++)
        B.group_task[i] = B.group_end[i] = -1;
    const char *connection = NULL;
    /* groups: runs of work steps; client commands join a group but never start one */
    int open = -1;
    const char *label = NULL;
    for (int i = 0; i < st->n; i++) {
        const ir_pstmt *s = st->stmts[i];
        if (s->kind == IR_PS_COMMAND && s->text && words_at(s->text, ".LOGON") && !connection) {
            const char *h = s->text + 6;
            while (*h == ' ' || *h == '\t')
                h++;
            size_t l = strcspn(h, "/,; \t\r\n");
            if (l)
                connection = arena_strndup(b->a, h, l);
        }
        if (!work_step(s)) {
            open = -1;
            if (s->kind == IR_PS_LABEL)
                label = s->name;
            continue;
        }
        if (open < 0 && s->kind == IR_PS_COMMAND)
            continue;
        if (open < 0) {
            open = i;
            const char *nm = label && label[0] ? label : arena_printf(b->a, "step_%d", s->span.line);
            ir_flow_add_task(f, IR_TASK_SQL, unique_name(f, nm), fspan(f, s->span));
            B.group_task[i] = f->n_tasks - 1;
            label = NULL;
        }
        B.group_end[open] = i;
    }
    /* each group's text, the unit's steps it covers, the jobs of its statements */
    for (int i = 0; i < st->n; i++) {
        if (B.group_task[i] < 0)
            continue;
        ir_task *t = f->tasks[B.group_task[i]];
        strbuf sql = STRBUF_INIT, jobs = STRBUF_INIT;
        int holes = 0;
        for (int k = i; k <= B.group_end[i]; k++) {
            const ir_pstmt *s = st->stmts[k];
            if (sql.len)
                sb_putc(&sql, '\n');
            sb_puts(&sql, s->text ? s->text : "");
            if (s->kind == IR_PS_HOLE || (s->kind == IR_PS_SQL && s->stmt && s->stmt->kind == IR_ST_HOLE))
                holes++;
            for (int j = 0; j < b->n; j++)
                if (b->notes[j].job && b->notes[j].line == s->span.line && b->notes[j].col == s->span.col) {
                    if (jobs.len)
                        sb_puts(&jobs, ", ");
                    sb_puts(&jobs, b->notes[j].job);
                }
        }
        t->sql = ir_flow_intern(f, sb_cstr(&sql));
        t->sql_dialect = ir_flow_intern(f, sqlfe_dialect_name(b->d));
        t->connection = ir_flow_intern(f, connection);
        ir_task_add_prop(f, t, "unit", u->name);
        ir_task_add_prop(f, t, "unit_steps", arena_printf(b->a, "%d-%d", i + 1, B.group_end[i] + 1));
        if (jobs.len)
            ir_task_add_prop(f, t, "jobs", sb_cstr(&jobs));
        if (holes)
            ir_task_add_prop(f, t, "hole_steps", arena_printf(b->a, "%d", holes));
        ir_task_add_prop(f, t, "on_error", "continue (BTEQ runs the group's later statements after an error)");
        sb_free(&sql);
        sb_free(&jobs);
    }
    /* edges: from the start, then from each group the script reaches, in file order (jumps only
     * go forward, so every way into a group is known when it comes); a group nothing leads to
     * (after a .QUIT, under a label no .GOTO names) never runs: disabled, and no way out of it */
    reach(&B, 0, -1, NULL, NULL);
    for (int i = 0; i < st->n; i++) {
        int t = B.group_task[i];
        if (t < 0)
            continue;
        bool in = B.entered[t];
        for (int k = 0; k < f->n_edges && !in; k++)
            in = f->edges[k].to == t;
        if (!in) {
            f->tasks[t]->disabled = true;
            ir_task_add_prop(f, f->tasks[t], "unreachable", "no statement of the script leads here");
            continue;
        }
        reach(&B, B.group_end[i] + 1, t, NULL, NULL);
    }
    /* a task several ways lead to runs when any of them is taken (the ways exclude each other) */
    for (int i = 0; i < f->n_tasks; i++) {
        int in = 0;
        for (int k = 0; k < f->n_edges; k++)
            in += f->edges[k].to == i;
        if (in > 1)
            f->tasks[i]->join_or = true;
    }
    if (b->stop_by)
        ir_flow_add_prop(f, "on_error", arena_printf(b->a, "stop (%s)", b->stop_by));
    if (f->n_tasks < 2) {
        ir_flow_free(f);
        return NULL;
    }
    return f;
}
