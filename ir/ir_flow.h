/*
 * ir_flow.h — orchestration: a workflow (Informatica WORKFLOW / WORKLET, an Ab Initio plan, the
 * ordered statements of a script) as tasks joined by dependency edges that carry conditions, with
 * a schedule and parameters. The Airflow backend writes one DAG per flow; lineage keeps its order.
 *
 * Conditions (edge conditions, decisions, assignments) are canonical expressions (ir.h) made in
 * the flow's job arena:
 *   - a task's run-time attribute is an IR_EX_PARAM named "<task>.<attr>": the task as named in
 *     this flow, attr one of ir_flow_task_attrs() ("status", "prev_task_status", "condition",
 *     "tgt_success_rows", ...), always lower case;
 *   - a workflow variable or parameter is an IR_EX_PARAM named as the variable without its
 *     decoration ("$$LOAD_DATE" -> "LOAD_DATE"): no dot;
 *   - a status constant is an upper-case string literal: 'SUCCEEDED', 'FAILED', 'ABORTED',
 *     'STOPPED', 'DISABLED', 'NOTSTARTED'; TRUE / FALSE are boolean literals.
 * What has no canonical form is an IR_EX_HOLE with the legacy text. A task kind that cannot be
 * expressed is an IR_TASK_HOLE with its text; nothing is dropped.
 *
 * Memory: a flow owns an ir_job (`job`) used as arena and expression factory, as ir_unit does.
 * Sub-flows (worklets) share their parent's job and go with it. ir_flow_free frees everything.
 */
#ifndef ETLPORT_IR_IR_FLOW_H
#define ETLPORT_IR_IR_FLOW_H

#include "ir/ir.h"

typedef enum {
    IR_FLOW_WORKFLOW, /* Informatica WORKFLOW */
    IR_FLOW_WORKLET,  /* Informatica WORKLET: a reusable sub-workflow */
    IR_FLOW_PLAN,     /* Ab Initio plan (.plan) or a graph's phases */
    IR_FLOW_SCRIPT    /* a script's statements in order (a BTEQ script with .IF / .GOTO flow) */
} ir_flow_kind;

typedef enum {
    IR_TASK_START,       /* the entry point (Informatica Start task): no work */
    IR_TASK_JOB,         /* runs a job: job / job_folder; session settings in props */
    IR_TASK_COMMAND,     /* shell commands, in order: commands */
    IR_TASK_SQL,         /* SQL run on a connection: sql (a script's statement, pre/post SQL) */
    IR_TASK_DECISION,    /* evaluates cond; successors test "<task>.condition" */
    IR_TASK_EMAIL,       /* email_to, email_subject, email_body */
    IR_TASK_TIMER,       /* waits until `at`, or `seconds` after relative_to starts */
    IR_TASK_EVENT_WAIT,  /* waits for a file (file) or an event raised in the flow (event) */
    IR_TASK_EVENT_RAISE, /* raises the user event `event` */
    IR_TASK_ASSIGNMENT,  /* assigns, in order */
    IR_TASK_SUBFLOW,     /* runs sub (a worklet, a sub-plan) */
    IR_TASK_CONTROL,     /* control: "fail_parent", "stop_parent", "abort_parent", "fail_top",
                            "stop_top", "abort_top"; "fail_self": the task itself fails (then
                            fail_parent decides whether the flow fails) */
    IR_TASK_HOLE         /* not translated: text, hole_reason */
} ir_task_kind;

typedef struct ir_flow_assign {
    const char *var;  /* the variable, undecorated */
    ir_expr *value;
    const char *text; /* legacy expression text */
} ir_flow_assign;

typedef struct ir_flow ir_flow;

