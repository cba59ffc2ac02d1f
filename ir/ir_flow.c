/*
 * ir_flow.c — workflows: construction, the meaning of edge conditions for a scheduler, holes,
 * and the text and JSON forms (ir_flow.h).
 */
#include "ir/ir_flow.h"

#include <ctype.h>
#include <string.h>

#include <cjson/cJSON.h>

static void *zalloc(ir_flow *f, size_t n)
{
    return arena_alloc(f->job->arena, n); /* arena memory is zeroed */
}

const char *ir_flow_intern(ir_flow *f, const char *s)
{
    return s ? ir_intern(f->job, s) : NULL;
}

ir_flow *ir_flow_new(ir_flow_kind kind, const char *name)
{
    ir_job *job = ir_job_new(name);
    ir_flow *f = arena_alloc(job->arena, sizeof *f);
    f->job = job;
    f->kind = kind;
    f->name = job->name;
    f->owns_job = true;
    return f;
}

ir_flow *ir_flow_new_sub(ir_flow *parent, ir_flow_kind kind, const char *name)
{
    ir_flow *f = zalloc(parent, sizeof *f);
    f->job = parent->job;
    f->kind = kind;
    f->name = ir_flow_intern(parent, name);
    f->folder = parent->folder;
    f->format = parent->format;
    f->file = parent->file;
    return f;
}

void ir_flow_free(ir_flow *f)
{
    if (f && f->owns_job)
        ir_job_free(f->job);
}

ir_task *ir_flow_add_task(ir_flow *f, ir_task_kind kind, const char *name, ir_span span)
{
    ir_task *t = zalloc(f, sizeof *t);
    t->kind = kind;
    t->name = ir_flow_intern(f, name ? name : "");
    t->span = span;
    ARENA_PUSH(f->job->arena, f->tasks, f->n_tasks, f->cap_tasks, t);
    return t;
}

static bool strieq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

int ir_flow_task_index(const ir_flow *f, const char *name)
{
    for (int i = 0; i < f->n_tasks; i++)
        if (strieq(f->tasks[i]->name, name))
            return i;
    return -1;
}

ir_flow_edge *ir_flow_add_edge(ir_flow *f, int from, int to, ir_expr *cond, const char *cond_text, ir_span span)
{
    ir_flow_edge e = {from, to, cond, ir_flow_intern(f, cond_text), span};
    ARENA_PUSH(f->job->arena, f->edges, f->n_edges, f->cap_edges, e);
    return &f->edges[f->n_edges - 1];
}

ir_flow_var *ir_flow_add_var(ir_flow *f, const char *name, ir_type type)
{
    ir_flow_var *v = ir_flow_var_get(f, name);
    if (!v) {
        ir_flow_var nv = {0};
        nv.name = ir_flow_intern(f, name);
        ARENA_PUSH(f->job->arena, f->vars, f->n_vars, f->cap_vars, nv);
        v = &f->vars[f->n_vars - 1];
        /* conditions read variables as IR_EX_PARAM: register them so types resolve */
        ir_param *p = ir_job_param(f->job, v->name);
        if (!p)
            p = ir_job_add_param(f->job, v->name);
        p->type = type;
    }
    v->type = type;
    return v;
}

ir_flow_var *ir_flow_var_get(const ir_flow *f, const char *name)
{
    for (int i = 0; i < f->n_vars; i++)
        if (strieq(f->vars[i].name, name))
            return &f->vars[i];
    return NULL;
}

void ir_flow_add_param_file(ir_flow *f, const char *path)
{
    for (int i = 0; i < f->n_param_files; i++)
        if (strcmp(f->param_files[i], path) == 0)
            return;
    ARENA_PUSH(f->job->arena, f->param_files, f->n_param_files, f->cap_param_files, ir_flow_intern(f, path));
}

