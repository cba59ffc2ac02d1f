/*
 * abi_graph.h — the graph layer of the Ab Initio frontend: a graph model (components, ports,
 * flows, parameters) read from a `.mp` file in the EME flatten format or from a deployed
 * `run/<graph>.ksh` script, sandbox and parameter-set resolution, and the lowering of one graph into one
 * ir_job. docs/abinitio-frontend.md lists each component with the reference's confidence mark.
 *
 * Memory: a graph lives in the arena given to the reader; the job that abi_graph_lower returns
 * owns its own arena (ir_job_free). Errors go through a diag_ctx as `file:line:col: error: ...`.
 */
#ifndef ETLPORT_FRONTENDS_ABINITIO_ABI_GRAPH_H
#define ETLPORT_FRONTENDS_ABINITIO_ABI_GRAPH_H

#include "core/arena.h"
#include "core/diag.h"
#include "frontends/abinitio/abi.h"
#include "ir/ir.h"

/* One parameter of a component or of the graph. */
typedef struct abi_gparam {
    const char *name;
    const char *value;  /* escapes of the file form resolved; "" when empty */
    int type;           /* .mp type code (3 string, 7 record format, 8 transform, 19 key ...); 0 unknown */
    int interp;         /* .mp interpretation code (1 constant, 2 $, 3 ${}, 8 same-as, 9 PDL); 0 unknown */
    const char *flags;  /* .mp flag letters ("l", "$", "c", "REFK" ...) or NULL */
    int line, col;      /* where the value starts */
} abi_gparam;

typedef struct abi_port {
    const char *name;   /* "in", "out0", "read", "write", "reject0", ... */
    bool is_out;
} abi_port;

typedef struct abi_comp {
    const char *name;      /* the component's name in the graph (label) */
    const char *kind;      /* recognised component, e.g. "Reformat", "Join"; NULL when unknown */
    const char *mpname;    /* the mp command name (from the prototype or the deployed script) */
    const char *template;  /* !prototype_path, or NULL */
    abi_gparam *params;    /* instance parameters, then the prototype's defaults not overridden */
    int n_params, cap_params;
    abi_port *ports;
    int n_ports, cap_ports;
    int phase;             /* -1 when unknown */
    const char *subgraph;  /* deployed scripts: the sub-graph the component belongs to ("Sub" of a
                              member named "Sub.Comp" [C]; "A.B" when nested), else NULL. Where a .mp
                              file keeps sub-graphs is not publicly known [U] */
    int line, col;
} abi_comp;

typedef struct abi_flow {
    int from, to;              /* component indexes */
    const char *from_port, *to_port;
    const char *metadata;      /* deployed scripts: the flow's record format text (or NULL) */
    const char *metadata_path; /* ... and the file it came from, when it came from a file */
    int line, col;
} abi_flow;

typedef struct abi_graph {
    const char *name;    /* graph name (file name without extension, or `mp job NAME`) */
    const char *path;    /* the file read */
    const char *form;    /* "mp" or "ksh" */
    abi_gparam *params;  /* graph (formal) parameters in file order */
    int n_params, cap_params;
    abi_comp *comps;
    int n_comps, cap_comps;
    abi_flow *flows;
    int n_flows, cap_flows;
    const char *compat;  /* !ab_compatibility, or NULL */
} abi_graph;

/* Whether text looks like a graph in the EME flatten format: "@" on line 1, then a header record
 * `{18|Type|XXGrepository|...eme_flatten_format...}`. */
bool abi_mp_detect(const char *text, size_t len);
/* Reads a .mp file's text. A text that is not in the flatten format is one error at 1:1
 * ("not an Ab Initio graph (...)"). Returns 0, or -1 if an error was reported (*out still holds
 * what could be read, or NULL). */
int abi_mp_parse(abi_graph **out, arena *a, const char *path, const char *text, size_t len, diag_ctx *dc);
/* Whether text is a deployed graph script (a ksh script with `mp job` and `mp run`). */
bool abi_ksh_detect(const char *text, size_t len);
/* Reads a deployed run/<graph>.ksh. Record formats and transforms named by file are read through
 * the sandbox `sb`; with sb NULL only here-documents are read (a file reference is an error). */
typedef struct abi_sandbox abi_sandbox;
int abi_ksh_parse(abi_graph **out, arena *a, const abi_sandbox *sb, const char *path, const char *text, size_t len,
                  diag_ctx *dc);

/* ---- sandboxes and parameters ---- */

/* A sandbox: its root and the parameters known at sandbox level (built-in directory parameters,
 * .sandbox.pset and .project.pset values). */
struct abi_sandbox {
    const char *root;       /* directory; NULL when the file is not in a sandbox layout */
    const char **names, **values;
    int n, cap;
};
/* The sandbox a file at path belongs to: the nearest ancestor with a .sandbox.pset, else the
 * parent of an mp/ or run/ directory holding the file, else the file's directory. */
