/*
 * airflow_dag.c — one Airflow DAG module per workflow (airflow.h; docs/airflow.md is the mapping).
 *
 * A flow is planned first (plan_flow): every task gets its task_id, Python variable and the
 * trigger rule its incoming links call for; every link gets a gate task when one trigger rule on
 * its target cannot express it (a condition evaluated at run time, a decision outcome into a task
 * with other links, links of different kinds into one task). Then the module is written: the
 * imports it needs, the helpers conditions call, the DAG with one operator per legacy task (a
 * TaskGroup per sub-flow), and last the dependencies, one legacy link per line with its origin.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends/airflow/airflow_internal.h"

enum {
    NEED_EMPTY = 1u << 0,
    NEED_BASH = 1u << 1,
    NEED_PYTHON = 1u << 2,
    NEED_BRANCH = 1u << 3,
    NEED_EMAIL = 1u << 4,
    NEED_SPARK = 1u << 5,
    NEED_SQL = 1u << 6,
    NEED_FILE = 1u << 7,
    NEED_DATETIME_SENSOR = 1u << 8,
    NEED_GROUP = 1u << 9,
    NEED_TIMEDELTA = 1u << 10,
    NEED_HELPERS = 1u << 11, /* _status, _decision, _var, _concat, _hole, _control */
    NEED_VARIABLE = 1u << 12,
    NEED_PARAM = 1u << 13,
    NEED_SPARK_SQL = 1u << 14,
};

/* How a link reaches its target (docs/airflow.md, "links"). */
enum { G_NONE, G_STATUS, G_EXPR, G_BRANCH };
/* What a link means to its target's trigger rule once gates are in place. */
enum { EK_ALWAYS, EK_SUCCESS, EK_FAILURE };

typedef struct edge_plan {
    ir_link_kind kind;
    bool branch;           /* a decision's TRUE / FALSE outcome, chosen by the decision's branch task */
    bool loop;             /* closes a cycle (a loop back): a DAG has none, so it is a hole */
    int gate;              /* G_* */
    int eff;               /* EK_* as the target sees it */
    char *gate_id, *gate_var, *gate_fn;
} edge_plan;

/* What a JOB task runs around its job, in this order: a task each (docs/airflow.md, "session
 * steps"). where: -1 before the job, 1 after it when it succeeded, 0 when it failed (a side task). */
typedef struct session_step {
    const char *prop;   /* the task property holding the command or SQL */
    const char *suffix; /* appended to the job task's task_id */
    bool sql;           /* SQLExecuteQueryOperator; else BashOperator */
    int where;
} session_step;

static const session_step session_steps[5] = {
    {"pre_session_command", "__pre_command", false, -1},
    {"pre_sql", "__pre_sql", true, -1},
    {"post_sql", "__post_sql", true, 1},
    {"post_session_success_command", "__post_command", false, 1},
    {"post_session_failure_command", "__failure_command", false, 0},
};
#define N_STEPS 5

static bool is_step_prop(const char *key)
{
    for (int i = 0; i < N_STEPS; i++)
        if (strcmp(session_steps[i].prop, key) == 0)
            return true;
    return false;
}

typedef struct task_plan {
    char *local;           /* task_id without the TaskGroup prefix */
    char *id;              /* full task_id (or group id for a sub-flow) */
    char *var;             /* Python variable of the operator or TaskGroup */
    char *step_var[5], *step_local[5]; /* JOB session steps (session_steps), NULL when absent */
    const char *rule;      /* trigger rule of the entry task; NULL: all_success (default) */
    bool renamed;          /* the legacy name had characters Airflow forbids */
    bool group;            /* a TaskGroup (enabled sub-flow) */
    int n_in;              /* incoming links, event links included */
    int event_from;        /* EVENT_WAIT on a user event: the raising task, -1 if none */
    char *end_var;         /* group: the sub-flow's end task */
} task_plan;

typedef struct flow_plan {
    const ir_flow *f;
    char *prefix;          /* "" or "group.sub." */
    task_plan *tasks;
    edge_plan *edges;
    char **ids;            /* af_scope.task_ids */
    bool *disabled;
    struct flow_plan **subs; /* per task: the sub-flow's plan, or NULL */
} flow_plan;

typedef struct emitter {
    const ir_flow *top;
    const airflow_options *opt;
    be_result *res;
    unsigned needs;
    strbuf body;           /* the tasks, inside `with DAG(...)` */
    strbuf deps;           /* the dependency lines, inside `with DAG(...)` */
    char **idents;         /* Python names taken */
    int n_idents, cap_idents;
    strbuf disabled;       /* entries of _DISABLED */
    strbuf assigned;       /* entries of _ASSIGNED_BY */
    strbuf persistent;     /* entries of _PERSISTENT */
    const char *job_target;
} emitter;

/* ---- small helpers ---- */

static char *xstrdup(const char *s)
{
    size_t n = strlen(s ? s : "");
    char *p = malloc(n + 1);
    if (!p)
        abort();
    memcpy(p, s ? s : "", n + 1);
    return p;
}

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
    strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    if (!sb.data)
        return xstrdup("");
    return sb_take(&sb);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

bool airflow_task_id(const char *name, char *buf, size_t size)
{
    bool changed = false;
    size_t n = 0;
    if (!name || !*name) {
        snprintf(buf, size, "task");
        return true;
    }
    for (const char *p = name; *p && n + 1 < size; p++) {
        char c = *p;
        if (!(isalnum((unsigned char)c) || c == '_' || c == '-')) {
            c = '_';
            changed = true;
        }
        buf[n++] = c;
    }
    buf[n] = '\0';
    return changed;
}

static bool ident_taken(const emitter *em, const char *s)
{
    for (int i = 0; i < em->n_idents; i++)
        if (strcmp(em->idents[i], s) == 0)
            return true;
    return false;
}

/* A unique Python identifier prefix + name (other characters become '_'). */
static char *new_ident(emitter *em, const char *prefix, const char *name)
{
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, prefix);
    for (const char *p = name; *p; p++)
        sb_putc(&sb, isalnum((unsigned char)*p) || *p == '_' ? *p : '_');
    char *base = sb_take(&sb);
    char *s = xstrdup(base);
    for (int k = 2; ident_taken(em, s); k++) {
        free(s);
        s = xprintf("%s_%d", base, k);
    }
    free(base);
    if (em->n_idents == em->cap_idents) {
        em->cap_idents = em->cap_idents ? em->cap_idents * 2 : 64;
        em->idents = realloc(em->idents, (size_t)em->cap_idents * sizeof *em->idents);
        if (!em->idents)
            abort();
    }
    em->idents[em->n_idents++] = xstrdup(s);
    return s;
}

/* One comment line's worth of legacy text: no line breaks, at most max bytes (then "..."). */
static void put_comment_text(strbuf *out, const char *s, size_t max)
{
    size_t n = 0;
    while (s && *s) {
        if (n >= max) {
            sb_puts(out, "...");
            return;
        }
        unsigned char c = (unsigned char)*s;
        int len = af_utf8_len(s);
        if (len > 1) {
            sb_putn(out, s, (size_t)len); /* a character: never cut in the middle */
            s += len;
            n += (size_t)len;
            continue;
        }
        sb_putc(out, c == '\n' || c == '\r' || c == '\t' ? ' ' : c < 0x20 || len == 0 ? '?' : (char)c);
        s++;
        n++;
    }
}

static void put_where(strbuf *out, const ir_flow *f, ir_span sp)
{
    const char *file = sp.file ? sp.file : f->file;
    put_comment_text(out, file ? file : "?", 200);
    sb_printf(out, ":%d", sp.line);
}

/* Legacy text for a template field: Jinja markers escaped; $$NAME of a known variable becomes its
 * DAG param (a persistent one: its Airflow Variable, falling back to the param); $PMWorkflowName
 * and $PMWorkflowRunId the DAG's id and the run's; any other PowerCenter service variable
 * ($PMSourceFileDir ...) the Airflow Variable of its name when one is set, else the text as it
 * was (a shell expands it from the environment). ${NAME} of a variable of the flow, and outside
 * Informatica $NAME too (Ab Initio plans, scripts), is its DAG param. */
static void put_templated(strbuf *out, const ir_flow *top, const char *s)
{
    bool informatica = top->format && strcmp(top->format, "informatica") == 0;
    for (; s && *s; s++) {
        if (s[0] == '{' && (s[1] == '{' || s[1] == '%' || s[1] == '#')) {
            sb_printf(out, "{{ '{%c' }}", s[1]);
            s++;
            continue;
        }
        if (s[0] == '$' && s[1] == '$' && (isalpha((unsigned char)s[2]) || s[2] == '_')) {
            const char *p = s + 2;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            char name[256];
            size_t n = (size_t)(p - (s + 2));
            if (n < sizeof name) {
                memcpy(name, s + 2, n);
                name[n] = '\0';
                const ir_flow_var *v = ir_flow_var_get(top, name);
                if (v && v->persistent) {
                    sb_printf(out, "{{ var.json.get(dag.dag_id ~ '.%s', params['%s']) }}", v->name, v->name);
                    s = p - 1;
                    continue;
                }
                if (v) {
                    sb_printf(out, "{{ params['%s'] }}", v->name);
                    s = p - 1;
                    continue;
                }
            }
        }
        /* ${NAME} (and, outside Informatica, $NAME) of a variable of the flow: shell-style plans */
        if (s[0] == '$' && s[1] != '$' && (s[1] == '{' || !informatica)) {
            const char *b = s + 1 + (s[1] == '{');
            const char *p = b;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            char name[256];
            size_t n = (size_t)(p - b);
            const ir_flow_var *v = NULL;
            if (n > 0 && n < sizeof name && (s[1] != '{' || *p == '}')) {
                memcpy(name, b, n);
                name[n] = '\0';
                v = ir_flow_var_get(top, name);
            }
            if (v) {
                sb_printf(out, "{{ params['%s'] }}", v->name);
                s = (s[1] == '{' ? p : p - 1);
                continue;
            }
        }
        if (s[0] == '$' && s[1] == 'P' && s[2] == 'M' && isalpha((unsigned char)s[3])) {
            const char *p = s + 1;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            int n = (int)(p - (s + 1));
            if (n == 14 && strncmp(s + 1, "PMWorkflowName", 14) == 0)
                sb_puts(out, "{{ dag.dag_id }}");
            else if (n == 15 && strncmp(s + 1, "PMWorkflowRunId", 15) == 0)
                sb_puts(out, "{{ run_id }}");
            else
                sb_printf(out, "{{ var.value.get('%.*s', '$%.*s') }}", n, s + 1, n, s + 1);
            s = p - 1;
            continue;
        }
        sb_putc(out, *s);
    }
}