void ir_flow_add_prop(ir_flow *f, const char *key, const char *value)
{
    ir_prop p = {ir_flow_intern(f, key), ir_flow_intern(f, value ? value : "")};
    ARENA_PUSH(f->job->arena, f->props, f->n_props, f->cap_props, p);
}

void ir_task_add_prop(ir_flow *f, ir_task *t, const char *key, const char *value)
{
    ir_prop p = {ir_flow_intern(f, key), ir_flow_intern(f, value ? value : "")};
    ARENA_PUSH(f->job->arena, t->props, t->n_props, t->cap_props, p);
}

const char *ir_task_prop(const ir_task *t, const char *key)
{
    for (int i = t->n_props - 1; i >= 0; i--)
        if (strcmp(t->props[i].key, key) == 0)
            return t->props[i].value;
    return NULL;
}

void ir_task_add_command(ir_flow *f, ir_task *t, const char *name, const char *command)
{
    /* the two arrays grow together: push the name with a copy of the counters */
    int n = t->n_commands, cap = t->cap_commands;
    ARENA_PUSH(f->job->arena, t->command_names, n, cap, ir_flow_intern(f, name ? name : ""));
    ARENA_PUSH(f->job->arena, t->commands, t->n_commands, t->cap_commands, ir_flow_intern(f, command ? command : ""));
}

ir_flow_assign *ir_task_add_assign(ir_flow *f, ir_task *t, const char *var, ir_expr *value, const char *text)
{
    ir_flow_assign a = {ir_flow_intern(f, var), value, ir_flow_intern(f, text)};
    ARENA_PUSH(f->job->arena, t->assigns, t->n_assigns, t->cap_assigns, a);
    return &t->assigns[t->n_assigns - 1];
}

/* ---- names ---- */

const char *ir_flow_kind_name(ir_flow_kind k)
{
    static const char *const names[] = {"workflow", "worklet", "plan", "script"};
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

const char *ir_task_kind_name(ir_task_kind k)
{
    static const char *const names[] = {"start",       "job",        "command",    "sql",     "decision",
                                        "email",       "timer",      "event_wait", "event_raise",
                                        "assignment",  "subflow",    "control",    "hole"};
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

const char *ir_sched_kind_name(ir_sched_kind k)
{
    static const char *const names[] = {"on_demand", "once", "cron", "continuous", "on_start"};
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

const char *ir_link_kind_name(ir_link_kind k)
{
    static const char *const names[] = {"always", "success", "failure", "decision_true", "decision_false", "expr"};
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

const char *const *ir_flow_task_attrs(void)
{
    /* PowerCenter's predefined task variables, in the IR's spelling */
    static const char *const attrs[] = {"status",           "prev_task_status", "condition",
                                        "start_time",       "end_time",         "error_code",
                                        "error_msg",        "src_success_rows", "src_failed_rows",
                                        "tgt_success_rows", "tgt_failed_rows",  "total_trans_errors",
                                        "first_error_code", "first_error_msg",
                                        /* BTEQ's ACTIVITYCOUNT: rows the task's last request touched */
                                        "activity_count",   NULL};
    return attrs;
}

/* ---- edge conditions ---- */

/* The attribute a parameter reference names on task `task` ("<task>.<attr>"), or NULL. */
static const char *task_attr(const ir_expr *e, const char *task)
{
    if (!e || e->kind != IR_EX_PARAM || !task)
        return NULL;
    const char *dot = strrchr(e->u.param.name, '.');
    if (!dot)
        return NULL;
    size_t n = (size_t)(dot - e->u.param.name);
    if (strlen(task) != n)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)task[i]) != tolower((unsigned char)e->u.param.name[i]))
            return NULL;
    return dot + 1;
}

static bool is_string_lit(const ir_expr *e, const char *upper)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_STRING && strieq(e->u.lit.text, upper);
}

static bool is_bool_lit(const ir_expr *e, bool v)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_BOOL && strieq(e->u.lit.text, v ? "true" : "false");
}

