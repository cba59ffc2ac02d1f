/*
 * dagcheck.c — the structural check of generated Airflow DAGs against the flow they came from:
 *
 *     dagcheck [--quiet] DAG.py...
 *
 * Each DAG.py is read back with the tree-sitter Python grammar (a syntax error fails it) and its
 * structure extracted: tasks (task_id, operator class, trigger_rule, TaskGroup), TaskGroups, and
 * dependencies (`>>` / `<<` chains with lists, set_downstream / set_upstream). flow.json next to
 * it (ir_flow_to_json) says what the DAG must hold, as docs/airflow.md maps it:
 *   - every legacy task by name (a sub-flow as a TaskGroup), with the operator class its kind maps to;
 *   - every legacy link as a dependency, directly or through its link gate "link__<from>__<to>",
 *     and no dependency that no link, gate, session SQL task, event or sub-flow end explains;
 *   - the trigger rule of each link's target from the kinds of its links and its join, and the
 *     trigger rule of each gate from its link's kind;
 *   - no task that is neither legacy nor one of the documented inserted tasks.
 * Problems print as `DAG.py: error: ...`. Exit status: 0 all DAGs match, 1 some do not, 2 usage or
 * I/O error.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <tree_sitter/api.h>

#include "backends/airflow/airflow.h"
#include "verifier/syntax.h"

/* ---- what the DAG holds ---- */

typedef struct dnode {
    char *var;
    char *id;     /* full task_id, or the group id for a TaskGroup */
    char *cls;    /* operator class; "TaskGroup" for groups */
    char *rule;   /* trigger rule ("all_success" when not given) */
    bool used;    /* accounted for by the flow */
} dnode;

typedef struct dedge {
    int from, to; /* dnode indexes */
    bool used;
} dedge;