static void put_templated_arg(strbuf *out, const ir_flow *top, const char *s, int indent)
{
    strbuf t = STRBUF_INIT;
    put_templated(&t, top, s);
    af_put_py_text(out, sb_cstr(&t), indent);
    sb_free(&t);
}

/* ---- planning ---- */

static bool is_branch_edge(const ir_flow *f, const ir_flow_edge *e, ir_link_kind k)
{
    const ir_task *from = f->tasks[e->from];
    return (k == IR_LINK_DECISION_TRUE || k == IR_LINK_DECISION_FALSE) && from->kind == IR_TASK_DECISION &&
           !from->disabled;
}

/* The trigger rule for links that all mean eff to their target; NULL is all_success (default). */
static const char *rule_for(int eff, bool join_or)
{
    switch (eff) {
    case EK_ALWAYS: return join_or ? "one_done" : "none_skipped";
    case EK_FAILURE: return join_or ? "one_failed" : "all_failed";
    default: return join_or ? "one_success" : NULL;
    }
}

static const char *status_gate_rule(int eff)
{
    return eff == EK_ALWAYS ? "none_skipped" : eff == EK_FAILURE ? "all_failed" : "all_success";
}

static bool has_session_sql(const ir_task *t, const char *key)
{
    const char *v = t->kind == IR_TASK_JOB && !t->disabled ? ir_task_prop(t, key) : NULL;
    return v && v[0];
}

static bool local_taken(const flow_plan *fp, int n_tasks, const char *id)
{
    for (int j = 0; j < n_tasks; j++)
        if (fp->tasks[j].local && strcmp(fp->tasks[j].local, id) == 0)
            return true;
    for (int j = 0; j < fp->f->n_edges; j++)
        if (fp->edges[j].gate_id && strcmp(fp->edges[j].gate_id + strlen(fp->prefix), id) == 0)
            return true;
    return false;
}

/* Whether task `to` reaches task `from` by the flow's links (seen: scratch, one per task). */
static bool reaches(const ir_flow *f, int at, int target, char *seen)
{
    if (at == target)
        return true;
    seen[at] = 1;
    for (int k = 0; k < f->n_edges; k++)
        if (f->edges[k].from == at && !seen[f->edges[k].to] && reaches(f, f->edges[k].to, target, seen))
            return true;
    return false;
}

/* A link closes a cycle when it goes back in the flow's task order (to a task listed no later than
 * its source) and its target reaches its source. Without these links the flow is acyclic: every
 * cycle has a link going back, and the links kept that go back are on no cycle. */
static void mark_loops(flow_plan *fp)
{
    const ir_flow *f = fp->f;
    char *seen = xcalloc((size_t)f->n_tasks, 1);
    for (int k = 0; k < f->n_edges; k++) {
        if (f->edges[k].to > f->edges[k].from)
            continue;
        memset(seen, 0, (size_t)f->n_tasks);
        fp->edges[k].loop = reaches(f, f->edges[k].to, f->edges[k].from, seen);
    }
    free(seen);
}

static flow_plan *plan_flow(emitter *em, const ir_flow *f, const char *prefix, const char *inherited_rule)
{
    flow_plan *fp = xcalloc(1, sizeof *fp);
    fp->f = f;
    fp->prefix = xstrdup(prefix);
    fp->tasks = xcalloc((size_t)f->n_tasks, sizeof *fp->tasks);
    fp->edges = xcalloc((size_t)f->n_edges, sizeof *fp->edges);
    fp->ids = xcalloc((size_t)f->n_tasks, sizeof *fp->ids);
    fp->disabled = xcalloc((size_t)f->n_tasks, sizeof *fp->disabled);
    fp->subs = xcalloc((size_t)f->n_tasks, sizeof *fp->subs);

    /* task ids, unique in the flow */
    for (int i = 0; i < f->n_tasks; i++) {
        const ir_task *t = f->tasks[i];
        task_plan *tp = &fp->tasks[i];
        char id[256];
        tp->renamed = airflow_task_id(t->name, id, sizeof id);
        tp->local = xstrdup(id);
        for (int k = 2; local_taken(fp, i, tp->local); k++) {
            free(tp->local);
            tp->local = xprintf("%s_%d", id, k);
            tp->renamed = true;
        }
        tp->id = xprintf("%s%s", prefix, tp->local);
        tp->group = t->kind == IR_TASK_SUBFLOW && t->sub && !t->disabled;
        tp->var = new_ident(em, tp->group ? "tg_" : "t_", tp->local);
        tp->event_from = -1;
        fp->disabled[i] = t->disabled;
        fp->ids[i] = tp->group ? NULL : tp->id;
        for (int k = 0; k < N_STEPS; k++) {
            if (!has_session_sql(t, session_steps[k].prop))
                continue;
            tp->step_local[k] = xprintf("%s%s", tp->local, session_steps[k].suffix);
            tp->step_var[k] = new_ident(em, "t_", tp->step_local[k]);
        }
    }
    /* a wait for a user event depends on the task raising it in the same flow */
    for (int i = 0; i < f->n_tasks; i++) {
        const ir_task *t = f->tasks[i];
        if (t->kind != IR_TASK_EVENT_WAIT || t->file || !t->event || t->disabled)
            continue;
        for (int j = 0; j < f->n_tasks; j++) {
            const ir_task *r = f->tasks[j];
            if (j != i && r->kind == IR_TASK_EVENT_RAISE && r->event && strcasecmp(r->event, t->event) == 0) {
                fp->tasks[i].event_from = j;
                fp->tasks[i].n_in++;
                break;
            }
        }
    }
    mark_loops(fp);
    for (int i = 0; i < f->n_edges; i++)
        if (!fp->edges[i].loop)
            fp->tasks[f->edges[i].to].n_in++;

    /* links: what each one means to its target, and which need a gate */
    for (int i = 0; i < f->n_edges; i++) {
        const ir_flow_edge *e = &f->edges[i];
        edge_plan *ep = &fp->edges[i];
        ep->kind = ir_flow_edge_kind(f, e);
        if (ep->loop)
            continue;
        ep->branch = is_branch_edge(f, e, ep->kind);
        const task_plan *to = &fp->tasks[e->to];
        const ir_task *from = f->tasks[e->from];
        bool from_branch = from->kind == IR_TASK_DECISION && !from->disabled;
        switch (ep->kind) {
        case IR_LINK_ALWAYS: ep->eff = EK_ALWAYS; break;
        case IR_LINK_SUCCESS: ep->eff = EK_SUCCESS; break;
        case IR_LINK_FAILURE: ep->eff = EK_FAILURE; break;
        default:
            ep->eff = EK_SUCCESS;
            ep->gate = ep->branch ? (to->n_in > 1 || to->group ? G_BRANCH : G_NONE) : G_EXPR;
            break;
        }
        /* a branch task follows task ids: a sub-flow is entered through a gate */
        if (from_branch && to->group && ep->gate == G_NONE)
            ep->gate = G_STATUS;
    }
    /* links of different kinds into one task: all but plain success links go through a gate */
    for (int i = 0; i < f->n_tasks; i++) {
        unsigned mask = fp->tasks[i].event_from >= 0 ? 1u << EK_SUCCESS : 0;
        for (int k = 0; k < f->n_edges; k++)
            if (f->edges[k].to == i && !fp->edges[k].loop)
                mask |= 1u << (fp->edges[k].gate ? EK_SUCCESS : fp->edges[k].eff);
        bool mixed = mask & (mask - 1);
        int eff = mask == 1u << EK_ALWAYS ? EK_ALWAYS : mask == 1u << EK_FAILURE ? EK_FAILURE : EK_SUCCESS;
        for (int k = 0; k < f->n_edges && mixed; k++)
            if (f->edges[k].to == i && fp->edges[k].gate == G_NONE && fp->edges[k].eff != EK_SUCCESS)
                fp->edges[k].gate = G_STATUS;
        fp->tasks[i].rule = fp->tasks[i].n_in ? rule_for(eff, f->tasks[i]->join_or) : inherited_rule;
    }
    /* gate names */
    for (int i = 0; i < f->n_edges; i++) {
        edge_plan *ep = &fp->edges[i];
        if (!ep->gate)
            continue;
        char *base = xprintf("link__%s__%s", fp->tasks[f->edges[i].from].local, fp->tasks[f->edges[i].to].local);
        char *local = xstrdup(base);
        for (int k = 2; local_taken(fp, f->n_tasks, local); k++) {
            free(local);
            local = xprintf("%s_%d", base, k);
        }
        ep->gate_id = xprintf("%s%s", prefix, local);
        ep->gate_var = new_ident(em, "g_", local);
        if (ep->gate == G_EXPR)
            ep->gate_fn = new_ident(em, "_", local);
        free(base);
        free(local);
    }
    /* sub-flows: their first tasks take the trigger rule of the sub-flow task's links */
    for (int i = 0; i < f->n_tasks; i++) {
        task_plan *tp = &fp->tasks[i];
        if (!tp->group)
            continue;
        char *sub_prefix = xprintf("%s%s.", prefix, tp->local);
        fp->subs[i] = plan_flow(em, f->tasks[i]->sub, sub_prefix, tp->rule);
        free(sub_prefix);
        char *local = xprintf("%s__end__", tp->local);
        tp->end_var = new_ident(em, "t_", local);
        free(local);
    }
    return fp;
}