static bool is_call(const ir_expr *e, ir_fn fn)
{
    return e && e->kind == IR_EX_CALL && e->u.call.fn == fn;
}

/* Status tests of one comparison `task.status|prev_task_status = 'X'` (either side): the status
 * literal, or NULL; *neg when the comparison is <>. */
static const ir_expr *status_test(const ir_expr *e, const char *task, bool *neg)
{
    if (!is_call(e, IR_FN_EQ) && !is_call(e, IR_FN_NE))
        return NULL;
    *neg = is_call(e, IR_FN_NE);
    const ir_expr *a = e->u.call.args[0], *b = e->u.call.args[1];
    const char *attr = task_attr(a, task);
    const ir_expr *lit = b;
    if (!attr) {
        attr = task_attr(b, task);
        lit = a;
    }
    if (!attr || (strcmp(attr, "status") != 0 && strcmp(attr, "prev_task_status") != 0))
        return NULL;
    if (!lit || lit->kind != IR_EX_LIT || lit->u.lit.kind != IR_LIT_STRING)
        return NULL;
    return lit;
}

/* 1: the term says "from succeeded" (or was disabled); 2: "from failed"; 0: neither. */
static int status_term(const ir_expr *e, const char *task)
{
    bool neg = false;
    const ir_expr *lit = status_test(e, task, &neg);
    if (!lit)
        return 0;
    if (!neg && (is_string_lit(lit, "SUCCEEDED") || is_string_lit(lit, "DISABLED")))
        return 1;
    if (!neg && (is_string_lit(lit, "FAILED") || is_string_lit(lit, "ABORTED") || is_string_lit(lit, "STOPPED")))
        return 2;
    if (neg && is_string_lit(lit, "SUCCEEDED"))
        return 2;
    return 0;
}

ir_link_kind ir_flow_edge_kind(const ir_flow *f, const ir_flow_edge *e)
{
    if (!e->cond)
        return IR_LINK_ALWAYS;
    const char *task = e->from >= 0 && e->from < f->n_tasks ? f->tasks[e->from]->name : NULL;
    const ir_expr *c = e->cond;
    /* decision outcome */
    if (task_attr(c, task) && strcmp(task_attr(c, task), "condition") == 0)
        return IR_LINK_DECISION_TRUE;
    if (is_call(c, IR_FN_NOT) && task_attr(c->u.call.args[0], task) &&
        strcmp(task_attr(c->u.call.args[0], task), "condition") == 0)
        return IR_LINK_DECISION_FALSE;
    if (is_call(c, IR_FN_EQ) || is_call(c, IR_FN_NE)) {
        const ir_expr *a = c->u.call.args[0], *b = c->u.call.args[1];
        if (!task_attr(a, task)) {
            const ir_expr *t = a;
            a = b;
            b = t;
        }
        if (task_attr(a, task) && strcmp(task_attr(a, task), "condition") == 0 &&
            (is_bool_lit(b, true) || is_bool_lit(b, false))) {
            bool v = is_bool_lit(b, true) != is_call(c, IR_FN_NE);
            return v ? IR_LINK_DECISION_TRUE : IR_LINK_DECISION_FALSE;
        }
    }
    /* status of the predecessor: one test, or an OR of tests that agree */
    int kind = 0;
    if (is_call(c, IR_FN_OR)) {
        for (int i = 0; i < c->u.call.n_args; i++) {
            int k = status_term(c->u.call.args[i], task);
            if (!k || (kind && k != kind))
                return IR_LINK_EXPR;
            kind = k;
        }
    } else {
        kind = status_term(c, task);
    }
    return kind == 1 ? IR_LINK_SUCCESS : kind == 2 ? IR_LINK_FAILURE : IR_LINK_EXPR;
}

/* ---- holes and counts ---- */

typedef struct {
    ir_hole_fn fn;
    void *ud;
    int n;
} hole_walk;