typedef struct ir_task {
    ir_task_kind kind;
    const char *name;        /* legacy instance name, unique in its flow (the Airflow task_id) */
    const char *description;
    ir_span span;
    const char *text;        /* HOLE: the legacy text; others: NULL or a short legacy summary */
    const char *hole_reason; /* HOLE */
    bool disabled;           /* disabled in the legacy flow: not run (successors see 'DISABLED') */
    bool join_or;            /* input edges combined with OR (the legacy default is AND) */
    bool fail_parent;        /* the flow fails when this task fails */
    bool fail_parent_if_not_run;
    int retries;             /* 0: none */
    int retry_delay_s;
    int timeout_s;           /* 0: none */
    /* JOB */
    const char *job;         /* the job's name as the frontend named it (mapping name) */
    const char *job_folder;  /* its folder in the output, NULL when the flow's own */
    /* COMMAND */
    const char **commands;
    const char **command_names;
    int n_commands, cap_commands;
    bool stop_on_error;      /* COMMAND: stop at the first failing command (and fail) */
    bool ignore_errors;      /* COMMAND without stop_on_error: the task completes as succeeded even
                                when a command fails (PowerCenter); false: the last command's status
                                counts, as in a shell script */
    /* SQL */
    const char *sql;
    const char *sql_dialect; /* SQL: the dialect sql is written in: the legacy one ("teradata") as
                                a frontend reads it, or a target ("snowflake", "spark") once
                                translated; a backend never runs SQL of another dialect */
    const char *connection;  /* SQL, JOB: the legacy connection name, if known */
    /* DECISION */
    ir_expr *cond;
    const char *cond_text;
    /* EMAIL */
    const char *email_to, *email_subject, *email_body;
    /* TIMER */
    const char *at;          /* absolute time "YYYY-MM-DD HH:MM:SS", or NULL */
    int seconds;             /* relative wait */
    const char *relative_to; /* "flow", "parent" or a task name; NULL with `at` */
    /* EVENT_WAIT / EVENT_RAISE */
    const char *event;       /* a user event name, or NULL */
    const char *file;        /* EVENT_WAIT on a file (indicator file), or NULL */
    bool delete_file;        /* EVENT_WAIT: delete the file once seen */
    /* ASSIGNMENT */
    ir_flow_assign *assigns;
    int n_assigns, cap_assigns;
    /* SUBFLOW */
    ir_flow *sub;
    /* CONTROL */
    const char *control;
    /* any kind: other legacy settings kept for review and for the backends, in legacy order
       (session overrides: "connection:<instance>", "sql_override:<instance>", "pre_sql",
       "post_sql", "parameter_file", "error_threshold", "commit_interval", ...) */
    ir_prop *props;
    int n_props, cap_props;
} ir_task;

typedef struct ir_flow_edge {
    int from, to;          /* task indexes in the flow */
    ir_expr *cond;         /* NULL: unconditional (runs when `from` completes, whatever its status) */
    const char *cond_text; /* the legacy condition text, NULL when none */
    ir_span span;
} ir_flow_edge;

typedef enum {
    IR_SCHED_ON_DEMAND,  /* run by hand or by an outside scheduler: schedule=None */
    IR_SCHED_ONCE,       /* run once at start */
    IR_SCHED_CRON,       /* cron: exact when approx is NULL */
    IR_SCHED_CONTINUOUS, /* run again as soon as a run ends */
    IR_SCHED_ON_START    /* run when the service starts: no Airflow form */
} ir_sched_kind;

typedef struct ir_schedule {
    ir_sched_kind kind;
    const char *cron;   /* CRON: five-field cron expression or an Airflow preset ("@daily") */
    const char *start;  /* "YYYY-MM-DD HH:MM:SS" or NULL */
    const char *end;    /* NULL: no end */
    int max_runs;       /* 0: unlimited */
    const char *approx; /* why cron only approximates the legacy schedule, NULL when exact */
    const char *text;   /* the legacy schedule, summarised */
    ir_span span;
} ir_schedule;

typedef struct ir_flow_var {
    const char *name;          /* undecorated */
    ir_type type;
    const char *default_value; /* legacy default, or the value a parameter file gives; NULL if none */
    const char *source;        /* where the value comes from: "default", "parameter file F [section]",
                                  "workflow variable", "persistent variable" */
    bool persistent;           /* keeps its value between runs */
    bool is_param;             /* a parameter (set from outside) rather than a variable */
    ir_span span;
} ir_flow_var;

