/*
 * infa_wf.c — PowerCenter workflows into ir_flow (ir/ir_flow.h). infa_xml.c keeps every WORKFLOW
 * and the folder-level SESSION, TASK, WORKLET, SCHEDULER and CONFIG objects as element trees; at
 * the end of the file, once the mappings were lowered and their job names are known, each
 * WORKFLOW becomes one flow handed to fe_options.on_flow.
 *
 * A TASKINSTANCE is a task of the flow, named as the instance; its definition is the TASK /
 * SESSION / WORKLET of the same container (non-reusable) or of the folder (reusable). A session
 * runs the job of its MAPPINGNAME and keeps its overrides (connections, SQL, commands, commit and
 * error settings) as task properties, verbatim and in legacy order; a worklet becomes a sub-flow
 * built the same way. Link conditions, decision conditions and assignments go through the
 * expression parser (infa_expr.c) after `$task.Attr` is read as the parameter "<task>.<attr>";
 * what it cannot read is a hole with the legacy text. The scheduler becomes a schedule with a
 * cron expression where one exists, marked approximate where cron cannot say it exactly.
 */
#include "frontends/informatica/infa_expr.h"
#include "frontends/informatica/infa_internal.h"
#include "ir/ir_flow.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_WORKLET_DEPTH 32

/* One workflow being built. */
typedef struct wctx {
    infa_file *f;
    infa_folder *folder;
    const infa_elem *stack[MAX_WORKLET_DEPTH]; /* WORKFLOW, then the worklets being built in it */
    int depth;
    int recover_attempts; /* "Automatically recover terminated tasks": retries of restartable tasks */
} wctx;

/* ---- element helpers ---- */

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

static const char *eattr(const infa_elem *e, const char *name)
{
    return infa_elem_attr(e, name);
}

static bool eyes(const infa_elem *e, const char *name)
{
    const char *v = eattr(e, name);
    return v && infa_strieq(v, "YES");
}

static bool is_tag(const infa_elem *e, const char *tag)
{
    return strcmp(e->tag, tag) == 0;
}

/* The VALUE of the child <ATTRIBUTE NAME=name>, or NULL. */
static const char *attribute_value(const infa_elem *e, const char *name)
{
    for (int i = 0; e && i < e->n_kids; i++)
        if (is_tag(e->kids[i], "ATTRIBUTE") && infa_strieq(eattr(e->kids[i], "NAME"), name))
            return eattr(e->kids[i], "VALUE");
    return NULL;
}

/* The first child element tag, or NULL. */
static const infa_elem *first_child(const infa_elem *e, const char *tag)
{
    for (int i = 0; e && i < e->n_kids; i++)
        if (is_tag(e->kids[i], tag))
            return e->kids[i];
    return NULL;
}

/* Attribute name of e as a number, or dflt when absent. */
static int eint(const infa_elem *e, const char *name, int dflt)
{
    const char *v = e ? eattr(e, name) : NULL;
    return v ? atoi(v) : dflt;
}

/* The child element tag whose NAME is name (case-insensitive), or NULL. */
static const infa_elem *child_named(const infa_elem *e, const char *tag, const char *name)
{
    for (int i = 0; e && i < e->n_kids; i++)
        if (is_tag(e->kids[i], tag) && infa_strieq(eattr(e->kids[i], "NAME"), name))
            return e->kids[i];
    return NULL;
}

static ir_span span_of(wctx *w, ir_flow *fl, const infa_elem *e)
{
    ir_span s = {ir_flow_intern(fl, w->f->path), e->line, infa_elem_col(w->f, e->line, e->tag)};
    return s;
}