static void expr_holes(hole_walk *w, const ir_expr *e)
{
    if (!e)
        return;
    if (e->kind == IR_EX_HOLE) {
        if (w->fn) {
            ir_hole_info h = {"expression", e->u.hole.text, e->u.hole.reason, e->span, 0, NULL};
            w->fn(w->ud, &h);
        }
        w->n++;
    } else if (e->kind == IR_EX_CALL) {
        for (int i = 0; i < e->u.call.n_args; i++)
            expr_holes(w, e->u.call.args[i]);
    }
}

static void flow_holes(hole_walk *w, const ir_flow *f)
{
    for (int i = 0; i < f->n_tasks; i++) {
        const ir_task *t = f->tasks[i];
        if (t->kind == IR_TASK_HOLE) {
            if (w->fn) {
                ir_hole_info h = {"task", t->text ? t->text : t->name, t->hole_reason, t->span, 0, t->name};
                w->fn(w->ud, &h);
            }
            w->n++;
        }
        expr_holes(w, t->cond);
        for (int k = 0; k < t->n_assigns; k++)
            expr_holes(w, t->assigns[k].value);
        if (t->sub)
            flow_holes(w, t->sub);
    }
    for (int i = 0; i < f->n_edges; i++)
        expr_holes(w, f->edges[i].cond);
}

int ir_flow_holes(const ir_flow *f, ir_hole_fn fn, void *userdata)
{
    hole_walk w = {fn, userdata, 0};
    flow_holes(&w, f);
    return w.n;
}

int ir_flow_count_tasks(const ir_flow *f)
{
    int n = f->n_tasks;
    for (int i = 0; i < f->n_tasks; i++)
        if (f->tasks[i]->sub)
            n += ir_flow_count_tasks(f->tasks[i]->sub);
    return n;
}

/* ---- text ---- */

static void text_expr(strbuf *sb, const ir_expr *e)
{
    if (e)
        ir_expr_to_text(sb, e);
    else
        sb_puts(sb, "-");
}