struct ir_flow {
    ir_job *job;               /* arena and expression factory; shared with the parent for sub-flows */
    ir_flow_kind kind;
    const char *name;
    const char *folder;        /* repository folder / sandbox; the output goes to <folder>/workflows/<name> */
    const char *format;        /* "informatica", "abinitio", "sql" */
    const char *file;
    const char *description;
    ir_span span;
    ir_task **tasks;
    int n_tasks, cap_tasks;
    ir_flow_edge *edges;
    int n_edges, cap_edges;
    ir_flow_var *vars;
    int n_vars, cap_vars;
    ir_schedule schedule;
    const char **param_files;  /* parameter files the flow names */
    int n_param_files, cap_param_files;
    ir_prop *props;            /* other flow-level settings, legacy order */
    int n_props, cap_props;
    bool owns_job;
};

ir_flow *ir_flow_new(ir_flow_kind kind, const char *name);
/* A sub-flow (a worklet instance's body) in parent's arena; freed with parent. */
ir_flow *ir_flow_new_sub(ir_flow *parent, ir_flow_kind kind, const char *name);
void ir_flow_free(ir_flow *f);
const char *ir_flow_intern(ir_flow *f, const char *s);

ir_task *ir_flow_add_task(ir_flow *f, ir_task_kind kind, const char *name, ir_span span);
/* The task's index by name (case-insensitive, as the legacy tools compare), or -1. */
int ir_flow_task_index(const ir_flow *f, const char *name);
ir_flow_edge *ir_flow_add_edge(ir_flow *f, int from, int to, ir_expr *cond, const char *cond_text, ir_span span);
ir_flow_var *ir_flow_add_var(ir_flow *f, const char *name, ir_type type);
ir_flow_var *ir_flow_var_get(const ir_flow *f, const char *name); /* case-insensitive; NULL if none */
void ir_flow_add_param_file(ir_flow *f, const char *path);
void ir_flow_add_prop(ir_flow *f, const char *key, const char *value);

void ir_task_add_prop(ir_flow *f, ir_task *t, const char *key, const char *value);
const char *ir_task_prop(const ir_task *t, const char *key); /* the last value for key, or NULL */
void ir_task_add_command(ir_flow *f, ir_task *t, const char *name, const char *command);
ir_flow_assign *ir_task_add_assign(ir_flow *f, ir_task *t, const char *var, ir_expr *value, const char *text);

const char *ir_flow_kind_name(ir_flow_kind k);   /* "workflow", "worklet", "plan", "script" */
const char *ir_task_kind_name(ir_task_kind k);   /* "start", "job", "command", ... */
const char *ir_sched_kind_name(ir_sched_kind k); /* "on_demand", "once", "cron", ... */
/* The task attribute names conditions may use ("status", "prev_task_status", ...), NULL-ended. */
const char *const *ir_flow_task_attrs(void);

/* ---- what an edge's condition means for the scheduler ---- */

typedef enum {
    IR_LINK_ALWAYS,         /* no condition: after `from` completes, whatever its status */
    IR_LINK_SUCCESS,        /* from.status / from.prev_task_status = SUCCEEDED (OR DISABLED) */
    IR_LINK_FAILURE,        /* ... = FAILED (or ABORTED / STOPPED, or <> SUCCEEDED) */
    IR_LINK_DECISION_TRUE,  /* from is a decision: from.condition (= TRUE) */
    IR_LINK_DECISION_FALSE, /* NOT from.condition / from.condition = FALSE */
    IR_LINK_EXPR            /* anything else: evaluated at run time (row counts, variables) */
} ir_link_kind;

ir_link_kind ir_flow_edge_kind(const ir_flow *f, const ir_flow_edge *e);
const char *ir_link_kind_name(ir_link_kind k); /* "always", "success", "failure", ... */

/* Holes of the flow, its sub-flows included: HOLE tasks ("task") and holes in conditions and
 * assignments ("expression"). Returns the count. */
int ir_flow_holes(const ir_flow *f, ir_hole_fn fn, void *userdata);
/* Tasks of the flow and its sub-flows (START tasks included). */
int ir_flow_count_tasks(const ir_flow *f);

/* Text form for tests and review: the tasks in order with their settings, then the edges with
 * their kind and canonical condition. Deterministic. */
void ir_flow_to_text(strbuf *sb, const ir_flow *f);
/* JSON (deterministic; write-only for now). */
void ir_flow_to_json(const ir_flow *f, strbuf *out);

#endif