static void plan_free(flow_plan *fp)
{
    if (!fp)
        return;
    for (int i = 0; i < fp->f->n_tasks; i++) {
        task_plan *tp = &fp->tasks[i];
        free(tp->local);
        free(tp->id);
        free(tp->var);
        for (int k = 0; k < N_STEPS; k++) {
            free(tp->step_var[k]);
            free(tp->step_local[k]);
        }
        free(tp->end_var);
        plan_free(fp->subs[i]);
    }
    for (int i = 0; i < fp->f->n_edges; i++) {
        free(fp->edges[i].gate_id);
        free(fp->edges[i].gate_var);
        free(fp->edges[i].gate_fn);
    }
    free(fp->tasks);
    free(fp->edges);
    free(fp->ids);
    free(fp->disabled);
    free(fp->subs);
    free(fp->prefix);
    free(fp);
}

/* The first session step before the job, or -1. */
static int first_pre_step(const task_plan *tp)
{
    for (int k = 0; k < N_STEPS; k++)
        if (tp->step_var[k] && session_steps[k].where < 0)
            return k;
    return -1;
}

/* The variable a link into task i lands on, and the task_id a branch follows to reach it. */
static const char *entry_var(const flow_plan *fp, int i)
{
    const task_plan *tp = &fp->tasks[i];
    int k = first_pre_step(tp);
    return k >= 0 ? tp->step_var[k] : tp->var;
}

/* Returns a malloc'd string. */
static char *entry_id(const flow_plan *fp, int i)
{
    const task_plan *tp = &fp->tasks[i];
    int k = first_pre_step(tp);
    return k >= 0 ? xprintf("%s%s", fp->prefix, tp->step_local[k]) : xstrdup(tp->id);
}

/* The variable links out of task i leave from: its last session step after the job, or itself. */
static const char *exit_var(const flow_plan *fp, int i)
{
    const task_plan *tp = &fp->tasks[i];
    const char *v = tp->var;
    for (int k = 0; k < N_STEPS; k++)
        if (tp->step_var[k] && session_steps[k].where > 0)
            v = tp->step_var[k];
    return v;
}

/* ---- holes ---- */

/* A place the backend could not express (not an IR hole): counted and reported. */
static void unsupported(emitter *em, const char *kind, const char *text, const char *reason, ir_span sp,
                        const char *task)
{
    em->res->holes++;
    em->res->unsupported++;
    if (em->opt && em->opt->on_hole) {
        ir_hole_info h = {kind, text, reason, sp, 0, task};
        em->opt->on_hole(em->opt->userdata, &h);
    }
}

static void put_hole_call(strbuf *out, const ir_flow *f, ir_span sp, const char *text, const char *reason)
{
    strbuf where = STRBUF_INIT;
    put_where(&where, f, sp);
    sb_puts(out, "_hole(");
    af_py_string(out, sb_cstr(&where));
    sb_puts(out, ", ");
    af_py_string(out, text ? text : "");
    sb_puts(out, ", ");
    af_py_string(out, reason ? reason : "not translated");
    sb_putc(out, ')');
    sb_free(&where);
}

/* Translates cond into out; on failure writes a `_hole(...)` call instead, marks the hole and
 * returns -1. An IR hole counts as a hole; anything else the DAG cannot say is also reported. */
static int put_condition(emitter *em, strbuf *out, const flow_plan *fp, const ir_expr *cond, const char *text,
                         ir_span sp, const char *task)
{
    af_scope sc = {fp->f, fp->ids, fp->disabled};
    strbuf t = STRBUF_INIT;
    const char *why = NULL;
    em->needs |= NEED_HELPERS;
    if (af_expr(&t, &sc, cond, &why) == 0) {
        sb_puts(out, sb_cstr(&t));
        sb_free(&t);
        return 0;
    }
    sb_free(&t);
    strbuf txt = STRBUF_INIT;
    if (text)
        sb_puts(&txt, text);
    else
        ir_expr_to_text(&txt, cond);
    if (cond && ir_expr_contains(cond, IR_EXPR_MASK(IR_EX_HOLE)))
        em->res->holes++;
    else
        unsupported(em, "condition", sb_cstr(&txt), why, sp, task);
    put_hole_call(out, fp->f, sp, sb_cstr(&txt), why);
    sb_free(&txt);
    return -1;
}

/* ---- tasks ---- */

static void put_kw_str(strbuf *out, int ind, const char *key, const char *value)
{
    sb_indent(out, ind);
    sb_printf(out, "%s=", key);
    af_py_string(out, value ? value : "");
    sb_puts(out, ",\n");
}

static void put_kw_templated(emitter *em, strbuf *out, int ind, const char *key, const char *value)
{
    sb_indent(out, ind);
    sb_printf(out, "%s=", key);
    put_templated_arg(out, em->top, value ? value : "", ind);
    sb_puts(out, ",\n");
}

/* task_id, trigger rule, retries and timeout: the arguments every task shares. */
static void put_common(emitter *em, strbuf *out, int ind, const char *local, const char *rule, const ir_task *t)
{
    put_kw_str(out, ind, "task_id", local);
    if (rule)
        put_kw_str(out, ind, "trigger_rule", rule);
    if (t && t->retries > 0) {
        sb_indent(out, ind);
        sb_printf(out, "retries=%d,\n", t->retries);
        if (t->retry_delay_s > 0) {
            sb_indent(out, ind);
            sb_printf(out, "retry_delay=timedelta(seconds=%d),\n", t->retry_delay_s);
            em->needs |= NEED_TIMEDELTA;
        }
    }
    if (t && t->timeout_s > 0) {
        sb_indent(out, ind);
        sb_printf(out, "execution_timeout=timedelta(seconds=%d),\n", t->timeout_s);
        em->needs |= NEED_TIMEDELTA;
    }
}

/* `var = Class(` and the arguments every task shares; close_op writes the closing `)`. */
static void open_op(emitter *em, strbuf *out, int ind, const char *var, const char *cls, const char *local,
                    const char *rule, const ir_task *t)
{
    sb_indent(out, ind);
    sb_printf(out, "%s = %s(\n", var, cls);
    put_common(em, out, ind + 4, local, rule, t);
}

static void close_op(strbuf *out, int ind)
{
    sb_indent(out, ind);
    sb_puts(out, ")\n");
}

static void put_origin(strbuf *out, int ind, const flow_plan *fp, const ir_task *t, const task_plan *tp)
{
    sb_indent(out, ind);
    sb_puts(out, "# ");
    put_where(out, fp->f, t->span);
    sb_printf(out, " %s ", ir_task_kind_name(t->kind));
    put_comment_text(out, t->name, 200);
    if (t->kind == IR_TASK_JOB && t->job) {
        sb_puts(out, " (runs ");
        put_comment_text(out, t->job, 200);
        sb_putc(out, ')');
    }
    sb_putc(out, '\n');
    if (tp->renamed) {
        sb_indent(out, ind);
        sb_printf(out, "# task_id \"%s\": Airflow allows only letters, digits, '_' and '-' here\n", tp->local);
    }
    if (t->description && t->description[0]) {
        sb_indent(out, ind);
        sb_puts(out, "# ");
        put_comment_text(out, t->description, 200);
        sb_putc(out, '\n');
    }
    if (t->fail_parent || t->fail_parent_if_not_run) {
        sb_indent(out, ind);
        sb_printf(out, "# legacy: fail the parent %s (Airflow: the run fails when a leaf task fails)\n",
                  t->fail_parent && t->fail_parent_if_not_run ? "if this task fails or does not run"
                  : t->fail_parent                             ? "if this task fails"
                                                               : "if this task does not run");
    }
}

/* Where the job's artifacts are (OUTDIR-relative); *unknown when the caller was asked and does
 * not know the job (not converted in this run): then where convert would write it. */