static void text_flow(strbuf *sb, const ir_flow *f, int ind)
{
    sb_indent(sb, ind);
    sb_printf(sb, "%s %s", ir_flow_kind_name(f->kind), f->name);
    if (f->folder)
        sb_printf(sb, " folder=%s", f->folder);
    sb_putc(sb, '\n');
    if (f->kind != IR_FLOW_WORKLET || f->schedule.kind != IR_SCHED_ON_DEMAND || f->schedule.cron) {
        sb_indent(sb, ind + 2);
        sb_printf(sb, "schedule %s", ir_sched_kind_name(f->schedule.kind));
        if (f->schedule.cron)
            sb_printf(sb, " cron=\"%s\"", f->schedule.cron);
        if (f->schedule.start)
            sb_printf(sb, " start=\"%s\"", f->schedule.start);
        if (f->schedule.end)
            sb_printf(sb, " end=\"%s\"", f->schedule.end);
        if (f->schedule.approx)
            sb_printf(sb, " approx=\"%s\"", f->schedule.approx);
        sb_putc(sb, '\n');
    }
    for (int i = 0; i < f->n_vars; i++) {
        const ir_flow_var *v = &f->vars[i];
        char ty[64];
        ir_type_format(v->type, ty, sizeof ty);
        sb_indent(sb, ind + 2);
        sb_printf(sb, "%s %s %s", v->is_param ? "param" : "var", v->name, ty);
        if (v->default_value)
            sb_printf(sb, " = \"%s\"", v->default_value);
        if (v->persistent)
            sb_puts(sb, " persistent");
        if (v->source)
            sb_printf(sb, " from %s", v->source);
        sb_putc(sb, '\n');
    }
    for (int i = 0; i < f->n_param_files; i++) {
        sb_indent(sb, ind + 2);
        sb_printf(sb, "parameter_file %s\n", f->param_files[i]);
    }
    for (int i = 0; i < f->n_tasks; i++) {
        const ir_task *t = f->tasks[i];
        sb_indent(sb, ind + 2);
        sb_printf(sb, "task %s %s", ir_task_kind_name(t->kind), t->name);
        if (t->disabled)
            sb_puts(sb, " disabled");
        if (t->join_or)
            sb_puts(sb, " join=or");
        if (t->fail_parent)
            sb_puts(sb, " fail_parent");
        if (t->retries)
            sb_printf(sb, " retries=%d", t->retries);
        if (t->timeout_s)
            sb_printf(sb, " timeout=%ds", t->timeout_s);
        if (t->kind == IR_TASK_COMMAND && t->stop_on_error)
            sb_puts(sb, " stop_on_error");
        if (t->ignore_errors)
            sb_puts(sb, " ignore_errors");
        switch (t->kind) {
        case IR_TASK_JOB:
            sb_printf(sb, " job=%s", t->job ? t->job : "?");
            if (t->job_folder)
                sb_printf(sb, " folder=%s", t->job_folder);
            break;
        case IR_TASK_DECISION:
            sb_puts(sb, " cond=");
            text_expr(sb, t->cond);
            break;
        case IR_TASK_TIMER:
            if (t->at)
                sb_printf(sb, " at=\"%s\"", t->at);
            else
                sb_printf(sb, " after=%ds from=%s", t->seconds, t->relative_to ? t->relative_to : "flow");
            break;
        case IR_TASK_EVENT_WAIT:
        case IR_TASK_EVENT_RAISE:
            if (t->event)
                sb_printf(sb, " event=%s", t->event);
            if (t->file)
                sb_printf(sb, " file=%s", t->file);
            if (t->delete_file)
                sb_puts(sb, " delete_file");
            break;
        case IR_TASK_EMAIL:
            sb_printf(sb, " to=\"%s\" subject=\"%s\"", t->email_to ? t->email_to : "",
                      t->email_subject ? t->email_subject : "");
            break;
        case IR_TASK_CONTROL:
            sb_printf(sb, " control=%s", t->control ? t->control : "?");
            break;
        case IR_TASK_HOLE:
            sb_printf(sb, " reason=\"%s\"", t->hole_reason ? t->hole_reason : "");
            break;
        default:
            break;
        }
        sb_putc(sb, '\n');
        for (int k = 0; k < t->n_commands; k++) {
            sb_indent(sb, ind + 4);
            sb_printf(sb, "command %s: %s\n", t->command_names[k], t->commands[k]);
        }
        if (t->sql) {
            sb_indent(sb, ind + 4);
            if (t->sql_dialect)
                sb_printf(sb, "sql (%s): %s\n", t->sql_dialect, t->sql);
            else
                sb_printf(sb, "sql: %s\n", t->sql);
        }
        for (int k = 0; k < t->n_assigns; k++) {
            sb_indent(sb, ind + 4);
            sb_printf(sb, "assign %s = ", t->assigns[k].var);
            text_expr(sb, t->assigns[k].value);
            sb_putc(sb, '\n');
        }
        for (int k = 0; k < t->n_props; k++) {
            sb_indent(sb, ind + 4);
            sb_printf(sb, "%s = %s\n", t->props[k].key, t->props[k].value);
        }
        if (t->sub)
            text_flow(sb, t->sub, ind + 4);
    }
    for (int i = 0; i < f->n_edges; i++) {
        const ir_flow_edge *e = &f->edges[i];
        sb_indent(sb, ind + 2);
        sb_printf(sb, "edge %s -> %s %s", f->tasks[e->from]->name, f->tasks[e->to]->name,
                  ir_link_kind_name(ir_flow_edge_kind(f, e)));
        if (e->cond) {
            sb_putc(sb, ' ');
            ir_expr_to_text(sb, e->cond);
        }
        sb_putc(sb, '\n');
    }
}

void ir_flow_to_text(strbuf *sb, const ir_flow *f)
{
    text_flow(sb, f, 0);
}