void abi_sandbox_find(abi_sandbox *out, arena *a, const char *path);
void abi_sandbox_set(abi_sandbox *sb, arena *a, const char *name, const char *value);
const char *abi_sandbox_get(const abi_sandbox *sb, const char *name);

/* One line of a .pset file. */
typedef struct abi_pset_entry {
    const char *name, *kind, *value; /* kind: field 2 ("", "c", "$", "P") */
    int line;
} abi_pset_entry;
typedef struct abi_pset {
    const char *prototype; /* the !prototype value (the graph it instantiates), or NULL */
    abi_pset_entry *entries;
    int n;
} abi_pset;
/* Whether text is a parameter set (its first non-empty line is `!prototype|...`). */
bool abi_pset_detect(const char *text, size_t len);
/* Reads a .pset (also .sandbox.pset / .project.pset). Lines that do not have five `|` fields are
 * errors. */
int abi_pset_parse(abi_pset *out, arena *a, const char *path, const char *text, size_t len, diag_ctx *dc);

/* Substitutes $NAME, ${NAME} (and the .mp escaped form $\{NAME\}) from the sandbox, the graph's
 * parameters and overrides (later lists win); unknown names are left as written. */
const char *abi_subst(arena *a, const char *s, const abi_sandbox *sb, const abi_pset *overrides);

/* ---- orchestration (abi_plan.c; docs/flows-abinitio-sql.md) ---- */

typedef struct ir_flow ir_flow;
/* Whether text is a plan in the demo notation of the only plan we have (its first line that is
 * not a `;;` comment is `plan NAME`); no real .plan syntax is public (reference §5.2). */
bool abi_plan_detect(const char *text, size_t len);
/* Reads a plan into *out (IR_FLOW_PLAN; never NULL; the caller frees it with ir_flow_free): graph
 * tasks as JOB tasks named as the graphs' jobs, scripts as COMMAND, sub-plans as SUBFLOW read from
 * their files, `depends` as SUCCESS edges, `on-failure` methods as FAILURE edges; what the reader
 * does not know is a HOLE task. Paths resolve through the sandbox sb; with sb NULL no file is
 * read (sub-plans are HOLE tasks, scripts COMMAND tasks). Returns 0, or -1 if an error was
 * reported. */
int abi_plan_read(ir_flow **out, const abi_sandbox *sb, const char *path, const char *text, size_t len,
                  diag_ctx *dc);
/* Whether text is a shell script (a #! line, or a .ksh / .sh path) that runs graphs or plans
 * (`air sandbox run X`, `$AI_RUN/g.ksh`) and is not itself a deployed graph. */
bool abi_wrapper_detect(const char *path, const char *text, size_t len);
/* Reads such a script into *out (IR_FLOW_SCRIPT; never NULL): its graph runs and other commands
 * in order, SUCCESS edges where the script stops on a failure, unconditional edges elsewhere. */
int abi_wrapper_read(ir_flow **out, const abi_sandbox *sb, const char *path, const char *text, size_t len,
                     diag_ctx *dc);

/* ---- lowering ---- */

typedef struct abi_lower_opts {
    const abi_sandbox *sandbox;  /* for $AI_DML/... file references; may be NULL */
    const abi_pset *pset;        /* parameter values that override the graph's defaults; may be NULL */
    const char *job_name;        /* NULL: the graph's name */
    bool embedded_only;          /* record formats and transforms named by file are errors, not
                                    read (fuzzing: an input cannot make the reader open files) */
} abi_lower_opts;

/* Lowers a graph into one job: one IR node (or a few) per component, in topological order.
 * Components with no IR form are procedure nodes (holes) listing their parameters; Run SQL
 * components that no flow touches are left to abi_graph_run_sql. Returns the job (never NULL);
 * errors (unreadable DML/XFR, flows to missing ports, cycles) go to dc. */
ir_job *abi_graph_lower(const abi_graph *g, const abi_lower_opts *opt, diag_ctx *dc);

/* The Run SQL components of g that no flow touches (abi_graph_lower leaves them out of the job),
 * read through the SQL frontend: *out_unit gets one script unit `<job>_run_sql` (ir/ir_unit.h)
 * whose steps are their statements in phase order — each translated, or a hole with its text —
 * and *out_flow a plan flow (IR_FLOW_PLAN, named job_name) with one SQL task per component
 * (props `unit`, `unit_steps`, `dialect`) and a JOB task for the graph's job, ordered by phase
 * where phases are known. The dialect comes from the component's `.dbc` file (`dbms:`), else
 * ANSI. Returns how many components were read; 0 leaves both NULL. The caller owns both
 * (ir_unit_free, ir_flow_free). job_name NULL: the graph's name. */
typedef struct ir_unit ir_unit;
int abi_graph_run_sql(const abi_graph *g, const abi_lower_opts *opt, const char *job_name, diag_ctx *dc,
                      ir_unit **out_unit, ir_flow **out_flow);

#endif