static void report(wctx *w, diag_level level, const infa_elem *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(wctx *w, diag_level level, const infa_elem *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(w->f->dc, level, &w->f->src, w->f->path, e->line, infa_elem_col(w->f, e->line, e->tag), fmt, ap);
    va_end(ap);
}

/* Whether hay contains needle, ignoring case. */
static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay && *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

/* The VALUEPAIR children of e in EXECORDER (document order among equals), in *out (arena a). */
static int valuepairs(arena *a, const infa_elem *e, const infa_elem ***out)
{
    int n = 0;
    for (int i = 0; i < e->n_kids; i++)
        n += is_tag(e->kids[i], "VALUEPAIR");
    const infa_elem **vp = arena_alloc(a, (size_t)(n ? n : 1) * sizeof *vp);
    *out = vp;
    n = 0;
    for (int i = 0; i < e->n_kids; i++)
        if (is_tag(e->kids[i], "VALUEPAIR"))
            vp[n++] = e->kids[i];
    for (int i = 1; i < n; i++) /* insertion sort: stable, and lists are short */
        for (int k = i; k > 0; k--) {
            if (eint(vp[k - 1], "EXECORDER", 0) <= eint(vp[k], "EXECORDER", 0))
                break;
            const infa_elem *t = vp[k];
            vp[k] = vp[k - 1];
            vp[k - 1] = t;
        }
    return n;
}

/* "$$NAME" -> "NAME" (also "$NAME"). */
static const char *undecorated(const char *name)
{
    while (name && *name == '$')
        name++;
    return name;
}

/* ---- conditions ---- */

/* The IR spelling of a PowerCenter task variable ("PrevTaskStatus" -> "prev_task_status"), or NULL. */
static const char *task_attr_name(const char *legacy)
{
    for (const char *const *a = ir_flow_task_attrs(); *a; a++) {
        const char *p = *a, *q = legacy;
        for (;;) {
            while (*p == '_')
                p++;
            while (*q == '_')
                q++;
            if (!*p || !*q || tolower((unsigned char)*p) != tolower((unsigned char)*q))
                break;
            p++, q++;
        }
        if (!*p && !*q)
            return *a;
    }
    return NULL;
}

static ir_type task_attr_type(const char *attr)
{
    if (strcmp(attr, "condition") == 0)
        return ir_type_make(IR_TY_BOOL, 0, 0);
    if (strstr(attr, "_time"))
        return ir_type_make(IR_TY_TIMESTAMP, 0, 0);
    if (strstr(attr, "_rows"))
        return ir_type_make(IR_TY_BIGINT, 0, 0);
    if (strstr(attr, "_code") || strcmp(attr, "total_trans_errors") == 0)
        return ir_type_make(IR_TY_INT, 0, 0);
    return ir_type_make(IR_TY_STRING, 0, 0); /* status, prev_task_status, messages */
}

typedef struct cond_ctx {
    wctx *w;
    ir_flow *fl;
    const infa_elem *elem; /* where the text is: the element and its attribute */
    const char *attr;
    const char *bad;       /* why the parsed expression is not usable, or NULL */
    const char *error;     /* the parser's first message, or NULL */
} cond_ctx;

/* Keeps the parser's first message as the hole's reason (the condition is not reported). */
static void keep_parse_error(void *ud, const diag *d)
{
    cond_ctx *cc = ud;
    if (!cc->error)
        cc->error = arena_strdup(cc->fl->job->arena, d->message);
}

/* Bare words of a condition: the status constants, in any case. */
static ir_expr *resolve_word(void *ud, const char *name)
{
    cond_ctx *cc = ud;
    static const char *const statuses[] = {"SUCCEEDED", "FAILED", "ABORTED", "STOPPED", "DISABLED", "NOTSTARTED", NULL};
    for (int i = 0; statuses[i]; i++)
        if (infa_strieq(name, statuses[i]))
            return ir_lit_str(cc->fl->job, statuses[i]);
    return NULL;
}

static void locate_cond(void *ud, size_t offset, int *line, int *col)
{
    cond_ctx *cc = ud;
    if (!infa_attr_locate(cc->w->f, cc->elem->line, cc->elem->tag, cc->attr, offset, line, col)) {
        *line = cc->elem->line;
        *col = infa_elem_col(cc->w->f, cc->elem->line, cc->elem->tag);
    }
}

/* Task variables were read as "$task@Attr" parameters: rename them "<task>.<attr>". A status
 * where a truth value is expected (`$s1.Status AND ...`) tests PowerCenter's integer status code,
 * which has no canonical meaning: the condition is then a hole. */
static void fix_task_vars(cond_ctx *cc, ir_expr *e, bool truth)
{
    if (!e || cc->bad)
        return;
    if (e->kind == IR_EX_CALL) {
        bool logical = e->u.call.fn == IR_FN_AND || e->u.call.fn == IR_FN_OR || e->u.call.fn == IR_FN_NOT;
        for (int i = 0; i < e->u.call.n_args; i++)
            fix_task_vars(cc, e->u.call.args[i], logical);
        return;
    }
    if (e->kind != IR_EX_PARAM)
        return;
    const char *at = strchr(e->u.param.name, '@');
    if (!at)
        return;
    char task[256];
    snprintf(task, sizeof task, "%.*s", (int)(at - e->u.param.name), e->u.param.name);
    int ti = ir_flow_task_index(cc->fl, task);
    const char *attr = task_attr_name(at + 1);
    if (ti < 0) {
        cc->bad = arena_printf(cc->fl->job->arena, "no task '%s' in %s", task, cc->fl->name);
        return;
    }
    if (!attr) {
        cc->bad = arena_printf(cc->fl->job->arena, "unknown task variable '%s'", at + 1);
        return;
    }
    if (truth && strcmp(attr, "condition") != 0) {
        cc->bad = arena_printf(cc->fl->job->arena, "$%s.%s used as a truth value (PowerCenter tests its integer code)",
                               task, at + 1);
        return;
    }
    e->u.param.name = ir_flow_intern(cc->fl, arena_printf(cc->fl->job->arena, "%s.%s", cc->fl->tasks[ti]->name, attr));
    e->type = task_attr_type(attr);
}

/* Parses a condition or an assignment's expression (the value of attribute attr of elem); what
 * cannot be read is a hole with the legacy text. */
static ir_expr *parse_cond(wctx *w, ir_flow *fl, const char *text, const infa_elem *elem, const char *attr)
{
    /* "$task.Attr" -> "$task@Attr": the lexer reads '@' as part of a $variable's name, and the
     * text keeps its length, so positions still map to the file */
    char *t = arena_strdup(fl->job->arena, text);
    bool in_str = false;
    for (size_t i = 0; t[i]; i++) {
        if (t[i] == '\'')
            in_str = !in_str;
        if (in_str || t[i] != '$' || t[i + 1] == '$' || (i > 0 && t[i - 1] == '$'))
            continue;
        size_t j = i + 1;
        while (isalnum((unsigned char)t[j]) || t[j] == '_' || t[j] == '#')
            j++;
        if (j > i + 1 && t[j] == '.' && isalpha((unsigned char)t[j + 1]))
            t[j] = '@';
    }
    cond_ctx cc = {w, fl, elem, attr, NULL, NULL};
    infa_expr_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.job = fl->job;
    ctx.resolve_port = resolve_word;
    ctx.userdata = &cc;
    ctx.locate = locate_cond;
    ctx.file = &w->f->src;
    ctx.path = w->f->path;
    diag_ctx quiet;
    diag_init(&quiet, keep_parse_error, &cc);
    ir_expr *e = infa_expr_parse(&ctx, t, &quiet);
    if (e)
        fix_task_vars(&cc, e, true);
    if (e && !cc.bad)
        return e;
    const char *why = cc.bad ? cc.bad
                      : cc.error ? arena_printf(fl->job->arena, "not understood: %s", cc.error)
                                 : "not understood as a PowerCenter condition";
    ir_expr *h = ir_hole(fl->job, text, why);
    h->span = span_of(w, fl, elem);
    return h;
}

/* ---- session overrides ---- */

/* Settings kept as task properties: where (element tag), the legacy NAME, the property key,
 * whether the key takes the instance name (SINSTANCENAME) as suffix, and the legacy default that
 * is not worth keeping (NULL: keep every non-empty value). */
static const struct {
    const char *tag, *legacy, *key;
    bool per_instance;
    const char *skip;
} prop_table[] = {
    {"SESSTRANSFORMATIONINST", "Sql Query", "sql_override", true, NULL},
    {"SESSTRANSFORMATIONINST", "Source Filter", "source_filter", true, NULL},
    {"SESSTRANSFORMATIONINST", "User Defined Join", "user_defined_join", true, NULL},
    {"SESSTRANSFORMATIONINST", "Lookup Sql Override", "lookup_sql_override", true, NULL},
    {"SESSTRANSFORMATIONINST", "Lookup table name", "lookup_table", true, NULL},
    {"SESSTRANSFORMATIONINST", "Source Table Name", "source_table", true, NULL},
    {"SESSTRANSFORMATIONINST", "Target Table Name", "target_table", true, NULL},
    {"SESSTRANSFORMATIONINST", "Table Name Prefix", "table_name_prefix", true, NULL},
    {"SESSTRANSFORMATIONINST", "Pre SQL", "pre_sql", false, NULL},
    {"SESSTRANSFORMATIONINST", "Post SQL", "post_sql", false, NULL},
    {"SESSIONEXTENSION", "Truncate target table option", "truncate_target", true, "NO"},
    {"SESSIONEXTENSION", "Source filename", "source_file", true, NULL},
    {"SESSIONEXTENSION", "Source file directory", "source_dir", true, NULL},
    {"SESSIONEXTENSION", "Output filename", "output_file", true, NULL},
    {"SESSIONEXTENSION", "Output file directory", "output_dir", true, NULL},
    {"CONFIGREFERENCE", "Stop on errors", "error_threshold", false, NULL},
    {"SESSION", "Parameter Filename", "parameter_file", false, NULL},
    {"SESSION", "$Source connection value", "connection:$Source", false, NULL},
    {"SESSION", "$Target connection value", "connection:$Target", false, NULL},
    {"SESSION", "Treat source rows as", "treat_source_rows_as", false, NULL},
    {"SESSION", "Commit Interval", "commit_interval", false, NULL},
    {"SESSION", "Stop on errors", "error_threshold", false, NULL},
    {"SESSION", "Recovery Strategy", "recovery_strategy", false, "Fail task and continue workflow"},
    {"TASK", "Recovery Strategy", "recovery_strategy", false, "Fail task and continue workflow"},
};

/* SESSIONCOMPONENT types: commands (VALUEPAIRs of the Command TASK inside), variable assignments
 * (VALUEPAIRs of the component, key + variable) and emails (the Email TASK's recipient). */
static const struct {
    const char *type, *key;
    char what; /* 'c' commands, 'a' assignments, 'e' email */
} component_table[] = {
    {"Pre-session command", "pre_session_command", 'c'},
    {"Post-session success command", "post_session_success_command", 'c'},
    {"Post-session failure command", "post_session_failure_command", 'c'},
    {"Pre-session variable assignment", "pre_session_assign:", 'a'},
    {"Post-session success variable assignment", "post_session_success_assign:", 'a'},
    {"Post-session failure variable assignment", "post_session_failure_assign:", 'a'},
    {"Success Email", "success_email", 'e'},
    {"Failure Email", "failure_email", 'e'},
};

/* The ATTRIBUTE children of e that prop_table lists for tag, as properties of t. */
static void table_props(ir_flow *fl, ir_task *t, const infa_elem *e, const char *tag, const char *inst)
{
    for (int i = 0; i < e->n_kids; i++) {
        const infa_elem *a = e->kids[i];
        const char *name = eattr(a, "NAME"), *value = nonempty(eattr(a, "VALUE"));
        if (!is_tag(a, "ATTRIBUTE") || !name || !value)
            continue;
        for (size_t k = 0; k < sizeof prop_table / sizeof *prop_table; k++) {
            if (strcmp(prop_table[k].tag, tag) != 0 || !infa_strieq(prop_table[k].legacy, name) ||
                (prop_table[k].skip && infa_strieq(prop_table[k].skip, value)))
                continue;
            if (prop_table[k].per_instance)
                ir_task_add_prop(fl, t, arena_printf(fl->job->arena, "%s:%s", prop_table[k].key, inst ? inst : ""),
                                 value);
            else
                ir_task_add_prop(fl, t, prop_table[k].key, value);
        }
    }
}

static void component_props(wctx *w, ir_flow *fl, ir_task *t, const infa_elem *c)
{
    const char *type = eattr(c, "TYPE");
    for (size_t k = 0; k < sizeof component_table / sizeof *component_table; k++) {
        if (!infa_strieq(component_table[k].type, type))
            continue;
        const infa_elem *task = first_child(c, "TASK");
        if (!task && eyes(c, "REUSABLE"))
            task = infa_map_get(&w->folder->tasks, eattr(c, "REFOBJECTNAME"));
        const infa_elem **vp;
        if (component_table[k].what == 'c' && task) {
            int n = valuepairs(w->f->arena, task, &vp);
            for (int i = 0; i < n; i++)
                if (nonempty(eattr(vp[i], "VALUE")))
                    ir_task_add_prop(fl, t, component_table[k].key, eattr(vp[i], "VALUE"));
        } else if (component_table[k].what == 'a') {
            int n = valuepairs(w->f->arena, c, &vp);
            for (int i = 0; i < n; i++)
                ir_task_add_prop(fl, t,
                                 arena_printf(fl->job->arena, "%s%s", component_table[k].key,
                                              undecorated(eattr(vp[i], "NAME"))),
                                 eattr(vp[i], "VALUE"));
        } else if (component_table[k].what == 'e' && task && nonempty(attribute_value(task, "Email User Name"))) {
            ir_task_add_prop(fl, t, component_table[k].key, attribute_value(task, "Email User Name"));
        }
    }
}

/* The session settings of e (a SESSION, or a TASKINSTANCE overriding a reusable one), in order. */
static void session_props(wctx *w, ir_flow *fl, ir_task *t, const infa_elem *e)
{
    for (int i = 0; i < e->n_kids; i++) {
        const infa_elem *c = e->kids[i];
        const char *inst = eattr(c, "SINSTANCENAME");
        if (is_tag(c, "SESSTRANSFORMATIONINST")) {
            table_props(fl, t, c, "SESSTRANSFORMATIONINST", inst);
        } else if (is_tag(c, "CONFIGREFERENCE")) {
            const infa_elem *cfg = infa_map_get(&w->folder->configs, eattr(c, "REFOBJECTNAME"));
            const char *v = attribute_value(cfg, "Stop on errors");
            if (v && *v && strcmp(v, "0") != 0)
                ir_task_add_prop(fl, t, "error_threshold", v);
            table_props(fl, t, c, "CONFIGREFERENCE", NULL);
        } else if (is_tag(c, "SESSIONCOMPONENT")) {
            component_props(w, fl, t, c);
        } else if (is_tag(c, "SESSIONEXTENSION")) {
            for (int k = 0; k < c->n_kids; k++) {
                const infa_elem *r = c->kids[k];
                if (!is_tag(r, "CONNECTIONREFERENCE"))
                    continue;
                const char *cn = nonempty(eattr(r, "CONNECTIONNAME"));
                if (!cn)
                    cn = nonempty(eattr(r, "VARIABLE"));
                if (cn)
                    ir_task_add_prop(fl, t, arena_printf(fl->job->arena, "connection:%s", inst ? inst : ""), cn);
            }
            table_props(fl, t, c, "SESSIONEXTENSION", inst);
        }
    }
    table_props(fl, t, e, "SESSION", NULL);
}

/* Which folder holds mapping name: the session's own, another folder of the file, or a shortcut. */
static void session_job(wctx *w, ir_flow *fl, ir_task *t, const infa_elem *def)
{
    const char *m = nonempty(eattr(def, "MAPPINGNAME"));
    if (!m) {
        report(w, DIAG_ERROR, def, "session '%s' names no mapping (MAPPINGNAME)", eattr(def, "NAME"));
        return;
    }
    t->job = ir_flow_intern(fl, m);
    if (infa_map_get(&w->folder->mappings, m))
        return;
    char key[512];
    snprintf(key, sizeof key, "MAPPING:%s", m);
    const infa_shortcut *sc = infa_map_get(&w->folder->shortcuts, key);
    if (sc) {
        if (nonempty(sc->refobject))
            t->job = ir_flow_intern(fl, sc->refobject);
        if (sc->folder && !infa_strieq(sc->folder, w->folder->name))
            t->job_folder = ir_flow_intern(fl, sc->folder);
        return;
    }
    bool any_mapping = false;
    for (int i = 0; i < w->f->n_folders; i++) {
        infa_folder *fo = w->f->folder_list[i];
        any_mapping |= fo->mappings.n > 0;
        if (fo != w->folder && infa_map_get(&fo->mappings, m)) {
            t->job_folder = ir_flow_intern(fl, fo->name);
            return;
        }
    }
    /* an export of workflows alone names mappings exported elsewhere; one that holds mappings
     * should hold the ones its sessions run */
    if (any_mapping)
        report(w, DIAG_WARNING, def, "session '%s' runs mapping '%s', which is not in this export",
               eattr(def, "NAME"), m);
}

/* ---- tasks ---- */

/* "00:30:00" (or D:HH:MM:SS) in seconds; -1 when not a duration. */
static int duration_s(const char *s)
{
    if (!s || !*s)
        return -1;
    long parts[4] = {0};
    int n = 0;
    for (const char *p = s; *p && n < 4;) {
        if (!isdigit((unsigned char)*p))
            return -1;
        parts[n++] = strtol(p, (char **)&p, 10);
        if (*p == ':')
            p++;
        else if (*p)
            return -1;
    }
    static const long unit[] = {1, 60, 3600, 86400};
    long total = 0;
    for (int i = 0; i < n; i++)
        total += parts[n - 1 - i] * unit[i];
    return total > 0x7fffffff ? -1 : (int)total;
}

/* "MM/DD/YYYY HH:MM[:SS]" -> "YYYY-MM-DD HH:MM:SS", or NULL. */
static const char *legacy_datetime(ir_flow *fl, const char *s)
{
    int mo, d, y, h = 0, mi = 0, se = 0;
    if (!s || sscanf(s, "%d/%d/%d %d:%d:%d", &mo, &d, &y, &h, &mi, &se) < 3)
        return NULL;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1900 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
        return NULL;
    return ir_flow_intern(fl, arena_printf(fl->job->arena, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, se));
}

static void make_hole(ir_flow *fl, ir_task *t, const char *text, const char *reason)
{
    t->kind = IR_TASK_HOLE;
    t->text = ir_flow_intern(fl, text);
    t->hole_reason = ir_flow_intern(fl, reason);
}

static void timer_task(ir_flow *fl, ir_task *t, const infa_elem *def)
{
    const char *type = attribute_value(def, "Timer Type");
    if (type && strncasecmp(type, "Absolute", 8) == 0) {
        const char *v = attribute_value(def, "Absolute Time");
        t->at = legacy_datetime(fl, v);
        if (!t->at)
            make_hole(fl, t, arena_printf(fl->job->arena, "Timer %s: absolute time '%s'", t->name, v ? v : ""),
                      "the absolute time is not a fixed date (a workflow variable?)");
        return;
    }
    const char *v = attribute_value(def, "Relative Time");
    t->seconds = duration_s(v);
    if (t->seconds < 0) {
        make_hole(fl, t, arena_printf(fl->job->arena, "Timer %s: relative time '%s'", t->name, v ? v : ""),
                  "the relative time is not HH:MM:SS");
        t->seconds = 0;
        return;
    }
    const char *to = attribute_value(def, "Relative To");
    if (to && contains_ci(to, "top-level"))
        t->relative_to = "flow";
    else if (to && contains_ci(to, "parent"))
        t->relative_to = "parent";
    else
        t->relative_to = t->name; /* "Start time of this task" */
}

static const struct {
    const char *legacy, *control;
} control_table[] = {
    {"Fail me", "fail_self"},
    {"Fail parent", "fail_parent"},
    {"Stop parent", "stop_parent"},
    {"Abort parent", "abort_parent"},
    {"Fail top-level workflow", "fail_top"},
    {"Stop top-level workflow", "stop_top"},
    {"Abort top-level workflow", "abort_top"},
};

/* Kinds by TASKTYPE, compared without case and punctuation ("Event-wait", "Event Wait"); the
 * rest are holes. */
static const struct {
    const char *type;
    ir_task_kind kind;
} kind_table[] = {
    {"Start", IR_TASK_START},
    {"Session", IR_TASK_JOB},
    {"Command", IR_TASK_COMMAND},
    {"Decision", IR_TASK_DECISION},
    {"Email", IR_TASK_EMAIL},
    {"Timer", IR_TASK_TIMER},
    {"EventWait", IR_TASK_EVENT_WAIT},
    {"EventRaise", IR_TASK_EVENT_RAISE},
    {"Assignment", IR_TASK_ASSIGNMENT},
    {"Control", IR_TASK_CONTROL},
    {"Worklet", IR_TASK_SUBFLOW},
};

/* Whether a and b are the same word ignoring case and anything but letters and digits. */
static bool same_word(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    for (;;) {
        while (*a && !isalnum((unsigned char)*a))
            a++;
        while (*b && !isalnum((unsigned char)*b))
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        if (tolower((unsigned char)*a++) != tolower((unsigned char)*b++))
            return false;
    }
}

/* Event-Wait / Event-Raise: the file to watch, the user-defined event. */
static const char *const file_attrs[] = {"Filewatch Name", "File Watch Name", NULL};
static const char *const event_attrs[] = {"User Defined Event", "User-Defined Event", "Event Name", NULL};

/* The first non-empty VALUE among the ATTRIBUTE children named in names (NULL-ended). */
static const char *attribute_any(const infa_elem *e, const char *const *names)
{
    for (; *names; names++) {
        const char *v = nonempty(attribute_value(e, *names));
        if (v)
            return v;
    }
    return NULL;
}

static bool is_restartable(const ir_task *t)
{
    const char *rs = ir_task_prop(t, "recovery_strategy");
    return rs && (contains_ci(rs, "Restart") || contains_ci(rs, "Resume"));
}

static void build_flow(wctx *w, ir_flow *fl, const infa_elem *c);

/* Task t runs worklet def: its sub-flow, unless def is already being built (a worklet that runs
 * itself, directly or through others). */
static void worklet_task(wctx *w, ir_flow *fl, ir_task *t, const infa_elem *def)
{
    for (int i = 0; i < w->depth; i++)
        if (w->stack[i] == def) {
            report(w, DIAG_ERROR, def, "worklet '%s' runs itself (through '%s')", eattr(def, "NAME"), t->name);
            make_hole(fl, t, t->name, "worklet that runs itself");
            return;
        }
    if (w->depth == MAX_WORKLET_DEPTH) {
        make_hole(fl, t, t->name, "worklets nested too deeply");
        return;
    }
    t->sub = ir_flow_new_sub(fl, IR_FLOW_WORKLET, eattr(def, "NAME") ? eattr(def, "NAME") : t->name);
    t->sub->span = span_of(w, fl, def);
    w->stack[w->depth++] = def;
    build_flow(w, t->sub, def);
    w->depth--;
}

/* The definition of instance ti in container c: its own non-reusable one, else the folder's. */
static const infa_elem *task_definition(wctx *w, const infa_elem *c, const infa_elem *ti, ir_task_kind kind)
{
    const char *tn = eattr(ti, "TASKNAME") ? eattr(ti, "TASKNAME") : eattr(ti, "NAME");
    const char *tag = kind == IR_TASK_JOB ? "SESSION" : kind == IR_TASK_SUBFLOW ? "WORKLET" : "TASK";
    infa_map *m = kind == IR_TASK_JOB       ? &w->folder->sessions
                  : kind == IR_TASK_SUBFLOW ? &w->folder->worklets
                                            : &w->folder->tasks;
    const infa_elem *own = child_named(c, tag, tn), *shared = infa_map_get(m, tn);
    if (eyes(ti, "REUSABLE") && shared)
        return shared;
    return own ? own : shared;
}

/* One TASKINSTANCE; returns its task's definition element (NULL when none). */
static const infa_elem *add_instance(wctx *w, ir_flow *fl, const infa_elem *c, const infa_elem *ti)
{
    const char *name = eattr(ti, "NAME") ? eattr(ti, "NAME") : "";
    const char *type = eattr(ti, "TASKTYPE") ? eattr(ti, "TASKTYPE") : "";
    ir_task_kind kind = IR_TASK_HOLE;
    for (size_t k = 0; k < sizeof kind_table / sizeof *kind_table; k++)
        if (same_word(kind_table[k].type, type))
            kind = kind_table[k].kind;
    if (ir_flow_task_index(fl, name) >= 0)
        report(w, DIAG_WARNING, ti, "two task instances named '%s' in '%s'", name, fl->name);
    ir_task *t = ir_flow_add_task(fl, kind, name, span_of(w, fl, ti));
    t->description = ir_flow_intern(fl, nonempty(eattr(ti, "DESCRIPTION")));
    t->disabled = eattr(ti, "ISENABLED") && infa_strieq(eattr(ti, "ISENABLED"), "NO");
    t->join_or = eattr(ti, "TREAT_INPUTLINK_AS_AND") && infa_strieq(eattr(ti, "TREAT_INPUTLINK_AS_AND"), "NO");
    t->fail_parent = eyes(ti, "FAIL_PARENT_IF_INSTANCE_FAILS");
    t->fail_parent_if_not_run = eyes(ti, "FAIL_PARENT_IF_INSTANCE_DID_NOT_RUN");
    if (kind == IR_TASK_HOLE) {
        make_hole(fl, t, arena_printf(fl->job->arena, "%s task %s", type, name),
                  arena_printf(fl->job->arena, "task type '%s' has no IR form", type));
        return NULL;
    }
    if (kind == IR_TASK_START)
        return NULL;
    const infa_elem *def = task_definition(w, c, ti, kind);
    if (!def) {
        report(w, DIAG_ERROR, ti, "task instance '%s': no %s named '%s' in the export", name, type,
               eattr(ti, "TASKNAME") ? eattr(ti, "TASKNAME") : name);
        make_hole(fl, t, arena_printf(fl->job->arena, "%s task %s", type, name), "its definition is not in the export");
        return NULL;
    }
    if (!t->description)
        t->description = ir_flow_intern(fl, nonempty(eattr(def, "DESCRIPTION")));
    const infa_elem **vp;
    switch (kind) {
    case IR_TASK_JOB:
        session_job(w, fl, t, def);
        session_props(w, fl, t, def);
        session_props(w, fl, t, ti); /* instance overrides of a reusable session */
        break;
    case IR_TASK_COMMAND: {
        t->stop_on_error = infa_strieq(attribute_value(def, "Fail task if any command fails"), "YES");
        /* without it every command runs and the task completes even if one fails (Workflow
         * Basics Guide, "Executing Commands in the Command Task") */
        t->ignore_errors = !t->stop_on_error;
        int n = valuepairs(w->f->arena, def, &vp);
        for (int i = 0; i < n; i++)
            ir_task_add_command(fl, t, eattr(vp[i], "NAME"), eattr(vp[i], "VALUE"));
        table_props(fl, t, def, "TASK", NULL);
        break;
    }
    case IR_TASK_EMAIL:
        t->email_to = ir_flow_intern(fl, attribute_value(def, "Email User Name"));
        t->email_subject = ir_flow_intern(fl, attribute_value(def, "Email Subject"));
        t->email_body = ir_flow_intern(fl, attribute_value(def, "Email Text"));
        break;
    case IR_TASK_TIMER:
        timer_task(fl, t, def);
        break;
    case IR_TASK_EVENT_WAIT:
    case IR_TASK_EVENT_RAISE:
        t->file = ir_flow_intern(fl, attribute_any(def, file_attrs));
        t->event = ir_flow_intern(fl, attribute_any(def, event_attrs));
        t->delete_file = infa_strieq(attribute_value(def, "Delete Filewatch File"), "YES");
        if (!t->file && !t->event)
            make_hole(fl, t, arena_printf(fl->job->arena, "%s task %s", type, name),
                      "neither a file to watch nor a user-defined event");
        break;
    case IR_TASK_CONTROL: {
        const char *opt = attribute_value(def, "Control Option");
        for (size_t k = 0; k < sizeof control_table / sizeof *control_table; k++)
            if (same_word(control_table[k].legacy, opt))
                t->control = control_table[k].control;
        if (!t->control)
            make_hole(fl, t, arena_printf(fl->job->arena, "Control task %s: %s", name, opt ? opt : ""),
                      "unknown control option");
        break;
    }
    case IR_TASK_SUBFLOW:
        worklet_task(w, fl, t, def);
        break;
    default: /* DECISION, ASSIGNMENT: their expressions once every task is known */
        break;
    }
    if (w->recover_attempts && (kind == IR_TASK_JOB || kind == IR_TASK_COMMAND) && is_restartable(t))
        t->retries = w->recover_attempts;
    return def;
}

/* Decision conditions and assignments, which may name any task of the flow. */
static void task_expressions(wctx *w, ir_flow *fl, ir_task *t, const infa_elem *def)
{
    if (t->kind == IR_TASK_DECISION) {
        const infa_elem *a = child_named(def, "ATTRIBUTE", "Decision Name");
        if (!a)
            a = child_named(def, "ATTRIBUTE", "Decision Condition");
        const char *text = a ? nonempty(eattr(a, "VALUE")) : NULL;
        if (text) {
            t->cond_text = ir_flow_intern(fl, text);
            t->cond = parse_cond(w, fl, text, a, "VALUE");
        }
    } else if (t->kind == IR_TASK_ASSIGNMENT) {
        const infa_elem **vp;
        int n = valuepairs(w->f->arena, def, &vp);
        for (int i = 0; i < n; i++) {
            const char *v = eattr(vp[i], "VALUE") ? eattr(vp[i], "VALUE") : "";
            ir_task_add_assign(fl, t, undecorated(eattr(vp[i], "NAME")), parse_cond(w, fl, v, vp[i], "VALUE"), v);
        }
        const char *cond = nonempty(attribute_value(def, "Assignment Condition"));
        if (cond)
            ir_task_add_prop(fl, t, "assignment_condition", cond);
    }
}

/* ---- variables and parameter files ---- */

static const char *basename_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The value the parameter files give variable v of flow fl (worklet: the worklet inside workflow
 * wf), with its source; the highest precedence wins, a later line among equals. */
static void param_file_value(wctx *w, ir_flow *fl, ir_flow_var *v, const char *wf, const char *worklet)
{
    int best = 0;
    const infa_param_entry *win = NULL;
    for (int k = 0; k < w->f->params.n; k++) {
        const infa_param_entry *e = &w->f->params.entries[k];
        if (!infa_strieq(e->name, v->name) || e->session || e->mapping)
            continue;
        if (e->folder && !infa_strieq(e->folder, w->folder->name))
            continue;
        int level = 0;
        if (e->global)
            level = 1;
        else if (e->workflow && infa_strieq(e->workflow, wf))
            level = !e->worklet && !worklet ? 2 : e->worklet && worklet && infa_strieq(e->worklet, worklet) ? 3 : 0;
        if (level && level >= best) {
            best = level;
            win = e;
        }
    }
    if (!win)
        return;
    v->default_value = ir_flow_intern(fl, win->value);
    v->source = ir_flow_intern(
        fl, arena_printf(fl->job->arena, "parameter file %s [%s]", basename_of(win->file), win->section));
}

static void add_variable(wctx *w, ir_flow *fl, const infa_elem *e)
{
    const char *name = eattr(e, "NAME");
    /* predefined ($task.Status ...) variables are the tasks' own, not the flow's */
    if (!name || !eyes(e, "USERDEFINED") || strncmp(name, "$$", 2) != 0)
        return;
    const char *dt = eattr(e, "DATATYPE");
    ir_flow_var *v = ir_flow_add_var(fl, undecorated(name), infa_type(dt, 0, 0, NULL));
    v->span = span_of(w, fl, e);
    v->persistent = eyes(e, "ISPERSISTENT");
    v->default_value = ir_flow_intern(fl, nonempty(eattr(e, "DEFAULTVALUE")));
    v->source = v->default_value ? "default" : v->persistent ? "persistent variable" : "workflow variable";
    const char *wf = eattr(w->stack[0], "NAME");
    param_file_value(w, fl, v, wf ? wf : "", w->depth > 1 ? eattr(w->stack[w->depth - 1], "NAME") : NULL);
}

/* ---- links ---- */

/* Depth-first over the edges, without recursion (a flow may hold thousands of tasks); a link
 * back to a task on the current path closes a cycle: it is reported and left out, so the flow
 * stays a DAG. Edges are visited in file order from each task, tasks in order. */
static void drop_cycles(wctx *w, ir_flow *fl, const infa_elem **link_elems, bool *drop)
{
    int nt = fl->n_tasks, ne = fl->n_edges;
    arena *a = w->f->arena;
    int *first = arena_alloc(a, (size_t)(nt + 1) * sizeof *first); /* edges of u: out[first[u]..first[u+1]) */
    int *out = arena_alloc(a, (size_t)(ne ? ne : 1) * sizeof *out);
    int *next = arena_alloc(a, (size_t)(nt ? nt : 1) * sizeof *next); /* the next out-edge to try */
    int *stack = arena_alloc(a, (size_t)(nt ? nt : 1) * sizeof *stack);
    char *state = arena_alloc(a, (size_t)(nt ? nt : 1)); /* 0 new, 1 on the path, 2 done */
    for (int i = 0; i < ne; i++)
        first[fl->edges[i].from + 1]++;
    for (int u = 0; u < nt; u++)
        first[u + 1] += first[u];
    for (int u = 0; u < nt; u++)
        next[u] = first[u];
    for (int i = 0; i < ne; i++)
        out[next[fl->edges[i].from]++] = i;
    for (int u = 0; u < nt; u++)
        next[u] = first[u];
    for (int root = 0; root < nt; root++) {
        if (state[root])
            continue;
        int sp = 0;
        stack[sp++] = root;
        state[root] = 1;
        while (sp) {
            int u = stack[sp - 1];
            if (next[u] == first[u + 1]) {
                state[u] = 2;
                sp--;
                continue;
            }
            int i = out[next[u]++], v = fl->edges[i].to;
            if (state[v] == 1) {
                report(w, DIAG_ERROR, link_elems[i], "the link from '%s' to '%s' closes a cycle in '%s'; it is left out",
                       fl->tasks[u]->name, fl->tasks[v]->name, fl->name);
                drop[i] = true;
            } else if (state[v] == 0) {
                state[v] = 1;
                stack[sp++] = v;
            }
        }
    }
}

static void add_links(wctx *w, ir_flow *fl, const infa_elem *c)
{
    int n = 0;
    for (int i = 0; i < c->n_kids; i++)
        n += is_tag(c->kids[i], "WORKFLOWLINK");
    const infa_elem **elems = arena_alloc(w->f->arena, (size_t)(n ? n : 1) * sizeof *elems);
    for (int i = 0; i < c->n_kids; i++) {
        const infa_elem *l = c->kids[i];
        if (!is_tag(l, "WORKFLOWLINK"))
            continue;
        const char *from = eattr(l, "FROMTASK") ? eattr(l, "FROMTASK") : "";
        const char *to = eattr(l, "TOTASK") ? eattr(l, "TOTASK") : "";
        int a = ir_flow_task_index(fl, from), b = ir_flow_task_index(fl, to);
        if (a < 0 || b < 0) {
            report(w, DIAG_ERROR, l, "link from '%s' to '%s': no task instance named '%s' here", from, to,
                   a < 0 ? from : to);
            continue;
        }
        const char *text = nonempty(eattr(l, "CONDITION"));
        ir_expr *cond = text ? parse_cond(w, fl, text, l, "CONDITION") : NULL;
        elems[fl->n_edges] = l;
        ir_flow_add_edge(fl, a, b, cond, text, span_of(w, fl, l));
    }
    bool *drop = arena_alloc(w->f->arena, (size_t)(fl->n_edges ? fl->n_edges : 1) * sizeof *drop);
    drop_cycles(w, fl, elems, drop);
    int k = 0;
    for (int i = 0; i < fl->n_edges; i++)
        if (!drop[i])
            fl->edges[k++] = fl->edges[i];
    fl->n_edges = k;
}

/* Fills fl from a WORKFLOW or WORKLET element: variables, tasks, links. */
static void build_flow(wctx *w, ir_flow *fl, const infa_elem *c)
{
    fl->description = ir_flow_intern(fl, nonempty(eattr(c, "DESCRIPTION")));
    for (int i = 0; i < c->n_kids; i++)
        if (is_tag(c->kids[i], "WORKFLOWVARIABLE"))
            add_variable(w, fl, c->kids[i]);
    int n = 0;
    for (int i = 0; i < c->n_kids; i++)
        n += is_tag(c->kids[i], "TASKINSTANCE");
    const infa_elem **defs = arena_alloc(w->f->arena, (size_t)(n ? n : 1) * sizeof *defs);
    for (int i = 0; i < c->n_kids; i++)
        if (is_tag(c->kids[i], "TASKINSTANCE"))
            defs[fl->n_tasks] = add_instance(w, fl, c, c->kids[i]);
    for (int i = 0; i < fl->n_tasks; i++)
        if (defs[i])
            task_expressions(w, fl, fl->tasks[i], defs[i]);
    add_links(w, fl, c);
    for (int i = 0; i < c->n_kids; i++)
        if (is_tag(c->kids[i], "WORKFLOWEVENT") && eattr(c->kids[i], "NAME"))
            ir_flow_add_prop(fl, "event", eattr(c->kids[i], "NAME"));
}

/* ---- schedule ---- */

static const char *const day_names[] = {"SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"};

/* "MONDAY,WEDNESDAY" (or MON, ...) into a cron day-of-week field ("1,3", "1-5"); NULL when empty. */
static const char *dow_field(ir_flow *fl, const char *days)
{
    bool on[7] = {false};
    for (const char *p = days ? days : ""; *p;) {
        while (*p && !isalpha((unsigned char)*p))
            p++;
        const char *s = p;
        while (isalpha((unsigned char)*p))
            p++;
        if (p - s >= 3)
            for (int d = 0; d < 7; d++)
                if (strncasecmp(day_names[d], s, 3) == 0)
                    on[d] = true;
    }
    strbuf sb;
    sb_init(&sb);
    for (int d = 0; d < 7;) {
        if (!on[d]) {
            d++;
            continue;
        }
        int e = d;
        while (e + 1 < 7 && on[e + 1])
            e++;
        if (sb.len)
            sb_putc(&sb, ',');
        if (e - d >= 2)
            sb_printf(&sb, "%d-%d", d, e);
        else if (e > d)
            sb_printf(&sb, "%d,%d", d, e);
        else
            sb_printf(&sb, "%d", d);
        d = e + 1;
    }
    const char *r = sb.len ? ir_flow_intern(fl, sb_cstr(&sb)) : NULL;
    sb_free(&sb);
    return r;
}

typedef struct sched_build {
    ir_flow *fl;
    int h, m;         /* start time of day */
    const char *why;  /* approximation reason, first one wins */
    strbuf text;      /* legacy summary */
} sched_build;

static void approx(sched_build *sb, const char *why)
{
    if (!sb->why)
        sb->why = why;
}

/* Minute and hour fields for "every T minutes from H:M until the end of the day", as PowerCenter
 * repeats within a day from the start time. */
static void intraday(sched_build *sb, int T, char *minute, char *hour, size_t cap)
{
    if (T % 60 == 0) {
        snprintf(minute, cap, "%d", sb->m);
        if (sb->h == 0)
            snprintf(hour, cap, "*/%d", T / 60);
        else
            snprintf(hour, cap, "%d-23/%d", sb->h, T / 60);
        return;
    }
    if (T < 60 && 60 % T == 0) {
        if (sb->m % T == 0)
            snprintf(minute, cap, "*/%d", T);
        else
            snprintf(minute, cap, "%d-59/%d", sb->m % T, T);
        if (sb->h == 0)
            snprintf(hour, cap, "*");
        else
            snprintf(hour, cap, "%d-23", sb->h);
        if (sb->m >= T)
            approx(sb, "cron also runs before the start minute in the first hour");
        return;
    }
    /* every 90 minutes, every 45 minutes ...: no cron step repeats across hours */
    int step = T < 60 ? T : T / 60;
    if (T < 60) {
        snprintf(minute, cap, "*/%d", T);
        snprintf(hour, cap, "*");
    } else {
        snprintf(minute, cap, "%d", sb->m);
        if (step == 1)
            snprintf(hour, cap, "*");
        else
            snprintf(hour, cap, "*/%d", step);
    }
    approx(sb, arena_printf(sb->fl->job->arena, "cron cannot repeat every %d minutes; it runs every %d %s", T, step,
                            T < 60 ? "minutes, restarting each hour" : "hour(s)"));
}

static const char *cron_for_custom(sched_build *sb, const infa_elem *custom)
{
    ir_flow *fl = sb->fl;
    const char *rtype = eattr(custom, "REPEATTYPE") ? eattr(custom, "REPEATTYPE") : "DAILY";
    int every = eint(custom, "REPEATCOUNT", 1);
    if (every < 1)
        every = 1;
    char minute[32], hour[32], dom[64] = "*", month[16] = "*", dow[64] = "*";
    snprintf(minute, sizeof minute, "%d", sb->m);
    snprintf(hour, sizeof hour, "%d", sb->h);
    const infa_elem *daily = first_child(custom, "DAILYFREQUENCY"), *weekly = first_child(custom, "WEEKLY"),
                    *monthly = first_child(custom, "MONTHLY");
    sb_printf(&sb->text, "repeat every %d %s", every,
              infa_strieq(rtype, "WEEKLY") ? "week(s)" : infa_strieq(rtype, "MONTHLY") ? "month(s)" : "day(s)");
    if (daily && infa_strieq(eattr(daily, "FREQUENCYTYPE"), "EVERY")) {
        int T = eint(daily, "HOURS", 0) * 60 + eint(daily, "MINUTES", 0);
        sb_printf(&sb->text, ", every %d minutes from %02d:%02d within the day", T, sb->h, sb->m);
        if (T > 0)
            intraday(sb, T, minute, hour, sizeof minute);
    } else {
        sb_printf(&sb->text, ", once a day at %02d:%02d", sb->h, sb->m);
    }
    if (infa_strieq(rtype, "WEEKLY")) {
        const char *d = dow_field(fl, weekly ? eattr(weekly, "DAYS") : NULL);
        snprintf(dow, sizeof dow, "%s", d ? d : "*");
        sb_printf(&sb->text, " on %s", weekly && eattr(weekly, "DAYS") ? eattr(weekly, "DAYS") : "every day");
        if (every > 1)
            approx(sb, "every few weeks: cron runs every week");
    } else if (infa_strieq(rtype, "MONTHLY")) {
        const char *dm = monthly ? nonempty(eattr(monthly, "DAYOFMONTH")) : NULL;
        const char *wk = monthly ? nonempty(eattr(monthly, "WEEKOFMONTH")) : NULL;
        if (dm && strspn(dm, "0123456789,") == strlen(dm)) {
            snprintf(dom, sizeof dom, "%s", dm);
            sb_printf(&sb->text, " on day %s", dm);
        } else if (wk) {
            const char *d = dow_field(fl, eattr(monthly, "DAYOFWEEK"));
            snprintf(dow, sizeof dow, "%s", d ? d : "*");
            sb_printf(&sb->text, " on the %s %s", wk, eattr(monthly, "DAYOFWEEK") ? eattr(monthly, "DAYOFWEEK") : "");
            approx(sb, "a weekday of one week of the month: cron runs on that weekday every week");
        } else {
            snprintf(dom, sizeof dom, "%s", "28");
            sb_printf(&sb->text, " on day %s", dm ? dm : "?");
            approx(sb, "the last day of the month: cron runs on day 28");
        }
        if (every > 1) {
            snprintf(month, sizeof month, "*/%d", every);
            approx(sb, "every few months counted from the start date: cron counts from January");
        }
    } else if (every > 1) {
        snprintf(dom, sizeof dom, "*/%d", every);
        approx(sb, "every few days counted from the start date: cron restarts the count each month");
    }
    return ir_flow_intern(fl, arena_printf(fl->job->arena, "%s %s %s %s %s", minute, hour, dom, month, dow));
}

/* RUNEVERY: one run every d days h hours m minutes from the start. */
static const char *cron_for_every(sched_build *sb, const infa_elem *rec)
{
    int d = eint(rec, "DAYS", 0), h = eint(rec, "HOURS", 0), m = eint(rec, "MINUTES", 0);
    int T = d * 1440 + h * 60 + m;
    sb_puts(&sb->text, "run every");
    if (d)
        sb_printf(&sb->text, " %d day(s)", d);
    if (h)
        sb_printf(&sb->text, " %d hour(s)", h);
    if (m)
        sb_printf(&sb->text, " %d minute(s)", m);
    ir_flow *fl = sb->fl;
    if (T <= 0) {
        approx(sb, "no interval given");
        return NULL;
    }
    if (T % 1440 == 0) {
        if (T == 1440)
            return ir_flow_intern(fl, arena_printf(fl->job->arena, "%d %d * * *", sb->m, sb->h));
        approx(sb, "every few days counted from the start date: cron restarts the count each month");
        return ir_flow_intern(fl, arena_printf(fl->job->arena, "%d %d */%d * *", sb->m, sb->h, T / 1440));
    }
    char minute[32], hour[32];
    if (T < 1440 && 1440 % T == 0 && (T % 60 == 0 || 60 % T == 0)) {
        /* the step divides the day: the runs fall at the same times every day */
        int first = (sb->h * 60 + sb->m) % T;
        snprintf(hour, sizeof hour, "*");
        if (T % 60 == 0) {
            snprintf(minute, sizeof minute, "%d", first % 60);
            if (first / 60)
                snprintf(hour, sizeof hour, "%d-23/%d", first / 60, T / 60);
            else
                snprintf(hour, sizeof hour, "*/%d", T / 60);
        } else if (first) {
            snprintf(minute, sizeof minute, "%d-59/%d", first, T);
        } else {
            snprintf(minute, sizeof minute, "*/%d", T);
        }
        return ir_flow_intern(fl, arena_printf(fl->job->arena, "%s %s * * *", minute, hour));
    }
    intraday(sb, T, minute, hour, sizeof minute);
    approx(sb, "the interval does not divide a day: cron cannot repeat it exactly");
    return ir_flow_intern(fl, arena_printf(fl->job->arena, "%s %s * * *", minute, hour));
}

static void read_schedule(wctx *w, ir_flow *fl, const infa_elem *sched)
{
    ir_schedule *s = &fl->schedule;
    s->kind = IR_SCHED_ON_DEMAND;
    const infa_elem *info = first_child(sched, "SCHEDULEINFO");
    if (!info)
        return;
    s->span = span_of(w, fl, info);
    sched_build sb = {fl, 0, 0, NULL, {0}};
    sb_init(&sb.text);
    const char *type = eattr(info, "SCHEDULETYPE") ? eattr(info, "SCHEDULETYPE") : "ONDEMAND";
    const infa_elem *start = first_child(info, "STARTOPTIONS"), *end = first_child(info, "ENDOPTIONS"),
                    *opts = first_child(info, "SCHEDULEOPTIONS");
    s->start = start ? legacy_datetime(fl, eattr(start, "STARTDATE")) : NULL;
    if (s->start)
        sscanf(s->start + 11, "%d:%d", &sb.h, &sb.m);
    if (infa_strieq(type, "CONTINUOUS") || infa_strieq(type, "RUNCONTINUOUSLY")) {
        s->kind = IR_SCHED_CONTINUOUS;
        sb_puts(&sb.text, "run continuously");
    } else if (infa_strieq(type, "ONSERVERINIT") || infa_strieq(type, "RUNONSERVERINIT")) {
        s->kind = IR_SCHED_ON_START;
        sb_puts(&sb.text, "run on Integration Service initialization");
    } else if (infa_strieq(type, "CUSTOMIZED") || infa_strieq(type, "RUNONCE")) {
        const char *mode = opts ? eattr(opts, "SCHEDULEMODE") : NULL;
        if (!mode && opts)
            mode = eattr(opts, "SCHEDULETYPE");
        if (infa_strieq(type, "RUNONCE") || !mode || infa_strieq(mode, "RUNONCE") || infa_strieq(mode, "ONCE")) {
            s->kind = IR_SCHED_ONCE;
            sb_puts(&sb.text, "run once");
        } else {
            s->kind = IR_SCHED_CRON;
            const infa_elem *k = opts->n_kids ? opts->kids[0] : NULL;
            s->cron = infa_strieq(mode, "RUNEVERY") || (k && is_tag(k, "RECURRING")) ? cron_for_every(&sb, k)
                      : k && is_tag(k, "CUSTOM")                                  ? cron_for_custom(&sb, k)
                                                                                  : NULL;
            if (!s->cron) {
                s->kind = IR_SCHED_ON_DEMAND;
                approx(&sb, "the repeat options were not understood; run on demand");
            }
        }
    } else {
        sb_puts(&sb.text, "run on demand");
    }
    if (s->start)
        sb_printf(&sb.text, "; start %s", s->start);
    if (end) {
        const char *et = eattr(end, "ENDTYPE") ? eattr(end, "ENDTYPE") : "";
        if (infa_strieq(et, "ENDDATE") || (!*et && eattr(end, "ENDDATE"))) {
            s->end = legacy_datetime(fl, eattr(end, "ENDDATE"));
            if (s->end)
                sb_printf(&sb.text, "; end %s", s->end);
        } else if (infa_strieq(et, "RUNCOUNT") || (!*et && eattr(end, "RUNCOUNT"))) {
            s->max_runs = eint(end, "RUNCOUNT", 0);
            sb_printf(&sb.text, "; end after %d runs", s->max_runs);
        } else {
            sb_puts(&sb.text, "; forever");
        }
    }
    s->approx = ir_flow_intern(fl, sb.why);
    s->text = ir_flow_intern(fl, sb_cstr(&sb.text));
    sb_free(&sb.text);
}

/* ---- workflows ---- */

static ir_flow *build_workflow(infa_file *f, const infa_wfdef *d)
{
    const infa_elem *wf = d->elem;
    wctx w;
    memset(&w, 0, sizeof w);
    w.f = f;
    w.folder = d->folder;
    w.stack[w.depth++] = wf;
    ir_flow *fl = ir_flow_new(IR_FLOW_WORKFLOW, eattr(wf, "NAME") ? eattr(wf, "NAME") : "");
    fl->folder = ir_flow_intern(fl, d->folder->name);
    fl->format = "informatica";
    fl->file = ir_flow_intern(fl, f->path);
    fl->span = span_of(&w, fl, wf);
    if (infa_strieq(attribute_value(wf, "Automatically recover terminated tasks"), "YES")) {
        const char *n = nonempty(attribute_value(wf, "Maximum automatic recovery attempts"));
        w.recover_attempts = n ? atoi(n) : 5;
    }
    const char *sname = eattr(wf, "SCHEDULERNAME");
    const infa_elem *sched = child_named(wf, "SCHEDULER", sname ? sname : "");
    if (!sched && sname)
        sched = infa_map_get(&d->folder->schedulers, sname);
    if (!sched)
        sched = first_child(wf, "SCHEDULER");
    read_schedule(&w, fl, sched);
    for (int i = 0; i < wf->n_kids; i++) {
        const infa_elem *a = wf->kids[i];
        const char *name = eattr(a, "NAME"), *value = nonempty(eattr(a, "VALUE"));
        if (!is_tag(a, "ATTRIBUTE") || !name || !value)
            continue;
        if (infa_strieq(name, "Parameter Filename"))
            ir_flow_add_param_file(fl, value);
        else
            ir_flow_add_prop(fl, name, value);
    }
    if (eattr(wf, "ISENABLED") && infa_strieq(eattr(wf, "ISENABLED"), "NO"))
        ir_flow_add_prop(fl, "enabled", "NO");
    if (eyes(wf, "SUSPEND_ON_ERROR"))
        ir_flow_add_prop(fl, "suspend_on_error", "YES");
    if (nonempty(eattr(wf, "SERVERNAME")))
        ir_flow_add_prop(fl, "integration_service", eattr(wf, "SERVERNAME"));
    build_flow(&w, fl, wf);
    return fl;
}

void infa_wf_build_all(infa_file *f)
{
    if (!f->opt || !f->opt->on_flow)
        return;
    for (int i = 0; i < f->n_wfs; i++)
        f->opt->on_flow(f->userdata, build_workflow(f, &f->wfs[i]));
}