static const char *job_dir(emitter *em, const flow_plan *fp, const ir_task *t, char *buf, size_t size,
                           bool *unknown)
{
    const char *folder = t->job_folder ? t->job_folder : fp->f->folder;
    bool asked = em->opt && em->opt->job_dir;
    const char *d = asked ? em->opt->job_dir(em->opt->userdata, folder, t->job) : NULL;
    *unknown = asked && !d;
    if (d)
        return d;
    char fb[256], jb[256];
    snprintf(fb, sizeof fb, "%s", folder && folder[0] ? folder : "_");
    snprintf(jb, sizeof jb, "%s", t->job && t->job[0] ? t->job : "job");
    for (char *p = fb; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.'))
            *p = '_';
    for (char *p = jb; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.'))
            *p = '_';
    if (fb[0] == '.')
        fb[0] = '_';
    if (jb[0] == '.')
        jb[0] = '_';
    snprintf(buf, size, "%s/%s", fb, jb);
    return buf;
}

/* conn_id= for SQL run on the task's legacy connection: its name where Airflow allows the
 * characters (letters, digits, '_', '-', '.'; others become '_'), else etlport_sql. */
static void put_sql_conn(strbuf *out, int ind, const ir_task *t)
{
    char id[256];
    snprintf(id, sizeof id, "%s", t->connection && t->connection[0] ? t->connection : "etlport_sql");
    bool changed = false;
    for (char *p = id; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.')) {
            *p = '_';
            changed = true;
        }
    if (changed) {
        sb_indent(out, ind);
        sb_puts(out, "# the legacy connection ");
        put_comment_text(out, t->connection, 100);
        sb_puts(out, ": an Airflow conn_id allows only letters, digits, '_', '-' and '.'\n");
    }
    put_kw_str(out, ind, "conn_id", id);
}

static void put_session_props(strbuf *out, int ind, const ir_task *t)
{
    int n = 0;
    for (int k = 0; k < t->n_props; k++)
        if (!is_step_prop(t->props[k].key))
            n++;
    if (!n)
        return;
    sb_indent(out, ind);
    sb_puts(out, "params={\"legacy_session\": {\n");
    for (int k = 0; k < t->n_props; k++) {
        const ir_prop *p = &t->props[k];
        if (is_step_prop(p->key))
            continue;
        sb_indent(out, ind + 4);
        af_py_string(out, p->key);
        sb_puts(out, ": ");
        af_py_string(out, p->value);
        sb_puts(out, ",\n");
    }
    sb_indent(out, ind);
    sb_puts(out, "}},\n");
}

/* One session step of a JOB task (session_steps[k]) as its own task. */
static void put_session_step(emitter *em, strbuf *out, int ind, const ir_task *t, const task_plan *tp, int k,
                             const char *rule)
{
    const session_step *st = &session_steps[k];
    open_op(em, out, ind, tp->step_var[k], st->sql ? "SQLExecuteQueryOperator" : "BashOperator", tp->step_local[k], rule,
            NULL);
    if (st->sql) {
        put_sql_conn(out, ind + 4, t);
        put_kw_templated(em, out, ind + 4, "sql", ir_task_prop(t, st->prop));
        em->needs |= NEED_SQL;
    } else {
        strbuf cmd = STRBUF_INIT;
        sb_puts(&cmd, ir_task_prop(t, st->prop));
        sb_putc(&cmd, '\n'); /* a command ending in .sh would otherwise be read as a template file */
        put_kw_templated(em, out, ind + 4, "bash_command", sb_cstr(&cmd));
        sb_free(&cmd);
        em->needs |= NEED_BASH;
    }
    close_op(out, ind);
}

static void put_job(emitter *em, strbuf *out, int ind, const flow_plan *fp, const ir_task *t, const task_plan *tp)
{
    char buf[600];
    bool unknown = false;
    const char *dir = job_dir(em, fp, t, buf, sizeof buf, &unknown);
    if (unknown) {
        sb_indent(out, ind);
        sb_puts(out, "# the job ");
        put_comment_text(out, t->job ? t->job : "?", 200);
        sb_puts(out, " was not converted before this workflow: the path is where convert writes it\n");
        sb_indent(out, ind);
        sb_puts(out, "# (report.json: the flow's jobs_not_converted lists it if no input of the run held it)\n");
    }
    bool sql = em->job_target && strcmp(em->job_target, "snowflake") == 0;
    for (int k = 0; k < t->n_props; k++) {
        const ir_prop *p = &t->props[k];
        if (is_step_prop(p->key))
            continue;
        sb_indent(out, ind);
        sb_puts(out, "# session ");
        put_comment_text(out, p->key, 80);
        sb_puts(out, " = ");
        put_comment_text(out, p->value, 160);
        sb_putc(out, '\n');
    }
    if (t->connection) {
        sb_indent(out, ind);
        sb_puts(out, "# legacy connection: ");
        put_comment_text(out, t->connection, 160);
        sb_putc(out, '\n');
    }
    int first = first_pre_step(tp);
    for (int k = 0; k < N_STEPS; k++)
        if (tp->step_var[k] && session_steps[k].where < 0)
            put_session_step(em, out, ind, t, tp, k, k == first ? tp->rule : NULL);
    const char *rule = first >= 0 ? NULL : tp->rule; /* the first session step has it */
    if (sql) {
        open_op(em, out, ind, tp->var, "SQLExecuteQueryOperator", tp->local, rule, t);
        put_kw_str(out, ind + 4, "conn_id", "snowflake_default");
        char *path = xprintf("%s/snowflake.sql", dir);
        sb_indent(out, ind + 4);
        sb_puts(out, "sql=");
        af_py_string(out, path);
        sb_puts(out, ",  # under template_searchpath (ETLPORT_ROOT)\n");
        free(path);
        sb_indent(out, ind + 4);
        sb_puts(out, "split_statements=True,\n");
        em->needs |= NEED_SQL;
    } else {
        open_op(em, out, ind, tp->var, "SparkSubmitOperator", tp->local, rule, t);
        char *path = xprintf("{{ params.etlport_root }}/%s/spark.py", dir);
        put_kw_str(out, ind + 4, "application", path);
        free(path);
        if (em->top->n_vars) {
            sb_indent(out, ind + 4);
            sb_puts(out, "application_args=[\n");
            for (int i = 0; i < em->top->n_vars; i++) {
                const ir_flow_var *v = &em->top->vars[i];
                char *arg = v->persistent ? xprintf("%s={{ var.json.get(dag.dag_id ~ '.%s', params['%s']) | default('', true) }}",
                                                    v->name, v->name, v->name)
                                          : xprintf("%s={{ params['%s'] | default('', true) }}", v->name, v->name);
                sb_indent(out, ind + 8);
                af_py_string(out, arg);
                sb_puts(out, ",\n");
                free(arg);
            }
            sb_indent(out, ind + 4);
            sb_puts(out, "],\n");
        }
        put_kw_str(out, ind + 4, "name", t->job ? t->job : tp->local);
        put_kw_str(out, ind + 4, "conn_id", "spark_default");
        em->needs |= NEED_SPARK;
    }
    put_session_props(out, ind + 4, t);
    close_op(out, ind);
    for (int k = 0; k < N_STEPS; k++)
        if (tp->step_var[k] && session_steps[k].where >= 0)
            put_session_step(em, out, ind, t, tp, k, session_steps[k].where == 0 ? "all_failed" : NULL);
}

static void put_python_task(emitter *em, strbuf *out, int ind, const char *var, const char *fn, const task_plan *tp,
                            const ir_task *t, const char *op)
{
    open_op(em, out, ind, var, op, tp->local, tp->rule, t);
    sb_indent(out, ind + 4);
    sb_printf(out, "python_callable=%s,\n", fn);
    close_op(out, ind);
    em->needs |= strcmp(op, "BranchPythonOperator") == 0 ? NEED_BRANCH : NEED_PYTHON;
}

static void put_hole_task(emitter *em, strbuf *out, int ind, const flow_plan *fp, const ir_task *t,
                          const task_plan *tp, const char *text, const char *reason)
{
    strbuf where = STRBUF_INIT;
    put_where(&where, fp->f, t->span);
    sb_indent(out, ind);
    sb_puts(out, "# HOLE: ");
    put_comment_text(out, reason ? reason : "not translated", 200);
    sb_puts(out, ": ");
    put_comment_text(out, text, 200);
    sb_putc(out, '\n');
    open_op(em, out, ind, tp->var, "PythonOperator", tp->local, tp->rule, NULL);
    sb_indent(out, ind + 4);
    sb_puts(out, "python_callable=_hole,\n");
    sb_indent(out, ind + 4);
    sb_puts(out, "op_args=[");
    af_py_string(out, sb_cstr(&where));
    sb_puts(out, ", ");
    af_py_string(out, text ? text : "");
    sb_puts(out, ", ");
    af_py_string(out, reason ? reason : "not translated");
    sb_puts(out, "],\n");
    close_op(out, ind);
    sb_free(&where);
    em->needs |= NEED_PYTHON | NEED_HELPERS;
}

static void put_empty(emitter *em, strbuf *out, int ind, const char *var, const char *local, const char *rule,
                      const ir_task *t)
{
    open_op(em, out, ind, var, "EmptyOperator", local, rule, t);
    close_op(out, ind);
    em->needs |= NEED_EMPTY;
}

static void put_decision(emitter *em, strbuf *out, int ind, const flow_plan *fp, int i)
{
    const ir_flow *f = fp->f;
    const ir_task *t = f->tasks[i];
    const task_plan *tp = &fp->tasks[i];
    char *fn = new_ident(em, "_decide_", tp->local);
    sb_indent(out, ind);
    sb_printf(out, "def %s(**context):\n", fn);
    sb_indent(out, ind + 4);
    sb_puts(out, "# legacy condition: ");
    put_comment_text(out, t->cond_text ? t->cond_text : "(none)", 200);
    sb_putc(out, '\n');
    sb_indent(out, ind + 4);
    sb_puts(out, "value = ");
    if (t->cond) {
        if (put_condition(em, out, fp, t->cond, t->cond_text, t->span, t->name) != 0) {
            sb_puts(out, "  # HOLE");
        }
    } else {
        sb_puts(out, "True  # no condition: PowerCenter evaluates it as TRUE");
    }
    sb_putc(out, '\n');
    sb_indent(out, ind + 4);
    sb_puts(out, "context[\"ti\"].xcom_push(key=\"condition\", value=bool(value))\n");
    /* successors: non-decision links are always followed, outcome links by the value */
    strbuf always = STRBUF_INIT, yes = STRBUF_INIT, no = STRBUF_INIT;
    for (int k = 0; k < f->n_edges; k++) {
        const ir_flow_edge *e = &f->edges[k];
        if (e->from != i || fp->edges[k].loop)
            continue;
        const edge_plan *ep = &fp->edges[k];
        char *id = ep->gate ? xstrdup(ep->gate_id) : entry_id(fp, e->to);
        strbuf *dst = !ep->branch ? &always : ep->kind == IR_LINK_DECISION_TRUE ? &yes : &no;
        if (dst->len)
            sb_puts(dst, ", ");
        af_py_string(dst, id);
        free(id);
    }
    sb_indent(out, ind + 4);
    sb_printf(out, "follow = [%s]\n", sb_cstr(&always));
    if (yes.len) {
        sb_indent(out, ind + 4);
        sb_printf(out, "if value:\n");
        sb_indent(out, ind + 8);
        sb_printf(out, "follow += [%s]\n", sb_cstr(&yes));
    }
    if (no.len) {
        sb_indent(out, ind + 4);
        sb_printf(out, yes.len ? "else:\n" : "if not value:\n");
        sb_indent(out, ind + 8);
        sb_printf(out, "follow += [%s]\n", sb_cstr(&no));
    }
    sb_indent(out, ind + 4);
    sb_puts(out, "return follow\n\n");
    sb_free(&always);
    sb_free(&yes);
    sb_free(&no);
    put_python_task(em, out, ind, tp->var, fn, tp, t, "BranchPythonOperator");
    free(fn);
}

static void put_assignment(emitter *em, strbuf *out, int ind, const flow_plan *fp, int i)
{
    const ir_task *t = fp->f->tasks[i];
    const task_plan *tp = &fp->tasks[i];
    char *fn = new_ident(em, "_assign_", tp->local);
    sb_indent(out, ind);
    sb_printf(out, "def %s(**context):\n", fn);
    if (!t->n_assigns) {
        sb_indent(out, ind + 4);
        sb_puts(out, "pass  # no assignments in the legacy task\n");
    }
    for (int k = 0; k < t->n_assigns; k++) {
        const ir_flow_assign *a = &t->assigns[k];
        const ir_flow_var *v = ir_flow_var_get(em->top, a->var);
        sb_indent(out, ind + 4);
        sb_puts(out, "# $$");
        put_comment_text(out, a->var, 100);
        sb_puts(out, " = ");
        put_comment_text(out, a->text ? a->text : "", 200);
        sb_putc(out, '\n');
        sb_indent(out, ind + 4);
        sb_puts(out, "value = ");
        put_condition(em, out, fp, a->value, a->text, t->span, t->name);
        sb_putc(out, '\n');
        sb_indent(out, ind + 4);
        sb_puts(out, "context[\"ti\"].xcom_push(key=");
        af_py_string(out, a->var);
        sb_puts(out, ", value=value)\n");
        if (v && v->persistent) {
            sb_indent(out, ind + 4);
            sb_puts(out, "Variable.set(context[\"dag\"].dag_id + \".\" + ");
            af_py_string(out, a->var);
            sb_puts(out, ", value, serialize_json=True)  # persistent variable\n");
            em->needs |= NEED_VARIABLE;
        }
        if (!t->disabled) {
            if (em->assigned.len)
                sb_puts(&em->assigned, "\n");
            sb_puts(&em->assigned, "    (");
            af_py_string(&em->assigned, a->var);
            sb_puts(&em->assigned, ", ");
            af_py_string(&em->assigned, tp->id);
            sb_puts(&em->assigned, "),");
        }
    }
    sb_putc(out, '\n');
    put_python_task(em, out, ind, tp->var, fn, tp, t, "PythonOperator");
    em->needs |= NEED_HELPERS;
    free(fn);
}

static void put_control(emitter *em, strbuf *out, int ind, const flow_plan *fp, int i)
{
    const ir_task *t = fp->f->tasks[i];
    const task_plan *tp = &fp->tasks[i];
    const char *c = t->control ? t->control : "fail_parent";
    bool top = strstr(c, "_top") != NULL;
    strbuf where = STRBUF_INIT;
    put_where(&where, fp->f, t->span);
    open_op(em, out, ind, tp->var, "PythonOperator", tp->local, tp->rule, t);
    sb_indent(out, ind + 4);
    sb_puts(out, "python_callable=_control,\n");
    sb_indent(out, ind + 4);
    sb_puts(out, "op_args=[");
    af_py_string(out, c);
    sb_puts(out, ", ");
    af_py_string(out, top ? "" : fp->prefix);
    sb_puts(out, ", ");
    af_py_string(out, sb_cstr(&where));
    sb_puts(out, "],\n");
    close_op(out, ind);
    sb_free(&where);
    em->needs |= NEED_PYTHON | NEED_HELPERS;
}

static void put_timer(emitter *em, strbuf *out, int ind, const flow_plan *fp, int i)
{
    const ir_task *t = fp->f->tasks[i];
    const task_plan *tp = &fp->tasks[i];
    char target[512];
    if (t->at) {
        snprintf(target, sizeof target, "%s", t->at);
        char *sp = strchr(target, ' ');
        if (sp)
            *sp = 'T';
    } else {
        const char *rel = t->relative_to ? t->relative_to : "flow";
        int r = strcmp(rel, "flow") == 0 || strcmp(rel, "parent") == 0 ? -1 : ir_flow_task_index(fp->f, rel);
        /* inside a worklet, "parent" is the worklet: it started when its first task did */
        for (int j = 0; r < 0 && strcmp(rel, "parent") == 0 && fp->prefix[0] && j < fp->f->n_tasks; j++)
            if (fp->tasks[j].n_in == 0 && fp->ids[j])
                r = j;
        if (r >= 0 && fp->ids[r]) {
            snprintf(target, sizeof target,
                     "{{ (dag_run.get_task_instance('%s').start_date + macros.timedelta(seconds=%d)).isoformat() }}",
                     fp->ids[r], t->seconds);
        } else {
            if (strcmp(rel, "flow") != 0) {
                sb_indent(out, ind);
                sb_printf(out, "# legacy: %d s after the %s started; Airflow: after the DAG run started\n", t->seconds,
                          strcmp(rel, "parent") == 0 ? "parent (worklet)" : "task");
            }
            snprintf(target, sizeof target, "{{ (dag_run.start_date + macros.timedelta(seconds=%d)).isoformat() }}",
                     t->seconds);
        }
    }
    open_op(em, out, ind, tp->var, "DateTimeSensor", tp->local, tp->rule, t);
    put_kw_str(out, ind + 4, "target_time", target);
    put_kw_str(out, ind + 4, "mode", "reschedule");
    close_op(out, ind);
    em->needs |= NEED_DATETIME_SENSOR;
}

static void put_event_wait(emitter *em, strbuf *out, int ind, const flow_plan *fp, int i)
{
    const ir_task *t = fp->f->tasks[i];
    const task_plan *tp = &fp->tasks[i];
    if (t->file) {
        if (t->delete_file) {
            sb_indent(out, ind);
            sb_puts(out, "# legacy: delete the file once seen; FileSensor only waits (docs/airflow.md)\n");
        }
        open_op(em, out, ind, tp->var, "FileSensor", tp->local, tp->rule, t);
        put_kw_templated(em, out, ind + 4, "filepath", t->file);
        put_kw_str(out, ind + 4, "fs_conn_id", "fs_default");
        put_kw_str(out, ind + 4, "mode", "reschedule");
        sb_indent(out, ind + 4);
        sb_puts(out, "poke_interval=60,\n");
        close_op(out, ind);
        em->needs |= NEED_FILE;
        return;
    }
    if (tp->event_from >= 0) {
        sb_indent(out, ind);
        sb_puts(out, "# waits for event ");
        put_comment_text(out, t->event, 200);
        sb_printf(out, ": a dependency on the task raising it (%s)\n", fp->tasks[tp->event_from].id);
        put_empty(em, out, ind, tp->var, tp->local, tp->rule, t);
        return;
    }
    char *text = xprintf("wait for event %s", t->event ? t->event : "?");
    const char *reason = "no task of this flow raises the event";
    unsupported(em, "event", text, reason, t->span, t->name);
    put_hole_task(em, out, ind, fp, t, tp, text, reason);
    free(text);
}

/* Whether text uses PowerCenter email variables (%s session name, %w workflow, %g log ...). */
static bool has_email_vars(const char *text)
{
    for (const char *p = text; p && (p = strchr(p, '%')) != NULL; p++)
        if (p[1] && strchr("abcdegilmnrstuvwY", p[1]))
            return true;
    return false;
}

static void emit_flow(emitter *em, const flow_plan *fp, int ind);

static void emit_task(emitter *em, const flow_plan *fp, int i, int ind)
{
    const ir_task *t = fp->f->tasks[i];
    const task_plan *tp = &fp->tasks[i];
    strbuf *out = &em->body;
    put_origin(out, ind, fp, t, tp);
    if (t->disabled) {
        sb_indent(out, ind);
        sb_puts(out, "# disabled in the legacy flow: not run; conditions read its status as DISABLED\n");
        put_empty(em, out, ind, tp->var, tp->local, tp->rule, t);
        if (em->disabled.len)
            sb_puts(&em->disabled, ", ");
        af_py_string(&em->disabled, tp->id);
        sb_putc(out, '\n');
        return;
    }
    switch (t->kind) {
    case IR_TASK_START:
    case IR_TASK_EVENT_RAISE:
        if (t->kind == IR_TASK_EVENT_RAISE) {
            sb_indent(out, ind);
            sb_puts(out, "# raises event ");
            put_comment_text(out, t->event ? t->event : "?", 200);
            sb_puts(out, ": the tasks waiting for it depend on this one\n");
        }
        put_empty(em, out, ind, tp->var, tp->local, tp->rule, t);
        break;
    case IR_TASK_JOB:
        put_job(em, out, ind, fp, t, tp);
        break;
    case IR_TASK_COMMAND: {
        strbuf script = STRBUF_INIT;
        if (t->stop_on_error)
            sb_puts(&script, "set -e\n");
        else if (t->ignore_errors)
            sb_puts(&script, "# legacy: run every command; the task succeeds even if one fails\n");
        else
            sb_puts(&script, "# legacy: run every command; the task fails if the last one does\n");
        for (int k = 0; k < t->n_commands; k++) {
            if (t->command_names[k] && t->command_names[k][0]) {
                sb_puts(&script, "# ");
                put_comment_text(&script, t->command_names[k], 200);
                sb_putc(&script, '\n');
            }
            sb_puts(&script, t->commands[k]);
            if (t->ignore_errors)
                sb_puts(&script, " || echo \"etlport: a legacy command failed (status $?); the task goes on\" >&2");
            sb_putc(&script, '\n');
        }
        if (t->ignore_errors)
            sb_puts(&script, "exit 0\n");
        open_op(em, out, ind, tp->var, "BashOperator", tp->local, tp->rule, t);
        put_kw_templated(em, out, ind + 4, "bash_command", sb_cstr(&script));
        close_op(out, ind);
        sb_free(&script);
        em->needs |= NEED_BASH;
        break;
    }
    case IR_TASK_SQL: {
        /* SQL runs only in the dialect it is written in: Spark SQL through spark-sql, Snowflake
         * (or unsaid) through a SQL connection; legacy-dialect text is a hole, never run as is */
        const char *d = t->sql_dialect;
        if (d && strcmp(d, "snowflake") != 0 && strcmp(d, "spark") != 0) {
            char why[200];
            snprintf(why, sizeof why, "SQL in the legacy %s dialect with no translation (a step of it has none)", d);
            unsupported(em, "sql", t->sql ? t->sql : "", why, t->span, t->name);
            put_hole_task(em, out, ind, fp, t, tp, t->sql ? t->sql : "", why);
            break;
        }
        /* a text ending in .sql would be read as a template file name: end it with a newline */
        char *sql = arena_printf(fp->f->job->arena, "%s\n", t->sql ? t->sql : "");
        if (t->text) {
            sb_indent(out, ind);
            sb_puts(out, "# legacy: ");
            put_comment_text(out, t->text, 200);
            sb_putc(out, '\n');
        }
        if (d && strcmp(d, "spark") == 0) {
            open_op(em, out, ind, tp->var, "SparkSqlOperator", tp->local, tp->rule, t);
            put_kw_templated(em, out, ind + 4, "sql", sql);
            close_op(out, ind);
            em->needs |= NEED_SPARK_SQL;
            break;
        }
        open_op(em, out, ind, tp->var, "SQLExecuteQueryOperator", tp->local, tp->rule, t);
        put_sql_conn(out, ind + 4, t);
        put_kw_templated(em, out, ind + 4, "sql", sql);
        sb_indent(out, ind + 4);
        sb_puts(out, "split_statements=True,\n");
        close_op(out, ind);
        em->needs |= NEED_SQL;
        break;
    }
    case IR_TASK_DECISION:
        put_decision(em, out, ind, fp, i);
        break;
    case IR_TASK_EMAIL:
        if (has_email_vars(t->email_subject) || has_email_vars(t->email_body)) {
            sb_indent(out, ind);
            sb_puts(out, "# legacy email variables (%s, %w, %g ...) are kept as text: Airflow fills none of them\n");
        }
        open_op(em, out, ind, tp->var, "EmailOperator", tp->local, tp->rule, t);
        put_kw_templated(em, out, ind + 4, "to", t->email_to ? t->email_to : "");
        put_kw_templated(em, out, ind + 4, "subject", t->email_subject ? t->email_subject : "");
        put_kw_templated(em, out, ind + 4, "html_content", t->email_body ? t->email_body : "");
        close_op(out, ind);
        em->needs |= NEED_EMAIL;
        break;
    case IR_TASK_TIMER:
        put_timer(em, out, ind, fp, i);
        break;
    case IR_TASK_EVENT_WAIT:
        put_event_wait(em, out, ind, fp, i);
        break;
    case IR_TASK_ASSIGNMENT:
        put_assignment(em, out, ind, fp, i);
        break;
    case IR_TASK_CONTROL:
        put_control(em, out, ind, fp, i);
        break;
    case IR_TASK_SUBFLOW:
        if (!tp->group) {
            put_hole_task(em, out, ind, fp, t, tp, t->text ? t->text : t->name, "the sub-flow was not read");
            unsupported(em, "task", t->name, "the sub-flow was not read", t->span, t->name);
            break;
        }
        sb_indent(out, ind);
        sb_printf(out, "with TaskGroup(group_id=\"%s\") as %s:\n", tp->local, tp->var);
        emit_flow(em, fp->subs[i], ind + 4);
        sb_indent(out, ind + 4);
        sb_puts(out, "# end of the sub-flow: done when its last tasks are, failed if one of them failed\n");
        put_empty(em, out, ind + 4, tp->end_var, "__end__", "none_failed_min_one_success", NULL);
        em->needs |= NEED_GROUP;
        break;
    case IR_TASK_HOLE:
        em->res->holes++;
        put_hole_task(em, out, ind, fp, t, tp, t->text ? t->text : t->name, t->hole_reason);
        break;
    }
    sb_putc(out, '\n');
}

/* "<file>:<line> from -> to: kind (legacy condition)" for a link's comment. */
static void put_link_origin(strbuf *out, const ir_flow *f, const ir_flow_edge *e, ir_link_kind kind)
{
    put_where(out, f, e->span.line ? e->span : f->tasks[e->to]->span);
    sb_putc(out, ' ');
    put_comment_text(out, f->tasks[e->from]->name, 200);
    sb_puts(out, " -> ");
    put_comment_text(out, f->tasks[e->to]->name, 200);
    sb_printf(out, ": %s", ir_link_kind_name(kind));
    if (e->cond_text) {
        sb_puts(out, " (");
        put_comment_text(out, e->cond_text, 200);
        sb_putc(out, ')');
    }
}

static void emit_gates(emitter *em, const flow_plan *fp, int ind)
{
    const ir_flow *f = fp->f;
    strbuf *out = &em->body;
    for (int k = 0; k < f->n_edges; k++) {
        const ir_flow_edge *e = &f->edges[k];
        const edge_plan *ep = &fp->edges[k];
        if (!ep->gate)
            continue;
        const char *local = ep->gate_id + strlen(fp->prefix);
        sb_indent(out, ind);
        sb_puts(out, "# link gate ");
        put_link_origin(out, f, e, ep->kind);
        sb_putc(out, '\n');
        if (ep->gate == G_EXPR) {
            sb_indent(out, ind);
            sb_printf(out, "def %s(**context):\n", ep->gate_fn);
            sb_indent(out, ind + 4);
            strbuf cond = STRBUF_INIT;
            int rc = put_condition(em, &cond, fp, e->cond, e->cond_text, e->span, f->tasks[e->to]->name);
            if (rc != 0) {
                sb_puts(out, "# HOLE: the link condition has no Airflow form; the gate fails\n");
                sb_indent(out, ind + 4);
                sb_printf(out, "%s\n\n", sb_cstr(&cond));
            } else {
                sb_printf(out, "if not (%s):\n", sb_cstr(&cond));
                sb_indent(out, ind + 8);
                sb_puts(out, "raise AirflowSkipException(\"link condition is false\")\n\n");
            }
            sb_free(&cond);
            open_op(em, out, ind, ep->gate_var, "PythonOperator", local, "none_skipped", NULL);
            sb_indent(out, ind + 4);
            sb_printf(out, "python_callable=%s,\n", ep->gate_fn);
            close_op(out, ind);
            sb_putc(out, '\n');
            em->needs |= NEED_PYTHON | NEED_HELPERS;
        } else {
            put_empty(em, out, ind, ep->gate_var, local,
                      ep->gate == G_BRANCH ? "all_success" : status_gate_rule(ep->eff), NULL);
            sb_putc(out, '\n');
        }
    }
}

static void emit_deps(emitter *em, const flow_plan *fp)
{
    const ir_flow *f = fp->f;
    strbuf *out = &em->deps;
    for (int i = 0; i < f->n_tasks; i++) {
        const task_plan *tp = &fp->tasks[i];
        bool steps = false;
        for (int k = 0; k < N_STEPS; k++)
            steps |= tp->step_var[k] != NULL;
        if (steps) {
            sb_printf(out, "    # session steps of %s\n    ", tp->id);
            for (int k = 0; k < N_STEPS; k++)
                if (tp->step_var[k] && session_steps[k].where < 0)
                    sb_printf(out, "%s >> ", tp->step_var[k]);
            sb_puts(out, tp->var);
            for (int k = 0; k < N_STEPS; k++)
                if (tp->step_var[k] && session_steps[k].where > 0)
                    sb_printf(out, " >> %s", tp->step_var[k]);
            sb_putc(out, '\n');
            for (int k = 0; k < N_STEPS; k++)
                if (tp->step_var[k] && session_steps[k].where == 0)
                    sb_printf(out, "    %s >> %s\n", tp->var, tp->step_var[k]);
        }
        if (tp->event_from >= 0) {
            sb_puts(out, "    # event ");
            put_comment_text(out, f->tasks[i]->event, 200);
            sb_printf(out, "\n    %s >> %s\n", exit_var(fp, tp->event_from), entry_var(fp, i));
        }
    }
    for (int k = 0; k < f->n_edges; k++) {
        const ir_flow_edge *e = &f->edges[k];
        const edge_plan *ep = &fp->edges[k];
        sb_puts(out, "    # ");
        put_link_origin(out, f, e, ep->kind);
        if (ep->loop) {
            sb_puts(out, "\n    # HOLE: this link loops back; an Airflow DAG has no cycles, so it is not a dependency\n");
            char *text = xprintf("%s -> %s", f->tasks[e->from]->name, f->tasks[e->to]->name);
            unsupported(em, "loop", text, "the link closes a cycle; an Airflow DAG has none", e->span, f->tasks[e->to]->name);
            free(text);
            continue;
        }
        sb_puts(out, "\n    ");
        sb_puts(out, exit_var(fp, e->from));
        if (ep->gate)
            sb_printf(out, " >> %s", ep->gate_var);
        sb_printf(out, " >> %s\n", entry_var(fp, e->to));
    }
    for (int i = 0; i < f->n_tasks; i++) {
        const task_plan *tp = &fp->tasks[i];
        if (!tp->group)
            continue;
        const flow_plan *sp = fp->subs[i];
        emit_deps(em, sp);
        /* the sub-flow's last tasks end it */
        strbuf leaves = STRBUF_INIT;
        int n = 0;
        for (int j = 0; j < sp->f->n_tasks; j++) {
            bool leaf = true;
            for (int k = 0; k < sp->f->n_edges && leaf; k++)
                leaf = sp->f->edges[k].from != j || sp->edges[k].loop;
            if (!leaf)
                continue;
            if (n++)
                sb_puts(&leaves, ", ");
            sb_puts(&leaves, exit_var(sp, j));
        }
        sb_printf(out, "    # end of sub-flow %s\n", tp->id);
        if (n)
            sb_printf(out, "    %s%s%s >> %s\n", n > 1 ? "[" : "", sb_cstr(&leaves), n > 1 ? "]" : "", tp->end_var);
        sb_free(&leaves);
    }
}

static void emit_flow(emitter *em, const flow_plan *fp, int ind)
{
    for (int i = 0; i < fp->f->n_tasks; i++)
        emit_task(em, fp, i, ind);
    emit_gates(em, fp, ind);
}

/* ---- the module ---- */

static void collect_persistent(emitter *em, const ir_flow *f)
{
    for (int i = 0; i < f->n_vars; i++) {
        if (!f->vars[i].persistent)
            continue;
        if (em->persistent.len)
            sb_puts(&em->persistent, ", ");
        af_py_string(&em->persistent, f->vars[i].name);
    }
}

static void put_param(strbuf *out, const ir_flow_var *v)
{
    const char *ty = "string";
    switch (v->type.kind) {
    case IR_TY_BOOL: ty = "boolean"; break;
    case IR_TY_INT:
    case IR_TY_BIGINT: ty = "integer"; break;
    case IR_TY_DECIMAL:
    case IR_TY_DOUBLE: ty = "number"; break;
    default: break;
    }
    const char *d = v->default_value;
    bool numeric = false;
    if (d && d[0] && strcmp(ty, "string") != 0 && strcmp(ty, "boolean") != 0) {
        char *end = NULL;
        if (strcmp(ty, "integer") == 0)
            (void)strtoll(d, &end, 10);
        else
            (void)strtod(d, &end);
        numeric = end && *end == '\0';
    }
    sb_puts(out, "        ");
    af_py_string(out, v->name);
    sb_puts(out, ": Param(");
    if (!d)
        sb_puts(out, "None");
    else if (numeric)
        sb_puts(out, d);
    else if (strcmp(ty, "boolean") == 0 && (strcasecmp(d, "true") == 0 || strcasecmp(d, "false") == 0))
        sb_puts(out, tolower((unsigned char)d[0]) == 't' ? "True" : "False");
    else
        af_py_string(out, d);
    /* a default that is not of the declared type is kept as text: the type says both */
    if (d && !numeric && strcmp(ty, "string") != 0 && !(strcmp(ty, "boolean") == 0 && (strcasecmp(d, "true") == 0 || strcasecmp(d, "false") == 0)))
        sb_printf(out, ", type=[\"null\", \"%s\", \"string\"]", ty);
    else
        sb_printf(out, ", type=[\"null\", \"%s\"]", ty);
    strbuf desc = STRBUF_INIT;
    const char *what = v->is_param ? "parameter" : v->persistent ? "persistent variable" : "workflow variable";
    sb_puts(&desc, what);
    if (v->source && strcmp(v->source, what) != 0) {
        sb_puts(&desc, " from ");
        sb_puts(&desc, v->source);
    }
    sb_puts(out, ", description=");
    af_py_string(out, sb_cstr(&desc));
    sb_puts(out, "),\n");
    sb_free(&desc);
}

static const char *const helpers_text =
    "def _status(context, task_id):\n"
    "    \"\"\"A task's legacy status in this run: SUCCEEDED, FAILED, DISABLED or NOTSTARTED.\"\"\"\n"
    "    if task_id in _DISABLED:\n"
    "        return \"DISABLED\"\n"
    "    ti = context[\"dag_run\"].get_task_instance(task_id)\n"
    "    state = getattr(ti, \"state\", None)\n"
    "    state = getattr(state, \"value\", state)\n"
    "    return {\"success\": \"SUCCEEDED\", \"failed\": \"FAILED\"}.get(state, \"NOTSTARTED\")\n"
    "\n\n"
    "def _decision(context, task_id):\n"
    "    \"\"\"The outcome a decision task pushed in this run (None when it did not run).\"\"\"\n"
    "    return context[\"ti\"].xcom_pull(task_ids=task_id, key=\"condition\")\n"
    "\n\n"
    "def _var(context, name):\n"
    "    \"\"\"A workflow variable: the latest value an assignment task pushed in this run, else the\n"
    "    persistent value (Airflow Variable \"<dag_id>.<name>\"), else the DAG param.\"\"\"\n"
    "    for task_id in reversed(_ASSIGNED_BY.get(name, [])):\n"
    "        value = context[\"ti\"].xcom_pull(task_ids=task_id, key=name)\n"
    "        if value is not None:\n"
    "            return value\n"
    "    if name in _PERSISTENT:\n"
    "        value = Variable.get(context[\"dag\"].dag_id + \".\" + name, default_var=None, deserialize_json=True)\n"
    "        if value is not None:\n"
    "            return value\n"
    "    return context[\"params\"].get(name)\n"
    "\n\n"
    "def _concat(*parts):\n"
    "    \"\"\"Legacy string concatenation: NULL counts as empty.\"\"\"\n"
    "    return \"\".join(\"\" if p is None else str(p) for p in parts)\n"
    "\n\n"
    "def _to_char(value, fmt):\n"
    "    \"\"\"Legacy TO_CHAR: a date in fmt (strftime; default MM/DD/YYYY HH24:MI:SS), else the text.\"\"\"\n"
    "    if value is None:\n"
    "        return None\n"
    "    if hasattr(value, \"strftime\"):\n"
    "        return value.strftime(fmt or \"%m/%d/%Y %H:%M:%S\")\n"
    "    return str(value)\n"
    "\n\n"
    "def _date_add(value, part, amount):\n"
    "    \"\"\"Legacy ADD_TO_DATE: the date moved by amount parts; month ends clamp.\"\"\"\n"
    "    if value is None or amount is None:\n"
    "        return None\n"
    "    amount = int(amount)\n"
    "    if part in (\"year\", \"quarter\", \"month\"):\n"
    "        months = value.month - 1 + amount * {\"year\": 12, \"quarter\": 3, \"month\": 1}[part]\n"
    "        year, month = value.year + months // 12, months % 12 + 1\n"
    "        return value.replace(year=year, month=month, day=min(value.day, calendar.monthrange(year, month)[1]))\n"
    "    seconds = {\"week\": 604800, \"day\": 86400, \"hour\": 3600, \"minute\": 60, \"second\": 1}[part]\n"
    "    return value + timedelta(seconds=amount * seconds)\n"
    "\n\n"
    "def _hole(where, text, reason):\n"
    "    \"\"\"A legacy construct etlport did not translate: fail, naming it (never a silent no-op).\"\"\"\n"
    "    raise AirflowFailException(f\"etlport HOLE at {where}: {reason}: {text}\")\n"
    "\n\n"
    "def _control(action, scope, where, **context):\n"
    "    \"\"\"A legacy Control task. stop_* / abort_*: what has not started yet in scope (a TaskGroup\n"
    "    prefix, \"\" for the whole run) is skipped first; then every action fails this task.\"\"\"\n"
    "    if action.startswith((\"stop\", \"abort\")):\n"
    "        me = context[\"ti\"].task_id\n"
    "        for ti in context[\"dag_run\"].get_task_instances(state=[None, \"scheduled\", \"queued\"]):\n"
    "            if ti.task_id != me and ti.task_id.startswith(scope):\n"
    "                ti.set_state(\"skipped\")\n"
    "    raise AirflowFailException(f\"{where}: legacy control task: {action}\")\n";

static void put_schedule(strbuf *out, const ir_flow *f)
{
    const ir_schedule *s = &f->schedule;
    if (s->text) {
        sb_puts(out, "# legacy schedule: ");
        put_comment_text(out, s->text, 300);
        sb_putc(out, '\n');
    }
    if (s->approx) {
        sb_puts(out, "# approximate: ");
        put_comment_text(out, s->approx, 300);
        sb_putc(out, '\n');
    }
    if (s->max_runs > 0)
        sb_printf(out, "# legacy: at most %d runs; Airflow has no run count limit (use end_date)\n", s->max_runs);
}

static void put_schedule_arg(strbuf *out, const ir_flow *f)
{
    const ir_schedule *s = &f->schedule;
    sb_puts(out, "    schedule=");
    switch (s->kind) {
    case IR_SCHED_ONCE: sb_puts(out, "\"@once\",\n"); break;
    case IR_SCHED_CRON:
        af_py_string(out, s->cron ? s->cron : "@daily");
        sb_puts(out, ",\n");
        break;
    case IR_SCHED_CONTINUOUS:
        sb_puts(out, "\"@continuous\",  # a new run as soon as the last one ends (Airflow 2.6+)\n");
        break;
    case IR_SCHED_ON_START:
        sb_puts(out, "None,  # legacy: run when the service starts; Airflow has no such trigger\n");
        break;
    default: sb_puts(out, "None,  # run on demand (triggered by hand or by another scheduler)\n"); break;
    }
}

/* "YYYY-MM-DD HH:MM:SS" as datetime(...) arguments; the fixed default when absent or unreadable. */
static void put_date(strbuf *out, const char *s, bool *is_default)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    int n = s ? sscanf(s, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &se) : 0;
    if (n < 3 || y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        se < 0 || se > 59) {
        y = 2024, mo = 1, d = 1, h = mi = se = 0;
        if (is_default)
            *is_default = true;
    } else if (n < 6) {
        h = mi = se = 0;
    }
    sb_printf(out, "datetime(%d, %d, %d, %d, %d, %d, tzinfo=timezone.utc)", y, mo, d, h, mi, se);
}

int airflow_emit_flow(const ir_flow *f, const airflow_options *opt, strbuf *out, be_result *res, diag_ctx *dc)
{
    be_result local_res = {0};
    emitter em;
    memset(&em, 0, sizeof em);
    em.top = f;
    em.opt = opt;
    em.res = res ? res : &local_res;
    em.job_target = opt && opt->job_target ? opt->job_target : "spark";
    for (int i = 0; i < f->n_edges; i++)
        if (f->edges[i].from < 0 || f->edges[i].from >= f->n_tasks || f->edges[i].to < 0 ||
            f->edges[i].to >= f->n_tasks) {
            diag_at(dc, DIAG_ERROR, NULL, f->file, f->span.line, f->span.col,
                    "workflow '%s': a link names no task of the flow", f->name);
            return -1;
        }

    char dag_id[256];
    bool dag_renamed = airflow_task_id(f->name, dag_id, sizeof dag_id);
    flow_plan *fp = plan_flow(&em, f, "", NULL);
    emit_flow(&em, fp, 4);
    emit_deps(&em, fp);
    collect_persistent(&em, f);

    /* header */
    sb_printf(out, "# %s: Airflow DAG generated by etlport from the %s %s ", dag_id, f->format ? f->format : "",
              ir_flow_kind_name(f->kind));
    put_comment_text(out, f->name, 200);
    sb_putc(out, '\n');
    sb_puts(out, "# source: ");
    put_where(out, f, f->span);
    sb_putc(out, '\n');
    if (f->folder) {
        sb_puts(out, "# folder: ");
        put_comment_text(out, f->folder, 200);
        sb_putc(out, '\n');
    }
    if (dag_renamed)
        sb_puts(out, "# dag_id: characters Airflow does not allow in ids became '_'\n");
    if (f->description && f->description[0]) {
        sb_puts(out, "# ");
        put_comment_text(out, f->description, 300);
        sb_putc(out, '\n');
    }
    for (int i = 0; i < f->n_param_files; i++) {
        sb_puts(out, "# parameter file: ");
        put_comment_text(out, f->param_files[i], 300);
        sb_puts(out, " (its values are the param defaults below)\n");
    }
    for (int i = 0; i < f->n_props; i++) {
        sb_puts(out, "# legacy ");
        put_comment_text(out, f->props[i].key, 80);
        sb_puts(out, " = ");
        put_comment_text(out, f->props[i].value, 200);
        sb_putc(out, '\n');
    }
    sb_puts(out, "# Task mapping, trigger rules and what is approximate: docs/airflow.md.\n");
    sb_puts(out, "from __future__ import annotations\n\n");
    if (em.needs & NEED_HELPERS)
        sb_puts(out, "import calendar\n");
    sb_puts(out, "import os\n");
    sb_printf(out, "from datetime import datetime%s, timezone\n",
              em.needs & (NEED_TIMEDELTA | NEED_HELPERS) ? ", timedelta" : "");
    sb_puts(out, "from pathlib import Path\n\n");
    sb_puts(out, "from airflow import DAG\n");
    if (em.needs & (NEED_HELPERS | NEED_PYTHON))
        sb_puts(out, "from airflow.exceptions import AirflowFailException, AirflowSkipException\n");
    if (em.needs & (NEED_HELPERS | NEED_VARIABLE))
        sb_puts(out, "from airflow.models import Variable\n");
    sb_puts(out, "from airflow.models.param import Param\n");
    if (em.needs & NEED_BASH)
        sb_puts(out, "from airflow.operators.bash import BashOperator\n");
    if (em.needs & NEED_EMAIL)
        sb_puts(out, "from airflow.operators.email import EmailOperator\n");
    if (em.needs & NEED_EMPTY)
        sb_puts(out, "from airflow.operators.empty import EmptyOperator\n");
    if (em.needs & (NEED_PYTHON | NEED_BRANCH))
        sb_printf(out, "from airflow.operators.python import %s\n",
                  (em.needs & NEED_PYTHON) && (em.needs & NEED_BRANCH) ? "BranchPythonOperator, PythonOperator"
                  : em.needs & NEED_BRANCH                              ? "BranchPythonOperator"
                                                                        : "PythonOperator");
    if (em.needs & NEED_SPARK)
        sb_puts(out, "from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator\n");
    if (em.needs & NEED_SPARK_SQL)
        sb_puts(out, "from airflow.providers.apache.spark.operators.spark_sql import SparkSqlOperator\n");
    if (em.needs & NEED_SQL)
        sb_puts(out, "from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator\n");
    if (em.needs & NEED_DATETIME_SENSOR)
        sb_puts(out, "from airflow.sensors.date_time import DateTimeSensor\n");
    if (em.needs & NEED_FILE)
        sb_puts(out, "from airflow.sensors.filesystem import FileSensor\n");
    if (em.needs & NEED_GROUP)
        sb_puts(out, "from airflow.utils.task_group import TaskGroup\n");
    sb_puts(out, "\n# Where `etlport convert` wrote the jobs (OUTDIR; this file is OUTDIR/<folder>/workflows/<flow>/dag.py).\n"
                 "# Override with the environment variable ETLPORT_ROOT, or per run with the param etlport_root.\n"
                 "ETLPORT_ROOT = os.environ.get(\"ETLPORT_ROOT\", str(Path(__file__).resolve().parents[3]))\n");
    if (em.needs & NEED_HELPERS) {
        sb_printf(out, "\n# tasks disabled in the legacy flow\n_DISABLED = frozenset({%s})\n", sb_cstr(&em.disabled));
        sb_puts(out, "# workflow variable -> the assignment tasks that set it, in flow order\n_ASSIGNED_BY = {");
        /* group the (variable, task) pairs by variable, in order of first appearance */
        if (em.assigned.len) {
            sb_puts(out, "}\nfor _name, _task_id in [\n");
            sb_puts(out, sb_cstr(&em.assigned));
            sb_puts(out, "\n]:\n    _ASSIGNED_BY.setdefault(_name, []).append(_task_id)\n");
        } else {
            sb_puts(out, "}\n");
        }
        sb_printf(out, "# persistent variables: kept between runs in Airflow Variables\n_PERSISTENT = frozenset({%s})\n",
                  sb_cstr(&em.persistent));
        sb_puts(out, "\n\n");
        sb_puts(out, helpers_text);
    }
    sb_puts(out, "\n\n");
    put_schedule(out, f);
    bool start_default = false;
    strbuf start = STRBUF_INIT;
    put_date(&start, f->schedule.start, &start_default);
    if (start_default)
        sb_puts(out, "# start_date: the legacy schedule names none; a fixed date keeps the DAG deterministic\n");
    sb_puts(out, "with DAG(\n    dag_id=");
    af_py_string(out, dag_id);
    sb_puts(out, ",\n");
    if (f->description && f->description[0]) {
        sb_puts(out, "    description=");
        af_py_string(out, f->description);
        sb_puts(out, ",\n");
    }
    put_schedule_arg(out, f);
    sb_printf(out, "    start_date=%s,\n", sb_cstr(&start));
    sb_free(&start);
    if (f->schedule.end) {
        sb_puts(out, "    end_date=");
        put_date(out, f->schedule.end, NULL);
        sb_puts(out, ",\n");
    }
    sb_puts(out, "    catchup=False,\n    max_active_runs=1,\n    template_searchpath=[ETLPORT_ROOT],\n");
    sb_puts(out, "    tags=[\"etlport\"");
    if (f->format) {
        sb_puts(out, ", ");
        af_py_string(out, f->format);
    }
    sb_puts(out, "],\n    params={\n");
    sb_puts(out, "        \"etlport_root\": Param(ETLPORT_ROOT, type=\"string\", description=\"OUTDIR of etlport convert\"),\n");
    for (int i = 0; i < f->n_vars; i++)
        put_param(out, &f->vars[i]);
    for (int i = 0; i < f->n_tasks; i++) {
        const ir_flow *sub = f->tasks[i]->sub;
        for (int k = 0; sub && k < sub->n_vars; k++)
            if (!ir_flow_var_get(f, sub->vars[k].name))
                put_param(out, &sub->vars[k]);
    }
    sb_puts(out, "    },\n) as dag:\n");
    if (!em.body.len)
        sb_puts(out, "    pass  # the legacy flow has no tasks\n");
    sb_puts(out, sb_cstr(&em.body));
    if (em.deps.len) {
        sb_puts(out, "    # ---- links ----\n");
        sb_puts(out, sb_cstr(&em.deps));
    }

    plan_free(fp);
    for (int i = 0; i < em.n_idents; i++)
        free(em.idents[i]);
    free(em.idents);
    sb_free(&em.body);
    sb_free(&em.deps);
    sb_free(&em.disabled);
    sb_free(&em.assigned);
    sb_free(&em.persistent);
    return 0;
}