/* ---- JSON ---- */

static void j_str(cJSON *o, const char *key, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, key, v);
}

static void j_expr(cJSON *o, const char *key, const ir_expr *e)
{
    if (!e)
        return;
    strbuf sb;
    sb_init(&sb);
    ir_expr_to_text(&sb, e);
    cJSON_AddStringToObject(o, key, sb_cstr(&sb));
    sb_free(&sb);
}

static void j_span(cJSON *o, ir_span s)
{
    if (s.line > 0) {
        cJSON_AddNumberToObject(o, "line", s.line);
        cJSON_AddNumberToObject(o, "col", s.col);
    }
}

static cJSON *j_flow(const ir_flow *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "flow_version", 1);
    j_str(o, "kind", ir_flow_kind_name(f->kind));
    j_str(o, "name", f->name);
    j_str(o, "folder", f->folder);
    j_str(o, "format", f->format);
    j_str(o, "file", f->file);
    j_span(o, f->span);
    j_str(o, "description", f->description);
    cJSON *s = cJSON_AddObjectToObject(o, "schedule");
    j_str(s, "kind", ir_sched_kind_name(f->schedule.kind));
    j_str(s, "cron", f->schedule.cron);
    j_str(s, "start", f->schedule.start);
    j_str(s, "end", f->schedule.end);
    if (f->schedule.max_runs)
        cJSON_AddNumberToObject(s, "max_runs", f->schedule.max_runs);
    j_str(s, "approx", f->schedule.approx);
    j_str(s, "legacy", f->schedule.text);
    cJSON *vars = cJSON_AddArrayToObject(o, "variables");
    for (int i = 0; i < f->n_vars; i++) {
        const ir_flow_var *v = &f->vars[i];
        cJSON *jv = cJSON_CreateObject();
        char ty[64];
        ir_type_format(v->type, ty, sizeof ty);
        j_str(jv, "name", v->name);
        j_str(jv, "type", ty);
        j_str(jv, "default", v->default_value);
        j_str(jv, "source", v->source);
        cJSON_AddBoolToObject(jv, "parameter", v->is_param);
        cJSON_AddBoolToObject(jv, "persistent", v->persistent);
        cJSON_AddItemToArray(vars, jv);
    }
    cJSON *pf = cJSON_AddArrayToObject(o, "parameter_files");
    for (int i = 0; i < f->n_param_files; i++)
        cJSON_AddItemToArray(pf, cJSON_CreateString(f->param_files[i]));
    cJSON *tasks = cJSON_AddArrayToObject(o, "tasks");
    for (int i = 0; i < f->n_tasks; i++) {
        const ir_task *t = f->tasks[i];
        cJSON *jt = cJSON_CreateObject();
        j_str(jt, "name", t->name);
        j_str(jt, "kind", ir_task_kind_name(t->kind));
        j_span(jt, t->span);
        j_str(jt, "description", t->description);
        if (t->disabled)
            cJSON_AddBoolToObject(jt, "disabled", true);
        if (t->join_or)
            cJSON_AddStringToObject(jt, "join", "or");
        if (t->fail_parent)
            cJSON_AddBoolToObject(jt, "fail_parent", true);
        if (t->fail_parent_if_not_run)
            cJSON_AddBoolToObject(jt, "fail_parent_if_not_run", true);
        if (t->retries)
            cJSON_AddNumberToObject(jt, "retries", t->retries);
        if (t->retry_delay_s)
            cJSON_AddNumberToObject(jt, "retry_delay_s", t->retry_delay_s);
        if (t->timeout_s)
            cJSON_AddNumberToObject(jt, "timeout_s", t->timeout_s);
        j_str(jt, "job", t->job);
        j_str(jt, "job_folder", t->job_folder);
        if (t->n_commands) {
            cJSON *cmds = cJSON_AddArrayToObject(jt, "commands");
            for (int k = 0; k < t->n_commands; k++) {
                cJSON *c = cJSON_CreateObject();
                j_str(c, "name", t->command_names[k]);
                j_str(c, "command", t->commands[k]);
                cJSON_AddItemToArray(cmds, c);
            }
            cJSON_AddBoolToObject(jt, "stop_on_error", t->stop_on_error);
            if (t->ignore_errors)
                cJSON_AddBoolToObject(jt, "ignore_errors", true);
        }
        j_str(jt, "sql", t->sql);
        j_str(jt, "sql_dialect", t->sql_dialect);
        j_str(jt, "connection", t->connection);
        j_expr(jt, "condition", t->cond);
        j_str(jt, "legacy_condition", t->cond_text);
        j_str(jt, "email_to", t->email_to);
        j_str(jt, "email_subject", t->email_subject);
        j_str(jt, "email_body", t->email_body);
        if (t->kind == IR_TASK_TIMER) {
            j_str(jt, "at", t->at);
            if (!t->at) {
                cJSON_AddNumberToObject(jt, "seconds", t->seconds);
                j_str(jt, "relative_to", t->relative_to ? t->relative_to : "flow");
            }
        }
        j_str(jt, "event", t->event);
        j_str(jt, "file", t->file);
        if (t->delete_file)
            cJSON_AddBoolToObject(jt, "delete_file", true);
        if (t->n_assigns) {
            cJSON *as = cJSON_AddArrayToObject(jt, "assignments");
            for (int k = 0; k < t->n_assigns; k++) {
                cJSON *a = cJSON_CreateObject();
                j_str(a, "variable", t->assigns[k].var);
                j_expr(a, "value", t->assigns[k].value);
                j_str(a, "legacy", t->assigns[k].text);
                cJSON_AddItemToArray(as, a);
            }
        }
        j_str(jt, "control", t->control);
        j_str(jt, "text", t->text);
        j_str(jt, "hole_reason", t->hole_reason);
        if (t->n_props) {
            cJSON *props = cJSON_AddObjectToObject(jt, "properties");
            for (int k = 0; k < t->n_props; k++) {
                /* a repeated key keeps its last value, as ir_task_prop reads it */
                cJSON_DeleteItemFromObjectCaseSensitive(props, t->props[k].key);
                cJSON_AddStringToObject(props, t->props[k].key, t->props[k].value);
            }
        }
        if (t->sub)
            cJSON_AddItemToObject(jt, "subflow", j_flow(t->sub));
        cJSON_AddItemToArray(tasks, jt);
    }
    cJSON *edges = cJSON_AddArrayToObject(o, "edges");
    for (int i = 0; i < f->n_edges; i++) {
        const ir_flow_edge *e = &f->edges[i];
        cJSON *je = cJSON_CreateObject();
        j_str(je, "from", f->tasks[e->from]->name);
        j_str(je, "to", f->tasks[e->to]->name);
        j_str(je, "kind", ir_link_kind_name(ir_flow_edge_kind(f, e)));
        j_expr(je, "condition", e->cond);
        j_str(je, "legacy_condition", e->cond_text);
        j_span(je, e->span);
        cJSON_AddItemToArray(edges, je);
    }
    if (f->n_props) {
        cJSON *props = cJSON_AddObjectToObject(o, "properties");
        for (int k = 0; k < f->n_props; k++) {
            cJSON_DeleteItemFromObjectCaseSensitive(props, f->props[k].key);
            cJSON_AddStringToObject(props, f->props[k].key, f->props[k].value);
        }
    }
    cJSON_AddNumberToObject(o, "holes", ir_flow_holes(f, NULL, NULL));
    return o;
}

void ir_flow_to_json(const ir_flow *f, strbuf *out)
{
    cJSON *o = j_flow(f);
    char *s = cJSON_Print(o);
    sb_puts(out, s);
    sb_putc(out, '\n');
    cJSON_free(s);
    cJSON_Delete(o);
}