typedef struct dag {
    const char *path;
    const char *text;
    dnode *nodes;
    int n_nodes, cap_nodes;
    dedge *edges;
    int n_edges, cap_edges;
    int errors;
    bool quiet;
} dag;

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        abort();
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        abort();
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static void fail(dag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(dag *d, const char *fmt, ...)
{
    d->errors++;
    if (d->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: error: ", d->path);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static char *node_text(const dag *d, TSNode n)
{
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    return xstrndup(d->text + a, b - a);
}

/* A plain Python string literal's value (the forms the backend writes: "..." with escapes), or
 * NULL when n is something else. */
static char *string_value(const dag *d, TSNode n)
{
    if (strcmp(ts_node_type(n), "string") != 0)
        return NULL;
    char *raw = node_text(d, n);
    size_t len = strlen(raw);
    if (len < 2 || (raw[0] != '"' && raw[0] != '\'') || raw[len - 1] != raw[0]) {
        free(raw);
        return NULL;
    }
    char *out = malloc(len);
    if (!out)
        abort();
    size_t k = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        if (raw[i] == '\\' && i + 2 < len) {
            i++;
            out[k++] = raw[i] == 'n' ? '\n' : raw[i] == 't' ? '\t' : raw[i];
        } else {
            out[k++] = raw[i];
        }
    }
    out[k] = '\0';
    free(raw);
    return out;
}

static int find_var(const dag *d, const char *var)
{
    for (int i = 0; i < d->n_nodes; i++)
        if (strcmp(d->nodes[i].var, var) == 0)
            return i;
    return -1;
}

static int find_id(const dag *d, const char *id)
{
    for (int i = 0; i < d->n_nodes; i++)
        if (strcmp(d->nodes[i].id, id) == 0)
            return i;
    return -1;
}

static void add_node(dag *d, char *var, char *id, char *cls, char *rule)
{
    if (d->n_nodes == d->cap_nodes) {
        d->cap_nodes = d->cap_nodes ? d->cap_nodes * 2 : 64;
        d->nodes = xrealloc(d->nodes, (size_t)d->cap_nodes * sizeof *d->nodes);
    }
    if (find_id(d, id) >= 0)
        fail(d, "task_id '%s' is defined twice", id);
    dnode n = {var, id, cls, rule ? rule : strdup("all_success"), false};
    d->nodes[d->n_nodes++] = n;
}

static void add_edge(dag *d, int from, int to)
{
    for (int i = 0; i < d->n_edges; i++)
        if (d->edges[i].from == from && d->edges[i].to == to)
            return;
    if (d->n_edges == d->cap_edges) {
        d->cap_edges = d->cap_edges ? d->cap_edges * 2 : 64;
        d->edges = xrealloc(d->edges, (size_t)d->cap_edges * sizeof *d->edges);
    }
    dedge e = {from, to, false};
    d->edges[d->n_edges++] = e;
}

/* The last name of a call's function: Operator for `Operator(...)` and `mod.Operator(...)`. */
static char *callee_name(const dag *d, TSNode call)
{
    TSNode fn = ts_node_child_by_field_name(call, "function", 8);
    if (ts_node_is_null(fn))
        return NULL;
    if (strcmp(ts_node_type(fn), "attribute") == 0)
        fn = ts_node_child_by_field_name(fn, "attribute", 9);
    return node_text(d, fn);
}

/* A keyword argument's value node, or a null node. */
static TSNode kwarg(const dag *d, TSNode call, const char *name)
{
    TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
    TSNode none = {0};
    if (ts_node_is_null(args))
        return none;
    uint32_t n = ts_node_named_child_count(args);
    for (uint32_t i = 0; i < n; i++) {
        TSNode a = ts_node_named_child(args, i);
        if (strcmp(ts_node_type(a), "keyword_argument") != 0)
            continue;
        TSNode k = ts_node_child_by_field_name(a, "name", 4);
        char *t = node_text(d, k);
        bool match = strcmp(t, name) == 0;
        free(t);
        if (match)
            return ts_node_child_by_field_name(a, "value", 5);
    }
    return none;
}

/* The DAG nodes an expression of a dependency statement stands for; *n set. */
static int *eval_deps(dag *d, TSNode e, int *n);

static int *eval_deps(dag *d, TSNode e, int *n)
{
    const char *ty = ts_node_type(e);
    *n = 0;
    if (strcmp(ty, "identifier") == 0) {
        char *v = node_text(d, e);
        int i = find_var(d, v);
        if (i < 0)
            fail(d, "dependency on '%s', which is no task or TaskGroup", v);
        free(v);
        if (i < 0)
            return NULL;
        int *r = malloc(sizeof *r);
        r[0] = i;
        *n = 1;
        return r;
    }
    if (strcmp(ty, "parenthesized_expression") == 0 && ts_node_named_child_count(e) == 1)
        return eval_deps(d, ts_node_named_child(e, 0), n);
    if (strcmp(ty, "list") == 0) {
        int *r = NULL;
        uint32_t m = ts_node_named_child_count(e);
        for (uint32_t i = 0; i < m; i++) {
            int k = 0;
            int *x = eval_deps(d, ts_node_named_child(e, i), &k);
            r = xrealloc(r, (size_t)(*n + k + 1) * sizeof *r);
            for (int j = 0; j < k; j++)
                r[(*n)++] = x[j];
            free(x);
        }
        return r;
    }
    if (strcmp(ty, "binary_operator") == 0) {
        TSNode op = ts_node_child_by_field_name(e, "operator", 8);
        char *o = node_text(d, op);
        bool down = strcmp(o, ">>") == 0, up = strcmp(o, "<<") == 0;
        free(o);
        if (down || up) {
            int nl = 0, nr = 0;
            int *l = eval_deps(d, ts_node_child_by_field_name(e, "left", 4), &nl);
            int *r = eval_deps(d, ts_node_child_by_field_name(e, "right", 5), &nr);
            for (int i = 0; i < nl; i++)
                for (int j = 0; j < nr; j++) {
                    if (down)
                        add_edge(d, l[i], r[j]);
                    else
                        add_edge(d, r[j], l[i]);
                }
            free(l);
            *n = nr;
            return r;
        }
    }
    if (strcmp(ty, "call") == 0) {
        TSNode fn = ts_node_child_by_field_name(e, "function", 8);
        if (strcmp(ts_node_type(fn), "attribute") == 0) {
            char *m = node_text(d, ts_node_child_by_field_name(fn, "attribute", 9));
            bool down = strcmp(m, "set_downstream") == 0, up = strcmp(m, "set_upstream") == 0;
            free(m);
            TSNode args = ts_node_child_by_field_name(e, "arguments", 9);
            if ((down || up) && ts_node_named_child_count(args) == 1) {
                int nl = 0, nr = 0;
                int *l = eval_deps(d, ts_node_child_by_field_name(fn, "object", 6), &nl);
                int *r = eval_deps(d, ts_node_named_child(args, 0), &nr);
                for (int i = 0; i < nl; i++)
                    for (int j = 0; j < nr; j++)
                        add_edge(d, down ? l[i] : r[j], down ? r[j] : l[i]);
                free(l);
                free(r);
                return NULL;
            }
        }
    }
    return NULL;
}

static void walk(dag *d, TSNode block, const char *prefix);

/* `with TaskGroup(group_id="g") as var:` — the group, then its body under the prefix "g.". */
static void walk_with(dag *d, TSNode w, const char *prefix)
{
    TSNode clause = ts_node_named_child(w, 0);
    TSNode body = ts_node_child_by_field_name(w, "body", 4);
    char *group = NULL, *var = NULL;
    if (!ts_node_is_null(clause) && ts_node_named_child_count(clause) == 1) {
        TSNode item = ts_node_named_child(clause, 0);
        TSNode v = ts_node_child_by_field_name(item, "value", 5);
        if (!ts_node_is_null(v) && strcmp(ts_node_type(v), "as_pattern") == 0) {
            TSNode call = ts_node_named_child(v, 0);
            TSNode alias = ts_node_child_by_field_name(v, "alias", 5);
            char *callee = strcmp(ts_node_type(call), "call") == 0 ? callee_name(d, call) : NULL;
            if (callee && strcmp(callee, "TaskGroup") == 0) {
                TSNode g = kwarg(d, call, "group_id");
                group = ts_node_is_null(g) ? NULL : string_value(d, g);
                if (!ts_node_is_null(alias))
                    var = node_text(d, alias);
                if (!group)
                    fail(d, "a TaskGroup without a literal group_id");
            }
            free(callee);
        }
    }
    if (group && var) {
        size_t n = strlen(prefix) + strlen(group) + 2;
        char *id = malloc(n), *sub = malloc(n);
        snprintf(id, n, "%s%s", prefix, group);
        snprintf(sub, n, "%s%s.", prefix, group);
        /* the alias target may be a pattern node around the identifier */
        char *name = var;
        while (*name && !(isalpha((unsigned char)*name) || *name == '_'))
            name++;
        add_node(d, strdup(name), id, strdup("TaskGroup"), strdup("-"));
        free(var);
        if (!ts_node_is_null(body))
            walk(d, body, sub);
        free(sub);
    } else {
        free(var);
        if (!ts_node_is_null(body))
            walk(d, body, prefix);
    }
    free(group);
}

static void walk(dag *d, TSNode block, const char *prefix)
{
    uint32_t n = ts_node_named_child_count(block);
    for (uint32_t i = 0; i < n; i++) {
        TSNode st = ts_node_named_child(block, i);
        const char *ty = ts_node_type(st);
        if (strcmp(ty, "with_statement") == 0) {
            walk_with(d, st, prefix);
            continue;
        }
        if (strcmp(ty, "expression_statement") != 0 || ts_node_named_child_count(st) != 1)
            continue;
        TSNode e = ts_node_named_child(st, 0);
        if (strcmp(ts_node_type(e), "assignment") == 0) {
            TSNode left = ts_node_child_by_field_name(e, "left", 4);
            TSNode right = ts_node_child_by_field_name(e, "right", 5);
            if (ts_node_is_null(right) || strcmp(ts_node_type(left), "identifier") != 0 ||
                strcmp(ts_node_type(right), "call") != 0)
                continue;
            TSNode tid = kwarg(d, right, "task_id");
            if (ts_node_is_null(tid))
                continue;
            char *id = string_value(d, tid);
            if (!id) {
                fail(d, "a task_id that is not a string literal");
                continue;
            }
            TSNode tr = kwarg(d, right, "trigger_rule");
            char *rule = ts_node_is_null(tr) ? NULL : string_value(d, tr);
            size_t len = strlen(prefix) + strlen(id) + 1;
            char *full = malloc(len);
            snprintf(full, len, "%s%s", prefix, id);
            free(id);
            add_node(d, node_text(d, left), full, callee_name(d, right), rule);
        } else {
            int k = 0;
            free(eval_deps(d, e, &k));
        }
    }
}

/* ---- what the flow says ---- */

typedef struct ftask {
    char local[256];
    char id[600];       /* the DAG node that stands for the task (group id for a sub-flow) */
    char entry[640];    /* where links into it land */
    char exit[640];     /* where links out of it leave */
    const cJSON *json;
    const char *kind;
    bool group;
} ftask;

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool jtrue(const cJSON *o, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static const char *prop(const cJSON *task, const char *key)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(task, "properties");
    const char *v = p ? jstr(p, key) : NULL;
    return v && v[0] ? v : NULL;
}

/* The tasks a JOB task's session settings become, in order (docs/airflow.md, "session steps"):
 * where -1 before the job, 1 after it on success, 0 a side task run when it failed. */
static const struct {
    const char *prop, *suffix, *cls;
    int where;
} steps[] = {
    {"pre_session_command", "__pre_command", "BashOperator", -1},
    {"pre_sql", "__pre_sql", "SQLExecuteQueryOperator", -1},
    {"post_sql", "__post_sql", "SQLExecuteQueryOperator", 1},
    {"post_session_success_command", "__post_command", "BashOperator", 1},
    {"post_session_failure_command", "__failure_command", "BashOperator", 0},
};
#define N_STEPS (int)(sizeof steps / sizeof *steps)

/* The DAG node of session step s of task t (its id in id), marked used; -1 (said) when missing. */
static int step_node(dag *d, const ftask *t, int s, char *id, size_t size)
{
    snprintf(id, size, "%s%s", t->id, steps[s].suffix);
    int p = find_id(d, id);
    if (p < 0)
        fail(d, "'%s' has %s but no task '%s'", t->id, steps[s].prop, id);
    else
        d->nodes[p].used = true;
    return p;
}

static int task_of(const ftask *ts, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(jstr(ts[i].json, "name"), name) == 0)
            return i;
    return -1;
}

/* The DAG edge a -> b, or -1. */
static int edge_index(const dag *d, const char *a, const char *b)
{
    int x = find_id(d, a), y = find_id(d, b);
    for (int i = 0; i < d->n_edges; i++)
        if (d->edges[i].from == x && d->edges[i].to == y)
            return i;
    return -1;
}

/* Marks the DAG edge a -> b used; false when there is none. */
static bool use_edge(dag *d, const char *a, const char *b)
{
    int i = edge_index(d, a, b);
    if (i >= 0)
        d->edges[i].used = true;
    return i >= 0;
}

static const char *rule_of(dag *d, const char *id)
{
    int i = find_id(d, id);
    return i < 0 ? "?" : d->nodes[i].rule;
}

static bool class_ok(const char *kind, const char *cls, const cJSON *t, const ftask *ts, int n)
{
    if (jtrue(t, "disabled"))
        return strcmp(cls, "EmptyOperator") == 0;
    if (!strcmp(kind, "start") || !strcmp(kind, "event_raise"))
        return !strcmp(cls, "EmptyOperator");
    if (!strcmp(kind, "job"))
        return !strcmp(cls, "SparkSubmitOperator") || !strcmp(cls, "SQLExecuteQueryOperator");
    if (!strcmp(kind, "command"))
        return !strcmp(cls, "BashOperator");
    if (!strcmp(kind, "sql")) {
        /* SQL in a target dialect runs; SQL in a legacy one is a hole task (docs/airflow.md) */
        const char *d = jstr(t, "sql_dialect");
        if (d && strcmp(d, "snowflake") != 0 && strcmp(d, "spark") != 0)
            return !strcmp(cls, "PythonOperator");
        return !strcmp(cls, d && !strcmp(d, "spark") ? "SparkSqlOperator" : "SQLExecuteQueryOperator");
    }
    if (!strcmp(kind, "decision"))
        return !strcmp(cls, "BranchPythonOperator");
    if (!strcmp(kind, "email"))
        return !strcmp(cls, "EmailOperator");
    if (!strcmp(kind, "timer"))
        return !strcmp(cls, "DateTimeSensor");
    if (!strcmp(kind, "event_wait")) {
        if (jstr(t, "file"))
            return !strcmp(cls, "FileSensor");
        const char *ev = jstr(t, "event");
        for (int i = 0; ev && i < n; i++)
            if (!strcmp(ts[i].kind, "event_raise") && jstr(ts[i].json, "event") &&
                !strcasecmp(jstr(ts[i].json, "event"), ev))
                return !strcmp(cls, "EmptyOperator");
        return !strcmp(cls, "PythonOperator"); /* a hole: nothing raises it */
    }
    if (!strcmp(kind, "assignment") || !strcmp(kind, "control") || !strcmp(kind, "hole"))
        return !strcmp(cls, "PythonOperator");
    if (!strcmp(kind, "subflow"))
        return !strcmp(cls, "TaskGroup") || !strcmp(cls, "PythonOperator");
    return false;
}

enum { EK_ALWAYS = 1, EK_SUCCESS = 2, EK_FAILURE = 4 };

static const char *expected_rule(unsigned mask, bool join_or)
{
    if (mask == EK_ALWAYS)
        return join_or ? "one_done" : "none_skipped";
    if (mask == EK_FAILURE)
        return join_or ? "one_failed" : "all_failed";
    if (mask == EK_SUCCESS)
        return join_or ? "one_success" : "all_success";
    return NULL; /* mixed kinds: gates were due */
}

static void check_flow(dag *d, const cJSON *flow, const char *prefix, const char *inherited, const char *end);

/* Whether task at reaches task target over the links (seen: scratch, one per task). */
static bool reaches(int at, int target, int n_edges, const int *from, const int *to, char *seen)
{
    if (at == target)
        return true;
    seen[at] = 1;
    for (int k = 0; k < n_edges; k++)
        if (from[k] == at && to[k] >= 0 && !seen[to[k]] && reaches(to[k], target, n_edges, from, to, seen))
            return true;
    return false;
}

/* The DAG ids where a link into task i lands: itself, its pre-SQL task, or (a group) its roots. */
static void check_entry_rule(dag *d, const ftask *t, const char *want, const char *what)
{
    if (t->group)
        return; /* the group's roots are checked with inherited rule */
    const char *got = rule_of(d, t->entry);
    if (strcmp(got, want) != 0)
        fail(d, "%s: trigger_rule of '%s' is %s, the mapping says %s", what, t->entry, got, want);
}

/* end: the sub-flow's end task every last task of the flow must lead to, or NULL at the top. */
static void check_flow(dag *d, const cJSON *flow, const char *prefix, const char *inherited, const char *end)
{
    const cJSON *tasks = cJSON_GetObjectItemCaseSensitive(flow, "tasks");
    const cJSON *edges = cJSON_GetObjectItemCaseSensitive(flow, "edges");
    int n = cJSON_GetArraySize(tasks);
    ftask *ts = calloc((size_t)(n ? n : 1), sizeof *ts);
    if (!ts)
        abort();
    for (int i = 0; i < n; i++) {
        ftask *t = &ts[i];
        t->json = cJSON_GetArrayItem(tasks, i);
        t->kind = jstr(t->json, "kind") ? jstr(t->json, "kind") : "?";
        char base[240];
        airflow_task_id(jstr(t->json, "name"), base, sizeof base);
        snprintf(t->local, sizeof t->local, "%s", base);
        for (int k = 2;; k++) {
            bool dup = false;
            for (int j = 0; j < i && !dup; j++)
                dup = strcmp(ts[j].local, t->local) == 0;
            if (!dup)
                break;
            snprintf(t->local, sizeof t->local, "%s_%d", base, k);
        }
        snprintf(t->id, sizeof t->id, "%s%s", prefix, t->local);
        t->group = !strcmp(t->kind, "subflow") && cJSON_GetObjectItemCaseSensitive(t->json, "subflow") &&
                   !jtrue(t->json, "disabled");
        bool job = !strcmp(t->kind, "job") && !jtrue(t->json, "disabled");
        snprintf(t->entry, sizeof t->entry, "%s", t->id);
        snprintf(t->exit, sizeof t->exit, "%s", t->id);
        for (int k = N_STEPS - 1; k >= 0 && job; k--)
            if (steps[k].where < 0 && prop(t->json, steps[k].prop))
                snprintf(t->entry, sizeof t->entry, "%s%s", t->id, steps[k].suffix);
        for (int k = 0; k < N_STEPS && job; k++)
            if (steps[k].where > 0 && prop(t->json, steps[k].prop))
                snprintf(t->exit, sizeof t->exit, "%s%s", t->id, steps[k].suffix);
    }
    /* tasks */
    for (int i = 0; i < n; i++) {
        ftask *t = &ts[i];
        int k = find_id(d, t->id);
        if (k < 0) {
            fail(d, "legacy task '%s' (%s) has no task '%s' in the DAG", jstr(t->json, "name"), t->kind, t->id);
            continue;
        }
        d->nodes[k].used = true;
        if (!class_ok(t->kind, d->nodes[k].cls, t->json, ts, n))
            fail(d, "legacy %s task '%s' is a %s, the mapping says otherwise", t->kind, jstr(t->json, "name"),
                 d->nodes[k].cls);
        /* session steps: a chain through the job, and the failure side task */
        bool job = !strcmp(t->kind, "job") && !jtrue(t->json, "disabled");
        char prev[700];
        snprintf(prev, sizeof prev, "%s", "");
        for (int pass = 0; pass < 2 && job; pass++) {
            /* pass 0: the chain before the job and up to it; pass 1: after it */
            for (int s = 0; s < N_STEPS; s++) {
                if (steps[s].where != (pass ? 1 : -1) || !prop(t->json, steps[s].prop))
                    continue;
                char id[700];
                int p = step_node(d, t, s, id, sizeof id);
                if (p < 0)
                    continue;
                if (strcmp(d->nodes[p].cls, steps[s].cls) != 0)
                    fail(d, "session step '%s' is a %s, not a %s", id, d->nodes[p].cls, steps[s].cls);
                if (pass == 1 && strcmp(d->nodes[p].rule, "all_success") != 0)
                    fail(d, "session step '%s' has trigger_rule %s", id, d->nodes[p].rule);
                if (prev[0] && !use_edge(d, prev, id))
                    fail(d, "no dependency %s >> %s", prev, id);
                snprintf(prev, sizeof prev, "%s", id);
            }
            if (pass == 0) {
                if (prev[0] && !use_edge(d, prev, t->id))
                    fail(d, "no dependency %s >> %s", prev, t->id);
                if (prev[0] && strcmp(d->nodes[k].rule, "all_success") != 0)
                    fail(d, "'%s' follows its session steps but has trigger_rule %s", t->id, d->nodes[k].rule);
                snprintf(prev, sizeof prev, "%s", t->id);
            }
        }
        for (int s = 0; s < N_STEPS && job; s++) {
            if (steps[s].where != 0 || !prop(t->json, steps[s].prop))
                continue;
            char id[700];
            int p = step_node(d, t, s, id, sizeof id);
            if (p < 0)
                continue;
            if (strcmp(d->nodes[p].cls, steps[s].cls) != 0 || strcmp(d->nodes[p].rule, "all_failed") != 0)
                fail(d, "session step '%s' is %s/%s, not %s/all_failed", id, d->nodes[p].cls, d->nodes[p].rule,
                     steps[s].cls);
            if (!use_edge(d, t->id, id))
                fail(d, "no dependency %s >> %s", t->id, id);
        }
    }
    /* incoming link kinds per task, after gates */
    unsigned *mask = calloc((size_t)(n ? n : 1), sizeof *mask);
    int *n_in = calloc((size_t)(n ? n : 1), sizeof *n_in);
    if (!mask || !n_in)
        abort();
    /* events: a wait depends on the task raising the event in the same flow */
    for (int i = 0; i < n; i++) {
        const char *ev = jstr(ts[i].json, "event");
        if (strcmp(ts[i].kind, "event_wait") != 0 || !ev || jstr(ts[i].json, "file") || jtrue(ts[i].json, "disabled"))
            continue;
        for (int j = 0; j < n; j++) {
            if (j == i || strcmp(ts[j].kind, "event_raise") != 0 || !jstr(ts[j].json, "event") ||
                strcasecmp(jstr(ts[j].json, "event"), ev) != 0)
                continue;
            if (!use_edge(d, ts[j].exit, ts[i].entry))
                fail(d, "'%s' waits for event %s but does not depend on '%s', which raises it", ts[i].id, ev,
                     ts[j].id);
            mask[i] |= EK_SUCCESS;
            n_in[i]++;
            break;
        }
    }
    int n_edges = cJSON_GetArraySize(edges);
    int *efrom = calloc((size_t)(n_edges ? n_edges : 1), sizeof *efrom);
    int *eto = calloc((size_t)(n_edges ? n_edges : 1), sizeof *eto);
    bool *loop = calloc((size_t)(n_edges ? n_edges : 1), sizeof *loop);
    char *color = calloc((size_t)(n ? n : 1), 1);
    if (!efrom || !eto || !loop || !color)
        abort();
    for (int k = 0; k < n_edges; k++) {
        const cJSON *x = cJSON_GetArrayItem(edges, k);
        efrom[k] = jstr(x, "from") ? task_of(ts, n, jstr(x, "from")) : -1;
        eto[k] = jstr(x, "to") ? task_of(ts, n, jstr(x, "to")) : -1;
    }
    /* links that close a cycle (docs/airflow.md): back in task order, and the target reaches the
       source; holes, not dependencies */
    for (int k = 0; k < n_edges; k++) {
        if (efrom[k] < 0 || eto[k] < 0 || eto[k] > efrom[k])
            continue;
        memset(color, 0, (size_t)(n ? n : 1));
        loop[k] = reaches(eto[k], efrom[k], n_edges, efrom, eto, color);
    }
    cJSON *e;
    int ei = -1;
    cJSON_ArrayForEach(e, edges) {
        ei++;
        const char *from = jstr(e, "from"), *to = jstr(e, "to"), *kind = jstr(e, "kind");
        int a = from ? task_of(ts, n, from) : -1, b = to ? task_of(ts, n, to) : -1;
        if (a < 0 || b < 0 || !kind) {
            fail(d, "flow.json: a link names an unknown task");
            continue;
        }
        if (loop[ei]) {
            if (edge_index(d, ts[a].exit, ts[b].entry) >= 0)
                fail(d, "link %s -> %s closes a cycle but is a dependency", from, to);
            continue;
        }
        n_in[b]++;
        char gate_base[700];
        snprintf(gate_base, sizeof gate_base, "%slink__%s__%s", prefix, ts[a].local, ts[b].local);
        bool direct = use_edge(d, ts[a].exit, ts[b].entry);
        bool gated = false;
        if (!direct) {
            for (int g = 0; g < d->n_nodes && !gated; g++) {
                const char *id = d->nodes[g].id;
                size_t gl = strlen(gate_base);
                if (strncmp(id, gate_base, gl) != 0 || (id[gl] && id[gl] != '_'))
                    continue;
                if (edge_index(d, ts[a].exit, id) < 0 || edge_index(d, id, ts[b].entry) < 0)
                    continue;
                use_edge(d, ts[a].exit, id);
                use_edge(d, id, ts[b].entry);
                gated = true;
                d->nodes[g].used = true;
                const char *cls = d->nodes[g].cls, *rule = d->nodes[g].rule;
                bool from_decision = !strcmp(ts[a].kind, "decision") && !jtrue(ts[a].json, "disabled");
                bool outcome = !strcmp(kind, "decision_true") || !strcmp(kind, "decision_false");
                const char *want_cls = "EmptyOperator", *want_rule = NULL;
                if (!strcmp(kind, "expr") || (outcome && !from_decision)) {
                    want_cls = "PythonOperator";
                    want_rule = "none_skipped";
                } else if (outcome || !strcmp(kind, "success")) {
                    want_rule = "all_success";
                } else if (!strcmp(kind, "always")) {
                    want_rule = "none_skipped";
                } else {
                    want_rule = "all_failed";
                }
                if (strcmp(cls, want_cls) != 0 || strcmp(rule, want_rule) != 0)
                    fail(d, "gate '%s' of a %s link is %s/%s, the mapping says %s/%s", id, kind, cls, rule,
                         want_cls, want_rule);
            }
        }
        if (!direct && !gated) {
            fail(d, "legacy link %s -> %s (%s) has no dependency in the DAG", from, to, kind);
            continue;
        }
        if (gated)
            mask[b] |= EK_SUCCESS;
        else if (!strcmp(kind, "always"))
            mask[b] |= EK_ALWAYS;
        else if (!strcmp(kind, "failure"))
            mask[b] |= EK_FAILURE;
        else if (!strcmp(kind, "expr"))
            fail(d, "link %s -> %s evaluates a condition but has no gate", from, to);
        else
            mask[b] |= EK_SUCCESS; /* success, or a decision outcome the branch task chooses */
    }
    /* trigger rules */
    for (int i = 0; i < n; i++) {
        bool join_or = jstr(ts[i].json, "join") && !strcmp(jstr(ts[i].json, "join"), "or");
        if (n_in[i] && !mask[i])
            continue; /* its links are missing: said above */
        const char *want = n_in[i] ? expected_rule(mask[i], join_or) : inherited;
        if (n_in[i] && !want) {
            fail(d, "links of different kinds into '%s' without gates", ts[i].id);
            continue;
        }
        if (find_id(d, ts[i].entry) >= 0)
            check_entry_rule(d, &ts[i], want ? want : "all_success", "legacy task");
        if (ts[i].group) {
            const cJSON *sub = cJSON_GetObjectItemCaseSensitive(ts[i].json, "subflow");
            char sub_prefix[700];
            snprintf(sub_prefix, sizeof sub_prefix, "%s%s.", prefix, ts[i].local);
            /* the sub-flow's end task */
            char end_id[760];
            snprintf(end_id, sizeof end_id, "%s__end__", sub_prefix);
            int k = find_id(d, end_id);
            if (k < 0) {
                fail(d, "sub-flow '%s' has no end task '%s'", ts[i].id, end_id);
            } else {
                d->nodes[k].used = true;
                if (strcmp(d->nodes[k].rule, "none_failed_min_one_success") != 0)
                    fail(d, "end task '%s' has trigger_rule %s", end_id, d->nodes[k].rule);
            }
            check_flow(d, sub, sub_prefix, want ? want : "all_success", k < 0 ? NULL : end_id);
        }
    }
    /* a sub-flow's last tasks lead to its end task */
    for (int i = 0; end && i < n; i++) {
        bool leaf = true;
        for (int k = 0; k < n_edges; k++)
            if (efrom[k] == i && !loop[k])
                leaf = false;
        if (leaf && !use_edge(d, ts[i].exit, end))
            fail(d, "'%s' ends its sub-flow but does not lead to '%s'", ts[i].exit, end);
    }
    free(mask);
    free(n_in);
    free(ts);
    free(efrom);
    free(eto);
    free(loop);
    free(color);
}

/* Airflow refuses a DAG with a cycle: Kahn's algorithm over the dependencies as written. */
static void check_acyclic(dag *d)
{
    int *indeg = calloc((size_t)(d->n_nodes ? d->n_nodes : 1), sizeof *indeg);
    int *queue = calloc((size_t)(d->n_nodes ? d->n_nodes : 1), sizeof *queue);
    if (!indeg || !queue)
        abort();
    for (int i = 0; i < d->n_edges; i++)
        indeg[d->edges[i].to]++;
    int head = 0, tail = 0;
    for (int i = 0; i < d->n_nodes; i++)
        if (!indeg[i])
            queue[tail++] = i;
    while (head < tail) {
        int x = queue[head++];
        for (int i = 0; i < d->n_edges; i++)
            if (d->edges[i].from == x && --indeg[d->edges[i].to] == 0)
                queue[tail++] = d->edges[i].to;
    }
    if (tail < d->n_nodes)
        fail(d, "the dependencies form a cycle (%d tasks on or after it)", d->n_nodes - tail);
    free(indeg);
    free(queue);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)(n > 0 ? n : 0) + 1);
    if (!buf)
        abort();
    size_t got = fread(buf, 1, (size_t)(n > 0 ? n : 0), fp);
    fclose(fp);
    buf[got] = '\0';
    *len = got;
    return buf;
}

/* Returns the number of problems, or -1 on I/O errors. */
static int check_dag(const char *path, bool quiet)
{
    size_t len = 0, jlen = 0;
    char *text = slurp(path, &len);
    if (!text) {
        fprintf(stderr, "%s: error: %s\n", path, strerror(errno));
        return -1;
    }
    char jpath[4096];
    snprintf(jpath, sizeof jpath, "%s", path);
    char *slash = strrchr(jpath, '/');
    snprintf(slash ? slash + 1 : jpath, sizeof jpath - (size_t)(slash ? slash + 1 - jpath : 0), "flow.json");
    char *jtext = slurp(jpath, &jlen);
    if (!jtext) {
        fprintf(stderr, "%s: error: %s\n", jpath, strerror(errno));
        free(text);
        return -1;
    }
    dag d = {0};
    d.path = path;
    d.text = text;
    d.quiet = quiet;
    diag_ctx dc;
    diag_init(&dc, NULL, NULL);
    int syn = syntax_check("python", text, len, path, quiet ? NULL : &dc);
    if (syn != 0)
        d.errors += syn < 0 ? 1 : syn;
    cJSON *flow = cJSON_Parse(jtext);
    if (!flow) {
        fail(&d, "%s is not JSON", jpath);
    } else {
        TSParser *p = ts_parser_new();
        ts_parser_set_language(p, tree_sitter_python());
        TSTree *tree = ts_parser_parse_string(p, NULL, text, (uint32_t)len);
        TSNode root = ts_tree_root_node(tree);
        /* the DAG's body: tasks are found at any depth of `with` blocks */
        walk(&d, root, "");
        if (find_id(&d, "") >= 0)
            fail(&d, "a task with an empty task_id");
        check_flow(&d, flow, "", "all_success", NULL);
        check_acyclic(&d);
        for (int i = 0; i < d.n_nodes; i++)
            if (!d.nodes[i].used)
                fail(&d, "task '%s' (%s) is neither a legacy task nor a documented inserted one", d.nodes[i].id,
                     d.nodes[i].cls);
        for (int i = 0; i < d.n_edges; i++)
            if (!d.edges[i].used)
                fail(&d, "dependency %s >> %s stands for no legacy link", d.nodes[d.edges[i].from].id,
                     d.nodes[d.edges[i].to].id);
        ts_tree_delete(tree);
        ts_parser_delete(p);
        cJSON_Delete(flow);
    }
    for (int i = 0; i < d.n_nodes; i++) {
        free(d.nodes[i].var);
        free(d.nodes[i].id);
        free(d.nodes[i].cls);
        free(d.nodes[i].rule);
    }
    free(d.nodes);
    free(d.edges);
    free(text);
    free(jtext);
    return d.errors;
}

int main(int argc, char **argv)
{
    bool quiet = false;
    int first = 1, bad = 0, io = 0, n = 0;
    if (argc > 1 && strcmp(argv[1], "--quiet") == 0) {
        quiet = true;
        first = 2;
    }
    if (first >= argc) {
        fputs("usage: dagcheck [--quiet] DAG.py...   (flow.json must be next to each DAG.py)\n"
              "exit status: 0 every DAG matches its flow, 1 some do not, 2 usage or I/O error\n",
              stderr);
        return 2;
    }
    for (int i = first; i < argc; i++) {
        int r = check_dag(argv[i], quiet);
        n++;
        if (r < 0)
            io++;
        else if (r > 0)
            bad++;
    }
    if (!quiet)
        printf("dagcheck: %d DAG%s, %d with problems\n", n, n == 1 ? "" : "s", bad);
    return io ? 2 : bad ? 1 : 0;
}
